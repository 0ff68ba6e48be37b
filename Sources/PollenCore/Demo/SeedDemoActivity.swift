import Foundation

extension Pollen {
    /// Rows written per transaction while seeding activity.
    static let demoActivityBatch = 20_000

    /// Writes the follows, followed hashtags, posts (replies, reshares) and favourites of a demo organization.
    /// Posts get identifiers from their own (past) times, so timelines list them in the order they were written.
    func seedActivity(
        drafts: [DemoMemberDraft], memberIDs: [Member.ID], seed: UInt64, into report: inout DemoReport,
        progress: @Sendable (String, Int, Int) -> Void
    ) async throws {
        let activity = DemoActivity.generate(members: drafts, seed: seed)
        let now = time.now()
        func past(_ seconds: Int) -> Date { now.addingTimeInterval(-Double(seconds)) }

        let follows = activity.follows.map {
            FollowRecord(id: ids.next(), follower: memberIDs[$0.follower], followee: memberIDs[$0.followee], at: past($0.secondsAgo))
        }
        try await writeInBatches(follows, phase: "follows", progress: progress) { batch, repos in
            try await repos.network.insertFollows(batch)
        }
        let tagFollows = activity.tagFollows.map { (id: ids.next(), member: memberIDs[$0.member], tag: $0.tag, at: past($0.secondsAgo)) }
        try await writeInBatches(tagFollows, phase: "hashtag follows", progress: progress) { batch, repos in
            try await repos.network.insertTagFollows(batch)
        }

        // Identifiers in time order: oldest post first, each id above the last.
        let order = activity.posts.indices.sorted { activity.posts[$0].secondsAgo > activity.posts[$1].secondsAgo }
        var postIDs = [Post.ID](repeating: Post.ID(0), count: activity.posts.count)
        var lastID: Int64 = 0
        for index in order {
            let id = max(lastID + 1, SnowflakeIDGenerator.firstID(at: past(activity.posts[index].secondsAgo)))
            postIDs[index] = Post.ID(id)
            lastID = id
        }
        var counts = [Post.Counts](repeating: Post.Counts(), count: activity.posts.count)
        for draft in activity.posts {
            if let parent = draft.replyTo { counts[parent].replies += 1 }
            if let original = draft.reshareOf { counts[original].reshares += 1 }
        }
        let favourites = activity.favourites.map { favourite in
            counts[favourite.post].favourites += 1
            return (id: ids.next(), member: memberIDs[favourite.member], post: postIDs[favourite.post], at: past(favourite.secondsAgo))
        }
        var roots = [Post.ID](repeating: Post.ID(0), count: activity.posts.count)
        var posts: [Post] = []
        posts.reserveCapacity(activity.posts.count)
        for index in order {
            let draft = activity.posts[index]
            let root = draft.replyTo.map { roots[$0] } ?? postIDs[index]
            roots[index] = root
            posts.append(
                Post(
                    id: postIDs[index], authorID: memberIDs[draft.author], body: draft.body, visibility: draft.visibility,
                    replyToID: draft.replyTo.map { postIDs[$0] },
                    replyToAuthorID: draft.replyTo.map { memberIDs[activity.posts[$0].author] }, threadRootID: root,
                    reshareOfID: draft.reshareOf.map { postIDs[$0] }, hashtags: PostText.hashtags(in: draft.body),
                    mentionIDs: draft.mentions.map { memberIDs[$0] }, createdAt: past(draft.secondsAgo),
                    counts: counts[index]))
        }
        try await writeInBatches(posts, phase: "posts", progress: progress) { batch, repos in
            try await repos.posts.insertMany(batch)
        }
        try await writeInBatches(favourites, phase: "favourites", progress: progress) { batch, repos in
            try await repos.posts.insertFavourites(batch)
        }
        report.follows = follows.count
        report.posts = posts.count
        report.favourites = favourites.count
    }

    private func writeInBatches<Row: Sendable>(
        _ rows: [Row], phase: String, progress: @Sendable (String, Int, Int) -> Void,
        _ write: @escaping @Sendable ([Row], any Repositories) async throws -> Void
    ) async throws {
        var start = 0
        while start < rows.count {
            let batch = Array(rows[start..<min(start + Self.demoActivityBatch, rows.count)])
            try await store.write { repos in try await write(batch, repos) }
            start += batch.count
            progress(phase, start, rows.count)
        }
    }
}
