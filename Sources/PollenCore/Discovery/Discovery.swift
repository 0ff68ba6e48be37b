import Foundation

/// Someone followed by people the viewer follows: how many of them, counted only through members whose
/// network the viewer may see.
public struct FriendOfFriend: Sendable, Equatable {
    public let member: Member.ID
    public let sharedFollows: Int

    public init(member: Member.ID, sharedFollows: Int) {
        self.member = member
        self.sharedFollows = sharedFollows
    }
}

/// A member's standing in one subject (hashtag) over the scoring window.
public struct SubjectScore: Sendable, Equatable {
    public let tag: String
    public let member: Member.ID
    /// Favourites, plus reshares and replies counted twice, that the member's posts on the subject drew.
    public let engagement: Int
    /// Posts that start a thread on the subject.
    public let posts: Int
    /// Replies in threads on the subject: the answers given.
    public let replies: Int

    public init(tag: String, member: Member.ID, engagement: Int, posts: Int, replies: Int) {
        self.tag = tag
        self.member = member
        self.engagement = engagement
        self.posts = posts
        self.replies = replies
    }
}

/// A follow with what unfollow review needs to know about it.
public struct FollowActivity: Sendable, Equatable {
    public let member: Member.ID
    public let since: Date
    public let lastPostedAt: Date?

    public init(member: Member.ID, since: Date, lastPostedAt: Date?) {
        self.member = member
        self.since = since
        self.lastPostedAt = lastPostedAt
    }
}

/// How far along the first-run guide a member is.
public struct OnboardingProgress: Sendable, Equatable {
    public var step: Int
    public var startedAt: Date
    public var finishedAt: Date?
    public var skippedAt: Date?

    public init(step: Int, startedAt: Date, finishedAt: Date? = nil, skippedAt: Date? = nil) {
        self.step = step
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.skippedAt = skippedAt
    }

    public var isOver: Bool { finishedAt != nil || skippedAt != nil }
}

/// Activity over a window, for trends: posts and reactions, organization-wide or in one department.
public struct ActivityWindow: Sendable, Equatable {
    public var since: Date
    public var until: Date
    /// Department of the authors counted (case-insensitive); `nil` for the whole organization.
    public var department: String?

    public init(since: Date, until: Date, department: String? = nil) {
        self.since = since
        self.until = until
        self.department = department
    }
}

/// What discovery reads and keeps: the friends-of-friends counts, subject scores, dismissed suggestions,
/// opened authors, onboarding progress and trends.
public protocol DiscoveryRepository: Sendable {
    /// People followed by the members `viewer` follows, most shared follows first. Only members who are
    /// active and show their network to the viewer count as links (everyone, or followed-only when they
    /// follow the viewer); `viewer` is left out, the people they already follow are not.
    func friendsOfFriends(of viewer: Member.ID, limit: Int) async throws -> [FriendOfFriend]
    /// Of `candidates`, who among the members `viewer` follows (and may see the network of) follows each.
    func sharedFollowers(of candidates: [Member.ID], for viewer: Member.ID) async throws -> [Member.ID: [Member.ID]]
    /// Members the viewer must never be offered: themselves, whom they follow, dismissed, blocked either way.
    func notToSuggest(to viewer: Member.ID) async throws -> Set<Member.ID>
    func dismissSuggestion(_ target: Member.ID, for member: Member.ID, at: Date) async throws
    /// The departments of the people `member` follows, with how many they follow in each (lower-cased keys).
    func followedDepartments(of member: Member.ID) async throws -> [String: Int]

    /// The scores of `tags`, best first by engagement (`byActivity`: by posts and replies), `limit` per tag.
    func subjectScores(tags: [String], byActivity: Bool, limit: Int) async throws -> [SubjectScore]
    /// Computes every (subject, member) score from posts since `since`: a long read, made off the write lock.
    func computeSubjectScores(since: Date) async throws -> [SubjectScore]
    /// Replaces all subject scores and records when, with the follower count from which a member counts as
    /// among the most followed.
    func replaceSubjectScores(_ scores: [SubjectScore], popularFollowers: Int, at: Date) async throws
    /// When the scores were last rebuilt and the "most followed" threshold then.
    func discoveryState() async throws -> (refreshedAt: Date?, popularFollowers: Int)
    /// The follower count at the given rank (0 = the most followed), or 0 when fewer members are followed.
    func followersAtRank(_ rank: Int) async throws -> Int

    /// Members who joined since `since`, newest first (active ones; the caller filters by privacy).
    func newMembers(since: Date, department: String?, limit: Int) async throws -> [Member]
    /// Authors whose posts drew the most reactions among posts published in the window.
    func mostEngagedAuthors(_ window: ActivityWindow, limit: Int) async throws -> [(member: Member.ID, engagement: Int)]
    /// Organization-visible posts of the window with the most reactions.
    func mostEngagedPosts(_ window: ActivityWindow, limit: Int) async throws -> [Post.ID]
    /// How many posts each hashtag got in the window.
    func tagUse(_ window: ActivityWindow) async throws -> [String: Int]

    /// Notes that `member` opened a post by `author` (kept per pair, the first time only).
    func recordOpen(member: Member.ID, author: Member.ID, at: Date) async throws
    /// Of `authors`, those whose posts `member` has opened.
    func openedAuthors(by member: Member.ID, among authors: [Member.ID]) async throws -> Set<Member.ID>
    /// Everyone `member` follows, with since when and when they last posted.
    func followActivity(of member: Member.ID) async throws -> [FollowActivity]
    /// Of the authors `member` follows, those whose posts they opened, favourited, reshared or replied to.
    func engagedAuthors(by member: Member.ID) async throws -> Set<Member.ID>

    func onboarding(of member: Member.ID) async throws -> OnboardingProgress?
    func saveOnboarding(_ progress: OnboardingProgress, of member: Member.ID) async throws
}
