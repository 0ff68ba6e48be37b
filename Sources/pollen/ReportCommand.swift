import ArgumentParser
import Foundation
import PollenCore
import PollenStorage
import PollenWeb

/// A community's insight offline: what its insight page shows, as one HTML file or as CSV files.
struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a community's insight (participation profile, measures, knowledge sharing) as HTML or CSV.",
        discussion: """
            Uses the figures of the last analytics run; computes them first when there are none yet or with --refresh. \
            HTML is one self-contained file (to stdout without --out); CSV is one file per table, written into the \
            --out folder.
            """)

    @OptionGroup var storage: StorageOptions
    @Option(help: "The community's address (slug), as in /c/SLUG.") var community: String
    @Option(help: "html or csv.") var format: String = "html"
    @Option(help: "A file (html) or folder (csv) to write to.") var out: String?
    @Flag(help: "Compute the figures now instead of using the last run's.") var refresh = false

    func run() async throws {
        guard let format = InsightReport.Format(rawValue: format) else { throw ValidationError("--format must be html or csv.") }
        if format == .csv && out == nil { throw ValidationError("CSV makes one file per table: name a folder with --out.") }
        try await reportingErrors {
            try await storage.withPollen { pollen, _ in
                var insight = try await pollen.communityInsight(slug: community, by: .system)
                if refresh || insight.snapshot == nil {
                    _ = try await pollen.performAnalytics(try await pollen.requestAnalyticsRun(by: .system))
                    insight = try await pollen.communityInsight(slug: community, by: .system)
                }
                let files = try await InsightReport.files(insight, format: format, generatedAt: Date())
                guard let out else {
                    print(files.map(\.content).joined(separator: "\n"))
                    return
                }
                let target = URL(fileURLWithPath: out)
                if format == .csv {
                    try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
                    for file in files {
                        try Data(file.content.utf8).write(to: target.appendingPathComponent(file.name))
                    }
                    print("Wrote \(files.count) CSV files into \(out).")
                } else {
                    try Data(files.map(\.content).joined().utf8).write(to: target)
                    print("Wrote \(out).")
                }
            }
        }
    }
}
