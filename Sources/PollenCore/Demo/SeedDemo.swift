import Foundation

/// What `pollen demo` did.
public struct DemoReport: Sendable {
    public var created: Int
    public var skipped: Int
    public var password: String
    /// The demo member made administrator, when the server had none.
    public var adminHandle: String?
    public var follows = 0
    public var posts = 0
    public var favourites = 0
    public var communities = 0
    public var communityItems = 0
    public var questions = 0
    public var answers = 0
    public var usefulMarks = 0
    public var valueStories = 0
}

extension Pollen {
    /// The password every demo member signs in with, printed by `pollen demo`.
    public static let demoPassword = "pollen-demo-password"
    /// Members written per transaction: large enough to amortize commits, small enough to report progress.
    static let demoBatchSize = 1_000
    /// How far back the demo's follows and posts reach.
    static let demoHistory: TimeInterval = 366 * 24 * 3600

    /// Members join over about two years before the demo's history starts, however many there are.
    static func demoJoinInterval(_ count: Int) -> TimeInterval {
        2 * 365 * 24 * 3600 / Double(max(count, 1))
    }

    /// Fills the database with a believable organization, the same for the same seed. Members whose handle or
    /// e-mail exists already are skipped, so running it twice adds nothing.
    public func seedDemo(
        members count: Int, seed: UInt64, activity: Bool = true,
        progress: @Sendable (_ phase: String, _ done: Int, _ total: Int) -> Void = { _, _, _ in }
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
        var memberIDs: [Member.ID] = []
        memberIDs.reserveCapacity(drafts.count)
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
                    // Everyone joined before the activity the demo gives them (at most a year back) and the
                    // newest joined most recently, so "who's new" still has people in it.
                    createdAt: now.addingTimeInterval(
                        -(Self.demoHistory + Double(drafts.count - start - offset) * Self.demoJoinInterval(drafts.count))))
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
            memberIDs += candidates.map(\.id)
            adminHandle = adminHandle ?? admin
            created += inserted
            skipped += batch.count - inserted
            start += batch.count
            progress("members", start, drafts.count)
        }
        var report = DemoReport(created: created, skipped: skipped, password: Self.demoPassword, adminHandle: adminHandle)
        // Activity only for an organization created whole by this run: a re-run, or members that existed
        // already, would make it ambiguous whose activity is whose.
        if activity, created == drafts.count, !drafts.isEmpty {
            try await seedActivity(drafts: drafts, memberIDs: memberIDs, seed: seed, into: &report, progress: progress)
            try await seedCommunities(drafts: drafts, memberIDs: memberIDs, seed: seed, into: &report, progress: progress)
            try await seedQuestions(drafts: drafts, memberIDs: memberIDs, seed: seed, into: &report, progress: progress)
        }
        return report
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
