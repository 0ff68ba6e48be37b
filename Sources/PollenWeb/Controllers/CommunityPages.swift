import Foundation
import Hummingbird
import PollenCore

/// Communities of practice on the web: the directory, a community's home, its members, and its content —
/// discussions, articles, wiki pages (with history) and resources.
struct CommunityPages {
    let pollen: Pollen
    let views: ViewRenderer
    static let pageSize = 20

    func addRoutes(to router: Router<PollenRequestContext>) {
        router.get("/communities") { request, context in try await directory(request, context) }
        router.get("/communities/new") { _, context in
            _ = try context.requireViewer()
            return communityForm(context, draft: CommunityDraft(slug: "", name: "", kind: .horizontal), slug: nil)
        }
        router.post("/communities") { _, context in
            let draft = Self.communityDraft(context.form)
            do {
                let made = try await pollen.createCommunity(draft, by: try context.requireActor())
                return Response.redirect(to: "/c/\(made.slug)", flash: "\(made.name) is open. You are its first manager.")
            } catch let error as DomainError where error.code == .invalidInput || error.code == .conflict {
                return communityForm(context, draft: draft, slug: nil, error: error)
            }
        }
        router.get("/c/{slug}") { _, context in try await home(context) }
        router.get("/c/{slug}/edit") { _, context in
            let slug = try Self.slug(context)
            let viewer = try context.requireViewer()
            let view = try await pollen.community(slug: slug, viewer: .member(viewer))
            try AccessPolicy.require(AccessPolicy.mayManage(view.community, membership: view.viewerMembership, by: viewer))
            let c = view.community
            return communityForm(
                context,
                draft: CommunityDraft(
                    slug: c.slug, name: c.name, kind: c.kind, purpose: c.purpose, guidelines: c.guidelines, membership: c.membership),
                slug: slug)
        }
        router.post("/c/{slug}/edit") { _, context in
            let slug = try Self.slug(context)
            let draft = Self.communityDraft(context.form)
            do {
                _ = try await pollen.updateCommunity(slug: slug, draft, by: try context.requireActor())
                return Response.redirect(to: "/c/\(slug)", flash: "Community saved.")
            } catch let error as DomainError where error.code == .invalidInput {
                return communityForm(context, draft: draft, slug: slug, error: error)
            }
        }
        let communityActions: [(String, @Sendable (Pollen, String, Actor, FormData) async throws -> String)] = [
            ("join", { pollen, slug, actor, _ in
                let membership = try await pollen.joinCommunity(slug: slug, by: actor)
                return membership.isActive ? "Welcome! You are a member now." : "Your request is with the managers."
            }),
            ("leave", { pollen, slug, actor, _ in
                try await pollen.leaveCommunity(slug: slug, by: actor)
                return "You are no longer in this community."
            }),
            ("follow", { pollen, slug, actor, _ in
                try await pollen.followCommunity(slug: slug, by: actor)
                return "You follow this community: its new content comes to your home timeline."
            }),
            ("unfollow", { pollen, slug, actor, _ in
                try await pollen.unfollowCommunity(slug: slug, by: actor)
                return "You no longer follow this community."
            }),
            ("notifications", { pollen, slug, actor, form in
                guard let level = form["level"].flatMap(CommunityNotificationLevel.init(rawValue:)) else {
                    throw DomainError.invalid("Choose muted, normal or watching.", field: "level")
                }
                try await pollen.setNotificationLevel(level, in: slug, by: actor)
                return "Notifications: \(level.rawValue)."
            }),
        ]
        for (name, action) in communityActions {
            router.post("/c/{slug}/\(name)") { _, context in
                let slug = try Self.slug(context)
                do {
                    let done = try await action(pollen, slug, try context.requireActor(), context.form ?? FormData())
                    return Response.redirect(to: "/c/\(slug)", flash: done)
                } catch let error as DomainError where error.code == .conflict || error.code == .invalidInput {
                    return Response.redirect(to: "/c/\(slug)", flash: error.message)
                }
            }
        }
        router.get("/c/{slug}/members") { _, context in try await members(context) }
        router.post("/c/{slug}/members") { _, context in try await decide(context) }
        router.get("/c/{slug}/items") { request, context in try await items(request, context) }
        router.get("/c/{slug}/new") { request, context in
            let slug = try Self.slug(context)
            let kind = request.query["type"].flatMap(CommunityItem.Kind.init(rawValue:)) ?? .thread
            return try await itemForm(context, slug: slug, draft: ItemDraft(kind: kind, title: ""), itemID: nil)
        }
        router.post("/c/{slug}/items") { _, context in try await create(context) }
        router.get("/c/{slug}/items/{id}") { _, context in try await show(context) }
        router.post("/c/{slug}/items/{id}/comments") { _, context in try await comment(context) }
        router.get("/c/{slug}/items/{id}/edit") { _, context in
            let (slug, id) = try Self.slugAndID(context)
            let view = try await pollen.item(id, viewer: try context.requireActor())
            try AccessPolicy.require(view.mayEdit)
            return try await itemForm(
                context, slug: slug, draft: Self.draft(of: view.item, now: pollen.time.now()), itemID: id, revision: view.item.revision)
        }
        router.post("/c/{slug}/items/{id}/edit") { _, context in try await saveEdit(context) }
        router.get("/c/{slug}/items/{id}/history") { request, context in try await history(request, context) }
        router.post("/c/{slug}/items/{id}/restore") { _, context in
            let (slug, id) = try Self.slugAndID(context)
            let form = context.form ?? FormData()
            guard let number = form["number"].flatMap(Int.init) else { throw DomainError.invalid("Choose a revision to restore.") }
            do {
                let item = try await pollen.restoreRevision(
                    number, of: id, basedOn: form["revision"].flatMap(Int.init), by: try context.requireActor())
                return Response.redirect(
                    to: "/c/\(slug)/items/\(id)", flash: "Revision \(number) restored as revision \(item.revision).")
            } catch let error as DomainError where error.code == .conflict {
                return Response.redirect(to: "/c/\(slug)/items/\(id)/history", flash: error.message)
            }
        }
        router.get("/c/{slug}/items/{id}/file") { _, context in
            let (_, id) = try Self.slugAndID(context)
            return ResourceDownload.response(try await pollen.resourceFile(id, viewer: try context.requireActor()))
        }
        let itemActions: [(String, @Sendable (Pollen, CommunityItem.ID, Actor, FormData) async throws -> String)] = [
            ("rate", { pollen, id, actor, form in
                guard let stars = form["stars"].flatMap(Int.init) else {
                    throw DomainError.invalid("Choose one to five stars.", field: "stars")
                }
                _ = try await pollen.rate(id, stars: stars, by: actor)
                return "Thank you: you gave it \(stars) star\(stars == 1 ? "" : "s")."
            }),
            ("favourite", { pollen, id, actor, form in
                let on = form.bool("on") ?? true
                _ = try await pollen.setItemFavourite(on, id, by: actor)
                return on ? "Added to your favourites." : "Removed from your favourites."
            }),
            ("feature", { pollen, id, actor, form in
                let on = form.bool("on") ?? true
                _ = try await pollen.feature(id, note: on ? (form["note"] ?? "") : nil, by: actor)
                return on ? "Featured on the community home." : "No longer featured."
            }),
            ("pin", { pollen, id, actor, form in
                let on = form.bool("on") ?? true
                _ = try await pollen.setThreadState(id, pinned: on, by: actor)
                return on ? "Pinned to the top." : "Unpinned."
            }),
            ("close", { pollen, id, actor, form in
                let on = form.bool("on") ?? true
                _ = try await pollen.setThreadState(id, closed: on, by: actor)
                return on ? "Closed: no more replies." : "Reopened for replies."
            }),
        ]
        for (name, action) in itemActions {
            router.post("/c/{slug}/items/{id}/\(name)") { _, context in
                let (slug, id) = try Self.slugAndID(context)
                do {
                    let done = try await action(pollen, id, try context.requireActor(), context.form ?? FormData())
                    return Response.redirect(to: "/c/\(slug)/items/\(id)", flash: done)
                } catch let error as DomainError where error.code == .conflict || error.code == .invalidInput {
                    return Response.redirect(to: "/c/\(slug)/items/\(id)", flash: error.message)
                }
            }
        }
        router.post("/c/{slug}/items/{id}/delete") { _, context in
            let (slug, id) = try Self.slugAndID(context)
            try await pollen.deleteItem(id, by: try context.requireActor())
            return Response.redirect(to: "/c/\(slug)", flash: "Deleted.")
        }
        router.post("/c/{slug}/comments/{id}/delete") { _, context in
            let slug = try Self.slug(context)
            guard let raw = context.parameters.get("id"), let id = CommunityComment.ID(string: raw) else {
                throw DomainError.notFound("Comment")
            }
            try await pollen.deleteComment(id, by: try context.requireActor())
            let back = AccountPages.safeNext(context.form?["next"], fallback: "/c/\(slug)")
            return Response.redirect(to: back, flash: "Comment removed.")
        }
    }

    // MARK: - Directory and community

    func directory(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let viewer = try context.requireViewer()
        let text = request.query["q"] ?? ""
        let kind = request.query["kind"].flatMap(Community.Kind.init(rawValue:))
        let pageNumber = request.query.pageNumber
        let found = try await pollen.communities(
            CommunityQuery(text: text, kind: kind, visibleTo: viewer.id, limit: Self.pageSize, offset: (pageNumber - 1) * Self.pageSize),
            viewer: .member(viewer))
        let mine = try await pollen.myCommunities(viewer: .member(viewer))
        let suggestions = try await pollen.suggestedCommunities(viewer: .member(viewer))
        let department = viewer.profile.department
        var query = "q=\(text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        if let kind { query += "&kind=\(kind.rawValue)" }
        let page = CommunitiesPage(
            layout: Layout(title: "Communities", context: context), query: text,
            kinds: [CommunitiesPage.KindOption(value: "", label: "Every kind", selected: kind == nil)]
                + Community.Kind.allCases.map { .init(value: $0.rawValue, label: CommunityCard.kindLabel($0), selected: $0 == kind) },
            results: found.items.map { CommunityCard($0.community, members: $0.memberCount, standing: $0.viewerMembership) },
            hasResults: !found.items.isEmpty, searched: !text.isEmpty || kind != nil,
            mine: mine.map { CommunityCard($0.community, members: 0, standing: $0.membership) }, hasMine: !mine.isEmpty,
            suggestions: suggestions.map { suggestion in
                CommunityCard(
                    suggestion.community, members: suggestion.members,
                    reason: suggestion.colleagues > 0
                        ? "\(suggestion.colleagues) \(suggestion.colleagues == 1 ? "person" : "people") of \(department) \(suggestion.colleagues == 1 ? "is" : "are") in it"
                        : nil)
            },
            hasSuggestions: !suggestions.isEmpty,
            nextURL: found.total > pageNumber * Self.pageSize ? "/communities?\(query)&page=\(pageNumber + 1)" : nil)
        return views.response(page, template: "communities")
    }

    func home(_ context: PollenRequestContext) async throws -> Response {
        let viewer = try context.requireViewer()
        let home = try await pollen.communityHome(slug: try Self.slug(context), viewer: .member(viewer))
        let community = home.community.community
        let membership = home.community.viewerMembership
        let now = pollen.time.now()
        let cards = { (list: [ItemSummary]) in list.map { ItemCard($0, now: now) } }
        let people = { (list: [Member]) in list.map { PersonLink(name: $0.profile.displayName, handle: $0.handle, note: nil) } }
        let isMember = membership?.isActive == true
        let page = CommunityHomePage(
            layout: Layout(title: community.name, context: context), slug: community.slug, name: community.name,
            kind: CommunityCard.kindLabel(community.kind), membership: CommunityCard.membershipLabel(community.membership),
            purposeHTML: PostRenderer.html(community.purpose, mentions: [], document: true),
            guidelinesHTML: PostRenderer.html(community.guidelines, mentions: [], document: true),
            members: home.community.memberCount == 1 ? "1 member" : "\(home.community.memberCount) members",
            followers: home.followers > 0 ? "\(home.followers) following" : nil,
            standing: membership.map(CommunityCard.standingLabel),
            mayRead: home.mayRead,
            mayJoin: membership == nil || membership?.state == .invited,
            joinLabel: membership?.state == .invited
                ? "Accept the invitation" : community.membership == .open ? "Join" : "Ask to join",
            mayLeave: membership != nil,
            leaveLabel: membership?.state == .requested ? "Withdraw request" : membership?.state == .invited ? "Decline" : "Leave",
            mayFollow: community.membership == .open && !isMember, following: home.viewerFollows,
            levels: CommunityNotificationLevel.allCases.map {
                .init(value: $0.rawValue, label: Self.levelLabel($0), selected: $0 == home.viewerLevel)
            },
            hasLevels: home.viewerLevel != nil,
            mayContribute: home.mayContribute, mayManage: home.mayManage,
            pendingRequests: home.pendingRequests > 0
                ? "\(home.pendingRequests) \(home.pendingRequests == 1 ? "person asks" : "people ask") to join" : nil,
            featured: cards(home.featured), news: cards(home.news), latest: cards(home.latest), popular: cards(home.popular),
            openQuestions: cards(home.openQuestions), hasOpenQuestions: !home.openQuestions.isEmpty,
            questions: home.unansweredQuestions.map { QuestionCard($0.question, author: $0.author) },
            hasQuestions: !home.unansweredQuestions.isEmpty,
            hasFeatured: !home.featured.isEmpty, hasNews: !home.news.isEmpty, hasLatest: !home.latest.isEmpty,
            hasPopular: !home.popular.isEmpty,
            newMembers: people(home.newMembers), popularMembers: people(home.popularMembers),
            leaders: home.leaders.map {
                PersonLink(
                    name: $0.member.profile.displayName, handle: $0.member.handle,
                    note: $0.membership.role == .manager ? "Manager" : "Subject-matter expert")
            },
            hasPopularMembers: !home.popularMembers.isEmpty,
            maySeeValue: home.mayRead && AccessPolicy.maySeeValue(of: community, membership: membership, viewer: viewer))
        return views.response(page, template: "community")
    }

    static func levelLabel(_ level: CommunityNotificationLevel) -> String {
        switch level {
        case .muted: "Muted: only what is addressed to me"
        case .normal: "Normal: replies to me, news, my content featured"
        case .watching: "Watching: also every new item"
        }
    }

    func communityForm(_ context: PollenRequestContext, draft: CommunityDraft, slug: String?, error: DomainError? = nil) -> Response {
        let choices = CommunityFormPage.choices(draft)
        let heading = slug == nil ? "Start a community" : "Edit \(draft.name)"
        let page = CommunityFormPage(
            layout: Layout(title: heading, context: context), heading: heading,
            action: slug.map { "/c/\($0)/edit" } ?? "/communities", editing: slug != nil, slug: draft.slug, name: draft.name,
            purpose: draft.purpose, guidelines: draft.guidelines, kinds: choices.kinds, memberships: choices.memberships,
            formError: error?.message, errorField: error?.field, cancelURL: slug.map { "/c/\($0)" } ?? "/communities")
        return views.response(page, template: "community_form", status: error.map { ErrorMiddleware.status($0.code) } ?? .ok)
    }

    static func communityDraft(_ form: FormData?) -> CommunityDraft {
        CommunityDraft(
            slug: form?["slug"] ?? "", name: form?["name"] ?? "",
            kind: form?["kind"].flatMap(Community.Kind.init(rawValue:)) ?? .interest,
            purpose: form?["purpose"] ?? "", guidelines: form?["guidelines"] ?? "",
            membership: form?["membership"].flatMap(Community.Membership.init(rawValue:)) ?? .open)
    }

    func members(_ context: PollenRequestContext, error: DomainError? = nil) async throws -> Response {
        let viewer = try context.requireViewer()
        let slug = try Self.slug(context)
        // The community and the viewer's place in it are all this page needs, not the whole home.
        let view = try await pollen.community(slug: slug, viewer: .member(viewer))
        let mayManage = AccessPolicy.mayManage(view.community, membership: view.viewerMembership, by: viewer)
        let active = try await pollen.communityMembers(slug: slug, viewer: .member(viewer))
        var requests: [(membership: CommunityMember, member: Member)] = []
        var invitations: [(membership: CommunityMember, member: Member)] = []
        if mayManage {
            requests = try await pollen.communityMembers(slug: slug, state: .requested, viewer: .member(viewer))
            invitations = try await pollen.communityMembers(slug: slug, state: .invited, viewer: .member(viewer))
        }
        let rows = { (list: [(membership: CommunityMember, member: Member)]) in
            list.map {
                CommunityMembersPage.Row(
                    name: $0.member.profile.displayName, handle: $0.member.handle, role: CommunityCard.standingLabel($0.membership),
                    since: $0.membership.since.formatted(date: .abbreviated, time: .omitted),
                    isManager: $0.membership.role == .manager, isSME: $0.membership.role == .sme, isMember: $0.membership.role == .member)
            }
        }
        let page = CommunityMembersPage(
            layout: Layout(title: "Members of \(view.community.name)", context: context), slug: slug,
            name: view.community.name, members: rows(active), requests: rows(requests), invitations: rows(invitations),
            hasRequests: !requests.isEmpty, hasInvitations: !invitations.isEmpty, mayManage: mayManage,
            formError: error?.message)
        return views.response(page, template: "community_members", status: error.map { ErrorMiddleware.status($0.code) } ?? .ok)
    }

    func decide(_ context: PollenRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let slug = try Self.slug(context)
        let form = context.form ?? FormData()
        do {
            let handle = (form["handle"] ?? "").trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "@"))
            guard !handle.isEmpty else { throw DomainError.invalid("Give the person's handle.", field: "handle") }
            let target = try await pollen.profile(handle: handle, viewer: actor)
            let decision: Pollen.CommunityDecision
            switch form["action"] {
            case "approve": decision = .approve
            case "invite": decision = .invite
            case "remove": decision = .remove
            case "role":
                guard let role = form["role"].flatMap(CommunityMember.Role.init(rawValue:)) else {
                    throw DomainError.invalid("Choose member, sme or manager.", field: "role")
                }
                decision = .role(role)
            default: throw DomainError.invalid("Choose what to do.")
            }
            try await pollen.decide(decision, about: target.id, in: slug, by: actor)
            let done = switch decision {
            case .approve: "@\(target.handle) is a member now."
            case .invite: "@\(target.handle) is invited."
            case .remove: "@\(target.handle) is no longer in the community."
            case .role(let role): "@\(target.handle) is now \(role == .sme ? "a subject-matter expert" : role == .manager ? "a manager" : "a member")."
            }
            return Response.redirect(to: "/c/\(slug)/members", flash: done)
        } catch let error as DomainError where error.code == .invalidInput || error.code == .conflict || error.code == .notFound {
            if error.code == .notFound, error.message != DomainError.notFound("Member").message { throw error }
            return try await members(context, error: error)
        }
    }

    // MARK: - Items

    func items(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let viewer = try context.requireViewer()
        let slug = try Self.slug(context)
        let kind = request.query["type"].flatMap(CommunityItem.Kind.init(rawValue:))
        let pageNumber = request.query.pageNumber
        let (community, found) = try await pollen.items(
            in: slug, kind: kind, limit: Self.pageSize, offset: (pageNumber - 1) * Self.pageSize, viewer: .member(viewer))
        let now = pollen.time.now()
        let plural: [CommunityItem.Kind: String] = [.thread: "Discussions", .article: "Articles", .wiki: "Wiki", .resource: "Resources"]
        let tabs = [CommunityItemsPage.Tab(label: "Everything", url: "/c/\(slug)/items", current: kind == nil)]
            + CommunityItem.Kind.allCases.map { .init(label: plural[$0] ?? "", url: "/c/\(slug)/items?type=\($0.rawValue)", current: $0 == kind) }
        let page = CommunityItemsPage(
            layout: Layout(title: "\(kind.flatMap { plural[$0] } ?? "Everything") · \(community.community.name)", context: context),
            slug: slug, name: community.community.name, heading: kind.flatMap { plural[$0] } ?? "Everything", tabs: tabs,
            items: found.items.map { ItemCard($0, now: now) }, hasItems: !found.items.isEmpty,
            mayContribute: AccessPolicy.mayContribute(to: community.community, membership: community.viewerMembership, by: viewer),
            newURL: "/c/\(slug)/new?type=\((kind ?? .thread).rawValue)", newLabel: "New \((kind ?? .thread).noun)",
            nextURL: found.total > pageNumber * Self.pageSize
                ? "/c/\(slug)/items?\(kind.map { "type=\($0.rawValue)&" } ?? "")page=\(pageNumber + 1)" : nil)
        return views.response(page, template: "community_items")
    }

    func create(_ context: PollenRequestContext) async throws -> Response {
        let slug = try Self.slug(context)
        let draft = try Self.itemDraft(context.form, kind: nil)
        do {
            let item = try await pollen.createItem(draft, in: slug, by: try context.requireActor())
            let done = item.state == .draft ? "Draft saved: only you and the managers see it."
                : item.withholding != nil ? "Thank you — it is held for review and will appear once a moderator approves it." : "Published."
            return Response.redirect(to: "/c/\(slug)/items/\(item.id)", flash: done)
        } catch let error as DomainError where error.code == .invalidInput {
            return try await itemForm(context, slug: slug, draft: draft, itemID: nil, error: error)
        }
    }

    func saveEdit(_ context: PollenRequestContext) async throws -> Response {
        let (slug, id) = try Self.slugAndID(context)
        let actor = try context.requireActor()
        let current = try await pollen.item(id, viewer: actor)
        let draft = try Self.itemDraft(context.form, kind: current.item.kind)
        let basedOn = context.form?["revision"].flatMap(Int.init)
        do {
            _ = try await pollen.editItem(id, draft, basedOn: basedOn, by: actor)
            return Response.redirect(to: "/c/\(slug)/items/\(id)", flash: "Saved.")
        } catch let error as DomainError where error.code == .invalidInput || error.code == .conflict {
            // On a conflict the form comes back with the editor's text and the text as saved meanwhile,
            // based on the newest revision, so a second save is deliberate.
            let latest = error.code == .conflict ? try await pollen.item(id, viewer: actor).item : nil
            return try await itemForm(
                context, slug: slug, draft: draft, itemID: id, revision: latest?.revision ?? basedOn, error: error,
                conflictBody: latest.map { "# \($0.title)\n\n\($0.body)" })
        }
    }

    func itemForm(
        _ context: PollenRequestContext, slug: String, draft: ItemDraft, itemID: CommunityItem.ID?, revision: Int? = nil,
        error: DomainError? = nil, conflictBody: String? = nil
    ) async throws -> Response {
        let viewer = try context.requireViewer()
        let view = try await pollen.community(slug: slug, viewer: .member(viewer))
        if itemID == nil {
            try AccessPolicy.require(AccessPolicy.mayContribute(to: view.community, membership: view.viewerMembership, by: viewer))
        }
        let noun = draft.kind.noun
        let heading = itemID == nil ? "New \(noun)" : "Edit \(noun)"
        let page = ItemFormPage(
            layout: Layout(title: heading, context: context), heading: heading,
            action: itemID.map { "/c/\(slug)/items/\($0)/edit" } ?? "/c/\(slug)/items", slug: slug,
            communityName: view.community.name, kindKey: draft.kind.rawValue, kindLabel: noun, editing: itemID != nil,
            title: draft.title, body: draft.body, tags: draft.tags.joined(separator: " "), isArticle: draft.kind == .article,
            isResource: draft.kind == .resource, isWiki: draft.kind == .wiki,
            mayAnnounce: AccessPolicy.mayManage(view.community, membership: view.viewerMembership, by: viewer),
            announcement: draft.announcement,
            publishAt: draft.publishAt.map { Self.localInput.string(from: $0) } ?? "", published: draft.publish,
            link: draft.link ?? "", revision: revision, note: draft.note,
            maxMB: "\(pollen.resourceRules.maxBytes / (1024 * 1024)) MB", formError: error?.message, errorField: error?.field,
            conflictBody: conflictBody, cancelURL: itemID.map { "/c/\(slug)/items/\($0)" } ?? "/c/\(slug)")
        return views.response(page, template: "item_form", status: error.map { ErrorMiddleware.status($0.code) } ?? .ok)
    }

    /// `datetime-local` inputs carry no zone; Pollen reads and writes them in UTC, as the page says.
    static let localInput: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm"
        return formatter
    }()

    static func itemDraft(_ form: FormData?, kind fixed: CommunityItem.Kind?) throws -> ItemDraft {
        let kind = fixed ?? form?["type"].flatMap(CommunityItem.Kind.init(rawValue:)) ?? .thread
        var publishAt: Date?
        if let raw = form?["publish_at"], !raw.isEmpty {
            guard let date = localInput.date(from: raw) ?? ISO8601DateFormatter().date(from: raw) else {
                throw DomainError.invalid("The publish time is not a date and time.", field: "publish_at")
            }
            publishAt = date
        }
        return ItemDraft(
            kind: kind, title: form?["title"] ?? "", body: form?["body"] ?? "",
            tags: (form?["tags"] ?? "").split(whereSeparator: { $0 == "," || $0.isWhitespace }).map(String.init),
            // "Save as draft" sends draft=1; everything else publishes.
            publish: form?["draft"] == nil, publishAt: publishAt, announcement: form?.bool("announcement") ?? false,
            link: form?["link"], file: form?.file("file").flatMap { $0.data.isEmpty ? nil : UploadedFile(name: $0.filename, data: $0.data) },
            note: form?["note"] ?? "")
    }

    static func draft(of item: CommunityItem, now: Date) -> ItemDraft {
        ItemDraft(
            kind: item.kind, title: item.title, body: item.body, tags: item.tags, publish: item.state == .published,
            publishAt: item.state == .published && (item.publishedAt ?? .distantPast) > now ? item.publishedAt : nil,
            announcement: item.announcement, link: item.resource?.link)
    }

    func show(_ context: PollenRequestContext, commentText: String = "", error: DomainError? = nil) async throws -> Response {
        let viewer = try context.requireViewer()
        let (slug, id) = try Self.slugAndID(context)
        let view = try await pollen.item(id, viewer: .member(viewer))
        guard view.community.slug == slug else { return .redirect(to: "/c/\(view.community.slug)/items/\(id)") }
        let comments = try await pollen.comments(on: id, viewer: .member(viewer))
        let item = view.item
        let now = pollen.time.now()
        let shown = item.publishedAt ?? item.createdAt
        let type = item.resource?.contentType ?? ""
        let ref = ContentRef(.item, item.id.rawValue)
        let value = try await pollen.valueContext(for: [ref], viewer: .member(viewer))[ref]
        var page = ItemPage(
            layout: Layout(title: item.title, context: context), id: item.id.description, itemID: item.id.description, slug: slug,
            communityName: view.community.name, kind: item.kind.noun.prefix(1).uppercased() + item.kind.noun.dropFirst(),
            kindKey: item.kind.rawValue, title: item.title,
            html: PostRenderer.html(item.body, mentions: [], document: true), tags: item.tags,
            authorName: view.author.profile.displayName, authorHandle: view.author.handle,
            time: shown.formatted(date: .abbreviated, time: .shortened), timeISO: shown.ISO8601Format(),
            updated: item.revision > 1 ? "revision \(item.revision), \(item.updatedAt.formatted(date: .abbreviated, time: .shortened))" : nil,
            revision: item.revision, draft: item.state == .draft,
            scheduled: item.state == .published && shown > now ? "Scheduled: published to the community \(shown.formatted(date: .abbreviated, time: .shortened))." : nil,
            pinned: item.pinned, closed: item.closed, isThread: item.kind == .thread, isWiki: item.kind == .wiki,
            announcement: item.announcement, featureNote: item.feature.map { $0.note },
            featuredBy: view.featuredBy?.profile.displayName,
            views: ItemCard.count(item.counts.views, "view", "views"),
            favourites: ItemCard.count(item.counts.favourites, "favourite", "favourites"),
            ratingText: item.counts.meanRating.map {
                String(format: "%.1f out of 5 from %d rating%@", $0, item.counts.ratings, item.counts.ratings == 1 ? "" : "s")
            } ?? "Not rated yet",
            stars: (1...5).map { ItemPage.Star(value: $0, checked: $0 == view.viewerRating) },
            viewerRated: view.viewerRating != nil, favourited: view.favourited,
            mayRate: view.isMember && item.authorID != viewer.id && item.isLive(at: now), mayEdit: view.mayEdit,
            mayLead: view.mayLead && item.isLive(at: now), mayDelete: view.mayDelete, mayComment: view.mayComment && item.isLive(at: now),
            mayClose: item.kind == .thread && (view.mayLead || (item.authorID == viewer.id && view.isMember)),
            resourceURL: item.resource?.storageKey != nil ? "/c/\(slug)/items/\(id)/file" : nil,
            resourceName: item.resource?.fileName, resourceSize: item.resource.flatMap { $0.storageKey == nil ? nil : Pollen.megabytes($0.byteSize) },
            resourceLink: item.resource?.link,
            audio: type.hasPrefix("audio/"), video: type.hasPrefix("video/"),
            comments: comments.map { comment in
                ItemPage.Comment(
                    id: comment.comment.id.description, authorName: comment.author.profile.displayName,
                    authorHandle: comment.author.handle,
                    html: comment.comment.deletedAt == nil ? PostRenderer.html(comment.comment.body, mentions: []) : "",
                    time: comment.comment.createdAt.formatted(date: .abbreviated, time: .shortened),
                    timeISO: comment.comment.createdAt.ISO8601Format(), deleted: comment.comment.deletedAt != nil,
                    mayDelete: comment.mayDelete, mayFlag: comment.author.id != viewer.id && comment.comment.deletedAt == nil)
            },
            commentsHeading: item.kind == .thread
                ? (comments.count == 1 ? "1 reply" : "\(comments.count) replies")
                : (comments.count == 1 ? "1 comment" : "\(comments.count) comments"),
            commentText: commentText, formError: error?.message,
            withheld: QuestionPages.withheldText(item.withholding), health: item.health?.label,
            reviewed: item.reviewedAt.map { "Reviewed \($0.formatted(date: .abbreviated, time: .omitted))" },
            mayReview: view.mayLead && (item.kind == .article || item.kind == .wiki) && item.isLive(at: now),
            mayFlag: item.authorID != viewer.id)
        page.value = ValueBlock(
            target: ref, next: "/c/\(slug)/items/\(id)",
            mayMark: item.isLive(at: now) && AccessPolicy.mayMarkUseful(authoredBy: item.authorID, by: viewer), context: value)
        return views.response(page, template: "item", status: error.map { ErrorMiddleware.status($0.code) } ?? .ok)
    }

    func comment(_ context: PollenRequestContext) async throws -> Response {
        let (slug, id) = try Self.slugAndID(context)
        let text = context.form?["body"] ?? ""
        do {
            let comment = try await pollen.comment(on: id, body: text, by: try context.requireActor())
            return Response.redirect(
                to: "/c/\(slug)/items/\(id)#comment-\(comment.id)", flash: comment.withholding != nil ? "Thank you — it is held for review and will appear once a moderator approves it." : "Comment posted.")
        } catch let error as DomainError where error.code == .invalidInput || error.code == .conflict {
            return try await show(context, commentText: text, error: error)
        }
    }

    func history(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let viewer = try context.requireViewer()
        let (slug, id) = try Self.slugAndID(context)
        let (view, revisions) = try await pollen.revisions(of: id, viewer: .member(viewer))
        let current = view.item.revision
        let from = request.query["from"].flatMap(Int.init)
        let to = request.query["to"].flatMap(Int.init)
        var diff: [ItemHistoryPage.DiffLine] = []
        var counts = (added: 0, removed: 0)
        var comparing = false
        if let from, let to, from != to {
            let compared = try await pollen.compareRevisions(of: id, from, to, viewer: .member(viewer))
            comparing = true
            counts = TextDiff.summary(compared.lines)
            for hunk in TextDiff.hunks(compared.lines) {
                if !diff.isEmpty { diff.append(.init(sign: "…", cls: "gap", text: "", oldNumber: "", newNumber: "")) }
                diff += hunk.map { line in
                    ItemHistoryPage.DiffLine(
                        sign: line.change == .added ? "+" : line.change == .removed ? "−" : " ",
                        cls: line.change.rawValue, text: line.text,
                        oldNumber: line.oldNumber.map(String.init) ?? "", newNumber: line.newNumber.map(String.init) ?? "")
                }
            }
        }
        let page = ItemHistoryPage(
            layout: Layout(title: "History of \(view.item.title)", context: context), id: id.description, slug: slug,
            title: view.item.title,
            rows: revisions.map { entry in
                ItemHistoryPage.Row(
                    number: entry.revision.number, authorName: entry.author?.profile.displayName ?? "Someone",
                    authorHandle: entry.author?.handle ?? "", time: entry.revision.createdAt.formatted(date: .abbreviated, time: .shortened),
                    note: entry.revision.note, current: entry.revision.number == current,
                    previous: entry.revision.number > 1 ? entry.revision.number - 1 : nil)
            },
            mayEdit: view.mayEdit, currentRevision: current, comparing: comparing,
            fromNumber: min(from ?? 0, to ?? 0), toNumber: max(from ?? 0, to ?? 0),
            added: ItemCard.count(counts.added, "line", "lines"), removed: ItemCard.count(counts.removed, "line", "lines"),
            diff: diff, hasChanges: !diff.isEmpty)
        return views.response(page, template: "item_history")
    }

    // MARK: - Parameters

    static func slug(_ context: PollenRequestContext) throws -> String {
        guard let slug = context.parameters.get("slug"), !slug.isEmpty else { throw DomainError.notFound("Community") }
        return slug.lowercased()
    }

    static func slugAndID(_ context: PollenRequestContext) throws -> (String, CommunityItem.ID) {
        guard let raw = context.parameters.get("id"), let id = CommunityItem.ID(string: raw) else {
            throw DomainError.notFound("Item")
        }
        return (try slug(context), id)
    }
}
