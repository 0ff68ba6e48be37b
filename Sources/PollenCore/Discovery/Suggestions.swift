import Foundation

extension Pollen {
    /// How far back subject scores look: thought leaders are the most engaged-with over this window.
    public static let subjectWindow: TimeInterval = 90 * 24 * 3600
    /// Members who joined within this are "new here".
    public static let newMemberWindow: TimeInterval = 30 * 24 * 3600
    /// Most suggestions one request returns.
    public static let maxSuggestions = 80
    /// Friends-of-friends read per request, most shared follows first: enough to re-rank among.
    static let friendsOfFriendsPool = 300
    /// Candidates re-ranked for diversity: the most relevant this many of all gathered (maximal marginal
    /// relevance re-ranks a top list; reading every gathered person's profile cost more than the ranking).
    public static let rankedPool = 160
    /// Departments counted as the viewer's own besides their department: the ones they follow most.
    static let familiarDepartmentCount = 2

    /// People to follow, each with why, re-ranked so the list does not stay inside the viewer's bubble (see
    /// ``SuggestionRanker``). Never anyone the viewer follows, dismissed, blocks or is blocked by, nor anyone
    /// who asked not to be suggested; shared follows count only through networks the viewer may see.
    public func suggestions(for actor: Actor, limit: Int = 20) async throws -> [Suggestion] {
        let viewer = try activeMember(actor)
        let limit = min(max(limit, 1), Self.maxSuggestions)
        let now = time.now()
        return try await store.read { repos in
            let discovery = repos.discovery
            let excluded = try await discovery.notToSuggest(to: viewer.id)
            var candidates: [Member.ID: SuggestionRanker.Candidate] = [:]
            var shared: [Member.ID: Int] = [:]
            for found in try await discovery.friendsOfFriends(of: viewer.id, limit: Self.friendsOfFriendsPool)
            where !excluded.contains(found.member) {
                shared[found.member] = found.sharedFollows
            }
            let followed = try await repos.network.timelineSources(of: viewer.id)
            let tags = Array((viewer.profile.subjects + viewer.profile.expertise + followed.tags).uniqued().prefix(24))
            var subjects: [Member.ID: [(tag: String, engagement: Int, replies: Int)]] = [:]
            let scores = try await discovery.subjectScores(tags: tags, byActivity: false, limit: 25)
                + discovery.subjectScores(tags: tags, byActivity: true, limit: 15)
            var seenScores: Set<String> = []
            for score in scores where !excluded.contains(score.member) {
                guard seenScores.insert("\(score.tag) \(score.member)").inserted else { continue }
                subjects[score.member, default: []].append((score.tag, score.engagement, score.replies))
            }
            let newcomers = try await discovery.newMembers(since: now.addingTimeInterval(-Self.newMemberWindow), department: nil, limit: 40)
                .filter { !excluded.contains($0.id) }
            let newIDs = Set(newcomers.map(\.id))
            let gathered = Set(shared.keys).union(subjects.keys).union(newIDs)
            let relevance = Dictionary(uniqueKeysWithValues: gathered.map { id in
                (id, SuggestionRanker.relevance(
                    sharedFollows: shared[id] ?? 0, subjects: subjects[id] ?? [], isNew: newIDs.contains(id)))
            })
            let ids = gathered.sorted { relevance[$0]! != relevance[$1]! ? relevance[$0]! > relevance[$1]! : $0 < $1 }
                .prefix(Self.rankedPool)
            let members = try await repos.members.find(ids: Array(ids)).filter { AccessPolicy.mayOffer($0, to: viewer) && $0.id != viewer.id }
            let counts = try await repos.network.counts(for: members.map(\.id))
            for member in members {
                candidates[member.id] = SuggestionRanker.Candidate(
                    member: member, followers: counts[member.id]?.followers ?? 0, sharedFollows: shared[member.id] ?? 0,
                    subjects: subjects[member.id] ?? [], isNew: newIDs.contains(member.id))
            }
            let ranker = try await Self.ranker(for: viewer, repos: repos)
            var ranked = ranker.rank(candidates.values.sorted { $0.member.id < $1.member.id }, limit: limit)
            // Name a few of the shared follows, the people the viewer knows.
            let withShared = ranked.filter { ($0.reasons.first).map { if case .followedByPeopleYouFollow = $0 { true } else { false } } ?? false }
            let links = try await discovery.sharedFollowers(of: withShared.map(\.member.id), for: viewer.id)
            let exampleIDs = links.values.flatMap { $0.prefix(2) }.uniqued()
            let examples = Dictionary(uniqueKeysWithValues: try await repos.members.find(ids: exampleIDs).map { ($0.id, $0) })
            for index in ranked.indices {
                ranked[index].reasons = ranked[index].reasons.map { reason in
                    guard case .followedByPeopleYouFollow(let count, _) = reason else { return reason }
                    let named = (links[ranked[index].member.id] ?? []).prefix(2).compactMap { examples[$0] }
                    return .followedByPeopleYouFollow(count: count, examples: named)
                }
            }
            return ranked
        }
    }

    /// Hides someone from the member's suggestions for good.
    public func dismissSuggestion(_ targetID: Member.ID, by actor: Actor) async throws {
        let viewer = try activeMember(actor)
        let now = time.now()
        try await store.write { repos in
            let target = try await Self.visibleTarget(targetID, repos: repos)
            try await repos.discovery.dismissSuggestion(target.id, for: viewer.id, at: now)
        }
    }

    /// The viewer's familiar departments (their own and the ones they follow most) and the "most followed"
    /// threshold, for ranking.
    static func ranker(for viewer: Member, repos: any Repositories) async throws -> SuggestionRanker {
        let followedDepartments = try await repos.discovery.followedDepartments(of: viewer.id)
        var familiar = Set(
            followedDepartments.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .prefix(Self.familiarDepartmentCount).map(\.key))
        if !viewer.profile.department.isEmpty { familiar.insert(viewer.profile.department.lowercased()) }
        return SuggestionRanker(
            familiarDepartments: familiar, followedDepartments: Set(followedDepartments.keys),
            popularFollowers: try await popularFollowers(repos: repos))
    }

    /// From how many followers on a member is among the most followed (the top 5 %, at least the top ten):
    /// as of the last refresh of subject scores, or worked out now before the first.
    static func popularFollowers(repos: any Repositories) async throws -> Int {
        let state = try await repos.discovery.discoveryState()
        if state.refreshedAt != nil { return state.popularFollowers }
        return try await repos.discovery.followersAtRank(Self.popularRank(members: try await repos.members.count()))
    }

    static func popularRank(members: Int) -> Int { max(10, members / 20) }
}
