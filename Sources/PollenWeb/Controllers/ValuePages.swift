import Foundation
import Hummingbird
import PollenCore

/// Value creation on the web: value stories (list, record, read, edit, delete), "Mark useful" and the prompts that
/// follow a mark, and a community's value matrix with its CSV.
struct ValuePages {
    let pollen: Pollen
    let views: ViewRenderer
    static let pageSize = 20
    /// Marks offered under each step of the story form.
    static let picksShown = 20

    func addRoutes(to router: Router<PollenRequestContext>) {
        router.get("/stories") { request, context in try await list(request, context) }
        router.get("/stories/new") { request, context in
            let viewer = try context.requireViewer()
            var draft = ValueStoryDraft(title: "", community: request.query["community"])
            if let raw = request.query["mark"], let mark = UsefulMark.ID(string: raw) {
                draft = try await pollen.valueStoryDraft(fromMark: mark, viewer: .member(viewer))
            }
            return try await storyForm(context, draft: draft, storyID: nil)
        }
        router.post("/stories") { _, context in
            let draft = Self.draft(context.form)
            do {
                let story = try await pollen.recordValueStory(draft, by: try context.requireActor())
                return Response.redirect(to: "/stories/\(story.id)", flash: "Your value story is recorded.")
            } catch let error as DomainError where Self.reshowsForm(error) {
                return try await storyForm(context, draft: draft, storyID: nil, error: error)
            }
        }
        router.get("/stories/{id}") { _, context in try await show(context) }
        router.get("/stories/{id}/edit") { _, context in
            let id = try Self.storyID(context)
            let draft = try await pollen.valueStoryDraft(id, viewer: try context.requireActor())
            return try await storyForm(context, draft: draft, storyID: id)
        }
        router.post("/stories/{id}/edit") { _, context in
            let id = try Self.storyID(context)
            let draft = Self.draft(context.form)
            do {
                try await pollen.editValueStory(id, draft, by: try context.requireActor())
                return Response.redirect(to: "/stories/\(id)", flash: "Story saved.")
            } catch let error as DomainError where Self.reshowsForm(error) {
                return try await storyForm(context, draft: draft, storyID: id, error: error)
            }
        }
        router.get("/stories/{id}/delete") { _, context in
            let id = try Self.storyID(context)
            let view = try await pollen.valueStory(id, viewer: try context.requireActor())
            try AccessPolicy.require(view.mayEdit)
            let page = StoryDeletePage(layout: Layout(title: "Delete story", context: context), id: id.description, title: view.story.title)
            return views.response(page, template: "story_delete")
        }
        router.post("/stories/{id}/delete") { _, context in
            try await pollen.deleteValueStory(try Self.storyID(context), by: try context.requireActor())
            return Response.redirect(to: "/stories", flash: "Story deleted.")
        }

        router.get("/useful") { _, context in try await usefulList(context) }
        router.post("/useful") { _, context in
            let form = context.form ?? FormData()
            guard let target = ContentRef(form["target"] ?? "") else { throw DomainError.notFound("Content") }
            let on = form.bool("on") ?? true
            let next = AccountPages.safeNext(form["next"], fallback: "/useful")
            do {
                try await pollen.setUseful(on, target, by: try context.requireActor())
            } catch let error as DomainError where error.code == .invalidInput {
                return Response.redirect(to: next, flash: error.message)
            }
            return Response.redirect(
                to: next,
                flash: on ? "Marked useful. In a month Pollen asks whether you used it." : "No longer marked useful.")
        }
        router.get("/useful/{id}") { _, context in try await prompt(context) }
        router.post("/useful/{id}") { _, context in
            let id = try Self.markID(context)
            let form = context.form ?? FormData()
            guard let outcome = form["outcome"].flatMap(UsefulMark.Outcome.init(rawValue:)) else {
                return try await prompt(context, error: DomainError.invalid("Choose: not used, used it, or tell the story.", field: "outcome"))
            }
            do {
                try await pollen.answerValuePrompt(id, outcome, note: form["note"] ?? "", by: try context.requireActor())
            } catch let error as DomainError where error.code == .invalidInput {
                return try await prompt(context, error: error)
            }
            switch outcome {
            case .story: return Response.redirect(to: "/stories/new?mark=\(id)", flash: "Tell the story: how you used it, and what changed.")
            case .used: return Response.redirect(to: "/useful", flash: "Thank you — noted that you used it.")
            case .notUsed: return Response.redirect(to: "/useful", flash: "Thank you — noted. Pollen will not ask again.")
            }
        }

        router.get("/c/{slug}/value") { _, context in try await matrix(context) }
        router.get("/c/{slug}/value.csv") { request, context in try await matrixCSV(request, context) }
    }

    // MARK: - Stories

    func list(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let viewer = try context.requireViewer()
        let slug = request.query["community"].flatMap { $0.isEmpty ? nil : $0.lowercased() }
        let before = request.query["before"].flatMap(ValueStory.ID.init(string:))
        let found = try await pollen.valueStories(community: slug, before: before, limit: Self.pageSize, viewer: .member(viewer))
        var filters = [StoriesPage.Option(value: "", label: "Every community and the organization", selected: slug == nil)]
        filters += found.communities.map { .init(value: $0.slug, label: $0.name, selected: $0.slug == slug) }
        if let community = found.community, !found.communities.contains(where: { $0.id == community.id }) {
            filters.append(.init(value: community.slug, label: community.name, selected: true))
        }
        let page = StoriesPage(
            layout: Layout(title: "Value stories", context: context),
            heading: found.community.map { "Value stories of \($0.name)" } ?? "Value stories",
            stories: found.stories.map(StoryCard.init), hasStories: !found.stories.isEmpty, filters: filters,
            hasFilters: filters.count > 1, newURL: "/stories/new" + (slug.map { "?community=\($0)" } ?? ""),
            nextURL: found.hasMore ? found.stories.last.map { "/stories?\(slug.map { "community=\($0)&" } ?? "")before=\($0.story.id)" } : nil,
            cycles: CycleLine.all)
        return views.response(page, template: "stories")
    }

    func show(_ context: PollenRequestContext) async throws -> Response {
        let viewer = try context.requireViewer()
        let view = try await pollen.valueStory(try Self.storyID(context), viewer: .member(viewer))
        let story = view.story
        let page = StoryPage(
            layout: Layout(title: story.title, context: context), id: story.id.description, title: story.title,
            authorName: view.author.profile.displayName, authorHandle: view.author.handle,
            communityName: view.community?.name, communitySlug: view.community?.slug,
            time: story.createdAt.formatted(date: .abbreviated, time: .omitted), timeISO: story.createdAt.ISO8601Format(),
            updated: story.updatedAt > story.createdAt ? "edited \(story.updatedAt.formatted(date: .abbreviated, time: .omitted))" : nil,
            withheld: QuestionPages.withheldText(story.withholding),
            steps: view.steps.map { step in
                StoryPage.Step(
                    key: step.cycle.rawValue, label: step.cycle.label, meaning: step.cycle.meaning,
                    html: PostRenderer.html(step.narrative, mentions: [], document: true),
                    links: step.links.map { .init(title: $0.title, path: $0.path, kind: Self.kindLabel($0.target.kind)) },
                    hasLinks: !step.links.isEmpty,
                    unseen: step.unseenLinks == 0 ? nil : "and \(ItemCard.count(step.unseenLinks, "link", "links")) to what you cannot see")
            },
            mayEdit: view.mayEdit, mayFlag: story.authorID != viewer.id)
        return views.response(page, template: "story")
    }

    static func kindLabel(_ kind: ContentRef.Kind) -> String {
        switch kind {
        case .post: "Post"
        case .item: "Community content"
        case .question: "Question"
        case .answer: "Answer"
        case .profile: "Person"
        default: kind.noun.prefix(1).uppercased() + kind.noun.dropFirst()
        }
    }

    /// Reads the story form: per cycle a narrative, links pasted one per line (or separated by spaces or commas),
    /// and ticked things the member marked useful.
    static func draft(_ form: FormData?) -> ValueStoryDraft {
        ValueStoryDraft(
            title: form?["title"] ?? "", community: form?["community"],
            steps: ValueCycle.allCases.map { cycle in
                let pasted = (form?["links_\(cycle.rawValue)"] ?? "").split(whereSeparator: { $0.isWhitespace || $0 == "," }).map(String.init)
                return ValueStepDraft(
                    cycle: cycle, narrative: form?["narrative_\(cycle.rawValue)"] ?? "",
                    links: pasted + (form?.all("pick_\(cycle.rawValue)") ?? []))
            })
    }

    /// Mistakes in the form come back to it: bad input, and a community the author may not record stories in.
    static func reshowsForm(_ error: DomainError) -> Bool {
        error.code == .invalidInput || (error.code == .forbidden && error.field == "community")
    }

    func storyForm(_ context: PollenRequestContext, draft: ValueStoryDraft, storyID: ValueStory.ID?, error: DomainError? = nil)
        async throws -> Response
    {
        let viewer = try context.requireViewer()
        let mine = try await pollen.myCommunities(viewer: .member(viewer)).filter { $0.membership.isActive }.map(\.community)
        let things = try await pollen.usefulThings(limit: Self.picksShown, viewer: .member(viewer))
        let form = context.form
        let chosen = draft.community?.lowercased() ?? ""
        var communities = [StoryFormPage.Option(value: "", label: "The organization — every member", selected: chosen.isEmpty)]
        communities += mine.map { .init(value: $0.slug, label: $0.name, selected: $0.slug == chosen) }
        let anyStep = ValueCycle.allCases.contains { draft.step($0).map { !$0.narrative.isEmpty || !$0.links.isEmpty } ?? false }
        let steps = ValueCycle.allCases.map { cycle -> StoryFormPage.Step in
            let key = cycle.rawValue
            let step = draft.step(cycle)
            let picked = Set(form?.all("pick_\(key)") ?? [])
            // Links ticked in the list stay ticked, not copied into the text box as well.
            let links = (step?.links ?? []).filter { !picked.contains($0) }
            let narrativeError = error?.field == "narrative_\(key)" ? error?.message : nil
            let linksError = error?.field == "links_\(key)" ? error?.message : nil
            return StoryFormPage.Step(
                key: key, label: cycle.label, meaning: cycle.meaning, question: cycle.question,
                narrative: step?.narrative ?? "", links: links.joined(separator: "\n"),
                narrativeError: narrativeError, linksError: linksError,
                picks: things.map { thing in
                    .init(
                        id: "\(key)-\(thing.mark.id)", value: thing.mark.target.description, title: thing.link.title,
                        kind: Self.kindLabel(thing.mark.target.kind), checked: picked.contains(thing.mark.target.description))
                },
                hasPicks: !things.isEmpty,
                open: step.map { !$0.narrative.isEmpty || !$0.links.isEmpty } ?? false || narrativeError != nil || linksError != nil
                    || (!anyStep && cycle == .immediate))
        }
        let heading = storyID == nil ? "Record a value story" : "Edit your value story"
        let page = StoryFormPage(
            layout: Layout(title: heading, context: context), heading: heading,
            action: storyID.map { "/stories/\($0)/edit" } ?? "/stories", cancelURL: storyID.map { "/stories/\($0)" } ?? "/stories",
            title: draft.title, titleError: error?.field == "title" ? error?.message : nil, communities: communities,
            communityError: error?.field == "community" ? error?.message : nil, steps: steps, formError: error?.message,
            submitLabel: storyID == nil ? "Record the story" : "Save the story")
        return views.response(page, template: "story_form", status: error.map { ErrorMiddleware.status($0.code) } ?? .ok)
    }

    // MARK: - Useful marks and their prompts

    func usefulList(_ context: PollenRequestContext) async throws -> Response {
        let viewer = try context.requireViewer()
        let things = try await pollen.usefulThings(limit: 100, viewer: .member(viewer))
        let page = UsefulPage(
            layout: Layout(title: "Things you marked useful", context: context),
            things: things.map { thing in
                .init(
                    id: thing.mark.id.description, title: thing.link.title, path: thing.link.path,
                    kind: Self.kindLabel(thing.mark.target.kind),
                    marked: thing.mark.createdAt.formatted(date: .abbreviated, time: .omitted),
                    answer: thing.mark.outcome.map { $0.label + (thing.mark.note.isEmpty ? "" : ": “\(thing.mark.note)”") },
                    target: thing.mark.target.description)
            },
            hasThings: !things.isEmpty)
        return views.response(page, template: "useful")
    }

    /// How long ago something was marked, in the words of the prompt.
    static func ago(_ marked: Date, at now: Date) -> String {
        let days = now.timeIntervalSince(marked) / 86_400
        if days >= 80 { return "three months ago" }
        if days >= 25 { return "a month ago" }
        return "on \(marked.formatted(date: .abbreviated, time: .omitted))"
    }

    func prompt(_ context: PollenRequestContext, error: DomainError? = nil) async throws -> Response {
        let viewer = try context.requireViewer()
        let thing = try await pollen.usefulThing(try Self.markID(context), viewer: .member(viewer))
        let mark = thing.mark
        let page = ValuePromptPage(
            layout: Layout(title: "Did you use it?", context: context), id: mark.id.description, title: thing.link.title,
            path: thing.link.path, kind: mark.target.kind.noun,
            question: "You marked this \(mark.target.kind.noun) useful \(Self.ago(mark.createdAt, at: pollen.time.now())) — did you use it? What changed?",
            answered: mark.outcome.map { "You answered: \($0.label)" + (mark.note.isEmpty ? "." : " — “\(mark.note)”.") },
            note: context.form?["note"] ?? mark.note, formError: error?.message)
        return views.response(page, template: "value_prompt", status: error.map { ErrorMiddleware.status($0.code) } ?? .ok)
    }

    // MARK: - The value matrix

    func matrix(_ context: PollenRequestContext) async throws -> Response {
        let viewer = try context.requireViewer()
        let slug = try CommunityPages.slug(context)
        let matrix = try await pollen.valueMatrix(community: slug, viewer: .member(viewer))
        let shownStories = 10
        let page = ValueMatrixPage(
            layout: Layout(title: "Value · \(matrix.community.name)", context: context), name: matrix.community.name,
            slug: matrix.community.slug, since: matrix.since.formatted(date: .abbreviated, time: .omitted),
            rows: matrix.rows.map { row in
                ValueMatrixPage.Row(
                    key: row.cycle.rawValue, label: row.cycle.label, meaning: row.cycle.meaning,
                    counts: row.counts.map { .init(label: $0.indicator.label, recent: String($0.recent), allTime: String($0.allTime)) },
                    stories: row.stories.prefix(shownStories).map { story in
                        .init(
                            id: story.id.description, title: story.title,
                            authorName: matrix.authors[story.authorID]?.profile.displayName ?? "a former member")
                    },
                    hasStories: !row.stories.isEmpty,
                    moreStories: row.stories.count > shownStories ? "and \(row.stories.count - shownStories) more" : nil)
            },
            storiesURL: "/stories?community=\(matrix.community.slug)", newURL: "/stories/new?community=\(matrix.community.slug)")
        return views.response(page, template: "community_value")
    }

    /// The matrix as CSV: its counts (`value.csv`), or its stories by cycle (`value.csv?table=stories`).
    func matrixCSV(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let viewer = try context.requireViewer()
        let slug = try CommunityPages.slug(context)
        let matrix = try await pollen.valueMatrix(community: slug, viewer: .member(viewer))
        let stories = request.query["table"] == "stories"
        var csv = stories ? "cycle,story,author,recorded,address\r\n" : "cycle,indicator,last_90_days,all_time\r\n"
        for row in matrix.rows {
            if stories {
                for story in row.stories {
                    let author = matrix.authors[story.authorID]?.handle ?? ""
                    let fields = [row.cycle.rawValue, story.title, author, story.createdAt.ISO8601Format(), "/stories/\(story.id)"]
                    csv += fields.map(ModerationPages.csvField).joined(separator: ",") + "\r\n"
                }
            } else {
                for count in row.counts {
                    let fields = [row.cycle.rawValue, count.indicator.label, String(count.recent), String(count.allTime)]
                    csv += fields.map(ModerationPages.csvField).joined(separator: ",") + "\r\n"
                }
            }
        }
        let name = "pollen-\(matrix.community.slug)-value\(stories ? "-stories" : "").csv"
        return NetworkPages.download(csv, filename: name)
    }

    // MARK: - Parameters

    static func storyID(_ context: PollenRequestContext) throws -> ValueStory.ID {
        guard let raw = context.parameters.get("id"), let id = ValueStory.ID(string: raw) else { throw DomainError.notFound("Value story") }
        return id
    }

    static func markID(_ context: PollenRequestContext) throws -> UsefulMark.ID {
        guard let raw = context.parameters.get("id"), let id = UsefulMark.ID(string: raw) else { throw DomainError.notFound("Useful mark") }
        return id
    }
}
