import Foundation
import PollenCore
import PollenStorage
import Testing

/// A moment `minutes` after the start of 2026, whole milliseconds so it survives the round trip.
private func at(_ minutes: Int) -> Date {
    Date(timeIntervalSince1970: 1_767_225_600 + Double(minutes) * 60)
}

private func insert(_ store: SQLStore, _ members: [Member]) async throws {
    try await store.write { try await $0.members.insertMany(members) }
}

private func followers(_ store: SQLStore, of id: Int64, _ range: CursorRange) async throws -> [FollowEntry] {
    try await store.read { try await $0.network.followers(of: Member.ID(id), range: range) }
}

private func following(_ store: SQLStore, of id: Int64, _ range: CursorRange) async throws -> [FollowEntry] {
    try await store.read { try await $0.network.following(of: Member.ID(id), range: range) }
}

private func tags(_ store: SQLStore, of id: Int64, _ range: CursorRange) async throws -> [TagFollow] {
    try await store.read { try await $0.network.followedTags(of: Member.ID(id), range: range) }
}

private func relationships(_ store: SQLStore, of viewer: Int64, with targets: [Int64]) async throws -> [Relationship] {
    try await store.read { try await $0.network.relationships(of: Member.ID(viewer), with: targets.map(Member.ID.init)) }
}

@Suite struct NetworkRepositoryTests {
    // MARK: - Follow and unfollow

    @Test(arguments: Engine.enabled)
    func followIsTrueOnceThenFalseForARepeat(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insert(store, [makeMember(1, handle: "ada"), makeMember(2, handle: "grace"), makeMember(3, handle: "alan")])
            let first = try await store.write {
                try await $0.network.follow(id: 10, follower: Member.ID(1), followee: Member.ID(2), at: at(1))
            }
            #expect(first)
            // A repeat in the same transaction leaves it usable (PostgreSQL aborts a transaction on an error).
            let (again, other) = try await store.write { repos in
                let again = try await repos.network.follow(id: 11, follower: Member.ID(1), followee: Member.ID(2), at: at(2))
                let other = try await repos.network.follow(id: 12, follower: Member.ID(2), followee: Member.ID(1), at: at(3))
                return (again, other)
            }
            #expect(!again)
            #expect(other, "the other direction is a follow of its own")

            // The repeat changed nothing: still one follow, with its first id and time.
            let list = try await followers(store, of: 2, CursorRange())
            #expect(list.map(\.cursor) == [10])
            #expect(list.first?.since == at(1))
            let counts = try await store.read { try await $0.network.counts(for: [Member.ID(1), Member.ID(2)]) }
            #expect(counts[Member.ID(1)] == NetworkCounts(followers: 1, following: 1))
            #expect(counts[Member.ID(2)] == NetworkCounts(followers: 1, following: 1))
        }
    }

    @Test(arguments: Engine.enabled)
    func unfollowIsTrueOnceThenFalse(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insert(store, [makeMember(1, handle: "ada"), makeMember(2, handle: "grace")])
            _ = try await store.write {
                try await $0.network.follow(id: 10, follower: Member.ID(1), followee: Member.ID(2), at: at(1))
            }
            // Only the direction that exists is removed.
            #expect(!(try await store.write { try await $0.network.unfollow(follower: Member.ID(2), followee: Member.ID(1)) }))
            #expect(try await store.write { try await $0.network.unfollow(follower: Member.ID(1), followee: Member.ID(2)) })
            #expect(!(try await store.write { try await $0.network.unfollow(follower: Member.ID(1), followee: Member.ID(2)) }))
            #expect(try await followers(store, of: 2, CursorRange()).isEmpty)
            #expect(try await following(store, of: 1, CursorRange()).isEmpty)

            // Following again after an unfollow is a new follow.
            #expect(try await store.write {
                try await $0.network.follow(id: 20, follower: Member.ID(1), followee: Member.ID(2), at: at(5))
            })
            let list = try await following(store, of: 1, CursorRange())
            #expect(list.map(\.cursor) == [20])
            #expect(list.first?.since == at(5))
        }
    }

    @Test(arguments: Engine.enabled)
    func unfollowWithoutFollowsIsFalse(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insert(store, [makeMember(1, handle: "ada"), makeMember(2, handle: "grace")])
            #expect(!(try await store.write { try await $0.network.unfollow(follower: Member.ID(1), followee: Member.ID(2)) }))
            #expect(!(try await store.write { try await $0.network.unfollow(follower: Member.ID(1), followee: Member.ID(99)) }))
        }
    }

    // MARK: - Lists and cursors

    /// Member 1 ("hub") is followed by members 2…8 (follow ids 102…108) and follows them back in the
    /// opposite order (follow ids 202…208 go from member 8 down to member 2), one minute apart.
    @discardableResult
    private static func seedHub(_ store: SQLStore) async throws -> [Member] {
        var members = [makeMember(1, handle: "hub", name: "Hub Member", department: "Research")]
        for id in Int64(2)...8 {
            members.append(
                makeMember(
                    id, handle: "member\(id)", name: "Member \(id)", department: "Dept \(id)", location: "City \(id)",
                    subjects: ["topic-\(id)"], expertise: ["skill-\(id)"]))
        }
        members.append(makeMember(9, handle: "loner"))
        try await insert(store, members)
        try await store.write { repos in
            for id in Int64(2)...8 {
                _ = try await repos.network.follow(
                    id: 100 + id, follower: Member.ID(id), followee: Member.ID(1), at: at(Int(id)))
                let followee = 10 - id
                _ = try await repos.network.follow(
                    id: 200 + id, follower: Member.ID(1), followee: Member.ID(followee), at: at(100 + Int(id)))
            }
        }
        return members
    }

    @Test(arguments: Engine.enabled)
    func followersComeNewestFirstWithTheFollowersProfile(engine: Engine) async throws {
        try await withStore(engine) { store in
            let members = try await Self.seedHub(store)
            let all = try await followers(store, of: 1, CursorRange())
            #expect(all.map(\.cursor) == [108, 107, 106, 105, 104, 103, 102])
            #expect(all.map(\.member.id.rawValue) == [8, 7, 6, 5, 4, 3, 2])
            // The whole member on the other side is decoded, not the hub.
            for entry in all {
                let expected = try #require(members.first { $0.id == entry.member.id })
                #expect(entry.member == expected)
                #expect(entry.since == at(Int(entry.member.id.rawValue)))
            }
            #expect(try await followers(store, of: 9, CursorRange()).isEmpty)
            #expect(try await followers(store, of: 5, CursorRange()).map(\.member.handle) == ["hub"])
        }
    }

    @Test(arguments: Engine.enabled)
    func followingComesNewestFirstWithTheFolloweesProfile(engine: Engine) async throws {
        try await withStore(engine) { store in
            let members = try await Self.seedHub(store)
            let all = try await following(store, of: 1, CursorRange())
            #expect(all.map(\.cursor) == [208, 207, 206, 205, 204, 203, 202])
            #expect(all.map(\.member.id.rawValue) == [2, 3, 4, 5, 6, 7, 8])
            for entry in all {
                let expected = try #require(members.first { $0.id == entry.member.id })
                #expect(entry.member == expected)
                #expect(entry.since == at(100 + Int(entry.cursor - 200)))
            }
            let ofMember3 = try await following(store, of: 3, CursorRange())
            #expect(ofMember3.map(\.cursor) == [103])
            #expect(ofMember3.first?.member == members[0])
            #expect(try await following(store, of: 9, CursorRange()).isEmpty)
        }
    }

    @Test(arguments: Engine.enabled)
    func listsPageByCursor(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await Self.seedHub(store)
            func cursors(_ range: CursorRange) async throws -> [Int64] {
                try await followers(store, of: 1, range).map(\.cursor)
            }
            // Limits cut from the newest end.
            #expect(try await cursors(CursorRange(limit: 3)) == [108, 107, 106])
            #expect(try await cursors(CursorRange(limit: 1)) == [108])
            // `before` (max_id): older than the cursor, which is excluded.
            #expect(try await cursors(CursorRange(before: 106, limit: 2)) == [105, 104])
            #expect(try await cursors(CursorRange(before: 104, limit: 40)) == [103, 102])
            #expect(try await cursors(CursorRange(before: 102, limit: 40)).isEmpty)
            // Walking the whole list two at a time sees every follow once.
            var seen: [Int64] = []
            var before: Int64? = nil
            while true {
                let page = try await cursors(CursorRange(before: before, limit: 2))
                if page.isEmpty { break }
                seen += page
                before = page.last
            }
            #expect(seen == [108, 107, 106, 105, 104, 103, 102])
            // `after` (since_id): newer than the cursor, from the newest down.
            #expect(try await cursors(CursorRange(after: 104, limit: 40)) == [108, 107, 106, 105])
            #expect(try await cursors(CursorRange(after: 104, limit: 2)) == [108, 107])
            #expect(try await cursors(CursorRange(after: 108, limit: 40)).isEmpty)
            // `nearestAfter` (min_id): the rows just after the cursor, still newest first.
            #expect(try await cursors(CursorRange(nearestAfter: 104, limit: 2)) == [106, 105])
            #expect(try await cursors(CursorRange(nearestAfter: 101, limit: 3)) == [104, 103, 102])
            #expect(try await cursors(CursorRange(nearestAfter: 106, limit: 40)) == [108, 107])
            // Both ends at once.
            #expect(try await cursors(CursorRange(before: 107, after: 103, limit: 40)) == [106, 105, 104])
            #expect(try await cursors(CursorRange(before: 107, after: 103, limit: 2)) == [106, 105])

            let followingPage = try await following(store, of: 1, CursorRange(before: 206, limit: 2))
            #expect(followingPage.map(\.cursor) == [205, 204])
            #expect(followingPage.map(\.member.id.rawValue) == [5, 6])
            let newest = try await following(store, of: 1, CursorRange(nearestAfter: 206, limit: 1))
            #expect(newest.map(\.cursor) == [207])
        }
    }

    @Test(arguments: Engine.enabled)
    func countsForSeveralMembersIncludeZeros(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await Self.seedHub(store)
            _ = try await store.write {
                try await $0.network.follow(id: 300, follower: Member.ID(2), followee: Member.ID(3), at: at(300))
            }
            let ids = [1, 2, 3, 9, 42].map { Member.ID(Int64($0)) }
            let counts = try await store.read { try await $0.network.counts(for: ids) }
            #expect(counts.count == 5)
            #expect(counts[Member.ID(1)] == NetworkCounts(followers: 7, following: 7))
            #expect(counts[Member.ID(2)] == NetworkCounts(followers: 1, following: 2))
            #expect(counts[Member.ID(3)] == NetworkCounts(followers: 2, following: 1))
            #expect(counts[Member.ID(9)] == NetworkCounts(followers: 0, following: 0))
            #expect(counts[Member.ID(42)] == NetworkCounts(), "an unknown id counts zero")
            #expect(try await store.read { try await $0.network.counts(for: []) }.isEmpty)
        }
    }

    // MARK: - Relationships, mutes and blocks

    @Test(arguments: Engine.enabled)
    func relationshipsReportEveryDirectionForSeveralTargets(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insert(store, (Int64(1)...8).map { makeMember($0, handle: "m\($0)") })
            try await store.write { repos in
                let n = repos.network
                // 1 follows 2; 3 follows 1; 1 and 4 follow each other and 1 mutes 4.
                _ = try await n.follow(id: 10, follower: Member.ID(1), followee: Member.ID(2), at: at(10))
                _ = try await n.follow(id: 11, follower: Member.ID(3), followee: Member.ID(1), at: at(11))
                _ = try await n.follow(id: 12, follower: Member.ID(1), followee: Member.ID(4), at: at(12))
                _ = try await n.follow(id: 13, follower: Member.ID(4), followee: Member.ID(1), at: at(13))
                try await n.setMuted(true, member: Member.ID(1), target: Member.ID(4), at: at(14))
                // 1 blocks 5; 6 blocks 1; 7 mutes and blocks 1 (which 1 must not see as its own muting).
                try await n.setBlocked(true, member: Member.ID(1), target: Member.ID(5), at: at(15))
                try await n.setBlocked(true, member: Member.ID(6), target: Member.ID(1), at: at(16))
                try await n.setMuted(true, member: Member.ID(7), target: Member.ID(1), at: at(17))
                try await n.setBlocked(true, member: Member.ID(7), target: Member.ID(1), at: at(17))
                // Unrelated pairs do not leak into member 1's view.
                _ = try await n.follow(id: 14, follower: Member.ID(2), followee: Member.ID(8), at: at(18))
                try await n.setBlocked(true, member: Member.ID(8), target: Member.ID(2), at: at(19))
            }
            let found = try await relationships(store, of: 1, with: [2, 3, 4, 5, 6, 7, 8])
            #expect(found == [
                Relationship(target: Member.ID(2), following: true, followedSince: at(10)),
                Relationship(target: Member.ID(3), followedBy: true),
                Relationship(target: Member.ID(4), following: true, followedBy: true, muting: true, followedSince: at(12)),
                Relationship(target: Member.ID(5), blocking: true),
                Relationship(target: Member.ID(6), blockedBy: true),
                Relationship(target: Member.ID(7), blockedBy: true),
                Relationship(target: Member.ID(8)),
            ])
            // In the order asked for, with unknown ids as plain relationships.
            let reordered = try await relationships(store, of: 1, with: [6, 99, 2])
            #expect(reordered.map(\.target.rawValue) == [6, 99, 2])
            #expect(reordered[1] == Relationship(target: Member.ID(99)))
            #expect(reordered[2].following)
            // The same pairs seen from the other side.
            #expect(try await relationships(store, of: 4, with: [1]) == [
                Relationship(target: Member.ID(1), following: true, followedBy: true, followedSince: at(13))
            ])
            #expect(try await relationships(store, of: 5, with: [1]) == [Relationship(target: Member.ID(1), blockedBy: true)])
            #expect(try await relationships(store, of: 7, with: [1]) == [
                Relationship(target: Member.ID(1), muting: true, blocking: true)
            ])
            #expect(try await relationships(store, of: 1, with: []).isEmpty)
        }
    }

    @Test(arguments: Engine.enabled)
    func mutingIsIdempotentBothWays(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insert(store, [makeMember(1, handle: "ada"), makeMember(2, handle: "grace")])
            for _ in 0..<2 {
                try await store.write { try await $0.network.setMuted(true, member: Member.ID(1), target: Member.ID(2), at: at(1)) }
            }
            #expect(try await relationships(store, of: 1, with: [2]) == [Relationship(target: Member.ID(2), muting: true)])
            #expect(try await relationships(store, of: 2, with: [1]) == [Relationship(target: Member.ID(1))])
            for _ in 0..<2 {
                try await store.write { try await $0.network.setMuted(false, member: Member.ID(1), target: Member.ID(2), at: at(2)) }
            }
            #expect(try await relationships(store, of: 1, with: [2]) == [Relationship(target: Member.ID(2))])
            // Muting again after unmuting works.
            try await store.write { try await $0.network.setMuted(true, member: Member.ID(1), target: Member.ID(2), at: at(3)) }
            #expect(try await relationships(store, of: 1, with: [2]).first?.muting == true)
        }
    }

    @Test(arguments: Engine.enabled)
    func blockingIsIdempotentBothWays(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insert(store, [makeMember(1, handle: "ada"), makeMember(2, handle: "grace")])
            for _ in 0..<2 {
                try await store.write { try await $0.network.setBlocked(true, member: Member.ID(1), target: Member.ID(2), at: at(1)) }
            }
            #expect(try await relationships(store, of: 1, with: [2]) == [Relationship(target: Member.ID(2), blocking: true)])
            #expect(try await relationships(store, of: 2, with: [1]) == [Relationship(target: Member.ID(1), blockedBy: true)])
            // A block in the repository alone does not touch follows or mutes; the use case ends follows.
            #expect(try await relationships(store, of: 1, with: [2]).first?.muting == false)
            for _ in 0..<2 {
                try await store.write { try await $0.network.setBlocked(false, member: Member.ID(1), target: Member.ID(2), at: at(2)) }
            }
            #expect(try await relationships(store, of: 1, with: [2]) == [Relationship(target: Member.ID(2))])
            #expect(try await relationships(store, of: 2, with: [1]) == [Relationship(target: Member.ID(1))])
        }
    }

    // MARK: - Hashtags

    @Test(arguments: Engine.enabled)
    func tagFollowIsTrueOnceThenFalse(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insert(store, [makeMember(1, handle: "ada"), makeMember(2, handle: "grace")])
            let first = try await store.write { try await $0.network.followTag(id: 10, member: Member.ID(1), tag: "swift", at: at(1)) }
            let (again, other) = try await store.write { repos in
                let again = try await repos.network.followTag(id: 11, member: Member.ID(1), tag: "swift", at: at(2))
                let other = try await repos.network.followTag(id: 12, member: Member.ID(2), tag: "swift", at: at(3))
                return (again, other)
            }
            #expect(first)
            #expect(!again)
            #expect(other, "another member follows the same hashtag on their own")
            #expect(try await tags(store, of: 1, CursorRange()) == [TagFollow(cursor: 10, tag: "swift", since: at(1))])

            let following = try await store.read { repos in
                [
                    try await repos.network.isFollowingTag(member: Member.ID(1), tag: "swift"),
                    try await repos.network.isFollowingTag(member: Member.ID(1), tag: "kotlin"),
                    try await repos.network.isFollowingTag(member: Member.ID(2), tag: "swift"),
                ]
            }
            #expect(following == [true, false, true])

            #expect(try await store.write { try await $0.network.unfollowTag(member: Member.ID(1), tag: "swift") })
            #expect(!(try await store.write { try await $0.network.unfollowTag(member: Member.ID(1), tag: "swift") }))
            #expect(!(try await store.write { try await $0.network.unfollowTag(member: Member.ID(1), tag: "kotlin") }))
            #expect(!(try await store.read { try await $0.network.isFollowingTag(member: Member.ID(1), tag: "swift") }))
            #expect(try await store.read { try await $0.network.isFollowingTag(member: Member.ID(2), tag: "swift") })
            #expect(try await tags(store, of: 1, CursorRange()).isEmpty)
        }
    }

    @Test(arguments: Engine.enabled)
    func followedTagsPageByCursor(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await insert(store, [makeMember(1, handle: "ada"), makeMember(2, handle: "grace")])
            let names = ["analytics", "baking", "chemistry", "design", "ethics", "finance"]
            try await store.write { repos in
                for (index, name) in names.enumerated() {
                    _ = try await repos.network.followTag(id: Int64(10 + index), member: Member.ID(1), tag: name, at: at(index))
                }
                _ = try await repos.network.followTag(id: 99, member: Member.ID(2), tag: "gardening", at: at(50))
            }
            let all = try await tags(store, of: 1, CursorRange())
            #expect(all.map(\.tag) == names.reversed())
            #expect(all.map(\.cursor) == [15, 14, 13, 12, 11, 10])
            #expect(all.last == TagFollow(cursor: 10, tag: "analytics", since: at(0)))

            #expect(try await tags(store, of: 1, CursorRange(limit: 2)).map(\.tag) == ["finance", "ethics"])
            #expect(try await tags(store, of: 1, CursorRange(before: 14, limit: 2)).map(\.tag) == ["design", "chemistry"])
            #expect(try await tags(store, of: 1, CursorRange(before: 12, limit: 40)).map(\.tag) == ["baking", "analytics"])
            #expect(try await tags(store, of: 1, CursorRange(after: 12, limit: 2)).map(\.tag) == ["finance", "ethics"])
            #expect(try await tags(store, of: 1, CursorRange(nearestAfter: 12, limit: 2)).map(\.tag) == ["ethics", "design"])
            #expect(try await tags(store, of: 1, CursorRange(before: 15, after: 11, limit: 40)).map(\.cursor) == [14, 13, 12])
            #expect(try await tags(store, of: 2, CursorRange()).map(\.tag) == ["gardening"])
        }
    }
}
