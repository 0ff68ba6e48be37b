import Foundation
import Hummingbird
import HummingbirdTesting
import PollenCore
import Testing

/// Publishes a post straight through the use case, as `author`.
@discardableResult
private func publish(
    _ harness: WebHarness, _ text: String, by author: Member, visibility: Post.Visibility = .organization
) async throws -> Post {
    try await harness.pollen.publishPost(PostDraft(body: text, visibility: visibility), by: .member(author))
}

/// The part of a search page under one section's heading, up to the end of that section.
private func section(_ id: String, of page: TestBrowser.Page) throws -> String {
    let start = try #require(page.body.range(of: "id=\"\(id)\""))
    let rest = page.body[start.upperBound...]
    let end = try #require(rest.range(of: "</section>"))
    return String(rest[..<end.lowerBound])
}

/// The ids of the statuses, accounts or hashtag names in one list of a v2 search answer.
private func list(_ json: Any?, _ key: String, _ field: String = "id") -> [String] {
    ((json as? [String: Any])?[key] as? [[String: Any]] ?? []).compactMap { $0[field] as? String }
}

private func encoded(_ text: String) -> String { TestBrowser.encode(text) }

@Suite struct SearchTests {
    /// Alice who searches, Bob who writes about lean, Carol who keeps some posts private.
    private struct Cast {
        let alice: Member
        let bob: Member
        let carol: Member
    }

    private static func cast(_ harness: WebHarness) async throws -> Cast {
        Cast(
            alice: try await harness.addMember("alice", name: "Alice Archer", department: "Quality", subjects: ["kaizen"]),
            bob: try await harness.addMember("bob", name: "Bob Baker", subjects: ["lean", "logistics"]),
            carol: try await harness.addMember("carol", name: "Carol Cook"))
    }

    // MARK: - The page

    @Test func signedOutGoesToSignIn() async throws {
        try await WebHarness.run { harness, client in
            _ = try await Self.cast(harness)
            let page = try await TestBrowser(client).get("/search?q=lean")
            #expect(page.status == .seeOther)
            #expect(page.location == "/signin?next=%2Fsearch%3Fq%3Dlean", "\(page.location ?? "")")
        }
    }

    @Test func anEmptyQueryShowsTheFormOnly() async throws {
        try await WebHarness.run { harness, client in
            _ = try await Self.cast(harness)
            let browser = TestBrowser(client)
            try await browser.signIn("alice")
            for path in ["/search", "/search?q=", "/search?q=%20%20"] {
                let page = try await browser.get(path)
                #expect(page.status == .ok, "\(path)")
                #expect(page.body.contains("<form method=\"get\" action=\"/search\""), "\(path)")
                #expect(page.body.contains("name=\"q\""), "\(path)")
                for heading in ["found-hashtags", "found-people", "found-posts"] {
                    #expect(!page.body.contains("id=\"\(heading)\""), "\(path) \(heading)")
                }
                #expect(!page.body.contains("No posts match."), "\(path)")
            }
            let home = try await browser.get("/")
            #expect(home.body.contains("<a href=\"/search\">Search</a>"), "the navigation leads to search")
        }
    }

    @Test func resultsAppearInTheirSections() async throws {
        try await WebHarness.run { harness, client in
            let cast = try await Self.cast(harness)
            let older = try await publish(harness, "Lean flow on the #lean line", by: cast.bob)
            let newer = try await publish(harness, "More about lean and #logistics", by: cast.carol)
            let other = try await publish(harness, "Nothing to see", by: cast.bob)
            let browser = TestBrowser(client)
            try await browser.signIn("alice")

            let page = try await browser.get("/search?q=lean")
            #expect(page.status == .ok)
            #expect(page.body.contains("value=\"lean\""), "the query stays in the box")
            let hashtags = try section("found-hashtags", of: page)
            #expect(hashtags.contains("href=\"/tags/lean\">#lean</a>"), "\(hashtags)")
            #expect(hashtags.contains("1 post, 1 member"), "\(hashtags)")
            #expect(!hashtags.contains("logistics"))
            let people = try section("found-people", of: page)
            #expect(people.contains("href=\"/@bob\""), "Bob lists lean as a subject")
            #expect(!people.contains("href=\"/@carol\""))
            #expect(!people.contains("href=\"/@alice\""))
            let posts = try section("found-posts", of: page)
            let newerAt = try #require(posts.range(of: "id=\"post-\(newer.id)\""))
            let olderAt = try #require(posts.range(of: "id=\"post-\(older.id)\""))
            #expect(newerAt.lowerBound < olderAt.lowerBound, "newest first")
            #expect(!posts.contains("id=\"post-\(other.id)\""))

            let none = try await browser.get("/search?q=zebra")
            #expect(try section("found-hashtags", of: none).contains("No hashtags match."))
            #expect(try section("found-people", of: none).contains("Nobody matches."))
            #expect(try section("found-posts", of: none).contains("No posts match."))
        }
    }

    @Test func operatorsNarrowThePosts() async throws {
        try await WebHarness.run { harness, client in
            let cast = try await Self.cast(harness)
            let bobs = try await publish(harness, "Value stream mapping with #lean", by: cast.bob)
            let carols = try await publish(harness, "Stream of value, mapping #lean", by: cast.carol)
            let browser = TestBrowser(client)
            try await browser.signIn("alice")

            /// Whether Bob's and Carol's posts are found.
            func shown(_ query: String) async throws -> [Bool] {
                let page = try await browser.get("/search?q=\(encoded(query))")
                #expect(page.status == .ok, "\(query)")
                let posts = try section("found-posts", of: page)
                return [posts.contains("id=\"post-\(bobs.id)\""), posts.contains("id=\"post-\(carols.id)\"")]
            }
            #expect(try await shown("value stream") == [true, true])
            #expect(try await shown("\"value stream\"") == [true, false])
            #expect(try await shown("from:@carol mapping") == [false, true])
            #expect(try await shown("#lean") == [true, true])
            #expect(try await shown("#lean from:bob") == [true, false])
            #expect(try await shown("from:@nobody") == [false, false])
        }
    }

    @Test func theQueryIsEscaped() async throws {
        try await WebHarness.run { harness, client in
            _ = try await Self.cast(harness)
            let browser = TestBrowser(client)
            try await browser.signIn("alice")
            let query = "\"><script>alert(1)</script> & 'x'"
            let page = try await browser.get("/search?q=\(encoded(query))")
            #expect(page.status == .ok)
            #expect(!page.body.contains("<script>alert(1)"))
            #expect(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!page.body.contains("value=\"\"><script>"))
        }
    }

    @Test func aPrivatePostIsNotShownToOthers() async throws {
        try await WebHarness.run { harness, client in
            let cast = try await Self.cast(harness)
            let hidden = try await publish(harness, "Confidential roadmap for followers", by: cast.carol, visibility: .followers)
            let mentioned = try await publish(harness, "Confidential roadmap for @bob", by: cast.carol, visibility: .mentioned)
            let browser = TestBrowser(client)
            try await browser.signIn("alice")
            for query in ["confidential roadmap", "from:@carol", "\"confidential roadmap\""] {
                let posts = try section("found-posts", of: try await browser.get("/search?q=\(encoded(query))"))
                #expect(!posts.contains("id=\"post-\(hidden.id)\""), "\(query)")
                #expect(!posts.contains("id=\"post-\(mentioned.id)\""), "\(query)")
                #expect(posts.contains("No posts match."), "\(query)")
            }
            let bob = TestBrowser(client)
            try await bob.signIn("bob")
            let posts = try section("found-posts", of: try await bob.get("/search?q=confidential"))
            #expect(posts.contains("id=\"post-\(mentioned.id)\""), "Bob is mentioned")
            #expect(!posts.contains("id=\"post-\(hidden.id)\""), "Bob does not follow Carol")
        }
    }

    // MARK: - Mastodon v2 search

    @Test func apiAnswersAccountsStatusesAndHashtags() async throws {
        try await WebHarness.run { harness, client in
            let cast = try await Self.cast(harness)
            let older = try await publish(harness, "Lean flow on the #lean line", by: cast.bob)
            let newer = try await publish(harness, "More about lean", by: cast.carol)
            _ = try await publish(harness, "Unrelated", by: cast.bob)
            let token = try await client.memberToken("alice")

            let response = try await client.json("/api/v2/search?q=lean", token: token)
            #expect(response.status == .ok, "\(response.raw)")
            let body = try object(response.json)
            #expect(Set(body.keys) == ["accounts", "statuses", "hashtags"])
            #expect(list(body, "accounts") == [cast.bob.id.description])
            let account = try #require((body["accounts"] as? [[String: Any]])?.first)
            #expect(account["username"] as? String == "bob")
            #expect(account["acct"] as? String == "bob")
            #expect(account["display_name"] as? String == "Bob Baker")
            #expect(list(body, "statuses") == [newer.id.description, older.id.description])
            let status = try #require((body["statuses"] as? [[String: Any]])?.first)
            #expect((status["account"] as? [String: Any])?["username"] as? String == "carol")
            #expect((status["content"] as? String)?.contains("More about lean") == true)
            #expect(list(body, "hashtags", "name") == ["lean"])
            let tag = try #require((body["hashtags"] as? [[String: Any]])?.first)
            #expect((tag["url"] as? String)?.hasSuffix("/tags/lean") == true)
            #expect(tag["following"] as? Bool == false)

            let byHandle = try await client.json("/api/v2/search?q=%40bob&type=accounts", token: token)
            #expect(list(byHandle.json, "accounts") == [cast.bob.id.description], "clients search for @handle")

            // Tags a member follows say so.
            _ = try await harness.pollen.followTag("lean", by: .member(cast.alice))
            let followed = try await client.json("/api/v2/search?q=lean&type=hashtags", token: token)
            #expect(((followed.json as? [String: Any])?["hashtags"] as? [[String: Any]])?.first?["following"] as? Bool == true)
        }
    }

    @Test func apiTypeChoosesOneKind() async throws {
        try await WebHarness.run { harness, client in
            let cast = try await Self.cast(harness)
            let post = try await publish(harness, "Lean notes #lean", by: cast.bob)
            let token = try await client.memberToken("alice")
            let expected: [String: (accounts: [String], statuses: [String], hashtags: [String])] = [
                "accounts": ([cast.bob.id.description], [], []),
                "statuses": ([], [post.id.description], []),
                "hashtags": ([], [], ["lean"]),
            ]
            for (type, want) in expected {
                let response = try await client.json("/api/v2/search?q=lean&type=\(type)", token: token)
                #expect(response.status == .ok, "\(type): \(response.raw)")
                #expect(list(response.json, "accounts") == want.accounts, "\(type)")
                #expect(list(response.json, "statuses") == want.statuses, "\(type)")
                #expect(list(response.json, "hashtags", "name") == want.hashtags, "\(type)")
            }
            let all = try await client.json("/api/v2/search?q=lean&type=", token: token)
            #expect(all.status == .ok)
            #expect(list(all.json, "statuses") == [post.id.description])
            #expect(list(all.json, "accounts") == [cast.bob.id.description])
        }
    }

    @Test func apiRejectsAnUnknownType() async throws {
        try await WebHarness.run { harness, client in
            _ = try await Self.cast(harness)
            let token = try await client.memberToken("alice")
            for type in ["posts", "members", "ACCOUNTS", "all"] {
                let response = try await client.json("/api/v2/search?q=lean&type=\(type)", token: token)
                #expect(response.status == .unprocessableContent, "\(type)")
                #expect((response.json as? [String: Any])?["error"] is String, "\(response.raw)")
            }
        }
    }

    @Test func apiNeedsAToken() async throws {
        try await WebHarness.run { harness, client in
            let cast = try await Self.cast(harness)
            try await publish(harness, "Lean notes", by: cast.bob)
            let response = try await client.json("/api/v2/search?q=lean")
            #expect(response.status == .unauthorized)
            #expect(!response.raw.contains("Lean notes"))
            let bad = try await client.json("/api/v2/search?q=lean", token: "not-a-token")
            #expect(bad.status == .unauthorized)
        }
    }

    @Test func apiAnEmptyQueryFindsNothing() async throws {
        try await WebHarness.run { harness, client in
            let cast = try await Self.cast(harness)
            try await publish(harness, "Lean notes #lean", by: cast.bob)
            let token = try await client.memberToken("alice")
            for path in ["/api/v2/search", "/api/v2/search?q=", "/api/v2/search?q=%20"] {
                let response = try await client.json(path, token: token)
                #expect(response.status == .ok, "\(path)")
                let body = try object(response.json)
                for key in ["accounts", "statuses", "hashtags"] {
                    #expect((body[key] as? [Any])?.isEmpty == true, "\(path) \(key)")
                }
            }
        }
    }

    @Test func apiNeverLeaksAPrivatePost() async throws {
        try await WebHarness.run { harness, client in
            let cast = try await Self.cast(harness)
            let followersOnly = try await publish(harness, "Confidential roadmap #plans", by: cast.carol, visibility: .followers)
            let mentioned = try await publish(harness, "Confidential roadmap for @bob #plans", by: cast.carol, visibility: .mentioned)
            let aliceToken = try await client.memberToken("alice")
            let bobToken = try await client.memberToken("bob")
            for query in ["confidential", "\"confidential roadmap\"", "from:@carol", "#plans", "roadmap from:carol #plans"] {
                for type in ["", "&type=statuses"] {
                    let response = try await client.json("/api/v2/search?q=\(encoded(query))\(type)", token: aliceToken)
                    #expect(response.status == .ok, "\(query)")
                    #expect(list(response.json, "statuses").isEmpty, "\(query)")
                    #expect(!response.raw.contains("Confidential"), "\(query)")
                }
            }
            let bob = try await client.json("/api/v2/search?q=confidential&type=statuses", token: bobToken)
            #expect(list(bob.json, "statuses") == [mentioned.id.description])

            // Once Alice follows Carol, the followers-only post is hers to find, and a block ends that.
            _ = try await harness.pollen.followMember(cast.carol.id, by: .member(cast.alice))
            let following = try await client.json("/api/v2/search?q=confidential&type=statuses", token: aliceToken)
            #expect(list(following.json, "statuses") == [followersOnly.id.description])
            _ = try await harness.pollen.setBlocked(true, cast.alice.id, by: .member(cast.carol))
            let blocked = try await client.json("/api/v2/search?q=confidential&type=statuses", token: aliceToken)
            #expect(list(blocked.json, "statuses").isEmpty)
            let byHandle = try await client.json("/api/v2/search?q=from:@carol&type=statuses", token: aliceToken)
            #expect(list(byHandle.json, "statuses").isEmpty)
        }
    }

    @Test func apiTreatsOperatorCharactersAsText() async throws {
        try await WebHarness.run { harness, client in
            let cast = try await Self.cast(harness)
            let post = try await publish(harness, "Lean AND kaizen: (notes) -draft NEAR the line", by: cast.bob)
            let token = try await client.memberToken("alice")
            let queries = [
                "\"", "\"unclosed phrase", "*", "lean*", "AND", "OR lean", "-", "-draft", ":", "notes:", "(", ")",
                "NEAR(lean kaizen)", "\"lean AND\"", "'", "\\", "%", "_", "#", "from:", "from:@", "lean & kaizen",
                "lean | !kaizen", "<->", "'; DROP TABLE posts; --",
            ]
            for query in queries {
                let response = try await client.json("/api/v2/search?q=\(encoded(query))", token: token)
                #expect(response.status == .ok, "\(query): \(response.raw)")
                #expect(Set(try object(response.json).keys) == ["accounts", "statuses", "hashtags"], "\(query)")
            }
            for query in ["lean AND kaizen", "(notes)", "-draft", "lean*", "\"lean and kaizen\"", "near"] {
                let response = try await client.json("/api/v2/search?q=\(encoded(query))&type=statuses", token: token)
                #expect(list(response.json, "statuses") == [post.id.description], "\(query)")
            }
            let or = try await client.json("/api/v2/search?q=\(encoded("lean OR zebra"))&type=statuses", token: token)
            #expect(list(or.json, "statuses").isEmpty, "OR is a word that must appear")
        }
    }

    @Test func apiPagesStatusesByMaxID() async throws {
        try await WebHarness.run { harness, client in
            let cast = try await Self.cast(harness)
            var posts: [Post] = []
            for n in 1...5 { posts.append(try await publish(harness, "Flow note \(n)", by: cast.bob)) }
            let token = try await client.memberToken("alice")
            let newestFirst = posts.reversed().map(\.id.description)

            let first = try await client.json("/api/v2/search?q=flow&type=statuses&limit=2", token: token)
            #expect(list(first.json, "statuses") == Array(newestFirst[0..<2]))
            let second = try await client.json(
                "/api/v2/search?q=flow&type=statuses&limit=2&max_id=\(newestFirst[1])", token: token)
            #expect(list(second.json, "statuses") == Array(newestFirst[2..<4]))
            let last = try await client.json(
                "/api/v2/search?q=flow&type=statuses&limit=2&max_id=\(newestFirst[3])", token: token)
            #expect(list(last.json, "statuses") == [newestFirst[4]])
        }
    }
}
