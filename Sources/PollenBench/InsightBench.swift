import Foundation
import PollenCore
import PollenStorage

extension PollenBench {
    /// The analytics job phase by phase, then whole (the first run also fills in twelve weeks of trend).
    func insightFigures(_ pollen: Pollen, _ store: SQLStore) async throws {
        let clock = ContinuousClock()
        func seconds(_ duration: Duration) -> String {
            String(format: "%.2f s", Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
        }
        let now = Date()
        var members: [InsightMember] = [], interactions: [Interaction] = [], activity: [ActivityEvent] = []
        let readTime = try await clock.measure {
            (members, interactions, activity) = try await store.read { repos in
                (try await repos.insight.members(),
                 try await repos.insight.interactions(since: now.addingTimeInterval(-Double(OrganizationAnalysis.horizonDays) * 86_400)),
                 try await repos.insight.activity(since: now.addingTimeInterval(-400 * 86_400)))
            }
        }
        print("members: \(members.count), interactions and follows: \(interactions.count), community events: \(activity.count)")
        print("reading the activity: \(seconds(readTime))")
        var snapshot: OrganizationSnapshot?
        let full = clock.measure {
            snapshot = OrganizationAnalysis.snapshot(members: members, interactions: interactions, now: now, individualScores: true)
        }
        if let snapshot {
            print("network figures (ties \(snapshot.ties), units \(snapshot.units.count), modularity "
                + "\(String(format: "%.3f", snapshot.modularity))), with brokerage and sampled betweenness: \(seconds(full))")
        }
        let light = clock.measure {
            _ = OrganizationAnalysis.snapshot(
                members: members, interactions: interactions, now: now.addingTimeInterval(-7 * 86_400), individualScores: false,
                light: true)
        }
        print("one trend point (light pass): \(seconds(light))")
        let run = try await clock.measure {
            _ = try await pollen.performAnalytics(try await pollen.requestAnalyticsRun(by: .system))
        }
        print("a whole run, stored (the first also fills in 12 trend points): \(seconds(run))")
        let again = try await clock.measure {
            _ = try await pollen.performAnalytics(try await pollen.requestAnalyticsRun(by: .system))
        }
        print("a later run, stored: \(seconds(again))")
    }
}
