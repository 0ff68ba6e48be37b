import Foundation

/// A post search as typed: words (all must appear), "quoted phrases", `from:@handle` and `#hashtags`.
public struct PostSearchQuery: Sendable, Equatable {
    public var words: [String]
    public var phrases: [String]
    public var fromHandle: String?
    public var hashtags: [String]

    public init(words: [String] = [], phrases: [String] = [], fromHandle: String? = nil, hashtags: [String] = []) {
        self.words = words
        self.phrases = phrases
        self.fromHandle = fromHandle
        self.hashtags = hashtags
    }

    public var isEmpty: Bool { words.isEmpty && phrases.isEmpty && fromHandle == nil && hashtags.isEmpty }

    /// Reads the operators out of what a person typed; an unclosed quote counts as a phrase to the end.
    public static func parse(_ text: String) -> PostSearchQuery {
        var query = PostSearchQuery()
        var rest = Substring(text.prefix(500))
        while let quote = rest.firstIndex(of: "\"") {
            let before = rest[..<quote]
            let afterQuote = rest[rest.index(after: quote)...]
            let close = afterQuote.firstIndex(of: "\"") ?? afterQuote.endIndex
            let phrase = afterQuote[..<close].trimmingCharacters(in: .whitespaces)
            if !phrase.isEmpty { query.phrases.append(phrase) }
            query.addTokens(before)
            rest = close < afterQuote.endIndex ? afterQuote[afterQuote.index(after: close)...] : ""
        }
        query.addTokens(rest)
        return query
    }

    private mutating func addTokens(_ text: Substring) {
        for token in text.split(whereSeparator: \.isWhitespace) {
            let lower = token.lowercased()
            if lower.hasPrefix("from:") {
                let handle = lower.dropFirst(5).drop(while: { $0 == "@" })
                if !handle.isEmpty { fromHandle = String(handle.prefix { $0 != "@" }) }
            } else if lower.hasPrefix("#"), let tag = PostText.hashtags(in: lower).first {
                // Read as a post's text is read, so "#lean," is the tag posts store as "lean".
                hashtags.append(tag)
            } else {
                // Punctuation around a word is not part of it: "kaizen," finds "kaizen".
                let word = lower.trimmingCharacters(in: .punctuationCharacters.union(.symbols))
                // Without a letter or digit (a zero-width space, a lone accent) a word matches no text at all.
                if word.contains(where: { $0.isLetter || $0.isNumber }) { words.append(word) }
            }
        }
    }
}

/// A hashtag found by a search, with how much it is used.
public struct HashtagUse: Sendable, Equatable {
    public let tag: String
    /// Posts that carry it.
    public let posts: Int
    /// Members who list it as a subject or expertise.
    public let members: Int

    public init(tag: String, posts: Int, members: Int) {
        self.tag = tag
        self.posts = posts
        self.members = members
    }
}

/// Full-text search over posts and hashtags; each engine uses its own index (SQLite FTS5, PostgreSQL
/// `tsvector`) behind this one interface.
public protocol SearchRepository: Sendable {
    /// Posts matching the query that `viewer` may see, newest first.
    func posts(matching query: PostSearchQuery, author: Member.ID?, viewer: Member.ID, range: CursorRange)
        async throws -> [PostEntry]
    /// Hashtags that start with `prefix`, most used first.
    func hashtags(startingWith prefix: String, limit: Int, offset: Int) async throws -> [HashtagUse]
}

/// What a search found, for the search page and Mastodon's v2 search.
public struct SearchResults: Sendable {
    public var members: [Member]
    public var posts: [PostView]
    public var hashtags: [HashtagUse]
}

extension Pollen {
    /// Searches members (name, handle, subjects, expertise…), posts (full text with operators) and hashtags.
    public func search(
        _ text: String, kinds: Set<SearchKind> = Set(SearchKind.allCases), range: CursorRange = CursorRange(limit: 20),
        offset: Int = 0, by actor: Actor
    ) async throws -> SearchResults {
        let viewer = try activeMember(actor)
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return SearchResults(members: [], posts: [], hashtags: []) }
        var range = range
        range.limit = min(max(range.limit, 1), 40)
        let finalRange = range
        let query = PostSearchQuery.parse(trimmed)
        var results = SearchResults(members: [], posts: [], hashtags: [])
        if kinds.contains(.members), query.fromHandle == nil, query.hashtags.isEmpty {
            let words = (query.words + query.phrases).joined(separator: " ")
            if !words.isEmpty {
                results.members = try await searchDirectory(
                    DirectoryQuery(text: words, limit: finalRange.limit, offset: max(offset, 0)), viewer: viewer
                ).items
            }
        }
        if kinds.contains(.posts), !query.isEmpty {
            results.posts = try await store.read { repos in
                var author: Member.ID? = nil
                if let handle = query.fromHandle {
                    guard let member = try await repos.members.find(handle: handle),
                        AccessPolicy.maySeeProfile(of: member, by: .member(viewer))
                    else { return [] }
                    author = member.id
                }
                let entries = try await repos.search.posts(
                    matching: query, author: author, viewer: viewer.id, range: finalRange)
                return try await Self.views(entries, viewer: viewer, repos: repos)
            }
        }
        if kinds.contains(.hashtags) {
            let prefix = ProfileRules.normalizedTag(query.hashtags.first ?? query.words.first ?? "")
            if !prefix.isEmpty {
                results.hashtags = try await store.read {
                    try await $0.search.hashtags(startingWith: prefix, limit: finalRange.limit, offset: max(offset, 0))
                }
            }
        }
        return results
    }
}

public enum SearchKind: String, Sendable, CaseIterable {
    case members, posts, hashtags
}
