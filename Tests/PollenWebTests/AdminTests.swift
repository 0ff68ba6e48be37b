import Foundation
import Hummingbird
import HummingbirdTesting
import PollenCore
import Testing

@Suite struct AdminTests {
    /// An admin "ada" signed in, and a plain member "bob".
    static func signedInAdmin(_ harness: WebHarness, _ client: any TestClientProtocol) async throws -> TestBrowser {
        try await harness.addMember("ada", name: "Ada", role: .admin)
        try await harness.addMember("bob", name: "Bob", department: "Sales")
        let browser = TestBrowser(client)
        let page = try await browser.signIn("ada")
        #expect(page.status == .found)
        return browser
    }

    @Test func adminPagesAreForbiddenToMembers() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("ada", role: .admin)
            try await harness.addMember("bob")
            let browser = TestBrowser(client)
            try await browser.signIn("bob")
            for path in ["/admin/members", "/admin/settings", "/admin/import"] {
                let page = try await browser.get(path)
                #expect(page.status == .forbidden, "\(path)")
                #expect(page.body.contains("You are not allowed to do that."), "\(path)")
                #expect(!page.body.contains("ada@example.org"), "\(path)")
            }
        }
    }

    @Test func adminPagesSendSignedOutVisitorsToSignIn() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("ada", role: .admin)
            let page = try await TestBrowser(client).get("/admin/members")
            #expect(page.status == .seeOther)
            #expect(page.location == "/signin?next=%2Fadmin%2Fmembers")
        }
    }

    @Test func memberCannotChangeRolesOrSuspend() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("ada", role: .admin)
            let bob = try await harness.addMember("bob")
            let carol = try await harness.addMember("carol")
            let browser = TestBrowser(client)
            try await browser.signIn("bob")
            let promote = try await browser.post("/admin/members/\(bob.id)/role", form: ["role": "admin"])
            #expect(promote.status == .forbidden)
            let suspend = try await browser.post("/admin/members/\(carol.id)/suspend", form: [:])
            #expect(suspend.status == .forbidden)
            let settings = try await browser.post("/admin/settings", form: ["name": "Mine", "signup_policy": "open"])
            #expect(settings.status == .forbidden)
            let invite = try await browser.post("/admin/invitations", form: [:])
            #expect(invite.status == .forbidden)
            #expect(try await harness.member("bob")?.role == .member)
            #expect(try await harness.member("carol")?.isSuspended == false)
            #expect(try await harness.pollen.settings().name == "Pollen")
            #expect(try await harness.store.read { try await $0.invitations.list() }.isEmpty)
        }
    }

    @Test func adminListsMembers() async throws {
        try await WebHarness.run { harness, client in
            let browser = try await Self.signedInAdmin(harness, client)
            let page = try await browser.get("/admin/members")
            #expect(page.status == .ok)
            #expect(page.body.contains("2 members"))
            #expect(page.body.contains("bob@example.org"))
            #expect(page.body.contains("ada@example.org"))

            let found = try await browser.get("/admin/members?q=sales")
            #expect(found.body.contains("1 member"))
            #expect(found.body.contains("bob@example.org"))
            #expect(!found.body.contains("ada@example.org"))
        }
    }

    @Test func adminChangesARole() async throws {
        try await WebHarness.run { harness, client in
            let browser = try await Self.signedInAdmin(harness, client)
            let bob = try #require(try await harness.member("bob"))
            try await browser.get("/admin/members")
            let page = try await browser.post("/admin/members/\(bob.id)/role", form: ["role": "moderator"])
            #expect(page.status == .found)
            #expect(page.location == "/admin/members")
            #expect(try await browser.follow(page).body.contains("@bob is now active with the role moderator."))
            #expect(try await harness.member("bob")?.role == .moderator)
        }
    }

    @Test func unknownRoleIsRefused() async throws {
        try await WebHarness.run { harness, client in
            let browser = try await Self.signedInAdmin(harness, client)
            let bob = try #require(try await harness.member("bob"))
            try await browser.get("/admin/members")
            let page = try await browser.post("/admin/members/\(bob.id)/role", form: ["role": "overlord"])
            #expect(page.status == .unprocessableContent)
            #expect(page.body.contains("Choose a role: member, moderator or admin."))
            #expect(try await harness.member("bob")?.role == .member)
        }
    }

    @Test func roleChangeOfAnUnknownMemberIsNotFound() async throws {
        try await WebHarness.run { harness, client in
            let browser = try await Self.signedInAdmin(harness, client)
            try await browser.get("/admin/members")
            let page = try await browser.post("/admin/members/424242/role", form: ["role": "moderator"])
            #expect(page.status == .notFound)
            #expect(page.body.contains("Member not found."))
        }
    }

    @Test func theLastAdminCannotDemoteThemselves() async throws {
        try await WebHarness.run { harness, client in
            let browser = try await Self.signedInAdmin(harness, client)
            let ada = try #require(try await harness.member("ada"))
            try await browser.get("/admin/members")
            let page = try await browser.post("/admin/members/\(ada.id)/role", form: ["role": "member"])
            #expect(page.status == .conflict)
            #expect(page.body.contains("@ada is the last administrator; make someone else one first."))
            #expect(try await harness.member("ada")?.role == .admin)

            // With a second administrator, stepping down works.
            let bob = try #require(try await harness.member("bob"))
            try await browser.post("/admin/members/\(bob.id)/role", form: ["role": "admin"])
            let stepDown = try await browser.post("/admin/members/\(ada.id)/role", form: ["role": "member"])
            #expect(stepDown.status == .found)
            #expect(try await harness.member("ada")?.role == .member)
        }
    }

    @Test func suspensionEndsTheMembersSessionsAndUnsuspensionLetsThemBack() async throws {
        try await WebHarness.run { harness, client in
            let admin = try await Self.signedInAdmin(harness, client)
            let bob = try #require(try await harness.member("bob"))
            let bobsBrowser = TestBrowser(client)
            try await bobsBrowser.signIn("bob")
            #expect(try await bobsBrowser.get("/settings/profile").status == .ok)

            try await admin.get("/admin/members")
            let page = try await admin.post("/admin/members/\(bob.id)/suspend", form: [:])
            #expect(page.status == .found)
            let list = try await admin.follow(page)
            #expect(list.body.contains("@bob is now suspended with the role member."))
            #expect(list.body.contains("Unsuspend Bob"))
            #expect(try await harness.member("bob")?.isSuspended == true)
            #expect(try await harness.sessions(of: bob).isEmpty)
            let after = try await bobsBrowser.get("/settings/profile")
            #expect(after.status == .seeOther)
            #expect(after.location?.hasPrefix("/signin") == true)
            #expect(try await TestBrowser(client).signIn("bob").status == .forbidden)

            let back = try await admin.post("/admin/members/\(bob.id)/unsuspend", form: [:])
            #expect(back.status == .found)
            #expect(try await admin.follow(back).body.contains("@bob is now active with the role member."))
            #expect(try await harness.member("bob")?.isSuspended == false)
            #expect(try await TestBrowser(client).signIn("bob").status == .found)
        }
    }

    @Test func adminCannotSuspendThemselves() async throws {
        try await WebHarness.run { harness, client in
            let browser = try await Self.signedInAdmin(harness, client)
            let ada = try #require(try await harness.member("ada"))
            try await browser.get("/admin/members")
            let page = try await browser.post("/admin/members/\(ada.id)/suspend", form: [:])
            #expect(page.status == .forbidden)
            #expect(try await harness.member("ada")?.isSuspended == false)
        }
    }

    // MARK: Settings and invitations

    @Test func adminSavesSettings() async throws {
        try await WebHarness.run { harness, client in
            let browser = try await Self.signedInAdmin(harness, client)
            let form = try await browser.get("/admin/settings")
            #expect(form.status == .ok)
            #expect(form.body.contains("value=\"Pollen\""))

            let page = try await browser.post(
                "/admin/settings",
                form: ["name": "Acme Learning", "description": "Where Acme learns.", "signup_policy": "domains",
                       "allowed_domains": "@Acme.example, acme.example; labs.acme.example", "contact_email": "help@acme.example"])
            #expect(page.status == .found)
            #expect(page.location == "/admin/settings")
            let saved = try await browser.follow(page)
            #expect(saved.body.contains("Settings saved."))
            #expect(saved.body.contains("value=\"Acme Learning\""))
            #expect(saved.body.contains("id=\"policy-domains\" name=\"signup_policy\" value=\"domains\" checked"))
            let settings = try await harness.pollen.settings()
            #expect(settings.name == "Acme Learning")
            #expect(settings.description == "Where Acme learns.")
            #expect(settings.signupPolicy == .domains)
            #expect(settings.allowedDomains == ["acme.example", "labs.acme.example"])
            #expect(settings.contactEmail == "help@acme.example")
            #expect(try await TestBrowser(client).get("/").body.contains("<h1>Acme Learning</h1>"))
        }
    }

    @Test func domainPolicyWithoutDomainsIsRefused() async throws {
        try await WebHarness.run { harness, client in
            let browser = try await Self.signedInAdmin(harness, client)
            try await browser.get("/admin/settings")
            let page = try await browser.post(
                "/admin/settings",
                form: ["name": "Acme Learning", "description": "", "signup_policy": "domains", "allowed_domains": " ",
                       "contact_email": ""])
            #expect(page.status == .unprocessableContent)
            #expect(page.body.contains("Name at least one e-mail domain when sign-up is limited to domains."))
            #expect(page.body.contains("value=\"Acme Learning\""))
            #expect(try await harness.pollen.settings() == ServerSettings.default)
        }
    }

    @Test func invalidSettingsAreRefused() async throws {
        try await WebHarness.run { harness, client in
            let browser = try await Self.signedInAdmin(harness, client)
            try await browser.get("/admin/settings")
            let cases: [([String: String], String)] = [
                (["name": "", "signup_policy": "open"], "The server name must be 1 to 80 characters."),
                (["name": "Acme", "signup_policy": "everyone"], "Choose who may sign up."),
                (["name": "Acme", "signup_policy": "domains", "allowed_domains": "not a domain"], "is not a domain name."),
                (["name": "Acme", "signup_policy": "open", "contact_email": "nobody"], "Enter a valid e-mail address."),
            ]
            for (form, message) in cases {
                let page = try await browser.post("/admin/settings", form: form)
                #expect(page.status == .unprocessableContent, "\(form)")
                #expect(page.body.contains(message), "\(form)")
            }
            #expect(try await harness.pollen.settings() == ServerSettings.default)
        }
    }

    @Test func adminCreatesInvitations() async throws {
        try await WebHarness.run { harness, client in
            let browser = try await Self.signedInAdmin(harness, client)
            let form = try await browser.get("/admin/settings")
            #expect(!form.body.contains("/signup?invitation="))
            let page = try await browser.post("/admin/invitations", form: [:])
            #expect(page.status == .found)
            #expect(page.location == "/admin/settings")
            let list = try await browser.follow(page)
            let invitations = try await harness.store.read { try await $0.invitations.list() }
            let invitation = try #require(invitations.first)
            #expect(invitations.count == 1)
            #expect(invitation.createdBy == (try await harness.member("ada"))?.id)
            #expect(list.body.contains("Invitation created: "))
            #expect(list.body.contains("/signup?invitation=\(invitation.code)</a> — open"))
        }
    }

    @Test func adminCreatesASignInLinkForAMemberWithoutPassword() async throws {
        try await WebHarness.run { harness, client in
            let browser = try await Self.signedInAdmin(harness, client)
            let grace = try await harness.pollen.addMember(
                AddMemberCommand(handle: "grace", email: "grace@example.org", displayName: "Grace"), by: .system)
            let list = try await browser.get("/admin/members")
            #expect(list.body.contains("action=\"/admin/members/\(grace.id)/sign-in-link\""))
            let bob = try #require(try await harness.member("bob"))
            #expect(!list.body.contains("action=\"/admin/members/\(bob.id)/sign-in-link\""))

            let page = try await browser.post("/admin/members/\(grace.id)/sign-in-link", form: [:])
            #expect(page.status == .found)
            let invitation = try #require(try await harness.store.read { try await $0.invitations.list() }.first)
            #expect(invitation.email == "grace@example.org")
            let shown = try await browser.follow(page)
            #expect(shown.body.contains("Sign-in link for grace@example.org"))
            #expect(shown.body.contains("/signup?invitation=\(invitation.code)"))

            // A member who has a password needs no link.
            let refused = try await browser.post("/admin/members/\(bob.id)/sign-in-link", form: [:])
            #expect(refused.status == .conflict)
            #expect(try await harness.store.read { try await $0.invitations.list() }.count == 1)
        }
    }

    @Test func memberCannotCreateSignInLinks() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("ada", role: .admin)
            try await harness.addMember("bob")
            let grace = try await harness.pollen.addMember(
                AddMemberCommand(handle: "grace", email: "grace@example.org", displayName: "Grace"), by: .system)
            let browser = TestBrowser(client)
            try await browser.signIn("bob")
            let page = try await browser.post("/admin/members/\(grace.id)/sign-in-link", form: [:])
            #expect(page.status == .forbidden)
            #expect(try await harness.store.read { try await $0.invitations.list() }.isEmpty)
        }
    }

    // MARK: Import

    static let csv = """
        email,name,handle,department,location,job role,subjects,expertise
        dana@example.org,Dana Scully,dana,Research,Berlin,Analyst,"Machine Learning; statistics",forecasting
        not-an-email,Bad Email,bademail,,,,,
        eve@example.org,Eve Moneypenny,eve,Sales,Paris,,negotiation,
        frank@example.org,,frank,,,,,
        dana@example.org,Dana Again,dana2,,,,,
        gina@example.org,Gina,gina hopper,,,,,
        """

    @Test func importCreatesGoodRowsAndReportsBadOnesByLine() async throws {
        try await WebHarness.run { harness, client in
            let browser = try await Self.signedInAdmin(harness, client)
            let form = try await browser.get("/admin/import")
            #expect(form.status == .ok)
            #expect(form.body.contains("enctype=\"multipart/form-data\""))

            let page = try await browser.upload("/admin/import", field: "file", filename: "people.csv", content: Self.csv)
            #expect(page.status == .ok)
            #expect(page.body.contains("Imported: 2 created, 0 updated, 0 unchanged, 4 rejected."))
            #expect(page.body.contains("Line 3: enter a valid e-mail address."))
            #expect(page.body.contains("Line 5: Display name must be 1 to 80 characters."))
            #expect(page.body.contains("Line 6: the e-mail dana@example.org appears earlier in the file."))
            #expect(page.body.contains("Line 7: Handle may contain only letters, digits and underscores."))
            #expect(!page.body.contains("Line 2:"))
            #expect(!page.body.contains("Line 4:"))

            let dana = try #require(try await harness.member("dana"))
            #expect(dana.profile.displayName == "Dana Scully")
            #expect(dana.profile.subjects == ["machine-learning", "statistics"])
            #expect(dana.profile.expertise == ["forecasting"])
            #expect(dana.passwordHash == nil)
            #expect(dana.role == .member)
            #expect(try await harness.member("eve")?.profile.location == "Paris")
            for handle in ["bademail", "frank", "dana2", "gina"] {
                #expect(try await harness.member(handle) == nil, "\(handle)")
            }
            #expect(try await harness.store.read { try await $0.members.find(email: "gina@example.org") } == nil)
            #expect(try await harness.memberCount() == 4)
        }
    }

    @Test func reimportCreatesNoDuplicates() async throws {
        try await WebHarness.run { harness, client in
            let browser = try await Self.signedInAdmin(harness, client)
            try await browser.get("/admin/import")
            try await browser.upload("/admin/import", field: "file", filename: "people.csv", content: Self.csv)
            #expect(try await harness.memberCount() == 4)

            let again = try await browser.upload("/admin/import", field: "file", filename: "people.csv", content: Self.csv)
            #expect(again.status == .ok)
            #expect(again.body.contains("Imported: 0 created, 0 updated, 2 unchanged, 4 rejected."))
            #expect(try await harness.memberCount() == 4)

            let changed = Self.csv.replacingOccurrences(of: "eve,Sales,Paris", with: "eve_new,Sales,Lisbon")
            let updated = try await browser.upload("/admin/import", field: "file", filename: "people.csv", content: changed)
            #expect(updated.body.contains("Imported: 0 created, 1 updated, 1 unchanged, 4 rejected."))
            #expect(try await harness.memberCount() == 4)
            let eve = try #require(try await harness.member("eve"))
            #expect(eve.profile.location == "Lisbon")
            #expect(try await harness.member("eve_new") == nil)
        }
    }

    @Test func importWithAnUnknownColumnIsRefused() async throws {
        try await WebHarness.run { harness, client in
            let browser = try await Self.signedInAdmin(harness, client)
            try await browser.get("/admin/import")
            let page = try await browser.upload(
                "/admin/import", field: "file", filename: "people.csv",
                content: "email,name,handle,shoe size\nzed@example.org,Zed,zed,44\n")
            #expect(page.status == .unprocessableContent)
            #expect(page.body.contains("Line 1: unknown column “shoe size”."))
            #expect(try await harness.member("zed") == nil)
        }
    }

    @Test func importWithoutAFileIsRefused() async throws {
        try await WebHarness.run { harness, client in
            let browser = try await Self.signedInAdmin(harness, client)
            try await browser.get("/admin/import")
            let page = try await browser.upload("/admin/import", field: "file", filename: "empty.csv", content: "")
            #expect(page.status == .unprocessableContent)
            #expect(page.body.contains("Choose a CSV file to import."))
        }
    }

    @Test func memberCannotImport() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("ada", role: .admin)
            try await harness.addMember("bob")
            let browser = TestBrowser(client)
            try await browser.signIn("bob")
            try await browser.get("/settings/profile")
            let page = try await browser.upload("/admin/import", field: "file", filename: "people.csv", content: Self.csv)
            #expect(page.status == .forbidden)
            #expect(try await harness.member("dana") == nil)
        }
    }
}
