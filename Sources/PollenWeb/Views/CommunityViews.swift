import Foundation
import PollenCore

/// A community in a list: the directory, "your communities", suggestions.
struct CommunityCard {
    let slug: String
    let name: String
    let kind: String
    let purpose: String
    let membership: String
    let members: String
    /// The viewer's standing ("Member", "Manager", "Asked to join", "Invited"), if any.
    let standing: String?
    /// Why it is suggested.
    let reason: String?

    init(_ community: Community, members: Int, standing: CommunityMember? = nil, reason: String? = nil) {
        slug = community.slug
        name = community.name
        kind = Self.kindLabel(community.kind)
        purpose = community.purpose.count > 240 ? String(community.purpose.prefix(239)) + "…" : community.purpose
        membership = Self.membershipLabel(community.membership)
        self.members = members == 1 ? "1 member" : "\(members) members"
        self.standing = standing.map(Self.standingLabel)
        self.reason = reason
    }

    static func kindLabel(_ kind: Community.Kind) -> String {
        switch kind {
        case .horizontal: "Across units (a method)"
        case .vertical: "One job role"
        case .interest: "Interest group"
        }
    }

    static func membershipLabel(_ membership: Community.Membership) -> String {
        switch membership {
        case .open: "Open"
        case .onRequest: "Join on request"
        case .private: "Private"
        }
    }

    static func standingLabel(_ membership: CommunityMember) -> String {
        switch membership.state {
        case .requested: "Asked to join"
        case .invited: "Invited"
        case .active:
            switch membership.role {
            case .manager: "Manager"
            case .sme: "Subject-matter expert"
            case .member: "Member"
            }
        }
    }
}

struct CommunitiesPage {
    struct KindOption {
        let value: String
        let label: String
        let selected: Bool
    }
    let layout: Layout
    let query: String
    let kinds: [KindOption]
    let results: [CommunityCard]
    let hasResults: Bool
    let searched: Bool
    let mine: [CommunityCard]
    let hasMine: Bool
    let suggestions: [CommunityCard]
    let hasSuggestions: Bool
    let nextURL: String?
}

struct CommunityFormPage {
    struct Choice {
        let value: String
        let label: String
        let selected: Bool
    }
    let layout: Layout
    let heading: String
    let action: String
    let editing: Bool
    let slug: String
    let name: String
    let purpose: String
    let guidelines: String
    let kinds: [Choice]
    let memberships: [Choice]
    var formError: String?
    let errorField: String?
    let cancelURL: String

    static func choices(_ draft: CommunityDraft) -> (kinds: [Choice], memberships: [Choice]) {
        (
            Community.Kind.allCases.map { Choice(value: $0.rawValue, label: CommunityCard.kindLabel($0), selected: $0 == draft.kind) },
            [
                Choice(value: "open", label: "Open: anyone joins at once", selected: draft.membership == .open),
                Choice(value: "request", label: "On request: managers approve who joins", selected: draft.membership == .onRequest),
                Choice(value: "private", label: "Private: invisible to everyone outside it", selected: draft.membership == .private),
            ]
        )
    }
}

/// An item in a list: on the community home, in a list by type, in the home timeline.
struct ItemCard {
    let id: String
    let url: String
    let title: String
    let kind: String
    let kindKey: String
    let excerpt: String
    let authorName: String
    let authorHandle: String
    let communityName: String
    let communitySlug: String
    let time: String
    let timeISO: String
    let pinned: Bool
    let closed: Bool
    let draft: Bool
    let scheduled: String?
    let comments: String
    let favourites: String
    let rating: String?
    let featureNote: String?
    let popularity: String?

    init(_ summary: ItemSummary, now: Date) {
        let item = summary.item
        id = item.id.description
        url = "/c/\(summary.community.slug)/items/\(item.id)"
        title = item.title
        kind = item.kind.noun.prefix(1).uppercased() + item.kind.noun.dropFirst()
        kindKey = item.kind.rawValue
        excerpt = Self.excerpt(item.body)
        authorName = summary.author.profile.displayName
        authorHandle = summary.author.handle
        communityName = summary.community.name
        communitySlug = summary.community.slug
        let shown = item.publishedAt ?? item.createdAt
        time = shown.formatted(date: .abbreviated, time: .shortened)
        timeISO = shown.ISO8601Format()
        pinned = item.pinned
        closed = item.closed
        draft = item.state == .draft
        scheduled = item.state == .published && shown > now ? "Scheduled for \(time)" : nil
        comments = Self.count(item.counts.comments, "comment", "comments")
        favourites = Self.count(item.counts.favourites, "favourite", "favourites")
        rating = item.counts.meanRating.map { String(format: "%.1f ★ (%d)", $0, item.counts.ratings) }
        featureNote = item.feature.map { $0.note.isEmpty ? "Featured" : $0.note }
        popularity = summary.popularity.map { String(format: "%.3f", $0) }
    }

    /// "1 comment", "3 comments".
    static func count(_ n: Int, _ one: String, _ many: String) -> String {
        n == 1 ? "1 \(one)" : "\(n) \(many)"
    }

    /// The first words of the text without Markdown marks, for a list.
    static func excerpt(_ markdown: String) -> String {
        let plain = markdown.split(separator: "\n").map { line in
            line.trimmingCharacters(in: CharacterSet(charactersIn: "#>*-_` ").union(.whitespaces))
        }.filter { !$0.isEmpty }.joined(separator: " ")
        return plain.count > 200 ? String(plain.prefix(199)) + "…" : plain
    }
}

struct PersonLink {
    let name: String
    let handle: String
    let note: String?
}

struct CommunityHomePage {
    struct Level {
        let value: String
        let label: String
        let selected: Bool
    }
    let layout: Layout
    let slug: String
    let name: String
    let kind: String
    let membership: String
    let purposeHTML: String
    let guidelinesHTML: String
    let members: String
    let followers: String?
    let standing: String?
    let mayRead: Bool
    let mayJoin: Bool
    let joinLabel: String
    let mayLeave: Bool
    let leaveLabel: String
    let mayFollow: Bool
    let following: Bool
    let levels: [Level]
    let hasLevels: Bool
    let mayContribute: Bool
    let mayManage: Bool
    let pendingRequests: String?
    let featured: [ItemCard]
    let news: [ItemCard]
    let latest: [ItemCard]
    let popular: [ItemCard]
    let openQuestions: [ItemCard]
    let hasOpenQuestions: Bool
    let questions: [QuestionCard]
    let hasQuestions: Bool
    let hasFeatured: Bool
    let hasNews: Bool
    let hasLatest: Bool
    let hasPopular: Bool
    let newMembers: [PersonLink]
    let popularMembers: [PersonLink]
    let leaders: [PersonLink]
    let hasPopularMembers: Bool
    /// The community's value matrix is open to the viewer (its members and administrators).
    var maySeeValue = false
}

struct CommunityItemsPage {
    struct Tab {
        let label: String
        let url: String
        let current: Bool
    }
    let layout: Layout
    let slug: String
    let name: String
    let heading: String
    let tabs: [Tab]
    let items: [ItemCard]
    let hasItems: Bool
    let mayContribute: Bool
    let newURL: String
    let newLabel: String
    let nextURL: String?
}

struct CommunityMembersPage {
    struct Row {
        let name: String
        let handle: String
        let role: String
        let since: String
        let isManager: Bool
        let isSME: Bool
        let isMember: Bool
    }
    let layout: Layout
    let slug: String
    let name: String
    let members: [Row]
    let requests: [Row]
    let invitations: [Row]
    let hasRequests: Bool
    let hasInvitations: Bool
    let mayManage: Bool
    var formError: String?
}

struct ItemPage {
    struct Comment {
        let id: String
        let authorName: String
        let authorHandle: String
        let html: String
        let time: String
        let timeISO: String
        let deleted: Bool
        let mayDelete: Bool
        let mayFlag: Bool
    }
    struct Star {
        let value: Int
        let checked: Bool
    }
    let layout: Layout
    let id: String
    /// The same as `id`, for forms inside a comment (whose own `id` would shadow it).
    let itemID: String
    let slug: String
    let communityName: String
    let kind: String
    let kindKey: String
    let title: String
    let html: String
    let tags: [String]
    let authorName: String
    let authorHandle: String
    let time: String
    let timeISO: String
    let updated: String?
    let revision: Int
    let draft: Bool
    let scheduled: String?
    let pinned: Bool
    let closed: Bool
    let isThread: Bool
    let isWiki: Bool
    let announcement: Bool
    let featureNote: String?
    let featuredBy: String?
    let views: String
    let favourites: String
    let ratingText: String
    let stars: [Star]
    let viewerRated: Bool
    let favourited: Bool
    let mayRate: Bool
    let mayEdit: Bool
    let mayLead: Bool
    let mayDelete: Bool
    let mayComment: Bool
    let mayClose: Bool
    let resourceURL: String?
    let resourceName: String?
    let resourceSize: String?
    let resourceLink: String?
    let audio: Bool
    let video: Bool
    let comments: [Comment]
    let commentsHeading: String
    let commentText: String
    var formError: String?
    /// Moderation and content health, shown over the item.
    var withheld: String? = nil
    var health: String? = nil
    var reviewed: String? = nil
    var mayReview = false
    var mayFlag = false
    /// "Mark useful" and the value stories the item is part of.
    var value: ValueBlock? = nil
}

struct ItemFormPage {
    struct Choice {
        let value: String
        let label: String
        let selected: Bool
    }
    let layout: Layout
    let heading: String
    let action: String
    let slug: String
    let communityName: String
    let kindKey: String
    let kindLabel: String
    let editing: Bool
    let title: String
    let body: String
    let tags: String
    let isArticle: Bool
    let isResource: Bool
    let isWiki: Bool
    let mayAnnounce: Bool
    let announcement: Bool
    let publishAt: String
    let published: Bool
    let link: String
    let revision: Int?
    let note: String
    let maxMB: String
    var formError: String?
    let errorField: String?
    /// After a refused save because someone else saved first: the text as it is now, to compare.
    let conflictBody: String?
    let cancelURL: String
}

struct ItemHistoryPage {
    struct Row {
        let number: Int
        let authorName: String
        let authorHandle: String
        let time: String
        let note: String
        let current: Bool
        let previous: Int?
    }
    struct DiffLine {
        let sign: String
        let cls: String
        let text: String
        let oldNumber: String
        let newNumber: String
    }
    let layout: Layout
    let id: String
    let slug: String
    let title: String
    let rows: [Row]
    let mayEdit: Bool
    let currentRevision: Int
    let comparing: Bool
    let fromNumber: Int
    let toNumber: Int
    let added: String
    let removed: String
    let diff: [DiffLine]
    let hasChanges: Bool
}
