import Foundation

/// What a member types to record or edit a value story.
public struct ValueStoryDraft: Sendable, Equatable {
    public var title: String
    /// The community's address, or nil (or empty) for a story of the organization.
    public var community: String?
    public var steps: [ValueStepDraft]

    public init(title: String, community: String? = nil, steps: [ValueStepDraft] = []) {
        self.title = title
        self.community = community
        self.steps = steps
    }

    public func step(_ cycle: ValueCycle) -> ValueStepDraft? { steps.first { $0.cycle == cycle } }
}

public struct ValueStepDraft: Sendable, Equatable {
    public var cycle: ValueCycle
    public var narrative: String
    /// Pollen addresses as pasted (`/questions/12#answer-34`, `/@ada`) or references (`answer:34`).
    public var links: [String]

    public init(cycle: ValueCycle, narrative: String, links: [String] = []) {
        self.cycle = cycle
        self.narrative = narrative
        self.links = links
    }
}

/// Something a story links to, as one viewer may see it.
public struct ValueLink: Sendable, Equatable {
    public let target: ContentRef
    /// A title, or an excerpt for content without one; a person's name.
    public let title: String
    /// Where it is read on the web.
    public let path: String
}

/// A story as a viewer reads it: links they may not see are left out (and counted).
public struct ValueStoryView: Sendable {
    public struct Step: Sendable {
        public let cycle: ValueCycle
        public let narrative: String
        public let links: [ValueLink]
        /// Links to what the viewer may not see.
        public let unseenLinks: Int
    }
    public let story: ValueStory
    public let author: Member
    public let community: Community?
    public let steps: [Step]
    public let mayEdit: Bool
}

/// A story in a list, with its author and community.
public struct ValueStorySummary: Sendable {
    public let story: ValueStory
    public let author: Member
    public let community: Community?
}

/// One page of stories, and the community they were filtered by.
public struct ValueStoryList: Sendable {
    public let stories: [ValueStorySummary]
    public let community: Community?
    /// The communities the viewer is in, to filter by.
    public let communities: [Community]
    public let hasMore: Bool
}

extension Pollen {
    public static let valueStoryTitleLength = 3...200
    public static let valueNarrativeMax = 10_000
    public static let valueLinksPerStep = 10
    static let maxStoryListPage = 50

    /// Records a story. The title is required, and at least one step with a narrative; every link must point at
    /// something the author may see. A story of a community is recorded by its members.
    @discardableResult
    public func recordValueStory(_ draft: ValueStoryDraft, by actor: Actor) async throws -> ValueStory {
        let author = try activeMember(actor)
        let (title, steps) = try Self.validStory(draft)
        let now = time.now()
        let id = ValueStory.ID(ids.next())
        let caseID = ids.next()
        return try await store.write { repos in
            let community = try await Self.storyCommunity(draft.community, author: author, repos: repos)
            let story = ValueStory(
                id: id, authorID: author.id, communityID: community?.id, title: title,
                steps: try await Self.resolvedSteps(steps, author: author, at: now, repos: repos), createdAt: now)
            try await repos.value.insertStory(story)
            try await Self.screenEdit(Self.storyText(story), of: ContentRef(.story, id.rawValue), by: author, caseID: caseID, at: now, repos: repos)
            return story
        }
    }

    /// The author changes their story (its community too, within the communities they are in).
    @discardableResult
    public func editValueStory(_ id: ValueStory.ID, _ draft: ValueStoryDraft, by actor: Actor) async throws -> ValueStory {
        let author = try activeMember(actor)
        let (title, steps) = try Self.validStory(draft)
        let now = time.now()
        let caseID = ids.next()
        return try await store.write { repos in
            var (story, _, _) = try await Self.visibleStory(id, viewer: author, repos: repos)
            try AccessPolicy.require(AccessPolicy.mayEdit(story, by: author))
            let community = try await Self.storyCommunity(draft.community, author: author, repos: repos)
            story.title = title
            story.communityID = community?.id
            story.steps = try await Self.resolvedSteps(steps, author: author, at: now, repos: repos)
            story.updatedAt = now
            try await repos.value.updateStory(story)
            try await Self.screenEdit(Self.storyText(story), of: ContentRef(.story, id.rawValue), by: author, caseID: caseID, at: now, repos: repos)
            return story
        }
    }

    public func deleteValueStory(_ id: ValueStory.ID, by actor: Actor) async throws {
        let author = try activeMember(actor)
        try await store.write { repos in
            let (story, _, _) = try await Self.visibleStory(id, viewer: author, repos: repos)
            try AccessPolicy.require(AccessPolicy.mayEdit(story, by: author))
            try await repos.value.deleteStory(id)
        }
    }

    /// A story with the links the viewer may see.
    public func valueStory(_ id: ValueStory.ID, viewer actor: Actor) async throws -> ValueStoryView {
        let viewer = try activeMember(actor)
        let now = time.now()
        return try await store.read { repos in
            let (story, community, _) = try await Self.visibleStory(id, viewer: viewer, repos: repos)
            guard let author = try await repos.members.find(id: story.authorID) else { throw DomainError.notFound("Value story") }
            var steps: [ValueStoryView.Step] = []
            for step in story.steps {
                var links: [ValueLink] = []
                for target in step.links {
                    if let link = try await Self.visibleLink(target, viewer: viewer, at: now, repos: repos) { links.append(link) }
                }
                steps.append(.init(cycle: step.cycle, narrative: step.narrative, links: links, unseenLinks: step.links.count - links.count))
            }
            return ValueStoryView(
                story: story, author: author, community: community, steps: steps, mayEdit: AccessPolicy.mayEdit(story, by: viewer))
        }
    }

    /// The author's story as the edit form shows it: links as the addresses they were pasted as.
    public func valueStoryDraft(_ id: ValueStory.ID, viewer actor: Actor) async throws -> ValueStoryDraft {
        let viewer = try activeMember(actor)
        let now = time.now()
        return try await store.read { repos in
            let (story, community, _) = try await Self.visibleStory(id, viewer: viewer, repos: repos)
            try AccessPolicy.require(AccessPolicy.mayEdit(story, by: viewer))
            var steps: [ValueStepDraft] = []
            for step in story.steps {
                var links: [String] = []
                for target in step.links {
                    // Something the author can no longer see stays as its reference: saving says why it cannot stay.
                    links.append(try await Self.visibleLink(target, viewer: viewer, at: now, repos: repos)?.path ?? target.description)
                }
                steps.append(ValueStepDraft(cycle: step.cycle, narrative: step.narrative, links: links))
            }
            return ValueStoryDraft(title: story.title, community: community?.slug, steps: steps)
        }
    }

    /// Stories the viewer may see, newest first, optionally of one community.
    public func valueStories(community slug: String? = nil, before: ValueStory.ID? = nil, limit: Int = 20, viewer actor: Actor)
        async throws -> ValueStoryList
    {
        let viewer = try activeMember(actor)
        let size = max(1, min(limit, Self.maxStoryListPage))
        return try await store.read { repos in
            var community: Community?
            if let slug, !slug.isEmpty { community = try await Self.readableCommunity(slug.lowercased(), viewer: viewer, repos: repos).0 }
            let found = try await repos.value.stories(
                visibleTo: viewer.id, readsEveryCommunity: viewer.isAdmin, community: community?.id, before: before, limit: size + 1)
            var access = StoryAccess(viewer: viewer)
            var shown: [ValueStory] = []
            for story in found.prefix(size) where try await access.maySee(story, repos: repos) { shown.append(story) }
            let authors = try await Self.membersByID(shown.map(\.authorID), repos: repos)
            let mine = try await repos.communities.communities(of: viewer.id).filter { $0.membership.isActive }.map(\.community)
            return ValueStoryList(
                stories: shown.compactMap { story in
                    authors[story.authorID].map {
                        ValueStorySummary(story: story, author: $0, community: story.communityID.flatMap { access.communities[$0] ?? nil })
                    }
                },
                community: community, communities: mine, hasMore: found.count > size)
        }
    }

    // MARK: Helpers

    /// The story and its community, or not found when the viewer may not see it.
    static func visibleStory(_ id: ValueStory.ID, viewer: Member, repos: any Repositories) async throws
        -> (ValueStory, Community?, CommunityMember?)
    {
        guard let story = try await repos.value.story(id: id) else { throw DomainError.notFound("Value story") }
        let community = try await story.communityID.asyncMap { try await repos.communities.find(id: $0) } ?? nil
        let membership = try await community.asyncMap { try await repos.communities.membership(of: viewer.id, in: $0.id) } ?? nil
        guard AccessPolicy.maySee(story, community: community, membership: membership, viewer: viewer) else {
            throw DomainError.notFound("Value story")
        }
        return (story, community, membership)
    }

    /// What the viewer may see of a link target, or nil (gone, private, withheld).
    static func visibleLink(_ target: ContentRef, viewer: Member, at now: Date, repos: any Repositories) async throws -> ValueLink? {
        guard PollenAddress.linkKinds.contains(target.kind) else { return nil }
        let content: ContentSnapshot
        do {
            content = try await visibleContent(target, viewer: viewer, at: now, repos: repos)
        } catch let error as DomainError where error.code == .notFound {
            return nil
        }
        // Moderation reads deleted answers (its cases outlive them); a story does not link to them.
        if target.kind == .answer, try await repos.questions.answer(id: Answer.ID(target.id))?.deletedAt != nil { return nil }
        return ValueLink(target: target, title: linkTitle(content), path: content.path)
    }

    static func linkTitle(_ content: ContentSnapshot) -> String {
        if !content.title.isEmpty { return content.title }
        let words = content.body.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return "“" + (words.count > 80 ? String(words.prefix(79)) + "…" : words) + "”"
    }

    /// The story's community by address (members record stories there), or nil for the organization.
    static func storyCommunity(_ slug: String?, author: Member, repos: any Repositories) async throws -> Community? {
        guard let slug = slug?.trimmingCharacters(in: .whitespaces).lowercased(), !slug.isEmpty else { return nil }
        let (community, membership) = try await readableCommunity(slug, viewer: author, repos: repos)
        guard AccessPolicy.mayContribute(to: community, membership: membership, by: author) else {
            throw DomainError(.forbidden, "Only members of \(community.name) record stories there; join it, or record the story for the organization.", field: "community")
        }
        return community
    }

    /// Checks a draft's shape (not its links, which need the database): the title and the steps' texts.
    static func validStory(_ draft: ValueStoryDraft) throws -> (String, [ValueStepDraft]) {
        let title = draft.title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard valueStoryTitleLength.contains(title.count) else {
            throw DomainError.invalid(
                "Give the story a title of \(valueStoryTitleLength.lowerBound) to \(valueStoryTitleLength.upperBound) characters.",
                field: "title")
        }
        var steps: [ValueStepDraft] = []
        for cycle in ValueCycle.allCases {
            guard let raw = draft.step(cycle) else { continue }
            let links = raw.links.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
            let narrative = try validText(
                raw.narrative, max: valueNarrativeMax, name: "The \(cycle.rawValue) step", field: "narrative_\(cycle.rawValue)",
                allowEmpty: true)
            if narrative.isEmpty {
                guard links.isEmpty else {
                    throw DomainError.invalid(
                        "Say what happened at the \(cycle.rawValue) step, or leave its links out.", field: "narrative_\(cycle.rawValue)")
                }
                continue
            }
            guard links.count <= valueLinksPerStep else {
                throw DomainError.invalid("Link at most \(valueLinksPerStep) things to one step.", field: "links_\(cycle.rawValue)")
            }
            steps.append(ValueStepDraft(cycle: cycle, narrative: narrative, links: links))
        }
        guard !steps.isEmpty else {
            throw DomainError.invalid(
                "Tell at least one step of the story: what happened, and what it was worth.", field: "narrative_immediate")
        }
        return (title, steps)
    }

    /// The steps with their links resolved: each must be a Pollen address of something the author may see.
    static func resolvedSteps(_ drafts: [ValueStepDraft], author: Member, at now: Date, repos: any Repositories) async throws
        -> [ValueStep]
    {
        var steps: [ValueStep] = []
        for draft in drafts {
            let field = "links_\(draft.cycle.rawValue)"
            var links: [ContentRef] = []
            for text in draft.links {
                guard let address = PollenAddress.parse(text) else {
                    throw DomainError.invalid(
                        "“\(text)” is not a Pollen address: paste the address of a post, a community item, a question or an answer, or a person (/@handle).",
                        field: field)
                }
                let cannotSee = DomainError.invalid(
                    "You cannot link to “\(text)”: it does not exist, or you cannot see it.", field: field)
                let target: ContentRef
                switch address {
                case .content(let ref): target = ref
                case .person(let handle):
                    guard let person = try await repos.members.find(handle: handle) else { throw cannotSee }
                    target = ContentRef(.profile, person.id.rawValue)
                }
                guard try await visibleLink(target, viewer: author, at: now, repos: repos) != nil else { throw cannotSee }
                if !links.contains(target) { links.append(target) }
            }
            steps.append(ValueStep(cycle: draft.cycle, narrative: draft.narrative, links: links))
        }
        return steps
    }

    /// The story's words, for the watched-words screening.
    static func storyText(_ story: ValueStory) -> String {
        ([story.title] + story.steps.map(\.narrative)).joined(separator: "\n")
    }
}

/// Decides which stories a viewer may see, reading each community and membership once.
struct StoryAccess {
    let viewer: Member
    var communities: [Community.ID: Community?] = [:]
    var memberships: [Community.ID: CommunityMember?] = [:]

    init(viewer: Member) { self.viewer = viewer }

    mutating func maySee(_ story: ValueStory, repos: any Repositories) async throws -> Bool {
        guard let id = story.communityID else {
            return AccessPolicy.maySee(story, community: nil, membership: nil, viewer: viewer)
        }
        if communities[id] == nil {
            communities[id] = try await repos.communities.find(id: id)
            memberships[id] = try await repos.communities.membership(of: viewer.id, in: id)
        }
        guard let community = communities[id] ?? nil else { return false }
        return AccessPolicy.maySee(story, community: community, membership: memberships[id] ?? nil, viewer: viewer)
    }
}
