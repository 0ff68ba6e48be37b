import Foundation
import PollenCore

/// Where the data lives: an embedded SQLite file (the default) or a PostgreSQL server.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresURL)

    /// Reads `postgres://user:pass@host:port/db?sslmode=disable`; anything else is refused with a message
    /// that says what is expected.
    public static func parse(_ url: String) throws -> DatabaseLocation {
        if url.hasPrefix("sqlite://") { return .sqlite(path: String(url.dropFirst("sqlite://".count))) }
        guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
            throw DomainError.invalid(
                "The database URL must look like postgres://user:password@host:5432/database.", field: "database")
        }
        return .postgres(try PostgresURL(url))
    }

    public var description: String {
        switch self {
        case .sqlite(let path): "SQLite at \(path)"
        case .postgres(let url): "PostgreSQL at \(url.host):\(url.port)/\(url.database)"
        }
    }
}

/// The parts of a PostgreSQL URL that a connection needs.
public struct PostgresURL: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    /// `true` unless `sslmode=disable` is given.
    public var requireTLS: Bool

    public init(_ text: String) throws {
        guard let components = URLComponents(string: text), let host = components.host, !host.isEmpty else {
            throw DomainError.invalid("The PostgreSQL URL has no host.", field: "database")
        }
        self.host = host
        self.port = components.port ?? 5432
        self.username = components.user?.removingPercentEncoding ?? "postgres"
        self.password = components.password?.removingPercentEncoding
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        self.database = path.isEmpty ? self.username : path
        let sslMode = components.queryItems?.first(where: { $0.name == "sslmode" })?.value ?? "prefer"
        self.requireTLS = !(sslMode == "disable" || sslMode == "allow" || sslMode == "prefer")
        if !["disable", "allow", "prefer", "require", "verify-ca", "verify-full"].contains(sslMode) {
            throw DomainError.invalid("Unknown sslmode “\(sslMode)”.", field: "database")
        }
    }
}
