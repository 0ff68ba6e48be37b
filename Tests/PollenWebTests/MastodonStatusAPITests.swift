import Foundation
import Hummingbird
import HummingbirdTesting
import PollenCore
import Testing

/// The ids of a list of statuses.
private func ids(_ json: Any?) -> [String] {
    (json as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
}

/// The ids of a list of statuses, a reblog counted as the status it passes on.
private func shownIDs(_ json: Any?) -> [String] {
    (json as? [[String: Any]] ?? []).compactMap { ($0["reblog"] as? [String: Any])?["id"] as? String ?? $0["id"] as? String }
}

@Suite struct MastodonStatusAPITests {
    /// The members every test starts with, each with a token of every scope.
    private struct Cast {
        let alice: Member
        let bob: Member
        let carol: Member
        let aliceToken: String
        let bobToken: String
        let carolToken: String
    }

    private static func cast(_ harness: WebHarness, _ client: any TestClientProtocol) async throws -> Cast {
        let alice = try await harness.addMember("alice", name: "Alice Archer")
        let bob = try await harness.addMember("bob", name: "Bob Baker")
        let carol = try await harness.addMember("carol", name: "Carol Cook")
        return Cast(
            alice: alice, bob: bob, carol: carol, aliceToken: try await client.memberToken("alice"),
            bobToken: try await client.memberToken("bob"), carolToken: try await client.memberToken("carol"))
    }

    /// Publishes through the API and answers the status.
    @discardableResult
    private static func publish(
        _ client: any TestClientProtocol, _ token: String, _ text: String, visibility: String? = nil,
        replyTo: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> [String: Any] {
        var form = ["status": text]
        form["visibility"] = visibility
        form["in_reply_to_id"] = replyTo
        let response = try await client.json("/api/v1/statuses", method: .post, token: token, form: form)
        #expect(response.status == .ok, "\(response.raw)", sourceLocation: sourceLocation)
        return try object(response.json, sourceLocation: sourceLocation)
    }

    private static func id(_ status: [String: Any], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        try #require(status["id"] as? String, sourceLocation: sourceLocation)
    }

    // MARK: - Publishing and reading

    @Test func publishAndGetAStatus() async throws {
        try await WebHarness.run { harness, client in
            let cast = try await Self.cast(harness, client)
            let status = try await Self.publish(
                client, cast.aliceToken, "Hello <script>alert(1)</script> #Swift and @bob, not @nobody")
            let id = try Self.id(status)
            #expect(Post.ID(string: id) != nil)
            let content = try #require(status["content"] as? String)
            #expect(!content.contains("<script>"))
            #expect(content.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(content.contains("href=\"http://localhost/tags/swift\" class=\"hashtag\">#Swift</a>"), "\(content)")
            #expect(content.contains("href=\"http://localhost/@bob\" class=\"mention\">@bob</a>"), "\(content)")
            #expect(!content.contains("/@nobody"))
            let tags = try #require(status["tags"] as? [[String: Any]])
            #expect(tags.count == 1)
            #expect(tags.first?["name"] as? String == "swift")
            #expect((tags.first?["url"] as? String)?.hasSuffix("/tags/swift") == true)
            let mentions = try #require(status["mentions"] as? [[String: Any]])
            #expect(mentions.count == 1)
            #expect(mentions.first?["id"] as? String == cast.bob.id.description)
            #expect(mentions.first?["username"] as? String == "bob")
            #expect(mentions.first?["acct"] as? String == "bob")
            #expect((mentions.first?["url"] as? String)?.hasSuffix("/@bob") == true)

            #expect(status["visibility"] as? String == "public")
            #expect(status["sensitive"] as? Bool == false)
            #expect(status["spoiler_text"] as? String == "")
            #expect((status["url"] as? String)?.hasSuffix("/posts/\(id)") == true)
            #expect(status["uri"] as? String == status["url"] as? String)
            for key in ["replies_count", "reblogs_count", "favourites_count"] { #expect(status[key] as? Int == 0, "\(key)") }
            for key in ["favourited", "reblogged", "bookmarked", "muted", "pinned"] {
                #expect(status[key] as? Bool == false, "\(key)")
            }
            for key in ["in_reply_to_id", "in_reply_to_account_id", "reblog", "language", "edited_at", "application", "card", "poll"] {
                #expect(status[key] is NSNull, "\(key) should be null")
            }
            for key in ["media_attachments", "emojis"] { #expect((status[key] as? [Any])?.isEmpty == true, "\(key)") }
            #expect(status["created_at"] is String)
            let account = try object(status["account"])
            #expect(account["id"] as? String == cast.alice.id.description)
            #expect(account["username"] as? String == "alice")
            #expect(account["followers_count"] as? Int == 0)

            let seen = try await client.json("/api/v1/statuses/\(id)", token: cast.bobToken)
            #expect(seen.status == .ok)
            #expect(try object(seen.json)["content"] as? String == content)
            #expect(try await client.json("/api/v1/statuses/987654321", token: cast.bobToken).status == .notFound)
            #expect(try await client.json("/api/v1/statuses/abc", token: cast.bobToken).status == .notFound)
        }
    }

    @Test func publishAcceptsJSONAndMastodonVisibilities() async throws {
        try await WebHarness.run { harness, client in
            let cast = try await Self.cast(harness, client)
            let unlisted = try await client.json(
                "/api/v1/statuses", method: .post, token: cast.aliceToken,
                body: ["status": "Quiet **bold**", "visibility": "unlisted", "media_ids": [String]()])
            #expect(unlisted.status == .ok, "\(unlisted.raw)")
            #expect(try object(unlisted.json)["visibility"] as? String == "public")
            #expect((try object(unlisted.json)["content"] as? String)?.contains("<strong>bold</strong>") == true)
            let followers = try await Self.publish(client, cast.aliceToken, "Mine", visibility: "private")
            #expect(followers["visibility"] as? String == "private")
            let direct = try await Self.publish(client, cast.aliceToken, "@bob psst", visibility: "direct")
            #expect(direct["visibility"] as? String == "direct")

            let unknown = try await client.json(
                "/api/v1/statuses", method: .post, token: cast.aliceToken, form: ["status": "x", "visibility": "everyone"])
            #expect(unknown.status == .unprocessableContent)
            #expect(try object(unknown.json)["error"] is String)
            let media = try await client.json(
                "/api/v1/statuses", method: .post, token: cast.aliceToken, body: ["status": "pic", "media_ids": ["1"]])
            #expect(media.status == .unprocessableContent)
            let timeline = try await get(client, "/api/v1/accounts/\(cast.alice.id)/statuses", token: cast.aliceToken)
            #expect(ids(timeline.json).count == 3, "refused posts are not stored")
        }
    }

    @Test func tooLongOrEmptyStatusesAreRefused() async throws {
        try await WebHarness.run { harness, client in
            let cast = try await Self.cast(harness, client)
            for text in [String(repeating: "a", count: 5001), "", "   \n "] {
                let response = try await client.json(
                    "/api/v1/statuses", method: .post, token: cast.aliceToken, form: ["status": text])
                #expect(response.status == .unprocessableContent, "\(text.count) characters")
                #expect(try object(response.json)["error"] is String)
            }
            let missing = try await client.json("/api/v1/statuses", method: .post, token: cast.aliceToken, form: [:])
            #expect(missing.status == .unprocessableContent)
            try await Self.publish(client, cast.aliceToken, String(repeating: "a", count: 5000))
            let timeline = try await get(client, "/api/v1/accounts/\(cast.alice.id)/statuses", token: cast.aliceToken)
            #expect(ids(timeline.json).count == 1)
        }
    }

    // MARK: - Visibility

    @Test func followersOnlyPostsNeedAFollow() async throws {
        try await WebHarness.run { harness, client in
            let cast = try await Self.cast(harness, client)
            let secret = try Self.id(try await Self.publish(client, cast.aliceToken, "For my followers #plans", visibility: "private"))
            let open = try Self.id(try await Self.publish(client, cast.aliceToken, "For everyone #plans"))

            #expect(try await client.json("/api/v1/statuses/\(secret)", token: cast.bobToken).status == .notFound)
            #expect(try await client.json("/api/v1/statuses/\(secret)/context", token: cast.bobToken).status == .notFound)
            for path in [
                "/api/v1/timelines/home", "/api/v1/timelines/public", "/api/v1/timelines/tag/plans",
                "/api/v1/accounts/\(cast.alice.id)/statuses",
            ] {
                let response = try await get(client, path, token: cast.bobToken)
                #expect(response.status == .ok, "\(path)")
                #expect(!ids(response.json).contains(secret), "\(path)")
            }
            #expect(ids(try await get(client, "/api/v1/timelines/public", token: cast.bobToken).json) == [open])
            let favourite = try await client.json("/api/v1/statuses/\(secret)/favourite", method: .post, token: cast.bobToken)
            #expect(favourite.status == .notFound)

            try await harness.pollen.followMember(cast.alice.id, by: .member(cast.bob))
            let seen = try await client.json("/api/v1/statuses/\(secret)", token: cast.bobToken)
            #expect(seen.status == .ok)
            #expect(try object(seen.json)["visibility"] as? String == "private")
            #expect(ids(try await get(client, "/api/v1/timelines/home", token: cast.bobToken).json) == [open, secret])
            #expect(ids(try await get(client, "/api/v1/timelines/tag/plans", token: cast.bobToken).json) == [open, secret])
            #expect(
                ids(try await get(client, "/api/v1/accounts/\(cast.alice.id)/statuses", token: cast.bobToken).json)
                    == [open, secret])
            // The public timeline is the organization's, so followers-only posts never show there.
            #expect(ids(try await get(client, "/api/v1/timelines/public", token: cast.bobToken).json) == [open])
        }
    }

    @Test func directPostsAreSeenOnlyByThoseMentioned() async throws {
        try await WebHarness.run { harness, client in
            let cast = try await Self.cast(harness, client)
            try await harness.pollen.followMember(cast.alice.id, by: .member(cast.bob))
            let direct = try Self.id(try await Self.publish(client, cast.aliceToken, "@carol a word", visibility: "direct"))

            let carolSees = try await client.json("/api/v1/statuses/\(direct)", token: cast.carolToken)
            #expect(carolSees.status == .ok)
            #expect(try object(carolSees.json)["visibility"] as? String == "direct")
            #expect(try await client.json("/api/v1/statuses/\(direct)", token: cast.aliceToken).status == .ok)
            #expect(try await client.json("/api/v1/statuses/\(direct)", token: cast.bobToken).status == .notFound)
            #expect(ids(try await get(client, "/api/v1/timelines/home", token: cast.bobToken).json).isEmpty)
            #expect(ids(try await get(client, "/api/v1/timelines/public", token: cast.carolToken).json).isEmpty)
            #expect(
                ids(try await get(client, "/api/v1/accounts/\(cast.alice.id)/statuses", token: cast.carolToken).json) == [direct])
            #expect(ids(try await get(client, "/api/v1/accounts/\(cast.alice.id)/statuses", token: cast.bobToken).json).isEmpty)
        }
    }

    // MARK: - Threads

    @Test func repliesFormAThreadWithContext() async throws {
        try await WebHarness.run { harness, client in
            let cast = try await Self.cast(harness, client)
            let root = try Self.id(try await Self.publish(client, cast.aliceToken, "A question"))
            let bobReply = try await Self.publish(client, cast.bobToken, "An answer", replyTo: root)
            let answer = try Self.id(bobReply)
            #expect(bobReply["in_reply_to_id"] as? String == root)
            #expect(bobReply["in_reply_to_account_id"] as? String == cast.alice.id.description)
            let followUp = try Self.id(try await Self.publish(client, cast.carolToken, "A follow-up", replyTo: answer))
            let second = try Self.id(try await Self.publish(client, cast.aliceToken, "Another thought", replyTo: root))
            let hidden = try Self.id(
                try await Self.publish(client, cast.carolToken, "Only for followers", visibility: "private", replyTo: root))

            let rootStatus = try object(try await client.json("/api/v1/statuses/\(root)", token: cast.bobToken).json)
            #expect(rootStatus["replies_count"] as? Int == 3)

            let rootContext = try object(try await client.json("/api/v1/statuses/\(root)/context", token: cast.bobToken).json)
            #expect(ids(rootContext["ancestors"]).isEmpty)
            #expect(ids(rootContext["descendants"]) == [answer, followUp, second], "Bob does not follow Carol")
            let carolsView = try object(try await client.json("/api/v1/statuses/\(root)/context", token: cast.carolToken).json)
            #expect(ids(carolsView["descendants"]) == [answer, followUp, second, hidden])

            let middle = try object(try await client.json("/api/v1/statuses/\(answer)/context", token: cast.aliceToken).json)
            #expect(ids(middle["ancestors"]) == [root])
            #expect(ids(middle["descendants"]) == [followUp])
            let leaf = try object(try await client.json("/api/v1/statuses/\(followUp)/context", token: cast.aliceToken).json)
            #expect(ids(leaf["ancestors"]) == [root, answer])
            #expect(ids(leaf["descendants"]).isEmpty)

            // A deleted reply leaves the thread; its own replies stay.
            #expect(try await client.json("/api/v1/statuses/\(answer)", method: .delete, token: cast.bobToken).status == .ok)
            let after = try object(try await client.json("/api/v1/statuses/\(root)/context", token: cast.aliceToken).json)
            #expect(ids(after["descendants"]) == [followUp, second])
            #expect(try await client.json("/api/v1/statuses/\(answer)/context", token: cast.aliceToken).status == .notFound)
            let rootAfter = try object(try await client.json("/api/v1/statuses/\(root)", token: cast.aliceToken).json)
            #expect(rootAfter["replies_count"] as? Int == 2)

            let toDeleted = try await client.json(
                "/api/v1/statuses", method: .post, token: cast.carolToken, form: ["status": "Late", "in_reply_to_id": answer])
            #expect(toDeleted.status == .unprocessableContent)
            #expect(try object(toDeleted.json)["error"] as? String == "You cannot reply to a deleted post.")
            let toMissing = try await client.json(
                "/api/v1/statuses", method: .post, token: cast.carolToken, form: ["status": "Lost", "in_reply_to_id": "987654321"])
            #expect(toMissing.status == .notFound)
        }
    }

    // MARK: - Editing and deleting

    @Test func theAuthorEditsAndTheHistoryKeepsEveryText() async throws {
        try await WebHarness.run { harness, client in
            let cast = try await Self.cast(harness, client)
            let original = try await Self.publish(client, cast.aliceToken, "First draft #one")
            let id = try Self.id(original)
            #expect(original["edited_at"] is NSNull)

            let history0 = try await client.json("/api/v1/statuses/\(id)/history", token: cast.bobToken)
            #expect((history0.json as? [[String: Any]])?.count == 1)

            let edited = try await client.json(
                "/api/v1/statuses/\(id)", method: .put, token: cast.aliceToken, form: ["status": "Second text #two"])
            #expect(edited.status == .ok, "\(edited.raw)")
            #expect(try object(edited.json)["edited_at"] is String)
            let third = try await client.json(
                "/api/v1/statuses/\(id)", method: .put, token: cast.aliceToken, body: ["status": "Third text"])
            #expect(third.status == .ok)
            let current = try object(try await client.json("/api/v1/statuses/\(id)", token: cast.bobToken).json)
            #expect((current["content"] as? String)?.contains("Third text") == true)
            #expect((current["tags"] as? [Any])?.isEmpty == true)
            #expect(current["id"] as? String == id)

            let history = try #require(try await client.json("/api/v1/statuses/\(id)/history", token: cast.bobToken).json as? [[String: Any]])
            #expect(history.count == 3)
            let texts = history.map { $0["content"] as? String ?? "" }
            #expect(texts[0].contains("First draft"))
            #expect(texts[1].contains("Second text"))
            #expect(texts[2].contains("Third text"))
            #expect(history.first?["created_at"] as? String == original["created_at"] as? String)
            #expect(history.allSatisfy { (($0["account"] as? [String: Any])?["username"] as? String) == "alice" })
            #expect(history.allSatisfy { $0["spoiler_text"] as? String == "" && $0["sensitive"] as? Bool == false })

            let source = try object(try await client.json("/api/v1/statuses/\(id)/source", token: cast.aliceToken).json)
            #expect(source["id"] as? String == id)
            #expect(source["text"] as? String == "Third text")
            #expect(source["spoiler_text"] as? String == "")

            let byBob = try await client.json(
                "/api/v1/statuses/\(id)", method: .put, token: cast.bobToken, form: ["status": "Hijacked"])
            #expect(byBob.status == .forbidden)
            #expect(try object(byBob.json)["error"] as? String == "Only the author can edit a post.")
            let emptied = try await client.json("/api/v1/statuses/\(id)", method: .put, token: cast.aliceToken, form: ["status": " "])
            #expect(emptied.status == .unprocessableContent)
            let tooLong = try await client.json(
                "/api/v1/statuses/\(id)", method: .put, token: cast.aliceToken, form: ["status": String(repeating: "b", count: 5001)])
            #expect(tooLong.status == .unprocessableContent)
            let history2 = try await client.json("/api/v1/statuses/\(id)/history", token: cast.aliceToken)
            #expect((history2.json as? [[String: Any]])?.count == 3, "refused edits leave no trace")
        }
    }

    @Test func theAuthorDeletesAndThePostIsGone() async throws {
        try await WebHarness.run { harness, client in
            let cast = try await Self.cast(harness, client)
            let id = try Self.id(try await Self.publish(client, cast.aliceToken, "Soon *gone*"))
            let reblog = try await client.json("/api/v1/statuses/\(id)/reblog", method: .post, token: cast.bobToken)
            let reblogID = try Self.id(try object(reblog.json))

            let byBob = try await client.json("/api/v1/statuses/\(id)", method: .delete, token: cast.bobToken)
            #expect(byBob.status == .forbidden)
            #expect(try await client.json("/api/v1/statuses/\(id)", token: cast.bobToken).status == .ok)

            let deleted = try await client.json("/api/v1/statuses/\(id)", method: .delete, token: cast.aliceToken)
            #expect(deleted.status == .ok, "\(deleted.raw)")
            let body = try object(deleted.json)
            #expect(body["id"] as? String == id)
            #expect(body["text"] as? String == "Soon *gone*")
            #expect((body["content"] as? String)?.contains("<em>gone</em>") == true)

            for token in [cast.aliceToken, cast.bobToken] {
                for path in ["/api/v1/statuses/\(id)", "/api/v1/statuses/\(id)/source", "/api/v1/statuses/\(id)/history"] {
                    let response = try await client.json(path, token: token)
                    #expect(response.status == .notFound, "\(path)")
                    #expect(try object(response.json)["error"] as? String == "Post not found.")
                }
            }
            #expect(try await client.json("/api/v1/statuses/\(id)", method: .delete, token: cast.aliceToken).status == .notFound)
            #expect(try await client.json("/api/v1/statuses/\(id)/favourite", method: .post, token: cast.bobToken).status == .notFound)
            // A reblog of a deleted post is gone with it.
            #expect(try await client.json("/api/v1/statuses/\(reblogID)", token: cast.carolToken).status == .notFound)
            #expect(ids(try await get(client, "/api/v1/timelines/public", token: cast.carolToken).json).isEmpty)
            #expect(ids(try await get(client, "/api/v1/accounts/\(cast.bob.id)/statuses", token: cast.bobToken).json).isEmpty)
        }
    }

    // MARK: - Reblogs, favourites, bookmarks

    @Test func reblogAndUnreblog() async throws {
        try await WebHarness.run { harness, client in
            let cast = try await Self.cast(harness, client)
            try await harness.pollen.followMember(cast.bob.id, by: .member(cast.carol))
            let id = try Self.id(try await Self.publish(client, cast.aliceToken, "Worth passing on"))

            let first = try await client.json("/api/v1/statuses/\(id)/reblog", method: .post, token: cast.bobToken)
            #expect(first.status == .ok, "\(first.raw)")
            let wrapper = try object(first.json)
            let reblogID = try Self.id(wrapper)
            #expect(reblogID != id)
            #expect((wrapper["account"] as? [String: Any])?["username"] as? String == "bob")
            #expect(wrapper["content"] as? String == "")
            #expect(wrapper["reblogged"] as? Bool == true)
            let inner = try object(wrapper["reblog"])
            #expect(inner["id"] as? String == id)
            #expect(inner["reblogged"] as? Bool == true)
            #expect(inner["reblogs_count"] as? Int == 1)
            #expect((inner["account"] as? [String: Any])?["username"] as? String == "alice")

            // Again: the same reblog, no second one.
            let again = try await client.json("/api/v1/statuses/\(id)/reblog", method: .post, token: cast.bobToken)
            #expect(again.status == .ok)
            #expect(try object(again.json)["id"] as? String == reblogID)
            let seenByAlice = try object(try await client.json("/api/v1/statuses/\(id)", token: cast.aliceToken).json)
            #expect(seenByAlice["reblogs_count"] as? Int == 1)
            #expect(seenByAlice["reblogged"] as? Bool == false)
            #expect(try object(try await client.json("/api/v1/statuses/\(id)", token: cast.bobToken).json)["reblogged"] as? Bool == true)
            let gotReblog = try object(try await client.json("/api/v1/statuses/\(reblogID)", token: cast.carolToken).json)
            #expect((gotReblog["reblog"] as? [String: Any])?["id"] as? String == id)

            let carolsHome = try await get(client, "/api/v1/timelines/home", token: cast.carolToken)
            #expect(ids(carolsHome.json) == [reblogID])
            #expect(shownIDs(carolsHome.json) == [id])
            #expect(ids(try await get(client, "/api/v1/accounts/\(cast.bob.id)/statuses", token: cast.carolToken).json) == [reblogID])
            #expect(
                ids(try await get(client, "/api/v1/accounts/\(cast.bob.id)/statuses?exclude_reblogs=true", token: cast.carolToken).json)
                    .isEmpty)

            for _ in 0..<2 {
                let undone = try await client.json("/api/v1/statuses/\(id)/unreblog", method: .post, token: cast.bobToken)
                #expect(undone.status == .ok, "\(undone.raw)")
                let status = try object(undone.json)
                #expect(status["id"] as? String == id)
                #expect(status["reblogged"] as? Bool == false)
                #expect(status["reblogs_count"] as? Int == 0)
            }
            #expect(try await client.json("/api/v1/statuses/\(reblogID)", token: cast.carolToken).status == .notFound)
            #expect(ids(try await get(client, "/api/v1/timelines/home", token: cast.carolToken).json).isEmpty)
        }
    }

    @Test func followersOnlyPostsCannotBeReblogged() async throws {
        try await WebHarness.run { harness, client in
            let cast = try await Self.cast(harness, client)
            let id = try Self.id(try await Self.publish(client, cast.aliceToken, "Among friends", visibility: "private"))
            let stranger = try await client.json("/api/v1/statuses/\(id)/reblog", method: .post, token: cast.bobToken)
            #expect(stranger.status == .notFound)
            try await harness.pollen.followMember(cast.alice.id, by: .member(cast.bob))
            let follower = try await client.json("/api/v1/statuses/\(id)/reblog", method: .post, token: cast.bobToken)
            #expect(follower.status == .unprocessableContent)
            #expect(try object(follower.json)["error"] is String)
            let status = try object(try await client.json("/api/v1/statuses/\(id)", token: cast.aliceToken).json)
            #expect(status["reblogs_count"] as? Int == 0)
        }
    }

    @Test func favouriteAndUnfavourite() async throws {
        try await WebHarness.run { harness, client in
            let cast = try await Self.cast(harness, client)
            let id = try Self.id(try await Self.publish(client, cast.aliceToken, "Like me"))
            for token in [cast.bobToken, cast.bobToken, cast.carolToken] {
                let response = try await client.json("/api/v1/statuses/\(id)/favourite", method: .post, token: token)
                #expect(response.status == .ok, "\(response.raw)")
                #expect(try object(response.json)["favourited"] as? Bool == true)
            }
            let seen = try object(try await client.json("/api/v1/statuses/\(id)", token: cast.aliceToken).json)
            #expect(seen["favourites_count"] as? Int == 2)
            #expect(seen["favourited"] as? Bool == false)
            #expect(ids(try await get(client, "/api/v1/favourites", token: cast.bobToken).json) == [id])
            #expect(ids(try await get(client, "/api/v1/favourites", token: cast.aliceToken).json).isEmpty)

            for _ in 0..<2 {
                let response = try await client.json("/api/v1/statuses/\(id)/unfavourite", method: .post, token: cast.bobToken)
                #expect(response.status == .ok)
                #expect(try object(response.json)["favourited"] as? Bool == false)
                #expect(try object(response.json)["favourites_count"] as? Int == 1)
            }
            #expect(ids(try await get(client, "/api/v1/favourites", token: cast.bobToken).json).isEmpty)

            // Favouriting a reblog favourites the original.
            let reblog = try Self.id(try object(
                try await client.json("/api/v1/statuses/\(id)/reblog", method: .post, token: cast.carolToken).json))
            let viaReblog = try await client.json("/api/v1/statuses/\(reblog)/favourite", method: .post, token: cast.bobToken)
            #expect(try object(viaReblog.json)["id"] as? String == id)
            #expect(try object(viaReblog.json)["favourites_count"] as? Int == 2)
        }
    }

    @Test func bookmarksArePrivate() async throws {
        try await WebHarness.run { harness, client in
            let cast = try await Self.cast(harness, client)
            let id = try Self.id(try await Self.publish(client, cast.aliceToken, "Keep this"))
            let other = try Self.id(try await Self.publish(client, cast.carolToken, "And this"))
            for _ in 0..<2 {
                let marked = try await client.json("/api/v1/statuses/\(id)/bookmark", method: .post, token: cast.bobToken)
                #expect(marked.status == .ok, "\(marked.raw)")
                #expect(try object(marked.json)["bookmarked"] as? Bool == true)
            }
            #expect(try await client.json("/api/v1/statuses/\(other)/bookmark", method: .post, token: cast.bobToken).status == .ok)
            #expect(try await client.json("/api/v1/statuses/\(other)/bookmark", method: .post, token: cast.carolToken).status == .ok)

            #expect(ids(try await get(client, "/api/v1/bookmarks", token: cast.bobToken).json) == [other, id])
            #expect(ids(try await get(client, "/api/v1/bookmarks", token: cast.aliceToken).json).isEmpty)
            #expect(ids(try await get(client, "/api/v1/bookmarks", token: cast.carolToken).json) == [other])
            let seenByAuthor = try object(try await client.json("/api/v1/statuses/\(id)", token: cast.aliceToken).json)
            #expect(seenByAuthor["bookmarked"] as? Bool == false)
            for key in ["replies_count", "reblogs_count", "favourites_count"] {
                #expect(seenByAuthor[key] as? Int == 0, "\(key)")
            }
            #expect(try object(try await client.json("/api/v1/statuses/\(id)", token: cast.bobToken).json)["bookmarked"] as? Bool == true)

            let removed = try await client.json("/api/v1/statuses/\(id)/unbookmark", method: .post, token: cast.bobToken)
            #expect(try object(removed.json)["bookmarked"] as? Bool == false)
            #expect(ids(try await get(client, "/api/v1/bookmarks", token: cast.bobToken).json) == [other])
        }
    }

    // MARK: - Timelines

    @Test func homeTimelineHasFollowedPeopleAndHashtagsButNotMutedOrBlocked() async throws {
        try await WebHarness.run { harness, client in
            let cast = try await Self.cast(harness, client)
            let dave = try await harness.addMember("dave")
            let erin = try await harness.addMember("erin")
            let frank = try await harness.addMember("frank")
            let pollen = harness.pollen
            for followee in [cast.bob, erin, frank] { try await pollen.followMember(followee.id, by: .member(cast.alice)) }
            try await pollen.followTag("swift", by: .member(cast.alice))
            try await pollen.setMuted(true, erin.id, by: .member(cast.alice))
            try await pollen.setBlocked(true, frank.id, by: .member(cast.alice))

            let own = try await pollen.publishPost(PostDraft(body: "My own"), by: .member(cast.alice))
            let fromBob = try await pollen.publishPost(PostDraft(body: "From a followee"), by: .member(cast.bob))
            let tagged = try await pollen.publishPost(PostDraft(body: "About #Swift"), by: .member(cast.carol))
            _ = try await pollen.publishPost(PostDraft(body: "Not followed"), by: .member(dave))
            let muted = try await pollen.publishPost(PostDraft(body: "Muted #swift"), by: .member(erin))
            _ = try await pollen.publishPost(PostDraft(body: "Blocked #swift"), by: .member(frank))
            // Bob passes on a muted member's post: the mute still holds.
            _ = try await pollen.resharePost(muted.id, by: .member(cast.bob))

            let home = try await get(client, "/api/v1/timelines/home", token: cast.aliceToken)
            #expect(home.status == .ok)
            #expect(ids(home.json) == [tagged, fromBob, own].map(\.id.description))

            try await pollen.setMuted(false, erin.id, by: .member(cast.alice))
            let unmuted = shownIDs(try await get(client, "/api/v1/timelines/home", token: cast.aliceToken).json)
            #expect(unmuted == [muted, muted, tagged, fromBob, own].map(\.id.description))
        }
    }

    @Test func publicTimelineIsTheOrganization() async throws {
        try await WebHarness.run { harness, client in
            let cast = try await Self.cast(harness, client)
            let a = try Self.id(try await Self.publish(client, cast.aliceToken, "Hello all"))
            let b = try Self.id(try await Self.publish(client, cast.bobToken, "Hi from Bob"))
            try await Self.publish(client, cast.bobToken, "Friends only", visibility: "private")
            try await Self.publish(client, cast.bobToken, "@alice direct", visibility: "direct")

            #expect(ids(try await get(client, "/api/v1/timelines/public", token: cast.carolToken).json) == [b, a])
            #expect(ids(try await get(client, "/api/v1/timelines/public?local=true", token: cast.carolToken).json) == [b, a])
            let remote = try await get(client, "/api/v1/timelines/public?remote=true", token: cast.carolToken)
            #expect(remote.status == .ok)
            #expect(ids(remote.json).isEmpty)
            try await harness.pollen.setMuted(true, cast.bob.id, by: .member(cast.carol))
            #expect(ids(try await get(client, "/api/v1/timelines/public", token: cast.carolToken).json) == [a])
            // The filters carry over to the next page.
            let paged = try await get(client, "/api/v1/timelines/public?local=true&limit=1", token: cast.aliceToken)
            let next = try #require(links(paged.headers)["next"])
            #expect(parameter("local", in: next) == "true")
            #expect(ids(try await get(client, next, token: cast.aliceToken).json) == [a])
        }
    }

    @Test func tagTimeline() async throws {
        try await WebHarness.run { harness, client in
            let cast = try await Self.cast(harness, client)
            let first = try Self.id(try await Self.publish(client, cast.aliceToken, "Learning #Swift today"))
            try await Self.publish(client, cast.aliceToken, "Learning #rust today")
            let second = try Self.id(try await Self.publish(client, cast.bobToken, "More #swift"))
            try await Self.publish(client, cast.bobToken, "Secret #swift", visibility: "private")
            let edited = try Self.id(try await Self.publish(client, cast.carolToken, "No tag yet"))
            _ = try await client.json(
                "/api/v1/statuses/\(edited)", method: .put, token: cast.carolToken, form: ["status": "Now about #swift"])

            let response = try await get(client, "/api/v1/timelines/tag/swift", token: cast.carolToken)
            #expect(response.status == .ok)
            #expect(ids(response.json) == [edited, second, first])
            #expect(ids(try await get(client, "/api/v1/timelines/tag/SWIFT", token: cast.carolToken).json) == [edited, second, first])
            #expect(ids(try await get(client, "/api/v1/timelines/tag/cobol", token: cast.carolToken).json).isEmpty)
        }
    }

    @Test func accountStatuses() async throws {
        try await WebHarness.run { harness, client in
            let cast = try await Self.cast(harness, client)
            let root = try Self.id(try await Self.publish(client, cast.aliceToken, "Start"))
            let own = try Self.id(try await Self.publish(client, cast.bobToken, "Bob's own"))
            let reply = try Self.id(try await Self.publish(client, cast.bobToken, "A reply", replyTo: root))
            let selfReply = try Self.id(try await Self.publish(client, cast.bobToken, "Continuing #thread", replyTo: own))
            let reblog = try Self.id(try object(
                try await client.json("/api/v1/statuses/\(root)/reblog", method: .post, token: cast.bobToken).json))

            let base = "/api/v1/accounts/\(cast.bob.id)/statuses"
            #expect(ids(try await get(client, base, token: cast.carolToken).json) == [reblog, selfReply, reply, own])
            #expect(ids(try await get(client, base + "?exclude_replies=true", token: cast.carolToken).json) == [reblog, selfReply, own])
            #expect(ids(try await get(client, base + "?exclude_reblogs=1", token: cast.carolToken).json) == [selfReply, reply, own])
            #expect(ids(try await get(client, base + "?tagged=thread", token: cast.carolToken).json) == [selfReply])
            let pinned = try await get(client, base + "?pinned=true", token: cast.carolToken)
            #expect(pinned.status == .ok)
            #expect(ids(pinned.json).isEmpty)
            #expect(try await get(client, "/api/v1/accounts/987654321/statuses", token: cast.carolToken).status == .notFound)
            try await harness.pollen.setSuspended(true, memberID: cast.bob.id, by: .system)
            #expect(try await get(client, base, token: cast.carolToken).status == .notFound)
        }
    }

    @Test func listsPageWithTheLinkHeader() async throws {
        try await WebHarness.run { harness, client in
            let cast = try await Self.cast(harness, client)
            var posted: [String] = []
            for index in 1...5 {
                let post = try await harness.pollen.publishPost(PostDraft(body: "Note \(index)"), by: .member(cast.alice))
                posted.insert(post.id.description, at: 0)
                _ = try await harness.pollen.setBookmark(true, post.id, by: .member(cast.bob))
            }
            for base in ["/api/v1/timelines/home", "/api/v1/accounts/\(cast.alice.id)/statuses", "/api/v1/timelines/public"] {
                var seen: [String] = []
                var path: String? = base + "?limit=2"
                var pages = 0
                while let next = path {
                    let page = try await get(client, next, token: cast.aliceToken)
                    #expect(page.status == .ok)
                    #expect(ids(page.json).count <= 2)
                    seen += ids(page.json)
                    pages += 1
                    #expect(links(page.headers)["prev"] != nil || ids(page.json).isEmpty)
                    path = links(page.headers)["next"]
                    #expect(path.map { $0.hasPrefix(base + "?") } ?? true)
                    if pages > 5 { break }
                }
                #expect(seen == posted, "\(base)")
                #expect(pages == 3, "\(base)")
            }

            // min_id reads upwards from a cursor, since_id takes the newest above it.
            let home = "/api/v1/timelines/home"
            #expect(ids(try await get(client, home + "?min_id=\(posted[4])&limit=2", token: cast.aliceToken).json) == [posted[2], posted[3]])
            #expect(ids(try await get(client, home + "?since_id=\(posted[4])&limit=2", token: cast.aliceToken).json) == [posted[0], posted[1]])
            #expect(ids(try await get(client, home + "?max_id=\(posted[1])&since_id=\(posted[4])", token: cast.aliceToken).json)
                == [posted[2], posted[3]])

            // Bookmarks page by when they were made.
            let first = try await get(client, "/api/v1/bookmarks?limit=2", token: cast.bobToken)
            #expect(ids(first.json) == Array(posted.prefix(2)))
            let second = try await get(client, try #require(links(first.headers)["next"]), token: cast.bobToken)
            #expect(ids(second.json) == Array(posted[2..<4]))
        }
    }

    @Test func pagesHoldTwentyByDefaultAndFortyAtMost() async throws {
        try await WebHarness.run { harness, client in
            let cast = try await Self.cast(harness, client)
            for index in 1...41 {
                try await harness.pollen.publishPost(PostDraft(body: "Note \(index)"), by: .member(cast.alice))
            }
            #expect(ids(try await get(client, "/api/v1/timelines/public", token: cast.bobToken).json).count == 20)
            #expect(ids(try await get(client, "/api/v1/timelines/public?limit=100", token: cast.bobToken).json).count == 40)
            #expect(ids(try await get(client, "/api/v1/timelines/public?limit=0", token: cast.bobToken).json).count == 1)
        }
    }

    // MARK: - Authorization

    @Test func withoutATokenIsUnauthorized() async throws {
        try await WebHarness.run { harness, client in
            let cast = try await Self.cast(harness, client)
            let id = try Self.id(try await Self.publish(client, cast.aliceToken, "Hello"))
            let requests: [(String, HTTPRequest.Method)] = [
                ("/api/v1/statuses", .post), ("/api/v1/statuses/\(id)", .get), ("/api/v1/statuses/\(id)", .put),
                ("/api/v1/statuses/\(id)", .delete), ("/api/v1/statuses/\(id)/source", .get),
                ("/api/v1/statuses/\(id)/history", .get), ("/api/v1/statuses/\(id)/context", .get),
                ("/api/v1/statuses/\(id)/reblog", .post), ("/api/v1/statuses/\(id)/unreblog", .post),
                ("/api/v1/statuses/\(id)/favourite", .post), ("/api/v1/statuses/\(id)/unfavourite", .post),
                ("/api/v1/statuses/\(id)/bookmark", .post), ("/api/v1/statuses/\(id)/unbookmark", .post),
                ("/api/v1/timelines/home", .get), ("/api/v1/timelines/public", .get), ("/api/v1/timelines/tag/swift", .get),
                ("/api/v1/accounts/\(cast.alice.id)/statuses", .get), ("/api/v1/bookmarks", .get), ("/api/v1/favourites", .get),
            ]
            for (path, method) in requests {
                let missing = try await client.json(path, method: method, form: ["status": "Sneaky"])
                #expect(missing.status == .unauthorized, "\(method) \(path)")
                #expect(try object(missing.json)["error"] is String, "\(path)")
                let invalid = try await client.json(path, method: method, token: "not-a-token")
                #expect(invalid.status == .unauthorized, "\(method) \(path)")
            }
            let status = try object(try await client.json("/api/v1/statuses/\(id)", token: cast.aliceToken).json)
            #expect((status["content"] as? String)?.contains("Hello") == true)
            #expect(ids(try await get(client, "/api/v1/timelines/public", token: cast.aliceToken).json) == [id])
        }
    }

    @Test func tokensNeedTheMatchingScopes() async throws {
        try await WebHarness.run { harness, client in
            let cast = try await Self.cast(harness, client)
            let id = try Self.id(try await Self.publish(client, cast.aliceToken, "Scoped"))
            let app = try await client.registerApp(scopes: "read write")

            let reader = try await client.passwordToken(app, login: "bob", scope: "read")
            #expect(try await client.json("/api/v1/statuses/\(id)", token: reader).status == .ok)
            #expect(try await get(client, "/api/v1/bookmarks", token: reader).status == .ok)
            let refused = try await client.json("/api/v1/statuses", method: .post, token: reader, form: ["status": "No"])
            #expect(refused.status == .forbidden)
            #expect((try object(refused.json)["error"] as? String)?.contains("write:statuses") == true)

            let favouriter = try await client.passwordToken(app, login: "bob", scope: "write:favourites")
            #expect(try await client.json("/api/v1/statuses/\(id)/favourite", method: .post, token: favouriter).status == .ok)
            #expect(try await client.json("/api/v1/statuses/\(id)/bookmark", method: .post, token: favouriter).status == .forbidden)
            #expect(try await client.json("/api/v1/statuses/\(id)/reblog", method: .post, token: favouriter).status == .forbidden)
            #expect(try await client.json("/api/v1/statuses/\(id)", token: favouriter).status == .forbidden)

            let bookmarkReader = try await client.passwordToken(app, login: "bob", scope: "read:bookmarks write:bookmarks")
            #expect(try await client.json("/api/v1/statuses/\(id)/bookmark", method: .post, token: bookmarkReader).status == .ok)
            #expect(ids(try await get(client, "/api/v1/bookmarks", token: bookmarkReader).json) == [id])
            #expect(try await get(client, "/api/v1/favourites", token: bookmarkReader).status == .forbidden)
            #expect(try await get(client, "/api/v1/timelines/home", token: bookmarkReader).status == .forbidden)

            let writer = try await client.passwordToken(app, login: "bob", scope: "write:statuses read:statuses")
            #expect(try await client.json("/api/v1/statuses", method: .post, token: writer, form: ["status": "Yes"]).status == .ok)
            #expect(try await get(client, "/api/v1/timelines/home", token: writer).status == .ok)
            let counts = try object(try await client.json("/api/v1/statuses/\(id)", token: cast.aliceToken).json)
            #expect(counts["favourites_count"] as? Int == 1)
        }
    }
}
