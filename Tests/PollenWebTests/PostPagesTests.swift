import Foundation
import Hummingbird
import HummingbirdTesting
import PollenCore
import Testing

/// Publishes a post straight through the use case, as `author`.
@discardableResult
private func publish(
    _ harness: WebHarness, _ text: String, by author: Member, visibility: Post.Visibility = .organization,
    replyTo: Post.ID? = nil
) async throws -> Post {
    try await harness.pollen.publishPost(
        PostDraft(body: text, visibility: visibility, replyToID: replyTo), by: .member(author))
}

/// A post as stored, deleted ones included.
private func stored(_ harness: WebHarness, _ id: Post.ID) async throws -> Post {
    try #require(try await harness.store.read { try await $0.posts.find(id: id) })
}

/// The member's posts, newest first, as the author sees them (deleted ones left out).
private func posts(_ harness: WebHarness, by member: Member) async throws -> [Post] {
    try await harness.store.read {
        try await $0.posts.timeline(.author(member.id), viewer: member.id, range: CursorRange(limit: 100))
    }.map(\.post)
}

/// The ids of the posts a page shows, in page order.
private func shownPostIDs(_ page: TestBrowser.Page) -> [String] {
    var ids: [String] = []
    var rest = page.body[...]
    while let range = rest.range(of: "id=\"post-") {
        let after = rest[range.upperBound...]
        let id = after.prefix { $0.isNumber }
        ids.append(String(id))
        rest = after
    }
    return ids
}

/// A redirect target without its fragment, as a browser requests it.
private func path(_ location: String?) throws -> String {
    String(try #require(location).prefix { $0 != "#" })
}

@Suite struct PostPagesTests {
    /// Alice signed in, and Bob who writes.
    private static func aliceAndBob(
        _ harness: WebHarness, _ client: any TestClientProtocol
    ) async throws -> (browser: TestBrowser, alice: Member, bob: Member) {
        let alice = try await harness.addMember("alice", name: "Alice Archer")
        let bob = try await harness.addMember("bob", name: "Bob Baker")
        let browser = TestBrowser(client)
        try await browser.signIn("alice")
        return (browser, alice, bob)
    }

    private static func signedIn(_ client: any TestClientProtocol, _ handle: String) async throws -> TestBrowser {
        let browser = TestBrowser(client)
        try await browser.signIn(handle)
        return browser
    }

    // MARK: - Compose

    @Test func composeOnHomeCreatesAPost() async throws {
        try await WebHarness.run { harness, client in
            let (browser, alice, _) = try await Self.aliceAndBob(harness, client)
            let home = try await browser.get("/")
            #expect(home.status == .ok)
            #expect(home.body.contains("action=\"/posts\""))
            #expect(home.body.contains("name=\"status\""))
            #expect(home.body.contains("Your home timeline is empty."))

            let done = try await browser.post("/posts", form: ["status": "Notes on #Lean flow\r\nSecond line", "visibility": "organization"])
            #expect(done.status == .found)
            #expect(done.location == "/")
            let page = try await browser.follow(done)
            #expect(page.body.contains("Posted."))
            #expect(page.body.contains("Notes on"))
            #expect(!page.body.contains("Your home timeline is empty."))

            let saved = try #require(try await posts(harness, by: alice).first)
            #expect(saved.body == "Notes on #Lean flow\nSecond line", "line breaks are stored in one form")
            #expect(saved.hashtags == ["lean"])
            #expect(saved.visibility == .organization)
            #expect(shownPostIDs(page) == [saved.id.description])

            let profile = try await browser.get("/@alice")
            #expect(shownPostIDs(profile) == [saved.id.description])
            #expect(profile.body.contains("Notes on"))
            // Everyone in the organization sees it on the organization timeline and under its hashtag.
            let bobsBrowser = try await Self.signedIn(client, "bob")
            #expect(shownPostIDs(try await bobsBrowser.get("/local")) == [saved.id.description])
            #expect(shownPostIDs(try await bobsBrowser.get("/tags/lean")) == [saved.id.description])
            #expect(shownPostIDs(try await bobsBrowser.get("/@alice")) == [saved.id.description])
        }
    }

    @Test func postTextIsShownSafely() async throws {
        try await WebHarness.run { harness, client in
            let (browser, alice, _) = try await Self.aliceAndBob(harness, client)
            try await browser.get("/")
            let text = """
                <script>alert("x")</script> <img src=x onerror=alert(1)> [click me](javascript:alert(1)) \
                [Also](JaVaScRiPt:alert(2)) [fine](https://example.org/a) #Supply-Chain for @bob and @nobody
                """
            #expect(try await browser.post("/posts", form: ["status": text]).status == .found)
            let post = try #require(try await posts(harness, by: alice).first)
            #expect(post.hashtags == ["supply-chain"])
            let page = try await browser.get("/posts/\(post.id)")
            #expect(page.status == .ok)
            #expect(!page.body.contains("<script>alert"))
            #expect(page.body.contains("&lt;script&gt;"))
            #expect(!page.body.contains("<img src=x"))
            #expect(!page.body.lowercased().contains("href=\"javascript:"))
            #expect(page.body.contains("click me"))
            #expect(page.body.contains("href=\"https://example.org/a\""))
            #expect(page.body.contains("<a href=\"/tags/supply-chain\" class=\"hashtag\">#Supply-Chain</a>"))
            #expect(page.body.contains("<a href=\"/@bob\" class=\"mention\">@bob</a>"))
            #expect(!page.body.contains("href=\"/@nobody\""), "an unknown handle is not a link")
        }
    }

    @Test func tooLongOrEmptyPostsAreRefusedWithTheReason() async throws {
        try await WebHarness.run { harness, client in
            let (browser, alice, _) = try await Self.aliceAndBob(harness, client)
            try await browser.get("/")
            let long = String(repeating: "a", count: PostText.maxLength + 1)
            let tooLong = try await browser.post("/posts", form: ["status": long, "visibility": "followers"])
            #expect(tooLong.status == .unprocessableContent)
            #expect(tooLong.body.contains("A post can be at most 5000 characters; this one has 5001."))
            #expect(tooLong.body.contains("aria-invalid=\"true\""))
            #expect(tooLong.body.contains(long), "the text is kept to be shortened")
            #expect(tooLong.body.contains("<option value=\"followers\" selected>"))

            for blank in ["", "   \r\n  "] {
                let empty = try await browser.post("/posts", form: ["status": blank])
                #expect(empty.status == .unprocessableContent)
                #expect(empty.body.contains("Write something first."))
            }
            // Exactly the limit is fine.
            #expect(try await posts(harness, by: alice).isEmpty)
            let fits = try await browser.post("/posts", form: ["status": String(repeating: "b", count: PostText.maxLength)])
            #expect(fits.status == .found)
            #expect(try await posts(harness, by: alice).count == 1)
        }
    }

    // MARK: - Threads

    @Test func aReplyOnTheThreadPageAppearsUnderThePost() async throws {
        try await WebHarness.run { harness, client in
            let (browser, alice, bob) = try await Self.aliceAndBob(harness, client)
            let root = try await publish(harness, "What do you use for #forecasting?", by: bob)
            let thread = try await browser.get("/posts/\(root.id)")
            #expect(thread.status == .ok)
            #expect(thread.body.contains("name=\"in_reply_to_id\" value=\"\(root.id)\""))
            #expect(thread.body.contains("@bob </textarea>"), "the reply starts by mentioning the author")

            let done = try await browser.post(
                "/posts", form: ["status": "@bob Prophet, mostly.", "in_reply_to_id": root.id.description, "visibility": "organization"])
            #expect(done.status == .found)
            let reply = try #require(try await posts(harness, by: alice).first)
            #expect(done.location == "/posts/\(root.id)#post-\(reply.id)")
            #expect(reply.replyToID == root.id)
            #expect(reply.threadRootID == root.id)
            #expect(reply.mentionIDs == [bob.id])

            let page = try await browser.get(try path(done.location))
            #expect(page.body.contains("Reply posted."))
            #expect(shownPostIDs(page) == [root.id.description, reply.id.description], "the reply comes under the post")
            #expect(page.body.contains("Prophet, mostly."))
            #expect(page.body.contains("Reply · 1"))
            #expect(try await stored(harness, root.id).counts.replies == 1)

            // The reply's own page shows the post it answers above it.
            let replyPage = try await browser.get("/posts/\(reply.id)")
            #expect(shownPostIDs(replyPage) == [root.id.description, reply.id.description])
        }
    }

    @Test func aRefusedReplyStaysAReplyWithItsText() async throws {
        try await WebHarness.run { harness, client in
            let (browser, alice, bob) = try await Self.aliceAndBob(harness, client)
            let root = try await publish(harness, "Ask me anything", by: bob)
            try await browser.get("/posts/\(root.id)")
            let long = String(repeating: "r", count: PostText.maxLength + 1)
            let page = try await browser.post("/posts", form: ["status": long, "in_reply_to_id": root.id.description])
            #expect(page.status == .unprocessableContent)
            #expect(page.body.contains("A post can be at most 5000 characters; this one has 5001."))
            #expect(page.body.contains(">\(long)</textarea>"))
            #expect(page.body.contains("name=\"in_reply_to_id\" value=\"\(root.id)\""), "sending it again is still a reply")
            #expect(page.body.contains(">Reply</button>"))
            #expect(try await posts(harness, by: alice).isEmpty)
        }
    }

    @Test func replyingToADeletedPostIsRefused() async throws {
        try await WebHarness.run { harness, client in
            let (browser, alice, bob) = try await Self.aliceAndBob(harness, client)
            let root = try await publish(harness, "Soon gone", by: bob)
            try await browser.get("/posts/\(root.id)")
            try await harness.pollen.deletePost(root.id, by: .member(bob))
            let page = try await browser.post(
                "/posts", form: ["status": "Too late", "in_reply_to_id": root.id.description])
            #expect(page.status == .unprocessableContent)
            #expect(page.body.contains("You cannot reply to a deleted post."))
            #expect(page.body.contains(">Too late</textarea>"), "the text is not lost")
            #expect(page.body.contains("This post has been deleted."))
            #expect(try await posts(harness, by: alice).isEmpty)
            #expect(try await stored(harness, root.id).counts.replies == 0)

            // A reply to a post that does not exist is not found.
            let missing = try await browser.post("/posts", form: ["status": "Hello?", "in_reply_to_id": "999999"])
            #expect(missing.status == .notFound)
            #expect(try await posts(harness, by: alice).isEmpty)
        }
    }

    @Test func aDeletedPostShowsAPlaceholderAndItsRepliesStay() async throws {
        try await WebHarness.run { harness, client in
            let (browser, alice, bob) = try await Self.aliceAndBob(harness, client)
            let root = try await publish(harness, "Original words", by: bob)
            let reply = try await publish(harness, "An answer", by: alice, replyTo: root.id)
            try await harness.pollen.deletePost(root.id, by: .member(bob))

            let replyPage = try await browser.get("/posts/\(reply.id)")
            #expect(replyPage.status == .ok)
            #expect(replyPage.body.contains("This post has been deleted."))
            #expect(!replyPage.body.contains("Original words"))
            #expect(replyPage.body.contains("An answer"))
            #expect(shownPostIDs(replyPage) == [root.id.description, reply.id.description])

            let rootPage = try await browser.get("/posts/\(root.id)")
            #expect(rootPage.status == .ok)
            #expect(rootPage.body.contains("This post has been deleted."))
            #expect(rootPage.body.contains("An answer"))
            #expect(!rootPage.body.contains("name=\"in_reply_to_id\""), "no reply box under a deleted post")
        }
    }

    // MARK: - Visibility

    @Test func aFollowersOnlyPostIsHiddenUntilFollowing() async throws {
        try await WebHarness.run { harness, client in
            let (browser, _, bob) = try await Self.aliceAndBob(harness, client)
            let post = try await publish(harness, "Just for my followers", by: bob, visibility: .followers)
            let hidden = try await browser.get("/posts/\(post.id)")
            #expect(hidden.status == .notFound)
            #expect(!hidden.body.contains("Just for my followers"))
            #expect(!(try await browser.get("/@bob")).body.contains("Just for my followers"))
            #expect(!(try await browser.get("/local")).body.contains("Just for my followers"))

            try await browser.get("/@bob")
            #expect(try await browser.post("/@bob/follow", form: [:]).status == .found)
            let shown = try await browser.get("/posts/\(post.id)")
            #expect(shown.status == .ok)
            #expect(shown.body.contains("Just for my followers"))
            #expect(shown.body.contains("Followers only"))
            #expect(!shown.body.contains("/reshare\""), "followers-only posts cannot be reshared")
            #expect(try await browser.get("/").body.contains("Just for my followers"))
            #expect(try await browser.get("/@bob").body.contains("Just for my followers"))
        }
    }

    @Test func aPostForMentionedPeopleReachesOnlyThem() async throws {
        try await WebHarness.run { harness, client in
            let (browser, alice, bob) = try await Self.aliceAndBob(harness, client)
            try await harness.addMember("carol")
            let post = try await publish(harness, "Just between us, @alice", by: bob, visibility: .mentioned)
            #expect(post.mentionIDs == [alice.id])
            #expect(try await browser.get("/posts/\(post.id)").status == .ok)
            let carol = try await Self.signedIn(client, "carol")
            #expect(try await carol.get("/posts/\(post.id)").status == .notFound)
            #expect(!(try await carol.get("/@bob")).body.contains("Just between us"))
        }
    }

    // MARK: - Favourites, bookmarks and reshares

    @Test func favouriteBookmarkAndReshareButtonsChangeStateAndCounts() async throws {
        try await WebHarness.run { harness, client in
            let (browser, alice, bob) = try await Self.aliceAndBob(harness, client)
            let post = try await publish(harness, "Worth keeping", by: bob)
            let here = "/posts/\(post.id)"
            let before = try await browser.get(here)
            #expect(before.body.contains("Favourite · 0</button>"))
            #expect(before.body.contains("Reshare · 0</button>"))
            #expect(before.body.contains(">Bookmark</button>"))

            let favourite = try await browser.post("\(here)/favourite", form: ["next": here])
            #expect(favourite.status == .found)
            #expect(favourite.location == here)
            let favourited = try await browser.follow(favourite)
            #expect(favourited.body.contains("Added to your favourites."))
            #expect(favourited.body.contains("action=\"\(here)/unfavourite\""))
            #expect(favourited.body.contains("aria-pressed=\"true\">Unfavourite · 1</button>"))

            let bookmarked = try await browser.follow(try await browser.post("\(here)/bookmark", form: ["next": here]))
            #expect(bookmarked.body.contains("Bookmarked. Only you can see your bookmarks."))
            #expect(bookmarked.body.contains(">Remove bookmark</button>"))

            let reshared = try await browser.follow(try await browser.post("\(here)/reshare", form: ["next": here]))
            #expect(reshared.body.contains("Reshared to your followers."))
            #expect(reshared.body.contains("aria-pressed=\"true\">Undo reshare · 1</button>"))
            #expect(try await stored(harness, post.id).counts == Post.Counts(replies: 0, reshares: 1, favourites: 1))
            let reshare = try #require(try await posts(harness, by: alice).first)
            #expect(reshare.reshareOfID == post.id)
            let profile = try await browser.get("/@alice")
            #expect(profile.body.contains("reshared"))
            #expect(profile.body.contains("Worth keeping"))

            let bookmarks = try await browser.get("/bookmarks")
            #expect(shownPostIDs(bookmarks) == [post.id.description])

            // A second reshare says so instead of failing, and counts once.
            let again = try await browser.follow(try await browser.post("\(here)/reshare", form: ["next": here]))
            #expect(again.body.contains("You have reshared this post already."))
            #expect(try await stored(harness, post.id).counts.reshares == 1)

            // Everything undone.
            for action in ["unfavourite", "unbookmark", "unreshare"] {
                #expect(try await browser.post("\(here)/\(action)", form: ["next": here]).status == .found, "\(action)")
            }
            let after = try await browser.get(here)
            #expect(after.body.contains("aria-pressed=\"false\">Favourite · 0</button>"))
            #expect(after.body.contains("aria-pressed=\"false\">Reshare · 0</button>"))
            #expect(after.body.contains(">Bookmark</button>"))
            #expect(try await stored(harness, post.id).counts == Post.Counts())
            #expect(try await stored(harness, reshare.id).isDeleted)
            #expect(shownPostIDs(try await browser.get("/bookmarks")).isEmpty)
            #expect(try await browser.get("/bookmarks").body.contains("No bookmarks yet"))
        }
    }

    @Test func bookmarksAreSeenOnlyByTheMemberWhoMadeThem() async throws {
        try await WebHarness.run { harness, client in
            let (browser, _, bob) = try await Self.aliceAndBob(harness, client)
            let carol = try await harness.addMember("carol")
            let first = try await publish(harness, "First post", by: bob)
            let second = try await publish(harness, "Second post", by: bob)
            _ = try await harness.pollen.setBookmark(true, second.id, by: .member(carol))
            try await browser.get("/")
            #expect(try await browser.post("/posts/\(first.id)/bookmark", form: [:]).status == .found)

            #expect(shownPostIDs(try await browser.get("/bookmarks")) == [first.id.description])
            let carolsBrowser = try await Self.signedIn(client, "carol")
            #expect(shownPostIDs(try await carolsBrowser.get("/bookmarks")) == [second.id.description])

            // The author sees no sign of anyone's bookmarks.
            let bobsBrowser = try await Self.signedIn(client, "bob")
            #expect(shownPostIDs(try await bobsBrowser.get("/bookmarks")).isEmpty)
            for post in [first, second] {
                let page = try await bobsBrowser.get("/posts/\(post.id)")
                #expect(page.body.contains(">Bookmark</button>"))
                #expect(!page.body.contains("Remove bookmark"))
                #expect(!page.body.contains("bookmarked"))
            }
            #expect(try await stored(harness, first.id).counts == Post.Counts())
        }
    }

    @Test func resharingAFollowersOnlyPostAsANonFollowerIsNotFound() async throws {
        try await WebHarness.run { harness, client in
            let (browser, alice, bob) = try await Self.aliceAndBob(harness, client)
            let post = try await publish(harness, "Followers only", by: bob, visibility: .followers)
            try await browser.get("/")
            for action in ["reshare", "favourite", "bookmark"] {
                let page = try await browser.post("/posts/\(post.id)/\(action)", form: [:])
                #expect(page.status == .notFound, "\(action)")
            }
            #expect(try await posts(harness, by: alice).isEmpty)
            #expect(try await stored(harness, post.id).counts == Post.Counts())
            #expect(shownPostIDs(try await browser.get("/bookmarks")).isEmpty)

            // A follower may see it but still not reshare it: it is not for the whole organization.
            _ = try await harness.pollen.followMember(bob.id, by: .member(alice))
            let refused = try await browser.post("/posts/\(post.id)/reshare", form: [:])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("Only posts visible to the whole organization can be reshared."))
            #expect(try await posts(harness, by: alice).isEmpty)
        }
    }

    @Test func aReshareOfAReshareAndReshareAcrossABlock() async throws {
        try await WebHarness.run { harness, client in
            let (browser, alice, bob) = try await Self.aliceAndBob(harness, client)
            let carol = try await harness.addMember("carol")
            let post = try await publish(harness, "Pass it on", by: bob)
            let carolsReshare = try await harness.pollen.resharePost(post.id, by: .member(carol))
            try await browser.get("/")
            // Resharing carol's reshare passes on bob's post itself.
            #expect(try await browser.post("/posts/\(carolsReshare.id)/reshare", form: [:]).status == .found)
            let reshare = try #require(try await posts(harness, by: alice).first)
            #expect(reshare.reshareOfID == post.id)
            #expect(try await stored(harness, post.id).counts.reshares == 2)

            // Once bob blocks alice, carol's reshare no longer brings his post to alice.
            _ = try await harness.pollen.followMember(carol.id, by: .member(alice))
            #expect(try await browser.get("/").body.contains("Pass it on"))
            _ = try await harness.pollen.setBlocked(true, alice.id, by: .member(bob))
            let home = try await browser.get("/")
            #expect(!home.body.contains("Pass it on"))
            #expect(!shownPostIDs(home).contains(post.id.description))
            #expect(!(try await browser.get("/@carol")).body.contains("Pass it on"))
            #expect(try await browser.get("/posts/\(post.id)").status == .notFound)
            #expect(try await browser.post("/posts/\(post.id)/reshare", form: [:]).status == .notFound)
        }
    }

    @Test func mentionsOfMembersWhoBlockTheAuthorAreNotLinked() async throws {
        try await WebHarness.run { harness, client in
            let (browser, alice, bob) = try await Self.aliceAndBob(harness, client)
            let carol = try await harness.addMember("carol")
            _ = try await harness.pollen.setBlocked(true, alice.id, by: .member(carol))
            try await browser.get("/")
            #expect(try await browser.post("/posts", form: ["status": "Hello @carol and @bob", "visibility": "mentioned"]).status == .found)
            let post = try #require(try await posts(harness, by: alice).first)
            #expect(post.mentionIDs == [bob.id])
            let page = try await browser.get("/posts/\(post.id)")
            #expect(page.body.contains("<a href=\"/@bob\" class=\"mention\">@bob</a>"))
            #expect(!page.body.contains("href=\"/@carol\""))
            let carolsBrowser = try await Self.signedIn(client, "carol")
            #expect(try await carolsBrowser.get("/posts/\(post.id)").status == .notFound)
            let bobsBrowser = try await Self.signedIn(client, "bob")
            #expect(try await bobsBrowser.get("/posts/\(post.id)").status == .ok)
        }
    }

    // MARK: - Edit and delete

    @Test func theAuthorEditsAndTheEarlierVersionIsKept() async throws {
        try await WebHarness.run { harness, client in
            let bob = try await harness.addMember("bob", name: "Bob Baker")
            let browser = try await Self.signedIn(client, "bob")
            let post = try await publish(harness, "First draft about #swift", by: bob)
            let thread = try await browser.get("/posts/\(post.id)")
            #expect(thread.body.contains("href=\"/posts/\(post.id)/edit\""))

            let form = try await browser.get("/posts/\(post.id)/edit")
            #expect(form.status == .ok)
            #expect(form.body.contains(">First draft about #swift</textarea>"))
            #expect(!form.body.contains("Earlier versions"))

            let saved = try await browser.post("/posts/\(post.id)/edit", form: ["status": "Second draft about #kotlin"])
            #expect(saved.status == .found)
            #expect(saved.location == "/posts/\(post.id)")
            let page = try await browser.follow(saved)
            #expect(page.body.contains("Post saved."))
            #expect(page.body.contains("Second draft about"))
            #expect(!page.body.contains("First draft"))
            #expect(page.body.contains(" · edited"))

            let edited = try await stored(harness, post.id)
            #expect(edited.body == "Second draft about #kotlin")
            #expect(edited.hashtags == ["kotlin"])
            #expect(edited.editedAt != nil)
            let history = try await browser.get("/posts/\(post.id)/edit")
            #expect(history.body.contains("Earlier versions"))
            #expect(history.body.contains("First draft about"))
            #expect(history.body.contains(">Second draft about #kotlin</textarea>"))
            #expect(shownPostIDs(try await browser.get("/tags/kotlin")) == [post.id.description])
            #expect(shownPostIDs(try await browser.get("/tags/swift")).isEmpty)

            // A text over the limit is refused on the edit page, and the post keeps its text.
            let tooLong = try await browser.post(
                "/posts/\(post.id)/edit", form: ["status": String(repeating: "c", count: PostText.maxLength + 1)])
            #expect(tooLong.status == .unprocessableContent)
            #expect(tooLong.body.contains("A post can be at most 5000 characters"))
            #expect(tooLong.body.contains("Earlier versions"))
            #expect(try await stored(harness, post.id).body == "Second draft about #kotlin")
        }
    }

    @Test func anotherMemberCannotEditOrDelete() async throws {
        try await WebHarness.run { harness, client in
            let (browser, _, bob) = try await Self.aliceAndBob(harness, client)
            let post = try await publish(harness, "Bob's words", by: bob)
            let thread = try await browser.get("/posts/\(post.id)")
            #expect(!thread.body.contains("/posts/\(post.id)/edit"))
            #expect(!thread.body.contains("/posts/\(post.id)/delete"))

            #expect(try await browser.get("/posts/\(post.id)/edit").status == .forbidden)
            #expect(try await browser.get("/posts/\(post.id)/delete").status == .forbidden)
            let edit = try await browser.post("/posts/\(post.id)/edit", form: ["status": "Alice's words"])
            #expect(edit.status == .forbidden)
            let delete = try await browser.post("/posts/\(post.id)/delete", form: [:])
            #expect(delete.status == .forbidden)

            let unchanged = try await stored(harness, post.id)
            #expect(unchanged.body == "Bob's words")
            #expect(unchanged.editedAt == nil)
            #expect(!unchanged.isDeleted)
            #expect(try await harness.store.read { try await $0.posts.revisions(of: post.id) }.isEmpty)
        }
    }

    @Test func theAuthorAndAModeratorMayDelete() async throws {
        try await WebHarness.run { harness, client in
            let (_, _, bob) = try await Self.aliceAndBob(harness, client)
            try await harness.addMember("mia", name: "Mia Moderator", role: .moderator)
            let first = try await publish(harness, "Against the rules", by: bob)
            let second = try await publish(harness, "Regretted", by: bob)

            let moderator = try await Self.signedIn(client, "mia")
            let thread = try await moderator.get("/posts/\(first.id)")
            #expect(thread.body.contains("href=\"/posts/\(first.id)/delete\""))
            #expect(!thread.body.contains("/posts/\(first.id)/edit\""), "moderators delete but do not edit")
            let confirm = try await moderator.get("/posts/\(first.id)/delete")
            #expect(confirm.status == .ok)
            #expect(confirm.body.contains("Delete this post?"))
            #expect(confirm.body.contains("Against the rules"))
            #expect(confirm.body.contains("action=\"/posts/\(first.id)/delete\""))
            #expect(!(try await stored(harness, first.id)).isDeleted, "asking is not deleting")
            let removed = try await moderator.post("/posts/\(first.id)/delete", form: [:])
            #expect(removed.status == .found)
            #expect(removed.location == "/")
            #expect(try await moderator.follow(removed).body.contains("Post deleted."))
            #expect(try await stored(harness, first.id).isDeleted)

            let author = try await Self.signedIn(client, "bob")
            let own = try await author.post("/posts/\(second.id)/delete", form: ["next": "/@bob"])
            #expect(own.location == "/@bob")
            #expect(try await stored(harness, second.id).isDeleted)
            let local = try await author.get("/local")
            #expect(!local.body.contains("Against the rules"))
            #expect(!local.body.contains("Regretted"))

            // Deleting twice finds nothing to delete.
            #expect(try await author.post("/posts/\(second.id)/delete", form: [:]).status == .notFound)
        }
    }

    // MARK: - CSRF

    @Test func everyPostFormNeedsTheToken() async throws {
        try await WebHarness.run { harness, client in
            let (browser, alice, bob) = try await Self.aliceAndBob(harness, client)
            let post = try await publish(harness, "Bob's post", by: bob)
            let own = try await publish(harness, "Alice's post", by: alice)
            try await browser.get("/")
            let forms: [(String, [String: String])] = [
                ("/posts", ["status": "Forged"]),
                ("/posts", ["status": "Forged reply", "in_reply_to_id": post.id.description]),
                ("/posts/\(own.id)/edit", ["status": "Forged edit"]),
                ("/posts/\(own.id)/delete", [:]),
                ("/posts/\(post.id)/favourite", [:]),
                ("/posts/\(post.id)/unfavourite", [:]),
                ("/posts/\(post.id)/bookmark", [:]),
                ("/posts/\(post.id)/unbookmark", [:]),
                ("/posts/\(post.id)/reshare", [:]),
                ("/posts/\(post.id)/unreshare", [:]),
            ]
            for (path, form) in forms {
                let page = try await browser.postWithoutToken(path, form: form)
                #expect(page.status == .forbidden, "\(path)")
                #expect(page.body.contains("This form has expired or came from another site."), "\(path)")
            }
            #expect(try await posts(harness, by: alice).map(\.id) == [own.id])
            let ownAfter = try await stored(harness, own.id)
            #expect(ownAfter.body == own.body && ownAfter.editedAt == nil && !ownAfter.isDeleted)
            #expect(try await stored(harness, post.id).counts == Post.Counts())
            let marks = try await harness.store.read { try await $0.posts.marks(of: alice.id, on: [post.id]) }
            #expect(marks == PostMarks())
        }
    }

    // MARK: - Home timeline

    @Test func homeShowsFollowedPeopleAndHashtagsButNotMutedOrBlockedAuthors() async throws {
        try await WebHarness.run { harness, client in
            let (browser, alice, bob) = try await Self.aliceAndBob(harness, client)
            let carol = try await harness.addMember("carol")
            let dave = try await harness.addMember("dave")
            let erin = try await harness.addMember("erin")
            let frank = try await harness.addMember("frank")
            _ = try await harness.pollen.followMember(bob.id, by: .member(alice))
            _ = try await harness.pollen.followMember(erin.id, by: .member(alice))
            _ = try await harness.pollen.followTag("lean", by: .member(alice))

            let own = try await publish(harness, "Alice writes", by: alice)
            let followed = try await publish(harness, "Bob writes", by: bob)
            let tagged = try await publish(harness, "Carol on #lean", by: carol)
            let unrelated = try await publish(harness, "Dave elsewhere", by: dave)
            let muted = try await publish(harness, "Erin writes", by: erin)
            let mutedTagged = try await publish(harness, "Erin on #lean", by: erin)
            let blockedTagged = try await publish(harness, "Frank on #lean", by: frank)
            _ = try await harness.pollen.setMuted(true, erin.id, by: .member(alice))
            _ = try await harness.pollen.setBlocked(true, frank.id, by: .member(alice))

            let home = try await browser.get("/")
            #expect(shownPostIDs(home) == [tagged, followed, own].map(\.id.description))
            for hidden in [unrelated, muted, mutedTagged, blockedTagged] {
                #expect(!home.body.contains(hidden.body), "\(hidden.body)")
            }
            // Muted posts still show on the muted member's own page; blocked ones nowhere.
            #expect(shownPostIDs(try await browser.get("/@erin")) == [mutedTagged, muted].map(\.id.description))
            #expect(shownPostIDs(try await browser.get("/tags/lean")) == [tagged.id.description])

            // Unmuting brings Erin back.
            _ = try await harness.pollen.setMuted(false, erin.id, by: .member(alice))
            let again = try await browser.get("/")
            #expect(shownPostIDs(again) == [mutedTagged, muted, tagged, followed, own].map(\.id.description))
        }
    }

    @Test func timelinesPageWithOlderPosts() async throws {
        try await WebHarness.run { harness, client in
            let (browser, alice, _) = try await Self.aliceAndBob(harness, client)
            var written: [Post] = []
            for index in 1...25 {
                written.append(try await publish(harness, "Note number \(index)", by: alice))
            }
            let newestFirst = written.reversed().map(\.id.description)
            let first = try await browser.get("/")
            #expect(shownPostIDs(first) == Array(newestFirst.prefix(20)))
            let older = "/?before=\(written[5].id)"
            #expect(first.body.contains("href=\"\(older)\" rel=\"next\">Older posts</a>"))

            let second = try await browser.get(older)
            #expect(shownPostIDs(second) == Array(newestFirst.suffix(5)))
            #expect(!second.body.contains("Older posts"))

            let profile = try await browser.get("/@alice")
            #expect(shownPostIDs(profile) == Array(newestFirst.prefix(20)))
            #expect(profile.body.contains("href=\"/@alice?before=\(written[5].id)\" rel=\"next\">Older posts</a>"))
            #expect(shownPostIDs(try await browser.get("/@alice?before=\(written[5].id)")) == Array(newestFirst.suffix(5)))

            let local = try await browser.get("/local")
            #expect(local.body.contains("href=\"/local?before=\(written[5].id)\""))
            #expect(shownPostIDs(try await browser.get("/local?before=\(written[5].id)")).count == 5)
        }
    }

    @Test func pagesNeedASignedInMember() async throws {
        try await WebHarness.run { harness, client in
            let bob = try await harness.addMember("bob")
            let post = try await publish(harness, "Inside only", by: bob)
            let anonymous = TestBrowser(client)
            for path in ["/local", "/bookmarks", "/posts/\(post.id)", "/posts/\(post.id)/edit"] {
                let page = try await anonymous.get(path)
                #expect([.found, .seeOther].contains(page.status), "\(path)")
                #expect(page.location?.hasPrefix("/signin") == true, "\(path)")
            }
            let home = try await anonymous.get("/")
            #expect(home.status == .ok)
            #expect(!home.body.contains("Inside only"))

            let member = try await Self.signedIn(client, "bob")
            for path in ["/posts/12345", "/posts/not-a-number", "/posts/12345/edit"] {
                #expect(try await member.get(path).status == .notFound, "\(path)")
            }
        }
    }
}
