import Foundation
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
    private let logger: Logger

    /// How much of the database file reads may map: 1 GiB, beyond which SQLite reads as usual.
    static let sqliteMapSize: Int64 = 1 << 30

    static func open(path: String, readers readerCount: Int, logger: Logger) async throws -> SQLiteEngine {
        var opened: [SQLiteConnection] = []
        do {
            for index in 0...readerCount {
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
            }
        } catch {
            for connection in opened { try? await connection.close() }
            throw error
        }
        return SQLiteEngine(
            writer: ConnectionQueue([opened[0]]), readers: ConnectionQueue(Array(opened.dropFirst())), logger: logger)
    }

    private init(writer: ConnectionQueue<SQLiteConnection>, readers: ConnectionQueue<SQLiteConnection>, logger: Logger) {
        self.writer = writer
        self.readers = readers
        self.logger = logger
    }

    func read<T: Sendable>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await readers.with { try await body($0.sql()) }
    }

    func transaction<T: Sendable>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await writer.with { connection in
            let db = connection.sql()
            // IMMEDIATE takes the write lock at once, so a transaction never fails half-way on an upgrade.
            try await db.raw("BEGIN IMMEDIATE").run()
            do {
                let result = try await body(db)
                try await db.raw("COMMIT").run()
                return result
            } catch {
                try? await db.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    func shutdown() async {
        for connection in writer.all + readers.all { try? await connection.close() }
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
