import Foundation
import PollenCore
import PollenStorage
import Testing

private struct Rollback: Error {}

/// Handles of a page of search results, in order.
private func handles(_ page: Page<Member>) -> [String] {
    page.items.map(\.handle)
}

private func search(_ store: SQLStore, _ query: DirectoryQuery) async throws -> Page<Member> {
    try await store.read { try await $0.members.search(query) }
}

@Suite struct MemberRepositoryTests {
    // MARK: - Insert, find, update

    @Test(arguments: Engine.enabled)
    func insertedMemberIsFoundByIDHandleAndEmailRegardlessOfCase(engine: Engine) async throws {
        try await withStore(engine) { store in
            var member = makeMember(
                1, handle: "Ada_L", email: "Ada.Lovelace@Example.org", name: "Ada Lovelace", department: "Research",
                location: "London", subjects: ["mathematics", "engines"], expertise: ["analysis"], role: .admin)
            member.profile.bio = "Notes on the analytical engine."
            member.profile.jobRole = "Analyst"
            member.updatedAt = Date(timeIntervalSince1970: 1_767_312_000)
            let ada = member
            try await store.write { try await $0.members.insert(ada) }

            let found = try await store.read { repos in
                [
                    try await repos.members.find(id: Member.ID(1)),
                    try await repos.members.find(handle: "ada_l"),
                    try await repos.members.find(handle: "ADA_L"),
                    try await repos.members.find(email: "ada.lovelace@example.org"),
                    try await repos.members.find(email: "ADA.LOVELACE@EXAMPLE.ORG"),
                ]
            }
            for member in found {
                #expect(member == ada)
            }
            let missing = try await store.read { repos in
                [
                    try await repos.members.find(id: Member.ID(2)),
                    try await repos.members.find(handle: "ada"),
                    try await repos.members.find(email: "ada@example.org"),
                ]
            }
            #expect(missing.allSatisfy { $0 == nil })
        }
    }

    @Test(arguments: Engine.enabled)
    func memberWithoutPasswordRoundTrips(engine: Engine) async throws {
        try await withStore(engine) { store in
            var member = makeMember(7, handle: "imported")
            member.passwordHash = nil
            let imported = member
            try await store.write { try await $0.members.insert(imported) }
            let found = try await store.read { try await $0.members.find(id: Member.ID(7)) }
            #expect(found == imported)
            #expect(found?.passwordHash == nil)
        }
    }

    @Test(arguments: Engine.enabled)
    func findByIDsReturnsOnlyExistingMembers(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await store.write { repos in
                try await repos.members.insertMany([
                    makeMember(1, handle: "one"), makeMember(2, handle: "two"), makeMember(3, handle: "three"),
                ])
            }
            let found = try await store.read { repos in
                try await repos.members.find(ids: [Member.ID(3), Member.ID(1), Member.ID(99)])
            }
            #expect(found.map(\.handle).sorted() == ["one", "three"])
            let none = try await store.read { try await $0.members.find(ids: []) }
            #expect(none.isEmpty)
        }
    }

    @Test(arguments: Engine.enabled)
    func updateChangesHandleEmailProfileAndReplacesTags(engine: Engine) async throws {
        try await withStore(engine) { store in
            let original = makeMember(
                1, handle: "grace", name: "Grace Hopper", department: "Navy", subjects: ["compilers", "cobol"],
                expertise: ["debugging"])
            try await store.write { try await $0.members.insert(original) }

            var member = original
            member.handle = "Amazing_Grace"
            member.email = "Grace@Navy.example"
            member.profile.displayName = "Rear Admiral Hopper"
            member.profile.bio = "Nanoseconds"
            member.profile.subjects = ["leadership"]
            member.profile.expertise = []
            member.role = .moderator
            member.status = .suspended
            member.passwordHash = "new-hash"
            member.updatedAt = Date(timeIntervalSince1970: 1_767_400_000)
            let changed = member
            try await store.write { try await $0.members.update(changed) }

            let (byID, byNewHandle, byOldHandle, byNewEmail, byOldEmail) = try await store.read { repos in
                (
                    try await repos.members.find(id: Member.ID(1)),
                    try await repos.members.find(handle: "amazing_grace"),
                    try await repos.members.find(handle: "grace"),
                    try await repos.members.find(email: "grace@navy.example"),
                    try await repos.members.find(email: "grace@example.org")
                )
            }
            #expect(byID == changed)
            #expect(byNewHandle == changed)
            #expect(byOldHandle == nil)
            #expect(byNewEmail == changed)
            #expect(byOldEmail == nil)
            #expect(try await store.read { try await $0.members.count() } == 1)

            // The tag index follows the profile: old tags no longer match, new ones do.
            for tag in ["compilers", "cobol"] {
                #expect(try await search(store, DirectoryQuery(subject: tag, includeSuspended: true)).total == 0)
            }
            #expect(
                try await search(store, DirectoryQuery(expertise: "debugging", includeSuspended: true)).total == 0)
            #expect(
                handles(try await search(store, DirectoryQuery(subject: "leadership", includeSuspended: true)))
                    == ["Amazing_Grace"])
            // So does the free-text index.
            #expect(try await search(store, DirectoryQuery(text: "cobol", includeSuspended: true)).total == 0)
            #expect(
                handles(try await search(store, DirectoryQuery(text: "nanoseconds", includeSuspended: true)))
                    == ["Amazing_Grace"])
        }
    }

    @Test(arguments: Engine.enabled)
    func updateKeepsOtherMembersUntouched(engine: Engine) async throws {
        try await withStore(engine) { store in
            let first = makeMember(1, handle: "first", subjects: ["shared"])
            let second = makeMember(2, handle: "second", subjects: ["shared"])
            try await store.write { try await $0.members.insertMany([first, second]) }
            var member = first
            member.profile.subjects = []
            let changed = member
            try await store.write { try await $0.members.update(changed) }
            #expect(try await store.read { try await $0.members.find(id: Member.ID(2)) } == second)
            #expect(handles(try await search(store, DirectoryQuery(subject: "shared"))) == ["second"])
        }
    }

    // MARK: - Bulk insert and constraints

    @Test(arguments: Engine.enabled)
    func insertManyCrossesChunksAndKeepsEveryMemberAndTag(engine: Engine) async throws {
        try await withStore(engine) { store in
            let members = (1...1_200).map { index in
                makeMember(
                    Int64(index), handle: "member\(index)", subjects: ["bulk"],
                    expertise: index % 2 == 0 ? ["even"] : [])
            }
            try await store.write { try await $0.members.insertMany(members) }

            #expect(try await store.read { try await $0.members.count() } == 1_200)
            let (first, boundary, last) = try await store.read { repos in
                (
                    try await repos.members.find(handle: "member1"),
                    try await repos.members.find(handle: "member501"),
                    try await repos.members.find(handle: "member1200")
                )
            }
            #expect(first == members[0])
            #expect(boundary == members[500])
            #expect(last == members[1_199])
            #expect(try await search(store, DirectoryQuery(subject: "bulk", limit: 1)).total == 1_200)
            #expect(try await search(store, DirectoryQuery(expertise: "even", limit: 1)).total == 600)
        }
    }

    @Test(arguments: Engine.enabled)
    func duplicateHandleInAnotherCaseIsRefusedAndTheTransactionKeepsNothing(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await store.write { try await $0.members.insert(makeMember(1, handle: "ada")) }
            await #expect(throws: (any Error).self) {
                try await store.write { repos in
                    try await repos.members.insert(makeMember(2, handle: "grace"))
                    try await repos.members.insert(makeMember(3, handle: "ADA", email: "someone.else@example.org"))
                }
            }
            #expect(try await store.read { try await $0.members.count() } == 1)
            #expect(try await store.read { try await $0.members.find(handle: "grace") } == nil)
            #expect(try await store.read { try await $0.members.find(id: Member.ID(1)) }?.handle == "ada")
        }
    }

    @Test(arguments: Engine.enabled)
    func duplicateEmailInAnotherCaseIsRefusedAndTheTransactionKeepsNothing(engine: Engine) async throws {
        try await withStore(engine) { store in
            let ada = makeMember(1, handle: "ada", email: "ada@example.org")
            try await store.write { try await $0.members.insert(ada) }
            await #expect(throws: (any Error).self) {
                try await store.write { repos in
                    try await repos.members.insert(makeMember(2, handle: "grace"))
                    try await repos.members.insert(makeMember(3, handle: "ada2", email: "ADA@Example.ORG"))
                }
            }
            #expect(try await store.read { try await $0.members.count() } == 1)
            #expect(try await store.read { try await $0.members.find(handle: "grace") } == nil)
        }
    }

    @Test(arguments: Engine.enabled)
    func updateToATakenHandleIsRefused(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await store.write { repos in
                try await repos.members.insertMany([makeMember(1, handle: "ada"), makeMember(2, handle: "grace")])
            }
            var member = makeMember(2, handle: "Ada", email: "grace@example.org")
            member.profile.displayName = "Renamed"
            let clash = member
            await #expect(throws: (any Error).self) {
                try await store.write { try await $0.members.update(clash) }
            }
            let grace = try await store.read { try await $0.members.find(id: Member.ID(2)) }
            #expect(grace?.handle == "grace")
            #expect(grace?.profile.displayName == "Grace")
        }
    }

    @Test(arguments: Engine.enabled)
    func insertManyWithADuplicateInALaterChunkKeepsNothing(engine: Engine) async throws {
        try await withStore(engine) { store in
            var members = (1...600).map { makeMember(Int64($0), handle: "member\($0)", subjects: ["bulk"]) }
            members.append(makeMember(601, handle: "MEMBER1", email: "other@example.org"))
            let batch = members
            await #expect(throws: (any Error).self) {
                try await store.write { try await $0.members.insertMany(batch) }
            }
            let count = try await store.read { try await $0.members.count() }
            #expect(count == 0)
            #expect(try await search(store, DirectoryQuery(subject: "bulk")).total == 0)
        }
    }

    @Test(arguments: Engine.enabled)
    func writeThatThrowsAfterInsertingLeavesNothingBehind(engine: Engine) async throws {
        try await withStore(engine) { store in
            await #expect(throws: Rollback.self) {
                try await store.write { repos in
                    try await repos.members.insert(makeMember(1, handle: "ada", subjects: ["math"]))
                    try await repos.settings.save(ServerSettings(name: "Changed"))
                    #expect(try await repos.members.count() == 1)
                    throw Rollback()
                }
            }
            let (count, member, settings) = try await store.read { repos in
                (
                    try await repos.members.count(), try await repos.members.find(handle: "ada"),
                    try await repos.settings.load()
                )
            }
            #expect(count == 0)
            #expect(member == nil)
            #expect(settings == .default)
            #expect(try await search(store, DirectoryQuery(subject: "math")).total == 0)
            // The same handle can be used afterwards: nothing of the failed transaction lingers.
            try await store.write { try await $0.members.insert(makeMember(2, handle: "ada")) }
            #expect(try await store.read { try await $0.members.count() } == 1)
        }
    }

    @Test(arguments: Engine.enabled)
    func countAdminsCountsOnlyActiveAdministrators(engine: Engine) async throws {
        try await withStore(engine) { store in
            #expect(try await store.read { try await $0.members.countAdmins() } == 0)
            try await store.write { repos in
                try await repos.members.insertMany([
                    makeMember(1, handle: "admin1", role: .admin),
                    makeMember(2, handle: "admin2", role: .admin),
                    makeMember(3, handle: "suspended_admin", role: .admin, status: .suspended),
                    makeMember(4, handle: "moderator", role: .moderator),
                    makeMember(5, handle: "member"),
                ])
            }
            #expect(try await store.read { try await $0.members.countAdmins() } == 2)
            #expect(try await store.read { try await $0.members.count() } == 5)
        }
    }

    // MARK: - Search

    @Test(arguments: Engine.enabled)
    func freeTextMatchesEverySearchableField(engine: Engine) async throws {
        try await withStore(engine) { store in
            var byName = makeMember(1, handle: "m_name", name: "Zebulon Quist")
            byName.profile.bio = "plain"
            var byBio = makeMember(2, handle: "m_bio", name: "Bio Person")
            byBio.profile.bio = "I restore harpsichords on weekends."
            let byDepartment = makeMember(3, handle: "m_dept", name: "Dept Person", department: "Cartography")
            var byJobRole = makeMember(4, handle: "m_role", name: "Role Person")
            byJobRole.profile.jobRole = "Lighthouse Keeper"
            let bySubject = makeMember(5, handle: "m_subject", name: "Subject Person", subjects: ["mycology"])
            let byExpertise = makeMember(6, handle: "m_expertise", name: "Expertise Person", expertise: ["origami"])
            let byLocation = makeMember(7, handle: "m_location", name: "Location Person", location: "Reykjavik")
            let byHandle = makeMember(8, handle: "xylophonist", name: "Handle Person")
            let members = [byName, byBio, byDepartment, byJobRole, bySubject, byExpertise, byLocation, byHandle]
            try await store.write { try await $0.members.insertMany(members) }

            let cases: [(String, String)] = [
                ("QUIST", "m_name"), ("harpsichord", "m_bio"), ("cartograph", "m_dept"),
                ("lighthouse", "m_role"), ("MyCoLoGy", "m_subject"), ("origami", "m_expertise"),
                ("reykjavik", "m_location"), ("XYLO", "xylophonist"),
            ]
            for (text, expected) in cases {
                let page = try await search(store, DirectoryQuery(text: text))
                #expect(handles(page) == [expected], "query \(text)")
                #expect(page.total == 1, "query \(text)")
            }
            #expect(try await search(store, DirectoryQuery(text: "nothing-matches-this")).total == 0)
            #expect(try await search(store, DirectoryQuery(text: "   ")).total == members.count)
        }
    }

    /// The text match follows profile changes (on SQLite it goes through a trigram index kept beside the
    /// table), matches inside words and across case, and still treats short words alike.
    @Test(arguments: Engine.enabled)
    func textMatchFollowsProfileChanges(engine: Engine) async throws {
        try await withStore(engine) { store in
            let ada = makeMember(1, handle: "ada", name: "Ada Kubernetes-Fan", department: "Platform")
            try await store.write { repos in
                try await repos.members.insertMany([ada, makeMember(2, handle: "bo", name: "Bo Terraform")])
            }
            #expect(handles(try await search(store, DirectoryQuery(text: "BERNET"))) == ["ada"])
            #expect(handles(try await search(store, DirectoryQuery(text: "rrafo"))) == ["bo"])
            var renamed = ada
            renamed.profile.displayName = "Ada Terraformer"
            let changed = renamed
            try await store.write { try await $0.members.update(changed) }
            #expect(try await search(store, DirectoryQuery(text: "bernet")).total == 0)
            #expect(handles(try await search(store, DirectoryQuery(text: "terraform"))) == ["ada", "bo"])
            #expect(handles(try await search(store, DirectoryQuery(text: "a t"))) == ["ada", "bo"])
        }
    }

    @Test(arguments: Engine.enabled)
    func everyWordOfTheQueryMustMatch(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await store.write { repos in
                try await repos.members.insertMany([
                    makeMember(1, handle: "both", name: "Data London", department: "Data", location: "London"),
                    makeMember(2, handle: "data_only", name: "Data Paris", department: "Data", location: "Paris"),
                    makeMember(3, handle: "london_only", name: "Sales London", department: "Sales", location: "London"),
                ])
            }
            #expect(handles(try await search(store, DirectoryQuery(text: "data LONDON"))) == ["both"])
            #expect(handles(try await search(store, DirectoryQuery(text: "  London   DATA "))) == ["both"])
            #expect(try await search(store, DirectoryQuery(text: "data")).total == 2)
            #expect(try await search(store, DirectoryQuery(text: "data tokyo")).total == 0)
        }
    }

    @Test(arguments: Engine.enabled)
    func likeWildcardsInTheQueryAreLiteral(engine: Engine) async throws {
        try await withStore(engine) { store in
            var percent = makeMember(1, handle: "percent", name: "Percent Person")
            percent.profile.bio = "Gives 100% every day"
            var digits = makeMember(2, handle: "digits", name: "Digits Person")
            digits.profile.bio = "Counted 1000 birds"
            let underscore = makeMember(3, handle: "big_data", name: "Underscore Person")
            let lookalike = makeMember(4, handle: "bigxdata", name: "Lookalike Person")
            var backslash = makeMember(5, handle: "windows", name: "Backslash Person")
            backslash.profile.bio = #"Lives in C:\Users"#
            let members = [percent, digits, underscore, lookalike, backslash]
            try await store.write { try await $0.members.insertMany(members) }

            #expect(handles(try await search(store, DirectoryQuery(text: "100%"))) == ["percent"])
            #expect(handles(try await search(store, DirectoryQuery(text: "%"))) == ["percent"])
            #expect(handles(try await search(store, DirectoryQuery(text: "g_d"))) == ["big_data"])
            #expect(handles(try await search(store, DirectoryQuery(text: "_"))) == ["big_data"])
            #expect(handles(try await search(store, DirectoryQuery(text: #"c:\users"#))) == ["windows"])
            #expect(handles(try await search(store, DirectoryQuery(text: #"\"#))) == ["windows"])
            #expect(try await search(store, DirectoryQuery(text: "1%0")).total == 0)
        }
    }

    @Test(arguments: Engine.enabled)
    func filtersCombineWithEachOtherAndWithText(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await store.write { repos in
                try await repos.members.insertMany([
                    makeMember(
                        1, handle: "ana", department: "Finance", location: "Lisbon", subjects: ["accounting"],
                        expertise: ["excel"]),
                    makeMember(
                        2, handle: "ben", department: "finance", location: "Porto", subjects: ["accounting", "tax"],
                        expertise: []),
                    makeMember(
                        3, handle: "cid", department: "Sales", location: "Lisbon", subjects: ["negotiation"],
                        expertise: ["excel", "accounting"]),
                    makeMember(4, handle: "dee", department: "Économie", location: "Zürich"),
                ])
            }
            func found(_ query: DirectoryQuery) async throws -> [String] {
                handles(try await search(store, query)).sorted()
            }
            // Subject and expertise are separate lists: cid has "accounting" only as expertise.
            #expect(try await found(DirectoryQuery(subject: "accounting")) == ["ana", "ben"])
            #expect(try await found(DirectoryQuery(expertise: "accounting")) == ["cid"])
            #expect(try await found(DirectoryQuery(expertise: "excel")) == ["ana", "cid"])
            #expect(try await found(DirectoryQuery(subject: "unknown")) == [])
            // Department and location ignore case.
            #expect(try await found(DirectoryQuery(department: "FINANCE")) == ["ana", "ben"])
            #expect(try await found(DirectoryQuery(department: "finance")) == ["ana", "ben"])
            #expect(try await found(DirectoryQuery(department: "Fin")) == [])
            #expect(try await found(DirectoryQuery(location: "lisbon")) == ["ana", "cid"])
            // So do values outside ASCII.
            #expect(try await found(DirectoryQuery(department: "Économie")) == ["dee"])
            #expect(try await found(DirectoryQuery(department: "ÉCONOMIE")) == ["dee"])
            #expect(try await found(DirectoryQuery(department: "économie")) == ["dee"])
            #expect(try await found(DirectoryQuery(location: "Zürich")) == ["dee"])
            #expect(try await found(DirectoryQuery(location: "zürich")) == ["dee"])
            // Everything combines with AND.
            #expect(try await found(DirectoryQuery(subject: "accounting", location: "Lisbon")) == ["ana"])
            #expect(try await found(DirectoryQuery(department: "finance", location: "porto")) == ["ben"])
            #expect(try await found(DirectoryQuery(text: "tax", department: "Finance")) == ["ben"])
            #expect(try await found(DirectoryQuery(expertise: "excel", department: "Sales")) == ["cid"])
            #expect(try await found(DirectoryQuery(subject: "tax", location: "Lisbon")) == [])
        }
    }

    @Test(arguments: Engine.enabled)
    func suspendedMembersAreExcludedUnlessAskedFor(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await store.write { repos in
                try await repos.members.insertMany([
                    makeMember(1, handle: "active_one", department: "Ops", subjects: ["ops"]),
                    makeMember(2, handle: "suspended_one", department: "Ops", subjects: ["ops"], status: .suspended),
                ])
            }
            let hidden = try await search(store, DirectoryQuery(subject: "ops"))
            #expect(handles(hidden) == ["active_one"])
            #expect(hidden.total == 1)
            #expect(try await search(store, DirectoryQuery(text: "suspended_one")).total == 0)
            let all = try await search(store, DirectoryQuery(department: "ops", includeSuspended: true))
            #expect(handles(all).sorted() == ["active_one", "suspended_one"])
            #expect(all.total == 2)
        }
    }

    @Test(arguments: Engine.enabled)
    func resultsAreOrderedByDisplayNameAndPagedWithTheFullTotal(engine: Engine) async throws {
        try await withStore(engine) { store in
            let names = ["Mona", "alice", "Zed", "Bob", "carol", "Eve", "dave"]
            let members = names.enumerated().map { index, name in
                makeMember(Int64(index + 1), handle: "h\(index)", name: name, department: "Team")
            }
            try await store.write { repos in
                try await repos.members.insertMany(members)
                try await repos.members.insert(makeMember(99, handle: "outsider", name: "Aaron", department: "Other"))
            }
            var seen: [String] = []
            for offset in stride(from: 0, to: 9, by: 3) {
                let page = try await search(store, DirectoryQuery(department: "Team", limit: 3, offset: offset))
                #expect(page.total == 7)
                #expect(page.items.count == min(3, 7 - offset))
                seen += page.items.map(\.profile.displayName)
            }
            #expect(seen == ["alice", "Bob", "carol", "dave", "Eve", "Mona", "Zed"])
            let beyond = try await search(store, DirectoryQuery(department: "Team", limit: 3, offset: 20))
            #expect(beyond.items.isEmpty)
            #expect(beyond.total == 7)
        }
    }

    @Test(arguments: Engine.enabled)
    func equalDisplayNamesKeepAStableOrder(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await store.write { repos in
                try await repos.members.insertMany([
                    makeMember(3, handle: "third", name: "Sam"), makeMember(1, handle: "first", name: "Sam"),
                    makeMember(2, handle: "second", name: "Sam"),
                ])
            }
            let firstPage = try await search(store, DirectoryQuery(limit: 2))
            let secondPage = try await search(store, DirectoryQuery(limit: 2, offset: 2))
            #expect(handles(firstPage) + handles(secondPage) == ["first", "second", "third"])
        }
    }

    // MARK: - Facets

    @Test(arguments: Engine.enabled)
    func facetsListDistinctNonEmptyValuesOfActiveMembersSorted(engine: Engine) async throws {
        try await withStore(engine) { store in
            #expect(
                try await store.read { try await $0.members.facets() }
                    == DirectoryFacets(departments: [], locations: []))
            try await store.write { repos in
                try await repos.members.insertMany([
                    makeMember(1, handle: "a", department: "Sales", location: "Paris"),
                    makeMember(2, handle: "b", department: "Engineering", location: "Berlin"),
                    makeMember(3, handle: "c", department: "Sales", location: ""),
                    makeMember(4, handle: "d", department: "", location: "Amsterdam"),
                    makeMember(5, handle: "e", department: "Legal", location: "Cairo", status: .suspended),
                    makeMember(6, handle: "f", department: "Engineering", location: "Paris"),
                ])
            }
            let facets = try await store.read { try await $0.members.facets() }
            #expect(facets.departments == ["Engineering", "Sales"])
            #expect(facets.locations == ["Amsterdam", "Berlin", "Paris"])
        }
    }
}
