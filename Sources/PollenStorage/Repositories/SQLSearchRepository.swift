import Foundation
import PollenCore
import SQLKit

struct SQLSearchRepository: SearchRepository {
    let db: any SQLDatabase
    let dialect: Dialect

    /// Posts matching every word, phrase and hashtag (and the author, with `from:`), newest first. The query
    /// is led by its narrowest ordered source so it reads only as far as the page needs: on SQLite, when
    /// there are words, the full-text index in id order (which also holds hashtags' words and the author);
    /// else the author's posts; else the hashtag's posts. Anything else is checked per row. Letting either
    /// engine intersect whole sets first took hundreds of milliseconds for common words.
    func posts(matching search: PostSearchQuery, author: Member.ID?, viewer: Member.ID, range: CursorRange)
        async throws -> [PostEntry]
    {
        let hasText = !search.words.isEmpty || !search.phrases.isEmpty
        var query: SQLQueryString
        var tags = search.hashtags[...]
        let order: String
        if hasText, dialect == .sqlite {
            // Hashtags join the full-text match as phrases (the index holds "#data-analytics" as the words
            // "data analytics"), so the index narrows by them too; the exact tag is still checked below. A tag
            // with no letter or digit would be an empty phrase, which matches nothing: it is left to that check.
            // The author, too, is a word of the index.
            let indexable = search.hashtags.filter { $0.contains { $0.isLetter || $0.isNumber } }
            var match = Self.ftsExpression(search.words + search.phrases + indexable)
            if let author { match += " AND author : " + Self.quoted(SQLPostRepository.authorToken(author)) }
            query = """
                SELECT f.rowid AS cursor, \(unsafeRaw: SQLPostRepository.selectColumns)
                FROM posts_fts f JOIN posts p ON p.id = f.rowid
                WHERE f.posts_fts MATCH \(bind: match)
                """
            if let author { query.appendInterpolation(" AND p.author_id = \(bind: author.rawValue)" as SQLQueryString) }
            order = "f.rowid"
        } else if let author {
            query = "SELECT p.id AS cursor, \(unsafeRaw: SQLPostRepository.selectColumns) FROM posts p WHERE p.author_id = \(bind: author.rawValue)"
            if hasText { query.appendInterpolation(textCondition(search)) }
            order = "p.id"
        } else if let first = tags.popFirst() {
            query = """
                SELECT t.post_id AS cursor, \(unsafeRaw: SQLPostRepository.selectColumns)
                FROM post_tags t JOIN posts p ON p.id = t.post_id WHERE t.tag = \(bind: first)
                """
            if hasText { query.appendInterpolation(textCondition(search)) }
            order = "t.post_id"
        } else {
            query = "SELECT p.id AS cursor, \(unsafeRaw: SQLPostRepository.selectColumns) FROM posts p WHERE TRUE"
            if hasText { query.appendInterpolation(textCondition(search)) }
            order = "p.id"
        }
        query.appendLiteral(" AND p.deleted_at IS NULL AND p.moderation IS NULL")
        for tag in tags {
            query.appendInterpolation(
                " AND EXISTS (SELECT 1 FROM post_tags pt WHERE pt.tag = \(bind: tag) AND pt.post_id = p.id)" as SQLQueryString)
        }
        query.appendInterpolation(SQLPostRepository.visibilityFilter(viewer: viewer.rawValue, mutesApply: author == nil))
        query.appendInterpolation(SQLNetworkRepository.cursorClause(range, column: order))
        return try await SQLPostRepository.entries(query, range: range, on: db)
    }

    /// SQLite's match expression: every term quoted, so nothing a person types is read as an operator.
    /// Terms are matched in the post's text only, never against the author column.
    private static func ftsExpression(_ terms: [String]) -> String {
        terms.map { "body : " + quoted($0) }.joined(separator: " AND ")
    }

    private static func quoted(_ term: String) -> String {
        "\"" + term.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// PostgreSQL: every word and phrase must appear, through the GIN index on the text's tsvector. (On
    /// SQLite a query with words is always led by the full-text index.)
    private func textCondition(_ search: PostSearchQuery) -> SQLQueryString {
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

    func hashtags(startingWith prefix: String, limit: Int, offset: Int) async throws -> [HashtagUse] {
        let pattern = SQLMemberRepository.escapeLike(prefix) + "%"
        // Stored counts (see TagCounts); the range, in which every tag starting with the prefix sorts, lets
        // both engines read only those tags, and LIKE still decides.
        let end = prefix + "\u{10FFFF}"
        let rows = try await db.raw(
            """
            SELECT tag, posts, members FROM tag_counts
            WHERE tag >= \(bind: prefix) AND tag < \(bind: end) AND tag LIKE \(bind: pattern) ESCAPE '\\'
              AND (posts > 0 OR members > 0)
            ORDER BY posts + members DESC, tag LIMIT \(bind: limit) OFFSET \(bind: offset)
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
