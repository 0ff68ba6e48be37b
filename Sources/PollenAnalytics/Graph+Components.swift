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
            for tail in 0..<n {
                for edge in Int(outOffsets[tail])..<Int(outOffsets[tail + 1]) {
                    let a = root(Int32(tail)), b = root(outTargets[edge])
                    if a < b { parent[Int(b)] = a } else if b < a { parent[Int(a)] = b }
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
