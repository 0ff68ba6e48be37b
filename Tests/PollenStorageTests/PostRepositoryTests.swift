import Foundation
import PollenCore
import PollenStorage
import Testing

/// A moment `minutes` after the start of 2026, whole milliseconds so it survives the round trip.
private func at(_ minutes: Int) -> Date {
    Date(timeIntervalSince1970: 1_767_225_600 + Double(minutes) * 60)
}

private func m(_ id: Int64) -> Member.ID { Member.ID(id) }
private func p(_ id: Int64) -> Post.ID { Post.ID(id) }

/// A post written at minute `id`, so ids and times go up together as they do with the real id generator.
private func makePost(
    _ id: Int64, by author: Int64, _ body: String = "", visibility: Post.Visibility = .organization,
    replyTo: (post: Int64, author: Int64)? = nil, root: Int64? = nil, reshareOf: Int64? = nil, tags: [String] = [],
    mentions: [Int64] = []
) -> Post {
    Post(
        id: p(id), authorID: m(author), body: body.isEmpty && reshareOf == nil ? "Post \(id)" : body,
        visibility: visibility, replyToID: replyTo.map { p($0.post) }, replyToAuthorID: replyTo.map { m($0.author) },
        threadRootID: root.map(p), reshareOfID: reshareOf.map(p), hashtags: tags, mentionIDs: mentions.map(m),
        createdAt: at(Int(id)))
}

private func insertMembers(_ store: SQLStore, _ ids: ClosedRange<Int64>) async throws {
    try await store.write { try await $0.members.insertMany(ids.map { makeMember($0, handle: "m\($0)") }) }
}

private func insert(_ store: SQLStore, _ posts: [Post]) async throws {
    try await store.write { repos in
        for post in posts { try await repos.posts.insert(post) }
    }
}

private func find(_ store: SQLStore, _ id: Int64) async throws -> Post? {
    try await store.read { try await $0.posts.find(id: p(id)) }
}

/// The ids of a timeline, newest first.
private func timeline(
    _ store: SQLStore, _ source: TimelineSource, viewer: Int64, _ range: CursorRange = CursorRange()
) async throws -> [Int64] {
    try await store.read { try await $0.posts.timeline(source, viewer: m(viewer), range: range) }.map(\.post.id.rawValue)
}

private func follow(_ store: SQLStore, _ follower: Int64, _ followee: Int64, id: Int64) async throws {
    _ = try await store.write { try await $0.network.follow(id: id, follower: m(follower), followee: m(followee), at: at(0)) }
}

@Suite struct PostRepositoryTests {
    // MARK: - Storing and reading

    @Test(arguments: Engine.enabled)
    func insertAndFindKeepEveryField(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insertMembers(store, 1...3)
            let root = Post(
                id: p(100), authorID: m(1), body: "Lean #Supply-Chain notes for @m2 and @m3\n\nSecond *paragraph*",
                visibility: .followers, hashtags: ["supply-chain", "lean"], mentionIDs: [m(2), m(3)], createdAt: at(1),
                counts: Post.Counts(replies: 4, reshares: 5, favourites: 6))
            let reply = Post(
                id: p(101), authorID: m(2), body: "A reply", visibility: .mentioned, replyToID: p(100),
                replyToAuthorID: m(1), threadRootID: p(100), mentionIDs: [m(1)], createdAt: at(2), editedAt: at(3))
            let reshare = Post(
                id: p(102), authorID: m(3), body: "", visibility: .organization, reshareOfID: p(100), createdAt: at(4),
                deletedAt: at(5))
            try await insert(store, [root, reply, reshare])

            #expect(try await find(store, 100) == root)
            #expect(try await find(store, 101) == reply)
            #expect(try await find(store, 102) == reshare)
            #expect(try await find(store, 999) == nil)
            let found = try #require(try await find(store, 100))
            #expect(found.threadRootID == p(100), "a post that starts a thread is its own root")
            #expect(found.replyToID == nil && found.reshareOfID == nil && found.editedAt == nil && found.deletedAt == nil)
            #expect(found.counts == Post.Counts(replies: 4, reshares: 5, favourites: 6))

            let several = try await store.read { try await $0.posts.find(ids: [p(102), p(999), p(100), p(101)]) }
            #expect(several.sorted { $0.id < $1.id } == [root, reply, reshare], "unknown ids are left out")
            #expect(try await store.read { try await $0.posts.find(ids: []) }.isEmpty)
        }
    }

    @Test(arguments: Engine.enabled)
    func updateKeepsARevisionAndReplacesTagsAndMentions(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insertMembers(store, 1...4)
            let original = makePost(100, by: 1, "First #swift for @m2", visibility: .mentioned, tags: ["swift"], mentions: [2])
            try await insert(store, [original])
            #expect(try await timeline(store, .hashtag("swift"), viewer: 1) == [100])
            #expect(try await timeline(store, .author(m(1)), viewer: 2) == [100])
            #expect(try await timeline(store, .author(m(1)), viewer: 3).isEmpty)

            var edited = original
            edited.body = "Second #kotlin for @m3"
            edited.hashtags = ["kotlin"]
            edited.mentionIDs = [m(3)]
            edited.editedAt = at(200)
            try await store.write { [edited] in
                try await $0.posts.update(edited, replacing: PostRevision(postID: p(100), body: original.body, replacedAt: at(200)))
            }
            var third = edited
            third.body = "Third #kotlin #ethics for @m3 and @m4"
            third.hashtags = ["kotlin", "ethics"]
            third.mentionIDs = [m(3), m(4)]
            third.editedAt = at(300)
            try await store.write { [edited, third] in
                try await $0.posts.update(third, replacing: PostRevision(postID: p(100), body: edited.body, replacedAt: at(300)))
            }

            #expect(try await find(store, 100) == third)
            let revisions = try await store.read { try await $0.posts.revisions(of: p(100)) }
            #expect(revisions == [
                PostRevision(postID: p(100), body: "First #swift for @m2", replacedAt: at(200)),
                PostRevision(postID: p(100), body: "Second #kotlin for @m3", replacedAt: at(300)),
            ])
            #expect(try await store.read { try await $0.posts.revisions(of: p(999)) }.isEmpty)

            // The hashtags and mentions that decide who finds the post are the new ones.
            #expect(try await timeline(store, .hashtag("swift"), viewer: 1).isEmpty)
            #expect(try await timeline(store, .hashtag("kotlin"), viewer: 1) == [100])
            #expect(try await timeline(store, .hashtag("ethics"), viewer: 1) == [100])
            #expect(try await timeline(store, .author(m(1)), viewer: 2).isEmpty, "no longer mentioned")
            #expect(try await timeline(store, .author(m(1)), viewer: 3) == [100])
            #expect(try await timeline(store, .author(m(1)), viewer: 4) == [100])
        }
    }

    @Test(arguments: Engine.enabled)
    func markDeletedHidesThePostFromEveryTimelineButKeepsIt(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insertMembers(store, 1...2)
            try await insert(store, [
                makePost(100, by: 1, "Keep #swift", tags: ["swift"]),
                makePost(101, by: 1, "Remove #swift", tags: ["swift"]),
                makePost(102, by: 2, "Reply", replyTo: (101, 1), root: 101),
            ])
            try await follow(store, 2, 1, id: 10)
            try await store.write { try await $0.posts.markDeleted(p(101), at: at(500)) }

            for viewer in Int64(1)...2 {
                #expect(try await timeline(store, .organization, viewer: viewer) == [102, 100])
                #expect(try await timeline(store, .author(m(1)), viewer: viewer) == [100])
                #expect(try await timeline(store, .hashtag("swift"), viewer: viewer) == [100])
            }
            #expect(try await timeline(store, .home(m(2)), viewer: 2) == [102, 100])
            // Still there for its thread, where replies hang under a placeholder.
            let deleted = try #require(try await find(store, 101))
            #expect(deleted.deletedAt == at(500))
            #expect(deleted.isDeleted)
            #expect(try await store.read { try await $0.posts.thread(root: p(101)) }.map(\.id) == [p(101), p(102)])
        }
    }

    @Test(arguments: Engine.enabled)
    func threadListsEveryPostOfOneThreadOldestFirst(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insertMembers(store, 1...3)
            try await insert(store, [
                makePost(100, by: 1),
                makePost(101, by: 2, replyTo: (100, 1), root: 100),
                makePost(102, by: 1, "Another thread"),
                makePost(103, by: 3, replyTo: (101, 2), root: 100),
                makePost(104, by: 1, replyTo: (100, 1), root: 100, mentions: []),
                makePost(105, by: 2, replyTo: (102, 1), root: 102),
            ])
            try await store.write { try await $0.posts.markDeleted(p(103), at: at(600)) }
            let thread = try await store.read { try await $0.posts.thread(root: p(100)) }
            #expect(thread.map(\.id.rawValue) == [100, 101, 103, 104])
            #expect(thread.allSatisfy { $0.threadRootID == p(100) })
            #expect(thread[2].isDeleted, "deleted posts stay in the thread")
            #expect(try await store.read { try await $0.posts.thread(root: p(102)) }.map(\.id.rawValue) == [102, 105])
            #expect(try await store.read { try await $0.posts.thread(root: p(999)) }.isEmpty)
        }
    }

    @Test(arguments: Engine.enabled)
    func reshareOfFindsTheMembersStandingReshare(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insertMembers(store, 1...3)
            try await insert(store, [makePost(100, by: 1), makePost(101, by: 1)])
            func reshare(of original: Int64, by member: Int64) async throws -> Int64? {
                try await store.read { try await $0.posts.reshare(of: p(original), by: m(member)) }?.id.rawValue
            }
            #expect(try await reshare(of: 100, by: 2) == nil)

            try await insert(store, [
                makePost(110, by: 2, reshareOf: 100),
                makePost(111, by: 2, "With a comment", reshareOf: 100),
                makePost(112, by: 3, reshareOf: 101),
            ])
            #expect(try await reshare(of: 100, by: 2) == 110, "the plain reshare comes before one with commentary")
            #expect(try await reshare(of: 101, by: 2) == nil)
            #expect(try await reshare(of: 100, by: 3) == nil)
            #expect(try await reshare(of: 101, by: 3) == 112)
            let found = try #require(try await store.read { try await $0.posts.reshare(of: p(100), by: m(2)) })
            #expect(found.reshareOfID == p(100))
            #expect(found.body == "")

            try await store.write { try await $0.posts.markDeleted(p(110), at: at(700)) }
            #expect(try await reshare(of: 100, by: 2) == 111, "a withdrawn reshare no longer stands")
            try await store.write { try await $0.posts.markDeleted(p(111), at: at(701)) }
            #expect(try await reshare(of: 100, by: 2) == nil)
        }
    }

    @Test(arguments: Engine.enabled)
    func adjustCountsAddsToEachCount(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insertMembers(store, 1...1)
            try await insert(store, [makePost(100, by: 1), makePost(101, by: 1)])
            try await store.write { repos in
                try await repos.posts.adjustCounts(p(100), replies: 1, reshares: 0, favourites: 0)
                try await repos.posts.adjustCounts(p(100), replies: 2, reshares: 3, favourites: 4)
                try await repos.posts.adjustCounts(p(100), replies: -1, reshares: -1, favourites: 0)
            }
            #expect(try await find(store, 100)?.counts == Post.Counts(replies: 2, reshares: 2, favourites: 4))
            #expect(try await find(store, 101)?.counts == Post.Counts(), "other posts are untouched")
        }
    }

    // MARK: - Favourites and bookmarks

    @Test(arguments: Engine.enabled)
    func favouritesAndBookmarksAreTrueOnceThenFalse(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insertMembers(store, 1...2)
            try await insert(store, [makePost(100, by: 1)])
            // Repeats in one transaction leave it usable (PostgreSQL aborts a transaction on an error).
            let marked = try await store.write { repos in
                [
                    try await repos.posts.favourite(p(100), by: m(2), id: 10, at: at(1)),
                    try await repos.posts.favourite(p(100), by: m(2), id: 11, at: at(2)),
                    try await repos.posts.favourite(p(100), by: m(1), id: 12, at: at(3)),
                    try await repos.posts.bookmark(p(100), by: m(2), id: 20, at: at(4)),
                    try await repos.posts.bookmark(p(100), by: m(2), id: 21, at: at(5)),
                ]
            }
            #expect(marked == [true, false, true, true, false])
            let favourites = try await store.read { try await $0.posts.favourited(by: m(2), range: CursorRange()) }
            #expect(favourites.map(\.cursor) == [10], "the repeat kept the first mark")
            #expect(try await store.read { try await $0.posts.bookmarked(by: m(2), range: CursorRange()) }.map(\.cursor) == [20])

            let unmarked = try await store.write { repos in
                [
                    try await repos.posts.unfavourite(p(100), by: m(2)),
                    try await repos.posts.unfavourite(p(100), by: m(2)),
                    try await repos.posts.unbookmark(p(100), by: m(2)),
                    try await repos.posts.unbookmark(p(100), by: m(2)),
                    try await repos.posts.unbookmark(p(100), by: m(1)),
                    try await repos.posts.unfavourite(p(999), by: m(1)),
                ]
            }
            #expect(unmarked == [true, false, true, false, false, false])
            #expect(try await store.read { try await $0.posts.marks(of: m(2), on: [p(100)]) } == PostMarks())
            #expect(try await store.read { try await $0.posts.marks(of: m(1), on: [p(100)]) } == PostMarks(favourited: [p(100)]))
            // Marking again after removing works.
            #expect(try await store.write { try await $0.posts.bookmark(p(100), by: m(2), id: 30, at: at(9)) })
        }
    }

    @Test(arguments: Engine.enabled)
    func marksReportFavouritesBookmarksAndStandingReshares(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insertMembers(store, 1...3)
            try await insert(store, [
                makePost(100, by: 1), makePost(101, by: 1), makePost(102, by: 1), makePost(103, by: 1),
                makePost(110, by: 2, reshareOf: 102), makePost(111, by: 2, reshareOf: 103),
                makePost(112, by: 3, reshareOf: 100),
            ])
            try await store.write { repos in
                _ = try await repos.posts.favourite(p(100), by: m(2), id: 10, at: at(1))
                _ = try await repos.posts.favourite(p(101), by: m(2), id: 11, at: at(1))
                _ = try await repos.posts.bookmark(p(101), by: m(2), id: 12, at: at(1))
                _ = try await repos.posts.bookmark(p(102), by: m(3), id: 13, at: at(1))
                _ = try await repos.posts.favourite(p(103), by: m(3), id: 14, at: at(1))
                try await repos.posts.markDeleted(p(111), at: at(2))
            }
            let marks = try await store.read { try await $0.posts.marks(of: m(2), on: [p(100), p(101), p(102), p(103), p(100)]) }
            #expect(marks == PostMarks(favourited: [p(100), p(101)], bookmarked: [p(101)], reshared: [p(102)]))
            // Only the posts asked about.
            let some = try await store.read { try await $0.posts.marks(of: m(2), on: [p(101)]) }
            #expect(some == PostMarks(favourited: [p(101)], bookmarked: [p(101)]))
            let third = try await store.read { try await $0.posts.marks(of: m(3), on: [p(100), p(101), p(102), p(103)]) }
            #expect(third == PostMarks(favourited: [p(103)], bookmarked: [p(102)], reshared: [p(100)]))
            #expect(try await store.read { try await $0.posts.marks(of: m(1), on: [p(100), p(101)]) } == PostMarks())
            #expect(try await store.read { try await $0.posts.marks(of: m(2), on: []) } == PostMarks())
        }
    }

    @Test(arguments: Engine.enabled)
    func bookmarksAndFavouritesPageNewestMarkFirst(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insertMembers(store, 1...3)
            try await insert(store, (Int64(100)...105).map { makePost($0, by: 1) })
            // Marked in an order unlike the posts' own, so the list follows the marks.
            let order: [Int64] = [103, 100, 105, 101, 104, 102]
            try await store.write { repos in
                for (index, post) in order.enumerated() {
                    _ = try await repos.posts.bookmark(p(post), by: m(2), id: Int64(500 + index), at: at(10 + index))
                    _ = try await repos.posts.favourite(p(post), by: m(2), id: Int64(600 + index), at: at(10 + index))
                }
                _ = try await repos.posts.bookmark(p(100), by: m(3), id: 700, at: at(30))
                _ = try await repos.posts.favourite(p(101), by: m(3), id: 701, at: at(30))
            }
            func bookmarks(_ range: CursorRange) async throws -> [PostEntry] {
                try await store.read { try await $0.posts.bookmarked(by: m(2), range: range) }
            }
            func favourites(_ range: CursorRange) async throws -> [PostEntry] {
                try await store.read { try await $0.posts.favourited(by: m(2), range: range) }
            }
            let all = try await bookmarks(CursorRange())
            #expect(all.map(\.post.id.rawValue) == [102, 104, 101, 105, 100, 103])
            #expect(all.map(\.cursor) == [505, 504, 503, 502, 501, 500])
            #expect(all.first?.post == makePost(102, by: 1))
            #expect(try await favourites(CursorRange()).map(\.cursor) == [605, 604, 603, 602, 601, 600])
            #expect(try await favourites(CursorRange()).map(\.post.id.rawValue) == [102, 104, 101, 105, 100, 103])

            #expect(try await bookmarks(CursorRange(limit: 2)).map(\.post.id.rawValue) == [102, 104])
            #expect(try await bookmarks(CursorRange(before: 504, limit: 2)).map(\.post.id.rawValue) == [101, 105])
            #expect(try await bookmarks(CursorRange(after: 502, limit: 40)).map(\.cursor) == [505, 504, 503])
            #expect(try await bookmarks(CursorRange(nearestAfter: 501, limit: 2)).map(\.cursor) == [503, 502])
            #expect(try await favourites(CursorRange(before: 602, limit: 40)).map(\.post.id.rawValue) == [100, 103])

            // Deleted posts drop out; other members' marks never show.
            try await store.write { try await $0.posts.markDeleted(p(101), at: at(40)) }
            #expect(try await bookmarks(CursorRange()).map(\.post.id.rawValue) == [102, 104, 105, 100, 103])
            #expect(try await store.read { try await $0.posts.bookmarked(by: m(3), range: CursorRange()) }.map(\.cursor) == [700])
            #expect(try await store.read { try await $0.posts.favourited(by: m(3), range: CursorRange()) }.isEmpty)
            #expect(try await store.read { try await $0.posts.bookmarked(by: m(1), range: CursorRange()) }.isEmpty)
        }
    }

    // MARK: - Timelines

    /// Member 1 follows member 2 and the hashtag `swift`; member 3 is followed by nobody; member 4 follows 1.
    private static func seedTimelines(_ store: SQLStore) async throws {
        try await insertMembers(store, 1...4)
        try await follow(store, 1, 2, id: 10)
        try await follow(store, 4, 1, id: 11)
        _ = try await store.write { try await $0.network.followTag(id: 20, member: m(1), tag: "swift", at: at(0)) }
        try await insert(store, [
            makePost(100, by: 1, "Mine"),
            makePost(101, by: 2, "Followed"),
            makePost(102, by: 3, "About #swift", tags: ["swift"]),
            makePost(103, by: 3, "About #kotlin", tags: ["kotlin"]),
            makePost(104, by: 4, "Someone else"),
            makePost(105, by: 2, "For followers", visibility: .followers),
            makePost(106, by: 3, "Reply to a followed member", replyTo: (101, 2), root: 101),
            makePost(107, by: 2, reshareOf: 103),
            makePost(108, by: 1, "Mine for followers #swift", visibility: .followers, tags: ["swift"]),
        ])
    }

    @Test(arguments: Engine.enabled)
    func homeHoldsOwnFollowedAuthorsAndFollowedHashtags(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await Self.seedTimelines(store)
            #expect(try await timeline(store, .home(m(1)), viewer: 1) == [108, 107, 105, 102, 101, 100])
            // Member 4 follows member 1 only, so sees 1's followers-only post too.
            #expect(try await timeline(store, .home(m(4)), viewer: 4) == [108, 104, 100])
            // Member 3 follows nobody and no hashtag.
            #expect(try await timeline(store, .home(m(3)), viewer: 3) == [106, 103, 102])

            // Unfollowing the hashtag drops what came only through it.
            _ = try await store.write { try await $0.network.unfollowTag(member: m(1), tag: "swift") }
            #expect(try await timeline(store, .home(m(1)), viewer: 1) == [108, 107, 105, 101, 100])
        }
    }

    @Test(arguments: Engine.enabled)
    func organizationHashtagAndAuthorTimelines(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await Self.seedTimelines(store)
            // Only posts for the whole organization, also for followers of their authors.
            #expect(try await timeline(store, .organization, viewer: 1) == [107, 106, 104, 103, 102, 101, 100])
            #expect(try await timeline(store, .organization, viewer: 3) == [107, 106, 104, 103, 102, 101, 100])
            #expect(try await timeline(store, .hashtag("swift"), viewer: 3) == [102])
            #expect(try await timeline(store, .hashtag("swift"), viewer: 4) == [108, 102])
            #expect(try await timeline(store, .hashtag("swift"), viewer: 1) == [108, 102])
            #expect(try await timeline(store, .hashtag("kotlin"), viewer: 1) == [103])
            #expect(try await timeline(store, .hashtag("nothing"), viewer: 1).isEmpty)
            #expect(try await timeline(store, .author(m(2)), viewer: 1) == [107, 105, 101])
            #expect(try await timeline(store, .author(m(2)), viewer: 3) == [107, 101])
            #expect(try await timeline(store, .author(m(3)), viewer: 1) == [106, 103, 102])

            let entries = try await store.read { try await $0.posts.timeline(.author(m(2)), viewer: m(1), range: CursorRange()) }
            #expect(entries.map(\.cursor) == [107, 105, 101], "timelines page by the post's id")
            #expect(entries.first?.post == makePost(107, by: 2, reshareOf: 103))
        }
    }

    @Test(arguments: Engine.enabled)
    func visibilityDecidesWhoSeesAPost(engine: Engine) async throws {
        try await withStore(engine) { store in
            // 1 writes; 2 follows 1; 3 is mentioned; 4 is mentioned in a followers-only post; 5 is nobody.
            try await insertMembers(store, 1...5)
            try await follow(store, 2, 1, id: 10)
            try await insert(store, [
                makePost(100, by: 1, "Everyone"),
                makePost(101, by: 1, "Followers", visibility: .followers),
                makePost(102, by: 1, "Only @m3", visibility: .mentioned, mentions: [3]),
                makePost(103, by: 1, "Followers and @m4", visibility: .followers, mentions: [4]),
            ])
            #expect(try await timeline(store, .author(m(1)), viewer: 1) == [103, 102, 101, 100])
            #expect(try await timeline(store, .author(m(1)), viewer: 2) == [103, 101, 100])
            #expect(try await timeline(store, .author(m(1)), viewer: 3) == [102, 100])
            #expect(try await timeline(store, .author(m(1)), viewer: 4) == [103, 100])
            #expect(try await timeline(store, .author(m(1)), viewer: 5) == [100])
            #expect(try await timeline(store, .home(m(2)), viewer: 2) == [103, 101, 100])

            // Following later opens the followers-only posts; unfollowing closes them again.
            try await follow(store, 5, 1, id: 11)
            #expect(try await timeline(store, .author(m(1)), viewer: 5) == [103, 101, 100])
            _ = try await store.write { try await $0.network.unfollow(follower: m(5), followee: m(1)) }
            #expect(try await timeline(store, .author(m(1)), viewer: 5) == [100])
        }
    }

    @Test(arguments: Engine.enabled)
    func blocksEitherWayHidePosts(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insertMembers(store, 1...3)
            try await follow(store, 1, 2, id: 10)
            try await follow(store, 2, 1, id: 11)
            _ = try await store.write { try await $0.network.followTag(id: 20, member: m(1), tag: "swift", at: at(0)) }
            try await insert(store, [
                makePost(100, by: 1, "From 1 #swift", tags: ["swift"]),
                makePost(101, by: 2, "From 2 #swift", tags: ["swift"]),
                makePost(102, by: 3, "From 3 #swift", tags: ["swift"]),
            ])
            #expect(try await timeline(store, .home(m(1)), viewer: 1) == [102, 101, 100])
            try await store.write { try await $0.network.setBlocked(true, member: m(1), target: m(2), at: at(1)) }

            // The blocker and the blocked see nothing of each other, on every timeline.
            #expect(try await timeline(store, .author(m(2)), viewer: 1).isEmpty)
            #expect(try await timeline(store, .author(m(1)), viewer: 2).isEmpty)
            #expect(try await timeline(store, .organization, viewer: 1) == [102, 100])
            #expect(try await timeline(store, .organization, viewer: 2) == [102, 101])
            #expect(try await timeline(store, .hashtag("swift"), viewer: 1) == [102, 100])
            #expect(try await timeline(store, .hashtag("swift"), viewer: 2) == [102, 101])
            #expect(try await timeline(store, .home(m(1)), viewer: 1) == [102, 100])
            #expect(try await timeline(store, .home(m(2)), viewer: 2) == [101])
            // Nobody else is affected.
            #expect(try await timeline(store, .organization, viewer: 3) == [102, 101, 100])

            try await store.write { try await $0.network.setBlocked(false, member: m(1), target: m(2), at: at(2)) }
            #expect(try await timeline(store, .author(m(2)), viewer: 1) == [101])
        }
    }

    @Test(arguments: Engine.enabled)
    func mutesHidePostsExceptOnTheAuthorsTimeline(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insertMembers(store, 1...3)
            try await follow(store, 1, 2, id: 10)
            _ = try await store.write { try await $0.network.followTag(id: 20, member: m(1), tag: "swift", at: at(0)) }
            try await insert(store, [
                makePost(100, by: 1, "From 1 #swift", tags: ["swift"]),
                makePost(101, by: 2, "From 2 #swift", tags: ["swift"]),
                makePost(102, by: 3, "From 3 #swift", tags: ["swift"]),
            ])
            try await store.write { try await $0.network.setMuted(true, member: m(1), target: m(2), at: at(1)) }
            #expect(try await timeline(store, .home(m(1)), viewer: 1) == [102, 100])
            #expect(try await timeline(store, .organization, viewer: 1) == [102, 100])
            #expect(try await timeline(store, .hashtag("swift"), viewer: 1) == [102, 100])
            #expect(try await timeline(store, .author(m(2)), viewer: 1) == [101], "a muted member's own page still shows")
            // A mute is one-sided and private.
            #expect(try await timeline(store, .organization, viewer: 2) == [102, 101, 100])
            #expect(try await timeline(store, .organization, viewer: 3) == [102, 101, 100])

            try await store.write { try await $0.network.setMuted(false, member: m(1), target: m(2), at: at(2)) }
            #expect(try await timeline(store, .home(m(1)), viewer: 1) == [102, 101, 100])
        }
    }

    @Test(arguments: Engine.enabled)
    func timelinesPageByCursor(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insertMembers(store, 1...2)
            try await insert(store, (Int64(101)...108).map { makePost($0, by: 1) } + [makePost(109, by: 2)])
            func ids(_ range: CursorRange) async throws -> [Int64] {
                try await timeline(store, .author(m(1)), viewer: 2, range)
            }
            #expect(try await ids(CursorRange()) == [108, 107, 106, 105, 104, 103, 102, 101])
            #expect(try await ids(CursorRange(limit: 3)) == [108, 107, 106])
            #expect(try await ids(CursorRange(before: 106, limit: 2)) == [105, 104])
            #expect(try await ids(CursorRange(before: 102, limit: 40)) == [101])
            #expect(try await ids(CursorRange(before: 101, limit: 40)).isEmpty)
            #expect(try await ids(CursorRange(after: 105, limit: 40)) == [108, 107, 106])
            #expect(try await ids(CursorRange(after: 105, limit: 2)) == [108, 107])
            #expect(try await ids(CursorRange(after: 108, limit: 40)).isEmpty)
            #expect(try await ids(CursorRange(nearestAfter: 103, limit: 2)) == [105, 104])
            #expect(try await ids(CursorRange(nearestAfter: 100, limit: 3)) == [103, 102, 101])
            #expect(try await ids(CursorRange(nearestAfter: 106, limit: 40)) == [108, 107])
            #expect(try await ids(CursorRange(before: 107, after: 103, limit: 40)) == [106, 105, 104])
            #expect(try await ids(CursorRange(before: 107, after: 103, limit: 2)) == [106, 105])

            // Walking the organization timeline three at a time sees every post once.
            var seen: [Int64] = []
            var before: Int64? = nil
            while true {
                let page = try await timeline(store, .organization, viewer: 1, CursorRange(before: before, limit: 3))
                if page.isEmpty { break }
                seen += page
                before = page.last
            }
            #expect(seen == Array((Int64(101)...109).reversed()))
        }
    }
}

extension PostRepositoryTests {
    /// A reshare passes on another member's post: it is left out wherever that post could not be shown.
    @Test(arguments: Engine.enabled)
    func resharesFollowTheOriginalsBlocksMutesAndDeletion(engine: Engine) async throws {
        try await withStore(engine) { store in
            // 1 reads and follows 3; 2 writes; 3 reshares 2's posts; 4 writes too.
            try await insertMembers(store, 1...4)
            try await follow(store, 1, 3, id: 10)
            try await insert(store, [
                makePost(100, by: 2, "By 2"), makePost(101, by: 4, "By 4"), makePost(102, by: 4, "Also by 4"),
                makePost(110, by: 3, reshareOf: 100), makePost(111, by: 3, reshareOf: 101),
                makePost(112, by: 3, "Commentary", reshareOf: 102),
            ])
            #expect(try await timeline(store, .home(m(1)), viewer: 1) == [112, 111, 110])
            #expect(try await timeline(store, .author(m(3)), viewer: 1) == [112, 111, 110])

            // 2 blocks 1: 1 sees none of 2's posts, passed on or not.
            try await store.write { try await $0.network.setBlocked(true, member: m(2), target: m(1), at: at(1)) }
            #expect(try await timeline(store, .home(m(1)), viewer: 1) == [112, 111])
            #expect(try await timeline(store, .organization, viewer: 1) == [112, 111, 102, 101])
            #expect(try await timeline(store, .author(m(3)), viewer: 1) == [112, 111])
            #expect(try await timeline(store, .organization, viewer: 4) == [112, 111, 110, 102, 101, 100])
            try await store.write { try await $0.network.setBlocked(false, member: m(2), target: m(1), at: at(2)) }
            // 1 blocks 2: the same.
            try await store.write { try await $0.network.setBlocked(true, member: m(1), target: m(2), at: at(3)) }
            #expect(try await timeline(store, .home(m(1)), viewer: 1) == [112, 111])
            try await store.write { try await $0.network.setBlocked(false, member: m(1), target: m(2), at: at(4)) }

            // 1 mutes 4: reshares of 4's posts leave 1's timelines, but not the resharer's own page.
            try await store.write { try await $0.network.setMuted(true, member: m(1), target: m(4), at: at(5)) }
            #expect(try await timeline(store, .home(m(1)), viewer: 1) == [110])
            #expect(try await timeline(store, .author(m(3)), viewer: 1) == [112, 111, 110])
            try await store.write { try await $0.network.setMuted(false, member: m(1), target: m(4), at: at(6)) }

            // A deleted original takes its reshares along.
            try await store.write { try await $0.posts.markDeleted(p(101), at: at(7)) }
            #expect(try await timeline(store, .home(m(1)), viewer: 1) == [112, 110])
            #expect(try await timeline(store, .author(m(3)), viewer: 1) == [112, 110])
            #expect(try await timeline(store, .organization, viewer: 4) == [112, 110, 102, 100])
        }
    }
}
