import Foundation
import Hummingbird
import HummingbirdTesting
import PollenCore
@testable import PollenWeb
import Testing

/// Questions and answers in Pollen's own API: asking, answering, votes, accepting, edits, forwarding with
/// travel counted but never listed, the opt-out of forwards, private communities and suggested experts.
@Suite struct PollenQuestionAPITests {
    static let prefix = "/api/pollen/v1"
    typealias Answer = (status: HTTPResponse.Status, json: Any?, raw: String)

    typealias Cast = APICast

    static func cast(_ harness: WebHarness, _ client: any TestClientProtocol) async throws -> Cast {
        try await APICast.make(harness, client)
    }

    static let rotas = "How do you plan rotas in August?"

    static func error(_ response: Answer) -> String? {
        (response.json as? [String: Any])?["error"] as? String
    }

    /// Asks through the API and returns the question as answered.
    @discardableResult
    static func ask(
        _ client: any TestClientProtocol, token: String, _ fields: [String: Any], sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> [String: Any] {
        let made = try await client.json("\(prefix)/questions", method: .post, token: token, body: fields)
        #expect(made.status == .created, "\(made.raw)", sourceLocation: sourceLocation)
        return try object(made.json, sourceLocation: sourceLocation)
    }

    /// Answers through the API and returns the answer's id.
    static func answer(
        _ client: any TestClientProtocol, token: String, question: String, body: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> String {
        let made = try await client.json("\(prefix)/questions/\(question)/answers", method: .post, token: token, body: ["body": body])
        #expect(made.status == .created, "\(made.raw)", sourceLocation: sourceLocation)
        return try #require(try object(made.json, sourceLocation: sourceLocation)["id"] as? String, sourceLocation: sourceLocation)
    }

    static func vote(_ client: any TestClientProtocol, token: String, answer: String, value: Any) async throws -> Answer {
        try await client.json("\(prefix)/answers/\(answer)/vote", method: .post, token: token, body: ["value": value])
    }

    static func route(_ client: any TestClientProtocol, token: String, question: String, ask: Any) async throws -> Answer {
        try await client.json("\(prefix)/questions/\(question)/route", method: .post, token: token, body: ["ask": ask])
    }

    /// The handles of a list of suggested experts.
    static func handles(_ value: Any?) -> [String] {
        (value as? [[String: Any]] ?? []).compactMap { ($0["account"] as? [String: Any])?["handle"] as? String }
    }

    // MARK: Asking

    @Test func askingListingAndRefusals() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            let made = try await Self.ask(
                client, token: c.aliceToken,
                ["title": "How do you plan rotas in August?", "body": "Half the team is away.", "tags": "Rotas, Supply chain"])
            let id = try #require(made["id"] as? String)
            #expect(made["title"] as? String == "How do you plan rotas in August?")
            #expect(made["body"] as? String == "Half the team is away.")
            #expect(made["tags"] as? [String] == ["rotas", "supply-chain"])
            #expect(made["community"] is NSNull)
            #expect(made["community_id"] is NSNull)
            #expect((made["author"] as? [String: Any])?["handle"] as? String == "alice")
            #expect(made["answers_count"] as? Int == 0)
            #expect(made["accepted_answer_id"] is NSNull)
            #expect(made["time_to_first_answer"] is NSNull)
            #expect(made["revision"] as? Int == 1)
            #expect(made["to_followers"] as? Bool == true)
            #expect((made["url"] as? String)?.hasSuffix("/questions/\(id)") == true)
            #expect((made["url"] as? String)?.hasPrefix("http") == true)
            #expect(made["may_edit"] as? Bool == true)
            #expect(made["may_accept"] as? Bool == true)
            #expect(made["reached"] is NSNull)
            let travel = try object(made["travel"])
            #expect(travel["people"] as? Int == 0)
            #expect(travel["forwards"] as? Int == 0)

            let short = try await client.json(
                "\(Self.prefix)/questions", method: .post, token: c.aliceToken, body: ["title": "Rotas?"])
            #expect(short.status == .unprocessableContent)
            #expect(Self.error(short)?.contains("10 to 200 characters") == true)
            let nobody = try await client.json(
                "\(Self.prefix)/questions", method: .post, token: c.aliceToken,
                body: ["title": "Who knows the customs rules?", "ask": ["bob", "@nobody"]])
            #expect(nobody.status == .unprocessableContent)
            #expect(Self.error(nobody) == "There is no member @nobody.")
            let nowhere = try await client.json(
                "\(Self.prefix)/questions", method: .post, token: c.aliceToken,
                body: ["title": "Who knows the customs rules?", "to_followers": false])
            #expect(nowhere.status == .unprocessableContent)
            let badFlag = try await client.json(
                "\(Self.prefix)/questions", method: .post, token: c.aliceToken,
                body: ["title": "Who knows the customs rules?", "to_followers": "perhaps"])
            #expect(badFlag.status == .unprocessableContent)
            let readOnly = try await client.memberToken("alice", scope: "read")
            let refused = try await client.json(
                "\(Self.prefix)/questions", method: .post, token: readOnly, body: ["title": "Who knows the customs rules?"])
            #expect(refused.status == .forbidden)
            #expect(try await client.json("\(Self.prefix)/questions").status == .unauthorized)

            let mine = try await client.json("\(Self.prefix)/questions?queue=mine", token: c.aliceToken)
            #expect(mine.status == .ok, "\(mine.raw)")
            let page = try object(mine.json)
            #expect(page["queue"] as? String == "mine")
            #expect(page["total"] as? Int == 1)
            #expect((page["questions"] as? [[String: Any]])?.map { $0["id"] as? String } == [id])
            let unanswered = try object(try await client.json("\(Self.prefix)/questions", token: c.bobToken).json)
            #expect(unanswered["queue"] as? String == "unanswered")
            #expect((unanswered["questions"] as? [[String: Any]])?.count == 1)
            let byTag = try object(try await client.json("\(Self.prefix)/questions?queue=all&tag=%23Rotas", token: c.bobToken).json)
            #expect(byTag["total"] as? Int == 1)
            let otherTag = try object(try await client.json("\(Self.prefix)/questions?queue=all&tag=pricing", token: c.bobToken).json)
            #expect(otherTag["total"] as? Int == 0)
            let unknown = try await client.json("\(Self.prefix)/questions?queue=everything", token: c.bobToken)
            #expect(unknown.status == .unprocessableContent)
            #expect(Self.error(unknown) == "queue must be unanswered, for-me, mine or all.")

            let similar = try await client.json("\(Self.prefix)/questions/similar?q=planning%20rotas%20august", token: c.bobToken)
            #expect(similar.status == .ok, "\(similar.raw)")
            #expect((try object(similar.json)["questions"] as? [[String: Any]])?.map { $0["id"] as? String } == [id])
            let missing = try await client.json("\(Self.prefix)/questions/12345", token: c.bobToken)
            #expect(missing.status == .notFound)
            #expect(try await client.json("\(Self.prefix)/questions/abc", token: c.bobToken).status == .notFound)
        }
    }

    @Test func editingAQuestionKeepsItsHistory() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            let id = try #require(
                try await Self.ask(client, token: c.aliceToken, ["title": "How do you plan rotas in August?", "tags": ["rotas"]])["id"]
                    as? String)
            let changed = try await client.json(
                "\(Self.prefix)/questions/\(id)", method: .patch, token: c.aliceToken,
                body: ["title": "How do you plan rotas over the summer?"])
            #expect(changed.status == .ok, "\(changed.raw)")
            let body = try object(changed.json)
            #expect(body["title"] as? String == "How do you plan rotas over the summer?")
            #expect(body["tags"] as? [String] == ["rotas"])
            #expect(body["revision"] as? Int == 2)
            #expect(body["edited_at"] is String)
            let refused = try await client.json(
                "\(Self.prefix)/questions/\(id)", method: .patch, token: c.bobToken, body: ["title": "Bob's question now, really"])
            #expect(refused.status == .forbidden)
            let bad = try await client.json("\(Self.prefix)/questions/\(id)", method: .patch, token: c.aliceToken, body: ["title": "Short"])
            #expect(bad.status == .unprocessableContent)

            let history = try await client.json("\(Self.prefix)/questions/\(id)/revisions", token: c.bobToken)
            #expect(history.status == .ok, "\(history.raw)")
            let list = try object(history.json)
            #expect(list["question_id"] as? String == id)
            #expect(list["answer_id"] is NSNull)
            let revisions = try #require(list["revisions"] as? [[String: Any]])
            #expect(revisions.map { $0["number"] as? Int } == [2, 1])
            #expect(revisions.last?["title"] as? String == "How do you plan rotas in August?")
            #expect((revisions.first?["author"] as? [String: Any])?["handle"] as? String == "alice")
        }
    }

    // MARK: Answers

    @Test func answeringVotingCommentingAndAccepting() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            let id = try #require(try await Self.ask(client, token: c.aliceToken, ["title": Self.rotas])["id"] as? String)

            let made = try await client.json(
                "\(Self.prefix)/questions/\(id)/answers", method: .post, token: c.bobToken, body: ["body": "We swap weeks early."])
            #expect(made.status == .created, "\(made.raw)")
            let answer = try object(made.json)
            let answerID = try #require(answer["id"] as? String)
            #expect(answer["question_id"] as? String == id)
            #expect((answer["author"] as? [String: Any])?["handle"] as? String == "bob")
            #expect(answer["score"] as? Int == 0)
            #expect(answer["accepted"] as? Bool == false)
            #expect(answer["viewer_vote"] is NSNull)
            #expect(answer["comments"] as? [Any] != nil)
            let empty = try await client.json(
                "\(Self.prefix)/questions/\(id)/answers", method: .post, token: c.carolToken, body: ["body": ""])
            #expect(empty.status == .unprocessableContent)

            // A second vote replaces the first; nobody votes on their own answer.
            let up = try await Self.vote(client, token: c.carolToken, answer: answerID, value: 1)
            #expect(up.status == .ok, "\(up.raw)")
            #expect(try object(up.json)["score"] as? Int == 1)
            #expect(try object(up.json)["viewer_vote"] as? Int == 1)
            let down = try await Self.vote(client, token: c.carolToken, answer: answerID, value: -1)
            #expect(try object(down.json)["score"] as? Int == -1)
            #expect(try object(down.json)["viewer_vote"] as? Int == -1)
            let own = try await Self.vote(client, token: c.bobToken, answer: answerID, value: 1)
            #expect(own.status == .conflict)
            let sideways = try await Self.vote(client, token: c.carolToken, answer: answerID, value: 2)
            #expect(sideways.status == .unprocessableContent)
            let back = try await Self.vote(client, token: c.carolToken, answer: answerID, value: "0")
            #expect(try object(back.json)["score"] as? Int == 0)
            #expect(try object(back.json)["viewer_vote"] is NSNull)

            let comment = try await client.json(
                "\(Self.prefix)/questions/\(id)/comments", method: .post, token: c.daveToken,
                body: ["body": "Which weeks?", "answer_id": answerID])
            #expect(comment.status == .created, "\(comment.raw)")
            #expect(try object(comment.json)["answer_id"] as? String == answerID)
            #expect((try object(comment.json)["author"] as? [String: Any])?["handle"] as? String == "dave")
            let onQuestion = try await client.json(
                "\(Self.prefix)/questions/\(id)/comments", method: .post, token: c.daveToken, body: ["body": "Good question."])
            #expect(onQuestion.status == .created)
            #expect(try object(onQuestion.json)["answer_id"] is NSNull)
            let stray = try await client.json(
                "\(Self.prefix)/questions/\(id)/comments", method: .post, token: c.daveToken, body: ["body": "Hm.", "answer_id": "999"])
            #expect(stray.status == .notFound)

            let edited = try await client.json(
                "\(Self.prefix)/answers/\(answerID)", method: .patch, token: c.bobToken, body: ["body": "We swap weeks in May."])
            #expect(edited.status == .ok, "\(edited.raw)")
            #expect(try object(edited.json)["body"] as? String == "We swap weeks in May.")
            #expect(try object(edited.json)["revision"] as? Int == 2)
            #expect((try object(edited.json)["comments"] as? [Any])?.count == 1)
            let notHers = try await client.json(
                "\(Self.prefix)/answers/\(answerID)", method: .patch, token: c.carolToken, body: ["body": "Carol's words."])
            #expect(notHers.status == .forbidden)
            let history = try await client.json("\(Self.prefix)/answers/\(answerID)/revisions", token: c.aliceToken)
            #expect(history.status == .ok, "\(history.raw)")
            #expect(try object(history.json)["answer_id"] as? String == answerID)
            #expect((try object(history.json)["revisions"] as? [[String: Any]])?.map { $0["body"] as? String }
                == ["We swap weeks in May.", "We swap weeks early."])
            #expect(try await client.json("\(Self.prefix)/answers/999/revisions", token: c.aliceToken).status == .notFound)

            // Only the asker (or a manager of the question's community) accepts.
            let byCarol = try await client.json("\(Self.prefix)/answers/\(answerID)/accept", method: .post, token: c.carolToken)
            #expect(byCarol.status == .forbidden)
            let accepted = try await client.json("\(Self.prefix)/answers/\(answerID)/accept", method: .post, token: c.aliceToken)
            #expect(accepted.status == .ok, "\(accepted.raw)")
            let detail = try object(accepted.json)
            #expect(detail["accepted_answer_id"] as? String == answerID)
            #expect(detail["accepted_at"] is String)
            #expect(detail["first_answer_at"] is String)
            #expect(detail["time_to_first_answer"] is NSNumber)
            #expect(detail["answers_count"] as? Int == 1)
            let answers = try #require(detail["answers"] as? [[String: Any]])
            #expect(answers.map { $0["accepted"] as? Bool } == [true])
            #expect((answers.first?["comments"] as? [[String: Any]])?.map { $0["body"] as? String } == ["Which weeks?"])
            #expect((detail["comments"] as? [[String: Any]])?.map { $0["body"] as? String } == ["Good question."])
            #expect(try await client.json("\(Self.prefix)/answers/999/accept", method: .post, token: c.aliceToken).status == .notFound)

            let measures = try await client.json("\(Self.prefix)/questions/measures", token: c.aliceToken)
            #expect(measures.status == .ok, "\(measures.raw)")
            let numbers = try object(measures.json)
            #expect(numbers["since_days"] as? Int == 90)
            #expect(numbers["asked"] as? Int == 1)
            #expect(numbers["answered"] as? Int == 1)
            #expect(numbers["answerers"] as? Int == 1)
            #expect(numbers["time_to_first_answer"] is NSNumber)
            #expect(numbers["answered_within_day"] is NSNull)
            let badWindow = try await client.json("\(Self.prefix)/questions/measures?since_days=0", token: c.aliceToken)
            #expect(badWindow.status == .unprocessableContent)
        }
    }

    // MARK: Forwarding

    @Test func forwardsAreCountedForTheAskerAndNeverListed() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            try await harness.pollen.followMember(c.alice.id, by: .member(c.bob))
            try await harness.pollen.followMember(c.bob.id, by: .member(c.carol))
            try await harness.pollen.followMember(c.bob.id, by: .member(c.dave))

            // Dave switches forwards off.
            let before = try await client.json("\(Self.prefix)/me/question-settings", token: c.daveToken)
            #expect(before.status == .ok)
            #expect(try object(before.json)["accepts_forwards"] as? Bool == true)
            let off = try await client.json(
                "\(Self.prefix)/me/question-settings", method: .put, token: c.daveToken, body: ["accepts_forwards": false])
            #expect(off.status == .ok, "\(off.raw)")
            #expect(try object(off.json)["accepts_forwards"] as? Bool == false)
            #expect(try object(try await client.json("\(Self.prefix)/me/question-settings", token: c.daveToken).json)["accepts_forwards"]
                as? Bool == false)
            let bad = try await client.json(
                "\(Self.prefix)/me/question-settings", method: .put, token: c.daveToken, body: ["accepts_forwards": "sometimes"])
            #expect(bad.status == .unprocessableContent)

            let id = try #require(try await Self.ask(client, token: c.aliceToken, ["title": Self.rotas])["id"] as? String)
            let forwarded = try await client.json(
                "\(Self.prefix)/questions/\(id)/forward", method: .post, token: c.bobToken, body: ["note": "Carol knows rotas"])
            #expect(forwarded.status == .ok, "\(forwarded.raw)")
            #expect(try object(forwarded.json)["reached"] as? Int == 1)
            let own = try await client.json("\(Self.prefix)/questions/\(id)/forward", method: .post, token: c.aliceToken, body: [:])
            #expect(own.status == .conflict)

            // The asker sees how far it went, by hop and department, never who.
            let asker = try await client.json("\(Self.prefix)/questions/\(id)", token: c.aliceToken)
            #expect(asker.status == .ok)
            let travel = try object(try object(asker.json)["travel"])
            #expect((travel["by_hop"] as? [[String: Any]])?.map { [$0["hop"] as? Int, $0["people"] as? Int] } == [[0, 1], [1, 1]])
            #expect(travel["forwards"] as? Int == 1)
            #expect(travel["people"] as? Int == 2)
            #expect((travel["by_department"] as? [[String: Any]])?.map { $0["people"] as? Int } == [2])
            #expect((travel["by_department"] as? [[String: Any]])?.first?["department"] as? String == "")
            for handle in ["carol", "dave", "bob"] {
                #expect(!asker.raw.contains(handle), "the asker's view names @\(handle)")
            }

            // Carol learns who passed it on; Bob, who forwarded it, sees no travel and no list of whom it reached.
            let carols = try object(try await client.json("\(Self.prefix)/questions/\(id)", token: c.carolToken).json)
            let reached = try object(carols["reached"])
            #expect(reached["hop"] as? Int == 1)
            #expect(reached["forwarded_by"] as? String == "bob")
            #expect(reached["note"] as? String == "Carol knows rotas")
            #expect(reached["named"] as? Bool == false)
            #expect(carols["travel"] is NSNull)
            let bobs = try await client.json("\(Self.prefix)/questions/\(id)", token: c.bobToken)
            #expect(try object(bobs.json)["travel"] is NSNull)
            #expect(!bobs.raw.contains("carol"))
            #expect(!bobs.raw.contains("dave"))

            // Dave, who opted out, was not reached.
            let daves = try object(try await client.json("\(Self.prefix)/questions/\(id)", token: c.daveToken).json)
            #expect(daves["reached"] is NSNull)
            let forDave = try object(try await client.json("\(Self.prefix)/questions?queue=for-me", token: c.daveToken).json)
            #expect(forDave["total"] as? Int == 0)
            let forCarol = try object(try await client.json("\(Self.prefix)/questions?queue=for-me", token: c.carolToken).json)
            #expect(forCarol["total"] as? Int == 1)
        }
    }

    // MARK: Communities

    @Test func aPrivateCommunitysQuestionIsUnknownOutside() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            let founded = try await client.json(
                "\(Self.prefix)/communities", method: .post, token: c.aliceToken,
                body: [
                    "slug": "night-shift", "name": "Night shift", "kind": "interest", "purpose": "Working nights.", "membership": "private",
                ])
            #expect(founded.status == .created, "\(founded.raw)")
            let made = try await Self.ask(
                client, token: c.aliceToken,
                ["title": "Who covers the night shift in August?", "community": "night-shift", "to_followers": false])
            let id = try #require(made["id"] as? String)
            let community = try object(made["community"])
            #expect(community["slug"] as? String == "night-shift")
            #expect(community["name"] as? String == "Night shift")
            #expect(made["community_id"] is String)

            let outside = try await client.json("\(Self.prefix)/questions/\(id)", token: c.daveToken)
            #expect(outside.status == .notFound)
            let answering = try await client.json(
                "\(Self.prefix)/questions/\(id)/answers", method: .post, token: c.daveToken, body: ["body": "Me!"])
            #expect(answering.status == .notFound)
            let listed = try object(try await client.json("\(Self.prefix)/questions?queue=all", token: c.daveToken).json)
            #expect(listed["total"] as? Int == 0)
            let byCommunity = try await client.json("\(Self.prefix)/questions?queue=all&community=night-shift", token: c.daveToken)
            #expect(byCommunity.status == .notFound)
            let forAlice = try object(
                try await client.json("\(Self.prefix)/questions?queue=all&community=night-shift", token: c.aliceToken).json)
            #expect(forAlice["total"] as? Int == 1)
        }
    }

    // MARK: Experts and routing

    @Test func expertsWithDeclaredExpertiseAreSuggestedAndAsked() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            let declared = try await client.json(
                "\(Self.prefix)/me", method: .patch, token: c.carolToken, body: ["expertise": "Forecasting"])
            #expect(declared.status == .ok, "\(declared.raw)")

            let before = try await client.json("\(Self.prefix)/experts?tags=forecasting,rotas", token: c.aliceToken)
            #expect(before.status == .ok, "\(before.raw)")
            let experts = try #require(try object(before.json)["experts"] as? [[String: Any]])
            #expect(Self.handles(experts) == ["carol"])
            #expect((experts.first?["reasons"] as? [String])?.contains { $0.contains("#forecasting") } == true)
            let none = try object(try await client.json("\(Self.prefix)/experts?tags=pricing", token: c.aliceToken).json)
            #expect((none["experts"] as? [Any])?.isEmpty == true)

            let id = try #require(
                try await Self.ask(client, token: c.aliceToken, ["title": "How good is our August forecast?", "tags": "forecasting"])["id"]
                    as? String)
            let suggested = try await client.json("\(Self.prefix)/questions/\(id)/experts", token: c.aliceToken)
            #expect(suggested.status == .ok, "\(suggested.raw)")
            #expect(Self.handles(try object(suggested.json)["experts"]) == ["carol"])
            // Carol is not suggested to herself.
            let toCarol = try object(try await client.json("\(Self.prefix)/questions/\(id)/experts", token: c.carolToken).json)
            #expect((toCarol["experts"] as? [Any])?.isEmpty == true)

            let routed = try await Self.route(client, token: c.aliceToken, question: id, ask: ["@carol"])
            #expect(routed.status == .ok, "\(routed.raw)")
            #expect(try object(routed.json)["routed"] as? Int == 1)
            let again = try await Self.route(client, token: c.aliceToken, question: id, ask: "carol")
            #expect(try object(again.json)["routed"] as? Int == 0)
            let notAsker = try await Self.route(client, token: c.bobToken, question: id, ask: "carol")
            #expect(notAsker.status == .forbidden)
            let unknown = try await Self.route(client, token: c.aliceToken, question: id, ask: "nobody")
            #expect(unknown.status == .unprocessableContent)
            let nobody = try await client.json("\(Self.prefix)/questions/\(id)/route", method: .post, token: c.aliceToken, body: [:])
            #expect(nobody.status == .unprocessableContent)
            let carols = try object(try await client.json("\(Self.prefix)/questions/\(id)", token: c.carolToken).json)
            #expect(try object(carols["reached"])["named"] as? Bool == true)
            #expect(try object(carols["reached"])["forwarded_by"] is NSNull)

            // Once she answered, she is not suggested again for it.
            _ = try await Self.answer(client, token: c.carolToken, question: id, body: "Within five percent, usually.")
            let after = try object(try await client.json("\(Self.prefix)/questions/\(id)/experts", token: c.aliceToken).json)
            #expect((after["experts"] as? [Any])?.isEmpty == true)
        }
    }
}
