import Foundation

extension Pollen {
    /// Useful marks and value-creation stories on the demo's community answers, so that a demo's value matrices, its
    /// "value stories" measure and the prompts have something to show. The asker marks the answer they accept as
    /// useful when accepting it, and some up-voters mark what they voted for. Prompts count as sent for the time gone
    /// by; of the marks a month old, some were answered "used it", a few "not used", and some with a story in two or
    /// three steps that links the answer and the question.
    func seedValue(
        _ rows: [DemoQuestionRows], seed: UInt64, now: Date, into report: inout DemoReport,
        progress: @Sendable (String, Int, Int) -> Void
    ) async throws {
        var rng = DemoRandom(seed: seed, stream: 0x7A1E)
        var marks: [UsefulMark] = []
        var stories: [ValueStory] = []
        for row in rows {
            guard let community = row.question.communityID else { continue }
            var markers: [(member: Member.ID, answer: Answer, at: Date)] = []
            if let accepted = row.question.acceptedAnswerID, let answer = row.answers.first(where: { $0.id == accepted }),
                let at = row.question.acceptedAt
            {
                markers.append((row.question.authorID, answer, at))
            }
            for vote in row.votes where vote.value > 0 && rng.chance(0.4) {
                guard let answer = row.answers.first(where: { $0.id == vote.answer }),
                    !markers.contains(where: { $0.member == vote.member && $0.answer.id == answer.id })
                else { continue }
                markers.append((vote.member, answer, vote.at))
            }
            for (member, answer, at) in markers {
                var mark = UsefulMark(
                    id: UsefulMark.ID(ids.next()), memberID: member, target: ContentRef(.answer, answer.id.rawValue),
                    communityID: community, createdAt: at, nextPromptAt: at.addingTimeInterval(Self.firstPromptAfter))
                let firstPrompt = at.addingTimeInterval(Self.firstPromptAfter)
                if firstPrompt <= now {
                    mark.promptsSent = 1
                    mark.nextPromptAt = at.addingTimeInterval(Self.lastPromptAfter)
                    let answeredAt = min(now, firstPrompt.addingTimeInterval(Double(1 + rng.int(below: 72)) * 3600))
                    let draw = rng.unit()
                    if draw < 0.75 {
                        mark.outcome = draw < 0.3 ? .story : draw < 0.6 ? .used : .notUsed
                        mark.answeredAt = answeredAt
                        mark.nextPromptAt = nil
                    } else if mark.nextPromptAt! <= now {
                        mark.promptsSent = 2
                        mark.nextPromptAt = nil
                    }
                    if mark.outcome == .story {
                        stories.append(Self.demoStory(
                            id: ValueStory.ID(ids.next()), by: member, in: community, answer: answer, question: row.question,
                            at: answeredAt, rng: &rng))
                    }
                }
                marks.append(mark)
            }
        }
        var start = 0
        while start < marks.count {
            let batch = Array(marks[start..<min(start + Self.demoQuestionBatch, marks.count)])
            try await store.write { repos in for mark in batch { _ = try await repos.value.insertMark(mark) } }
            start += batch.count
            progress("useful marks", start, marks.count)
        }
        let written = stories
        try await store.write { repos in for story in written { try await repos.value.insertStory(story) } }
        report.usefulMarks = marks.count
        report.valueStories = stories.count
    }

    private static func demoStory(
        id: ValueStory.ID, by author: Member.ID, in community: Community.ID, answer: Answer, question: Question, at: Date,
        rng: inout DemoRandom
    ) -> ValueStory {
        let links = [ContentRef(.answer, answer.id.rawValue), ContentRef(.question, question.id.rawValue)]
        let uses = [
            "We tried it on the next piece of work that needed it.", "I walked the team through it at our weekly meeting.",
            "We turned it into a checklist the whole team now follows.", "I used it to unblock a review that had stalled.",
        ]
        let results = [
            "It saved us about a day of back-and-forth.", "The next release went out without the problem we had before.",
            "Two other teams asked for the checklist.", "A customer issue was closed a week earlier than we planned.",
        ]
        var steps = [
            ValueStep(cycle: .potential, narrative: "The answer to “\(question.title)” gave us a way forward.", links: links),
            ValueStep(cycle: .applied, narrative: uses[rng.int(below: uses.count)]),
        ]
        if rng.chance(0.5) { steps.append(ValueStep(cycle: .realized, narrative: results[rng.int(below: results.count)])) }
        return ValueStory(
            id: id, authorID: author, communityID: community, title: "What came of “\(question.title)”", steps: steps,
            createdAt: at)
    }
}
