import Foundation
import PollenCore

/// A community's insight offline, for `pollen report`: the same page as on the server as one self-contained HTML
/// file (styles inlined, charts as SVG), or every table of it as CSV files.
public enum InsightReport {
    public enum Format: String, Sendable, CaseIterable {
        case html, csv
    }

    struct Page {
        let page: CommunityInsightPage
        let css: String
        let generated: String
    }

    /// The files of the report: one `NAME.html`, or one `NAME-TABLE.csv` per table.
    public static func files(_ insight: CommunityInsight, format: Format, generatedAt: Date) async throws -> [(name: String, content: String)] {
        let slug = insight.community.slug
        switch format {
        case .csv:
            return InsightPages.communityTables(insight).sorted { $0.key < $1.key }.map { ("\(slug)-\($0.key).csv", $0.value.csvText) }
        case .html:
            let views = try await ViewRenderer.load()
            let cssURL = Bundle.module.url(forResource: "Resources", withExtension: nil)?
                .appendingPathComponent("static/pollen.css")
            let css = cssURL.flatMap { try? String(contentsOf: $0, encoding: .utf8) } ?? ""
            let page = InsightPages.communityPage(
                insight, layout: Layout(offlineTitle: "Insight · \(insight.community.name)"), offline: true)
            let html = views.render(
                Page(page: page, css: css, generated: generatedAt.formatted(date: .abbreviated, time: .shortened)),
                template: "insight_report")
            return [("\(slug)-insight.html", html)]
        }
    }
}
