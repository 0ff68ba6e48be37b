import Foundation
import PollenCore
import PollenStorage
import Testing

// Timelines over months of posts whose ids are made as the real generator makes them (milliseconds << 16).
// The home timeline reads in id windows — six hours at the newest end, widening fourfold until the page is
// full — so only ids this far apart make a page cross several windows, and empty ones, on its way back.

private func m(_ id: Int64) -> Member.ID { Member.ID(id) }

/// A moment `hours` after the start of 2026.
private func at(hours: Double) -> Date {
    Date(timeIntervalSince1970: 1_767_225_600 + hours * 3600)
}

/// Four months of posts. Member 1 reads: they follow 2, 3 and 5 and the hashtag `lean`, and mute 5; nobody
/// follows 4. Days 20–40 hold no posts at all, days 60–89 only untagged posts by 4, and so do the newest
/// days (120–124), so the first windows of member 1's home find nothing. Authors, hashtags, visibility and
/// deletion cycle with co-prime periods, so every combination occurs.
private func history() -> [Post] {
    var posts: [Post] = []
    var n = 0
    for day in 0..<125 where !(20..<41).contains(day) {
        let quiet = (60..<90).contains(day) || day >= 120
        // Two posts in one millisecond (sequence 0 and 1) keep ids unique and in time order; one more later.
        let moments: [(hours: Double, sequence: Int64)] = quiet ? [(13, 0)] : [(9, 0), (9, 1), (17.5, 0)]
        for moment in moments {
            let date = at(hours: Double(day) * 24 + moment.hours)
            let tags = quiet ? [] : [["lean"], ["kaizen"], []][n % 3]
            posts.append(Post(
                id: Post.ID(SnowflakeIDGenerator.firstID(at: date) + moment.sequence),
                authorID: m(quiet ? 4 : [1, 2, 3, 4, 5][n % 5]),
                body: "Post \(n) " + tags.map { "#\($0)" }.joined(separator: " "),
                visibility: n % 4 == 1 ? .followers : .organization, hashtags: tags, createdAt: date,
                deletedAt: n % 13 == 0 ? date.addingTimeInterval(3600) : nil))
            n += 1
        }
    }
    return posts
}

/// Stores the history with member 1's follows and mute; then deletes two posts that member 1 would see
/// (one of their own, one reaching them through `lean`), since deleting after publishing also takes a post
/// out of `post_tags`. Returns the posts as stored.
private func seed(_ store: SQLStore) async throws -> [Post] {
    var posts = history()
    try await store.write { [posts] repos in
        try await repos.members.insertMany((Int64(1)...5).map { makeMember($0, handle: "m\($0)") })
        for followee: Int64 in [2, 3, 5] {
            _ = try await repos.network.follow(id: 10 + followee, follower: m(1), followee: m(followee), at: at(hours: 0))
        }
        _ = try await repos.network.followTag(id: 20, member: m(1), tag: "lean", at: at(hours: 0))
        try await repos.network.setMuted(true, member: m(1), target: m(5), at: at(hours: 0))
        try await repos.posts.insertMany(posts)
    }
    let own = try #require(posts.firstIndex { $0.authorID == m(1) && !$0.isDeleted })
    let viaTag = try #require(posts.firstIndex {
        $0.authorID == m(4) && $0.hashtags == ["lean"] && $0.visibility == .organization && !$0.isDeleted
    })
    for index in [own, viaTag] {
        let id = posts[index].id
        try await store.write { try await $0.posts.markDeleted(id, at: at(hours: 3000)) }
        posts[index].deletedAt = at(hours: 3000)
    }
    return posts
}

/// Whether `viewer` (1 or 4) may see `post` where mutes apply: member 1 follows 2, 3 and 5 and mutes 5.
private func mayRead(_ post: Post, viewer: Int64) -> Bool {
    let followed: [Int64] = viewer == 1 ? [2, 3, 5] : []
    guard !post.isDeleted, !(viewer == 1 && post.authorID == m(5)) else { return false }
    return post.visibility == .organization || post.authorID == m(viewer)
        || (post.visibility == .followers && followed.contains(post.authorID.rawValue))
}

/// What member 1's home holds, newest first: their own posts, their followees' and those tagged `lean`.
private func expectedHome(_ posts: [Post]) -> [Int64] {
    posts.filter { post in
        mayRead(post, viewer: 1) && ([1, 2, 3, 5].contains(post.authorID.rawValue) || post.hashtags.contains("lean"))
    }.map(\.id.rawValue).sorted(by: >)
}

private func home(_ store: SQLStore, _ range: CursorRange) async throws -> [Int64] {
    try await store.read { try await $0.posts.timeline(.home(m(1)), viewer: m(1), range: range) }.map(\.post.id.rawValue)
}

/// `ids` cut into pages of `size`, as paging should return them.
private func chunks(_ ids: [Int64], _ size: Int) -> [[Int64]] {
    stride(from: 0, to: ids.count, by: size).map { Array(ids[$0..<min($0 + size, ids.count)]) }
}

/// Pages as a client scrolls: `next` makes the range after each page, until a page comes back empty.
private func walk(
    from start: CursorRange, next: ([Int64]) -> CursorRange, _ page: (CursorRange) async throws -> [Int64]
) async throws -> [[Int64]] {
    var pages: [[Int64]] = []
    var range = start
    // Bounded, so a cursor that stops moving fails the test instead of hanging it.
    for _ in 0..<500 {
        let ids = try await page(range)
        if ids.isEmpty { return pages }
        pages.append(ids)
        range = next(ids)
    }
    Issue.record("paging never came to an empty page")
    return pages
}

/// Member 1's home, `limit` at a time back from the newest post, as a client scrolls down.
private func homeBack(_ store: SQLStore, limit: Int) async throws -> [[Int64]] {
    try await walk(from: CursorRange(limit: limit), next: { CursorRange(before: $0.last, limit: limit) }) {
        try await home(store, $0)
    }
}

/// Member 1's home, `limit` at a time forward from `cursor`, as a client catches up (`min_id`).
private func homeForward(_ store: SQLStore, from cursor: Int64, limit: Int) async throws -> [[Int64]] {
    let start = CursorRange(nearestAfter: cursor, limit: limit)
    return try await walk(from: start, next: { CursorRange(nearestAfter: $0.first, limit: limit) }) {
        try await home(store, $0)
    }
}

@Suite struct TimelineHistoryTests {
    @Test(arguments: Engine.enabled)
    func homePagesBackThroughMonthsSeeingEveryPostOnce(engine: Engine) async throws {
        try await withStore(engine) { store in
            let posts = try await seed(store)
            let expected = expectedHome(posts)
            // The fixture holds what the test claims to cover.
            let authors = Set(posts.filter { expected.contains($0.id.rawValue) }.map(\.authorID.rawValue))
            #expect(authors == [1, 2, 3, 4], "own, followed and (through `lean`) unfollowed authors; 5 is muted")
            #expect(expected.count > 100)
            #expect(try #require(posts.map(\.id.rawValue).max()) > expected[0], "newer posts member 1 may not see")

            let pages = try await homeBack(store, limit: 5)
            // Each page full (the windows widened across the empty weeks), in order, every post once.
            #expect(pages == chunks(expected, 5))
            #expect(try await home(store, CursorRange(limit: 1000)) == expected, "one page spanning every window")
            #expect(try await home(store, CursorRange(before: expected.last, limit: 5)).isEmpty)
            // A cursor inside the three silent weeks continues with the posts before them.
            let silence = SnowflakeIDGenerator.firstID(at: at(hours: 30 * 24))
            let older = expected.filter { $0 < silence }
            #expect(try await home(store, CursorRange(before: silence, limit: 5)) == Array(older.prefix(5)))
        }
    }

    @Test(arguments: Engine.enabled)
    func homeReadsForwardFromAnOldCursor(engine: Engine) async throws {
        try await withStore(engine) { store in
            let expected = expectedHome(try await seed(store))
            // A cursor inside the three silent weeks: months of posts lie above it.
            let silence = SnowflakeIDGenerator.firstID(at: at(hours: 30 * 24))
            let newer = expected.filter { $0 > silence }
            #expect(newer.count > 40 && newer.count < expected.count)

            // `after` (since_id): the newest posts above the cursor.
            #expect(try await home(store, CursorRange(after: silence, limit: 5)) == Array(newer.prefix(5)))
            #expect(try await home(store, CursorRange(after: silence, limit: 1000)) == newer)
            // `nearestAfter` (min_id): the posts just above the cursor, still newest first.
            #expect(try await home(store, CursorRange(nearestAfter: silence, limit: 5)) == Array(newer.suffix(5)))
            let deep = expected.count - 10
            #expect(try await home(store, CursorRange(nearestAfter: expected[deep], limit: 3)) == Array(expected[(deep - 3)..<deep]))
            // Both ends at once.
            let between = CursorRange(before: expected[10], after: expected[30], limit: 1000)
            #expect(try await home(store, between) == Array(expected[11..<30]))
            #expect(try await home(store, CursorRange(before: expected[10], after: expected[30], limit: 5)) == Array(expected[11..<16]))
            // Nothing above the newest post member 1 may see, though newer posts exist.
            #expect(try await home(store, CursorRange(after: expected[0], limit: 5)).isEmpty)
            #expect(try await home(store, CursorRange(nearestAfter: expected[0], limit: 5)).isEmpty)

            // Catching up from before the first post, five at a time, meets every post once, oldest page first.
            let pages = try await homeForward(store, from: SnowflakeIDGenerator.firstID(at: at(hours: -24)), limit: 5)
            #expect(pages == chunks(expected.reversed(), 5).map { $0.reversed() })
        }
    }

    /// Posts on both sides of where one window ends and the next, four times wider, begins must each be read
    /// once, for pages from the newest post, back from a cursor and forward from one. Window k (from 0) ends
    /// edge k = (1 + 4 + … + 4^k) six-hour spans from where the page starts: paging back from `before` it ends
    /// at `before - edge`, paging forward from a cursor at `cursor + edge`, and from the newest post (the
    /// bound is one above it) at `newest + 1 - edge`.
    @Test(arguments: Engine.enabled)
    func homeWindowsMeetWithoutGapOrOverlap(engine: Engine) async throws {
        try await withStore(engine) { store in
            let span = SnowflakeIDGenerator.idSpan(seconds: 6 * 3600)
            let edges: [Int64] = [1, 5, 21, 85].map { $0 * span }
            let oldest = SnowflakeIDGenerator.firstID(at: at(hours: 0))
            let cursor = SnowflakeIDGenerator.firstID(at: at(hours: 100 * 24))
            let newest = SnowflakeIDGenerator.firstID(at: at(hours: 110 * 24))
            var ids: [Int64] = [oldest, oldest + 1, cursor, cursor - 1, newest]
            for edge in edges {
                ids += [oldest + edge, oldest + edge + 1, cursor - edge - 1, cursor - edge]
                ids += [newest - edge, newest - edge + 1]
            }
            let expected = ids.sorted(by: >)
            #expect(Set(ids).count == ids.count)
            try await store.write { [ids] repos in
                try await repos.members.insertMany([makeMember(1, handle: "reader"), makeMember(2, handle: "writer")])
                _ = try await repos.network.follow(id: 1, follower: m(1), followee: m(2), at: at(hours: 0))
                try await repos.posts.insertMany(ids.map { id in
                    Post(id: Post.ID(id), authorID: m(2), body: "Post \(id)", visibility: .organization, createdAt: at(hours: 0))
                })
            }
            #expect(try await home(store, CursorRange(limit: 1000)) == expected)
            #expect(try await home(store, CursorRange(before: cursor, limit: 1000)) == expected.filter { $0 < cursor })
            #expect(try await home(store, CursorRange(after: oldest, limit: 1000)) == expected.dropLast())
            #expect(try await home(store, CursorRange(nearestAfter: oldest, limit: 1000)) == expected.dropLast())
            #expect(try await homeBack(store, limit: 2) == chunks(expected, 2))
            #expect(try await homeForward(store, from: oldest - 1, limit: 2) == chunks(expected.reversed(), 2).map { $0.reversed() })
        }
    }

    @Test(arguments: Engine.enabled)
    func hashtagPagesBackThroughMonthsSeeingEveryPostOnce(engine: Engine) async throws {
        try await withStore(engine) { store in
            let posts = try await seed(store)
            // Member 1 mutes 5 and follows 2, 3 and 5; member 4 follows nobody and mutes nobody.
            for (tag, viewer) in [("lean", Int64(1)), ("kaizen", 1), ("kaizen", 4)] {
                let expected = posts.filter { $0.hashtags.contains(tag) && mayRead($0, viewer: viewer) }
                    .map(\.id.rawValue).sorted(by: >)
                #expect(expected.count > 20)
                let pages = try await walk(from: CursorRange(limit: 5), next: { CursorRange(before: $0.last, limit: 5) }) { range in
                    try await store.read { try await $0.posts.timeline(.hashtag(tag), viewer: m(viewer), range: range) }
                        .map(\.post.id.rawValue)
                }
                #expect(pages == chunks(expected, 5), "#\(tag) for \(viewer)")
            }
        }
    }
}
