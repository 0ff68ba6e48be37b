import Foundation
import PollenCore
import PollenStorage
import Testing

/// A moment `minutes` after the start of 2026, whole milliseconds so it survives the round trip.
private func at(_ minutes: Int) -> Date {
    Date(timeIntervalSince1970: 1_767_225_600 + Double(minutes) * 60)
}

private func notification(
    _ id: Int64, for member: Int64, _ kind: MemberNotification.Kind, by actor: Int64, post: Int64? = nil,
    minute: Int? = nil, readAt: Date? = nil
) -> MemberNotification {
    MemberNotification(
        id: MemberNotification.ID(id), memberID: Member.ID(member), kind: kind, actorID: Member.ID(actor),
        postID: post.map(Post.ID.init), createdAt: at(minute ?? Int(id)), readAt: readAt)
}

private func ids(_ list: [MemberNotification]) -> [Int64] {
    list.map(\.id.rawValue)
}

@Suite struct NotificationRepositoryTests {
    /// Members ada (1), grace (2) and alan (3); posts 100 by ada and 101 by grace. Ada is told of a follow
    /// (10), a mention (11), a favourite (12), a reshare (13) and a reply (14); grace of a follow (20).
    @discardableResult
    private static func seed(_ store: SQLStore) async throws -> [MemberNotification] {
        let list = [
            notification(10, for: 1, .follow, by: 2),
            notification(11, for: 1, .mention, by: 2, post: 101),
            notification(12, for: 1, .favourite, by: 3, post: 100),
            notification(13, for: 1, .reshare, by: 2, post: 100),
            notification(14, for: 1, .reply, by: 3, post: 102),
            notification(20, for: 2, .follow, by: 1),
        ]
        try await store.write { repos in
            try await repos.members.insertMany([
                makeMember(1, handle: "ada"), makeMember(2, handle: "grace"), makeMember(3, handle: "alan"),
            ])
            try await repos.posts.insert(
                Post(id: Post.ID(100), authorID: Member.ID(1), body: "Hello", visibility: .organization, createdAt: at(0)))
            try await repos.posts.insert(
                Post(id: Post.ID(101), authorID: Member.ID(2), body: "Hi @ada", visibility: .organization,
                    mentionIDs: [Member.ID(1)], createdAt: at(0)))
            try await repos.posts.insert(
                Post(id: Post.ID(102), authorID: Member.ID(3), body: "Indeed", visibility: .organization,
                    replyToID: Post.ID(100), replyToAuthorID: Member.ID(1), threadRootID: Post.ID(100), createdAt: at(0)))
            for item in list { try await repos.notifications.insert(item) }
        }
        return list
    }

    private static func list(
        _ store: SQLStore, member: Int64 = 1, kinds: Set<MemberNotification.Kind>? = nil, _ range: CursorRange = CursorRange()
    ) async throws -> [Int64] {
        ids(try await store.read { try await $0.notifications.list(member: Member.ID(member), kinds: kinds, range: range) })
    }

    private static func find(_ store: SQLStore, _ id: Int64, member: Int64 = 1) async throws -> MemberNotification? {
        try await store.read { try await $0.notifications.find(id: MemberNotification.ID(id), member: Member.ID(member)) }
    }

    private static func unread(_ store: SQLStore, _ member: Int64 = 1) async throws -> Int {
        try await store.read { try await $0.notifications.unreadCount(member: Member.ID(member)) }
    }

    private static func lastRead(_ store: SQLStore, _ member: Int64 = 1) async throws -> Int64? {
        try await store.read { try await $0.notifications.lastRead(member: Member.ID(member)) }?.rawValue
    }

    private static func markRead(_ store: SQLStore, upTo id: Int64, at date: Date) async throws {
        try await store.write {
            try await $0.notifications.markRead(member: Member.ID(1), upTo: MemberNotification.ID(id), at: date)
        }
    }

    private static func dismiss(_ store: SQLStore, _ id: Int64, member: Int64 = 1) async throws -> Bool {
        try await store.write {
            try await $0.notifications.dismiss(id: MemberNotification.ID(id), member: Member.ID(member))
        }
    }

    // MARK: - Insert and find

    @Test(arguments: Engine.enabled)
    func insertedNotificationsComeBackWholeOnlyForTheirMember(engine: Engine) async throws {
        try await withStore(engine) { store in
            let seeded = try await Self.seed(store)
            for item in seeded {
                #expect(try await Self.find(store, item.id.rawValue, member: item.memberID.rawValue) == item)
            }
            // Without a post, and with a post.
            #expect(try await Self.find(store, 10)?.postID == nil)
            #expect(try await Self.find(store, 11)?.postID == Post.ID(101))
            #expect(try await Self.find(store, 11)?.kind == .mention)
            #expect(try await Self.find(store, 11)?.actorID == Member.ID(2))
            // Another member's notification is not found by id.
            #expect(try await Self.find(store, 11, member: 2) == nil)
            #expect(try await Self.find(store, 20, member: 1) == nil)
            #expect(try await Self.find(store, 999) == nil)

            // A read time survives the round trip too.
            let read = notification(30, for: 3, .follow, by: 1, readAt: at(40))
            try await store.write { try await $0.notifications.insert(read) }
            #expect(try await Self.find(store, 30, member: 3) == read)
            #expect(try await Self.unread(store, 3) == 0)
        }
    }

    // MARK: - Lists

    @Test(arguments: Engine.enabled)
    func listIsNewestFirstAndFiltersByKind(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await Self.seed(store)
            #expect(try await Self.list(store) == [14, 13, 12, 11, 10])
            #expect(try await Self.list(store, member: 2) == [20])
            #expect(try await Self.list(store, member: 3).isEmpty)
            #expect(try await Self.list(store, kinds: [.mention]) == [11])
            #expect(try await Self.list(store, kinds: [.mention, .reply]) == [14, 11])
            #expect(try await Self.list(store, kinds: [.follow, .favourite, .reshare]) == [13, 12, 10])
            #expect(try await Self.list(store, kinds: Set(MemberNotification.Kind.allCases)) == [14, 13, 12, 11, 10])
            // An empty set of kinds asks for nothing, not for everything.
            #expect(try await Self.list(store, kinds: []).isEmpty)
            // Another member's follow is not in ada's list of follows.
            #expect(try await Self.list(store, kinds: [.follow]) == [10])
        }
    }

    @Test(arguments: Engine.enabled)
    func listPagesByCursor(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await Self.seed(store)
            #expect(try await Self.list(store, CursorRange(limit: 2)) == [14, 13])
            // `before` (max_id) is exclusive, newest first.
            #expect(try await Self.list(store, CursorRange(before: 13, limit: 2)) == [12, 11])
            #expect(try await Self.list(store, CursorRange(before: 11)) == [10])
            #expect(try await Self.list(store, CursorRange(before: 10)).isEmpty)
            // `after` (since_id): the newest ones above the cursor.
            #expect(try await Self.list(store, CursorRange(after: 11)) == [14, 13, 12])
            #expect(try await Self.list(store, CursorRange(after: 11, limit: 2)) == [14, 13])
            #expect(try await Self.list(store, CursorRange(before: 14, after: 10)) == [13, 12, 11])
            // `nearestAfter` (min_id): the ones just above the cursor, still listed newest first.
            #expect(try await Self.list(store, CursorRange(nearestAfter: 10, limit: 2)) == [12, 11])
            #expect(try await Self.list(store, CursorRange(nearestAfter: 12)) == [14, 13])
            #expect(try await Self.list(store, CursorRange(nearestAfter: 14)).isEmpty)
            // Paging and kinds together.
            let someKinds: Set<MemberNotification.Kind> = [.mention, .reply, .follow]
            #expect(try await Self.list(store, kinds: someKinds, CursorRange(before: 14, limit: 1)) == [11])

            // Walking the list two at a time sees each notification once.
            var seen: [Int64] = []
            var before: Int64? = nil
            while true {
                let page = try await Self.list(store, CursorRange(before: before, limit: 2))
                guard let last = page.last else { break }
                seen += page
                before = last
            }
            #expect(seen == [14, 13, 12, 11, 10])
        }
    }

    // MARK: - Read, unread

    @Test(arguments: Engine.enabled)
    func markReadReadsUpToAnIdForItsMemberOnly(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await Self.seed(store)
            #expect(try await Self.unread(store) == 5)
            #expect(try await Self.unread(store, 2) == 1)
            #expect(try await Self.lastRead(store, 1) == nil)

            try await Self.markRead(store, upTo: 12, at: at(50))
            #expect(try await Self.unread(store) == 2)
            #expect(try await Self.find(store, 10)?.readAt == at(50))
            #expect(try await Self.find(store, 12)?.readAt == at(50))
            #expect(try await Self.find(store, 13)?.readAt == nil)
            // Grace's notification, with an id above 12 but another member's, stays unread.
            #expect(try await Self.unread(store, 2) == 1)
            #expect(try await Self.find(store, 20, member: 2)?.readAt == nil)
            #expect(try await Self.lastRead(store, 1) == 12)
            #expect(try await Self.lastRead(store, 2) == nil)

            // Reading further keeps the first read time of those read already.
            try await Self.markRead(store, upTo: 14, at: at(60))
            #expect(try await Self.unread(store) == 0)
            #expect(try await Self.find(store, 11)?.readAt == at(50))
            #expect(try await Self.find(store, 14)?.readAt == at(60))
            #expect(try await Self.lastRead(store, 1) == 14)
        }
    }

    // MARK: - Dismiss and clear

    @Test(arguments: Engine.enabled)
    func dismissRemovesOneOwnNotificationOnce(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await Self.seed(store)
            #expect(try await Self.dismiss(store, 12))
            #expect(try await Self.find(store, 12) == nil)
            #expect(try await Self.list(store) == [14, 13, 11, 10])
            #expect(try await Self.unread(store) == 4)
            // Again, unknown, or another member's: false, and nothing else goes.
            #expect(!(try await Self.dismiss(store, 12)))
            #expect(!(try await Self.dismiss(store, 999)))
            #expect(!(try await Self.dismiss(store, 20)))
            #expect(try await Self.list(store, member: 2) == [20])
        }
    }

    @Test(arguments: Engine.enabled)
    func deleteAllAboutAPostRemovesOnlyThose(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await Self.seed(store)
            let another = notification(21, for: 2, .favourite, by: 3, post: 100)
            try await store.write { try await $0.notifications.insert(another) }
            try await store.write { try await $0.notifications.deleteAll(about: Post.ID(100)) }
            // The favourite and the reshare of post 100 go, for every member; the rest stays.
            #expect(try await Self.list(store) == [14, 11, 10])
            #expect(try await Self.list(store, member: 2) == [20])
            #expect(try await Self.unread(store) == 3)
            try await store.write { try await $0.notifications.deleteAll(about: Post.ID(999)) }
            #expect(try await Self.list(store) == [14, 11, 10])
        }
    }

    @Test(arguments: Engine.enabled)
    func withdrawRemovesOnlyTheUndoneAct(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await Self.seed(store)
            let (ada, grace, alan) = (Member.ID(1), Member.ID(2), Member.ID(3))
            // Grace's reshare of post 100 is undone; her mention and follow, and Alan's favourite, stay.
            try await store.write { try await $0.notifications.withdraw(.reshare, to: ada, from: grace, post: Post.ID(100)) }
            #expect(try await Self.list(store) == [14, 12, 11, 10])
            // A follow has no post: withdrawing it leaves the acts about posts alone.
            try await store.write { try await $0.notifications.withdraw(.follow, to: ada, from: grace, post: nil) }
            #expect(try await Self.list(store) == [14, 12, 11])
            // The wrong actor, post or member withdraws nothing.
            try await store.write { repos in
                try await repos.notifications.withdraw(.favourite, to: ada, from: grace, post: Post.ID(100))
                try await repos.notifications.withdraw(.favourite, to: ada, from: alan, post: Post.ID(101))
                try await repos.notifications.withdraw(.favourite, to: grace, from: alan, post: Post.ID(100))
            }
            #expect(try await Self.list(store) == [14, 12, 11])
            #expect(try await Self.list(store, member: 2) == [20])
        }
    }

    @Test(arguments: Engine.enabled)
    func clearRemovesAllOfOneMembersNotifications(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await Self.seed(store)
            try await Self.markRead(store, upTo: 11, at: at(50))
            try await store.write { try await $0.notifications.clear(member: Member.ID(1)) }
            #expect(try await Self.list(store).isEmpty)
            #expect(try await Self.unread(store) == 0)
            #expect(try await Self.lastRead(store, 1) == nil)
            #expect(try await Self.list(store, member: 2) == [20])
            #expect(try await Self.unread(store, 2) == 1)
            // Clearing nothing is fine.
            try await store.write { try await $0.notifications.clear(member: Member.ID(3)) }
            #expect(try await Self.list(store, member: 2) == [20])
        }
    }
}
