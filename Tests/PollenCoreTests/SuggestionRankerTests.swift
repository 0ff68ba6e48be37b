import Foundation
import PollenCore
import Testing

private func person(_ id: Int64, department: String = "") -> Member {
    Member(
        id: Member.ID(id), handle: "p\(id)", email: "p\(id)@example.org",
        profile: Profile(displayName: "P\(id)", department: department),
        createdAt: Date(timeIntervalSince1970: 1_767_225_600))
}

private func candidate(
    _ id: Int64, department: String = "", followers: Int = 0, shared: Int = 0,
    subjects: [(tag: String, engagement: Int, replies: Int)] = [], isNew: Bool = false
) -> SuggestionRanker.Candidate {
    SuggestionRanker.Candidate(
        member: person(id, department: department), followers: followers, sharedFollows: shared, subjects: subjects,
        isNew: isNew)
}

/// A viewer in Engineering who follows people in Engineering and Design; 100 followers make one popular.
private let ranker = SuggestionRanker(
    familiarDepartments: ["engineering", "design"], followedDepartments: ["engineering", "design", "finance"],
    popularFollowers: 100)

/// The results cut into the aligned blocks of five the diversity rule speaks of.
private func blocks(_ suggestions: [Suggestion]) -> [[Suggestion]] {
    stride(from: 0, to: suggestions.count, by: SuggestionRanker.diversityEvery).map {
        Array(suggestions[$0..<min($0 + SuggestionRanker.diversityEvery, suggestions.count)])
    }
}

private func reasons(of c: SuggestionRanker.Candidate, _ r: SuggestionRanker = ranker) throws -> [SuggestionReason] {
    try #require(r.rank([c], limit: 1).first).reasons
}

@Suite struct SuggestionRankerTests {
    // MARK: - Diversity share

    @Test func everyBlockOfFiveHoldsAWideningPersonEvenWhenTheyAreFarLessRelevant() throws {
        // Twelve very relevant people from the viewer's own department, three from elsewhere with nothing
        // going for them.
        let familiar = (1...12).map { candidate($0, department: "Engineering", shared: 200) }
        let widening = [
            candidate(101, department: "Legal"), candidate(102, department: "Sales"), candidate(103, department: "Operations"),
        ]
        let ranked = ranker.rank(familiar + widening, limit: 15)
        #expect(ranked.count == 15)
        for (number, block) in blocks(ranked).enumerated() {
            #expect(block.contains { $0.widensNetwork }, "block \(number + 1) has no network-widening person")
        }
        #expect(ranked.filter(\.widensNetwork).count == 3, "the share is a floor, not a quota: no more than needed here")
    }

    @Test func aBlockStillGetsItsWideningPersonAfterAnEarlierBlockHadSeveral() throws {
        // Two highly relevant widening people fill the first block; the second block must not lean on them.
        let familiar = (1...12).map { candidate($0, department: "Engineering", shared: 200) }
        let strong = [candidate(50, department: "Legal", shared: 200), candidate(51, department: "Sales", shared: 200)]
        let weak = (201...203).map { candidate($0, department: "Operations") }
        let ranked = ranker.rank(familiar + strong + weak, limit: 15)
        #expect(ranked.count == 15)
        #expect(blocks(ranked)[0].filter(\.widensNetwork).count >= 2, "the strong widening people rank early")
        for (number, block) in blocks(ranked).enumerated() {
            #expect(block.contains { $0.widensNetwork }, "block \(number + 1) has no network-widening person")
        }
    }

    @Test func withoutWideningCandidatesTheListIsStillFilled() {
        let familiar = (1...12).map { candidate($0, department: "Engineering", shared: Int($0)) }
        let ranked = ranker.rank(familiar, limit: 10)
        #expect(ranked.count == 10)
        #expect(!ranked.contains { $0.widensNetwork })
    }

    // MARK: - Who widens the network

    @Test func widensNetworkOnlyForQuietPeopleFromUnfamiliarDepartments() {
        #expect(ranker.widensNetwork(candidate(1, department: "Legal", followers: 3)))
        #expect(ranker.widensNetwork(candidate(2, department: "Legal", followers: 99)), "just under popular")
        #expect(!ranker.widensNetwork(candidate(3, department: "Engineering")), "the viewer's own department")
        #expect(!ranker.widensNetwork(candidate(4, department: "DESIGN")), "a familiar department, any case")
        #expect(!ranker.widensNetwork(candidate(5, department: "Legal", followers: 100)), "among the most followed")
        #expect(!ranker.widensNetwork(candidate(6, department: "Legal", followers: 5_000)), "among the most followed")
        #expect(!ranker.widensNetwork(candidate(7, department: "")), "no department: nothing known to widen")
        // Finance is followed, but not among the viewer's familiar departments: it still widens.
        #expect(ranker.widensNetwork(candidate(8, department: "Finance")))
    }

    @Test func withoutAPopularThresholdNobodyIsPopular() {
        let unknown = SuggestionRanker(familiarDepartments: ["engineering"], followedDepartments: [], popularFollowers: 0)
        #expect(unknown.widensNetwork(candidate(1, department: "Legal", followers: 10_000)))
    }

    @Test func suggestionsCarryTheirWideningFlag() {
        let ranked = ranker.rank(
            [candidate(1, department: "Engineering", shared: 5), candidate(2, department: "Legal", followers: 500, shared: 5),
             candidate(3, department: "Legal", shared: 5)], limit: 3)
        let flags = Dictionary(uniqueKeysWithValues: ranked.map { ($0.member.id.rawValue, $0.widensNetwork) })
        #expect(flags == [1: false, 2: false, 3: true])
    }

    // MARK: - Reasons

    @Test func sharedFollowsComeFirstAsFollowedByPeopleYouFollow() throws {
        let r = try reasons(of: candidate(1, department: "Engineering", shared: 3, subjects: [("swift", 4, 0)]))
        #expect(r.first == .followedByPeopleYouFollow(count: 3, examples: []))
        let none = try reasons(of: candidate(2, department: "Engineering", subjects: [("swift", 4, 0)]))
        #expect(!none.contains { if case .followedByPeopleYouFollow = $0 { true } else { false } })
    }

    @Test func writesAboutNamesTheSubjectWithTheMostEngagement() throws {
        let r = try reasons(
            of: candidate(1, department: "Engineering", subjects: [("swift", 4, 0), ("rust", 9, 0), ("go", 2, 0)]))
        #expect(r == [.writesAbout(tag: "rust")])
    }

    @Test func answersInFromThreeRepliesOn() throws {
        let three = try reasons(
            of: candidate(1, department: "Engineering", subjects: [("swift", 0, 3), ("rust", 0, 7), ("go", 0, 1)]))
        #expect(three.contains(.answersIn(tag: "rust")))
        #expect(!three.contains(.answersIn(tag: "swift")), "one subject is named: the one with most answers")
        let two = try reasons(of: candidate(2, department: "Engineering", subjects: [("swift", 5, 2)]))
        #expect(two == [.writesAbout(tag: "swift")], "two replies are not enough to be said to answer")
    }

    @Test func newHereForNewMembers() throws {
        #expect(try reasons(of: candidate(1, department: "Engineering", isNew: true)) == [.newHere])
        #expect(try reasons(of: candidate(2, department: "Engineering", subjects: [("go", 1, 0)])).contains(.newHere) == false)
    }

    @Test func bridgeToDepartmentsTheViewerFollowsNobodyIn() throws {
        #expect(try reasons(of: candidate(1, department: "Legal", isNew: true)) == [.newHere, .bridgeTo(department: "Legal")])
        #expect(try reasons(of: candidate(2, department: "Finance", isNew: true)) == [.newHere], "someone in Finance is followed")
        #expect(try reasons(of: candidate(3, department: "engineering", isNew: true)) == [.newHere], "the viewer's own")
        #expect(try reasons(of: candidate(4, department: "", isNew: true)) == [.newHere])
    }

    @Test func allReasonsTogetherInTheirOrder() throws {
        let r = try reasons(
            of: candidate(1, department: "Legal", shared: 2, subjects: [("contracts", 6, 4)], isNew: true))
        #expect(r == [
            .followedByPeopleYouFollow(count: 2, examples: []), .writesAbout(tag: "contracts"), .answersIn(tag: "contracts"),
            .newHere, .bridgeTo(department: "Legal"),
        ])
    }

    // MARK: - Maximal marginal relevance

    @Test func mmrSpreadsDepartmentsAmongEquallyRelevantPeople() {
        // Both departments familiar, so the diversity share plays no part: only MMR separates them. A's
        // people have the lower ids and win every tie on relevance alone.
        let flat = SuggestionRanker(familiarDepartments: ["a", "b"], followedDepartments: ["a", "b"], popularFollowers: 100)
        let candidates = (1...10).map { candidate($0, department: "A", shared: 8) }
            + (11...15).map { candidate($0, department: "B", shared: 8) }
        let top = flat.rank(candidates, limit: 4).map(\.member.profile.department)
        #expect(top.contains("B"), "the top four are not all from A: \(top)")
        #expect(Array(top.prefix(2)) == ["A", "B"], "the second place goes to the other department: \(top)")

        // With relevance alone (λ = 1) they would be: this is what MMR prevents.
        var relevanceOnly = flat
        relevanceOnly.lambda = 1
        #expect(relevanceOnly.rank(candidates, limit: 4).map(\.member.profile.department) == ["A", "A", "A", "A"])
    }

    @Test func mmrKeepsAClearlyMoreRelevantPersonFirst() {
        let flat = SuggestionRanker(familiarDepartments: ["a", "b"], followedDepartments: ["a", "b"], popularFollowers: 100)
        let ranked = flat.rank(
            [candidate(1, department: "B", shared: 1), candidate(2, department: "A", shared: 60), candidate(3, department: "A", shared: 2)],
            limit: 3)
        #expect(ranked.first?.member.id == Member.ID(2))
    }

    // MARK: - Limit and determinism

    @Test func limitIsRespected() {
        let candidates = (1...10).map { candidate($0, department: $0 % 2 == 0 ? "Legal" : "Engineering", shared: Int($0)) }
        #expect(ranker.rank(candidates, limit: 3).count == 3)
        #expect(ranker.rank(candidates, limit: 0).isEmpty)
        #expect(ranker.rank(candidates, limit: 25).count == 10)
        #expect(ranker.rank([], limit: 5).isEmpty)
        #expect(Set(ranker.rank(candidates, limit: 10).map(\.member.id)).count == 10, "nobody twice")
    }

    @Test func rankingIsDeterministicWhateverTheInputOrder() {
        let candidates = (1...30).map {
            candidate(
                $0, department: ["Engineering", "Legal", "Sales", "Design", ""][Int($0) % 5], followers: Int($0) * 7,
                shared: Int($0) % 4, subjects: [("swift", Int($0) % 3, Int($0) % 5)], isNew: $0 % 7 == 0)
        }
        let first = ranker.rank(candidates, limit: 20)
        #expect(ranker.rank(candidates, limit: 20) == first)
        #expect(ranker.rank(candidates.reversed(), limit: 20) == first)
        var generator = SeededGenerator(seed: 42)
        #expect(ranker.rank(candidates.shuffled(using: &generator), limit: 20) == first)
    }
}

/// A small deterministic generator (SplitMix64) for shuffling.
private struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
