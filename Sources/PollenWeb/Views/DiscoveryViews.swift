import Foundation
import PollenCore

/// A person in a pick list: a checkbox to follow (or unfollow) several at once, why they are listed, and
/// whether the viewer follows them already.
struct PickPerson {
    let id: String
    let handle: String
    let displayName: String
    let summary: String
    let reasons: [String]
    let hasReasons: Bool
    var following: Bool
    /// A box to tick: not oneself, no block, and (when following) not already followed.
    var selectable: Bool
    var checked: Bool
    /// Shown with a Dismiss button (suggestions only).
    let dismissible: Bool

    init(
        _ member: Member, reasons: [String] = [], following: Bool = false, selectable: Bool = true, checked: Bool = false,
        dismissible: Bool = false
    ) {
        id = member.id.description
        handle = member.handle
        displayName = member.profile.displayName
        summary = [member.profile.jobRole, member.profile.department].filter { !$0.isEmpty }.joined(separator: " · ")
        self.reasons = reasons
        hasReasons = !reasons.isEmpty
        self.following = following
        self.selectable = selectable
        self.checked = checked
        self.dismissible = dismissible
    }

    static func suggestion(_ suggestion: Suggestion) -> PickPerson {
        PickPerson(suggestion.member, reasons: suggestion.reasons.map(Self.text), dismissible: true)
    }

    static func text(_ reason: SuggestionReason) -> String {
        switch reason {
        case .followedByPeopleYouFollow(let count, let examples):
            let names = examples.map(\.profile.displayName)
            let others = count - names.count
            if names.isEmpty { return count == 1 ? "Followed by 1 person you follow" : "Followed by \(count) people you follow" }
            if others <= 0 { return "Followed by \(names.joined(separator: " and ")), whom you follow" }
            return "Followed by \(names.joined(separator: ", ")) and \(others) \(others == 1 ? "other" : "others") you follow"
        case .writesAbout(let tag): return "Writes about #\(tag)"
        case .answersIn(let tag): return "Answers questions in #\(tag)"
        case .newHere: return "New here"
        case .bridgeTo(let department): return "A bridge to \(department)"
        }
    }
}

/// A form of people to tick and follow (or unfollow) in one step.
struct PickForm {
    let action: String
    let submitLabel: String
    let next: String
    let people: [PickPerson]
    let hasPeople: Bool
    let emptyText: String
    /// Extra hidden fields (onboarding's step).
    let hidden: [Hidden]
    /// Some boxes can be ticked: show "Select all" and the submit button.
    let hasChoices: Bool

    struct Hidden {
        let name: String
        let value: String
    }

    init(action: String, submitLabel: String, next: String, people: [PickPerson], emptyText: String, hidden: [Hidden] = []) {
        self.action = action
        self.submitLabel = submitLabel
        self.next = next
        self.people = people
        hasPeople = !people.isEmpty
        self.emptyText = emptyText
        self.hidden = hidden
        hasChoices = people.contains(where: \.selectable)
    }
}

struct DiscoverPage {
    let layout: Layout
    let suggestions: PickForm
    let onboardingPrompt: String?
}

struct NetworkPickPage {
    let layout: Layout
    let heading: String
    let intro: String
    let backURL: String
    let backLabel: String
    let form: PickForm?
    let privateText: String?
    let truncatedText: String?
}

struct UnfollowReviewPage {
    let layout: Layout
    let form: PickForm
}

struct ExplorePage {
    struct Trend {
        let tag: String
        let text: String
    }
    struct Popular {
        let person: PersonCard
        let figure: String
    }
    let layout: Layout
    let department: String
    let departments: [String]
    let scope: String
    let newMembers: [PersonCard]
    let hasNewMembers: Bool
    let popularPeople: [Popular]
    let hasPopularPeople: Bool
    let posts: [PostCard]
    let hasPosts: Bool
    let trends: [Trend]
    let hasTrends: Bool
}

struct PrivacyPage {
    struct Option {
        let value: String
        let label: String
        let hint: String
        let checked: Bool
    }
    let layout: Layout
    let options: [Option]
    let discoverable: Bool
    /// Whether others' questions may reach the member when people they follow pass them on.
    let acceptsForwards: Bool
    /// What the paragraph on personal and organization insight says about named people.
    let insightText: String
    var formError: String?
}

struct SubjectPerson {
    let person: PersonCard
    let figure: String
}

struct OnboardingPage {
    struct Step {
        let number: Int
        let title: String
        let url: String
        let current: Bool
        let done: Bool
    }
    struct Choice {
        let tag: String
        let label: String
        let checked: Bool
    }
    let layout: Layout
    let steps: [Step]
    let number: Int
    let title: String
    let previousURL: String?
    let nextURL: String
    var formError: String?
    // Step 1 and 5: subjects or hashtags to tick, and a box for others.
    var choices: [Choice] = []
    var hasChoices = false
    var isSubjects = false
    var isHashtags = false
    var otherValue = ""
    // Steps 2 and 3: people to tick.
    var pick: PickForm?
    // Step 4: communities to tick.
    var isCommunities = false
    struct CommunityChoice {
        let slug: String
        let name: String
        let detail: String
        let reason: String?
        let checked: Bool
    }
    var communities: [CommunityChoice] = []
    var hasCommunities = false
    // Step 6.
    var isIntroduce = false
    var introduction = ""
    /// What to do when a list would be empty.
    var emptyAdvice: String?
}

struct CollectionsPage {
    struct Row {
        let id: String
        let title: String
        let description: String
        let ownerName: String
        let ownerHandle: String
        let size: String
    }
    let layout: Layout
    let rows: [Row]
    let hasRows: Bool
    let mine: Bool
    let nextURL: String?
}

struct CollectionPage {
    struct TagChoice {
        let tag: String
        let following: Bool
    }
    let layout: Layout
    let id: String
    let title: String
    let description: String
    let ownerName: String
    let ownerHandle: String
    let people: [PickPerson]
    let hasPeople: Bool
    let tags: [TagChoice]
    let hasTags: Bool
    let mayEdit: Bool
    let everythingFollowed: Bool
}

struct CollectionFormPage {
    let layout: Layout
    let heading: String
    let action: String
    let title: String
    let description: String
    let handles: String
    let tags: String
    var formError: String?
    let errorField: String?
}
