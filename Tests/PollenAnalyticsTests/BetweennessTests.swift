import PollenAnalytics
import Testing

@Suite struct BetweennessTests {
    @Test func aDirectedPath() throws {
        // Node 1 lies on 0→2 and 0→3; node 2 on 0→3 and 1→3.
        let g = try graph([(0, 1), (1, 2), (2, 3)])
        #expect(areClose(g.betweenness(), [0, 2, 2, 0]))
    }

    @Test func directedStars() throws {
        let out = try graph([(0, 1), (0, 2), (0, 3), (0, 4)])
        #expect(areClose(out.betweenness(), [0, 0, 0, 0, 0]))
        // Both directions: the centre carries every ordered pair of the four leaves, 4·3 = 12.
        let both = try graph([(0, 1), (1, 0), (0, 2), (2, 0), (0, 3), (3, 0), (0, 4), (4, 0)])
        #expect(areClose(both.betweenness(), [12, 0, 0, 0, 0]))
    }

    @Test func aDirectedCycle() throws {
        // From each source the other nodes are at distance 1, 2, 3, with 0 + 1 + 2 interior nodes; by symmetry the
        // 4·3 = 12 interior visits are shared equally.
        let g = try graph([(0, 1), (1, 2), (2, 3), (3, 0)])
        #expect(areClose(g.betweenness(), [3, 3, 3, 3]))
    }

    @Test func equalShortestPathsSplitTheCredit() throws {
        let g = try graph([(0, 1), (0, 2), (1, 3), (2, 3)])
        #expect(areClose(g.betweenness(), [0, 0.5, 0.5, 0]))
    }

    @Test func parallelEdgesAreSeparatePathsAndLoopsAreIgnored() throws {
        // Two of the three shortest 0→2 paths run through 1.
        let g = try graph([(0, 1), (0, 1), (1, 2), (0, 3), (3, 2), (1, 1)])
        #expect(areClose(g.betweenness(), [0, 2.0 / 3, 0, 1.0 / 3]))
    }

    @Test func sampledFromEverySourceEqualsExact() throws {
        let g = try randomGraph(nodes: 60, edges: 240, seed: 7)
        let exact = g.betweenness()
        #expect(exact.contains { $0 > 0 })
        #expect(areClose(g.betweenness(sources: Array(0..<60)), exact))
        #expect(areClose(g.betweenness(sources: Array((0..<60).reversed()), threads: 2), exact))
    }

    @Test func sampledIsScaledByNodesOverSources() throws {
        // From source 0 alone node 1 carries 0→2 and 0→3, node 2 carries 0→3; scaled by 4/1.
        let g = try graph([(0, 1), (1, 2), (2, 3)])
        #expect(areClose(g.betweenness(sources: [0]), [0, 8, 4, 0]))
        // From 0 and 1, node 2 also carries 1→3; scaled by 4/2.
        #expect(areClose(g.betweenness(sources: [0, 1], threads: 2), [0, 4, 4, 0]))
    }

    @Test func threadCountsAgree() throws {
        let g = try randomGraph(nodes: 300, edges: 1500, seed: 3)
        let single = g.betweenness(threads: 1)
        #expect(areClose(g.betweenness(threads: 2), single))
        #expect(areClose(g.betweenness(threads: 7), single))
        #expect(g.betweenness(threads: 2) == g.betweenness(threads: 2))
    }

    @Test func matchesCountingEveryShortestPath() throws {
        let g = try randomGraph(nodes: 40, edges: 110, seed: 11)
        #expect(areClose(g.betweenness(threads: 2), pathCountingBetweenness(g)))
    }

    @Test func emptyGraph() throws {
        #expect(try graph([]).betweenness().isEmpty)
    }
}

/// Betweenness from its definition, independent of Brandes: all-pairs distances and path counts by BFS, then
/// `Σ σ(s,v)·σ(v,t)/σ(s,t)` over pairs whose shortest path can pass through `v`.
private func pathCountingBetweenness(_ g: Graph) -> [Double] {
    let n = g.nodeCount
    var distance = [[Int]](repeating: [Int](repeating: -1, count: n), count: n)
    var paths = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
    for s in 0..<n {
        distance[s][s] = 0
        paths[s][s] = 1
        var queue = [s], head = 0
        while head < queue.count {
            let v = queue[head]
            head += 1
            for w in g.successors(of: v).map(Int.init) {
                if distance[s][w] < 0 {
                    distance[s][w] = distance[s][v] + 1
                    queue.append(w)
                }
                if distance[s][w] == distance[s][v] + 1 { paths[s][w] += paths[s][v] }
            }
        }
    }
    var centrality = [Double](repeating: 0, count: n)
    for s in 0..<n {
        for t in 0..<n where t != s && distance[s][t] > 0 {
            for v in 0..<n where v != s && v != t && distance[s][v] > 0 && distance[v][t] > 0
                && distance[s][v] + distance[v][t] == distance[s][t]
            {
                centrality[v] += paths[s][v] * paths[v][t] / paths[s][t]
            }
        }
    }
    return centrality
}
