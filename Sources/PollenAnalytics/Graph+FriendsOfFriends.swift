/// A suggested node and the number of two-paths that lead to it.
public struct Recommendation: Sendable, Equatable {
    public let node: Int32
    public let paths: Int32

    public init(node: Int32, paths: Int32) {
        self.node = node
        self.paths = paths
    }
}

extension Graph {
    /// Friends of friends: for each member u, the nodes w reached by two-paths `u → v → w` that u does not reach
    /// directly, best first.
    ///
    /// A candidate's score is its number of two-paths, as the row `(A·A)[u]` of the adjacency matrix counts them:
    /// a parallel edge is a second path, and a path through a self-loop (`u → u → w`) counts too. u itself and u's
    /// out-neighbours are never suggested. Weights are ignored.
    /// - Parameters:
    ///   - members: the nodes to recommend for; the answer keeps their order (and repeats).
    ///   - k: how many candidates to keep per member: the most paths first, then the lowest node id.
    ///   - threads: workers; nil for one per core. Each member's list is computed by one worker, so the result does
    ///     not depend on it.
    public func friendsOfFriends(of members: [Int], k: Int, threads: Int? = nil) -> [[Recommendation]] {
        precondition(members.allSatisfy { (0..<nodeCount).contains($0) }, "members must be nodes")
        guard k > 0, !members.isEmpty else { return members.map { _ in [] } }
        let n = nodeCount
        var lists = [[Recommendation]](repeating: [], count: members.count)
        let workers = workerCount(threads, items: members.count / 16 + 1)
        let blocks = BlockDispenser(count: members.count, blockSize: 16)
        lists.withUnsafeMutableBufferPointer { buffer in
            let output = SharedMutableBuffer(buffer)
            runWorkers(workers) { _ in
                // paths[w] counts two-paths to w, or is -1 while w is excluded for the current member.
                let paths = UnsafeMutableBufferPointer<Int32>.allocate(capacity: n)
                paths.initialize(repeating: 0)
                let touched = UnsafeMutableBufferPointer<Int32>.allocate(capacity: n)
                var selection = TopRecommendations(k: k)
                defer {
                    paths.deallocate()
                    touched.deallocate()
                }
                outOffsets.withUnsafeBufferPointer { offsets in
                    outTargets.withUnsafeBufferPointer { targets in
                        while let block = blocks.claim() {
                            for index in block {
                                let u = members[index]
                                let start = Int(offsets[u]), end = Int(offsets[u + 1])
                                paths[u] = -1
                                for slot in start..<end { paths[Int(targets[slot])] = -1 }
                                var touchedCount = 0
                                for slot in start..<end {
                                    let v = Int(targets[slot])
                                    // Branch-free: a candidate is new, seen, or excluded in no pattern a predictor
                                    // could learn.
                                    for next in Int(offsets[v])..<Int(offsets[v + 1]) {
                                        let w = Int(targets[next])
                                        let count = paths[w]
                                        touched[touchedCount] = Int32(w)
                                        touchedCount &+= count == 0 ? 1 : 0
                                        paths[w] = count &+ (count >= 0 ? 1 : 0)
                                    }
                                }
                                output[index] = selection.best(of: touched[0..<touchedCount], paths: paths)
                                for position in 0..<touchedCount { paths[Int(touched[position])] = 0 }
                                paths[u] = 0
                                for slot in start..<end { paths[Int(targets[slot])] = 0 }
                            }
                        }
                    }
                }
            }
        }
        return lists
    }
}

/// Picks the `k` best candidates, most paths first and then lowest id, with a bounded heap: candidate lists run to
/// thousands while `k` is small, so sorting them all would dominate.
private struct TopRecommendations {
    let k: Int
    /// A min-heap under `better`: the worst kept candidate sits at the root, ready to be displaced.
    private var heap: [Recommendation] = []

    init(k: Int) {
        self.k = k
        heap.reserveCapacity(k)
    }

    @inline(__always) private static func better(_ a: Recommendation, _ b: Recommendation) -> Bool {
        a.paths > b.paths || (a.paths == b.paths && a.node < b.node)
    }

    mutating func best(
        of candidates: Slice<UnsafeMutableBufferPointer<Int32>>, paths: UnsafeMutableBufferPointer<Int32>
    ) -> [Recommendation] {
        heap.removeAll(keepingCapacity: true)
        for node in candidates {
            let candidate = Recommendation(node: node, paths: paths[Int(node)])
            if heap.count < k {
                heap.append(candidate)
                var child = heap.count - 1
                while child > 0 {
                    let parent = (child - 1) / 2
                    guard Self.better(heap[parent], heap[child]) else { break }
                    heap.swapAt(parent, child)
                    child = parent
                }
            } else if Self.better(candidate, heap[0]) {
                heap[0] = candidate
                var parent = 0
                while true {
                    let left = 2 * parent + 1
                    guard left < heap.count else { break }
                    var worst = left
                    if left + 1 < heap.count, Self.better(heap[left], heap[left + 1]) { worst = left + 1 }
                    guard Self.better(heap[parent], heap[worst]) else { break }
                    heap.swapAt(parent, worst)
                    parent = worst
                }
            }
        }
        return heap.sorted(by: Self.better)
    }
}
