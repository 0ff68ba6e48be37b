import Foundation
import Logging
import PollenCore
import SQLKit

/// What a backup holds, written beside it as `backup.json`.
public struct BackupManifest: Codable, Sendable, Equatable {
    public var createdAt: Date
    /// The migrations the copied database has.
    public var schema: [String]
    public var resourceFiles: Int
    public var resourceBytes: Int64
    /// Files the database names that were gone from the resources folder when it was copied (deleted
    /// between the database's snapshot and the copy): their items show without a file after a restore.
    public var missingResources: [String]
}

/// Online backups of the SQLite database and the uploaded resources, and restoring them.
///
/// The database is copied with `VACUUM INTO`, which reads one snapshot: the copy is consistent even while
/// the server keeps writing (WAL mode lets the writer go on). Resource files are never changed once
/// written (a new upload gets a new key), so copying them after the snapshot gives every file the snapshot
/// names, unless an item was deleted in between; those are listed in the manifest.
public enum Backup {
    public static let databaseName = "pollen.sqlite"
    public static let resourcesName = "resources"
    public static let manifestName = "backup.json"

    /// Copies the database of `store` (SQLite only) and `resources` into `folder`, which must not hold a
    /// backup already.
    public static func make(store: SQLStore, resources: URL, into folder: URL, logger: Logger) async throws -> BackupManifest {
        guard store.engine.dialect == .sqlite else {
            throw DomainError.invalid("The database is PostgreSQL: back it up with pg_dump (see the README), and copy the resources folder.")
        }
        let files = FileManager.default
        try files.createDirectory(at: folder, withIntermediateDirectories: true)
        let database = folder.appendingPathComponent(databaseName)
        guard !files.fileExists(atPath: database.path) else {
            throw DomainError(.conflict, "\(folder.path) already holds a backup: choose an empty folder.")
        }
        try await store.engine.read { db in try await db.raw("VACUUM INTO \(bind: database.path)").run() }

        // What the snapshot names, read from the copy itself.
        let copy = try await SQLStore.open(.sqlite(path: database.path), logger: logger)
        var manifest = BackupManifest(createdAt: Date(), schema: [], resourceFiles: 0, resourceBytes: 0, missingResources: [])
        do {
            try await verify(copy)
            manifest.schema = try await copy.engine.read { db in
                try await db.raw("SELECT id FROM pollen_migrations ORDER BY id").all().map { try $0.decode(column: "id", as: String.self) }
            }
            let keys = try await copy.engine.read { db in
                try await db.raw("SELECT storage_key FROM community_items WHERE storage_key IS NOT NULL").all()
                    .map { try $0.decode(column: "storage_key", as: String.self) }
            }
            let target = folder.appendingPathComponent(resourcesName)
            for key in keys {
                let source = resources.appendingPathComponent(key)
                guard let data = files.contents(atPath: source.path) else {
                    manifest.missingResources.append(key)
                    continue
                }
                let destination = target.appendingPathComponent(key)
                try files.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
                try data.write(to: destination)
                manifest.resourceFiles += 1
                manifest.resourceBytes += Int64(data.count)
            }
            await copy.shutdown()
        } catch {
            await copy.shutdown()
            throw error
        }
        try writeManifest(manifest, in: folder)
        return manifest
    }

    /// Puts a backup back: the database at `databasePath` and the files under `resources`. The server must
    /// be stopped. An existing database is replaced only with `force`.
    public static func restore(from folder: URL, databasePath: String, resources: URL, force: Bool, logger: Logger) async throws
        -> BackupManifest
    {
        let files = FileManager.default
        let source = folder.appendingPathComponent(databaseName)
        guard files.fileExists(atPath: source.path),
            let data = files.contents(atPath: folder.appendingPathComponent(manifestName).path)
        else { throw DomainError.invalid("\(folder.path) holds no Pollen backup (\(databaseName) and \(manifestName)).") }
        let manifest = try decoder.decode(BackupManifest.self, from: data)
        if files.fileExists(atPath: databasePath), !force {
            throw DomainError(.conflict, "A database exists at \(databasePath). Stop the server, then restore with --force to replace it.")
        }
        // Copied beside the target and moved into place, so a failed copy leaves the old database whole.
        let target = URL(fileURLWithPath: databasePath)
        try files.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        let incoming = target.deletingLastPathComponent().appendingPathComponent(".restoring-\(UUID().uuidString)")
        try files.copyItem(at: source, to: incoming)
        for suffix in ["", "-wal", "-shm"] where files.fileExists(atPath: databasePath + suffix) {
            try files.removeItem(atPath: databasePath + suffix)
        }
        try files.moveItem(at: incoming, to: target)
        let restored = try await SQLStore.open(.sqlite(path: databasePath), logger: logger)
        do {
            try await verify(restored)
            await restored.shutdown()
        } catch {
            await restored.shutdown()
            throw error
        }
        let backedUp = folder.appendingPathComponent(resourcesName)
        if let enumerator = files.enumerator(at: backedUp, includingPropertiesForKeys: [.isRegularFileKey]) {
            for case let file as URL in enumerator where (try? file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                let key = String(file.standardizedFileURL.path.dropFirst(backedUp.standardizedFileURL.path.count + 1))
                let destination = resources.appendingPathComponent(key)
                try files.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
                if files.fileExists(atPath: destination.path) { try files.removeItem(at: destination) }
                try files.copyItem(at: file, to: destination)
            }
        }
        return manifest
    }

    /// Fails unless SQLite's integrity check passes.
    static func verify(_ store: SQLStore) async throws {
        let result = try await store.engine.read { db in
            try await db.raw("PRAGMA integrity_check").all().map { try $0.decode(column: "integrity_check", as: String.self) }
        }
        guard result == ["ok"] else {
            throw DomainError.invalid("The database copy is damaged: \(result.prefix(3).joined(separator: "; ")).")
        }
    }

    static func writeManifest(_ manifest: BackupManifest, in folder: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(manifest).write(to: folder.appendingPathComponent(manifestName))
    }

    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
