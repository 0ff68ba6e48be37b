import Foundation
import Hummingbird
import HummingbirdTesting
import PollenCore
import Testing

private func list(_ json: Any?) -> [[String: Any]] {
    json as? [[String: Any]] ?? []
}

private func types(_ json: Any?) -> [String] {
    list(json).compactMap { $0["type"] as? String }
}

private func ids(_ json: Any?) -> [String] {
    list(json).compactMap { $0["id"] as? String }
}

@Suite struct MastodonNotificationAPITests {
    struct Scene {
        let alice: Member
        let bob: Member
        let carol: Member
        /// Alice's post that Bob favourites and reshares and Carol answers.
        let post: Post
        /// Bob's post mentioning Alice.
        let mention: Post
        let reply: Post
        /// Alice's token with every scope.
        let token: String
    }

    /// Alice is told, oldest first: Bob follows her, mentions her, favourites and reshares her post, and
    /// Carol replies to it. Bob is told of nothing but Carol's follow.
    private static func scene(_ harness: WebHarness, _ client: any TestClientProtocol) async throws -> Scene {
        let alice = try await harness.addMember("alice", name: "Alice Archer")
        let bob = try await harness.addMember("bob", name: "Bob Baker")
        let carol = try await harness.addMember("carol", name: "Carol Cole")
        let post = try await harness.publish("Notes on pollination", by: alice)
        try await harness.pollen.followMember(alice.id, by: .member(bob))
        let mention = try await harness.publish("Read the notes by @alice today", by: bob)
        _ = try await harness.pollen.setFavourite(true, post.id, by: .member(bob))
        _ = try await harness.pollen.resharePost(post.id, by: .member(bob))
        let reply = try await harness.publish("Very clear, thank you", by: carol, replyTo: post)
        try await harness.pollen.followMember(bob.id, by: .member(carol))
        return Scene(
            alice: alice, bob: bob, carol: carol, post: post, mention: mention, reply: reply,
            token: try await client.memberToken("alice"))
    }

    // MARK: - Listing

    @Test func theListHasMastodonsShapeNewestFirst() async throws {
        try await WebHarness.run { harness, client in
            let scene = try await Self.scene(harness, client)
            let response = try await client.json("/api/v1/notifications", token: scene.token)
            #expect(response.status == .ok, "\(response.raw)")
            // A reply is a mention to Mastodon, a reshare a reblog.
            #expect(types(response.json) == ["mention", "reblog", "favourite", "mention", "follow"])
            let stored = try await harness.notificationsOf(scene.alice)
            #expect(ids(response.json) == stored.map(\.id.description))

            let items = list(response.json)
            let expectedAccounts = ["carol", "bob", "bob", "bob", "bob"]
            let expectedStatuses: [String?] = [
                scene.reply.id.description, scene.post.id.description, scene.post.id.description,
                scene.mention.id.description, nil,
            ]
            for (index, item) in items.enumerated() {
                let account = try object(item["account"])
                #expect(account["acct"] as? String == expectedAccounts[index])
                #expect(account["id"] as? String != nil)
                let created = try #require(item["created_at"] as? String)
                let parser = ISO8601DateFormatter()
                parser.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
                let parsed = try #require(parser.date(from: created), "\(created)")
                #expect(abs(parsed.timeIntervalSince(stored[index].createdAt)) < 0.001)
                let status = item["status"] as? [String: Any]
                #expect(status?["id"] as? String == expectedStatuses[index], "\(index)")
            }
            // The mention carries its post's text and author.
            let mention = try object(items[3]["status"])
            #expect((mention["content"] as? String)?.contains("notes") == true)
            #expect(try object(mention["account"])["acct"] as? String == "bob")
            // Listing through the API reads nothing.
            #expect(try await harness.unreadNotificationsOf(scene.alice) == 5)
        }
    }

    @Test func typesAndExcludeTypesFilter() async throws {
        try await WebHarness.run { harness, client in
            let scene = try await Self.scene(harness, client)
            func listed(_ query: String) async throws -> [String] {
                let response = try await client.json("/api/v1/notifications?\(query)", token: scene.token)
                #expect(response.status == .ok, "\(response.raw)")
                return types(response.json)
            }
            #expect(try await listed("types[]=mention") == ["mention", "mention"])
            #expect(try await listed("types[]=follow&types[]=favourite") == ["favourite", "follow"])
            #expect(try await listed("types=reblog") == ["reblog"])
            #expect(try await listed("exclude_types[]=mention&exclude_types[]=follow") == ["reblog", "favourite"])
            #expect(try await listed("types[]=mention&types[]=reblog&exclude_types[]=mention") == ["reblog"])
            // Kinds Pollen does not have match nothing; unknown exclusions change nothing.
            #expect(try await listed("types[]=poll").isEmpty)
            #expect(try await listed("exclude_types[]=poll").count == 5)
        }
    }

    @Test func pagesFollowTheLinkHeader() async throws {
        try await WebHarness.run { harness, client in
            let scene = try await Self.scene(harness, client)
            let all = try await harness.notificationsOf(scene.alice).map(\.id.description)
            var seen: [String] = []
            var pages = 0
            var path: String? = "/api/v1/notifications?limit=2"
            var secondPage: (json: Any?, headers: HTTPFields)? = nil
            while let next = path, pages < 10 {
                let response = try await get(client, next, token: scene.token)
                #expect(response.status == .ok)
                #expect(ids(response.json).count <= 2)
                seen += ids(response.json)
                pages += 1
                if pages == 2 { secondPage = (response.json, response.headers) }
                path = links(response.headers)["next"]
            }
            #expect(seen == all)
            #expect(pages == 3)

            // The previous page of the second is the first.
            let page = try #require(secondPage)
            let prev = try #require(links(page.headers)["prev"])
            #expect(prev.contains("min_id=\(ids(page.json).first ?? "")"))
            let back = try await get(client, prev, token: scene.token)
            #expect(ids(back.json) == Array(all.prefix(2)))

            // Filters carry over to the next page.
            let mentions = try await get(client, "/api/v1/notifications?limit=1&types[]=mention", token: scene.token)
            #expect(types(mentions.json) == ["mention"])
            let nextMentions = try #require(links(mentions.headers)["next"])
            let rest = try await get(client, nextMentions, token: scene.token)
            #expect(ids(rest.json) == [all[3]])

            // max_id and since_id directly.
            #expect(ids(try await client.json("/api/v1/notifications?max_id=\(all[1])", token: scene.token).json) == Array(all[2...]))
            #expect(ids(try await client.json("/api/v1/notifications?since_id=\(all[2])", token: scene.token).json) == Array(all[..<2]))
        }
    }

    // MARK: - One notification

    @Test func oneNotificationOnlyForItsMember() async throws {
        try await WebHarness.run { harness, client in
            let scene = try await Self.scene(harness, client)
            let newest = try #require(try await harness.notificationsOf(scene.alice).first)
            let response = try await client.json("/api/v1/notifications/\(newest.id)", token: scene.token)
            #expect(response.status == .ok, "\(response.raw)")
            let body = try object(response.json)
            #expect(body["id"] as? String == newest.id.description)
            #expect(body["type"] as? String == "mention")
            #expect(try object(body["account"])["acct"] as? String == "carol")
            #expect(try object(body["status"])["id"] as? String == scene.reply.id.description)

            let bobToken = try await client.memberToken("bob")
            #expect(try await client.json("/api/v1/notifications/\(newest.id)", token: bobToken).status == .notFound)
            #expect(try await client.json("/api/v1/notifications/999999", token: scene.token).status == .notFound)
            #expect(try await client.json("/api/v1/notifications/not-an-id", token: scene.token).status == .notFound)
        }
    }

    // MARK: - Dismiss and clear

    @Test func dismissRemovesOneOfOnesOwn() async throws {
        try await WebHarness.run { harness, client in
            let scene = try await Self.scene(harness, client)
            let all = try await harness.notificationsOf(scene.alice)
            let target = all[2]
            let done = try await client.json("/api/v1/notifications/\(target.id)/dismiss", method: .post, token: scene.token)
            #expect(done.status == .ok, "\(done.raw)")
            let listed = try await client.json("/api/v1/notifications", token: scene.token)
            #expect(ids(listed.json) == all.filter { $0.id != target.id }.map(\.id.description))
            let again = try await client.json("/api/v1/notifications/\(target.id)/dismiss", method: .post, token: scene.token)
            #expect(again.status == .notFound)

            // Bob cannot dismiss Alice's.
            let bobToken = try await client.memberToken("bob")
            let other = try await client.json("/api/v1/notifications/\(all[0].id)/dismiss", method: .post, token: bobToken)
            #expect(other.status == .notFound)
            #expect(try await harness.notificationsOf(scene.alice).count == 4)
        }
    }

    @Test func clearRemovesAllOfOnesOwn() async throws {
        try await WebHarness.run { harness, client in
            let scene = try await Self.scene(harness, client)
            let done = try await client.json("/api/v1/notifications/clear", method: .post, token: scene.token)
            #expect(done.status == .ok, "\(done.raw)")
            #expect(list(try await client.json("/api/v1/notifications", token: scene.token).json).isEmpty)
            #expect(try await harness.notificationsOf(scene.alice).isEmpty)
            let count = try await client.json("/api/v1/notifications/unread_count", token: scene.token)
            #expect(try object(count.json)["count"] as? Int == 0)
            #expect(try await harness.notificationsOf(scene.bob).count == 1)
        }
    }

    // MARK: - Unread count and the marker

    @Test func markersMoveTheUnreadCount() async throws {
        try await WebHarness.run { harness, client in
            let scene = try await Self.scene(harness, client)
            let all = try await harness.notificationsOf(scene.alice)
            func unread() async throws -> Int? {
                let response = try await client.json("/api/v1/notifications/unread_count", token: scene.token)
                #expect(response.status == .ok, "\(response.raw)")
                return try object(response.json)["count"] as? Int
            }
            func marker(_ json: Any?) throws -> String? {
                try object(try object(json)["notifications"])["last_read_id"] as? String
            }
            #expect(try await unread() == 5)
            let initial = try await client.json("/api/v1/markers?timeline[]=notifications", token: scene.token)
            #expect(initial.status == .ok, "\(initial.raw)")
            #expect(try marker(initial.json) == "0")

            // As a form field, the way most clients send it.
            let set = try await client.json(
                "/api/v1/markers", method: .post, token: scene.token, form: ["notifications[last_read_id]": all[2].id.description])
            #expect(set.status == .ok, "\(set.raw)")
            #expect(try marker(set.json) == all[2].id.description)
            #expect(try await unread() == 2)
            #expect(try marker(try await client.json("/api/v1/markers", token: scene.token).json) == all[2].id.description)

            // As a nested JSON object, the way Mastodon.py sends it.
            let json = try await client.json(
                "/api/v1/markers", method: .post, token: scene.token,
                body: ["notifications": ["last_read_id": all[0].id.description]])
            #expect(json.status == .ok, "\(json.raw)")
            #expect(try marker(json.json) == all[0].id.description)
            #expect(try await unread() == 0)

            // A new notification is unread again, past the marker.
            try await harness.pollen.unfollowMember(scene.alice.id, by: .member(scene.bob))
            try await harness.pollen.followMember(scene.alice.id, by: .member(scene.bob))
            #expect(try await unread() == 1)
            #expect(try marker(try await client.json("/api/v1/markers", token: scene.token).json) == all[0].id.description)
        }
    }

    // MARK: - Tokens and scopes

    @Test func readOnlyTokensReadButCannotChangeAnything() async throws {
        try await WebHarness.run { harness, client in
            let scene = try await Self.scene(harness, client)
            let reader = try await client.memberToken("alice", scope: "read")
            let first = try #require(try await harness.notificationsOf(scene.alice).first)
            #expect(try await client.json("/api/v1/notifications", token: reader).status == .ok)
            #expect(try await client.json("/api/v1/notifications/\(first.id)", token: reader).status == .ok)
            #expect(try await client.json("/api/v1/notifications/unread_count", token: reader).status == .ok)
            #expect(try await client.json("/api/v1/markers", token: reader).status == .ok)
            #expect(try await client.json("/api/v1/notifications/clear", method: .post, token: reader).status == .forbidden)
            #expect(
                try await client.json("/api/v1/notifications/\(first.id)/dismiss", method: .post, token: reader).status
                    == .forbidden)
            let marker = try await client.json(
                "/api/v1/markers", method: .post, token: reader, form: ["notifications[last_read_id]": first.id.description])
            #expect(marker.status == .forbidden)
            #expect(try await harness.notificationsOf(scene.alice).count == 5)
            #expect(try await harness.unreadNotificationsOf(scene.alice) == 5)

            // Granular scopes: reading notifications is not writing them.
            let granular = try await client.memberToken("alice", scope: "read:notifications")
            #expect(try await client.json("/api/v1/notifications", token: granular).status == .ok)
            #expect(try await client.json("/api/v1/notifications/clear", method: .post, token: granular).status == .forbidden)
            let writer = try await client.memberToken("alice", scope: "write:notifications")
            #expect(try await client.json("/api/v1/notifications", token: writer).status == .forbidden)
            #expect(try await client.json("/api/v1/notifications/clear", method: .post, token: writer).status == .ok)
            #expect(try await harness.notificationsOf(scene.alice).isEmpty)
        }
    }

    @Test func everyEndpointNeedsAToken() async throws {
        try await WebHarness.run { harness, client in
            let scene = try await Self.scene(harness, client)
            let first = try #require(try await harness.notificationsOf(scene.alice).first)
            let calls: [(String, HTTPRequest.Method)] = [
                ("/api/v1/notifications", .get), ("/api/v1/notifications/\(first.id)", .get),
                ("/api/v1/notifications/unread_count", .get), ("/api/v1/notifications/clear", .post),
                ("/api/v1/notifications/\(first.id)/dismiss", .post), ("/api/v1/markers", .get), ("/api/v1/markers", .post),
            ]
            for (path, method) in calls {
                let response = try await client.json(path, method: method)
                #expect(response.status == .unauthorized, "\(method) \(path)")
                #expect(try object(response.json)["error"] as? String != nil, "\(method) \(path)")
            }
            #expect(try await client.json("/api/v1/notifications", token: "not-a-token").status == .unauthorized)
            #expect(try await harness.notificationsOf(scene.alice).count == 5)
        }
    }
}
