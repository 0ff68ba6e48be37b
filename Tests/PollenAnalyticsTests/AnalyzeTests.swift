import Foundation
import PollenAnalytics
import Testing

@Suite struct AnalyzeTests {
    /// A cycle 0 → 1 → 2 → 0 with a tail 2 → 3; the group file also lists user 4, who follows no one.
    static let edges = "src,dst\n0,1\n1,2\n2,0\n2,3\n"
    static let groups = "user,dept,is_leader\n0,Sales,0\n1,Sales,1\n2,\"R&D, Europe\",0\n3,R&D,0\n4,Sales,0\n"

    @Test func writesDegreesBetweennessAndComponentsOfAHandComputedGraph() throws {
        try withFiles(["e.csv": Self.edges, "g.csv": Self.groups]) { folder, files in
            let options = AnalysisOptions(
                edgesPath: folder + "/e.csv", groupsPath: folder + "/g.csv", measures: [.pagerank, .betweenness, .wcc])
            let json = try runAndRead(options, files)
            #expect(json.nodes == 5 && json.edges == 4)
            #expect(json.inDegree == [1, 1, 1, 1, 0])
            #expect(json.outDegree == [1, 1, 2, 0, 0])
            // Shortest paths through a node: 0 on 2→1; 1 on 0→2 and 0→3; 2 on 0→3, 1→0 and 1→3.
            #expect(json.betweenness == [1, 2, 3, 0, 0])
            #expect(json.component == [0, 0, 0, 0, 1] && json.components == 2)
            #expect(Set(json.timingsMs.keys) == ["load", "load_groups", "degree", "pagerank", "betweenness", "wcc"])
            #expect(json.timingsMs.values.allSatisfy { $0 >= 0 })
            #expect(json.keys.isSuperset(of: ["nodes", "edges", "threads", "pagerank", "in_degree", "out_degree"]))
            #expect(json.keys.isDisjoint(with: ["betweenness_sources", "community", "modularity", "groups", "fof", "constraint"]))
        }
    }

    @Test func writesGroupsBrokerageStructuralHolesCommunitiesAndRecommendations() throws {
        try withFiles(["e.csv": Self.edges, "g.csv": Self.groups]) { folder, files in
            let json = try runAndRead(
                AnalysisOptions(edgesPath: folder + "/e.csv", groupsPath: folder + "/g.csv", fofMembers: 50, fofK: 3), files)
            #expect(Set(json.timingsMs.keys) == [
                "load", "load_groups", "degree", "pagerank", "betweenness", "wcc", "louvain", "constraint", "ei", "brokerage", "fof",
            ])
            // Groups R&D = 0, "R&D, Europe" = 1, Sales = 2. Edges: 0→1 inside Sales; 1→2, 2→0 and 2→3 between groups.
            let groups = try #require(json.groups)
            #expect(groups.labels == ["R&D", "R&D, Europe", "Sales"])
            #expect(groups.sizes == [1, 1, 3])
            #expect(groups.ties == [[0, 0, 0], [1, 0, 1], [0, 1, 1]])
            #expect(groups.ei == [1, 1, 1.0 / 3])
            #expect(groups.expectedEi == [1, 1, 0])
            #expect(groups.overallEi == 0.5)
            // Open two-paths: 2→0→1 (0 lets R&D, Europe into Sales), 0→1→2 (1 carries Sales out), 1→2→0 (2 links
            // two Sales members from outside) and 1→2→3 (three groups).
            let brokerage = try #require(json.brokerage)
            #expect(brokerage["gatekeeper"] == [1, 0, 0, 0, 0] && brokerage["representative"] == [0, 1, 0, 0, 0])
            #expect(brokerage["itinerant"] == [0, 0, 1, 0, 0] && brokerage["liaison"] == [0, 0, 1, 0, 0])
            #expect(brokerage["coordinator"] == [0, 0, 0, 0, 0])
            // 3's only contact is 2: constraint 1, effective size 1; 4 has no contact.
            #expect(json.constraint?[3] == 1 && json.effectiveSize?[3] == 1)
            #expect(json.constraint?[4] == .some(nil) && json.effectiveSize?[4] == .some(nil))
            let community = try #require(json.community)
            #expect(json.communities == Set(community).count && community.count == 5)
            #expect(community.filter { $0 == community[4] }.count == 1)
            let graph = try Graph(nodeCount: 5, edges: [(0, 1), (1, 2), (2, 0), (2, 3)])
            #expect(json.modularity == graph.undirected().modularity(community.map(Int32.init)))
            // Everyone is a member (50 asked, 5 nodes); 1 follows 2, who follows 0 and 3.
            let fof = try #require(json.fof)
            #expect(fof.k == 3 && fof.members == [0, 1, 2, 3, 4])
            #expect(fof.recommendations.map { $0.map { [$0.node, $0.paths] } } == [[[2, 1]], [[0, 1], [3, 1]], [[1, 1]], [], []])
        }
    }

    @Test func pageRankSurvivesTheJSONBitForBit() throws {
        try withFiles(["e.csv": Self.edges]) { folder, files in
            let json = try runAndRead(AnalysisOptions(edgesPath: folder + "/e.csv", measures: [.pagerank], threads: 1), files)
            let graph = try Graph(edges: [(0, 1), (1, 2), (2, 0), (2, 3)])
            let expected = graph.pageRank(alpha: Analysis.pageRankAlpha, tolerance: Analysis.pageRankTolerance, threads: 1)
            #expect(json.pagerank == expected)
            #expect(json.threads == 1)
        }
    }

    @Test func sampledBetweennessDrawsDistinctSourcesFromTheSeed() throws {
        try withFiles(["e.csv": Self.edges, "g.csv": Self.groups]) { folder, files in
            func run(samples: Int, seed: UInt64) throws -> ResultFile {
                try runAndRead(
                    AnalysisOptions(
                        edgesPath: folder + "/e.csv", groupsPath: folder + "/g.csv", measures: [.betweenness], samples: samples,
                        seed: seed), files)
            }
            // Every node a source: the exact scores (scaled by 5/5).
            let all = try run(samples: 5, seed: 3)
            #expect(all.betweennessSources == [0, 1, 2, 3, 4])
            #expect(all.betweenness == [1, 2, 3, 0, 0])
            #expect(try run(samples: 50, seed: 3).betweennessSources == [0, 1, 2, 3, 4])

            let two = try #require(try run(samples: 2, seed: 9).betweennessSources)
            #expect(two.count == 2 && two[0] < two[1] && two.allSatisfy { (0..<5).contains($0) })
            #expect(try run(samples: 2, seed: 9).betweennessSources == two)
            let drawn = try Set((1...20).map { try run(samples: 2, seed: $0).betweennessSources })
            #expect(drawn.count > 1)
        }
    }

    @Test func nodesRunToTheLargestIdInEitherFile() throws {
        try withFiles(["e.csv": "src,dst\n0,7\n", "g.csv": "user,team\n2,a\n"]) { folder, files in
            let json = try runAndRead(
                AnalysisOptions(edgesPath: folder + "/e.csv", groupsPath: folder + "/g.csv", measures: [.wcc]), files)
            #expect(json.nodes == 8 && json.inDegree.count == 8)
            #expect(json.components == 7)
        }
    }

    @Test func jsonWritesNaNAsNullAndEscapesLabels() throws {
        var result = AnalysisResult()
        result.nodes = 2
        result.inDegree = [0, 1]
        result.outDegree = [1, 0]
        result.constraint = [.nan, 0.1 + 0.2]
        result.groups = AnalysisResult.Groups(
            labels: ["R&D, \"Europe\"", "a\\b\n"], sizes: [1, 1], internalTies: [0, 0], externalTies: [1, 1], ei: [1, nil],
            expectedEI: [1, 1], overallEI: nil, ties: [[0, 1], [0, 0]])
        let json = try ResultFile.decode(Data(result.json()))
        #expect(json.constraint == [nil, 0.1 + 0.2])
        let groups = try #require(json.groups)
        #expect(groups.labels == ["R&D, \"Europe\"", "a\\b\n"])
        #expect(groups.overallEi == nil && groups.ei == [1, nil])
        #expect(groups.ties == [[0, 1], [0, 0]])
    }

    // MARK: - Group files

    @Test func groupLabelsAreSortedNumericallyWhenAllAreIntegers() throws {
        let numeric = try GroupList.parseCSV("user,dept,is_leader\n0,10,0\n1,9,1\n3,10,0\n")
        #expect(numeric.labels == ["9", "10"] && numeric.groupOf == [1, 0, -1, 1])
        let named = try GroupList.parseCSV(Self.groups)
        #expect(named.labels == ["R&D", "R&D, Europe", "Sales"] && named.groupOf == [2, 2, 1, 0, 2])
        #expect(named.membership(nodeCount: 7) == [2, 2, 1, 0, 2, -1, -1])
        let padded = try GroupList.parseCSV("\u{FEFF}user , group\r\n 0 , a \r\n\r\n1,\"say \"\"hi\"\"\"\r\n")
        #expect(padded.labels == ["a", "say \"hi\""] && padded.groupOf == [0, 1])
    }

    @Test func badGroupFilesNameTheirLine() {
        #expect(throws: GroupListParseError(line: 1, reason: "expected a header starting \"user,\" and a group column, found \"src,dst\"")) {
            try GroupList.parseCSV("src,dst\n0,1\n")
        }
        #expect(throws: GroupListParseError(line: 1, reason: "empty input; expected a header such as \"user,dept\"")) {
            try GroupList.parseCSV("")
        }
        #expect(throws: GroupListParseError(line: 3, reason: "user is not a non-negative integer id in \"x,b\"")) {
            try GroupList.parseCSV("user,dept\n0,a\nx,b\n")
        }
        #expect(throws: GroupListParseError(line: 4, reason: "expected \"user,group\", found \"7\"")) {
            try GroupList.parseCSV("user,dept\r\n0,a\r\n\r\n7\r\n")
        }
        #expect(throws: GroupListParseError(line: 2, reason: "the group of user 5 is empty")) {
            try GroupList.parseCSV("user,dept\n5, ,1\n")
        }
        #expect(throws: GroupListParseError(line: 3, reason: "user 1 is listed twice (first on line 2)")) {
            try GroupList.parseCSV("user,dept\n1,a\n1,b\n")
        }
        #expect(throws: GroupListParseError(line: 2, reason: "user is not a non-negative integer id in \"-1,a\"")) {
            try GroupList.parseCSV("user,dept\n-1,a\n")
        }
        #expect(throws: GroupListParseError(line: 2, reason: "unclosed quote in \"0,\"a\"")) {
            try GroupList.parseCSV("user,dept\n0,\"a\n1,b\n")
        }
    }

    @Test func badGroupFileFailsTheRunWithItsPathAndLine() throws {
        try withFiles(["e.csv": Self.edges, "g.csv": "user,dept\n0,a\n0,b\n"]) { folder, files in
            #expect(throws: AnalysisError("\(folder)/g.csv: line 3: user 0 is listed twice (first on line 2)")) {
                try files.run(AnalysisOptions(edgesPath: folder + "/e.csv", groupsPath: folder + "/g.csv", measures: [.wcc]))
            }
        }
    }

    // MARK: - Bad options and files

    @Test func unknownMeasureIsNamed() throws {
        #expect(throws: AnalysisError("unknown measure \"pagernk\"; choose from pagerank, betweenness, louvain, wcc, ei, brokerage, constraint, fof")) {
            try AnalysisMeasure.parseList("wcc,pagernk")
        }
        #expect(throws: AnalysisError.self) { try AnalysisMeasure.parseList("") }
        #expect(try AnalysisMeasure.parseList(" WCC, pagerank ,") == [.wcc, .pagerank])
    }

    @Test func badOptionsAndFilesAreOneSentence() throws {
        try withFiles(["e.csv": Self.edges, "bad.csv": "src,dst\n0,1\n2;3\n"]) { folder, files in
            let edges = folder + "/e.csv"
            #expect(throws: AnalysisError("--samples must be at least 1, not 0")) {
                try files.run(AnalysisOptions(edgesPath: edges, measures: [.betweenness], samples: 0))
            }
            #expect(throws: AnalysisError("ei and brokerage need --groups")) {
                try files.run(AnalysisOptions(edgesPath: edges, measures: [.brokerage, .ei]))
            }
            #expect(throws: AnalysisError("--fof-k must be at least 1, not 0")) {
                try files.run(AnalysisOptions(edgesPath: edges, measures: [.fof], fofK: 0))
            }
            // The reader's own error reaches the caller unchanged.
            #expect(throws: AnalysisError("cannot read \(folder)/missing.csv: No such file or directory")) {
                try files.run(AnalysisOptions(edgesPath: folder + "/missing.csv", measures: [.wcc]))
            }
            #expect(throws: AnalysisError("\(folder)/bad.csv: line 3: expected \"src,dst\", found \"2;3\"")) {
                try files.run(AnalysisOptions(edgesPath: folder + "/bad.csv", measures: [.wcc]))
            }
            // Without a group file, the default measures leave out the two that need one.
            #expect(AnalysisOptions(edgesPath: edges).effectiveMeasures == [.pagerank, .betweenness, .louvain, .wcc, .constraint, .fof])
            let result = try files.run(AnalysisOptions(edgesPath: edges, measures: [.wcc]))
        }
    }

    // MARK: - Helpers

    /// Runs `body` with input files held in memory under a made-up folder: the runner reads only through the closure
    /// it is given.
    private func withFiles(_ files: [String: String], _ body: (String, InputFiles) throws -> Void) throws {
        let input = InputFiles(folder: "/input", contents: files)
        try body(input.folder, input)
    }

    /// Runs the analysis and decodes its JSON.
    private func runAndRead(_ options: AnalysisOptions, _ files: InputFiles) throws -> ResultFile {
        try ResultFile.decode(Data(try files.run(options).json()))
    }
}

private struct InputFiles {
    let folder: String
    let contents: [String: String]

    func read(_ path: String) throws(AnalysisError) -> [UInt8] {
        guard path.hasPrefix(folder + "/"), let text = contents[String(path.dropFirst(folder.count + 1))] else {
            throw AnalysisError("cannot read \(path): No such file or directory")
        }
        return Array(text.utf8)
    }

    func run(_ options: AnalysisOptions) throws(AnalysisError) -> AnalysisResult { try Analysis.run(options, reading: read) }
}

/// The fields of RESULT.json the tests read. JSONDecoder, unlike JSONSerialization on Linux, reads numbers as exact
/// Doubles, so values can be compared bit for bit.
private struct ResultFile: Decodable {
    var nodes: Int
    var edges: Int
    var threads: Int
    var timingsMs: [String: Double]
    var components: Int?
    var inDegree: [Int]
    var outDegree: [Int]
    var pagerank: [Double]?
    var betweenness: [Double]?
    var betweennessSources: [Int]?
    var component: [Int]?
    var community: [Int]?
    var communities: Int?
    var modularity: Double?
    var constraint: [Double?]?
    var effectiveSize: [Double?]?
    var brokerage: [String: [Int]]?
    var groups: Groups?
    var fof: FriendsOfFriends?
    /// Every top-level key present.
    var keys: Set<String> = []

    struct Groups: Decodable {
        var labels: [String]
        var sizes: [Int]
        var ei: [Double?]
        var expectedEi: [Double?]
        var overallEi: Double?
        var ties: [[Double]]
    }

    struct FriendsOfFriends: Decodable {
        var k: Int
        var members: [Int]
        var recommendations: [[Recommendation]]

        struct Recommendation: Decodable {
            var node: Int
            var paths: Int
        }
    }

    private enum CodingKeys: String, CodingKey {
        case nodes, edges, threads, timingsMs, components, inDegree, outDegree, pagerank, betweenness, betweennessSources
        case component, community, communities, modularity, constraint, effectiveSize, brokerage, groups, fof
    }

    static func decode(_ data: Data) throws -> ResultFile {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        var file = try decoder.decode(ResultFile.self, from: data)
        file.keys = Set(try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any]).keys)
        return file
    }
}
