import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import PollenCore
import Testing

@Suite struct MastodonAPITests {
    static let callback = "https://client.example/callback"
    /// A PKCE verifier and its S256 challenge, computed independently of the server.
    static let verifier = "pollen-pkce-verifier-0123456789-abcdefghijklmnopqrstuvwxyz"
    static let challenge = "lKsycVoMIsTe9cEtjnanXrHcy9KkoLQNqhADxLG3c6Y"

    // MARK: Apps

    @Test func registerAppWithAForm() async throws {
        try await WebHarness.run { _, client in
            let response = try await client.json(
                "/api/v1/apps", method: .post,
                form: ["client_name": "Tusky", "redirect_uris": Self.callback, "scopes": "read write", "website": "https://tusky.example"])
            #expect(response.status == .ok)
            let app = try object(response.json)
            #expect(app["name"] as? String == "Tusky")
            #expect(app["website"] as? String == "https://tusky.example")
            #expect(app["redirect_uri"] as? String == Self.callback)
            #expect(app["scopes"] as? [String] == ["read", "write"])
            #expect((app["client_id"] as? String)?.isEmpty == false)
            #expect((app["client_secret"] as? String)?.isEmpty == false)
            #expect(app["id"] is String)
        }
    }

    @Test func registerAppWithJSON() async throws {
        try await WebHarness.run { harness, client in
            let response = try await client.json(
                "/api/v1/apps", method: .post,
                body: ["client_name": "Ivory", "redirect_uris": [Self.callback, outOfBandRedirect], "scopes": "read"])
            #expect(response.status == .ok)
            let app = try object(response.json)
            #expect(app["name"] as? String == "Ivory")
            #expect(app["redirect_uris"] as? [String] == [Self.callback, outOfBandRedirect])
            let clientID = try #require(app["client_id"] as? String)
            let stored = try await harness.store.read { try await $0.oauth.findApp(clientID: clientID) }
            #expect(stored?.name == "Ivory")
            // Only the digest of the secret is kept.
            #expect(stored?.clientSecretDigest != app["client_secret"] as? String)
        }
    }

    @Test func repeatedScopesAreGrantedOnce() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("bob")
            let response = try await client.json(
                "/api/v1/apps", method: .post,
                form: ["client_name": "Echo", "redirect_uris": outOfBandRedirect, "scopes": "read write read"])
            #expect(try object(response.json)["scopes"] as? [String] == ["read", "write"])
            let app = try await client.registerApp(scopes: "read write")
            let token = try await client.json(
                "/oauth/token", method: .post,
                form: ["grant_type": "password", "client_id": app.clientID, "client_secret": app.clientSecret,
                       "username": "bob", "password": "correct-horse-1", "scope": "write+read write"])
            #expect(try object(token.json)["scope"] as? String == "write read")
        }
    }

    @Test func registerAppWithoutNameIsRefused() async throws {
        try await WebHarness.run { _, client in
            let response = try await client.json(
                "/api/v1/apps", method: .post, body: ["redirect_uris": Self.callback])
            #expect(response.status == .unprocessableContent)
            let body = try object(response.json)
            #expect(body["error"] as? String == "client_name must be 1 to 100 characters.")
        }
    }

    @Test func registerAppWithABadRedirectOrScopeIsRefused() async throws {
        try await WebHarness.run { _, client in
            let redirect = try await client.json(
                "/api/v1/apps", method: .post, form: ["client_name": "Evil", "redirect_uris": "javascript:alert(1)"])
            #expect(redirect.status == .unprocessableContent)
            #expect((try object(redirect.json)["error"] as? String)?.contains("is not a valid redirect URI") == true)
            let scope = try await client.json(
                "/api/v1/apps", method: .post,
                form: ["client_name": "Greedy", "redirect_uris": Self.callback, "scopes": "read everything"])
            #expect(scope.status == .unprocessableContent)
            #expect(try object(scope.json)["error"] as? String == "Unknown scope “everything”.")
        }
    }

    // MARK: Token endpoint

    @Test func passwordGrantIssuesATokenWithScope() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("bob")
            let app = try await client.registerApp(scopes: "read write follow")
            let response = try await client.json(
                "/oauth/token", method: .post,
                form: ["grant_type": "password", "client_id": app.clientID, "client_secret": app.clientSecret,
                       "username": "bob@example.org", "password": "correct-horse-1", "scope": "read write"])
            #expect(response.status == .ok)
            let body = try object(response.json)
            #expect(body["token_type"] as? String == "Bearer")
            #expect(body["scope"] as? String == "read write")
            #expect(body["created_at"] is Int)
            let token = try #require(body["access_token"] as? String)
            let me = try await client.json("/api/v1/accounts/verify_credentials", token: token)
            #expect(me.status == .ok)
            #expect(try object(me.json)["username"] as? String == "bob")
        }
    }

    @Test func passwordGrantWithAWrongPasswordIsInvalidGrant() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("bob")
            let app = try await client.registerApp()
            let response = try await client.json(
                "/oauth/token", method: .post,
                form: ["grant_type": "password", "client_id": app.clientID, "client_secret": app.clientSecret,
                       "username": "bob", "password": "wrong-horse-1"])
            #expect(response.status == .badRequest)
            let body = try object(response.json)
            #expect(body["error"] as? String == "invalid_grant")
            #expect(body["error_description"] as? String == "Wrong handle/e-mail or password.")
            #expect(body["access_token"] == nil)
        }
    }

    @Test func passwordGrantForASuspendedMemberIsRefused() async throws {
        try await WebHarness.run { harness, client in
            let bob = try await harness.addMember("bob")
            try await harness.pollen.setSuspended(true, memberID: bob.id, by: .system)
            let app = try await client.registerApp()
            let response = try await client.json(
                "/oauth/token", method: .post,
                form: ["grant_type": "password", "client_id": app.clientID, "client_secret": app.clientSecret,
                       "username": "bob", "password": "correct-horse-1"])
            #expect(response.status == .forbidden)
            #expect(try object(response.json)["access_token"] == nil)
        }
    }

    @Test func passwordGrantBeyondTheAppsScopesIsRefused() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("bob")
            let app = try await client.registerApp(scopes: "read")
            let response = try await client.json(
                "/oauth/token", method: .post,
                form: ["grant_type": "password", "client_id": app.clientID, "client_secret": app.clientSecret,
                       "username": "bob", "password": "correct-horse-1", "scope": "read write"])
            #expect(response.status == .badRequest)
            #expect(try object(response.json)["error"] as? String == "invalid_scope")
        }
    }

    @Test func badClientSecretIsInvalidClient() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("bob")
            let app = try await client.registerApp()
            let response = try await client.json(
                "/oauth/token", method: .post,
                form: ["grant_type": "password", "client_id": app.clientID, "client_secret": "not-the-secret",
                       "username": "bob", "password": "correct-horse-1"])
            #expect(response.status == .unauthorized)
            #expect(try object(response.json)["error"] as? String == "invalid_client")
        }
    }

    @Test func clientSecretByHTTPBasicIsAccepted() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("bob")
            let app = try await client.registerApp()
            let credentials = Data("\(app.clientID):\(app.clientSecret)".utf8).base64EncodedString()
            let response = try await client.raw(
                "/oauth/token", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .authorization: "Basic \(credentials)"],
                body: "grant_type=password&username=bob&password=correct-horse-1")
            #expect(response.status == .ok, "\(response.body)")
        }
    }

    @Test func unknownGrantTypeIsRefused() async throws {
        try await WebHarness.run { _, client in
            let app = try await client.registerApp()
            let response = try await client.json(
                "/oauth/token", method: .post,
                form: ["grant_type": "implicit", "client_id": app.clientID, "client_secret": app.clientSecret])
            #expect(response.status == .badRequest)
            #expect(try object(response.json)["error"] as? String == "unsupported_grant_type")
        }
    }

    @Test func clientCredentialsGiveAnAppTokenWithoutAMember() async throws {
        try await WebHarness.run { harness, client in
            let bob = try await harness.addMember("bob")
            let app = try await client.registerApp()
            let response = try await client.json(
                "/oauth/token", method: .post,
                form: ["grant_type": "client_credentials", "client_id": app.clientID, "client_secret": app.clientSecret,
                       "scope": "read"])
            #expect(response.status == .ok)
            let body = try object(response.json)
            #expect(body["scope"] as? String == "read")
            let token = try #require(body["access_token"] as? String)

            let appInfo = try await client.json("/api/v1/apps/verify_credentials", token: token)
            #expect(appInfo.status == .ok)
            #expect(try object(appInfo.json)["name"] as? String == "Test Client")
            #expect(try object(appInfo.json)["client_secret"] == nil)
            // It reads the directory but is nobody.
            let account = try await client.json("/api/v1/accounts/\(bob.id)", token: token)
            #expect(account.status == .ok)
            let me = try await client.json("/api/v1/accounts/verify_credentials", token: token)
            #expect(me.status == .forbidden)
            #expect(try object(me.json)["error"] as? String == "This method requires an authenticated user.")
        }
    }

    // MARK: Authorization code

    /// Opens the consent page for `app` in a signed-in browser and returns the query it was opened with.
    static func consentQuery(_ app: RegisteredTestApp, state: String = "xyz", challenge: String? = nil) -> [String: String] {
        var query = [
            "client_id": app.clientID, "redirect_uri": callback, "response_type": "code", "scope": "read write",
            "state": state,
        ]
        if let challenge {
            query["code_challenge"] = challenge
            query["code_challenge_method"] = "S256"
        }
        return query
    }

    static func queryString(_ fields: [String: String]) -> String {
        fields.sorted(by: { $0.key < $1.key }).map { "\($0.key)=\(TestBrowser.encode($0.value))" }.joined(separator: "&")
    }

    /// Approves the consent page and returns the code from the redirect.
    static func approve(_ browser: TestBrowser, _ query: [String: String]) async throws -> String {
        let consent = try await browser.get("/oauth/authorize?" + queryString(query))
        #expect(consent.status == .ok)
        var form = query
        form["decision"] = "approve"
        let redirect = try await browser.post("/oauth/authorize", form: form)
        #expect(redirect.status == .found)
        let location = try #require(redirect.location.flatMap(URLComponents.init(string:)))
        return try #require(location.queryItems?.first { $0.name == "code" }?.value)
    }

    static func exchange(
        _ client: any TestClientProtocol, _ app: RegisteredTestApp, code: String, verifier: String? = nil
    ) async throws -> (status: HTTPResponse.Status, json: Any?, raw: String) {
        var form = [
            "grant_type": "authorization_code", "client_id": app.clientID, "client_secret": app.clientSecret,
            "code": code, "redirect_uri": callback,
        ]
        form["code_verifier"] = verifier
        return try await client.json("/oauth/token", method: .post, form: form)
    }

    @Test func consentPageShowsTheApp() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("bob")
            let app = try await client.registerApp(name: "Elk Reader", redirectURI: Self.callback)
            let browser = TestBrowser(client)
            try await browser.signIn("bob")
            let page = try await browser.get("/oauth/authorize?" + Self.queryString(Self.consentQuery(app)))
            #expect(page.status == .ok)
            #expect(page.body.contains("Authorize Elk Reader?"))
            #expect(page.body.contains("@bob"))
            #expect(page.body.contains("read: see your profile"))
            #expect(page.body.contains("name=\"state\" value=\"xyz\""))
        }
    }

    @Test func consentPageSendsSignedOutVisitorsToSignIn() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("bob")
            let app = try await client.registerApp(redirectURI: Self.callback)
            let page = try await TestBrowser(client).get("/oauth/authorize?" + Self.queryString(Self.consentQuery(app)))
            #expect(page.status == .seeOther)
            #expect(page.location?.hasPrefix("/signin?next=%2Foauth%2Fauthorize") == true)
        }
    }

    @Test func consentPageRefusesAnUnregisteredRedirect() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("bob")
            let app = try await client.registerApp(redirectURI: Self.callback)
            let browser = TestBrowser(client)
            try await browser.signIn("bob")
            var query = Self.consentQuery(app)
            query["redirect_uri"] = "https://attacker.example/steal"
            let page = try await browser.get("/oauth/authorize?" + Self.queryString(query))
            #expect(page.status == .unprocessableContent)
            #expect(page.location == nil)
            #expect(page.body.contains("redirect_uri does not match the app&#39;s registration."))
        }
    }

    @Test func approvalRedirectsWithACodeThatWorksOnce() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("bob")
            let app = try await client.registerApp(redirectURI: Self.callback)
            let browser = TestBrowser(client)
            try await browser.signIn("bob")
            try await browser.get("/oauth/authorize?" + Self.queryString(Self.consentQuery(app)))
            var form = Self.consentQuery(app, state: "state-123")
            form["decision"] = "approve"
            let redirect = try await browser.post("/oauth/authorize", form: form)
            #expect(redirect.status == .found)
            let location = try #require(redirect.location.flatMap(URLComponents.init(string:)))
            #expect(location.host == "client.example")
            #expect(location.path == "/callback")
            #expect(location.queryItems?.first { $0.name == "state" }?.value == "state-123")
            let code = try #require(location.queryItems?.first { $0.name == "code" }?.value)

            let first = try await Self.exchange(client, app, code: code)
            #expect(first.status == .ok)
            let token = try #require(try object(first.json)["access_token"] as? String)
            #expect(try object(first.json)["scope"] as? String == "read write")
            let me = try await client.json("/api/v1/accounts/verify_credentials", token: token)
            #expect(try object(me.json)["username"] as? String == "bob")

            let second = try await Self.exchange(client, app, code: code)
            #expect(second.status == .badRequest)
            #expect(try object(second.json)["error"] as? String == "invalid_grant")
        }
    }

    @Test func approvalWithoutCSRFTokenIsRefused() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("bob")
            let app = try await client.registerApp(redirectURI: Self.callback)
            let browser = TestBrowser(client)
            try await browser.signIn("bob")
            var form = Self.consentQuery(app)
            form["decision"] = "approve"
            let page = try await browser.postWithoutToken("/oauth/authorize", form: form)
            #expect(page.status == .forbidden)
            #expect(page.location == nil)
        }
    }

    @Test func denialRedirectsWithAccessDenied() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("bob")
            let app = try await client.registerApp(redirectURI: Self.callback)
            let browser = TestBrowser(client)
            try await browser.signIn("bob")
            try await browser.get("/oauth/authorize?" + Self.queryString(Self.consentQuery(app)))
            var form = Self.consentQuery(app)
            form["decision"] = "deny"
            let redirect = try await browser.post("/oauth/authorize", form: form)
            #expect(redirect.status == .found)
            let location = try #require(redirect.location.flatMap(URLComponents.init(string:)))
            #expect(location.queryItems?.first { $0.name == "error" }?.value == "access_denied")
            #expect(location.queryItems?.first { $0.name == "state" }?.value == "xyz")
            #expect(location.queryItems?.contains { $0.name == "code" } == false)
        }
    }

    @Test func outOfBandApprovalShowsTheCode() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("bob")
            let app = try await client.registerApp(name: "Terminal Toot")
            let browser = TestBrowser(client)
            try await browser.signIn("bob")
            let query = ["client_id": app.clientID, "redirect_uri": outOfBandRedirect, "response_type": "code", "scope": "read"]
            try await browser.get("/oauth/authorize?" + Self.queryString(query))
            var form = query
            form["decision"] = "approve"
            let page = try await browser.post("/oauth/authorize", form: form)
            #expect(page.status == .ok)
            #expect(page.body.contains("Copy this code into Terminal Toot"))
            let start = try #require(page.body.range(of: "<code class=\"big\">"))
            let code = String(page.body[start.upperBound...].prefix { $0 != "<" })
            let token = try await client.json(
                "/oauth/token", method: .post,
                form: ["grant_type": "authorization_code", "client_id": app.clientID, "client_secret": app.clientSecret,
                       "code": code, "redirect_uri": outOfBandRedirect])
            #expect(token.status == .ok)
        }
    }

    @Test func pkceWithTheRightVerifierWorks() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("bob")
            let app = try await client.registerApp(redirectURI: Self.callback)
            let browser = TestBrowser(client)
            try await browser.signIn("bob")
            let code = try await Self.approve(browser, Self.consentQuery(app, challenge: Self.challenge))
            let response = try await Self.exchange(client, app, code: code, verifier: Self.verifier)
            #expect(response.status == .ok, "\(response.raw)")
        }
    }

    @Test func pkceWithAWrongVerifierIsRefused() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("bob")
            let app = try await client.registerApp(redirectURI: Self.callback)
            let browser = TestBrowser(client)
            try await browser.signIn("bob")
            let code = try await Self.approve(browser, Self.consentQuery(app, challenge: Self.challenge))
            let wrong = try await Self.exchange(client, app, code: code, verifier: Self.verifier + "x")
            #expect(wrong.status == .badRequest)
            #expect(try object(wrong.json)["error"] as? String == "invalid_grant")
            #expect(try object(wrong.json)["error_description"] as? String == "code_verifier does not match the code challenge.")

            let missing = try await Self.exchange(
                client, app, code: try await Self.approve(browser, Self.consentQuery(app, challenge: Self.challenge)))
            #expect(missing.status == .badRequest)
        }
    }

    @Test func codeOfAnotherAppIsRefused() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("bob")
            let app = try await client.registerApp(redirectURI: Self.callback)
            let other = try await client.registerApp(name: "Other", redirectURI: Self.callback)
            let browser = TestBrowser(client)
            try await browser.signIn("bob")
            let code = try await Self.approve(browser, Self.consentQuery(app))
            let response = try await Self.exchange(client, other, code: code)
            #expect(response.status == .badRequest)
            #expect(try object(response.json)["error"] as? String == "invalid_grant")
        }
    }

    // MARK: Revocation

    @Test func revokedTokenStopsWorking() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("bob")
            let app = try await client.registerApp()
            let token = try await client.passwordToken(app, login: "bob")
            #expect(try await client.json("/api/v1/accounts/verify_credentials", token: token).status == .ok)
            let revoke = try await client.json(
                "/oauth/revoke", method: .post,
                form: ["token": token, "client_id": app.clientID, "client_secret": app.clientSecret])
            #expect(revoke.status == .ok)
            let after = try await client.json("/api/v1/accounts/verify_credentials", token: token)
            #expect(after.status == .unauthorized)
            #expect(try object(after.json)["error"] as? String == "The access token is invalid.")
        }
    }

    @Test func revocationNeedsTheOwningClient() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("bob")
            let app = try await client.registerApp()
            let other = try await client.registerApp(name: "Other")
            let token = try await client.passwordToken(app, login: "bob")
            let badSecret = try await client.json(
                "/oauth/revoke", method: .post, form: ["token": token, "client_id": app.clientID, "client_secret": "nope"])
            #expect(badSecret.status == .unauthorized)
            #expect(try object(badSecret.json)["error"] as? String == "invalid_client")
            let otherApp = try await client.json(
                "/oauth/revoke", method: .post,
                form: ["token": token, "client_id": other.clientID, "client_secret": other.clientSecret])
            #expect(otherApp.status == .ok)
            #expect(try await client.json("/api/v1/accounts/verify_credentials", token: token).status == .ok)
        }
    }

    // MARK: Accounts

    @Test func verifyCredentialsNeedsAToken() async throws {
        try await WebHarness.run { _, client in
            let response = try await client.json("/api/v1/accounts/verify_credentials")
            #expect(response.status == .unauthorized)
            #expect(try object(response.json)["error"] as? String == "The access token is missing.")
            let bogus = try await client.json("/api/v1/accounts/verify_credentials", token: "made-up")
            #expect(bogus.status == .unauthorized)
        }
    }

    @Test func verifyCredentialsNeedsReadScope() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("bob")
            let app = try await client.registerApp(scopes: "read write")
            let token = try await client.passwordToken(app, login: "bob", scope: "write")
            let response = try await client.json("/api/v1/accounts/verify_credentials", token: token)
            #expect(response.status == .forbidden)
            #expect((try object(response.json)["error"] as? String)?.contains("outside the granted scopes") == true)
        }
    }

    @Test func verifyCredentialsHasTheAccountShape() async throws {
        try await WebHarness.run { harness, client in
            let bob = try await harness.addMember("bob", name: "Bob Dylan", department: "Music")
            try await harness.pollen.updateProfile(
                of: bob.id, handle: nil,
                profile: Profile(displayName: "Bob Dylan", bio: "Songs & <poems>\n\nMore.", department: "Music"), by: .system)
            let token = try await client.memberToken("bob", scope: "read:accounts")
            let response = try await client.json("/api/v1/accounts/verify_credentials", token: token)
            #expect(response.status == .ok)
            let account = try object(response.json)
            #expect(account["id"] as? String == bob.id.description)
            #expect(account["username"] as? String == "bob")
            #expect(account["acct"] as? String == "bob")
            #expect(account["display_name"] as? String == "Bob Dylan")
            #expect(account["note"] as? String == "<p>Songs &amp; &lt;poems&gt;</p><p>More.</p>")
            let source = try object(account["source"])
            #expect(source["note"] as? String == "Songs & <poems>\n\nMore.")
            #expect((account["url"] as? String)?.hasSuffix("/@bob") == true)
            #expect(account["followers_count"] as? Int == 0)
            let fields = try #require(account["fields"] as? [[String: Any]])
            #expect(fields.first?["name"] as? String == "Department")
            #expect(fields.first?["value"] as? String == "Music")
        }
    }

    @Test func updateCredentialsChangesNoteAndDisplayName() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("bob", name: "Bob", department: "Music")
            let token = try await client.memberToken("bob", scope: "read write")
            let response = try await client.json(
                "/api/v1/accounts/update_credentials", method: .patch, token: token,
                form: ["display_name": "Robert Zimmerman", "note": "Folk singer."])
            #expect(response.status == .ok, "\(response.raw)")
            let account = try object(response.json)
            #expect(account["display_name"] as? String == "Robert Zimmerman")
            #expect(try object(account["source"])["note"] as? String == "Folk singer.")
            let bob = try #require(try await harness.member("bob"))
            #expect(bob.profile.displayName == "Robert Zimmerman")
            #expect(bob.profile.bio == "Folk singer.")
            #expect(bob.profile.department == "Music")
        }
    }

    @Test func updateCredentialsRefusesATooLongDisplayName() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("bob", name: "Bob")
            let before = try await harness.member("bob")
            let token = try await client.memberToken("bob", scope: "read write")
            let response = try await client.json(
                "/api/v1/accounts/update_credentials", method: .patch, token: token,
                form: ["display_name": String(repeating: "B", count: 81), "note": "Changed"])
            #expect(response.status == .unprocessableContent)
            #expect(try object(response.json)["error"] as? String == "Display name must be 1 to 80 characters.")
            #expect(try await harness.member("bob") == before)
        }
    }

    @Test func updateCredentialsNeedsWriteScope() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("bob", name: "Bob")
            let token = try await client.memberToken("bob", scope: "read")
            let response = try await client.json(
                "/api/v1/accounts/update_credentials", method: .patch, token: token, form: ["display_name": "Hacked"])
            #expect(response.status == .forbidden)
            #expect(try await harness.member("bob")?.profile.displayName == "Bob")
        }
    }

    @Test func accountByIDAndLookup() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("bob")
            let carol = try await harness.addMember("carol", name: "Carol King")
            let token = try await client.memberToken("bob", scope: "read")

            let byID = try await client.json("/api/v1/accounts/\(carol.id)", token: token)
            #expect(byID.status == .ok)
            let account = try object(byID.json)
            #expect(account["username"] as? String == "carol")
            #expect(account["display_name"] as? String == "Carol King")
            #expect(account["source"] == nil)

            let lookup = try await client.json("/api/v1/accounts/lookup?acct=carol", token: token)
            #expect(lookup.status == .ok)
            #expect(try object(lookup.json)["id"] as? String == carol.id.description)
            let prefixed = try await client.json("/api/v1/accounts/lookup?acct=%40Carol", token: token)
            #expect(try object(prefixed.json)["id"] as? String == carol.id.description)
        }
    }

    @Test func unknownAccountsAreNotFoundJSON() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("bob")
            let token = try await client.memberToken("bob", scope: "read")
            let byID = try await client.json("/api/v1/accounts/987654321", token: token)
            #expect(byID.status == .notFound)
            #expect(try object(byID.json)["error"] as? String == "Member not found.")
            let lookup = try await client.json("/api/v1/accounts/lookup?acct=nobody", token: token)
            #expect(lookup.status == .notFound)
            #expect(try object(lookup.json)["error"] is String)
            let remote = try await client.json("/api/v1/accounts/lookup?acct=carol@elsewhere.example", token: token)
            #expect(remote.status == .notFound)
            let missing = try await client.json("/api/v1/accounts/lookup", token: token)
            #expect(missing.status == .unprocessableContent)
        }
    }

    @Test func accountsNeedAToken() async throws {
        try await WebHarness.run { harness, client in
            let carol = try await harness.addMember("carol")
            let response = try await client.json("/api/v1/accounts/\(carol.id)")
            #expect(response.status == .unauthorized)
        }
    }

    @Test func suspendedMembersTokenStopsWorking() async throws {
        try await WebHarness.run { harness, client in
            let bob = try await harness.addMember("bob")
            let token = try await client.memberToken("bob", scope: "read")
            #expect(try await client.json("/api/v1/accounts/verify_credentials", token: token).status == .ok)
            try await harness.pollen.setSuspended(true, memberID: bob.id, by: .system)
            let after = try await client.json("/api/v1/accounts/verify_credentials", token: token)
            #expect(after.status == .unauthorized)
            // Reinstating the member does not revive the revoked token.
            try await harness.pollen.setSuspended(false, memberID: bob.id, by: .system)
            #expect(try await client.json("/api/v1/accounts/verify_credentials", token: token).status == .unauthorized)
        }
    }

    // MARK: Instance and discovery

    @Test func instanceV1HasTheMastodonShape() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("bob")
            let response = try await client.json("/api/v1/instance")
            #expect(response.status == .ok)
            let instance = try object(response.json)
            #expect((instance["version"] as? String)?.hasPrefix("4.") == true)
            #expect(instance["title"] as? String == "Pollen")
            #expect(instance["uri"] is String)
            #expect(try object(instance["stats"])["user_count"] as? Int == 1)
            #expect(instance["registrations"] as? Bool == true)
            #expect(try object(instance["urls"])["streaming_api"] is String)
        }
    }

    @Test func instanceV2HasTheMastodonShape() async throws {
        try await WebHarness.run { harness, client in
            _ = try await harness.pollen.updateSettings(
                ServerSettings(name: "Acme", signupPolicy: .invitation, contactEmail: "help@acme.example"), by: .system)
            let response = try await client.json("/api/v2/instance")
            #expect(response.status == .ok)
            let instance = try object(response.json)
            #expect((instance["version"] as? String)?.hasPrefix("4.") == true)
            #expect(instance["title"] as? String == "Acme")
            #expect(instance["domain"] is String)
            #expect(try object(instance["registrations"])["enabled"] as? Bool == false)
            #expect(try object(instance["contact"])["email"] as? String == "help@acme.example")
            let configuration = try object(instance["configuration"])
            #expect(try object(configuration["statuses"])["max_characters"] is Int)
            #expect(try object(configuration["urls"])["streaming"] is String)
        }
    }

    @Test func authorizationServerMetadataListsEndpoints() async throws {
        try await WebHarness.run { _, client in
            let response = try await client.json("/.well-known/oauth-authorization-server")
            #expect(response.status == .ok)
            let metadata = try object(response.json)
            #expect((metadata["authorization_endpoint"] as? String)?.hasSuffix("/oauth/authorize") == true)
            #expect((metadata["token_endpoint"] as? String)?.hasSuffix("/oauth/token") == true)
            #expect((metadata["revocation_endpoint"] as? String)?.hasSuffix("/oauth/revoke") == true)
            #expect((metadata["app_registration_endpoint"] as? String)?.hasSuffix("/api/v1/apps") == true)
            #expect((metadata["scopes_supported"] as? [String])?.contains("read") == true)
            #expect(metadata["code_challenge_methods_supported"] as? [String] == ["S256"])
            #expect((metadata["grant_types_supported"] as? [String])?.contains("authorization_code") == true)
        }
    }

    @Test func unknownAPIPathIsJSONNotFound() async throws {
        try await WebHarness.run { _, client in
            for path in ["/api/v1/timelines/nowhere", "/api/v1/statuses", "/api/pollen/v1/nothing"] {
                let response = try await client.raw(path)
                #expect(response.status == .notFound, "\(path)")
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true, "\(path)")
                let body = try object(try? JSONSerialization.jsonObject(with: Data(response.body.utf8)))
                #expect(body["error"] as? String == "Not found.", "\(path)")
                #expect(!response.body.contains("<html"), "\(path)")
            }
        }
    }

    @Test func apiIgnoresSessionCookies() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("bob")
            let browser = TestBrowser(client)
            try await browser.signIn("bob")
            let response = try await client.raw(
                "/api/v1/accounts/verify_credentials", headers: [.cookie: browser.cookieHeader])
            #expect(response.status == .unauthorized)
        }
    }
}
