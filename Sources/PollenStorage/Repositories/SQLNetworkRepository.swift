import Foundation
import PollenCore
import SQLKit

struct SQLNetworkRepository: NetworkRepository {
    let db: any SQLDatabase
    let changes: ChangeRecorder

    func follow(id: Int64, follower: Member.ID, followee: Member.ID, at: Date) async throws -> Bool {
        // ON CONFLICT DO NOTHING keeps a double click from failing the transaction; RETURNING says which it was.
        let inserted = try await db.raw(
            """
            INSERT INTO follows (id, follower_id, followee_id, created_at)
            VALUES (\(bind: id), \(bind: follower.rawValue), \(bind: followee.rawValue), \(bind: at.milliseconds))
            ON CONFLICT (follower_id, followee_id) DO NOTHING RETURNING id
            """
        ).first() != nil
        if inserted { try await MemberCounts(db: db, changes: changes).followed(follower: follower, followee: followee, by: 1) }
        return inserted
    }

    func unfollow(follower: Member.ID, followee: Member.ID) async throws -> Bool {
        let removed = try await db.raw(
            """
            DELETE FROM follows WHERE follower_id = \(bind: follower.rawValue) AND followee_id = \(bind: followee.rawValue)
            RETURNING id
            """
        ).first() != nil
        if removed { try await MemberCounts(db: db, changes: changes).followed(follower: follower, followee: followee, by: -1) }
        return removed
    }

    func followers(of member: Member.ID, range: CursorRange) async throws -> [FollowEntry] {
        try await list(matching: "followee_id", member, showing: "follower_id", range: range)
    }

    func following(of member: Member.ID, range: CursorRange) async throws -> [FollowEntry] {
        try await list(matching: "follower_id", member, showing: "followee_id", range: range)
    }

    /// One page of follows whose `column` is `member`, with the member on the other side.
    private func list(matching column: String, _ member: Member.ID, showing other: String, range: CursorRange)
        async throws -> [FollowEntry]
    {
        var query = SQLQueryString(
            """
            SELECT f.id AS cursor, f.created_at AS since, \(unsafeRaw: SQLMemberRepository.columns(of: "m"))
            FROM follows f JOIN members m ON m.id = f.\(unsafeRaw: other)
            WHERE f.\(unsafeRaw: column) = \(bind: member.rawValue)
            """)
        query.appendInterpolation(Self.cursorClause(range, column: "f.id"))
        let rows = try await db.raw(query).all()
        let entries = try rows.map { row in
            FollowEntry(
                cursor: try row.decode(column: "cursor", as: Int64.self), member: try SQLMemberRepository.decode(row),
                since: Date(milliseconds: try row.decode(column: "since", as: Int64.self)))
        }
        return range.readsUpward ? entries.reversed() : entries
    }

    /// Newest first, except for `nearestAfter` (Mastodon's `min_id`), which reads upwards from the cursor and
    /// is put back in newest-first order by the caller.
    static func cursorClause(_ range: CursorRange, column: String) -> SQLQueryString {
        var clause = SQLQueryString("")
        if let before = range.before { clause.appendInterpolation(" AND \(unsafeRaw: column) < \(bind: before)" as SQLQueryString) }
        if let after = range.after { clause.appendInterpolation(" AND \(unsafeRaw: column) > \(bind: after)" as SQLQueryString) }
        let ascending = range.readsUpward
        if let nearest = range.nearestAfter {
            clause.appendInterpolation(" AND \(unsafeRaw: column) > \(bind: nearest)" as SQLQueryString)
        }
        clause.appendInterpolation(
            " ORDER BY \(unsafeRaw: column) \(unsafeRaw: ascending ? "ASC" : "DESC") LIMIT \(bind: range.limit)"
                as SQLQueryString)
        return clause
    }

    func mostFollowed(limit: Int) async throws -> [(member: Member.ID, followers: Int)] {
        try await db.raw(
            """
            SELECT followee_id AS member, COUNT(*) AS n FROM follows GROUP BY followee_id
            ORDER BY n DESC, followee_id LIMIT \(bind: limit)
            """
        ).all().map {
            (Member.ID(try $0.decode(column: "member", as: Int64.self)), Int(try $0.decode(column: "n", as: Int64.self)))
        }
    }

    func counts(for members: [Member.ID]) async throws -> [Member.ID: NetworkCounts] {
        try await MemberCounts(db: db, changes: changes).read(members)
    }

    func relationships(of viewer: Member.ID, with targets: [Member.ID]) async throws -> [Relationship] {
        guard !targets.isEmpty else { return [] }
        let list = SQLQueryString.idList(targets)
        let v = viewer.rawValue
        // One round trip for the five relations: this runs for every page that shows people or reshares.
        let rows = try await db.raw(
            """
            SELECT 'following' AS kind, followee_id AS t, created_at AS at FROM follows
            WHERE follower_id = \(bind: v) AND followee_id IN \(list)
            UNION ALL
            SELECT 'followedBy', follower_id, created_at FROM follows WHERE followee_id = \(bind: v) AND follower_id IN \(list)
            UNION ALL
            SELECT 'muting', target_id, created_at FROM mutes WHERE member_id = \(bind: v) AND target_id IN \(list)
            UNION ALL
            SELECT 'blocking', target_id, created_at FROM blocks WHERE member_id = \(bind: v) AND target_id IN \(list)
            UNION ALL
            SELECT 'blockedBy', member_id, created_at FROM blocks WHERE target_id = \(bind: v) AND member_id IN \(list)
            """
        ).all()
        var found: [String: [Int64: Int64]] = [:]
        for row in rows {
            found[try row.decode(column: "kind", as: String.self), default: [:]][try row.decode(column: "t", as: Int64.self)] =
                try row.decode(column: "at", as: Int64.self)
        }
        let following = found["following"] ?? [:]
        let followedBy = found["followedBy"] ?? [:]
        let muting = found["muting"] ?? [:]
        let blocking = found["blocking"] ?? [:]
        let blockedBy = found["blockedBy"] ?? [:]
        return targets.map { target in
            let t = target.rawValue
            return Relationship(
                target: target, following: following[t] != nil, followedBy: followedBy[t] != nil,
                muting: muting[t] != nil, blocking: blocking[t] != nil, blockedBy: blockedBy[t] != nil,
                followedSince: following[t].map(Date.init(milliseconds:)))
        }
    }

    func setMuted(_ muted: Bool, member: Member.ID, target: Member.ID, at: Date) async throws {
        try await setPair(table: "mutes", on: muted, member: member, target: target, at: at)
    }

    func setBlocked(_ blocked: Bool, member: Member.ID, target: Member.ID, at: Date) async throws {
        try await setPair(table: "blocks", on: blocked, member: member, target: target, at: at)
    }

    private func setPair(table: String, on: Bool, member: Member.ID, target: Member.ID, at: Date) async throws {
        // Both see less (or more) of each other.
        changes.members([member, target])
        if on {
            try await db.raw(
                """
                INSERT INTO \(unsafeRaw: table) (member_id, target_id, created_at)
                VALUES (\(bind: member.rawValue), \(bind: target.rawValue), \(bind: at.milliseconds))
                ON CONFLICT (member_id, target_id) DO NOTHING
                """
            ).run()
        } else {
            try await db.raw(
                "DELETE FROM \(unsafeRaw: table) WHERE member_id = \(bind: member.rawValue) AND target_id = \(bind: target.rawValue)"
            ).run()
        }
    }

    func followTag(id: Int64, member: Member.ID, tag: String, at: Date) async throws -> Bool {
        changes.member(member)
        return try await db.raw(
            """
            INSERT INTO tag_follows (id, member_id, tag, created_at)
            VALUES (\(bind: id), \(bind: member.rawValue), \(bind: tag), \(bind: at.milliseconds))
            ON CONFLICT (member_id, tag) DO NOTHING RETURNING id
            """
        ).first() != nil
    }

    func unfollowTag(member: Member.ID, tag: String) async throws -> Bool {
        changes.member(member)
        return try await db.raw(
            "DELETE FROM tag_follows WHERE member_id = \(bind: member.rawValue) AND tag = \(bind: tag) RETURNING id"
        ).first() != nil
    }

    func followedTags(of member: Member.ID, range: CursorRange) async throws -> [TagFollow] {
        var query = SQLQueryString(
            "SELECT id, tag, created_at FROM tag_follows WHERE member_id = \(bind: member.rawValue)")
        query.appendInterpolation(Self.cursorClause(range, column: "id"))
        let follows = try await db.raw(query).all().map { row in
            TagFollow(
                cursor: try row.decode(column: "id", as: Int64.self), tag: try row.decode(column: "tag", as: String.self),
                since: Date(milliseconds: try row.decode(column: "created_at", as: Int64.self)))
        }
        return range.readsUpward ? follows.reversed() : follows
    }

    func timelineSources(of member: Member.ID) async throws -> (members: [Member.ID], tags: [String]) {
        let members = try await db.raw(
            "SELECT followee_id FROM follows WHERE follower_id = \(bind: member.rawValue)"
        ).all().map { Member.ID(try $0.decode(column: "followee_id", as: Int64.self)) }
        let tags = try await db.raw("SELECT tag FROM tag_follows WHERE member_id = \(bind: member.rawValue)").all()
            .map { try $0.decode(column: "tag", as: String.self) }
        return (members, tags)
    }

    func blockedEitherWay(_ member: Member.ID) async throws -> Set<Member.ID> {
        let m = member.rawValue
        return Set(try await db.raw(
            """
            SELECT target_id AS other FROM blocks WHERE member_id = \(bind: m)
            UNION SELECT member_id FROM blocks WHERE target_id = \(bind: m)
            """
        ).all().map { Member.ID(try $0.decode(column: "other", as: Int64.self)) })
    }

    func isFollowingTag(member: Member.ID, tag: String) async throws -> Bool {
        try await db.raw(
            "SELECT id FROM tag_follows WHERE member_id = \(bind: member.rawValue) AND tag = \(bind: tag)"
        ).first() != nil
    }

}

extension SQLNetworkRepository {
    /// Rows per multi-row INSERT: few statements for millions of rows, well under every engine's parameter limit.
    static let bulkChunk = 400

    func insertFollows(_ follows: [FollowRecord]) async throws {
        changes.everything()
        for chunk in follows.chunked(into: Self.bulkChunk) {
            var query = SQLQueryString("INSERT INTO follows (id, follower_id, followee_id, created_at) VALUES ")
            query.appendList(chunk) {
                "(\(bind: $0.id), \(bind: $0.follower.rawValue), \(bind: $0.followee.rawValue), \(bind: $0.at.milliseconds))"
            }
            query.appendLiteral(" ON CONFLICT (follower_id, followee_id) DO NOTHING RETURNING follower_id, followee_id")
            var counts: [Member.ID: MemberCounts.Change] = [:]
            for row in try await db.raw(query).all() {
                counts[Member.ID(try row.decode(column: "follower_id", as: Int64.self)), default: .init()].following += 1
                counts[Member.ID(try row.decode(column: "followee_id", as: Int64.self)), default: .init()].followers += 1
            }
            try await MemberCounts(db: db, changes: changes).apply(counts)
        }
    }

    func insertTagFollows(_ follows: [(id: Int64, member: Member.ID, tag: String, at: Date)]) async throws {
        changes.everything()
        for chunk in follows.chunked(into: Self.bulkChunk) {
            var query = SQLQueryString("INSERT INTO tag_follows (id, member_id, tag, created_at) VALUES ")
            query.appendList(chunk) {
                "(\(bind: $0.id), \(bind: $0.member.rawValue), \(bind: $0.tag), \(bind: $0.at.milliseconds))"
            }
            query.appendLiteral(" ON CONFLICT (member_id, tag) DO NOTHING")
            try await db.raw(query).run()
        }
    }
}
