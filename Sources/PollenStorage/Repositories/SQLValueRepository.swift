import Foundation
import PollenCore
import SQLKit

/// Value-creation stories with their steps and links, and the useful marks whose prompts follow potential value
/// to applied value; and the counts of a community's value matrix.
struct SQLValueRepository: ValueRepository {
    let db: any SQLDatabase

    // MARK: Stories

    func insertStory(_ story: ValueStory) async throws {
        try await db.raw(
            """
            INSERT INTO value_stories (id, author_id, community_id, title, moderation, created_at, updated_at)
            VALUES (\(bind: story.id.rawValue), \(bind: story.authorID.rawValue), \(bind: story.communityID?.rawValue),
                \(bind: story.title), \(bind: story.withholding?.rawValue), \(bind: story.createdAt.milliseconds),
                \(bind: story.updatedAt.milliseconds))
            """
        ).run()
        try await insertSteps(of: story)
    }

    func updateStory(_ story: ValueStory) async throws {
        try await db.raw(
            """
            UPDATE value_stories SET community_id = \(bind: story.communityID?.rawValue), title = \(bind: story.title),
                updated_at = \(bind: story.updatedAt.milliseconds)
            WHERE id = \(bind: story.id.rawValue)
            """
        ).run()
        try await db.raw("DELETE FROM value_story_links WHERE story_id = \(bind: story.id.rawValue)").run()
        try await db.raw("DELETE FROM value_story_steps WHERE story_id = \(bind: story.id.rawValue)").run()
        try await insertSteps(of: story)
    }

    private func insertSteps(of story: ValueStory) async throws {
        for step in story.steps {
            try await db.raw(
                """
                INSERT INTO value_story_steps (story_id, cycle, narrative)
                VALUES (\(bind: story.id.rawValue), \(bind: step.cycle.rawValue), \(bind: step.narrative))
                """
            ).run()
            for (position, link) in step.links.enumerated() {
                try await db.raw(
                    """
                    INSERT INTO value_story_links (story_id, cycle, position, target_kind, target_id)
                    VALUES (\(bind: story.id.rawValue), \(bind: step.cycle.rawValue), \(bind: position), \(bind: link.kind.rawValue),
                        \(bind: link.id))
                    """
                ).run()
            }
        }
    }

    func deleteStory(_ id: ValueStory.ID) async throws {
        // Steps and links go with it (ON DELETE CASCADE).
        try await db.raw("DELETE FROM value_stories WHERE id = \(bind: id.rawValue)").run()
    }

    func story(id: ValueStory.ID) async throws -> ValueStory? {
        try await withSteps(try await db.raw("SELECT * FROM value_stories WHERE id = \(bind: id.rawValue)").all()).first
    }

    func stories(
        visibleTo viewer: Member.ID, readsEveryCommunity: Bool, community: Community.ID?, before: ValueStory.ID?, limit: Int
    ) async throws -> [ValueStory] {
        let v = viewer.rawValue
        var query = SQLQueryString(
            """
            SELECT s.* FROM value_stories s LEFT JOIN communities c ON c.id = s.community_id
            WHERE (s.moderation IS NULL OR s.author_id = \(bind: v))
              AND s.id < \(bind: before?.rawValue ?? Int64.max)
            """)
        if !readsEveryCommunity {
            // A private community's stories exist only for its active members, like its content.
            query.appendInterpolation(
                """
                 AND (s.community_id IS NULL OR c.membership <> 'private' OR EXISTS (
                    SELECT 1 FROM community_members m WHERE m.community_id = s.community_id AND m.member_id = \(bind: v)
                      AND m.state = 'active'))
                """ as SQLQueryString)
        }
        if let community {
            query.appendInterpolation(" AND s.community_id = \(bind: community.rawValue)" as SQLQueryString)
        }
        query.appendInterpolation(" ORDER BY s.id DESC LIMIT \(bind: limit)" as SQLQueryString)
        return try await withSteps(try await db.raw(query).all())
    }

    func stories(in community: Community.ID, limit: Int) async throws -> [ValueStory] {
        try await withSteps(try await db.raw(
            """
            SELECT * FROM value_stories WHERE community_id = \(bind: community.rawValue) AND moderation IS NULL
            ORDER BY id DESC LIMIT \(bind: limit)
            """
        ).all())
    }

    func stories(linking targets: [ContentRef], limit: Int) async throws -> [(target: ContentRef, story: ValueStory)] {
        guard !targets.isEmpty else { return [] }
        var query = SQLQueryString("SELECT DISTINCT story_id, target_kind, target_id FROM value_story_links WHERE ")
        query.appendInterpolation(Self.matching(targets))
        query.appendInterpolation(" ORDER BY story_id DESC LIMIT \(bind: limit)" as SQLQueryString)
        let pairs = try await db.raw(query).all().map { row in
            (
                story: try row.decode(column: "story_id", as: Int64.self),
                target: ContentRef(
                    ContentRef.Kind(rawValue: try row.decode(column: "target_kind", as: String.self)) ?? .post,
                    try row.decode(column: "target_id", as: Int64.self))
            )
        }
        guard !pairs.isEmpty else { return [] }
        let ids = pairs.map { ValueStory.ID($0.story) }.uniqued()
        let stories = try await withSteps(try await db.raw(
            "SELECT * FROM value_stories WHERE id IN \(SQLQueryString.idList(ids))"
        ).all())
        let byID = Dictionary(uniqueKeysWithValues: stories.map { ($0.id.rawValue, $0) })
        return pairs.compactMap { pair in byID[pair.story].map { (pair.target, $0) } }
    }

    /// `(target_kind = ? AND target_id IN (…)) OR …`, one term per kind.
    static func matching(_ targets: [ContentRef]) -> SQLQueryString {
        let byKind = Dictionary(grouping: targets, by: \.kind).sorted { $0.key.rawValue < $1.key.rawValue }
        var clause = SQLQueryString("(")
        for (index, (kind, refs)) in byKind.enumerated() {
            if index > 0 { clause.appendLiteral(" OR ") }
            clause.appendInterpolation("(target_kind = \(bind: kind.rawValue) AND target_id IN (" as SQLQueryString)
            clause.appendList(refs.map(\.id).uniqued()) { "\(bind: $0)" }
            clause.appendLiteral("))")
        }
        clause.appendLiteral(")")
        return clause
    }

    /// Decodes story rows and reads their steps and links in two queries.
    private func withSteps(_ rows: [any SQLRow]) async throws -> [ValueStory] {
        guard !rows.isEmpty else { return [] }
        var stories = try rows.map { row in
            ValueStory(
                id: ValueStory.ID(try row.decode(column: "id", as: Int64.self)),
                authorID: Member.ID(try row.decode(column: "author_id", as: Int64.self)),
                communityID: try row.decode(column: "community_id", as: Int64?.self).map(Community.ID.init),
                title: try row.decode(column: "title", as: String.self), steps: [],
                withholding: try row.decode(column: "moderation", as: String?.self).flatMap(Withholding.init(rawValue:)),
                createdAt: Date(milliseconds: try row.decode(column: "created_at", as: Int64.self)),
                updatedAt: Date(milliseconds: try row.decode(column: "updated_at", as: Int64.self)))
        }
        let ids = SQLQueryString.idList(stories.map(\.id))
        var steps: [Int64: [ValueCycle: ValueStep]] = [:]
        for row in try await db.raw("SELECT * FROM value_story_steps WHERE story_id IN \(ids)").all() {
            guard let cycle = ValueCycle(rawValue: try row.decode(column: "cycle", as: String.self)) else { continue }
            steps[try row.decode(column: "story_id", as: Int64.self), default: [:]][cycle] = ValueStep(
                cycle: cycle, narrative: try row.decode(column: "narrative", as: String.self))
        }
        for row in try await db.raw("SELECT * FROM value_story_links WHERE story_id IN \(ids) ORDER BY position").all() {
            guard let cycle = ValueCycle(rawValue: try row.decode(column: "cycle", as: String.self)),
                let kind = ContentRef.Kind(rawValue: try row.decode(column: "target_kind", as: String.self))
            else { continue }
            let story = try row.decode(column: "story_id", as: Int64.self)
            steps[story]?[cycle]?.links.append(ContentRef(kind, try row.decode(column: "target_id", as: Int64.self)))
        }
        for index in stories.indices {
            let found = steps[stories[index].id.rawValue] ?? [:]
            stories[index].steps = ValueCycle.allCases.compactMap { found[$0] }
        }
        return stories
    }

    // MARK: Useful marks

    func insertMark(_ mark: UsefulMark) async throws -> Bool {
        // The unique index on (member, target) decides, so two quick clicks cannot make two marks.
        try await db.raw(
            """
            INSERT INTO useful_marks (id, member_id, target_kind, target_id, community_id, created_at, prompts_sent, next_prompt_at,
                outcome, note, answered_at)
            VALUES (\(bind: mark.id.rawValue), \(bind: mark.memberID.rawValue), \(bind: mark.target.kind.rawValue),
                \(bind: mark.target.id), \(bind: mark.communityID?.rawValue), \(bind: mark.createdAt.milliseconds),
                \(bind: mark.promptsSent), \(bind: mark.nextPromptAt?.milliseconds), \(bind: mark.outcome?.rawValue),
                \(bind: mark.note), \(bind: mark.answeredAt?.milliseconds))
            ON CONFLICT DO NOTHING RETURNING id
            """
        ).first() != nil
    }

    func deleteMark(of member: Member.ID, on target: ContentRef) async throws -> Bool {
        // Its prompts go with it (the notifications' ON DELETE CASCADE).
        try await db.raw(
            """
            DELETE FROM useful_marks WHERE member_id = \(bind: member.rawValue) AND target_kind = \(bind: target.kind.rawValue)
              AND target_id = \(bind: target.id)
            RETURNING id
            """
        ).first() != nil
    }

    func mark(id: UsefulMark.ID) async throws -> UsefulMark? {
        try await db.raw("SELECT * FROM useful_marks WHERE id = \(bind: id.rawValue)").first().map(Self.decodeMark)
    }

    func marks(of member: Member.ID, on targets: [ContentRef]) async throws -> [ContentRef: UsefulMark] {
        guard !targets.isEmpty else { return [:] }
        var query = SQLQueryString("SELECT * FROM useful_marks WHERE member_id = \(bind: member.rawValue) AND ")
        query.appendInterpolation(Self.matching(targets))
        var found: [ContentRef: UsefulMark] = [:]
        for mark in try await db.raw(query).all().map(Self.decodeMark) { found[mark.target] = mark }
        return found
    }

    func marks(of member: Member.ID, limit: Int) async throws -> [UsefulMark] {
        try await db.raw(
            "SELECT * FROM useful_marks WHERE member_id = \(bind: member.rawValue) ORDER BY created_at DESC, id DESC LIMIT \(bind: limit)"
        ).all().map(Self.decodeMark)
    }

    func marksDue(at now: Date, limit: Int) async throws -> [UsefulMark] {
        try await db.raw(
            """
            SELECT * FROM useful_marks WHERE next_prompt_at IS NOT NULL AND next_prompt_at <= \(bind: now.milliseconds)
            ORDER BY next_prompt_at LIMIT \(bind: limit)
            """
        ).all().map(Self.decodeMark)
    }

    func recordPrompt(_ mark: UsefulMark.ID, sent: Int, number: Int, next: Date?) async throws -> Bool {
        // Conditional on what was read: of two servers sending the same prompt, one changes the row.
        try await db.raw(
            """
            UPDATE useful_marks SET prompts_sent = \(bind: number), next_prompt_at = \(bind: next?.milliseconds)
            WHERE id = \(bind: mark.rawValue) AND prompts_sent = \(bind: sent) AND next_prompt_at IS NOT NULL AND outcome IS NULL
            RETURNING id
            """
        ).first() != nil
    }

    func answerPrompt(_ mark: UsefulMark.ID, outcome: UsefulMark.Outcome, note: String, at: Date) async throws {
        try await db.raw(
            """
            UPDATE useful_marks SET outcome = \(bind: outcome.rawValue), note = \(bind: note), answered_at = \(bind: at.milliseconds),
                next_prompt_at = NULL
            WHERE id = \(bind: mark.rawValue)
            """
        ).run()
    }

    static func decodeMark(_ row: any SQLRow) throws -> UsefulMark {
        UsefulMark(
            id: UsefulMark.ID(try row.decode(column: "id", as: Int64.self)),
            memberID: Member.ID(try row.decode(column: "member_id", as: Int64.self)),
            target: ContentRef(
                ContentRef.Kind(rawValue: try row.decode(column: "target_kind", as: String.self)) ?? .post,
                try row.decode(column: "target_id", as: Int64.self)),
            communityID: try row.decode(column: "community_id", as: Int64?.self).map(Community.ID.init),
            createdAt: Date(milliseconds: try row.decode(column: "created_at", as: Int64.self)),
            promptsSent: Int(try row.decode(column: "prompts_sent", as: Int64.self)),
            nextPromptAt: try row.decode(column: "next_prompt_at", as: Int64?.self).map(Date.init(milliseconds:)),
            outcome: try row.decode(column: "outcome", as: String?.self).flatMap(UsefulMark.Outcome.init(rawValue:)),
            note: try row.decode(column: "note", as: String.self),
            answeredAt: try row.decode(column: "answered_at", as: Int64?.self).map(Date.init(milliseconds:)))
    }

    // MARK: The matrix

    func indicators(community: Community.ID, since: Date) async throws -> [ValueIndicator: (recent: Int, allTime: Int)] {
        let c = community.rawValue
        let s = since.milliseconds
        /// Counts rows of `from` (a FROM clause and its conditions) whose `time` column falls in the window, and all.
        func count(_ from: SQLQueryString, time: String = "created_at", distinct: String? = nil) async throws -> (Int, Int) {
            var query: SQLQueryString
            if let distinct {
                query = SQLQueryString(
                    """
                    SELECT COUNT(DISTINCT CASE WHEN \(unsafeRaw: time) >= \(bind: s) THEN \(unsafeRaw: distinct) END) AS recent,
                        COUNT(DISTINCT \(unsafeRaw: distinct)) AS total
                    """)
            } else {
                query = SQLQueryString(
                    """
                    SELECT COALESCE(SUM(CASE WHEN \(unsafeRaw: time) >= \(bind: s) THEN 1 ELSE 0 END), 0) AS recent,
                        COUNT(*) AS total
                    """)
            }
            query.appendLiteral(" ")
            query.appendInterpolation(from)
            guard let row = try await db.raw(query).first() else { return (0, 0) }
            return (Int(try row.decode(column: "recent", as: Int64.self)), Int(try row.decode(column: "total", as: Int64.self)))
        }
        var result: [ValueIndicator: (recent: Int, allTime: Int)] = [:]
        // Contributions in view: published items, comments, questions asked in the community, their answers and comments.
        result[.activeMembers] = try await count(
            """
            FROM (
                SELECT author_id, created_at FROM community_items
                WHERE community_id = \(bind: c) AND state = 'published' AND moderation IS NULL
                UNION ALL SELECT k.author_id, k.created_at FROM community_comments k JOIN community_items i ON i.id = k.item_id
                WHERE i.community_id = \(bind: c) AND k.deleted_at IS NULL AND k.moderation IS NULL
                UNION ALL SELECT author_id, created_at FROM questions WHERE community_id = \(bind: c) AND moderation IS NULL
                UNION ALL SELECT a.author_id, a.created_at FROM answers a JOIN questions q ON q.id = a.question_id
                WHERE q.community_id = \(bind: c) AND a.deleted_at IS NULL AND a.moderation IS NULL
                UNION ALL SELECT k.author_id, k.created_at FROM qa_comments k JOIN questions q ON q.id = k.question_id
                WHERE q.community_id = \(bind: c) AND k.moderation IS NULL
            ) acts
            """, distinct: "author_id")
        result[.answers] = try await count(
            """
            FROM answers a JOIN questions q ON q.id = a.question_id
            WHERE q.community_id = \(bind: c) AND a.deleted_at IS NULL AND a.moderation IS NULL
            """, time: "a.created_at")
        let itemComments = try await count(
            """
            FROM community_comments k JOIN community_items i ON i.id = k.item_id
            WHERE i.community_id = \(bind: c) AND k.deleted_at IS NULL AND k.moderation IS NULL
            """, time: "k.created_at")
        let questionComments = try await count(
            """
            FROM qa_comments k JOIN questions q ON q.id = k.question_id WHERE q.community_id = \(bind: c) AND k.moderation IS NULL
            """, time: "k.created_at")
        result[.comments] = (itemComments.0 + questionComments.0, itemComments.1 + questionComments.1)
        result[.favourites] = try await count(
            "FROM community_item_favourites f JOIN community_items i ON i.id = f.item_id WHERE i.community_id = \(bind: c)",
            time: "f.created_at")
        result[.usefulMarks] = try await count("FROM useful_marks WHERE community_id = \(bind: c)")
        result[.resources] = try await count(
            """
            FROM community_items WHERE community_id = \(bind: c) AND kind = 'resource' AND state = 'published' AND moderation IS NULL
            """)
        result[.usedIt] = try await count(
            "FROM useful_marks WHERE community_id = \(bind: c) AND outcome IN ('used', 'story')", time: "answered_at")
        for cycle in ValueCycle.allCases {
            result[.stories(cycle)] = try await count(
                """
                FROM value_story_steps t JOIN value_stories v ON v.id = t.story_id
                WHERE v.community_id = \(bind: c) AND v.moderation IS NULL AND t.cycle = \(bind: cycle.rawValue)
                """, time: "v.created_at")
        }
        return result
    }
}
