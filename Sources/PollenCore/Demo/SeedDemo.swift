import Foundation

/// What `pollen demo` did.
public struct DemoReport: Sendable {
    public var created: Int
    public var skipped: Int
    public var password: String
    /// The demo member made administrator, when the server had none.
    public var adminHandle: String?
}

extension Pollen {
    /// The password every demo member signs in with, printed by `pollen demo`.
    public static let demoPassword = "pollen-demo-password"
    /// Members written per transaction: large enough to amortize commits, small enough to report progress.
    static let demoBatchSize = 1_000

    /// Fills the database with a believable organization, the same for the same seed. Members whose handle or
    /// e-mail exists already are skipped, so running it twice adds nothing.
    public func seedDemo(
        members count: Int, seed: UInt64, progress: @Sendable (_ done: Int, _ total: Int) -> Void = { _, _ in }
    ) async throws -> DemoReport {
        guard count >= 0, count <= 1_000_000 else {
            throw DomainError.invalid("--members must be between 0 and 1,000,000.", field: "members")
        }
        let drafts = DemoOrganizationGenerator(seed: seed).members(count: count)
        // One bcrypt hash shared by all demo members: hashing 10,000 passwords would take minutes.
        let hash = try secrets.hashPassword(Self.demoPassword)
        let now = time.now()
        var created = 0
        var skipped = 0
        var start = 0
        var adminHandle: String? = nil
        while start < drafts.count {
            let batch = Array(drafts[start..<min(start + Self.demoBatchSize, drafts.count)])
            let candidates = batch.enumerated().map { offset, draft in
                Member(
                    id: Member.ID(ids.next()), handle: draft.handle, email: draft.email,
                    profile: Profile(
                        displayName: draft.displayName, bio: draft.bio, department: draft.department,
                        location: draft.location, jobRole: draft.jobRole, subjects: draft.subjects,
                        expertise: draft.expertise),
                    passwordHash: hash,
                    createdAt: now.addingTimeInterval(-Double(drafts.count - start - offset) * 600))
            }
            let (inserted, admin) = try await store.write { repos -> (Int, String?) in
                var fresh = try await Self.withoutExisting(candidates, repos: repos)
                // A demo server needs someone to administer it; the first demo member is that person unless
                // the server has an administrator already.
                var admin: String? = nil
                if !fresh.isEmpty, try await repos.members.countAdmins() == 0 {
                    fresh[0].role = .admin
                    admin = fresh[0].handle
                }
                try await repos.members.insertMany(fresh)
                return (fresh.count, admin)
            }
            adminHandle = adminHandle ?? admin
            created += inserted
            skipped += batch.count - inserted
            start += batch.count
            progress(start, drafts.count)
        }
        return DemoReport(created: created, skipped: skipped, password: Self.demoPassword, adminHandle: adminHandle)
    }

    private static func withoutExisting(_ members: [Member], repos: any Repositories) async throws -> [Member] {
        // An empty database is the common case; skip the per-member lookups then.
        if try await repos.members.count() == 0 { return members }
        var fresh: [Member] = []
        for member in members {
            let handleTaken = try await repos.members.find(handle: member.handle) != nil
            let emailTaken = try await repos.members.find(email: member.email) != nil
            if !handleTaken && !emailTaken { fresh.append(member) }
        }
        return fresh
    }
}
