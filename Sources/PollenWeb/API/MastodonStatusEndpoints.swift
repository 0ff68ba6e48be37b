import Foundation
import Hummingbird
import PollenCore

/// Posts in the Mastodon client API: statuses, their threads, edits, reblogs, favourites and bookmarks, and
/// the timelines. Everyone is inside the organization, so "public" means the organization and every list
/// needs a member's token. A deleted post is not found, except that a thread simply leaves it out.
struct MastodonStatusEndpoints {
    let pollen: Pollen
    let publicURL: PublicURL
    let postHTML: RenderCache
    /// Kept first pages of home timelines; without it (statuses built for other endpoints) none are kept.
    var homeTimelines: HomeTimelineCache? = nil
    static let defaultPageSize = 20
    /// Mastodon's largest page of statuses.
    static let maxPageSize = 40
    /// Enough for any post and its form fields; a post is at most ``PostText/maxLength`` characters.
    static let bodyLimit = 256 * 1024

    func addRoutes(to router: Router<PollenRequestContext>) {
        router.post("/api/v1/statuses") { request, context in try await publish(request, context) }
        router.get("/api/v1/statuses/{id}") { request, context in
            let member = try APIAuth.member(context, scope: "read:statuses")
            let view = try await pollen.post(try Self.statusID(context), viewer: .member(member))
            try await pollen.recordOpened(view, by: .member(member))
            return JSONResponse.make(try await status(view, request))
        }
        router.put("/api/v1/statuses/{id}") { request, context in try await edit(request, context) }
        router.delete("/api/v1/statuses/{id}") { request, context in
            let member = try APIAuth.member(context, scope: "write:statuses")
            let id = try Self.statusID(context)
            let view = try await pollen.post(id, viewer: .member(member))
            let deleted = try await status(view, request, withSource: true)
            try await pollen.deletePost(id, by: .member(member))
            return JSONResponse.make(deleted)
        }
        router.get("/api/v1/statuses/{id}/source") { _, context in
            let member = try APIAuth.member(context, scope: "read:statuses")
            let view = try await pollen.post(try Self.statusID(context), viewer: .member(member))
            guard !view.post.isDeleted else { throw DomainError.notFound("Post") }
            return JSONResponse.make(MastodonStatusSource(id: view.post.id.description, text: view.post.body))
        }
        router.get("/api/v1/statuses/{id}/history") { request, context in try await history(request, context) }
        router.get("/api/v1/statuses/{id}/context") { request, context in try await thread(request, context) }
        router.post("/api/v1/statuses/{id}/reblog") { request, context in try await reblog(request, context) }
        router.post("/api/v1/statuses/{id}/unreblog") { request, context in try await unreblog(request, context) }
        router.post("/api/v1/statuses/{id}/favourite") { request, context in
            try await mark(request, context, scope: "write:favourites") { id, actor in
                _ = try await pollen.setFavourite(true, id, by: actor)
            }
        }
        router.post("/api/v1/statuses/{id}/unfavourite") { request, context in
            try await mark(request, context, scope: "write:favourites") { id, actor in
                _ = try await pollen.setFavourite(false, id, by: actor)
            }
        }
        router.post("/api/v1/statuses/{id}/bookmark") { request, context in
            try await mark(request, context, scope: "write:bookmarks") { id, actor in
                _ = try await pollen.setBookmark(true, id, by: actor)
            }
        }
        router.post("/api/v1/statuses/{id}/unbookmark") { request, context in
            try await mark(request, context, scope: "write:bookmarks") { id, actor in
                _ = try await pollen.setBookmark(false, id, by: actor)
            }
        }

        router.get("/api/v1/timelines/home") { request, context in
            try await timeline(request, context, .home) { member in .home(member.id) }
        }
        router.get("/api/v1/timelines/public") { request, context in
            // Only this organization's posts exist, so `local` changes nothing and `remote` finds none.
            try await timeline(request, context, .shared, emptyIf: ["remote", "only_media"]) { _ in .organization }
        }
        router.get("/api/v1/timelines/tag/{hashtag}") { request, context in
            try await timeline(request, context, .shared, emptyIf: ["remote", "only_media"]) { _ in
                .hashtag(try Pollen.validTag(context.parameters.get("hashtag") ?? ""))
            }
        }
        router.get("/api/v1/accounts/{id}/statuses") { request, context in
            guard let id = context.parameters.get("id").flatMap(Member.ID.init(string:)) else {
                throw DomainError.notFound("Account")
            }
            // Nothing is pinned and there is no media.
            return try await timeline(request, context, .author, emptyIf: ["pinned", "only_media"]) { _ in .author(id) }
        }
        router.get("/api/v1/bookmarks") { request, context in
            let member = try APIAuth.member(context, scope: "read:bookmarks")
            let range = MastodonNetworkEndpoints.range(request, defaultLimit: Self.defaultPageSize, maxLimit: Self.maxPageSize)
            let views = try await pollen.bookmarks(by: .member(member), range: range)
            return try await list(views, request, range: range)
        }
        router.get("/api/v1/favourites") { request, context in
            let member = try APIAuth.member(context, scope: "read:favourites")
            let range = MastodonNetworkEndpoints.range(request, defaultLimit: Self.defaultPageSize, maxLimit: Self.maxPageSize)
            let views = try await pollen.favourites(by: .member(member), range: range)
            return try await list(views, request, range: range)
        }
    }

    // MARK: Writing

    func publish(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let member = try APIAuth.member(context, scope: "write:statuses")
        var request = request
        let form = try await request.formData(limit: Self.bodyLimit)
        // Refused rather than dropped: a post without its pictures, poll or content warning is not what was meant.
        if !form.all("media_ids").filter({ !$0.isEmpty }).isEmpty {
            throw DomainError.invalid("Media attachments are not supported.", field: "media_ids")
        }
        if form.values.keys.contains(where: { $0.hasPrefix("poll") }) {
            throw DomainError.invalid("Polls are not supported.", field: "poll")
        }
        if let spoiler = form["spoiler_text"], !spoiler.trimmingCharacters(in: .whitespaces).isEmpty {
            throw DomainError.invalid("Content warnings are not supported.", field: "spoiler_text")
        }
        if let scheduled = form["scheduled_at"], !scheduled.isEmpty {
            throw DomainError.invalid("Scheduled posts are not supported.", field: "scheduled_at")
        }
        var replyToID: Post.ID? = nil
        if let raw = form["in_reply_to_id"], !raw.isEmpty {
            guard let id = Post.ID(string: raw) else { throw DomainError.notFound("Post") }
            replyToID = id
        }
        let draft = PostDraft(
            body: form["status"] ?? "", visibility: try Self.visibility(form["visibility"]), replyToID: replyToID)
        let post = try await pollen.publishPost(draft, by: .member(member))
        return JSONResponse.make(try await status(try await pollen.post(post.id, viewer: .member(member)), request))
    }

    func edit(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let member = try APIAuth.member(context, scope: "write:statuses")
        let id = try Self.statusID(context)
        var request = request
        let form = try await request.formData(limit: Self.bodyLimit)
        if !form.all("media_ids").filter({ !$0.isEmpty }).isEmpty {
            throw DomainError.invalid("Media attachments are not supported.", field: "media_ids")
        }
        if let spoiler = form["spoiler_text"], !spoiler.trimmingCharacters(in: .whitespaces).isEmpty {
            throw DomainError.invalid("Content warnings are not supported.", field: "spoiler_text")
        }
        _ = try await pollen.editPost(id, body: form["status"] ?? "", by: .member(member))
        return JSONResponse.make(try await status(try await pollen.post(id, viewer: .member(member)), request))
    }

    /// Reblogging answers the reblog, wrapping the original; reblogging again answers the standing one.
    func reblog(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let member = try APIAuth.member(context, scope: "write:statuses")
        let id = try Self.statusID(context)
        let reshareID: Post.ID
        do {
            reshareID = try await pollen.resharePost(id, by: .member(member)).id
        } catch let error as DomainError where error.code == .conflict {
            let view = try await pollen.post(id, viewer: .member(member))
            let originalID = view.post.reshareOfID ?? view.post.id
            guard let standing = try await pollen.store.read({ try await $0.posts.reshare(of: originalID, by: member.id) })
            else { throw error }
            reshareID = standing.id
        }
        return JSONResponse.make(try await status(try await pollen.post(reshareID, viewer: .member(member)), request))
    }

    /// Answers the original status, reblogged or not.
    func unreblog(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let member = try APIAuth.member(context, scope: "write:statuses")
        let id = try Self.statusID(context)
        let target: Post.ID
        do {
            let original = try await pollen.unresharePost(id, by: .member(member))
            target = original.reshareOfID ?? original.id
        } catch let error as DomainError where error.code == .conflict {
            target = try Self.proper(try await pollen.post(id, viewer: .member(member)))
        }
        return JSONResponse.make(try await status(try await pollen.post(target, viewer: .member(member)), request))
    }

    /// Favourites and bookmarks: repeating one is no error. On a reblog they apply to the original, as in
    /// Mastodon.
    func mark(
        _ request: Request, _ context: PollenRequestContext, scope: String,
        _ change: (Post.ID, Actor) async throws -> Void
    ) async throws -> Response {
        let member = try APIAuth.member(context, scope: scope)
        let target = try Self.proper(try await pollen.post(try Self.statusID(context), viewer: .member(member)))
        try await change(target, .member(member))
        return JSONResponse.make(try await status(try await pollen.post(target, viewer: .member(member)), request))
    }

    // MARK: Reading

    func history(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let member = try APIAuth.member(context, scope: "read:statuses")
        let id = try Self.statusID(context)
        let view = try await pollen.post(id, viewer: .member(member))
        guard !view.post.isDeleted else { throw DomainError.notFound("Post") }
        let (post, revisions) = try await pollen.revisions(of: id, viewer: .member(member))
        let base = publicURL.base(for: request)
        let counts = try await pollen.networkCountsForAll([view.author])
        let account = MastodonAccount(view.author, base: base, counts: counts[post.authorID])
        // Each text was current from when it replaced the one before (the first from the post's creation).
        var edits: [MastodonStatusEdit] = []
        var since = post.createdAt
        for revision in revisions {
            edits.append(MastodonStatusEdit(
                content: postHTML.html(revision.body, mentions: view.mentions, base: base),
                created_at: since.mastodonTimestamp, account: account))
            since = revision.replacedAt
        }
        edits.append(MastodonStatusEdit(
            content: postHTML.html(post.body, mentions: view.mentions, base: base), created_at: since.mastodonTimestamp,
            account: account))
        return JSONResponse.make(edits)
    }

    func thread(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let member = try APIAuth.member(context, scope: "read:statuses")
        let id = try Self.statusID(context)
        let view = try await pollen.post(id, viewer: .member(member))
        guard !view.post.isDeleted else { throw DomainError.notFound("Post") }
        let (ancestors, descendants) = try await pollen.context(of: id, viewer: .member(member))
        let statuses = try await statuses(ancestors + descendants, request)
        return JSONResponse.make(
            MastodonContext(
                ancestors: statuses.filter { $0.post.id < id }.map(\.status),
                descendants: statuses.filter { $0.post.id > id }.map(\.status)))
    }

    /// Author timelines take Mastodon's extra filters (`exclude_replies`, `exclude_reblogs`, `tagged`).
    enum TimelineKind { case home, shared, author }

    func timeline(
        _ request: Request, _ context: PollenRequestContext, _ kind: TimelineKind, emptyIf flags: [String] = [],
        source: (Member) throws -> TimelineSource
    ) async throws -> Response {
        let member = try APIAuth.member(context, scope: "read:statuses")
        let range = MastodonNetworkEndpoints.range(request, defaultLimit: Self.defaultPageSize, maxLimit: Self.maxPageSize)
        let query = request.query
        let source = try source(member)
        if flags.contains(where: { query.bool($0) == true }) { return JSONResponse.make([MastodonStatus]()) }
        if kind == .home, let cache = homeTimelines, range.before == nil, range.after == nil, range.nearestAfter == nil,
            query.values.keys.allSatisfy({ $0 == "limit" })
        {
            return try await firstHomePage(request, viewer: member, range: range, cache: cache)
        }
        let views = try await pollen.timeline(source, viewer: .member(member), range: range)
        // Reshares of posts the viewer may not see, or by people they mute or block, are left out by the use case.
        var shown = views
        if kind == .author {
            if query.bool("exclude_replies") == true {
                // A reply to oneself continues a thread and stays, as in Mastodon.
                shown = shown.filter { $0.post.replyToID == nil || $0.post.replyToAuthorID == $0.post.authorID }
            }
            if query.bool("exclude_reblogs") == true { shown = shown.filter { !$0.post.isReshare } }
            if let tagged = query["tagged"], !tagged.isEmpty {
                let tag = try Pollen.validTag(tagged)
                shown = shown.filter { $0.post.hashtags.contains(tag) }
            }
        }
        // The pages follow the unfiltered cursors, so a filtered-out post never ends the paging early.
        return try await list(shown, request, range: range, cursors: views.map(\.cursor))
    }

    /// The first page of the home timeline — what clients poll — kept until a write changes something on it.
    func firstHomePage(
        _ request: Request, viewer: Member, range: CursorRange, cache: HomeTimelineCache
    ) async throws -> Response {
        let key = HomeTimelineCache.Key(member: viewer.id, limit: range.limit, base: publicURL.base(for: request))
        let kept = try await cache.page(key) {
            let sources = try await pollen.homeTimelineSources(viewer: .member(viewer))
            let views = try await pollen.timeline(.home(viewer.id), viewer: .member(viewer), range: range)
            var dependencies = HomeTimelineCache.Dependencies(sources: sources.members, tags: sources.tags)
            for view in views {
                dependencies.posts.insert(view.post.id)
                dependencies.accounts.insert(view.author.id)
                dependencies.accounts.formUnion(view.mentions.map(\.id))
                if let original = view.original {
                    dependencies.posts.insert(original.post.id)
                    dependencies.accounts.insert(original.author.id)
                    dependencies.accounts.formUnion(original.mentions.map(\.id))
                }
            }
            return (try await page(views, request, range: range), dependencies)
        }
        return Self.response(kept)
    }

    /// A page of statuses with its `Link` header.
    func list(
        _ views: [PostView], _ request: Request, range: CursorRange, cursors: [Int64]? = nil
    ) async throws -> Response {
        Self.response(try await page(views, request, range: range, cursors: cursors))
    }

    func page(
        _ views: [PostView], _ request: Request, range: CursorRange, cursors: [Int64]? = nil
    ) async throws -> EncodedPage {
        let statuses = try await statuses(views, request).map(\.status)
        let link = MastodonNetworkEndpoints.link(
            request, base: publicURL.base(for: request), cursors: cursors ?? views.map(\.cursor), limit: range.limit)
        return EncodedPage(body: JSONResponse.encode(statuses), link: link)
    }

    static func response(_ page: EncodedPage) -> Response {
        var headers = HTTPFields()
        if let link = page.link { headers[.init("Link")!] = link }
        return JSONResponse.make(encoded: page.body, headers: headers)
    }

    // MARK: Entities

    /// One status; a deleted post, or a reblog of one that is gone, is not found.
    func status(_ view: PostView, _ request: Request, withSource: Bool = false) async throws
        -> MastodonStatus
    {
        guard let status = try await statuses([view], request, withSource: withSource).first?.status else {
            throw DomainError.notFound("Post")
        }
        return status
    }

    /// Statuses for the views that can be shown, with their authors' counts fetched at once.
    func statuses(_ views: [PostView], _ request: Request, withSource: Bool = false) async throws
        -> [(post: Post, status: MastodonStatus)]
    {
        let base = publicURL.base(for: request)
        // The same for every viewer, so a page of statuses can be kept and shared (see ServingCaches).
        let counts = try await pollen.networkCountsForAll(views.flatMap { [$0.author] + ($0.original.map { [$0.author] } ?? []) })
        return views.compactMap { view in
            guard !view.post.isDeleted else { return nil }
            let original = view.original.flatMap { $0.post.isDeleted ? nil : $0 }
            let originalStatus = original.map { original in
                MastodonStatus(
                    original.post, author: original.author, mentions: original.mentions, favourited: original.favourited,
                    bookmarked: original.bookmarked, reblogged: original.reshared, base: base, counts: counts, html: postHTML)
            }
            if view.post.isReshare && view.post.body.isEmpty {
                // A plain reblog carries the original and mirrors the viewer's marks on it, as Mastodon does.
                guard let original, let originalStatus else { return nil }
                return (
                    view.post,
                    MastodonStatus(
                        view.post, author: view.author, mentions: view.mentions, favourited: original.favourited,
                        bookmarked: original.bookmarked, reblogged: original.reshared, base: base, counts: counts,
                        reblog: originalStatus, text: withSource ? view.post.body : nil, html: postHTML)
                )
            }
            // A reshare with commentary stands on its own, pointing at the original as Mastodon shows quotes.
            return (
                view.post,
                MastodonStatus(
                    view.post, author: view.author, mentions: view.mentions, favourited: view.favourited,
                    bookmarked: view.bookmarked, reblogged: view.reshared, base: base, counts: counts,
                    quoting: originalStatus?.url, text: withSource ? view.post.body : nil, html: postHTML)
            )
        }
    }

    // MARK: Parameters

    static func statusID(_ context: PollenRequestContext) throws -> Post.ID {
        guard let id = context.parameters.get("id").flatMap(Post.ID.init(string:)) else {
            throw DomainError.notFound("Post")
        }
        return id
    }

    /// The post a favourite, bookmark or unreblog is about: the original, for a plain reblog.
    static func proper(_ view: PostView) throws -> Post.ID {
        guard !view.post.isDeleted else { throw DomainError.notFound("Post") }
        if view.post.isReshare, view.post.body.isEmpty, let original = view.original?.post {
            return original.id
        }
        return view.post.id
    }

    /// Mastodon's visibilities onto the organization's: `public` and `unlisted` both mean everyone here.
    static func visibility(_ raw: String?) throws -> Post.Visibility {
        switch raw?.lowercased() ?? "" {
        case "", "public", "unlisted": return .organization
        case "private": return .followers
        case "direct": return .mentioned
        default:
            throw DomainError.invalid("visibility must be public, unlisted, private or direct.", field: "visibility")
        }
    }
}

extension Post.Visibility {
    /// The Mastodon name: the organization is Pollen's "public".
    var mastodon: String {
        switch self {
        case .organization: "public"
        case .followers: "private"
        case .mentioned: "direct"
        }
    }
}

/// Mastodon's `Status` entity (https://docs.joinmastodon.org/entities/Status/). Every key is present, with
/// `null` where Pollen has nothing, as clients expect.
struct MastodonStatus: Encodable {
    struct Mention: Encodable {
        let id: String
        let username: String
        let url: String
        let acct: String
    }
    struct Tag: Encodable {
        let name: String
        let url: String
    }

    let id: String
    let created_at: String
    let in_reply_to_id: String?
    let in_reply_to_account_id: String?
    let visibility: String
    let uri: String
    let url: String
    let replies_count: Int
    let reblogs_count: Int
    let favourites_count: Int
    let edited_at: String?
    let favourited: Bool
    let reblogged: Bool
    let bookmarked: Bool
    let content: String
    /// The Markdown source, only in the answer to a deletion (for "delete and redraft").
    let text: String?
    /// Zero or one: the reblogged status.
    private let reblogged_status: [MastodonStatus]
    let account: MastodonAccount
    let mentions: [Mention]
    let tags: [Tag]

    var reblog: MastodonStatus? { reblogged_status.first }

    init(
        _ post: Post, author: Member, mentions: [Member], favourited: Bool, bookmarked: Bool, reblogged: Bool,
        base: String, counts: [Member.ID: NetworkCounts], reblog: MastodonStatus? = nil, quoting: String? = nil,
        text: String? = nil, html: RenderCache
    ) {
        id = post.id.description
        created_at = post.createdAt.mastodonTimestamp
        in_reply_to_id = post.replyToID?.description
        in_reply_to_account_id = post.replyToAuthorID?.description
        visibility = post.visibility.mastodon
        // The post's page on the site, which shows it in its thread.
        url = "\(base)/posts/\(post.id)"
        uri = url
        replies_count = post.counts.replies
        reblogs_count = post.counts.reshares
        favourites_count = post.counts.favourites
        edited_at = post.editedAt?.mastodonTimestamp
        self.favourited = favourited
        self.bookmarked = bookmarked
        self.reblogged = reblogged
        var content = reblog == nil ? html.html(post.body, mentions: mentions, base: base) : ""
        if let quoting {
            let link = HTMLText.escape(quoting)
            content += "<p class=\"quote-inline\">RE: <a href=\"\(link)\">\(link)</a></p>"
        }
        self.content = content
        self.text = text
        reblogged_status = reblog.map { [$0] } ?? []
        account = MastodonAccount(author, base: base, counts: counts[author.id])
        self.mentions = mentions.map {
            Mention(id: $0.id.description, username: $0.handle, url: "\(base)/@\($0.handle)", acct: $0.handle)
        }
        tags = post.hashtags.map { Tag(name: $0, url: "\(base)/tags/\($0)") }
    }

    enum CodingKeys: String, CodingKey {
        case id, created_at, in_reply_to_id, in_reply_to_account_id, sensitive, spoiler_text, visibility, language
        case uri, url, replies_count, reblogs_count, favourites_count, edited_at, favourited, reblogged, muted
        case bookmarked, pinned, content, text, reblog, application, account, media_attachments, mentions, tags
        case emojis, card, poll, filtered
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        let none: String? = nil
        try c.encode(id, forKey: .id)
        try c.encode(created_at, forKey: .created_at)
        try c.encode(in_reply_to_id, forKey: .in_reply_to_id)
        try c.encode(in_reply_to_account_id, forKey: .in_reply_to_account_id)
        try c.encode(false, forKey: .sensitive)
        try c.encode("", forKey: .spoiler_text)
        try c.encode(visibility, forKey: .visibility)
        try c.encode(none, forKey: .language)
        try c.encode(uri, forKey: .uri)
        try c.encode(url, forKey: .url)
        try c.encode(replies_count, forKey: .replies_count)
        try c.encode(reblogs_count, forKey: .reblogs_count)
        try c.encode(favourites_count, forKey: .favourites_count)
        try c.encode(edited_at, forKey: .edited_at)
        try c.encode(favourited, forKey: .favourited)
        try c.encode(reblogged, forKey: .reblogged)
        try c.encode(false, forKey: .muted)
        try c.encode(bookmarked, forKey: .bookmarked)
        try c.encode(false, forKey: .pinned)
        try c.encode(content, forKey: .content)
        try c.encode(text, forKey: .text)
        try c.encode(reblog, forKey: .reblog)
        try c.encode(none, forKey: .application)
        try c.encode(account, forKey: .account)
        try c.encode([String](), forKey: .media_attachments)
        try c.encode(mentions, forKey: .mentions)
        try c.encode(tags, forKey: .tags)
        try c.encode([String](), forKey: .emojis)
        try c.encode(none, forKey: .card)
        try c.encode(none, forKey: .poll)
        try c.encode([String](), forKey: .filtered)
    }
}

/// Mastodon's `StatusSource`: the text to put back in the editor.
struct MastodonStatusSource: Encodable {
    let id: String
    let text: String
    let spoiler_text = ""
}

/// Mastodon's `StatusEdit`: one text in a post's history.
struct MastodonStatusEdit: Encodable {
    let content: String
    let spoiler_text = ""
    let sensitive = false
    let created_at: String
    let account: MastodonAccount
    let media_attachments: [String] = []
    let emojis: [String] = []

    enum CodingKeys: String, CodingKey {
        case content, spoiler_text, sensitive, created_at, account, media_attachments, emojis, poll
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(content, forKey: .content)
        try c.encode(spoiler_text, forKey: .spoiler_text)
        try c.encode(sensitive, forKey: .sensitive)
        try c.encode(created_at, forKey: .created_at)
        try c.encode(account, forKey: .account)
        try c.encode(media_attachments, forKey: .media_attachments)
        try c.encode(emojis, forKey: .emojis)
        try c.encode(String?.none, forKey: .poll)
    }
}

/// Mastodon's `Context`: the statuses above and below one in its thread.
struct MastodonContext: Encodable {
    let ancestors: [MastodonStatus]
    let descendants: [MastodonStatus]
}
