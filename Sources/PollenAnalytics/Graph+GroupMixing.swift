/// How a graph's ties fall within and between groups (departments), with Krackhardt and Stern's E-I index.
///
/// An edge with both ends in group g is internal to g; an edge with exactly one end in g is external for g, and so
/// counts for both groups it joins. Self-loops are ignored. A node whose group is negative belongs to no group: it
/// is never reported, its edges are internal to nobody, and an edge between it and a member of g is external for g.
/// Counts are edge weights when the graph is weighted, numbers of edges otherwise.
public struct GroupMixing: Sendable, Equatable {
    /// Number of nodes in each group.
    public let sizes: [Int]
    /// Weight of the edges inside each group.
    public let internalTies: [Double]
    /// Weight of the edges between each group and the rest of the graph, in both directions.
    public let externalTies: [Double]
    /// `(E − I) / (E + I)` per group, from −1 (all ties inside) to +1 (all ties outside); nil for a group without ties.
    public let ei: [Double?]
    /// The E-I index a group would have if its members tied to the other `N − 1` nodes at random:
    /// `((N − n) − (n − 1)) / (N − 1)` for a group of `n` among all `N` nodes (ungrouped nodes included, since
    /// ties to them are external). Nil when `N < 2` or the group is empty.
    public let expectedEI: [Double?]
    /// The E-I index of the whole graph: edges between different groups (or touching an ungrouped node) against
    /// edges inside a group, each edge once; nil without edges.
    public let overallEI: Double?
    /// `ties[g][h]`: weight of the edges from a member of `g` to a member of `h`; `ties[g][g]` is `internalTies[g]`.
    public let ties: [[Double]]
}

extension Graph {
    /// Ties within and between groups; see `GroupMixing`.
    ///
    /// - Parameters:
    ///   - groups: the group of each node, in `0..<groupCount`, or negative for none.
    ///   - groupCount: the number of groups, so groups without members are still reported.
    public func groupMixing(groups: [Int32], groupCount: Int) -> GroupMixing {
        precondition(groups.count == nodeCount, "one group per node")
        precondition(groupCount >= 0 && groups.allSatisfy { Int($0) < groupCount }, "groups must lie below groupCount")
        var sizes = [Int](repeating: 0, count: groupCount)
        for group in groups where group >= 0 { sizes[Int(group)] += 1 }
        // Flat while counting; ties to and from ungrouped nodes are kept apart, since they are no cell of the matrix.
        var matrix = [Double](repeating: 0, count: groupCount * groupCount)
        var ungroupedTies = [Double](repeating: 0, count: groupCount)
        var internalTotal = 0.0, externalTotal = 0.0
        for tail in 0..<nodeCount {
            let tailGroup = Int(groups[tail])
            for slot in Int(outOffsets[tail])..<Int(outOffsets[tail + 1]) {
                let head = Int(outTargets[slot])
                if head == tail { continue }
                let weight = outWeights?[slot] ?? 1
                let headGroup = Int(groups[head])
                if tailGroup >= 0 && headGroup >= 0 {
                    matrix[tailGroup * groupCount + headGroup] += weight
                } else if tailGroup >= 0 {
                    ungroupedTies[tailGroup] += weight
                } else if headGroup >= 0 {
                    ungroupedTies[headGroup] += weight
                }
                if tailGroup >= 0 && tailGroup == headGroup { internalTotal += weight } else { externalTotal += weight }
            }
        }
        var internalTies = [Double](repeating: 0, count: groupCount)
        var externalTies = ungroupedTies
        for g in 0..<groupCount {
            internalTies[g] = matrix[g * groupCount + g]
            for h in 0..<groupCount where h != g {
                externalTies[g] += matrix[g * groupCount + h] + matrix[h * groupCount + g]
            }
        }
        let n = nodeCount
        return GroupMixing(
            sizes: sizes, internalTies: internalTies, externalTies: externalTies,
            ei: (0..<groupCount).map { eiIndex(external: externalTies[$0], internal: internalTies[$0]) },
            expectedEI: sizes.map { size in
                guard n >= 2, size > 0 else { return nil }
                return Double((n - size) - (size - 1)) / Double(n - 1)
            },
            overallEI: eiIndex(external: externalTotal, internal: internalTotal),
            ties: (0..<groupCount).map { Array(matrix[($0 * groupCount)..<(($0 + 1) * groupCount)]) })
    }
}

private func eiIndex(external: Double, internal inside: Double) -> Double? {
    external + inside > 0 ? (external - inside) / (external + inside) : nil
}
