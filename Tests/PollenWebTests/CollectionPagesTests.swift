import Foundation
import Hummingbird
import HummingbirdTesting
import PollenCore
import Testing

extension WebHarness {
    func collections() async throws -> [FollowCollection] {
        try await store.read { try await $0.collections.list(owner: nil, limit: 100, offset: 0) }
    }
}

@Suite struct CollectionPagesTests {
    private struct Cast {
        let browser: TestBrowser
        let alice: Member
        let bob: Member
        let carol: Member
        let dave: Member
    }

    /// Alice signed in; Bob, Carol and Dave to list.
    private static func cast(_ harness: WebHarness, _ client: any TestClientProtocol) async throws -> Cast {
        let alice = try await harness.addMember("alice", name: "Alice Archer")
        let bob = try await harness.addMember("bob", name: "Bob Baker", department: "Logistics")
        let carol = try await harness.addMember("carol", name: "Carol Chen", department: "Finance")
        let dave = try await harness.addMember("dave", name: "Dave Diaz")
        let browser = TestBrowser(client)
        try await browser.signIn("alice")
        return Cast(browser: browser, alice: alice, bob: bob, carol: carol, dave: dave)
    }

    static let draft = [
        "title": "Supply chain starters", "description": "Where I would begin.", "handles": "bob\n@carol",
        "tags": "#forecasting lean",
    ]

    /// Alice publishes the collection above and returns its id.
    private static func publish(_ browser: TestBrowser) async throws -> String {
        try await browser.get("/collections/new")
        let made = try await browser.post("/collections", form: Self.draft)
        #expect(made.status == .found)
        let location = try #require(made.location)
        #expect(location.hasPrefix("/collections/"))
        return String(location.dropFirst("/collections/".count))
    }

    @Test func createAndShowACollection() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            let list = try await c.browser.get("/collections")
            #expect(list.status == .ok)
            #expect(list.body.contains("No collections yet."))
            let form = try await c.browser.get("/collections/new")
            #expect(form.status == .ok)
            #expect(form.body.contains("<h1>New collection</h1>"))
            #expect(form.body.contains("action=\"/collections\""))

            let id = try await Self.publish(c.browser)
            let page = try await c.browser.get("/collections/\(id)")
            #expect(page.status == .ok)
            #expect(page.body.contains("<h1>Supply chain starters</h1>"))
            #expect(page.body.contains("Where I would begin."))
            #expect(page.body.contains("href=\"/@alice\">Alice Archer</a>"))
            #expect(page.body.contains(pickBox(c.bob)))
            #expect(page.body.contains(pickBox(c.carol)))
            #expect(page.body.contains("href=\"/tags/forecasting\">#forecasting</a>"))
            #expect(page.body.contains("id=\"tag-lean\" name=\"tags\" value=\"lean\""))
            #expect(page.body.contains("href=\"/collections/\(id)/edit\""))
            #expect(page.body.contains("Follow everything"))

            let stored = try #require(try await harness.collections().first)
            #expect(stored.owner == c.alice.id)
            #expect(stored.members == [c.bob.id, c.carol.id])
            #expect(stored.tags == ["forecasting", "lean"])

            let all = try await c.browser.get("/collections")
            #expect(all.body.contains("href=\"/collections/\(id)\">Supply chain starters</a>"))
            #expect(all.body.contains("2 people, 2 hashtags"))
            #expect(try await c.browser.get("/collections?mine=1").body.contains("Supply chain starters"))
            let bobs = TestBrowser(client)
            try await bobs.signIn("bob")
            #expect(try await bobs.get("/collections?mine=1").body.contains("You have not published a collection yet."))
            // Bob does not get a box for himself, nor an edit link.
            let seenByBob = try await bobs.get("/collections/\(id)")
            #expect(!seenByBob.body.contains(pickBox(c.bob)))
            #expect(seenByBob.body.contains(pickBox(c.carol)))
            #expect(!seenByBob.body.contains("/edit\""))

            #expect(try await c.browser.get("/collections/12345").status == .notFound)
            #expect(try await c.browser.get("/collections/not-an-id").status == .notFound)
        }
    }

    @Test func invalidCollectionsAreRefusedAndNothingIsStored() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            try await harness.setPrivacy(c.dave, .everyone, discoverable: false)
            try await c.browser.get("/collections/new")
            let cases: [([String: String], String)] = [
                (["title": "  ", "handles": "bob"], "Give the collection a title."),
                (["title": "People", "handles": "bob nobody"], "There is no member @nobody."),
                (["title": "People", "handles": "@dave"], "@dave prefers not to be suggested to others."),
                (["title": "People"], "List at least one person or hashtag."),
                (["title": String(repeating: "t", count: 101), "handles": "bob"], "A title can be at most 100 characters."),
            ]
            for (form, message) in cases {
                let page = try await c.browser.post("/collections", form: form)
                #expect(page.status == .unprocessableContent, "\(form)")
                #expect(page.body.contains(message), "\(form)")
                #expect(page.body.contains("<h1>New collection</h1>"), "\(form)")
            }
            // What was typed stays in the form.
            let kept = try await c.browser.post("/collections", form: ["title": "Keep me", "handles": "bob nobody", "tags": "lean"])
            #expect(kept.body.contains("value=\"Keep me\""))
            #expect(kept.body.contains("bob\nnobody"))
            #expect(try await harness.collections().isEmpty)
        }
    }

    @Test func followEverythingThenNothingIsLeft() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            let id = try await Self.publish(c.browser)
            let bobs = TestBrowser(client)
            try await bobs.signIn("bob")
            try await bobs.get("/collections/\(id)")
            let done = try await bobs.post("/collections/\(id)/follow", form: ["everything": "1"])
            #expect(done.location == "/collections/\(id)")
            let page = try await bobs.follow(done)
            // Bob is not offered to follow himself: Carol and two hashtags.
            #expect(flashNotice(page) == "You now follow 1 person and 2 hashtags.")
            #expect(page.body.contains("You follow everyone and every hashtag in this collection."))
            #expect(!page.body.contains("Follow everything"))
            #expect(try await harness.follows(c.bob, c.carol))
            #expect(try await harness.isFollowingTag(c.bob, "forecasting"))
            #expect(try await harness.isFollowingTag(c.bob, "lean"))

            let again = try await bobs.follow(try await bobs.post("/collections/\(id)/follow", form: ["everything": "1"]))
            #expect(flashNotice(again) == "You already follow everything you chose from this collection.")
        }
    }

    @Test func followTheSelectedPeopleAndHashtags() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            let id = try await Self.publish(c.browser)
            let daves = TestBrowser(client)
            try await daves.signIn("dave")
            try await daves.get("/collections/\(id)")

            let nothing = try await daves.post("/collections/\(id)/follow", fields: [])
            #expect(nothing.location == "/collections/\(id)")
            #expect(flashNotice(try await daves.follow(nothing)) == "Tick the people or hashtags to follow, or follow everything.")

            let done = try await daves.post("/collections/\(id)/follow", fields: pickIDs(c.bob) + [("tags", "lean")])
            let page = try await daves.follow(done)
            #expect(flashNotice(page) == "You now follow 1 person and 1 hashtag.")
            #expect(try await harness.follows(c.dave, c.bob))
            #expect(try await !harness.follows(c.dave, c.carol))
            #expect(try await harness.isFollowingTag(c.dave, "lean"))
            #expect(try await !harness.isFollowingTag(c.dave, "forecasting"))
            #expect(!page.body.contains(pickBox(c.bob)))
            #expect(page.body.contains(pickBox(c.carol)))
            #expect(page.body.contains("<span class=\"badge\">Following</span>"))

            // Someone not in the collection, or a hashtag not in it, is not followed through it.
            let outside = try await daves.post("/collections/\(id)/follow", fields: pickIDs(c.alice) + [("tags", "gardening")])
            #expect(flashNotice(try await daves.follow(outside)) == "You already follow everything you chose from this collection.")
            #expect(try await !harness.follows(c.dave, c.alice))
            #expect(try await !harness.isFollowingTag(c.dave, "gardening"))
        }
    }

    @Test func theOwnerEditsTheCollection() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            let id = try await Self.publish(c.browser)
            let form = try await c.browser.get("/collections/\(id)/edit")
            #expect(form.status == .ok)
            #expect(form.body.contains("<h1>Edit collection</h1>"))
            #expect(form.body.contains("value=\"Supply chain starters\""))
            #expect(form.body.contains("bob\ncarol"))
            #expect(form.body.contains("value=\"forecasting lean\""))

            let saved = try await c.browser.post(
                "/collections/\(id)/edit", form: ["title": "Starters", "handles": "dave", "tags": ""])
            #expect(saved.location == "/collections/\(id)")
            let page = try await c.browser.follow(saved)
            #expect(flashNotice(page) == "Collection saved.")
            #expect(page.body.contains("<h1>Starters</h1>"))
            #expect(page.body.contains(pickBox(c.dave)))
            #expect(!page.body.contains(pickBox(c.bob)))
            #expect(page.body.contains("No hashtags in this collection."))

            let refused = try await c.browser.post("/collections/\(id)/edit", form: ["title": "", "handles": "dave"])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("Give the collection a title."))
            #expect(try await harness.collections().first?.title == "Starters")
        }
    }

    @Test func othersMayNotEditOrDeleteButAnAdministratorMayDelete() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            let id = try await Self.publish(c.browser)
            let bobs = TestBrowser(client)
            try await bobs.signIn("bob")
            #expect(try await bobs.get("/collections/\(id)/edit").status == .forbidden)
            try await bobs.get("/collections/\(id)")
            #expect(try await bobs.post("/collections/\(id)/edit", form: ["title": "Mine now", "handles": "bob"]).status == .forbidden)
            #expect(try await bobs.post("/collections/\(id)/delete", form: [:]).status == .forbidden)
            #expect(try await harness.collections().first?.title == "Supply chain starters")

            try await harness.addMember("root", role: .admin)
            let admin = TestBrowser(client)
            try await admin.signIn("root")
            let shown = try await admin.get("/collections/\(id)")
            #expect(shown.body.contains("Delete collection"))
            let deleted = try await admin.post("/collections/\(id)/delete", form: [:])
            #expect(deleted.location == "/collections?mine=1")
            #expect(flashNotice(try await admin.follow(deleted)) == "Collection deleted.")
            #expect(try await harness.collections().isEmpty)
            #expect(try await c.browser.get("/collections/\(id)").status == .notFound)
            #expect(try await c.browser.post("/collections/\(id)/delete", form: [:]).status == .notFound)
        }
    }

    @Test func theOwnerDeletesAndMembersWhoStopBeingDiscoverableDropOut() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            let id = try await Self.publish(c.browser)
            try await harness.setPrivacy(c.carol, .everyone, discoverable: false)
            let page = try await c.browser.get("/collections/\(id)")
            #expect(page.body.contains(pickBox(c.bob)))
            #expect(!page.body.contains(pickBox(c.carol)))

            let deleted = try await c.browser.post("/collections/\(id)/delete", form: [:])
            #expect(deleted.location == "/collections?mine=1")
            #expect(try await c.browser.follow(deleted).body.contains("You have not published a collection yet."))
            #expect(try await harness.collections().isEmpty)
        }
    }
}
