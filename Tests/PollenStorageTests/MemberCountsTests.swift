import Foundation
import PollenCore
import PollenStorage
import Testing

// The follower, following and post counts are kept in `member_counts` by every write that changes them,
// not counted on read: each write path must add exactly what it changed, and nothing for a repeat.

/// A moment `minutes` after the start of 2026.
private func at(_ minutes: Int) -> Date {
    Date(timeIntervalSince1970: 1_767_225_600 + Double(minutes) * 60)
}

private func m(_ id: Int64) -> Member.ID { Member.ID(id) }

private func insertMembers(_ store: SQLStore, _ ids: ClosedRange<Int64>) async throws {
    try await store.write { try await $0.members.insertMany(ids.map { makeMember($0, handle: "m\($0)") }) }
}

/// The three counts alone; when each member last posted is checked in DiscoveryRepositoryTests.
private func counts(_ store: SQLStore, _ ids: [Int64]) async throws -> [Int64: NetworkCounts] {
    let found = try await store.read { try await $0.network.counts(for: ids.map(m)) }
    return Dictionary(uniqueKeysWithValues: found.map { key, value in
        var counts = value
        counts.lastPostedAt = nil
        return (key.rawValue, counts)
    })
}

private func follow(_ store: SQLStore, _ follower: Int64, _ followee: Int64, id: Int64) async throws -> Bool {
    try await store.write { try await $0.network.follow(id: id, follower: m(follower), followee: m(followee), at: at(0)) }
}

private func unfollow(_ store: SQLStore, _ follower: Int64, _ followee: Int64) async throws -> Bool {
    try await store.write { try await $0.network.unfollow(follower: m(follower), followee: m(followee)) }
}

/// A post written at minute `id`.
private func makePost(_ id: Int64, by author: Int64, deleted: Bool = false) -> Post {
    Post(
        id: Post.ID(id), authorID: m(author), body: "Post \(id)", visibility: .organization, createdAt: at(Int(id)),
        deletedAt: deleted ? at(Int(id) + 1) : nil)
}

private func mostFollowed(_ store: SQLStore, limit: Int) async throws -> [String] {
    try await store.read { try await $0.network.mostFollowed(limit: limit) }.map { "\($0.member.rawValue):\($0.followers)" }
}

@Suite struct MemberCountsTests {
    @Test(arguments: Engine.enabled)
    func followAndUnfollowCountOnlyWhatChanged(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insertMembers(store, 1...4)
            #expect(try await follow(store, 1, 2, id: 10))
            #expect(!(try await follow(store, 1, 2, id: 11)), "a repeat adds nothing")
            #expect(try await follow(store, 1, 3, id: 12))
            #expect(try await follow(store, 2, 3, id: 13))
            #expect(try await follow(store, 3, 1, id: 14))
            #expect(try await counts(store, [1, 2, 3, 4]) == [
                1: NetworkCounts(followers: 1, following: 2), 2: NetworkCounts(followers: 1, following: 1),
                3: NetworkCounts(followers: 2, following: 1), 4: NetworkCounts(),
            ])

            #expect(try await unfollow(store, 1, 3))
            #expect(!(try await unfollow(store, 1, 3)), "a second unfollow takes nothing more")
            #expect(!(try await unfollow(store, 1, 4)), "nor does unfollowing someone never followed")
            #expect(!(try await unfollow(store, 4, 1)))
            #expect(try await counts(store, [1, 2, 3, 4]) == [
                1: NetworkCounts(followers: 1, following: 1), 2: NetworkCounts(followers: 1, following: 1),
                3: NetworkCounts(followers: 1, following: 1), 4: NetworkCounts(),
            ])
            // Following again after an unfollow counts again.
            #expect(try await follow(store, 1, 3, id: 15))
            #expect(try await counts(store, [1, 3, 1]) == [
                1: NetworkCounts(followers: 1, following: 2), 3: NetworkCounts(followers: 2, following: 1),
            ])
        }
    }

    @Test(arguments: Engine.enabled)
    func bulkFollowsCountOnlyTheFollowsAdded(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insertMembers(store, 1...460)
            #expect(try await follow(store, 1, 2, id: 1))
            // An existing follow, a pair twice in one batch, and 450 members following 1, each twice: over
            // several statements of 400 rows, so repeats fall in the same statement and in later ones.
            var records = [
                FollowRecord(id: 10, follower: m(1), followee: m(2), at: at(1)),
                FollowRecord(id: 11, follower: m(1), followee: m(3), at: at(1)),
                FollowRecord(id: 12, follower: m(1), followee: m(3), at: at(2)),
                FollowRecord(id: 13, follower: m(2), followee: m(3), at: at(1)),
            ]
            for round in Int64(1)...2 {
                records += (Int64(11)...460).map { FollowRecord(id: 1000 * round + $0, follower: m($0), followee: m(1), at: at(3)) }
            }
            try await store.write { [records] in try await $0.network.insertFollows(records) }
            let expected: [Int64: NetworkCounts] = [
                1: NetworkCounts(followers: 450, following: 2), 2: NetworkCounts(followers: 1, following: 1),
                3: NetworkCounts(followers: 2), 11: NetworkCounts(following: 1), 460: NetworkCounts(following: 1),
            ]
            #expect(try await counts(store, [1, 2, 3, 11, 460]) == expected)

            // Importing the same follows again changes nothing.
            try await store.write { [records] in try await $0.network.insertFollows(records) }
            #expect(try await counts(store, [1, 2, 3, 11, 460]) == expected)
            // The counts agree with the follows themselves.
            let listed = try await store.read { try await $0.network.followers(of: m(1), range: CursorRange(limit: 1000)) }
            #expect(listed.count == 450)
        }
    }

    @Test(arguments: Engine.enabled)
    func postsCountUntilDeletedOnce(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insertMembers(store, 1...4)
            try await store.write { repos in
                try await repos.posts.insert(makePost(100, by: 1))
                try await repos.posts.insert(makePost(101, by: 1, deleted: true))
                try await repos.posts.insertMany([
                    makePost(110, by: 2), makePost(111, by: 2), makePost(112, by: 2, deleted: true), makePost(113, by: 3),
                ])
                // Over one statement of 200 rows.
                try await repos.posts.insertMany((Int64(1000)..<1250).map { makePost($0, by: 4, deleted: $0 % 10 == 0) })
            }
            #expect(try await counts(store, [1, 2, 3, 4]) == [
                1: NetworkCounts(posts: 1), 2: NetworkCounts(posts: 2), 3: NetworkCounts(posts: 1), 4: NetworkCounts(posts: 225),
            ], "posts stored as deleted do not count")

            // Deleting twice takes one off; deleting a post stored as deleted, or none, takes nothing.
            for minute in [500, 600] {
                try await store.write { try await $0.posts.markDeleted(Post.ID(110), at: at(minute)) }
            }
            try await store.write { repos in
                try await repos.posts.markDeleted(Post.ID(112), at: at(500))
                try await repos.posts.markDeleted(Post.ID(101), at: at(500))
                try await repos.posts.markDeleted(Post.ID(999), at: at(500))
            }
            #expect(try await counts(store, [1, 2, 3, 4]) == [
                1: NetworkCounts(posts: 1), 2: NetworkCounts(posts: 1), 3: NetworkCounts(posts: 1), 4: NetworkCounts(posts: 225),
            ])
            // The deleted post keeps its first deletion time: the repeat left it alone.
            #expect(try await store.read { try await $0.posts.find(id: Post.ID(110)) }?.deletedAt == at(500))
        }
    }

    @Test(arguments: Engine.enabled)
    func followsAndPostsKeepSeparateCounts(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insertMembers(store, 1...2)
            #expect(try await follow(store, 1, 2, id: 10))
            try await store.write { try await $0.posts.insert(makePost(100, by: 2)) }
            #expect(try await unfollow(store, 1, 2))
            try await store.write { try await $0.posts.insert(makePost(101, by: 1)) }
            #expect(try await counts(store, [1, 2]) == [1: NetworkCounts(posts: 1), 2: NetworkCounts(posts: 1)])
        }
    }

    @Test(arguments: Engine.enabled)
    func mostFollowedComesMostFirstThenEarlierMember(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insertMembers(store, 1...6)
            #expect(try await mostFollowed(store, limit: 3).isEmpty)
            // 4 has three followers; 2 and 5 two each; 3 one; 1 and 6 none.
            let pairs: [(Int64, Int64)] = [(1, 4), (2, 4), (3, 4), (1, 5), (6, 5), (6, 2), (1, 2), (4, 3)]
            try await store.write { repos in
                try await repos.network.insertFollows(pairs.enumerated().map {
                    FollowRecord(id: Int64(10 + $0.offset), follower: m($0.element.0), followee: m($0.element.1), at: at($0.offset))
                })
            }
            #expect(try await mostFollowed(store, limit: 10) == ["4:3", "2:2", "5:2", "3:1"])
            #expect(try await mostFollowed(store, limit: 2) == ["4:3", "2:2"])
            // An unfollow reorders them.
            #expect(try await unfollow(store, 2, 4))
            #expect(try await unfollow(store, 3, 4))
            #expect(try await mostFollowed(store, limit: 3) == ["2:2", "5:2", "3:1"])
        }
    }
}
