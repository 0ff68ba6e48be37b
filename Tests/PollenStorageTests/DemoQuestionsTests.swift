import Foundation
import PollenCore
import PollenStorage
import Testing

@Suite struct DemoQuestionsTests {
    static let members = 150
    static let seed: UInt64 = 3

    @Test(arguments: Engine.enabled)
    func theDemoAsksAndAnswersQuestionsThatTravel(engine: Engine) async throws {
        let first = try await seedAndCheck(engine)
        let again = try await seedAndCheck(engine)
        #expect(!first.isEmpty)
        #expect(first == again, "the same seed gives the same questions")
    }

    /// Seeds the demo into a fresh database, checks its questions, and returns them in a comparable form.
    private func seedAndCheck(_ engine: Engine) async throws -> [String] {
        var summary: [String] = []
        try await withStore(engine) { store in
            let now = Date(timeIntervalSince1970: 1_772_323_200)
            let pollen = Pollen(store: store, secrets: PlainSecrets(), time: ManualTimeSource(now))
            let report = try await pollen.seedDemo(members: Self.members, seed: Self.seed)
            #expect(report.questions == DemoQuestions.count(members: Self.members))
            #expect(report.answers > report.questions / 2)

            let drafts = DemoOrganizationGenerator(seed: Self.seed).members(count: Self.members)
            var found: [Member.ID] = []
            for draft in drafts { found.append(try await pollen.profile(handle: draft.handle, viewer: .system).id) }
            let memberIDs = found
            let handles = Dictionary(uniqueKeysWithValues: zip(memberIDs, drafts.map(\.handle)))
            let admin = try await pollen.profile(handle: try #require(report.adminHandle), viewer: .system)

            let questions = try await store.read { repos in
                try await repos.questions.list(QuestionQuery(queue: .all, member: admin.id, limit: 1_000), visibleTo: nil).items
            }
            #expect(questions.count == report.questions)
            #expect(questions.contains { $0.acceptedAnswerID != nil })
            #expect(questions.contains { $0.answers > 0 && $0.acceptedAnswerID == nil })
            #expect(questions.contains { $0.answers == 0 })
            #expect(questions.contains { $0.communityID != nil } && questions.contains { $0.toFollowers })
            // Over the past 90 days, the newest first.
            #expect(questions.allSatisfy { $0.createdAt <= now && $0.createdAt >= now.addingTimeInterval(-90 * 86_400) })
            #expect(questions.map(\.createdAt) == questions.map(\.createdAt).sorted(by: >))

            var hops = Set<Int>()
            var forwarded: Question? = nil
            var votesSeen = 0
            for question in questions {
                let (answers, travel) = try await store.read { repos in
                    (try await repos.questions.answers(to: question.id), try await repos.questions.travel(of: question.id))
                }
                #expect(answers.count == question.answers)
                #expect(answers.allSatisfy { $0.authorID != question.authorID && $0.createdAt > question.createdAt && $0.createdAt <= now })
                #expect(question.firstAnswerAt == answers.map(\.createdAt).min())
                if let accepted = question.acceptedAnswerID {
                    let answer = try #require(answers.first { $0.id == accepted })
                    let acceptedAt = try #require(question.acceptedAt)
                    #expect(acceptedAt > answer.createdAt && acceptedAt <= now)
                } else {
                    #expect(question.acceptedAt == nil)
                }
                for answer in answers {
                    let own = try await store.read { try await $0.questions.votes(of: answer.authorID, on: [answer.id]) }
                    #expect(own.isEmpty, "nobody votes on their own answer")
                    if answer.score != 0 { votesSeen += 1 }
                }
                hops.formUnion(travel.byHop.map(\.hop))
                if forwarded == nil, travel.byHop.contains(where: { $0.hop == 2 }) {
                    #expect(travel.forwards == 2)
                    forwarded = question
                }
                summary.append(
                    [question.title, question.tags.joined(separator: " "), handles[question.authorID] ?? "?",
                     "\(question.createdAt.timeIntervalSince1970)", "\(question.answers)", "\(question.acceptedAnswerID != nil)",
                     travel.byHop.map { "\($0.hop):\($0.people)" }.joined(separator: ",")].joined(separator: "|"))
            }
            #expect(votesSeen > 0)
            #expect(hops.isSuperset(of: [0, 1, 2]))

            // Those reached by a forward see who passed it on; the colleagues asked by name are marked so.
            let travelled = try #require(forwarded)
            let reach = try await store.read { repos in
                var found: [QuestionReach] = []
                for member in memberIDs {
                    if let reach = try await repos.questions.reach(of: member, on: travelled.id) { found.append(reach) }
                }
                return found
            }
            #expect(reach.filter { $0.hop > 0 }.allSatisfy { $0.forwardedBy != nil && !$0.named })
            #expect(reach.filter { $0.hop == 0 }.allSatisfy { $0.forwardedBy == nil })
            #expect(Set(reach.map(\.hop)).isSuperset(of: [1, 2]))
            let named = try await store.read { repos in
                try await repos.questions.pendingRoutes(of: memberIDs).values.reduce(0, +)
            }
            #expect(named > 0, "some colleagues were asked by name and have not answered yet")

            // Useful marks on community answers, their prompts as the time gone by implies, and stories that link the answer.
            #expect(report.usefulMarks > 0 && report.valueStories > 0, "\(report.usefulMarks) marks, \(report.valueStories) stories")
            let marks = try await store.read { repos in
                var found: [UsefulMark] = []
                for member in memberIDs { found += try await repos.value.marks(of: member, limit: 1_000) }
                return found
            }
            #expect(marks.count == report.usefulMarks)
            for mark in marks {
                #expect(mark.target.kind == .answer && mark.communityID != nil && mark.createdAt <= now)
                if now.timeIntervalSince(mark.createdAt) < Pollen.firstPromptAfter {
                    #expect(mark.promptsSent == 0 && mark.outcome == nil)
                    #expect(mark.nextPromptAt == mark.createdAt.addingTimeInterval(Pollen.firstPromptAfter))
                } else {
                    #expect(mark.promptsSent >= 1)
                }
                #expect((mark.outcome != nil) == (mark.answeredAt != nil))
                if mark.outcome != nil { #expect(mark.nextPromptAt == nil && mark.answeredAt! <= now) }
            }
            #expect(Set(marks.compactMap(\.outcome)).isSuperset(of: [.used, .story]))
            let stories = try await store.read { repos in
                try await repos.value.stories(visibleTo: admin.id, readsEveryCommunity: true, community: nil, before: nil, limit: 1_000)
            }
            #expect(stories.count == report.valueStories)
            for story in stories {
                let answer = try #require(story.steps.first?.links.first { $0.kind == .answer })
                let own = try await store.read { try await $0.value.marks(of: story.authorID, on: [answer]) }
                #expect(own[answer]?.outcome == .story, "a story follows its author's \"used it, and told the story\"")
                #expect(story.communityID != nil && story.cycles.starts(with: [.potential, .applied]))
            }
            summary.append("value|\(report.usefulMarks)|\(report.valueStories)")

            // What the demo wrote reads back through the use cases as a member sees it.
            let accepted = try #require(questions.first { $0.acceptedAnswerID != nil && $0.communityID == nil })
            let view = try await pollen.question(accepted.id, viewer: .member(admin))
            #expect(view.answers.contains { $0.accepted })
            let measures = try await pollen.questionMeasures(since: now.addingTimeInterval(-90 * 86_400), viewer: .member(admin))
            #expect(measures.asked == questions.count && measures.answered > 0 && measures.answeredWithinDay != nil)
        }
        return summary
    }
}
