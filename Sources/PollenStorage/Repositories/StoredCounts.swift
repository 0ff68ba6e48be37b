import Foundation
import PollenCore
import SQLKit

/// Each member's follower, following and post counts, kept in step by every write that changes them.
/// Counting on read cost a range scan per member shown — for a list of well-followed people, tens of
/// thousands of index entries and table rows on every timeline page.
struct MemberCounts {
    let db: any SQLDatabase
    let changes: ChangeRecorder

    struct Change {
        var followers = 0
        var following = 0
        var posts = 0
        /// The newest post among those counted, in milliseconds: moves `last_posted_at` forwards only.
        var postedAt: Int64?
    }

    /// Adds the changes to the stored counts, creating rows for members who had none.
    func apply(_ counts: [Member.ID: Change]) async throws {
        let rows = counts.filter {
            $0.value.followers != 0 || $0.value.following != 0 || $0.value.posts != 0 || $0.value.postedAt != nil
        }
            .sorted { $0.key < $1.key }
        // A member's counts show in every status of theirs.
        changes.members(rows.map(\.key))
        for chunk in rows.chunked(into: SQLNetworkRepository.bulkChunk) {
            var query = SQLQueryString(
                "INSERT INTO member_counts (member_id, followers, following, posts, last_posted_at) VALUES ")
            query.appendList(chunk) { member, change in
                "(\(bind: member.rawValue), \(bind: change.followers), \(bind: change.following), \(bind: change.posts), \(bind: change.postedAt))"
            }
            // CASE rather than MAX/GREATEST: the one spelling both engines share.
            query.appendLiteral(
                """
                 ON CONFLICT (member_id) DO UPDATE SET followers = member_counts.followers + excluded.followers,
                 following = member_counts.following + excluded.following, posts = member_counts.posts + excluded.posts,
                 last_posted_at = CASE WHEN excluded.last_posted_at > COALESCE(member_counts.last_posted_at, 0)
                     THEN excluded.last_posted_at ELSE member_counts.last_posted_at END
                """)
            try await db.raw(query).run()
        }
    }

    func followed(follower: Member.ID, followee: Member.ID, by delta: Int) async throws {
        try await apply([follower: Change(following: delta), followee: Change(followers: delta)])
    }

    func posted(_ author: Member.ID, by delta: Int, at: Date? = nil) async throws {
        try await apply([author: Change(posts: delta, postedAt: at?.milliseconds)])
    }

    func read(_ members: [Member.ID]) async throws -> [Member.ID: NetworkCounts] {
        guard !members.isEmpty else { return [:] }
        var result = Dictionary(members.map { ($0, NetworkCounts()) }, uniquingKeysWith: { first, _ in first })
        let rows = try await db.raw(
            """
            SELECT member_id, followers, following, posts, last_posted_at FROM member_counts
            WHERE member_id IN \(SQLQueryString.idList(members))
            """
        ).all()
        for row in rows {
            result[Member.ID(try row.decode(column: "member_id", as: Int64.self))] = NetworkCounts(
                followers: Int(try row.decode(column: "followers", as: Int64.self)),
                following: Int(try row.decode(column: "following", as: Int64.self)),
                posts: Int(try row.decode(column: "posts", as: Int64.self)))
            result[Member.ID(try row.decode(column: "member_id", as: Int64.self))]?.lastPostedAt =
                try row.decode(column: "last_posted_at", as: Int64?.self).map(Date.init(milliseconds:))
        }
        return result
    }
}

/// How many posts carry each hashtag and how many members list it as a subject or expertise, kept in step
/// with `post_tags` and `member_tags`. Counting on read meant reading a popular tag's whole index range
/// (150,000 entries for the demo's busiest) on every search that suggested it.
struct TagCounts {
    let db: any SQLDatabase

    /// Adds `posts` and `members` per tag, creating rows for new tags.
    func apply(posts: [String: Int] = [:], members: [String: Int] = [:]) async throws {
        let tags = Set(posts.keys).union(members.keys).filter { (posts[$0] ?? 0) != 0 || (members[$0] ?? 0) != 0 }.sorted()
        for chunk in tags.chunked(into: SQLNetworkRepository.bulkChunk) {
            var query = SQLQueryString("INSERT INTO tag_counts (tag, posts, members) VALUES ")
            query.appendList(chunk) { tag in "(\(bind: tag), \(bind: posts[tag] ?? 0), \(bind: members[tag] ?? 0))" }
            query.appendLiteral(
                """
                 ON CONFLICT (tag) DO UPDATE SET posts = tag_counts.posts + excluded.posts,
                 members = tag_counts.members + excluded.members
                """)
            try await db.raw(query).run()
        }
    }

    /// Counts each tag once per occurrence in `tags`, as `delta`.
    static func tally(_ tags: some Sequence<String>, _ delta: Int = 1) -> [String: Int] {
        tags.reduce(into: [:]) { $0[$1, default: 0] += delta }
    }
}
