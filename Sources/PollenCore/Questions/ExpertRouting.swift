import Foundation

/// Chooses whom to suggest asking: people who know the subject, without sending every question to the
/// same few experts.
public enum ExpertRouting {
    /// A suggested person with the reasons, in words.
    public struct Suggestion: Sendable, Equatable {
        public let member: Member.ID
        public let score: Double
        public let reasons: [String]
    }

    /// How much each kind of evidence weighs. Declared expertise is a claim; accepted answers are proof others
    /// found the person helpful, so each weighs more, but with diminishing returns (log) so that a long record
    /// does not swamp everything else; reactions to posts on the subject are the weakest sign.
    static let declaredWeight = 2.0
    static let acceptedWeight = 2.5
    static let answersWeight = 1.0
    static let engagementWeight = 0.5
    static let communityExpertWeight = 2.0
    /// Each routed question still waiting divides the score by (1 + pending × this): an expert with three
    /// unanswered questions counts about half as much, so the next question goes to someone else who knows.
    static let loadPenalty = 0.35

    /// The best `limit` candidates with any evidence, best first.
    public static func rank(_ candidates: [ExpertCandidate], limit: Int = 5) -> [Suggestion] {
        candidates.compactMap { candidate -> Suggestion? in
            var evidence = 0.0
            var reasons: [String] = []
            if !candidate.declared.isEmpty {
                evidence += declaredWeight * Double(candidate.declared.count)
                reasons.append("Lists " + candidate.declared.map { "#\($0)" }.joined(separator: ", ") + " as expertise")
            }
            if candidate.acceptedAnswers > 0 {
                evidence += acceptedWeight * log2(1 + Double(candidate.acceptedAnswers))
                reasons.append(
                    "\(candidate.acceptedAnswers) accepted answer\(candidate.acceptedAnswers == 1 ? "" : "s") on these subjects")
            }
            if candidate.replies > 0 {
                evidence += answersWeight * log2(1 + Double(candidate.replies))
                reasons.append("Answers questions on these subjects")
            }
            if candidate.engagement > 0 {
                evidence += engagementWeight * log2(1 + Double(candidate.engagement))
                if candidate.replies == 0 { reasons.append("Writes about these subjects") }
            }
            if candidate.communityExpert {
                evidence += communityExpertWeight
                reasons.append("Subject-matter expert of the community")
            }
            guard evidence > 0 else { return nil }
            if candidate.pending > 0 {
                reasons.append("\(candidate.pending) question\(candidate.pending == 1 ? "" : "s") already waiting for them")
            }
            return Suggestion(
                member: candidate.member, score: evidence / (1 + loadPenalty * Double(candidate.pending)), reasons: reasons)
        }
        .sorted { $0.score != $1.score ? $0.score > $1.score : $0.member < $1.member }
        .prefix(limit).map { $0 }
    }
}
