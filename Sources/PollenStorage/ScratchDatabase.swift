import Foundation
import Logging
import PostgresNIO

/// Throwaway PostgreSQL databases, so storage tests that run in parallel never see each other's rows.
public enum ScratchDatabase {
    /// Creates an empty database on the server of `base` and returns its URL.
    public static func create(on base: PostgresURL, logger: Logger) async throws -> PostgresURL {
        let name = "pollen_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        try await run("CREATE DATABASE \(name)", on: base, logger: logger)
        var url = base
        url.database = String(name)
        return url
    }

    public static func drop(_ url: PostgresURL, base: PostgresURL, logger: Logger) async throws {
        try await run("DROP DATABASE IF EXISTS \(url.database) WITH (FORCE)", on: base, logger: logger)
    }

    private static func run(_ sql: String, on base: PostgresURL, logger: Logger) async throws {
        let configuration = PostgresConnection.Configuration(
            host: base.host, port: base.port, username: base.username, password: base.password,
            database: base.database, tls: .disable)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        do {
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }
}
