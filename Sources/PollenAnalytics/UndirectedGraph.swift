/// An undirected weighted graph in compressed sparse row form, the form community detection and bridges work on.
///
/// Each edge `{u, v}` is stored twice, once in each endpoint's slice, with the same weight. A node's neighbours
/// are sorted by id and distinct: there are no parallel edges (they are summed into one) and no self-loops (they
/// are dropped, since a tie of a member to themself says nothing about communities or bridges).
public struct UndirectedGraph: Sendable, Equatable {
    /// Number of nodes; ids run over `0..<nodeCount`.
    public let nodeCount: Int
    /// `neighbours[offsets[v]..<offsets[v + 1]]` are `v`'s neighbours; `nodeCount + 1` entries.
    public let offsets: [Int32]
    /// Neighbours of all nodes, grouped by node, ascending within each node's slice.
    public let neighbours: [Int32]
    /// Weight of each stored edge end, aligned with `neighbours`.
    public let weights: [Double]
    /// Sum of the edge weights, each edge counted once (networkx's `G.size(weight=...)`).
    public let totalWeight: Double
    /// True when every edge weighs 1, which lets measures skip reading the weights.
    let hasUnitWeights: Bool

    /// Number of edges, each counted once.
    public var edgeCount: Int { neighbours.count / 2 }

    /// Builds the graph from `(u, v, weight)` triples.
    ///
    /// Pairs given more than once, in either orientation, become one edge whose weight is the sum; self-loops are
    /// dropped. Weights must be finite and non-negative.
    /// - Throws: `GraphError` for a negative node, a node not below `nodeCount`, a bad weight, or too many edges.
    public init(nodeCount: Int, edges: [(Int, Int, Double)]) throws(GraphError) {
        guard nodeCount >= 0, nodeCount < Int(Int32.max) else { throw .nodeCountOutOfRange(nodeCount) }
        // Each edge is stored at both ends, so twice the edges must fit 32-bit offsets.
        guard edges.count < Int(Int32.max) / 2 else { throw .tooManyEdges(edges.count) }
        var degree = [Int32](repeating: 0, count: nodeCount + 1)
        for (index, (u, v, weight)) in edges.enumerated() {
            if u < 0 || v < 0 { throw .negativeNode(edge: index, node: min(u, v)) }
            if u >= nodeCount || v >= nodeCount { throw .nodeOutOfRange(edge: index, node: max(u, v), nodeCount: nodeCount) }
            guard weight.isFinite, weight >= 0 else { throw .invalidWeight(edge: index, weight: weight) }
            if u != v {
                degree[u + 1] += 1
                degree[v + 1] += 1
            }
        }
        for node in 0..<nodeCount { degree[node + 1] += degree[node] }
        // First scatter: each node's neighbours in edge order. Second scatter (the transpose, walking nodes in
        // ascending order): each node's neighbours in ascending order, so duplicates sit side by side.
        var cursor = degree
        var unsortedNeighbours = [Int32](repeating: 0, count: Int(degree[nodeCount]))
        var unsortedWeights = [Double](repeating: 0, count: Int(degree[nodeCount]))
        for (u, v, weight) in edges where u != v {
            unsortedNeighbours[Int(cursor[u])] = Int32(v)
            unsortedWeights[Int(cursor[u])] = weight
            cursor[u] += 1
            unsortedNeighbours[Int(cursor[v])] = Int32(u)
            unsortedWeights[Int(cursor[v])] = weight
            cursor[v] += 1
        }
        cursor = degree
        var sortedNeighbours = [Int32](repeating: 0, count: unsortedNeighbours.count)
        var sortedWeights = [Double](repeating: 0, count: unsortedNeighbours.count)
        for node in 0..<nodeCount {
            for slot in Int(degree[node])..<Int(degree[node + 1]) {
                let other = Int(unsortedNeighbours[slot])
                sortedNeighbours[Int(cursor[other])] = Int32(node)
                sortedWeights[Int(cursor[other])] = unsortedWeights[slot]
                cursor[other] += 1
            }
        }
        self.init(mergingSortedRows: degree, sortedNeighbours, sortedWeights)
    }

    /// Takes rows that are sorted but may repeat a neighbour, and merges each run of repeats into one edge of the
    /// run's summed weight.
    private init(mergingSortedRows rowOffsets: [Int32], _ neighbours: consuming [Int32], _ weights: consuming [Double]) {
        let n = rowOffsets.count - 1
        var offsets = [Int32](repeating: 0, count: n + 1)
        var neighbours = neighbours, weights = weights
        var write = 0
        // Runs only shrink, so compacting in place never overwrites an entry not yet read.
        for node in 0..<n {
            var read = Int(rowOffsets[node])
            let end = Int(rowOffsets[node + 1])
            while read < end {
                let neighbour = neighbours[read]
                var weight = weights[read]
                read += 1
                while read < end, neighbours[read] == neighbour {
                    weight += weights[read]
                    read += 1
                }
                neighbours[write] = neighbour
                weights[write] = weight
                write += 1
            }
            offsets[node + 1] = Int32(write)
        }
        neighbours.removeSubrange(write...)
        weights.removeSubrange(write...)
        self.init(nodeCount: n, offsets: offsets, neighbours: neighbours, weights: weights)
    }

    init(nodeCount: Int, offsets: [Int32], neighbours: [Int32], weights: [Double]) {
        self.nodeCount = nodeCount
        self.offsets = offsets
        self.neighbours = neighbours
        self.weights = weights
        var total = 0.0, unit = true
        for node in 0..<nodeCount {
            for slot in Int(offsets[node])..<Int(offsets[node + 1]) {
                if Int(neighbours[slot]) > node { total += weights[slot] }
                unit = unit && weights[slot] == 1
            }
        }
        totalWeight = total
        hasUnitWeights = unit
    }

    /// Number of neighbours of `node`.
    public func degree(_ node: Int) -> Int { Int(offsets[node + 1] - offsets[node]) }

    /// Sum of the weights of `node`'s edges (networkx's weighted degree).
    public func strength(_ node: Int) -> Double {
        weights[Int(offsets[node])..<Int(offsets[node + 1])].reduce(0, +)
    }

    /// `node`'s neighbours in ascending order.
    public func neighbours(of node: Int) -> ArraySlice<Int32> { neighbours[Int(offsets[node])..<Int(offsets[node + 1])] }
}

extension Graph {
    /// The undirected graph with an edge `{u, v}` wherever `u → v` or `v → u` exists, self-loops dropped.
    ///
    /// Unweighted, each connected pair becomes one edge of weight 1, however many edges join it in either direction
    /// (networkx's `G.to_undirected()`, igraph's `as_undirected(mode="collapse")` on a loop-free graph). Weighted,
    /// the edge weighs the sum of all edges between the pair in both directions.
    public func undirected() -> UndirectedGraph { symmetrized(collapse: !isWeighted) }

    /// Every pair joined in either direction as one undirected edge, weighing 1 when `collapse` is set, else the
    /// sum of the pair's edge weights (edge counts on an unweighted graph).
    ///
    /// Each node's row is the merge of its out- and in-neighbours, so workers build rows independently, reading
    /// the graph in order; rows that were not given in ascending order are sorted first.
    func symmetrized(collapse: Bool, threads: Int? = nil) -> UndirectedGraph {
        precondition(edgeCount < Int(Int32.max) / 2, "an undirected graph stores each edge twice in 32-bit offsets")
        let n = nodeCount
        // Row v is first written at its upper bound position, out-degree plus in-degree of the nodes before it.
        var bound = [Int32](repeating: 0, count: n + 1)
        for node in 0..<n {
            bound[node + 1] = bound[node] + outOffsets[node + 1] - outOffsets[node] + inOffsets[node + 1] - inOffsets[node]
        }
        let capacity = Int(bound[n])
        var rows = [Int32](repeating: 0, count: capacity)
        var rowWeights = [Double](repeating: 0, count: collapse ? 0 : capacity)
        var lengths = [Int32](repeating: 0, count: n)
        let workers = edgeCount < Self.parallelSymmetrizeEdges ? 1 : workerCount(threads, items: n)
        let ranges = bound.withUnsafeBufferPointer { balancedRanges($0, parts: workers) }
        rows.withUnsafeMutableBufferPointer { rows in
            rowWeights.withUnsafeMutableBufferPointer { rowWeights in
                lengths.withUnsafeMutableBufferPointer { lengths in
                    let output = MergedRows(
                        bound: bound, neighbours: SharedMutableBuffer(rows), weights: SharedMutableBuffer(rowWeights),
                        lengths: SharedMutableBuffer(lengths))
                    runWorkers(ranges.count) { worker in
                        mergeRows(ranges[worker], collapse: collapse, into: output)
                    }
                }
            }
        }
        var offsets = [Int32](repeating: 0, count: n + 1)
        for node in 0..<n { offsets[node + 1] = offsets[node] + lengths[node] }
        let count = Int(offsets[n])
        var neighbours = [Int32](repeating: 0, count: count)
        var weights = [Double](repeating: 1, count: count)
        // Rows move down to their final places; each worker moves the rows it built.
        rows.withUnsafeBufferPointer { rows in
            rowWeights.withUnsafeBufferPointer { rowWeights in
                neighbours.withUnsafeMutableBufferPointer { neighboursOut in
                    weights.withUnsafeMutableBufferPointer { weightsOut in
                        let rows = SharedBuffer(rows), rowWeights = SharedBuffer(rowWeights)
                        let neighboursOut = SharedMutableBuffer(neighboursOut), weightsOut = SharedMutableBuffer(weightsOut)
                        runWorkers(ranges.count) { [bound, offsets, lengths] worker in
                            for node in ranges[worker] {
                                let from = Int(bound[node]), to = Int(offsets[node]), length = Int(lengths[node])
                                guard length > 0 else { continue }
                                (neighboursOut.buffer.baseAddress! + to)
                                    .update(from: rows.buffer.baseAddress! + from, count: length)
                                if !collapse {
                                    (weightsOut.buffer.baseAddress! + to)
                                        .update(from: rowWeights.buffer.baseAddress! + from, count: length)
                                }
                            }
                        }
                    }
                }
            }
        }
        return UndirectedGraph(nodeCount: n, offsets: offsets, neighbours: neighbours, weights: weights)
    }

    /// Below this many edges one worker builds the undirected graph faster than two can start.
    static let parallelSymmetrizeEdges = 500_000

    /// Writes the merged, distinct rows of `nodes` at their upper-bound positions.
    private func mergeRows(_ nodes: Range<Int>, collapse: Bool, into output: MergedRows) {
        // Rows given out of order are sorted into scratch first: (neighbour << 32 | index in row) sorts by neighbour.
        var keys = [UInt64]()
        var outScratch = RowScratch(), inScratch = RowScratch()
        outTargets.withUnsafeBufferPointer { outTargets in
            inSources.withUnsafeBufferPointer { inSources in
                (outWeights ?? []).withUnsafeBufferPointer { outWeights in
                    (inWeights ?? []).withUnsafeBufferPointer { inWeights in
                        for node in nodes {
                            let outRow = outScratch.sorted(
                                outTargets, outWeights, Int(outOffsets[node])..<Int(outOffsets[node + 1]), keys: &keys)
                            let inRow = inScratch.sorted(
                                inSources, inWeights, Int(inOffsets[node])..<Int(inOffsets[node + 1]), keys: &keys)
                            var write = Int(output.bound[node])
                            let start = write
                            let me = Int32(node)
                            // Both rows ascend: take the smaller head each step, folding runs of one neighbour.
                            var i = 0, j = 0
                            while i < outRow.count || j < inRow.count {
                                let next =
                                    j >= inRow.count || (i < outRow.count && outRow.ids[i] <= inRow.ids[j])
                                    ? outRow.ids[i] : inRow.ids[j]
                                var weight = 0.0
                                while i < outRow.count && outRow.ids[i] == next {
                                    weight += outRow.weight(i)
                                    i += 1
                                }
                                while j < inRow.count && inRow.ids[j] == next {
                                    weight += inRow.weight(j)
                                    j += 1
                                }
                                if next == me { continue }
                                output.neighbours[write] = next
                                if !collapse { output.weights[write] = weight }
                                write += 1
                            }
                            output.lengths[node] = Int32(write - start)
                        }
                    }
                }
            }
        }
        outScratch.deallocate()
        inScratch.deallocate()
    }
}

/// One adjacency row as raw pointers: in the graph itself when it was given in order, else in sorted scratch.
private struct RowView {
    let ids: UnsafePointer<Int32>
    /// nil when every edge weighs 1.
    let weights: UnsafePointer<Double>?
    let count: Int

    @inline(__always) func weight(_ index: Int) -> Double { weights?[index] ?? 1 }
}

/// A worker's buffers for sorting rows that were not given in ascending order.
private struct RowScratch {
    private var ids = UnsafeMutableBufferPointer<Int32>.allocate(capacity: 0)
    private var weights = UnsafeMutableBufferPointer<Double>.allocate(capacity: 0)

    mutating func sorted(
        _ targets: UnsafeBufferPointer<Int32>, _ weights: UnsafeBufferPointer<Double>, _ range: Range<Int>,
        keys: inout [UInt64]
    ) -> RowView {
        let base = targets.baseAddress! + range.lowerBound
        let weightBase = weights.isEmpty ? nil : weights.baseAddress! + range.lowerBound
        var ordered = true
        if range.count > 1 {
            for index in 1..<range.count where base[index] < base[index - 1] {
                ordered = false
                break
            }
        }
        if ordered { return RowView(ids: base, weights: weightBase, count: range.count) }
        if ids.count < range.count {
            ids.deallocate()
            self.weights.deallocate()
            ids = .allocate(capacity: range.count)
            self.weights = .allocate(capacity: range.count)
        }
        keys.removeAll(keepingCapacity: true)
        for index in 0..<range.count { keys.append(UInt64(UInt32(base[index])) << 32 | UInt64(index)) }
        keys.sort()
        for (position, key) in keys.enumerated() {
            ids[position] = Int32(truncatingIfNeeded: key >> 32)
            if let weightBase { self.weights[position] = weightBase[Int(key & 0xFFFF_FFFF)] }
        }
        return RowView(
            ids: UnsafePointer(ids.baseAddress!), weights: weightBase == nil ? nil : UnsafePointer(self.weights.baseAddress!),
            count: range.count)
    }

    func deallocate() {
        ids.deallocate()
        weights.deallocate()
    }
}

/// Where workers write merged rows: each node's own slots only.
private struct MergedRows: Sendable {
    let bound: [Int32]
    let neighbours: SharedMutableBuffer<Int32>
    let weights: SharedMutableBuffer<Double>
    let lengths: SharedMutableBuffer<Int32>
}
