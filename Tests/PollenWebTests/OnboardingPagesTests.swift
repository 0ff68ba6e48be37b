import Foundation
import Hummingbird
import HummingbirdTesting
import PollenCore
import Testing

extension WebHarness {
    func onboarding(of member: Member) async throws -> OnboardingProgress? {
        try await store.read { try await $0.discovery.onboarding(of: member.id) }
    }
}

@Suite struct OnboardingPagesTests {
    static let newcomer = [
        "display_name": "Grace Hopper", "handle": "grace", "email": "grace@example.org", "password": "compilers-rule",
    ]

    /// Signs Grace up through the sign-up page; returns her browser, on the guide's first page.
    private static func signUp(_ harness: WebHarness, _ client: any TestClientProtocol) async throws
        -> (browser: TestBrowser, grace: Member, page: TestBrowser.Page)
    {
        let browser = TestBrowser(client)
        try await browser.get("/signup")
        let created = try await browser.post("/signup", form: Self.newcomer)
        #expect(created.status == .found)
        #expect(created.location == "/welcome")
        let page = try await browser.follow(created)
        return (browser, try #require(try await harness.member("grace")), page)
    }

    /// An organization with a conversation going: Bob writes on #forecasting and Carol (whom Bob follows)
    /// likes it; Dave writes on #negotiation.
    private static func busyOrganization(_ harness: WebHarness) async throws -> (bob: Member, carol: Member, dave: Member) {
        try await harness.addMember("ada", role: .admin)
        let bob = try await harness.addMember("bob", name: "Bob Baker", department: "Logistics")
        let carol = try await harness.addMember("carol", name: "Carol Chen", department: "Finance")
        let dave = try await harness.addMember("dave", name: "Dave Diaz", department: "Research")
        try await harness.pollen.followMember(carol.id, by: .member(bob))
        try await harness.pollen.followMember(dave.id, by: .member(bob))
        try await harness.post("Demand sensing explained #forecasting", by: bob, favouritedBy: [carol, dave])
        try await harness.post("Anchoring in talks #negotiation", by: dave, favouritedBy: [carol])
        _ = try await harness.pollen.refreshSubjectScores()
        return (bob, carol, dave)
    }

    @Test func signUpLandsOnTheGuideAndTheWholeGuideBuildsANetwork() async throws {
        try await WebHarness.run { harness, client in
            let org = try await Self.busyOrganization(harness)
            let (browser, grace, first) = try await Self.signUp(harness, client)
            #expect(first.status == .ok)
            #expect(first.body.contains("Step 1 of 6: Choose your subjects"))
            #expect(first.body.contains("aria-current=\"step\">1. Choose your subjects</a>"))
            #expect(first.body.contains("id=\"tag-forecasting\" name=\"tags\" value=\"forecasting\""))
            #expect(first.body.contains("id=\"tag-negotiation\""))
            #expect(try await harness.onboarding(of: grace)?.step == 1)

            // Step 1: subjects go on the profile.
            let saved = try await browser.post(
                "/welcome/subjects", fields: [("tags", "forecasting"), ("other", "#negotiation, lean")])
            #expect(saved.status == .found)
            #expect(saved.location == "/welcome")
            let second = try await browser.follow(saved)
            #expect(flashNotice(second) == "Subjects saved to your profile.")
            #expect(try await harness.member("grace")?.profile.subjects == ["forecasting", "negotiation", "lean"])
            #expect(try await browser.get("/@grace").body.contains("#forecasting"))

            // Step 2: the thought leaders come ticked, with why.
            #expect(second.body.contains("Step 2 of 6: Follow thought leaders"))
            #expect(second.body.contains("Thought leader in #forecasting"))
            #expect(second.body.contains("\(pickBox(org.bob)) name=\"ids\" value=\"\(org.bob.id)\" aria-label=\"Select Bob Baker\" checked"))
            #expect(second.body.contains("name=\"onboarding_step\" value=\"2\""))
            let leaders = try await browser.post(
                "/network/follow", fields: pickIDs(org.bob) + [("next", "/welcome"), ("onboarding_step", "2")])
            #expect(leaders.location == "/welcome")
            let third = try await browser.follow(leaders)
            #expect(flashNotice(third) == "You now follow 1 person.")
            #expect(try await harness.follows(grace, org.bob))

            // Step 3: whom they follow, with the reason.
            #expect(third.body.contains("Step 3 of 6: Follow who they follow"))
            #expect(third.body.contains(pickBox(org.carol)))
            #expect(third.body.contains("Followed by Bob Baker, whom you follow"))
            let more = try await browser.follow(
                try await browser.post(
                    "/network/follow", fields: pickIDs(org.carol) + [("next", "/welcome"), ("onboarding_step", "3")]))
            #expect(more.body.contains("Step 4 of 6: Join communities"))
            #expect(try await harness.follows(grace, org.carol))

            // Step 4 is passed by its link; step 5 offers the subjects as hashtags, ticked.
            #expect(more.body.contains("href=\"/welcome?step=5\" rel=\"next\">Skip this step</a>"))
            let fifth = try await browser.get("/welcome?step=5")
            #expect(fifth.body.contains("Step 5 of 6: Follow hashtags"))
            #expect(fifth.body.contains("id=\"tag-forecasting\" name=\"tags\" value=\"forecasting\" checked"))
            let tags = try await browser.post("/welcome/tags", fields: [("tags", "forecasting"), ("other", "lean")])
            #expect(tags.location == "/welcome")
            let sixth = try await browser.follow(tags)
            #expect(flashNotice(sixth) == "You now follow #forecasting, #lean.")
            #expect(try await harness.isFollowingTag(grace, "forecasting"))
            #expect(try await harness.isFollowingTag(grace, "lean"))

            // Step 6: an introduction, prefilled.
            #expect(sixth.body.contains("Step 6 of 6: Introduce yourself"))
            #expect(sixth.body.contains("Hello, I&#39;m Grace Hopper.") || sixth.body.contains("Hello, I'm Grace Hopper."))
            #expect(sixth.body.contains("#introductions"))
            let posted = try await browser.post("/welcome/introduce", form: ["status": "Hello all, I'm Grace. #introductions"])
            #expect(posted.status == .found)
            #expect(posted.location == "/")
            let home = try await browser.follow(posted)
            #expect(flashNotice(home) == "Posted. Welcome aboard: your network is ready.")
            #expect(home.body.contains("Hello all, I"))
            #expect(!home.body.contains("getting-started guide"))
            #expect(try await harness.onboarding(of: grace)?.finishedAt != nil)
            #expect(try await harness.counts(grace).following == 2)
        }
    }

    @Test func choosingNoSubjectIsRefused() async throws {
        try await WebHarness.run { harness, client in
            _ = try await Self.busyOrganization(harness)
            let (browser, grace, _) = try await Self.signUp(harness, client)
            let page = try await browser.post("/welcome/subjects", fields: [("other", "  ")])
            #expect(page.status == .unprocessableContent)
            #expect(page.body.contains("Choose at least one subject, or skip this step."))
            #expect(page.body.contains("Step 1 of 6: Choose your subjects"))
            #expect(try await harness.member("grace")?.profile.subjects == [])
            #expect(try await harness.onboarding(of: grace)?.step == 1)

            let bad = try await browser.post("/welcome/subjects", fields: [("other", "not a tag!!, ???")])
            #expect(bad.status == .unprocessableContent)
            #expect(try await harness.member("grace")?.profile.subjects == [])
        }
    }

    @Test func theGuideResumesWhereItWasLeft() async throws {
        try await WebHarness.run { harness, client in
            _ = try await Self.busyOrganization(harness)
            let (browser, grace, _) = try await Self.signUp(harness, client)
            #expect(try await browser.get("/welcome?step=3").body.contains("Step 3 of 6: Follow who they follow"))
            #expect(try await harness.onboarding(of: grace)?.step == 3)

            let home = try await browser.get("/")
            #expect(home.body.contains("You are on step 3 of 6 of the getting-started guide."))
            #expect(home.body.contains("href=\"/welcome\">Open the getting-started guide</a>"))
            let discover = try await browser.get("/discover")
            #expect(discover.body.contains("You are on step 3 of the getting-started guide."))

            let resumed = try await browser.get("/welcome")
            #expect(resumed.body.contains("Step 3 of 6: Follow who they follow"))
            #expect(resumed.body.contains("href=\"/welcome?step=2\" rel=\"prev\">Back</a>"))
            // Another sign-in resumes there too.
            let again = TestBrowser(client)
            try await again.signIn("grace", password: "compilers-rule")
            #expect(try await again.get("/welcome").body.contains("Step 3 of 6"))
            #expect(try await again.get("/welcome?step=99").body.contains("Step 3 of 6"))
        }
    }

    @Test func skippingTheGuideEndsItAndTheHomePromptGoes() async throws {
        try await WebHarness.run { harness, client in
            _ = try await Self.busyOrganization(harness)
            let (browser, grace, first) = try await Self.signUp(harness, client)
            #expect(first.body.contains("action=\"/welcome/skip\""))
            let skipped = try await browser.post("/welcome/skip", form: [:])
            #expect(skipped.location == "/")
            let home = try await browser.follow(skipped)
            #expect(flashNotice(home) == "Guide skipped. You can pick it up again from Discover.")
            #expect(!home.body.contains("Open the getting-started guide"))
            #expect(try await harness.onboarding(of: grace)?.skippedAt != nil)
            #expect(try await browser.get("/").body.contains("Open the getting-started guide") == false)

            // Discover offers it again, and opening it picks it up.
            let discover = try await browser.get("/discover")
            #expect(discover.body.contains("You left the getting-started guide at step 1."))
            #expect(discover.body.contains("href=\"/welcome\">Open the getting-started guide</a>"))
            #expect(try await browser.get("/welcome?step=2").body.contains("Step 2 of 6"))
            #expect(try await harness.onboarding(of: grace)?.isOver == false)
            #expect(try await browser.get("/").body.contains("You are on step 2 of 6"))

            let finished = try await browser.post("/welcome/finish", form: [:])
            #expect(finished.location == "/")
            let after = try await browser.follow(finished)
            #expect(flashNotice(after)?.hasPrefix("You are all set.") == true)
            #expect(!after.body.contains("Open the getting-started guide"))
            #expect(try await harness.onboarding(of: grace)?.finishedAt != nil)
        }
    }

    @Test func aMemberWhoNeverOpenedTheGuideAndFollowsNobodyIsInvitedToIt() async throws {
        try await WebHarness.run { harness, client in
            let org = try await Self.busyOrganization(harness)
            try await harness.addMember("erin")
            let browser = TestBrowser(client)
            try await browser.signIn("erin")
            #expect(try await browser.get("/").body.contains("Build your network in a few minutes"))
            try await harness.pollen.followMember(org.bob.id, by: .member(try #require(try await harness.member("erin"))))
            #expect(!(try await browser.get("/")).body.contains("Build your network in a few minutes"))
        }
    }

    @Test func theGuideWorksInAnEmptyOrganization() async throws {
        try await WebHarness.run { harness, client in
            // Only the administrator, who prefers not to be suggested.
            let ada = try await harness.addMember("ada", role: .admin)
            try await harness.setPrivacy(ada, .everyone, discoverable: false)
            let (browser, grace, first) = try await Self.signUp(harness, client)
            #expect(first.body.contains("Nobody has used a hashtag here yet."))
            #expect(!first.body.contains("name=\"tags\""))

            // Someone who skips the subjects, while nobody has any, sees advice at step 2 and 5.
            let other = TestBrowser(client)
            try await other.get("/signup")
            try await other.post(
                "/signup", form: ["display_name": "Hedy", "handle": "hedy", "email": "hedy@example.org", "password": "frequency-hop"])
            #expect(try await other.get("/welcome?step=2").body.contains("Choose some subjects in step 1 first"))
            let hedysTags = try await other.get("/welcome?step=5")
            #expect(hedysTags.body.contains("No hashtags are in use yet."))
            let refused = try await other.post("/welcome/tags", fields: [("other", "")])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("Choose at least one hashtag."))
            // Hedy, new too, would be suggested to Grace as such; she asks not to be.
            try await harness.setPrivacy(try #require(try await harness.member("hedy")), .everyone, discoverable: false)

            let second = try await browser.follow(
                try await browser.post("/welcome/subjects", fields: [("other", "supply-chain, negotiation")]))
            #expect(second.body.contains("Step 2 of 6"))
            #expect(second.body.contains("Nobody has written about your subjects yet."))
            #expect(!second.body.contains("Follow selected and continue"))

            let third = try await browser.get("/welcome?step=3")
            #expect(third.body.contains("Follow a few people first"))
            #expect(!third.body.contains("name=\"ids\""))

            let fifth = try await browser.get("/welcome?step=5")
            #expect(fifth.body.contains("id=\"tag-negotiation\""), "the chosen subjects are offered")

            let done = try await browser.post("/welcome/introduce", form: ["status": "Hello, first one here #introductions"])
            #expect(done.location == "/")
            #expect(try await harness.onboarding(of: grace)?.finishedAt != nil)
        }
    }

    @Test func anEmptyIntroductionIsRefused() async throws {
        try await WebHarness.run { harness, client in
            _ = try await Self.busyOrganization(harness)
            let (browser, grace, _) = try await Self.signUp(harness, client)
            try await browser.get("/welcome?step=6")
            let page = try await browser.post("/welcome/introduce", form: ["status": "   "])
            #expect(page.status == .unprocessableContent)
            #expect(page.body.contains("Step 6 of 6: Introduce yourself"))
            #expect(try await harness.onboarding(of: grace)?.finishedAt == nil)
            #expect(try await harness.counts(grace).posts == 0)
        }
    }
}
