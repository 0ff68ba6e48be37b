import Foundation
import PollenCore
import PollenStorage
import Testing

private let hour: TimeInterval = 3600
private let day: TimeInterval = 24 * hour
/// 1 March 2026, whole seconds so every moment derived from it survives the round trip.
private let start = Date(timeIntervalSince1970: 1_772_323_200)

private func m(_ id: Int64) -> Member.ID { Member.ID(id) }
private func c(_ id: Int64) -> Community.ID { Community.ID(id) }
private func i(_ id: Int64) -> CommunityItem.ID { CommunityItem.ID(id) }

// MARK: - Fixtures

/// Members 1–8 (department as given, Finance for 1–3 by default) and 9, an administrator.
private func people(departments: [Int64: String] = [:]) -> [Member] {
    (1...9).map { id in
        makeMember(
            Int64(id), handle: "m\(id)", department: departments[Int64(id)] ?? "",
            role: id == 9 ? .admin : .member, createdAt: start.addingTimeInterval(-365 * day))
    }
}

/// What the use-case tests work with: the application, its clock, the members by id, and the folder its
/// uploaded files go to.
private struct World {
    let pollen: Pollen
    let clock: ManualTimeSource
    let m: [Int64: Member]
    let files: URL

    func actor(_ id: Int64) -> Actor { .member(m[id]!) }
}

private func withWorld(
    _ engine: Engine, departments: [Int64: String] = [:], rules: ResourceRules = ResourceRules(),
    _ body: (World) async throws -> Void
) async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pollen-resources-test-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    try await withStore(engine) { store in
        let members = people(departments: departments)
        try await store.write { try await $0.members.insertMany(members) }
        let clock = ManualTimeSource(start)
        let pollen = Pollen(
            store: store, secrets: PlainSecrets(), time: clock, files: DirectoryResourceFiles(root: folder), resourceRules: rules)
        try await body(
            World(pollen: pollen, clock: clock, m: Dictionary(uniqueKeysWithValues: members.map { ($0.id.rawValue, $0) }), files: folder))
    }
}

private func communityDraft(_ slug: String, _ membership: Community.Membership) -> CommunityDraft {
    CommunityDraft(slug: slug, name: "Community \(slug)", kind: .horizontal, purpose: "Why \(slug) exists", membership: membership)
}

/// Founds `slug` by `founder` and has `members` join (open) or be approved (on request) or invited (private).
@discardableResult
private func community(
    _ w: World, _ slug: String, _ membership: Community.Membership = .open, founder: Int64 = 1, members: [Int64] = []
) async throws -> Community {
    let made = try await w.pollen.createCommunity(communityDraft(slug, membership), by: w.actor(founder))
    for id in members {
        switch membership {
        case .open:
            try await w.pollen.joinCommunity(slug: slug, by: w.actor(id))
        case .onRequest:
            try await w.pollen.joinCommunity(slug: slug, by: w.actor(id))
            try await w.pollen.decide(.approve, about: m(id), in: slug, by: w.actor(founder))
        case .private:
            try await w.pollen.decide(.invite, about: m(id), in: slug, by: w.actor(founder))
            try await w.pollen.joinCommunity(slug: slug, by: w.actor(id))
        }
    }
    return made
}

private func write(
    _ w: World, _ kind: CommunityItem.Kind, _ title: String, body: String = "Some text.", in slug: String, by author: Int64,
    publish: Bool = true, publishAt: Date? = nil, announcement: Bool = false, link: String? = nil, file: UploadedFile? = nil,
    tags: [String] = []
) async throws -> CommunityItem {
    try await w.pollen.createItem(
        ItemDraft(
            kind: kind, title: title, body: body, tags: tags, publish: publish, publishAt: publishAt, announcement: announcement,
            link: link, file: file),
        in: slug, by: w.actor(author))
}

private func stored(_ w: World, _ id: CommunityItem.ID) async throws -> CommunityItem? {
    try await w.pollen.store.read { try await $0.communityContent.find(id: id) }
}

/// The member's community notifications of `kind`, through the use case (so with its visibility filter).
private func told(_ w: World, _ member: Int64, _ kind: MemberNotification.Kind) async throws -> [NotificationView] {
    try await w.pollen.notifications(by: w.actor(member), kinds: [kind], range: CursorRange(limit: 40))
}

private func expectError(
    _ code: DomainError.Code, _ what: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation,
    _ work: () async throws -> Void
) async {
    do {
        try await work()
        Issue.record("expected \(code)\(what.map { ": \($0)" } ?? "")", sourceLocation: sourceLocation)
    } catch let error as DomainError {
        #expect(error.code == code, "\(what.map { "\($0): " } ?? "")\(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
    }
}

// MARK: - Repository fixtures

/// Members 1–9 and communities 1 (open, by 1), 2 (private, by 1), 3 (on request, by 1) and 4 (open, by 1),
/// with nobody in them yet.
private func seedStore(_ store: SQLStore) async throws {
    try await store.write { repos in
        try await repos.members.insertMany(people())
        for (id, membership) in [(Int64(1), Community.Membership.open), (2, .private), (3, .onRequest), (4, .open)] {
            try await repos.communities.insert(
                Community(
                    id: c(id), slug: "c\(id)", name: "Community \(id)", kind: .interest, purpose: "", guidelines: "",
                    membership: membership, createdBy: m(1), createdAt: start.addingTimeInterval(-30 * day)))
        }
    }
}

private func membership(_ community: Int64, _ member: Int64, _ state: CommunityMember.State = .active, role: CommunityMember.Role = .member)
    -> CommunityMember
{
    CommunityMember(community: c(community), member: m(member), role: role, state: state, since: start.addingTimeInterval(-day))
}

private func item(
    _ id: Int64, in community: Int64 = 1, _ kind: CommunityItem.Kind = .thread, title: String? = nil, body: String = "Text",
    by author: Int64 = 1, state: CommunityItem.State = .published, at published: Date? = start.addingTimeInterval(-hour),
    pinned: Bool = false, announcement: Bool = false, tags: [String] = [], featured: Bool = false
) -> CommunityItem {
    CommunityItem(
        id: i(id), communityID: c(community), kind: kind, title: title ?? "Item \(id)", body: body, tags: tags, authorID: m(author),
        state: state, publishedAt: state == .published ? published : nil, pinned: pinned, announcement: announcement,
        feature: featured ? CommunityItem.Feature(note: "Worth it", by: m(1), at: start.addingTimeInterval(-hour / 2)) : nil,
        createdAt: published ?? start.addingTimeInterval(-4 * hour))
}

private func ids(_ items: [CommunityItem]) -> [Int64] { items.map(\.id.rawValue) }

/// Community content on every engine: the repository's contract, the use cases with their permissions, the
/// notifications they send, and the community home.
@Suite struct CommunityContentTests {}

extension CommunityContentTests {
    @Suite struct Repository {
        @Test(arguments: Engine.enabled)
        func anItemKeepsEveryFieldThroughInsertFindAndUpdate(engine: Engine) async throws {
            try await withStore(engine) { store in
                try await seedStore(store)
                let original = CommunityItem(
                    id: i(100), communityID: c(1), kind: .resource, title: "Forecast Template", body: "How to **use** it",
                    tags: ["finance", "forecast"], authorID: m(2), state: .published, publishedAt: start.addingTimeInterval(-hour),
                    pinned: true, closed: true, announcement: true, revision: 3,
                    resource: CommunityItem.Resource(
                        fileName: "forecast.xlsx", contentType: "application/vnd.ms-excel", byteSize: 12_345,
                        storageKey: "100/100-7.xlsx"),
                    feature: CommunityItem.Feature(note: "The one we use", by: m(1), at: start.addingTimeInterval(-hour / 2)),
                    importKey: "finance/forecast.md", createdAt: start.addingTimeInterval(-2 * hour),
                    updatedAt: start.addingTimeInterval(-90 * 60))
                try await store.write { try await $0.communityContent.insert(original) }

                let found = try await store.read { try await $0.communityContent.find(id: i(100)) }
                #expect(found == original)
                #expect(try await store.read { try await $0.communityContent.find(importKey: "finance/forecast.md", in: c(1)) } == original)
                #expect(try await store.read { try await $0.communityContent.find(importKey: "finance/forecast.md", in: c(4)) } == nil)
                #expect(try await store.read { try await $0.communityContent.find(id: i(101)) } == nil)

                // Counts change only through adjustCounts; update stores everything else.
                try await store.write {
                    try await $0.communityContent.adjustCounts(i(100), comments: 3, favourites: 2, ratings: 2, ratingTotal: 9)
                    try await $0.communityContent.adjustCounts(i(100), comments: -1, favourites: 0, ratings: 0, ratingTotal: 0)
                }
                var changed = try #require(found)
                changed.title = "Forecast template v2"
                changed.body = "Now a link"
                changed.tags = ["planning"]
                changed.state = .draft
                changed.publishedAt = nil
                changed.pinned = false
                changed.closed = false
                changed.announcement = false
                changed.revision = 4
                changed.resource = CommunityItem.Resource(link: "https://example.org/forecast")
                changed.feature = nil
                changed.importKey = "finance/forecast-v2.md"
                changed.updatedAt = start
                changed.counts = CommunityItem.Counts(views: 99, comments: 99, favourites: 99, ratings: 99, ratingTotal: 99)
                let update = changed
                try await store.write { try await $0.communityContent.update(update) }

                var expected = changed
                expected.counts = CommunityItem.Counts(views: 0, comments: 2, favourites: 2, ratings: 2, ratingTotal: 9)
                #expect(try await store.read { try await $0.communityContent.find(id: i(100)) } == expected)
                #expect(try await store.read { try await $0.communityContent.find(importKey: "finance/forecast.md", in: c(1)) } == nil)
                #expect(try await store.read { try await $0.communityContent.find(importKey: "finance/forecast-v2.md", in: c(1)) }?.id == i(100))

                try await store.write { try await $0.communityContent.delete(i(100)) }
                #expect(try await store.read { try await $0.communityContent.find(id: i(100)) } == nil)
            }
        }

        @Test(arguments: Engine.enabled)
        func itemListsFilterByKindStateTimeAnnouncementAndFeature(engine: Engine) async throws {
            try await withStore(engine) { store in
                try await seedStore(store)
                let all = [
                    item(1, .thread, by: 1, at: start.addingTimeInterval(-5 * hour), pinned: true),
                    item(2, .thread, by: 1, at: start.addingTimeInterval(-3 * hour)),
                    item(3, .thread, by: 1, at: start.addingTimeInterval(-2 * hour), announcement: true),
                    item(4, .wiki, by: 3, at: start.addingTimeInterval(-1 * hour), featured: true),
                    item(5, .article, by: 2, state: .draft, at: nil),  // created 4 hours before the start
                    item(6, .article, by: 2, at: start.addingTimeInterval(2 * hour)),  // scheduled
                    item(7, in: 4, .thread, by: 1, at: start.addingTimeInterval(-hour)),  // another community
                ]
                try await store.write { repos in for entry in all { try await repos.communityContent.insert(entry) } }
                func list(_ query: CommunityItemQuery) async throws -> Page<CommunityItem> {
                    try await store.read { try await $0.communityContent.items(query) }
                }

                let live = try await list(CommunityItemQuery(community: c(1), liveAt: start))
                #expect(ids(live.items) == [1, 4, 3, 2], "pinned first, then the newest live")
                #expect(live.total == 4)
                #expect(ids(try await list(CommunityItemQuery(community: c(1), kind: .thread, liveAt: start)).items) == [1, 3, 2])
                #expect(ids(try await list(CommunityItemQuery(community: c(1), liveAt: start, draftsOf: m(2))).items) == [1, 6, 4, 3, 2, 5])
                #expect(ids(try await list(CommunityItemQuery(community: c(1), liveAt: start, draftsOf: m(3))).items) == [1, 4, 3, 2])
                #expect(ids(try await list(CommunityItemQuery(community: c(1), liveAt: start, allDrafts: true)).items) == [1, 6, 4, 3, 2, 5])
                #expect(
                    ids(try await list(CommunityItemQuery(community: c(1), liveAt: start.addingTimeInterval(2 * hour))).items) == [1, 6, 4, 3, 2],
                    "a scheduled item shows from its time on")
                #expect(ids(try await list(CommunityItemQuery(community: c(1), liveAt: start, announcementsOnly: true)).items) == [3])
                #expect(ids(try await list(CommunityItemQuery(community: c(1), liveAt: start, featuredOnly: true)).items) == [4])
                let page = try await list(CommunityItemQuery(community: c(1), liveAt: start, limit: 2, offset: 1))
                #expect(ids(page.items) == [4, 3])
                #expect(page.total == 4)

                // Recently active first: a comment moves an item up.
                #expect(ids(try await list(CommunityItemQuery(community: c(1), liveAt: start, order: .active)).items) == [4, 3, 2, 1])
                try await store.write {
                    try await $0.communityContent.insertComment(
                        CommunityComment(id: CommunityComment.ID(900), itemID: i(2), authorID: m(3), body: "Bump", createdAt: start))
                }
                #expect(ids(try await list(CommunityItemQuery(community: c(1), liveAt: start, order: .active)).items) == [2, 4, 3, 1])
            }
        }

        /// `members(of:)` and `newestMembers(of:)` join `community_members` (its `role`: member, sme, manager)
        /// with `members` (its own `role`: member, moderator, admin); each must come back as itself. Who leads a
        /// community (the home's leaders, who hears of requests) is read from these lists.
        @Test(arguments: Engine.enabled)
        func memberListsKeepTheCommunityRoleApartFromTheSiteRole(engine: Engine) async throws {
            try await withStore(engine) { store in
                try await seedStore(store)
                try await store.write { repos in
                    try await repos.communities.saveMembership(membership(1, 1, role: .manager))
                    try await repos.communities.saveMembership(membership(1, 9, role: .sme))  // 9 is an administrator
                    try await repos.communities.saveMembership(membership(1, 2))
                }
                let listed = try await store.read {
                    try await $0.communities.members(of: c(1), state: .active, limit: 10, offset: 0)
                }
                #expect(listed.map(\.member.handle) == ["m1", "m9", "m2"])
                #expect(listed.map(\.membership.role) == [.manager, .sme, .member], "the role in the community")
                #expect(listed.map(\.member.role) == [.member, .admin, .member], "the role on the server")
                let newest = try await store.read { try await $0.communities.newestMembers(of: c(1), limit: 10) }
                #expect(Set(newest.map(\.member.handle)) == ["m1", "m9", "m2"])
                let byHandle = Dictionary(uniqueKeysWithValues: newest.map { ($0.member.handle, $0) })
                #expect(byHandle["m1"]?.membership.role == .manager)
                #expect(byHandle["m9"]?.membership.role == .sme)
                #expect(byHandle["m9"]?.member.role == .admin)
                #expect(try await store.read { try await $0.communities.leaders(of: c(1)) }.count == 2)
            }
        }

        @Test(arguments: Engine.enabled)
        func revisionsNewestFirstAndCommentsOldestFirstWithDistinctCommenters(engine: Engine) async throws {
            try await withStore(engine) { store in
                try await seedStore(store)
                try await store.write { repos in
                    try await repos.communityContent.insert(item(1, .wiki))
                    for number in [1, 3, 2] {
                        try await repos.communityContent.insertRevision(
                            ItemRevision(
                                itemID: i(1), number: number, title: "Title \(number)", body: "Body \(number)", tags: ["t\(number)"],
                                authorID: m(Int64(number)), createdAt: start.addingTimeInterval(Double(number) * hour), note: "n\(number)"))
                    }
                    for (id, author) in [(Int64(11), Int64(2)), (12, 3), (13, 2), (14, 4)] {
                        try await repos.communityContent.insertComment(
                            CommunityComment(
                                id: CommunityComment.ID(id), itemID: i(1), authorID: m(author), body: "Comment \(id)",
                                createdAt: start.addingTimeInterval(Double(id) * 60)))
                    }
                }
                let revisions = try await store.read { try await $0.communityContent.revisions(of: i(1)) }
                #expect(revisions.map(\.number) == [3, 2, 1])
                let second = try await store.read { try await $0.communityContent.revision(2, of: i(1)) }
                #expect(
                    second
                        == ItemRevision(
                            itemID: i(1), number: 2, title: "Title 2", body: "Body 2", tags: ["t2"], authorID: m(2),
                            createdAt: start.addingTimeInterval(2 * hour), note: "n2"))
                #expect(try await store.read { try await $0.communityContent.revision(4, of: i(1)) } == nil)

                // A deleted comment keeps its place but its author no longer counts as taking part.
                var removed = try #require(try await store.read { try await $0.communityContent.comment(id: CommunityComment.ID(14)) })
                #expect(removed.body == "Comment 14")
                removed.body = ""
                removed.deletedAt = start.addingTimeInterval(day)
                let deletion = removed
                try await store.write { try await $0.communityContent.updateComment(deletion) }

                let comments = try await store.read { try await $0.communityContent.comments(of: i(1), limit: 10, offset: 0) }
                #expect(comments.map(\.id.rawValue) == [11, 12, 13, 14])
                #expect(comments.last?.deletedAt == start.addingTimeInterval(day))
                #expect(comments.last?.body == "")
                #expect(try await store.read { try await $0.communityContent.comments(of: i(1), limit: 2, offset: 1) }.map(\.id.rawValue) == [12, 13])
                let commenters = try await store.read { try await $0.communityContent.commenters(of: i(1)) }
                #expect(commenters.count == 2)
                #expect(Set(commenters) == [m(2), m(3)])
            }
        }

        @Test(arguments: Engine.enabled)
        func ratingsFavouritesViewsAndCounts(engine: Engine) async throws {
            try await withStore(engine) { store in
                try await seedStore(store)
                try await store.write { repos in
                    try await repos.communityContent.insert(item(1, .article))
                    try await repos.communityContent.insert(item(2, .article))
                }
                let content = { @Sendable (repos: any Repositories) in repos.communityContent }

                #expect(try await store.write { try await content($0).rate(i(1), by: m(2), stars: 4, at: start) } == nil)
                #expect(try await store.write { try await content($0).rate(i(1), by: m(2), stars: 2, at: start) } == 4)
                #expect(try await store.write { try await content($0).rate(i(1), by: m(2), stars: 5, at: start) } == 2)
                #expect(try await store.read { try await content($0).rating(of: i(1), by: m(2)) } == 5)
                #expect(try await store.read { try await content($0).rating(of: i(1), by: m(3)) } == nil)
                #expect(try await store.read { try await content($0).rating(of: i(2), by: m(2)) } == nil)

                #expect(try await store.write { try await content($0).favourite(i(1), by: m(2), at: start) } == true)
                #expect(try await store.write { try await content($0).favourite(i(1), by: m(2), at: start) } == false)
                #expect(try await store.write { try await content($0).favourite(i(2), by: m(3), at: start) } == true)
                #expect(try await store.read { try await content($0).favourited(by: m(2), among: [i(1), i(2)]) } == [i(1)])
                #expect(try await store.read { try await content($0).favourited(by: m(2), among: []) } == [])
                #expect(try await store.write { try await content($0).unfavourite(i(1), by: m(2)) } == true)
                #expect(try await store.write { try await content($0).unfavourite(i(1), by: m(2)) } == false)
                #expect(try await store.read { try await content($0).favourited(by: m(2), among: [i(1), i(2)]) } == [])

                #expect(try await store.read { try await content($0).hasViewed(i(1), by: m(2)) } == false)
                #expect(try await store.write { try await content($0).recordView(i(1), by: m(2), at: start) } == true)
                #expect(try await store.write { try await content($0).recordView(i(1), by: m(2), at: start) } == false)
                #expect(try await store.write { try await content($0).recordView(i(1), by: m(3), at: start) } == true)
                #expect(try await store.read { try await content($0).hasViewed(i(1), by: m(2)) } == true)
                #expect(try await store.read { try await content($0).hasViewed(i(2), by: m(2)) } == false)

                try await store.write {
                    try await content($0).adjustCounts(i(1), comments: 2, favourites: 1, ratings: 1, ratingTotal: 5)
                    try await content($0).adjustCounts(i(1), comments: -1, favourites: 0, ratings: 0, ratingTotal: -2)
                }
                let counts = try await store.read { try await content($0).find(id: i(1)) }?.counts
                #expect(counts == CommunityItem.Counts(views: 2, comments: 1, favourites: 1, ratings: 1, ratingTotal: 3))
                #expect(counts?.meanRating == 3)
                #expect(try await store.read { try await content($0).find(id: i(2)) }?.counts == CommunityItem.Counts())
            }
        }

        @Test(arguments: Engine.enabled)
        func popularContributorsCountWhatOthersValuedRecently(engine: Engine) async throws {
            try await withStore(engine) { store in
                try await seedStore(store)
                let recent = start.addingTimeInterval(-day)
                let old = start.addingTimeInterval(-100 * day)
                try await store.write { repos in
                    let content = repos.communityContent
                    try await content.insert(item(1, .article, by: 1))
                    try await content.insert(item(2, .article, by: 2))
                    try await content.insert(item(3, .article, by: 3))
                    try await content.insert(item(4, in: 4, .article, by: 4))
                    // 1: two favourites by others; its author's own favourite and rating do not count, nor an old favourite.
                    _ = try await content.favourite(i(1), by: m(2), at: recent)
                    _ = try await content.favourite(i(1), by: m(3), at: recent)
                    _ = try await content.favourite(i(1), by: m(1), at: recent)
                    _ = try await content.favourite(i(1), by: m(5), at: old)
                    // 2: a five-star rating counts; three stars and a self-rating do not.
                    _ = try await content.rate(i(2), by: m(3), stars: 5, at: recent)
                    _ = try await content.rate(i(2), by: m(4), stars: 3, at: recent)
                    _ = try await content.rate(i(2), by: m(2), stars: 5, at: recent)
                    // 3: only its author valued it.
                    _ = try await content.favourite(i(3), by: m(3), at: recent)
                    _ = try await content.rate(i(3), by: m(3), stars: 5, at: recent)
                    // 4: another community.
                    _ = try await content.favourite(i(4), by: m(1), at: recent)
                }
                let found = try await store.read {
                    try await $0.communityContent.popularContributors(in: c(1), since: start.addingTimeInterval(-90 * day), limit: 10)
                }
                #expect(found.map(\.member) == [m(1), m(2)])
                #expect(found.map(\.score) == [2, 1])
                let one = try await store.read {
                    try await $0.communityContent.popularContributors(in: c(1), since: start.addingTimeInterval(-90 * day), limit: 1)
                }
                #expect(one.map(\.member) == [m(1)])
            }
        }

        @Test(arguments: Engine.enabled)
        func homeItemsComeOnlyFromCommunitiesTheMemberIsInOrFollows(engine: Engine) async throws {
            try await withStore(engine) { store in
                try await seedStore(store)
                try await store.write { repos in
                    try await repos.communities.saveMembership(membership(1, 2))  // active in 1
                    try await repos.communities.saveMembership(membership(3, 2, .requested))  // asked to join 3
                    _ = try await repos.communities.follow(c(4), by: m(2), at: start)  // follows 4
                    try await repos.communities.saveMembership(membership(2, 3))  // someone else in 2
                    let content = repos.communityContent
                    try await content.insert(item(1, in: 1, by: 1, at: start.addingTimeInterval(-3 * hour)))
                    try await content.insert(item(2, in: 4, by: 1, at: start.addingTimeInterval(-2 * hour)))
                    try await content.insert(item(3, in: 1, by: 2, at: start.addingTimeInterval(-1 * hour)))
                    try await content.insert(item(4, in: 3, by: 1, at: start.addingTimeInterval(-hour / 2)))  // only requested
                    try await content.insert(item(5, in: 2, by: 3, at: start.addingTimeInterval(-hour / 2)))  // not in it
                    try await content.insert(item(6, in: 1, .article, by: 3, state: .draft, at: nil))
                    try await content.insert(item(7, in: 1, .article, by: 3, at: start.addingTimeInterval(hour)))  // scheduled
                }
                func home(after: Date?, before: Date, limit: Int = 20) async throws -> [Int64] {
                    ids(try await store.read { try await $0.communityContent.homeItems(of: m(2), after: after, before: before, limit: limit) })
                }
                #expect(try await home(after: nil, before: start) == [3, 2, 1])
                #expect(try await home(after: start.addingTimeInterval(-3 * hour), before: start) == [3, 2], "after is exclusive")
                #expect(try await home(after: nil, before: start.addingTimeInterval(-2 * hour)) == [2, 1], "before is inclusive")
                #expect(try await home(after: nil, before: start.addingTimeInterval(2 * hour)) == [7, 3, 2, 1])
                #expect(try await home(after: nil, before: start, limit: 1) == [3])
                // Members of community 2 see its items, others of 1 and 4 do not reach them.
                #expect(ids(try await store.read { try await $0.communityContent.homeItems(of: m(3), after: nil, before: start, limit: 20) }) == [5])
                #expect(try await store.read { try await $0.communityContent.homeItems(of: m(6), after: nil, before: start, limit: 20) }.isEmpty)
            }
        }

        @Test(arguments: Engine.enabled)
        func searchFindsEveryWordAndKeepsPrivateCommunitiesToTheirMembers(engine: Engine) async throws {
            try await withStore(engine) { store in
                try await seedStore(store)
                try await store.write { repos in
                    try await repos.communities.saveMembership(membership(2, 2))  // 2 is in the private community
                    try await repos.communities.saveMembership(membership(2, 4, .invited))  // 4 is only invited
                    let content = repos.communityContent
                    try await content.insert(item(1, in: 2, title: "Budget forecast", by: 1, at: start.addingTimeInterval(-3 * hour)))
                    try await content.insert(item(2, in: 1, title: "Budget review", by: 1, at: start.addingTimeInterval(-2 * hour)))
                    try await content.insert(
                        item(3, in: 1, title: "Quarterly notes", body: "The FORECAST was off; we REVIEW it monthly.", by: 1,
                             at: start.addingTimeInterval(-1 * hour)))
                    try await content.insert(
                        item(4, in: 3, title: "Reading list", by: 1, at: start.addingTimeInterval(-hour / 2), tags: ["budgeting"]))
                    try await content.insert(item(5, in: 1, .article, title: "Budget draft", by: 1, state: .draft, at: nil))
                    try await content.insert(item(6, in: 1, .article, title: "Budget later", by: 1, at: start.addingTimeInterval(hour)))
                }
                func search(_ words: [String], by viewer: Int64?) async throws -> [Int64] {
                    ids(try await store.read { try await $0.communityContent.search(words, visibleTo: viewer.map(m), liveAt: start, limit: 20) })
                }
                #expect(try await search(["budget"], by: 3) == [4, 2], "an outsider sees nothing of the private community")
                #expect(try await search(["budget"], by: 4) == [4, 2], "an invitation is not membership")
                #expect(try await search(["budget"], by: 2) == [4, 2, 1])
                #expect(try await search(["budget"], by: nil) == [4, 2, 1])
                #expect(try await search(["budget", "forecast"], by: 2) == [1])
                #expect(try await search(["budget", "forecast"], by: 3) == [])
                #expect(try await search(["forecast", "review"], by: 3) == [3], "words in the text count, in any case")
                #expect(try await search(["budgeting"], by: 3) == [4], "tags count")
                #expect(try await search(["later"], by: 3) == [], "scheduled items wait for their time")
                #expect(try await search(["100%"], by: nil) == [], "LIKE wildcards are taken literally")
                #expect(ids(try await store.read {
                    try await $0.communityContent.search(["budget"], visibleTo: m(3), liveAt: start.addingTimeInterval(2 * hour), limit: 20)
                }) == [6, 4, 2])
            }
        }
    }
}

// MARK: - Use cases

extension CommunityContentTests {
    @Suite struct UseCases {
        @Test(arguments: Engine.enabled)
        func membersWriteEveryKindAndOutsidersOfAnOpenCommunityOnlyRead(engine: Engine) async throws {
            try await withWorld(engine) { w in
                try await community(w, "ops", members: [2])
                let thread = try await write(w, .thread, "Which tool?", in: "ops", by: 2)
                let article = try await write(w, .article, "Forecasting basics", in: "ops", by: 2, tags: ["Finance", "#Forecast"])
                let wiki = try await write(w, .wiki, "Glossary", in: "ops", by: 2)
                let resource = try await write(w, .resource, "Slides", body: "", in: "ops", by: 2, link: "https://example.org/deck")
                #expect([thread.kind, article.kind, wiki.kind, resource.kind] == [.thread, .article, .wiki, .resource])
                #expect(article.tags == ["finance", "forecast"])
                #expect(resource.resource == CommunityItem.Resource(link: "https://example.org/deck"))
                #expect(try await stored(w, wiki.id) == wiki)
                #expect(try await w.pollen.store.read { try await $0.communityContent.revisions(of: wiki.id) }.map(\.number) == [1])
                await expectError(.invalidInput, "a resource needs a file or a link") {
                    _ = try await write(w, .resource, "Nothing", body: "", in: "ops", by: 2)
                }
                await expectError(.invalidInput, "only articles are scheduled") {
                    _ = try await write(w, .thread, "Later", in: "ops", by: 2, publishAt: start.addingTimeInterval(day))
                }

                // Member 3 is not a member: reads everything, writes nothing.
                await expectError(.forbidden, "an outsider writes") { _ = try await write(w, .thread, "Hello", in: "ops", by: 3) }
                await expectError(.forbidden, "an outsider comments") { try await w.pollen.comment(on: thread.id, body: "Hi", by: w.actor(3)) }
                await expectError(.forbidden, "an outsider rates") { try await w.pollen.rate(article.id, stars: 5, by: w.actor(3)) }
                let listed = try await w.pollen.items(in: "ops", kind: nil, viewer: w.actor(3)).items
                #expect(listed.total == 4)
                #expect(Set(listed.items.map(\.item.id)) == [thread.id, article.id, wiki.id, resource.id])
                #expect(try await w.pollen.items(in: "ops", kind: .wiki, viewer: w.actor(3)).items.items.map(\.item.id) == [wiki.id])
                let view = try await w.pollen.item(article.id, viewer: w.actor(3))
                #expect(view.item.title == "Forecasting basics")
                #expect(!view.isMember && !view.mayEdit && !view.mayComment)
                try await w.pollen.comment(on: thread.id, body: "Try the template.", by: w.actor(2))
                #expect(try await w.pollen.comments(on: thread.id, viewer: w.actor(3)).map(\.comment.body) == ["Try the template."])
                #expect(try await w.pollen.searchItems("forecasting", viewer: w.actor(3)).map(\.item.id) == [article.id])
            }
        }

        @Test(arguments: Engine.enabled)
        func aPrivateCommunitysContentIsNotFoundOutsideItAndLostOnRemoval(engine: Engine) async throws {
            try await withWorld(engine) { w in
                try await community(w, "inner", .private, members: [2])
                try await w.pollen.decide(.invite, about: m(4), in: "inner", by: w.actor(1))
                let thread = try await write(w, .thread, "Secret plans", in: "inner", by: 1)
                let file = try await write(
                    w, .resource, "Secret slides", body: "", in: "inner", by: 1, file: UploadedFile(name: "plans.pdf", data: Array("%PDF".utf8)))
                try await w.pollen.comment(on: thread.id, body: "Agreed.", by: w.actor(2))

                // A member reads it all.
                #expect(try await w.pollen.item(thread.id, viewer: w.actor(2)).item.title == "Secret plans")
                #expect(try await w.pollen.items(in: "inner", kind: nil, viewer: w.actor(2)).items.total == 2)
                #expect(try await w.pollen.comments(on: thread.id, viewer: w.actor(2)).count == 1)
                #expect(try await w.pollen.resourceFile(file.id, viewer: w.actor(2)).bytes == Array("%PDF".utf8))
                #expect(try await w.pollen.searchItems("secret", viewer: w.actor(2)).map(\.item.id) == [file.id, thread.id])

                // An outsider, and someone only invited, find nothing.
                for outsider: Int64 in [3, 4] {
                    await expectError(.notFound, "item() for \(outsider)") { _ = try await w.pollen.item(thread.id, viewer: w.actor(outsider)) }
                    await expectError(.notFound, "items() for \(outsider)") {
                        _ = try await w.pollen.items(in: "inner", kind: nil, viewer: w.actor(outsider))
                    }
                    await expectError(.notFound, "comments() for \(outsider)") {
                        _ = try await w.pollen.comments(on: thread.id, viewer: w.actor(outsider))
                    }
                    await expectError(.notFound, "resourceFile() for \(outsider)") {
                        _ = try await w.pollen.resourceFile(file.id, viewer: w.actor(outsider))
                    }
                    #expect(try await w.pollen.searchItems("secret", viewer: w.actor(outsider)).isEmpty)
                }
                // Administrators may read it.
                #expect(try await w.pollen.item(thread.id, viewer: w.actor(9)).item.id == thread.id)

                // Removed, the member loses it all.
                try await w.pollen.decide(.remove, about: m(2), in: "inner", by: w.actor(1))
                await expectError(.notFound, "item() after removal") { _ = try await w.pollen.item(thread.id, viewer: w.actor(2)) }
                await expectError(.notFound, "items() after removal") { _ = try await w.pollen.items(in: "inner", kind: nil, viewer: w.actor(2)) }
                await expectError(.notFound, "comments() after removal") { _ = try await w.pollen.comments(on: thread.id, viewer: w.actor(2)) }
                await expectError(.notFound, "resourceFile() after removal") { _ = try await w.pollen.resourceFile(file.id, viewer: w.actor(2)) }
                #expect(try await w.pollen.searchItems("secret", viewer: w.actor(2)).isEmpty)
                #expect(try await w.pollen.homeItems(after: nil, before: start, limit: 20, viewer: w.actor(2)).isEmpty)
            }
        }

        @Test(arguments: Engine.enabled)
        func editingRevisionsConflictsAndRestoring(engine: Engine) async throws {
            try await withWorld(engine) { w in
                try await community(w, "ops", members: [2, 3])
                let article = try await write(w, .article, "Plan", body: "Step one", in: "ops", by: 2)
                let wiki = try await write(w, .wiki, "Guide", body: "line one\nline two", in: "ops", by: 2)
                await expectError(.forbidden, "editing another's article") {
                    _ = try await w.pollen.editItem(article.id, ItemDraft(kind: .article, title: "Mine", body: "Mine"), basedOn: 1, by: w.actor(3))
                }
                #expect(try await stored(w, article.id)?.title == "Plan")
                // The manager may.
                let byManager = try await w.pollen.editItem(
                    article.id, ItemDraft(kind: .article, title: "Plan", body: "Step 1"), basedOn: 1, by: w.actor(1))
                #expect(byManager.revision == 2)
                await expectError(.invalidInput, "a kind stays") {
                    _ = try await w.pollen.editItem(article.id, ItemDraft(kind: .thread, title: "Plan", body: "x"), basedOn: 2, by: w.actor(2))
                }

                w.clock.advance(by: 60)
                let edited = try await w.pollen.editItem(
                    wiki.id, ItemDraft(kind: .wiki, title: "Guide", body: "line one\nline 2\nline three", note: "Clearer"), basedOn: 1,
                    by: w.actor(3))
                #expect(edited.revision == 2)
                #expect(edited.authorID == m(2), "a wiki page keeps its author")
                let history = try await w.pollen.revisions(of: wiki.id, viewer: w.actor(2)).revisions
                #expect(history.map(\.revision.number) == [2, 1])
                #expect(history.map(\.author?.id) == [m(3), m(2)])
                #expect(history.first?.revision.note == "Clearer")

                // Member 2 started from revision 1: refused, and nothing changes.
                await expectError(.conflict, "a stale edit") {
                    _ = try await w.pollen.editItem(wiki.id, ItemDraft(kind: .wiki, title: "Guide", body: "Overwritten"), basedOn: 1, by: w.actor(2))
                }
                #expect(try await stored(w, wiki.id) == edited)
                #expect(try await w.pollen.store.read { try await $0.communityContent.revisions(of: wiki.id) }.count == 2)

                let compared = try await w.pollen.compareRevisions(of: wiki.id, 2, 1, viewer: w.actor(4))
                #expect(compared.old.number == 1 && compared.new.number == 2)
                #expect(compared.lines.filter { $0.change == .removed }.map(\.text) == ["line two"])
                #expect(compared.lines.filter { $0.change == .added }.map(\.text) == ["line 2", "line three"])
                #expect(compared.lines.filter { $0.change == .same }.map(\.text) == ["# Guide", "", "line one"])
                await expectError(.notFound, "a revision that does not exist") {
                    _ = try await w.pollen.compareRevisions(of: wiki.id, 1, 5, viewer: w.actor(4))
                }

                let restored = try await w.pollen.restoreRevision(1, of: wiki.id, basedOn: 2, by: w.actor(2))
                #expect(restored.revision == 3)
                #expect(restored.body == "line one\nline two")
                let newest = try await w.pollen.store.read { try await $0.communityContent.revisions(of: wiki.id) }
                #expect(newest.map(\.number) == [3, 2, 1])
                #expect(newest.first?.body == "line one\nline two")
                #expect(newest.first?.note == "Restored revision 1")
                #expect(newest.first?.authorID == m(2))
                await expectError(.conflict, "restoring from a stale revision") {
                    _ = try await w.pollen.restoreRevision(2, of: wiki.id, basedOn: 2, by: w.actor(3))
                }
                #expect(try await stored(w, wiki.id)?.revision == 3)
            }
        }

        @Test(arguments: Engine.enabled)
        func ratingsAreOneToFiveByOthersAndReplaceEarlierStars(engine: Engine) async throws {
            try await withWorld(engine) { w in
                try await community(w, "ops", members: [2, 3, 4])
                let article = try await write(w, .article, "Plan", in: "ops", by: 2)
                await expectError(.invalidInput, "zero stars") { try await w.pollen.rate(article.id, stars: 0, by: w.actor(3)) }
                await expectError(.invalidInput, "six stars") { try await w.pollen.rate(article.id, stars: 6, by: w.actor(3)) }
                await expectError(.conflict, "rating one's own") { try await w.pollen.rate(article.id, stars: 5, by: w.actor(2)) }
                #expect(try await stored(w, article.id)?.counts.ratings == 0)

                let first = try await w.pollen.rate(article.id, stars: 4, by: w.actor(3))
                #expect(first.counts.ratings == 1 && first.counts.ratingTotal == 4)
                let again = try await w.pollen.rate(article.id, stars: 2, by: w.actor(3))
                #expect(again.counts.ratings == 1, "re-rating does not add a rating")
                #expect(again.counts.meanRating == 2)
                let second = try await w.pollen.rate(article.id, stars: 5, by: w.actor(4))
                #expect(second.counts.ratings == 2 && second.counts.ratingTotal == 7)
                #expect(second.counts.meanRating == 3.5)
                #expect(try await w.pollen.item(article.id, viewer: w.actor(3)).viewerRating == 2)
                #expect(try await stored(w, article.id)?.counts.meanRating == 3.5)
            }
        }

        @Test(arguments: Engine.enabled)
        func featuringPinningClosingAndRepliesToAClosedDiscussion(engine: Engine) async throws {
            try await withWorld(engine) { w in
                try await community(w, "ops", members: [2, 3, 4])
                try await w.pollen.decide(.role(.sme), about: m(2), in: "ops", by: w.actor(1))
                let thread = try await write(w, .thread, "Which tool?", in: "ops", by: 3)
                w.clock.advance(by: 60)
                let later = try await write(w, .thread, "Another question", in: "ops", by: 4)

                await expectError(.forbidden, "a member features") { try await w.pollen.feature(thread.id, note: "Great", by: w.actor(4)) }
                w.clock.advance(by: 60)
                let featured = try await w.pollen.feature(thread.id, note: "A question many have", by: w.actor(2))
                #expect(featured.feature == CommunityItem.Feature(note: "A question many have", by: m(2), at: w.clock.now()))
                #expect(try await stored(w, thread.id)?.feature?.by == m(2))
                #expect(try await w.pollen.item(thread.id, viewer: w.actor(5)).featuredBy?.id == m(2))
                #expect(try await w.pollen.feature(thread.id, note: nil, by: w.actor(1)).feature == nil)
                #expect(try await stored(w, thread.id)?.feature == nil)

                await expectError(.forbidden, "a member pins") { try await w.pollen.setThreadState(thread.id, pinned: true, by: w.actor(4)) }
                await expectError(.forbidden, "an author pins") { try await w.pollen.setThreadState(thread.id, pinned: true, by: w.actor(3)) }
                #expect(try await w.pollen.items(in: "ops", kind: nil, viewer: w.actor(4)).items.items.map(\.item.id) == [later.id, thread.id])
                #expect(try await w.pollen.setThreadState(thread.id, pinned: true, by: w.actor(1)).pinned)
                #expect(
                    try await w.pollen.items(in: "ops", kind: nil, viewer: w.actor(4)).items.items.map(\.item.id) == [thread.id, later.id],
                    "pinned first")

                await expectError(.forbidden, "someone else closes") { try await w.pollen.setThreadState(thread.id, closed: true, by: w.actor(4)) }
                #expect(try await w.pollen.setThreadState(thread.id, closed: true, by: w.actor(3)).closed)
                #expect(try await stored(w, thread.id)?.closed == true)
                #expect(try await stored(w, thread.id)?.pinned == true)
                await expectError(.conflict, "a member replies to a closed discussion") {
                    try await w.pollen.comment(on: thread.id, body: "Me too", by: w.actor(4))
                }
                await expectError(.conflict, "its author replies to a closed discussion") {
                    try await w.pollen.comment(on: thread.id, body: "Me too", by: w.actor(3))
                }
                try await w.pollen.comment(on: thread.id, body: "Answered in the guide.", by: w.actor(1))
                try await w.pollen.comment(on: thread.id, body: "See page 3.", by: w.actor(2))
                #expect(
                    try await w.pollen.comments(on: thread.id, viewer: w.actor(4)).map(\.comment.body)
                        == ["Answered in the guide.", "See page 3."])
                #expect(try await stored(w, thread.id)?.counts.comments == 2)
                #expect(try await w.pollen.item(thread.id, viewer: w.actor(4)).mayComment == false)
                #expect(try await w.pollen.item(thread.id, viewer: w.actor(2)).mayComment == true)
            }
        }

        @Test(arguments: Engine.enabled)
        func commentsAreRemovedInPlaceAndFavouritesCountOnce(engine: Engine) async throws {
            try await withWorld(engine) { w in
                try await community(w, "ops", members: [2, 3, 4])
                let thread = try await write(w, .thread, "Which tool?", in: "ops", by: 2)
                let first = try await w.pollen.comment(on: thread.id, body: "  The template.\r\n", by: w.actor(3))
                #expect(first.body == "The template.")
                w.clock.advance(by: 1)
                let second = try await w.pollen.comment(on: thread.id, body: "Or the wiki.", by: w.actor(4))
                await expectError(.invalidInput, "an empty comment") { try await w.pollen.comment(on: thread.id, body: " \n ", by: w.actor(4)) }
                #expect(try await stored(w, thread.id)?.counts.comments == 2)

                await expectError(.forbidden, "deleting another's comment") { try await w.pollen.deleteComment(first.id, by: w.actor(4)) }
                try await w.pollen.deleteComment(first.id, by: w.actor(3))
                await expectError(.notFound, "deleting it twice") { try await w.pollen.deleteComment(first.id, by: w.actor(3)) }
                try await w.pollen.deleteComment(second.id, by: w.actor(1))  // the manager
                let listed = try await w.pollen.comments(on: thread.id, viewer: w.actor(2))
                #expect(listed.map(\.comment.id) == [first.id, second.id], "removed comments keep their place")
                #expect(listed.map(\.comment.body) == ["", ""])
                #expect(listed.allSatisfy { $0.comment.deletedAt == w.clock.now() && !$0.mayDelete })
                #expect(try await stored(w, thread.id)?.counts.comments == 0)

                #expect(try await w.pollen.setItemFavourite(true, thread.id, by: w.actor(3)).counts.favourites == 1)
                #expect(try await w.pollen.setItemFavourite(true, thread.id, by: w.actor(3)).counts.favourites == 1, "twice is once")
                #expect(try await w.pollen.item(thread.id, viewer: w.actor(3)).favourited)
                #expect(try await w.pollen.setItemFavourite(true, thread.id, by: w.actor(5)).counts.favourites == 2, "readers may keep it")
                #expect(try await w.pollen.setItemFavourite(false, thread.id, by: w.actor(3)).counts.favourites == 1)
                #expect(try await w.pollen.setItemFavourite(false, thread.id, by: w.actor(3)).counts.favourites == 1)
                #expect(try await w.pollen.item(thread.id, viewer: w.actor(3)).favourited == false)
            }
        }

        @Test(arguments: Engine.enabled)
        func draftsAndScheduledArticlesAreHiddenFromOthersUntilLive(engine: Engine) async throws {
            try await withWorld(engine) { w in
                try await community(w, "ops", members: [2, 3])
                let draft = try await write(w, .article, "Half done", in: "ops", by: 2, publish: false)
                #expect(draft.state == .draft && draft.publishedAt == nil)
                await expectError(.notFound, "another member opens a draft") { _ = try await w.pollen.item(draft.id, viewer: w.actor(3)) }
                #expect(try await w.pollen.items(in: "ops", kind: nil, viewer: w.actor(3)).items.total == 0)
                #expect(try await w.pollen.items(in: "ops", kind: nil, viewer: w.actor(2)).items.items.map(\.item.id) == [draft.id])
                #expect(
                    try await w.pollen.items(in: "ops", kind: nil, viewer: w.actor(1)).items.items.map(\.item.id) == [draft.id],
                    "managers see drafts")
                #expect(try await w.pollen.item(draft.id, viewer: w.actor(2)).item.counts.views == 0)
                await expectError(.conflict, "commenting on a draft") { try await w.pollen.comment(on: draft.id, body: "Early", by: w.actor(2)) }

                w.clock.advance(by: hour)
                let published = try await w.pollen.editItem(
                    draft.id, ItemDraft(kind: .article, title: "Half done", body: "Some text.", publish: true), basedOn: 1, by: w.actor(2))
                #expect(published.state == .published)
                #expect(published.publishedAt == w.clock.now())
                #expect(published.revision == 1, "publishing without a change of text adds no revision")
                #expect(try await w.pollen.item(draft.id, viewer: w.actor(3)).item.title == "Half done")
                #expect(try await w.pollen.items(in: "ops", kind: nil, viewer: w.actor(3)).items.total == 1)

                let publishAt = w.clock.now().addingTimeInterval(2 * hour)
                let scheduled = try await write(w, .article, "Next week", in: "ops", by: 2, publishAt: publishAt)
                #expect(scheduled.state == .published && scheduled.publishedAt == publishAt)
                await expectError(.notFound, "a scheduled article before its time") { _ = try await w.pollen.item(scheduled.id, viewer: w.actor(3)) }
                #expect(try await w.pollen.items(in: "ops", kind: nil, viewer: w.actor(3)).items.items.map(\.item.id) == [draft.id])
                #expect(try await w.pollen.searchItems("next week", viewer: w.actor(3)).isEmpty)
                #expect(try await w.pollen.item(scheduled.id, viewer: w.actor(2)).item.id == scheduled.id, "its author sees it")

                w.clock.advance(by: 2 * hour - 1)
                await expectError(.notFound, "one second early") { _ = try await w.pollen.item(scheduled.id, viewer: w.actor(3)) }
                w.clock.advance(by: 1)
                #expect(try await w.pollen.item(scheduled.id, viewer: w.actor(3)).item.id == scheduled.id)
                #expect(try await w.pollen.items(in: "ops", kind: nil, viewer: w.actor(3)).items.items.map(\.item.id) == [scheduled.id, draft.id])
                #expect(try await w.pollen.searchItems("next week", viewer: w.actor(3)).map(\.item.id) == [scheduled.id])
            }
        }

        @Test(arguments: Engine.enabled)
        func viewsCountOncePerMemberAndNeverForTheAuthor(engine: Engine) async throws {
            try await withWorld(engine) { w in
                try await community(w, "ops", members: [2])
                let article = try await write(w, .article, "Plan", in: "ops", by: 2)
                #expect(try await w.pollen.item(article.id, viewer: w.actor(3)).item.counts.views == 1)
                #expect(try await w.pollen.item(article.id, viewer: w.actor(3)).item.counts.views == 1)
                #expect(try await w.pollen.item(article.id, viewer: w.actor(2)).item.counts.views == 1, "the author's opening")
                #expect(try await stored(w, article.id)?.counts.views == 1)
                #expect(try await w.pollen.item(article.id, viewer: w.actor(4)).item.counts.views == 2)
                #expect(try await stored(w, article.id)?.counts.views == 2)
            }
        }

        @Test(arguments: Engine.enabled)
        func onlyManagersAnnounce(engine: Engine) async throws {
            try await withWorld(engine) { w in
                try await community(w, "ops", members: [2])
                await expectError(.forbidden, "a member announces") {
                    _ = try await write(w, .thread, "Big news", in: "ops", by: 2, announcement: true)
                }
                await expectError(.forbidden, "an administrator outside it announces") {
                    _ = try await write(w, .thread, "Big news", in: "ops", by: 9, announcement: true)
                }
                let news = try await write(w, .thread, "Big news", in: "ops", by: 1, announcement: true)
                #expect(news.announcement)
                let mine = try await write(w, .thread, "Small news", in: "ops", by: 2)
                await expectError(.forbidden, "a member turns their item into an announcement") {
                    _ = try await w.pollen.editItem(
                        mine.id, ItemDraft(kind: .thread, title: "Small news", body: "Some text.", announcement: true), basedOn: 1, by: w.actor(2))
                }
                #expect(try await stored(w, mine.id)?.announcement == false)
                #expect(try await w.pollen.communityHome(slug: "ops", viewer: w.actor(3)).news.map(\.item.id) == [news.id])
            }
        }

        @Test(arguments: Engine.enabled)
        func uploadsAreCheckedServedSafelyAndRemovedWithTheirItem(engine: Engine) async throws {
            try await withWorld(engine, rules: ResourceRules(maxBytes: 1024)) { w in
                try await community(w, "ops", members: [2])
                /// The files kept, by their path under the folder.
                func files() -> [String] {
                    let manager = FileManager.default
                    return (manager.enumerator(atPath: w.files.path)?.allObjects as? [String] ?? []).filter { path in
                        let type = try? manager.attributesOfItem(atPath: w.files.appendingPathComponent(path).path)[.type]
                        return type as? FileAttributeType == .typeRegular
                    }.sorted()
                }
                await expectError(.invalidInput, "a file over the limit") {
                    let big = UploadedFile(name: "big.pdf", data: Array(repeating: 1, count: 1025))
                    _ = try await write(w, .resource, "Big", body: "", in: "ops", by: 2, file: big)
                }
                await expectError(.invalidInput, "a program") {
                    _ = try await write(w, .resource, "Tool", body: "", in: "ops", by: 2, file: UploadedFile(name: "tool.exe", data: [1, 2, 3]))
                }
                await expectError(.invalidInput, "no extension") {
                    _ = try await write(w, .resource, "Tool", body: "", in: "ops", by: 2, file: UploadedFile(name: "README", data: [1, 2, 3]))
                }
                await expectError(.invalidInput, "an empty file") {
                    _ = try await write(w, .resource, "Empty", body: "", in: "ops", by: 2, file: UploadedFile(name: "empty.pdf", data: []))
                }
                #expect(files().isEmpty, "refused uploads leave nothing behind")

                let page = Array("<script>alert(1)</script>".utf8)
                let exact = Array(repeating: UInt8(7), count: 1024)
                let html = try await write(
                    w, .resource, "A page", body: "", in: "ops", by: 2, file: UploadedFile(name: "../../page.html", data: page))
                let pdf = try await write(w, .resource, "A paper", body: "", in: "ops", by: 2, file: UploadedFile(name: "paper.PDF", data: exact))
                #expect(html.resource?.fileName == "page.html")
                #expect(html.resource?.contentType == "text/html")
                #expect(html.resource?.byteSize == page.count)
                #expect(pdf.resource?.contentType == "application/pdf")
                let htmlKey = try #require(html.resource?.storageKey)
                let pdfKey = try #require(pdf.resource?.storageKey)
                #expect(files() == [htmlKey, pdfKey].sorted())

                let served = try await w.pollen.resourceFile(html.id, viewer: w.actor(3))
                #expect(served.contentType == "application/octet-stream")
                #expect(served.inline == false)
                #expect(served.bytes == page)
                let paper = try await w.pollen.resourceFile(pdf.id, viewer: w.actor(3))
                #expect(paper.contentType == "application/pdf" && paper.inline)
                #expect(paper.bytes == exact)

                // Replacing the file removes the old one; deleting the item removes its file.
                let replaced = try await w.pollen.editItem(
                    pdf.id, ItemDraft(kind: .resource, title: "A paper", file: UploadedFile(name: "paper-v2.pdf", data: [9, 9])), basedOn: 1,
                    by: w.actor(2))
                let newKey = try #require(replaced.resource?.storageKey)
                #expect(newKey != pdfKey)
                #expect(replaced.revision == 2)
                #expect(files() == [htmlKey, newKey].sorted())
                await expectError(.forbidden, "someone else deletes") { try await w.pollen.deleteItem(html.id, by: w.actor(3)) }
                try await w.pollen.deleteItem(html.id, by: w.actor(2))
                #expect(try await stored(w, html.id) == nil)
                #expect(files() == [newKey])
                try await w.pollen.deleteItem(pdf.id, by: w.actor(1))
                #expect(files().isEmpty)
                await expectError(.notFound, "a deleted resource's file") { _ = try await w.pollen.resourceFile(pdf.id, viewer: w.actor(3)) }
            }
        }
    }
}

// MARK: - Notifications

extension CommunityContentTests {
    @Suite struct Notifications {
        @Test(arguments: Engine.enabled)
        func newContentReachesMembersByTheirLevel(engine: Engine) async throws {
            try await withWorld(engine) { w in
                try await community(w, "ops", members: [2, 3, 4])
                try await w.pollen.setNotificationLevel(.watching, in: "ops", by: w.actor(2))
                try await w.pollen.setNotificationLevel(.muted, in: "ops", by: w.actor(4))
                try await w.pollen.followCommunity(slug: "ops", by: w.actor(5))
                try await w.pollen.followCommunity(slug: "ops", by: w.actor(6))
                try await w.pollen.setNotificationLevel(.watching, in: "ops", by: w.actor(6))
                func counts() async throws -> [Int] {
                    var result: [Int] = []
                    for id: Int64 in 1...7 { result.append(try await told(w, id, .communityContent).count) }
                    return result
                }

                let thread = try await write(w, .thread, "Weekly sync", in: "ops", by: 1)
                #expect(try await counts() == [0, 1, 0, 0, 0, 1, 0], "only watchers hear of a new item")
                let first = try #require(try await told(w, 2, .communityContent).first)
                #expect(first.notification.itemID == thread.id)
                #expect(first.notification.actorID == m(1))
                #expect(first.community?.slug == "ops")
                #expect(first.item?.title == "Weekly sync")

                let draft = try await write(w, .article, "Coming soon", in: "ops", by: 3, publish: false)
                #expect(try await counts() == [0, 1, 0, 0, 0, 1, 0], "a draft is news to nobody")
                _ = try await w.pollen.editItem(
                    draft.id, ItemDraft(kind: .article, title: "Coming soon", body: "Some text."), basedOn: 1, by: w.actor(3))
                #expect(try await counts() == [0, 2, 0, 0, 0, 2, 0], "publishing it is")

                _ = try await write(w, .thread, "We moved", in: "ops", by: 1, announcement: true)
                #expect(try await counts() == [0, 3, 1, 0, 1, 3, 0], "an announcement reaches everyone who has not muted it")
            }
        }

        @Test(arguments: Engine.enabled)
        func repliesReachTheAuthorAndParticipantsUnlessMuted(engine: Engine) async throws {
            try await withWorld(engine) { w in
                try await community(w, "ops", members: [2, 3, 4])
                try await w.pollen.setNotificationLevel(.muted, in: "ops", by: w.actor(4))
                let article = try await write(w, .article, "Plan", in: "ops", by: 2)
                let muted = try await write(w, .thread, "Quiet", in: "ops", by: 4)

                try await w.pollen.comment(on: article.id, body: "Nice", by: w.actor(3))
                try await w.pollen.comment(on: muted.id, body: "Hello?", by: w.actor(3))
                #expect(try await told(w, 2, .communityComment).map(\.notification.itemID) == [article.id])
                #expect(try await told(w, 2, .communityComment).first?.notification.actorID == m(3))
                #expect(try await told(w, 4, .communityComment).isEmpty, "a muted author hears nothing")
                #expect(try await told(w, 3, .communityComment).isEmpty, "nobody hears of their own reply")

                try await w.pollen.comment(on: article.id, body: "Agreed", by: w.actor(1))
                #expect(try await told(w, 2, .communityComment).count == 2)
                #expect(try await told(w, 3, .communityComment).map(\.notification.actorID) == [m(1)], "those who took part hear of it")

                try await w.pollen.setNotificationLevel(.muted, in: "ops", by: w.actor(2))
                try await w.pollen.comment(on: article.id, body: "One more", by: w.actor(3))
                #expect(try await told(w, 2, .communityComment).count == 2, "muted, the author hears no more")
                #expect(try await told(w, 1, .communityComment).map(\.notification.actorID) == [m(3)])
            }
        }

        @Test(arguments: Engine.enabled)
        func requestsReachManagersAndApprovalsTheMember(engine: Engine) async throws {
            try await withWorld(engine) { w in
                try await community(w, "guild", .onRequest, members: [2])
                try await w.pollen.decide(.role(.manager), about: m(2), in: "guild", by: w.actor(1))
                try await w.pollen.setNotificationLevel(.muted, in: "guild", by: w.actor(1))
                #expect(try await told(w, 2, .communityApproved).map(\.notification.actorID) == [m(1)])

                // Member 2's own request reached the founder.
                #expect(try await told(w, 1, .communityRequest).map(\.notification.actorID) == [m(2)])

                #expect(try await w.pollen.joinCommunity(slug: "guild", by: w.actor(3)).state == .requested)
                #expect(
                    try await told(w, 1, .communityRequest).map(\.notification.actorID) == [m(3), m(2)],
                    "a manager who muted the community still hears of a request")
                #expect(try await told(w, 2, .communityRequest).map(\.notification.actorID) == [m(3)])
                #expect(try await told(w, 2, .communityRequest).first?.community?.slug == "guild")
                #expect(try await told(w, 3, .communityApproved).isEmpty)
                #expect(try await w.pollen.communityHome(slug: "guild", viewer: w.actor(2)).pendingRequests == 1)

                try await w.pollen.decide(.approve, about: m(3), in: "guild", by: w.actor(2))
                let approved = try await told(w, 3, .communityApproved)
                #expect(approved.map(\.notification.actorID) == [m(2)])
                #expect(approved.first?.community?.slug == "guild")
                #expect(try await told(w, 1, .communityRequest).count == 2)
                #expect(try await told(w, 4, .communityRequest).isEmpty)
            }
        }

        @Test(arguments: Engine.enabled)
        func aRemovedMemberNoLongerSeesAPrivateCommunitysNotifications(engine: Engine) async throws {
            try await withWorld(engine) { w in
                try await community(w, "inner", .private, members: [2])
                try await w.pollen.setNotificationLevel(.watching, in: "inner", by: w.actor(2))
                _ = try await write(w, .thread, "Secret plans", in: "inner", by: 1)
                let question = try await write(w, .thread, "My question", in: "inner", by: 2)
                try await w.pollen.comment(on: question.id, body: "An answer", by: w.actor(1))
                let before = try await w.pollen.notifications(by: w.actor(2), range: CursorRange(limit: 40))
                #expect(before.map(\.notification.kind) == [.communityComment, .communityContent, .communityInvited])
                func kept() async throws -> Int {
                    try await w.pollen.store.read {
                        try await $0.notifications.list(member: m(2), kinds: nil, range: CursorRange(limit: 40))
                    }.count
                }

                try await w.pollen.decide(.remove, about: m(2), in: "inner", by: w.actor(1))
                #expect(try await w.pollen.notifications(by: w.actor(2), range: CursorRange(limit: 40)).isEmpty)
                #expect(try await told(w, 2, .communityContent).isEmpty)
                #expect(try await kept() == 3, "still stored: it is the reading that leaves them out")
                // And nothing new reaches them: neither new items nor replies to what they wrote there.
                _ = try await write(w, .thread, "More plans", in: "inner", by: 1)
                try await w.pollen.comment(on: question.id, body: "Another answer", by: w.actor(1))
                #expect(try await kept() == 3)
            }
        }
    }
}

// MARK: - Community home

extension CommunityContentTests {
    @Suite struct Home {
        @Test func popularityFollowsTheDocumentedFormula() {
            func article(_ counts: CommunityItem.Counts, daysAgo: Double) -> CommunityItem {
                let published = start.addingTimeInterval(-daysAgo * day)
                return CommunityItem(
                    id: i(1), communityID: c(1), kind: .article, title: "Plan", body: "Text", authorID: m(1),
                    publishedAt: published, counts: counts, createdAt: published)
            }
            func popularity(_ counts: CommunityItem.Counts, daysAgo: Double) -> Double {
                Pollen.popularity(of: article(counts, daysAgo: daysAgo), at: start)
            }
            // 3·2 + 2·3 + (9 − 2·2) + ln(1 + 7) = 17 + ln 8, over (10 days + 2)^1.5.
            let engaged = CommunityItem.Counts(views: 7, comments: 3, favourites: 2, ratings: 2, ratingTotal: 9)
            #expect(abs(popularity(engaged, daysAgo: 10) - (17 + log(8.0)) / pow(12, 1.5)) < 1e-12)
            #expect(abs(popularity(engaged, daysAgo: 10) - 0.458980) < 1e-6)
            // Age counts in days: ten hours is 10/24 of a day.
            #expect(abs(popularity(engaged, daysAgo: 10.0 / 24) - (17 + log(8.0)) / pow(2 + 10.0 / 24, 1.5)) < 1e-12)
            // Three one-star ratings weigh against it: −3 over 2^1.5.
            #expect(abs(popularity(CommunityItem.Counts(ratings: 3, ratingTotal: 3), daysAgo: 0) - (-3 / pow(2, 1.5))) < 1e-12)
            // Nothing done with it: zero.
            #expect(popularity(CommunityItem.Counts(), daysAgo: 5) == 0)
            // Views grow only logarithmically: 99 views are ln 100 ≈ 4.6, less than two favourites.
            let viewed = popularity(CommunityItem.Counts(views: 99), daysAgo: 1)
            #expect(abs(viewed - log(100.0) / pow(3, 1.5)) < 1e-12)
            #expect(popularity(CommunityItem.Counts(favourites: 2), daysAgo: 1) > viewed)
            // Yesterday's article with a favourite and a good rating beats one opened once a minute ago.
            #expect(
                popularity(CommunityItem.Counts(favourites: 1, ratings: 1, ratingTotal: 5), daysAgo: 1)
                    > popularity(CommunityItem.Counts(views: 1), daysAgo: 1.0 / 1440))
            // A fresh item with a little engagement passes a two-month-old one with a lot.
            #expect(
                popularity(CommunityItem.Counts(favourites: 1), daysAgo: 1)
                    > popularity(CommunityItem.Counts(comments: 10, favourites: 10), daysAgo: 60))
            // An item published in the future (clock skew) counts as brand new, not as a negative age.
            #expect(abs(popularity(CommunityItem.Counts(favourites: 1), daysAgo: -3) - 3 / pow(2, 1.5)) < 1e-12)
        }

        @Test(arguments: Engine.enabled)
        func theHomeFillsEverySection(engine: Engine) async throws {
            try await withWorld(engine) { w in
                try await community(w, "ops")
                for id: Int64 in [2, 3, 4] {
                    w.clock.advance(by: hour)
                    try await w.pollen.joinCommunity(slug: "ops", by: w.actor(id))
                }
                let news = try await write(w, .article, "Kick-off", in: "ops", by: 1, announcement: true)
                let a = try await write(w, .article, "Forecasting basics", in: "ops", by: 2)
                let b = try await write(w, .thread, "Which tool?", in: "ops", by: 3)
                let wiki = try await write(w, .wiki, "Glossary", in: "ops", by: 4)
                _ = try await write(w, .article, "Unfinished", in: "ops", by: 4, publish: false)
                let question = try await write(w, .thread, "Anyone using R?", in: "ops", by: 4)
                let closed = try await write(w, .thread, "Old question", in: "ops", by: 4)
                try await w.pollen.setThreadState(closed.id, closed: true, by: w.actor(4))
                try await w.pollen.feature(b.id, note: "Good question", by: w.actor(1))
                try await w.pollen.setItemFavourite(true, a.id, by: w.actor(3))
                try await w.pollen.setItemFavourite(true, a.id, by: w.actor(4))
                try await w.pollen.rate(a.id, stars: 5, by: w.actor(3))
                _ = try await w.pollen.item(a.id, viewer: w.actor(4))
                try await w.pollen.setItemFavourite(true, b.id, by: w.actor(2))
                try await w.pollen.setItemFavourite(true, b.id, by: w.actor(3))  // its author's own
                try await w.pollen.comment(on: b.id, body: "The template.", by: w.actor(4))
                w.clock.advance(by: 10 * day)

                let home = try await w.pollen.communityHome(slug: "ops", viewer: w.actor(5))
                #expect(home.mayRead && !home.mayContribute && !home.mayManage)
                #expect(home.community.memberCount == 4)
                #expect(home.featured.map(\.item.id) == [b.id])
                #expect(home.featured.first?.item.feature?.note == "Good question")
                #expect(home.news.map(\.item.id) == [news.id])
                #expect(
                    home.latest.map(\.item.id) == [closed.id, question.id, wiki.id, b.id, a.id],
                    "the newest first, announcements and drafts apart")
                #expect(home.openQuestions.map(\.item.id) == [question.id], "open discussions nobody answered")
                #expect(home.popular.map(\.item.id) == [a.id, b.id], "items nobody engaged with are not popular")
                // Ten days on, A: 3·2 favourites + (5 − 2) for one five-star rating + ln(1 + 1 view); B: 3·2 favourites
                // + 2·1 comment; each over (10 + 2)^1.5.
                let expectedA = (6 + 3 + log(2.0)) / pow(12, 1.5)
                let expectedB = 8 / pow(12, 1.5)
                #expect(abs((home.popular.first?.popularity ?? 0) - expectedA) < 1e-9)
                #expect(abs((home.popular.last?.popularity ?? 0) - expectedB) < 1e-9)
                #expect(home.newMembers.map(\.handle) == ["m4", "m3", "m2", "m1"])
                #expect(home.popularMembers.map(\.handle) == ["m2", "m3"], "favourites and good ratings from others; not one's own")
                #expect(home.leaders.map(\.member.handle) == ["m1"])
                #expect(home.followers == 0 && !home.viewerFollows && home.viewerLevel == nil)

                try await w.pollen.followCommunity(slug: "ops", by: w.actor(5))
                let following = try await w.pollen.communityHome(slug: "ops", viewer: w.actor(5))
                #expect(following.followers == 1 && following.viewerFollows && following.viewerLevel == .normal)
                let manager = try await w.pollen.communityHome(slug: "ops", viewer: w.actor(1))
                #expect(manager.mayManage && manager.mayLead && manager.mayContribute)

                // After the 90-day window nothing is popular any more.
                w.clock.advance(by: 91 * day)
                let later = try await w.pollen.communityHome(slug: "ops", viewer: w.actor(5))
                #expect(later.popular.isEmpty)
                #expect(later.popularMembers.isEmpty)
                #expect(later.latest.count == 5)
            }
        }

        @Test(arguments: Engine.enabled)
        func aPrivateCommunitysHomeShowsNothingToTheInvited(engine: Engine) async throws {
            try await withWorld(engine) { w in
                try await community(w, "inner", .private, members: [2])
                _ = try await write(w, .thread, "Secret plans", in: "inner", by: 1)
                try await w.pollen.decide(.invite, about: m(3), in: "inner", by: w.actor(1))
                let invited = try await w.pollen.communityHome(slug: "inner", viewer: w.actor(3))
                #expect(!invited.mayRead)
                #expect(invited.latest.isEmpty && invited.newMembers.isEmpty)
                #expect(try await w.pollen.communityHome(slug: "inner", viewer: w.actor(2)).latest.map(\.item.title) == ["Secret plans"])
                await expectError(.notFound) { _ = try await w.pollen.communityHome(slug: "inner", viewer: w.actor(4)) }
            }
        }

        @Test(arguments: Engine.enabled)
        func suggestionsRankByColleaguesAndLeaveOutPrivateJoinedAndFollowed(engine: Engine) async throws {
            let departments: [Int64: String] = [
                1: "Finance", 2: "Finance", 3: "Finance", 4: "Finance", 5: "Finance", 6: "Sales", 7: "Sales", 8: "Sales",
            ]
            try await withWorld(engine, departments: departments) { w in
                // Founders: 6, 7 and 8 are in Sales, so founding adds no Finance colleague.
                try await community(w, "alpha", .open, founder: 6, members: [1, 7, 8])  // one colleague, four members
                try await community(w, "beta", .onRequest, founder: 7, members: [2, 3])  // two colleagues
                try await community(w, "gamma", .private, founder: 8, members: [1, 2, 3, 4])  // four, but private
                try await community(w, "delta", .open, founder: 6, members: [1, 2, 3, 5])  // joined
                try await community(w, "epsilon", .open, founder: 7, members: [1, 2, 3, 4])  // followed
                try await community(w, "zeta", .open, founder: 8)  // nobody of Finance
                try await w.pollen.followCommunity(slug: "epsilon", by: w.actor(5))
                try await w.pollen.joinCommunity(slug: "alpha", by: w.actor(4))
                _ = try await w.pollen.joinCommunity(slug: "beta", by: w.actor(4))  // a request is not membership

                let suggested = try await w.pollen.suggestedCommunities(viewer: w.actor(5))
                #expect(suggested.map(\.community.slug) == ["alpha", "beta", "zeta"])
                #expect(suggested.map(\.colleagues) == [2, 2, 0])
                #expect(suggested.map(\.members) == [5, 3, 1])
                #expect(try await w.pollen.suggestedCommunities(limit: 1, viewer: w.actor(5)).map(\.community.slug) == ["alpha"])

                // Without colleagues the larger come first; a member never has their own communities suggested.
                let sales = try await w.pollen.suggestedCommunities(viewer: w.actor(6))
                #expect(sales.map(\.community.slug) == ["epsilon", "beta", "zeta"])
                #expect(sales.map(\.colleagues) == [1, 1, 1])
                #expect(try await w.pollen.myCommunities(viewer: w.actor(5)).map(\.community.slug) == ["delta"])
            }
        }

        @Test(arguments: Engine.enabled)
        func onlyOpenCommunitiesAreFollowedAndLevelsNeedAPlace(engine: Engine) async throws {
            try await withWorld(engine) { w in
                try await community(w, "ops", members: [2])
                try await community(w, "guild", .onRequest)
                try await community(w, "inner", .private)
                await expectError(.conflict, "following an on-request community") {
                    try await w.pollen.followCommunity(slug: "guild", by: w.actor(5))
                }
                await expectError(.notFound, "following a private community") { try await w.pollen.followCommunity(slug: "inner", by: w.actor(5)) }
                await expectError(.conflict, "a member follows") { try await w.pollen.followCommunity(slug: "ops", by: w.actor(2)) }
                await expectError(.conflict, "a level before joining or following") {
                    try await w.pollen.setNotificationLevel(.watching, in: "ops", by: w.actor(5))
                }
                #expect(try await w.pollen.communityFollowing(slug: "ops", viewer: w.actor(5)) == (false, nil))

                try await w.pollen.followCommunity(slug: "ops", by: w.actor(5))
                #expect(try await w.pollen.communityFollowing(slug: "ops", viewer: w.actor(5)) == (true, .normal))
                try await w.pollen.setNotificationLevel(.watching, in: "ops", by: w.actor(5))
                #expect(try await w.pollen.communityFollowing(slug: "ops", viewer: w.actor(5)) == (true, .watching))
                try await w.pollen.setNotificationLevel(.muted, in: "ops", by: w.actor(2))
                #expect(try await w.pollen.communityFollowing(slug: "ops", viewer: w.actor(2)) == (false, .muted))

                // The followed community's items reach the follower's home; an unfollowed one's no longer.
                let thread = try await write(w, .thread, "Weekly sync", in: "ops", by: 2)
                #expect(try await w.pollen.homeItems(after: nil, before: w.clock.now(), limit: 20, viewer: w.actor(5)).map(\.item.id) == [thread.id])
                _ = try await write(w, .article, "Next week", in: "ops", by: 2, publishAt: w.clock.now().addingTimeInterval(hour))
                let tomorrow = w.clock.now().addingTimeInterval(day)
                #expect(
                    try await w.pollen.homeItems(after: nil, before: tomorrow, limit: 20, viewer: w.actor(5)).map(\.item.id) == [thread.id],
                    "a later `before` does not reveal what is scheduled")
                try await w.pollen.unfollowCommunity(slug: "ops", by: w.actor(5))
                #expect(try await w.pollen.communityFollowing(slug: "ops", viewer: w.actor(5)) == (false, nil))
                #expect(try await w.pollen.homeItems(after: nil, before: w.clock.now(), limit: 20, viewer: w.actor(5)).isEmpty)
                await expectError(.conflict, "a level after unfollowing") {
                    try await w.pollen.setNotificationLevel(.normal, in: "ops", by: w.actor(5))
                }
            }
        }
    }
}
