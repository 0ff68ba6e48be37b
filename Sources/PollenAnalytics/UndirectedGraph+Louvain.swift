/// A division of a graph's nodes into communities.
public struct Partition: Sendable, Equatable {
    /// Community of each node, indexed by node id. Communities are numbered `0..<count` in order of their lowest
    /// node, so equal partitions have equal memberships.
    public let membership: [Int32]
    /// Number of communities; an isolated node is a community of its own.
    public let count: Int
    /// Modularity of `membership` at the resolution the partition was found with (see
    /// `UndirectedGraph.modularity(_:resolution:)`).
    public let modularity: Double
    /// Number of Louvain levels that merged nodes: 0 when no move improved modularity.
    public let levels: Int

    /// Number of nodes in each community, indexed by community.
    public func sizes() -> [Int] {
        var sizes = [Int](repeating: 0, count: count)
        for community in membership { sizes[Int(community)] += 1 }
        return sizes
    }
}

extension UndirectedGraph {
    /// Modularity of a partition, weighted and at resolution γ, as networkx's `community.modularity`:
    /// `Q = Σ_c [ L_c / m − γ (d_c / 2m)² ]`, where `m` is the total edge weight, `L_c` the weight of edges inside
    /// community `c` and `d_c` the summed weighted degree of its nodes.
    ///
    /// - Parameter membership: a non-negative community label per node; labels need not be consecutive.
    /// - Returns: the modularity, or 0 for a graph without edge weight, where it is undefined (networkx divides by
    ///   zero); 0 is also what every partition of such a graph is worth.
    public func modularity(_ membership: [Int32], resolution: Double = 1) -> Double {
        precondition(membership.count == nodeCount, "one community per node")
        precondition(membership.allSatisfy { $0 >= 0 }, "community labels must be non-negative")
        guard totalWeight > 0 else { return 0 }
        let labels = Int(membership.max() ?? -1) + 1
        var inside = [Double](repeating: 0, count: labels)
        var degree = [Double](repeating: 0, count: labels)
        offsets.withUnsafeBufferPointer { offsets in
            neighbours.withUnsafeBufferPointer { neighbours in
                weights.withUnsafeBufferPointer { weights in
                    membership.withUnsafeBufferPointer { membership in
                        for node in 0..<nodeCount {
                            let community = membership[node]
                            var nodeInside = 0.0, nodeDegree = 0.0
                            for slot in Int(offsets[node])..<Int(offsets[node + 1]) {
                                nodeDegree += weights[slot]
                                if membership[Int(neighbours[slot])] == community { nodeInside += weights[slot] }
                            }
                            inside[Int(community)] += nodeInside
                            degree[Int(community)] += nodeDegree
                        }
                    }
                }
            }
        }
        // Each inside edge was met from both ends.
        return modularity(inside: inside.map { $0 / 2 }, degree: degree, resolution: resolution)
    }

    private func modularity(inside: [Double], degree: [Double], resolution: Double) -> Double {
        let m = totalWeight
        var q = 0.0
        for community in inside.indices {
            let share = degree[community] / (2 * m)
            q += inside[community] / m - resolution * share * share
        }
        return q
    }

    /// Communities by the Louvain method (Blondel et al. 2008), maximising modularity at resolution γ.
    ///
    /// Each level moves nodes one at a time to the neighbouring community that raises modularity most, until no move
    /// pays, then merges each community into one node and repeats on that smaller graph; it stops when a level moves
    /// nothing. On the way back down, nodes of communities that were merged get another round of moves on each finer
    /// level (as networkit's "refine"), which recovers nodes that a merge left on the wrong side.
    ///
    /// Nodes are visited in random order. Large levels are swept in blocks whose nodes choose their moves in
    /// parallel (see `LocalMover`). One run's result depends on its order, and on small graphs the spread between
    /// orders is wide while a run costs little: graphs under 400,000 edge ends (200,000 edges) get several runs
    /// with different orders, and the best is kept.
    ///
    /// - Parameters:
    ///   - resolution: γ; above 1 favours more, smaller communities.
    ///   - seed: chooses the visiting orders; equal seeds give equal partitions.
    ///   - threads: workers for large levels; nil for one per core. The result does not depend on it: parallel
    ///     steps decide independently and apply their moves in a fixed order.
    /// - Returns: the partition; on a graph without edge weight, every node alone with modularity 0.
    public func louvain(resolution: Double = 1, seed: UInt64 = 1, threads: Int? = nil) -> Partition {
        let n = nodeCount
        guard totalWeight > 0 else {
            return Partition(membership: (0..<Int32(n)).map { $0 }, count: n, modularity: 0, levels: 0)
        }
        let workers = workerCount(threads, items: n)
        let runs = max(1, min(LouvainRuns.maximumRuns, LouvainRuns.restartEntries / (neighbours.count + n)))
        var random = SplitMix64(seed: seed)
        var best: Partition?
        for _ in 0..<runs {
            let run = louvainRun(resolution: resolution, random: &random, workers: workers)
            if best == nil || run.modularity > best!.modularity { best = run }
        }
        return best!
    }

    private func louvainRun(resolution: Double, random: inout SplitMix64, workers: Int) -> Partition {
        let twoM = 2 * totalWeight
        // Level 0 is this graph with nodes numbered in random order; `position[v]` is node v's number there.
        let order = random.permutation(nodeCount)
        var position = [Int32](repeating: 0, count: nodeCount)
        for index in 0..<nodeCount { position[Int(order[index])] = Int32(index) }
        var levels = [LouvainLevel(self, order: order, workers: workers)]
        // maps[l][v]: the node of level l + 1 that node v of level l was merged into.
        var maps = [[Int32]]()
        while true {
            let level = levels[levels.count - 1]
            let mover = LocalMover(level: level, resolution: resolution, twoM: twoM)
            let moves = mover.run(workers: workers)
            guard moves > 0 else { break }
            let (map, count) = randomlyNumbered(mover.communities, random: &random)
            if count == level.nodeCount { break }
            maps.append(map)
            levels.append(level.aggregated(by: map, count: count, workers: workers))
        }
        // Unwinding: each finer level starts from the coarser level's answer. Only nodes whose community was merged
        // with others above can gain from moving at first; their moves wake whoever else is affected.
        var community = (0..<Int32(levels[maps.count].nodeCount)).map { $0 }
        var refined = false
        for depth in stride(from: maps.count - 1, through: 0, by: -1) {
            let map = maps[depth]
            let coarseCount = levels[depth + 1].nodeCount
            var nodesPerCommunity = [Int32](repeating: 0, count: coarseCount)
            for coarse in 0..<coarseCount { nodesPerCommunity[Int(community[coarse])] += 1 }
            var finer = [Int32](repeating: 0, count: map.count)
            var merged = [Bool](repeating: false, count: map.count)
            for node in 0..<map.count {
                let coarseCommunity = Int(community[Int(map[node])])
                finer[node] = Int32(coarseCommunity)
                merged[node] = nodesPerCommunity[coarseCommunity] > 1
            }
            community = finer
            guard merged.contains(true) else { continue }
            let mover = LocalMover(
                level: levels[depth], resolution: resolution, twoM: twoM, start: finer, activeNodes: merged)
            let moves = mover.run(workers: workers)
            if moves > 0 { refined = true }
            community = mover.communities
        }
        let (membership, count) = renumbered(position.map { community[Int($0)] })
        let q: Double
        if refined {
            q = modularity(membership, resolution: resolution)
        } else {
            // Unrefined, the communities are the top level's nodes, whose loops and strengths are L_c and d_c.
            let top = levels[levels.count - 1]
            q = modularity(inside: top.loops, degree: top.strength, resolution: resolution)
        }
        return Partition(membership: membership, count: count, modularity: q, levels: maps.count)
    }
}

/// How many Louvain runs a graph gets.
private enum LouvainRuns {
    /// A graph gets one run per this many edge ends and nodes (at least one, at most `maximumRuns`): a run over
    /// 100k edge ends takes milliseconds, and the best of several orders is reliably better on small graphs.
    static let restartEntries = 400_000
    static let maximumRuns = 32
}

/// Labels renumbered `0..<count` in random order, so the next level is visited in random order.
private func randomlyNumbered(_ labels: [Int32], random: inout SplitMix64) -> ([Int32], Int) {
    let (dense, count) = renumbered(labels)
    let shuffle = random.permutation(count)
    return (dense.map { shuffle[Int($0)] }, count)
}

/// Labels renumbered `0..<count` in order of first appearance.
private func renumbered(_ labels: [Int32]) -> ([Int32], Int) {
    var number = [Int32](repeating: -1, count: labels.count)
    var result = [Int32](repeating: 0, count: labels.count)
    var count: Int32 = 0
    for index in labels.indices {
        let label = Int(labels[index])
        if number[label] < 0 {
            number[label] = count
            count += 1
        }
        result[index] = number[label]
    }
    return (result, Int(count))
}

fileprivate extension SplitMix64 {
    /// A number in `0..<bound`; the modulo bias is below 2⁻³² for any bound a graph can have. Louvain keeps this
    /// mapping rather than `next(below:)` so that a seed goes on giving the same communities.
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// `0..<count` in random order.
    mutating func permutation(_ count: Int) -> [Int32] {
        var order = (0..<Int32(count)).map { $0 }
        if count > 1 {
            for index in stride(from: count - 1, to: 0, by: -1) { order.swapAt(index, below(index + 1)) }
        }
        return order
    }
}
