import Foundation
import Hummingbird
import PollenCore

/// Monitoring and evaluation: the insight hub, the organization's network insight, each community's
/// participation profile, measures and knowledge sharing, the community's chosen measures, and the
/// administrators' insight settings. Every table is also a CSV download.
struct InsightPages {
    let pollen: Pollen
    let views: ViewRenderer

    func addRoutes(to router: Router<PollenRequestContext>) {
        router.get("/insight") { _, context in try await hub(context) }
        router.get("/insight/network") { _, context in try await network(context) }
        router.get("/insight/network.csv") { request, context in
            try await csv(try networkTables(context), request: request, name: "network")
        }
        router.post("/insight/run") { _, context in try await run(context) }
        router.get("/c/{slug}/insight") { _, context in try await community(context) }
        router.get("/c/{slug}/insight.csv") { request, context in
            let slug = try context.parameters.require("slug")
            return try await csv(try communityTables(context), request: request, name: slug)
        }
        router.get("/c/{slug}/measures") { _, context in try await measuresForm(context) }
        router.post("/c/{slug}/measures") { _, context in try await saveMeasures(context) }
        router.get("/admin/insight") { _, context in try await adminPage(context) }
        router.post("/admin/insight") { _, context in try await saveSettings(context) }
        router.post("/admin/insight/grants") { _, context in try await grant(context) }
        router.post("/admin/insight/grants/{id}/delete") { _, context in
            let id = try ModerationPages.id(context, Member.self)
            try await pollen.revokeNetworkInsight(of: id, by: try context.requireActor())
            return Response.redirect(to: "/admin/insight", flash: "Access to the network insight taken back.")
        }
    }

    // MARK: Formatting

    static func percent(_ value: Double?) -> String { value.map { SVGChart.number($0, unit: .percent) } ?? "–" }
    static func decimal(_ value: Double?, digits: Int = 2) -> String {
        value.map { String(format: "%.\(digits)f", $0) } ?? "–"
    }
    static func month(_ date: Date) -> String { date.formatted(.dateTime.month(.abbreviated).year()) }
    static func week(_ date: Date) -> String { date.formatted(.dateTime.day().month(.abbreviated)) }

    func csv(_ tables: [String: TableView], request: Request, name: String) async throws -> Response {
        let key = request.uri.queryParameters["table"].map(String.init) ?? ""
        if tables.isEmpty { throw DomainError.notFound("Figures") }
        guard let table = tables[key] else {
            throw DomainError.invalid(
                "Choose a table: \(tables.keys.sorted().joined(separator: ", ")).", field: "table")
        }
        let file = "pollen-\(name)-\(key).csv".filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." }
        return NetworkPages.download(table.csvText, filename: file)
    }

    // MARK: Hub

    func hub(_ context: PollenRequestContext) async throws -> Response {
        let viewer = try context.requireViewer()
        let actor = Actor.member(viewer)
        let communities = try await pollen.myCommunities(viewer: actor)
        let mayNetwork = (try? await pollen.organizationInsight(by: actor)) != nil
        let settings = try await pollen.insightSettings(by: actor)
        let page = InsightHubPage(
            layout: Layout(title: "Insight", context: context),
            communities: communities.filter { $0.membership.isActive }.map {
                .init(name: $0.community.name, slug: $0.community.slug, manages: $0.membership.role == .manager)
            },
            hasCommunities: communities.contains { $0.membership.isActive }, mayNetwork: mayNetwork, isAdmin: viewer.isAdmin,
            individualScores: settings.individualScores)
        return views.response(page, template: "insight")
    }

    // MARK: Organization

    func networkTables(_ context: PollenRequestContext) async throws -> [String: TableView] {
        let insight = try await pollen.organizationInsight(by: try context.requireActor())
        return Self.networkTables(insight)
    }

    static func networkTables(_ insight: OrganizationInsight) -> [String: TableView] {
        let csv = "/insight/network.csv?table="
        guard let snapshot = insight.snapshot else { return [:] }
        var tables: [String: TableView] = [
            "units": TableView(
                caption: "Units and how they mix",
                headers: [("Unit", false), ("People", true), ("Ties inside", true), ("Ties outside", true), ("E-I index", true),
                          ("E-I if mixing were random", true), ("Silo", false), ("Brokerage between units", true)],
                rows: snapshot.units.map { unit in
                    [.init(unit.name), .init("\(unit.size)", numeric: true), .init(decimal(unit.internalTies, digits: 1), numeric: true),
                     .init(decimal(unit.externalTies, digits: 1), numeric: true), .init(decimal(unit.ei), numeric: true),
                     .init(decimal(unit.expectedEI), numeric: true), .init(unit.silo ? "yes" : "no"),
                     .init("\(unit.brokerage)", numeric: true)]
                }, csv: csv + "units"),
            "matrix": TableView(
                caption: "Ties from unit (rows) to unit (columns), weighted",
                headers: [("From \\ to", false)] + snapshot.unitNames.map { ($0, true) },
                rows: snapshot.unitNames.indices.map { i in
                    [.init(snapshot.unitNames[i])] + snapshot.matrix[i].map { .init(decimal($0, digits: 1), numeric: true) }
                }, csv: csv + "matrix"),
            "clusters": TableView(
                caption: "Communities found in the network, and the units they draw on",
                headers: [("Community", false), ("People", true), ("Main units", false)],
                rows: snapshot.clusters.enumerated().map { index, cluster in
                    [.init("\(index + 1)"), .init("\(cluster.size)", numeric: true),
                     .init(cluster.units.map { "\($0.unit) \(percent($0.percent))" }.joined(separator: ", "))]
                }, csv: csv + "clusters"),
            "fragile": TableView(
                caption: "Units linked through one or two people",
                headers: [("From unit", false), ("To unit", false), ("People carrying the link", true)],
                rows: snapshot.fragileLinks.map { [.init($0.from), .init($0.to), .init("\($0.people)", numeric: true)] },
                csv: csv + "fragile"),
            "trend": TableView(
                caption: "Trend",
                headers: [("Date", false), ("Cross-unit ties", true), ("E-I overall", true), ("Modularity", true), ("People with ties", true)],
                rows: insight.trend.map { point in
                    [.init(point.at.formatted(date: .numeric, time: .omitted)), .init(percent(point.crossUnitPercent), numeric: true),
                     .init(decimal(point.overallEI), numeric: true), .init(decimal(point.modularity, digits: 3), numeric: true),
                     .init("\(point.connected)", numeric: true)]
                }, csv: csv + "trend"),
        ]
        if insight.individualScores, let brokers = snapshot.brokers {
            tables["brokers"] = TableView(
                caption: "People who broker between units",
                headers: [("Person", false), ("Unit", false), ("Brokerage between units", true), ("Betweenness (estimated)", true)],
                rows: brokers.map { person in
                    [.init(person.name, link: "/@\(person.handle)"), .init(person.unit), .init("\(person.brokerage)", numeric: true),
                     .init(String(format: "%.0f", person.betweenness), numeric: true)]
                }, csv: csv + "brokers")
        }
        return tables
    }

    func network(_ context: PollenRequestContext) async throws -> Response {
        let viewer = try context.requireViewer()
        let insight = try await pollen.organizationInsight(by: .member(viewer))
        let tables = Self.networkTables(insight)
        let run = InsightRunView(lastRun: insight.lastRun, running: insight.running, mayRefresh: true, next: "/insight/network")
        let empty = TableView(caption: "", headers: [], rows: [], csv: nil)
        guard let snapshot = insight.snapshot else {
            let page = NetworkInsightPage(
                layout: Layout(title: "Network insight", context: context), run: run, hasSnapshot: false, figures: [],
                trendCross: nil, trendModularity: nil, trendTable: empty, units: empty, silos: nil, heatMap: nil, matrix: empty, clusters: empty,
                alignment: "", smallClusters: nil, bridges: "", fragile: empty, brokers: nil,
                individualScores: insight.individualScores, isAdmin: viewer.isAdmin)
            return views.response(page, template: "insight_network")
        }
        let silos = snapshot.units.filter(\.silo).map(\.name)
        let labels = insight.trend.map { Self.week($0.at) }
        let cross = insight.trend.map(\.crossUnitPercent)
        let modularity = insight.trend.map { Optional($0.modularity * 100) }
        let page = NetworkInsightPage(
            layout: Layout(title: "Network insight", context: context), run: run, hasSnapshot: true,
            figures: [
                .init(label: "Members", value: "\(snapshot.members)", hint: "active accounts"),
                .init(label: "With ties", value: "\(snapshot.connected)", hint: "follow or interact with someone"),
                .init(label: "Ties", value: "\(snapshot.ties)", hint: "directed pairs"),
                .init(label: "Cross-unit ties", value: Self.percent(snapshot.crossUnitPercent), hint: "of tie weight"),
                .init(label: "E-I overall", value: Self.decimal(snapshot.overallEI), hint: "−1 all inside units, +1 all across"),
                .init(label: "Modularity", value: Self.decimal(snapshot.modularity, digits: 3), hint: "how clustered the network is"),
            ],
            trendCross: insight.trend.count >= 2
                ? SVGChart.runChart(
                    title: "Cross-unit share of ties over time", labels: labels, values: cross,
                    limits: ProcessLimits(values: cross, ceiling: 100), unit: .percent) : nil,
            trendModularity: insight.trend.count >= 2
                ? SVGChart.runChart(
                    title: "Modularity (×100) over time", labels: labels, values: modularity,
                    limits: ProcessLimits(values: modularity, ceiling: 100), unit: .count) : nil,
            trendTable: tables["trend"] ?? empty,
            units: tables["units"] ?? empty,
            silos: silos.isEmpty ? nil : silos.joined(separator: ", "),
            heatMap: snapshot.unitNames.count >= 2 && snapshot.unitNames.count <= 60
                ? SVGChart.heatMap(title: "Ties between units", labels: snapshot.unitNames, values: snapshot.matrix) : nil,
            matrix: tables["matrix"] ?? empty, clusters: tables["clusters"] ?? empty,
            alignment: Self.percent(snapshot.departmentAlignment * 100),
            smallClusters: snapshot.smallClusterPeople > 0
                ? "\(snapshot.smallClusterPeople) people are in small communities (under 5) that are not shown one by one." : nil,
            bridges: "\(snapshot.bridges)", fragile: tables["fragile"] ?? empty, brokers: tables["brokers"],
            individualScores: insight.individualScores, isAdmin: viewer.isAdmin)
        return views.response(page, template: "insight_network")
    }

    func run(_ context: PollenRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let next = AccountPages.safeNext(context.form?["next"], fallback: "/insight")
        let started: AnalyticsRun
        do {
            started = try await pollen.requestAnalyticsRun(by: actor)
        } catch let error as DomainError where error.code == .conflict {
            return Response.redirect(to: next, flash: "The figures are being computed already; reload in a moment.")
        }
        // The run can take a while on a large organization: the page comes back at once and says it is under way.
        let pollen = self.pollen
        Task { try? await pollen.performAnalytics(started) }
        return Response.redirect(to: next, flash: "Computing the figures now; reload in a moment to see them.")
    }

    // MARK: Community

    func communityTables(_ context: PollenRequestContext) async throws -> [String: TableView] {
        let slug = try context.parameters.require("slug")
        let insight = try await pollen.communityInsight(slug: slug, by: try context.requireActor())
        return Self.communityTables(insight)
    }

    static func communityTables(_ insight: CommunityInsight) -> [String: TableView] {
        let csv = "/c/\(insight.community.slug)/insight.csv?table="
        guard let snapshot = insight.snapshot else { return [:] }
        var tables: [String: TableView] = [:]
        tables["roles"] = TableView(
            caption: "Participation profile, last \(snapshot.windowDays) days",
            headers: [("Role", false), ("What counts", false), ("People", true), ("Share of active members", true),
                      ("Target", true), ("Gap", true)],
            rows: snapshot.roles.map { share in
                let target = insight.charter.targetProfile[share.role]
                return [.init(share.role.title), .init(share.role.rule), .init("\(share.members)", numeric: true),
                        .init(percent(share.percent), numeric: true), .init(target.map { percent($0) } ?? "–", numeric: true),
                        .init(target.map { String(format: "%+.0f points", share.percent - $0) } ?? "–", numeric: true)]
            }, csv: csv + "roles")
        for series in snapshot.series {
            tables[series.measure.rawValue] = TableView(
                caption: series.measure.title + " by week",
                headers: [("Week of", false), (series.measure.title, true)],
                rows: zip(series.weeks, series.values).map { week, value in
                    [.init(week.formatted(date: .numeric, time: .omitted)),
                     .init(value.map { SVGChart.number($0, unit: series.measure.unit) } ?? "–", numeric: true)]
                }, csv: csv + series.measure.rawValue)
        }
        let knowledge = snapshot.knowledge
        let nouns = ["thread": "Discussions", "article": "Articles", "wiki": "Wiki pages", "resource": "Resources",
                     "question": "Questions", "answer": "Answers"]
        var rows: [[TableView.Cell]] = []
        for kind in knowledge.kinds {
            let noun = nouns[kind.kind] ?? kind.kind
            rows.append([.init("\(noun) created")] + kind.created.map { .init("\($0)", numeric: true) })
            if kind.kind != "question" && kind.kind != "answer" {
                rows.append([.init("\(noun) read (first reads)")] + kind.reads.map { .init("\($0)", numeric: true) })
            }
        }
        rows.append([.init("Reads of items older than 30 days")] + knowledge.reuse.map { .init(percent($0), numeric: true) })
        rows.append([.init("Questions answered within 7 days")] + knowledge.answeredShare.map { .init(percent($0), numeric: true) })
        rows.append([.init("Median hours to first answer")]
            + knowledge.medianHoursToFirstAnswer.map { .init($0.map { String(format: "%.1f", $0) } ?? "–", numeric: true) })
        tables["knowledge"] = TableView(
            caption: "Knowledge created and used, by month",
            headers: [("", false)] + knowledge.months.map { (month($0), true) }, rows: rows, csv: csv + "knowledge")
        return tables
    }

    func community(_ context: PollenRequestContext) async throws -> Response {
        let slug = try context.parameters.require("slug")
        let insight = try await pollen.communityInsight(slug: slug, by: try context.requireActor())
        let page = Self.communityPage(insight, layout: Layout(title: "Insight · \(insight.community.name)", context: context))
        return views.response(page, template: "insight_community")
    }

    /// The community's insight page; `pollen report` renders the same model offline.
    static func communityPage(_ insight: CommunityInsight, layout: Layout, offline: Bool = false) -> CommunityInsightPage {
        let slug = insight.community.slug
        let tables = communityTables(insight)
        let empty = TableView(caption: "", headers: [], rows: [], csv: nil)
        let snapshot = insight.snapshot
        let measures: [CommunityInsightPage.Measure] = insight.charter.measures.compactMap { choice in
            guard let series = snapshot?.series(of: choice.measure) else { return nil }
            let measure = choice.measure
            let limits = ProcessLimits(values: series.values, ceiling: measure.unit == .percent ? 100 : nil)
            let latest = series.values.last.flatMap { $0 }
            var reading = "Not enough weeks yet to tell routine variation from a signal."
            if let limits {
                let lastIndex = series.values.count - 1
                reading = limits.signals.contains(lastIndex)
                    ? "The latest week is a signal: something changed — worth finding out what."
                    : limits.signals.isEmpty
                        ? "All weeks lie within the process limits: routine variation, nothing to react to."
                        : "\(limits.signals.count) earlier weeks stand out as signals (red rings); the latest is routine."
            }
            return .init(
                id: measure.rawValue, title: measure.title, explanation: measure.explanation,
                chart: SVGChart.runChart(
                    title: "\(measure.title) by week", labels: series.weeks.map(week), values: series.values,
                    limits: limits, unit: measure.unit),
                latest: latest.map { SVGChart.number($0, unit: measure.unit) }, reading: reading,
                target: choice.target.map { SVGChart.number($0, unit: measure.unit) },
                warning: choice.target != nil && measure.isRawActivityCount ? CommunityCharter.countTargetWarning : nil,
                table: tables[measure.rawValue] ?? empty)
        }
        return CommunityInsightPage(
            layout: layout, name: insight.community.name, slug: slug,
            run: InsightRunView(
                lastRun: insight.lastRun, running: insight.running, mayRefresh: insight.mayRefresh && !offline,
                next: "/c/\(slug)/insight"),
            hasSnapshot: snapshot != nil, windowDays: snapshot?.windowDays ?? CommunityAnalysis.windowDays,
            members: snapshot?.members ?? 0, activeMembers: snapshot?.activeMembers ?? 0,
            profileChart: snapshot.map { snapshot in
                // The target beside the actual share once every role has one; a partial target stays in the table,
                // since an empty bar would read as "0% wanted".
                let targets = snapshot.roles.compactMap { insight.charter.targetProfile[$0.role] }
                var series = [SVGChart.Series(
                    name: "Active members in the role", colour: .accent, values: snapshot.roles.map { $0.percent / 100 })]
                if targets.count == snapshot.roles.count {
                    series.append(.init(name: "Target", colour: .slate, values: targets.map { $0 / 100 }))
                }
                return SVGChart.horizontalBars(
                    title: "Participation profile of \(insight.community.name)",
                    summary: snapshot.roles.map { "\($0.role.title) \(percent($0.percent))" }.joined(separator: ", "),
                    labels: snapshot.roles.map(\.role.title), series: series, axis: .percent)
            },
            roles: tables["roles"] ?? empty,
            concentration: snapshot.flatMap { snapshot in
                let c = snapshot.concentration
                guard let top1 = c.top1Percent, let top10 = c.top10Percent else { return nil }
                return "\(c.contributors) people made \(c.contributions) contributions; the most active 1% of them made "
                    + "\(percent(top1)) and the most active 10% made \(percent(top10))."
            },
            purposeHTML: PostRenderer.html(insight.community.purpose, mentions: [], document: true),
            mayEdit: insight.mayEditCharter && !offline, measures: measures, hasMeasures: !measures.isEmpty,
            chosen: insight.charter.measures.isEmpty ? nil : insight.charter.measures.map(\.measure.title).joined(separator: ", "),
            knowledge: tables["knowledge"] ?? empty)
    }

    // MARK: Chosen measures and target profile

    func measuresForm(_ context: PollenRequestContext, form: FormData? = nil, error: DomainError? = nil, warnings: [String] = [])
        async throws -> Response
    {
        let slug = try context.parameters.require("slug")
        let insight = try await pollen.communityInsight(slug: slug, by: try context.requireActor())
        try AccessPolicy.require(insight.mayEditCharter)
        let charter = insight.charter
        let chosen = Dictionary(charter.measures.map { ($0.measure, $0.target) }, uniquingKeysWith: { a, _ in a })
        let page = CharterMeasuresPage(
            layout: Layout(title: "Measures · \(insight.community.name)", context: context, notice: warnings.isEmpty ? nil : "Saved."),
            name: insight.community.name, slug: slug,
            roles: ParticipationRole.allCases.map { role in
                let key = "target_\(role.rawValue)"
                return .init(
                    id: role.rawValue, title: role.title, rule: role.rule,
                    value: form?[key] ?? charter.targetProfile[role].map { SVGChart.number($0) } ?? "",
                    error: error?.field == key ? error?.message : nil)
            },
            measures: MeasureKind.allCases.map { measure in
                let key = "target_\(measure.rawValue)"
                let checked = form.map { $0.all("measure").contains(measure.rawValue) } ?? (chosen[measure] != nil)
                return .init(
                    id: measure.rawValue, title: measure.title, explanation: measure.explanation,
                    unit: measure.unit == .percent ? "%" : measure.unit == .hours ? "hours" : "per week",
                    isCount: measure.isRawActivityCount, checked: checked,
                    target: form?[key] ?? (chosen[measure] ?? nil).map { SVGChart.number($0) } ?? "",
                    error: error?.field == key ? error?.message : nil)
            },
            formError: error?.message, warnings: warnings, hasWarnings: !warnings.isEmpty,
            countWarning: CommunityCharter.countTargetWarning)
        return views.response(page, template: "insight_measures", status: error.map { ErrorMiddleware.status($0.code) } ?? .ok)
    }

    func saveMeasures(_ context: PollenRequestContext) async throws -> Response {
        let slug = try context.parameters.require("slug")
        let form = context.form ?? FormData()
        do {
            func number(_ key: String, _ what: String) throws -> Double? {
                let raw = (form[key] ?? "").trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "%", with: "")
                if raw.isEmpty { return nil }
                guard let value = Double(raw), value.isFinite else {
                    throw DomainError.invalid("\(what) must be a number.", field: key)
                }
                return value
            }
            var profile: [ParticipationRole: Double] = [:]
            for role in ParticipationRole.allCases {
                profile[role] = try number("target_\(role.rawValue)", "The target for \(role.title)")
            }
            var measures: [CommunityCharter.Choice] = []
            for raw in form.all("measure").uniqued() {
                guard let measure = MeasureKind(rawValue: raw) else {
                    throw DomainError.invalid("There is no measure “\(raw)”.", field: "measures")
                }
                measures.append(.init(measure: measure, target: try number("target_\(raw)", "The hoped-for value of \(measure.title)")))
            }
            let charter = try await pollen.updateCharter(
                slug: slug, targetProfile: profile, measures: measures, by: try context.requireActor())
            if !charter.countTargets.isEmpty {
                // Saved, as the community decided; the page says plainly why a count is a poor target.
                return try await measuresForm(
                    context, warnings: charter.countTargets.map { "\($0.measure.title) has a target." })
            }
            return Response.redirect(to: "/c/\(slug)/insight", flash: "Measures and target profile saved.")
        } catch let error as DomainError where error.code == .invalidInput {
            return try await measuresForm(context, form: form, error: error)
        }
    }

    // MARK: Administration

    func adminPage(_ context: PollenRequestContext, form: FormData? = nil, error: DomainError? = nil) async throws -> Response {
        let actor = try context.requireActor()
        let grants = try await pollen.networkInsightGrants(by: actor)
        let settings = try await pollen.insightSettings(by: actor)
        let insight = try await pollen.organizationInsight(by: actor)
        let page = AdminInsightPage(
            layout: Layout(title: "Insight · Administration", context: context), tabs: AdminTabs(insight: true),
            individualScores: form.map { $0["individual_scores"] == "1" } ?? settings.individualScores,
            refreshHours: Field.from(form, "refresh_hours", default: "\(settings.refreshHours)", error: error),
            grants: grants.map {
                .init(
                    memberID: "\($0.member.id.rawValue)", handle: $0.member.handle, name: $0.member.profile.displayName,
                    since: $0.grant.grantedAt.formatted(date: .abbreviated, time: .omitted))
            },
            hasGrants: !grants.isEmpty, handle: Field.from(form, "handle", error: error), formError: error?.message,
            run: InsightRunView(lastRun: insight.lastRun, running: insight.running, mayRefresh: true, next: "/admin/insight"))
        return views.response(page, template: "admin_insight", status: error.map { ErrorMiddleware.status($0.code) } ?? .ok)
    }

    func saveSettings(_ context: PollenRequestContext) async throws -> Response {
        let form = context.form ?? FormData()
        do {
            guard let hours = Int((form["refresh_hours"] ?? "").trimmingCharacters(in: .whitespaces)) else {
                throw DomainError.invalid("Give the hours between runs as a whole number.", field: "refresh_hours")
            }
            try await pollen.updateInsightSettings(
                InsightSettings(individualScores: form["individual_scores"] == "1", refreshHours: hours),
                by: try context.requireActor())
            return Response.redirect(to: "/admin/insight", flash: "Insight settings saved.")
        } catch let error as DomainError where error.code == .invalidInput {
            return try await adminPage(context, form: form, error: error)
        }
    }

    func grant(_ context: PollenRequestContext) async throws -> Response {
        let form = context.form ?? FormData()
        do {
            let member = try await pollen.grantNetworkInsight(handle: form["handle"] ?? "", by: try context.requireActor())
            return Response.redirect(to: "/admin/insight", flash: "@\(member.handle) now sees the network insight.")
        } catch let error as DomainError where error.code == .invalidInput || error.code == .conflict {
            return try await adminPage(context, form: form, error: DomainError.invalid(error.message, field: "handle"))
        }
    }
}
