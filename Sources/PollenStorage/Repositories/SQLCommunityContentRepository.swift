import Foundation
import PollenCore
import SQLKit

struct SQLCommunityContentRepository: CommunityContentRepository {
    let db: any SQLDatabase
    let changes: ChangeRecorder

    static let columns = """
        i.id, i.community_id, i.kind, i.title, i.body, i.tags, i.author_id, i.state, i.published_at, i.pinned, i.closed,
        i.announcement, i.revision, i.file_name, i.content_type, i.byte_size, i.storage_key, i.link, i.feature_note,
        i.featured_by, i.featured_at, i.import_key, i.views_count, i.comments_count, i.favourites_count, i.ratings_count,
        i.ratings_total, i.created_at, i.updated_at, i.moderation, i.health, i.reviewed_at
        """

    func insert(_ item: CommunityItem) async throws {
        try await db.raw(
            """
            INSERT INTO community_items (id, community_id, kind, title, title_key, body, tags, author_id, state, published_at,
                pinned, closed, announcement, revision, file_name, content_type, byte_size, storage_key, link, feature_note,
                featured_by, featured_at, import_key, created_at, updated_at, last_activity_at)
            VALUES (\(bind: item.id.rawValue), \(bind: item.communityID.rawValue), \(bind: item.kind.rawValue),
                \(bind: item.title), \(bind: item.title.lowercased()), \(bind: item.body), \(bind: item.tags.joined(separator: " ")),
                \(bind: item.authorID.rawValue), \(bind: item.state.rawValue), \(bind: item.publishedAt?.milliseconds),
                \(bind: item.pinned ? 1 : 0), \(bind: item.closed ? 1 : 0), \(bind: item.announcement ? 1 : 0), \(bind: item.revision),
                \(bind: item.resource?.fileName), \(bind: item.resource?.contentType), \(bind: item.resource?.byteSize ?? 0),
                \(bind: item.resource?.storageKey), \(bind: item.resource?.link), \(bind: item.feature?.note),
                \(bind: item.feature?.by.rawValue), \(bind: item.feature?.at.milliseconds), \(bind: item.importKey),
                \(bind: item.createdAt.milliseconds), \(bind: item.updatedAt.milliseconds),
                \(bind: (item.publishedAt ?? item.createdAt).milliseconds))
            """
        ).run()
    }

    func update(_ item: CommunityItem) async throws {
        try await db.raw(
            """
            UPDATE community_items SET title = \(bind: item.title), title_key = \(bind: item.title.lowercased()),
                body = \(bind: item.body), tags = \(bind: item.tags.joined(separator: " ")), state = \(bind: item.state.rawValue),
                published_at = \(bind: item.publishedAt?.milliseconds), pinned = \(bind: item.pinned ? 1 : 0),
                closed = \(bind: item.closed ? 1 : 0), announcement = \(bind: item.announcement ? 1 : 0),
                revision = \(bind: item.revision), file_name = \(bind: item.resource?.fileName),
                content_type = \(bind: item.resource?.contentType), byte_size = \(bind: item.resource?.byteSize ?? 0),
                storage_key = \(bind: item.resource?.storageKey), link = \(bind: item.resource?.link),
                feature_note = \(bind: item.feature?.note), featured_by = \(bind: item.feature?.by.rawValue),
                featured_at = \(bind: item.feature?.at.milliseconds), import_key = \(bind: item.importKey),
                updated_at = \(bind: item.updatedAt.milliseconds),
                last_activity_at = CASE WHEN last_activity_at > \(bind: item.updatedAt.milliseconds) THEN last_activity_at
                                        ELSE \(bind: item.updatedAt.milliseconds) END
            WHERE id = \(bind: item.id.rawValue)
            """
        ).run()
    }

    func delete(_ id: CommunityItem.ID) async throws {
        // Notifications about it go with it (ON DELETE CASCADE), as do comments, ratings and revisions.
        try await db.raw("DELETE FROM community_items WHERE id = \(bind: id.rawValue)").run()
    }

    func find(id: CommunityItem.ID) async throws -> CommunityItem? {
        try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM community_items i WHERE i.id = \(bind: id.rawValue)")
            .first().map(Self.decode)
    }

    func find(importKey: String, in community: Community.ID) async throws -> CommunityItem? {
        try await db.raw(
            """
            SELECT \(unsafeRaw: Self.columns) FROM community_items i
            WHERE i.community_id = \(bind: community.rawValue) AND i.import_key = \(bind: importKey)
            """
        ).first().map(Self.decode)
    }

    func items(_ query: CommunityItemQuery) async throws -> Page<CommunityItem> {
        var filter = SQLQueryString("i.community_id = \(bind: query.community.rawValue)")
        if let kind = query.kind { filter.appendInterpolation(" AND i.kind = \(bind: kind.rawValue)" as SQLQueryString) }
        let live: SQLQueryString = "(i.state = 'published' AND i.moderation IS NULL AND i.published_at <= \(bind: query.liveAt.milliseconds))"
        if query.allDrafts {
            // Everything: managers see drafts and scheduled items too.
        } else if let author = query.draftsOf {
            filter.appendInterpolation(" AND (\(live) OR i.author_id = \(bind: author.rawValue))" as SQLQueryString)
        } else {
            filter.appendInterpolation(" AND \(live)" as SQLQueryString)
        }
        if query.announcementsOnly { filter.appendLiteral(" AND i.announcement = 1") }
        if query.featuredOnly { filter.appendLiteral(" AND i.featured_at IS NOT NULL") }
        if query.unansweredOnly { filter.appendLiteral(" AND i.kind = 'thread' AND i.comments_count = 0 AND i.closed = 0 AND i.announcement = 0") }
        let order = switch query.order {
        case .latest: "i.pinned DESC, COALESCE(i.published_at, i.created_at) DESC, i.id DESC"
        case .active: "i.last_activity_at DESC, i.id DESC"
        }
        let total = try await db.raw("SELECT COUNT(*) AS n FROM community_items i WHERE \(filter)").first()?
            .decode(column: "n", as: Int64.self) ?? 0
        let rows = try await db.raw(
            """
            SELECT \(unsafeRaw: Self.columns) FROM community_items i WHERE \(filter)
            ORDER BY \(unsafeRaw: order) LIMIT \(bind: query.limit) OFFSET \(bind: query.offset)
            """
        ).all()
        return Page(items: try rows.map(Self.decode), total: Int(total))
    }

    func homeItems(of member: Member.ID, after: Date?, before: Date, limit: Int) async throws -> [CommunityItem] {
        let m = member.rawValue
        return try await db.raw(
            """
            SELECT \(unsafeRaw: Self.columns) FROM community_items i
            WHERE i.community_id IN (
                    SELECT community_id FROM community_members WHERE member_id = \(bind: m) AND state = 'active'
                    UNION SELECT community_id FROM community_follows WHERE member_id = \(bind: m))
              AND i.state = 'published' AND i.moderation IS NULL AND i.published_at <= \(bind: before.milliseconds)
              AND i.published_at > \(bind: after?.milliseconds ?? Int64.min)
            ORDER BY i.published_at DESC, i.id DESC LIMIT \(bind: limit)
            """
        ).all().map(Self.decode)
    }

    func search(_ words: [String], visibleTo viewer: Member.ID?, liveAt: Date, limit: Int) async throws -> [CommunityItem] {
        var query = SQLQueryString(
            """
            SELECT \(unsafeRaw: Self.columns) FROM community_items i JOIN communities c ON c.id = i.community_id
            WHERE i.state = 'published' AND i.moderation IS NULL AND i.published_at <= \(bind: liveAt.milliseconds)
            """)
        if let viewer {
            query.appendInterpolation(
                """
                 AND (c.membership <> 'private' OR EXISTS (SELECT 1 FROM community_members cm WHERE cm.community_id = c.id
                     AND cm.member_id = \(bind: viewer.rawValue) AND cm.state = 'active'))
                """ as SQLQueryString)
        }
        for word in words {
            let pattern = "%" + SQLMemberRepository.escapeLike(word.lowercased()) + "%"
            query.appendInterpolation(
                " AND (i.title_key LIKE \(bind: pattern) ESCAPE '\\' OR LOWER(i.body) LIKE \(bind: pattern) ESCAPE '\\' OR i.tags LIKE \(bind: pattern) ESCAPE '\\')"
                    as SQLQueryString)
        }
        query.appendInterpolation(" ORDER BY i.published_at DESC, i.id DESC LIMIT \(bind: limit)" as SQLQueryString)
        return try await db.raw(query).all().map(Self.decode)
    }

    func insertRevision(_ revision: ItemRevision) async throws {
        try await db.raw(
            """
            INSERT INTO community_item_revisions (item_id, number, title, body, tags, author_id, created_at, note)
            VALUES (\(bind: revision.itemID.rawValue), \(bind: revision.number), \(bind: revision.title), \(bind: revision.body),
                    \(bind: revision.tags.joined(separator: " ")), \(bind: revision.authorID.rawValue),
                    \(bind: revision.createdAt.milliseconds), \(bind: revision.note))
            """
        ).run()
    }

    func revisions(of item: CommunityItem.ID) async throws -> [ItemRevision] {
        try await db.raw(
            "SELECT * FROM community_item_revisions WHERE item_id = \(bind: item.rawValue) ORDER BY number DESC"
        ).all().map(Self.decodeRevision)
    }

    func revision(_ number: Int, of item: CommunityItem.ID) async throws -> ItemRevision? {
        try await db.raw(
            "SELECT * FROM community_item_revisions WHERE item_id = \(bind: item.rawValue) AND number = \(bind: number)"
        ).first().map(Self.decodeRevision)
    }

    func insertComment(_ comment: CommunityComment) async throws {
        try await db.raw(
            """
            INSERT INTO community_comments (id, item_id, author_id, body, created_at)
            VALUES (\(bind: comment.id.rawValue), \(bind: comment.itemID.rawValue), \(bind: comment.authorID.rawValue),
                    \(bind: comment.body), \(bind: comment.createdAt.milliseconds))
            """
        ).run()
        try await touch(comment.itemID, at: comment.createdAt)
    }

    func updateComment(_ comment: CommunityComment) async throws {
        try await db.raw(
            """
            UPDATE community_comments SET body = \(bind: comment.body), edited_at = \(bind: comment.editedAt?.milliseconds),
                deleted_at = \(bind: comment.deletedAt?.milliseconds)
            WHERE id = \(bind: comment.id.rawValue)
            """
        ).run()
    }

    func comment(id: CommunityComment.ID) async throws -> CommunityComment? {
        try await db.raw("SELECT * FROM community_comments WHERE id = \(bind: id.rawValue)").first().map(Self.decodeComment)
    }

    func comments(of item: CommunityItem.ID, limit: Int, offset: Int) async throws -> [CommunityComment] {
        try await db.raw(
            """
            SELECT * FROM community_comments WHERE item_id = \(bind: item.rawValue) AND moderation IS NULL
            ORDER BY id LIMIT \(bind: limit) OFFSET \(bind: offset)
            """
        ).all().map(Self.decodeComment)
    }

    func commenters(of item: CommunityItem.ID) async throws -> [Member.ID] {
        try await db.raw(
            """
            SELECT DISTINCT author_id FROM community_comments WHERE item_id = \(bind: item.rawValue) AND deleted_at IS NULL
            """
        ).all().map { Member.ID(try $0.decode(column: "author_id", as: Int64.self)) }
    }

    func rate(_ item: CommunityItem.ID, by member: Member.ID, stars: Int, at: Date) async throws -> Int? {
        let previous = try await rating(of: item, by: member)
        try await db.raw(
            """
            INSERT INTO community_item_ratings (item_id, member_id, stars, created_at)
            VALUES (\(bind: item.rawValue), \(bind: member.rawValue), \(bind: stars), \(bind: at.milliseconds))
            ON CONFLICT (item_id, member_id) DO UPDATE SET stars = excluded.stars, created_at = excluded.created_at
            """
        ).run()
        try await touch(item, at: at)
        return previous
    }

    func rating(of item: CommunityItem.ID, by member: Member.ID) async throws -> Int? {
        try await db.raw(
            """
            SELECT stars FROM community_item_ratings WHERE item_id = \(bind: item.rawValue) AND member_id = \(bind: member.rawValue)
            """
        ).first().map { Int(try $0.decode(column: "stars", as: Int64.self)) }
    }

    func favourite(_ item: CommunityItem.ID, by member: Member.ID, at: Date) async throws -> Bool {
        let added = try await db.raw(
            """
            INSERT INTO community_item_favourites (item_id, member_id, created_at)
            VALUES (\(bind: item.rawValue), \(bind: member.rawValue), \(bind: at.milliseconds))
            ON CONFLICT (item_id, member_id) DO NOTHING RETURNING item_id
            """
        ).first() != nil
        if added { try await touch(item, at: at) }
        return added
    }

    func unfavourite(_ item: CommunityItem.ID, by member: Member.ID) async throws -> Bool {
        try await db.raw(
            """
            DELETE FROM community_item_favourites WHERE item_id = \(bind: item.rawValue) AND member_id = \(bind: member.rawValue)
            RETURNING item_id
            """
        ).first() != nil
    }

    func favourited(by member: Member.ID, among items: [CommunityItem.ID]) async throws -> Set<CommunityItem.ID> {
        guard !items.isEmpty else { return [] }
        return Set(
            try await db.raw(
                """
                SELECT item_id FROM community_item_favourites
                WHERE member_id = \(bind: member.rawValue) AND item_id IN \(SQLQueryString.idList(items))
                """
            ).all().map { CommunityItem.ID(try $0.decode(column: "item_id", as: Int64.self)) })
    }

    func recordView(_ item: CommunityItem.ID, by member: Member.ID, at: Date) async throws -> Bool {
        let added = try await db.raw(
            """
            INSERT INTO community_item_views (item_id, member_id, created_at)
            VALUES (\(bind: item.rawValue), \(bind: member.rawValue), \(bind: at.milliseconds))
            ON CONFLICT (item_id, member_id) DO NOTHING RETURNING item_id
            """
        ).first() != nil
        if added {
            try await db.raw("UPDATE community_items SET views_count = views_count + 1 WHERE id = \(bind: item.rawValue)").run()
        }
        return added
    }

    func hasViewed(_ item: CommunityItem.ID, by member: Member.ID) async throws -> Bool {
        try await db.raw(
            """
            SELECT 1 AS seen FROM community_item_views WHERE item_id = \(bind: item.rawValue) AND member_id = \(bind: member.rawValue)
            """
        ).first() != nil
    }

    func adjustCounts(_ item: CommunityItem.ID, comments: Int, favourites: Int, ratings: Int, ratingTotal: Int) async throws {
        try await db.raw(
            """
            UPDATE community_items SET comments_count = comments_count + \(bind: comments),
                favourites_count = favourites_count + \(bind: favourites), ratings_count = ratings_count + \(bind: ratings),
                ratings_total = ratings_total + \(bind: ratingTotal)
            WHERE id = \(bind: item.rawValue)
            """
        ).run()
    }

    func popularContributors(in community: Community.ID, since: Date, limit: Int) async throws -> [(member: Member.ID, score: Int)] {
        let c = community.rawValue
        let s = since.milliseconds
        // What others valued in one's items: favourites, and ratings of four or five stars.
        return try await db.raw(
            """
            SELECT author_id, COUNT(*) AS score FROM (
                SELECT i.author_id FROM community_item_favourites f JOIN community_items i ON i.id = f.item_id
                WHERE i.community_id = \(bind: c) AND f.created_at >= \(bind: s) AND f.member_id <> i.author_id
                UNION ALL
                SELECT i.author_id FROM community_item_ratings r JOIN community_items i ON i.id = r.item_id
                WHERE i.community_id = \(bind: c) AND r.created_at >= \(bind: s) AND r.stars >= 4 AND r.member_id <> i.author_id
            ) valued
            GROUP BY author_id ORDER BY score DESC, author_id LIMIT \(bind: limit)
            """
        ).all().map {
            (Member.ID(try $0.decode(column: "author_id", as: Int64.self)), Int(try $0.decode(column: "score", as: Int64.self)))
        }
    }

    /// Something happened on the item: it moves up among the recently active (the candidates of "what's popular").
    private func touch(_ item: CommunityItem.ID, at: Date) async throws {
        try await db.raw(
            """
            UPDATE community_items SET last_activity_at = \(bind: at.milliseconds)
            WHERE id = \(bind: item.rawValue) AND last_activity_at < \(bind: at.milliseconds)
            """
        ).run()
    }

    static func decode(_ row: any SQLRow) throws -> CommunityItem {
        var item = try decodeColumns(row)
        item.withholding = try row.decode(column: "moderation", as: String?.self).flatMap(Withholding.init(rawValue:))
        item.health = try row.decode(column: "health", as: String?.self).flatMap(ContentHealth.init(rawValue:))
        item.reviewedAt = try row.decode(column: "reviewed_at", as: Int64?.self).map(Date.init(milliseconds:))
        return item
    }

    private static func decodeColumns(_ row: any SQLRow) throws -> CommunityItem {
        let fileName = try row.decode(column: "file_name", as: String?.self)
        let storageKey = try row.decode(column: "storage_key", as: String?.self)
        let link = try row.decode(column: "link", as: String?.self)
        let resource: CommunityItem.Resource? =
            storageKey == nil && link == nil
            ? nil
            : CommunityItem.Resource(
                fileName: fileName, contentType: try row.decode(column: "content_type", as: String?.self),
                byteSize: Int(try row.decode(column: "byte_size", as: Int64.self)), storageKey: storageKey, link: link)
        var feature: CommunityItem.Feature?
        if let at = try row.decode(column: "featured_at", as: Int64?.self),
            let by = try row.decode(column: "featured_by", as: Int64?.self)
        {
            feature = CommunityItem.Feature(
                note: try row.decode(column: "feature_note", as: String?.self) ?? "", by: Member.ID(by), at: Date(milliseconds: at))
        }
        return CommunityItem(
            id: CommunityItem.ID(try row.decode(column: "id", as: Int64.self)),
            communityID: Community.ID(try row.decode(column: "community_id", as: Int64.self)),
            kind: CommunityItem.Kind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .thread,
            title: try row.decode(column: "title", as: String.self),
            body: try row.decode(column: "body", as: String.self),
            tags: try row.decode(column: "tags", as: String.self).split(separator: " ").map(String.init),
            authorID: Member.ID(try row.decode(column: "author_id", as: Int64.self)),
            state: CommunityItem.State(rawValue: try row.decode(column: "state", as: String.self)) ?? .draft,
            publishedAt: try row.decode(column: "published_at", as: Int64?.self).map(Date.init(milliseconds:)),
            pinned: try row.decode(column: "pinned", as: Int64.self) != 0,
            closed: try row.decode(column: "closed", as: Int64.self) != 0,
            announcement: try row.decode(column: "announcement", as: Int64.self) != 0,
            revision: Int(try row.decode(column: "revision", as: Int64.self)),
            resource: resource, feature: feature,
            importKey: try row.decode(column: "import_key", as: String?.self),
            counts: CommunityItem.Counts(
                views: Int(try row.decode(column: "views_count", as: Int64.self)),
                comments: Int(try row.decode(column: "comments_count", as: Int64.self)),
                favourites: Int(try row.decode(column: "favourites_count", as: Int64.self)),
                ratings: Int(try row.decode(column: "ratings_count", as: Int64.self)),
                ratingTotal: Int(try row.decode(column: "ratings_total", as: Int64.self))),
            createdAt: Date(milliseconds: try row.decode(column: "created_at", as: Int64.self)),
            updatedAt: Date(milliseconds: try row.decode(column: "updated_at", as: Int64.self)))
    }

    static func decodeRevision(_ row: any SQLRow) throws -> ItemRevision {
        ItemRevision(
            itemID: CommunityItem.ID(try row.decode(column: "item_id", as: Int64.self)),
            number: Int(try row.decode(column: "number", as: Int64.self)),
            title: try row.decode(column: "title", as: String.self),
            body: try row.decode(column: "body", as: String.self),
            tags: try row.decode(column: "tags", as: String.self).split(separator: " ").map(String.init),
            authorID: Member.ID(try row.decode(column: "author_id", as: Int64.self)),
            createdAt: Date(milliseconds: try row.decode(column: "created_at", as: Int64.self)),
            note: try row.decode(column: "note", as: String.self))
    }

    static func decodeComment(_ row: any SQLRow) throws -> CommunityComment {
        CommunityComment(
            id: CommunityComment.ID(try row.decode(column: "id", as: Int64.self)),
            itemID: CommunityItem.ID(try row.decode(column: "item_id", as: Int64.self)),
            authorID: Member.ID(try row.decode(column: "author_id", as: Int64.self)),
            body: try row.decode(column: "body", as: String.self),
            createdAt: Date(milliseconds: try row.decode(column: "created_at", as: Int64.self)),
            editedAt: try row.decode(column: "edited_at", as: Int64?.self).map(Date.init(milliseconds:)),
            deletedAt: try row.decode(column: "deleted_at", as: Int64?.self).map(Date.init(milliseconds:)))
    }
}
