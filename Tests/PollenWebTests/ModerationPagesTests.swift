import Foundation
import Hummingbird
import HummingbirdTesting
import PollenCore
import Testing

/// Flagging, the review queues and their actions, what the author is told and how they appeal, community
/// policies, watched words, content health, the moderation settings, the audit log and the write limits.
@Suite struct ModerationPagesTests {
    @Test func flagRemoveAppealAndAudit() async throws {
        try await WebHarness.run { harness, client in
            _ = try await harness.addMember("root", role: .admin)
            let ada = try await harness.addMember("ada", name: "Ada Archer")
            _ = try await harness.addMember("bob", name: "Bob Baker")
            _ = try await harness.addMember("mo", name: "Mo Moderator", role: .moderator)
            let post = try await harness.pollen.publishPost(PostDraft(body: "Store passwords in plain text, it is faster."), by: .member(ada))

            let bob = TestBrowser(client)
            try await bob.signIn("bob")
            let form = try await bob.get("/flag?target=post:\(post.id)")
            #expect(form.status == .ok)
            #expect(form.body.contains("Store passwords in plain text"))
            #expect(form.body.contains("Wrong or unsafe advice"))
            // No reason chosen: the form again, with the message, nothing stored.
            let missing = try await bob.post("/flag", form: ["target": "post:\(post.id)", "note": "x"])
            #expect(missing.status == .unprocessableContent)
            #expect(missing.body.contains("Choose what is wrong."))
            let sent = try await bob.post("/flag", form: ["target": "post:\(post.id)", "reason": "wrong", "note": "Hash them."])
            #expect(sent.location == "/posts/\(post.id)")
            let again = try await bob.post("/flag", form: ["target": "post:\(post.id)", "reason": "spam"])
            #expect(again.status == .conflict)
            #expect(again.body.contains("You have flagged this already"))
            // Nobody flags their own post; a post that does not exist is not found.
            let author = TestBrowser(client)
            try await author.signIn("ada")
            #expect(try await author.post("/flag", form: ["target": "post:\(post.id)", "reason": "spam"]).status == .unprocessableContent)
            #expect(try await bob.get("/flag?target=post:999999").status == .notFound)
            #expect(try await bob.get("/flag?target=nonsense").status == .notFound)

            // The queue is the moderators'.
            #expect(try await bob.get("/moderation").status == .forbidden)
            let mo = TestBrowser(client)
            try await mo.signIn("mo")
            let queue = try await mo.get("/moderation")
            #expect(queue.status == .ok)
            #expect(queue.body.contains("Hash them."))
            #expect(queue.body.contains("@bob"))
            let moderator = try #require(try await harness.member("mo"))
            let caseID = try #require(try await harness.pollen.reviewQueue(viewer: .member(moderator)).cases.first?.moderationCase.id)

            // Removing needs a reason, shown beside the case.
            let bare = try await mo.post("/moderation/cases/\(caseID)/decide", form: ["action": "remove", "next": "/moderation"])
            #expect(bare.status == .unprocessableContent)
            #expect(bare.body.contains("Say why: the author is told."))
            // Moderators do not suspend; administrators do.
            let suspend = try await mo.post("/moderation/cases/\(caseID)/decide", form: ["action": "suspend", "reason": "x", "next": "/moderation"])
            #expect(suspend.status == .forbidden)
            let removed = try await mo.post(
                "/moderation/cases/\(caseID)/decide",
                form: ["action": "remove", "rule": "Be accurate", "reason": "Plain-text passwords are unsafe.", "next": "/moderation"])
            #expect(removed.location == "/moderation")
            #expect(try await bob.get("/posts/\(post.id)").status == .notFound)
            #expect(try await mo.get("/moderation").body.contains("Nothing waits for review."))

            // The author is told which rule, and appeals once.
            let notifications = try await author.get("/notifications")
            #expect(notifications.body.contains("removed"))
            #expect(notifications.body.contains("/moderation/cases/\(caseID)"))
            let notice = try await author.get("/moderation/cases/\(caseID)")
            #expect(notice.body.contains("It was removed."))
            #expect(notice.body.contains("Be accurate"))
            #expect(notice.body.contains("Plain-text passwords are unsafe."))
            #expect(notice.body.contains("Send appeal"))
            #expect(try await bob.get("/moderation/cases/\(caseID)").status == .notFound)
            let empty = try await author.post("/moderation/cases/\(caseID)/appeal", form: ["appeal": " "])
            #expect(empty.status == .unprocessableContent)
            let appealed = try await author.post("/moderation/cases/\(caseID)/appeal", form: ["appeal": "I meant hashed; I will fix it."])
            #expect(appealed.location == "/moderation/cases/\(caseID)")
            let after = try await author.get("/moderation/cases/\(caseID)")
            #expect(after.body.contains("You appealed"))
            #expect(!after.body.contains("Send appeal"))
            #expect(try await author.post("/moderation/cases/\(caseID)/appeal", form: ["appeal": "again"]).status == .conflict)
            let appealQueue = try await mo.get("/moderation")
            #expect(appealQueue.body.contains("I meant hashed"))
            // Approving the appealed case grants the appeal: the post is back.
            try await mo.post("/moderation/cases/\(caseID)/decide", form: ["action": "approve", "next": "/moderation"])
            #expect(try await bob.get("/posts/\(post.id)").status == .ok)
            #expect(try await author.get("/moderation/cases/\(caseID)").body.contains("Your appeal was granted"))

            // The audit log shows both acts, to administrators only, and as CSV.
            #expect(try await mo.get("/admin/audit").status == .forbidden)
            let root = TestBrowser(client)
            try await root.signIn("root")
            let audit = try await root.get("/admin/audit")
            #expect(audit.status == .ok)
            #expect(audit.body.contains("case.remove"))
            #expect(audit.body.contains("case.appeal"))
            #expect(audit.body.contains("case.approve"))
            let csv = try await root.get("/admin/audit.csv")
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(csv.body.hasPrefix("time,actor,action,target,summary,reason\r\n"))
            #expect(csv.body.contains("\"mo\",\"case.remove\",\"post:\(post.id)\",\"“Store passwords in plain text, it is faster.” by @ada\""))
            #expect(csv.body.contains("Be accurate — Plain-text passwords are unsafe."))
        }
    }

    @Test func communityPolicyHoldsContentUntilAManagerApproves() async throws {
        try await WebHarness.run { harness, client in
            let mara = try await harness.addMember("mara", name: "Mara Manager")
            let ada = try await harness.addMember("ada", name: "Ada Archer")
            _ = try await harness.addMember("bob", name: "Bob Baker")
            _ = try await harness.pollen.createCommunity(
                CommunityDraft(slug: "ops", name: "Operations", kind: .horizontal, membership: .open), by: .member(mara))
            _ = try await harness.pollen.joinCommunity(slug: "ops", by: .member(ada))

            let manager = TestBrowser(client)
            try await manager.signIn("mara")
            let page = try await manager.get("/c/ops/moderation")
            #expect(page.status == .ok)
            #expect(page.body.contains("Moderation policy"))
            // Members have no queue of the community.
            let member = TestBrowser(client)
            try await member.signIn("ada")
            #expect(try await member.get("/c/ops/moderation").status == .forbidden)
            #expect(try await member.post("/c/ops/moderation/policy", form: ["thread": "pre"]).status == .forbidden)
            #expect(try await manager.post("/c/ops/moderation/policy", form: ["thread": "sometimes"]).status == .unprocessableContent)
            let saved = try await manager.post("/c/ops/moderation/policy", form: ["thread": "pre", "comment": "post"])
            #expect(saved.location == "/c/ops/moderation")

            // A member's discussion waits; the author is told; others do not see it.
            let created = try await member.post(
                "/c/ops/items", form: ["type": "thread", "title": "Night shift handover", "body": "How do you hand over?"])
            let itemPath = try #require(created.location)
            let itemID = try #require(itemPath.split(separator: "/").last.map(String.init))
            let shown = try await member.get(itemPath)
            #expect(shown.body.contains("held for review"))
            let bob = TestBrowser(client)
            try await bob.signIn("bob")
            #expect(try await bob.get(itemPath).status == .notFound)
            #expect(!(try await bob.get("/c/ops").body.contains("Night shift handover")))

            let queue = try await manager.get("/c/ops/moderation")
            #expect(queue.body.contains("Night shift handover"))
            #expect(queue.body.contains("Held for approval"))
            let view = try await harness.pollen.reviewQueue(community: "ops", viewer: .member(mara))
            let caseID = try #require(view.cases.first?.moderationCase.id)
            // A community manager may not silence authors: that is for moderators.
            let silence = try await manager.post(
                "/moderation/cases/\(caseID)/decide", form: ["action": "silence", "reason": "x", "silence_days": "3", "next": "/c/ops/moderation"])
            #expect(silence.status == .forbidden)
            let approved = try await manager.post("/moderation/cases/\(caseID)/decide", form: ["action": "approve", "next": "/c/ops/moderation"])
            #expect(approved.location == "/c/ops/moderation")
            #expect(try await bob.get(itemPath).status == .ok)
            #expect(try await bob.get("/c/ops").body.contains("Night shift handover"))
            _ = itemID

            // Post-moderated comments are published and queued.
            _ = try await member.get(itemPath)
            try await member.post("\(itemPath)/comments", form: ["body": "We use a checklist."])
            #expect(try await bob.get(itemPath).body.contains("We use a checklist."))
            #expect(try await manager.get("/c/ops/moderation").body.contains("Published, awaiting review"))
        }
    }

    @Test func watchedWordsSettingsHealthAndFlagLinks() async throws {
        try await WebHarness.run { harness, client in
            _ = try await harness.addMember("root", role: .admin)
            let mara = try await harness.addMember("mara", name: "Mara Manager")
            let ada = try await harness.addMember("ada", name: "Ada Archer")
            _ = try await harness.addMember("mo", role: .moderator)
            _ = try await harness.pollen.createCommunity(
                CommunityDraft(slug: "ops", name: "Operations", kind: .horizontal, membership: .open), by: .member(mara))
            _ = try await harness.pollen.joinCommunity(slug: "ops", by: .member(ada))
            let article = try await harness.pollen.createItem(
                ItemDraft(kind: .article, title: "Forklift safety", body: "Check the brakes daily."), in: "ops", by: .member(mara))

            let mo = TestBrowser(client)
            try await mo.signIn("mo")
            let member = TestBrowser(client)
            try await member.signIn("ada")
            #expect(try await member.get("/moderation/words").status == .forbidden)
            #expect(try await mo.post("/moderation/words", form: ["word": "  ", "action": "block"]).status == .unprocessableContent)
            #expect(try await mo.post("/moderation/words", form: ["word": "Crypto Giveaway", "action": "block"]).location == "/moderation/words")
            let duplicate = try await mo.post("/moderation/words", form: ["word": "crypto giveaway", "action": "hold"])
            #expect(duplicate.status == .conflict)
            #expect(try await mo.get("/moderation/words").body.contains("crypto giveaway"))
            // A blocked phrase is refused with the reason, and nothing is posted.
            _ = try await member.get("/")
            let refused = try await member.post("/posts", form: ["status": "Join the crypto giveaway now", "visibility": "organization"])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("which is not allowed here"))

            // Settings: administrators only; a bad value is named.
            let root = TestBrowser(client)
            try await root.signIn("root")
            #expect(try await mo.get("/admin/moderation").status == .forbidden)
            let settings = try await root.get("/admin/moderation")
            #expect(settings.body.contains("Hold new members"))
            var fields = [
                "new_member_hours": "24", "new_member_max_posts": "10", "new_member_max_links": "3", "new_member_max_mentions": "5",
                "writes_per_minute_per_member": "60", "writes_per_minute_per_address": "1200", "retention_days": "0",
                "review_after_days": "180",
            ]
            let bad = try await root.post("/admin/moderation", form: fields)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.body.contains("The retention period (days) must be between 1 and 3650."))
            fields["retention_days"] = "60"
            fields["hold_first_posts"] = "1"
            #expect(try await root.post("/admin/moderation", form: fields).location == "/admin/moderation")
            let stored = try await harness.pollen.moderationSettings(viewer: .system)
            #expect(stored.retentionDays == 60 && stored.holdFirstPosts)

            // Content health: the manager marks the article; readers see it; members cannot mark.
            let manager = TestBrowser(client)
            try await manager.signIn("mara")
            let path = "/c/ops/items/\(article.id)"
            #expect(try await manager.get(path).body.contains("Content health"))
            #expect(!(try await member.get(path).body.contains("Content health")))
            #expect(try await member.post("\(path)/health", form: ["health": "obsolete"]).status == .forbidden)
            #expect(try await manager.post("\(path)/health", form: ["health": "rotten"]).status == .unprocessableContent)
            #expect(try await manager.post("\(path)/health", form: ["health": "obsolete"]).location == path)
            #expect(try await member.get(path).body.contains("Obsolete"))
            #expect(try await manager.get("/c/ops/moderation").body.contains("Forklift safety"))

            // Flag links appear on other people's content, not one's own.
            #expect(try await member.get(path).body.contains("/flag?target=item:\(article.id)"))
            #expect(!(try await manager.get(path).body.contains("/flag?target=item:\(article.id)")))
            #expect(try await member.get("/@mara").body.contains("/flag?target=profile:\(mara.id)"))
        }
    }

    @Test func writesOverTheLimitAreRefusedWithRetryAfter() async throws {
        var configuration = WebHarness.testConfiguration
        configuration.limitWrites = true
        try await WebHarness.run(configuration: configuration) { harness, client in
            var settings = ModerationSettings()
            settings.writesPerMinutePerMember = 3
            try await harness.pollen.updateModerationSettings(settings, by: .system)
            _ = try await harness.addMember("ada")
            let token = try await client.memberToken("ada")
            var statuses: [HTTPResponse.Status] = []
            var retryAfter: String?
            for n in 0..<5 {
                try await client.execute(
                    uri: "/api/v1/statuses", method: .post,
                    headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                    body: ByteBuffer(string: #"{"status": "Note \#(n)"}"#)
                ) { response in
                    statuses.append(response.status)
                    if response.status == .tooManyRequests {
                        retryAfter = response.headers[.retryAfter]
                        #expect(String(buffer: response.body).contains("\"error\""))
                    }
                }
            }
            #expect(statuses.prefix(3).allSatisfy { $0 == .ok })
            #expect(statuses.suffix(2).allSatisfy { $0 == .tooManyRequests })
            #expect(retryAfter.flatMap(Int.init).map { (1...60).contains($0) } == true)
            // Reading is never limited.
            try await client.execute(uri: "/api/v1/timelines/home", method: .get, headers: [.authorization: "Bearer \(token)"]) { response in
                #expect(response.status == .ok)
            }
        }
    }
}
