import Foundation
import PollenCore
import PollenStorage
import Synchronization
import Testing

private let start = Date(timeIntervalSince1970: 1_772_323_200)
private let day: TimeInterval = 86_400

/// A store of `engine` with members 1–5 and the open community `ops`: 1 manages it, 2, 3 and 5 are members,
/// 4 is outside it.
private func withImportCommunity(_ engine: Engine, _ body: (Pollen, [Int64: Member]) async throws -> Void) async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pollen-import-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    try await withStore(engine) { store in
        let members = (1...5).map { id in makeMember(Int64(id), handle: "m\(id)", createdAt: start - 30 * day) }
        try await store.write { try await $0.members.insertMany(members) }
        let pollen = Pollen(
            store: store, secrets: PlainSecrets(), time: ManualTimeSource(start), files: DirectoryResourceFiles(root: folder))
        let m = Dictionary(uniqueKeysWithValues: members.map { ($0.id.rawValue, $0) })
        _ = try await pollen.createCommunity(
            CommunityDraft(slug: "ops", name: "Operations", kind: .horizontal, membership: .open), by: .member(m[1]!))
        for id: Int64 in [2, 3, 5] { try await pollen.joinCommunity(slug: "ops", by: .member(m[id]!)) }
        try await body(pollen, m)
    }
}

private func file(_ path: String, _ text: String) -> ContentFile {
    ContentFile(path: path, data: Array(text.utf8))
}

private let pdf = Array("%PDF-1.4\n% a small guide\n".utf8)

/// Four good files, one without front matter, one by someone outside the community, and a stray note.
private func folder(wikiBody: String = "A **lead time** is the time from order to delivery.") -> [ContentFile] {
    [
        file("articles/launch.md", """
            ---
            type: article
            title: Our new planning cycle
            tags: [planning, S-and-OP]
            author: "@m2"
            date: 2026-03-11
            ---
            From next month we plan in four-week cycles.
            """),
        file("wiki/glossary.md", """
            ---
            type: wiki
            title: Glossary
            tags: glossary
            author: m3
            date: 2026-01-15T09:30:00Z
            ---
            \(wikiBody)
            """),
        file("threads/welcome.md", """
            ---
            type: thread
            title: Introduce yourself
            author: m1
            announcement: true
            ---
            Say who you are and what you work on.
            """),
        file("resources/guide.md", """
            ---
            type: resource
            title: Planning guide
            author: m2
            file: guide.pdf
            ---
            The guide we follow.
            """),
        ContentFile(path: "resources/guide.pdf", data: pdf),
        file("broken.md", "Just some text, no front matter."),
        file("stranger.md", """
            ---
            type: wiki
            title: From outside
            author: m4
            ---
            Hello.
            """),
        file("notes.txt", "not for import"),
    ]
}

private func item(_ path: String, _ pollen: Pollen) async throws -> CommunityItem? {
    try await pollen.store.read { repos in
        let community = try #require(try await repos.communities.find(slug: "ops"))
        return try await repos.communityContent.find(importKey: path, in: community.id)
    }
}

private func itemCount(_ slug: String, _ pollen: Pollen) async throws -> Int {
    try await pollen.store.read { repos in
        let community = try #require(try await repos.communities.find(slug: slug))
        return try await repos.communityContent.items(
            CommunityItemQuery(community: community.id, liveAt: start + 365 * day, allDrafts: true)
        ).total
    }
}

@Suite struct ImportContentTests {
    @Test(arguments: Engine.enabled)
    func aFileWithANulCharacterIsReportedAndTheOthersImported(engine: Engine) async throws {
        try await withImportCommunity(engine) { pollen, m in
            let files = [
                file("a.md", "---\ntype: article\ntitle: Clean\n---\nFine text."),
                file("b.md", "---\ntype: article\ntitle: Binary\n---\nBad \u{0} text."),
            ]
            let report = try await pollen.importContent(files, into: "ops", by: .member(m[1]!))
            #expect(report.created == 1)
            #expect(report.failures.map(\.path) == ["b.md"])
            #expect(report.failures.first?.reason == "The file contains the NUL character (U+0000).")
            #expect(throws: DomainError.self) { try CSVReader.records("handle,email\nada,ada@example.org\u{0}\n") }
        }
    }

    @Test(arguments: Engine.enabled)
    func aFolderIsImportedAndTheBadFilesAreReportedWithTheirReasons(engine: Engine) async throws {
        try await withImportCommunity(engine) { pollen, m in
            let calls = Mutex<[Int]>([])
            let report = try await pollen.importContent(folder(), into: "ops", by: .member(m[1]!)) { done, total in
                calls.withLock { $0.append(done * 100 + total) }
            }
            #expect(report.created == 4 && report.updated == 0 && report.unchanged == 0, "\(report)")
            #expect(report.imported.map(\.path) == ["articles/launch.md", "resources/guide.md", "threads/welcome.md", "wiki/glossary.md"])
            #expect(report.failures.map(\.path) == ["broken.md", "stranger.md"])
            #expect(report.failures[0].reason.contains("front matter"))
            #expect(report.failures[1].reason == "The author @m4 is not a member of the community.")
            #expect(report.skipped == ["notes.txt"], "the PDF belongs to the resource")
            #expect(calls.withLock { $0 } == (1...6).map { $0 * 100 + 6 })

            let article = try #require(try await item("articles/launch.md", pollen))
            #expect(article.kind == .article && article.authorID == m[2]!.id && article.tags == ["planning", "s-and-op"])
            #expect(article.state == .published && article.publishedAt == start + 10 * day, "scheduled")
            #expect(!article.isLive(at: start) && article.isLive(at: start + 10 * day))
            let wiki = try #require(try await item("wiki/glossary.md", pollen))
            let written = Date(timeIntervalSince1970: 1_768_469_400)
            #expect(wiki.createdAt == written && wiki.publishedAt == written && wiki.revision == 1)
            let thread = try #require(try await item("threads/welcome.md", pollen))
            #expect(thread.kind == .thread && thread.announcement && thread.publishedAt == start)
            let resource = try #require(try await item("resources/guide.md", pollen))
            #expect(resource.resource?.fileName == "guide.pdf" && resource.resource?.contentType == "application/pdf")
            #expect(try pollen.files.read(key: try #require(resource.resource?.storageKey)) == pdf)
            #expect(try await itemCount("ops", pollen) == 4)
        }
    }

    @Test(arguments: Engine.enabled)
    func importingAgainUpdatesOnlyWhatChanged(engine: Engine) async throws {
        try await withImportCommunity(engine) { pollen, m in
            _ = try await pollen.importContent(folder(), into: "ops", by: .member(m[1]!))
            let key = try #require(try await item("resources/guide.md", pollen)?.resource?.storageKey)

            // An operator on the command line may import too.
            let again = try await pollen.importContent(folder(), into: "ops", by: .system)
            #expect(again.created == 0 && again.updated == 0 && again.unchanged == 4 && again.failed == 2, "\(again)")
            #expect(try await item("resources/guide.md", pollen)?.resource?.storageKey == key, "an unchanged file is not stored again")

            let edited = try await pollen.importContent(
                folder(wikiBody: "A **lead time** runs from order to delivery, in working days."), into: "ops", by: .member(m[1]!))
            #expect(edited.created == 0 && edited.updated == 1 && edited.unchanged == 3, "\(edited)")
            #expect(edited.imported.first { $0.outcome == .updated }?.path == "wiki/glossary.md")
            let wiki = try #require(try await item("wiki/glossary.md", pollen))
            #expect(wiki.revision == 2 && wiki.body.contains("working days"))
            let revisions = try await pollen.store.read { try await $0.communityContent.revisions(of: wiki.id) }
            #expect(revisions.map(\.number) == [2, 1])
            #expect(revisions[0].note == "Imported from wiki/glossary.md")
            #expect(try await itemCount("ops", pollen) == 4)
        }
    }

    @Test(arguments: Engine.enabled)
    func onlyManagersImportAndARefusedImportWritesNothing(engine: Engine) async throws {
        try await withImportCommunity(engine) { pollen, m in
            do {
                _ = try await pollen.importContent(folder(), into: "ops", by: .member(m[5]!))
                Issue.record("a plain member imported")
            } catch let error as DomainError {
                #expect(error.code == .forbidden)
            }
            #expect(try await itemCount("ops", pollen) == 0)
            do {
                _ = try await pollen.importContent(folder(), into: "nowhere", by: .system)
                Issue.record("imported into a missing community")
            } catch let error as DomainError {
                #expect(error.code == .notFound)
            }
        }
    }

    @Test(arguments: Engine.enabled)
    func eachRuleOfAFileIsReported(engine: Engine) async throws {
        try await withImportCommunity(engine) { pollen, m in
            let files = [
                file("a.md", "---\ntype: podcast\ntitle: Episode one\nauthor: m2\n---\nText."),
                file("b.md", "---\ntype: wiki\nauthor: m2\n---\nText."),
                file("c.md", "---\ntype: resource\ntitle: Missing file\nauthor: m2\nfile: nowhere.pdf\n---\n"),
                file("d.md", "---\ntype: resource\ntitle: A script\nauthor: m2\nfile: run.sh\n---\n"),
                ContentFile(path: "run.sh", data: Array("echo hi".utf8)),
                ContentFile(path: "e.md", data: [0x2D, 0x2D, 0x2D, 0x0A, 0xFF, 0xFE]),
                file("f.md", "---\ntype: thread\ntitle: Later\nauthor: m2\ndate: 2027-01-01\n---\nText."),
                file("g.md", "---\ntype: wiki\ntitle: Dated\nauthor: m2\ndate: last week\n---\nText."),
                file("h.md", "---\ntype: wiki\ntitle: By whom\nauthor: nobody\n---\nText."),
                file("i.md", "---\ntype: resource\ntitle: A link\nauthor: m2\nlink: https://example.org/guide\ndraft: true\n---\n"),
                file("j.md", "---\ntype: wiki\ntitle: Mine\n---\nThe importing manager wrote this."),
                file("./j.md", "---\ntype: wiki\ntitle: Mine\n---\nThe importing manager wrote this."),
                file("../outside.md", "---\ntype: wiki\ntitle: Outside\n---\nText."),
            ]
            let report = try await pollen.importContent(files, into: "ops", by: .member(m[1]!))
            #expect(report.failures.filter { $0.path == "j.md" }.map(\.reason) == ["Another file has the same path."])
            let reasons = Dictionary(report.failures.map { ($0.path, $0.reason) }, uniquingKeysWith: { first, _ in first })
            #expect(reasons["a.md"]?.contains("Unknown type \"podcast\"") == true)
            #expect(reasons["b.md"] == "The front matter has no title.")
            #expect(reasons["c.md"] == "The resource file nowhere.pdf is not beside the Markdown file.")
            #expect(reasons["d.md"]?.contains("cannot be shared") == true)
            #expect(reasons["e.md"] == "The file is not UTF-8 text.")
            #expect(reasons["f.md"]?.contains("Only articles are scheduled") == true)
            #expect(reasons["g.md"]?.contains("ISO 8601") == true)
            #expect(reasons["h.md"] == "The author @nobody is not a member of this server.")
            #expect(reasons["../outside.md"] == "The path leaves the imported folder.")
            #expect(report.failed == 10 && report.skipped.isEmpty)
            #expect(report.imported.map(\.path) == ["i.md", "j.md"])
            let link = try #require(try await item("i.md", pollen))
            #expect(link.state == .draft && link.resource?.link == "https://example.org/guide")
            #expect(try await item("j.md", pollen)?.authorID == m[1]!.id)
        }
    }
}
