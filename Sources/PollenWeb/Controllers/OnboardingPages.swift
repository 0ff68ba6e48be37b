import Foundation
import Hummingbird
import PollenCore

/// The first-run guide: subjects → thought leaders → who they follow → communities → hashtags → an
/// introduction. Every step can be skipped, and the guide resumes where the member left it.
struct OnboardingPages {
    let pollen: Pollen
    let views: ViewRenderer
    /// Subjects offered at step 1 and hashtags at step 5.
    static let choiceCount = 24
    /// Subjects whose thought leaders step 2 shows.
    static let subjectsShown = 5

    func addRoutes(to router: Router<PollenRequestContext>) {
        router.get("/welcome") { request, context in
            try await page(context, step: request.query["step"].flatMap(Int.init).flatMap(OnboardingStep.init(rawValue:)))
        }
        router.post("/welcome/subjects") { _, context in try await saveSubjects(context) }
        router.post("/welcome/tags") { _, context in try await saveTags(context) }
        router.post("/welcome/communities") { _, context in try await joinCommunities(context) }
        router.post("/welcome/introduce") { _, context in try await introduce(context) }
        router.post("/welcome/finish") { _, context in
            try await pollen.endOnboarding(skipped: false, by: try context.requireActor())
            return Response.redirect(to: "/", flash: "You are all set. Your home timeline fills as the people and hashtags you follow post.")
        }
        router.post("/welcome/skip") { _, context in
            try await pollen.endOnboarding(skipped: true, by: try context.requireActor())
            return Response.redirect(to: "/", flash: "Guide skipped. You can pick it up again from Discover.")
        }
    }

    /// The guide at `asked` (remembered as where the member is), or where they left it.
    func page(
        _ context: PollenRequestContext, step asked: OnboardingStep?, error: DomainError? = nil, form: FormData? = nil
    ) async throws -> Response {
        let viewer = try context.requireViewer()
        let actor = Actor.member(viewer)
        var progress = try await pollen.onboarding(for: actor)
        if let wanted = asked, wanted.rawValue != progress?.step || progress?.isOver == true {
            progress = try await pollen.moveOnboarding(to: wanted, by: actor)
        } else if progress == nil {
            progress = try await pollen.moveOnboarding(to: .subjects, by: actor)
        }
        let step = progress.flatMap { OnboardingStep(rawValue: $0.step) } ?? .subjects
        var page = OnboardingPage(
            layout: Layout(title: "Getting started: \(step.title)", context: context),
            steps: OnboardingStep.allCases.map {
                .init(number: $0.rawValue, title: $0.title, url: "/welcome?step=\($0.rawValue)", current: $0 == step, done: $0 < step)
            },
            number: step.rawValue, title: step.title,
            previousURL: OnboardingStep(rawValue: step.rawValue - 1).map { "/welcome?step=\($0.rawValue)" },
            nextURL: step.next.map { "/welcome?step=\($0.rawValue)" } ?? "/", formError: error?.message)
        switch step {
        case .subjects:
            let popular = try await pollen.popularSubjects(limit: Self.choiceCount).map(\.tag)
            let mine = viewer.profile.subjects
            page.isSubjects = true
            page.choices = (mine + popular).uniqued().map { .init(tag: $0, label: "#\($0)", checked: mine.contains($0)) }
            page.otherValue = form?["other"] ?? ""
            if popular.isEmpty {
                page.emptyAdvice = "Nobody has used a hashtag here yet. Type the subjects you learn about below, separated by commas (for example: supply-chain, negotiation)."
            }
        case .thoughtLeaders:
            var people: [PickPerson] = []
            var seen: Set<Member.ID> = []
            for tag in viewer.profile.subjects.prefix(Self.subjectsShown) {
                let subject = try await pollen.subject(tag, viewer: actor)
                for person in subject.thoughtLeaders.prefix(4) where seen.insert(person.member.id).inserted {
                    people.append(PickPerson(person.member, reasons: ["Thought leader in #\(tag)"], checked: true))
                }
                for person in subject.practitioners.prefix(2) where seen.insert(person.member.id).inserted {
                    people.append(PickPerson(person.member, reasons: ["Active practitioner in #\(tag)"]))
                }
            }
            people = try await markFollowed(people, viewer: viewer)
            page.pick = PickForm(
                action: "/network/follow", submitLabel: "Follow selected and continue", next: "/welcome", people: people,
                emptyText: viewer.profile.subjects.isEmpty
                    ? "Choose some subjects in step 1 first: this step lists the people who write about them."
                    : "Nobody has written about your subjects yet. You could be the first: step 6 helps you post. Meanwhile, continue to see whom others follow.",
                hidden: [.init(name: "onboarding_step", value: "\(step.rawValue)")])
        case .followWhoTheyFollow:
            let suggestions = try await pollen.suggestions(for: actor, limit: 20)
            page.pick = PickForm(
                action: "/network/follow", submitLabel: "Follow selected and continue", next: "/welcome",
                people: suggestions.map { PickPerson(
                    $0.member, reasons: $0.reasons.map(PickPerson.text)) },
                emptyText: "Follow a few people first (step 2, or the member directory): the people they follow show up here.",
                hidden: [.init(name: "onboarding_step", value: "\(step.rawValue)")])
        case .communities:
            page.isCommunities = true
            let suggestions = try await pollen.suggestedCommunities(limit: 8, viewer: actor)
            page.communities = suggestions.map { suggestion in
                OnboardingPage.CommunityChoice(
                    slug: suggestion.community.slug, name: suggestion.community.name,
                    detail: CommunityCard.kindLabel(suggestion.community.kind) + " · "
                        + (suggestion.community.membership == .open ? "joins at once" : "managers approve")
                        + " · \(suggestion.members) member\(suggestion.members == 1 ? "" : "s")",
                    reason: suggestion.colleagues > 0
                        ? "\(suggestion.colleagues) of your department \(suggestion.colleagues == 1 ? "is" : "are") in it"
                        : suggestion.subject.map { "Talks about #\($0)" },
                    checked: suggestion.colleagues > 0 || suggestion.subject != nil)
            }
            page.hasCommunities = !page.communities.isEmpty
        case .hashtags:
            let followed = try await pollen.homeTimelineSources(viewer: actor).tags
            let popular = try await pollen.popularSubjects(limit: Self.choiceCount).map(\.tag)
            page.isHashtags = true
            page.choices = (viewer.profile.subjects + popular).uniqued().map {
                .init(tag: $0, label: "#\($0)", checked: followed.contains($0) || viewer.profile.subjects.contains($0))
            }
            if page.choices.isEmpty {
                page.emptyAdvice = "No hashtags are in use yet. Type the ones you want to follow below; posts that use them will reach your home timeline."
            }
        case .introduce:
            page.isIntroduce = true
            page.introduction = form?["status"] ?? Self.introduction(for: viewer)
        }
        page.hasChoices = !page.choices.isEmpty
        return views.response(page, template: "welcome", status: error.map { ErrorMiddleware.status($0.code) } ?? .ok)
    }

    private func markFollowed(_ people: [PickPerson], viewer: Member) async throws -> [PickPerson] {
        let relations = try await pollen.relationships(
            with: people.compactMap { Member.ID(string: $0.id) }.prefix(100).map { $0 }, by: .member(viewer))
        let following = Set(relations.filter(\.following).map(\.target.description))
        let blocked = Set(relations.filter { $0.blocking || $0.blockedBy }.map(\.target.description))
        return people.map { person in
            var person = person
            person.following = following.contains(person.id)
            person.selectable = !person.following && !blocked.contains(person.id)
            person.checked = person.checked && person.selectable
            return person
        }
    }

    /// The hashtags ticked, and those typed in the "other" box separated by commas.
    static func tickedTags(_ form: FormData) -> [String] {
        form.all("tags") + (form["other"] ?? "").split(separator: ",").map(String.init)
    }

    static func introduction(for member: Member) -> String {
        let p = member.profile
        var text = "Hello, I'm \(p.displayName)"
        if !p.jobRole.isEmpty { text += ", \(p.jobRole)" }
        if !p.department.isEmpty { text += " in \(p.department)" }
        text += "."
        if !p.subjects.isEmpty { text += " I'm learning about " + p.subjects.prefix(5).map { "#\($0)" }.joined(separator: ", ") + "." }
        return text + " Glad to connect — what should I read first? #introductions"
    }

    func saveSubjects(_ context: PollenRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let form = context.form ?? FormData()
        let tags = Self.tickedTags(form)
        do {
            try await pollen.chooseSubjects(tags, by: actor)
            try await pollen.moveOnboarding(to: .thoughtLeaders, by: actor)
            return Response.redirect(to: "/welcome", flash: "Subjects saved to your profile.")
        } catch let error as DomainError where error.code == .invalidInput {
            return try await page(context, step: .subjects, error: error, form: form)
        }
    }

    /// Joins the ticked communities (asks to, where managers approve) and moves on.
    func joinCommunities(_ context: PollenRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        var joined: [String] = []
        var asked: [String] = []
        for slug in (context.form?.all("communities") ?? []).uniqued().prefix(20) {
            do {
                let membership = try await pollen.joinCommunity(slug: slug, by: actor)
                if membership.isActive { joined.append(slug) } else { asked.append(slug) }
            } catch let error as DomainError where error.code == .conflict || error.code == .notFound {
                // Already in it, or it went private meanwhile: nothing to do for this one.
                continue
            }
        }
        try await pollen.moveOnboarding(to: .hashtags, by: actor)
        var parts: [String] = []
        if !joined.isEmpty { parts.append("You joined \(joined.count) communit\(joined.count == 1 ? "y" : "ies").") }
        if !asked.isEmpty { parts.append("\(asked.count) more will let you in once a manager approves.") }
        return Response.redirect(to: "/welcome", flash: parts.isEmpty ? "No community joined." : parts.joined(separator: " "))
    }

    func saveTags(_ context: PollenRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let form = context.form ?? FormData()
        let tags = Self.tickedTags(form)
        do {
            let followed = try await pollen.followTags(tags, by: actor)
            try await pollen.moveOnboarding(to: .introduce, by: actor)
            return Response.redirect(
                to: "/welcome",
                flash: followed.isEmpty ? "You already follow those hashtags." : "You now follow " + followed.map { "#\($0)" }.joined(separator: ", ") + ".")
        } catch let error as DomainError where error.code == .invalidInput {
            return try await page(context, step: .hashtags, error: error, form: form)
        }
    }

    func introduce(_ context: PollenRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let form = context.form ?? FormData()
        do {
            _ = try await pollen.publishPost(PostDraft(body: form["status"] ?? ""), by: actor)
            try await pollen.endOnboarding(skipped: false, by: actor)
            return Response.redirect(to: "/", flash: "Posted. Welcome aboard: your network is ready.")
        } catch let error as DomainError where error.code == .invalidInput {
            return try await page(context, step: .introduce, error: error, form: form)
        }
    }
}
