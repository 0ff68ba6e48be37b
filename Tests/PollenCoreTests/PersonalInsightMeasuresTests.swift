import Foundation
@testable import PollenCore
import Testing

private func mix(_ counts: [String: Int], unstated: Int = 0) -> GroupMix {
    GroupMix(groups: counts.map { GroupCount(key: $0.key.lowercased(), label: $0.key, count: $0.value) }, unstated: unstated)
}

private func person(_ id: Int64, department: String = "", location: String = "", subjects: [String] = []) -> Member {
    Member(
        id: Member.ID(id), handle: "p\(id)", email: "p\(id)@example.org",
        profile: Profile(displayName: "P\(id)", department: department, location: location, subjects: subjects),
        createdAt: Date(timeIntervalSince1970: 1_767_225_600))
}

private func close(_ a: Double?, _ b: Double) -> Bool {
    guard let a else { return false }
    return abs(a - b) < 1e-12
}

@Suite struct PersonalInsightMeasuresTests {
    @Test func blauAndEntropyOfKnownMixes() {
        let even = Diversity.of([3, 3, 3, 3], categories: 4)
        #expect(close(even.blau, 0.75) && close(even.normalizedEntropy, 1))
        let one = Diversity.of([7], categories: 4)
        #expect(close(one.blau, 0) && close(one.normalizedEntropy, 0))
        // Two groups of the organization's four, one twice the other: 1 − (4 + 1)/9, and H = ln 3 − (2/3) ln 2.
        let skewed = Diversity.of([2, 1, 0], categories: 4)
        #expect(close(skewed.blau, 4.0 / 9))
        #expect(close(skewed.normalizedEntropy, (log(3) - 2.0 / 3 * log(2)) / log(4)))
        #expect(Diversity.of([], categories: 4) == Diversity(blau: nil, normalizedEntropy: nil))
        #expect(Diversity.of([0, 0], categories: 4) == Diversity(blau: nil, normalizedEntropy: nil))
        #expect(Diversity.of([5], categories: 1).normalizedEntropy == nil, "evenness over one group means nothing")
    }

    @Test func readingsCompareTheBlauIndices() {
        let organization = mix(["A": 10, "B": 10, "C": 10])
        #expect(DiversityComparison(dimension: .department, network: mix(["A": 9, "B": 1]), organization: organization).reading == .lessVaried)
        #expect(DiversityComparison(dimension: .department, network: mix(["A": 3, "B": 3, "C": 3]), organization: mix(["A": 28, "B": 1, "C": 1])).reading == .moreVaried)
        #expect(DiversityComparison(dimension: .department, network: mix(["A": 1, "B": 1, "C": 1]), organization: organization).reading == .aboutAsVaried)
        #expect(DiversityComparison(dimension: .department, network: mix([:], unstated: 4), organization: organization).reading == .empty)
    }

    @Test func rowsNameAtMostEightGroupsOfFiveOrMoreAndSumTheRestAsOther() throws {
        var organization: [String: Int] = ["Tiny": 4]
        for index in 1...10 { organization["G\(index)"] = 10 + index }
        let network = mix(["Tiny": 3, "G1": 1, "G2": 2, "G10": 1])
        let comparison = DiversityComparison(dimension: .department, network: network, organization: mix(organization))
        let rows = comparison.rows
        #expect(rows.count == 9)
        #expect(rows.prefix(3).map(\.label) == ["G2", "G1", "G10"], "the network's groups first, largest first")
        #expect(!rows.contains { $0.label == "Tiny" })
        let other = try #require(rows.last)
        #expect(other.key == nil && other.network == 3)
        #expect(other.organization == organization.values.reduce(0, +) - rows.dropLast().reduce(0) { $0 + $1.organization })
        #expect(comparison.largestNamedGroup?.label == "G2", "Tiny holds more of the network but is never named")
    }

    @Test func aBridgeIsSharedByAtMostOneInTenAndAtMostTen() {
        #expect(PersonalInsight.fewLimit(groupSize: 5) == 1)
        #expect(PersonalInsight.fewLimit(groupSize: 19) == 1)
        #expect(PersonalInsight.fewLimit(groupSize: 20) == 2)
        #expect(PersonalInsight.fewLimit(groupSize: 99) == 9)
        #expect(PersonalInsight.fewLimit(groupSize: 4_350) == 10)
    }

    @Test func aModeLeadsWithHalfTheActs() {
        #expect(LearningBalance(counts: [.questionsAsked: 2, .posts: 2]).leading == .seek, "the first of equal halves")
        #expect(LearningBalance(counts: [.itemsRead: 3, .posts: 1, .peopleFollowed: 1]).leading == .sense)
        #expect(LearningBalance(counts: [.itemsRead: 2, .posts: 2, .peopleFollowed: 1]).leading == nil)
        #expect(LearningBalance(counts: [:]).share(.share) == nil)
    }

    @Test func wideningPicksOnePersonPerMissingGroupFirst() {
        let network = NetworkMix(
            people: 10, followed: 10,
            mixes: [.department: mix(["Sales": 8, "Legal": 2]), .location: mix(["Oslo": 10]), .subject: mix([:])])
        let organization = OrganizationMix(
            members: 100,
            mixes: [
                .department: mix(["Sales": 40, "Legal": 20, "Finance": 30, "Tiny": 3], unstated: 7),
                .location: mix(["Oslo": 50, "Rome": 50]), .subject: mix(["swift": 10]),
            ],
            takenAt: Date())
        func suggestion(_ member: Member, widens: Bool = false) -> Suggestion {
            Suggestion(member: member, reasons: [.newHere], widensNetwork: widens)
        }
        let candidates = [
            suggestion(person(1, department: "Sales", location: "Oslo")),
            suggestion(person(2, department: "Finance", location: "Oslo")),
            suggestion(person(3, department: "Finance", location: "Oslo")),
            suggestion(person(4, department: "Legal", location: "Rome")),
            suggestion(person(5, department: "Tiny", location: "Oslo"), widens: true),
            suggestion(person(6, department: "Sales", location: "Oslo", subjects: ["swift"])),
        ]
        let picked = Pollen.widening(candidates, network: network, organization: organization)
        // swift (none of the network's listings against all of the organization's) leads, then Rome (0% against
        // 50%), then Finance (0% against 32%); the second Finance person only after one of each group. Sales (80%
        // against 43%) is no gap, nor Legal (20% against 22%), and Tiny is never a reason.
        #expect(picked.map(\.suggestion.member.id.rawValue) == [6, 4, 2, 3])
        #expect(picked.first?.gaps.map(\.label) == ["swift"])
        #expect(picked[1].gaps.map(\.label) == ["Rome"], "20% of the network against 22%: too close to count")
        // With fewer than three from missing groups, discovery's own network-widening picks fill the list.
        let filled = Pollen.widening([candidates[0], candidates[4]], network: network, organization: organization)
        #expect(filled.map(\.suggestion.member.id.rawValue) == [5])
        #expect(filled.first?.gaps.isEmpty == true)
    }
}
