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
        var parent = [Int32](unsafeUninitializedCapacity: n) { buffer, initialized in
            for node in 0..<n { buffer[node] = Int32(node) }
            initialized = n
        }
        // Raw buffers: the loops below are a few instructions each, and bounds checks were a third of them.
        outOffsets.withUnsafeBufferPointer { outOffsets in
        outTargets.withUnsafeBufferPointer { outTargets in
        inOffsets.withUnsafeBufferPointer { inOffsets in
        inSources.withUnsafeBufferPointer { inSources in
        parent.withUnsafeMutableBufferPointer { parent in
            // Path halving keeps trees shallow without recursion; linking the larger root under the smaller keeps
            // every root its component's lowest node, which the numbering below relies on.
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
            // Sampling first (the idea of Afforest): one out- and one in-neighbour per node already joins nearly all
            // of a social graph's giant component. Then only nodes outside the largest component so far need their
            // other edges: an edge between two nodes already in it changes nothing, and every other edge has an end
            // outside it and is read from that end (out-edges from the tail, in-edges from the head). Reads about
            // 2n edges instead of m: 8.8 → 2.8 ms on the 100k-node, 3M-edge reference graph, 1.7 → 0.6 ms on the 20k one.
            for node in 0..<n {
                if outOffsets[node] < outOffsets[node + 1] { link(Int32(node), outTargets[Int(outOffsets[node])]) }
                if inOffsets[node] < inOffsets[node + 1] { link(Int32(node), inSources[Int(inOffsets[node])]) }
            }
            // The largest component so far, from a sample of about a thousand evenly spaced nodes: which one is
            // picked only decides how much is skipped, never the result.
            var seen: [Int32: Int] = [:]
            for node in stride(from: 0, to: n, by: max(1, n / 1024)) { seen[root(Int32(node)), default: 0] += 1 }
            let largest = seen.max { ($0.value, -$0.key) < ($1.value, -$1.key) }?.key ?? -1
            // A node joined to the largest component since the sample is skipped too: its other edges either lead
            // into that component as well, or are read from their other end, which is not in it.
            for node in 0..<n where root(Int32(node)) != largest {
                let start = Int(outOffsets[node]), end = Int(outOffsets[node + 1])
                if start + 1 < end { for edge in (start + 1)..<end { link(Int32(node), outTargets[edge]) } }
                let inStart = Int(inOffsets[node]), inEnd = Int(inOffsets[node + 1])
                if inStart + 1 < inEnd { for edge in (inStart + 1)..<inEnd { link(Int32(node), inSources[edge]) } }
            }
        }
        }
        }
        }
        }
        var componentOf = [Int32](repeating: 0, count: n)
        var count: Int32 = 0
        for node in 0..<n {
            // Roots are lowest nodes, so a node's root was numbered before it (or is the node itself).
            var root = Int(parent[node])
            while Int(parent[root]) != root { root = Int(parent[root]) }
            if root == node {
                componentOf[node] = count
                count += 1
            } else {
                componentOf[node] = componentOf[root]
            }
        }
        return Components(componentOf: componentOf, count: Int(count))
    }
}
