import Foundation

/// One member as the analytics see them: where they sit in the organization, nothing they wrote.
public struct InsightMember: Sendable, Equatable {
    public let id: Member.ID
    public let handle: String
    public let displayName: String
    public let department: String
    public let location: String
    public let joinedAt: Date

    public init(id: Member.ID, handle: String, displayName: String, department: String, location: String, joinedAt: Date) {
        self.id = id
        self.handle = handle
        self.displayName = displayName
        self.department = department
        self.location = location
        self.joinedAt = joinedAt
    }
}

/// A directed tie between two members: a follow (standing) or one interaction (an event that fades).
public struct Interaction: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable, Codable {
        case follow, reply, mention, reshare, favourite, answer, comment
    }

    public let from: Member.ID
    public let to: Member.ID
    public let kind: Kind
    public let at: Date

    public init(from: Member.ID, to: Member.ID, kind: Kind, at: Date) {
        self.from = from
        self.to = to
        self.kind = kind
        self.at = at
    }
}

/// One thing a member did in a community — the raw material of participation profiles, measures and the
/// knowledge-sharing figures. Only kinds of acts and times are read: never what anybody wrote.
public struct ActivityEvent: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable, Codable {
        /// Opened a community item for the first time (`contentKind` is the item's kind, `contextAt` its publication).
        case read
        /// Saved (favourited) an item.
        case save
        /// Rated an item or voted on an answer.
        case rate
        /// Published an item (`contentKind`: thread, article, wiki, resource).
        case create
        /// Commented on an item (`counterpart`: its author, `contextAt`: when it was published).
        case comment
        /// Asked a question in the community (`extraAt`: its first answer, if any).
        case ask
        /// Answered a question (`counterpart`: the asker, `contextAt`: when it was asked, `extraAt`: its first answer).
        case answer
        /// Forwarded a question to someone (`counterpart`: who it reached).
        case forward
        /// Reshared a post by a fellow member of the community to their own followers (`counterpart`: its author,
        /// `content`: the post). Posts belong to no community, so a reshare counts in every community both share.
        case reshare
        /// Moderated or looked after the community's content (audit log: decisions, policies, health marks).
        case moderate
        /// Featured an item.
        case curate
        /// Recorded a value-creation story about the community.
        case story
    }

    public let member: Member.ID
    public let community: Community.ID
    public let kind: Kind
    public let at: Date
    /// The item or question acted on (0 when none).
    public let content: Int64
    /// The item's kind for reads and creations; "question" / "answer" for Q&A; empty otherwise.
    public let contentKind: String
    public let counterpart: Member.ID?
    public let contextAt: Date?
    public let extraAt: Date?

    public init(
        member: Member.ID, community: Community.ID, kind: Kind, at: Date, content: Int64 = 0, contentKind: String = "",
        counterpart: Member.ID? = nil, contextAt: Date? = nil, extraAt: Date? = nil
    ) {
        self.member = member
        self.community = community
        self.kind = kind
        self.at = at
        self.content = content
        self.contentKind = contentKind
        self.counterpart = counterpart
        self.contextAt = contextAt
        self.extraAt = extraAt
    }
}

/// An active membership of a community, with when it began (newcomers are welcomed by caretakers).
public struct InsightMembership: Sendable, Equatable {
    public let community: Community.ID
    public let member: Member.ID
    public let role: CommunityMember.Role
    public let since: Date

    public init(community: Community.ID, member: Member.ID, role: CommunityMember.Role, since: Date) {
        self.community = community
        self.member = member
        self.role = role
        self.since = since
    }
}

/// One run of the analytics job.
public struct AnalyticsRun: Sendable, Equatable, Identifiable {
    public typealias ID = EntityID<AnalyticsRun>
    public enum Trigger: String, Sendable, Codable {
        case schedule, request, backfill
    }
    public enum Status: String, Sendable, Codable {
        case running, finished, failed
    }

    public let id: ID
    public let trigger: Trigger
    public let requestedBy: Member.ID?
    public let startedAt: Date
    public var finishedAt: Date?
    public var status: Status
    public var error: String

    public init(
        id: ID, trigger: Trigger, requestedBy: Member.ID?, startedAt: Date, finishedAt: Date? = nil,
        status: Status = .running, error: String = ""
    ) {
        self.id = id
        self.trigger = trigger
        self.requestedBy = requestedBy
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.status = status
        self.error = error
    }
}

/// A stored result of a run for one scope (`org`, `community:ID`), as JSON made by the use cases.
public struct AnalyticsSnapshot: Sendable, Equatable {
    public let runID: AnalyticsRun.ID
    public let scope: String
    /// The moment the figures describe (a backfilled snapshot describes a past week).
    public let computedAt: Date
    public let body: Data

    public init(runID: AnalyticsRun.ID, scope: String, computedAt: Date, body: Data) {
        self.runID = runID
        self.scope = scope
        self.computedAt = computedAt
        self.body = body
    }
}

/// Someone an administrator allowed to see the organization's network insight.
public struct InsightGrant: Sendable, Equatable {
    public let member: Member.ID
    public let grantedBy: Member.ID?
    public let grantedAt: Date

    public init(member: Member.ID, grantedBy: Member.ID?, grantedAt: Date) {
        self.member = member
        self.grantedBy = grantedBy
        self.grantedAt = grantedAt
    }
}

/// What the analytics read and keep. Reads are bulk and in id order so a run is a handful of queries.
public protocol InsightRepository: Sendable {
    /// Active (not suspended) members.
    func members() async throws -> [InsightMember]
    /// Every follow, and every interaction since `since`, between active members; self-interactions left out.
    func interactions(since: Date) async throws -> [Interaction]
    /// What members did in communities since `since`.
    func activity(since: Date) async throws -> [ActivityEvent]
    /// Active memberships of every community.
    func memberships() async throws -> [InsightMembership]
    /// Every community, in id order.
    func communities() async throws -> [Community]

    func insertRun(_ run: AnalyticsRun) async throws
    func updateRun(_ run: AnalyticsRun) async throws
    func latestRun(finishedOnly: Bool) async throws -> AnalyticsRun?
    /// Marks runs left `running` by a server that stopped as failed.
    func abandonRuns(before: Date) async throws -> Int
    func insertSnapshot(_ snapshot: AnalyticsSnapshot) async throws
    func latestSnapshot(scope: String) async throws -> AnalyticsSnapshot?
    /// The scope's snapshots, oldest first, at most `limit` of the latest.
    func snapshots(scope: String, limit: Int) async throws -> [AnalyticsSnapshot]
    /// Drops snapshots computed before `before`; returns how many.
    func pruneSnapshots(before: Date) async throws -> Int

    func grants() async throws -> [InsightGrant]
    func isGranted(_ member: Member.ID) async throws -> Bool
    func grant(_ grant: InsightGrant) async throws
    func revokeGrant(of member: Member.ID) async throws -> Bool

    func charter(of community: Community.ID) async throws -> CommunityCharter?
    func saveCharter(_ charter: CommunityCharter) async throws
}
