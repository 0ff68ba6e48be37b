import Foundation
import Hummingbird
import HummingbirdTesting
import PollenCore
import Testing

extension WebHarness {
    /// Sets a member's network privacy directly through the use case.
    func setPrivacy(_ member: Member, _ audience: NetworkPrivacy.Audience, discoverable: Bool = true) async throws {
        try await pollen.updateNetworkPrivacy(
            NetworkPrivacy(audience: audience, discoverable: discoverable), of: member.id, by: .system)
    }

    func privacy(of handle: String) async throws -> NetworkPrivacy? {
        try await member(handle)?.privacy
    }

    func follows(_ follower: Member, _ followee: Member) async throws -> Bool {
        try await relationship(follower, followee).following
    }

    /// A post by `author`, favourited by each of `fans`.
    @discardableResult
    func post(_ body: String, by author: Member, favouritedBy fans: [Member] = []) async throws -> Post {
        let post = try await pollen.publishPost(PostDraft(body: body), by: .member(author))
        for fan in fans { _ = try await pollen.setFavourite(true, post.id, by: .member(fan)) }
        return post
    }
}

/// The ids of a list of members, as repeated `ids` form fields.
func pickIDs(_ members: Member...) -> [(String, String)] {
    members.map { ("ids", $0.id.description) }
}

/// The checkbox a pick list shows to tick someone.
func pickBox(_ member: Member) -> String {
    "id=\"pick-\(member.id)\""
}

/// The notice a page shows after a redirect (the flash), if any.
func flashNotice(_ page: TestBrowser.Page) -> String? {
    guard let start = page.body.range(of: "<p class=\"notice\" role=\"status\">") else { return nil }
    let rest = page.body[start.upperBound...]
    return rest.range(of: "</p>").map { String(rest[..<$0.lowerBound]) }
}

@Suite struct DiscoveryPagesTests {
    /// Alice (signed in), Bob, Carol and Dave.
    private struct Cast {
        let browser: TestBrowser
        let alice: Member
        let bob: Member
        let carol: Member
        let dave: Member
    }

    private static func cast(_ harness: WebHarness, _ client: any TestClientProtocol) async throws -> Cast {
        let alice = try await harness.addMember("alice", name: "Alice Archer", department: "Logistics")
        let bob = try await harness.addMember("bob", name: "Bob Baker", department: "Logistics")
        let carol = try await harness.addMember("carol", name: "Carol Chen", department: "Finance")
        let dave = try await harness.addMember("dave", name: "Dave Diaz", department: "Research")
        let browser = TestBrowser(client)
        try await browser.signIn("alice")
        return Cast(browser: browser, alice: alice, bob: bob, carol: carol, dave: dave)
    }

    // MARK: - Signed out

    @Test func signedOutVisitorsAreSentToSignIn() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("bob")
            let browser = TestBrowser(client)
            for path in [
                "/discover", "/explore", "/network/review", "/settings/privacy", "/@bob/network/following",
                "/@bob/network/followers", "/welcome", "/collections", "/collections/new",
            ] {
                let page = try await browser.get(path)
                #expect(page.status == .seeOther, "\(path)")
                #expect(page.location == "/signin?next=\(TestBrowser.encode(path))", "\(path)")
            }
        }
    }

    @Test func signedOutFormsChangeNothing() async throws {
        try await WebHarness.run { harness, client in
            let bob = try await harness.addMember("bob")
            let browser = TestBrowser(client)
            try await browser.get("/signin")
            for path in [
                "/network/follow", "/network/unfollow", "/settings/privacy", "/welcome/skip", "/welcome/subjects",
                "/suggestions/bob/dismiss", "/collections",
            ] {
                let page = try await browser.post(path, fields: pickIDs(bob) + [("audience", "only_me"), ("title", "T")])
                #expect(page.status == .unauthorized, "\(path): \(page.status)")
            }
            #expect(try await harness.privacy(of: "bob") == NetworkPrivacy())
            #expect(try await harness.store.read { try await $0.collections.list(owner: nil, limit: 10, offset: 0) }.isEmpty)
        }
    }

    // MARK: - Suggestions

    @Test func discoverSuggestsPeopleWithReasonsAndDismissRemovesOneForGood() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            try await harness.pollen.followMember(c.bob.id, by: .member(c.alice))
            try await harness.pollen.followMember(c.carol.id, by: .member(c.bob))

            let page = try await c.browser.get("/discover")
            #expect(page.status == .ok)
            #expect(page.body.contains("<h1>Discover people</h1>"))
            #expect(page.body.contains(pickBox(c.carol)))
            #expect(page.body.contains("aria-label=\"Select Carol Chen\""))
            #expect(page.body.contains("Followed by Bob Baker, whom you follow"))
            #expect(page.body.contains(pickBox(c.dave)))
            #expect(page.body.contains("New here"))
            #expect(!page.body.contains(pickBox(c.bob)), "never someone already followed")
            #expect(!page.body.contains(pickBox(c.alice)), "never oneself")
            #expect(page.body.contains("formaction=\"/suggestions/carol/dismiss\""))
            #expect(page.body.contains("href=\"/network/review\""))
            #expect(page.body.contains("New here? The getting-started guide"))

            let dismissed = try await c.browser.post("/suggestions/carol/dismiss", fields: pickIDs(c.carol) + [("next", "/discover")])
            #expect(dismissed.status == .found)
            #expect(dismissed.location == "/discover")
            let after = try await c.browser.follow(dismissed)
            #expect(flashNotice(after) == "We will not suggest @carol again.")
            #expect(!after.body.contains(pickBox(c.carol)))
            #expect(after.body.contains(pickBox(c.dave)))
            // For good: even when one more person Alice follows follows Carol.
            try await harness.pollen.followMember(c.dave.id, by: .member(c.alice))
            try await harness.pollen.followMember(c.carol.id, by: .member(c.dave))
            #expect(!(try await c.browser.get("/discover")).body.contains(pickBox(c.carol)))
            #expect(try await !harness.follows(c.alice, c.carol))

            #expect(try await c.browser.post("/suggestions/nobody/dismiss", form: [:]).status == .notFound)
        }
    }

    @Test func followingSuggestionsInBulk() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            try await c.browser.get("/discover")
            let done = try await c.browser.post("/network/follow", fields: pickIDs(c.bob, c.carol) + [("next", "/discover")])
            #expect(done.status == .found)
            #expect(done.location == "/discover")
            let page = try await c.browser.follow(done)
            #expect(flashNotice(page) == "You now follow 2 people.")
            #expect(!page.body.contains(pickBox(c.bob)))
            #expect(try await harness.follows(c.alice, c.bob))
            #expect(try await harness.follows(c.alice, c.carol))
            #expect(try await harness.counts(c.alice).following == 2)

            let again = try await c.browser.follow(try await c.browser.post("/network/follow", fields: pickIDs(c.bob)))
            #expect(flashNotice(again) == "You already follow everyone you chose.")
            #expect(try await harness.counts(c.bob).followers == 1)
        }
    }

    @Test func bulkFollowWithNobodyTickedSaysSoAndChangesNothing() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            try await c.browser.get("/discover")
            let page = try await c.browser.post("/network/follow", fields: [("next", "/discover")])
            #expect(page.status == .found)
            #expect(page.location == "/discover")
            #expect(flashNotice(try await c.browser.follow(page)) == "Choose at least one person to follow.")
            // Ids that are not ids count as nothing ticked.
            let garbled = try await c.browser.post("/network/follow", fields: [("ids", "not-an-id"), ("next", "/@bob/network/following")])
            #expect(garbled.location == "/@bob/network/following")
            #expect(flashNotice(try await c.browser.follow(garbled)) == "Choose at least one person to follow.")
            let unfollow = try await c.browser.post("/network/unfollow", fields: [])
            #expect(unfollow.location == "/network/review")
            #expect(flashNotice(try await c.browser.follow(unfollow)) == "Choose at least one person to unfollow.")
            #expect(try await harness.counts(c.alice) == NetworkCounts())
        }
    }

    @Test func bulkFollowSkipsBlockedSelfAndSuspended() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            try await harness.pollen.setBlocked(true, c.alice.id, by: .member(c.carol))
            try await harness.pollen.setSuspended(true, memberID: c.dave.id, by: .system)
            try await c.browser.get("/discover")
            let done = try await c.browser.post(
                "/network/follow", fields: pickIDs(c.bob, c.alice, c.carol, c.dave) + [("next", "/discover")])
            let page = try await c.browser.follow(done)
            #expect(flashNotice(page) == "You now follow 1 person. 3 skipped (already so, or not possible).")
            #expect(try await harness.follows(c.alice, c.bob))
            #expect(try await !harness.follows(c.alice, c.carol))
            #expect(try await !harness.follows(c.alice, c.dave))
            #expect(try await !harness.follows(c.alice, c.alice))
            #expect(try await harness.counts(c.alice).following == 1)
            // Someone who blocks Alice is never suggested to her.
            #expect(!page.body.contains(pickBox(c.carol)))
        }
    }

    @Test func nonDiscoverableMembersVanishFromTheDirectoryAndSuggestionsButNotForThemselves() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            try await harness.pollen.followMember(c.bob.id, by: .member(c.alice))
            try await harness.pollen.followMember(c.dave.id, by: .member(c.bob))
            let before = try await c.browser.get("/discover")
            #expect(before.body.contains(pickBox(c.dave)))
            #expect(try await c.browser.get("/members").body.contains("href=\"/@dave\" class=\"name\""))

            try await harness.setPrivacy(c.dave, .everyone, discoverable: false)
            #expect(!(try await c.browser.get("/discover")).body.contains(pickBox(c.dave)))
            #expect(!(try await c.browser.get("/members")).body.contains("href=\"/@dave\" class=\"name\""))
            #expect(!(try await c.browser.get("/members?q=dave")).body.contains("href=\"/@dave\" class=\"name\""))
            #expect(try await c.browser.get("/members").body.contains("href=\"/@carol\" class=\"name\""))
            // Their profile is still there for whoever has the link.
            #expect(try await c.browser.get("/@dave").status == .ok)

            let daves = TestBrowser(client)
            try await daves.signIn("dave")
            #expect(try await daves.get("/members").body.contains("href=\"/@dave\" class=\"name\""))
        }
    }

    // MARK: - Follow who they follow

    @Test func followWhoTheyFollowMarksWhomTheViewerFollowsAndFollowsTheTicked() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            let erin = try await harness.addMember("erin", name: "Erin Park")
            for target in [c.carol, c.dave, c.alice, erin] {
                try await harness.pollen.followMember(target.id, by: .member(c.bob))
            }
            try await harness.pollen.followMember(c.carol.id, by: .member(c.alice))
            try await harness.pollen.setBlocked(true, erin.id, by: .member(c.alice))

            let profile = try await c.browser.get("/@bob")
            #expect(profile.body.contains("href=\"/@bob/network/following\">Follow who they follow</a>"))
            #expect(profile.body.contains("href=\"/@bob/network/followers\">People who follow them</a>"))

            let page = try await c.browser.get("/@bob/network/following")
            #expect(page.status == .ok)
            #expect(page.body.contains("<h1>Follow who Bob Baker follows</h1>"))
            #expect(page.body.contains("href=\"/@carol\" class=\"name\""))
            #expect(page.body.contains("<span class=\"badge\">Following</span>"))
            #expect(!page.body.contains(pickBox(c.carol)), "already followed: no box")
            #expect(page.body.contains(pickBox(c.dave)))
            #expect(page.body.contains("href=\"/@alice\" class=\"name\""))
            #expect(!page.body.contains(pickBox(c.alice)), "no box for oneself")
            #expect(!page.body.contains(pickBox(erin)), "no box across a block")
            #expect(page.body.contains("name=\"next\" value=\"/@bob/network/following\""))

            let done = try await c.browser.post("/network/follow", fields: pickIDs(c.dave) + [("next", "/@bob/network/following")])
            #expect(done.location == "/@bob/network/following")
            let after = try await c.browser.follow(done)
            #expect(flashNotice(after) == "You now follow 1 person.")
            #expect(!after.body.contains(pickBox(c.dave)))
            #expect(try await harness.follows(c.alice, c.dave))

            let followers = try await c.browser.get("/@carol/network/followers")
            #expect(followers.status == .ok)
            #expect(followers.body.contains("<h1>People who follow Carol Chen</h1>"))
            #expect(followers.body.contains(pickBox(c.bob)))

            let empty = try await c.browser.get("/@dave/network/following")
            #expect(empty.body.contains("Dave Diaz follows nobody yet."))
            #expect(try await c.browser.get("/@nobody/network/following").status == .notFound)
        }
    }

    @Test func aPrivateNetworkIsHiddenFromOthers() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            try await harness.pollen.followMember(c.carol.id, by: .member(c.bob))
            try await harness.pollen.followMember(c.bob.id, by: .member(c.dave))
            try await harness.setPrivacy(c.bob, .onlyMe)

            for path in ["/@bob/network/following", "/@bob/network/followers"] {
                let page = try await c.browser.get(path)
                #expect(page.status == .forbidden, "\(path)")
                #expect(page.body.contains("@bob keeps their network private."), "\(path)")
                #expect(!page.body.contains(pickBox(c.carol)), "\(path)")
                #expect(page.body.contains("href=\"/@bob\">Back to Bob Baker</a>"), "\(path)")
            }
            for path in ["/@bob/following", "/@bob/followers"] {
                let page = try await c.browser.get(path)
                #expect(page.status == .forbidden, "\(path)")
                #expect(!page.body.contains("Carol Chen"), "\(path)")
            }
            let profile = try await c.browser.get("/@bob")
            #expect(profile.status == .ok)
            #expect(profile.body.contains("@bob keeps their network private"))
            #expect(!profile.body.contains("followers</a>"))
            #expect(!profile.body.contains("href=\"/@bob/following\""))
            #expect(!profile.body.contains("href=\"/@bob/network/following\""))
            #expect(!profile.body.contains("People who follow them"))

            // Bob himself still sees all of it, with what he chose.
            let bobs = TestBrowser(client)
            try await bobs.signIn("bob")
            let own = try await bobs.get("/@bob")
            #expect(own.body.contains("<strong>1</strong> follower</a>"))
            #expect(own.body.contains("Who sees your network: only you"))
            #expect(try await bobs.get("/@bob/following").status == .ok)
            #expect(try await bobs.get("/@bob/network/following").status == .ok)
        }
    }

    @Test func aNetworkShownToFollowedPeopleIsSeenByThemOnly() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            // Carol shows her network to the people she follows: Alice, not Dave.
            try await harness.pollen.followMember(c.alice.id, by: .member(c.carol))
            try await harness.pollen.followMember(c.bob.id, by: .member(c.carol))
            try await harness.setPrivacy(c.carol, .followed)

            let seen = try await c.browser.get("/@carol/network/following")
            #expect(seen.status == .ok)
            #expect(seen.body.contains(pickBox(c.bob)))
            let profile = try await c.browser.get("/@carol")
            #expect(profile.body.contains("<strong>2</strong> following</a>"))
            #expect(profile.body.contains("Follow who they follow"))

            let daves = TestBrowser(client)
            try await daves.signIn("dave")
            let hidden = try await daves.get("/@carol/network/following")
            #expect(hidden.status == .forbidden)
            #expect(hidden.body.contains("@carol keeps their network private."))
            let hiddenProfile = try await daves.get("/@carol")
            #expect(hiddenProfile.body.contains("@carol keeps their network private"))
            #expect(!hiddenProfile.body.contains("following</a>"))
            #expect(!hiddenProfile.body.contains("Follow who they follow"))
            // Following Carol does not help Dave; Carol following him does.
            try await harness.pollen.followMember(c.carol.id, by: .member(c.dave))
            #expect(try await daves.get("/@carol/network/following").status == .forbidden)
            try await harness.pollen.followMember(c.dave.id, by: .member(c.carol))
            #expect(try await daves.get("/@carol/network/following").status == .ok)
        }
    }

    // MARK: - Privacy settings

    @Test func privacyFormShowsAndSavesTheChoice() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            let form = try await c.browser.get("/settings/privacy")
            #expect(form.status == .ok)
            #expect(form.body.contains("<h1>Privacy of your network</h1>"))
            #expect(form.body.contains("value=\"everyone\" checked"))
            #expect(form.body.contains("id=\"discoverable\" name=\"discoverable\" value=\"1\" checked"))

            let saved = try await c.browser.post("/settings/privacy", form: ["audience": "followed"])
            #expect(saved.status == .found)
            #expect(saved.location == "/settings/privacy")
            let page = try await c.browser.follow(saved)
            #expect(flashNotice(page) == "Privacy settings saved.")
            #expect(page.body.contains("value=\"followed\" checked"))
            #expect(!page.body.contains("value=\"everyone\" checked"))
            #expect(!page.body.contains("value=\"1\" checked"), "unticked: not discoverable")
            #expect(try await harness.privacy(of: "alice") == NetworkPrivacy(audience: .followed, discoverable: false))

            try await c.browser.post("/settings/privacy", form: ["audience": "only_me", "discoverable": "1"])
            #expect(try await harness.privacy(of: "alice") == NetworkPrivacy(audience: .onlyMe, discoverable: true))
            #expect(try await c.browser.get("/@alice").body.contains("Who sees your network: only you"))
        }
    }

    @Test func privacyFormRefusesAMissingOrUnknownAudience() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            try await harness.setPrivacy(c.alice, .followed)
            try await c.browser.get("/settings/privacy")
            for form in [["discoverable": "1"], ["audience": "friends", "discoverable": "1"], ["audience": ""]] {
                let page = try await c.browser.post("/settings/privacy", form: form)
                #expect(page.status == .unprocessableContent, "\(form)")
                #expect(page.body.contains("Choose who may see your network."), "\(form)")
                #expect(page.body.contains("<form method=\"post\" action=\"/settings/privacy\""), "\(form)")
            }
            #expect(try await harness.privacy(of: "alice") == NetworkPrivacy(audience: .followed, discoverable: true))
        }
    }

    // MARK: - Unfollow review

    @Test func unfollowReviewListsQuietAccountsAndUnfollowsTheTicked() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            for target in [c.bob, c.carol, c.dave] { try await harness.pollen.followMember(target.id, by: .member(c.alice)) }
            try await harness.post("Stock counts done #logistics", by: c.carol)

            let page = try await c.browser.get("/network/review")
            #expect(page.status == .ok)
            #expect(page.body.contains("<h1>Review whom you follow</h1>"))
            #expect(page.body.contains(pickBox(c.bob)))
            #expect(page.body.contains(pickBox(c.dave)))
            #expect(page.body.contains("Quiet: has never posted"))
            #expect(!page.body.contains(pickBox(c.carol)), "Carol posted today")
            #expect(page.body.contains("action=\"/network/unfollow\""))
            #expect(page.body.contains("Unfollow selected"))

            let done = try await c.browser.post("/network/unfollow", fields: pickIDs(c.bob, c.dave) + [("next", "/network/review")])
            #expect(done.location == "/network/review")
            let after = try await c.browser.follow(done)
            #expect(flashNotice(after) == "You unfollowed 2 people.")
            #expect(!after.body.contains(pickBox(c.bob)))
            #expect(after.body.contains("Nothing to review"))
            #expect(try await !harness.follows(c.alice, c.bob))
            #expect(try await !harness.follows(c.alice, c.dave))
            #expect(try await harness.follows(c.alice, c.carol))

            let notFollowed = try await c.browser.follow(try await c.browser.post("/network/unfollow", fields: pickIDs(c.bob)))
            #expect(flashNotice(notFollowed) == "You did not follow anyone you chose.")
        }
    }

    // MARK: - Explore

    @Test func exploreShowsNewcomersPopularPeoplePostsAndRisingHashtags() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            for n in 1...3 { try await harness.post("Cycle count \(n) #inventory", by: c.bob, favouritedBy: [c.alice, c.dave]) }
            try await harness.post("Quarter closed #budgets", by: c.carol, favouritedBy: [c.dave])

            let page = try await c.browser.get("/explore")
            #expect(page.status == .ok)
            #expect(page.body.contains("<h1>Who&#39;s new and popular</h1>") || page.body.contains("<h1>Who's new and popular</h1>"))
            #expect(page.body.contains("New in the organization (last 30 days)"))
            #expect(page.body.contains("href=\"/@dave\" class=\"name\""))
            #expect(page.body.contains("6 reactions this week"))
            #expect(page.body.contains("1 reaction this week"))
            #expect(page.body.contains("Cycle count"))
            #expect(page.body.contains("href=\"/tags/inventory\">#inventory</a>"))
            #expect(page.body.contains("3 posts this week, 0.0 a week before"))
            #expect(!page.body.contains("href=\"/tags/budgets\">#budgets</a> <span"), "one post is not a trend")

            let finance = try await c.browser.get("/explore?department=Finance")
            #expect(finance.status == .ok)
            #expect(finance.body.contains("New in Finance (last 30 days)"))
            #expect(finance.body.contains("value=\"Finance\""))
            #expect(finance.body.contains("1 reaction this week"))
            #expect(!finance.body.contains("6 reactions this week"))
            #expect(!finance.body.contains("Cycle count"))
            #expect(finance.body.contains("Quarter closed"))
            #expect(!finance.body.contains("href=\"/@dave\" class=\"name\""))
            #expect(finance.body.contains("No hashtag is rising this week."))

            let nowhere = try await c.browser.get("/explore?department=Nowhere")
            #expect(nowhere.body.contains("Nobody joined in the last 30 days."))
            #expect(nowhere.body.contains("No posts drew reactions this week yet."))

            let tooLong = try await c.browser.get("/explore?department=\(String(repeating: "x", count: 500))")
            #expect(tooLong.status == .unprocessableContent)
        }
    }

    // MARK: - Subject pages

    @Test func subjectPageListsThoughtLeadersAndPractitioners() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            try await harness.post("Demand sensing explained #forecasting", by: c.bob, favouritedBy: [c.alice, c.carol])
            try await harness.post("My first model #forecasting", by: c.dave)
            let before = try await c.browser.get("/tags/forecasting")
            #expect(before.body.contains("Nobody&#39;s posts on #forecasting have drawn reactions yet.") || before.body.contains("Nobody's posts on #forecasting"))

            _ = try await harness.pollen.refreshSubjectScores()
            let page = try await c.browser.get("/tags/forecasting")
            #expect(page.status == .ok)
            let leaders = try #require(page.body.range(of: "id=\"thought-leaders\""))
            let practitioners = try #require(page.body.range(of: "id=\"practitioners\""))
            let leaderSection = page.body[leaders.upperBound..<practitioners.lowerBound]
            let practitionerSection = page.body[practitioners.upperBound...]
            #expect(leaderSection.contains("href=\"/@bob\" class=\"name\""))
            #expect(!leaderSection.contains("href=\"/@dave\" class=\"name\""))
            #expect(practitionerSection.contains("href=\"/@dave\" class=\"name\""))

            // Someone who asked not to be suggested is not listed (their posts still are).
            try await harness.setPrivacy(c.bob, .everyone, discoverable: false)
            let hidden = try await c.browser.get("/tags/forecasting")
            let start = try #require(hidden.body.range(of: "id=\"thought-leaders\""))
            let end = try #require(hidden.body.range(of: "id=\"tagged-posts\""))
            #expect(!hidden.body[start.upperBound..<end.lowerBound].contains("href=\"/@bob\""))
            #expect(hidden.body[start.upperBound..<end.lowerBound].contains("href=\"/@dave\" class=\"name\""))
            #expect(hidden.body.contains("Demand sensing explained"))
        }
    }

    // MARK: - Thread page

    @Test func openingAThreadCountsAsReadingItsAuthor() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            try await harness.pollen.followMember(c.bob.id, by: .member(c.alice))
            let post = try await harness.post("Pallet tips #logistics", by: c.bob)
            #expect(try await harness.store.read { try await $0.discovery.engagedAuthors(by: c.alice.id) }.isEmpty)
            #expect(try await c.browser.get("/posts/\(post.id)").status == .ok)
            #expect(try await harness.store.read { try await $0.discovery.engagedAuthors(by: c.alice.id) } == [c.bob.id])
        }
    }

    // MARK: - API

    @Test func apiHidesThePrivateNetworkOfAnAccount() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            try await harness.pollen.followMember(c.carol.id, by: .member(c.alice))
            try await harness.pollen.followMember(c.alice.id, by: .member(c.bob))
            try await harness.setPrivacy(c.alice, .onlyMe)
            let token = try await client.memberToken("bob")

            let account = try object(try await client.json("/api/v1/accounts/\(c.alice.id)", token: token).json)
            #expect(account["followers_count"] as? Int == 0)
            #expect(account["following_count"] as? Int == 0)
            #expect(account["hide_collections"] as? Bool == true)

            for list in ["following", "followers"] {
                let response = try await client.json("/api/v1/accounts/\(c.alice.id)/\(list)", token: token)
                #expect(response.status == .ok, "\(list): \(response.raw)")
                #expect((response.json as? [Any])?.isEmpty == true, "\(list): \(response.raw)")
            }

            // Alice sees her own.
            let own = try await client.memberToken("alice")
            let mine = try object(try await client.json("/api/v1/accounts/\(c.alice.id)", token: own).json)
            #expect(mine["followers_count"] as? Int == 1)
            #expect(mine["following_count"] as? Int == 1)
            let following = try await client.json("/api/v1/accounts/\(c.alice.id)/following", token: own)
            #expect((following.json as? [[String: Any]])?.compactMap { $0["id"] as? String } == [c.carol.id.description])

            // Everyone's network stays open to all.
            let bobs = try object(try await client.json("/api/v1/accounts/\(c.bob.id)", token: own).json)
            #expect(bobs["hide_collections"] as? Bool == false)
            #expect(bobs["following_count"] as? Int == 1)
        }
    }
}
