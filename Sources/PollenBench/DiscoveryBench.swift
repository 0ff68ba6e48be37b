import ArgumentParser
import Foundation
import PollenCore
import PollenStorage

/// `pollen-bench --discovery`: the discovery features on a demo database. Subject scores are rebuilt once
/// (timed: the server does it hourly), then suggestions, "Follow who they follow", subject pages, explore and
/// unfollow review are timed through the use cases, each warmed up first.
extension PollenBench {
    struct Counted: Sendable {
        let member: Member
        let following: Int
    }

    func discoveryFigures(_ pollen: Pollen, _ store: SQLStore, rng: inout DemoRandom) async throws {
        let everyone = try await allMembers(store)
        guard everyone.count > 1 else { throw ValidationError("Too few members; is this a demo database?") }
        let following = everyone.map(\.following)
        print("active members: \(everyone.count) (following: median \(median(following)), most \(following.max() ?? 0))")

        let refreshStarted = ContinuousClock.now
        let refresh = try await pollen.refreshSubjectScores()
        print(
            String(
                format: "refreshSubjectScores: %.2f s, %d scores kept, most followed from %d followers",
                seconds(since: refreshStarted), refresh.scores, refresh.popularFollowers))

        // Viewers and sampled members: drawn at random across the whole organization.
        let shuffled = everyone.shuffled(using: &rng)
        let sample = Array(shuffled.prefix(min(suggestionMembers, shuffled.count)))
        try await suggestionFigures(pollen, sample)
        try await listingFigures(pollen, everyone, viewers: shuffled)
        try await subjectFigures(pollen, store, viewers: shuffled, rng: &rng)
        try await exploreFigures(pollen, store, viewers: shuffled, rng: &rng)
        try await unfollowFigures(pollen, sample)
    }

    /// Every active member with how many accounts they follow, read in directory pages.
    func allMembers(_ store: SQLStore) async throws -> [Counted] {
        var result: [Counted] = []
        var offset = 0
        while true {
            let at = offset
            let page = try await store.read { try await $0.members.search(DirectoryQuery(limit: 5000, offset: at)) }
            guard !page.items.isEmpty else { break }
            for chunk in stride(from: 0, to: page.items.count, by: 500) {
                let members = Array(page.items[chunk..<min(chunk + 500, page.items.count)])
                let counts = try await store.read { try await $0.network.counts(for: members.map(\.id)) }
                result += members.filter { $0.status == .active }.map { Counted(member: $0, following: counts[$0.id]?.following ?? 0) }
            }
            offset += page.items.count
        }
        return result.sorted { $0.member.id < $1.member.id }
    }

    func suggestionFigures(_ pollen: Pollen, _ sample: [Counted]) async throws {
        for member in sample.prefix(warmups) { _ = try await pollen.suggestions(for: .member(member.member), limit: 20) }
        var times: [Double] = []
        var returned = 0
        for member in sample {
            let started = ContinuousClock.now
            let suggestions = try await pollen.suggestions(for: .member(member.member), limit: 20)
            times.append(milliseconds(since: started))
            returned += suggestions.count
        }
        print("")
        print("suggestions(for:limit: 20), \(sample.count) members drawn at random (following: median \(median(sample.map(\.following))), most \(sample.map(\.following).max() ?? 0)); \(String(format: "%.1f", Double(returned) / Double(max(sample.count, 1)))) suggestions each on average")
        report("suggestions, all sampled members", times, target: "p99 ≤ 30 ms", at: 0.99, limit: 30)
        // The members following the most accounts in the sample: the most paths through the graph.
        let heaviest = zip(sample, times).sorted { $0.0.following > $1.0.following }.prefix(max(sample.count / 10, 1))
        let range = "\(heaviest.map(\.0.following).min() ?? 0)–\(heaviest.map(\.0.following).max() ?? 0)"
        report("  the \(heaviest.count) following the most (\(range))", heaviest.map(\.1), target: "p99 ≤ 30 ms", at: 0.99, limit: 30)
        let slowest = zip(sample, times).sorted { $0.1 > $1.1 }.prefix(3)
        print("  slowest: " + slowest.map { String(format: "%.1f ms (@%@, following %d)", $0.1, $0.0.member.handle, $0.0.following) }.joined(separator: ", "))
        try await suggestionSteps(pollen, sample)
    }

    /// The repository reads a suggestion request makes, timed one by one for the same members (each in its
    /// own read, so the sum is a little above the use case's time): which one to look at when the total is slow.
    func suggestionSteps(_ pollen: Pollen, _ sample: [Counted]) async throws {
        var steps: [(String, [Double])] = []
        func step<T: Sendable>(_ name: String, _ work: @escaping @Sendable (any Repositories) async throws -> T) async throws -> T {
            let started = ContinuousClock.now
            let result = try await pollen.store.read(work)
            let elapsed = milliseconds(since: started)
            if let index = steps.firstIndex(where: { $0.0 == name }) { steps[index].1.append(elapsed) } else { steps.append((name, [elapsed])) }
            return result
        }
        let since = Date().addingTimeInterval(-Pollen.newMemberWindow)
        var tagCounts: [Int] = []
        var candidateCounts: [Int] = []
        var rankTimes: [Double] = []
        for counted in sample {
            let viewer = counted.member
            _ = try await step("notToSuggest") { try await $0.discovery.notToSuggest(to: viewer.id) }
            let found = try await step("friendsOfFriends (300)") { try await $0.discovery.friendsOfFriends(of: viewer.id, limit: 300) }
            let followed = try await step("timelineSources") { try await $0.network.timelineSources(of: viewer.id) }
            let tags = Array((viewer.profile.subjects + viewer.profile.expertise + followed.tags).uniqued().prefix(24))
            let scores = try await step("subjectScores, by reactions and by activity") {
                try await $0.discovery.subjectScores(tags: tags, byActivity: false, limit: 25)
                    + $0.discovery.subjectScores(tags: tags, byActivity: true, limit: 15)
            }
            let newcomers = try await step("newMembers") { try await $0.discovery.newMembers(since: since, department: nil, limit: 40) }
            let gathered = Array(Set(found.map(\.member)).union(scores.map(\.member)).union(newcomers.map(\.id)))
            tagCounts.append(tags.count)
            candidateCounts.append(gathered.count)
            // The most relevant `rankedPool` go on to be read and re-ranked, as in the use case.
            let sharedBy = Dictionary(found.map { ($0.member, $0.sharedFollows) }, uniquingKeysWith: max)
            var signals: [Member.ID: [(tag: String, engagement: Int, replies: Int)]] = [:]
            for score in scores { signals[score.member, default: []].append((score.tag, score.engagement, score.replies)) }
            let recent = Set(newcomers.map(\.id))
            let relevance = Dictionary(uniqueKeysWithValues: gathered.map { id in
                (id, SuggestionRanker.relevance(sharedFollows: sharedBy[id] ?? 0, subjects: signals[id] ?? [], isNew: recent.contains(id)))
            })
            let ids = Array(gathered.sorted { relevance[$0]! != relevance[$1]! ? relevance[$0]! > relevance[$1]! : $0 < $1 }
                .prefix(Pollen.rankedPool))
            let members = try await step("members.find(ids:) of the candidates") { try await $0.members.find(ids: ids) }
            let counts = try await step("network.counts(for:) of the candidates") { try await $0.network.counts(for: ids) }
            let (departments, popular) = try await step("followedDepartments + discoveryState") {
                (try await $0.discovery.followedDepartments(of: viewer.id), try await $0.discovery.discoveryState().popularFollowers)
            }
            // The ranking in memory, as the use case does it (diversity re-ranking of every candidate).
            var familiar = Set(departments.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(2).map(\.key))
            if !viewer.profile.department.isEmpty { familiar.insert(viewer.profile.department.lowercased()) }
            let ranker = SuggestionRanker(familiarDepartments: familiar, followedDepartments: Set(departments.keys), popularFollowers: popular)
            let shared = Dictionary(found.map { ($0.member, $0.sharedFollows) }, uniquingKeysWith: max)
            var subjects: [Member.ID: [(tag: String, engagement: Int, replies: Int)]] = [:]
            for score in scores { subjects[score.member, default: []].append((score.tag, score.engagement, score.replies)) }
            let newIDs = Set(newcomers.map(\.id))
            let candidates = members.filter { $0.id != viewer.id }.sorted { $0.id < $1.id }.map {
                SuggestionRanker.Candidate(
                    member: $0, followers: counts[$0.id]?.followers ?? 0, sharedFollows: shared[$0.id] ?? 0,
                    subjects: subjects[$0.id] ?? [], isNew: newIDs.contains($0.id))
            }
            let ranking = ContinuousClock.now
            _ = ranker.rank(candidates, limit: 20)
            rankTimes.append(milliseconds(since: ranking))
            let top = Array(found.prefix(20).map(\.member))
            _ = try await step("sharedFollowers(of: 20)") { try await $0.discovery.sharedFollowers(of: top, for: viewer.id) }
        }
        print("  step by step for the same members, each read on its own (\(median(tagCounts)) subjects and \(median(candidateCounts)) candidates at the median):")
        for (name, times) in steps { report("    " + name, times) }
        report("    SuggestionRanker.rank(limit: 20), in memory", rankTimes)
    }

    /// "Follow who they follow": the accounts whose following count is closest to 400, each listed for
    /// several viewers.
    func listingFigures(_ pollen: Pollen, _ everyone: [Counted], viewers: [Counted]) async throws {
        let accounts = everyone.sorted {
            abs($0.following - 400) != abs($1.following - 400) ? abs($0.following - 400) < abs($1.following - 400) : $0.member.id < $1.member.id
        }.prefix(listingAccounts)
        print("")
        print("networkListing(of:followers: false) of the \(accounts.count) accounts following closest to 400: following \(accounts.map { String($0.following) }.joined(separator: ", "))")
        var all: [Double] = []
        var viewerIndex = 0
        for account in accounts {
            for _ in 0..<warmups {
                _ = try await pollen.networkListing(of: account.member.id, followers: false, viewer: .member(viewers[viewerIndex % viewers.count].member))
                viewerIndex += 1
            }
            var times: [Double] = []
            var entries = 0
            for _ in 0..<listingRuns {
                let viewer = viewers[viewerIndex % viewers.count].member
                viewerIndex += 1
                let started = ContinuousClock.now
                let listing = try await pollen.networkListing(of: account.member.id, followers: false, viewer: .member(viewer))
                times.append(milliseconds(since: started))
                entries = listing.entries.count
            }
            report("  @\(account.member.handle) (following \(account.following), \(entries) listed)", times)
            all += times
        }
        report("networkListing, following ~400, all runs", all, target: "≤ 10 ms (p99)", at: 0.99, limit: 10)
    }

    /// Subject pages of the most used hashtags and of some drawn at random from the others.
    func subjectFigures(_ pollen: Pollen, _ store: SQLStore, viewers: [Counted], rng: inout DemoRandom) async throws {
        let tags = try await store.read { try await $0.search.hashtags(startingWith: "", limit: 10_000, offset: 0) }
            .filter { $0.posts > 0 }
        guard !tags.isEmpty else { return }
        let top = Array(tags.prefix(subjectTags))
        let random = Array(tags.dropFirst(subjectTags).shuffled(using: &rng).prefix(subjectTags))
        print("")
        print("subject(_:viewer:), from the precomputed scores; \(tags.count) hashtags in use")
        var viewerIndex = 0
        var all: [Double] = []
        for (label, group) in [("most used", top), ("random others", random)] where !group.isEmpty {
            var times: [Double] = []
            var leaders = 0
            for use in group {
                for _ in 0..<warmups {
                    _ = try await pollen.subject(use.tag, viewer: .member(viewers[viewerIndex % viewers.count].member))
                    viewerIndex += 1
                }
                for _ in 0..<subjectRuns {
                    let viewer = viewers[viewerIndex % viewers.count].member
                    viewerIndex += 1
                    let started = ContinuousClock.now
                    let overview = try await pollen.subject(use.tag, viewer: .member(viewer))
                    times.append(milliseconds(since: started))
                    leaders += overview.thoughtLeaders.count
                }
            }
            let posts = group.map(\.posts)
            report(
                "  \(group.count) \(label) (\(posts.min() ?? 0)–\(posts.max() ?? 0) posts, \(leaders / max(times.count, 1)) leaders shown)", times,
                target: "≤ 20 ms (p99)", at: 0.99, limit: 20)
            all += times
        }
        report("subject pages, all runs", all, target: "≤ 20 ms (p99)", at: 0.99, limit: 20)
    }

    func exploreFigures(_ pollen: Pollen, _ store: SQLStore, viewers: [Counted], rng: inout DemoRandom) async throws {
        let departments = try await store.read { try await $0.members.facets() }.departments
        print("")
        print("explore(department:viewer:) and unfollowCandidates(for:), for information")
        for index in 0..<warmups {
            _ = try await pollen.explore(department: nil, viewer: .member(viewers[index % viewers.count].member))
        }
        var whole: [Double] = []
        var people = 0
        for index in 0..<exploreRuns {
            let started = ContinuousClock.now
            let overview = try await pollen.explore(department: nil, viewer: .member(viewers[(index + warmups) % viewers.count].member))
            whole.append(milliseconds(since: started))
            people = overview.popularPeople.count + overview.newMembers.count + overview.popularPosts.count + overview.risingTags.count
        }
        report("explore, whole organization (\(people) items shown)", whole)
        guard !departments.isEmpty else { return }
        var byDepartment: [Double] = []
        for index in 0..<(exploreRuns + warmups) {
            let department = departments[Int(rng.next() % UInt64(departments.count))]
            let started = ContinuousClock.now
            _ = try await pollen.explore(department: department, viewer: .member(viewers[(index + 7) % viewers.count].member))
            if index >= warmups { byDepartment.append(milliseconds(since: started)) }
        }
        report("explore, one department (\(departments.count) drawn from)", byDepartment)
    }

    func unfollowFigures(_ pollen: Pollen, _ sample: [Counted]) async throws {
        for member in sample.prefix(warmups) { _ = try await pollen.unfollowCandidates(for: .member(member.member)) }
        var times: [Double] = []
        var offered = 0
        for member in sample {
            let started = ContinuousClock.now
            offered += try await pollen.unfollowCandidates(for: .member(member.member)).count
            times.append(milliseconds(since: started))
        }
        report("unfollowCandidates (\(offered / max(sample.count, 1)) offered on average)", times)
        let heaviest = zip(sample, times).sorted { $0.0.following > $1.0.following }.prefix(max(sample.count / 10, 1))
        report("  the \(heaviest.count) following the most (\(heaviest.map(\.0.following).min() ?? 0)–\(heaviest.map(\.0.following).max() ?? 0))", heaviest.map(\.1))
    }

    /// `report`, with the target beside the figures and whether the given percentile meets it.
    func report(_ label: String, _ samples: [Double], target: String, at percentile: Double, limit: Double) {
        guard !samples.isEmpty else { return }
        let sorted = samples.sorted()
        let value = sorted[min(sorted.count - 1, Int((Double(sorted.count) * percentile).rounded(.up)) - 1)]
        report(label, samples)
        print("    target \(target): " + (value <= limit ? "met" : String(format: "MISSED (%.2f ms)", value)))
    }

    func milliseconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = start.duration(to: .now)
        return Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
    }

    func seconds(since start: ContinuousClock.Instant) -> Double { milliseconds(since: start) / 1000 }
}
