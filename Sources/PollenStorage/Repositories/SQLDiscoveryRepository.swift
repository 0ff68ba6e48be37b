import Foundation
import PollenCore
import SQLKit

struct SQLDiscoveryRepository: DiscoveryRepository {
    let db: any SQLDatabase
    let changes: ChangeRecorder

    /// A followed member `b` through whom the viewer may see further: active, and showing their network to
    /// everyone or (followed-only) following the viewer.
    private static func visibleLink(_ b: String, viewer: Int64) -> SQLQueryString {
        """
        \(unsafeRaw: b).status = 'active' AND (\(unsafeRaw: b).network_audience = 'everyone'
            OR (\(unsafeRaw: b).network_audience = 'followed' AND EXISTS (
                SELECT 1 FROM follows x WHERE x.follower_id = \(unsafeRaw: b).id AND x.followee_id = \(bind: viewer))))
        """
    }

    func friendsOfFriends(of viewer: Member.ID, limit: Int) async throws -> [FriendOfFriend] {
        let v = viewer.rawValue
        // Grouped first, then the people already followed or dismissed are dropped: one probe per distinct
        // candidate instead of one per path. The candidate's network must be visible too: "followed by people
        // you follow" tells who follows them. `NOT IN` reads the viewer's follows and dismissals once into a
        // small index in memory, where `NOT EXISTS` went down the five-million-row follows index for each of
        // the ~12,000 candidates of a member following 400 (neither column holds NULL: the same meaning);
        // `members_network` (migration 0013) answers the visibility checks without reading members' rows.
        // Together: 16 ms against 30 ms for such a member.
        return try await db.raw(
            """
            SELECT g.candidate, g.n FROM (
                SELECT f2.followee_id AS candidate, COUNT(*) AS n
                FROM follows f1
                JOIN members b ON b.id = f1.followee_id
                JOIN follows f2 ON f2.follower_id = f1.followee_id
                WHERE f1.follower_id = \(bind: v) AND f2.followee_id <> \(bind: v) AND \(Self.visibleLink("b", viewer: v))
                GROUP BY f2.followee_id
            ) g
            JOIN members c ON c.id = g.candidate
            WHERE g.candidate NOT IN (SELECT mine.followee_id FROM follows mine WHERE mine.follower_id = \(bind: v))
              AND g.candidate NOT IN (SELECT d.target_id FROM suggestion_dismissals d WHERE d.member_id = \(bind: v))
              AND \(Self.visibleLink("c", viewer: v))
            ORDER BY g.n DESC, g.candidate LIMIT \(bind: limit)
            """
        ).all().map {
            FriendOfFriend(
                member: Member.ID(try $0.decode(column: "candidate", as: Int64.self)),
                sharedFollows: Int(try $0.decode(column: "n", as: Int64.self)))
        }
    }

    func sharedFollowers(of candidates: [Member.ID], for viewer: Member.ID) async throws -> [Member.ID: [Member.ID]] {
        guard !candidates.isEmpty else { return [:] }
        let v = viewer.rawValue
        let rows = try await db.raw(
            """
            SELECT f2.followee_id AS candidate, f2.follower_id AS via
            FROM follows f1
            JOIN members b ON b.id = f1.followee_id
            JOIN follows f2 ON f2.follower_id = f1.followee_id AND f2.followee_id IN \(SQLQueryString.idList(candidates))
            WHERE f1.follower_id = \(bind: v) AND \(Self.visibleLink("b", viewer: v))
            ORDER BY f2.followee_id, f2.follower_id
            """
        ).all()
        var result: [Member.ID: [Member.ID]] = [:]
        for row in rows {
            result[Member.ID(try row.decode(column: "candidate", as: Int64.self)), default: []]
                .append(Member.ID(try row.decode(column: "via", as: Int64.self)))
        }
        return result
    }

    func notToSuggest(to viewer: Member.ID) async throws -> Set<Member.ID> {
        let v = viewer.rawValue
        var result: Set<Member.ID> = [viewer]
        for row in try await db.raw(
            """
            SELECT followee_id AS other FROM follows WHERE follower_id = \(bind: v)
            UNION SELECT target_id FROM suggestion_dismissals WHERE member_id = \(bind: v)
            UNION SELECT target_id FROM blocks WHERE member_id = \(bind: v)
            UNION SELECT member_id FROM blocks WHERE target_id = \(bind: v)
            """
        ).all() {
            result.insert(Member.ID(try row.decode(column: "other", as: Int64.self)))
        }
        return result
    }

    func dismissSuggestion(_ target: Member.ID, for member: Member.ID, at: Date) async throws {
        try await db.raw(
            """
            INSERT INTO suggestion_dismissals (member_id, target_id, created_at)
            VALUES (\(bind: member.rawValue), \(bind: target.rawValue), \(bind: at.milliseconds))
            ON CONFLICT (member_id, target_id) DO NOTHING
            """
        ).run()
    }

    func followedDepartments(of member: Member.ID) async throws -> [String: Int] {
        var result: [String: Int] = [:]
        for row in try await db.raw(
            """
            SELECT m.department_key AS department, COUNT(*) AS n FROM follows f JOIN members m ON m.id = f.followee_id
            WHERE f.follower_id = \(bind: member.rawValue) AND m.department_key <> '' GROUP BY m.department_key
            """
        ).all() {
            result[try row.decode(column: "department", as: String.self)] = Int(try row.decode(column: "n", as: Int64.self))
        }
        return result
    }

    func subjectScores(tags: [String], byActivity: Bool, limit: Int) async throws -> [SubjectScore] {
        var result: [SubjectScore] = []
        // One short index range per subject: scores are kept for the best hundred or two of each.
        for tag in tags {
            let order = byActivity ? "posts + replies DESC, engagement DESC, member_id" : "engagement DESC, member_id"
            result += try await db.raw(
                """
                SELECT tag, member_id, engagement, posts, replies FROM subject_scores WHERE tag = \(bind: tag)
                ORDER BY \(unsafeRaw: order) LIMIT \(bind: limit)
                """
            ).all().map(Self.decodeScore)
        }
        return result
    }

    func computeSubjectScores(since: Date) async throws -> [SubjectScore] {
        let from = since.milliseconds
        // Posts on a subject: those carrying the hashtag, with the reactions they drew (reshares and replies
        // weigh twice a favourite: they pass the post on or answer it). The unary `+` as in `windowPosts`:
        // through `posts_reshares` SQLite read the posts in author order, 21 s against 4 s.
        let authored = try await db.raw(
            """
            SELECT pt.tag AS tag, p.author_id AS member_id,
                   SUM(p.favourites_count + 2 * p.reshares_count + 2 * p.replies_count) AS engagement,
                   SUM(CASE WHEN p.reply_to_id IS NULL THEN 1 ELSE 0 END) AS posts
            FROM posts p JOIN post_tags pt ON pt.post_id = p.id
            WHERE p.created_at >= \(bind: from) AND p.deleted_at IS NULL AND +p.reshare_of_id IS NULL
              AND p.visibility = 'organization'
            GROUP BY pt.tag, p.author_id
            """
        ).all()
        // Answers: replies by others in threads whose first post carries the hashtag.
        let answers = try await db.raw(
            """
            SELECT pt.tag AS tag, r.author_id AS member_id, COUNT(*) AS replies
            FROM posts r JOIN post_tags pt ON pt.post_id = r.thread_root_id
            WHERE r.reply_to_id IS NOT NULL AND r.created_at >= \(bind: from) AND r.deleted_at IS NULL
              AND r.visibility = 'organization' AND r.reply_to_author_id <> r.author_id
            GROUP BY pt.tag, r.author_id
            """
        ).all()
        struct Key: Hashable { let tag: String; let member: Int64 }
        var totals: [Key: (engagement: Int, posts: Int, replies: Int)] = [:]
        for row in authored {
            let key = Key(tag: try row.decode(column: "tag", as: String.self), member: try row.decode(column: "member_id", as: Int64.self))
            totals[key, default: (0, 0, 0)].engagement += Int(try row.decode(column: "engagement", as: Int64.self))
            totals[key, default: (0, 0, 0)].posts += Int(try row.decode(column: "posts", as: Int64.self))
        }
        for row in answers {
            let key = Key(tag: try row.decode(column: "tag", as: String.self), member: try row.decode(column: "member_id", as: Int64.self))
            totals[key, default: (0, 0, 0)].replies += Int(try row.decode(column: "replies", as: Int64.self))
        }
        return totals.map { key, value in
            SubjectScore(tag: key.tag, member: Member.ID(key.member), engagement: value.engagement, posts: value.posts, replies: value.replies)
        }
    }

    func replaceSubjectScores(_ scores: [SubjectScore], popularFollowers: Int, at: Date) async throws {
        try await db.raw("DELETE FROM subject_scores").run()
        for chunk in scores.chunked(into: SQLNetworkRepository.bulkChunk) {
            var query = SQLQueryString("INSERT INTO subject_scores (tag, member_id, engagement, posts, replies) VALUES ")
            query.appendList(chunk) {
                "(\(bind: $0.tag), \(bind: $0.member.rawValue), \(bind: $0.engagement), \(bind: $0.posts), \(bind: $0.replies))"
            }
            try await db.raw(query).run()
        }
        try await db.raw(
            "UPDATE discovery_state SET refreshed_at = \(bind: at.milliseconds), popular_followers = \(bind: popularFollowers) WHERE id = 1"
        ).run()
    }

    func discoveryState() async throws -> (refreshedAt: Date?, popularFollowers: Int) {
        guard let row = try await db.raw("SELECT refreshed_at, popular_followers FROM discovery_state WHERE id = 1").first() else {
            return (nil, 0)
        }
        return (
            try row.decode(column: "refreshed_at", as: Int64?.self).map(Date.init(milliseconds:)),
            Int(try row.decode(column: "popular_followers", as: Int64.self))
        )
    }

    func followersAtRank(_ rank: Int) async throws -> Int {
        Int(
            try await db.raw(
                "SELECT followers FROM member_counts ORDER BY followers DESC LIMIT 1 OFFSET \(bind: max(rank, 0))"
            ).first()?.decode(column: "followers", as: Int64.self) ?? 0)
    }

    func newMembers(since: Date, department: String?, limit: Int) async throws -> [Member] {
        var query = SQLQueryString(
            """
            SELECT \(unsafeRaw: SQLMemberRepository.columns(of: "members")) FROM members
            WHERE created_at >= \(bind: since.milliseconds) AND status = 'active' AND discoverable = 1
            """)
        if let department { query.appendInterpolation(" AND department_key = \(bind: department.lowercased())" as SQLQueryString) }
        query.appendInterpolation(" ORDER BY created_at DESC, id DESC LIMIT \(bind: limit)" as SQLQueryString)
        return try await db.raw(query).all().map(SQLMemberRepository.decode)
    }

    /// Published in the window, seen by the whole organization, not a reshare; by the department's members.
    /// The unary `+` keeps SQLite from reading the window through another index than `posts_created`:
    /// without statistics it takes `reshare_of_id IS NULL` for a selective equality and walked every
    /// original post by `posts_reshares` (4–7 s a query on two million posts, against 0.1–0.3 s by time);
    /// and for a department it read every post ever written by its members through `posts_author` (2 s for
    /// the largest department of a 100,000-member demo, against 0.2 s by time).
    private static func windowPosts(_ window: ActivityWindow) -> SQLQueryString {
        var clause = SQLQueryString(
            """
            p.created_at >= \(bind: window.since.milliseconds) AND p.created_at < \(bind: window.until.milliseconds)
            AND p.deleted_at IS NULL AND +p.reshare_of_id IS NULL AND p.visibility = 'organization'
            """)
        if let department = window.department {
            clause.appendInterpolation(
                " AND +p.author_id IN (SELECT id FROM members WHERE department_key = \(bind: department.lowercased()))" as SQLQueryString)
        }
        return clause
    }

    func mostEngagedAuthors(_ window: ActivityWindow, limit: Int) async throws -> [(member: Member.ID, engagement: Int)] {
        try await db.raw(
            """
            SELECT p.author_id AS member_id, SUM(p.favourites_count + p.reshares_count + p.replies_count) AS engagement
            FROM posts p WHERE \(Self.windowPosts(window))
            GROUP BY p.author_id HAVING SUM(p.favourites_count + p.reshares_count + p.replies_count) > 0
            ORDER BY engagement DESC, member_id LIMIT \(bind: limit)
            """
        ).all().map {
            (Member.ID(try $0.decode(column: "member_id", as: Int64.self)), Int(try $0.decode(column: "engagement", as: Int64.self)))
        }
    }

    func mostEngagedPosts(_ window: ActivityWindow, limit: Int) async throws -> [Post.ID] {
        try await db.raw(
            """
            SELECT p.id FROM posts p WHERE \(Self.windowPosts(window))
              AND p.favourites_count + p.reshares_count + p.replies_count > 0
            ORDER BY p.favourites_count + p.reshares_count + p.replies_count DESC, p.id DESC LIMIT \(bind: limit)
            """
        ).all().map { Post.ID(try $0.decode(column: "id", as: Int64.self)) }
    }

    func tagUse(_ window: ActivityWindow) async throws -> [String: Int] {
        var result: [String: Int] = [:]
        for row in try await db.raw(
            """
            SELECT pt.tag AS tag, COUNT(*) AS n FROM posts p JOIN post_tags pt ON pt.post_id = p.id
            WHERE \(Self.windowPosts(window)) GROUP BY pt.tag
            """
        ).all() {
            result[try row.decode(column: "tag", as: String.self)] = Int(try row.decode(column: "n", as: Int64.self))
        }
        return result
    }

    func recordOpen(member: Member.ID, author: Member.ID, at: Date) async throws {
        // Nothing shown to anyone changes: no change report.
        try await db.raw(
            """
            INSERT INTO author_opens (member_id, author_id, opened_at)
            VALUES (\(bind: member.rawValue), \(bind: author.rawValue), \(bind: at.milliseconds))
            ON CONFLICT (member_id, author_id) DO NOTHING
            """
        ).run()
    }

    func openedAuthors(by member: Member.ID, among authors: [Member.ID]) async throws -> Set<Member.ID> {
        guard !authors.isEmpty else { return [] }
        return Set(
            try await db.raw(
                """
                SELECT author_id FROM author_opens
                WHERE member_id = \(bind: member.rawValue) AND author_id IN \(SQLQueryString.idList(authors))
                """
            ).all().map { Member.ID(try $0.decode(column: "author_id", as: Int64.self)) })
    }

    func followActivity(of member: Member.ID) async throws -> [FollowActivity] {
        try await db.raw(
            """
            SELECT f.followee_id, f.created_at, c.last_posted_at FROM follows f
            LEFT JOIN member_counts c ON c.member_id = f.followee_id
            WHERE f.follower_id = \(bind: member.rawValue)
            """
        ).all().map {
            FollowActivity(
                member: Member.ID(try $0.decode(column: "followee_id", as: Int64.self)),
                since: Date(milliseconds: try $0.decode(column: "created_at", as: Int64.self)),
                lastPostedAt: try $0.decode(column: "last_posted_at", as: Int64?.self).map(Date.init(milliseconds:)))
        }
    }

    func engagedAuthors(by member: Member.ID) async throws -> Set<Member.ID> {
        let m = member.rawValue
        return Set(
            try await db.raw(
                """
                SELECT author_id AS author FROM author_opens WHERE member_id = \(bind: m)
                UNION SELECT p.author_id FROM favourites fa JOIN posts p ON p.id = fa.post_id WHERE fa.member_id = \(bind: m)
                UNION SELECT o.author_id FROM posts r JOIN posts o ON o.id = r.reshare_of_id WHERE r.author_id = \(bind: m)
                UNION SELECT reply_to_author_id FROM posts WHERE author_id = \(bind: m) AND reply_to_author_id IS NOT NULL
                """
            ).all().map { Member.ID(try $0.decode(column: "author", as: Int64.self)) })
    }

    func onboarding(of member: Member.ID) async throws -> OnboardingProgress? {
        try await db.raw(
            "SELECT step, started_at, finished_at, skipped_at FROM onboarding WHERE member_id = \(bind: member.rawValue)"
        ).first().map { row in
            OnboardingProgress(
                step: Int(try row.decode(column: "step", as: Int64.self)),
                startedAt: Date(milliseconds: try row.decode(column: "started_at", as: Int64.self)),
                finishedAt: try row.decode(column: "finished_at", as: Int64?.self).map(Date.init(milliseconds:)),
                skippedAt: try row.decode(column: "skipped_at", as: Int64?.self).map(Date.init(milliseconds:)))
        }
    }

    func saveOnboarding(_ progress: OnboardingProgress, of member: Member.ID) async throws {
        try await db.raw(
            """
            INSERT INTO onboarding (member_id, step, started_at, finished_at, skipped_at)
            VALUES (\(bind: member.rawValue), \(bind: progress.step), \(bind: progress.startedAt.milliseconds),
                    \(bind: progress.finishedAt?.milliseconds), \(bind: progress.skippedAt?.milliseconds))
            ON CONFLICT (member_id) DO UPDATE SET step = excluded.step, finished_at = excluded.finished_at,
                skipped_at = excluded.skipped_at
            """
        ).run()
    }

    static func decodeScore(_ row: any SQLRow) throws -> SubjectScore {
        SubjectScore(
            tag: try row.decode(column: "tag", as: String.self),
            member: Member.ID(try row.decode(column: "member_id", as: Int64.self)),
            engagement: Int(try row.decode(column: "engagement", as: Int64.self)),
            posts: Int(try row.decode(column: "posts", as: Int64.self)),
            replies: Int(try row.decode(column: "replies", as: Int64.self)))
    }
}

struct SQLCollectionRepository: CollectionRepository {
    let db: any SQLDatabase

    func insert(_ collection: FollowCollection) async throws {
        try await db.raw(
            """
            INSERT INTO collections (id, owner_id, title, description, created_at, updated_at)
            VALUES (\(bind: collection.id.rawValue), \(bind: collection.owner.rawValue), \(bind: collection.title),
                    \(bind: collection.description), \(bind: collection.createdAt.milliseconds), \(bind: collection.updatedAt.milliseconds))
            """
        ).run()
        try await insertItems(collection)
    }

    func update(_ collection: FollowCollection) async throws {
        try await db.raw(
            """
            UPDATE collections SET title = \(bind: collection.title), description = \(bind: collection.description),
                updated_at = \(bind: collection.updatedAt.milliseconds)
            WHERE id = \(bind: collection.id.rawValue)
            """
        ).run()
        try await db.raw("DELETE FROM collection_items WHERE collection_id = \(bind: collection.id.rawValue)").run()
        try await insertItems(collection)
    }

    private func insertItems(_ collection: FollowCollection) async throws {
        let items: [(member: Int64?, tag: String?)] = collection.members.map { ($0.rawValue, nil) } + collection.tags.map { (nil, $0) }
        guard !items.isEmpty else { return }
        var query = SQLQueryString("INSERT INTO collection_items (collection_id, position, member_id, tag) VALUES ")
        query.appendList(Array(items.enumerated())) { position, item in
            "(\(bind: collection.id.rawValue), \(bind: position), \(bind: item.member), \(bind: item.tag))"
        }
        try await db.raw(query).run()
    }

    func delete(_ id: FollowCollection.ID) async throws {
        try await db.raw("DELETE FROM collection_items WHERE collection_id = \(bind: id.rawValue)").run()
        try await db.raw("DELETE FROM collections WHERE id = \(bind: id.rawValue)").run()
    }

    func find(id: FollowCollection.ID) async throws -> FollowCollection? {
        try await collections(
            "SELECT id, owner_id, title, description, created_at, updated_at FROM collections WHERE id = \(bind: id.rawValue)"
        ).first
    }

    func list(owner: Member.ID?, limit: Int, offset: Int) async throws -> [FollowCollection] {
        var query = SQLQueryString("SELECT id, owner_id, title, description, created_at, updated_at FROM collections")
        if let owner { query.appendInterpolation(" WHERE owner_id = \(bind: owner.rawValue)" as SQLQueryString) }
        query.appendInterpolation(" ORDER BY id DESC LIMIT \(bind: limit) OFFSET \(bind: offset)" as SQLQueryString)
        return try await collections(query)
    }

    private func collections(_ query: SQLQueryString) async throws -> [FollowCollection] {
        let rows = try await db.raw(query).all()
        guard !rows.isEmpty else { return [] }
        let ids = try rows.map { FollowCollection.ID(try $0.decode(column: "id", as: Int64.self)) }
        var members: [FollowCollection.ID: [Member.ID]] = [:]
        var tags: [FollowCollection.ID: [String]] = [:]
        for item in try await db.raw(
            """
            SELECT collection_id, member_id, tag FROM collection_items WHERE collection_id IN \(SQLQueryString.idList(ids))
            ORDER BY collection_id, position
            """
        ).all() {
            let id = FollowCollection.ID(try item.decode(column: "collection_id", as: Int64.self))
            if let member = try item.decode(column: "member_id", as: Int64?.self) { members[id, default: []].append(Member.ID(member)) }
            if let tag = try item.decode(column: "tag", as: String?.self) { tags[id, default: []].append(tag) }
        }
        return try rows.map { row in
            let id = FollowCollection.ID(try row.decode(column: "id", as: Int64.self))
            return FollowCollection(
                id: id, owner: Member.ID(try row.decode(column: "owner_id", as: Int64.self)),
                title: try row.decode(column: "title", as: String.self),
                description: try row.decode(column: "description", as: String.self),
                members: members[id] ?? [], tags: tags[id] ?? [],
                createdAt: Date(milliseconds: try row.decode(column: "created_at", as: Int64.self)),
                updatedAt: Date(milliseconds: try row.decode(column: "updated_at", as: Int64.self)))
        }
    }
}
