import Foundation
import Hummingbird
import HummingbirdTesting
import PollenCore
import Testing

private func usernames(_ json: Any?) -> [String] {
    (json as? [[String: Any]] ?? []).compactMap { $0["username"] as? String }
}

@Suite struct MastodonNetworkAPITests {
    /// Alice with a token of every scope, and Bob.
    private static func aliceAndBob(_ harness: WebHarness, _ client: any TestClientProtocol) async throws
        -> (token: String, alice: Member, bob: Member)
    {
        let alice = try await harness.addMember("alice", name: "Alice Archer")
        let bob = try await harness.addMember("bob", name: "Bob Baker")
        return (try await client.memberToken("alice"), alice, bob)
    }

    // MARK: - Follow and unfollow

    @Test func followAndUnfollowAnswerTheRelationshipAndAreIdempotent() async throws {
        try await WebHarness.run { harness, client in
            let (token, alice, bob) = try await Self.aliceAndBob(harness, client)
            try await harness.pollen.followMember(alice.id, by: .member(bob))

            for _ in 0..<2 {
                let response = try await client.json("/api/v1/accounts/\(bob.id)/follow", method: .post, token: token)
                #expect(response.status == .ok, "\(response.raw)")
                let relationship = try object(response.json)
                #expect(relationship["id"] as? String == bob.id.description)
                #expect(relationship["following"] as? Bool == true)
                #expect(relationship["showing_reblogs"] as? Bool == true)
                #expect(relationship["followed_by"] as? Bool == true)
                for key in [
                    "blocking", "blocked_by", "muting", "muting_notifications", "requested", "requested_by",
                    "domain_blocking", "endorsed", "notifying",
                ] {
                    #expect(relationship[key] as? Bool == false, "\(key)")
                }
                #expect(relationship["note"] as? String == "")
            }
            #expect(try await harness.counts(bob) == NetworkCounts(followers: 1, following: 1))

            for _ in 0..<2 {
                let response = try await client.json("/api/v1/accounts/\(bob.id)/unfollow", method: .post, token: token)
                #expect(response.status == .ok, "\(response.raw)")
                let relationship = try object(response.json)
                #expect(relationship["id"] as? String == bob.id.description)
                #expect(relationship["following"] as? Bool == false)
                #expect(relationship["followed_by"] as? Bool == true)
            }
            #expect(try await harness.relationship(alice, bob) == Relationship(target: bob.id, followedBy: true))
        }
    }

    @Test func followingYourselfIsRefused() async throws {
        try await WebHarness.run { harness, client in
            let (token, alice, _) = try await Self.aliceAndBob(harness, client)
            let response = try await client.json("/api/v1/accounts/\(alice.id)/follow", method: .post, token: token)
            #expect(response.status == .unprocessableContent)
            #expect(try object(response.json)["error"] as? String == "You cannot follow yourself.")
            #expect(try await harness.counts(alice) == NetworkCounts())
        }
    }

    @Test func unknownOrSuspendedAccountsAreNotFound() async throws {
        try await WebHarness.run { harness, client in
            let (token, alice, bob) = try await Self.aliceAndBob(harness, client)
            try await harness.pollen.setSuspended(true, memberID: bob.id, by: .system)
            for path in [
                "/api/v1/accounts/987654321/follow", "/api/v1/accounts/abc/follow", "/api/v1/accounts/\(bob.id)/follow",
                "/api/v1/accounts/\(bob.id)/mute", "/api/v1/accounts/\(bob.id)/block",
            ] {
                let response = try await client.json(path, method: .post, token: token)
                #expect(response.status == .notFound, "\(path)")
                #expect((try object(response.json)["error"] as? String)?.hasSuffix("not found.") == true, "\(path)")
            }
            #expect(try await get(client, "/api/v1/accounts/987654321/followers", token: token).status == .notFound)
            #expect(try await harness.relationship(alice, bob) == Relationship(target: bob.id))
        }
    }

    @Test func withoutATokenIsUnauthorized() async throws {
        try await WebHarness.run { harness, client in
            let (_, alice, bob) = try await Self.aliceAndBob(harness, client)
            for (path, method) in [
                ("/api/v1/accounts/\(bob.id)/follow", HTTPRequest.Method.post),
                ("/api/v1/accounts/\(bob.id)/block", .post),
                ("/api/v1/accounts/relationships?id[]=\(bob.id)", .get),
                ("/api/v1/accounts/\(bob.id)/followers", .get),
                ("/api/v1/followed_tags", .get),
                ("/api/v1/tags/swift/follow", .post),
            ] {
                let missing = try await client.json(path, method: method)
                #expect(missing.status == .unauthorized, "\(path)")
                #expect(try object(missing.json)["error"] is String, "\(path)")
                let invalid = try await client.json(path, method: method, token: "not-a-token")
                #expect(invalid.status == .unauthorized, "\(path)")
            }
            #expect(try await harness.relationship(alice, bob) == Relationship(target: bob.id))
        }
    }

    @Test func tokensWithoutTheScopesAreForbidden() async throws {
        try await WebHarness.run { harness, client in
            let (_, alice, bob) = try await Self.aliceAndBob(harness, client)
            let readOnly = try await client.memberToken("alice", scope: "read")
            for path in [
                "/api/v1/accounts/\(bob.id)/follow", "/api/v1/accounts/\(bob.id)/unfollow",
                "/api/v1/accounts/\(bob.id)/mute", "/api/v1/accounts/\(bob.id)/block",
                "/api/v1/tags/swift/follow", "/api/v1/tags/swift/unfollow",
            ] {
                let response = try await client.json(path, method: .post, token: readOnly)
                #expect(response.status == .forbidden, "\(path)")
                #expect((try object(response.json)["error"] as? String)?.contains("outside the granted scopes") == true)
            }
            #expect(try await harness.relationship(alice, bob) == Relationship(target: bob.id))
            #expect(try await harness.isFollowingTag(alice, "swift") == false)

            // Reading still works with `read`.
            #expect(try await get(client, "/api/v1/accounts/relationships?id[]=\(bob.id)", token: readOnly).status == .ok)

            // The `follow` scope or the granular `write:follows` is enough to follow, but not to block.
            let app = try await client.registerApp(scopes: "read write follow")
            let followScope = try await client.passwordToken(app, login: "alice", scope: "follow")
            let followed = try await client.json("/api/v1/accounts/\(bob.id)/follow", method: .post, token: followScope)
            #expect(followed.status == .ok, "\(followed.raw)")
            let granular = try await client.passwordToken(app, login: "alice", scope: "write:follows")
            let unfollowed = try await client.json("/api/v1/accounts/\(bob.id)/unfollow", method: .post, token: granular)
            #expect(unfollowed.status == .ok, "\(unfollowed.raw)")
            let blocked = try await client.json("/api/v1/accounts/\(bob.id)/block", method: .post, token: granular)
            #expect(blocked.status == .forbidden)
            #expect(try await harness.relationship(alice, bob) == Relationship(target: bob.id))
        }
    }

    // MARK: - Mutes and blocks

    @Test func muteAndUnmute() async throws {
        try await WebHarness.run { harness, client in
            let (token, alice, bob) = try await Self.aliceAndBob(harness, client)
            for _ in 0..<2 {
                let muted = try await client.json("/api/v1/accounts/\(bob.id)/mute", method: .post, token: token)
                #expect(muted.status == .ok)
                #expect(try object(muted.json)["muting"] as? Bool == true)
                #expect(try object(muted.json)["muting_notifications"] as? Bool == true)
            }
            #expect(try await harness.relationship(alice, bob) == Relationship(target: bob.id, muting: true))
            let unmuted = try await client.json("/api/v1/accounts/\(bob.id)/unmute", method: .post, token: token)
            #expect(try object(unmuted.json)["muting"] as? Bool == false)
            #expect(try await harness.relationship(alice, bob) == Relationship(target: bob.id))
        }
    }

    @Test func blockEndsFollowsAndStopsFollowing() async throws {
        try await WebHarness.run { harness, client in
            let (token, alice, bob) = try await Self.aliceAndBob(harness, client)
            let bobsToken = try await client.memberToken("bob")
            #expect(try await client.json("/api/v1/accounts/\(bob.id)/follow", method: .post, token: token).status == .ok)
            #expect(try await client.json("/api/v1/accounts/\(alice.id)/follow", method: .post, token: bobsToken).status == .ok)

            let blocked = try await client.json("/api/v1/accounts/\(bob.id)/block", method: .post, token: token)
            #expect(blocked.status == .ok)
            let relationship = try object(blocked.json)
            #expect(relationship["blocking"] as? Bool == true)
            #expect(relationship["following"] as? Bool == false)
            #expect(relationship["followed_by"] as? Bool == false)
            #expect(try await harness.counts(alice) == NetworkCounts())

            let bobFollows = try await client.json("/api/v1/accounts/\(alice.id)/follow", method: .post, token: bobsToken)
            #expect(bobFollows.status == .forbidden)
            #expect(try object(bobFollows.json)["error"] as? String == "You cannot follow @alice.")
            let aliceFollows = try await client.json("/api/v1/accounts/\(bob.id)/follow", method: .post, token: token)
            #expect(aliceFollows.status == .forbidden)
            let seenByBob = try await get(client, "/api/v1/accounts/relationships?id[]=\(alice.id)", token: bobsToken)
            #expect((seenByBob.json as? [[String: Any]])?.first?["blocked_by"] as? Bool == true)
            #expect(try await harness.counts(bob) == NetworkCounts())

            let unblocked = try await client.json("/api/v1/accounts/\(bob.id)/unblock", method: .post, token: token)
            #expect(try object(unblocked.json)["blocking"] as? Bool == false)
            #expect(try await client.json("/api/v1/accounts/\(alice.id)/follow", method: .post, token: bobsToken).status == .ok)
        }
    }

    // MARK: - Relationships

    @Test func relationshipsForSeveralAccounts() async throws {
        try await WebHarness.run { harness, client in
            let (token, alice, bob) = try await Self.aliceAndBob(harness, client)
            let carol = try await harness.addMember("carol")
            let dave = try await harness.addMember("dave")
            let erin = try await harness.addMember("erin")
            try await harness.pollen.followMember(bob.id, by: .member(alice))
            try await harness.pollen.followMember(alice.id, by: .member(carol))
            try await harness.pollen.setMuted(true, carol.id, by: .member(alice))
            try await harness.pollen.setBlocked(true, alice.id, by: .member(dave))

            let ids = [bob, carol, dave, erin].map(\.id.description)
            let response = try await get(
                client, "/api/v1/accounts/relationships?" + ids.map { "id[]=\($0)" }.joined(separator: "&"), token: token)
            #expect(response.status == .ok)
            let list = try #require(response.json as? [[String: Any]])
            #expect(list.compactMap { $0["id"] as? String } == ids)
            func flags(_ entry: [String: Any]) -> [String] {
                ["following", "followed_by", "muting", "blocking", "blocked_by"].filter { entry[$0] as? Bool == true }
            }
            #expect(list.map(flags) == [["following"], ["followed_by", "muting"], ["blocked_by"], []])

            // Brackets percent-encoded, a plain repeated `id`, and a repeated id answered once.
            let encoded = try await get(
                client, "/api/v1/accounts/relationships?id%5B%5D=\(bob.id)&id%5B%5D=\(carol.id)", token: token)
            #expect((encoded.json as? [[String: Any]])?.compactMap { $0["id"] as? String } == [bob, carol].map(\.id.description))
            let plain = try await get(
                client, "/api/v1/accounts/relationships?id=\(erin.id)&id=\(bob.id)&id=\(erin.id)", token: token)
            #expect((plain.json as? [[String: Any]])?.compactMap { $0["id"] as? String } == [erin, bob].map(\.id.description))
            let none = try await get(client, "/api/v1/accounts/relationships", token: token)
            #expect(none.status == .ok)
            #expect((none.json as? [Any])?.isEmpty == true)
        }
    }

    // MARK: - Followers and following

    @Test func followersPageWithTheLinkHeader() async throws {
        try await WebHarness.run { harness, client in
            let (token, alice, bob) = try await Self.aliceAndBob(harness, client)
            var fans: [String] = []
            for index in 1...5 {
                let fan = try await harness.addMember("fan\(index)")
                try await harness.pollen.followMember(bob.id, by: .member(fan))
                fans.append(fan.handle)
            }
            let base = "/api/v1/accounts/\(bob.id)/followers"
            let first = try await get(client, base + "?limit=2", token: token)
            #expect(first.status == .ok)
            #expect(usernames(first.json) == ["fan5", "fan4"])
            let firstLinks = links(first.headers)
            let next = try #require(firstLinks["next"])
            #expect(next.hasPrefix(base + "?"))
            #expect(parameter("limit", in: next) == "2")
            #expect(firstLinks["prev"] != nil)

            let second = try await get(client, next, token: token)
            #expect(usernames(second.json) == ["fan3", "fan2"])
            let third = try await get(client, try #require(links(second.headers)["next"]), token: token)
            #expect(usernames(third.json) == ["fan1"])
            #expect(links(third.headers)["next"] == nil, "the last page has no next page")

            // `prev` from the last page goes back up with min_id: the two just newer than fan1.
            let prev = try #require(links(third.headers)["prev"])
            let minID = try #require(parameter("min_id", in: prev))
            #expect(usernames(try await get(client, prev, token: token).json) == ["fan3", "fan2"])
            #expect(usernames(try await get(client, base + "?min_id=\(minID)&limit=1", token: token).json) == ["fan2"])
            // since_id gives the newest ones above the cursor instead.
            #expect(usernames(try await get(client, base + "?since_id=\(minID)&limit=2", token: token).json) == ["fan5", "fan4"])
            #expect(usernames(try await get(client, base + "?since_id=\(minID)", token: token).json) == ["fan5", "fan4", "fan3", "fan2"])
            let maxID = try #require(parameter("max_id", in: next))
            #expect(usernames(try await get(client, base + "?max_id=\(maxID)&since_id=\(minID)", token: token).json) == ["fan3", "fan2"])

            // Each account carries its counts.
            let fan5 = try #require((first.json as? [[String: Any]])?.first)
            #expect(fan5["followers_count"] as? Int == 0)
            #expect(fan5["following_count"] as? Int == 1)
            #expect(try await harness.counts(alice) == NetworkCounts())
        }
    }

    @Test func suspendedFollowersAreLeftOutWithoutShorteningPages() async throws {
        try await WebHarness.run { harness, client in
            let (token, _, bob) = try await Self.aliceAndBob(harness, client)
            var fans: [Member] = []
            for index in 1...5 {
                let fan = try await harness.addMember("fan\(index)")
                try await harness.pollen.followMember(bob.id, by: .member(fan))
                fans.append(fan)
            }
            try await harness.pollen.setSuspended(true, memberID: fans[3].id, by: .system)
            let base = "/api/v1/accounts/\(bob.id)/followers"
            let first = try await get(client, base + "?limit=2", token: token)
            #expect(usernames(first.json) == ["fan5", "fan3"])
            let second = try await get(client, try #require(links(first.headers)["next"]), token: token)
            #expect(usernames(second.json) == ["fan2", "fan1"])

            // Reading upwards from fan2 steps over the suspended fan4 as well.
            let cursors = try await harness.store.read {
                try await $0.network.followers(of: bob.id, range: CursorRange())
            }
            let fan2 = try #require(cursors.first { $0.member.id == fans[1].id }?.cursor)
            #expect(usernames(try await get(client, base + "?min_id=\(fan2)&limit=2", token: token).json) == ["fan5", "fan3"])
            #expect(usernames(try await get(client, base + "?min_id=\(fan2)&limit=1", token: token).json) == ["fan3"])
        }
    }

    @Test func followingListsWhomAMemberFollows() async throws {
        try await WebHarness.run { harness, client in
            let (token, alice, bob) = try await Self.aliceAndBob(harness, client)
            let carol = try await harness.addMember("carol")
            let dave = try await harness.addMember("dave")
            for target in [bob, carol, dave] {
                #expect(try await client.json("/api/v1/accounts/\(target.id)/follow", method: .post, token: token).status == .ok)
            }
            try await harness.pollen.followMember(bob.id, by: .member(carol))
            let base = "/api/v1/accounts/\(alice.id)/following"
            let all = try await get(client, base, token: token)
            #expect(usernames(all.json) == ["dave", "carol", "bob"])
            #expect(links(all.headers)["next"] == nil)
            let bobEntry = try #require((all.json as? [[String: Any]])?.last)
            #expect(bobEntry["followers_count"] as? Int == 2)
            let page = try await get(client, base + "?limit=2", token: token)
            #expect(usernames(page.json) == ["dave", "carol"])
            #expect(usernames(try await get(client, try #require(links(page.headers)["next"]), token: token).json) == ["bob"])
            // Limits beyond the maximum are capped rather than refused.
            #expect(try await get(client, base + "?limit=500", token: token).status == .ok)
            #expect(usernames(try await get(client, "/api/v1/accounts/\(dave.id)/following", token: token).json).isEmpty)
        }
    }

    @Test func accountEntitiesCarryTheCounts() async throws {
        try await WebHarness.run { harness, client in
            let (token, alice, bob) = try await Self.aliceAndBob(harness, client)
            let carol = try await harness.addMember("carol")
            try await harness.pollen.followMember(bob.id, by: .member(alice))
            try await harness.pollen.followMember(bob.id, by: .member(carol))
            try await harness.pollen.followMember(carol.id, by: .member(bob))

            let account = try object(try await client.json("/api/v1/accounts/\(bob.id)", token: token).json)
            #expect(account["followers_count"] as? Int == 2)
            #expect(account["following_count"] as? Int == 1)
            let lookedUp = try object(try await client.json("/api/v1/accounts/lookup?acct=bob", token: token).json)
            #expect(lookedUp["followers_count"] as? Int == 2)
            let me = try object(try await client.json("/api/v1/accounts/verify_credentials", token: token).json)
            #expect(me["followers_count"] as? Int == 0)
            #expect(me["following_count"] as? Int == 1)
            let updated = try await client.json(
                "/api/v1/accounts/update_credentials", method: .patch, token: token, form: ["note": "Hello"])
            #expect(try object(updated.json)["following_count"] as? Int == 1)
        }
    }

    // MARK: - Hashtags

    @Test func tagFollowAndUnfollowAreIdempotent() async throws {
        try await WebHarness.run { harness, client in
            let (token, alice, _) = try await Self.aliceAndBob(harness, client)
            let before = try object(try await client.json("/api/v1/tags/swift", token: token).json)
            #expect(before["name"] as? String == "swift")
            #expect(before["following"] as? Bool == false)
            #expect((before["url"] as? String)?.hasSuffix("/tags/swift") == true)
            #expect((before["history"] as? [Any]) != nil)

            for _ in 0..<2 {
                let followed = try await client.json("/api/v1/tags/Swift/follow", method: .post, token: token)
                #expect(followed.status == .ok, "\(followed.raw)")
                #expect(try object(followed.json)["name"] as? String == "swift")
                #expect(try object(followed.json)["following"] as? Bool == true)
            }
            #expect(try await harness.isFollowingTag(alice, "swift"))
            #expect(try object(try await client.json("/api/v1/tags/swift", token: token).json)["following"] as? Bool == true)

            for _ in 0..<2 {
                let unfollowed = try await client.json("/api/v1/tags/swift/unfollow", method: .post, token: token)
                #expect(unfollowed.status == .ok)
                #expect(try object(unfollowed.json)["following"] as? Bool == false)
            }
            #expect(try await harness.isFollowingTag(alice, "swift") == false)

            let invalid = try await client.json("/api/v1/tags/c++/follow", method: .post, token: token)
            #expect(invalid.status == .unprocessableContent)
            #expect(try object(invalid.json)["error"] is String)
            #expect(try await client.json("/api/v1/tags/c++", token: token).status == .unprocessableContent)

            // Names arrive percent-encoded, with or without the `#`.
            let spaced = try await client.json("/api/v1/tags/%23Supply%20Chain/follow", method: .post, token: token)
            #expect(spaced.status == .ok, "\(spaced.raw)")
            #expect(try object(spaced.json)["name"] as? String == "supply-chain")
            let accented = try await client.json("/api/v1/tags/caf%C3%A9", token: token)
            #expect(accented.status == .ok, "\(accented.raw)")
            #expect(try object(accented.json)["name"] as? String == "café")
            #expect(try await harness.isFollowingTag(alice, "supply-chain"))

            // An app token reads a hashtag but has no one to follow it for.
            let app = try await client.registerApp(scopes: "read")
            let appToken = try object(try await client.json(
                "/oauth/token", method: .post,
                form: ["grant_type": "client_credentials", "client_id": app.clientID, "client_secret": app.clientSecret]
            ).json)["access_token"] as? String
            let asApp = try await client.json("/api/v1/tags/swift", token: try #require(appToken))
            #expect(asApp.status == .ok)
            #expect(try object(asApp.json)["following"] == nil)
        }
    }

    @Test func followedTagsListAndPage() async throws {
        try await WebHarness.run { harness, client in
            let (token, _, bob) = try await Self.aliceAndBob(harness, client)
            for tag in ["analytics", "baking", "chemistry"] {
                #expect(try await client.json("/api/v1/tags/\(tag)/follow", method: .post, token: token).status == .ok)
            }
            try await harness.pollen.followTag("gardening", by: .member(bob))

            let all = try await get(client, "/api/v1/followed_tags", token: token)
            #expect(all.status == .ok)
            let tags = try #require(all.json as? [[String: Any]])
            #expect(tags.compactMap { $0["name"] as? String } == ["chemistry", "baking", "analytics"])
            #expect(tags.allSatisfy { $0["following"] as? Bool == true })

            let first = try await get(client, "/api/v1/followed_tags?limit=2", token: token)
            #expect((first.json as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["chemistry", "baking"])
            let next = try #require(links(first.headers)["next"])
            #expect(next.hasPrefix("/api/v1/followed_tags?"))
            let second = try await get(client, next, token: token)
            #expect((second.json as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["analytics"])
            #expect(links(second.headers)["next"] == nil)

            let none = try await get(client, "/api/v1/followed_tags", token: try await client.memberToken("bob"))
            #expect((none.json as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["gardening"])
        }
    }
}
