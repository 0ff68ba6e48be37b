import Foundation
import Hummingbird
import PollenCore

/// Follows, mutes, blocks and followed hashtags in the Mastodon client API. Following is idempotent there:
/// following twice answers the relationship, as Mastodon does, where the pages say "you already follow".
struct MastodonNetworkEndpoints {
    let pollen: Pollen
    let publicURL: PublicURL
    static let defaultPageSize = 40

    func addRoutes(to router: Router<PollenRequestContext>) {
        router.post("/api/v1/accounts/{id}/follow") { _, context in
            try await relationshipChange(context, scope: "write:follows") { id, actor in
                try await pollen.followMember(id, by: actor)
            }
        }
        router.post("/api/v1/accounts/{id}/unfollow") { _, context in
            try await relationshipChange(context, scope: "write:follows") { id, actor in
                try await pollen.unfollowMember(id, by: actor)
            }
        }
        router.post("/api/v1/accounts/{id}/mute") { _, context in
            try await relationshipChange(context, scope: "write:mutes") { id, actor in
                try await pollen.setMuted(true, id, by: actor)
            }
        }
        router.post("/api/v1/accounts/{id}/unmute") { _, context in
            try await relationshipChange(context, scope: "write:mutes") { id, actor in
                try await pollen.setMuted(false, id, by: actor)
            }
        }
        router.post("/api/v1/accounts/{id}/block") { _, context in
            try await relationshipChange(context, scope: "write:blocks") { id, actor in
                try await pollen.setBlocked(true, id, by: actor)
            }
        }
        router.post("/api/v1/accounts/{id}/unblock") { _, context in
            try await relationshipChange(context, scope: "write:blocks") { id, actor in
                try await pollen.setBlocked(false, id, by: actor)
            }
        }
        router.get("/api/v1/accounts/relationships") { request, context in
            let member = try APIAuth.member(context, scope: "read:follows")
            let ids = request.query.all("id").compactMap(Member.ID.init(string:))
            let relationships = try await pollen.relationships(with: ids, by: .member(member))
            return JSONResponse.make(relationships.map(MastodonRelationship.init))
        }
        router.get("/api/v1/accounts/{id}/followers") { request, context in
            try await followList(request, context, followers: true)
        }
        router.get("/api/v1/accounts/{id}/following") { request, context in
            try await followList(request, context, followers: false)
        }
        router.get("/api/v1/followed_tags") { request, context in
            let member = try APIAuth.member(context, scope: "read:follows")
            let range = Self.range(request)
            let tags = try await pollen.followedTags(by: .member(member), range: range)
            let base = publicURL.base(for: request)
            var headers = HTTPFields()
            if let link = Self.link(request, base: base, cursors: tags.map(\.cursor), limit: range.limit) {
                headers[.init("Link")!] = link
            }
            return JSONResponse.make(tags.map { MastodonTag(name: $0.tag, base: base, following: true) }, headers: headers)
        }
        router.get("/api/v1/tags/{name}") { request, context in
            let actor = try APIAuth.reader(context, scope: "read")
            let tag = try Pollen.validTag(NetworkPages.tagParameter(context))
            let following = actor.member == nil ? nil : try await pollen.isFollowingTag(tag, by: actor)
            return JSONResponse.make(MastodonTag(name: tag, base: publicURL.base(for: request), following: following))
        }
        router.post("/api/v1/tags/{name}/follow") { request, context in
            try await tagChange(request, context, follow: true)
        }
        router.post("/api/v1/tags/{name}/unfollow") { request, context in
            try await tagChange(request, context, follow: false)
        }
    }

    private func relationshipChange(
        _ context: PollenRequestContext, scope: String,
        _ change: (Member.ID, Actor) async throws -> Relationship
    ) async throws -> Response {
        let member = try APIAuth.member(context, scope: scope, alternatives: ["follow"])
        guard let id = context.parameters.get("id").flatMap(Member.ID.init(string:)) else {
            throw DomainError.notFound("Account")
        }
        do {
            return JSONResponse.make(MastodonRelationship(try await change(id, .member(member))))
        } catch let error as DomainError where error.code == .conflict {
            // Already so: answer the relationship as it stands, like Mastodon.
            let relationship = try await pollen.relationships(with: [id], by: .member(member))
            return JSONResponse.make(relationship.map(MastodonRelationship.init).first)
        }
    }

    private func tagChange(_ request: Request, _ context: PollenRequestContext, follow: Bool) async throws -> Response {
        let member = try APIAuth.member(context, scope: "write:follows", alternatives: ["follow"])
        let raw = NetworkPages.tagParameter(context)
        let tag: String
        do {
            tag = follow ? try await pollen.followTag(raw, by: .member(member)) : try await pollen.unfollowTag(raw, by: .member(member))
        } catch let error as DomainError where error.code == .conflict {
            tag = try Pollen.validTag(raw)
        }
        return JSONResponse.make(MastodonTag(name: tag, base: publicURL.base(for: request), following: follow))
    }

    private func followList(_ request: Request, _ context: PollenRequestContext, followers: Bool) async throws
        -> Response
    {
        let actor = try APIAuth.reader(context, scope: "read:accounts")
        guard let id = context.parameters.get("id").flatMap(Member.ID.init(string:)) else {
            throw DomainError.notFound("Account")
        }
        let range = Self.range(request)
        let entries: [FollowEntry]
        do {
            entries = try await pollen.followList(of: id, followers: followers, range: range, viewer: actor)
        } catch let error as DomainError where error.code == .forbidden {
            // As Mastodon does for an account that hides its collections: an empty list (the account entity
            // says `hide_collections`).
            return JSONResponse.make([MastodonAccount]())
        }
        let counts = try await pollen.networkCounts(for: entries.map(\.member), viewer: actor)
        let base = publicURL.base(for: request)
        var headers = HTTPFields()
        if let link = Self.link(request, base: base, cursors: entries.map(\.cursor), limit: range.limit) {
            headers[.init("Link")!] = link
        }
        return JSONResponse.make(
            entries.map { MastodonAccount($0.member, base: base, counts: counts[$0.member.id]) }, headers: headers)
    }

    /// Mastodon's paging parameters: `max_id`, `since_id`, `min_id`, `limit` (at most `maxLimit`).
    static func range(
        _ request: Request, defaultLimit: Int = defaultPageSize, maxLimit: Int = Pollen.maxListPageSize
    ) -> CursorRange {
        let query = request.query
        return CursorRange(
            before: query["max_id"].flatMap { Int64($0) }, after: query["since_id"].flatMap { Int64($0) },
            nearestAfter: query["min_id"].flatMap { Int64($0) },
            limit: min(max(query["limit"].flatMap { Int($0) } ?? defaultLimit, 1), maxLimit))
    }

    static let pagingParameters: Set<String> = ["limit", "max_id", "min_id", "since_id"]

    /// The `Link` header with the next (older) and previous (newer) pages, as Mastodon clients follow it.
    /// Other query parameters (filters such as `local` or `exclude_replies`) carry over to both pages.
    static func link(_ request: Request, base: String, cursors: [Int64], limit: Int) -> String? {
        guard let newest = cursors.first, let oldest = cursors.last else { return nil }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~[]")
        let filters = request.query.values.filter { !pagingParameters.contains($0.key) }.sorted { $0.key < $1.key }
            .flatMap { key, values in
                values.map { value in
                    "&" + (key.addingPercentEncoding(withAllowedCharacters: allowed) ?? key) + "="
                        + (value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)
                }
            }.joined()
        let path = base + request.uri.path
        var parts: [String] = []
        if cursors.count >= limit { parts.append("<\(path)?limit=\(limit)\(filters)&max_id=\(oldest)>; rel=\"next\"") }
        parts.append("<\(path)?limit=\(limit)\(filters)&min_id=\(newest)>; rel=\"prev\"")
        return parts.joined(separator: ", ")
    }
}

/// Mastodon's `Relationship` entity.
struct MastodonRelationship: Encodable {
    let id: String
    let following: Bool
    let showing_reblogs: Bool
    let notifying = false
    let languages: [String]? = nil
    let followed_by: Bool
    let blocking: Bool
    let blocked_by: Bool
    let muting: Bool
    let muting_notifications: Bool
    let requested = false
    let requested_by = false
    let domain_blocking = false
    let endorsed = false
    let note = ""

    init(_ relationship: Relationship) {
        id = relationship.target.description
        following = relationship.following
        showing_reblogs = relationship.following
        followed_by = relationship.followedBy
        blocking = relationship.blocking
        blocked_by = relationship.blockedBy
        muting = relationship.muting
        muting_notifications = relationship.muting
    }
}

/// Mastodon's `Tag` entity. Usage history arrives with posts.
struct MastodonTag: Encodable {
    let name: String
    let url: String
    let history: [String] = []
    let following: Bool?

    init(name: String, base: String, following: Bool?) {
        self.name = name
        url = "\(base)/tags/\(name)"
        self.following = following
    }
}
