import Foundation

/// Every repository, bound to one database connection (and, inside ``PollenStore/write(_:)``, to one
/// transaction).
public protocol Repositories: Sendable {
    var members: any MemberRepository { get }
    var sessions: any SessionRepository { get }
    var signInAttempts: any SignInAttemptRepository { get }
    var oauth: any OAuthRepository { get }
    var settings: any SettingsRepository { get }
    var invitations: any InvitationRepository { get }
    var network: any NetworkRepository { get }
    var posts: any PostRepository { get }
    var notifications: any NotificationRepository { get }
    var search: any SearchRepository { get }
}

/// The database as the use cases see it: reads, and writes that commit or roll back as one.
public protocol PollenStore: Sendable {
    func read<T: Sendable>(_ work: @escaping @Sendable (any Repositories) async throws -> T) async throws -> T
    /// Runs `work` in one transaction: everything it writes is kept, or nothing if it throws.
    func write<T: Sendable>(_ work: @escaping @Sendable (any Repositories) async throws -> T) async throws -> T
    /// Whether the database answers.
    func ping() async throws
}
