import Foundation

/// What one decision in a review queue asks for.
public struct ModerationDecision: Sendable {
    public var action: ModerationCase.Action
    /// Which guideline the content broke, shown to the author with `reason`.
    public var rule: String
    public var reason: String
    /// For ``ModerationCase/Action/silence``.
    public var silenceDays: Int
    /// For ``ModerationCase/Action/retag``.
    public var tags: [String]
    /// For ``ModerationCase/Action/move``: the community's address.
    public var moveTo: String

    public init(
        action: ModerationCase.Action, rule: String = "", reason: String = "", silenceDays: Int = 0, tags: [String] = [],
        moveTo: String = ""
    ) {
        self.action = action
        self.rule = rule
        self.reason = reason
        self.silenceDays = silenceDays
        self.tags = tags
        self.moveTo = moveTo
    }
}

/// A review queue: the organization's (moderators) or one community's (its managers).
public struct ReviewQueue: Sendable {
    public let community: Community?
    public let cases: [CaseView]
    /// Whether the viewer may silence authors (moderators) and suspend them (administrators).
    public let maySilence: Bool
    public let maySuspend: Bool
}

/// A case as its author (or a moderator) reads it: what happened and whether an appeal is open.
public struct ModerationNotice: Sendable {
    public let moderationCase: ModerationCase
    public let content: ContentSnapshot?
    public let isAuthor: Bool
    public let mayDecideAppeal: Bool
}

extension Pollen {
    static let maxFlagNote = 1000
    static let maxModerationReason = 2000
    static let queueLimit = 200

    // MARK: Flags

    /// Reports content (or a profile) as breaking the rules. The flagger must be able to see it; one open flag per
    /// member and piece. The content goes to its community's queue (or the organization's) on one case.
    @discardableResult
    public func flag(_ target: ContentRef, reason: FlagReason, note rawNote: String = "", by actor: Actor) async throws -> ContentFlag {
        let member = try activeMember(actor)
        let note = rawNote.trimmingCharacters(in: .whitespacesAndNewlines)
        if reason == .other && note.isEmpty {
            throw DomainError.invalid("Say what is wrong when you choose “Something else”.", field: "note")
        }
        if note.count > Self.maxFlagNote {
            throw DomainError.invalid("The note is too long (at most \(Self.maxFlagNote) characters).", field: "note")
        }
        let now = time.now()
        let flagID = ids.next()
        let caseID = ids.next()
        return try await store.write { repos in
            let content = try await Self.visibleContent(target, viewer: member, at: now, repos: repos)
            if content.authorID == member.id {
                throw DomainError.invalid("You cannot flag your own \(target.kind.noun).")
            }
            let moderationCase = try await Self.openCase(
                for: content, source: .flags, id: caseID, at: now, repos: repos)
            let flag = ContentFlag(
                id: ContentFlag.ID(flagID), target: target, caseID: moderationCase.id, flaggerID: member.id, reason: reason,
                note: note, createdAt: now)
            guard try await repos.moderation.insertFlag(flag) else {
                throw DomainError(.conflict, "You have flagged this already; moderators will look at it.")
            }
            return flag
        }
    }

    /// The content behind `target` if `viewer` may see it, else not found (private content does not exist for them).
    static func visibleContent(_ target: ContentRef, viewer: Member, at now: Date, repos: any Repositories) async throws
        -> ContentSnapshot
    {
        guard let content = try await repos.moderation.snapshot(of: target) else {
            throw DomainError.notFound(target.kind.noun.capitalizedFirst)
        }
        let notFound = DomainError.notFound(target.kind.noun.capitalizedFirst)
        switch target.kind {
        case .post:
            _ = try await visiblePost(Post.ID(target.id), viewer: viewer, repos: repos)
        case .item, .revision:
            _ = try await visibleItem(CommunityItem.ID(target.id), viewer: viewer, at: now, repos: repos)
        case .comment:
            guard let comment = try await repos.communityContent.comment(id: CommunityComment.ID(target.id)), comment.deletedAt == nil
            else { throw notFound }
            _ = try await visibleItem(comment.itemID, viewer: viewer, at: now, repos: repos)
        case .question, .answer, .qaComment:
            guard let questionID = content.questionID else { throw notFound }
            _ = try await visibleQuestion(questionID, viewer: viewer, repos: repos)
        case .profile:
            guard let member = try await repos.members.find(id: Member.ID(target.id)),
                AccessPolicy.maySeeProfile(of: member, by: .member(viewer))
            else { throw notFound }
        case .story:
            _ = try await visibleStory(ValueStory.ID(target.id), viewer: viewer, repos: repos)
        }
        if content.withholding != nil && content.authorID != viewer.id && !viewer.isModerator {
            var manages = false
            if let id = content.communityID, let community = try await repos.communities.find(id: id) {
                let membership = try await repos.communities.membership(of: viewer.id, in: id)
                manages = AccessPolicy.mayManage(community, membership: membership, by: viewer)
            }
            if !manages { throw notFound }
        }
        return content
    }

    /// The open case of the content, opened now with `source` if there was none.
    static func openCase(
        for content: ContentSnapshot, source: ModerationCase.Source, id: Int64, at now: Date, repos: any Repositories
    ) async throws -> ModerationCase {
        if let open = try await repos.moderation.openCase(for: content.target) { return open }
        let moderationCase = ModerationCase(
            id: ModerationCase.ID(id), target: content.target, communityID: content.communityID, authorID: content.authorID,
            source: source, openedAt: now)
        try await repos.moderation.insertCase(moderationCase)
        return moderationCase
    }

    // MARK: Queues

    /// The organization's queue: every open case outside private communities (administrators see those too).
    public func reviewQueue(viewer actor: Actor) async throws -> ReviewQueue {
        let viewer = try activeMember(actor)
        try AccessPolicy.require(AccessPolicy.mayModerate(viewer))
        let now = time.now()
        return try await store.read { repos in
            let cases = try await repos.moderation.openCases(community: nil, excludingPrivate: !viewer.isAdmin, limit: Self.queueLimit)
            return ReviewQueue(
                community: nil, cases: try await Self.caseViews(cases, repos: repos, at: now),
                maySilence: true, maySuspend: viewer.isAdmin)
        }
    }

    /// One community's queue, for its managers (and moderators, administrators).
    public func reviewQueue(community slug: String, viewer actor: Actor) async throws -> ReviewQueue {
        let viewer = try activeMember(actor)
        let now = time.now()
        return try await store.read { repos in
            let (community, membership) = try await Self.readableCommunity(slug, viewer: viewer, repos: repos)
            try AccessPolicy.require(AccessPolicy.mayModerate(community, membership: membership, by: viewer))
            let cases = try await repos.moderation.openCases(community: community.id, excludingPrivate: false, limit: Self.queueLimit)
            return ReviewQueue(
                community: community, cases: try await Self.caseViews(cases, repos: repos, at: now),
                maySilence: viewer.isModerator, maySuspend: viewer.isAdmin)
        }
    }

    static func caseViews(_ cases: [ModerationCase], repos: any Repositories, at now: Date) async throws -> [CaseView] {
        var views: [CaseView] = []
        for moderationCase in cases {
            let flags = try await repos.moderation.flags(of: moderationCase.id).filter { $0.outcome == nil }
            let people = try await membersByID(flags.map(\.flaggerID) + [moderationCase.authorID], repos: repos)
            guard let author = people[moderationCase.authorID] else { continue }
            let record = try await repos.moderation.flaggerRecord(flags.map(\.flaggerID).uniqued())
            let decided = record.values.reduce(0) { $0 + $1.decided }
            let upheld = record.values.reduce(0) { $0 + $1.upheld }
            let history = try await repos.moderation.authorHistory(author.id)
            let community = try await moderationCase.communityID.asyncMap { try await repos.communities.find(id: $0) } ?? nil
            let content = try await repos.moderation.snapshot(of: moderationCase.target)
            views.append(CaseView(
                moderationCase: moderationCase, author: author, content: content, community: community,
                flags: flags.map { ($0, people[$0.flaggerID]) },
                flaggerAccuracy: decided > 0 ? Double(upheld) / Double(decided) : nil,
                history: AuthorHistory(
                    removals: history.removals, upheldFlags: history.upheldFlags, warnings: history.warnings,
                    memberSince: author.createdAt, silencedUntil: try await repos.moderation.silencedUntil(author.id).flatMap { $0 > now ? $0 : nil }),
                priority: priority(of: moderationCase, flags: flags, record: record, withholding: content?.withholding)))
        }
        return views.sorted { $0.priority != $1.priority ? $0.priority > $1.priority : $0.moderationCase.id < $1.moderationCase.id }
    }

    /// Each open flag counts by its flagger's record: (upheld + 1) / (decided + 2), a flagger with no record counting
    /// one half and one who is always right close to one, so many flags from reliable people come first and a
    /// habitual false flagger cannot push something up alone. Held content and appeals wait on a decision, so they
    /// get a floor of one flag; the oldest case wins ties.
    static func priority(
        of moderationCase: ModerationCase, flags: [ContentFlag], record: [Member.ID: (upheld: Int, decided: Int)],
        withholding: Withholding?
    ) -> Double {
        let weight = flags.reduce(0.0) { total, flag in
            let r = record[flag.flaggerID] ?? (0, 0)
            return total + Double(r.upheld + 1) / Double(r.decided + 2)
        }
        let waiting = withholding == .held || moderationCase.source == .appeal ? 1.0 : 0.0
        return weight + waiting
    }

    // MARK: Deciding

    /// Acts on a case. Community managers approve, hide, remove, retag, move and warn in their community;
    /// moderators do that everywhere and silence; administrators also suspend. The author is told, the flags
    /// are decided, and the act goes to the audit log.
    @discardableResult
    public func moderate(_ caseID: ModerationCase.ID, _ decision: ModerationDecision, by actor: Actor) async throws -> ModerationCase {
        let viewer = try activeMember(actor)
        let reason = decision.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        let rule = decision.rule.trimmingCharacters(in: .whitespacesAndNewlines)
        if reason.count > Self.maxModerationReason || rule.count > 200 {
            throw DomainError.invalid("The reason is too long (at most \(Self.maxModerationReason) characters).", field: "reason")
        }
        if [.remove, .hide, .warn, .silence, .suspend].contains(decision.action) && reason.isEmpty {
            throw DomainError.invalid("Say why: the author is told.", field: "reason")
        }
        if decision.action == .silence && !(1...365).contains(decision.silenceDays) {
            throw DomainError.invalid("Silence for 1 to 365 days.", field: "silence_days")
        }
        let now = time.now()
        let notificationID = ids.next()
        let auditID = ids.next()
        return try await store.write { repos in
            guard var moderationCase = try await repos.moderation.findCase(id: caseID) else {
                throw DomainError.notFound("Case")
            }
            let community = try await moderationCase.communityID.asyncMap { try await repos.communities.find(id: $0) } ?? nil
            let membership = try await community.asyncMap { try await repos.communities.membership(of: viewer.id, in: $0.id) } ?? nil
            // A private community's case does not exist for outsiders, as its content does not.
            if let community, !AccessPolicy.mayRead(community, membership: membership, viewer: viewer) {
                throw DomainError.notFound("Case")
            }
            try AccessPolicy.require(
                AccessPolicy.mayModerate(moderationCase, community: community, membership: membership, by: viewer))
            try AccessPolicy.require(AccessPolicy.mayTake(decision.action, on: moderationCase, by: viewer))
            // An appeal reopens its case, so a closed case (an appeal decided too) is final.
            guard moderationCase.isOpen else {
                throw DomainError(.conflict, "This case was decided already.")
            }
            let content = try await repos.moderation.snapshot(of: moderationCase.target)
            guard var author = try await repos.members.find(id: moderationCase.authorID) else { throw DomainError.notFound("Member") }
            var notify = true
            switch decision.action {
            case .approve:
                if let withholding = content?.withholding {
                    try await repos.moderation.setWithholding(nil, of: moderationCase.target, at: now)
                    try await Self.recount(moderationCase.target, by: 1, repos: repos)
                    if withholding == .held { try await Self.publishReleased(moderationCase.target, ids: ids, at: now, repos: repos) }
                } else {
                    notify = false
                }
                try await repos.moderation.decideFlags(of: moderationCase.id, .dismissed)
            case .hide, .remove:
                try await Self.takeDown(moderationCase.target, decision.action == .hide ? .hidden : .removed, at: now, repos: repos)
                // Counts follow what is in view: only content that was in view is taken off them.
                if content?.withholding == nil { try await Self.recount(moderationCase.target, by: -1, repos: repos) }
                try await repos.moderation.decideFlags(of: moderationCase.id, .upheld)
            case .retag:
                try await Self.retag(moderationCase.target, tags: decision.tags, repos: repos)
                notify = false
            case .move:
                guard moderationCase.target.kind == .item else {
                    throw DomainError.invalid("Only community content can be moved.", field: "move_to")
                }
                guard let destination = try await repos.communities.find(slug: decision.moveTo.lowercased()) else {
                    throw DomainError.invalid("There is no community at that address.", field: "move_to")
                }
                let destinationMembership = try await repos.communities.membership(of: viewer.id, in: destination.id)
                guard viewer.isModerator || AccessPolicy.mayManage(destination, membership: destinationMembership, by: viewer) else {
                    throw DomainError(.forbidden, "You can only move content into a community you manage.", field: "move_to")
                }
                try await repos.moderation.moveItem(CommunityItem.ID(moderationCase.target.id), to: destination.id)
                moderationCase.communityID = destination.id
            case .warn:
                break
            case .silence:
                try await repos.moderation.silence(author.id, until: now.addingTimeInterval(Double(decision.silenceDays) * 86_400))
                try await repos.moderation.decideFlags(of: moderationCase.id, .upheld)
            case .suspend:
                try AccessPolicy.require(AccessPolicy.maySuspend(author, by: actor))
                author.status = .suspended
                author.updatedAt = now
                try await repos.members.update(author)
                try await repos.sessions.deleteAll(memberID: author.id, except: nil)
                try await repos.oauth.revokeTokens(memberID: author.id, at: now)
                try await repos.moderation.decideFlags(of: moderationCase.id, .upheld)
            }
            if moderationCase.source == .appeal && [.approve, .remove, .hide].contains(decision.action) {
                // Deciding an appealed case decides the appeal: approving restores, removing again denies.
                moderationCase.appealState = decision.action == .approve ? .granted : .denied
            }
            if decision.action.closes {
                moderationCase.isOpen = false
                moderationCase.closedAt = now
                moderationCase.closedBy = viewer.id
            }
            if decision.action != .retag && decision.action != .move {
                moderationCase.action = decision.action
                moderationCase.rule = rule
                moderationCase.reason = reason
            }
            try await repos.moderation.updateCase(moderationCase)
            if notify && moderationCase.authorID != viewer.id {
                try await repos.notifications.insert(MemberNotification(
                    id: MemberNotification.ID(notificationID), memberID: moderationCase.authorID, kind: .moderation, actorID: viewer.id,
                    postID: nil, caseID: moderationCase.id, createdAt: now))
            }
            let targetName = [.warn, .silence, .suspend].contains(decision.action) ? "member:\(author.id)" : moderationCase.target.description
            try await repos.moderation.insertAudit(AuditEntry(
                id: AuditEntry.ID(auditID), actorID: viewer.id,
                action: [.warn, .silence, .suspend].contains(decision.action) ? "member.\(decision.action.rawValue)" : "case.\(decision.action.rawValue)",
                target: targetName,
                summary: Self.auditSummary(content, author: author, extra: decision.action == .move ? "→ /c/\(decision.moveTo)" : decision.action == .retag ? "tags: \(decision.tags.joined(separator: " "))" : decision.action == .silence ? "\(decision.silenceDays) days" : ""),
                communityID: moderationCase.communityID, reason: [rule, reason].filter { !$0.isEmpty }.joined(separator: " — "),
                createdAt: now))
            return moderationCase
        }
    }

    static func auditSummary(_ content: ContentSnapshot?, author: Member, extra: String = "") -> String {
        var text = "by @\(author.handle)"
        if let content {
            let words = (content.title.isEmpty ? content.body : content.title).replacingOccurrences(of: "\n", with: " ")
            text = "“" + (words.count > 80 ? String(words.prefix(79)) + "…" : words) + "” " + text
        }
        return extra.isEmpty ? text : "\(text) (\(extra))"
    }

    /// Takes content out of view. A removed wiki revision is undone instead: the page goes back to the revision
    /// before it, saved as a new revision, so the history still shows what happened.
    static func takeDown(_ target: ContentRef, _ withholding: Withholding, at now: Date, repos: any Repositories) async throws {
        switch target.kind {
        case .revision:
            let itemID = CommunityItem.ID(target.id)
            guard var item = try await repos.communityContent.find(id: itemID), target.revision > 1,
                let previous = try await repos.communityContent.revision(target.revision - 1, of: itemID)
            else { throw DomainError(.conflict, "The first revision of a page cannot be undone; remove the page instead.") }
            item.title = previous.title
            item.body = previous.body
            item.tags = previous.tags
            item.revision += 1
            item.updatedAt = now
            try await repos.communityContent.update(item)
            try await repos.communityContent.insertRevision(ItemRevision(
                itemID: itemID, number: item.revision, title: previous.title, body: previous.body, tags: previous.tags,
                authorID: previous.authorID, createdAt: now, note: "Revision \(target.revision) removed by moderation"))
        case .profile:
            // A profile is not taken down: its owner is warned, silenced or suspended instead.
            throw DomainError.invalid("A profile cannot be hidden or removed; warn, silence or suspend its owner.", field: "action")
        default:
            try await repos.moderation.setWithholding(withholding, of: target, at: now)
        }
    }

    /// Changes the tags of an item or a question (other content has none to change).
    static func retag(_ target: ContentRef, tags raw: [String], repos: any Repositories) async throws {
        let tags = try ProfileRules.tags(raw, name: "Tags", field: "tags")
        switch target.kind {
        case .item:
            guard var item = try await repos.communityContent.find(id: CommunityItem.ID(target.id)) else { throw DomainError.notFound("Item") }
            item.tags = tags
            try await repos.communityContent.update(item)
        case .question:
            guard var question = try await repos.questions.find(id: Question.ID(target.id)) else { throw DomainError.notFound("Question") }
            question.tags = tags
            try await repos.questions.update(question)
        default:
            throw DomainError.invalid("Only community content and questions have tags to change.", field: "tags")
        }
    }

    /// Approved held content becomes what it would have been at once. A question was routed when asked (the
    /// people asked see it from now on); an answer and a comment start counting now, and the asker hears of the
    /// answer (`id` is the notification's).
    static func publishReleased(_ target: ContentRef, ids: any IDGenerator, at now: Date, repos: any Repositories) async throws {
        switch target.kind {
        case .post:
            // What publishing would have done: the reply counted and its parent's author told, mentions told.
            guard let post = try await repos.posts.find(id: Post.ID(target.id)) else { return }
            var told: Set<Member.ID> = []
            if let parentID = post.replyToID, let parent = try await repos.posts.find(id: parentID) {
                try await notify(parent.authorID, kind: .reply, actor: post.authorID, post: post.id, id: ids.next(), at: now, repos: repos)
                told.insert(parent.authorID)
            }
            for mentioned in post.mentionIDs where !told.contains(mentioned) {
                try await notify(mentioned, kind: .mention, actor: post.authorID, post: post.id, id: ids.next(), at: now, repos: repos)
            }
        case .item:
            guard let item = try await repos.communityContent.find(id: CommunityItem.ID(target.id)),
                let community = try await repos.communities.find(id: item.communityID), item.isLive(at: now)
            else { return }
            try await announce(item, in: community, ids: (0..<maxAudience).map { _ in ids.next() }, at: now, repos: repos)
        case .answer:
            guard let answer = try await repos.questions.answer(id: Answer.ID(target.id)),
                var question = try await repos.questions.find(id: answer.questionID)
            else { return }
            if question.firstAnswerAt == nil { question.firstAnswerAt = now }
            try await repos.questions.update(question)
            try await notify(
                question.authorID, kind: .questionAnswered, actor: answer.authorID, post: nil, question: question.id, id: ids.next(), at: now,
                repos: repos)
        default:
            break
        }
    }

    /// Keeps the counts that lists show (replies, answers, comments) to what is in view, as content leaves
    /// (`delta` −1) or comes back (+1).
    static func recount(_ target: ContentRef, by delta: Int, repos: any Repositories) async throws {
        switch target.kind {
        case .post:
            if let post = try await repos.posts.find(id: Post.ID(target.id)), let parent = post.replyToID {
                try await repos.posts.adjustCounts(parent, replies: delta, reshares: 0, favourites: 0)
            }
        case .answer:
            guard let answer = try await repos.questions.answer(id: Answer.ID(target.id)),
                var question = try await repos.questions.find(id: answer.questionID)
            else { return }
            question.answers = max(0, question.answers + delta)
            // An accepted answer taken out of view no longer answers the question; if it comes back, the asker
            // may accept it again.
            if delta < 0 && question.acceptedAnswerID == answer.id {
                question.acceptedAnswerID = nil
                question.acceptedAt = nil
            }
            try await repos.questions.update(question)
        case .comment:
            guard let comment = try await repos.communityContent.comment(id: CommunityComment.ID(target.id)) else { return }
            try await repos.communityContent.adjustCounts(comment.itemID, comments: delta, favourites: 0, ratings: 0, ratingTotal: 0)
        default:
            break
        }
    }

    // MARK: Authors

    /// A case as the author sees it (or the people who may decide it).
    public func moderationNotice(_ caseID: ModerationCase.ID, viewer actor: Actor) async throws -> ModerationNotice {
        let viewer = try activeMember(actor)
        return try await store.read { repos in
            guard let moderationCase = try await repos.moderation.findCase(id: caseID) else { throw DomainError.notFound("Case") }
            let community = try await moderationCase.communityID.asyncMap { try await repos.communities.find(id: $0) } ?? nil
            let membership = try await community.asyncMap { try await repos.communities.membership(of: viewer.id, in: $0.id) } ?? nil
            let moderates = AccessPolicy.mayModerate(moderationCase, community: community, membership: membership, by: viewer)
            guard moderationCase.authorID == viewer.id || moderates else { throw DomainError.notFound("Case") }
            return ModerationNotice(
                moderationCase: moderationCase, content: try await repos.moderation.snapshot(of: moderationCase.target),
                isAuthor: moderationCase.authorID == viewer.id,
                mayDecideAppeal: moderates && moderationCase.appealState == .pending)
        }
    }

    /// The author asks once for a hide or removal to be looked at again; the case goes back to the queue.
    @discardableResult
    public func appeal(_ caseID: ModerationCase.ID, text raw: String, by actor: Actor) async throws -> ModerationCase {
        let viewer = try activeMember(actor)
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw DomainError.invalid("Say why the decision should change.", field: "appeal") }
        guard text.count <= Self.maxModerationReason else {
            throw DomainError.invalid("The appeal is too long (at most \(Self.maxModerationReason) characters).", field: "appeal")
        }
        let now = time.now()
        let auditID = ids.next()
        return try await store.write { repos in
            guard var moderationCase = try await repos.moderation.findCase(id: caseID), moderationCase.authorID == viewer.id else {
                throw DomainError.notFound("Case")
            }
            guard moderationCase.mayAppeal else {
                throw DomainError(.conflict, moderationCase.appealState == nil
                    ? "Only a hide or a removal can be appealed." : "You have appealed this decision already.")
            }
            if try await repos.moderation.openCase(for: moderationCase.target) != nil {
                throw DomainError(.conflict, "This content is under review again already.")
            }
            moderationCase.appeal = text
            moderationCase.appealedAt = now
            moderationCase.appealState = .pending
            moderationCase.source = .appeal
            moderationCase.isOpen = true
            try await repos.moderation.updateCase(moderationCase)
            try await repos.moderation.insertAudit(AuditEntry(
                id: AuditEntry.ID(auditID), actorID: viewer.id, action: "case.appeal", target: moderationCase.target.description,
                summary: Self.auditSummary(try await repos.moderation.snapshot(of: moderationCase.target), author: viewer),
                communityID: moderationCase.communityID, reason: text, createdAt: now))
            return moderationCase
        }
    }

    // MARK: Screening new content

    /// What happens to a piece of content as it is written: refused (thrown), held, or published and queued.
    struct Screening: Sendable {
        var withholding: Withholding?
        var source: ModerationCase.Source?
    }

    /// Checks what a member writes against silences, the new-member limits, watched words, the first-posts rule
    /// and the community's policy for that kind of content. Moderators pass everything but blocked words and
    /// silences; a community's managers are not held by their own community's policy.
    /// What every write, new or edited, must pass: the writer is not silenced and the text holds no blocked
    /// word. Answers the other watched words the text holds.
    static func watchedWordsAllowing(_ text: String, by member: Member, at now: Date, repos: any Repositories) async throws
        -> [WatchedWord]
    {
        if let until = try await repos.moderation.silencedUntil(member.id), until > now {
            throw DomainError(.forbidden, "You have been silenced until \(until.formatted(date: .abbreviated, time: .shortened)); you can read but not write.")
        }
        // Watched phrases are stored with single spaces: match them across any run of spaces and line breaks.
        let lowered = text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let found = try await repos.moderation.watchedWords().filter { contains(lowered, word: $0.word) }
        if let blocked = found.first(where: { $0.action == .block }) {
            throw DomainError.invalid("Your text contains “\(blocked.word)”, which is not allowed here.", field: "body")
        }
        return found
    }

    static func screen(
        _ text: String, by member: Member, community: Community?, content: PolicyContent?, at now: Date,
        repos: any Repositories
    ) async throws -> Screening {
        let found = try await watchedWordsAllowing(text, by: member, at: now, repos: repos)
        let settings = try await repos.settings.load().moderation
        var screening = Screening()
        if found.contains(where: { $0.action == .hold }) {
            screening = Screening(withholding: .held, source: .watchedWord)
        } else if !found.isEmpty {
            screening = Screening(withholding: nil, source: .watchedWord)
        }
        guard !member.isModerator else { return Screening(withholding: nil, source: screening.source) }
        let newUntil = member.createdAt.addingTimeInterval(Double(settings.newMemberHours) * 3600)
        if member.selfRegistered && now < newUntil {
            if try await repos.moderation.writings(of: member.id, since: member.createdAt) >= settings.newMemberMaxPosts {
                throw DomainError(
                    .rateLimited,
                    "New members may write \(settings.newMemberMaxPosts) pieces in their first \(settings.newMemberHours) hours; you can write again after \(newUntil.formatted(date: .abbreviated, time: .shortened)).")
            }
            let links = Self.linkCount(in: text)
            if links > settings.newMemberMaxLinks {
                throw DomainError.invalid(
                    "New members may include at most \(settings.newMemberMaxLinks) links in one piece (this one has \(links)).", field: "body")
            }
            let mentions = Set(PostText.mentionedHandles(in: text)).count
            if mentions > settings.newMemberMaxMentions {
                throw DomainError.invalid(
                    "New members may mention at most \(settings.newMemberMaxMentions) people in one piece (this one mentions \(mentions)).", field: "body")
            }
        }
        if screening.withholding == nil, settings.holdFirstPosts, try await !repos.moderation.hasApprovedWriting(member.id) {
            screening = Screening(withholding: .held, source: .firstPost)
        }
        if let community, let content {
            let membership = try await repos.communities.membership(of: member.id, in: community.id)
            if !AccessPolicy.mayManage(community, membership: membership, by: member) {
                switch try await repos.moderation.policy(of: community.id).mode(for: content) {
                case .pre where screening.withholding == nil: screening = Screening(withholding: .held, source: .preModeration)
                case .post where screening.source == nil: screening.source = .postModeration
                default: break
                }
            }
        }
        return screening
    }

    /// Screens an edit: a silenced member cannot edit either, and blocked words are refused as when writing. A
    /// held or flagged word puts the (still published) content in the review queue instead of taking it down:
    /// an edit is not a new piece, and hiding it is a moderator's decision.
    static func screenEdit(
        _ text: String, of target: ContentRef, by member: Member, caseID: Int64, at now: Date, repos: any Repositories
    ) async throws {
        let found = try await watchedWordsAllowing(text, by: member, at: now, repos: repos)
        guard !found.isEmpty, !member.isModerator, let content = try await repos.moderation.snapshot(of: target) else { return }
        _ = try await openCase(for: content, source: .watchedWord, id: caseID, at: now, repos: repos)
    }

    /// Applies a screening to content just written: withholds it, opens its case, and tells the author that it waits.
    static func applyScreening(
        _ screening: Screening, to target: ContentRef, author: Member, ids: [Int64], at now: Date, repos: any Repositories
    ) async throws {
        guard let source = screening.source else { return }
        if let withholding = screening.withholding {
            try await repos.moderation.setWithholding(withholding, of: target, at: now)
        }
        guard let content = try await repos.moderation.snapshot(of: target) else { return }
        let moderationCase = try await openCase(for: content, source: source, id: ids[0], at: now, repos: repos)
        if screening.withholding == .held {
            try await repos.notifications.insert(MemberNotification(
                id: MemberNotification.ID(ids[1]), memberID: author.id, kind: .moderation, actorID: author.id, postID: nil,
                caseID: moderationCase.id, createdAt: now))
        }
    }

    /// Whether `text` (lower-case) holds `word` as a whole word or phrase.
    static func contains(_ text: String, word: String) -> Bool {
        guard !word.isEmpty else { return false }
        var searchRange = text.startIndex..<text.endIndex
        while let found = text.range(of: word, range: searchRange) {
            let before = found.lowerBound == text.startIndex ? nil : text[text.index(before: found.lowerBound)]
            let after = found.upperBound == text.endIndex ? nil : text[found.upperBound]
            let isBoundary = { (c: Character?) in c.map { !($0.isLetter || $0.isNumber) } ?? true }
            if isBoundary(before) && isBoundary(after) { return true }
            searchRange = found.upperBound..<text.endIndex
        }
        return false
    }

    static func linkCount(in text: String) -> Int {
        text.lowercased().components(separatedBy: "http://").count - 1 + text.lowercased().components(separatedBy: "https://").count - 1
    }

    // MARK: Policies, watched words, settings

    public func communityPolicy(slug: String, viewer actor: Actor) async throws -> (community: Community, policy: CommunityPolicy) {
        let viewer = try activeMember(actor)
        return try await store.read { repos in
            let (community, membership) = try await Self.readableCommunity(slug, viewer: viewer, repos: repos)
            try AccessPolicy.require(AccessPolicy.mayModerate(community, membership: membership, by: viewer))
            return (community, try await repos.moderation.policy(of: community.id))
        }
    }

    /// A community's managers choose how each kind of its content is reviewed.
    public func setCommunityPolicy(slug: String, _ modes: [PolicyContent: ModerationMode], by actor: Actor) async throws {
        let viewer = try activeMember(actor)
        let now = time.now()
        let auditID = ids.next()
        try await store.write { repos in
            let (community, membership) = try await Self.readableCommunity(slug, viewer: viewer, repos: repos)
            try AccessPolicy.require(AccessPolicy.mayManage(community, membership: membership, by: viewer))
            let before = try await repos.moderation.policy(of: community.id)
            var changed: [String] = []
            for content in PolicyContent.allCases {
                guard let mode = modes[content], mode != before.mode(for: content) else { continue }
                try await repos.moderation.setPolicy(mode, for: content, in: community.id)
                changed.append("\(content.rawValue): \(mode.rawValue)")
            }
            guard !changed.isEmpty else { return }
            try await repos.moderation.insertAudit(AuditEntry(
                id: AuditEntry.ID(auditID), actorID: viewer.id, action: "community.policy", target: "community:\(community.id)",
                summary: "\(community.name): \(changed.joined(separator: ", "))", communityID: community.id, createdAt: now))
        }
    }

    public func watchedWords(viewer actor: Actor) async throws -> [WatchedWord] {
        let viewer = try activeMember(actor)
        try AccessPolicy.require(AccessPolicy.mayModerate(viewer))
        return try await store.read { repos in try await repos.moderation.watchedWords() }
    }

    @discardableResult
    public func addWatchedWord(_ raw: String, action: WatchedWord.Action, by actor: Actor) async throws -> WatchedWord {
        let viewer = try activeMember(actor)
        try AccessPolicy.require(AccessPolicy.mayModerate(viewer))
        let word = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard !word.isEmpty, word.count <= 100 else {
            throw DomainError.invalid("Give a word or phrase of 1 to 100 characters.", field: "word")
        }
        let now = time.now()
        let watched = WatchedWord(id: WatchedWord.ID(ids.next()), word: word, action: action, createdBy: viewer.id, createdAt: now)
        let auditID = ids.next()
        try await store.write { repos in
            guard try await repos.moderation.insertWatchedWord(watched) else {
                throw DomainError(.conflict, "“\(word)” is watched already.", field: "word")
            }
            try await repos.moderation.insertAudit(AuditEntry(
                id: AuditEntry.ID(auditID), actorID: viewer.id, action: "watched_word.add", target: "watched_word:\(watched.id)",
                summary: "“\(word)”: \(action.rawValue)", createdAt: now))
        }
        return watched
    }

    public func removeWatchedWord(_ id: WatchedWord.ID, by actor: Actor) async throws {
        let viewer = try activeMember(actor)
        try AccessPolicy.require(AccessPolicy.mayModerate(viewer))
        let now = time.now()
        let auditID = ids.next()
        try await store.write { repos in
            guard let word = try await repos.moderation.deleteWatchedWord(id) else { throw DomainError.notFound("Watched word") }
            try await repos.moderation.insertAudit(AuditEntry(
                id: AuditEntry.ID(auditID), actorID: viewer.id, action: "watched_word.remove", target: "watched_word:\(id)",
                summary: "“\(word.word)”", createdAt: now))
        }
    }

    public func moderationSettings(viewer actor: Actor) async throws -> ModerationSettings {
        try AccessPolicy.require(AccessPolicy.mayAdminister(actor))
        return try await store.read { repos in try await repos.settings.load().moderation }
    }

    /// The limits the web layer enforces on writes; read without a viewer, as every request needs them.
    public func writeLimits() async throws -> (perMember: Int, perAddress: Int) {
        let settings = try await store.read { repos in try await repos.settings.load().moderation }
        return (settings.writesPerMinutePerMember, settings.writesPerMinutePerAddress)
    }

    public func updateModerationSettings(_ settings: ModerationSettings, by actor: Actor) async throws {
        try AccessPolicy.require(AccessPolicy.mayAdminister(actor))
        let valid = try settings.validated()
        let now = time.now()
        let auditID = ids.next()
        try await store.write { repos in
            var server = try await repos.settings.load()
            guard server.moderation != valid else { return }
            server.moderation = valid
            try await repos.settings.save(server)
            try await repos.moderation.insertAudit(AuditEntry(
                id: AuditEntry.ID(auditID), actorID: actor.member?.id, action: "settings.moderation", target: "settings",
                summary: Self.describe(valid), createdAt: now))
        }
    }

    static func describe(_ s: ModerationSettings) -> String {
        "first posts held: \(s.holdFirstPosts ? "yes" : "no"); new members: \(s.newMemberMaxPosts) pieces, \(s.newMemberMaxLinks) links, "
            + "\(s.newMemberMaxMentions) mentions in \(s.newMemberHours) h; writes/min: \(s.writesPerMinutePerMember) per member, "
            + "\(s.writesPerMinutePerAddress) per address; retention \(s.retentionDays) d; review after \(s.reviewAfterDays) d"
    }

    // MARK: Audit log

    public func auditLog(before: AuditEntry.ID? = nil, limit: Int = 100, viewer actor: Actor) async throws
        -> [(entry: AuditEntry, actor: Member?)]
    {
        try AccessPolicy.require(AccessPolicy.mayAdminister(actor))
        return try await store.read { repos in
            let entries = try await repos.moderation.audit(before: before, limit: max(1, min(limit, 10_000)))
            let people = try await Self.membersByID(entries.compactMap(\.actorID), repos: repos)
            return entries.map { ($0, $0.actorID.flatMap { people[$0] }) }
        }
    }

    /// Records an administration act done elsewhere (roles, suspensions, settings) in the audit log.
    static func audit(
        _ action: String, target: String, summary: String, reason: String = "", by actor: Actor, id: Int64, at now: Date,
        repos: any Repositories
    ) async throws {
        try await repos.moderation.insertAudit(AuditEntry(
            id: AuditEntry.ID(id), actorID: actor.member?.id, action: action, target: target, summary: summary, reason: reason,
            createdAt: now))
    }

    // MARK: Retention

    /// Deletes for good what was removed longer ago than the retention period, and the files of removed resources.
    @discardableResult
    public func purgeRemovedContent() async throws -> Int {
        let now = time.now()
        var total = 0
        while true {
            let (pieces, files) = try await store.write { repos in
                let days = try await repos.settings.load().moderation.retentionDays
                return try await repos.moderation.purgeRemoved(before: now.addingTimeInterval(-Double(days) * 86_400))
            }
            for key in files { try? self.files.remove(key: key) }
            total += pieces
            if pieces < 500 { return total }
        }
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}

// MARK: Content health

/// An article or wiki page due for a look by the community's experts, and why.
public struct HealthItem: Sendable {
    public let item: CommunityItem
    /// Marked, or not reviewed since this long.
    public let isStale: Bool
    public let lastReviewed: Date
}

extension Pollen {
    /// Experts and managers mark an article or wiki page: reviewed (still right), needs review, or obsolete.
    /// Readers see the mark on the page; "reviewed" clears it and restarts the review period.
    @discardableResult
    public func markHealth(_ id: CommunityItem.ID, _ health: ContentHealth?, note rawNote: String = "", by actor: Actor) async throws
        -> CommunityItem
    {
        let viewer = try activeMember(actor)
        let now = time.now()
        let auditID = ids.next()
        let note = rawNote.trimmingCharacters(in: .whitespacesAndNewlines)
        guard note.count <= 500 else { throw DomainError.invalid("The note is too long (at most 500 characters).", field: "note") }
        return try await store.write { repos in
            var (item, community, membership) = try await Self.visibleItem(id, viewer: viewer, at: now, repos: repos)
            try AccessPolicy.require(AccessPolicy.mayLead(community, membership: membership, by: viewer))
            guard item.kind == .article || item.kind == .wiki else {
                throw DomainError.invalid("Only articles and wiki pages are reviewed for health.", field: "health")
            }
            try await repos.moderation.setHealth(health, of: id, reviewedBy: viewer.id, at: now)
            item.health = health
            item.reviewedAt = now
            try await repos.moderation.insertAudit(AuditEntry(
                id: AuditEntry.ID(auditID), actorID: viewer.id, action: "item.health.\(health?.rawValue ?? "reviewed")",
                target: ContentRef(.item, id.rawValue).description, summary: item.title, communityID: community.id, reason: note,
                createdAt: now))
            return item
        }
    }

    /// The community's articles and wiki pages that want a review: marked ones, and those not reviewed (or
    /// changed) within the organization's review period, oldest first.
    public func contentHealthQueue(community slug: String, viewer actor: Actor) async throws -> [HealthItem] {
        let viewer = try activeMember(actor)
        let now = time.now()
        return try await store.read { repos in
            let (community, membership) = try await Self.readableCommunity(slug, viewer: viewer, repos: repos)
            try AccessPolicy.require(AccessPolicy.mayLead(community, membership: membership, by: viewer))
            let days = try await repos.settings.load().moderation.reviewAfterDays
            let cutoff = now.addingTimeInterval(-Double(days) * 86_400)
            return try await repos.moderation.healthQueue(community: community.id, staleBefore: cutoff, limit: 100).map { item in
                let last = item.reviewedAt ?? item.updatedAt
                return HealthItem(item: item, isStale: item.health == nil && last < cutoff, lastReviewed: last)
            }
        }
    }
}

extension Pollen {
    /// What a member is about to flag, as the flag form shows it (only what they may see).
    public func flaggableContent(_ target: ContentRef, viewer actor: Actor) async throws -> ContentSnapshot {
        let viewer = try activeMember(actor)
        let now = time.now()
        return try await store.read { repos in try await Self.visibleContent(target, viewer: viewer, at: now, repos: repos) }
    }

    /// Whether the viewer manages the community (its policy form is theirs to change).
    public func mayManageCommunity(slug: String, viewer actor: Actor) async throws -> Bool {
        let viewer = try activeMember(actor)
        return try await store.read { repos in
            let (community, membership) = try await Self.readableCommunity(slug, viewer: viewer, repos: repos)
            return AccessPolicy.mayManage(community, membership: membership, by: viewer)
        }
    }
}
