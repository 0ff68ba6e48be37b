import Foundation

/// An app a member let act for them, with what it may do: the union of its live tokens' scopes.
public struct AuthorizedApp: Sendable, Equatable {
    public let app: OAuthApp
    public let scopes: [String]
    /// When the oldest live token was issued.
    public let since: Date
    public let tokens: Int

    public init(app: OAuthApp, scopes: [String], since: Date, tokens: Int) {
        self.app = app
        self.scopes = scopes
        self.since = since
        self.tokens = tokens
    }
}

extension Pollen {
    /// The apps holding a live token of the member, most recent first.
    public func authorizedApps(of actor: Actor) async throws -> [AuthorizedApp] {
        let member = try activeMember(actor)
        return try await store.read { repos in try await repos.oauth.authorizedApps(memberID: member.id) }
    }

    /// Takes back every token the member gave one app; the app must be authorized again to act for them.
    public func revokeApp(_ appID: OAuthApp.ID, by actor: Actor) async throws {
        let member = try activeMember(actor)
        let now = time.now()
        try await store.write { repos in
            guard try await repos.oauth.revokeTokens(memberID: member.id, appID: appID, at: now) > 0 else {
                throw DomainError.notFound("App")
            }
        }
    }
}
