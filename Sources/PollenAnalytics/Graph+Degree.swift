extension Graph {
    /// Number of edges leaving `node`, parallel edges and self-loops included.
    public func outDegree(_ node: Int) -> Int { Int(outOffsets[node + 1] - outOffsets[node]) }

    /// Number of edges entering `node`, parallel edges and self-loops included.
    public func inDegree(_ node: Int) -> Int { Int(inOffsets[node + 1] - inOffsets[node]) }

    /// Out-degree of every node, indexed by node id.
    public func outDegrees() -> [Int] { (0..<nodeCount).map(outDegree) }

    /// In-degree of every node, indexed by node id.
    public func inDegrees() -> [Int] { (0..<nodeCount).map(inDegree) }

    /// Heads of `node`'s outgoing edges, in edge order.
    public func successors(of node: Int) -> ArraySlice<Int32> { outTargets[Int(outOffsets[node])..<Int(outOffsets[node + 1])] }

    /// Tails of `node`'s incoming edges, in edge order.
    public func predecessors(of node: Int) -> ArraySlice<Int32> { inSources[Int(inOffsets[node])..<Int(inOffsets[node + 1])] }
}
