/// A partition of a graph's nodes into components.
public struct Components: Sendable, Equatable {
    /// Component id of each node, indexed by node id. Ids run over `0..<count`, numbered in order of each
    /// component's lowest node, so the result does not depend on edge order.
    public let componentOf: [Int32]
    /// Number of components; an isolated node is a component of its own.
    public let count: Int

    /// Number of nodes in each component, indexed by component id.
    public func sizes() -> [Int] {
        var sizes = [Int](repeating: 0, count: count)
        for component in componentOf { sizes[Int(component)] += 1 }
        return sizes
    }
}

extension Graph {
    /// Weakly connected components: nodes joined by edges in either direction share a component.
    public func weaklyConnectedComponents() -> Components {
        let n = nodeCount
        // Union-find parents, turned into component ids in place at the end (no second array to allocate and fault in).
        var parent = [Int32](unsafeUninitializedCapacity: n) { buffer, initialized in
            for node in 0..<n { buffer[node] = Int32(node) }
            initialized = n
        }
        var count: Int32 = 0
        // Raw buffers: the loops below are a few instructions each, and bounds checks were a third of them.
        outOffsets.withUnsafeBufferPointer { outOffsets in
        outTargets.withUnsafeBufferPointer { outTargets in
        inOffsets.withUnsafeBufferPointer { inOffsets in
        inSources.withUnsafeBufferPointer { inSources in
        parent.withUnsafeMutableBufferPointer { parent in
            // Path halving keeps trees shallow without recursion; linking the larger root under the smaller keeps
            // every parent at or below its node, which the numbering at the end relies on.
            func root(_ node: Int32) -> Int32 {
                var node = node
                while parent[Int(node)] != node {
                    parent[Int(node)] = parent[Int(parent[Int(node)])]
                    node = parent[Int(node)]
                }
                return node
            }
            func link(_ a: Int32, _ b: Int32) {
                let a = root(a), b = root(b)
                if a < b { parent[Int(b)] = a } else if b < a { parent[Int(a)] = b }
            }
            // Sampling first (the idea of Afforest): linking each node to one neighbour already joins nearly all of a
            // social graph's giant component. Then only nodes outside the largest component so far need their edges
            // read: an edge between two nodes already in it changes nothing, and every other edge has an end outside
            // it and is read from that end. The sample takes each node's first in-neighbour, because building the
            // graph wrote the in-edge array last, so it is the likelier one to be still in cache (measured on the
            // 20k reference graph in a fresh process: 0.11 ms against 0.28 ms for out-neighbours). Reads about n
            // edges instead of m: 8.8 → 1.0 ms on the 100k-node, 3M-edge reference graph.
            for node in 0..<n where inOffsets[node] < inOffsets[node + 1] {
                link(Int32(node), inSources[Int(inOffsets[node])])
            }
            // The largest component so far, by a majority vote over about a thousand evenly spaced nodes (no
            // dictionary or sort: their first use in a process cost more than the rest of the sampling). Which one is
            // picked only decides how much is skipped, never the result.
            var largest: Int32 = -1, votes = 0
            for node in stride(from: 0, to: n, by: max(1, n / 1024)) {
                let candidate = root(Int32(node))
                if votes == 0 { (largest, votes) = (candidate, 1) } else { votes += candidate == largest ? 1 : -1 }
            }
            // A node joined to the largest component since the vote is skipped too: its edges either lead into that
            // component as well, or are read from their other end, which is not in it. Linking can give that
            // component a lower root, so the root is followed after every node that is read.
            for node in 0..<n where root(Int32(node)) != largest {
                for edge in Int(outOffsets[node])..<Int(outOffsets[node + 1]) { link(Int32(node), outTargets[edge]) }
                let inStart = Int(inOffsets[node]), inEnd = Int(inOffsets[node + 1])
                if inStart + 1 < inEnd { for edge in (inStart + 1)..<inEnd { link(Int32(node), inSources[edge]) } }
                if largest >= 0 { largest = root(largest) }
            }
            // Numbering in node order: a node's parent is below it and was numbered already, so its slot holds the
            // component id, while the node's own slot still holds its parent. Roots are each component's lowest node,
            // so ids follow the order of components' lowest nodes.
            var next: Int32 = 0
            for node in 0..<n {
                let up = Int(parent[node])
                if up == node {
                    parent[node] = next
                    next += 1
                } else {
                    parent[node] = parent[up]
                }
            }
            count = next
        }
        }
        }
        }
        }
        return Components(componentOf: parent, count: Int(count))
    }
}
