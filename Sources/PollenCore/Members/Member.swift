import Foundation

/// A person in the organization's network.
public struct Member: Sendable, Equatable, Identifiable {
    public typealias ID = EntityID<Member>

    /// What a member may do on the server as a whole (community roles come later and are separate).
    public enum Role: String, Sendable, CaseIterable, Codable {
        case member, moderator, admin
    }

    public enum Status: String, Sendable, Codable {
        case active, suspended
    }

    public let id: ID
    public var handle: String
    public var email: String
    public var profile: Profile
    public var role: Role
    public var status: Status
    /// `nil` for members imported or provisioned without a password: they claim the account by signing up
    /// with the same e-mail address.
    public var passwordHash: String?
    /// Who sees this member's network, and whether discovery features list them.
    public var privacy: NetworkPrivacy
    public let createdAt: Date
    public var updatedAt: Date
    /// Signed up on their own (open sign-up, an invitation code, an allowed e-mail domain), rather than added
    /// by an administrator or an import: only they are "new members" under the new-member limits.
    public var selfRegistered = false

    public init(
        id: ID, handle: String, email: String, profile: Profile, role: Role = .member, status: Status = .active,
        passwordHash: String? = nil, privacy: NetworkPrivacy = NetworkPrivacy(), createdAt: Date, updatedAt: Date? = nil
    ) {
        self.id = id
        self.handle = handle
        self.email = email
        self.profile = profile
        self.role = role
        self.status = status
        self.passwordHash = passwordHash
        self.privacy = privacy
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
    }

    public var isAdmin: Bool { role == .admin }
    public var isModerator: Bool { role == .moderator || role == .admin }
    public var isSuspended: Bool { status == .suspended }
}

/// What a member says about themselves; everything here is shown on the profile and searchable in the
/// directory.
public struct Profile: Sendable, Equatable, Codable {
    public var displayName: String
    public var bio: String
    /// The organizational unit.
    public var department: String
    public var location: String
    public var jobRole: String
    /// What I learn about: tag slugs.
    public var subjects: [String]
    /// What I can help with: tag slugs.
    public var expertise: [String]

    public init(
        displayName: String, bio: String = "", department: String = "", location: String = "", jobRole: String = "",
        subjects: [String] = [], expertise: [String] = []
    ) {
        self.displayName = displayName
        self.bio = bio
        self.department = department
        self.location = location
        self.jobRole = jobRole
        self.subjects = subjects
        self.expertise = expertise
    }
}

/// A member's choice of who sees whom they follow and who follows them (the lists and their counts), and
/// whether they are offered to others: in suggestions, the directory, subject pages, "who's new" and
/// collections. Their posts and profile stay as visible as before.
public struct NetworkPrivacy: Sendable, Equatable, Codable {
    public enum Audience: String, Sendable, Codable, CaseIterable {
        case everyone
        /// Only the people this member follows.
        case followed
        case onlyMe = "only_me"
    }

    public var audience: Audience
    public var discoverable: Bool

    public init(audience: Audience = .everyone, discoverable: Bool = true) {
        self.audience = audience
        self.discoverable = discoverable
    }
}
