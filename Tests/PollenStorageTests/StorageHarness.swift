import Foundation
import Logging
import PollenCore
import PollenStorage
import Testing

/// The engines the contract tests run on: SQLite always, PostgreSQL when `POLLEN_TEST_POSTGRES_URL` is set.
enum Engine: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    var testDescription: String { rawValue }

    static var enabled: [Engine] {
        postgresBase == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    static var postgresBase: PostgresURL? {
        ProcessInfo.processInfo.environment["POLLEN_TEST_POSTGRES_URL"].flatMap { try? PostgresURL($0) }
    }
}

let testLogger: Logger = {
    var logger = Logger(label: "pollen-tests")
    logger.logLevel = .warning
    return logger
}()

/// Runs `body` against a fresh, migrated database of `engine` (a temporary SQLite file, or a scratch
/// PostgreSQL database), and removes it afterwards, also when `body` throws.
func withStore(_ engine: Engine, _ body: (SQLStore) async throws -> Void) async throws {
    switch engine {
    case .sqlite:
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pollen-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try await SQLStore.open(.sqlite(path: folder.appendingPathComponent("db.sqlite").path), logger: testLogger)
        try await run(store, body)
    case .postgres:
        let base = try #require(Engine.postgresBase)
        await postgresStores.acquire()
        do {
            try await withScratchDatabase(on: base, body)
            await postgresStores.release()
        } catch {
            await postgresStores.release()
            throw error
        }
    }
}

private func withScratchDatabase(on base: PostgresURL, _ body: (SQLStore) async throws -> Void) async throws {
    let url = try await ScratchDatabase.create(on: base, logger: testLogger)
    do {
        let store = try await SQLStore.open(.postgres(url), logger: testLogger)
        try await run(store, body)
        try await ScratchDatabase.drop(url, base: base, logger: testLogger)
    } catch {
        try? await ScratchDatabase.drop(url, base: base, logger: testLogger)
        throw error
    }
}

/// Swift Testing starts every test at once, and each PostgreSQL store holds a pool of connections besides the
/// one that creates its scratch database: unbounded, a growing suite passes the server's 100 clients
/// ("sorry, too many clients already") and tests fail at random. A few stores at a time keep well under it.
private let postgresStores = Slots(8)

/// A counting semaphore for async code: `acquire` waits while all slots are taken.
private actor Slots {
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(_ count: Int) { free = count }

    func acquire() async {
        if free > 0 {
            free -= 1
        } else {
            await withCheckedContinuation { waiting.append($0) }
        }
    }

    func release() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }
}

private func run(_ store: SQLStore, _ body: (SQLStore) async throws -> Void) async throws {
    do {
        try await store.migrate()
        try await body(store)
        await store.shutdown()
    } catch {
        await store.shutdown()
        throw error
    }
}

/// A member with sensible defaults for tests.
func makeMember(
    _ id: Int64, handle: String, email: String? = nil, name: String? = nil, department: String = "",
    location: String = "", subjects: [String] = [], expertise: [String] = [], role: Member.Role = .member,
    status: Member.Status = .active, createdAt: Date = Date(timeIntervalSince1970: 1_767_225_600)
) -> Member {
    Member(
        id: Member.ID(id), handle: handle, email: email ?? "\(handle)@example.org",
        profile: Profile(
            displayName: name ?? handle.capitalized, department: department, location: location, subjects: subjects,
            expertise: expertise),
        role: role, status: status, passwordHash: "hash-\(handle)", createdAt: createdAt)
}

/// Passwords kept as given: storage tests never check a real hash.
struct PlainSecrets: SecretHasher {
    func hashPassword(_ password: String) throws -> String { "plain:" + password }
    func verifyPassword(_ password: String, hash: String) -> Bool { hash == "plain:" + password }
    func sha256(_ bytes: [UInt8]) -> [UInt8] { bytes }
}
