import Foundation
import Hummingbird
import HummingbirdTesting
import PollenCore
import Testing

/// Value stories, "Mark useful", value prompts and a community's value matrix through the pages: forms that come
/// back with their message and store nothing, who gets 403 and 404, and the CSV.
@Suite struct ValueStoryPagesTests {
    /// A community `ops` managed by @mara with @ada and @bob in it, @bob's question there and @mara's answer.
    struct Setting {
        let question: Question
        let answer: Answer
    }

    static func setting(_ harness: WebHarness) async throws -> Setting {
        let mara = try await harness.addMember("mara", name: "Mara Manager")
        let ada = try await harness.addMember("ada", name: "Ada Archer")
        let bob = try await harness.addMember("bob", name: "Bob Baker")
        _ = try await harness.addMember("nora", name: "Nora Outside")
        _ = try await harness.pollen.createCommunity(
            CommunityDraft(slug: "ops", name: "Operations", kind: .horizontal, membership: .open), by: .member(mara))
        for person in [ada, bob] { _ = try await harness.pollen.joinCommunity(slug: "ops", by: .member(person)) }
        let question = try await harness.pollen.askQuestion(
            QuestionDraft(title: "How often are forklift brakes tested?", community: "ops"), by: .member(bob))
        let answer = try await harness.pollen.answerQuestion(question.id, body: "Before every shift.", by: .member(mara))
        return Setting(question: question, answer: answer)
    }

    @Test func aMemberMarksAnAnswerUsefulTellsTheStoryAndFindsItEverywhere() async throws {
        try await WebHarness.run { harness, client in
            let s = try await Self.setting(harness)
            let ada = TestBrowser(client)
            try await ada.signIn("ada")
            let questionPath = "/questions/\(s.question.id)"
            let before = try await ada.get(questionPath)
            #expect(before.body.contains("Mark useful"))
            #expect(before.body.contains("value=\"answer:\(s.answer.id)\""))
            let marked = try await ada.post("/useful", form: ["target": "answer:\(s.answer.id)", "on": "1", "next": "\(questionPath)#answer-\(s.answer.id)"])
            #expect(marked.location == "\(questionPath)#answer-\(s.answer.id)")
            #expect(try await ada.get(questionPath).body.contains("aria-pressed=\"true\""))
            // The answer's author does not mark their own answer: no button for them.
            let mara = TestBrowser(client)
            try await mara.signIn("mara")
            #expect(!(try await mara.get(questionPath).body.contains("Mark useful")))
            #expect(try await mara.post("/useful", form: ["target": "answer:\(s.answer.id)", "next": questionPath]).location == questionPath)

            // The form offers what she marked useful.
            let form = try await ada.get("/stories/new")
            #expect(form.status == .ok)
            #expect(form.body.contains("Record a value story"))
            #expect(form.body.contains("Answer to “How often are forklift brakes tested?”"))
            #expect(form.body.contains("name=\"pick_applied\" value=\"answer:\(s.answer.id)\""))

            // Mistakes come back with the message and what was typed; nothing is stored.
            let untitled = try await ada.post("/stories", form: ["title": "", "narrative_applied": "We test daily now."])
            #expect(untitled.status == .unprocessableContent)
            #expect(untitled.body.contains("Give the story a title"))
            #expect(untitled.body.contains("We test daily now."))
            let badLink = try await ada.post(
                "/stories", form: ["title": "Safer forklifts", "narrative_applied": "We test daily now.", "links_applied": "/questions/999999"])
            #expect(badLink.status == .unprocessableContent)
            #expect(badLink.body.contains("You cannot link to “/questions/999999”: it does not exist, or you cannot see it."))
            #expect(badLink.body.contains("Safer forklifts"))
            let empty = try await ada.post("/stories", form: ["title": "Nothing told"])
            #expect(empty.status == .unprocessableContent)
            #expect(empty.body.contains("Tell at least one step"))
            #expect(try await ada.get("/stories").body.contains("No value stories here yet"))

            let recorded = try await ada.post("/stories", fields: [
                ("title", "Safer forklifts"), ("community", "ops"),
                ("narrative_applied", "We now test the brakes **before every shift**."),
                ("links_applied", "\(questionPath)#answer-\(s.answer.id)\n/@mara"),
                ("narrative_realized", "No brake incident since."), ("pick_realized", "answer:\(s.answer.id)"),
            ])
            let location = try #require(recorded.location)
            #expect(location.hasPrefix("/stories/"))
            let story = try await ada.get(location)
            #expect(story.body.contains("<h1 id=\"story-title\">Safer forklifts</h1>"))
            #expect(story.body.contains("Applied value"))
            #expect(story.body.contains("<strong>before every shift</strong>"))
            #expect(story.body.contains("href=\"\(questionPath)#answer-\(s.answer.id)\""))
            #expect(story.body.contains("href=\"/@mara\">Mara Manager</a>"))
            #expect(story.body.contains("Realized value"))
            #expect(story.body.contains("href=\"\(location)/edit\""))

            // On the answer's page, in the list and in the community's matrix.
            let after = try await mara.get(questionPath)
            #expect(after.body.contains("Part of 1 value story"))
            #expect(after.body.contains("href=\"\(location)\">Safer forklifts</a>"))
            #expect(try await mara.get("/stories?community=ops").body.contains("Safer forklifts"))
            let matrix = try await mara.get("/c/ops/value")
            #expect(matrix.status == .ok)
            #expect(matrix.body.contains("Value created in Operations"))
            #expect(matrix.body.contains(ValueCycle.reframing.meaning))
            #expect(matrix.body.contains("href=\"\(location)\">Safer forklifts</a>"))
            #expect(try await mara.get("/c/ops").body.contains("href=\"/c/ops/value\""))

            // Only the author edits and deletes.
            #expect(try await mara.get("\(location)/edit").status == .forbidden)
            #expect(try await mara.post("\(location)/edit", form: ["title": "Taken over", "narrative_immediate": "x"]).status == .forbidden)
            #expect(try await mara.post("\(location)/delete", form: [:]).status == .forbidden)
            let editForm = try await ada.get("\(location)/edit")
            #expect(editForm.body.contains("Edit your value story"))
            #expect(editForm.body.contains("\(questionPath)#answer-\(s.answer.id)\n/@mara"))
            let refused = try await ada.post("\(location)/edit", form: ["title": "Safer forklifts", "narrative_applied": "", "links_applied": "/@mara"])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("Say what happened at the applied step"))
            #expect(try await ada.get(location).body.contains("Realized value"), "a refused edit changes nothing")
            let saved = try await ada.post("\(location)/edit", form: ["title": "Safer forklifts, told again", "narrative_potential": "A good answer to keep."])
            #expect(saved.location == location)
            #expect(try await ada.get(location).body.contains("Safer forklifts, told again"))
            let confirm = try await ada.get("\(location)/delete")
            #expect(confirm.body.contains("Delete this story?"))
            #expect(try await ada.post("\(location)/delete", form: [:]).location == "/stories")
            #expect(try await ada.get(location).status == .notFound)
        }
    }

    @Test func privateStoriesAndMatricesAreNotFoundOutsideAndTheMatrixIsForMembers() async throws {
        try await WebHarness.run { harness, client in
            _ = try await Self.setting(harness)
            let mara = try #require(try await harness.member("mara"))
            let ada = try #require(try await harness.member("ada"))
            _ = try await harness.pollen.createCommunity(
                CommunityDraft(slug: "vault", name: "The Vault", kind: .interest, membership: .private), by: .member(mara))
            try await harness.pollen.decide(.invite, about: ada.id, in: "vault", by: .member(mara))
            try await harness.pollen.joinCommunity(slug: "vault", by: .member(ada))
            let secret = try await harness.pollen.recordValueStory(
                ValueStoryDraft(title: "Vault lessons", community: "vault", steps: [ValueStepDraft(cycle: .applied, narrative: "We used it.")]),
                by: .member(ada))
            let nora = TestBrowser(client)
            try await nora.signIn("nora")
            #expect(try await nora.get("/stories/\(secret.id)").status == .notFound)
            #expect(try await nora.get("/stories/\(secret.id)/edit").status == .notFound)
            #expect(try await nora.get("/c/vault/value").status == .notFound)
            #expect(try await nora.get("/c/vault/value.csv").status == .notFound)
            #expect(try await nora.get("/stories?community=vault").status == .notFound)
            #expect(!(try await nora.get("/stories").body.contains("Vault lessons")))
            // Recording in it is refused as if it did not exist.
            #expect(try await nora.post("/stories", form: ["title": "In there", "community": "vault", "narrative_applied": "x"]).status == .notFound)
            // An open community's matrix is for its members: not for the rest of the organization.
            #expect(try await nora.get("/c/ops/value").status == .forbidden)
            #expect(!(try await nora.get("/c/ops").body.contains("/c/ops/value")))
            // Recording a story in a community one is not in comes back to the form.
            let outside = try await nora.post("/stories", form: ["title": "Not mine", "community": "ops", "narrative_applied": "x"])
            #expect(outside.status == .forbidden)
            #expect(outside.body.contains("Only members of Operations record stories there"))
            let member = TestBrowser(client)
            try await member.signIn("ada")
            #expect(try await member.get("/stories/\(secret.id)").body.contains("Vault lessons"))
            #expect(try await member.get("/c/vault/value").status == .ok)
            #expect(try await member.get("/stories/999999").status == .notFound)
            #expect(try await member.get("/stories/abc").status == .notFound)
        }
    }

    @Test func aPromptAMonthLaterIsAnsweredInOneClick() async throws {
        try await WebHarness.run { harness, client in
            let s = try await Self.setting(harness)
            let ada = TestBrowser(client)
            try await ada.signIn("ada")
            try await ada.post("/useful", form: ["target": "answer:\(s.answer.id)", "next": "/questions/\(s.question.id)"])
            #expect(try await harness.pollen.sendValuePrompts(now: Date().addingTimeInterval(31 * 86_400)) == 1)
            let notifications = try await ada.get("/notifications")
            let member = try #require(try await harness.member("ada"))
            let mark = try #require(try await harness.pollen.usefulThings(viewer: .member(member)).first).mark
            #expect(notifications.body.contains("You marked"))
            #expect(notifications.body.contains("Answer to “How often are forklift brakes tested?”"))
            #expect(notifications.body.contains("useful a month ago — did you use it? What changed?"))
            #expect(notifications.body.contains("href=\"/useful/\(mark.id)\""))
            // Mastodon clients are not shown it.
            let token = try await client.memberToken("ada")
            let mastodon = try await client.json("/api/v1/notifications", token: token)
            #expect((mastodon.json as? [Any])?.isEmpty == true, "\(mastodon.raw)")

            let prompt = try await ada.get("/useful/\(mark.id)")
            #expect(prompt.status == .ok)
            #expect(prompt.body.contains("did you use it? What changed?"))
            let bob = TestBrowser(client)
            try await bob.signIn("bob")
            #expect(try await bob.get("/useful/\(mark.id)").status == .notFound)
            #expect(try await bob.post("/useful/\(mark.id)", form: ["outcome": "used"]).status == .notFound)

            let noChoice = try await ada.post("/useful/\(mark.id)", form: ["note": "x"])
            #expect(noChoice.status == .unprocessableContent)
            #expect(noChoice.body.contains("Choose: not used, used it, or tell the story."))
            let long = try await ada.post("/useful/\(mark.id)", form: ["outcome": "used", "note": String(repeating: "x", count: 300)])
            #expect(long.status == .unprocessableContent)
            #expect(long.body.contains("Keep the note to one line"))
            let used = try await ada.post("/useful/\(mark.id)", form: ["outcome": "used", "note": "Brakes checked each shift."])
            #expect(used.location == "/useful")
            let list = try await ada.get("/useful")
            #expect(list.body.contains("Used it: “Brakes checked each shift.”"))
            let story = try await ada.post("/useful/\(mark.id)", form: ["outcome": "story"])
            #expect(story.location == "/stories/new?mark=\(mark.id)")
            let prefilled = try await ada.get("/stories/new?mark=\(mark.id)")
            #expect(prefilled.body.contains("/questions/\(s.question.id)#answer-\(s.answer.id)</textarea>"))
            #expect(prefilled.body.contains("<option value=\"ops\" selected>Operations</option>"))
        }
    }

    @Test func theMatrixDownloadsAsQuotedDefusedCSV() async throws {
        try await WebHarness.run { harness, client in
            _ = try await Self.setting(harness)
            let ada = try #require(try await harness.member("ada"))
            let story = try await harness.pollen.recordValueStory(
                ValueStoryDraft(title: "=HYPERLINK(\"x\") \"quoted\"", community: "ops",
                                steps: [ValueStepDraft(cycle: .realized, narrative: "Saved an hour a day.")]),
                by: .member(ada))
            let mara = TestBrowser(client)
            try await mara.signIn("mara")
            let counts = try await mara.get("/c/ops/value.csv")
            #expect(counts.status == .ok)
            #expect(counts.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(counts.headers[.contentDisposition] == "attachment; filename=\"pollen-ops-value.csv\"")
            #expect(counts.body.hasPrefix("cycle,indicator,last_90_days,all_time\r\n"))
            #expect(counts.body.contains("\"immediate\",\"Answers given to the community's questions\",\"1\",\"1\"\r\n"))
            #expect(counts.body.contains("\"realized\",\"Stories with a realized step\",\"1\",\"1\"\r\n"))
            let stories = try await mara.get("/c/ops/value.csv?table=stories")
            #expect(stories.body.hasPrefix("cycle,story,author,recorded,address\r\n"))
            #expect(stories.body.contains("\"realized\",\"'=HYPERLINK(\"\"x\"\") \"\"quoted\"\"\",\"ada\","))
            #expect(stories.body.contains("\"/stories/\(story.id)\"\r\n"))
            let nora = TestBrowser(client)
            try await nora.signIn("nora")
            #expect(try await nora.get("/c/ops/value.csv").status == .forbidden)
        }
    }
}
