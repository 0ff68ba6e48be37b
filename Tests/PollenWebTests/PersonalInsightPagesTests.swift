import Foundation
import Hummingbird
import HummingbirdTesting
import PollenCore
@testable import PollenWeb
import Testing

extension WebHarness {
    /// A member with a department and a location, through the use case.
    @discardableResult
    func colleague(_ handle: String, name: String? = nil, role: Member.Role = .member, department: String, location: String = "")
        async throws -> Member
    {
        let display = name ?? handle.capitalized
        return try await pollen.addMember(
            AddMemberCommand(
                handle: handle, email: "\(handle)@example.org", displayName: display, password: "correct-horse-1", role: role,
                profile: Profile(displayName: display, department: department, location: location)),
            by: .system)
    }

    func setInsightNamesPeople(_ on: Bool) async throws {
        try await store.write { repos in
            var settings = try await repos.settings.load()
            settings.insight.individualScores = on
            try await repos.settings.save(settings)
        }
    }
}

@Suite struct PersonalInsightPagesTests {
    static let api = "/api/pollen/v1"

    /// Max (Finance, in Leeds) follows five of Legal's six and one of the five in "R&D <Labs>"; Ada is an administrator
    /// in Engineering who follows nobody; five people work in Operations, one of whom a lawyer Max follows follows.
    private struct Cast {
        let max: Member
        let ada: Member
        let legal: [Member]
        let lab: [Member]
        let operations: [Member]
    }

    private static func cast(_ harness: WebHarness) async throws -> Cast {
        let max = try await harness.colleague("max", name: "Max Mayer", department: "Finance", location: "Leeds")
        let ada = try await harness.colleague("ada", name: "Ada Admin", role: .admin, department: "Engineering")
        var legal: [Member] = []
        for index in 1...6 {
            legal.append(try await harness.colleague("lee\(index)", name: "Lee \(index)", department: "Legal", location: "Paris"))
        }
        var lab: [Member] = []
        for index in 1...5 {
            lab.append(try await harness.colleague("rd\(index)", name: "Rd \(index)", department: "R&D <Labs>", location: "Lyon"))
        }
        var operations: [Member] = []
        for index in 1...5 {
            operations.append(try await harness.colleague("ops\(index)", name: "Ops \(index)", department: "Operations", location: "Rome"))
        }
        for lawyer in legal.prefix(5) { _ = try await harness.pollen.followMember(lawyer.id, by: .member(max)) }
        _ = try await harness.pollen.followMember(lab[0].id, by: .member(max))
        _ = try await harness.pollen.followMember(operations[0].id, by: .member(legal[0]))
        return Cast(max: max, ada: ada, legal: legal, lab: lab, operations: operations)
    }

    @Test func theMemberSeesTheirInsightWithChartsAndTables() async throws {
        try await WebHarness.run { harness, client in
            _ = try await Self.cast(harness)
            let browser = TestBrowser(client)
            try await browser.signIn("max")
            let page = try await browser.get("/me/insight")
            #expect(page.status == .ok)
            let body = page.body
            #expect(body.contains("<h1>Your network insight</h1>"))
            #expect(body.contains("Only you can see this page — administrators cannot open it."))
            #expect(body.contains("Your network holds 6 people: 6 you follow, and 0 more you interacted with in the last 90 days."))
            // Departments as an SVG chart with its title, and the same numbers in a table.
            #expect(body.contains("<svg class=\"chart bars\""))
            #expect(body.contains("<title>Departments: your network beside the organization</title>"))
            #expect(body.contains("<th scope=\"row\">Legal</th><td class=\"num\">5</td><td class=\"num\">83%</td>"))
            #expect(body.contains("Your network is less varied across departments than the organization: 83% of it is in Legal."))
            // A label is escaped inside the chart as in the table; nothing of it reaches the page as markup.
            #expect(body.contains("R&amp;D &lt;Labs&gt;"))
            #expect(!body.contains("<Labs>"))
            // The balance, with what each figure counts, and the bridges.
            #expect(body.contains("Seek, sense and share"))
            #expect(body.contains("People followed</th><td>people you started to follow</td><td class=\"num\">6</td>"))
            #expect(body.contains("You mostly seek; sharing what you learn helps others find you."))
            #expect(body.contains("Finance has fewer than 5 people, so it is not compared"))
            // Someone from a group the network lacks (discovery found them through a lawyer Max follows), with why
            // and the usual follow form.
            #expect(body.contains("action=\"/@ops1/follow\""))
            #expect(body.contains("From Operations: 0% of your network, 28% of the organization"))
            #expect(!body.contains("From Legal"), "Legal is over-represented in Max's network")

            let followed = try await browser.post("/@ops1/follow", form: ["next": "/me/insight"])
            #expect(followed.status == .found && followed.location == "/me/insight")
            let after = try await browser.follow(followed)
            #expect(flashNotice(after) == "You now follow @ops1.")
            #expect(after.body.contains("Your network holds 7 people"))
        }
    }

    @Test func anEmptyNetworkGetsHelpInsteadOfFigures() async throws {
        try await WebHarness.run { harness, client in
            try await harness.colleague("nia", department: "Sales")
            let browser = TestBrowser(client)
            try await browser.signIn("nia")
            let page = try await browser.get("/me/insight")
            #expect(page.status == .ok)
            #expect(page.body.contains("Your network is empty so far."))
            #expect(page.body.contains("href=\"/discover\">suggestions</a>"))
            #expect(!page.body.contains("<svg"), "no chart of nothing")
            #expect(page.body.contains("Nothing counted in the last 90 days yet"))
        }
    }

    @Test func signedOutVisitorsAreSentToSignIn() async throws {
        try await WebHarness.run { _, client in
            let page = try await client.raw("/me/insight")
            #expect(page.status == .seeOther)
            #expect(page.location == "/signin?next=%2Fme%2Finsight")
            let api = try await client.json("\(Self.api)/me/insight")
            #expect(api.status == .unauthorized)
        }
    }

    /// An administrator signed in gets their own insight, never anyone else's, and no address or parameter asks for
    /// another member's.
    @Test func anAdministratorSeesOnlyTheirOwn() async throws {
        try await WebHarness.run { harness, client in
            let cast = try await Self.cast(harness)
            let browser = TestBrowser(client)
            try await browser.signIn("ada")
            for path in ["/me/insight", "/me/insight?member=max", "/me/insight?handle=max&id=\(cast.max.id)"] {
                let page = try await browser.get(path)
                #expect(page.status == .ok, "\(path)")
                #expect(page.body.contains("Your network is empty so far."), "\(path) shows Ada's own, empty network")
                #expect(!page.body.contains("Your network holds"), "\(path)")
            }
            for path in ["/me/insight/max", "/@max/insight", "/me/insight/\(cast.max.id)", "/members/max/insight"] {
                #expect(try await browser.get(path).status == .notFound, "\(path)")
            }
            let token = try await client.memberToken("ada")
            for path in ["\(Self.api)/me/insight", "\(Self.api)/me/insight?account_id=\(cast.max.id)&handle=max"] {
                let response = try await client.json(path, token: token)
                #expect(response.status == .ok)
                let json = try #require(response.json as? [String: Any])
                #expect((json["account"] as? [String: Any])?["handle"] as? String == "ada")
                #expect((json["network"] as? [String: Any])?["people"] as? Int == 0)
            }
            for path in ["\(Self.api)/profiles/max/insight", "\(Self.api)/members/\(cast.max.id)/insight"] {
                #expect(try await client.json(path, token: token).status == .notFound, "\(path)")
            }
            // The only routes of personal insight take no member.
            let router = try await buildRouter(pollen: harness.pollen, configuration: WebHarness.testConfiguration)
            let routes = router.routes.map(\.path.description).filter { $0.contains("me/insight") }
            #expect(routes.sorted() == ["/api/pollen/v1/me/insight", "/me/insight"])
        }
    }

    @Test func theAPIGivesTheSameFiguresAsThePage() async throws {
        try await WebHarness.run { harness, client in
            let cast = try await Self.cast(harness)
            let token = try await client.memberToken("max", scope: "read")
            let response = try await client.json("\(Self.api)/me/insight", token: token)
            #expect(response.status == .ok)
            let json = try #require(response.json as? [String: Any])
            #expect((json["account"] as? [String: Any])?["id"] as? String == cast.max.id.description)
            #expect(json["network"] as? [String: Int] == ["people": 6, "followed": 6, "interacted_only": 0])
            let privacy = try #require(json["privacy"] as? [String: Any])
            #expect(privacy["only_you"] as? Bool == true && privacy["organization_shows_named_people"] as? Bool == false)
            let diversity = try #require(json["diversity"] as? [[String: Any]])
            #expect(diversity.map { $0["dimension"] as? String } == ["department", "location", "subject"])
            let departments = diversity[0]
            #expect(departments["reading"] as? String == "less_varied")
            #expect(departments["categories"] as? Int == 5)
            let mine = try #require(departments["network"] as? [String: Any])
            // Legal 5, R&D 1 of 6: 1 − (25 + 1) / 36.
            #expect(abs((mine["blau"] as? Double ?? -1) - (1 - 26.0 / 36)) < 1e-9)
            let groups = try #require(departments["groups"] as? [[String: Any]])
            #expect(groups.first?["group"] as? String == "Legal" && groups.first?["network"] as? Int == 5)
            // Subjects: nobody lists one, so there is no measure, and it says so with null rather than leaving it out.
            let subjects = try #require(diversity[2]["network"] as? [String: Any])
            #expect(subjects["blau"] is NSNull && subjects["normalized_entropy"] is NSNull)
            let bridges = try #require(json["bridges"] as? [[String: Any]])
            #expect(bridges.map { $0["standing"] as? String } == ["group_too_small", "group_too_small"])
            let balance = try #require(json["balance"] as? [String: Any])
            #expect(balance["leading"] as? String == "seek" && balance["total"] as? Int == 6)
            #expect((balance["activities"] as? [Any])?.count == LearningBalance.Activity.allCases.count)

            // The page says the same.
            let browser = TestBrowser(client)
            try await browser.signIn("max")
            #expect(try await browser.get("/me/insight").body.contains(departments["text"] as? String ?? "missing"))

            // An app acting without a member is refused, and a token without the scope.
            let app = try await client.registerApp(scopes: "read")
            let appToken = try await client.json(
                "/oauth/token", method: .post,
                form: ["grant_type": "client_credentials", "client_id": app.clientID, "client_secret": app.clientSecret, "scope": "read"])
            let bearer = try #require((appToken.json as? [String: Any])?["access_token"] as? String)
            #expect(try await client.json("\(Self.api)/me/insight", token: bearer).status == .forbidden)
            let writeOnly = try await client.memberToken("max", scope: "write")
            #expect(try await client.json("\(Self.api)/me/insight", token: writeOnly).status == .forbidden)
        }
    }

    @Test func theSettingOnNamedPeopleIsShownBothWays() async throws {
        try await WebHarness.run { harness, client in
            try await harness.colleague("max", department: "Finance")
            let browser = TestBrowser(client)
            try await browser.signIn("max")
            let token = try await client.memberToken("max")
            for named in [false, true] {
                try await harness.setInsightNamesPeople(named)
                let sentence = "The organization's network insight shows named people: \(named ? "yes" : "no") (set by the administrators)."
                let page = try await browser.get("/me/insight")
                #expect(page.body.contains(sentence.replacingOccurrences(of: "'", with: "&#39;")) || page.body.contains(sentence))
                let privacy = try await browser.get("/settings/privacy")
                #expect(privacy.body.contains("administrators cannot open it"))
                #expect(privacy.body.contains(sentence.replacingOccurrences(of: "'", with: "&#39;")) || privacy.body.contains(sentence))
                let json = try await client.json("\(Self.api)/me/insight", token: token)
                #expect(((json.json as? [String: Any])?["privacy"] as? [String: Any])?["organization_shows_named_people"] as? Bool == named)
            }
        }
    }
}
