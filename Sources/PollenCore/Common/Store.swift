import Foundation

/// Every repository, bound to one database connection (and, inside ``PollenStore/write(_:)``, to one
/// transaction).
public protocol Repositories: Sendable {
    var members: any MemberRepository { get }
    var sessions: any SessionRepository { get }
    var signInAttempts: any SignInAttemptRepository { get }
    var oauth: any OAuthRepository { get }
    var settings: any SettingsRepository { get }
    var invitations: any InvitationRepository { get }
    var network: any NetworkRepository { get }
    var posts: any PostRepository { get }
    var notifications: any NotificationRepository { get }
    var search: any SearchRepository { get }
    var discovery: any DiscoveryRepository { get }
    var collections: any CollectionRepository { get }
    var communities: any CommunityRepository { get }
    var communityContent: any CommunityContentRepository { get }
    var questions: any QuestionRepository { get }
    var moderation: any ModerationRepository { get }
    var personalInsight: any PersonalInsightRepository { get }
    var value: any ValueRepository { get }
    var insight: any InsightRepository { get }
}

/// The database as the use cases see it: reads, and writes that commit or roll back as one.
public protocol PollenStore: Sendable {
    func read<T: Sendable>(_ work: @escaping @Sendable (any Repositories) async throws -> T) async throws -> T
    /// Runs `work` in one transaction: everything it writes is kept, or nothing if it throws.
    func write<T: Sendable>(_ work: @escaping @Sendable (any Repositories) async throws -> T) async throws -> T
    /// Whether the database answers.
    func ping() async throws
    /// Calls `observer` after every committed write that changed something, with what it changed, before
    /// the write returns to its caller — so nothing read after a write can come from a cache it made stale.
    /// Writes made by other processes on the same database arrive as ``StoreChanges/everything`` within a
    /// second or so.
    func observeChanges(_ observer: @escaping @Sendable (StoreChanges) -> Void)
}

/// What one committed write changed, in terms of what readers show. Caches of finished answers (pages of
/// statuses, authenticated tokens) drop whatever depends on it; anything not named here did not change.
public struct StoreChanges: Sendable, Equatable {
    /// A post that appeared, or whose hashtags changed: it may now belong to timelines that did not hold it
    /// (a home timeline takes posts by author and hashtag only).
    public struct Arrival: Sendable, Equatable {
        public var author: Member.ID
        public var hashtags: [String]

        public init(author: Member.ID, hashtags: [String]) {
            self.author = author
            self.hashtags = hashtags
        }
    }

    /// Posts whose text, state or counts changed.
    public var posts: Set<Post.ID> = []
    /// Members whose profile, standing, counts, relationships, follows or marks changed: both as someone shown
    /// and as someone whose view of the network changed.
    public var members: Set<Member.ID> = []
    public var arrivals: [Arrival] = []
    /// Digests of access tokens revoked one by one (all of a member's tokens go with the member's change).
    public var revokedTokens: Set<String> = []
    /// Too much changed to say (bulk imports, settings, writes by another process): drop everything.
    public var everything = false

    public init(
        posts: Set<Post.ID> = [], members: Set<Member.ID> = [], arrivals: [Arrival] = [],
        revokedTokens: Set<String> = [], everything: Bool = false
    ) {
        self.posts = posts
        self.members = members
        self.arrivals = arrivals
        self.revokedTokens = revokedTokens
        self.everything = everything
    }

    public var isEmpty: Bool {
        posts.isEmpty && members.isEmpty && arrivals.isEmpty && revokedTokens.isEmpty && !everything
    }
}
