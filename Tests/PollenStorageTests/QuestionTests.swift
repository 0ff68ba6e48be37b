import Foundation
import PollenCore
import PollenStorage
import Testing

private let minute: TimeInterval = 60
private let hour: TimeInterval = 3600
private let day: TimeInterval = 24 * hour
/// 1 March 2026, whole seconds so every moment derived from it survives the round trip.
private let start = Date(timeIntervalSince1970: 1_772_323_200)

private func m(_ id: Int64) -> Member.ID { Member.ID(id) }

// MARK: - Fixtures

/// The application, its clock and members 1–14 by id (9 is an administrator).
private struct World {
    let pollen: Pollen
    let clock: ManualTimeSource
    let m: [Int64: Member]

    func actor(_ id: Int64) -> Actor { .member(m[id]!) }
}

private func withWorld(
    _ engine: Engine, departments: [Int64: String] = [:], expertise: [Int64: [String]] = [:], suspended: Set<Int64> = [],
    hidden: Set<Int64> = [], _ body: (World) async throws -> Void
) async throws {
    try await withStore(engine) { store in
        let members = (1...14).map { id -> Member in
            var member = makeMember(
                Int64(id), handle: "m\(id)", department: departments[Int64(id)] ?? "", expertise: expertise[Int64(id)] ?? [],
                role: id == 9 ? .admin : .member, status: suspended.contains(Int64(id)) ? .suspended : .active,
                createdAt: start.addingTimeInterval(-365 * day))
            member.privacy = NetworkPrivacy(audience: .everyone, discoverable: !hidden.contains(Int64(id)))
            return member
        }
        try await store.write { try await $0.members.insertMany(members) }
        let clock = ManualTimeSource(start)
        try await body(
            World(
                pollen: Pollen(store: store, secrets: PlainSecrets(), time: clock), clock: clock,
                m: Dictionary(uniqueKeysWithValues: members.map { ($0.id.rawValue, $0) })))
    }
}

@discardableResult
private func ask(
    _ w: World, _ title: String, by asker: Int64, tags: [String] = [], community: String? = nil, toFollowers: Bool = true,
    named: [Int64] = []
) async throws -> Question {
    try await w.pollen.askQuestion(
        QuestionDraft(title: title, body: "Details of: \(title)", tags: tags, community: community, toFollowers: toFollowers,
                      askMembers: named.map(m)),
        by: w.actor(asker))
}

/// `follower` follows each of `followees`, through the use case.
private func follow(_ w: World, _ follower: Int64, _ followees: Int64...) async throws {
    for followee in followees { try await w.pollen.followMember(m(followee), by: w.actor(follower)) }
}

@discardableResult
private func community(
    _ w: World, _ slug: String, _ membership: Community.Membership = .open, founder: Int64 = 1, members: [Int64] = []
) async throws -> Community {
    let made = try await w.pollen.createCommunity(
        CommunityDraft(slug: slug, name: "Community \(slug)", kind: .horizontal, purpose: "Why \(slug) exists", membership: membership),
        by: w.actor(founder))
    for id in members {
        if membership == .private { try await w.pollen.decide(.invite, about: m(id), in: slug, by: w.actor(founder)) }
        try await w.pollen.joinCommunity(slug: slug, by: w.actor(id))
        if membership == .onRequest { try await w.pollen.decide(.approve, about: m(id), in: slug, by: w.actor(founder)) }
    }
    return made
}

/// The member's notifications of `kind`, newest first.
private func told(_ w: World, _ member: Int64, _ kind: MemberNotification.Kind) async throws -> [MemberNotification] {
    try await w.pollen.notifications(by: w.actor(member), kinds: [kind], range: CursorRange(limit: 40)).map(\.notification)
}

/// Every question notification the member has, of any kind.
private func toldAboutQuestions(_ w: World, _ member: Int64) async throws -> [MemberNotification] {
    try await w.pollen.notifications(
        by: w.actor(member), kinds: Set(MemberNotification.Kind.allCases.filter(\.isQuestion)), range: CursorRange(limit: 40)
    ).map(\.notification)
}

private func reach(_ w: World, _ member: Int64, on question: Question) async throws -> QuestionReach? {
    try await w.pollen.store.read { try await $0.questions.reach(of: m(member), on: question.id) }
}

private func stored(_ w: World, _ question: Question) async throws -> Question? {
    try await w.pollen.store.read { try await $0.questions.find(id: question.id) }
}

private func queue(
    _ w: World, _ viewer: Int64, _ queue: QuestionQuery.Queue, community: Community.ID? = nil, tag: String? = nil
) async throws -> [Question.ID] {
    try await w.pollen.questions(QuestionQuery(queue: queue, member: m(viewer), community: community, tag: tag), viewer: w.actor(viewer))
        .items.map(\.question.id)
}

private func expectError(
    _ code: DomainError.Code, _ what: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation,
    _ work: () async throws -> Void
) async {
    do {
        try await work()
        Issue.record("expected \(code)\(what.map { ": \($0)" } ?? "")", sourceLocation: sourceLocation)
    } catch let error as DomainError {
        #expect(error.code == code, "\(what.map { "\($0): " } ?? "")\(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
    }
}

/// Questions and answers on every engine: asking and whom it reaches, answering, voting, accepting, editing,
/// the queues, similar questions, forwarding through people's networks, expert suggestions and the measures.
@Suite struct QuestionTests {
    // MARK: - Asking

    @Test(arguments: Engine.enabled)
    func askingChecksTheTitleTheAudienceAndHowManyAreNamed(engine: Engine) async throws {
        try await withWorld(engine) { w in
            await expectError(.invalidInput, "a title under ten characters") {
                try await ask(w, "Why rota?", by: 1)
            }
            await expectError(.invalidInput, "spaces do not count towards the title") {
                try await ask(w, "   Why rota?        ", by: 1)
            }
            await expectError(.invalidInput, "nobody to ask") {
                try await ask(w, "How do we plan the August rota?", by: 1, toFollowers: false)
            }
            await expectError(.invalidInput, "naming only oneself is nobody to ask") {
                try await ask(w, "How do we plan the August rota?", by: 1, toFollowers: false, named: [1])
            }
            await expectError(.invalidInput, "eleven people by name") {
                try await ask(w, "How do we plan the August rota?", by: 1, named: Array(2...12))
            }
            #expect(try await queue(w, 1, .all).isEmpty, "nothing refused is stored")

            // Ten by name (the asker and repeats not counted) is the most allowed.
            let question = try await ask(
                w, "  How do we plan the August rota?  ", by: 1, toFollowers: false, named: [1, 2, 2] + Array(3...11))
            #expect(question.title == "How do we plan the August rota?")
            #expect(try await stored(w, question) == question)
            #expect(try await queue(w, 1, .all) == [question.id])
        }
    }

    @Test(arguments: Engine.enabled)
    func askingFollowersReachesEachAtHopZeroWithoutNotifyingThem(engine: Engine) async throws {
        try await withWorld(engine) { w in
            try await follow(w, 2, 1)
            try await follow(w, 3, 1)
            try await follow(w, 4, 1)
            try await follow(w, 1, 5)
            // Opting out refuses other people's forwards, not the questions of the people one follows.
            try await w.pollen.setAcceptsForwardedQuestions(false, by: w.actor(4))

            let question = try await ask(w, "Who signs off travel over 500 euros?", by: 1)
            for id: Int64 in [2, 3, 4] {
                #expect(
                    try await reach(w, id, on: question)
                        == QuestionReach(questionID: question.id, memberID: m(id), hop: 0, forwardedBy: nil, note: "", named: false, at: start),
                    "follower \(id)")
                #expect(try await toldAboutQuestions(w, id).isEmpty, "follower \(id) is not notified")
                #expect(try await queue(w, id, .forMe) == [question.id], "follower \(id) finds it in their queue")
            }
            #expect(try await reach(w, 5, on: question) == nil, "someone the asker follows is not a follower")
            #expect(try await reach(w, 1, on: question) == nil, "the asker is not reached")
            #expect(try await queue(w, 5, .forMe).isEmpty)

            // Asked to nobody's followers, the followers are not reached.
            let quiet = try await ask(w, "Who signs off travel under 500 euros?", by: 1, toFollowers: false, named: [6])
            #expect(try await reach(w, 2, on: quiet) == nil)
        }
    }

    @Test(arguments: Engine.enabled)
    func namedColleaguesAreNotifiedOnceAndCanBeAddedLater(engine: Engine) async throws {
        try await withWorld(engine, suspended: [7]) { w in
            try await w.pollen.setBlocked(true, m(1), by: w.actor(8))
            try await w.pollen.setBlocked(true, m(10), by: w.actor(1))
            let question = try await ask(w, "Who knows the new expense tool?", by: 1, toFollowers: false, named: [2, 3, 7, 8, 10])
            for id: Int64 in [2, 3] {
                let notes = try await toldAboutQuestions(w, id)
                #expect(notes.map(\.kind) == [.questionRouted], "member \(id)")
                #expect(notes.first?.actorID == m(1))
                #expect(notes.first?.questionID == question.id)
                #expect(try await reach(w, id, on: question)?.named == true)
                #expect(try await reach(w, id, on: question)?.hop == 0)
            }
            #expect(try await reach(w, 7, on: question) == nil, "a suspended member is not asked")
            #expect(try await reach(w, 8, on: question) == nil, "someone who blocks the asker is not asked")
            #expect(try await reach(w, 10, on: question) == nil, "someone the asker blocks is not asked")
            #expect(try await toldAboutQuestions(w, 10).isEmpty)
            let blockerNotes = try await w.pollen.store.read {
                try await $0.notifications.list(member: m(8), kinds: [.questionRouted], range: CursorRange(limit: 10))
            }
            #expect(blockerNotes.isEmpty, "someone who blocks the asker is not told")
            #expect(try await toldAboutQuestions(w, 1).isEmpty, "the asker is not told of their own question")

            // Asking more later: only the new ones count and are told.
            #expect(try await w.pollen.routeQuestion(question.id, to: [2, 4, 8].map(m), by: w.actor(1)) == 1)
            #expect(try await told(w, 2, .questionRouted).count == 1)
            #expect(try await told(w, 4, .questionRouted).map(\.questionID) == [question.id])
            await expectError(.forbidden, "only the asker asks more people") {
                _ = try await w.pollen.routeQuestion(question.id, to: [5].map(m), by: w.actor(2))
            }
            #expect(try await reach(w, 5, on: question) == nil)
        }
    }

    @Test(arguments: Engine.enabled)
    func aQuestionInAPrivateCommunityStaysInside(engine: Engine) async throws {
        try await withWorld(engine) { w in
            try await community(w, "board", .private, founder: 1, members: [2, 4, 5])
            try await community(w, "open", .open, founder: 1)
            await expectError(.notFound, "an outsider asking in a private community") {
                try await ask(w, "What is on the board agenda?", by: 3, community: "board")
            }
            await expectError(.forbidden, "an open community's questions come from its members") {
                try await ask(w, "What is on the open agenda?", by: 3, community: "open")
            }
            try await follow(w, 3, 2)
            try await follow(w, 4, 2)
            // 2's followers are asked, but only those inside; a named outsider is not asked either.
            let question = try await ask(w, "What is on the board agenda for March?", by: 2, community: "board", named: [3, 1])
            #expect(try await reach(w, 3, on: question) == nil)
            #expect(try await toldAboutQuestions(w, 3).isEmpty)
            #expect(try await reach(w, 4, on: question)?.hop == 0)
            #expect(try await reach(w, 1, on: question)?.named == true)

            await expectError(.notFound, "question() for an outsider") { _ = try await w.pollen.question(question.id, viewer: w.actor(3)) }
            await expectError(.notFound, "answering from outside") {
                try await w.pollen.answerQuestion(question.id, body: "Budget", by: w.actor(3))
            }
            for q in QuestionQuery.Queue.allCases {
                #expect(try await queue(w, 3, q).isEmpty, "the \(q) queue of an outsider")
            }
            #expect(try await w.pollen.similarQuestions(to: "board agenda", viewer: w.actor(3)).isEmpty)

            // Members and administrators see it everywhere.
            #expect(try await w.pollen.question(question.id, viewer: w.actor(4)).question == question)
            #expect(try await w.pollen.question(question.id, viewer: w.actor(9)).question == question)
            #expect(try await queue(w, 4, .forMe) == [question.id])
            #expect(try await queue(w, 9, .all) == [question.id])
            #expect(try await w.pollen.similarQuestions(to: "board agenda", viewer: w.actor(1)).map(\.id) == [question.id])

            // A member forwarding it reaches only their followers inside.
            try await follow(w, 3, 4)
            try await follow(w, 1, 4)
            try await follow(w, 5, 4)
            #expect(try await w.pollen.forwardQuestion(question.id, by: w.actor(4)) == 1, "1 was asked already, 3 is outside")
            #expect(try await reach(w, 3, on: question) == nil)
            #expect(try await reach(w, 5, on: question)?.hop == 1)
        }
    }

    // MARK: - Answers

    @Test(arguments: Engine.enabled)
    func answeringTellsTheAskerAndSetsTheFirstAnswerOnce(engine: Engine) async throws {
        try await withWorld(engine) { w in
            let question = try await ask(w, "How do I book a meeting room?", by: 1)
            await expectError(.invalidInput, "an empty answer") {
                try await w.pollen.answerQuestion(question.id, body: "   ", by: w.actor(2))
            }
            await expectError(.notFound, "an answer to no question") {
                try await w.pollen.answerQuestion(Question.ID(424_242), body: "Yes", by: w.actor(2))
            }
            w.clock.advance(by: 2 * hour)
            let first = try await w.pollen.answerQuestion(question.id, body: "In the calendar app.", by: w.actor(2))
            var now = try #require(try await stored(w, question))
            #expect(now.answers == 1)
            #expect(now.firstAnswerAt == start.addingTimeInterval(2 * hour))
            #expect(now.isAnswered)
            let notes = try await told(w, 1, .questionAnswered)
            #expect(notes.map(\.actorID) == [m(2)])
            #expect(notes.map(\.questionID) == [question.id])

            w.clock.advance(by: hour)
            try await w.pollen.answerQuestion(question.id, body: "Or ask reception.", by: w.actor(3))
            now = try #require(try await stored(w, question))
            #expect(now.answers == 2)
            #expect(now.firstAnswerAt == start.addingTimeInterval(2 * hour), "the first answer's time is kept")
            #expect(try await told(w, 1, .questionAnswered).map(\.actorID) == [m(3), m(2)])
            #expect(try await w.pollen.question(question.id, viewer: w.actor(4)).answers.map(\.answer.authorID) == [m(2), m(3)])
            #expect(try await w.pollen.question(question.id, viewer: w.actor(4)).answers.first?.answer == first)
        }
    }

    @Test(arguments: Engine.enabled)
    func votesAreOnePerMemberAndOrderTheAnswers(engine: Engine) async throws {
        try await withWorld(engine) { w in
            let question = try await ask(w, "Which laptop should I order?", by: 1)
            let older = try await w.pollen.answerQuestion(question.id, body: "The 14 inch one.", by: w.actor(2))
            w.clock.advance(by: minute)
            let newer = try await w.pollen.answerQuestion(question.id, body: "The light one.", by: w.actor(3))
            func order(_ viewer: Int64 = 1) async throws -> [Answer.ID] {
                try await w.pollen.question(question.id, viewer: w.actor(viewer)).answers.map(\.answer.id)
            }
            #expect(try await order() == [older.id, newer.id], "equal scores: the oldest first")

            #expect(try await w.pollen.voteAnswer(newer.id, value: 1, by: w.actor(4)).score == 1)
            #expect(try await order() == [newer.id, older.id], "the best score first")
            #expect(try await w.pollen.voteAnswer(newer.id, value: -1, by: w.actor(4)).score == -1, "a new vote replaces the old one")
            #expect(try await order() == [older.id, newer.id])
            #expect(try await w.pollen.voteAnswer(newer.id, value: 1, by: w.actor(5)).score == 0)
            #expect(try await w.pollen.voteAnswer(newer.id, value: 0, by: w.actor(4)).score == 1, "0 takes the vote back")
            #expect(try await w.pollen.voteAnswer(newer.id, value: 0, by: w.actor(4)).score == 1, "taking back twice changes nothing")
            #expect(try await w.pollen.voteAnswer(newer.id, value: 1, by: w.actor(5)).score == 1, "voting the same again changes nothing")

            await expectError(.conflict, "a vote on one's own answer") { try await w.pollen.voteAnswer(newer.id, value: 1, by: w.actor(3)) }
            await expectError(.invalidInput, "a vote of 2") { try await w.pollen.voteAnswer(newer.id, value: 2, by: w.actor(4)) }
            await expectError(.notFound, "a vote on no answer") { try await w.pollen.voteAnswer(Answer.ID(424_242), value: 1, by: w.actor(4)) }

            let view = try await w.pollen.question(question.id, viewer: w.actor(5))
            #expect(view.answers.map(\.answer.score) == [1, 0])
            #expect(view.answers.map(\.viewerVote) == [1, nil])
            #expect(try await w.pollen.question(question.id, viewer: w.actor(4)).answers.map(\.viewerVote) == [nil, nil])
            let kept = try await w.pollen.store.read { try await $0.questions.answer(id: newer.id) }
            #expect(kept?.score == 1)
        }
    }

    @Test(arguments: Engine.enabled)
    func theAskerOrACommunityManagerAccepts(engine: Engine) async throws {
        try await withWorld(engine) { w in
            try await community(w, "ops", founder: 1, members: [2, 3, 4])
            let question = try await ask(w, "Where are the spare badges kept?", by: 2, community: "ops")
            let three = try await w.pollen.answerQuestion(question.id, body: "At reception.", by: w.actor(3))
            let four = try await w.pollen.answerQuestion(question.id, body: "In the safe.", by: w.actor(4))

            await expectError(.forbidden, "another member accepting") { try await w.pollen.acceptAnswer(three.id, by: w.actor(4)) }
            await expectError(.forbidden, "someone outside accepting") { try await w.pollen.acceptAnswer(three.id, by: w.actor(5)) }
            #expect(try await w.pollen.question(question.id, viewer: w.actor(4)).mayAccept == false)
            #expect(try await w.pollen.question(question.id, viewer: w.actor(2)).mayAccept)
            #expect(try await w.pollen.question(question.id, viewer: w.actor(1)).mayAccept, "the community's manager")

            w.clock.advance(by: hour)
            let accepted = try await w.pollen.acceptAnswer(three.id, by: w.actor(2))
            #expect(accepted.acceptedAnswerID == three.id)
            #expect(accepted.acceptedAt == start.addingTimeInterval(hour))
            #expect(try await stored(w, question) == accepted)
            #expect(try await told(w, 3, .answerAccepted).map(\.questionID) == [question.id])
            #expect(try await told(w, 3, .answerAccepted).map(\.actorID) == [m(2)])
            #expect(try await told(w, 4, .answerAccepted).isEmpty)
            #expect(try await w.pollen.question(question.id, viewer: w.actor(5)).answers.map(\.accepted) == [true, false])

            // The manager may change it; the first acceptance time is what the measures keep.
            w.clock.advance(by: hour)
            let changed = try await w.pollen.acceptAnswer(four.id, by: w.actor(1))
            #expect(changed.acceptedAnswerID == four.id)
            #expect(try await stored(w, question)?.acceptedAt == start.addingTimeInterval(hour))
            #expect(try await told(w, 4, .answerAccepted).map(\.actorID) == [m(1)])

            // Outside any community only the asker accepts: not even an administrator.
            let plain = try await ask(w, "Is the canteen open on Saturdays?", by: 5)
            let answer = try await w.pollen.answerQuestion(plain.id, body: "No.", by: w.actor(6))
            await expectError(.forbidden, "an administrator on a question outside communities") {
                try await w.pollen.acceptAnswer(answer.id, by: w.actor(9))
            }
            #expect(try await w.pollen.acceptAnswer(answer.id, by: w.actor(5)).acceptedAnswerID == answer.id)
        }
    }

    @Test(arguments: Engine.enabled)
    func editsKeepEveryRevisionAndOnlyTheAuthorOrAnAdministratorEdits(engine: Engine) async throws {
        try await withWorld(engine) { w in
            let question = try await ask(w, "How do I claim mileage?", by: 1, tags: ["expenses"])
            await expectError(.forbidden, "someone else editing the question") {
                try await w.pollen.editQuestion(question.id, title: "How do I claim my mileage?", body: "", tags: [], by: w.actor(2))
            }
            await expectError(.invalidInput, "a title too short") {
                try await w.pollen.editQuestion(question.id, title: "Mileage?", body: "", tags: [], by: w.actor(1))
            }
            w.clock.advance(by: hour)
            let edited = try await w.pollen.editQuestion(
                question.id, title: "How do I claim mileage for a hire car?", body: "A hire car, not mine.", tags: ["#Expenses", "cars"],
                by: w.actor(1))
            #expect(edited.revision == 2)
            #expect(edited.tags == ["expenses", "cars"])
            #expect(edited.editedAt == start.addingTimeInterval(hour))
            #expect(try await stored(w, question) == edited)
            // The same text again is no new revision.
            let same = try await w.pollen.editQuestion(
                question.id, title: edited.title, body: edited.body, tags: edited.tags, by: w.actor(1))
            #expect(same.revision == 2)
            w.clock.advance(by: hour)
            #expect(
                try await w.pollen.editQuestion(
                    question.id, title: "How do I claim mileage for a hire car abroad?", body: edited.body, tags: edited.tags,
                    by: w.actor(9)
                ).revision == 3, "an administrator edits")

            let revisions = try await w.pollen.questionRevisions(question.id, viewer: w.actor(4))
            #expect(revisions.map(\.number) == [3, 2, 1], "newest first")
            #expect(revisions.map(\.title) == [
                "How do I claim mileage for a hire car abroad?", "How do I claim mileage for a hire car?", "How do I claim mileage?",
            ])
            #expect(revisions.map(\.authorID) == [m(9), m(1), m(1)])
            #expect(revisions.map(\.createdAt) == [start.addingTimeInterval(2 * hour), start.addingTimeInterval(hour), start])

            let answer = try await w.pollen.answerQuestion(question.id, body: "Use the mileage form.", by: w.actor(2))
            await expectError(.forbidden, "someone else editing the answer") {
                try await w.pollen.editAnswer(answer.id, body: "Use form B.", by: w.actor(3))
            }
            await expectError(.forbidden, "the asker editing someone's answer") {
                try await w.pollen.editAnswer(answer.id, body: "Use form B.", by: w.actor(1))
            }
            w.clock.advance(by: hour)
            let changed = try await w.pollen.editAnswer(answer.id, body: "Use the mileage form, section B.", by: w.actor(2))
            #expect(changed.revision == 2)
            #expect(changed.editedAt == start.addingTimeInterval(3 * hour))
            #expect(try await w.pollen.editAnswer(answer.id, body: "Use form B.", by: w.actor(9)).revision == 3)
            let answerRevisions = try await w.pollen.questionRevisions(question.id, answer: answer.id, viewer: w.actor(4))
            #expect(answerRevisions.map(\.body) == ["Use form B.", "Use the mileage form, section B.", "Use the mileage form."])
            #expect(answerRevisions.map(\.authorID) == [m(9), m(2), m(2)])
            #expect(try await w.pollen.questionRevisions(question.id, viewer: w.actor(4)).count == 3, "kept apart from the question's")
            #expect(try await w.pollen.question(question.id, viewer: w.actor(4)).answers.first?.answer.body == "Use form B.")
            #expect(try await w.pollen.question(question.id, viewer: w.actor(1)).mayEdit)
            #expect(try await w.pollen.question(question.id, viewer: w.actor(4)).mayEdit == false)
        }
    }

    @Test(arguments: Engine.enabled)
    func commentsOnTheQuestionAndOnAnAnswerAppearWhereTheyBelong(engine: Engine) async throws {
        try await withWorld(engine) { w in
            let question = try await ask(w, "Can I bring a guest to the summer party?", by: 1)
            let other = try await ask(w, "Is the summer party on a Friday?", by: 1)
            let first = try await w.pollen.answerQuestion(question.id, body: "One guest each.", by: w.actor(2))
            let second = try await w.pollen.answerQuestion(question.id, body: "Ask HR.", by: w.actor(3))
            let onQuestion = try await w.pollen.commentOnQuestion(question.id, body: "Children too?", by: w.actor(4))
            let onAnswer = try await w.pollen.commentOnQuestion(question.id, answer: second.id, body: "HR said yes.", by: w.actor(5))
            await expectError(.notFound, "a comment on another question's answer") {
                try await w.pollen.commentOnQuestion(other.id, answer: first.id, body: "Wrong place", by: w.actor(4))
            }
            await expectError(.invalidInput, "an empty comment") {
                try await w.pollen.commentOnQuestion(question.id, body: " ", by: w.actor(4))
            }

            let view = try await w.pollen.question(question.id, viewer: w.actor(6))
            #expect(view.comments.map(\.comment) == [onQuestion])
            #expect(view.comments.map(\.author.id) == [m(4)])
            let byAnswer = Dictionary(uniqueKeysWithValues: view.answers.map { ($0.answer.id, $0.comments.map(\.comment)) })
            #expect(byAnswer[second.id] == [onAnswer])
            #expect(byAnswer[first.id] == [])
            #expect(try await w.pollen.question(other.id, viewer: w.actor(6)).comments.isEmpty)
        }
    }

    // MARK: - Queues

    @Test(arguments: Engine.enabled)
    func theQueuesListWhatEachMemberShouldAnswerOrFollow(engine: Engine) async throws {
        try await withWorld(engine, expertise: [5: ["travel"]]) { w in
            let ops = try await community(w, "ops", founder: 3, members: [5])
            try await follow(w, 6, 2)
            try await follow(w, 5, 6)
            let routed = try await ask(w, "Who approves overtime in August?", by: 1, toFollowers: false, named: [5])
            w.clock.advance(by: minute)
            let forwarded = try await ask(w, "Who orders new chairs for the office?", by: 2)
            w.clock.advance(by: minute)
            let onExpertise = try await ask(w, "Which trains go to the Lyon office?", by: 3, tags: ["Travel"], community: "ops")
            w.clock.advance(by: minute)
            let own = try await ask(w, "Can travel be booked on a personal card?", by: 5, tags: ["travel"])
            w.clock.advance(by: minute)
            let unrelated = try await ask(w, "What is the best recipe for the bake-off?", by: 4, tags: ["baking", "travel-food"])
            try await w.pollen.forwardQuestion(forwarded.id, note: "You know this", by: w.actor(6))

            #expect(
                try await queue(w, 5, .forMe) == [onExpertise.id, forwarded.id, routed.id],
                "routed, forwarded and on the member's expertise, newest first; not their own, not a longer tag")
            #expect(try await queue(w, 5, .mine) == [own.id])
            #expect(try await queue(w, 5, .all) == [unrelated.id, own.id, onExpertise.id, forwarded.id, routed.id])
            #expect(try await queue(w, 7, .forMe).isEmpty, "someone with no expertise and never asked")

            try await w.pollen.answerQuestion(forwarded.id, body: "Facilities do.", by: w.actor(7))
            #expect(try await queue(w, 5, .unanswered) == [routed.id, onExpertise.id, own.id, unrelated.id], "oldest first")

            #expect(try await queue(w, 5, .all, community: ops.id) == [onExpertise.id])
            #expect(try await queue(w, 5, .unanswered, community: ops.id) == [onExpertise.id])
            #expect(try await queue(w, 5, .all, tag: "#Travel") == [own.id, onExpertise.id], "a whole tag, however typed")
            #expect(try await queue(w, 5, .all, tag: "trav").isEmpty)
            #expect(try await queue(w, 5, .forMe, tag: "travel") == [onExpertise.id])
            #expect(try await queue(w, 5, .mine, tag: "baking").isEmpty)

            let page = try await w.pollen.questions(QuestionQuery(queue: .all, member: m(5), limit: 2, offset: 1), viewer: w.actor(5))
            #expect(page.items.map(\.question.id) == [own.id, onExpertise.id])
            #expect(page.total == 5)
            #expect(page.items.map(\.author.id) == [m(5), m(3)])
        }
    }

    @Test(arguments: Engine.enabled)
    func similarQuestionsMatchTheLongerWordsOfTheTitleAnsweredFirst(engine: Engine) async throws {
        try await withWorld(engine) { w in
            let plan = try await ask(w, "How do we plan the August rota?", by: 1)
            w.clock.advance(by: minute)
            let nurses = try await ask(w, "Planning the August rota for nurses", by: 2)
            w.clock.advance(by: minute)
            let swaps = try await ask(w, "Are August rota swaps allowed?", by: 3)
            w.clock.advance(by: minute)
            let canteen = try await ask(w, "Where is the canteen in the new building?", by: 4)

            func similar(_ title: String) async throws -> [Question.ID] {
                try await w.pollen.similarQuestions(to: title, viewer: w.actor(5)).map(\.id)
            }
            // august, rota and planning: "nurses" has all three, the others two of them, the newer first.
            #expect(try await similar("August rota planning") == [nurses.id, swaps.id, plan.id])
            // Answered, the older of two equals comes first.
            try await w.pollen.answerQuestion(plan.id, body: "With the rota tool.", by: w.actor(6))
            #expect(try await similar("August rota planning") == [nurses.id, plan.id, swaps.id])
            // An accepted answer counts as answered too.
            let answer = try await w.pollen.answerQuestion(swaps.id, body: "Yes, with a manager's consent.", by: w.actor(6))
            try await w.pollen.acceptAnswer(answer.id, by: w.actor(3))
            #expect(try await similar("August rota planning") == [nurses.id, swaps.id, plan.id], "both answered: the newer first")

            #expect(try await similar("How do we do it?").isEmpty, "words under four letters carry nothing")
            #expect(try await similar("the rota").count == 3, "only rota counts; the canteen question has 'the' but not 'rota'")
            #expect(try await similar("canteen") == [canteen.id])
            #expect(try await similar("Quarterly budgets").isEmpty)
        }
    }

    // MARK: - Forwarding

    @Test(arguments: Engine.enabled)
    func forwardsReachTheForwardersFollowersOneHopFurther(engine: Engine) async throws {
        try await withWorld(
            engine, departments: [3: "Sales", 4: "Sales", 7: "Sales", 8: "Legal", 10: "Legal", 5: "Sales"], suspended: [12]
        ) { w in
            // A (1) asks their one follower, 10. B (2) is not a follower of A.
            try await follow(w, 10, 1)
            // B's followers: C (3), 4, 5 (opted out), 6 (blocks A), 10 (already asked), 11 (blocked by A), 12 (suspended) and A.
            for id: Int64 in [3, 4, 5, 6, 10, 11, 1] { try await follow(w, id, 2) }
            try await w.pollen.store.write { repos in
                _ = try await repos.network.follow(id: 990_001, follower: m(12), followee: m(2), at: start)
            }
            // C's followers: 7, 8, 4 (already reached) and 5 (opted out).
            for id: Int64 in [7, 8, 4, 5] { try await follow(w, id, 3) }
            try await w.pollen.setBlocked(true, m(1), by: w.actor(6))
            try await w.pollen.setBlocked(true, m(11), by: w.actor(1))
            try await w.pollen.setAcceptsForwardedQuestions(false, by: w.actor(5))
            #expect(try await w.pollen.acceptsForwardedQuestions(by: w.actor(5)) == false)
            #expect(try await w.pollen.acceptsForwardedQuestions(by: w.actor(4)))

            let question = try await ask(w, "Does anyone know a good Spanish tutor?", by: 1)
            #expect(try await reach(w, 10, on: question)?.hop == 0)

            await expectError(.conflict, "forwarding one's own question") {
                try await w.pollen.forwardQuestion(question.id, note: "Please", by: w.actor(1))
            }

            w.clock.advance(by: hour)
            #expect(try await w.pollen.forwardQuestion(question.id, note: "Worth a look", by: w.actor(2)) == 2)
            for id: Int64 in [3, 4] {
                #expect(
                    try await reach(w, id, on: question)
                        == QuestionReach(
                            questionID: question.id, memberID: m(id), hop: 1, forwardedBy: m(2), note: "Worth a look", named: false,
                            at: start.addingTimeInterval(hour)))
                let notes = try await told(w, id, .questionForwarded)
                #expect(notes.map(\.actorID) == [m(2)], "member \(id)")
                #expect(notes.map(\.questionID) == [question.id])
            }
            for id: Int64 in [5, 6, 11, 12, 1] {
                #expect(try await reach(w, id, on: question) == nil, "member \(id) is not reached")
            }
            for id: Int64 in [5, 6, 11] {
                #expect(try await toldAboutQuestions(w, id).isEmpty, "member \(id) is not told")
            }
            #expect(try await reach(w, 10, on: question)?.hop == 0, "someone asked already keeps how they were asked")
            #expect(try await toldAboutQuestions(w, 10).isEmpty)

            w.clock.advance(by: hour)
            #expect(try await w.pollen.forwardQuestion(question.id, by: w.actor(3)) == 2)
            for id: Int64 in [7, 8] {
                let reached = try await reach(w, id, on: question)
                #expect(reached?.hop == 2, "member \(id)")
                #expect(reached?.forwardedBy == m(3))
            }
            #expect(try await reach(w, 4, on: question)?.forwardedBy == m(2), "not reached twice")
            #expect(try await told(w, 4, .questionForwarded).count == 1)
            #expect(try await reach(w, 5, on: question) == nil, "an opt-out is never reached")

            // Forwarding again reaches nobody new, and counts as a forward.
            #expect(try await w.pollen.forwardQuestion(question.id, by: w.actor(2)) == 0)

            // The asker learns how far it went: 10 at hop 0, 3 and 4 at hop 1, 7 and 8 at hop 2; Sales (3, 4, 7) by
            // name, Legal (8, 10) too small to show, so counted with those without a department.
            let travel = try #require(try await w.pollen.question(question.id, viewer: w.actor(1)).travel)
            #expect(travel.byHop.map(\.hop) == [0, 1, 2])
            #expect(travel.byHop.map(\.people) == [1, 2, 2])
            #expect(travel.byDepartment.map(\.department) == ["Sales", ""])
            #expect(travel.byDepartment.map(\.people) == [3, 2])
            #expect(travel.forwards == 3)
            #expect(travel.people == 5)

            let seenByC = try await w.pollen.question(question.id, viewer: w.actor(3))
            #expect(seenByC.travel == nil, "only the asker sees how far it travelled")
            #expect(seenByC.viewerReach?.hop == 1)
            #expect(seenByC.forwardedBy?.id == m(2))
            #expect(try await w.pollen.question(question.id, viewer: w.actor(2)).travel == nil)
            #expect(try await w.pollen.question(question.id, viewer: w.actor(2)).viewerReach == nil)

            // Opting back in lets a later forward reach them.
            try await w.pollen.setAcceptsForwardedQuestions(true, by: w.actor(5))
            #expect(try await w.pollen.acceptsForwardedQuestions(by: w.actor(5)))
            #expect(try await w.pollen.forwardQuestion(question.id, by: w.actor(3)) == 1)
            #expect(try await reach(w, 5, on: question)?.hop == 2)
            let after = try #require(try await w.pollen.question(question.id, viewer: w.actor(1)).travel)
            #expect(after.byDepartment.map(\.department) == ["Sales", ""])
            #expect(after.byDepartment.map(\.people) == [4, 2])
        }
    }

    // MARK: - Experts

    @Test(arguments: Engine.enabled)
    func expertsComeFromExpertiseAcceptedAnswersAndCommunityExperts(engine: Engine) async throws {
        try await withWorld(
            engine, expertise: [1: ["budgets"], 2: ["budgets"], 6: ["budgets"], 7: ["budgets"], 8: ["budgets"], 10: ["budgets"]],
            suspended: [6], hidden: [7]
        ) { w in
            // 3 has an accepted answer on a budgets question.
            let earlier = try await ask(w, "How are budgets split between teams?", by: 4, tags: ["budgets"])
            let answer = try await w.pollen.answerQuestion(earlier.id, body: "By headcount.", by: w.actor(3))
            try await w.pollen.acceptAnswer(answer.id, by: w.actor(4))
            // 5 is a subject-matter expert of "fin", which 1 (the viewer) manages.
            try await community(w, "fin", founder: 1, members: [5, 11])
            try await w.pollen.decide(.role(.sme), about: m(5), in: "fin", by: w.actor(1))
            // 8 is blocked by the viewer; 10 blocks the viewer.
            try await w.pollen.setBlocked(true, m(8), by: w.actor(1))
            try await w.pollen.setBlocked(true, m(1), by: w.actor(10))

            func experts(_ tags: [String], community: String? = nil, excluding: [Int64] = []) async throws -> [ExpertSuggestion] {
                try await w.pollen.experts(tags: tags, community: community, excluding: excluding.map(m), viewer: w.actor(1))
            }
            // 3: 2.5 for one accepted answer; 2 and 5: 2 each, by id.
            let inFin = try await experts(["#Budgets"], community: "fin")
            #expect(inFin.map(\.member.id) == [m(3), m(2), m(5)])
            #expect(inFin.map(\.reasons) == [
                ["1 accepted answer on these subjects"], ["Lists #budgets as expertise"], ["Subject-matter expert of the community"],
            ])
            #expect(try await experts(["budgets"]).map(\.member.id) == [m(3), m(2)], "without the community, no community expert")
            #expect(try await experts(["budgets"], excluding: [3]).map(\.member.id) == [m(2)])
            #expect(try await experts(["gardening"]).isEmpty)
            #expect(try await experts([]).isEmpty)

            // Seen by 4, who blocks nobody: 8 and 10 are there, and 1 is offered too.
            let byFour = try await w.pollen.experts(tags: ["budgets"], viewer: w.actor(4)).map(\.member.id)
            #expect(byFour == [m(3), m(1), m(2), m(8), m(10)])
        }
    }

    @Test(arguments: Engine.enabled)
    func routingSpreadsTheLoadToAnEqualExpert(engine: Engine) async throws {
        try await withWorld(engine, expertise: [2: ["rota"], 3: ["rota"]]) { w in
            func experts() async throws -> [ExpertSuggestion] { try await w.pollen.experts(tags: ["rota"], viewer: w.actor(1)) }
            #expect(try await experts().map(\.member.id) == [m(2), m(3)], "equals, by id")

            var routed: [Question] = []
            for n in 1...3 {
                routed.append(try await ask(w, "Rota question number \(n) for the team?", by: 1, toFollowers: false, named: [2]))
            }
            let busy = try await experts()
            #expect(busy.map(\.member.id) == [m(3), m(2)], "three waiting put 2 below 3")
            #expect(busy.last?.reasons == ["Lists #rota as expertise", "3 questions already waiting for them"])

            // Someone else's answer does not lift the load; their own answer or an accepted one does.
            try await w.pollen.answerQuestion(routed[0].id, body: "Ask 2.", by: w.actor(4))
            #expect(try await experts().last?.reasons.last == "3 questions already waiting for them")
            try await w.pollen.answerQuestion(routed[0].id, body: "Mondays.", by: w.actor(2))
            let other = try await w.pollen.answerQuestion(routed[1].id, body: "Fridays.", by: w.actor(5))
            try await w.pollen.acceptAnswer(other.id, by: w.actor(1))
            #expect(try await experts().last?.reasons.last == "1 question already waiting for them")
            #expect(try await experts().map(\.member.id) == [m(3), m(2)])
            try await w.pollen.answerQuestion(routed[2].id, body: "Weekly.", by: w.actor(2))
            let free = try await experts()
            #expect(free.map(\.member.id) == [m(2), m(3)], "nothing waiting: back to equals")
            #expect(free.first?.reasons == ["Lists #rota as expertise"])
        }
    }

    // MARK: - Measures

    @Test(arguments: Engine.enabled)
    func measuresTellHowFastAndByWhomQuestionsAreAnswered(engine: Engine) async throws {
        try await withWorld(engine, departments: [2: "Sales", 3: "Legal", 6: " sales "]) { w in
            let quick = try await ask(w, "Where is the printer on floor two?", by: 1)
            let slow = try await ask(w, "Who renews the software licences?", by: 1)
            try await ask(w, "Is there a travel policy for trains?", by: 4, tags: ["travel"])

            w.clock.advance(by: 2 * hour)
            let printer = try await w.pollen.answerQuestion(quick.id, body: "By the lifts.", by: w.actor(2))
            w.clock.advance(by: 2 * hour)
            try await w.pollen.acceptAnswer(printer.id, by: w.actor(1))
            w.clock.advance(by: 3 * day - 4 * hour)
            try await w.pollen.answerQuestion(slow.id, body: "Legal does.", by: w.actor(3))
            w.clock.advance(by: hour)
            try await w.pollen.answerQuestion(slow.id, body: "IT does.", by: w.actor(6))
            try await w.pollen.answerQuestion(slow.id, body: "Ask IT.", by: w.actor(5))
            w.clock.advance(by: 2 * day - hour)
            // Asked on day 5, three days before the measures are read: old enough for the day, not for the week.
            try await ask(w, "Who waters the plants at weekends?", by: 7)
            w.clock.advance(by: 3 * day)

            let all = try await w.pollen.questionMeasures(since: start, viewer: w.actor(1))
            #expect(all.asked == 4)
            #expect(all.answered == 2)
            #expect(all.timeToFirstAnswer == (2 * hour + 3 * day) / 2, "the median of 2 hours and 3 days")
            #expect(all.timeToAccepted == 4 * hour)
            #expect(all.answeredWithinDay == 1.0 / 4.0)
            #expect(all.answeredWithinWeek == 2.0 / 3.0, "the question asked 3 days ago is left out of the week")
            #expect(all.answerers == 4)
            #expect(all.departments == 2, "Sales and sales are one; no department is none")

            let recent = try await w.pollen.questionMeasures(since: start.addingTimeInterval(day), viewer: w.actor(1))
            #expect(recent.asked == 1)
            #expect(recent.answered == 0)
            #expect(recent.timeToFirstAnswer == nil)
            #expect(recent.answeredWithinDay == 0)
            #expect(recent.answeredWithinWeek == nil)
            #expect(recent.answerers == 0)

            let travel = try await w.pollen.questionMeasures(since: start, tag: "travel", viewer: w.actor(1))
            #expect(travel.asked == 1)
            #expect(travel.answered == 0)
        }
    }
}
