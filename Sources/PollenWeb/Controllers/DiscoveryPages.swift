import Foundation
import Hummingbird
import PollenCore

/// Finding people: suggestions, "follow who they follow" and "people who follow them", who's new and
/// popular, the unfollow review, and the privacy of one's own network.
struct DiscoveryPages {
    let pollen: Pollen
    let views: ViewRenderer
    let trends: TrendCache
    static let suggestionCount = 20

    func addRoutes(to router: Router<PollenRequestContext>) {
        router.get("/discover") { _, context in try await discover(context) }
        router.post("/suggestions/{handle}/dismiss") { _, context in
            let actor = try context.requireActor()
            let target = try await pollen.profile(handle: context.parameters.get("handle") ?? "", viewer: actor)
            try await pollen.dismissSuggestion(target.id, by: actor)
            let next = AccountPages.safeNext(context.form?["next"], fallback: "/discover")
            return Response.redirect(to: next, flash: "We will not suggest @\(target.handle) again.")
        }
        router.post("/network/follow") { _, context in try await bulk(context, follow: true) }
        router.post("/network/unfollow") { _, context in try await bulk(context, follow: false) }
        router.get("/@{handle}/network/following") { _, context in try await pick(context, followers: false) }
        router.get("/@{handle}/network/followers") { _, context in try await pick(context, followers: true) }
        router.get("/network/review") { _, context in try await review(context) }
        router.get("/explore") { request, context in try await explore(request, context) }
        router.get("/settings/privacy") { _, context in try await privacyPage(context, member: try context.requireViewer()) }
        router.post("/settings/privacy") { _, context in try await savePrivacy(context) }
    }

    func discover(_ context: PollenRequestContext) async throws -> Response {
        let viewer = try context.requireViewer()
        let suggestions = try await pollen.suggestions(for: .member(viewer), limit: Self.suggestionCount)
        let progress = try await pollen.onboarding(for: .member(viewer))
        let page = DiscoverPage(
            layout: Layout(title: "Discover people", context: context),
            suggestions: PickForm(
                action: "/network/follow", submitLabel: "Follow selected", next: "/discover",
                people: suggestions.map(PickPerson.suggestion),
                emptyText: "No suggestions yet. Follow a few people or hashtags (see who's popular, or the member directory), and suggestions will follow from them."),
            onboardingPrompt: Self.guidePrompt(progress))
        return views.response(page, template: "discover")
    }

    /// Where the member stands in the getting-started guide; nothing once they finished it. A skipped guide
    /// is offered again here, as the notice on skipping promises.
    static func guidePrompt(_ progress: OnboardingProgress?) -> String? {
        guard let progress else { return "New here? The getting-started guide builds your network in a few minutes." }
        if progress.finishedAt != nil { return nil }
        if progress.skippedAt != nil {
            return "You left the getting-started guide at step \(progress.step). Pick it up again whenever you like."
        }
        return "You are on step \(progress.step) of the getting-started guide."
    }

    /// Follows or unfollows the ticked people (`ids`), then goes back to `next`.
    func bulk(_ context: PollenRequestContext, follow: Bool) async throws -> Response {
        let actor = try context.requireActor()
        let form = context.form ?? FormData()
        let next = AccountPages.safeNext(form["next"], fallback: follow ? "/discover" : "/network/review")
        let ids = form.all("ids").compactMap(Member.ID.init(string:))
        do {
            let result = follow
                ? try await pollen.followMembers(ids, by: actor) : try await pollen.unfollowMembers(ids, by: actor)
            if let step = form["onboarding_step"].flatMap(Int.init).flatMap(OnboardingStep.init(rawValue:)), let nextStep = step.next {
                try await pollen.moveOnboarding(to: nextStep, by: actor)
            }
            return Response.redirect(to: next, flash: Self.summary(result, follow: follow))
        } catch let error as DomainError where error.code == .invalidInput {
            // Nothing ticked: say so where the list is.
            return Response.redirect(to: next, flash: error.message)
        }
    }

    static func summary(_ result: BulkFollowResult, follow: Bool) -> String {
        let count = result.changed.count
        let people = count == 1 ? "1 person" : "\(count) people"
        var text = follow ? "You now follow \(people)." : "You unfollowed \(people)."
        if count == 0 { text = follow ? "You already follow everyone you chose." : "You did not follow anyone you chose." }
        if result.skipped > 0, count > 0 { text += " \(result.skipped) skipped (already so, or not possible)." }
        return text
    }

    func pick(_ context: PollenRequestContext, followers: Bool) async throws -> Response {
        let viewer = try context.requireViewer()
        let owner = try await pollen.profile(handle: context.parameters.get("handle") ?? "", viewer: .member(viewer))
        let name = owner.profile.displayName
        let heading = followers ? "People who follow \(name)" : "Follow who \(name) follows"
        let here = "/@\(owner.handle)/network/\(followers ? "followers" : "following")"
        let listing: NetworkListing
        do {
            listing = try await pollen.networkListing(of: owner.id, followers: followers, viewer: .member(viewer))
        } catch let error as DomainError where error.code == .forbidden {
            let page = NetworkPickPage(
                layout: Layout(title: heading, context: context), heading: heading, intro: "", backURL: "/@\(owner.handle)",
                backLabel: "Back to \(name)", form: nil, privateText: error.message, truncatedText: nil)
            return views.response(page, template: "network_pick", status: .forbidden)
        }
        let people = listing.entries.map { entry in
            PickPerson(entry.member, following: entry.followedByViewer, selectable: entry.canFollow && !entry.followedByViewer)
        }
        let page = NetworkPickPage(
            layout: Layout(title: heading, context: context), heading: heading,
            intro: followers
                ? "Tick the people you want to follow and follow them in one step. People you follow already are marked."
                : "\(name) follows these people. Tick the ones you want to follow too and follow them in one step.",
            backURL: "/@\(owner.handle)", backLabel: "Back to \(name)",
            form: PickForm(
                action: "/network/follow", submitLabel: "Follow selected", next: here, people: people,
                emptyText: followers ? "Nobody follows \(name) yet." : "\(name) follows nobody yet."),
            privateText: nil,
            truncatedText: listing.truncated
                ? "Showing the \(Pollen.maxBulkFollows) most recent; the full list is on the profile." : nil)
        return views.response(page, template: "network_pick")
    }

    func review(_ context: PollenRequestContext) async throws -> Response {
        let viewer = try context.requireViewer()
        let candidates = try await pollen.unfollowCandidates(for: .member(viewer))
        let people = candidates.map { candidate in
            PickPerson(candidate.member, reasons: candidate.reasons.map(Self.text), following: true)
        }
        let page = UnfollowReviewPage(
            layout: Layout(title: "Review whom you follow", context: context),
            form: PickForm(
                action: "/network/unfollow", submitLabel: "Unfollow selected", next: "/network/review", people: people,
                emptyText: "Nothing to review: everyone you follow has posted lately, and you read what they share."))
        return views.response(page, template: "unfollow_review")
    }

    static func text(_ reason: UnfollowCandidate.Reason) -> String {
        switch reason {
        case .neverEngaged(let since):
            "Followed since \(since.formatted(date: .abbreviated, time: .omitted)); you have not opened, favourited, reshared or replied to any of their posts"
        case .quiet(let last):
            last.map { "Quiet: last posted \($0.formatted(date: .abbreviated, time: .omitted))" } ?? "Quiet: has never posted"
        }
    }

    func explore(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let viewer = try context.requireViewer()
        let department = request.query["department"] ?? ""
        let checked = try Pollen.exploreDepartment(department)
        let snapshot = try await trends.snapshot(department: checked, now: pollen.time.now()) {
            try await pollen.trendSnapshot(department: checked)
        }
        async let overview = pollen.explore(snapshot, viewer: .member(viewer))
        async let facets = pollen.directoryFacets()
        let (found, choices) = try await (overview, facets)
        let here = request.uri.description
        let newcomers = try await PersonCard.cards(found.newMembers, viewer: viewer, pollen: pollen, next: here)
        let popular = try await PersonCard.cards(found.popularPeople.map(\.member), viewer: viewer, pollen: pollen, next: here)
        let page = ExplorePage(
            layout: Layout(title: "Who's new and popular", context: context), department: department,
            departments: choices.departments, scope: found.department.map { "in \($0)" } ?? "in the organization",
            newMembers: newcomers, hasNewMembers: !newcomers.isEmpty,
            popularPeople: zip(popular, found.popularPeople).map { card, row in
                ExplorePage.Popular(person: card, figure: row.engagement == 1 ? "1 reaction this week" : "\(row.engagement) reactions this week")
            },
            hasPopularPeople: !popular.isEmpty,
            posts: found.popularPosts.map { PostCard.make($0, viewer: viewer, next: here, html: self.views.postHTML) },
            hasPosts: !found.popularPosts.isEmpty,
            trends: found.risingTags.map { trend in
                ExplorePage.Trend(
                    tag: trend.tag,
                    text: "\(trend.thisWeek) \(trend.thisWeek == 1 ? "post" : "posts") this week, \(String(format: "%.1f", trend.weeklyBefore)) a week before")
            },
            hasTrends: !found.risingTags.isEmpty)
        return views.response(page, template: "explore")
    }

    func privacyPage(_ context: PollenRequestContext, member: Member, error: DomainError? = nil) async throws -> Response {
        let current = member.privacy
        let labels: [(NetworkPrivacy.Audience, String, String)] = [
            (.everyone, "Everyone", "Any member sees whom you follow, who follows you, and how many."),
            (.followed, "People I follow", "Only the people you follow see them; to others the lists and counts are hidden."),
            (.onlyMe, "Only me", "Nobody else sees the lists or the counts, and they are not used to suggest people to others."),
        ]
        let page = PrivacyPage(
            layout: Layout(title: "Privacy of your network", context: context),
            options: labels.map { PrivacyPage.Option(value: $0.0.rawValue, label: $0.1, hint: $0.2, checked: $0.0 == current.audience) },
            discoverable: current.discoverable,
            acceptsForwards: try await pollen.acceptsForwardedQuestions(by: .member(member)),
            insightText: PersonalInsightText.privacy(namedPeople: try await pollen.settings().insight.individualScores),
            formError: error?.message)
        return views.response(page, template: "privacy", status: error.map { ErrorMiddleware.status($0.code) } ?? .ok)
    }

    func savePrivacy(_ context: PollenRequestContext) async throws -> Response {
        let viewer = try context.requireViewer()
        let form = context.form ?? FormData()
        guard let audience = form["audience"].flatMap(NetworkPrivacy.Audience.init(rawValue:)) else {
            return try await privacyPage(context, member: viewer, error: .invalid("Choose who may see your network.", field: "audience"))
        }
        let privacy = NetworkPrivacy(audience: audience, discoverable: form["discoverable"] != nil)
        try await pollen.updateNetworkPrivacy(privacy, of: viewer.id, by: .member(viewer))
        try await pollen.setAcceptsForwardedQuestions(form["forwards"] != nil, by: .member(viewer))
        return Response.redirect(to: "/settings/privacy", flash: "Privacy settings saved.")
    }
}
