import Foundation
import PollenCore
import PollenStorage
import Testing

private let start = Date(timeIntervalSince1970: 1_772_323_200)

/// A store of `engine` with members 1–6 (6 an administrator) and a `Pollen` on it.
private func withCommunities(_ engine: Engine, _ body: (Pollen, [Int64: Member]) async throws -> Void) async throws {
    try await withStore(engine) { store in
        let members = (1...6).map { id in
            makeMember(Int64(id), handle: "m\(id)", role: id == 6 ? .admin : .member, createdAt: start)
        }
        try await store.write { try await $0.members.insertMany(members) }
        let pollen = Pollen(store: store, secrets: PlainSecrets(), time: ManualTimeSource(start))
        try await body(pollen, Dictionary(uniqueKeysWithValues: members.map { ($0.id.rawValue, $0) }))
    }
}

private func draft(_ slug: String, _ membership: Community.Membership, kind: Community.Kind = .horizontal) -> CommunityDraft {
    CommunityDraft(
        slug: slug, name: "Community \(slug)", kind: kind, purpose: "Why \(slug) exists", guidelines: "Be kind.",
        membership: membership)
}

private func expectError(_ code: DomainError.Code, _ work: () async throws -> Void) async {
    do {
        try await work()
        Issue.record("expected \(code)")
    } catch let error as DomainError {
        #expect(error.code == code, "\(error)")
    } catch {
        Issue.record("unexpected \(error)")
    }
}

@Suite struct CommunityTests {
    @Test(arguments: Engine.enabled)
    func aFounderManagesTheNewCommunityAndItsAddressIsUnique(engine: Engine) async throws {
        try await withCommunities(engine) { pollen, m in
            let made = try await pollen.createCommunity(draft("Supply-Chain", .open), by: .member(m[1]!))
            #expect(made.slug == "supply-chain")
            let view = try await pollen.community(slug: "SUPPLY-chain", viewer: .member(m[2]!))
            #expect(view.community == made)
            #expect(view.memberCount == 1)
            #expect(view.viewerMembership == nil)
            let founder = try await pollen.community(slug: "supply-chain", viewer: .member(m[1]!)).viewerMembership
            #expect(founder?.role == .manager && founder?.state == .active)
            await expectError(.conflict) { _ = try await pollen.createCommunity(draft("supply-chain", .open), by: .member(m[2]!)) }
            await expectError(.invalidInput) { _ = try await pollen.createCommunity(draft("no spaces", .open), by: .member(m[2]!)) }
            await expectError(.invalidInput) { _ = try await pollen.createCommunity(draft("-edge", .open), by: .member(m[2]!)) }
            var unnamed = draft("unnamed", .open)
            unnamed.name = " x "
            await expectError(.invalidInput) { _ = try await pollen.createCommunity(unnamed, by: .member(m[2]!)) }
            #expect(try await pollen.communities(CommunityQuery(visibleTo: nil), viewer: .member(m[2]!)).total == 1)
        }
    }

    @Test(arguments: Engine.enabled)
    func joiningFollowsTheMembershipPolicy(engine: Engine) async throws {
        try await withCommunities(engine) { pollen, m in
            _ = try await pollen.createCommunity(draft("open", .open), by: .member(m[1]!))
            _ = try await pollen.createCommunity(draft("asked", .onRequest), by: .member(m[1]!))
            #expect(try await pollen.joinCommunity(slug: "open", by: .member(m[2]!)).state == .active)
            await expectError(.conflict) { _ = try await pollen.joinCommunity(slug: "open", by: .member(m[2]!)) }
            #expect(try await pollen.joinCommunity(slug: "asked", by: .member(m[2]!)).state == .requested)
            #expect(try await pollen.community(slug: "asked", viewer: .member(m[1]!)).memberCount == 1, "a request is not a member")
            // Only a manager (or an administrator) approves.
            await expectError(.forbidden) { _ = try await pollen.decide(.approve, about: m[2]!.id, in: "asked", by: .member(m[3]!)) }
            #expect(try await pollen.decide(.approve, about: m[2]!.id, in: "asked", by: .member(m[1]!))?.state == .active)
            await expectError(.conflict) { _ = try await pollen.decide(.approve, about: m[3]!.id, in: "asked", by: .member(m[1]!)) }
            #expect(try await pollen.community(slug: "asked", viewer: .member(m[1]!)).memberCount == 2)
            try await pollen.leaveCommunity(slug: "open", by: .member(m[2]!))
            #expect(try await pollen.community(slug: "open", viewer: .member(m[2]!)).viewerMembership == nil)
        }
    }

    @Test(arguments: Engine.enabled)
    func aPrivateCommunityDoesNotExistOutsideIt(engine: Engine) async throws {
        try await withCommunities(engine) { pollen, m in
            _ = try await pollen.createCommunity(draft("inner-circle", .private), by: .member(m[1]!))
            _ = try await pollen.createCommunity(draft("everyone", .open, kind: .interest), by: .member(m[1]!))
            await expectError(.notFound) { _ = try await pollen.community(slug: "inner-circle", viewer: .member(m[2]!)) }
            await expectError(.notFound) { _ = try await pollen.joinCommunity(slug: "inner-circle", by: .member(m[2]!)) }
            #expect(try await pollen.communities(CommunityQuery(visibleTo: nil), viewer: .member(m[2]!)).items.map(\.community.slug) == ["everyone"])
            #expect(try await pollen.communities(CommunityQuery(text: "inner", visibleTo: nil), viewer: .member(m[2]!)).total == 0)
            // Administrators see it; an invitation lets the invited member see it and accept.
            #expect(try await pollen.community(slug: "inner-circle", viewer: .member(m[6]!)).community.slug == "inner-circle")
            #expect(try await pollen.decide(.invite, about: m[2]!.id, in: "inner-circle", by: .member(m[1]!))?.state == .invited)
            #expect(try await pollen.communities(CommunityQuery(visibleTo: nil), viewer: .member(m[2]!)).total == 2)
            #expect(try await pollen.joinCommunity(slug: "inner-circle", by: .member(m[2]!)).state == .active)
            // Removed, the member loses sight of it again.
            _ = try await pollen.decide(.remove, about: m[2]!.id, in: "inner-circle", by: .member(m[1]!))
            await expectError(.notFound) { _ = try await pollen.community(slug: "inner-circle", viewer: .member(m[2]!)) }
            #expect(try await pollen.communities(CommunityQuery(kind: .interest, visibleTo: nil), viewer: .member(m[6]!)).total == 1)
        }
    }

    @Test(arguments: Engine.enabled)
    func aCommunityAlwaysKeepsAManager(engine: Engine) async throws {
        try await withCommunities(engine) { pollen, m in
            _ = try await pollen.createCommunity(draft("ops", .open), by: .member(m[1]!))
            await expectError(.conflict) { try await pollen.leaveCommunity(slug: "ops", by: .member(m[1]!)) }
            await expectError(.conflict) { _ = try await pollen.decide(.role(.member), about: m[1]!.id, in: "ops", by: .member(m[1]!)) }
            try await pollen.joinCommunity(slug: "ops", by: .member(m[2]!))
            await expectError(.forbidden) { _ = try await pollen.decide(.role(.sme), about: m[2]!.id, in: "ops", by: .member(m[3]!)) }
            #expect(try await pollen.decide(.role(.manager), about: m[2]!.id, in: "ops", by: .member(m[1]!))?.role == .manager)
            try await pollen.leaveCommunity(slug: "ops", by: .member(m[1]!))
            try await pollen.joinCommunity(slug: "ops", by: .member(m[3]!))
            #expect(try await pollen.decide(.role(.sme), about: m[3]!.id, in: "ops", by: .member(m[6]!))?.role == .sme, "administrators manage too")
            let members = try await pollen.store.read { repos in
                try await repos.communities.members(
                    of: try await repos.communities.find(slug: "ops")!.id, state: .active, limit: 10, offset: 0)
            }
            #expect(members.map(\.member.handle) == ["m2", "m3"], "managers first, then experts")
        }
    }
}
