import Foundation
import PollenCore
import SQLKit

struct SQLSessionRepository: SessionRepository {
    let db: any SQLDatabase

    func insert(_ s: Session) async throws {
        try await db.raw(
            """
            INSERT INTO sessions (id, token_digest, member_id, csrf_token, created_at, last_seen_at, expires_at, user_agent, address)
            VALUES (\(bind: s.id.rawValue), \(bind: s.tokenDigest), \(bind: s.memberID.rawValue), \(bind: s.csrfToken),
                    \(bind: s.createdAt.milliseconds), \(bind: s.lastSeenAt.milliseconds), \(bind: s.expiresAt.milliseconds),
                    \(bind: s.userAgent), \(bind: s.address))
            """
        ).run()
    }

    func find(tokenDigest: String) async throws -> Session? {
        try await db.raw("SELECT * FROM sessions WHERE token_digest = \(bind: tokenDigest)").first().map(Self.decode)
    }

    func touch(id: Session.ID, lastSeenAt: Date, expiresAt: Date) async throws {
        try await db.raw(
            """
            UPDATE sessions SET last_seen_at = \(bind: lastSeenAt.milliseconds), expires_at = \(bind: expiresAt.milliseconds)
            WHERE id = \(bind: id.rawValue)
            """
        ).run()
    }

    func delete(id: Session.ID) async throws {
        try await db.raw("DELETE FROM sessions WHERE id = \(bind: id.rawValue)").run()
    }

    func deleteAll(memberID: Member.ID, except keep: Session.ID?) async throws {
        try await db.raw(
            "DELETE FROM sessions WHERE member_id = \(bind: memberID.rawValue) AND id <> \(bind: keep?.rawValue ?? 0)"
        ).run()
    }

    func list(memberID: Member.ID) async throws -> [Session] {
        try await db.raw(
            "SELECT * FROM sessions WHERE member_id = \(bind: memberID.rawValue) ORDER BY last_seen_at DESC"
        ).all().map(Self.decode)
    }

    static func decode(_ row: any SQLRow) throws -> Session {
        Session(
            id: Session.ID(try row.decode(column: "id", as: Int64.self)),
            tokenDigest: try row.decode(column: "token_digest", as: String.self),
            memberID: Member.ID(try row.decode(column: "member_id", as: Int64.self)),
            csrfToken: try row.decode(column: "csrf_token", as: String.self),
            createdAt: Date(milliseconds: try row.decode(column: "created_at", as: Int64.self)),
            lastSeenAt: Date(milliseconds: try row.decode(column: "last_seen_at", as: Int64.self)),
            expiresAt: Date(milliseconds: try row.decode(column: "expires_at", as: Int64.self)),
            userAgent: try row.decode(column: "user_agent", as: String.self),
            address: try row.decode(column: "address", as: String.self))
    }
}

struct SQLSignInAttemptRepository: SignInAttemptRepository {
    let db: any SQLDatabase

    func recordFailure(key: String, at: Date) async throws {
        try await db.raw(
            "INSERT INTO sign_in_attempts (key, attempted_at) VALUES (\(bind: key), \(bind: at.milliseconds))"
        ).run()
    }

    func countFailures(key: String, since: Date) async throws -> Int {
        let row = try await db.raw(
            "SELECT COUNT(*) AS n FROM sign_in_attempts WHERE key = \(bind: key) AND attempted_at >= \(bind: since.milliseconds)"
        ).first()
        return Int(try row?.decode(column: "n", as: Int64.self) ?? 0)
    }

    func clear(key: String) async throws {
        try await db.raw("DELETE FROM sign_in_attempts WHERE key = \(bind: key)").run()
    }

    func purge(before: Date) async throws {
        try await db.raw("DELETE FROM sign_in_attempts WHERE attempted_at < \(bind: before.milliseconds)").run()
    }
}
