import Foundation

/// A piece of learning content inside a community: a discussion thread, an article, a wiki page or a resource.
public struct CommunityItem: Sendable, Equatable, Identifiable {
    public typealias ID = EntityID<CommunityItem>

    public enum Kind: String, Sendable, CaseIterable, Codable {
        /// A discussion: a question or topic with replies (comments), which can be pinned and closed.
        case thread
        /// Long-form writing with a draft state and a publish time.
        case article
        /// A page any member may edit, with every revision kept.
        case wiki
        /// An uploaded document, recording or slide deck, or a link.
        case resource

        /// The word a page uses for one of them.
        public var noun: String {
            switch self {
            case .thread: "discussion"
            case .article: "article"
            case .wiki: "wiki page"
            case .resource: "resource"
            }
        }
    }

    public enum State: String, Sendable, Codable {
        /// Seen only by its author and the community's managers.
        case draft
        /// Seen by the community from `publishedAt` on (a later time schedules it).
        case published
    }

    /// An uploaded file (stored by ``ResourceFiles`` under `storageKey`) or a link elsewhere.
    public struct Resource: Sendable, Equatable {
        public var fileName: String?
        public var contentType: String?
        public var byteSize: Int
        public var storageKey: String?
        public var link: String?

        public init(fileName: String? = nil, contentType: String? = nil, byteSize: Int = 0, storageKey: String? = nil, link: String? = nil) {
            self.fileName = fileName
            self.contentType = contentType
            self.byteSize = byteSize
            self.storageKey = storageKey
            self.link = link
        }

        public var isLink: Bool { storageKey == nil }
    }

    /// A "special mention" by a manager or subject-matter expert; featured items lead the community home.
    public struct Feature: Sendable, Equatable {
        public var note: String
        public var by: Member.ID
        public var at: Date

        public init(note: String, by: Member.ID, at: Date) {
            self.note = note
            self.by = by
            self.at = at
        }
    }

    public struct Counts: Sendable, Equatable {
        /// Distinct members who opened it (its author not counted).
        public var views: Int
        public var comments: Int
        public var favourites: Int
        public var ratings: Int
        /// The sum of the stars of all ratings.
        public var ratingTotal: Int

        public init(views: Int = 0, comments: Int = 0, favourites: Int = 0, ratings: Int = 0, ratingTotal: Int = 0) {
            self.views = views
            self.comments = comments
            self.favourites = favourites
            self.ratings = ratings
            self.ratingTotal = ratingTotal
        }

        /// The mean of the stars, nil before the first rating.
        public var meanRating: Double? { ratings == 0 ? nil : Double(ratingTotal) / Double(ratings) }
    }

    public let id: ID
    public let communityID: Community.ID
    public let kind: Kind
    public var title: String
    /// Markdown, as written.
    public var body: String
    /// Lower-case, without `#`.
    public var tags: [String]
    public let authorID: Member.ID
    public var state: State
    public var publishedAt: Date?
    public var pinned: Bool
    public var closed: Bool
    /// A manager's announcement: shown under the community home's latest news.
    public var announcement: Bool
    /// The number of the current text; every edit adds one, and an edit made from an older number is refused
    /// (someone else saved in between).
    public var revision: Int
    public var resource: Resource?
    public var feature: Feature?
    /// Set while moderation keeps the item out of view (it is then not live).
    public var withholding: Withholding? = nil
    /// Content health as the community's experts last judged it, and when they last reviewed it.
    public var health: ContentHealth? = nil
    public var reviewedAt: Date? = nil
    /// Where an import took it from (the file's path in the imported folder): the same file updates it.
    public var importKey: String?
    public var counts: Counts
    public let createdAt: Date
    public var updatedAt: Date

    public init(
        id: ID, communityID: Community.ID, kind: Kind, title: String, body: String, tags: [String] = [],
        authorID: Member.ID, state: State = .published, publishedAt: Date? = nil, pinned: Bool = false,
        closed: Bool = false, announcement: Bool = false, revision: Int = 1, resource: Resource? = nil,
        feature: Feature? = nil, importKey: String? = nil, counts: Counts = Counts(), createdAt: Date,
        updatedAt: Date? = nil
    ) {
        self.id = id
        self.communityID = communityID
        self.kind = kind
        self.title = title
        self.body = body
        self.tags = tags
        self.authorID = authorID
        self.state = state
        self.publishedAt = publishedAt
        self.pinned = pinned
        self.closed = closed
        self.announcement = announcement
        self.revision = revision
        self.resource = resource
        self.feature = feature
        self.importKey = importKey
        self.counts = counts
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
    }

    /// Published and its time has come.
    public func isLive(at now: Date) -> Bool {
        state == .published && (publishedAt ?? createdAt) <= now && withholding == nil
    }
}

/// A comment on an item (the replies of a discussion thread).
public struct CommunityComment: Sendable, Equatable, Identifiable {
    public typealias ID = EntityID<CommunityComment>

    public let id: ID
    public let itemID: CommunityItem.ID
    public let authorID: Member.ID
    public var body: String
    public let createdAt: Date
    public var editedAt: Date?
    public var deletedAt: Date?
    /// Set when moderation holds the comment (at writing; lists leave withheld comments out).
    public var withholding: Withholding? = nil

    public init(
        id: ID, itemID: CommunityItem.ID, authorID: Member.ID, body: String, createdAt: Date, editedAt: Date? = nil,
        deletedAt: Date? = nil
    ) {
        self.id = id
        self.itemID = itemID
        self.authorID = authorID
        self.body = body
        self.createdAt = createdAt
        self.editedAt = editedAt
        self.deletedAt = deletedAt
    }
}

/// One saved text of an item. Revision 1 is the first text; the item holds the newest.
public struct ItemRevision: Sendable, Equatable {
    public let itemID: CommunityItem.ID
    public let number: Int
    public let title: String
    public let body: String
    public let tags: [String]
    public let authorID: Member.ID
    public let createdAt: Date
    /// What the editor said about the change ("Restored revision 3", a summary line).
    public let note: String

    public init(
        itemID: CommunityItem.ID, number: Int, title: String, body: String, tags: [String], authorID: Member.ID,
        createdAt: Date, note: String = ""
    ) {
        self.itemID = itemID
        self.number = number
        self.title = title
        self.body = body
        self.tags = tags
        self.authorID = authorID
        self.createdAt = createdAt
        self.note = note
    }
}

/// How much of a community's activity reaches a member as notifications.
public enum CommunityNotificationLevel: String, Sendable, CaseIterable, Codable {
    /// Nothing but what is addressed to them (approvals, invitations).
    case muted
    /// Replies to their own content and to discussions they took part in, features of their content, news.
    case normal
    /// Also every new item.
    case watching
}

/// Which items a list shows.
public struct CommunityItemQuery: Sendable, Equatable {
    public enum Order: String, Sendable {
        /// Pinned first, then the newest published.
        case latest
        /// Recently active first (the candidates of "what's popular").
        case active
    }

    public var community: Community.ID
    public var kind: CommunityItem.Kind?
    /// Only items live at this time, plus drafts and scheduled items of `draftsOf` (or of everyone if
    /// `allDrafts`).
    public var liveAt: Date
    public var draftsOf: Member.ID?
    public var allDrafts: Bool
    public var announcementsOnly: Bool
    public var featuredOnly: Bool
    /// Open discussions nobody has replied to yet.
    public var unansweredOnly = false
    public var order: Order
    public var limit: Int
    public var offset: Int

    public init(
        community: Community.ID, kind: CommunityItem.Kind? = nil, liveAt: Date, draftsOf: Member.ID? = nil,
        allDrafts: Bool = false, announcementsOnly: Bool = false, featuredOnly: Bool = false, order: Order = .latest,
        limit: Int = 20, offset: Int = 0
    ) {
        self.community = community
        self.kind = kind
        self.liveAt = liveAt
        self.draftsOf = draftsOf
        self.allDrafts = allDrafts
        self.announcementsOnly = announcementsOnly
        self.featuredOnly = featuredOnly
        self.order = order
        self.limit = limit
        self.offset = offset
    }
}

public protocol CommunityContentRepository: Sendable {
    func insert(_ item: CommunityItem) async throws
    /// Stores everything about the item but its counts.
    func update(_ item: CommunityItem) async throws
    func delete(_ id: CommunityItem.ID) async throws
    func find(id: CommunityItem.ID) async throws -> CommunityItem?
    func find(importKey: String, in community: Community.ID) async throws -> CommunityItem?
    func items(_ query: CommunityItemQuery) async throws -> Page<CommunityItem>
    /// Live items of the communities `member` belongs to or follows, published in `(after, before]`,
    /// the newest first: their place in the member's home timeline.
    func homeItems(of member: Member.ID, after: Date?, before: Date, limit: Int) async throws -> [CommunityItem]
    /// Live items having every word in their title or text, in communities `visibleTo` may read (every
    /// community for nil), the newest first.
    func search(_ words: [String], visibleTo: Member.ID?, liveAt: Date, limit: Int) async throws -> [CommunityItem]

    func insertRevision(_ revision: ItemRevision) async throws
    /// Newest first.
    func revisions(of item: CommunityItem.ID) async throws -> [ItemRevision]
    func revision(_ number: Int, of item: CommunityItem.ID) async throws -> ItemRevision?

    func insertComment(_ comment: CommunityComment) async throws
    func updateComment(_ comment: CommunityComment) async throws
    func comment(id: CommunityComment.ID) async throws -> CommunityComment?
    /// Oldest first, deleted ones included (shown as removed so replies keep their place).
    func comments(of item: CommunityItem.ID, limit: Int, offset: Int) async throws -> [CommunityComment]
    /// Who commented on the item, distinct.
    func commenters(of item: CommunityItem.ID) async throws -> [Member.ID]

    /// The member's stars for the item; the previous ones, if any, are replaced and returned.
    func rate(_ item: CommunityItem.ID, by member: Member.ID, stars: Int, at: Date) async throws -> Int?
    func rating(of item: CommunityItem.ID, by member: Member.ID) async throws -> Int?
    /// `false` when it was favourited already.
    func favourite(_ item: CommunityItem.ID, by member: Member.ID, at: Date) async throws -> Bool
    func unfavourite(_ item: CommunityItem.ID, by member: Member.ID) async throws -> Bool
    func favourited(by member: Member.ID, among items: [CommunityItem.ID]) async throws -> Set<CommunityItem.ID>
    /// Counts the member's first opening of the item; `false` when they had opened it before.
    func recordView(_ item: CommunityItem.ID, by member: Member.ID, at: Date) async throws -> Bool
    func hasViewed(_ item: CommunityItem.ID, by member: Member.ID) async throws -> Bool
    func adjustCounts(_ item: CommunityItem.ID, comments: Int, favourites: Int, ratings: Int, ratingTotal: Int) async throws

    /// Members who gained most from others on their items of the community since `since` (favourites and
    /// ratings of four or five stars received), most first.
    func popularContributors(in community: Community.ID, since: Date, limit: Int) async throws -> [(member: Member.ID, score: Int)]
}
