import Foundation
import PollenCore
import PollenStorage
import Testing

/// A moment `minutes` after the start of 2026.
private func at(_ minutes: Int) -> Date {
    Date(timeIntervalSince1970: 1_767_225_600 + Double(minutes) * 60)
}

private func m(_ id: Int64) -> Member.ID { Member.ID(id) }
private func p(_ id: Int64) -> Post.ID { Post.ID(id) }

/// A post written at minute `id`, its hashtags and mentions read from the text as publishing does.
private func makePost(
    _ id: Int64, by author: Int64, _ body: String, visibility: Post.Visibility = .organization,
    mentions: [Int64] = [], reshareOf: Int64? = nil
) -> Post {
    Post(
        id: p(id), authorID: m(author), body: body, visibility: visibility, reshareOfID: reshareOf.map(p),
        hashtags: PostText.hashtags(in: body), mentionIDs: mentions.map(m), createdAt: at(Int(id)))
}

private func insertMembers(_ store: SQLStore, _ members: [Member]) async throws {
    try await store.write { try await $0.members.insertMany(members) }
}

private func insertMembers(_ store: SQLStore, _ ids: ClosedRange<Int64>) async throws {
    try await insertMembers(store, ids.map { makeMember($0, handle: "m\($0)") })
}

private func insert(_ store: SQLStore, _ posts: [Post]) async throws {
    try await store.write { repos in
        for post in posts { try await repos.posts.insert(post) }
    }
}

/// The ids of the posts a search finds, in the order given.
private func search(
    _ store: SQLStore, _ query: PostSearchQuery, author: Int64? = nil, viewer: Int64 = 1,
    _ range: CursorRange = CursorRange()
) async throws -> [Int64] {
    try await store.read {
        try await $0.search.posts(matching: query, author: author.map(m), viewer: m(viewer), range: range)
    }.map(\.post.id.rawValue)
}

private func words(_ words: String...) -> PostSearchQuery { PostSearchQuery(words: words) }

@Suite struct SearchRepositoryTests {
    // MARK: - Words and phrases

    @Test(arguments: Engine.enabled)
    func everyWordMustAppearInAnyCaseAndAsAWholeWord(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insertMembers(store, 1...2)
            try await insert(store, [
                makePost(100, by: 1, "Kaizen and lean flow on the line."),
                makePost(101, by: 2, "Lean supply chains, explained"),
                makePost(102, by: 2, "KAIZEN events: what worked"),
            ])
            #expect(try await search(store, words("kaizen")) == [102, 100])
            #expect(try await search(store, words("LEAN")) == [101, 100])
            #expect(try await search(store, words("kaizen", "lean")) == [100])
            #expect(try await search(store, words("lean", "supply", "explained")) == [101])
            #expect(try await search(store, words("kaizen", "supply")).isEmpty, "no post has both")
            #expect(try await search(store, words("kai")).isEmpty, "no prefix matching")
            #expect(try await search(store, words("events")) == [102], "punctuation is not part of a word")
            #expect(try await search(store, words("nothing")).isEmpty)
        }
    }

    /// SQLite's index folds diacritics (`remove_diacritics 2`) and the case of every letter. PostgreSQL's
    /// 'simple' configuration only lower-cases (non-ASCII letters as the database's locale allows) and keeps
    /// diacritics, so there "café" and "cafe" are different words.
    @Test(arguments: Engine.enabled)
    func diacriticsAndCase(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insertMembers(store, 1...1)
            try await insert(store, [
                makePost(100, by: 1, "Café meeting at ten"),
                makePost(101, by: 1, "New cafe opening"),
                makePost(102, by: 1, "Die Qualität zählt"),
            ])
            // Both engines: the same spelling, in any ASCII case.
            #expect(try await search(store, words("café")).contains(100))
            #expect(try await search(store, words("CAFE")).contains(101))
            #expect(try await search(store, words("DIE", "qualität")) == [102])
            switch engine {
            case .sqlite:
                #expect(try await search(store, words("cafe")) == [101, 100])
                #expect(try await search(store, words("café")) == [101, 100])
                #expect(try await search(store, words("CAFÉ")) == [101, 100])
                #expect(try await search(store, words("qualitat", "zahlt")) == [102])
            case .postgres:
                #expect(try await search(store, words("cafe")) == [101])
                #expect(try await search(store, words("café")) == [100])
                #expect(try await search(store, words("qualitat")).isEmpty)
            }
        }
    }

    @Test(arguments: Engine.enabled)
    func phrasesMustAppearInOrder(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insertMembers(store, 1...1)
            try await insert(store, [
                makePost(100, by: 1, "Value stream mapping, today"),
                makePost(101, by: 1, "A stream of value; mapping it"),
                makePost(102, by: 1, "value, stream and more"),
            ])
            #expect(try await search(store, PostSearchQuery(phrases: ["Value Stream"])) == [102, 100])
            #expect(try await search(store, words("value", "stream")) == [102, 101, 100])
            #expect(try await search(store, PostSearchQuery(phrases: ["stream value"])).isEmpty)
            #expect(try await search(store, PostSearchQuery(phrases: ["value stream mapping"])) == [100])
            #expect(try await search(store, PostSearchQuery(words: ["today"], phrases: ["value stream"])) == [100])
            #expect(try await search(store, PostSearchQuery(words: ["more"], phrases: ["value stream", "of value"])).isEmpty)
            #expect(try await search(store, PostSearchQuery(phrases: ["value stream", "stream mapping"])) == [100])
        }
    }

    // MARK: - Author and hashtags

    @Test(arguments: Engine.enabled)
    func authorAndHashtagsNarrowTheSearch(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insertMembers(store, 1...2)
            try await insert(store, [
                makePost(100, by: 1, "Notes on #Lean and #kaizen"),
                makePost(101, by: 2, "More notes on #lean"),
                makePost(102, by: 2, "Unrelated notes"),
                makePost(103, by: 1, "Talking about lean without the tag"),
            ])
            #expect(try await search(store, words("notes"), author: 2) == [102, 101])
            #expect(try await search(store, PostSearchQuery(), author: 1) == [103, 100], "an author alone lists their posts")
            #expect(try await search(store, PostSearchQuery(hashtags: ["lean"])) == [101, 100])
            #expect(try await search(store, PostSearchQuery(hashtags: ["lean", "kaizen"])) == [100])
            #expect(try await search(store, PostSearchQuery(hashtags: ["lean"]), author: 2) == [101])
            #expect(try await search(store, PostSearchQuery(words: ["more"], hashtags: ["lean"])) == [101])
            #expect(try await search(store, PostSearchQuery(words: ["lean"])) == [103, 101, 100], "tags are words too")
            #expect(try await search(store, PostSearchQuery(hashtags: ["missing"])).isEmpty)
            #expect(try await search(store, words("notes"), author: 99).isEmpty)
        }
    }

    /// On SQLite a search with words is led by the full-text index, with each hashtag added to the match as
    /// a phrase ("#data-analytics" is indexed as the words "data analytics"): the exact tag must still decide.
    @Test(arguments: Engine.enabled)
    func hashtagAndWordsFindOnlyPostsWithTheExactTag(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insertMembers(store, 1...2)
            try await insert(store, [
                makePost(100, by: 1, "Notes on #data-analytics and dashboards"),
                makePost(101, by: 2, "data analytics dashboards, no tag at all"),
                makePost(102, by: 1, "#data #analytics dashboards"),
                makePost(103, by: 2, "#data-analytics-team dashboards"),
                makePost(104, by: 2, "Weekly dashboards for #Data-Analytics"),
                makePost(105, by: 1, "#data-analytics alone"),
                makePost(106, by: 1, "#data-analytics dashboards, deleted"),
                makePost(107, by: 2, "dashboards about `#data-analytics` in code, which is no tag"),
                makePost(108, by: 1, "#lean dashboards"),
                makePost(109, by: 2, "lean dashboards"),
            ])
            try await store.write { try await $0.posts.markDeleted(p(106), at: at(500)) }
            func find(_ text: String, author: Int64? = nil) async throws -> [Int64] {
                try await search(store, PostSearchQuery.parse(text), author: author)
            }
            #expect(try await find("#data-analytics dashboards") == [104, 100], "not 101, 102, 103 or 107: no such tag")
            #expect(try await find("dashboards #Data-Analytics") == [104, 100])
            #expect(try await find("#data-analytics \"weekly dashboards\"") == [104])
            #expect(try await find("#data-analytics analytics") == [105, 104, 100])
            #expect(try await find("#data-analytics missing").isEmpty)
            #expect(try await find("#data-analytics-team dashboards") == [103])
            #expect(try await find("#data dashboards") == [102], "in 100 \"data\" is part of a longer tag")
            #expect(try await find("#analytics #data dashboards") == [102])
            #expect(try await find("#lean dashboards") == [108])
            #expect(try await find("#data-analytics") == [105, 104, 100])
            #expect(try await find("data analytics dashboards") == [107, 104, 103, 102, 101, 100], "tags are words too")
            // With an author the search is led by their posts; the tag and the words still both apply.
            #expect(try await find("#data-analytics dashboards", author: 1) == [100])
            #expect(try await find("#data-analytics dashboards", author: 2) == [104])
            #expect(try await find("#data dashboards", author: 2).isEmpty)
        }
    }

    /// A hashtag may hold no character the full-text index keeps as part of a word ("#_"): it must not turn
    /// a search with words into one that finds nothing.
    @Test(arguments: Engine.enabled)
    func aHashtagWithoutIndexedLettersStillCombinesWithWords(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insertMembers(store, 1...1)
            try await insert(store, [makePost(100, by: 1, "#_ hello"), makePost(101, by: 1, "hello _")])
            #expect(try await search(store, PostSearchQuery.parse("#_")) == [100])
            #expect(try await search(store, PostSearchQuery.parse("#_ hello")) == [100])
        }
    }

    @Test(arguments: Engine.enabled)
    func authorAndWordsPageThroughTheAuthorsPostsOnly(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insertMembers(store, 1...3)
            // Member 1 and 2 alternate on the same words; 1 also writes posts without them.
            try await insert(store, (Int64(100)..<130).map { id in
                let author = id % 2 == 0 ? Int64(1) : 2
                return makePost(id, by: author, id % 3 == 0 ? "Morning coffee" : "Gemba walk \(id)\(id % 5 == 0 ? " #lean" : "")")
            })
            try await insert(store, [makePost(130, by: 1, "Gembawalk is one word"), makePost(131, by: 3, "Gemba walk too")])
            let mine = Array((Int64(100)..<130).filter { $0 % 2 == 0 && $0 % 3 != 0 }.reversed())
            #expect(try await search(store, words("gemba"), author: 1, CursorRange(limit: 40)) == mine)
            #expect(try await search(store, words("gemba", "walk"), author: 1, viewer: 2, CursorRange(limit: 40)) == mine)
            #expect(try await search(store, PostSearchQuery(words: ["gemba"], hashtags: ["lean"]), author: 1)
                == mine.filter { $0 % 5 == 0 })
            #expect(try await search(store, words("coffee"), author: 3).isEmpty)

            // Three at a time by `before`: every post once, newest first.
            var seen: [Int64] = []
            var range = CursorRange(limit: 3)
            for _ in 0..<40 {
                let page = try await search(store, words("gemba"), author: 1, range)
                if page.isEmpty { break }
                seen += page
                range = CursorRange(before: page.last, limit: 3)
            }
            #expect(seen == mine)
            #expect(try await search(store, words("gemba"), author: 1, CursorRange(nearestAfter: mine[5], limit: 2))
                == [mine[3], mine[4]])
            #expect(try await search(store, words("gemba"), author: 1, CursorRange(after: mine[5], limit: 2)) == [mine[0], mine[1]])
        }
    }

    /// A search of hashtags alone is led by the hashtag's posts and pages on them.
    @Test(arguments: Engine.enabled)
    func hashtagSearchPagesByCursor(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insertMembers(store, 1...3)
            try await insert(store, (Int64(100)..<140).map { id in
                makePost(id, by: id % 3 + 1, id % 2 == 0 ? "Flow #kaizen \(id)" : "Flow without the tag \(id)",
                    visibility: id % 10 == 4 ? .followers : .organization)
            })
            try await store.write { try await $0.posts.markDeleted(p(110), at: at(500)) }
            // Member 1 follows nobody, so sees their own followers-only posts and no one else's.
            let expected = (Int64(100)..<140).reversed().filter { (id: Int64) -> Bool in
                let hidden = id % 10 == 4 && id % 3 + 1 != 1
                return id % 2 == 0 && id != 110 && !hidden
            }
            let kaizen = PostSearchQuery(hashtags: ["kaizen"])
            #expect(try await search(store, kaizen) == expected)

            for query in [kaizen, PostSearchQuery(words: ["flow"], hashtags: ["kaizen"])] {
                var seen: [Int64] = []
                var range = CursorRange(limit: 5)
                for _ in 0..<40 {
                    let page = try await search(store, query, range)
                    #expect(page.count <= 5)
                    if page.isEmpty { break }
                    seen += page
                    range = CursorRange(before: page.last, limit: 5)
                }
                #expect(seen == expected, "every post once, newest first")
                #expect(try await search(store, query, CursorRange(after: expected[6], limit: 3)) == Array(expected[0..<3]))
                #expect(try await search(store, query, CursorRange(nearestAfter: expected[6], limit: 3)) == Array(expected[3..<6]))
                #expect(try await search(store, query, CursorRange(before: expected[2], after: expected[9])) == Array(expected[3..<9]))
            }
        }
    }

    // MARK: - Keeping the index in step

    @Test(arguments: Engine.enabled)
    func anEditedPostIsFoundByItsNewTextOnly(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insertMembers(store, 1...1)
            let original = makePost(100, by: 1, "Original gemba notes #lean")
            try await insert(store, [original, makePost(101, by: 1, "Other gemba walk")])
            #expect(try await search(store, words("gemba")) == [101, 100])

            var edited = original
            edited.body = "Revised kaizen notes #kaizen"
            edited.hashtags = PostText.hashtags(in: edited.body)
            edited.editedAt = at(500)
            try await store.write { [edited] in
                try await $0.posts.update(edited, replacing: PostRevision(postID: p(100), body: original.body, replacedAt: at(500)))
            }
            #expect(try await search(store, words("gemba")) == [101])
            #expect(try await search(store, words("original")).isEmpty)
            #expect(try await search(store, words("kaizen")) == [100])
            #expect(try await search(store, words("notes")) == [100], "found once")
            #expect(try await search(store, PostSearchQuery(hashtags: ["lean"])).isEmpty)
            #expect(try await search(store, PostSearchQuery(hashtags: ["kaizen"])) == [100])

            // A second edit replaces the first.
            var again = edited
            again.body = "Third version"
            again.hashtags = []
            try await store.write { [again, edited] in
                try await $0.posts.update(again, replacing: PostRevision(postID: p(100), body: edited.body, replacedAt: at(600)))
            }
            #expect(try await search(store, words("kaizen")).isEmpty)
            #expect(try await search(store, words("third", "version")) == [100])
        }
    }

    @Test(arguments: Engine.enabled)
    func aDeletedPostIsNotFound(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insertMembers(store, 1...1)
            try await insert(store, [
                makePost(100, by: 1, "Keep this #lean note"),
                makePost(101, by: 1, "Remove this #lean note"),
            ])
            try await store.write { try await $0.posts.markDeleted(p(101), at: at(500)) }
            #expect(try await search(store, words("note")) == [100])
            #expect(try await search(store, words("remove")).isEmpty)
            #expect(try await search(store, PostSearchQuery(phrases: ["remove this"])).isEmpty)
            #expect(try await search(store, PostSearchQuery(hashtags: ["lean"])) == [100])
            #expect(try await search(store, PostSearchQuery(), author: 1) == [100])
        }
    }

    // MARK: - Who may see what

    @Test(arguments: Engine.enabled)
    func onlyPostsTheViewerMaySeeAreFound(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insertMembers(store, 1...5)
            try await insert(store, [
                makePost(100, by: 1, "Secret roadmap for followers", visibility: .followers),
                makePost(101, by: 1, "Secret roadmap for @m3", visibility: .mentioned, mentions: [3]),
                makePost(102, by: 1, "Secret roadmap, public after all"),
                makePost(103, by: 5, "Secret roadmap from five"),
            ])
            _ = try await store.write { try await $0.network.follow(id: 1, follower: m(2), followee: m(1), at: at(0)) }
            let secret = words("secret", "roadmap")

            #expect(try await search(store, secret, viewer: 1) == [103, 102, 101, 100], "the author sees all of theirs")
            #expect(try await search(store, secret, viewer: 2) == [103, 102, 100], "a follower, not mentioned")
            #expect(try await search(store, secret, viewer: 3) == [103, 102, 101], "mentioned, not a follower")
            #expect(try await search(store, secret, viewer: 4) == [103, 102])
            #expect(try await search(store, secret, author: 1, viewer: 4) == [102])
            #expect(try await search(store, PostSearchQuery(), author: 1, viewer: 3) == [102, 101])

            // A block hides posts both ways.
            try await store.write { try await $0.network.setBlocked(true, member: m(4), target: m(1), at: at(1)) }
            #expect(try await search(store, secret, viewer: 4) == [103])
            #expect(try await search(store, secret, author: 1, viewer: 4).isEmpty)
            try await store.write { try await $0.network.setBlocked(true, member: m(1), target: m(5), at: at(1)) }
            #expect(try await search(store, secret, viewer: 1) == [102, 101, 100])
            #expect(try await search(store, secret, viewer: 5) == [103], "their own only: 1 blocks them")

            // A mute hides the author from a search of everyone, not from a search of their own posts.
            try await store.write { try await $0.network.setMuted(true, member: m(2), target: m(5), at: at(1)) }
            #expect(try await search(store, secret, viewer: 2) == [102, 100])
            #expect(try await search(store, secret, author: 5, viewer: 2) == [103])
        }
    }

    // MARK: - Order and paging

    @Test(arguments: Engine.enabled)
    func newestFirstAndPagedByCursor(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insertMembers(store, 1...2)
            try await insert(store, (Int64(100)...109).map { makePost($0, by: $0 % 2 + 1, "Flow note \($0)") })
            try await insert(store, [makePost(110, by: 1, "Something else")])
            let flow = words("flow")
            #expect(try await search(store, flow, CursorRange(limit: 40)) == Array((Int64(100)...109).reversed()))

            var seen: [Int64] = []
            var range = CursorRange(limit: 4)
            while true {
                let page = try await search(store, flow, range)
                #expect(page.count <= 4)
                if page.isEmpty { break }
                seen += page
                range = CursorRange(before: page.last, limit: 4)
            }
            #expect(seen == Array((Int64(100)...109).reversed()), "pages by before= meet every result once, newest first")

            #expect(try await search(store, flow, CursorRange(after: 106)) == [109, 108, 107])
            #expect(try await search(store, flow, CursorRange(nearestAfter: 103, limit: 2)) == [105, 104],
                "the results just after a cursor, still newest first")
            #expect(try await search(store, flow, CursorRange(before: 108, after: 103)) == [107, 106, 105, 104])
        }
    }

    // MARK: - Operators as plain text

    @Test(arguments: Engine.enabled)
    func fullTextOperatorsInTheInputNeverFail(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insertMembers(store, 1...1)
            try await insert(store, [
                makePost(100, by: 1, "Lean AND kaizen, NOT waste"),
                makePost(101, by: 1, "a*b = c: (d) \"quoted\" -minus NEAR(x y) col:umn ^caret"),
            ])
            let typed = [
                "\"", "\"\"", "\"unclosed", "*", "lean*", "AND", "lean AND", "AND lean", "OR", "NOT", "-", "-lean",
                "lean -kaizen", ":", "body:lean", "col:umn", "(", ")", "(lean", "lean)", "NEAR(lean kaizen)", "^lean",
                "+lean", "'", "lean's", "a\"b", "\\", "%", "_", "lean & kaizen", "lean | kaizen", "!lean", "<->",
                "lean <-> kaizen", "{", "}", "[", "]", "'; DROP TABLE posts; --", "\"lean\" AND \"kaizen\"",
                "\"*\"", "\"-\"", "\"(\"", "\":\"", "\"AND\"", "\"NEAR(\"", "from:@", "#", "#*", "#(", "from:@*",
            ]
            for text in typed {
                _ = try await search(store, PostSearchQuery.parse(text))
            }
            // The same characters where the parser would otherwise have removed them.
            let raw = PostSearchQuery(
                words: ["a*b", "and", "or", "not", "near", "c:d", "(e", "f\"g", "-h", "'", "\\"],
                phrases: ["x \" y", "NEAR(a b)", "*", "-", ":", "(", "a\"\"b"])
            _ = try await search(store, raw)
            _ = try await search(store, PostSearchQuery(phrases: ["\""]))

            // Operator words are ordinary words.
            #expect(try await search(store, PostSearchQuery.parse("lean AND kaizen")) == [100])
            #expect(try await search(store, PostSearchQuery.parse("NOT waste")) == [100])
            #expect(try await search(store, PostSearchQuery.parse("lean OR nothing")).isEmpty, "OR is a word, not an operator")
            #expect(try await search(store, PostSearchQuery.parse("lean -kaizen")) == [100], "- does not exclude")
            #expect(try await search(store, PostSearchQuery.parse("col:umn")) == [101])
            #expect(try await search(store, PostSearchQuery.parse("near")) == [101])
            #expect(try await search(store, PostSearchQuery.parse("\"quoted\" minus")) == [101])
            #expect(try await search(store, PostSearchQuery.parse("lean*")) == [100], "* is not a prefix operator")
            #expect(try await search(store, PostSearchQuery.parse("lea*")).isEmpty)
        }
    }

    // MARK: - Hashtags

    /// Hashtag counts are stored and kept by every write that adds or removes a tag: publishing (one by one
    /// and in bulk), editing, deleting, and members changing their subjects and expertise.
    @Test(arguments: Engine.enabled)
    func hashtagCountsFollowEditsDeletionsAndProfileChanges(engine: Engine) async throws {
        try await withStore(engine) { store in
            let ada = makeMember(1, handle: "ada", subjects: ["ops"], expertise: ["ops", "sre"])
            try await insertMembers(store, [ada, makeMember(2, handle: "bo", subjects: ["sre"])])
            let first = makePost(100, by: 1, "Runbooks #ops #sre")
            try await insert(store, [first])
            try await store.write { try await $0.posts.insertMany([makePost(101, by: 2, "Pager duty #sre"), makePost(102, by: 2, "#ops too")]) }
            func uses(_ prefix: String) async throws -> [String] {
                try await store.read { try await $0.search.hashtags(startingWith: prefix, limit: 10, offset: 0) }
                    .map { "\($0.tag) \($0.posts)/\($0.members)" }
            }
            // Ada lists "ops" twice and counts once for it.
            #expect(try await uses("s") == ["sre 2/2"])
            #expect(try await uses("o") == ["ops 2/1"])

            var edited = first
            edited.body = "Runbooks #oncall"
            edited.hashtags = PostText.hashtags(in: edited.body)
            let change = edited
            try await store.write {
                try await $0.posts.update(change, replacing: PostRevision(postID: p(100), body: first.body, replacedAt: at(500)))
            }
            #expect(try await uses("o") == ["ops 1/1", "oncall 1/0"])
            #expect(try await uses("s") == ["sre 1/2"])

            try await store.write { try await $0.posts.markDeleted(p(102), at: at(600)) }
            try await store.write { try await $0.posts.markDeleted(p(102), at: at(700)) }
            #expect(try await uses("o") == ["oncall 1/0", "ops 0/1"])

            var moved = ada
            moved.profile.subjects = ["security"]
            moved.profile.expertise = ["sre"]
            let profile = moved
            try await store.write { try await $0.members.update(profile) }
            // Nothing uses "ops" any more: it is no longer suggested.
            #expect(try await uses("o") == ["oncall 1/0"])
            #expect(try await uses("s") == ["sre 1/2", "security 0/1"])
        }
    }

    @Test(arguments: Engine.enabled)
    func hashtagsByPrefixCountPostsAndMembersMostUsedFirst(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insertMembers(store, [
                makeMember(1, handle: "m1", subjects: ["lean", "leadership"], expertise: ["lean"]),
                makeMember(2, handle: "m2", subjects: ["leadership"], expertise: ["learning"]),
                makeMember(3, handle: "m3", subjects: ["leadership"]),
                makeMember(4, handle: "m4", subjects: ["kaizen"]),
            ])
            try await insert(store, [
                makePost(100, by: 1, "#lean one"),
                makePost(101, by: 2, "#lean two"),
                makePost(102, by: 3, "#lean three #learning"),
                makePost(103, by: 1, "#leanstartup"),
                makePost(104, by: 1, "#kaizen"),
                makePost(105, by: 1, "#lean deleted"),
                makePost(106, by: 2, "#le_x underscore"),
                makePost(107, by: 2, "#LeanStartup again"),
            ])
            try await store.write { try await $0.posts.markDeleted(p(105), at: at(500)) }

            let found = try await store.read { try await $0.search.hashtags(startingWith: "le", limit: 10, offset: 0) }
            #expect(found == [
                HashtagUse(tag: "lean", posts: 3, members: 1),
                HashtagUse(tag: "leadership", posts: 0, members: 3),
                HashtagUse(tag: "leanstartup", posts: 2, members: 0),
                HashtagUse(tag: "learning", posts: 1, members: 1),
                HashtagUse(tag: "le_x", posts: 1, members: 0),
            ], "a member who lists a tag twice counts once; deleted posts do not count; ties by name")

            let limited = try await store.read { try await $0.search.hashtags(startingWith: "le", limit: 2, offset: 0) }
            // The next page by offset continues where the first stopped.
            let rest = try await store.read { try await $0.search.hashtags(startingWith: "le", limit: 10, offset: 2) }
            #expect(limited.map(\.tag) + rest.map(\.tag) == found.map(\.tag))
            #expect(limited.map(\.tag) == ["lean", "leadership"])
            #expect(try await store.read { try await $0.search.hashtags(startingWith: "lean", limit: 10, offset: 0) }.map(\.tag)
                == ["lean", "leanstartup"])
            #expect(try await store.read { try await $0.search.hashtags(startingWith: "kai", limit: 10, offset: 0) }
                == [HashtagUse(tag: "kaizen", posts: 1, members: 1)])
            // LIKE's wildcards are plain characters in a prefix.
            #expect(try await store.read { try await $0.search.hashtags(startingWith: "le_", limit: 10, offset: 0) }.map(\.tag) == ["le_x"])
            #expect(try await store.read { try await $0.search.hashtags(startingWith: "%", limit: 10, offset: 0) }.isEmpty)
            #expect(try await store.read { try await $0.search.hashtags(startingWith: "zz", limit: 10, offset: 0) }.isEmpty)
        }
    }
}
