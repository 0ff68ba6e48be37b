import Foundation
import PollenCore
import SQLKit

struct SQLMemberRepository: MemberRepository {
    let db: any SQLDatabase
    /// SQLite keeps a trigram index of each member's search text beside the table (migration 0009).
    let dialect: Dialect
    let changes: ChangeRecorder

    private static let columnNames = [
        "id", "handle", "email", "display_name", "bio", "department", "location", "job_role", "subjects", "expertise",
        "role", "status", "password_hash", "created_at", "updated_at", "network_audience", "discoverable", "self_registered",
    ]
    private static let columns = columnNames.joined(separator: ", ")

    /// The member columns of a join, from the table aliased `alias`, under their own names.
    static func columns(of alias: String) -> String {
        columnNames.map { "\(alias).\($0)" }.joined(separator: ", ")
    }

    func insert(_ member: Member) async throws {
        try await insertMany([member])
    }

    func insertMany(_ members: [Member]) async throws {
        changes.members(members.map(\.id))
        // Multi-row INSERTs keep bulk imports fast; the chunk stays under SQLite's 32,766 bound parameters.
        for chunk in members.chunked(into: 500) {
            var query = SQLQueryString(
                "INSERT INTO members (\(unsafeRaw: Self.columns), handle_lower, email_lower, search_text, name_key, department_key, location_key) VALUES ")
            query.appendList(chunk, Self.values)
            try await db.raw(query).run()
            try await insertTags(Array(chunk))
            if dialect == .sqlite {
                var index = SQLQueryString("INSERT INTO members_trigrams (rowid, search_text) VALUES ")
                index.appendList(chunk) { "(\(bind: $0.id.rawValue), \(bind: Self.searchText($0)))" }
                try await db.raw(index).run()
            }
        }
    }

    func update(_ member: Member) async throws {
        changes.member(member.id)
        let p = member.profile
        try await db.raw(
            """
            UPDATE members SET handle = \(bind: member.handle), handle_lower = \(bind: member.handle.lowercased()),
                email = \(bind: member.email), email_lower = \(bind: member.email.lowercased()),
                display_name = \(bind: p.displayName), bio = \(bind: p.bio), department = \(bind: p.department),
                location = \(bind: p.location), job_role = \(bind: p.jobRole),
                subjects = \(bind: p.subjects.joined(separator: ",")), expertise = \(bind: p.expertise.joined(separator: ",")),
                search_text = \(bind: Self.searchText(member)), name_key = \(bind: p.displayName.lowercased()),
                department_key = \(bind: p.department.lowercased()),
                location_key = \(bind: p.location.lowercased()), role = \(bind: member.role.rawValue),
                status = \(bind: member.status.rawValue), password_hash = \(bind: member.passwordHash),
                updated_at = \(bind: member.updatedAt.milliseconds),
                network_audience = \(bind: member.privacy.audience.rawValue),
                discoverable = \(bind: member.privacy.discoverable ? 1 : 0)
            WHERE id = \(bind: member.id.rawValue)
            """
        ).run()
        let before = try await db.raw(
            "DELETE FROM member_tags WHERE member_id = \(bind: member.id.rawValue) RETURNING tag"
        ).all().map { try $0.decode(column: "tag", as: String.self) }
        try await TagCounts(db: db).apply(members: TagCounts.tally(Set(before), -1))
        try await insertTags([member])
        if dialect == .sqlite {
            try await db.raw("DELETE FROM members_trigrams WHERE rowid = \(bind: member.id.rawValue)").run()
            try await db.raw(
                "INSERT INTO members_trigrams (rowid, search_text) VALUES (\(bind: member.id.rawValue), \(bind: Self.searchText(member)))"
            ).run()
        }
    }

    func find(id: Member.ID) async throws -> Member? {
        try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM members WHERE id = \(bind: id.rawValue)")
            .first().map(Self.decode)
    }

    func find(handle: String) async throws -> Member? {
        try await db.raw(
            "SELECT \(unsafeRaw: Self.columns) FROM members WHERE handle_lower = \(bind: handle.lowercased())"
        ).first().map(Self.decode)
    }

    func find(email: String) async throws -> Member? {
        try await db.raw(
            "SELECT \(unsafeRaw: Self.columns) FROM members WHERE email_lower = \(bind: email.lowercased())"
        ).first().map(Self.decode)
    }

    func find(ids: [Member.ID]) async throws -> [Member] {
        guard !ids.isEmpty else { return [] }
        return try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM members WHERE id IN \(SQLQueryString.idList(ids))")
            .all().map(Self.decode)
    }

    func count() async throws -> Int {
        try await scalar("SELECT COUNT(*) AS n FROM members")
    }

    func countAdmins() async throws -> Int {
        try await scalar("SELECT COUNT(*) AS n FROM members WHERE role = 'admin' AND status = 'active'")
    }

    func search(_ query: DirectoryQuery) async throws -> Page<Member> {
        var conditions: [SQLQueryString] = []
        if !query.includeSuspended { conditions.append("status = 'active'") }
        if let viewer = query.offeredTo {
            conditions.append("(discoverable = 1 OR id = \(bind: viewer.rawValue))")
        }
        for word in query.text.lowercased().split(whereSeparator: \.isWhitespace).prefix(8) {
            conditions.append("search_text LIKE \(bind: "%" + Self.escapeLike(String(word)) + "%") ESCAPE '\\'")
            // A substring match reads every member; on SQLite the trigram index narrows it to the members
            // whose text holds the word (three characters at least), and the LIKE above still decides.
            if dialect == .sqlite, word.count >= 3 {
                conditions.append(
                    "id IN (SELECT rowid FROM members_trigrams WHERE members_trigrams MATCH \(bind: "\"" + word.replacingOccurrences(of: "\"", with: "\"\"") + "\""))")
            }
        }
        if let subject = query.subject { conditions.append(Self.hasTag("subject", subject)) }
        if let expertise = query.expertise { conditions.append(Self.hasTag("expertise", expertise)) }
        if let department = query.department {
            conditions.append("department_key = \(bind: department.lowercased())")
        }
        if let location = query.location { conditions.append("location_key = \(bind: location.lowercased())") }
        var whereClause = SQLQueryString("")
        for (index, condition) in conditions.enumerated() {
            whereClause.appendLiteral(index == 0 ? " WHERE " : " AND ")
            whereClause.appendInterpolation(condition)
        }
        let total = try await db.raw("SELECT COUNT(*) AS n FROM members\(whereClause)").first()?
            .decode(column: "n", as: Int64.self) ?? 0
        let rows = try await db.raw(
            """
            SELECT \(unsafeRaw: Self.columns) FROM members\(whereClause)
            ORDER BY name_key, id LIMIT \(bind: query.limit) OFFSET \(bind: query.offset)
            """
        ).all()
        return Page(items: try rows.map(Self.decode), total: Int(total))
    }

    func facets() async throws -> DirectoryFacets {
        func distinct(_ column: String) async throws -> [String] {
            try await db.raw(
                """
                SELECT DISTINCT \(unsafeRaw: column) AS v FROM members
                WHERE \(unsafeRaw: column) <> '' AND status = 'active' ORDER BY \(unsafeRaw: column)
                """
            ).all().map { try $0.decode(column: "v", as: String.self) }
        }
        return DirectoryFacets(departments: try await distinct("department"), locations: try await distinct("location"))
    }

    // MARK: - Mapping

    private func scalar(_ sql: SQLQueryString) async throws -> Int {
        Int(try await db.raw(sql).first()?.decode(column: "n", as: Int64.self) ?? 0)
    }

    private func insertTags(_ members: [Member]) async throws {
        let rows = members.flatMap { member in
            member.profile.subjects.map { (member.id.rawValue, "subject", $0) }
                + member.profile.expertise.map { (member.id.rawValue, "expertise", $0) }
        }
        for chunk in rows.chunked(into: 1_000) {
            var query = SQLQueryString("INSERT INTO member_tags (member_id, kind, tag) VALUES ")
            query.appendList(chunk) { "(\(bind: $0.0), \(bind: $0.1), \(bind: $0.2))" }
            try await db.raw(query).run()
        }
        // A member listing a tag as both subject and expertise counts once for it.
        try await TagCounts(db: db).apply(
            members: TagCounts.tally(members.flatMap { Set($0.profile.subjects + $0.profile.expertise) }))
    }

    private static func values(_ member: Member) -> SQLQueryString {
        let p = member.profile
        return """
            (\(bind: member.id.rawValue), \(bind: member.handle), \(bind: member.email), \(bind: p.displayName),
             \(bind: p.bio), \(bind: p.department), \(bind: p.location), \(bind: p.jobRole),
             \(bind: p.subjects.joined(separator: ",")), \(bind: p.expertise.joined(separator: ",")),
             \(bind: member.role.rawValue), \(bind: member.status.rawValue), \(bind: member.passwordHash),
             \(bind: member.createdAt.milliseconds), \(bind: member.updatedAt.milliseconds),
             \(bind: member.privacy.audience.rawValue), \(bind: member.privacy.discoverable ? 1 : 0),
             \(bind: member.selfRegistered ? 1 : 0), \(bind: member.handle.lowercased()), \(bind: member.email.lowercased()), \(bind: searchText(member)),
             \(bind: p.displayName.lowercased()), \(bind: p.department.lowercased()), \(bind: p.location.lowercased()))
            """
    }

    private static func hasTag(_ kind: String, _ tag: String) -> SQLQueryString {
        """
        EXISTS (SELECT 1 FROM member_tags t WHERE t.member_id = members.id AND t.kind = \(bind: kind)
                AND t.tag = \(bind: tag))
        """
    }

    /// Everything the directory's free-text search looks at, lower-cased once at write time (in Swift, for
    /// every script: SQLite's `lower()` folds ASCII only; the `*_key` columns exist for the same reason).
    static func searchText(_ member: Member) -> String {
        let p = member.profile
        return ([member.handle, p.displayName, p.bio, p.department, p.location, p.jobRole] + p.subjects + p.expertise)
            .joined(separator: " ").lowercased()
    }

    static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
    }

    static func decode(_ row: any SQLRow) throws -> Member {
        func tags(_ column: String) throws -> [String] {
            try row.decode(column: column, as: String.self).split(separator: ",").map(String.init)
        }
        var member = Member(
            id: Member.ID(try row.decode(column: "id", as: Int64.self)),
            handle: try row.decode(column: "handle", as: String.self),
            email: try row.decode(column: "email", as: String.self),
            profile: Profile(
                displayName: try row.decode(column: "display_name", as: String.self),
                bio: try row.decode(column: "bio", as: String.self),
                department: try row.decode(column: "department", as: String.self),
                location: try row.decode(column: "location", as: String.self),
                jobRole: try row.decode(column: "job_role", as: String.self),
                subjects: try tags("subjects"), expertise: try tags("expertise")),
            role: Member.Role(rawValue: try row.decode(column: "role", as: String.self)) ?? .member,
            status: Member.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .active,
            passwordHash: try row.decode(column: "password_hash", as: String?.self),
            privacy: NetworkPrivacy(
                audience: NetworkPrivacy.Audience(rawValue: try row.decode(column: "network_audience", as: String.self)) ?? .everyone,
                discoverable: try row.decode(column: "discoverable", as: Int64.self) != 0),
            createdAt: Date(milliseconds: try row.decode(column: "created_at", as: Int64.self)),
            updatedAt: Date(milliseconds: try row.decode(column: "updated_at", as: Int64.self)))
        member.selfRegistered = try row.decode(column: "self_registered", as: Int64.self) != 0
        return member
    }
}

extension Array {
    func chunked(into size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
