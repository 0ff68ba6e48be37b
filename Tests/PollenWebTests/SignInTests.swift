import Foundation
import Hummingbird
import HummingbirdTesting
import PollenCore
import Testing

@Suite struct SignInTests {
    @Test func signInByHandle() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("bob", name: "Bob Dylan")
            let browser = TestBrowser(client)
            let page = try await browser.signIn("bob")
            #expect(page.status == .found)
            #expect(page.location == "/")
            #expect(setCookie("pollen_session", in: page) != nil)
            let home = try await browser.get("/")
            #expect(home.body.contains("Sign out"))
            #expect(home.body.contains("Welcome, Bob Dylan"))
        }
    }

    @Test func signInByEmailInAnyCase() async throws {
        try await WebHarness.run { harness, client in
            let bob = try await harness.addMember("bob")
            let browser = TestBrowser(client)
            let page = try await browser.signIn("BOB@example.org")
            #expect(page.status == .found)
            #expect(try await browser.get("/").body.contains("Sign out"))
            #expect(try await harness.sessions(of: bob).count == 1)
        }
    }

    @Test func signInReturnsToASameSitePathOnly() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("bob")
            let browser = TestBrowser(client)
            let form = try await browser.get("/signin?next=%2Fmembers")
            #expect(form.body.contains("name=\"next\" value=\"/members\""))
            let back = try await browser.post("/signin", form: ["login": "bob", "password": "correct-horse-1", "next": "/members"])
            #expect(back.location == "/members")

            let other = TestBrowser(client)
            try await other.get("/signin")
            let away = try await other.post(
                "/signin", form: ["login": "bob", "password": "correct-horse-1", "next": "//evil.example/"])
            #expect(away.location == "/")
        }
    }

    @Test func signOutEndsTheSession() async throws {
        try await WebHarness.run { harness, client in
            let bob = try await harness.addMember("bob")
            let browser = TestBrowser(client)
            try await browser.signIn("bob")
            let oldCookie = try #require(browser.cookies["pollen_session"])

            let page = try await browser.post("/signout", form: [:])
            #expect(page.status == .found)
            #expect(page.location == "/signin")
            #expect(setCookie("pollen_session", in: page)?.contains("Max-Age=0") == true)
            #expect(browser.cookies["pollen_session"] == nil)
            #expect(try await harness.sessions(of: bob).isEmpty)

            // The old cookie, replayed, no longer signs anyone in.
            let replay = try await client.raw("/settings/profile", headers: [.cookie: "pollen_session=\(oldCookie)"])
            #expect(replay.status == .seeOther)
            #expect(replay.location?.hasPrefix("/signin") == true)
            let home = try await client.raw("/", headers: [.cookie: "pollen_session=\(oldCookie)"])
            #expect(!home.body.contains("Sign out"))
        }
    }

    @Test func wrongPasswordIsRefused() async throws {
        try await WebHarness.run { harness, client in
            let bob = try await harness.addMember("bob")
            let browser = TestBrowser(client)
            let page = try await browser.signIn("bob", password: "wrong-horse-1")
            #expect(page.status == .unauthorized)
            #expect(page.body.contains("Wrong handle/e-mail or password"))
            #expect(page.body.contains("value=\"bob\""))
            #expect(browser.cookies["pollen_session"] == nil)
            #expect(try await harness.sessions(of: bob).isEmpty)
        }
    }

    @Test func unknownAccountGetsTheSameAnswer() async throws {
        try await WebHarness.run { _, client in
            let page = try await TestBrowser(client).signIn("nobody", password: "whatever-it-is")
            #expect(page.status == .unauthorized)
            #expect(page.body.contains("Wrong handle/e-mail or password"))
        }
    }

    @Test func emptyFieldsAreRefused() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("bob")
            let page = try await TestBrowser(client).signIn("bob", password: "")
            #expect(page.status == .unprocessableContent)
            #expect(page.body.contains("Enter your handle or e-mail and your password."))
        }
    }

    @Test func tooManyFailuresLockTheAccount() async throws {
        var limits = SecurityLimits()
        limits.signInFailuresPerAccount = 3
        try await WebHarness.run(limits: limits) { harness, client in
            try await harness.addMember("bob")
            try await harness.addMember("carol")
            let browser = TestBrowser(client)
            for _ in 1...3 {
                let failed = try await browser.signIn("bob", password: "wrong-horse-1")
                #expect(failed.status == .unauthorized)
            }
            let locked = try await browser.signIn("bob")
            #expect(locked.status == .tooManyRequests)
            #expect(locked.body.contains("Too many failed sign-in attempts"))
            #expect(browser.cookies["pollen_session"] == nil)

            // Another account from the same address is not affected.
            let carol = try await TestBrowser(client).signIn("carol")
            #expect(carol.status == .found)
        }
    }

    @Test func tooManyFailuresFromOneAddressLockEveryAccount() async throws {
        var limits = SecurityLimits()
        limits.signInFailuresPerAddress = 3
        try await WebHarness.run(limits: limits) { harness, client in
            for handle in ["bob", "carol", "dave", "erin"] { try await harness.addMember(handle) }
            for handle in ["bob", "carol", "dave"] {
                let failed = try await TestBrowser(client).signIn(handle, password: "wrong-horse-1")
                #expect(failed.status == .unauthorized)
            }
            let locked = try await TestBrowser(client).signIn("erin")
            #expect(locked.status == .tooManyRequests)
            #expect(locked.body.contains("Too many failed sign-in attempts"))
        }
    }

    @Test func suspendedMemberCannotSignIn() async throws {
        try await WebHarness.run { harness, client in
            let bob = try await harness.addMember("bob")
            try await harness.pollen.setSuspended(true, memberID: bob.id, by: .system)
            let browser = TestBrowser(client)
            let page = try await browser.signIn("bob")
            #expect(page.status == .forbidden)
            #expect(page.body.contains("This account is suspended."))
            #expect(browser.cookies["pollen_session"] == nil)
            #expect(try await harness.sessions(of: bob).isEmpty)
        }
    }

    // MARK: Password change

    @Test func passwordPageNeedsSignIn() async throws {
        try await WebHarness.run { _, client in
            let page = try await TestBrowser(client).get("/settings/password")
            #expect(page.status == .seeOther)
            #expect(page.location == "/signin?next=%2Fsettings%2Fpassword")
        }
    }

    @Test func changePasswordRefusesAWrongCurrentPassword() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("bob")
            let browser = TestBrowser(client)
            try await browser.signIn("bob")
            try await browser.get("/settings/password")
            let page = try await browser.post(
                "/settings/password",
                form: ["current_password": "not-my-password", "new_password": "brand-new-pass", "confirm_password": "brand-new-pass"])
            #expect(page.status == .unprocessableContent)
            #expect(page.body.contains("The current password is wrong."))
            #expect(try await TestBrowser(client).signIn("bob").status == .found)
            #expect(try await TestBrowser(client).signIn("bob", password: "brand-new-pass").status == .unauthorized)
        }
    }

    @Test func changePasswordRefusesAMismatchedConfirmation() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("bob")
            let browser = TestBrowser(client)
            try await browser.signIn("bob")
            try await browser.get("/settings/password")
            let page = try await browser.post(
                "/settings/password",
                form: ["current_password": "correct-horse-1", "new_password": "brand-new-pass", "confirm_password": "brand-new-pas"])
            #expect(page.status == .unprocessableContent)
            #expect(page.body.contains("The new password and its confirmation differ."))
            #expect(try await TestBrowser(client).signIn("bob", password: "brand-new-pass").status == .unauthorized)
        }
    }

    @Test func changePasswordRefusesAShortPassword() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("bob")
            let browser = TestBrowser(client)
            try await browser.signIn("bob")
            try await browser.get("/settings/password")
            let page = try await browser.post(
                "/settings/password", form: ["current_password": "correct-horse-1", "new_password": "short", "confirm_password": "short"])
            #expect(page.status == .unprocessableContent)
            #expect(page.body.contains("Password must be at least 10 characters long."))
            #expect(try await TestBrowser(client).signIn("bob").status == .found)
        }
    }

    @Test func changePasswordSignsOutOtherSessionsButKeepsThisOne() async throws {
        try await WebHarness.run { harness, client in
            let bob = try await harness.addMember("bob")
            let laptop = TestBrowser(client)
            let phone = TestBrowser(client)
            try await laptop.signIn("bob")
            try await phone.signIn("bob")
            let token = try await client.memberToken("bob", scope: "read")
            #expect(try await phone.get("/settings/profile").status == .ok)

            try await laptop.get("/settings/password")
            let page = try await laptop.post(
                "/settings/password",
                form: ["current_password": "correct-horse-1", "new_password": "brand-new-pass", "confirm_password": "brand-new-pass"])
            #expect(page.status == .found)
            #expect(try await laptop.follow(page).body.contains("Password changed. Other devices have been signed out."))

            #expect(try await laptop.get("/settings/profile").status == .ok)
            let phonePage = try await phone.get("/settings/profile")
            #expect(phonePage.status == .seeOther)
            #expect(phonePage.location?.hasPrefix("/signin") == true)
            #expect(try await harness.sessions(of: bob).count == 1)
            #expect(try await client.json("/api/v1/accounts/verify_credentials", token: token).status == .unauthorized)

            #expect(try await TestBrowser(client).signIn("bob").status == .unauthorized)
            #expect(try await TestBrowser(client).signIn("bob", password: "brand-new-pass").status == .found)
        }
    }
}
