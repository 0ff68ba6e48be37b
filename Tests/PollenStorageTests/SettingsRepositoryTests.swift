import Foundation
import PollenCore
import PollenStorage
import Testing

private func time(_ seconds: Int) -> Date {
    Date(timeIntervalSince1970: 1_767_225_600 + TimeInterval(seconds))
}

@Suite struct SettingsRepositoryTests {
    // MARK: - Server settings

    @Test(arguments: Engine.enabled)
    func emptyDatabaseLoadsTheDefaults(engine: Engine) async throws {
        try await withStore(engine) { store in
            let settings = try await store.read { try await $0.settings.load() }
            #expect(settings == ServerSettings.default)
            #expect(settings.signupPolicy == .open)
            #expect(settings.allowedDomains.isEmpty)
        }
    }

    @Test(arguments: Engine.enabled)
    func savedSettingsLoadBackUnchanged(engine: Engine) async throws {
        try await withStore(engine) { store in
            let settings = ServerSettings(
                name: "Pollen at Acme", description: "Learning together — «ensemble», 一緒に.",
                signupPolicy: .domains, allowedDomains: ["acme.example", "labs.acme.example"],
                contactEmail: "it@acme.example")
            try await store.write { try await $0.settings.save(settings) }
            let loaded = try await store.read { try await $0.settings.load() }
            #expect(loaded == settings)
            #expect(loaded.allowedDomains == ["acme.example", "labs.acme.example"])
            #expect(loaded.signupPolicy == .domains)
        }
    }

    @Test(arguments: Engine.enabled)
    func savingAgainReplacesTheSettings(engine: Engine) async throws {
        try await withStore(engine) { store in
            let first = ServerSettings(name: "First", signupPolicy: .domains, allowedDomains: ["one.example"])
            let second = ServerSettings(name: "Second", signupPolicy: .invitation, allowedDomains: [])
            try await store.write { try await $0.settings.save(first) }
            try await store.write { try await $0.settings.save(second) }
            #expect(try await store.read { try await $0.settings.load() } == second)

            // Twice in one transaction works too, and the last save wins.
            try await store.write { repos in
                try await repos.settings.save(first)
                try await repos.settings.save(second)
                try await repos.settings.save(first)
            }
            #expect(try await store.read { try await $0.settings.load() } == first)
        }
    }

    // MARK: - Invitations

    @Test(arguments: Engine.enabled)
    func invitationIsFoundAndNoLongerUsableOnceUsed(engine: Engine) async throws {
        try await withStore(engine) { store in
            let invitation = Invitation(
                code: "WELCOME-1", createdBy: Member.ID(1), createdAt: time(0), expiresAt: time(86_400))
            try await store.write { repos in
                try await repos.members.insertMany([
                    makeMember(1, handle: "admin", role: .admin), makeMember(2, handle: "newcomer"),
                ])
                try await repos.invitations.insert(invitation)
            }
            let found = try #require(try await store.read { try await $0.invitations.find(code: "WELCOME-1") })
            #expect(found == invitation)
            #expect(found.isUsable(at: time(60)))
            #expect(!found.isUsable(at: time(86_400)))
            #expect(try await store.read { try await $0.invitations.find(code: "welcome-1") } == nil)

            let taken = try await store.write { repos in
                try await repos.invitations.markUsed(code: "WELCOME-1", by: Member.ID(2), at: time(120))
            }
            #expect(taken)
            // A second use of the same invitation is refused and changes nothing.
            let takenAgain = try await store.write { repos in
                try await repos.invitations.markUsed(code: "WELCOME-1", by: Member.ID(1), at: time(130))
            }
            #expect(!takenAgain)
            let used = try #require(try await store.read { try await $0.invitations.find(code: "WELCOME-1") })
            #expect(used.usedBy == Member.ID(2))
            #expect(used.usedAt == time(120))
            #expect(used.code == "WELCOME-1")
            #expect(used.createdBy == Member.ID(1))
            #expect(used.expiresAt == time(86_400))
            #expect(!used.isUsable(at: time(180)))
        }
    }

    @Test(arguments: Engine.enabled)
    func invitationWithoutExpiryRoundTrips(engine: Engine) async throws {
        try await withStore(engine) { store in
            let invitation = Invitation(code: "FOREVER", createdBy: Member.ID(1), createdAt: time(0), expiresAt: nil)
            try await store.write { repos in
                try await repos.members.insert(makeMember(1, handle: "admin", role: .admin))
                try await repos.invitations.insert(invitation)
            }
            let found = try #require(try await store.read { try await $0.invitations.find(code: "FOREVER") })
            #expect(found == invitation)
            #expect(found.email == nil)
            #expect(found.expiresAt == nil)
            #expect(found.usedBy == nil)
            #expect(found.usedAt == nil)
            #expect(found.isUsable(at: time(10 * 365 * 86_400)))
        }
    }

    @Test(arguments: Engine.enabled)
    func invitationBoundToAnEmailAddressKeepsIt(engine: Engine) async throws {
        try await withStore(engine) { store in
            let invitation = Invitation(
                code: "CLAIM", createdBy: Member.ID(1), createdAt: time(0), expiresAt: time(3_600),
                email: "Newcomer@Example.org")
            try await store.write { repos in
                try await repos.members.insert(makeMember(1, handle: "admin", role: .admin))
                try await repos.invitations.insert(invitation)
            }
            let found = try #require(try await store.read { try await $0.invitations.find(code: "CLAIM") })
            #expect(found == invitation)
            #expect(found.email == "Newcomer@Example.org")
            #expect(try await store.read { try await $0.invitations.list() } == [invitation])
        }
    }

    @Test(arguments: Engine.enabled)
    func invitationsAreListedNewestFirst(engine: Engine) async throws {
        try await withStore(engine) { store in
            #expect(try await store.read { try await $0.invitations.list() }.isEmpty)
            let invitations = [
                Invitation(code: "MIDDLE", createdBy: Member.ID(1), createdAt: time(200), expiresAt: nil),
                Invitation(code: "OLDEST", createdBy: Member.ID(1), createdAt: time(100), expiresAt: time(1_000)),
                Invitation(code: "NEWEST", createdBy: Member.ID(1), createdAt: time(300), expiresAt: nil),
            ]
            try await store.write { repos in
                try await repos.members.insert(makeMember(1, handle: "admin", role: .admin))
                for invitation in invitations { try await repos.invitations.insert(invitation) }
            }
            let listed = try await store.read { try await $0.invitations.list() }
            #expect(listed.map(\.code) == ["NEWEST", "MIDDLE", "OLDEST"])
            #expect(listed == [invitations[2], invitations[0], invitations[1]])
        }
    }

    @Test(arguments: Engine.enabled)
    func invitationCodesAreUnique(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await store.write { repos in
                try await repos.members.insert(makeMember(1, handle: "admin", role: .admin))
                try await repos.invitations.insert(
                    Invitation(code: "ONCE", createdBy: Member.ID(1), createdAt: time(0), expiresAt: nil))
            }
            await #expect(throws: (any Error).self) {
                try await store.write { repos in
                    try await repos.invitations.insert(
                        Invitation(code: "ONCE", createdBy: Member.ID(1), createdAt: time(50), expiresAt: nil))
                }
            }
            let listed = try await store.read { try await $0.invitations.list() }
            #expect(listed.map(\.createdAt) == [time(0)])
        }
    }
}
