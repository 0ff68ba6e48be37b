import Foundation

/// The scopes Pollen grants, as Mastodon names them. Sub-scopes such as `read:accounts` are accepted and
/// count as granted when their parent is.
public enum OAuthScopes {
    public static let supported = ["read", "write", "follow", "push", "profile", "admin:read", "admin:write"]
    /// Out-of-band redirect: the code is shown on a page instead of being sent to a URL.
    public static let outOfBandRedirect = "urn:ietf:wg:oauth:2.0:oob"

    /// Splits and checks a scope string; an empty one means `read`, as in Mastodon.
    public static func parse(_ text: String?) throws -> [String] {
        let scopes = (text ?? "").split(whereSeparator: { $0 == " " || $0 == "+" || $0 == "," }).map(String.init)
        if scopes.isEmpty { return ["read"] }
        for scope in scopes where !isKnown(scope) {
            throw DomainError.invalid("Unknown scope “\(scope)”.", field: "scope")
        }
        return scopes.uniqued()
    }

    static func isKnown(_ scope: String) -> Bool {
        if supported.contains(scope) { return true }
        guard let parent = scope.split(separator: ":").first.map(String.init) else { return false }
        return ["read", "write", "admin"].contains(parent) && scope.hasPrefix(parent + ":")
    }

    /// Whether a token with `granted` scopes may act on `required` (`read` covers `read:accounts`).
    public static func allows(_ granted: [String], _ required: String) -> Bool {
        granted.contains(required) || granted.contains(where: { required.hasPrefix($0 + ":") })
    }
}

/// A client application registered through `POST /api/v1/apps`.
public struct OAuthApp: Sendable, Equatable {
    public typealias ID = EntityID<OAuthApp>
    public let id: ID
    public var name: String
    public var website: String?
    public var redirectURIs: [String]
    public var scopes: [String]
    public let clientID: String
    /// SHA-256 of the client secret.
    public let clientSecretDigest: String
    public let createdAt: Date

    public init(
        id: ID, name: String, website: String?, redirectURIs: [String], scopes: [String], clientID: String,
        clientSecretDigest: String, createdAt: Date
    ) {
        self.id = id
        self.name = name
        self.website = website
        self.redirectURIs = redirectURIs
        self.scopes = scopes
        self.clientID = clientID
        self.clientSecretDigest = clientSecretDigest
        self.createdAt = createdAt
    }
}

/// A one-time code from the consent page, exchanged for a token at `POST /oauth/token`.
public struct AuthorizationCode: Sendable, Equatable {
    public let codeDigest: String
    public let appID: OAuthApp.ID
    public let memberID: Member.ID
    public let redirectURI: String
    public let scopes: [String]
    /// PKCE (RFC 7636) challenge, when the client sent one.
    public let codeChallenge: String?
    public let codeChallengeMethod: String?
    public let expiresAt: Date

    public init(
        codeDigest: String, appID: OAuthApp.ID, memberID: Member.ID, redirectURI: String, scopes: [String],
        codeChallenge: String?, codeChallengeMethod: String?, expiresAt: Date
    ) {
        self.codeDigest = codeDigest
        self.appID = appID
        self.memberID = memberID
        self.redirectURI = redirectURI
        self.scopes = scopes
        self.codeChallenge = codeChallenge
        self.codeChallengeMethod = codeChallengeMethod
        self.expiresAt = expiresAt
    }
}

/// A bearer token. Tokens from `client_credentials` act for the app alone and have no member.
public struct AccessToken: Sendable, Equatable {
    public typealias ID = EntityID<AccessToken>
    public let id: ID
    public let tokenDigest: String
    public let appID: OAuthApp.ID
    public let memberID: Member.ID?
    public let scopes: [String]
    public let createdAt: Date
    public var revokedAt: Date?

    public init(
        id: ID, tokenDigest: String, appID: OAuthApp.ID, memberID: Member.ID?, scopes: [String], createdAt: Date,
        revokedAt: Date? = nil
    ) {
        self.id = id
        self.tokenDigest = tokenDigest
        self.appID = appID
        self.memberID = memberID
        self.scopes = scopes
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }
}

public protocol OAuthRepository: Sendable {
    func insertApp(_ app: OAuthApp) async throws
    func findApp(clientID: String) async throws -> OAuthApp?
    func findApp(id: OAuthApp.ID) async throws -> OAuthApp?
    func insertCode(_ code: AuthorizationCode) async throws
    /// Returns the code and deletes it in the same step, so a code works once.
    func takeCode(digest: String) async throws -> AuthorizationCode?
    func insertToken(_ token: AccessToken) async throws
    func findToken(digest: String) async throws -> AccessToken?
    func revokeToken(digest: String, at: Date) async throws
    func revokeTokens(memberID: Member.ID, at: Date) async throws
    /// Revokes the member's live tokens of one app; answers how many there were.
    func revokeTokens(memberID: Member.ID, appID: OAuthApp.ID, at: Date) async throws -> Int
    func authorizedApps(memberID: Member.ID) async throws -> [AuthorizedApp]
}
