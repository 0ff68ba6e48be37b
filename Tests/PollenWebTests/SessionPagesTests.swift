import Foundation
import Hummingbird
import HummingbirdTesting
import PollenCore
import Testing

/// "Where you are signed in": each browser listed, signed out one by one or all but this one.
@Suite struct SessionPagesTests {
    @Test func browsersAreListedAndSignedOut() async throws {
        try await WebHarness.run { harness, client in
            let ada = try await harness.addMember("ada", name: "Ada Archer")
            _ = try await harness.addMember("bob", name: "Bob Baker")
            let laptop = TestBrowser(client)
            try await laptop.signIn("ada")
            let phone = TestBrowser(client)
            try await phone.signIn("ada")
            let tablet = TestBrowser(client)
            try await tablet.signIn("ada")
            let bobs = TestBrowser(client)
            try await bobs.signIn("bob")

            let page = try await laptop.get("/settings/sessions")
            #expect(page.status == .ok)
            #expect(page.body.components(separatedBy: "class=\"card\"").count - 1 == 3)
            #expect(page.body.contains("<span class=\"badge\">This browser</span>"))
            #expect(try await harness.sessions(of: ada).count == 3)

            // Someone else's session cannot be named.
            let bob = try #require(try await harness.member("bob"))
            let bobSession = try #require(try await harness.sessions(of: bob).first)
            #expect(try await laptop.post("/settings/sessions/revoke", form: ["id": bobSession.id.description]).status == .notFound)
            #expect(try await bobs.get("/settings/sessions").status == .ok)

            // One browser, then every other.
            // Ids grow with time: the tablet, signed in last, has the largest.
            let sessions = try await harness.sessions(of: ada)
            let tabletID = try #require(sessions.map(\.id).max())
            let other = try #require(sessions.first { $0.id != tabletID })
            try await tablet.get("/settings/sessions")
            let one = try await tablet.post("/settings/sessions/revoke", form: ["id": other.id.description])
            #expect(one.location == "/settings/sessions")
            #expect(try await harness.sessions(of: ada).count == 2)
            try await tablet.get("/settings/sessions")
            try await tablet.post("/settings/sessions/revoke", form: [:])
            #expect(try await harness.sessions(of: ada).count == 1)
            #expect(try await tablet.get("/settings/sessions").status == .ok)
            #expect(try await laptop.get("/settings/sessions").status != .ok)
            #expect(try await phone.get("/settings/sessions").status != .ok)
        }
    }

    @Test func authorizedAppsAreListedAndTakenBack() async throws {
        try await WebHarness.run { harness, client in
            _ = try await harness.addMember("ada", name: "Ada Archer")
            _ = try await harness.addMember("bob", name: "Bob Baker")
            let app = try await client.registerApp(name: "Feed Reader <b>", scopes: "read write")
            let token = try await client.passwordToken(app, login: "ada", scope: "read")
            let verify = { try await client.raw("/api/v1/accounts/verify_credentials", headers: [.authorization: "Bearer \(token)"]) }
            #expect(try await verify().status == .ok)

            let ada = TestBrowser(client)
            try await ada.signIn("ada")
            let page = try await ada.get("/settings/apps")
            #expect(page.status == .ok)
            #expect(page.body.contains("Feed Reader &lt;b&gt;"))
            #expect(page.body.contains("May: read"))
            // Someone else cannot take back Ada's app; an app Bob never authorized is not found for him.
            let bob = TestBrowser(client)
            try await bob.signIn("bob")
            #expect(try await bob.get("/settings/apps").body.contains("No app can act for you."))
            #expect(try await bob.post("/settings/apps/\(app.id)/revoke", form: [:]).status == .notFound)
            #expect(try await verify().status == .ok)

            let revoked = try await ada.post("/settings/apps/\(app.id)/revoke", form: [:])
            #expect(revoked.location == "/settings/apps")
            #expect(try await verify().status == .unauthorized)
            #expect(try await ada.get("/settings/apps").body.contains("No app can act for you."))
            #expect(try await ada.post("/settings/apps/\(app.id)/revoke", form: [:]).status == .notFound)
        }
    }
}
