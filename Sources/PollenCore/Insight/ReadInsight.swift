import Foundation

/// The organization's network insight as a page shows it.
public struct OrganizationInsight: Sendable {
    public struct TrendPoint: Sendable, Equatable {
        public let at: Date
        public let modularity: Double
        public let overallEI: Double?
        public let crossUnitPercent: Double?
        public let connected: Int
    }

    public let snapshot: OrganizationSnapshot?
    public let trend: [TrendPoint]
    public let lastRun: AnalyticsRun?
    public let running: Bool
    /// What the organization decided now; named people stay hidden when it is off, whatever a run stored.
    public let individualScores: Bool
}

/// A community's insight as its page shows it.
public struct CommunityInsight: Sendable {
    public let community: Community
    public let snapshot: CommunitySnapshot?
    public let charter: CommunityCharter
    public let lastRun: AnalyticsRun?
    public let running: Bool
    public let mayEditCharter: Bool
    public let mayRefresh: Bool
}

extension Pollen {
    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }

    public func organizationInsight(by actor: Actor) async throws -> OrganizationInsight {
        try await store.read { repos in
            var granted = false
            if let member = actor.member { granted = try await repos.insight.isGranted(member.id) }
            try AccessPolicy.require(AccessPolicy.maySeeNetworkInsight(actor, granted: granted))
            let settings = try await repos.settings.load().insight
            let decoder = Self.decoder()
            let stored = try await repos.insight.snapshots(scope: Self.organizationScope, limit: Self.analyticsRetentionDays)
            let snapshots = stored.compactMap { try? decoder.decode(OrganizationSnapshot.self, from: $0.body) }
            var latest = try await repos.insight.latestSnapshot(scope: Self.organizationScope).flatMap {
                try? decoder.decode(OrganizationSnapshot.self, from: $0.body)
            }
            if !settings.individualScores { latest?.brokers = nil }
            let lastRun = try await repos.insight.latestRun(finishedOnly: true)
            let current = try await repos.insight.latestRun(finishedOnly: false)
            return OrganizationInsight(
                snapshot: latest,
                trend: snapshots.map {
                    .init(
                        at: $0.computedAt, modularity: $0.modularity, overallEI: $0.overallEI,
                        crossUnitPercent: $0.crossUnitPercent, connected: $0.connected)
                },
                lastRun: lastRun, running: current?.status == .running, individualScores: settings.individualScores)
        }
    }

    /// A community's insight for a member who may read the community, or for the operator (`pollen report`).
    public func communityInsight(slug: String, by actor: Actor) async throws -> CommunityInsight {
        let viewer = actor.member
        guard viewer != nil || AccessPolicy.mayAdminister(actor) else { throw DomainError.notAllowed }
        let now = time.now()
        return try await store.read { repos in
            guard let community = try await repos.communities.find(slug: slug) else { throw DomainError.notFound("Community") }
            var mayEdit = true, mayRefresh = true
            if let viewer {
                let membership = try await repos.communities.membership(of: viewer.id, in: community.id)
                guard AccessPolicy.maySee(community, membership: membership, viewer: viewer) else {
                    throw DomainError.notFound("Community")
                }
                try AccessPolicy.require(AccessPolicy.maySeeInsight(of: community, membership: membership, viewer: viewer))
                mayEdit = AccessPolicy.mayEditCharter(of: community, membership: membership, by: viewer)
                let granted = try await repos.insight.isGranted(viewer.id)
                mayRefresh = mayEdit || AccessPolicy.maySeeNetworkInsight(actor, granted: granted)
            }
            let snapshot = try await repos.insight.latestSnapshot(scope: Self.snapshotScope(community.id)).flatMap {
                try? Self.decoder().decode(CommunitySnapshot.self, from: $0.body)
            }
            return CommunityInsight(
                community: community, snapshot: snapshot,
                charter: try await repos.insight.charter(of: community.id) ?? CommunityCharter(community: community.id, updatedAt: now),
                lastRun: try await repos.insight.latestRun(finishedOnly: true),
                running: try await repos.insight.latestRun(finishedOnly: false)?.status == .running,
                mayEditCharter: mayEdit, mayRefresh: mayRefresh)
        }
    }

    /// Saves a community's target profile and chosen measures. Returns the charter; a target set on a raw
    /// activity count is allowed (the community decides) but comes back in ``CommunityCharter/countTargets`` so
    /// the page can say why it is a poor idea.
    public func updateCharter(
        slug: String, targetProfile: [ParticipationRole: Double], measures: [CommunityCharter.Choice], by actor: Actor
    ) async throws -> CommunityCharter {
        guard let editor = actor.member else { throw DomainError.notAllowed }
        for (role, percent) in targetProfile where !(percent.isFinite && (0...100).contains(percent)) {
            throw DomainError.invalid("The target for \(role.title) must be a percentage from 0 to 100.", field: "target_\(role.rawValue)")
        }
        guard measures.count <= MeasureKind.allCases.count,
            Set(measures.map(\.measure)).count == measures.count
        else { throw DomainError.invalid("Pick each measure at most once.", field: "measures") }
        for choice in measures {
            guard let target = choice.target else { continue }
            let field = "target_\(choice.measure.rawValue)"
            guard target.isFinite, target >= 0 else {
                throw DomainError.invalid("The hoped-for value of \(choice.measure.title) must be a number, 0 or more.", field: field)
            }
            if choice.measure.unit == .percent && target > 100 {
                throw DomainError.invalid("\(choice.measure.title) is a percentage: hope for 100 at most.", field: field)
            }
        }
        let now = time.now()
        let auditID = ids.next()
        return try await store.write { repos in
            guard let community = try await repos.communities.find(slug: slug) else { throw DomainError.notFound("Community") }
            let membership = try await repos.communities.membership(of: editor.id, in: community.id)
            guard AccessPolicy.maySee(community, membership: membership, viewer: editor) else {
                throw DomainError.notFound("Community")
            }
            try AccessPolicy.require(AccessPolicy.mayEditCharter(of: community, membership: membership, by: editor))
            let charter = CommunityCharter(
                community: community.id, targetProfile: targetProfile, measures: measures, updatedBy: editor.id, updatedAt: now)
            try await repos.insight.saveCharter(charter)
            try await repos.moderation.insertAudit(AuditEntry(
                id: AuditEntry.ID(auditID), actorID: editor.id, action: "charter.update", target: "community:\(community.id.rawValue)",
                summary: "\(community.name): " + (measures.map(\.measure.title).joined(separator: ", ").nilIfEmpty ?? "no measures"),
                communityID: community.id, createdAt: now))
            return charter
        }
    }

    /// Who besides administrators sees the organization's network insight.
    public func networkInsightGrants(by actor: Actor) async throws -> [(grant: InsightGrant, member: Member)] {
        try AccessPolicy.require(AccessPolicy.mayAdminister(actor))
        return try await store.read { repos in
            var rows: [(grant: InsightGrant, member: Member)] = []
            for grant in try await repos.insight.grants() {
                if let member = try await repos.members.find(id: grant.member) { rows.append((grant, member)) }
            }
            return rows
        }
    }

    public func grantNetworkInsight(handle: String, by actor: Actor) async throws -> Member {
        try AccessPolicy.require(AccessPolicy.mayAdminister(actor))
        let name = handle.trimmingCharacters(in: .whitespaces).trimmingPrefix("@").description
        guard !name.isEmpty else { throw DomainError.invalid("Name the member by their handle.", field: "handle") }
        let now = time.now()
        let auditID = ids.next()
        return try await store.write { repos in
            guard let member = try await repos.members.find(handle: name), !member.isSuspended else {
                throw DomainError.invalid("There is no active member @\(name).", field: "handle")
            }
            if member.isAdmin { throw DomainError.invalid("@\(member.handle) is an administrator and sees it already.", field: "handle") }
            guard try await !repos.insight.isGranted(member.id) else {
                throw DomainError(.conflict, "@\(member.handle) sees the network insight already.")
            }
            try await repos.insight.grant(InsightGrant(member: member.id, grantedBy: actor.member?.id, grantedAt: now))
            try await Self.audit(
                "insight.grant", target: "member:\(member.id.rawValue)", summary: "@\(member.handle)", by: actor, id: auditID,
                at: now, repos: repos)
            return member
        }
    }

    public func revokeNetworkInsight(of memberID: Member.ID, by actor: Actor) async throws {
        try AccessPolicy.require(AccessPolicy.mayAdminister(actor))
        let now = time.now()
        let auditID = ids.next()
        try await store.write { repos in
            guard try await repos.insight.revokeGrant(of: memberID) else { throw DomainError.notFound("Grant") }
            let handle = try await repos.members.find(id: memberID)?.handle ?? "\(memberID.rawValue)"
            try await Self.audit(
                "insight.revoke", target: "member:\(memberID.rawValue)", summary: "@\(handle)", by: actor, id: auditID, at: now,
                repos: repos)
        }
    }

    /// How the organization set its insight: every member may know whether named people are shown.
    public func insightSettings(by actor: Actor) async throws -> InsightSettings {
        guard actor.member != nil || AccessPolicy.mayAdminister(actor) else { throw DomainError.notAllowed }
        return try await store.read { repos in try await repos.settings.load().insight }
    }

    public func updateInsightSettings(_ settings: InsightSettings, by actor: Actor) async throws {
        try AccessPolicy.require(AccessPolicy.mayAdminister(actor))
        guard (1...168).contains(settings.refreshHours) else {
            throw DomainError.invalid("Run the analytics every 1 to 168 hours.", field: "refresh_hours")
        }
        let now = time.now()
        let auditID = ids.next()
        try await store.write { repos in
            var server = try await repos.settings.load()
            server.insight = settings
            try await repos.settings.save(server)
            try await Self.audit(
                "settings.insight", target: "settings",
                summary: "individual scores \(settings.individualScores ? "shown" : "hidden"), every \(settings.refreshHours) h",
                by: actor, id: auditID, at: now, repos: repos)
        }
    }
}
