import Foundation
import Hummingbird
import HummingbirdTesting
import PollenCore
import Testing

/// Importing and exporting follows and followed hashtags as CSV, from the follows settings page.
@Suite struct FollowsCSVTests {
    /// In router tests requests carry no Host header, so addresses use the fallback host.
    static let domain = "localhost"

    @Test func exportListsFollowsInMastodonsFormat() async throws {
        try await WebHarness.run { harness, client in
            let ada = try await harness.addMember("ada")
            let bob = try await harness.addMember("bob")
            let cy = try await harness.addMember("cy")
            try await harness.pollen.followMember(bob.id, by: .member(ada))
            try await harness.pollen.followMember(cy.id, by: .member(ada))
            try await harness.pollen.followTag("Supply Chain", by: .member(ada))
            let browser = TestBrowser(client)
            try await browser.signIn("ada")
            let page = try await browser.get("/settings/follows/following.csv")
            #expect(page.status == .ok)
            #expect(page.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(page.headers[.contentDisposition]?.contains("attachment") == true)
            let lines = page.body.split(separator: "\n").map(String.init)
            #expect(lines.first == "Account address,Show boosts,Notify on new posts,Languages")
            #expect(Set(lines.dropFirst()) == ["bob@\(Self.domain),true,false,", "cy@\(Self.domain),true,false,"])
            let tags = try await browser.get("/settings/follows/hashtags.csv")
            #expect(tags.body == "Hashtag\n#supply-chain\n")
        }
    }

    @Test func importFollowsWhatResolvesAndReportsTheRestByLine() async throws {
        try await WebHarness.run { harness, client in
            let ada = try await harness.addMember("ada")
            let bob = try await harness.addMember("bob")
            let cy = try await harness.addMember("cy")
            let dee = try await harness.addMember("dee")
            let eve = try await harness.addMember("eve")
            try await harness.pollen.setBlocked(true, ada.id, by: .member(eve))
            try await harness.pollen.followMember(dee.id, by: .member(ada))
            let browser = TestBrowser(client)
            try await browser.signIn("ada")
            try await browser.get("/settings/follows")
            let csv = """
                Account address,Show boosts,Notify on new posts,Languages
                bob@\(Self.domain),true,false,
                @cy,true,false,
                nobody@\(Self.domain),true,false,
                zed@elsewhere.example,true,false,
                ada,true,false,
                dee@\(Self.domain),true,false,
                eve,true,false,

                """
            let page = try await browser.upload("/settings/follows/import", field: "file", filename: "f.csv", content: csv)
            #expect(page.status == .ok)
            #expect(page.body.contains("2 added, 1 already followed, 4 not resolved"))
            for line in ["Line 4: nobody here is called @nobody.", "Line 5: zed@elsewhere.example is on another server.",
                "Line 6: @ada is you.", "Line 8: you cannot follow @eve."]
            {
                #expect(page.body.contains(line), "missing \(line)")
            }
            let following = try await harness.pollen.relationships(with: [bob.id, cy.id, dee.id, eve.id], by: .member(ada))
            #expect(following.map(\.following) == [true, true, true, false])
            // Those newly followed are told, as of any follow; Dee heard of hers when it happened, once.
            for member in [bob, cy, dee] {
                let told = try await harness.notificationsOf(member)
                #expect(told.map(\.kind) == [.follow] && told.map(\.actorID) == [ada.id], "\(member.handle): \(told)")
            }
            #expect(try await harness.notificationsOf(eve).isEmpty)
            // Running the same file again adds nothing and tells nobody again.
            try await browser.get("/settings/follows")
            let again = try await browser.upload("/settings/follows/import", field: "file", filename: "f.csv", content: csv)
            #expect(again.body.contains("0 added, 3 already followed, 4 not resolved"))
            #expect(try await harness.notificationsOf(bob).count == 1)
        }
    }

    @Test func importHashtagsAcceptsAHeaderlessList() async throws {
        try await WebHarness.run { harness, client in
            let ada = try await harness.addMember("ada")
            let browser = TestBrowser(client)
            try await browser.signIn("ada")
            try await browser.get("/settings/follows")
            let page = try await browser.upload(
                "/settings/follows/import-hashtags", field: "file", filename: "t.csv", content: "#lean\nc++\nSupply Chain\n")
            #expect(page.body.contains("2 added, 0 already followed, 1 not resolved"))
            #expect(page.body.contains("Line 2: “c++” is not a hashtag."))
            let tags = try await harness.pollen.followedTags(by: .member(ada), range: CursorRange())
            #expect(Set(tags.map(\.tag)) == ["lean", "supply-chain"])
        }
    }

    @Test func anEmptyOrMissingFileIsRefusedAndChangesNothing() async throws {
        try await WebHarness.run { harness, client in
            let ada = try await harness.addMember("ada")
            let browser = TestBrowser(client)
            try await browser.signIn("ada")
            try await browser.get("/settings/follows")
            let empty = try await browser.upload("/settings/follows/import", field: "file", filename: "f.csv", content: "")
            #expect(empty.status == .unprocessableContent)
            #expect(empty.body.contains("role=\"alert\""))
            try await browser.get("/settings/follows")
            let unclosed = try await browser.upload(
                "/settings/follows/import", field: "file", filename: "f.csv", content: "\"bob\n")
            #expect(unclosed.status == .unprocessableContent)
            #expect(try await harness.pollen.networkCounts(for: [ada], viewer: .system)[ada.id]?.following == 0)
        }
    }

    @Test func signedOutVisitorsAreSentToSignIn() async throws {
        try await WebHarness.run { _, client in
            let browser = TestBrowser(client)
            let page = try await browser.get("/settings/follows/following.csv")
            #expect(page.status == .seeOther || page.status == .found)
            #expect(page.location?.hasPrefix("/signin") == true)
        }
    }
}
