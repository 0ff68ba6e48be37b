import PollenAnalytics
import Testing

@Suite struct ComponentsTests {
    @Test func twoComponentsAndAnIsolatedNode() throws {
        // {0, 1, 2} joined only through edges in opposite directions, {3, 4}, and 5 alone.
        let components = try graph([(0, 1), (2, 1), (4, 3)], nodeCount: 6).weaklyConnectedComponents()
        #expect(components.count == 3)
        #expect(components.componentOf == [0, 0, 0, 1, 1, 2])
        #expect(components.sizes() == [3, 2, 1])
    }

    @Test func numberingFollowsLowestNodeWhateverTheEdgeOrder() throws {
        let components = try graph([(5, 4), (3, 1), (4, 2), (1, 0)]).weaklyConnectedComponents()
        #expect(components.componentOf == [0, 0, 1, 0, 1, 1] && components.count == 2)
    }

    @Test func emptyAndLoopOnlyGraphs() throws {
        let empty = try graph([]).weaklyConnectedComponents()
        #expect(empty.componentOf.isEmpty && empty.count == 0)
        #expect(try graph([(0, 0), (1, 1)]).weaklyConnectedComponents().count == 2)
    }

    /// Sampling skips most edges of the largest component; every other edge must still join what it joins.
    /// Random graphs with a giant component, small ones and chains reached only through later edges, against a
    /// plain breadth-first search.
    @Test func matchesABreadthFirstSearchOnRandomGraphs() throws {
        var state: UInt64 = 12345
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        for round in 0..<40 {
            let n = 20 + next(200)
            var edges: [(Int, Int)] = []
            // A giant part in one half, sparse pairs and chains in the other; on odd rounds the giant part has the
            // higher ids and a few stragglers join it, so the largest component's root moves to a lower node mid-way.
            let giant = round % 2 == 0 ? 0 : n / 2, rest = n / 2 - giant
            for _ in 0..<(n * 2) { edges.append((giant + next(n / 2), giant + next(n / 2))) }
            for _ in 0..<(n / 4 + round) { edges.append((rest + next(n / 2), rest + next(n / 2))) }
            if round % 2 == 1 {
                for _ in 0..<3 {
                    let straggler = rest + next(n / 2), member = giant + next(n / 2)
                    edges.append(next(2) == 0 ? (straggler, member) : (member, straggler))
                }
            }
            let graph = try graph(edges, nodeCount: n)
            var neighbours = [[Int]](repeating: [], count: n)
            for (a, b) in edges { neighbours[a].append(b); neighbours[b].append(a) }
            var expected = [Int32](repeating: -1, count: n)
            var count: Int32 = 0
            for start in 0..<n where expected[start] < 0 {
                expected[start] = count
                var queue = [start]
                while let node = queue.popLast() {
                    for other in neighbours[node] where expected[other] < 0 { expected[other] = count; queue.append(other) }
                }
                count += 1
            }
            let found = graph.weaklyConnectedComponents()
            #expect(found.componentOf == expected, "round \(round)")
            #expect(found.count == Int(count))
        }
    }
}
