import Foundation

/// How a viewer stands towards another member, as Mastodon's `Relationship` reports it.
public struct Relationship: Sendable, Equatable {
    public let target: Member.ID
    /// The viewer follows the target.
    public var following: Bool
    /// The target follows the viewer.
    public var followedBy: Bool
    public var muting: Bool
    public var blocking: Bool
    /// The target blocks the viewer.
    public var blockedBy: Bool
    public var followedSince: Date?

    public init(
        target: Member.ID, following: Bool = false, followedBy: Bool = false, muting: Bool = false,
        blocking: Bool = false, blockedBy: Bool = false, followedSince: Date? = nil
    ) {
        self.target = target
        self.following = following
        self.followedBy = followedBy
        self.muting = muting
        self.blocking = blocking
        self.blockedBy = blockedBy
        self.followedSince = followedSince
    }
}

/// One row of a followers or following list. `cursor` is the follow's own id, newest first, which is what
/// Mastodon clients page by (`max_id`, `since_id`, `min_id`).
public struct FollowEntry: Sendable, Equatable {
    public let cursor: Int64
    public let member: Member
    public let since: Date

    public init(cursor: Int64, member: Member, since: Date) {
        self.cursor = cursor
        self.member = member
        self.since = since
    }
}

/// A followed hashtag.
public struct TagFollow: Sendable, Equatable {
    public let cursor: Int64
    public let tag: String
    public let since: Date

    public init(cursor: Int64, tag: String, since: Date) {
        self.cursor = cursor
        self.tag = tag
        self.since = since
    }
}

/// Where a page of a list starts and ends, by cursor: `before` (Mastodon's `max_id`) gives older rows,
/// `after` (`since_id`) newer ones from the newest down, `nearestAfter` (`min_id`) the rows just after it.
public struct CursorRange: Sendable, Equatable {
    public var before: Int64?
    public var after: Int64?
    public var nearestAfter: Int64?
    public var limit: Int

    /// Whether the page is read upward from `nearestAfter` (Mastodon's `min_id` alone): the rows just above
    /// the cursor, found oldest first and handed back newest first like every other page.
    public var readsUpward: Bool { nearestAfter != nil && before == nil && after == nil }

    public init(before: Int64? = nil, after: Int64? = nil, nearestAfter: Int64? = nil, limit: Int = 40) {
        self.before = before
        self.after = after
        self.nearestAfter = nearestAfter
        self.limit = limit
    }
}

public struct NetworkCounts: Sendable, Equatable {
    public var followers: Int
    public var following: Int
    /// Posts the member has published and not deleted.
    public var posts: Int
    /// The member keeps their network from this viewer: followers and following read zero.
    public var networkHidden = false
    public var lastPostedAt: Date?

    public init(followers: Int = 0, following: Int = 0, posts: Int = 0) {
        self.followers = followers
        self.following = following
        self.posts = posts
    }

    mutating func hideNetwork() {
        followers = 0
        following = 0
        networkHidden = true
    }
}

/// A follow to write in bulk (imports, the demo organization).
public struct FollowRecord: Sendable, Equatable {
    public let id: Int64
    public let follower: Member.ID
    public let followee: Member.ID
    public let at: Date
    public init(id: Int64, follower: Member.ID, followee: Member.ID, at: Date) {
        self.id = id
        self.follower = follower
        self.followee = followee
        self.at = at
    }
}

/// Follows between members, followed hashtags, mutes and blocks.
public protocol NetworkRepository: Sendable {
    /// Writes many follows at once; ones that exist already are skipped.
    func insertFollows(_ follows: [FollowRecord]) async throws
    /// Writes many hashtag follows at once (`id`, member, tag, time); existing ones are skipped.
    func insertTagFollows(_ follows: [(id: Int64, member: Member.ID, tag: String, at: Date)]) async throws
    /// `false` when the follow existed already.
    func follow(id: Int64, follower: Member.ID, followee: Member.ID, at: Date) async throws -> Bool
    /// `false` when there was nothing to remove.
    func unfollow(follower: Member.ID, followee: Member.ID) async throws -> Bool
    /// Members who follow `member`, newest follow first.
    func followers(of member: Member.ID, range: CursorRange) async throws -> [FollowEntry]
    /// Members whom `member` follows, newest follow first.
    func following(of member: Member.ID, range: CursorRange) async throws -> [FollowEntry]
    func counts(for members: [Member.ID]) async throws -> [Member.ID: NetworkCounts]
    /// The members with the most followers, most first (ties: the earlier member first).
    func mostFollowed(limit: Int) async throws -> [(member: Member.ID, followers: Int)]
    func relationships(of viewer: Member.ID, with targets: [Member.ID]) async throws -> [Relationship]
    func setMuted(_ muted: Bool, member: Member.ID, target: Member.ID, at: Date) async throws
    func setBlocked(_ blocked: Bool, member: Member.ID, target: Member.ID, at: Date) async throws
    /// `false` when the hashtag was followed already.
    func followTag(id: Int64, member: Member.ID, tag: String, at: Date) async throws -> Bool
    func unfollowTag(member: Member.ID, tag: String) async throws -> Bool
    func followedTags(of member: Member.ID, range: CursorRange) async throws -> [TagFollow]
    func isFollowingTag(member: Member.ID, tag: String) async throws -> Bool
    /// Everyone and every hashtag the member follows: what feeds their home timeline besides their own posts.
    func timelineSources(of member: Member.ID) async throws -> (members: [Member.ID], tags: [String])
    /// Members `member` blocks or is blocked by.
    func blockedEitherWay(_ member: Member.ID) async throws -> Set<Member.ID>
}
