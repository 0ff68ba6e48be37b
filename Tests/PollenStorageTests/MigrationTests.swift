import Foundation
import PollenCore
import PollenStorage
import Testing

@Suite struct MigrationTests {
    @Test(arguments: Engine.enabled)
    func migratingAnUpToDateDatabaseAppliesNothingAndKeepsTheData(engine: Engine) async throws {
        try await withStore(engine) { store in
            let member = makeMember(1, handle: "ada", subjects: ["math"])
            let settings = ServerSettings(name: "Kept", signupPolicy: .invitation)
            try await store.write { repos in
                try await repos.members.insert(member)
                try await repos.settings.save(settings)
            }
            let applied = try await store.migrate()
            #expect(applied == [])
            #expect(try await store.migrate() == [])

            #expect(try await store.read { try await $0.members.find(id: Member.ID(1)) } == member)
            #expect(try await store.read { try await $0.settings.load() } == settings)
        }
    }

    @Test(arguments: Engine.enabled)
    func concurrentMigrationsOfAnUpToDateDatabaseAllSucceed(engine: Engine) async throws {
        try await withStore(engine) { store in
            let results = try await withThrowingTaskGroup(of: [String].self) { group in
                for _ in 0..<4 { group.addTask { try await store.migrate() } }
                return try await group.reduce(into: [[String]]()) { $0.append($1) }
            }
            #expect(results == [[], [], [], []])
            try await store.ping()
        }
    }
}
