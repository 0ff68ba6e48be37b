import Foundation
import Synchronization
import Logging
import NIOPosix
import PostgresKit
import PostgresNIO
import SQLKit
import SQLiteKit

/// The two SQL engines behind one shape: a connection for reads, a transaction for writes.
enum Dialect: Sendable {
    case sqlite, postgres
}

protocol SQLEngine: Sendable {
    var dialect: Dialect { get }
    func read<T: Sendable>(_ body: (any SQLDatabase) async throws -> T) async throws -> T
    func transaction<T: Sendable>(_ body: (any SQLDatabase) async throws -> T) async throws -> T
    func shutdown() async
}

/// SQLite in WAL mode: one writer connection (SQLite allows one writer at a time anyway, and queueing here
/// avoids busy errors) and a few readers that run beside it.
final class SQLiteEngine: SQLEngine {
    let dialect = Dialect.sqlite
    private let writer: ConnectionQueue<SQLiteConnection>
    private let readers: ConnectionQueue<SQLiteConnection>
    private let checkpointer: SQLiteConnection
    /// Set by every transaction, cleared by the checkpointer.
    private let wroteSinceCheckpoint = Atomic<Bool>(false)
    /// Set by every transaction but the maintenance's own.
    private let wroteSinceMaintenance = Atomic<Bool>(false)
    private let checkpoints = Mutex<Task<Void, Never>?>(nil)
    /// Deferred upkeep the store hands over once the schema is in place (see ``setMaintenance(_:)``).
    private let maintenance = Mutex<(@Sendable (any SQLDatabase) async throws -> Bool)?>(nil)
    private let logger: Logger

    /// How often the WAL is copied back into the database file when there were writes.
    static let checkpointInterval: Duration = .milliseconds(500)

    /// How much of the database file reads may map: 1 GiB, beyond which SQLite reads as usual.
    static let sqliteMapSize: Int64 = 1 << 30

    static func open(path: String, readers readerCount: Int, logger: Logger) async throws -> SQLiteEngine {
        var opened: [SQLiteConnection] = []
        do {
            // The writer, the readers and one connection that only checkpoints.
            for index in 0...(readerCount + 1) {
                let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
                opened.append(connection)
                let db = connection.sql()
                if index == 0 { try await db.raw("PRAGMA journal_mode = WAL").run() }
                try await db.raw("PRAGMA foreign_keys = ON").run()
                // Waits for a lock instead of failing when another process (a CLI command) writes.
                try await db.raw("PRAGMA busy_timeout = 10000").run()
                // FULL: a commit is on disk before it is acknowledged, even after a power loss.
                try await db.raw("PRAGMA synchronous = FULL").run()
                // Reads go through a memory map instead of a system call and a copy per page, and each
                // connection keeps 32 MB of hot pages (SQLite's default is 2 MB): profiles of timeline reads
                // on a database of two million posts spent most of their time in those copies.
                try await db.raw("PRAGMA mmap_size = \(unsafeRaw: String(Self.sqliteMapSize))").run()
                try await db.raw("PRAGMA cache_size = -32768").run()
                // SQLite copies the WAL back into the database inside whichever commit crosses 1,000 pages,
                // and that commit waits for it: one publish in fifty took 20–40 ms instead of half a
                // millisecond. Checkpoints run on their own connection, beside the writer, instead.
                if index == 0 { try await db.raw("PRAGMA wal_autocheckpoint = 0").run() }
            }
        } catch {
            for connection in opened { try? await connection.close() }
            throw error
        }
        let engine = SQLiteEngine(
            writer: ConnectionQueue([opened[0]]), readers: ConnectionQueue(Array(opened.dropFirst().dropLast())),
            checkpointer: opened[opened.count - 1], logger: logger)
        engine.startCheckpointing()
        return engine
    }

    private init(
        writer: ConnectionQueue<SQLiteConnection>, readers: ConnectionQueue<SQLiteConnection>,
        checkpointer: SQLiteConnection, logger: Logger
    ) {
        self.writer = writer
        self.readers = readers
        self.checkpointer = checkpointer
        self.logger = logger
    }

    /// Work that would otherwise land inside some request's commit, run every tick after writes until it
    /// reports nothing left to do. Each run is one short transaction through the writer queue.
    func setMaintenance(_ work: @escaping @Sendable (any SQLDatabase) async throws -> Bool) {
        maintenance.withLock { $0 = work }
        wroteSinceMaintenance.store(true, ordering: .releasing)
    }

    /// A PASSIVE checkpoint never blocks the writer or readers; it copies what no reader still needs.
    private func startCheckpointing() {
        let task = Task { [checkpointer, logger] in
            var maintenanceDidWork = false
            while !Task.isCancelled {
                try? await Task.sleep(for: Self.checkpointInterval)
                // Shutting down: the connections are about to close, which checkpoints on its own.
                if Task.isCancelled { break }
                if let work = maintenance.withLock({ $0 }),
                    wroteSinceMaintenance.exchange(false, ordering: .acquiringAndReleasing) || maintenanceDidWork
                {
                    do {
                        maintenanceDidWork = try await commit(work, countsAsWrite: false)
                    } catch {
                        maintenanceDidWork = false
                        logger.warning("Database maintenance failed: \(error)")
                    }
                }
                guard wroteSinceCheckpoint.exchange(false, ordering: .acquiringAndReleasing) else { continue }
                do {
                    try await checkpointer.sql().raw("PRAGMA wal_checkpoint(PASSIVE)").run()
                } catch {
                    logger.warning("WAL checkpoint failed: \(error)")
                }
            }
        }
        checkpoints.withLock { $0 = task }
    }

    func read<T: Sendable>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await readers.with { try await body($0.sql()) }
    }

    func transaction<T: Sendable>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await commit(body, countsAsWrite: true)
    }

    private func commit<T: Sendable>(_ body: (any SQLDatabase) async throws -> T, countsAsWrite: Bool) async throws -> T {
        try await writer.with { connection in
            let db = connection.sql()
            // IMMEDIATE takes the write lock at once, so a transaction never fails half-way on an upgrade.
            try await db.raw("BEGIN IMMEDIATE").run()
            do {
                let result = try await body(db)
                try await db.raw("COMMIT").run()
                wroteSinceCheckpoint.store(true, ordering: .releasing)
                if countsAsWrite { wroteSinceMaintenance.store(true, ordering: .releasing) }
                return result
            } catch {
                try? await db.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    func shutdown() async {
        if let task = checkpoints.withLock({ $0 }) {
            task.cancel()
            await task.value
        }
        // Closing the last connection checkpoints whatever is left and removes the WAL.
        for connection in writer.all + readers.all + [checkpointer] { try? await connection.close() }
    }
}

/// PostgreSQL through PostgresNIO's connection pool.
final class PostgresEngine: SQLEngine {
    let dialect = Dialect.postgres
    private let client: PostgresClient
    private let runner: Task<Void, Never>
    private let logger: Logger

    private init(client: PostgresClient, runner: Task<Void, Never>, logger: Logger) {
        self.client = client
        self.runner = runner
        self.logger = logger
    }

    /// Starts the pool's background task before the first query, so no lease waits on a pool that is not
    /// running yet.
    static func open(url: PostgresURL, maxConnections: Int, logger: Logger) async -> PostgresEngine {
        var configuration = PostgresClient.Configuration(
            host: url.host, port: url.port, username: url.username, password: url.password, database: url.database,
            tls: url.requireTLS ? .require(.clientDefault) : .disable)
        configuration.options.maximumConnections = maxConnections
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        let started = AsyncStream<Void>.makeStream()
        let runner = Task {
            started.continuation.finish()
            await client.run()
        }
        for await _ in started.stream {}
        await Task.yield()
        return PostgresEngine(client: client, runner: runner, logger: logger)
    }

    func read<T: Sendable>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await client.withConnection { connection in try await body(connection.sql()) }
    }

    func transaction<T: Sendable>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        do {
            return try await client.withTransaction(logger: logger) { connection in try await body(connection.sql()) }
        } catch let error as PostgresTransactionError {
            // Callers see what the work threw (a DomainError, say), as on SQLite, not PostgresNIO's wrapper.
            if let closureError = error.closureError { throw closureError }
            throw error
        }
    }

    func shutdown() async {
        runner.cancel()
        await runner.value
    }
}
