import Foundation
import PollenCore
import PollenStorage
import Testing

@Suite struct DemoCommunitiesTests {
    @Test(arguments: Engine.enabled)
    func theDemoStoresCommunitiesOfEveryKindWithEveryKindOfContent(engine: Engine) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pollen-demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try await withStore(engine) { store in
            let now = Date(timeIntervalSince1970: 1_772_323_200)
            let pollen = Pollen(
                store: store, secrets: PlainSecrets(), time: ManualTimeSource(now), files: DirectoryResourceFiles(root: folder))
            let report = try await pollen.seedDemo(members: 150, seed: 3)
            #expect(report.communities == 7 && report.communityItems == 77)

            let admin = try #require(try await pollen.profile(handle: try #require(report.adminHandle), viewer: .system))
            let communities = try await pollen.communities(CommunityQuery(visibleTo: nil, limit: 50), viewer: .member(admin)).items
            #expect(communities.count == 7)
            #expect(Set(communities.map(\.community.kind)) == Set(Community.Kind.allCases))
            #expect(communities.contains { $0.community.membership == .private })
            #expect(communities.contains { $0.community.membership == .onRequest })

            var kinds = Set<CommunityItem.Kind>()
            for view in communities {
                #expect(view.memberCount >= 10)
                let items = try await store.read { repos in
                    try await repos.communityContent.items(
                        CommunityItemQuery(community: view.community.id, liveAt: now, allDrafts: true, limit: 50)
                    ).items
                }
                kinds.formUnion(items.map(\.kind))
                #expect(items.contains { $0.state == .draft } && items.contains { !$0.isLive(at: now) && $0.state == .published })
                #expect(items.contains { $0.pinned } && items.contains { $0.closed } && items.contains { $0.feature != nil })
                #expect(items.contains { $0.counts.comments > 0 } && items.contains { $0.counts.views > 0 })
                #expect(items.contains { $0.counts.ratings > 0 } && items.contains { $0.counts.favourites > 0 })
                let wiki = try #require(items.first { $0.kind == .wiki && $0.revision == 3 })
                #expect(try await store.read { try await $0.communityContent.revisions(of: wiki.id) }.count == 3)
                let file = try #require(items.first { $0.resource?.storageKey != nil })
                #expect(try pollen.files.read(key: try #require(file.resource?.storageKey)).count == file.resource?.byteSize)
                // What the demo wrote reads back through the use cases as a member sees it.
                let comments = try await pollen.comments(
                    on: try #require(items.first { $0.pinned }).id, viewer: .member(admin))
                #expect(comments.count == 6)
            }
            #expect(kinds == Set(CommunityItem.Kind.allCases))
        }
    }
}
