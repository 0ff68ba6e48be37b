import Foundation
import PollenCore
import PollenStorage
import Testing

private let day: TimeInterval = 24 * 3600
/// 1 March 2026: the tests' clock starts here, and "now" is 100 days later, so what happened at `start` is outside
/// the 90-day window and everything after the clock moves is inside it.
private let start = Date(timeIntervalSince1970: 1_772_323_200)

private func m(_ id: Int64) -> Member.ID { Member.ID(id) }

private func person(
    _ id: Int64, _ department: String = "", _ location: String = "", subjects: [String] = [],
    status: Member.Status = .active
) -> Member {
    makeMember(
        id, handle: "m\(id)", department: department, location: location, subjects: subjects, status: status,
        createdAt: start.addingTimeInterval(-365 * day))
}

private struct World {
    let pollen: Pollen
    let clock: ManualTimeSource
    let people: [Int64: Member]

    func actor(_ id: Int64) -> Actor { .member(people[id]!) }

    /// Follows written directly, also to suspended members (as if made before a suspension), at the clock's time.
    func follow(_ pairs: [(Int64, Int64)]) async throws {
        let now = clock.now()
        try await pollen.store.write { repos in
            for (follower, followee) in pairs {
                _ = try await repos.network.follow(id: follower * 10_000 + followee, follower: m(follower), followee: m(followee), at: now)
            }
        }
    }

    func post(_ by: Int64, _ body: String = "A thought.", replyingTo parent: Post.ID? = nil) async throws -> Post {
        try await pollen.publishPost(PostDraft(body: body, replyToID: parent), by: actor(by))
    }

    func insight(_ id: Int64) async throws -> PersonalInsight {
        try await pollen.personalInsight(for: actor(id))
    }

    /// The clock moves to 100 days after `start`: from here on, everything is inside the window.
    func enterWindow() { clock.advance(by: 100 * day) }
}

private func withWorld(_ engine: Engine, _ members: [Member], _ body: (World) async throws -> Void) async throws {
    try await withStore(engine) { store in
        try await store.write { try await $0.members.insertMany(members) }
        let clock = ManualTimeSource(start)
        let pollen = Pollen(store: store, secrets: PlainSecrets(), time: clock)
        try await body(World(pollen: pollen, clock: clock, people: Dictionary(uniqueKeysWithValues: members.map { ($0.id.rawValue, $0) })))
    }
}

private func keys(_ mix: GroupMix) -> [String: Int] {
    Dictionary(uniqueKeysWithValues: mix.groups.map { ($0.key, $0.count) })
}

/// −Σ p ln p over the counts, by hand for the expectations.
private func entropy(_ counts: [Double]) -> Double {
    let total = counts.reduce(0, +)
    return -counts.map { $0 / total }.map { $0 * log($0) }.reduce(0, +)
}

private func close(_ a: Double?, _ b: Double) -> Bool {
    guard let a else { return false }
    return abs(a - b) < 1e-9
}

/// The organization of the measure and bridge tests:
/// - Finance 1–20 (1–6 in London, the others state no location); 41, suspended, in Finance and London.
/// - Engineering 21–30 and 40, in Dublin; 39, suspended.
/// - Legal 31–35, in Paris. Sales 36–37, in Oslo: a department and a location under 5 people. 38 states nothing.
/// - Subjects: swift (1, 2, 21–24), data (21, 25–28), law (31, 32: under 5 people); 39, suspended, lists swift.
private func organization() -> [Member] {
    var people: [Member] = []
    let swift: Set<Int64> = [1, 2, 21, 22, 23, 24, 39], data: Set<Int64> = [21, 25, 26, 27, 28], law: Set<Int64> = [31, 32]
    func subjects(_ id: Int64) -> [String] {
        (swift.contains(id) ? ["swift"] : []) + (data.contains(id) ? ["data"] : []) + (law.contains(id) ? ["law"] : [])
    }
    for id: Int64 in 1...41 {
        let (department, location): (String, String) = switch id {
        case 1...6, 41: ("Finance", "London")
        case 7...20: ("Finance", "")
        case 21...30, 39, 40: ("Engineering", "Dublin")
        case 31...35: ("Legal", "Paris")
        case 36, 37: ("Sales", "Oslo")
        default: ("", "")
        }
        people.append(person(id, department, location, subjects: subjects(id), status: [39, 41].contains(id) ? .suspended : .active))
    }
    return people
}

@Suite struct PersonalInsightTests {
    // MARK: - The network

    /// Each kind of tie, in each direction, puts one person in the network; each person has a department of their
    /// own named after how they are tied, so the department mix says exactly who is in.
    @Test(arguments: Engine.enabled)
    func everyKindOfInteractionEitherWayTiesButOnlyInTheWindowAndNeverAcrossABlock(engine: Engine) async throws {
        let roles = [
            1: "Viewer", 2: "Followed", 3: "Replied to", 4: "Replied by", 5: "Mentioned", 6: "Mentioned by", 7: "Reshared",
            8: "Reshared by", 9: "Favourited", 10: "Favourited by", 11: "Answered", 12: "Answered by", 13: "Commented on",
            14: "Commented by", 15: "Long ago", 16: "Blocked", 17: "Blocks viewer", 18: "Suspended", 19: "Follower only",
            20: "Deleted", 21: "Saved item of", 22: "Saved item by", 23: "Commented on question", 24: "Commented on answer",
            25: "Question commented by", 26: "Answer commented by",
        ]
        let members = roles.map { id, role in person(Int64(id), role, status: id == 18 ? .suspended : .active) }
        try await withWorld(engine, members) { w in
            // Long ago: a reply 100 days before now.
            let old = try await w.post(15)
            _ = try await w.post(1, "Old news", replyingTo: old.id)
            w.enterWindow()
            let mine = try await w.post(1, "What do you think?")
            try await w.follow([(1, 2), (1, 18), (19, 1)])
            _ = try await w.post(1, "Agreed", replyingTo: try await w.post(3).id)
            _ = try await w.post(4, "Indeed", replyingTo: mine.id)
            _ = try await w.post(1, "Thanks @m5")
            _ = try await w.post(6, "Hello @m1")
            _ = try await w.pollen.resharePost(try await w.post(7).id, by: w.actor(1))
            _ = try await w.pollen.resharePost(mine.id, by: w.actor(8))
            _ = try await w.pollen.setFavourite(true, try await w.post(9).id, by: w.actor(1))
            _ = try await w.pollen.setFavourite(true, mine.id, by: w.actor(10))
            let theirs = try await w.pollen.askQuestion(QuestionDraft(title: "How do we plan capacity?"), by: w.actor(11))
            let myAnswer = try await w.pollen.answerQuestion(theirs.id, body: "With a spreadsheet.", by: w.actor(1))
            let asked = try await w.pollen.askQuestion(QuestionDraft(title: "Who reviews contracts?"), by: w.actor(1))
            _ = try await w.pollen.answerQuestion(asked.id, body: "Legal does.", by: w.actor(12))
            _ = try await w.pollen.createCommunity(
                CommunityDraft(slug: "craft", name: "Craft", kind: .horizontal, purpose: "Doing it well", membership: .open),
                by: w.actor(13))
            for id: Int64 in [1, 14, 21, 22] { _ = try await w.pollen.joinCommunity(slug: "craft", by: w.actor(id)) }
            let theirItem = try await w.pollen.createItem(ItemDraft(kind: .thread, title: "Tools", body: "Which?"), in: "craft", by: w.actor(13))
            _ = try await w.pollen.comment(on: theirItem.id, body: "Mine.", by: w.actor(1))
            let myItem = try await w.pollen.createItem(ItemDraft(kind: .article, title: "Notes", body: "Read me."), in: "craft", by: w.actor(1))
            _ = try await w.pollen.comment(on: myItem.id, body: "Nice.", by: w.actor(14))
            _ = try await w.pollen.setItemFavourite(true, myItem.id, by: w.actor(22))
            let savedItem = try await w.pollen.createItem(ItemDraft(kind: .article, title: "Tips", body: "Keep it."), in: "craft", by: w.actor(21))
            _ = try await w.pollen.setItemFavourite(true, savedItem.id, by: w.actor(1))
            let their = try await w.pollen.askQuestion(QuestionDraft(title: "Where are the budgets kept?"), by: w.actor(23))
            _ = try await w.pollen.commentOnQuestion(their.id, body: "In the shared drive.", by: w.actor(1))
            let answered = try await w.pollen.askQuestion(QuestionDraft(title: "When do budgets close?"), by: w.actor(15))
            let theirAnswer = try await w.pollen.answerQuestion(answered.id, body: "In March.", by: w.actor(24))
            _ = try await w.pollen.commentOnQuestion(answered.id, answer: theirAnswer.id, body: "Also in September.", by: w.actor(1))
            _ = try await w.pollen.commentOnQuestion(asked.id, body: "Which contracts?", by: w.actor(25))
            _ = try await w.pollen.commentOnQuestion(theirs.id, answer: myAnswer.id, body: "Which model?", by: w.actor(26))
            _ = try await w.post(1, "Hmm", replyingTo: try await w.post(16).id)
            _ = try await w.pollen.setBlocked(true, m(16), by: w.actor(1))
            _ = try await w.post(17, "Well", replyingTo: mine.id)
            _ = try await w.pollen.setBlocked(true, m(1), by: w.actor(17))
            let regretted = try await w.post(1, "Oops", replyingTo: try await w.post(20).id)
            try await w.pollen.deletePost(regretted.id, by: w.actor(1))

            let network = try await w.insight(1).network
            let expected = [
                "followed", "replied to", "replied by", "mentioned", "mentioned by", "reshared", "reshared by", "favourited",
                "favourited by", "answered", "answered by", "commented on", "commented by", "saved item of", "saved item by",
                "commented on question", "commented on answer", "question commented by", "answer commented by",
            ]
            #expect(keys(network.mix(.department)) == Dictionary(uniqueKeysWithValues: expected.map { ($0, 1) }))
            #expect(network.people == 19)
            #expect(network.followed == 1, "only @m2 is followed: @m18 is suspended, @m19 follows the viewer but is not followed")
            #expect(network.interactedOnly == 18)
        }
    }

    @Test(arguments: Engine.enabled)
    func diversityMeasuresMatchHandComputedValues(engine: Engine) async throws {
        try await withWorld(engine, organization()) { w in
            // Followed long ago (follows count whenever they were made); 39 is suspended and does not count.
            try await w.follow([(1, 21), (1, 22), (1, 23), (1, 25), (1, 31), (1, 32), (1, 36), (1, 39)])
            w.enterWindow()
            for colleague: Int64 in [2, 3] { _ = try await w.post(1, "Yes", replyingTo: try await w.post(colleague).id) }

            let insight = try await w.insight(1)
            #expect(insight.network.people == 9)
            #expect(insight.network.followed == 7)
            #expect(insight.organization.members == 39)

            // Departments: the network is Engineering 4, Finance 2, Legal 2, Sales 1; the organization (active members)
            // Finance 20, Engineering 11, Legal 5, Sales 2, one stating none: K = 4.
            let departments = try #require(insight.diversity.first { $0.dimension == .department })
            #expect(keys(departments.network) == ["engineering": 4, "finance": 2, "legal": 2, "sales": 1])
            #expect(keys(departments.organization) == ["finance": 20, "engineering": 11, "legal": 5, "sales": 2])
            #expect(departments.organization.unstated == 1)
            #expect(departments.categories == 4)
            #expect(close(departments.networkDiversity.blau, 1 - 25.0 / 81))
            #expect(close(departments.networkDiversity.normalizedEntropy, entropy([4, 2, 2, 1]) / log(4)))
            #expect(close(departments.organizationDiversity.blau, 1 - 550.0 / 1444))
            #expect(close(departments.organizationDiversity.normalizedEntropy, entropy([20, 11, 5, 2]) / log(4)))
            #expect(departments.reading == .moreVaried)
            // Sales has 2 people: its person is in "other", never named.
            #expect(departments.rows.map(\.label) == ["Engineering", "Finance", "Legal", nil])
            #expect(departments.rows.last?.network == 1 && departments.rows.last?.organization == 2)
            #expect(close(departments.rows.first?.networkShare, 4.0 / 9) && close(departments.rows.first?.organizationShare, 11.0 / 38))

            // Locations: the same counts in the network, against London 6, Dublin 11, Paris 5, Oslo 2 (15 state none).
            let locations = try #require(insight.diversity.first { $0.dimension == .location })
            #expect(keys(locations.network) == ["dublin": 4, "london": 2, "paris": 2, "oslo": 1])
            #expect(locations.organization.unstated == 15)
            #expect(close(locations.organizationDiversity.blau, 1 - 186.0 / 576))
            #expect(locations.reading == .aboutAsVaried)

            // Subjects: each subject a person lists counts once. Network: swift 4, data 2, law 2 (two list none);
            // organization: swift 6, data 5, law 2: K = 3.
            let subjects = try #require(insight.diversity.first { $0.dimension == .subject })
            #expect(keys(subjects.network) == ["swift": 4, "data": 2, "law": 2])
            #expect(subjects.network.unstated == 2)
            #expect(keys(subjects.organization) == ["swift": 6, "data": 5, "law": 2])
            #expect(close(subjects.networkDiversity.blau, 1 - 24.0 / 64))
            #expect(close(subjects.networkDiversity.normalizedEntropy, 1.5 * log(2) / log(3)))
            #expect(close(subjects.organizationDiversity.blau, 1 - 65.0 / 169))
            #expect(subjects.largestNamedGroup?.label == "swift" && close(subjects.largestNamedGroup?.share, 0.5))
        }
    }

    // MARK: - Bridges

    @Test(arguments: Engine.enabled)
    func bridgesAreGroupsFewColleaguesReach(engine: Engine) async throws {
        try await withWorld(engine, organization()) { w in
            try await w.follow([(1, 21), (1, 22), (1, 23), (1, 25), (1, 31), (1, 32), (1, 36)])
            // Three Finance colleagues follow into Engineering, one (7) into Legal. Neither a suspended colleague (41)
            // nor a follow the other way (34 → 8) counts. In London, 4 follows into Dublin; nobody into Paris.
            try await w.follow([(4, 26), (5, 26), (6, 26), (7, 33), (41, 34), (34, 8)])
            w.enterWindow()

            let insight = try await w.insight(1)
            let departments = try #require(insight.bridges.first { $0.dimension == .department })
            #expect(departments.standing == .compared)
            #expect(departments.ownGroup == "Finance" && departments.ownGroupSize == 20)
            #expect(departments.fewLimit == 2, "one in ten of 20")
            #expect(departments.groupsReached == 2, "Engineering and Legal; Sales is under 5 people")
            #expect(departments.peopleInSmallGroups == 1)
            #expect(departments.bridges == [Bridge(key: "legal", label: "Legal", colleagues: 2, people: 2)])

            // London has 6 people, so a bridge is one nobody else there has. Dublin is larger than London and Paris
            // smaller: the counts start from either side.
            let locations = try #require(insight.bridges.first { $0.dimension == .location })
            #expect(locations.fewLimit == 1)
            #expect(locations.groupsReached == 2)
            #expect(locations.bridges == [Bridge(key: "paris", label: "Paris", colleagues: 1, people: 2)])
            #expect(locations.peopleInSmallGroups == 1)
        }
    }

    @Test(arguments: Engine.enabled)
    func colleaguesAreCountedAlikeFromEitherSideAndUpToTheCap(engine: Engine) async throws {
        try await withWorld(engine, organization()) { w in
            try await w.follow([(4, 26), (5, 26), (6, 27), (7, 33), (41, 34), (34, 8), (2, 36), (2, 37)])
            let cases: [(InsightDimension, String, String, Int)] = [
                (.department, "finance", "engineering", 3), (.department, "finance", "legal", 1),
                (.department, "finance", "sales", 1), (.department, "legal", "finance", 1),
                (.location, "london", "dublin", 3), (.location, "london", "paris", 0), (.department, "sales", "finance", 0),
            ]
            try await w.pollen.store.read { repos in
                for (dimension, from, into, expected) in cases {
                    for smaller in [false, true] {
                        let found = try await repos.personalInsight.colleaguesFollowing(
                            dimension, from: from, into: into, excluding: m(1), cap: 10, intoIsSmaller: smaller)
                        #expect(found == expected, "\(from) → \(into), counted from the \(smaller ? "target" : "own") side")
                    }
                }
                // The viewer is never counted among their colleagues, and counting stops at the cap.
                #expect(try await repos.personalInsight.colleaguesFollowing(
                    .department, from: "finance", into: "engineering", excluding: m(4), cap: 10, intoIsSmaller: true) == 2)
                #expect(try await repos.personalInsight.colleaguesFollowing(
                    .department, from: "finance", into: "engineering", excluding: m(1), cap: 2, intoIsSmaller: false) == 2)
            }
        }
    }

    // MARK: - Small groups

    @Test(arguments: Engine.enabled)
    func groupsUnderFivePeopleAreNeverNamed(engine: Engine) async throws {
        // The viewer's own department has 3 people and a colleague of theirs 4: neither may be named anywhere.
        var members = (1...3).map { person(Int64($0), "Tiny Team", "Smallville", subjects: ["rare-subject"]) }
        members += (4...7).map { person(Int64($0), "Small Unit", "Hamlet", subjects: ["odd-subject"]) }
        members += (8...20).map { person(Int64($0), "Big Unit", "Metropolis", subjects: ["common"]) }
        try await withWorld(engine, members) { w in
            try await w.follow([(1, 2), (1, 4), (1, 5), (1, 8), (8, 6), (8, 9)])
            w.enterWindow()
            let insight = try await w.insight(1)
            var named: [String] = insight.diversity.flatMap { comparison in
                comparison.rows.compactMap(\.label) + [comparison.largestNamedGroup?.label].compactMap { $0 }
            }
            named += insight.bridges.flatMap { $0.bridges.map(\.label) }
            named += insight.suggestions.flatMap { $0.gaps.map(\.label) }
            for small in ["Tiny Team", "Small Unit", "Smallville", "Hamlet", "rare-subject", "odd-subject"] {
                #expect(!named.contains(small), "\(small) is named")
            }
            #expect(named.contains("Big Unit"), "large groups are named (so the check above can fail)")
            let departments = try #require(insight.diversity.first { $0.dimension == .department })
            #expect(departments.rows.last?.label == nil && departments.rows.last?.network == 3, "Tiny Team 1 + Small Unit 2")
            for summary in insight.bridges {
                #expect(summary.standing == .groupTooSmall)
                #expect(summary.bridges.isEmpty)
            }
            // Suggested from a small unit (6, through 8): offered, but never with the unit as the reason.
            for widening in insight.suggestions where widening.suggestion.member.id == m(6) {
                #expect(widening.gaps.allSatisfy { $0.label == "Big Unit" || $0.label == "Metropolis" || $0.label == "common" })
            }
        }
    }

    // MARK: - Seek, sense, share

    @Test(arguments: Engine.enabled)
    func learningActsAreCountedByKindInTheWindow(engine: Engine) async throws {
        let members = (1...3).map { person(Int64($0), "Finance", "London") }
        try await withWorld(engine, members) { w in
            _ = try await w.pollen.createCommunity(
                CommunityDraft(slug: "ledger", name: "Ledger", kind: .vertical, purpose: "Close the books", membership: .open),
                by: w.actor(2))
            let question = try await w.pollen.askQuestion(QuestionDraft(title: "Which close calendar?"), by: w.actor(2))
            let theirs = try await w.post(2, "Month end is near")
            let other = try await w.post(3, "Accruals explained")
            let item = try await w.pollen.createItem(ItemDraft(kind: .article, title: "Close checklist", body: "1. Reconcile"), in: "ledger", by: w.actor(2))
            // Before the window: none of these count.
            _ = try await w.pollen.askQuestion(QuestionDraft(title: "An old question of mine?"), by: w.actor(1))
            _ = try await w.post(1, "An old post")
            _ = try await w.pollen.setFavourite(true, other.id, by: w.actor(1))
            w.enterWindow()

            // Seek: a question, two people, a hashtag, a community.
            _ = try await w.pollen.askQuestion(QuestionDraft(title: "How do you forecast cash?"), by: w.actor(1))
            for id: Int64 in [2, 3] { _ = try await w.pollen.followMember(m(id), by: w.actor(1)) }
            _ = try await w.pollen.followTag("forecasting", by: w.actor(1))
            _ = try await w.pollen.joinCommunity(slug: "ledger", by: w.actor(1))
            // Sense: an item read and saved, a post favourited and bookmarked, a collection.
            _ = try await w.pollen.item(item.id, viewer: w.actor(1))
            _ = try await w.pollen.setItemFavourite(true, item.id, by: w.actor(1))
            _ = try await w.pollen.setFavourite(true, theirs.id, by: w.actor(1))
            _ = try await w.pollen.setBookmark(true, theirs.id, by: w.actor(1))
            _ = try await w.pollen.createCollection(CollectionDraft(title: "Close crew", handles: ["m2", "m3"]), by: w.actor(1))
            // Share: a post and a reply (a third, deleted, does not count), a reshare, an item, a comment, an answer and
            // a forward.
            _ = try await w.post(1, "Cash is king")
            _ = try await w.post(1, "Soon", replyingTo: theirs.id)
            try await w.pollen.deletePost(try await w.post(1, "Never mind").id, by: w.actor(1))
            _ = try await w.pollen.resharePost(other.id, by: w.actor(1))
            _ = try await w.pollen.createItem(ItemDraft(kind: .thread, title: "Cut-off times", body: "When?"), in: "ledger", by: w.actor(1))
            _ = try await w.pollen.comment(on: item.id, body: "Helpful.", by: w.actor(1))
            _ = try await w.pollen.answerQuestion(question.id, body: "The group one.", by: w.actor(1))
            _ = try await w.pollen.forwardQuestion(question.id, by: w.actor(1))

            let balance = try await w.insight(1).balance
            let expected: [LearningBalance.Activity: Int] = [
                .questionsAsked: 1, .peopleFollowed: 2, .hashtagsFollowed: 1, .communitiesJoined: 1,
                .itemsRead: 1, .postsFavourited: 1, .itemsSaved: 1, .bookmarks: 1, .collectionsMade: 1,
                .posts: 2, .reshares: 1, .itemsPublished: 1, .comments: 1, .answers: 1, .questionsForwarded: 1,
            ]
            for activity in LearningBalance.Activity.allCases {
                #expect(balance.count(activity) == expected[activity], "\(activity)")
            }
            #expect(balance.total(.seek) == 5 && balance.total(.sense) == 5 && balance.total(.share) == 7)
            #expect(close(balance.share(.share), 7.0 / 17))
            #expect(balance.leading == nil, "no mode holds half")
        }
    }

    // MARK: - Suggestions

    @Test(arguments: Engine.enabled)
    func suggestionsComeFromGroupsTheNetworkLacks(engine: Engine) async throws {
        try await withWorld(engine, organization()) { w in
            try await w.follow([(1, 21), (1, 22), (1, 23), (1, 25), (1, 31), (1, 32), (1, 36)])
            // Discovery finds 26 (Engineering, Dublin, data), 8 (Finance) and 33 (Legal, Paris) through whom the
            // viewer follows. The network holds more Engineering and Legal than the organization, less Finance (2 of 9
            // against 20 of 38) and data (2 of 8 against 5 of 13), and about as much Dublin (4 of 9 against 11 of 24:
            // a point and a half is no gap).
            try await w.follow([(21, 26), (21, 8), (31, 33)])
            w.enterWindow()
            for colleague: Int64 in [2, 3] { _ = try await w.post(1, "Yes", replyingTo: try await w.post(colleague).id) }

            let suggestions = try await w.insight(1).suggestions
            #expect(suggestions.map(\.suggestion.member.id) == [m(8), m(26)], "largest gap first; 33 fills no gap")
            let finance = try #require(suggestions.first?.gaps.first)
            #expect(finance.dimension == .department && finance.label == "Finance")
            #expect(close(finance.networkShare, 2.0 / 9) && close(finance.organizationShare, 20.0 / 38))
            #expect(suggestions.last?.gaps.map(\.label) == ["data"])
            #expect(suggestions.allSatisfy { !$0.suggestion.reasons.isEmpty }, "discovery's own reasons come along")
        }
    }

    // MARK: - Empty, and who may ask

    @Test(arguments: Engine.enabled)
    func anEmptyNetworkHasNoMeasuresAndNoDivisionByZero(engine: Engine) async throws {
        try await withWorld(engine, [person(1, "Finance", "London", subjects: ["swift"])]) { w in
            w.enterWindow()
            let insight = try await w.insight(1)
            #expect(insight.network == NetworkMix(
                people: 0, followed: 0,
                mixes: [.department: GroupMix(groups: []), .location: GroupMix(groups: []), .subject: GroupMix(groups: [])]))
            for comparison in insight.diversity {
                #expect(comparison.reading == .empty)
                #expect(comparison.networkDiversity == Diversity(blau: nil, normalizedEntropy: nil))
                #expect(comparison.categories == 1)
                #expect(comparison.organizationDiversity.blau == 0, "one group: no variety")
                #expect(comparison.organizationDiversity.normalizedEntropy == nil, "with one group evenness means nothing")
                #expect(comparison.rows.allSatisfy { $0.networkShare == 0 })
            }
            #expect(insight.bridges.allSatisfy { $0.standing == .groupTooSmall && $0.bridges.isEmpty })
            #expect(insight.balance.total == 0 && insight.balance.share(.seek) == nil && insight.balance.leading == nil)
            #expect(insight.suggestions.isEmpty)
        }
    }

    @Test(arguments: Engine.enabled)
    func onlyTheMemberThemselvesGetsTheirInsight(engine: Engine) async throws {
        try await withWorld(engine, [person(1, "Finance"), person(2, "Legal", status: .suspended)]) { w in
            for actor: Actor in [.system, .app, w.actor(2)] {
                await #expect(throws: DomainError.self) { _ = try await w.pollen.personalInsight(for: actor) }
            }
            #expect(AccessPolicy.maySeePersonalInsight(of: m(1), by: w.actor(1)))
            var admin = w.people[1]!
            admin.role = .admin
            #expect(!AccessPolicy.maySeePersonalInsight(of: m(2), by: .member(admin)), "administrators included")
            #expect(!AccessPolicy.maySeePersonalInsight(of: m(1), by: .system))
            let own = try await w.pollen.personalInsight(for: .member(admin))
            #expect(own.member.id == m(1))
        }
    }
}
