import PollenAnalytics
import Testing

/// Expected values are closed-form solutions of the PageRank equations
/// `x[v] = (1 - α)/n + α·(dangling mass)/n + α·Σ_{u→v} x[u]/outdeg(u)`.
@Suite struct PageRankTests {
    let alpha = 0.85

    @Test func aCycleIsUniform() throws {
        let ranks = try graph([(0, 1), (1, 2), (2, 3), (3, 0)]).pageRank()
        #expect(areClose(ranks, [0.25, 0.25, 0.25, 0.25]))
    }

    @Test func aPathEndsInADanglingNode() throws {
        // With c the mass every node receives from jumps and the dangling end: x0 = c, x1 = c(1+α),
        // x2 = c(1+α+α²), and the sum of 1 gives c = 1/(3 + 2α + α²).
        let ranks = try graph([(0, 1), (1, 2)]).pageRank(alpha: alpha, tolerance: 1e-10)
        let c = 1 / (3 + 2 * alpha + alpha * alpha)
        #expect(areClose(ranks, [c, c * (1 + alpha), c * (1 + alpha + alpha * alpha)]))
        #expect(isClose(ranks.reduce(0, +), 1, tolerance: 1e-12))
    }

    @Test func anOutStarHasOnlyDanglingLeaves() throws {
        // Centre: x0 = (1-α)/5 + α(1 - x0)/5, so x0 = 1/(5 + α); the leaves share the rest.
        let ranks = try graph([(0, 1), (0, 2), (0, 3), (0, 4)]).pageRank()
        let centre = 1 / (5 + alpha), leaf = (1 - centre) / 4
        #expect(areClose(ranks, [centre, leaf, leaf, leaf, leaf]))
    }

    @Test func anInStarHasADanglingCentre() throws {
        // Leaf: L = (1-α)/5 + α(1 - 4L)/5, so L = 1/(5 + 4α).
        let ranks = try graph([(1, 0), (2, 0), (3, 0), (4, 0)]).pageRank()
        let leaf = 1 / (5 + 4 * alpha)
        #expect(areClose(ranks, [1 - 4 * leaf, leaf, leaf, leaf, leaf]))
    }

    @Test func parallelEdgesTakeOneShareEach() throws {
        // 0 sends 2/3 of its mass to 1 and 1/3 to 2; both send everything back.
        // x0 = b + α(x1 + x2) = b + α(1 - x0) gives x0 = (b + α)/(1 + α) with b = (1-α)/3.
        let ranks = try graph([(0, 1), (0, 1), (0, 2), (1, 0), (2, 0)]).pageRank()
        let b = (1 - alpha) / 3
        let x0 = (b + alpha) / (1 + alpha)
        #expect(areClose(ranks, [x0, b + alpha * x0 * 2 / 3, b + alpha * x0 / 3]))
    }

    @Test func aSelfLoopKeepsMassAtHome() throws {
        // 0 → 0 and 0 → 1, 1 → 0: x1 = b + α x0/2 and x0 = 1 - x1, so x1 = (b + α/2)/(1 + α/2) with b = (1-α)/2.
        let ranks = try graph([(0, 0), (0, 1), (1, 0)]).pageRank()
        let b = (1 - alpha) / 2
        let x1 = (b + alpha / 2) / (1 + alpha / 2)
        #expect(areClose(ranks, [1 - x1, x1]))
    }

    @Test func threadCountsGiveTheSameScores() throws {
        let g = try randomGraph(nodes: 500, edges: 3000, seed: 5)
        let single = g.pageRank(threads: 1)
        #expect(isClose(single.reduce(0, +), 1, tolerance: 1e-12))
        #expect(g.pageRank(threads: 2) == single)
        #expect(g.pageRank(threads: 7) == single)
    }

    @Test func isolatedNodesOnlyGetTheJump() throws {
        let ranks = try graph([], nodeCount: 3).pageRank()
        #expect(areClose(ranks, [1.0 / 3, 1.0 / 3, 1.0 / 3]))
        #expect(try graph([]).pageRank().isEmpty)
    }
}
