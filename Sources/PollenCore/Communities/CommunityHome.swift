import Foundation

/// Everything the home page of a community shows: why to come today, and why to come back.
public struct CommunityHome: Sendable, Equatable {
    public let community: CommunityView
    /// Items featured by managers and experts, the newest feature first.
    public let featured: [ItemSummary]
    /// Managers' announcements.
    public let news: [ItemSummary]
    /// The newest items of every kind.
    public let latest: [ItemSummary]
    /// The most engaged-with recent items (see ``Pollen/popularity(of:at:)``).
    public let popular: [ItemSummary]
    /// Open discussions nobody has answered yet, the oldest first: where a reply helps most.
    public let openQuestions: [ItemSummary]
    /// Questions asked to the community that have no answer yet, the oldest first.
    public let unansweredQuestions: [(question: Question, author: Member)]
    public let newMembers: [Member]
    /// Members whose content others valued most over the last 90 days.
    public let popularMembers: [Member]
    public let leaders: [(membership: CommunityMember, member: Member)]
    /// Requests waiting for a manager (only for those who manage it).
    public let pendingRequests: Int
    public let followers: Int
    public let viewerFollows: Bool
    public let viewerLevel: CommunityNotificationLevel?
    public let mayRead: Bool
    public let mayContribute: Bool
    public let mayManage: Bool
    public let mayLead: Bool

    public static func == (a: CommunityHome, b: CommunityHome) -> Bool {
        a.community == b.community && a.featured == b.featured && a.latest == b.latest && a.popular == b.popular
            && a.newMembers == b.newMembers && a.popularMembers == b.popularMembers
    }
}

/// A community suggested to a member, with the reason.
public struct CommunitySuggestion: Sendable, Equatable {
    public let community: Community
    /// How many people of the member's department are active in it.
    public let colleagues: Int
    public let members: Int
    /// One of the member's subjects its content is about, when that is why it is suggested.
    public var subject: String? = nil
}

extension Pollen {
    /// How far back "what's popular" and "who's popular" look.
    static let popularWindow: TimeInterval = 90 * 24 * 3600
    /// The most recently active items considered for "what's popular".
    static let popularCandidates = 300

    /// An item's place in "what's popular": what people did with it, discounted by its age.
    ///
    ///     engagement = 3·favourites + 2·comments + ratings·(mean stars − 2) + ln(1 + views)
    ///     popularity = engagement / (days since published + 2)^1.5
    ///
    /// Favourites and comments are deliberate acts, so they weigh most; a rating counts for the item when it
    /// is above two stars and against it below (a one-star rating is a warning, not engagement); views grow
    /// only logarithmically, so being opened often cannot outweigh being valued. Dividing by age to the power
    /// 1.5 (the "gravity" news sites use) lets a fresh item with some engagement pass an old one with more,
    /// so the list changes from week to week. Age counts in days, not hours as on a news site: learning
    /// content stays useful for weeks, and an article from yesterday with a favourite and a good rating must
    /// not lose to one opened once a minute ago. The two days keep a brand-new item from dividing by nearly
    /// nothing.
    public static func popularity(of item: CommunityItem, at now: Date) -> Double {
        let counts = item.counts
        let ratings = Double(counts.ratingTotal) - 2 * Double(counts.ratings)
        let engagement = 3 * Double(counts.favourites) + 2 * Double(counts.comments) + ratings + log(1 + Double(counts.views))
        let days = max(0, now.timeIntervalSince(item.publishedAt ?? item.createdAt) / 86_400)
        return engagement / pow(days + 2, 1.5)
    }

    /// The community's home page.
    public func communityHome(slug: String, viewer actor: Actor) async throws -> CommunityHome {
        let viewer = try activeMember(actor)
        let now = time.now()
        return try await store.read { repos in
            let (community, membership) = try await Self.visibleCommunity(slug, viewer: viewer, repos: repos)
            let id = community.id
            let mayRead = AccessPolicy.mayRead(community, membership: membership, viewer: viewer)
            let mayManage = AccessPolicy.mayManage(community, membership: membership, by: viewer)
            let count = try await repos.communities.memberCounts([id])[id] ?? 0
            let view = CommunityView(community: community, viewerMembership: membership, memberCount: count)
            let leaders = try await repos.communities.members(of: id, state: .active, limit: 12, offset: 0)
                .filter { $0.membership.role >= .sme }
            var featured: [CommunityItem] = []
            var news: [CommunityItem] = []
            var latest: [CommunityItem] = []
            var popular: [(CommunityItem, Double)] = []
            var open: [CommunityItem] = []
            var unanswered: [(question: Question, author: Member)] = []
            var newMembers: [Member] = []
            var popularMembers: [Member] = []
            if mayRead {
                let base = CommunityItemQuery(community: id, liveAt: now, limit: 5)
                var query = base
                query.featuredOnly = true
                featured = try await repos.communityContent.items(query).items
                    .sorted { ($0.feature?.at ?? .distantPast) > ($1.feature?.at ?? .distantPast) }
                query = base
                query.announcementsOnly = true
                query.limit = 3
                news = try await repos.communityContent.items(query).items
                query = base
                query.limit = 8
                latest = try await repos.communityContent.items(query).items.filter { !$0.announcement }
                query = base
                query.order = .active
                query.limit = Self.popularCandidates
                popular = try await repos.communityContent.items(query).items
                    .filter { now.timeIntervalSince($0.publishedAt ?? $0.createdAt) <= Self.popularWindow }
                    .map { ($0, Self.popularity(of: $0, at: now)) }
                    .filter { $0.1 > 0 }
                    .sorted { $0.1 > $1.1 }
                    .prefix(5).map { $0 }
                query = base
                query.unansweredOnly = true
                query.limit = 50
                open = Array(try await repos.communityContent.items(query).items.reversed().prefix(5))
                let questions = try await repos.questions.list(
                    QuestionQuery(queue: .unanswered, member: viewer.id, community: id, limit: 5), visibleTo: nil)
                let askers = try await Self.membersByID(questions.items.map(\.authorID), repos: repos)
                unanswered = questions.items.compactMap { q in askers[q.authorID].map { (q, $0) } }
                newMembers = try await repos.communities.newestMembers(of: id, limit: 6).map(\.member).filter { !$0.isSuspended }
                let contributors = try await repos.communityContent.popularContributors(
                    in: id, since: now.addingTimeInterval(-Self.popularWindow), limit: 6)
                let people = try await Self.membersByID(contributors.map(\.member), repos: repos)
                popularMembers = contributors.compactMap { people[$0.member] }.filter { !$0.isSuspended }
            }
            let all = featured + news + latest + popular.map(\.0) + open
            let communities = [community]
            let summaries = try await Self.summaries(all.uniqued(by: \.id), communities: communities, repos: repos)
            let byID = Dictionary(uniqueKeysWithValues: summaries.map { ($0.item.id, $0) })
            return CommunityHome(
                community: view,
                featured: featured.compactMap { byID[$0.id] },
                news: news.compactMap { byID[$0.id] },
                latest: latest.compactMap { byID[$0.id] },
                popular: popular.compactMap { entry in
                    byID[entry.0.id].map { var summary = $0; summary.popularity = entry.1; return summary }
                },
                openQuestions: open.compactMap { byID[$0.id] }, unansweredQuestions: unanswered,
                newMembers: newMembers, popularMembers: popularMembers, leaders: leaders,
                pendingRequests: mayManage
                    ? try await repos.communities.members(of: id, state: .requested, limit: 100, offset: 0).count : 0,
                followers: try await repos.communities.followerCounts([id])[id] ?? 0,
                viewerFollows: try await repos.communities.isFollowing(id, by: viewer.id),
                viewerLevel: try await repos.communities.notificationLevels(in: id, of: [viewer.id])[viewer.id],
                mayRead: mayRead,
                mayContribute: AccessPolicy.mayContribute(to: community, membership: membership, by: viewer),
                mayManage: mayManage,
                mayLead: AccessPolicy.mayLead(community, membership: membership, by: viewer))
        }
    }

    /// The communities the member is in, by name.
    public func myCommunities(viewer actor: Actor) async throws -> [(community: Community, membership: CommunityMember)] {
        let viewer = try activeMember(actor)
        return try await store.read { repos in try await repos.communities.communities(of: viewer.id) }
    }

    /// The communities someone is active in, as `viewer` may see them (a private one only when the viewer
    /// is in it too, or an administrator), by name.
    public func communities(of memberID: Member.ID, viewer actor: Actor) async throws
        -> [(community: Community, membership: CommunityMember)]
    {
        let viewer = try activeMember(actor)
        return try await store.read { repos in
            var shown: [(community: Community, membership: CommunityMember)] = []
            for entry in try await repos.communities.communities(of: memberID) {
                let mine = memberID == viewer.id
                    ? entry.membership : try await repos.communities.membership(of: viewer.id, in: entry.community.id)
                if AccessPolicy.mayRead(entry.community, membership: mine, viewer: viewer) { shown.append(entry) }
            }
            return shown
        }
    }

    /// Communities where people of the member's department are ("4 people of Finance are in …"), then those
    /// whose content is about the member's subjects; with neither, the largest open ones.
    public func suggestedCommunities(limit: Int = 6, viewer actor: Actor) async throws -> [CommunitySuggestion] {
        let viewer = try activeMember(actor)
        let limit = min(max(limit, 1), 20)
        return try await store.read { repos in
            // More candidates than shown, so that one matching a subject is among them to be lifted.
            let found = try await repos.communities.suggested(for: viewer.id, department: viewer.profile.department, limit: 4 * limit)
            var subjectOf: [Community.ID: String] = [:]
            for subject in viewer.profile.subjects.prefix(10) {
                for match in try await repos.communities.communities(about: [subject], visibleTo: nil, limit: limit)
                where subjectOf[match.community.id] == nil {
                    subjectOf[match.community.id] = subject
                }
            }
            // Colleagues are the stronger reason; a subject match lifts a community above those with neither.
            let ranked = found.enumerated().sorted { a, b in
                let ka = (a.element.colleagues > 0 ? 0 : subjectOf[a.element.community.id] != nil ? 1 : 2, a.offset)
                let kb = (b.element.colleagues > 0 ? 0 : subjectOf[b.element.community.id] != nil ? 1 : 2, b.offset)
                return ka < kb
            }.map(\.element).prefix(limit)
            let counts = try await repos.communities.memberCounts(ranked.map(\.community.id))
            return ranked.map {
                CommunitySuggestion(
                    community: $0.community, colleagues: $0.colleagues, members: counts[$0.community.id] ?? 0,
                    subject: subjectOf[$0.community.id])
            }
        }
    }

    /// Communities whose content is about a subject, the most items first (the subject page lists them).
    public func communitiesAbout(_ tag: String, limit: Int = 6, viewer actor: Actor) async throws -> [(community: Community, items: Int)] {
        let viewer = try activeMember(actor)
        let tag = ProfileRules.normalizedTag(tag)
        guard !tag.isEmpty else { return [] }
        return try await store.read { repos in
            try await repos.communities.communities(about: [tag], visibleTo: viewer.isAdmin ? nil : viewer.id, limit: min(max(limit, 1), 20))
        }
    }
}
