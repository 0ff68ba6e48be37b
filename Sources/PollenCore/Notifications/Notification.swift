import Foundation

/// Something that happened to a member that they should hear about.
public struct MemberNotification: Sendable, Equatable, Identifiable {
    public typealias ID = EntityID<MemberNotification>

    public enum Kind: String, Sendable, CaseIterable, Codable {
        case mention, reply, follow, reshare, favourite
        /// New content in a community the member watches.
        case communityContent = "community_content"
        /// A comment on the member's item, or in a discussion they took part in.
        case communityComment = "community_comment"
        /// A manager let them in.
        case communityApproved = "community_approved"
        case communityInvited = "community_invited"
        /// Someone asked to join a community the member manages.
        case communityRequest = "community_request"
        /// Their item was featured.
        case communityFeatured = "community_featured"
        /// Asked by name.
        case questionRouted = "question_routed"
        /// Someone answered their question.
        case questionAnswered = "question_answered"
        /// Their answer was accepted.
        case answerAccepted = "answer_accepted"
        /// Someone they follow passed a question on to them.
        case questionForwarded = "question_forwarded"
        /// A moderation decision about the member's content or account: held, approved, hidden, removed, a
        /// warning, a silence, an appeal decided. Points at the case, where the member reads why and may appeal.
        case moderation
        /// A month or three after the member marked something useful: did they use it? Points at the mark.
        case valuePrompt = "value_prompt"

        /// The kinds a Mastodon client understands; community activity stays on Pollen's own pages and API.
        public static let mastodon: Set<Kind> = [.mention, .reply, .follow, .reshare, .favourite]

        public var isCommunity: Bool { rawValue.hasPrefix("community_") }
        public var isQuestion: Bool { [.questionRouted, .questionAnswered, .answerAccepted, .questionForwarded].contains(self) }
    }

    public let id: ID
    /// Who is told.
    public let memberID: Member.ID
    public let kind: Kind
    /// Who did it.
    public let actorID: Member.ID
    /// The post concerned: the mention or reply itself, or the post reshared or favourited.
    public let postID: Post.ID?
    /// The community concerned, and the item in it, for community activity.
    public let communityID: Community.ID?
    public let itemID: CommunityItem.ID?
    /// The question concerned, for questions and answers.
    public let questionID: Question.ID?
    /// The moderation case, for ``Kind/moderation``.
    public let caseID: ModerationCase.ID?
    /// The useful mark, for ``Kind/valuePrompt``.
    public let markID: UsefulMark.ID?
    public let createdAt: Date
    public var readAt: Date?

    public init(
        id: ID, memberID: Member.ID, kind: Kind, actorID: Member.ID, postID: Post.ID?, communityID: Community.ID? = nil,
        itemID: CommunityItem.ID? = nil, questionID: Question.ID? = nil, caseID: ModerationCase.ID? = nil,
        markID: UsefulMark.ID? = nil, createdAt: Date, readAt: Date? = nil
    ) {
        self.caseID = caseID
        self.markID = markID
        self.communityID = communityID
        self.itemID = itemID
        self.questionID = questionID
        self.id = id
        self.memberID = memberID
        self.kind = kind
        self.actorID = actorID
        self.postID = postID
        self.createdAt = createdAt
        self.readAt = readAt
    }
}

public protocol NotificationRepository: Sendable {
    func insert(_ notification: MemberNotification) async throws
    func find(id: MemberNotification.ID, member: Member.ID) async throws -> MemberNotification?
    /// Newest first, optionally only some kinds; the cursor is the notification's id.
    func list(member: Member.ID, kinds: Set<MemberNotification.Kind>?, range: CursorRange) async throws
        -> [MemberNotification]
    func unreadCount(member: Member.ID) async throws -> Int
    /// Marks everything up to and including `upTo` read.
    func markRead(member: Member.ID, upTo: MemberNotification.ID, at: Date) async throws
    func dismiss(id: MemberNotification.ID, member: Member.ID) async throws -> Bool
    func clear(member: Member.ID) async throws
    /// Removes every notification about `post` (mentions and replies in it, reshares and favourites of it).
    func deleteAll(about post: Post.ID) async throws
    /// Removes what `member` was told of an act that has been undone: `actor`'s follow (no post), favourite
    /// or reshare of `post`.
    func withdraw(_ kind: MemberNotification.Kind, to member: Member.ID, from actor: Member.ID, post: Post.ID?) async throws
    /// The newest notification id the member has read (Mastodon's notifications marker).
    func lastRead(member: Member.ID) async throws -> MemberNotification.ID?
}

/// A notification with who did it and the post, ready to show.
public struct NotificationView: Sendable, Equatable {
    public let notification: MemberNotification
    public let actor: Member
    public let post: PostView?
    public var community: Community? = nil
    public var item: CommunityItem? = nil
    public var question: Question? = nil
    /// For a moderation notice: the case and what it is about (the author wrote it, so may read its title).
    public var moderationCase: ModerationCase? = nil
    public var moderationSubject: String? = nil
    /// For a value prompt: the mark and what was marked, as the member may still see it.
    public var valuePrompt: UsefulThing? = nil
}

extension Pollen {
    /// Tells `member` about what `actor` did, unless the member mutes or blocks the actor, or it is their own act.
    static func notify(
        _ member: Member.ID, kind: MemberNotification.Kind, actor: Member.ID, post: Post.ID?, community: Community.ID? = nil,
        item: CommunityItem.ID? = nil, question: Question.ID? = nil, id: Int64, at: Date, repos: any Repositories
    ) async throws {
        guard member != actor else { return }
        let relation = try await relationship(member, actor, repos: repos)
        guard !relation.muting, !relation.blocking, !relation.blockedBy else { return }
        try await repos.notifications.insert(
            MemberNotification(
                id: MemberNotification.ID(id), memberID: member, kind: kind, actorID: actor, postID: post,
                communityID: community, itemID: item, questionID: question, createdAt: at))
    }

    /// The member's notifications, newest first; opening them marks them read. Only the unfiltered list is
    /// marked: reading is up to an id, and a list of some kinds would mark others unseen.
    public func notifications(
        by actor: Actor, kinds: Set<MemberNotification.Kind>? = nil, range: CursorRange, markRead: Bool = false
    ) async throws -> [NotificationView] {
        let member = try activeMember(actor)
        var range = range
        range.limit = min(max(range.limit, 1), Self.maxListPageSize)
        let finalRange = range
        let now = time.now()
        let list = try await store.read { repos in
            try await repos.notifications.list(member: member.id, kinds: kinds, range: finalRange)
        }
        if markRead, kinds == nil, let newest = list.first, finalRange.before == nil {
            try await store.write { try await $0.notifications.markRead(member: member.id, upTo: newest.id, at: now) }
        }
        return try await store.read { repos in try await Self.notificationViews(list, viewer: member, repos: repos) }
    }

    public func notification(_ id: MemberNotification.ID, by actor: Actor) async throws -> NotificationView {
        let member = try activeMember(actor)
        return try await store.read { repos in
            guard let found = try await repos.notifications.find(id: id, member: member.id) else {
                throw DomainError.notFound("Notification")
            }
            guard let view = try await Self.notificationViews([found], viewer: member, repos: repos).first else {
                throw DomainError.notFound("Notification")
            }
            return view
        }
    }

    public func unreadNotificationCount(for member: Member) async throws -> Int {
        try await store.read { try await $0.notifications.unreadCount(member: member.id) }
    }

    public func dismissNotification(_ id: MemberNotification.ID, by actor: Actor) async throws {
        let member = try activeMember(actor)
        try await store.write { repos in
            guard try await repos.notifications.dismiss(id: id, member: member.id) else {
                throw DomainError.notFound("Notification")
            }
        }
    }

    public func clearNotifications(by actor: Actor) async throws {
        let member = try activeMember(actor)
        try await store.write { try await $0.notifications.clear(member: member.id) }
    }

    public func markNotificationsRead(upTo id: MemberNotification.ID, by actor: Actor) async throws {
        let member = try activeMember(actor)
        let now = time.now()
        try await store.write { try await $0.notifications.markRead(member: member.id, upTo: id, at: now) }
    }

    public func lastReadNotification(by actor: Actor) async throws -> MemberNotification.ID? {
        let member = try activeMember(actor)
        return try await store.read { try await $0.notifications.lastRead(member: member.id) }
    }

    static func notificationViews(_ list: [MemberNotification], viewer: Member, repos: any Repositories) async throws
        -> [NotificationView]
    {
        let actors = Dictionary(
            uniqueKeysWithValues: try await repos.members.find(ids: list.map(\.actorID).uniqued()).map { ($0.id, $0) })
        var posts: [Post.ID: PostView] = [:]
        let postIDs = list.compactMap(\.postID).uniqued()
        var entries: [PostEntry] = []
        for post in try await repos.posts.find(ids: postIDs) where try await maySee(post, viewer: viewer, repos: repos) {
            entries.append(PostEntry(cursor: post.id.rawValue, post: post))
        }
        for view in try await views(entries, viewer: viewer, repos: repos) { posts[view.post.id] = view }
        // Community activity is shown only while the member may still see the community and the item: someone
        // removed from a private community keeps no window into it.
        var communities: [Community.ID: Community] = [:]
        var items: [CommunityItem.ID: CommunityItem] = [:]
        for id in list.compactMap(\.communityID).uniqued() {
            guard let community = try await repos.communities.find(id: id) else { continue }
            let membership = try await repos.communities.membership(of: viewer.id, in: id)
            if AccessPolicy.maySee(community, membership: membership, viewer: viewer) { communities[id] = community }
            for itemID in list.filter({ $0.communityID == id }).compactMap(\.itemID).uniqued() {
                if let item = try await repos.communityContent.find(id: itemID),
                    AccessPolicy.maySee(item, in: community, membership: membership, viewer: viewer, at: .distantFuture)
                {
                    items[itemID] = item
                }
            }
        }
        // Questions likewise: one in a private community the member has left is no longer shown.
        var questions: [Question.ID: Question] = [:]
        for id in list.compactMap(\.questionID).uniqued() {
            if let found = try? await visibleQuestion(id, viewer: viewer, repos: repos) { questions[id] = found.0 }
        }
        var cases: [ModerationCase.ID: (ModerationCase, String)] = [:]
        for id in list.compactMap(\.caseID).uniqued() {
            guard let found = try await repos.moderation.findCase(id: id), found.authorID == viewer.id else { continue }
            let content = try await repos.moderation.snapshot(of: found.target)
            let title = content.map { $0.title.isEmpty ? String($0.body.prefix(80)) : $0.title } ?? "your \(found.target.kind.noun)"
            cases[id] = (found, title)
        }
        var prompts: [UsefulMark.ID: UsefulThing] = [:]
        for id in list.compactMap(\.markID).uniqued() {
            // Only the member's own marks, about what they may still see (read as of any time: it was live when marked).
            guard let mark = try await repos.value.mark(id: id), mark.memberID == viewer.id,
                let link = try await visibleLink(mark.target, viewer: viewer, at: .distantFuture, repos: repos)
            else { continue }
            prompts[id] = UsefulThing(mark: mark, link: link)
        }
        return list.compactMap { notification in
            guard let actor = actors[notification.actorID], !actor.isSuspended || notification.kind == .moderation else { return nil }
            if let id = notification.caseID, cases[id] == nil { return nil }
            if let id = notification.markID, prompts[id] == nil { return nil }
            if let id = notification.questionID, questions[id] == nil { return nil }
            let post = notification.postID.flatMap { posts[$0] }
            // A notification about a post the member can no longer see (deleted, hidden) is left out.
            if notification.postID != nil, post == nil || post?.post.isDeleted == true { return nil }
            if let id = notification.communityID, communities[id] == nil { return nil }
            if let id = notification.itemID, items[id] == nil { return nil }
            return NotificationView(
                notification: notification, actor: actor, post: post, community: notification.communityID.flatMap { communities[$0] },
                item: notification.itemID.flatMap { items[$0] }, question: notification.questionID.flatMap { questions[$0] },
                moderationCase: notification.caseID.flatMap { cases[$0]?.0 }, moderationSubject: notification.caseID.flatMap { cases[$0]?.1 },
                valuePrompt: notification.markID.flatMap { prompts[$0] })
        }
    }
}
