import Foundation
import Hummingbird
import PollenCore

/// The member's own insight page. It names no member in its address: it always describes whoever is signed in.
struct PersonalInsightPages {
    let pollen: Pollen
    let views: ViewRenderer
    let organization: OrganizationMixCache

    func addRoutes(to router: Router<PollenRequestContext>) {
        router.get("/me/insight") { _, context in
            let actor = try context.requireActor()
            let insight = try await pollen.personalInsight(
                for: actor, organization: try await organization.mix(now: pollen.time.now()) { try await pollen.organizationMix(for: actor) })
            let page = PersonalInsightPage(insight, layout: Layout(title: "Your network insight", context: context))
            return views.response(page, template: "personal_insight")
        }
    }
}
