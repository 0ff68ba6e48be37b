import Foundation
import Hummingbird
import HummingbirdTesting
import PollenCore
@testable import PollenWeb
import Synchronization
import Testing

/// The first page of the home timeline is kept between requests. Each test reads the page first (so it is
/// kept), changes one thing the page depends on, and reads again: the second read must show the change,
/// which it would not if that kind of write failed to drop the kept page.
@Suite struct HomeTimelineCacheTests {
    private struct Cast {
        let harness: WebHarness
        let client: any TestClientProtocol
        let viewer: Member
        let author: Member
        let other: Member
        let viewerToken: String
        let authorToken: String
        let otherToken: String

        /// The viewer's first home page, newest first.
        func home(limit: Int? = nil, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [[String: Any]] {
            let path = "/api/v1/timelines/home" + (limit.map { "?limit=\($0)" } ?? "")
            let response = try await get(client, path, token: viewerToken)
            #expect(response.status == .ok, sourceLocation: sourceLocation)
            return try #require(response.json as? [[String: Any]], sourceLocation: sourceLocation)
        }

        func status(_ id: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: Any] {
            let page = try await home(sourceLocation: sourceLocation)
            return try #require(page.first { $0["id"] as? String == id }, "status \(id) not on the page", sourceLocation: sourceLocation)
        }

        @discardableResult
        func publish(_ token: String, _ text: String, replyTo: String? = nil) async throws -> String {
            var form = ["status": text]
            form["in_reply_to_id"] = replyTo
            let response = try await client.json("/api/v1/statuses", method: .post, token: token, form: form)
            #expect(response.status == .ok, "\(response.raw)")
            return try #require(try object(response.json)["id"] as? String)
        }

        func call(_ path: String, _ token: String, method: HTTPRequest.Method = .post, form: [String: String]? = nil) async throws {
            let response = try await client.json(path, method: method, token: token, form: form ?? [:])
            #expect(response.status == .ok, "\(path): \(response.raw)")
        }
    }

    /// The viewer follows the author; the author has posted once and the page is kept.
    private static func run(_ body: @escaping @Sendable (Cast, String) async throws -> Void) async throws {
        try await WebHarness.run { harness, client in
            let viewer = try await harness.addMember("viewer")
            let author = try await harness.addMember("author", name: "Ada Author")
            let other = try await harness.addMember("other")
            let cast = Cast(
                harness: harness, client: client, viewer: viewer, author: author, other: other,
                viewerToken: try await client.memberToken("viewer"), authorToken: try await client.memberToken("author"),
                otherToken: try await client.memberToken("other"))
            try await cast.call("/api/v1/accounts/\(author.id)/follow", cast.viewerToken)
            let first = try await cast.publish(cast.authorToken, "Notes on #flow and pull systems")
            #expect(try await cast.home().map { $0["id"] as? String } == [first])
            try await body(cast, first)
        }
    }

    @Test func aPageIsKeptUntilAWriteTouchesItAndAFillRacingSuchAWriteIsNotKept() {
        // Room for two of these pages (2 bytes of body and one post each).
        let cache = HomeTimelineCache(byteLimit: 21)
        let page = EncodedPage(body: .init(string: "[]"), link: nil)
        let key = HomeTimelineCache.Key(member: Member.ID(1), limit: 20, base: "http://a")
        var dependencies = HomeTimelineCache.Dependencies()
        dependencies.posts = [Post.ID(10)]
        cache.store(page, dependencies: dependencies, for: key, readAt: cache.generation)
        #expect(cache.kept(key) != nil)
        // A write elsewhere while member 2's page was read leaves it good; one touching what it shows does not.
        let racing = cache.generation
        cache.apply(StoreChanges(members: [Member.ID(99)]))
        #expect(cache.kept(key) != nil)
        let other = HomeTimelineCache.Key(member: Member.ID(2), limit: 20, base: "http://a")
        cache.store(page, dependencies: dependencies, for: other, readAt: racing)
        #expect(cache.kept(other) != nil)
        let racingAgain = cache.generation
        cache.apply(StoreChanges(posts: [Post.ID(10)]))
        #expect(cache.kept(key) == nil)
        #expect(cache.kept(other) == nil)
        cache.store(page, dependencies: dependencies, for: other, readAt: racingAgain)
        #expect(cache.kept(other) == nil)
        // A fill that read before the oldest report still remembered is not kept either.
        let ancient = cache.generation
        for _ in 0...(RecentChanges.kept * 2) { cache.apply(StoreChanges(members: [Member.ID(99)])) }
        cache.store(page, dependencies: .init(), for: other, readAt: ancient)
        #expect(cache.kept(other) == nil)
        // Full: the page used longest ago makes room.
        for member in 3...5 {
            cache.store(page, dependencies: dependencies, for: .init(member: Member.ID(Int64(member)), limit: 20, base: "http://a"), readAt: cache.generation)
        }
        #expect(cache.count == 2)
        #expect(cache.bytes == 20)
        #expect(cache.kept(.init(member: Member.ID(3), limit: 20, base: "http://a")) == nil)
        #expect(cache.kept(.init(member: Member.ID(5), limit: 20, base: "http://a")) != nil)
    }

    @Test func requestsMeetingAFillShareItUnlessAWriteConcernsWhatItRead() async throws {
        let cache = HomeTimelineCache(byteLimit: 1 << 20)
        let key = HomeTimelineCache.Key(member: Member.ID(1), limit: 20, base: "http://a")
        let fills = Atomic<Int>(0)
        let fill: @Sendable () async throws -> (EncodedPage, HomeTimelineCache.Dependencies) = {
            let number = fills.add(1, ordering: .relaxed).newValue
            try await Task.sleep(for: .milliseconds(200))
            var dependencies = HomeTimelineCache.Dependencies()
            dependencies.posts = [Post.ID(10)]
            return (EncodedPage(body: .init(string: "[\(number)]"), link: nil), dependencies)
        }
        let bodies = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<5 { group.addTask { String(buffer: try await cache.page(key, fill: fill).body) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(fills.load(ordering: .relaxed) == 1)
        #expect(Set(bodies) == ["[1]"])

        // A post on the page changes while it is read again: a request that comes after the change reads anew.
        cache.apply(StoreChanges(everything: true))
        let lead = Task { try await cache.page(key, fill: fill) }
        try await Task.sleep(for: .milliseconds(50))
        cache.apply(StoreChanges(posts: [Post.ID(10)]))
        let late = String(buffer: try await cache.page(key, fill: fill).body)
        _ = try await lead.value
        #expect(fills.load(ordering: .relaxed) == 3)
        #expect(late == "[3]")
        #expect(cache.kept(key).map { String(buffer: $0.body) } == "[3]")
    }

    @Test func newPostsOfFollowedPeopleHashtagsAndOneselfAppear() async throws {
        try await Self.run { cast, first in
            let second = try await cast.publish(cast.authorToken, "A second note")
            #expect(try await cast.home().compactMap { $0["id"] as? String } == [second, first])
            try await cast.call("/api/v1/tags/kanban/follow", cast.viewerToken)
            _ = try await cast.home()
            let tagged = try await cast.publish(cast.otherToken, "Boards and #kanban")
            #expect(try await cast.home().first?["id"] as? String == tagged)
            let own = try await cast.publish(cast.viewerToken, "My own note")
            #expect(try await cast.home().first?["id"] as? String == own)
            // A post by someone not followed, under no followed hashtag, leaves the page as it was.
            _ = try await cast.publish(cast.otherToken, "Elsewhere")
            #expect(try await cast.home().first?["id"] as? String == own)
        }
    }

    @Test func countsOfShownPostsFollowOthersActions() async throws {
        try await Self.run { cast, first in
            try await cast.call("/api/v1/statuses/\(first)/favourite", cast.otherToken)
            #expect(try await cast.status(first)["favourites_count"] as? Int == 1)
            try await cast.call("/api/v1/statuses/\(first)/reblog", cast.otherToken)
            #expect(try await cast.status(first)["reblogs_count"] as? Int == 1)
            try await cast.publish(cast.otherToken, "A reply", replyTo: first)
            #expect(try await cast.status(first)["replies_count"] as? Int == 1)
        }
    }

    @Test func theViewersOwnMarksShow() async throws {
        try await Self.run { cast, first in
            try await cast.call("/api/v1/statuses/\(first)/favourite", cast.viewerToken)
            #expect(try await cast.status(first)["favourited"] as? Bool == true)
            try await cast.call("/api/v1/statuses/\(first)/bookmark", cast.viewerToken)
            #expect(try await cast.status(first)["bookmarked"] as? Bool == true)
            try await cast.call("/api/v1/statuses/\(first)/unfavourite", cast.viewerToken)
            #expect(try await cast.status(first)["favourited"] as? Bool == false)
        }
    }

    @Test func editsAndDeletionsShow() async throws {
        try await Self.run { cast, first in
            try await cast.call("/api/v1/statuses/\(first)", cast.authorToken, method: .put, form: ["status": "Revised"])
            let edited = try await cast.status(first)
            #expect((edited["content"] as? String)?.contains("Revised") == true)
            #expect(edited["edited_at"] is String)
            try await cast.call("/api/v1/statuses/\(first)", cast.authorToken, method: .delete)
            #expect(try await cast.home().isEmpty)
        }
    }

    @Test func theAuthorsProfileAndCountsShow() async throws {
        try await Self.run { cast, first in
            try await cast.call(
                "/api/v1/accounts/update_credentials", cast.authorToken, method: .patch, form: ["display_name": "Ada Renamed"])
            let account = try #require(try await cast.status(first)["account"] as? [String: Any])
            #expect(account["display_name"] as? String == "Ada Renamed")
            #expect(account["followers_count"] as? Int == 1)
            try await cast.call("/api/v1/accounts/\(cast.author.id)/follow", cast.otherToken)
            let counted = try #require(try await cast.status(first)["account"] as? [String: Any])
            #expect(counted["followers_count"] as? Int == 2)
        }
    }

    @Test func unfollowingMutingAndBeingBlockedEmptyThePage() async throws {
        try await Self.run { cast, _ in
            try await cast.call("/api/v1/accounts/\(cast.author.id)/mute", cast.viewerToken)
            #expect(try await cast.home().isEmpty)
            try await cast.call("/api/v1/accounts/\(cast.author.id)/unmute", cast.viewerToken)
            #expect(try await cast.home().count == 1)
            try await cast.call("/api/v1/accounts/\(cast.author.id)/unfollow", cast.viewerToken)
            #expect(try await cast.home().isEmpty)
            try await cast.call("/api/v1/accounts/\(cast.author.id)/follow", cast.viewerToken)
            #expect(try await cast.home().count == 1)
            // The author's block is the author's act, not the viewer's.
            try await cast.call("/api/v1/accounts/\(cast.viewer.id)/block", cast.authorToken)
            #expect(try await cast.home().isEmpty)
        }
    }

    @Test func pagesOfOtherSizesAndLaterPagesAreTheirOwn() async throws {
        try await Self.run { cast, first in
            let second = try await cast.publish(cast.authorToken, "Second")
            #expect(try await cast.home(limit: 1).compactMap { $0["id"] as? String } == [second])
            #expect(try await cast.home().compactMap { $0["id"] as? String } == [second, first])
            let older = try await get(cast.client, "/api/v1/timelines/home?limit=1&max_id=\(second)", token: cast.viewerToken)
            #expect((older.json as? [[String: Any]])?.compactMap { $0["id"] as? String } == [first])
            let third = try await cast.publish(cast.authorToken, "Third")
            #expect(try await cast.home(limit: 1).compactMap { $0["id"] as? String } == [third])
        }
    }

    @Test func revokedTokensAndSuspendedMembersAreRefusedAtOnce() async throws {
        try await Self.run { cast, _ in
            let app = try await cast.client.registerApp()
            let token = try await cast.client.passwordToken(app, login: "viewer")
            #expect(try await get(cast.client, "/api/v1/timelines/home", token: token).status == .ok)
            let revoked = try await cast.client.json(
                "/oauth/revoke", method: .post,
                form: ["token": token, "client_id": app.clientID, "client_secret": app.clientSecret])
            #expect(revoked.status == .ok, "\(revoked.raw)")
            #expect(try await get(cast.client, "/api/v1/timelines/home", token: token).status == .unauthorized)

            #expect(try await get(cast.client, "/api/v1/timelines/home", token: cast.viewerToken).status == .ok)
            _ = try await cast.harness.pollen.setSuspended(true, memberID: cast.viewer.id, by: .system)
            #expect(try await get(cast.client, "/api/v1/timelines/home", token: cast.viewerToken).status == .unauthorized)
        }
    }
}
