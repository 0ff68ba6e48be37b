import Foundation
import Hummingbird
import PollenCore

/// Moderation in Pollen's own JSON API under `/api/pollen/v1`: flagging content and profiles, the review queues
/// (the organization's for moderators, a community's for its managers), deciding cases, the author's view of a
/// case and their one appeal, community review policies, watched words, the organization's moderation settings
/// and audit log, and content health (experts marking articles and wiki pages). Described by `openapi.json`
/// beside `PollenEndpoints`.
///
/// Flags and appeals are written with `write:reports` (Mastodon's scope for filing reports), as are the
/// moderators' and managers' decisions, policies and watched words; queues, cases, policies, watched words and
/// health queues are read with `read:statuses`, as the content they show is. Marking content health is writing
/// in a community (`write:statuses`), as featuring is. Settings and the audit log are administration
/// (`admin:read`, `admin:write`). Who may do what is the core's to say (``AccessPolicy``); the endpoints only
/// read the request and shape the answer.
struct PollenModerationEndpoints {
    let pollen: Pollen
    let publicURL: PublicURL
    /// Every moderation body is a handful of short fields.
    static let bodyLimit = 64 * 1024
    /// Audit entries per page unless `limit` says otherwise, and the most a page holds.
    static let defaultAuditPage = 50
    static let maxAuditPage = 200

    func addRoutes(to router: Router<PollenRequestContext>) {
        let api = router.group(RouterPath(PollenEndpoints.prefix))
        api.post("flags") { request, context in try await flag(request, context) }

        api.get("moderation/queue") { request, context in
            let member = try APIAuth.member(context, scope: "read:statuses")
            let queue = try await pollen.reviewQueue(viewer: .member(member))
            return JSONResponse.make(PollenReviewQueue(queue, base: publicURL.base(for: request), viewer: member))
        }
        api.get("communities/{slug}/moderation/queue") { request, context in
            let member = try APIAuth.member(context, scope: "read:statuses")
            let queue = try await pollen.reviewQueue(community: try PollenCommunityEndpoints.slug(context), viewer: .member(member))
            return JSONResponse.make(PollenReviewQueue(queue, base: publicURL.base(for: request), viewer: member))
        }
        api.get("moderation/cases/{id}") { request, context in
            let member = try APIAuth.member(context, scope: "read:statuses")
            let notice = try await pollen.moderationNotice(try Self.caseID(context), viewer: .member(member))
            return JSONResponse.make(PollenModerationCaseDetail(notice, base: publicURL.base(for: request)))
        }
        api.post("moderation/cases/{id}/decisions") { request, context in try await decide(request, context) }
        api.post("moderation/cases/{id}/appeal") { request, context in
            let member = try APIAuth.member(context, scope: "write:reports")
            let id = try Self.caseID(context)
            var request = request
            let form = try await request.formData(limit: Self.bodyLimit)
            // The core names the appeal's text `appeal`, as the page's form does; here the field is `text`.
            let appealed = try await Self.renamingField("appeal", to: "text") {
                try await pollen.appeal(id, text: form["text"] ?? "", by: .member(member))
            }
            return JSONResponse.make(try await caseDetail(appealed, request, viewer: member))
        }

        api.get("communities/{slug}/moderation/policy") { request, context in
            let member = try APIAuth.member(context, scope: "read:statuses")
            return try await policy(try PollenCommunityEndpoints.slug(context), request, viewer: member)
        }
        api.put("communities/{slug}/moderation/policy") { request, context in
            let member = try APIAuth.member(context, scope: "write:reports")
            let slug = try PollenCommunityEndpoints.slug(context)
            var request = request
            let form = try await request.formData(limit: Self.bodyLimit)
            var modes: [PolicyContent: ModerationMode] = [:]
            for content in PolicyContent.allCases {
                guard let value = form[content.rawValue]?.trimmingCharacters(in: .whitespaces) else { continue }
                guard let mode = ModerationMode(rawValue: value) else {
                    throw DomainError.invalid("\(content.rawValue) must be open, post or pre.", field: content.rawValue)
                }
                modes[content] = mode
            }
            try await pollen.setCommunityPolicy(slug: slug, modes, by: .member(member))
            return try await policy(slug, request, viewer: member)
        }

        api.get("moderation/watched-words") { _, context in
            let member = try APIAuth.member(context, scope: "read:statuses")
            let words = try await pollen.watchedWords(viewer: .member(member))
            return JSONResponse.make(PollenWatchedWordList(watched_words: words.map(PollenWatchedWord.init)))
        }
        api.post("moderation/watched-words") { request, context in
            let member = try APIAuth.member(context, scope: "write:reports")
            // Refuse those who may not watch words before reading anything.
            try AccessPolicy.require(AccessPolicy.mayModerate(member))
            var request = request
            let form = try await request.formData(limit: Self.bodyLimit)
            var action = WatchedWord.Action.flag
            if let value = form["action"]?.trimmingCharacters(in: .whitespaces).nilIfEmpty {
                guard let chosen = WatchedWord.Action(rawValue: value) else {
                    throw DomainError.invalid("action must be block, hold or flag.", field: "action")
                }
                action = chosen
            }
            let word = try await pollen.addWatchedWord(form["word"] ?? "", action: action, by: .member(member))
            return JSONResponse.make(PollenWatchedWord(word), status: .created)
        }
        api.delete("moderation/watched-words/{id}") { _, context in
            let member = try APIAuth.member(context, scope: "write:reports")
            guard let raw = context.parameters.get("id"), let id = WatchedWord.ID(string: raw) else {
                throw DomainError.notFound("Watched word")
            }
            try await pollen.removeWatchedWord(id, by: .member(member))
            return Response(status: .noContent)
        }

        api.get("admin/moderation-settings") { _, context in
            let actor = Actor.member(try APIAuth.member(context, scope: "admin:read"))
            return JSONResponse.make(PollenModerationSettings(try await pollen.moderationSettings(viewer: actor)))
        }
        api.put("admin/moderation-settings") { request, context in try await updateSettings(request, context) }
        api.get("admin/audit") { request, context in try await audit(request, context) }

        api.post("items/{id}/health") { request, context in
            let member = try APIAuth.member(context, scope: "write:statuses")
            let id = try PollenCommunityEndpoints.itemID(context)
            var request = request
            let form = try await request.formData(limit: Self.bodyLimit)
            let health: ContentHealth?
            switch form["health"]?.trimmingCharacters(in: .whitespaces) ?? "" {
            case "reviewed": health = nil
            case let value:
                guard let marked = ContentHealth(rawValue: value) else {
                    throw DomainError.invalid("health must be needs_review, obsolete or reviewed.", field: "health")
                }
                health = marked
            }
            let item = try await pollen.markHealth(id, health, note: form["note"] ?? "", by: .member(member))
            // Marking is not reading: the item's view count stays as it was.
            let view = try await pollen.item(id, viewer: .member(member), countingView: false)
            return JSONResponse.make(
                PollenHealthItem(item, community: view.community, isStale: false, lastReviewed: item.reviewedAt ?? item.updatedAt,
                    base: publicURL.base(for: request)))
        }
        api.get("communities/{slug}/health") { request, context in
            let member = try APIAuth.member(context, scope: "read:statuses")
            let slug = try PollenCommunityEndpoints.slug(context)
            let found = try await pollen.contentHealthQueue(community: slug, viewer: .member(member))
            let community = try await pollen.community(slug: slug, viewer: .member(member)).community
            let base = publicURL.base(for: request)
            return JSONResponse.make(
                PollenHealthQueue(
                    community: PollenModerationCommunity(community, base: base),
                    items: found.map {
                        PollenHealthItem($0.item, community: community, isStale: $0.isStale, lastReviewed: $0.lastReviewed, base: base)
                    }))
        }
    }

    // MARK: Flags

    func flag(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let member = try APIAuth.member(context, scope: "write:reports")
        var request = request
        let form = try await request.formData(limit: Self.bodyLimit)
        guard let target = ContentRef(form["target"]?.trimmingCharacters(in: .whitespaces) ?? "") else {
            throw DomainError.invalid(
                "target must name content as kind:id (post:12, item:3, comment:5, question:7, answer:8, qa_comment:9, "
                    + "profile:4) or a wiki revision as revision:item:number.",
                field: "target")
        }
        guard let reason = form["reason"].flatMap({ FlagReason(rawValue: $0.trimmingCharacters(in: .whitespaces)) }) else {
            throw DomainError.invalid(
                "reason must be one of \(FlagReason.allCases.map(\.rawValue).joined(separator: ", ")).", field: "reason")
        }
        let flag = try await pollen.flag(target, reason: reason, note: form["note"] ?? "", by: .member(member))
        return JSONResponse.make(PollenFlag(flag), status: .created)
    }

    // MARK: Cases

    static func caseID(_ context: PollenRequestContext) throws -> ModerationCase.ID {
        guard let raw = context.parameters.get("id"), let id = ModerationCase.ID(string: raw) else { throw DomainError.notFound("Case") }
        return id
    }

    func decide(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let member = try APIAuth.member(context, scope: "write:reports")
        let id = try Self.caseID(context)
        var request = request
        let form = try await request.formData(limit: Self.bodyLimit)
        guard let action = form["action"].flatMap({ ModerationCase.Action(rawValue: $0.trimmingCharacters(in: .whitespaces)) }) else {
            throw DomainError.invalid(
                "action must be one of \(ModerationCase.Action.allCases.map(\.rawValue).joined(separator: ", ")).", field: "action")
        }
        var decision = ModerationDecision(action: action, rule: form["rule"] ?? "", reason: form["reason"] ?? "")
        if let value = form["silence_days"]?.trimmingCharacters(in: .whitespaces).nilIfEmpty {
            guard let days = Int(value) else { throw DomainError.invalid("Silence for 1 to 365 days.", field: "silence_days") }
            decision.silenceDays = days
        }
        decision.tags = form.all("tags").flatMap(ProfileRules.splitTagList)
        decision.moveTo = (form["move_to"] ?? "").trimmingCharacters(in: .whitespaces)
        let decided = try await pollen.moderate(id, decision, by: .member(member))
        return JSONResponse.make(try await caseDetail(decided, request, viewer: member))
    }

    /// The case as the member may now read it; when they no longer may (content moved out of their reach), the
    /// case as decided, without its content.
    func caseDetail(_ moderationCase: ModerationCase, _ request: Request, viewer: Member) async throws -> PollenModerationCaseDetail {
        let base = publicURL.base(for: request)
        do {
            return PollenModerationCaseDetail(try await pollen.moderationNotice(moderationCase.id, viewer: .member(viewer)), base: base)
        } catch let error as DomainError where error.code == .notFound || error.code == .forbidden {
            return PollenModerationCaseDetail(
                PollenModerationCase(moderationCase), content: nil, isAuthor: moderationCase.authorID == viewer.id,
                mayDecideAppeal: false, base: base)
        }
    }

    /// Runs `body`, reporting a field the core names `from` as `to`, the name this API's body uses.
    static func renamingField<T>(_ from: String, to: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as DomainError where error.field == from {
            throw DomainError(error.code, error.message, field: to, cause: error.cause)
        }
    }

    // MARK: Policies

    func policy(_ slug: String, _ request: Request, viewer: Member) async throws -> Response {
        let found = try await pollen.communityPolicy(slug: slug, viewer: .member(viewer))
        return JSONResponse.make(
            PollenCommunityPolicy(
                community: PollenModerationCommunity(found.community, base: publicURL.base(for: request)),
                modes: Dictionary(uniqueKeysWithValues: PolicyContent.allCases.map { ($0.rawValue, found.policy.mode(for: $0).rawValue) })))
    }

    // MARK: Administration

    func updateSettings(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let actor = Actor.member(try APIAuth.member(context, scope: "admin:write"))
        try AccessPolicy.require(AccessPolicy.mayAdminister(actor))
        var request = request
        let form = try await request.formData(limit: Self.bodyLimit)
        var settings = try await pollen.moderationSettings(viewer: actor)
        if let value = form["hold_first_posts"] {
            settings.holdFirstPosts = try MastodonEndpoints.flag(value, field: "hold_first_posts")
        }
        let numbers: [(String, WritableKeyPath<ModerationSettings, Int>)] = [
            ("new_member_hours", \.newMemberHours), ("new_member_max_posts", \.newMemberMaxPosts),
            ("new_member_max_links", \.newMemberMaxLinks), ("new_member_max_mentions", \.newMemberMaxMentions),
            ("writes_per_minute_per_member", \.writesPerMinutePerMember),
            ("writes_per_minute_per_address", \.writesPerMinutePerAddress), ("retention_days", \.retentionDays),
            ("review_after_days", \.reviewAfterDays),
        ]
        for (field, path) in numbers {
            guard let value = form[field] else { continue }
            guard let number = Int(value.trimmingCharacters(in: .whitespaces)) else {
                throw DomainError.invalid("\(field) must be a whole number.", field: field)
            }
            settings[keyPath: path] = number
        }
        try await pollen.updateModerationSettings(settings, by: actor)
        return JSONResponse.make(PollenModerationSettings(try await pollen.moderationSettings(viewer: actor)))
    }

    func audit(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let actor = Actor.member(try APIAuth.member(context, scope: "admin:read"))
        try AccessPolicy.require(AccessPolicy.mayAdminister(actor))
        let params = request.query
        var before: AuditEntry.ID?
        if let value = params["before"]?.trimmingCharacters(in: .whitespaces).nilIfEmpty {
            guard let id = AuditEntry.ID(string: value) else {
                throw DomainError.invalid("before must be the id of an audit entry.", field: "before")
            }
            before = id
        }
        let limit = min(max(params["limit"].flatMap { Int($0) } ?? Self.defaultAuditPage, 1), Self.maxAuditPage)
        let found = try await pollen.auditLog(before: before, limit: limit, viewer: actor)
        let base = publicURL.base(for: request)
        return JSONResponse.make(
            PollenAuditPage(
                entries: found.map { PollenAuditEntry($0.entry, actor: $0.actor, base: base, viewer: actor.member) }, limit: limit,
                next_before: OrNull(found.count == limit ? found.last?.entry.id.description : nil)))
    }
}

// MARK: - Entities

/// A member's flag on content or a profile.
struct PollenFlag: Encodable {
    let id: String
    /// `post:12`, `revision:40:3`…
    let target: String
    let case_id: String
    let reason: String
    let note: String
    let created_at: String
    /// `upheld` or `dismissed` once a moderator decided; null before.
    let outcome: OrNull<String>

    init(_ flag: ContentFlag) {
        id = flag.id.description
        target = flag.target.description
        case_id = flag.caseID.description
        reason = flag.reason.rawValue
        note = flag.note
        created_at = flag.createdAt.mastodonTimestamp
        outcome = OrNull(flag.outcome?.rawValue)
    }
}

/// A community as moderation names it.
struct PollenModerationCommunity: Encodable {
    let id: String
    let slug: String
    let name: String
    let url: String

    init(_ community: Community, base: String) {
        id = community.id.description
        slug = community.slug
        name = community.name
        url = "\(base)/c/\(community.slug)"
    }
}

/// A review case: what it is about, why it was opened, and what was decided.
struct PollenModerationCase: Encodable {
    let id: String
    let target: String
    let target_kind: String
    /// Null for content outside communities (posts, questions asked outside one, profiles).
    let community_id: OrNull<String>
    let author_id: String
    let source: String
    let open: Bool
    let opened_at: String
    let closed_at: OrNull<String>
    /// The last decisive action, with the rule and reason given for it (shown to the author).
    let action: OrNull<String>
    let rule: String
    let reason: String
    let appeal: OrNull<String>
    let appealed_at: OrNull<String>
    let appeal_state: OrNull<String>
    /// Whether the author may still appeal (a hide or removal, once).
    let may_appeal: Bool

    init(_ moderationCase: ModerationCase) {
        id = moderationCase.id.description
        target = moderationCase.target.description
        target_kind = moderationCase.target.kind.rawValue
        community_id = OrNull(moderationCase.communityID?.description)
        author_id = moderationCase.authorID.description
        source = moderationCase.source.rawValue
        open = moderationCase.isOpen
        opened_at = moderationCase.openedAt.mastodonTimestamp
        closed_at = OrNull(moderationCase.closedAt?.mastodonTimestamp)
        action = OrNull(moderationCase.action?.rawValue)
        rule = moderationCase.rule
        reason = moderationCase.reason
        appeal = OrNull(moderationCase.appeal)
        appealed_at = OrNull(moderationCase.appealedAt?.mastodonTimestamp)
        appeal_state = OrNull(moderationCase.appealState?.rawValue)
        may_appeal = moderationCase.mayAppeal
    }
}

/// Content as moderation sees it, whatever its kind, including content taken out of view.
struct PollenModerationContent: Encodable {
    let target: String
    let author_id: String
    /// Empty for posts, profiles and comments without one.
    let title: String
    let body: String
    let tags: [String]
    /// `held`, `hidden` or `removed` while out of view; null when it is visible.
    let withholding: OrNull<String>
    let url: String
    let created_at: String

    init(_ content: ContentSnapshot, base: String) {
        target = content.target.description
        author_id = content.authorID.description
        title = content.title
        body = content.body
        tags = content.tags
        withholding = OrNull(content.withholding?.rawValue)
        url = base + content.path
        created_at = content.createdAt.mastodonTimestamp
    }
}

/// A case as its author, or someone who may decide it, reads it.
struct PollenModerationCaseDetail: Encodable {
    let moderationCase: PollenModerationCase
    /// Null when the content is gone (purged or deleted).
    let content: OrNull<PollenModerationContent>
    let is_author: Bool
    /// Whether the viewer may decide the appeal that waits on it.
    let may_decide_appeal: Bool

    init(_ moderationCase: PollenModerationCase, content: ContentSnapshot?, isAuthor: Bool, mayDecideAppeal: Bool, base: String) {
        self.moderationCase = moderationCase
        self.content = OrNull(content.map { PollenModerationContent($0, base: base) })
        is_author = isAuthor
        may_decide_appeal = mayDecideAppeal
    }

    init(_ notice: ModerationNotice, base: String) {
        self.init(
            PollenModerationCase(notice.moderationCase), content: notice.content, isAuthor: notice.isAuthor,
            mayDecideAppeal: notice.mayDecideAppeal, base: base)
    }

    enum CodingKeys: String, CodingKey { case content, is_author, may_decide_appeal }

    /// The case's fields, then these, in one object.
    func encode(to encoder: any Encoder) throws {
        try moderationCase.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(content, forKey: .content)
        try container.encode(is_author, forKey: .is_author)
        try container.encode(may_decide_appeal, forKey: .may_decide_appeal)
    }
}

/// One open flag of a case, as the queue shows it.
struct PollenQueueFlag: Encodable {
    let id: String
    let reason: String
    let note: String
    /// The flagger's handle; null when their profile is gone.
    let flagger: OrNull<String>
    let created_at: String
}

/// What a moderator should know of an author before acting.
struct PollenAuthorHistory: Encodable {
    let removals: Int
    let upheld_flags: Int
    let warnings: Int
    let member_since: String
    /// Until when the author may not write; null when they may.
    let silenced_until: OrNull<String>

    init(_ history: AuthorHistory) {
        removals = history.removals
        upheld_flags = history.upheldFlags
        warnings = history.warnings
        member_since = history.memberSince.mastodonTimestamp
        silenced_until = OrNull(history.silencedUntil?.mastodonTimestamp)
    }
}

/// An open case in a review queue: the case, the content as it is now, its open flags and the author's record.
struct PollenQueueCase: Encodable {
    let moderationCase: PollenModerationCase
    let content: OrNull<PollenModerationContent>
    let author: PollenProfile
    let community: OrNull<PollenModerationCommunity>
    let flags: [PollenQueueFlag]
    /// The share of the flaggers' earlier decided flags that were upheld; null when none was decided.
    let flagger_accuracy: OrNull<Double>
    let author_history: PollenAuthorHistory
    /// Higher comes first.
    let priority: Double

    init(_ view: CaseView, base: String, viewer: Member) {
        moderationCase = PollenModerationCase(view.moderationCase)
        content = OrNull(view.content.map { PollenModerationContent($0, base: base) })
        author = PollenProfile(view.author, base: base, viewer: viewer)
        community = OrNull(view.community.map { PollenModerationCommunity($0, base: base) })
        flags = view.flags.map {
            PollenQueueFlag(
                id: $0.flag.id.description, reason: $0.flag.reason.rawValue, note: $0.flag.note, flagger: OrNull($0.flagger?.handle),
                created_at: $0.flag.createdAt.mastodonTimestamp)
        }
        flagger_accuracy = OrNull(view.flaggerAccuracy)
        author_history = PollenAuthorHistory(view.history)
        priority = view.priority
    }

    enum CodingKeys: String, CodingKey { case content, author, community, flags, flagger_accuracy, author_history, priority }

    func encode(to encoder: any Encoder) throws {
        try moderationCase.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(content, forKey: .content)
        try container.encode(author, forKey: .author)
        try container.encode(community, forKey: .community)
        try container.encode(flags, forKey: .flags)
        try container.encode(flagger_accuracy, forKey: .flagger_accuracy)
        try container.encode(author_history, forKey: .author_history)
        try container.encode(priority, forKey: .priority)
    }
}

struct PollenReviewQueue: Encodable {
    /// Null for the organization's queue.
    let community: OrNull<PollenModerationCommunity>
    /// Highest priority first.
    let cases: [PollenQueueCase]
    let may_silence: Bool
    let may_suspend: Bool

    init(_ queue: ReviewQueue, base: String, viewer: Member) {
        community = OrNull(queue.community.map { PollenModerationCommunity($0, base: base) })
        cases = queue.cases.map { PollenQueueCase($0, base: base, viewer: viewer) }
        may_silence = queue.maySilence
        may_suspend = queue.maySuspend
    }
}

struct PollenCommunityPolicy: Encodable {
    let community: PollenModerationCommunity
    /// Every kind of content (`thread`, `article`, `wiki`, `resource`, `comment`, `question`, `answer`) with its
    /// mode: `open`, `post` or `pre`.
    let modes: [String: String]
}

struct PollenWatchedWord: Encodable {
    let id: String
    let word: String
    let action: String
    let created_at: String

    init(_ word: WatchedWord) {
        id = word.id.description
        self.word = word.word
        action = word.action.rawValue
        created_at = word.createdAt.mastodonTimestamp
    }
}

struct PollenWatchedWordList: Encodable {
    let watched_words: [PollenWatchedWord]
}

struct PollenModerationSettings: Encodable {
    let hold_first_posts: Bool
    let new_member_hours: Int
    let new_member_max_posts: Int
    let new_member_max_links: Int
    let new_member_max_mentions: Int
    let writes_per_minute_per_member: Int
    let writes_per_minute_per_address: Int
    let retention_days: Int
    let review_after_days: Int

    init(_ settings: ModerationSettings) {
        hold_first_posts = settings.holdFirstPosts
        new_member_hours = settings.newMemberHours
        new_member_max_posts = settings.newMemberMaxPosts
        new_member_max_links = settings.newMemberMaxLinks
        new_member_max_mentions = settings.newMemberMaxMentions
        writes_per_minute_per_member = settings.writesPerMinutePerMember
        writes_per_minute_per_address = settings.writesPerMinutePerAddress
        retention_days = settings.retentionDays
        review_after_days = settings.reviewAfterDays
    }
}

struct PollenAuditEntry: Encodable {
    let id: String
    /// Null for acts of the system (the command line) and of members whose profile is gone.
    let actor: OrNull<PollenProfile>
    let action: String
    let target: String
    let summary: String
    let community_id: OrNull<String>
    let reason: String
    let created_at: String

    init(_ entry: AuditEntry, actor: Member?, base: String, viewer: Member?) {
        id = entry.id.description
        self.actor = OrNull(actor.map { PollenProfile($0, base: base, viewer: viewer) })
        action = entry.action
        target = entry.target
        summary = entry.summary
        community_id = OrNull(entry.communityID?.description)
        reason = entry.reason
        created_at = entry.createdAt.mastodonTimestamp
    }
}

struct PollenAuditPage: Encodable {
    /// Newest first.
    let entries: [PollenAuditEntry]
    let limit: Int
    /// Pass as `before` for the next (older) page: the last entry's id when this page is full; null when it is not.
    let next_before: OrNull<String>
}

/// An article or wiki page with its health as the community's experts last judged it.
struct PollenHealthItem: Encodable {
    let id: String
    let type: String
    let title: String
    /// `needs_review` or `obsolete`; null when it holds (or was never marked).
    let health: OrNull<String>
    /// Not marked, and neither reviewed nor changed within the review period.
    let stale: Bool
    let reviewed_at: OrNull<String>
    /// The last review, or the last change when it was never reviewed.
    let last_reviewed: String
    let url: String

    init(_ item: CommunityItem, community: Community, isStale: Bool, lastReviewed: Date, base: String) {
        id = item.id.description
        type = item.kind.rawValue
        title = item.title
        health = OrNull(item.health?.rawValue)
        stale = isStale
        reviewed_at = OrNull(item.reviewedAt?.mastodonTimestamp)
        last_reviewed = lastReviewed.mastodonTimestamp
        url = "\(base)/c/\(community.slug)/items/\(item.id)"
    }
}

struct PollenHealthQueue: Encodable {
    let community: PollenModerationCommunity
    /// Marked ones and those due for a review, oldest review first.
    let items: [PollenHealthItem]
}
