import Foundation

/// The five cycles of value creation in networks and communities (Wenger, Trayner & de Laat, 2011), in the
/// order a story usually travels: from what an interaction was worth at once to how it changed what counts.
public enum ValueCycle: String, Sendable, CaseIterable, Codable, Comparable {
    case immediate, potential, applied, realized, reframing

    public var label: String {
        switch self {
        case .immediate: "Immediate value"
        case .potential: "Potential value"
        case .applied: "Applied value"
        case .realized: "Realized value"
        case .reframing: "Reframing value"
        }
    }

    /// What the cycle means, in one line.
    public var meaning: String {
        switch self {
        case .immediate: "Activities and interactions worth something in themselves: a useful answer, help when it was needed."
        case .potential: "Knowledge capital for later: skills, information, contacts, confidence or resources gained."
        case .applied: "Changes in practice: that knowledge capital put to use — doing something differently."
        case .realized: "Changes in performance: what the new practice achieved — time saved, errors avoided, results."
        case .reframing: "Changes in what counts as success: new goals, criteria or ways of seeing, for people or the organization."
        }
    }

    /// The question the story form asks for this step.
    public var question: String {
        switch self {
        case .immediate: "What happened, and what was it worth at the time?"
        case .potential: "What did you gain that you could use later — knowledge, a contact, confidence, a resource?"
        case .applied: "What did you do differently because of it?"
        case .realized: "What difference did that make — in time, quality, cost or results?"
        case .reframing: "Did it change how you or others think about success, or what matters?"
        }
    }

    public static func < (a: ValueCycle, b: ValueCycle) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// One step of a value story: what happened in one cycle, and what it came from.
public struct ValueStep: Sendable, Equatable {
    public var cycle: ValueCycle
    /// Markdown, rendered like a post.
    public var narrative: String
    /// Posts, community items, questions, answers and people (`profile`) the step came from.
    public var links: [ContentRef]

    public init(cycle: ValueCycle, narrative: String, links: [ContentRef] = []) {
        self.cycle = cycle
        self.narrative = narrative
        self.links = links
    }
}

/// A member's account of the value that came from the network, in steps (one per cycle, not all needed).
/// It belongs to a community (read by whoever may read the community) or to the organization.
public struct ValueStory: Sendable, Equatable, Identifiable {
    public typealias ID = EntityID<ValueStory>

    public let id: ID
    public let authorID: Member.ID
    public var communityID: Community.ID?
    public var title: String
    /// In cycle order, each cycle at most once.
    public var steps: [ValueStep]
    /// Set when a moderator took the story out of view (through a flag's case).
    public var withholding: Withholding?
    public let createdAt: Date
    public var updatedAt: Date

    public init(
        id: ID, authorID: Member.ID, communityID: Community.ID?, title: String, steps: [ValueStep], withholding: Withholding? = nil,
        createdAt: Date, updatedAt: Date? = nil
    ) {
        self.id = id
        self.authorID = authorID
        self.communityID = communityID
        self.title = title
        self.steps = steps
        self.withholding = withholding
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
    }

    public var cycles: [ValueCycle] { steps.map(\.cycle) }

    public func step(_ cycle: ValueCycle) -> ValueStep? { steps.first { $0.cycle == cycle } }
}

/// A member's "this was useful" on a community item, an answer or a post. A month and three months later the
/// member is asked whether they used it, which is how potential value is followed to applied value.
public struct UsefulMark: Sendable, Equatable, Identifiable {
    public typealias ID = EntityID<UsefulMark>

    /// The member's answer to a prompt.
    public enum Outcome: String, Sendable, Codable, CaseIterable {
        case notUsed = "not_used"
        case used
        /// Used, and told as a value story.
        case story

        public var label: String {
            switch self {
            case .notUsed: "Not used"
            case .used: "Used it"
            case .story: "Used it, and told the story"
            }
        }

        /// Whether the answer says the marked thing was put to use.
        public var isUse: Bool { self != .notUsed }
    }

    public let id: ID
    public let memberID: Member.ID
    public let target: ContentRef
    /// The community of the marked content (an item's, an answer's question's), for the community's matrix.
    public let communityID: Community.ID?
    public let createdAt: Date
    /// Prompts sent so far (0, 1 or 2).
    public var promptsSent: Int
    /// When the next prompt is due; nil once none is left (both sent, or the member answered).
    public var nextPromptAt: Date?
    public var outcome: Outcome?
    public var note: String
    public var answeredAt: Date?

    public init(
        id: ID, memberID: Member.ID, target: ContentRef, communityID: Community.ID?, createdAt: Date, promptsSent: Int = 0,
        nextPromptAt: Date?, outcome: Outcome? = nil, note: String = "", answeredAt: Date? = nil
    ) {
        self.id = id
        self.memberID = memberID
        self.target = target
        self.communityID = communityID
        self.createdAt = createdAt
        self.promptsSent = promptsSent
        self.nextPromptAt = nextPromptAt
        self.outcome = outcome
        self.note = note
        self.answeredAt = answeredAt
    }
}

/// What a community's value matrix counts, each under one cycle.
public enum ValueIndicator: Hashable, Sendable {
    /// Members who wrote, answered or commented in the community.
    case activeMembers
    case answers
    case comments
    case favourites
    case usefulMarks
    case resources
    /// Answers "used it" (or "told the story") to the prompts about marked content.
    case usedIt
    /// Stories of the community with a step in the cycle.
    case stories(ValueCycle)

    public var cycle: ValueCycle {
        switch self {
        case .activeMembers, .answers, .comments: .immediate
        case .favourites, .usefulMarks, .resources: .potential
        case .usedIt: .applied
        case .stories(let cycle): cycle
        }
    }

    public var label: String {
        switch self {
        case .activeMembers: "Members who wrote, answered or commented"
        case .answers: "Answers given to the community's questions"
        case .comments: "Comments and replies"
        case .favourites: "Items saved as favourites"
        case .usefulMarks: "Marked useful"
        case .resources: "Resources shared"
        case .usedIt: "“Used it” answers to value prompts"
        case .stories(let cycle): "Stories with \([.immediate, .applied].contains(cycle) ? "an" : "a") \(cycle.rawValue) step"
        }
    }

    /// The indicators in the order the matrix shows them.
    public static let all: [ValueIndicator] =
        [.activeMembers, .answers, .comments, .stories(.immediate), .favourites, .usefulMarks, .resources, .stories(.potential),
         .usedIt, .stories(.applied), .stories(.realized), .stories(.reframing)]
}

public protocol ValueRepository: Sendable {
    func insertStory(_ story: ValueStory) async throws
    /// Replaces the story's title, community, steps and links.
    func updateStory(_ story: ValueStory) async throws
    func deleteStory(_ id: ValueStory.ID) async throws
    func story(id: ValueStory.ID) async throws -> ValueStory?
    /// Newest first: stories of the organization, and of communities `viewer` may read (every community when
    /// `readsEveryCommunity`), optionally of one community; those out of view only when `viewer` wrote them.
    func stories(
        visibleTo viewer: Member.ID, readsEveryCommunity: Bool, community: Community.ID?, before: ValueStory.ID?, limit: Int
    ) async throws -> [ValueStory]
    /// The community's stories in view, newest first.
    func stories(in community: Community.ID, limit: Int) async throws -> [ValueStory]
    /// Stories with a step linking to one of `targets`, newest first, with the target each links.
    func stories(linking targets: [ContentRef], limit: Int) async throws -> [(target: ContentRef, story: ValueStory)]

    /// `false` when the member has marked the target already.
    func insertMark(_ mark: UsefulMark) async throws -> Bool
    /// `false` when there was no mark.
    func deleteMark(of member: Member.ID, on target: ContentRef) async throws -> Bool
    func mark(id: UsefulMark.ID) async throws -> UsefulMark?
    func marks(of member: Member.ID, on targets: [ContentRef]) async throws -> [ContentRef: UsefulMark]
    /// The member's marks, newest first.
    func marks(of member: Member.ID, limit: Int) async throws -> [UsefulMark]
    /// Marks whose next prompt is due at `now`, the longest due first.
    func marksDue(at now: Date, limit: Int) async throws -> [UsefulMark]
    /// Records that prompt number `number` went out (the next due at `next`, or none), unless the mark changed
    /// since it was read with `sent` prompts (another server sent it, or the member answered): `false` then.
    func recordPrompt(_ mark: UsefulMark.ID, sent: Int, number: Int, next: Date?) async throws -> Bool
    func answerPrompt(_ mark: UsefulMark.ID, outcome: UsefulMark.Outcome, note: String, at: Date) async throws

    /// The community's indicators: counted since `since`, and over all time.
    func indicators(community: Community.ID, since: Date) async throws -> [ValueIndicator: (recent: Int, allTime: Int)]
}
