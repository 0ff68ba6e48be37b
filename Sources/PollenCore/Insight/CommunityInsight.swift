import Foundation
import PollenAnalytics

/// What the analytics job found for one community: who takes part how, its measures week by week and how
/// knowledge is shared and used. Stored as JSON per run; pages and `pollen report` read it.
public struct CommunitySnapshot: Sendable, Equatable, Codable {
    public struct RoleShare: Sendable, Equatable, Codable {
        public var role: ParticipationRole
        public var members: Int
        /// Percent of active members.
        public var percent: Double
    }

    public struct Concentration: Sendable, Equatable, Codable {
        public var contributors: Int
        public var contributions: Int
        /// Share (percent) of contributions made by the top 1% and 10% of contributors; nil without contributions.
        public var top1Percent: Double?
        public var top10Percent: Double?
    }

    public struct Series: Sendable, Equatable, Codable {
        public var measure: MeasureKind
        /// Each week's Monday (UTC).
        public var weeks: [Date]
        /// nil where the week had nothing to measure (no questions asked, no interactions).
        public var values: [Double?]
    }

    public struct KindRow: Sendable, Equatable, Codable {
        /// thread, article, wiki, resource, question or answer.
        public var kind: String
        public var created: [Int]
        /// First reads per month (items only: Pollen records item reads, not question views).
        public var reads: [Int]
    }

    public struct Knowledge: Sendable, Equatable, Codable {
        /// First day of each month (UTC); the last is the current, partial month.
        public var months: [Date]
        public var kinds: [KindRow]
        /// Share (percent) of each month's reads that went to items older than 30 days.
        public var reuse: [Double?]
        public var asked: [Int]
        /// Percent of the month's questions answered within 7 days (questions asked in the last week still count as open).
        public var answeredShare: [Double?]
        public var medianHoursToFirstAnswer: [Double?]
    }

    public var computedAt: Date
    public var windowDays: Int
    public var members: Int
    public var activeMembers: Int
    public var roles: [RoleShare]
    public var concentration: Concentration
    public var series: [Series]
    public var knowledge: Knowledge

    public func share(of role: ParticipationRole) -> RoleShare? { roles.first { $0.role == role } }
    public func series(of measure: MeasureKind) -> Series? { series.first { $0.measure == measure } }
}

/// Natural process limits of an XmR chart: the centre line is the mean, the limits lie 2.66 average moving
/// ranges either side. Points inside are routine variation; outside, or eight in a row on one side, a signal.
public struct ProcessLimits: Sendable, Equatable {
    public var centre: Double
    public var lower: Double
    public var upper: Double
    /// Indexes (into the series) of points that are signals.
    public var signals: Set<Int>

    public init?(values: [Double?], floor: Double? = 0, ceiling: Double? = nil) {
        let present = values.enumerated().compactMap { index, value in value.map { (index, $0) } }
        guard present.count >= 2 else { return nil }
        let mean = present.map(\.1).reduce(0, +) / Double(present.count)
        var ranges: [Double] = []
        for i in 1..<present.count { ranges.append(abs(present[i].1 - present[i - 1].1)) }
        let movingRange = ranges.reduce(0, +) / Double(ranges.count)
        centre = mean
        lower = mean - 2.66 * movingRange
        upper = mean + 2.66 * movingRange
        if let floor { lower = max(lower, floor) }
        if let ceiling { upper = min(upper, ceiling) }
        var signals = Set<Int>()
        for (index, value) in present where value < lower - 1e-9 || value > upper + 1e-9 { signals.insert(index) }
        // Eight successive points on one side of the centre line.
        var run: [Int] = []
        var side = 0
        for (index, value) in present {
            let here = value > mean + 1e-12 ? 1 : value < mean - 1e-12 ? -1 : 0
            if here != 0 && here == side { run.append(index) } else { run = here == 0 ? [] : [index]; side = here }
            if run.count >= 8 { signals.formUnion(run) }
        }
        self.signals = signals
    }
}

/// The computations behind ``CommunitySnapshot``; pure functions of the events, so tests craft the events.
public enum CommunityAnalysis {
    public static let windowDays = 90
    public static let weeksShown = 26
    public static let monthsShown = 12
    /// A question unanswered this long is "long unanswered"; answering it first is caretaking.
    public static let longUnanswered: TimeInterval = 7 * 86_400
    /// A member is a newcomer for this long after joining.
    public static let newcomerPeriod: TimeInterval = 30 * 86_400

    static var calendar: Calendar {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }

    /// Each member's roles over the window (`events` may reach further back; only the window counts).
    public static func roles(
        events: [ActivityEvent], memberships: [InsightMembership], departments: [Member.ID: String], now: Date
    ) -> [Member.ID: Set<ParticipationRole>] {
        let start = now.addingTimeInterval(-Double(windowDays) * 86_400)
        let recent = events.filter { $0.at >= start && $0.at <= now }
        let joined = Dictionary(memberships.map { ($0.member, $0.since) }, uniquingKeysWith: min)
        var roles: [Member.ID: Set<ParticipationRole>] = [:]
        func add(_ member: Member.ID, _ role: ParticipationRole?) {
            // Without a role the member still counts as active.
            if let role { roles[member, default: []].insert(role) } else if roles[member] == nil { roles[member] = [] }
        }
        let answered = Set(recent.filter { $0.kind == .answer }.map { AnswerKey(member: $0.member, question: $0.content) })
        for event in recent {
            switch event.kind {
            case .read, .save, .rate: add(event.member, .consumer)
            case .create, .ask: add(event.member, .creator)
            case .answer:
                add(event.member, .creator)
                if let asked = event.contextAt, event.extraAt == event.at, event.at.timeIntervalSince(asked) >= longUnanswered,
                    event.counterpart != event.member
                {
                    add(event.member, .caretaker)
                }
                if welcomes(event, joined: joined) { add(event.member, .caretaker) }
            case .comment:
                add(event.member, nil)
                if welcomes(event, joined: joined) { add(event.member, .caretaker) }
            case .forward:
                add(event.member, nil)
                if let reached = event.counterpart {
                    if answered.contains(AnswerKey(member: reached, question: event.content)) { add(event.member, .connector) }
                    if let from = departments[event.member], let to = departments[reached], !from.isEmpty, !to.isEmpty,
                        from != to
                    {
                        add(event.member, .carrier)
                    }
                }
            case .reshare:
                // Carrying a creator's post to one's own followers, from another department: it reaches people the
                // author's own unit would not.
                add(event.member, nil)
                if let author = event.counterpart, let from = departments[author], let to = departments[event.member],
                    !from.isEmpty, !to.isEmpty, from != to
                {
                    add(event.member, .carrier)
                }
            case .moderate, .curate: add(event.member, .caretaker)
            // Telling what the community's knowledge changed is taking part, in no role of the five.
            case .story: add(event.member, nil)
            }
        }
        for broker in brokers(recent, departments: departments) { add(broker, .connector) }
        return roles
    }

    private struct AnswerKey: Hashable {
        let member: Member.ID
        let question: Int64
    }

    /// A comment or answer to a newcomer's contribution, made by someone else.
    private static func welcomes(_ event: ActivityEvent, joined: [Member.ID: Date]) -> Bool {
        guard let author = event.counterpart, author != event.member, let contentAt = event.contextAt,
            let since = joined[author]
        else { return false }
        return contentAt >= since && contentAt.timeIntervalSince(since) <= newcomerPeriod
    }

    /// The acts that tie one member to another in the community's interaction graph.
    static let tieKinds: Set<ActivityEvent.Kind> = [.comment, .answer, .forward, .reshare]

    /// Members who sit on two-paths between people of different departments with no direct tie: the
    /// community's interaction graph (comments, answers, forwards, reshares) under Gould–Fernandez, all roles but
    /// coordinator (which stays inside one department).
    static func brokers(_ events: [ActivityEvent], departments: [Member.ID: String]) -> Set<Member.ID> {
        var index: [Member.ID: Int32] = [:]
        var ids: [Member.ID] = []
        var sources: [Int32] = [], targets: [Int32] = []
        func node(_ member: Member.ID) -> Int32 {
            if let known = index[member] { return known }
            let next = Int32(ids.count)
            index[member] = next
            ids.append(member)
            return next
        }
        for event in events where tieKinds.contains(event.kind) {
            guard let other = event.counterpart, other != event.member else { continue }
            sources.append(node(event.member))
            targets.append(node(other))
        }
        guard !ids.isEmpty, let graph = try? Graph(nodeCount: ids.count, sources: sources, destinations: targets) else {
            return []
        }
        var labels: [String: Int32] = [:]
        let groups: [Int32] = ids.map { member in
            guard let department = departments[member], !department.isEmpty else { return -1 }
            if let label = labels[department] { return label }
            let label = Int32(labels.count)
            labels[department] = label
            return label
        }
        let roles = graph.brokerage(groups: groups, threads: 1)
        var found = Set<Member.ID>()
        for node in 0..<ids.count
        where roles.itinerant[node] + roles.representative[node] + roles.gatekeeper[node] + roles.liaison[node] > 0 {
            found.insert(ids[node])
        }
        return found
    }

    public static func snapshot(
        createdAt: Date, events: [ActivityEvent], memberships: [InsightMembership], departments: [Member.ID: String],
        now: Date
    ) -> CommunitySnapshot {
        let roleSets = roles(events: events, memberships: memberships, departments: departments, now: now)
        let active = roleSets.count
        let roleShares = ParticipationRole.allCases.map { role in
            let count = roleSets.values.filter { $0.contains(role) }.count
            return CommunitySnapshot.RoleShare(
                role: role, members: count, percent: active == 0 ? 0 : Double(count) * 100 / Double(active))
        }
        let start = now.addingTimeInterval(-Double(windowDays) * 86_400)
        return CommunitySnapshot(
            computedAt: now, windowDays: windowDays, members: memberships.count, activeMembers: active, roles: roleShares,
            concentration: concentration(events.filter { $0.at >= start && $0.at <= now }),
            series: series(createdAt: createdAt, events: events, memberships: memberships, departments: departments, now: now),
            knowledge: knowledge(events: events, since: createdAt, now: now))
    }

    static func isContribution(_ kind: ActivityEvent.Kind) -> Bool {
        kind == .create || kind == .comment || kind == .ask || kind == .answer
    }

    static func concentration(_ events: [ActivityEvent]) -> CommunitySnapshot.Concentration {
        var counts: [Member.ID: Int] = [:]
        for event in events where isContribution(event.kind) { counts[event.member, default: 0] += 1 }
        let sorted = counts.values.sorted(by: >)
        let total = sorted.reduce(0, +)
        func top(_ percent: Int) -> Double? {
            guard total > 0 else { return nil }
            // Rounded up, in integers (30 × 0.1 is not 3 in floating point); at least one person: in a community
            // of 40 contributors "the top 1%" is its most active member.
            let people = max(1, (sorted.count * percent + 99) / 100)
            return Double(sorted.prefix(people).reduce(0, +)) * 100 / Double(total)
        }
        return .init(contributors: sorted.count, contributions: total, top1Percent: top(1), top10Percent: top(10))
    }

    /// Mondays of the weeks shown: the completed weeks before `now`'s week, from the community's first week on.
    static func weekStarts(createdAt: Date, firstEvent: Date?, now: Date) -> [Date] {
        let calendar = calendar
        let thisWeek = calendar.dateInterval(of: .weekOfYear, for: now)!.start
        let earliest = min(createdAt, firstEvent ?? createdAt)
        let firstWeek = calendar.dateInterval(of: .weekOfYear, for: earliest)!.start
        var weeks: [Date] = []
        var week = calendar.date(byAdding: .weekOfYear, value: -weeksShown, to: thisWeek)!
        while week < thisWeek {
            if week >= firstWeek { weeks.append(week) }
            week = calendar.date(byAdding: .weekOfYear, value: 1, to: week)!
        }
        return weeks
    }

    static func series(
        createdAt: Date, events: [ActivityEvent], memberships: [InsightMembership], departments: [Member.ID: String],
        now: Date
    ) -> [CommunitySnapshot.Series] {
        let weeks = weekStarts(createdAt: createdAt, firstEvent: events.map(\.at).min(), now: now)
        guard let first = weeks.first else {
            return MeasureKind.allCases.map { .init(measure: $0, weeks: [], values: []) }
        }
        let week: TimeInterval = 7 * 86_400
        func bucket(_ date: Date) -> Int? {
            let offset = Int(floor(date.timeIntervalSince(first) / week))
            return offset >= 0 && offset < weeks.count ? offset : nil
        }
        var active = [Set<Member.ID>](repeating: [], count: weeks.count)
        var contributions = [Int](repeating: 0, count: weeks.count)
        var reads = [Int](repeating: 0, count: weeks.count)
        var oldReads = [Int](repeating: 0, count: weeks.count)
        var ties = [Int](repeating: 0, count: weeks.count)
        var crossTies = [Int](repeating: 0, count: weeks.count)
        var firstAnswerHours = [[Double]](repeating: [], count: weeks.count)
        var asked = [Int](repeating: 0, count: weeks.count)
        var answeredInWeek = [Int](repeating: 0, count: weeks.count)
        var newContributors = [Int](repeating: 0, count: weeks.count)
        var stories = [Int](repeating: 0, count: weeks.count)
        var firstContribution: [Member.ID: Date] = [:]
        for event in events where isContribution(event.kind) {
            firstContribution[event.member] = min(firstContribution[event.member] ?? event.at, event.at)
        }
        for (_, date) in firstContribution { if let b = bucket(date) { newContributors[b] += 1 } }
        for event in events {
            guard let b = bucket(event.at) else { continue }
            active[b].insert(event.member)
            if isContribution(event.kind) { contributions[b] += 1 }
            if event.kind == .read {
                reads[b] += 1
                if let published = event.contextAt, event.at.timeIntervalSince(published) > 30 * 86_400 { oldReads[b] += 1 }
            }
            if tieKinds.contains(event.kind), let other = event.counterpart, other != event.member {
                let a = departments[event.member] ?? "", c = departments[other] ?? ""
                if !a.isEmpty && !c.isEmpty {
                    ties[b] += 1
                    if a != c { crossTies[b] += 1 }
                }
            }
            if event.kind == .story { stories[b] += 1 }
            if event.kind == .ask {
                asked[b] += 1
                if let answer = event.extraAt {
                    firstAnswerHours[b].append(answer.timeIntervalSince(event.at) / 3600)
                    if answer.timeIntervalSince(event.at) <= longUnanswered { answeredInWeek[b] += 1 }
                }
            }
        }
        let memberCount = max(memberships.count, 1)
        func percent(_ part: Int, _ whole: Int) -> Double? { whole == 0 ? nil : Double(part) * 100 / Double(whole) }
        return MeasureKind.allCases.map { measure in
            let values: [Double?] = weeks.indices.map { b in
                switch measure {
                case .participationRate: Double(active[b].count) * 100 / Double(memberCount)
                case .timeToFirstAnswer: Pollen.median(firstAnswerHours[b])
                case .answeredShare: percent(answeredInWeek[b], asked[b])
                case .crossUnitReach: percent(crossTies[b], ties[b])
                case .contentReuse: percent(oldReads[b], reads[b])
                case .newContributors: Double(newContributors[b])
                case .activeMembers: Double(active[b].count)
                case .contributions: Double(contributions[b])
                case .reads: Double(reads[b])
                case .valueStories: Double(stories[b])
                }
            }
            return .init(measure: measure, weeks: weeks, values: values)
        }
    }

    /// The last twelve months, from the month the community began (content imported with earlier dates counts
    /// from its own month, so the first month shown is whichever is earlier).
    static func monthStarts(since: Date, now: Date) -> [Date] {
        let calendar = calendar
        let thisMonth = calendar.dateInterval(of: .month, for: now)!.start
        let firstMonth = calendar.dateInterval(of: .month, for: since)!.start
        return (0..<monthsShown).reversed().map { calendar.date(byAdding: .month, value: -$0, to: thisMonth)! }
            .filter { $0 >= firstMonth }
    }

    static func knowledge(events: [ActivityEvent], since createdAt: Date, now: Date) -> CommunitySnapshot.Knowledge {
        let months = monthStarts(since: min(createdAt, events.map(\.at).min() ?? createdAt), now: now)
        let calendar = calendar
        func bucket(_ date: Date) -> Int? {
            guard date <= now, let first = months.first, date >= first else { return nil }
            let start = calendar.dateInterval(of: .month, for: date)!.start
            return months.firstIndex(of: start)
        }
        let kinds = CommunityItem.Kind.allCases.map(\.rawValue) + ["question", "answer"]
        var created = Dictionary(uniqueKeysWithValues: kinds.map { ($0, [Int](repeating: 0, count: months.count)) })
        var reads = created
        var oldReads = [Int](repeating: 0, count: months.count)
        var allReads = [Int](repeating: 0, count: months.count)
        var asked = [Int](repeating: 0, count: months.count)
        var answered = [Int](repeating: 0, count: months.count)
        var hours = [[Double]](repeating: [], count: months.count)
        for event in events {
            guard let b = bucket(event.at) else { continue }
            switch event.kind {
            case .create: created[event.contentKind]?[b] += 1
            case .ask:
                created["question"]![b] += 1
                asked[b] += 1
                if let first = event.extraAt {
                    hours[b].append(first.timeIntervalSince(event.at) / 3600)
                    if first.timeIntervalSince(event.at) <= longUnanswered { answered[b] += 1 }
                }
            case .answer: created["answer"]![b] += 1
            case .read:
                reads[event.contentKind]?[b] += 1
                allReads[b] += 1
                if let published = event.contextAt, event.at.timeIntervalSince(published) > 30 * 86_400 { oldReads[b] += 1 }
            default: break
            }
        }
        return .init(
            months: months,
            kinds: kinds.map { .init(kind: $0, created: created[$0]!, reads: reads[$0]!) },
            reuse: months.indices.map { allReads[$0] == 0 ? nil : Double(oldReads[$0]) * 100 / Double(allReads[$0]) },
            asked: asked,
            answeredShare: months.indices.map { asked[$0] == 0 ? nil : Double(answered[$0]) * 100 / Double(asked[$0]) },
            medianHoursToFirstAnswer: hours.map(Pollen.median))
    }
}
