/// A directed graph in compressed sparse row form, with both out- and in-adjacency.
///
/// Nodes are the integers `0..<nodeCount`. Each node's neighbours sit in one contiguous slice of a flat `[Int32]`
/// array, so the measures walk memory in order and never allocate per node.
///
/// Edges are kept exactly as given, matching igraph:
/// - **Parallel edges are kept.** Two edges `a → b` count twice in `outDegree(a)`, split PageRank as two out-links,
///   and are two distinct shortest paths for betweenness. Collapse duplicates before building if they mean nothing.
/// - **Self-loops are kept.** A loop `a → a` adds one to both `outDegree(a)` and `inDegree(a)` and sends PageRank
///   mass back to `a`; it never lies on a shortest path, so it does not change betweenness.
///
/// Within a node's slice, neighbours appear in the order their edges were given.
///
/// Edges may carry weights (non-negative, finite). An unweighted graph has nil weight arrays and every measure that
/// reads weights treats each edge as weight 1; PageRank, betweenness and components ignore weights.
public struct Graph: Sendable, Equatable {
    /// Number of nodes; ids run over `0..<nodeCount`.
    public let nodeCount: Int
    /// `outTargets[outOffsets[v]..<outOffsets[v + 1]]` are the heads of `v`'s outgoing edges; `nodeCount + 1` entries.
    public let outOffsets: [Int32]
    /// Heads of all edges, grouped by tail.
    public let outTargets: [Int32]
    /// `inSources[inOffsets[v]..<inOffsets[v + 1]]` are the tails of `v`'s incoming edges; `nodeCount + 1` entries.
    public let inOffsets: [Int32]
    /// Tails of all edges, grouped by head.
    public let inSources: [Int32]
    /// Weight of each edge, aligned with `outTargets`; nil when the graph is unweighted (every edge weighs 1).
    public let outWeights: [Double]?
    /// Weight of each edge, aligned with `inSources`; nil exactly when `outWeights` is.
    public let inWeights: [Double]?

    /// True when the edges carry weights.
    public var isWeighted: Bool { outWeights != nil }

    /// Number of edges, parallel edges and self-loops included.
    public var edgeCount: Int { outTargets.count }

    /// Builds the graph from parallel arrays of edge tails and heads.
    ///
    /// - Parameter nodeCount: the number of nodes, which lets isolated nodes with the highest ids exist; when nil,
    ///   the largest id in the edges plus one (zero for no edges).
    /// - Throws: `GraphError` if the arrays differ in length, an id is negative or not below `nodeCount`, or the
    ///   edges do not fit 32-bit offsets.
    public init(nodeCount: Int? = nil, sources: [Int32], destinations: [Int32]) throws(GraphError) {
        try self.init(nodeCount: nodeCount, sources: sources, destinations: destinations, weights: nil)
    }

    /// Builds a graph whose edges may carry weights; see `init(nodeCount:sources:destinations:)`.
    ///
    /// - Parameter weights: one weight per edge, aligned with `sources`, or nil for an unweighted graph. Weights must
    ///   be finite and non-negative: the measures that read them (modularity, mixing, structural holes) divide by
    ///   sums of weights and have no meaning for negative ties.
    /// - Throws: `GraphError` as the unweighted initialiser does, or if `weights` has the wrong length or holds a
    ///   negative, infinite or NaN value.
    public init(
        nodeCount: Int? = nil, sources: [Int32], destinations: [Int32], weights: [Double]?
    ) throws(GraphError) {
        guard sources.count == destinations.count else {
            throw .mismatchedEdgeArrays(sources: sources.count, destinations: destinations.count)
        }
        if let weights {
            guard weights.count == sources.count else { throw .mismatchedWeights(weights: weights.count, edges: sources.count) }
            if let edge = weights.firstIndex(where: { !($0.isFinite && $0 >= 0) }) {
                throw .invalidWeight(edge: edge, weight: weights[edge])
            }
        }
        guard sources.count < Int(Int32.max) else { throw .tooManyEdges(sources.count) }
        var largest: Int32 = -1
        for index in sources.indices {
            let tail = sources[index], head = destinations[index]
            if tail < 0 || head < 0 { throw .negativeNode(edge: index, node: Int(min(tail, head))) }
            largest = max(largest, tail, head)
        }
        let count = nodeCount ?? Int(largest) + 1
        guard count >= 0, count < Int(Int32.max) else { throw .nodeCountOutOfRange(count) }
        if Int(largest) >= count {
            let edge = sources.indices.first { Int(sources[$0]) >= count || Int(destinations[$0]) >= count }!
            throw .nodeOutOfRange(edge: edge, node: Int(max(sources[edge], destinations[edge])), nodeCount: count)
        }
        self.nodeCount = count
        (outOffsets, outTargets, outWeights) = Graph.compress(count, keys: sources, values: destinations, weights: weights)
        (inOffsets, inSources, inWeights) = Graph.compress(count, keys: destinations, values: sources, weights: weights)
    }

    /// Builds the graph from `(tail, head)` pairs; see `init(nodeCount:sources:destinations:)`.
    public init(nodeCount: Int? = nil, edges: [(Int, Int)]) throws(GraphError) {
        let (sources, destinations) = try Graph.narrow(edges.lazy.map { ($0.0, $0.1) }, count: edges.count, nodeCount: nodeCount)
        try self.init(nodeCount: nodeCount, sources: sources, destinations: destinations)
    }

    /// Builds a weighted graph from `(tail, head, weight)` triples; see `init(nodeCount:sources:destinations:weights:)`.
    public init(nodeCount: Int? = nil, weightedEdges: [(Int, Int, Double)]) throws(GraphError) {
        let (sources, destinations) = try Graph.narrow(
            weightedEdges.lazy.map { ($0.0, $0.1) }, count: weightedEdges.count, nodeCount: nodeCount)
        try self.init(nodeCount: nodeCount, sources: sources, destinations: destinations, weights: weightedEdges.map(\.2))
    }

    /// Splits pairs of `Int` ids into 32-bit tail and head arrays.
    private static func narrow(
        _ edges: some Sequence<(Int, Int)>, count: Int, nodeCount: Int?
    ) throws(GraphError) -> ([Int32], [Int32]) {
        var sources = [Int32](), destinations = [Int32]()
        sources.reserveCapacity(count)
        destinations.reserveCapacity(count)
        for (index, (tail, head)) in edges.enumerated() {
            // Ids beyond 32 bits cannot be nodes of a graph this type can hold; report them before truncating.
            guard let tail32 = Int32(exactly: tail), let head32 = Int32(exactly: head) else {
                let node = Int32(exactly: tail) == nil ? tail : head
                if node < 0 { throw .negativeNode(edge: index, node: node) }
                throw .nodeOutOfRange(edge: index, node: node, nodeCount: nodeCount ?? Int(Int32.max))
            }
            sources.append(tail32)
            destinations.append(head32)
        }
        return (sources, destinations)
    }

    /// Builds the graph from a parsed edge list; see `init(nodeCount:sources:destinations:)`.
    public init(nodeCount: Int? = nil, edgeList: EdgeList) throws(GraphError) {
        try self.init(nodeCount: nodeCount, sources: edgeList.sources, destinations: edgeList.destinations)
    }

    /// Counting sort by key; stable, so each slice keeps the input's edge order. Weights travel with their edges.
    private static func compress(
        _ nodeCount: Int, keys: [Int32], values: [Int32], weights: [Double]?
    ) -> ([Int32], [Int32], [Double]?) {
        var offsets = [Int32](repeating: 0, count: nodeCount + 1)
        for key in keys { offsets[Int(key) + 1] &+= 1 }
        for node in 0..<nodeCount { offsets[node + 1] &+= offsets[node] }
        var cursor = offsets
        var sortedWeights = weights.map { [Double](repeating: 0, count: $0.count) }
        let slots = [Int32](unsafeUninitializedCapacity: keys.count) { buffer, initialized in
            for index in keys.indices {
                let key = Int(keys[index])
                let slot = Int(cursor[key])
                buffer[slot] = values[index]
                if let weights { sortedWeights![slot] = weights[index] }
                cursor[key] &+= 1
            }
            initialized = keys.count
        }
        return (offsets, slots, sortedWeights)
    }
}

/// Why an edge list could not become a `Graph`.
public enum GraphError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The tail and head arrays have different lengths.
    case mismatchedEdgeArrays(sources: Int, destinations: Int)
    /// Edge number `edge` (0-based) names a negative node.
    case negativeNode(edge: Int, node: Int)
    /// Edge number `edge` (0-based) names a node at or beyond the given node count.
    case nodeOutOfRange(edge: Int, node: Int, nodeCount: Int)
    /// The node count is negative or beyond 32-bit ids.
    case nodeCountOutOfRange(Int)
    /// More edges than 32-bit offsets can address.
    case tooManyEdges(Int)
    /// The weight array's length differs from the number of edges.
    case mismatchedWeights(weights: Int, edges: Int)
    /// Edge number `edge` (0-based) has a negative, infinite or NaN weight.
    case invalidWeight(edge: Int, weight: Double)

    public var description: String {
        switch self {
        case let .mismatchedEdgeArrays(sources, destinations):
            "edge arrays differ in length: \(sources) sources, \(destinations) destinations"
        case let .negativeNode(edge, node): "edge \(edge) names negative node \(node)"
        case let .nodeOutOfRange(edge, node, nodeCount): "edge \(edge) names node \(node), but there are \(nodeCount) nodes"
        case let .nodeCountOutOfRange(count): "node count \(count) is out of range"
        case let .tooManyEdges(count): "\(count) edges exceed the 32-bit limit"
        case let .mismatchedWeights(weights, edges): "\(weights) weights for \(edges) edges"
        case let .invalidWeight(edge, weight): "edge \(edge) has weight \(weight); weights must be finite and non-negative"
        }
    }
}
