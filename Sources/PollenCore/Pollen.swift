import Foundation

/// Limits that protect accounts; the defaults are the product's, tests may tighten them.
public struct SecurityLimits: Sendable {
    /// Failed sign-ins allowed per account within ``signInWindow`` before it is locked for the rest of it.
    public var signInFailuresPerAccount = 5
    /// Failed sign-ins allowed per network address within ``signInWindow``; higher because offices share one.
    public var signInFailuresPerAddress = 20
    public var signInWindow: TimeInterval = 15 * 60
    public var sessionLifetime: TimeInterval = 30 * 24 * 3600
    /// How stale `lastSeenAt` may get before a request refreshes it; avoids a write on every page view.
    public var sessionTouchInterval: TimeInterval = 5 * 60
    public var authorizationCodeLifetime: TimeInterval = 10 * 60
    public var invitationLifetime: TimeInterval = 14 * 24 * 3600

    public init() {}
}

/// The application: every use case is a method on it (in a file named after the action), and everything
/// it needs is passed in when it is built — no globals.
public struct Pollen: Sendable {
    public let store: any PollenStore
    public let secrets: any SecretHasher
    public let time: any TimeSource
    public let ids: any IDGenerator
    public let limits: SecurityLimits
    /// Where uploaded resources are kept, and what may be uploaded.
    public let files: any ResourceFiles
    public let resourceRules: ResourceRules

    /// Without `files`, resources go to a fresh temporary directory (tests, one-off tools).
    public init(
        store: any PollenStore, secrets: any SecretHasher, time: any TimeSource = SystemTimeSource(),
        ids: (any IDGenerator)? = nil, limits: SecurityLimits = SecurityLimits(), files: (any ResourceFiles)? = nil,
        resourceRules: ResourceRules = ResourceRules()
    ) {
        self.store = store
        self.secrets = secrets
        self.time = time
        self.ids = ids ?? SnowflakeIDGenerator(time: time)
        self.limits = limits
        self.files = files ?? DirectoryResourceFiles(
            root: FileManager.default.temporaryDirectory.appendingPathComponent("pollen-resources-\(UUID().uuidString)"))
        self.resourceRules = resourceRules
    }
}

/// Who is acting: a signed-in member, or the server itself (the command line, imports run by an operator).
public enum Actor: Sendable {
    case system
    case member(Member)
    /// A client app acting without a member (an OAuth client-credentials token): it reads what any member
    /// may read and changes nothing.
    case app

    public var member: Member? {
        if case .member(let member) = self { return member }
        return nil
    }
}
