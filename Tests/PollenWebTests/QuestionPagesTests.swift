import Foundation
import Hummingbird
import HummingbirdTesting
import PollenCore
import Testing

@Suite struct QuestionPagesTests {
    /// Asks through the form and returns the question page's path.
    private static func ask(_ browser: TestBrowser, title: String, fields: [(String, String)] = []) async throws -> String {
        try await browser.get("/questions/new")
        let made = try await browser.post("/questions", fields: [("title", title), ("followers", "1")] + fields)
        #expect(made.status == .found, "\(made.body)")
        return try #require(made.location)
    }

    @Test func askAnswerVoteAcceptAndPassItOn() async throws {
        try await WebHarness.run { harness, client in
            let asker = try await harness.addMember("asha", name: "Asha Asker", department: "Logistics")
            let expert = try await harness.addMember("ezra", name: "Ezra Expert", department: "Finance")
            let passer = try await harness.addMember("pia", name: "Pia Passer", department: "Sales")
            let reader = try await harness.addMember("rui", name: "Rui Reader", department: "Sales")
            let quiet = try await harness.addMember("quinn", name: "Quinn Quiet", department: "Sales")
            _ = try await harness.pollen.updateProfile(
                of: expert.id, handle: nil, profile: Profile(displayName: "Ezra Expert", department: "Finance", expertise: ["rota-planning"]),
                by: .member(expert))
            // Pia follows Asha; Rui and Quinn follow Pia; Quinn takes no forwarded questions.
            _ = try await harness.pollen.followMember(asker.id, by: .member(passer))
            _ = try await harness.pollen.followMember(passer.id, by: .member(reader))
            _ = try await harness.pollen.followMember(passer.id, by: .member(quiet))
            try await harness.pollen.setAcceptsForwardedQuestions(false, by: .member(quiet))
            // Ezra follows Asha too: asked by name, he must still be told (and counted as asked by name).
            _ = try await harness.pollen.followMember(asker.id, by: .member(expert))

            let a = TestBrowser(client)
            try await a.signIn("asha")
            // Reviewing shows who could answer, with the reason, and keeps what was typed.
            try await a.get("/questions/new")
            let review = try await a.post(
                "/questions/new", fields: [("title", "How do you plan rotas for August?"), ("tags", "rota-planning"), ("followers", "1")])
            #expect(review.status == .ok)
            #expect(review.body.contains("value=\"How do you plan rotas for August?\""))
            #expect(review.body.contains("id=\"ask-\(expert.id)\" name=\"ask\" value=\"\(expert.id)\""))
            #expect(review.body.contains("Lists #rota-planning as expertise"))
            #expect(review.body.contains("Nothing like it yet."))
            let tooShort = try await a.post("/questions", fields: [("title", "Rotas?"), ("followers", "1")])
            #expect(tooShort.status == .unprocessableContent)
            #expect(tooShort.body.contains("Ask in 10 to 200 characters"))

            let question = try await Self.ask(
                a, title: "How do you plan rotas for August?", fields: [("tags", "rota-planning"), ("ask", expert.id.description)])
            let e = TestBrowser(client)
            try await e.signIn("ezra")
            #expect(try await e.get("/notifications?kind=questions").body.contains("asks you:"))
            #expect(try await e.get("/questions?queue=for-me").body.contains("How do you plan rotas for August?"))
            let answered = try await e.post("\(question)/answers", form: ["body": "A shared calendar, three weeks ahead."])
            #expect(answered.status == .found)
            let questionID = try #require(Question.ID(string: String(question.split(separator: "/").last ?? "")))
            let view = try await harness.pollen.question(questionID, viewer: .member(asker))
            let answerID = try #require(view.answers.first?.answer.id)

            // Ezra cannot vote on his own answer; Pia can, once.
            let own = try await e.post("/answers/\(answerID)/vote", form: ["value": "1", "next": question])
            #expect(try await e.follow(own).body.contains("You cannot vote on your own answer."))
            let p = TestBrowser(client)
            try await p.signIn("pia")
            try await p.get(question)
            try await p.post("/answers/\(answerID)/vote", form: ["value": "1"])
            try await p.post("/answers/\(answerID)/vote", form: ["value": "1"])
            #expect(try await p.get(question).body.contains("score 1"))
            // Only the asker accepts.
            #expect(try await p.post("/answers/\(answerID)/accept", form: [:]).status == .forbidden)
            try await a.get(question)
            try await a.post("/answers/\(answerID)/accept", form: [:])
            let page = try await a.get(question)
            #expect(page.body.contains("Accepted answer ✓"))
            #expect(page.body.contains("Time to first answer: "))

            // Comments go on the question or on one answer.
            try await a.post("\(question)/comments", form: ["answer_id": answerID.description, "body": "Which calendar tool?"])
            let commented = try await a.get(question)
            #expect(commented.body.contains("<a href=\"/@asha\">Asha Asker</a>: <p>Which calendar tool?</p>"))
            #expect(commented.body.contains("name=\"answer_id\" value=\"\(answerID)\""))

            // Edits keep the earlier text, shown in the history.
            try await e.get("/answers/\(answerID)/edit")
            try await e.post("/answers/\(answerID)/edit", form: ["body": "A shared calendar, four weeks ahead."])
            let edited = try await a.get(question)
            #expect(edited.body.contains("href=\"\(question)/history?answer=\(answerID)\">History</a>"))
            let history = try await a.get("\(question)/history?answer=\(answerID)")
            #expect(history.body.contains("three weeks ahead"))
            #expect(history.body.contains("four weeks ahead"))
            #expect(history.body.contains("Revision 2"))

            // Pia passes it on: Rui is reached and told who passed it; Quinn, who opted out, is not.
            try await p.get(question)
            let passed = try await p.post("\(question)/forward", form: ["note": "Rui, you did this last year"])
            #expect(try await p.follow(passed).body.contains("Passed on to 1 follower."))
            let r = TestBrowser(client)
            try await r.signIn("rui")
            let seen = try await r.get(question)
            #expect(seen.body.contains("Passed on to you by <a href=\"/@pia\">Pia Passer</a>: “Rui, you did this last year”"))
            let q = TestBrowser(client)
            try await q.signIn("quinn")
            #expect(!(try await q.get("/questions?queue=for-me").body.contains("rotas for August")))

            // The asker sees how far it went, never who; others do not see it at all.
            let travel = try await a.get(question)
            #expect(travel.body.contains("How far it travelled"))
            #expect(travel.body.contains("Reached 3 people, passed on once."))
            #expect(travel.body.contains("<th scope=\"row\">1 step away</th><td>1</td>"))
            #expect(!travel.body.contains("Rui Reader"))
            #expect(!(try await r.get(question).body.contains("How far it travelled")))
        }
    }

    @Test func forwardsCanBeSwitchedOffAndCommunitiesListTheirQuestions() async throws {
        try await WebHarness.run { harness, client in
            let ada = try await harness.addMember("ada", name: "Ada Archer")
            let browser = TestBrowser(client)
            try await browser.signIn("ada")
            let form = try await browser.get("/settings/privacy")
            #expect(form.body.contains("id=\"forwards\" name=\"forwards\" value=\"1\" checked"))
            try await browser.post("/settings/privacy", form: ["audience": "everyone", "discoverable": "1"])
            #expect(try await harness.pollen.acceptsForwardedQuestions(by: .member(ada)) == false)
            #expect(!(try await browser.get("/settings/privacy").body.contains("name=\"forwards\" value=\"1\" checked")))
            try await browser.post("/settings/privacy", form: ["audience": "everyone", "discoverable": "1", "forwards": "1"])
            #expect(try await harness.pollen.acceptsForwardedQuestions(by: .member(ada)))

            _ = try await harness.pollen.createCommunity(
                CommunityDraft(slug: "front-line", name: "Front-line managers", kind: .vertical), by: .member(ada))
            let question = try await Self.ask(
                browser, title: "Who covers the Friday night shift?", fields: [("community", "front-line")])
            let home = try await browser.get("/c/front-line")
            #expect(home.body.contains("href=\"\(question)\">Who covers the Friday night shift?</a>"))
            #expect(home.body.contains("href=\"/questions/new?community=front-line\">Ask this community</a>"))
            let queue = try await browser.get("/questions?queue=all&community=front-line")
            #expect(queue.body.contains("Who covers the Friday night shift?"))
            #expect(queue.body.contains("in Front-line managers"))
            // The ask page's script finds it while a similar title is typed.
            let similar = try await browser.get("/questions/similar?q=Friday%20night%20shift%20cover")
            #expect(similar.status == .ok)
            #expect(similar.body.contains("\"title\":\"Who covers the Friday night shift?\""))
            #expect(try await browser.get("/search?q=friday%20shift").body.contains(">Who covers the Friday night shift?</a>"))
        }
    }
}
