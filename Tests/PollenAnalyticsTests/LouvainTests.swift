import PollenAnalytics
import Testing

/// Two 5-cliques {0…4} and {5…9} joined by the edge 4–5.
private func twoCliques() throws -> UndirectedGraph {
    var edges = [(Int, Int, Double)]()
    for base in [0, 5] {
        for a in base..<(base + 5) {
            for b in (a + 1)..<(base + 5) { edges.append((a, b, 1)) }
        }
    }
    edges.append((4, 5, 1))
    return try UndirectedGraph(nodeCount: 10, edges: edges)
}

/// `groups` groups of `size` nodes; each node draws `degree` edges, within its group with probability `inside`.
private func plantedPartition(groups: Int, size: Int, degree: Int, inside: Double, seed: UInt64) throws -> UndirectedGraph {
    var state = seed
    func next() -> UInt64 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return state >> 11
    }
    let n = groups * size
    var edges = [(Int, Int, Double)]()
    for node in 0..<n {
        for _ in 0..<degree {
            let other = Double(next() % 1_000_000) / 1_000_000 < inside
                ? (node / size) * size + Int(next() % UInt64(size)) : Int(next() % UInt64(n))
            edges.append((node, other, 1))
        }
    }
    return try UndirectedGraph(nodeCount: n, edges: edges)
}

@Suite struct LouvainTests {
    @Test func twoCliquesJoinedByOneEdgeAreTwoCommunities() throws {
        let partition = try twoCliques().louvain()
        #expect(partition.membership == [0, 0, 0, 0, 0, 1, 1, 1, 1, 1])
        #expect(partition.count == 2 && partition.sizes() == [5, 5] && partition.levels >= 1)
        // m = 21; each side has L = 10 and d = 21: Q = 2·(10/21 − (21/42)²) = 19/42.
        #expect(isClose(partition.modularity, 19.0 / 42))
    }

    @Test func modularityByHand() throws {
        let cliques = try twoCliques()
        #expect(isClose(cliques.modularity([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]), 19.0 / 42))
        // Labels need not be consecutive, and one community holding everything scores 0.
        #expect(isClose(cliques.modularity([7, 7, 7, 7, 7, 3, 3, 3, 3, 3]), 19.0 / 42))
        #expect(isClose(cliques.modularity([Int32](repeating: 0, count: 10)), 0))
        // Resolution 2 doubles the penalty: 20/21 − 2·(1/4 + 1/4).
        #expect(isClose(cliques.modularity([0, 0, 0, 0, 0, 1, 1, 1, 1, 1], resolution: 2), 20.0 / 21 - 1))
        // Weighted path 0 –2– 1 –1– 2 split {0, 1} {2}: m = 3, Q = 2/3 − (5/6)² − (1/6)² = −1/18.
        let path = try UndirectedGraph(nodeCount: 3, edges: [(0, 1, 2), (1, 2, 1)])
        #expect(isClose(path.modularity([0, 0, 1]), -1.0 / 18))
    }

    @Test func thePartitionsModularityIsTheModularityOfItsMembership() throws {
        let g = try plantedPartition(groups: 6, size: 40, degree: 6, inside: 0.7, seed: 5)
        let partition = g.louvain(resolution: 1.3)
        #expect(isClose(partition.modularity, g.modularity(partition.membership, resolution: 1.3)))
        // Communities are numbered in order of their lowest node.
        var seen = Int32(-1)
        for community in partition.membership where community > seen {
            #expect(community == seen + 1)
            seen = community
        }
        #expect(Int(seen) + 1 == partition.count)
    }

    @Test func plantedGroupsAreFoundAndAgreeWithTheGroupsByMutualInformation() throws {
        let g = try plantedPartition(groups: 8, size: 50, degree: 8, inside: 0.85, seed: 11)
        let partition = g.louvain()
        let planted = (0..<400).map { Int32($0 / 50) }
        #expect(partition.count == 8)
        #expect(isClose(normalizedMutualInformation(partition.membership, planted), 1))
        #expect(partition.modularity >= g.modularity(planted) - 1e-12)
    }

    @Test func aSeedGivesTheSamePartitionWhateverTheThreads() throws {
        // Large enough (over 300k edge ends) to be swept in parallel blocks.
        let g = try plantedPartition(groups: 20, size: 1_000, degree: 8, inside: 0.95, seed: 3)
        #expect(g.neighbours.count >= 300_000)
        let one = g.louvain(seed: 42, threads: 1)
        #expect(one == g.louvain(seed: 42, threads: 2))
        #expect(one == g.louvain(seed: 42, threads: 3))
        // Louvain may merge a pair of groups, but no more.
        let planted = (0..<20_000).map { Int32($0 / 1_000) }
        #expect(one.modularity > g.modularity(planted) - 0.01)
        #expect(normalizedMutualInformation(one.membership, planted) > 0.97)
        let small = try plantedPartition(groups: 5, size: 30, degree: 5, inside: 0.6, seed: 8)
        #expect(small.louvain(seed: 7, threads: 1) == small.louvain(seed: 7, threads: 2))
    }

    @Test func emptyAndEdgelessGraphs() throws {
        let empty = try UndirectedGraph(nodeCount: 0, edges: []).louvain()
        #expect(empty.membership.isEmpty && empty.count == 0 && empty.modularity == 0)
        let edgeless = try UndirectedGraph(nodeCount: 3, edges: [])
        let partition = edgeless.louvain()
        #expect(partition.membership == [0, 1, 2] && partition.count == 3 && partition.modularity == 0 && partition.levels == 0)
        #expect(edgeless.modularity([0, 0, 0]) == 0)
    }

    @Test func normalizedMutualInformationAsScikitLearn() {
        // Values from sklearn.metrics.normalized_mutual_info_score.
        #expect(isClose(normalizedMutualInformation([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]), 0.5158037429793889, tolerance: 1e-12))
        #expect(isClose(normalizedMutualInformation([3, 3, 7, 7, 7, 1], [0, 0, 0, 1, 1, 1]), 0.4398695005110285, tolerance: 1e-12))
        #expect(normalizedMutualInformation([0, 0, 1, 1], [0, 1, 0, 1]) == 0)
        // The same grouping under other names, including a label far outside the others' range.
        #expect(isClose(normalizedMutualInformation([0, 0, 1, 1, 2], [5, 5, -3, -3, 1_000_000_000]), 1))
        // Both labellings one group (or empty): a perfect match; one group against several: nothing shared.
        #expect(normalizedMutualInformation([0, 0, 0], [1, 1, 1]) == 1)
        #expect(normalizedMutualInformation([], []) == 1)
        #expect(normalizedMutualInformation([0, 0, 0], [0, 1, 2]) == 0)
    }
}
