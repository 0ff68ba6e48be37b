import Foundation
import PollenCore
import SQLKit

struct SQLOAuthRepository: OAuthRepository {
    let db: any SQLDatabase
    let changes: ChangeRecorder

    func insertApp(_ app: OAuthApp) async throws {
        try await db.raw(
            """
            INSERT INTO oauth_apps (id, name, website, redirect_uris, scopes, client_id, client_secret_digest, created_at)
            VALUES (\(bind: app.id.rawValue), \(bind: app.name), \(bind: app.website),
                    \(bind: app.redirectURIs.joined(separator: "\n")), \(bind: app.scopes.joined(separator: " ")),
                    \(bind: app.clientID), \(bind: app.clientSecretDigest), \(bind: app.createdAt.milliseconds))
            """
        ).run()
    }

    func findApp(clientID: String) async throws -> OAuthApp? {
        try await db.raw("SELECT * FROM oauth_apps WHERE client_id = \(bind: clientID)").first().map(Self.decodeApp)
    }

    func findApp(id: OAuthApp.ID) async throws -> OAuthApp? {
        try await db.raw("SELECT * FROM oauth_apps WHERE id = \(bind: id.rawValue)").first().map(Self.decodeApp)
    }

    func insertCode(_ code: AuthorizationCode) async throws {
        try await db.raw(
            """
            INSERT INTO oauth_codes (code_digest, app_id, member_id, redirect_uri, scopes, code_challenge,
                                     code_challenge_method, expires_at)
            VALUES (\(bind: code.codeDigest), \(bind: code.appID.rawValue), \(bind: code.memberID.rawValue),
                    \(bind: code.redirectURI), \(bind: code.scopes.joined(separator: " ")), \(bind: code.codeChallenge),
                    \(bind: code.codeChallengeMethod), \(bind: code.expiresAt.milliseconds))
            """
        ).run()
    }

    func takeCode(digest: String) async throws -> AuthorizationCode? {
        // One statement, so two exchanges of the same code at once cannot both read it before either deletes it.
        guard
            let row = try await db.raw("DELETE FROM oauth_codes WHERE code_digest = \(bind: digest) RETURNING *")
                .first()
        else { return nil }
        return AuthorizationCode(
            codeDigest: digest, appID: OAuthApp.ID(try row.decode(column: "app_id", as: Int64.self)),
            memberID: Member.ID(try row.decode(column: "member_id", as: Int64.self)),
            redirectURI: try row.decode(column: "redirect_uri", as: String.self),
            scopes: Self.split(try row.decode(column: "scopes", as: String.self)),
            codeChallenge: try row.decode(column: "code_challenge", as: String?.self),
            codeChallengeMethod: try row.decode(column: "code_challenge_method", as: String?.self),
            expiresAt: Date(milliseconds: try row.decode(column: "expires_at", as: Int64.self)))
    }

    func insertToken(_ token: AccessToken) async throws {
        try await db.raw(
            """
            INSERT INTO oauth_tokens (id, token_digest, app_id, member_id, scopes, created_at, revoked_at)
            VALUES (\(bind: token.id.rawValue), \(bind: token.tokenDigest), \(bind: token.appID.rawValue),
                    \(bind: token.memberID?.rawValue), \(bind: token.scopes.joined(separator: " ")),
                    \(bind: token.createdAt.milliseconds), \(bind: token.revokedAt?.milliseconds))
            """
        ).run()
    }

    func findToken(digest: String) async throws -> AccessToken? {
        guard let row = try await db.raw("SELECT * FROM oauth_tokens WHERE token_digest = \(bind: digest)").first()
        else { return nil }
        return AccessToken(
            id: AccessToken.ID(try row.decode(column: "id", as: Int64.self)), tokenDigest: digest,
            appID: OAuthApp.ID(try row.decode(column: "app_id", as: Int64.self)),
            memberID: try row.decode(column: "member_id", as: Int64?.self).map(Member.ID.init),
            scopes: Self.split(try row.decode(column: "scopes", as: String.self)),
            createdAt: Date(milliseconds: try row.decode(column: "created_at", as: Int64.self)),
            revokedAt: try row.decode(column: "revoked_at", as: Int64?.self).map(Date.init(milliseconds:)))
    }

    func revokeToken(digest: String, at: Date) async throws {
        changes.revokedToken(digest)
        try await db.raw(
            "UPDATE oauth_tokens SET revoked_at = \(bind: at.milliseconds) WHERE token_digest = \(bind: digest) AND revoked_at IS NULL"
        ).run()
    }

    func revokeTokens(memberID: Member.ID, at: Date) async throws {
        changes.member(memberID)
        try await db.raw(
            "UPDATE oauth_tokens SET revoked_at = \(bind: at.milliseconds) WHERE member_id = \(bind: memberID.rawValue) AND revoked_at IS NULL"
        ).run()
    }

    func revokeTokens(memberID: Member.ID, appID: OAuthApp.ID, at: Date) async throws -> Int {
        // Cached token lookups of the member are dropped with the member's change.
        changes.member(memberID)
        return try await db.raw(
            """
            UPDATE oauth_tokens SET revoked_at = \(bind: at.milliseconds)
            WHERE member_id = \(bind: memberID.rawValue) AND app_id = \(bind: appID.rawValue) AND revoked_at IS NULL
            RETURNING id
            """
        ).all().count
    }

    func authorizedApps(memberID: Member.ID) async throws -> [AuthorizedApp] {
        let rows = try await db.raw(
            """
            SELECT a.*, t.scopes AS token_scopes, t.created_at AS token_created_at FROM oauth_tokens t
            JOIN oauth_apps a ON a.id = t.app_id
            WHERE t.member_id = \(bind: memberID.rawValue) AND t.revoked_at IS NULL ORDER BY t.created_at
            """
        ).all()
        var apps: [OAuthApp.ID: AuthorizedApp] = [:]
        for row in rows {
            let app = try Self.decodeApp(row)
            let scopes = Self.split(try row.decode(column: "token_scopes", as: String.self))
            let at = Date(milliseconds: try row.decode(column: "token_created_at", as: Int64.self))
            let known = apps[app.id]
            apps[app.id] = AuthorizedApp(
                app: app, scopes: ((known?.scopes ?? []) + scopes).uniqued(), since: known?.since ?? at,
                tokens: (known?.tokens ?? 0) + 1)
        }
        return apps.values.sorted { $0.since > $1.since }
    }

    private static func split(_ text: String) -> [String] {
        text.split(separator: " ").map(String.init)
    }

    static func decodeApp(_ row: any SQLRow) throws -> OAuthApp {
        OAuthApp(
            id: OAuthApp.ID(try row.decode(column: "id", as: Int64.self)),
            name: try row.decode(column: "name", as: String.self),
            website: try row.decode(column: "website", as: String?.self),
            redirectURIs: try row.decode(column: "redirect_uris", as: String.self).split(separator: "\n").map(String.init),
            scopes: split(try row.decode(column: "scopes", as: String.self)),
            clientID: try row.decode(column: "client_id", as: String.self),
            clientSecretDigest: try row.decode(column: "client_secret_digest", as: String.self),
            createdAt: Date(milliseconds: try row.decode(column: "created_at", as: Int64.self)))
    }
}
