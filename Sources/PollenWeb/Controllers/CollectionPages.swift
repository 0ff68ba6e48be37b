import Foundation
import Hummingbird
import PollenCore

/// Collections (curated follow packs): browse, make, edit, and follow all or part of one.
struct CollectionPages {
    let pollen: Pollen
    let views: ViewRenderer

    func addRoutes(to router: Router<PollenRequestContext>) {
        router.get("/collections") { request, context in try await list(request, context) }
        router.get("/collections/new") { _, context in
            _ = try context.requireViewer()
            return form(context, heading: "New collection", action: "/collections", draft: CollectionDraft(title: ""))
        }
        router.post("/collections") { _, context in
            let actor = try context.requireActor()
            let draft = Self.draft(context.form)
            do {
                let made = try await pollen.createCollection(draft, by: actor)
                return Response.redirect(to: "/collections/\(made.id)", flash: "Collection published.")
            } catch let error as DomainError where error.code == .invalidInput {
                return form(context, heading: "New collection", action: "/collections", draft: draft, error: error)
            }
        }
        router.get("/collections/{id}") { _, context in try await show(context) }
        router.get("/collections/{id}/edit") { _, context in
            let id = try Self.id(context)
            let view = try await pollen.collection(id, viewer: try context.requireActor())
            try AccessPolicy.require(view.mayEdit)
            let draft = CollectionDraft(
                title: view.collection.title, description: view.collection.description, handles: view.members.map(\.handle),
                tags: view.collection.tags)
            return form(context, heading: "Edit collection", action: "/collections/\(id)/edit", draft: draft)
        }
        router.post("/collections/{id}/edit") { _, context in
            let id = try Self.id(context)
            let draft = Self.draft(context.form)
            do {
                _ = try await pollen.updateCollection(id, draft, by: try context.requireActor())
                return Response.redirect(to: "/collections/\(id)", flash: "Collection saved.")
            } catch let error as DomainError where error.code == .invalidInput {
                return form(context, heading: "Edit collection", action: "/collections/\(id)/edit", draft: draft, error: error)
            }
        }
        router.post("/collections/{id}/delete") { _, context in
            try await pollen.deleteCollection(try Self.id(context), by: try context.requireActor())
            return Response.redirect(to: "/collections?mine=1", flash: "Collection deleted.")
        }
        router.post("/collections/{id}/follow") { _, context in
            let id = try Self.id(context)
            let form = context.form ?? FormData()
            // "Follow everything" sends no ticks; "Follow selected" sends the ticked people and hashtags.
            let everything = form["everything"] != nil
            let people = everything ? nil : form.all("ids").compactMap(Member.ID.init(string:))
            let tags = everything ? nil : form.all("tags")
            do {
                if !everything, people?.isEmpty == true, tags?.isEmpty == true {
                    throw DomainError.invalid("Tick the people or hashtags to follow, or follow everything.")
                }
                let done = try await pollen.followCollection(id, members: people, tags: tags, by: try context.requireActor())
                var parts: [String] = []
                if done.people > 0 { parts.append(done.people == 1 ? "1 person" : "\(done.people) people") }
                if done.tags > 0 { parts.append(done.tags == 1 ? "1 hashtag" : "\(done.tags) hashtags") }
                return Response.redirect(to: "/collections/\(id)", flash: "You now follow \(parts.joined(separator: " and ")).")
            } catch let error as DomainError where error.code == .invalidInput || error.code == .conflict {
                return Response.redirect(to: "/collections/\(id)", flash: error.message)
            }
        }
    }

    static func id(_ context: PollenRequestContext) throws -> FollowCollection.ID {
        guard let raw = context.parameters.get("id"), let id = FollowCollection.ID(string: raw) else {
            throw DomainError.notFound("Collection")
        }
        return id
    }

    /// Handles and hashtags are typed one per line or separated by commas or spaces.
    static func draft(_ form: FormData?) -> CollectionDraft {
        func items(_ key: String) -> [String] {
            (form?[key] ?? "").split(whereSeparator: { $0 == "," || $0.isWhitespace }).map(String.init)
        }
        return CollectionDraft(
            title: form?["title"] ?? "", description: form?["description"] ?? "", handles: items("handles"), tags: items("tags"))
    }

    func list(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let viewer = try context.requireViewer()
        let mine = request.query["mine"] != nil
        let pageNumber = request.query.pageNumber
        let found = try await pollen.collections(owner: mine ? viewer.id : nil, page: pageNumber, viewer: .member(viewer))
        let rows = found.map { item in
            let people = item.collection.members.count, tags = item.collection.tags.count
            return CollectionsPage.Row(
                id: item.collection.id.description, title: item.collection.title, description: item.collection.description,
                ownerName: item.owner.profile.displayName, ownerHandle: item.owner.handle,
                size: "\(people) \(people == 1 ? "person" : "people"), \(tags) \(tags == 1 ? "hashtag" : "hashtags")")
        }
        let page = CollectionsPage(
            layout: Layout(title: "Collections", context: context), rows: rows, hasRows: !rows.isEmpty, mine: mine,
            nextURL: found.count == 25 ? "/collections?\(mine ? "mine=1&" : "")page=\(pageNumber + 1)" : nil)
        return views.response(page, template: "collections")
    }

    func show(_ context: PollenRequestContext) async throws -> Response {
        let viewer = try context.requireViewer()
        let view = try await pollen.collection(try Self.id(context), viewer: .member(viewer))
        let people = view.members.map { member in
            PickPerson(
                member, following: view.following.contains(member.id),
                selectable: member.id != viewer.id && !view.following.contains(member.id))
        }
        let tags = view.collection.tags.map { CollectionPage.TagChoice(tag: $0, following: view.followedTags.contains($0)) }
        let page = CollectionPage(
            layout: Layout(title: view.collection.title, context: context), id: view.collection.id.description,
            title: view.collection.title, description: view.collection.description,
            ownerName: view.owner.profile.displayName, ownerHandle: view.owner.handle, people: people, hasPeople: !people.isEmpty,
            tags: tags, hasTags: !tags.isEmpty, mayEdit: view.mayEdit,
            everythingFollowed: !people.contains(where: \.selectable) && !tags.contains { !$0.following })
        return views.response(page, template: "collection")
    }

    func form(
        _ context: PollenRequestContext, heading: String, action: String, draft: CollectionDraft, error: DomainError? = nil
    ) -> Response {
        let page = CollectionFormPage(
            layout: Layout(title: heading, context: context), heading: heading, action: action, title: draft.title,
            description: draft.description, handles: draft.handles.joined(separator: "\n"), tags: draft.tags.joined(separator: " "),
            formError: error?.message, errorField: error?.field)
        return views.response(page, template: "collection_form", status: error.map { ErrorMiddleware.status($0.code) } ?? .ok)
    }
}
