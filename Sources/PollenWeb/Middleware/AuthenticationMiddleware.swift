import Foundation
import Hummingbird
import PollenCore

/// Finds out who is asking. The API authenticates by bearer token only and pages by session cookie only, so
/// a cookie can never be used to call the API from another site.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = PollenRequestContext
    static let sessionCookie = "pollen_session"
    static let csrfCookie = "pollen_csrf"

    let pollen: Pollen
    let secureCookies: Bool
    let tokens: TokenCache

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var context = context
        if request.isAPI {
            if let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") {
                let secret = String(header.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
                let digest = pollen.secrets.digest(secret)
                if let known = tokens.holder(digest: digest) {
                    context.token = known.token
                    context.viewer = known.member
                } else {
                    let generation = tokens.generation
                    guard let (token, member) = try await pollen.authenticate(bearerToken: secret) else {
                        throw DomainError(.unauthenticated, "The access token is invalid.")
                    }
                    tokens.store((token, member), digest: digest, readAt: generation)
                    context.token = token
                    context.viewer = member
                }
            }
            return try await next(request, context)
        }

        if let cookie = request.cookies[Self.sessionCookie]?.value,
            let (member, session) = try await pollen.authenticate(sessionToken: cookie)
        {
            context.viewer = member
            context.session = session
            if request.method == .get { context.unreadNotifications = try await pollen.unreadNotificationCount(for: member) }
            return try await next(request, context)
        }
        // Signed-out visitors get a CSRF secret in a cookie of its own, which their forms echo back.
        if let existing = request.cookies[Self.csrfCookie]?.value, existing.count >= 32 {
            context.anonymousCSRF = existing
            return try await next(request, context)
        }
        let fresh = SecretGenerator.token()
        context.anonymousCSRF = fresh
        var response = try await next(request, context)
        response.setCookie(Self.cookie(Self.csrfCookie, fresh, secure: secureCookies))
        return response
    }

    static func cookie(_ name: String, _ value: String, secure: Bool, maxAge: Int? = nil) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }
}

/// Refuses any state-changing page request whose form does not carry the CSRF token of the visitor's
/// session (or, signed out, of their CSRF cookie). The parsed form is kept for the handler.
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = PollenRequestContext
    /// The largest form a page may send: CSV imports and resource uploads are the large ones.
    var bodyLimit = 16 * 1024 * 1024

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard !request.isAPI, request.method != .get, request.method != .head else {
            return try await next(request, context)
        }
        var request = request
        var context = context
        let form = try await request.formData(limit: bodyLimit)
        let expected = context.csrfToken
        guard !expected.isEmpty, let sent = form["_csrf"], constantTimeEquals(sent, expected) else {
            throw DomainError(
                .forbidden, "This form has expired or came from another site. Go back, reload the page and try again.")
        }
        context.form = form
        return try await next(request, context)
    }

    private func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// Headers that keep pages from being framed, sniffed or made to run injected script.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = PollenRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var response = try await next(request, context)
        response.headers[.xContentTypeOptions] = "nosniff"
        if !request.isAPI {
            response.headers[.contentSecurityPolicy] =
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'"
            response.headers[.init("X-Frame-Options")!] = "DENY"
            response.headers[.init("Referrer-Policy")!] = "same-origin"
        }
        return response
    }
}
