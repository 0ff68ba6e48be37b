import Foundation

/// A profile field by which personal insight groups people: where they work, where they are, what they learn about.
public enum InsightDimension: String, Sendable, CaseIterable, Codable {
    case department, location, subject
}

/// The people (for subjects: the subject listings) in one group of a dimension.
public struct GroupCount: Sendable, Equatable {
    /// As stored for matching: lower-cased department or location, or the subject tag.
    public let key: String
    /// As written on a profile.
    public let label: String
    public let count: Int

    public init(key: String, label: String, count: Int) {
        self.key = key
        self.label = label
        self.count = count
    }
}

/// How people spread over the groups of one dimension. For subjects every subject a person lists counts once, so
/// someone learning about three subjects adds to three groups.
public struct GroupMix: Sendable, Equatable {
    /// The groups with a stated value, largest first (ties by key).
    public let groups: [GroupCount]
    /// People who state nothing here (no department, no location, no subject); left out of the shares.
    public let unstated: Int

    public init(groups: [GroupCount], unstated: Int = 0) {
        self.groups = groups.filter { !$0.key.isEmpty && $0.count > 0 }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.key < $1.key }
        self.unstated = unstated
    }

    public static let empty = GroupMix(groups: [])

    /// Everyone (or every listing) with a stated value.
    public var total: Int { groups.reduce(0) { $0 + $1.count } }

    public func count(of key: String) -> Int { groups.first { $0.key == key }?.count ?? 0 }

    /// The group's part of ``total``; 0 when nothing is stated.
    public func share(of key: String) -> Double {
        total == 0 ? 0 : Double(count(of: key)) / Double(total)
    }
}

/// Whom a member's network holds: the people they follow, and everyone they interacted with in the window in either
/// direction, spread over each dimension. Only active members count, never the member, nor anyone blocked either way.
public struct NetworkMix: Sendable, Equatable {
    public let people: Int
    /// Of ``people``, those the member follows; the others are there through interactions alone.
    public let followed: Int
    public let mixes: [InsightDimension: GroupMix]

    public init(people: Int, followed: Int, mixes: [InsightDimension: GroupMix]) {
        self.people = people
        self.followed = followed
        self.mixes = mixes
    }

    public var interactedOnly: Int { people - followed }

    public func mix(_ dimension: InsightDimension) -> GroupMix { mixes[dimension] ?? .empty }
}

/// The organization's active members spread over each dimension: what a network is compared with. The same for every
/// member, so the web layer keeps it for a few minutes (``takenAt``).
public struct OrganizationMix: Sendable, Equatable {
    public let members: Int
    public let mixes: [InsightDimension: GroupMix]
    public let takenAt: Date

    public init(members: Int, mixes: [InsightDimension: GroupMix], takenAt: Date) {
        self.members = members
        self.mixes = mixes
        self.takenAt = takenAt
    }

    public func mix(_ dimension: InsightDimension) -> GroupMix { mixes[dimension] ?? .empty }

    /// Active members in the group; for subjects, members listing it.
    public func size(of key: String, in dimension: InsightDimension) -> Int { mix(dimension).count(of: key) }

    /// Whether a group may be named: groups under ``PersonalInsight/minimumGroupSize`` are only ever "other".
    public func mayName(_ key: String, in dimension: InsightDimension) -> Bool {
        !key.isEmpty && size(of: key, in: dimension) >= PersonalInsight.minimumGroupSize
    }
}

/// How many kinds of learning acts a member did over the window, after Harold Jarche's seek → sense → share.
public struct LearningBalance: Sendable, Equatable {
    public enum Mode: String, Sendable, CaseIterable, Codable {
        /// Finding things and people: asking, following, joining.
        case seek
        /// Making sense of what was found: reading, keeping, curating.
        case sense
        /// Passing it on: writing, resharing, answering, forwarding.
        case share
    }

    /// One kind of act, counted over the window.
    public enum Activity: String, Sendable, CaseIterable, Codable {
        case questionsAsked = "questions_asked"
        case peopleFollowed = "people_followed"
        case hashtagsFollowed = "hashtags_followed"
        case communitiesJoined = "communities_joined"
        case itemsRead = "items_read"
        case postsFavourited = "posts_favourited"
        case itemsSaved = "items_saved"
        case bookmarks
        case collectionsMade = "collections_made"
        case posts
        case reshares
        case itemsPublished = "items_published"
        case comments
        case answers
        case questionsForwarded = "questions_forwarded"

        public var mode: Mode {
            switch self {
            case .questionsAsked, .peopleFollowed, .hashtagsFollowed, .communitiesJoined: .seek
            case .itemsRead, .postsFavourited, .itemsSaved, .bookmarks, .collectionsMade: .sense
            case .posts, .reshares, .itemsPublished, .comments, .answers, .questionsForwarded: .share
            }
        }
    }

    /// A mode leads when it holds at least this part of all acts.
    public static let leadingShare = 0.5

    public let counts: [Activity: Int]

    public init(counts: [Activity: Int]) {
        self.counts = counts
    }

    public func count(_ activity: Activity) -> Int { counts[activity] ?? 0 }
    public func total(_ mode: Mode) -> Int { Activity.allCases.filter { $0.mode == mode }.reduce(0) { $0 + count($1) } }
    public var total: Int { Mode.allCases.reduce(0) { $0 + total($1) } }

    /// The mode's part of all acts; `nil` when there were none.
    public func share(_ mode: Mode) -> Double? { total == 0 ? nil : Double(total(mode)) / Double(total) }

    /// The mode holding at least half of all acts, if one does.
    public var leading: Mode? {
        Mode.allCases.first { (share($0) ?? 0) >= Self.leadingShare }
    }
}

/// A group the member's network reaches that few people of their own group reach.
public struct Bridge: Sendable, Equatable {
    public let key: String
    public let label: String
    /// Members of the member's own group with a tie into this one, the member included (at least 1).
    public let colleagues: Int
    /// People in the member's network from this group.
    public let people: Int

    public init(key: String, label: String, colleagues: Int, people: Int) {
        self.key = key
        self.label = label
        self.colleagues = colleagues
        self.people = people
    }
}

/// The member's bridges along one dimension (departments or locations).
public struct BridgeSummary: Sendable, Equatable {
    public enum Standing: String, Sendable, Codable {
        /// The member's profile states no group here: nothing to compare with.
        case notStated = "not_stated"
        /// The member's own group is under the minimum size: it is never compared, so nobody in it is singled out.
        case groupTooSmall = "group_too_small"
        case compared
    }

    public let dimension: InsightDimension
    public let standing: Standing
    /// The member's own group as written on their profile; empty when not stated.
    public let ownGroup: String
    public let ownGroupSize: Int
    /// Named groups besides the member's own that their network reaches.
    public let groupsReached: Int
    /// People in the network from groups under the minimum size: counted as "other", never named.
    public let peopleInSmallGroups: Int
    /// The most colleagues a tie may share and still count as a bridge.
    public let fewLimit: Int
    /// Fewest colleagues first.
    public let bridges: [Bridge]

    public init(
        dimension: InsightDimension, standing: Standing, ownGroup: String, ownGroupSize: Int, groupsReached: Int,
        peopleInSmallGroups: Int, fewLimit: Int, bridges: [Bridge]
    ) {
        self.dimension = dimension
        self.standing = standing
        self.ownGroup = ownGroup
        self.ownGroupSize = ownGroupSize
        self.groupsReached = groupsReached
        self.peopleInSmallGroups = peopleInSmallGroups
        self.fewLimit = fewLimit
        self.bridges = bridges
    }
}

/// A group a suggested person belongs to that the member's network holds less of than the organization does.
public struct RepresentationGap: Sendable, Equatable {
    public let dimension: InsightDimension
    public let key: String
    public let label: String
    public let networkShare: Double
    public let organizationShare: Double

    public init(dimension: InsightDimension, key: String, label: String, networkShare: Double, organizationShare: Double) {
        self.dimension = dimension
        self.key = key
        self.label = label
        self.networkShare = networkShare
        self.organizationShare = organizationShare
    }

    public var size: Double { organizationShare - networkShare }
}

/// A discovery suggestion picked because the person comes from a group the member's network lacks.
public struct WideningSuggestion: Sendable, Equatable {
    public let suggestion: Suggestion
    /// Largest gap first; empty only for a network-widening suggestion taken to fill the list.
    public let gaps: [RepresentationGap]

    public init(suggestion: Suggestion, gaps: [RepresentationGap]) {
        self.suggestion = suggestion
        self.gaps = gaps
    }
}

/// Everything on a member's personal insight page: how varied their network is, their bridges, their
/// seek–sense–share balance and people who would widen the network. Only ever computed for the member asking.
public struct PersonalInsight: Sendable, Equatable {
    /// Groups smaller than this are never named; their people count as "other" (the product's rule for aggregates).
    public static let minimumGroupSize = 5
    /// How far back interactions and learning acts count.
    public static let window: TimeInterval = 90 * 24 * 3600
    /// A bridge is shared by at most this part of the member's own group…
    public static let fewShare = 0.1
    /// …and by at most this many of its people.
    public static let fewMost = 10
    /// Suggestions shown: at most this many, and at least ``minimumSuggestions`` when discovery has them.
    public static let maximumSuggestions = 6
    public static let minimumSuggestions = 3

    public let member: Member
    public let since: Date
    public let until: Date
    public let network: NetworkMix
    public let organization: OrganizationMix
    /// Department, location and subject, in that order.
    public let diversity: [DiversityComparison]
    /// Departments, then locations.
    public let bridges: [BridgeSummary]
    public let balance: LearningBalance
    public let suggestions: [WideningSuggestion]
    /// Whether the organization's network insight shows named people (the administrators' setting).
    public let organizationShowsNamedPeople: Bool

    public init(
        member: Member, since: Date, until: Date, network: NetworkMix, organization: OrganizationMix,
        diversity: [DiversityComparison], bridges: [BridgeSummary], balance: LearningBalance,
        suggestions: [WideningSuggestion], organizationShowsNamedPeople: Bool
    ) {
        self.member = member
        self.since = since
        self.until = until
        self.network = network
        self.organization = organization
        self.diversity = diversity
        self.bridges = bridges
        self.balance = balance
        self.suggestions = suggestions
        self.organizationShowsNamedPeople = organizationShowsNamedPeople
    }

    /// The most colleagues a tie may share and still count as a bridge, for a group of `size` people.
    public static func fewLimit(groupSize size: Int) -> Int {
        min(fewMost, max(1, Int((Double(size) * fewShare).rounded(.down))))
    }
}

/// What personal insight reads. Every method aggregates in the database: nothing reads a whole organization's rows
/// into memory.
public protocol PersonalInsightRepository: Sendable {
    /// The member's network (see ``NetworkMix``): followed now, or interacted with since `since` either way —
    /// replies, mentions, reshares and favourites of posts, answers to questions, comments on community items.
    func network(of member: Member.ID, since: Date) async throws -> NetworkMix
    /// Active members by department, location and subject (``OrganizationMix/takenAt`` is `at`).
    func organization(at: Date) async throws -> OrganizationMix
    /// How many active members of group `from` other than `excluding` follow an active member of group `into`,
    /// counted up to `cap`. `intoIsSmaller` says which group has fewer members, so the count starts there.
    func colleaguesFollowing(
        _ dimension: InsightDimension, from: String, into: String, excluding: Member.ID, cap: Int, intoIsSmaller: Bool
    ) async throws -> Int
    /// What the member did from `since` to `until`, by kind of act.
    func learningActivity(of member: Member.ID, since: Date, until: Date) async throws -> LearningBalance
}
