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

private func member(
    _ id: Int64, department: String = "", audience: NetworkPrivacy.Audience = .everyone, discoverable: Bool = true,
    status: Member.Status = .active, createdAt: Date = at(0)
) -> Member {
    var member = makeMember(id, handle: "m\(id)", department: department, status: status, createdAt: createdAt)
    member.privacy = NetworkPrivacy(audience: audience, discoverable: discoverable)
    return member
}

private func insert(_ store: SQLStore, _ members: [Member]) async throws {
    try await store.write { try await $0.members.insertMany(members) }
}

private func insertMembers(_ store: SQLStore, _ ids: ClosedRange<Int64>) async throws {
    try await insert(store, ids.map { member($0) })
}

/// Follows as (follower, followee) pairs; ids are made up from the pair.
private func follow(_ store: SQLStore, _ pairs: [(Int64, Int64)], at time: Date = at(0)) async throws {
    try await store.write { repos in
        for (follower, followee) in pairs {
            _ = try await repos.network.follow(id: follower * 10_000 + followee, follower: m(follower), followee: m(followee), at: time)
        }
    }
}

/// A post written at minute `id` unless told otherwise.
private func makePost(
    _ id: Int64, by author: Int64, visibility: Post.Visibility = .organization, replyTo: (post: Int64, author: Int64)? = nil,
    root: Int64? = nil, reshareOf: Int64? = nil, tags: [String] = [], at time: Date? = nil, deleted: Date? = nil,
    counts: Post.Counts = Post.Counts()
) -> Post {
    Post(
        id: p(id), authorID: m(author), body: reshareOf == nil ? "Post \(id)" : "", visibility: visibility,
        replyToID: replyTo.map { p($0.post) }, replyToAuthorID: replyTo.map { m($0.author) }, threadRootID: root.map(p),
        reshareOfID: reshareOf.map(p), hashtags: tags, createdAt: time ?? at(Int(id)), deletedAt: deleted, counts: counts)
}

private func insert(_ store: SQLStore, _ posts: [Post]) async throws {
    try await store.write { repos in
        for post in posts { try await repos.posts.insert(post) }
    }
}

private func ids(_ members: [Member]) -> [Int64] { members.map(\.id.rawValue) }

/// Sorted by subject, then member, for comparing sets of scores.
private func sorted(_ scores: [SubjectScore]) -> [SubjectScore] {
    scores.sorted { $0.tag != $1.tag ? $0.tag < $1.tag : $0.member < $1.member }
}

private func score(_ tag: String, _ member: Int64, engagement: Int, posts: Int, replies: Int) -> SubjectScore {
    SubjectScore(tag: tag, member: m(member), engagement: engagement, posts: posts, replies: replies)
}

private func fof(_ store: SQLStore, of viewer: Int64, limit: Int = 50) async throws -> [Int64: Int] {
    let found = try await store.read { try await $0.discovery.friendsOfFriends(of: m(viewer), limit: limit) }
    return Dictionary(uniqueKeysWithValues: found.map { ($0.member.rawValue, $0.sharedFollows) })
}

@Suite struct DiscoveryRepositoryTests {
    // MARK: - Network privacy columns

    @Test(arguments: Engine.enabled)
    func privacyRoundTripsThroughInsertUpdateAndFind(engine: Engine) async throws {
        try await withStore(engine) { store in
            let plain = member(1)
            let hidden = member(2, audience: .onlyMe, discoverable: false)
            let followedOnly = member(3, audience: .followed)
            try await insert(store, [plain, hidden])
            try await store.write { try await $0.members.insert(followedOnly) }

            let found = try await store.read { repos in
                (
                    try await repos.members.find(id: m(1)), try await repos.members.find(handle: "m2"),
                    try await repos.members.find(email: "m3@example.org"), try await repos.members.find(ids: [m(1), m(2), m(3)])
                )
            }
            #expect(found.0?.privacy == NetworkPrivacy(audience: .everyone, discoverable: true))
            #expect(found.1?.privacy == NetworkPrivacy(audience: .onlyMe, discoverable: false))
            #expect(found.2?.privacy == NetworkPrivacy(audience: .followed, discoverable: true))
            #expect(Dictionary(uniqueKeysWithValues: found.3.map { ($0.id.rawValue, $0.privacy.audience) }) == [
                1: .everyone, 2: .onlyMe, 3: .followed,
            ])

            for (audience, discoverable) in [(NetworkPrivacy.Audience.followed, false), (.onlyMe, true), (.everyone, false)] {
                var changed = plain
                changed.privacy = NetworkPrivacy(audience: audience, discoverable: discoverable)
                let update = changed
                try await store.write { try await $0.members.update(update) }
                #expect(try await store.read { try await $0.members.find(id: m(1)) } == update)
            }
            #expect(try await store.read { try await $0.members.find(id: m(2)) } == hidden, "others untouched")
        }
    }

    @Test(arguments: Engine.enabled)
    func directoryOfferedToLeavesOutUndiscoverableMembersButNotTheViewer(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insert(store, [
                member(1, department: "Ops", discoverable: false), member(2, department: "Ops"),
                member(3, department: "Ops", discoverable: false), member(4, department: "Ops", status: .suspended),
            ])
            func search(_ query: DirectoryQuery) async throws -> [Int64] {
                try await store.read { try await $0.members.search(query) }.items.map(\.id.rawValue).sorted()
            }
            #expect(try await search(DirectoryQuery(offeredTo: m(1))) == [1, 2])
            #expect(try await search(DirectoryQuery(offeredTo: m(2))) == [2])
            #expect(try await search(DirectoryQuery(department: "ops", offeredTo: m(3))) == [2, 3])
            #expect(try await store.read { try await $0.members.search(DirectoryQuery(offeredTo: m(2))) }.total == 1)
            #expect(try await search(DirectoryQuery()) == [1, 2, 3], "administration lists everyone")
            #expect(try await search(DirectoryQuery(includeSuspended: true, offeredTo: m(2))) == [2, 4])
        }
    }

    // MARK: - Friends of friends

    @Test(arguments: Engine.enabled)
    func friendsOfFriendsCountsSharedFollowsMostFirst(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insertMembers(store, 1...9)
            // 1 follows 2, 3, 4; they follow 5 (all three), 6 (one), 7 (two), the viewer and one another.
            try await follow(store, [
                (1, 2), (1, 3), (1, 4),
                (2, 5), (3, 5), (4, 5), (2, 6), (3, 7), (4, 7),
                (2, 1), (3, 1), (2, 3), (4, 3),
                (5, 8), (9, 8),  // beyond two steps, or not through the viewer's follows
            ])
            let found = try await store.read { try await $0.discovery.friendsOfFriends(of: m(1), limit: 50) }
            #expect(found == [
                FriendOfFriend(member: m(5), sharedFollows: 3), FriendOfFriend(member: m(7), sharedFollows: 2),
                FriendOfFriend(member: m(6), sharedFollows: 1),
            ], "not the viewer, not 3 whom the viewer follows already, not 8")
            #expect(try await store.read { try await $0.discovery.friendsOfFriends(of: m(1), limit: 2) }.map(\.member) == [m(5), m(7)])

            try await store.write { try await $0.discovery.dismissSuggestion(m(7), for: m(1), at: at(5)) }
            try await store.write { try await $0.discovery.dismissSuggestion(m(7), for: m(1), at: at(6)) }  // again: no error
            #expect(try await fof(store, of: 1) == [5: 3, 6: 1], "dismissed people are not offered")
            // 2 follows 5, 6, 1 and 3: through them 8, 4 and 7 (the rest 2 follows already, or is 2).
            #expect(try await fof(store, of: 2) == [4: 1, 7: 1, 8: 1], "another viewer's dismissals do not apply")
        }
    }

    @Test(arguments: Engine.enabled)
    func friendsOfFriendsGoOnlyThroughNetworksTheViewerMaySee(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insert(store, [
                member(1),
                member(2, audience: .onlyMe),
                member(3, audience: .followed),  // does not follow the viewer
                member(4, audience: .followed),  // follows the viewer
                member(5, status: .suspended),
                member(6),
                member(10), member(11), member(12), member(13), member(14),
            ])
            try await follow(store, [
                (1, 2), (1, 3), (1, 4), (1, 5), (1, 6),
                (4, 1),
                (2, 10), (3, 11), (4, 12), (5, 13), (6, 14),
            ])
            #expect(try await fof(store, of: 1) == [12: 1, 14: 1])
            let shared = try await store.read {
                try await $0.discovery.sharedFollowers(of: [m(10), m(11), m(12), m(13), m(14)], for: m(1))
            }
            #expect(shared == [m(12): [m(4)], m(14): [m(6)]])

            // Once 3 follows the viewer back, their network opens to them.
            try await follow(store, [(3, 1)])
            #expect(try await fof(store, of: 1) == [11: 1, 12: 1, 14: 1])
            // Only-me stays closed even when they follow the viewer.
            try await follow(store, [(2, 1)])
            #expect(try await fof(store, of: 1)[10] == nil)
        }
    }

    @Test(arguments: Engine.enabled)
    func friendsOfFriendsLeaveOutPeopleWhoseOwnNetworkIsHiddenFromTheViewer(engine: Engine) async throws {
        try await withStore(engine) { store in
            // "Followed by people you follow" tells who follows the candidate: their own choice holds too.
            try await insert(store, [
                member(1), member(2), member(10), member(11, audience: .onlyMe), member(12, audience: .followed),
                member(13, audience: .followed), member(14, status: .suspended),
            ])
            try await follow(store, [(1, 2), (2, 10), (2, 11), (2, 12), (2, 13), (2, 14), (13, 1), (11, 1)])
            #expect(try await fof(store, of: 1) == [10: 1, 13: 1])
        }
    }

    @Test(arguments: Engine.enabled)
    func sharedFollowersNamesWhoAmongTheViewersFollowsFollowsEach(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insertMembers(store, 1...7)
            try await follow(store, [(1, 2), (1, 3), (1, 4), (2, 5), (3, 5), (3, 6), (4, 7), (7, 5)])
            let shared = try await store.read { try await $0.discovery.sharedFollowers(of: [m(5), m(6)], for: m(1)) }
            #expect(shared == [m(5): [m(2), m(3)], m(6): [m(3)]], "7 follows 5 but the viewer does not follow 7")
            #expect(try await store.read { try await $0.discovery.sharedFollowers(of: [], for: m(1)) }.isEmpty)
            #expect(try await store.read { try await $0.discovery.sharedFollowers(of: [m(6)], for: m(5)) }.isEmpty)
        }
    }

    @Test(arguments: Engine.enabled)
    func notToSuggestHoldsSelfFollowsDismissalsAndBlocksBothWays(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insertMembers(store, 1...8)
            try await follow(store, [(1, 2), (7, 1)])
            try await store.write { repos in
                try await repos.discovery.dismissSuggestion(m(3), for: m(1), at: at(1))
                try await repos.discovery.dismissSuggestion(m(8), for: m(2), at: at(1))
                try await repos.network.setBlocked(true, member: m(1), target: m(4), at: at(1))
                try await repos.network.setBlocked(true, member: m(5), target: m(1), at: at(1))
            }
            #expect(try await store.read { try await $0.discovery.notToSuggest(to: m(1)) } == [m(1), m(2), m(3), m(4), m(5)])
            #expect(try await store.read { try await $0.discovery.notToSuggest(to: m(6)) } == [m(6)])
            #expect(try await store.read { try await $0.discovery.notToSuggest(to: m(5)) } == [m(5), m(1)])
        }
    }

    @Test(arguments: Engine.enabled)
    func followedDepartmentsCountsByLowerCasedDepartment(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insert(store, [
                member(1), member(2, department: "Engineering"), member(3, department: "engineering"),
                member(4, department: "Legal"), member(5), member(6, department: "Sales"),
            ])
            try await follow(store, [(1, 2), (1, 3), (1, 4), (1, 5), (2, 6)])
            #expect(try await store.read { try await $0.discovery.followedDepartments(of: m(1)) } == ["engineering": 2, "legal": 1])
            #expect(try await store.read { try await $0.discovery.followedDepartments(of: m(6)) } == [:])
        }
    }

    // MARK: - Subject scores

    @Test(arguments: Engine.enabled)
    func computeSubjectScoresCountsEngagementPostsAndAnswersInTheWindow(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insertMembers(store, 1...4)
            let since = at(1_000)
            try await insert(store, [
                // 1 starts a thread on #swift: 3 favourites, 1 reshare, 2 replies = 3 + 2 + 4.
                makePost(1_001, by: 1, tags: ["swift"], counts: Post.Counts(replies: 2, reshares: 1, favourites: 3)),
                // Followers only, deleted, too old, or a reshare carrying the tag: none count.
                makePost(1_002, by: 1, visibility: .followers, tags: ["swift"], counts: Post.Counts(favourites: 10)),
                makePost(1_003, by: 1, tags: ["swift"], deleted: at(1_004), counts: Post.Counts(favourites: 20)),
                makePost(900, by: 1, tags: ["swift"], counts: Post.Counts(favourites: 50)),
                makePost(1_005, by: 3, reshareOf: 1_001, tags: ["swift"], counts: Post.Counts(favourites: 7)),
                // 2 answers twice in 1's thread, once with the tag (a favourite), once without.
                makePost(1_010, by: 2, replyTo: (1_001, 1), root: 1_001, tags: ["swift"], counts: Post.Counts(favourites: 1)),
                makePost(1_011, by: 2, replyTo: (1_010, 2), root: 1_001),  // to themselves: not an answer
                makePost(1_012, by: 2, replyTo: (1_001, 1), root: 1_001),
                // 1 answers 2 in their own thread; a followers-only reply and an old one do not count.
                makePost(1_013, by: 1, replyTo: (1_012, 2), root: 1_001),
                makePost(1_014, by: 3, visibility: .followers, replyTo: (1_001, 1), root: 1_001),
                makePost(999, by: 3, replyTo: (900, 1), root: 900),
                // 3 starts two threads: on #swift and #ios together, and on #ios.
                makePost(1_020, by: 3, tags: ["swift", "ios"], counts: Post.Counts(favourites: 1)),
                makePost(1_021, by: 3, tags: ["ios"]),
                // 4 answers in 3's #ios thread.
                makePost(1_022, by: 4, replyTo: (1_021, 3), root: 1_021),
            ])
            // A favourite and a reshare counted later, as the use cases do.
            try await store.write { try await $0.posts.adjustCounts(p(1_021), replies: 1, reshares: 1, favourites: 1) }

            let scores = try await store.read { try await $0.discovery.computeSubjectScores(since: since) }
            #expect(sorted(scores) == [
                score("ios", 3, engagement: 1 + 5, posts: 2, replies: 0),
                score("ios", 4, engagement: 0, posts: 0, replies: 1),
                score("swift", 1, engagement: 9, posts: 1, replies: 1),
                score("swift", 2, engagement: 1, posts: 0, replies: 2),
                score("swift", 3, engagement: 1, posts: 1, replies: 0),
            ])

            // A window that starts later leaves the earlier posts out.
            let later = try await store.read { try await $0.discovery.computeSubjectScores(since: at(1_015)) }
            #expect(sorted(later) == [
                score("ios", 3, engagement: 6, posts: 2, replies: 0),
                score("ios", 4, engagement: 0, posts: 0, replies: 1),
                score("swift", 3, engagement: 1, posts: 1, replies: 0),
            ])
        }
    }

    @Test(arguments: Engine.enabled)
    func deletingAPostTakesItOutOfTheScores(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insertMembers(store, 1...2)
            try await insert(store, [
                makePost(10, by: 1, tags: ["go"], counts: Post.Counts(favourites: 4)),
                makePost(11, by: 2, replyTo: (10, 1), root: 10),
            ])
            #expect(sorted(try await store.read { try await $0.discovery.computeSubjectScores(since: at(0)) }) == [
                score("go", 1, engagement: 4, posts: 1, replies: 0), score("go", 2, engagement: 0, posts: 0, replies: 1),
            ])
            try await store.write { try await $0.posts.markDeleted(p(11), at: at(20)) }
            try await store.write { try await $0.posts.markDeleted(p(10), at: at(20)) }
            #expect(try await store.read { try await $0.discovery.computeSubjectScores(since: at(0)) }.isEmpty)
        }
    }

    @Test(arguments: Engine.enabled)
    func subjectScoresAreReplacedAndReadBestFirst(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insertMembers(store, 1...5)
            let initial = try await store.read { try await $0.discovery.discoveryState() }
            #expect(initial.refreshedAt == nil && initial.popularFollowers == 0)

            let scores = [
                score("swift", 1, engagement: 10, posts: 1, replies: 0),
                score("swift", 2, engagement: 3, posts: 5, replies: 4),
                score("swift", 3, engagement: 10, posts: 0, replies: 1),
                score("swift", 4, engagement: 0, posts: 2, replies: 0),
                score("go", 5, engagement: 1, posts: 1, replies: 0),
            ]
            try await store.write { try await $0.discovery.replaceSubjectScores(scores, popularFollowers: 42, at: at(5)) }
            let state = try await store.read { try await $0.discovery.discoveryState() }
            #expect(state.refreshedAt == at(5) && state.popularFollowers == 42)

            func read(_ tags: [String], byActivity: Bool, limit: Int = 10) async throws -> [Int64] {
                try await store.read { try await $0.discovery.subjectScores(tags: tags, byActivity: byActivity, limit: limit) }
                    .map(\.member.rawValue)
            }
            #expect(try await read(["swift"], byActivity: false) == [1, 3, 2, 4], "by engagement, ties by member")
            #expect(try await read(["swift"], byActivity: true) == [2, 4, 1, 3], "by posts and replies, then engagement")
            #expect(try await read(["swift"], byActivity: false, limit: 2) == [1, 3])
            #expect(try await read(["go", "swift"], byActivity: false, limit: 1) == [5, 1], "a limit per subject")
            #expect(try await read(["rust"], byActivity: false).isEmpty)
            let full = try await store.read { try await $0.discovery.subjectScores(tags: ["swift"], byActivity: true, limit: 1) }
            #expect(full == [scores[1]])

            // A rebuild replaces everything.
            try await store.write {
                try await $0.discovery.replaceSubjectScores(
                    [score("rust", 2, engagement: 1, posts: 1, replies: 0)], popularFollowers: 7, at: at(9))
            }
            #expect(try await read(["swift", "go"], byActivity: false).isEmpty)
            #expect(try await read(["rust"], byActivity: false) == [2])
            let after = try await store.read { try await $0.discovery.discoveryState() }
            #expect(after.refreshedAt == at(9) && after.popularFollowers == 7)
        }
    }

    @Test(arguments: Engine.enabled)
    func manyScoresCrossInsertChunks(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insertMembers(store, 1...3)
            let scores = (0..<2_500).map { score("t\($0)", Int64($0 % 3 + 1), engagement: $0, posts: 1, replies: 0) }
            try await store.write { try await $0.discovery.replaceSubjectScores(scores, popularFollowers: 1, at: at(1)) }
            let read = try await store.read {
                try await $0.discovery.subjectScores(tags: ["t0", "t1234", "t2499"], byActivity: false, limit: 5)
            }
            #expect(read == [scores[0], scores[1_234], scores[2_499]])
        }
    }

    @Test(arguments: Engine.enabled)
    func followersAtRankReadsTheRankedFollowerCounts(engine: Engine) async throws {
        try await withStore(engine) { store in
            #expect(try await store.read { try await $0.discovery.followersAtRank(0) } == 0, "nobody yet")
            try await insertMembers(store, 1...6)
            try await follow(store, [(2, 1), (3, 1), (4, 1), (1, 2), (3, 2), (1, 3)])
            func rank(_ r: Int) async throws -> Int { try await store.read { try await $0.discovery.followersAtRank(r) } }
            #expect(try await rank(0) == 3)
            #expect(try await rank(1) == 2)
            #expect(try await rank(2) == 1)
            #expect(try await rank(3) == 0)
            #expect(try await rank(100) == 0)
            #expect(try await rank(-1) == 3, "a negative rank is the first")
        }
    }

    // MARK: - Trends

    @Test(arguments: Engine.enabled)
    func newMembersSinceADateNewestFirstDiscoverableAndActive(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insert(store, [
                member(1, department: "Engineering", createdAt: at(10)),
                member(2, department: "Engineering", createdAt: at(100)),
                member(3, department: "engineering", createdAt: at(200)),
                member(4, department: "Legal", createdAt: at(150)),
                member(5, department: "Engineering", discoverable: false, createdAt: at(300)),
                member(6, department: "Engineering", status: .suspended, createdAt: at(300)),
                member(7, department: "Engineering", audience: .onlyMe, createdAt: at(50)),
            ])
            func newcomers(since: Int, department: String? = nil, limit: Int = 10) async throws -> [Int64] {
                ids(try await store.read { try await $0.discovery.newMembers(since: at(since), department: department, limit: limit) })
            }
            #expect(try await newcomers(since: 50) == [3, 4, 2, 7], "a hidden network does not hide the member")
            #expect(try await newcomers(since: 100, department: "ENGINEERING") == [3, 2])
            #expect(try await newcomers(since: 0, department: "legal") == [4])
            #expect(try await newcomers(since: 0, limit: 2) == [3, 4])
            #expect(try await newcomers(since: 301).isEmpty)
            let found = try await store.read { try await $0.discovery.newMembers(since: at(0), department: "Legal", limit: 5) }
            #expect(found == [member(4, department: "Legal", createdAt: at(150))], "whole members are read")
        }
    }

    @Test(arguments: Engine.enabled)
    func mostEngagedAuthorsPostsAndTagUseInAWindow(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insert(store, [
                member(1, department: "Engineering"), member(2, department: "Legal"), member(3, department: "engineering"),
            ])
            try await insert(store, [
                makePost(110, by: 1, tags: ["swift"], counts: Post.Counts(favourites: 5)),
                makePost(120, by: 1, tags: ["swift", "ios"], counts: Post.Counts(replies: 1, reshares: 2)),
                makePost(130, by: 2, tags: ["law"], counts: Post.Counts(favourites: 10)),
                makePost(140, by: 3, tags: ["swift"]),
                // Outside the window, not seen by everyone, deleted, or a reshare: none count.
                makePost(99, by: 1, tags: ["swift"], counts: Post.Counts(favourites: 100)),
                makePost(200, by: 1, tags: ["swift"], counts: Post.Counts(favourites: 100)),
                makePost(150, by: 2, visibility: .followers, tags: ["law"], counts: Post.Counts(favourites: 50)),
                makePost(160, by: 2, tags: ["law"], deleted: at(161), counts: Post.Counts(favourites: 50)),
                makePost(170, by: 3, reshareOf: 110, tags: ["swift"], counts: Post.Counts(favourites: 70)),
            ])
            let all = ActivityWindow(since: at(100), until: at(200))
            let engineering = ActivityWindow(since: at(100), until: at(200), department: "ENGINEERING")
            try await store.read { (repos: any Repositories) async throws in
                let authors = try await repos.discovery.mostEngagedAuthors(all, limit: 10)
                #expect(authors.map(\.member) == [m(2), m(1)] && authors.map(\.engagement) == [10, 8], "nobody without reactions")
                #expect(try await repos.discovery.mostEngagedAuthors(all, limit: 1).map(\.member) == [m(2)])
                let inEngineering = try await repos.discovery.mostEngagedAuthors(engineering, limit: 10)
                #expect(inEngineering.map(\.member) == [m(1)] && inEngineering.map(\.engagement) == [8])

                #expect(try await repos.discovery.mostEngagedPosts(all, limit: 10) == [p(130), p(110), p(120)])
                #expect(try await repos.discovery.mostEngagedPosts(all, limit: 2) == [p(130), p(110)])
                #expect(try await repos.discovery.mostEngagedPosts(engineering, limit: 10) == [p(110), p(120)])

                #expect(try await repos.discovery.tagUse(all) == ["swift": 3, "ios": 1, "law": 1])
                #expect(try await repos.discovery.tagUse(engineering) == ["swift": 3, "ios": 1])
                let quiet = ActivityWindow(since: at(300), until: at(400))
                #expect(try await repos.discovery.tagUse(quiet).isEmpty)
                #expect(try await repos.discovery.mostEngagedAuthors(quiet, limit: 10).isEmpty)
                #expect(try await repos.discovery.mostEngagedPosts(quiet, limit: 10).isEmpty)
            }
        }
    }

    // MARK: - Unfollow review

    @Test(arguments: Engine.enabled)
    func engagedAuthorsAreOpenedFavouritedResharedOrRepliedTo(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insertMembers(store, 1...7)
            try await follow(store, [(1, 2), (1, 3), (1, 4), (1, 5), (1, 6)])
            try await insert(store, [
                makePost(10, by: 2), makePost(11, by: 3), makePost(12, by: 4), makePost(13, by: 5), makePost(14, by: 6),
                makePost(20, by: 1, reshareOf: 12),
                makePost(21, by: 1, replyTo: (13, 5), root: 13),
                makePost(22, by: 7, replyTo: (14, 6), root: 14),  // someone else's reply
            ])
            try await store.write { repos in
                try await repos.discovery.recordOpen(member: m(1), author: m(2), at: at(30))
                try await repos.discovery.recordOpen(member: m(1), author: m(2), at: at(31))  // kept once per pair
                _ = try await repos.posts.favourite(p(11), by: m(1), id: 900, at: at(30))
                _ = try await repos.posts.favourite(p(14), by: m(7), id: 901, at: at(30))
                try await repos.discovery.recordOpen(member: m(7), author: m(6), at: at(30))
            }
            #expect(try await store.read { try await $0.discovery.engagedAuthors(by: m(1)) } == [m(2), m(3), m(4), m(5)])
            #expect(try await store.read { try await $0.discovery.engagedAuthors(by: m(7)) } == [m(6)])
            #expect(try await store.read { try await $0.discovery.engagedAuthors(by: m(6)) }.isEmpty)
            #expect(try await store.read { try await $0.discovery.openedAuthors(by: m(1), among: [m(2), m(3), m(6)]) } == [m(2)])
            #expect(try await store.read { try await $0.discovery.openedAuthors(by: m(1), among: []) }.isEmpty)
        }
    }

    @Test(arguments: Engine.enabled)
    func followActivityCarriesWhenEachFollowedMemberLastPosted(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insertMembers(store, 1...4)
            try await follow(store, [(1, 2)], at: at(1))
            try await follow(store, [(1, 3)], at: at(2))
            try await follow(store, [(1, 4)], at: at(3))
            // 2 publishes one by one, 3 in bulk (its newest, deleted, does not count); 4 never.
            try await insert(store, [makePost(10, by: 2), makePost(20, by: 2)])
            try await store.write {
                try await $0.posts.insertMany([
                    makePost(5, by: 3), makePost(30, by: 3), makePost(25, by: 3), makePost(40, by: 3, deleted: at(41)),
                ])
            }
            func activity() async throws -> [Int64: FollowActivity] {
                Dictionary(uniqueKeysWithValues: try await store.read { try await $0.discovery.followActivity(of: m(1)) }
                    .map { ($0.member.rawValue, $0) })
            }
            #expect(try await activity() == [
                2: FollowActivity(member: m(2), since: at(1), lastPostedAt: at(20)),
                3: FollowActivity(member: m(3), since: at(2), lastPostedAt: at(30)),
                4: FollowActivity(member: m(4), since: at(3), lastPostedAt: nil),
            ])
            #expect(try await store.read { try await $0.network.counts(for: [m(2)]) }[m(2)]?.lastPostedAt == at(20))

            // Deleting the newest post, or writing one dated earlier, does not move the time back.
            try await store.write { try await $0.posts.markDeleted(p(20), at: at(50)) }
            try await insert(store, [makePost(15, by: 2)])
            #expect(try await activity()[2]?.lastPostedAt == at(20))
            try await insert(store, [makePost(60, by: 2)])
            #expect(try await activity()[2]?.lastPostedAt == at(60))
            #expect(try await store.read { try await $0.discovery.followActivity(of: m(4)) }.isEmpty)
        }
    }

    // MARK: - Onboarding

    @Test(arguments: Engine.enabled)
    func onboardingIsSavedLoadedAndUpdated(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insertMembers(store, 1...2)
            #expect(try await store.read { try await $0.discovery.onboarding(of: m(1)) } == nil)
            let started = OnboardingProgress(step: 1, startedAt: at(1))
            try await store.write { try await $0.discovery.saveOnboarding(started, of: m(1)) }
            #expect(try await store.read { try await $0.discovery.onboarding(of: m(1)) } == started)

            let finished = OnboardingProgress(step: 4, startedAt: at(1), finishedAt: at(9))
            try await store.write { try await $0.discovery.saveOnboarding(finished, of: m(1)) }
            #expect(try await store.read { try await $0.discovery.onboarding(of: m(1)) } == finished)

            let skippedAgain = OnboardingProgress(step: 2, startedAt: at(1), skippedAt: at(12))
            try await store.write { try await $0.discovery.saveOnboarding(skippedAgain, of: m(1)) }
            let loaded = try await store.read { try await $0.discovery.onboarding(of: m(1)) }
            #expect(loaded == skippedAgain, "finishing is cleared when the guide is saved without it")
            #expect(loaded?.isOver == true)
            #expect(try await store.read { try await $0.discovery.onboarding(of: m(2)) } == nil)
        }
    }

    // MARK: - Collections

    @Test(arguments: Engine.enabled)
    func collectionsAreStoredListedUpdatedAndDeletedKeepingItemOrder(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insertMembers(store, 1...6)
            func collection(_ id: Int64, owner: Int64, members: [Int64], tags: [String], at time: Int) -> FollowCollection {
                FollowCollection(
                    id: FollowCollection.ID(id), owner: m(owner), title: "Pack \(id)", description: "About \(id)",
                    members: members.map(m), tags: tags, createdAt: at(time))
            }
            let first = collection(100, owner: 1, members: [5, 2, 4], tags: ["swift", "go", "ai"], at: 1)
            let second = collection(101, owner: 2, members: [], tags: ["rust"], at: 2)
            let third = collection(102, owner: 1, members: [3], tags: [], at: 3)
            try await store.write { repos in
                for c in [first, second, third] { try await repos.collections.insert(c) }
            }
            try await store.read { (repos: any Repositories) async throws in
                #expect(try await repos.collections.find(id: FollowCollection.ID(100)) == first)
                #expect(try await repos.collections.find(id: FollowCollection.ID(101)) == second)
                #expect(try await repos.collections.find(id: FollowCollection.ID(999)) == nil)
                #expect(try await repos.collections.list(owner: nil, limit: 10, offset: 0) == [third, second, first])
                #expect(try await repos.collections.list(owner: m(1), limit: 10, offset: 0) == [third, first])
                #expect(try await repos.collections.list(owner: nil, limit: 1, offset: 1) == [second])
                #expect(try await repos.collections.list(owner: m(6), limit: 10, offset: 0).isEmpty)
            }

            var changed = first
            changed.title = "Renamed"
            changed.description = ""
            changed.members = [4, 6, 5].map(m)
            changed.tags = ["ml"]
            changed.updatedAt = at(20)
            let update = changed
            try await store.write { try await $0.collections.update(update) }
            #expect(try await store.read { try await $0.collections.find(id: FollowCollection.ID(100)) } == update)
            #expect(try await store.read { try await $0.collections.find(id: FollowCollection.ID(102)) } == third)

            try await store.write { try await $0.collections.delete(FollowCollection.ID(100)) }
            #expect(try await store.read { try await $0.collections.find(id: FollowCollection.ID(100)) } == nil)
            #expect(try await store.read { try await $0.collections.list(owner: nil, limit: 10, offset: 0) } == [third, second])
            // The id is free again: its items went with it.
            try await store.write { try await $0.collections.insert(first) }
            #expect(try await store.read { try await $0.collections.find(id: FollowCollection.ID(100)) } == first)
        }
    }
}
