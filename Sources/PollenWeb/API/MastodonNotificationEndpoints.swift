import Foundation
import Hummingbird
import NIOCore
import PollenCore

/// Notifications and the notifications read marker in the Mastodon client API.
struct MastodonNotificationEndpoints {
    let pollen: Pollen
    let publicURL: PublicURL
    let postHTML: RenderCache
    static let defaultPageSize = 15

    func addRoutes(to router: Router<PollenRequestContext>) {
        router.get("/api/v1/notifications") { request, context in try await list(request, context) }
        router.get("/api/v1/notifications/unread_count") { _, context in
            let member = try APIAuth.member(context, scope: "read:notifications")
            return JSONResponse.make(["count": try await pollen.unreadNotificationCount(for: member)])
        }
        router.post("/api/v1/notifications/clear") { _, context in
            let member = try APIAuth.member(context, scope: "write:notifications")
            try await pollen.clearNotifications(by: .member(member))
            return JSONResponse.make([String: String]())
        }
        router.get("/api/v1/notifications/{id}") { request, context in
            let member = try APIAuth.member(context, scope: "read:notifications")
            let view = try await pollen.notification(try Self.notificationID(context), by: .member(member))
            guard let entity = try await entities([view], request, viewer: member).first else {
                throw DomainError.notFound("Notification")
            }
            return JSONResponse.make(entity)
        }
        router.post("/api/v1/notifications/{id}/dismiss") { _, context in
            let member = try APIAuth.member(context, scope: "write:notifications")
            try await pollen.dismissNotification(try Self.notificationID(context), by: .member(member))
            return JSONResponse.make([String: String]())
        }
        router.get("/api/v1/markers") { _, context in
            let member = try APIAuth.member(context, scope: "read:statuses")
            return JSONResponse.make(try await markers(member))
        }
        router.post("/api/v1/markers") { request, context in
            let member = try APIAuth.member(context, scope: "write:statuses")
            var request = request
            if let raw = try await Self.lastReadID(&request), let id = MemberNotification.ID(string: raw) {
                try await pollen.markNotificationsRead(upTo: id, by: .member(member))
            }
            return JSONResponse.make(try await markers(member))
        }
    }

    func list(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let member = try APIAuth.member(context, scope: "read:notifications")
        let query = request.query
        var kinds = MemberNotification.Kind.mastodon
        // Types Pollen does not have (poll, status, …) match nothing, as on Mastodon.
        if !query.all("types").isEmpty { kinds = Set(query.all("types").flatMap(Self.kinds)).intersection(kinds) }
        kinds.subtract(query.all("exclude_types").flatMap(Self.kinds))
        var range = MastodonNetworkEndpoints.range(request)
        if query["limit"] == nil { range.limit = Self.defaultPageSize }
        let views = try await pollen.notifications(by: .member(member), kinds: kinds, range: range)
        var headers = HTTPFields()
        if let link = MastodonNetworkEndpoints.link(
            request, base: publicURL.base(for: request), cursors: views.map(\.notification.id.rawValue), limit: range.limit)
        {
            headers[.init("Link")!] = link
        }
        return JSONResponse.make(try await entities(views, request, viewer: member), headers: headers)
    }

    private func entities(_ views: [NotificationView], _ request: Request, viewer: Member) async throws
        -> [MastodonNotification]
    {
        let base = publicURL.base(for: request)
        let statuses = try await MastodonStatusEndpoints(pollen: pollen, publicURL: publicURL, postHTML: postHTML)
            .statuses(views.compactMap(\.post), request)
        let byPost = Dictionary(statuses.map { ($0.post.id, $0.status) }, uniquingKeysWith: { a, _ in a })
        let counts = try await pollen.networkCounts(for: views.map(\.actor), viewer: .member(viewer))
        return views.map { view in
            MastodonNotification(
                id: view.notification.id.description, type: Self.type(view.notification.kind),
                created_at: view.notification.createdAt.mastodonTimestamp,
                account: MastodonAccount(view.actor, base: base, counts: counts[view.actor.id]),
                status: view.notification.postID.flatMap { byPost[$0] })
        }
    }

    private func markers(_ member: Member) async throws -> [String: MastodonMarker] {
        let lastRead = try await pollen.lastReadNotification(by: .member(member))
        return [
            "notifications": MastodonMarker(
                last_read_id: lastRead?.description ?? "0", version: 1,
                updated_at: Date(timeIntervalSince1970: 0).mastodonTimestamp)
        ]
    }

    /// Mastodon reports a reply as a mention (it mentions the person replied to) and a reshare as a reblog.
    static func type(_ kind: MemberNotification.Kind) -> String {
        switch kind {
        case .mention, .reply: "mention"
        case .follow: "follow"
        case .reshare: "reblog"
        case .favourite: "favourite"
        // Never listed to Mastodon clients (see ``MemberNotification/Kind/mastodon``); named for completeness.
        default: "pollen." + kind.rawValue
        }
    }

    static func kinds(_ type: String) -> [MemberNotification.Kind] {
        switch type {
        case "mention": [.mention, .reply]
        case "follow": [.follow]
        case "reblog": [.reshare]
        case "favourite": [.favourite]
        default: []
        }
    }

    /// The notifications marker a request sets: the form field `notifications[last_read_id]`, or the nested
    /// JSON object `{"notifications": {"last_read_id": …}}` that clients such as Mastodon.py send.
    static func lastReadID(_ request: inout Request) async throws -> String? {
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/json") == true else {
            let form = try await request.formData(limit: 64 * 1024)
            return form["notifications[last_read_id]"] ?? form["last_read_id"]
        }
        let body = try await request.collectBody(refusingOver: 64 * 1024)
        guard body.readableBytes > 0 else { return nil }
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any]
        else { throw DomainError.invalid("The request body must be a JSON object.") }
        let value = (object["notifications"] as? [String: Any])?["last_read_id"] ?? object["last_read_id"]
        return (value as? String) ?? (value as? NSNumber)?.stringValue
    }

    static func notificationID(_ context: PollenRequestContext) throws -> MemberNotification.ID {
        guard let id = context.parameters.get("id").flatMap(MemberNotification.ID.init(string:)) else {
            throw DomainError.notFound("Notification")
        }
        return id
    }
}

/// Mastodon's `Notification` entity.
struct MastodonNotification: Encodable {
    let id: String
    let type: String
    let created_at: String
    let account: MastodonAccount
    let status: MastodonStatus?
}

/// Mastodon's `Marker` entity.
struct MastodonMarker: Encodable {
    let last_read_id: String
    let version: Int
    let updated_at: String
}
