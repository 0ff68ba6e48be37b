import Foundation
import Hummingbird
import HummingbirdTesting
import PollenCore
import Testing

@Suite struct SignUpTests {
    static let newcomer = [
        "display_name": "Grace Hopper", "handle": "grace", "email": "grace@example.org", "password": "compilers-rule",
    ]

    @Test func firstVisitRedirectsToSetup() async throws {
        try await WebHarness.run { _, client in
            let browser = TestBrowser(client)
            let home = try await browser.get("/")
            #expect(home.status == .seeOther)
            #expect(home.location == "/setup")
            let signUp = try await browser.get("/signup")
            #expect(signUp.location == "/setup")
        }
    }

    @Test func setupPageSaysTheFirstAccountBecomesAdministrator() async throws {
        try await WebHarness.run { _, client in
            let page = try await TestBrowser(client).get("/setup")
            #expect(page.status == .ok)
            #expect(page.body.contains("becomes the administrator"))
            #expect(page.body.contains("name=\"_csrf\""))
        }
    }

    @Test func setupCreatesAnAdministratorAndSignsIn() async throws {
        try await WebHarness.run { harness, client in
            let browser = TestBrowser(client)
            try await browser.get("/setup")
            let created = try await browser.post(
                "/setup",
                form: ["display_name": "Ada Lovelace", "handle": "ada", "email": "ada@example.org", "password": "analytical-engine"])
            #expect(created.status == .found)
            #expect(created.location == "/welcome", "a new member starts with the getting-started guide")
            #expect(setCookie("pollen_session", in: created) != nil)
            #expect(browser.cookies["pollen_session"] != nil)

            let home = try await browser.get("/")
            #expect(home.status == .ok)
            #expect(home.body.contains("Sign out"))
            #expect(home.body.contains("Welcome, Ada Lovelace"))
            #expect(home.body.contains("href=\"/admin/members\""))

            let ada = try #require(try await harness.member("ada"))
            #expect(ada.role == .admin)
            #expect(ada.email == "ada@example.org")
            #expect(ada.passwordHash != nil)
        }
    }

    @Test func setupWithInvalidInputCreatesNothing() async throws {
        try await WebHarness.run { harness, client in
            let browser = TestBrowser(client)
            try await browser.get("/setup")
            let page = try await browser.post(
                "/setup", form: ["display_name": "Ada", "handle": "ada", "email": "ada@example.org", "password": "short"])
            #expect(page.status == .unprocessableContent)
            #expect(page.body.contains("Password must be at least 10 characters long."))
            #expect(page.body.contains("becomes the administrator"))
            #expect(try await harness.memberCount() == 0)
        }
    }

    @Test func setupIsClosedOnceAnAccountExists() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("ada", role: .admin)
            let browser = TestBrowser(client)
            let form = try await browser.get("/setup")
            #expect(form.status == .seeOther)
            #expect(form.location == "/signin")

            try await browser.get("/signin")
            let post = try await browser.post(
                "/setup", form: ["display_name": "Mallory", "handle": "mallory", "email": "m@example.org", "password": "take-over-now"])
            #expect(post.status == .seeOther)
            #expect(post.location == "/signin")
            #expect(try await harness.member("mallory") == nil)
            #expect(try await harness.memberCount() == 1)
        }
    }

    @Test func signUpOfASecondPersonCreatesAPlainMember() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("ada", role: .admin)
            let browser = TestBrowser(client)
            let form = try await browser.get("/signup")
            #expect(form.status == .ok)
            #expect(form.body.contains("Join your colleagues"))
            #expect(!form.body.contains("name=\"invitation\""))

            let created = try await browser.post("/signup", form: Self.newcomer)
            #expect(created.status == .found)
            #expect(created.location == "/welcome", "a new member starts with the getting-started guide")
            let home = try await browser.get("/")
            #expect(home.body.contains("Welcome, Grace Hopper"))
            #expect(!home.body.contains("href=\"/admin/members\""))

            let grace = try #require(try await harness.member("grace"))
            #expect(grace.role == .member)
            #expect(grace.profile.displayName == "Grace Hopper")
        }
    }

    @Test func signedInVisitorIsSentHomeFromSignUp() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("ada", role: .admin)
            let browser = TestBrowser(client)
            try await browser.signIn("ada")
            let page = try await browser.get("/signup")
            #expect(page.status == .seeOther)
            #expect(page.location == "/")
        }
    }

    // MARK: Sign-up policy

    @Test func invitationPolicyRefusesSignUpWithoutCode() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("ada", role: .admin)
            _ = try await harness.pollen.updateSettings(ServerSettings(signupPolicy: .invitation), by: .system)
            let browser = TestBrowser(client)
            let form = try await browser.get("/signup")
            #expect(form.body.contains("Sign-up is by invitation"))
            #expect(form.body.contains("name=\"invitation\""))

            let page = try await browser.post("/signup", form: Self.newcomer)
            #expect(page.status == .forbidden)
            #expect(page.body.contains("Sign-up is by invitation: enter your invitation code."))
            #expect(try await harness.member("grace") == nil)
            #expect(browser.cookies["pollen_session"] == nil)
        }
    }

    @Test func invitationPolicyRefusesABadCode() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("ada", role: .admin)
            _ = try await harness.pollen.updateSettings(ServerSettings(signupPolicy: .invitation), by: .system)
            let browser = TestBrowser(client)
            try await browser.get("/signup")
            var form = Self.newcomer
            form["invitation"] = "not-a-real-code"
            let page = try await browser.post("/signup", form: form)
            #expect(page.status == .forbidden)
            #expect(page.body.contains("This invitation code is not valid or has been used."))
            #expect(try await harness.member("grace") == nil)
        }
    }

    @Test func invitationCodeAdmitsOnePersonOnce() async throws {
        try await WebHarness.run { harness, client in
            let ada = try await harness.addMember("ada", role: .admin)
            _ = try await harness.pollen.updateSettings(ServerSettings(signupPolicy: .invitation), by: .system)
            let invitation = try await harness.pollen.createInvitation(by: .member(ada))

            let browser = TestBrowser(client)
            let form = try await browser.get("/signup?invitation=\(invitation.code)")
            #expect(form.body.contains("value=\"\(invitation.code)\""))
            var fields = Self.newcomer
            fields["invitation"] = invitation.code
            let created = try await browser.post("/signup", form: fields)
            #expect(created.status == .found)
            let grace = try #require(try await harness.member("grace"))
            let used = try await harness.store.read { try await $0.invitations.find(code: invitation.code) }
            #expect(used?.usedBy == grace.id)

            let second = TestBrowser(client)
            try await second.get("/signup")
            let again = try await second.post(
                "/signup",
                form: ["display_name": "Hedy", "handle": "hedy", "email": "hedy@example.org", "password": "frequency-hop",
                       "invitation": invitation.code])
            #expect(again.status == .forbidden)
            #expect(again.body.contains("This invitation code is not valid or has been used."))
            #expect(try await harness.member("hedy") == nil)
        }
    }

    @Test func domainPolicyRefusesAddressesElsewhere() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("ada", role: .admin)
            _ = try await harness.pollen.updateSettings(
                ServerSettings(signupPolicy: .domains, allowedDomains: ["example.org"]), by: .system)
            let browser = TestBrowser(client)
            let form = try await browser.get("/signup")
            #expect(form.body.contains("work e-mail address at example.org"))

            var fields = Self.newcomer
            fields["email"] = "grace@elsewhere.com"
            let refused = try await browser.post("/signup", form: fields)
            #expect(refused.status == .forbidden)
            #expect(refused.body.contains("Sign-up is limited to addresses at example.org."))
            #expect(try await harness.member("grace") == nil)

            fields["email"] = "grace@EXAMPLE.org"
            let accepted = try await browser.post("/signup", form: fields)
            #expect(accepted.status == .found)
            #expect(try await harness.member("grace") != nil)
        }
    }

    // MARK: Invalid input

    /// Posts the sign-up form with one field changed and checks it is refused with `message` and creates no one.
    private func expectRefused(
        _ change: [String: String], status: HTTPResponse.Status, message: String,
        existing: [String] = [], sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("ada", role: .admin)
            for handle in existing { try await harness.addMember(handle) }
            let before = try await harness.memberCount()
            let browser = TestBrowser(client)
            try await browser.get("/signup")
            let fields = Self.newcomer.merging(change) { $1 }
            let page = try await browser.post("/signup", form: fields)
            #expect(page.status == status, sourceLocation: sourceLocation)
            #expect(page.body.contains(message), "\(page.body)", sourceLocation: sourceLocation)
            // The form comes back with what was typed, but never the password.
            #expect(page.body.contains("<form method=\"post\" action=\"/signup\""), sourceLocation: sourceLocation)
            #expect(!page.body.contains(fields["password"] ?? "-"), sourceLocation: sourceLocation)
            #expect(try await harness.memberCount() == before, sourceLocation: sourceLocation)
            #expect(browser.cookies["pollen_session"] == nil, sourceLocation: sourceLocation)
        }
    }

    @Test func badHandleCharactersAreRefused() async throws {
        try await expectRefused(
            ["handle": "grace-hopper!"], status: .unprocessableContent,
            message: "Handle may contain only letters, digits and underscores.")
    }

    @Test func tooLongDisplayNameIsRefused() async throws {
        try await expectRefused(
            ["display_name": String(repeating: "G", count: 81)], status: .unprocessableContent,
            message: "Display name must be 1 to 80 characters.")
    }

    @Test func shortPasswordIsRefused() async throws {
        try await expectRefused(
            ["password": "tiny-pw"], status: .unprocessableContent,
            message: "Password must be at least 10 characters long.")
    }

    @Test func invalidEmailIsRefused() async throws {
        try await expectRefused(
            ["email": "grace-at-example"], status: .unprocessableContent, message: "Enter a valid e-mail address.")
    }

    @Test func duplicateHandleInAnotherCaseIsRefused() async throws {
        try await expectRefused(
            ["handle": "GRACE", "email": "g.hopper@example.org"], status: .conflict, message: "The handle @GRACE is taken.", existing: ["grace"])
    }

    @Test func invalidInputKeepsWhatWasTyped() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("ada", role: .admin)
            let browser = TestBrowser(client)
            try await browser.get("/signup")
            var fields = Self.newcomer
            fields["password"] = "short"
            let page = try await browser.post("/signup", form: fields)
            #expect(page.body.contains("value=\"Grace Hopper\""))
            #expect(page.body.contains("value=\"grace@example.org\""))
            #expect(page.body.contains("aria-invalid=\"true\""))
        }
    }

    // MARK: Members created without a password

    /// An admin "ada" and an imported member "grace" with no password yet.
    static func importedGrace(_ harness: WebHarness) async throws -> (admin: Member, grace: Member) {
        let ada = try await harness.addMember("ada", role: .admin)
        let grace = try await harness.pollen.addMember(
            AddMemberCommand(handle: "grace", email: "grace@example.org", displayName: "Rear Admiral Hopper"), by: .system)
        return (ada, grace)
    }

    /// Fills in the sign-up form as a person would: only the fields the page shows are sent back.
    static func fillSignUpForm(_ page: TestBrowser.Page, _ values: [String: String]) -> [String: String] {
        values.filter { page.body.contains("name=\"\($0.key)\"") }
    }

    @Test func importedMemberClaimsTheAccountWithTheSignInLink() async throws {
        try await WebHarness.run { harness, client in
            let (ada, grace) = try await Self.importedGrace(harness)
            let link = try await harness.pollen.createInvitation(by: .member(ada), for: grace.id)
            let before = try await harness.memberCount()

            // Without a password nobody can sign in to the account.
            #expect(try await TestBrowser(client).signIn("grace", password: "compilers-rule").status == .unauthorized)

            let browser = TestBrowser(client)
            let form = try await browser.get("/signup?invitation=\(link.code)")
            #expect(form.status == .ok)
            #expect(form.body.contains("value=\"\(link.code)\""))
            var values = Self.newcomer
            values["email"] = "Grace@Example.org"
            values["handle"] = "someone_else"
            values["invitation"] = link.code
            let claimed = try await browser.post("/signup", form: Self.fillSignUpForm(form, values))
            #expect(claimed.status == .found)
            #expect(try await browser.get("/").body.contains("Welcome, Rear Admiral Hopper"))

            #expect(try await harness.memberCount() == before)
            #expect(try await harness.member("someone_else") == nil)
            let claimedGrace = try #require(try await harness.member("grace"))
            #expect(claimedGrace.passwordHash != nil)
            #expect(claimedGrace.role == .member)
            let used = try await harness.store.read { try await $0.invitations.find(code: link.code) }
            #expect(used?.usedBy == grace.id)
            #expect(try await TestBrowser(client).signIn("grace", password: "compilers-rule").status == .found)
        }
    }

    @Test func importedMemberCannotBeClaimedWithTheEmailAlone() async throws {
        try await WebHarness.run { harness, client in
            _ = try await Self.importedGrace(harness)
            let browser = TestBrowser(client)
            try await browser.get("/signup")
            let page = try await browser.post("/signup", form: Self.newcomer)
            #expect(page.status == .conflict)
            #expect(page.body.contains("ask an administrator for your sign-in link"))
            #expect(browser.cookies["pollen_session"] == nil)
            #expect(try await harness.member("grace")?.passwordHash == nil)
        }
    }

    @Test func importedMemberCannotBeClaimedWithSomeoneElsesLink() async throws {
        try await WebHarness.run { harness, client in
            let (ada, _) = try await Self.importedGrace(harness)
            let hedy = try await harness.pollen.addMember(
                AddMemberCommand(handle: "hedy", email: "hedy@example.org", displayName: "Hedy"), by: .system)
            let hedysLink = try await harness.pollen.createInvitation(by: .member(ada), for: hedy.id)
            let openInvitation = try await harness.pollen.createInvitation(by: .member(ada))
            for code in [hedysLink.code, openInvitation.code] {
                let browser = TestBrowser(client)
                try await browser.get("/signup")
                var values = Self.newcomer
                values["invitation"] = code
                let page = try await browser.post("/signup", form: values)
                #expect(page.status == .conflict)
                #expect(try await harness.member("grace")?.passwordHash == nil)
            }
            #expect(try await harness.store.read { try await $0.invitations.find(code: hedysLink.code) }?.usedBy == nil)
        }
    }

    @Test func claimedAccountCannotBeClaimedAgain() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("ada", role: .admin)
            try await harness.addMember("grace")
            let browser = TestBrowser(client)
            try await browser.get("/signup")
            var fields = Self.newcomer
            fields["handle"] = "grace2"
            let page = try await browser.post("/signup", form: fields)
            #expect(page.status == .conflict)
            #expect(page.body.contains("An account with this e-mail address exists already."))
            #expect(try await harness.member("grace2") == nil)
            let signIn = try await TestBrowser(client).signIn("grace", password: "compilers-rule")
            #expect(signIn.status == .unauthorized)
        }
    }
}
