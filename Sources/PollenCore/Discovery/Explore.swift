import Foundation

/// A hashtag used more this week than in the weeks before.
public struct TagTrend: Sendable, Equatable {
    public let tag: String
    public let thisWeek: Int
    /// Posts per week over the three weeks before.
    public let weeklyBefore: Double
}

/// Who's new, who's popular and what is rising, for the organization or one department.
public struct ExploreOverview: Sendable {
    public let department: String?
    public let newMembers: [Member]
    public let popularPeople: [(member: Member, engagement: Int)]
    public let popularPosts: [PostView]
    public let risingTags: [TagTrend]
}

/// The organization's week as anyone sees it, before a viewer's blocks, mutes and privacy choices: the
/// costly part of ``ExploreOverview`` (it reads every post of the last four weeks), worth keeping a few
/// minutes and sharing between viewers.
public struct TrendSnapshot: Sendable {
    public let department: String?
    public let takenAt: Date
    public let newMembers: [Member.ID]
    public let popularPeople: [(member: Member.ID, engagement: Int)]
    public let popularPosts: [Post.ID]
    public let risingTags: [TagTrend]

    public init(
        department: String?, takenAt: Date, newMembers: [Member.ID], popularPeople: [(member: Member.ID, engagement: Int)],
        popularPosts: [Post.ID], risingTags: [TagTrend]
    ) {
        self.department = department
        self.takenAt = takenAt
        self.newMembers = newMembers
        self.popularPeople = popularPeople
        self.popularPosts = popularPosts
        self.risingTags = risingTags
    }
}

extension Pollen {
    static let exploreListSize = 10
    /// A hashtag needs this many posts in the week to count as rising.
    static let risingMinimum = 3

    /// New members (last 30 days), the most engaged-with members and posts of the week, and hashtags used
    /// more this week than in the three weeks before; for the organization or one department.
    public func explore(department rawDepartment: String?, viewer actor: Actor) async throws -> ExploreOverview {
        _ = try activeMember(actor)
        return try await explore(try await trendSnapshot(department: rawDepartment), viewer: actor)
    }

    /// The department as typed, checked and trimmed; `nil` for the whole organization.
    public static func exploreDepartment(_ raw: String?) throws -> String? {
        let department = raw?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        guard (department?.count ?? 0) <= ProfileRules.shortFieldMaxLength else {
            throw DomainError.invalid("That department name is too long.", field: "department")
        }
        return department
    }

    /// Reads the week's trends, for everyone alike (see ``TrendSnapshot``).
    public func trendSnapshot(department rawDepartment: String?) async throws -> TrendSnapshot {
        let department = try Self.exploreDepartment(rawDepartment)
        let now = time.now()
        let week: TimeInterval = 7 * 24 * 3600
        let thisWeek = ActivityWindow(since: now.addingTimeInterval(-week), until: now, department: department)
        let before = ActivityWindow(since: now.addingTimeInterval(-4 * week), until: thisWeek.since, department: department)
        // More than shown: some are left out per viewer (blocks, privacy choices made since).
        let spare = Self.exploreListSize * 2
        return try await store.read { repos in
            let newcomers = try await repos.discovery.newMembers(
                since: now.addingTimeInterval(-Self.newMemberWindow), department: department, limit: spare)
            let engaged = try await repos.discovery.mostEngagedAuthors(thisWeek, limit: spare)
            let posts = try await repos.discovery.mostEngagedPosts(thisWeek, limit: spare)
            let recent = try await repos.discovery.tagUse(thisWeek)
            let earlier = try await repos.discovery.tagUse(before)
            let rising = recent.filter { $0.value >= Self.risingMinimum }.map { tag, count in
                TagTrend(tag: tag, thisWeek: count, weeklyBefore: Double(earlier[tag] ?? 0) / 3)
            }.filter { Double($0.thisWeek) > $0.weeklyBefore }
            .sorted {
                let a = Double($0.thisWeek + 1) / ($0.weeklyBefore + 1), b = Double($1.thisWeek + 1) / ($1.weeklyBefore + 1)
                return a != b ? a > b : $0.tag < $1.tag
            }
            return TrendSnapshot(
                department: department, takenAt: now, newMembers: newcomers.map(\.id), popularPeople: engaged,
                popularPosts: posts, risingTags: Array(rising.prefix(Self.exploreListSize)))
        }
    }

    /// A snapshot as `viewer` may see it: people they may be offered, posts they may see.
    public func explore(_ snapshot: TrendSnapshot, viewer actor: Actor) async throws -> ExploreOverview {
        let viewer = try activeMember(actor)
        return try await store.read { repos in
            let people = Dictionary(
                uniqueKeysWithValues: try await repos.members.find(
                    ids: (snapshot.newMembers + snapshot.popularPeople.map(\.member)).uniqued()
                ).filter { AccessPolicy.mayOffer($0, to: viewer) }.map { ($0.id, $0) })
            var visible: [PostEntry] = []
            for post in try await repos.posts.find(ids: snapshot.popularPosts) where !post.isDeleted {
                if try await Self.maySee(post, viewer: viewer, repos: repos) {
                    visible.append(PostEntry(cursor: post.id.rawValue, post: post))
                }
            }
            let order = Dictionary(uniqueKeysWithValues: snapshot.popularPosts.enumerated().map { ($1, $0) })
            visible.sort { (order[$0.post.id] ?? 0) < (order[$1.post.id] ?? 0) }
            let posts = try await Self.views(Array(visible.prefix(Self.exploreListSize)), viewer: viewer, repos: repos)
            return ExploreOverview(
                department: snapshot.department,
                newMembers: Array(snapshot.newMembers.compactMap { people[$0] }.prefix(Self.exploreListSize)),
                popularPeople: Array(snapshot.popularPeople.compactMap { row in people[row.member].map { ($0, row.engagement) } }
                    .prefix(Self.exploreListSize)),
                popularPosts: posts, risingTags: snapshot.risingTags)
        }
    }
}
