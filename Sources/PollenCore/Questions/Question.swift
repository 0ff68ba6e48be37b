import Foundation

/// A question asked to one's followers, a community, named colleagues, or any mix of them.
public struct Question: Sendable, Equatable, Identifiable {
    public typealias ID = EntityID<Question>

    public let id: ID
    public let authorID: Member.ID
    public var title: String
    /// Markdown, as written.
    public var body: String
    /// Lower-case, without `#`: what routing and the queues match on.
    public var tags: [String]
    /// Asked in a community: its members see it in the community's queue, its managers may accept an answer,
    /// and a private community keeps it to its members.
    public let communityID: Community.ID?
    /// Asked to the asker's followers.
    public let toFollowers: Bool
    public var acceptedAnswerID: Answer.ID?
    public var answers: Int
    /// The measures the questions page shows and analytics keep.
    public var firstAnswerAt: Date?
    public var acceptedAt: Date?
    public var revision: Int
    public let createdAt: Date
    public var editedAt: Date?
    /// Set while moderation keeps the question out of view of everyone but its author and moderators.
    public var withholding: Withholding? = nil

    public init(
        id: ID, authorID: Member.ID, title: String, body: String, tags: [String] = [], communityID: Community.ID? = nil,
        toFollowers: Bool = false, acceptedAnswerID: Answer.ID? = nil, answers: Int = 0, firstAnswerAt: Date? = nil,
        acceptedAt: Date? = nil, revision: Int = 1, createdAt: Date, editedAt: Date? = nil
    ) {
        self.id = id
        self.authorID = authorID
        self.title = title
        self.body = body
        self.tags = tags
        self.communityID = communityID
        self.toFollowers = toFollowers
        self.acceptedAnswerID = acceptedAnswerID
        self.answers = answers
        self.firstAnswerAt = firstAnswerAt
        self.acceptedAt = acceptedAt
        self.revision = revision
        self.createdAt = createdAt
        self.editedAt = editedAt
    }

    public var isAnswered: Bool { answers > 0 }
}

public struct Answer: Sendable, Equatable, Identifiable {
    public typealias ID = EntityID<Answer>

    public let id: ID
    public let questionID: Question.ID
    public let authorID: Member.ID
    public var body: String
    /// Up votes minus down votes.
    public var score: Int
    /// Set when moderation holds the answer (at writing; lists leave withheld answers out).
    public var withholding: Withholding? = nil
    public var revision: Int
    public let createdAt: Date
    public var editedAt: Date?
    public var deletedAt: Date?

    public init(
        id: ID, questionID: Question.ID, authorID: Member.ID, body: String, score: Int = 0, revision: Int = 1,
        createdAt: Date, editedAt: Date? = nil, deletedAt: Date? = nil
    ) {
        self.id = id
        self.questionID = questionID
        self.authorID = authorID
        self.body = body
        self.score = score
        self.revision = revision
        self.createdAt = createdAt
        self.editedAt = editedAt
        self.deletedAt = deletedAt
    }
}

/// A comment on a question (`answerID` nil) or on one of its answers.
public struct QAComment: Sendable, Equatable, Identifiable {
    public typealias ID = EntityID<QAComment>

    public let id: ID
    public let questionID: Question.ID
    public let answerID: Answer.ID?
    public let authorID: Member.ID
    public var body: String
    public let createdAt: Date

    public init(id: ID, questionID: Question.ID, answerID: Answer.ID?, authorID: Member.ID, body: String, createdAt: Date) {
        self.id = id
        self.questionID = questionID
        self.answerID = answerID
        self.authorID = authorID
        self.body = body
        self.createdAt = createdAt
    }
}

/// An earlier text of a question or answer, kept when it is edited.
public struct QARevision: Sendable, Equatable {
    public let number: Int
    public let title: String
    public let body: String
    public let authorID: Member.ID
    public let createdAt: Date

    public init(number: Int, title: String, body: String, authorID: Member.ID, createdAt: Date) {
        self.number = number
        self.title = title
        self.body = body
        self.authorID = authorID
        self.createdAt = createdAt
    }
}

/// How a member came to be asked: named by the asker (`routed`, perhaps on Pollen's suggestion), or reached
/// by a forward through someone's network (`hop` 1 is the forwarder's followers, 2 theirs…).
public struct QuestionReach: Sendable, Equatable {
    public let questionID: Question.ID
    public let memberID: Member.ID
    public let hop: Int
    /// Who passed it on, for a forward.
    public let forwardedBy: Member.ID?
    public let note: String
    /// Asked by name (routed): their answer is awaited, and routing counts it against their load.
    public let named: Bool
    public let at: Date

    public init(
        questionID: Question.ID, memberID: Member.ID, hop: Int, forwardedBy: Member.ID?, note: String = "", named: Bool = false,
        at: Date
    ) {
        self.questionID = questionID
        self.memberID = memberID
        self.hop = hop
        self.forwardedBy = forwardedBy
        self.note = note
        self.named = named
        self.at = at
    }
}

/// How far a question travelled: never who, only how many at each hop and in each department.
public struct QuestionTravel: Sendable, Equatable {
    public var byHop: [(hop: Int, people: Int)]
    public var byDepartment: [(department: String, people: Int)]
    public var forwards: Int

    public init(byHop: [(hop: Int, people: Int)] = [], byDepartment: [(department: String, people: Int)] = [], forwards: Int = 0) {
        self.byHop = byHop
        self.byDepartment = byDepartment
        self.forwards = forwards
    }

    public static func == (a: QuestionTravel, b: QuestionTravel) -> Bool {
        a.forwards == b.forwards && a.byHop.map(\.hop) == b.byHop.map(\.hop) && a.byHop.map(\.people) == b.byHop.map(\.people)
            && a.byDepartment.map(\.department) == b.byDepartment.map(\.department)
            && a.byDepartment.map(\.people) == b.byDepartment.map(\.people)
    }

    public var people: Int { byHop.reduce(0) { $0 + $1.people } }
}

/// Which questions a queue lists.
public struct QuestionQuery: Sendable, Equatable {
    public enum Queue: String, Sendable, CaseIterable {
        /// No answer yet, the oldest first.
        case unanswered
        /// Routed or forwarded to the member, or in their expertise tags.
        case forMe = "for-me"
        /// Asked by the member.
        case mine
        /// Everything, the newest first.
        case all
    }

    public var queue: Queue
    public var member: Member.ID
    /// Tags the "for me" queue matches (the member's expertise).
    public var expertise: [String]
    public var community: Community.ID?
    public var tag: String?
    public var limit: Int
    public var offset: Int

    public init(
        queue: Queue, member: Member.ID, expertise: [String] = [], community: Community.ID? = nil, tag: String? = nil,
        limit: Int = 20, offset: Int = 0
    ) {
        self.queue = queue
        self.member = member
        self.expertise = expertise
        self.community = community
        self.tag = tag
        self.limit = limit
        self.offset = offset
    }
}

/// What a candidate for routing brings, as the ranker weighs it.
public struct ExpertCandidate: Sendable, Equatable {
    public let member: Member.ID
    /// The question's tags the member declared as expertise.
    public var declared: [String] = []
    /// Accepted answers the member gave on the question's tags.
    public var acceptedAnswers = 0
    /// Reactions their posts on the tags drew, and their answers there (from the subject scores).
    public var engagement = 0
    public var replies = 0
    /// A subject-matter expert of the question's community.
    public var communityExpert = false
    /// Routed questions waiting for their answer.
    public var pending = 0

    public init(member: Member.ID) {
        self.member = member
    }
}

public protocol QuestionRepository: Sendable {
    func insert(_ question: Question) async throws
    func update(_ question: Question) async throws
    func find(id: Question.ID) async throws -> Question?
    func list(_ query: QuestionQuery, visibleTo viewer: Member.ID?) async throws -> Page<Question>
    /// Open questions whose title has all the words (or most of them), for "has this been asked?".
    func similar(to words: [String], visibleTo viewer: Member.ID?, limit: Int) async throws -> [Question]

    func insertAnswer(_ answer: Answer) async throws
    func updateAnswer(_ answer: Answer) async throws
    func answer(id: Answer.ID) async throws -> Answer?
    /// The best score first, then the oldest; deleted ones left out.
    func answers(to question: Question.ID) async throws -> [Answer]

    func insertComment(_ comment: QAComment) async throws
    func comments(on question: Question.ID) async throws -> [QAComment]

    func insertRevision(_ revision: QARevision, question: Question.ID, answer: Answer.ID?) async throws
    func revisions(question: Question.ID, answer: Answer.ID?) async throws -> [QARevision]

    /// The member's vote on the answer (+1, −1), replacing an earlier one; returns the earlier one.
    func vote(_ answer: Answer.ID, by member: Member.ID, value: Int, at: Date) async throws -> Int?
    func votes(of member: Member.ID, on answers: [Answer.ID]) async throws -> [Answer.ID: Int]

    /// Records that `reach.memberID` was asked, unless they were already; `true` when new.
    func reach(_ reach: QuestionReach) async throws -> Bool
    func reach(of member: Member.ID, on question: Question.ID) async throws -> QuestionReach?
    func travel(of question: Question.ID) async throws -> QuestionTravel
    func recordForward(question: Question.ID, by member: Member.ID, note: String, at: Date) async throws
    /// Reaches the forwarder's followers at `hop` in one statement, leaving out the asker, people reached
    /// already, people who opted out of forwards, suspended members, blocks either way with the forwarder or
    /// the asker, and (for a question in a private community) anyone outside it. Returns who was reached.
    func reachFollowers(of forwarder: Member.ID, question: Question, hop: Int, note: String, at: Date, limit: Int) async throws
        -> [Member.ID]
    /// Members who switched off others' questions reaching them by forwarding, among `members`.
    func forwardOptOuts(among members: [Member.ID]) async throws -> Set<Member.ID>
    func setForwardOptOut(_ optOut: Bool, member: Member.ID) async throws

    /// Routing candidates for tags: declared expertise, accepted answers and subject scores, each member once.
    func expertCandidates(tags: [String], limit: Int) async throws -> [ExpertCandidate]
    /// Routed questions still waiting (not answered by that member, not accepted), per member.
    func pendingRoutes(of members: [Member.ID]) async throws -> [Member.ID: Int]
    /// Distinct answerers of a question, and their departments.
    func answerers(of question: Question.ID) async throws -> [Member]
}
