import ArgumentParser
import Foundation
import PollenAnalytics

struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compute network measures of a follow graph from CSV files and write them as JSON.",
        discussion: """
            Degrees are always computed. The JSON holds per-node arrays indexed by node id (in_degree, out_degree, \
            pagerank, betweenness, component, community, constraint, effective_size, brokerage), the group mixing \
            (groups), friends-of-friends recommendations (fof) and the milliseconds each step took (timings_ms).
            """)

    @Option(help: "The follow graph: a CSV with header src,dst and one directed edge per line.")
    var edges: String

    @Option(help: "Each user's group: a CSV with header user,<group>[,...], e.g. user,dept. Needed by ei and brokerage.")
    var groups: String?

    @Option(help: "Comma-separated: \(AnalysisMeasure.allCases.map(\.rawValue).joined(separator: ",")). Default: all (ei and brokerage with --groups).")
    var measures: String?

    @Option(help: "Betweenness from this many sources drawn at random. Default: exact (every node a source).")
    var samples: Int?

    @Option(help: "Workers for the parallel measures. Default: one per core (PageRank: one on small graphs).")
    var threads: Int?

    @Option(help: "Seeds the sampled sources, the friends-of-friends members and Louvain.")
    var seed: UInt64 = 1

    @Option(help: "Members, drawn at random, who get friends-of-friends recommendations.")
    var fofMembers: Int = AnalysisOptions.defaultFofMembers

    @Option(help: "Recommendations per member.")
    var fofK: Int = AnalysisOptions.defaultFofK

    @Option(help: "Where to write the JSON result.")
    var out: String

    func run() throws {
        do {
            let options = AnalysisOptions(
                edgesPath: edges, groupsPath: groups, measures: try measures.map(AnalysisMeasure.parseList), samples: samples,
                threads: threads, seed: seed, fofMembers: fofMembers, fofK: fofK)
            let result = try Analysis.run(options, reading: AnalyzeFiles.read)
            try AnalyzeFiles.write(result.json(), toFile: out)
            print(result.summary())
            print("Wrote \(out).")
        } catch let error as AnalysisError {
            FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
            throw ExitCode(1)
        }
    }
}
