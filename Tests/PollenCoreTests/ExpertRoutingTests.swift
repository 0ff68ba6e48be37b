import Foundation
import PollenCore
import Testing

private func candidate(
    _ id: Int64, declared: [String] = [], accepted: Int = 0, engagement: Int = 0, replies: Int = 0, communityExpert: Bool = false,
    pending: Int = 0
) -> ExpertCandidate {
    var candidate = ExpertCandidate(member: Member.ID(id))
    candidate.declared = declared
    candidate.acceptedAnswers = accepted
    candidate.engagement = engagement
    candidate.replies = replies
    candidate.communityExpert = communityExpert
    candidate.pending = pending
    return candidate
}

private func ids(_ suggestions: [ExpertRouting.Suggestion]) -> [Int64] { suggestions.map(\.member.rawValue) }

/// The one suggestion for a lone candidate.
private func only(_ c: ExpertCandidate) throws -> ExpertRouting.Suggestion {
    let ranked = ExpertRouting.rank([c])
    #expect(ranked.count == 1)
    return try #require(ranked.first)
}

/// The ranker's arithmetic, written out by hand from the weights its documentation states: declared 2 per tag,
/// accepted 2.5 × log2(1 + n), answers 1 × log2(1 + n), engagement 0.5 × log2(1 + n), community expert 2, and the
/// whole divided by 1 + 0.35 × pending. Numbers are chosen so the logarithms come out whole.
@Suite struct ExpertRoutingTests {
    @Test func eachKindOfEvidenceWeighsWhatTheDocumentationSays() throws {
        // 2 × 1
        #expect(try only(candidate(1, declared: ["swift"])).score == 2.0)
        // 2 × 2: every declared tag of the question counts
        #expect(try only(candidate(1, declared: ["swift", "ios"])).score == 4.0)
        // 2.5 × log2(1 + 3) = 5
        #expect(try only(candidate(1, accepted: 3)).score == 5.0)
        // 2.5 × log2(1 + 1) = 2.5
        #expect(try only(candidate(1, accepted: 1)).score == 2.5)
        // 1 × log2(1 + 7) = 3
        #expect(try only(candidate(1, replies: 7)).score == 3.0)
        // 0.5 × log2(1 + 15) = 2
        #expect(try only(candidate(1, engagement: 15)).score == 2.0)
        #expect(try only(candidate(1, communityExpert: true)).score == 2.0)
    }

    @Test func evidenceAddsUpAndPendingQuestionsDivideIt() throws {
        // 4 (two tags) + 5 (three accepted) + 1 (one answer) + 1.5 (seven reactions) + 2 (community expert) = 13.5
        let strong = candidate(1, declared: ["swift", "ios"], accepted: 3, engagement: 7, replies: 1, communityExpert: true)
        #expect(try only(strong).score == 13.5)

        var busy = strong
        busy.pending = 2
        // 13.5 / (1 + 0.35 × 2) = 13.5 / 1.7
        #expect(abs(try only(busy).score - 13.5 / 1.7) < 1e-9)
        busy.pending = 4
        // 13.5 / 2.4 = 5.625
        #expect(abs(try only(busy).score - 5.625) < 1e-9)
    }

    @Test func candidatesWithoutEvidenceAreDroppedWhateverTheirLoad() {
        let ranked = ExpertRouting.rank([
            candidate(1), candidate(2, pending: 4), candidate(3, declared: ["swift"]), candidate(4, accepted: 0, engagement: 0),
        ])
        #expect(ids(ranked) == [3])
        #expect(ExpertRouting.rank([candidate(5), candidate(6, pending: 1)]).isEmpty)
    }

    @Test func atMostFiveAndTheBestFive() {
        // Scores rise with the id: accepted answers 1…8, so the best five are 8, 7, 6, 5, 4 whatever the input order.
        let candidates = [3, 8, 1, 6, 4, 2, 7, 5].map { candidate(Int64($0), accepted: $0) }
        #expect(ids(ExpertRouting.rank(candidates)) == [8, 7, 6, 5, 4])
        #expect(ids(ExpertRouting.rank(candidates, limit: 2)) == [8, 7])
        #expect(ExpertRouting.rank(candidates, limit: 20).count == 8)
    }

    @Test func equalScoresAreOrderedByMemberID() {
        let ranked = ExpertRouting.rank([
            candidate(7, declared: ["swift"]), candidate(3, communityExpert: true), candidate(5, engagement: 15),
            candidate(4, accepted: 3),
        ])
        // 4 scores 5; 3, 5 and 7 score 2 each.
        #expect(ids(ranked) == [4, 3, 5, 7])
        #expect(ranked.map(\.score) == [5, 2, 2, 2])
    }

    @Test func theLoadSpreadsToAnEqualExpertButNotPastAClearlyStrongerOne() {
        // Two equal experts: the one with three questions waiting goes below the one with none (2 / 2.05 < 2).
        let waiting = ExpertRouting.rank([candidate(1, declared: ["rota"], pending: 3), candidate(2, declared: ["rota"])])
        #expect(ids(waiting) == [2, 1])
        #expect(abs(waiting[1].score - 2.0 / 2.05) < 1e-9)

        // Without the load, the lower id would have come first.
        #expect(ids(ExpertRouting.rank([candidate(1, declared: ["rota"]), candidate(2, declared: ["rota"])])) == [1, 2])

        // A clearly stronger expert with one question waiting still comes first: (2 + 5) / 1.35 ≈ 5.19 > 2.
        let stronger = ExpertRouting.rank([
            candidate(2, declared: ["rota"]), candidate(9, declared: ["rota"], accepted: 3, pending: 1),
            candidate(1, declared: ["rota"], pending: 3),
        ])
        #expect(ids(stronger) == [9, 2, 1])
        #expect(abs(stronger[0].score - 7.0 / 1.35) < 1e-9)
    }

    @Test func reasonsAreInWords() throws {
        let all = try only(candidate(1, declared: ["swift", "ios"], accepted: 3, engagement: 7, replies: 2, communityExpert: true, pending: 2))
        #expect(all.reasons == [
            "Lists #swift, #ios as expertise",
            "3 accepted answers on these subjects",
            "Answers questions on these subjects",
            "Subject-matter expert of the community",
            "2 questions already waiting for them",
        ])

        // One of each, in the singular; writing without answering says so.
        let single = try only(candidate(2, declared: ["rota"], accepted: 1, engagement: 4, pending: 1))
        #expect(single.reasons == [
            "Lists #rota as expertise",
            "1 accepted answer on these subjects",
            "Writes about these subjects",
            "1 question already waiting for them",
        ])

        // Nothing said of a load that is not there.
        #expect(try only(candidate(3, replies: 1)).reasons == ["Answers questions on these subjects"])
    }
}
