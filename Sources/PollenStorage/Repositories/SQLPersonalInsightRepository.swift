import Foundation
import PollenCore
import SQLKit

/// Personal insight's reads: one member's network grouped in SQL, the organization's mix, colleagues' follows into a
/// group, and one member's learning acts. Read-only.
///
/// The joins from a small set (the member's network, one group's members) into `members` and `member_tags` are
/// written as `CROSS JOIN`, which SQLite takes in the order written: left to choose, it read all 100,000 members by
/// location (or every subject listing) and probed the network for each (0.4 s against 50 ms for a member with 1,200
/// posts in a 100,000-member demo). PostgreSQL reorders such joins freely, as it should.
struct SQLPersonalInsightRepository: PersonalInsightRepository {
    let db: any SQLDatabase

    /// Everyone the member is tied to, with 1 where the tie is a follow: whom they follow, and whom they replied to,
    /// mentioned, reshared, favourited (posts and community items), answered or commented on (items, questions and
    /// answers) since `since`, and who did any of that to them — the same acts as the organization's interaction
    /// graph. Content deleted or taken out of view by moderation does not tie anyone.
    ///
    /// Replies to the member are found through the threads of the member's own posts (every reply to them is in
    /// one), as nothing indexes `reply_to_author_id`. Favourites of their posts and comments on their community items
    /// are read with `IN (their posts)` so that an index on `favourites (post_id)` or `community_items (author_id)`
    /// is used once there is one; until then each is one scan of its table (about 0.5 s over 3,000,000 favourites).
    private static func ties(_ m: Int64, since: Date) -> SQLQueryString {
        let s = since.milliseconds
        return """
            SELECT followee_id AS other, 1 AS followed FROM follows WHERE follower_id = \(bind: m)
            UNION ALL SELECT reply_to_author_id, 0 FROM posts WHERE author_id = \(bind: m) AND reply_to_author_id IS NOT NULL
                AND created_at >= \(bind: s) AND deleted_at IS NULL AND moderation IS NULL
            UNION ALL SELECT pm.member_id, 0 FROM posts p JOIN post_mentions pm ON pm.post_id = p.id
                WHERE p.author_id = \(bind: m) AND p.created_at >= \(bind: s) AND p.deleted_at IS NULL AND p.moderation IS NULL
            UNION ALL SELECT o.author_id, 0 FROM posts r JOIN posts o ON o.id = r.reshare_of_id
                WHERE r.author_id = \(bind: m) AND r.created_at >= \(bind: s) AND r.deleted_at IS NULL AND r.moderation IS NULL
            UNION ALL SELECT p.author_id, 0 FROM favourites f JOIN posts p ON p.id = f.post_id
                WHERE f.member_id = \(bind: m) AND f.created_at >= \(bind: s)
            UNION ALL SELECT i.author_id, 0 FROM community_item_favourites f JOIN community_items i ON i.id = f.item_id
                WHERE f.member_id = \(bind: m) AND f.created_at >= \(bind: s)
            UNION ALL SELECT q.author_id, 0 FROM answers a JOIN questions q ON q.id = a.question_id
                WHERE a.author_id = \(bind: m) AND a.created_at >= \(bind: s) AND a.deleted_at IS NULL AND a.moderation IS NULL
            UNION ALL SELECT COALESCE(x.author_id, q.author_id), 0 FROM qa_comments c JOIN questions q ON q.id = c.question_id
                LEFT JOIN answers x ON x.id = c.answer_id
                WHERE c.author_id = \(bind: m) AND c.created_at >= \(bind: s) AND c.moderation IS NULL
            UNION ALL SELECT i.author_id, 0 FROM community_comments c JOIN community_items i ON i.id = c.item_id
                WHERE c.author_id = \(bind: m) AND c.created_at >= \(bind: s) AND c.deleted_at IS NULL AND c.moderation IS NULL
            UNION ALL SELECT r.author_id, 0 FROM posts r
                WHERE r.thread_root_id IN (SELECT mine.thread_root_id FROM posts mine WHERE mine.author_id = \(bind: m))
                  AND r.reply_to_author_id = \(bind: m) AND r.created_at >= \(bind: s) AND r.deleted_at IS NULL AND r.moderation IS NULL
            UNION ALL SELECT p.author_id, 0 FROM post_mentions pm JOIN posts p ON p.id = pm.post_id
                WHERE pm.member_id = \(bind: m) AND p.created_at >= \(bind: s) AND p.deleted_at IS NULL AND p.moderation IS NULL
            UNION ALL SELECT r.author_id, 0 FROM posts o JOIN posts r ON r.reshare_of_id = o.id
                WHERE o.author_id = \(bind: m) AND o.reshares_count > 0 AND r.created_at >= \(bind: s) AND r.deleted_at IS NULL
                  AND r.moderation IS NULL
            UNION ALL SELECT f.member_id, 0 FROM favourites f
                WHERE f.post_id IN (SELECT mine.id FROM posts mine WHERE mine.author_id = \(bind: m) AND mine.favourites_count > 0)
                  AND f.created_at >= \(bind: s)
            UNION ALL SELECT a.author_id, 0 FROM questions q JOIN answers a ON a.question_id = q.id
                WHERE q.author_id = \(bind: m) AND a.created_at >= \(bind: s) AND a.deleted_at IS NULL AND a.moderation IS NULL
            UNION ALL SELECT c.author_id, 0 FROM community_comments c
                WHERE c.item_id IN (SELECT mine.id FROM community_items mine WHERE mine.author_id = \(bind: m))
                  AND c.created_at >= \(bind: s) AND c.deleted_at IS NULL AND c.moderation IS NULL
            UNION ALL SELECT f.member_id, 0 FROM community_item_favourites f
                WHERE f.item_id IN (SELECT mine.id FROM community_items mine WHERE mine.author_id = \(bind: m))
                  AND f.created_at >= \(bind: s)
            UNION ALL SELECT c.author_id, 0 FROM qa_comments c
                WHERE c.question_id IN (SELECT mine.id FROM questions mine WHERE mine.author_id = \(bind: m))
                  AND c.answer_id IS NULL AND c.created_at >= \(bind: s) AND c.moderation IS NULL
            UNION ALL SELECT c.author_id, 0 FROM qa_comments c
                WHERE c.question_id IN (SELECT mine.question_id FROM answers mine WHERE mine.author_id = \(bind: m))
                  AND c.answer_id IN (SELECT mine.id FROM answers mine WHERE mine.author_id = \(bind: m))
                  AND c.created_at >= \(bind: s) AND c.moderation IS NULL
            """
    }

    func network(of member: Member.ID, since: Date) async throws -> NetworkMix {
        let m = member.rawValue
        let rows = try await db.raw(
            """
            WITH ties (other, followed) AS (\(Self.ties(m, since: since))),
            network AS (
                SELECT t.other AS id, MAX(t.followed) AS followed FROM ties t
                WHERE t.other <> \(bind: m)
                  AND t.other NOT IN (SELECT b.target_id FROM blocks b WHERE b.member_id = \(bind: m))
                  AND t.other NOT IN (SELECT b.member_id FROM blocks b WHERE b.target_id = \(bind: m))
                GROUP BY t.other
            )
            SELECT 'department' AS dimension, m.department_key AS key, MIN(m.department) AS label, COUNT(*) AS n,
                   SUM(n.followed) AS followed
            FROM network n CROSS JOIN members m WHERE m.id = n.id AND m.status = 'active' GROUP BY m.department_key
            UNION ALL
            SELECT 'location', m.location_key, MIN(m.location), COUNT(*), 0
            FROM network n CROSS JOIN members m WHERE m.id = n.id AND m.status = 'active' GROUP BY m.location_key
            UNION ALL
            SELECT 'subject', t.tag, t.tag, COUNT(*), 0
            FROM network n CROSS JOIN members m CROSS JOIN member_tags t
            WHERE m.id = n.id AND m.status = 'active' AND t.member_id = n.id AND t.kind = 'subject' GROUP BY t.tag
            UNION ALL
            SELECT 'subject', '', '', COUNT(*), 0
            FROM network n CROSS JOIN members m
            WHERE m.id = n.id AND m.status = 'active'
              AND NOT EXISTS (SELECT 1 FROM member_tags t WHERE t.member_id = n.id AND t.kind = 'subject')
            """
        ).all()
        let grouped = try Self.mixes(rows)
        var people = 0, followed = 0
        for row in rows where try row.decode(column: "dimension", as: String.self) == InsightDimension.department.rawValue {
            people += Int(try row.decode(column: "n", as: Int64.self))
            followed += Int(try row.decode(column: "followed", as: Int64?.self) ?? 0)
        }
        return NetworkMix(people: people, followed: followed, mixes: grouped)
    }

    func organization(at: Date) async throws -> OrganizationMix {
        let rows = try await db.raw(
            """
            SELECT 'department' AS dimension, department_key AS key, MIN(department) AS label, COUNT(*) AS n
            FROM members WHERE status = 'active' GROUP BY department_key
            UNION ALL
            SELECT 'location', location_key, MIN(location), COUNT(*) FROM members WHERE status = 'active' GROUP BY location_key
            UNION ALL
            SELECT 'subject', t.tag, t.tag, COUNT(*) FROM member_tags t CROSS JOIN members m
            WHERE t.kind = 'subject' AND m.id = t.member_id AND m.status = 'active' GROUP BY t.tag
            UNION ALL
            SELECT 'subject', '', '', COUNT(*) FROM members m
            WHERE m.status = 'active' AND NOT EXISTS (SELECT 1 FROM member_tags t WHERE t.member_id = m.id AND t.kind = 'subject')
            """
        ).all()
        let mixes = try Self.mixes(rows)
        let departments = mixes[.department] ?? .empty
        return OrganizationMix(members: departments.total + departments.unstated, mixes: mixes, takenAt: at)
    }

    /// Rows of (dimension, key, label, n) as mixes; an empty key is "not stated".
    private static func mixes(_ rows: [any SQLRow]) throws -> [InsightDimension: GroupMix] {
        var groups: [InsightDimension: [GroupCount]] = [:]
        var unstated: [InsightDimension: Int] = [:]
        for row in rows {
            guard let dimension = InsightDimension(rawValue: try row.decode(column: "dimension", as: String.self)) else { continue }
            let key = try row.decode(column: "key", as: String.self)
            let count = Int(try row.decode(column: "n", as: Int64.self))
            if key.isEmpty {
                unstated[dimension, default: 0] += count
            } else {
                groups[dimension, default: []].append(
                    GroupCount(key: key, label: try row.decode(column: "label", as: String.self), count: count))
            }
        }
        return Dictionary(uniqueKeysWithValues: InsightDimension.allCases.map {
            ($0, GroupMix(groups: groups[$0] ?? [], unstated: unstated[$0] ?? 0))
        })
    }

    func colleaguesFollowing(
        _ dimension: InsightDimension, from: String, into: String, excluding: Member.ID, cap: Int, intoIsSmaller: Bool
    ) async throws -> Int {
        let column: String
        switch dimension {
        case .department: column = "department_key"
        case .location: column = "location_key"
        case .subject: throw DomainError.invalid("Bridges are counted by department or location.")
        }
        let me = excluding.rawValue
        // Both forms stop at `cap`; what they cost is the other side's follows when the tie is rare, so the count
        // starts from the smaller group (a colleague-side count reads about 50 follows per colleague: 0.1 s for a
        // department of 4,350 in the 100,000-member demo when nobody ties into the target).
        let query: SQLQueryString = intoIsSmaller
            ? """
            SELECT COUNT(*) AS n FROM (
                SELECT DISTINCT f.follower_id FROM members t CROSS JOIN follows f CROSS JOIN members c
                WHERE t.\(unsafeRaw: column) = \(bind: into) AND t.status = 'active' AND f.followee_id = t.id
                  AND c.id = f.follower_id AND c.\(unsafeRaw: column) = \(bind: from) AND c.status = 'active' AND c.id <> \(bind: me)
                LIMIT \(bind: cap)
            ) x
            """
            : """
            SELECT COUNT(*) AS n FROM (
                SELECT c.id FROM members c
                WHERE c.\(unsafeRaw: column) = \(bind: from) AND c.status = 'active' AND c.id <> \(bind: me)
                  AND EXISTS (
                      SELECT 1 FROM follows f CROSS JOIN members t
                      WHERE f.follower_id = c.id AND t.id = f.followee_id AND t.\(unsafeRaw: column) = \(bind: into)
                        AND t.status = 'active')
                LIMIT \(bind: cap)
            ) x
            """
        return Int(try await db.raw(query).first()?.decode(column: "n", as: Int64.self) ?? 0)
    }

    func learningActivity(of member: Member.ID, since: Date, until: Date) async throws -> LearningBalance {
        let m = member.rawValue, s = since.milliseconds, u = until.milliseconds
        // Each count reads one member's rows by an index on the member, except views, items, comments and forwards,
        // which have no index by member yet: each of those is a scan of its (so far small) table.
        let counts: [(LearningBalance.Activity, SQLQueryString)] = [
            (.questionsAsked, "SELECT COUNT(*) FROM questions WHERE author_id = \(bind: m) AND created_at >= \(bind: s) AND created_at <= \(bind: u)"),
            (.peopleFollowed, "SELECT COUNT(*) FROM follows WHERE follower_id = \(bind: m) AND created_at >= \(bind: s) AND created_at <= \(bind: u)"),
            (.hashtagsFollowed, "SELECT COUNT(*) FROM tag_follows WHERE member_id = \(bind: m) AND created_at >= \(bind: s) AND created_at <= \(bind: u)"),
            (.communitiesJoined, """
                SELECT COUNT(*) FROM community_members WHERE member_id = \(bind: m) AND state = 'active'
                AND created_at >= \(bind: s) AND created_at <= \(bind: u)
                """),
            (.itemsRead, "SELECT COUNT(*) FROM community_item_views WHERE member_id = \(bind: m) AND created_at >= \(bind: s) AND created_at <= \(bind: u)"),
            (.postsFavourited, "SELECT COUNT(*) FROM favourites WHERE member_id = \(bind: m) AND created_at >= \(bind: s) AND created_at <= \(bind: u)"),
            (.itemsSaved, """
                SELECT COUNT(*) FROM community_item_favourites WHERE member_id = \(bind: m)
                AND created_at >= \(bind: s) AND created_at <= \(bind: u)
                """),
            (.bookmarks, "SELECT COUNT(*) FROM bookmarks WHERE member_id = \(bind: m) AND created_at >= \(bind: s) AND created_at <= \(bind: u)"),
            (.collectionsMade, "SELECT COUNT(*) FROM collections WHERE owner_id = \(bind: m) AND created_at >= \(bind: s) AND created_at <= \(bind: u)"),
            (.posts, """
                SELECT COUNT(*) FROM posts WHERE author_id = \(bind: m) AND reshare_of_id IS NULL AND deleted_at IS NULL
                AND moderation IS NULL AND created_at >= \(bind: s) AND created_at <= \(bind: u)
                """),
            (.reshares, """
                SELECT COUNT(*) FROM posts WHERE author_id = \(bind: m) AND reshare_of_id IS NOT NULL AND deleted_at IS NULL
                AND moderation IS NULL AND created_at >= \(bind: s) AND created_at <= \(bind: u)
                """),
            (.itemsPublished, """
                SELECT COUNT(*) FROM community_items WHERE author_id = \(bind: m) AND state = 'published' AND moderation IS NULL
                AND published_at >= \(bind: s) AND published_at <= \(bind: u)
                """),
            (.comments, """
                SELECT COUNT(*) FROM community_comments WHERE author_id = \(bind: m) AND deleted_at IS NULL AND moderation IS NULL
                AND created_at >= \(bind: s) AND created_at <= \(bind: u)
                """),
            (.answers, """
                SELECT COUNT(*) FROM answers WHERE author_id = \(bind: m) AND deleted_at IS NULL AND moderation IS NULL
                AND created_at >= \(bind: s) AND created_at <= \(bind: u)
                """),
            (.questionsForwarded, """
                SELECT COUNT(*) FROM question_forwards WHERE member_id = \(bind: m) AND created_at >= \(bind: s) AND created_at <= \(bind: u)
                """),
        ]
        // One statement of scalar subqueries: one round trip instead of fifteen.
        var query = SQLQueryString("SELECT ")
        query.appendList(counts) { activity, count in "(\(count)) AS \(unsafeRaw: activity.rawValue)" }
        guard let row = try await db.raw(query).first() else { return LearningBalance(counts: [:]) }
        var result: [LearningBalance.Activity: Int] = [:]
        for (activity, _) in counts {
            result[activity] = Int(try row.decode(column: activity.rawValue, as: Int64.self))
        }
        return LearningBalance(counts: result)
    }
}
