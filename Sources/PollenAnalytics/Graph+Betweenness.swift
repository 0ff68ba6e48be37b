import Dispatch
import Foundation

extension Graph {
    /// Betweenness centrality by Brandes' algorithm: directed, unweighted, unnormalised, as igraph's
    /// `betweenness(directed=True)`.
    ///
    /// A node's score sums, over ordered pairs `(s, t)` of other nodes, the fraction of shortest `s → t` paths
    /// through it. Parallel edges are distinct paths; self-loops change nothing.
    ///
    /// - Parameters:
    ///   - sources: nil for the exact score over all sources; otherwise only paths from these sources are counted and
    ///     the sum is scaled by `nodeCount / sources.count`, an unbiased estimate when they are drawn uniformly.
    ///     A source listed twice counts twice. Must not be empty.
    ///   - threads: workers to split the sources over; nil for one per active processor core.
    /// - Returns: one score per node. For a given thread count the result is bit-for-bit reproducible; different
    ///   thread counts add the same terms in another order, so they agree to rounding.
    public func betweenness(sources: [Int]? = nil, threads: Int? = nil) -> [Double] {
        let n = nodeCount
        let roots: [Int32]
        if let sources {
            precondition(!sources.isEmpty, "sampled betweenness needs at least one source")
            roots = sources.map { source in
                precondition((0..<n).contains(source), "source \(source) is not a node")
                return Int32(source)
            }
        } else {
            roots = (0..<Int32(n)).map { $0 }
        }
        guard n > 0 else { return [] }

        let workers = max(1, min(threads ?? ProcessInfo.processInfo.activeProcessorCount, roots.count))
        let partials = PartialSums(count: workers)
        // Sources are dealt round-robin rather than in blocks: ids often correlate with degree (insertion order,
        // generators), so blocks would leave one worker with all the expensive sources.
        let work: @Sendable (Int) -> Void = { worker in
            var state = BrandesState(nodeCount: n)
            for index in stride(from: worker, to: roots.count, by: workers) {
                state.accumulate(from: roots[index], in: self)
            }
            partials.store(state.centrality, at: worker)
        }
        if workers == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: work) }

        var centrality = [Double](repeating: 0, count: n)
        // Summed in worker order so a given thread count always rounds the same way.
        for partial in partials.values() {
            for node in 0..<n { centrality[node] += partial[node] }
        }
        if sources != nil {
            let scale = Double(n) / Double(roots.count)
            for node in 0..<n { centrality[node] *= scale }
        }
        return centrality
    }
}

/// One worker's scratch space and running totals; reused across sources so the search allocates nothing.
private struct BrandesState {
    var centrality: [Double]
    /// Number of shortest paths from the current source.
    var pathCount: [Double]
    /// `(1 + δ(v)) / σ(v)` for each node whose dependency δ on the current source is final.
    var dependency: [Double]
    /// BFS distance from the current source; -1 for not reached.
    var distance: [Int32]
    /// Nodes in BFS order: the queue while searching, read backwards while accumulating.
    var order: [Int32]

    init(nodeCount: Int) {
        centrality = [Double](repeating: 0, count: nodeCount)
        pathCount = [Double](repeating: 0, count: nodeCount)
        dependency = [Double](repeating: 0, count: nodeCount)
        distance = [Int32](repeating: -1, count: nodeCount)
        order = [Int32](repeating: 0, count: nodeCount)
    }

    mutating func accumulate(from source: Int32, in graph: Graph) {
        graph.outOffsets.withUnsafeBufferPointer { offsets in
            graph.outTargets.withUnsafeBufferPointer { targets in
                centrality.withUnsafeMutableBufferPointer { centrality in
                    pathCount.withUnsafeMutableBufferPointer { pathCount in
                        dependency.withUnsafeMutableBufferPointer { dependency in
                            distance.withUnsafeMutableBufferPointer { distance in
                                order.withUnsafeMutableBufferPointer { order in
                                    Self.accumulate(
                                        from: Int(source), offsets: offsets, targets: targets, centrality: centrality,
                                        pathCount: pathCount, dependency: dependency, distance: distance, order: order)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static func accumulate(
        from source: Int, offsets: UnsafeBufferPointer<Int32>, targets: UnsafeBufferPointer<Int32>,
        centrality: UnsafeMutableBufferPointer<Double>, pathCount: UnsafeMutableBufferPointer<Double>,
        dependency: UnsafeMutableBufferPointer<Double>, distance: UnsafeMutableBufferPointer<Int32>,
        order: UnsafeMutableBufferPointer<Int32>
    ) {
        distance[source] = 0
        pathCount[source] = 1
        order[0] = Int32(source)
        var head = 0, tail = 1
        while head < tail {
            let v = Int(order[head])
            head += 1
            let next = distance[v] + 1
            for edge in Int(offsets[v])..<Int(offsets[v + 1]) {
                let w = Int(targets[edge])
                if distance[w] < 0 {
                    distance[w] = next
                    order[tail] = Int32(w)
                    tail += 1
                }
                // Once per edge, not per neighbour: parallel edges are separate shortest paths.
                if distance[w] == next { pathCount[w] += pathCount[v] }
            }
        }
        // Walking successors one level down replaces Brandes' predecessor lists: the same terms, no extra memory.
        // Brandes' δ(v) = σ(v)·Σ (1 + δ(w))/σ(w); keeping (1 + δ(w))/σ(w) = 1/σ(w) + Σ… per finished node instead
        // of δ(w) saves a random read per edge in this loop.
        for position in stride(from: tail - 1, through: 0, by: -1) {
            let v = Int(order[position])
            let next = distance[v] + 1
            var sum = 0.0
            for edge in Int(offsets[v])..<Int(offsets[v + 1]) {
                let w = Int(targets[edge])
                if distance[w] == next { sum += dependency[w] }
            }
            dependency[v] = 1 / pathCount[v] + sum
            if v != source { centrality[v] += pathCount[v] * sum }
        }
        // Only reached nodes were touched, so resetting them keeps each source's cost proportional to its reach.
        for position in 0..<tail {
            let v = Int(order[position])
            distance[v] = -1
            pathCount[v] = 0
            dependency[v] = 0
        }
    }
}

/// Workers' finished totals, each written once under a lock.
private final class PartialSums: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [[Double]]

    init(count: Int) { slots = Array(repeating: [], count: count) }

    func store(_ values: [Double], at worker: Int) {
        lock.lock()
        defer { lock.unlock() }
        slots[worker] = values
    }

    func values() -> [[Double]] {
        lock.lock()
        defer { lock.unlock() }
        return slots
    }
}
