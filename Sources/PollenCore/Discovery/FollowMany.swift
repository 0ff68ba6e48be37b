import Foundation

/// Whom a member follows (or who follows them), whole, as "Follow who they follow" shows it: each person
/// marked with how the viewer stands to them.
public struct NetworkListing: Sendable {
    public struct Entry: Sendable, Equatable {
        public let member: Member
        public let followedByViewer: Bool
        /// Not the viewer, and no block either way: a follow is possible.
        public let canFollow: Bool
    }

    public let owner: Member
    public let entries: [Entry]
    /// More than the listing holds; the rest are on the paged followers or following list.
    public let truncated: Bool
}

/// What a bulk follow or unfollow did.
public struct BulkFollowResult: Sendable, Equatable {
    public var changed: [Member] = []
    /// Left alone: already so, oneself, suspended, or across a block.
    public var skipped = 0
}

extension Pollen {
    /// Most people one "Follow who they follow" listing, bulk follow or bulk unfollow handles.
    public static let maxBulkFollows = 500

    /// The whole following (or followers) list of a member, up to ``maxBulkFollows``, for picking whom to
    /// follow. Fails with `forbidden` when the member keeps their network from the viewer.
    public func networkListing(of memberID: Member.ID, followers: Bool, viewer actor: Actor) async throws -> NetworkListing {
        let viewer = try activeMember(actor)
        return try await store.read { repos in
            guard let owner = try await repos.members.find(id: memberID),
                AccessPolicy.maySeeProfile(of: owner, by: .member(viewer))
            else { throw DomainError.notFound("Member") }
            try await Self.requireNetworkVisible(owner, to: viewer, repos: repos)
            let range = CursorRange(limit: Self.maxBulkFollows + 1)
            let rows = followers
                ? try await repos.network.followers(of: owner.id, range: range)
                : try await repos.network.following(of: owner.id, range: range)
            let mine = Set(try await repos.network.timelineSources(of: viewer.id).members)
            let blocked = try await repos.network.blockedEitherWay(viewer.id)
            let kept = Array(rows.prefix(Self.maxBulkFollows))
            // Each listed person's own choice counts too (see followList).
            let open = try await Self.networksVisible(kept.map(\.member), to: .member(viewer), repos: repos)
            let entries = kept.filter { !$0.member.isSuspended && open.contains($0.member.id) }.map { row in
                NetworkListing.Entry(
                    member: row.member, followedByViewer: mine.contains(row.member.id),
                    canFollow: row.member.id != viewer.id && !blocked.contains(row.member.id))
            }
            return NetworkListing(owner: owner, entries: entries, truncated: rows.count > Self.maxBulkFollows)
        }
    }

    /// Follows everyone listed in one step, skipping whom the viewer follows already, themselves, suspended
    /// members and anyone across a block. Each new follow notifies as a single follow does.
    @discardableResult
    public func followMembers(_ ids: [Member.ID], by actor: Actor) async throws -> BulkFollowResult {
        let viewer = try activeMember(actor)
        let targets = try Self.bulkTargets(ids, verb: "follow")
        let now = time.now()
        let followIDs = targets.map { _ in (self.ids.next(), self.ids.next()) }
        return try await store.write { repos in
            try await Self.follow(targets, by: viewer, ids: followIDs, at: now, repos: repos)
        }
    }

    /// The follows of a bulk follow, inside the caller's transaction; `followIDs` holds a follow's and its
    /// notification's id per target.
    static func follow(
        _ targets: [Member.ID], by viewer: Member, ids followIDs: [(Int64, Int64)], at now: Date, repos: any Repositories
    ) async throws -> BulkFollowResult {
        let members = Dictionary(uniqueKeysWithValues: try await repos.members.find(ids: targets).map { ($0.id, $0) })
        let blocked = try await repos.network.blockedEitherWay(viewer.id)
        var result = BulkFollowResult()
        for (target, (followID, notificationID)) in zip(targets, followIDs) {
            guard let member = members[target], !member.isSuspended, member.id != viewer.id,
                !blocked.contains(member.id),
                try await repos.network.follow(id: followID, follower: viewer.id, followee: member.id, at: now)
            else {
                result.skipped += 1
                continue
            }
            try await notify(member.id, kind: .follow, actor: viewer.id, post: nil, id: notificationID, at: now, repos: repos)
            result.changed.append(member)
        }
        return result
    }

    /// Unfollows everyone listed in one step (the unfollow review); people not followed are skipped.
    @discardableResult
    public func unfollowMembers(_ ids: [Member.ID], by actor: Actor) async throws -> BulkFollowResult {
        let viewer = try activeMember(actor)
        let targets = try Self.bulkTargets(ids, verb: "unfollow")
        return try await store.write { repos in
            let members = Dictionary(uniqueKeysWithValues: try await repos.members.find(ids: targets).map { ($0.id, $0) })
            var result = BulkFollowResult()
            for target in targets {
                guard let member = members[target], try await repos.network.unfollow(follower: viewer.id, followee: target)
                else {
                    result.skipped += 1
                    continue
                }
                try await repos.notifications.withdraw(.follow, to: target, from: viewer.id, post: nil)
                result.changed.append(member)
            }
            return result
        }
    }

    /// The people of a bulk follow or unfollow, each once: at least one, at most ``maxBulkFollows``.
    static func bulkTargets(_ ids: [Member.ID], verb: String) throws -> [Member.ID] {
        let targets = ids.uniqued()
        guard !targets.isEmpty else { throw DomainError.invalid("Choose at least one person to \(verb).", field: "ids") }
        guard targets.count <= maxBulkFollows else {
            throw DomainError.invalid("\(verb.capitalized) at most \(maxBulkFollows) people at once.", field: "ids")
        }
        return targets
    }

    /// Whether the viewer may see whom `member` follows and who follows them.
    public func maySeeNetwork(of member: Member, viewer actor: Actor) async throws -> Bool {
        try await store.read { repos in try await Self.maySeeNetwork(of: member, viewer: actor, repos: repos) }
    }

    static func maySeeNetwork(of member: Member, viewer actor: Actor, repos: any Repositories) async throws -> Bool {
        try await networksVisible([member], to: actor, repos: repos).contains(member.id)
    }

    static func requireNetworkVisible(_ member: Member, to viewer: Member, repos: any Repositories) async throws {
        guard try await maySeeNetwork(of: member, viewer: .member(viewer), repos: repos) else {
            throw DomainError(.forbidden, "@\(member.handle) keeps their network private.")
        }
    }

    /// Changes who sees the member's network and whether they are suggested to others.
    @discardableResult
    public func updateNetworkPrivacy(_ privacy: NetworkPrivacy, of memberID: Member.ID, by actor: Actor) async throws -> Member {
        let now = time.now()
        return try await store.write { repos in
            guard var member = try await repos.members.find(id: memberID) else { throw DomainError.notFound("Member") }
            try AccessPolicy.require(AccessPolicy.mayEditProfile(of: member, by: actor))
            member.privacy = privacy
            member.updatedAt = now
            try await repos.members.update(member)
            return member
        }
    }
}
