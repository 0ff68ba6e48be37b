import Foundation
import PollenCore
import SQLKit

struct SQLSearchRepository: SearchRepository {
    let db: any SQLDatabase
    let dialect: Dialect

    func posts(matching search: PostSearchQuery, author: Member.ID?, viewer: Member.ID, range: CursorRange)
        async throws -> [PostEntry]
    {
        var query = SQLQueryString(
            "SELECT p.id AS cursor, \(unsafeRaw: SQLPostRepository.selectColumns) FROM posts p WHERE p.deleted_at IS NULL")
        if !search.words.isEmpty || !search.phrases.isEmpty {
            query.appendInterpolation(textCondition(search))
        }
        if let author { query.appendInterpolation(" AND p.author_id = \(bind: author.rawValue)" as SQLQueryString) }
        for tag in search.hashtags {
            query.appendInterpolation(
                " AND p.id IN (SELECT post_id FROM post_tags WHERE tag = \(bind: tag))" as SQLQueryString)
        }
        query.appendInterpolation(SQLPostRepository.visibilityFilter(viewer: viewer.rawValue, mutesApply: author == nil))
        query.appendInterpolation(SQLNetworkRepository.cursorClause(range, column: "p.id"))
        let rows = try await db.raw(query).all()
        let entries = try rows.map {
            PostEntry(cursor: try $0.decode(column: "cursor", as: Int64.self), post: try SQLPostRepository.decode($0))
        }
        return range.nearestAfter != nil && range.before == nil && range.after == nil ? entries.reversed() : entries
    }

    /// Every word and phrase must appear. Each engine gets its own query language, built from quoted terms so
    /// nothing a person types is read as an operator.
    private func textCondition(_ search: PostSearchQuery) -> SQLQueryString {
        switch dialect {
        case .sqlite:
            let terms = (search.words + search.phrases).map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
            return " AND p.id IN (SELECT rowid FROM posts_fts WHERE posts_fts MATCH \(bind: terms.joined(separator: " AND ")))"
        case .postgres:
            var condition = SQLQueryString(" AND to_tsvector('simple', p.body) @@ (")
            var parts: [SQLQueryString] = []
            if !search.words.isEmpty {
                parts.append("plainto_tsquery('simple', \(bind: search.words.joined(separator: " ")))")
            }
            for phrase in search.phrases { parts.append("phraseto_tsquery('simple', \(bind: phrase))") }
            for (index, part) in parts.enumerated() {
                if index > 0 { condition.appendLiteral(" && ") }
                condition.appendInterpolation(part)
            }
            condition.appendLiteral(")")
            return condition
        }
    }

    func hashtags(startingWith prefix: String, limit: Int, offset: Int) async throws -> [HashtagUse] {
        let pattern = SQLMemberRepository.escapeLike(prefix) + "%"
        let rows = try await db.raw(
            """
            SELECT tag, CAST(SUM(posts) AS BIGINT) AS posts, CAST(SUM(members) AS BIGINT) AS members FROM (
                SELECT tag, COUNT(*) AS posts, 0 AS members FROM post_tags
                WHERE tag LIKE \(bind: pattern) ESCAPE '\\' GROUP BY tag
                UNION ALL
                SELECT tag, 0 AS posts, COUNT(DISTINCT member_id) AS members FROM member_tags
                WHERE tag LIKE \(bind: pattern) ESCAPE '\\' GROUP BY tag
            ) uses GROUP BY tag ORDER BY SUM(posts) + SUM(members) DESC, tag LIMIT \(bind: limit) OFFSET \(bind: offset)
            """
        ).all()
        return try rows.map {
            HashtagUse(
                tag: try $0.decode(column: "tag", as: String.self),
                posts: Int(try $0.decode(column: "posts", as: Int64.self)),
                members: Int(try $0.decode(column: "members", as: Int64.self)))
        }
    }
}
