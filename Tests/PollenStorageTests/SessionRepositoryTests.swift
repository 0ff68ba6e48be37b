import Foundation
import PollenCore
import PollenStorage
import Testing

/// A whole number of seconds after 2026-01-01, so times survive the database's millisecond precision.
private func time(_ seconds: Int) -> Date {
    Date(timeIntervalSince1970: 1_767_225_600 + TimeInterval(seconds))
}

private func makeSession(_ id: Int64, member: Int64, lastSeen: Int = 0) -> Session {
    Session(
        id: Session.ID(id), tokenDigest: "digest-\(id)", memberID: Member.ID(member), csrfToken: "csrf-\(id)",
        createdAt: time(0), lastSeenAt: time(lastSeen), expiresAt: time(lastSeen + 3_600),
        userAgent: "Browser \(id)", address: "192.0.2.\(id)")
}

/// The identifiers of a member's sessions, as listed.
private func sessionIDs(_ store: SQLStore, member: Int64) async throws -> [Int64] {
    try await store.read { try await $0.sessions.list(memberID: Member.ID(member)) }.map(\.id.rawValue)
}

@Suite struct SessionRepositoryTests {
    // MARK: - Sessions

    @Test(arguments: Engine.enabled)
    func sessionIsFoundByDigestTouchedAndDeleted(engine: Engine) async throws {
        try await withStore(engine) { store in
            let session = makeSession(10, member: 1, lastSeen: 5)
            try await store.write { repos in
                try await repos.members.insert(makeMember(1, handle: "ada"))
                try await repos.sessions.insert(session)
            }
            #expect(try await store.read { try await $0.sessions.find(tokenDigest: "digest-10") } == session)
            #expect(try await store.read { try await $0.sessions.find(tokenDigest: "digest-11") } == nil)

            try await store.write { repos in
                try await repos.sessions.touch(id: Session.ID(10), lastSeenAt: time(600), expiresAt: time(90_000))
            }
            var touched = session
            touched.lastSeenAt = time(600)
            touched.expiresAt = time(90_000)
            #expect(try await store.read { try await $0.sessions.find(tokenDigest: "digest-10") } == touched)

            try await store.write { try await $0.sessions.delete(id: Session.ID(10)) }
            #expect(try await store.read { try await $0.sessions.find(tokenDigest: "digest-10") } == nil)
            #expect(try await store.read { try await $0.sessions.list(memberID: Member.ID(1)) }.isEmpty)
        }
    }

    @Test(arguments: Engine.enabled)
    func sessionDigestsAreUnique(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await store.write { repos in
                try await repos.members.insert(makeMember(1, handle: "ada"))
                try await repos.sessions.insert(makeSession(10, member: 1))
            }
            let clash = Session(
                id: Session.ID(11), tokenDigest: "digest-10", memberID: Member.ID(1), csrfToken: "other",
                createdAt: time(0), lastSeenAt: time(0), expiresAt: time(60), userAgent: "", address: "")
            await #expect(throws: (any Error).self) {
                try await store.write { try await $0.sessions.insert(clash) }
            }
            let listed = try await store.read { try await $0.sessions.list(memberID: Member.ID(1)) }
            #expect(listed.map(\.id) == [Session.ID(10)])
        }
    }

    @Test(arguments: Engine.enabled)
    func listShowsOnlyTheMembersSessionsMostRecentlySeenFirst(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await store.write { repos in
                try await repos.members.insertMany([makeMember(1, handle: "ada"), makeMember(2, handle: "grace")])
                for session in [
                    makeSession(10, member: 1, lastSeen: 100), makeSession(11, member: 1, lastSeen: 300),
                    makeSession(12, member: 2, lastSeen: 400), makeSession(13, member: 1, lastSeen: 200),
                ] {
                    try await repos.sessions.insert(session)
                }
            }
            let ada = try await store.read { try await $0.sessions.list(memberID: Member.ID(1)) }
            #expect(ada.map(\.id.rawValue) == [11, 13, 10])
            #expect(ada.first == makeSession(11, member: 1, lastSeen: 300))

            // Touching an old session brings it to the top.
            try await store.write { repos in
                try await repos.sessions.touch(id: Session.ID(10), lastSeenAt: time(500), expiresAt: time(4_100))
            }
            let reordered = try await store.read { try await $0.sessions.list(memberID: Member.ID(1)) }
            #expect(reordered.map(\.id.rawValue) == [10, 11, 13])
            #expect(try await store.read { try await $0.sessions.list(memberID: Member.ID(3)) }.isEmpty)
        }
    }

    @Test(arguments: Engine.enabled)
    func deleteAllSignsTheMemberOutEverywhereButTheKeptSession(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await store.write { repos in
                try await repos.members.insertMany([makeMember(1, handle: "ada"), makeMember(2, handle: "grace")])
                for session in [
                    makeSession(10, member: 1, lastSeen: 1), makeSession(11, member: 1, lastSeen: 2),
                    makeSession(12, member: 1, lastSeen: 3), makeSession(20, member: 2, lastSeen: 4),
                ] {
                    try await repos.sessions.insert(session)
                }
            }
            try await store.write { try await $0.sessions.deleteAll(memberID: Member.ID(1), except: Session.ID(11)) }
            #expect(try await sessionIDs(store, member: 1) == [11])
            #expect(try await sessionIDs(store, member: 2) == [20])

            // A session of another member is not a reason to keep anything.
            try await store.write { try await $0.sessions.deleteAll(memberID: Member.ID(1), except: Session.ID(20)) }
            #expect(try await store.read { try await $0.sessions.list(memberID: Member.ID(1)) }.isEmpty)
            #expect(try await store.read { try await $0.sessions.find(tokenDigest: "digest-20") } != nil)

            try await store.write { repos in
                try await repos.sessions.insert(makeSession(13, member: 1))
                try await repos.sessions.deleteAll(memberID: Member.ID(2), except: nil)
            }
            #expect(try await store.read { try await $0.sessions.list(memberID: Member.ID(2)) }.isEmpty)
            #expect(try await sessionIDs(store, member: 1) == [13])
        }
    }

    // MARK: - Sign-in attempts

    @Test(arguments: Engine.enabled)
    func failuresAreCountedPerKeyWithinTheWindow(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await store.write { repos in
                for seconds in [0, 60, 120] {
                    try await repos.signInAttempts.recordFailure(key: "ada@example.org", at: time(seconds))
                }
                try await repos.signInAttempts.recordFailure(key: "192.0.2.1", at: time(90))
            }
            func count(_ key: String, since seconds: Int) async throws -> Int {
                try await store.read { try await $0.signInAttempts.countFailures(key: key, since: time(seconds)) }
            }
            #expect(try await count("ada@example.org", since: -1) == 3)
            #expect(try await count("ada@example.org", since: 0) == 3)
            #expect(try await count("ada@example.org", since: 60) == 2)
            #expect(try await count("ada@example.org", since: 61) == 1)
            #expect(try await count("ada@example.org", since: 121) == 0)
            #expect(try await count("192.0.2.1", since: 0) == 1)
            #expect(try await count("nobody@example.org", since: 0) == 0)
        }
    }

    @Test(arguments: Engine.enabled)
    func clearForgetsOnlyThatKey(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await store.write { repos in
                try await repos.signInAttempts.recordFailure(key: "ada", at: time(0))
                try await repos.signInAttempts.recordFailure(key: "ada", at: time(1))
                try await repos.signInAttempts.recordFailure(key: "grace", at: time(2))
            }
            try await store.write { try await $0.signInAttempts.clear(key: "ada") }
            let (ada, grace) = try await store.read { repos in
                (
                    try await repos.signInAttempts.countFailures(key: "ada", since: time(-60)),
                    try await repos.signInAttempts.countFailures(key: "grace", since: time(-60))
                )
            }
            #expect(ada == 0)
            #expect(grace == 1)
        }
    }

    @Test(arguments: Engine.enabled)
    func purgeRemovesAttemptsOlderThanTheCutOff(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await store.write { repos in
                for seconds in [0, 59, 60, 61] {
                    try await repos.signInAttempts.recordFailure(key: "ada", at: time(seconds))
                }
                try await repos.signInAttempts.recordFailure(key: "grace", at: time(10))
                try await repos.signInAttempts.recordFailure(key: "grace", at: time(100))
            }
            try await store.write { try await $0.signInAttempts.purge(before: time(60)) }
            let (ada, grace) = try await store.read { repos in
                (
                    try await repos.signInAttempts.countFailures(key: "ada", since: .distantPast),
                    try await repos.signInAttempts.countFailures(key: "grace", since: .distantPast)
                )
            }
            #expect(ada == 2)
            #expect(grace == 1)
        }
    }
}
