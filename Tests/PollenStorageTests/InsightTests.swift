import Foundation
import PollenCore
@testable import PollenStorage
import Testing

private let hour: TimeInterval = 3600
private let day: TimeInterval = 24 * hour
/// Monday 2 November 2026, 12:00 UTC.
private let start = Date(timeIntervalSince1970: 1_793_620_800)

private func m(_ id: Int64) -> Member.ID { Member.ID(id) }

/// Ops: 1–6 and the administrator 14; Finance: 7–11; Legal: 12–13 (two people: never shown on their own).
private func people() -> [Member] {
    (1...14).map { id -> Member in
        let department = switch id {
        case 1...6, 14: "Ops"
        case 7...11: "Finance"
        default: "Legal"
        }
        return makeMember(
            Int64(id), handle: "p\(id)", department: department, role: id == 14 ? .admin : .member,
            createdAt: start.addingTimeInterval(-400 * day))
    }
}

private struct World {
    let pollen: Pollen
    let clock: ManualTimeSource
    let m: [Int64: Member]
    let store: SQLStore

    func actor(_ id: Int64) -> Actor { .member(m[id]!) }

    func run(by id: Int64 = 14) async throws -> AnalyticsRun {
        try await pollen.performAnalytics(try await pollen.requestAnalyticsRun(by: actor(id)))
    }
}

private func withWorld(_ engine: Engine, _ body: (World) async throws -> Void) async throws {
    try await withStore(engine) { store in
        let members = people()
        try await store.write { try await $0.members.insertMany(members) }
        let clock = ManualTimeSource(start.addingTimeInterval(-20 * day))
        let pollen = Pollen(store: store, secrets: PlainSecrets(), time: clock)
        try await body(World(
            pollen: pollen, clock: clock, m: Dictionary(uniqueKeysWithValues: members.map { ($0.id.rawValue, $0) }), store: store))
    }
}

/// Twenty days of activity: follows across and inside units, a reply, a favourite, a community "practice"
/// (managed by 1; members 2, 7, 8, 12) with an article read, saved and commented on, and a question forwarded
/// by 1 to their followers, among them 7, who answers it; 7 (a member, Finance) and 9 (not a member) reshare 2's post.
/// Ends at `start`.
@discardableResult
private func activity(_ w: World) async throws -> (question: Question, item: CommunityItem) {
    for (a, b) in [(1, 2), (2, 1), (1, 7), (7, 1), (7, 8), (8, 7), (3, 4), (9, 10), (12, 13), (13, 1), (5, 6), (6, 5), (11, 9)] {
        _ = try await w.pollen.followMember(m(Int64(b)), by: w.actor(Int64(a)))
    }
    let post = try await w.pollen.publishPost(PostDraft(body: "How do you run a retrospective?"), by: w.actor(2))
    w.clock.advance(by: day)
    _ = try await w.pollen.publishPost(PostDraft(body: "We timebox it.", replyToID: post.id), by: w.actor(8))
    _ = try await w.pollen.setFavourite(true, post.id, by: w.actor(9))
    let removed = try await w.pollen.publishPost(PostDraft(body: "A reply that is deleted.", replyToID: post.id), by: w.actor(10))
    try await w.pollen.deletePost(removed.id, by: w.actor(10))

    _ = try await w.pollen.createCommunity(
        CommunityDraft(slug: "practice", name: "Practice", kind: .horizontal, purpose: "Better retrospectives", membership: .open),
        by: w.actor(1))
    for id in [2, 7, 8, 12] { _ = try await w.pollen.joinCommunity(slug: "practice", by: w.actor(Int64(id))) }
    w.clock.advance(by: day)
    let item = try await w.pollen.createItem(
        ItemDraft(kind: .article, title: "Retrospectives that work", body: "Start with the facts.", tags: []), in: "practice",
        by: w.actor(1))
    w.clock.advance(by: day)
    _ = try await w.pollen.item(item.id, viewer: w.actor(2))
    _ = try await w.pollen.item(item.id, viewer: w.actor(12))
    _ = try await w.pollen.setItemFavourite(true, item.id, by: w.actor(12))
    _ = try await w.pollen.comment(on: item.id, body: "We tried it, it works.", by: w.actor(8))
    let question = try await w.pollen.askQuestion(
        QuestionDraft(title: "Who knows retrospective formats?", body: "For a team of twelve.", tags: [], community: "practice"),
        by: w.actor(2))
    w.clock.advance(by: day)
    _ = try await w.pollen.forwardQuestion(question.id, by: w.actor(1))
    w.clock.advance(by: 2 * hour)
    _ = try await w.pollen.answerQuestion(question.id, body: "Try the sailboat format.", by: w.actor(7))
    _ = try await w.pollen.resharePost(post.id, by: w.actor(7))
    _ = try await w.pollen.resharePost(post.id, by: w.actor(9))
    _ = try await w.pollen.recordValueStory(
        ValueStoryDraft(
            title: "Shorter retrospectives", community: "practice",
            steps: [ValueStepDraft(cycle: .applied, narrative: "We used the sailboat format.", links: [])]),
        by: w.actor(2))
    w.clock.advance(by: start.timeIntervalSince(w.clock.now()))
    return (question, item)
}

@Suite struct InsightTests {
    @Test(arguments: Engine.enabled)
    func interactionsAndActivityAreReadWithoutDeletedContent(_ engine: Engine) async throws {
        try await withWorld(engine) { w in
            let (question, item) = try await activity(w)
            let (interactions, events) = try await w.store.read { repos in
                (try await repos.insight.interactions(since: start.addingTimeInterval(-30 * day)),
                 try await repos.insight.activity(since: start.addingTimeInterval(-30 * day)))
            }
            func has(_ kind: Interaction.Kind, _ a: Int64, _ b: Int64) -> Bool {
                interactions.contains { $0.kind == kind && $0.from == m(a) && $0.to == m(b) }
            }
            #expect(interactions.filter { $0.kind == .follow }.count == 13)
            #expect(has(.reply, 8, 2))
            #expect(!has(.reply, 10, 2))
            #expect(has(.favourite, 9, 2))
            #expect(has(.favourite, 12, 1))
            #expect(has(.comment, 8, 1))
            #expect(has(.answer, 7, 2))
            func event(_ kind: ActivityEvent.Kind, _ member: Int64) -> ActivityEvent? {
                events.first { $0.kind == kind && $0.member == m(member) }
            }
            #expect(event(.create, 1)?.content == item.id.rawValue)
            #expect(event(.create, 1)?.contentKind == "article")
            #expect(event(.read, 12)?.contextAt != nil)
            #expect(event(.save, 12) != nil)
            #expect(event(.comment, 8)?.counterpart == m(1))
            #expect(event(.ask, 2)?.extraAt != nil)
            #expect(event(.answer, 7)?.counterpart == m(2))
            #expect(event(.forward, 1)?.content == question.id.rawValue)
            #expect(event(.story, 2)?.contentKind == "story")
            #expect(events.filter { $0.kind == .forward }.allSatisfy { $0.counterpart != nil })
            // A reshare counts where both people are members: 7's in "practice", 9's (not a member) nowhere.
            #expect(event(.reshare, 7)?.counterpart == m(2))
            #expect(event(.reshare, 7)?.community == event(.create, 1)?.community)
            #expect(event(.reshare, 9) == nil)
            #expect(has(.reshare, 9, 2))
            // Posts belong to no community.
            #expect(events.allSatisfy { $0.community == events.first!.community })
        }
    }

    @Test(arguments: Engine.enabled)
    func aRunStoresEverySnapshotAndFillsInTheTrend(_ engine: Engine) async throws {
        try await withWorld(engine) { w in
            try await activity(w)
            let run = try await w.run()
            #expect(run.status == .finished)
            let insight = try await w.pollen.organizationInsight(by: w.actor(14))
            let snapshot = try #require(insight.snapshot)
            #expect(insight.lastRun?.id == run.id)
            #expect(insight.trend.count == 13)
            #expect(snapshot.members == 14)
            #expect(snapshot.ties > 12)
            let community = try await w.pollen.communityInsight(slug: "practice", by: w.actor(2))
            let figures = try #require(community.snapshot)
            #expect(figures.members == 5)
            // 1 (published, forwarded), 2 (read, asked), 7 (answered), 8 (commented), 12 (read and saved).
            #expect(figures.activeMembers == 5)
            #expect(figures.share(of: .creator)?.members == 3)
            #expect(figures.share(of: .consumer)?.members == 2)
            #expect(figures.share(of: .connector)?.members ?? 0 >= 1)
            // 1 forwarded to 7 across departments; 7 (Finance) reshared 2's post (Ops).
            #expect(figures.share(of: .carrier)?.members == 2)
            // A later run adds one point; the past is filled in only once.
            w.clock.advance(by: day)
            _ = try await w.run()
            #expect(try await w.pollen.organizationInsight(by: w.actor(14)).trend.count == 14)
        }
    }

    @Test(arguments: Engine.enabled)
    func unitsUnderFivePeopleAreNeverShown(_ engine: Engine) async throws {
        try await withWorld(engine) { w in
            try await activity(w)
            _ = try await w.run()
            let snapshot = try #require(try await w.pollen.organizationInsight(by: w.actor(14)).snapshot)
            #expect(snapshot.units.map(\.name) == ["Finance", "Ops"])
            #expect(snapshot.unitNames == ["Finance", "Ops"])
            let stored = try await w.store.read { try await $0.insight.latestSnapshot(scope: "org") }
            let json = String(decoding: try #require(stored).body, as: UTF8.self)
            #expect(!json.contains("Legal"))
            #expect(snapshot.fragileLinks.allSatisfy { $0.from != "Legal" && $0.to != "Legal" })
        }
    }

    @Test(arguments: Engine.enabled)
    func namedPeopleAppearOnlyWhileTheOrganizationAllowsIt(_ engine: Engine) async throws {
        try await withWorld(engine) { w in
            try await activity(w)
            _ = try await w.run()
            #expect(try await w.pollen.organizationInsight(by: w.actor(14)).snapshot?.brokers == nil)
            let stored = try await w.store.read { try await $0.insight.latestSnapshot(scope: "org") }
            #expect(!String(decoding: try #require(stored).body, as: UTF8.self).contains("\"handle\""))

            try await w.pollen.updateInsightSettings(InsightSettings(individualScores: true), by: w.actor(14))
            w.clock.advance(by: hour)
            _ = try await w.run()
            let brokers = try #require(try await w.pollen.organizationInsight(by: w.actor(14)).snapshot?.brokers)
            #expect(!brokers.isEmpty)
            // Turned off again: hidden at once, without waiting for a run.
            try await w.pollen.updateInsightSettings(InsightSettings(individualScores: false), by: w.actor(14))
            #expect(try await w.pollen.organizationInsight(by: w.actor(14)).snapshot?.brokers == nil)
            await #expect(throws: DomainError.self) {
                try await w.pollen.updateInsightSettings(InsightSettings(refreshHours: 0), by: w.actor(14))
            }
            await #expect(throws: DomainError.self) {
                try await w.pollen.updateInsightSettings(InsightSettings(individualScores: true), by: w.actor(3))
            }
            #expect(try await w.pollen.insightSettings(by: w.actor(3)).individualScores == false)
        }
    }

    @Test(arguments: Engine.enabled)
    func theNetworkInsightIsForAdministratorsAndThoseTheyChoose(_ engine: Engine) async throws {
        try await withWorld(engine) { w in
            await #expect(throws: DomainError.notAllowed) { try await w.pollen.organizationInsight(by: w.actor(3)) }
            await #expect(throws: DomainError.notAllowed) { try await w.pollen.grantNetworkInsight(handle: "p3", by: w.actor(4)) }
            let granted = try await w.pollen.grantNetworkInsight(handle: "@p3", by: w.actor(14))
            #expect(granted.id == m(3))
            #expect(try await w.pollen.organizationInsight(by: w.actor(3)).snapshot == nil)
            do {
                _ = try await w.pollen.grantNetworkInsight(handle: "p3", by: w.actor(14))
                Issue.record("granted twice")
            } catch let error as DomainError { #expect(error.code == .conflict) }
            do {
                _ = try await w.pollen.grantNetworkInsight(handle: "nobody", by: w.actor(14))
                Issue.record("granted to nobody")
            } catch let error as DomainError { #expect(error.code == .invalidInput && error.field == "handle") }
            #expect(try await w.pollen.networkInsightGrants(by: w.actor(14)).map(\.member.id) == [m(3)])
            try await w.pollen.revokeNetworkInsight(of: m(3), by: w.actor(14))
            await #expect(throws: DomainError.notAllowed) { try await w.pollen.organizationInsight(by: w.actor(3)) }
            let actions = try await w.store.read { try await $0.moderation.audit(before: nil, limit: 10) }.map(\.action)
            #expect(actions.contains("insight.grant") && actions.contains("insight.revoke"))
        }
    }

    @Test(arguments: Engine.enabled)
    func runsAreAskedForByThoseWhoSeeTheFiguresOnceAtATime(_ engine: Engine) async throws {
        try await withWorld(engine) { w in
            try await activity(w)
            await #expect(throws: DomainError.notAllowed) { try await w.pollen.requestAnalyticsRun(by: w.actor(3)) }
            // A community manager may refresh.
            let first = try await w.pollen.requestAnalyticsRun(by: w.actor(1))
            do {
                _ = try await w.pollen.requestAnalyticsRun(by: w.actor(14))
                Issue.record("two runs at once")
            } catch let error as DomainError { #expect(error.code == .conflict) }
            // A run whose server died is given up after half an hour.
            w.clock.advance(by: 31 * 60)
            let second = try await w.pollen.requestAnalyticsRun(by: w.actor(14))
            #expect(second.id != first.id)
            _ = try await w.pollen.performAnalytics(second)
            let latest = try await w.store.read { try await $0.insight.latestRun(finishedOnly: true) }
            #expect(latest?.id == second.id)
        }
    }

    @Test(arguments: Engine.enabled)
    func theScheduleRunsWhenTheIntervalHasPassed(_ engine: Engine) async throws {
        try await withWorld(engine) { w in
            try await activity(w)
            #expect(try await w.pollen.runScheduledAnalytics()?.status == .finished)
            w.clock.advance(by: hour)
            #expect(try await w.pollen.runScheduledAnalytics() == nil)
            w.clock.advance(by: 23 * hour)
            #expect(try await w.pollen.runScheduledAnalytics()?.trigger == .schedule)
        }
    }

    @Test(arguments: Engine.enabled)
    func managersSetTheTargetProfileAndMeasures(_ engine: Engine) async throws {
        try await withWorld(engine) { w in
            try await activity(w)
            let charter = try await w.pollen.updateCharter(
                slug: "practice", targetProfile: [.creator: 30, .caretaker: 10],
                measures: [.init(measure: .timeToFirstAnswer, target: 24), .init(measure: .reads, target: 100)], by: w.actor(1))
            #expect(charter.countTargets.map(\.measure) == [.reads])
            let stored = try await w.pollen.communityInsight(slug: "practice", by: w.actor(8)).charter
            #expect(stored.targetProfile == [.creator: 30, .caretaker: 10])
            #expect(stored.measures == charter.measures)
            // Members read it but do not change it; bad values change nothing.
            await #expect(throws: DomainError.notAllowed) {
                try await w.pollen.updateCharter(slug: "practice", targetProfile: [:], measures: [], by: w.actor(8))
            }
            do {
                _ = try await w.pollen.updateCharter(slug: "practice", targetProfile: [.consumer: 120], measures: [], by: w.actor(1))
                Issue.record("accepted 120%")
            } catch let error as DomainError { #expect(error.field == "target_consumer") }
            do {
                _ = try await w.pollen.updateCharter(
                    slug: "practice", targetProfile: [:], measures: [.init(measure: .answeredShare, target: 150)], by: w.actor(1))
                Issue.record("accepted 150%")
            } catch let error as DomainError { #expect(error.field == "target_answered_share") }
            #expect(try await w.pollen.communityInsight(slug: "practice", by: w.actor(1)).charter.measures == charter.measures)
            let audit = try await w.store.read { try await $0.moderation.audit(before: nil, limit: 5) }
            #expect(audit.first?.action == "charter.update")
        }
    }

    @Test(arguments: Engine.enabled)
    func aPrivateCommunitysInsightIsItsOwn(_ engine: Engine) async throws {
        try await withWorld(engine) { w in
            _ = try await w.pollen.createCommunity(
                CommunityDraft(slug: "hidden", name: "Hidden", kind: .interest, purpose: "Quiet", membership: .private),
                by: w.actor(1))
            _ = try await w.run()
            #expect(try await w.pollen.communityInsight(slug: "hidden", by: w.actor(1)).snapshot != nil)
            await #expect(throws: DomainError.notFound("Community")) {
                try await w.pollen.communityInsight(slug: "hidden", by: w.actor(2))
            }
            await #expect(throws: DomainError.notFound("Community")) {
                try await w.pollen.updateCharter(slug: "hidden", targetProfile: [:], measures: [], by: w.actor(2))
            }
        }
    }
}
