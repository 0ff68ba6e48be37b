import ArgumentParser
import Foundation
import PollenCore
import PollenStorage

struct BackupData: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the SQLite database and uploaded resources into a folder, while the server runs.",
        discussion: "For PostgreSQL, use pg_dump for the database (see the README) and copy the resources folder.")

    @OptionGroup var storage: StorageOptions

    @Argument(help: "An empty (or new) folder for the backup.")
    var folder: String

    func run() async throws {
        try await reportingErrors {
            let logger = storage.logger()
            let store = try await SQLStore.open(try storage.location(), logger: logger)
            do {
                let manifest = try await Backup.make(
                    store: store, resources: storage.resourceFiles.root, into: URL(fileURLWithPath: folder), logger: logger)
                await store.shutdown()
                print("Backed up the database (\(manifest.schema.last ?? "no schema")) and \(manifest.resourceFiles) resource files into \(folder).")
                if !manifest.missingResources.isEmpty {
                    print("\(manifest.missingResources.count) files were deleted while the backup ran; see backup.json.")
                }
            } catch {
                await store.shutdown()
                throw error
            }
        }
    }
}

struct RestoreData: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Put a backup made by `pollen backup` back into the data folder. Stop the server first.")

    @OptionGroup var storage: StorageOptions

    @Argument(help: "The backup folder.")
    var folder: String

    @Flag(help: "Replace the database that is there.")
    var force = false

    func run() async throws {
        try await reportingErrors {
            guard case .sqlite(let path) = try storage.location() else {
                throw DomainError.invalid("The database is PostgreSQL: restore it with pg_restore or psql (see the README).")
            }
            let manifest = try await Backup.restore(
                from: URL(fileURLWithPath: folder), databasePath: path, resources: storage.resourceFiles.root, force: force,
                logger: storage.logger())
            print("Restored the backup of \(manifest.createdAt.formatted(date: .abbreviated, time: .shortened)) to \(path), with \(manifest.resourceFiles) resource files.")
        }
    }
}
