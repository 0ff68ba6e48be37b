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
                // The heads of all of a member's two-paths, copied row by row, then overwritten from the front by the
                // distinct candidates. Grown to the largest member's two-path count.
                var reached = UnsafeMutableBufferPointer<Int32>.allocate(capacity: 4096)
                // The candidates reached by two paths or more, in the order their second path was found.
                var repeated = UnsafeMutableBufferPointer<Int32>.allocate(capacity: 4096)
                let selection = TopRecommendations(k: k)
                defer {
                    paths.deallocate()
                    reached.deallocate()
                    repeated.deallocate()
                }
                outOffsets.withUnsafeBufferPointer { offsets in
                    outTargets.withUnsafeBufferPointer { targets in
                        while let block = blocks.claim() {
                            for index in block {
                                let u = members[index]
                                let start = Int(offsets[u]), end = Int(offsets[u + 1])
                                var total = 0
                                for slot in start..<end {
                                    let v = Int(targets[slot])
                                    total += Int(offsets[v + 1] - offsets[v])
                                }
                                if total > reached.count {
                                    reached.deallocate()
                                    repeated.deallocate()
                                    reached = .allocate(capacity: total)
                                    repeated = .allocate(capacity: total)
                                }
                                // Copying whole rows first and counting afterwards: a loop per row ends in a
                                // mispredicted branch every ~30 heads, and counting there stalled on each row's
                                // fetch; copies stream, and the count then runs over one array (counting for 1,000
                                // members of the 100k reference graph on one thread: 3.7 → 2.1 ms).
                                var copied = 0
                                for slot in start..<end {
                                    let v = Int(targets[slot])
                                    let row = Int(offsets[v])..<Int(offsets[v + 1])
                                    UnsafeMutableBufferPointer(rebasing: reached[copied..<(copied + row.count)])
                                        .update(fromContentsOf: targets[row])
                                    copied += row.count
                                }
                                paths[u] = -1
                                for slot in start..<end { paths[Int(targets[slot])] = -1 }
                                var candidates = 0, repeatedCount = 0
                                for position in 0..<copied {
                                    // Branch-free: a candidate is new, seen, or excluded in no pattern a predictor
                                    // could learn. `candidates` never passes `position`, so a head is read before
                                    // its slot is reused.
                                    let w = Int(reached[position])
                                    let count = paths[w]
                                    reached[candidates] = Int32(w)
                                    candidates &+= count == 0 ? 1 : 0
                                    repeated[repeatedCount] = Int32(w)
                                    repeatedCount &+= count == 1 ? 1 : 0
                                    paths[w] = count &+ (count >= 0 ? 1 : 0)
                                }
                                // Most candidates have a single path; when k of them have more, no single-path one
                                // can be among the best, so only the repeated ones are ranked (115k instead of 520k
                                // candidates for 1,000 members of the 20k reference graph).
                                output[index] = repeatedCount >= k
                                    ? selection.best(of: repeated[0..<repeatedCount], paths: paths)
                                    : selection.best(of: reached[0..<candidates], paths: paths)
                                for position in 0..<candidates { paths[Int(reached[position])] = 0 }
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

/// Picks the `k` best candidates, most paths first and then lowest id, without sorting candidate lists that run to
/// hundreds while `k` is small.
///
/// Each candidate is one 64-bit key, paths above and the id's complement below, so "better" is one comparison. The
/// kept keys stay sorted, best first, and a newcomer is compared with the worst kept one and, if better, shifted into
/// place: with k around ten that is a few predictable steps, where a heap's sift took a mispredicted branch per level
/// (ranking took 0.78 ms of 2.4 with a heap and 0.40 ms sorted, for 1,000 members of the 20k reference graph). Past
/// `insertionLimit` the shifting would cost more than the mispredictions, so a min-heap of keys takes over.
private final class TopRecommendations {
    static let insertionLimit = 32
    let k: Int
    /// Sorted best first while `k` ≤ `insertionLimit`; a min-heap (worst at the root) beyond. Raw storage: an array's
    /// uniqueness and bounds checks were a measurable part of this loop.
    private let keys: UnsafeMutableBufferPointer<UInt64>

    init(k: Int) {
        self.k = k
        keys = .allocate(capacity: k)
    }

    deinit { keys.deallocate() }

    @inline(__always) private static func key(node: Int32, paths: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: paths)) << 32 | UInt64(UInt32.max - UInt32(bitPattern: node))
    }

    @inline(__always) private static func recommendation(_ key: UInt64) -> Recommendation {
        Recommendation(
            node: Int32(bitPattern: UInt32.max - UInt32(truncatingIfNeeded: key)), paths: Int32(bitPattern: UInt32(key >> 32)))
    }

    func best(
        of candidates: Slice<UnsafeMutableBufferPointer<Int32>>, paths: UnsafeMutableBufferPointer<Int32>
    ) -> [Recommendation] {
        let k = k, keys = keys
        var count = 0
        if k <= Self.insertionLimit {
            for node in candidates {
                let key = Self.key(node: node, paths: paths[Int(node)])
                if count == k {
                    if key <= keys[k - 1] { continue }
                } else {
                    count += 1
                }
                var slot = count - 1
                while slot > 0 && keys[slot - 1] < key {
                    keys[slot] = keys[slot - 1]
                    slot -= 1
                }
                keys[slot] = key
            }
            return keys[0..<count].map(Self.recommendation)
        }
        for node in candidates {
            let key = Self.key(node: node, paths: paths[Int(node)])
            if count < k {
                keys[count] = key
                var child = count
                count += 1
                while child > 0 {
                    let parent = (child - 1) / 2
                    guard keys[parent] > keys[child] else { break }
                    keys.swapAt(parent, child)
                    child = parent
                }
            } else if key > keys[0] {
                keys[0] = key
                var parent = 0
                while true {
                    let left = 2 * parent + 1
                    guard left < count else { break }
                    var smaller = left
                    if left + 1 < count, keys[left + 1] < keys[left] { smaller = left + 1 }
                    guard keys[smaller] < keys[parent] else { break }
                    keys.swapAt(parent, smaller)
                    parent = smaller
                }
            }
        }
        return keys[0..<count].sorted(by: >).map(Self.recommendation)
    }
}
