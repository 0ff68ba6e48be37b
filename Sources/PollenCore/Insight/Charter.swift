import Foundation

/// The five ways people take part in a community. They overlap: one person reads, answers and welcomes.
public enum ParticipationRole: String, Sendable, CaseIterable, Codable, CodingKeyRepresentable {
    case consumer, creator, connector, carrier, caretaker

    public var title: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }

    /// The rule, as the page states it.
    public var rule: String {
        switch self {
        case .consumer: "read an item for the first time, saved one, rated one or voted on an answer"
        case .creator: "published an item (discussion, article, wiki page, resource), asked a question or answered one"
        case .connector:
            "introduced people who then worked together (forwarded a question to someone who answered it), or linked "
                + "people of different departments who have no direct tie (Gould–Fernandez brokerage across departments)"
        case .carrier:
            "forwarded a question to someone in another department, or reshared a fellow member's post from a "
                + "department other than the author's"
        case .caretaker:
            "moderated or looked after content (review decisions, policies, health marks, featuring), welcomed a "
                + "newcomer by commenting on or answering their first month's contributions, or gave the first answer "
                + "to a question left unanswered for a week"
        }
    }
}

/// A community's own statement of what it is for and how it will look at itself.
public struct CommunityCharter: Sendable, Equatable {
    /// A measure the community chose, with the value it hopes for if it set one.
    public struct Choice: Sendable, Equatable, Codable {
        public var measure: MeasureKind
        public var target: Double?

        public init(measure: MeasureKind, target: Double? = nil) {
            self.measure = measure
            self.target = target
        }
    }

    public let community: Community.ID
    /// Percent of active members the community hopes to see in each role (0–100; roles overlap, so no sum).
    public var targetProfile: [ParticipationRole: Double]
    public var measures: [Choice]
    public var updatedBy: Member.ID?
    public var updatedAt: Date

    public init(
        community: Community.ID, targetProfile: [ParticipationRole: Double] = [:], measures: [Choice] = [],
        updatedBy: Member.ID? = nil, updatedAt: Date
    ) {
        self.community = community
        self.targetProfile = targetProfile
        self.measures = measures
        self.updatedBy = updatedBy
        self.updatedAt = updatedAt
    }

    /// Choices that make a raw activity count a target — each gets the warning.
    public var countTargets: [Choice] { measures.filter { $0.target != nil && $0.measure.isRawActivityCount } }

    /// Why a count makes a poor target, shown wherever one is set.
    public static let countTargetWarning =
        "An activity count makes a poor target. Once a number of posts, reads or active people becomes the goal, "
        + "people produce activity to reach it — posting for the sake of posting, answering to be seen — and the count "
        + "stops telling you whether the community helps anyone; collaboration suffers. Watch counts to learn from "
        + "their trend, and set hopes on outcomes such as time to first answer or cross-unit reach."
}

/// The measures a community can pick from.
public enum MeasureKind: String, Sendable, CaseIterable, Codable {
    case participationRate = "participation_rate"
    case timeToFirstAnswer = "time_to_first_answer"
    case answeredShare = "answered_share"
    case crossUnitReach = "cross_unit_reach"
    case contentReuse = "content_reuse"
    case newContributors = "new_contributors"
    case valueStories = "value_stories"
    case activeMembers = "active_members"
    case contributions
    case reads

    public enum Unit: String, Sendable, Codable {
        case percent, hours, count
    }

    public var title: String {
        switch self {
        case .participationRate: "Participation"
        case .timeToFirstAnswer: "Time to first answer"
        case .answeredShare: "Questions answered"
        case .crossUnitReach: "Cross-unit reach"
        case .contentReuse: "Content reuse"
        case .newContributors: "New contributors"
        case .valueStories: "Value stories"
        case .activeMembers: "Active members"
        case .contributions: "Contributions"
        case .reads: "Reads"
        }
    }

    public var explanation: String {
        switch self {
        case .participationRate: "Share of the community's members who did anything in it that week (read, wrote, answered, looked after)."
        case .timeToFirstAnswer: "Median hours from asking to the first answer, for the questions asked that week."
        case .answeredShare: "Share of the questions asked that week that had an answer within seven days."
        case .crossUnitReach: "Share of the week's interactions (comments, answers, forwards, reshares of fellow members' posts) between people of different departments."
        case .contentReuse: "Share of the week's first reads that went to items published more than 30 days earlier: knowledge that keeps serving."
        case .newContributors: "People who contributed to the community for the first time that week."
        case .valueStories: "Value-creation stories recorded about the community that week: what its knowledge changed for someone."
        case .activeMembers: "People who did anything in the community that week. A raw count."
        case .contributions: "Items, comments, questions and answers published that week. A raw count."
        case .reads: "First reads of the community's items that week. A raw count."
        }
    }

    public var unit: Unit {
        switch self {
        case .participationRate, .answeredShare, .crossUnitReach, .contentReuse: .percent
        case .timeToFirstAnswer: .hours
        case .newContributors, .valueStories, .activeMembers, .contributions, .reads: .count
        }
    }

    /// Counts of activity: useful to watch, harmful as targets.
    public var isRawActivityCount: Bool {
        switch self {
        case .activeMembers, .contributions, .reads: true
        default: false
        }
    }
}
