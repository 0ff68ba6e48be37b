import Foundation
import Hummingbird
import PollenCore

/// `GET /api/pollen/v1/me/insight`: the token's member's own insight, the same figures as the page. There is no
/// form of it that names another member.
struct PollenPersonalInsightEndpoints {
    let pollen: Pollen
    let publicURL: PublicURL
    let organization: OrganizationMixCache

    func addRoutes(to router: Router<PollenRequestContext>) {
        let api = router.group(RouterPath(PollenEndpoints.prefix))
        api.get("me/insight") { request, context in
            let member = try APIAuth.member(context, scope: "read:accounts")
            let actor = Actor.member(member)
            let insight = try await pollen.personalInsight(
                for: actor, organization: try await organization.mix(now: pollen.time.now()) { try await pollen.organizationMix(for: actor) })
            return JSONResponse.make(PersonalInsightBody(insight, base: publicURL.base(for: request)))
        }
    }
}

struct PersonalInsightBody: Encodable {
    struct Window: Encodable {
        let since: String
        let until: String
        let days: Int
    }
    struct Privacy: Encodable {
        let only_you: Bool
        let organization_shows_named_people: Bool
        let text: String
    }
    struct Network: Encodable {
        let people: Int
        let followed: Int
        let interacted_only: Int
    }
    struct Measures: Encodable {
        let blau: Double?
        let normalized_entropy: Double?
        let total: Int
        let unstated: Int

        init(_ diversity: Diversity, mix: GroupMix) {
            blau = diversity.blau
            normalized_entropy = diversity.normalizedEntropy
            total = mix.total
            unstated = mix.unstated
        }

        // Absent measures are `null`, not missing: an empty network has no Blau index, and says so.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(blau, forKey: .blau)
            try container.encode(normalized_entropy, forKey: .normalized_entropy)
            try container.encode(total, forKey: .total)
            try container.encode(unstated, forKey: .unstated)
        }

        enum CodingKeys: String, CodingKey { case blau, normalized_entropy, total, unstated }
    }
    struct Group: Encodable {
        let group: String
        let other: Bool
        let network: Int
        let network_share: Double
        let organization: Int
        let organization_share: Double
    }
    struct Dimension: Encodable {
        let dimension: String
        let reading: String
        let text: String
        let categories: Int
        let network: Measures
        let organization: Measures
        let groups: [Group]
    }
    struct BridgeBody: Encodable {
        let group: String
        let colleagues: Int
        let people: Int
        let text: String
    }
    struct Bridges: Encodable {
        let dimension: String
        let standing: String
        let own_group: String
        let own_group_size: Int
        let groups_reached: Int
        let people_in_small_groups: Int
        let few_limit: Int
        let text: String
        let bridges: [BridgeBody]
    }
    struct Mode: Encodable {
        let mode: String
        let count: Int
        let share: Double
    }
    struct Activity: Encodable {
        let activity: String
        let mode: String
        let count: Int
        let counts: String
    }
    struct Balance: Encodable {
        let total: Int
        let leading: String
        let text: String
        let modes: [Mode]
        let activities: [Activity]
    }
    struct Gap: Encodable {
        let dimension: String
        let group: String
        let network_share: Double
        let organization_share: Double
        let text: String
    }
    struct Widening: Encodable {
        let account: PollenProfile
        let gaps: [Gap]
        let reasons: [PollenSuggestion.Reason]
    }

    let account: PollenProfile
    let window: Window
    let privacy: Privacy
    let network: Network
    let diversity: [Dimension]
    let bridges: [Bridges]
    let balance: Balance
    let suggestions: [Widening]

    init(_ insight: PersonalInsight, base: String) {
        let member = insight.member
        account = PollenProfile(member, base: base, viewer: member)
        window = Window(
            since: insight.since.mastodonTimestamp, until: insight.until.mastodonTimestamp,
            days: Int((PersonalInsight.window / 86_400).rounded()))
        privacy = Privacy(
            only_you: true, organization_shows_named_people: insight.organizationShowsNamedPeople,
            text: PersonalInsightText.onlyYou + " " + PersonalInsightText.privacy(namedPeople: insight.organizationShowsNamedPeople))
        network = Network(
            people: insight.network.people, followed: insight.network.followed, interacted_only: insight.network.interactedOnly)
        diversity = insight.diversity.map { comparison in
            Dimension(
                dimension: comparison.dimension.rawValue, reading: comparison.reading.rawValue,
                text: PersonalInsightText.reading(comparison), categories: comparison.categories,
                network: Measures(comparison.networkDiversity, mix: comparison.network),
                organization: Measures(comparison.organizationDiversity, mix: comparison.organization),
                groups: comparison.rows.map { row in
                    Group(
                        group: row.label ?? PersonalInsightText.otherGroups, other: row.key == nil, network: row.network,
                        network_share: row.networkShare, organization: row.organization, organization_share: row.organizationShare)
                })
        }
        bridges = insight.bridges.map { summary in
            Bridges(
                dimension: summary.dimension.rawValue, standing: summary.standing.rawValue, own_group: summary.ownGroup,
                own_group_size: summary.ownGroupSize, groups_reached: summary.groupsReached,
                people_in_small_groups: summary.peopleInSmallGroups, few_limit: summary.fewLimit,
                text: PersonalInsightText.bridgeSummary(summary),
                bridges: summary.bridges.map {
                    BridgeBody(group: $0.label, colleagues: $0.colleagues, people: $0.people, text: PersonalInsightText.bridge($0, in: summary))
                })
        }
        let learning = insight.balance
        balance = Balance(
            total: learning.total, leading: learning.leading?.rawValue ?? "none", text: PersonalInsightText.balance(learning),
            modes: LearningBalance.Mode.allCases.map { Mode(mode: $0.rawValue, count: learning.total($0), share: learning.share($0) ?? 0) },
            activities: LearningBalance.Activity.allCases.map {
                Activity(activity: $0.rawValue, mode: $0.mode.rawValue, count: learning.count($0), counts: PersonalInsightText.activity($0).counts)
            })
        suggestions = insight.suggestions.map { widening in
            Widening(
                account: PollenProfile(widening.suggestion.member, base: base, viewer: member),
                gaps: widening.gaps.map {
                    Gap(
                        dimension: $0.dimension.rawValue, group: $0.label, network_share: $0.networkShare,
                        organization_share: $0.organizationShare, text: PersonalInsightText.gap($0))
                },
                reasons: widening.suggestion.reasons.map(PollenSuggestion.Reason.init))
        }
    }
}
