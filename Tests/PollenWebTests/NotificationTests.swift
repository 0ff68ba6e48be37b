import Foundation
import Hummingbird
import HummingbirdTesting
import PollenCore
@testable import PollenWeb
import Testing

extension WebHarness {
    /// Everything `member` has been told, newest first, straight from the database.
    func notificationsOf(_ member: Member) async throws -> [MemberNotification] {
        try await store.read {
            try await $0.notifications.list(member: member.id, kinds: nil, range: CursorRange(limit: 200))
        }
    }

    func unreadNotificationsOf(_ member: Member) async throws -> Int {
        try await store.read { try await $0.notifications.unreadCount(member: member.id) }
    }

    /// A post written through the use case, for tests whose subject is what others do with it.
    func publish(_ body: String, by member: Member, visibility: Post.Visibility = .organization, replyTo: Post? = nil)
        async throws -> Post
    {
        try await pollen.publishPost(
            PostDraft(body: body, visibility: visibility, replyToID: replyTo?.id), by: .member(member))
    }

    /// The newest post of `member`, as stored.
    func newestPost(of member: Member) async throws -> Post {
        let views = try await pollen.timeline(.author(member.id), viewer: .member(member), range: CursorRange(limit: 1))
        return try #require(views.first?.post)
    }
}

/// The header's Notifications link with its unread count, as the head template renders it.
private func headerCount(_ page: TestBrowser.Page) -> String? {
    guard let range = page.body.range(of: "data-unread") else { return nil }
    let rest = page.body[range.upperBound...]
    guard let close = rest.range(of: "</span>") else { return nil }
    return String(rest[..<close.lowerBound])
}

@Suite struct NotificationTests {
    /// Alice, Bob and Carol; Alice signed in.
    private static func members(_ harness: WebHarness, _ client: any TestClientProtocol) async throws
        -> (browser: TestBrowser, alice: Member, bob: Member, carol: Member)
    {
        let alice = try await harness.addMember("alice", name: "Alice Archer")
        let bob = try await harness.addMember("bob", name: "Bob Baker")
        let carol = try await harness.addMember("carol", name: "Carol Cole")
        let browser = TestBrowser(client)
        try await browser.signIn("alice")
        return (browser, alice, bob, carol)
    }

    // MARK: - Who is told what

    @Test func followingTellsTheFollowedMember() async throws {
        try await WebHarness.run { harness, client in
            let (browser, alice, bob, carol) = try await Self.members(harness, client)
            try await browser.get("/@bob")
            #expect(try await browser.post("/@bob/follow", form: [:]).status == .found)
            let told = try await harness.notificationsOf(bob)
            #expect(told.count == 1)
            #expect(told.first?.kind == .follow)
            #expect(told.first?.actorID == alice.id)
            #expect(told.first?.postID == nil)
            #expect(told.first?.readAt == nil)
            #expect(try await harness.notificationsOf(alice).isEmpty)
            #expect(try await harness.notificationsOf(carol).isEmpty)
        }
    }

    @Test func undoingAFollowFavouriteOrReshareWithdrawsWhatTheAuthorWasTold() async throws {
        try await WebHarness.run { harness, client in
            let (browser, alice, bob, carol) = try await Self.members(harness, client)
            let post = try await harness.publish("Notes on pollination", by: bob)
            try await harness.pollen.setFavourite(true, post.id, by: .member(carol))
            try await browser.get("/@bob")
            #expect(try await browser.post("/@bob/follow", form: [:]).status == .found)
            try await browser.get("/posts/\(post.id)")
            #expect(try await browser.post("/posts/\(post.id)/favourite", form: [:]).status == .found)
            #expect(try await browser.post("/posts/\(post.id)/reshare", form: [:]).status == .found)
            #expect(try await harness.notificationsOf(bob).map(\.kind) == [.reshare, .favourite, .follow, .favourite])

            #expect(try await browser.post("/posts/\(post.id)/unreshare", form: [:]).status == .found)
            #expect(try await browser.post("/posts/\(post.id)/unfavourite", form: [:]).status == .found)
            try await browser.get("/@bob")
            #expect(try await browser.post("/@bob/unfollow", form: [:]).status == .found)
            // Only Alice's acts are withdrawn; Carol's favourite stays.
            let left = try await harness.notificationsOf(bob)
            #expect(left.map(\.kind) == [.favourite])
            #expect(left.map(\.actorID) == [carol.id])
            #expect(try await harness.notificationsOf(alice).isEmpty)
        }
    }

    @Test func mentioningTellsEachMentionedMemberOfThePost() async throws {
        try await WebHarness.run { harness, client in
            let (browser, alice, bob, carol) = try await Self.members(harness, client)
            let done = try await browser.post(
                "/posts", form: ["status": "Reading group tomorrow, @bob and @carol? (@nobody is welcome too)"])
            #expect(done.status == .found)
            let post = try await harness.newestPost(of: alice)
            for member in [bob, carol] {
                let told = try await harness.notificationsOf(member)
                #expect(told.map(\.kind) == [.mention])
                #expect(told.first?.actorID == alice.id)
                #expect(told.first?.postID == post.id)
            }
            #expect(try await harness.notificationsOf(alice).isEmpty)
        }
    }

    @Test func replyingTellsTheParentsAuthorOnceAsAReply() async throws {
        try await WebHarness.run { harness, client in
            let (browser, alice, bob, carol) = try await Self.members(harness, client)
            let question = try await harness.publish("How do bees find flowers?", by: bob)
            try await browser.get("/posts/\(question.id)")
            let done = try await browser.post(
                "/posts", form: ["status": "@bob by scent, and @carol knows more", "in_reply_to_id": question.id.description])
            #expect(done.status == .found)
            let reply = try await harness.newestPost(of: alice)
            #expect(reply.replyToID == question.id)
            // Bob is mentioned too, yet hears of it once, as a reply.
            let toBob = try await harness.notificationsOf(bob)
            #expect(toBob.map(\.kind) == [.reply])
            #expect(toBob.first?.actorID == alice.id)
            #expect(toBob.first?.postID == reply.id)
            let toCarol = try await harness.notificationsOf(carol)
            #expect(toCarol.map(\.kind) == [.mention])
            #expect(toCarol.first?.postID == reply.id)
        }
    }

    @Test func aReplyTheParentsAuthorCannotSeeTellsThemNothing() async throws {
        try await WebHarness.run { harness, client in
            let (browser, alice, bob, _) = try await Self.members(harness, client)
            let question = try await harness.publish("Who has read the new report?", by: bob)
            try await browser.get("/posts/\(question.id)")
            // For Alice's followers only, and Bob does not follow her: he cannot read it, so is not told.
            _ = try await browser.post(
                "/posts", form: ["status": "I have", "visibility": "followers", "in_reply_to_id": question.id.description])
            let hidden = try await harness.newestPost(of: alice)
            #expect(hidden.replyToID == question.id)
            #expect(try await harness.notificationsOf(bob).isEmpty)

            // Once he follows her, such a reply is his to read and he is told.
            try await harness.pollen.followMember(alice.id, by: .member(bob))
            _ = try await browser.post(
                "/posts", form: ["status": "So has Dana", "visibility": "followers", "in_reply_to_id": question.id.description])
            let seen = try await harness.newestPost(of: alice)
            let told = try await harness.notificationsOf(bob)
            #expect(told.map(\.kind) == [.reply])
            #expect(told.first?.postID == seen.id)
        }
    }

    @Test func resharingAndFavouritingTellTheAuthor() async throws {
        try await WebHarness.run { harness, client in
            let (browser, alice, bob, carol) = try await Self.members(harness, client)
            let post = try await harness.publish("Notes on pollination", by: bob)
            try await browser.get("/posts/\(post.id)")
            #expect(try await browser.post("/posts/\(post.id)/favourite", form: [:]).status == .found)
            #expect(try await browser.post("/posts/\(post.id)/reshare", form: [:]).status == .found)
            // A second favourite changes nothing and tells nobody again.
            #expect(try await browser.post("/posts/\(post.id)/favourite", form: [:]).status == .found)
            let told = try await harness.notificationsOf(bob)
            #expect(told.map(\.kind) == [.reshare, .favourite])
            #expect(told.map(\.actorID) == [alice.id, alice.id])
            // Both are about Bob's post, not about Alice's reshare of it.
            #expect(told.map(\.postID) == [post.id, post.id])
            #expect(try await harness.notificationsOf(alice).isEmpty)
            #expect(try await harness.notificationsOf(carol).isEmpty)
        }
    }

    @Test func onesOwnActsTellNobody() async throws {
        try await WebHarness.run { harness, client in
            let (browser, alice, _, _) = try await Self.members(harness, client)
            _ = try await browser.post("/posts", form: ["status": "A note to myself, @alice"])
            let post = try await harness.newestPost(of: alice)
            #expect(try await browser.post("/posts/\(post.id)/favourite", form: [:]).status == .found)
            #expect(try await browser.post("/posts/\(post.id)/reshare", form: [:]).status == .found)
            _ = try await browser.post("/posts", form: ["status": "And a reply", "in_reply_to_id": post.id.description])
            #expect(try await harness.newestPost(of: alice).replyToID == post.id)
            #expect(try await harness.notificationsOf(alice).isEmpty)
        }
    }

    @Test func mutedActorsTellNothing() async throws {
        try await WebHarness.run { harness, client in
            let (browser, alice, bob, _) = try await Self.members(harness, client)
            let post = try await harness.publish("Field trip photos", by: bob)
            try await harness.pollen.setMuted(true, alice.id, by: .member(bob))
            try await browser.get("/posts/\(post.id)")
            #expect(try await browser.post("/@bob/follow", form: [:]).status == .found)
            #expect(try await browser.post("/posts/\(post.id)/favourite", form: [:]).status == .found)
            #expect(try await browser.post("/posts/\(post.id)/reshare", form: [:]).status == .found)
            _ = try await browser.post("/posts", form: ["status": "Lovely @bob", "in_reply_to_id": post.id.description])
            _ = try await browser.post("/posts", form: ["status": "Have you met @bob?"])
            #expect(try await harness.relationship(alice, bob).following)
            #expect(try await harness.notificationsOf(bob).isEmpty)

            // Unmuted, the same kind of act reaches him.
            try await harness.pollen.setMuted(false, alice.id, by: .member(bob))
            _ = try await browser.post("/posts", form: ["status": "Welcome back, @bob"])
            #expect(try await harness.notificationsOf(bob).map(\.kind) == [.mention])
        }
    }

    @Test func blockedActorsTellNothingEitherWay() async throws {
        try await WebHarness.run { harness, client in
            let (browser, alice, bob, carol) = try await Self.members(harness, client)
            let post = try await harness.publish("Field trip photos", by: bob)
            try await harness.pollen.setBlocked(true, alice.id, by: .member(bob))
            try await browser.get("/local")
            // Bob blocks Alice: whatever she tries, he is not told.
            #expect(try await browser.post("/@bob/follow", form: [:]).status == .forbidden)
            #expect(try await browser.post("/posts/\(post.id)/favourite", form: [:]).status == .notFound)
            #expect(try await browser.post("/posts/\(post.id)/reshare", form: [:]).status == .notFound)
            _ = try await browser.post("/posts", form: ["status": "Reply", "in_reply_to_id": post.id.description])
            _ = try await browser.post("/posts", form: ["status": "Hello @bob"])
            #expect(try await harness.notificationsOf(bob).isEmpty)

            // Alice blocks Carol, then mentions her: Carol is not told by someone who blocks her.
            try await harness.pollen.setBlocked(true, carol.id, by: .member(alice))
            try await browser.get("/local")
            _ = try await browser.post("/posts", form: ["status": "Thanks to @carol"])
            #expect(try await harness.notificationsOf(carol).isEmpty)
            // Nor does Carol's own act reach Alice, who blocks her.
            let alicesPost = try await harness.newestPost(of: alice)
            _ = try? await harness.pollen.setFavourite(true, alicesPost.id, by: .member(carol))
            _ = try await harness.publish("@alice are you there?", by: carol)
            #expect(try await harness.notificationsOf(alice).isEmpty)
        }
    }

    @Test func aBlockWithdrawsTheFollowNotificationsBothWays() async throws {
        try await WebHarness.run { harness, client in
            let (browser, alice, bob, carol) = try await Self.members(harness, client)
            #expect(try await browser.post("/@bob/follow", form: [:]).status == .found)
            _ = try await harness.pollen.followMember(alice.id, by: .member(bob))
            _ = try await harness.pollen.followMember(bob.id, by: .member(carol))
            #expect(Set(try await harness.notificationsOf(bob).map(\.actorID)) == [carol.id, alice.id])
            #expect(try await harness.notificationsOf(alice).map(\.actorID) == [bob.id])
            try await harness.pollen.setBlocked(true, alice.id, by: .member(bob))
            #expect(try await harness.notificationsOf(bob).map(\.actorID) == [carol.id])
            #expect(try await harness.notificationsOf(alice).isEmpty)
            #expect(try await harness.relationship(alice, bob).following == false)
        }
    }

    @Test func aMentionOfSomeoneWhoBlocksTheAuthorTellsThemNothing() async throws {
        try await WebHarness.run { harness, client in
            let (browser, alice, bob, carol) = try await Self.members(harness, client)
            try await harness.pollen.setBlocked(true, alice.id, by: .member(carol))
            _ = try await browser.post("/posts", form: ["status": "Ask @bob or @carol"])
            let post = try await harness.newestPost(of: alice)
            #expect(post.mentionIDs == [bob.id])
            #expect(try await harness.notificationsOf(bob).map(\.kind) == [.mention])
            #expect(try await harness.notificationsOf(carol).isEmpty)
        }
    }

    // MARK: - The header and the notifications page

    @Test func theHeaderCountsUnreadAndThePageListsThemAndMarksThemRead() async throws {
        try await WebHarness.run { harness, client in
            let (browser, alice, bob, _) = try await Self.members(harness, client)
            let home = try await browser.get("/")
            #expect(headerCount(home) == " hidden>")
            #expect(home.body.contains("aria-label=\"Notifications\""))

            try await harness.pollen.followMember(alice.id, by: .member(bob))
            _ = try await harness.publish("Welcome aboard, @alice!", by: bob)
            for path in ["/", "/local", "/@bob"] {
                let page = try await browser.get(path)
                #expect(headerCount(page) == ">2", "\(path)")
                #expect(page.body.contains("aria-label=\"Notifications, 2 unread\""), "\(path)")
            }

            let page = try await browser.get("/notifications")
            #expect(page.status == .ok)
            #expect(page.body.contains("<a href=\"/@bob\">Bob Baker</a> followed you"))
            #expect(page.body.contains("<a href=\"/@bob\">Bob Baker</a> mentioned you"))
            #expect(page.body.contains("Welcome aboard"))
            // Newest first; both new on this first visit.
            let mention = try #require(page.body.range(of: "mentioned you"))
            let follow = try #require(page.body.range(of: "followed you"))
            #expect(mention.lowerBound < follow.lowerBound)
            #expect(page.body.components(separatedBy: "<span class=\"badge\">New</span>").count == 3)
            // The page read them: its own header already says so, and so does the database.
            #expect(headerCount(page) == " hidden>")
            #expect(try await harness.unreadNotificationsOf(alice) == 0)
            #expect(try await harness.notificationsOf(alice).allSatisfy { $0.readAt != nil })

            let again = try await browser.get("/notifications")
            #expect(again.body.contains("followed you"))
            #expect(!again.body.contains("<span class=\"badge\">New</span>"))
            #expect(headerCount(try await browser.get("/")) == " hidden>")

            // A new one counts again.
            _ = try await harness.pollen.setFavourite(true, try await harness.publish("Mine", by: alice).id, by: .member(bob))
            #expect(headerCount(try await browser.get("/")) == ">1")
            #expect(try await browser.get("/notifications").body.contains("Bob Baker</a> favourited your post"))
        }
    }

    @Test func everyKindHasItsSentence() async throws {
        try await WebHarness.run { harness, client in
            let (browser, alice, bob, carol) = try await Self.members(harness, client)
            let post = try await harness.publish("Notes", by: alice)
            try await harness.pollen.followMember(alice.id, by: .member(bob))
            _ = try await harness.pollen.setFavourite(true, post.id, by: .member(bob))
            _ = try await harness.pollen.resharePost(post.id, by: .member(bob))
            _ = try await harness.publish("Good notes", by: carol, replyTo: post)
            _ = try await harness.publish("See @alice", by: carol)
            let page = try await browser.get("/notifications")
            for sentence in [
                "Bob Baker</a> followed you", "Bob Baker</a> favourited your post", "Bob Baker</a> reshared your post",
                "Carol Cole</a> replied to your post", "Carol Cole</a> mentioned you",
            ] {
                #expect(page.body.contains(sentence), "\(sentence)")
            }
        }
    }

    @Test func theKindFilterShowsOneKindAndLeavesTheRestUnread() async throws {
        try await WebHarness.run { harness, client in
            let (browser, alice, bob, _) = try await Self.members(harness, client)
            try await harness.pollen.followMember(alice.id, by: .member(bob))
            _ = try await harness.publish("Hi @alice", by: bob)

            let follows = try await browser.get("/notifications?kind=follow")
            #expect(follows.body.contains("followed you"))
            #expect(!follows.body.contains("mentioned you"))
            #expect(follows.body.contains("<a href=\"/notifications?kind=follow\" aria-current=\"page\">Follows</a>"))
            #expect(follows.body.contains("<a href=\"/notifications\">All</a>"))
            let mentions = try await browser.get("/notifications?kind=mention")
            #expect(mentions.body.contains("mentioned you"))
            #expect(!mentions.body.contains("followed you"))
            #expect(try await browser.get("/notifications?kind=reply").body.contains("Nothing yet."))
            // A filtered view does not read what it leaves out, so nothing is marked read yet.
            #expect(try await harness.unreadNotificationsOf(alice) == 2)
            #expect(headerCount(mentions) == ">2")

            let all = try await browser.get("/notifications")
            #expect(all.body.contains("<a href=\"/notifications\" aria-current=\"page\">All</a>"))
            #expect(all.body.contains("followed you") && all.body.contains("mentioned you"))
            #expect(try await harness.unreadNotificationsOf(alice) == 0)
        }
    }

    @Test func olderNotificationsAreOnTheNextPage() async throws {
        try await WebHarness.run { harness, client in
            let (browser, alice, _, _) = try await Self.members(harness, client)
            for n in 1...(NotificationPages.pageSize + 1) {
                let follower = try await harness.addMember("follower\(n)", name: "Follower \(n)")
                try await harness.pollen.followMember(alice.id, by: .member(follower))
            }
            let first = try await browser.get("/notifications")
            #expect(first.body.components(separatedBy: "followed you").count == NotificationPages.pageSize + 1)
            #expect(first.body.contains("Follower \(NotificationPages.pageSize + 1)</a>"))
            #expect(!first.body.contains("Follower 1</a>"))
            let oldest = try await harness.notificationsOf(alice)[NotificationPages.pageSize - 1]
            #expect(first.body.contains("href=\"/notifications?before=\(oldest.id)\" rel=\"next\""))

            let second = try await browser.get("/notifications?before=\(oldest.id)")
            #expect(second.body.components(separatedBy: "followed you").count == 2)
            #expect(second.body.contains("Follower 1</a>"))
            #expect(!second.body.contains("rel=\"next\""))
        }
    }

    @Test func clearingNeedsTheFormTokenAndRemovesThemAll() async throws {
        try await WebHarness.run { harness, client in
            let (browser, alice, bob, carol) = try await Self.members(harness, client)
            try await harness.pollen.followMember(alice.id, by: .member(bob))
            try await harness.pollen.followMember(alice.id, by: .member(carol))
            try await harness.pollen.followMember(bob.id, by: .member(carol))
            let page = try await browser.get("/notifications")
            #expect(page.body.contains("action=\"/notifications/clear\""))

            let refused = try await browser.postWithoutToken("/notifications/clear", form: [:])
            #expect(refused.status == .forbidden)
            #expect(try await harness.notificationsOf(alice).count == 2)
            let forged = try await browser.post("/notifications/clear", form: [:], csrf: "not-the-token")
            #expect(forged.status == .forbidden)
            #expect(try await harness.notificationsOf(alice).count == 2)

            let done = try await browser.post("/notifications/clear", form: [:])
            #expect(done.status == .found)
            #expect(done.location == "/notifications")
            let after = try await browser.follow(done)
            #expect(after.body.contains("Notifications cleared."))
            #expect(after.body.contains("Nothing yet."))
            #expect(!after.body.contains("action=\"/notifications/clear\""))
            #expect(try await harness.notificationsOf(alice).isEmpty)
            // Only Alice's: Bob still has his.
            #expect(try await harness.notificationsOf(bob).count == 1)
        }
    }

    @Test func theStreamSendsTheUnreadCount() async throws {
        try await WebHarness.run { harness, client in
            let (browser, alice, bob, _) = try await Self.members(harness, client)
            try await harness.pollen.followMember(alice.id, by: .member(bob))
            _ = try await harness.publish("Hi @alice", by: bob)

            let stream = try await browser.get("/notifications/stream")
            #expect(stream.status == .ok)
            #expect(stream.headers[.contentType] == "text/event-stream")
            #expect(stream.headers[.cacheControl] == "no-store")
            #expect(stream.body.contains("event: unread\ndata: 2\n\n"))

            try await browser.get("/notifications")
            let after = try await browser.get("/notifications/stream")
            #expect(after.body.contains("event: unread\ndata: 0\n\n"))
            #expect(!after.body.contains("data: 2"))
        }
    }

    @Test func signedOutVisitorsAreSentToSignIn() async throws {
        try await WebHarness.run { _, client in
            for path in ["/notifications", "/notifications?kind=mention", "/notifications/stream"] {
                let page = try await client.raw(path)
                #expect([.found, .seeOther].contains(page.status), "\(path)")
                #expect(page.location?.hasPrefix("/signin?next=") == true, "\(path)")
            }
        }
    }

    @Test func notificationsAboutADeletedPostGoWithIt() async throws {
        try await WebHarness.run { harness, client in
            let (browser, alice, bob, _) = try await Self.members(harness, client)
            let mine = try await harness.publish("My findings", by: alice)
            let mention = try await harness.publish("Thanks @alice for the findings", by: bob)
            _ = try await harness.pollen.setFavourite(true, mine.id, by: .member(bob))
            try await harness.pollen.followMember(alice.id, by: .member(bob))
            #expect(headerCount(try await browser.get("/")) == ">3")

            try await harness.pollen.deletePost(mention.id, by: .member(bob))
            // The count drops with it: no badge for something there is nothing to see of.
            #expect(headerCount(try await browser.get("/")) == ">2")
            try await browser.get("/posts/\(mine.id)")
            #expect(try await browser.post("/posts/\(mine.id)/delete", form: [:]).status == .found)
            #expect(headerCount(try await browser.get("/")) == ">1")

            let page = try await browser.get("/notifications")
            #expect(page.body.contains("followed you"))
            #expect(!page.body.contains("mentioned you"))
            #expect(!page.body.contains("Thanks"))
            #expect(!page.body.contains("favourited your post"))
            #expect(try await harness.notificationsOf(alice).map(\.kind) == [.follow])
        }
    }
}
