extension UndirectedGraph {
    /// The bridges: edges whose removal leaves their endpoints in different components.
    ///
    /// Found by Tarjan's low-link depth-first search, run with an explicit stack because real graphs are deep enough
    /// to overflow the call stack. Weights are ignored: a weightless edge is still an edge.
    /// - Returns: each bridge once as `(u, v)` with `u < v`, in ascending order.
    public func bridges() -> [(Int32, Int32)] {
        let n = nodeCount
        var found = [(Int32, Int32)]()
        // Discovery time of each node, -1 while unvisited; low is the earliest discovery time reachable from the
        // node's subtree using one edge that is not the tree edge to its parent.
        var discovery = [Int32](repeating: -1, count: n)
        var low = [Int32](repeating: 0, count: n)
        var parent = [Int32](repeating: -1, count: n)
        // The search path, with the next edge each node on it will try.
        var path = [Int32](), nextEdge = [Int32]()
        var clock: Int32 = 0
        for root in 0..<n where discovery[root] < 0 {
            discovery[root] = clock
            low[root] = clock
            clock += 1
            path.append(Int32(root))
            nextEdge.append(offsets[root])
            while let top = path.last {
                let node = Int(top)
                let edge = Int(nextEdge[nextEdge.count - 1])
                if edge < Int(offsets[node + 1]) {
                    nextEdge[nextEdge.count - 1] += 1
                    let other = Int(neighbours[edge])
                    // Pairs are merged into one edge, so skipping the parent by id skips exactly the tree edge.
                    if other == Int(parent[node]) { continue }
                    if discovery[other] < 0 {
                        discovery[other] = clock
                        low[other] = clock
                        clock += 1
                        parent[other] = Int32(node)
                        path.append(Int32(other))
                        nextEdge.append(offsets[other])
                    } else {
                        low[node] = min(low[node], discovery[other])
                    }
                } else {
                    path.removeLast()
                    nextEdge.removeLast()
                    let up = Int(parent[node])
                    if up >= 0 {
                        low[up] = min(low[up], low[node])
                        if low[node] > discovery[up] { found.append((Int32(min(up, node)), Int32(max(up, node)))) }
                    }
                }
            }
        }
        found.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        return found
    }
}
