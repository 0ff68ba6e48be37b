import Foundation
import Logging
import PollenCore
import SQLKit

/// The SQL implementation of ``PollenStore`` for both engines. Build it with ``open(_:logger:)`` and always
/// call ``shutdown()``, also on error paths, so connections close before the process ends.
public final class SQLStore: PollenStore {
    let engine: any SQLEngine

    private init(engine: any SQLEngine) {
        self.engine = engine
    }

    /// Opens the database. For SQLite the file's folder is created if needed.
    public static func open(_ location: DatabaseLocation, logger: Logger) async throws -> SQLStore {
        switch location {
        case .sqlite(let path):
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            return SQLStore(engine: try await SQLiteEngine.open(path: path, readers: 4, logger: logger))
        case .postgres(let url):
            return SQLStore(engine: await PostgresEngine.open(url: url, maxConnections: 16, logger: logger))
        }
    }

    /// Brings the schema up to date; returns the migrations it applied.
    @discardableResult
    public func migrate() async throws -> [String] {
        let applied = try await Migrations.run(on: engine)
        if let sqlite = engine as? SQLiteEngine {
            // The full-text index merges its segments here, a few pages at a time, instead of inside
            // whichever commit fills a level (migration 0008 turned that off): those merges made one
            // publish in 64 take 25 ms. FTS5 reports work done as more than one change.
            sqlite.setMaintenance { db in
                func changes() async throws -> Int64 {
                    try await db.raw("SELECT total_changes() AS n").first()?.decode(column: "n", as: Int64.self) ?? 0
                }
                let before = try await changes()
                try await db.raw("INSERT INTO posts_fts (posts_fts, rank) VALUES ('merge', 64)").run()
                return try await changes() - before > 1
            }
        }
        return applied
    }

    public func shutdown() async {
        await engine.shutdown()
    }

    public func read<T: Sendable>(_ work: @escaping @Sendable (any Repositories) async throws -> T) async throws -> T {
        let dialect = engine.dialect
        return try await engine.read { db in try await work(SQLRepositories(db: db, dialect: dialect)) }
    }

    public func write<T: Sendable>(_ work: @escaping @Sendable (any Repositories) async throws -> T) async throws -> T {
        let dialect = engine.dialect
        return try await engine.transaction { db in try await work(SQLRepositories(db: db, dialect: dialect)) }
    }

    public func ping() async throws {
        _ = try await engine.read { db in try await db.raw("SELECT 1 AS ok").first() != nil }
    }
}

/// The repositories over one connection or transaction.
struct SQLRepositories: Repositories {
    let db: any SQLDatabase
    let dialect: Dialect

    var members: any MemberRepository { SQLMemberRepository(db: db, dialect: dialect) }
    var sessions: any SessionRepository { SQLSessionRepository(db: db) }
    var signInAttempts: any SignInAttemptRepository { SQLSignInAttemptRepository(db: db) }
    var oauth: any OAuthRepository { SQLOAuthRepository(db: db) }
    var settings: any SettingsRepository { SQLSettingsRepository(db: db) }
    var invitations: any InvitationRepository { SQLInvitationRepository(db: db) }
    var network: any NetworkRepository { SQLNetworkRepository(db: db) }
    var posts: any PostRepository { SQLPostRepository(db: db, dialect: dialect) }
    var notifications: any NotificationRepository { SQLNotificationRepository(db: db) }
    var search: any SearchRepository { SQLSearchRepository(db: db, dialect: dialect) }
}

extension Date {
    var milliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }
    init(milliseconds: Int64) { self.init(timeIntervalSince1970: Double(milliseconds) / 1000) }
}
