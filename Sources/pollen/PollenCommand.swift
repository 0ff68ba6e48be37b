import ArgumentParser
import Foundation
import Logging
import PollenCore
import PollenStorage
import PollenWeb

@main
struct PollenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pollen",
        abstract: "Pollen, a social learning network for organizations.",
        subcommands: [Serve.self, Migrate.self, Members.self, Import.self, Demo.self, BackupData.self, RestoreData.self, Analyze.self, Report.self],
        defaultSubcommand: Serve.self)
}

/// Where the data is: `--database`/`DATABASE_URL` for PostgreSQL, else SQLite in the data folder.
struct StorageOptions: ParsableArguments {
    @Option(help: "A PostgreSQL URL, postgres://user:password@host:5432/database (env DATABASE_URL). Default: SQLite in the data folder.")
    var database: String?

    @Option(help: "The data folder for the SQLite database and uploads (env POLLEN_DATA_DIR).")
    var dataDir: String?

    @Option(help: "Where uploaded resources are kept (env POLLEN_RESOURCES_DIR). Default: resources in the data folder.")
    var resourcesDir: String?

    @Option(help: "The largest resource upload in megabytes (env POLLEN_MAX_UPLOAD_MB). Default 25.")
    var maxUploadMB: Int?

    @Option(help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel: String = "info"

    var environment: [String: String] { ProcessInfo.processInfo.environment }

    func location() throws -> DatabaseLocation {
        if let url = database ?? environment["DATABASE_URL"], !url.isEmpty {
            return try DatabaseLocation.parse(url)
        }
        return .sqlite(path: URL(fileURLWithPath: dataFolder).appendingPathComponent("pollen.sqlite").path)
    }

    var dataFolder: String { dataDir ?? environment["POLLEN_DATA_DIR"] ?? "pollen-data" }

    /// Uploaded files live beside the SQLite database unless told otherwise (with PostgreSQL too).
    var resourceFiles: DirectoryResourceFiles {
        let path = resourcesDir ?? environment["POLLEN_RESOURCES_DIR"]
        return DirectoryResourceFiles(
            root: path.map { URL(fileURLWithPath: $0) } ?? URL(fileURLWithPath: dataFolder).appendingPathComponent("resources"))
    }

    func resourceRules() throws -> ResourceRules {
        guard let megabytes = maxUploadMB ?? environment["POLLEN_MAX_UPLOAD_MB"].flatMap(Int.init) else { return ResourceRules() }
        guard (1...1024).contains(megabytes) else {
            throw ValidationError("--max-upload-mb must be between 1 and 1024.")
        }
        return ResourceRules(maxBytes: megabytes * 1024 * 1024)
    }

    func logger(_ label: String = "pollen") -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        return logger
    }

    /// The bcrypt cost; lowered only by test scripts through the environment, to keep them quick.
    var bcryptCost: UInt8 {
        environment["POLLEN_BCRYPT_COST"].flatMap(UInt8.init).map { min(max($0, 4), 16) } ?? 12
    }

    /// Opens and migrates the store, runs `body`, and closes the store on every path.
    func withPollen<T>(_ body: (Pollen, SQLStore) async throws -> T) async throws -> T {
        let logger = logger()
        let store = try await SQLStore.open(try location(), logger: logger)
        do {
            try await store.migrate()
            let pollen = Pollen(
                store: store, secrets: BcryptSecretHasher(cost: bcryptCost), files: resourceFiles, resourceRules: try resourceRules())
            let result = try await body(pollen, store)
            await store.shutdown()
            return result
        } catch {
            await store.shutdown()
            throw error
        }
    }
}

/// Prints a domain error as a sentence and exits with status 1, instead of a stack of type names.
func reportingErrors(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as DomainError {
        FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
        throw ExitCode(1)
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve Pollen over HTTP (the default command).")

    @OptionGroup var storage: StorageOptions

    @Option(help: "The address to listen on.")
    var host: String = "127.0.0.1"

    @Option(help: "The port to listen on (env POLLEN_PORT). Default 8080.")
    var port: Int?

    @Option(help: "The public URL when a proxy sits in front, e.g. https://pollen.example.org.")
    var publicURL: String?

    @Flag(help: "Do not enforce the per-member and per-address write limits (load and crash tests only). Also POLLEN_NO_WRITE_LIMITS=1.")
    var noWriteLimits = false

    /// Links in pages and JSON use the configured public URL, else the address the server listens on. Only a
    /// server listening on every interface falls back to the request's Host header.
    func publicURL(port: Int) -> String? {
        if let configured = publicURL ?? storage.environment["POLLEN_PUBLIC_URL"] { return configured }
        if ["0.0.0.0", "::", "[::]"].contains(host) { return nil }
        return "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
    }

    func run() async throws {
        let port = port ?? storage.environment["POLLEN_PORT"].flatMap(Int.init) ?? 8080
        let logger = storage.logger()
        try await reportingErrors {
            try await storage.withPollen { pollen, _ in
                let location = try storage.location()
                logger.info("Data: \(location)")
                var configuration = WebConfiguration(host: host, port: port, publicURL: publicURL(port: port))
                configuration.limitWrites = !noWriteLimits && storage.environment["POLLEN_NO_WRITE_LIMITS"] != "1"
                let app = try await buildApplication(
                    pollen: pollen, configuration: configuration, logger: logger,
                    services: [
                        DiscoveryRefresher(pollen: pollen, logger: logger), ModerationJanitor(pollen: pollen, logger: logger), ValuePrompter(pollen: pollen, logger: logger),
                        AnalyticsScheduler(pollen: pollen, logger: logger),
                    ])
                logger.notice("Pollen is ready at http://\(host):\(port)/")
                // Graceful: on SIGTERM or SIGINT the server stops accepting and lets in-flight requests finish.
                try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
            }
        }
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Bring the database schema up to date, then exit.")

    @OptionGroup var storage: StorageOptions

    func run() async throws {
        try await reportingErrors {
            let logger = storage.logger()
            let store = try await SQLStore.open(try storage.location(), logger: logger)
            do {
                let applied = try await store.migrate()
                print(applied.isEmpty ? "The schema is up to date." : "Applied: \(applied.joined(separator: ", "))")
                await store.shutdown()
            } catch {
                await store.shutdown()
                throw error
            }
        }
    }
}
