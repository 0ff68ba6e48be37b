import Foundation

/// The outcome of importing follows or followed hashtags: what changed, and each line that could not be used.
public struct FollowImportReport: Sendable, Equatable {
    public var added = 0
    public var alreadyFollowed = 0
    public var errors: [MemberImportReport.RowError] = []

    public var summary: String {
        "\(added) added, \(alreadyFollowed) already followed, \(errors.count) not resolved"
    }
}

extension Pollen {
    /// Mastodon's header for a following list export, which Mastodon and Pollen both import.
    public static let followsCSVHeader = "Account address,Show boosts,Notify on new posts,Languages"
    public static let hashtagsCSVHeader = "Hashtag"
    /// Enough for any real network; a larger file is more likely a mistake than a list of colleagues.
    static let maxImportLines = 20_000

    /// Whom the member follows, as Mastodon exports it: `handle@domain` per line.
    public func exportFollows(by actor: Actor, domain: String) async throws -> String {
        let member = try activeMember(actor)
        var lines = [Self.followsCSVHeader]
        var range = CursorRange(limit: Self.maxListPageSize)
        while true {
            let current = range
            let page = try await store.read { try await $0.network.following(of: member.id, range: current) }
            lines += page.map { "\(CSVWriter.field("\($0.member.handle)@\(domain)")),true,false," }
            guard page.count == range.limit, let last = page.last else { break }
            range.before = last.cursor
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public func exportFollowedTags(by actor: Actor) async throws -> String {
        let member = try activeMember(actor)
        var lines = [Self.hashtagsCSVHeader]
        var range = CursorRange(limit: Self.maxListPageSize)
        while true {
            let current = range
            let page = try await store.read { try await $0.network.followedTags(of: member.id, range: current) }
            lines += page.map { "#\($0.tag)" }
            guard page.count == range.limit, let last = page.last else { break }
            range.before = last.cursor
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Follows everyone a CSV names (Mastodon's export, or one address per line). Addresses are `handle`,
    /// `@handle` or `handle@domain` with this server's domain; a line that names nobody here, oneself, or
    /// someone across a block is reported with its number and changes nothing.
    public func importFollows(csv text: String, by actor: Actor, domain: String) async throws -> FollowImportReport {
        let member = try activeMember(actor)
        let rows = try Self.importRows(text, header: "account address")
        let now = time.now()
        let followIDs = rows.map { _ in ids.next() }
        return try await store.write { repos in
            var report = FollowImportReport()
            for (index, row) in rows.enumerated() {
                var address = row.value.hasPrefix("@") ? String(row.value.dropFirst()) : row.value
                if let at = address.firstIndex(of: "@") {
                    let host = address[address.index(after: at)...].lowercased()
                    guard host == domain.lowercased() else {
                        report.errors.append(.init(line: row.line, message: "\(row.value) is on another server."))
                        continue
                    }
                    address = String(address[..<at])
                }
                guard let target = try await repos.members.find(handle: address), !target.isSuspended else {
                    report.errors.append(.init(line: row.line, message: "nobody here is called @\(address)."))
                    continue
                }
                guard target.id != member.id else {
                    report.errors.append(.init(line: row.line, message: "@\(address) is you."))
                    continue
                }
                let relationship = try await Self.relationship(member.id, target.id, repos: repos)
                guard !relationship.blocking, !relationship.blockedBy else {
                    report.errors.append(.init(line: row.line, message: "you cannot follow @\(target.handle)."))
                    continue
                }
                if try await repos.network.follow(id: followIDs[index], follower: member.id, followee: target.id, at: now) {
                    report.added += 1
                    // Imported follows are follows: the people followed hear of them as of any other.
                    try await Self.notify(
                        target.id, kind: .follow, actor: member.id, post: nil, id: ids.next(), at: now, repos: repos)
                } else {
                    report.alreadyFollowed += 1
                }
            }
            return report
        }
    }

    /// Follows every hashtag a file names, one per line (`#tag` or `tag`), with an optional `Hashtag` header.
    public func importFollowedTags(csv text: String, by actor: Actor) async throws -> FollowImportReport {
        let member = try activeMember(actor)
        let rows = try Self.importRows(text, header: "hashtag")
        let now = time.now()
        let followIDs = rows.map { _ in ids.next() }
        return try await store.write { repos in
            var report = FollowImportReport()
            for (index, row) in rows.enumerated() {
                guard let tag = try? Self.validTag(row.value) else {
                    report.errors.append(.init(line: row.line, message: "“\(row.value)” is not a hashtag."))
                    continue
                }
                if try await repos.network.followTag(id: followIDs[index], member: member.id, tag: tag, at: now) {
                    report.added += 1
                } else {
                    report.alreadyFollowed += 1
                }
            }
            return report
        }
    }

    /// The first field of every data line, with its line number; a first line naming `header` is skipped.
    private static func importRows(_ text: String, header: String) throws -> [(line: Int, value: String)] {
        let records = try CSVReader.records(text)
        guard !records.isEmpty else { throw DomainError.invalid("The file is empty.", field: "file") }
        guard records.count <= maxImportLines else {
            throw DomainError.invalid("The file has more than \(maxImportLines) lines.", field: "file")
        }
        let hasHeader = records[0].fields.first?.trimmingCharacters(in: .whitespaces).lowercased() == header
        return records.dropFirst(hasHeader ? 1 : 0).compactMap { record in
            let value = (record.fields.first ?? "").trimmingCharacters(in: .whitespaces)
            return value.isEmpty ? nil : (record.line, value)
        }
    }
}

/// Quoting for the few CSV files Pollen writes.
public enum CSVWriter {
    public static func field(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
