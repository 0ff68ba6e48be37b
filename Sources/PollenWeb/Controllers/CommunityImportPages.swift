import Foundation
import Hummingbird
import PollenCore

/// A community's managers front-load it from Markdown files with front matter (and the resource files they
/// name), uploaded together; the page shows what became of each file.
struct CommunityImportPages {
    let pollen: Pollen
    let views: ViewRenderer

    func addRoutes(to router: Router<PollenRequestContext>) {
        router.get("/c/{slug}/import") { _, context in
            let slug = try Self.slug(context)
            let viewer = try context.requireViewer()
            let view = try await pollen.community(slug: slug, viewer: .member(viewer))
            // The form is for those the import itself would accept.
            try AccessPolicy.require(AccessPolicy.mayManage(view.community, membership: view.viewerMembership, by: viewer))
            return page(context, community: view.community)
        }
        router.post("/c/{slug}/import") { _, context in try await importFiles(context) }
    }

    static func slug(_ context: PollenRequestContext) throws -> String {
        guard let slug = context.parameters.get("slug") else { throw DomainError.notFound("Community") }
        return slug
    }

    func importFiles(_ context: PollenRequestContext) async throws -> Response {
        let slug = try Self.slug(context)
        let actor = try context.requireActor()
        // Browsers send an untouched file input as one nameless, empty file.
        let files = (context.form?.files("files") ?? []).filter { !$0.filename.isEmpty }
            .map { ContentFile(path: $0.filename, data: $0.data) }
        let community = try await pollen.community(slug: slug, viewer: actor).community
        // Asked even with nothing to import, so that someone who may not import hears that first.
        let report = try await pollen.importContent(files, into: slug, by: actor)
        guard !files.isEmpty else {
            return page(context, community: community, error: DomainError.invalid("Choose the files to import.", field: "files"))
        }
        return page(context, community: community, report: report)
    }

    func page(_ context: PollenRequestContext, community: Community, report: ContentImportReport? = nil, error: DomainError? = nil)
        -> Response
    {
        let page = CommunityImportPage(
            layout: Layout(title: "Import content · \(community.name)", context: context), slug: community.slug,
            name: community.name, formError: error?.message, example: CommunityImportPage.example,
            maxUpload: "\(pollen.resourceRules.maxBytes / 1_048_576) MB",
            accept: (["md", "markdown"] + pollen.resourceRules.types.keys.sorted()).map { "." + $0 }.joined(separator: ","),
            report: report.map { CommunityImportPage.Report($0, slug: community.slug) })
        return views.response(page, template: "community_import", status: error.map { ErrorMiddleware.status($0.code) } ?? .ok)
    }
}

/// The import form of a community, and the outcome of the last import.
struct CommunityImportPage {
    struct Line {
        let path: String
        let title: String
        let kind: String
        let url: String
        let revision: Int
    }

    struct Failure {
        let path: String
        let reason: String
    }

    /// Lists, each with a flag for whether it has anything: Mustache shows a 0 and an empty list alike.
    struct Report {
        let summary: String
        let created: [Line]
        let hasCreated: Bool
        let updated: [Line]
        let hasUpdated: Bool
        let unchanged: [Line]
        let hasUnchanged: Bool
        let failures: [Failure]
        let hasFailures: Bool
        let skipped: [String]
        let hasSkipped: Bool

        init(_ report: ContentImportReport, slug: String) {
            func lines(_ outcome: ContentImportReport.Outcome) -> [Line] {
                report.imported.filter { $0.outcome == outcome }.map {
                    Line(path: $0.path, title: $0.title, kind: $0.kind.noun, url: "/c/\(slug)/items/\($0.itemID)", revision: $0.revision)
                }
            }
            summary = "Imported: \(report.summary)."
            created = lines(.created)
            hasCreated = !created.isEmpty
            updated = lines(.updated)
            hasUpdated = !updated.isEmpty
            unchanged = lines(.unchanged)
            hasUnchanged = !unchanged.isEmpty
            failures = report.failures.map { Failure(path: $0.path, reason: $0.reason) }
            hasFailures = !failures.isEmpty
            skipped = report.skipped
            hasSkipped = !skipped.isEmpty
        }
    }

    let layout: Layout
    let slug: String
    let name: String
    var formError: String?
    let example: String
    let maxUpload: String
    /// The extensions the file picker offers: Markdown and every type a resource may have.
    let accept: String
    var report: Report?

    static let example = """
        ---
        type: article
        title: How we plan a quarter
        tags: planning, forecasting
        author: amara_okafor
        date: 2025-03-01
        ---
        The text, in **Markdown**.
        """
}
