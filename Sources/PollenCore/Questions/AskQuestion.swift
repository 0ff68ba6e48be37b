import Foundation

/// What a member types to ask.
public struct QuestionDraft: Sendable, Equatable {
    public var title: String
    public var body: String
    public var tags: [String]
    /// A community's address, to ask its members.
    public var community: String?
    public var toFollowers: Bool
    /// Colleagues to ask by name (those Pollen suggested, or anyone).
    public var askMembers: [Member.ID]

    public init(
        title: String, body: String = "", tags: [String] = [], community: String? = nil, toFollowers: Bool = true,
        askMembers: [Member.ID] = []
    ) {
        self.title = title
        self.body = body
        self.tags = tags
        self.community = community
        self.toFollowers = toFollowers
        self.askMembers = askMembers
    }
}

/// An answer with its author and the viewer's vote.
public struct AnswerView: Sendable, Equatable {
    public let answer: Answer
    public let author: Member
    public let accepted: Bool
    public let viewerVote: Int?
    public let comments: [QACommentView]
}

public struct QACommentView: Sendable, Equatable {
    public let comment: QAComment
    public let author: Member
}

/// A question as a viewer sees it.
public struct QuestionView: Sendable, Equatable {
    public let question: Question
    public let author: Member
    public let community: Community?
    public let answers: [AnswerView]
    public let comments: [QACommentView]
    /// How the viewer came to be asked (named, or forwarded by someone), if they were.
    public let viewerReach: QuestionReach?
    public let forwardedBy: Member?
    /// How far it travelled: for the asker only.
    public let travel: QuestionTravel?
    public let mayAccept: Bool
    public let mayEdit: Bool
    public let mayAnswer: Bool
}

/// A suggested person to ask, with the reasons.
public struct ExpertSuggestion: Sendable, Equatable {
    public let member: Member
    public let reasons: [String]
}

/// How well questions get answered, over a window.
public struct QuestionMeasures: Sendable, Equatable {
    public var asked = 0
    public var answered = 0
    /// Medians, nil when nothing to measure.
    public var timeToFirstAnswer: TimeInterval?
    public var timeToAccepted: TimeInterval?
    /// Of the questions asked at least that long ago, the share answered within 24 hours / 7 days.
    public var answeredWithinDay: Double?
    public var answeredWithinWeek: Double?
    public var answerers = 0
    public var departments = 0

    public init() {}
}

extension Pollen {
    public static let questionTitleLength = 10...200
    public static let questionBodyMax = 20_000
    public static let answerBodyMax = 20_000
    /// Named colleagues per question: enough for a team, too few to spam a department.
    public static let maxAskedByName = 10
    /// Followers reached by one ask or forward; the rest find it in the queues.
    public static let maxReachPerStep = 1_000

    /// Asks a question to the asker's followers, a community and named colleagues (any mix). The named ones
    /// are notified; followers find it in their "for me" queue.
    public func askQuestion(_ draft: QuestionDraft, by actor: Actor) async throws -> Question {
        let asker = try activeMember(actor)
        let now = time.now()
        let title = draft.title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard Self.questionTitleLength.contains(title.count) else {
            throw DomainError.invalid(
                "Ask in \(Self.questionTitleLength.lowerBound) to \(Self.questionTitleLength.upperBound) characters: a whole question, such as “How do you plan rotas in August?”.",
                field: "title")
        }
        let body = try Self.validText(draft.body, max: Self.questionBodyMax, name: "The details", field: "body", allowEmpty: true)
        let tags = try ProfileRules.tags(draft.tags.flatMap(ProfileRules.splitTagList), name: "Tags", field: "tags")
        let named = draft.askMembers.uniqued().filter { $0 != asker.id }
        guard named.count <= Self.maxAskedByName else {
            throw DomainError.invalid("Ask at most \(Self.maxAskedByName) people by name.", field: "ask")
        }
        let slug = draft.community?.trimmingCharacters(in: .whitespaces).lowercased()
        guard draft.toFollowers || !(slug ?? "").isEmpty || !named.isEmpty else {
            throw DomainError.invalid("Choose whom to ask: your followers, a community, or people by name.", field: "audience")
        }
        let id = Question.ID(ids.next())
        let notificationIDs = (0..<Self.maxAskedByName).map { _ in ids.next() }
        return try await store.write { repos in
            var community: Community?
            if let slug, !slug.isEmpty {
                let (found, membership) = try await Self.readableCommunity(slug, viewer: asker, repos: repos)
                try AccessPolicy.require(AccessPolicy.mayContribute(to: found, membership: membership, by: asker))
                community = found
            }
            let screening = try await Self.screen(
                [title, body, tags.joined(separator: " ")].joined(separator: "\n"), by: asker, community: community, content: .question,
                at: now, repos: repos)
            var question = Question(
                id: id, authorID: asker.id, title: title, body: body, tags: tags, communityID: community?.id,
                toFollowers: draft.toFollowers, createdAt: now)
            try await repos.questions.insert(question)
            try await repos.questions.insertRevision(
                QARevision(number: 1, title: title, body: body, authorID: asker.id, createdAt: now), question: id, answer: nil)
            try await Self.applyScreening(
                screening, to: ContentRef(.question, id.rawValue), author: asker, ids: [ids.next(), ids.next()], at: now, repos: repos)
            question.withholding = screening.withholding
            // Named people first: one who also follows the asker must be recorded (and told) as asked by name.
            try await Self.route(question, to: named, community: community, asker: asker, ids: notificationIDs, at: now, repos: repos)
            if draft.toFollowers {
                _ = try await repos.questions.reachFollowers(
                    of: asker.id, question: question, hop: 0, note: "", at: now, limit: Self.maxReachPerStep)
            }
            return question
        }
    }

    /// Asks more people by name after asking (the asker only).
    public func routeQuestion(_ id: Question.ID, to members: [Member.ID], by actor: Actor) async throws -> Int {
        let asker = try activeMember(actor)
        let now = time.now()
        let named = members.uniqued().filter { $0 != asker.id }
        guard !named.isEmpty, named.count <= Self.maxAskedByName else {
            throw DomainError.invalid("Choose one to \(Self.maxAskedByName) people to ask.", field: "ask")
        }
        let notificationIDs = (0..<Self.maxAskedByName).map { _ in ids.next() }
        return try await store.write { repos in
            let (question, community) = try await Self.visibleQuestion(id, viewer: asker, repos: repos)
            try AccessPolicy.require(question.authorID == asker.id)
            return try await Self.route(question, to: named, community: community, asker: asker, ids: notificationIDs, at: now, repos: repos)
        }
    }

    /// Up to five people to ask about a question (its tags and community), with the reasons; people with many
    /// routed questions waiting are put back so the load spreads.
    public func experts(
        tags rawTags: [String], community slug: String? = nil, excluding: [Member.ID] = [], askedAbout question: Question.ID? = nil,
        viewer actor: Actor
    ) async throws -> [ExpertSuggestion] {
        let viewer = try activeMember(actor)
        let tags = (try? ProfileRules.tags(rawTags.flatMap(ProfileRules.splitTagList), name: "Tags", field: "tags")) ?? []
        return try await store.read { repos in
            var candidates: [Member.ID: ExpertCandidate] = [:]
            for candidate in try await repos.questions.expertCandidates(tags: tags, limit: 100) {
                candidates[candidate.member] = candidate
            }
            var community: Community?
            if let slug, !slug.isEmpty {
                let (found, _) = try await Self.readableCommunity(slug, viewer: viewer, repos: repos)
                community = found
                for expert in try await repos.communities.leaders(of: found.id) {
                    candidates[expert, default: ExpertCandidate(member: expert)].communityExpert = true
                }
            }
            let skip = Set(excluding + [viewer.id])
            let pending = try await repos.questions.pendingRoutes(of: Array(candidates.keys))
            for (member, count) in pending { candidates[member]?.pending = count }
            let people = try await Self.membersByID(Array(candidates.keys), repos: repos)
            let blocked = Set(try await repos.network.relationships(of: viewer.id, with: Array(candidates.keys))
                .filter { $0.blocking || $0.blockedBy }.map(\.target))
            var eligible: [ExpertCandidate] = []
            for candidate in candidates.values where !skip.contains(candidate.member) && !blocked.contains(candidate.member) {
                guard let person = people[candidate.member], AccessPolicy.mayOffer(person, to: viewer) else { continue }
                // Offering to ask again someone the question already reached would ask nobody new.
                if let question, try await repos.questions.reach(of: person.id, on: question) != nil { continue }
                if let community, community.membership == .private,
                    try await repos.communities.membership(of: person.id, in: community.id)?.isActive != true
                {
                    continue
                }
                eligible.append(candidate)
            }
            return ExpertRouting.rank(eligible).compactMap { suggestion in
                people[suggestion.member].map { ExpertSuggestion(member: $0, reasons: suggestion.reasons) }
            }
        }
    }

    /// The question with its answers and comments, as the viewer may see it.
    public func question(_ id: Question.ID, viewer actor: Actor) async throws -> QuestionView {
        let viewer = try activeMember(actor)
        return try await store.read { repos in
            let (question, community) = try await Self.visibleQuestion(id, viewer: viewer, repos: repos)
            let answers = try await repos.questions.answers(to: id)
            let comments = try await repos.questions.comments(on: id)
            let reach = try await repos.questions.reach(of: viewer.id, on: id)
            let people = try await Self.membersByID(
                [question.authorID] + answers.map(\.authorID) + comments.map(\.authorID) + [reach?.forwardedBy].compactMap { $0 },
                repos: repos)
            guard let author = people[question.authorID] else { throw DomainError.notFound("Question") }
            let votes = try await repos.questions.votes(of: viewer.id, on: answers.map(\.id))
            let commentViews = { (answer: Answer.ID?) in
                comments.filter { $0.answerID == answer }.compactMap { c in people[c.authorID].map { QACommentView(comment: c, author: $0) } }
            }
            let membership = try await community.asyncMap { try await repos.communities.membership(of: viewer.id, in: $0.id) } ?? nil
            return QuestionView(
                question: question, author: author, community: community,
                answers: answers.compactMap { answer in
                    people[answer.authorID].map {
                        AnswerView(
                            answer: answer, author: $0, accepted: question.acceptedAnswerID == answer.id,
                            viewerVote: votes[answer.id], comments: commentViews(answer.id))
                    }
                },
                comments: commentViews(nil), viewerReach: reach, forwardedBy: reach?.forwardedBy.flatMap { people[$0] },
                travel: question.authorID == viewer.id ? try await repos.questions.travel(of: id) : nil,
                mayAccept: Self.mayAccept(question, community: community, membership: membership, viewer: viewer),
                mayEdit: question.authorID == viewer.id || viewer.isAdmin,
                mayAnswer: community.map { AccessPolicy.mayContribute(to: $0, membership: membership, by: viewer) } ?? true)
        }
    }

    /// A queue of questions.
    public func questions(_ query: QuestionQuery, viewer actor: Actor) async throws -> Page<(question: Question, author: Member)> {
        let viewer = try activeMember(actor)
        var query = query
        query.member = viewer.id
        query.expertise = viewer.profile.expertise
        query.limit = min(max(query.limit, 1), Self.maxListPageSize)
        query.offset = max(query.offset, 0)
        query.tag = query.tag.map(ProfileRules.normalizedTag)
        let final = query
        return try await store.read { repos in
            let page = try await repos.questions.list(final, visibleTo: viewer.isAdmin ? nil : viewer.id)
            let authors = try await Self.membersByID(page.items.map(\.authorID), repos: repos)
            return Page(items: page.items.compactMap { q in authors[q.authorID].map { (q, $0) } }, total: page.total)
        }
    }

    /// Questions like the one being typed, so the asker can find an answer before asking.
    public func similarQuestions(to title: String, limit: Int = 5, viewer actor: Actor) async throws -> [Question] {
        let viewer = try activeMember(actor)
        // Short words ("how", "do", "we") match everything; the longer ones carry the meaning.
        let words = title.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
            .filter { $0.count >= 4 }.uniqued().prefix(8).map { $0 }
        guard !words.isEmpty else { return [] }
        return try await store.read { repos in
            try await repos.questions.similar(to: words, visibleTo: viewer.isAdmin ? nil : viewer.id, limit: min(max(limit, 1), 20))
        }
    }

    /// Answers a question; the asker is told.
    @discardableResult
    public func answerQuestion(_ id: Question.ID, body raw: String, by actor: Actor) async throws -> Answer {
        let author = try activeMember(actor)
        let now = time.now()
        let body = try Self.validText(raw, max: Self.answerBodyMax, name: "An answer", field: "body")
        let answerID = Answer.ID(ids.next())
        let notificationID = ids.next()
        return try await store.write { repos in
            var (question, community) = try await Self.visibleQuestion(id, viewer: author, repos: repos)
            if let community {
                let membership = try await repos.communities.membership(of: author.id, in: community.id)
                try AccessPolicy.require(AccessPolicy.mayContribute(to: community, membership: membership, by: author))
            }
            let screening = try await Self.screen(body, by: author, community: community, content: .answer, at: now, repos: repos)
            var answer = Answer(id: answerID, questionID: id, authorID: author.id, body: body, createdAt: now)
            try await repos.questions.insertAnswer(answer)
            answer.withholding = screening.withholding
            try await repos.questions.insertRevision(
                QARevision(number: 1, title: "", body: body, authorID: author.id, createdAt: now), question: id, answer: answerID)
            try await Self.applyScreening(
                screening, to: ContentRef(.answer, answerID.rawValue), author: author, ids: [ids.next(), ids.next()], at: now,
                repos: repos)
            // A held answer counts, and the asker hears of it, once it is approved.
            if screening.withholding != nil { return answer }
            question.answers += 1
            if question.firstAnswerAt == nil { question.firstAnswerAt = now }
            try await repos.questions.update(question)
            try await Self.notify(
                question.authorID, kind: .questionAnswered, actor: author.id, post: nil, question: id, id: notificationID, at: now,
                repos: repos)
            return answer
        }
    }

    /// Votes an answer up (+1) or down (−1), or takes the vote back (0). One vote per member, never on one's own.
    @discardableResult
    public func voteAnswer(_ id: Answer.ID, value: Int, by actor: Actor) async throws -> Answer {
        let member = try activeMember(actor)
        let now = time.now()
        guard [-1, 0, 1].contains(value) else { throw DomainError.invalid("A vote is up (1), down (-1) or none (0).", field: "value") }
        return try await store.write { repos in
            guard var answer = try await repos.questions.answer(id: id), answer.deletedAt == nil else { throw DomainError.notFound("Answer") }
            _ = try await Self.visibleQuestion(answer.questionID, viewer: member, repos: repos)
            guard answer.authorID != member.id else { throw DomainError(.conflict, "You cannot vote on your own answer.") }
            let previous = try await repos.questions.vote(id, by: member.id, value: value, at: now) ?? 0
            answer.score += value - previous
            try await repos.questions.updateAnswer(answer)
            return answer
        }
    }

    /// Accepts an answer: the asker, or a manager of the question's community. Accepting another replaces it.
    @discardableResult
    public func acceptAnswer(_ id: Answer.ID, by actor: Actor) async throws -> Question {
        let member = try activeMember(actor)
        let now = time.now()
        let notificationID = ids.next()
        return try await store.write { repos in
            guard let answer = try await repos.questions.answer(id: id), answer.deletedAt == nil else { throw DomainError.notFound("Answer") }
            var (question, community) = try await Self.visibleQuestion(answer.questionID, viewer: member, repos: repos)
            let membership = try await community.asyncMap { try await repos.communities.membership(of: member.id, in: $0.id) } ?? nil
            try AccessPolicy.require(Self.mayAccept(question, community: community, membership: membership, viewer: member))
            if question.acceptedAnswerID == id { return question }
            question.acceptedAnswerID = id
            if question.acceptedAt == nil { question.acceptedAt = now }
            try await repos.questions.update(question)
            try await Self.notify(
                answer.authorID, kind: .answerAccepted, actor: member.id, post: nil, question: question.id, id: notificationID,
                at: now, repos: repos)
            return question
        }
    }

    /// Comments on a question (`answer` nil) or an answer.
    @discardableResult
    public func commentOnQuestion(_ id: Question.ID, answer: Answer.ID? = nil, body raw: String, by actor: Actor) async throws -> QAComment {
        let author = try activeMember(actor)
        let now = time.now()
        let body = try Self.validText(raw, max: Self.commentMax, name: "A comment", field: "body")
        let commentID = QAComment.ID(ids.next())
        return try await store.write { repos in
            let community = try await Self.visibleQuestion(id, viewer: author, repos: repos).1
            // As for answers: a community's question takes comments from its members.
            if let community {
                let membership = try await repos.communities.membership(of: author.id, in: community.id)
                try AccessPolicy.require(AccessPolicy.mayContribute(to: community, membership: membership, by: author))
            }
            if let answer {
                guard let found = try await repos.questions.answer(id: answer), found.questionID == id, found.deletedAt == nil else {
                    throw DomainError.notFound("Answer")
                }
            }
            let screening = try await Self.screen(body, by: author, community: community, content: .comment, at: now, repos: repos)
            let comment = QAComment(id: commentID, questionID: id, answerID: answer, authorID: author.id, body: body, createdAt: now)
            try await repos.questions.insertComment(comment)
            try await Self.applyScreening(
                screening, to: ContentRef(.qaComment, commentID.rawValue), author: author, ids: [ids.next(), ids.next()], at: now,
                repos: repos)
            return comment
        }
    }

    /// Changes a question's title, text or tags (its asker, or an administrator); the earlier text is kept.
    @discardableResult
    public func editQuestion(_ id: Question.ID, title rawTitle: String, body rawBody: String, tags rawTags: [String], by actor: Actor)
        async throws -> Question
    {
        let editor = try activeMember(actor)
        let now = time.now()
        let title = rawTitle.trimmingCharacters(in: .whitespacesAndNewlines)
        guard Self.questionTitleLength.contains(title.count) else {
            throw DomainError.invalid(
                "A question has \(Self.questionTitleLength.lowerBound) to \(Self.questionTitleLength.upperBound) characters.", field: "title")
        }
        let body = try Self.validText(rawBody, max: Self.questionBodyMax, name: "The details", field: "body", allowEmpty: true)
        let tags = try ProfileRules.tags(rawTags.flatMap(ProfileRules.splitTagList), name: "Tags", field: "tags")
        return try await store.write { repos in
            var (question, _) = try await Self.visibleQuestion(id, viewer: editor, repos: repos)
            try AccessPolicy.require(question.authorID == editor.id || editor.isAdmin)
            guard question.title != title || question.body != body || question.tags != tags else { return question }
            try await Self.screenEdit(
                [title, body, tags.joined(separator: " ")].joined(separator: "\n"), of: ContentRef(.question, id.rawValue), by: editor,
                caseID: ids.next(), at: now, repos: repos)
            question.title = title
            question.body = body
            question.tags = tags
            question.revision += 1
            question.editedAt = now
            try await repos.questions.update(question)
            try await repos.questions.insertRevision(
                QARevision(number: question.revision, title: title, body: body, authorID: editor.id, createdAt: now),
                question: id, answer: nil)
            return question
        }
    }

    /// Changes an answer's text (its author, or an administrator); the earlier text is kept.
    @discardableResult
    public func editAnswer(_ id: Answer.ID, body raw: String, by actor: Actor) async throws -> Answer {
        let editor = try activeMember(actor)
        let now = time.now()
        let body = try Self.validText(raw, max: Self.answerBodyMax, name: "An answer", field: "body")
        return try await store.write { repos in
            guard var answer = try await repos.questions.answer(id: id), answer.deletedAt == nil else { throw DomainError.notFound("Answer") }
            _ = try await Self.visibleQuestion(answer.questionID, viewer: editor, repos: repos)
            try AccessPolicy.require(answer.authorID == editor.id || editor.isAdmin)
            guard answer.body != body else { return answer }
            try await Self.screenEdit(body, of: ContentRef(.answer, id.rawValue), by: editor, caseID: ids.next(), at: now, repos: repos)
            answer.body = body
            answer.revision += 1
            answer.editedAt = now
            try await repos.questions.updateAnswer(answer)
            try await repos.questions.insertRevision(
                QARevision(number: answer.revision, title: "", body: body, authorID: editor.id, createdAt: now),
                question: answer.questionID, answer: id)
            return answer
        }
    }

    /// Earlier texts of a question (`answer` nil) or an answer, newest first.
    public func questionRevisions(_ id: Question.ID, answer: Answer.ID? = nil, viewer actor: Actor) async throws -> [QARevision] {
        let viewer = try activeMember(actor)
        return try await store.read { repos in
            _ = try await Self.visibleQuestion(id, viewer: viewer, repos: repos)
            return try await repos.questions.revisions(question: id, answer: answer)
        }
    }

    /// Passes a question on to the forwarder's own followers, with a note. Their followers see who forwarded
    /// it; the asker learns only how many it reached, by hop and department. Followers who switched forwards
    /// off are never reached. Returns how many were reached.
    @discardableResult
    public func forwardQuestion(_ id: Question.ID, note raw: String = "", by actor: Actor) async throws -> Int {
        let forwarder = try activeMember(actor)
        let now = time.now()
        let note = try Self.validText(raw, max: 280, name: "A note", field: "note", allowEmpty: true)
        let notificationIDs = (0..<Self.maxAudience).map { _ in ids.next() }
        return try await store.write { repos in
            let (question, _) = try await Self.visibleQuestion(id, viewer: forwarder, repos: repos)
            guard question.authorID != forwarder.id else {
                throw DomainError(.conflict, "It is your own question: your followers were asked when you asked it, if you chose them.")
            }
            // One step further than the way it reached the forwarder; someone who found it by browsing starts a new branch.
            let hop = (try await repos.questions.reach(of: forwarder.id, on: id)?.hop ?? 0) + 1
            let reached = try await repos.questions.reachFollowers(
                of: forwarder.id, question: question, hop: hop, note: note, at: now, limit: Self.maxReachPerStep)
            try await repos.questions.recordForward(question: id, by: forwarder.id, note: note, at: now)
            var next = notificationIDs.makeIterator()
            for member in reached {
                guard let notificationID = next.next() else { break }
                try await Self.notify(
                    member, kind: .questionForwarded, actor: forwarder.id, post: nil, question: id, id: notificationID, at: now,
                    repos: repos)
            }
            return reached.count
        }
    }

    /// Switches off (or on again) that other people's questions reach the member through forwards.
    public func setAcceptsForwardedQuestions(_ accepts: Bool, by actor: Actor) async throws {
        let member = try activeMember(actor)
        try await store.write { try await $0.questions.setForwardOptOut(!accepts, member: member.id) }
    }

    public func acceptsForwardedQuestions(by actor: Actor) async throws -> Bool {
        let member = try activeMember(actor)
        return try await store.read { try await $0.questions.forwardOptOuts(among: [member.id]).isEmpty }
    }

    /// Time to first and accepted answer, shares answered within a day and a week, and how many people and
    /// departments answered — for questions asked since `since` (in a community or on a tag, if given).
    public func questionMeasures(since: Date, community slug: String? = nil, tag: String? = nil, viewer actor: Actor) async throws
        -> QuestionMeasures
    {
        let viewer = try activeMember(actor)
        let now = time.now()
        return try await store.read { repos in
            var community: Community?
            if let slug, !slug.isEmpty { community = try await Self.readableCommunity(slug, viewer: viewer, repos: repos).0 }
            var measures = QuestionMeasures()
            var asked: [Question] = []
            var offset = 0
            // Measures read every question of the window, a page at a time.
            while true {
                let page = try await repos.questions.list(
                    QuestionQuery(queue: .all, member: viewer.id, community: community?.id, tag: tag.map(ProfileRules.normalizedTag),
                                  limit: 500, offset: offset),
                    visibleTo: viewer.isAdmin ? nil : viewer.id)
                let recent = page.items.filter { $0.createdAt >= since }
                asked += recent
                offset += page.items.count
                if recent.count < page.items.count || page.items.count < 500 || offset >= 20_000 { break }
            }
            measures.asked = asked.count
            measures.answered = asked.count { $0.firstAnswerAt != nil }
            measures.timeToFirstAnswer = Self.median(asked.compactMap { q in q.firstAnswerAt.map { $0.timeIntervalSince(q.createdAt) } })
            measures.timeToAccepted = Self.median(asked.compactMap { q in q.acceptedAt.map { $0.timeIntervalSince(q.createdAt) } })
            func share(within window: TimeInterval) -> Double? {
                let old = asked.filter { now.timeIntervalSince($0.createdAt) >= window }
                guard !old.isEmpty else { return nil }
                return Double(old.count { q in q.firstAnswerAt.map { $0.timeIntervalSince(q.createdAt) <= window } ?? false }) / Double(old.count)
            }
            measures.answeredWithinDay = share(within: 24 * 3600)
            measures.answeredWithinWeek = share(within: 7 * 24 * 3600)
            var answerers = Set<Member.ID>()
            var departments = Set<String>()
            for question in asked where question.answers > 0 {
                for person in try await repos.questions.answerers(of: question.id) {
                    answerers.insert(person.id)
                    let department = person.profile.department.trimmingCharacters(in: .whitespaces).lowercased()
                    if !department.isEmpty { departments.insert(department) }
                }
            }
            measures.answerers = answerers.count
            measures.departments = departments.count
            return measures
        }
    }

    /// The question an answer belongs to, if the viewer may see it.
    public func questionOfAnswer(_ id: Answer.ID, viewer actor: Actor) async throws -> Question.ID {
        let viewer = try activeMember(actor)
        return try await store.read { repos in
            guard let answer = try await repos.questions.answer(id: id), answer.deletedAt == nil else { throw DomainError.notFound("Answer") }
            return try await Self.visibleQuestion(answer.questionID, viewer: viewer, repos: repos).0.id
        }
    }

    /// Members by id, for lists that name authors (suspended ones left out).
    public func members(ids: [Member.ID], viewer actor: Actor) async throws -> [Member.ID: Member] {
        _ = try activeMember(actor)
        return try await store.read { repos in try await Self.membersByID(ids, repos: repos) }.filter { !$0.value.isSuspended }
    }

    // MARK: - Helpers

    static func median(_ values: [TimeInterval]) -> TimeInterval? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// The asker accepts; in a community its managers may too (the asker may have left or gone quiet).
    static func mayAccept(_ question: Question, community: Community?, membership: CommunityMember?, viewer: Member) -> Bool {
        guard !viewer.isSuspended else { return false }
        if question.authorID == viewer.id { return true }
        guard let community else { return false }
        return AccessPolicy.mayManage(community, membership: membership, by: viewer)
    }

    /// The question and its community, or not found when it is in a private community the viewer is not in.
    static func visibleQuestion(_ id: Question.ID, viewer: Member, repos: any Repositories) async throws -> (Question, Community?) {
        guard let question = try await repos.questions.find(id: id) else { throw DomainError.notFound("Question") }
        // A held or removed question exists for its asker and those who moderate it; the people it was routed to
        // see it (and their notifications about it) once it is approved.
        let seesWithheld = question.authorID == viewer.id || viewer.isModerator
        guard let communityID = question.communityID else {
            guard question.withholding == nil || seesWithheld else { throw DomainError.notFound("Question") }
            return (question, nil)
        }
        guard let community = try await repos.communities.find(id: communityID) else { throw DomainError.notFound("Question") }
        let membership = try await repos.communities.membership(of: viewer.id, in: communityID)
        guard AccessPolicy.mayRead(community, membership: membership, viewer: viewer) else { throw DomainError.notFound("Question") }
        guard question.withholding == nil || seesWithheld || AccessPolicy.mayManage(community, membership: membership, by: viewer)
        else { throw DomainError.notFound("Question") }
        return (question, community)
    }

    /// Records and notifies the colleagues asked by name who may see the question and do not block the asker.
    @discardableResult
    static func route(
        _ question: Question, to members: [Member.ID], community: Community?, asker: Member, ids: [Int64], at now: Date,
        repos: any Repositories
    ) async throws -> Int {
        var next = ids.makeIterator()
        var routed = 0
        for person in try await repos.members.find(ids: members) where !person.isSuspended {
            if let community {
                let membership = try await repos.communities.membership(of: person.id, in: community.id)
                guard AccessPolicy.mayRead(community, membership: membership, viewer: person) else { continue }
            }
            // A block either way keeps the question from them, as it does a forward.
            let relation = try await relationship(person.id, asker.id, repos: repos)
            guard !relation.blocking, !relation.blockedBy else { continue }
            guard try await repos.questions.reach(
                QuestionReach(questionID: question.id, memberID: person.id, hop: 0, forwardedBy: nil, named: true, at: now))
            else { continue }
            routed += 1
            guard let id = next.next() else { continue }
            try await notify(person.id, kind: .questionRouted, actor: asker.id, post: nil, question: question.id, id: id, at: now, repos: repos)
        }
        return routed
    }
}

extension Optional {
    /// `map` with an asynchronous, throwing transform.
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
