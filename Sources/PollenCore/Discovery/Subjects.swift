import Foundation

/// Someone listed on a subject page, with the figures that put them there.
public struct SubjectPerson: Sendable, Equatable {
    public let member: Member
    public let score: SubjectScore
}

/// A subject (hashtag) as its page shows it: thought leaders, active practitioners, and when the scores
/// were last worked out.
public struct SubjectOverview: Sendable {
    public let tag: String
    public let thoughtLeaders: [SubjectPerson]
    public let practitioners: [SubjectPerson]
    public let refreshedAt: Date?
}

/// What a refresh of the subject scores did.
public struct SubjectScoreRefresh: Sendable, Equatable {
    public let scores: Int
    public let popularFollowers: Int
}

extension Pollen {
    /// How often the server rebuilds subject scores in the background: thought leaders move over weeks, and
    /// a rebuild reads 90 days of posts (seconds on a large organization).
    public static let subjectScoreRefreshInterval: TimeInterval = 3600
    /// People kept per subject and ranking (by reactions, by activity): more than any page shows.
    static let scoresKeptPerSubject = 100
    /// People shown per list on a subject page.
    public static let subjectPageSize = 10

    /// The thought leaders of a subject (whose posts on it drew the most reactions over the last 90 days,
    /// not merely the most followed) and its active practitioners (who post and answer on it most, beyond
    /// the leaders), from the precomputed scores. People who asked not to be suggested are left out.
    public func subject(_ rawTag: String, viewer actor: Actor) async throws -> SubjectOverview {
        let viewer = try activeMember(actor)
        let tag = try Self.validTag(rawTag)
        return try await store.read { repos in
            let leaders = try await repos.discovery.subjectScores(tags: [tag], byActivity: false, limit: Self.subjectPageSize * 3)
                .filter { $0.engagement > 0 }
            let active = try await repos.discovery.subjectScores(tags: [tag], byActivity: true, limit: Self.subjectPageSize * 4)
                .filter { $0.posts + $0.replies > 0 }
            let members = Dictionary(
                uniqueKeysWithValues: try await repos.members.find(ids: (leaders + active).map(\.member).uniqued())
                    .filter { AccessPolicy.mayOffer($0, to: viewer) }.map { ($0.id, $0) })
            let thoughtLeaders = Array(leaders.compactMap { score in members[score.member].map { SubjectPerson(member: $0, score: score) } }
                .prefix(Self.subjectPageSize))
            let leaderIDs = Set(thoughtLeaders.map(\.member.id))
            let practitioners = Array(active.filter { !leaderIDs.contains($0.member) }
                .compactMap { score in members[score.member].map { SubjectPerson(member: $0, score: score) } }
                .prefix(Self.subjectPageSize))
            return SubjectOverview(
                tag: tag, thoughtLeaders: thoughtLeaders, practitioners: practitioners,
                refreshedAt: try await repos.discovery.discoveryState().refreshedAt)
        }
    }

    /// Rebuilds every subject score from the last 90 days of posts, and the "most followed" threshold. The
    /// long part reads beside other work; only the swap of the results writes.
    @discardableResult
    public func refreshSubjectScores() async throws -> SubjectScoreRefresh {
        let now = time.now()
        let (all, popular) = try await store.read { repos in
            let scores = try await repos.discovery.computeSubjectScores(since: now.addingTimeInterval(-Self.subjectWindow))
            let rank = Self.popularRank(members: try await repos.members.count())
            return (scores, try await repos.discovery.followersAtRank(rank))
        }
        let kept = Self.keepBest(all, perSubject: Self.scoresKeptPerSubject)
        try await store.write { repos in
            try await repos.discovery.replaceSubjectScores(kept, popularFollowers: popular, at: now)
        }
        return SubjectScoreRefresh(scores: kept.count, popularFollowers: popular)
    }

    /// Whether the scores are older than the refresh interval (or were never made).
    public func subjectScoresAreStale() async throws -> Bool {
        let state = try await store.read { try await $0.discovery.discoveryState() }
        guard let refreshedAt = state.refreshedAt else { return true }
        return time.now().timeIntervalSince(refreshedAt) >= Self.subjectScoreRefreshInterval
    }

    /// The best `perSubject` of each subject by reactions, and by posts and replies.
    static func keepBest(_ scores: [SubjectScore], perSubject: Int) -> [SubjectScore] {
        var kept: [SubjectScore] = []
        for (_, group) in Dictionary(grouping: scores, by: \.tag) {
            let byEngagement = group.sorted { $0.engagement != $1.engagement ? $0.engagement > $1.engagement : $0.member < $1.member }
            let byActivity = group.sorted {
                $0.posts + $0.replies != $1.posts + $1.replies ? $0.posts + $0.replies > $1.posts + $1.replies : $0.member < $1.member
            }
            var members: Set<Member.ID> = []
            for score in byEngagement.prefix(perSubject) + byActivity.prefix(perSubject) where members.insert(score.member).inserted {
                kept.append(score)
            }
        }
        return kept
    }
}
