import Foundation

/// What `Analysis.run` computed, ready to be written as JSON; per-node arrays are indexed by node id.
///
/// A field is nil when its measure was not asked for; it is then left out of the JSON.
public struct AnalysisResult: Sendable {
    /// Number of nodes: the largest id in the edges or the group file, plus one.
    public var nodes = 0
    /// Number of edges as read, parallel edges and self-loops included.
    public var edges = 0
    /// Workers the parallel measures were allowed.
    public var threads = 1
    /// Wall-clock milliseconds per step (`load`, `load_groups`, then one per measure), in the order they ran.
    public var timingsMilliseconds: [(step: String, milliseconds: Double)] = []

    public var inDegree: [Int] = []
    public var outDegree: [Int] = []
    public var pageRank: [Double]?
    public var betweenness: [Double]?
    /// The sampled betweenness sources, ascending; nil for exact betweenness.
    public var betweennessSources: [Int]?
    /// Weakly connected component of each node.
    public var component: [Int32]?
    public var componentCount: Int?
    /// Louvain community of each node.
    public var community: [Int32]?
    public var communityCount: Int?
    /// Modularity of `community` on the undirected graph.
    public var modularity: Double?
    /// Burt's constraint; NaN (written as null) for isolated nodes.
    public var constraint: [Double]?
    /// Burt's effective size; NaN (written as null) for isolated nodes.
    public var effectiveSize: [Double]?
    /// Gould–Fernandez brokerage counts per role name (`coordinator`, `itinerant`, `representative`, `gatekeeper`,
    /// `liaison`), each indexed by node.
    public var brokerage: [(role: String, counts: [Int])]?
    public var groups: Groups?
    public var friendsOfFriends: FriendsOfFriends?

    public init() {}

    /// Ties within and between the groups of the group file.
    public struct Groups: Sendable {
        public var labels: [String]
        public var sizes: [Int]
        public var internalTies: [Double]
        public var externalTies: [Double]
        /// Krackhardt–Stern E-I index per group; nil where a group has no ties.
        public var ei: [Double?]
        /// The E-I index a group would have if its ties fell at random, given the group sizes.
        public var expectedEI: [Double?]
        public var overallEI: Double?
        /// `ties[g][h]`: edges from a member of group g to a member of group h.
        public var ties: [[Double]]

        public init(
            labels: [String], sizes: [Int], internalTies: [Double], externalTies: [Double], ei: [Double?],
            expectedEI: [Double?], overallEI: Double?, ties: [[Double]]
        ) {
            self.labels = labels
            self.sizes = sizes
            self.internalTies = internalTies
            self.externalTies = externalTies
            self.ei = ei
            self.expectedEI = expectedEI
            self.overallEI = overallEI
            self.ties = ties
        }
    }

    /// People to follow for a sample of members: friends of friends not yet followed, most paths first.
    public struct FriendsOfFriends: Sendable {
        public var k: Int
        public var members: [Int]
        /// For each member, in the order of `members`: up to `k` nodes with their number of two-step paths.
        public var recommendations: [[(node: Int32, paths: Int32)]]

        public init(k: Int, members: [Int], recommendations: [[(node: Int32, paths: Int32)]]) {
            self.k = k
            self.members = members
            self.recommendations = recommendations
        }
    }
}

extension AnalysisResult {
    /// The result as compact JSON, one top-level field per line. Doubles are written in their shortest form that
    /// reads back to the same value; NaN and infinities as null.
    public func json() -> [UInt8] {
        var json = JSONWriter()
        json.out.reserveCapacity(64 + nodes * 96)
        json.beginObject()
        json.key("nodes"); json.integer(nodes)
        json.key("edges"); json.integer(edges)
        json.key("threads"); json.integer(threads)
        json.key("timings_ms")
        json.beginObject()
        for (step, milliseconds) in timingsMilliseconds {
            json.key(step, newline: false)
            json.number((milliseconds * 1000).rounded() / 1000)
        }
        json.endObject()
        if let modularity { json.key("modularity"); json.number(modularity) }
        if let communityCount { json.key("communities"); json.integer(communityCount) }
        if let componentCount { json.key("components"); json.integer(componentCount) }
        json.key("in_degree"); json.integers(inDegree)
        json.key("out_degree"); json.integers(outDegree)
        if let pageRank { json.key("pagerank"); json.numbers(pageRank) }
        if let betweenness { json.key("betweenness"); json.numbers(betweenness) }
        if let betweennessSources { json.key("betweenness_sources"); json.integers(betweennessSources) }
        if let component { json.key("component"); json.integers(component) }
        if let community { json.key("community"); json.integers(community) }
        if let constraint { json.key("constraint"); json.numbers(constraint) }
        if let effectiveSize { json.key("effective_size"); json.numbers(effectiveSize) }
        if let brokerage {
            json.key("brokerage")
            json.beginObject()
            for (role, counts) in brokerage {
                json.key(role, newline: false)
                json.integers(counts)
            }
            json.endObject()
        }
        if let groups {
            json.key("groups")
            json.beginObject()
            json.key("labels", newline: false)
            json.beginArray()
            for label in groups.labels { json.string(label) }
            json.endArray()
            json.key("sizes", newline: false); json.integers(groups.sizes)
            json.key("internal_ties", newline: false); json.numbers(groups.internalTies)
            json.key("external_ties", newline: false); json.numbers(groups.externalTies)
            json.key("ei", newline: false); json.optionalNumbers(groups.ei)
            json.key("expected_ei", newline: false); json.optionalNumbers(groups.expectedEI)
            json.key("overall_ei", newline: false); json.number(groups.overallEI ?? .nan)
            json.key("ties", newline: false)
            json.beginArray()
            for row in groups.ties { json.numbers(row) }
            json.endArray()
            json.endObject()
        }
        if let fof = friendsOfFriends {
            json.key("fof")
            json.beginObject()
            json.key("k", newline: false); json.integer(fof.k)
            json.key("members", newline: false); json.integers(fof.members)
            json.key("recommendations", newline: false)
            json.beginArray()
            for list in fof.recommendations {
                json.beginArray()
                for (node, paths) in list {
                    json.beginObject()
                    json.key("node", newline: false); json.integer(Int(node))
                    json.key("paths", newline: false); json.integer(Int(paths))
                    json.endObject()
                }
                json.endArray()
            }
            json.endArray()
            json.endObject()
        }
        json.out.append(UInt8(ascii: "\n"))
        json.endObject()
        json.out.append(UInt8(ascii: "\n"))
        return json.out
    }
}

/// Appends JSON to a byte buffer without building an intermediate tree; the caller pairs begin and end calls.
struct JSONWriter {
    var out: [UInt8] = []
    /// Whether the next value or key needs a comma before it.
    private var needsComma = false
    private var depth = 0

    mutating func beginObject() { separate(); out.append(UInt8(ascii: "{")); depth += 1; needsComma = false }
    mutating func endObject() { out.append(UInt8(ascii: "}")); depth -= 1; needsComma = true }
    mutating func beginArray() { separate(); out.append(UInt8(ascii: "[")); depth += 1; needsComma = false }
    mutating func endArray() { out.append(UInt8(ascii: "]")); depth -= 1; needsComma = true }

    /// Writes `"name":`; a top-level key starts a new line unless `newline` is false.
    mutating func key(_ name: String, newline: Bool = true) {
        separate()
        if newline, depth == 1 { out.append(UInt8(ascii: "\n")) }
        writeString(name)
        out.append(UInt8(ascii: ":"))
        needsComma = false
    }

    mutating func string(_ value: String) {
        separate()
        writeString(value)
        needsComma = true
    }

    mutating func integer(_ value: Int) {
        separate()
        writeInteger(value)
        needsComma = true
    }

    mutating func number(_ value: Double) {
        separate()
        writeNumber(value)
        needsComma = true
    }

    mutating func integers<I: BinaryInteger>(_ values: [I]) {
        separate()
        out.append(UInt8(ascii: "["))
        for index in values.indices {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            writeInteger(Int(values[index]))
        }
        out.append(UInt8(ascii: "]"))
        needsComma = true
    }

    mutating func numbers(_ values: [Double]) {
        separate()
        out.append(UInt8(ascii: "["))
        for index in values.indices {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            writeNumber(values[index])
        }
        out.append(UInt8(ascii: "]"))
        needsComma = true
    }

    mutating func optionalNumbers(_ values: [Double?]) {
        numbers(values.map { $0 ?? .nan })
    }

    private mutating func separate() {
        if needsComma { out.append(UInt8(ascii: ",")) }
    }

    private mutating func writeInteger(_ value: Int) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        // Digits come out least significant first; write them into a small stack buffer, then copy in order.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var count = 0
            repeat {
                digits[19 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[(20 - count)...]))
        }
    }

    private mutating func writeNumber(_ value: Double) {
        guard value.isFinite else {
            out.append(contentsOf: "null".utf8)
            return
        }
        if value == value.rounded(), abs(value) < 1e15 {
            // Whole numbers as integers ("3", not "3.0"): shorter, and they read back to the same Double.
            if value == 0, value.sign == .minus { out.append(UInt8(ascii: "-")) }
            writeInteger(Int(value))
            return
        }
        // Swift's description is the shortest decimal that reads back to the same Double ("1e-05", "0.15").
        out.append(contentsOf: value.description.utf8)
    }

    private mutating func writeString(_ value: String) {
        out.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
            case UInt8(ascii: "\n"): out.append(contentsOf: #"\n"#.utf8)
            case UInt8(ascii: "\r"): out.append(contentsOf: #"\r"#.utf8)
            case UInt8(ascii: "\t"): out.append(contentsOf: #"\t"#.utf8)
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: #"\u00"#.utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

extension AnalysisResult {
    /// A short table of the steps and their milliseconds, then the graph's size and the headline figures.
    public func summary() -> String {
        var lines = ["\(pad("step", 14)) \(pad("ms", 10, right: true))"]
        for (step, milliseconds) in timingsMilliseconds {
            lines.append("\(pad(step, 14)) \(pad(String(format: "%.1f", milliseconds), 10, right: true))")
        }
        var facts = ["\(nodes) nodes", "\(edges) edges", "\(threads) threads"]
        if let componentCount { facts.append("\(componentCount) components") }
        if let communityCount, let modularity { facts.append("\(communityCount) communities (modularity \(String(format: "%.4f", modularity)))") }
        if let groups, let overall = groups.overallEI { facts.append("\(groups.labels.count) groups (E-I \(String(format: "%.3f", overall)))") }
        lines.append(facts.joined(separator: ", "))
        return lines.joined(separator: "\n")
    }

    private func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - text.count))
        return right ? fill + text : text + fill
    }
}
