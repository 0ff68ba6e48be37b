import Foundation
import PollenCore
import PollenStorage
import Testing

private let day: TimeInterval = 24 * 3600
/// The start of the tests' clock: 1 March 2026.
private let start = Date(timeIntervalSince1970: 1_772_323_200)

private func m(_ id: Int64) -> Member.ID { Member.ID(id) }

/// A fresh store of `engine` and a `Pollen` on it whose clock stands at `start` until advanced.
private func withPollen(_ engine: Engine, _ body: (Pollen, ManualTimeSource) async throws -> Void) async throws {
    try await withStore(engine) { store in
        let clock = ManualTimeSource(start)
        try await body(Pollen(store: store, secrets: PlainSecrets(), time: clock), clock)
    }
}

private func member(
    _ id: Int64, department: String = "", subjects: [String] = [], audience: NetworkPrivacy.Audience = .everyone,
    discoverable: Bool = true, status: Member.Status = .active, role: Member.Role = .member,
    createdAt: Date = start.addingTimeInterval(-365 * day)
) -> Member {
    var member = makeMember(
        id, handle: "m\(id)", department: department, subjects: subjects, role: role, status: status, createdAt: createdAt)
    member.privacy = NetworkPrivacy(audience: audience, discoverable: discoverable)
    return member
}

/// Stores the members and hands them back by id.
@discardableResult
private func add(_ pollen: Pollen, _ members: [Member]) async throws -> [Int64: Member] {
    try await pollen.store.write { try await $0.members.insertMany(members) }
    return Dictionary(uniqueKeysWithValues: members.map { ($0.id.rawValue, $0) })
}

/// Follows written directly (also to and from suspended members, as if made before a suspension).
private func follow(_ pollen: Pollen, _ pairs: [(Int64, Int64)]) async throws {
    let now = pollen.time.now()
    try await pollen.store.write { repos in
        for (follower, followee) in pairs {
            _ = try await repos.network.follow(id: follower * 10_000 + followee, follower: m(follower), followee: m(followee), at: now)
        }
    }
}

private func suggested(_ pollen: Pollen, for viewer: Member, limit: Int = 80) async throws -> [Suggestion] {
    try await pollen.suggestions(for: .member(viewer), limit: limit)
}

private func isFollowedByReason(_ reason: SuggestionReason) -> Bool {
    if case .followedByPeopleYouFollow = reason { return true }
    return false
}

private func following(_ pollen: Pollen, _ viewer: Int64) async throws -> Set<Int64> {
    Set(try await pollen.store.read { try await $0.network.timelineSources(of: m(viewer)) }.members.map(\.rawValue))
}

/// Runs `body` and hands back the domain error it throws.
private func domainError(_ body: () async throws -> Void) async -> DomainError? {
    do {
        try await body()
        return nil
    } catch let error as DomainError {
        return error
    } catch {
        Issue.record("unexpected error \(error)")
        return nil
    }
}

@Suite struct DiscoveryUseCaseTests {
    // MARK: - Suggestions

    @Test(arguments: Engine.enabled)
    func suggestionsNeverOfferWhomTheViewerMayNotBeOffered(engine: Engine) async throws {
        try await withPollen(engine) { pollen, _ in
            let people = try await add(pollen, [
                member(1, subjects: ["swift"]), member(2), member(3), member(4), member(5),
                member(6, discoverable: false), member(7, status: .suspended), member(8), member(9),
            ])
            let viewer = people[1]!
            // The viewer follows 2 and 9; 2 follows everyone else, the viewer included.
            try await follow(pollen, [(1, 2), (1, 9)] + (1...9).filter { $0 != 2 }.map { (2, Int64($0)) })
            // Everyone also writes on the viewer's subject, and draws reactions to it.
            for id: Int64 in 2...9 {
                try await pollen.store.write { repos in
                    try await repos.posts.insert(Post(
                        id: Post.ID(id * 100), authorID: m(id), body: "On #swift", visibility: .organization, hashtags: ["swift"],
                        createdAt: start.addingTimeInterval(-day), counts: Post.Counts(favourites: 5)))
                }
            }
            try await pollen.refreshSubjectScores()

            let before = Set(try await suggested(pollen, for: viewer).map(\.member.id.rawValue))
            #expect(before == [3, 4, 5, 8], "followed, not discoverable, suspended and the viewer are never offered")

            try await pollen.dismissSuggestion(m(3), by: .member(viewer))
            try await pollen.setBlocked(true, m(4), by: .member(viewer))
            try await pollen.setBlocked(true, m(1), by: .member(people[5]!))
            let after = try await suggested(pollen, for: viewer)
            #expect(after.map(\.member.id.rawValue) == [8], "dismissed and blocked either way are gone")
            #expect(after.first?.reasons.first == .followedByPeopleYouFollow(count: 1, examples: [people[2]!]))
        }
    }

    @Test(arguments: Engine.enabled)
    func aHiddenNetworkNeverProducesOrNamesASuggestion(engine: Engine) async throws {
        try await withPollen(engine) { pollen, _ in
            let people = try await add(pollen, [
                member(1), member(2, audience: .onlyMe), member(3), member(4), member(5),
                member(6, audience: .followed),
            ])
            let viewer = people[1]!
            // The viewer follows 2 (only me), 3 (everyone) and 6 (followed-only, does not follow the viewer).
            // 2 follows 4 and 5, 3 follows 5, 6 follows 4.
            try await follow(pollen, [(1, 2), (1, 3), (1, 6), (2, 4), (2, 5), (3, 5), (6, 4), (2, 1)])

            func check(_ suggestions: [Suggestion]) {
                for suggestion in suggestions {
                    for case .followedByPeopleYouFollow(_, let examples) in suggestion.reasons {
                        #expect(!examples.map(\.id).contains(m(2)), "the hidden network of 2 is named")
                        #expect(!examples.map(\.id).contains(m(6)), "the followed-only network of 6 is named")
                    }
                }
            }
            let suggestions = try await suggested(pollen, for: viewer)
            check(suggestions)
            let byID = Dictionary(uniqueKeysWithValues: suggestions.map { ($0.member.id.rawValue, $0) })
            #expect(byID[4].map { $0.reasons.contains(where: isFollowedByReason) } != true, "4 is reached only through hidden networks")
            #expect(byID[5]?.reasons.first == .followedByPeopleYouFollow(count: 1, examples: [people[3]!]))

            // The same people, once 2 shows their network: 4 and 5 are followed by 2 too.
            try await pollen.updateNetworkPrivacy(NetworkPrivacy(audience: .everyone), of: m(2), by: .member(people[2]!))
            let open = Dictionary(uniqueKeysWithValues: try await suggested(pollen, for: viewer).map { ($0.member.id.rawValue, $0) })
            let two = try await pollen.member(id: m(2), viewer: .system)
            #expect(open[4]?.reasons.first == .followedByPeopleYouFollow(count: 1, examples: [two]))
            #expect(open[5]?.reasons.first == .followedByPeopleYouFollow(count: 2, examples: [two, people[3]!]))
        }
    }

    @Test(arguments: Engine.enabled)
    func suggestionsAreCappedAndNeedAnActiveMember(engine: Engine) async throws {
        try await withPollen(engine) { pollen, _ in
            // Everyone joined this week: all are new here.
            let people = try await add(pollen, (1...30).map { member($0, department: "D\($0 % 4)", createdAt: start) })
            let list = try await suggested(pollen, for: people[1]!, limit: 7)
            #expect(list.count == 7)
            #expect(list.allSatisfy { $0.reasons.contains(.newHere) })
            #expect(try await suggested(pollen, for: people[1]!, limit: 0).count == 1, "at least one")
            var suspended = people[2]!
            suspended.status = .suspended
            let error = await domainError { _ = try await suggested(pollen, for: suspended) }
            #expect(error?.code == .forbidden)
        }
    }

    // MARK: - Network privacy

    @Test(arguments: Engine.enabled)
    func networkCountsHideWhatTheViewerMayNotSee(engine: Engine) async throws {
        try await withPollen(engine) { pollen, _ in
            let people = try await add(pollen, [
                member(1), member(2, audience: .onlyMe), member(3, audience: .followed), member(4), member(5),
            ])
            // 2 (only me) and 3 (followed only) each follow 4 and are followed by 1; 2 wrote a post.
            try await follow(pollen, [(1, 2), (1, 3), (2, 4), (3, 4), (5, 2)])
            try await pollen.publishPost(PostDraft(body: "Hello"), by: .member(people[2]!))
            let shown = [people[2]!, people[3]!, people[4]!]

            let toViewer = try await pollen.networkCounts(for: shown, viewer: .member(people[1]!))
            var hidden = NetworkCounts(posts: 1)
            hidden.networkHidden = true
            hidden.lastPostedAt = start
            #expect(toViewer[m(2)] == hidden)
            #expect(toViewer[m(3)]?.networkHidden == true && toViewer[m(3)]?.followers == 0 && toViewer[m(3)]?.following == 0)
            #expect(toViewer[m(4)] == NetworkCounts(followers: 2))

            // Their own counts are never hidden from them.
            let own = try await pollen.networkCounts(for: [people[2]!], viewer: .member(people[2]!))[m(2)]
            #expect(own?.networkHidden == false && own?.followers == 2 && own?.following == 1)
            // Followed-only shows to the people 3 follows.
            let toFollowed = try await pollen.networkCounts(for: [people[3]!, people[2]!], viewer: .member(people[4]!))
            #expect(toFollowed[m(3)]?.networkHidden == false && toFollowed[m(3)]?.followers == 1 && toFollowed[m(3)]?.following == 1)
            #expect(toFollowed[m(2)]?.networkHidden == true, "only me, whoever asks")
        }
    }

    @Test(arguments: Engine.enabled)
    func followListsAndListingsOfAHiddenNetworkAreForbidden(engine: Engine) async throws {
        try await withPollen(engine) { pollen, _ in
            let people = try await add(pollen, [
                member(1), member(2, audience: .onlyMe), member(3, audience: .followed), member(4),
            ])
            try await follow(pollen, [(1, 2), (2, 4), (3, 4), (4, 1)])
            let viewer = Actor.member(people[1]!)
            for target in [m(2), m(3)] {
                for followers in [true, false] {
                    let list = await domainError {
                        _ = try await pollen.followList(of: target, followers: followers, range: CursorRange(), viewer: viewer)
                    }
                    #expect(list?.code == .forbidden)
                    let listing = await domainError {
                        _ = try await pollen.networkListing(of: target, followers: followers, viewer: viewer)
                    }
                    #expect(listing?.code == .forbidden)
                }
            }
            // The owner sees their own; followed-only opens to whom they follow; everyone's is open.
            #expect(try await pollen.followList(of: m(2), followers: false, range: CursorRange(), viewer: .member(people[2]!))
                .map(\.member.id) == [m(4)])
            let listing = try await pollen.networkListing(of: m(3), followers: false, viewer: .member(people[4]!))
            #expect(listing.entries.map(\.member.id) == [m(4)] && listing.entries.first?.canFollow == false)
            // An open network lists only the people whose own network the viewer may see: not 2 (only me) nor
            // 3 (followed only, not following the viewer), as their being listed tells whom they follow.
            try await add(pollen, [member(5), member(6)])
            try await follow(pollen, [(5, 4), (6, 4), (1, 6)])
            let open = try await pollen.networkListing(of: m(4), followers: true, viewer: viewer)
            #expect(Set(open.entries.map(\.member.id)) == [m(5), m(6)])
            #expect(open.entries.allSatisfy { $0.canFollow && $0.followedByViewer == ($0.member.id == m(6)) })
            #expect(Set(try await pollen.followList(of: m(4), followers: true, range: CursorRange(), viewer: viewer).map(\.member.id))
                == [m(5), m(6)])
            try await follow(pollen, [(3, 1)])
            #expect(Set(try await pollen.networkListing(of: m(4), followers: true, viewer: viewer).entries.map(\.member.id))
                == [m(3), m(5), m(6)], "3 now follows the viewer")
        }
    }

    // MARK: - Following and unfollowing many

    @Test(arguments: Engine.enabled)
    func followMembersSkipsWhatCannotBeFollowedAndNotifies(engine: Engine) async throws {
        try await withPollen(engine) { pollen, _ in
            let people = try await add(pollen, [
                member(1), member(2), member(3, status: .suspended), member(4), member(5), member(6), member(7),
            ])
            let viewer = Actor.member(people[1]!)
            try await follow(pollen, [(1, 2)])
            try await pollen.setBlocked(true, m(1), by: .member(people[4]!))
            let result = try await pollen.followMembers([m(1), m(2), m(3), m(4), m(5), m(6), m(5), m(999)], by: viewer)
            #expect(result.changed.map(\.id) == [m(5), m(6)])
            #expect(result.skipped == 5, "self, already followed, suspended, across a block, unknown")
            #expect(try await following(pollen, 1) == [2, 5, 6])
            for target in [m(5), m(6)] {
                let told = try await pollen.store.read {
                    try await $0.notifications.list(member: target, kinds: [.follow], range: CursorRange())
                }
                #expect(told.map(\.actorID) == [m(1)])
            }
            #expect(try await pollen.store.read {
                try await $0.notifications.list(member: m(2), kinds: nil, range: CursorRange())
            }.isEmpty, "no notification for a follow that was there")

            let empty = await domainError { _ = try await pollen.followMembers([], by: viewer) }
            #expect(empty?.code == .invalidInput)
            let many = await domainError { _ = try await pollen.followMembers((1...501).map { m(Int64($0)) }, by: viewer) }
            #expect(many?.code == .invalidInput)
        }
    }

    @Test(arguments: Engine.enabled)
    func unfollowMembersUnfollowsAndWithdrawsTheNotifications(engine: Engine) async throws {
        try await withPollen(engine) { pollen, _ in
            let people = try await add(pollen, [member(1), member(2), member(3), member(4)])
            let viewer = Actor.member(people[1]!)
            try await pollen.followMembers([m(2), m(3)], by: viewer)
            let result = try await pollen.unfollowMembers([m(2), m(4), m(2), m(999)], by: viewer)
            #expect(result.changed.map(\.id) == [m(2)])
            #expect(result.skipped == 2)
            #expect(try await following(pollen, 1) == [3])
            #expect(try await pollen.store.read {
                try await $0.notifications.list(member: m(2), kinds: nil, range: CursorRange())
            }.isEmpty)
            let empty = await domainError { _ = try await pollen.unfollowMembers([], by: viewer) }
            #expect(empty?.code == .invalidInput)
        }
    }

    // MARK: - Unfollow review

    @Test(arguments: Engine.enabled)
    func unfollowCandidatesAreTheUnengagedAndTheQuiet(engine: Engine) async throws {
        try await withPollen(engine) { pollen, clock in
            let people = try await add(pollen, [member(1), member(2), member(3), member(4), member(5)])
            let viewer = Actor.member(people[1]!)
            try await pollen.followMembers([m(2), m(3), m(4)], by: viewer)
            let followedAt = clock.now()
            let oldPost = try await pollen.publishPost(PostDraft(body: "Early"), by: .member(people[2]!))
            #expect(try await pollen.unfollowCandidates(for: viewer).map(\.member.id) == [m(3), m(4)], "quiet from the start")

            clock.advance(by: 61 * day)
            let fresh = try await pollen.publishPost(PostDraft(body: "Fresh"), by: .member(people[3]!))
            try await pollen.followMember(m(5), by: viewer)  // a new follow: too early to judge
            try await pollen.publishPost(PostDraft(body: "New"), by: .member(people[5]!))
            let review = try await pollen.unfollowCandidates(for: viewer)
            #expect(review.map(\.member.id) == [m(4), m(2), m(3)], "quiet ones first, then the longest followed")
            let reasons = Dictionary(uniqueKeysWithValues: review.map { ($0.member.id.rawValue, $0.reasons) })
            #expect(reasons[2] == [.neverEngaged(followedSince: followedAt)])
            #expect(reasons[3] == [.neverEngaged(followedSince: followedAt)])
            #expect(reasons[4] == [.quiet(lastPosted: nil), .neverEngaged(followedSince: followedAt)])

            // Opening 3's post and favouriting 2's count as engagement.
            try await pollen.recordOpened(try await pollen.post(fresh.id, viewer: viewer), by: viewer)
            try await pollen.setFavourite(true, oldPost.id, by: viewer)
            #expect(try await pollen.unfollowCandidates(for: viewer).map(\.member.id) == [m(4)])

            // Ninety days after 2's only post, 2 has gone quiet, engaged or not.
            clock.advance(by: 30 * day)
            let later = Dictionary(uniqueKeysWithValues: try await pollen.unfollowCandidates(for: viewer).map { ($0.member.id.rawValue, $0.reasons) })
            #expect(later[2] == [.quiet(lastPosted: followedAt)])
            #expect(later[3] == nil && later[5] == nil)
        }
    }

    @Test(arguments: Engine.enabled)
    func openingOnesOwnPostIsNotRecorded(engine: Engine) async throws {
        try await withPollen(engine) { pollen, _ in
            let people = try await add(pollen, [member(1), member(2)])
            let post = try await pollen.publishPost(PostDraft(body: "Mine"), by: .member(people[1]!))
            try await pollen.recordOpened(try await pollen.post(post.id, viewer: .member(people[1]!)), by: .member(people[1]!))
            #expect(try await pollen.store.read { try await $0.discovery.engagedAuthors(by: m(1)) }.isEmpty)
            try await pollen.recordOpened(try await pollen.post(post.id, viewer: .member(people[2]!)), by: .member(people[2]!))
            #expect(try await pollen.store.read { try await $0.discovery.engagedAuthors(by: m(2)) } == [m(1)])
        }
    }

    // MARK: - Subjects

    @Test(arguments: Engine.enabled)
    func subjectPageListsThoughtLeadersByEngagementNotFollowers(engine: Engine) async throws {
        try await withPollen(engine) { pollen, clock in
            // 1 is the viewer, 2 the most followed, 3 and 4 write what people react to, 5 answers, 10… fans.
            let people = try await add(pollen, (1...5).map { member($0) } + (10...21).map { member($0) })
            try await follow(pollen, (10...21).map { (Int64($0), 2) })
            func act(_ id: Int64) -> Actor { .member(people[id]!) }
            for text in ["#swift one", "#swift two", "#swift three"] { try await pollen.publishPost(PostDraft(body: text), by: act(2)) }
            let tip = try await pollen.publishPost(PostDraft(body: "A #swift tip"), by: act(3))
            let other = try await pollen.publishPost(PostDraft(body: "More #swift"), by: act(4))
            for fan: Int64 in 10...12 { try await pollen.setFavourite(true, tip.id, by: act(fan)) }
            try await pollen.setFavourite(true, other.id, by: act(13))
            for parent in [tip.id, tip.id, other.id] {
                try await pollen.publishPost(PostDraft(body: "An answer", replyToID: parent), by: act(5))
            }
            // An old post with many reactions is outside the 90 days.
            try await pollen.store.write { repos in
                try await repos.posts.insert(Post(
                    id: Post.ID(1), authorID: m(2), body: "Old #swift", visibility: .organization, hashtags: ["swift"],
                    createdAt: start.addingTimeInterval(-91 * day), counts: Post.Counts(favourites: 500)))
            }

            let before = try await pollen.subject("swift", viewer: act(1))
            #expect(before.thoughtLeaders.isEmpty && before.practitioners.isEmpty && before.refreshedAt == nil)
            #expect(try await pollen.subjectScoresAreStale())

            clock.advance(by: 60)
            let refresh = try await pollen.refreshSubjectScores()
            #expect(refresh.scores == 4)
            #expect(!(try await pollen.subjectScoresAreStale()))
            let page = try await pollen.subject("#Swift", viewer: act(1))
            #expect(page.tag == "swift")
            #expect(page.refreshedAt == clock.now())
            // 3: three favourites and two replies (3 + 4); 4: one favourite and one reply (1 + 2).
            #expect(page.thoughtLeaders.map(\.member.id) == [m(3), m(4)])
            #expect(page.thoughtLeaders.map(\.score.engagement) == [7, 3])
            #expect(!page.thoughtLeaders.map(\.member.id).contains(m(2)), "the most followed drew no reactions")
            // Practitioners: by posts and answers, beyond the leaders.
            #expect(page.practitioners.map(\.member.id) == [m(2), m(5)])
            #expect(page.practitioners.map(\.score.posts) == [3, 0] && page.practitioners.map(\.score.replies) == [0, 3])

            // Someone who asks not to be suggested leaves the page (after the next read, no refresh needed).
            try await pollen.updateNetworkPrivacy(NetworkPrivacy(discoverable: false), of: m(3), by: act(3))
            let without = try await pollen.subject("swift", viewer: act(1))
            #expect(without.thoughtLeaders.map(\.member.id) == [m(4)])
            clock.advance(by: Pollen.subjectScoreRefreshInterval)
            #expect(try await pollen.subjectScoresAreStale())
        }
    }

    // MARK: - Explore

    @Test(arguments: Engine.enabled)
    func exploreShowsNewcomersPopularPeopleAndPostsAndRisingTags(engine: Engine) async throws {
        try await withPollen(engine) { pollen, clock in
            let now = start.addingTimeInterval(20 * day)
            let people = try await add(pollen, [
                member(1, department: "Engineering"),
                member(2, department: "Engineering", createdAt: now.addingTimeInterval(-5 * day)),
                member(3, department: "Engineering", createdAt: now.addingTimeInterval(-60 * day)),
                member(4, department: "Legal", createdAt: now.addingTimeInterval(-2 * day)),
                member(5, department: "engineering", discoverable: false, createdAt: now.addingTimeInterval(-1 * day)),
            ])
            func act(_ id: Int64) -> Actor { .member(people[id]!) }
            // Three weeks back: #go is used nine times (three a week before this one), #swift once.
            for n in 1...9 { try await pollen.publishPost(PostDraft(body: "#go \(n)"), by: act(3)) }
            try await pollen.publishPost(PostDraft(body: "#swift early"), by: act(3))

            clock.advance(by: 20 * day)
            #expect(clock.now() == now)
            var swift: [Post] = []
            for n in 1...3 { swift.append(try await pollen.publishPost(PostDraft(body: "#swift \(n)"), by: act(3))) }
            for n in 1...3 { try await pollen.publishPost(PostDraft(body: "#go \(n) again"), by: act(3)) }
            let legal = try await pollen.publishPost(PostDraft(body: "#law matters"), by: act(4))
            let quiet = try await pollen.publishPost(PostDraft(body: "Followers only", visibility: .followers), by: act(4))
            try await follow(pollen, [(1, 4)])
            for fan: Int64 in [1, 2, 3, 5] { try await pollen.setFavourite(true, legal.id, by: act(fan)) }
            for fan: Int64 in [1, 2] { try await pollen.setFavourite(true, swift[1].id, by: act(fan)) }
            try await pollen.setFavourite(true, quiet.id, by: act(1))
            // Trends read up to now, excluded: look a minute later.
            clock.advance(by: 60)

            let all = try await pollen.explore(department: nil, viewer: act(1))
            #expect(all.department == nil)
            #expect(all.newMembers.map(\.id) == [m(4), m(2)], "newest first; not the undiscoverable, not the long-standing")
            #expect(all.popularPeople.map(\.member.id) == [m(4), m(3)] && all.popularPeople.map(\.engagement) == [4, 2])
            #expect(all.popularPosts.map(\.post.id) == [legal.id, swift[1].id], "not the followers-only post")
            #expect(all.risingTags.map(\.tag) == ["swift"], "#go is as used as before")
            #expect(all.risingTags.first?.thisWeek == 3 && all.risingTags.first?.weeklyBefore == 1.0 / 3)

            let engineering = try await pollen.explore(department: " engineering ", viewer: act(1))
            #expect(engineering.department == "engineering")
            #expect(engineering.newMembers.map(\.id) == [m(2)])
            #expect(engineering.popularPeople.map(\.member.id) == [m(3)])
            #expect(engineering.popularPosts.map(\.post.id) == [swift[1].id])
            #expect(engineering.risingTags.map(\.tag) == ["swift"])

            let tooLong = await domainError {
                _ = try await pollen.explore(department: String(repeating: "x", count: 500), viewer: act(1))
            }
            #expect(tooLong?.code == .invalidInput)
        }
    }

    // MARK: - Collections

    @Test(arguments: Engine.enabled)
    func collectionsAreValidated(engine: Engine) async throws {
        try await withPollen(engine) { pollen, _ in
            let people = try await add(pollen, [
                member(1), member(2), member(3, discoverable: false), member(4, status: .suspended),
            ])
            let owner = Actor.member(people[1]!)
            func create(_ draft: CollectionDraft) async -> DomainError? {
                await domainError { _ = try await pollen.createCollection(draft, by: owner) }
            }
            let untitled = await create(CollectionDraft(title: "   ", handles: ["m2"]))
            #expect(untitled?.code == .invalidInput && untitled?.field == "title")
            #expect(await create(CollectionDraft(title: String(repeating: "t", count: 101), handles: ["m2"]))?.code == .invalidInput)
            let unknown = await create(CollectionDraft(title: "Pack", handles: ["@nobody"]))
            #expect(unknown?.code == .invalidInput && unknown?.field == "handles")
            #expect(await create(CollectionDraft(title: "Pack", handles: ["m3"]))?.code == .invalidInput, "asked not to be suggested")
            #expect(await create(CollectionDraft(title: "Pack", handles: ["m4"]))?.code == .invalidInput, "suspended")
            #expect(await create(CollectionDraft(title: "Pack"))?.code == .invalidInput, "nothing listed")
            #expect(await create(CollectionDraft(title: "Pack", tags: ["c++"]))?.code == .invalidInput)

            let made = try await pollen.createCollection(
                CollectionDraft(title: "  Swift people ", description: " Worth it ", handles: ["@M2", "m2", " m1 "], tags: ["#Swift"]),
                by: owner)
            #expect(made.title == "Swift people" && made.description == "Worth it")
            #expect(made.members == [m(2), m(1)] && made.tags == ["swift"])
            #expect(try await pollen.store.read { try await $0.collections.find(id: made.id) } == made)
        }
    }

    @Test(arguments: Engine.enabled)
    func onlyTheOwnerOrAnAdministratorChangesACollection(engine: Engine) async throws {
        try await withPollen(engine) { pollen, clock in
            let people = try await add(pollen, [member(1), member(2), member(3, role: .moderator), member(4, role: .admin)])
            let made = try await pollen.createCollection(CollectionDraft(title: "Pack", handles: ["m2"]), by: .member(people[1]!))
            let draft = CollectionDraft(title: "Taken over", tags: ["go"])
            for outsider: Int64 in [2, 3] {
                let edit = await domainError { _ = try await pollen.updateCollection(made.id, draft, by: .member(people[outsider]!)) }
                #expect(edit?.code == .forbidden)
                let delete = await domainError { try await pollen.deleteCollection(made.id, by: .member(people[outsider]!)) }
                #expect(delete?.code == .forbidden)
            }
            #expect(try await pollen.store.read { try await $0.collections.find(id: made.id) } == made)
            #expect(try await pollen.collection(made.id, viewer: .member(people[2]!)).mayEdit == false)

            clock.advance(by: 60)
            let edited = try await pollen.updateCollection(made.id, draft, by: .member(people[4]!))
            #expect(edited.title == "Taken over" && edited.members.isEmpty && edited.tags == ["go"])
            #expect(edited.updatedAt == clock.now() && edited.owner == m(1))
            try await pollen.deleteCollection(made.id, by: .member(people[1]!))
            let gone = await domainError { _ = try await pollen.collection(made.id, viewer: .member(people[1]!)) }
            #expect(gone?.code == .notFound)
        }
    }

    @Test(arguments: Engine.enabled)
    func followCollectionFollowsThePickedPartsOnly(engine: Engine) async throws {
        try await withPollen(engine) { pollen, _ in
            let people = try await add(pollen, [member(1), member(2), member(3), member(4), member(5)])
            let made = try await pollen.createCollection(
                CollectionDraft(title: "Pack", handles: ["m2", "m3", "m4"], tags: ["swift", "go"]), by: .member(people[1]!))
            let viewer = Actor.member(people[5]!)

            let picked = try await pollen.followCollection(made.id, members: [m(3), m(1)], tags: ["go", "rust"], by: viewer)
            #expect(picked.people == 1 && picked.tags == 1, "only listed people and hashtags are followed")
            #expect(try await following(pollen, 5) == [3])
            #expect(try await pollen.store.read { try await $0.network.timelineSources(of: m(5)) }.tags == ["go"])

            // 4 asks not to be suggested: they drop out of the collection.
            try await pollen.updateNetworkPrivacy(NetworkPrivacy(discoverable: false), of: m(4), by: .member(people[4]!))
            let view = try await pollen.collection(made.id, viewer: viewer)
            #expect(view.members.map(\.id) == [m(2), m(3)] && view.following == [m(3)] && view.followedTags == ["go"])
            let rest = try await pollen.followCollection(made.id, members: nil, tags: nil, by: viewer)
            #expect(rest.people == 1 && rest.tags == 1)
            #expect(try await following(pollen, 5) == [2, 3])
            let again = await domainError { _ = try await pollen.followCollection(made.id, members: nil, tags: nil, by: viewer) }
            #expect(again?.code == .conflict)
        }
    }

    // MARK: - Onboarding

    @Test(arguments: Engine.enabled)
    func onboardingMovesEndsAndResumes(engine: Engine) async throws {
        try await withPollen(engine) { pollen, clock in
            let people = try await add(pollen, [member(1)])
            let viewer = Actor.member(people[1]!)
            #expect(try await pollen.onboarding(for: viewer) == nil)
            let first = try await pollen.moveOnboarding(to: .thoughtLeaders, by: viewer)
            #expect(first == OnboardingProgress(step: 2, startedAt: start))
            clock.advance(by: 60)
            try await pollen.endOnboarding(skipped: true, by: viewer)
            #expect(try await pollen.onboarding(for: viewer) == OnboardingProgress(step: 2, startedAt: start, skippedAt: clock.now()))
            clock.advance(by: 60)
            try await pollen.moveOnboarding(to: .hashtags, by: viewer)
            #expect(try await pollen.onboarding(for: viewer) == OnboardingProgress(step: 5, startedAt: start))
            try await pollen.endOnboarding(skipped: false, by: viewer)
            #expect(try await pollen.onboarding(for: viewer)?.finishedAt == clock.now())
        }
    }
}
