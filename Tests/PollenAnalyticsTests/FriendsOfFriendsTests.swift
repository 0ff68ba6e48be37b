import PollenAnalytics
import Testing

@Suite struct FriendsOfFriendsTests {
    /// 0 follows 1 and 2; through them it reaches 3 twice, 4 and 5 once, 2 (already followed) and itself.
    private let edges = [(0, 1), (0, 2), (1, 3), (2, 3), (1, 4), (2, 5), (1, 2), (1, 0), (3, 0), (5, 6)]

    private func pairs(_ list: [Recommendation]) -> [[Int32]] { list.map { [$0.node, $0.paths] } }

    @Test func mostPathsFirstThenLowestId() throws {
        let g = try graph(edges)
        #expect(pairs(g.friendsOfFriends(of: [0], k: 10)[0]) == [[3, 2], [4, 1], [5, 1]])
        // Cut at two, the tie between 4 and 5 goes to the lower id.
        #expect(pairs(g.friendsOfFriends(of: [0], k: 2)[0]) == [[3, 2], [4, 1]])
    }

    @Test func answersKeepTheMembersOrder() throws {
        let g = try graph(edges)
        let lists = g.friendsOfFriends(of: [5, 0, 5, 6], k: 3)
        #expect(lists.count == 4)
        #expect(pairs(lists[0]).isEmpty && pairs(lists[2]).isEmpty && pairs(lists[3]).isEmpty)
        #expect(pairs(lists[1]) == [[3, 2], [4, 1], [5, 1]])
        // 1 follows 3, 4, 2 and 0; of all it reaches through them only 5 is neither itself nor followed.
        #expect(pairs(g.friendsOfFriends(of: [1], k: 5)[0]) == [[5, 1]])
    }

    @Test func parallelEdgesAreMorePaths() throws {
        let g = try graph(edges + [(0, 1)])
        #expect(pairs(g.friendsOfFriends(of: [0], k: 10)[0]) == [[3, 3], [4, 2], [5, 1]])
    }

    @Test func nothingToRecommend() throws {
        let g = try graph(edges)
        #expect(g.friendsOfFriends(of: [0], k: 0) == [[]])
        #expect(g.friendsOfFriends(of: [], k: 4).isEmpty)
    }

    @Test func threadCountsAgree() throws {
        let g = try randomGraph(nodes: 500, edges: 5_000, seed: 4)
        let members = Array(0..<200)
        let one = g.friendsOfFriends(of: members, k: 7, threads: 1)
        #expect(one == g.friendsOfFriends(of: members, k: 7, threads: 2))
        #expect(one.allSatisfy { $0.count == 7 })
        // Each list is ordered: paths descending, then node ascending.
        #expect(one.allSatisfy { list in
            zip(list, list.dropFirst()).allSatisfy { $0.paths > $1.paths || ($0.paths == $1.paths && $0.node < $1.node) }
        })
    }

    /// Against counting every two-path by hand: sparse graphs (few candidates reached twice, so the ranking falls back
    /// to all of them), dense ones (more than k reached twice), k past the sorted-insertion limit, and a member whose
    /// two-paths outgrow the first buffer.
    @Test func matchesCountingEveryTwoPath() throws {
        let cases: [(nodes: Int, edges: Int, k: Int)] = [(300, 600, 5), (200, 6_000, 10), (200, 6_000, 45), (120, 14_000, 3)]
        for (round, shape) in cases.enumerated() {
            let g = try randomGraph(nodes: shape.nodes, edges: shape.edges, seed: UInt64(round + 11))
            let members = Array(stride(from: 0, to: shape.nodes, by: 3))
            let found = g.friendsOfFriends(of: members, k: shape.k)
            for (index, u) in members.enumerated() {
                let followed = Set(g.outTargets[Int(g.outOffsets[u])..<Int(g.outOffsets[u + 1])])
                var paths: [Int32: Int32] = [:]
                for v in g.outTargets[Int(g.outOffsets[u])..<Int(g.outOffsets[u + 1])] {
                    for w in g.outTargets[Int(g.outOffsets[Int(v)])..<Int(g.outOffsets[Int(v) + 1])]
                    where w != Int32(u) && !followed.contains(w) {
                        paths[w, default: 0] += 1
                    }
                }
                let expected = paths.map { Recommendation(node: $0.key, paths: $0.value) }
                    .sorted { $0.paths > $1.paths || ($0.paths == $1.paths && $0.node < $1.node) }
                    .prefix(shape.k)
                #expect(found[index] == Array(expected), "case \(round), member \(u)")
            }
        }
    }
}
