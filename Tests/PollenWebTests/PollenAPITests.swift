import Foundation
import Hummingbird
import HummingbirdTesting
import PollenCore
import Testing

@Suite struct PollenAPITests {
    static let prefix = "/api/pollen/v1"

    // MARK: Me and profiles

    @Test func meShowsTheOwnProfileWithEmail() async throws {
        try await WebHarness.run { harness, client in
            let bob = try await harness.addMember("bob", name: "Bob", department: "Sales", subjects: ["crm"])
            let token = try await client.memberToken("bob", scope: "read")
            let response = try await client.json("\(Self.prefix)/me", token: token)
            #expect(response.status == .ok)
            let me = try object(response.json)
            #expect(me["id"] as? String == bob.id.description)
            #expect(me["handle"] as? String == "bob")
            #expect(me["display_name"] as? String == "Bob")
            #expect(me["department"] as? String == "Sales")
            #expect(me["subjects"] as? [String] == ["crm"])
            #expect(me["email"] as? String == "bob@example.org")
            #expect(me["role"] as? String == "member")
            #expect(me["suspended"] as? Bool == false)
        }
    }

    @Test func meNeedsAMemberToken() async throws {
        try await WebHarness.run { _, client in
            let response = try await client.json("\(Self.prefix)/me")
            #expect(response.status == .unauthorized)
            #expect(try object(response.json)["error"] as? String == "The access token is missing.")
        }
    }

    @Test func patchMeUpdatesTheProfileFromJSON() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("bob", name: "Bob")
            let token = try await client.memberToken("bob", scope: "read write")
            let response = try await client.json(
                "\(Self.prefix)/me", method: .patch, token: token,
                body: ["display_name": "Bob Builder", "bio": "Builds.", "department": "Operations", "location": "Leeds",
                       "job_role": "Engineer", "subjects": ["Machine Learning", "#Welding"], "expertise": "CRM, data viz"])
            #expect(response.status == .ok, "\(response.raw)")
            let me = try object(response.json)
            #expect(me["display_name"] as? String == "Bob Builder")
            #expect(me["subjects"] as? [String] == ["machine-learning", "welding"])
            #expect(me["expertise"] as? [String] == ["crm", "data-viz"])
            let bob = try #require(try await harness.member("bob"))
            #expect(bob.profile == Profile(
                displayName: "Bob Builder", bio: "Builds.", department: "Operations", location: "Leeds", jobRole: "Engineer",
                subjects: ["machine-learning", "welding"], expertise: ["crm", "data-viz"]))
        }
    }

    @Test func patchMeKeepsFieldsThatAreNotSent() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("bob", name: "Bob", department: "Sales", subjects: ["crm"])
            let token = try await client.memberToken("bob", scope: "read write")
            let response = try await client.json("\(Self.prefix)/me", method: .patch, token: token, body: ["bio": "Hello."])
            #expect(response.status == .ok)
            let bob = try #require(try await harness.member("bob"))
            #expect(bob.profile.bio == "Hello.")
            #expect(bob.profile.department == "Sales")
            #expect(bob.profile.subjects == ["crm"])
        }
    }

    @Test func patchMeClearsAListWithAnEmptyArray() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("bob", name: "Bob", subjects: ["crm", "sales"])
            let token = try await client.memberToken("bob", scope: "read write")
            let response = try await client.json("\(Self.prefix)/me", method: .patch, token: token, body: ["subjects": []])
            #expect(response.status == .ok)
            #expect(try object(response.json)["subjects"] as? [String] == [])
            #expect(try await harness.member("bob")?.profile.subjects == [])
        }
    }

    @Test func patchMeRefusesInvalidInput() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("bob", name: "Bob")
            try await harness.addMember("carol")
            let before = try await harness.member("bob")
            let token = try await client.memberToken("bob", scope: "read write")
            let badTag = try await client.json(
                "\(Self.prefix)/me", method: .patch, token: token, body: ["bio": "Changed", "subjects": ["c++"]])
            #expect(badTag.status == .unprocessableContent)
            #expect((try object(badTag.json)["error"] as? String)?.contains("“c++” may contain only") == true)
            let taken = try await client.json(
                "\(Self.prefix)/me", method: .patch, token: token, body: ["handle": "CAROL", "bio": "Changed"])
            #expect(taken.status == .conflict)
            #expect(try object(taken.json)["error"] as? String == "The handle @CAROL is taken.")
            let notJSON = try await client.raw(
                "\(Self.prefix)/me", method: .patch,
                headers: [.authorization: "Bearer \(token)", .contentType: "application/json"], body: "[1, 2]")
            #expect(notJSON.status == .unprocessableContent)
            #expect(try await harness.member("bob") == before)
        }
    }

    @Test func patchMeNeedsWriteScope() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("bob", name: "Bob")
            let token = try await client.memberToken("bob", scope: "read")
            let response = try await client.json("\(Self.prefix)/me", method: .patch, token: token, body: ["bio": "Changed"])
            #expect(response.status == .forbidden)
            #expect(try await harness.member("bob")?.profile.bio == "")
        }
    }

    @Test func profileByHandleHidesOtherPeoplesEmail() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("bob")
            try await harness.addMember("carol", name: "Carol King", department: "Research")
            let token = try await client.memberToken("bob", scope: "read")
            let response = try await client.json("\(Self.prefix)/profiles/carol", token: token)
            #expect(response.status == .ok)
            let carol = try object(response.json)
            #expect(carol["display_name"] as? String == "Carol King")
            #expect(carol["department"] as? String == "Research")
            #expect(carol["email"] == nil)

            let missing = try await client.json("\(Self.prefix)/profiles/nobody", token: token)
            #expect(missing.status == .notFound)
            #expect(try object(missing.json)["error"] as? String == "Member not found.")
        }
    }

    @Test func directoryFiltersBySubjectAndDepartment() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("alice", department: "Research", subjects: ["machine-learning"])
            try await harness.addMember("bruno", department: "Sales", subjects: ["machine-learning"])
            try await harness.addMember("chloe", department: "Research", subjects: ["chemistry"])
            let token = try await client.memberToken("alice", scope: "read")

            func handles(_ query: String) async throws -> [String] {
                let response = try await client.json("\(Self.prefix)/members?\(query)", token: token)
                #expect(response.status == .ok)
                let page = try object(response.json)
                let members = try #require(page["members"] as? [[String: Any]])
                #expect(page["total"] as? Int == members.count)
                return members.compactMap { $0["handle"] as? String }.sorted()
            }
            #expect(try await handles("") == ["alice", "bruno", "chloe"])
            #expect(try await handles("subject=Machine+Learning") == ["alice", "bruno"])
            #expect(try await handles("department=research") == ["alice", "chloe"])
            #expect(try await handles("subject=machine-learning&department=Research") == ["alice"])
            #expect(try await handles("q=chemistry") == ["chloe"])

            let paged = try object(try await client.json("\(Self.prefix)/members?limit=1&offset=1", token: token).json)
            #expect(paged["total"] as? Int == 3)
            #expect((paged["members"] as? [Any])?.count == 1)
            #expect(paged["limit"] as? Int == 1)
        }
    }

    // MARK: Administration

    @Test func adminEndpointsAreForbiddenToMembers() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("ada", role: .admin)
            let bob = try await harness.addMember("bob")
            let token = try await client.memberToken("bob")
            let requests: [(String, HTTPRequest.Method, [String: Any]?)] = [
                ("admin/members", .get, nil),
                ("admin/members", .post, ["handle": "zed", "email": "zed@example.org", "display_name": "Zed"]),
                ("admin/members/\(bob.id)/role", .post, ["role": "admin"]),
                ("admin/members/\(bob.id)/suspend", .post, [:]),
                ("admin/settings", .get, nil),
                ("admin/settings", .put, ["name": "Mine"]),
            ]
            for (path, method, body) in requests {
                let response = try await client.json("\(Self.prefix)/\(path)", method: method, token: token, body: body)
                #expect(response.status == .forbidden, "\(method) \(path)")
                #expect(try object(response.json)["error"] as? String == "You are not allowed to do that.", "\(path)")
            }
            let importing = try await client.raw(
                "\(Self.prefix)/admin/members/import", method: .post,
                headers: [.authorization: "Bearer \(token)", .contentType: "text/csv"],
                body: "email,name,handle\nzed@example.org,Zed,zed\n")
            #expect(importing.status == .forbidden)
            #expect(importing.headers[.contentType]?.hasPrefix("application/json") == true)
            #expect(try await harness.member("bob")?.role == .member)
            #expect(try await harness.member("zed") == nil)
            #expect(try await harness.pollen.settings().name == "Pollen")
        }
    }

    @Test func adminEndpointsNeedAdminScope() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("ada", role: .admin)
            let token = try await client.memberToken("ada", scope: "read write")
            let response = try await client.json("\(Self.prefix)/admin/members", token: token)
            #expect(response.status == .forbidden)
            #expect((try object(response.json)["error"] as? String)?.contains("admin:read") == true)
        }
    }

    @Test func adminListsAndAddsMembers() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("ada", role: .admin)
            let bob = try await harness.addMember("bob")
            try await harness.pollen.setSuspended(true, memberID: bob.id, by: .system)
            let token = try await client.memberToken("ada")
            let list = try object(try await client.json("\(Self.prefix)/admin/members", token: token).json)
            let members = try #require(list["members"] as? [[String: Any]])
            #expect(members.compactMap { $0["handle"] as? String }.sorted() == ["ada", "bob"])
            #expect(members.first { $0["handle"] as? String == "bob" }?["email"] as? String == "bob@example.org")

            let created = try await client.json(
                "\(Self.prefix)/admin/members", method: .post, token: token,
                body: ["handle": "zed", "email": "zed@example.org", "display_name": "Zed", "role": "moderator",
                       "subjects": ["Physics"]])
            #expect(created.status == .created, "\(created.raw)")
            let zed = try #require(try await harness.member("zed"))
            #expect(zed.role == .moderator)
            #expect(zed.profile.subjects == ["physics"])
            #expect(zed.passwordHash == nil)

            let duplicate = try await client.json(
                "\(Self.prefix)/admin/members", method: .post, token: token,
                body: ["handle": "zed2", "email": "ZED@example.org", "display_name": "Zed"])
            #expect(duplicate.status == .conflict)
            #expect(try await harness.member("zed2") == nil)
        }
    }

    @Test func adminChangesRolesAndSuspends() async throws {
        try await WebHarness.run { harness, client in
            let ada = try await harness.addMember("ada", role: .admin)
            let bob = try await harness.addMember("bob")
            let token = try await client.memberToken("ada")
            let bobsToken = try await client.memberToken("bob", scope: "read")

            let role = try await client.json(
                "\(Self.prefix)/admin/members/\(bob.id)/role", method: .post, token: token, body: ["role": "moderator"])
            #expect(role.status == .ok)
            #expect(try object(role.json)["role"] as? String == "moderator")
            #expect(try await harness.member("bob")?.role == .moderator)

            let badRole = try await client.json(
                "\(Self.prefix)/admin/members/\(bob.id)/role", method: .post, token: token, body: ["role": "king"])
            #expect(badRole.status == .unprocessableContent)

            let lastAdmin = try await client.json(
                "\(Self.prefix)/admin/members/\(ada.id)/role", method: .post, token: token, body: ["role": "member"])
            #expect(lastAdmin.status == .conflict)
            #expect(try await harness.member("ada")?.role == .admin)

            let suspend = try await client.json(
                "\(Self.prefix)/admin/members/\(bob.id)/suspend", method: .post, token: token, body: [:])
            #expect(suspend.status == .ok)
            #expect(try object(suspend.json)["suspended"] as? Bool == true)
            #expect(try await client.json("\(Self.prefix)/me", token: bobsToken).status == .unauthorized)

            let unsuspend = try await client.json(
                "\(Self.prefix)/admin/members/\(bob.id)/unsuspend", method: .post, token: token, body: [:])
            #expect(try object(unsuspend.json)["suspended"] as? Bool == false)
            #expect(try await harness.member("bob")?.isSuspended == false)

            let unknown = try await client.json(
                "\(Self.prefix)/admin/members/55555/suspend", method: .post, token: token, body: [:])
            #expect(unknown.status == .notFound)
            #expect(try object(unknown.json)["error"] as? String == "Member not found.")
        }
    }

    @Test func adminImportsCSVAndGetsLineNumberedErrors() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("ada", role: .admin)
            let token = try await client.memberToken("ada")
            let csv = "email,name,handle,subjects\r\nyan@example.org,Yan,yan,Rust; Go\r\nbroken,Nope,nope,\r\nzoe@example.org,Zoe,zoe,\r\n"

            func importCSV() async throws -> [String: Any] {
                let response = try await client.raw(
                    "\(Self.prefix)/admin/members/import", method: .post,
                    headers: [.authorization: "Bearer \(token)", .contentType: "text/csv"], body: csv)
                #expect(response.status == .ok, "\(response.body)")
                return try object(try? JSONSerialization.jsonObject(with: Data(response.body.utf8)))
            }
            let report = try await importCSV()
            #expect(report["created"] as? Int == 2)
            #expect(report["updated"] as? Int == 0)
            let errors = try #require(report["errors"] as? [[String: Any]])
            #expect(errors.count == 1)
            #expect(errors.first?["line"] as? Int == 3)
            #expect(errors.first?["message"] as? String == "enter a valid e-mail address.")
            #expect(try await harness.member("yan")?.profile.subjects == ["rust", "go"])
            #expect(try await harness.member("nope") == nil)

            let again = try await importCSV()
            #expect(again["created"] as? Int == 0)
            #expect(again["unchanged"] as? Int == 2)
            #expect(try await harness.memberCount() == 3)

            let badHeader = try await client.raw(
                "\(Self.prefix)/admin/members/import", method: .post,
                headers: [.authorization: "Bearer \(token)", .contentType: "text/csv"], body: "mail,name\n")
            #expect(badHeader.status == .unprocessableContent)
            #expect(badHeader.body.contains("unknown column"))
        }
    }

    @Test func adminReadsAndUpdatesSettings() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("ada", role: .admin)
            let token = try await client.memberToken("ada")
            let current = try object(try await client.json("\(Self.prefix)/admin/settings", token: token).json)
            #expect(current["signup_policy"] as? String == "open")

            let saved = try await client.json(
                "\(Self.prefix)/admin/settings", method: .put, token: token,
                body: ["name": "Acme", "signup_policy": "domains", "allowed_domains": ["Acme.example", "@labs.acme.example", "acme.example"]])
            #expect(saved.status == .ok, "\(saved.raw)")
            let body = try object(saved.json)
            #expect(body["allowed_domains"] as? [String] == ["acme.example", "labs.acme.example"])
            let settings = try await harness.pollen.settings()
            #expect(settings.name == "Acme")
            #expect(settings.signupPolicy == .domains)
            #expect(settings.allowedDomains == ["acme.example", "labs.acme.example"])

            let cleared = try await client.json(
                "\(Self.prefix)/admin/settings", method: .put, token: token,
                body: ["signup_policy": "open", "allowed_domains": []])
            #expect(cleared.status == .ok)
            #expect(try await harness.pollen.settings().allowedDomains == [])
        }
    }

    @Test func settingsWithDomainPolicyButNoDomainsAreRefused() async throws {
        try await WebHarness.run { harness, client in
            try await harness.addMember("ada", role: .admin)
            let token = try await client.memberToken("ada")
            let response = try await client.json(
                "\(Self.prefix)/admin/settings", method: .put, token: token, body: ["signup_policy": "domains"])
            #expect(response.status == .unprocessableContent)
            #expect(try object(response.json)["error"] as? String
                == "Name at least one e-mail domain when sign-up is limited to domains.")
            let badPolicy = try await client.json(
                "\(Self.prefix)/admin/settings", method: .put, token: token, body: ["signup_policy": "anyone"])
            #expect(badPolicy.status == .unprocessableContent)
            #expect(try await harness.pollen.settings() == ServerSettings.default)
        }
    }

    // MARK: Documents and health

    @Test func openAPIDocumentIsJSON() async throws {
        try await WebHarness.run { _, client in
            let response = try await client.raw("\(Self.prefix)/openapi.json")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            let document = try object(try? JSONSerialization.jsonObject(with: Data(response.body.utf8)))
            #expect((document["openapi"] as? String)?.hasPrefix("3.1") == true)
            #expect(document["paths"] is [String: Any])
        }
    }

    @Test func healthCheckAnswersOK() async throws {
        try await WebHarness.run { _, client in
            let response = try await client.json("/healthz")
            #expect(response.status == .ok)
            #expect(try object(response.json) as? [String: String] == ["status": "ok"])
        }
    }
}
