import Foundation
import Hummingbird
import PollenCore

/// Flagging, the review queues (the organization's and each community's), what an author is told and how they
/// appeal, watched words, content health, and for administrators the moderation settings and the audit log.
struct ModerationPages {
    let pollen: Pollen
    let views: ViewRenderer

    func addRoutes(to router: Router<PollenRequestContext>) {
        router.get("/flag") { request, context in try await flagForm(request, context) }
        router.post("/flag") { request, context in try await flag(request, context) }
        router.get("/moderation") { _, context in try await queue(context, community: nil) }
        router.get("/c/{slug}/moderation") { _, context in
            try await queue(context, community: try context.parameters.require("slug"))
        }
        router.post("/c/{slug}/moderation/policy") { _, context in try await savePolicy(context) }
        router.post("/c/{slug}/items/{id}/health") { _, context in try await markHealth(context) }
        router.get("/moderation/cases/{id}") { _, context in try await notice(context) }
        router.post("/moderation/cases/{id}/decide") { _, context in try await decide(context) }
        router.post("/moderation/cases/{id}/appeal") { _, context in try await appeal(context) }
        router.get("/moderation/words") { _, context in try await words(context) }
        router.post("/moderation/words") { _, context in try await addWord(context) }
        router.post("/moderation/words/{id}/delete") { _, context in
            let id = try Self.id(context, WatchedWord.self)
            try await pollen.removeWatchedWord(id, by: try context.requireActor())
            return Response.redirect(to: "/moderation/words", flash: "The word is no longer watched.")
        }
        router.get("/admin/moderation") { _, context in try await settingsPage(context) }
        router.post("/admin/moderation") { _, context in try await saveSettings(context) }
        router.get("/admin/audit") { request, context in try await auditPage(request, context) }
        router.get("/admin/audit.csv") { _, context in try await auditCSV(context) }
    }

    static func id<T>(_ context: PollenRequestContext, _: T.Type) throws -> EntityID<T> {
        guard let raw = context.parameters.get("id"), let id = EntityID<T>(string: raw) else { throw DomainError.notFound("Page") }
        return id
    }

    // MARK: Flagging

    func flagForm(_ request: Request, _ context: PollenRequestContext, note: String = "", reason: FlagReason? = nil,
                  error: DomainError? = nil) async throws -> Response {
        let viewer = try context.requireViewer()
        let raw = request.uri.queryParameters["target"].map(String.init) ?? context.form?["target"] ?? ""
        guard let target = ContentRef(raw) else { throw DomainError.notFound("Content") }
        let content = try await pollen.flaggableContent(target, viewer: .member(viewer))
        let page = FlagPage(
            layout: Layout(title: "Flag this \(target.kind.noun)", context: context), target: target.description,
            noun: target.kind.noun, title: content.title, excerpt: Self.excerpt(content.body), path: content.path,
            reasons: FlagReason.allCases.map { .init(value: $0.rawValue, label: $0.label, checked: $0 == reason) },
            note: note, formError: error?.message)
        return views.response(page, template: "flag", status: error.map { ErrorMiddleware.status($0.code) } ?? .ok)
    }

    func flag(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let form = context.form
        let note = form?["note"] ?? ""
        let reason = form?["reason"].flatMap(FlagReason.init(rawValue:))
        guard let target = ContentRef(form?["target"] ?? "") else { throw DomainError.notFound("Content") }
        do {
            guard let reason else { throw DomainError.invalid("Choose what is wrong.", field: "reason") }
            try await pollen.flag(target, reason: reason, note: note, by: try context.requireActor())
            let content = try await pollen.flaggableContent(target, viewer: try context.requireActor())
            return Response.redirect(to: content.path, flash: "Thank you — moderators will look at it.")
        } catch let error as DomainError where error.code == .invalidInput || error.code == .conflict {
            return try await flagForm(request, context, note: note, reason: reason, error: error)
        }
    }

    static func excerpt(_ text: String, limit: Int = 600) -> String {
        text.count > limit ? String(text.prefix(limit - 1)) + "…" : text
    }

    // MARK: Queues

    func queue(_ context: PollenRequestContext, community slug: String?, error: DomainError? = nil, errorCase: String? = nil)
        async throws -> Response
    {
        let viewer = try context.requireViewer()
        let queue: ReviewQueue
        if let slug {
            do {
                queue = try await pollen.reviewQueue(community: slug, viewer: .member(viewer))
            } catch let denied as DomainError where denied.code == .forbidden {
                // Subject-matter experts have no review queue, but pages due for review are theirs.
                return try await healthOnly(context, slug: slug, denied: denied)
            }
        } else {
            queue = try await pollen.reviewQueue(viewer: .member(viewer))
        }
        var policy: [ReviewQueuePage.PolicyRow] = []
        var health: [ReviewQueuePage.HealthRow] = []
        var mayManage = false
        if let slug, let community = queue.community {
            if let (_, current) = try? await pollen.communityPolicy(slug: slug, viewer: .member(viewer)) {
                mayManage = try await pollen.mayManageCommunity(slug: slug, viewer: .member(viewer))
                policy = PolicyContent.allCases.map { content in
                    .init(
                        key: content.rawValue, label: content.label,
                        modes: ModerationMode.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: current.mode(for: content) == $0) })
                }
            }
            if let due = try? await pollen.contentHealthQueue(community: slug, viewer: .member(viewer)) {
                health = Self.healthRows(due, in: community)
            }
        }
        let here = slug.map { "/c/\($0)/moderation" } ?? "/moderation"
        let page = ReviewQueuePage(
            layout: Layout(title: queue.community.map { "Review · \($0.name)" } ?? "Review queue", context: context),
            heading: queue.community.map { "Review queue of \($0.name)" } ?? "Review queue",
            communityName: queue.community?.name, slug: queue.community?.slug, here: here,
            cases: queue.cases.map { Self.card($0, queue: queue, errorCase: errorCase, error: error) },
            hasCases: !queue.cases.isEmpty, policy: policy, hasPolicy: !policy.isEmpty, mayEditPolicy: mayManage,
            health: health, hasHealth: !health.isEmpty, isOrganization: slug == nil,
            formError: errorCase == nil ? error?.message : nil, healthOnly: false)
        return views.response(page, template: "moderation_queue", status: error.map { ErrorMiddleware.status($0.code) } ?? .ok)
    }

    func healthOnly(_ context: PollenRequestContext, slug: String, denied: DomainError) async throws -> Response {
        let viewer = try context.requireViewer()
        guard let due = try? await pollen.contentHealthQueue(community: slug, viewer: .member(viewer)) else { throw denied }
        let community = try await pollen.community(slug: slug, viewer: .member(viewer)).community
        let page = ReviewQueuePage(
            layout: Layout(title: "Content health · \(community.name)", context: context),
            heading: "Content health of \(community.name)", communityName: community.name, slug: community.slug,
            here: "/c/\(slug)/moderation", cases: [], hasCases: false, policy: [], hasPolicy: false, mayEditPolicy: false,
            health: Self.healthRows(due, in: community),
            hasHealth: true, isOrganization: false, formError: nil, healthOnly: true)
        return views.response(page, template: "moderation_queue")
    }

    static func healthRows(_ due: [HealthItem], in community: Community) -> [ReviewQueuePage.HealthRow] {
        due.map {
            .init(
                title: $0.item.title, url: "/c/\(community.slug)/items/\($0.item.id)",
                why: $0.item.health?.label ?? "Not reviewed since \($0.lastReviewed.formatted(date: .abbreviated, time: .omitted))")
        }
    }

    static func card(_ view: CaseView, queue: ReviewQueue, errorCase: String?, error: DomainError?) -> ReviewQueuePage.Case {
        let c = view.moderationCase
        let content = view.content
        let history = view.history
        var record = ["member since \(history.memberSince.formatted(date: .abbreviated, time: .omitted))"]
        record.append(ItemCard.count(history.removals, "earlier removal", "earlier removals"))
        record.append(ItemCard.count(history.upheldFlags, "upheld flag", "upheld flags"))
        record.append(ItemCard.count(history.warnings, "warning", "warnings"))
        if let until = history.silencedUntil { record.append("silenced until \(until.formatted(date: .abbreviated, time: .shortened))") }
        var actions: [ModerationCase.Action] = [.approve, .hide, .remove, .warn]
        if c.target.kind == .item || c.target.kind == .question { actions.insert(.retag, at: 3) }
        if c.target.kind == .item { actions.insert(.move, at: 4) }
        if c.target.kind == .profile { actions.removeAll { $0 == .hide || $0 == .remove } }
        if queue.maySilence { actions.append(.silence) }
        if queue.maySuspend { actions.append(.suspend) }
        let id = c.id.description
        return ReviewQueuePage.Case(
            id: id, source: c.source.label, kind: c.target.kind.noun,
            withheld: content?.withholding.map { $0 == .held ? "Held — not published" : $0 == .hidden ? "Hidden" : "Removed" },
            authorName: view.author.profile.displayName, authorHandle: view.author.handle,
            community: view.community?.name, title: content.map { $0.title.isEmpty ? "A \(c.target.kind.noun)" : $0.title } ?? "Content no longer exists",
            excerpt: content.map { excerpt($0.body) } ?? "", path: content?.path, tags: content?.tags.joined(separator: " ") ?? "",
            flags: view.flags.map { entry in
                .init(reason: entry.flag.reason.label, note: entry.flag.note, by: entry.flagger.map { "@\($0.handle)" } ?? "a former member")
            },
            flagCount: view.flags.isEmpty ? nil : ItemCard.count(view.flags.count, "flag", "flags"),
            accuracy: view.flaggerAccuracy.map { "flaggers right \(Int(($0 * 100).rounded()))% of the time before" },
            record: record.joined(separator: " · "), appeal: c.source == .appeal ? c.appeal : nil,
            earlier: c.source == .appeal ? [c.action?.label, c.rule.isEmpty ? nil : c.rule, c.reason].compactMap { $0 }.joined(separator: " — ") : nil,
            opened: c.openedAt.formatted(date: .abbreviated, time: .shortened),
            actions: actions.map { .init(value: $0.rawValue, label: $0.label) },
            error: errorCase == id ? error?.message : nil)
    }

    func decide(_ context: PollenRequestContext) async throws -> Response {
        let id = try Self.id(context, ModerationCase.self)
        let form = context.form
        let back = AccountPages.safeNext(form?["next"], fallback: "/moderation")
        guard let action = form?["action"].flatMap(ModerationCase.Action.init(rawValue:)) else {
            throw DomainError.invalid("Choose an action.", field: "action")
        }
        let decision = ModerationDecision(
            action: action, rule: form?["rule"] ?? "", reason: form?["reason"] ?? "",
            silenceDays: Int(form?["silence_days"] ?? "") ?? 0,
            tags: (form?["tags"] ?? "").split(whereSeparator: { $0 == "," || $0.isWhitespace }).map(String.init),
            moveTo: form?["move_to"]?.trimmingCharacters(in: .whitespaces).trimmingPrefix("/c/").description ?? "")
        do {
            try await pollen.moderate(id, decision, by: try context.requireActor())
        } catch let error as DomainError where error.code == .invalidInput || error.code == .conflict {
            // Shown on the queue the moderator came from, beside the case.
            let slug = back.hasPrefix("/c/") ? back.dropFirst(3).split(separator: "/").first.map(String.init) : nil
            return try await queue(context, community: slug, error: error, errorCase: id.description)
        }
        return Response.redirect(to: back, flash: "\(action.label): done.")
    }

    // MARK: Authors

    func notice(_ context: PollenRequestContext, appealText: String = "", error: DomainError? = nil) async throws -> Response {
        let viewer = try context.requireViewer()
        let notice = try await pollen.moderationNotice(try Self.id(context, ModerationCase.self), viewer: .member(viewer))
        let c = notice.moderationCase
        let status: String
        switch (c.action, c.isOpen, c.appealState) {
        case (_, _, .granted?): status = "Your appeal was granted: the \(c.target.kind.noun) is back."
        case (_, _, .denied?): status = "Your appeal was looked at, and the decision stands."
        case (_, true, .pending?): status = "You appealed; a moderator will look at it again."
        case (nil, true, _):
            status = notice.content?.withholding == .held
                ? "It is held for review: only you and moderators see it until it is approved." : "It is being reviewed."
        case (.approve?, _, _): status = "It was reviewed and approved."
        case (.hide?, _, _): status = "It was hidden: only you and moderators can see it."
        case (.remove?, _, _): status = "It was removed."
        case (.warn?, _, _): status = "You were warned about it; it stays published."
        case (.silence?, _, _): status = "You were silenced for a while: you can read, but not write."
        case (.suspend?, _, _): status = "Your account was suspended."
        default: status = "It was changed by a moderator."
        }
        let page = ModerationNoticePage(
            layout: Layout(title: "Moderation notice", context: context), id: c.id.description, noun: c.target.kind.noun,
            title: notice.content.map { $0.title.isEmpty ? "Your \(c.target.kind.noun)" : $0.title } ?? "Your \(c.target.kind.noun)",
            excerpt: notice.content.map { Self.excerpt($0.body) } ?? "", path: notice.content?.withholding == .removed ? nil : notice.content?.path,
            status: status, rule: c.rule.isEmpty ? nil : c.rule, reason: c.reason.isEmpty ? nil : c.reason,
            decided: c.closedAt.map { $0.formatted(date: .abbreviated, time: .shortened) },
            mayAppeal: notice.isAuthor && c.mayAppeal, appeal: c.appeal, appealText: appealText,
            moderatorView: !notice.isAuthor, formError: error?.message)
        return views.response(page, template: "moderation_notice", status: error.map { ErrorMiddleware.status($0.code) } ?? .ok)
    }

    func appeal(_ context: PollenRequestContext) async throws -> Response {
        let id = try Self.id(context, ModerationCase.self)
        let text = context.form?["appeal"] ?? ""
        do {
            try await pollen.appeal(id, text: text, by: try context.requireActor())
        } catch let error as DomainError where error.code == .invalidInput || error.code == .conflict {
            return try await notice(context, appealText: text, error: error)
        }
        return Response.redirect(to: "/moderation/cases/\(id)", flash: "Appeal sent.")
    }

    // MARK: Community policy and content health

    func savePolicy(_ context: PollenRequestContext) async throws -> Response {
        let slug = try context.parameters.require("slug")
        var modes: [PolicyContent: ModerationMode] = [:]
        for content in PolicyContent.allCases {
            guard let raw = context.form?[content.rawValue] else { continue }
            guard let mode = ModerationMode(rawValue: raw) else {
                throw DomainError.invalid("Choose open, post-moderated or pre-moderated.", field: content.rawValue)
            }
            modes[content] = mode
        }
        try await pollen.setCommunityPolicy(slug: slug, modes, by: try context.requireActor())
        return Response.redirect(to: "/c/\(slug)/moderation", flash: "Moderation policy saved.")
    }

    func markHealth(_ context: PollenRequestContext) async throws -> Response {
        let slug = try context.parameters.require("slug")
        let id = try Self.id(context, CommunityItem.self)
        let raw = context.form?["health"] ?? ""
        let health: ContentHealth?
        switch raw {
        case "reviewed": health = nil
        default:
            guard let value = ContentHealth(rawValue: raw) else {
                throw DomainError.invalid("Choose reviewed, needs review or obsolete.", field: "health")
            }
            health = value
        }
        try await pollen.markHealth(id, health, note: context.form?["note"] ?? "", by: try context.requireActor())
        return Response.redirect(
            to: "/c/\(slug)/items/\(id)", flash: health.map { "Marked “\($0.label)”." } ?? "Marked as reviewed and current.")
    }

    // MARK: Watched words

    func words(_ context: PollenRequestContext, word: String = "", error: DomainError? = nil) async throws -> Response {
        let viewer = try context.requireViewer()
        let list = try await pollen.watchedWords(viewer: .member(viewer))
        let page = WatchedWordsPage(
            layout: Layout(title: "Watched words", context: context),
            words: list.map { .init(id: $0.id.description, word: $0.word, action: $0.action.label) }, hasWords: !list.isEmpty,
            actions: WatchedWord.Action.allCases.map { .init(value: $0.rawValue, label: $0.label) }, word: word,
            formError: error?.message)
        return views.response(page, template: "moderation_words", status: error.map { ErrorMiddleware.status($0.code) } ?? .ok)
    }

    func addWord(_ context: PollenRequestContext) async throws -> Response {
        let word = context.form?["word"] ?? ""
        do {
            guard let action = context.form?["action"].flatMap(WatchedWord.Action.init(rawValue:)) else {
                throw DomainError.invalid("Choose what happens to text with the word.", field: "action")
            }
            try await pollen.addWatchedWord(word, action: action, by: try context.requireActor())
        } catch let error as DomainError where error.code == .invalidInput || error.code == .conflict {
            return try await words(context, word: word, error: error)
        }
        return Response.redirect(to: "/moderation/words", flash: "Watching “\(word.trimmingCharacters(in: .whitespaces).lowercased())”.")
    }

    // MARK: Administration

    /// The number fields of the settings form (a function: key paths are not shareable constants).
    static func settingFields() -> [(key: String, label: String, hint: String, path: WritableKeyPath<ModerationSettings, Int>)] { [
        ("new_member_hours", "New-member period (hours)", "How long someone counts as new after joining.", \.newMemberHours),
        ("new_member_max_posts", "Pieces a new member may write", "Posts, community content, questions, answers and comments together.", \.newMemberMaxPosts),
        ("new_member_max_links", "Links per piece for new members", "", \.newMemberMaxLinks),
        ("new_member_max_mentions", "Mentions per piece for new members", "", \.newMemberMaxMentions),
        ("writes_per_minute_per_member", "Writes per minute per member", "Beyond this, writes are refused for a moment (429).", \.writesPerMinutePerMember),
        ("writes_per_minute_per_address", "Writes per minute per network address", "", \.writesPerMinutePerAddress),
        ("retention_days", "Keep removed content for (days)", "Administrators can still see it in this time; then it is deleted for good.", \.retentionDays),
        ("review_after_days", "Review articles and wiki pages after (days)", "Pages not reviewed for this long are queued for the community's experts.", \.reviewAfterDays),
    ] }

    func settingsPage(_ context: PollenRequestContext, form: FormData? = nil, error: DomainError? = nil) async throws -> Response {
        let settings = try await pollen.moderationSettings(viewer: try context.requireActor())
        let page = ModerationSettingsPage(
            layout: Layout(title: "Moderation · Administration", context: context), tabs: AdminTabs(moderation: true),
            holdFirstPosts: form.map { $0.bool("hold_first_posts") ?? false } ?? settings.holdFirstPosts,
            fields: Self.settingFields().map { field in
                InputField(
                    id: field.key, label: field.label, name: field.key, type: "number",
                    value: form?[field.key] ?? String(settings[keyPath: field.path]),
                    error: error?.field == field.key ? error?.message : nil, hint: field.hint.isEmpty ? nil : field.hint, required: true)
            },
            formError: error?.field == nil ? error?.message : nil)
        return views.response(page, template: "admin_moderation", status: error.map { ErrorMiddleware.status($0.code) } ?? .ok)
    }

    func saveSettings(_ context: PollenRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        var settings = try await pollen.moderationSettings(viewer: actor)
        do {
            settings.holdFirstPosts = context.form?.bool("hold_first_posts") ?? false
            for field in Self.settingFields() {
                guard let value = Int(context.form?[field.key]?.trimmingCharacters(in: .whitespaces) ?? "") else {
                    throw DomainError.invalid("\(field.label) must be a whole number.", field: field.key)
                }
                settings[keyPath: field.path] = value
            }
            try await pollen.updateModerationSettings(settings, by: actor)
        } catch let error as DomainError where error.code == .invalidInput {
            return try await settingsPage(context, form: context.form, error: error)
        }
        return Response.redirect(to: "/admin/moderation", flash: "Moderation settings saved.")
    }

    func auditPage(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let before = request.uri.queryParameters["before"].flatMap { Int64(String($0)) }.map(AuditEntry.ID.init)
        let entries = try await pollen.auditLog(before: before, limit: 100, viewer: try context.requireActor())
        let page = AuditPage(
            layout: Layout(title: "Audit log · Administration", context: context), tabs: AdminTabs(audit: true),
            entries: entries.map { entry, actor in
                AuditPage.Entry(
                    time: entry.createdAt.formatted(date: .abbreviated, time: .shortened),
                    timeISO: entry.createdAt.ISO8601Format(),
                    actor: actor.map { "@\($0.handle)" } ?? (entry.actorID == nil ? "Pollen" : "a former member"),
                    action: entry.action, target: entry.target, summary: entry.summary, reason: entry.reason)
            }, hasEntries: !entries.isEmpty,
            olderURL: entries.count == 100 ? entries.last.map { "/admin/audit?before=\($0.entry.id)" } : nil)
        return views.response(page, template: "admin_audit")
    }

    /// The whole log as CSV, newest first, for the organization's own records.
    func auditCSV(_ context: PollenRequestContext) async throws -> Response {
        let entries = try await pollen.auditLog(limit: 10_000, viewer: try context.requireActor())
        var csv = "time,actor,action,target,summary,reason\r\n"
        for (entry, actor) in entries {
            let fields = [
                entry.createdAt.ISO8601Format(), actor?.handle ?? entry.actorID.map { "member:\($0)" } ?? "",
                entry.action, entry.target, entry.summary, entry.reason,
            ]
            csv += fields.map(Self.csvField).joined(separator: ",") + "\r\n"
        }
        return NetworkPages.download(csv, filename: "pollen-audit-log.csv")
    }

    /// Quotes a CSV field, and defuses text a spreadsheet would run as a formula.
    static func csvField(_ raw: String) -> String {
        var text = raw
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { text = "'" + text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
