import Foundation

/// What a member types to found or change a community.
public struct CommunityDraft: Sendable, Equatable {
    public var slug: String
    public var name: String
    public var kind: Community.Kind
    public var purpose: String
    public var guidelines: String
    public var membership: Community.Membership

    public init(
        slug: String, name: String, kind: Community.Kind, purpose: String = "", guidelines: String = "",
        membership: Community.Membership = .open
    ) {
        self.slug = slug
        self.name = name
        self.kind = kind
        self.purpose = purpose
        self.guidelines = guidelines
        self.membership = membership
    }
}

/// A community as a viewer finds it, with their own place in it.
public struct CommunityView: Sendable, Equatable {
    public let community: Community
    public let viewerMembership: CommunityMember?
    public let memberCount: Int
}

extension Pollen {
    public static let communityNameLength = 3...80
    public static let communitySlugLength = 2...40
    public static let communityPurposeMax = 2_000
    public static let communityGuidelinesMax = 5_000
    /// Addresses that name pages and API paths beside the communities' own (`/communities/new`,
    /// `/api/pollen/v1/communities/suggested`), so no community can take them.
    static let reservedSlugs: Set<String> = ["new", "suggested", "search", "mine", "import", "edit"]

    /// Founds a community; its founder is its first manager.
    public func createCommunity(_ draft: CommunityDraft, by actor: Actor) async throws -> Community {
        let founder = try activeMember(actor)
        let clean = try Self.validCommunity(draft)
        let now = time.now()
        let id = Community.ID(ids.next())
        return try await store.write { repos in
            if try await repos.communities.find(slug: clean.slug) != nil {
                throw DomainError(.conflict, "The address /c/\(clean.slug) is taken.", field: "slug")
            }
            let community = Community(
                id: id, slug: clean.slug, name: clean.name, kind: clean.kind, purpose: clean.purpose,
                guidelines: clean.guidelines, membership: clean.membership, createdBy: founder.id, createdAt: now)
            try await repos.communities.insert(community)
            try await repos.communities.saveMembership(
                CommunityMember(community: id, member: founder.id, role: .manager, state: .active, since: now))
            return community
        }
    }

    /// Changes a community's name, kind, charter or membership rule (its managers and administrators). The
    /// address stays: links to it live in posts and bookmarks.
    public func updateCommunity(slug: String, _ draft: CommunityDraft, by actor: Actor) async throws -> Community {
        let viewer = try activeMember(actor)
        let now = time.now()
        var fixed = draft
        fixed.slug = slug
        let clean = try Self.validCommunity(fixed)
        return try await store.write { repos in
            let (existing, membership) = try await Self.visibleCommunity(slug, viewer: viewer, repos: repos)
            try AccessPolicy.require(AccessPolicy.mayManage(existing, membership: membership, by: viewer))
            var community = existing
            community.name = clean.name
            community.kind = clean.kind
            community.purpose = clean.purpose
            community.guidelines = clean.guidelines
            community.membership = clean.membership
            community.updatedAt = now
            try await repos.communities.update(community)
            return community
        }
    }

    /// The people of a community in one state. Active members are listed to whoever may read the community;
    /// requests and invitations only to those who manage it.
    public func communityMembers(
        slug: String, state: CommunityMember.State = .active, limit: Int = 100, offset: Int = 0, viewer actor: Actor
    ) async throws -> [(membership: CommunityMember, member: Member)] {
        let viewer = try activeMember(actor)
        return try await store.read { repos in
            let (community, membership) = try await Self.readableCommunity(slug, viewer: viewer, repos: repos)
            if state != .active {
                try AccessPolicy.require(AccessPolicy.mayManage(community, membership: membership, by: viewer))
            }
            return try await repos.communities.members(
                of: community.id, state: state, limit: min(max(limit, 1), 500), offset: max(offset, 0)
            ).filter { !$0.member.isSuspended }
        }
    }

    /// A community by its address. A private one is not found by anyone outside it but administrators.
    public func community(slug: String, viewer actor: Actor) async throws -> CommunityView {
        let viewer = try activeMember(actor)
        return try await store.read { repos in
            let (community, membership) = try await Self.visibleCommunity(slug, viewer: viewer, repos: repos)
            let count = try await repos.communities.memberCounts([community.id])[community.id] ?? 0
            return CommunityView(community: community, viewerMembership: membership, memberCount: count)
        }
    }

    /// The directory of communities, private ones only to their members.
    public func communities(_ query: CommunityQuery, viewer actor: Actor) async throws -> Page<CommunityView> {
        let viewer = try activeMember(actor)
        var query = query
        query.text = String(query.text.trimmingCharacters(in: .whitespaces).prefix(200))
        query.visibleTo = viewer.isAdmin ? nil : viewer.id
        query.limit = min(max(query.limit, 1), 100)
        query.offset = max(query.offset, 0)
        let final = query
        return try await store.read { repos in
            let page = try await repos.communities.search(final)
            let counts = try await repos.communities.memberCounts(page.items.map(\.id))
            var views: [CommunityView] = []
            for community in page.items {
                views.append(CommunityView(
                    community: community,
                    viewerMembership: try await repos.communities.membership(of: viewer.id, in: community.id),
                    memberCount: counts[community.id] ?? 0))
            }
            return Page(items: views, total: page.total)
        }
    }

    /// Joins an open community, asks to join one that needs approval, or accepts an invitation.
    @discardableResult
    public func joinCommunity(slug: String, by actor: Actor) async throws -> CommunityMember {
        let viewer = try activeMember(actor)
        let now = time.now()
        let notificationIDs = (0..<20).map { _ in ids.next() }
        return try await store.write { repos in
            let (community, existing) = try await Self.visibleCommunity(slug, viewer: viewer, repos: repos)
            if let existing {
                switch existing.state {
                case .active: throw DomainError(.conflict, "You are already a member of \(community.name).")
                case .requested: throw DomainError(.conflict, "You asked to join \(community.name); a manager will answer.")
                case .invited:
                    var accepted = existing
                    accepted.state = .active
                    try await repos.communities.saveMembership(accepted)
                    return accepted
                }
            }
            let membership = CommunityMember(
                community: community.id, member: viewer.id, role: .member,
                state: community.membership == .open ? .active : .requested, since: now)
            try await repos.communities.saveMembership(membership)
            if membership.state == .requested {
                // Managers hear of a request even with the community muted: someone is waiting for them.
                let managers = try await repos.communities.members(of: community.id, state: .active, limit: 20, offset: 0)
                    .filter { $0.membership.role == .manager }.map(\.member.id)
                try await Self.notifyCommunity(
                    managers, kind: .communityRequest, actor: viewer.id, community: community, item: nil, minimum: .muted,
                    ids: notificationIDs, at: now, repos: repos)
            }
            return membership
        }
    }

    /// Leaves a community (or withdraws a request, or declines an invitation). The last manager stays until
    /// another is named, so no community is left without one.
    public func leaveCommunity(slug: String, by actor: Actor) async throws {
        let viewer = try activeMember(actor)
        try await store.write { repos in
            let (community, membership) = try await Self.visibleCommunity(slug, viewer: viewer, repos: repos)
            guard let membership else { throw DomainError(.conflict, "You are not a member of \(community.name).") }
            if membership.isActive, membership.role == .manager, try await repos.communities.activeManagers(of: community.id) <= 1 {
                throw DomainError(.conflict, "Name another manager before you leave: \(community.name) needs one.")
            }
            _ = try await repos.communities.removeMembership(of: viewer.id, from: community.id)
        }
    }

    /// A manager's decisions about someone: approve a request, invite, remove, or give a role.
    public enum CommunityDecision: Sendable, Equatable {
        case approve
        case invite
        case remove
        case role(CommunityMember.Role)
    }

    @discardableResult
    public func decide(
        _ decision: CommunityDecision, about targetID: Member.ID, in slug: String, by actor: Actor
    ) async throws -> CommunityMember? {
        let viewer = try activeMember(actor)
        let now = time.now()
        let notificationID = ids.next()
        return try await store.write { repos in
            let (community, mine) = try await Self.visibleCommunity(slug, viewer: viewer, repos: repos)
            try AccessPolicy.require(AccessPolicy.mayManage(community, membership: mine, by: viewer))
            let target = try await Self.visibleTarget(targetID, repos: repos)
            let current = try await repos.communities.membership(of: target.id, in: community.id)
            switch decision {
            case .approve:
                guard var request = current, request.state == .requested else {
                    throw DomainError(.conflict, "@\(target.handle) has not asked to join.")
                }
                request.state = .active
                try await repos.communities.saveMembership(request)
                try await Self.notifyCommunity(
                    [target.id], kind: .communityApproved, actor: viewer.id, community: community, item: nil, minimum: .muted,
                    ids: [notificationID], at: now, repos: repos)
                return request
            case .invite:
                if let current {
                    throw DomainError(
                        .conflict, current.isActive ? "@\(target.handle) is already a member." : "@\(target.handle) is already invited or asked to join.")
                }
                let invitation = CommunityMember(community: community.id, member: target.id, role: .member, state: .invited, since: now)
                try await repos.communities.saveMembership(invitation)
                try await Self.notify(
                    target.id, kind: .communityInvited, actor: viewer.id, post: nil, community: community.id, id: notificationID,
                    at: now, repos: repos)
                return invitation
            case .remove:
                guard let current else { throw DomainError(.conflict, "@\(target.handle) is not a member.") }
                if current.isActive, current.role == .manager, try await repos.communities.activeManagers(of: community.id) <= 1 {
                    throw DomainError(.conflict, "\(community.name) needs a manager: name another first.")
                }
                _ = try await repos.communities.removeMembership(of: target.id, from: community.id)
                return nil
            case .role(let role):
                guard var active = current, active.isActive else {
                    throw DomainError(.conflict, "@\(target.handle) is not a member.")
                }
                if active.role == .manager, role != .manager, try await repos.communities.activeManagers(of: community.id) <= 1 {
                    throw DomainError(.conflict, "\(community.name) needs a manager: name another first.")
                }
                active.role = role
                try await repos.communities.saveMembership(active)
                return active
            }
        }
    }

    /// The community and the viewer's place in it, or not found when it is private and they are outside it.
    static func visibleCommunity(_ slug: String, viewer: Member, repos: any Repositories) async throws
        -> (Community, CommunityMember?)
    {
        guard let community = try await repos.communities.find(slug: slug) else { throw DomainError.notFound("Community") }
        let membership = try await repos.communities.membership(of: viewer.id, in: community.id)
        guard AccessPolicy.maySee(community, membership: membership, viewer: viewer) else {
            throw DomainError.notFound("Community")
        }
        return (community, membership)
    }

    static func validCommunity(_ draft: CommunityDraft) throws -> CommunityDraft {
        var clean = draft
        clean.name = draft.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard communityNameLength.contains(clean.name.count) else {
            throw DomainError.invalid(
                "A community's name has \(communityNameLength.lowerBound) to \(communityNameLength.upperBound) characters.", field: "name")
        }
        clean.slug = draft.slug.trimmingCharacters(in: .whitespaces).lowercased()
        guard communitySlugLength.contains(clean.slug.count),
            clean.slug.allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" }),
            clean.slug.first != "-", clean.slug.last != "-"
        else {
            throw DomainError.invalid(
                "The address has \(communitySlugLength.lowerBound) to \(communitySlugLength.upperBound) letters, digits or hyphens (such as supply-chain).",
                field: "slug")
        }
        guard !reservedSlugs.contains(clean.slug) else {
            throw DomainError.invalid("The address /c/\(clean.slug) is kept for Pollen's own pages: choose another.", field: "slug")
        }
        clean.purpose = draft.purpose.trimmingCharacters(in: .whitespacesAndNewlines)
        guard clean.purpose.count <= communityPurposeMax else {
            throw DomainError.invalid("The purpose can be at most \(communityPurposeMax) characters.", field: "purpose")
        }
        clean.guidelines = draft.guidelines.trimmingCharacters(in: .whitespacesAndNewlines)
        guard clean.guidelines.count <= communityGuidelinesMax else {
            throw DomainError.invalid("The guidelines can be at most \(communityGuidelinesMax) characters.", field: "guidelines")
        }
        return clean
    }
}
