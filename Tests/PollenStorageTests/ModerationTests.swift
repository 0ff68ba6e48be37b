import Foundation
import PollenCore
@testable import PollenStorage
import SQLKit
import Testing

private let minute: TimeInterval = 60
private let hour: TimeInterval = 3600
private let day: TimeInterval = 24 * hour
/// 1 March 2026, whole seconds so every moment derived from it survives the round trip.
private let start = Date(timeIntervalSince1970: 1_772_323_200)

private func m(_ id: Int64) -> Member.ID { Member.ID(id) }

// MARK: - Fixtures

/// Members 1–8, 9 an administrator, 10 and 11 moderators, all a year old; 12 and 13 members and 14 a moderator
/// who signed up themselves at the start (new members for the new-member limits).
private func people() -> [Member] {
    (1...14).map { id -> Member in
        let role: Member.Role = switch id {
        case 9: .admin
        case 10, 11, 14: .moderator
        default: .member
        }
        var member = makeMember(Int64(id), handle: "m\(id)", role: role, createdAt: id >= 12 ? start : start.addingTimeInterval(-365 * day))
        // The new ones signed up themselves: the new-member limits are for them.
        member.selfRegistered = id >= 12
        return member
    }
}

/// The application over a fresh store, its clock, the members by id and the folder uploaded files go to.
private struct World {
    let pollen: Pollen
    let clock: ManualTimeSource
    let m: [Int64: Member]
    let files: URL
    let store: SQLStore

    func actor(_ id: Int64) -> Actor { .member(m[id]!) }
}

private func withWorld(_ engine: Engine, _ body: (World) async throws -> Void) async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pollen-moderation-test-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    try await withStore(engine) { store in
        let members = people()
        try await store.write { try await $0.members.insertMany(members) }
        let clock = ManualTimeSource(start)
        let pollen = Pollen(store: store, secrets: PlainSecrets(), time: clock, files: DirectoryResourceFiles(root: folder))
        try await body(
            World(
                pollen: pollen, clock: clock, m: Dictionary(uniqueKeysWithValues: members.map { ($0.id.rawValue, $0) }), files: folder,
                store: store))
    }
}

/// Founds `slug` by `founder` and has `members` join it (invited first when it is private).
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

@discardableResult
private func post(_ w: World, _ body: String, by author: Int64, visibility: Post.Visibility = .organization) async throws -> Post {
    try await w.pollen.publishPost(PostDraft(body: body, visibility: visibility), by: w.actor(author))
}

@discardableResult
private func write(
    _ w: World, _ kind: CommunityItem.Kind, _ title: String, body: String = "Some text.", in slug: String, by author: Int64,
    tags: [String] = [], file: UploadedFile? = nil
) async throws -> CommunityItem {
    try await w.pollen.createItem(ItemDraft(kind: kind, title: title, body: body, tags: tags, file: file), in: slug, by: w.actor(author))
}

@discardableResult
private func ask(_ w: World, _ title: String, by asker: Int64, tags: [String] = [], community: String? = nil) async throws -> Question {
    try await w.pollen.askQuestion(
        QuestionDraft(title: title, body: "Details of: \(title)", tags: tags, community: community), by: w.actor(asker))
}

@discardableResult
private func answer(_ w: World, _ question: Question, _ body: String = "Here is how we do it.", by author: Int64) async throws -> Answer {
    try await w.pollen.answerQuestion(question.id, body: body, by: w.actor(author))
}

private func ref(_ post: Post) -> ContentRef { ContentRef(.post, post.id.rawValue) }
private func ref(_ item: CommunityItem) -> ContentRef { ContentRef(.item, item.id.rawValue) }
private func ref(_ comment: CommunityComment) -> ContentRef { ContentRef(.comment, comment.id.rawValue) }
private func ref(_ question: Question) -> ContentRef { ContentRef(.question, question.id.rawValue) }
private func ref(_ answer: Answer) -> ContentRef { ContentRef(.answer, answer.id.rawValue) }
private func ref(_ comment: QAComment) -> ContentRef { ContentRef(.qaComment, comment.id.rawValue) }

/// Flags `target` and answers the case it went to.
@discardableResult
private func flag(_ w: World, _ target: ContentRef, by flagger: Int64, reason: FlagReason = .spam, note: String = "")
    async throws -> ModerationCase.ID
{
    try await w.pollen.flag(target, reason: reason, note: note, by: w.actor(flagger)).caseID
}

@discardableResult
private func decide(
    _ w: World, _ id: ModerationCase.ID, _ action: ModerationCase.Action, by moderator: Int64 = 10,
    reason: String = "Breaks the guidelines", rule: String = "", silenceDays: Int = 0, tags: [String] = [], moveTo: String = ""
) async throws -> ModerationCase {
    try await w.pollen.moderate(
        id,
        ModerationDecision(action: action, rule: rule, reason: reason, silenceDays: silenceDays, tags: tags, moveTo: moveTo),
        by: w.actor(moderator))
}

private func openCase(_ w: World, _ target: ContentRef) async throws -> ModerationCase? {
    try await w.store.read { try await $0.moderation.openCase(for: target) }
}

private func storedCase(_ w: World, _ id: ModerationCase.ID) async throws -> ModerationCase? {
    try await w.store.read { try await $0.moderation.findCase(id: id) }
}

private func flags(_ w: World, _ id: ModerationCase.ID) async throws -> [ContentFlag] {
    try await w.store.read { try await $0.moderation.flags(of: id) }
}

private func snapshot(_ w: World, _ target: ContentRef) async throws -> ContentSnapshot? {
    try await w.store.read { try await $0.moderation.snapshot(of: target) }
}

/// The cases of the organization's queue as `viewer` sees it, in queue order.
private func orgQueue(_ w: World, viewer: Int64) async throws -> [ModerationCase.ID] {
    try await w.pollen.reviewQueue(viewer: w.actor(viewer)).cases.map(\.moderationCase.id)
}

private func communityQueue(_ w: World, _ slug: String, viewer: Int64) async throws -> [ModerationCase.ID] {
    try await w.pollen.reviewQueue(community: slug, viewer: w.actor(viewer)).cases.map(\.moderationCase.id)
}

/// The member's moderation notices (through the use case, so with its filter), newest first.
private func notices(_ w: World, _ member: Int64) async throws -> [MemberNotification] {
    try await w.pollen.notifications(by: w.actor(member), kinds: [.moderation], range: CursorRange(limit: 40)).map(\.notification)
}

/// Who answered the member's questions, as the member is told (newest first).
private func answered(_ w: World, _ member: Int64) async throws -> [MemberNotification] {
    try await w.pollen.notifications(by: w.actor(member), kinds: [.questionAnswered], range: CursorRange(limit: 40)).map(\.notification)
}

private func timeline(_ w: World, _ source: TimelineSource, viewer: Int64) async throws -> [Post.ID] {
    try await w.pollen.timeline(source, viewer: w.actor(viewer), range: CursorRange(limit: 40)).map(\.post.id)
}

private func searchPosts(_ w: World, _ text: String, viewer: Int64) async throws -> [Post.ID] {
    try await w.pollen.search(text, kinds: [.posts], by: w.actor(viewer)).posts.map(\.post.id)
}

private func itemList(_ w: World, _ slug: String, viewer: Int64) async throws -> [CommunityItem.ID] {
    try await w.pollen.items(in: slug, kind: nil, limit: 50, viewer: w.actor(viewer)).items.items.map(\.item.id)
}

private func questionList(_ w: World, viewer: Int64) async throws -> [Question.ID] {
    try await w.pollen.questions(QuestionQuery(queue: .all, member: m(viewer), limit: 50), viewer: w.actor(viewer)).items.map(\.question.id)
}

private func answerList(_ w: World, _ question: Question, viewer: Int64) async throws -> [Answer.ID] {
    try await w.pollen.question(question.id, viewer: w.actor(viewer)).answers.map(\.answer.id)
}

private func audit(_ w: World) async throws -> [AuditEntry] {
    try await w.pollen.auditLog(limit: 500, viewer: w.actor(9)).map(\.entry)
}

private func expectError(
    _ code: DomainError.Code, _ what: Comment? = nil, field: String? = nil, sourceLocation: SourceLocation = #_sourceLocation,
    _ work: () async throws -> Void
) async {
    do {
        try await work()
        Issue.record("expected \(code)\(what.map { ": \($0)" } ?? "")", sourceLocation: sourceLocation)
    } catch let error as DomainError {
        #expect(error.code == code, "\(what.map { "\($0): " } ?? "")\(error)", sourceLocation: sourceLocation)
        if let field { #expect(error.field == field, "\(what.map { "\($0): " } ?? "")\(error)", sourceLocation: sourceLocation) }
    } catch {
        Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
    }
}

/// Moderation on every engine: flags and the cases they gather on, the review queues and who sees them, the
/// actions and what they do to content and authors, appeals, community policies, the first-posts rule,
/// new-member limits, watched words, settings, the audit log, content health and the retention purge.
@Suite struct ModerationTests {
    // MARK: - Flags

    @Test(arguments: Engine.enabled)
    func everyKindOfContentAndProfilesCanBeFlaggedOntoACase(engine: Engine) async throws {
        try await withWorld(engine) { w in
            try await community(w, "fin", members: [2, 3, 4, 5])
            let p = try await post(w, "A post to report", by: 2)
            let item = try await write(w, .thread, "A discussion", in: "fin", by: 2)
            let comment = try await w.pollen.comment(on: item.id, body: "A comment to report", by: w.actor(3))
            let question = try await ask(w, "How do we close the books?", by: 2, community: "fin")
            let a = try await answer(w, question, by: 3)
            let qaComment = try await w.pollen.commentOnQuestion(question.id, answer: a.id, body: "A remark", by: w.actor(4))
            let wiki = try await write(w, .wiki, "Budget guide", body: "The original text.", in: "fin", by: 2)
            _ = try await w.pollen.editItem(
                wiki.id, ItemDraft(kind: .wiki, title: "Budget guide", body: "Vandalised text."), basedOn: nil, by: w.actor(3))
            let revision = try #require(ContentRef("revision:\(wiki.id.rawValue):2"))
            #expect(revision == ContentRef(.revision, wiki.id.rawValue, revision: 2))
            #expect(revision.description == "revision:\(wiki.id.rawValue):2")
            #expect(ContentRef("revision:\(wiki.id.rawValue)") == nil)
            #expect(ContentRef("post:0") == nil)
            #expect(ContentRef("video:12") == nil)

            let targets: [(ContentRef, author: Int64, flagger: Int64, community: Community.ID?)] = [
                (ref(p), 2, 3, nil), (ref(item), 2, 4, item.communityID), (ref(comment), 3, 2, item.communityID),
                (ref(question), 2, 5, question.communityID), (ref(a), 3, 4, question.communityID),
                (ref(qaComment), 4, 2, question.communityID), (revision, 3, 4, item.communityID),
                (ContentRef(.profile, 5), 5, 3, nil),
            ]
            var cases: Set<ModerationCase.ID> = []
            for (target, author, flagger, communityID) in targets {
                let made = try await w.pollen.flag(target, reason: .wrong, note: "  Looks wrong  ", by: w.actor(flagger))
                #expect(made.target == target)
                #expect(made.flaggerID == m(flagger))
                #expect(made.reason == .wrong)
                #expect(made.note == "Looks wrong")
                let found = try #require(try await openCase(w, target), "\(target)")
                #expect(found.id == made.caseID)
                #expect(found.authorID == m(author), "\(target)")
                #expect(found.communityID == communityID, "\(target)")
                #expect(found.source == .flags)
                #expect(found.isOpen)
                #expect(try await flags(w, found.id).map(\.id) == [made.id])
                cases.insert(found.id)
            }
            #expect(cases.count == targets.count, "one case per piece")
            // All of them wait in the organization's queue (none is in a private community).
            #expect(Set(try await orgQueue(w, viewer: 10)) == cases)
            // A revision that does not exist is not found.
            await expectError(.notFound, "no such revision") {
                try await flag(w, ContentRef(.revision, wiki.id.rawValue, revision: 7), by: 4)
            }
            await expectError(.notFound, "no such post") { try await flag(w, ContentRef(.post, 999_999), by: 4) }
        }
    }

    @Test(arguments: Engine.enabled)
    func flaggingChecksTheReasonTheFlaggerAndWhatTheyMaySee(engine: Engine) async throws {
        try await withWorld(engine) { w in
            try await community(w, "secret", .private, founder: 1, members: [2])
            let hidden = try await write(w, .article, "Inner plans", in: "secret", by: 2)
            let p = try await post(w, "Something questionable", by: 2)
            let followersOnly = try await post(w, "For my followers", by: 5, visibility: .followers)

            await expectError(.invalidInput, "“something else” needs a note", field: "note") {
                try await flag(w, ref(p), by: 3, reason: .other)
            }
            await expectError(.invalidInput, "a blank note is no note", field: "note") {
                try await flag(w, ref(p), by: 3, reason: .other, note: "   ")
            }
            await expectError(.invalidInput, "a note over 1000 characters", field: "note") {
                try await flag(w, ref(p), by: 3, reason: .spam, note: String(repeating: "x", count: 1001))
            }
            let first = try await flag(w, ref(p), by: 3, reason: .other, note: "It names a client")
            await expectError(.conflict, "one open flag per member and piece") { try await flag(w, ref(p), by: 3, reason: .spam) }
            await expectError(.invalidInput, "one's own post") { try await flag(w, ref(p), by: 2) }
            await expectError(.invalidInput, "one's own profile") { try await flag(w, ContentRef(.profile, 2), by: 2) }
            await expectError(.notFound, "an item of a private community the flagger is not in") { try await flag(w, ref(hidden), by: 3) }
            await expectError(.notFound, "a followers-only post of someone not followed") { try await flag(w, ref(followersOnly), by: 6) }
            try await w.pollen.followMember(m(5), by: w.actor(6))
            try await flag(w, ref(followersOnly), by: 6)
            // The private community's own members may flag its content.
            try await flag(w, ref(hidden), by: 1)

            // Flags of several members gather on the one case.
            #expect(try await flag(w, ref(p), by: 4, reason: .harassment) == first)
            #expect(try await flag(w, ref(p), by: 6, reason: .confidential) == first)
            let view = try #require(try await w.pollen.reviewQueue(viewer: w.actor(10)).cases.first { $0.moderationCase.id == first })
            #expect(view.flags.map(\.flag.flaggerID) == [m(3), m(4), m(6)])
            #expect(view.flags.map(\.flag.reason) == [.other, .harassment, .confidential])
            #expect(view.flags.first?.flag.note == "It names a client")
            #expect(view.author.id == m(2))
            #expect(view.content?.body == "Something questionable")
            #expect(view.flaggerAccuracy == nil, "nobody's flags were decided yet")
        }
    }

    // MARK: - Queues

    @Test(arguments: Engine.enabled)
    func queuesAreForModeratorsAndManagersAndPrivateCommunitiesStayPrivate(engine: Engine) async throws {
        try await withWorld(engine) { w in
            try await community(w, "fin", founder: 1, members: [2, 3])
            try await community(w, "secret", .private, founder: 4, members: [5, 6])
            let open = try await flag(w, ref(try await write(w, .thread, "Open talk", in: "fin", by: 2)), by: 3)
            let inner = try await flag(w, ref(try await write(w, .thread, "Inner talk", in: "secret", by: 5)), by: 6)
            let loose = try await flag(w, ref(try await post(w, "A post", by: 7)), by: 8)

            await expectError(.forbidden, "a member has no organization queue") { _ = try await orgQueue(w, viewer: 2) }
            await expectError(.forbidden, "a manager is not a moderator") { _ = try await orgQueue(w, viewer: 1) }
            #expect(try await orgQueue(w, viewer: 10) == [open, loose], "a moderator outside the private community")
            #expect(try await orgQueue(w, viewer: 9) == [open, inner, loose], "an administrator sees everything")
            let forModerator = try await w.pollen.reviewQueue(viewer: w.actor(10))
            #expect(forModerator.maySilence && !forModerator.maySuspend)
            #expect(try await w.pollen.reviewQueue(viewer: w.actor(9)).maySuspend)

            #expect(try await communityQueue(w, "fin", viewer: 1) == [open])
            #expect(try await communityQueue(w, "secret", viewer: 4) == [inner])
            #expect(try await communityQueue(w, "fin", viewer: 10) == [open], "moderators may look at a community's queue")
            let forManager = try await w.pollen.reviewQueue(community: "fin", viewer: w.actor(1))
            #expect(!forManager.maySilence && !forManager.maySuspend)
            await expectError(.forbidden, "a plain member of the community") { _ = try await communityQueue(w, "fin", viewer: 2) }
            await expectError(.forbidden, "a manager of another community") { _ = try await communityQueue(w, "fin", viewer: 4) }
            await expectError(.notFound, "a moderator outside a private community") { _ = try await communityQueue(w, "secret", viewer: 10) }
            await expectError(.forbidden, "a member of the private community") { _ = try await communityQueue(w, "secret", viewer: 5) }
        }
    }

    @Test(arguments: Engine.enabled)
    func flagsOfReliableFlaggersComeBeforeThoseOfHabitualFalseFlaggers(engine: Engine) async throws {
        try await withWorld(engine) { w in
            // Member 3's flags were upheld twice; member 4's were dismissed twice.
            for author in [Int64(5), 6] {
                try await decide(w, try await flag(w, ref(try await post(w, "Spam from \(author)", by: author)), by: 3), .remove)
                try await decide(w, try await flag(w, ref(try await post(w, "Fine words from \(author)", by: author)), by: 4), .approve)
            }
            // The false flagger's case comes first, so the oldest-first tie break would put it on top.
            let doubtful = try await flag(w, ref(try await post(w, "Harmless", by: 7)), by: 4)
            let likely = try await flag(w, ref(try await post(w, "Spammy", by: 8)), by: 3)
            let queue = try await w.pollen.reviewQueue(viewer: w.actor(10)).cases
            #expect(queue.map(\.moderationCase.id) == [likely, doubtful])
            #expect(queue.map(\.flaggerAccuracy) == [1.0, 0.0])
            #expect(queue[0].priority > queue[1].priority)
            // Deciding the earlier cases recorded each flag's outcome.
            let decided = try await w.store.read { try await $0.moderation.flaggerRecord([m(3), m(4)]) }
            #expect(decided[m(3)]?.upheld == 2 && decided[m(3)]?.decided == 2)
            #expect(decided[m(4)]?.upheld == 0 && decided[m(4)]?.decided == 2)
            // The authors' records count what was removed.
            let history = try await w.store.read { try await $0.moderation.authorHistory(m(5)) }
            #expect(history.removals == 1 && history.upheldFlags == 1)
        }
    }

    // MARK: - Actions

    @Test(arguments: Engine.enabled)
    func approvingDismissesTheFlagsAndKeepsTheContent(engine: Engine) async throws {
        try await withWorld(engine) { w in
            let p = try await post(w, "An honest post", by: 2)
            let id = try await flag(w, ref(p), by: 3)
            try await flag(w, ref(p), by: 4)
            let closed = try await decide(w, id, .approve, reason: "")
            #expect(!closed.isOpen && closed.action == .approve && closed.closedBy == m(10) && closed.closedAt == start)
            #expect(try await flags(w, id).map(\.outcome) == [.dismissed, .dismissed])
            #expect(try await timeline(w, .organization, viewer: 5).contains(p.id))
            #expect(try await openCase(w, ref(p)) == nil)
            #expect(try await orgQueue(w, viewer: 10).isEmpty)
            await expectError(.conflict, "a decided case") { try await decide(w, id, .remove) }
            // Nothing was taken from the author, so there is nothing to tell them.
            #expect(try await notices(w, 2).isEmpty)
            // The same member may flag it again: their earlier flag was decided.
            #expect(try await flag(w, ref(p), by: 3) != id)
        }
    }

    @Test(arguments: Engine.enabled)
    func hiddenAndRemovedContentLeavesEveryListButItsAuthorStillOpensIt(engine: Engine) async throws {
        try await withWorld(engine) { w in
            try await community(w, "fin", founder: 1, members: [2, 3, 4, 5])
            let p = try await post(w, "Our quarterly forecast #budget", by: 2)
            let item = try await write(w, .article, "Forecast method", in: "fin", by: 2)
            let question = try await ask(w, "How is the forecast made?", by: 2, community: "fin")
            let other = try await ask(w, "Where do receipts go?", by: 4, community: "fin")
            let a = try await answer(w, other, "Into the drawer", by: 3)
            #expect(try await timeline(w, .organization, viewer: 5).contains(p.id))
            #expect(try await timeline(w, .hashtag("budget"), viewer: 5) == [p.id])
            #expect(try await searchPosts(w, "quarterly", viewer: 5) == [p.id])
            #expect(try await itemList(w, "fin", viewer: 5).contains(item.id))
            #expect(try await questionList(w, viewer: 5).contains(question.id))
            #expect(try await answerList(w, other, viewer: 5) == [a.id])

            await expectError(.invalidInput, "a removal needs a reason", field: "reason") {
                try await decide(w, try await flag(w, ref(p), by: 4), .remove, reason: "  ")
            }
            let postCase = try #require(try await openCase(w, ref(p))).id
            try await decide(w, postCase, .hide, reason: "Confidential figures")
            let itemCase = try await decide(w, try await flag(w, ref(item), by: 4), .remove, reason: "Copied from a vendor").id
            let questionCase = try await decide(w, try await flag(w, ref(question), by: 4), .remove, reason: "Duplicate").id
            let answerCase = try await decide(w, try await flag(w, ref(a), by: 5), .hide, reason: "Unsafe advice").id

            // Gone for other members, wherever they would have met it.
            #expect(try await !timeline(w, .organization, viewer: 5).contains(p.id))
            #expect(try await timeline(w, .hashtag("budget"), viewer: 5).isEmpty)
            #expect(try await searchPosts(w, "quarterly", viewer: 5).isEmpty)
            #expect(try await !itemList(w, "fin", viewer: 5).contains(item.id))
            #expect(try await !questionList(w, viewer: 5).contains(question.id))
            #expect(try await answerList(w, other, viewer: 5).isEmpty)
            await expectError(.notFound, "the hidden post") { _ = try await w.pollen.post(p.id, viewer: w.actor(5)) }
            await expectError(.notFound, "the removed item") { _ = try await w.pollen.item(item.id, viewer: w.actor(5)) }
            await expectError(.notFound, "the removed question") { _ = try await w.pollen.question(question.id, viewer: w.actor(5)) }
            await expectError(.notFound, "a flag on what one cannot see") { try await flag(w, ref(p), by: 6) }

            // Their authors still open them, marked.
            #expect(try await w.pollen.post(p.id, viewer: w.actor(2)).post.withholding == .hidden)
            #expect(try await w.pollen.item(item.id, viewer: w.actor(2)).item.withholding == .removed)
            #expect(try await w.pollen.question(question.id, viewer: w.actor(2)).question.withholding == .removed)
            #expect(try await itemList(w, "fin", viewer: 2).contains(item.id))
            #expect(try await questionList(w, viewer: 2).contains(question.id))

            // Moderators see what was taken down.
            for (id, target, withholding) in [
                (postCase, ref(p), Withholding.hidden), (itemCase, ref(item), .removed), (questionCase, ref(question), .removed),
                (answerCase, ref(a), .hidden),
            ] {
                let notice = try await w.pollen.moderationNotice(id, viewer: w.actor(10))
                #expect(notice.content?.target == target)
                #expect(notice.content?.withholding == withholding, "\(target)")
                #expect(!notice.isAuthor)
                #expect(try await snapshot(w, target)?.withholding == withholding)
                #expect(try await storedCase(w, id)?.isOpen == false)
                #expect(try await flags(w, id).allSatisfy { $0.outcome == .upheld })
            }
            #expect(try await w.pollen.moderationNotice(answerCase, viewer: w.actor(3)).content?.body == "Into the drawer")
            await expectError(.notFound, "someone else's case") { _ = try await w.pollen.moderationNotice(postCase, viewer: w.actor(5)) }

            // Each author is told, with the case.
            #expect(Set(try await notices(w, 2).compactMap(\.caseID)) == [postCase, itemCase, questionCase])
            let toAnswerer = try await w.pollen.notifications(by: w.actor(3), kinds: [.moderation], range: CursorRange(limit: 10))
            #expect(toAnswerer.map(\.notification.caseID) == [answerCase])
            #expect(toAnswerer.first?.notification.actorID == m(10))
            #expect(toAnswerer.first?.moderationCase?.reason == "Unsafe advice")
        }
    }

    @Test(arguments: Engine.enabled)
    func itemsAndQuestionsAreRetaggedAndItemsMoved(engine: Engine) async throws {
        try await withWorld(engine) { w in
            try await community(w, "fin", founder: 1, members: [2, 3])
            let ops = try await community(w, "ops", founder: 1)
            try await community(w, "hr", founder: 5)
            let item = try await write(w, .thread, "Printer jams", in: "fin", by: 2, tags: ["finance"])
            let question = try await ask(w, "Where do receipts go?", by: 2, tags: ["finance"])
            let p = try await post(w, "A post", by: 2)

            let itemCase = try await flag(w, ref(item), by: 3, reason: .offTopic)
            let retagged = try await decide(w, itemCase, .retag, by: 1, reason: "", tags: ["printers", "Office"])
            #expect(try await w.pollen.item(item.id, viewer: w.actor(3)).item.tags == ["printers", "office"])
            #expect(retagged.isOpen, "retagging leaves the case for a final decision")
            let questionCase = try await flag(w, ref(question), by: 3, reason: .offTopic)
            try await decide(w, questionCase, .retag, reason: "", tags: ["expenses"])
            #expect(try await w.pollen.question(question.id, viewer: w.actor(3)).question.tags == ["expenses"])
            await expectError(.invalidInput, "posts have no tags to change") {
                try await decide(w, try await flag(w, ref(p), by: 3), .retag, reason: "", tags: ["x"])
            }

            await expectError(.forbidden, "into a community the manager does not manage", field: "move_to") {
                try await decide(w, itemCase, .move, by: 1, reason: "", moveTo: "hr")
            }
            await expectError(.invalidInput, "nowhere", field: "move_to") { try await decide(w, itemCase, .move, by: 1, reason: "", moveTo: "nowhere") }
            await expectError(.invalidInput, "a question is not moved", field: "move_to") {
                try await decide(w, questionCase, .move, reason: "", moveTo: "ops")
            }
            let moved = try await decide(w, itemCase, .move, by: 1, reason: "", moveTo: "ops")
            #expect(moved.communityID == ops.id && moved.isOpen)
            #expect(try await w.pollen.item(item.id, viewer: w.actor(3)).community.id == ops.id)
            #expect(try await itemList(w, "ops", viewer: 3) == [item.id])
            #expect(try await !itemList(w, "fin", viewer: 3).contains(item.id))
            #expect(try await communityQueue(w, "ops", viewer: 1) == [itemCase])
            #expect(try await communityQueue(w, "fin", viewer: 1).isEmpty)
            // Retagging tells nobody; moving tells the author where their item went. The case is still to be decided.
            #expect(try await notices(w, 2).map(\.caseID) == [itemCase])
            try await decide(w, itemCase, .approve, by: 1, reason: "")
            #expect(try await storedCase(w, itemCase)?.isOpen == false)
        }
    }

    @Test(arguments: Engine.enabled)
    func warningTellsTheAuthorAndKeepsTheContent(engine: Engine) async throws {
        try await withWorld(engine) { w in
            let p = try await post(w, "A heated post", by: 2)
            let id = try await flag(w, ref(p), by: 3, reason: .harassment)
            await expectError(.invalidInput, "a warning says why", field: "reason") { try await decide(w, id, .warn, reason: "") }
            let warned = try await decide(w, id, .warn, reason: "Keep it civil", rule: "Be kind")
            #expect(warned.isOpen && warned.action == .warn && warned.rule == "Be kind" && warned.reason == "Keep it civil")
            #expect(try await timeline(w, .organization, viewer: 4).contains(p.id))
            #expect(try await notices(w, 2).map(\.caseID) == [id])
            let view = try #require(try await w.pollen.reviewQueue(viewer: w.actor(10)).cases.first)
            #expect(view.history.warnings == 1)
        }
    }

    @Test(arguments: Engine.enabled)
    func silencedAuthorsCannotWriteUntilTheSilenceEnds(engine: Engine) async throws {
        try await withWorld(engine) { w in
            try await community(w, "fin", founder: 1, members: [2, 3])
            let item = try await write(w, .thread, "Anything", in: "fin", by: 3)
            let id = try await flag(w, ref(try await post(w, "Rude words", by: 2)), by: 3, reason: .harassment)
            await expectError(.invalidInput, "silence for 1 to 365 days", field: "silence_days") {
                try await decide(w, id, .silence, reason: "Repeated abuse", silenceDays: 0)
            }
            await expectError(.forbidden, "a community manager cannot silence") {
                let inCommunity = try await flag(w, ref(try await w.pollen.comment(on: item.id, body: "Rude", by: w.actor(2))), by: 3)
                try await decide(w, inCommunity, .silence, by: 1, reason: "Repeated abuse", silenceDays: 2)
            }
            let silenced = try await decide(w, id, .silence, reason: "Repeated abuse", silenceDays: 2)
            #expect(!silenced.isOpen && silenced.action == .silence)
            #expect(try await flags(w, id).map(\.outcome) == [.upheld])
            #expect(try await notices(w, 2).map(\.caseID) == [id])

            await expectError(.forbidden, "a post") { try await post(w, "Let me speak", by: 2) }
            await expectError(.forbidden, "an item") { try await write(w, .thread, "Let me speak", in: "fin", by: 2) }
            await expectError(.forbidden, "a comment") { _ = try await w.pollen.comment(on: item.id, body: "Hello", by: w.actor(2)) }
            await expectError(.forbidden, "a question") { try await ask(w, "May I ask something?", by: 2) }
            do {
                try await post(w, "Let me speak", by: 2)
                Issue.record("a silenced member posted")
            } catch let error as DomainError {
                #expect(error.message.contains("silenced until"), "the member is told why and until when")
            }
            let queue = try await w.pollen.reviewQueue(viewer: w.actor(10))
            #expect(queue.cases.first { $0.author.id == m(2) }?.history.silencedUntil == start.addingTimeInterval(2 * day))

            w.clock.advance(by: 2 * day - minute)
            await expectError(.forbidden, "still silenced") { try await post(w, "Let me speak", by: 2) }
            w.clock.advance(by: 2 * minute)
            let spoken = try await post(w, "Back again", by: 2)
            #expect(try await timeline(w, .organization, viewer: 3).contains(spoken.id))
        }
    }

    @Test(arguments: Engine.enabled)
    func onlyAdministratorsSuspendAndManagersActOnlyInTheirCommunity(engine: Engine) async throws {
        try await withWorld(engine) { w in
            try await community(w, "fin", founder: 1, members: [2, 3])
            try await community(w, "hr", founder: 5, members: [2, 3])
            let finCase = try await flag(w, ref(try await write(w, .thread, "Off topic", in: "fin", by: 2)), by: 3)
            let hrCase = try await flag(w, ref(try await write(w, .thread, "Spam", in: "hr", by: 2)), by: 3)

            await expectError(.forbidden, "a manager of another community") { try await decide(w, finCase, .approve, by: 5, reason: "") }
            await expectError(.forbidden, "a plain member") { try await decide(w, finCase, .approve, by: 3, reason: "") }
            await expectError(.forbidden, "a moderator may not suspend") { try await decide(w, finCase, .suspend, by: 10, reason: "Spammer") }
            await expectError(.forbidden, "a manager may not suspend") { try await decide(w, finCase, .suspend, by: 1, reason: "Spammer") }
            try await decide(w, hrCase, .hide, by: 5, reason: "Spam")
            #expect(try await storedCase(w, hrCase)?.action == .hide)

            let suspended = try await decide(w, finCase, .suspend, by: 9, reason: "Spammer")
            #expect(!suspended.isOpen && suspended.action == .suspend)
            #expect(try await w.store.read { try await $0.members.find(id: m(2)) }?.status == .suspended)
            await expectError(.notFound, "a case that does not exist") { try await decide(w, ModerationCase.ID(42), .approve, reason: "") }
            // A profile is not taken down: its owner is dealt with instead.
            let profile = try await flag(w, ContentRef(.profile, 4), by: 3)
            await expectError(.invalidInput, "a profile cannot be hidden") { try await decide(w, profile, .hide) }
        }
    }

    @Test(arguments: Engine.enabled)
    func removingAWikiRevisionRevertsThePageAsANewRevision(engine: Engine) async throws {
        try await withWorld(engine) { w in
            try await community(w, "fin", founder: 1, members: [2, 3, 4])
            let wiki = try await write(w, .wiki, "Budget guide", body: "The original text.", in: "fin", by: 2, tags: ["budget"])
            w.clock.advance(by: hour)
            _ = try await w.pollen.editItem(
                wiki.id, ItemDraft(kind: .wiki, title: "Budget guide (new)", body: "Vandalised text.", tags: ["junk"]), basedOn: 1,
                by: w.actor(3))
            let first = try await flag(w, ContentRef(.revision, wiki.id.rawValue, revision: 1), by: 4)
            await expectError(.conflict, "the first revision cannot be undone") { try await decide(w, first, .remove) }
            w.clock.advance(by: hour)
            let id = try await flag(w, ContentRef(.revision, wiki.id.rawValue, revision: 2), by: 4, reason: .wrong)
            let removed = try await decide(w, id, .remove, reason: "Vandalism")
            #expect(!removed.isOpen && removed.authorID == m(3))

            let page = try await w.pollen.revisions(of: wiki.id, viewer: w.actor(4))
            #expect(page.item.item.body == "The original text.")
            #expect(page.item.item.title == "Budget guide")
            #expect(page.item.item.tags == ["budget"])
            #expect(page.item.item.revision == 3)
            #expect(page.item.item.withholding == nil, "the page stays in view")
            #expect(page.revisions.map(\.revision.number).sorted() == [1, 2, 3])
            let newest = try #require(page.revisions.first { $0.revision.number == 3 }?.revision)
            #expect(newest.body == "The original text.")
            #expect(newest.note.contains("2"))
            #expect(newest.createdAt == start.addingTimeInterval(2 * hour))
            #expect(try await notices(w, 3).map(\.caseID) == [id])
        }
    }

    // MARK: - Appeals

    @Test(arguments: Engine.enabled)
    func anAuthorAppealsARemovalOnceAndTheDecisionRestoresOrConfirmsIt(engine: Engine) async throws {
        try await withWorld(engine) { w in
            let p = try await post(w, "A fair point", by: 2)
            let id = try await decide(w, try await flag(w, ref(p), by: 3), .remove, reason: "Off-topic").id
            await expectError(.invalidInput, "an appeal says why", field: "appeal") { try await w.pollen.appeal(id, text: " ", by: w.actor(2)) }
            await expectError(.notFound, "someone else's case") { try await w.pollen.appeal(id, text: "Please", by: w.actor(3)) }
            let notice = try await w.pollen.moderationNotice(id, viewer: w.actor(2))
            #expect(notice.isAuthor && notice.moderationCase.mayAppeal && !notice.mayDecideAppeal)

            w.clock.advance(by: hour)
            let appealed = try await w.pollen.appeal(id, text: "It was on topic", by: w.actor(2))
            #expect(appealed.isOpen && appealed.source == .appeal && appealed.appealState == .pending)
            #expect(appealed.appeal == "It was on topic" && appealed.appealedAt == start.addingTimeInterval(hour))
            await expectError(.conflict, "a second appeal") { try await w.pollen.appeal(id, text: "Again", by: w.actor(2)) }
            #expect(try await orgQueue(w, viewer: 10) == [id], "the case is back in the queue")
            #expect(try await w.pollen.moderationNotice(id, viewer: w.actor(10)).mayDecideAppeal)
            #expect(try await !timeline(w, .organization, viewer: 4).contains(p.id), "still removed while appealed")

            let granted = try await decide(w, id, .approve, reason: "")
            #expect(!granted.isOpen && granted.appealState == .granted && granted.action == .approve)
            #expect(try await timeline(w, .organization, viewer: 4).contains(p.id), "restored")
            #expect(try await w.pollen.post(p.id, viewer: w.actor(4)).post.withholding == nil)
            #expect(try await notices(w, 2).map(\.caseID) == [id, id], "told of the removal and of the appeal's outcome")
            await expectError(.conflict, "no appeal after the appeal") { try await w.pollen.appeal(id, text: "Thanks", by: w.actor(2)) }
            await expectError(.conflict, "a decided appeal is decided") { try await decide(w, id, .remove, reason: "Changed my mind") }

            // A removal confirmed on appeal stays.
            let q = try await post(w, "Another point", by: 2)
            let second = try await decide(w, try await flag(w, ref(q), by: 3), .remove, reason: "Spam")
                .id
            try await w.pollen.appeal(second, text: "It is not spam", by: w.actor(2))
            let denied = try await decide(w, second, .remove, reason: "It is spam")
            #expect(!denied.isOpen && denied.appealState == .denied)
            #expect(try await !timeline(w, .organization, viewer: 4).contains(q.id))
            await expectError(.conflict, "no second appeal") { try await w.pollen.appeal(second, text: "Please", by: w.actor(2)) }
            // Approving or warning cannot be appealed.
            let approved = try await decide(w, try await flag(w, ref(try await post(w, "Third", by: 2)), by: 3), .approve, reason: "")
            await expectError(.conflict, "an approval is no decision to appeal") { try await w.pollen.appeal(approved.id, text: "?", by: w.actor(2)) }
        }
    }

    // MARK: - Community policies

    @Test(arguments: Engine.enabled)
    func communityPoliciesPublishQueueOrHoldEachKindOfContent(engine: Engine) async throws {
        try await withWorld(engine) { w in
            let fin = try await community(w, "fin", founder: 1, members: [2, 3, 4])
            await expectError(.forbidden, "a member sets no policy") {
                try await w.pollen.setCommunityPolicy(slug: "fin", [.thread: .pre], by: w.actor(2))
            }
            await expectError(.forbidden, "a member reads no policy") { _ = try await w.pollen.communityPolicy(slug: "fin", viewer: w.actor(2)) }
            try await w.pollen.setCommunityPolicy(slug: "fin", [.thread: .post, .article: .pre, .answer: .pre, .comment: .pre], by: w.actor(1))
            let policy = try await w.pollen.communityPolicy(slug: "fin", viewer: w.actor(1)).policy
            #expect(policy.mode(for: .thread) == .post && policy.mode(for: .article) == .pre && policy.mode(for: .wiki) == .open)

            // Open: published, nothing to review.
            let wiki = try await write(w, .wiki, "Glossary", in: "fin", by: 2)
            #expect(wiki.withholding == nil)
            #expect(try await openCase(w, ref(wiki)) == nil)
            // Post-moderated: published, and queued.
            let thread = try await write(w, .thread, "Month end", in: "fin", by: 2)
            #expect(thread.withholding == nil)
            #expect(try await itemList(w, "fin", viewer: 3).contains(thread.id))
            let reviewed = try #require(try await openCase(w, ref(thread)))
            #expect(reviewed.source == .postModeration && reviewed.communityID == fin.id)
            // Pre-moderated: held until approved.
            let article = try await write(w, .article, "Closing guide", in: "fin", by: 2)
            #expect(article.withholding == .held)
            #expect(try await !itemList(w, "fin", viewer: 3).contains(article.id))
            await expectError(.notFound, "held from other members") { _ = try await w.pollen.item(article.id, viewer: w.actor(3)) }
            #expect(try await w.pollen.item(article.id, viewer: w.actor(2)).item.withholding == .held)
            let held = try #require(try await openCase(w, ref(article)))
            #expect(held.source == .preModeration && held.isOpen)
            #expect(try await notices(w, 2).map(\.caseID) == [held.id], "the author is told it waits")
            let queue = try await w.pollen.reviewQueue(community: "fin", viewer: w.actor(1)).cases
            #expect(queue.first?.moderationCase.id == held.id, "held content comes first")
            #expect(Set(queue.map(\.moderationCase.id)) == [held.id, reviewed.id])
            try await decide(w, held.id, .approve, by: 1, reason: "")
            #expect(try await itemList(w, "fin", viewer: 3).contains(article.id))
            #expect(try await w.pollen.item(article.id, viewer: w.actor(3)).item.withholding == nil)
            #expect(try await notices(w, 2).map(\.caseID) == [held.id, held.id], "told of the approval too")

            // The community's managers are not held by their own policy.
            let own = try await write(w, .article, "Manager's guide", in: "fin", by: 1)
            #expect(own.withholding == nil)
            #expect(try await openCase(w, ref(own)) == nil)

            // Comments and answers follow the policy too; a held answer counts once approved.
            let comment = try await w.pollen.comment(on: thread.id, body: "Held remark", by: w.actor(3))
            #expect(try await w.pollen.comments(on: thread.id, viewer: w.actor(4)).isEmpty)
            #expect(try await w.pollen.item(thread.id, viewer: w.actor(4)).item.counts.comments == 0)
            try await decide(w, try #require(try await openCase(w, ref(comment))).id, .approve, by: 1, reason: "")
            #expect(try await w.pollen.comments(on: thread.id, viewer: w.actor(4)).map(\.comment.id) == [comment.id])
            #expect(try await w.pollen.item(thread.id, viewer: w.actor(4)).item.counts.comments == 1)

            let question = try await ask(w, "When is month end?", by: 4, community: "fin")
            #expect(question.withholding == nil, "questions are open")
            let a = try await answer(w, question, "On the last day", by: 3)
            #expect(try await answerList(w, question, viewer: 4).isEmpty)
            #expect(try await w.pollen.question(question.id, viewer: w.actor(4)).question.answers == 0)
            #expect(try await answered(w, 4).isEmpty, "the asker hears of a held answer only once it is approved")
            w.clock.advance(by: hour)
            try await decide(w, try #require(try await openCase(w, ref(a))).id, .approve, by: 1, reason: "")
            let approved = try await w.pollen.question(question.id, viewer: w.actor(4))
            #expect(approved.answers.map(\.answer.id) == [a.id])
            #expect(approved.question.answers == 1)
            #expect(approved.question.firstAnswerAt == start.addingTimeInterval(hour))
            let told = try await answered(w, 4)
            #expect(told.map(\.questionID) == [question.id] && told.map(\.actorID) == [m(3)])

            // Questions can be held too.
            try await w.pollen.setCommunityPolicy(slug: "fin", [.question: .pre], by: w.actor(1))
            let heldQuestion = try await ask(w, "Is the audit next week?", by: 3, community: "fin")
            #expect(heldQuestion.withholding == .held)
            await expectError(.notFound, "a held question") { _ = try await w.pollen.question(heldQuestion.id, viewer: w.actor(4)) }
            #expect(try await !questionList(w, viewer: 4).contains(heldQuestion.id))
            #expect(try await questionList(w, viewer: 3).contains(heldQuestion.id), "the asker finds it")
            try await decide(w, try #require(try await openCase(w, ref(heldQuestion))).id, .approve, by: 1, reason: "")
            #expect(try await questionList(w, viewer: 4).contains(heldQuestion.id))

            // Outside the community, its policy does not apply.
            let elsewhere = try await community(w, "ops", founder: 5, members: [2])
            let free = try await write(w, .article, "Ops guide", in: "ops", by: 2)
            #expect(free.withholding == nil && free.communityID == elsewhere.id)
            #expect(try await audit(w).contains { $0.action == "community.policy" && $0.target == "community:\(fin.id)" && $0.actorID == m(1) })
        }
    }

    // MARK: - First posts, new members

    @Test(arguments: Engine.enabled)
    func withTheFirstPostsRuleAMembersFirstPieceWaitsForApproval(engine: Engine) async throws {
        try await withWorld(engine) { w in
            let earlier = try await post(w, "I was here before", by: 3)
            await expectError(.forbidden, "moderators do not change the settings") {
                try await w.pollen.updateModerationSettings(ModerationSettings(holdFirstPosts: true), by: w.actor(10))
            }
            try await w.pollen.updateModerationSettings(ModerationSettings(holdFirstPosts: true), by: w.actor(9))

            let first = try await post(w, "Hello everyone", by: 2)
            #expect(first.withholding == .held)
            #expect(try await !timeline(w, .organization, viewer: 4).contains(first.id))
            let held = try #require(try await openCase(w, ref(first)))
            #expect(held.source == .firstPost)
            #expect(try await notices(w, 2).map(\.caseID) == [held.id])
            let second = try await post(w, "Anyone there?", by: 2)
            #expect(second.withholding == .held, "held until one piece is approved")

            try await decide(w, held.id, .approve, reason: "")
            #expect(try await timeline(w, .organization, viewer: 4).contains(first.id))
            let third = try await post(w, "Thanks for having me", by: 2)
            #expect(third.withholding == nil)
            #expect(try await timeline(w, .organization, viewer: 4).contains(third.id))

            // Members who have published before are not held.
            let again = try await post(w, "Still here", by: 3)
            #expect(again.withholding == nil && earlier.withholding == nil)
            #expect(try await openCase(w, ref(again)) == nil)
            // Moderators are not held either.
            #expect(try await post(w, "Moderator's first", by: 11).withholding == nil)
        }
    }

    @Test(arguments: Engine.enabled)
    func newMembersWriteAFewPiecesWithFewLinksAndMentionsAtFirst(engine: Engine) async throws {
        try await withWorld(engine) { w in
            try await community(w, "fin", founder: 1, members: [12, 13])
            try await w.pollen.updateModerationSettings(
                ModerationSettings(newMemberHours: 24, newMemberMaxPosts: 3, newMemberMaxLinks: 2, newMemberMaxMentions: 2), by: w.actor(9))
            let question = try await ask(w, "How do we close the books?", by: 1, community: "fin")

            try await post(w, "Hello, I am new", by: 12)
            try await write(w, .thread, "Introductions", in: "fin", by: 12)
            try await answer(w, question, by: 12)
            await expectError(.rateLimited, "a fourth piece in the first day") { try await post(w, "One more", by: 12) }
            await expectError(.rateLimited, "of any kind") {
                _ = try await w.pollen.commentOnQuestion(question.id, body: "One more", by: w.actor(12))
            }

            await expectError(.invalidInput, "three links", field: "body") {
                try await post(w, "See https://a.example http://b.example https://c.example", by: 13)
            }
            await expectError(.invalidInput, "three mentions", field: "body") { try await post(w, "Hi @m1 @m2 @m3", by: 13) }
            try await post(w, "See https://a.example and https://b.example with @m1 @m2", by: 13)

            // Members of long standing and new moderators have no such limits.
            try await post(w, "See https://a.example http://b.example https://c.example with @m1 @m2 @m3", by: 4)
            for n in 1...4 { try await post(w, "Moderator note \(n) https://a.example http://b.example https://c.example", by: 14) }

            // After the first day, no limit.
            w.clock.advance(by: 24 * hour + minute)
            try await post(w, "One more", by: 12)
            try await post(w, "See https://a.example http://b.example https://c.example with @m1 @m2 @m3", by: 13)
        }
    }

    // MARK: - Watched words

    @Test(arguments: Engine.enabled)
    func watchedWordsBlockHoldOrFlagWholeWords(engine: Engine) async throws {
        try await withWorld(engine) { w in
            try await community(w, "fin", founder: 1, members: [2, 3])
            await expectError(.forbidden, "members do not manage watched words") {
                try await w.pollen.addWatchedWord("spamword", action: .block, by: w.actor(2))
            }
            await expectError(.forbidden, "nor read them") { _ = try await w.pollen.watchedWords(viewer: w.actor(2)) }
            let blocked = try await w.pollen.addWatchedWord("  SpamWord ", action: .block, by: w.actor(10))
            #expect(blocked.word == "spamword")
            try await w.pollen.addWatchedWord("get rich", action: .hold, by: w.actor(10))
            try await w.pollen.addWatchedWord("ass", action: .flag, by: w.actor(10))
            await expectError(.conflict, "a word watched already", field: "word") {
                try await w.pollen.addWatchedWord("spamword", action: .hold, by: w.actor(11))
            }
            await expectError(.invalidInput, "no word", field: "word") { try await w.pollen.addWatchedWord("   ", action: .hold, by: w.actor(10)) }
            #expect(try await w.pollen.watchedWords(viewer: w.actor(11)).map(\.word) == ["ass", "get rich", "spamword"])

            // Block: refused, nothing stored.
            await expectError(.invalidInput, "a blocked word", field: "body") { try await post(w, "Buy SPAMWORD today!", by: 2) }
            await expectError(.invalidInput, "in an item's title") { try await write(w, .thread, "The spamword offer", in: "fin", by: 2) }
            await expectError(.invalidInput, "moderators are blocked too") { try await post(w, "spamword", by: 10) }
            #expect(try await timeline(w, .author(m(2)), viewer: 2).isEmpty)
            #expect(try await itemList(w, "fin", viewer: 2).isEmpty)

            // Hold: kept back for a moderator.
            let phrase = try await post(w, "How to Get Rich quickly", by: 2)
            #expect(phrase.withholding == .held)
            let spaced = try await post(w, "How to get\n  rich quickly", by: 2)
            #expect(spaced.withholding == .held, "a phrase matches across any run of spaces and line breaks")
            #expect(try await post(w, "Rich people get bored", by: 2).withholding == nil, "the words, not the phrase")
            #expect(try await !timeline(w, .organization, viewer: 3).contains(phrase.id))
            #expect(try await openCase(w, ref(phrase))?.source == .watchedWord)

            // Flag: published and queued.
            let flagged = try await post(w, "What an ass.", by: 2)
            #expect(flagged.withholding == nil)
            #expect(try await timeline(w, .organization, viewer: 3).contains(flagged.id))
            #expect(try await openCase(w, ref(flagged))?.source == .watchedWord)
            // Whole words only.
            let classy = try await post(w, "My class passed the assessment", by: 2)
            #expect(try await openCase(w, ref(classy)) == nil)

            // Removing a word lifts it, and only moderators remove.
            await expectError(.forbidden, "a member removes no word") { try await w.pollen.removeWatchedWord(blocked.id, by: w.actor(2)) }
            try await w.pollen.removeWatchedWord(blocked.id, by: w.actor(11))
            await expectError(.notFound, "removed already") { try await w.pollen.removeWatchedWord(blocked.id, by: w.actor(11)) }
            try await post(w, "Buy SPAMWORD today!", by: 2)
            let log = try await audit(w)
            #expect(log.filter { $0.action == "watched_word.add" }.count == 3)
            #expect(log.contains { $0.action == "watched_word.remove" && $0.actorID == m(11) && $0.summary.contains("spamword") })
        }
    }

    // MARK: - Settings

    @Test(arguments: Engine.enabled)
    func moderationSettingsAreValidatedAndSurviveTheServerSettingsForm(engine: Engine) async throws {
        try await withWorld(engine) { w in
            #expect(try await w.pollen.moderationSettings(viewer: w.actor(9)) == ModerationSettings())
            await expectError(.forbidden, "a moderator") { _ = try await w.pollen.moderationSettings(viewer: w.actor(10)) }
            let bad: [(ModerationSettings, String)] = [
                (ModerationSettings(retentionDays: 0), "retention_days"),
                (ModerationSettings(reviewAfterDays: 3), "review_after_days"),
                (ModerationSettings(newMemberHours: -1), "new_member_hours"),
                (ModerationSettings(newMemberMaxPosts: 0), "new_member_max_posts"),
                (ModerationSettings(newMemberMaxLinks: 101), "new_member_max_links"),
                (ModerationSettings(newMemberMaxMentions: -2), "new_member_max_mentions"),
                (ModerationSettings(writesPerMinutePerMember: 0), "writes_per_minute_per_member"),
                (ModerationSettings(writesPerMinutePerAddress: 100_001), "writes_per_minute_per_address"),
            ]
            for (settings, field) in bad {
                await expectError(.invalidInput, "\(field)", field: field) { try await w.pollen.updateModerationSettings(settings, by: w.actor(9)) }
            }
            #expect(try await w.pollen.moderationSettings(viewer: w.actor(9)) == ModerationSettings())

            let chosen = ModerationSettings(
                holdFirstPosts: true, newMemberHours: 48, newMemberMaxPosts: 5, newMemberMaxLinks: 1, newMemberMaxMentions: 2,
                writesPerMinutePerMember: 12, writesPerMinutePerAddress: 120, retentionDays: 10, reviewAfterDays: 90)
            try await w.pollen.updateModerationSettings(chosen, by: w.actor(9))
            #expect(try await w.pollen.moderationSettings(viewer: w.actor(9)) == chosen)
            #expect(try await w.pollen.writeLimits() == (12, 120))

            // The server settings form knows nothing of moderation: saving it keeps what was chosen.
            let saved = try await w.pollen.updateSettings(ServerSettings(name: "Acme Pollen"), by: w.actor(9))
            #expect(saved.moderation == chosen)
            #expect(try await w.pollen.settings().name == "Acme Pollen")
            #expect(try await w.pollen.moderationSettings(viewer: w.actor(9)) == chosen)

            // Settings stored before moderation existed (no "moderation" key, nor later fields) still load.
            let legacy = #"{"name":"Old Pollen","description":"Before moderation","signupPolicy":"open","allowedDomains":[],"contactEmail":""}"#
            try await w.store.engine.transaction { db in
                try await db.raw("UPDATE settings SET value = \(bind: legacy) WHERE key = 'server'").run()
            }
            let loaded = try await w.pollen.settings()
            #expect(loaded.name == "Old Pollen")
            #expect(loaded.moderation == ModerationSettings())
            let partial = #"{"name":"Old Pollen","description":"","signupPolicy":"open","allowedDomains":[],"contactEmail":"","moderation":{"holdFirstPosts":true}}"#
            try await w.store.engine.transaction { db in
                try await db.raw("UPDATE settings SET value = \(bind: partial) WHERE key = 'server'").run()
            }
            var expected = ModerationSettings()
            expected.holdFirstPosts = true
            #expect(try await w.pollen.moderationSettings(viewer: w.actor(9)) == expected)
        }
    }

    // MARK: - Audit log

    @Test(arguments: Engine.enabled)
    func everyModerationAndAdministrationActIsAuditedForAdministrators(engine: Engine) async throws {
        try await withWorld(engine) { w in
            try await community(w, "fin", founder: 1, members: [2, 3])
            let p = try await post(w, "Leaked numbers", by: 2)
            let removed = try await decide(w, try await flag(w, ref(p), by: 3), .remove, reason: "Confidential", rule: "No client data")
            w.clock.advance(by: minute)
            let warned = try await flag(w, ref(try await post(w, "Rude", by: 4)), by: 3)
            try await decide(w, warned, .warn, reason: "Be civil")
            try await decide(w, warned, .silence, reason: "Again rude", silenceDays: 3)
            try await w.pollen.setCommunityPolicy(slug: "fin", [.article: .pre], by: w.actor(1))
            let word = try await w.pollen.addWatchedWord("crypto", action: .hold, by: w.actor(10))
            try await w.pollen.removeWatchedWord(word.id, by: w.actor(10))
            try await w.pollen.updateModerationSettings(ModerationSettings(retentionDays: 60), by: w.actor(9))
            try await w.pollen.changeRole(of: m(5), to: .moderator, by: w.actor(9))
            try await w.pollen.setSuspended(true, memberID: m(6), by: w.actor(9))
            try await w.pollen.setSuspended(false, memberID: m(6), by: w.actor(9))
            _ = try await w.pollen.updateSettings(ServerSettings(name: "Acme"), by: w.actor(9))

            await expectError(.forbidden, "moderators do not read the audit log") { _ = try await w.pollen.auditLog(viewer: w.actor(10)) }
            await expectError(.forbidden, "nor members") { _ = try await w.pollen.auditLog(viewer: w.actor(2)) }
            let entries = try await w.pollen.auditLog(viewer: w.actor(9))
            #expect(entries.map(\.entry.action) == [
                "settings.server", "member.reinstate", "member.suspend", "member.role", "settings.moderation", "watched_word.remove",
                "watched_word.add", "community.policy", "member.silence", "member.warn", "case.remove",
            ])
            let byAction = Dictionary(entries.map { ($0.entry.action, $0) }, uniquingKeysWith: { first, _ in first })
            let removal = try #require(byAction["case.remove"])
            #expect(removal.entry.actorID == m(10) && removal.actor?.handle == "m10")
            #expect(removal.entry.target == "post:\(p.id.rawValue)")
            #expect(removal.entry.reason == "No client data — Confidential")
            #expect(removal.entry.summary.contains("@m2") && removal.entry.summary.contains("Leaked numbers"))
            #expect(removal.entry.createdAt == start)
            #expect(removed.rule == "No client data")
            #expect(byAction["member.warn"]?.entry.target == "member:4")
            #expect(byAction["member.warn"]?.entry.reason == "Be civil")
            #expect(byAction["member.silence"]?.entry.target == "member:4")
            #expect(byAction["member.silence"]?.entry.summary.contains("3 days") == true)
            #expect(byAction["community.policy"]?.entry.actorID == m(1))
            #expect(byAction["community.policy"]?.entry.summary.contains("article: pre") == true)
            #expect(byAction["watched_word.add"]?.entry.summary.contains("crypto") == true)
            #expect(byAction["settings.moderation"]?.entry.actorID == m(9))
            #expect(byAction["settings.moderation"]?.entry.target == "settings")
            #expect(byAction["member.role"]?.entry.target == "member:5")
            #expect(byAction["member.role"]?.entry.summary.contains("moderator") == true)
            #expect(byAction["member.suspend"]?.entry.target == "member:6")
            #expect(entries.allSatisfy { $0.entry.actorID != nil })

            // Paging goes back by id.
            let firstPage = try await w.pollen.auditLog(limit: 4, viewer: w.actor(9))
            let nextPage = try await w.pollen.auditLog(before: firstPage.last?.entry.id, limit: 100, viewer: w.actor(9))
            #expect((firstPage + nextPage).map(\.entry.id) == entries.map(\.entry.id))
            // Saving settings that did not change writes nothing.
            try await w.pollen.updateModerationSettings(ModerationSettings(retentionDays: 60), by: w.actor(9))
            try await w.pollen.setCommunityPolicy(slug: "fin", [.article: .pre], by: w.actor(1))
            #expect(try await w.pollen.auditLog(viewer: w.actor(9)).count == entries.count)
        }
    }

    // MARK: - Content health

    @Test(arguments: Engine.enabled)
    func expertsMarkArticlesAndTheQueueListsMarkedAndStaleOnes(engine: Engine) async throws {
        try await withWorld(engine) { w in
            try await community(w, "fin", founder: 1, members: [2, 3, 4])
            try await w.pollen.decide(.role(.sme), about: m(3), in: "fin", by: w.actor(1))
            let article = try await write(w, .article, "Closing guide", in: "fin", by: 2)
            let wiki = try await write(w, .wiki, "Glossary", in: "fin", by: 2)
            let thread = try await write(w, .thread, "Chat", in: "fin", by: 2)

            await expectError(.forbidden, "a plain member, even the author") { try await w.pollen.markHealth(article.id, .obsolete, by: w.actor(2)) }
            await expectError(.invalidInput, "threads are not reviewed", field: "health") {
                try await w.pollen.markHealth(thread.id, .needsReview, by: w.actor(3))
            }
            await expectError(.invalidInput, "a long note", field: "note") {
                try await w.pollen.markHealth(article.id, .obsolete, note: String(repeating: "n", count: 501), by: w.actor(3))
            }
            let marked = try await w.pollen.markHealth(article.id, .needsReview, note: "Rates changed", by: w.actor(3))
            #expect(marked.health == .needsReview && marked.reviewedAt == start)
            #expect(try await w.pollen.item(article.id, viewer: w.actor(4)).item.health == .needsReview, "readers see the mark")

            await expectError(.forbidden, "a plain member has no health queue") { _ = try await w.pollen.contentHealthQueue(community: "fin", viewer: w.actor(4)) }
            var queue = try await w.pollen.contentHealthQueue(community: "fin", viewer: w.actor(3))
            #expect(queue.map(\.item.id) == [article.id], "marked, not the fresh page")
            #expect(queue.first?.isStale == false)

            w.clock.advance(by: 181 * day)
            queue = try await w.pollen.contentHealthQueue(community: "fin", viewer: w.actor(1))
            #expect(queue.map(\.item.id) == [article.id, wiki.id], "marked first, then the page not reviewed for 180 days")
            #expect(queue.map(\.isStale) == [false, true])
            #expect(queue.last?.lastReviewed == start)

            try await w.pollen.markHealth(wiki.id, nil, by: w.actor(3))
            try await w.pollen.markHealth(article.id, .obsolete, by: w.actor(1))
            queue = try await w.pollen.contentHealthQueue(community: "fin", viewer: w.actor(3))
            #expect(queue.map(\.item.id) == [article.id])
            #expect(queue.first?.item.health == .obsolete)
            try await w.pollen.markHealth(article.id, nil, by: w.actor(3))
            #expect(try await w.pollen.contentHealthQueue(community: "fin", viewer: w.actor(3)).isEmpty)
            #expect(try await w.pollen.item(article.id, viewer: w.actor(4)).item.health == nil)

            // A shorter review period brings them back sooner.
            var settings = ModerationSettings()
            settings.reviewAfterDays = 7
            try await w.pollen.updateModerationSettings(settings, by: w.actor(9))
            w.clock.advance(by: 8 * day)
            #expect(Set(try await w.pollen.contentHealthQueue(community: "fin", viewer: w.actor(3)).map(\.item.id)) == [article.id, wiki.id])
            let log = try await audit(w)
            #expect(log.contains { $0.action == "item.health.needs_review" && $0.reason == "Rates changed" && $0.actorID == m(3) })
            #expect(log.contains { $0.action == "item.health.reviewed" })
        }
    }

    // MARK: - Retention

    @Test(arguments: Engine.enabled)
    func removedContentIsPurgedAfterTheRetentionPeriod(engine: Engine) async throws {
        try await withWorld(engine) { w in
            try await community(w, "fin", founder: 1, members: [2, 3, 4])
            var settings = ModerationSettings()
            settings.retentionDays = 10
            try await w.pollen.updateModerationSettings(settings, by: w.actor(9))
            let p = try await post(w, "Leaked #numbers", by: 2)
            _ = try await w.pollen.editPost(p.id, body: "Leaked #numbers, edited", by: w.actor(2))
            let restored = try await post(w, "Misjudged", by: 4)
            let hidden = try await post(w, "Only hidden", by: 4)
            let question = try await ask(w, "How do we close the books?", by: 1, community: "fin")
            let a = try await answer(w, question, "Use the secret password", by: 3)
            let item = try await write(
                w, .resource, "Stolen slides", body: "", in: "fin", by: 2, file: UploadedFile(name: "slides.pdf", data: Array("%PDF".utf8)))
            let key = try #require(item.resource?.storageKey)
            #expect(FileManager.default.fileExists(atPath: w.files.appendingPathComponent(key).path))

            var removals: [ModerationCase.ID] = []
            for (target, flagger) in [(ref(p), Int64(3)), (ref(a), 2), (ref(item), 3)] {
                removals.append(try await decide(w, try await flag(w, target, by: flagger), .remove).id)
            }
            try await decide(w, try await flag(w, ref(hidden), by: 3), .hide)
            let appealed = try await decide(w, try await flag(w, ref(restored), by: 3), .remove)
            try await w.pollen.appeal(appealed.id, text: "It was fine", by: w.actor(4))
            try await decide(w, appealed.id, .approve, reason: "")

            w.clock.advance(by: 9 * day)
            #expect(try await w.pollen.purgeRemovedContent() == 0, "not yet")
            let recent = try await post(w, "Removed later", by: 2)
            try await decide(w, try await flag(w, ref(recent), by: 3), .remove)
            w.clock.advance(by: 1 * day + minute)
            #expect(try await w.pollen.purgeRemovedContent() == 3)

            // The post stays as the placeholder of its thread, without its words.
            let placeholder = try #require(try await w.store.read { try await $0.posts.find(id: p.id) })
            #expect(placeholder.body.isEmpty && placeholder.hashtags.isEmpty && placeholder.isDeleted)
            #expect(try await w.store.read { try await $0.posts.revisions(of: p.id) }.isEmpty, "nor its earlier versions")
            #expect(try await timeline(w, .hashtag("numbers"), viewer: 2).isEmpty)
            // The answer and the item are gone, with the item's file and the answer's history.
            #expect(try await w.store.read { try await $0.questions.answer(id: a.id) } == nil)
            #expect(try await w.store.read { try await $0.questions.revisions(question: question.id, answer: a.id) }.isEmpty)
            #expect(try await w.store.read { try await $0.communityContent.find(id: item.id) } == nil)
            #expect(!FileManager.default.fileExists(atPath: w.files.appendingPathComponent(key).path))
            // What was removed recently, only hidden, or restored on appeal stays.
            #expect(try await w.store.read { try await $0.posts.find(id: recent.id) }?.body == "Removed later")
            #expect(try await w.store.read { try await $0.posts.find(id: hidden.id) }?.body == "Only hidden")
            #expect(try await w.pollen.post(restored.id, viewer: w.actor(5)).post.body == "Misjudged")
            #expect(try await w.store.read { try await $0.questions.find(id: question.id) } != nil)
            // The authors' notices still open, though a purged answer leaves nothing to show.
            #expect(try await w.pollen.moderationNotice(removals[1], viewer: w.actor(3)).content == nil)
            #expect(try await w.pollen.moderationNotice(removals[0], viewer: w.actor(2)).content?.body == "")
            #expect(try await w.pollen.moderationNotice(appealed.id, viewer: w.actor(4)).content?.body == "Misjudged")
            #expect(try await w.pollen.purgeRemovedContent() == 0, "nothing left to purge")
            w.clock.advance(by: 10 * day)
            #expect(try await w.pollen.purgeRemovedContent() == 1)
            #expect(try await w.store.read { try await $0.posts.find(id: recent.id) }?.body == "")
        }
    }

    @Test(arguments: Engine.enabled)
    func editsAreScreenedAndCountsFollowWhatIsInView(_ engine: Engine) async throws {
        try await withWorld(engine) { w in
            try await w.pollen.addWatchedWord("guaranteed returns", action: .block, by: w.actor(10))
            try await w.pollen.addWatchedWord("wire money", action: .hold, by: w.actor(10))
            let question = try await ask(w, "How should we store customer passwords?", by: 1)
            let kept = try await answer(w, question, "Hash them with bcrypt.", by: 2)
            let wrong = try await answer(w, question, "Plain text is fine.", by: 3)
            #expect(try await w.pollen.question(question.id, viewer: w.actor(1)).question.answers == 2)

            // A blocked word cannot come in by an edit; a held word queues the answer but does not take it down.
            await #expect(throws: DomainError.self) {
                try await w.pollen.editAnswer(kept.id, body: "Hash them, guaranteed returns.", by: w.actor(2))
            }
            try await w.pollen.editAnswer(kept.id, body: "Hash them, then wire money to me.", by: w.actor(2))
            #expect(try await openCase(w, ref(kept))?.source == .watchedWord)
            #expect(try await w.pollen.question(question.id, viewer: w.actor(4)).answers.contains { $0.answer.id == kept.id })

            // A silenced member cannot edit either.
            let caseID = try await flag(w, ref(wrong), by: 4)
            try await decide(w, caseID, .silence, by: 10, reason: "Unsafe advice again.", silenceDays: 3)
            await #expect(throws: DomainError.self) {
                try await w.pollen.editAnswer(wrong.id, body: "Plain text is fine, really.", by: w.actor(3))
            }

            // Removing an answer takes it off the count; approving it on appeal puts it back.
            let removal = try await flag(w, ref(wrong), by: 5)
            try await decide(w, removal, .remove, by: 10, reason: "Unsafe.")
            #expect(try await w.pollen.question(question.id, viewer: w.actor(1)).question.answers == 1)
            try await w.pollen.appeal(removal, text: "Context was missing.", by: w.actor(3))
            try await decide(w, removal, .approve, by: 10)
            #expect(try await w.pollen.question(question.id, viewer: w.actor(1)).question.answers == 2)
        }
    }
}
