import Foundation
import PollenCore
import Testing

private let day: TimeInterval = 86_400
/// Monday 2 November 2026, 12:00 UTC.
private let now = Date(timeIntervalSince1970: 1_793_620_800)
private let community = Community.ID(1)

private func m(_ id: Int64) -> Member.ID { Member.ID(id) }

private func event(
    _ member: Int64, _ kind: ActivityEvent.Kind, daysAgo: Double, content: Int64 = 0, contentKind: String = "",
    counterpart: Int64? = nil, contextDaysAgo: Double? = nil, extraDaysAgo: Double? = nil
) -> ActivityEvent {
    ActivityEvent(
        member: m(member), community: community, kind: kind, at: now.addingTimeInterval(-daysAgo * day), content: content,
        contentKind: contentKind, counterpart: counterpart.map(m),
        contextAt: contextDaysAgo.map { now.addingTimeInterval(-$0 * day) },
        extraAt: extraDaysAgo.map { now.addingTimeInterval(-$0 * day) })
}

private func joined(_ id: Int64, daysAgo: Double) -> InsightMembership {
    InsightMembership(community: community, member: m(id), role: .member, since: now.addingTimeInterval(-daysAgo * day))
}

@Suite struct ParticipationRoleTests {
    let departments: [Member.ID: String] = [m(1): "Ops", m(2): "Ops", m(3): "Finance", m(4): "Legal", m(5): "Ops", m(6): "Finance"]
    let memberships = (1...6).map { joined($0, daysAgo: 400) }

    func roles(_ events: [ActivityEvent], memberships: [InsightMembership]? = nil) -> [Member.ID: Set<ParticipationRole>] {
        CommunityAnalysis.roles(events: events, memberships: memberships ?? self.memberships, departments: departments, now: now)
    }

    @Test func readingSavingAndRatingMakeAConsumer() {
        let found = roles([
            event(1, .read, daysAgo: 3, content: 10, contentKind: "article"), event(2, .save, daysAgo: 5, content: 10),
            event(3, .rate, daysAgo: 80, content: 10),
        ])
        #expect(found == [m(1): [.consumer], m(2): [.consumer], m(3): [.consumer]])
    }

    @Test func onlyTheWindowCounts() {
        let found = roles([event(1, .read, daysAgo: 91, content: 10), event(2, .create, daysAgo: -1, content: 11)])
        #expect(found.isEmpty)
    }

    @Test func publishingAskingAndAnsweringMakeACreatorButCommentingDoesNot() {
        let found = roles([
            event(1, .create, daysAgo: 2, content: 10, contentKind: "thread"), event(2, .ask, daysAgo: 2, content: 20),
            event(3, .answer, daysAgo: 1, content: 20, counterpart: 2, contextDaysAgo: 2, extraDaysAgo: 1),
            event(4, .comment, daysAgo: 1, content: 10, counterpart: 1, contextDaysAgo: 300),
        ])
        #expect(found[m(1)] == [.creator])
        #expect(found[m(2)] == [.creator])
        #expect(found[m(3)] == [.creator])
        // Active (counted among active members) but in no role: a comment is not original content.
        #expect(found[m(4)] == [])
    }

    @Test func aForwardAnsweredByWhoItReachedMakesAConnectorAndAcrossUnitsACarrier() {
        let found = roles([
            // 1 (Ops) forwards question 20 to 3 (Finance), who answers it.
            event(1, .forward, daysAgo: 5, content: 20, counterpart: 3),
            event(3, .answer, daysAgo: 4, content: 20, counterpart: 6, contextDaysAgo: 6, extraDaysAgo: 4),
            // 2 (Ops) forwards question 21 to 5 (Ops), who does not answer: neither role.
            event(2, .forward, daysAgo: 5, content: 21, counterpart: 5),
        ])
        #expect(found[m(1)] == [.connector, .carrier])
        #expect(found[m(2)] == [])
    }

    @Test func resharingAFellowMembersPostFromAnotherDepartmentMakesACarrier() {
        let found = roles([
            // 3 (Finance) reshares 1's post (Ops); 5 (Ops) reshares 2's (Ops): active, but carries nothing across.
            event(3, .reshare, daysAgo: 4, content: 30, contentKind: "post", counterpart: 1, contextDaysAgo: 5),
            event(5, .reshare, daysAgo: 4, content: 31, contentKind: "post", counterpart: 2, contextDaysAgo: 5),
        ])
        #expect(found[m(3)] == [.carrier])
        #expect(found[m(5)] == [])
        #expect(found[m(1)] == nil)
    }

    @Test func brokeringBetweenDepartmentsWithoutADirectTieMakesAConnector() {
        // 4 (Legal) comments on 1's item (Ops); 3 (Finance) answers 4's question: 3 → 4 → 1, no 3 → 1 tie,
        // all three departments different: 4 is a liaison.
        let found = roles([
            event(4, .comment, daysAgo: 3, content: 10, counterpart: 1, contextDaysAgo: 300),
            event(3, .answer, daysAgo: 2, content: 20, counterpart: 4, contextDaysAgo: 3, extraDaysAgo: 2),
        ])
        #expect(found[m(4)]?.contains(.connector) == true)
        #expect(found[m(3)]?.contains(.connector) == false)
        #expect(found[m(1)] == nil)
    }

    @Test func welcomingNewcomersAndAnsweringTheLongUnansweredMakeACaretaker() {
        let members = memberships.filter { $0.member != m(5) } + [joined(5, daysAgo: 20)]
        let found = roles([
            // 2 comments on newcomer 5's item published 10 days ago.
            event(2, .comment, daysAgo: 9, content: 10, counterpart: 5, contextDaysAgo: 10),
            // 3 gives the first answer to a question open for 9 days.
            event(3, .answer, daysAgo: 1, content: 20, counterpart: 1, contextDaysAgo: 10, extraDaysAgo: 1),
            // 4 answers a question asked 9 days ago, but someone answered it first: no caretaking.
            event(4, .answer, daysAgo: 1, content: 21, counterpart: 1, contextDaysAgo: 10, extraDaysAgo: 8),
            // 6 comments on an old member's item: no welcome.
            event(6, .comment, daysAgo: 1, content: 11, counterpart: 1, contextDaysAgo: 2),
            // 1 moderates.
            event(1, .moderate, daysAgo: 4),
        ], memberships: members)
        #expect(found[m(2)] == [.caretaker])
        #expect(found[m(3)] == [.creator, .caretaker])
        #expect(found[m(4)] == [.creator])
        #expect(found[m(6)] == [])
        #expect(found[m(1)] == [.caretaker])
    }

    @Test func theProfileSharesAreOfActiveMembersAndOverlap() {
        let snapshot = CommunityAnalysis.snapshot(
            createdAt: now.addingTimeInterval(-300 * day),
            events: [
                event(1, .read, daysAgo: 3, content: 10), event(1, .create, daysAgo: 3, content: 11, contentKind: "article"),
                event(2, .read, daysAgo: 3, content: 10), event(3, .comment, daysAgo: 2, content: 11, counterpart: 1, contextDaysAgo: 3),
            ],
            memberships: memberships, departments: departments, now: now)
        #expect(snapshot.members == 6)
        #expect(snapshot.activeMembers == 3)
        #expect(snapshot.share(of: .consumer)?.members == 2)
        #expect(abs((snapshot.share(of: .consumer)?.percent ?? 0) - 200.0 / 3) < 1e-9)
        #expect(snapshot.share(of: .creator)?.members == 1)
        #expect(snapshot.share(of: .caretaker)?.percent == 0)
    }

    @Test func concentrationIsTheShareOfTheMostActive() {
        // 20 contributors: one made 30 contributions, 19 made one each (49 in all).
        var events = (0..<30).map { event(1, .create, daysAgo: Double($0 % 80) + 1, content: Int64($0)) }
        for id in 2...20 { events.append(event(Int64(id), .comment, daysAgo: 2, content: 1, counterpart: 1, contextDaysAgo: 200)) }
        let snapshot = CommunityAnalysis.snapshot(
            createdAt: now.addingTimeInterval(-300 * day), events: events, memberships: [], departments: [:], now: now)
        #expect(snapshot.concentration.contributors == 20)
        #expect(snapshot.concentration.contributions == 49)
        // Top 1% of 20 is one person; top 10% is two.
        #expect(abs((snapshot.concentration.top1Percent ?? 0) - 3000.0 / 49) < 1e-9)
        #expect(abs((snapshot.concentration.top10Percent ?? 0) - 3100.0 / 49) < 1e-9)
    }
}

@Suite struct MeasureSeriesTests {
    let departments: [Member.ID: String] = [m(1): "Ops", m(2): "Ops", m(3): "Finance"]

    @Test func weeksStartOnMondayAndBucketTheEvents() {
        // `now` is a Monday: the last completed week is the seven days before it.
        let events = [
            event(1, .ask, daysAgo: 3, content: 20, extraDaysAgo: 2.5),   // answered after 12 h
            event(2, .ask, daysAgo: 4, content: 21, extraDaysAgo: 1),     // after 72 h
            event(3, .ask, daysAgo: 5, content: 22),                      // unanswered
            event(3, .answer, daysAgo: 2.5, content: 20, counterpart: 1, contextDaysAgo: 3, extraDaysAgo: 2.5),
            event(2, .comment, daysAgo: 1, content: 10, counterpart: 1, contextDaysAgo: 40),
            event(1, .read, daysAgo: 10, content: 10, contentKind: "article", contextDaysAgo: 45),
            event(2, .read, daysAgo: 9, content: 11, contentKind: "article", contextDaysAgo: 5),
            event(1, .story, daysAgo: 2, content: 30, contentKind: "story"),
        ]
        let memberships = (1...4).map { joined($0, daysAgo: 100) }
        let snapshot = CommunityAnalysis.snapshot(
            createdAt: now.addingTimeInterval(-60 * day), events: events, memberships: memberships,
            departments: departments, now: now)
        let answered = snapshot.series(of: .answeredShare)!
        #expect(answered.weeks.last == now.addingTimeInterval(-7 * day - 12 * 3600))
        #expect(answered.values.last == 200.0 / 3)
        #expect(snapshot.series(of: .timeToFirstAnswer)!.values.last == 42)  // median of 12 and 72 hours
        // Cross-unit: the answer 3 (Finance) → 1 (Ops) crosses, the comment 2 → 1 does not.
        #expect(snapshot.series(of: .crossUnitReach)!.values.last == 50)
        #expect(snapshot.series(of: .participationRate)!.values.last == 75)
        #expect(snapshot.series(of: .activeMembers)!.values.last == 3)
        // The week before: two reads, one of an item older than 30 days.
        let reuse = snapshot.series(of: .contentReuse)!.values
        #expect(reuse[reuse.count - 2] == 50)
        #expect(snapshot.series(of: .contributions)!.values.last == 5)
        #expect(snapshot.series(of: .valueStories)!.values.last == 1)
        // Weeks before the community existed are not shown.
        #expect(answered.weeks.count == 9)
    }

    @Test func processLimitsFollowTheXmRRules() {
        let limits = ProcessLimits(values: [10, 12, nil, 11, 13])!
        // Mean 11.5; moving ranges 2, 1, 2 (gaps skipped) → 5/3; limits ±2.66 × 5/3.
        #expect(abs(limits.centre - 11.5) < 1e-12)
        #expect(abs(limits.upper - (11.5 + 2.66 * 5 / 3)) < 1e-12)
        #expect(abs(limits.lower - (11.5 - 2.66 * 5 / 3)) < 1e-12)
        #expect(limits.signals.isEmpty)
        #expect(ProcessLimits(values: [nil, 4]) == nil)
        // A jump far outside the limits is a signal, and the floor holds at zero.
        let jump = ProcessLimits(values: [5, 5, 6, 5, 5, 6, 5, 40])!
        #expect(jump.signals.contains(7))
        #expect(jump.lower >= 0)
        // Eight in a row above the centre line.
        let run = ProcessLimits(values: [1, 1, 1, 1, 1, 1, 1, 1, 3, 3, 3, 3, 3, 3, 3, 3])!
        #expect(run.signals == Set(0..<16))
    }

    @Test func knowledgeIsCountedByMonthAndKind() {
        let events = [
            event(1, .create, daysAgo: 1, content: 10, contentKind: "article"),
            event(1, .create, daysAgo: 40, content: 11, contentKind: "wiki"),
            event(2, .read, daysAgo: 1, content: 10, contentKind: "article", contextDaysAgo: 1),
            event(2, .read, daysAgo: 1, content: 11, contentKind: "wiki", contextDaysAgo: 40),
            event(3, .ask, daysAgo: 1, content: 20, extraDaysAgo: 0.5),
            event(2, .answer, daysAgo: 0.5, content: 20, counterpart: 3, contextDaysAgo: 1, extraDaysAgo: 0.5),
        ]
        let knowledge = CommunityAnalysis.snapshot(
            createdAt: now.addingTimeInterval(-400 * day), events: events, memberships: [], departments: [:], now: now
        ).knowledge
        #expect(knowledge.months.count == 12)
        let article = knowledge.kinds.first { $0.kind == "article" }!
        let wiki = knowledge.kinds.first { $0.kind == "wiki" }!
        #expect(article.created.last == 1 && article.reads.last == 1)
        #expect(wiki.created[9] == 1 && wiki.reads.last == 1)
        #expect(knowledge.reuse.last == 50)
        #expect(knowledge.asked.last == 1)
        #expect(knowledge.answeredShare.last == 100)
        #expect(knowledge.medianHoursToFirstAnswer.last == 12)
        #expect(knowledge.kinds.first { $0.kind == "answer" }!.created.last == 1)
        // A young community's table starts in the month it began.
        let young = CommunityAnalysis.snapshot(
            createdAt: now.addingTimeInterval(-20 * day), events: events, memberships: [], departments: [:], now: now
        ).knowledge
        #expect(young.months.count == 3)  // the wiki page 40 days ago (September), October, November
    }
}

@Suite struct CharterTests {
    @Test func onlyRawActivityCountsAsTargetsAreWarnedAbout() {
        let charter = CommunityCharter(
            community: community,
            measures: [
                .init(measure: .reads, target: 500), .init(measure: .timeToFirstAnswer, target: 24),
                .init(measure: .contributions), .init(measure: .activeMembers, target: 40),
            ],
            updatedAt: now)
        #expect(charter.countTargets.map(\.measure) == [.reads, .activeMembers])
    }
}
