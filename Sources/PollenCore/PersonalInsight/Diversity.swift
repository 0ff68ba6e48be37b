import Foundation

/// How varied a mix of groups is, by two standard measures.
public struct Diversity: Sendable, Equatable {
    /// Blau's index of heterogeneity, 1 − Σ pₖ²: the chance that two people drawn at random (with replacement) are
    /// in different groups. 0 when everyone is in one group; at most 1 − 1/K. `nil` for an empty mix.
    public let blau: Double?
    /// Shannon entropy H = −Σ pₖ ln pₖ divided by ln K, K being the organization's number of groups: 1 when people
    /// are spread evenly over every group the organization has. `nil` for an empty mix, or when K < 2.
    public let normalizedEntropy: Double?

    public init(blau: Double?, normalizedEntropy: Double?) {
        self.blau = blau
        self.normalizedEntropy = normalizedEntropy
    }

    /// The measures of `counts` (people per group; zeros are ignored) against `categories` groups in all.
    public static func of(_ counts: [Int], categories: Int) -> Diversity {
        let total = counts.reduce(0) { $0 + max($1, 0) }
        guard total > 0 else { return Diversity(blau: nil, normalizedEntropy: nil) }
        var sumOfSquares = 0.0
        var entropy = 0.0
        for count in counts where count > 0 {
            let p = Double(count) / Double(total)
            sumOfSquares += p * p
            entropy -= p * log(p)
        }
        // A network can never hold more groups than the organization has; the guard keeps the ratio meaningful
        // should the two counts come from reads a moment apart.
        let k = max(categories, counts.count(where: { $0 > 0 }))
        return Diversity(blau: 1 - sumOfSquares, normalizedEntropy: k >= 2 ? entropy / log(Double(k)) : nil)
    }
}

/// One dimension of the member's network beside the organization's.
public struct DiversityComparison: Sendable, Equatable {
    /// How the network's variety compares with the organization's.
    public enum Reading: String, Sendable, Codable {
        /// Nobody in the network states a group here.
        case empty
        case lessVaried = "less_varied"
        case aboutAsVaried = "about_as_varied"
        case moreVaried = "more_varied"
    }

    /// Blau indices closer than this read as "about as varied".
    public static let sameness = 0.05
    /// Groups drawn one by one in a chart and its table; the rest are summed as "other".
    public static let rowsShown = 8

    /// One bar pair of the chart and row of its table.
    public struct Row: Sendable, Equatable {
        /// `nil` for "other": groups beyond ``rowsShown`` and groups too small to name.
        public let key: String?
        public let label: String?
        public let network: Int
        public let organization: Int
        public let networkShare: Double
        public let organizationShare: Double
    }

    public let dimension: InsightDimension
    public let network: GroupMix
    public let organization: GroupMix
    /// The organization's number of groups (K).
    public let categories: Int
    public let networkDiversity: Diversity
    public let organizationDiversity: Diversity

    public init(dimension: InsightDimension, network: GroupMix, organization: GroupMix) {
        self.dimension = dimension
        self.network = network
        self.organization = organization
        categories = organization.groups.count
        networkDiversity = Diversity.of(network.groups.map(\.count), categories: categories)
        organizationDiversity = Diversity.of(organization.groups.map(\.count), categories: categories)
    }

    public var reading: Reading {
        guard let mine = networkDiversity.blau else { return .empty }
        let theirs = organizationDiversity.blau ?? 0
        if mine < theirs - Self.sameness { return .lessVaried }
        if mine > theirs + Self.sameness { return .moreVaried }
        return .aboutAsVaried
    }

    /// The network's largest group that may be named, with its part of the network.
    public var largestNamedGroup: (label: String, share: Double)? {
        guard let group = network.groups.first(where: { mayName($0.key) }) else { return nil }
        return (group.label, network.share(of: group.key))
    }

    func mayName(_ key: String) -> Bool { organization.count(of: key) >= PersonalInsight.minimumGroupSize }

    /// The groups to draw: the network's largest nameable ones, then the organization's, at most ``rowsShown``;
    /// everything else in one "other" row (shown only when it holds someone).
    public var rows: [Row] {
        var keys: [String] = []
        for group in network.groups + organization.groups where mayName(group.key) && !keys.contains(group.key) {
            keys.append(group.key)
            if keys.count == Self.rowsShown { break }
        }
        func share(_ part: Int, _ whole: Int) -> Double { whole == 0 ? 0 : Double(part) / Double(whole) }
        var rows = keys.map { key in
            let label = organization.groups.first { $0.key == key }?.label ?? network.groups.first { $0.key == key }?.label ?? key
            let mine = network.count(of: key), theirs = organization.count(of: key)
            return Row(
                key: key, label: label, network: mine, organization: theirs,
                networkShare: share(mine, network.total), organizationShare: share(theirs, organization.total))
        }
        let otherMine = network.total - rows.reduce(0) { $0 + $1.network }
        let otherTheirs = organization.total - rows.reduce(0) { $0 + $1.organization }
        if otherMine > 0 || otherTheirs > 0 {
            rows.append(Row(
                key: nil, label: nil, network: otherMine, organization: otherTheirs,
                networkShare: share(otherMine, network.total), organizationShare: share(otherTheirs, organization.total)))
        }
        return rows
    }
}
