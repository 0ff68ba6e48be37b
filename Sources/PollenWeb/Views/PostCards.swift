import Foundation
import PollenCore

/// A post as a page shows it to one viewer, with the state of its buttons.
struct PostCard {
    struct Person {
        let name: String
        let handle: String
    }

    /// The post the buttons act on: the original of a reshare, otherwise the post itself.
    let id: String
    let author: Person
    let html: String
    let time: String
    let timeISO: String
    let edited: Bool
    let isDeleted: Bool
    let visibilityLabel: String?
    /// Set on a reshare: who passed it on, and their commentary.
    let resharedBy: Person?
    let commentaryHTML: String?
    let replyToHandle: String?
    let replies: Int
    let reshares: Int
    let favourites: Int
    let favourited: Bool
    let bookmarked: Bool
    let reshared: Bool
    let canReshare: Bool
    let canEdit: Bool
    let canDelete: Bool
    /// Where the buttons bring the viewer back to.
    let next: String
    let highlighted: Bool

    static let visibilityLabels: [Post.Visibility: String?] = [
        .organization: nil, .followers: "Followers only", .mentioned: "Only people mentioned",
    ]

    static func make(_ view: PostView, viewer: Member, next: String, highlighted: Bool = false, html: RenderCache) -> PostCard {
        let shown: (post: Post, author: Member, mentions: [Member], favourited: Bool, bookmarked: Bool, reshared: Bool)
        var resharedBy: Person? = nil
        var commentary: String? = nil
        if view.post.isReshare, let original = view.original {
            shown = (original.post, original.author, original.mentions, original.favourited, original.bookmarked, original.reshared)
            resharedBy = Person(name: view.author.profile.displayName, handle: view.author.handle)
            commentary = view.post.body.isEmpty ? nil : html.html(view.post.body, mentions: view.mentions)
        } else {
            shown = (view.post, view.author, view.mentions, view.favourited, view.bookmarked, view.reshared)
        }
        let post = shown.post
        return PostCard(
            id: post.id.description,
            author: Person(name: shown.author.profile.displayName, handle: shown.author.handle),
            html: post.isDeleted ? "" : html.html(post.body, mentions: shown.mentions + [shown.author]),
            time: post.createdAt.formatted(date: .abbreviated, time: .shortened),
            timeISO: post.createdAt.ISO8601Format(), edited: post.editedAt != nil, isDeleted: post.isDeleted,
            visibilityLabel: visibilityLabels[post.visibility] ?? nil,
            resharedBy: resharedBy, commentaryHTML: commentary,
            replyToHandle: nil, replies: post.counts.replies, reshares: post.counts.reshares,
            favourites: post.counts.favourites, favourited: shown.favourited, bookmarked: shown.bookmarked,
            reshared: shown.reshared, canReshare: post.visibility == .organization && !post.isDeleted,
            canEdit: post.authorID == viewer.id && !post.isDeleted,
            canDelete: AccessPolicy.mayDelete(post, by: viewer) && !post.isDeleted, next: next, highlighted: highlighted)
    }
}

/// The compose form: a text area and who may see the post.
struct ComposeForm {
    struct Option {
        let value: String
        let label: String
        let selected: Bool
    }
    let action: String
    let label: String
    let button: String
    let text: String
    let error: String?
    let options: [Option]
    let replyToID: String?
    /// Editing keeps the audience a post was published to: people who saw it should not lose it.
    let choosesVisibility: Bool
    let visibilityText: String
    /// The form's accessible name.
    let formName: String
    let maxLengthText = PostText.maxLength.formatted()

    init(action: String = "/posts", label: String = "New post", button: String = "Post", text: String = "",
         error: String? = nil, visibility: Post.Visibility = .organization, replyToID: String? = nil,
         choosesVisibility: Bool = true, formName: String = "Write a post") {
        self.action = action
        self.choosesVisibility = choosesVisibility
        self.formName = formName
        self.label = label
        self.button = button
        self.text = text
        self.error = error
        self.replyToID = replyToID
        options = [
            Option(value: "organization", label: "Everyone in the organization", selected: visibility == .organization),
            Option(value: "followers", label: "Your followers", selected: visibility == .followers),
            Option(value: "mentioned", label: "Only people you mention", selected: visibility == .mentioned),
        ]
        visibilityText = options.first(where: \.selected)?.label.lowercased() ?? ""
    }
}

extension ComposeForm {
    /// The reply box under a post, fresh or shown again with the reason a reply was refused.
    static func reply(to post: Post.ID, text: String, error: String? = nil, visibility: Post.Visibility) -> ComposeForm {
        ComposeForm(
            label: "Your reply", button: "Reply", text: text, error: error, visibility: visibility,
            replyToID: post.description, formName: "Write a reply")
    }
}

struct TimelinePage {
    let layout: Layout
    let heading: String
    let intro: String?
    /// A newcomer without subjects or department is asked to complete the profile, so people can find them.
    let profilePrompt: Bool
    /// The getting-started guide, offered on the home page until it is finished or skipped.
    var guidePrompt: String? = nil
    let compose: ComposeForm?
    let posts: [PostCard]
    let hasPosts: Bool
    let emptyText: String
    var olderURL: String?
    /// What the page lists, newest first: the posts, and on the home timeline new content of the viewer's
    /// communities between them.
    var entries: [TimelineEntry] = []
}

struct TimelineEntry {
    var post: PostCard? = nil
    var item: ItemCard? = nil
}

struct ThreadPage {
    let layout: Layout
    let ancestors: [PostCard]
    let post: PostCard
    let descendants: [PostCard]
    let repliesHeading: String
    let reply: ComposeForm?
    /// "Mark useful" and the value stories the post is part of.
    var value: ValueBlock? = nil
}

struct DeletePostPage {
    let layout: Layout
    let post: PostCard
}

struct EditPostPage {
    let layout: Layout
    let postURL: String
    let compose: ComposeForm
    let revisions: [Revision]
    let hasRevisions: Bool

    struct Revision {
        let html: String
        let replacedAt: String
    }
}
