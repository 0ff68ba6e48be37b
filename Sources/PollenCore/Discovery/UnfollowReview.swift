import Foundation

/// Someone the member might stop following, and why.
public struct UnfollowCandidate: Sendable, Equatable {
    public enum Reason: Sendable, Equatable {
        /// Followed for over 60 days, and none of their posts opened, favourited, reshared or replied to.
        case neverEngaged(followedSince: Date)
        /// No post for 90 days (or never), `lastPosted` if ever.
        case quiet(lastPosted: Date?)
    }

    public let member: Member
    public let reasons: [Reason]
}

extension Pollen {
    /// A follow this old with no engagement is offered for review.
    public static let unengagedFollowAge: TimeInterval = 60 * 24 * 3600
    /// An account with no post for this long has gone quiet.
    public static let quietAfter: TimeInterval = 90 * 24 * 3600

    /// The people the member follows who may no longer be worth it: followed for over 60 days without ever
    /// opening, favouriting, resharing or replying to their posts, or quiet for 90 days. Quiet ones first,
    /// then the longest followed.
    public func unfollowCandidates(for actor: Actor) async throws -> [UnfollowCandidate] {
        let viewer = try activeMember(actor)
        let now = time.now()
        return try await store.read { repos in
            let follows = try await repos.discovery.followActivity(of: viewer.id)
            let engaged = try await repos.discovery.engagedAuthors(by: viewer.id)
            var reasons: [Member.ID: [UnfollowCandidate.Reason]] = [:]
            var since: [Member.ID: Date] = [:]
            for follow in follows {
                since[follow.member] = follow.since
                if (follow.lastPostedAt.map { now.timeIntervalSince($0) >= Self.quietAfter }) ?? true {
                    reasons[follow.member, default: []].append(.quiet(lastPosted: follow.lastPostedAt))
                }
                if now.timeIntervalSince(follow.since) >= Self.unengagedFollowAge, !engaged.contains(follow.member) {
                    reasons[follow.member, default: []].append(.neverEngaged(followedSince: follow.since))
                }
            }
            let members = try await repos.members.find(ids: Array(reasons.keys))
            return members.map { UnfollowCandidate(member: $0, reasons: reasons[$0.id] ?? []) }.sorted { a, b in
                let quietA = a.reasons.contains { if case .quiet = $0 { true } else { false } }
                let quietB = b.reasons.contains { if case .quiet = $0 { true } else { false } }
                if quietA != quietB { return quietA }
                let sinceA = since[a.member.id] ?? now, sinceB = since[b.member.id] ?? now
                return sinceA != sinceB ? sinceA < sinceB : a.member.id < b.member.id
            }
        }
    }

    /// Notes that the member opened a post, for unfollow review. Own posts are not noted.
    public func recordOpened(_ post: PostView, by actor: Actor) async throws {
        guard let viewer = actor.member else { return }
        let read = ([post.post.authorID] + (post.original.map { [$0.post.authorID] } ?? []))
            .uniqued().filter { $0 != viewer.id }
        // Unfollow review asks only whether a member ever opened an author's posts: once noted, reading more
        // of them takes no write (one per thread view would queue behind every other write on SQLite), and
        // neither does reading one's own posts.
        guard !read.isEmpty else { return }
        let noted = try await store.read { try await $0.discovery.openedAuthors(by: viewer.id, among: read) }
        let authors = read.filter { !noted.contains($0) }
        guard !authors.isEmpty else { return }
        let now = time.now()
        try await store.write { repos in
            for author in authors {
                try await repos.discovery.recordOpen(member: viewer.id, author: author, at: now)
            }
        }
    }
}
