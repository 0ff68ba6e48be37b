import Foundation
import PollenCore
import Testing

@Suite struct DemoActivityTests {
    let members = DemoOrganizationGenerator(seed: 5).members(count: 600)

    @Test func theSameSeedGivesTheSameActivity() {
        let a = DemoActivity.generate(members: members, seed: 9)
        let b = DemoActivity.generate(members: members, seed: 9)
        let c = DemoActivity.generate(members: members, seed: 10)
        #expect(a.follows == b.follows && a.posts == b.posts && a.favourites == b.favourites)
        #expect(a.follows != c.follows)
    }

    @Test func activityKeepsTheProductsRules() throws {
        let activity = DemoActivity.generate(members: members, seed: 9)
        var pairs = Set<Int>()
        for follow in activity.follows {
            #expect(follow.follower != follow.followee)
            #expect(pairs.insert(follow.follower * 10_000 + follow.followee).inserted, "duplicate follow")
        }
        // Heavy-tailed but averaging what was asked for.
        let mean = Double(activity.follows.count) / Double(members.count)
        #expect((40...60).contains(mean))
        for (index, post) in activity.posts.enumerated() {
            #expect(post.body.count <= PostText.maxLength)
            if let parent = post.replyTo {
                #expect(parent < index && activity.posts[parent].secondsAgo >= post.secondsAgo)
            }
            if let original = post.reshareOf {
                #expect(activity.posts[original].visibility == .organization && activity.posts[original].reshareOf == nil)
            }
            for mentioned in post.mentions {
                #expect(post.body.contains("@" + members[mentioned].handle))
            }
            if post.visibility == .mentioned { #expect(!post.mentions.isEmpty) }
        }
        for favourite in activity.favourites {
            #expect(activity.posts[favourite.post].author != favourite.member)
        }
    }

    @Test func theDemoGrowsCommunitiesOfEveryKindWithEveryKindOfContent() throws {
        let plan = DemoCommunities.generate(members: members, seed: 9)
        #expect(plan == DemoCommunities.generate(members: members, seed: 9), "the same seed gives the same communities")
        #expect(plan != DemoCommunities.generate(members: members, seed: 10))
        let communities = plan.communities
        #expect(Set(communities.map(\.kind)) == Set(Community.Kind.allCases))
        #expect(Set(communities.map(\.membership)) == Set(Community.Membership.allCases), "one private, one on request")
        #expect(Set(communities.map(\.slug)).count == communities.count)
        for community in communities {
            let active = community.members.filter { $0.state == .active }
            let roles = active.map(\.role)
            #expect(roles.first == .manager && roles.filter { $0 == .manager }.count == 1, "\(community.slug)")
            #expect((2...3).contains(roles.filter { $0 == .sme }.count), "\(community.slug)")
            #expect(Set(community.members.map(\.member)).count == community.members.count, "nobody twice")
            #expect(community.members.contains { $0.state == .requested } == (community.membership == .onRequest))
            let insiders = Set(active.map(\.member))
            let manager = active[0].member
            #expect(community.followers.allSatisfy { !insiders.contains($0) })
            if community.kind == .horizontal {
                #expect(Set(active.map { members[$0.member].department }).count >= 5, "many departments")
            }
            if community.kind == .vertical {
                // One job role first: it is the community's largest group by far.
                let roles = active.map { members[$0.member].jobRole }
                let largest = Set(roles).map { role in roles.count { $0 == role } }.max() ?? 0
                #expect(largest * 10 >= roles.count * 3, "\(community.slug)")
            }

            let items = community.items
            #expect(Set(items.map(\.kind)) == Set(CommunityItem.Kind.allCases), "\(community.slug)")
            #expect(items.contains { $0.kind == .thread && $0.pinned } && items.contains { $0.kind == .thread && $0.closed })
            #expect(items.contains { $0.kind == .article && $0.publishedSecondsAgo == nil }, "a draft")
            #expect(items.contains { $0.kind == .article && ($0.publishedSecondsAgo ?? 0) < 0 }, "a scheduled article")
            #expect(items.contains { $0.announcement && $0.author == manager }, "the manager's announcement")
            #expect(items.contains { $0.featuredBy != nil })
            #expect(items.filter { $0.kind == .wiki }.allSatisfy { (2...3).contains($0.revisions.count) && Set($0.revisions.map(\.author)).count > 1 })
            #expect(items.contains { $0.kind == .resource && $0.link != nil } && items.contains { $0.kind == .resource && $0.file != nil })
            #expect(items.contains { !$0.comments.isEmpty } && items.contains { !$0.ratings.isEmpty })
            #expect(items.contains { !$0.favourites.isEmpty } && items.contains { !$0.viewers.isEmpty })
            for item in items {
                let live = (item.publishedSecondsAgo ?? -1) > 0
                #expect(insiders.contains(item.author))
                #expect(item.revisions.allSatisfy { insiders.contains($0.author) })
                #expect(item.comments.allSatisfy { insiders.contains($0.author) && $0.author != item.author })
                #expect(item.viewers.allSatisfy { insiders.contains($0) && $0 != item.author })
                #expect(item.ratings.allSatisfy { (1...5).contains($0.stars) && $0.member != item.author })
                #expect(Set(item.ratings.map(\.member)).count == item.ratings.count)
                #expect(zip(item.comments, item.comments.dropFirst()).allSatisfy { $0.secondsAgo >= $1.secondsAgo }, "oldest first")
                if !live { #expect(item.comments.isEmpty && item.viewers.isEmpty && item.featuredBy == nil) }
            }
        }
        // Small enough not to slow the demo of a large organization.
        let big = DemoCommunities.generate(members: DemoOrganizationGenerator(seed: 5).members(count: 5_000), seed: 9)
        #expect(big.communities.allSatisfy { $0.members.count <= 130 && $0.items.count <= 20 })
        #expect(DemoCommunities.generate(members: Array(members.prefix(5)), seed: 9).communities.isEmpty)
    }
}
