import Foundation
import PollenCore
import SQLKit

struct SQLPostRepository: PostRepository {
    let db: any SQLDatabase
    /// SQLite keeps a separate FTS5 index of post texts, written here; PostgreSQL indexes the column itself.
    let dialect: Dialect
    let changes: ChangeRecorder

    private static let columnNames = [
        "id", "author_id", "body", "visibility", "reply_to_id", "reply_to_author_id", "thread_root_id",
        "reshare_of_id", "hashtags", "mention_ids", "created_at", "edited_at", "deleted_at", "replies_count",
        "reshares_count", "favourites_count",
    ]
    /// What a read selects: the inserted columns and the moderation state, which only moderation writes.
    private static func columns(_ alias: String = "p") -> String {
        (columnNames + ["moderation"]).map { "\(alias).\($0)" }.joined(separator: ", ")
    }
    /// The post columns of a query whose posts table is aliased `p`.
    static let selectColumns = columns()

    func insert(_ post: Post) async throws {
        var query = SQLQueryString("INSERT INTO posts (\(unsafeRaw: Self.columnNames.joined(separator: ", "))) VALUES ")
        query.appendInterpolation(Self.values(post))
        try await db.raw(query).run()
        changes.arrival(of: post)
        changes.member(post.authorID)
        try await writeTagsAndMentions(post)
        try await indexText(of: post.id, author: post.authorID, body: post.body, isNew: true)
        if !post.isDeleted { try await MemberCounts(db: db, changes: changes).posted(post.authorID, by: 1, at: post.createdAt) }
    }

    /// The author as one word of SQLite's full-text index (see migration 0007), so `from:` searches let the
    /// index intersect the author's posts with the words instead of checking the author's posts one by one.
    static func authorToken(_ author: Member.ID) -> String { "a\(author.rawValue)" }

    /// Keeps SQLite's full-text index in step with a post's text; deleted posts leave it.
    private func indexText(of id: Post.ID, author: Member.ID?, body: String?, isNew: Bool = false) async throws {
        guard dialect == .sqlite else { return }
        if !isNew { try await db.raw("DELETE FROM posts_fts WHERE rowid = \(bind: id.rawValue)").run() }
        if let author, let body, !body.isEmpty {
            try await db.raw(
                "INSERT INTO posts_fts (rowid, body, author) VALUES (\(bind: id.rawValue), \(bind: body), \(bind: Self.authorToken(author)))"
            ).run()
        }
    }

    private func writeTagsAndMentions(_ post: Post) async throws {
        for tag in post.hashtags {
            try await db.raw("INSERT INTO post_tags (tag, post_id) VALUES (\(bind: tag), \(bind: post.id.rawValue))").run()
        }
        try await TagCounts(db: db).apply(posts: TagCounts.tally(post.hashtags))
        for member in post.mentionIDs {
            try await db.raw(
                "INSERT INTO post_mentions (member_id, post_id) VALUES (\(bind: member.rawValue), \(bind: post.id.rawValue))"
            ).run()
        }
    }

    private func removeTags(of post: Post.ID) async throws {
        let removed = try await db.raw("DELETE FROM post_tags WHERE post_id = \(bind: post.rawValue) RETURNING tag").all()
            .map { try $0.decode(column: "tag", as: String.self) }
        try await TagCounts(db: db).apply(posts: TagCounts.tally(removed, -1))
    }

    func find(id: Post.ID) async throws -> Post? {
        try await db.raw("SELECT \(unsafeRaw: Self.columns()) FROM posts p WHERE p.id = \(bind: id.rawValue)").first()
            .map(Self.decode)
    }

    func find(ids: [Post.ID]) async throws -> [Post] {
        guard !ids.isEmpty else { return [] }
        return try await db.raw("SELECT \(unsafeRaw: Self.columns()) FROM posts p WHERE p.id IN \(SQLQueryString.idList(ids))")
            .all().map(Self.decode)
    }

    func update(_ post: Post, replacing previous: PostRevision) async throws {
        // New hashtags or mentions may bring the post into timelines it was not in.
        changes.arrival(of: post)
        try await db.raw(
            """
            INSERT INTO post_revisions (post_id, body, replaced_at)
            VALUES (\(bind: previous.postID.rawValue), \(bind: previous.body), \(bind: previous.replacedAt.milliseconds))
            """
        ).run()
        try await db.raw(
            """
            UPDATE posts SET body = \(bind: post.body), visibility = \(bind: post.visibility.rawValue),
                hashtags = \(bind: post.hashtags.joined(separator: ",")), mention_ids = \(bind: Self.idText(post.mentionIDs)),
                edited_at = \(bind: post.editedAt?.milliseconds)
            WHERE id = \(bind: post.id.rawValue)
            """
        ).run()
        try await removeTags(of: post.id)
        try await db.raw("DELETE FROM post_mentions WHERE post_id = \(bind: post.id.rawValue)").run()
        try await writeTagsAndMentions(post)
        try await indexText(of: post.id, author: post.authorID, body: post.body)
    }

    func revisions(of post: Post.ID) async throws -> [PostRevision] {
        try await db.raw(
            "SELECT body, replaced_at FROM post_revisions WHERE post_id = \(bind: post.rawValue) ORDER BY replaced_at"
        ).all().map { row in
            PostRevision(
                postID: post, body: try row.decode(column: "body", as: String.self),
                replacedAt: Date(milliseconds: try row.decode(column: "replaced_at", as: Int64.self)))
        }
    }

    func markDeleted(_ id: Post.ID, at: Date) async throws {
        changes.post(id)
        let deleted = try await db.raw(
            """
            UPDATE posts SET deleted_at = \(bind: at.milliseconds) WHERE id = \(bind: id.rawValue) AND deleted_at IS NULL
            RETURNING author_id
            """
        ).first()
        // Counted once, however often it is called; the clean-up below is safe to repeat.
        if let deleted {
            try await MemberCounts(db: db, changes: changes).posted(Member.ID(try deleted.decode(column: "author_id", as: Int64.self)), by: -1)
        }
        // A deleted post no longer shows under its hashtags.
        try await removeTags(of: id)
        try await indexText(of: id, author: nil, body: nil)
    }

    func thread(root: Post.ID) async throws -> [Post] {
        try await db.raw(
            "SELECT \(unsafeRaw: Self.columns()) FROM posts p WHERE p.thread_root_id = \(bind: root.rawValue) ORDER BY p.id"
        ).all().map(Self.decode)
    }

    func reshare(of original: Post.ID, by member: Member.ID) async throws -> Post? {
        try await db.raw(
            """
            SELECT \(unsafeRaw: Self.columns()) FROM posts p
            WHERE p.reshare_of_id = \(bind: original.rawValue) AND p.author_id = \(bind: member.rawValue)
              AND p.deleted_at IS NULL
            ORDER BY (CASE WHEN p.body = '' THEN 0 ELSE 1 END), p.id DESC LIMIT 1
            """
        ).first().map(Self.decode)
    }

    func adjustCounts(_ id: Post.ID, replies: Int, reshares: Int, favourites: Int) async throws {
        changes.post(id)
        try await db.raw(
            """
            UPDATE posts SET replies_count = replies_count + \(bind: replies),
                reshares_count = reshares_count + \(bind: reshares),
                favourites_count = favourites_count + \(bind: favourites)
            WHERE id = \(bind: id.rawValue)
            """
        ).run()
    }

    func favourite(_ post: Post.ID, by member: Member.ID, id: Int64, at: Date) async throws -> Bool {
        try await mark("favourites", post, member, id: id, at: at)
    }

    func unfavourite(_ post: Post.ID, by member: Member.ID) async throws -> Bool {
        try await unmark("favourites", post, member)
    }

    func bookmark(_ post: Post.ID, by member: Member.ID, id: Int64, at: Date) async throws -> Bool {
        try await mark("bookmarks", post, member, id: id, at: at)
    }

    func unbookmark(_ post: Post.ID, by member: Member.ID) async throws -> Bool {
        try await unmark("bookmarks", post, member)
    }

    private func mark(_ table: String, _ post: Post.ID, _ member: Member.ID, id: Int64, at: Date) async throws -> Bool {
        // The member's marks show in every status of the post they see.
        changes.member(member)
        return try await db.raw(
            """
            INSERT INTO \(unsafeRaw: table) (id, member_id, post_id, created_at)
            VALUES (\(bind: id), \(bind: member.rawValue), \(bind: post.rawValue), \(bind: at.milliseconds))
            ON CONFLICT (member_id, post_id) DO NOTHING RETURNING id
            """
        ).first() != nil
    }

    private func unmark(_ table: String, _ post: Post.ID, _ member: Member.ID) async throws -> Bool {
        changes.member(member)
        return try await db.raw(
            """
            DELETE FROM \(unsafeRaw: table) WHERE member_id = \(bind: member.rawValue) AND post_id = \(bind: post.rawValue)
            RETURNING id
            """
        ).first() != nil
    }

    func marks(of member: Member.ID, on posts: [Post.ID]) async throws -> PostMarks {
        guard !posts.isEmpty else { return PostMarks() }
        let list = SQLQueryString.idList(posts.uniqued())
        // One round trip for the three kinds: this runs for every page of posts.
        let m = member.rawValue
        let rows = try await db.raw(
            """
            SELECT 'f' AS kind, post_id FROM favourites WHERE member_id = \(bind: m) AND post_id IN \(list)
            UNION ALL
            SELECT 'b' AS kind, post_id FROM bookmarks WHERE member_id = \(bind: m) AND post_id IN \(list)
            UNION ALL
            SELECT 'r' AS kind, reshare_of_id AS post_id FROM posts
            WHERE author_id = \(bind: m) AND deleted_at IS NULL AND reshare_of_id IN \(list)
            """
        ).all()
        var marks = PostMarks()
        for row in rows {
            let id = Post.ID(try row.decode(column: "post_id", as: Int64.self))
            switch try row.decode(column: "kind", as: String.self) {
            case "f": marks.favourited.insert(id)
            case "b": marks.bookmarked.insert(id)
            default: marks.reshared.insert(id)
            }
        }
        return marks
    }

    func bookmarked(by member: Member.ID, range: CursorRange) async throws -> [PostEntry] {
        try await markedPosts("bookmarks", member, range)
    }

    func favourited(by member: Member.ID, range: CursorRange) async throws -> [PostEntry] {
        try await markedPosts("favourites", member, range)
    }

    private func markedPosts(_ table: String, _ member: Member.ID, _ range: CursorRange) async throws -> [PostEntry] {
        var query = SQLQueryString(
            """
            SELECT k.id AS cursor, \(unsafeRaw: Self.columns()) FROM \(unsafeRaw: table) k JOIN posts p ON p.id = k.post_id
            WHERE k.member_id = \(bind: member.rawValue) AND p.deleted_at IS NULL AND p.moderation IS NULL
            """)
        query.appendInterpolation(SQLNetworkRepository.cursorClause(range, column: "k.id"))
        return try await Self.entries(query, range: range, on: db)
    }

    func timeline(_ source: TimelineSource, viewer: Member.ID, range: CursorRange) async throws -> [PostEntry] {
        let v = viewer.rawValue
        let columns = Self.columns()
        var query: SQLQueryString
        var order = "p.id"
        var mutesApply = true
        switch source {
        case .home(let member):
            return try await homeTimeline(member, viewer: v, range: range)
        case .organization:
            query = "SELECT p.id AS cursor, \(unsafeRaw: columns) FROM posts p WHERE p.visibility = 'organization'"
        case .hashtag(let tag):
            // Led by the hashtag's own index in id order, so a busy hashtag is read only as far as the page.
            query = """
                SELECT t.post_id AS cursor, \(unsafeRaw: columns) FROM post_tags t JOIN posts p ON p.id = t.post_id
                WHERE t.tag = \(bind: tag)
                """
            order = "t.post_id"
        case .author(let author):
            query = "SELECT p.id AS cursor, \(unsafeRaw: columns) FROM posts p WHERE p.author_id = \(bind: author.rawValue)"
            mutesApply = false
        }
        query.appendLiteral(" AND p.deleted_at IS NULL AND p.moderation IS NULL")
        query.appendInterpolation(Self.visibilityFilter(viewer: v, mutesApply: mutesApply))
        query.appendInterpolation(SQLNetworkRepository.cursorClause(range, column: order))
        return try await Self.entries(query, range: range, on: db)
    }

    /// Home is the union of the member's own posts, their followees' and those with hashtags they follow.
    /// Asked for in one ordered query, both engines read every post of every source before sorting —
    /// hundreds of milliseconds for a member who follows busy people or hashtags. Bounded to an id window
    /// (ids grow with time), each source is one short index range, so the page is read in windows that
    /// start at the newest end and widen until it is full. See ARCHITECTURE.md, "Home timeline".
    private func homeTimeline(_ member: Member.ID, viewer v: Int64, range: CursorRange) async throws -> [PostEntry] {
        // Two subqueries, as each engine answers a lone MIN or MAX from the index end but scans for both at once.
        guard let extent = try await db.raw("SELECT (SELECT MIN(id) FROM posts) AS low, (SELECT MAX(id) FROM posts) AS high").first(),
            let oldest = try extent.decode(column: "low", as: Int64?.self),
            let newest = try extent.decode(column: "high", as: Int64?.self)
        else { return [] }
        let m = member.rawValue
        let ascending = range.readsUpward
        // Exclusive bounds of what the page may hold.
        let floor = max(range.after ?? 0, range.nearestAfter ?? 0, oldest - 1)
        let ceiling = min(range.before ?? Int64.max, newest + 1)
        var span = Self.firstHomeWindow
        var found: [PostEntry] = []
        var low = floor
        var high = ceiling
        if ascending { high = ceiling - floor > span ? floor + span + 1 : ceiling } else { low = ceiling - floor > span ? ceiling - span - 1 : floor }
        while found.count < range.limit, low < high - 1 {
            var query = SQLQueryString(
                """
                SELECT p.id AS cursor, \(unsafeRaw: Self.columns()) FROM posts p
                WHERE p.id IN (
                    SELECT id FROM posts WHERE id > \(bind: low) AND id < \(bind: high) AND author_id IN (
                        SELECT followee_id FROM follows WHERE follower_id = \(bind: m) UNION ALL SELECT \(bind: m))
                    UNION
                    SELECT post_id FROM post_tags WHERE post_id > \(bind: low) AND post_id < \(bind: high) AND tag IN (
                        SELECT tag FROM tag_follows WHERE member_id = \(bind: m)))
                AND p.deleted_at IS NULL AND p.moderation IS NULL
                """)
            query.appendInterpolation(Self.visibilityFilter(viewer: v, mutesApply: true))
            query.appendInterpolation(
                " ORDER BY p.id \(unsafeRaw: ascending ? "ASC" : "DESC") LIMIT \(bind: range.limit - found.count)"
                    as SQLQueryString)
            let rows = try await db.raw(query).all()
            found += try rows.map(Self.entry)
            // A quiet network needs a wider window; growing it fourfold keeps the number of queries small
            // even when the page reaches back months.
            span = span > Int64.max / 4 ? Int64.max / 2 : span * 4
            if ascending {
                guard high < ceiling else { break }
                low = high - 1
                high = ceiling - low > span ? low + span + 1 : ceiling
            } else {
                guard low > floor else { break }
                high = low + 1
                low = high - floor > span ? high - span - 1 : floor
            }
        }
        return ascending ? found.reversed() : found
    }

    /// The first window of a home page: six hours of posts from the newest end.
    static let firstHomeWindow = SnowflakeIDGenerator.idSpan(seconds: 6 * 3600)

    /// The conditions every list of posts applies for `viewer`: what the post's visibility allows, no
    /// authors across a block, no muted authors where `mutesApply`, and no reshares of what could not be shown.
    static func visibilityFilter(viewer v: Int64, mutesApply: Bool) -> SQLQueryString {
        var filter = SQLQueryString("")
        // What the viewer may see: organization posts, their own, those mentioning them, and followers-only
        // posts of people they follow; never posts of people who block them or whom they block.
        filter.appendInterpolation(
            """
             AND (p.visibility = 'organization' OR p.author_id = \(bind: v)
                  OR EXISTS (SELECT 1 FROM post_mentions pm WHERE pm.post_id = p.id AND pm.member_id = \(bind: v))
                  OR (p.visibility = 'followers' AND EXISTS (SELECT 1 FROM follows f
                        WHERE f.follower_id = \(bind: v) AND f.followee_id = p.author_id)))
             AND NOT EXISTS (SELECT 1 FROM blocks b WHERE (b.member_id = p.author_id AND b.target_id = \(bind: v))
                                                       OR (b.member_id = \(bind: v) AND b.target_id = p.author_id))
            """ as SQLQueryString)
        if mutesApply {
            filter.appendInterpolation(
                " AND NOT EXISTS (SELECT 1 FROM mutes mu WHERE mu.member_id = \(bind: v) AND mu.target_id = p.author_id)"
                    as SQLQueryString)
        }
        // A reshare passes on someone else's post: it goes wherever that post could not be shown.
        filter.appendInterpolation(
            """
             AND NOT EXISTS (SELECT 1 FROM posts o WHERE o.id = p.reshare_of_id AND (o.deleted_at IS NOT NULL OR o.moderation IS NOT NULL
                  OR EXISTS (SELECT 1 FROM blocks b WHERE (b.member_id = o.author_id AND b.target_id = \(bind: v))
                                                       OR (b.member_id = \(bind: v) AND b.target_id = o.author_id))
            """ as SQLQueryString)
        if mutesApply {
            filter.appendInterpolation(
                " OR EXISTS (SELECT 1 FROM mutes mo WHERE mo.member_id = \(bind: v) AND mo.target_id = o.author_id)"
                    as SQLQueryString)
        }
        filter.appendLiteral("))")
        return filter
    }

    /// A page of posts from a query selecting `cursor` and the post columns, newest first.
    static func entries(_ query: SQLQueryString, range: CursorRange, on db: any SQLDatabase) async throws -> [PostEntry] {
        let entries = try await db.raw(query).all().map(entry)
        return range.readsUpward ? entries.reversed() : entries
    }

    static func entry(_ row: any SQLRow) throws -> PostEntry {
        PostEntry(cursor: try row.decode(column: "cursor", as: Int64.self), post: try decode(row))
    }

    /// A post's row, in the order of `columnNames`.
    static func values(_ post: Post) -> SQLQueryString {
        """
        (\(bind: post.id.rawValue), \(bind: post.authorID.rawValue), \(bind: post.body),
         \(bind: post.visibility.rawValue), \(bind: post.replyToID?.rawValue),
         \(bind: post.replyToAuthorID?.rawValue), \(bind: post.threadRootID.rawValue),
         \(bind: post.reshareOfID?.rawValue), \(bind: post.hashtags.joined(separator: ",")),
         \(bind: Self.idText(post.mentionIDs)), \(bind: post.createdAt.milliseconds),
         \(bind: post.editedAt?.milliseconds), \(bind: post.deletedAt?.milliseconds),
         \(bind: post.counts.replies), \(bind: post.counts.reshares), \(bind: post.counts.favourites))
        """
    }

    static func idText(_ ids: [Member.ID]) -> String {
        ids.map(\.description).joined(separator: ",")
    }

    static func decode(_ row: any SQLRow) throws -> Post {
        func id(_ column: String) throws -> Int64? { try row.decode(column: column, as: Int64?.self) }
        func date(_ column: String) throws -> Date? { try id(column).map(Date.init(milliseconds:)) }
        var post = Post(
            id: Post.ID(try row.decode(column: "id", as: Int64.self)),
            authorID: Member.ID(try row.decode(column: "author_id", as: Int64.self)),
            body: try row.decode(column: "body", as: String.self),
            visibility: Post.Visibility(rawValue: try row.decode(column: "visibility", as: String.self)) ?? .mentioned,
            replyToID: try id("reply_to_id").map(Post.ID.init), replyToAuthorID: try id("reply_to_author_id").map(Member.ID.init),
            threadRootID: Post.ID(try row.decode(column: "thread_root_id", as: Int64.self)),
            reshareOfID: try id("reshare_of_id").map(Post.ID.init),
            hashtags: try row.decode(column: "hashtags", as: String.self).split(separator: ",").map(String.init),
            mentionIDs: try row.decode(column: "mention_ids", as: String.self).split(separator: ",")
                .compactMap { Int64($0) }.map(Member.ID.init),
            createdAt: Date(milliseconds: try row.decode(column: "created_at", as: Int64.self)),
            editedAt: try date("edited_at"), deletedAt: try date("deleted_at"),
            counts: Post.Counts(
                replies: Int(try row.decode(column: "replies_count", as: Int64.self)),
                reshares: Int(try row.decode(column: "reshares_count", as: Int64.self)),
                favourites: Int(try row.decode(column: "favourites_count", as: Int64.self))))
        post.withholding = try row.decode(column: "moderation", as: String?.self).flatMap(Withholding.init(rawValue:))
        return post
    }
}

extension SQLPostRepository {
    func insertMany(_ posts: [Post]) async throws {
        changes.everything()
        for chunk in posts.chunked(into: 200) {
            var query = SQLQueryString("INSERT INTO posts (\(unsafeRaw: Self.columnNames.joined(separator: ", "))) VALUES ")
            query.appendList(chunk, Self.values)
            try await db.raw(query).run()
            var counts: [Member.ID: MemberCounts.Change] = [:]
            for post in chunk where !post.isDeleted {
                counts[post.authorID, default: .init()].posts += 1
                counts[post.authorID]!.postedAt = max(counts[post.authorID]!.postedAt ?? 0, post.createdAt.milliseconds)
            }
            try await MemberCounts(db: db, changes: changes).apply(counts)
            // Deleted posts are kept for their threads but, as after a deletion, not under their hashtags.
            let tagged = chunk.filter { !$0.isDeleted }
            try await insertPairs("post_tags (tag, post_id)", tagged.flatMap { post in post.hashtags.map { ($0, post.id.rawValue) } })
            try await TagCounts(db: db).apply(posts: TagCounts.tally(tagged.flatMap(\.hashtags)))
            try await insertPairs(
                "post_mentions (member_id, post_id)",
                chunk.flatMap { post in post.mentionIDs.map { ($0.rawValue, post.id.rawValue) } })
            if dialect == .sqlite {
                let texts = chunk.filter { !$0.body.isEmpty && !$0.isDeleted }
                if !texts.isEmpty {
                    var index = SQLQueryString("INSERT INTO posts_fts (rowid, body, author) VALUES ")
                    index.appendList(texts) { "(\(bind: $0.id.rawValue), \(bind: $0.body), \(bind: Self.authorToken($0.authorID)))" }
                    try await db.raw(index).run()
                }
            }
        }
    }

    private func insertPairs<A: Encodable & Sendable, B: Encodable & Sendable>(_ target: String, _ rows: [(A, B)]) async throws {
        for chunk in rows.chunked(into: SQLNetworkRepository.bulkChunk) {
            var query = SQLQueryString("INSERT INTO \(unsafeRaw: target) VALUES ")
            query.appendList(chunk) { "(\(bind: $0.0), \(bind: $0.1))" }
            try await db.raw(query).run()
        }
    }

    func insertFavourites(_ favourites: [(id: Int64, member: Member.ID, post: Post.ID, at: Date)]) async throws {
        changes.everything()
        for chunk in favourites.chunked(into: SQLNetworkRepository.bulkChunk) {
            var query = SQLQueryString("INSERT INTO favourites (id, member_id, post_id, created_at) VALUES ")
            query.appendList(chunk) {
                "(\(bind: $0.id), \(bind: $0.member.rawValue), \(bind: $0.post.rawValue), \(bind: $0.at.milliseconds))"
            }
            query.appendLiteral(" ON CONFLICT (member_id, post_id) DO NOTHING")
            try await db.raw(query).run()
        }
    }
}
