import Foundation

/// A community of practice: people across units who share a method, a job role or an interest.
public struct Community: Sendable, Equatable, Identifiable {
    public typealias ID = EntityID<Community>

    /// Horizontal communities span units around one end-to-end method (supply chain, financial management);
    /// vertical ones gather one job role (front-line managers); interest groups anything else.
    public enum Kind: String, Sendable, CaseIterable, Codable {
        case horizontal, vertical, interest
    }

    /// Who may join: anyone at once, on a manager's approval, or only by invitation (and nobody else sees it).
    public enum Membership: String, Sendable, CaseIterable, Codable {
        case open
        case onRequest = "request"
        case `private`
    }

    public let id: ID
    /// The community's address (`/c/supply-chain`): lower-case letters, digits and hyphens, unique.
    public var slug: String
    public var name: String
    public var kind: Kind
    /// The charter: why the community exists, and how members treat each other. Shown to every joiner.
    public var purpose: String
    public var guidelines: String
    public var membership: Membership
    public let createdBy: Member.ID
    public let createdAt: Date
    public var updatedAt: Date

    public init(
        id: ID, slug: String, name: String, kind: Kind, purpose: String, guidelines: String, membership: Membership,
        createdBy: Member.ID, createdAt: Date, updatedAt: Date? = nil
    ) {
        self.id = id
        self.slug = slug
        self.name = name
        self.kind = kind
        self.purpose = purpose
        self.guidelines = guidelines
        self.membership = membership
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
    }
}

/// A member's place in a community.
public struct CommunityMember: Sendable, Equatable {
    public enum Role: String, Sendable, CaseIterable, Codable, Comparable {
        case member
        /// Subject-matter expert: front-loads and features content.
        case sme
        case manager

        public static func < (a: Role, b: Role) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    public enum State: String, Sendable, Codable {
        case active
        /// Asked to join a community that needs approval.
        case requested
        /// Invited by a manager, not yet accepted.
        case invited
    }

    public let community: Community.ID
    public let member: Member.ID
    public var role: Role
    public var state: State
    public let since: Date

    public init(community: Community.ID, member: Member.ID, role: Role, state: State, since: Date) {
        self.community = community
        self.member = member
        self.role = role
        self.state = state
        self.since = since
    }

    public var isActive: Bool { state == .active }
}

/// What the directory of communities matches.
public struct CommunityQuery: Sendable, Equatable {
    public var text: String
    public var kind: Community.Kind?
    /// Private communities are listed only to their members (this one) and to administrators (`nil`).
    public var visibleTo: Member.ID?
    public var limit: Int
    public var offset: Int

    public init(text: String = "", kind: Community.Kind? = nil, visibleTo: Member.ID?, limit: Int = 25, offset: Int = 0) {
        self.text = text
        self.kind = kind
        self.visibleTo = visibleTo
        self.limit = limit
        self.offset = offset
    }
}

public protocol CommunityRepository: Sendable {
    func insert(_ community: Community) async throws
    func update(_ community: Community) async throws
    func find(id: Community.ID) async throws -> Community?
    /// Slugs are unique regardless of case.
    func find(slug: String) async throws -> Community?
    func search(_ query: CommunityQuery) async throws -> Page<Community>
    func membership(of member: Member.ID, in community: Community.ID) async throws -> CommunityMember?
    /// Adds or replaces the member's place.
    func saveMembership(_ membership: CommunityMember) async throws
    /// `false` when there was none.
    func removeMembership(of member: Member.ID, from community: Community.ID) async throws -> Bool
    /// Active members (and requests or invitations when asked), the most senior role first, then the earliest.
    func members(of community: Community.ID, state: CommunityMember.State, limit: Int, offset: Int) async throws
        -> [(membership: CommunityMember, member: Member)]
    /// Active members per community.
    func memberCounts(_ communities: [Community.ID]) async throws -> [Community.ID: Int]
    func activeManagers(of community: Community.ID) async throws -> Int
    /// The newest active members first.
    func newestMembers(of community: Community.ID, limit: Int) async throws -> [(membership: CommunityMember, member: Member)]
    /// The communities the member is active in, by name.
    func communities(of member: Member.ID) async throws -> [(community: Community, membership: CommunityMember)]
    /// Open and on-request communities the member is neither in nor following, with how many people of
    /// `department` are active in them, most first.
    func suggested(for member: Member.ID, department: String, limit: Int) async throws -> [(community: Community, colleagues: Int)]

    /// Open and on-request communities (and private ones `visibleTo` is active in) with the most live items
    /// tagged with any of `tags`, most first.
    func communities(about tags: [String], visibleTo: Member.ID?, limit: Int) async throws -> [(community: Community, items: Int)]
    /// `false` when they followed it already.
    func follow(_ community: Community.ID, by member: Member.ID, at: Date) async throws -> Bool
    func unfollow(_ community: Community.ID, by member: Member.ID) async throws -> Bool
    func isFollowing(_ community: Community.ID, by member: Member.ID) async throws -> Bool
    func followerCounts(_ communities: [Community.ID]) async throws -> [Community.ID: Int]
    /// The level of each of `members` who is an active member or a follower of the community.
    func notificationLevels(in community: Community.ID, of members: [Member.ID]) async throws
        -> [Member.ID: CommunityNotificationLevel]
    /// Sets the level on the member's membership and follow, whichever they have.
    func setNotificationLevel(_ level: CommunityNotificationLevel, of member: Member.ID, in community: Community.ID) async throws
    /// Active members and followers at the level.
    func audience(of community: Community.ID, level: CommunityNotificationLevel) async throws -> [Member.ID]
    /// Active managers and subject-matter experts.
    func leaders(of community: Community.ID) async throws -> [Member.ID]
}
