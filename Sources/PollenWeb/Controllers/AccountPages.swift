import Foundation
import Hummingbird
import PollenCore

/// First-run setup, sign-up, sign-in, sign-out, password change, and the home page.
struct AccountPages {
    let pollen: Pollen
    let views: ViewRenderer
    let secureCookies: Bool

    func addRoutes(to router: Router<PollenRequestContext>) {
        router.get("/setup") { _, context in try await setupForm(context) }
        router.post("/setup") { request, context in try await setup(request, context) }
        router.get("/signup") { request, context in try await signUpForm(request, context) }
        router.post("/signup") { request, context in try await signUp(request, context) }
        router.get("/signin") { request, context in signInForm(request, context) }
        router.post("/signin") { request, context in try await signIn(request, context) }
        router.post("/signout") { _, context in try await signOut(context) }
        router.get("/settings/password") { _, context in try passwordForm(context) }
        router.post("/settings/password") { _, context in try await changePassword(context) }
        router.get("/settings/sessions") { _, context in try await sessionsPage(context) }
        router.get("/settings/apps") { _, context in try await appsPage(context) }
        router.post("/settings/apps/{id}/revoke") { _, context in
            guard let raw = context.parameters.get("id"), let id = OAuthApp.ID(string: raw) else { throw DomainError.notFound("App") }
            try await pollen.revokeApp(id, by: try context.requireActor())
            return Response.redirect(to: "/settings/apps", flash: "Access taken back: the app can no longer act for you.")
        }
        router.post("/settings/sessions/revoke") { _, context in
            let actor = try context.requireActor()
            let current = context.session?.id
            if let raw = context.form?["id"] {
                guard let id = Session.ID(string: raw) else { throw DomainError.notFound("Session") }
                if id == current { return try await signOut(context) }
                try await pollen.revokeSessions(id, keeping: current, by: actor)
                return Response.redirect(to: "/settings/sessions", flash: "That browser is signed out.")
            }
            try await pollen.revokeSessions(nil, keeping: current, by: actor)
            return Response.redirect(to: "/settings/sessions", flash: "Every other browser is signed out.")
        }
    }

    // MARK: First run

    private static let setupFields = [Forms.displayName, Forms.handle, Forms.email, Forms.newPassword]

    func setupForm(_ context: PollenRequestContext, form: FormData? = nil, error: DomainError? = nil) async throws
        -> Response
    {
        guard try await pollen.needsSetup() else { return .redirect(to: "/signin") }
        let page = FormPage(
            layout: Layout(title: "Set up Pollen", context: context), fields: Self.setupFields, form: form, error: error)
        return views.response(page, template: "setup", status: error.map { ErrorMiddleware.status($0.code) } ?? .ok)
    }

    func setup(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        guard try await pollen.needsSetup() else { return .redirect(to: "/signin") }
        return try await createAccount(request, context, template: { form, error in
            try await setupForm(context, form: form, error: error)
        })
    }

    // MARK: Sign-up

    func signUpForm(_ request: Request, _ context: PollenRequestContext, form: FormData? = nil, error: DomainError? = nil)
        async throws -> Response
    {
        if try await pollen.needsSetup() { return .redirect(to: "/setup") }
        if context.viewer != nil, form == nil { return .redirect(to: "/") }
        let settings = try await pollen.settings()
        var fields = [Forms.displayName, Forms.handle, Forms.email, Forms.newPassword]
        let policyText: String
        switch settings.signupPolicy {
        case .open:
            policyText = "Join your colleagues on \(settings.name)."
        case .invitation:
            policyText = "Sign-up is by invitation: enter the code from your invitation."
            fields.append(Forms.invitation)
        case .domains:
            policyText = "Sign up with your work e-mail address at \(settings.allowedDomains.joined(separator: " or "))."
        }
        // A sign-in link for a member created without a password carries its code whatever the policy.
        let code = form?["invitation"] ?? request.query["invitation"]
        if settings.signupPolicy != .invitation, code?.isEmpty == false { fields.append(Forms.invitation) }
        var page = FormPage(
            layout: Layout(title: "Sign up", context: context), fields: fields, form: form, error: error,
            fallbacks: ["invitation": request.query["invitation"] ?? ""])
        page.policyText = policyText
        return views.response(page, template: "signup", status: error.map { ErrorMiddleware.status($0.code) } ?? .ok)
    }

    func signUp(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        if try await pollen.needsSetup() { return .redirect(to: "/setup") }
        return try await createAccount(request, context, template: { form, error in
            try await signUpForm(request, context, form: form, error: error)
        })
    }

    private func createAccount(
        _ request: Request, _ context: PollenRequestContext,
        template: (FormData, DomainError) async throws -> Response
    ) async throws -> Response {
        let form = context.form ?? FormData()
        let command = SignUpCommand(
            handle: form["handle"] ?? "", email: form["email"] ?? "", displayName: form["display_name"] ?? "",
            password: form["password"] ?? "", invitationCode: form["invitation"])
        do {
            let signedIn = try await pollen.signUp(command, client: context.clientInfo(for: request))
            // A new member starts with the getting-started guide; it can be skipped from its first page.
            return signedInResponse(signedIn, to: "/welcome")
        } catch let error as DomainError {
            return try await template(form, error)
        }
    }

    // MARK: Sign-in

    func signInForm(_ request: Request, _ context: PollenRequestContext, form: FormData? = nil, error: DomainError? = nil)
        -> Response
    {
        var page = FormPage(layout: Layout(title: "Sign in", context: context), fields: Forms.signIn, form: form, error: error)
        page.next = Self.safeNext(form?["next"] ?? request.query["next"])
        return views.response(page, template: "signin", status: error.map { ErrorMiddleware.status($0.code) } ?? .ok)
    }

    func signIn(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let form = context.form ?? FormData()
        do {
            let signedIn = try await pollen.signIn(
                login: form["login"] ?? "", password: form["password"] ?? "", client: context.clientInfo(for: request))
            return signedInResponse(signedIn, to: Self.safeNext(form["next"]))
        } catch let error as DomainError {
            return signInForm(request, context, form: form, error: error)
        }
    }

    func signOut(_ context: PollenRequestContext) async throws -> Response {
        if let session = context.session { try await pollen.signOut(session: session) }
        var response = Response.redirect(to: "/signin", type: .found)
        response.setCookie(
            AuthenticationMiddleware.cookie(AuthenticationMiddleware.sessionCookie, "", secure: secureCookies, maxAge: 0))
        return response
    }

    private func signedInResponse(_ signedIn: SignedIn, to target: String) -> Response {
        var response = Response.redirect(to: target, type: .found)
        response.setCookie(
            AuthenticationMiddleware.cookie(
                AuthenticationMiddleware.sessionCookie, signedIn.cookieToken, secure: secureCookies,
                maxAge: Int(pollen.limits.sessionLifetime)))
        return response
    }

    /// Only same-site paths, after signing in or any form: an open redirect would help phishing. Browsers read a
    /// backslash as a slash and drop tabs and line breaks from a URL, so "/\\evil.example" or "/\t/evil.example" would
    /// lead off-site: backslashes, whitespace and control characters are refused.
    static func safeNext(_ next: String?, fallback: String = "/") -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"),
            !next.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.properties.generalCategory == .control })
        else { return fallback }
        return next
    }

    // MARK: Password

    /// Where the member is signed in: each browser with its address and last use, to sign out what they do
    /// not recognise.
    func sessionsPage(_ context: PollenRequestContext) async throws -> Response {
        let viewer = try context.requireViewer()
        let sessions = try await pollen.sessions(of: .member(viewer))
        let page = SessionsPage(
            layout: Layout(title: "Where you are signed in", context: context),
            sessions: sessions.map { session in
                SessionsPage.Row(
                    id: session.id.description, browser: session.userAgent.isEmpty ? "Unknown browser" : String(session.userAgent.prefix(120)),
                    address: session.address, lastSeen: session.lastSeenAt.formatted(date: .abbreviated, time: .shortened),
                    since: session.createdAt.formatted(date: .abbreviated, time: .shortened), current: session.id == context.session?.id)
            },
            hasOthers: sessions.contains { $0.id != context.session?.id })
        return views.response(page, template: "sessions")
    }

    func appsPage(_ context: PollenRequestContext) async throws -> Response {
        let viewer = try context.requireViewer()
        let apps = try await pollen.authorizedApps(of: .member(viewer))
        let page = AppsPage(
            layout: Layout(title: "Apps you authorized", context: context),
            apps: apps.map { entry in
                AppsPage.Row(
                    id: entry.app.id.description, name: entry.app.name,
                    website: OAuthEndpoints.webAddress(entry.app.website),
                    scopes: entry.scopes.joined(separator: ", "),
                    since: entry.since.formatted(date: .abbreviated, time: .shortened),
                    tokens: ItemCard.count(entry.tokens, "sign-in", "sign-ins"))
            },
            hasApps: !apps.isEmpty)
        return views.response(page, template: "apps")
    }

    func passwordForm(_ context: PollenRequestContext, form: FormData? = nil, error: DomainError? = nil) throws
        -> Response
    {
        _ = try context.requireViewer()
        let page = FormPage(
            layout: Layout(title: "Change password", context: context), fields: Forms.password,
            form: form, error: error)
        return views.response(page, template: "password", status: error.map { ErrorMiddleware.status($0.code) } ?? .ok)
    }

    func changePassword(_ context: PollenRequestContext) async throws -> Response {
        let member = try context.requireViewer()
        let form = context.form ?? FormData()
        do {
            try await pollen.changePassword(
                member: member, keeping: context.session, current: form["current_password"] ?? "",
                new: form["new_password"] ?? "", confirmation: form["confirm_password"] ?? "")
            return .redirect(to: "/settings/password", flash: "Password changed. Other devices have been signed out.")
        } catch let error as DomainError {
            return try passwordForm(context, form: form, error: error)
        }
    }
}

struct SessionsPage {
    struct Row {
        let id: String
        let browser: String
        let address: String
        let lastSeen: String
        let since: String
        let current: Bool
    }
    let layout: Layout
    let sessions: [Row]
    let hasOthers: Bool
}

struct AppsPage {
    struct Row {
        let id: String
        let name: String
        let website: String?
        let scopes: String
        let since: String
        let tokens: String
    }
    let layout: Layout
    let apps: [Row]
    let hasApps: Bool
}
