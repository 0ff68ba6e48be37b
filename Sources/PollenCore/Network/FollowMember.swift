import Foundation

extension Pollen {
    /// Most rows a followers, following or followed-hashtags page returns.
    public static let maxListPageSize = 80

    /// Follows a member. Nobody follows themselves, a suspended member, or across a block (either way).
    @discardableResult
    public func followMember(_ targetID: Member.ID, by actor: Actor) async throws -> Relationship {
        let viewer = try activeMember(actor)
        let now = time.now()
        let followID = ids.next()
        return try await store.write { repos in
            let target = try await Self.visibleTarget(targetID, repos: repos)
            guard target.id != viewer.id else {
                throw DomainError.invalid("You cannot follow yourself.")
            }
            let before = try await Self.relationship(viewer.id, target.id, repos: repos)
            guard !before.blocking, !before.blockedBy else {
                throw DomainError(.forbidden, "You cannot follow @\(target.handle).")
            }
            guard try await repos.network.follow(id: followID, follower: viewer.id, followee: target.id, at: now) else {
                throw DomainError(.conflict, "You already follow @\(target.handle).")
            }
            try await Self.notify(
                target.id, kind: .follow, actor: viewer.id, post: nil, id: ids.next(), at: now, repos: repos)
            return try await Self.relationship(viewer.id, target.id, repos: repos)
        }
    }

    @discardableResult
    public func unfollowMember(_ targetID: Member.ID, by actor: Actor) async throws -> Relationship {
        let viewer = try activeMember(actor)
        return try await store.write { repos in
            let target = try await Self.visibleTarget(targetID, repos: repos)
            guard try await repos.network.unfollow(follower: viewer.id, followee: target.id) else {
                throw DomainError(.conflict, "You do not follow @\(target.handle).")
            }
            // "X followed you" is withdrawn with the follow, as in Mastodon.
            try await repos.notifications.withdraw(.follow, to: target.id, from: viewer.id, post: nil)
            return try await Self.relationship(viewer.id, target.id, repos: repos)
        }
    }

    /// Muting hides a member from one's timelines without telling them; it does not end follows.
    @discardableResult
    public func setMuted(_ muted: Bool, _ targetID: Member.ID, by actor: Actor) async throws -> Relationship {
        let viewer = try activeMember(actor)
        let now = time.now()
        return try await store.write { repos in
            let target = try await Self.visibleTarget(targetID, repos: repos)
            guard target.id != viewer.id else { throw DomainError.invalid("You cannot mute yourself.") }
            try await repos.network.setMuted(muted, member: viewer.id, target: target.id, at: now)
            return try await Self.relationship(viewer.id, target.id, repos: repos)
        }
    }

    /// Blocking ends follows in both directions; the blocked member can no longer follow, mention or reply.
    @discardableResult
    public func setBlocked(_ blocked: Bool, _ targetID: Member.ID, by actor: Actor) async throws -> Relationship {
        let viewer = try activeMember(actor)
        let now = time.now()
        return try await store.write { repos in
            let target = try await Self.visibleTarget(targetID, repos: repos)
            guard target.id != viewer.id else { throw DomainError.invalid("You cannot block yourself.") }
            try await repos.network.setBlocked(blocked, member: viewer.id, target: target.id, at: now)
            if blocked {
                // The follows end both ways, and so do their "followed you" notifications: a blocked member
                // should not linger in the blocker's notifications, nor the blocker in theirs.
                if try await repos.network.unfollow(follower: viewer.id, followee: target.id) {
                    try await repos.notifications.withdraw(.follow, to: target.id, from: viewer.id, post: nil)
                }
                if try await repos.network.unfollow(follower: target.id, followee: viewer.id) {
                    try await repos.notifications.withdraw(.follow, to: viewer.id, from: target.id, post: nil)
                }
            }
            return try await Self.relationship(viewer.id, target.id, repos: repos)
        }
    }

    public func relationships(with targets: [Member.ID], by actor: Actor) async throws -> [Relationship] {
        let viewer = try activeMember(actor)
        let unique = targets.uniqued()
        guard unique.count <= 100 else { throw DomainError.invalid("Ask for at most 100 accounts at once.") }
        return try await store.read { try await $0.network.relationships(of: viewer.id, with: unique) }
    }

    /// Who follows a member, or whom they follow, newest first. Members the viewer may not see are left out
    /// and the page is filled from the rows beyond them, so a page shorter than the limit is the last one.
    public func followList(
        of memberID: Member.ID, followers: Bool, range: CursorRange, viewer: Actor
    ) async throws -> [FollowEntry] {
        var requested = range
        requested.limit = min(max(range.limit, 1), Self.maxListPageSize)
        let firstWindow = requested
        return try await store.read { repos in
            guard let member = try await repos.members.find(id: memberID),
                AccessPolicy.maySeeProfile(of: member, by: viewer)
            else { throw DomainError.notFound("Member") }
            guard try await Self.maySeeNetwork(of: member, viewer: viewer, repos: repos) else {
                throw DomainError(.forbidden, "@\(member.handle) keeps their network private.")
            }
            // `nearestAfter` alone reads upwards from its cursor; every other range reads down from the newest.
            let upwards = firstWindow.readsUpward
            let limit = firstWindow.limit
            var window = firstWindow
            var visible: [FollowEntry] = []
            while true {
                let rows = followers
                    ? try await repos.network.followers(of: member.id, range: window)
                    : try await repos.network.following(of: member.id, range: window)
                let open = try await Self.networksVisible(rows.map(\.member), to: viewer, repos: repos)
                // Each listed person's own choice counts too: being in this list tells whom they follow (or
                // who follows them).
                let shown = rows.filter { AccessPolicy.maySeeProfile(of: $0.member, by: viewer) && open.contains($0.member.id) }
                visible = upwards ? shown + visible : visible + shown
                guard rows.count == limit, visible.count < limit, let edge = upwards ? rows.first : rows.last else { break }
                if upwards { window.nearestAfter = edge.cursor } else { window.before = edge.cursor }
            }
            return upwards ? Array(visible.suffix(limit)) : Array(visible.prefix(limit))
        }
    }

    /// Of `members`, those whose network `viewer` may see.
    static func networksVisible(_ members: [Member], to viewer: Actor, repos: any Repositories) async throws -> Set<Member.ID> {
        var followsViewer: Set<Member.ID> = []
        let viewerID = viewer.member?.id
        // Only followed-only networks depend on the viewer; one's own is always open to oneself.
        let asking = members.filter { $0.privacy.audience == .followed && $0.id != viewerID }
        if let viewerID, !asking.isEmpty {
            followsViewer = Set(
                try await repos.network.relationships(of: viewerID, with: asking.map(\.id)).filter(\.followedBy).map(\.target))
        }
        return Set(members.filter {
            AccessPolicy.maySeeNetwork(of: $0, by: viewer, targetFollowsViewer: followsViewer.contains($0.id))
        }.map(\.id))
    }

    /// Counts as shown beside posts in shared lists (timelines, search, notifications), the same for every
    /// viewer: network counts of anyone who restricts their network read zero and hidden.
    public func networkCountsForAll(_ members: [Member]) async throws -> [Member.ID: NetworkCounts] {
        let unique = members.uniqued(by: \.id)
        return try await store.read { repos in
            var counts = try await repos.network.counts(for: unique.map(\.id))
            for member in unique where member.privacy.audience != .everyone {
                counts[member.id, default: NetworkCounts()].hideNetwork()
            }
            return counts
        }
    }

    /// Follower, following and post counts as `viewer` may see them: the network counts of members who keep
    /// their network from the viewer are zero and marked hidden.
    public func networkCounts(for members: [Member], viewer: Actor) async throws -> [Member.ID: NetworkCounts] {
        let unique = members.uniqued(by: \.id)
        return try await store.read { repos in
            var counts = try await repos.network.counts(for: unique.map(\.id))
            let guarded = unique.filter { $0.privacy.audience != .everyone }
            guard !guarded.isEmpty else { return counts }
            let open = try await Self.networksVisible(guarded, to: viewer, repos: repos)
            for member in guarded where !open.contains(member.id) {
                counts[member.id, default: NetworkCounts()].hideNetwork()
            }
            return counts
        }
    }

    // MARK: Hashtags

    @discardableResult
    public func followTag(_ rawTag: String, by actor: Actor) async throws -> String {
        let viewer = try activeMember(actor)
        let tag = try Self.validTag(rawTag)
        let now = time.now()
        let followID = ids.next()
        try await store.write { repos in
            guard try await repos.network.followTag(id: followID, member: viewer.id, tag: tag, at: now) else {
                throw DomainError(.conflict, "You already follow #\(tag).")
            }
        }
        return tag
    }

    @discardableResult
    public func unfollowTag(_ rawTag: String, by actor: Actor) async throws -> String {
        let viewer = try activeMember(actor)
        let tag = try Self.validTag(rawTag)
        try await store.write { repos in
            guard try await repos.network.unfollowTag(member: viewer.id, tag: tag) else {
                throw DomainError(.conflict, "You do not follow #\(tag).")
            }
        }
        return tag
    }

    public func followedTags(by actor: Actor, range: CursorRange) async throws -> [TagFollow] {
        let viewer = try activeMember(actor)
        var range = range
        range.limit = min(max(range.limit, 1), Self.maxListPageSize)
        let finalRange = range
        return try await store.read { try await $0.network.followedTags(of: viewer.id, range: finalRange) }
    }

    public func isFollowingTag(_ rawTag: String, by actor: Actor) async throws -> Bool {
        let viewer = try activeMember(actor)
        let tag = try Self.validTag(rawTag)
        return try await store.read { try await $0.network.isFollowingTag(member: viewer.id, tag: tag) }
    }

    /// A hashtag as typed (`#Supply-Chain`, `supply chain`) in its stored form.
    public static func validTag(_ raw: String) throws -> String {
        guard let tag = try ProfileRules.tags([raw], name: "Hashtag", field: "tag").first else {
            throw DomainError.invalid("Name a hashtag.", field: "tag")
        }
        return tag
    }

    // MARK: Helpers

    func activeMember(_ actor: Actor) throws -> Member {
        guard let member = actor.member else { throw DomainError(.forbidden, "This needs a signed-in member.") }
        guard !member.isSuspended else { throw DomainError.notAllowed }
        return member
    }

    /// Suspended members cannot be followed, muted or blocked: to everyone else they do not exist.
    static func visibleTarget(_ id: Member.ID, repos: any Repositories) async throws -> Member {
        guard let target = try await repos.members.find(id: id), !target.isSuspended else {
            throw DomainError.notFound("Member")
        }
        return target
    }

    static func relationship(_ viewer: Member.ID, _ target: Member.ID, repos: any Repositories) async throws
        -> Relationship
    {
        try await repos.network.relationships(of: viewer, with: [target]).first ?? Relationship(target: target)
    }
}
