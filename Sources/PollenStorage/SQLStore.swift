import Foundation
import Logging
import PollenCore
import SQLKit
import Synchronization

/// The SQL implementation of ``PollenStore`` for both engines. Build it with ``open(_:logger:)`` and always
/// call ``shutdown()``, also on error paths, so connections close before the process ends.
public final class SQLStore: PollenStore {
    let engine: any SQLEngine
    private let observers = Mutex<[@Sendable (StoreChanges) -> Void]>([])
    private let epochWatch = Mutex<Task<Void, Never>?>(nil)

    /// How often an observed store looks for writes by other processes.
    static let epochInterval: Duration = .seconds(1)

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
        epochWatch.withLock { $0?.cancel() }
        await engine.shutdown()
    }

    public func read<T: Sendable>(_ work: @escaping @Sendable (any Repositories) async throws -> T) async throws -> T {
        let dialect = engine.dialect
        return try await engine.read { db in
            try await work(SQLRepositories(db: db, dialect: dialect, changes: ChangeRecorder()))
        }
    }

    public func write<T: Sendable>(_ work: @escaping @Sendable (any Repositories) async throws -> T) async throws -> T {
        let dialect = engine.dialect
        let changes = ChangeRecorder()
        // A process nobody observes (a command-line tool) cannot tell the server's caches what it changed
        // directly; it counts the epoch up instead, in the same transaction.
        let announce = observers.withLock { $0.isEmpty }
        let result = try await engine.transaction { db in
            let result = try await work(SQLRepositories(db: db, dialect: dialect, changes: changes))
            if announce, !changes.recorded.isEmpty {
                try await db.raw("UPDATE store_epoch SET value = value + 1 WHERE id = 1").run()
            }
            return result
        }
        let recorded = changes.recorded
        if !recorded.isEmpty {
            for observer in observers.withLock({ $0 }) { observer(recorded) }
        }
        return result
    }

    public func observeChanges(_ observer: @escaping @Sendable (StoreChanges) -> Void) {
        observers.withLock { $0.append(observer) }
        epochWatch.withLock { watch in
            guard watch == nil else { return }
            watch = Task { [engine, weak self] in
                var seen: Int64? = nil
                while !Task.isCancelled {
                    let epoch = try? await engine.read { db in
                        try await db.raw("SELECT value FROM store_epoch WHERE id = 1").first()?
                            .decode(column: "value", as: Int64.self)
                    }
                    if let epoch, let before = seen, epoch != before, let self {
                        for observer in self.observers.withLock({ $0 }) { observer(StoreChanges(everything: true)) }
                    }
                    if let epoch { seen = epoch }
                    try? await Task.sleep(for: Self.epochInterval)
                }
            }
        }
    }

    public func ping() async throws {
        _ = try await engine.read { db in try await db.raw("SELECT 1 AS ok").first() != nil }
    }
}

/// The repositories over one connection or transaction.
struct SQLRepositories: Repositories {
    let db: any SQLDatabase
    let dialect: Dialect
    let changes: ChangeRecorder

    var members: any MemberRepository { SQLMemberRepository(db: db, dialect: dialect, changes: changes) }
    var sessions: any SessionRepository { SQLSessionRepository(db: db) }
    var signInAttempts: any SignInAttemptRepository { SQLSignInAttemptRepository(db: db) }
    var oauth: any OAuthRepository { SQLOAuthRepository(db: db, changes: changes) }
    var settings: any SettingsRepository { SQLSettingsRepository(db: db, changes: changes) }
    var invitations: any InvitationRepository { SQLInvitationRepository(db: db) }
    var network: any NetworkRepository { SQLNetworkRepository(db: db, changes: changes) }
    var posts: any PostRepository { SQLPostRepository(db: db, dialect: dialect, changes: changes) }
    var notifications: any NotificationRepository { SQLNotificationRepository(db: db) }
    var search: any SearchRepository { SQLSearchRepository(db: db, dialect: dialect) }
    var discovery: any DiscoveryRepository { SQLDiscoveryRepository(db: db, changes: changes) }
    var collections: any CollectionRepository { SQLCollectionRepository(db: db) }
    var communities: any CommunityRepository { SQLCommunityRepository(db: db, changes: changes) }
    var communityContent: any CommunityContentRepository { SQLCommunityContentRepository(db: db, changes: changes) }
    var questions: any QuestionRepository { SQLQuestionRepository(db: db) }
    var moderation: any ModerationRepository { SQLModerationRepository(db: db, dialect: dialect, changes: changes) }
    var personalInsight: any PersonalInsightRepository { SQLPersonalInsightRepository(db: db) }
    var value: any ValueRepository { SQLValueRepository(db: db) }
    var insight: any InsightRepository { SQLInsightRepository(db: db) }
}

extension Date {
    var milliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }
    init(milliseconds: Int64) { self.init(timeIntervalSince1970: Double(milliseconds) / 1000) }
}
