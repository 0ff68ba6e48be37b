import Foundation
import Hummingbird
import PollenCore

/// Communities of practice in Pollen's own JSON API under `/api/pollen/v1`: the directory, founding, joining
/// and following communities, their members, and their content (discussions, articles, wiki pages and
/// resources) with comments, ratings, favourites, features, revisions and files. Described by `openapi.json`
/// beside `PollenEndpoints`.
///
/// Communities and their people are read with `read:accounts` and joined, followed and managed with
/// `write:follows` (as discovery does with people); content is read with `read:statuses` and written with
/// `write:statuses` (as the Mastodon API does with posts), and so is a new community's charter.
struct PollenCommunityEndpoints {
    let pollen: Pollen
    let publicURL: PublicURL
    static let bodyLimit = 256 * 1024
    /// Communities listed per page unless `limit` says otherwise (the core allows 1–100).
    static let defaultCommunityPage = 25
    /// Items listed per page unless `limit` says otherwise (the core allows up to ``Pollen/maxListPageSize``).
    static let defaultItemPage = 20
    /// Search results unless `limit` says otherwise (the core allows up to 50).
    static let defaultSearchResults = 20
    /// Suggested communities unless `limit` says otherwise (the core allows up to 20).
    static let defaultSuggestions = 6
    /// Comments listed unless `limit` says otherwise (the core allows up to 500).
    static let defaultComments = 200

    func addRoutes(to router: Router<PollenRequestContext>) {
        let api = router.group(RouterPath(PollenEndpoints.prefix))
        api.get("communities") { request, context in try await directory(request, context) }
        api.post("communities") { request, context in try await createCommunity(request, context) }
        api.get("communities/suggested") { request, context in
            let member = try APIAuth.member(context, scope: "read:accounts")
            let limit = request.query["limit"].flatMap { Int($0) } ?? Self.defaultSuggestions
            let found = try await pollen.suggestedCommunities(limit: limit, viewer: .member(member))
            let base = publicURL.base(for: request)
            // Suggestions are communities the member has no place in, so there is no role or state to show.
            return JSONResponse.make(
                PollenCommunitySuggestionList(suggestions: found.map {
                    PollenCommunitySuggestion(
                        community: PollenCommunity($0.community, memberCount: $0.members, membership: nil, base: base),
                        colleagues: $0.colleagues, subject: OrNull($0.subject))
                }))
        }
        api.get("me/communities") { request, context in
            let member = try APIAuth.member(context, scope: "read:accounts")
            let mine = try await pollen.myCommunities(viewer: .member(member))
            let base = publicURL.base(for: request)
            // The core lists one's communities without counting their members: `member_count` is null here.
            return JSONResponse.make(
                PollenCommunityList(communities: mine.map {
                    PollenCommunity($0.community, memberCount: nil, membership: $0.membership, base: base)
                }))
        }
        api.get("communities/{slug}") { request, context in
            let member = try APIAuth.member(context, scope: "read:accounts")
            return JSONResponse.make(try await detail(Self.slug(context), request, viewer: member))
        }
        api.patch("communities/{slug}") { request, context in try await updateCommunity(request, context) }
        api.post("communities/{slug}/join") { request, context in
            let member = try APIAuth.member(context, scope: "write:follows", alternatives: ["follow"])
            let membership = try await pollen.joinCommunity(slug: try Self.slug(context), by: .member(member))
            return JSONResponse.make(PollenCommunityMember(membership, member: member, base: publicURL.base(for: request), viewer: member))
        }
        api.post("communities/{slug}/leave") { _, context in
            let member = try APIAuth.member(context, scope: "write:follows", alternatives: ["follow"])
            try await pollen.leaveCommunity(slug: try Self.slug(context), by: .member(member))
            return Response(status: .noContent)
        }
        api.post("communities/{slug}/follow") { _, context in
            let member = try APIAuth.member(context, scope: "write:follows", alternatives: ["follow"])
            let slug = try Self.slug(context)
            try await pollen.followCommunity(slug: slug, by: .member(member))
            return try await following(slug, member)
        }
        api.delete("communities/{slug}/follow") { _, context in
            let member = try APIAuth.member(context, scope: "write:follows", alternatives: ["follow"])
            let slug = try Self.slug(context)
            try await pollen.unfollowCommunity(slug: slug, by: .member(member))
            return try await following(slug, member)
        }
        api.put("communities/{slug}/notifications") { request, context in
            let member = try APIAuth.member(context, scope: "write:follows", alternatives: ["follow"])
            let slug = try Self.slug(context)
            var request = request
            let form = try await request.formData(limit: Self.bodyLimit)
            guard let level = form["level"].flatMap(CommunityNotificationLevel.init(rawValue:)) else {
                throw DomainError.invalid("level must be muted, normal or watching.", field: "level")
            }
            try await pollen.setNotificationLevel(level, in: slug, by: .member(member))
            return try await following(slug, member)
        }
        api.get("communities/{slug}/members") { request, context in try await members(request, context) }
        api.post("communities/{slug}/members/{handle}") { request, context in try await decide(request, context) }
        api.get("communities/{slug}/items") { request, context in try await items(request, context) }
        api.post("communities/{slug}/items") { request, context in try await createItem(request, context) }

        api.get("items/{id}") { request, context in
            let member = try APIAuth.member(context, scope: "read:statuses")
            let view = try await pollen.item(try Self.itemID(context), viewer: .member(member))
            return JSONResponse.make(PollenItemDetail(view, base: publicURL.base(for: request), viewer: member))
        }
        api.patch("items/{id}") { request, context in try await editItem(request, context) }
        api.delete("items/{id}") { _, context in
            let member = try APIAuth.member(context, scope: "write:statuses")
            try await pollen.deleteItem(try Self.itemID(context), by: .member(member))
            return Response(status: .noContent)
        }
        api.get("items/{id}/comments") { request, context in
            let member = try APIAuth.member(context, scope: "read:statuses")
            let limit = request.query["limit"].flatMap { Int($0) } ?? Self.defaultComments
            let offset = request.query["offset"].flatMap { Int($0) } ?? 0
            let found = try await pollen.comments(on: try Self.itemID(context), limit: limit, offset: offset, viewer: .member(member))
            let base = publicURL.base(for: request)
            return JSONResponse.make(
                PollenCommentList(comments: found.map {
                    PollenComment($0.comment, author: $0.author, mayDelete: $0.mayDelete, base: base, viewer: member)
                }))
        }
        api.post("items/{id}/comments") { request, context in
            let member = try APIAuth.member(context, scope: "write:statuses")
            let id = try Self.itemID(context)
            var request = request
            let form = try await request.formData(limit: Self.bodyLimit)
            let comment = try await pollen.comment(on: id, body: form["body"] ?? "", by: .member(member))
            // Whoever may comment may delete their own comment while they stay a member.
            return JSONResponse.make(
                PollenComment(comment, author: member, mayDelete: true, base: publicURL.base(for: request), viewer: member), status: .created)
        }
        api.delete("comments/{id}") { _, context in
            let member = try APIAuth.member(context, scope: "write:statuses")
            guard let raw = context.parameters.get("id"), let id = CommunityComment.ID(string: raw) else {
                throw DomainError.notFound("Comment")
            }
            try await pollen.deleteComment(id, by: .member(member))
            return Response(status: .noContent)
        }
        api.put("items/{id}/rating") { request, context in
            try await itemAction(request, context, readsBody: true) { id, member, form in
                guard let stars = form["stars"].flatMap({ Int($0) }) else {
                    throw DomainError.invalid("A rating is one to five stars.", field: "stars")
                }
                try await pollen.rate(id, stars: stars, by: .member(member))
            }
        }
        api.post("items/{id}/favourite") { request, context in
            try await itemAction(request, context) { id, member, _ in try await pollen.setItemFavourite(true, id, by: .member(member)) }
        }
        api.delete("items/{id}/favourite") { request, context in
            try await itemAction(request, context) { id, member, _ in try await pollen.setItemFavourite(false, id, by: .member(member)) }
        }
        api.post("items/{id}/feature") { request, context in
            try await itemAction(request, context, readsBody: true) { id, member, form in
                try await pollen.feature(id, note: form["note"] ?? "", by: .member(member))
            }
        }
        api.delete("items/{id}/feature") { request, context in
            try await itemAction(request, context) { id, member, _ in try await pollen.feature(id, note: nil, by: .member(member)) }
        }
        api.post("items/{id}/pin") { request, context in
            try await itemAction(request, context) { id, member, _ in try await pollen.setThreadState(id, pinned: true, by: .member(member)) }
        }
        api.delete("items/{id}/pin") { request, context in
            try await itemAction(request, context) { id, member, _ in try await pollen.setThreadState(id, pinned: false, by: .member(member)) }
        }
        api.post("items/{id}/close") { request, context in
            try await itemAction(request, context) { id, member, _ in try await pollen.setThreadState(id, closed: true, by: .member(member)) }
        }
        api.delete("items/{id}/close") { request, context in
            try await itemAction(request, context) { id, member, _ in try await pollen.setThreadState(id, closed: false, by: .member(member)) }
        }
        api.get("items/{id}/revisions") { request, context in
            let member = try APIAuth.member(context, scope: "read:statuses")
            let history = try await pollen.revisions(of: try Self.itemID(context), viewer: .member(member))
            let base = publicURL.base(for: request)
            return JSONResponse.make(
                PollenRevisionList(
                    item: PollenItemDetail(history.item, base: base, viewer: member),
                    revisions: history.revisions.map { PollenRevision($0.revision, author: $0.author, base: base, viewer: member) }))
        }
        api.get("items/{id}/diff") { request, context in
            let member = try APIAuth.member(context, scope: "read:statuses")
            let from = try Self.revisionNumber(request.query["from"], field: "from")
            let to = try Self.revisionNumber(request.query["to"], field: "to")
            let compared = try await pollen.compareRevisions(of: try Self.itemID(context), from, to, viewer: .member(member))
            return JSONResponse.make(
                PollenRevisionDiff(
                    item_id: compared.item.item.id.description, from: compared.old.number, to: compared.new.number,
                    lines: compared.lines.map(PollenDiffLine.init)))
        }
        api.post("items/{id}/revisions/{number}/restore") { request, context in
            try await itemAction(request, context, readsBody: true) { id, member, form in
                guard let number = context.parameters.get("number").flatMap({ Int($0) }) else { throw DomainError.notFound("Revision") }
                let basedOn = try form["revision"]?.nilIfEmpty.map { try Self.revisionNumber($0, field: "revision") }
                try await pollen.restoreRevision(number, of: id, basedOn: basedOn, by: .member(member))
            }
        }
        api.get("items/{id}/file") { _, context in
            let member = try APIAuth.member(context, scope: "read:statuses")
            return ResourceDownload.response(try await pollen.resourceFile(try Self.itemID(context), viewer: .member(member)))
        }
        api.get("search/items") { request, context in
            let member = try APIAuth.member(context, scope: "read:statuses")
            let limit = request.query["limit"].flatMap { Int($0) } ?? Self.defaultSearchResults
            let found = try await pollen.searchItems(request.query["q"] ?? "", limit: limit, viewer: .member(member))
            return JSONResponse.make(PollenItemList(items: try await itemBodies(found, base: publicURL.base(for: request), viewer: member)))
        }
    }

    // MARK: Communities

    static func slug(_ context: PollenRequestContext) throws -> String {
        guard let raw = context.parameters.get("slug") else { throw DomainError.notFound("Community") }
        return raw.removingPercentEncoding ?? raw
    }

    static func kind(_ value: String?) throws -> Community.Kind? {
        guard let value = value?.nilIfEmpty else { return nil }
        guard let kind = Community.Kind(rawValue: value) else {
            throw DomainError.invalid("kind must be horizontal, vertical or interest.", field: "kind")
        }
        return kind
    }

    func directory(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let member = try APIAuth.member(context, scope: "read:accounts")
        let params = request.query
        let query = CommunityQuery(
            text: params["q"] ?? "", kind: try Self.kind(params["kind"]), visibleTo: member.id,
            limit: params["limit"].flatMap { Int($0) } ?? Self.defaultCommunityPage,
            offset: params["offset"].flatMap { Int($0) } ?? 0)
        let page = try await pollen.communities(query, viewer: .member(member))
        let base = publicURL.base(for: request)
        return JSONResponse.make(
            PollenCommunityPage(
                communities: page.items.map {
                    PollenCommunity($0.community, memberCount: $0.memberCount, membership: $0.viewerMembership, base: base)
                },
                total: page.total, limit: min(max(query.limit, 1), 100), offset: max(query.offset, 0)))
    }

    func createCommunity(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let member = try APIAuth.member(context, scope: "write:statuses")
        var request = request
        let form = try await request.formData(limit: Self.bodyLimit)
        guard let kind = try Self.kind(form["kind"]) else {
            throw DomainError.invalid("kind must be horizontal, vertical or interest.", field: "kind")
        }
        let membership: Community.Membership
        if let value = form["membership"]?.nilIfEmpty {
            guard let rule = Community.Membership(rawValue: value) else {
                throw DomainError.invalid("membership must be open, request or private.", field: "membership")
            }
            membership = rule
        } else {
            membership = .open
        }
        let made = try await pollen.createCommunity(
            CommunityDraft(
                slug: form["slug"] ?? "", name: form["name"] ?? "", kind: kind, purpose: form["purpose"] ?? "",
                guidelines: form["guidelines"] ?? "", membership: membership),
            by: .member(member))
        return JSONResponse.make(try await detail(made.slug, request, viewer: member), status: .created)
    }

    /// Changes the fields sent of a community's name, kind, charter and membership rule (its managers). The
    /// address never changes.
    func updateCommunity(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let member = try APIAuth.member(context, scope: "write:statuses")
        let slug = try Self.slug(context)
        var request = request
        let form = try await request.formData(limit: Self.bodyLimit)
        let current = try await pollen.community(slug: slug, viewer: .member(member)).community
        var draft = CommunityDraft(
            slug: slug, name: current.name, kind: current.kind, purpose: current.purpose, guidelines: current.guidelines,
            membership: current.membership)
        if let value = form["name"] { draft.name = value }
        if let value = form["kind"]?.nilIfEmpty {
            guard let kind = try Self.kind(value) else {
                throw DomainError.invalid("kind must be horizontal, vertical or interest.", field: "kind")
            }
            draft.kind = kind
        }
        if let value = form["purpose"] { draft.purpose = value }
        if let value = form["guidelines"] { draft.guidelines = value }
        if let value = form["membership"]?.nilIfEmpty {
            guard let rule = Community.Membership(rawValue: value) else {
                throw DomainError.invalid("membership must be open, request or private.", field: "membership")
            }
            draft.membership = rule
        }
        _ = try await pollen.updateCommunity(slug: slug, draft, by: .member(member))
        return JSONResponse.make(try await detail(slug, request, viewer: member))
    }

    /// The community as its home page shows it, with the viewer's place in it.
    func detail(_ slug: String, _ request: Request, viewer: Member) async throws -> PollenCommunityDetail {
        let home = try await pollen.communityHome(slug: slug, viewer: .member(viewer))
        let base = publicURL.base(for: request)
        let sections = home.featured + home.news + home.latest + home.popular + home.openQuestions
        let featuredBy = await featurers(sections.map(\.item), viewer: viewer)
        func bodies(_ list: [ItemSummary]) -> [PollenItem] {
            list.map { PollenItem($0, featuredBy: $0.item.feature.flatMap { featuredBy[$0.by] }, base: base, viewer: viewer) }
        }
        return PollenCommunityDetail(
            community: PollenCommunity(
                home.community.community, memberCount: home.community.memberCount, membership: home.community.viewerMembership, base: base),
            following: home.viewerFollows, notification_level: home.viewerLevel?.rawValue, followers: home.followers,
            pending_requests: home.mayManage ? home.pendingRequests : nil, may_read: home.mayRead,
            may_contribute: home.mayContribute, may_manage: home.mayManage, may_lead: home.mayLead,
            featured: bodies(home.featured), news: bodies(home.news), latest: bodies(home.latest), popular: bodies(home.popular),
            open_questions: bodies(home.openQuestions),
            new_members: home.newMembers.map { PollenProfile($0, base: base, viewer: viewer) },
            popular_members: home.popularMembers.map { PollenProfile($0, base: base, viewer: viewer) },
            leaders: home.leaders.map { PollenCommunityMember($0.membership, member: $0.member, base: base, viewer: viewer) })
    }

    func following(_ slug: String, _ member: Member) async throws -> Response {
        let state = try await pollen.communityFollowing(slug: slug, viewer: .member(member))
        return JSONResponse.make(PollenCommunityFollowing(following: state.following, notification_level: state.level?.rawValue))
    }

    func members(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let member = try APIAuth.member(context, scope: "read:accounts")
        let params = request.query
        let state: CommunityMember.State
        if let value = params["state"]?.nilIfEmpty {
            guard let chosen = CommunityMember.State(rawValue: value) else {
                throw DomainError.invalid("state must be active, requested or invited.", field: "state")
            }
            state = chosen
        } else {
            state = .active
        }
        let limit = min(max(params["limit"].flatMap { Int($0) } ?? 100, 1), 500)
        let offset = max(params["offset"].flatMap { Int($0) } ?? 0, 0)
        let found = try await pollen.communityMembers(
            slug: try Self.slug(context), state: state, limit: limit, offset: offset, viewer: .member(member))
        let base = publicURL.base(for: request)
        return JSONResponse.make(
            PollenCommunityMemberList(
                members: found.map { PollenCommunityMember($0.membership, member: $0.member, base: base, viewer: member) },
                state: state.rawValue, limit: limit, offset: offset))
    }

    /// A manager's decision about one person: `approve`, `invite`, `remove` or `role` (with `role`).
    func decide(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let member = try APIAuth.member(context, scope: "write:follows", alternatives: ["follow"])
        let slug = try Self.slug(context)
        var request = request
        let form = try await request.formData(limit: Self.bodyLimit)
        let decision: Pollen.CommunityDecision
        switch form["action"] ?? "" {
        case "approve": decision = .approve
        case "invite": decision = .invite
        case "remove": decision = .remove
        case "role":
            guard let role = form["role"].flatMap(CommunityMember.Role.init(rawValue:)) else {
                throw DomainError.invalid("role must be member, sme or manager.", field: "role")
            }
            decision = .role(role)
        default: throw DomainError.invalid("action must be approve, invite, remove or role.", field: "action")
        }
        let raw = context.parameters.get("handle") ?? ""
        let target = try await pollen.profile(handle: raw.removingPercentEncoding ?? raw, viewer: .member(member))
        guard let membership = try await pollen.decide(decision, about: target.id, in: slug, by: .member(member)) else {
            return Response(status: .noContent)
        }
        return JSONResponse.make(PollenCommunityMember(membership, member: target, base: publicURL.base(for: request), viewer: member))
    }

    // MARK: Items

    static func itemID(_ context: PollenRequestContext) throws -> CommunityItem.ID {
        guard let raw = context.parameters.get("id"), let id = CommunityItem.ID(string: raw) else {
            throw DomainError.notFound("Item")
        }
        return id
    }

    static func itemKind(_ value: String?, field: String) throws -> CommunityItem.Kind? {
        guard let value = value?.nilIfEmpty else { return nil }
        guard let kind = CommunityItem.Kind(rawValue: value) else {
            throw DomainError.invalid("\(field) must be thread, article, wiki or resource.", field: field)
        }
        return kind
    }

    static func revisionNumber(_ value: String?, field: String) throws -> Int {
        guard let value, let number = Int(value.trimmingCharacters(in: .whitespaces)), number >= 1 else {
            throw DomainError.invalid("\(field) must be a revision number (1 or more).", field: field)
        }
        return number
    }

    /// ISO 8601, with or without fractional seconds (`2026-03-01T09:00:00Z`).
    static func date(_ value: String, field: String) throws -> Date {
        let text = value.trimmingCharacters(in: .whitespaces)
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
        if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
        throw DomainError.invalid("\(field) must be a date and time in ISO 8601 (such as 2026-03-01T09:00:00Z).", field: field)
    }

    func items(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let member = try APIAuth.member(context, scope: "read:statuses")
        let params = request.query
        let kind = try Self.itemKind(params["type"], field: "type")
        let limit = min(max(params["limit"].flatMap { Int($0) } ?? Self.defaultItemPage, 1), Pollen.maxListPageSize)
        let offset = max(params["offset"].flatMap { Int($0) } ?? 0, 0)
        let found = try await pollen.items(in: try Self.slug(context), kind: kind, limit: limit, offset: offset, viewer: .member(member))
        let base = publicURL.base(for: request)
        let view = found.community
        return JSONResponse.make(
            PollenItemPage(
                community: PollenCommunity(view.community, memberCount: view.memberCount, membership: view.viewerMembership, base: base),
                items: try await itemBodies(found.items.items, base: base, viewer: member), total: found.items.total,
                limit: limit, offset: offset))
    }

    func createItem(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let member = try APIAuth.member(context, scope: "write:statuses")
        let slug = try Self.slug(context)
        var request = request
        let form = try await request.formData(limit: ResourceDownload.bodyLimit(pollen.resourceRules))
        guard let kind = try Self.itemKind(form["type"], field: "type") else {
            throw DomainError.invalid("type must be thread, article, wiki or resource.", field: "type")
        }
        let draft = try Self.draft(form, over: ItemDraft(kind: kind, title: ""))
        let item = try await pollen.createItem(draft, in: slug, by: .member(member))
        // Its author opening it counts no view.
        let view = try await pollen.item(item.id, viewer: .member(member))
        return JSONResponse.make(PollenItemDetail(view, base: publicURL.base(for: request), viewer: member), status: .created)
    }

    /// Changes the fields sent; the others keep their values. `revision` is the revision the edit started from.
    func editItem(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let member = try APIAuth.member(context, scope: "write:statuses")
        let id = try Self.itemID(context)
        var request = request
        let form = try await request.formData(limit: ResourceDownload.bodyLimit(pollen.resourceRules))
        let basedOn = try form["revision"]?.nilIfEmpty.map { try Self.revisionNumber($0, field: "revision") }
        // Reading it first gives the values the fields not sent keep; that read is not the member opening it.
        let current = try await pollen.item(id, viewer: .member(member), countingView: false).item
        let kind = try Self.itemKind(form["type"], field: "type") ?? current.kind
        let base = ItemDraft(
            kind: kind, title: current.title, body: current.body, tags: current.tags, publish: current.state == .published,
            announcement: current.announcement)
        _ = try await pollen.editItem(id, try Self.draft(form, over: base), basedOn: basedOn, by: .member(member))
        let view = try await pollen.item(id, viewer: .member(member))
        return JSONResponse.make(PollenItemDetail(view, base: publicURL.base(for: request), viewer: member))
    }

    /// The item fields of a body laid over `base`. Tags may be a list or text separated by commas, semicolons
    /// or line breaks; a resource's file comes as the multipart part `file`.
    static func draft(_ form: FormData, over base: ItemDraft) throws -> ItemDraft {
        var draft = base
        if let value = form["title"] { draft.title = value }
        if let value = form["body"] { draft.body = value }
        if form.has("tags") { draft.tags = form.all("tags") }
        if let value = form["publish"] { draft.publish = try MastodonEndpoints.flag(value, field: "publish") }
        if let value = form["publish_at"]?.nilIfEmpty { draft.publishAt = try date(value, field: "publish_at") }
        if let value = form["announcement"] { draft.announcement = try MastodonEndpoints.flag(value, field: "announcement") }
        if let value = form["link"] { draft.link = value }
        if let value = form["note"] { draft.note = value }
        if let file = form.file("file") { draft.file = UploadedFile(name: file.filename, data: file.data) }
        return draft
    }

    /// Runs a change on an item and answers with the item as the member now sees it. Only actions that take
    /// fields read the body, so the others never answer for one they ignore.
    private func itemAction(
        _ request: Request, _ context: PollenRequestContext, readsBody: Bool = false,
        _ action: (CommunityItem.ID, Member, FormData) async throws -> Void
    ) async throws -> Response {
        let member = try APIAuth.member(context, scope: "write:statuses")
        let id = try Self.itemID(context)
        var request = request
        let form = readsBody ? try await request.formData(limit: Self.bodyLimit) : FormData()
        try await action(id, member, form)
        // Acting on an item counts as having opened it, as a client shows it before offering the action.
        let view = try await pollen.item(id, viewer: .member(member))
        return JSONResponse.make(PollenItemDetail(view, base: publicURL.base(for: request), viewer: member))
    }

    func itemBodies(_ summaries: [ItemSummary], base: String, viewer: Member) async throws -> [PollenItem] {
        let featuredBy = await featurers(summaries.map(\.item), viewer: viewer)
        return summaries.map { PollenItem($0, featuredBy: $0.item.feature.flatMap { featuredBy[$0.by] }, base: base, viewer: viewer) }
    }

    /// Who featured the items, for their handles. Few people feature (a community's managers and experts), so
    /// this is a handful of look-ups; one that fails (a suspended member) leaves the handle out.
    func featurers(_ items: [CommunityItem], viewer: Member) async -> [Member.ID: Member] {
        var found: [Member.ID: Member] = [:]
        for id in Set(items.compactMap(\.feature?.by)) {
            found[id] = try? await pollen.member(id: id, viewer: .member(viewer))
        }
        return found
    }
}

// MARK: - Entities

/// A value the API sends as JSON `null` when absent, where synthesized encoding would leave the key out: the
/// document promises every such field, so clients can tell "none" from an older server.
struct OrNull<Wrapped: Encodable>: Encodable {
    let value: Wrapped?

    init(_ value: Wrapped?) {
        self.value = value
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

struct PollenCommunity: Encodable {
    let id: String
    let slug: String
    let name: String
    let kind: String
    let purpose: String
    let guidelines: String
    let membership: String
    /// Active members; null where the core does not count them.
    let member_count: OrNull<Int>
    let viewer_role: OrNull<String>
    let viewer_state: OrNull<String>
    let created_at: String
    let updated_at: String
    let url: String

    init(_ community: Community, memberCount: Int?, membership: CommunityMember?, base: String) {
        id = community.id.description
        slug = community.slug
        name = community.name
        kind = community.kind.rawValue
        purpose = community.purpose
        guidelines = community.guidelines
        self.membership = community.membership.rawValue
        member_count = OrNull(memberCount)
        viewer_role = OrNull(membership?.role.rawValue)
        viewer_state = OrNull(membership?.state.rawValue)
        created_at = community.createdAt.mastodonTimestamp
        updated_at = community.updatedAt.mastodonTimestamp
        url = "\(base)/c/\(community.slug)"
    }
}

struct PollenCommunityPage: Encodable {
    let communities: [PollenCommunity]
    let total: Int
    let limit: Int
    let offset: Int
}

struct PollenCommunityList: Encodable {
    let communities: [PollenCommunity]
}

struct PollenCommunitySuggestion: Encodable {
    let community: PollenCommunity
    /// People of the viewer's department active in it.
    let colleagues: Int
    /// One of the viewer's subjects its content is about, when that is why it is suggested.
    let subject: OrNull<String>
}

struct PollenCommunitySuggestionList: Encodable {
    let suggestions: [PollenCommunitySuggestion]
}

/// A community with the viewer's place in it and the sections of its home page.
struct PollenCommunityDetail: Encodable {
    let community: PollenCommunity
    let following: Bool
    let notification_level: String?
    let followers: Int
    /// Only for those who manage the community.
    let pending_requests: Int?
    let may_read: Bool
    let may_contribute: Bool
    let may_manage: Bool
    let may_lead: Bool
    let featured: [PollenItem]
    let news: [PollenItem]
    let latest: [PollenItem]
    let popular: [PollenItem]
    /// Open discussions nobody has answered yet, the oldest first.
    let open_questions: [PollenItem]
    let new_members: [PollenProfile]
    let popular_members: [PollenProfile]
    let leaders: [PollenCommunityMember]

    enum CodingKeys: String, CodingKey {
        case following, notification_level, followers, pending_requests, may_read, may_contribute, may_manage, may_lead
        case featured, news, latest, popular, open_questions, new_members, popular_members, leaders
    }

    /// The community's own fields, then these, in one object.
    func encode(to encoder: any Encoder) throws {
        try community.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(following, forKey: .following)
        try container.encode(notification_level, forKey: .notification_level)  // null: neither a member nor a follower
        try container.encode(followers, forKey: .followers)
        try container.encode(pending_requests, forKey: .pending_requests)  // null: not a manager
        try container.encode(may_read, forKey: .may_read)
        try container.encode(may_contribute, forKey: .may_contribute)
        try container.encode(may_manage, forKey: .may_manage)
        try container.encode(may_lead, forKey: .may_lead)
        try container.encode(featured, forKey: .featured)
        try container.encode(news, forKey: .news)
        try container.encode(latest, forKey: .latest)
        try container.encode(popular, forKey: .popular)
        try container.encode(open_questions, forKey: .open_questions)
        try container.encode(new_members, forKey: .new_members)
        try container.encode(popular_members, forKey: .popular_members)
        try container.encode(leaders, forKey: .leaders)
    }
}

struct PollenCommunityFollowing: Encodable {
    let following: Bool
    let notification_level: String?

    enum CodingKeys: String, CodingKey { case following, notification_level }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(following, forKey: .following)
        try container.encode(notification_level, forKey: .notification_level)  // null: neither a member nor a follower
    }
}

/// Someone's place in a community.
struct PollenCommunityMember: Encodable {
    let account: PollenProfile
    let role: String
    let state: String
    let since: String

    init(_ membership: CommunityMember, member: Member, base: String, viewer: Member) {
        account = PollenProfile(member, base: base, viewer: viewer)
        role = membership.role.rawValue
        state = membership.state.rawValue
        since = membership.since.mastodonTimestamp
    }
}

struct PollenCommunityMemberList: Encodable {
    let members: [PollenCommunityMember]
    let state: String
    let limit: Int
    let offset: Int
}

/// An item as lists show it.
struct PollenItem: Encodable {
    struct CommunityLink: Encodable {
        let slug: String
        let name: String
        let url: String
    }
    struct Counts: Encodable {
        let views: Int
        let comments: Int
        let favourites: Int
        let ratings: Int
        let mean_rating: OrNull<Double>
    }
    struct Feature: Encodable {
        let note: String
        /// The handle of whoever featured it; null when their profile cannot be seen (suspended).
        let by: OrNull<String>
        let by_id: String
        let at: String
    }
    struct Resource: Encodable {
        let file_name: OrNull<String>
        let content_type: OrNull<String>
        let byte_size: Int
        let link: OrNull<String>
        /// Where the file is downloaded; null for a link.
        let url: OrNull<String>
    }

    let id: String
    let community: CommunityLink
    let type: String
    let title: String
    /// Markdown, as written.
    let body: String
    let tags: [String]
    let author: PollenProfile
    let state: String
    let published_at: OrNull<String>
    let pinned: Bool
    let closed: Bool
    let announcement: Bool
    let revision: Int
    let counts: Counts
    let featured: OrNull<Feature>
    let resource: OrNull<Resource>
    let created_at: String
    let updated_at: String
    let url: String
    /// Its place in "what's popular", only in that section of a community's home.
    let popularity: Double?

    init(
        _ item: CommunityItem, community: Community, author: Member, featuredBy: Member?, popularity: Double? = nil, base: String,
        viewer: Member
    ) {
        id = item.id.description
        self.community = CommunityLink(slug: community.slug, name: community.name, url: "\(base)/c/\(community.slug)")
        type = item.kind.rawValue
        title = item.title
        body = item.body
        tags = item.tags
        self.author = PollenProfile(author, base: base, viewer: viewer)
        state = item.state.rawValue
        published_at = OrNull(item.publishedAt?.mastodonTimestamp)
        pinned = item.pinned
        closed = item.closed
        announcement = item.announcement
        revision = item.revision
        counts = Counts(
            views: item.counts.views, comments: item.counts.comments, favourites: item.counts.favourites,
            ratings: item.counts.ratings, mean_rating: OrNull(item.counts.meanRating))
        featured = OrNull(item.feature.map {
            Feature(note: $0.note, by: OrNull(featuredBy?.handle), by_id: $0.by.description, at: $0.at.mastodonTimestamp)
        })
        resource = OrNull(item.resource.map {
            Resource(
                file_name: OrNull($0.fileName), content_type: OrNull($0.contentType), byte_size: $0.byteSize, link: OrNull($0.link),
                url: OrNull($0.storageKey == nil ? nil : "\(base)\(PollenEndpoints.prefix)/items/\(item.id)/file"))
        })
        created_at = item.createdAt.mastodonTimestamp
        updated_at = item.updatedAt.mastodonTimestamp
        url = "\(base)/c/\(community.slug)/items/\(item.id)"
        self.popularity = popularity
    }

    init(_ summary: ItemSummary, featuredBy: Member?, base: String, viewer: Member) {
        self.init(
            summary.item, community: summary.community, author: summary.author, featuredBy: featuredBy, popularity: summary.popularity,
            base: base, viewer: viewer)
    }
}

/// One item as its page shows it, with what the viewer did and may do.
struct PollenItemDetail: Encodable {
    let item: PollenItem
    /// The viewer's own stars.
    let rating: Int?
    let favourited: Bool
    let may_edit: Bool
    let may_comment: Bool
    let may_delete: Bool
    let may_lead: Bool

    init(_ view: ItemView, base: String, viewer: Member) {
        item = PollenItem(view.item, community: view.community, author: view.author, featuredBy: view.featuredBy, base: base, viewer: viewer)
        rating = view.viewerRating
        favourited = view.favourited
        may_edit = view.mayEdit
        may_comment = view.mayComment
        may_delete = view.mayDelete
        may_lead = view.mayLead
    }

    enum CodingKeys: String, CodingKey { case rating, favourited, may_edit, may_comment, may_delete, may_lead }

    /// The item's fields, then these, in one object.
    func encode(to encoder: any Encoder) throws {
        try item.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rating, forKey: .rating)  // null: not rated by the viewer
        try container.encode(favourited, forKey: .favourited)
        try container.encode(may_edit, forKey: .may_edit)
        try container.encode(may_comment, forKey: .may_comment)
        try container.encode(may_delete, forKey: .may_delete)
        try container.encode(may_lead, forKey: .may_lead)
    }
}

struct PollenItemPage: Encodable {
    let community: PollenCommunity
    let items: [PollenItem]
    let total: Int
    let limit: Int
    let offset: Int
}

struct PollenItemList: Encodable {
    let items: [PollenItem]
}

struct PollenComment: Encodable {
    let id: String
    let item_id: String
    let account: PollenProfile
    /// Markdown; empty once deleted.
    let body: String
    let deleted: Bool
    let may_delete: Bool
    let created_at: String
    let edited_at: OrNull<String>

    init(_ comment: CommunityComment, author: Member, mayDelete: Bool, base: String, viewer: Member) {
        id = comment.id.description
        item_id = comment.itemID.description
        account = PollenProfile(author, base: base, viewer: viewer)
        body = comment.body
        deleted = comment.deletedAt != nil
        may_delete = mayDelete
        created_at = comment.createdAt.mastodonTimestamp
        edited_at = OrNull(comment.editedAt?.mastodonTimestamp)
    }
}

struct PollenCommentList: Encodable {
    let comments: [PollenComment]
}

struct PollenRevision: Encodable {
    let number: Int
    let title: String
    let body: String
    let tags: [String]
    /// Null when the editor's profile cannot be seen any more.
    let author: OrNull<PollenProfile>
    let note: String
    let created_at: String

    init(_ revision: ItemRevision, author: Member?, base: String, viewer: Member) {
        number = revision.number
        title = revision.title
        body = revision.body
        tags = revision.tags
        self.author = OrNull(author.map { PollenProfile($0, base: base, viewer: viewer) })
        note = revision.note
        created_at = revision.createdAt.mastodonTimestamp
    }
}

struct PollenRevisionList: Encodable {
    let item: PollenItemDetail
    /// The newest first.
    let revisions: [PollenRevision]
}

struct PollenDiffLine: Encodable {
    let change: String
    let text: String
    let old_number: OrNull<Int>
    let new_number: OrNull<Int>

    init(_ line: TextDiff.Line) {
        change = line.change.rawValue
        text = line.text
        old_number = OrNull(line.oldNumber)
        new_number = OrNull(line.newNumber)
    }
}

struct PollenRevisionDiff: Encodable {
    let item_id: String
    let from: Int
    let to: Int
    let lines: [PollenDiffLine]
}
