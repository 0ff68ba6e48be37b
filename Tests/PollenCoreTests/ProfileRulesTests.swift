import Foundation
import PollenCore
import Testing

@Suite struct ProfileRulesTests {
    @Test func handlesAllowLettersDigitsAndUnderscores() throws {
        #expect(try ProfileRules.validHandle(" ada_99 ") == "ada_99")
        #expect(throws: DomainError.self) { try ProfileRules.validHandle("bad handle!") }
        #expect(throws: DomainError.self) { try ProfileRules.validHandle("a") }
        #expect(throws: DomainError.self) { try ProfileRules.validHandle(String(repeating: "x", count: 31)) }
        #expect(throws: DomainError.self) { try ProfileRules.validHandle("émile") }
    }

    @Test func tagsAreNormalizedSlugs() throws {
        let tags = try ProfileRules.tags(
            ProfileRules.splitTagList("#Analytics, supply chain; analytics,  "), name: "Subjects", field: "subjects")
        #expect(tags == ["analytics", "supply-chain"])
        #expect(throws: DomainError.self) {
            try ProfileRules.tags(["c++"], name: "Subjects", field: "subjects")
        }
    }

    @Test func profileFieldsAreTrimmedAndBounded() throws {
        let clean = try ProfileRules.validProfile(Profile(displayName: "  Ada  ", department: " Finance "))
        #expect(clean.displayName == "Ada")
        #expect(clean.department == "Finance")
        let error = #expect(throws: DomainError.self) {
            try ProfileRules.validProfile(Profile(displayName: "Ada", bio: String(repeating: "b", count: 1_001)))
        }
        #expect(error?.field == "bio")
        #expect(throws: DomainError.self) { try ProfileRules.validProfile(Profile(displayName: "   ")) }
    }

    @Test func emailsNeedOneAtAndADomain() throws {
        #expect(try ProfileRules.validEmail("ada@example.org") == "ada@example.org")
        for bad in ["ada", "ada@", "@example.org", "ada@example", "a b@example.org", "a@b@example.org"] {
            #expect(throws: DomainError.self) { try ProfileRules.validEmail(bad) }
        }
    }
}

@Suite struct CSVReaderTests {
    @Test func quotedFieldsKeepCommasQuotesAndLineBreaks() throws {
        let text = "email,name\r\n\"a@x.org\",\"Doe, \"\"Jane\"\"\"\n\"b@x.org\",\"two\nlines\"\nc@x.org,plain\n"
        let records = try CSVReader.records(text)
        #expect(records.map(\.line) == [1, 2, 3, 5])
        #expect(records[1].fields == ["a@x.org", "Doe, \"Jane\""])
        #expect(records[2].fields == ["b@x.org", "two\nlines"])
        #expect(records[3].fields == ["c@x.org", "plain"])
    }

    @Test func byteOrderMarkAndBlankLinesAreIgnored() throws {
        let records = try CSVReader.records("\u{FEFF}email\n\na@x.org")
        #expect(records.map(\.fields) == [["email"], ["a@x.org"]])
        #expect(records.map(\.line) == [1, 3])
    }

    @Test func anUnclosedQuoteIsAnError() {
        #expect(throws: DomainError.self) { try CSVReader.records("email\n\"a@x.org\n") }
    }
}

@Suite struct OAuthScopeTests {
    @Test func parentScopesCoverTheirChildren() throws {
        #expect(OAuthScopes.allows(["read"], "read:accounts"))
        #expect(!OAuthScopes.allows(["read"], "write:accounts"))
        #expect(!OAuthScopes.allows(["read:statuses"], "read:accounts"))
        #expect(try OAuthScopes.parse(nil) == ["read"])
        #expect(try OAuthScopes.parse("read write  follow") == ["read", "write", "follow"])
        #expect(throws: DomainError.self) { try OAuthScopes.parse("read everything") }
    }

    @Test func snowflakeIDsIncreaseEvenWithinOneMillisecond() {
        let time = ManualTimeSource()
        let ids = SnowflakeIDGenerator(time: time)
        var previous = ids.next()
        for step in 0..<70_000 {
            if step == 50_000 { time.advance(by: -5) }  // a clock that steps back must not repeat ids
            let next = ids.next()
            #expect(next > previous)
            previous = next
        }
    }
}

@Suite struct DemoOrganizationTests {
    @Test func theSameSeedGivesTheSameOrganization() {
        let a = DemoOrganizationGenerator(seed: 7).members(count: 300)
        let b = DemoOrganizationGenerator(seed: 7).members(count: 300)
        let c = DemoOrganizationGenerator(seed: 8).members(count: 300)
        #expect(a == b)
        #expect(a != c)
    }

    @Test func demoMembersPassTheProfileRules() throws {
        let members = DemoOrganizationGenerator(seed: 3).members(count: 2_000)
        #expect(Set(members.map(\.handle)).count == members.count)
        for member in members {
            _ = try ProfileRules.validHandle(member.handle)
            _ = try ProfileRules.validEmail(member.email)
            let profile = try ProfileRules.validProfile(
                Profile(
                    displayName: member.displayName, bio: member.bio, department: member.department,
                    location: member.location, jobRole: member.jobRole, subjects: member.subjects,
                    expertise: member.expertise))
            #expect(profile.subjects == member.subjects)
        }
        let departments = Dictionary(grouping: members, by: \.department).mapValues(\.count)
        #expect(departments.count >= 10)
        // Skewed, as real organizations are: the largest unit is several times the smallest.
        #expect((departments.values.max() ?? 0) >= 4 * (departments.values.min() ?? 1))
        #expect(members.contains { $0.isThoughtLeader })
    }
}
