import Foundation
import Hummingbird
import PollenCore

/// Questions and answers on the web: the queues with their measures, asking (with similar questions and
/// people to ask), the question page with answers, votes, accepting, forwarding and how far it travelled.
struct QuestionPages {
    let pollen: Pollen
    let views: ViewRenderer
    static let pageSize = 20
    /// The window the queues' measures cover.
    static let measuresWindow: TimeInterval = 90 * 24 * 3600

    func addRoutes(to router: Router<PollenRequestContext>) {
        router.get("/questions") { request, context in try await queues(request, context) }
        router.get("/questions/new") { request, context in
            let draft = QuestionDraft(title: "", community: request.query["community"])
            return try await askForm(context, draft: draft, handles: "", reviewed: false)
        }
        // "Review" shows questions like it and people to ask before it is asked.
        router.post("/questions/new") { _, context in
            let form = context.form ?? FormData()
            return try await askForm(context, draft: Self.draft(form), handles: form["handles"] ?? "", reviewed: true, ticked: form.all("ask"))
        }
        router.post("/questions") { _, context in try await ask(context) }
        // For the ask page's script: questions like the title being typed, as a small JSON list.
        router.get("/questions/similar") { request, context in
            let found = try await pollen.similarQuestions(to: request.query["q"] ?? "", viewer: try context.requireActor())
            return JSONResponse.make(found.map {
                SimilarQuestion(id: $0.id.description, title: $0.title, answers: ItemCard.count($0.answers, "answer", "answers"), accepted: $0.acceptedAnswerID != nil)
            })
        }
        router.get("/questions/{id}") { _, context in try await show(context) }
        router.post("/questions/{id}/answers") { _, context in
            let id = try Self.questionID(context)
            let text = context.form?["body"] ?? ""
            do {
                let answer = try await pollen.answerQuestion(id, body: text, by: try context.requireActor())
                return Response.redirect(to: "/questions/\(id)#answer-\(answer.id)", flash: answer.withholding != nil ? "Thank you — it is held for review and will appear once a moderator approves it." : "Answer posted. The asker is told.")
            } catch let error as DomainError where error.code == .invalidInput {
                return try await show(context, answerText: text, error: error)
            }
        }
        router.post("/questions/{id}/comments") { _, context in
            let id = try Self.questionID(context)
            let answer = context.form?["answer_id"].flatMap(Answer.ID.init(string:))
            do {
                try await pollen.commentOnQuestion(id, answer: answer, body: context.form?["body"] ?? "", by: try context.requireActor())
                return Response.redirect(to: "/questions/\(id)", flash: "Comment posted.")
            } catch let error as DomainError where error.code == .invalidInput {
                return Response.redirect(to: "/questions/\(id)", flash: error.message)
            }
        }
        router.post("/questions/{id}/forward") { _, context in
            let id = try Self.questionID(context)
            do {
                let reached = try await pollen.forwardQuestion(id, note: context.form?["note"] ?? "", by: try context.requireActor())
                return Response.redirect(
                    to: "/questions/\(id)",
                    flash: reached == 0
                        ? "Passed on, but none of your followers could be reached (asked already, or they take no forwarded questions)."
                        : "Passed on to \(ItemCard.count(reached, "follower", "followers")).")
            } catch let error as DomainError where error.code == .conflict || error.code == .invalidInput {
                return Response.redirect(to: "/questions/\(id)", flash: error.message)
            }
        }
        router.post("/questions/{id}/route") { _, context in
            let id = try Self.questionID(context)
            let ids = (context.form?.all("ask") ?? []).compactMap(Member.ID.init(string:))
            do {
                let routed = try await pollen.routeQuestion(id, to: ids, by: try context.requireActor())
                return Response.redirect(to: "/questions/\(id)", flash: "Asked \(ItemCard.count(routed, "more person", "more people")).")
            } catch let error as DomainError where error.code == .invalidInput {
                return Response.redirect(to: "/questions/\(id)", flash: error.message)
            }
        }
        router.get("/questions/{id}/history") { request, context in
            let viewer = try context.requireViewer()
            let id = try Self.questionID(context)
            let answer = request.query["answer"].flatMap(Answer.ID.init(string:))
            let view = try await pollen.question(id, viewer: .member(viewer))
            let revisions = try await pollen.questionRevisions(id, answer: answer, viewer: .member(viewer))
            let people = try await pollen.members(ids: revisions.map(\.authorID), viewer: .member(viewer))
            let page = QuestionHistoryPage(
                layout: Layout(title: "History of \(view.question.title)", context: context), id: id.description,
                title: view.question.title, ofAnswer: answer != nil,
                revisions: revisions.map { r in
                    .init(
                        number: r.number, authorName: people[r.authorID]?.profile.displayName ?? "Someone",
                        authorHandle: people[r.authorID]?.handle ?? "", time: r.createdAt.formatted(date: .abbreviated, time: .shortened),
                        title: r.title, html: PostRenderer.html(r.body, mentions: [], document: true))
                })
            return views.response(page, template: "question_history")
        }
        router.get("/questions/{id}/edit") { _, context in
            let view = try await pollen.question(try Self.questionID(context), viewer: try context.requireActor())
            try AccessPolicy.require(view.mayEdit)
            let q = view.question
            return editForm(
                context, isQuestion: true, action: "/questions/\(q.id)/edit", title: q.title, body: q.body,
                tags: q.tags.joined(separator: " "), cancel: "/questions/\(q.id)")
        }
        router.post("/questions/{id}/edit") { _, context in
            let id = try Self.questionID(context)
            let form = context.form ?? FormData()
            do {
                try await pollen.editQuestion(
                    id, title: form["title"] ?? "", body: form["body"] ?? "", tags: Self.tags(form["tags"]), by: try context.requireActor())
                return Response.redirect(to: "/questions/\(id)", flash: "Question saved; the earlier text is kept.")
            } catch let error as DomainError where error.code == .invalidInput {
                return editForm(
                    context, isQuestion: true, action: "/questions/\(id)/edit", title: form["title"] ?? "", body: form["body"] ?? "",
                    tags: form["tags"] ?? "", cancel: "/questions/\(id)", error: error)
            }
        }
        router.get("/answers/{id}/edit") { _, context in
            let (answer, question) = try await answerAndQuestion(context)
            guard answer.mayEdit else { throw DomainError.notAllowed }
            return editForm(
                context, isQuestion: false, action: "/answers/\(answer.id)/edit", title: question.question.title, body: answer.html,
                tags: "", cancel: "/questions/\(question.question.id)")
        }
        router.post("/answers/{id}/edit") { _, context in
            let id = try Self.answerID(context)
            let text = context.form?["body"] ?? ""
            do {
                let answer = try await pollen.editAnswer(id, body: text, by: try context.requireActor())
                return Response.redirect(to: "/questions/\(answer.questionID)#answer-\(id)", flash: "Answer saved; the earlier text is kept.")
            } catch let error as DomainError where error.code == .invalidInput {
                return editForm(context, isQuestion: false, action: "/answers/\(id)/edit", title: "", body: text, tags: "", cancel: "/questions", error: error)
            }
        }
        router.post("/answers/{id}/vote") { _, context in
            let id = try Self.answerID(context)
            let value = context.form?["value"].flatMap(Int.init) ?? 0
            do {
                let answer = try await pollen.voteAnswer(id, value: value, by: try context.requireActor())
                return Response.redirect(to: "/questions/\(answer.questionID)#answer-\(id)", flash: value == 0 ? "Vote taken back." : "Vote counted.")
            } catch let error as DomainError where error.code == .conflict || error.code == .invalidInput {
                let back = AccountPages.safeNext(context.form?["next"], fallback: "/questions")
                return Response.redirect(to: back, flash: error.message)
            }
        }
        router.post("/answers/{id}/accept") { _, context in
            let id = try Self.answerID(context)
            let question = try await pollen.acceptAnswer(id, by: try context.requireActor())
            return Response.redirect(to: "/questions/\(question.id)#answer-\(id)", flash: "Answer accepted. Its author is told.")
        }
    }

    // MARK: - Queues

    func queues(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let viewer = try context.requireViewer()
        let queue = request.query["queue"].flatMap(QuestionQuery.Queue.init(rawValue:)) ?? .unanswered
        let slug = request.query["community"].flatMap { $0.isEmpty ? nil : $0.lowercased() }
        let tag = request.query["tag"].flatMap { $0.isEmpty ? nil : ProfileRules.normalizedTag($0) }
        let pageNumber = request.query.pageNumber
        var community: Community?
        if let slug { community = try await pollen.community(slug: slug, viewer: .member(viewer)).community }
        let found = try await pollen.questions(
            QuestionQuery(
                queue: queue, member: viewer.id, community: community?.id, tag: tag, limit: Self.pageSize,
                offset: (pageNumber - 1) * Self.pageSize),
            viewer: .member(viewer))
        let measures = try await pollen.questionMeasures(
            since: pollen.time.now().addingTimeInterval(-Self.measuresWindow), community: slug, tag: tag, viewer: .member(viewer))
        var scope = ""
        if let slug { scope += "&community=\(slug)" }
        if let tag { scope += "&tag=\(tag)" }
        let labels: [(QuestionQuery.Queue, String)] = [(.unanswered, "Unanswered"), (.forMe, "For me"), (.mine, "My questions"), (.all, "All")]
        let empty: [QuestionQuery.Queue: String] = [
            .unanswered: "Every question has an answer. Ask one of your own?",
            .forMe: "No question waits for you. Questions asked to you, passed on to you, or on your expertise tags come here.",
            .mine: "You have not asked anything yet.",
            .all: "No questions yet.",
        ]
        let page = QuestionsPage(
            layout: Layout(title: "Questions", context: context), heading: "Questions",
            tabs: labels.map { .init(label: $1, url: "/questions?queue=\($0.rawValue)\(scope)", current: $0 == queue) },
            questions: found.items.map { QuestionCard($0.question, author: $0.author, community: community) },
            hasQuestions: !found.items.isEmpty, emptyText: empty[queue] ?? "",
            filterNote: [community.map { "in \($0.name)" }, tag.map { "on #\($0)" }].compactMap { $0 }.joined(separator: " ").nilIfEmpty,
            askURL: "/questions/new" + (slug.map { "?community=\($0)" } ?? ""),
            measures: MeasuresPanel(measures),
            nextURL: found.total > pageNumber * Self.pageSize ? "/questions?queue=\(queue.rawValue)\(scope)&page=\(pageNumber + 1)" : nil)
        return views.response(page, template: "questions")
    }

    // MARK: - Asking

    static func tags(_ text: String?) -> [String] {
        (text ?? "").split(whereSeparator: { $0 == "," || $0.isWhitespace }).map(String.init)
    }

    static func draft(_ form: FormData) -> QuestionDraft {
        QuestionDraft(
            title: form["title"] ?? "", body: form["body"] ?? "", tags: tags(form["tags"]),
            community: form["community"].flatMap { $0.isEmpty ? nil : $0 }, toFollowers: form["followers"] != nil)
    }

    func askForm(
        _ context: PollenRequestContext, draft: QuestionDraft, handles: String, reviewed: Bool, ticked: [String] = [],
        error: DomainError? = nil
    ) async throws -> Response {
        let viewer = try context.requireViewer()
        let mine = try await pollen.myCommunities(viewer: .member(viewer))
        var similar: [QuestionCard] = []
        var experts: [AskPage.Expert] = []
        if reviewed {
            let found = try await pollen.similarQuestions(to: draft.title, viewer: .member(viewer))
            let authors = try await pollen.members(ids: found.map(\.authorID), viewer: .member(viewer))
            similar = found.compactMap { q in authors[q.authorID].map { QuestionCard(q, author: $0) } }
            experts = try await pollen.experts(tags: draft.tags, community: draft.community, viewer: .member(viewer)).map {
                .init(
                    id: $0.member.id.description, name: $0.member.profile.displayName, handle: $0.member.handle, reasons: $0.reasons,
                    checked: ticked.contains($0.member.id.description))
            }
        }
        let page = AskPage(
            layout: Layout(title: "Ask a question", context: context), title: draft.title, body: draft.body,
            tags: draft.tags.joined(separator: " "), handles: handles, toFollowers: draft.toFollowers || !reviewed,
            communities: mine.map { .init(slug: $0.community.slug, name: $0.community.name, selected: $0.community.slug == draft.community) },
            hasCommunities: !mine.isEmpty, reviewed: reviewed, similar: similar, hasSimilar: !similar.isEmpty, experts: experts,
            hasExperts: !experts.isEmpty, formError: error?.message)
        return views.response(page, template: "ask", status: error.map { ErrorMiddleware.status($0.code) } ?? .ok)
    }

    func ask(_ context: PollenRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let form = context.form ?? FormData()
        var draft = Self.draft(form)
        do {
            var named = form.all("ask").compactMap(Member.ID.init(string:))
            for handle in Self.tags(form["handles"]) {
                let clean = handle.trimmingCharacters(in: CharacterSet(charactersIn: "@"))
                guard !clean.isEmpty else { continue }
                do {
                    named.append(try await pollen.profile(handle: clean, viewer: actor).id)
                } catch let error as DomainError where error.code == .notFound {
                    throw DomainError.invalid("Nobody here has the handle @\(clean).", field: "handles")
                }
            }
            draft.askMembers = named
            let question = try await pollen.askQuestion(draft, by: actor)
            return Response.redirect(
                to: "/questions/\(question.id)", flash: question.withholding != nil ? "Thank you — it is held for review and will appear once a moderator approves it." : "Asked. Answers will be notified to you.")
        } catch let error as DomainError where error.code == .invalidInput {
            return try await askForm(
                context, draft: draft, handles: form["handles"] ?? "", reviewed: true, ticked: form.all("ask"), error: error)
        }
    }

    // MARK: - A question

    /// The banner over withheld content, for the author and moderators who can still open it.
    static func withheldText(_ withholding: Withholding?) -> String? {
        switch withholding {
        case nil: nil
        case .held?: "Held for review: only you and moderators can see it until it is approved."
        case .hidden?: "Hidden by a moderator: only you and moderators can see it."
        case .removed?: "Removed by a moderator."
        }
    }

    func show(_ context: PollenRequestContext, answerText: String = "", error: DomainError? = nil) async throws -> Response {
        let viewer = try context.requireViewer()
        let view = try await pollen.question(try Self.questionID(context), viewer: .member(viewer))
        let q = view.question
        let isAsker = q.authorID == viewer.id
        let comment = { (c: QACommentView) in
            QuestionPage.Comment(
                flagTarget: c.author.id == viewer.id ? nil : "qa_comment:\(c.comment.id)",
                authorName: c.author.profile.displayName, authorHandle: c.author.handle,
                html: PostRenderer.html(c.comment.body, mentions: []),
                time: c.comment.createdAt.formatted(date: .abbreviated, time: .shortened))
        }
        var experts: [QuestionPage.Expert] = []
        if isAsker, q.acceptedAnswerID == nil {
            experts = try await pollen.experts(
                tags: q.tags, community: view.community?.slug, excluding: view.answers.map(\.author.id), askedAbout: q.id,
                viewer: .member(viewer)
            ).map { .init(id: $0.member.id.description, name: $0.member.profile.displayName, handle: $0.member.handle, reasons: $0.reasons) }
        }
        let travel = view.travel
        let values = try await pollen.valueContext(
            for: view.answers.map { ContentRef(.answer, $0.answer.id.rawValue) }, viewer: .member(viewer))
        let page = QuestionPage(
            layout: Layout(title: q.title, context: context), withheld: Self.withheldText(q.withholding),
            id: q.id.description, questionID: q.id.description, title: q.title,
            html: PostRenderer.html(q.body, mentions: [], document: true), tags: q.tags,
            authorName: view.author.profile.displayName, authorHandle: view.author.handle,
            time: q.createdAt.formatted(date: .abbreviated, time: .shortened), timeISO: q.createdAt.ISO8601Format(),
            edited: q.editedAt != nil, communityName: view.community?.name, communitySlug: view.community?.slug,
            answered: q.answers > 0, accepted: q.acceptedAnswerID != nil,
            timeToFirstAnswer: q.firstAnswerAt.map { Durations.text($0.timeIntervalSince(q.createdAt)) },
            timeToAccepted: q.acceptedAt.map { Durations.text($0.timeIntervalSince(q.createdAt)) },
            reachNote: view.viewerReach?.note.nilIfEmpty,
            forwardedByName: view.forwardedBy?.profile.displayName, forwardedByHandle: view.forwardedBy?.handle,
            answers: view.answers.map { a in
                QuestionPage.AnswerCard(
                    id: a.answer.id.description, authorName: a.author.profile.displayName, authorHandle: a.author.handle,
                    html: PostRenderer.html(a.answer.body, mentions: [], document: true),
                    time: a.answer.createdAt.formatted(date: .abbreviated, time: .shortened), timeISO: a.answer.createdAt.ISO8601Format(),
                    edited: a.answer.editedAt != nil, score: a.answer.score, accepted: a.accepted,
                    votedUp: a.viewerVote == 1, votedDown: a.viewerVote == -1, mayVote: a.author.id != viewer.id,
                    mayAccept: view.mayAccept && !a.accepted, mayEdit: a.author.id == viewer.id || viewer.isAdmin,
                    mayFlag: a.author.id != viewer.id,
                    comments: a.comments.map(comment),
                    value: ValueBlock(
                        target: ContentRef(.answer, a.answer.id.rawValue), next: "/questions/\(q.id)#answer-\(a.answer.id)",
                        mayMark: a.answer.withholding == nil && AccessPolicy.mayMarkUseful(authoredBy: a.author.id, by: viewer),
                        context: values[ContentRef(.answer, a.answer.id.rawValue)]))
            },
            answersHeading: ItemCard.count(view.answers.count, "answer", "answers"),
            comments: view.comments.map(comment), mayEdit: view.mayEdit, mayAnswer: view.mayAnswer,
            mayForward: !isAsker, isAsker: isAsker,
            travelPeople: ItemCard.count(travel?.people ?? 0, "person", "people"),
            forwardsText: (travel?.forwards ?? 0) == 0 ? nil : travel?.forwards == 1 ? "passed on once" : "passed on \(travel?.forwards ?? 0) times",
            byHop: (travel?.byHop ?? []).map {
                .init(label: $0.hop == 0 ? "Asked directly" : $0.hop == 1 ? "1 step away" : "\($0.hop) steps away", people: $0.people)
            },
            byDepartment: (travel?.byDepartment ?? []).map { .init(label: $0.department.isEmpty ? "Other departments" : $0.department, people: $0.people) },
            hasTravel: (travel?.people ?? 0) > 0, experts: experts, hasExperts: !experts.isEmpty,
            answerText: answerText, formError: error?.message)
        return views.response(page, template: "question", status: error.map { ErrorMiddleware.status($0.code) } ?? .ok)
    }

    func editForm(
        _ context: PollenRequestContext, isQuestion: Bool, action: String, title: String, body: String, tags: String, cancel: String,
        error: DomainError? = nil
    ) -> Response {
        let heading = isQuestion ? "Edit question" : "Edit answer"
        let page = QuestionEditPage(
            layout: Layout(title: heading, context: context), heading: heading, action: action, isQuestion: isQuestion, title: title,
            body: body, tags: tags, cancelURL: cancel, formError: error?.message)
        return views.response(page, template: "question_edit", status: error.map { ErrorMiddleware.status($0.code) } ?? .ok)
    }

    /// The answer (with its raw text in `html`, for the edit form) and its question.
    func answerAndQuestion(_ context: PollenRequestContext) async throws -> (answer: (id: Answer.ID, html: String, mayEdit: Bool), question: QuestionView) {
        let viewer = try context.requireViewer()
        let id = try Self.answerID(context)
        let questionID = try await pollen.questionOfAnswer(id, viewer: .member(viewer))
        let view = try await pollen.question(questionID, viewer: .member(viewer))
        guard let answer = view.answers.first(where: { $0.answer.id == id }) else { throw DomainError.notFound("Answer") }
        return ((id, answer.answer.body, answer.author.id == viewer.id || viewer.isAdmin), view)
    }

    static func questionID(_ context: PollenRequestContext) throws -> Question.ID {
        guard let raw = context.parameters.get("id"), let id = Question.ID(string: raw) else { throw DomainError.notFound("Question") }
        return id
    }

    static func answerID(_ context: PollenRequestContext) throws -> Answer.ID {
        guard let raw = context.parameters.get("id"), let id = Answer.ID(string: raw) else { throw DomainError.notFound("Answer") }
        return id
    }
}

/// A question like the one being typed, for the ask page's script.
struct SimilarQuestion: Encodable {
    let id: String
    let title: String
    let answers: String
    let accepted: Bool
}
