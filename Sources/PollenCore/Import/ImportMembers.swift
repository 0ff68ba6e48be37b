import Foundation

/// The outcome of a member import: what was written, and each refused row with its line number.
public struct MemberImportReport: Sendable, Equatable {
    public struct RowError: Sendable, Equatable {
        public let line: Int
        public let message: String
    }
    public var created = 0
    public var updated = 0
    public var unchanged = 0
    public var errors: [RowError] = []

    public var summary: String {
        "\(created) created, \(updated) updated, \(unchanged) unchanged, \(errors.count) rejected"
    }
}

extension Pollen {
    /// The columns of a member CSV; the header names them in any order and case.
    public static let memberImportColumns = [
        "email", "name", "handle", "department", "location", "job role", "subjects", "expertise",
    ]

    /// Imports members from CSV. Each row is checked on its own: a bad row is reported with its line number
    /// and nothing from it is written, while the good rows are. Members are matched by e-mail, so a re-run
    /// updates them instead of creating them again; their handle is never changed by an import.
    public func importMembers(csv text: String, by actor: Actor) async throws -> MemberImportReport {
        try AccessPolicy.require(AccessPolicy.mayAdminister(actor))
        let records = try CSVReader.records(text)
        guard let header = records.first else {
            throw DomainError.invalid("The file is empty: the first line must name the columns.", field: "file")
        }
        let columns = try Self.columnIndexes(header.fields)
        let rows = Array(records.dropFirst())
        let now = time.now()
        // Identifiers are drawn before the transaction so the closure stays free of the generator's state.
        let newIDs = rows.map { _ in Member.ID(ids.next()) }

        return try await store.write { repos in
            var report = MemberImportReport()
            var handlesInFile = Set<String>()
            var emailsInFile = Set<String>()
            for (index, row) in rows.enumerated() {
                do {
                    let value = { (name: String) -> String in
                        guard let i = columns[name], i < row.fields.count else { return "" }
                        return row.fields[i].trimmingCharacters(in: .whitespacesAndNewlines)
                    }
                    guard row.fields.count <= header.fields.count else {
                        throw DomainError.invalid("has \(row.fields.count) fields but the header has \(header.fields.count).")
                    }
                    let email = try ProfileRules.validEmail(value("email"))
                    guard emailsInFile.insert(email.lowercased()).inserted else {
                        throw DomainError.invalid("the e-mail \(email) appears earlier in the file.")
                    }
                    let profile = try ProfileRules.validProfile(
                        Profile(
                            displayName: value("name"), department: value("department"), location: value("location"),
                            jobRole: value("job role"), subjects: ProfileRules.splitTagList(value("subjects")),
                            expertise: ProfileRules.splitTagList(value("expertise"))))
                    if var existing = try await repos.members.find(email: email) {
                        // Columns the file does not have leave what the member has untouched.
                        var merged = existing.profile
                        merged.displayName = profile.displayName
                        if columns["department"] != nil { merged.department = profile.department }
                        if columns["location"] != nil { merged.location = profile.location }
                        if columns["job role"] != nil { merged.jobRole = profile.jobRole }
                        if columns["subjects"] != nil { merged.subjects = profile.subjects }
                        if columns["expertise"] != nil { merged.expertise = profile.expertise }
                        if existing.profile == merged {
                            report.unchanged += 1
                        } else {
                            existing.profile = merged
                            existing.updatedAt = now
                            try await repos.members.update(existing)
                            report.updated += 1
                        }
                        handlesInFile.insert(existing.handle.lowercased())
                        continue
                    }
                    let handle = try ProfileRules.validHandle(value("handle"))
                    guard handlesInFile.insert(handle.lowercased()).inserted else {
                        throw DomainError.invalid("the handle @\(handle) appears earlier in the file.")
                    }
                    if try await repos.members.find(handle: handle) != nil {
                        throw DomainError.invalid("the handle @\(handle) is taken by another member.")
                    }
                    try await repos.members.insert(
                        Member(id: newIDs[index], handle: handle, email: email, profile: profile, createdAt: now))
                    report.created += 1
                } catch let error as DomainError {
                    report.errors.append(.init(line: row.line, message: Self.rowMessage(error)))
                }
            }
            return report
        }
    }

    private static func rowMessage(_ error: DomainError) -> String {
        var message = error.message
        if let first = message.first, first.isUppercase, !message.hasPrefix("Handle"), !message.hasPrefix("Display") {
            message = first.lowercased() + message.dropFirst()
        }
        return message
    }

    private static func columnIndexes(_ header: [String]) throws -> [String: Int] {
        var indexes: [String: Int] = [:]
        for (i, raw) in header.enumerated() {
            let name = raw.trimmingCharacters(in: .whitespaces).lowercased()
                .replacingOccurrences(of: "_", with: " ").replacingOccurrences(of: "jobrole", with: "job role")
            let canonical = name == "display name" ? "name" : name
            guard memberImportColumns.contains(canonical) else {
                throw DomainError.invalid(
                    "Line 1: unknown column “\(raw)”. Expected: \(memberImportColumns.joined(separator: ", ")).",
                    field: "file")
            }
            indexes[canonical] = i
        }
        for required in ["email", "name", "handle"] where indexes[required] == nil {
            throw DomainError.invalid("Line 1: the column “\(required)” is missing.", field: "file")
        }
        return indexes
    }
}
