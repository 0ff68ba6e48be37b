import PollenAnalytics
import Testing

/// True when `a` and `b` agree to `tolerance` relative to the larger magnitude (absolutely near zero).
func isClose(_ a: Double, _ b: Double, tolerance: Double = 1e-9) -> Bool {
    abs(a - b) <= tolerance * max(1, abs(a), abs(b))
}

func areClose(_ a: [Double], _ b: [Double], tolerance: Double = 1e-9) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { isClose($0, $1, tolerance: tolerance) }
}

func graph(_ edges: [(Int, Int)], nodeCount: Int? = nil) throws -> Graph {
    try Graph(nodeCount: nodeCount, edges: edges)
}

/// A reproducible multigraph (parallel edges and loops included) from a linear congruential generator.
func randomGraph(nodes: Int, edges: Int, seed: UInt64) throws -> Graph {
    var state = seed
    func next() -> Int {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Int(state >> 33) % nodes
    }
    return try graph((0..<edges).map { _ in (next(), next()) }, nodeCount: nodes)
}

@Suite struct GraphTests {
    @Test func buildsBothAdjacenciesInEdgeOrder() throws {
        let g = try graph([(0, 2), (1, 2), (0, 1), (2, 0)])
        #expect(g.nodeCount == 3 && g.edgeCount == 4)
        #expect(g.outOffsets == [0, 2, 3, 4])
        #expect(g.outTargets == [2, 1, 2, 0])
        #expect(g.inOffsets == [0, 1, 2, 4])
        #expect(g.inSources == [2, 0, 0, 1])
        #expect(Array(g.successors(of: 0)) == [2, 1])
        #expect(Array(g.predecessors(of: 2)) == [0, 1])
    }

    @Test func degreesCountParallelEdgesAndSelfLoops() throws {
        let g = try graph([(0, 1), (0, 1), (1, 1), (2, 0)])
        #expect(g.outDegrees() == [2, 1, 1])
        #expect(g.inDegrees() == [1, 3, 0])
        #expect(g.outDegree(1) == 1 && g.inDegree(1) == 3)
    }

    @Test func aGivenNodeCountAddsIsolatedNodes() throws {
        let g = try graph([(0, 1)], nodeCount: 4)
        #expect(g.nodeCount == 4 && g.outDegrees() == [1, 0, 0, 0] && g.inOffsets == [0, 0, 1, 1, 1])
        #expect(try graph([]).nodeCount == 0)
    }

    @Test func rejectsBadEdges() {
        #expect(throws: GraphError.nodeOutOfRange(edge: 1, node: 3, nodeCount: 3)) {
            try graph([(0, 1), (1, 3)], nodeCount: 3)
        }
        #expect(throws: GraphError.negativeNode(edge: 0, node: -1)) { try graph([(-1, 0)]) }
        #expect(throws: GraphError.mismatchedEdgeArrays(sources: 1, destinations: 0)) {
            try Graph(sources: [0], destinations: [])
        }
    }
}
