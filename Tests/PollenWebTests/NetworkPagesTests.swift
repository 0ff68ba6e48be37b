import Foundation
import Hummingbird
import HummingbirdTesting
import PollenCore
import Testing

extension WebHarness {
    /// How `viewer` stands towards `target`, straight from the database.
    func relationship(_ viewer: Member, _ target: Member) async throws -> Relationship {
        try await store.read { try await $0.network.relationships(of: viewer.id, with: [target.id]) }.first
            ?? Relationship(target: target.id)
    }

    func counts(_ member: Member) async throws -> NetworkCounts {
        try await store.read { try await $0.network.counts(for: [member.id]) }[member.id] ?? NetworkCounts()
    }

    func isFollowingTag(_ member: Member, _ tag: String) async throws -> Bool {
        try await store.read { try await $0.network.isFollowingTag(member: member.id, tag: tag) }
    }

    /// A member with the given hashtags as subjects and expertise.
    @discardableResult
    func addMember(_ handle: String, name: String, expertise: [String], subjects: [String] = []) async throws -> Member {
        try await pollen.addMember(
            AddMemberCommand(
                handle: handle, email: "\(handle)@example.org", displayName: name, password: "correct-horse-1",
                profile: Profile(displayName: name, subjects: subjects, expertise: expertise)),
            by: .system)
    }
}

/// The handles a people list shows, in order.
private func listedHandles(_ page: TestBrowser.Page) -> [String] {
    let marker = "class=\"name\">"
    var handles: [String] = []
    var rest = page.body[...]
    while let range = rest.range(of: "<a href=\"/@") {
        let after = rest[range.upperBound...]
        guard let quote = after.firstIndex(of: "\"") else { break }
        if after[quote...].hasPrefix("\" " + marker) { handles.append(String(after[..<quote])) }
        rest = after[quote...]
    }
    return handles
}

@Suite struct NetworkPagesTests {
    /// Alice signed in, and Bob to look at.
    private static func aliceAndBob(
        _ harness: WebHarness, _ client: any TestClientProtocol
    ) async throws -> (browser: TestBrowser, alice: Member, bob: Member) {
        let alice = try await harness.addMember("alice", name: "Alice Archer")
        let bob = try await harness.addMember("bob", name: "Bob Baker")
        let browser = TestBrowser(client)
        try await browser.signIn("alice")
        return (browser, alice, bob)
    }

    // MARK: - Follow and unfollow from a profile

    @Test func followFromAProfileShowsUnfollowAndTheCounts() async throws {
        try await WebHarness.run { harness, client in
            let (browser, alice, bob) = try await Self.aliceAndBob(harness, client)
            let before = try await browser.get("/@bob")
            #expect(before.body.contains("action=\"/@bob/follow\""))
            #expect(before.body.contains(">Follow</button>"))
            #expect(before.body.contains("<strong>0</strong> followers"))

            let done = try await browser.post("/@bob/follow", form: [:])
            #expect(done.status == .found)
            #expect(done.location == "/@bob")
            let page = try await browser.follow(done)
            #expect(page.body.contains("You now follow @bob."))
            #expect(page.body.contains("action=\"/@bob/unfollow\""))
            #expect(page.body.contains(">Unfollow</button>"))
            #expect(!page.body.contains(">Follow</button>"))
            #expect(page.body.contains("<strong>1</strong> follower</a>"))
            #expect(page.body.contains("<strong>0</strong> following"))
            #expect(try await harness.relationship(alice, bob).following)
            #expect(try await harness.counts(bob) == NetworkCounts(followers: 1, following: 0))

            // Alice's own profile counts whom she follows and has no follow button for herself.
            let own = try await browser.get("/@alice")
            #expect(own.body.contains("<strong>1</strong> following"))
            #expect(!own.body.contains("action=\"/@alice/follow\""))
            #expect(!own.body.contains("Follows you"))

            // Bob sees that Alice follows him.
            let bobsBrowser = TestBrowser(client)
            try await bobsBrowser.signIn("bob")
            let seenByBob = try await bobsBrowser.get("/@alice")
            #expect(seenByBob.body.contains("Follows you"))
            #expect(seenByBob.body.contains(">Follow</button>"))

            let undone = try await browser.post("/@bob/unfollow", form: [:])
            #expect(undone.location == "/@bob")
            let after = try await browser.follow(undone)
            #expect(after.body.contains("You no longer follow @bob."))
            #expect(after.body.contains(">Follow</button>"))
            #expect(after.body.contains("<strong>0</strong> followers"))
            #expect(try await harness.relationship(alice, bob) == Relationship(target: bob.id))
        }
    }

    @Test func followingYourselfIsRefused() async throws {
        try await WebHarness.run { harness, client in
            let (browser, alice, _) = try await Self.aliceAndBob(harness, client)
            let page = try await browser.post("/@alice/follow", form: [:])
            #expect(page.status == .unprocessableContent)
            #expect(page.body.contains("You cannot follow yourself."))
            #expect(page.body.contains("<!doctype html>"))
            #expect(try await harness.counts(alice) == NetworkCounts())
        }
    }

    /// A second click, or a page left open in another tab, says how things stand instead of failing.
    @Test func followingTwiceSaysSoAndKeepsOneFollow() async throws {
        try await WebHarness.run { harness, client in
            let (browser, alice, bob) = try await Self.aliceAndBob(harness, client)
            try await browser.get("/@bob")
            #expect(try await browser.post("/@bob/follow", form: [:]).status == .found)
            let again = try await browser.post("/@bob/follow", form: ["next": "/members"])
            #expect(again.status == .found)
            #expect(again.location == "/members")
            let page = try await browser.follow(again)
            #expect(page.body.contains("You already follow @bob."))
            #expect(!page.body.contains("You now follow @bob."))
            #expect(try await harness.counts(bob).followers == 1)

            #expect(try await browser.post("/@bob/unfollow", form: [:]).status == .found)
            let notFollowing = try await browser.post("/@bob/unfollow", form: [:])
            #expect(notFollowing.location == "/@bob")
            #expect(try await browser.follow(notFollowing).body.contains("You do not follow @bob."))
            #expect(try await harness.relationship(alice, bob) == Relationship(target: bob.id))
        }
    }

    @Test func followingASuspendedOrUnknownMemberIsNotFound() async throws {
        try await WebHarness.run { harness, client in
            let (browser, alice, bob) = try await Self.aliceAndBob(harness, client)
            try await harness.pollen.setSuspended(true, memberID: bob.id, by: .system)
            for path in ["/@bob/follow", "/@nobody/follow", "/@bob/mute", "/@bob/block"] {
                let page = try await browser.post(path, form: [:])
                #expect(page.status == .notFound, "\(path)")
                #expect(page.body.contains("Member not found."), "\(path)")
            }
            #expect(try await harness.relationship(alice, bob) == Relationship(target: bob.id))

            // Not even an admin, who may look at suspended members, can follow one.
            let admin = try await harness.addMember("root", role: .admin)
            let adminBrowser = TestBrowser(client)
            try await adminBrowser.signIn("root")
            #expect(try await adminBrowser.post("/@bob/follow", form: [:]).status == .notFound)
            #expect(try await harness.relationship(admin, bob) == Relationship(target: bob.id))
            #expect(try await harness.counts(bob) == NetworkCounts())
        }
    }

    @Test func followingAcrossABlockIsForbidden() async throws {
        try await WebHarness.run { harness, client in
            let (browser, alice, bob) = try await Self.aliceAndBob(harness, client)
            try await harness.pollen.setBlocked(true, alice.id, by: .member(bob))
            let profile = try await browser.get("/@bob")
            #expect(!profile.body.contains("action=\"/@bob/follow\""), "no follow button for someone who blocks you")
            let page = try await browser.post("/@bob/follow", form: [:])
            #expect(page.status == .forbidden)
            #expect(page.body.contains("You cannot follow @bob."))
            #expect(try await harness.relationship(alice, bob) == Relationship(target: bob.id, blockedBy: true))

            // The one who blocks cannot follow either, until they unblock.
            let bobsBrowser = TestBrowser(client)
            try await bobsBrowser.signIn("bob")
            #expect(try await bobsBrowser.post("/@alice/follow", form: [:]).status == .forbidden)
            #expect(try await harness.counts(alice) == NetworkCounts())
        }
    }

    @Test func blockingEndsFollowsBothWays() async throws {
        try await WebHarness.run { harness, client in
            let (browser, alice, bob) = try await Self.aliceAndBob(harness, client)
            try await harness.pollen.followMember(bob.id, by: .member(alice))
            try await harness.pollen.followMember(alice.id, by: .member(bob))
            let profile = try await browser.get("/@bob")
            #expect(profile.body.contains("action=\"/@bob/block\""))
            #expect(profile.body.contains("Block @bob"))

            let done = try await browser.post("/@bob/block", form: [:])
            let page = try await browser.follow(done)
            #expect(page.body.contains("You blocked @bob."))
            #expect(page.body.contains("action=\"/@bob/unblock\""))
            #expect(page.body.contains("Unblock @bob"))
            #expect(!page.body.contains("action=\"/@bob/follow\""))
            #expect(!page.body.contains("action=\"/@bob/unfollow\""))
            #expect(page.body.contains("<strong>0</strong> followers"))
            #expect(try await harness.relationship(alice, bob) == Relationship(target: bob.id, blocking: true))
            #expect(try await harness.counts(alice) == NetworkCounts())
            #expect(try await harness.counts(bob) == NetworkCounts())

            let unblocked = try await browser.follow(try await browser.post("/@bob/unblock", form: [:]))
            #expect(unblocked.body.contains("You unblocked @bob."))
            #expect(unblocked.body.contains(">Follow</button>"))
            // Unblocking does not bring the follows back.
            #expect(try await harness.relationship(alice, bob) == Relationship(target: bob.id))
        }
    }

    @Test func muteAndUnmute() async throws {
        try await WebHarness.run { harness, client in
            let (browser, alice, bob) = try await Self.aliceAndBob(harness, client)
            try await harness.pollen.followMember(bob.id, by: .member(alice))
            let profile = try await browser.get("/@bob")
            #expect(profile.body.contains("action=\"/@bob/mute\""))

            let muted = try await browser.follow(try await browser.post("/@bob/mute", form: [:]))
            #expect(muted.body.contains("You muted @bob."))
            #expect(muted.body.contains("action=\"/@bob/unmute\""))
            #expect(muted.body.contains("Unmute @bob"))
            // Muting keeps the follow.
            #expect(muted.body.contains(">Unfollow</button>"))
            let mutedRelationship = try await harness.relationship(alice, bob)
            #expect(mutedRelationship.following)
            #expect(mutedRelationship.muting)
            #expect(!mutedRelationship.blocking)
            // Bob is not told.
            #expect(try await harness.relationship(bob, alice).muting == false)
            // Muting twice changes nothing.
            #expect(try await browser.post("/@bob/mute", form: [:]).status == .found)
            #expect(try await harness.relationship(alice, bob).muting)

            let unmuted = try await browser.follow(try await browser.post("/@bob/unmute", form: [:]))
            #expect(unmuted.body.contains("You unmuted @bob."))
            #expect(unmuted.body.contains("action=\"/@bob/mute\""))
            #expect(try await harness.relationship(alice, bob).muting == false)
            #expect(try await harness.relationship(alice, bob).following)

            let yourself = try await browser.post("/@alice/mute", form: [:])
            #expect(yourself.status == .unprocessableContent)
            #expect(yourself.body.contains("You cannot mute yourself."))
            let blockYourself = try await browser.post("/@alice/block", form: [:])
            #expect(blockYourself.status == .unprocessableContent)
            #expect(blockYourself.body.contains("You cannot block yourself."))
        }
    }

    @Test func nextReturnsOnlyToSameSitePaths() async throws {
        try await WebHarness.run { harness, client in
            let (browser, alice, bob) = try await Self.aliceAndBob(harness, client)
            try await browser.get("/@bob")
            let same = try await browser.post("/@bob/mute", form: ["next": "/members?subject=welding"])
            #expect(same.status == .found)
            #expect(same.location == "/members?subject=welding")
            for next in [
                "https://evil.example/", "//evil.example/path", "/\\evil.example", "javascript:alert(1)",
                "/\t/evil.example", "/\n/evil.example", "evil.example", "",
            ] {
                let page = try await browser.post("/@bob/mute", form: ["next": next])
                #expect(page.status == .found, "\(next.debugDescription)")
                #expect(page.location == "/@bob", "\(next.debugDescription)")
            }
            #expect(try await harness.relationship(alice, bob).muting)
        }
    }

    // MARK: - Followers and following lists

    @Test func followersAndFollowingPagesListPeople() async throws {
        try await WebHarness.run { harness, client in
            let (browser, alice, bob) = try await Self.aliceAndBob(harness, client)
            let carol = try await harness.addMember("carol", name: "Carol Chen")
            let dave = try await harness.addMember("dave", name: "Dave Dunn")
            try await harness.pollen.followMember(bob.id, by: .member(alice))
            try await harness.pollen.followMember(bob.id, by: .member(carol))
            try await harness.pollen.followMember(dave.id, by: .member(bob))
            try await harness.pollen.followMember(carol.id, by: .member(alice))

            let followers = try await browser.get("/@bob/followers")
            #expect(followers.status == .ok)
            #expect(followers.body.contains("People who follow Bob Baker"))
            #expect(followers.body.contains("href=\"/@bob\">Back to Bob Baker</a>"))
            #expect(listedHandles(followers) == ["carol", "alice"])
            // Alice already follows Carol and has no button for herself.
            #expect(followers.body.contains("aria-label=\"Unfollow Carol Chen\""))
            #expect(!followers.body.contains("Follow Alice Archer"))
            #expect(!followers.body.contains("rel=\"next\""))

            let following = try await browser.get("/@bob/following")
            #expect(following.body.contains("People Bob Baker follows"))
            #expect(listedHandles(following) == ["dave"])
            #expect(following.body.contains("aria-label=\"Follow Dave Dunn\""))
            #expect(following.body.contains("name=\"next\" value=\"/@bob/following\""))

            let empty = try await browser.get("/@dave/following")
            #expect(listedHandles(empty).isEmpty)
            #expect(empty.body.contains("Dave Dunn follows nobody yet."))
            #expect(try await browser.get("/@carol/followers").body.contains("Nobody follows") == false)
            #expect(try await browser.get("/@alice/followers").body.contains("Nobody follows Alice Archer yet."))
            #expect(try await browser.get("/@nobody/followers").status == .notFound)

            // Following from the list comes back to it.
            let done = try await browser.post("/@dave/follow", form: ["next": "/@bob/following"])
            #expect(done.location == "/@bob/following")
            let back = try await browser.follow(done)
            #expect(back.body.contains("You now follow @dave."))
            #expect(back.body.contains("aria-label=\"Unfollow Dave Dunn\""))
        }
    }

    @Test func followersPagePagesWithBefore() async throws {
        try await WebHarness.run { harness, client in
            let (browser, _, bob) = try await Self.aliceAndBob(harness, client)
            var handles: [String] = []
            for index in 1...41 {
                let handle = "fan\(index)"
                let fan = try await harness.addMember(handle, name: "Fan \(index)")
                try await harness.pollen.followMember(bob.id, by: .member(fan))
                handles.append(handle)
            }
            let first = try await browser.get("/@bob/followers")
            #expect(listedHandles(first) == Array(handles.reversed().prefix(40)))
            let next = try #require(first.body.firstMatch(of: #/href="(/@bob/followers\?before=\d+)" rel="next"/#)?.1)
            let second = try await browser.get(String(next))
            #expect(second.status == .ok)
            #expect(listedHandles(second) == ["fan1"])
            #expect(!second.body.contains("rel=\"next\""))
        }
    }

    @Test func suspendedFollowersDoNotCutThePagesShort() async throws {
        try await WebHarness.run { harness, client in
            let (browser, _, bob) = try await Self.aliceAndBob(harness, client)
            var fans: [Member] = []
            for index in 1...42 {
                let fan = try await harness.addMember("fan\(index)", name: "Fan \(index)")
                try await harness.pollen.followMember(bob.id, by: .member(fan))
                fans.append(fan)
            }
            // Two of the newest followers are suspended: they are left out, and the pages still reach everyone.
            try await harness.pollen.setSuspended(true, memberID: fans[41].id, by: .system)
            try await harness.pollen.setSuspended(true, memberID: fans[20].id, by: .system)
            var seen: [String] = []
            var path: String? = "/@bob/followers"
            while let current = path {
                let page = try await browser.get(current)
                #expect(page.status == .ok)
                seen += listedHandles(page)
                path = page.body.firstMatch(of: #/href="(/@bob/followers\?before=\d+)" rel="next"/#).map { String($0.1) }
                #expect(seen.count <= 42, "the pages do not loop")
                if seen.count > 42 { break }
            }
            let visible = fans.enumerated().filter { ![41, 20].contains($0.offset) }.map(\.element.handle)
            #expect(seen == visible.reversed())
        }
    }

    // MARK: - Directory

    @Test func directoryShowsFollowButtonsAndFollowingReturnsThere() async throws {
        try await WebHarness.run { harness, client in
            try await ProfileTests.seedDirectory(harness)
            let viewer = try await harness.addMember("viewer", name: "Viewer")
            let browser = TestBrowser(client)
            try await browser.signIn("viewer")
            let directory = try await browser.get("/members?department=Research")
            #expect(directory.body.contains("aria-label=\"Follow Alice Archer\""))
            #expect(directory.body.contains("aria-label=\"Follow Chloe Chen\""))
            #expect(directory.body.contains("action=\"/@alice/follow\""))
            #expect(directory.body.contains("name=\"next\" value=\"/members?department=Research\""))
            #expect(!directory.body.contains("Follow Viewer"))

            let done = try await browser.post("/@alice/follow", form: ["next": "/members?department=Research"])
            #expect(done.status == .found)
            #expect(done.location == "/members?department=Research")
            let back = try await browser.follow(done)
            #expect(back.body.contains("You now follow @alice."))
            #expect(back.body.contains("aria-label=\"Unfollow Alice Archer\""))
            #expect(back.body.contains("action=\"/@alice/unfollow\""))
            #expect(back.body.contains("aria-label=\"Follow Chloe Chen\""))
            let alice = try #require(try await harness.member("alice"))
            #expect(try await harness.relationship(viewer, alice).following)

            // Nobody is offered a Follow button for someone who blocks them.
            let bruno = try #require(try await harness.member("bruno"))
            try await harness.pollen.setBlocked(true, viewer.id, by: .member(bruno))
            let everyone = try await browser.get("/members")
            #expect(everyone.body.contains("href=\"/@bruno\" class=\"name\""))
            #expect(!everyone.body.contains("action=\"/@bruno/follow\""))
            #expect(everyone.body.contains("aria-label=\"Follow Chloe Chen\""))
        }
    }

    // MARK: - Hashtags

    @Test func hashtagPageFollowAndUnfollow() async throws {
        try await WebHarness.run { harness, client in
            let viewer = try await harness.addMember("viewer", name: "Viewer")
            try await harness.addMember("erin", name: "Erin Evans", subjects: ["supply-chain"])
            try await harness.addMember("femi", name: "Femi Fox", expertise: ["supply-chain", "logistics"])
            try await harness.addMember("gus", name: "Gus Green", subjects: ["baking"])
            let browser = TestBrowser(client)
            try await browser.signIn("viewer")

            // Typed as a hashtag with a space, it leads to the normalized tag's one address.
            let typed = try await browser.get("/tags/%23Supply%20Chain")
            #expect(typed.status == .movedPermanently)
            #expect(typed.location == "/tags/supply-chain")
            let page = try await browser.get("/tags/supply-chain")
            #expect(page.status == .ok)
            #expect(page.body.contains("<h1>#supply-chain</h1>"))
            #expect(page.body.contains("action=\"/tags/supply-chain/follow\""))
            #expect(page.body.contains("Follow #supply-chain</button>"))
            #expect(page.body.contains("Can help with #supply-chain (1)"))
            #expect(page.body.contains("Learning about #supply-chain (1)"))
            #expect(page.body.contains("aria-label=\"Follow Femi Fox\""))
            #expect(page.body.contains("aria-label=\"Follow Erin Evans\""))
            #expect(!page.body.contains("Gus Green"))

            let done = try await browser.post("/tags/%23Supply%20Chain/follow", form: [:])
            #expect(done.status == .found)
            #expect(done.location == "/tags/supply-chain")
            let followed = try await browser.follow(done)
            #expect(followed.body.contains("You now follow #supply-chain."))
            #expect(followed.body.contains("action=\"/tags/supply-chain/unfollow\""))
            #expect(followed.body.contains("Unfollow #supply-chain</button>"))
            #expect(try await harness.isFollowingTag(viewer, "supply-chain"))

            let again = try await browser.post("/tags/supply-chain/follow", form: [:])
            #expect(again.location == "/tags/supply-chain")
            #expect(try await browser.follow(again).body.contains("You already follow #supply-chain."))

            let undone = try await browser.post("/tags/SUPPLY-CHAIN/unfollow", form: [:])
            #expect(undone.location == "/tags/supply-chain")
            let unfollowed = try await browser.follow(undone)
            #expect(unfollowed.body.contains("You no longer follow #supply-chain."))
            #expect(unfollowed.body.contains("Follow #supply-chain</button>"))
            #expect(try await harness.isFollowingTag(viewer, "supply-chain") == false)
            let notFollowing = try await browser.post("/tags/supply-chain/unfollow", form: [:])
            #expect(notFollowing.location == "/tags/supply-chain")
            #expect(try await browser.follow(notFollowing).body.contains("You do not follow #supply-chain."))
            #expect(try await harness.isFollowingTag(viewer, "supply-chain") == false)

            // Letters beyond ASCII arrive percent-encoded.
            let accented = try await browser.get("/tags/caf%C3%A9")
            #expect(accented.status == .ok)
            #expect(accented.body.contains("<h1>#café</h1>"))
            #expect(try await browser.post("/tags/caf%C3%A9/follow", form: [:]).status == .found)
            #expect(try await harness.isFollowingTag(viewer, "café"))
        }
    }

    @Test func invalidHashtagIsRefused() async throws {
        try await WebHarness.run { harness, client in
            let viewer = try await harness.addMember("viewer", name: "Viewer")
            let browser = TestBrowser(client)
            try await browser.signIn("viewer")
            let page = try await browser.get("/tags/c++")
            #expect(page.status == .unprocessableContent)
            #expect(page.body.contains("may contain only letters, digits, hyphens and underscores"))
            let follow = try await browser.post("/tags/c++/follow", form: [:])
            #expect(follow.status == .unprocessableContent)
            let blank = try await browser.post("/tags/%20/follow", form: [:])
            #expect(blank.status == .unprocessableContent)
            #expect(try await harness.store.read {
                try await $0.network.followedTags(of: viewer.id, range: CursorRange())
            }.isEmpty)
        }
    }

    // MARK: - CSRF and signed-out visitors

    @Test func postsWithoutCSRFAreRefusedAndChangeNothing() async throws {
        try await WebHarness.run { harness, client in
            let (browser, alice, bob) = try await Self.aliceAndBob(harness, client)
            let carol = try await harness.addMember("carol")
            // Alice follows and mutes Bob, blocks Carol and follows #swift: every action below would change that.
            try await harness.pollen.followMember(bob.id, by: .member(alice))
            try await harness.pollen.setMuted(true, bob.id, by: .member(alice))
            try await harness.pollen.setBlocked(true, carol.id, by: .member(alice))
            try await harness.pollen.followTag("swift", by: .member(alice))
            let bobBefore = try await harness.relationship(alice, bob)
            let carolBefore = try await harness.relationship(alice, carol)
            try await browser.get("/@bob")
            let paths = [
                "/@bob/unfollow", "/@bob/unmute", "/@bob/block", "/@carol/unblock", "/@carol/follow", "/@carol/mute",
                "/tags/swift/unfollow", "/tags/kotlin/follow",
            ]
            for path in paths {
                let missing = try await browser.postWithoutToken(path, form: ["next": "/"])
                #expect(missing.status == .forbidden, "\(path)")
                #expect(missing.body.contains("This form has expired or came from another site."), "\(path)")
                let wrong = try await browser.post(path, form: [:], csrf: String(repeating: "x", count: 43))
                #expect(wrong.status == .forbidden, "\(path)")
            }
            #expect(try await harness.relationship(alice, bob) == bobBefore)
            #expect(try await harness.relationship(alice, carol) == carolBefore)
            #expect(try await harness.isFollowingTag(alice, "swift"))
            #expect(try await harness.isFollowingTag(alice, "kotlin") == false)
        }
    }

    @Test func signedOutVisitorsAreSentToSignIn() async throws {
        try await WebHarness.run { harness, client in
            let alice = try await harness.addMember("alice", name: "Alice Archer")
            let bob = try await harness.addMember("bob", name: "Bob Baker")
            try await harness.pollen.followMember(bob.id, by: .member(alice))
            let browser = TestBrowser(client)
            for path in ["/@bob/followers", "/@bob/following", "/tags/swift"] {
                let page = try await browser.get(path)
                #expect(page.status == .seeOther, "\(path)")
                #expect(page.location?.hasPrefix("/signin?next=") == true, "\(path)")
                #expect(!page.body.contains("Alice Archer"))
            }
            // A signed-out form post, even with the anonymous CSRF token, changes nothing.
            try await browser.get("/signin")
            for path in ["/@bob/follow", "/@alice/unfollow", "/@bob/block", "/tags/swift/follow"] {
                let page = try await browser.post(path, form: [:])
                #expect(page.status == .unauthorized, "\(path)")
            }
            #expect(try await harness.counts(bob) == NetworkCounts(followers: 1, following: 0))
            #expect(try await harness.relationship(bob, alice) == Relationship(target: alice.id, followedBy: true))
        }
    }
}
