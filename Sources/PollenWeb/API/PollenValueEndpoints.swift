import Foundation
import Hummingbird
import PollenCore

/// Value creation in Pollen's own JSON API under `/api/pollen/v1`: value stories (listing, recording, reading) and
/// useful marks (marking and unmarking). Described by `openapi.json` beside `PollenEndpoints`.
///
/// Stories are read with `read:statuses` and recorded with `write:statuses`, as community content is; marking
/// something useful is writing too (`write:statuses`, as favouriting an item). The fields of a new story are the
/// story form's: `title`, `community`, and per cycle `narrative_<cycle>` and `links_<cycle>` (Pollen addresses), so
/// an error's `field` names the same thing on the page and here.
struct PollenValueEndpoints {
    let pollen: Pollen
    let publicURL: PublicURL
    /// A story's five narratives of up to 10,000 characters, and their links.
    static let bodyLimit = 256 * 1024
    static let defaultPage = 20

    func addRoutes(to router: Router<PollenRequestContext>) {
        let api = router.group(RouterPath(PollenEndpoints.prefix))
        api.get("stories") { request, context in
            let member = try APIAuth.member(context, scope: "read:statuses")
            let limit = request.query["limit"].flatMap { Int($0) } ?? Self.defaultPage
            let before = try request.query["before"].flatMap { $0.isEmpty ? nil : $0 }.map { raw -> ValueStory.ID in
                guard let id = ValueStory.ID(string: raw) else { throw DomainError.invalid("before must be a story's id.", field: "before") }
                return id
            }
            let found = try await pollen.valueStories(
                community: request.query["community"], before: before, limit: limit, viewer: .member(member))
            let base = publicURL.base(for: request)
            var stories: [PollenValueStory] = []
            for summary in found.stories {
                stories.append(PollenValueStory(try await pollen.valueStory(summary.story.id, viewer: .member(member)), base: base, viewer: member))
            }
            return JSONResponse.make(PollenValueStoryPage(stories: stories, has_more: found.hasMore))
        }
        api.post("stories") { request, context in
            let member = try APIAuth.member(context, scope: "write:statuses")
            var request = request
            let form = try await request.formData(limit: Self.bodyLimit)
            let draft = ValueStoryDraft(
                title: form["title"] ?? "", community: form["community"],
                steps: ValueCycle.allCases.map { cycle in
                    ValueStepDraft(
                        cycle: cycle, narrative: form["narrative_\(cycle.rawValue)"] ?? "",
                        links: form.all("links_\(cycle.rawValue)").flatMap { $0.split(whereSeparator: \.isNewline).map(String.init) })
                })
            let story = try await pollen.recordValueStory(draft, by: .member(member))
            let view = try await pollen.valueStory(story.id, viewer: .member(member))
            return JSONResponse.make(PollenValueStory(view, base: publicURL.base(for: request), viewer: member), status: .created)
        }
        api.get("stories/{id}") { request, context in
            let member = try APIAuth.member(context, scope: "read:statuses")
            guard let raw = context.parameters.get("id"), let id = ValueStory.ID(string: raw) else {
                throw DomainError.notFound("Value story")
            }
            let view = try await pollen.valueStory(id, viewer: .member(member))
            return JSONResponse.make(PollenValueStory(view, base: publicURL.base(for: request), viewer: member))
        }
        api.post("useful-marks") { request, context in
            let member = try APIAuth.member(context, scope: "write:statuses")
            var request = request
            let form = try await request.formData(limit: 16 * 1024)
            let target = try Self.target(form["target"])
            let marked = try await pollen.setUseful(true, target, by: .member(member))
            return JSONResponse.make(PollenUsefulMark(target: target.description, marked: marked))
        }
        api.delete("useful-marks/{target}") { _, context in
            let member = try APIAuth.member(context, scope: "write:statuses")
            let raw = context.parameters.get("target").map { $0.removingPercentEncoding ?? $0 }
            try await pollen.setUseful(false, try Self.target(raw), by: .member(member))
            return Response(status: .noContent)
        }
    }

    static func target(_ raw: String?) throws -> ContentRef {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), let target = ContentRef(raw) else {
            throw DomainError.invalid("target must be item:<id>, answer:<id> or post:<id>.", field: "target")
        }
        return target
    }
}

// MARK: - Entities

struct PollenValueLink: Encodable {
    /// `kind:id`, as flags name content (`profile:<member id>` for a person).
    let target: String
    let title: String
    let url: String
}

struct PollenValueStep: Encodable {
    let cycle: String
    /// Markdown, as written.
    let narrative: String
    /// What the step came from, as far as the token's member may see it.
    let links: [PollenValueLink]
    /// Links to what the token's member may not see.
    let hidden_links: Int
}

struct PollenValueStory: Encodable {
    let id: String
    let title: String
    let author: PollenProfile
    /// Null for a story of the whole organization.
    let community: OrNull<PollenValueCommunity>
    let steps: [PollenValueStep]
    /// `hidden` or `removed` when a moderator took it out of view (only its author and moderators read it then).
    let withholding: OrNull<String>
    let created_at: String
    let updated_at: String
    let url: String

    init(_ view: ValueStoryView, base: String, viewer: Member) {
        id = view.story.id.description
        title = view.story.title
        author = PollenProfile(view.author, base: base, viewer: viewer)
        community = OrNull(view.community.map { PollenValueCommunity(slug: $0.slug, name: $0.name, url: "\(base)/c/\($0.slug)") })
        steps = view.steps.map { step in
            PollenValueStep(
                cycle: step.cycle.rawValue, narrative: step.narrative,
                links: step.links.map { PollenValueLink(target: $0.target.description, title: $0.title, url: base + $0.path) },
                hidden_links: step.unseenLinks)
        }
        withholding = OrNull(view.story.withholding?.rawValue)
        created_at = view.story.createdAt.mastodonTimestamp
        updated_at = view.story.updatedAt.mastodonTimestamp
        url = "\(base)/stories/\(view.story.id)"
    }
}

/// A community as a story names it.
struct PollenValueCommunity: Encodable {
    let slug: String
    let name: String
    let url: String
}

struct PollenValueStoryPage: Encodable {
    let stories: [PollenValueStory]
    let has_more: Bool
}

struct PollenUsefulMark: Encodable {
    let target: String
    let marked: Bool
}
