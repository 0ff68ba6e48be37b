import Foundation
import PollenAnalytics

/// How the organization's network works, as of one run: units and how they mix, graph communities against
/// departments, brokerage, fragile links. Units (departments) under five people are never shown on their own.
public struct OrganizationSnapshot: Sendable, Equatable, Codable {
    public struct Unit: Sendable, Equatable, Codable {
        public var name: String
        public var size: Int
        public var internalTies: Double
        public var externalTies: Double
        /// Krackhardt's E-I index of the unit's (weighted) ties, and what random mixing would give.
        public var ei: Double?
        public var expectedEI: Double?
        /// Brokerage between units by the unit's people (Gould–Fernandez roles other than coordinator).
        public var brokerage: Int
        public var silo: Bool
    }

    public struct Cluster: Sendable, Equatable, Codable {
        public struct Part: Sendable, Equatable, Codable {
            public var unit: String
            public var percent: Double
        }
        public var size: Int
        /// The units that make up most of it, largest first (at most three).
        public var units: [Part]
    }

    /// Two units held together by only a few people: the links that go when one person leaves.
    public struct FragileLink: Sendable, Equatable, Codable {
        public var from: String
        public var to: String
        public var people: Int
    }

    public struct Person: Sendable, Equatable, Codable {
        public var member: Member.ID
        public var handle: String
        public var name: String
        public var unit: String
        public var brokerage: Int
        public var betweenness: Double
    }

    public var computedAt: Date
    public var halfLifeDays: Int
    public var members: Int
    /// Members with at least one tie.
    public var connected: Int
    /// Distinct directed pairs with a tie.
    public var ties: Int
    public var overallEI: Double?
    /// Percent of tie weight between different units.
    public var crossUnitPercent: Double?
    public var units: [Unit]
    /// Unit-to-unit tie weights, `matrix[i][j]` from `unitNames[i]` to `unitNames[j]`.
    public var unitNames: [String]
    public var matrix: [[Double]]
    public var modularity: Double
    /// How closely graph communities follow departments (normalised mutual information, 0–1).
    public var departmentAlignment: Double
    public var clusters: [Cluster]
    /// People in graph communities under five people (not shown one by one).
    public var smallClusterPeople: Int
    public var bridges: Int
    public var fragileLinks: [FragileLink]
    /// Named people: only when the organization allows individual scores at the time of the run.
    public var brokers: [Person]?
}

/// The computations behind ``OrganizationSnapshot``.
public enum OrganizationAnalysis {
    public static let halfLifeDays = 90
    /// Interactions older than this weigh under 1/256 and are not read.
    public static let horizonDays = 720
    /// The one privacy floor of every insight: no group under five people is shown on its own.
    public static let minimumGroup = PersonalInsight.minimumGroupSize
    /// A unit is a silo when its E-I index lies this far below what random mixing would give (the index runs −1…1).
    public static let siloGap = 1.0
    public static let otherUnit = "Other (units under 5)"

    /// The weight of a tie: a follow counts 1 while it stands, each interaction 2^(−age / half-life).
    public static func weight(_ interaction: Interaction, now: Date) -> Double {
        if interaction.kind == .follow { return 1 }
        let age = max(0, now.timeIntervalSince(interaction.at)) / 86_400
        return pow(0.5, age / Double(halfLifeDays))
    }

    /// Unit labels with small units merged; members without a department count as "Not stated".
    static func unitLabels(_ members: [InsightMember]) -> [String] {
        let raw = members.map { $0.department.isEmpty ? "Not stated" : $0.department }
        var sizes: [String: Int] = [:]
        for unit in raw { sizes[unit, default: 0] += 1 }
        return raw.map { sizes[$0]! >= minimumGroup ? $0 : otherUnit }
    }

    public static func snapshot(
        members: [InsightMember], interactions: [Interaction], now: Date, individualScores: Bool, light: Bool = false,
        seed: UInt64 = 1
    ) -> OrganizationSnapshot {
        let n = members.count
        var index: [Member.ID: Int32] = [:]
        for (i, member) in members.enumerated() { index[member.id] = Int32(i) }
        // Ties summed per ordered pair by sorting (pair, weight) records: millions of interactions in a large
        // organization, where hashing each one into a dictionary cost several times more.
        struct Tie { let pair: Int64; let weight: Double }
        var records: [Tie] = []
        records.reserveCapacity(interactions.count)
        let horizon = now.addingTimeInterval(-Double(horizonDays) * 86_400)
        for interaction in interactions where interaction.at <= now && (interaction.kind == .follow || interaction.at >= horizon) {
            guard let a = index[interaction.from], let b = index[interaction.to], a != b else { continue }
            records.append(Tie(pair: Int64(a) << 32 | Int64(b), weight: weight(interaction, now: now)))
        }
        records.sort { $0.pair < $1.pair }
        var keys: [Int64] = [], weights: [Double] = []
        for record in records {
            if keys.last == record.pair { weights[weights.count - 1] += record.weight } else {
                keys.append(record.pair)
                weights.append(record.weight)
            }
        }
        records = []
        let sources = keys.map { Int32($0 >> 32) }, targets = keys.map { Int32($0 & 0xffff_ffff) }
        let graph = try! Graph(nodeCount: n, sources: sources, destinations: targets, weights: weights)

        let labels = unitLabels(members)
        var unitNames = Array(Set(labels)).sorted { a, b in
            // "Other" last, the rest by name.
            (a == otherUnit ? 1 : 0, a) < (b == otherUnit ? 1 : 0, b)
        }
        let otherSize = labels.filter { $0 == otherUnit }.count
        // A merged "Other" smaller than five would show a small group after all: its people stay out of unit tables.
        if otherSize > 0 && otherSize < minimumGroup { unitNames.removeAll { $0 == otherUnit } }
        let unitIndex = Dictionary(uniqueKeysWithValues: unitNames.enumerated().map { ($1, Int32($0)) })
        let groups = labels.map { unitIndex[$0] ?? -1 }
        let mixing = graph.groupMixing(groups: groups, groupCount: unitNames.count)

        let undirected = graph.undirected()
        let partition = undirected.louvain(seed: seed)
        let alignment = normalizedMutualInformation(partition.membership, groups.map { $0 < 0 ? Int32(unitNames.count) : $0 })

        var degree = [Int](repeating: 0, count: n)
        for node in 0..<n {
            degree[node] = Int(undirected.offsets[node + 1] - undirected.offsets[node])
        }
        let connected = degree.filter { $0 > 0 }.count

        // Brokerage between units, per person and per unit.
        var brokerageByNode = [Int](repeating: 0, count: n)
        if !light {
            let roles = graph.brokerage(groups: groups)
            for node in 0..<n {
                brokerageByNode[node] = roles.itinerant[node] + roles.representative[node] + roles.gatekeeper[node]
                    + roles.liaison[node]
            }
        }
        let units: [OrganizationSnapshot.Unit] = unitNames.enumerated().map { g, name in
            let brokerage = (0..<n).filter { groups[$0] == Int32(g) }.reduce(0) { $0 + brokerageByNode[$1] }
            let ei = mixing.ei[g], expected = mixing.expectedEI[g]
            let silo = ei != nil && expected != nil && ei! < expected! - siloGap
            return .init(
                name: name, size: mixing.sizes[g], internalTies: mixing.internalTies[g], externalTies: mixing.externalTies[g],
                ei: ei, expectedEI: expected, brokerage: brokerage, silo: silo)
        }
        var total = 0.0, cross = 0.0
        for (g, row) in mixing.ties.enumerated() {
            for (h, value) in row.enumerated() {
                total += value
                if g != h { cross += value }
            }
        }

        // Graph communities, with the units they draw on; small ones are counted, not shown.
        var clusterMembers = [[Int]](repeating: [], count: partition.count)
        for node in 0..<n where degree[node] > 0 { clusterMembers[Int(partition.membership[node])].append(node) }
        var clusters: [OrganizationSnapshot.Cluster] = []
        var smallClusterPeople = 0
        for nodes in clusterMembers where !nodes.isEmpty {
            if nodes.count < minimumGroup {
                smallClusterPeople += nodes.count
                continue
            }
            var counts: [String: Int] = [:]
            for node in nodes { counts[groups[node] < 0 ? otherUnit : unitNames[Int(groups[node])], default: 0] += 1 }
            let parts = counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(3).map {
                OrganizationSnapshot.Cluster.Part(unit: $0.key, percent: Double($0.value) * 100 / Double(nodes.count))
            }
            clusters.append(.init(size: nodes.count, units: Array(parts)))
        }
        clusters.sort { $0.size > $1.size }

        // Bridges that matter: edges whose loss cuts off more than a single person.
        let bridges = light ? 0 : undirected.bridges().filter { degree[Int($0.0)] > 1 && degree[Int($0.1)] > 1 }.count

        // Unit pairs tied through at most two people on the sending side.
        var senders: [Int64: Set<Int32>] = [:]
        for node in 0..<n where groups[node] >= 0 {
            let start = Int(graph.outOffsets[node]), end = Int(graph.outOffsets[node + 1])
            for slot in start..<end {
                let other = Int(graph.outTargets[slot])
                guard groups[other] >= 0, groups[other] != groups[node] else { continue }
                senders[Int64(groups[node]) << 32 | Int64(groups[other]), default: []].insert(Int32(node))
            }
        }
        var fragile: [OrganizationSnapshot.FragileLink] = []
        for (key, people) in senders where people.count <= 2 {
            fragile.append(.init(from: unitNames[Int(key >> 32)], to: unitNames[Int(key & 0xffff_ffff)], people: people.count))
        }
        fragile.sort { ($0.people, $0.from, $0.to) < ($1.people, $1.from, $1.to) }

        var brokers: [OrganizationSnapshot.Person]? = nil
        if individualScores && !light && n > 0 {
            // 100 sources drawn the same way every run: brokers are ranked by brokerage first, and the estimate only
            // orders ties (500 sources took 85 s on 100,000 members and 5.9M ties, 100 take a fifth).
            var generator = DemoRandom(seed: seed)
            var ids = Array(0..<n)
            let samples = min(n, 100)
            for i in 0..<samples { ids.swapAt(i, i + generator.int(below: n - i)) }
            let betweenness = graph.betweenness(sources: n <= samples ? nil : Array(ids.prefix(samples)))
            let top = (0..<n).filter { brokerageByNode[$0] > 0 }
                .sorted { (brokerageByNode[$0], betweenness[$0], -$0) > (brokerageByNode[$1], betweenness[$1], -$1) }
                .prefix(20)
            brokers = top.map { node in
                let member = members[node]
                return .init(
                    member: member.id, handle: member.handle, name: member.displayName,
                    unit: groups[node] < 0 ? otherUnit : unitNames[Int(groups[node])], brokerage: brokerageByNode[node],
                    betweenness: betweenness[node])
            }
        }

        return OrganizationSnapshot(
            computedAt: now, halfLifeDays: halfLifeDays, members: n, connected: connected, ties: keys.count,
            overallEI: mixing.overallEI, crossUnitPercent: total > 0 ? cross * 100 / total : nil, units: units,
            unitNames: unitNames, matrix: mixing.ties, modularity: partition.modularity, departmentAlignment: alignment,
            clusters: clusters, smallClusterPeople: smallClusterPeople, bridges: bridges, fragileLinks: fragile,
            brokers: brokers)
    }
}
