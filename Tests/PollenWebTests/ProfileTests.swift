import Foundation
import Hummingbird
import HummingbirdTesting
import PollenCore
import Testing

@Suite struct ProfileTests {
    static func form(_ changes: [String: String] = [:], handle: String = "bob") -> [String: String] {
        [
            "display_name": "Bob Builder", "handle": handle, "bio": "I build things.", "department": "Operations",
            "location": "Leeds", "job_role": "Engineer", "subjects": "welding", "expertise": "scaffolding",
        ].merging(changes) { $1 }
    }

    /// Members with distinct departments, locations and tags for the directory.
    static func seedDirectory(_ harness: WebHarness) async throws {
        let people: [(String, String, Profile)] = [
            ("alice", "Alice Archer", Profile(
                displayName: "Alice Archer", bio: "Forecasting demand.", department: "Research", location: "Berlin",
                jobRole: "Analyst", subjects: ["machine-learning"], expertise: ["statistics"])),
            ("bruno", "Bruno Baker", Profile(
                displayName: "Bruno Baker", department: "Sales", location: "Paris", jobRole: "Account manager",
                subjects: ["negotiation"], expertise: ["crm"])),
            ("chloe", "Chloe Chen", Profile(
                displayName: "Chloe Chen", department: "Research", location: "Paris", jobRole: "Scientist",
                subjects: ["negotiation", "machine-learning"], expertise: ["chemistry"])),
        ]
        for (handle, name, profile) in people {
            try await harness.pollen.addMember(
                AddMemberCommand(
                    handle: handle, email: "\(handle)@example.org", displayName: name, password: "correct-horse-1",
                    profile: profile),
                by: .system)
        }
    }

    /// The directory's result entries, by handle.
    static func results(_ page: TestBrowser.Page) -> Set<String> {
        Set(["alice", "bruno", "chloe", "viewer"].filter { page.body.contains("href=\"/@\($0)\" class=\"name\"") })
    }

    @Test func profilePageShowsTheFields() async throws {
        try await WebHarness.run { harness, client in
            try await Self.seedDirectory(harness)
            try await harness.addMember("viewer")
            let browser = TestBrowser(client)
            try await browser.signIn("viewer")
            let page = try await browser.get("/@alice")
            #expect(page.status == .ok)
            for text in [
                "<h1>Alice Archer</h1>", "@alice", "Forecasting demand.", "Research", "Berlin", "Analyst",
                "#machine-learning", "#statistics", "/members?department=Research",
            ] {
                #expect(page.body.contains(text), "missing \(text)")
            }
            // Only the member and admins see an edit link.
            #expect(!page.body.contains("class=\"button secondary\" href=\"/admin/members/"))
            #expect(!page.body.contains("class=\"button secondary\" href=\"/settings/profile\""))
        }
    }

    @Test func ownProfileOffersTheEditor() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("bob")
            let browser = TestBrowser(client)
            try await browser.signIn("bob")
            let page = try await browser.get("/@BOB")
            #expect(page.status == .ok)
            #expect(page.body.contains("class=\"button secondary\" href=\"/settings/profile\">Edit profile</a>"))
        }
    }

    @Test func editSavesTheProfileWithNormalizedTags() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("bob")
            let browser = TestBrowser(client)
            try await browser.signIn("bob")
            let editor = try await browser.get("/settings/profile")
            #expect(editor.status == .ok)
            #expect(editor.body.contains("value=\"bob\""))

            let page = try await browser.post(
                "/settings/profile",
                form: Self.form(
                    ["subjects": "Machine Learning, #Supply Chain; machine learning", "expertise": "#CRM,  Data Viz "],
                    handle: "Bob_B"))
            #expect(page.status == .found)
            #expect(page.location == "/settings/profile")
            let saved = try await browser.follow(page)
            #expect(saved.body.contains("Profile saved."))
            #expect(saved.body.contains("value=\"machine-learning, supply-chain\""))
            #expect(saved.body.contains("value=\"Bob_B\""))
            // The confirmation is shown once.
            #expect(!(try await browser.get("/settings/profile").body.contains("Profile saved.")))

            let bob = try #require(try await harness.member("bob_b"))
            #expect(bob.handle == "Bob_B")
            #expect(bob.profile.displayName == "Bob Builder")
            #expect(bob.profile.bio == "I build things.")
            #expect(bob.profile.department == "Operations")
            #expect(bob.profile.location == "Leeds")
            #expect(bob.profile.jobRole == "Engineer")
            #expect(bob.profile.subjects == ["machine-learning", "supply-chain"])
            #expect(bob.profile.expertise == ["crm", "data-viz"])
            #expect(try await browser.get("/@Bob_B").body.contains("#supply-chain"))
        }
    }

    /// Posts the own-profile form with one change and checks it is refused and nothing is stored.
    private func expectRefused(
        _ changes: [String: String], status: HTTPResponse.Status, message: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("bob", name: "Bob")
            try await harness.addMember("carol")
            let before = try #require(try await harness.member("bob"))
            let browser = TestBrowser(client)
            try await browser.signIn("bob")
            try await browser.get("/settings/profile")
            let page = try await browser.post("/settings/profile", form: Self.form(changes))
            #expect(page.status == status, sourceLocation: sourceLocation)
            #expect(page.body.contains(message), "\(page.body)", sourceLocation: sourceLocation)
            #expect(!page.body.contains("Profile saved."), sourceLocation: sourceLocation)
            let after = try #require(try await harness.store.read { try await $0.members.find(id: before.id) })
            #expect(after == before, sourceLocation: sourceLocation)
        }
    }

    @Test func tooLongBioIsRefused() async throws {
        try await expectRefused(
            ["bio": String(repeating: "b", count: 1_001)], status: .unprocessableContent,
            message: "Bio must be at most 1000 characters.")
    }

    @Test func tooLongDepartmentIsRefused() async throws {
        try await expectRefused(
            ["department": String(repeating: "d", count: 101)], status: .unprocessableContent,
            message: "Department must be at most 100 characters.")
    }

    @Test func badHandleCharactersAreRefused() async throws {
        try await expectRefused(
            ["handle": "bob builder"], status: .unprocessableContent,
            message: "Handle may contain only letters, digits and underscores.")
    }

    @Test func handleOfAnotherMemberIsRefused() async throws {
        try await expectRefused(["handle": "Carol"], status: .conflict, message: "The handle @Carol is taken.")
    }

    @Test func badTagIsRefused() async throws {
        try await expectRefused(
            ["subjects": "swift, c++"], status: .unprocessableContent,
            message: "Subjects: “c++” may contain only letters, digits, hyphens and underscores.")
    }

    @Test func emptyDisplayNameIsRefused() async throws {
        try await expectRefused(
            ["display_name": "   "], status: .unprocessableContent, message: "Display name must be 1 to 80 characters.")
    }

    @Test func memberCannotEditSomeoneElsesProfile() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("carol", name: "Carol")
            try await harness.addMember("bob")
            let carol = try #require(try await harness.member("carol"))
            let browser = TestBrowser(client)
            try await browser.signIn("bob")
            let editor = try await browser.get("/admin/members/\(carol.id)/profile")
            #expect(editor.status == .forbidden)
            #expect(editor.body.contains("You are not allowed to do that."))

            try await browser.get("/settings/profile")
            let post = try await browser.post("/admin/members/\(carol.id)/profile", form: Self.form(handle: "carol"))
            #expect(post.status == .forbidden)
            let after = try #require(try await harness.member("carol"))
            #expect(after == carol)

            // Invalid input must not reveal the editor either.
            let invalid = try await browser.post(
                "/admin/members/\(carol.id)/profile", form: Self.form(["bio": String(repeating: "b", count: 1_001)], handle: "carol"))
            #expect(invalid.status == .forbidden)
        }
    }

    @Test func adminCanEditSomeoneElsesProfile() async throws {
        try await WebHarness.run { harness, client in
            let carol = try await harness.addMember("carol", name: "Carol")
            try await harness.addMember("ada", role: .admin)
            let browser = TestBrowser(client)
            try await browser.signIn("ada")
            let editor = try await browser.get("/admin/members/\(carol.id)/profile")
            #expect(editor.status == .ok)
            #expect(editor.body.contains("Edit @carol"))
            #expect(editor.body.contains("action=\"/admin/members/\(carol.id)/profile\""))

            let page = try await browser.post(
                "/admin/members/\(carol.id)/profile", form: Self.form(["display_name": "Carol King"], handle: "carol"))
            #expect(page.status == .found)
            #expect(page.location == "/admin/members/\(carol.id)/profile")
            let saved = try await browser.follow(page)
            #expect(saved.body.contains("Profile saved."))
            #expect(saved.body.contains("value=\"Carol King\""))
            let after = try #require(try await harness.member("carol"))
            #expect(after.profile.displayName == "Carol King")
            #expect(after.profile.department == "Operations")
            // The admin's own profile is untouched.
            #expect(try await harness.member("ada")?.profile.displayName == "Ada")
        }
    }

    @Test func editingAnUnknownMemberIsNotFound() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("ada", role: .admin)
            let browser = TestBrowser(client)
            try await browser.signIn("ada")
            #expect(try await browser.get("/admin/members/999999/profile").status == .notFound)
            #expect(try await browser.get("/admin/members/not-a-number/profile").status == .notFound)
        }
    }

    // MARK: Directory

    @Test func directorySearchesByText() async throws {
        try await WebHarness.run { harness, client in
            try await Self.seedDirectory(harness)
            try await harness.addMember("viewer", name: "Viewer")
            let browser = TestBrowser(client)
            try await browser.signIn("viewer")

            let all = try await browser.get("/members")
            #expect(all.status == .ok)
            #expect(Self.results(all) == ["alice", "bruno", "chloe", "viewer"])

            let forecasting = try await browser.get("/members?q=forecasting")
            #expect(Self.results(forecasting) == ["alice"])
            #expect(forecasting.body.contains("1 member"))

            let paris = try await browser.get("/members?q=paris+research")
            #expect(Self.results(paris) == ["chloe"])

            let none = try await browser.get("/members?q=astronomy")
            #expect(Self.results(none).isEmpty)
            #expect(none.body.contains("No members match."))
        }
    }

    /// page × page size used to overflow on a 19-digit page number and stop the server.
    @Test func listingsTakeAnyPageNumber() async throws {
        try await WebHarness.run { harness, client in
            try await Self.seedDirectory(harness)
            try await harness.addMember("root", name: "Root", role: .admin)
            let browser = TestBrowser(client)
            try await browser.signIn("root")
            for path in ["/members", "/admin/members", "/collections", "/communities", "/questions"] {
                let far = try await browser.get("\(path)?page=1000000000000000000")
                #expect(far.status == .ok, "\(path)")
            }
        }
    }

    @Test func directoryFiltersBySubjectExpertiseDepartmentAndLocation() async throws {
        try await WebHarness.run { harness, client in
            try await Self.seedDirectory(harness)
            try await harness.addMember("viewer", name: "Viewer")
            let browser = TestBrowser(client)
            try await browser.signIn("viewer")

            #expect(Self.results(try await browser.get("/members?subject=Machine+Learning")) == ["alice", "chloe"])
            #expect(Self.results(try await browser.get("/members?subject=%23negotiation")) == ["bruno", "chloe"])
            #expect(Self.results(try await browser.get("/members?expertise=crm")) == ["bruno"])
            #expect(Self.results(try await browser.get("/members?department=research")) == ["alice", "chloe"])
            #expect(Self.results(try await browser.get("/members?location=Paris")) == ["bruno", "chloe"])
            #expect(Self.results(try await browser.get("/members?department=Research&location=Paris")) == ["chloe"])
            #expect(Self.results(try await browser.get("/members?subject=negotiation&expertise=statistics")).isEmpty)

            let page = try await browser.get("/members?department=Research")
            #expect(page.body.contains("<option value=\"Sales\">"))
            #expect(page.body.contains("value=\"Research\" list=\"departments\""))
        }
    }

    @Test func directoryHidesSuspendedMembers() async throws {
        try await WebHarness.run { harness, client in
            try await Self.seedDirectory(harness)
            try await harness.addMember("viewer", name: "Viewer")
            let bruno = try #require(try await harness.member("bruno"))
            try await harness.pollen.setSuspended(true, memberID: bruno.id, by: .system)
            let browser = TestBrowser(client)
            try await browser.signIn("viewer")
            #expect(Self.results(try await browser.get("/members")) == ["alice", "chloe", "viewer"])
            #expect(try await browser.get("/@bruno").status == .notFound)
        }
    }

    @Test func signedOutVisitorsAreSentToSignIn() async throws {
        try await WebHarness.run { harness, client in
            try await Self.seedDirectory(harness)
            let browser = TestBrowser(client)
            for path in ["/members", "/@alice", "/settings/profile"] {
                let page = try await browser.get(path)
                #expect(page.status == .seeOther, "\(path)")
                #expect(page.location?.hasPrefix("/signin?next=") == true, "\(path)")
                #expect(!page.body.contains("Alice Archer"))
            }
        }
    }

    @Test func signedOutProfilePostIsRefused() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("bob", name: "Bob")
            let bob = try await harness.member("bob")
            let browser = TestBrowser(client)
            try await browser.get("/signin")
            let page = try await browser.post("/settings/profile", form: Self.form())
            #expect(page.status == .unauthorized)
            #expect(try await harness.member("bob") == bob)
        }
    }

    @Test func unknownProfileIsANotFoundPage() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("viewer")
            let browser = TestBrowser(client)
            try await browser.signIn("viewer")
            let page = try await browser.get("/@nobody")
            #expect(page.status == .notFound)
            #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(page.body.contains("Member not found."))
            #expect(page.body.contains("<!doctype html>"))
        }
    }
}
