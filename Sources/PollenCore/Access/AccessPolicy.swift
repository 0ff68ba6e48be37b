import Foundation

/// Every "may X do Y" answer of the product. Use cases ask here; pages ask here too, to decide what to show.
public enum AccessPolicy {
    /// Server administration: roles, suspension, imports, settings, invitations.
    public static func mayAdminister(_ actor: Actor) -> Bool {
        switch actor {
        case .system: true
        case .member(let member): member.isAdmin && !member.isSuspended
        case .app: false
        }
    }

    public static func mayEditProfile(of target: Member, by actor: Actor) -> Bool {
        switch actor {
        case .system: true
        case .member(let member): !member.isSuspended && (member.id == target.id || member.isAdmin)
        case .app: false
        }
    }

    /// Suspended members disappear for everyone but moderators, so their profile cannot be used to reach out.
    /// Profiles are for people inside the organization: signed-in members and their authorized apps.
    public static func maySeeProfile(of target: Member, by actor: Actor?) -> Bool {
        switch actor {
        case nil: false
        case .system: true
        case .app: !target.isSuspended
        case .member(let viewer): !target.isSuspended || viewer.isModerator
        }
    }

    public static func mayChangeRole(of target: Member, to role: Member.Role, by actor: Actor) -> Bool {
        mayAdminister(actor)
    }

    public static func maySuspend(_ target: Member, by actor: Actor) -> Bool {
        guard mayAdminister(actor) else { return false }
        return actor.member?.id != target.id
    }

    /// Who sees a post: the organization, the author's followers, or only the people it mentions; never
    /// someone the author blocks. Deleted posts stay visible as placeholders to whoever could see them.
    public static func maySee(_ post: Post, viewer: Member, followsAuthor: Bool, blockedByAuthor: Bool) -> Bool {
        if post.authorID == viewer.id { return true }
        if blockedByAuthor { return false }
        if post.mentionIDs.contains(viewer.id) { return true }
        switch post.visibility {
        case .organization: return true
        case .followers: return followsAuthor
        case .mentioned: return false
        }
    }

    /// Authors delete their posts; moderators may remove anyone's.
    public static func mayDelete(_ post: Post, by member: Member) -> Bool {
        post.authorID == member.id || member.isModerator
    }

    /// Whether `viewer` may see whom `target` follows and who follows them, and how many. `targetFollowsViewer`
    /// matters only for ``NetworkPrivacy/Audience/followed``. Moderators get no exception: "only me" means it.
    public static func maySeeNetwork(of target: Member, by actor: Actor?, targetFollowsViewer: Bool) -> Bool {
        guard maySeeProfile(of: target, by: actor) else { return false }
        switch actor {
        case nil: return false
        case .system: return true
        case .app: return target.privacy.audience == .everyone
        case .member(let viewer):
            if viewer.id == target.id { return true }
            switch target.privacy.audience {
            case .everyone: return true
            case .followed: return targetFollowsViewer
            case .onlyMe: return false
            }
        }
    }

    /// Whether discovery features (suggestions, the directory, subject pages, who's new and popular,
    /// collections) may offer `target` to `viewer`. Everyone finds themselves.
    public static func mayOffer(_ target: Member, to viewer: Member) -> Bool {
        !target.isSuspended && (target.privacy.discoverable || target.id == viewer.id)
    }

    /// A collection is changed by whoever made it, or an administrator.
    public static func mayEditCollection(_ collection: FollowCollection, by member: Member) -> Bool {
        !member.isSuspended && (collection.owner == member.id || member.isAdmin)
    }

    /// A private community does not exist for anyone outside it (invited members see it, to accept) except
    /// administrators; the others are seen by every member.
    public static func maySee(_ community: Community, membership: CommunityMember?, viewer: Member) -> Bool {
        community.membership != .private || membership?.state == .active || membership?.state == .invited
            || viewer.isAdmin
    }

    /// Managing members and roles: the community's active managers, and administrators.
    public static func mayManage(_ community: Community, membership: CommunityMember?, by viewer: Member) -> Bool {
        !viewer.isSuspended && ((membership?.isActive == true && membership?.role == .manager) || viewer.isAdmin)
    }

    /// A community's content is read by the whole organization unless the community is private; then only by
    /// its active members (an invitation shows the community, not its content) and administrators.
    public static func mayRead(_ community: Community, membership: CommunityMember?, viewer: Member) -> Bool {
        community.membership != .private || membership?.isActive == true || viewer.isAdmin
    }

    /// Writing, commenting, rating and editing wiki pages: the community's active members.
    public static func mayContribute(to community: Community, membership: CommunityMember?, by viewer: Member) -> Bool {
        !viewer.isSuspended && membership?.isActive == true
    }

    /// Featuring and pinning: the community's active managers and subject-matter experts, and administrators.
    public static func mayLead(_ community: Community, membership: CommunityMember?, by viewer: Member) -> Bool {
        !viewer.isSuspended
            && ((membership?.isActive == true && (membership?.role ?? .member) >= .sme) || viewer.isAdmin)
    }

    /// An item is seen by whoever may read its community once it is live; before that (a draft, a scheduled
    /// article) by its author and those who manage the community.
    public static func maySee(
        _ item: CommunityItem, in community: Community, membership: CommunityMember?, viewer: Member, at now: Date
    ) -> Bool {
        guard mayRead(community, membership: membership, viewer: viewer) else { return false }
        // Withheld content stays open to the moderators who decide it (drafts stay their author's).
        return item.isLive(at: now) || item.authorID == viewer.id || mayManage(community, membership: membership, by: viewer)
            || (item.withholding != nil && mayModerate(viewer))
    }

    /// Wiki pages are edited by every member of the community; other items by their author while a member,
    /// and by the community's managers.
    public static func mayEdit(_ item: CommunityItem, in community: Community, membership: CommunityMember?, by viewer: Member)
        -> Bool
    {
        if mayManage(community, membership: membership, by: viewer) { return true }
        guard mayContribute(to: community, membership: membership, by: viewer) else { return false }
        return item.kind == .wiki || item.authorID == viewer.id
    }

    /// Deleting an item or comment: its author while a member, and the community's managers.
    public static func mayDelete(authoredBy author: Member.ID, in community: Community, membership: CommunityMember?, by viewer: Member)
        -> Bool
    {
        mayManage(community, membership: membership, by: viewer)
            || (author == viewer.id && mayContribute(to: community, membership: membership, by: viewer))
    }

    /// The organization's review queue, watched words: moderators and administrators.
    public static func mayModerate(_ viewer: Member) -> Bool {
        viewer.isModerator && !viewer.isSuspended
    }

    /// A community's queue and policy: its managers; and moderators, except in a private community, which stays
    /// invisible to everyone outside it but administrators.
    public static func mayModerate(_ community: Community, membership: CommunityMember?, by viewer: Member) -> Bool {
        mayManage(community, membership: membership, by: viewer)
            || (mayModerate(viewer) && mayRead(community, membership: membership, viewer: viewer))
    }

    /// A case: the moderators of its community, or of the organization for content outside communities.
    public static func mayModerate(
        _ moderationCase: ModerationCase, community: Community?, membership: CommunityMember?, by viewer: Member
    ) -> Bool {
        if let community { return mayModerate(community, membership: membership, by: viewer) }
        return mayModerate(viewer)
    }

    /// Acts on the author rather than the content: silencing is for moderators, suspending for administrators.
    public static func mayTake(_ action: ModerationCase.Action, on moderationCase: ModerationCase, by viewer: Member) -> Bool {
        switch action {
        case .silence: mayModerate(viewer)
        case .suspend: viewer.isAdmin && !viewer.isSuspended && viewer.id != moderationCase.authorID
        default: true
        }
    }

    /// A value story is read by whoever may read its community (the whole organization when it has none); one a
    /// moderator took out of view, only by its author and those who moderate it.
    public static func maySee(_ story: ValueStory, community: Community?, membership: CommunityMember?, viewer: Member) -> Bool {
        if story.authorID == viewer.id { return true }
        if let community, !mayRead(community, membership: membership, viewer: viewer) { return false }
        guard story.withholding == nil else {
            return community.map { mayModerate($0, membership: membership, by: viewer) } ?? mayModerate(viewer)
        }
        return true
    }

    /// Only its author edits or deletes a story; moderators and community managers hide it through a flag's case.
    public static func mayEdit(_ story: ValueStory, by viewer: Member) -> Bool {
        story.authorID == viewer.id && !viewer.isSuspended
    }

    /// A community's value matrix: its active members (its managers among them) and administrators.
    public static func maySeeValue(of community: Community, membership: CommunityMember?, viewer: Member) -> Bool {
        !viewer.isSuspended && (membership?.isActive == true || viewer.isAdmin)
    }

    /// "Useful" is what someone found in another's work: anyone who may see it marks it, except its author.
    public static func mayMarkUseful(authoredBy author: Member.ID, by viewer: Member) -> Bool {
        author != viewer.id && !viewer.isSuspended
    }

    /// Fails with `forbidden` unless `allowed`.
    public static func require(_ allowed: Bool) throws {
        if !allowed { throw DomainError.notAllowed }
    }
}
