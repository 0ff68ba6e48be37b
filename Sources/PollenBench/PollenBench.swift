import ArgumentParser
import Foundation
import Logging
import PollenCore
import PollenStorage
import PollenWeb

/// Measures the network's hot paths on a database made by `pollen demo`: home timeline pages through the
/// repository and through the use case, publishing by the most-followed member, and post search. It reads
/// and writes the database it is given, so point it at a copy made for benchmarking.
@main
struct PollenBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pollen-bench",
        abstract: "Times home timelines, publishing and search on a demo database (release builds only give meaningful figures).")

    @Option(help: "The data folder holding pollen.sqlite.")
    var dataDir: String

    @Option(help: "Members sampled for the timeline figures (each following 50–400 accounts).")
    var members = 400

    @Option(help: "Pages read per sampled member: the first page, then older ones by cursor.")
    var pages = 3

    @Option(help: "Posts published by the most-followed member.")
    var publishes = 40

    @Option(help: "Search queries run.")
    var searches = 400

    @Option(help: "Seed for choosing members and queries; use one the demo was not made with.")
    var seed: UInt64 = 99

    @Option(help: "Write bearer tokens of sampled members to this file, one per line (for the HTTP load script).")
    var tokenFile: String?

    @Option(help: "How many members' tokens to write.")
    var tokens = 1

    @Option(help: "Write a session cookie value for the same member to this file (for the HTTP load script).")
    var sessionFile: String?

    @Flag(help: "Time only the discovery features: suggestions, \"Follow who they follow\", subject pages, explore, unfollow review.")
    var discovery = false

    @Option(help: "With --discovery: members drawn at random for suggestions and unfollow review.")
    var suggestionMembers = 400

    @Option(help: "With --discovery: accounts (following closest to 400) whose following list is read.")
    var listingAccounts = 8

    @Option(help: "With --discovery: listings read per account, each by another viewer.")
    var listingRuns = 25

    @Option(help: "With --discovery: most used hashtags, and as many others drawn at random, whose subject page is read.")
    var subjectTags = 10

    @Option(help: "With --discovery: subject pages read per hashtag.")
    var subjectRuns = 20

    @Option(help: "With --discovery: explore pages read, for the organization and for departments.")
    var exploreRuns = 20

    @Option(help: "With --discovery: untimed calls before each timed series.")
    var warmups = 3

    @Flag(help: "Time only the analytics job: reading the activity, the organization's network figures (full and the light pass of the trend), every community's figures, and a whole run.")
    var insight = false

    func run() async throws {
        var logger = Logger(label: "pollen-bench")
        logger.logLevel = .warning
        let path = URL(fileURLWithPath: dataDir).appendingPathComponent("pollen.sqlite").path
        guard FileManager.default.fileExists(atPath: path) else {
            throw ValidationError("No database at \(path); make one with `pollen demo --data-dir \(dataDir)`.")
        }
        let store = try await SQLStore.open(.sqlite(path: path), logger: logger)
        try await store.migrate()
        let pollen = Pollen(store: store, secrets: BcryptSecretHasher(cost: 4))
        // Seeded, so a run can be repeated with the same members and queries.
        var rng = DemoRandom(seed: seed)
        if insight {
            print("database: \(path)")
            try await insightFigures(pollen, store)
            await store.shutdown()
            return
        }
        if discovery {
            print("database: \(path)")
            try await discoveryFigures(pollen, store, rng: &rng)
            await store.shutdown()
            return
        }

        let sample = try await sampleMembers(store, count: members, rng: &rng)
        print("database: \(path)")
        print("sampled members following 50–400 accounts: \(sample.count) (following: median \(median(sample.map(\.following))), most \(sample.map(\.following).max() ?? 0))")
        guard !sample.isEmpty else { throw ValidationError("No member follows 50–400 accounts; is this a demo database?") }

        try await timelines(pollen, store, sample)
        try await search(pollen, store, sample, rng: &rng)
        try await publishing(pollen, store)
        if let tokenFile, let member = sample.first {
            var lines: [String] = []
            for sampled in sample.prefix(max(tokens, 1)) { lines.append(try await bearerToken(pollen, for: sampled.member)) }
            try (lines.joined(separator: "\n") + "\n").write(toFile: tokenFile, atomically: true, encoding: .utf8)
            print("bearer tokens of \(lines.count) sampled members written to \(tokenFile)")
            if let sessionFile {
                let session = try await pollen.signIn(
                    login: member.member.handle, password: Pollen.demoPassword,
                    client: ClientInfo(userAgent: "pollen-bench", address: "127.0.0.1"))
                try session.cookieToken.write(toFile: sessionFile, atomically: true, encoding: .utf8)
            }
        }
        await store.shutdown()
    }

    struct Sampled: Sendable {
        let member: Member
        let following: Int
    }

    /// Random members whose network is the size the target is stated for, drawn from directory pages at
    /// random offsets, in equal numbers from three bands of network size so large networks are not left to
    /// chance: 50–99, 100–199 and 200–400 accounts followed.
    static let bands = [50...99, 100...199, 200...400]

    func sampleMembers(_ store: SQLStore, count: Int, rng: inout DemoRandom) async throws -> [Sampled] {
        let total = try await store.read { try await $0.members.count() }
        let perBand = max(count / Self.bands.count, 1)
        var chosen: [Member.ID: Sampled] = [:]
        var filled = [Int](repeating: 0, count: Self.bands.count)
        var pages = 0
        while filled.contains(where: { $0 < perBand }), pages < count * 40 {
            pages += 1
            let offset = Int(rng.next() % UInt64(max(total - 50, 1)))
            let page = try await store.read { try await $0.members.search(DirectoryQuery(limit: 50, offset: offset)) }
            let ids = page.items.map(\.id)
            let counts = try await store.read { try await $0.network.counts(for: ids) }
            for member in page.items.shuffled(using: &rng) where chosen[member.id] == nil {
                guard let following = counts[member.id]?.following,
                    let band = Self.bands.firstIndex(where: { $0.contains(following) }), filled[band] < perBand
                else { continue }
                chosen[member.id] = Sampled(member: member, following: following)
                filled[band] += 1
            }
        }
        return Array(chosen.values).sorted { $0.member.id < $1.member.id }.shuffled(using: &rng)
    }

    func timelines(_ pollen: Pollen, _ store: SQLStore, _ sample: [Sampled]) async throws {
        // One untimed pass warms the page cache the way a running server's would be.
        for member in sample.prefix(50) {
            _ = try await store.read { try await $0.posts.timeline(.home(member.member.id), viewer: member.member.id, range: CursorRange(limit: 20)) }
        }
        var first: [Double] = []
        var firstByMember: [Double] = []
        var older: [Double] = []
        var useCase: [Double] = []
        var shortPages = 0
        for member in sample {
            var range = CursorRange(limit: 20)
            for page in 0..<pages {
                let started = DispatchTime.now()
                let pageRange = range
                let entries = try await store.read {
                    try await $0.posts.timeline(.home(member.member.id), viewer: member.member.id, range: pageRange)
                }
                let elapsed = milliseconds(since: started)
                if page == 0 { first.append(elapsed); firstByMember.append(elapsed) } else { older.append(elapsed) }
                if entries.count < 20 { shortPages += 1 }
                guard let last = entries.last, entries.count == 20 else { break }
                range = CursorRange(before: last.cursor, limit: 20)
            }
            let started = DispatchTime.now()
            _ = try await pollen.timeline(.home(member.member.id), viewer: .member(member.member), range: CursorRange(limit: 20))
            useCase.append(milliseconds(since: started))
        }
        report("home timeline, repository, first page", first)
        report("home timeline, repository, older pages", older)
        report("home timeline, repository, all pages", first + older)
        for band in Self.bands {
            let inBand = zip(sample, firstByMember).filter { band.contains($0.0.following) }.map(\.1)
            report("  first pages of members following \(band.lowerBound)–\(band.upperBound)", inBand)
        }
        report("home timeline, use case with authors and marks", useCase)
        print("  pages shorter than 20 posts (end of a small network): \(shortPages)")
    }

    func search(_ pollen: Pollen, _ store: SQLStore, _ sample: [Sampled], rng: inout DemoRandom) async throws {
        // Queries come from words people actually wrote: the posts in the sampled members' timelines.
        var texts: [(body: String, author: Member.ID, tags: [String])] = []
        for member in sample.prefix(100) {
            let entries = try await store.read {
                try await $0.posts.timeline(.home(member.member.id), viewer: member.member.id, range: CursorRange(limit: 20))
            }
            texts += entries.filter { !$0.post.body.isEmpty }.map { ($0.post.body, $0.post.authorID, $0.post.hashtags) }
        }
        guard !texts.isEmpty else { return }
        let authorIDs = texts.map(\.author).uniqued()
        let authors = try await store.read { try await $0.members.find(ids: authorIDs) }
        let handles = Dictionary(uniqueKeysWithValues: authors.map { ($0.id, $0.handle) })
        var queries: [String] = []
        for index in 0..<searches {
            let text = texts[Int(rng.next() % UInt64(texts.count))]
            let words = text.body.split(whereSeparator: { !$0.isLetter }).map(String.init).filter { $0.count >= 4 }
            guard let word = words.isEmpty ? nil : words[Int(rng.next() % UInt64(words.count))] else { continue }
            // A word turned backwards stands for a search that finds nothing: the index is then read to the end.
            let miss = String(word.reversed()) + "q"
            switch index % 7 {
            case 0, 1: queries.append(word)
            case 5: queries.append(miss)
            case 6: queries.append(text.tags.first.map { "#\($0) \(miss)" } ?? "from:@\(handles[text.author] ?? "") \(miss)")
            case 2:
                let next = words[Int(rng.next() % UInt64(words.count))]
                queries.append("\(word) \(next)")
            case 3:
                if let tag = text.tags.first { queries.append("#\(tag) \(word)") } else { queries.append(word) }
            default:
                if let handle = handles[text.author] { queries.append("from:@\(handle) \(word)") } else { queries.append("\"\(word)\"") }
            }
        }
        let viewers = sample.map(\.member)
        for query in queries.prefix(30) {
            _ = try await pollen.search(query, kinds: [.posts], by: .member(viewers[0]))
        }
        var repository: [Double] = []
        var useCase: [Double] = []
        var everything: [Double] = []
        var people: [Double] = []
        var hashtags: [Double] = []
        var slowest: [(Double, String)] = []
        for (index, query) in queries.enumerated() {
            let viewer = viewers[index % viewers.count]
            let parsed = PostSearchQuery.parse(query)
            let author: Member.ID? = try await parsed.fromHandle.asyncMap { handle in
                try await store.read { try await $0.members.find(handle: handle)?.id }
            } ?? nil
            var started = DispatchTime.now()
            _ = try await store.read {
                try await $0.search.posts(matching: parsed, author: author, viewer: viewer.id, range: CursorRange(limit: 20))
            }
            repository.append(milliseconds(since: started))
            slowest.append((repository.last!, query))
            started = DispatchTime.now()
            _ = try await pollen.search(query, kinds: [.posts], by: .member(viewer))
            useCase.append(milliseconds(since: started))
            // What the search page and Mastodon's v2 search ask by default: people, posts and hashtags.
            started = DispatchTime.now()
            _ = try await pollen.search(query, by: .member(viewer))
            everything.append(milliseconds(since: started))
            started = DispatchTime.now()
            _ = try await pollen.search(query, kinds: [.members], by: .member(viewer))
            people.append(milliseconds(since: started))
            started = DispatchTime.now()
            _ = try await pollen.search(query, kinds: [.hashtags], by: .member(viewer))
            hashtags.append(milliseconds(since: started))
        }
        report("post search, repository (\(queries.count) queries)", repository)
        report("post search, use case with authors and marks", useCase)
        report("search of people, posts and hashtags, use case", everything)
        report("  of which people (directory text match)", people)
        report("  of which hashtags (prefix, with counts)", hashtags)
        let worst = slowest.sorted { $0.0 > $1.0 }.prefix(3).map { String(format: "%.1f ms ", $0.0) + "“\($0.1)”" }
        print("  slowest: " + worst.joined(separator: ", "))
    }

    func publishing(_ pollen: Pollen, _ store: SQLStore) async throws {
        guard let top = try await store.read({ try await $0.network.mostFollowed(limit: 1) }).first,
            let member = try await store.read({ try await $0.members.find(id: top.member) })
        else { return }
        var times: [Double] = []
        var published: [Post.ID] = []
        for index in 0..<publishes {
            let draft = PostDraft(body: "Benchmark note \(index): what we learned this week about #leadership and #coaching.")
            let started = DispatchTime.now()
            let post = try await pollen.publishPost(draft, by: .member(member))
            times.append(milliseconds(since: started))
            published.append(post.id)
        }
        report("publish by @\(member.handle) (\(top.followers) followers)", times)
        for id in published { try await pollen.deletePost(id, by: .member(member)) }
    }

    func bearerToken(_ pollen: Pollen, for member: Member) async throws -> String {
        let app = try await pollen.registerApp(
            RegisterAppCommand(name: "pollen-bench", redirectURIs: [OAuthScopes.outOfBandRedirect], scopes: "read write", website: nil))
        let token = try await pollen.issueToken(
            clientID: app.app.clientID, clientSecret: app.clientSecret,
            grant: .password(login: member.handle, password: Pollen.demoPassword, scopes: "read write"),
            client: ClientInfo(userAgent: "pollen-bench", address: "127.0.0.1"))
        return token.secret
    }

    func report(_ label: String, _ samples: [Double]) {
        guard !samples.isEmpty else { return }
        let sorted = samples.sorted()
        func at(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)] }
        print(
            label.padding(toLength: 58, withPad: " ", startingAt: 0)
                + String(format: "n=%-5d p50 %7.2f ms  p90 %7.2f ms  p99 %7.2f ms  max %7.2f ms", sorted.count, at(0.5), at(0.9), at(0.99), sorted.last!))
    }

    func median(_ values: [Int]) -> Int { values.isEmpty ? 0 : values.sorted()[values.count / 2] }

    func milliseconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1_000_000
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
