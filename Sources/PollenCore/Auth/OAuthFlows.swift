import Foundation

public struct RegisterAppCommand: Sendable {
    public var name: String
    public var redirectURIs: [String]
    public var scopes: String?
    public var website: String?
    public init(name: String, redirectURIs: [String], scopes: String?, website: String?) {
        self.name = name
        self.redirectURIs = redirectURIs
        self.scopes = scopes
        self.website = website
    }
}

/// A registered app and its secret, which is shown once and stored only as a digest.
public struct RegisteredApp: Sendable {
    public let app: OAuthApp
    public let clientSecret: String
}

/// A token and its secret, shown once.
public struct IssuedToken: Sendable {
    public let token: AccessToken
    public let secret: String
}

/// What a client asks for at `GET /oauth/authorize`, checked before the consent page is shown.
public struct AuthorizationRequest: Sendable {
    public let app: OAuthApp
    public let redirectURI: String
    public let scopes: [String]
    public let state: String?
    public let codeChallenge: String?
    public let codeChallengeMethod: String?
}

/// The token endpoint's grants, as Mastodon clients send them.
public enum TokenGrant: Sendable {
    case authorizationCode(code: String, redirectURI: String?, codeVerifier: String?)
    case password(login: String, password: String, scopes: String?)
    case clientCredentials(scopes: String?)
}

extension Pollen {
    public func registerApp(_ command: RegisterAppCommand) async throws -> RegisteredApp {
        let name = command.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...100).contains(name.count) else {
            throw DomainError.invalid("client_name must be 1 to 100 characters.", field: "client_name")
        }
        let redirects = command.redirectURIs.flatMap { $0.split(whereSeparator: \.isNewline).map(String.init) }
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !redirects.isEmpty else {
            throw DomainError.invalid("redirect_uris is required.", field: "redirect_uris")
        }
        for uri in redirects where uri != OAuthScopes.outOfBandRedirect {
            guard let url = URL(string: uri), let scheme = url.scheme?.lowercased(),
                !["javascript", "data", "file", "vbscript"].contains(scheme)
            else { throw DomainError.invalid("“\(uri)” is not a valid redirect URI.", field: "redirect_uris") }
        }
        let scopes = try OAuthScopes.parse(command.scopes)
        let website = command.website?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        let secret = SecretGenerator.token()
        let app = OAuthApp(
            id: OAuthApp.ID(ids.next()), name: name, website: website, redirectURIs: redirects, scopes: scopes,
            clientID: SecretGenerator.token(), clientSecretDigest: secrets.digest(secret), createdAt: time.now())
        try await store.write { try await $0.oauth.insertApp(app) }
        return RegisteredApp(app: app, clientSecret: secret)
    }

    /// Checks the parameters of `GET /oauth/authorize`. The client and redirect URI must match a registered app
    /// before anything else, so errors are never redirected to an unchecked address.
    public func checkAuthorizationRequest(
        clientID: String, redirectURI: String?, responseType: String?, scope: String?, state: String?,
        codeChallenge: String?, codeChallengeMethod: String?
    ) async throws -> AuthorizationRequest {
        guard let app = try await store.read({ try await $0.oauth.findApp(clientID: clientID) }) else {
            throw DomainError.invalid("Unknown client_id.", field: "client_id")
        }
        let redirect = redirectURI?.nilIfEmpty ?? app.redirectURIs[0]
        guard app.redirectURIs.contains(redirect) else {
            throw DomainError.invalid("redirect_uri does not match the app's registration.", field: "redirect_uri")
        }
        guard (responseType ?? "code") == "code" else {
            throw DomainError.invalid("Only response_type=code is supported.", field: "response_type")
        }
        let scopes = try scope.map(OAuthScopes.parse) ?? app.scopes
        try checkScopes(scopes, allowedBy: app)
        if let method = codeChallengeMethod, method != "S256" {
            throw DomainError.invalid("Only code_challenge_method=S256 is supported.", field: "code_challenge_method")
        }
        return AuthorizationRequest(
            app: app, redirectURI: redirect, scopes: scopes, state: state, codeChallenge: codeChallenge?.nilIfEmpty,
            codeChallengeMethod: codeChallenge?.nilIfEmpty == nil ? nil : "S256")
    }

    /// The signed-in member consented: issue a one-time code.
    public func approveAuthorization(_ request: AuthorizationRequest, by member: Member) async throws -> String {
        let code = SecretGenerator.token()
        let grant = AuthorizationCode(
            codeDigest: secrets.digest(code), appID: request.app.id, memberID: member.id,
            redirectURI: request.redirectURI, scopes: request.scopes, codeChallenge: request.codeChallenge,
            codeChallengeMethod: request.codeChallengeMethod,
            expiresAt: time.now().addingTimeInterval(limits.authorizationCodeLifetime))
        try await store.write { try await $0.oauth.insertCode(grant) }
        return code
    }

    /// `POST /oauth/token`: the client authenticates with its id and secret, then the grant decides for whom
    /// the token acts.
    public func issueToken(clientID: String, clientSecret: String, grant: TokenGrant, client: ClientInfo)
        async throws -> IssuedToken
    {
        guard let app = try await store.read({ try await $0.oauth.findApp(clientID: clientID) }),
            secrets.digest(clientSecret) == app.clientSecretDigest
        else {
            throw DomainError(.unauthenticated, "Client authentication failed.", field: "invalid_client")
        }
        let memberID: Member.ID?
        let scopes: [String]
        switch grant {
        case .authorizationCode(let code, let redirectURI, let verifier):
            guard let stored = try await store.write({ try await $0.oauth.takeCode(digest: secrets.digest(code)) }),
                stored.appID == app.id, stored.expiresAt > time.now()
            else {
                throw DomainError.invalid("The authorization code is invalid or has expired.", field: "invalid_grant")
            }
            if let redirectURI, redirectURI != stored.redirectURI {
                throw DomainError.invalid("redirect_uri does not match the authorization request.", field: "invalid_grant")
            }
            if let challenge = stored.codeChallenge {
                let computed = Data(secrets.sha256(Array((verifier ?? "").utf8))).base64URLEncoded()
                guard computed == challenge else {
                    throw DomainError.invalid("code_verifier does not match the code challenge.", field: "invalid_grant")
                }
            }
            memberID = stored.memberID
            scopes = stored.scopes
        case .password(let login, let password, let scope):
            scopes = try scope.map(OAuthScopes.parse) ?? app.scopes
            try checkScopes(scopes, allowedBy: app)
            do {
                memberID = try await verifyCredentials(login: login, password: password, client: client).id
            } catch let error as DomainError where error.code == .unauthenticated {
                throw DomainError.invalid(error.message, field: "invalid_grant")
            }
        case .clientCredentials(let scope):
            scopes = try scope.map(OAuthScopes.parse) ?? app.scopes
            try checkScopes(scopes, allowedBy: app)
            memberID = nil
        }
        let secret = SecretGenerator.token()
        let token = AccessToken(
            id: AccessToken.ID(ids.next()), tokenDigest: secrets.digest(secret), appID: app.id, memberID: memberID,
            scopes: scopes, createdAt: time.now())
        try await store.write { try await $0.oauth.insertToken(token) }
        return IssuedToken(token: token, secret: secret)
    }

    private func checkScopes(_ scopes: [String], allowedBy app: OAuthApp) throws {
        for scope in scopes where !OAuthScopes.allows(app.scopes, scope) {
            throw DomainError.invalid("The app was not registered for the scope “\(scope)”.", field: "invalid_scope")
        }
    }

    /// `POST /oauth/revoke`. Like RFC 7009, an unknown token is not an error; a token of another app is left alone.
    public func revokeToken(_ secret: String, clientID: String, clientSecret: String) async throws {
        guard let app = try await store.read({ try await $0.oauth.findApp(clientID: clientID) }),
            secrets.digest(clientSecret) == app.clientSecretDigest
        else {
            throw DomainError(.unauthenticated, "Client authentication failed.", field: "invalid_client")
        }
        let digest = secrets.digest(secret)
        let now = time.now()
        try await store.write { repos in
            guard let token = try await repos.oauth.findToken(digest: digest), token.appID == app.id else { return }
            try await repos.oauth.revokeToken(digest: digest, at: now)
        }
    }

    /// The token and member behind an `Authorization: Bearer` header, or `nil` when it is unknown, revoked, or
    /// its member is suspended.
    public func authenticate(bearerToken: String) async throws -> (AccessToken, Member?)? {
        let digest = secrets.digest(bearerToken)
        return try await store.read { repos -> (AccessToken, Member?)? in
            guard let token = try await repos.oauth.findToken(digest: digest), token.revokedAt == nil else { return nil }
            guard let memberID = token.memberID else { return (token, nil) }
            guard let member = try await repos.members.find(id: memberID), !member.isSuspended else { return nil }
            return (token, member)
        }
    }
}
