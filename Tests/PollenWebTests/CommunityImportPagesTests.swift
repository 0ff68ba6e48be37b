import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import PollenCore
import Testing

extension TestBrowser {
    /// Posts a multipart form with several files in one field, as a browser sends a multiple-file input.
    func upload(_ path: String, field: String, files: [(name: String, content: String)]) async throws -> Page {
        let boundary = "----pollen-test-boundary"
        var body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(csrf)\r\n"
        for file in files {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"; filename=\"\(file.name)\"\r\n"
            body += "Content-Type: application/octet-stream\r\n\r\n\(file.content)\r\n"
        }
        body += "--\(boundary)--\r\n"
        let headers: HTTPFields = [
            .contentType: "multipart/form-data; boundary=\(boundary)",
            .cookie: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "),
        ]
        return try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body)) { response in
            Page(status: response.status, headers: response.headers, body: String(buffer: response.body))
        }
    }
}

@Suite struct CommunityImportPagesTests {
    /// Mara manages the open community `ops`; Theo is a plain member of it.
    private static func community(_ harness: WebHarness) async throws -> (mara: Member, theo: Member) {
        let mara = try await harness.addMember("mara", name: "Mara Lind")
        let theo = try await harness.addMember("theo", name: "Theo Park")
        _ = try await harness.pollen.createCommunity(
            CommunityDraft(slug: "ops", name: "Operations", kind: .horizontal, membership: .open), by: .member(mara))
        try await harness.pollen.joinCommunity(slug: "ops", by: .member(theo))
        return (mara, theo)
    }

    static let files = [
        (name: "welcome.md", content: "---\ntype: thread\ntitle: Introduce yourself\nauthor: mara\n---\nWho are you?"),
        (name: "glossary.md", content: "---\ntype: wiki\ntitle: Glossary\nauthor: theo\ntags: terms\n---\nLead time: order to delivery."),
        (name: "broken.md", content: "No front matter here."),
    ]

    @Test func aManagerUploadsFilesAndSeesWhatBecameOfEach() async throws {
        try await WebHarness.run { harness, client in
            _ = try await Self.community(harness)
            let browser = TestBrowser(client)
            try await browser.signIn("mara")
            let form = try await browser.get("/c/ops/import")
            #expect(form.status == .ok)
            #expect(form.body.contains("enctype=\"multipart/form-data\"") && form.body.contains("name=\"files\" type=\"file\" multiple"))
            #expect(form.body.contains("type: article"), "the example shows the front matter")

            let result = try await browser.upload("/c/ops/import", field: "files", files: Self.files)
            #expect(result.status == .ok)
            #expect(result.body.contains("Imported: 2 created, 0 updated, 0 unchanged, 1 failed."))
            #expect(result.body.contains("broken.md: The file does not start with front matter"))
            #expect(result.body.contains(">Introduce yourself</a>") && result.body.contains(">Glossary</a>"))
            let imported = try await harness.store.read { repos in
                let community = try #require(try await repos.communities.find(slug: "ops"))
                return try await repos.communityContent.find(importKey: "glossary.md", in: community.id)
            }
            #expect(imported?.kind == .wiki && imported?.tags == ["terms"])

            let again = try await browser.upload("/c/ops/import", field: "files", files: Array(Self.files.prefix(2)))
            #expect(again.body.contains("Imported: 0 created, 0 updated, 2 unchanged, 0 failed."))

            let empty = try await browser.upload("/c/ops/import", field: "files", files: [])
            #expect(empty.status == .unprocessableContent)
            #expect(empty.body.contains("Choose the files to import."))
        }
    }

    @Test func aPlainMemberMayNotImport() async throws {
        try await WebHarness.run { harness, client in
            _ = try await Self.community(harness)
            let browser = TestBrowser(client)
            try await browser.signIn("theo")
            #expect(try await browser.get("/c/ops/import").status == .forbidden)
            let refused = try await browser.upload("/c/ops/import", field: "files", files: Self.files)
            #expect(refused.status == .forbidden)
            #expect(refused.body.contains("You are not allowed to do that."), "refused by the import, not by the CSRF check")
            #expect(try await browser.upload("/c/ops/import", field: "files", files: []).status == .forbidden)
            let count = try await harness.store.read { repos in
                let community = try #require(try await repos.communities.find(slug: "ops"))
                return try await repos.communityContent.items(
                    CommunityItemQuery(community: community.id, liveAt: Date.distantFuture, allDrafts: true)
                ).total
            }
            #expect(count == 0)
        }
    }
}
