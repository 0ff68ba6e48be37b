import Foundation
import PollenCore
import SQLKit

struct SQLCommunityRepository: CommunityRepository {
    let db: any SQLDatabase
    let changes: ChangeRecorder

    private static let columns =
        "c.id, c.slug, c.name, c.kind, c.purpose, c.guidelines, c.membership, c.created_by, c.created_at, c.updated_at"

    func insert(_ community: Community) async throws {
        try await db.raw(
            """
            INSERT INTO communities (id, slug, name, name_key, kind, purpose, guidelines, membership, created_by, created_at, updated_at)
            VALUES (\(bind: community.id.rawValue), \(bind: community.slug), \(bind: community.name),
                    \(bind: community.name.lowercased()), \(bind: community.kind.rawValue), \(bind: community.purpose),
                    \(bind: community.guidelines), \(bind: community.membership.rawValue), \(bind: community.createdBy.rawValue),
                    \(bind: community.createdAt.milliseconds), \(bind: community.updatedAt.milliseconds))
            """
        ).run()
    }

    func update(_ community: Community) async throws {
        try await db.raw(
            """
            UPDATE communities SET slug = \(bind: community.slug), name = \(bind: community.name),
                name_key = \(bind: community.name.lowercased()), kind = \(bind: community.kind.rawValue),
                purpose = \(bind: community.purpose), guidelines = \(bind: community.guidelines),
                membership = \(bind: community.membership.rawValue), updated_at = \(bind: community.updatedAt.milliseconds)
            WHERE id = \(bind: community.id.rawValue)
            """
        ).run()
    }

    func find(id: Community.ID) async throws -> Community? {
        try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM communities c WHERE c.id = \(bind: id.rawValue)")
            .first().map(Self.decode)
    }

    func find(slug: String) async throws -> Community? {
        try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM communities c WHERE c.slug = \(bind: slug.lowercased())")
            .first().map(Self.decode)
    }

    func search(_ query: CommunityQuery) async throws -> Page<Community> {
        var conditions: [SQLQueryString] = []
        if let viewer = query.visibleTo {
            conditions.append(
                """
                (c.membership <> 'private' OR EXISTS (SELECT 1 FROM community_members cm WHERE cm.community_id = c.id
                    AND cm.member_id = \(bind: viewer.rawValue) AND cm.state IN ('active', 'invited')))
                """)
        }
        if let kind = query.kind { conditions.append("c.kind = \(bind: kind.rawValue)") }
        for word in query.text.lowercased().split(whereSeparator: \.isWhitespace).prefix(8) {
            let pattern = "%" + SQLMemberRepository.escapeLike(String(word)) + "%"
            conditions.append(
                "(c.name_key LIKE \(bind: pattern) ESCAPE '\\' OR c.slug LIKE \(bind: pattern) ESCAPE '\\' OR LOWER(c.purpose) LIKE \(bind: pattern) ESCAPE '\\')")
        }
        var whereClause = SQLQueryString("")
        for (index, condition) in conditions.enumerated() {
            whereClause.appendLiteral(index == 0 ? " WHERE " : " AND ")
            whereClause.appendInterpolation(condition)
        }
        let total = try await db.raw("SELECT COUNT(*) AS n FROM communities c\(whereClause)").first()?
            .decode(column: "n", as: Int64.self) ?? 0
        let rows = try await db.raw(
            """
            SELECT \(unsafeRaw: Self.columns) FROM communities c\(whereClause)
            ORDER BY c.name_key, c.id LIMIT \(bind: query.limit) OFFSET \(bind: query.offset)
            """
        ).all()
        return Page(items: try rows.map(Self.decode), total: Int(total))
    }

    func membership(of member: Member.ID, in community: Community.ID) async throws -> CommunityMember? {
        try await db.raw(
            """
            SELECT community_id, member_id, role, state, created_at FROM community_members
            WHERE community_id = \(bind: community.rawValue) AND member_id = \(bind: member.rawValue)
            """
        ).first().map { try Self.decodeMembership($0) }
    }

    func saveMembership(_ membership: CommunityMember) async throws {
        // Where a member belongs decides what reaches them.
        changes.member(membership.member)
        try await db.raw(
            """
            INSERT INTO community_members (community_id, member_id, role, state, created_at)
            VALUES (\(bind: membership.community.rawValue), \(bind: membership.member.rawValue), \(bind: membership.role.rawValue),
                    \(bind: membership.state.rawValue), \(bind: membership.since.milliseconds))
            ON CONFLICT (community_id, member_id) DO UPDATE SET role = excluded.role, state = excluded.state
            """
        ).run()
    }

    func removeMembership(of member: Member.ID, from community: Community.ID) async throws -> Bool {
        changes.member(member)
        return try await db.raw(
            """
            DELETE FROM community_members WHERE community_id = \(bind: community.rawValue) AND member_id = \(bind: member.rawValue)
            RETURNING member_id
            """
        ).first() != nil
    }

    func members(of community: Community.ID, state: CommunityMember.State, limit: Int, offset: Int) async throws
        -> [(membership: CommunityMember, member: Member)]
    {
        try await db.raw(
            """
            SELECT cm.community_id, cm.member_id, cm.role AS community_role, cm.state, cm.created_at AS joined_at,
                   \(unsafeRaw: SQLMemberRepository.columns(of: "m"))
            FROM community_members cm JOIN members m ON m.id = cm.member_id
            WHERE cm.community_id = \(bind: community.rawValue) AND cm.state = \(bind: state.rawValue)
            ORDER BY CASE cm.role WHEN 'manager' THEN 0 WHEN 'sme' THEN 1 ELSE 2 END, cm.created_at, cm.member_id
            LIMIT \(bind: limit) OFFSET \(bind: offset)
            """
        ).all().map { row in
            // Aliased: the member's own columns carry their site role under "role".
            (try Self.decodeMembership(row, since: "joined_at", role: "community_role"), try SQLMemberRepository.decode(row))
        }
    }

    func memberCounts(_ communities: [Community.ID]) async throws -> [Community.ID: Int] {
        guard !communities.isEmpty else { return [:] }
        var result: [Community.ID: Int] = [:]
        for row in try await db.raw(
            """
            SELECT community_id, COUNT(*) AS n FROM community_members
            WHERE community_id IN \(SQLQueryString.idList(communities)) AND state = 'active' GROUP BY community_id
            """
        ).all() {
            result[Community.ID(try row.decode(column: "community_id", as: Int64.self))] = Int(try row.decode(column: "n", as: Int64.self))
        }
        return result
    }

    func activeManagers(of community: Community.ID) async throws -> Int {
        Int(
            try await db.raw(
                """
                SELECT COUNT(*) AS n FROM community_members
                WHERE community_id = \(bind: community.rawValue) AND state = 'active' AND role = 'manager'
                """
            ).first()?.decode(column: "n", as: Int64.self) ?? 0)
    }

    func newestMembers(of community: Community.ID, limit: Int) async throws -> [(membership: CommunityMember, member: Member)] {
        try await db.raw(
            """
            SELECT cm.community_id, cm.member_id, cm.role AS community_role, cm.state, cm.created_at AS joined_at,
                   \(unsafeRaw: SQLMemberRepository.columns(of: "m"))
            FROM community_members cm JOIN members m ON m.id = cm.member_id
            WHERE cm.community_id = \(bind: community.rawValue) AND cm.state = 'active'
            ORDER BY cm.created_at DESC, cm.member_id DESC LIMIT \(bind: limit)
            """
        ).all().map { row in
            (try Self.decodeMembership(row, since: "joined_at", role: "community_role"), try SQLMemberRepository.decode(row))
        }
    }

    func communities(of member: Member.ID) async throws -> [(community: Community, membership: CommunityMember)] {
        try await db.raw(
            """
            SELECT \(unsafeRaw: Self.columns), cm.community_id, cm.member_id, cm.role AS community_role, cm.state, cm.created_at AS joined_at
            FROM community_members cm JOIN communities c ON c.id = cm.community_id
            WHERE cm.member_id = \(bind: member.rawValue) AND cm.state = 'active'
            ORDER BY c.name_key, c.id
            """
        ).all().map { row in (try Self.decode(row), try Self.decodeMembership(row, since: "joined_at", role: "community_role")) }
    }

    func suggested(for member: Member.ID, department: String, limit: Int) async throws -> [(community: Community, colleagues: Int)] {
        let m = member.rawValue
        // Colleagues first; communities where none of them is come after, the largest first.
        return try await db.raw(
            """
            SELECT \(unsafeRaw: Self.columns),
                   (SELECT COUNT(*) FROM community_members cm JOIN members p ON p.id = cm.member_id
                    WHERE cm.community_id = c.id AND cm.state = 'active' AND p.department = \(bind: department)
                      AND \(bind: department) <> '' AND p.id <> \(bind: m)) AS colleagues,
                   (SELECT COUNT(*) FROM community_members cm WHERE cm.community_id = c.id AND cm.state = 'active') AS size
            FROM communities c
            WHERE c.membership <> 'private'
              AND NOT EXISTS (SELECT 1 FROM community_members x WHERE x.community_id = c.id AND x.member_id = \(bind: m))
              AND NOT EXISTS (SELECT 1 FROM community_follows f WHERE f.community_id = c.id AND f.member_id = \(bind: m))
            ORDER BY colleagues DESC, size DESC, c.name_key LIMIT \(bind: limit)
            """
        ).all().map { (try Self.decode($0), Int(try $0.decode(column: "colleagues", as: Int64.self))) }
    }

    func communities(about tags: [String], visibleTo viewer: Member.ID?, limit: Int) async throws
        -> [(community: Community, items: Int)]
    {
        guard !tags.isEmpty else { return [] }
        var matches = SQLQueryString("")
        for (index, tag) in tags.prefix(20).enumerated() {
            if index > 0 { matches.appendLiteral(" OR ") }
            matches.appendInterpolation(SQLQueryString.hasWholeTag("i.tags", tag.lowercased()))
        }
        var visible = SQLQueryString("c.membership <> 'private'")
        if let viewer {
            visible = """
                (c.membership <> 'private' OR EXISTS (SELECT 1 FROM community_members cm WHERE cm.community_id = c.id
                    AND cm.member_id = \(bind: viewer.rawValue) AND cm.state = 'active'))
                """
        }
        return try await db.raw(
            """
            SELECT \(unsafeRaw: Self.columns), COUNT(*) AS n FROM community_items i JOIN communities c ON c.id = i.community_id
            WHERE i.state = 'published' AND i.moderation IS NULL AND (\(matches)) AND \(visible)
            GROUP BY \(unsafeRaw: Self.columns) ORDER BY n DESC, c.name_key LIMIT \(bind: limit)
            """
        ).all().map { (try Self.decode($0), Int(try $0.decode(column: "n", as: Int64.self))) }
    }

    func follow(_ community: Community.ID, by member: Member.ID, at: Date) async throws -> Bool {
        changes.member(member)
        return try await db.raw(
            """
            INSERT INTO community_follows (community_id, member_id, created_at)
            VALUES (\(bind: community.rawValue), \(bind: member.rawValue), \(bind: at.milliseconds))
            ON CONFLICT (community_id, member_id) DO NOTHING RETURNING member_id
            """
        ).first() != nil
    }

    func unfollow(_ community: Community.ID, by member: Member.ID) async throws -> Bool {
        changes.member(member)
        return try await db.raw(
            """
            DELETE FROM community_follows WHERE community_id = \(bind: community.rawValue) AND member_id = \(bind: member.rawValue)
            RETURNING member_id
            """
        ).first() != nil
    }

    func isFollowing(_ community: Community.ID, by member: Member.ID) async throws -> Bool {
        try await db.raw(
            """
            SELECT 1 AS yes FROM community_follows WHERE community_id = \(bind: community.rawValue) AND member_id = \(bind: member.rawValue)
            """
        ).first() != nil
    }

    func followerCounts(_ communities: [Community.ID]) async throws -> [Community.ID: Int] {
        guard !communities.isEmpty else { return [:] }
        var result: [Community.ID: Int] = [:]
        for row in try await db.raw(
            """
            SELECT community_id, COUNT(*) AS n FROM community_follows
            WHERE community_id IN \(SQLQueryString.idList(communities)) GROUP BY community_id
            """
        ).all() {
            result[Community.ID(try row.decode(column: "community_id", as: Int64.self))] = Int(try row.decode(column: "n", as: Int64.self))
        }
        return result
    }

    func notificationLevels(in community: Community.ID, of members: [Member.ID]) async throws -> [Member.ID: CommunityNotificationLevel] {
        guard !members.isEmpty else { return [:] }
        var result: [Member.ID: CommunityNotificationLevel] = [:]
        // A follow is read first so that a membership, when there is one too, decides.
        for row in try await db.raw(
            """
            SELECT member_id, notify, 0 AS rank FROM community_follows
            WHERE community_id = \(bind: community.rawValue) AND member_id IN \(SQLQueryString.idList(members))
            UNION ALL
            SELECT member_id, notify, 1 AS rank FROM community_members
            WHERE community_id = \(bind: community.rawValue) AND state = 'active' AND member_id IN \(SQLQueryString.idList(members))
            ORDER BY rank
            """
        ).all() {
            result[Member.ID(try row.decode(column: "member_id", as: Int64.self))] =
                CommunityNotificationLevel(rawValue: try row.decode(column: "notify", as: String.self)) ?? .normal
        }
        return result
    }

    func setNotificationLevel(_ level: CommunityNotificationLevel, of member: Member.ID, in community: Community.ID) async throws {
        for table in ["community_members", "community_follows"] {
            try await db.raw(
                """
                UPDATE \(unsafeRaw: table) SET notify = \(bind: level.rawValue)
                WHERE community_id = \(bind: community.rawValue) AND member_id = \(bind: member.rawValue)
                """
            ).run()
        }
    }

    func audience(of community: Community.ID, level: CommunityNotificationLevel) async throws -> [Member.ID] {
        try await db.raw(
            """
            SELECT member_id FROM community_members
            WHERE community_id = \(bind: community.rawValue) AND state = 'active' AND notify = \(bind: level.rawValue)
            UNION
            SELECT member_id FROM community_follows WHERE community_id = \(bind: community.rawValue) AND notify = \(bind: level.rawValue)
              AND NOT EXISTS (SELECT 1 FROM community_members cm WHERE cm.community_id = community_follows.community_id
                              AND cm.member_id = community_follows.member_id AND cm.state = 'active')
            """
        ).all().map { Member.ID(try $0.decode(column: "member_id", as: Int64.self)) }
    }

    func leaders(of community: Community.ID) async throws -> [Member.ID] {
        try await db.raw(
            """
            SELECT member_id FROM community_members
            WHERE community_id = \(bind: community.rawValue) AND state = 'active' AND role IN ('manager', 'sme')
            """
        ).all().map { Member.ID(try $0.decode(column: "member_id", as: Int64.self)) }
    }

    static func decode(_ row: any SQLRow) throws -> Community {
        Community(
            id: Community.ID(try row.decode(column: "id", as: Int64.self)),
            slug: try row.decode(column: "slug", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            kind: Community.Kind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .interest,
            purpose: try row.decode(column: "purpose", as: String.self),
            guidelines: try row.decode(column: "guidelines", as: String.self),
            membership: Community.Membership(rawValue: try row.decode(column: "membership", as: String.self)) ?? .private,
            createdBy: Member.ID(try row.decode(column: "created_by", as: Int64.self)),
            createdAt: Date(milliseconds: try row.decode(column: "created_at", as: Int64.self)),
            updatedAt: Date(milliseconds: try row.decode(column: "updated_at", as: Int64.self)))
    }

    static func decodeMembership(_ row: any SQLRow, since: String = "created_at", role: String = "role") throws -> CommunityMember {
        CommunityMember(
            community: Community.ID(try row.decode(column: "community_id", as: Int64.self)),
            member: Member.ID(try row.decode(column: "member_id", as: Int64.self)),
            role: CommunityMember.Role(rawValue: try row.decode(column: role, as: String.self)) ?? .member,
            state: CommunityMember.State(rawValue: try row.decode(column: "state", as: String.self)) ?? .requested,
            since: Date(milliseconds: try row.decode(column: since, as: Int64.self)))
    }
}
