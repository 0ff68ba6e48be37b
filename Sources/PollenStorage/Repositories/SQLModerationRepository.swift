import Foundation
import PollenCore
import SQLKit

/// Flags, review cases, policies, watched words, the audit log, and the moderation state of every kind of
/// content (the `moderation` column each content table carries).
struct SQLModerationRepository: ModerationRepository {
    let db: any SQLDatabase
    let dialect: Dialect
    let changes: ChangeRecorder

    /// The table holding each kind of content that has a moderation state of its own.
    private static func table(of kind: ContentRef.Kind) -> String? {
        switch kind {
        case .post: "posts"
        case .item: "community_items"
        case .comment: "community_comments"
        case .question: "questions"
        case .answer: "answers"
        case .qaComment: "qa_comments"
        case .story: "value_stories"
        case .revision, .profile: nil
        }
    }

    private static func withholding(_ row: any SQLRow) throws -> Withholding? {
        try row.decode(column: "moderation", as: String?.self).flatMap(Withholding.init(rawValue:))
    }

    private static func date(_ row: any SQLRow, _ column: String) throws -> Date {
        Date(milliseconds: try row.decode(column: column, as: Int64.self))
    }

    private static func words(_ text: String, _ separator: Character) -> [String] {
        text.split(separator: separator).map(String.init)
    }

    func snapshot(of target: ContentRef) async throws -> ContentSnapshot? {
        let id = target.id
        func one(_ query: SQLQueryString) async throws -> (any SQLRow)? { try await db.raw(query).first() }
        func author(_ row: any SQLRow) throws -> Member.ID { Member.ID(try row.decode(column: "author_id", as: Int64.self)) }
        func community(_ row: any SQLRow) throws -> Community.ID? {
            try row.decode(column: "community_id", as: Int64?.self).map(Community.ID.init)
        }
        switch target.kind {
        case .post:
            guard let row = try await one("SELECT * FROM posts WHERE id = \(bind: id)") else { return nil }
            return ContentSnapshot(
                target: target, authorID: try author(row), communityID: nil, title: "",
                body: try row.decode(column: "body", as: String.self),
                tags: Self.words(try row.decode(column: "hashtags", as: String.self), ","),
                withholding: try Self.withholding(row), path: "/posts/\(id)", createdAt: try Self.date(row, "created_at"))
        case .item:
            guard let row = try await one(
                "SELECT i.*, c.slug FROM community_items i JOIN communities c ON c.id = i.community_id WHERE i.id = \(bind: id)")
            else { return nil }
            return ContentSnapshot(
                target: target, authorID: try author(row), communityID: try community(row),
                title: try row.decode(column: "title", as: String.self), body: try row.decode(column: "body", as: String.self),
                tags: Self.words(try row.decode(column: "tags", as: String.self), " "), withholding: try Self.withholding(row),
                path: "/c/\(try row.decode(column: "slug", as: String.self))/items/\(id)", createdAt: try Self.date(row, "created_at"))
        case .comment:
            guard let row = try await one(
                """
                SELECT k.*, i.community_id, i.title, c.slug FROM community_comments k JOIN community_items i ON i.id = k.item_id
                JOIN communities c ON c.id = i.community_id WHERE k.id = \(bind: id)
                """)
            else { return nil }
            let item = try row.decode(column: "item_id", as: Int64.self)
            return ContentSnapshot(
                target: target, authorID: try author(row), communityID: try community(row),
                title: "Comment on “\(try row.decode(column: "title", as: String.self))”",
                body: try row.decode(column: "body", as: String.self), withholding: try Self.withholding(row),
                path: "/c/\(try row.decode(column: "slug", as: String.self))/items/\(item)#comment-\(id)",
                createdAt: try Self.date(row, "created_at"))
        case .question:
            guard let row = try await one("SELECT * FROM questions WHERE id = \(bind: id)") else { return nil }
            return ContentSnapshot(
                target: target, authorID: try author(row), communityID: try community(row),
                title: try row.decode(column: "title", as: String.self), body: try row.decode(column: "body", as: String.self),
                tags: Self.words(try row.decode(column: "tags", as: String.self), " "), withholding: try Self.withholding(row),
                path: "/questions/\(id)", questionID: Question.ID(id), createdAt: try Self.date(row, "created_at"))
        case .answer, .qaComment:
            // Both hang under a question; the page shows them at their anchor.
            let (title, anchor) = target.kind == .answer ? ("Answer to", "answer") : ("Comment on", "comment")
            let table = Self.table(of: target.kind)!
            guard let row = try await one(
                """
                SELECT k.*, q.community_id, q.title FROM \(unsafeRaw: table) k JOIN questions q ON q.id = k.question_id
                WHERE k.id = \(bind: id)
                """)
            else { return nil }
            let question = try row.decode(column: "question_id", as: Int64.self)
            return ContentSnapshot(
                target: target, authorID: try author(row), communityID: try community(row),
                title: "\(title) “\(try row.decode(column: "title", as: String.self))”",
                body: try row.decode(column: "body", as: String.self), withholding: try Self.withholding(row),
                path: "/questions/\(question)#\(anchor)-\(id)", questionID: Question.ID(question),
                createdAt: try Self.date(row, "created_at"))
        case .revision:
            guard let row = try await one(
                """
                SELECT r.*, i.community_id, c.slug FROM community_item_revisions r JOIN community_items i ON i.id = r.item_id
                JOIN communities c ON c.id = i.community_id WHERE r.item_id = \(bind: id) AND r.number = \(bind: target.revision)
                """)
            else { return nil }
            return ContentSnapshot(
                target: target, authorID: try author(row), communityID: try community(row),
                title: "Revision \(target.revision) of “\(try row.decode(column: "title", as: String.self))”",
                body: try row.decode(column: "body", as: String.self),
                tags: Self.words(try row.decode(column: "tags", as: String.self), " "), withholding: nil,
                path: "/c/\(try row.decode(column: "slug", as: String.self))/items/\(id)/history",
                createdAt: try Self.date(row, "created_at"))
        case .profile:
            guard let row = try await one("SELECT id, handle, display_name, bio, created_at FROM members WHERE id = \(bind: id)")
            else { return nil }
            return ContentSnapshot(
                target: target, authorID: Member.ID(id), communityID: nil,
                title: try row.decode(column: "display_name", as: String.self), body: try row.decode(column: "bio", as: String.self),
                withholding: nil, path: "/@\(try row.decode(column: "handle", as: String.self))",
                createdAt: try Self.date(row, "created_at"))
        case .story:
            guard let row = try await one("SELECT * FROM value_stories WHERE id = \(bind: id)") else { return nil }
            // Moderators read the whole story: its steps' narratives in cycle order.
            let steps = try await db.raw(
                "SELECT cycle, narrative FROM value_story_steps WHERE story_id = \(bind: id)"
            ).all().map { (try $0.decode(column: "cycle", as: String.self), try $0.decode(column: "narrative", as: String.self)) }
            let body = ValueCycle.allCases.compactMap { cycle in steps.first { $0.0 == cycle.rawValue }.map { "\(cycle.label): \($0.1)" } }
            return ContentSnapshot(
                target: target, authorID: try author(row), communityID: try community(row),
                title: try row.decode(column: "title", as: String.self), body: body.joined(separator: "\n\n"),
                withholding: try Self.withholding(row), path: "/stories/\(id)", createdAt: try Self.date(row, "created_at"))
        }
    }

    func setWithholding(_ withholding: Withholding?, of target: ContentRef, at: Date) async throws {
        guard let table = Self.table(of: target.kind) else { return }
        try await db.raw(
            "UPDATE \(unsafeRaw: table) SET moderation = \(bind: withholding?.rawValue) WHERE id = \(bind: target.id)"
        ).run()
        if withholding == .removed {
            try await db.raw(
                """
                INSERT INTO removals (target_kind, target_id, removed_at) VALUES (\(bind: target.kind.rawValue), \(bind: target.id), \(bind: at.milliseconds))
                ON CONFLICT (target_kind, target_id) DO UPDATE SET removed_at = excluded.removed_at
                """
            ).run()
        } else {
            try await db.raw(
                "DELETE FROM removals WHERE target_kind = \(bind: target.kind.rawValue) AND target_id = \(bind: target.id)"
            ).run()
        }
        // Served pages of posts are cached: a post that leaves or comes back changes the timelines that hold it.
        if target.kind == .post {
            changes.post(Post.ID(target.id))
            if let author = try await db.raw("SELECT author_id FROM posts WHERE id = \(bind: target.id)").first() {
                let id = Member.ID(try author.decode(column: "author_id", as: Int64.self))
                changes.arrival(of: Post(id: Post.ID(target.id), authorID: id, body: "", visibility: .organization, createdAt: at))
            }
        }
    }

    // MARK: Cases

    func insertCase(_ c: ModerationCase) async throws {
        try await db.raw(
            """
            INSERT INTO moderation_cases (id, target_kind, target_id, target_revision, community_id, author_id, source, is_open,
                opened_at, closed_at, closed_by, action, rule, reason, appeal, appealed_at, appeal_state)
            VALUES (\(bind: c.id.rawValue), \(bind: c.target.kind.rawValue), \(bind: c.target.id), \(bind: c.target.revision),
                \(bind: c.communityID?.rawValue), \(bind: c.authorID.rawValue), \(bind: c.source.rawValue), \(bind: c.isOpen ? 1 : 0),
                \(bind: c.openedAt.milliseconds), \(bind: c.closedAt?.milliseconds), \(bind: c.closedBy?.rawValue),
                \(bind: c.action?.rawValue), \(bind: c.rule), \(bind: c.reason), \(bind: c.appeal),
                \(bind: c.appealedAt?.milliseconds), \(bind: c.appealState?.rawValue))
            """
        ).run()
    }

    func updateCase(_ c: ModerationCase) async throws {
        try await db.raw(
            """
            UPDATE moderation_cases SET source = \(bind: c.source.rawValue), is_open = \(bind: c.isOpen ? 1 : 0),
                closed_at = \(bind: c.closedAt?.milliseconds), closed_by = \(bind: c.closedBy?.rawValue),
                action = \(bind: c.action?.rawValue), rule = \(bind: c.rule), reason = \(bind: c.reason),
                appeal = \(bind: c.appeal), appealed_at = \(bind: c.appealedAt?.milliseconds),
                appeal_state = \(bind: c.appealState?.rawValue), community_id = \(bind: c.communityID?.rawValue)
            WHERE id = \(bind: c.id.rawValue)
            """
        ).run()
    }

    func findCase(id: ModerationCase.ID) async throws -> ModerationCase? {
        try await db.raw("SELECT * FROM moderation_cases WHERE id = \(bind: id.rawValue)").first().map(Self.decodeCase)
    }

    func openCase(for target: ContentRef) async throws -> ModerationCase? {
        try await db.raw(
            """
            SELECT * FROM moderation_cases WHERE target_kind = \(bind: target.kind.rawValue) AND target_id = \(bind: target.id)
              AND target_revision = \(bind: target.revision) AND is_open = 1
            """
        ).first().map(Self.decodeCase)
    }

    func openCases(community: Community.ID?, excludingPrivate: Bool, limit: Int) async throws -> [ModerationCase] {
        var query = SQLQueryString("SELECT m.* FROM moderation_cases m WHERE m.is_open = 1")
        if let community {
            query.appendInterpolation(" AND m.community_id = \(bind: community.rawValue)" as SQLQueryString)
        } else if excludingPrivate {
            query.appendLiteral(
                """
                 AND (m.community_id IS NULL OR NOT EXISTS (
                    SELECT 1 FROM communities c WHERE c.id = m.community_id AND c.membership = 'private'))
                """)
        }
        query.appendInterpolation(" ORDER BY m.id LIMIT \(bind: limit)" as SQLQueryString)
        return try await db.raw(query).all().map(Self.decodeCase)
    }

    func cases(of author: Member.ID, limit: Int) async throws -> [ModerationCase] {
        try await db.raw(
            "SELECT * FROM moderation_cases WHERE author_id = \(bind: author.rawValue) ORDER BY id DESC LIMIT \(bind: limit)"
        ).all().map(Self.decodeCase)
    }

    static func decodeCase(_ row: any SQLRow) throws -> ModerationCase {
        let target = ContentRef(
            ContentRef.Kind(rawValue: try row.decode(column: "target_kind", as: String.self)) ?? .post,
            try row.decode(column: "target_id", as: Int64.self),
            revision: Int(try row.decode(column: "target_revision", as: Int64.self)))
        return ModerationCase(
            id: ModerationCase.ID(try row.decode(column: "id", as: Int64.self)), target: target,
            communityID: try row.decode(column: "community_id", as: Int64?.self).map(Community.ID.init),
            authorID: Member.ID(try row.decode(column: "author_id", as: Int64.self)),
            source: ModerationCase.Source(rawValue: try row.decode(column: "source", as: String.self)) ?? .flags,
            isOpen: try row.decode(column: "is_open", as: Int64.self) != 0, openedAt: try date(row, "opened_at"),
            closedAt: try row.decode(column: "closed_at", as: Int64?.self).map(Date.init(milliseconds:)),
            closedBy: try row.decode(column: "closed_by", as: Int64?.self).map(Member.ID.init),
            action: try row.decode(column: "action", as: String?.self).flatMap(ModerationCase.Action.init(rawValue:)),
            rule: try row.decode(column: "rule", as: String.self), reason: try row.decode(column: "reason", as: String.self),
            appeal: try row.decode(column: "appeal", as: String?.self),
            appealedAt: try row.decode(column: "appealed_at", as: Int64?.self).map(Date.init(milliseconds:)),
            appealState: try row.decode(column: "appeal_state", as: String?.self).flatMap(ModerationCase.AppealState.init(rawValue:)))
    }

    // MARK: Flags

    func insertFlag(_ flag: ContentFlag) async throws -> Bool {
        // The partial unique index on open flags decides, so two quick clicks cannot make two flags.
        let inserted = try await db.raw(
            """
            INSERT INTO flags (id, case_id, target_kind, target_id, target_revision, flagger_id, reason, note, created_at)
            VALUES (\(bind: flag.id.rawValue), \(bind: flag.caseID.rawValue), \(bind: flag.target.kind.rawValue),
                \(bind: flag.target.id), \(bind: flag.target.revision), \(bind: flag.flaggerID.rawValue),
                \(bind: flag.reason.rawValue), \(bind: flag.note), \(bind: flag.createdAt.milliseconds))
            ON CONFLICT DO NOTHING RETURNING id
            """
        ).first()
        return inserted != nil
    }

    func flags(of moderationCase: ModerationCase.ID) async throws -> [ContentFlag] {
        try await db.raw("SELECT * FROM flags WHERE case_id = \(bind: moderationCase.rawValue) ORDER BY id").all().map { row in
            ContentFlag(
                id: ContentFlag.ID(try row.decode(column: "id", as: Int64.self)),
                target: ContentRef(
                    ContentRef.Kind(rawValue: try row.decode(column: "target_kind", as: String.self)) ?? .post,
                    try row.decode(column: "target_id", as: Int64.self),
                    revision: Int(try row.decode(column: "target_revision", as: Int64.self))),
                caseID: ModerationCase.ID(try row.decode(column: "case_id", as: Int64.self)),
                flaggerID: Member.ID(try row.decode(column: "flagger_id", as: Int64.self)),
                reason: FlagReason(rawValue: try row.decode(column: "reason", as: String.self)) ?? .other,
                note: try row.decode(column: "note", as: String.self), createdAt: try Self.date(row, "created_at"),
                outcome: try row.decode(column: "outcome", as: String?.self).flatMap(ContentFlag.Outcome.init(rawValue:)))
        }
    }

    func decideFlags(of moderationCase: ModerationCase.ID, _ outcome: ContentFlag.Outcome) async throws {
        try await db.raw(
            "UPDATE flags SET outcome = \(bind: outcome.rawValue) WHERE case_id = \(bind: moderationCase.rawValue) AND outcome IS NULL"
        ).run()
    }

    func flaggerRecord(_ flaggers: [Member.ID]) async throws -> [Member.ID: (upheld: Int, decided: Int)] {
        guard !flaggers.isEmpty else { return [:] }
        let rows = try await db.raw(
            """
            SELECT flagger_id, SUM(CASE WHEN outcome = 'upheld' THEN 1 ELSE 0 END) AS upheld, COUNT(*) AS decided
            FROM flags WHERE flagger_id IN \(SQLQueryString.idList(flaggers)) AND outcome IS NOT NULL GROUP BY flagger_id
            """
        ).all()
        var record: [Member.ID: (upheld: Int, decided: Int)] = [:]
        for row in rows {
            record[Member.ID(try row.decode(column: "flagger_id", as: Int64.self))] = (
                Int(try row.decode(column: "upheld", as: Int64.self)), Int(try row.decode(column: "decided", as: Int64.self))
            )
        }
        return record
    }

    func authorHistory(_ author: Member.ID) async throws -> (removals: Int, upheldFlags: Int, warnings: Int) {
        let a = author.rawValue
        guard let row = try await db.raw(
            """
            SELECT
              (SELECT COUNT(*) FROM moderation_cases WHERE author_id = \(bind: a) AND action IN ('remove', 'hide')
                 AND (appeal_state IS NULL OR appeal_state <> 'granted')) AS removals,
              (SELECT COUNT(*) FROM flags f JOIN moderation_cases m ON m.id = f.case_id
                 WHERE m.author_id = \(bind: a) AND f.outcome = 'upheld') AS upheld,
              (SELECT COUNT(*) FROM audit_log WHERE target = \(bind: "member:\(a)") AND action = 'member.warn') AS warnings
            """
        ).first() else { return (0, 0, 0) }
        return (
            Int(try row.decode(column: "removals", as: Int64.self)), Int(try row.decode(column: "upheld", as: Int64.self)),
            Int(try row.decode(column: "warnings", as: Int64.self))
        )
    }

    // MARK: Policies and watched words

    func policy(of community: Community.ID) async throws -> CommunityPolicy {
        var policy = CommunityPolicy()
        for row in try await db.raw("SELECT content, mode FROM community_policies WHERE community_id = \(bind: community.rawValue)").all() {
            if let content = PolicyContent(rawValue: try row.decode(column: "content", as: String.self)),
                let mode = ModerationMode(rawValue: try row.decode(column: "mode", as: String.self))
            {
                policy.modes[content] = mode
            }
        }
        return policy
    }

    func setPolicy(_ mode: ModerationMode, for content: PolicyContent, in community: Community.ID) async throws {
        try await db.raw(
            """
            INSERT INTO community_policies (community_id, content, mode)
            VALUES (\(bind: community.rawValue), \(bind: content.rawValue), \(bind: mode.rawValue))
            ON CONFLICT (community_id, content) DO UPDATE SET mode = excluded.mode
            """
        ).run()
    }

    func watchedWords() async throws -> [WatchedWord] {
        try await db.raw("SELECT * FROM watched_words ORDER BY word").all().map { row in
            WatchedWord(
                id: WatchedWord.ID(try row.decode(column: "id", as: Int64.self)), word: try row.decode(column: "word", as: String.self),
                action: WatchedWord.Action(rawValue: try row.decode(column: "action", as: String.self)) ?? .flag,
                createdBy: Member.ID(try row.decode(column: "created_by", as: Int64?.self) ?? 0),
                createdAt: try Self.date(row, "created_at"))
        }
    }

    func insertWatchedWord(_ word: WatchedWord) async throws -> Bool {
        try await db.raw(
            """
            INSERT INTO watched_words (id, word, action, created_by, created_at)
            VALUES (\(bind: word.id.rawValue), \(bind: word.word), \(bind: word.action.rawValue), \(bind: word.createdBy.rawValue),
                \(bind: word.createdAt.milliseconds))
            ON CONFLICT DO NOTHING RETURNING id
            """
        ).first() != nil
    }

    func deleteWatchedWord(_ id: WatchedWord.ID) async throws -> WatchedWord? {
        let word = try await watchedWords().first { $0.id == id }
        try await db.raw("DELETE FROM watched_words WHERE id = \(bind: id.rawValue)").run()
        return word
    }

    // MARK: Audit

    func insertAudit(_ entry: AuditEntry) async throws {
        try await db.raw(
            """
            INSERT INTO audit_log (id, actor_id, action, target, summary, community_id, reason, created_at)
            VALUES (\(bind: entry.id.rawValue), \(bind: entry.actorID?.rawValue), \(bind: entry.action), \(bind: entry.target),
                \(bind: entry.summary), \(bind: entry.communityID?.rawValue), \(bind: entry.reason), \(bind: entry.createdAt.milliseconds))
            """
        ).run()
    }

    func audit(before: AuditEntry.ID?, limit: Int) async throws -> [AuditEntry] {
        try await db.raw(
            """
            SELECT * FROM audit_log WHERE id < \(bind: before?.rawValue ?? Int64.max) ORDER BY id DESC LIMIT \(bind: limit)
            """
        ).all().map { row in
            AuditEntry(
                id: AuditEntry.ID(try row.decode(column: "id", as: Int64.self)),
                actorID: try row.decode(column: "actor_id", as: Int64?.self).map(Member.ID.init),
                action: try row.decode(column: "action", as: String.self), target: try row.decode(column: "target", as: String.self),
                summary: try row.decode(column: "summary", as: String.self),
                communityID: try row.decode(column: "community_id", as: Int64?.self).map(Community.ID.init),
                reason: try row.decode(column: "reason", as: String.self), createdAt: try Self.date(row, "created_at"))
        }
    }

    // MARK: Limits

    func writings(of member: Member.ID, since: Date) async throws -> Int {
        let m = member.rawValue
        let s = since.milliseconds
        let row = try await db.raw(
            """
            SELECT (SELECT COUNT(*) FROM posts WHERE author_id = \(bind: m) AND created_at >= \(bind: s))
                 + (SELECT COUNT(*) FROM community_items WHERE author_id = \(bind: m) AND created_at >= \(bind: s))
                 + (SELECT COUNT(*) FROM community_comments WHERE author_id = \(bind: m) AND created_at >= \(bind: s))
                 + (SELECT COUNT(*) FROM questions WHERE author_id = \(bind: m) AND created_at >= \(bind: s))
                 + (SELECT COUNT(*) FROM answers WHERE author_id = \(bind: m) AND created_at >= \(bind: s))
                 + (SELECT COUNT(*) FROM qa_comments WHERE author_id = \(bind: m) AND created_at >= \(bind: s)) AS n
            """
        ).first()
        return Int(try row?.decode(column: "n", as: Int64.self) ?? 0)
    }

    func hasApprovedWriting(_ member: Member.ID) async throws -> Bool {
        let m = member.rawValue
        let row = try await db.raw(
            """
            SELECT CASE WHEN EXISTS (SELECT 1 FROM posts WHERE author_id = \(bind: m) AND moderation IS NULL)
                OR EXISTS (SELECT 1 FROM community_items WHERE author_id = \(bind: m) AND moderation IS NULL)
                OR EXISTS (SELECT 1 FROM community_comments WHERE author_id = \(bind: m) AND moderation IS NULL)
                OR EXISTS (SELECT 1 FROM questions WHERE author_id = \(bind: m) AND moderation IS NULL)
                OR EXISTS (SELECT 1 FROM answers WHERE author_id = \(bind: m) AND moderation IS NULL)
                OR EXISTS (SELECT 1 FROM qa_comments WHERE author_id = \(bind: m) AND moderation IS NULL)
              THEN 1 ELSE 0 END AS approved
            """
        ).first()
        return try row?.decode(column: "approved", as: Int64.self) == 1
    }

    func moveItem(_ item: CommunityItem.ID, to community: Community.ID) async throws {
        try await db.raw("UPDATE community_items SET community_id = \(bind: community.rawValue) WHERE id = \(bind: item.rawValue)").run()
        try await db.raw("UPDATE notifications SET community_id = \(bind: community.rawValue) WHERE item_id = \(bind: item.rawValue)").run()
    }

    func setHealth(_ health: ContentHealth?, of item: CommunityItem.ID, reviewedBy: Member.ID, at: Date) async throws {
        try await db.raw(
            """
            UPDATE community_items SET health = \(bind: health?.rawValue), reviewed_at = \(bind: at.milliseconds),
                reviewed_by = \(bind: reviewedBy.rawValue)
            WHERE id = \(bind: item.rawValue)
            """
        ).run()
    }

    func healthQueue(community: Community.ID, staleBefore: Date, limit: Int) async throws -> [CommunityItem] {
        try await db.raw(
            """
            SELECT \(unsafeRaw: SQLCommunityContentRepository.columns) FROM community_items i
            WHERE i.community_id = \(bind: community.rawValue) AND i.kind IN ('article', 'wiki') AND i.state = 'published'
              AND i.moderation IS NULL
              AND (i.health IS NOT NULL OR COALESCE(i.reviewed_at, i.updated_at) < \(bind: staleBefore.milliseconds))
            ORDER BY CASE WHEN i.health IS NULL THEN 1 ELSE 0 END, COALESCE(i.reviewed_at, i.updated_at), i.id
            LIMIT \(bind: limit)
            """
        ).all().map(SQLCommunityContentRepository.decode)
    }

    func silence(_ member: Member.ID, until: Date?) async throws {
        changes.member(member)
        if let until {
            try await db.raw(
                """
                INSERT INTO member_silences (member_id, until_at) VALUES (\(bind: member.rawValue), \(bind: until.milliseconds))
                ON CONFLICT (member_id) DO UPDATE SET until_at = excluded.until_at
                """
            ).run()
        } else {
            try await db.raw("DELETE FROM member_silences WHERE member_id = \(bind: member.rawValue)").run()
        }
    }

    func silencedUntil(_ member: Member.ID) async throws -> Date? {
        try await db.raw("SELECT until_at FROM member_silences WHERE member_id = \(bind: member.rawValue)").first()
            .map { Date(milliseconds: try $0.decode(column: "until_at", as: Int64.self)) }
    }

    // MARK: Purge

    func purgeRemoved(before cutoff: Date) async throws -> (pieces: Int, files: [String]) {
        let due = try await db.raw(
            "SELECT target_kind, target_id FROM removals WHERE removed_at < \(bind: cutoff.milliseconds) ORDER BY removed_at LIMIT 500"
        ).all()
        var purged = 0
        var files: [String] = []
        for row in due {
            let kindName = try row.decode(column: "target_kind", as: String.self)
            let id = try row.decode(column: "target_id", as: Int64.self)
            if let kind = ContentRef.Kind(rawValue: kindName), let table = Self.table(of: kind) {
                if kind == .post {
                    // A post keeps its row as the "deleted" placeholder of its thread; its words go.
                    try await db.raw(
                        """
                        UPDATE posts SET body = '', hashtags = '', mention_ids = '',
                            deleted_at = COALESCE(deleted_at, \(bind: cutoff.milliseconds)) WHERE id = \(bind: id)
                        """
                    ).run()
                    try await db.raw("DELETE FROM post_tags WHERE post_id = \(bind: id)").run()
                    try await db.raw("DELETE FROM post_revisions WHERE post_id = \(bind: id)").run()
                    try await db.raw("DELETE FROM post_mentions WHERE post_id = \(bind: id)").run()
                    if dialect == .sqlite { try await db.raw("DELETE FROM posts_fts WHERE rowid = \(bind: id)").run() }
                    changes.post(Post.ID(id))
                } else {
                    if kind == .item,
                        let key = try await db.raw("SELECT storage_key FROM community_items WHERE id = \(bind: id)").first()?
                            .decode(column: "storage_key", as: String?.self)
                    {
                        files.append(key)
                    }
                    if kind == .answer {
                        // An answer's earlier versions are kept apart from it (no foreign key): they go with it.
                        try await db.raw("DELETE FROM qa_revisions WHERE answer_id = \(bind: id)").run()
                    }
                    try await db.raw("DELETE FROM \(unsafeRaw: table) WHERE id = \(bind: id)").run()
                }
                purged += 1
            }
            try await db.raw("DELETE FROM removals WHERE target_kind = \(bind: kindName) AND target_id = \(bind: id)").run()
        }
        if purged > 0 { changes.everything() }
        return (purged, files)
    }
}
