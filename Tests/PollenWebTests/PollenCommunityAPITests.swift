import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import PollenCore
import PollenStorage
@testable import PollenWeb
import Testing

/// Communities of practice in Pollen's own API: founding, joining and managing communities, and their
/// content with its permissions, revisions, ratings, features and uploaded files.
@Suite struct PollenCommunityAPITests {
    static let prefix = "/api/pollen/v1"
    typealias Answer = (status: HTTPResponse.Status, json: Any?, raw: String)

    typealias Cast = APICast

    static func cast(_ harness: WebHarness, _ client: any TestClientProtocol) async throws -> Cast {
        try await APICast.make(harness, client)
    }

    static func error(_ response: Answer) -> String? {
        (response.json as? [String: Any])?["error"] as? String
    }

    /// Founds a community through the API and expects it made.
    @discardableResult
    static func found(
        _ client: any TestClientProtocol, token: String, slug: String, membership: String = "open",
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> [String: Any] {
        let made = try await client.json(
            "\(prefix)/communities", method: .post, token: token,
            body: ["slug": slug, "name": "Community \(slug)", "kind": "horizontal", "purpose": "Learning together.", "membership": membership])
        #expect(made.status == .created, "\(made.raw)", sourceLocation: sourceLocation)
        return try object(made.json, sourceLocation: sourceLocation)
    }

    /// Writes an item through the API and returns its id.
    static func write(
        _ client: any TestClientProtocol, token: String, in slug: String, type: String, title: String,
        body text: String = "Some text to learn from.", sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> String {
        let made = try await client.json(
            "\(prefix)/communities/\(slug)/items", method: .post, token: token,
            body: ["type": type, "title": title, "body": text, "tags": "logistics, forecasting"])
        #expect(made.status == .created, "\(made.raw)", sourceLocation: sourceLocation)
        return try #require(try object(made.json, sourceLocation: sourceLocation)["id"] as? String, sourceLocation: sourceLocation)
    }

    /// Sends a multipart form with fields and, optionally, one file.
    static func multipart(
        _ client: any TestClientProtocol, _ path: String, method: HTTPRequest.Method = .post, token: String,
        fields: [(String, String)], file: (filename: String, bytes: [UInt8])?
    ) async throws -> Answer {
        let boundary = "----pollen-community-boundary"
        var body: [UInt8] = []
        for (name, value) in fields {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        if let file {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(file.filename)\"\r\n".utf8)
            body += Array("Content-Type: application/octet-stream\r\n\r\n".utf8) + file.bytes + Array("\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        return try await client.execute(
            uri: path, method: method,
            headers: [
                .accept: "application/json", .authorization: "Bearer \(token)",
                .contentType: "multipart/form-data; boundary=\(boundary)",
            ],
            body: ByteBuffer(bytes: body)
        ) { response in
            let raw = String(buffer: response.body)
            return (response.status, try? JSONSerialization.jsonObject(with: Data(raw.utf8)), raw)
        }
    }

    static func ids(_ value: Any?) -> [String] {
        (value as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    }

    static func handles(_ value: Any?) -> [String] {
        (value as? [[String: Any]] ?? []).compactMap { ($0["account"] as? [String: Any] ?? $0)["handle"] as? String }
    }

    // MARK: Communities

    @Test func foundingACommunity() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            let made = try await Self.found(client, token: c.aliceToken, slug: "supply-chain")
            #expect(made["slug"] as? String == "supply-chain")
            #expect(made["name"] as? String == "Community supply-chain")
            #expect(made["kind"] as? String == "horizontal")
            #expect(made["membership"] as? String == "open")
            #expect(made["member_count"] as? Int == 1)
            #expect(made["viewer_role"] as? String == "manager")
            #expect(made["viewer_state"] as? String == "active")
            #expect(made["may_manage"] as? Bool == true)
            #expect(made["notification_level"] as? String == "normal")
            #expect((made["url"] as? String)?.hasSuffix("/c/supply-chain") == true)
            #expect(Self.handles(made["leaders"]) == ["alice"])

            let badKind = try await client.json(
                "\(Self.prefix)/communities", method: .post, token: c.aliceToken,
                body: ["slug": "forecasting", "name": "Forecasting", "kind": "diagonal"])
            #expect(badKind.status == .unprocessableContent)
            #expect(Self.error(badKind) == "kind must be horizontal, vertical or interest.")
            let badMembership = try await client.json(
                "\(Self.prefix)/communities", method: .post, token: c.aliceToken,
                body: ["slug": "forecasting", "name": "Forecasting", "kind": "interest", "membership": "secret"])
            #expect(badMembership.status == .unprocessableContent)
            #expect(Self.error(badMembership) != nil)
            let taken = try await client.json(
                "\(Self.prefix)/communities", method: .post, token: c.bobToken,
                body: ["slug": "Supply-Chain", "name": "Another", "kind": "vertical"])
            #expect(taken.status == .conflict)
            #expect(Self.error(taken)?.contains("/c/supply-chain") == true)

            let listed = try await client.json("\(Self.prefix)/communities?q=supply&kind=horizontal", token: c.bobToken)
            #expect(listed.status == .ok, "\(listed.raw)")
            let page = try object(listed.json)
            #expect(page["total"] as? Int == 1)
            let first = try #require((page["communities"] as? [[String: Any]])?.first)
            #expect(first["slug"] as? String == "supply-chain")
            #expect(first["viewer_role"] is NSNull)
            let otherKind = try await client.json("\(Self.prefix)/communities?kind=vertical", token: c.bobToken)
            #expect(try object(otherKind.json)["total"] as? Int == 0)
            let unknownKind = try await client.json("\(Self.prefix)/communities?kind=round", token: c.bobToken)
            #expect(unknownKind.status == .unprocessableContent)

            let readOnly = try await client.memberToken("bob", scope: "read")
            let refused = try await client.json(
                "\(Self.prefix)/communities", method: .post, token: readOnly, body: ["slug": "nope", "name": "Nope", "kind": "interest"])
            #expect(refused.status == .forbidden)
            let missing = try await client.json("\(Self.prefix)/communities")
            #expect(missing.status == .unauthorized)
        }
    }

    @Test func managersChangeTheCharterAndSomeAddressesAreKept() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            try await Self.found(client, token: c.aliceToken, slug: "supply-chain")
            let changed = try await client.json(
                "\(Self.prefix)/communities/supply-chain", method: .patch, token: c.aliceToken,
                body: ["name": "Supply chain practice", "membership": "request"])
            #expect(changed.status == .ok, "\(changed.raw)")
            let body = try object(changed.json)
            #expect(body["name"] as? String == "Supply chain practice")
            #expect(body["membership"] as? String == "request")
            #expect(body["kind"] as? String == "horizontal")
            #expect(body["slug"] as? String == "supply-chain")
            let refused = try await client.json(
                "\(Self.prefix)/communities/supply-chain", method: .patch, token: c.bobToken, body: ["name": "Bob's now"])
            #expect(refused.status == .forbidden)
            let bad = try await client.json(
                "\(Self.prefix)/communities/supply-chain", method: .patch, token: c.aliceToken, body: ["kind": "round"])
            #expect(bad.status == .unprocessableContent)
            let stored = try await harness.store.read { try await $0.communities.find(slug: "supply-chain") }
            #expect(stored?.name == "Supply chain practice")
            #expect(stored?.kind == .horizontal)

            for reserved in ["suggested", "new"] {
                let taken = try await client.json(
                    "\(Self.prefix)/communities", method: .post, token: c.bobToken,
                    body: ["slug": reserved, "name": "Tricky", "kind": "interest"])
                #expect(taken.status == .unprocessableContent)
                #expect(Self.error(taken)?.contains("kept for Pollen's own pages") == true)
            }
        }
    }

    @Test func joiningFollowingAndLeavingAnOpenCommunity() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            try await Self.found(client, token: c.aliceToken, slug: "supply-chain")
            let suggested = try await client.json("\(Self.prefix)/communities/suggested", token: c.bobToken)
            #expect(suggested.status == .ok, "\(suggested.raw)")
            let suggestion = try #require((try object(suggested.json)["suggestions"] as? [[String: Any]])?.first)
            #expect((suggestion["community"] as? [String: Any])?["slug"] as? String == "supply-chain")
            #expect(suggestion["colleagues"] as? Int == 1)
            #expect(suggestion["subject"] is NSNull)

            let joined = try await client.json("\(Self.prefix)/communities/supply-chain/join", method: .post, token: c.bobToken)
            #expect(joined.status == .ok, "\(joined.raw)")
            #expect(try object(joined.json)["state"] as? String == "active")
            #expect(try object(joined.json)["role"] as? String == "member")
            let again = try await client.json("\(Self.prefix)/communities/supply-chain/join", method: .post, token: c.bobToken)
            #expect(again.status == .conflict)

            let seen = try object(try await client.json("\(Self.prefix)/communities/supply-chain", token: c.bobToken).json)
            #expect(seen["member_count"] as? Int == 2)
            #expect(seen["viewer_role"] as? String == "member")
            #expect(seen["pending_requests"] is NSNull)
            let mine = try await client.json("\(Self.prefix)/me/communities", token: c.bobToken)
            #expect((try object(mine.json)["communities"] as? [[String: Any]])?.compactMap { $0["slug"] as? String } == ["supply-chain"])

            let watching = try await client.json(
                "\(Self.prefix)/communities/supply-chain/notifications", method: .put, token: c.bobToken, body: ["level": "watching"])
            #expect(watching.status == .ok, "\(watching.raw)")
            #expect(try object(watching.json)["notification_level"] as? String == "watching")
            let badLevel = try await client.json(
                "\(Self.prefix)/communities/supply-chain/notifications", method: .put, token: c.bobToken, body: ["level": "loud"])
            #expect(badLevel.status == .unprocessableContent)

            // Carol follows without joining, then stops.
            let followed = try await client.json("\(Self.prefix)/communities/supply-chain/follow", method: .post, token: c.carolToken)
            #expect(followed.status == .ok, "\(followed.raw)")
            #expect(try object(followed.json)["following"] as? Bool == true)
            let unfollowed = try await client.json("\(Self.prefix)/communities/supply-chain/follow", method: .delete, token: c.carolToken)
            #expect(try object(unfollowed.json)["following"] as? Bool == false)
            #expect(try object(unfollowed.json)["notification_level"] is NSNull)

            let left = try await client.json("\(Self.prefix)/communities/supply-chain/leave", method: .post, token: c.bobToken)
            #expect(left.status == .noContent)
            let members = try await client.json("\(Self.prefix)/communities/supply-chain/members", token: c.carolToken)
            #expect(members.status == .ok, "\(members.raw)")
            #expect(Self.handles(try object(members.json)["members"]) == ["alice"])
            // The only manager stays until another is named.
            let lastManager = try await client.json("\(Self.prefix)/communities/supply-chain/leave", method: .post, token: c.aliceToken)
            #expect(lastManager.status == .conflict)
            let unknown = try await client.json("\(Self.prefix)/communities/nowhere", token: c.bobToken)
            #expect(unknown.status == .notFound)
        }
    }

    @Test func requestsAreApprovedByManagersOnly() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            try await Self.found(client, token: c.aliceToken, slug: "finance", membership: "request")
            _ = try await client.json("\(Self.prefix)/communities/finance/join", method: .post, token: c.carolToken)
            let asked = try await client.json("\(Self.prefix)/communities/finance/join", method: .post, token: c.bobToken)
            #expect(asked.status == .ok, "\(asked.raw)")
            #expect(try object(asked.json)["state"] as? String == "requested")

            // Carol, who is only asking too, may neither see nor decide requests.
            let peek = try await client.json("\(Self.prefix)/communities/finance/members?state=requested", token: c.carolToken)
            #expect(peek.status == .forbidden)
            let refused = try await client.json(
                "\(Self.prefix)/communities/finance/members/bob", method: .post, token: c.carolToken, body: ["action": "approve"])
            #expect(refused.status == .forbidden)

            let requests = try await client.json("\(Self.prefix)/communities/finance/members?state=requested", token: c.aliceToken)
            #expect(requests.status == .ok, "\(requests.raw)")
            #expect(Set(Self.handles(try object(requests.json)["members"])) == ["bob", "carol"])
            let home = try object(try await client.json("\(Self.prefix)/communities/finance", token: c.aliceToken).json)
            #expect(home["pending_requests"] as? Int == 2)

            let approved = try await client.json(
                "\(Self.prefix)/communities/finance/members/@bob", method: .post, token: c.aliceToken, body: ["action": "approve"])
            #expect(approved.status == .ok, "\(approved.raw)")
            #expect(try object(approved.json)["state"] as? String == "active")
            #expect((try object(approved.json)["account"] as? [String: Any])?["handle"] as? String == "bob")
            // Now a member, Bob still may not approve Carol.
            let notManager = try await client.json(
                "\(Self.prefix)/communities/finance/members/carol", method: .post, token: c.bobToken, body: ["action": "approve"])
            #expect(notManager.status == .forbidden)
            let badAction = try await client.json(
                "\(Self.prefix)/communities/finance/members/carol", method: .post, token: c.aliceToken, body: ["action": "promote"])
            #expect(badAction.status == .unprocessableContent)
            let badRole = try await client.json(
                "\(Self.prefix)/communities/finance/members/bob", method: .post, token: c.aliceToken, body: ["action": "role", "role": "boss"])
            #expect(badRole.status == .unprocessableContent)
            let nobody = try await client.json(
                "\(Self.prefix)/communities/finance/members/nobody", method: .post, token: c.aliceToken, body: ["action": "approve"])
            #expect(nobody.status == .notFound)
            let badState = try await client.json("\(Self.prefix)/communities/finance/members?state=banned", token: c.aliceToken)
            #expect(badState.status == .unprocessableContent)

            let active = try await client.json("\(Self.prefix)/communities/finance/members", token: c.bobToken)
            #expect(Set(Self.handles(try object(active.json)["members"])) == ["alice", "bob"])
        }
    }

    // MARK: Private communities

    @Test func aPrivateCommunityIsInvisibleToOutsiders() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            try await Self.found(client, token: c.aliceToken, slug: "board", membership: "private")
            let article = try await Self.write(client, token: c.aliceToken, in: "board", type: "article", title: "Quarterly zeppelin plan")
            let upload = try await Self.multipart(
                client, "\(Self.prefix)/communities/board/items", token: c.aliceToken,
                fields: [("type", "resource"), ("title", "Zeppelin budget")], file: ("budget.csv", Array("a,b\n1,2\n".utf8)))
            #expect(upload.status == .created, "\(upload.raw)")
            let resource = try #require(try object(upload.json)["id"] as? String)

            // Alice finds everything, so the refusals below are about Carol, not about missing content.
            #expect(try await client.json("\(Self.prefix)/items/\(article)", token: c.aliceToken).status == .ok)
            #expect(try await client.json("\(Self.prefix)/items/\(resource)/file", token: c.aliceToken).status == .ok)
            let found = try await client.json("\(Self.prefix)/search/items?q=zeppelin", token: c.aliceToken)
            #expect(Set(Self.ids(try object(found.json)["items"])) == [article, resource])

            #expect(try await client.json("\(Self.prefix)/communities/board", token: c.carolToken).status == .notFound)
            #expect(try await client.json("\(Self.prefix)/communities/board/items", token: c.carolToken).status == .notFound)
            #expect(try await client.json("\(Self.prefix)/items/\(article)", token: c.carolToken).status == .notFound)
            #expect(try await client.json("\(Self.prefix)/items/\(resource)/file", token: c.carolToken).status == .notFound)
            #expect(try await client.json("\(Self.prefix)/items/\(article)/comments", token: c.carolToken).status == .notFound)
            #expect(try await client.json("\(Self.prefix)/communities/board/join", method: .post, token: c.carolToken).status == .notFound)
            let search = try await client.json("\(Self.prefix)/search/items?q=zeppelin", token: c.carolToken)
            #expect(search.status == .ok)
            #expect(Self.ids(try object(search.json)["items"]).isEmpty)
            let directory = try await client.json("\(Self.prefix)/communities", token: c.carolToken)
            #expect(try object(directory.json)["total"] as? Int == 0)
        }
    }

    @Test func aRemovedMemberLosesPrivateContent() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            try await Self.found(client, token: c.aliceToken, slug: "board", membership: "private")
            let article = try await Self.write(client, token: c.aliceToken, in: "board", type: "article", title: "Board minutes")
            let invited = try await client.json(
                "\(Self.prefix)/communities/board/members/bob", method: .post, token: c.aliceToken, body: ["action": "invite"])
            #expect(invited.status == .ok, "\(invited.raw)")
            #expect(try object(invited.json)["state"] as? String == "invited")
            // Invited, Bob sees the community but not yet its content.
            #expect(try await client.json("\(Self.prefix)/communities/board", token: c.bobToken).status == .ok)
            #expect(try await client.json("\(Self.prefix)/items/\(article)", token: c.bobToken).status == .notFound)
            let accepted = try await client.json("\(Self.prefix)/communities/board/join", method: .post, token: c.bobToken)
            #expect(try object(accepted.json)["state"] as? String == "active")
            #expect(try await client.json("\(Self.prefix)/items/\(article)", token: c.bobToken).status == .ok)

            let removed = try await client.json(
                "\(Self.prefix)/communities/board/members/bob", method: .post, token: c.aliceToken, body: ["action": "remove"])
            #expect(removed.status == .noContent, "\(removed.raw)")
            #expect(try await client.json("\(Self.prefix)/items/\(article)", token: c.bobToken).status == .notFound)
            #expect(try await client.json("\(Self.prefix)/communities/board/items", token: c.bobToken).status == .notFound)
            #expect(try await client.json("\(Self.prefix)/communities/board", token: c.bobToken).status == .notFound)
        }
    }

    // MARK: Content

    @Test func itemsAreWrittenListedAndRead() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            try await Self.found(client, token: c.aliceToken, slug: "supply-chain")
            _ = try await client.json("\(Self.prefix)/communities/supply-chain/join", method: .post, token: c.bobToken)
            let made = try await client.json(
                "\(Self.prefix)/communities/supply-chain/items", method: .post, token: c.bobToken,
                body: ["type": "thread", "title": "How do you forecast demand?", "body": "**Ideas** welcome", "tags": ["Forecasting", "demand"]])
            #expect(made.status == .created, "\(made.raw)")
            let item = try object(made.json)
            let id = try #require(item["id"] as? String)
            #expect(item["type"] as? String == "thread")
            #expect(item["body"] as? String == "**Ideas** welcome")
            #expect(item["tags"] as? [String] == ["forecasting", "demand"])
            #expect((item["author"] as? [String: Any])?["handle"] as? String == "bob")
            #expect((item["author"] as? [String: Any])?["display_name"] as? String == "Bob Brown")
            #expect((item["community"] as? [String: Any])?["slug"] as? String == "supply-chain")
            #expect(item["state"] as? String == "published")
            #expect(item["published_at"] is String)
            #expect(item["revision"] as? Int == 1)
            #expect(item["featured"] is NSNull && item["resource"] is NSNull)
            #expect((item["url"] as? String)?.hasSuffix("/c/supply-chain/items/\(id)") == true)
            #expect(item["may_edit"] as? Bool == true)

            let draft = try await client.json(
                "\(Self.prefix)/communities/supply-chain/items", method: .post, token: c.aliceToken,
                body: ["type": "article", "title": "Later", "body": "Soon.", "publish": false])
            #expect(try object(draft.json)["state"] as? String == "draft")
            let scheduled = try await client.json(
                "\(Self.prefix)/communities/supply-chain/items", method: .post, token: c.aliceToken,
                body: ["type": "article", "title": "Next year", "body": "Soon.", "publish_at": "2099-01-01T09:00:00Z"])
            #expect(scheduled.status == .created, "\(scheduled.raw)")
            #expect(try object(scheduled.json)["published_at"] as? String == "2099-01-01T09:00:00.000Z")
            let badDate = try await client.json(
                "\(Self.prefix)/communities/supply-chain/items", method: .post, token: c.aliceToken,
                body: ["type": "article", "title": "Whenever", "body": "Soon.", "publish_at": "next tuesday"])
            #expect(badDate.status == .unprocessableContent)
            let badType = try await client.json(
                "\(Self.prefix)/communities/supply-chain/items", method: .post, token: c.aliceToken,
                body: ["type": "poem", "title": "Roses", "body": "Red."])
            #expect(badType.status == .unprocessableContent)
            // Only members write.
            let outsider = try await client.json(
                "\(Self.prefix)/communities/supply-chain/items", method: .post, token: c.carolToken,
                body: ["type": "thread", "title": "Hello there", "body": "Hi."])
            #expect(outsider.status == .forbidden)

            let threads = try await client.json("\(Self.prefix)/communities/supply-chain/items?type=thread", token: c.carolToken)
            #expect(threads.status == .ok, "\(threads.raw)")
            #expect(Self.ids(try object(threads.json)["items"]) == [id])
            // Drafts and scheduled articles are their author's.
            let carolSees = try await client.json("\(Self.prefix)/communities/supply-chain/items", token: c.carolToken)
            #expect(Self.ids(try object(carolSees.json)["items"]) == [id])
            let aliceSees = try await client.json("\(Self.prefix)/communities/supply-chain/items", token: c.aliceToken)
            #expect(Self.ids(try object(aliceSees.json)["items"]).count == 3)
            let unknownType = try await client.json("\(Self.prefix)/communities/supply-chain/items?type=poem", token: c.carolToken)
            #expect(unknownType.status == .unprocessableContent)

            // Reading counts a view once; the author's own readings do not count.
            let read = try object(try await client.json("\(Self.prefix)/items/\(id)", token: c.carolToken).json)
            #expect((read["counts"] as? [String: Any])?["views"] as? Int == 1)
            #expect(read["may_edit"] as? Bool == false && read["may_comment"] as? Bool == false)
            #expect(read["rating"] is NSNull && read["favourited"] as? Bool == false)
            _ = try await client.json("\(Self.prefix)/items/\(id)", token: c.carolToken)
            let own = try object(try await client.json("\(Self.prefix)/items/\(id)", token: c.bobToken).json)
            #expect((own["counts"] as? [String: Any])?["views"] as? Int == 1)

            let home = try object(try await client.json("\(Self.prefix)/communities/supply-chain", token: c.carolToken).json)
            #expect(Self.ids(home["latest"]) == [id])
            #expect(Self.ids(home["open_questions"]) == [id])
            #expect(Self.handles(home["new_members"]).contains("bob"))

            #expect(try await client.json("\(Self.prefix)/items/12345", token: c.carolToken).status == .notFound)
            #expect(try await client.json("\(Self.prefix)/items/abc", token: c.carolToken).status == .notFound)
        }
    }

    @Test func discussionsTakeCommentsAndArePinnedAndClosed() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            try await Self.found(client, token: c.aliceToken, slug: "supply-chain")
            _ = try await client.json("\(Self.prefix)/communities/supply-chain/join", method: .post, token: c.bobToken)
            let thread = try await Self.write(client, token: c.aliceToken, in: "supply-chain", type: "thread", title: "Safety stock")

            let commented = try await client.json(
                "\(Self.prefix)/items/\(thread)/comments", method: .post, token: c.bobToken, body: ["body": "Two weeks of cover."])
            #expect(commented.status == .created, "\(commented.raw)")
            let comment = try object(commented.json)
            let commentID = try #require(comment["id"] as? String)
            #expect(comment["body"] as? String == "Two weeks of cover.")
            #expect((comment["account"] as? [String: Any])?["handle"] as? String == "bob")
            let empty = try await client.json("\(Self.prefix)/items/\(thread)/comments", method: .post, token: c.bobToken, body: ["body": " "])
            #expect(empty.status == .unprocessableContent)

            let listed = try await client.json("\(Self.prefix)/items/\(thread)/comments", token: c.carolToken)
            #expect(Self.ids(try object(listed.json)["comments"]) == [commentID])

            // Pinning is for those who lead; closing also for the author.
            #expect(try await client.json("\(Self.prefix)/items/\(thread)/pin", method: .post, token: c.bobToken).status == .forbidden)
            let pinned = try await client.json("\(Self.prefix)/items/\(thread)/pin", method: .post, token: c.aliceToken)
            #expect(try object(pinned.json)["pinned"] as? Bool == true)
            let closed = try await client.json("\(Self.prefix)/items/\(thread)/close", method: .post, token: c.aliceToken)
            #expect(try object(closed.json)["closed"] as? Bool == true)
            let late = try await client.json(
                "\(Self.prefix)/items/\(thread)/comments", method: .post, token: c.bobToken, body: ["body": "One more thing."])
            #expect(late.status == .conflict)
            let reopened = try await client.json("\(Self.prefix)/items/\(thread)/close", method: .delete, token: c.aliceToken)
            #expect(try object(reopened.json)["closed"] as? Bool == false)
            let unpinned = try await client.json("\(Self.prefix)/items/\(thread)/pin", method: .delete, token: c.aliceToken)
            #expect(try object(unpinned.json)["pinned"] as? Bool == false)

            let favourite = try await client.json("\(Self.prefix)/items/\(thread)/favourite", method: .post, token: c.carolToken)
            #expect(favourite.status == .ok, "\(favourite.raw)")
            #expect(try object(favourite.json)["favourited"] as? Bool == true)
            #expect((try object(favourite.json)["counts"] as? [String: Any])?["favourites"] as? Int == 1)
            let unfavourite = try await client.json("\(Self.prefix)/items/\(thread)/favourite", method: .delete, token: c.carolToken)
            #expect((try object(unfavourite.json)["counts"] as? [String: Any])?["favourites"] as? Int == 0)

            #expect(try await client.json("\(Self.prefix)/comments/\(commentID)", method: .delete, token: c.carolToken).status == .forbidden)
            let deleted = try await client.json("\(Self.prefix)/comments/\(commentID)", method: .delete, token: c.bobToken)
            #expect(deleted.status == .noContent)
            let after = try await client.json("\(Self.prefix)/items/\(thread)/comments", token: c.carolToken)
            let gone = try #require((try object(after.json)["comments"] as? [[String: Any]])?.first)
            #expect(gone["deleted"] as? Bool == true && gone["body"] as? String == "")
            #expect(try await client.json("\(Self.prefix)/comments/\(commentID)", method: .delete, token: c.bobToken).status == .notFound)

            #expect(try await client.json("\(Self.prefix)/items/\(thread)", method: .delete, token: c.bobToken).status == .forbidden)
            #expect(try await client.json("\(Self.prefix)/items/\(thread)", method: .delete, token: c.aliceToken).status == .noContent)
            #expect(try await client.json("\(Self.prefix)/items/\(thread)", token: c.aliceToken).status == .notFound)
        }
    }

    @Test func membersEditWikiPagesButNotOthersArticles() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            try await Self.found(client, token: c.aliceToken, slug: "supply-chain")
            _ = try await client.json("\(Self.prefix)/communities/supply-chain/join", method: .post, token: c.bobToken)
            let article = try await Self.write(client, token: c.aliceToken, in: "supply-chain", type: "article", title: "My method")
            let wiki = try await Self.write(client, token: c.aliceToken, in: "supply-chain", type: "wiki", title: "Glossary")

            let refused = try await client.json(
                "\(Self.prefix)/items/\(article)", method: .patch, token: c.bobToken, body: ["body": "Bob's method instead."])
            #expect(refused.status == .forbidden, "\(refused.raw)")
            let edited = try await client.json(
                "\(Self.prefix)/items/\(wiki)", method: .patch, token: c.bobToken, body: ["body": "SKU: stock keeping unit.", "revision": 1])
            #expect(edited.status == .ok, "\(edited.raw)")
            let page = try object(edited.json)
            #expect(page["body"] as? String == "SKU: stock keeping unit.")
            #expect(page["title"] as? String == "Glossary")
            #expect(page["revision"] as? Int == 2)
            #expect((page["author"] as? [String: Any])?["handle"] as? String == "alice")
            let retyped = try await client.json("\(Self.prefix)/items/\(wiki)", method: .patch, token: c.bobToken, body: ["type": "article"])
            #expect(retyped.status == .unprocessableContent)
            // Carol is not a member: not even a wiki page.
            let outsider = try await client.json("\(Self.prefix)/items/\(wiki)", method: .patch, token: c.carolToken, body: ["body": "Mine."])
            #expect(outsider.status == .forbidden)
        }
    }

    @Test func staleWikiEditsConflictAndRevisionsRestore() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            try await Self.found(client, token: c.aliceToken, slug: "supply-chain")
            _ = try await client.json("\(Self.prefix)/communities/supply-chain/join", method: .post, token: c.bobToken)
            let wiki = try await Self.write(client, token: c.aliceToken, in: "supply-chain", type: "wiki", title: "Glossary", body: "Lead time")
            let bobs = try await client.json(
                "\(Self.prefix)/items/\(wiki)", method: .patch, token: c.bobToken, body: ["body": "Lead time\nSafety stock", "revision": 1])
            #expect(bobs.status == .ok, "\(bobs.raw)")
            // Alice still edits from revision 1: refused, not lost.
            let stale = try await client.json(
                "\(Self.prefix)/items/\(wiki)", method: .patch, token: c.aliceToken, body: ["body": "Lead time\nReorder point", "revision": "1"])
            #expect(stale.status == .conflict)
            #expect(Self.error(stale)?.contains("@bob") == true)
            let badBase = try await client.json("\(Self.prefix)/items/\(wiki)", method: .patch, token: c.aliceToken, body: ["revision": "latest"])
            #expect(badBase.status == .unprocessableContent)

            let history = try await client.json("\(Self.prefix)/items/\(wiki)/revisions", token: c.aliceToken)
            #expect(history.status == .ok, "\(history.raw)")
            let revisions = try #require(try object(history.json)["revisions"] as? [[String: Any]])
            #expect(revisions.compactMap { $0["number"] as? Int } == [2, 1])
            #expect((revisions.first?["author"] as? [String: Any])?["handle"] as? String == "bob")

            let diff = try await client.json("\(Self.prefix)/items/\(wiki)/diff?from=1&to=2", token: c.aliceToken)
            #expect(diff.status == .ok, "\(diff.raw)")
            let lines = try #require(try object(diff.json)["lines"] as? [[String: Any]])
            let added = try #require(lines.first { $0["change"] as? String == "added" })
            #expect(added["text"] as? String == "Safety stock")
            #expect(added["old_number"] is NSNull && added["new_number"] as? Int == 4)
            let kept = try #require(lines.first { $0["text"] as? String == "Lead time" })
            #expect(kept["change"] as? String == "same" && kept["old_number"] as? Int == 3)
            #expect(try await client.json("\(Self.prefix)/items/\(wiki)/diff?from=1", token: c.aliceToken).status == .unprocessableContent)
            #expect(try await client.json("\(Self.prefix)/items/\(wiki)/diff?from=1&to=9", token: c.aliceToken).status == .notFound)

            let staleRestore = try await client.json(
                "\(Self.prefix)/items/\(wiki)/revisions/1/restore", method: .post, token: c.aliceToken, body: ["revision": 1])
            #expect(staleRestore.status == .conflict)
            let restored = try await client.json("\(Self.prefix)/items/\(wiki)/revisions/1/restore", method: .post, token: c.aliceToken)
            #expect(restored.status == .ok, "\(restored.raw)")
            #expect(try object(restored.json)["body"] as? String == "Lead time")
            #expect(try object(restored.json)["revision"] as? Int == 3)
            let latest = try object(try await client.json("\(Self.prefix)/items/\(wiki)/revisions", token: c.aliceToken).json)
            #expect((latest["revisions"] as? [[String: Any]])?.first?["note"] as? String == "Restored revision 1")
            let missing = try await client.json("\(Self.prefix)/items/\(wiki)/revisions/9/restore", method: .post, token: c.aliceToken)
            #expect(missing.status == .notFound)
        }
    }

    @Test func ratingAgainReplacesAndAuthorsDoNotRateTheirOwn() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            try await Self.found(client, token: c.aliceToken, slug: "supply-chain")
            _ = try await client.json("\(Self.prefix)/communities/supply-chain/join", method: .post, token: c.bobToken)
            let article = try await Self.write(client, token: c.aliceToken, in: "supply-chain", type: "article", title: "Lean logistics")

            let first = try await client.json("\(Self.prefix)/items/\(article)/rating", method: .put, token: c.bobToken, body: ["stars": 2])
            #expect(first.status == .ok, "\(first.raw)")
            #expect(try object(first.json)["rating"] as? Int == 2)
            let second = try await client.json("\(Self.prefix)/items/\(article)/rating", method: .put, token: c.bobToken, form: ["stars": "5"])
            #expect(second.status == .ok)
            let rated = try object(second.json)
            #expect(rated["rating"] as? Int == 5)
            let counts = try #require(rated["counts"] as? [String: Any])
            #expect(counts["ratings"] as? Int == 1)
            #expect(counts["mean_rating"] as? Double == 5)

            let own = try await client.json("\(Self.prefix)/items/\(article)/rating", method: .put, token: c.aliceToken, body: ["stars": 5])
            #expect(own.status == .conflict)
            for stars: Any in [0, 6, "many"] {
                let invalid = try await client.json(
                    "\(Self.prefix)/items/\(article)/rating", method: .put, token: c.bobToken, body: ["stars": stars])
                #expect(invalid.status == .unprocessableContent, "\(stars)")
            }
            // Outsiders read but do not rate.
            let outsider = try await client.json("\(Self.prefix)/items/\(article)/rating", method: .put, token: c.carolToken, body: ["stars": 4])
            #expect(outsider.status == .forbidden)
        }
    }

    @Test func expertsAndManagersFeatureButMembersDoNot() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            try await Self.found(client, token: c.aliceToken, slug: "supply-chain")
            for token in [c.bobToken, c.daveToken] {
                _ = try await client.json("\(Self.prefix)/communities/supply-chain/join", method: .post, token: token)
            }
            let expert = try await client.json(
                "\(Self.prefix)/communities/supply-chain/members/dave", method: .post, token: c.aliceToken,
                body: ["action": "role", "role": "sme"])
            #expect(expert.status == .ok, "\(expert.raw)")
            #expect(try object(expert.json)["role"] as? String == "sme")
            let article = try await Self.write(client, token: c.bobToken, in: "supply-chain", type: "article", title: "Cross-docking")

            let refused = try await client.json(
                "\(Self.prefix)/items/\(article)/feature", method: .post, token: c.bobToken, body: ["note": "Mine is great"])
            #expect(refused.status == .forbidden)
            let featured = try await client.json(
                "\(Self.prefix)/items/\(article)/feature", method: .post, token: c.daveToken, body: ["note": "A clear walk-through"])
            #expect(featured.status == .ok, "\(featured.raw)")
            let feature = try #require(try object(featured.json)["featured"] as? [String: Any])
            #expect(feature["note"] as? String == "A clear walk-through")
            #expect(feature["by"] as? String == "dave")
            #expect(feature["by_id"] as? String == c.dave.id.description)
            #expect(feature["at"] is String)

            let home = try object(try await client.json("\(Self.prefix)/communities/supply-chain", token: c.carolToken).json)
            let shown = try #require((home["featured"] as? [[String: Any]])?.first)
            #expect(shown["id"] as? String == article)
            #expect((shown["featured"] as? [String: Any])?["by"] as? String == "dave")
            #expect(Set(Self.handles(home["leaders"])) == ["alice", "dave"])

            let unfeatured = try await client.json("\(Self.prefix)/items/\(article)/feature", method: .delete, token: c.daveToken)
            #expect(try object(unfeatured.json)["featured"] is NSNull)
        }
    }

    // MARK: Resources

    @Test func uploadedMarkupIsOnlyEverDownloaded() async throws {
        try await WebHarness.run { harness, client in
            let c = try await Self.cast(harness, client)
            try await Self.found(client, token: c.aliceToken, slug: "supply-chain")
            let page = Array("<html><script>alert(1)</script></html>".utf8)
            let upload = try await Self.multipart(
                client, "\(Self.prefix)/communities/supply-chain/items", token: c.aliceToken,
                fields: [("type", "resource"), ("title", "Route planner"), ("tags", "planning")], file: ("planner.html", page))
            #expect(upload.status == .created, "\(upload.raw)")
            let item = try object(upload.json)
            let id = try #require(item["id"] as? String)
            let resource = try #require(item["resource"] as? [String: Any])
            #expect(resource["file_name"] as? String == "planner.html")
            #expect(resource["byte_size"] as? Int == page.count)
            #expect((resource["url"] as? String)?.hasSuffix("\(Self.prefix)/items/\(id)/file") == true)

            let download = try await client.raw("\(Self.prefix)/items/\(id)/file", headers: [.authorization: "Bearer \(c.carolToken)"])
            #expect(download.status == .ok)
            #expect(download.headers[.contentType] == "application/octet-stream")
            #expect(download.headers[.contentDisposition]?.hasPrefix("attachment;") == true)
            #expect(download.headers[.xContentTypeOptions] == "nosniff")
            #expect(download.body == String(decoding: page, as: UTF8.self))

            let program = try await Self.multipart(
                client, "\(Self.prefix)/communities/supply-chain/items", token: c.aliceToken,
                fields: [("type", "resource"), ("title", "Installer")], file: ("setup.exe", [0x4D, 0x5A, 0x90, 0x00]))
            #expect(program.status == .unprocessableContent)
            #expect(Self.error(program)?.contains("cannot be shared") == true)

            // A link instead of a file; then the link replaced by a file.
            let link = try await client.json(
                "\(Self.prefix)/communities/supply-chain/items", method: .post, token: c.aliceToken,
                body: ["type": "resource", "title": "Standards body", "link": "https://example.org/standards"])
            #expect(link.status == .created, "\(link.raw)")
            let linked = try object(link.json)
            #expect((linked["resource"] as? [String: Any])?["url"] is NSNull)
            let linkID = try #require(linked["id"] as? String)
            #expect(try await client.json("\(Self.prefix)/items/\(linkID)/file", token: c.aliceToken).status == .notFound)
            let replaced = try await Self.multipart(
                client, "\(Self.prefix)/items/\(linkID)", method: .patch, token: c.aliceToken, fields: [("revision", "1")],
                file: ("standards.pdf", Array("%PDF-1.4".utf8)))
            #expect(replaced.status == .ok, "\(replaced.raw)")
            #expect((try object(replaced.json)["resource"] as? [String: Any])?["content_type"] as? String == "application/pdf")
            let pdf = try await client.raw("\(Self.prefix)/items/\(linkID)/file", headers: [.authorization: "Bearer \(c.aliceToken)"])
            #expect(pdf.headers[.contentType] == "application/pdf")
        }
    }

    @Test func uploadsOverTheLimitAreRefused() async throws {
        try await Self.run(resourceRules: ResourceRules(maxBytes: 1024)) { harness, client in
            let c = try await Self.cast(harness, client)
            try await Self.found(client, token: c.aliceToken, slug: "supply-chain")
            let fits = try await Self.multipart(
                client, "\(Self.prefix)/communities/supply-chain/items", token: c.aliceToken,
                fields: [("type", "resource"), ("title", "Small notes")], file: ("notes.txt", Array(repeating: 0x61, count: 1024)))
            #expect(fits.status == .created, "\(fits.raw)")
            let tooLarge = try await Self.multipart(
                client, "\(Self.prefix)/communities/supply-chain/items", token: c.aliceToken,
                fields: [("type", "resource"), ("title", "Large notes")], file: ("notes.txt", Array(repeating: 0x61, count: 1025)))
            #expect(tooLarge.status == .unprocessableContent)
            #expect(Self.error(tooLarge)?.contains("at most") == true)
            // A body past what any upload may need is refused before it is read.
            let limit = ResourceDownload.bodyLimit(harness.pollen.resourceRules)
            let huge = try await Self.multipart(
                client, "\(Self.prefix)/communities/supply-chain/items", token: c.aliceToken,
                fields: [("type", "resource"), ("title", "Huge notes")], file: ("notes.txt", Array(repeating: 0x61, count: limit + 1)))
            #expect(huge.status == .contentTooLarge)
            #expect(Self.error(huge) != nil)
        }
    }

    /// ``WebHarness/run`` with a Pollen whose resource rules the test chooses (the harness keeps the defaults).
    static func run(
        resourceRules: ResourceRules, _ body: @escaping @Sendable (WebHarness, any TestClientProtocol) async throws -> Void
    ) async throws {
        var logger = Logger(label: "pollen-web-tests")
        logger.logLevel = .warning
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pollen-web-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try await SQLStore.open(.sqlite(path: folder.appendingPathComponent("db.sqlite").path), logger: logger)
        do {
            try await store.migrate()
            let pollen = Pollen(
                store: store, secrets: BcryptSecretHasher(cost: 4),
                files: DirectoryResourceFiles(root: folder.appendingPathComponent("resources")), resourceRules: resourceRules)
            let app = try await buildApplication(pollen: pollen, configuration: WebHarness.testConfiguration, logger: logger)
            try await app.test(.router) { client in try await body(WebHarness(pollen: pollen, store: store), client) }
            await store.shutdown()
        } catch {
            await store.shutdown()
            throw error
        }
    }
}
