import Foundation
import Hummingbird
import NIOCore
import PollenCore

/// Following people and hashtags from the pages: the buttons on profiles, the directory and hashtag pages,
/// and the followers and following lists.
struct NetworkPages {
    let pollen: Pollen
    let views: ViewRenderer
    let publicURL: PublicURL
    static let pageSize = 40

    func addRoutes(to router: Router<PollenRequestContext>) {
        let actions: [(String, String, @Sendable (Pollen, Member.ID, Actor) async throws -> Relationship)] = [
            ("follow", "You now follow", { try await $0.followMember($1, by: $2) }),
            ("unfollow", "You no longer follow", { try await $0.unfollowMember($1, by: $2) }),
            ("mute", "You muted", { try await $0.setMuted(true, $1, by: $2) }),
            ("unmute", "You unmuted", { try await $0.setMuted(false, $1, by: $2) }),
            ("block", "You blocked", { try await $0.setBlocked(true, $1, by: $2) }),
            ("unblock", "You unblocked", { try await $0.setBlocked(false, $1, by: $2) }),
        ]
        for (name, done, action) in actions {
            router.post("/@{handle}/\(name)") { _, context in
                let actor = try context.requireActor()
                let target = try await pollen.profile(handle: context.parameters.get("handle") ?? "", viewer: actor)
                let next = AccountPages.safeNext(context.form?["next"], fallback: "/@\(target.handle)")
                do {
                    _ = try await action(pollen, target.id, actor)
                } catch let error as DomainError where error.code == .conflict {
                    // Already so (a double click, a page left open): say so and carry on.
                    return Response.redirect(to: next, flash: error.message)
                }
                return Response.redirect(to: next, flash: "\(done) @\(target.handle).")
            }
        }
        router.get("/@{handle}/followers") { request, context in try await list(request, context, followers: true) }
        router.get("/@{handle}/following") { request, context in try await list(request, context, followers: false) }
        router.get("/tags/{name}") { _, context in
            let raw = Self.tagParameter(context)
            let tag = try Pollen.validTag(raw)
            // One address per hashtag: "/tags/Supply%20Chain" leads to "/tags/supply-chain".
            if raw != tag { return Response.redirect(to: "/tags/\(tag)", type: .permanent) }
            return try await tagPage(context, tag: tag)
        }
        router.get("/settings/follows") { _, context in try followsPage(context) }
        router.get("/settings/follows/following.csv") { request, context in
            let csv = try await pollen.exportFollows(by: try context.requireActor(), domain: publicURL.host(for: request))
            return Self.download(csv, filename: "following_accounts.csv")
        }
        router.get("/settings/follows/hashtags.csv") { _, context in
            let csv = try await pollen.exportFollowedTags(by: try context.requireActor())
            return Self.download(csv, filename: "followed_hashtags.csv")
        }
        router.post("/settings/follows/import") { request, context in
            try await importFile(context) { text, actor in
                try await pollen.importFollows(csv: text, by: actor, domain: publicURL.host(for: request))
            }
        }
        router.post("/settings/follows/import-hashtags") { _, context in
            try await importFile(context, hashtags: true) { text, actor in
                try await pollen.importFollowedTags(csv: text, by: actor)
            }
        }
        router.post("/tags/{name}/follow") { _, context in
            try await tagChange(context) { tag, actor in
                try await pollen.followTag(tag, by: actor)
                return "You now follow #\(tag)."
            }
        }
        router.post("/tags/{name}/unfollow") { _, context in
            try await tagChange(context) { tag, actor in
                try await pollen.unfollowTag(tag, by: actor)
                return "You no longer follow #\(tag)."
            }
        }
    }

    func list(_ request: Request, _ context: PollenRequestContext, followers: Bool) async throws -> Response {
        let viewer = try context.requireViewer()
        let member = try await pollen.profile(handle: context.parameters.get("handle") ?? "", viewer: .member(viewer))
        let before = request.query["before"].flatMap { Int64($0) }
        let entries = try await pollen.followList(
            of: member.id, followers: followers, range: CursorRange(before: before, limit: Self.pageSize),
            viewer: .member(viewer))
        let people = try await PersonCard.cards(entries.map(\.member), viewer: viewer, pollen: pollen, next: request.uri.description)
        let title = followers ? "People who follow \(member.profile.displayName)" : "People \(member.profile.displayName) follows"
        let page = PeoplePage(
            layout: Layout(title: title, context: context), heading: title, backURL: "/@\(member.handle)",
            backLabel: "Back to \(member.profile.displayName)", people: people, hasPeople: !people.isEmpty,
            emptyText: followers ? "Nobody follows \(member.profile.displayName) yet." : "\(member.profile.displayName) follows nobody yet.",
            nextURL: entries.count == Self.pageSize ? "/@\(member.handle)/\(followers ? "followers" : "following")?before=\(entries.last?.cursor ?? 0)" : nil)
        return views.response(page, template: "people")
    }

    /// Path parameters arrive percent-encoded; a hashtag may be typed with `#` or spaces.
    static func tagParameter(_ context: PollenRequestContext) -> String {
        let raw = context.parameters.get("name") ?? ""
        return raw.removingPercentEncoding ?? raw
    }

    private func tagChange(_ context: PollenRequestContext, _ change: (String, Actor) async throws -> String)
        async throws -> Response
    {
        let actor = try context.requireActor()
        let tag = try Pollen.validTag(Self.tagParameter(context))
        do {
            return Response.redirect(to: "/tags/\(tag)", flash: try await change(tag, actor))
        } catch let error as DomainError where error.code == .conflict {
            return Response.redirect(to: "/tags/\(tag)", flash: error.message)
        }
    }

    func followsPage(
        _ context: PollenRequestContext, report: FollowImportReport? = nil, hashtags: Bool = false,
        error: DomainError? = nil
    ) throws -> Response {
        _ = try context.requireViewer()
        let reportView = report.map {
            ImportReportView(
                title: hashtags ? "Hashtags imported" : "Follows imported", summary: "Imported: \($0.summary).",
                errorsHeading: "Lines not imported", errors: $0.errors)
        }
        let page = FollowsPage(
            layout: Layout(title: "Import and export follows", context: context), formError: error?.message,
            report: reportView)
        return views.response(page, template: "follows", status: error.map { ErrorMiddleware.status($0.code) } ?? .ok)
    }

    private func importFile(
        _ context: PollenRequestContext, hashtags: Bool = false,
        _ run: (String, Actor) async throws -> FollowImportReport
    ) async throws -> Response {
        let actor = try context.requireActor()
        do {
            guard let file = context.form?.file("file"), !file.data.isEmpty else {
                throw DomainError.invalid("Choose a CSV file to import.", field: "file")
            }
            guard let text = String(validating: file.data, as: UTF8.self) else {
                throw DomainError.invalid("The file is not UTF-8 text.", field: "file")
            }
            return try followsPage(context, report: try await run(text, actor), hashtags: hashtags)
        } catch let error as DomainError where error.code == .invalidInput {
            return try followsPage(context, error: error)
        }
    }

    /// A CSV file to save, never cached: what is downloaded is a member's own data or figures few may see.
    static func download(_ text: String, filename: String) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(filename)\"",
                .cacheControl: "no-store",
            ],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    func tagPage(_ context: PollenRequestContext, tag: String) async throws -> Response {
        let viewer = try context.requireViewer()
        let following = try await pollen.isFollowingTag(tag, by: .member(viewer))
        async let learners = pollen.searchDirectory(DirectoryQuery(subject: tag, limit: 12), viewer: viewer)
        async let helpers = pollen.searchDirectory(DirectoryQuery(expertise: tag, limit: 12), viewer: viewer)
        async let tagged = pollen.timeline(.hashtag(tag), viewer: .member(viewer), range: CursorRange(limit: PostPages.pageSize))
        async let overview = pollen.subject(tag, viewer: .member(viewer))
        let (learning, helping, posts, subject) = try await (learners, helpers, tagged, overview)
        let next = "/tags/\(tag)"
        func people(_ list: [PollenCore.SubjectPerson], figure: (SubjectScore) -> String) async throws -> [SubjectPerson] {
            let cards = try await PersonCard.cards(list.map(\.member), viewer: viewer, pollen: pollen, next: next)
            return zip(cards, list).map { SubjectPerson(person: $0, figure: figure($1.score)) }
        }
        let leaders = try await people(subject.thoughtLeaders) { score in
            "\(score.engagement) reactions to \(score.posts) \(score.posts == 1 ? "post" : "posts") on #\(tag) in 90 days"
        }
        let practitioners = try await people(subject.practitioners) { score in
            "\(score.posts) \(score.posts == 1 ? "post" : "posts") and \(score.replies) \(score.replies == 1 ? "answer" : "answers") on #\(tag) in 90 days"
        }
        var page = TagPage(
            layout: Layout(title: "#\(tag)", context: context), tag: tag, following: following,
            thoughtLeaders: leaders, hasThoughtLeaders: !leaders.isEmpty, practitioners: practitioners,
            hasPractitioners: !practitioners.isEmpty,
            scoresAsOf: subject.refreshedAt.map { "Worked out from the last 90 days of posts, \($0.formatted(.relative(presentation: .named)))." }
                ?? "Thought leaders are worked out every hour from the last 90 days of posts; the first count has not run yet.",
            learners: try await PersonCard.cards(learning.items, viewer: viewer, pollen: pollen, next: next, showing: .subjects),
            learnerCount: learning.total, hasLearners: learning.total > 0,
            helpers: try await PersonCard.cards(helping.items, viewer: viewer, pollen: pollen, next: next, showing: .expertise),
            helperCount: helping.total, hasHelpers: helping.total > 0,
            posts: posts.map { PostCard.make($0, viewer: viewer, next: next, html: self.views.postHTML) }, hasPosts: !posts.isEmpty,
            communities: try await pollen.communitiesAbout(tag, viewer: .member(viewer)).map {
                .init(slug: $0.community.slug, name: $0.community.name, items: "\($0.items) item\($0.items == 1 ? "" : "s") on #\(tag)")
            })
        page.hasCommunities = !page.communities.isEmpty
        return views.response(page, template: "tag")
    }
}

/// A person in a list, with the follow button as the viewer would use it.
struct PersonCard {
    let handle: String
    let displayName: String
    let summary: String
    /// The subjects, or (on "can help with" lists) the expertise, that explain why the person is listed.
    let tags: [String]
    let tagsLabel: String
    let hasTags: Bool
    /// Whether a Follow or Unfollow button makes sense: not for oneself, not across a block.
    let canFollow: Bool
    let following: Bool
    let next: String

    enum Tags { case subjects, expertise }

    static func cards(_ members: [Member], viewer: Member, pollen: Pollen, next: String, showing: Tags = .subjects)
        async throws -> [PersonCard]
    {
        let relationships = try await pollen.relationships(with: members.map(\.id), by: .member(viewer))
        let byTarget = Dictionary(uniqueKeysWithValues: relationships.map { ($0.target, $0) })
        return members.map { member in
            let relation = byTarget[member.id]
            let tags = showing == .subjects ? member.profile.subjects : member.profile.expertise
            return PersonCard(
                handle: member.handle, displayName: member.profile.displayName,
                summary: [member.profile.jobRole, member.profile.department, member.profile.location]
                    .filter { !$0.isEmpty }.joined(separator: " · "),
                tags: Array(tags.prefix(6)), tagsLabel: showing == .subjects ? "Learns about" : "Can help with",
                hasTags: !tags.isEmpty,
                canFollow: member.id != viewer.id && relation?.blocking != true && relation?.blockedBy != true,
                following: relation?.following == true, next: next)
        }
    }
}

struct PeoplePage {
    let layout: Layout
    let heading: String
    let backURL: String
    let backLabel: String
    let people: [PersonCard]
    let hasPeople: Bool
    let emptyText: String
    let nextURL: String?
}

struct FollowsPage {
    let layout: Layout
    let formError: String?
    let report: ImportReportView?
}

struct TagPage {
    let layout: Layout
    let tag: String
    let following: Bool
    let thoughtLeaders: [SubjectPerson]
    let hasThoughtLeaders: Bool
    let practitioners: [SubjectPerson]
    let hasPractitioners: Bool
    let scoresAsOf: String
    let learners: [PersonCard]
    let learnerCount: Int
    let hasLearners: Bool
    let helpers: [PersonCard]
    let helperCount: Int
    let hasHelpers: Bool
    let posts: [PostCard]
    let hasPosts: Bool
    struct CommunityLink {
        let slug: String
        let name: String
        let items: String
    }
    /// Communities whose content is about the subject.
    let communities: [CommunityLink]
    var hasCommunities = false
}
