import Foundation
import Hummingbird
import PollenCore

/// The administrator's pages: members and roles, sign-up policy and invitations, CSV import.
struct AdminPages {
    let pollen: Pollen
    let views: ViewRenderer
    let publicURL: PublicURL
    static let pageSize = 50

    func addRoutes(to router: Router<PollenRequestContext>) {
        router.get("/admin") { _, _ in Response.redirect(to: "/admin/members") }
        router.get("/admin/members") { request, context in try await members(request, context) }
        router.post("/admin/members/{id}/role") { request, context in
            try await act(request, context) { id, actor, form in
                guard let role = form["role"].flatMap(Member.Role.init(rawValue:)) else {
                    throw DomainError.invalid("Choose a role: member, moderator or admin.", field: "role")
                }
                return try await pollen.changeRole(of: id, to: role, by: actor)
            }
        }
        router.post("/admin/members/{id}/suspend") { request, context in
            try await act(request, context) { id, actor, _ in try await pollen.setSuspended(true, memberID: id, by: actor) }
        }
        router.post("/admin/members/{id}/unsuspend") { request, context in
            try await act(request, context) { id, actor, _ in try await pollen.setSuspended(false, memberID: id, by: actor) }
        }
        router.post("/admin/members/{id}/sign-in-link") { request, context in
            let invitation = try await pollen.createInvitation(by: try context.requireActor(), for: try context.memberIDParameter())
            return Response.redirect(
                to: "/admin/members",
                flash: "Sign-in link for \(invitation.email ?? "the member") (valid 14 days, once): \(invitationLink(invitation, request))")
        }
        router.get("/admin/settings") { request, context in try await settingsPage(request, context) }
        router.post("/admin/settings") { request, context in try await saveSettings(request, context) }
        router.post("/admin/invitations") { request, context in
            let invitation = try await pollen.createInvitation(by: try context.requireActor())
            return Response.redirect(to: "/admin/settings", flash: "Invitation created: \(invitationLink(invitation, request))")
        }
        router.get("/admin/import") { _, context in try importPage(context) }
        router.post("/admin/import") { _, context in try await importMembers(context) }
    }

    func members(_ request: Request, _ context: PollenRequestContext, error: DomainError? = nil) async throws -> Response
    {
        let actor = try context.requireActor()
        let text = request.query["q"] ?? ""
        let pageNumber = request.query.pageNumber
        let result = try await pollen.listMembers(
            DirectoryQuery(text: text, limit: Self.pageSize, offset: (pageNumber - 1) * Self.pageSize), by: actor)
        let rows = result.items.map { member in
            AdminMembersPage.Row(
                id: member.id.description, handle: member.handle, displayName: member.profile.displayName,
                email: member.email, department: member.profile.department,
                roles: Member.Role.allCases.map { .init(value: $0.rawValue, label: $0.rawValue.capitalized, selected: $0 == member.role) },
                suspended: member.isSuspended, isSelf: member.id == actor.member?.id,
                suspendAction: member.isSuspended ? "unsuspend" : "suspend",
                suspendLabel: member.isSuspended ? "Unsuspend" : "Suspend", awaitingSignUp: member.passwordHash == nil)
        }
        let query = text.isEmpty ? "" : "q=\(text.queryEscaped)&"
        let shown = (pageNumber - 1) * Self.pageSize + rows.count
        var page = AdminMembersPage(
            layout: Layout(title: "Members · Administration", context: context), tabs: .init(members: true),
            queryText: text,
            rows: rows, resultText: "\(result.total) member\(result.total == 1 ? "" : "s")",
            previousURL: pageNumber > 1 ? "/admin/members?\(query)page=\(pageNumber - 1)" : nil,
            nextURL: shown < result.total ? "/admin/members?\(query)page=\(pageNumber + 1)" : nil)
        page.formError = error?.message
        return views.response(page, template: "admin_members", status: error.map { ErrorMiddleware.status($0.code) } ?? .ok)
    }

    /// Runs one action on a member from the list, then shows the list again with what happened.
    private func act(
        _ request: Request, _ context: PollenRequestContext,
        _ action: (Member.ID, Actor, FormData) async throws -> Member
    ) async throws -> Response {
        let actor = try context.requireActor()
        try AccessPolicy.require(AccessPolicy.mayAdminister(actor))
        let id = try context.memberIDParameter()
        do {
            let member = try await action(id, actor, context.form ?? FormData())
            return .redirect(
                to: "/admin/members",
                flash: "@\(member.handle) is now \(member.isSuspended ? "suspended" : "active") with the role \(member.role.rawValue).")
        } catch let error as DomainError where error.code == .invalidInput || error.code == .conflict {
            return try await members(request, context, error: error)
        }
    }

    func settingsPage(
        _ request: Request, _ context: PollenRequestContext, form: FormData? = nil, error: DomainError? = nil
    ) async throws -> Response {
        let actor = try context.requireActor()
        let settings = try await pollen.settings()
        let invitations = try await pollen.invitations(by: actor)
        let now = pollen.time.now()
        let values: [String: String] = [
            "name": settings.name, "description": settings.description, "contact_email": settings.contactEmail,
            "allowed_domains": settings.allowedDomains.joined(separator: ", "),
        ]
        let serverFields = [
            InputField(id: "name", label: "Server name", name: "name", required: true, maxLength: 80),
            InputField(id: "description", label: "Description", name: "description", multiline: true, maxLength: 1000),
            InputField(id: "contact_email", label: "Contact e-mail", name: "contact_email", type: "email"),
        ].map { $0.filled(from: form, error: error, fallback: values[$0.name] ?? "") }
        let domainField = InputField(
            id: "allowed_domains", label: "Allowed e-mail domains", name: "allowed_domains",
            hint: "Used when sign-up is limited to domains, e.g. example.org, example.com."
        ).filled(from: form, error: error, fallback: values["allowed_domains"] ?? "")
        let selected = form?["signup_policy"] ?? settings.signupPolicy.rawValue
        let labels: [SignupPolicy: String] = [
            .open: "Anyone who reaches this server", .invitation: "Only people with an invitation code",
            .domains: "Only people with an e-mail address at the allowed domains",
        ]
        var page = AdminSettingsPage(
            layout: Layout(title: "Sign-up and server · Administration", context: context),
            tabs: .init(settings: true), serverFields: serverFields,
            policies: SignupPolicy.allCases.map { .init(value: $0.rawValue, label: labels[$0] ?? $0.rawValue, selected: $0.rawValue == selected) },
            domainField: domainField,
            invitations: invitations.prefix(20).map { invitation in
                AdminSettingsPage.InvitationRow(
                    link: invitationLink(invitation, request),
                    state: (invitation.usedBy != nil ? "used" : invitation.isUsable(at: now) ? "open" : "expired")
                        + (invitation.email.map { ", for \($0)" } ?? ""))
            }, hasInvitations: !invitations.isEmpty)
        page.formError = error?.message
        return views.response(page, template: "admin_settings", status: error.map { ErrorMiddleware.status($0.code) } ?? .ok)
    }

    func saveSettings(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let form = context.form ?? FormData()
        do {
            guard let policy = form["signup_policy"].flatMap(SignupPolicy.init(rawValue:)) else {
                throw DomainError.invalid("Choose who may sign up.", field: "signup_policy")
            }
            let settings = ServerSettings(
                name: form["name"] ?? "", description: form["description"] ?? "", signupPolicy: policy,
                allowedDomains: ProfileRules.splitTagList(form["allowed_domains"] ?? ""),
                contactEmail: form["contact_email"] ?? "")
            _ = try await pollen.updateSettings(settings, by: actor)
            return .redirect(to: "/admin/settings", flash: "Settings saved.")
        } catch let error as DomainError where error.code == .invalidInput {
            return try await settingsPage(request, context, form: form, error: error)
        }
    }

    func importPage(_ context: PollenRequestContext, report: MemberImportReport? = nil, error: DomainError? = nil) throws
        -> Response
    {
        let actor = try context.requireActor()
        try AccessPolicy.require(AccessPolicy.mayAdminister(actor))
        let page = AdminImportPage(
            layout: Layout(title: "Import members · Administration", context: context), tabs: .init(importing: true),
            formError: error?.message,
            report: report.map {
                ImportReportView(
                    title: "Import result", summary: "Imported: \($0.summary).", errorsHeading: "Rows not imported",
                    errors: $0.errors)
            })
        return views.response(page, template: "admin_import", status: error.map { ErrorMiddleware.status($0.code) } ?? .ok)
    }

    private func invitationLink(_ invitation: Invitation, _ request: Request) -> String {
        publicURL.base(for: request) + "/signup?invitation=" + invitation.code
    }

    func importMembers(_ context: PollenRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        do {
            guard let file = context.form?.file("file"), !file.data.isEmpty else {
                throw DomainError.invalid("Choose a CSV file to import.", field: "file")
            }
            guard let text = String(validating: file.data, as: UTF8.self) else {
                throw DomainError.invalid("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.", field: "file")
            }
            let report = try await pollen.importMembers(csv: text, by: actor)
            return try importPage(context, report: report)
        } catch let error as DomainError where error.code == .invalidInput {
            return try importPage(context, error: error)
        }
    }
}
