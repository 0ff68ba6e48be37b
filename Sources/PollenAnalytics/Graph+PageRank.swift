import Dispatch
import Foundation

extension Graph {
    /// Below this many edges the arrays stay in cache and a step is too short for a second thread to pay
    /// (measured: no gain at 1M edges, 1.6× on two cores at 10M).
    static let parallelPageRankEdges = 2_000_000

    /// PageRank by power iteration, as networkx and igraph's PRPACK define it.
    ///
    /// Each step keeps `1 - alpha` of the mass as a uniform jump and moves `alpha` along out-edges, split equally
    /// among a node's out-edges (a parallel edge takes one share per copy, a self-loop keeps its share). A node
    /// without out-edges spreads its mass uniformly over all nodes. Iteration starts from the uniform vector and
    /// stops when the L1 change between steps falls below `tolerance`, or after `maxIterations`.
    ///
    /// - Parameter threads: workers per step; nil for one per core on graphs large enough to gain from it. Each
    ///   node's score is computed by one worker in a fixed order, so the scores do not depend on the thread count.
    /// - Returns: one score per node, summing to 1; empty for an empty graph.
    public func pageRank(
        alpha: Double = 0.85, tolerance: Double = 1e-10, maxIterations: Int = 1000, threads: Int? = nil
    ) -> [Double] {
        precondition((0...1).contains(alpha), "alpha must lie in 0...1")
        let n = nodeCount
        guard n > 0 else { return [] }
        let workers = max(1, min(
            threads ?? (edgeCount >= Self.parallelPageRankEdges ? ProcessInfo.processInfo.activeProcessorCount : 1), n))
        let uniform = 1 / Double(n)
        var rank = [Double](repeating: uniform, count: n)
        var next = [Double](repeating: 0, count: n)
        // Dividing once per node beats dividing once per edge; zero marks a dangling node.
        var inverseOutDegree = [Double](repeating: 0, count: n)
        for node in 0..<n where outDegree(node) > 0 { inverseOutDegree[node] = 1 / Double(outDegree(node)) }
        var share = [Double](repeating: 0, count: n)
        var changes = [Double](repeating: 0, count: workers)

        for _ in 0..<maxIterations {
            var danglingMass = 0.0
            for node in 0..<n {
                share[node] = rank[node] * inverseOutDegree[node]
                if inverseOutDegree[node] == 0 { danglingMass += rank[node] }
            }
            let base = (1 - alpha) * uniform + alpha * danglingMass * uniform
            inOffsets.withUnsafeBufferPointer { offsets in
                inSources.withUnsafeBufferPointer { tails in
                    share.withUnsafeBufferPointer { share in
                        rank.withUnsafeBufferPointer { rank in
                            next.withUnsafeMutableBufferPointer { next in
                                changes.withUnsafeMutableBufferPointer { changes in
                                    let step = PageRankStep(
                                        offsets: offsets, tails: tails, share: share, rank: rank, next: next,
                                        changes: changes, alpha: alpha, base: base, workers: workers)
                                    if workers == 1 {
                                        step.run(worker: 0)
                                    } else {
                                        DispatchQueue.concurrentPerform(iterations: workers) { step.run(worker: $0) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            swap(&rank, &next)
            if changes.reduce(0, +) < tolerance { break }
        }
        // Rounding drifts the total by a few ulps per step; renormalising keeps the documented sum of 1.
        let total = rank.reduce(0, +)
        return rank.map { $0 / total }
    }
}

/// One pull step over a contiguous block of nodes per worker.
///
/// Workers read shared inputs and write disjoint blocks of `next` and one slot of `changes` each, and
/// `concurrentPerform` returns only when all are done; that is why sharing these pointers is safe.
private struct PageRankStep: @unchecked Sendable {
    let offsets: UnsafeBufferPointer<Int32>
    let tails: UnsafeBufferPointer<Int32>
    let share: UnsafeBufferPointer<Double>
    let rank: UnsafeBufferPointer<Double>
    let next: UnsafeMutableBufferPointer<Double>
    let changes: UnsafeMutableBufferPointer<Double>
    let alpha: Double
    let base: Double
    let workers: Int

    func run(worker: Int) {
        let n = rank.count
        // Blocks split the edges, not the nodes, evenly: in-degrees are skewed, so equal node counts would not be
        // equal work.
        let edges = Int(offsets[n])
        let start = worker == 0 ? 0 : firstNode(atEdge: edges * worker / workers)
        let end = worker == workers - 1 ? n : firstNode(atEdge: edges * (worker + 1) / workers)
        var change = 0.0
        for node in start..<end {
            var incoming = 0.0
            for edge in Int(offsets[node])..<Int(offsets[node + 1]) { incoming += share[Int(tails[edge])] }
            let value = base + alpha * incoming
            next[node] = value
            change += abs(value - rank[node])
        }
        changes[worker] = change
    }

    /// The first node whose in-edges start at or after `edge`.
    private func firstNode(atEdge edge: Int) -> Int {
        var low = 0, high = rank.count
        while low < high {
            let middle = (low + high) / 2
            if Int(offsets[middle]) < edge { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
