import Foundation
import Hummingbird
import HummingbirdTesting
import PollenCore
import Testing

@Suite struct CommunityPagesTests {
    /// Alice starts communities; Bob and Carol are members of the organization.
    private struct Cast {
        let alice: TestBrowser
        let bob: TestBrowser
        let carol: TestBrowser
        let aliceMember: Member
        let bobMember: Member
        let carolMember: Member
    }

    private static func cast(_ harness: WebHarness, _ client: any TestClientProtocol) async throws -> Cast {
        let a = try await harness.addMember("alice", name: "Alice Archer", department: "Logistics")
        let b = try await harness.addMember("bob", name: "Bob Baker", department: "Logistics")
        let c = try await harness.addMember("carol", name: "Carol Chen", department: "Finance")
        let alice = TestBrowser(client)
        try await alice.signIn("alice")
        let bob = TestBrowser(client)
        try await bob.signIn("bob")
        let carol = TestBrowser(client)
        try await carol.signIn("carol")
        return Cast(alice: alice, bob: bob, carol: carol, aliceMember: a, bobMember: b, carolMember: c)
    }

    /// Alice founds a community through the form.
    private static func found(
        _ browser: TestBrowser, slug: String, name: String, kind: String = "vertical", membership: String = "open"
    ) async throws {
        try await browser.get("/communities/new")
        let made = try await browser.post(
            "/communities",
            form: [
                "slug": slug, "name": name, "kind": kind, "membership": membership,
                "purpose": "Front-line managers learn from each other.", "guidelines": "Be kind. Share what worked.",
            ])
        #expect(made.status == .found)
        #expect(made.location == "/c/\(slug)")
    }

    /// Posts an item through the compose form and returns its page's path.
    private static func publish(
        _ browser: TestBrowser, in slug: String, type: String, title: String, body: String, extra: [(String, String)] = [],
        files: [(String, String, [UInt8])] = []
    ) async throws -> String {
        try await browser.get("/c/\(slug)/new?type=\(type)")
        let made = try await browser.postMultipart(
            "/c/\(slug)/items", fields: [("type", type), ("title", title), ("body", body)] + extra, files: files)
        #expect(made.status == .found, "\(made.body)")
        return try #require(made.location)
    }

    @Test func foundACommunityAndFindItInTheDirectory() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            let empty = try await c.alice.get("/communities")
            #expect(empty.status == .ok)
            #expect(empty.body.contains("No communities yet."))
            #expect(empty.body.contains("href=\"/communities\">Communities</a>"))

            // A bad address is refused with the reason, and nothing is made.
            try await c.alice.get("/communities/new")
            let refused = try await c.alice.post(
                "/communities", form: ["slug": "Front Line!", "name": "Front-line managers", "kind": "vertical", "membership": "open"])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("letters, digits or hyphens"))
            #expect(refused.body.contains("value=\"Front-line managers\""))
            #expect(try await harness.store.read { try await $0.communities.find(slug: "front-line") } == nil)

            try await Self.found(c.alice, slug: "front-line", name: "Front-line managers")
            let home = try await c.alice.get("/c/front-line")
            #expect(home.status == .ok)
            #expect(home.body.contains("<h1>Front-line managers</h1>"))
            #expect(home.body.contains("One job role · Open · <a href=\"/c/front-line/members\">1 member</a>"))
            #expect(home.body.contains("Front-line managers learn from each other."))
            #expect(home.body.contains("<span class=\"badge\">Manager</span>"))
            #expect(home.body.contains("href=\"/c/front-line/new?type=article\""))
            #expect(home.body.contains("Nothing here yet."))

            // Bob's department is Alice's: the directory suggests it to him with the reason.
            let directory = try await c.bob.get("/communities")
            #expect(directory.body.contains("1 person of Logistics is in it"))
            let searched = try await c.carol.get("/communities?q=front&kind=vertical")
            #expect(searched.body.contains("href=\"/c/front-line\">Front-line managers</a>"))
            let otherKind = try await c.carol.get("/communities?q=front&kind=interest")
            #expect(!otherKind.body.contains("href=\"/c/front-line\">"))
            #expect(otherKind.body.contains("No community matches."))
        }
    }

    @Test func askingToJoinIsApprovedOnlyByAManager() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            try await Self.found(c.alice, slug: "sales-reps", name: "Sales representatives", membership: "request")
            let page = try await c.bob.get("/c/sales-reps")
            #expect(page.body.contains(">Ask to join</button>"))
            let asked = try await c.bob.post("/c/sales-reps/join", form: [:])
            #expect(asked.location == "/c/sales-reps")
            #expect(try await c.bob.get("/c/sales-reps").body.contains("Your request is with the managers."))

            // Carol, not a manager, cannot let Bob in.
            try await c.carol.get("/c/sales-reps/members")
            let forbidden = try await c.carol.post("/c/sales-reps/members", form: ["handle": "bob", "action": "approve"])
            #expect(forbidden.status == .forbidden)

            let managerView = try await c.alice.get("/c/sales-reps")
            #expect(managerView.body.contains("1 person asks to join"))
            let members = try await c.alice.get("/c/sales-reps/members")
            #expect(members.body.contains("Approve @bob"))
            let approved = try await c.alice.post("/c/sales-reps/members", form: ["handle": "bob", "action": "approve"])
            #expect(approved.location == "/c/sales-reps/members")
            let membership = try await harness.store.read { repos in
                try await repos.communities.membership(
                    of: c.bobMember.id, in: try #require(try await repos.communities.find(slug: "sales-reps")).id)
            }
            #expect(membership?.state == .active)
            // Bob hears of it.
            let notifications = try await c.bob.get("/notifications?kind=community")
            #expect(notifications.body.contains("let you into"))
            #expect(notifications.body.contains("href=\"/c/sales-reps\">Sales representatives</a>"))

            // An unknown handle is a form error, not a crash.
            let unknown = try await c.alice.post("/c/sales-reps/members", form: ["handle": "nobody", "action": "invite"])
            #expect(unknown.status == .notFound || unknown.status == .unprocessableContent)
        }
    }

    @Test func aPrivateCommunityDoesNotExistOutsideIt() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            try await Self.found(c.alice, slug: "board-prep", name: "Board preparation", kind: "interest", membership: "private")
            let item = try await Self.publish(
                c.alice, in: "board-prep", type: "article", title: "Quarterly numbers", body: "The confidential zebra figures.")
            #expect(try await c.alice.get(item).status == .ok)

            #expect(try await c.bob.get("/c/board-prep").status == .notFound)
            #expect(try await c.bob.get(item).status == .notFound)
            #expect(try await c.bob.get("/c/board-prep/items").status == .notFound)
            #expect(!(try await c.bob.get("/communities").body.contains("Board preparation")))
            let search = try await c.bob.get("/search?q=zebra")
            #expect(!search.body.contains("Quarterly numbers"))
            #expect(try await c.alice.get("/search?q=zebra").body.contains("Quarterly numbers"))

            // Invited, Bob sees the community (to accept) but not its content until he accepts.
            try await c.alice.get("/c/board-prep/members")
            try await c.alice.post("/c/board-prep/members", form: ["handle": "bob", "action": "invite"])
            let invited = try await c.bob.get("/c/board-prep")
            #expect(invited.status == .ok)
            #expect(invited.body.contains("Accept the invitation"))
            #expect(!invited.body.contains("Quarterly numbers"))
            #expect(try await c.bob.get(item).status == .notFound)
            try await c.bob.post("/c/board-prep/join", form: [:])
            #expect(try await c.bob.get(item).status == .ok)

            // Alice's profile names the private community to Bob, a member now, and not to Carol.
            #expect(try await c.bob.get("/@alice").body.contains("href=\"/c/board-prep\">Board preparation</a> <span class=\"badge\">Manager</span>"))
            #expect(!(try await c.carol.get("/@alice").body.contains("Board preparation")))

            // Removed, he loses it again.
            try await c.alice.get("/c/board-prep/members")
            try await c.alice.post("/c/board-prep/members", form: ["handle": "bob", "action": "remove"])
            #expect(try await c.bob.get(item).status == .notFound)
            #expect(try await c.bob.get("/c/board-prep").status == .notFound)
        }
    }

    @Test func articlesAreTheirAuthorsAndWikiPagesEveryMembers() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            try await Self.found(c.alice, slug: "front-line", name: "Front-line managers")
            try await c.bob.post("/c/front-line/join", form: [:])
            let article = try await Self.publish(
                c.alice, in: "front-line", type: "article", title: "Running a one-to-one", body: "## Before\n\nAsk first.",
                extra: [("tags", "coaching, one-to-ones")])
            let page = try await c.bob.get(article)
            #expect(page.body.contains("<h1 id=\"item-title\">Running a one-to-one</h1>"))
            #expect(page.body.contains("<h3>Before</h3>"))
            #expect(page.body.contains("href=\"/tags/coaching\""))
            #expect(!page.body.contains("\(article)/edit"))
            #expect(try await c.bob.get("\(article)/edit").status == .forbidden)
            let refused = try await c.bob.post("\(article)/edit", form: ["title": "Mine now", "body": "x", "revision": "1"])
            #expect(refused.status == .forbidden)

            let wiki = try await Self.publish(c.alice, in: "front-line", type: "wiki", title: "Onboarding checklist", body: "1. Laptop\n2. Badge")
            let form = try await c.bob.get("\(wiki)/edit")
            #expect(form.status == .ok)
            #expect(form.body.contains("name=\"revision\" value=\"1\""))
            let saved = try await c.bob.post(
                "\(wiki)/edit", form: ["title": "Onboarding checklist", "body": "1. Laptop\n2. Badge\n3. Buddy", "revision": "1", "note": "Buddy"])
            #expect(saved.status == .found)

            // Carol joins and edits from the first revision too: she is told, and her text is kept in the form.
            try await c.carol.post("/c/front-line/join", form: [:])
            try await c.carol.get("\(wiki)/edit")
            let conflict = try await c.carol.post(
                "\(wiki)/edit", form: ["title": "Onboarding checklist", "body": "1. Laptop\n2. Parking", "revision": "1"])
            #expect(conflict.status == .conflict)
            #expect(conflict.body.contains("Someone else saved this wiki page while you were editing (revision 2 by @bob)"))
            #expect(conflict.body.contains("2. Parking"))
            #expect(conflict.body.contains("3. Buddy"))
            #expect(conflict.body.contains("name=\"revision\" value=\"2\""))
            let stored = try await c.alice.get(wiki)
            #expect(stored.body.contains("Buddy"))
            #expect(!stored.body.contains("Parking"))

            let history = try await c.alice.get("\(wiki)/history?from=1&to=2")
            #expect(history.body.contains("1 line added, 0 lines removed."))
            #expect(history.body.contains("<td class=\"sign\">+</td><td><pre>3. Buddy</pre>"))
            let restored = try await c.alice.post("\(wiki)/restore", form: ["number": "1", "revision": "2"])
            #expect(restored.status == .found)
            let after = try await c.alice.get(wiki)
            #expect(!after.body.contains("Buddy"))
            #expect(after.body.contains("revision 3"))
            #expect(try await c.alice.get("\(wiki)/history").body.contains("Restored revision 1"))
        }
    }

    @Test func ratingFavouritesFeaturingAndClosedDiscussions() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            try await Self.found(c.alice, slug: "front-line", name: "Front-line managers")
            try await c.bob.post("/c/front-line/join", form: [:])
            try await c.carol.post("/c/front-line/join", form: [:])
            let article = try await Self.publish(c.alice, in: "front-line", type: "article", title: "Feedback that lands", body: "Be specific.")
            try await c.bob.get(article)
            try await c.bob.post("\(article)/rate", form: ["stars": "4"])
            try await c.bob.post("\(article)/rate", form: ["stars": "5"])
            try await c.carol.get(article)
            try await c.carol.post("\(article)/rate", form: ["stars": "3"])
            let rated = try await c.alice.get(article)
            #expect(rated.body.contains("4.0 out of 5 from 2 ratings"))
            #expect(rated.body.contains("2 views"))
            // Nine stars are not a rating.
            let bad = try await c.bob.post("\(article)/rate", form: ["stars": "9"])
            #expect(try await c.bob.follow(bad).body.contains("A rating is one to five stars."))
            try await c.bob.post("\(article)/favourite", form: ["on": "1"])
            #expect(try await c.bob.get(article).body.contains("Unfavourite"))

            // Featuring is for managers and experts: Carol may not, until Alice makes her an expert.
            #expect(try await c.carol.post("\(article)/feature", form: ["note": "Read this"]).status == .forbidden)
            try await c.alice.get("/c/front-line/members")
            try await c.alice.post("/c/front-line/members", form: ["handle": "carol", "action": "role", "role": "sme"])
            try await c.carol.get(article)
            try await c.carol.post("\(article)/feature", form: ["note": "The clearest guide we have"])
            let home = try await c.bob.get("/c/front-line")
            #expect(home.body.contains("<h2 id=\"featured-heading\">Featured</h2>"))
            #expect(home.body.contains("★ The clearest guide we have"))
            #expect(home.body.contains("<h2 id=\"popular-heading\">What's popular</h2>"))
            #expect(home.body.contains("Carol Chen</a> <span class=\"muted small\">Subject-matter expert"))

            // A closed discussion takes no more replies from members; experts may still add a last word.
            let thread = try await Self.publish(c.bob, in: "front-line", type: "thread", title: "Rotas in August?", body: "How do you plan?")
            let waiting = try await c.alice.get("/c/front-line")
            #expect(waiting.body.contains("<p class=\"hint\">Discussions nobody has answered yet, the longest waiting first.</p>"))
            #expect(waiting.body.contains(">Rotas in August?</a>"))
            try await c.carol.get(thread)
            let replied = try await c.carol.post("\(thread)/comments", form: ["body": "A shared calendar."])
            #expect(replied.status == .found)
            #expect(try await c.bob.get(thread).body.contains("A shared calendar."))
            #expect(try await c.alice.get("/c/front-line").body.contains("Every discussion has an answer."))
            try await c.bob.post("\(thread)/close", form: ["on": "1"])
            let closedReply = try await c.bob.post("\(thread)/comments", form: ["body": "One more thing"])
            #expect(closedReply.status == .conflict)
            #expect(closedReply.body.contains("This discussion is closed"))
            #expect(try await c.carol.post("\(thread)/comments", form: ["body": "Closing summary."]).status == .found)
            // Bob hears of Carol's reply.
            #expect(try await c.bob.get("/notifications?kind=community").body.contains("commented on"))
        }
    }

    @Test func resourcesAreDownloadsAndNeverPages() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            try await Self.found(c.alice, slug: "front-line", name: "Front-line managers")
            let html = Array("<html><script>alert(1)</script></html>".utf8)
            let item = try await Self.publish(
                c.alice, in: "front-line", type: "resource", title: "Old intranet page", body: "Saved copy.",
                files: [("file", "page.html", html)])
            let page = try await c.bob.get(item)
            #expect(page.body.contains("Download page.html"))
            let file = try await c.bob.get("\(item)/file")
            #expect(file.status == .ok)
            #expect(file.headers[.contentType] == "application/octet-stream")
            #expect(file.headers[.contentDisposition]?.hasPrefix("attachment; filename=\"page.html\"") == true)
            #expect(file.headers[.init("X-Content-Type-Options")!] == "nosniff")
            #expect(file.body == "<html><script>alert(1)</script></html>")

            let pdf = try await Self.publish(
                c.alice, in: "front-line", type: "resource", title: "Rota template", body: "", files: [("file", "rota.pdf", Array("%PDF-1.4".utf8))])
            let served = try await c.bob.get("\(pdf)/file")
            #expect(served.headers[.contentType] == "application/pdf")
            #expect(served.headers[.contentDisposition]?.hasPrefix("inline;") == true)

            // A program is refused with the reason, and nothing is made.
            try await c.alice.get("/c/front-line/new?type=resource")
            let refused = try await c.alice.postMultipart(
                "/c/front-line/items", fields: [("type", "resource"), ("title", "Tool"), ("body", "")],
                files: [("file", "tool.exe", [0x4d, 0x5a])])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("Files of that type cannot be shared here."))
            let all = try await c.alice.get("/c/front-line/items?type=resource")
            #expect(!all.body.contains(">Tool</a>"))
            #expect(all.body.contains(">Rota template</a>"))
        }
    }

    @Test func theGuideAndSubjectPagesPointToCommunities() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            try await Self.found(c.alice, slug: "front-line", name: "Front-line managers")
            try await Self.found(c.alice, slug: "analytics", name: "Analytics guild", kind: "interest", membership: "request")
            _ = try await Self.publish(
                c.alice, in: "analytics", type: "article", title: "Forecast errors", body: "MAPE and friends.",
                extra: [("tags", "forecasting")])
            // Carol learns about forecasting; Bob shares Alice's department.
            _ = try await harness.pollen.chooseSubjects(["forecasting"], by: .member(c.carolMember))
            let carolStep = try await c.carol.get("/welcome?step=4")
            #expect(carolStep.body.contains("id=\"community-analytics\" name=\"communities\" value=\"analytics\" checked"))
            #expect(carolStep.body.contains("Talks about #forecasting"))
            let bobStep = try await c.bob.get("/welcome?step=4")
            #expect(bobStep.body.contains("id=\"community-front-line\" name=\"communities\" value=\"front-line\" checked"))
            #expect(bobStep.body.contains("1 of your department is in it"))
            let joined = try await c.bob.post("/welcome/communities", fields: [("communities", "front-line"), ("communities", "analytics")])
            #expect(joined.location == "/welcome")
            #expect(try await c.bob.follow(joined).body.contains("You joined 1 community. 1 more will let you in once a manager approves."))
            let home = try await c.bob.get("/c/front-line")
            #expect(home.body.contains("<span class=\"badge\">Member</span>"))

            let subject = try await c.carol.get("/tags/forecasting")
            #expect(subject.body.contains("href=\"/c/analytics\">Analytics guild</a> <span class=\"muted small\">1 item on #forecasting"))
        }
    }

    @Test func managersEditTheCharterAndAuthorsDeleteTheirOwn() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            try await Self.found(c.alice, slug: "front-line", name: "Front-line managers")
            try await c.bob.post("/c/front-line/join", form: [:])
            #expect(try await c.bob.get("/c/front-line/edit").status == .forbidden)
            let refused = try await c.bob.post(
                "/c/front-line/edit", form: ["name": "Taken over", "kind": "interest", "membership": "open", "purpose": "x"])
            #expect(refused.status == .forbidden)
            let form = try await c.alice.get("/c/front-line/edit")
            #expect(form.body.contains("value=\"Front-line managers\""))
            let tooShort = try await c.alice.post(
                "/c/front-line/edit", form: ["name": "F", "kind": "vertical", "membership": "open", "purpose": ""])
            #expect(tooShort.status == .unprocessableContent)
            #expect(tooShort.body.contains("A community&#39;s name has 3 to 80 characters."))
            let saved = try await c.alice.post(
                "/c/front-line/edit",
                form: ["name": "Team leads", "kind": "vertical", "membership": "request", "purpose": "Leading shifts well.", "guidelines": ""])
            #expect(saved.location == "/c/front-line")
            let home = try await c.bob.get("/c/front-line")
            #expect(home.body.contains("<h1>Team leads</h1>"))
            #expect(home.body.contains("One job role · Join on request"))

            let thread = try await Self.publish(c.bob, in: "front-line", type: "thread", title: "Night shifts", body: "Tips?")
            try await c.carol.get(thread)
            #expect(try await c.carol.post("\(thread)/delete", form: [:]).status == .forbidden)
            try await c.alice.get(thread)
            try await c.alice.post("\(thread)/comments", form: ["body": "Sleep in the afternoon."])
            let threadID = try #require(CommunityItem.ID(string: String(thread.split(separator: "/").last ?? "")))
            let comments = try await harness.store.read { repos in
                try await repos.communityContent.comments(of: threadID, limit: 5, offset: 0)
            }
            let comment = try #require(comments.first)
            try await c.bob.get(thread)
            #expect(try await c.bob.post("/c/front-line/comments/\(comment.id)/delete", form: [:]).status == .forbidden)
            try await c.alice.get(thread)
            try await c.alice.post("/c/front-line/comments/\(comment.id)/delete", form: ["next": thread])
            #expect(try await c.bob.get(thread).body.contains("Comment removed."))
            try await c.bob.get(thread)
            let deleted = try await c.bob.post("\(thread)/delete", form: [:])
            #expect(deleted.location == "/c/front-line")
            #expect(try await c.bob.get(thread).status == .notFound)
        }
    }

    @Test func communityContentComesToTheHomeTimeline() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            try await Self.found(c.alice, slug: "front-line", name: "Front-line managers")
            try await Self.found(c.alice, slug: "secret", name: "Secret circle", kind: "interest", membership: "private")
            _ = try await Self.publish(c.alice, in: "front-line", type: "article", title: "Handing over a shift", body: "Write it down.")
            _ = try await Self.publish(c.alice, in: "secret", type: "article", title: "Whispered plans", body: "Hush.")
            #expect(!(try await c.bob.get("/").body.contains("Handing over a shift")))
            // Following without joining brings the open community's content home; the private one never comes.
            try await c.bob.get("/c/front-line")
            try await c.bob.post("/c/front-line/follow", form: [:])
            let home = try await c.bob.get("/")
            #expect(home.body.contains("Handing over a shift"))
            #expect(home.body.contains("href=\"/c/front-line\">Front-line managers</a>"))
            #expect(!home.body.contains("Whispered plans"))
            #expect(try await c.alice.get("/").body.contains("Whispered plans"))

            // Watching, Carol is told of new items; a drafted article reaches nobody until it is published.
            try await c.carol.post("/c/front-line/join", form: [:])
            try await c.carol.post("/c/front-line/notifications", form: ["level": "watching"])
            let draft = try await Self.publish(
                c.alice, in: "front-line", type: "article", title: "Not yet", body: "Later.", extra: [("draft", "1")])
            #expect(try await c.bob.get(draft).status == .notFound)
            #expect(!(try await c.carol.get("/notifications?kind=community").body.contains("Not yet")))
            _ = try await Self.publish(c.alice, in: "front-line", type: "thread", title: "Who covers Friday?", body: "Anyone?")
            let told = try await c.carol.get("/notifications?kind=community")
            #expect(told.body.contains("published"))
            #expect(told.body.contains("Who covers Friday?"))
        }
    }
}
