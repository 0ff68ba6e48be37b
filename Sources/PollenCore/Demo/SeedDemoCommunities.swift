import Foundation

/// The communities of practice of a demo organization, with their people and content — deterministic for a
/// seed. Horizontal communities draw their people from many departments, vertical ones from one job role,
/// interest groups from a shared subject; one of them is private and one takes members on request.
public struct DemoCommunities: Sendable, Equatable {
    /// Someone's place in a community.
    public struct Membership: Sendable, Equatable {
        /// Index, into the members given to `generate`, of the member.
        public let member: Int
        public let role: CommunityMember.Role
        /// Active, or a request still waiting for a manager (communities that take members on request).
        public let state: CommunityMember.State
        public let secondsAgo: Int
    }

    /// One saved text of an item.
    public struct Revision: Sendable, Equatable {
        public let author: Int
        public let title: String
        public let body: String
        public let note: String
        public let secondsAgo: Int
    }

    public struct Comment: Sendable, Equatable {
        public let author: Int
        public let body: String
        public let secondsAgo: Int
    }

    public struct Rating: Sendable, Equatable {
        public let member: Int
        public let stars: Int
        public let secondsAgo: Int
    }

    /// A small file a resource carries, made by the generator.
    public struct File: Sendable, Equatable {
        public let name: String
        public let data: [UInt8]
    }

    public struct ItemPlan: Sendable, Equatable {
        public let kind: CommunityItem.Kind
        public let tags: [String]
        /// Index of the member who wrote it; always an active member of the community.
        public let author: Int
        /// Every text, oldest first (never empty): the last one is the item's text, and wiki pages have
        /// several by different members.
        public let revisions: [Revision]
        /// When it was written.
        public let writtenSecondsAgo: Int
        /// When it was published: nil for a draft, negative for an article scheduled that far ahead.
        public let publishedSecondsAgo: Int?
        public let pinned: Bool
        public let closed: Bool
        public let announcement: Bool
        /// Index of the manager or expert who featured it, with their note.
        public let featuredBy: Int?
        public let featureNote: String
        public let link: String?
        public let file: File?
        /// Oldest first; all after it was published.
        public let comments: [Comment]
        public let ratings: [Rating]
        public let favourites: [Int]
        /// Members who opened it (never its author).
        public let viewers: [Int]
    }

    public struct CommunityPlan: Sendable, Equatable {
        public let slug: String
        public let name: String
        public let kind: Community.Kind
        public let membership: Community.Membership
        public let purpose: String
        public let guidelines: String
        public let secondsAgo: Int
        /// The manager first, then the subject-matter experts, then the members (and requests).
        public let members: [Membership]
        /// Members outside the community who follow its content (open communities only).
        public let followers: [Int]
        public let items: [ItemPlan]
    }

    public let communities: [CommunityPlan]

    /// No communities for an organization smaller than this: there would be too few people to fill them.
    public static let minimumMembers = 12

    public static func generate(members: [DemoMemberDraft], seed: UInt64) -> DemoCommunities {
        guard members.count >= minimumMembers else { return DemoCommunities(communities: []) }
        let people = Self.people(members)
        let communities = topics.enumerated().map { index, topic in
            var rng = DemoRandom(seed: seed, stream: 0xC0_33 + UInt64(index))
            return plan(topic, members: members, people: people, rng: &rng)
        }
        return DemoCommunities(communities: communities)
    }
}

extension Pollen {
    /// Writes the demo's communities, one transaction each. A community whose address is taken is left out.
    func seedCommunities(
        drafts: [DemoMemberDraft], memberIDs: [Member.ID], seed: UInt64, into report: inout DemoReport,
        progress: @Sendable (String, Int, Int) -> Void
    ) async throws {
        let plans = DemoCommunities.generate(members: drafts, seed: seed).communities
        let now = time.now()
        @Sendable func at(_ secondsAgo: Int) -> Date { now.addingTimeInterval(-Double(secondsAgo)) }
        for (index, plan) in plans.enumerated() {
            let manager = memberIDs[plan.members[0].member]
            let community = Community(
                id: Community.ID(ids.next()), slug: plan.slug, name: plan.name, kind: plan.kind, purpose: plan.purpose,
                guidelines: plan.guidelines, membership: plan.membership, createdBy: manager, createdAt: at(plan.secondsAgo))
            let memberships = plan.members.map {
                CommunityMember(community: community.id, member: memberIDs[$0.member], role: $0.role, state: $0.state, since: at($0.secondsAgo))
            }
            var items: [(item: CommunityItem, plan: DemoCommunities.ItemPlan, comments: [CommunityComment])] = []
            for itemPlan in plan.items {
                let id = CommunityItem.ID(ids.next())
                let text = itemPlan.revisions[itemPlan.revisions.count - 1]
                // Files go through the same checks and store as uploads; a server that refuses the type gets the link.
                let resource = itemPlan.file.flatMap { file in try? storedFile(UploadedFile(name: file.name, data: file.data), id: id).resource }
                    ?? itemPlan.link.map { CommunityItem.Resource(link: $0) }
                let item = CommunityItem(
                    id: id, communityID: community.id, kind: itemPlan.kind, title: text.title, body: text.body, tags: itemPlan.tags,
                    authorID: memberIDs[itemPlan.author], state: itemPlan.publishedSecondsAgo == nil ? .draft : .published,
                    publishedAt: itemPlan.publishedSecondsAgo.map(at), pinned: itemPlan.pinned, closed: itemPlan.closed,
                    announcement: itemPlan.announcement, revision: itemPlan.revisions.count, resource: resource,
                    feature: itemPlan.featuredBy.map {
                        CommunityItem.Feature(note: itemPlan.featureNote, by: memberIDs[$0], at: at(max((itemPlan.publishedSecondsAgo ?? 0) - 3_600, 60)))
                    },
                    createdAt: at(itemPlan.writtenSecondsAgo), updatedAt: at(text.secondsAgo))
                // Identifiers in time order: comments are listed by theirs.
                let comments = itemPlan.comments.map {
                    CommunityComment(id: CommunityComment.ID(ids.next()), itemID: id, authorID: memberIDs[$0.author], body: $0.body, createdAt: at($0.secondsAgo))
                }
                items.append((item, itemPlan, comments))
            }
            let rows = items
            let written = try await store.write { repos -> Bool in
                guard try await repos.communities.find(slug: plan.slug) == nil else { return false }
                try await repos.communities.insert(community)
                for membership in memberships { try await repos.communities.saveMembership(membership) }
                for follower in plan.followers {
                    _ = try await repos.communities.follow(community.id, by: memberIDs[follower], at: at(plan.secondsAgo / 2))
                }
                for (item, itemPlan, comments) in rows {
                    let content = repos.communityContent
                    try await content.insert(item)
                    for (number, revision) in itemPlan.revisions.enumerated() {
                        try await content.insertRevision(
                            ItemRevision(
                                itemID: item.id, number: number + 1, title: revision.title, body: revision.body, tags: item.tags,
                                authorID: memberIDs[revision.author], createdAt: at(revision.secondsAgo), note: revision.note))
                    }
                    for comment in comments { try await content.insertComment(comment) }
                    for rating in itemPlan.ratings {
                        _ = try await content.rate(item.id, by: memberIDs[rating.member], stars: rating.stars, at: at(rating.secondsAgo))
                    }
                    for member in itemPlan.favourites {
                        _ = try await content.favourite(item.id, by: memberIDs[member], at: at(itemPlan.publishedSecondsAgo ?? 0))
                    }
                    for member in itemPlan.viewers {
                        _ = try await content.recordView(item.id, by: memberIDs[member], at: at(itemPlan.publishedSecondsAgo ?? 0))
                    }
                    try await content.adjustCounts(
                        item.id, comments: comments.count, favourites: itemPlan.favourites.count, ratings: itemPlan.ratings.count,
                        ratingTotal: itemPlan.ratings.reduce(0) { $0 + $1.stars })
                }
                return true
            }
            if written {
                report.communities += 1
                report.communityItems += items.count
            } else {
                for key in items.compactMap(\.item.resource?.storageKey) { try? files.remove(key: key) }
            }
            progress("communities", index + 1, plans.count)
        }
    }
}

// MARK: - Generation

extension DemoCommunities {
    private static let day = 86_400

    /// What one demo community is about, and where its people come from.
    private struct Topic {
        let slug: String
        let name: String
        let kind: Community.Kind
        let membership: Community.Membership
        /// How the texts name the subject: "the supply chain".
        let phrase: String
        let purpose: String
        /// People who learn about or know these join; the first are the community's tags.
        let subjects: [String]
        /// For a vertical community: the job roles it gathers, the one it is named after first.
        let roles: [String]
        /// For a vertical community: the department whose people fill it when the roles are too few.
        let department: String?
        let question: String
        let lesson: String
        let reference: (title: String, url: String)
        /// A generated file for its resources: CSV rows, or Markdown lines.
        let fileName: String
        let fileLines: [String]
    }

    private static let topics: [Topic] = [
        Topic(
            slug: "supply-chain", name: "Supply chain", kind: .horizontal, membership: .open, phrase: "the supply chain",
            purpose: "Planners, buyers, logisticians and everyone whose work depends on goods arriving on time: we share how the chain works end to end, from forecast to delivery.",
            subjects: ["supply-chain", "logistics", "procurement", "forecasting"], roles: [], department: nil,
            question: "How do you buffer against supplier delays without drowning in stock?",
            lesson: "What a year of weekly S&OP meetings taught us",
            reference: ("Supply chain management (overview)", "https://en.wikipedia.org/wiki/Supply_chain_management"),
            fileName: "lead-times-by-lane.csv",
            fileLines: ["lane,carrier,median_days,p90_days", "Rotterdam-Warsaw,road,3,5", "Singapore-Rotterdam,sea,31,38",
                        "Chicago-Toronto,road,2,4", "Bengaluru-London,air,2,3", "Mexico City-Austin,rail,4,7"]),
        Topic(
            slug: "financial-management", name: "Financial management", kind: .horizontal, membership: .open,
            phrase: "financial management",
            purpose: "Budget owners, analysts and controllers across the units: how we plan, forecast and review money, in plain words.",
            subjects: ["financial-management", "forecasting", "excel", "risk-management", "tax"], roles: [], department: nil,
            question: "Which forecasting horizon do you actually trust?",
            lesson: "Closing the month in five days: what changed",
            reference: ("Financial management (overview)", "https://en.wikipedia.org/wiki/Financial_management"),
            fileName: "budget-review-checklist.md",
            fileLines: ["# Budget review checklist", "", "- [ ] Compare actuals with the last forecast, not only the budget",
                        "- [ ] Explain every variance above 5%", "- [ ] Check accruals with the budget owners",
                        "- [ ] Agree the actions and who owns each"]),
        Topic(
            slug: "front-line-managers", name: "Front-line managers", kind: .vertical, membership: .open,
            phrase: "leading a team",
            purpose: "For everyone who leads a team day to day: one-to-ones, rotas, hard conversations and good days. Ask anything; nobody here judges.",
            subjects: ["leadership", "coaching", "wellbeing", "communication"],
            roles: ["Front-line Manager", "Team Lead", "Shift Supervisor", "Warehouse Supervisor"], department: nil,
            question: "How do you prepare a difficult one-to-one?",
            lesson: "The first 90 days as a new team lead",
            reference: ("Management (overview)", "https://en.wikipedia.org/wiki/Management"),
            fileName: "one-to-one-template.md",
            fileLines: ["# One-to-one template", "", "1. How are you, really?", "2. What went well since we last spoke?",
                        "3. Where are you stuck?", "4. What can I do for you this week?"]),
        Topic(
            slug: "sales-representatives", name: "Sales representatives", kind: .vertical, membership: .open,
            phrase: "selling",
            purpose: "Representatives and account executives comparing notes on prospecting, discovery, negotiation and the tools of the trade.",
            subjects: ["sales-techniques", "negotiation", "crm", "customer-experience"],
            roles: ["Sales Representative", "Account Executive", "Sales Development Representative", "Inside Sales Specialist"],
            department: "Sales",
            question: "What is your best opening line for a cold call?",
            lesson: "Discovery questions that changed my close rate",
            reference: ("Selling (overview)", "https://en.wikipedia.org/wiki/Selling"),
            fileName: "pipeline-stages.csv",
            fileLines: ["stage,exit_criterion,typical_days", "Lead,Need confirmed,3", "Discovery,Budget and decision maker known,10",
                        "Proposal,Proposal sent,7", "Negotiation,Terms agreed,14", "Closed,Contract signed,0"]),
        Topic(
            slug: "data-visualisation", name: "Data visualisation", kind: .interest, membership: .open,
            phrase: "data visualisation",
            purpose: "Charts, dashboards and the stories numbers tell. Share your work, ask for feedback, steal good ideas.",
            subjects: ["data-analytics", "excel", "storytelling", "design-thinking"], roles: [], department: nil,
            question: "Bar chart or table: how do you choose?",
            lesson: "Ten charts we retired, and why",
            reference: ("Data and information visualization", "https://en.wikipedia.org/wiki/Data_and_information_visualization"),
            fileName: "chart-choices.csv",
            fileLines: ["question,chart,avoid", "Change over time,Line chart,Pie chart", "Compare categories,Bar chart,3D bars",
                        "Part of a whole,Stacked bar,Donut with many slices", "Relationship,Scatter plot,Dual axes"]),
        Topic(
            slug: "sustainability-circle", name: "Sustainability circle", kind: .interest, membership: .private,
            phrase: "sustainability reporting",
            purpose: "A closed group preparing the organization's sustainability reporting: drafts and figures stay here until they are published.",
            subjects: ["sustainability", "esg-reporting", "energy-transition"], roles: [], department: nil,
            question: "Where do we start with scope 3 data?",
            lesson: "Our first ESG report: lessons learned",
            reference: ("Sustainability reporting (overview)", "https://en.wikipedia.org/wiki/Sustainability_reporting"),
            fileName: "reporting-calendar.md",
            fileLines: ["# Reporting calendar", "", "- January: collect energy and travel data", "- March: supplier survey",
                        "- May: draft report to the board", "- June: publish"]),
        Topic(
            slug: "wellbeing-at-work", name: "Wellbeing at work", kind: .interest, membership: .onRequest,
            phrase: "wellbeing at work",
            purpose: "A calm corner for talking about energy, focus and balance, in the office and at home. Members are approved so the conversation stays safe.",
            subjects: ["wellbeing", "hybrid-work", "mentoring", "coaching"], roles: [], department: nil,
            question: "How do you switch off after a day of video calls?",
            lesson: "Small habits that made hybrid work sustainable for our team",
            reference: ("Occupational health (overview)", "https://en.wikipedia.org/wiki/Occupational_health_psychology"),
            fileName: "reset-routines.md",
            fileLines: ["# Five-minute reset routines", "", "- Walk around the block without your phone",
                        "- Write tomorrow's first task, then close the laptop", "- Two minutes of slow breathing",
                        "- Stretch: neck, shoulders, back"]),
    ]

    private static let guidelines = """
        - Be generous: share what worked and what did not.
        - Disagree with ideas, never with people.
        - Keep customer and personal data out of posts.
        - Mark a question answered when it is.
        """

    private static let replies = [
        "We ran into the same thing in %DEPT% last quarter. What helped was agreeing on one owner per step.",
        "Thanks for sharing this: I am bringing it to our next team meeting.",
        "Has anyone tried this with a team spread over time zones? Curious how it works from %CITY%.",
        "+1. I would add: write down the decision and why, so the next person does not start from scratch.",
        "Our numbers improved once we reviewed them weekly instead of monthly.",
        "Happy to walk anyone through our template, send me a message.",
        "In my experience the tool matters less than the habit.",
        "Could we make this the topic of the next community call?",
        "I would start smaller: one team, one month, then decide.",
        "What worked for us in %CITY%: fifteen minutes every Monday, only on what blocks us.",
        "Great write-up. The part about expectations is the one people skip.",
        "We tried the opposite and regretted it. Agree with this.",
    ]

    /// The departments in order of first appearance (never a dictionary's order, which changes per process),
    /// and each member's.
    private struct People {
        var departments: [String] = []
        var departmentOf: [Int] = []
    }

    private static func people(_ members: [DemoMemberDraft]) -> People {
        var people = People()
        var index: [String: Int] = [:]
        people.departmentOf.reserveCapacity(members.count)
        for member in members {
            if let known = index[member.department] {
                people.departmentOf.append(known)
            } else {
                index[member.department] = people.departments.count
                people.departmentOf.append(people.departments.count)
                people.departments.append(member.department)
            }
        }
        return people
    }

    private static func plan(_ topic: Topic, members: [DemoMemberDraft], people: People, rng: inout DemoRandom) -> CommunityPlan {
        // Larger organizations get larger communities, within what a demo needs to look alive.
        let size = min(max(members.count / 12, 10), 120, members.count)
        let subjects = Set(topic.subjects)
        // Who may join, best suited first: for a vertical community the job role it is named after, then
        // related roles, then the department; otherwise those who learn about its subjects. Everyone else
        // comes last, so a small organization still fills it.
        var tiers: [[Int]] = []
        if topic.kind == .vertical {
            for role in topic.roles { tiers.append(members.indices.filter { members[$0].jobRole == role }) }
            if let department = topic.department {
                let roles = Set(topic.roles)
                tiers.append(members.indices.filter { members[$0].department == department && !roles.contains(members[$0].jobRole) })
            }
        } else {
            tiers.append(members.indices.filter { index in members[index].subjects.contains(where: subjects.contains) })
        }
        var candidates = tiers.flatMap { $0 }
        let experts = candidates.filter { members[$0].expertise.contains(where: subjects.contains) }
        if candidates.count < size {
            let suited = Set(candidates)
            let rest = members.indices.filter { !suited.contains($0) }
            tiers.append(rest)
            candidates += rest
        }

        // The recognised voices lead: a thought leader or an expert manages, the next experts are SMEs.
        var leaders = experts.filter { members[$0].isThoughtLeader } + experts.filter { !members[$0].isThoughtLeader }
        if leaders.count < 4 { leaders += candidates.filter { !leaders.contains($0) }.prefix(4 - leaders.count) }
        let smeCount = 2 + rng.int(below: 2)
        var chosen = Array(leaders.prefix(1 + smeCount))
        var taken = Set(chosen)
        for tier in tiers where chosen.count < size {
            let others = tier.filter { !taken.contains($0) }
            for member in topic.kind == .horizontal
                ? acrossDepartments(others, people: people, count: size - chosen.count, rng: &rng)
                : sample(others, count: size - chosen.count, rng: &rng)
            {
                chosen.append(member)
                taken.insert(member)
            }
        }

        let created = (150 + rng.int(below: 90)) * day
        var memberships: [Membership] = []
        for (position, member) in chosen.enumerated() {
            let role: CommunityMember.Role = position == 0 ? .manager : position <= smeCount ? .sme : .member
            // The founders join on the first day; the rest over the next two months, before any item is written.
            let since = position <= smeCount ? created : created - (1 + rng.int(below: 60)) * day
            memberships.append(Membership(member: member, role: role, state: .active, secondsAgo: since))
        }
        let active = chosen
        if topic.membership == .onRequest {
            for member in sample(candidates.filter { !taken.contains($0) }, count: 3, rng: &rng) {
                taken.insert(member)
                memberships.append(Membership(member: member, role: .member, state: .requested, secondsAgo: (1 + rng.int(below: 5)) * day))
            }
        }
        let followers = topic.membership == .open
            ? sample(Array(members.indices.filter { !taken.contains($0) }.prefix(2_000)), count: 3, rng: &rng) : []

        var writer = ItemWriter(topic: topic, members: members, active: active, smeCount: smeCount, rng: rng)
        let items = writer.items()
        return CommunityPlan(
            slug: topic.slug, name: topic.name, kind: topic.kind, membership: topic.membership, purpose: topic.purpose,
            guidelines: guidelines, secondsAgo: created, members: memberships, followers: followers, items: items)
    }

    /// `count` of `pool`, taking one from each department in turn so that no unit dominates.
    private static func acrossDepartments(_ pool: [Int], people: People, count: Int, rng: inout DemoRandom) -> [Int] {
        var groups = [[Int]](repeating: [], count: people.departments.count)
        for member in pool { groups[people.departmentOf[member]].append(member) }
        groups = groups.filter { !$0.isEmpty }.map { sample($0, count: min($0.count, count), rng: &rng) }
        var result: [Int] = []
        var round = 0
        while result.count < count, groups.contains(where: { $0.count > round }) {
            for group in groups where group.count > round && result.count < count { result.append(group[round]) }
            round += 1
        }
        return result
    }

    /// `count` distinct elements of `pool` in random order (a partial Fisher–Yates shuffle).
    private static func sample(_ pool: [Int], count: Int, rng: inout DemoRandom) -> [Int] {
        var pool = pool
        let count = min(max(count, 0), pool.count)
        for index in 0..<count { pool.swapAt(index, index + rng.int(below: pool.count - index)) }
        return Array(pool.prefix(count))
    }

    /// Writes a community's content: discussions (one pinned, one closed), articles (one a manager's
    /// announcement, one featured, one draft, one scheduled), wiki pages with several revisions, and resources
    /// (a link and a file), with replies, ratings, favourites and views.
    private struct ItemWriter {
        let topic: Topic
        let members: [DemoMemberDraft]
        /// The community's active members: its manager first, then its experts.
        let active: [Int]
        let smeCount: Int
        var rng: DemoRandom

        var manager: Int { active[0] }
        var experts: [Int] { Array(active[1...smeCount]) }

        mutating func anyone(but excluded: Int? = nil) -> Int {
            var pick = active[rng.int(below: active.count)]
            if pick == excluded { pick = active[(active.firstIndex(of: pick)! + 1) % active.count] }
            return pick
        }

        mutating func items() -> [ItemPlan] {
            let phrase = topic.phrase
            let expert = experts[0]
            var items: [ItemPlan] = []
            items.append(item(
                .thread, by: manager, title: "Welcome to \(topic.name): introduce yourself",
                body: "Tell us who you are, where you work and what you hope to learn here about \(phrase). I will start below.",
                daysAgo: 80, pinned: true, replies: 6))
            items.append(item(
                .thread, by: anyone(but: manager), title: topic.question,
                body: "I keep running into this and would love to hear how others handle it. What has worked for you, and what did not?",
                daysAgo: 12 + rng.int(below: 20), replies: 4))
            items.append(item(
                .thread, by: anyone(), title: "Community call notes: \(phrase)",
                body: "Thanks to everyone who joined the call. The notes and the recording link are below; this discussion is closed, add new questions in a new thread.",
                daysAgo: 40 + rng.int(below: 20), closed: true, replies: 3))
            items.append(item(
                .article, by: expert, title: topic.lesson,
                body: "## Where we started\n\nA year ago our approach to \(phrase) was mostly habit.\n\n## What changed\n\n- We agreed on a small set of measures.\n- We reviewed them together every week.\n- We wrote down what we learned.\n\n## What we would do again\n\nStart small, and make the results visible to everyone.",
                daysAgo: 20 + rng.int(below: 30), featured: "A must-read for everyone new to \(phrase).", replies: 2))
            items.append(item(
                .article, by: manager, title: "Community update: what's next for \(topic.name)",
                body: "We are now \(active.count) members. Next month we start a monthly call on \(phrase), and our experts will curate the resources section. Ideas welcome in the comments.",
                daysAgo: 3 + rng.int(below: 5), announcement: true, replies: 1))
            items.append(item(
                .article, by: experts[experts.count - 1], title: "Getting started with \(phrase): a practical guide",
                body: "A draft for review. Sections to come: the basics, common mistakes, where to find help.", daysAgo: 2, draft: true))
            items.append(item(
                .article, by: expert, title: "Our plan for \(phrase) next quarter",
                body: "What we will focus on next quarter, and how you can take part.", daysAgo: 1, scheduledIn: 2 + rng.int(below: 5)))
            items.append(wiki(
                title: "\(topic.name) glossary",
                texts: [
                    "Terms we use in this community.",
                    "Terms we use in this community, with a line on each.\n\n- **Owner**: the person who decides.",
                    "Terms we use in this community, with a line on each.\n\n- **Owner**: the person who decides.\n- **Review**: a regular look at the measures, with actions.",
                ]))
            items.append(wiki(
                title: "How we work: \(phrase) playbook",
                texts: [
                    "1. Ask in a discussion.\n2. Share what you learned as an article.",
                    "1. Search first: the answer may be here.\n2. Ask in a discussion.\n3. Share what you learned as an article.",
                ]))
            items.append(item(
                .resource, by: expert, title: topic.reference.title, body: "A good overview to start from.", daysAgo: 30 + rng.int(below: 30),
                link: topic.reference.url))
            items.append(item(
                .resource, by: experts[experts.count - 1], title: topic.fileName.hasSuffix(".csv") ? "Reference table (CSV)" : "Checklist",
                body: "Download, adapt, and tell us what you changed.", daysAgo: 10 + rng.int(below: 20),
                file: File(name: topic.fileName, data: Array((topic.fileLines.joined(separator: "\n") + "\n").utf8))))
            return items
        }

        mutating func item(
            _ kind: CommunityItem.Kind, by author: Int, title: String, body: String, daysAgo: Int, pinned: Bool = false,
            closed: Bool = false, announcement: Bool = false, featured: String? = nil, draft: Bool = false, scheduledIn: Int? = nil,
            link: String? = nil, file: File? = nil, replies: Int = 0
        ) -> ItemPlan {
            let written = daysAgo * DemoCommunities.day + rng.int(below: 8 * 3_600)
            let published: Int? = draft ? nil : scheduledIn.map { -$0 * DemoCommunities.day } ?? written
            let live = published.map { $0 > 0 } ?? false
            return ItemPlan(
                kind: kind, tags: Array(topic.subjects.prefix(1 + rng.int(below: 2))), author: author,
                revisions: [Revision(author: author, title: title, body: body, note: "", secondsAgo: written)],
                writtenSecondsAgo: written, publishedSecondsAgo: published, pinned: pinned, closed: closed,
                announcement: announcement, featuredBy: live && featured != nil ? experts[experts.count - 1] : nil,
                featureNote: featured ?? "", link: link, file: file,
                comments: live ? comments(replies, after: written, author: author) : [],
                ratings: live && kind != .thread ? ratings(after: written, author: author) : [],
                favourites: live ? audience(after: written, author: author, share: 0.15, max: 6) : [],
                viewers: live ? audience(after: written, author: author, share: 0.6, max: 40) : [])
        }

        mutating func wiki(title: String, texts: [String]) -> ItemPlan {
            let written = (45 + rng.int(below: 30)) * DemoCommunities.day
            var revisions: [Revision] = []
            var author = experts[0]
            for (number, text) in texts.enumerated() {
                let at = written - number * (5 + rng.int(below: 10)) * DemoCommunities.day
                revisions.append(Revision(
                    author: author, title: title, body: text, note: number == 0 ? "" : "Added to the list", secondsAgo: at))
                author = anyone(but: author)
            }
            return ItemPlan(
                kind: .wiki, tags: [topic.subjects[0]], author: experts[0], revisions: revisions, writtenSecondsAgo: written,
                publishedSecondsAgo: written, pinned: false, closed: false, announcement: false, featuredBy: nil, featureNote: "",
                link: nil, file: nil, comments: comments(1, after: written, author: experts[0]),
                ratings: ratings(after: written, author: experts[0]),
                favourites: audience(after: written, author: experts[0], share: 0.1, max: 4),
                viewers: audience(after: written, author: experts[0], share: 0.5, max: 40))
        }

        mutating func comments(_ count: Int, after written: Int, author: Int) -> [Comment] {
            var at = written
            return (0..<count).map { _ in
                at -= 1 + rng.int(below: max(at / (count + 1), 1))
                let by = anyone(but: author)
                let text = DemoCommunities.replies[rng.int(below: DemoCommunities.replies.count)]
                    .replacingOccurrences(of: "%DEPT%", with: members[by].department)
                    .replacingOccurrences(of: "%CITY%", with: members[by].location)
                return Comment(author: by, body: text, secondsAgo: max(at, 60))
            }
        }

        mutating func ratings(after written: Int, author: Int) -> [Rating] {
            audience(after: written, author: author, share: 0.2, max: 8).map {
                Rating(member: $0, stars: [3, 4, 4, 5, 5][rng.int(below: 5)], secondsAgo: max(written - 1 - rng.int(below: max(written / 2, 1)), 60))
            }
        }

        /// A few distinct members, never the author.
        mutating func audience(after written: Int, author: Int, share: Double, max: Int) -> [Int] {
            let others = active.filter { $0 != author }
            let wanted = Swift.min(Int(Double(others.count) * share * (0.5 + rng.unit())) + 1, max)
            return DemoCommunities.sample(others, count: wanted, rng: &rng)
        }
    }
}
