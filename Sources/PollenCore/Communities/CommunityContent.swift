import Foundation

/// A file as uploaded: its name as the uploader had it, and its bytes.
public struct UploadedFile: Sendable, Equatable {
    public var name: String
    public var data: [UInt8]

    public init(name: String, data: [UInt8]) {
        self.name = name
        self.data = data
    }
}

/// What a member writes to make or change an item.
public struct ItemDraft: Sendable, Equatable {
    public var kind: CommunityItem.Kind
    public var title: String
    public var body: String
    public var tags: [String]
    /// `false` keeps it a draft.
    public var publish: Bool
    /// A later time schedules it; nil publishes at once.
    public var publishAt: Date?
    public var announcement: Bool
    /// A resource's link, when it is not an upload.
    public var link: String?
    /// A resource's file; on an edit, nil keeps the file it has.
    public var file: UploadedFile?
    /// What the editor says about the change (kept with the revision).
    public var note: String

    public init(
        kind: CommunityItem.Kind, title: String, body: String = "", tags: [String] = [], publish: Bool = true,
        publishAt: Date? = nil, announcement: Bool = false, link: String? = nil, file: UploadedFile? = nil, note: String = ""
    ) {
        self.kind = kind
        self.title = title
        self.body = body
        self.tags = tags
        self.publish = publish
        self.publishAt = publishAt
        self.announcement = announcement
        self.link = link
        self.file = file
        self.note = note
    }
}

/// An item as a viewer sees it: its community, author, and what the viewer has done and may do.
public struct ItemView: Sendable, Equatable {
    public internal(set) var item: CommunityItem
    public let community: Community
    public let author: Member
    public let featuredBy: Member?
    public let viewerRating: Int?
    public let favourited: Bool
    public let mayEdit: Bool
    public let mayLead: Bool
    public let mayManage: Bool
    public let mayComment: Bool
    public let mayDelete: Bool
    public let isMember: Bool
}

/// An item in a list, with its author.
public struct ItemSummary: Sendable, Equatable {
    public let item: CommunityItem
    public let community: Community
    public let author: Member
    /// Its place in "what's popular", where that list is shown.
    public var popularity: Double? = nil
}

public struct CommentView: Sendable, Equatable {
    public let comment: CommunityComment
    public let author: Member
    public let mayDelete: Bool
}

extension Pollen {
    public static let itemTitleLength = 3...200
    public static let itemBodyMax = 100_000
    public static let commentMax = 10_000
    public static let featureNoteMax = 280
    public static let linkMax = 2_000

    /// Writes an item in a community the author is an active member of. Announcements are the managers'.
    public func createItem(_ draft: ItemDraft, in slug: String, by actor: Actor) async throws -> CommunityItem {
        let author = try activeMember(actor)
        let now = time.now()
        let clean = try Self.validItem(draft, now: now)
        let id = CommunityItem.ID(ids.next())
        let notificationIDs = (0..<Self.maxAudience).map { _ in ids.next() }
        let upload = try clean.file.map { try storedFile($0, id: id) }
        do {
            return try await store.write { repos in
                let (community, membership) = try await Self.visibleCommunity(slug, viewer: author, repos: repos)
                try AccessPolicy.require(AccessPolicy.mayContribute(to: community, membership: membership, by: author))
                if clean.announcement {
                    try AccessPolicy.require(AccessPolicy.mayManage(community, membership: membership, by: author))
                }
                let screening = try await Self.screen(
                    [clean.title, clean.body, clean.tags.joined(separator: " ")].joined(separator: "\n"), by: author, community: community,
                    content: PolicyContent(rawValue: clean.kind.rawValue), at: now, repos: repos)
                var item = Self.newItem(clean, id: id, community: community.id, author: author.id, resource: upload?.resource, now: now)
                try await Self.insert(item, note: clean.note, repos: repos)
                try await Self.applyScreening(
                    screening, to: ContentRef(.item, item.id.rawValue), author: author, ids: [ids.next(), ids.next()], at: now, repos: repos)
                item.withholding = screening.withholding
                if item.isLive(at: now) {
                    try await Self.announce(item, in: community, ids: notificationIDs, at: now, repos: repos)
                }
                return item
            }
        } catch {
            // The database refused the item: leave no orphan file behind.
            if let key = upload?.resource.storageKey { try? files.remove(key: key) }
            throw error
        }
    }

    /// Changes an item: its text, tags, state and (for resources) file or link. `basedOn` is the revision the
    /// editor started from; if someone saved since, the save is refused with what changed, not lost.
    public func editItem(_ id: CommunityItem.ID, _ draft: ItemDraft, basedOn: Int?, by actor: Actor) async throws -> CommunityItem {
        let editor = try activeMember(actor)
        let now = time.now()
        let clean = try Self.validItem(draft, now: now, editing: true)
        let upload = try clean.file.map { try storedFile($0, id: id) }
        let notificationIDs = (0..<Self.maxAudience).map { _ in ids.next() }
        let (item, replacedKey) = try await store.write { repos -> (CommunityItem, String?) in
            let (existing, community, membership) = try await Self.visibleItem(id, viewer: editor, at: now, repos: repos)
            try AccessPolicy.require(AccessPolicy.mayEdit(existing, in: community, membership: membership, by: editor))
            try await Self.screenEdit(
                [clean.title, clean.body, clean.tags.joined(separator: " ")].joined(separator: "\n"), of: ContentRef(.item, id.rawValue),
                by: editor, caseID: ids.next(), at: now, repos: repos)
            guard clean.kind == existing.kind else {
                throw DomainError.invalid("A \(existing.kind.noun) stays a \(existing.kind.noun).", field: "kind")
            }
            if clean.announcement != existing.announcement {
                try AccessPolicy.require(AccessPolicy.mayManage(community, membership: membership, by: editor))
            }
            if let basedOn, basedOn != existing.revision {
                var by: Member?
                if let last = try await repos.communityContent.revision(existing.revision, of: id) {
                    by = try await repos.members.find(id: last.authorID)
                }
                throw DomainError(
                    .conflict,
                    "Someone else saved this \(existing.kind.noun) while you were editing (revision \(existing.revision)"
                        + (by.map { " by @\($0.handle)" } ?? "")
                        + "). Your text is below: compare it with the current one and save again.",
                    field: "revision")
            }
            var item = existing
            let textChanged = item.title != clean.title || item.body != clean.body || item.tags != clean.tags
            item.title = clean.title
            item.body = clean.body
            item.tags = clean.tags
            item.announcement = clean.announcement
            var replacedKey: String?
            if item.kind == .resource {
                if let upload {
                    replacedKey = item.resource?.storageKey
                    item.resource = upload.resource
                } else if let link = clean.link {
                    replacedKey = item.resource?.storageKey
                    item.resource = CommunityItem.Resource(link: link)
                }
            }
            let wasLive = item.isLive(at: now)
            if clean.publish {
                if item.state == .draft || clean.publishAt != nil { item.publishedAt = clean.publishAt ?? now }
                item.state = .published
            } else if !wasLive {
                item.state = .draft
            }
            item.updatedAt = now
            if textChanged || replacedKey != nil {
                item.revision += 1
                try await repos.communityContent.insertRevision(
                    ItemRevision(
                        itemID: id, number: item.revision, title: item.title, body: item.body, tags: item.tags,
                        authorID: editor.id, createdAt: now, note: clean.note))
            }
            try await repos.communityContent.update(item)
            if !wasLive, item.isLive(at: now) {
                try await Self.announce(item, in: community, ids: notificationIDs, at: now, repos: repos)
            }
            return (item, replacedKey)
        }
        if let replacedKey { try? files.remove(key: replacedKey) }
        return item
    }

    /// Deletes an item with its comments, ratings and history (its author or a manager).
    public func deleteItem(_ id: CommunityItem.ID, by actor: Actor) async throws {
        let viewer = try activeMember(actor)
        let now = time.now()
        let key = try await store.write { repos -> String? in
            let (item, community, membership) = try await Self.visibleItem(id, viewer: viewer, at: now, repos: repos)
            try AccessPolicy.require(AccessPolicy.mayDelete(authoredBy: item.authorID, in: community, membership: membership, by: viewer))
            try await repos.communityContent.delete(id)
            return item.resource?.storageKey
        }
        if let key { try? files.remove(key: key) }
    }

    /// An item to read; the viewer's first opening counts as a view unless `countingView` is false (a client
    /// reading it only to change it).
    public func item(_ id: CommunityItem.ID, viewer actor: Actor, countingView: Bool = true) async throws -> ItemView {
        let viewer = try activeMember(actor)
        let now = time.now()
        let (view, unseen) = try await store.read { repos -> (ItemView, Bool) in
            let (item, community, membership) = try await Self.visibleItem(id, viewer: viewer, at: now, repos: repos)
            let view = try await Self.itemView(item, community: community, membership: membership, viewer: viewer, repos: repos)
            // Reading first means the many repeat visits take no write.
            guard countingView, item.authorID != viewer.id, item.isLive(at: now) else { return (view, false) }
            return (view, !(try await repos.communityContent.hasViewed(id, by: viewer.id)))
        }
        guard unseen else { return view }
        _ = try await store.write { repos in try await repos.communityContent.recordView(id, by: viewer.id, at: now) }
        var counted = view
        counted.item.counts.views += 1
        return counted
    }

    /// A community's items, pinned first then the newest; drafts and scheduled ones only to their author (and
    /// all of them to managers).
    public func items(
        in slug: String, kind: CommunityItem.Kind?, limit: Int = 20, offset: Int = 0, viewer actor: Actor
    ) async throws -> (community: CommunityView, items: Page<ItemSummary>) {
        let viewer = try activeMember(actor)
        let now = time.now()
        return try await store.read { repos in
            let (community, membership) = try await Self.readableCommunity(slug, viewer: viewer, repos: repos)
            let query = CommunityItemQuery(
                community: community.id, kind: kind, liveAt: now, draftsOf: viewer.id,
                allDrafts: AccessPolicy.mayManage(community, membership: membership, by: viewer),
                limit: min(max(limit, 1), Self.maxListPageSize), offset: max(offset, 0))
            let page = try await repos.communityContent.items(query)
            let count = try await repos.communities.memberCounts([community.id])[community.id] ?? 0
            return (
                CommunityView(community: community, viewerMembership: membership, memberCount: count),
                Page(items: try await Self.summaries(page.items, communities: [community], repos: repos), total: page.total)
            )
        }
    }

    /// The comments of an item, oldest first.
    public func comments(on id: CommunityItem.ID, limit: Int = 200, offset: Int = 0, viewer actor: Actor) async throws -> [CommentView] {
        let viewer = try activeMember(actor)
        let now = time.now()
        return try await store.read { repos in
            let (_, community, membership) = try await Self.visibleItem(id, viewer: viewer, at: now, repos: repos)
            let comments = try await repos.communityContent.comments(of: id, limit: min(max(limit, 1), 500), offset: max(offset, 0))
            let authors = try await Self.membersByID(comments.map(\.authorID), repos: repos)
            return comments.compactMap { comment in
                guard let author = authors[comment.authorID] else { return nil }
                return CommentView(
                    comment: comment, author: author,
                    mayDelete: comment.deletedAt == nil
                        && AccessPolicy.mayDelete(authoredBy: comment.authorID, in: community, membership: membership, by: viewer))
            }
        }
    }

    /// Comments on an item (replies, in a discussion). A closed discussion takes comments only from those who
    /// lead the community.
    @discardableResult
    public func comment(on id: CommunityItem.ID, body raw: String, by actor: Actor) async throws -> CommunityComment {
        let author = try activeMember(actor)
        let now = time.now()
        let body = try Self.validText(raw, max: Self.commentMax, name: "A comment", field: "body")
        let commentID = CommunityComment.ID(ids.next())
        let notificationIDs = (0..<Self.maxAudience).map { _ in ids.next() }
        return try await store.write { repos in
            let (item, community, membership) = try await Self.visibleItem(id, viewer: author, at: now, repos: repos)
            try AccessPolicy.require(AccessPolicy.mayContribute(to: community, membership: membership, by: author))
            guard item.isLive(at: now) else { throw DomainError(.conflict, "This \(item.kind.noun) is not published yet.") }
            if item.closed, !AccessPolicy.mayLead(community, membership: membership, by: author) {
                throw DomainError(.conflict, "This discussion is closed: it takes no more replies.")
            }
            let screening = try await Self.screen(body, by: author, community: community, content: .comment, at: now, repos: repos)
            var comment = CommunityComment(id: commentID, itemID: id, authorID: author.id, body: body, createdAt: now)
            try await repos.communityContent.insertComment(comment)
            comment.withholding = screening.withholding
            try await Self.applyScreening(
                screening, to: ContentRef(.comment, comment.id.rawValue), author: author, ids: [ids.next(), ids.next()], at: now,
                repos: repos)
            if screening.withholding != nil { return comment }
            try await repos.communityContent.adjustCounts(id, comments: 1, favourites: 0, ratings: 0, ratingTotal: 0)
            // The author and everyone who took part hear of it, unless they muted the community.
            let told = ([item.authorID] + (try await repos.communityContent.commenters(of: id))).uniqued()
            try await Self.notifyCommunity(
                told, kind: .communityComment, actor: author.id, community: community, item: item, minimum: .normal,
                ids: notificationIDs, at: now, repos: repos)
            return comment
        }
    }

    public func deleteComment(_ id: CommunityComment.ID, by actor: Actor) async throws {
        let viewer = try activeMember(actor)
        let now = time.now()
        try await store.write { repos in
            guard var comment = try await repos.communityContent.comment(id: id), comment.deletedAt == nil else {
                throw DomainError.notFound("Comment")
            }
            let (_, community, membership) = try await Self.visibleItem(comment.itemID, viewer: viewer, at: now, repos: repos)
            try AccessPolicy.require(AccessPolicy.mayDelete(authoredBy: comment.authorID, in: community, membership: membership, by: viewer))
            comment.deletedAt = now
            comment.body = ""
            try await repos.communityContent.updateComment(comment)
            try await repos.communityContent.adjustCounts(comment.itemID, comments: -1, favourites: 0, ratings: 0, ratingTotal: 0)
        }
    }

    /// Rates an item from one to five stars; rating again replaces the member's earlier stars. Authors do not
    /// rate their own items.
    @discardableResult
    public func rate(_ id: CommunityItem.ID, stars: Int, by actor: Actor) async throws -> CommunityItem {
        let member = try activeMember(actor)
        let now = time.now()
        guard (1...5).contains(stars) else { throw DomainError.invalid("A rating is one to five stars.", field: "stars") }
        return try await store.write { repos in
            let (item, community, membership) = try await Self.visibleItem(id, viewer: member, at: now, repos: repos)
            try AccessPolicy.require(AccessPolicy.mayContribute(to: community, membership: membership, by: member))
            guard item.authorID != member.id else { throw DomainError(.conflict, "You cannot rate your own \(item.kind.noun).") }
            guard item.isLive(at: now) else { throw DomainError(.conflict, "This \(item.kind.noun) is not published yet.") }
            let previous = try await repos.communityContent.rate(id, by: member.id, stars: stars, at: now)
            try await repos.communityContent.adjustCounts(
                id, comments: 0, favourites: 0, ratings: previous == nil ? 1 : 0, ratingTotal: stars - (previous ?? 0))
            return try await repos.communityContent.find(id: id) ?? item
        }
    }

    /// Keeps an item among the member's favourites (or takes it out). Anyone who may read it may.
    @discardableResult
    public func setItemFavourite(_ on: Bool, _ id: CommunityItem.ID, by actor: Actor) async throws -> CommunityItem {
        let member = try activeMember(actor)
        let now = time.now()
        return try await store.write { repos in
            let (item, _, _) = try await Self.visibleItem(id, viewer: member, at: now, repos: repos)
            guard item.isLive(at: now) else { throw DomainError(.conflict, "This \(item.kind.noun) is not published yet.") }
            let changed = on
                ? try await repos.communityContent.favourite(id, by: member.id, at: now)
                : try await repos.communityContent.unfavourite(id, by: member.id)
            if changed {
                try await repos.communityContent.adjustCounts(id, comments: 0, favourites: on ? 1 : -1, ratings: 0, ratingTotal: 0)
            }
            return try await repos.communityContent.find(id: id) ?? item
        }
    }

    /// Features an item with a short note ("special mention"), or takes the feature away (`note` nil).
    @discardableResult
    public func feature(_ id: CommunityItem.ID, note: String?, by actor: Actor) async throws -> CommunityItem {
        let member = try activeMember(actor)
        let now = time.now()
        let cleanNote = try note.map { try Self.validText($0, max: Self.featureNoteMax, name: "A feature's note", field: "note", allowEmpty: true) }
        let notificationID = ids.next()
        return try await store.write { repos in
            var (item, community, membership) = try await Self.visibleItem(id, viewer: member, at: now, repos: repos)
            try AccessPolicy.require(AccessPolicy.mayLead(community, membership: membership, by: member))
            guard item.isLive(at: now) else { throw DomainError(.conflict, "Publish it before featuring it.") }
            item.feature = cleanNote.map { CommunityItem.Feature(note: $0, by: member.id, at: now) }
            try await repos.communityContent.update(item)
            if item.feature != nil {
                try await Self.notifyCommunity(
                    [item.authorID], kind: .communityFeatured, actor: member.id, community: community, item: item,
                    minimum: .normal, ids: [notificationID], at: now, repos: repos)
            }
            return item
        }
    }

    /// Pins a discussion above the others, or closes it to new replies. Pinning is for those who lead the
    /// community; closing also for the discussion's author.
    @discardableResult
    public func setThreadState(_ id: CommunityItem.ID, pinned: Bool? = nil, closed: Bool? = nil, by actor: Actor) async throws
        -> CommunityItem
    {
        let member = try activeMember(actor)
        let now = time.now()
        return try await store.write { repos in
            var (item, community, membership) = try await Self.visibleItem(id, viewer: member, at: now, repos: repos)
            let leads = AccessPolicy.mayLead(community, membership: membership, by: member)
            if let pinned {
                try AccessPolicy.require(leads)
                item.pinned = pinned
            }
            if let closed {
                try AccessPolicy.require(
                    leads || (item.authorID == member.id && AccessPolicy.mayContribute(to: community, membership: membership, by: member)))
                guard item.kind == .thread else { throw DomainError.invalid("Only discussions are closed.") }
                item.closed = closed
            }
            try await repos.communityContent.update(item)
            return item
        }
    }

    /// Every saved text of an item, the newest first, with who saved each.
    public func revisions(of id: CommunityItem.ID, viewer actor: Actor) async throws
        -> (item: ItemView, revisions: [(revision: ItemRevision, author: Member?)])
    {
        let viewer = try activeMember(actor)
        let now = time.now()
        return try await store.read { repos in
            let (item, community, membership) = try await Self.visibleItem(id, viewer: viewer, at: now, repos: repos)
            let view = try await Self.itemView(item, community: community, membership: membership, viewer: viewer, repos: repos)
            let revisions = try await repos.communityContent.revisions(of: id)
            let authors = try await Self.membersByID(revisions.map(\.authorID), repos: repos)
            return (view, revisions.map { ($0, authors[$0.authorID]) })
        }
    }

    /// The line-by-line difference between two revisions of an item (the older one first).
    public func compareRevisions(of id: CommunityItem.ID, _ a: Int, _ b: Int, viewer actor: Actor) async throws
        -> (item: ItemView, old: ItemRevision, new: ItemRevision, lines: [TextDiff.Line])
    {
        let viewer = try activeMember(actor)
        let now = time.now()
        return try await store.read { repos in
            let (item, community, membership) = try await Self.visibleItem(id, viewer: viewer, at: now, repos: repos)
            let view = try await Self.itemView(item, community: community, membership: membership, viewer: viewer, repos: repos)
            guard let first = try await repos.communityContent.revision(min(a, b), of: id),
                let second = try await repos.communityContent.revision(max(a, b), of: id)
            else { throw DomainError.notFound("Revision") }
            let old = "# " + first.title + "\n\n" + first.body
            let new = "# " + second.title + "\n\n" + second.body
            return (view, first, second, TextDiff.lines(from: old, to: new))
        }
    }

    /// Puts an earlier text back as a new revision (nothing in the history is lost).
    @discardableResult
    public func restoreRevision(_ number: Int, of id: CommunityItem.ID, basedOn: Int?, by actor: Actor) async throws -> CommunityItem {
        let editor = try activeMember(actor)
        let now = time.now()
        let (old, current) = try await store.read { repos -> (ItemRevision, CommunityItem) in
            let (current, _, _) = try await Self.visibleItem(id, viewer: editor, at: now, repos: repos)
            guard let old = try await repos.communityContent.revision(number, of: id) else { throw DomainError.notFound("Revision") }
            return (old, current)
        }
        var draft = ItemDraft(
            kind: current.kind, title: old.title, body: old.body, tags: old.tags, publish: current.state == .published,
            announcement: current.announcement, note: "Restored revision \(number)")
        draft.publishAt = nil
        return try await editItem(id, draft, basedOn: basedOn ?? current.revision, by: actor)
    }

    /// A resource's file to send: its bytes, the type it is served as, and whether a browser may show it in
    /// place (never for markup).
    public func resourceFile(_ id: CommunityItem.ID, viewer actor: Actor) async throws
        -> (item: CommunityItem, bytes: [UInt8], contentType: String, inline: Bool)
    {
        let viewer = try activeMember(actor)
        let now = time.now()
        let item = try await store.read { repos in try await Self.visibleItem(id, viewer: viewer, at: now, repos: repos).0 }
        guard let resource = item.resource, let key = resource.storageKey else { throw DomainError.notFound("File") }
        let served = ResourceRules.servedType(resource.contentType)
        return (item, try files.read(key: key), served.contentType, served.inline)
    }

    // MARK: - Following a community and notification levels

    /// Follows an open community's content without joining it.
    public func followCommunity(slug: String, by actor: Actor) async throws {
        let member = try activeMember(actor)
        let now = time.now()
        try await store.write { repos in
            let (community, membership) = try await Self.visibleCommunity(slug, viewer: member, repos: repos)
            guard community.membership == .open else {
                throw DomainError(.conflict, "Only open communities can be followed without joining.")
            }
            if membership?.isActive == true { throw DomainError(.conflict, "You are a member: its content reaches you already.") }
            _ = try await repos.communities.follow(community.id, by: member.id, at: now)
        }
    }

    public func unfollowCommunity(slug: String, by actor: Actor) async throws {
        let member = try activeMember(actor)
        try await store.write { repos in
            let (community, _) = try await Self.visibleCommunity(slug, viewer: member, repos: repos)
            _ = try await repos.communities.unfollow(community.id, by: member.id)
        }
    }

    public func setNotificationLevel(_ level: CommunityNotificationLevel, in slug: String, by actor: Actor) async throws {
        let member = try activeMember(actor)
        try await store.write { repos in
            let (community, _) = try await Self.visibleCommunity(slug, viewer: member, repos: repos)
            guard try await repos.communities.notificationLevels(in: community.id, of: [member.id])[member.id] != nil else {
                throw DomainError(.conflict, "Join or follow \(community.name) first.")
            }
            try await repos.communities.setNotificationLevel(level, of: member.id, in: community.id)
        }
    }

    /// The viewer's notification level in a community and whether they follow it; nil level when they are
    /// neither a member nor a follower.
    public func communityFollowing(slug: String, viewer actor: Actor) async throws -> (following: Bool, level: CommunityNotificationLevel?) {
        let member = try activeMember(actor)
        return try await store.read { repos in
            let (community, _) = try await Self.visibleCommunity(slug, viewer: member, repos: repos)
            return (
                try await repos.communities.isFollowing(community.id, by: member.id),
                try await repos.communities.notificationLevels(in: community.id, of: [member.id])[member.id]
            )
        }
    }

    // MARK: - Home timeline and search

    /// Live items of the viewer's communities (and those they follow) published in `(after, before]`,
    /// the newest first: merged into their home timeline.
    public func homeItems(after: Date?, before: Date, limit: Int, viewer actor: Actor) async throws -> [ItemSummary] {
        let viewer = try activeMember(actor)
        let now = time.now()
        return try await store.read { repos in
            let items = try await repos.communityContent.homeItems(
                of: viewer.id, after: after, before: min(before, now), limit: min(max(limit, 1), Self.maxListPageSize))
            var communities: [Community] = []
            for id in items.map(\.communityID).uniqued() {
                if let community = try await repos.communities.find(id: id) { communities.append(community) }
            }
            return try await Self.summaries(items, communities: communities, repos: repos)
        }
    }

    /// Live items whose title or text has every word, in communities the viewer may read.
    public func searchItems(_ text: String, limit: Int = 20, viewer actor: Actor) async throws -> [ItemSummary] {
        let viewer = try activeMember(actor)
        let now = time.now()
        let words = text.lowercased().split(whereSeparator: \.isWhitespace).prefix(8).map(String.init)
        guard !words.isEmpty else { return [] }
        return try await store.read { repos in
            let items = try await repos.communityContent.search(
                words, visibleTo: viewer.isAdmin ? nil : viewer.id, liveAt: now, limit: min(max(limit, 1), 50))
            var communities: [Community] = []
            for id in items.map(\.communityID).uniqued() {
                if let community = try await repos.communities.find(id: id) { communities.append(community) }
            }
            return try await Self.summaries(items, communities: communities, repos: repos)
        }
    }

    // MARK: - Helpers

    /// At most this many members hear of one new item or reply at once; a larger community's members see it
    /// on the community home and in their timelines.
    static let maxAudience = 500

    static func newItem(
        _ draft: ItemDraft, id: CommunityItem.ID, community: Community.ID, author: Member.ID, resource: CommunityItem.Resource?,
        now: Date, importKey: String? = nil
    ) -> CommunityItem {
        CommunityItem(
            id: id, communityID: community, kind: draft.kind, title: draft.title, body: draft.body, tags: draft.tags,
            authorID: author, state: draft.publish ? .published : .draft, publishedAt: draft.publish ? (draft.publishAt ?? now) : nil,
            announcement: draft.announcement, resource: resource ?? draft.link.map { CommunityItem.Resource(link: $0) },
            importKey: importKey, createdAt: now)
    }

    static func insert(_ item: CommunityItem, note: String, repos: any Repositories) async throws {
        try await repos.communityContent.insert(item)
        try await repos.communityContent.insertRevision(
            ItemRevision(
                itemID: item.id, number: item.revision, title: item.title, body: item.body, tags: item.tags,
                authorID: item.authorID, createdAt: item.createdAt, note: note))
    }

    /// Tells those watching the community of a newly live item.
    static func announce(_ item: CommunityItem, in community: Community, ids: [Int64], at now: Date, repos: any Repositories) async throws {
        // Announcements are news for everyone who has not muted the community; other items for watchers.
        let level: CommunityNotificationLevel = item.announcement ? .normal : .watching
        var audience = try await repos.communities.audience(of: community.id, level: .watching)
        if level == .normal { audience += try await repos.communities.audience(of: community.id, level: .normal) }
        try await notifyCommunity(
            audience.uniqued(), kind: .communityContent, actor: item.authorID, community: community, item: item,
            minimum: level, ids: ids, at: now, repos: repos)
    }

    /// Notifies those of `members` whose level in the community is at least `minimum` (anyone for `.muted`)
    /// and who may still read it, except the actor.
    static func notifyCommunity(
        _ members: [Member.ID], kind: MemberNotification.Kind, actor: Member.ID, community: Community, item: CommunityItem?,
        minimum: CommunityNotificationLevel, ids: [Int64], at now: Date, repos: any Repositories
    ) async throws {
        let candidates = Array(members.filter { $0 != actor }.prefix(min(ids.count, maxAudience)))
        guard !candidates.isEmpty else { return }
        let levels = try await repos.communities.notificationLevels(in: community.id, of: candidates)
        let order: [CommunityNotificationLevel] = [.muted, .normal, .watching]
        var next = ids.makeIterator()
        for member in candidates {
            if minimum != .muted {
                let level = levels[member] ?? .normal
                guard order.firstIndex(of: level)! >= order.firstIndex(of: minimum)! else { continue }
            }
            if community.membership == .private {
                // Someone who has left a private community hears nothing more of it.
                guard try await repos.communities.membership(of: member, in: community.id)?.isActive == true else { continue }
            }
            guard let id = next.next() else { return }
            try await notify(
                member, kind: kind, actor: actor, post: nil, community: community.id, item: item?.id, id: id, at: now,
                repos: repos)
        }
    }

    /// The item, its community and the viewer's place there, or not found when the viewer may not see it.
    static func visibleItem(_ id: CommunityItem.ID, viewer: Member, at now: Date, repos: any Repositories) async throws
        -> (CommunityItem, Community, CommunityMember?)
    {
        guard let item = try await repos.communityContent.find(id: id),
            let community = try await repos.communities.find(id: item.communityID)
        else { throw DomainError.notFound("Item") }
        let membership = try await repos.communities.membership(of: viewer.id, in: community.id)
        guard AccessPolicy.maySee(item, in: community, membership: membership, viewer: viewer, at: now) else {
            throw DomainError.notFound("Item")
        }
        return (item, community, membership)
    }

    /// A community whose content the viewer may read; otherwise not found, as if it did not exist.
    static func readableCommunity(_ slug: String, viewer: Member, repos: any Repositories) async throws -> (Community, CommunityMember?) {
        let (community, membership) = try await visibleCommunity(slug, viewer: viewer, repos: repos)
        guard AccessPolicy.mayRead(community, membership: membership, viewer: viewer) else { throw DomainError.notFound("Community") }
        return (community, membership)
    }

    static func itemView(
        _ item: CommunityItem, community: Community, membership: CommunityMember?, viewer: Member, repos: any Repositories
    ) async throws -> ItemView {
        let people = try await membersByID([item.authorID] + (item.feature.map { [$0.by] } ?? []), repos: repos)
        guard let author = people[item.authorID] else { throw DomainError.notFound("Item") }
        let contributes = AccessPolicy.mayContribute(to: community, membership: membership, by: viewer)
        let leads = AccessPolicy.mayLead(community, membership: membership, by: viewer)
        return ItemView(
            item: item, community: community, author: author, featuredBy: item.feature.flatMap { people[$0.by] },
            viewerRating: try await repos.communityContent.rating(of: item.id, by: viewer.id),
            favourited: !(try await repos.communityContent.favourited(by: viewer.id, among: [item.id]).isEmpty),
            mayEdit: AccessPolicy.mayEdit(item, in: community, membership: membership, by: viewer),
            mayLead: leads, mayManage: AccessPolicy.mayManage(community, membership: membership, by: viewer),
            mayComment: contributes && (!item.closed || leads),
            mayDelete: AccessPolicy.mayDelete(authoredBy: item.authorID, in: community, membership: membership, by: viewer),
            isMember: membership?.isActive == true)
    }

    static func summaries(_ items: [CommunityItem], communities: [Community], repos: any Repositories) async throws -> [ItemSummary] {
        let authors = try await membersByID(items.map(\.authorID), repos: repos)
        let byID = Dictionary(uniqueKeysWithValues: communities.map { ($0.id, $0) })
        return items.compactMap { item in
            guard let author = authors[item.authorID], let community = byID[item.communityID] else { return nil }
            return ItemSummary(item: item, community: community, author: author)
        }
    }

    static func membersByID(_ ids: [Member.ID], repos: any Repositories) async throws -> [Member.ID: Member] {
        Dictionary(uniqueKeysWithValues: try await repos.members.find(ids: ids.uniqued()).map { ($0.id, $0) })
    }

    /// Stores an uploaded file under a key of Pollen's own, after checking its size and type.
    func storedFile(_ file: UploadedFile, id: CommunityItem.ID) throws -> (resource: CommunityItem.Resource, key: String) {
        guard !file.data.isEmpty else { throw DomainError.invalid("The file is empty.", field: "file") }
        guard file.data.count <= resourceRules.maxBytes else {
            throw DomainError.invalid(
                "The file is \(Self.megabytes(file.data.count)); files can be at most \(Self.megabytes(resourceRules.maxBytes)).",
                field: "file")
        }
        let name = Self.cleanFileName(file.name)
        guard let ext = ResourceRules.fileExtension(name), let type = resourceRules.types[ext] else {
            let allowed = resourceRules.types.keys.sorted().joined(separator: ", ")
            throw DomainError.invalid("Files of that type cannot be shared here. Allowed: \(allowed).", field: "file")
        }
        // A fresh key per upload: a replaced file never shadows the one a reader is downloading.
        let key = "\(id.rawValue % 256)/\(id.rawValue)-\(ids.next()).\(ext)"
        try files.save(file.data, key: key)
        return (CommunityItem.Resource(fileName: name, contentType: type, byteSize: file.data.count, storageKey: key), key)
    }

    /// A size as people read it ("2.4 MB", "12 KB").
    public static func megabytes(_ bytes: Int) -> String {
        bytes >= 1024 * 1024 ? String(format: "%.1f MB", Double(bytes) / 1_048_576) : "\(max(1, bytes / 1024)) KB"
    }

    /// The last path component, without control characters or quotes (it goes into a header).
    static func cleanFileName(_ raw: String) -> String {
        let last = raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? raw
        let clean = String(last.unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) && $0 != "\"" }.prefix(200))
        return clean.isEmpty ? "file" : clean
    }

    static func validItem(_ draft: ItemDraft, now: Date, editing: Bool = false) throws -> ItemDraft {
        var clean = draft
        clean.title = draft.title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard itemTitleLength.contains(clean.title.count) else {
            throw DomainError.invalid(
                "A title has \(itemTitleLength.lowerBound) to \(itemTitleLength.upperBound) characters.", field: "title")
        }
        clean.body = try validText(
            draft.body, max: itemBodyMax, name: "The text", field: "body",
            allowEmpty: draft.kind == .resource)
        clean.tags = try ProfileRules.tags(draft.tags.flatMap(ProfileRules.splitTagList), name: "Tags", field: "tags")
        clean.note = String(draft.note.trimmingCharacters(in: .whitespacesAndNewlines).prefix(280))
        if let publishAt = draft.publishAt {
            guard draft.kind == .article else {
                throw DomainError.invalid("Only articles are scheduled; other items are published at once.", field: "publish_at")
            }
            clean.publishAt = publishAt > now ? publishAt : nil
        }
        if draft.kind == .resource {
            let link = draft.link?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            clean.link = link.isEmpty ? nil : link
            if let link = clean.link {
                guard link.count <= linkMax, let url = URL(string: link), ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
                    url.host?.isEmpty == false
                else { throw DomainError.invalid("A link starts with http:// or https://.", field: "link") }
                guard draft.file == nil else { throw DomainError.invalid("Give a file or a link, not both.", field: "file") }
            }
            if !editing, clean.link == nil, draft.file == nil {
                throw DomainError.invalid("A resource needs a file or a link.", field: "file")
            }
        } else {
            clean.link = nil
            guard draft.file == nil else { throw DomainError.invalid("Only resources carry files.", field: "file") }
        }
        return clean
    }

    static func validText(_ raw: String, max: Int, name: String, field: String, allowEmpty: Bool = false) throws -> String {
        let text = raw.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty, !allowEmpty { throw DomainError.invalid("\(name) is empty: write something first.", field: field) }
        guard text.count <= max else {
            throw DomainError.invalid("\(name) can be at most \(max) characters; this one has \(text.count).", field: field)
        }
        return text
    }
}
