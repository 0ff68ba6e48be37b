import Foundation
import Hummingbird
import NIOCore
import PollenCore
import Synchronization

/// Answers the server keeps between requests because clients ask for them again and again unchanged: who a
/// bearer token belongs to, and the first page of each member's home timeline. Both are dropped by the
/// store's change reports (``PollenStore/observeChanges(_:)``) the moment a write could have changed them,
/// so a cached answer is always one the database would give now.
///
/// A fill races writes: it may read before a write commits and store after the write's report went by.
/// Every report therefore counts a generation up and is remembered for a while (``RecentChanges``); a fill
/// is kept only if none of the reports that came while it read concerns what it read. Discarding every
/// fill that overlapped any write was simpler, but on a busy server a fill takes tens of milliseconds, so
/// a few writes a second left most pages unkept.
final class ServingCaches: Sendable {
    let tokens: TokenCache
    let homeTimelines: HomeTimelineCache
    let trends = TrendCache()

    /// A page of twenty statuses is about 25 KB of JSON, so the default keeps some 2,500 members' pages.
    init(store: any PollenStore, tokenCapacity: Int = 20_000, homeTimelineBytes: Int = 64 << 20) {
        let tokens = TokenCache(capacity: tokenCapacity)
        let homeTimelines = HomeTimelineCache(byteLimit: homeTimelineBytes)
        self.tokens = tokens
        self.homeTimelines = homeTimelines
        store.observeChanges { changes in
            tokens.apply(changes)
            homeTimelines.apply(changes)
        }
    }
}

/// Bearer tokens already checked: the token and its member, by the token's digest. A request with a known
/// token skips two queries. Revoking a token, or any change to its member (suspension, a new password, a
/// profile edit), drops it.
final class TokenCache: Sendable {
    typealias Holder = (token: AccessToken, member: Member?)
    private struct State {
        var entries: [String: Holder] = [:]
        var recent = RecentChanges()
    }
    private let state = Mutex(State())
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    var generation: UInt64 { state.withLock { $0.recent.generation } }

    func holder(digest: String) -> Holder? {
        state.withLock { $0.entries[digest] }
    }

    func store(_ holder: Holder, digest: String, readAt generation: UInt64) {
        state.withLock { state in
            guard let missed = state.recent.since(generation),
                !missed.contains(where: { Self.isStale(holder, digest: digest, after: $0) })
            else { return }
            // Tokens in use come back at once; dropping an arbitrary one when full costs one lookup later.
            if state.entries.count >= capacity, let victim = state.entries.keys.first { state.entries[victim] = nil }
            state.entries[digest] = holder
        }
    }

    func apply(_ changes: StoreChanges) {
        state.withLock { state in
            state.recent.append(changes)
            if changes.everything {
                state.entries.removeAll()
                return
            }
            for digest in changes.revokedTokens { state.entries[digest] = nil }
            guard !changes.members.isEmpty else { return }
            let stale = state.entries.filter { digest, holder in Self.isStale(holder, digest: digest, after: changes) }.keys
            for digest in stale { state.entries[digest] = nil }
        }
    }

    static func isStale(_ holder: Holder, digest: String, after changes: StoreChanges) -> Bool {
        changes.everything || changes.revokedTokens.contains(digest)
            || (holder.token.memberID.map(changes.members.contains) ?? false)
    }
}

/// The change reports of the last while, numbered, for fills to check what came while they read.
struct RecentChanges {
    private var reports: [(generation: UInt64, changes: StoreChanges)] = []
    /// The number of the latest report.
    private(set) var generation: UInt64 = 0
    /// Enough for the writes of a second or two on a busy server; a fill that read longer ago is not kept.
    static let kept = 512

    mutating func append(_ changes: StoreChanges) {
        generation &+= 1
        reports.append((generation, changes))
        if reports.count > Self.kept * 2 { reports.removeFirst(reports.count - Self.kept) }
    }

    /// The reports after `generation`, or nil when some of them are no longer kept.
    func since(_ generation: UInt64) -> [StoreChanges]? {
        let missed = self.generation &- generation
        guard missed > 0 else { return [] }
        guard missed <= UInt64(reports.count) else { return nil }
        return reports.suffix(Int(missed)).map(\.changes)
    }
}

/// The first page of members' home timelines as last sent — the JSON body and its `Link` header — until a
/// write touches anything on it. Clients poll this page far more often than it changes; building it takes
/// eight queries and twenty entities (about 2 ms), sending a kept one a dictionary lookup.
///
/// What a page depends on, and so what drops it:
/// - the viewer: their follows, mutes, blocks (either way), marks and tag follows (all report the viewer);
/// - the posts shown, reshared originals included: edits, deletion, counts;
/// - the accounts shown (authors, reshared authors, mentioned people): profile and counts;
/// - a new or re-tagged post by someone the viewer follows, by the viewer, or under a hashtag they follow.
/// Anything else cannot change the page, so a busy organization still keeps most pages between polls.
final class HomeTimelineCache: Sendable {
    struct Key: Hashable, Sendable {
        let member: Member.ID
        let limit: Int
        /// Links in the statuses and the `Link` header use the address the client called.
        let base: String
    }

    struct Dependencies: Sendable {
        var posts: Set<Post.ID> = []
        var accounts: Set<Member.ID> = []
        /// Whom and which hashtags the viewer follows: whose new posts enter the page.
        var sources: Set<Member.ID> = []
        var tags: Set<String> = []
    }

    private struct Entry {
        let page: EncodedPage
        let dependencies: Dependencies
        var used: UInt64

        var size: Int {
            let d = dependencies
            return page.body.readableBytes + (page.link?.utf8.count ?? 0)
                + 8 * (d.posts.count + d.accounts.count + d.sources.count + d.tags.count)
        }
    }

    /// A page read from the database, with the number of the last report before the read began.
    struct Fill: Sendable {
        let page: EncodedPage
        let dependencies: Dependencies
        let readAt: UInt64
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        /// The bodies' bytes, the sets' entries counted at eight bytes each.
        var bytes = 0
        /// Fills under way: when a page is dropped, every client polling it asks again at once, and under
        /// load each would read and build the same page (dozens of times over, measured) instead of one.
        var filling: [Key: Task<Fill, any Error>] = [:]
        var recent = RecentChanges()
        var clock: UInt64 = 0
    }

    private let state = Mutex(State())
    let byteLimit: Int

    init(byteLimit: Int) {
        self.byteLimit = byteLimit
    }

    var generation: UInt64 { state.withLock { $0.recent.generation } }
    var bytes: Int { state.withLock { $0.bytes } }
    var count: Int { state.withLock { $0.entries.count } }

    /// The kept page, if any, leaving its place in the eviction order as it is.
    func kept(_ key: Key) -> EncodedPage? {
        state.withLock { $0.entries[key]?.page }
    }

    /// The kept page, or one read by `fill` — shared with requests for the same page that come meanwhile.
    func page(_ key: Key, fill: @escaping @Sendable () async throws -> (EncodedPage, Dependencies)) async throws
        -> EncodedPage
    {
        enum Step {
            case kept(EncodedPage)
            case lead(Task<Fill, any Error>)
            case join(Task<Fill, any Error>)
        }
        let step = state.withLock { state -> Step in
            if state.entries[key] != nil {
                state.clock &+= 1
                state.entries[key]!.used = state.clock
                return .kept(state.entries[key]!.page)
            }
            if let running = state.filling[key] { return .join(running) }
            let readAt = state.recent.generation
            let task = Task {
                let (page, dependencies) = try await fill()
                return Fill(page: page, dependencies: dependencies, readAt: readAt)
            }
            state.filling[key] = task
            return .lead(task)
        }
        switch step {
        case .kept(let page):
            return page
        case .lead(let task):
            // The fill began after this request came, so its page is good for it, kept or not.
            let result = await task.result
            state.withLock { state in
                state.filling[key] = nil
                if case .success(let fill) = result { Self.keep(fill, for: key, in: &state, byteLimit: byteLimit) }
            }
            return try result.get().page
        case .join(let task):
            // That fill may have begun before a write this request must see; its page serves only if no
            // report since then concerns it.
            if let fill = try? await task.value,
                state.withLock({ state in Self.isCurrent(fill, for: key, in: state) })
            {
                return fill.page
            }
            let readAt = generation
            let (page, dependencies) = try await fill()
            store(page, dependencies: dependencies, for: key, readAt: readAt)
            return page
        }
    }

    func store(_ page: EncodedPage, dependencies: Dependencies, for key: Key, readAt generation: UInt64) {
        state.withLock { state in
            Self.keep(Fill(page: page, dependencies: dependencies, readAt: generation), for: key, in: &state, byteLimit: byteLimit)
        }
    }

    private static func isCurrent(_ fill: Fill, for key: Key, in state: State) -> Bool {
        guard let missed = state.recent.since(fill.readAt) else { return false }
        return !missed.contains { isStale(fill.dependencies, of: key.member, after: $0) }
    }

    private static func keep(_ fill: Fill, for key: Key, in state: inout State, byteLimit: Int) {
        guard isCurrent(fill, for: key, in: state) else { return }
        remove(key, from: &state)
        let entry = Entry(page: fill.page, dependencies: fill.dependencies, used: state.clock)
        guard entry.size <= byteLimit else { return }
        // The page used longest ago makes room.
        while state.bytes + entry.size > byteLimit,
            let oldest = state.entries.min(by: { $0.value.used < $1.value.used })?.key
        {
            remove(oldest, from: &state)
        }
        state.clock &+= 1
        state.entries[key] = entry
        state.entries[key]!.used = state.clock
        state.bytes += entry.size
    }

    private static func remove(_ key: Key, from state: inout State) {
        if let gone = state.entries.removeValue(forKey: key) { state.bytes -= gone.size }
    }

    func apply(_ changes: StoreChanges) {
        state.withLock { state in
            state.recent.append(changes)
            if changes.everything {
                state.entries.removeAll()
                state.bytes = 0
                return
            }
            // Writes are rare beside reads, and a check is a few set lookups: a pass over every page is
            // cheaper to keep right than reverse indexes from each post and account to the pages showing it.
            let stale = state.entries.filter { key, entry in Self.isStale(entry.dependencies, of: key.member, after: changes) }
                .keys
            for key in stale { Self.remove(key, from: &state) }
        }
    }

    static func isStale(_ dependencies: Dependencies, of viewer: Member.ID, after changes: StoreChanges) -> Bool {
        if changes.everything || changes.members.contains(viewer) { return true }
        if !changes.members.isDisjoint(with: dependencies.accounts) { return true }
        if !changes.posts.isDisjoint(with: dependencies.posts) { return true }
        return changes.arrivals.contains { arrival in
            arrival.author == viewer || dependencies.sources.contains(arrival.author)
                || arrival.hashtags.contains(where: dependencies.tags.contains)
        }
    }
}

/// A list in JSON as sent, with its `Link` header.
struct EncodedPage: Sendable {
    let body: ByteBuffer
    let link: String?
}

/// The week's trends per department (``TrendSnapshot``), kept by age rather than by change reports: the only
/// answer here that may be a few minutes old. Who is popular this week moves slowly, while reading it means
/// every post of the last four weeks (0.65 s for the organization on a 100,000-member demo, 0.35 s for one
/// department). Each viewer's blocks and privacy choices are applied after, on every request.
final class TrendCache: Sendable {
    /// How long a snapshot is shown before it is read again.
    static let maxAge: TimeInterval = 5 * 60
    /// Departments kept at most; beyond, the cache starts afresh (names are typed in by viewers).
    static let capacity = 256

    private let snapshots = Mutex<[String: TrendSnapshot]>([:])

    func snapshot(
        department: String?, now: Date, read: () async throws -> TrendSnapshot
    ) async throws -> TrendSnapshot {
        let key = department?.lowercased() ?? ""
        if let kept = snapshots.withLock({ $0[key] }), now.timeIntervalSince(kept.takenAt) < Self.maxAge { return kept }
        let fresh = try await read()
        snapshots.withLock { kept in
            if kept.count >= Self.capacity { kept.removeAll() }
            kept[key] = fresh
        }
        return fresh
    }
}
