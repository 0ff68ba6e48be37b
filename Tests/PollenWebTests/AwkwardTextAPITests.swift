import Foundation
import Hummingbird
import HummingbirdTesting
import PollenCore
import Testing

/// Awkward text (the same kinds as the storage tests' `AwkwardText`) through the APIs, URL-encoded and as JSON:
/// posts, community items, questions and answers, and a display name come back byte for byte, and a word beside
/// the text finds them. Text holding U+0000 is refused with 422, in bodies and addresses, on the APIs and the
/// pages.
@Suite struct AwkwardTextAPITests {
    static let prefix = "/api/pollen/v1"

    static let cases: [(word: String, text: String)] = [
        ("amaryllis", #"'; DROP TABLE posts; -- 100% of_the "quoted" \back\slash\ \' \\ '' %_"#),
        ("begonia", "שלום עולם مرحبا \u{202E}txet desrever\u{202C} end\u{200F}."),
        ("camellia", "zero\u{200B}width join\u{200D}er soft\u{00AD}hyphen word\u{2060}joiner \u{FEFF}bom"),
        ("dahlia", "Cafe\u{0301} A\u{030A}ngstro\u{0308}m n\u{0303} Z\u{0335}\u{0321}a\u{0336}l\u{0334}g\u{0358}o"),
        ("edelweiss", "😀 👩🏽‍💻 👨‍👩‍👧‍👦 🇺🇦 🏳️‍🌈 ❤️ 🫠"),
        ("freesia", "漢字 かな カナ 한국어 𠜎𠜱 𝐀𝐁𝐂 全角ＡＢＣ"),
        ("gardenia", "line\u{2028}separator para\u{2029}graph tab\there"),
    ]

    static func sample(_ word: String, _ text: String) -> String { "\(word) \(text) \(word)" }

    /// Byte for byte: Swift's `==` would call a composed and a decomposed "é" equal.
    static func same(_ value: Any?, _ sent: String) -> Bool {
        (value as? String).map { Array($0.utf8) == Array(sent.utf8) } ?? false
    }

    /// Alice, Bob, Carol and Dave as moderators: the limits on what new members may write in their first day
    /// would stop these tests long before the text runs out (they have tests of their own).
    static func cast(_ harness: WebHarness, _ client: any TestClientProtocol) async throws -> APICast {
        var members: [Member] = []
        for handle in ["alice", "bob", "carol", "dave"] {
            members.append(try await harness.addMember(handle, role: .moderator))
        }
        return APICast(
            alice: members[0], bob: members[1], carol: members[2], dave: members[3],
            aliceToken: try await client.memberToken("alice", scope: "read write"),
            bobToken: try await client.memberToken("bob", scope: "read write"),
            carolToken: try await client.memberToken("carol", scope: "read write"),
            daveToken: try await client.memberToken("dave", scope: "read write"))
    }

    static func ids(_ value: Any?) -> [String] {
        (value as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    }

    @Test func postsKeepTheirBytesThroughFormsAndJSONAndAreFound() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            for (index, (word, text)) in Self.cases.enumerated() {
                let body = Self.sample(word, text)
                // Every other one as a URL-encoded form, the rest as JSON.
                let made = index.isMultiple(of: 2)
                    ? try await client.json("/api/v1/statuses", method: .post, token: c.aliceToken, form: ["status": body])
                    : try await client.json("/api/v1/statuses", method: .post, token: c.aliceToken, body: ["status": body])
                #expect(made.status == .ok, "\(word): \(made.raw)")
                let id = try #require(try object(made.json)["id"] as? String)
                let source = try object(try await client.json("/api/v1/statuses/\(id)/source", token: c.bobToken).json)
                #expect(Self.same(source["text"], body), "\(word): read back as \(String(describing: source["text"]))")
                let found = try await client.json("/api/v2/search?q=\(word)&type=statuses", token: c.bobToken)
                #expect(Self.ids(try object(found.json)["statuses"]) == [id], "searching \(word): \(found.raw)")
            }
        }
    }

    @Test func itemsQuestionsAnswersAndNamesKeepTheirBytes() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            let community = try await client.json(
                "\(Self.prefix)/communities", method: .post, token: c.aliceToken,
                body: ["slug": "awkward", "name": "Awkward", "kind": "interest", "membership": "open"])
            #expect(community.status == .created, "\(community.raw)")
            for (word, text) in Self.cases {
                let sample = Self.sample(word, text)

                let item = try await client.json(
                    "\(Self.prefix)/communities/awkward/items", method: .post, token: c.aliceToken,
                    body: ["type": "thread", "title": sample, "body": sample])
                #expect(item.status == .created, "\(word): \(item.raw)")
                let itemID = try #require(try object(item.json)["id"] as? String)
                let readItem = try object(try await client.json("\(Self.prefix)/items/\(itemID)", token: c.bobToken).json)
                #expect(Self.same(readItem["title"], sample), "\(word): item title read back as \(String(describing: readItem["title"]))")
                #expect(Self.same(readItem["body"], sample), "\(word): item body")
                let foundItems = try await client.json("\(Self.prefix)/search/items?q=\(word)", token: c.bobToken)
                #expect(Self.ids(try object(foundItems.json)["items"]) == [itemID], "searching items for \(word)")

                let asked = try await client.json(
                    "\(Self.prefix)/questions", method: .post, token: c.aliceToken,
                    body: ["title": sample, "body": sample, "to_followers": false, "ask": ["bob"]])
                #expect(asked.status == .created, "\(word): \(asked.raw)")
                let questionID = try #require(try object(asked.json)["id"] as? String)
                let answered = try await client.json(
                    "\(Self.prefix)/questions/\(questionID)/answers", method: .post, token: c.bobToken, body: ["body": sample])
                #expect(answered.status == .created, "\(word): \(answered.raw)")
                let detail = try object(try await client.json("\(Self.prefix)/questions/\(questionID)", token: c.bobToken).json)
                #expect(Self.same(detail["title"], sample), "\(word): question title read back as \(String(describing: detail["title"]))")
                #expect(Self.same(detail["body"], sample), "\(word): question details")
                #expect(Self.same((detail["answers"] as? [[String: Any]])?.first?["body"], sample), "\(word): answer")

                let name = "\(word) \(text)"
                let patched = try await client.json(
                    "\(Self.prefix)/me", method: .patch, token: c.daveToken, body: ["display_name": name, "bio": sample])
                #expect(patched.status == .ok, "\(word): \(patched.raw)")
                let me = try object(try await client.json("\(Self.prefix)/profiles/dave", token: c.aliceToken).json)
                #expect(Self.same(me["display_name"], name), "\(word): name read back as \(String(describing: me["display_name"]))")
                #expect(Self.same(me["bio"], sample), "\(word): bio")
                let account = try object(try await client.json("/api/v1/accounts/\(c.dave.id)", token: c.aliceToken).json)
                #expect(Self.same(account["display_name"], name), "\(word): Mastodon display name")
                let directory = try await client.json("\(Self.prefix)/members?q=\(word)", token: c.aliceToken)
                #expect(Self.ids(try object(directory.json)["members"]) == [c.dave.id.description], "searching members for \(word): \(directory.raw)")
            }
        }
    }

    /// PostgreSQL cannot keep U+0000 in text, so every form and body refuses it with 422 and says why; a file's
    /// contents may hold it.
    @Test func textWithANulCharacterIsRefusedWith422() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            let text = "before\u{0}after"
            for (path, method, body) in [
                ("/api/v1/statuses", HTTPRequest.Method.post, ["status": text]),
                ("\(Self.prefix)/me", .patch, ["display_name": text]),
                ("\(Self.prefix)/questions", .post, ["title": text]),
                ("\(Self.prefix)/communities", .post, ["slug": "nul", "name": text, "kind": "interest"]),
            ] as [(String, HTTPRequest.Method, [String: String])] {
                for response in [
                    try await client.json(path, method: method, token: c.aliceToken, body: body),
                    try await client.json(path, method: method, token: c.aliceToken, form: body),
                ] {
                    #expect(response.status == .unprocessableContent, "\(path): \(response.raw)")
                    #expect((try? object(response.json))?["error"] as? String == "Text cannot contain the NUL character (U+0000).")
                }
            }
            #expect(try await client.json("/api/v1/statuses", method: .post, token: c.aliceToken, form: ["status": "no NUL here"]).status == .ok)
            // In an address too: a search, a handle, a community.
            for path in ["/api/v2/search?q=a%00b", "/api/v1/accounts/lookup?acct=a%00b", "\(Self.prefix)/communities/a%00b"] {
                let response = try await client.json(path, token: c.aliceToken)
                #expect(response.status == .unprocessableContent, "\(path): \(response.raw)")
                #expect((try? object(response.json))?["error"] as? String == "An address cannot contain the NUL character (U+0000).")
            }

            let browser = TestBrowser(client)
            try await browser.signIn("alice")
            let page = try await browser.post("/posts", form: ["status": text, "visibility": "organization"])
            #expect(page.status == .unprocessableContent)
            #expect(page.body.contains("Text cannot contain the NUL character (U+0000)."))
            let search = try await browser.get("/search?q=a%00b")
            #expect(search.status == .unprocessableContent)
            #expect(search.body.contains("An address cannot contain the NUL character (U+0000)."))
            let posts = try await client.json("/api/v1/accounts/\(c.alice.id)/statuses", token: c.bobToken)
            #expect(Self.ids(posts.json).count == 1, "only the post without NUL: \(posts.raw)")
        }
    }
}
