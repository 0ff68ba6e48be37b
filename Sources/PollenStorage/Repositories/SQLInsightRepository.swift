import Foundation
import PollenCore
import SQLKit
import Synchronization

/// What the analytics job reads (bulk, acts and times only — never text) and what it keeps: runs, snapshots,
/// grants and community charters. Content taken out of view by moderation, and deleted content, does not count.
struct SQLInsightRepository: InsightRepository {
    let db: any SQLDatabase

    private static func date(_ row: any SQLRow, _ column: String) throws -> Date {
        Date(milliseconds: try row.decode(column: column, as: Int64.self))
    }

    private static func optionalDate(_ row: any SQLRow, _ column: String) throws -> Date? {
        try row.decode(column: column, as: Int64?.self).map(Date.init(milliseconds:))
    }

    private static func id(_ row: any SQLRow, _ column: String) throws -> Int64 {
        try row.decode(column: column, as: Int64.self)
    }

    /// Decodes rows as they arrive instead of holding the whole result first: a large organization's follows
    /// and interactions are millions of rows, and the materialised rows cost several times their decoded size.
    private func stream<T: Sendable>(_ query: SQLQueryString, _ decode: @escaping @Sendable (any SQLRow) throws -> T?)
        async throws -> [T]
    {
        let state = Mutex<(values: [T], error: (any Error)?)>(([], nil))
        try await db.raw(query).run { row in
            state.withLock { state in
                guard state.error == nil else { return }
                do { if let value = try decode(row) { state.values.append(value) } } catch { state.error = error }
            }
        }
        return try state.withLock { state in
            if let error = state.error { throw error }
            return state.values
        }
    }

    func members() async throws -> [InsightMember] {
        try await db.raw(
            """
            SELECT id, handle, display_name, department, location, created_at FROM members
            WHERE status = 'active' ORDER BY id
            """
        ).all().map { row in
            InsightMember(
                id: Member.ID(try Self.id(row, "id")), handle: try row.decode(column: "handle", as: String.self),
                displayName: try row.decode(column: "display_name", as: String.self),
                department: try row.decode(column: "department", as: String.self),
                location: try row.decode(column: "location", as: String.self), joinedAt: try Self.date(row, "created_at"))
        }
    }

    func interactions(since: Date) async throws -> [Interaction] {
        let from = since.milliseconds
        // Every source gives (a, b, at): a acted towards b.
        let sources: [(Interaction.Kind, SQLQueryString)] = [
            (.follow, "SELECT follower_id AS a, followee_id AS b, created_at AS at FROM follows"),
            (.reply, """
                SELECT author_id AS a, reply_to_author_id AS b, created_at AS at FROM posts
                WHERE reply_to_author_id IS NOT NULL AND deleted_at IS NULL AND moderation IS NULL AND created_at >= \(bind: from)
                """),
            (.mention, """
                SELECT p.author_id AS a, m.member_id AS b, p.created_at AS at FROM post_mentions m JOIN posts p ON p.id = m.post_id
                WHERE p.deleted_at IS NULL AND p.moderation IS NULL AND p.created_at >= \(bind: from)
                """),
            (.reshare, """
                SELECT p.author_id AS a, o.author_id AS b, p.created_at AS at FROM posts p JOIN posts o ON o.id = p.reshare_of_id
                WHERE p.deleted_at IS NULL AND p.moderation IS NULL AND p.created_at >= \(bind: from)
                """),
            (.favourite, """
                SELECT f.member_id AS a, p.author_id AS b, f.created_at AS at FROM favourites f JOIN posts p ON p.id = f.post_id
                WHERE f.created_at >= \(bind: from)
                """),
            (.favourite, """
                SELECT f.member_id AS a, i.author_id AS b, f.created_at AS at FROM community_item_favourites f
                JOIN community_items i ON i.id = f.item_id WHERE f.created_at >= \(bind: from)
                """),
            (.answer, """
                SELECT a.author_id AS a, q.author_id AS b, a.created_at AS at FROM answers a JOIN questions q ON q.id = a.question_id
                WHERE a.deleted_at IS NULL AND a.moderation IS NULL AND a.created_at >= \(bind: from)
                """),
            (.comment, """
                SELECT k.author_id AS a, i.author_id AS b, k.created_at AS at FROM community_comments k
                JOIN community_items i ON i.id = k.item_id
                WHERE k.deleted_at IS NULL AND k.moderation IS NULL AND k.created_at >= \(bind: from)
                """),
            (.comment, """
                SELECT c.author_id AS a, COALESCE(x.author_id, q.author_id) AS b, c.created_at AS at FROM qa_comments c
                JOIN questions q ON q.id = c.question_id LEFT JOIN answers x ON x.id = c.answer_id
                WHERE c.moderation IS NULL AND c.created_at >= \(bind: from)
                """),
        ]
        var result: [Interaction] = []
        for (kind, query) in sources {
            result += try await stream(query) { row in
                let a = try Self.id(row, "a"), b = try Self.id(row, "b")
                guard a != b else { return nil }
                return Interaction(from: Member.ID(a), to: Member.ID(b), kind: kind, at: try Self.date(row, "at"))
            }
        }
        return result
    }

    func activity(since: Date) async throws -> [ActivityEvent] {
        let from = since.milliseconds
        // Every source gives member, community, at, and where they apply content, content_kind, counterpart,
        // context_at and extra_at.
        let sources: [(ActivityEvent.Kind, SQLQueryString)] = [
            (.read, """
                SELECT v.member_id AS member, i.community_id AS community, v.created_at AS at, i.id AS content,
                    i.kind AS content_kind, NULL AS counterpart, i.published_at AS context_at, NULL AS extra_at
                FROM community_item_views v JOIN community_items i ON i.id = v.item_id
                WHERE v.created_at >= \(bind: from) AND i.moderation IS NULL
                """),
            (.save, """
                SELECT f.member_id AS member, i.community_id AS community, f.created_at AS at, i.id AS content,
                    i.kind AS content_kind, i.author_id AS counterpart, NULL AS context_at, NULL AS extra_at
                FROM community_item_favourites f JOIN community_items i ON i.id = f.item_id
                WHERE f.created_at >= \(bind: from) AND i.moderation IS NULL
                """),
            (.rate, """
                SELECT r.member_id AS member, i.community_id AS community, r.created_at AS at, i.id AS content,
                    i.kind AS content_kind, i.author_id AS counterpart, NULL AS context_at, NULL AS extra_at
                FROM community_item_ratings r JOIN community_items i ON i.id = r.item_id
                WHERE r.created_at >= \(bind: from) AND i.moderation IS NULL
                """),
            (.rate, """
                SELECT v.member_id AS member, q.community_id AS community, v.created_at AS at, q.id AS content,
                    'answer' AS content_kind, a.author_id AS counterpart, NULL AS context_at, NULL AS extra_at
                FROM answer_votes v JOIN answers a ON a.id = v.answer_id JOIN questions q ON q.id = a.question_id
                WHERE v.created_at >= \(bind: from) AND q.community_id IS NOT NULL AND a.moderation IS NULL
                """),
            (.create, """
                SELECT author_id AS member, community_id AS community, published_at AS at, id AS content, kind AS content_kind,
                    NULL AS counterpart, NULL AS context_at, NULL AS extra_at
                FROM community_items
                WHERE state = 'published' AND published_at >= \(bind: from) AND moderation IS NULL
                """),
            (.comment, """
                SELECT k.author_id AS member, i.community_id AS community, k.created_at AS at, i.id AS content,
                    i.kind AS content_kind, i.author_id AS counterpart, i.published_at AS context_at, NULL AS extra_at
                FROM community_comments k JOIN community_items i ON i.id = k.item_id
                WHERE k.created_at >= \(bind: from) AND k.deleted_at IS NULL AND k.moderation IS NULL AND i.moderation IS NULL
                """),
            (.ask, """
                SELECT author_id AS member, community_id AS community, created_at AS at, id AS content,
                    'question' AS content_kind, NULL AS counterpart, NULL AS context_at, first_answer_at AS extra_at
                FROM questions
                WHERE community_id IS NOT NULL AND created_at >= \(bind: from) AND moderation IS NULL
                """),
            (.answer, """
                SELECT a.author_id AS member, q.community_id AS community, a.created_at AS at, q.id AS content,
                    'answer' AS content_kind, q.author_id AS counterpart, q.created_at AS context_at, q.first_answer_at AS extra_at
                FROM answers a JOIN questions q ON q.id = a.question_id
                WHERE q.community_id IS NOT NULL AND a.created_at >= \(bind: from) AND a.deleted_at IS NULL
                    AND a.moderation IS NULL AND q.moderation IS NULL
                """),
            (.forward, """
                SELECT r.forwarded_by AS member, q.community_id AS community, r.created_at AS at, q.id AS content,
                    'question' AS content_kind, r.member_id AS counterpart, NULL AS context_at, NULL AS extra_at
                FROM question_reach r JOIN questions q ON q.id = r.question_id
                WHERE r.forwarded_by IS NOT NULL AND r.created_at >= \(bind: from) AND q.community_id IS NOT NULL
                """),
            // Posts belong to no community: a reshare counts in each community where both the resharer and the
            // author are active members.
            (.reshare, """
                SELECT p.author_id AS member, ca.community_id AS community, p.created_at AS at, o.id AS content,
                    'post' AS content_kind, o.author_id AS counterpart, o.created_at AS context_at, NULL AS extra_at
                FROM posts p JOIN posts o ON o.id = p.reshare_of_id
                JOIN community_members ca ON ca.member_id = p.author_id AND ca.state = 'active'
                JOIN community_members cb ON cb.community_id = ca.community_id AND cb.member_id = o.author_id
                    AND cb.state = 'active'
                WHERE p.created_at >= \(bind: from) AND p.deleted_at IS NULL AND p.moderation IS NULL
                    AND o.deleted_at IS NULL AND o.moderation IS NULL AND o.author_id <> p.author_id
                """),
            (.moderate, """
                SELECT actor_id AS member, community_id AS community, created_at AS at, 0 AS content, '' AS content_kind,
                    NULL AS counterpart, NULL AS context_at, NULL AS extra_at
                FROM audit_log
                WHERE actor_id IS NOT NULL AND community_id IS NOT NULL AND created_at >= \(bind: from)
                """),
            (.curate, """
                SELECT featured_by AS member, community_id AS community, featured_at AS at, id AS content, kind AS content_kind,
                    author_id AS counterpart, NULL AS context_at, NULL AS extra_at
                FROM community_items
                WHERE featured_by IS NOT NULL AND featured_at >= \(bind: from)
                """),
            (.story, """
                SELECT author_id AS member, community_id AS community, created_at AS at, id AS content, 'story' AS content_kind,
                    NULL AS counterpart, NULL AS context_at, NULL AS extra_at
                FROM value_stories
                WHERE community_id IS NOT NULL AND created_at >= \(bind: from) AND moderation IS NULL
                """),
        ]
        var result: [ActivityEvent] = []
        for (kind, query) in sources {
            result += try await stream(query) { row in
                ActivityEvent(
                    member: Member.ID(try Self.id(row, "member")), community: Community.ID(try Self.id(row, "community")),
                    kind: kind, at: try Self.date(row, "at"), content: try Self.id(row, "content"),
                    contentKind: try row.decode(column: "content_kind", as: String.self),
                    counterpart: try row.decode(column: "counterpart", as: Int64?.self).map(Member.ID.init),
                    contextAt: try Self.optionalDate(row, "context_at"), extraAt: try Self.optionalDate(row, "extra_at"))
            }
        }
        return result
    }

    func memberships() async throws -> [InsightMembership] {
        try await db.raw(
            """
            SELECT cm.community_id, cm.member_id, cm.role, cm.created_at FROM community_members cm
            JOIN members m ON m.id = cm.member_id
            WHERE cm.state = 'active' AND m.status = 'active' ORDER BY cm.community_id, cm.member_id
            """
        ).all().map { row in
            InsightMembership(
                community: Community.ID(try Self.id(row, "community_id")), member: Member.ID(try Self.id(row, "member_id")),
                role: CommunityMember.Role(rawValue: try row.decode(column: "role", as: String.self)) ?? .member,
                since: try Self.date(row, "created_at"))
        }
    }

    func communities() async throws -> [Community] {
        try await db.raw("SELECT * FROM communities ORDER BY id").all().map(SQLCommunityRepository.decode)
    }

    private static func decodeRun(_ row: any SQLRow) throws -> AnalyticsRun {
        AnalyticsRun(
            id: AnalyticsRun.ID(try id(row, "id")),
            trigger: AnalyticsRun.Trigger(rawValue: try row.decode(column: "trigger_kind", as: String.self)) ?? .schedule,
            requestedBy: try row.decode(column: "requested_by", as: Int64?.self).map(Member.ID.init),
            startedAt: try date(row, "started_at"), finishedAt: try optionalDate(row, "finished_at"),
            status: AnalyticsRun.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .failed,
            error: try row.decode(column: "error", as: String.self))
    }

    func insertRun(_ run: AnalyticsRun) async throws {
        try await db.raw(
            """
            INSERT INTO analytics_runs (id, trigger_kind, requested_by, status, error, started_at, finished_at)
            VALUES (\(bind: run.id.rawValue), \(bind: run.trigger.rawValue), \(bind: run.requestedBy?.rawValue),
                \(bind: run.status.rawValue), \(bind: run.error), \(bind: run.startedAt.milliseconds),
                \(bind: run.finishedAt?.milliseconds))
            """
        ).run()
    }

    func updateRun(_ run: AnalyticsRun) async throws {
        try await db.raw(
            """
            UPDATE analytics_runs SET status = \(bind: run.status.rawValue), error = \(bind: run.error),
                finished_at = \(bind: run.finishedAt?.milliseconds)
            WHERE id = \(bind: run.id.rawValue)
            """
        ).run()
    }

    func latestRun(finishedOnly: Bool) async throws -> AnalyticsRun? {
        let filter: SQLQueryString = finishedOnly ? "WHERE status = 'finished'" : ""
        return try await db.raw("SELECT * FROM analytics_runs \(filter) ORDER BY started_at DESC, id DESC LIMIT 1")
            .first().map(Self.decodeRun)
    }

    func abandonRuns(before: Date) async throws -> Int {
        try await db.raw(
            """
            UPDATE analytics_runs SET status = 'failed', error = 'The server stopped before the run finished.'
            WHERE status = 'running' AND started_at < \(bind: before.milliseconds) RETURNING id
            """
        ).all().count
    }

    func insertSnapshot(_ snapshot: AnalyticsSnapshot) async throws {
        try await db.raw(
            """
            INSERT INTO analytics_snapshots (run_id, scope, computed_at, body)
            VALUES (\(bind: snapshot.runID.rawValue), \(bind: snapshot.scope), \(bind: snapshot.computedAt.milliseconds),
                \(bind: String(decoding: snapshot.body, as: UTF8.self)))
            """
        ).run()
    }

    private static func decodeSnapshot(_ row: any SQLRow) throws -> AnalyticsSnapshot {
        AnalyticsSnapshot(
            runID: AnalyticsRun.ID(try id(row, "run_id")), scope: try row.decode(column: "scope", as: String.self),
            computedAt: try date(row, "computed_at"), body: Data(try row.decode(column: "body", as: String.self).utf8))
    }

    func latestSnapshot(scope: String) async throws -> AnalyticsSnapshot? {
        try await db.raw(
            "SELECT * FROM analytics_snapshots WHERE scope = \(bind: scope) ORDER BY computed_at DESC, run_id DESC LIMIT 1"
        ).first().map(Self.decodeSnapshot)
    }

    func snapshots(scope: String, limit: Int) async throws -> [AnalyticsSnapshot] {
        try await db.raw(
            """
            SELECT * FROM analytics_snapshots WHERE scope = \(bind: scope)
            ORDER BY computed_at DESC, run_id DESC LIMIT \(bind: limit)
            """
        ).all().map(Self.decodeSnapshot).reversed()
    }

    func pruneSnapshots(before: Date) async throws -> Int {
        let cut = before.milliseconds
        let removed = try await db.raw(
            "DELETE FROM analytics_snapshots WHERE computed_at < \(bind: cut) RETURNING run_id"
        ).all().count
        try await db.raw(
            """
            DELETE FROM analytics_runs WHERE started_at < \(bind: cut)
                AND NOT EXISTS (SELECT 1 FROM analytics_snapshots s WHERE s.run_id = analytics_runs.id)
            """
        ).run()
        return removed
    }

    private static func decodeGrant(_ row: any SQLRow) throws -> InsightGrant {
        InsightGrant(
            member: Member.ID(try id(row, "member_id")),
            grantedBy: try row.decode(column: "granted_by", as: Int64?.self).map(Member.ID.init),
            grantedAt: try date(row, "granted_at"))
    }

    func grants() async throws -> [InsightGrant] {
        try await db.raw("SELECT * FROM insight_grants ORDER BY granted_at, member_id").all().map(Self.decodeGrant)
    }

    func isGranted(_ member: Member.ID) async throws -> Bool {
        try await db.raw("SELECT member_id FROM insight_grants WHERE member_id = \(bind: member.rawValue)").first() != nil
    }

    func grant(_ grant: InsightGrant) async throws {
        try await db.raw(
            """
            INSERT INTO insight_grants (member_id, granted_by, granted_at)
            VALUES (\(bind: grant.member.rawValue), \(bind: grant.grantedBy?.rawValue), \(bind: grant.grantedAt.milliseconds))
            ON CONFLICT (member_id) DO NOTHING
            """
        ).run()
    }

    func revokeGrant(of member: Member.ID) async throws -> Bool {
        try await db.raw("DELETE FROM insight_grants WHERE member_id = \(bind: member.rawValue) RETURNING member_id")
            .first() != nil
    }

    func charter(of community: Community.ID) async throws -> CommunityCharter? {
        guard let row = try await db.raw(
            "SELECT * FROM community_charters WHERE community_id = \(bind: community.rawValue)"
        ).first() else { return nil }
        let decoder = JSONDecoder()
        let profile = (try? decoder.decode(
            [ParticipationRole: Double].self, from: Data(try row.decode(column: "target_profile", as: String.self).utf8))) ?? [:]
        let measures = (try? decoder.decode(
            [CommunityCharter.Choice].self, from: Data(try row.decode(column: "measures", as: String.self).utf8))) ?? []
        return CommunityCharter(
            community: community, targetProfile: profile, measures: measures,
            updatedBy: try row.decode(column: "updated_by", as: Int64?.self).map(Member.ID.init),
            updatedAt: try Self.date(row, "updated_at"))
    }

    func saveCharter(_ charter: CommunityCharter) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let profile = String(decoding: try encoder.encode(charter.targetProfile), as: UTF8.self)
        let measures = String(decoding: try encoder.encode(charter.measures), as: UTF8.self)
        try await db.raw(
            """
            INSERT INTO community_charters (community_id, target_profile, measures, updated_by, updated_at)
            VALUES (\(bind: charter.community.rawValue), \(bind: profile), \(bind: measures), \(bind: charter.updatedBy?.rawValue),
                \(bind: charter.updatedAt.milliseconds))
            ON CONFLICT (community_id) DO UPDATE SET target_profile = excluded.target_profile, measures = excluded.measures,
                updated_by = excluded.updated_by, updated_at = excluded.updated_at
            """
        ).run()
    }
}
