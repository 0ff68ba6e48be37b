/// Louvain's local moving phase on one level: visits nodes and moves each to the neighbouring community that raises
/// modularity most, sweeping until a sweep gains too little.
///
/// Nodes are visited in id order, which is a random order because levels are numbered at random (see
/// `LouvainLevel`). Small levels are swept one node at a time. Large levels are swept in blocks of consecutive
/// nodes: the nodes of a block all choose their moves from the same snapshot, on any number of workers, and the
/// moves are then applied in order, each re-checked against the community totals the earlier ones changed. Neither
/// the choices nor the order depend on the number of workers, so neither does the result.
///
/// Blocks are not only faster: choosing from a shared snapshot keeps the first sweep from snowballing, where early
/// merges in a purely sequential sweep grow one community across two natural groups. On the benchmark organisation
/// graphs, 2,048-node blocks found every department for 20 of 20 seeds, where one node at a time found them for
/// 6 of 10 seeds at 100k nodes (and merged two departments for the others). Blocks of 256 were less robust and
/// blocks of 32,768 needed longer sweeps.
final class LocalMover: @unchecked Sendable {
    let level: LouvainLevel
    let resolution: Double
    let twoM: Double
    let nodeCount: Int
    /// Community of each node; communities are named by node ids of this level.
    let community: UnsafeMutableBufferPointer<Int32>
    /// Summed strength of each community's nodes.
    let total: UnsafeMutableBufferPointer<Double>
    /// 1 for nodes to visit in the next sweep: those whose neighbourhood changed since their last visit. Only the
    /// sweep's serial steps read or write it.
    let active: UnsafeMutableBufferPointer<UInt8>

    /// A sweep that raises modularity by less than this ends the phase; smaller gains are not worth another pass.
    static let minimumSweepGain = 1e-7
    /// A level is never swept more often than this, whatever the gains.
    static let maximumSweeps = 100
    /// Levels with at least this many edge ends are swept in blocks; below, one node at a time.
    static let blockSweepEntries = 300_000
    /// Nodes per block: see the type's notes for why this size.
    static let blockSize = 2_048
    /// A block needs this many nodes to visit before a second worker pays for its start-up.
    static let parallelBlockNodes = 256

    /// - Parameters:
    ///   - start: initial community of each node; nil for singletons.
    ///   - activeNodes: nodes to visit in the first sweep; nil for all.
    init(level: LouvainLevel, resolution: Double, twoM: Double, start: [Int32]? = nil, activeNodes: [Bool]? = nil) {
        self.level = level
        self.resolution = resolution
        self.twoM = twoM
        let n = level.nodeCount
        nodeCount = n
        community = .allocate(capacity: n)
        total = .allocate(capacity: n)
        total.initialize(repeating: 0)
        if let start {
            _ = community.initialize(from: start)
        } else {
            for node in 0..<n { community[node] = Int32(node) }
        }
        for node in 0..<n { total[Int(community[node])] += level.strength[node] }
        active = .allocate(capacity: n)
        for node in 0..<n { active[node] = activeNodes.map { $0[node] ? 1 : 0 } ?? 1 }
    }

    deinit {
        community.deallocate()
        total.deallocate()
        active.deallocate()
    }

    /// The communities as an array.
    var communities: [Int32] { Array(community) }

    /// Sweeps, visiting nodes in id order, until a sweep gains too little; returns the number of moves.
    @discardableResult
    func run(workers: Int) -> Int {
        level.offsets.withUnsafeBufferPointer { offsets in
            level.neighbours.withUnsafeBufferPointer { neighbours in
                (level.weights ?? []).withUnsafeBufferPointer { weights in
                    level.strength.withUnsafeBufferPointer { strength in
                        let view = LevelView(
                            offsets: offsets, neighbours: neighbours, weights: weights, unit: level.weights == nil,
                            strength: strength)
                        let blocks = level.neighbours.count >= Self.blockSweepEntries
                        let scratch = (0..<(blocks ? workers : 1)).map { _ in
                            MoveScratch(nodeCount: nodeCount, maximumDegree: view.maximumDegree)
                        }
                        let sweeper = blocks ? BlockSweeper(nodeCount: nodeCount, blockSize: Self.blockSize) : nil
                        var moves = 0
                        for _ in 0..<Self.maximumSweeps {
                            let (sweepMoves, gain) =
                                if let sweeper {
                                    sweeper.sweep(self, view: view, scratch: scratch)
                                } else {
                                    sweepInOrder(view: view, scratch: scratch[0])
                                }
                            moves += sweepMoves
                            if sweepMoves == 0 || gain / (twoM / 2) < Self.minimumSweepGain { break }
                        }
                        return moves
                    }
                }
            }
        }
    }

    /// The best community for `node` given the current state: its weight to that community and to its own.
    /// Returns its own community as the target when no move raises modularity.
    @inline(__always)
    func propose(_ node: Int, view: LevelView, scratch: MoveScratch) -> Proposal {
        let own = Int(community[node])
        let stamp = scratch.nextStamp()
        let mark = scratch.mark, touched = scratch.touched, weightTo = scratch.weightTo
        var touchedCount = 0
        // Branch-free on purpose: whether a community was met before is a coin toss the processor cannot predict,
        // and a mispredicted branch here costs more than the arithmetic. A stale sum is discarded by the select.
        @inline(__always) func add(_ c: Int, _ weight: Double) {
            let fresh = mark[c] != stamp
            touched[touchedCount] = Int32(c)
            touchedCount &+= fresh ? 1 : 0
            weightTo[c] = (fresh ? 0 : weightTo[c]) + weight
            mark[c] = stamp
        }
        let edges = Int(view.offsets[node])..<Int(view.offsets[node + 1])
        if view.unit {
            for edge in edges { add(Int(community[Int(view.neighbours[edge])]), 1) }
        } else {
            for edge in edges { add(Int(community[Int(view.neighbours[edge])]), view.weights[edge]) }
        }
        let k = view.strength[node]
        let scale = resolution * k / twoM
        let toOwn = mark[own] == stamp ? weightTo[own] : 0
        var best = own, bestWeight = toOwn, bestGain = toOwn - scale * (total[own] - k)
        for position in 0..<touchedCount {
            let c = Int(touched[position])
            let gain = weightTo[c] - scale * total[c]
            if gain > bestGain && c != own {
                best = c
                bestGain = gain
                bestWeight = weightTo[c]
            }
        }
        return Proposal(target: Int32(best), toTarget: bestWeight, toOwn: toOwn)
    }

    /// Moves `node` as proposed if the move still raises modularity under the current totals; returns the gain
    /// (in edge-weight units), or nil when it stays.
    @inline(__always)
    func apply(_ node: Int, _ proposal: Proposal, view: LevelView) -> Double? {
        let own = Int(community[node]), target = Int(proposal.target)
        guard target != own else { return nil }
        let k = view.strength[node]
        let scale = resolution * k / twoM
        let stay = proposal.toOwn - scale * (total[own] - k)
        let move = proposal.toTarget - scale * total[target]
        guard move > stay else { return nil }
        total[own] -= k
        total[target] += k
        community[node] = Int32(target)
        return move - stay
    }

    /// Wakes the neighbours of a moved node that are now outside its community: only their options changed.
    @inline(__always)
    func wakeNeighbours(of node: Int, view: LevelView) {
        let own = community[node]
        for edge in Int(view.offsets[node])..<Int(view.offsets[node + 1]) {
            let other = Int(view.neighbours[edge])
            active[other] |= community[other] != own ? 1 : 0
        }
    }

    private func sweepInOrder(view: LevelView, scratch: MoveScratch) -> (moves: Int, gain: Double) {
        var moves = 0, gain = 0.0
        for node in 0..<nodeCount {
            guard active[node] != 0 else { continue }
            active[node] = 0
            if let moveGain = apply(node, propose(node, view: view, scratch: scratch), view: view) {
                moves += 1
                gain += moveGain
                wakeNeighbours(of: node, view: view)
            }
        }
        return (moves, gain)
    }
}

/// A node's best move as seen from one snapshot.
struct Proposal {
    var target: Int32
    /// Weight from the node to `target`'s members.
    var toTarget: Double
    /// Weight from the node to the other members of its own community.
    var toOwn: Double
}

/// Raw views of a level's arrays, valid inside `LocalMover.run`.
struct LevelView: @unchecked Sendable {
    let offsets: UnsafeBufferPointer<Int32>
    let neighbours: UnsafeBufferPointer<Int32>
    /// Empty when `unit`: every edge weighs 1.
    let weights: UnsafeBufferPointer<Double>
    let unit: Bool
    let strength: UnsafeBufferPointer<Double>

    var maximumDegree: Int {
        var largest = 0
        for node in 0..<(offsets.count - 1) { largest = max(largest, Int(offsets[node + 1] - offsets[node])) }
        return largest
    }
}

/// A worker's scratch for summing the weight from one node to each neighbouring community.
final class MoveScratch: @unchecked Sendable {
    /// `weightTo[c]` is current only where `mark[c]` equals the current stamp, so nothing is ever reset.
    let mark: UnsafeMutableBufferPointer<Int32>
    let weightTo: UnsafeMutableBufferPointer<Double>
    /// The communities met, in order; one slot per edge, since repeats overwrite the slot after the last one.
    let touched: UnsafeMutableBufferPointer<Int32>
    private var stamp: Int32 = 0

    init(nodeCount: Int, maximumDegree: Int) {
        mark = .allocate(capacity: max(nodeCount, 1))
        mark.initialize(repeating: 0)
        weightTo = .allocate(capacity: max(nodeCount, 1))
        weightTo.initialize(repeating: 0)
        touched = .allocate(capacity: maximumDegree + 1)
    }

    deinit {
        mark.deallocate()
        weightTo.deallocate()
        touched.deallocate()
    }

    /// A stamp no mark holds yet.
    @inline(__always)
    func nextStamp() -> Int32 {
        if stamp == Int32.max {
            mark.update(repeating: 0)
            stamp = 0
        }
        stamp += 1
        return stamp
    }
}

/// Sweeps a level block by block: choices in parallel, moves in order.
final class BlockSweeper: @unchecked Sendable {
    let nodeCount: Int
    let blockSize: Int
    let pending: UnsafeMutableBufferPointer<Int32>
    let proposals: UnsafeMutableBufferPointer<Proposal>

    init(nodeCount: Int, blockSize: Int) {
        self.nodeCount = nodeCount
        self.blockSize = blockSize
        pending = .allocate(capacity: blockSize)
        proposals = .allocate(capacity: blockSize)
    }

    deinit {
        pending.deallocate()
        proposals.deallocate()
    }

    func sweep(_ mover: LocalMover, view: LevelView, scratch: [MoveScratch]) -> (moves: Int, gain: Double) {
        var moves = 0, gain = 0.0
        let workers = scratch.count
        for blockStart in stride(from: 0, to: nodeCount, by: blockSize) {
            var pendingCount = 0
            for node in blockStart..<min(blockStart + blockSize, nodeCount) {
                pending[pendingCount] = Int32(node)
                pendingCount &+= Int(mover.active[node])
                mover.active[node] = 0
            }
            guard pendingCount > 0 else { continue }
            if workers > 1, pendingCount >= LocalMover.parallelBlockNodes {
                let chunks = BlockDispenser(count: pendingCount, blockSize: 32)
                runWorkers(workers) { worker in
                    while let chunk = chunks.claim() {
                        for index in chunk {
                            self.proposals[index] = mover.propose(
                                Int(self.pending[index]), view: view, scratch: scratch[worker])
                        }
                    }
                }
            } else {
                for index in 0..<pendingCount {
                    proposals[index] = mover.propose(Int(pending[index]), view: view, scratch: scratch[0])
                }
            }
            for index in 0..<pendingCount {
                let node = Int(pending[index])
                if let moveGain = mover.apply(node, proposals[index], view: view) {
                    gain += moveGain
                    moves += 1
                    mover.wakeNeighbours(of: node, view: view)
                }
            }
        }
        return (moves, gain)
    }
}
