import Foundation
import Hummingbird
import HummingbirdTesting
import PollenCore
@testable import PollenWeb
import Testing

/// Moderation in Pollen's own API: flags, the review queues, decisions and appeals, community policies, watched
/// words, the moderation settings and audit log, content health, and Mastodon's reports.
@Suite struct PollenModerationAPITests {
    static let prefix = "/api/pollen/v1"
    typealias Answer = (status: HTTPResponse.Status, json: Any?, raw: String)

    /// The API cast, with Mona the moderator and Ada the administrator (her token may administer; Mona's may too,
    /// but her role does not let her).
    struct Cast {
        let members: APICast
        let mona: Member
        let ada: Member
        let monaToken: String
        let adaToken: String

        var alice: Member { members.alice }
        var bob: Member { members.bob }
        var aliceToken: String { members.aliceToken }
        var bobToken: String { members.bobToken }
        var carolToken: String { members.carolToken }
        var daveToken: String { members.daveToken }
    }

    static func cast(_ harness: WebHarness, _ client: any TestClientProtocol) async throws -> Cast {
        let members = try await APICast.make(harness, client)
        let mona = try await harness.addMember("mona", name: "Mona Moss", role: .moderator)
        let ada = try await harness.addMember("ada", name: "Ada Admin", role: .admin)
        return Cast(
            members: members, mona: mona, ada: ada, monaToken: try await client.memberToken("mona"),
            adaToken: try await client.memberToken("ada"))
    }

    static func error(_ response: Answer) -> String? { (response.json as? [String: Any])?["error"] as? String }
    static func field(_ response: Answer) -> String? { (response.json as? [String: Any])?["field"] as? String }

    /// Publishes a post through the Mastodon API and returns its id.
    static func post(
        _ client: any TestClientProtocol, token: String, _ text: String, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> String {
        let made = try await client.json("/api/v1/statuses", method: .post, token: token, form: ["status": text])
        #expect(made.status == .ok, "\(made.raw)", sourceLocation: sourceLocation)
        return try #require(try object(made.json, sourceLocation: sourceLocation)["id"] as? String, sourceLocation: sourceLocation)
    }

    /// Flags content and expects the flag made; returns it.
    @discardableResult
    static func flag(
        _ client: any TestClientProtocol, token: String, _ target: String, reason: String = "spam", note: String = "",
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> [String: Any] {
        let made = try await client.json(
            "\(prefix)/flags", method: .post, token: token, body: ["target": target, "reason": reason, "note": note])
        #expect(made.status == .created, "\(made.raw)", sourceLocation: sourceLocation)
        return try object(made.json, sourceLocation: sourceLocation)
    }

    static func cases(_ response: Answer) -> [[String: Any]] {
        ((response.json as? [String: Any])?["cases"] as? [[String: Any]]) ?? []
    }

    static func decide(_ client: any TestClientProtocol, token: String, _ caseID: String, _ body: [String: Any]) async throws -> Answer {
        try await client.json("\(prefix)/moderation/cases/\(caseID)/decisions", method: .post, token: token, body: body)
    }

    // MARK: Flags

    @Test func flaggingContent() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            let post = try await Self.post(client, token: c.bobToken, "Cheap watches, follow the link")

            let flag = try await Self.flag(client, token: c.aliceToken, "post:\(post)", reason: "spam", note: "  Advertising.  ")
            #expect(flag["target"] as? String == "post:\(post)")
            #expect(flag["reason"] as? String == "spam")
            #expect(flag["note"] as? String == "Advertising.")
            #expect(flag["outcome"] is NSNull)
            #expect(flag["case_id"] as? String != nil)

            // Once per member and piece; never one's own; only what one can see.
            let again = try await client.json(
                "\(Self.prefix)/flags", method: .post, token: c.aliceToken, body: ["target": "post:\(post)", "reason": "wrong"])
            #expect(again.status == .conflict, "\(again.raw)")
            let own = try await client.json(
                "\(Self.prefix)/flags", method: .post, token: c.bobToken, body: ["target": "post:\(post)", "reason": "spam"])
            #expect(own.status == .unprocessableContent, "\(own.raw)")
            #expect(Self.error(own) != nil)

            try await PollenCommunityAPITests.found(client, token: c.aliceToken, slug: "board", membership: "private")
            let secret = try await PollenCommunityAPITests.write(client, token: c.aliceToken, in: "board", type: "thread", title: "Board matters")
            let invisible = try await client.json(
                "\(Self.prefix)/flags", method: .post, token: c.bobToken, body: ["target": "item:\(secret)", "reason": "spam"])
            #expect(invisible.status == .notFound, "\(invisible.raw)")
            let missing = try await client.json(
                "\(Self.prefix)/flags", method: .post, token: c.bobToken, body: ["target": "post:999999", "reason": "spam"])
            #expect(missing.status == .notFound)

            for target in ["post", "post:abc", "banana:1", "post:0", "revision:3", ""] {
                let bad = try await client.json(
                    "\(Self.prefix)/flags", method: .post, token: c.carolToken, body: ["target": target, "reason": "spam"])
                #expect(bad.status == .unprocessableContent, "\(target): \(bad.raw)")
                #expect(Self.field(bad) == "target")
            }
            let noReason = try await client.json("\(Self.prefix)/flags", method: .post, token: c.carolToken, body: ["target": "post:\(post)"])
            #expect(noReason.status == .unprocessableContent)
            #expect(Self.field(noReason) == "reason")
            let vague = try await client.json(
                "\(Self.prefix)/flags", method: .post, token: c.carolToken, body: ["target": "post:\(post)", "reason": "other"])
            #expect(vague.status == .unprocessableContent)
            #expect(Self.field(vague) == "note")

            let readOnly = try await client.memberToken("carol", scope: "read")
            let refused = try await client.json(
                "\(Self.prefix)/flags", method: .post, token: readOnly, body: ["target": "post:\(post)", "reason": "spam"])
            #expect(refused.status == .forbidden)
            let anonymous = try await client.json("\(Self.prefix)/flags", method: .post, body: ["target": "post:\(post)", "reason": "spam"])
            #expect(anonymous.status == .unauthorized)
        }
    }

    // MARK: Queues

    @Test func reviewQueues() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            let post = try await Self.post(client, token: c.bobToken, "Buy cheap watches now")
            try await Self.flag(client, token: c.aliceToken, "post:\(post)", reason: "spam", note: "Advertising")
            try await Self.flag(client, token: c.carolToken, "post:\(post)", reason: "off_topic")

            let asMember = try await client.json("\(Self.prefix)/moderation/queue", token: c.carolToken)
            #expect(asMember.status == .forbidden)

            let queue = try await client.json("\(Self.prefix)/moderation/queue", token: c.monaToken)
            #expect(queue.status == .ok, "\(queue.raw)")
            let body = try object(queue.json)
            #expect(body["community"] is NSNull)
            #expect(body["may_silence"] as? Bool == true)
            #expect(body["may_suspend"] as? Bool == false)
            let entry = try #require(Self.cases(queue).first { $0["target"] as? String == "post:\(post)" })
            #expect(entry["source"] as? String == "flags")
            #expect(entry["open"] as? Bool == true)
            #expect(entry["author_id"] as? String == c.bob.id.description)
            #expect((entry["author"] as? [String: Any])?["handle"] as? String == "bob")
            let content = try object(entry["content"])
            #expect(content["body"] as? String == "Buy cheap watches now")
            #expect(content["withholding"] is NSNull)
            #expect((content["url"] as? String)?.hasSuffix("/posts/\(post)") == true)
            let flags = try #require(entry["flags"] as? [[String: Any]])
            #expect(Set(flags.compactMap { $0["flagger"] as? String }) == ["alice", "carol"])
            #expect(flags.first { $0["flagger"] as? String == "alice" }?["note"] as? String == "Advertising")
            #expect(flags.first { $0["flagger"] as? String == "carol" }?["reason"] as? String == "off_topic")
            #expect(entry["flagger_accuracy"] is NSNull)
            let history = try object(entry["author_history"])
            #expect(history["removals"] as? Int == 0)
            #expect(history["silenced_until"] is NSNull)
            #expect((entry["priority"] as? Double ?? 0) > 0)

            // A community's queue: its managers; moderators too; not its members.
            try await PollenCommunityAPITests.found(client, token: c.aliceToken, slug: "supply-chain")
            let joined = try await client.json("\(Self.prefix)/communities/supply-chain/join", method: .post, token: c.bobToken)
            #expect(joined.status == .ok, "\(joined.raw)")
            let item = try await PollenCommunityAPITests.write(client, token: c.bobToken, in: "supply-chain", type: "thread", title: "Forecasting tips")
            try await Self.flag(client, token: c.carolToken, "item:\(item)", reason: "wrong")
            let community = try await client.json("\(Self.prefix)/communities/supply-chain/moderation/queue", token: c.aliceToken)
            #expect(community.status == .ok, "\(community.raw)")
            #expect(try object(community.json)["may_silence"] as? Bool == false)
            #expect((try object(community.json)["community"] as? [String: Any])?["slug"] as? String == "supply-chain")
            #expect(Self.cases(community).map { $0["target"] as? String } == ["item:\(item)"])
            let itemCase = try #require(Self.cases(community).first)
            #expect((itemCase["community"] as? [String: Any])?["slug"] as? String == "supply-chain")
            let byModerator = try await client.json("\(Self.prefix)/communities/supply-chain/moderation/queue", token: c.monaToken)
            #expect(byModerator.status == .ok)
            let byMember = try await client.json("\(Self.prefix)/communities/supply-chain/moderation/queue", token: c.bobToken)
            #expect(byMember.status == .forbidden)
            let unknown = try await client.json("\(Self.prefix)/communities/nowhere/moderation/queue", token: c.monaToken)
            #expect(unknown.status == .notFound)
            // The organization's queue holds both.
            let all = try await client.json("\(Self.prefix)/moderation/queue", token: c.monaToken)
            #expect(Set(Self.cases(all).compactMap { $0["target"] as? String }) == ["post:\(post)", "item:\(item)"])
        }
    }

    // MARK: Decisions and appeals

    @Test func decidingAndAppealing() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            let post = try await Self.post(client, token: c.bobToken, "Buy cheap watches now")
            let flag = try await Self.flag(client, token: c.aliceToken, "post:\(post)")
            let caseID = try #require(flag["case_id"] as? String)

            let unexplained = try await Self.decide(client, token: c.monaToken, caseID, ["action": "remove"])
            #expect(unexplained.status == .unprocessableContent, "\(unexplained.raw)")
            #expect(Self.field(unexplained) == "reason")
            let unknownAction = try await Self.decide(client, token: c.monaToken, caseID, ["action": "burn", "reason": "x"])
            #expect(unknownAction.status == .unprocessableContent)
            #expect(Self.field(unknownAction) == "action")
            let byMember = try await Self.decide(client, token: c.carolToken, caseID, ["action": "remove", "reason": "Spam."])
            #expect(byMember.status == .forbidden)
            let suspend = try await Self.decide(client, token: c.monaToken, caseID, ["action": "suspend", "reason": "Spammer."])
            #expect(suspend.status == .forbidden, "\(suspend.raw)")
            let badDays = try await Self.decide(client, token: c.monaToken, caseID, ["action": "silence", "reason": "Spam.", "silence_days": "soon"])
            #expect(badDays.status == .unprocessableContent)
            #expect(Self.field(badDays) == "silence_days")
            let noCase = try await Self.decide(client, token: c.monaToken, "123456789", ["action": "remove", "reason": "Spam."])
            #expect(noCase.status == .notFound)
            let notACase = try await Self.decide(client, token: c.monaToken, "abc", ["action": "remove", "reason": "Spam."])
            #expect(notACase.status == .notFound)

            let removed = try await Self.decide(
                client, token: c.monaToken, caseID, ["action": "remove", "rule": "No advertising", "reason": "Advertising is not allowed."])
            #expect(removed.status == .ok, "\(removed.raw)")
            let decided = try object(removed.json)
            #expect(decided["action"] as? String == "remove")
            #expect(decided["open"] as? Bool == false)
            #expect(decided["is_author"] as? Bool == false)
            let twice = try await Self.decide(client, token: c.monaToken, caseID, ["action": "hide", "reason": "Again."])
            #expect(twice.status == .conflict)

            // The author reads the decision; others do not find it.
            let notice = try await client.json("\(Self.prefix)/moderation/cases/\(caseID)", token: c.bobToken)
            #expect(notice.status == .ok, "\(notice.raw)")
            let read = try object(notice.json)
            #expect(read["action"] as? String == "remove")
            #expect(read["rule"] as? String == "No advertising")
            #expect(read["reason"] as? String == "Advertising is not allowed.")
            #expect(read["is_author"] as? Bool == true)
            #expect(read["may_appeal"] as? Bool == true)
            #expect((read["content"] as? [String: Any])?["withholding"] as? String == "removed")
            let stranger = try await client.json("\(Self.prefix)/moderation/cases/\(caseID)", token: c.carolToken)
            #expect(stranger.status == .notFound)
            let gone = try await client.json("/api/v1/statuses/\(post)", token: c.carolToken)
            #expect(gone.status == .notFound)

            // One appeal.
            let empty = try await client.json(
                "\(Self.prefix)/moderation/cases/\(caseID)/appeal", method: .post, token: c.bobToken, body: ["text": "  "])
            #expect(empty.status == .unprocessableContent)
            #expect(Self.field(empty) == "text")
            let notMine = try await client.json(
                "\(Self.prefix)/moderation/cases/\(caseID)/appeal", method: .post, token: c.aliceToken, body: ["text": "Please."])
            #expect(notMine.status == .notFound)
            let appealed = try await client.json(
                "\(Self.prefix)/moderation/cases/\(caseID)/appeal", method: .post, token: c.bobToken,
                body: ["text": "It was a joke among colleagues."])
            #expect(appealed.status == .ok, "\(appealed.raw)")
            let appeal = try object(appealed.json)
            #expect(appeal["appeal_state"] as? String == "pending")
            #expect(appeal["appeal"] as? String == "It was a joke among colleagues.")
            #expect(appeal["open"] as? Bool == true)
            let again = try await client.json(
                "\(Self.prefix)/moderation/cases/\(caseID)/appeal", method: .post, token: c.bobToken, body: ["text": "Once more."])
            #expect(again.status == .conflict, "\(again.raw)")
            let queue = try await client.json("\(Self.prefix)/moderation/queue", token: c.monaToken)
            #expect(Self.cases(queue).first { $0["id"] as? String == caseID }?["source"] as? String == "appeal")
            let granted = try await Self.decide(client, token: c.monaToken, caseID, ["action": "approve"])
            #expect(granted.status == .ok, "\(granted.raw)")
            #expect(try object(granted.json)["appeal_state"] as? String == "granted")
            #expect(try await client.json("/api/v1/statuses/\(post)", token: c.carolToken).status == .ok)
            // The appeal decided, the case is closed like any other.
            let reopened = try await Self.decide(client, token: c.monaToken, caseID, ["action": "remove", "reason": "On second thought."])
            #expect(reopened.status == .conflict, "\(reopened.raw)")
        }
    }

    @Test func communityManagersDecideInTheirCommunityOnly() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            try await PollenCommunityAPITests.found(client, token: c.aliceToken, slug: "supply-chain")
            _ = try await client.json("\(Self.prefix)/communities/supply-chain/join", method: .post, token: c.bobToken)
            let item = try await PollenCommunityAPITests.write(client, token: c.bobToken, in: "supply-chain", type: "thread", title: "Forecasting tips")
            let caseID = try #require(try await Self.flag(client, token: c.carolToken, "item:\(item)", reason: "wrong")["case_id"] as? String)

            let silence = try await Self.decide(
                client, token: c.aliceToken, caseID, ["action": "silence", "reason": "Repeated bad advice.", "silence_days": 3])
            #expect(silence.status == .forbidden, "\(silence.raw)")
            let retagged = try await Self.decide(client, token: c.aliceToken, caseID, ["action": "retag", "tags": "planning, forecasting"])
            #expect(retagged.status == .ok, "\(retagged.raw)")
            #expect(try object(retagged.json)["open"] as? Bool == true)
            let itemNow = try object(try await client.json("\(Self.prefix)/items/\(item)", token: c.aliceToken).json)
            #expect(itemNow["tags"] as? [String] == ["planning", "forecasting"])
            let hidden = try await Self.decide(client, token: c.aliceToken, caseID, ["action": "hide", "reason": "Unsafe advice."])
            #expect(hidden.status == .ok, "\(hidden.raw)")
            #expect(try object(hidden.json)["action"] as? String == "hide")

            // A post outside communities is for the organization's moderators.
            let post = try await Self.post(client, token: c.bobToken, "Buy cheap watches")
            let postCase = try #require(try await Self.flag(client, token: c.carolToken, "post:\(post)")["case_id"] as? String)
            let outside = try await Self.decide(client, token: c.aliceToken, postCase, ["action": "remove", "reason": "Spam."])
            #expect(outside.status == .forbidden)
            let silenced = try await Self.decide(
                client, token: c.monaToken, postCase, ["action": "silence", "reason": "Spam.", "silence_days": 3])
            #expect(silenced.status == .ok, "\(silenced.raw)")
            let muted = try await client.json("/api/v1/statuses", method: .post, token: c.bobToken, form: ["status": "Hello again"])
            #expect(muted.status == .forbidden, "\(muted.raw)")
        }
    }

    // MARK: Policies

    @Test func communityPolicies() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            try await PollenCommunityAPITests.found(client, token: c.aliceToken, slug: "supply-chain")
            _ = try await client.json("\(Self.prefix)/communities/supply-chain/join", method: .post, token: c.bobToken)
            let path = "\(Self.prefix)/communities/supply-chain/moderation/policy"

            let initial = try await client.json(path, token: c.aliceToken)
            #expect(initial.status == .ok, "\(initial.raw)")
            let modes = try #require(try object(initial.json)["modes"] as? [String: String])
            #expect(modes.count == PolicyContent.allCases.count)
            #expect(Set(modes.values) == ["open"])

            let changed = try await client.json(path, method: .put, token: c.aliceToken, body: ["thread": "pre", "comment": "post"])
            #expect(changed.status == .ok, "\(changed.raw)")
            let now = try #require(try object(changed.json)["modes"] as? [String: String])
            #expect(now["thread"] == "pre" && now["comment"] == "post" && now["article"] == "open")
            let invalid = try await client.json(path, method: .put, token: c.aliceToken, body: ["article": "strict"])
            #expect(invalid.status == .unprocessableContent)
            #expect(Self.field(invalid) == "article")

            #expect(try await client.json(path, token: c.bobToken).status == .forbidden)
            #expect(try await client.json(path, method: .put, token: c.bobToken, body: ["thread": "open"]).status == .forbidden)
            // Moderators read a community's policy; its managers set it.
            #expect(try await client.json(path, token: c.monaToken).status == .ok)
            #expect(try await client.json("\(Self.prefix)/communities/nowhere/moderation/policy", token: c.aliceToken).status == .notFound)

            // A member's discussion now waits for approval.
            let held = try await PollenCommunityAPITests.write(client, token: c.bobToken, in: "supply-chain", type: "thread", title: "Held until approved")
            let queue = try await client.json("\(Self.prefix)/communities/supply-chain/moderation/queue", token: c.aliceToken)
            let entry = try #require(Self.cases(queue).first { $0["target"] as? String == "item:\(held)" })
            #expect(entry["source"] as? String == "pre_moderation")
            #expect((entry["content"] as? [String: Any])?["withholding"] as? String == "held")
        }
    }

    // MARK: Watched words

    @Test func watchedWords() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            let path = "\(Self.prefix)/moderation/watched-words"
            let empty = try await client.json(path, token: c.monaToken)
            #expect(empty.status == .ok, "\(empty.raw)")
            #expect((try object(empty.json)["watched_words"] as? [Any])?.isEmpty == true)

            let added = try await client.json(path, method: .post, token: c.monaToken, body: ["word": "  Buy   NOW ", "action": "block"])
            #expect(added.status == .created, "\(added.raw)")
            let word = try object(added.json)
            #expect(word["word"] as? String == "buy now")
            #expect(word["action"] as? String == "block")
            let id = try #require(word["id"] as? String)
            let flagged = try await client.json(path, method: .post, token: c.monaToken, body: ["word": "crypto"])
            #expect(try object(flagged.json)["action"] as? String == "flag")

            #expect(try await client.json(path, method: .post, token: c.monaToken, body: ["word": "buy now"]).status == .conflict)
            let badAction = try await client.json(path, method: .post, token: c.monaToken, body: ["word": "deal", "action": "shout"])
            #expect(badAction.status == .unprocessableContent)
            #expect(Self.field(badAction) == "action")
            let noWord = try await client.json(path, method: .post, token: c.monaToken, body: ["word": " "])
            #expect(noWord.status == .unprocessableContent)
            #expect(Self.field(noWord) == "word")

            let listed = try await client.json(path, token: c.monaToken)
            #expect(Set((try object(listed.json)["watched_words"] as? [[String: Any]] ?? []).compactMap { $0["word"] as? String }) == ["buy now", "crypto"])

            let blocked = try await client.json("/api/v1/statuses", method: .post, token: c.bobToken, form: ["status": "Buy now, cheap!"])
            #expect(blocked.status == .unprocessableContent, "\(blocked.raw)")

            #expect(try await client.json(path, token: c.bobToken).status == .forbidden)
            #expect(try await client.json(path, method: .post, token: c.bobToken, body: ["word": "spam"]).status == .forbidden)
            #expect(try await client.json("\(path)/\(id)", method: .delete, token: c.bobToken).status == .forbidden)

            let deleted = try await client.json("\(path)/\(id)", method: .delete, token: c.monaToken)
            #expect(deleted.status == .noContent, "\(deleted.raw)")
            #expect(try await client.json("\(path)/\(id)", method: .delete, token: c.monaToken).status == .notFound)
            #expect(try await client.json("\(path)/nope", method: .delete, token: c.monaToken).status == .notFound)
        }
    }

    // MARK: Administration

    @Test func moderationSettings() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            let path = "\(Self.prefix)/admin/moderation-settings"
            let read = try await client.json(path, token: c.adaToken)
            #expect(read.status == .ok, "\(read.raw)")
            let defaults = try object(read.json)
            #expect(defaults["hold_first_posts"] as? Bool == false)
            #expect(defaults["retention_days"] as? Int == 30)

            let saved = try await client.json(path, method: .put, token: c.adaToken, body: ["retention_days": 60, "hold_first_posts": true])
            #expect(saved.status == .ok, "\(saved.raw)")
            let settings = try object(saved.json)
            #expect(settings["retention_days"] as? Int == 60)
            #expect(settings["hold_first_posts"] as? Bool == true)
            #expect(settings["review_after_days"] as? Int == 180)

            let outOfRange = try await client.json(path, method: .put, token: c.adaToken, body: ["retention_days": 0])
            #expect(outOfRange.status == .unprocessableContent, "\(outOfRange.raw)")
            #expect(Self.field(outOfRange) == "retention_days")
            let notANumber = try await client.json(path, method: .put, token: c.adaToken, body: ["new_member_hours": "many"])
            #expect(notANumber.status == .unprocessableContent)
            #expect(Self.field(notANumber) == "new_member_hours")
            let notABool = try await client.json(path, method: .put, token: c.adaToken, body: ["hold_first_posts": "maybe"])
            #expect(Self.field(notABool) == "hold_first_posts")
            #expect(try object(try await client.json(path, token: c.adaToken).json)["retention_days"] as? Int == 60)

            #expect(try await client.json(path, token: c.monaToken).status == .forbidden)
            #expect(try await client.json(path, method: .put, token: c.monaToken, body: ["retention_days": 90]).status == .forbidden)
            let plainAdmin = try await client.memberToken("ada", scope: "read write")
            #expect(try await client.json(path, token: plainAdmin).status == .forbidden)
        }
    }

    @Test func auditLog() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            let post = try await Self.post(client, token: c.bobToken, "Buy cheap watches")
            let caseID = try #require(try await Self.flag(client, token: c.aliceToken, "post:\(post)")["case_id"] as? String)
            #expect(try await Self.decide(client, token: c.monaToken, caseID, ["action": "remove", "reason": "Spam."]).status == .ok)
            #expect(try await client.json(
                "\(Self.prefix)/moderation/watched-words", method: .post, token: c.monaToken, body: ["word": "crypto"]).status == .created)
            #expect(try await client.json(
                "\(Self.prefix)/admin/moderation-settings", method: .put, token: c.adaToken, body: ["retention_days": 45]).status == .ok)

            let log = try await client.json("\(Self.prefix)/admin/audit", token: c.adaToken)
            #expect(log.status == .ok, "\(log.raw)")
            let entries = try #require(try object(log.json)["entries"] as? [[String: Any]])
            #expect(entries.compactMap { $0["action"] as? String } == ["settings.moderation", "watched_word.add", "case.remove"])
            let removal = try #require(entries.last)
            #expect(removal["target"] as? String == "post:\(post)")
            #expect(removal["reason"] as? String == "Spam.")
            #expect((removal["actor"] as? [String: Any])?["handle"] as? String == "mona")
            #expect(try object(log.json)["next_before"] is NSNull)

            let first = try await client.json("\(Self.prefix)/admin/audit?limit=1", token: c.adaToken)
            let firstPage = try object(first.json)
            #expect((firstPage["entries"] as? [[String: Any]])?.count == 1)
            let next = try #require(firstPage["next_before"] as? String)
            let second = try await client.json("\(Self.prefix)/admin/audit?limit=1&before=\(next)", token: c.adaToken)
            #expect((try object(second.json)["entries"] as? [[String: Any]])?.first?["action"] as? String == "watched_word.add")
            let badCursor = try await client.json("\(Self.prefix)/admin/audit?before=yesterday", token: c.adaToken)
            #expect(badCursor.status == .unprocessableContent)
            #expect(Self.field(badCursor) == "before")

            #expect(try await client.json("\(Self.prefix)/admin/audit", token: c.monaToken).status == .forbidden)
            #expect(try await client.json("\(Self.prefix)/admin/audit", token: c.bobToken).status == .forbidden)
        }
    }

    // MARK: Content health

    @Test func contentHealth() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            try await PollenCommunityAPITests.found(client, token: c.aliceToken, slug: "supply-chain")
            for token in [c.bobToken, c.carolToken] {
                #expect(try await client.json("\(Self.prefix)/communities/supply-chain/join", method: .post, token: token).status == .ok)
            }
            let role = try await client.json(
                "\(Self.prefix)/communities/supply-chain/members/carol", method: .post, token: c.aliceToken,
                body: ["action": "role", "role": "sme"])
            #expect(role.status == .ok, "\(role.raw)")
            let article = try await PollenCommunityAPITests.write(client, token: c.aliceToken, in: "supply-chain", type: "article", title: "Safety stock basics")
            let thread = try await PollenCommunityAPITests.write(client, token: c.bobToken, in: "supply-chain", type: "thread", title: "A quick question")

            let marked = try await client.json(
                "\(Self.prefix)/items/\(article)/health", method: .post, token: c.carolToken,
                body: ["health": "needs_review", "note": "The formulas changed."])
            #expect(marked.status == .ok, "\(marked.raw)")
            let item = try object(marked.json)
            #expect(item["health"] as? String == "needs_review")
            #expect(item["type"] as? String == "article")
            #expect(item["reviewed_at"] as? String != nil)
            #expect((item["url"] as? String)?.hasSuffix("/c/supply-chain/items/\(article)") == true)

            let queue = try await client.json("\(Self.prefix)/communities/supply-chain/health", token: c.carolToken)
            #expect(queue.status == .ok, "\(queue.raw)")
            let items = try #require(try object(queue.json)["items"] as? [[String: Any]])
            #expect(items.map { $0["id"] as? String } == [article])
            #expect(items.first?["stale"] as? Bool == false)

            let reviewed = try await client.json(
                "\(Self.prefix)/items/\(article)/health", method: .post, token: c.aliceToken, body: ["health": "reviewed"])
            #expect(reviewed.status == .ok, "\(reviewed.raw)")
            #expect(try object(reviewed.json)["health"] is NSNull)
            let cleared = try await client.json("\(Self.prefix)/communities/supply-chain/health", token: c.aliceToken)
            #expect((try object(cleared.json)["items"] as? [Any])?.isEmpty == true)

            let byMember = try await client.json(
                "\(Self.prefix)/items/\(article)/health", method: .post, token: c.bobToken, body: ["health": "obsolete"])
            #expect(byMember.status == .forbidden)
            #expect(try await client.json("\(Self.prefix)/communities/supply-chain/health", token: c.bobToken).status == .forbidden)
            let invalid = try await client.json(
                "\(Self.prefix)/items/\(article)/health", method: .post, token: c.carolToken, body: ["health": "fine"])
            #expect(invalid.status == .unprocessableContent)
            #expect(Self.field(invalid) == "health")
            let notAnArticle = try await client.json(
                "\(Self.prefix)/items/\(thread)/health", method: .post, token: c.carolToken, body: ["health": "obsolete"])
            #expect(notAnArticle.status == .unprocessableContent)
            #expect(try await client.json(
                "\(Self.prefix)/items/999999/health", method: .post, token: c.carolToken, body: ["health": "obsolete"]).status == .notFound)
        }
    }

    // MARK: Mastodon reports

    @Test func mastodonReports() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            let post = try await Self.post(client, token: c.bobToken, "Buy cheap watches")
            let bobID = c.bob.id.description

            let report = try await client.json(
                "/api/v1/reports", method: .post, token: c.aliceToken,
                form: ["account_id": bobID, "status_ids[]": post, "comment": "Advertising", "category": "spam"])
            #expect(report.status == .ok, "\(report.raw)")
            let body = try object(report.json)
            #expect(body["id"] as? String != nil)
            #expect(body["category"] as? String == "spam")
            #expect(body["comment"] as? String == "Advertising")
            #expect(body["action_taken"] as? Bool == false)
            #expect(body["action_taken_at"] is NSNull)
            #expect(body["forwarded"] as? Bool == false)
            #expect(body["status_ids"] as? [String] == [post])
            #expect(body["rule_ids"] is NSNull)
            #expect((body["target_account"] as? [String: Any])?["id"] as? String == bobID)

            // Without statuses the profile is flagged; cited rules make it a violation.
            let profile = try await client.json(
                "/api/v1/reports", method: .post, token: c.carolToken, body: ["account_id": bobID, "rule_ids": ["2"], "category": "other"])
            #expect(profile.status == .ok, "\(profile.raw)")
            #expect(try object(profile.json)["category"] as? String == "violation")
            #expect(try object(profile.json)["status_ids"] is NSNull)

            let queue = try await client.json("\(Self.prefix)/moderation/queue", token: c.monaToken)
            let postCase = try #require(Self.cases(queue).first { $0["target"] as? String == "post:\(post)" })
            let flags = postCase["flags"] as? [[String: Any]] ?? []
            #expect(flags.map { $0["reason"] as? String } == ["spam"])
            #expect(flags.first?["flagger"] as? String == "alice")
            #expect(flags.first?["note"] as? String == "Advertising")
            let profileCase = try #require(Self.cases(queue).first { $0["target"] as? String == "profile:\(bobID)" })
            #expect((profileCase["flags"] as? [[String: Any]])?.first?["note"] as? String == "Breaks rules 2.")

            let again = try await client.json(
                "/api/v1/reports", method: .post, token: c.aliceToken, form: ["account_id": bobID, "status_ids[]": post])
            #expect(again.status == .conflict)
            let carolPost = try await Self.post(client, token: c.carolToken, "Morning all")
            let wrongAuthor = try await client.json(
                "/api/v1/reports", method: .post, token: c.aliceToken, form: ["account_id": bobID, "status_ids[]": carolPost])
            #expect(wrongAuthor.status == .notFound)
            #expect(try await client.json("/api/v1/reports", method: .post, token: c.aliceToken, form: ["account_id": "999999"]).status == .notFound)
            #expect(try await client.json("/api/v1/reports", method: .post, token: c.aliceToken, form: ["comment": "who?"]).status == .unprocessableContent)
            let badCategory = try await client.json(
                "/api/v1/reports", method: .post, token: c.aliceToken, form: ["account_id": bobID, "category": "rude"])
            #expect(badCategory.status == .unprocessableContent)
            let own = try await client.json("/api/v1/reports", method: .post, token: c.bobToken, form: ["account_id": bobID])
            #expect(own.status == .unprocessableContent)
            let readOnly = try await client.memberToken("dave", scope: "read")
            #expect(try await client.json("/api/v1/reports", method: .post, token: readOnly, form: ["account_id": bobID]).status == .forbidden)
        }
    }
}
