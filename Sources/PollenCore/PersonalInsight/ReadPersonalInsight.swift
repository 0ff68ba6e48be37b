import Foundation

extension AccessPolicy {
    /// Personal insight is for the member it describes and nobody else: not administrators or moderators, not an
    /// app acting without a member, not the server itself. It is a mirror for its owner, never a way to watch them.
    public static func maySeePersonalInsight(of owner: Member.ID, by actor: Actor) -> Bool {
        guard case .member(let member) = actor else { return false }
        return member.id == owner && !member.isSuspended
    }
}

extension Pollen {
    /// Discovery suggestions read to choose the network-widening few from.
    static let wideningPool = 40
    /// A group counts as under-represented when the network holds at most this part of the organization's share of it…
    static let underRepresentation = 0.8
    /// …and at least this much less of it: a point or two either way is noise, not a gap.
    static let representationGap = 0.01

    /// The organization's active members by department, location and subject: what every network is compared with.
    public func organizationMix(for actor: Actor) async throws -> OrganizationMix {
        _ = try activeMember(actor)
        let now = time.now()
        return try await store.read { try await $0.personalInsight.organization(at: now) }
    }

    /// The acting member's own insight. It takes no member to describe, by design: whoever asks, administrators
    /// included, gets their own and only their own. `organization` is a mix read earlier (the web layer keeps one for a
    /// few minutes); without it the mix is read now.
    public func personalInsight(for actor: Actor, organization known: OrganizationMix? = nil) async throws -> PersonalInsight {
        let member = try activeMember(actor)
        try AccessPolicy.require(AccessPolicy.maySeePersonalInsight(of: member.id, by: actor))
        let until = time.now()
        let since = until.addingTimeInterval(-PersonalInsight.window)
        // Discovery's own suggestions, reasons and exclusions; this page only re-ranks them towards what the network lacks.
        let candidates = try await suggestions(for: actor, limit: Self.wideningPool)
        return try await store.read { repos in
            let insight = repos.personalInsight
            let organization: OrganizationMix
            if let known { organization = known } else { organization = try await insight.organization(at: until) }
            let network = try await insight.network(of: member.id, since: since)
            let balance = try await insight.learningActivity(of: member.id, since: since, until: until)
            let settings = try await repos.settings.load()
            let diversity = InsightDimension.allCases.map {
                DiversityComparison(dimension: $0, network: network.mix($0), organization: organization.mix($0))
            }
            var bridges: [BridgeSummary] = []
            for dimension in [InsightDimension.department, .location] {
                bridges.append(try await Self.bridges(
                    dimension, of: member, network: network, organization: organization, repository: insight))
            }
            return PersonalInsight(
                member: member, since: since, until: until, network: network, organization: organization,
                diversity: diversity, bridges: bridges, balance: balance,
                suggestions: Self.widening(candidates, network: network, organization: organization),
                organizationShowsNamedPeople: settings.insight.individualScores)
        }
    }

    /// The groups the member's network reaches that few people of their own group reach. Colleagues count when they
    /// follow someone there: reading every colleague's interactions would cost a read of the whole group's activity
    /// per page. The member counts once, however they are tied.
    static func bridges(
        _ dimension: InsightDimension, of member: Member, network: NetworkMix, organization: OrganizationMix,
        repository: any PersonalInsightRepository
    ) async throws -> BridgeSummary {
        let own = dimension == .location ? member.profile.location : member.profile.department
        let ownKey = own.lowercased()
        let ownSize = organization.size(of: ownKey, in: dimension)
        let few = PersonalInsight.fewLimit(groupSize: ownSize)
        let others = network.mix(dimension).groups.filter { $0.key != ownKey }
        let reached = others.filter { organization.mayName($0.key, in: dimension) }
        let inSmallGroups = others.filter { !organization.mayName($0.key, in: dimension) }.reduce(0) { $0 + $1.count }
        func summary(_ standing: BridgeSummary.Standing, _ bridges: [Bridge]) -> BridgeSummary {
            BridgeSummary(
                dimension: dimension, standing: standing, ownGroup: own, ownGroupSize: ownSize, groupsReached: reached.count,
                peopleInSmallGroups: inSmallGroups, fewLimit: few, bridges: bridges)
        }
        guard !ownKey.isEmpty else { return summary(.notStated, []) }
        guard ownSize >= PersonalInsight.minimumGroupSize else { return summary(.groupTooSmall, []) }
        var bridges: [Bridge] = []
        for group in reached {
            let targetSize = organization.size(of: group.key, in: dimension)
            // Counting stops at `few`: one more colleague and, with the member, the tie is no longer rare.
            let colleagues = try await repository.colleaguesFollowing(
                dimension, from: ownKey, into: group.key, excluding: member.id, cap: few, intoIsSmaller: targetSize < ownSize) + 1
            guard colleagues <= few else { continue }
            let label = organization.mix(dimension).groups.first { $0.key == group.key }?.label ?? group.label
            bridges.append(Bridge(key: group.key, label: label, colleagues: colleagues, people: group.count))
        }
        bridges.sort {
            ($0.colleagues, -$0.people, $0.label) < ($1.colleagues, -$1.people, $1.label)
        }
        return summary(.compared, bridges)
    }

    /// Of discovery's suggestions, those from groups the network holds less of than the organization: the largest gap
    /// first, one person per group before a second from any, discovery's order breaking ties. When fewer than
    /// ``PersonalInsight/minimumSuggestions`` qualify, discovery's own network-widening picks fill the list.
    static func widening(
        _ suggestions: [Suggestion], network: NetworkMix, organization: OrganizationMix
    ) -> [WideningSuggestion] {
        var found: [(index: Int, gaps: [RepresentationGap])] = []
        for (index, suggestion) in suggestions.enumerated() {
            let profile = suggestion.member.profile
            let groups: [(InsightDimension, [String])] = [
                (.department, [profile.department.lowercased()]), (.location, [profile.location.lowercased()]),
                (.subject, profile.subjects),
            ]
            var gaps: [RepresentationGap] = []
            for (dimension, keys) in groups {
                let mine = network.mix(dimension), theirs = organization.mix(dimension)
                let widest = keys.filter { organization.mayName($0, in: dimension) }.map { key in
                    RepresentationGap(
                        dimension: dimension, key: key, label: theirs.groups.first { $0.key == key }?.label ?? key,
                        networkShare: mine.share(of: key), organizationShare: theirs.share(of: key))
                }.filter { $0.size >= representationGap && $0.networkShare <= underRepresentation * $0.organizationShare }
                .max { $0.size < $1.size }
                if let widest { gaps.append(widest) }
            }
            gaps.sort { $0.size > $1.size }
            if !gaps.isEmpty { found.append((index, gaps)) }
        }
        found.sort { $0.gaps[0].size != $1.gaps[0].size ? $0.gaps[0].size > $1.gaps[0].size : $0.index < $1.index }
        var picked: [(index: Int, gaps: [RepresentationGap])] = []
        var groupsUsed: Set<String> = []
        for candidate in found where picked.count < PersonalInsight.maximumSuggestions {
            let lead = candidate.gaps[0]
            if groupsUsed.insert("\(lead.dimension.rawValue):\(lead.key)").inserted { picked.append(candidate) }
        }
        for candidate in found where picked.count < PersonalInsight.maximumSuggestions
            && !picked.contains(where: { $0.index == candidate.index })
        {
            picked.append(candidate)
        }
        for (index, suggestion) in suggestions.enumerated()
        where picked.count < PersonalInsight.minimumSuggestions && suggestion.widensNetwork
            && !picked.contains(where: { $0.index == index })
        {
            picked.append((index, []))
        }
        return picked.map { WideningSuggestion(suggestion: suggestions[$0.index], gaps: $0.gaps) }
    }
}
