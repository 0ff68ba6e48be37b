import Foundation

/// The questions and answers of a demo organization over the past 90 days — deterministic for a seed. Most
/// are asked to the asker's followers, some in the demo's communities, some name colleagues who list the
/// subject as expertise; answers come from such experts or from other departments, most answered questions
/// have an accepted answer, some wait for one, and a few are passed on once or twice.
public struct DemoQuestions: Sendable, Equatable {
    /// A vote on an answer, never by its author.
    public struct Vote: Sendable, Equatable {
        public let member: Int
        /// +1 or −1.
        public let value: Int
        public let secondsAgo: Int
    }

    public struct AnswerPlan: Sendable, Equatable {
        /// Index, into the members given to `generate`, of the member who answered; never the asker.
        public let author: Int
        public let body: String
        public let secondsAgo: Int
        public let votes: [Vote]

        public var score: Int { votes.reduce(0) { $0 + $1.value } }
    }

    /// A comment on the question (`answer` nil) or on one of its answers (an index into `answers`).
    public struct Comment: Sendable, Equatable {
        public let author: Int
        public let answer: Int?
        public let body: String
        public let secondsAgo: Int
    }

    /// One step of passing the question on: the first by someone it reached, the next by someone the first
    /// step reached. Who follows whom is in the database, not in the plan, so `pick` chooses among the people
    /// actually reached when it is written.
    public struct Forward: Sendable, Equatable {
        public let pick: Int
        public let note: String
        public let secondsAgo: Int
    }

    public struct QuestionPlan: Sendable, Equatable {
        public let asker: Int
        public let title: String
        public let body: String
        public let tags: [String]
        /// The address of the demo community it was asked in, if any; asker and answerers are its active members.
        public let community: String?
        public let toFollowers: Bool
        /// Colleagues asked by name: members who list one of the tags as expertise.
        public let named: [Int]
        public let secondsAgo: Int
        /// Oldest first; all after the question.
        public let answers: [AnswerPlan]
        /// Index into `answers` of the one the asker accepted, and when.
        public let accepted: Int?
        public let acceptedSecondsAgo: Int?
        public let comments: [Comment]
        public let forwards: [Forward]
    }

    public let questions: [QuestionPlan]

    /// No questions for an organization smaller than this: too few people to ask and answer.
    public static let minimumMembers = 12
    /// How far back the questions reach.
    public static let horizon = 90 * day
    /// The most questions any organization gets: enough for queues and measures, quick to write.
    public static let maximumQuestions = 2_000

    /// One question for every 50 members, at least 200 (or one per member in a small organization), at most
    /// ``maximumQuestions``.
    public static func count(members: Int) -> Int {
        guard members >= minimumMembers else { return 0 }
        return min(maximumQuestions, max(members / 50, min(members, 200)))
    }

    /// The questions of the organization `members`, asked in `communities` (the demo's, for the same seed) and to
    /// followers, the same for the same seed.
    public static func generate(members: [DemoMemberDraft], communities: DemoCommunities, seed: UInt64) -> DemoQuestions {
        let total = count(members: members.count)
        guard total > 0 else { return DemoQuestions(questions: []) }
        var writer = Writer(members: members, communities: communities, rng: DemoRandom(seed: seed, stream: 0x0A5C))
        return DemoQuestions(questions: (0..<total).map { _ in writer.question() })
    }
}

extension Pollen {
    /// Questions written per transaction while seeding.
    static let demoQuestionBatch = 100
    /// People tried, one after the other, until one who passes a question on reaches anyone new.
    static let demoForwardAttempts = 5

    /// Writes the demo's questions with their answers, votes, comments and reach. Followers are reached in one
    /// statement per question, as asking does; a question of a community that the demo did not create is left out.
    func seedQuestions(
        drafts: [DemoMemberDraft], memberIDs: [Member.ID], seed: UInt64, into report: inout DemoReport,
        progress: @Sendable (String, Int, Int) -> Void
    ) async throws {
        let communityPlans = DemoCommunities.generate(members: drafts, seed: seed)
        let plans = DemoQuestions.generate(members: drafts, communities: communityPlans, seed: seed).questions
        guard !plans.isEmpty else { return }
        let now = time.now()
        @Sendable func at(_ secondsAgo: Int) -> Date { now.addingTimeInterval(-Double(secondsAgo)) }

        let managers = Dictionary(uniqueKeysWithValues: communityPlans.communities.map { ($0.slug, memberIDs[$0.members[0].member]) })
        let communities = try await store.read { repos -> [String: Community.ID] in
            var found: [String: Community.ID] = [:]
            for (slug, manager) in managers {
                if let community = try await repos.communities.find(slug: slug), community.createdBy == manager {
                    found[slug] = community.id
                }
            }
            return found
        }
        let kept = plans.filter { plan in plan.community.map { communities[$0] != nil } ?? true }

        // Identifiers in time order, as the queues and answers are listed by theirs.
        let questionIDs = Self.timeOrderedIDs(kept.map(\.secondsAgo), now: now)
        let answerIDs = Self.timeOrderedIDs(kept.flatMap { $0.answers.map(\.secondsAgo) }, now: now)
        let commentIDs = Self.timeOrderedIDs(kept.flatMap { $0.comments.map(\.secondsAgo) }, now: now)
        var rows: [DemoQuestionRows] = []
        rows.reserveCapacity(kept.count)
        var nextAnswer = 0
        var nextComment = 0
        for (index, plan) in kept.enumerated() {
            let id = Question.ID(questionIDs[index])
            let answers = plan.answers.map { answer in
                defer { nextAnswer += 1 }
                return Answer(
                    id: Answer.ID(answerIDs[nextAnswer]), questionID: id, authorID: memberIDs[answer.author], body: answer.body,
                    score: answer.score, createdAt: at(answer.secondsAgo))
            }
            let comments = plan.comments.map { comment in
                defer { nextComment += 1 }
                return QAComment(
                    id: QAComment.ID(commentIDs[nextComment]), questionID: id, answerID: comment.answer.map { answers[$0].id },
                    authorID: memberIDs[comment.author], body: comment.body, createdAt: at(comment.secondsAgo))
            }
            let question = Question(
                id: id, authorID: memberIDs[plan.asker], title: plan.title, body: plan.body, tags: plan.tags,
                communityID: plan.community.flatMap { communities[$0] }, toFollowers: plan.toFollowers,
                acceptedAnswerID: plan.accepted.map { answers[$0].id }, answers: answers.count,
                firstAnswerAt: answers.first?.createdAt, acceptedAt: plan.acceptedSecondsAgo.map(at),
                createdAt: at(plan.secondsAgo))
            rows.append(
                DemoQuestionRows(
                    question: question, named: plan.named.map { memberIDs[$0] }, answers: answers,
                    votes: zip(answers, plan.answers).flatMap { answer, answerPlan in
                        answerPlan.votes.map { (answer: answer.id, member: memberIDs[$0.member], value: $0.value, at: at($0.secondsAgo)) }
                    },
                    comments: comments,
                    forwards: plan.forwards.map { (pick: $0.pick, note: $0.note, at: at($0.secondsAgo)) }))
        }

        var start = 0
        while start < rows.count {
            let batch = Array(rows[start..<min(start + Self.demoQuestionBatch, rows.count)])
            try await store.write { repos in
                for row in batch { try await Self.writeDemoQuestion(row, repos: repos) }
            }
            start += batch.count
            progress("questions", start, rows.count)
        }
        report.questions = rows.count
        report.answers = rows.reduce(0) { $0 + $1.answers.count }
        try await seedValue(rows, seed: seed, now: now, into: &report, progress: progress)
    }

    private static func writeDemoQuestion(_ row: DemoQuestionRows, repos: any Repositories) async throws {
        let question = row.question
        let questions = repos.questions
        try await questions.insert(question)
        try await questions.insertRevision(
            QARevision(number: 1, title: question.title, body: question.body, authorID: question.authorID, createdAt: question.createdAt),
            question: question.id, answer: nil)
        // The named first, so that a colleague who also follows the asker counts as asked by name.
        for member in row.named {
            _ = try await questions.reach(
                QuestionReach(questionID: question.id, memberID: member, hop: 0, forwardedBy: nil, named: true, at: question.createdAt))
        }
        var reached = row.named
        if question.toFollowers {
            reached += try await questions.reachFollowers(
                of: question.authorID, question: question, hop: 0, note: "", at: question.createdAt, limit: maxReachPerStep)
        }
        for (hop, forward) in zip(1..., row.forwards) {
            guard !reached.isEmpty else { break }
            var next: [Member.ID] = []
            for attempt in 0..<min(demoForwardAttempts, reached.count) {
                let forwarder = reached[(forward.pick + attempt) % reached.count]
                next = try await questions.reachFollowers(
                    of: forwarder, question: question, hop: hop, note: forward.note, at: forward.at, limit: maxReachPerStep)
                if !next.isEmpty {
                    try await questions.recordForward(question: question.id, by: forwarder, note: forward.note, at: forward.at)
                    break
                }
            }
            reached = next
        }
        for answer in row.answers {
            try await questions.insertAnswer(answer)
            try await questions.insertRevision(
                QARevision(number: 1, title: "", body: answer.body, authorID: answer.authorID, createdAt: answer.createdAt),
                question: question.id, answer: answer.id)
        }
        for vote in row.votes { _ = try await questions.vote(vote.answer, by: vote.member, value: vote.value, at: vote.at) }
        for comment in row.comments { try await questions.insertComment(comment) }
    }

    /// Identifiers for rows dated `secondsAgo`, each from its own moment and above the one before it in time.
    private static func timeOrderedIDs(_ secondsAgo: [Int], now: Date) -> [Int64] {
        var ids = [Int64](repeating: 0, count: secondsAgo.count)
        var last: Int64 = 0
        for index in secondsAgo.indices.sorted(by: { secondsAgo[$0] != secondsAgo[$1] ? secondsAgo[$0] > secondsAgo[$1] : $0 < $1 }) {
            last = max(last + 1, SnowflakeIDGenerator.firstID(at: now.addingTimeInterval(-Double(secondsAgo[index]))))
            ids[index] = last
        }
        return ids
    }
}

/// One demo question as rows, ready to write.
struct DemoQuestionRows: Sendable {
    let question: Question
    let named: [Member.ID]
    let answers: [Answer]
    let votes: [(answer: Answer.ID, member: Member.ID, value: Int, at: Date)]
    let comments: [QAComment]
    let forwards: [(pick: Int, note: String, at: Date)]
}

// MARK: - Generation

extension DemoQuestions {
    private static let day = 86_400

    /// Share of questions asked in a community (when the demo has communities).
    private static let communityShare = 0.15
    /// Share of questions that name colleagues to ask.
    private static let namedShare = 0.35
    /// Share of the questions asked to followers that are passed on, and of those passed on twice.
    private static let forwardedShare = 0.12
    private static let forwardedTwiceShare = 0.45
    /// Share of questions nobody answers, whatever their age.
    private static let ignoredShare = 0.12
    /// Share of answered questions whose asker accepts an answer (if the acceptance is not still to come).
    private static let acceptedShare = 0.8
    /// Answers arrive between five minutes and ten days after the question, evenly on a log scale: about
    /// seven in ten within a day.
    private static let answerDelay = (low: 5.0 * 60, high: 10.0 * 86_400)
    private static let acceptDelay = (low: 10.0 * 60, high: 2.0 * 86_400)
    /// Answers a question gets when it gets any: 1 to 4, mostly one or two.
    private static let answerCounts = DemoWeightedTable([45, 30, 15, 10])
    /// Votes an answer gets: 0 to 5.
    private static let voteCounts = DemoWeightedTable([25, 25, 20, 15, 10, 5])
    private static let downVoteShare = 0.08

    /// Draws questions one after the other from one stream.
    private struct Writer {
        let members: [DemoMemberDraft]
        /// Who lists each subject as expertise, in member order.
        let experts: [String: [Int]]
        /// The demo communities that questions may be asked in: address, tags, active members, and those of
        /// them who list a tag as expertise.
        let communities: [(slug: String, tags: [String], active: [Int], experts: [Int])]
        var rng: DemoRandom

        init(members: [DemoMemberDraft], communities: DemoCommunities, rng: DemoRandom) {
            self.members = members
            self.rng = rng
            var experts: [String: [Int]] = [:]
            for (index, member) in members.enumerated() {
                for tag in member.expertise { experts[tag, default: []].append(index) }
            }
            self.experts = experts
            self.communities = communities.communities.compactMap { plan in
                var tags: [String] = []
                for tag in plan.items.flatMap(\.tags) where !tags.contains(tag) { tags.append(tag) }
                let active = plan.members.filter { $0.state == .active }.map(\.member)
                guard active.count >= 3, !tags.isEmpty else { return nil }
                let subjects = Set(tags)
                return (plan.slug, tags, active, active.filter { members[$0].expertise.contains(where: subjects.contains) })
            }
        }

        mutating func question() -> QuestionPlan {
            let secondsAgo = 10 * 60 + rng.int(below: DemoQuestions.horizon - 10 * 60)
            let community = !communities.isEmpty && rng.chance(DemoQuestions.communityShare)
                ? communities[rng.int(below: communities.count)] : nil
            let asker = community.map { $0.active[rng.int(below: $0.active.count)] } ?? rng.int(below: members.count)
            let tags = community.map { pickTags(from: $0.tags) } ?? pickTags(from: members[asker].subjects)
            // In a community, its own experts are the ones to ask; elsewhere, anyone who lists the subject.
            let expertPool = community.map { $0.experts } ?? tags.flatMap { experts[$0] ?? [] }
            var named: [Int] = []
            if rng.chance(DemoQuestions.namedShare) {
                named = sample(expertPool, count: 1 + rng.int(below: 3), excluding: [asker])
            }
            let toFollowers = community == nil ? (named.isEmpty || rng.chance(0.85)) : rng.chance(0.25)

            let (title, body) = text(asker: asker, tags: tags)
            let answers = answers(asker: asker, named: named, expertPool: expertPool, community: community?.active, after: secondsAgo)
            var accepted: Int? = nil
            var acceptedSecondsAgo: Int? = nil
            // The asker accepts the most helpful-looking answer: the best score, the earliest among equals.
            if rng.chance(DemoQuestions.acceptedShare), let best = answers.indices.max(by: { a, b in
                answers[a].score != answers[b].score ? answers[a].score < answers[b].score : a > b
            }) {
                let when = answers[best].secondsAgo - delay(DemoQuestions.acceptDelay)
                if when >= 60 {
                    accepted = best
                    acceptedSecondsAgo = when
                }
            }
            var comments: [Comment] = []
            if let first = answers.first, rng.chance(0.25) {
                let when = first.secondsAgo - delay((low: 5 * 60, high: 86_400))
                if when >= 60 {
                    comments.append(Comment(
                        author: asker, answer: 0, body: pick(DemoQuestions.followUps).replacingOccurrences(of: "%S%", with: phrase(tags[0])),
                        secondsAgo: when))
                }
            }
            var forwards: [Forward] = []
            if toFollowers, rng.chance(DemoQuestions.forwardedShare) {
                var when = secondsAgo
                for _ in 0..<(rng.chance(DemoQuestions.forwardedTwiceShare) ? 2 : 1) {
                    when -= delay((low: 15 * 60, high: 12 * 3_600))
                    guard when >= 60 else { break }
                    forwards.append(Forward(
                        pick: rng.int(below: 1 << 30), note: pick(DemoQuestions.forwardNotes).replacingOccurrences(of: "%S%", with: phrase(tags[0])),
                        secondsAgo: when))
                }
            }
            return QuestionPlan(
                asker: asker, title: title, body: body, tags: tags, community: community?.slug, toFollowers: toFollowers, named: named, secondsAgo: secondsAgo, answers: answers, accepted: accepted, acceptedSecondsAgo: acceptedSecondsAgo,
                comments: comments, forwards: forwards)
        }

        /// One tag mostly, sometimes two.
        mutating func pickTags(from subjects: [String]) -> [String] {
            guard !subjects.isEmpty else { return ["knowledge-management"] }
            let first = subjects[rng.int(below: subjects.count)]
            guard subjects.count > 1, rng.chance(0.3) else { return [first] }
            let second = subjects[rng.int(below: subjects.count)]
            return second == first ? [first] : [first, second]
        }

        mutating func text(asker: Int, tags: [String]) -> (title: String, body: String) {
            let member = members[asker]
            let template = tags.count > 1 ? pick(DemoQuestions.pairTitles) : pick(DemoQuestions.titles)
            func fill(_ text: String) -> String {
                text.replacingOccurrences(of: "%S%", with: phrase(tags[0]))
                    .replacingOccurrences(of: "%T%", with: phrase(tags[tags.count - 1]))
                    .replacingOccurrences(of: "%DEPT%", with: member.department)
                    .replacingOccurrences(of: "%CITY%", with: member.location)
                    .replacingOccurrences(of: "%ROLE%", with: member.jobRole)
            }
            return (fill(template), fill(pick(DemoQuestions.bodies)))
        }

        /// Answers oldest first: the colleagues named answer most of the time, then other experts and people
        /// from other departments. An answer that would come after now is not there yet.
        mutating func answers(asker: Int, named: [Int], expertPool: [Int], community: [Int]?, after secondsAgo: Int) -> [AnswerPlan] {
            guard !rng.chance(DemoQuestions.ignoredShare) else { return [] }
            let wanted = 1 + DemoQuestions.answerCounts.pick(&rng)
            var authors = named.filter { _ in rng.chance(0.65) }
            var attempts = 0
            while authors.count < wanted && attempts < 4 * wanted {
                attempts += 1
                let candidate: Int
                if !expertPool.isEmpty && rng.chance(0.6) {
                    candidate = expertPool[rng.int(below: expertPool.count)]
                } else if let community {
                    candidate = community[rng.int(below: community.count)]
                } else {
                    candidate = otherDepartment(than: asker)
                }
                if candidate != asker && !authors.contains(candidate) { authors.append(candidate) }
            }
            let times = authors.map { _ in secondsAgo - delay(DemoQuestions.answerDelay) }
            return zip(authors, times).filter { $0.1 >= 120 }.sorted { $0.1 > $1.1 }.map { author, when in
                AnswerPlan(
                    author: author, body: answerBody(by: author), secondsAgo: when,
                    votes: votes(on: author, after: when, pool: community))
            }
        }

        mutating func answerBody(by author: Int) -> String {
            pick(DemoQuestions.answerBodies)
                .replacingOccurrences(of: "%DEPT%", with: members[author].department)
                .replacingOccurrences(of: "%CITY%", with: members[author].location)
        }

        /// A few distinct voters, never the answer's author; in a community, its members.
        mutating func votes(on author: Int, after secondsAgo: Int, pool: [Int]?) -> [Vote] {
            var voters: [Int] = []
            let wanted = DemoQuestions.voteCounts.pick(&rng)
            for _ in 0..<(2 * wanted) where voters.count < wanted {
                let voter = pool.map { $0[rng.int(below: $0.count)] } ?? rng.int(below: members.count)
                if voter != author && !voters.contains(voter) { voters.append(voter) }
            }
            return voters.map { voter in
                Vote(
                    member: voter, value: rng.chance(DemoQuestions.downVoteShare) ? -1 : 1,
                    secondsAgo: max(60, secondsAgo - 1 - rng.int(below: max(secondsAgo / 2, 1))))
            }
        }

        /// Someone from another department than the member's, when a few draws find one.
        mutating func otherDepartment(than member: Int) -> Int {
            var candidate = rng.int(below: members.count)
            for _ in 0..<8 where members[candidate].department == members[member].department {
                candidate = rng.int(below: members.count)
            }
            return candidate
        }

        mutating func sample(_ pool: [Int], count: Int, excluding: Set<Int>) -> [Int] {
            var chosen: [Int] = []
            for _ in 0..<(3 * count) where chosen.count < count && !pool.isEmpty {
                let candidate = pool[rng.int(below: pool.count)]
                if !excluding.contains(candidate) && !chosen.contains(candidate) { chosen.append(candidate) }
            }
            return chosen
        }

        /// Seconds, evenly on a log scale between the bounds.
        mutating func delay(_ range: (low: Double, high: Double)) -> Int {
            Int(exp(log(range.low) + rng.unit() * (log(range.high) - log(range.low))))
        }

        mutating func pick(_ list: [String]) -> String { list[rng.int(below: list.count)] }
    }

    /// How a sentence names a subject: "UX design" for `ux-design`.
    static func phrase(_ slug: String) -> String {
        phrases[slug] ?? slug.replacingOccurrences(of: "-", with: " ")
    }

    private static let phrases = [
        "artificial-intelligence": "AI", "crm": "CRM", "devops": "DevOps", "excel": "Excel", "ux-design": "UX design",
        "esg-reporting": "ESG reporting", "agile": "agile ways of working", "energy-transition": "the energy transition",
        "health-safety": "health and safety", "diversity-inclusion": "diversity and inclusion",
    ]

    private static let titles = [
        "How do you get started with %S% when the calendar is already full?",
        "Which tools do you actually use for %S% day to day?",
        "How do you explain %S% to colleagues who have never needed it?",
        "What would you read first to get better at %S%?",
        "How do you tell whether your work on %S% is paying off?",
        "Does anyone have a checklist for %S% they would share?",
        "What went wrong the first time you tried %S%, and what did you change?",
        "How does your team keep %S% going when people change roles?",
        "Is there a good course on %S% for someone in %DEPT%?",
        "Who has done %S% with a team spread over several sites?",
        "What is one habit that made %S% easier for your team?",
        "How much time a week do you spend on %S%, honestly?",
    ]

    private static let pairTitles = [
        "How do %S% and %T% fit together in practice?",
        "Which comes first for a new team: %S% or %T%?",
        "Has anyone used %S% to help with %T%?",
    ]

    private static let bodies = [
        "Some context: I am a %ROLE% in %DEPT%, based in %CITY%. We are starting to take %S% seriously and I would like to learn from people who have done it before.",
        "We tried a few things on our own and they did not stick. What has worked for you, and what would you avoid?",
        "A short answer or a link is fine; I will share what we end up doing.",
        "Asking for our team in %CITY%: we have a deadline next month and little experience with %S%.",
        "",
        "",
    ]

    private static let answerBodies = [
        "In %DEPT% we started small: one team, one month, and a short review at the end. That beat any big plan.",
        "Two things helped me: writing down what we agreed, and looking at it again every week. Happy to show you our notes.",
        "Ask the people who do it every day first. In %CITY% we pair newcomers with someone experienced for a month.",
        "There is a good overview in the community resources; start there, then try it on one real case.",
        "We tried three tools and went back to a shared spreadsheet: the habit mattered more than the tool.",
        "Start from the decision you need to make, then do the smallest amount of work that supports it.",
        "I had the same question last year. What worked for us: fifteen minutes every Monday, only on what blocks us.",
        "It depends on the size of the team. Below ten people, keep it simple and visible; above that, agree on one owner per step.",
        "We wrote a one-page guide in %DEPT% after getting this wrong twice. Send me a message and I will share it.",
        "Short version: measure one thing, review it weekly, and tell people what changed because of it.",
    ]

    private static let followUps = [
        "Thank you, this helps. Does it also work for a team that is new to %S%?",
        "Thanks! Could you share the template you mentioned?",
        "Very useful, I will try this with my team next week.",
    ]

    private static let forwardNotes = [
        "You know more about %S% than I do: any ideas?",
        "Passing this on: someone in your team may know.",
        "",
    ]
}
