import PollenAnalytics
import Testing

@Suite struct UndirectedGraphTests {
    @Test func pairsAreMergedLoopsDroppedAndRowsSorted() throws {
        let g = try UndirectedGraph(nodeCount: 4, edges: [(2, 0, 1.5), (0, 2, 0.5), (1, 1, 9), (3, 0, 2)])
        #expect(g.offsets == [0, 2, 2, 3, 4])
        #expect(g.neighbours == [2, 3, 0, 0])
        #expect(g.weights == [2, 2, 2, 2])
        #expect(g.edgeCount == 2 && g.totalWeight == 4)
        #expect(g.degree(0) == 2 && g.strength(0) == 4 && Array(g.neighbours(of: 1)).isEmpty)
    }

    @Test func rejectsBadEdges() {
        #expect(throws: GraphError.nodeOutOfRange(edge: 1, node: 5, nodeCount: 3)) {
            try UndirectedGraph(nodeCount: 3, edges: [(0, 1, 1), (5, 1, 1)])
        }
        #expect(throws: GraphError.negativeNode(edge: 0, node: -1)) { try UndirectedGraph(nodeCount: 3, edges: [(-1, 1, 1)]) }
        #expect(throws: GraphError.invalidWeight(edge: 0, weight: -2)) { try UndirectedGraph(nodeCount: 3, edges: [(0, 1, -2)]) }
    }

    @Test func unweightedGraphsCollapseEachConnectedPairToWeightOne() throws {
        // 0 ⇄ 1 both ways, 1 → 2 twice, a loop on 2: two pairs of weight 1 (networkx's to_undirected).
        let u = try graph([(0, 1), (1, 0), (1, 2), (1, 2), (2, 2)]).undirected()
        #expect(u.neighbours == [1, 0, 2, 1] && u.weights == [1, 1, 1, 1] && u.totalWeight == 2)
    }

    @Test func weightedGraphsSumBothDirections() throws {
        let g = try Graph(weightedEdges: [(0, 1, 2), (1, 0, 0.5), (1, 2, 1), (1, 2, 3), (2, 2, 7)])
        #expect(g.isWeighted && g.outWeights == [2, 0.5, 1, 3, 7] && g.inWeights == [0.5, 2, 1, 3, 7])
        let u = g.undirected()
        #expect(u.neighbours == [1, 0, 2, 1] && u.weights == [2.5, 2.5, 4, 4] && u.totalWeight == 6.5)
    }

    @Test func weightsAreChecked() {
        #expect(throws: GraphError.mismatchedWeights(weights: 1, edges: 2)) {
            try Graph(sources: [0, 1], destinations: [1, 0], weights: [1])
        }
        #expect(throws: GraphError.invalidWeight(edge: 1, weight: -1)) {
            try Graph(sources: [0, 1], destinations: [1, 0], weights: [1, -1])
        }
        #expect(throws: GraphError.invalidWeight(edge: 0, weight: .infinity)) {
            try Graph(sources: [0], destinations: [1], weights: [.infinity])
        }
        #expect("\(GraphError.mismatchedWeights(weights: 1, edges: 2))" == "1 weights for 2 edges")
    }

    @Test func bridgesOfAPathACycleAndTwoJoinedTriangles() throws {
        let path = try UndirectedGraph(nodeCount: 4, edges: [(2, 3, 1), (0, 1, 1), (1, 2, 1)])
        #expect(path.bridges().map { [$0.0, $0.1] } == [[0, 1], [1, 2], [2, 3]])
        let cycle = try UndirectedGraph(nodeCount: 4, edges: [(0, 1, 1), (1, 2, 1), (2, 3, 1), (3, 0, 1)])
        #expect(cycle.bridges().isEmpty)
        // Two triangles joined by 2–3, a pendant 6 on 5, an isolated 7, and a separate edge 8–9.
        let joined = try UndirectedGraph(
            nodeCount: 10,
            edges: [(0, 1, 1), (1, 2, 1), (2, 0, 1), (3, 4, 1), (4, 5, 1), (5, 3, 1), (3, 2, 1), (6, 5, 1), (8, 9, 1)])
        #expect(joined.bridges().map { [$0.0, $0.1] } == [[2, 3], [5, 6], [8, 9]])
    }

    @Test func bridgesOfAVeryLongPathDoNotOverflowTheStack() throws {
        let n = 200_000
        let path = try UndirectedGraph(nodeCount: n, edges: (0..<(n - 1)).map { ($0, $0 + 1, 1) })
        let bridges = path.bridges()
        #expect(bridges.count == n - 1 && bridges.last! == (Int32(n - 2), Int32(n - 1)))
    }
}
