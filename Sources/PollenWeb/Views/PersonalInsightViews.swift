import Foundation
import PollenCore
import Synchronization

/// The words of personal insight, shared by the page and the API so both say the same thing.
enum PersonalInsightText {
    static func plural(_ dimension: InsightDimension) -> String {
        switch dimension {
        case .department: "departments"
        case .location: "locations"
        case .subject: "subjects"
        }
    }

    static func heading(_ dimension: InsightDimension) -> String {
        switch dimension {
        case .department: "Departments"
        case .location: "Locations"
        case .subject: "Subjects people learn about"
        }
    }

    /// A group as named on the page: subjects as hashtags.
    static func group(_ label: String, _ dimension: InsightDimension) -> String {
        dimension == .subject ? "#\(label)" : label
    }

    static let otherGroups = "Other"

    static func percent(_ share: Double) -> String { SVGChart.figure(share, axis: .percent) }

    static func decimal(_ value: Double?) -> String { value.map { String(format: "%.2f", $0) } ?? "–" }

    static func people(_ count: Int) -> String { count == 1 ? "1 person" : "\(count) people" }

    /// "Your network is less varied across departments than the organization: 62% of it is in Engineering."
    static func reading(_ comparison: DiversityComparison) -> String {
        let across = plural(comparison.dimension)
        let largest = comparison.largestNamedGroup.map { group -> String in
            let name = self.group(group.label, comparison.dimension)
            return comparison.dimension == .subject
                ? "\(name) is \(percent(group.share)) of the subjects its people learn about"
                : "\(percent(group.share)) of it is in \(name)"
        }
        switch comparison.reading {
        case .empty:
            return comparison.dimension == .subject
                ? "Nobody in your network lists a subject yet, so there is nothing to compare."
                : "Nobody in your network states a \(comparison.dimension.rawValue) yet, so there is nothing to compare."
        case .lessVaried:
            return "Your network is less varied across \(across) than the organization" + (largest.map { ": \($0)." } ?? ".")
        case .moreVaried:
            return "Your network is more varied across \(across) than the organization as a whole"
                + (largest.map { "; its largest part: \($0)." } ?? ".")
        case .aboutAsVaried:
            return "Your network is about as varied across \(across) as the organization" + (largest.map { "; \($0)." } ?? ".")
        }
    }

    /// "You are one of 2 people in Finance with a tie into Legal."
    static func bridge(_ bridge: Bridge, in summary: BridgeSummary) -> String {
        let people = " (\(Self.people(bridge.people)) in your network)"
        if bridge.colleagues == 1 {
            return "You are the only person in \(summary.ownGroup) with a tie into \(bridge.label)" + people + "."
        }
        return "You are one of \(bridge.colleagues) people in \(summary.ownGroup) with a tie into \(bridge.label)" + people + "."
    }

    /// What the bridges of one dimension come to, when there is no list to show or besides it.
    static func bridgeSummary(_ summary: BridgeSummary) -> String {
        let noun = summary.dimension.rawValue
        switch summary.standing {
        case .notStated:
            return "Your profile states no \(noun), so there is nothing to compare with."
        case .groupTooSmall:
            return "\(summary.ownGroup) has fewer than \(PersonalInsight.minimumGroupSize) people, so it is not compared: nobody in it should be singled out."
        case .compared:
            let others = plural(summary.dimension)
            if summary.groupsReached == 0 {
                return "Your network reaches no other \(others) yet."
            }
            let reach = summary.groupsReached == 1 ? "1 other \(noun)" : "\(summary.groupsReached) other \(others)"
            if summary.bridges.isEmpty {
                return "Your network reaches \(reach); in each of them more than \(summary.fewLimit) people of \(summary.ownGroup) have ties too."
            }
            return "Your network reaches \(reach); in \(summary.bridges.count) of them few people of \(summary.ownGroup) have ties."
        }
    }

    static func smallGroups(_ summary: BridgeSummary) -> String? {
        guard summary.peopleInSmallGroups > 0 else { return nil }
        let count = summary.peopleInSmallGroups
        return "\(people(count)) in your network \(count == 1 ? "is" : "are") in \(plural(summary.dimension)) of fewer than \(PersonalInsight.minimumGroupSize) people: counted as “other”, never named."
    }

    static func balance(_ balance: LearningBalance) -> String {
        guard balance.total > 0 else {
            return "Nothing counted in the last 90 days yet: asking, reading and sharing all show here."
        }
        switch balance.leading {
        case .seek: return "You mostly seek; sharing what you learn helps others find you."
        case .sense: return "You mostly make sense of what others share; passing on what you found helps others find you."
        case .share: return "You mostly share; asking questions and following new people keeps what you share fresh."
        case nil: return "Your seeking, sensing and sharing are fairly balanced."
        }
    }

    static func mode(_ mode: LearningBalance.Mode) -> String {
        switch mode {
        case .seek: "Seek"
        case .sense: "Sense"
        case .share: "Share"
        }
    }

    static func modeMeaning(_ mode: LearningBalance.Mode) -> String {
        switch mode {
        case .seek: "finding people and answers"
        case .sense: "taking in and keeping what you found"
        case .share: "passing on what you know"
        }
    }

    static func activity(_ activity: LearningBalance.Activity) -> (label: String, counts: String) {
        switch activity {
        case .questionsAsked: ("Questions asked", "questions you asked your followers, a community or named colleagues")
        case .peopleFollowed: ("People followed", "people you started to follow")
        case .hashtagsFollowed: ("Hashtags followed", "hashtags you started to follow")
        case .communitiesJoined: ("Communities joined", "communities you became a member of")
        case .itemsRead: ("Community items read", "discussions, articles, wiki pages and resources you opened for the first time")
        case .postsFavourited: ("Posts favourited", "posts you marked as a favourite")
        case .itemsSaved: ("Community items saved", "community items you marked as a favourite")
        case .bookmarks: ("Bookmarks", "posts you bookmarked for later")
        case .collectionsMade: ("Collections made", "collections of people and hashtags you put together")
        case .posts: ("Posts and replies", "posts and replies you wrote")
        case .reshares: ("Reshares", "posts of others you passed on")
        case .itemsPublished: ("Community items published", "discussions, articles, wiki pages and resources you published")
        case .comments: ("Comments", "comments you wrote on community items")
        case .answers: ("Answers", "answers you gave to questions")
        case .questionsForwarded: ("Questions passed on", "questions you forwarded to your own network")
        }
    }

    /// "From Legal: 2% of your network, 8% of the organization."
    static func gap(_ gap: RepresentationGap) -> String {
        let where_: String
        switch gap.dimension {
        case .department: where_ = "From \(gap.label)"
        case .location: where_ = "In \(gap.label)"
        case .subject: where_ = "Learns about #\(gap.label)"
        }
        return "\(where_): \(percent(gap.networkShare)) of your network, \(percent(gap.organizationShare)) of the organization"
    }

    static func privacy(namedPeople: Bool) -> String {
        "The organization's network insight shows named people: \(namedPeople ? "yes" : "no") (set by the administrators)."
    }

    static let onlyYou = "Only you can see this page — administrators cannot open it."
}

/// The organization's mix, kept for a few minutes: it is the same for every member and reading it groups every
/// active member three ways (a quarter of a second at 100,000 members).
final class OrganizationMixCache: Sendable {
    static let maxAge: TimeInterval = 5 * 60
    private let kept = Mutex<OrganizationMix?>(nil)

    func mix(now: Date, read: () async throws -> OrganizationMix) async throws -> OrganizationMix {
        if let mix = kept.withLock({ $0 }), now.timeIntervalSince(mix.takenAt) < Self.maxAge, mix.takenAt <= now { return mix }
        let fresh = try await read()
        kept.withLock { $0 = fresh }
        return fresh
    }
}

struct PersonalInsightPage {
    struct Figure {
        let label: String
        let mine: String
        let organization: String
    }
    struct Row {
        let label: String
        let isOther: Bool
        let network: Int
        let networkShare: String
        let organization: Int
        let organizationShare: String
    }
    struct Dimension {
        let id: String
        let heading: String
        let reading: String
        let chart: String
        let rows: [Row]
        let figures: [Figure]
        let categories: Int
        let unstated: String?
        let hasNetwork: Bool
    }
    struct BridgeGroup {
        let id: String
        let heading: String
        let summary: String
        let bridges: [String]
        let hasBridges: Bool
        let smallGroups: String?
        let explanation: String?
    }
    struct Activity {
        let label: String
        let counts: String
        let count: Int
    }
    struct Mode {
        let id: String
        let name: String
        let meaning: String
        let count: Int
        let share: String
        let activities: [Activity]
    }
    struct Person {
        let handle: String
        let displayName: String
        let summary: String
        let reasons: [String]
    }

    let layout: Layout
    let windowText: String
    let onlyYou: String
    let privacyText: String
    let networkSummary: String
    let hasNetwork: Bool
    let dimensions: [Dimension]
    let bridgeGroups: [BridgeGroup]
    let balanceReading: String
    let balanceChart: String
    let modes: [Mode]
    let hasActivity: Bool
    let people: [Person]
    let hasPeople: Bool

    init(_ insight: PersonalInsight, layout: Layout) {
        self.layout = layout
        windowText = insight.since.formatted(date: .long, time: .omitted)
        onlyYou = PersonalInsightText.onlyYou
        privacyText = PersonalInsightText.privacy(namedPeople: insight.organizationShowsNamedPeople)
        let network = insight.network
        hasNetwork = network.people > 0
        networkSummary = network.people == 0
            ? "Your network is empty so far."
            : "Your network holds \(PersonalInsightText.people(network.people)): \(network.followed) you follow, "
                + "and \(network.interactedOnly) more you interacted with in the last 90 days."
        dimensions = insight.diversity.map(Self.dimension)
        bridgeGroups = insight.bridges.map { summary in
            let explanation: String? = summary.standing == .compared
                ? "A bridge is a \(summary.dimension.rawValue) your network reaches that at most \(summary.fewLimit) "
                    + "\(summary.fewLimit == 1 ? "person" : "people") of \(summary.ownGroup) (one in ten at most) reach. "
                    + "Your colleagues count when they follow someone there; you count through anyone in your network."
                : nil
            return BridgeGroup(
                id: "bridges-\(summary.dimension.rawValue)", heading: PersonalInsightText.heading(summary.dimension),
                summary: PersonalInsightText.bridgeSummary(summary),
                bridges: summary.bridges.map { PersonalInsightText.bridge($0, in: summary) }, hasBridges: !summary.bridges.isEmpty,
                smallGroups: PersonalInsightText.smallGroups(summary), explanation: explanation)
        }
        let balance = insight.balance
        balanceReading = PersonalInsightText.balance(balance)
        hasActivity = balance.total > 0
        modes = LearningBalance.Mode.allCases.map { mode in
            Mode(
                id: mode.rawValue, name: PersonalInsightText.mode(mode), meaning: PersonalInsightText.modeMeaning(mode),
                count: balance.total(mode), share: balance.share(mode).map(PersonalInsightText.percent) ?? "–",
                activities: LearningBalance.Activity.allCases.filter { $0.mode == mode }.map { activity in
                    let words = PersonalInsightText.activity(activity)
                    return Activity(label: words.label, counts: words.counts, count: balance.count(activity))
                })
        }
        balanceChart = SVGChart.horizontalBars(
            title: "Seek, sense and share in the last 90 days",
            summary: LearningBalance.Mode.allCases.map { "\(PersonalInsightText.mode($0)): \(balance.total($0))" }
                .joined(separator: ", ") + ".",
            labels: LearningBalance.Mode.allCases.map(PersonalInsightText.mode),
            series: [SVGChart.Series(
                name: "Your acts", colour: .accent,
                values: LearningBalance.Mode.allCases.map { Double(balance.total($0)) })],
            axis: .count)
        people = insight.suggestions.map { widening in
            let member = widening.suggestion.member
            return Person(
                handle: member.handle, displayName: member.profile.displayName,
                summary: [member.profile.jobRole, member.profile.department, member.profile.location]
                    .filter { !$0.isEmpty }.joined(separator: " · "),
                reasons: widening.gaps.map(PersonalInsightText.gap) + widening.suggestion.reasons.map(PickPerson.text))
        }
        hasPeople = !people.isEmpty
    }

    static func dimension(_ comparison: DiversityComparison) -> Dimension {
        let dimension = comparison.dimension
        let rows = comparison.rows
        let labels = rows.map { $0.label.map { PersonalInsightText.group($0, dimension) } ?? PersonalInsightText.otherGroups }
        let heading = PersonalInsightText.heading(dimension)
        let chart = SVGChart.horizontalBars(
            title: "\(heading): your network beside the organization",
            summary: zip(labels, rows).map { label, row in
                "\(label): \(PersonalInsightText.percent(row.networkShare)) of your network, "
                    + "\(PersonalInsightText.percent(row.organizationShare)) of the organization"
            }.joined(separator: "; ") + ".",
            labels: labels,
            series: [
                SVGChart.Series(name: "Your network", colour: .accent, values: rows.map(\.networkShare)),
                SVGChart.Series(name: "Organization", colour: .slate, values: rows.map(\.organizationShare)),
            ],
            axis: .percent)
        let unstated = comparison.network.unstated
        return Dimension(
            id: "diversity-\(dimension.rawValue)", heading: heading, reading: PersonalInsightText.reading(comparison),
            chart: chart,
            rows: zip(labels, rows).map { label, row in
                Row(
                    label: label, isOther: row.key == nil, network: row.network,
                    networkShare: PersonalInsightText.percent(row.networkShare), organization: row.organization,
                    organizationShare: PersonalInsightText.percent(row.organizationShare))
            },
            figures: [
                Figure(
                    label: "Blau index (0 = everyone in one group)",
                    mine: PersonalInsightText.decimal(comparison.networkDiversity.blau),
                    organization: PersonalInsightText.decimal(comparison.organizationDiversity.blau)),
                Figure(
                    label: "Evenness (normalised entropy, 1 = spread evenly over all \(comparison.categories))",
                    mine: PersonalInsightText.decimal(comparison.networkDiversity.normalizedEntropy),
                    organization: PersonalInsightText.decimal(comparison.organizationDiversity.normalizedEntropy)),
            ],
            categories: comparison.categories,
            unstated: unstated > 0
                ? "\(PersonalInsightText.people(unstated)) in your network \(unstated == 1 ? "states" : "state") no "
                    + "\(dimension == .subject ? "subject" : dimension.rawValue): left out of the shares."
                : nil,
            hasNetwork: comparison.reading != .empty)
    }
}
