import Foundation
import Hummingbird
import NIOCore
import PollenCore

/// Pollen's own JSON API under `/api/pollen/v1`, described by `openapi.json` beside it.
struct PollenEndpoints {
    let pollen: Pollen
    let publicURL: PublicURL
    let openAPIDocument: ByteBuffer
    static let prefix = "/api/pollen/v1"

    func addRoutes(to router: Router<PollenRequestContext>) {
        let api = router.group(RouterPath(Self.prefix))
        api.get("openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: openAPIDocument))
        }
        api.get("me") { request, context in
            let member = try APIAuth.member(context, scope: "read:accounts", alternatives: ["profile"])
            return JSONResponse.make(PollenProfile(member, base: publicURL.base(for: request), viewer: member))
        }
        api.patch("me") { request, context in try await updateMe(request, context) }
        api.get("profiles/{handle}") { request, context in
            let actor = try APIAuth.reader(context, scope: "read:accounts")
            let member = try await pollen.profile(handle: context.parameters.get("handle") ?? "", viewer: actor)
            return JSONResponse.make(PollenProfile(member, base: publicURL.base(for: request), viewer: actor.member))
        }
        api.get("members") { request, context in try await directory(request, context) }
        api.get("admin/members") { request, context in try await adminMembers(request, context) }
        api.post("admin/members") { request, context in try await addMember(request, context) }
        api.post("admin/members/{id}/role") { request, context in
            try await adminAction(request, context) { id, actor, form in
                guard let role = form["role"].flatMap(Member.Role.init(rawValue:)) else {
                    throw DomainError.invalid("role must be member, moderator or admin.", field: "role")
                }
                return try await pollen.changeRole(of: id, to: role, by: actor)
            }
        }
        api.post("admin/members/{id}/suspend") { request, context in
            try await adminAction(request, context) { id, actor, _ in try await pollen.setSuspended(true, memberID: id, by: actor) }
        }
        api.post("admin/members/{id}/unsuspend") { request, context in
            try await adminAction(request, context) { id, actor, _ in try await pollen.setSuspended(false, memberID: id, by: actor) }
        }
        api.post("admin/members/import") { request, context in try await importMembers(request, context) }
        api.get("admin/settings") { _, context in
            let actor = Actor.member(try APIAuth.member(context, scope: "admin:read"))
            try AccessPolicy.require(AccessPolicy.mayAdminister(actor))
            return JSONResponse.make(PollenSettings(try await pollen.settings()))
        }
        api.put("admin/settings") { request, context in try await updateSettings(request, context) }
    }

    func updateMe(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let member = try APIAuth.member(context, scope: "write:accounts")
        var request = request
        let form = try await request.formData(limit: 1024 * 1024)
        let profile = form.profile(over: member.profile)
        let updated = try await pollen.updateProfile(of: member.id, handle: form["handle"], profile: profile, by: .member(member))
        return JSONResponse.make(PollenProfile(updated, base: publicURL.base(for: request), viewer: updated))
    }

    func directory(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let viewer = try APIAuth.member(context, scope: "read:accounts")
        let query = Self.directoryQuery(request)
        let page = try await pollen.searchDirectory(query, viewer: viewer)
        let base = publicURL.base(for: request)
        return JSONResponse.make(
            MemberPage(
                members: page.items.map { PollenProfile($0, base: base, viewer: viewer) }, total: page.total,
                limit: query.limit, offset: query.offset))
    }

    func adminMembers(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let actor = Actor.member(try APIAuth.member(context, scope: "admin:read"))
        let query = Self.directoryQuery(request)
        let page = try await pollen.listMembers(query, by: actor)
        let base = publicURL.base(for: request)
        return JSONResponse.make(
            MemberPage(
                members: page.items.map { PollenProfile($0, base: base, viewer: actor.member) }, total: page.total,
                limit: query.limit, offset: query.offset))
    }

    func addMember(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let actor = Actor.member(try APIAuth.member(context, scope: "admin:write"))
        try AccessPolicy.require(AccessPolicy.mayAdminister(actor))
        var request = request
        let form = try await request.formData(limit: 1024 * 1024)
        guard let role = Member.Role(rawValue: form["role"] ?? "member") else {
            throw DomainError.invalid("role must be member, moderator or admin.", field: "role")
        }
        let profile = form.profile(over: Profile(displayName: ""))
        let member = try await pollen.addMember(
            AddMemberCommand(
                handle: form["handle"] ?? "", email: form["email"] ?? "", displayName: profile.displayName,
                password: form["password"], role: role, profile: profile),
            by: actor)
        return JSONResponse.make(
            PollenProfile(member, base: publicURL.base(for: request), viewer: actor.member), status: .created)
    }

    private func adminAction(
        _ request: Request, _ context: PollenRequestContext, _ action: (Member.ID, Actor, FormData) async throws -> Member
    ) async throws -> Response {
        let actor = Actor.member(try APIAuth.member(context, scope: "admin:write"))
        // Refuse non-administrators before reading anything, so answers reveal nothing about other members.
        try AccessPolicy.require(AccessPolicy.mayAdminister(actor))
        let id = try context.memberIDParameter()
        var request = request
        let form = try await request.formData(limit: 64 * 1024)
        let member = try await action(id, actor, form)
        return JSONResponse.make(PollenProfile(member, base: publicURL.base(for: request), viewer: actor.member))
    }

    func importMembers(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let actor = Actor.member(try APIAuth.member(context, scope: "admin:write"))
        try AccessPolicy.require(AccessPolicy.mayAdminister(actor))
        var request = request
        let text: String
        if request.headers[.contentType]?.lowercased().hasPrefix("multipart/form-data") == true {
            let form = try await request.formData(limit: context.maxUploadSize)
            guard let file = form.file("file") else { throw DomainError.invalid("Send the CSV as the field “file”.", field: "file") }
            text = String(decoding: file.data, as: UTF8.self)
        } else {
            let body = try await request.collectBody(refusingOver: context.maxUploadSize)
            text = String(buffer: body)
        }
        let report = try await pollen.importMembers(csv: text, by: actor)
        return JSONResponse.make(ImportReportBody(report))
    }

    func updateSettings(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let actor = Actor.member(try APIAuth.member(context, scope: "admin:write"))
        try AccessPolicy.require(AccessPolicy.mayAdminister(actor))
        var request = request
        let form = try await request.formData(limit: 64 * 1024)
        var settings = try await pollen.settings()
        if let value = form["name"] { settings.name = value }
        if let value = form["description"] { settings.description = value }
        if let value = form["contact_email"] { settings.contactEmail = value }
        if let value = form["signup_policy"] {
            guard let policy = SignupPolicy(rawValue: value) else {
                throw DomainError.invalid("signup_policy must be open, invitation or domains.", field: "signup_policy")
            }
            settings.signupPolicy = policy
        }
        if form.has("allowed_domains") { settings.allowedDomains = form.all("allowed_domains").flatMap(ProfileRules.splitTagList) }
        return JSONResponse.make(PollenSettings(try await pollen.updateSettings(settings, by: actor)))
    }

    static func directoryQuery(_ request: Request) -> DirectoryQuery {
        let params = request.query
        func value(_ name: String) -> String? { params[name]?.nilIfEmpty }
        return DirectoryQuery(
            text: value("q") ?? "", subject: value("subject"), expertise: value("expertise"),
            department: value("department"), location: value("location"),
            limit: min(max(Int(value("limit") ?? "") ?? 40, 1), 200), offset: max(Int(value("offset") ?? "") ?? 0, 0))
    }
}

/// A member's profile with the Pollen fields. The e-mail address is shown only to the member and admins.
struct PollenProfile: Encodable {
    let id: String
    let handle: String
    let display_name: String
    let bio: String
    let department: String
    let location: String
    let job_role: String
    let subjects: [String]
    let expertise: [String]
    let role: String
    let suspended: Bool
    let created_at: String
    let url: String
    let email: String?

    init(_ member: Member, base: String, viewer: Member?) {
        id = member.id.description
        handle = member.handle
        display_name = member.profile.displayName
        bio = member.profile.bio
        department = member.profile.department
        location = member.profile.location
        job_role = member.profile.jobRole
        subjects = member.profile.subjects
        expertise = member.profile.expertise
        role = member.role.rawValue
        suspended = member.isSuspended
        created_at = member.createdAt.mastodonTimestamp
        url = "\(base)/@\(member.handle)"
        email = viewer.flatMap { $0.id == member.id || $0.isAdmin ? member.email : nil }
    }
}

struct MemberPage: Encodable {
    let members: [PollenProfile]
    let total: Int
    let limit: Int
    let offset: Int
}

struct PollenSettings: Encodable {
    let name: String
    let description: String
    let signup_policy: String
    let allowed_domains: [String]
    let contact_email: String

    init(_ settings: ServerSettings) {
        name = settings.name
        description = settings.description
        signup_policy = settings.signupPolicy.rawValue
        allowed_domains = settings.allowedDomains
        contact_email = settings.contactEmail
    }
}

struct ImportReportBody: Encodable {
    struct RowError: Encodable {
        let line: Int
        let message: String
    }
    let created: Int
    let updated: Int
    let unchanged: Int
    let errors: [RowError]

    init(_ report: MemberImportReport) {
        created = report.created
        updated = report.updated
        unchanged = report.unchanged
        errors = report.errors.map { RowError(line: $0.line, message: $0.message) }
    }
}
