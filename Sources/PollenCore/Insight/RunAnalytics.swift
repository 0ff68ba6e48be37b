import Foundation

extension AccessPolicy {
    /// The organization's network insight: administrators, and the people they granted it to.
    public static func maySeeNetworkInsight(_ actor: Actor, granted: Bool) -> Bool {
        switch actor {
        case .system: true
        case .member(let member): !member.isSuspended && (member.isAdmin || granted)
        case .app: false
        }
    }

    /// A community's insight (participation, measures, knowledge sharing, charter): whoever may read the
    /// community — it describes the community as a whole, never one person.
    public static func maySeeInsight(of community: Community, membership: CommunityMember?, viewer: Member) -> Bool {
        !viewer.isSuspended && mayRead(community, membership: membership, viewer: viewer)
    }

    /// Setting the charter's target profile and measures: the community's managers and administrators.
    public static func mayEditCharter(of community: Community, membership: CommunityMember?, by viewer: Member) -> Bool {
        mayManage(community, membership: membership, by: viewer)
    }
}

extension Pollen {
    /// A run asked for while another is under way waits for it; one started longer ago than this is taken to have
    /// died with its server.
    static let analyticsRunTimeout: TimeInterval = 30 * 60
    /// Runs kept: a year of daily trend points.
    static let analyticsRetentionDays = 400

    static func snapshotScope(_ community: Community.ID) -> String { "community:\(community.rawValue)" }
    static let organizationScope = "org"

    /// Starts a run asked for from a page: administrators, people granted the insight, and community managers
    /// (for whom it refreshes their community's figures). Returns the run to hand to ``performAnalytics(_:)``.
    public func requestAnalyticsRun(by actor: Actor) async throws -> AnalyticsRun {
        guard case .member(let member) = actor else {
            try AccessPolicy.require(AccessPolicy.maySeeNetworkInsight(actor, granted: false))
            return try await startAnalyticsRun(trigger: .request, by: nil)
        }
        let allowed = try await store.read { repos in
            if AccessPolicy.maySeeNetworkInsight(actor, granted: try await repos.insight.isGranted(member.id)) { return true }
            return try await repos.communities.communities(of: member.id).contains {
                AccessPolicy.mayManage($0.community, membership: $0.membership, by: member)
            }
        }
        try AccessPolicy.require(allowed)
        return try await startAnalyticsRun(trigger: .request, by: member.id)
    }

    /// Records a run as started unless one is already under way (then that one is returned: asking twice
    /// does not compute twice).
    func startAnalyticsRun(trigger: AnalyticsRun.Trigger, by member: Member.ID?) async throws -> AnalyticsRun {
        let now = time.now()
        let id = AnalyticsRun.ID(ids.next())
        let timeout = Self.analyticsRunTimeout
        return try await store.write { repos in
            _ = try await repos.insight.abandonRuns(before: now.addingTimeInterval(-timeout))
            if let latest = try await repos.insight.latestRun(finishedOnly: false), latest.status == .running {
                throw DomainError(.conflict, "The figures are being computed already (since \(latest.startedAt)).")
            }
            let run = AnalyticsRun(id: id, trigger: trigger, requestedBy: member, startedAt: now)
            try await repos.insight.insertRun(run)
            return run
        }
    }

    /// The scheduled job: runs when the last finished run is older than the configured interval.
    /// Returns the run it made, if any.
    @discardableResult
    public func runScheduledAnalytics() async throws -> AnalyticsRun? {
        let now = time.now()
        let due = try await store.read { repos -> Bool in
            let hours = try await repos.settings.load().insight.refreshHours
            guard let last = try await repos.insight.latestRun(finishedOnly: true) else { return true }
            return now.timeIntervalSince(last.startedAt) >= Double(hours) * 3600 - 60
        }
        guard due else { return nil }
        let run: AnalyticsRun
        do { run = try await startAnalyticsRun(trigger: .schedule, by: nil) } catch let error as DomainError
            where error.code == .conflict
        { return nil }
        return try await performAnalytics(run)
    }

    /// Computes every snapshot of a started run and stores them; the run ends finished, or failed with the reason.
    @discardableResult
    public func performAnalytics(_ run: AnalyticsRun) async throws -> AnalyticsRun {
        let now = run.startedAt
        do {
            let horizon = now.addingTimeInterval(-Double(OrganizationAnalysis.horizonDays) * 86_400)
            let activitySince = now.addingTimeInterval(-400 * 86_400)
            let data = try await store.read { repos in
                (
                    members: try await repos.insight.members(),
                    interactions: try await repos.insight.interactions(since: horizon),
                    activity: try await repos.insight.activity(since: activitySince),
                    memberships: try await repos.insight.memberships(),
                    communities: try await repos.insight.communities(),
                    settings: try await repos.settings.load().insight,
                    history: try await repos.insight.snapshots(scope: Self.organizationScope, limit: 2).count
                )
            }
            var snapshots: [AnalyticsSnapshot] = []
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .secondsSince1970
            encoder.outputFormatting = .sortedKeys
            let organization = OrganizationAnalysis.snapshot(
                members: data.members, interactions: data.interactions, now: now,
                individualScores: data.settings.individualScores)
            snapshots.append(.init(
                runID: run.id, scope: Self.organizationScope, computedAt: now, body: try encoder.encode(organization)))
            // The first runs fill in the trend with the twelve weeks before them, from the same stored activity,
            // so the trend charts mean something from the start.
            if data.history < 2 {
                for weeks in 1...12 {
                    let then = now.addingTimeInterval(-Double(weeks) * 7 * 86_400)
                    let past = OrganizationAnalysis.snapshot(
                        members: data.members.filter { $0.joinedAt <= then }, interactions: data.interactions, now: then,
                        individualScores: false, light: true)
                    snapshots.append(.init(
                        runID: run.id, scope: Self.organizationScope, computedAt: then, body: try encoder.encode(past)))
                }
            }
            let departments = Dictionary(data.members.map { ($0.id, $0.department) }, uniquingKeysWith: { a, _ in a })
            let eventsByCommunity = Dictionary(grouping: data.activity, by: \.community)
            let membershipsByCommunity = Dictionary(grouping: data.memberships, by: \.community)
            for community in data.communities {
                let snapshot = CommunityAnalysis.snapshot(
                    createdAt: community.createdAt, events: eventsByCommunity[community.id] ?? [],
                    memberships: membershipsByCommunity[community.id] ?? [], departments: departments, now: now)
                snapshots.append(.init(
                    runID: run.id, scope: Self.snapshotScope(community.id), computedAt: now,
                    body: try encoder.encode(snapshot)))
            }
            let finished = time.now()
            let retention = Double(Self.analyticsRetentionDays) * 86_400
            let stored = snapshots
            return try await store.write { repos in
                for snapshot in stored { try await repos.insight.insertSnapshot(snapshot) }
                _ = try await repos.insight.pruneSnapshots(before: finished.addingTimeInterval(-retention))
                var done = run
                done.status = .finished
                done.finishedAt = finished
                try await repos.insight.updateRun(done)
                return done
            }
        } catch {
            var failed = run
            failed.status = .failed
            failed.finishedAt = time.now()
            failed.error = String(describing: error).prefix(500).description
            let record = failed
            try? await store.write { repos in try await repos.insight.updateRun(record) }
            throw error
        }
    }
}
