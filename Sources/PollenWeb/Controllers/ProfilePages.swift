import Foundation
import Hummingbird
import PollenCore

/// Profile pages, the profile editor and the member directory.
struct ProfilePages {
    let pollen: Pollen
    let views: ViewRenderer
    /// Members per directory page.
    static let pageSize = 25

    func addRoutes(to router: Router<PollenRequestContext>) {
        router.get("/@{handle}") { request, context in try await profile(request, context) }
        router.get("/settings/profile") { _, context in try editForm(context, member: try context.requireViewer()) }
        router.post("/settings/profile") { _, context in try await save(context, memberID: try context.requireViewer().id) }
        router.get("/admin/members/{id}/profile") { _, context in
            // Signed out, the sign-in page comes first: nothing is looked up for nobody.
            _ = try context.requireViewer()
            return try editForm(context, member: try await pollen.member(id: try context.memberIDParameter(), viewer: context.actor))
        }
        router.post("/admin/members/{id}/profile") { _, context in
            try await save(context, memberID: try context.memberIDParameter())
        }
        router.get("/members") { request, context in try await directory(request, context) }
    }

    func profile(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let viewer = try context.requireViewer()
        let member = try await pollen.profile(handle: context.parameters.get("handle") ?? "", viewer: .member(viewer))
        let counts = try await pollen.networkCounts(for: [member], viewer: .member(viewer))[member.id] ?? NetworkCounts()
        let relationship = member.id == viewer.id
            ? nil : try await pollen.relationships(with: [member.id], by: .member(viewer)).first
        let before = request.query["before"].flatMap { Int64($0) }
        let posts = try await pollen.timeline(
            .author(member.id), viewer: .member(viewer), range: CursorRange(before: before, limit: PostPages.pageSize))
        let here = "/@\(member.handle)"
        var page = ProfilePage(
            layout: Layout(title: member.profile.displayName, context: context), member: member, viewer: viewer,
            counts: counts, relationship: relationship,
            posts: posts.map { PostCard.make($0, viewer: viewer, next: here, html: self.views.postHTML) },
            olderURL: posts.count == PostPages.pageSize ? "\(here)?before=\(posts.last?.cursor ?? 0)" : nil)
        // A person link's handle is the community's address here.
        page.communities = try await pollen.communities(of: member.id, viewer: .member(viewer)).map {
            PersonLink(
                name: $0.community.name, handle: $0.community.slug,
                note: $0.membership.role == .member ? nil : CommunityCard.standingLabel($0.membership))
        }
        page.hasCommunities = !page.communities.isEmpty
        return views.response(page, template: "profile")
    }

    func editForm(
        _ context: PollenRequestContext, member: Member, form: FormData? = nil, error: DomainError? = nil
    ) throws -> Response {
        let viewer = try context.requireViewer()
        try AccessPolicy.require(AccessPolicy.mayEditProfile(of: member, by: .member(viewer)))
        let isSelf = member.id == viewer.id
        var page = FormPage(
            layout: Layout(title: isSelf ? "Edit profile" : "Edit @\(member.handle)", context: context),
            fields: Forms.profile, form: form, error: error, fallbacks: Forms.profileValues(member))
        page.action = isSelf ? "/settings/profile" : "/admin/members/\(member.id)/profile"
        return views.response(page, template: "profile_edit", status: error.map { ErrorMiddleware.status($0.code) } ?? .ok)
    }

    func save(_ context: PollenRequestContext, memberID: Member.ID) async throws -> Response {
        let actor = try context.requireActor()
        let form = context.form ?? FormData()
        let profile = form.profile(over: Profile(displayName: ""))
        do {
            let updated = try await pollen.updateProfile(of: memberID, handle: form["handle"], profile: profile, by: actor)
            let isSelf = updated.id == context.viewer?.id
            return .redirect(
                to: isSelf ? "/settings/profile" : "/admin/members/\(updated.id)/profile", flash: "Profile saved.")
        } catch let error as DomainError where error.code == .invalidInput || error.code == .conflict {
            let member = try await pollen.member(id: memberID, viewer: context.actor)
            return try editForm(context, member: member, form: form, error: error)
        }
    }

    func directory(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let viewer = try context.requireViewer()
        let params = request.query
        func param(_ name: String) -> String { params[name] ?? "" }
        let pageNumber = params.pageNumber
        let query = DirectoryQuery(
            text: param("q"), subject: param("subject").nilIfEmpty, expertise: param("expertise").nilIfEmpty,
            department: param("department").nilIfEmpty, location: param("location").nilIfEmpty,
            limit: Self.pageSize, offset: (pageNumber - 1) * Self.pageSize)
        async let found = pollen.searchDirectory(query, viewer: viewer)
        async let facets = pollen.directoryFacets()
        let (result, choices) = try await (found, facets)

        let results = try await PersonCard.cards(result.items, viewer: viewer, pollen: pollen, next: request.uri.description)
        let base = ["q", "subject", "expertise", "department", "location"].compactMap { key -> String? in
            let value = param(key)
            return value.isEmpty ? nil : "\(key)=\(value.queryEscaped)"
        }
        func pageURL(_ number: Int) -> String {
            "/members?" + (base + ["page=\(number)"]).joined(separator: "&")
        }
        let shownTo = query.offset + result.items.count
        let page = DirectoryPage(
            layout: Layout(title: "Members", context: context),
            query: .init(
                text: param("q"), subject: param("subject"), expertise: param("expertise"),
                department: param("department"), location: param("location")),
            results: results, hasResults: !results.isEmpty,
            resultText: result.total == 0
                ? "No members match. Try fewer words or clear a filter."
                : result.total == 1 ? "1 member" : "\(query.offset + 1)–\(shownTo) of \(result.total) members",
            departments: choices.departments, locations: choices.locations,
            previousURL: pageNumber > 1 ? pageURL(pageNumber - 1) : nil,
            nextURL: shownTo < result.total ? pageURL(pageNumber + 1) : nil)
        return views.response(page, template: "directory")
    }
}

extension PollenRequestContext {
    func memberIDParameter(_ name: String = "id") throws -> Member.ID {
        guard let raw = parameters.get(name), let id = Member.ID(string: raw) else { throw DomainError.notFound("Member") }
        return id
    }
}
