import PollenAnalytics
import Testing

@Suite struct MixingTests {
    /// Groups {0, 1, 2}, {3, 4}; node 5 has no group. Loops on 3 and 5 are ignored.
    private let groups: [Int32] = [0, 0, 0, 1, 1, -1]
    private let edges = [(0, 1), (1, 0), (1, 2), (3, 4), (0, 3), (4, 2), (2, 5), (5, 5), (5, 4), (3, 3)]

    @Test func krackhardtsEIByHand() throws {
        let mixing = try graph(edges).groupMixing(groups: groups, groupCount: 2)
        #expect(mixing.sizes == [3, 2])
        // Group 0: inside 0→1, 1→0, 1→2; outside 0→3, 4→2 and 2→5 (to the ungrouped node).
        // Group 1: inside 3→4; outside 0→3, 4→2 and 5→4.
        #expect(mixing.internalTies == [3, 1] && mixing.externalTies == [3, 3])
        #expect(mixing.ei == [0, 0.5])
        // N = 6: ((6 − 3) − 2) / 5 and ((6 − 2) − 1) / 5.
        #expect(areClose(mixing.expectedEI.map { $0! }, [0.2, 0.6]))
        // Four edges inside a group, four not (two between groups, two touching node 5).
        #expect(mixing.overallEI == 0)
        #expect(mixing.ties == [[3, 1], [1, 1]])
    }

    @Test func weightsCountWhenPresent() throws {
        let weighted = try Graph(weightedEdges: edges.enumerated().map { ($1.0, $1.1, Double($0 + 1)) })
        let mixing = weighted.groupMixing(groups: groups, groupCount: 2)
        // Weights are the 1-based edge numbers: inside group 0 edges 1, 2, 3; group 1 edge 4; between 5 and 6;
        // to and from node 5 edges 7 and 9.
        #expect(mixing.internalTies == [6, 4] && mixing.externalTies == [18, 20])
        #expect(mixing.ties == [[6, 5], [6, 4]])
        #expect(isClose(mixing.overallEI!, (27.0 - 10) / 37))
    }

    @Test func groupsWithoutTiesOrMembers() throws {
        let mixing = try graph([(0, 1)], nodeCount: 3).groupMixing(groups: [0, 0, 1], groupCount: 3)
        #expect(mixing.ei[0] == -1 && mixing.ei[1] == nil && mixing.ei[2] == nil)
        #expect(mixing.sizes == [2, 1, 0] && mixing.expectedEI[2] == nil)
        let lonely = try graph([], nodeCount: 1).groupMixing(groups: [0], groupCount: 1)
        #expect(lonely.expectedEI == [nil] && lonely.overallEI == nil)
    }
}
