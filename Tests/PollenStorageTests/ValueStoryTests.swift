import Foundation
import PollenCore
@testable import PollenStorage
import Testing

private let day: TimeInterval = 86_400
/// 1 March 2026, whole seconds so every moment derived from it survives the round trip.
private let start = Date(timeIntervalSince1970: 1_772_323_200)

/// Members 1–8, 9 an administrator, 10 a moderator, all a year old.
private func people() -> [Member] {
    (1...10).map { id in
        makeMember(Int64(id), handle: "m\(id)", role: id == 9 ? .admin : id == 10 ? .moderator : .member,
                   createdAt: start.addingTimeInterval(-365 * day))
    }
}

private struct World {
    let pollen: Pollen
    let clock: ManualTimeSource
    let m: [Int64: Member]
    let store: SQLStore

    func actor(_ id: Int64) -> Actor { .member(m[id]!) }
}

private func withWorld(_ engine: Engine, _ body: (World) async throws -> Void) async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pollen-value-test-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    try await withStore(engine) { store in
        let members = people()
        try await store.write { try await $0.members.insertMany(members) }
        let clock = ManualTimeSource(start)
        let pollen = Pollen(store: store, secrets: PlainSecrets(), time: clock, files: DirectoryResourceFiles(root: folder))
        try await body(World(pollen: pollen, clock: clock, m: Dictionary(uniqueKeysWithValues: members.map { ($0.id.rawValue, $0) }), store: store))
    }
}

/// Founds `slug` by `founder` (its manager) and has `members` join it (invited first when it is private).
private func community(_ w: World, _ slug: String, _ membership: Community.Membership = .open, founder: Int64 = 1, members: [Int64] = [])
    async throws
{
    _ = try await w.pollen.createCommunity(
        CommunityDraft(slug: slug, name: "Community \(slug)", kind: .horizontal, purpose: "Why \(slug) exists", membership: membership),
        by: w.actor(founder))
    for id in members {
        if membership == .private { try await w.pollen.decide(.invite, about: Member.ID(id), in: slug, by: w.actor(founder)) }
        try await w.pollen.joinCommunity(slug: slug, by: w.actor(id))
    }
}

private func item(_ w: World, _ title: String, in slug: String, by author: Int64, kind: CommunityItem.Kind = .article) async throws
    -> CommunityItem
{
    try await w.pollen.createItem(
        ItemDraft(kind: kind, title: title, body: "Text of \(title).", link: kind == .resource ? "https://example.org/\(slug)" : nil),
        in: slug, by: w.actor(author))
}

private func step(_ cycle: ValueCycle, _ text: String, _ links: [String] = []) -> ValueStepDraft {
    ValueStepDraft(cycle: cycle, narrative: text, links: links)
}

private func story(_ w: World, _ title: String, in slug: String? = nil, by author: Int64, _ steps: [ValueStepDraft]) async throws
    -> ValueStory
{
    try await w.pollen.recordValueStory(ValueStoryDraft(title: title, community: slug, steps: steps), by: w.actor(author))
}

private func ref(_ item: CommunityItem) -> ContentRef { ContentRef(.item, item.id.rawValue) }
private func ref(_ answer: Answer) -> ContentRef { ContentRef(.answer, answer.id.rawValue) }

private func storyTitles(_ w: World, viewer: Int64, community: String? = nil) async throws -> [String] {
    try await w.pollen.valueStories(community: community, viewer: w.actor(viewer)).stories.map(\.story.title)
}

private func prompts(_ w: World, _ member: Int64) async throws -> [NotificationView] {
    try await w.pollen.notifications(by: w.actor(member), kinds: [.valuePrompt], range: CursorRange(limit: 40))
}

private func expectError(
    _ code: DomainError.Code, _ what: Comment? = nil, field: String? = nil, message: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation, _ work: () async throws -> Void
) async {
    do {
        try await work()
        Issue.record("expected \(code)\(what.map { ": \($0)" } ?? "")", sourceLocation: sourceLocation)
    } catch let error as DomainError {
        #expect(error.code == code, "\(what.map { "\($0): " } ?? "")\(error)", sourceLocation: sourceLocation)
        if let field { #expect(error.field == field, "\(error)", sourceLocation: sourceLocation) }
        if let message { #expect(error.message.contains(message), "\(error)", sourceLocation: sourceLocation) }
    } catch {
        Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
    }
}

/// Value-creation stories and useful marks on every engine: recording, editing and deleting stories, which links
/// an author may make, who reads a story, "part of N stories", the prompts 30 and 90 days after a mark, answering
/// them, moderation hiding a story, and the counts of a community's value matrix.
@Suite struct ValueStoryTests {
    @Test(arguments: Engine.enabled)
    func aStoryIsRecordedEditedAndDeletedByItsAuthorOnly(engine: Engine) async throws {
        try await withWorld(engine) { w in
            try await community(w, "ops", members: [2, 3])
            let guide = try await item(w, "Brake checks", in: "ops", by: 2)
            let question = try await w.pollen.askQuestion(
                QuestionDraft(title: "How often are brakes tested?", community: "ops"), by: w.actor(2))
            let answer = try await w.pollen.answerQuestion(question.id, body: "Before every shift.", by: w.actor(1))
            let recorded = try await story(w, "Fewer forklift incidents", in: "ops", by: 3, [
                step(.realized, "No incident in three months.", ["answer:\(answer.id)"]),
                step(.applied, "We test the brakes each shift now.",
                     ["https://pollen.example.org/questions/\(question.id)#answer-\(answer.id)", "/c/ops/items/\(guide.id)", "@m1"]),
            ])
            // Steps come back in cycle order, links as resolved references (the same answer once).
            #expect(recorded.cycles == [.applied, .realized])
            #expect(recorded.step(.applied)?.links == [ref(answer), ref(guide), ContentRef(.profile, 1)])

            let read = try await w.pollen.valueStory(recorded.id, viewer: w.actor(4))
            #expect(read.story.title == "Fewer forklift incidents")
            #expect(read.community?.slug == "ops")
            #expect(!read.mayEdit)
            let applied = try #require(read.steps.first)
            #expect(applied.links.map(\.path) == ["/questions/\(question.id)#answer-\(answer.id)", "/c/ops/items/\(guide.id)", "/@m1"])
            #expect(applied.links.map(\.title) == ["Answer to “How often are brakes tested?”", "Brake checks", "M1"])

            // Someone else's story: neither edited nor deleted.
            await expectError(.forbidden, "another member edits") {
                try await w.pollen.editValueStory(recorded.id, ValueStoryDraft(title: "Mine now", steps: [step(.immediate, "x")]), by: w.actor(2))
            }
            await expectError(.forbidden, "another member deletes") { try await w.pollen.deleteValueStory(recorded.id, by: w.actor(2)) }

            w.clock.advance(by: day)
            let edited = try await w.pollen.editValueStory(
                recorded.id,
                ValueStoryDraft(title: "No incident since March", community: nil, steps: [step(.reframing, "Safety is part of the shift now.")]),
                by: w.actor(3))
            #expect(edited.cycles == [.reframing])
            #expect(edited.communityID == nil)
            let draft = try await w.pollen.valueStoryDraft(recorded.id, viewer: w.actor(3))
            #expect(draft == ValueStoryDraft(title: "No incident since March", community: nil, steps: [step(.reframing, "Safety is part of the shift now.")]))
            let stored = try #require(try await w.store.read { try await $0.value.story(id: recorded.id) })
            #expect(stored.updatedAt == start.addingTimeInterval(day))
            #expect(stored.step(.applied) == nil)

            try await w.pollen.deleteValueStory(recorded.id, by: w.actor(3))
            await expectError(.notFound, "deleted") { _ = try await w.pollen.valueStory(recorded.id, viewer: w.actor(3)) }
            #expect(try await storyTitles(w, viewer: 3).isEmpty)
        }
    }

    @Test(arguments: Engine.enabled)
    func badStoriesAreRefusedWithTheFieldAndNothingIsStored(engine: Engine) async throws {
        try await withWorld(engine) { w in
            try await community(w, "ops", members: [2])
            try await community(w, "vault", .private, founder: 4, members: [5])
            let secret = try await item(w, "Vault plan", in: "vault", by: 5)
            let cases: [(ValueStoryDraft, DomainError.Code, String, String)] = [
                (ValueStoryDraft(title: "  ", steps: [step(.applied, "x")]), .invalidInput, "title", "title"),
                (ValueStoryDraft(title: "No steps", steps: [step(.applied, "  ")]), .invalidInput, "narrative_immediate", "at least one step"),
                (ValueStoryDraft(title: "Links only", steps: [step(.immediate, "ok"), step(.applied, "", ["/@m1"])]), .invalidInput,
                 "narrative_applied", "applied step"),
                (ValueStoryDraft(title: "Odd link", steps: [step(.applied, "x", ["https://example.org/blog"])]), .invalidInput,
                 "links_applied", "is not a Pollen address"),
                (ValueStoryDraft(title: "Missing thing", steps: [step(.potential, "x", ["/posts/999999"])]), .invalidInput,
                 "links_potential", "You cannot link to “/posts/999999”"),
                (ValueStoryDraft(title: "Nobody", steps: [step(.potential, "x", ["/@nobody"])]), .invalidInput, "links_potential", "cannot see"),
                // The private community's item does not exist for an outsider: the link is refused like a missing one.
                (ValueStoryDraft(title: "Peeking", steps: [step(.applied, "x", ["/c/vault/items/\(secret.id)"])]), .invalidInput,
                 "links_applied", "You cannot link to “/c/vault/items/\(secret.id)”: it does not exist, or you cannot see it."),
                (ValueStoryDraft(title: "Too many", steps: [step(.applied, "x", (1...11).map { "/posts/\($0)" })]), .invalidInput,
                 "links_applied", "at most 10"),
                // A community's stories are its members': not a member of an open one, and a private one does not exist.
                (ValueStoryDraft(title: "Outsider", community: "ops", steps: [step(.applied, "x")]), .forbidden, "community", "Only members"),
                (ValueStoryDraft(title: "Outsider", community: "vault", steps: [step(.applied, "x")]), .notFound, "", "Community"),
            ]
            for (draft, code, field, message) in cases {
                await expectError(code, "\(draft.title)", field: field.isEmpty ? nil : field, message: message) {
                    _ = try await w.pollen.recordValueStory(draft, by: w.actor(3))
                }
            }
            #expect(try await storyTitles(w, viewer: 9).isEmpty)
            // Its members link it.
            let told = try await story(w, "Vault lessons", in: "vault", by: 5, [step(.applied, "We used the plan.", ["/c/vault/items/\(secret.id)"])])
            #expect(told.step(.applied)?.links == [ref(secret)])
        }
    }

    @Test(arguments: Engine.enabled)
    func aPrivateCommunitysStoriesExistOnlyForItsMembersAndLinksAreShownToWhoMaySeeThem(engine: Engine) async throws {
        try await withWorld(engine) { w in
            try await community(w, "vault", .private, founder: 1, members: [2])
            try await community(w, "ops", members: [2, 3])
            let secret = try await item(w, "Vault plan", in: "vault", by: 2)
            let open = try await item(w, "Open guide", in: "ops", by: 3)
            let inVault = try await story(w, "Inside the vault", in: "vault", by: 2, [step(.applied, "Used it.", ["/c/vault/items/\(secret.id)"])])
            // A story for the organization, linking to the private item and to the open one.
            let orgStory = try await story(w, "For everyone", by: 2, [
                step(.potential, "Found two things.", ["/c/vault/items/\(secret.id)", "/c/ops/items/\(open.id)"]),
            ])
            await expectError(.notFound, "outsider opens the private community's story") {
                _ = try await w.pollen.valueStory(inVault.id, viewer: w.actor(3))
            }
            await expectError(.notFound, "a moderator is an outsider too") { _ = try await w.pollen.valueStory(inVault.id, viewer: w.actor(10)) }
            #expect(try await w.pollen.valueStory(inVault.id, viewer: w.actor(1)).story.title == "Inside the vault")
            #expect(try await w.pollen.valueStory(inVault.id, viewer: w.actor(9)).story.title == "Inside the vault")
            #expect(try await storyTitles(w, viewer: 3) == ["For everyone"])
            #expect(try await storyTitles(w, viewer: 1) == ["For everyone", "Inside the vault"])
            #expect(try await storyTitles(w, viewer: 9) == ["For everyone", "Inside the vault"])
            #expect(try await storyTitles(w, viewer: 1, community: "vault") == ["Inside the vault"])
            await expectError(.notFound, "filtering by the private community") { _ = try await storyTitles(w, viewer: 3, community: "vault") }

            // The outsider reads the organization's story without the private link, told that one is left out.
            let outside = try await w.pollen.valueStory(orgStory.id, viewer: w.actor(3))
            #expect(outside.steps.first?.links.map(\.title) == ["Open guide"])
            #expect(outside.steps.first?.unseenLinks == 1)
            #expect(try await w.pollen.valueStory(orgStory.id, viewer: w.actor(1)).steps.first?.links.count == 2)

            // "Part of N value stories" counts the stories the viewer may see.
            let inside = try await w.pollen.valueContext(for: [ref(secret), ref(open)], viewer: w.actor(1))
            #expect(inside[ref(secret)]?.stories.map(\.title) == ["For everyone", "Inside the vault"])
            #expect(inside[ref(open)]?.stories.map(\.title) == ["For everyone"])
            let outsider = try await w.pollen.valueContext(for: [ref(open)], viewer: w.actor(3))
            #expect(outsider[ref(open)]?.stories.map(\.title) == ["For everyone"])
        }
    }

    @Test(arguments: Engine.enabled)
    func aManagerHidesACommunityStoryThroughAFlag(engine: Engine) async throws {
        try await withWorld(engine) { w in
            try await community(w, "ops", founder: 1, members: [2, 3])
            let told = try await story(w, "Off-topic story", in: "ops", by: 2, [step(.immediate, "Nothing to do with ops.")])
            let flagged = try await w.pollen.flag(ContentRef(.story, told.id.rawValue), reason: .offTopic, by: w.actor(3))
            let queue = try await w.pollen.reviewQueue(community: "ops", viewer: w.actor(1))
            #expect(queue.cases.map(\.moderationCase.id) == [flagged.caseID])
            #expect(queue.cases.first?.content?.path == "/stories/\(told.id)")
            #expect(queue.cases.first?.content?.body == "Immediate value: Nothing to do with ops.")
            try await w.pollen.moderate(flagged.caseID, ModerationDecision(action: .hide, reason: "Not about operations."), by: w.actor(1))

            await expectError(.notFound, "hidden from members") { _ = try await w.pollen.valueStory(told.id, viewer: w.actor(3)) }
            #expect(try await storyTitles(w, viewer: 3).isEmpty)
            // Its author still reads it (with the banner), and so does the manager who decides on it.
            #expect(try await w.pollen.valueStory(told.id, viewer: w.actor(2)).story.withholding == .hidden)
            #expect(try await w.pollen.valueStory(told.id, viewer: w.actor(1)).story.withholding == .hidden)
            #expect(try await storyTitles(w, viewer: 2) == ["Off-topic story"])
            // A blocked word is refused like anywhere else.
            _ = try await w.pollen.addWatchedWord("forbidden", action: .block, by: w.actor(10))
            await expectError(.invalidInput, field: "body") {
                _ = try await story(w, "A forbidden story", by: 2, [step(.immediate, "x")])
            }
        }
    }

    @Test(arguments: Engine.enabled)
    func usefulMarksAreTheMembersOwnAndShownBesideTheContent(engine: Engine) async throws {
        try await withWorld(engine) { w in
            try await community(w, "ops", members: [2, 3])
            let guide = try await item(w, "Brake checks", in: "ops", by: 2)
            let question = try await w.pollen.askQuestion(QuestionDraft(title: "How often are brakes tested?"), by: w.actor(2))
            let answer = try await w.pollen.answerQuestion(question.id, body: "Before every shift.", by: w.actor(1))
            #expect(try await w.pollen.setUseful(true, ref(guide), by: w.actor(3)))
            #expect(try await w.pollen.setUseful(true, ref(guide), by: w.actor(3)), "marking twice changes nothing")
            #expect(try await w.pollen.setUseful(true, ref(answer), by: w.actor(3)))
            await expectError(.invalidInput, "one's own item", field: "target") { _ = try await w.pollen.setUseful(true, ref(guide), by: w.actor(2)) }
            await expectError(.invalidInput, "a question is not used") {
                _ = try await w.pollen.setUseful(true, ContentRef(.question, question.id.rawValue), by: w.actor(3))
            }
            await expectError(.notFound, "nothing there") { _ = try await w.pollen.setUseful(true, ContentRef(.item, 424242), by: w.actor(3)) }

            let context = try await w.pollen.valueContext(for: [ref(guide), ref(answer)], viewer: w.actor(3))
            #expect(context[ref(guide)]?.marked == true)
            #expect(context[ref(answer)]?.marked == true)
            #expect(try await w.pollen.valueContext(for: [ref(guide)], viewer: w.actor(1))[ref(guide)]?.marked != true)
            let things = try await w.pollen.usefulThings(viewer: w.actor(3))
            #expect(things.map(\.link.title) == ["Answer to “How often are brakes tested?”", "Brake checks"])
            let marks = try await w.store.read { try await $0.value.marks(of: Member.ID(3), limit: 10) }
            #expect(marks.first { $0.target == ref(guide) }?.communityID != nil)
            #expect(marks.first { $0.target == ref(answer) }?.communityID == nil)
            #expect(marks.allSatisfy { $0.nextPromptAt == start.addingTimeInterval(30 * day) })

            #expect(try await w.pollen.setUseful(false, ref(guide), by: w.actor(3)) == false)
            #expect(try await w.pollen.usefulThings(viewer: w.actor(3)).map(\.mark.target) == [ref(answer)])
            // Someone else's mark is not theirs to read or answer.
            let mine = try #require(things.first).mark.id
            await expectError(.notFound) { _ = try await w.pollen.usefulThing(mine, viewer: w.actor(1)) }
            await expectError(.notFound) { _ = try await w.pollen.answerValuePrompt(mine, .used, by: w.actor(1)) }
        }
    }

    @Test(arguments: Engine.enabled)
    func promptsGoOutThirtyAndNinetyDaysAfterAMarkEachOnce(engine: Engine) async throws {
        try await withWorld(engine) { w in
            try await community(w, "ops", members: [2, 3])
            let guide = try await item(w, "Brake checks", in: "ops", by: 2)
            try await w.pollen.setUseful(true, ref(guide), by: w.actor(3))
            #expect(try await w.pollen.sendValuePrompts(now: start.addingTimeInterval(30 * day - 1)) == 0)
            #expect(try await w.pollen.sendValuePrompts(now: start.addingTimeInterval(30 * day)) == 1)
            #expect(try await w.pollen.sendValuePrompts(now: start.addingTimeInterval(30 * day)) == 0, "each prompt once")
            #expect(try await w.pollen.sendValuePrompts(now: start.addingTimeInterval(89 * day)) == 0)
            #expect(try await w.pollen.sendValuePrompts(now: start.addingTimeInterval(90 * day)) == 1)
            #expect(try await w.pollen.sendValuePrompts(now: start.addingTimeInterval(400 * day)) == 0, "two prompts in all")

            let told = try await prompts(w, 3)
            #expect(told.count == 2)
            #expect(told.allSatisfy { $0.notification.memberID == Member.ID(3) && $0.notification.markID != nil })
            #expect(told.map { $0.notification.createdAt } == [start.addingTimeInterval(90 * day), start.addingTimeInterval(30 * day)])
            #expect(told.first?.valuePrompt?.link.title == "Brake checks")
            #expect(told.first?.valuePrompt?.link.path == "/c/ops/items/\(guide.id)")
            // Mastodon clients never see them.
            #expect(!MemberNotification.Kind.mastodon.contains(.valuePrompt))
            #expect(try await prompts(w, 2).isEmpty)
        }
    }

    @Test(arguments: Engine.enabled)
    func noPromptFollowsAnAnswerAnUnmarkOrWhatTheMemberCanNoLongerSee(engine: Engine) async throws {
        try await withWorld(engine) { w in
            try await community(w, "ops", members: [2, 3, 4, 5, 6])
            try await community(w, "vault", .private, founder: 1, members: [2, 6])
            let answeredEarly = try await item(w, "Answered early", in: "ops", by: 2)
            let unmarked = try await item(w, "Unmarked", in: "ops", by: 2)
            let answeredAfterOne = try await item(w, "Answered after the first prompt", in: "ops", by: 2)
            let late = try await item(w, "Caught up late", in: "ops", by: 2)
            let secret = try await item(w, "Vault plan", in: "vault", by: 2)
            for (target, member) in [(answeredEarly, 3), (unmarked, 4), (answeredAfterOne, 5), (late, 3), (secret, 6)] {
                try await w.pollen.setUseful(true, ref(target), by: w.actor(Int64(member)))
            }
            let things = try await w.pollen.usefulThings(viewer: w.actor(3))
            let early = try #require(things.first { $0.mark.target == ref(answeredEarly) }).mark.id
            try await w.pollen.answerValuePrompt(early, .notUsed, by: w.actor(3))
            try await w.pollen.setUseful(false, ref(unmarked), by: w.actor(4))
            // Member 6 leaves the private community: no window into it stays open.
            try await w.pollen.leaveCommunity(slug: "vault", by: w.actor(6))

            // The first round, at 30 days: for the mark of member 5, and for member 3's late one only.
            #expect(try await w.pollen.sendValuePrompts(now: start.addingTimeInterval(30 * day)) == 2)
            #expect(try await prompts(w, 4).isEmpty)
            #expect(try await prompts(w, 6).isEmpty)
            let afterOne = try #require(try await w.pollen.usefulThings(viewer: w.actor(5)).first).mark.id
            let answered = try await w.pollen.answerValuePrompt(afterOne, .used, note: "We print it\nfor every shift.", by: w.actor(5))
            #expect(answered.note == "We print it for every shift.")
            #expect(try await w.pollen.sendValuePrompts(now: start.addingTimeInterval(90 * day)) == 1)
            #expect(try await prompts(w, 5).count == 1)
            #expect(try await prompts(w, 3).count == 2)
            let stored = try #require(try await w.store.read { try await $0.value.mark(id: afterOne) })
            #expect(stored.outcome == .used && stored.nextPromptAt == nil && stored.promptsSent == 1)
            #expect(stored.answeredAt == start)

            // A server down through both moments sends one prompt, the later.
            try await w.pollen.setUseful(true, ref(late), by: w.actor(4))
            #expect(try await w.pollen.sendValuePrompts(now: start.addingTimeInterval(200 * day)) == 1)
            #expect(try await w.pollen.sendValuePrompts(now: start.addingTimeInterval(300 * day)) == 0)
            #expect(try await prompts(w, 4).count == 1)

            // Unmarking takes the prompts already sent with it.
            try await w.pollen.setUseful(false, ref(late), by: w.actor(3))
            #expect(try await prompts(w, 3).isEmpty)

            await expectError(.invalidInput, field: "note") {
                _ = try await w.pollen.answerValuePrompt(afterOne, .used, note: String(repeating: "x", count: 281), by: w.actor(5))
            }
        }
    }

    @Test(arguments: Engine.enabled)
    func tellingTheStoryStartsFromAnAppliedStepLinkedToTheMarkedThing(engine: Engine) async throws {
        try await withWorld(engine) { w in
            try await community(w, "ops", members: [2, 3])
            let question = try await w.pollen.askQuestion(QuestionDraft(title: "How often are brakes tested?", community: "ops"), by: w.actor(2))
            let answer = try await w.pollen.answerQuestion(question.id, body: "Before every shift.", by: w.actor(1))
            try await w.pollen.setUseful(true, ref(answer), by: w.actor(3))
            let mark = try #require(try await w.pollen.usefulThings(viewer: w.actor(3)).first).mark.id
            try await w.pollen.answerValuePrompt(mark, .story, by: w.actor(3))
            let draft = try await w.pollen.valueStoryDraft(fromMark: mark, viewer: w.actor(3))
            #expect(draft.community == "ops")
            #expect(draft.steps == [ValueStepDraft(cycle: .applied, narrative: "", links: ["/questions/\(question.id)#answer-\(answer.id)"])])
            await expectError(.notFound) { _ = try await w.pollen.valueStoryDraft(fromMark: mark, viewer: w.actor(2)) }
        }
    }

    @Test(arguments: Engine.enabled)
    func theMatrixCountsTheCommunitysActivityAndStoriesOverNinetyDaysAndAllTime(engine: Engine) async throws {
        try await withWorld(engine) { w in
            try await community(w, "ops", founder: 1, members: [2, 3, 4])
            try await community(w, "other", founder: 5, members: [2])
            // Long ago: a resource, a comment on it, a favourite, a mark, and a story with a potential step.
            let resource = try await item(w, "Checklist", in: "ops", by: 2, kind: .resource)
            _ = try await w.pollen.comment(on: resource.id, body: "Thanks!", by: w.actor(4))
            _ = try await w.pollen.setItemFavourite(true, resource.id, by: w.actor(3))
            try await w.pollen.setUseful(true, ref(resource), by: w.actor(3))
            _ = try await story(w, "Old story", in: "ops", by: 2, [step(.potential, "A checklist to keep.")])
            // Elsewhere: counted nowhere here.
            _ = try await item(w, "Elsewhere", in: "other", by: 2, kind: .resource)
            _ = try await story(w, "Other story", in: "other", by: 2, [step(.applied, "x")])
            _ = try await story(w, "Organization story", by: 2, [step(.realized, "x")])

            w.clock.advance(by: 100 * day)
            // Recently: a question and its answer, a comment on it, a favourite, two marks, three prompt answers, two stories.
            let question = try await w.pollen.askQuestion(QuestionDraft(title: "Where is the checklist kept?", community: "ops"), by: w.actor(2))
            let answer = try await w.pollen.answerQuestion(question.id, body: "In the depot office.", by: w.actor(3))
            _ = try await w.pollen.commentOnQuestion(question.id, body: "And a copy on the forklift.", by: w.actor(3))
            _ = try await w.pollen.setItemFavourite(true, resource.id, by: w.actor(1))
            try await w.pollen.setUseful(true, ref(answer), by: w.actor(4))
            try await w.pollen.setUseful(true, ref(answer), by: w.actor(1))
            for (member, outcome) in [(Int64(3), UsefulMark.Outcome.used), (4, .story), (1, .notUsed)] {
                let mark = try #require(try await w.pollen.usefulThings(viewer: w.actor(member)).first).mark.id
                try await w.pollen.answerValuePrompt(mark, outcome, by: w.actor(member))
            }
            let applied = try await story(w, "Checklist in use", in: "ops", by: 3, [
                step(.applied, "We use it daily.", ["/c/ops/items/\(resource.id)"]), step(.realized, "Fewer stops."),
            ])
            w.clock.advance(by: 60)
            let reframed = try await story(w, "Safety first", in: "ops", by: 4, [
                step(.immediate, "A quick answer."), step(.applied, "Copied to every forklift."), step(.reframing, "Checks count as work."),
            ])

            let matrix = try await w.pollen.valueMatrix(community: "ops", viewer: w.actor(2))
            #expect(matrix.since == start.addingTimeInterval(10 * day + 60))
            var counts: [ValueIndicator: [Int]] = [:]
            for row in matrix.rows { for count in row.counts { counts[count.indicator] = [count.recent, count.allTime] } }
            #expect(counts[.activeMembers] == [2, 3], "recently @m2 and @m3; @m4 commented long ago")
            #expect(counts[.answers] == [1, 1])
            #expect(counts[.comments] == [1, 2])
            #expect(counts[.favourites] == [1, 2])
            #expect(counts[.usefulMarks] == [2, 3])
            #expect(counts[.resources] == [0, 1])
            #expect(counts[.usedIt] == [2, 2])
            #expect(counts[.stories(.immediate)] == [1, 1])
            #expect(counts[.stories(.potential)] == [0, 1])
            #expect(counts[.stories(.applied)] == [2, 2])
            #expect(counts[.stories(.realized)] == [1, 1])
            #expect(counts[.stories(.reframing)] == [1, 1])
            #expect(matrix.rows.map(\.cycle) == ValueCycle.allCases)
            #expect(matrix.rows[2].stories.map(\.id) == [reframed.id, applied.id])
            #expect(matrix.rows[1].stories.map(\.title) == ["Old story"])

            // The community's members and administrators read it; others do not.
            _ = try await w.pollen.valueMatrix(community: "ops", viewer: w.actor(9))
            await expectError(.forbidden, "not a member") { _ = try await w.pollen.valueMatrix(community: "ops", viewer: w.actor(6)) }
        }
    }

    @Test func addressesAreReadAsPagesShowThem() {
        #expect(PollenAddress.parse("/questions/12#answer-34") == .content(ContentRef(.answer, 34)))
        #expect(PollenAddress.parse("https://pollen.example.org/questions/12") == .content(ContentRef(.question, 12)))
        #expect(PollenAddress.parse("/questions/12#comment-5") == .content(ContentRef(.question, 12)))
        #expect(PollenAddress.parse("/c/ops/items/7#comment-3") == .content(ContentRef(.item, 7)))
        #expect(PollenAddress.parse(" /posts/9 ") == .content(ContentRef(.post, 9)))
        #expect(PollenAddress.parse("/@ada") == .person(handle: "ada"))
        #expect(PollenAddress.parse("@ada") == .person(handle: "ada"))
        #expect(PollenAddress.parse("answer:34") == .content(ContentRef(.answer, 34)))
        for bad in ["", "/posts/0", "/posts/x", "/c/ops", "/@", "comment:3", "story:4", "https://example.org", "/@ada/followers", "ftp:x"] {
            #expect(PollenAddress.parse(bad) == nil, "\(bad)")
        }
    }
}
