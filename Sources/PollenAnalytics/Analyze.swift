import Foundation

/// A measure `Analysis.run` can compute; degrees are always computed.
public enum AnalysisMeasure: String, CaseIterable, Sendable, Comparable {
    case pagerank, betweenness, louvain, wcc, ei, brokerage, constraint, fof

    /// Whether the measure needs each node's group (`--groups`).
    public var needsGroups: Bool { self == .ei || self == .brokerage }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// Reads a comma-separated list of measure names such as `pagerank,wcc`.
    /// - Throws: `AnalysisError` naming an unknown measure, or for an empty list.
    public static func parseList(_ list: String) throws(AnalysisError) -> Set<AnalysisMeasure> {
        var measures = Set<AnalysisMeasure>()
        for name in list.split(separator: ",", omittingEmptySubsequences: false) {
            let name = name.trimmingCharacters(in: .whitespaces).lowercased()
            if name.isEmpty, list.contains(",") { continue }
            guard let measure = AnalysisMeasure(rawValue: name) else {
                let known = allCases.map(\.rawValue).joined(separator: ", ")
                throw AnalysisError(name.isEmpty ? "no measures given; choose from \(known)" : "unknown measure \"\(name)\"; choose from \(known)")
            }
            measures.insert(measure)
        }
        guard !measures.isEmpty else { throw AnalysisError("no measures given") }
        return measures
    }
}

/// What to analyse and how; see `Analysis.run`.
public struct AnalysisOptions: Sendable {
    /// An edge-list CSV (`src,dst`).
    public var edgesPath: String
    /// A CSV whose first columns are `user,<group>`; needed by `ei` and `brokerage`.
    public var groupsPath: String?
    /// The measures to compute; nil for all of them (`ei` and `brokerage` only when there is a group file).
    public var measures: Set<AnalysisMeasure>?
    /// Betweenness from this many sources drawn at random (at most all nodes); nil for exact betweenness.
    public var samples: Int?
    /// Workers for the parallel measures; nil for one per processor core (PageRank then keeps small graphs on one).
    public var threads: Int?
    /// Seeds the betweenness and friends-of-friends samples and Louvain's node order.
    public var seed: UInt64
    /// How many members, drawn at random, get friends-of-friends recommendations.
    public var fofMembers: Int
    /// Recommendations per member.
    public var fofK: Int

    /// Betweenness samples and recommendations per member when not given.
    public static let defaultFofMembers = 1000, defaultFofK = 10

    public init(
        edgesPath: String, groupsPath: String? = nil, measures: Set<AnalysisMeasure>? = nil, samples: Int? = nil,
        threads: Int? = nil, seed: UInt64 = 1, fofMembers: Int = defaultFofMembers, fofK: Int = defaultFofK
    ) {
        self.edgesPath = edgesPath
        self.groupsPath = groupsPath
        self.measures = measures
        self.samples = samples
        self.threads = threads
        self.seed = seed
        self.fofMembers = fofMembers
        self.fofK = fofK
    }

    /// The measures that will run.
    public var effectiveMeasures: Set<AnalysisMeasure> {
        measures ?? Set(AnalysisMeasure.allCases.filter { !$0.needsGroups || groupsPath != nil })
    }

    /// Checks the options that do not need the files.
    public func validate() throws(AnalysisError) {
        if let samples, samples < 1 { throw AnalysisError("--samples must be at least 1, not \(samples)") }
        if let threads, threads < 1 { throw AnalysisError("--threads must be at least 1, not \(threads)") }
        if fofMembers < 1 { throw AnalysisError("--fof-members must be at least 1, not \(fofMembers)") }
        if fofK < 1 { throw AnalysisError("--fof-k must be at least 1, not \(fofK)") }
        let needingGroups = effectiveMeasures.filter(\.needsGroups).sorted()
        if groupsPath == nil, !needingGroups.isEmpty {
            throw AnalysisError("\(needingGroups.map(\.rawValue).joined(separator: " and ")) need --groups")
        }
    }
}

/// Why an analysis could not run, as one sentence for the user.
public struct AnalysisError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// Builds a graph from edge-list (and group) bytes and computes the chosen measures, timing each step.
public enum Analysis {
    /// PageRank's damping factor, as networkx and igraph default to.
    public static let pageRankAlpha = 0.85
    /// PageRank stops when the L1 change between steps falls below this.
    public static let pageRankTolerance = 1e-10
    /// Louvain's resolution: 1 is the classic modularity.
    public static let louvainResolution = 1.0

    /// Runs the analysis. The runner does no I/O of its own: `read` returns the bytes of the options' paths (the
    /// command reads files; tests hand over text), and the caller writes `AnalysisResult.json()` where it wants.
    /// Reading is timed as part of `load` and `load_groups`.
    ///
    /// Nodes are `0…n-1` with `n` the largest id in the edges or the group file plus one; users missing from the
    /// group file belong to no group. Betweenness sources and friends-of-friends members are drawn uniformly
    /// without replacement with `seed`, so the same options give the same result.
    /// - Throws: `AnalysisError` for bad options, a bad line (with its number), or whatever `read` throws.
    public static func run(
        _ options: AnalysisOptions, reading read: (String) throws(AnalysisError) -> [UInt8]
    ) throws(AnalysisError) -> AnalysisResult {
        try options.validate()
        let measures = options.effectiveMeasures
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let threads = options.threads ?? cores
        var result = AnalysisResult()
        result.threads = threads
        var stopwatch = Stopwatch()

        let edges = try stopwatch.time("load") { () throws(AnalysisError) -> EdgeList in
            let bytes = try read(options.edgesPath)
            return try bytes.withUnsafeBytes { buffer in
                Result { () throws(EdgeListParseError) in try EdgeList.parseCSV(buffer) }
            }.mapError { AnalysisError("\(options.edgesPath): \($0)") }.get()
        }
        let groupList = try options.groupsPath.map { path throws(AnalysisError) in
            try stopwatch.time("load_groups") { () throws(AnalysisError) -> GroupList in
                let bytes = try read(path)
                do throws(GroupListParseError) {
                    return try GroupList.parseCSV(bytes)
                } catch {
                    throw AnalysisError("\(path): \(error)")
                }
            }
        }
        let graph = try stopwatch.time("load", adding: true) { () throws(AnalysisError) -> Graph in
            var largest: Int32 = -1
            for id in edges.sources { largest = max(largest, id) }
            for id in edges.destinations { largest = max(largest, id) }
            let nodeCount = max(Int(largest) + 1, groupList?.groupOf.count ?? 0)
            do throws(GraphError) {
                return try Graph(nodeCount: nodeCount, edgeList: edges)
            } catch {
                throw AnalysisError("\(options.edgesPath): \(error)")
            }
        }
        let n = graph.nodeCount
        result.nodes = n
        result.edges = graph.edgeCount
        let groups = groupList?.membership(nodeCount: n)

        stopwatch.time("degree") {
            result.inDegree = graph.inDegrees()
            result.outDegree = graph.outDegrees()
        }
        if measures.contains(.pagerank) {
            // Without --threads the engine decides, and keeps small graphs on one worker.
            result.pageRank = stopwatch.time("pagerank") {
                graph.pageRank(alpha: pageRankAlpha, tolerance: pageRankTolerance, threads: options.threads)
            }
        }
        if measures.contains(.wcc) {
            let components = stopwatch.time("wcc") { graph.weaklyConnectedComponents() }
            result.component = components.componentOf
            result.componentCount = components.count
        }
        if measures.contains(.louvain) {
            computeCommunities(graph, options: options, threads: threads, into: &result, stopwatch: &stopwatch)
        }
        if measures.contains(.betweenness) {
            let sources = options.samples.map { sample(min($0, n), of: n, seed: options.seed, stream: SampleStream.betweenness) }
            result.betweennessSources = sources
            // A graph without nodes has no source to draw, and nothing to score.
            result.betweenness = n == 0 ? [] : stopwatch.time("betweenness") { graph.betweenness(sources: sources, threads: threads) }
        }
        if measures.contains(.constraint) {
            computeStructuralHoles(graph, threads: threads, into: &result, stopwatch: &stopwatch)
        }
        if measures.contains(.ei), let groupList, let groups {
            computeGroupMixing(graph, groups: groups, labels: groupList.labels, into: &result, stopwatch: &stopwatch)
        }
        if measures.contains(.brokerage), let groups {
            computeBrokerage(graph, groups: groups, threads: threads, into: &result, stopwatch: &stopwatch)
        }
        if measures.contains(.fof) {
            let members = sample(min(options.fofMembers, n), of: n, seed: options.seed, stream: SampleStream.friendsOfFriends)
            computeFriendsOfFriends(graph, members: members, k: options.fofK, threads: threads, into: &result, stopwatch: &stopwatch)
        }
        result.timingsMilliseconds = stopwatch.timings
        return result
    }

    /// Separate random streams, so asking for one sample does not change the other.
    enum SampleStream {
        static let betweenness: UInt64 = 0x6265_7477_6565_6e00
        static let friendsOfFriends: UInt64 = 0x666f_6600_0000_0000
    }

    /// `count` distinct ids drawn uniformly from `0..<n` (a partial Fisher–Yates shuffle), ascending.
    static func sample(_ count: Int, of n: Int, seed: UInt64, stream: UInt64) -> [Int] {
        precondition((0...n).contains(count))
        var random = SplitMix64(seed: seed ^ stream)
        var pool = [Int32](unsafeUninitializedCapacity: n) { buffer, initialized in
            for index in 0..<n { buffer[index] = Int32(index) }
            initialized = n
        }
        for index in 0..<count {
            pool.swapAt(index, index + Int(random.next(below: UInt64(n - index))))
        }
        return pool[..<count].map(Int.init).sorted()
    }
}

/// Collects wall-clock times per step on the monotonic clock.
struct Stopwatch {
    private(set) var timings: [(step: String, milliseconds: Double)] = []
    private let clock = ContinuousClock()

    /// Runs `body` and records its time under `step`; with `adding`, adds it to the step's earlier time.
    mutating func time<T, E: Error>(_ step: String, adding: Bool = false, _ body: () throws(E) -> T) throws(E) -> T {
        let start = clock.now
        let value = try body()
        let elapsed = start.duration(to: clock.now)
        let milliseconds = Double(elapsed.components.seconds) * 1e3 + Double(elapsed.components.attoseconds) * 1e-15
        if adding, let index = timings.firstIndex(where: { $0.step == step }) {
            timings[index].milliseconds += milliseconds
        } else {
            timings.append((step, milliseconds))
        }
        return value
    }
}

// One function per measure that fills more than one field of the result.
extension Analysis {
    static func computeCommunities(
        _ graph: Graph, options: AnalysisOptions, threads: Int, into result: inout AnalysisResult, stopwatch: inout Stopwatch
    ) {
        // The undirected view is built inside the timing: Louvain needs it, and a peer pays for its own too.
        let partition = stopwatch.time("louvain") {
            graph.undirected().louvain(resolution: louvainResolution, seed: options.seed, threads: threads)
        }
        result.community = partition.membership
        result.communityCount = partition.count
        result.modularity = partition.modularity
    }

    static func computeStructuralHoles(_ graph: Graph, threads: Int, into result: inout AnalysisResult, stopwatch: inout Stopwatch) {
        let holes = stopwatch.time("constraint") { graph.structuralHoles(threads: threads) }
        result.constraint = holes.constraint
        result.effectiveSize = holes.effectiveSize
    }

    static func computeGroupMixing(
        _ graph: Graph, groups: [Int32], labels: [String], into result: inout AnalysisResult, stopwatch: inout Stopwatch
    ) {
        let mixing = stopwatch.time("ei") { graph.groupMixing(groups: groups, groupCount: labels.count) }
        result.groups = AnalysisResult.Groups(
            labels: labels, sizes: mixing.sizes, internalTies: mixing.internalTies, externalTies: mixing.externalTies,
            ei: mixing.ei, expectedEI: mixing.expectedEI, overallEI: mixing.overallEI, ties: mixing.ties)
    }

    static func computeBrokerage(
        _ graph: Graph, groups: [Int32], threads: Int, into result: inout AnalysisResult, stopwatch: inout Stopwatch
    ) {
        let roles = stopwatch.time("brokerage") { graph.brokerage(groups: groups, threads: threads) }
        result.brokerage = [
            ("coordinator", roles.coordinator), ("itinerant", roles.itinerant), ("representative", roles.representative),
            ("gatekeeper", roles.gatekeeper), ("liaison", roles.liaison),
        ]
    }

    static func computeFriendsOfFriends(
        _ graph: Graph, members: [Int], k: Int, threads: Int, into result: inout AnalysisResult, stopwatch: inout Stopwatch
    ) {
        let lists = stopwatch.time("fof") { graph.friendsOfFriends(of: members, k: k, threads: threads) }
        result.friendsOfFriends = AnalysisResult.FriendsOfFriends(
            k: k, members: members, recommendations: lists.map { $0.map { ($0.node, $0.paths) } })
    }
}
