import Foundation
import PollenCore
@testable import PollenStorage
import Testing

/// `pollen backup` and `pollen restore` on SQLite: a consistent copy taken while writes go on, with the
/// uploaded files it names, and put back.
@Suite struct BackupTests {
    @Test func aBackupTakenDuringWritesRestoresWithItsFiles() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("pollen-backup-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let resources = root.appendingPathComponent("resources")
        let store = try await SQLStore.open(.sqlite(path: root.appendingPathComponent("db.sqlite").path), logger: testLogger)
        let backup = root.appendingPathComponent("backup")
        var open = true
        do {
            try await store.migrate()
            let pollen = Pollen(store: store, secrets: PlainSecrets(), files: DirectoryResourceFiles(root: resources))
            let ada = makeMember(1, handle: "ada")
            try await store.write { try await $0.members.insert(ada) }
            _ = try await pollen.createCommunity(CommunityDraft(slug: "front-line", name: "Front-line managers", kind: .vertical), by: .member(ada))
            let resource = try await pollen.createItem(
                ItemDraft(kind: .resource, title: "Rota template", file: UploadedFile(name: "rota.csv", data: Array("day,who\n".utf8))),
                in: "front-line", by: .member(ada))
            // Posts keep arriving while the backup runs; the copy is one consistent snapshot of them.
            let writer = Task {
                for index in 0..<200 { _ = try await pollen.publishPost(PostDraft(body: "Note \(index)"), by: .member(ada)) }
            }
            let manifest = try await Backup.make(store: store, resources: resources, into: backup, logger: testLogger)
            try await writer.value
            #expect(manifest.schema.contains("0016_questions"))
            #expect(manifest.resourceFiles == 1)
            #expect(manifest.missingResources.isEmpty)
            #expect(FileManager.default.fileExists(atPath: backup.appendingPathComponent("backup.json").path))
            // A second backup into the same folder is refused rather than mixed with the first.
            await #expect(throws: DomainError.self) {
                try await Backup.make(store: store, resources: resources, into: backup, logger: testLogger)
            }
            await store.shutdown()
            open = false

            // Restored elsewhere: the item, its file and the posts written before the snapshot are there.
            let restoredPath = root.appendingPathComponent("restored/pollen.sqlite").path
            let restoredResources = root.appendingPathComponent("restored/resources")
            _ = try await Backup.restore(
                from: backup, databasePath: restoredPath, resources: restoredResources, force: false, logger: testLogger)
            let restored = try await SQLStore.open(.sqlite(path: restoredPath), logger: testLogger)
            do {
                let item = try await restored.read { try await $0.communityContent.find(id: resource.id) }
                let key = try #require(item?.resource?.storageKey)
                #expect(try DirectoryResourceFiles(root: restoredResources).read(key: key) == Array("day,who\n".utf8))
                let posts = try await restored.read { try await $0.posts.timeline(.author(ada.id), viewer: ada.id, range: CursorRange(limit: 40)) }
                #expect(posts.allSatisfy { $0.post.body.hasPrefix("Note ") })
                await restored.shutdown()
            } catch {
                await restored.shutdown()
                throw error
            }
            // An existing database is replaced only when asked.
            await #expect(throws: DomainError.self) {
                try await Backup.restore(
                    from: backup, databasePath: restoredPath, resources: restoredResources, force: false, logger: testLogger)
            }
            _ = try await Backup.restore(from: backup, databasePath: restoredPath, resources: restoredResources, force: true, logger: testLogger)
        } catch {
            if open { await store.shutdown() }
            throw error
        }
    }
}
