import PollenAnalytics
import Testing

@Suite struct ComponentsTests {
    @Test func twoComponentsAndAnIsolatedNode() throws {
        // {0, 1, 2} joined only through edges in opposite directions, {3, 4}, and 5 alone.
        let components = try graph([(0, 1), (2, 1), (4, 3)], nodeCount: 6).weaklyConnectedComponents()
        #expect(components.count == 3)
        #expect(components.componentOf == [0, 0, 0, 1, 1, 2])
        #expect(components.sizes() == [3, 2, 1])
    }

    @Test func numberingFollowsLowestNodeWhateverTheEdgeOrder() throws {
        let components = try graph([(5, 4), (3, 1), (4, 2), (1, 0)]).weaklyConnectedComponents()
        #expect(components.componentOf == [0, 0, 1, 0, 1, 1] && components.count == 2)
    }

    @Test func emptyAndLoopOnlyGraphs() throws {
        let empty = try graph([]).weaklyConnectedComponents()
        #expect(empty.componentOf.isEmpty && empty.count == 0)
        #expect(try graph([(0, 0), (1, 1)]).weaklyConnectedComponents().count == 2)
    }
}
