import Foundation

/// A signed-in browser. The cookie holds the secret; the database holds only its digest, so sessions are
/// shared by every server of one installation and survive restarts.
public struct Session: Sendable, Equatable {
    public typealias ID = EntityID<Session>

    public let id: ID
    /// SHA-256 of the cookie value.
    public let tokenDigest: String
    public let memberID: Member.ID
    /// Sent back in every form of this session; a POST without it is refused.
    public let csrfToken: String
    public let createdAt: Date
    public var lastSeenAt: Date
    public var expiresAt: Date
    public var userAgent: String
    public var address: String

    public init(
        id: ID, tokenDigest: String, memberID: Member.ID, csrfToken: String, createdAt: Date, lastSeenAt: Date,
        expiresAt: Date, userAgent: String, address: String
    ) {
        self.id = id
        self.tokenDigest = tokenDigest
        self.memberID = memberID
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
        self.expiresAt = expiresAt
        self.userAgent = userAgent
        self.address = address
    }
}

public protocol SessionRepository: Sendable {
    func insert(_ session: Session) async throws
    func find(tokenDigest: String) async throws -> Session?
    func touch(id: Session.ID, lastSeenAt: Date, expiresAt: Date) async throws
    func delete(id: Session.ID) async throws
    /// Signs a member out everywhere except, optionally, one session (the one that changed the password).
    func deleteAll(memberID: Member.ID, except keep: Session.ID?) async throws
    func list(memberID: Member.ID) async throws -> [Session]
}

/// Failed sign-in attempts, kept in the database so every server of an installation counts the same.
public protocol SignInAttemptRepository: Sendable {
    func recordFailure(key: String, at: Date) async throws
    func countFailures(key: String, since: Date) async throws -> Int
    func clear(key: String) async throws
    func purge(before: Date) async throws
}
