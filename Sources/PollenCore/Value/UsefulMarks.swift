import Foundation

/// Something a member marked useful, with what they may still see of it.
public struct UsefulThing: Sendable, Equatable {
    public let mark: UsefulMark
    public let link: ValueLink
}

/// What a page shows beside a piece of content: whether the viewer marked it useful, and the value stories it is
/// part of that the viewer may see.
public struct ValueContext: Sendable, Equatable {
    public var marked = false
    public var stories: [ValueStory] = []

    public init(marked: Bool = false, stories: [ValueStory] = []) {
        self.marked = marked
        self.stories = stories
    }
}

extension Pollen {
    /// What may be marked useful: the pieces people put to use (a question is asked, not used).
    public static let markableKinds: Set<ContentRef.Kind> = [.item, .answer, .post]
    /// When the member is asked whether they used what they marked: a month, then three months after.
    public static let firstPromptAfter: TimeInterval = 30 * 86_400
    public static let lastPromptAfter: TimeInterval = 90 * 86_400
    public static let promptNoteMax = 280
    /// Marks read per round of prompting; rounds repeat until none is due.
    static let promptBatch = 200

    /// Marks (or unmarks) something the viewer may see as useful to them. Marking twice, or unmarking what was not
    /// marked, changes nothing. Unmarking also ends the prompts about it.
    @discardableResult
    public func setUseful(_ on: Bool, _ target: ContentRef, by actor: Actor) async throws -> Bool {
        let member = try activeMember(actor)
        guard Self.markableKinds.contains(target.kind) else {
            throw DomainError.invalid("Only community content, answers and posts can be marked useful.", field: "target")
        }
        let now = time.now()
        let id = UsefulMark.ID(ids.next())
        return try await store.write { repos in
            guard on else {
                _ = try await repos.value.deleteMark(of: member.id, on: target)
                return false
            }
            let content = try await Self.visibleContent(target, viewer: member, at: now, repos: repos)
            if target.kind == .answer, try await repos.questions.answer(id: Answer.ID(target.id))?.deletedAt != nil {
                throw DomainError.notFound("Answer")
            }
            guard AccessPolicy.mayMarkUseful(authoredBy: content.authorID, by: member) else {
                throw DomainError.invalid("You cannot mark your own \(target.kind.noun) useful.", field: "target")
            }
            _ = try await repos.value.insertMark(UsefulMark(
                id: id, memberID: member.id, target: target, communityID: content.communityID, createdAt: now,
                nextPromptAt: now.addingTimeInterval(Self.firstPromptAfter)))
            return true
        }
    }

    /// For each piece of content a page shows: whether the viewer marked it useful, and the stories it is part of.
    public func valueContext(for targets: [ContentRef], viewer actor: Actor) async throws -> [ContentRef: ValueContext] {
        let viewer = try activeMember(actor)
        guard !targets.isEmpty else { return [:] }
        return try await store.read { repos in
            var result: [ContentRef: ValueContext] = [:]
            for (target, _) in try await repos.value.marks(of: viewer.id, on: targets) { result[target, default: ValueContext()].marked = true }
            var access = StoryAccess(viewer: viewer)
            for (target, story) in try await repos.value.stories(linking: targets, limit: 500) {
                guard try await access.maySee(story, repos: repos) else { continue }
                var context = result[target, default: ValueContext()]
                if !context.stories.contains(where: { $0.id == story.id }) { context.stories.append(story) }
                result[target] = context
            }
            return result
        }
    }

    /// The things the viewer marked useful and may still see, newest first: their list, and the story form's picker.
    public func usefulThings(limit: Int = 50, viewer actor: Actor) async throws -> [UsefulThing] {
        let viewer = try activeMember(actor)
        let now = time.now()
        return try await store.read { repos in
            var things: [UsefulThing] = []
            for mark in try await repos.value.marks(of: viewer.id, limit: max(1, min(limit, 200))) {
                if let link = try await Self.visibleLink(mark.target, viewer: viewer, at: now, repos: repos) {
                    things.append(UsefulThing(mark: mark, link: link))
                }
            }
            return things
        }
    }

    /// One of the viewer's marks, as its prompt page shows it; nobody else's.
    public func usefulThing(_ id: UsefulMark.ID, viewer actor: Actor) async throws -> UsefulThing {
        let viewer = try activeMember(actor)
        let now = time.now()
        return try await store.read { repos in
            guard let mark = try await repos.value.mark(id: id), mark.memberID == viewer.id,
                let link = try await Self.visibleLink(mark.target, viewer: viewer, at: now, repos: repos)
            else { throw DomainError.notFound("Useful mark") }
            return UsefulThing(mark: mark, link: link)
        }
    }

    /// The member answers a prompt: not used, used (with an optional one-line note), or used and told as a story.
    /// No prompt about it follows.
    @discardableResult
    public func answerValuePrompt(_ id: UsefulMark.ID, _ outcome: UsefulMark.Outcome, note raw: String = "", by actor: Actor)
        async throws -> UsefulMark
    {
        let member = try activeMember(actor)
        let note = raw.split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: .whitespaces)
        guard note.count <= Self.promptNoteMax else {
            throw DomainError.invalid("Keep the note to one line (at most \(Self.promptNoteMax) characters).", field: "note")
        }
        let now = time.now()
        return try await store.write { repos in
            guard var mark = try await repos.value.mark(id: id), mark.memberID == member.id else {
                throw DomainError.notFound("Useful mark")
            }
            try await repos.value.answerPrompt(id, outcome: outcome, note: note, at: now)
            mark.outcome = outcome
            mark.note = note
            mark.answeredAt = now
            mark.nextPromptAt = nil
            return mark
        }
    }

    /// The story form for a marked thing: an applied-value step linked to it, in its community when the member
    /// is in it.
    public func valueStoryDraft(fromMark id: UsefulMark.ID, viewer actor: Actor) async throws -> ValueStoryDraft {
        let thing = try await usefulThing(id, viewer: actor)
        let viewer = try activeMember(actor)
        let slug = try await store.read { repos -> String? in
            guard let communityID = thing.mark.communityID, let community = try await repos.communities.find(id: communityID) else { return nil }
            let membership = try await repos.communities.membership(of: viewer.id, in: communityID)
            return AccessPolicy.mayContribute(to: community, membership: membership, by: viewer) ? community.slug : nil
        }
        return ValueStoryDraft(
            title: "", community: slug, steps: [ValueStepDraft(cycle: .applied, narrative: "", links: [thing.link.path])])
    }

    /// Asks members about what they marked useful a month and three months ago: one notification per prompt, sent
    /// once (a server that was down through both sends only the later). No prompt goes out after the member
    /// answered or unmarked, nor about something they may no longer see. Answers how many were sent.
    @discardableResult
    public func sendValuePrompts(now: Date) async throws -> Int {
        var sent = 0
        while true {
            let due = try await store.read { repos in try await repos.value.marksDue(at: now, limit: Self.promptBatch) }
            for mark in due {
                let notificationID = ids.next()
                let told = try await store.write { repos -> Bool in
                    let last = mark.createdAt.addingTimeInterval(Self.lastPromptAfter)
                    let number = now >= last ? 2 : mark.promptsSent + 1
                    guard try await repos.value.recordPrompt(mark.id, sent: mark.promptsSent, number: number, next: number == 1 ? last : nil)
                    else { return false }
                    guard let member = try await repos.members.find(id: mark.memberID), !member.isSuspended,
                        try await Self.visibleLink(mark.target, viewer: member, at: now, repos: repos) != nil
                    else {
                        // What they may no longer see is not asked about, now or later.
                        _ = try await repos.value.recordPrompt(mark.id, sent: number, number: number, next: nil)
                        return false
                    }
                    try await repos.notifications.insert(MemberNotification(
                        id: MemberNotification.ID(notificationID), memberID: member.id, kind: .valuePrompt, actorID: member.id,
                        postID: nil, markID: mark.id, createdAt: now))
                    return true
                }
                if told { sent += 1 }
            }
            // Every mark read has left the due list (or another server took it), so a short batch was the last.
            if due.count < Self.promptBatch { return sent }
        }
    }
}
