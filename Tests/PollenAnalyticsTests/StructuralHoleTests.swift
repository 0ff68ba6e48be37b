import PollenAnalytics
import Testing

/// Equal as numbers, or both NaN.
private func sameValues(_ a: [Double], _ b: [Double], tolerance: Double = 1e-12) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0.isNaN ? $1.isNaN : isClose($0, $1, tolerance: tolerance) }
}

@Suite struct StructuralHoleTests {
    @Test func aStarsCentreBridgesEveryHole() throws {
        // Centre 0 with four leaves that know nobody else: each leaf takes a quarter of the centre's ties.
        let star = try graph([(0, 1), (0, 2), (3, 0), (0, 4)])
        #expect(sameValues(star.constraint(), [0.25, 1, 1, 1, 1]))
        #expect(sameValues(star.effectiveSize(), [4, 1, 1, 1, 1]))
    }

    @Test func aTriangleIsClosed() throws {
        // Each node gives half to each neighbour, who gives half on to the third: (1/2 + 1/4)² twice = 9/8.
        // Each contact is half redundant: effective size 2·(1 − 1/2).
        let triangle = try graph([(0, 1), (1, 2), (2, 0)])
        #expect(sameValues(triangle.constraint(), [1.125, 1.125, 1.125]))
        #expect(sameValues(triangle.effectiveSize(), [1, 1, 1]))
    }

    @Test func isolatedNodesHaveNoValue() throws {
        // Node 2 has only a loop, node 3 nothing at all; node 1 has only an incoming edge and still counts.
        let g = try graph([(0, 1), (2, 2)], nodeCount: 4)
        #expect(sameValues(g.constraint(), [1, 1, .nan, .nan]))
        #expect(sameValues(g.effectiveSize(), [1, 1, .nan, .nan]))
    }

    @Test func matchesNetworkxWithSelfLoops() throws {
        // networkx 3.6: constraint(G) and effective_size(G, nodes=list(G)) on this DiGraph.
        let g = try graph([(0, 1), (1, 2), (2, 0), (3, 0), (4, 4), (0, 0)], nodeCount: 6)
        #expect(sameValues(g.constraint(), [1.2888, 1.2625, 1.2625, 1.96, .nan, .nan]))
        #expect(sameValues(g.effectiveSize(), [1.7, 0.75, 0.75, 0, .nan, .nan]))
    }

    @Test func matchesNetworkxWithWeightedReciprocalTies() throws {
        // networkx 3.6 with weight="weight"; nodes 3 and 4 are absent there, isolated here.
        let g = try Graph(weightedEdges: [(0, 1, 2), (1, 2, 1), (2, 0, 3), (1, 0, 0.5), (5, 5, 1)])
        let holes = g.structuralHoles()
        #expect(sameValues(holes.constraint, [0.8052369708213865, 1.3183083150615615, 1.211418451678192, .nan, .nan, .nan]))
        #expect(sameValues(holes.effectiveSize, [1.6303030303030304, 1.0, 1.0416666666666665, .nan, .nan, .nan]))
    }

    @Test func parallelEdgesAddToTheMutualWeight() throws {
        // 0 → 1 twice and 1 → 0 once weigh 3, 0 → 2 weighs 1: node 0 gives 3/4 and 1/4.
        let g = try graph([(0, 1), (0, 1), (1, 0), (0, 2)])
        let weighted = try Graph(weightedEdges: [(0, 1, 3), (0, 2, 1)])
        #expect(sameValues(g.constraint(), weighted.constraint()))
        #expect(isClose(g.constraint()[0], 0.625))
        #expect(sameValues(g.effectiveSize(), weighted.effectiveSize()))
    }

    @Test func threadCountsAndMeasuresAgree() throws {
        let g = try randomGraph(nodes: 300, edges: 3_000, seed: 9)
        let holes = g.structuralHoles(threads: 1)
        #expect(sameValues(g.structuralHoles(threads: 4).constraint, holes.constraint, tolerance: 0))
        #expect(sameValues(g.constraint(threads: 2), holes.constraint, tolerance: 0))
        #expect(sameValues(g.effectiveSize(threads: 2), holes.effectiveSize, tolerance: 0))
    }
}
