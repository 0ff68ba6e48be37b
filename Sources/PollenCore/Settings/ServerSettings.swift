import Foundation

/// Who may create an account once the first administrator exists.
public enum SignupPolicy: String, Sendable, CaseIterable, Codable {
    case open
    /// Only with an invitation code from an administrator.
    case invitation
    /// Only with an e-mail address in one of ``ServerSettings/allowedDomains``.
    case domains
}

/// Settings an administrator changes from the admin pages.
public struct ServerSettings: Sendable, Equatable, Codable {
    public var name: String
    public var description: String
    public var signupPolicy: SignupPolicy
    /// Lower-case domains such as `example.org`, used when ``signupPolicy`` is ``SignupPolicy/domains``.
    public var allowedDomains: [String]
    public var contactEmail: String
    /// Quality and safety: limits for new members, the first-posts rule, rate limits, retention.
    public var moderation: ModerationSettings
    /// Network insight: whether individual scores are shown, how often the analytics job runs.
    public var insight: InsightSettings

    public init(
        name: String = "Pollen", description: String = "A social learning network for our organization.",
        signupPolicy: SignupPolicy = .open, allowedDomains: [String] = [], contactEmail: String = "",
        moderation: ModerationSettings = ModerationSettings(), insight: InsightSettings = InsightSettings()
    ) {
        self.moderation = moderation
        self.insight = insight
        self.name = name
        self.description = description
        self.signupPolicy = signupPolicy
        self.allowedDomains = allowedDomains
        self.contactEmail = contactEmail
    }

    public static let `default` = ServerSettings()

    public init(from decoder: any Decoder) throws {
        // Settings saved before a field existed keep its default.
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = ServerSettings()
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? d.name
        description = try c.decodeIfPresent(String.self, forKey: .description) ?? d.description
        signupPolicy = try c.decodeIfPresent(SignupPolicy.self, forKey: .signupPolicy) ?? d.signupPolicy
        allowedDomains = try c.decodeIfPresent([String].self, forKey: .allowedDomains) ?? d.allowedDomains
        contactEmail = try c.decodeIfPresent(String.self, forKey: .contactEmail) ?? d.contactEmail
        moderation = try c.decodeIfPresent(ModerationSettings.self, forKey: .moderation) ?? d.moderation
        insight = try c.decodeIfPresent(InsightSettings.self, forKey: .insight) ?? d.insight
    }
}

/// How the organization's network insight treats individuals. Off by default: the insight is about how the
/// network works (units, brokerage, silos), and naming people turns it into surveillance unless the
/// organization decides otherwise — and every member can see which way it decided.
public struct InsightSettings: Sendable, Equatable, Codable {
    /// Whether insight pages may list named people (brokers, bridges) with their scores.
    public var individualScores: Bool
    /// Hours between scheduled runs of the analytics job (1–168).
    public var refreshHours: Int

    public init(individualScores: Bool = false, refreshHours: Int = 24) {
        self.individualScores = individualScores
        self.refreshHours = refreshHours
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = InsightSettings()
        individualScores = try c.decodeIfPresent(Bool.self, forKey: .individualScores) ?? d.individualScores
        refreshHours = try c.decodeIfPresent(Int.self, forKey: .refreshHours) ?? d.refreshHours
    }
}

public protocol SettingsRepository: Sendable {
    func load() async throws -> ServerSettings
    func save(_ settings: ServerSettings) async throws
}

/// An invitation to sign up when sign-up is by invitation, or — bound to an e-mail address — the sign-in
/// link with which a member an administrator created without a password claims the account.
public struct Invitation: Sendable, Equatable {
    public let code: String
    /// When set, only this e-mail address may use the invitation.
    public let email: String?
    public let createdBy: Member.ID
    public let createdAt: Date
    public let expiresAt: Date?
    public var usedBy: Member.ID?
    public var usedAt: Date?

    public init(
        code: String, createdBy: Member.ID, createdAt: Date, expiresAt: Date?, usedBy: Member.ID? = nil,
        usedAt: Date? = nil, email: String? = nil
    ) {
        self.code = code
        self.email = email
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.usedBy = usedBy
        self.usedAt = usedAt
    }

    public func isUsable(at now: Date) -> Bool {
        usedBy == nil && (expiresAt.map { $0 > now } ?? true)
    }
}

public protocol InvitationRepository: Sendable {
    func insert(_ invitation: Invitation) async throws
    func find(code: String) async throws -> Invitation?
    /// Marks an unused invitation used; `false` when it was used already (by a concurrent sign-up).
    func markUsed(code: String, by member: Member.ID, at: Date) async throws -> Bool
    func list() async throws -> [Invitation]
}
