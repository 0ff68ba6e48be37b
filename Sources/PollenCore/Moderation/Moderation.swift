import Foundation

/// What a flag, a review case or an audit entry is about: one piece of content or a profile.
public struct ContentRef: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Kind: String, Sendable, CaseIterable, Codable {
        case post, item, comment, question, answer
        /// A comment on a question or an answer.
        case qaComment = "qa_comment"
        /// One saved revision of a wiki page: `id` is the item, `revision` the number.
        case revision
        case profile
        /// A value-creation story (see ``ValueStory``).
        case story

        public var noun: String {
            switch self {
            case .post: "post"
            case .item: "community content"
            case .comment: "comment"
            case .question: "question"
            case .answer: "answer"
            case .qaComment: "comment"
            case .revision: "wiki revision"
            case .profile: "profile"
            case .story: "value story"
            }
        }
    }

    public let kind: Kind
    public let id: Int64
    /// The revision number for ``Kind/revision``; 0 otherwise.
    public let revision: Int

    public init(_ kind: Kind, _ id: Int64, revision: Int = 0) {
        self.kind = kind
        self.id = id
        self.revision = kind == .revision ? revision : 0
    }

    /// `post:12`, `revision:40:3` — the form pages and the API pass around.
    public var description: String { kind == .revision ? "\(kind.rawValue):\(id):\(revision)" : "\(kind.rawValue):\(id)" }

    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, let kind = Kind(rawValue: String(parts[0])),
            let id = Int64(parts[1]), id > 0
        else { return nil }
        if kind == .revision {
            guard parts.count == 3, let number = Int(parts[2]), number > 0 else { return nil }
            self.init(kind, id, revision: number)
        } else {
            guard parts.count == 2 else { return nil }
            self.init(kind, id)
        }
    }
}

/// Content taken out of view. Held content waits for approval; hidden content was taken down for now;
/// removed content is gone for everyone but its author (who sees the notice) and administrators, until it is
/// purged after the retention period.
public enum Withholding: String, Sendable, Codable, CaseIterable {
    case held, hidden, removed
}

public enum FlagReason: String, Sendable, CaseIterable, Codable {
    case spam
    case wrong
    case harassment
    case confidential
    case offTopic = "off_topic"
    case other

    public var label: String {
        switch self {
        case .spam: "Spam or advertising"
        case .wrong: "Wrong or unsafe advice"
        case .harassment: "Harassment or abuse"
        case .confidential: "Confidential information"
        case .offTopic: "Off-topic"
        case .other: "Something else"
        }
    }
}

/// A member's report that something breaks the rules.
public struct ContentFlag: Sendable, Equatable, Identifiable {
    public typealias ID = EntityID<ContentFlag>

    public enum Outcome: String, Sendable, Codable {
        /// A moderator acted on the content: the flag was right.
        case upheld
        /// The content was approved as it is.
        case dismissed
    }

    public let id: ID
    public let target: ContentRef
    public let caseID: ModerationCase.ID
    public let flaggerID: Member.ID
    public let reason: FlagReason
    public let note: String
    public let createdAt: Date
    public var outcome: Outcome?

    public init(
        id: ID, target: ContentRef, caseID: ModerationCase.ID, flaggerID: Member.ID, reason: FlagReason, note: String,
        createdAt: Date, outcome: Outcome? = nil
    ) {
        self.id = id
        self.target = target
        self.caseID = caseID
        self.flaggerID = flaggerID
        self.reason = reason
        self.note = note
        self.createdAt = createdAt
        self.outcome = outcome
    }
}

/// One entry of a review queue: a piece of content and why it needs a look. Flags on the same content
/// gather on its one open case.
public struct ModerationCase: Sendable, Equatable, Identifiable {
    public typealias ID = EntityID<ModerationCase>

    public enum Source: String, Sendable, Codable, CaseIterable {
        /// Members flagged it.
        case flags
        /// Published in a post-moderated community: every item is reviewed after the fact.
        case postModeration = "post_moderation"
        /// Held until approved: a pre-moderated community, or a new member's first post.
        case preModeration = "pre_moderation"
        case firstPost = "first_post"
        /// It contains a watched word.
        case watchedWord = "watched_word"
        /// The author appealed a removal.
        case appeal

        public var label: String {
            switch self {
            case .flags: "Flagged"
            case .postModeration: "Published, awaiting review"
            case .preModeration: "Held for approval"
            case .firstPost: "First post of a new member"
            case .watchedWord: "Contains a watched word"
            case .appeal: "Appeal"
            }
        }
    }

    public enum Action: String, Sendable, Codable, CaseIterable {
        /// Keep it as it is (dismisses the flags, publishes held content).
        case approve
        case hide
        case remove
        /// Change an item's or question's tags.
        case retag
        /// Move a community item to another community.
        case move
        /// Tell the author, keep the content.
        case warn
        /// The author may not write for a period.
        case silence
        /// Suspend the author's account (administrators).
        case suspend

        public var label: String {
            switch self {
            case .approve: "Approve"
            case .hide: "Hide"
            case .remove: "Remove"
            case .retag: "Change tags"
            case .move: "Move"
            case .warn: "Warn the author"
            case .silence: "Silence the author"
            case .suspend: "Suspend the author"
            }
        }

        /// Actions that close the case; the others (retag, move, warn) leave it open for a final decision.
        public var closes: Bool { [.approve, .hide, .remove, .silence, .suspend].contains(self) }
    }

    public enum AppealState: String, Sendable, Codable {
        case pending
        /// The removal was reversed.
        case granted
        case denied
    }

    public let id: ID
    public let target: ContentRef
    public var communityID: Community.ID?
    /// Whose content it is (the member for a profile).
    public let authorID: Member.ID
    public var source: Source
    public var isOpen: Bool
    public let openedAt: Date
    public var closedAt: Date?
    public var closedBy: Member.ID?
    /// The last decisive action and the rule and words given with it (shown to the author).
    public var action: Action?
    public var rule: String
    public var reason: String
    public var appeal: String?
    public var appealedAt: Date?
    public var appealState: AppealState?

    public init(
        id: ID, target: ContentRef, communityID: Community.ID?, authorID: Member.ID, source: Source, isOpen: Bool = true,
        openedAt: Date, closedAt: Date? = nil, closedBy: Member.ID? = nil, action: Action? = nil, rule: String = "",
        reason: String = "", appeal: String? = nil, appealedAt: Date? = nil, appealState: AppealState? = nil
    ) {
        self.id = id
        self.target = target
        self.communityID = communityID
        self.authorID = authorID
        self.source = source
        self.isOpen = isOpen
        self.openedAt = openedAt
        self.closedAt = closedAt
        self.closedBy = closedBy
        self.action = action
        self.rule = rule
        self.reason = reason
        self.appeal = appeal
        self.appealedAt = appealedAt
        self.appealState = appealState
    }

    /// An author may appeal a removal or a hide once.
    public var mayAppeal: Bool { (action == .remove || action == .hide) && appealState == nil && !isOpen }
}

/// How a community reviews one kind of its content.
public enum ModerationMode: String, Sendable, Codable, CaseIterable {
    /// Published at once; only flags bring it to review.
    case open
    /// Published at once, and every new piece is queued for review.
    case post
    /// Held until a manager approves it.
    case pre

    public var label: String {
        switch self {
        case .open: "Open — publish at once"
        case .post: "Post-moderated — publish, then review every piece"
        case .pre: "Pre-moderated — hold until approved"
        }
    }
}

/// The kinds of content a community policy distinguishes: its four item kinds, comments and questions
/// asked in it (answers follow their question's community).
public enum PolicyContent: String, Sendable, Codable, CaseIterable {
    case thread, article, wiki, resource, comment, question, answer

    public var label: String {
        switch self {
        case .thread: "Discussions"
        case .article: "Articles"
        case .wiki: "Wiki pages"
        case .resource: "Resources"
        case .comment: "Comments"
        case .question: "Questions"
        case .answer: "Answers"
        }
    }
}

public struct CommunityPolicy: Sendable, Equatable {
    public var modes: [PolicyContent: ModerationMode]

    public init(modes: [PolicyContent: ModerationMode] = [:]) {
        self.modes = modes
    }

    public func mode(for content: PolicyContent) -> ModerationMode { modes[content] ?? .open }
}

/// A word or phrase moderators watch for, and what happens to text that contains it.
public struct WatchedWord: Sendable, Equatable, Identifiable {
    public typealias ID = EntityID<WatchedWord>

    public enum Action: String, Sendable, Codable, CaseIterable {
        /// The text is refused with a message.
        case block
        /// Published only once a moderator approves it.
        case hold
        /// Published, and queued for review.
        case flag

        public var label: String {
            switch self {
            case .block: "Block — refuse the text"
            case .hold: "Hold for review"
            case .flag: "Publish and flag for review"
            }
        }
    }

    public let id: ID
    /// Lower-case; matched as a whole word or phrase, ignoring case.
    public let word: String
    public let action: Action
    public let createdBy: Member.ID
    public let createdAt: Date

    public init(id: ID, word: String, action: Action, createdBy: Member.ID, createdAt: Date) {
        self.id = id
        self.word = word
        self.action = action
        self.createdBy = createdBy
        self.createdAt = createdAt
    }
}

/// One moderation or administration act, kept for administrators.
public struct AuditEntry: Sendable, Equatable, Identifiable {
    public typealias ID = EntityID<AuditEntry>

    public let id: ID
    public let actorID: Member.ID?
    /// What was done, as a short verb phrase key: `case.remove`, `member.suspend`, `settings.moderation`…
    public let action: String
    /// What it was done to, as a ref (`post:12`), `member:5`, `community:3` or `settings`.
    public let target: String
    /// A human description of the target at the time (a title or an excerpt, a handle).
    public let summary: String
    public let communityID: Community.ID?
    public let reason: String
    public let createdAt: Date

    public init(
        id: ID, actorID: Member.ID?, action: String, target: String, summary: String, communityID: Community.ID? = nil,
        reason: String = "", createdAt: Date
    ) {
        self.id = id
        self.actorID = actorID
        self.action = action
        self.target = target
        self.summary = summary
        self.communityID = communityID
        self.reason = reason
        self.createdAt = createdAt
    }
}

/// The organization's quality and safety settings, changed by administrators.
public struct ModerationSettings: Sendable, Equatable, Codable {
    /// Hold everything a member writes until a moderator approved one of their pieces.
    public var holdFirstPosts: Bool
    /// How long a member counts as new.
    public var newMemberHours: Int
    /// What a new member may write in that time: pieces of content in all, links and mentions per piece.
    public var newMemberMaxPosts: Int
    public var newMemberMaxLinks: Int
    public var newMemberMaxMentions: Int
    /// Writes per minute allowed to one member and to one network address.
    public var writesPerMinutePerMember: Int
    public var writesPerMinutePerAddress: Int
    /// How long removed content is kept for administrators before it is purged.
    public var retentionDays: Int
    /// Articles and wiki pages not reviewed for this long are queued for the community's experts.
    public var reviewAfterDays: Int

    public init(
        holdFirstPosts: Bool = false, newMemberHours: Int = 24, newMemberMaxPosts: Int = 10, newMemberMaxLinks: Int = 3,
        newMemberMaxMentions: Int = 5, writesPerMinutePerMember: Int = 60, writesPerMinutePerAddress: Int = 1200,
        retentionDays: Int = 30, reviewAfterDays: Int = 180
    ) {
        self.holdFirstPosts = holdFirstPosts
        self.newMemberHours = newMemberHours
        self.newMemberMaxPosts = newMemberMaxPosts
        self.newMemberMaxLinks = newMemberMaxLinks
        self.newMemberMaxMentions = newMemberMaxMentions
        self.writesPerMinutePerMember = writesPerMinutePerMember
        self.writesPerMinutePerAddress = writesPerMinutePerAddress
        self.retentionDays = retentionDays
        self.reviewAfterDays = reviewAfterDays
    }

    public init(from decoder: any Decoder) throws {
        // Settings saved before a field existed keep its default.
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = ModerationSettings()
        holdFirstPosts = try c.decodeIfPresent(Bool.self, forKey: .holdFirstPosts) ?? d.holdFirstPosts
        newMemberHours = try c.decodeIfPresent(Int.self, forKey: .newMemberHours) ?? d.newMemberHours
        newMemberMaxPosts = try c.decodeIfPresent(Int.self, forKey: .newMemberMaxPosts) ?? d.newMemberMaxPosts
        newMemberMaxLinks = try c.decodeIfPresent(Int.self, forKey: .newMemberMaxLinks) ?? d.newMemberMaxLinks
        newMemberMaxMentions = try c.decodeIfPresent(Int.self, forKey: .newMemberMaxMentions) ?? d.newMemberMaxMentions
        writesPerMinutePerMember = try c.decodeIfPresent(Int.self, forKey: .writesPerMinutePerMember) ?? d.writesPerMinutePerMember
        writesPerMinutePerAddress = try c.decodeIfPresent(Int.self, forKey: .writesPerMinutePerAddress) ?? d.writesPerMinutePerAddress
        retentionDays = try c.decodeIfPresent(Int.self, forKey: .retentionDays) ?? d.retentionDays
        reviewAfterDays = try c.decodeIfPresent(Int.self, forKey: .reviewAfterDays) ?? d.reviewAfterDays
    }

    /// Fails with a message naming the field when a value is out of its range.
    public func validated() throws -> ModerationSettings {
        func check(_ value: Int, _ range: ClosedRange<Int>, _ field: String, _ name: String) throws {
            guard range.contains(value) else {
                throw DomainError.invalid("\(name) must be between \(range.lowerBound) and \(range.upperBound).", field: field)
            }
        }
        try check(newMemberHours, 0...720, "new_member_hours", "The new-member period (hours)")
        try check(newMemberMaxPosts, 1...1000, "new_member_max_posts", "New members' pieces of content")
        try check(newMemberMaxLinks, 0...100, "new_member_max_links", "New members' links per piece")
        try check(newMemberMaxMentions, 0...100, "new_member_max_mentions", "New members' mentions per piece")
        try check(writesPerMinutePerMember, 1...10_000, "writes_per_minute_per_member", "Writes per minute per member")
        try check(writesPerMinutePerAddress, 1...100_000, "writes_per_minute_per_address", "Writes per minute per address")
        try check(retentionDays, 1...3650, "retention_days", "The retention period (days)")
        try check(reviewAfterDays, 7...3650, "review_after_days", "The review period (days)")
        return self
    }
}

/// What the review queue shows of a case: the content as it is now, its flags, and the author's record.
public struct CaseView: Sendable {
    public let moderationCase: ModerationCase
    public let author: Member
    public let content: ContentSnapshot?
    public let community: Community?
    public let flags: [(flag: ContentFlag, flagger: Member?)]
    /// The share of the flaggers' earlier decided flags that were upheld, or nil when none was decided.
    public let flaggerAccuracy: Double?
    public let history: AuthorHistory
    /// Higher first: flags weighted by the flaggers' accuracy; held content comes before the rest.
    public let priority: Double
}

/// What a moderator needs to know of an author before acting.
public struct AuthorHistory: Sendable, Equatable {
    public var removals: Int
    public var upheldFlags: Int
    public var warnings: Int
    public var memberSince: Date
    public var silencedUntil: Date?

    public init(removals: Int = 0, upheldFlags: Int = 0, warnings: Int = 0, memberSince: Date, silencedUntil: Date? = nil) {
        self.removals = removals
        self.upheldFlags = upheldFlags
        self.warnings = warnings
        self.memberSince = memberSince
        self.silencedUntil = silencedUntil
    }
}

/// A piece of content as moderation sees it, whatever its kind.
public struct ContentSnapshot: Sendable, Equatable {
    public let target: ContentRef
    public let authorID: Member.ID
    public let communityID: Community.ID?
    public let title: String
    public let body: String
    public let tags: [String]
    public let withholding: Withholding?
    /// Where it is read on the web.
    public let path: String
    /// The question a question, an answer or a question comment belongs to.
    public let questionID: Question.ID?
    public let createdAt: Date

    public init(
        target: ContentRef, authorID: Member.ID, communityID: Community.ID?, title: String, body: String, tags: [String] = [],
        withholding: Withholding?, path: String, questionID: Question.ID? = nil, createdAt: Date
    ) {
        self.questionID = questionID
        self.target = target
        self.authorID = authorID
        self.communityID = communityID
        self.title = title
        self.body = body
        self.tags = tags
        self.withholding = withholding
        self.path = path
        self.createdAt = createdAt
    }
}

public protocol ModerationRepository: Sendable {
    /// The content behind `target`, or nil when there is none (or it was purged).
    func snapshot(of target: ContentRef) async throws -> ContentSnapshot?
    /// Takes content out of view (or back in, with nil). Items keep their state; `removed` also records when,
    /// for the purge.
    func setWithholding(_ withholding: Withholding?, of target: ContentRef, at: Date) async throws

    func insertCase(_ moderationCase: ModerationCase) async throws
    func updateCase(_ moderationCase: ModerationCase) async throws
    func findCase(id: ModerationCase.ID) async throws -> ModerationCase?
    func openCase(for target: ContentRef) async throws -> ModerationCase?
    /// Open cases, optionally of one community only (nil: all, `excludingPrivate` leaves out cases of private
    /// communities).
    func openCases(community: Community.ID?, excludingPrivate: Bool, limit: Int) async throws -> [ModerationCase]
    func cases(of author: Member.ID, limit: Int) async throws -> [ModerationCase]

    /// `false` when the member has an open flag on the target already.
    func insertFlag(_ flag: ContentFlag) async throws -> Bool
    func flags(of moderationCase: ModerationCase.ID) async throws -> [ContentFlag]
    /// Decides every undecided flag of the case.
    func decideFlags(of moderationCase: ModerationCase.ID, _ outcome: ContentFlag.Outcome) async throws
    /// Decided flags of each flagger: (upheld, all).
    func flaggerRecord(_ flaggers: [Member.ID]) async throws -> [Member.ID: (upheld: Int, decided: Int)]
    func authorHistory(_ author: Member.ID) async throws -> (removals: Int, upheldFlags: Int, warnings: Int)

    func policy(of community: Community.ID) async throws -> CommunityPolicy
    func setPolicy(_ mode: ModerationMode, for content: PolicyContent, in community: Community.ID) async throws

    func watchedWords() async throws -> [WatchedWord]
    func insertWatchedWord(_ word: WatchedWord) async throws -> Bool
    func deleteWatchedWord(_ id: WatchedWord.ID) async throws -> WatchedWord?

    func insertAudit(_ entry: AuditEntry) async throws
    /// Newest first; `before` pages by id.
    func audit(before: AuditEntry.ID?, limit: Int) async throws -> [AuditEntry]

    /// Pieces the member wrote since `since`, all kinds together (for the new-member limit).
    func writings(of member: Member.ID, since: Date) async throws -> Int
    /// Whether anything the member wrote was published without being held (first-posts rule).
    func hasApprovedWriting(_ member: Member.ID) async throws -> Bool

    func moveItem(_ item: CommunityItem.ID, to community: Community.ID) async throws
    func setHealth(_ health: ContentHealth?, of item: CommunityItem.ID, reviewedBy: Member.ID, at: Date) async throws
    /// Live articles and wiki pages that are marked, or whose last review (or change) is before `staleBefore`.
    func healthQueue(community: Community.ID, staleBefore: Date, limit: Int) async throws -> [CommunityItem]
    func silence(_ member: Member.ID, until: Date?) async throws
    func silencedUntil(_ member: Member.ID) async throws -> Date?

    /// Deletes for good what was removed before `cutoff` (a batch at a time); answers how many pieces went
    /// and the storage keys of their uploaded files, which the caller deletes once the write committed.
    func purgeRemoved(before cutoff: Date) async throws -> (pieces: Int, files: [String])
}

/// Whether an article or wiki page still holds: marked by the community's experts, shown to every reader.
public enum ContentHealth: String, Sendable, Codable, CaseIterable {
    case needsReview = "needs_review"
    case obsolete

    public var label: String {
        switch self {
        case .needsReview: "Needs review"
        case .obsolete: "Obsolete"
        }
    }
}
