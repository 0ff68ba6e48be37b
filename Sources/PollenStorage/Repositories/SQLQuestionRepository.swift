import Foundation
import PollenCore
import SQLKit

struct SQLQuestionRepository: QuestionRepository {
    let db: any SQLDatabase

    /// Departments with fewer people reached than this are counted together as "other departments", so a
    /// count of one never names who was reached.
    static let smallestDepartmentShown = 3

    private static let columns = """
        q.id, q.author_id, q.title, q.body, q.tags, q.community_id, q.to_followers, q.accepted_answer_id, q.answers_count,
        q.first_answer_at, q.accepted_at, q.revision, q.created_at, q.edited_at, q.moderation
        """

    func insert(_ question: Question) async throws {
        try await db.raw(
            """
            INSERT INTO questions (id, author_id, title, title_key, body, tags, community_id, to_followers, accepted_answer_id,
                answers_count, first_answer_at, accepted_at, revision, created_at, edited_at)
            VALUES (\(bind: question.id.rawValue), \(bind: question.authorID.rawValue), \(bind: question.title),
                \(bind: question.title.lowercased()), \(bind: question.body), \(bind: question.tags.joined(separator: " ")),
                \(bind: question.communityID?.rawValue), \(bind: question.toFollowers ? 1 : 0),
                \(bind: question.acceptedAnswerID?.rawValue), \(bind: question.answers), \(bind: question.firstAnswerAt?.milliseconds),
                \(bind: question.acceptedAt?.milliseconds), \(bind: question.revision), \(bind: question.createdAt.milliseconds),
                \(bind: question.editedAt?.milliseconds))
            """
        ).run()
    }

    func update(_ question: Question) async throws {
        try await db.raw(
            """
            UPDATE questions SET title = \(bind: question.title), title_key = \(bind: question.title.lowercased()),
                body = \(bind: question.body), tags = \(bind: question.tags.joined(separator: " ")),
                accepted_answer_id = \(bind: question.acceptedAnswerID?.rawValue), answers_count = \(bind: question.answers),
                first_answer_at = \(bind: question.firstAnswerAt?.milliseconds), accepted_at = \(bind: question.acceptedAt?.milliseconds),
                revision = \(bind: question.revision), edited_at = \(bind: question.editedAt?.milliseconds)
            WHERE id = \(bind: question.id.rawValue)
            """
        ).run()
    }

    func find(id: Question.ID) async throws -> Question? {
        try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM questions q WHERE q.id = \(bind: id.rawValue)").first().map(Self.decode)
    }

    /// Questions outside private communities, and those of private communities `viewer` is active in.
    private static func visible(to viewer: Member.ID?) -> SQLQueryString {
        // Withheld questions stay in their author's lists only.
        guard let viewer else { return "q.moderation IS NULL" }
        return """
            (q.moderation IS NULL OR q.author_id = \(bind: viewer.rawValue))
            AND (q.community_id IS NULL OR EXISTS (SELECT 1 FROM communities c WHERE c.id = q.community_id
                AND (c.membership <> 'private' OR EXISTS (SELECT 1 FROM community_members cm WHERE cm.community_id = c.id
                    AND cm.member_id = \(bind: viewer.rawValue) AND cm.state = 'active'))))
            """
    }

    /// A whole tag among the space-separated tags of the question.
    private static func hasTag(_ tag: String) -> SQLQueryString { .hasWholeTag("q.tags", tag) }

    func list(_ query: QuestionQuery, visibleTo viewer: Member.ID?) async throws -> Page<Question> {
        var filter = Self.visible(to: viewer)
        let m = query.member.rawValue
        var order = "q.id DESC"
        switch query.queue {
        case .unanswered:
            filter.appendLiteral(" AND q.answers_count = 0")
            order = "q.id ASC"
        case .mine:
            filter.appendInterpolation(" AND q.author_id = \(bind: m)" as SQLQueryString)
        case .forMe:
            var mine = SQLQueryString(
                "EXISTS (SELECT 1 FROM question_reach r WHERE r.question_id = q.id AND r.member_id = \(bind: m))")
            for tag in query.expertise.prefix(20) {
                mine.appendLiteral(" OR ")
                mine.appendInterpolation(Self.hasTag(tag))
            }
            filter.appendInterpolation(" AND q.author_id <> \(bind: m) AND (\(mine))" as SQLQueryString)
        case .all:
            break
        }
        if let community = query.community {
            filter.appendInterpolation(" AND q.community_id = \(bind: community.rawValue)" as SQLQueryString)
        }
        if let tag = query.tag, !tag.isEmpty {
            filter.appendLiteral(" AND ")
            filter.appendInterpolation(Self.hasTag(tag))
        }
        let total = try await db.raw("SELECT COUNT(*) AS n FROM questions q WHERE \(filter)").first()?
            .decode(column: "n", as: Int64.self) ?? 0
        let rows = try await db.raw(
            """
            SELECT \(unsafeRaw: Self.columns) FROM questions q WHERE \(filter)
            ORDER BY \(unsafeRaw: order) LIMIT \(bind: query.limit) OFFSET \(bind: query.offset)
            """
        ).all()
        return Page(items: try rows.map(Self.decode), total: Int(total))
    }

    func similar(to words: [String], visibleTo viewer: Member.ID?, limit: Int) async throws -> [Question] {
        guard !words.isEmpty else { return [] }
        var any = SQLQueryString("")
        for (index, word) in words.enumerated() {
            if index > 0 { any.appendLiteral(" OR ") }
            any.appendInterpolation(
                "q.title_key LIKE \(bind: "%" + SQLMemberRepository.escapeLike(word) + "%") ESCAPE '\\'" as SQLQueryString)
        }
        let rows = try await db.raw(
            """
            SELECT \(unsafeRaw: Self.columns) FROM questions q WHERE \(Self.visible(to: viewer)) AND (\(any))
            ORDER BY q.id DESC LIMIT 200
            """
        ).all().map(Self.decode)
        // The most words in common first; among equals, those with an accepted answer, then those with any answer (the
        // asker may need to look no further).
        let needed = max(1, (words.count + 1) / 2)
        let scored = rows.map { question in (question, words.count { question.title.lowercased().contains($0) }) }
            .filter { $0.1 >= needed }
        return scored.sorted { a, b in
            if a.1 != b.1 { return a.1 > b.1 }
            if (a.0.acceptedAnswerID != nil) != (b.0.acceptedAnswerID != nil) { return a.0.acceptedAnswerID != nil }
            if a.0.isAnswered != b.0.isAnswered { return a.0.isAnswered }
            return a.0.id > b.0.id
        }.prefix(limit).map(\.0)
    }

    func insertAnswer(_ answer: Answer) async throws {
        try await db.raw(
            """
            INSERT INTO answers (id, question_id, author_id, body, score, revision, created_at, edited_at, deleted_at)
            VALUES (\(bind: answer.id.rawValue), \(bind: answer.questionID.rawValue), \(bind: answer.authorID.rawValue),
                \(bind: answer.body), \(bind: answer.score), \(bind: answer.revision), \(bind: answer.createdAt.milliseconds),
                \(bind: answer.editedAt?.milliseconds), \(bind: answer.deletedAt?.milliseconds))
            """
        ).run()
    }

    func updateAnswer(_ answer: Answer) async throws {
        try await db.raw(
            """
            UPDATE answers SET body = \(bind: answer.body), score = \(bind: answer.score), revision = \(bind: answer.revision),
                edited_at = \(bind: answer.editedAt?.milliseconds), deleted_at = \(bind: answer.deletedAt?.milliseconds)
            WHERE id = \(bind: answer.id.rawValue)
            """
        ).run()
    }

    func answer(id: Answer.ID) async throws -> Answer? {
        try await db.raw("SELECT * FROM answers WHERE id = \(bind: id.rawValue)").first().map(Self.decodeAnswer)
    }

    func answers(to question: Question.ID) async throws -> [Answer] {
        try await db.raw(
            """
            SELECT * FROM answers WHERE question_id = \(bind: question.rawValue) AND deleted_at IS NULL AND moderation IS NULL
            ORDER BY score DESC, id ASC
            """
        ).all().map(Self.decodeAnswer)
    }

    func insertComment(_ comment: QAComment) async throws {
        try await db.raw(
            """
            INSERT INTO qa_comments (id, question_id, answer_id, author_id, body, created_at)
            VALUES (\(bind: comment.id.rawValue), \(bind: comment.questionID.rawValue), \(bind: comment.answerID?.rawValue),
                \(bind: comment.authorID.rawValue), \(bind: comment.body), \(bind: comment.createdAt.milliseconds))
            """
        ).run()
    }

    func comments(on question: Question.ID) async throws -> [QAComment] {
        try await db.raw("SELECT * FROM qa_comments WHERE question_id = \(bind: question.rawValue) AND moderation IS NULL ORDER BY id").all().map { row in
            QAComment(
                id: QAComment.ID(try row.decode(column: "id", as: Int64.self)),
                questionID: Question.ID(try row.decode(column: "question_id", as: Int64.self)),
                answerID: try row.decode(column: "answer_id", as: Int64?.self).map(Answer.ID.init),
                authorID: Member.ID(try row.decode(column: "author_id", as: Int64.self)),
                body: try row.decode(column: "body", as: String.self),
                createdAt: Date(milliseconds: try row.decode(column: "created_at", as: Int64.self)))
        }
    }

    func insertRevision(_ revision: QARevision, question: Question.ID, answer: Answer.ID?) async throws {
        try await db.raw(
            """
            INSERT INTO qa_revisions (question_id, answer_id, number, title, body, author_id, created_at)
            VALUES (\(bind: question.rawValue), \(bind: answer?.rawValue ?? 0), \(bind: revision.number), \(bind: revision.title),
                \(bind: revision.body), \(bind: revision.authorID.rawValue), \(bind: revision.createdAt.milliseconds))
            """
        ).run()
    }

    func revisions(question: Question.ID, answer: Answer.ID?) async throws -> [QARevision] {
        try await db.raw(
            """
            SELECT * FROM qa_revisions WHERE question_id = \(bind: question.rawValue) AND answer_id = \(bind: answer?.rawValue ?? 0)
            ORDER BY number DESC
            """
        ).all().map { row in
            QARevision(
                number: Int(try row.decode(column: "number", as: Int64.self)), title: try row.decode(column: "title", as: String.self),
                body: try row.decode(column: "body", as: String.self),
                authorID: Member.ID(try row.decode(column: "author_id", as: Int64.self)),
                createdAt: Date(milliseconds: try row.decode(column: "created_at", as: Int64.self)))
        }
    }

    func vote(_ answer: Answer.ID, by member: Member.ID, value: Int, at: Date) async throws -> Int? {
        let previous = try await db.raw(
            "SELECT value FROM answer_votes WHERE answer_id = \(bind: answer.rawValue) AND member_id = \(bind: member.rawValue)"
        ).first().map { Int(try $0.decode(column: "value", as: Int64.self)) }
        if value == 0 {
            try await db.raw(
                "DELETE FROM answer_votes WHERE answer_id = \(bind: answer.rawValue) AND member_id = \(bind: member.rawValue)"
            ).run()
        } else {
            try await db.raw(
                """
                INSERT INTO answer_votes (answer_id, member_id, value, created_at)
                VALUES (\(bind: answer.rawValue), \(bind: member.rawValue), \(bind: value), \(bind: at.milliseconds))
                ON CONFLICT (answer_id, member_id) DO UPDATE SET value = excluded.value, created_at = excluded.created_at
                """
            ).run()
        }
        return previous
    }

    func votes(of member: Member.ID, on answers: [Answer.ID]) async throws -> [Answer.ID: Int] {
        guard !answers.isEmpty else { return [:] }
        var result: [Answer.ID: Int] = [:]
        for row in try await db.raw(
            """
            SELECT answer_id, value FROM answer_votes
            WHERE member_id = \(bind: member.rawValue) AND answer_id IN \(SQLQueryString.idList(answers))
            """
        ).all() {
            result[Answer.ID(try row.decode(column: "answer_id", as: Int64.self))] = Int(try row.decode(column: "value", as: Int64.self))
        }
        return result
    }

    func reach(_ reach: QuestionReach) async throws -> Bool {
        try await db.raw(
            """
            INSERT INTO question_reach (question_id, member_id, hop, forwarded_by, note, named, created_at)
            VALUES (\(bind: reach.questionID.rawValue), \(bind: reach.memberID.rawValue), \(bind: reach.hop),
                \(bind: reach.forwardedBy?.rawValue), \(bind: reach.note), \(bind: reach.named ? 1 : 0), \(bind: reach.at.milliseconds))
            ON CONFLICT (question_id, member_id) DO NOTHING RETURNING member_id
            """
        ).first() != nil
    }

    func reach(of member: Member.ID, on question: Question.ID) async throws -> QuestionReach? {
        try await db.raw(
            """
            SELECT * FROM question_reach WHERE question_id = \(bind: question.rawValue) AND member_id = \(bind: member.rawValue)
            """
        ).first().map { row in
            QuestionReach(
                questionID: question, memberID: member, hop: Int(try row.decode(column: "hop", as: Int64.self)),
                forwardedBy: try row.decode(column: "forwarded_by", as: Int64?.self).map(Member.ID.init),
                note: try row.decode(column: "note", as: String.self),
                named: try row.decode(column: "named", as: Int64.self) != 0,
                at: Date(milliseconds: try row.decode(column: "created_at", as: Int64.self)))
        }
    }

    func travel(of question: Question.ID) async throws -> QuestionTravel {
        let q = question.rawValue
        var travel = QuestionTravel()
        travel.byHop = try await db.raw(
            "SELECT hop, COUNT(*) AS n FROM question_reach WHERE question_id = \(bind: q) GROUP BY hop ORDER BY hop"
        ).all().map { (Int(try $0.decode(column: "hop", as: Int64.self)), Int(try $0.decode(column: "n", as: Int64.self))) }
        var other = 0
        for row in try await db.raw(
            """
            SELECT m.department AS department, COUNT(*) AS n FROM question_reach r JOIN members m ON m.id = r.member_id
            WHERE r.question_id = \(bind: q) GROUP BY m.department ORDER BY n DESC, m.department
            """
        ).all() {
            let department = try row.decode(column: "department", as: String.self).trimmingCharacters(in: .whitespaces)
            let people = Int(try row.decode(column: "n", as: Int64.self))
            if department.isEmpty || people < Self.smallestDepartmentShown {
                other += people
            } else {
                travel.byDepartment.append((department, people))
            }
        }
        if other > 0 { travel.byDepartment.append(("", other)) }
        travel.forwards = Int(
            try await db.raw("SELECT COUNT(*) AS n FROM question_forwards WHERE question_id = \(bind: q)").first()?
                .decode(column: "n", as: Int64.self) ?? 0)
        return travel
    }

    func recordForward(question: Question.ID, by member: Member.ID, note: String, at: Date) async throws {
        try await db.raw(
            """
            INSERT INTO question_forwards (question_id, member_id, note, created_at)
            VALUES (\(bind: question.rawValue), \(bind: member.rawValue), \(bind: note), \(bind: at.milliseconds))
            """
        ).run()
    }

    func reachFollowers(of forwarder: Member.ID, question: Question, hop: Int, note: String, at: Date, limit: Int) async throws
        -> [Member.ID]
    {
        let f = forwarder.rawValue
        let a = question.authorID.rawValue
        var conditions = SQLQueryString(
            """
            fo.followee_id = \(bind: f) AND m.status = 'active' AND fo.follower_id <> \(bind: a)
            AND NOT EXISTS (SELECT 1 FROM question_reach r WHERE r.question_id = \(bind: question.id.rawValue)
                            AND r.member_id = fo.follower_id)
            AND NOT EXISTS (SELECT 1 FROM blocks b WHERE (b.member_id = fo.follower_id AND b.target_id IN (\(bind: f), \(bind: a)))
                                                      OR (b.target_id = fo.follower_id AND b.member_id IN (\(bind: f), \(bind: a))))
            """)
        // The asker's own followers (hop 0) were asked by the asker; opting out refuses only others' forwards.
        if hop > 0 {
            conditions.appendLiteral(" AND NOT EXISTS (SELECT 1 FROM forward_optouts o WHERE o.member_id = fo.follower_id)")
        }
        if let community = question.communityID {
            conditions.appendInterpolation(
                """
                 AND (EXISTS (SELECT 1 FROM communities c WHERE c.id = \(bind: community.rawValue) AND c.membership <> 'private')
                      OR EXISTS (SELECT 1 FROM community_members cm WHERE cm.community_id = \(bind: community.rawValue)
                                 AND cm.member_id = fo.follower_id AND cm.state = 'active'))
                """ as SQLQueryString)
        }
        return try await db.raw(
            """
            INSERT INTO question_reach (question_id, member_id, hop, forwarded_by, note, named, created_at)
            SELECT \(bind: question.id.rawValue), fo.follower_id, \(bind: hop), \(bind: hop > 0 ? f : nil), \(bind: note), 0,
                   \(bind: at.milliseconds)
            FROM follows fo JOIN members m ON m.id = fo.follower_id
            WHERE \(conditions)
            ORDER BY fo.follower_id LIMIT \(bind: limit)
            RETURNING member_id
            """
        ).all().map { Member.ID(try $0.decode(column: "member_id", as: Int64.self)) }
    }

    func forwardOptOuts(among members: [Member.ID]) async throws -> Set<Member.ID> {
        guard !members.isEmpty else { return [] }
        return Set(
            try await db.raw("SELECT member_id FROM forward_optouts WHERE member_id IN \(SQLQueryString.idList(members))").all()
                .map { Member.ID(try $0.decode(column: "member_id", as: Int64.self)) })
    }

    func setForwardOptOut(_ optOut: Bool, member: Member.ID) async throws {
        if optOut {
            try await db.raw(
                "INSERT INTO forward_optouts (member_id) VALUES (\(bind: member.rawValue)) ON CONFLICT (member_id) DO NOTHING"
            ).run()
        } else {
            try await db.raw("DELETE FROM forward_optouts WHERE member_id = \(bind: member.rawValue)").run()
        }
    }

    func expertCandidates(tags: [String], limit: Int) async throws -> [ExpertCandidate] {
        guard !tags.isEmpty else { return [] }
        var candidates: [Member.ID: ExpertCandidate] = [:]
        var tagList = SQLQueryString("(")
        tagList.appendList(tags) { "\(bind: $0)" }
        tagList.appendLiteral(")")
        for row in try await db.raw(
            """
            SELECT t.member_id, t.tag FROM member_tags t JOIN members m ON m.id = t.member_id
            WHERE t.kind = 'expertise' AND t.tag IN \(tagList) AND m.status = 'active' LIMIT \(bind: limit * 4)
            """
        ).all() {
            let id = Member.ID(try row.decode(column: "member_id", as: Int64.self))
            candidates[id, default: ExpertCandidate(member: id)].declared.append(try row.decode(column: "tag", as: String.self))
        }
        var anyTag = SQLQueryString("")
        for (index, tag) in tags.enumerated() {
            if index > 0 { anyTag.appendLiteral(" OR ") }
            anyTag.appendInterpolation(Self.hasTag(tag))
        }
        for row in try await db.raw(
            """
            SELECT a.author_id, COUNT(*) AS n FROM questions q JOIN answers a ON a.id = q.accepted_answer_id
            WHERE (\(anyTag)) GROUP BY a.author_id ORDER BY n DESC LIMIT \(bind: limit)
            """
        ).all() {
            let id = Member.ID(try row.decode(column: "author_id", as: Int64.self))
            candidates[id, default: ExpertCandidate(member: id)].acceptedAnswers = Int(try row.decode(column: "n", as: Int64.self))
        }
        for row in try await db.raw(
            """
            SELECT member_id, SUM(engagement) AS engagement, SUM(replies) AS replies FROM subject_scores
            WHERE tag IN \(tagList) GROUP BY member_id ORDER BY SUM(engagement) + SUM(replies) DESC LIMIT \(bind: limit)
            """
        ).all() {
            let id = Member.ID(try row.decode(column: "member_id", as: Int64.self))
            candidates[id, default: ExpertCandidate(member: id)].engagement = Int(try row.decode(column: "engagement", as: Int64.self))
            candidates[id, default: ExpertCandidate(member: id)].replies = Int(try row.decode(column: "replies", as: Int64.self))
        }
        return candidates.values.sorted { $0.member < $1.member }
    }

    func pendingRoutes(of members: [Member.ID]) async throws -> [Member.ID: Int] {
        guard !members.isEmpty else { return [:] }
        var result: [Member.ID: Int] = [:]
        for row in try await db.raw(
            """
            SELECT r.member_id, COUNT(*) AS n FROM question_reach r JOIN questions q ON q.id = r.question_id
            WHERE r.named = 1 AND r.member_id IN \(SQLQueryString.idList(members)) AND q.accepted_answer_id IS NULL
              AND NOT EXISTS (SELECT 1 FROM answers a WHERE a.question_id = q.id AND a.author_id = r.member_id
                              AND a.deleted_at IS NULL)
            GROUP BY r.member_id
            """
        ).all() {
            result[Member.ID(try row.decode(column: "member_id", as: Int64.self))] = Int(try row.decode(column: "n", as: Int64.self))
        }
        return result
    }

    func answerers(of question: Question.ID) async throws -> [Member] {
        try await db.raw(
            """
            SELECT \(unsafeRaw: SQLMemberRepository.columns(of: "m")) FROM members m
            WHERE m.id IN (SELECT author_id FROM answers WHERE question_id = \(bind: question.rawValue) AND deleted_at IS NULL)
            """
        ).all().map(SQLMemberRepository.decode)
    }

    static func decode(_ row: any SQLRow) throws -> Question {
        var question = Question(
            id: Question.ID(try row.decode(column: "id", as: Int64.self)),
            authorID: Member.ID(try row.decode(column: "author_id", as: Int64.self)),
            title: try row.decode(column: "title", as: String.self),
            body: try row.decode(column: "body", as: String.self),
            tags: try row.decode(column: "tags", as: String.self).split(separator: " ").map(String.init),
            communityID: try row.decode(column: "community_id", as: Int64?.self).map(Community.ID.init),
            toFollowers: try row.decode(column: "to_followers", as: Int64.self) != 0,
            acceptedAnswerID: try row.decode(column: "accepted_answer_id", as: Int64?.self).map(Answer.ID.init),
            answers: Int(try row.decode(column: "answers_count", as: Int64.self)),
            firstAnswerAt: try row.decode(column: "first_answer_at", as: Int64?.self).map(Date.init(milliseconds:)),
            acceptedAt: try row.decode(column: "accepted_at", as: Int64?.self).map(Date.init(milliseconds:)),
            revision: Int(try row.decode(column: "revision", as: Int64.self)),
            createdAt: Date(milliseconds: try row.decode(column: "created_at", as: Int64.self)),
            editedAt: try row.decode(column: "edited_at", as: Int64?.self).map(Date.init(milliseconds:)))
        question.withholding = try row.decode(column: "moderation", as: String?.self).flatMap(Withholding.init(rawValue:))
        return question
    }

    static func decodeAnswer(_ row: any SQLRow) throws -> Answer {
        Answer(
            id: Answer.ID(try row.decode(column: "id", as: Int64.self)),
            questionID: Question.ID(try row.decode(column: "question_id", as: Int64.self)),
            authorID: Member.ID(try row.decode(column: "author_id", as: Int64.self)),
            body: try row.decode(column: "body", as: String.self),
            score: Int(try row.decode(column: "score", as: Int64.self)),
            revision: Int(try row.decode(column: "revision", as: Int64.self)),
            createdAt: Date(milliseconds: try row.decode(column: "created_at", as: Int64.self)),
            editedAt: try row.decode(column: "edited_at", as: Int64?.self).map(Date.init(milliseconds:)),
            deletedAt: try row.decode(column: "deleted_at", as: Int64?.self).map(Date.init(milliseconds:)))
    }
}
