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
}
