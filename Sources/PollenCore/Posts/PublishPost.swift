import Foundation

/// What a member writes: a new post or a reply.
public struct PostDraft: Sendable {
    public var body: String
    public var visibility: Post.Visibility
    public var replyToID: Post.ID?

    public init(body: String, visibility: Post.Visibility = .organization, replyToID: Post.ID? = nil) {
        self.body = body
        self.visibility = visibility
        self.replyToID = replyToID
    }
}

/// A post with everything a page or API needs to show it to one viewer.
public struct PostView: Sendable, Equatable {
    public let post: Post
    public let author: Member
    /// For a reshare: the post it passes on and its author (nil when that post is gone or hidden).
    public let original: Original?
    public let mentions: [Member]
    public let favourited: Bool
    public let bookmarked: Bool
    public let reshared: Bool
    public let cursor: Int64

    public struct Original: Sendable, Equatable {
        public let post: Post
        public let author: Member
        public let mentions: [Member]
        public let favourited: Bool
        public let bookmarked: Bool
        public let reshared: Bool
    }
}

extension Pollen {
    /// Publishes a post or a reply. Mentions of people who block the author are not linked and not told;
    /// replying to someone who blocks you, or to a deleted post, is refused.
    @discardableResult
    public func publishPost(_ draft: PostDraft, by actor: Actor) async throws -> Post {
        let author = try activeMember(actor)
        let body = try Self.validBody(draft.body, allowEmpty: false)
        let now = time.now()
        let postID = Post.ID(ids.next())
        return try await store.write { repos in
            var parent: Post? = nil
            if let replyToID = draft.replyToID {
                guard let found = try await repos.posts.find(id: replyToID),
                    try await Self.maySee(found, viewer: author, repos: repos)
                else { throw DomainError.notFound("Post") }
                guard !found.isDeleted else {
                    throw DomainError.invalid("You cannot reply to a deleted post.", field: "in_reply_to_id")
                }
                let relation = try await Self.relationship(author.id, found.authorID, repos: repos)
                guard !relation.blockedBy else { throw DomainError(.forbidden, "You cannot reply to this post.") }
                parent = found
            }
            let screening = try await Self.screen(body, by: author, community: nil, content: nil, at: now, repos: repos)
            let mentions = try await Self.resolveMentions(in: body, author: author, repos: repos)
            var post = Post(
                id: postID, authorID: author.id, body: body, visibility: draft.visibility, replyToID: parent?.id,
                replyToAuthorID: parent?.authorID, threadRootID: parent?.threadRootID, hashtags: PostText.hashtags(in: body),
                mentionIDs: mentions, createdAt: now)
            try await repos.posts.insert(post)
            try await Self.applyScreening(
                screening, to: ContentRef(.post, post.id.rawValue), author: author, ids: [ids.next(), ids.next()], at: now, repos: repos)
            // Held content reaches nobody until it is approved.
            if let withholding = screening.withholding {
                post.withholding = withholding
                return post
            }
            if let parent {
                try await repos.posts.adjustCounts(parent.id, replies: 1, reshares: 0, favourites: 0)
                // A reply for the replier's followers or mentioned people only may be one the parent's author
                // cannot see; they are told only of replies they can read.
                if let parentAuthor = try await repos.members.find(id: parent.authorID),
                    try await Self.maySee(post, viewer: parentAuthor, repos: repos)
                {
                    try await Self.notify(
                        parent.authorID, kind: .reply, actor: author.id, post: post.id, id: ids.next(), at: now,
                        repos: repos)
                }
            }
            // The parent's author hears of the reply once, as a reply, not again as a mention.
            for mentioned in mentions where mentioned != parent?.authorID {
                try await Self.notify(
                    mentioned, kind: .mention, actor: author.id, post: post.id, id: ids.next(), at: now, repos: repos)
            }
            return post
        }
    }

    /// Passes a post on to one's followers, with optional commentary. Only posts visible to the whole
    /// organization can be reshared; a reshare of a reshare passes on the original.
    @discardableResult
    public func resharePost(_ id: Post.ID, comment: String = "", by actor: Actor) async throws -> Post {
        let member = try activeMember(actor)
        let commentary = try Self.validBody(comment, allowEmpty: true)
        let now = time.now()
        let postID = Post.ID(ids.next())
        return try await store.write { repos in
            var original = try await Self.visiblePost(id, viewer: member, repos: repos)
            if let inner = original.reshareOfID {
                original = try await Self.visiblePost(inner, viewer: member, repos: repos)
            }
            guard original.visibility == .organization else {
                throw DomainError.invalid("Only posts visible to the whole organization can be reshared.")
            }
            let relation = try await Self.relationship(member.id, original.authorID, repos: repos)
            guard !relation.blockedBy else { throw DomainError(.forbidden, "You cannot reshare this post.") }
            if commentary.isEmpty, try await repos.posts.reshare(of: original.id, by: member.id) != nil {
                throw DomainError(.conflict, "You have reshared this post already.")
            }
            let mentions = try await Self.resolveMentions(in: commentary, author: member, repos: repos)
            let reshare = Post(
                id: postID, authorID: member.id, body: commentary, visibility: .organization, reshareOfID: original.id,
                hashtags: PostText.hashtags(in: commentary), mentionIDs: mentions, createdAt: now)
            try await repos.posts.insert(reshare)
            try await repos.posts.adjustCounts(original.id, replies: 0, reshares: 1, favourites: 0)
            try await Self.notify(
                original.authorID, kind: .reshare, actor: member.id, post: original.id, id: ids.next(), at: now,
                repos: repos)
            for mentioned in mentions where mentioned != original.authorID {
                try await Self.notify(
                    mentioned, kind: .mention, actor: member.id, post: reshare.id, id: ids.next(), at: now, repos: repos)
            }
            return reshare
        }
    }

    /// Withdraws the member's plain reshare of a post.
    @discardableResult
    public func unresharePost(_ id: Post.ID, by actor: Actor) async throws -> Post {
        let member = try activeMember(actor)
        let now = time.now()
        return try await store.write { repos in
            let original = try await Self.visiblePost(id, viewer: member, repos: repos)
            // Only a plain reshare is withdrawn: one with commentary is the member's own post, deleted as such.
            guard let reshare = try await repos.posts.reshare(of: original.reshareOfID ?? original.id, by: member.id),
                reshare.body.isEmpty
            else { throw DomainError(.conflict, "You have not reshared this post.") }
            try await repos.posts.markDeleted(reshare.id, at: now)
            let resharedID = reshare.reshareOfID ?? original.id
            try await repos.posts.adjustCounts(resharedID, replies: 0, reshares: -1, favourites: 0)
            // Undone, as in Mastodon: the author is no longer told of a reshare that is gone.
            if let reshared = try await repos.posts.find(id: resharedID) {
                try await repos.notifications.withdraw(.reshare, to: reshared.authorID, from: member.id, post: resharedID)
            }
            return original
        }
    }

    /// Changes the text of one's own post; the earlier text is kept in its history.
    @discardableResult
    public func editPost(_ id: Post.ID, body rawBody: String, by actor: Actor) async throws -> Post {
        let member = try activeMember(actor)
        let now = time.now()
        return try await store.write { repos in
            guard var post = try await repos.posts.find(id: id), !post.isDeleted,
                try await Self.maySee(post, viewer: member, repos: repos)
            else { throw DomainError.notFound("Post") }
            guard post.authorID == member.id else { throw DomainError(.forbidden, "Only the author can edit a post.") }
            let body = try Self.validBody(rawBody, allowEmpty: post.isReshare)
            guard body != post.body else { return post }
            try await Self.screenEdit(body, of: ContentRef(.post, post.id.rawValue), by: member, caseID: ids.next(), at: now, repos: repos)
            let previous = PostRevision(postID: post.id, body: post.body, replacedAt: now)
            post.body = body
            post.hashtags = PostText.hashtags(in: body)
            post.mentionIDs = try await Self.resolveMentions(in: body, author: member, repos: repos)
            post.editedAt = now
            try await repos.posts.update(post, replacing: previous)
            return post
        }
    }

    /// Deletes a post: its author may, and so may moderators. Replies stay, under a "deleted" placeholder.
    public func deletePost(_ id: Post.ID, by actor: Actor) async throws {
        let member = try activeMember(actor)
        let now = time.now()
        try await store.write { repos in
            guard let post = try await repos.posts.find(id: id), !post.isDeleted,
                try await Self.maySee(post, viewer: member, repos: repos)
            else { throw DomainError.notFound("Post") }
            try AccessPolicy.require(AccessPolicy.mayDelete(post, by: member))
            try await repos.posts.markDeleted(post.id, at: now)
            // Nobody is left with an unread notification about something they can no longer see.
            try await repos.notifications.deleteAll(about: post.id)
            if let parent = post.replyToID {
                try await repos.posts.adjustCounts(parent, replies: -1, reshares: 0, favourites: 0)
            }
            if let original = post.reshareOfID {
                try await repos.posts.adjustCounts(original, replies: 0, reshares: -1, favourites: 0)
            }
        }
    }

    public func setFavourite(_ on: Bool, _ id: Post.ID, by actor: Actor) async throws -> Post {
        let member = try activeMember(actor)
        let now = time.now()
        let markID = ids.next()
        return try await store.write { repos in
            let post = try await Self.visiblePost(id, viewer: member, repos: repos)
            let changed = on
                ? try await repos.posts.favourite(post.id, by: member.id, id: markID, at: now)
                : try await repos.posts.unfavourite(post.id, by: member.id)
            if changed { try await repos.posts.adjustCounts(post.id, replies: 0, reshares: 0, favourites: on ? 1 : -1) }
            if changed && on {
                try await Self.notify(
                    post.authorID, kind: .favourite, actor: member.id, post: post.id, id: ids.next(), at: now,
                    repos: repos)
            } else if changed {
                try await repos.notifications.withdraw(.favourite, to: post.authorID, from: member.id, post: post.id)
            }
            return try await repos.posts.find(id: post.id) ?? post
        }
    }

    /// Bookmarks are private: nobody, the author included, learns of them.
    public func setBookmark(_ on: Bool, _ id: Post.ID, by actor: Actor) async throws -> Post {
        let member = try activeMember(actor)
        let now = time.now()
        let markID = ids.next()
        return try await store.write { repos in
            let post = try await Self.visiblePost(id, viewer: member, repos: repos)
            _ = on
                ? try await repos.posts.bookmark(post.id, by: member.id, id: markID, at: now)
                : try await repos.posts.unbookmark(post.id, by: member.id)
            return post
        }
    }

    // MARK: Reading

    public func post(_ id: Post.ID, viewer actor: Actor) async throws -> PostView {
        let viewer = try activeMember(actor)
        return try await store.read { repos in
            let post = try await Self.visiblePost(id, viewer: viewer, repos: repos, allowDeleted: true)
            let views = try await Self.views([PostEntry(cursor: post.id.rawValue, post: post)], viewer: viewer, repos: repos)
            guard let view = views.first else { throw DomainError.notFound("Post") }
            return view
        }
    }

    /// A thread around a post: the replies it answers (oldest first) and the replies below it, as the viewer
    /// may see them.
    public func context(of id: Post.ID, viewer actor: Actor) async throws -> (ancestors: [PostView], descendants: [PostView]) {
        let viewer = try activeMember(actor)
        return try await store.read { repos in
            let post = try await Self.visiblePost(id, viewer: viewer, repos: repos, allowDeleted: true)
            let thread = try await repos.posts.thread(root: post.threadRootID)
            let byID = Dictionary(uniqueKeysWithValues: thread.map { ($0.id, $0) })
            var ancestors: [Post] = []
            var cursor = post.replyToID
            while let id = cursor, let parent = byID[id], ancestors.count < thread.count {
                ancestors.insert(parent, at: 0)
                cursor = parent.replyToID
            }
            var below: Set<Post.ID> = [post.id]
            var descendants: [Post] = []
            for candidate in thread where candidate.id > post.id {
                if let parent = candidate.replyToID, below.contains(parent) {
                    below.insert(candidate.id)
                    descendants.append(candidate)
                }
            }
            var visibleAncestors: [Post] = []
            for ancestor in ancestors where try await Self.maySee(ancestor, viewer: viewer, repos: repos) {
                visibleAncestors.append(ancestor)
            }
            var visibleDescendants: [Post] = []
            for descendant in descendants where try await Self.maySee(descendant, viewer: viewer, repos: repos) {
                visibleDescendants.append(descendant)
            }
            return (
                try await Self.views(visibleAncestors.map { PostEntry(cursor: $0.id.rawValue, post: $0) }, viewer: viewer, repos: repos),
                try await Self.views(visibleDescendants.map { PostEntry(cursor: $0.id.rawValue, post: $0) }, viewer: viewer, repos: repos)
            )
        }
    }

    public func timeline(_ source: TimelineSource, viewer actor: Actor, range: CursorRange) async throws -> [PostView] {
        let viewer = try activeMember(actor)
        var range = range
        range.limit = min(max(range.limit, 1), Self.maxListPageSize)
        let finalRange = range
        return try await store.read { repos in
            if case .author(let author) = source {
                guard let member = try await repos.members.find(id: author),
                    AccessPolicy.maySeeProfile(of: member, by: .member(viewer))
                else { throw DomainError.notFound("Member") }
            }
            let entries = try await repos.posts.timeline(source, viewer: viewer.id, range: finalRange)
            return try await Self.views(entries, viewer: viewer, repos: repos)
        }
    }

    /// Whom and which hashtags the viewer's home timeline draws on besides their own posts.
    public func homeTimelineSources(viewer actor: Actor) async throws -> (members: Set<Member.ID>, tags: Set<String>) {
        let viewer = try activeMember(actor)
        let sources = try await store.read { try await $0.network.timelineSources(of: viewer.id) }
        return (Set(sources.members), Set(sources.tags))
    }

    public func bookmarks(by actor: Actor, range: CursorRange) async throws -> [PostView] {
        try await markedPosts(by: actor, range: range, bookmarks: true)
    }

    public func favourites(by actor: Actor, range: CursorRange) async throws -> [PostView] {
        try await markedPosts(by: actor, range: range, bookmarks: false)
    }

    private func markedPosts(by actor: Actor, range: CursorRange, bookmarks: Bool) async throws -> [PostView] {
        let viewer = try activeMember(actor)
        var range = range
        range.limit = min(max(range.limit, 1), Self.maxListPageSize)
        let finalRange = range
        return try await store.read { repos in
            // Posts the viewer can no longer see are skipped; reading on keeps pages full, so a short page
            // still means the end of the list.
            var visible: [PostEntry] = []
            var page = finalRange
            while visible.count < finalRange.limit {
                let entries = bookmarks
                    ? try await repos.posts.bookmarked(by: viewer.id, range: page)
                    : try await repos.posts.favourited(by: viewer.id, range: page)
                for entry in entries where try await Self.maySee(entry.post, viewer: viewer, repos: repos) {
                    visible.append(entry)
                }
                guard entries.count == page.limit, let last = entries.last, page.nearestAfter == nil else { break }
                page = CursorRange(before: last.cursor, after: page.after, limit: finalRange.limit - visible.count)
            }
            return try await Self.views(Array(visible.prefix(finalRange.limit)), viewer: viewer, repos: repos)
        }
    }

    public func revisions(of id: Post.ID, viewer actor: Actor) async throws -> (post: Post, revisions: [PostRevision]) {
        let viewer = try activeMember(actor)
        return try await store.read { repos in
            let post = try await Self.visiblePost(id, viewer: viewer, repos: repos)
            return (post, try await repos.posts.revisions(of: post.id))
        }
    }

    // MARK: Rules

    static func validBody(_ raw: String, allowEmpty: Bool) throws -> String {
        // Browsers send line breaks as CRLF; one form is stored so Markdown and counts treat them alike.
        let body = raw.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        if body.isEmpty && !allowEmpty { throw DomainError.invalid("Write something first.", field: "status") }
        guard body.count <= PostText.maxLength else {
            throw DomainError.invalid(
                "A post can be at most \(PostText.maxLength) characters; this one has \(body.count).", field: "status")
        }
        return body
    }

    /// The members a text mentions, leaving out unknown handles, suspended members and those who block the
    /// author (they are not to be reached by a mention).
    static func resolveMentions(in text: String, author: Member, repos: any Repositories) async throws -> [Member.ID] {
        var ids: [Member.ID] = []
        for handle in PostText.mentionedHandles(in: text).prefix(50) {
            guard let member = try await repos.members.find(handle: handle), !member.isSuspended,
                member.id != author.id
            else { continue }
            let relation = try await relationship(author.id, member.id, repos: repos)
            if !relation.blockedBy { ids.append(member.id) }
        }
        return ids
    }

    /// Whether `viewer` may see `post`, by its visibility and blocks. Deleted posts are seen as placeholders.
    static func maySee(_ post: Post, viewer: Member, repos: any Repositories) async throws -> Bool {
        if post.authorID == viewer.id { return true }
        if post.withholding != nil && !viewer.isModerator { return false }
        let relation = try await relationship(viewer.id, post.authorID, repos: repos)
        return AccessPolicy.maySee(post, viewer: viewer, followsAuthor: relation.following, blockedByAuthor: relation.blockedBy)
    }

    static func visiblePost(_ id: Post.ID, viewer: Member, repos: any Repositories, allowDeleted: Bool = false)
        async throws -> Post
    {
        guard let post = try await repos.posts.find(id: id), allowDeleted || !post.isDeleted,
            try await maySee(post, viewer: viewer, repos: repos)
        else { throw DomainError.notFound("Post") }
        return post
    }

    /// Joins authors, reshared originals, mentions and the viewer's marks to a list of posts in few queries.
    static func views(_ entries: [PostEntry], viewer: Member, repos: any Repositories) async throws -> [PostView] {
        let originalIDs = entries.compactMap(\.post.reshareOfID)
        var originals: [Post.ID: Post] = [:]
        let found = try await repos.posts.find(ids: originalIDs.uniqued()).filter { !$0.isDeleted }
        let others = found.map(\.authorID).filter { $0 != viewer.id }.uniqued()
        let relations = Dictionary(
            try await repos.network.relationships(of: viewer.id, with: others).map { ($0.target, $0) },
            uniquingKeysWith: { first, _ in first })
        for original in found {
            // A reshare must not bring back what the viewer keeps out: posts they may not see, and posts of
            // people they mute or block.
            if original.authorID != viewer.id {
                let relation = relations[original.authorID] ?? Relationship(target: original.authorID)
                guard AccessPolicy.maySee(
                    original, viewer: viewer, followsAuthor: relation.following, blockedByAuthor: relation.blockedBy),
                    !relation.muting, !relation.blocking
                else { continue }
            }
            originals[original.id] = original
        }
        let posts = entries.map(\.post) + Array(originals.values)
        let memberIDs = (posts.map(\.authorID) + posts.flatMap(\.mentionIDs)).uniqued()
        let members = Dictionary(uniqueKeysWithValues: try await repos.members.find(ids: memberIDs).map { ($0.id, $0) })
        let marks = try await repos.posts.marks(of: viewer.id, on: posts.map(\.id))
        return entries.compactMap { entry in
            guard let author = members[entry.post.authorID] else { return nil }
            let original = entry.post.reshareOfID.flatMap { originals[$0] }.flatMap { original -> PostView.Original? in
                guard let originalAuthor = members[original.authorID] else { return nil }
                return PostView.Original(
                    post: original, author: originalAuthor, mentions: original.mentionIDs.compactMap { members[$0] },
                    favourited: marks.favourited.contains(original.id), bookmarked: marks.bookmarked.contains(original.id),
                    reshared: marks.reshared.contains(original.id))
            }
            // A reshare whose original the viewer may not see (or that is gone from storage) shows nothing.
            if entry.post.isReshare && original == nil { return nil }
            return PostView(
                post: entry.post, author: author, original: original, mentions: entry.post.mentionIDs.compactMap { members[$0] },
                favourited: marks.favourited.contains(entry.post.id), bookmarked: marks.bookmarked.contains(entry.post.id),
                reshared: marks.reshared.contains(entry.post.id), cursor: entry.cursor)
        }
    }
}
