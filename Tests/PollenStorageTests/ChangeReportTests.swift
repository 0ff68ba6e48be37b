import Foundation
import PollenCore
import PollenStorage
import Synchronization
import Testing

// Caches of finished answers trust these reports: a write that changes what a reader shows and is not
// reported leaves a stale page in front of people. Each write kind is checked for what it names.

private let start = Date(timeIntervalSince1970: 1_767_225_600)
private func m(_ id: Int64) -> Member.ID { Member.ID(id) }

/// The reports an observed store gives, in order.
private final class Reports: Sendable {
    private let seen = Mutex<[StoreChanges]>([])
    init(_ store: SQLStore) { store.observeChanges { [self] changes in seen.withLock { $0.append(changes) } } }
    var all: [StoreChanges] { seen.withLock { $0 } }
    /// The reports since the last call.
    func take() -> [StoreChanges] { seen.withLock { let all = $0; $0 = []; return all } }
}

private func post(_ id: Int64, by author: Int64, tags: [String] = [], mentions: [Int64] = []) -> Post {
    Post(
        id: Post.ID(id), authorID: m(author), body: "Post \(id)", visibility: .organization, hashtags: tags,
        mentionIDs: mentions.map(m), createdAt: start.addingTimeInterval(Double(id)))
}

@Suite struct ChangeReportTests {
    @Test(arguments: Engine.enabled) func eachWriteNamesWhatItChanged(_ engine: Engine) async throws {
        try await withStore(engine) { store in
            try await store.write { try await $0.members.insertMany((1...3).map { makeMember($0, handle: "m\($0)") }) }
            let reports = Reports(store)

            _ = try await store.write { try await $0.network.follow(id: 1, follower: m(1), followee: m(2), at: start) }
            #expect(reports.take() == [StoreChanges(members: [m(1), m(2)])])

            try await store.write { try await $0.posts.insert(post(100, by: 2, tags: ["flow"], mentions: [3])) }
            #expect(
                reports.take() == [
                    StoreChanges(
                        posts: [Post.ID(100)], members: [m(2)],
                        arrivals: [.init(author: m(2), hashtags: ["flow"])])
                ])

            _ = try await store.write { repos in
                _ = try await repos.posts.favourite(Post.ID(100), by: m(1), id: 5, at: start)
                try await repos.posts.adjustCounts(Post.ID(100), replies: 0, reshares: 0, favourites: 1)
            }
            #expect(reports.take() == [StoreChanges(posts: [Post.ID(100)], members: [m(1)])])

            try await store.write { try await $0.network.setMuted(true, member: m(1), target: m(3), at: start) }
            #expect(reports.take() == [StoreChanges(members: [m(1), m(3)])])

            _ = try await store.write { try await $0.network.followTag(id: 7, member: m(3), tag: "flow", at: start) }
            #expect(reports.take() == [StoreChanges(members: [m(3)])])

            try await store.write { try await $0.posts.markDeleted(Post.ID(100), at: start) }
            #expect(reports.take() == [StoreChanges(posts: [Post.ID(100)], members: [m(2)])])

            let renamed = makeMember(3, handle: "m3", name: "Renamed")
            try await store.write { try await $0.members.update(renamed) }
            #expect(reports.take() == [StoreChanges(members: [m(3)])])

            try await store.write { try await $0.oauth.revokeToken(digest: "abc", at: start) }
            #expect(reports.take() == [StoreChanges(revokedTokens: ["abc"])])

            try await store.write { try await $0.network.insertFollows([FollowRecord(id: 9, follower: m(3), followee: m(1), at: start)]) }
            #expect(reports.take() == [StoreChanges(members: [m(1), m(3)], everything: true)])
        }
    }

    @Test(arguments: Engine.enabled) func readsAndRolledBackWritesReportNothing(_ engine: Engine) async throws {
        try await withStore(engine) { store in
            try await store.write { try await $0.members.insertMany((1...2).map { makeMember($0, handle: "m\($0)") }) }
            let reports = Reports(store)
            _ = try await store.read { try await $0.members.find(id: m(1)) }
            struct Abandon: Error {}
            await #expect(throws: Abandon.self) { () async throws in
                try await store.write { repos in
                    _ = try await repos.network.follow(id: 1, follower: m(1), followee: m(2), at: start)
                    throw Abandon()
                }
            }
            // Writes that show nowhere (sessions) report nothing either.
            #expect(reports.all.isEmpty)
        }
    }

    /// A command-line tool writes through a store nobody observes; the server's store, on the same database,
    /// hears of it as "everything" shortly after.
    @Test func writesOfAnotherProcessReachTheObserverAsEverything() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pollen-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("db.sqlite").path
        let server = try await SQLStore.open(.sqlite(path: path), logger: testLogger)
        let tool = try await SQLStore.open(.sqlite(path: path), logger: testLogger)
        do {
            try await server.migrate()
            let reports = Reports(server)
            // The watcher reads its first epoch before the tool writes.
            try await Task.sleep(for: .milliseconds(300))
            try await tool.write { try await $0.members.insertMany([makeMember(1, handle: "m1")]) }
            let deadline = ContinuousClock.now + .seconds(10)
            while !reports.all.contains(where: { $0.everything }), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(reports.all.contains { $0.everything })
            await tool.shutdown()
            await server.shutdown()
        } catch {
            await tool.shutdown()
            await server.shutdown()
            throw error
        }
    }
}
