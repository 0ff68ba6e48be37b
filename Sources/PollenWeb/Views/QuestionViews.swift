import Foundation
import PollenCore

/// A question in a queue.
struct QuestionCard {
    let id: String
    let title: String
    let authorName: String
    let authorHandle: String
    let time: String
    let timeISO: String
    let answers: String
    let answered: Bool
    let accepted: Bool
    let tags: [String]
    let communityName: String?
    let communitySlug: String?

    init(_ question: Question, author: Member, community: Community? = nil) {
        id = question.id.description
        title = question.title
        authorName = author.profile.displayName
        authorHandle = author.handle
        time = question.createdAt.formatted(date: .abbreviated, time: .shortened)
        timeISO = question.createdAt.ISO8601Format()
        answers = ItemCard.count(question.answers, "answer", "answers")
        answered = question.answers > 0
        accepted = question.acceptedAnswerID != nil
        tags = question.tags
        communityName = community?.name
        communitySlug = community?.slug
    }
}

/// Durations as people say them: "45 minutes", "3 hours", "2 days".
enum Durations {
    static func text(_ seconds: TimeInterval?) -> String {
        guard let seconds else { return "—" }
        switch seconds {
        case ..<3600: return ItemCard.count(max(1, Int((seconds / 60).rounded())), "minute", "minutes")
        case ..<(48 * 3600): return ItemCard.count(Int((seconds / 3600).rounded()), "hour", "hours")
        default: return ItemCard.count(Int((seconds / 86_400).rounded()), "day", "days")
        }
    }

    static func share(_ value: Double?) -> String {
        value.map { "\(Int(($0 * 100).rounded())) %" } ?? "—"
    }
}

struct QuestionsPage {
    struct Tab {
        let label: String
        let url: String
        let current: Bool
    }
    let layout: Layout
    let heading: String
    let tabs: [Tab]
    let questions: [QuestionCard]
    let hasQuestions: Bool
    let emptyText: String
    let filterNote: String?
    let askURL: String
    let measures: MeasuresPanel
    let nextURL: String?
}

struct MeasuresPanel {
    let asked: Int
    let answered: Int
    let timeToFirstAnswer: String
    let timeToAccepted: String
    let withinDay: String
    let withinWeek: String
    let answerers: Int
    let departments: Int

    init(_ m: QuestionMeasures) {
        asked = m.asked
        answered = m.answered
        timeToFirstAnswer = Durations.text(m.timeToFirstAnswer)
        timeToAccepted = Durations.text(m.timeToAccepted)
        withinDay = Durations.share(m.answeredWithinDay)
        withinWeek = Durations.share(m.answeredWithinWeek)
        answerers = m.answerers
        departments = m.departments
    }
}

struct AskPage {
    struct CommunityChoice {
        let slug: String
        let name: String
        let selected: Bool
    }
    struct Expert {
        let id: String
        let name: String
        let handle: String
        let reasons: [String]
        let checked: Bool
    }
    let layout: Layout
    let title: String
    let body: String
    let tags: String
    let handles: String
    let toFollowers: Bool
    let communities: [CommunityChoice]
    let hasCommunities: Bool
    let reviewed: Bool
    let similar: [QuestionCard]
    let hasSimilar: Bool
    let experts: [Expert]
    let hasExperts: Bool
    var formError: String?
}

struct QuestionPage {
    struct Comment {
        /// `qa_comment:ID` when the viewer may flag it (not their own).
        let flagTarget: String?
        let authorName: String
        let authorHandle: String
        let html: String
        let time: String
    }
    struct AnswerCard {
        let id: String
        let authorName: String
        let authorHandle: String
        let html: String
        let time: String
        let timeISO: String
        let edited: Bool
        let score: Int
        let accepted: Bool
        let votedUp: Bool
        let votedDown: Bool
        let mayVote: Bool
        let mayAccept: Bool
        let mayEdit: Bool
        let mayFlag: Bool
        let comments: [Comment]
        /// "Mark useful" and the value stories the answer is part of.
        var value: ValueBlock? = nil
    }
    struct Count {
        let label: String
        let people: Int
    }
    struct Expert {
        let id: String
        let name: String
        let handle: String
        let reasons: [String]
    }
    let layout: Layout
    /// Shown to the asker while moderation keeps the question out of view.
    let withheld: String?
    let id: String
    /// The same as `id`, for links inside an answer (whose own `id` would shadow it).
    let questionID: String
    let title: String
    let html: String
    let tags: [String]
    let authorName: String
    let authorHandle: String
    let time: String
    let timeISO: String
    let edited: Bool
    let communityName: String?
    let communitySlug: String?
    let answered: Bool
    let accepted: Bool
    let timeToFirstAnswer: String?
    let timeToAccepted: String?
    let reachNote: String?
    let forwardedByName: String?
    let forwardedByHandle: String?
    let answers: [AnswerCard]
    let answersHeading: String
    let comments: [Comment]
    let mayEdit: Bool
    let mayAnswer: Bool
    let mayForward: Bool
    let isAsker: Bool
    let travelPeople: String
    /// "passed on once", "passed on 3 times"; nil before anyone has.
    let forwardsText: String?
    let byHop: [Count]
    let byDepartment: [Count]
    let hasTravel: Bool
    let experts: [Expert]
    let hasExperts: Bool
    let answerText: String
    var formError: String?
}

struct QuestionEditPage {
    let layout: Layout
    let heading: String
    let action: String
    let isQuestion: Bool
    let title: String
    let body: String
    let tags: String
    let cancelURL: String
    var formError: String?
}

struct QuestionHistoryPage {
    struct Revision {
        let number: Int
        let authorName: String
        let authorHandle: String
        let time: String
        let title: String
        let html: String
    }
    let layout: Layout
    let id: String
    let title: String
    let ofAnswer: Bool
    let revisions: [Revision]
}
