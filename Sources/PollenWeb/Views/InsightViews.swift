import Foundation
import PollenCore

/// When the figures were computed, and the button to compute them again.
struct InsightRunView {
    let lastRun: String?
    let running: Bool
    let failed: String?
    let mayRefresh: Bool
    let next: String

    init(lastRun: AnalyticsRun?, running: Bool, mayRefresh: Bool, next: String) {
        self.lastRun = lastRun.map { run in
            let took = run.finishedAt.map { String(format: "%.1f s", $0.timeIntervalSince(run.startedAt)) }
            return run.startedAt.formatted(date: .abbreviated, time: .shortened) + (took.map { " (took \($0))" } ?? "")
        }
        self.running = running
        self.failed = nil
        self.mayRefresh = mayRefresh
        self.next = next
    }
}

struct TableView {
    struct Row {
        let cells: [Cell]
    }
    struct Cell {
        let text: String
        let numeric: Bool
        let link: String?
        init(_ text: String, numeric: Bool = false, link: String? = nil) {
            self.text = text
            self.numeric = numeric
            self.link = link
        }
    }
    struct Header {
        let text: String
        let numeric: Bool
    }
    let caption: String
    let headers: [Header]
    let rows: [Row]
    let csv: String?
    var isEmpty: Bool { rows.isEmpty }
    var hasRows: Bool { !rows.isEmpty }

    init(caption: String, headers: [(String, Bool)], rows: [[Cell]], csv: String?) {
        self.caption = caption
        self.headers = headers.map { Header(text: $0.0, numeric: $0.1) }
        self.rows = rows.map { Row(cells: $0) }
        self.csv = csv
    }

    /// The same table as CSV: quoted, formula-defused, with a header row.
    var csvText: String {
        var text = headers.map { ModerationPages.csvField($0.text) }.joined(separator: ",") + "\r\n"
        for row in rows { text += row.cells.map { ModerationPages.csvField($0.text) }.joined(separator: ",") + "\r\n" }
        return text
    }
}

struct InsightHubPage {
    struct CommunityLink {
        let name: String
        let slug: String
        let manages: Bool
    }
    let layout: Layout
    let communities: [CommunityLink]
    let hasCommunities: Bool
    let mayNetwork: Bool
    let isAdmin: Bool
    let individualScores: Bool
}

struct NetworkInsightPage {
    struct Figure {
        let label: String
        let value: String
        let hint: String
    }
    let layout: Layout
    let run: InsightRunView
    let hasSnapshot: Bool
    let figures: [Figure]
    let trendCross: String?
    let trendModularity: String?
    let trendTable: TableView
    let units: TableView
    let silos: String?
    let heatMap: String?
    let matrix: TableView
    let clusters: TableView
    let alignment: String
    let smallClusters: String?
    let bridges: String
    let fragile: TableView
    let brokers: TableView?
    let individualScores: Bool
    let isAdmin: Bool
}

struct CommunityInsightPage {
    struct Measure {
        let id: String
        let title: String
        let explanation: String
        let chart: String
        let latest: String?
        let reading: String
        let target: String?
        let warning: String?
        let table: TableView
    }
    let layout: Layout
    let name: String
    let slug: String
    let run: InsightRunView
    let hasSnapshot: Bool
    let windowDays: Int
    let members: Int
    let activeMembers: Int
    let profileChart: String?
    let roles: TableView
    let concentration: String?
    let purposeHTML: String
    let mayEdit: Bool
    let measures: [Measure]
    let hasMeasures: Bool
    /// The chosen measures' names, nil when none is chosen.
    let chosen: String?
    let knowledge: TableView
}

struct CharterMeasuresPage {
    struct Role {
        let id: String
        let title: String
        let rule: String
        let value: String
        let error: String?
    }
    struct Measure {
        let id: String
        let title: String
        let explanation: String
        let unit: String
        let isCount: Bool
        let checked: Bool
        let target: String
        let error: String?
    }
    let layout: Layout
    let name: String
    let slug: String
    let roles: [Role]
    let measures: [Measure]
    let formError: String?
    let warnings: [String]
    let hasWarnings: Bool
    let countWarning: String
}

struct AdminInsightPage {
    struct Grant {
        let memberID: String
        let handle: String
        let name: String
        let since: String
    }
    let layout: Layout
    let tabs: AdminTabs
    let individualScores: Bool
    let refreshHours: Field
    let grants: [Grant]
    let hasGrants: Bool
    let handle: Field
    let formError: String?
    let run: InsightRunView
}
