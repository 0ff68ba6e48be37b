import Foundation
import Hummingbird
import PollenCore

/// Posts on the pages: the home timeline with its compose box, the organization's timeline, threads,
/// editing, and the buttons under every post.
struct PostPages {
    let pollen: Pollen
    let views: ViewRenderer
    static let pageSize = 20

    func addRoutes(to router: Router<PollenRequestContext>) {
        router.get("/") { request, context in try await home(request, context) }
        router.get("/local") { request, context in
            try await timelinePage(
                request, context, source: .organization, heading: "Organization",
                intro: "Everything posted for the whole organization, newest first.",
                emptyText: "Nobody has posted for the whole organization yet.")
        }
        router.get("/bookmarks") { request, context in try await bookmarksPage(request, context) }
        router.post("/posts") { request, context in try await publish(request, context) }
        router.get("/posts/{id}") { _, context in try await thread(context) }
        router.get("/posts/{id}/edit") { _, context in try await editForm(context) }
        router.get("/posts/{id}/delete") { _, context in
            let viewer = try context.requireViewer()
            let view = try await pollen.post(try context.postIDParameter(), viewer: .member(viewer))
            guard !view.post.isDeleted else { throw DomainError.notFound("Post") }
            try AccessPolicy.require(AccessPolicy.mayDelete(view.post, by: viewer))
            let page = DeletePostPage(
                layout: Layout(title: "Delete post", context: context),
                post: PostCard.make(view, viewer: viewer, next: "/posts/\(view.post.id)", html: self.views.postHTML))
            return views.response(page, template: "post_delete")
        }
        router.post("/posts/{id}/edit") { _, context in try await saveEdit(context) }
        let actions: [(String, String, @Sendable (Pollen, Post.ID, Actor) async throws -> Void)] = [
            ("favourite", "Added to your favourites.", { _ = try await $0.setFavourite(true, $1, by: $2) }),
            ("unfavourite", "Removed from your favourites.", { _ = try await $0.setFavourite(false, $1, by: $2) }),
            ("bookmark", "Bookmarked. Only you can see your bookmarks.", { _ = try await $0.setBookmark(true, $1, by: $2) }),
            ("unbookmark", "Bookmark removed.", { _ = try await $0.setBookmark(false, $1, by: $2) }),
            ("reshare", "Reshared to your followers.", { _ = try await $0.resharePost($1, by: $2) }),
            ("unreshare", "Reshare withdrawn.", { _ = try await $0.unresharePost($1, by: $2) }),
            ("delete", "Post deleted.", { try await $0.deletePost($1, by: $2) }),
        ]
        for (name, done, action) in actions {
            router.post("/posts/{id}/\(name)") { _, context in
                let actor = try context.requireActor()
                let id = try context.postIDParameter()
                let next = AccountPages.safeNext(context.form?["next"], fallback: name == "delete" ? "/" : "/posts/\(id)")
                do {
                    try await action(pollen, id, actor)
                } catch let error as DomainError where error.code == .conflict {
                    return Response.redirect(to: next, flash: error.message)
                }
                return Response.redirect(to: next, flash: done)
            }
        }
    }

    func home(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        if try await pollen.needsSetup() { return .redirect(to: "/setup") }
        guard context.viewer != nil else {
            let settings = try await pollen.settings()
            let page = HomePage(
                layout: Layout(title: settings.name, context: context), serverName: settings.name,
                serverDescription: settings.description)
            return views.response(page, template: "home")
        }
        let name = context.viewer?.profile.displayName ?? ""
        return try await timelinePage(
            request, context, source: nil, heading: "Home",
            intro: "Welcome, \(name). Here is what the people and hashtags you follow share, newest first.", emptyText: "Your home timeline is empty. Follow people and hashtags from the member directory, or write the first post.")
    }

    /// A timeline page; `source` nil means the viewer's home timeline, which carries the compose box.
    func timelinePage(
        _ request: Request, _ context: PollenRequestContext, source: TimelineSource?, heading: String, intro: String?,
        emptyText: String, compose: ComposeForm? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let viewer = try context.requireViewer()
        let before = request.query["before"].flatMap { Int64($0) }
        let views = try await pollen.timeline(
            source ?? .home(viewer.id), viewer: .member(viewer), range: CursorRange(before: before, limit: Self.pageSize))
        // The home timeline is also shown after a refused post (at /posts); its links always lead home.
        let shownElsewhere = source == nil && request.uri.path != "/"
        let path = shownElsewhere ? "/" : request.uri.path
        let here = shownElsewhere ? "/" : request.uri.description
        var guide: String?
        if source == nil {
            switch try await pollen.onboarding(for: .member(viewer)) {
            case let progress? where !progress.isOver:
                guide = "You are on step \(progress.step) of 6 of the getting-started guide."
            case nil where (try await pollen.networkCounts(for: [viewer], viewer: .member(viewer))[viewer.id]?.following ?? 0) == 0:
                guide = "Build your network in a few minutes: choose subjects, follow their thought leaders and who they follow."
            default: break
            }
        }
        let cards = views.map { PostCard.make($0, viewer: viewer, next: here, html: self.views.postHTML) }
        var entries = cards.map { TimelineEntry(post: $0) }
        var olderURL = views.count == Self.pageSize ? "\(path)?before=\(views.last?.cursor ?? 0)" : nil
        if source == nil {
            // New content of the viewer's communities goes between the posts, by time. This page's posts span
            // (its oldest post, `until`]; the items of that span are shown here, and the next page starts
            // where this one ends, so none is shown twice or skipped.
            let now = pollen.time.now()
            let until = request.query["until"].flatMap { Int64($0) }.map { Date(timeIntervalSince1970: Double($0) / 1000) } ?? now
            let full = views.count == Self.pageSize
            let items = try await pollen.homeItems(
                after: full ? views.last?.post.createdAt : nil, before: until, limit: Self.pageSize, viewer: .member(viewer))
            if !items.isEmpty {
                var merged: [(Date, TimelineEntry)] = zip(views, cards).map { ($0.post.createdAt, TimelineEntry(post: $1)) }
                merged += items.map { ($0.item.publishedAt ?? $0.item.createdAt, TimelineEntry(item: ItemCard($0, now: now))) }
                entries = merged.sorted { $0.0 > $1.0 }.map(\.1)
                if full || items.count == Self.pageSize {
                    let end = full ? views.last?.post.createdAt : items.last?.item.publishedAt
                    let cursor = views.last?.cursor ?? before
                    olderURL = "\(path)?\(cursor.map { "before=\($0)&" } ?? "")until=\(Int64(((end ?? now).timeIntervalSince1970 * 1000).rounded()))"
                }
            } else if let until = request.query["until"], let url = olderURL {
                olderURL = url + "&until=\(until)"
            }
        }
        var page = TimelinePage(
            layout: Layout(title: heading, context: context), heading: heading, intro: intro,
            profilePrompt: source == nil && guide == nil && (viewer.profile.subjects.isEmpty || viewer.profile.department.isEmpty),
            compose: source == nil ? (compose ?? ComposeForm()) : nil,
            posts: cards, hasPosts: !entries.isEmpty,
            emptyText: emptyText, olderURL: olderURL, entries: entries)
        page.guidePrompt = guide
        return self.views.response(page, template: "timeline", status: status)
    }

    func bookmarksPage(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let viewer = try context.requireViewer()
        let before = request.query["before"].flatMap { Int64($0) }
        let views = try await pollen.bookmarks(by: .member(viewer), range: CursorRange(before: before, limit: Self.pageSize))
        let cards = views.map { PostCard.make($0, viewer: viewer, next: request.uri.description, html: self.views.postHTML) }
        let page = TimelinePage(
            layout: Layout(title: "Bookmarks", context: context), heading: "Bookmarks",
            intro: "Posts you bookmarked. Nobody else sees this list, the authors included.", profilePrompt: false,
            compose: nil, posts: cards, hasPosts: !views.isEmpty,
            emptyText: "No bookmarks yet: use “Bookmark” under a post to keep it here.",
            olderURL: views.count == Self.pageSize ? "/bookmarks?before=\(views.last?.cursor ?? 0)" : nil,
            entries: cards.map { TimelineEntry(post: $0) })
        return self.views.response(page, template: "timeline")
    }

    func publish(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let form = context.form ?? FormData()
        let visibility = Post.Visibility(rawValue: form["visibility"] ?? "organization") ?? .organization
        let replyTo = form["in_reply_to_id"].flatMap(Post.ID.init(string:))
        do {
            let post = try await pollen.publishPost(
                PostDraft(body: form["status"] ?? "", visibility: visibility, replyToID: replyTo), by: actor)
            return Response.redirect(
                to: replyTo.map { "/posts/\($0)#post-\(post.id)" } ?? "/",
                flash: post.withholding != nil ? "Thank you — it is held for review and will appear once a moderator approves it." : replyTo == nil ? "Posted." : "Reply posted.")
        } catch let error as DomainError where error.code == .invalidInput {
            let text = form["status"] ?? ""
            let compose = replyTo.map {
                ComposeForm.reply(to: $0, text: text, error: error.message, visibility: visibility)
            } ?? ComposeForm(text: text, error: error.message, visibility: visibility)
            if let replyTo { return try await thread(context, id: replyTo, reply: compose, status: .unprocessableContent) }
            // The home page again, with the refused text and the reason above it.
            return try await timelinePage(
                request, context, source: nil, heading: "Home", intro: nil, emptyText: "", compose: compose,
                status: .unprocessableContent)
        }
    }

    func thread(
        _ context: PollenRequestContext, id: Post.ID? = nil, reply: ComposeForm? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let viewer = try context.requireViewer()
        let id = try id ?? context.postIDParameter()
        let view = try await pollen.post(id, viewer: .member(viewer))
        // Opening a post counts as reading its author, for the unfollow review.
        try await pollen.recordOpened(view, by: .member(viewer))
        let (ancestors, descendants) = try await pollen.context(of: id, viewer: .member(viewer))
        let here = "/posts/\(id)"
        let card = PostCard.make(view, viewer: viewer, next: here, highlighted: true, html: self.views.postHTML)
        let ref = ContentRef(.post, id.rawValue)
        let value = try await pollen.valueContext(for: [ref], viewer: .member(viewer))[ref]
        var page = ThreadPage(
            layout: Layout(title: "Post by \(card.author.name)", context: context),
            ancestors: ancestors.map { PostCard.make($0, viewer: viewer, next: here, html: self.views.postHTML) }, post: card,
            descendants: descendants.map { PostCard.make($0, viewer: viewer, next: here, html: self.views.postHTML) },
            repliesHeading: descendants.isEmpty
                ? "No replies yet" : descendants.count == 1 ? "1 reply" : "\(descendants.count) replies",
            // A refused reply is shown with its reason and text, even under a post deleted meanwhile.
            reply: reply ?? (view.post.isDeleted || view.post.isReshare
                ? nil
                : ComposeForm.reply(
                    to: id, text: view.author.id == viewer.id ? "" : "@\(view.author.handle) ",
                    visibility: view.post.visibility)))
        if !view.post.isDeleted && !view.post.isReshare {
            page.value = ValueBlock(
                target: ref, next: here, mayMark: AccessPolicy.mayMarkUseful(authoredBy: view.author.id, by: viewer), context: value)
        }
        return views.response(page, template: "thread", status: status)
    }

    func editForm(_ context: PollenRequestContext, text: String? = nil, error: DomainError? = nil) async throws -> Response {
        let viewer = try context.requireViewer()
        let id = try context.postIDParameter()
        let (post, revisions) = try await pollen.revisions(of: id, viewer: .member(viewer))
        guard post.authorID == viewer.id else { throw DomainError(.forbidden, "Only the author can edit a post.") }
        let page = EditPostPage(
            layout: Layout(title: "Edit post", context: context), postURL: "/posts/\(id)",
            compose: ComposeForm(
                action: "/posts/\(id)/edit", label: "Post text", button: "Save", text: text ?? post.body,
                error: error?.message, visibility: post.visibility, choosesVisibility: false, formName: "Edit the post"),
            revisions: revisions.reversed().map {
                .init(html: PostRenderer.html($0.body, mentions: []), replacedAt: $0.replacedAt.formatted(date: .abbreviated, time: .shortened))
            }, hasRevisions: !revisions.isEmpty)
        return views.response(page, template: "post_edit", status: error.map { ErrorMiddleware.status($0.code) } ?? .ok)
    }

    func saveEdit(_ context: PollenRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let id = try context.postIDParameter()
        let text = context.form?["status"] ?? ""
        do {
            try await pollen.editPost(id, body: text, by: actor)
            return Response.redirect(to: "/posts/\(id)", flash: "Post saved.")
        } catch let error as DomainError where error.code == .invalidInput {
            return try await editForm(context, text: text, error: error)
        }
    }
}

extension PollenRequestContext {
    func postIDParameter() throws -> Post.ID {
        guard let raw = parameters.get("id"), let id = Post.ID(string: raw) else { throw DomainError.notFound("Post") }
        return id
    }
}
