import Foundation
import Hummingbird
import PollenCore

/// Questions and answers in Pollen's own JSON API under `/api/pollen/v1`: asking (followers, a community, named
/// colleagues), the queues, similar questions, answers with votes, accepting, comments, edits with history,
/// forwarding through one's network, routing to suggested experts, the opt-out of forwards and the measures.
/// Described by `openapi.json` beside `PollenEndpoints`.
///
/// Questions are read with `read:statuses` and written with `write:statuses`, as community content is; the
/// forwarding setting is the member's own, read with `read:accounts` and changed with `write:accounts` as
/// `/me/privacy` is. How far a question travelled is counted only, for its asker: no answer names the people
/// a question reached.
struct PollenQuestionEndpoints {
    let pollen: Pollen
    let publicURL: PublicURL
    static let bodyLimit = 256 * 1024
    /// Questions listed per page unless `limit` says otherwise (the core allows up to ``Pollen/maxListPageSize``).
    static let defaultPage = 20
    /// Similar questions unless `limit` says otherwise (the core allows up to 20).
    static let defaultSimilar = 5
    /// The window of the measures unless `since_days` says otherwise, as the questions page shows them.
    static let defaultMeasureDays = 90
    /// The longest window of the measures: ten years.
    static let measureDays = 1...3650

    func addRoutes(to router: Router<PollenRequestContext>) {
        let api = router.group(RouterPath(PollenEndpoints.prefix))
        api.get("questions") { request, context in try await queue(request, context) }
        api.post("questions") { request, context in try await ask(request, context) }
        api.get("questions/similar") { request, context in
            let member = try APIAuth.member(context, scope: "read:statuses")
            let limit = request.query["limit"].flatMap { Int($0) } ?? Self.defaultSimilar
            let found = try await pollen.similarQuestions(to: request.query["q"] ?? "", limit: limit, viewer: .member(member))
            let questions = try await summaries(found, base: publicURL.base(for: request), viewer: member)
            return JSONResponse.make(PollenQuestionList(questions: questions))
        }
        api.get("questions/measures") { request, context in try await measures(request, context) }
        api.get("questions/{id}") { request, context in
            let member = try APIAuth.member(context, scope: "read:statuses")
            return JSONResponse.make(try await detail(try Self.questionID(context), request, viewer: member))
        }
        api.patch("questions/{id}") { request, context in try await editQuestion(request, context) }
        api.get("questions/{id}/revisions") { request, context in
            let member = try APIAuth.member(context, scope: "read:statuses")
            let id = try Self.questionID(context)
            let found = try await pollen.questionRevisions(id, viewer: .member(member))
            return JSONResponse.make(try await revisions(found, question: id, answer: nil, request, viewer: member))
        }
        api.post("questions/{id}/answers") { request, context in
            let member = try APIAuth.member(context, scope: "write:statuses")
            let id = try Self.questionID(context)
            var request = request
            let form = try await request.formData(limit: Self.bodyLimit)
            let answer = try await pollen.answerQuestion(id, body: form["body"] ?? "", by: .member(member))
            return JSONResponse.make(try await answerBody(answer, request, viewer: member), status: .created)
        }
        api.post("questions/{id}/comments") { request, context in
            let member = try APIAuth.member(context, scope: "write:statuses")
            let id = try Self.questionID(context)
            var request = request
            let form = try await request.formData(limit: Self.bodyLimit)
            let answer = try form["answer_id"]?.nilIfEmpty.map { raw in
                guard let answer = Answer.ID(string: raw) else { throw DomainError.notFound("Answer") }
                return answer
            }
            let comment = try await pollen.commentOnQuestion(id, answer: answer, body: form["body"] ?? "", by: .member(member))
            return JSONResponse.make(
                PollenQAComment(comment, author: member, base: publicURL.base(for: request), viewer: member), status: .created)
        }
        api.post("questions/{id}/forward") { request, context in
            let member = try APIAuth.member(context, scope: "write:statuses")
            let id = try Self.questionID(context)
            var request = request
            let form = try await request.formData(limit: Self.bodyLimit)
            let reached = try await pollen.forwardQuestion(id, note: form["note"] ?? "", by: .member(member))
            return JSONResponse.make(PollenQuestionForwarded(reached: reached))
        }
        api.post("questions/{id}/route") { request, context in
            let member = try APIAuth.member(context, scope: "write:statuses")
            let id = try Self.questionID(context)
            var request = request
            let form = try await request.formData(limit: Self.bodyLimit)
            let people = try await members(handles: form.all("ask"), viewer: member)
            let routed = try await pollen.routeQuestion(id, to: people, by: .member(member))
            return JSONResponse.make(PollenQuestionRouted(routed: routed))
        }
        api.get("questions/{id}/experts") { request, context in
            let member = try APIAuth.member(context, scope: "read:statuses")
            let view = try await pollen.question(try Self.questionID(context), viewer: .member(member))
            // The asker and those who answered already are not worth asking again. Who was reached is known to
            // the core alone, which never lists them.
            let excluded = [view.question.authorID] + view.answers.map(\.answer.authorID)
            let found = try await pollen.experts(
                tags: view.question.tags, community: view.community?.slug, excluding: excluded, viewer: .member(member))
            return JSONResponse.make(PollenExpertList(found, base: publicURL.base(for: request), viewer: member))
        }
        api.get("experts") { request, context in
            let member = try APIAuth.member(context, scope: "read:statuses")
            let found = try await pollen.experts(
                tags: request.query.all("tags").flatMap(ProfileRules.splitTagList),
                community: request.query["community"]?.nilIfEmpty, viewer: .member(member))
            return JSONResponse.make(PollenExpertList(found, base: publicURL.base(for: request), viewer: member))
        }

        api.patch("answers/{id}") { request, context in
            let member = try APIAuth.member(context, scope: "write:statuses")
            let id = try Self.answerID(context)
            var request = request
            let form = try await request.formData(limit: Self.bodyLimit)
            let answer = try await pollen.editAnswer(id, body: form["body"] ?? "", by: .member(member))
            return JSONResponse.make(try await answerBody(answer, request, viewer: member))
        }
        api.get("answers/{id}/revisions") { request, context in
            let member = try APIAuth.member(context, scope: "read:statuses")
            let id = try Self.answerID(context)
            let question = try await pollen.questionOfAnswer(id, viewer: .member(member))
            let found = try await pollen.questionRevisions(question, answer: id, viewer: .member(member))
            return JSONResponse.make(try await revisions(found, question: question, answer: id, request, viewer: member))
        }
        api.post("answers/{id}/vote") { request, context in
            let member = try APIAuth.member(context, scope: "write:statuses")
            let id = try Self.answerID(context)
            var request = request
            let form = try await request.formData(limit: Self.bodyLimit)
            guard let value = form["value"].flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) else {
                throw DomainError.invalid("A vote is up (1), down (-1) or none (0).", field: "value")
            }
            let answer = try await pollen.voteAnswer(id, value: value, by: .member(member))
            return JSONResponse.make(try await answerBody(answer, request, viewer: member))
        }
        api.post("answers/{id}/accept") { request, context in
            let member = try APIAuth.member(context, scope: "write:statuses")
            let question = try await pollen.acceptAnswer(try Self.answerID(context), by: .member(member))
            return JSONResponse.make(try await detail(question.id, request, viewer: member))
        }

        api.get("me/question-settings") { _, context in
            let member = try APIAuth.member(context, scope: "read:accounts")
            return try await settings(member)
        }
        api.put("me/question-settings") { request, context in
            let member = try APIAuth.member(context, scope: "write:accounts")
            var request = request
            let form = try await request.formData(limit: Self.bodyLimit)
            // Like `/me/privacy`, a field not sent keeps its value.
            if let value = form["accepts_forwards"] {
                try await pollen.setAcceptsForwardedQuestions(
                    try MastodonEndpoints.flag(value, field: "accepts_forwards"), by: .member(member))
            }
            return try await settings(member)
        }
    }

    // MARK: Settings

    /// Whether others' questions reach the member through forwards.
    func settings(_ member: Member) async throws -> Response {
        JSONResponse.make(PollenQuestionSettings(accepts_forwards: try await pollen.acceptsForwardedQuestions(by: .member(member))))
    }

    // MARK: Questions

    static func questionID(_ context: PollenRequestContext) throws -> Question.ID {
        guard let raw = context.parameters.get("id"), let id = Question.ID(string: raw) else { throw DomainError.notFound("Question") }
        return id
    }

    static func answerID(_ context: PollenRequestContext) throws -> Answer.ID {
        guard let raw = context.parameters.get("id"), let id = Answer.ID(string: raw) else { throw DomainError.notFound("Answer") }
        return id
    }

    func queue(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let member = try APIAuth.member(context, scope: "read:statuses")
        let params = request.query
        let queue: QuestionQuery.Queue
        if let value = params["queue"]?.nilIfEmpty {
            guard let chosen = QuestionQuery.Queue(rawValue: value) else {
                throw DomainError.invalid("queue must be unanswered, for-me, mine or all.", field: "queue")
            }
            queue = chosen
        } else {
            // As the questions page opens: what still waits for an answer.
            queue = .unanswered
        }
        var community: Community?
        if let slug = params["community"]?.nilIfEmpty {
            community = try await pollen.community(slug: slug, viewer: .member(member)).community
        }
        let limit = min(max(params["limit"].flatMap { Int($0) } ?? Self.defaultPage, 1), Pollen.maxListPageSize)
        let offset = max(params["offset"].flatMap { Int($0) } ?? 0, 0)
        let page = try await pollen.questions(
            QuestionQuery(
                queue: queue, member: member.id, community: community?.id, tag: params["tag"]?.nilIfEmpty, limit: limit, offset: offset),
            viewer: .member(member))
        let base = publicURL.base(for: request)
        return JSONResponse.make(
            PollenQuestionPage(
                questions: page.items.map { PollenQuestion($0.question, author: $0.author, base: base, viewer: member) },
                queue: queue.rawValue, total: page.total, limit: limit, offset: offset))
    }

    func ask(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let member = try APIAuth.member(context, scope: "write:statuses")
        var request = request
        let form = try await request.formData(limit: Self.bodyLimit)
        let toFollowers = try form["to_followers"].map { try MastodonEndpoints.flag($0, field: "to_followers") } ?? true
        let draft = QuestionDraft(
            title: form["title"] ?? "", body: form["body"] ?? "", tags: form.all("tags"), community: form["community"]?.nilIfEmpty,
            toFollowers: toFollowers, askMembers: try await members(handles: form.all("ask"), viewer: member))
        let question = try await pollen.askQuestion(draft, by: .member(member))
        return JSONResponse.make(try await detail(question.id, request, viewer: member), status: .created)
    }

    /// Changes the fields sent of a question's title, details and tags; the others keep their values.
    func editQuestion(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let member = try APIAuth.member(context, scope: "write:statuses")
        let id = try Self.questionID(context)
        var request = request
        let form = try await request.formData(limit: Self.bodyLimit)
        let current = try await pollen.question(id, viewer: .member(member)).question
        _ = try await pollen.editQuestion(
            id, title: form["title"] ?? current.title, body: form["body"] ?? current.body,
            tags: form.has("tags") ? form.all("tags") : current.tags, by: .member(member))
        return JSONResponse.make(try await detail(id, request, viewer: member))
    }

    func measures(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let member = try APIAuth.member(context, scope: "read:statuses")
        let params = request.query
        var days = Self.defaultMeasureDays
        if let value = params["since_days"]?.nilIfEmpty {
            guard let chosen = Int(value.trimmingCharacters(in: .whitespaces)), Self.measureDays.contains(chosen) else {
                throw DomainError.invalid(
                    "since_days must be a number of days from \(Self.measureDays.lowerBound) to \(Self.measureDays.upperBound).",
                    field: "since_days")
            }
            days = chosen
        }
        let found = try await pollen.questionMeasures(
            since: pollen.time.now().addingTimeInterval(-Double(days) * 24 * 3600), community: params["community"]?.nilIfEmpty,
            tag: params["tag"]?.nilIfEmpty, viewer: .member(member))
        return JSONResponse.make(PollenQuestionMeasures(found, sinceDays: days))
    }

    /// The question as its page shows it to the member.
    func detail(_ id: Question.ID, _ request: Request, viewer: Member) async throws -> PollenQuestionDetail {
        PollenQuestionDetail(try await pollen.question(id, viewer: .member(viewer)), base: publicURL.base(for: request), viewer: viewer)
    }

    /// An answer as the question's page shows it, with its author, comments and the member's vote.
    func answerBody(_ answer: Answer, _ request: Request, viewer: Member) async throws -> PollenAnswer {
        let view = try await pollen.question(answer.questionID, viewer: .member(viewer))
        guard let found = view.answers.first(where: { $0.answer.id == answer.id }) else { throw DomainError.notFound("Answer") }
        return PollenAnswer(found, base: publicURL.base(for: request), viewer: viewer)
    }

    /// Questions with their authors; one whose author cannot be seen (suspended) is left out, as the queues do.
    func summaries(_ questions: [Question], base: String, viewer: Member) async throws -> [PollenQuestion] {
        let authors = try await pollen.members(ids: questions.map(\.authorID), viewer: .member(viewer))
        return questions.compactMap { question in
            authors[question.authorID].map { PollenQuestion(question, author: $0, base: base, viewer: viewer) }
        }
    }

    func revisions(_ found: [QARevision], question: Question.ID, answer: Answer.ID?, _ request: Request, viewer: Member) async throws
        -> PollenQARevisionList
    {
        let authors = try await pollen.members(ids: found.map(\.authorID), viewer: .member(viewer))
        let base = publicURL.base(for: request)
        return PollenQARevisionList(
            question_id: question.description, answer_id: OrNull(answer?.description),
            revisions: found.map { PollenQARevision($0, author: authors[$0.authorID], base: base, viewer: viewer) })
    }

    /// The members named by handle (with or without `@`; a list, or text separated by commas, semicolons or white
    /// space). An unknown handle is invalid input rather than a missing page, as in collections.
    func members(handles raw: [String], viewer: Member) async throws -> [Member.ID] {
        let handles = raw.flatMap { $0.split(whereSeparator: { $0 == "," || $0 == ";" || $0.isWhitespace }) }
            .map { $0.hasPrefix("@") ? String($0.dropFirst()) : String($0) }.filter { !$0.isEmpty }
            .uniqued(by: { $0.lowercased() })
        // Checked before looking anyone up, so a long list costs nothing.
        guard handles.count <= Pollen.maxAskedByName else {
            throw DomainError.invalid("Ask at most \(Pollen.maxAskedByName) people by name.", field: "ask")
        }
        var ids: [Member.ID] = []
        for handle in handles {
            do {
                ids.append(try await pollen.profile(handle: handle, viewer: .member(viewer)).id)
            } catch let error as DomainError where error.code == .notFound {
                throw DomainError.invalid("There is no member @\(handle).", field: "ask")
            }
        }
        return ids
    }
}

// MARK: - Entities

/// A question as lists show it.
struct PollenQuestion: Encodable {
    let id: String
    let title: String
    /// Markdown, as written.
    let body: String
    let tags: [String]
    /// Null when it was not asked in a community.
    let community_id: OrNull<String>
    let author: PollenProfile
    let to_followers: Bool
    let created_at: String
    let edited_at: OrNull<String>
    let revision: Int
    let answers_count: Int
    let accepted_answer_id: OrNull<String>
    let first_answer_at: OrNull<String>
    let accepted_at: OrNull<String>
    /// Seconds from asking to the first answer; null while unanswered.
    let time_to_first_answer: OrNull<Double>
    let url: String

    init(_ question: Question, author: Member, base: String, viewer: Member) {
        id = question.id.description
        title = question.title
        body = question.body
        tags = question.tags
        community_id = OrNull(question.communityID?.description)
        self.author = PollenProfile(author, base: base, viewer: viewer)
        to_followers = question.toFollowers
        created_at = question.createdAt.mastodonTimestamp
        edited_at = OrNull(question.editedAt?.mastodonTimestamp)
        revision = question.revision
        answers_count = question.answers
        accepted_answer_id = OrNull(question.acceptedAnswerID?.description)
        first_answer_at = OrNull(question.firstAnswerAt?.mastodonTimestamp)
        accepted_at = OrNull(question.acceptedAt?.mastodonTimestamp)
        time_to_first_answer = OrNull(question.firstAnswerAt.map { $0.timeIntervalSince(question.createdAt) })
        url = "\(base)/questions/\(question.id)"
    }
}

struct PollenQuestionPage: Encodable {
    let questions: [PollenQuestion]
    let queue: String
    let total: Int
    let limit: Int
    let offset: Int
}

struct PollenQuestionList: Encodable {
    let questions: [PollenQuestion]
}

/// A comment on a question or on one of its answers.
struct PollenQAComment: Encodable {
    let id: String
    let question_id: String
    /// Null for a comment on the question itself.
    let answer_id: OrNull<String>
    let author: PollenProfile
    let body: String
    let created_at: String

    init(_ comment: QAComment, author: Member, base: String, viewer: Member) {
        id = comment.id.description
        question_id = comment.questionID.description
        answer_id = OrNull(comment.answerID?.description)
        self.author = PollenProfile(author, base: base, viewer: viewer)
        body = comment.body
        created_at = comment.createdAt.mastodonTimestamp
    }

    init(_ view: QACommentView, base: String, viewer: Member) {
        self.init(view.comment, author: view.author, base: base, viewer: viewer)
    }
}

struct PollenAnswer: Encodable {
    let id: String
    let question_id: String
    /// Markdown, as written.
    let body: String
    let author: PollenProfile
    /// Up votes minus down votes.
    let score: Int
    let accepted: Bool
    /// The viewer's own vote (1 or -1); null when they have not voted.
    let viewer_vote: OrNull<Int>
    let revision: Int
    let created_at: String
    let edited_at: OrNull<String>
    let comments: [PollenQAComment]

    init(_ view: AnswerView, base: String, viewer: Member) {
        id = view.answer.id.description
        question_id = view.answer.questionID.description
        body = view.answer.body
        author = PollenProfile(view.author, base: base, viewer: viewer)
        score = view.answer.score
        accepted = view.accepted
        // A vote taken back is stored as none.
        viewer_vote = OrNull(view.viewerVote.flatMap { $0 == 0 ? nil : $0 })
        revision = view.answer.revision
        created_at = view.answer.createdAt.mastodonTimestamp
        edited_at = OrNull(view.answer.editedAt?.mastodonTimestamp)
        comments = view.comments.map { PollenQAComment($0, base: base, viewer: viewer) }
    }
}

/// How the viewer came to be asked.
struct PollenQuestionReach: Encodable {
    /// 0 for those the asker asked (followers, or by name), 1 for the followers of someone who forwarded it…
    let hop: Int
    /// Asked by name by the asker.
    let named: Bool
    /// The handle of whoever forwarded it to the viewer; null when it was not forwarded (or they cannot be seen).
    let forwarded_by: OrNull<String>
    let note: String
}

/// How far a question travelled, as counts only: never who.
struct PollenQuestionTravel: Encodable {
    struct Hop: Encodable {
        let hop: Int
        let people: Int
    }
    struct Department: Encodable {
        /// Empty for the people of departments too small to name, and those without one.
        let department: String
        let people: Int
    }

    let by_hop: [Hop]
    let by_department: [Department]
    let forwards: Int
    let people: Int

    init(_ travel: QuestionTravel) {
        by_hop = travel.byHop.map { Hop(hop: $0.hop, people: $0.people) }
        by_department = travel.byDepartment.map { Department(department: $0.department, people: $0.people) }
        forwards = travel.forwards
        people = travel.people
    }
}

/// A question with its answers and comments as its page shows it, and what the viewer may do.
struct PollenQuestionDetail: Encodable {
    let question: PollenQuestion
    /// Null when it was not asked in a community.
    let community: OrNull<PollenItem.CommunityLink>
    let answers: [PollenAnswer]
    /// Comments on the question itself (those on an answer come with it).
    let comments: [PollenQAComment]
    let may_accept: Bool
    let may_edit: Bool
    let may_answer: Bool
    let reached: OrNull<PollenQuestionReach>
    /// Only for the asker.
    let travel: OrNull<PollenQuestionTravel>

    init(_ view: QuestionView, base: String, viewer: Member) {
        question = PollenQuestion(view.question, author: view.author, base: base, viewer: viewer)
        community = OrNull(view.community.map { PollenItem.CommunityLink(slug: $0.slug, name: $0.name, url: "\(base)/c/\($0.slug)") })
        answers = view.answers.map { PollenAnswer($0, base: base, viewer: viewer) }
        comments = view.comments.map { PollenQAComment($0, base: base, viewer: viewer) }
        may_accept = view.mayAccept
        may_edit = view.mayEdit
        may_answer = view.mayAnswer
        reached = OrNull(view.viewerReach.map {
            PollenQuestionReach(hop: $0.hop, named: $0.named, forwarded_by: OrNull(view.forwardedBy?.handle), note: $0.note)
        })
        travel = OrNull(view.travel.map(PollenQuestionTravel.init))
    }

    enum CodingKeys: String, CodingKey { case community, answers, comments, may_accept, may_edit, may_answer, reached, travel }

    /// The question's fields, then these, in one object.
    func encode(to encoder: any Encoder) throws {
        try question.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(community, forKey: .community)
        try container.encode(answers, forKey: .answers)
        try container.encode(comments, forKey: .comments)
        try container.encode(may_accept, forKey: .may_accept)
        try container.encode(may_edit, forKey: .may_edit)
        try container.encode(may_answer, forKey: .may_answer)
        try container.encode(reached, forKey: .reached)
        try container.encode(travel, forKey: .travel)
    }
}

/// One saved text of a question or answer.
struct PollenQARevision: Encodable {
    let number: Int
    /// Empty for an answer.
    let title: String
    let body: String
    /// Null when the editor's profile cannot be seen any more.
    let author: OrNull<PollenProfile>
    let created_at: String

    init(_ revision: QARevision, author: Member?, base: String, viewer: Member) {
        number = revision.number
        title = revision.title
        body = revision.body
        self.author = OrNull(author.map { PollenProfile($0, base: base, viewer: viewer) })
        created_at = revision.createdAt.mastodonTimestamp
    }
}

struct PollenQARevisionList: Encodable {
    let question_id: String
    /// Null for the question's own history.
    let answer_id: OrNull<String>
    /// The newest first.
    let revisions: [PollenQARevision]
}

struct PollenExpert: Encodable {
    let account: PollenProfile
    /// Why they are suggested, in words.
    let reasons: [String]
}

struct PollenExpertList: Encodable {
    let experts: [PollenExpert]

    init(_ found: [ExpertSuggestion], base: String, viewer: Member) {
        experts = found.map { PollenExpert(account: PollenProfile($0.member, base: base, viewer: viewer), reasons: $0.reasons) }
    }
}

struct PollenQuestionForwarded: Encodable {
    /// How many people the forward reached (never who).
    let reached: Int
}

struct PollenQuestionRouted: Encodable {
    /// How many of those named were asked now (not those asked already or who may not see it).
    let routed: Int
}

struct PollenQuestionSettings: Encodable {
    let accepts_forwards: Bool
}

struct PollenQuestionMeasures: Encodable {
    let since_days: Int
    let asked: Int
    let answered: Int
    /// Medians in seconds; null with nothing to measure.
    let time_to_first_answer: OrNull<Double>
    let time_to_accepted: OrNull<Double>
    /// Shares from 0 to 1 of the questions asked at least that long ago; null when there are none.
    let answered_within_day: OrNull<Double>
    let answered_within_week: OrNull<Double>
    let answerers: Int
    let departments: Int

    init(_ measures: QuestionMeasures, sinceDays: Int) {
        since_days = sinceDays
        asked = measures.asked
        answered = measures.answered
        time_to_first_answer = OrNull(measures.timeToFirstAnswer)
        time_to_accepted = OrNull(measures.timeToAccepted)
        answered_within_day = OrNull(measures.answeredWithinDay)
        answered_within_week = OrNull(measures.answeredWithinWeek)
        answerers = measures.answerers
        departments = measures.departments
    }
}
