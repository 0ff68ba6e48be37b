import Foundation
import Hummingbird
import HummingbirdTesting
import PollenCore
import Testing

@Suite struct CSRFTests {
    static let profileForm = [
        "display_name": "Changed Name", "handle": "bob", "bio": "Changed bio", "department": "", "location": "",
        "job_role": "", "subjects": "", "expertise": "",
    ]

    @Test func profileEditWithoutTokenIsRefused() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("bob", name: "Bob")
            let browser = TestBrowser(client)
            try await browser.signIn("bob")
            try await browser.get("/settings/profile")
            let page = try await browser.postWithoutToken("/settings/profile", form: Self.profileForm)
            #expect(page.status == .forbidden)
            #expect(page.body.contains("This form has expired or came from another site."))
            let bob = try #require(try await harness.member("bob"))
            #expect(bob.profile.displayName == "Bob")
            #expect(bob.profile.bio == "")
        }
    }

    @Test func profileEditWithAWrongTokenIsRefused() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("bob", name: "Bob")
            let browser = TestBrowser(client)
            try await browser.signIn("bob")
            try await browser.get("/settings/profile")
            let page = try await browser.post("/settings/profile", form: Self.profileForm, csrf: String(repeating: "x", count: 43))
            #expect(page.status == .forbidden)
            #expect(page.body.contains("This form has expired or came from another site."))
            #expect(try await harness.member("bob")?.profile.displayName == "Bob")
        }
    }

    @Test func anotherSessionsTokenIsRefused() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("bob", name: "Bob")
            try await harness.addMember("mallory")
            let attacker = TestBrowser(client)
            try await attacker.signIn("mallory")
            let browser = TestBrowser(client)
            try await browser.signIn("bob")
            let page = try await browser.post("/settings/profile", form: Self.profileForm, csrf: attacker.csrf)
            #expect(page.status == .forbidden)
            #expect(try await harness.member("bob")?.profile.displayName == "Bob")
        }
    }

    @Test func signOutWithoutTokenKeepsTheSession() async throws {
        try await WebHarness.run { harness, client in
            let bob = try await harness.addMember("bob")
            let browser = TestBrowser(client)
            try await browser.signIn("bob")
            let missing = try await browser.postWithoutToken("/signout", form: [:])
            #expect(missing.status == .forbidden)
            let wrong = try await browser.post("/signout", form: [:], csrf: "")
            #expect(wrong.status == .forbidden)
            #expect(setCookie("pollen_session", in: wrong) == nil)
            #expect(try await harness.sessions(of: bob).count == 1)
            #expect(try await browser.get("/").body.contains("Sign out"))
        }
    }

    @Test func signedOutFormsUseTheAnonymousCSRFCookie() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("bob")
            let browser = TestBrowser(client)
            let form = try await browser.get("/signin")
            let cookie = try #require(setCookie("pollen_csrf", in: form))
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            let secret = try #require(browser.cookies["pollen_csrf"])
            #expect(secret.count >= 32)
            #expect(browser.csrf == secret)

            // The cookie stays the same across pages, so any open form keeps working.
            let again = try await browser.get("/signup")
            #expect(setCookie("pollen_csrf", in: again) == nil)
            #expect(browser.csrf == secret)

            let signedIn = try await browser.post("/signin", form: ["login": "bob", "password": "correct-horse-1"])
            #expect(signedIn.status == .found)
        }
    }

    @Test func signedOutFormWithAnotherVisitorsTokenIsRefused() async throws {
        try await WebHarness.run { harness, client in
            let bob = try await harness.addMember("bob")
            let attacker = TestBrowser(client)
            try await attacker.get("/signin")
            let browser = TestBrowser(client)
            try await browser.get("/signin")
            #expect(attacker.csrf != browser.csrf)
            let page = try await browser.post(
                "/signin", form: ["login": "bob", "password": "correct-horse-1"], csrf: attacker.csrf)
            #expect(page.status == .forbidden)
            #expect(browser.cookies["pollen_session"] == nil)
            #expect(try await harness.sessions(of: bob).isEmpty)
        }
    }

    @Test func signedOutPostWithoutCookieIsRefused() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("ada", role: .admin)
            let page = try await client.raw(
                "/signup", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: "display_name=Eve&handle=eve&email=eve%40example.org&password=sneaky-password&_csrf=anything-at-all-anything-at-all-x")
            #expect(page.status == .forbidden)
            #expect(try await harness.member("eve") == nil)
        }
    }

    @Test func theAnonymousTokenStopsWorkingOnceSignedIn() async throws {
        try await WebHarness.run { harness, client in
            let bob = try await harness.addMember("bob")
            let browser = TestBrowser(client)
            try await browser.get("/signin")
            let anonymous = browser.csrf
            try await browser.signIn("bob")
            #expect(browser.csrf != anonymous)
            let page = try await browser.post("/signout", form: [:], csrf: anonymous)
            #expect(page.status == .forbidden)
            #expect(try await harness.sessions(of: bob).count == 1)
        }
    }

    @Test func sessionCookieIsHttpOnlyAndSameSiteLax() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("bob")
            let page = try await TestBrowser(client).signIn("bob")
            let cookie = try #require(setCookie("pollen_session", in: page))
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            #expect(cookie.contains("Path=/"))
            #expect(cookie.contains("Max-Age="))
        }
    }

    @Test func pagesCarrySecurityHeaders() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("bob")
            let page = try await TestBrowser(client).get("/signin")
            #expect(page.headers[.init("X-Frame-Options")!] == "DENY")
            #expect(page.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
            #expect(page.headers[.xContentTypeOptions] == "nosniff")
        }
    }
}
