import Foundation

struct FlagPage {
    struct Reason {
        let value: String
        let label: String
        let checked: Bool
    }
    let layout: Layout
    let target: String
    let noun: String
    let title: String
    let excerpt: String
    let path: String
    let reasons: [Reason]
    let note: String
    let formError: String?
}

struct ReviewQueuePage {
    struct FlagLine {
        let reason: String
        let note: String
        let by: String
    }
    struct Option {
        let value: String
        let label: String
    }
    struct Case {
        let id: String
        let source: String
        let kind: String
        let withheld: String?
        let authorName: String
        let authorHandle: String
        let community: String?
        let title: String
        let excerpt: String
        let path: String?
        let tags: String
        let flags: [FlagLine]
        let flagCount: String?
        let accuracy: String?
        let record: String
        let appeal: String?
        /// For an appeal: the decision appealed against.
        let earlier: String?
        let opened: String
        let actions: [Option]
        let error: String?
    }
    struct Mode {
        let value: String
        let label: String
        let selected: Bool
    }
    struct PolicyRow {
        let key: String
        let label: String
        let modes: [Mode]
    }
    struct HealthRow {
        let title: String
        let url: String
        let why: String
    }
    let layout: Layout
    let heading: String
    let communityName: String?
    let slug: String?
    let here: String
    let cases: [Case]
    let hasCases: Bool
    let policy: [PolicyRow]
    let hasPolicy: Bool
    let mayEditPolicy: Bool
    let health: [HealthRow]
    let hasHealth: Bool
    let isOrganization: Bool
    let formError: String?
    /// A subject-matter expert's view: only the pages due for review.
    let healthOnly: Bool
}

struct ModerationNoticePage {
    let layout: Layout
    let id: String
    let noun: String
    let title: String
    let excerpt: String
    let path: String?
    let status: String
    let rule: String?
    let reason: String?
    let decided: String?
    let mayAppeal: Bool
    let appeal: String?
    let appealText: String
    let moderatorView: Bool
    let formError: String?
}

struct WatchedWordsPage {
    struct Word {
        let id: String
        let word: String
        let action: String
    }
    struct Option {
        let value: String
        let label: String
    }
    let layout: Layout
    let words: [Word]
    let hasWords: Bool
    let actions: [Option]
    let word: String
    let formError: String?
}

struct ModerationSettingsPage {
    let layout: Layout
    let tabs: AdminTabs
    let holdFirstPosts: Bool
    let fields: [InputField]
    let formError: String?
}

struct AuditPage {
    struct Entry {
        let time: String
        let timeISO: String
        let actor: String
        let action: String
        let target: String
        let summary: String
        let reason: String
    }
    let layout: Layout
    let tabs: AdminTabs
    let entries: [Entry]
    let hasEntries: Bool
    let olderURL: String?
}
