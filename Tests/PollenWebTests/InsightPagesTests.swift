import Foundation
import Hummingbird
import HummingbirdTesting
import PollenCore
import Testing

/// The insight hub, the organization's network insight, a community's insight and its chosen measures, and the
/// administrators' insight settings.
@Suite struct InsightPagesTests {
    /// Two units of five and a community with some activity, computed once.
    static func organization(_ harness: WebHarness) async throws -> [String: Member] {
        var people: [String: Member] = [:]
        people["root"] = try await harness.addMember("root", role: .admin, department: "Ops")
        for index in 1...5 {
            people["ops\(index)"] = try await harness.addMember("ops\(index)", department: "Ops")
            people["fin\(index)"] = try await harness.addMember("fin\(index)", department: "Finance")
        }
        let pollen = harness.pollen
        for (a, b) in [("ops1", "fin1"), ("fin1", "fin2"), ("ops2", "ops1"), ("fin3", "ops3"), ("ops3", "ops4")] {
            _ = try await pollen.followMember(people[b]!.id, by: .member(people[a]!))
        }
        _ = try await pollen.createCommunity(
            CommunityDraft(slug: "lean", name: "Lean", kind: .horizontal, purpose: "Less waste, *together*.", membership: .open),
            by: .member(people["ops1"]!))
        for handle in ["ops2", "fin1", "fin2"] { _ = try await pollen.joinCommunity(slug: "lean", by: .member(people[handle]!)) }
        let item = try await pollen.createItem(
            ItemDraft(kind: .article, title: "Value streams", body: "Map them first.", tags: []), in: "lean",
            by: .member(people["ops1"]!))
        _ = try await pollen.item(item.id, viewer: .member(people["fin1"]!))
        _ = try await pollen.comment(on: item.id, body: "Useful.", by: .member(people["fin2"]!))
        return people
    }

    static func compute(_ harness: WebHarness) async throws {
        _ = try await harness.pollen.performAnalytics(try await harness.pollen.requestAnalyticsRun(by: .system))
    }

    @Test func theNetworkInsightForAdministratorsAndGrantees() async throws {
        try await WebHarness.run { harness, client in
            _ = try await Self.organization(harness)
            let root = TestBrowser(client)
            try await root.signIn("root")
            let before = try await root.get("/insight/network")
            #expect(before.status == .ok)
            #expect(before.body.contains("have not been computed yet"))
            try await Self.compute(harness)

            let page = try await root.get("/insight/network")
            #expect(page.body.contains("Units and silos"))
            #expect(page.body.contains("<svg class=\"chart heatmap\""))
            #expect(page.body.contains("Finance"))
            #expect(page.body.contains("Named people are not shown"))
            let csv = try await root.get("/insight/network.csv?table=units")
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(csv.body.hasPrefix("\"Unit\",\"People\","))
            #expect(csv.body.contains("\"Ops\",\"6\""))
            #expect(try await root.get("/insight/network.csv?table=nonsense").status == .unprocessableContent)

            // A member does not see it, until an administrator grants it.
            let member = TestBrowser(client)
            try await member.signIn("fin3")
            #expect(try await member.get("/insight/network").status == .forbidden)
            #expect(try await member.get("/insight/network.csv?table=units").status == .forbidden)
            let hub = try await member.get("/insight")
            #expect(hub.body.contains("open to administrators and the people they choose"))
            #expect(hub.body.contains("not shown"))
            #expect(try await member.post("/admin/insight/grants", form: ["handle": "fin3"]).status == .forbidden)

            let unknown = try await root.post("/admin/insight/grants", form: ["handle": "nobody"])
            #expect(unknown.status == .unprocessableContent)
            #expect(unknown.body.contains("There is no active member @nobody."))
            let granted = try await root.post("/admin/insight/grants", form: ["handle": "fin3"])
            #expect(granted.location == "/admin/insight")
            #expect(try await root.get("/admin/insight").body.contains("@fin3"))
            #expect(try await member.get("/insight/network").status == .ok)
            #expect(try await member.get("/insight").body.contains("Open the network insight"))

            // Settings: a bad interval is refused; naming people is the administrators' choice, seen by all.
            let bad = try await root.post("/admin/insight", form: ["refresh_hours": "soon"])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.body.contains("whole number"))
            let saved = try await root.post("/admin/insight", form: ["refresh_hours": "12", "individual_scores": "1"])
            #expect(saved.location == "/admin/insight")
            #expect(try await member.get("/insight").body.contains("<strong>shown</strong>"))
            try await Self.compute(harness)
            #expect(try await root.get("/insight/network").body.contains("People who broker between units"))

            let fin3 = try #require(try await harness.member("fin3"))
            let revoked = try await root.post("/admin/insight/grants/\(fin3.id)/delete", form: [:])
            #expect(revoked.location == "/admin/insight")
            #expect(try await member.get("/insight/network").status == .forbidden)
        }
    }

    @Test func aCommunitysInsightAndItsMeasures() async throws {
        try await WebHarness.run { harness, client in
            _ = try await Self.organization(harness)
            let manager = TestBrowser(client)
            try await manager.signIn("ops1")
            let form = try await manager.get("/c/lean/measures")
            #expect(form.status == .ok)
            #expect(form.body.contains("Time to first answer"))

            // A bad number: the form again with the message, nothing saved.
            let bad = try await manager.post(
                "/c/lean/measures", fields: [("target_consumer", "lots"), ("measure", "reads"), ("_csrf", manager.csrf)])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.body.contains("The target for Consumer must be a number."))
            let ops1 = Actor.member(try #require(try await harness.member("ops1")))
            #expect(try await harness.pollen.communityInsight(slug: "lean", by: ops1).charter.measures.isEmpty)

            // A target on an activity count is saved, with the reason it is a poor idea.
            let warned = try await manager.post(
                "/c/lean/measures",
                fields: [("target_creator", "30"), ("measure", "reads"), ("target_reads", "100"),
                         ("measure", "time_to_first_answer"), ("target_time_to_first_answer", "24"), ("_csrf", manager.csrf)])
            #expect(warned.status == .ok)
            #expect(warned.body.contains("makes a poor target"))
            let plain = try await manager.post(
                "/c/lean/measures",
                fields: [("target_creator", "30"), ("measure", "participation_rate"), ("measure", "reads"), ("_csrf", manager.csrf)])
            #expect(plain.location == "/c/lean/insight")

            try await Self.compute(harness)
            let reader = TestBrowser(client)
            try await reader.signIn("fin2")
            let page = try await reader.get("/c/lean/insight")
            #expect(page.status == .ok)
            #expect(page.body.contains("Participation profile"))
            #expect(page.body.contains("Less waste, <em>together</em>."))
            #expect(page.body.contains("id=\"measure-participation_rate\""))
            #expect(page.body.contains("<svg class=\"chart\""))
            #expect(page.body.contains("Knowledge shared and used"))
            #expect(!page.body.contains("Choose measures and target profile"))
            let roles = try await reader.get("/c/lean/insight.csv?table=roles")
            #expect(roles.body.hasPrefix("\"Role\",\"What counts\",\"People\","))
            #expect(roles.body.contains("Creator"))
            #expect(try await reader.get("/c/lean/insight.csv?table=knowledge").body.contains("Articles created"))
            // Members read the measures; only managers change them.
            #expect(try await reader.get("/c/lean/measures").status == .forbidden)
            #expect(try await reader.post("/c/lean/measures", form: ["measure": "reads"]).status == .forbidden)
            #expect(try await reader.get("/c/nowhere/insight").status == .notFound)

            // Refreshing: managers may, plain members may not.
            #expect(try await reader.post("/insight/run", form: ["next": "/c/lean/insight"]).status == .forbidden)
            let refresh = try await manager.post("/insight/run", form: ["next": "/c/lean/insight"])
            #expect(refresh.location == "/c/lean/insight")
        }
    }

    @Test func aPrivateCommunitysInsightIsHiddenFromOutsiders() async throws {
        try await WebHarness.run { harness, client in
            let people = try await Self.organization(harness)
            _ = try await harness.pollen.createCommunity(
                CommunityDraft(slug: "quiet", name: "Quiet", kind: .interest, purpose: "Private matters", membership: .private),
                by: .member(people["ops1"]!))
            let outsider = TestBrowser(client)
            try await outsider.signIn("fin5")
            #expect(try await outsider.get("/c/quiet/insight").status == .notFound)
            #expect(try await outsider.get("/c/quiet/insight.csv?table=roles").status == .notFound)
            #expect(try await outsider.get("/c/quiet/measures").status == .notFound)
            #expect(try await TestBrowser(client).get("/insight").location == "/signin?next=%2Finsight")
        }
    }
}
