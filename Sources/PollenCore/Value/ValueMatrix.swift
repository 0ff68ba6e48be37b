import Foundation

/// A community's value matrix: for each cycle of value creation, what the stored activity counts over a recent
/// window and all time, and the community's stories with a step in that cycle.
public struct ValueMatrix: Sendable {
    public struct Count: Sendable, Equatable {
        public let indicator: ValueIndicator
        public let recent: Int
        public let allTime: Int
    }
    public struct Row: Sendable {
        public let cycle: ValueCycle
        public let counts: [Count]
        /// Newest first.
        public let stories: [ValueStory]
    }
    public let community: Community
    public let rows: [Row]
    /// The start of the recent window.
    public let since: Date
    /// The stories' authors.
    public let authors: [Member.ID: Member]
}

extension Pollen {
    /// The matrix's recent window.
    public static let valueWindow: TimeInterval = 90 * 86_400
    /// Stories the matrix lists at most (all are counted).
    static let matrixStories = 500

    /// The community's value matrix, for its members (managers among them) and administrators.
    public func valueMatrix(community slug: String, viewer actor: Actor) async throws -> ValueMatrix {
        let viewer = try activeMember(actor)
        let since = time.now().addingTimeInterval(-Self.valueWindow)
        return try await store.read { repos in
            let (community, membership) = try await Self.readableCommunity(slug.lowercased(), viewer: viewer, repos: repos)
            try AccessPolicy.require(AccessPolicy.maySeeValue(of: community, membership: membership, viewer: viewer))
            let counts = try await repos.value.indicators(community: community.id, since: since)
            let stories = try await repos.value.stories(in: community.id, limit: Self.matrixStories)
            let rows = ValueCycle.allCases.map { cycle in
                ValueMatrix.Row(
                    cycle: cycle,
                    counts: ValueIndicator.all.filter { $0.cycle == cycle }.map {
                        ValueMatrix.Count(indicator: $0, recent: counts[$0]?.recent ?? 0, allTime: counts[$0]?.allTime ?? 0)
                    },
                    stories: stories.filter { $0.step(cycle) != nil })
            }
            return ValueMatrix(
                community: community, rows: rows, since: since,
                authors: try await Self.membersByID(stories.map(\.authorID), repos: repos))
        }
    }
}
