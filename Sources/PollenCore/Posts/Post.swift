import Foundation

/// A post: a short Markdown text, a reply in a thread, or a reshare (with optional commentary) of another post.
public struct Post: Sendable, Equatable, Identifiable {
    public typealias ID = EntityID<Post>

    /// Who may see a post. Everyone here is inside the organization, so "public" means the organization.
    public enum Visibility: String, Sendable, CaseIterable, Codable {
        /// Everyone in the organization.
        case organization
        /// The author's followers and the people it mentions.
        case followers
        /// Only the people it mentions.
        case mentioned
    }

    public struct Counts: Sendable, Equatable {
        public var replies: Int
        public var reshares: Int
        public var favourites: Int
        public init(replies: Int = 0, reshares: Int = 0, favourites: Int = 0) {
            self.replies = replies
            self.reshares = reshares
            self.favourites = favourites
        }
    }

    public let id: ID
    public let authorID: Member.ID
    /// The Markdown source as the author wrote it.
    public var body: String
    public var visibility: Visibility
    public let replyToID: ID?
    public let replyToAuthorID: Member.ID?
    /// The first post of the thread; the post's own id when it starts one.
    public let threadRootID: ID
    /// Set for a reshare: the post it passes on; `body` is then optional commentary.
    public let reshareOfID: ID?
    /// Lower-case hashtags of the body, without `#`.
    public var hashtags: [String]
    public var mentionIDs: [Member.ID]
    public let createdAt: Date
    public var editedAt: Date?
    public var deletedAt: Date?
    public var counts: Counts
    /// Set while moderation keeps the post out of view of everyone but its author and moderators.
    public var withholding: Withholding? = nil

    public init(
        id: ID, authorID: Member.ID, body: String, visibility: Visibility, replyToID: ID? = nil,
        replyToAuthorID: Member.ID? = nil, threadRootID: ID? = nil, reshareOfID: ID? = nil, hashtags: [String] = [],
        mentionIDs: [Member.ID] = [], createdAt: Date, editedAt: Date? = nil, deletedAt: Date? = nil,
        counts: Counts = Counts()
    ) {
        self.id = id
        self.authorID = authorID
        self.body = body
        self.visibility = visibility
        self.replyToID = replyToID
        self.replyToAuthorID = replyToAuthorID
        self.threadRootID = threadRootID ?? id
        self.reshareOfID = reshareOfID
        self.hashtags = hashtags
        self.mentionIDs = mentionIDs
        self.createdAt = createdAt
        self.editedAt = editedAt
        self.deletedAt = deletedAt
        self.counts = counts
    }

    public var isDeleted: Bool { deletedAt != nil }
    public var isReshare: Bool { reshareOfID != nil }
}

/// An earlier text of an edited post.
public struct PostRevision: Sendable, Equatable {
    public let postID: Post.ID
    public let body: String
    /// When this text was replaced by a newer one.
    public let replacedAt: Date

    public init(postID: Post.ID, body: String, replacedAt: Date) {
        self.postID = postID
        self.body = body
        self.replacedAt = replacedAt
    }
}

/// Which posts a timeline draws from, before visibility, mutes and blocks are applied.
public enum TimelineSource: Sendable, Equatable {
    /// The member, the people they follow, and the hashtags they follow.
    case home(Member.ID)
    /// Everything visible to the whole organization.
    case organization
    case hashtag(String)
    case author(Member.ID)
}

/// A post in a list, with the cursor the list pages by (the post's id, or a bookmark's or favourite's).
public struct PostEntry: Sendable, Equatable {
    public let cursor: Int64
    public let post: Post

    public init(cursor: Int64, post: Post) {
        self.cursor = cursor
        self.post = post
    }
}

/// What a member has done to some posts, for the state of their buttons.
public struct PostMarks: Sendable, Equatable {
    public var favourited: Set<Post.ID>
    public var bookmarked: Set<Post.ID>
    public var reshared: Set<Post.ID>

    public init(favourited: Set<Post.ID> = [], bookmarked: Set<Post.ID> = [], reshared: Set<Post.ID> = []) {
        self.favourited = favourited
        self.bookmarked = bookmarked
        self.reshared = reshared
    }
}

public protocol PostRepository: Sendable {
    func insert(_ post: Post) async throws
    /// Writes many posts at once (the demo organization, imports), with their hashtags, mentions and index.
    func insertMany(_ posts: [Post]) async throws
    /// Writes many favourites at once (`id`, member, post, time); counts are the caller's to set on the posts.
    func insertFavourites(_ favourites: [(id: Int64, member: Member.ID, post: Post.ID, at: Date)]) async throws
    func find(id: Post.ID) async throws -> Post?
    func find(ids: [Post.ID]) async throws -> [Post]
    /// Stores a new text, hashtags and mentions, keeping the text it replaces as a revision.
    func update(_ post: Post, replacing previous: PostRevision) async throws
    /// Earlier texts, oldest first.
    func revisions(of post: Post.ID) async throws -> [PostRevision]
    func markDeleted(_ id: Post.ID, at: Date) async throws
    /// Every post of a thread, deleted ones included, oldest first.
    func thread(root: Post.ID) async throws -> [Post]
    /// The member's standing (not deleted) reshare of a post.
    func reshare(of original: Post.ID, by member: Member.ID) async throws -> Post?
    func adjustCounts(_ id: Post.ID, replies: Int, reshares: Int, favourites: Int) async throws

    /// `false` when it was favourited already.
    func favourite(_ post: Post.ID, by member: Member.ID, id: Int64, at: Date) async throws -> Bool
    func unfavourite(_ post: Post.ID, by member: Member.ID) async throws -> Bool
    func bookmark(_ post: Post.ID, by member: Member.ID, id: Int64, at: Date) async throws -> Bool
    func unbookmark(_ post: Post.ID, by member: Member.ID) async throws -> Bool
    func marks(of member: Member.ID, on posts: [Post.ID]) async throws -> PostMarks
    /// The member's bookmarks or favourites, the newest mark first; the cursor is the mark's id.
    func bookmarked(by member: Member.ID, range: CursorRange) async throws -> [PostEntry]
    func favourited(by member: Member.ID, range: CursorRange) async throws -> [PostEntry]

    /// Posts of a timeline that `viewer` may see, newest first, deleted ones and those of muted (except on
    /// an author's own timeline) or blocked authors left out.
    func timeline(_ source: TimelineSource, viewer: Member.ID, range: CursorRange) async throws -> [PostEntry]
}
