import Foundation
import PollenCore
import SQLKit

/// Server settings as one JSON document under one key: they are read together and change rarely.
struct SQLSettingsRepository: SettingsRepository {
    let db: any SQLDatabase
    let changes: ChangeRecorder
    private static let key = "server"

    func load() async throws -> ServerSettings {
        guard let row = try await db.raw("SELECT value FROM settings WHERE key = \(bind: Self.key)").first() else {
            return .default
        }
        let json = try row.decode(column: "value", as: String.self)
        return try JSONDecoder().decode(ServerSettings.self, from: Data(json.utf8))
    }

    func save(_ settings: ServerSettings) async throws {
        changes.everything()
        let json = String(decoding: try JSONEncoder().encode(settings), as: UTF8.self)
        // An upsert, so two administrators saving at once never collide on the key.
        try await db.raw(
            """
            INSERT INTO settings (key, value) VALUES (\(bind: Self.key), \(bind: json))
            ON CONFLICT (key) DO UPDATE SET value = excluded.value
            """
        ).run()
    }
}

struct SQLInvitationRepository: InvitationRepository {
    let db: any SQLDatabase

    func insert(_ invitation: Invitation) async throws {
        try await db.raw(
            """
            INSERT INTO invitations (code, email, created_by, created_at, expires_at, used_by, used_at)
            VALUES (\(bind: invitation.code), \(bind: invitation.email), \(bind: invitation.createdBy.rawValue), \(bind: invitation.createdAt.milliseconds),
                    \(bind: invitation.expiresAt?.milliseconds), \(bind: invitation.usedBy?.rawValue),
                    \(bind: invitation.usedAt?.milliseconds))
            """
        ).run()
    }

    func find(code: String) async throws -> Invitation? {
        try await db.raw("SELECT * FROM invitations WHERE code = \(bind: code)").first().map(Self.decode)
    }

    func markUsed(code: String, by member: Member.ID, at: Date) async throws -> Bool {
        // Only an unused invitation is taken, in one statement, so two sign-ups cannot share one.
        try await db.raw(
            """
            UPDATE invitations SET used_by = \(bind: member.rawValue), used_at = \(bind: at.milliseconds)
            WHERE code = \(bind: code) AND used_by IS NULL RETURNING code
            """
        ).first() != nil
    }

    func list() async throws -> [Invitation] {
        try await db.raw("SELECT * FROM invitations ORDER BY created_at DESC").all().map(Self.decode)
    }

    static func decode(_ row: any SQLRow) throws -> Invitation {
        Invitation(
            code: try row.decode(column: "code", as: String.self),
            createdBy: Member.ID(try row.decode(column: "created_by", as: Int64.self)),
            createdAt: Date(milliseconds: try row.decode(column: "created_at", as: Int64.self)),
            expiresAt: try row.decode(column: "expires_at", as: Int64?.self).map(Date.init(milliseconds:)),
            usedBy: try row.decode(column: "used_by", as: Int64?.self).map(Member.ID.init),
            usedAt: try row.decode(column: "used_at", as: Int64?.self).map(Date.init(milliseconds:)),
            email: try row.decode(column: "email", as: String?.self))
    }
}
