import Foundation

/// Why someone is suggested; a suggestion has one or more.
public enum SuggestionReason: Sendable, Equatable {
    /// Followed by `count` people the viewer follows; `examples` names a few of them.
    case followedByPeopleYouFollow(count: Int, examples: [Member])
    case writesAbout(tag: String)
    /// Replies in threads on the subject: the answers they give.
    case answersIn(tag: String)
    case newHere
    /// From a department the viewer follows nobody in.
    case bridgeTo(department: String)
}

/// One suggested person, with the reasons shown beside them.
public struct Suggestion: Sendable, Equatable {
    public let member: Member
    public var reasons: [SuggestionReason]
    /// From outside the viewer's own and most-followed departments, and not among the most followed: the
    /// quieter voices from elsewhere that keep a network from becoming an echo chamber.
    public let widensNetwork: Bool

    public init(member: Member, reasons: [SuggestionReason], widensNetwork: Bool) {
        self.member = member
        self.reasons = reasons
        self.widensNetwork = widensNetwork
    }
}

/// Orders candidate people for one viewer: by relevance (shared follows, the viewer's subjects, newness),
/// re-ranked for diversity by maximal marginal relevance, and with at least one network-widening person in
/// every five places when any is left. Pure: the use case gathers the candidates.
public struct SuggestionRanker: Sendable {
    public struct Candidate: Sendable {
        public let member: Member
        public let followers: Int
        public var sharedFollows: Int
        /// Subjects of the viewer's this person writes about, with the reactions drawn and replies given.
        public var subjects: [(tag: String, engagement: Int, replies: Int)]
        public var isNew: Bool

        public init(
            member: Member, followers: Int, sharedFollows: Int = 0,
            subjects: [(tag: String, engagement: Int, replies: Int)] = [], isNew: Bool = false
        ) {
            self.member = member
            self.followers = followers
            self.sharedFollows = sharedFollows
            self.subjects = subjects
            self.isNew = isNew
        }
    }

    /// The viewer's own department and the ones they follow most (lower-cased).
    public let familiarDepartments: Set<String>
    /// Departments the viewer follows at least one person in (lower-cased).
    public let followedDepartments: Set<String>
    /// From this many followers on, a member is among the most followed.
    public let popularFollowers: Int
    /// Weight of relevance against similarity to what is already chosen (maximal marginal relevance).
    public var lambda = 0.7
    /// Every this many places hold at least one network-widening person, while any is left.
    public static let diversityEvery = 5
    /// Replies on a subject from which someone is said to answer questions in it.
    static let answersThreshold = 3

    public init(familiarDepartments: Set<String>, followedDepartments: Set<String>, popularFollowers: Int) {
        self.familiarDepartments = familiarDepartments
        self.followedDepartments = followedDepartments
        self.popularFollowers = popularFollowers
    }

    public func widensNetwork(_ candidate: Candidate) -> Bool {
        let department = candidate.member.profile.department.lowercased()
        return !department.isEmpty && !familiarDepartments.contains(department) && !isPopular(candidate)
    }

    func isPopular(_ candidate: Candidate) -> Bool {
        popularFollowers > 0 && candidate.followers >= popularFollowers
    }

    /// How well the candidate fits the viewer, before diversity: shared follows weigh most, then writing and
    /// answering on the viewer's subjects; logarithms keep one very large number from drowning the rest.
    func relevance(_ candidate: Candidate) -> Double {
        Self.relevance(sharedFollows: candidate.sharedFollows, subjects: candidate.subjects, isNew: candidate.isNew)
    }

    /// Relevance from the signals alone, before anything else about the person is read.
    public static func relevance(
        sharedFollows: Int, subjects: [(tag: String, engagement: Int, replies: Int)], isNew: Bool
    ) -> Double {
        var score = log2(1 + Double(sharedFollows))
        if let best = subjects.map({ log2(1 + Double($0.engagement)) }).max() { score += min(best / 2, 3) }
        if let answers = subjects.map({ log2(1 + Double($0.replies)) }).max() { score += min(answers / 2, 2) }
        if isNew { score += 0.8 }
        return score + 0.1
    }

    /// How alike two people are as suggestions: the same department, and both among the most followed.
    func similarity(_ a: Candidate, _ b: Candidate) -> Double {
        let sameDepartment = !a.member.profile.department.isEmpty
            && a.member.profile.department.lowercased() == b.member.profile.department.lowercased()
        return (sameDepartment ? 0.6 : 0) + (isPopular(a) && isPopular(b) ? 0.4 : 0)
    }

    public func rank(_ candidates: [Candidate], limit: Int) -> [Suggestion] {
        guard limit > 0, !candidates.isEmpty else { return [] }
        let relevances = candidates.map(relevance)
        let top = relevances.max() ?? 1
        // Worked out once per candidate: the selection loop below compares numbers, not lower-cased strings
        // (with several hundred candidates, `similarity` against everything chosen took 20–60 ms a request).
        var departmentNumbers: [String: Int] = [:]
        let departments = candidates.map { candidate -> Int in
            let key = candidate.member.profile.department.lowercased()
            guard !key.isEmpty else { return -1 }
            if let number = departmentNumbers[key] { return number }
            departmentNumbers[key] = departmentNumbers.count
            return departmentNumbers.count - 1
        }
        let popular = candidates.map(isPopular)
        let widens = candidates.map(widensNetwork)
        var wideningLeft = widens.count(where: { $0 })
        // Each candidate's greatest similarity to those chosen so far, brought up to date after each pick.
        var penalties = [Double](repeating: 0, count: candidates.count)
        var remaining = Array(candidates.indices)
        var chosen: [Int] = []
        // Network-widening people chosen in the current block of five (a surplus in an earlier block does not
        // excuse a later one).
        var widening = 0
        while chosen.count < limit, !remaining.isEmpty {
            let place = chosen.count + 1
            if (place - 1) % Self.diversityEvery == 0 { widening = 0 }
            // The last place of each block of five goes to a network-widening person if the block has none.
            let needsWidening = place % Self.diversityEvery == 0 && widening == 0 && wideningLeft > 0
            var best: (position: Int, score: Double)?
            for (position, index) in remaining.enumerated() {
                if needsWidening && !widens[index] { continue }
                let score = lambda * relevances[index] / top - (1 - lambda) * penalties[index]
                if best == nil || score > best!.score
                    || (score == best!.score && candidates[index].member.id < candidates[remaining[best!.position]].member.id)
                {
                    best = (position, score)
                }
            }
            guard let pick = best else { break }
            let index = remaining.remove(at: pick.position)
            if widens[index] {
                widening += 1
                wideningLeft -= 1
            }
            chosen.append(index)
            for other in remaining {
                let similarity = (departments[other] >= 0 && departments[other] == departments[index] ? 0.6 : 0)
                    + (popular[other] && popular[index] ? 0.4 : 0)
                if similarity > penalties[other] { penalties[other] = similarity }
            }
        }
        return chosen.map { index in
            let candidate = candidates[index]
            return Suggestion(member: candidate.member, reasons: reasons(candidate), widensNetwork: widens[index])
        }
    }

    func reasons(_ candidate: Candidate) -> [SuggestionReason] {
        var reasons: [SuggestionReason] = []
        if candidate.sharedFollows > 0 {
            reasons.append(.followedByPeopleYouFollow(count: candidate.sharedFollows, examples: []))
        }
        if let writes = candidate.subjects.filter({ $0.engagement > 0 }).max(by: { $0.engagement < $1.engagement }) {
            reasons.append(.writesAbout(tag: writes.tag))
        }
        if let answers = candidate.subjects.filter({ $0.replies >= Self.answersThreshold }).max(by: { $0.replies < $1.replies }) {
            reasons.append(.answersIn(tag: answers.tag))
        }
        if candidate.isNew { reasons.append(.newHere) }
        let department = candidate.member.profile.department
        if !department.isEmpty, !followedDepartments.contains(department.lowercased()),
            !familiarDepartments.contains(department.lowercased())
        {
            reasons.append(.bridgeTo(department: department))
        }
        if reasons.isEmpty, let tag = candidate.subjects.first?.tag { reasons.append(.writesAbout(tag: tag)) }
        return reasons
    }
}
