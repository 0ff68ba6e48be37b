import Foundation
import Hummingbird
import PollenCore

/// The search page, and Mastodon's v2 search.
struct SearchPages {
    let pollen: Pollen
    let views: ViewRenderer
    let publicURL: PublicURL

    func addRoutes(to router: Router<PollenRequestContext>) {
        router.get("/search") { request, context in try await page(request, context) }
        router.get("/api/v2/search") { request, context in try await api(request, context) }
    }

    func page(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let viewer = try context.requireViewer()
        let text = request.query["q"] ?? ""
        let results = try await pollen.search(text, by: .member(viewer))
        let here = request.uri.description
        var page = SearchPage(
            layout: Layout(title: text.isEmpty ? "Search" : "Search: \(text)", context: context), query: text,
            searched: !text.trimmingCharacters(in: .whitespaces).isEmpty,
            people: try await PersonCard.cards(results.members, viewer: viewer, pollen: pollen, next: here),
            hasPeople: !results.members.isEmpty,
            posts: results.posts.map { PostCard.make($0, viewer: viewer, next: here, html: self.views.postHTML) }, hasPosts: !results.posts.isEmpty,
            hashtags: results.hashtags.map {
                .init(tag: $0.tag, usage: "\($0.posts) post\($0.posts == 1 ? "" : "s"), \($0.members) member\($0.members == 1 ? "" : "s")")
            }, hasHashtags: !results.hashtags.isEmpty)
        let items = try await pollen.searchItems(text, viewer: .member(viewer))
        page.items = items.map { ItemCard($0, now: pollen.time.now()) }
        page.hasItems = !items.isEmpty
        let questions = try await pollen.similarQuestions(to: text, limit: 10, viewer: .member(viewer))
        let askers = try await pollen.members(ids: questions.map(\.authorID), viewer: .member(viewer))
        page.questions = questions.compactMap { q in askers[q.authorID].map { QuestionCard(q, author: $0) } }
        page.hasQuestions = !page.questions.isEmpty
        return views.response(page, template: "search")
    }

    func api(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let member = try APIAuth.member(context, scope: "read:search")
        let query = request.query
        let text = query["q"] ?? ""
        var kinds = Set(SearchKind.allCases)
        switch query["type"] {
        case "accounts": kinds = [.members]
        case "statuses": kinds = [.posts]
        case "hashtags": kinds = [.hashtags]
        case nil, "": break
        default: throw DomainError.invalid("type must be accounts, statuses or hashtags.", field: "type")
        }
        // Mastodon pages search by offset for accounts and hashtags; statuses page by max_id as timelines do.
        let range = MastodonNetworkEndpoints.range(request)
        let offset = query["offset"].flatMap { Int($0) } ?? 0
        let results = try await pollen.search(text, kinds: kinds, range: range, offset: offset, by: .member(member))
        let base = publicURL.base(for: request)
        let counts = try await pollen.networkCounts(for: results.members, viewer: .member(member))
        let statuses = try await MastodonStatusEndpoints(pollen: pollen, publicURL: publicURL, postHTML: views.postHTML).statuses(results.posts, request)
        var following: Set<String> = []
        for tag in results.hashtags where try await pollen.isFollowingTag(tag.tag, by: .member(member)) {
            following.insert(tag.tag)
        }
        return JSONResponse.make(
            MastodonSearchResults(
                accounts: results.members.map { MastodonAccount($0, base: base, counts: counts[$0.id]) },
                statuses: statuses.map(\.status),
                hashtags: results.hashtags.map { MastodonTag(name: $0.tag, base: base, following: following.contains($0.tag)) }))
    }
}

struct MastodonSearchResults: Encodable {
    let accounts: [MastodonAccount]
    let statuses: [MastodonStatus]
    let hashtags: [MastodonTag]
}

struct SearchPage {
    struct Hashtag {
        let tag: String
        let usage: String
    }
    let layout: Layout
    let query: String
    let searched: Bool
    let people: [PersonCard]
    let hasPeople: Bool
    let posts: [PostCard]
    let hasPosts: Bool
    let hashtags: [Hashtag]
    let hasHashtags: Bool
    /// Content of the communities the viewer may read.
    var items: [ItemCard] = []
    var hasItems = false
    var questions: [QuestionCard] = []
    var hasQuestions = false
}
