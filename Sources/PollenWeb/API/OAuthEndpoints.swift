import Foundation
import Hummingbird
import PollenCore

/// App registration and OAuth 2 as Mastodon clients use them: `/api/v1/apps`, `/oauth/authorize` (a consent
/// page), `/oauth/token`, `/oauth/revoke` and the RFC 8414 server metadata.
struct OAuthEndpoints {
    let pollen: Pollen
    let views: ViewRenderer
    let publicURL: PublicURL

    func addRoutes(to router: Router<PollenRequestContext>) {
        router.post("/api/v1/apps") { request, context in try await registerApp(request, context) }
        router.get("/api/v1/apps/verify_credentials") { _, context in try await verifyApp(context) }
        router.get("/oauth/authorize") { request, context in try await authorizeForm(request, context) }
        router.post("/oauth/authorize") { request, context in try await authorize(request, context) }
        router.post("/oauth/token") { request, context in try await token(request, context) }
        router.post("/oauth/revoke") { request, context in try await revoke(request, context) }
        router.get("/.well-known/oauth-authorization-server") { request, _ in metadata(request) }
    }

    func registerApp(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        var request = request
        let form = try await request.formData(limit: 64 * 1024)
        let registered = try await pollen.registerApp(
            RegisterAppCommand(
                name: form["client_name"] ?? "", redirectURIs: form.all("redirect_uris"), scopes: form["scopes"],
                website: form["website"]))
        return JSONResponse.make(MastodonApplication(registered.app, secret: registered.clientSecret))
    }

    func verifyApp(_ context: PollenRequestContext) async throws -> Response {
        guard let token = context.token,
            let app = try await pollen.store.read({ try await $0.oauth.findApp(id: token.appID) })
        else { throw DomainError(.unauthenticated, "The access token is invalid.") }
        return JSONResponse.make(MastodonApplication(app, secret: nil))
    }

    private func checkedRequest(_ values: (String) -> String?) async throws -> AuthorizationRequest {
        try await pollen.checkAuthorizationRequest(
            clientID: values("client_id") ?? "", redirectURI: values("redirect_uri"), responseType: values("response_type"),
            scope: values("scope"), state: values("state"), codeChallenge: values("code_challenge"),
            codeChallengeMethod: values("code_challenge_method"))
    }

    func authorizeForm(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let query = request.query
        let authorization = try await checkedRequest { query[$0] }
        let member = try context.requireViewer()
        var hidden: [AuthorizePage.Hidden] = [
            .init(name: "client_id", value: authorization.app.clientID),
            .init(name: "redirect_uri", value: authorization.redirectURI),
            .init(name: "scope", value: authorization.scopes.joined(separator: " ")),
            .init(name: "response_type", value: "code"),
        ]
        if let state = authorization.state { hidden.append(.init(name: "state", value: state)) }
        if let challenge = authorization.codeChallenge {
            hidden.append(.init(name: "code_challenge", value: challenge))
            hidden.append(.init(name: "code_challenge_method", value: "S256"))
        }
        let page = AuthorizePage(
            layout: Layout(title: "Authorize \(authorization.app.name)", context: context), appName: authorization.app.name,
            website: Self.webAddress(authorization.app.website), handle: member.handle,
            scopes: authorization.scopes.map(Self.describe), hidden: hidden)
        return views.response(page, template: "authorize")
    }

    /// An app's website, shown as a link only when it is a web address: anyone may register an app, with any
    /// text as its website (`javascript:…` included).
    static func webAddress(_ text: String?) -> String? {
        guard let text, let scheme = URL(string: text)?.scheme?.lowercased(), ["http", "https"].contains(scheme) else {
            return nil
        }
        return text
    }

    func authorize(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let member = try context.requireViewer()
        let form = context.form ?? FormData()
        let authorization = try await checkedRequest { form[$0] }
        var parameters: [String: String] = [:]
        if form["decision"] == "approve" {
            let code = try await pollen.approveAuthorization(authorization, by: member)
            if authorization.redirectURI == OAuthScopes.outOfBandRedirect {
                let page = AuthorizationCodePage(
                    layout: Layout(title: "Authorization code", context: context), appName: authorization.app.name,
                    code: code)
                return views.response(page, template: "authorize_code")
            }
            parameters["code"] = code
        } else {
            parameters["error"] = "access_denied"
            parameters["error_description"] = "The member denied the request."
        }
        if let state = authorization.state { parameters["state"] = state }
        guard var components = URLComponents(string: authorization.redirectURI) else {
            throw DomainError.invalid("The app's redirect URI is not a URL.", field: "redirect_uri")
        }
        let existing = components.queryItems ?? []
        components.queryItems = existing
            + parameters.sorted(by: { $0.key < $1.key }).map { URLQueryItem(name: $0.key, value: $0.value) }
        return .redirect(to: components.string ?? authorization.redirectURI, type: .found)
    }

    func token(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        var request = request
        let form = try await request.formData(limit: 64 * 1024)
        var clientID = form["client_id"] ?? ""
        var clientSecret = form["client_secret"] ?? ""
        // Clients may authenticate with HTTP Basic instead of form fields (RFC 6749 §2.3.1).
        if let header = request.headers[.authorization], header.lowercased().hasPrefix("basic "),
            let decoded = Data(base64Encoded: String(header.dropFirst(6))).map({ String(decoding: $0, as: UTF8.self) }),
            let colon = decoded.firstIndex(of: ":")
        {
            clientID = String(decoded[..<colon]).removingPercentEncoding ?? ""
            clientSecret = String(decoded[decoded.index(after: colon)...]).removingPercentEncoding ?? ""
        }
        let grant: TokenGrant
        switch form["grant_type"] {
        case "authorization_code":
            grant = .authorizationCode(
                code: form["code"] ?? "", redirectURI: form["redirect_uri"], codeVerifier: form["code_verifier"])
        case "password":
            grant = .password(login: form["username"] ?? "", password: form["password"] ?? "", scopes: form["scope"])
        case "client_credentials":
            grant = .clientCredentials(scopes: form["scope"])
        default:
            return JSONResponse.error(
                "unsupported_grant_type", status: .badRequest,
                description: "grant_type must be authorization_code, password or client_credentials.")
        }
        do {
            let issued = try await pollen.issueToken(
                clientID: clientID, clientSecret: clientSecret, grant: grant, client: context.clientInfo(for: request))
            return JSONResponse.make(
                MastodonToken(
                    access_token: issued.secret, scope: issued.token.scopes.joined(separator: " "),
                    created_at: Int(issued.token.createdAt.timeIntervalSince1970)))
        } catch let error as DomainError {
            return Self.oauthError(error)
        }
    }

    func revoke(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        var request = request
        let form = try await request.formData(limit: 64 * 1024)
        do {
            try await pollen.revokeToken(
                form["token"] ?? "", clientID: form["client_id"] ?? "", clientSecret: form["client_secret"] ?? "")
            return JSONResponse.make([String: String]())
        } catch let error as DomainError {
            return Self.oauthError(error)
        }
    }

    /// OAuth errors use the RFC 6749 codes in `error` and the readable message in `error_description`.
    static func oauthError(_ error: DomainError) -> Response {
        switch error.field {
        case "invalid_client":
            return JSONResponse.error("invalid_client", status: .unauthorized, description: error.message)
        case "invalid_grant", "invalid_scope":
            return JSONResponse.error(error.field ?? "invalid_grant", status: .badRequest, description: error.message)
        default:
            let code = error.code == .rateLimited ? "slow_down" : error.code == .forbidden ? "access_denied" : "invalid_request"
            return JSONResponse.error(code, status: ErrorMiddleware.status(error.code), description: error.message)
        }
    }

    func metadata(_ request: Request) -> Response {
        let base = publicURL.base(for: request)
        return JSONResponse.make(
            AuthorizationServerMetadata(
                issuer: base + "/", service_documentation: base + "/api/pollen/v1/openapi.json",
                authorization_endpoint: base + "/oauth/authorize", token_endpoint: base + "/oauth/token",
                revocation_endpoint: base + "/oauth/revoke", app_registration_endpoint: base + "/api/v1/apps",
                scopes_supported: OAuthScopes.supported))
    }

    static func describe(_ scope: String) -> String {
        switch scope {
        case "read": "read: see your profile and everything you can see"
        case "write": "write: change your profile and publish on your behalf"
        case "follow": "follow: follow and unfollow, mute and block"
        case "push": "push: receive push notifications"
        case "profile": "profile: see who you are"
        default: scope
        }
    }
}

struct AuthorizationServerMetadata: Encodable {
    let issuer: String
    let service_documentation: String
    let authorization_endpoint: String
    let token_endpoint: String
    let revocation_endpoint: String
    let app_registration_endpoint: String
    let scopes_supported: [String]
    let response_types_supported = ["code"]
    let response_modes_supported = ["query"]
    let grant_types_supported = ["authorization_code", "password", "client_credentials"]
    let token_endpoint_auth_methods_supported = ["client_secret_basic", "client_secret_post"]
    let code_challenge_methods_supported = ["S256"]
}
