/// Gould and Fernandez's brokerage roles: for each node b, how many open two-paths `a → b → c` it brokers, by how
/// the groups of a, b and c relate.
public struct BrokerageRoles: Sendable, Equatable {
    /// a, b and c in one group: brokering inside a group.
    public let coordinator: [Int]
    /// a and c in one group, b in another: an outsider linking two members of a group (also called consultant).
    public let itinerant: [Int]
    /// a and b in one group, c in another: b carries its group's ties out.
    public let representative: [Int]
    /// b and c in one group, a in another: b lets ties from outside into its group.
    public let gatekeeper: [Int]
    /// a, b and c in three different groups.
    public let liaison: [Int]

    /// All brokered two-paths of `node`, whatever the role.
    public func total(_ node: Int) -> Int {
        coordinator[node] + itinerant[node] + representative[node] + gatekeeper[node] + liaison[node]
    }
}

extension Graph {
    /// Counts, for every node b, the two-paths `a → b → c` with a, b, c distinct and no edge `a → c`, split by role
    /// (see `BrokerageRoles`).
    ///
    /// Each pair of distinct neighbours counts once: parallel edges add nothing and self-loops are ignored. A node
    /// with a negative group belongs to no group, so it shares a group with nobody, not even another such node.
    /// Weights are ignored.
    /// - Parameters:
    ///   - groups: the group of each node.
    ///   - threads: workers; nil for one per core. Counts are integers, so the result does not depend on it.
    public func brokerage(groups: [Int32], threads: Int? = nil) -> BrokerageRoles {
        precondition(groups.count == nodeCount, "one group per node")
        let n = nodeCount
        let (offsets, successors) = distinctSuccessors()
        // A broker's count never exceeds its in-degree times its out-degree; when that fits 32 bits, narrower
        // counters keep each worker's tally (five per node, written in scattered order) twice as cache-friendly.
        let largest = (0..<n).reduce(0) { max($0, inDegree($1) * outDegree($1)) }
        let counts: [[Int]] =
            if largest < Int(Int32.max) {
                tallyRoles(Int32.self, offsets: offsets, successors: successors, groups: groups, threads: threads)
            } else {
                tallyRoles(Int.self, offsets: offsets, successors: successors, groups: groups, threads: threads)
            }
        var totals = [[Int]](repeating: [Int](repeating: 0, count: n), count: 5)
        for partial in counts {
            for node in 0..<n {
                for role in 0..<5 { totals[role][node] += partial[5 * node + role] }
            }
        }
        return BrokerageRoles(
            coordinator: totals[0], itinerant: totals[1], representative: totals[2], gatekeeper: totals[3],
            liaison: totals[4])
    }

    /// Each worker's role counts, five per node (coordinator, itinerant, representative, gatekeeper, liaison).
    private func tallyRoles<Count: FixedWidthInteger & Sendable>(
        _: Count.Type, offsets: [Int32], successors: [Int32], groups: [Int32], threads: Int?
    ) -> [[Int]] {
        let n = nodeCount
        let workers = workerCount(threads, items: n / 256 + 1)
        let blocks = BlockDispenser(count: n, blockSize: 256)
        let results = WorkerResults<[Int]>(count: workers)
        runWorkers(workers) { worker in
            // Five counts per node, interleaved so one broker's counts share a cache line.
            var counts = [Count](repeating: 0, count: 5 * n)
            var marker = [Int32](repeating: -1, count: n)
        offsets.withUnsafeBufferPointer { offsets in
            successors.withUnsafeBufferPointer { successors in
                groups.withUnsafeBufferPointer { groups in
                    counts.withUnsafeMutableBufferPointer { counts in
                        marker.withUnsafeMutableBufferPointer { marker in
                            while let block = blocks.claim() {
                                for a in block {
                                    let start = Int(offsets[a]), end = Int(offsets[a + 1])
                                    // marker[c] == a: the edge a → c exists, so a → b → c is closed.
                                    for slot in start..<end { marker[Int(successors[slot])] = Int32(a) }
                                    let groupA = groups[a]
                                    for slot in start..<end {
                                        let b = Int(successors[slot])
                                        let groupB = groups[b]
                                        let sameAB = groupA >= 0 && groupA == groupB ? 1 : 0
                                        var open = 0, sameAC = 0, sameBC = 0
                                        // Branch-free counting: whether a path is open and how its groups fall
                                        // follow no pattern a predictor could learn. Each role's count is a
                                        // combination of these three sums (and sameAB, fixed for this b).
                                        for next in Int(offsets[b])..<Int(offsets[b + 1]) {
                                            let c = Int(successors[next])
                                            let isOpen = c != a && marker[c] != Int32(a) ? 1 : 0
                                            let groupC = groups[c]
                                            open &+= isOpen
                                            sameAC &+= isOpen & (groupC == groupA && groupA >= 0 ? 1 : 0)
                                            sameBC &+= isOpen & (groupC == groupB && groupB >= 0 ? 1 : 0)
                                        }
                                        // With a and b together, c with a is c with b: coordinator; else
                                        // representative. Apart, c joins a (itinerant), b (gatekeeper) or
                                        // neither (liaison).
                                        if sameAB == 1 {
                                            counts[5 * b] &+= Count(truncatingIfNeeded: sameAC)
                                            counts[5 * b + 2] &+= Count(truncatingIfNeeded: open - sameAC)
                                        } else {
                                            counts[5 * b + 1] &+= Count(truncatingIfNeeded: sameAC)
                                            counts[5 * b + 3] &+= Count(truncatingIfNeeded: sameBC)
                                            counts[5 * b + 4] &+= Count(truncatingIfNeeded: open - sameAC - sameBC)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
            results.store(counts.map { Int($0) }, at: worker)
        }
        return results.values()
    }

    /// Out-neighbours of each node, ascending and each once, without the node itself.
    func distinctSuccessors() -> (offsets: [Int32], successors: [Int32]) {
        let n = nodeCount
        var offsets = [Int32](repeating: 0, count: n + 1)
        var successors = [Int32](repeating: 0, count: edgeCount)
        // Walking heads in ascending order and pushing each into its tails' rows leaves every row sorted.
        var cursor = outOffsets
        inOffsets.withUnsafeBufferPointer { inOffsets in
            inSources.withUnsafeBufferPointer { inSources in
                successors.withUnsafeMutableBufferPointer { successors in
                    cursor.withUnsafeMutableBufferPointer { cursor in
                        for head in 0..<n {
                            for slot in Int(inOffsets[head])..<Int(inOffsets[head + 1]) {
                                let tail = Int(inSources[slot])
                                successors[Int(cursor[tail])] = Int32(head)
                                cursor[tail] += 1
                            }
                        }
                    }
                    var write = 0
                    outOffsets.withUnsafeBufferPointer { outOffsets in
                        for tail in 0..<n {
                            var previous: Int32 = -1
                            for read in Int(outOffsets[tail])..<Int(outOffsets[tail + 1]) {
                                let head = successors[read]
                                if head == previous || Int(head) == tail { continue }
                                successors[write] = head
                                write += 1
                                previous = head
                            }
                            offsets[tail + 1] = Int32(write)
                        }
                    }
                }
            }
        }
        successors.removeSubrange(Int(offsets[n])...)
        return (offsets, successors)
    }
}
