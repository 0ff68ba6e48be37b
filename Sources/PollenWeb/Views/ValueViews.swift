import Foundation
import PollenCore

/// Beside a piece of content (an item, an answer, a post): the "Mark useful" toggle and the value stories it is
/// part of. Rendered by the `value_block` partial.
struct ValueBlock {
    struct Story {
        let id: String
        let title: String
    }
    /// The content, as `/useful` takes it (`answer:12`).
    let target: String
    /// Where the toggle comes back to.
    let next: String
    let mayMark: Bool
    let marked: Bool
    /// "Part of 2 value stories", nil when none.
    let storiesText: String?
    let stories: [Story]

    init(target: ContentRef, next: String, mayMark: Bool, context: ValueContext?) {
        self.target = target.description
        self.next = next
        self.mayMark = mayMark
        marked = context?.marked ?? false
        let stories = context?.stories ?? []
        storiesText = stories.isEmpty ? nil : "Part of " + ItemCard.count(stories.count, "value story", "value stories")
        self.stories = stories.map { Story(id: $0.id.description, title: $0.title) }
    }
}

/// One story in a list.
struct StoryCard {
    let id: String
    let title: String
    let authorName: String
    let authorHandle: String
    let communityName: String?
    let communitySlug: String?
    let time: String
    let timeISO: String
    /// The cycles it tells, in order ("Applied · Realized").
    let cycles: [String]
    let withheld: String?

    init(_ summary: ValueStorySummary) {
        id = summary.story.id.description
        title = summary.story.title
        authorName = summary.author.profile.displayName
        authorHandle = summary.author.handle
        communityName = summary.community?.name
        communitySlug = summary.community?.slug
        time = summary.story.createdAt.formatted(date: .abbreviated, time: .omitted)
        timeISO = summary.story.createdAt.ISO8601Format()
        cycles = summary.story.cycles.map { $0.label }
        withheld = QuestionPages.withheldText(summary.story.withholding)
    }
}

struct StoriesPage {
    struct Option {
        let value: String
        let label: String
        let selected: Bool
    }
    let layout: Layout
    let heading: String
    let stories: [StoryCard]
    let hasStories: Bool
    let filters: [Option]
    let hasFilters: Bool
    let newURL: String
    let nextURL: String?
    let cycles: [CycleLine]
}

/// A cycle's name and what it means, for the explanations on the pages.
struct CycleLine {
    let key: String
    let label: String
    let meaning: String

    init(_ cycle: ValueCycle) {
        key = cycle.rawValue
        label = cycle.label
        meaning = cycle.meaning
    }

    static let all = ValueCycle.allCases.map(CycleLine.init)
}

struct StoryPage {
    struct Link {
        let title: String
        let path: String
        let kind: String
    }
    struct Step {
        let key: String
        let label: String
        let meaning: String
        let html: String
        let links: [Link]
        let hasLinks: Bool
        let unseen: String?
    }
    let layout: Layout
    let id: String
    let title: String
    let authorName: String
    let authorHandle: String
    let communityName: String?
    let communitySlug: String?
    let time: String
    let timeISO: String
    let updated: String?
    let withheld: String?
    let steps: [Step]
    let mayEdit: Bool
    let mayFlag: Bool
}

struct StoryFormPage {
    struct Picked {
        let id: String
        let value: String
        let title: String
        let kind: String
        let checked: Bool
    }
    struct Step {
        let key: String
        let label: String
        let meaning: String
        let question: String
        let narrative: String
        let links: String
        let narrativeError: String?
        let linksError: String?
        let picks: [Picked]
        let hasPicks: Bool
        /// Open when it holds something, or the form starts there.
        let open: Bool
    }
    struct Option {
        let value: String
        let label: String
        let selected: Bool
    }
    let layout: Layout
    let heading: String
    let action: String
    let cancelURL: String
    let title: String
    let titleError: String?
    let communities: [Option]
    let communityError: String?
    let steps: [Step]
    let formError: String?
    let submitLabel: String
}

struct StoryDeletePage {
    let layout: Layout
    let id: String
    let title: String
}

struct UsefulPage {
    struct Thing {
        let id: String
        let title: String
        let path: String
        let kind: String
        let marked: String
        let answer: String?
        let target: String
    }
    let layout: Layout
    let things: [Thing]
    let hasThings: Bool
}

struct ValuePromptPage {
    let layout: Layout
    let id: String
    let title: String
    let path: String
    let kind: String
    let question: String
    let answered: String?
    let note: String
    let formError: String?
}

struct ValueMatrixPage {
    struct Count {
        let label: String
        let recent: String
        let allTime: String
    }
    struct Story {
        let id: String
        let title: String
        let authorName: String
    }
    struct Row {
        let key: String
        let label: String
        let meaning: String
        let counts: [Count]
        let stories: [Story]
        let hasStories: Bool
        let moreStories: String?
    }
    let layout: Layout
    let name: String
    let slug: String
    let since: String
    let rows: [Row]
    let storiesURL: String
    let newURL: String
}
