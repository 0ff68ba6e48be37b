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

extension Pollen {
    static let exploreListSize = 10
    /// A hashtag needs this many posts in the week to count as rising.
    static let risingMinimum = 3

    /// New members (last 30 days), the most engaged-with members and posts of the week, and hashtags used
    /// more this week than in the three weeks before; for the organization or one department.
    public func explore(department rawDepartment: String?, viewer actor: Actor) async throws -> ExploreOverview {
        let viewer = try activeMember(actor)
        let department = rawDepartment?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        guard (department?.count ?? 0) <= ProfileRules.shortFieldMaxLength else {
            throw DomainError.invalid("That department name is too long.", field: "department")
        }
        let now = time.now()
        let week: TimeInterval = 7 * 24 * 3600
        let thisWeek = ActivityWindow(since: now.addingTimeInterval(-week), until: now, department: department)
        let before = ActivityWindow(since: now.addingTimeInterval(-4 * week), until: thisWeek.since, department: department)
        return try await store.read { repos in
            let newcomers = try await repos.discovery.newMembers(
                since: now.addingTimeInterval(-Self.newMemberWindow), department: department, limit: Self.exploreListSize * 2)
                .filter { AccessPolicy.mayOffer($0, to: viewer) }
            let engaged = try await repos.discovery.mostEngagedAuthors(thisWeek, limit: Self.exploreListSize * 2)
            let people = Dictionary(
                uniqueKeysWithValues: try await repos.members.find(ids: engaged.map(\.member))
                    .filter { AccessPolicy.mayOffer($0, to: viewer) }.map { ($0.id, $0) })
            let postIDs = try await repos.discovery.mostEngagedPosts(thisWeek, limit: Self.exploreListSize * 2)
            var visible: [PostEntry] = []
            for post in try await repos.posts.find(ids: postIDs) where !post.isDeleted {
                if try await Self.maySee(post, viewer: viewer, repos: repos) {
                    visible.append(PostEntry(cursor: post.id.rawValue, post: post))
                }
            }
            let order = Dictionary(uniqueKeysWithValues: postIDs.enumerated().map { ($1, $0) })
            visible.sort { (order[$0.post.id] ?? 0) < (order[$1.post.id] ?? 0) }
            let posts = try await Self.views(Array(visible.prefix(Self.exploreListSize)), viewer: viewer, repos: repos)
            let recent = try await repos.discovery.tagUse(thisWeek)
            let earlier = try await repos.discovery.tagUse(before)
            let rising = recent.filter { $0.value >= Self.risingMinimum }.map { tag, count in
                TagTrend(tag: tag, thisWeek: count, weeklyBefore: Double(earlier[tag] ?? 0) / 3)
            }.filter { Double($0.thisWeek) > $0.weeklyBefore }
            .sorted {
                let a = Double($0.thisWeek + 1) / ($0.weeklyBefore + 1), b = Double($1.thisWeek + 1) / ($1.weeklyBefore + 1)
                return a != b ? a > b : $0.tag < $1.tag
            }
            return ExploreOverview(
                department: department, newMembers: Array(newcomers.prefix(Self.exploreListSize)),
                popularPeople: Array(engaged.compactMap { row in people[row.member].map { ($0, row.engagement) } }.prefix(Self.exploreListSize)),
                popularPosts: posts, risingTags: Array(rising.prefix(Self.exploreListSize)))
        }
    }
}
