import PollenAnalytics
import Testing

@Suite struct BrokerageTests {
    /// The roles node 1 plays on the path 0 → 1 → 2 with the given groups.
    private func roles(_ groups: [Int32], extra: [(Int, Int)] = []) throws -> [Int] {
        let r = try graph([(0, 1), (1, 2)] + extra).brokerage(groups: groups)
        return [r.coordinator[1], r.itinerant[1], r.representative[1], r.gatekeeper[1], r.liaison[1]]
    }

    @Test func eachRoleOnAThreeNodePath() throws {
        #expect(try roles([0, 0, 0]) == [1, 0, 0, 0, 0])
        #expect(try roles([0, 1, 0]) == [0, 1, 0, 0, 0])
        #expect(try roles([0, 0, 1]) == [0, 0, 1, 0, 0])
        #expect(try roles([1, 0, 0]) == [0, 0, 0, 1, 0])
        #expect(try roles([0, 1, 2]) == [0, 0, 0, 0, 1])
        let ends = try graph([(0, 1), (1, 2)]).brokerage(groups: [0, 1, 2])
        #expect(ends.total(0) == 0 && ends.total(1) == 1 && ends.total(2) == 0)
    }

    @Test func aDirectTieClosesThePath() throws {
        #expect(try roles([0, 0, 0], extra: [(0, 2)]) == [0, 0, 0, 0, 0])
        // The reverse tie does not close it; and with 2 → 1 → 0 as well, 1 brokers both ways.
        #expect(try roles([0, 0, 0], extra: [(2, 0)]) == [1, 0, 0, 0, 0])
        #expect(try roles([0, 0, 0], extra: [(2, 1), (1, 0)]) == [2, 0, 0, 0, 0])
    }

    @Test func parallelEdgesAndLoopsCountOnce() throws {
        #expect(try roles([0, 1, 0], extra: [(0, 1), (1, 2), (1, 1), (0, 0)]) == [0, 1, 0, 0, 0])
    }

    @Test func ungroupedNodesShareAGroupWithNobody() throws {
        #expect(try roles([-1, -1, -1]) == [0, 0, 0, 0, 1])
        #expect(try roles([0, -1, 0]) == [0, 1, 0, 0, 0])
        #expect(try roles([-1, 0, 0]) == [0, 0, 0, 1, 0])
    }

    @Test func aBrokerBetweenTwoPairs() throws {
        // 0 and 1 send to 2, which sends to 3 and 4. Groups A = 0, B = 1, C = 2.
        let g = try graph([(0, 2), (1, 2), (2, 3), (2, 4)])
        // A, B, A, A, B: 0→2→3 coordinator, 0→2→4 representative, 1→2→3 gatekeeper, 1→2→4 itinerant.
        let r = g.brokerage(groups: [0, 1, 0, 0, 1])
        #expect([r.coordinator[2], r.itinerant[2], r.representative[2], r.gatekeeper[2], r.liaison[2]] == [1, 1, 1, 1, 0])
        // With 4 in C: 0→2→4 is still representative, 1→2→4 becomes a liaison.
        let s = g.brokerage(groups: [0, 1, 0, 0, 2])
        #expect([s.coordinator[2], s.itinerant[2], s.representative[2], s.gatekeeper[2], s.liaison[2]] == [1, 0, 1, 1, 1])
        #expect(s.total(2) == 4 && (0..<5).filter { $0 != 2 }.allSatisfy { s.total($0) == 0 })
    }

    @Test func threadCountsAgree() throws {
        let g = try randomGraph(nodes: 400, edges: 4_000, seed: 2)
        let groups = (0..<400).map { Int32($0 % 7) - 1 }
        let one = g.brokerage(groups: groups, threads: 1)
        #expect(one == g.brokerage(groups: groups, threads: 2))
        #expect(one == g.brokerage(groups: groups, threads: 5))
        #expect((0..<400).contains { one.liaison[$0] > 0 } && (0..<400).contains { one.coordinator[$0] > 0 })
    }
}
