import Foundation
import PollenCore
import PollenStorage
import Testing

private func time(_ seconds: Int) -> Date {
    Date(timeIntervalSince1970: 1_767_225_600 + TimeInterval(seconds))
}

private func makeApp(_ id: Int64, website: String? = nil) -> OAuthApp {
    OAuthApp(
        id: OAuthApp.ID(id), name: "App \(id)", website: website,
        redirectURIs: ["https://app\(id).example/callback", OAuthScopes.outOfBandRedirect],
        scopes: ["read", "write:statuses", "follow"], clientID: "client-\(id)", clientSecretDigest: "secret-\(id)",
        createdAt: time(Int(id)))
}

private func makeCode(_ digest: String, app: Int64 = 1, member: Int64 = 1, pkce: Bool = true) -> AuthorizationCode {
    AuthorizationCode(
        codeDigest: digest, appID: OAuthApp.ID(app), memberID: Member.ID(member),
        redirectURI: "https://app\(app).example/callback", scopes: ["read", "profile"],
        codeChallenge: pkce ? "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" : nil,
        codeChallengeMethod: pkce ? "S256" : nil, expiresAt: time(600))
}

private func makeToken(_ id: Int64, app: Int64 = 1, member: Int64?, revokedAt: Date? = nil) -> AccessToken {
    AccessToken(
        id: AccessToken.ID(id), tokenDigest: "token-\(id)", appID: OAuthApp.ID(app),
        memberID: member.map(Member.ID.init), scopes: ["read", "write"], createdAt: time(Int(id)), revokedAt: revokedAt)
}

/// A store with members 1 and 2 and app 1.
private func seed(_ store: SQLStore) async throws {
    try await store.write { repos in
        try await repos.members.insertMany([makeMember(1, handle: "ada"), makeMember(2, handle: "grace")])
        try await repos.oauth.insertApp(makeApp(1))
    }
}

@Suite struct OAuthRepositoryTests {
    // MARK: - Apps

    @Test(arguments: Engine.enabled)
    func appsRoundTripByClientIDAndByID(engine: Engine) async throws {
        try await withStore(engine) { store in
            let withoutWebsite = makeApp(1)
            let withWebsite = makeApp(2, website: "https://app2.example")
            try await store.write { repos in
                try await repos.oauth.insertApp(withoutWebsite)
                try await repos.oauth.insertApp(withWebsite)
            }
            let found = try await store.read { repos in
                [
                    try await repos.oauth.findApp(clientID: "client-1"),
                    try await repos.oauth.findApp(id: OAuthApp.ID(1)),
                    try await repos.oauth.findApp(clientID: "client-2"),
                    try await repos.oauth.findApp(id: OAuthApp.ID(2)),
                ]
            }
            #expect(found == [withoutWebsite, withoutWebsite, withWebsite, withWebsite])
            #expect(found[0]?.redirectURIs == ["https://app1.example/callback", "urn:ietf:wg:oauth:2.0:oob"])
            #expect(found[0]?.scopes == ["read", "write:statuses", "follow"])
            #expect(found[0]?.website == nil)
            #expect(found[2]?.website == "https://app2.example")

            let missing = try await store.read { repos in
                [
                    try await repos.oauth.findApp(clientID: "CLIENT-1"),
                    try await repos.oauth.findApp(clientID: "client-3"),
                    try await repos.oauth.findApp(id: OAuthApp.ID(3)),
                ]
            }
            #expect(missing == [nil, nil, nil])
        }
    }

    @Test(arguments: Engine.enabled)
    func clientIDsAreUnique(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await store.write { try await $0.oauth.insertApp(makeApp(1)) }
            let clash = OAuthApp(
                id: OAuthApp.ID(2), name: "Impostor", website: nil, redirectURIs: ["https://evil.example/"],
                scopes: ["read"], clientID: "client-1", clientSecretDigest: "other", createdAt: time(0))
            await #expect(throws: (any Error).self) {
                try await store.write { try await $0.oauth.insertApp(clash) }
            }
            #expect(try await store.read { try await $0.oauth.findApp(clientID: "client-1") } == makeApp(1))
            #expect(try await store.read { try await $0.oauth.findApp(id: OAuthApp.ID(2)) } == nil)
        }
    }

    @Test(arguments: Engine.enabled)
    func authorizedAppsGatherLiveTokensAndAreRevokedOneAppAtATime(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await seed(store)
            try await store.write { repos in
                try await repos.oauth.insertApp(makeApp(2))
                try await repos.oauth.insertToken(makeToken(10, app: 1, member: 1))
                try await repos.oauth.insertToken(makeToken(11, app: 1, member: 1))
                try await repos.oauth.insertToken(makeToken(12, app: 2, member: 1))
                try await repos.oauth.insertToken(makeToken(13, app: 2, member: 1, revokedAt: time(20)))
                try await repos.oauth.insertToken(makeToken(14, app: 1, member: 2))
            }
            let apps = try await store.read { try await $0.oauth.authorizedApps(memberID: Member.ID(1)) }
            // Newest first; each app once, with its live tokens only.
            #expect(apps.map(\.app.id) == [OAuthApp.ID(2), OAuthApp.ID(1)])
            #expect(apps.map(\.tokens) == [1, 2])
            #expect(apps.last?.since == time(10))
            #expect(apps.last?.scopes == ["read", "write"])

            // Taking back one app leaves the other app and the other member's token of the same app.
            let revoked = try await store.write { try await $0.oauth.revokeTokens(memberID: Member.ID(1), appID: OAuthApp.ID(1), at: time(30)) }
            #expect(revoked == 2)
            #expect(try await store.read { try await $0.oauth.authorizedApps(memberID: Member.ID(1)) }.map(\.app.id) == [OAuthApp.ID(2)])
            #expect(try await store.read { try await $0.oauth.findToken(digest: "token-14") }?.revokedAt == nil)
            #expect(try await store.read { try await $0.oauth.findToken(digest: "token-10") }?.revokedAt == time(30))
            #expect(try await store.write { try await $0.oauth.revokeTokens(memberID: Member.ID(1), appID: OAuthApp.ID(1), at: time(31)) } == 0)
        }
    }

    // MARK: - Authorization codes

    @Test(arguments: Engine.enabled)
    func codeIsTakenOnceThenGone(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await seed(store)
            let withPKCE = makeCode("code-a")
            let withoutPKCE = makeCode("code-b", member: 2, pkce: false)
            try await store.write { repos in
                try await repos.oauth.insertCode(withPKCE)
                try await repos.oauth.insertCode(withoutPKCE)
            }
            #expect(try await store.write { try await $0.oauth.takeCode(digest: "code-a") } == withPKCE)
            #expect(try await store.write { try await $0.oauth.takeCode(digest: "code-a") } == nil)
            // Taking one code leaves the others.
            let other = try await store.write { try await $0.oauth.takeCode(digest: "code-b") }
            #expect(other == withoutPKCE)
            #expect(other?.codeChallenge == nil)
            #expect(other?.codeChallengeMethod == nil)
            #expect(try await store.write { try await $0.oauth.takeCode(digest: "code-b") } == nil)
            #expect(try await store.write { try await $0.oauth.takeCode(digest: "never-issued") } == nil)
        }
    }

    @Test(arguments: Engine.enabled)
    func codeTakenInARolledBackTransactionIsStillThere(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await seed(store)
            try await store.write { try await $0.oauth.insertCode(makeCode("code-a")) }
            await #expect(throws: CancellationError.self) {
                try await store.write { repos in
                    #expect(try await repos.oauth.takeCode(digest: "code-a") != nil)
                    throw CancellationError()
                }
            }
            #expect(try await store.write { try await $0.oauth.takeCode(digest: "code-a") } == makeCode("code-a"))
        }
    }

    @Test(arguments: Engine.enabled)
    func concurrentExchangesOfOneCodeSucceedOnce(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await seed(store)
            try await store.write { try await $0.oauth.insertCode(makeCode("code-a")) }
            let successes = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        let code = try await store.write { try await $0.oauth.takeCode(digest: "code-a") }
                        return code == nil ? 0 : 1
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(successes == 1)
        }
    }

    // MARK: - Tokens

    @Test(arguments: Engine.enabled)
    func tokensRoundTripWithAndWithoutMember(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await seed(store)
            let memberToken = makeToken(10, member: 1)
            let appToken = makeToken(11, member: nil)
            try await store.write { repos in
                try await repos.oauth.insertToken(memberToken)
                try await repos.oauth.insertToken(appToken)
            }
            let (foundMember, foundApp, missing) = try await store.read { repos in
                (
                    try await repos.oauth.findToken(digest: "token-10"),
                    try await repos.oauth.findToken(digest: "token-11"),
                    try await repos.oauth.findToken(digest: "token-12")
                )
            }
            #expect(foundMember == memberToken)
            #expect(foundMember?.memberID == Member.ID(1))
            #expect(foundMember?.scopes == ["read", "write"])
            #expect(foundApp == appToken)
            #expect(foundApp?.memberID == nil)
            #expect(missing == nil)
        }
    }

    @Test(arguments: Engine.enabled)
    func revokingATokenStampsItOnce(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await seed(store)
            try await store.write { repos in
                try await repos.oauth.insertToken(makeToken(10, member: 1))
                try await repos.oauth.insertToken(makeToken(11, member: 1))
            }
            try await store.write { try await $0.oauth.revokeToken(digest: "token-10", at: time(1_000)) }
            #expect(try await store.read { try await $0.oauth.findToken(digest: "token-10") }?.revokedAt == time(1_000))
            #expect(try await store.read { try await $0.oauth.findToken(digest: "token-11") }?.revokedAt == nil)

            // Revoking again keeps the first time.
            try await store.write { try await $0.oauth.revokeToken(digest: "token-10", at: time(2_000)) }
            #expect(try await store.read { try await $0.oauth.findToken(digest: "token-10") }?.revokedAt == time(1_000))
        }
    }

    @Test(arguments: Engine.enabled)
    func revokingAMembersTokensLeavesOtherTokensAlone(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await seed(store)
            try await store.write { repos in
                try await repos.oauth.insertApp(makeApp(2))
                for token in [
                    makeToken(10, member: 1), makeToken(11, app: 2, member: 1),
                    makeToken(12, member: 1, revokedAt: time(500)), makeToken(20, member: 2),
                    makeToken(30, member: nil),
                ] {
                    try await repos.oauth.insertToken(token)
                }
            }
            try await store.write { try await $0.oauth.revokeTokens(memberID: Member.ID(1), at: time(1_000)) }
            let revoked = try await store.read { repos in
                var result: [Int64: Date?] = [:]
                for id: Int64 in [10, 11, 12, 20, 30] {
                    let token = try #require(try await repos.oauth.findToken(digest: "token-\(id)"))
                    result[id] = token.revokedAt
                }
                return result
            }
            #expect(revoked[10] == .some(time(1_000)))
            #expect(revoked[11] == .some(time(1_000)))
            #expect(revoked[12] == .some(time(500)))
            #expect(revoked[20] == .some(nil))
            #expect(revoked[30] == .some(nil))
        }
    }
}
