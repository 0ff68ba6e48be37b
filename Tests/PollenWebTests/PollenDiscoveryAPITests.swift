import Foundation
import Hummingbird
import HummingbirdTesting
import PollenCore
import Testing

/// Finding people in Pollen's own API: suggestions, bulk follows, networks, subjects, explore, privacy,
/// unfollow review and collections.
@Suite struct PollenDiscoveryAPITests {
    static let prefix = "/api/pollen/v1"

    /// Alice, Bob (Sales), Carol (Finance) and Dave, with a token for each that may read and write.
    struct Cast {
        let alice: Member
        let bob: Member
        let carol: Member
        let dave: Member
        let aliceToken: String
        let bobToken: String
        let carolToken: String
    }

    static func cast(_ harness: WebHarness, _ client: any TestClientProtocol) async throws -> Cast {
        let alice = try await harness.addMember("alice", name: "Alice Adams", department: "Research", subjects: ["forecasting"])
        let bob = try await harness.addMember("bob", name: "Bob Brown", department: "Sales")
        let carol = try await harness.addMember("carol", name: "Carol Cole", department: "Finance")
        let dave = try await harness.addMember("dave", name: "Dave Dunn", department: "Research")
        return Cast(
            alice: alice, bob: bob, carol: carol, dave: dave,
            aliceToken: try await client.memberToken("alice", scope: "read write"),
            bobToken: try await client.memberToken("bob", scope: "read write"),
            carolToken: try await client.memberToken("carol", scope: "read write"))
    }

    static func error(_ response: (status: HTTPResponse.Status, json: Any?, raw: String)) -> String? {
        (response.json as? [String: Any])?["error"] as? String
    }

    static func handles(_ value: Any?) -> [String] {
        (value as? [[String: Any]] ?? []).compactMap { ($0["account"] as? [String: Any] ?? $0)["handle"] as? String }
    }

    // MARK: Suggestions

    @Test func suggestionsGiveReasonsInWordsAndFigures() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            try await harness.pollen.followMember(c.bob.id, by: .member(c.alice))
            try await harness.pollen.followMember(c.carol.id, by: .member(c.bob))
            let response = try await client.json("\(Self.prefix)/suggestions?limit=5", token: c.aliceToken)
            #expect(response.status == .ok, "\(response.raw)")
            let list = try #require(try object(response.json)["suggestions"] as? [[String: Any]])
            #expect(!Self.handles(list).contains("alice") && !Self.handles(list).contains("bob"))
            let carol = try #require(list.first { ($0["account"] as? [String: Any])?["handle"] as? String == "carol" })
            #expect(carol["widens_network"] is Bool)
            #expect((carol["account"] as? [String: Any])?["email"] == nil)
            let reasons = try #require(carol["reasons"] as? [[String: Any]])
            let shared = try #require(reasons.first { $0["kind"] as? String == "followed_by_people_you_follow" })
            #expect(shared["count"] as? Int == 1)
            #expect(shared["examples"] as? [String] == ["bob"])
            #expect(shared["text"] as? String == "Followed by Bob Brown, whom you follow")
            #expect(shared["tag"] == nil && shared["department"] == nil)
            let bridge = try #require(reasons.first { $0["kind"] as? String == "bridge_to" })
            #expect(bridge["department"] as? String == "Finance")
            #expect(bridge["text"] as? String == "A bridge to Finance")
        }
    }

    @Test func suggestionsNeedAMemberTokenWithReadScope() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("alice")
            let missing = try await client.json("\(Self.prefix)/suggestions")
            #expect(missing.status == .unauthorized)
            #expect(Self.error(missing) == "The access token is missing.")
            let writeOnly = try await client.memberToken("alice", scope: "write")
            let wrongScope = try await client.json("\(Self.prefix)/suggestions", token: writeOnly)
            #expect(wrongScope.status == .forbidden)
            #expect(Self.error(wrongScope)?.contains("read:accounts") == true)
        }
    }

    @Test func dismissingHidesASuggestionForGood() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            let before = try await client.json("\(Self.prefix)/suggestions", token: c.aliceToken)
            #expect(Self.handles(try object(before.json)["suggestions"]).contains("carol"))
            let dismissed = try await client.json("\(Self.prefix)/suggestions/\(c.carol.id)", method: .delete, token: c.aliceToken)
            #expect(dismissed.status == .noContent)
            #expect(dismissed.raw.isEmpty)
            let after = try await client.json("\(Self.prefix)/suggestions", token: c.aliceToken)
            #expect(!Self.handles(try object(after.json)["suggestions"]).contains("carol"))

            let unknown = try await client.json("\(Self.prefix)/suggestions/12345", method: .delete, token: c.aliceToken)
            #expect(unknown.status == .notFound)
            let malformed = try await client.json("\(Self.prefix)/suggestions/abc", method: .delete, token: c.aliceToken)
            #expect(malformed.status == .notFound)
            let readOnly = try await client.memberToken("alice", scope: "read")
            let wrongScope = try await client.json("\(Self.prefix)/suggestions/\(c.dave.id)", method: .delete, token: readOnly)
            #expect(wrongScope.status == .forbidden)
        }
    }

    // MARK: Bulk follows

    @Test func followingAndUnfollowingManyAtOnce() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            let followed = try await client.json(
                "\(Self.prefix)/follows", method: .post, token: c.aliceToken,
                body: ["account_ids": [c.bob.id.description, c.carol.id.description, c.alice.id.description, "999"]])
            #expect(followed.status == .ok, "\(followed.raw)")
            let body = try object(followed.json)
            #expect(Set((body["followed"] as? [[String: Any]] ?? []).compactMap { $0["handle"] as? String }) == ["bob", "carol"])
            #expect(body["skipped"] as? Int == 2)
            #expect(try await harness.pollen.relationships(with: [c.bob.id], by: .member(c.alice)).first?.following == true)

            // Form-encoded, one text with several ids.
            let unfollowed = try await client.json(
                "\(Self.prefix)/unfollows", method: .post, token: c.aliceToken,
                form: ["account_ids": "\(c.bob.id), \(c.dave.id)"])
            #expect(unfollowed.status == .ok, "\(unfollowed.raw)")
            let result = try object(unfollowed.json)
            #expect((result["unfollowed"] as? [[String: Any]])?.compactMap { $0["handle"] as? String } == ["bob"])
            #expect(result["skipped"] as? Int == 1)
            #expect(result["followed"] == nil)
            #expect(try await harness.pollen.relationships(with: [c.bob.id], by: .member(c.alice)).first?.following == false)
        }
    }

    @Test func bulkFollowsRefuseBadInputAndMissingScope() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            for body: [String: Any] in [["account_ids": []], ["account_ids": ["abc"]], [:]] {
                let response = try await client.json("\(Self.prefix)/follows", method: .post, token: c.aliceToken, body: body)
                #expect(response.status == .unprocessableContent, "\(body)")
                #expect(Self.error(response) != nil)
            }
            let tooMany = (1...501).map { "\($0)" }
            let response = try await client.json("\(Self.prefix)/follows", method: .post, token: c.aliceToken, body: ["account_ids": tooMany])
            #expect(response.status == .unprocessableContent)

            let readOnly = try await client.memberToken("alice", scope: "read")
            let wrongScope = try await client.json(
                "\(Self.prefix)/follows", method: .post, token: readOnly, body: ["account_ids": [c.bob.id.description]])
            #expect(wrongScope.status == .forbidden)
            let missing = try await client.json("\(Self.prefix)/unfollows", method: .post, body: ["account_ids": [c.bob.id.description]])
            #expect(missing.status == .unauthorized)
            #expect(try await harness.pollen.relationships(with: [c.bob.id], by: .member(c.alice)).first?.following == false)
        }
    }

    // MARK: Networks and privacy

    @Test func networkListingMarksWhomTheViewerFollows() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            try await harness.pollen.followMembers([c.carol.id, c.dave.id, c.alice.id], by: .member(c.bob))
            try await harness.pollen.followMember(c.dave.id, by: .member(c.alice))
            let response = try await client.json("\(Self.prefix)/profiles/bob/network", token: c.aliceToken)
            #expect(response.status == .ok, "\(response.raw)")
            let listing = try object(response.json)
            #expect((listing["owner"] as? [String: Any])?["handle"] as? String == "bob")
            #expect(listing["truncated"] as? Bool == false)
            let entries = try #require(listing["accounts"] as? [[String: Any]])
            let byHandle = Dictionary(uniqueKeysWithValues: entries.map {
                (($0["account"] as? [String: Any])?["handle"] as? String ?? "", ($0["following"] as? Bool, $0["can_follow"] as? Bool))
            })
            #expect(byHandle.count == 3)
            #expect(byHandle["carol"]! == (false, true))
            #expect(byHandle["dave"]! == (true, true))
            #expect(byHandle["alice"]! == (false, false))

            let followers = try await client.json("\(Self.prefix)/profiles/dave/network?list=followers", token: c.aliceToken)
            #expect(Set(Self.handles(try object(followers.json)["accounts"])) == ["alice", "bob"])
            let badList = try await client.json("\(Self.prefix)/profiles/bob/network?list=friends", token: c.aliceToken)
            #expect(badList.status == .unprocessableContent)
            let unknown = try await client.json("\(Self.prefix)/profiles/nobody/network", token: c.aliceToken)
            #expect(unknown.status == .notFound)
        }
    }

    @Test func aPrivateNetworkIsRefused() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            try await harness.pollen.followMember(c.carol.id, by: .member(c.bob))
            let saved = try await client.json(
                "\(Self.prefix)/me/privacy", method: .put, token: c.bobToken, body: ["audience": "followed"])
            #expect(saved.status == .ok, "\(saved.raw)")
            let privacy = try object(saved.json)
            #expect(privacy["audience"] as? String == "followed")
            #expect(privacy["discoverable"] as? Bool == true)

            // Bob follows Carol, so she may see his network; Alice may not.
            let refused = try await client.json("\(Self.prefix)/profiles/bob/network", token: c.aliceToken)
            #expect(refused.status == .forbidden)
            #expect(Self.error(refused) == "@bob keeps their network private.")
            let allowed = try await client.json("\(Self.prefix)/profiles/bob/network", token: c.carolToken)
            #expect(allowed.status == .ok)
            let own = try await client.json("\(Self.prefix)/profiles/bob/network", token: c.bobToken)
            #expect(own.status == .ok)
        }
    }

    @Test func privacyIsReadAndChanged() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            let current = try await client.json("\(Self.prefix)/me/privacy", token: c.aliceToken)
            #expect(current.status == .ok)
            #expect(try object(current.json)["audience"] as? String == "everyone")
            #expect(try object(current.json)["discoverable"] as? Bool == true)

            let hidden = try await client.json(
                "\(Self.prefix)/me/privacy", method: .put, token: c.aliceToken, body: ["audience": "only_me", "discoverable": false])
            #expect(hidden.status == .ok, "\(hidden.raw)")
            #expect(try await harness.member("alice")?.privacy == NetworkPrivacy(audience: .onlyMe, discoverable: false))
            // Fields not sent keep their values.
            let partly = try await client.json("\(Self.prefix)/me/privacy", method: .put, token: c.aliceToken, form: ["discoverable": "on"])
            #expect(partly.status == .ok)
            #expect(try await harness.member("alice")?.privacy == NetworkPrivacy(audience: .onlyMe, discoverable: true))

            for body: [String: Any] in [["audience": "friends"], ["discoverable": "maybe"], ["audience": "only_me", "discoverable": "perhaps"]] {
                let invalid = try await client.json("\(Self.prefix)/me/privacy", method: .put, token: c.aliceToken, body: body)
                #expect(invalid.status == .unprocessableContent, "\(body)")
                #expect(Self.error(invalid) != nil)
            }
            let unknownAudience = try await client.json(
                "\(Self.prefix)/me/privacy", method: .put, token: c.aliceToken, body: ["audience": "friends"])
            #expect(Self.error(unknownAudience) == "audience must be everyone, followed or only_me.")
            #expect(try await harness.member("alice")?.privacy == NetworkPrivacy(audience: .onlyMe, discoverable: true))

            let readOnly = try await client.memberToken("alice", scope: "read")
            let wrongScope = try await client.json("\(Self.prefix)/me/privacy", method: .put, token: readOnly, body: ["audience": "everyone"])
            #expect(wrongScope.status == .forbidden)
            let missing = try await client.json("\(Self.prefix)/me/privacy")
            #expect(missing.status == .unauthorized)
        }
    }

    // MARK: Subjects, explore, unfollow review

    @Test func subjectListsThoughtLeadersAndPractitioners() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            let before = try await client.json("\(Self.prefix)/subjects/forecasting", token: c.aliceToken)
            #expect(before.status == .ok, "\(before.raw)")
            #expect(try object(before.json)["refreshed_at"] is NSNull)
            #expect((try object(before.json)["thought_leaders"] as? [Any])?.isEmpty == true)

            let post = try await harness.pollen.publishPost(PostDraft(body: "Demand sensing explained #forecasting"), by: .member(c.bob))
            for fan in [c.alice, c.carol] { _ = try await harness.pollen.setFavourite(true, post.id, by: .member(fan)) }
            _ = try await harness.pollen.publishPost(PostDraft(body: "My first model #forecasting"), by: .member(c.dave))
            _ = try await harness.pollen.refreshSubjectScores()

            let response = try await client.json("\(Self.prefix)/subjects/%23Forecasting", token: c.aliceToken)
            #expect(response.status == .ok, "\(response.raw)")
            let subject = try object(response.json)
            #expect(subject["tag"] as? String == "forecasting")
            #expect(subject["refreshed_at"] is String)
            let leaders = try #require(subject["thought_leaders"] as? [[String: Any]])
            #expect(Self.handles(leaders) == ["bob"])
            #expect(leaders.first?["engagement"] as? Int == 2)
            #expect(leaders.first?["posts"] as? Int == 1)
            #expect(leaders.first?["replies"] as? Int == 0)
            #expect(Self.handles(subject["practitioners"]) == ["dave"])

            let invalid = try await client.json("\(Self.prefix)/subjects/c%2B%2B", token: c.aliceToken)
            #expect(invalid.status == .unprocessableContent)
            let appToken = try await Self.appToken(client)
            let app = try await client.json("\(Self.prefix)/subjects/forecasting", token: appToken)
            #expect(app.status == .forbidden)
        }
    }

    /// A client-credentials token: it acts for the app, not for a member.
    static func appToken(_ client: any TestClientProtocol) async throws -> String {
        let app = try await client.registerApp(scopes: "read")
        let response = try await client.json(
            "/oauth/token", method: .post,
            form: ["grant_type": "client_credentials", "client_id": app.clientID, "client_secret": app.clientSecret, "scope": "read"])
        return try #require(try object(response.json)["access_token"] as? String)
    }

    @Test func exploreShowsWhoIsNewAndPopular() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            let post = try await harness.pollen.publishPost(PostDraft(body: "Quarter close tips #finance"), by: .member(c.carol))
            _ = try await harness.pollen.setFavourite(true, post.id, by: .member(c.bob))

            let response = try await client.json("\(Self.prefix)/explore", token: c.aliceToken)
            #expect(response.status == .ok, "\(response.raw)")
            let overview = try object(response.json)
            #expect(overview["department"] is NSNull)
            #expect(Set(["bob", "carol", "dave"]).isSubset(of: Self.handles(overview["new_members"])))
            let popular = try #require(overview["popular_people"] as? [[String: Any]])
            #expect(Self.handles(popular) == ["carol"])
            #expect(popular.first?["engagement"] as? Int == 1)
            let posts = try #require(overview["popular_posts"] as? [[String: Any]])
            #expect(posts.first?["id"] as? String == post.id.description)
            #expect((posts.first?["url"] as? String)?.hasSuffix("/posts/\(post.id)") == true)
            #expect(posts.first?["account_id"] as? String == c.carol.id.description)
            #expect(overview["rising_tags"] is [Any])

            let finance = try await client.json("\(Self.prefix)/explore?department=Finance", token: c.aliceToken)
            #expect(try object(finance.json)["department"] as? String == "Finance")
            #expect(Self.handles(try object(finance.json)["new_members"]) == ["carol"])
            let tooLong = try await client.json("\(Self.prefix)/explore?department=\(String(repeating: "x", count: 101))", token: c.aliceToken)
            #expect(tooLong.status == .unprocessableContent)
        }
    }

    @Test func unfollowSuggestionsNameQuietAccounts() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            try await harness.pollen.followMembers([c.bob.id, c.carol.id], by: .member(c.alice))
            _ = try await harness.pollen.publishPost(PostDraft(body: "Still here"), by: .member(c.carol))
            let response = try await client.json("\(Self.prefix)/me/unfollow-suggestions", token: c.aliceToken)
            #expect(response.status == .ok, "\(response.raw)")
            let accounts = try #require(try object(response.json)["accounts"] as? [[String: Any]])
            #expect(Self.handles(accounts) == ["bob"])
            let reasons = try #require(accounts.first?["reasons"] as? [[String: Any]])
            #expect(reasons.count == 1)
            #expect(reasons.first?["kind"] as? String == "quiet")
            #expect(reasons.first?["last_posted"] is NSNull)
            #expect(reasons.first?["text"] as? String == "Quiet: has never posted")
            #expect(reasons.first?["followed_since"] == nil)

            let writeOnly = try await client.memberToken("alice", scope: "write")
            let wrongScope = try await client.json("\(Self.prefix)/me/unfollow-suggestions", token: writeOnly)
            #expect(wrongScope.status == .forbidden)
        }
    }

    // MARK: Collections

    static func createCollection(_ client: any TestClientProtocol, token: String, body: [String: Any]) async throws -> [String: Any] {
        let response = try await client.json("\(prefix)/collections", method: .post, token: token, body: body)
        #expect(response.status == .created, "\(response.raw)")
        return try object(response.json)
    }

    @Test func collectionsAreMadeListedAndShown() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            let made = try await Self.createCollection(client, token: c.aliceToken, body: [
                "title": " Forecasting 101 ", "description": "Who to read first.", "handles": ["bob", "@carol"],
                "tags": "Forecasting, supply chain",
            ])
            #expect(made["title"] as? String == "Forecasting 101")
            #expect(made["description"] as? String == "Who to read first.")
            #expect((made["owner"] as? [String: Any])?["handle"] as? String == "alice")
            #expect(Self.handles(made["accounts"]) == ["bob", "carol"])
            #expect(made["tags"] as? [String] == ["forecasting", "supply-chain"])
            #expect(made["may_edit"] as? Bool == true)
            let id = try #require(made["id"] as? String)
            #expect((made["url"] as? String)?.hasSuffix("/collections/\(id)") == true)

            let listed = try await client.json("\(Self.prefix)/collections", token: c.bobToken)
            #expect(listed.status == .ok)
            let page = try object(listed.json)
            let rows = try #require(page["collections"] as? [[String: Any]])
            #expect(rows.map { $0["id"] as? String } == [id])
            #expect(rows.first?["people"] as? Int == 2)
            #expect(page["page"] as? Int == 1)
            #expect(page["next_page"] is NSNull)
            let bobs = try await client.json("\(Self.prefix)/collections?owner=bob", token: c.bobToken)
            #expect((try object(bobs.json)["collections"] as? [Any])?.isEmpty == true)
            let unknownOwner = try await client.json("\(Self.prefix)/collections?owner=nobody", token: c.bobToken)
            #expect(unknownOwner.status == .notFound)
            // A page far past the end is empty; one whose offset would overflow stopped the server.
            let far = try await client.json("\(Self.prefix)/collections?page=1000000000000000000", token: c.bobToken)
            #expect(far.status == .ok)
            #expect(try object(far.json)["page"] as? Int == 1_000_000)
            #expect((try object(far.json)["collections"] as? [Any])?.isEmpty == true)

            let shown = try await client.json("\(Self.prefix)/collections/\(id)", token: c.bobToken)
            #expect(shown.status == .ok)
            #expect(try object(shown.json)["may_edit"] as? Bool == false)
        }
    }

    @Test func collectionsRefuseInvalidFields() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            for body: [String: Any] in [
                ["handles": ["bob"]],
                ["title": String(repeating: "x", count: 101), "handles": ["bob"]],
                ["title": "Ghosts", "handles": ["nobody"]],
                ["title": "Empty"],
                ["title": "Bad tag", "tags": ["c++"]],
            ] {
                let response = try await client.json("\(Self.prefix)/collections", method: .post, token: c.aliceToken, body: body)
                #expect(response.status == .unprocessableContent, "\(body)")
                #expect(Self.error(response) != nil)
            }
            let empty = try await client.json("\(Self.prefix)/collections", method: .post, token: c.aliceToken, body: ["title": "Empty"])
            #expect(Self.error(empty) == "List at least one person or hashtag.")
            // Someone who asked not to be suggested cannot be listed.
            try await harness.pollen.updateNetworkPrivacy(NetworkPrivacy(discoverable: false), of: c.dave.id, by: .member(c.dave))
            let private_ = try await client.json(
                "\(Self.prefix)/collections", method: .post, token: c.aliceToken, body: ["title": "Dave", "handles": ["dave"]])
            #expect(private_.status == .unprocessableContent)
            let readOnly = try await client.memberToken("alice", scope: "read")
            let wrongScope = try await client.json(
                "\(Self.prefix)/collections", method: .post, token: readOnly, body: ["title": "No", "handles": ["bob"]])
            #expect(wrongScope.status == .forbidden)
            let missing = try await client.json("\(Self.prefix)/collections", method: .post, body: ["title": "No", "handles": ["bob"]])
            #expect(missing.status == .unauthorized)
            let listed = try await client.json("\(Self.prefix)/collections", token: c.aliceToken)
            #expect((try object(listed.json)["collections"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func onlyTheOwnerChangesOrDeletesACollection() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            let made = try await Self.createCollection(client, token: c.aliceToken, body: ["title": "Pack", "handles": ["bob", "carol"]])
            let id = try #require(made["id"] as? String)

            let notOwner = try await client.json("\(Self.prefix)/collections/\(id)", method: .put, token: c.bobToken, body: ["title": "Mine"])
            #expect(notOwner.status == .forbidden)
            let notOwnerDelete = try await client.json("\(Self.prefix)/collections/\(id)", method: .delete, token: c.bobToken)
            #expect(notOwnerDelete.status == .forbidden)

            let changed = try await client.json(
                "\(Self.prefix)/collections/\(id)", method: .put, token: c.aliceToken, body: ["title": "Pack two", "tags": ["crm"]])
            #expect(changed.status == .ok, "\(changed.raw)")
            let body = try object(changed.json)
            #expect(body["title"] as? String == "Pack two")
            #expect(Self.handles(body["accounts"]) == ["bob", "carol"])
            #expect(body["tags"] as? [String] == ["crm"])
            let invalid = try await client.json("\(Self.prefix)/collections/\(id)", method: .put, token: c.aliceToken, body: ["title": " "])
            #expect(invalid.status == .unprocessableContent)

            let deleted = try await client.json("\(Self.prefix)/collections/\(id)", method: .delete, token: c.aliceToken)
            #expect(deleted.status == .noContent)
            let gone = try await client.json("\(Self.prefix)/collections/\(id)", token: c.aliceToken)
            #expect(gone.status == .notFound)
            #expect(Self.error(gone) != nil)
        }
    }

    @Test func unknownCollectionsAreNotFound() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            for id in ["12345", "abc"] {
                let path = "\(Self.prefix)/collections/\(id)"
                #expect(try await client.json(path, token: c.aliceToken).status == .notFound)
                #expect(try await client.json(path, method: .put, token: c.aliceToken, body: ["title": "X"]).status == .notFound)
                #expect(try await client.json(path, method: .delete, token: c.aliceToken).status == .notFound)
                #expect(try await client.json(path + "/follow", method: .post, token: c.aliceToken).status == .notFound)
            }
        }
    }

    @Test func followingACollection() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            let made = try await Self.createCollection(
                client, token: c.aliceToken, body: ["title": "Pack", "handles": ["bob", "carol", "dave"], "tags": ["forecasting", "crm"]])
            let id = try #require(made["id"] as? String)
            let path = "\(Self.prefix)/collections/\(id)/follow"

            // Picked: one person and one hashtag; picks outside the collection are ignored.
            let picked = try await client.json(
                path, method: .post, token: c.carolToken,
                body: ["account_ids": [c.dave.id.description, c.alice.id.description], "tags": ["#Forecasting", "other"]])
            #expect(picked.status == .ok, "\(picked.raw)")
            #expect(try object(picked.json)["people"] as? Int == 1)
            #expect(try object(picked.json)["tags"] as? Int == 1)

            // Everything else: Bob (not Carol herself) and #crm.
            let rest = try await client.json(path, method: .post, token: c.carolToken, body: [:])
            #expect(rest.status == .ok, "\(rest.raw)")
            #expect(try object(rest.json)["people"] as? Int == 1)
            #expect(try object(rest.json)["tags"] as? Int == 1)
            let shown = try object(try await client.json("\(Self.prefix)/collections/\(id)", token: c.carolToken).json)
            #expect(shown["followed_tags"] as? [String] == ["forecasting", "crm"])
            let following = (shown["accounts"] as? [[String: Any]] ?? []).map { $0["following"] as? Bool }
            #expect(following == [true, false, true])

            let again = try await client.json(path, method: .post, token: c.carolToken)
            #expect(again.status == .conflict)
            #expect(Self.error(again) == "You already follow everything you chose from this collection.")
            let nothingPicked = try await client.json(path, method: .post, token: c.carolToken, body: ["account_ids": [], "tags": []])
            #expect(nothingPicked.status == .unprocessableContent)
            let readOnly = try await client.memberToken("dave", scope: "read")
            let wrongScope = try await client.json(path, method: .post, token: readOnly)
            #expect(wrongScope.status == .forbidden)
        }
    }
}
