import Foundation
import Hummingbird
import NIOCore
import PollenCore
import ServiceLifecycle

/// The notifications page, and the event stream that keeps the unread count in an open page up to date.
struct NotificationPages {
    let pollen: Pollen
    let views: ViewRenderer
    /// How long one event stream stays open (see ``WebConfiguration/eventStreamLifetime``).
    let streamLifetime: TimeInterval
    static let pageSize = 30
    /// How often an open stream looks for new notifications.
    static let streamPollInterval: Duration = .seconds(2)

    func addRoutes(to router: Router<PollenRequestContext>) {
        router.get("/notifications") { request, context in try await page(request, context) }
        router.post("/notifications/clear") { _, context in
            try await pollen.clearNotifications(by: try context.requireActor())
            return Response.redirect(to: "/notifications", flash: "Notifications cleared.")
        }
        router.get("/notifications/stream") { _, context in try stream(context) }
    }

    func page(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let viewer = try context.requireViewer()
        let before = request.query["before"].flatMap { Int64($0) }
        let kindName = request.query["kind"]
        let kind = kindName.flatMap(MemberNotification.Kind.init(rawValue:))
        // One tab gathers everything from communities.
        let communityTab = kindName == "community"
        let questionsTab = kindName == "questions"
        let kinds: Set<MemberNotification.Kind>? =
            communityTab ? Set(MemberNotification.Kind.allCases.filter(\.isCommunity))
            : questionsTab ? Set(MemberNotification.Kind.allCases.filter(\.isQuestion)) : kind.map { [$0] }
        let list = try await pollen.notifications(
            by: .member(viewer), kinds: kinds, range: CursorRange(before: before, limit: Self.pageSize),
            markRead: true)
        var context = context
        // Opening the page reads them; the header should say so at once.
        if before == nil && kinds == nil { context.unreadNotifications = 0 }
        let here = request.uri.description
        let items = list.map { view in
            NotificationsPage.Item(
                id: view.notification.id.description, unread: view.notification.readAt == nil,
                actorName: view.actor.profile.displayName, actorHandle: view.actor.handle,
                text: view.moderationCase.map(Self.moderationSentence) ?? Self.sentence(view.notification.kind),
                subject: view.moderationSubject ?? view.question.map(\.title) ?? view.item.map { $0.title } ?? view.community.map(\.name),
                subjectURL: view.moderationCase.map { "/moderation/cases/\($0.id)" } ?? view.question.map { "/questions/\($0.id)" } ?? view.item.map { "/c/\(view.community?.slug ?? "")/items/\($0.id)" }
                    ?? view.community.map { "/c/\($0.slug)" + (view.notification.kind == .communityRequest ? "/members" : "") },
                place: view.item != nil ? view.community.map(\.name) : nil,
                placeURL: view.item != nil ? view.community.map { "/c/\($0.slug)" } : nil,
                time: view.notification.createdAt.formatted(date: .abbreviated, time: .shortened),
                post: view.post.map { PostCard.make($0, viewer: viewer, next: here, html: self.views.postHTML) },
                prompt: view.valuePrompt.map { Self.promptItem($0, at: view.notification.createdAt) })
        }
        let filters: [(String, String?)] =
            [("All", nil)] + MemberNotification.Kind.mastodon.sorted { $0.rawValue < $1.rawValue }.map { (Self.filterLabel($0), $0.rawValue) }
            + [("Communities", "community"), ("Questions", "questions")]
        let current = communityTab ? "community" : questionsTab ? "questions" : kind?.rawValue
        let page = NotificationsPage(
            layout: Layout(title: "Notifications", context: context), items: items, hasItems: !items.isEmpty,
            filters: filters.map { label, value in
                .init(label: label, url: value.map { "/notifications?kind=\($0)" } ?? "/notifications", current: value == current)
            },
            olderURL: list.count == Self.pageSize
                ? "/notifications?\(current.map { "kind=\($0)&" } ?? "")before=\(list.last?.notification.id.rawValue ?? 0)" : nil)
        return views.response(page, template: "notifications")
    }

    /// Server-sent events with the unread count (`event: unread`), sent when it changes.
    func stream(_ context: PollenRequestContext) throws -> Response {
        let viewer = try context.requireViewer()
        let pollen = self.pollen
        let lifetime = streamLifetime
        let body = ResponseBody { writer in
            try await writer.write(ByteBuffer(string: "retry: 3000\n\n"))
            var last = -1
            let started = Date()
            while true {
                let count = try await pollen.unreadNotificationCount(for: viewer)
                // A comment line when nothing changed: writing to a browser that has gone away fails, which
                // ends the stream instead of polling for nobody.
                try await writer.write(
                    ByteBuffer(string: count != last ? "event: unread\ndata: \(count)\n\n" : ": still here\n\n"))
                last = count
                // Checked before sleeping, so a stream at the end of its lifetime closes at once, and a server
                // shutting down gracefully ends open streams at the next poll instead of waiting for them.
                guard Date().timeIntervalSince(started) < lifetime, !Task.isCancelled, !Task.isShuttingDownGracefully
                else { break }
                try await Task.sleep(for: Self.streamPollInterval)
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-store", .init("X-Accel-Buffering")!: "no"],
            body: body)
    }

    static func sentence(_ kind: MemberNotification.Kind) -> String {
        switch kind {
        case .mention: "mentioned you"
        case .reply: "replied to your post"
        case .follow: "followed you"
        case .reshare: "reshared your post"
        case .favourite: "favourited your post"
        case .communityContent: "published"
        case .communityComment: "commented on"
        case .communityApproved: "let you into"
        case .communityInvited: "invited you to"
        case .communityRequest: "asked to join"
        case .communityFeatured: "featured your"
        case .questionRouted: "asks you:"
        case .questionAnswered: "answered your question"
        case .answerAccepted: "accepted your answer to"
        case .questionForwarded: "passed on a question to you:"
        case .moderation: "made a moderation decision about"
        case .valuePrompt: "marked useful"
        }
    }

    /// A value prompt speaks to the member about their own mark, not about someone's act.
    static func promptItem(_ thing: UsefulThing, at sent: Date) -> NotificationsPage.Prompt {
        NotificationsPage.Prompt(
            before: "You marked", title: thing.link.title, path: thing.link.path,
            after: "useful \(ValuePages.ago(thing.mark.createdAt, at: sent)) — did you use it? What changed?",
            answerURL: "/useful/\(thing.mark.id)")
    }

    /// What a moderation notice says, from the case as it stands.
    static func moderationSentence(_ moderationCase: ModerationCase) -> String {
        if moderationCase.appealState == .granted { return "granted your appeal about" }
        if moderationCase.appealState == .denied { return "upheld the decision on" }
        switch moderationCase.action {
        case nil: return moderationCase.isOpen ? "(moderation) is holding for review:" : "reviewed"
        case .approve: return "approved"
        case .hide: return "hid"
        case .remove: return "removed"
        case .warn: return "warned you about"
        case .silence: return "silenced you over"
        case .suspend: return "suspended your account over"
        case .retag, .move: return "changed"
        }
    }

    static func filterLabel(_ kind: MemberNotification.Kind) -> String {
        switch kind {
        case .mention: "Mentions"
        case .reply: "Replies"
        case .follow: "Follows"
        case .reshare: "Reshares"
        case .favourite: "Favourites"
        default: "Communities"
        }
    }
}

struct NotificationsPage {
    struct Item {
        let id: String
        let unread: Bool
        let actorName: String
        let actorHandle: String
        let text: String
        /// What the notification is about (an item or community) and where it is.
        let subject: String?
        let subjectURL: String?
        let place: String?
        let placeURL: String?
        let time: String
        let post: PostCard?
        /// A value prompt, shown instead of the actor's sentence.
        var prompt: Prompt? = nil
    }
    struct Prompt {
        let before: String
        let title: String
        let path: String
        let after: String
        let answerURL: String
    }
    struct Filter {
        let label: String
        let url: String
        let current: Bool
    }
    let layout: Layout
    let items: [Item]
    let hasItems: Bool
    let filters: [Filter]
    let olderURL: String?
}
