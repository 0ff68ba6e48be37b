import Foundation
import Hummingbird
import PollenCore

/// Finding people in Pollen's own JSON API under `/api/pollen/v1`: suggestions, bulk follows, "follow who
/// they follow", subject pages, who's new and popular, unfollow review, the privacy of one's network, and
/// collections. Described by `openapi.json` beside `PollenEndpoints`.
struct PollenDiscoveryEndpoints {
    let pollen: Pollen
    let publicURL: PublicURL
    let trends: TrendCache
    static let defaultSuggestions = 20
    /// Collections listed per page (as ``Pollen/collections(owner:page:viewer:)`` pages them).
    static let collectionPageSize = 25
    static let bodyLimit = 256 * 1024

    func addRoutes(to router: Router<PollenRequestContext>) {
        let api = router.group(RouterPath(PollenEndpoints.prefix))
        api.get("suggestions") { request, context in try await suggestions(request, context) }
        api.delete("suggestions/{id}") { _, context in
            let member = try APIAuth.member(context, scope: "write:follows", alternatives: ["follow"])
            try await pollen.dismissSuggestion(try context.memberIDParameter(), by: .member(member))
            return Response(status: .noContent)
        }
        api.post("follows") { request, context in try await bulk(request, context, follow: true) }
        api.post("unfollows") { request, context in try await bulk(request, context, follow: false) }
        api.get("profiles/{handle}/network") { request, context in try await network(request, context) }
        api.get("subjects/{tag}") { request, context in try await subject(request, context) }
        api.get("explore") { request, context in try await explore(request, context) }
        api.get("me/privacy") { _, context in
            let member = try APIAuth.member(context, scope: "read:accounts")
            return JSONResponse.make(PollenPrivacy(member.privacy))
        }
        api.put("me/privacy") { request, context in try await updatePrivacy(request, context) }
        api.get("me/unfollow-suggestions") { request, context in
            let member = try APIAuth.member(context, scope: "read:follows")
            let candidates = try await pollen.unfollowCandidates(for: .member(member))
            let base = publicURL.base(for: request)
            return JSONResponse.make(UnfollowSuggestions(accounts: candidates.map { UnfollowSuggestion($0, base: base, viewer: member) }))
        }
        api.get("collections") { request, context in try await collections(request, context) }
        api.post("collections") { request, context in try await createCollection(request, context) }
        api.get("collections/{id}") { request, context in
            let member = try APIAuth.member(context, scope: "read:accounts")
            let view = try await pollen.collection(try Self.collectionID(context), viewer: .member(member))
            return JSONResponse.make(CollectionDetail(view, base: publicURL.base(for: request), viewer: member))
        }
        api.put("collections/{id}") { request, context in try await updateCollection(request, context) }
        api.delete("collections/{id}") { _, context in
            let member = try APIAuth.member(context, scope: "write:lists")
            try await pollen.deleteCollection(try Self.collectionID(context), by: .member(member))
            return Response(status: .noContent)
        }
        api.post("collections/{id}/follow") { request, context in try await followCollection(request, context) }
    }

    // MARK: People

    func suggestions(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let member = try APIAuth.member(context, scope: "read:accounts")
        let limit = min(max(request.query["limit"].flatMap { Int($0) } ?? Self.defaultSuggestions, 1), Pollen.maxSuggestions)
        let found = try await pollen.suggestions(for: .member(member), limit: limit)
        let base = publicURL.base(for: request)
        return JSONResponse.make(SuggestionList(suggestions: found.map { PollenSuggestion($0, base: base, viewer: member) }))
    }

    /// Follows (or unfollows) the members listed in `account_ids`.
    func bulk(_ request: Request, _ context: PollenRequestContext, follow: Bool) async throws -> Response {
        let member = try APIAuth.member(context, scope: "write:follows", alternatives: ["follow"])
        var request = request
        let form = try await request.formData(limit: Self.bodyLimit)
        let ids = try Self.memberIDs(form)
        let result = follow
            ? try await pollen.followMembers(ids, by: .member(member)) : try await pollen.unfollowMembers(ids, by: .member(member))
        let base = publicURL.base(for: request)
        let accounts = result.changed.map { PollenProfile($0, base: base, viewer: member) }
        return JSONResponse.make(BulkFollowBody(follow: follow, accounts: accounts, skipped: result.skipped))
    }

    /// `account_ids` as a list (or repeated, or `account_ids[]`), each entry possibly several separated by
    /// commas or spaces. Anything that is not a member id is refused.
    static func memberIDs(_ form: FormData) throws -> [Member.ID] {
        let raw = form.all("account_ids").flatMap { $0.split(whereSeparator: { $0 == "," || $0.isWhitespace }) }.map(String.init)
        return try raw.map { value in
            guard let id = Member.ID(string: value) else {
                throw DomainError.invalid("“\(value)” is not an account id.", field: "account_ids")
            }
            return id
        }
    }

    func network(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let member = try APIAuth.member(context, scope: "read:accounts")
        let followers: Bool
        switch request.query["list"] ?? "following" {
        case "following", "": followers = false
        case "followers": followers = true
        default: throw DomainError.invalid("list must be following or followers.", field: "list")
        }
        let owner = try await pollen.profile(handle: context.parameters.get("handle") ?? "", viewer: .member(member))
        let listing = try await pollen.networkListing(of: owner.id, followers: followers, viewer: .member(member))
        return JSONResponse.make(NetworkListingBody(listing, base: publicURL.base(for: request), viewer: member))
    }

    func subject(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let member = try APIAuth.member(context, scope: "read:accounts")
        let raw = context.parameters.get("tag") ?? ""
        let overview = try await pollen.subject(raw.removingPercentEncoding ?? raw, viewer: .member(member))
        return JSONResponse.make(SubjectBody(overview, base: publicURL.base(for: request), viewer: member))
    }

    func explore(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let member = try APIAuth.member(context, scope: "read:accounts")
        let department = try Pollen.exploreDepartment(request.query["department"])
        let snapshot = try await trends.snapshot(department: department, now: pollen.time.now()) {
            try await pollen.trendSnapshot(department: department)
        }
        let overview = try await pollen.explore(snapshot, viewer: .member(member))
        return JSONResponse.make(ExploreBody(overview, base: publicURL.base(for: request), viewer: member))
    }

    // MARK: Privacy

    func updatePrivacy(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let member = try APIAuth.member(context, scope: "write:accounts")
        var request = request
        let form = try await request.formData(limit: Self.bodyLimit)
        var privacy = member.privacy
        if let value = form["audience"] {
            guard let audience = NetworkPrivacy.Audience(rawValue: value) else {
                throw DomainError.invalid("audience must be everyone, followed or only_me.", field: "audience")
            }
            privacy.audience = audience
        }
        if let value = form["discoverable"] { privacy.discoverable = try MastodonEndpoints.flag(value, field: "discoverable") }
        let updated = try await pollen.updateNetworkPrivacy(privacy, of: member.id, by: .member(member))
        return JSONResponse.make(PollenPrivacy(updated.privacy))
    }

    // MARK: Collections

    static func collectionID(_ context: PollenRequestContext) throws -> FollowCollection.ID {
        guard let raw = context.parameters.get("id"), let id = FollowCollection.ID(string: raw) else {
            throw DomainError.notFound("Collection")
        }
        return id
    }

    func collections(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let member = try APIAuth.member(context, scope: "read:accounts")
        let query = request.query
        var owner: Member?
        if let handle = query["owner"]?.nilIfEmpty {
            owner = try await pollen.profile(handle: handle, viewer: .member(member))
        }
        let page = query.pageNumber
        let found = try await pollen.collections(owner: owner?.id, page: page, viewer: .member(member))
        let base = publicURL.base(for: request)
        return JSONResponse.make(
            CollectionList(
                collections: found.map { CollectionSummary($0.collection, owner: $0.owner, base: base, viewer: member) },
                page: page, next_page: found.count == Self.collectionPageSize ? page + 1 : nil))
    }

    func createCollection(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let member = try APIAuth.member(context, scope: "write:lists")
        var request = request
        let form = try await request.formData(limit: Self.bodyLimit)
        let draft = Self.draft(form, over: CollectionDraft(title: ""))
        let made = try await pollen.createCollection(draft, by: .member(member))
        let view = try await pollen.collection(made.id, viewer: .member(member))
        return JSONResponse.make(CollectionDetail(view, base: publicURL.base(for: request), viewer: member), status: .created)
    }

    /// Changes the fields sent; the others keep their values.
    func updateCollection(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let member = try APIAuth.member(context, scope: "write:lists")
        let id = try Self.collectionID(context)
        let current = try await pollen.collection(id, viewer: .member(member))
        try AccessPolicy.require(current.mayEdit)
        var request = request
        let form = try await request.formData(limit: Self.bodyLimit)
        let draft = Self.draft(
            form,
            over: CollectionDraft(
                title: current.collection.title, description: current.collection.description,
                handles: current.members.map(\.handle), tags: current.collection.tags))
        _ = try await pollen.updateCollection(id, draft, by: .member(member))
        let view = try await pollen.collection(id, viewer: .member(member))
        return JSONResponse.make(CollectionDetail(view, base: publicURL.base(for: request), viewer: member))
    }

    /// The collection fields of a body laid over `base`. Handles may be a list or text separated by commas,
    /// semicolons or white space; hashtags a list or text separated by commas, semicolons or line breaks (spaces
    /// inside one become hyphens, as in profiles).
    static func draft(_ form: FormData, over base: CollectionDraft) -> CollectionDraft {
        func items(_ key: String) -> [String] {
            form.all(key).flatMap { $0.split(whereSeparator: { $0 == "," || $0 == ";" || $0.isWhitespace }) }.map(String.init)
        }
        var draft = base
        if let value = form["title"] { draft.title = value }
        if let value = form["description"] { draft.description = value }
        if form.has("handles") { draft.handles = items("handles") }
        if form.has("tags") { draft.tags = form.all("tags").flatMap(ProfileRules.splitTagList) }
        return draft
    }

    /// Follows everything in a collection, or the people (`account_ids`) and hashtags (`tags`) picked.
    func followCollection(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let member = try APIAuth.member(context, scope: "write:follows", alternatives: ["follow"])
        let id = try Self.collectionID(context)
        var request = request
        let form = try await request.formData(limit: Self.bodyLimit)
        var people: [Member.ID]?
        var tags: [String]?
        if form.has("account_ids") || form.has("tags") {
            people = try Self.memberIDs(form)
            tags = form.all("tags").flatMap(ProfileRules.splitTagList).map { (try? Pollen.validTag($0)) ?? $0 }
            guard !(people?.isEmpty ?? true) || !(tags?.isEmpty ?? true) else {
                throw DomainError.invalid(
                    "Pick people (account_ids) or hashtags (tags) to follow, or send neither to follow everything.",
                    field: "account_ids")
            }
        }
        let done = try await pollen.followCollection(id, members: people, tags: tags, by: .member(member))
        return JSONResponse.make(CollectionFollowBody(people: done.people, tags: done.tags))
    }
}

// MARK: - Entities

struct SuggestionList: Encodable {
    let suggestions: [PollenSuggestion]
}

struct PollenSuggestion: Encodable {
    struct Reason: Encodable {
        let kind: String
        /// The reason in words, as the pages show it.
        let text: String
        let count: Int?
        let tag: String?
        let department: String?
        /// Handles of some of the people the viewer follows who follow this person.
        let examples: [String]?

        init(_ reason: SuggestionReason) {
            text = PickPerson.text(reason)
            var count: Int?, tag: String?, department: String?, examples: [String]?
            switch reason {
            case .followedByPeopleYouFollow(let shared, let named):
                kind = "followed_by_people_you_follow"
                count = shared
                examples = named.map(\.handle)
            case .writesAbout(let subject):
                kind = "writes_about"
                tag = subject
            case .answersIn(let subject):
                kind = "answers_in"
                tag = subject
            case .newHere:
                kind = "new_here"
            case .bridgeTo(let name):
                kind = "bridge_to"
                department = name
            }
            self.count = count
            self.tag = tag
            self.department = department
            self.examples = examples
        }
    }

    let account: PollenProfile
    let reasons: [Reason]
    let widens_network: Bool

    init(_ suggestion: Suggestion, base: String, viewer: Member) {
        account = PollenProfile(suggestion.member, base: base, viewer: viewer)
        reasons = suggestion.reasons.map(Reason.init)
        widens_network = suggestion.widensNetwork
    }
}

struct BulkFollowBody: Encodable {
    let follow: Bool
    let accounts: [PollenProfile]
    let skipped: Int

    enum CodingKeys: String, CodingKey { case followed, unfollowed, skipped }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(accounts, forKey: follow ? .followed : .unfollowed)
        try container.encode(skipped, forKey: .skipped)
    }
}

struct NetworkListingBody: Encodable {
    struct Entry: Encodable {
        let account: PollenProfile
        let following: Bool
        let can_follow: Bool
    }
    let owner: PollenProfile
    let accounts: [Entry]
    let truncated: Bool

    init(_ listing: NetworkListing, base: String, viewer: Member) {
        owner = PollenProfile(listing.owner, base: base, viewer: viewer)
        accounts = listing.entries.map {
            Entry(account: PollenProfile($0.member, base: base, viewer: viewer), following: $0.followedByViewer, can_follow: $0.canFollow)
        }
        truncated = listing.truncated
    }
}

struct SubjectBody: Encodable {
    struct Person: Encodable {
        let account: PollenProfile
        let engagement: Int
        let posts: Int
        let replies: Int

        init(_ person: PollenCore.SubjectPerson, base: String, viewer: Member) {
            account = PollenProfile(person.member, base: base, viewer: viewer)
            engagement = person.score.engagement
            posts = person.score.posts
            replies = person.score.replies
        }
    }
    let tag: String
    let thought_leaders: [Person]
    let practitioners: [Person]
    let refreshed_at: String?

    init(_ overview: SubjectOverview, base: String, viewer: Member) {
        tag = overview.tag
        thought_leaders = overview.thoughtLeaders.map { Person($0, base: base, viewer: viewer) }
        practitioners = overview.practitioners.map { Person($0, base: base, viewer: viewer) }
        refreshed_at = overview.refreshedAt?.mastodonTimestamp
    }

    enum CodingKeys: String, CodingKey { case tag, thought_leaders, practitioners, refreshed_at }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(tag, forKey: .tag)
        try container.encode(thought_leaders, forKey: .thought_leaders)
        try container.encode(practitioners, forKey: .practitioners)
        try container.encode(refreshed_at, forKey: .refreshed_at)  // null until the first refresh
    }
}

struct ExploreBody: Encodable {
    struct Popular: Encodable {
        let account: PollenProfile
        let engagement: Int
    }
    struct PostLink: Encodable {
        let id: String
        let url: String
        let account_id: String
    }
    struct Trend: Encodable {
        let tag: String
        let this_week: Int
        let weekly_before: Double
    }
    let department: String?
    let new_members: [PollenProfile]
    let popular_people: [Popular]
    let popular_posts: [PostLink]
    let rising_tags: [Trend]

    init(_ overview: ExploreOverview, base: String, viewer: Member) {
        department = overview.department
        new_members = overview.newMembers.map { PollenProfile($0, base: base, viewer: viewer) }
        popular_people = overview.popularPeople.map {
            Popular(account: PollenProfile($0.member, base: base, viewer: viewer), engagement: $0.engagement)
        }
        popular_posts = overview.popularPosts.map {
            PostLink(id: $0.post.id.description, url: "\(base)/posts/\($0.post.id)", account_id: $0.author.id.description)
        }
        rising_tags = overview.risingTags.map { Trend(tag: $0.tag, this_week: $0.thisWeek, weekly_before: $0.weeklyBefore) }
    }

    enum CodingKeys: String, CodingKey { case department, new_members, popular_people, popular_posts, rising_tags }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(department, forKey: .department)  // null for the whole organization
        try container.encode(new_members, forKey: .new_members)
        try container.encode(popular_people, forKey: .popular_people)
        try container.encode(popular_posts, forKey: .popular_posts)
        try container.encode(rising_tags, forKey: .rising_tags)
    }
}

struct PollenPrivacy: Encodable {
    let audience: String
    let discoverable: Bool

    init(_ privacy: NetworkPrivacy) {
        audience = privacy.audience.rawValue
        discoverable = privacy.discoverable
    }
}

struct UnfollowSuggestions: Encodable {
    let accounts: [UnfollowSuggestion]
}

struct UnfollowSuggestion: Encodable {
    struct Reason: Encodable {
        let kind: String
        let text: String
        let followed_since: String?
        let last_posted: String?
        let quiet: Bool

        init(_ reason: UnfollowCandidate.Reason) {
            text = DiscoveryPages.text(reason)
            switch reason {
            case .neverEngaged(let since):
                kind = "never_engaged"
                followed_since = since.mastodonTimestamp
                last_posted = nil
                quiet = false
            case .quiet(let last):
                kind = "quiet"
                followed_since = nil
                last_posted = last?.mastodonTimestamp
                quiet = true
            }
        }

        enum CodingKeys: String, CodingKey { case kind, text, followed_since, last_posted }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(kind, forKey: .kind)
            try container.encode(text, forKey: .text)
            if quiet {
                try container.encode(last_posted, forKey: .last_posted)  // null: has never posted
            } else {
                try container.encode(followed_since, forKey: .followed_since)
            }
        }
    }
    let account: PollenProfile
    let reasons: [Reason]

    init(_ candidate: UnfollowCandidate, base: String, viewer: Member) {
        account = PollenProfile(candidate.member, base: base, viewer: viewer)
        reasons = candidate.reasons.map(Reason.init)
    }
}

struct CollectionList: Encodable {
    let collections: [CollectionSummary]
    let page: Int
    let next_page: Int?

    enum CodingKeys: String, CodingKey { case collections, page, next_page }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(collections, forKey: .collections)
        try container.encode(page, forKey: .page)
        try container.encode(next_page, forKey: .next_page)
    }
}

struct CollectionSummary: Encodable {
    let id: String
    let title: String
    let description: String
    let owner: PollenProfile
    let people: Int
    let tags: [String]
    let created_at: String
    let updated_at: String
    let url: String

    init(_ collection: FollowCollection, owner: Member, base: String, viewer: Member) {
        id = collection.id.description
        title = collection.title
        description = collection.description
        self.owner = PollenProfile(owner, base: base, viewer: viewer)
        people = collection.members.count
        tags = collection.tags
        created_at = collection.createdAt.mastodonTimestamp
        updated_at = collection.updatedAt.mastodonTimestamp
        url = "\(base)/collections/\(collection.id)"
    }
}

struct CollectionDetail: Encodable {
    struct Entry: Encodable {
        let account: PollenProfile
        let following: Bool
    }
    let id: String
    let title: String
    let description: String
    let owner: PollenProfile
    let accounts: [Entry]
    let tags: [String]
    let followed_tags: [String]
    let may_edit: Bool
    let created_at: String
    let updated_at: String
    let url: String

    init(_ view: CollectionView, base: String, viewer: Member) {
        let collection = view.collection
        id = collection.id.description
        title = collection.title
        description = collection.description
        owner = PollenProfile(view.owner, base: base, viewer: viewer)
        accounts = view.members.map {
            Entry(account: PollenProfile($0, base: base, viewer: viewer), following: view.following.contains($0.id))
        }
        tags = collection.tags
        followed_tags = collection.tags.filter(view.followedTags.contains)
        may_edit = view.mayEdit
        created_at = collection.createdAt.mastodonTimestamp
        updated_at = collection.updatedAt.mastodonTimestamp
        url = "\(base)/collections/\(collection.id)"
    }
}

struct CollectionFollowBody: Encodable {
    let people: Int
    let tags: Int
}
