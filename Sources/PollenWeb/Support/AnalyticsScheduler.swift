import Foundation
import Logging
import PollenCore
import ServiceLifecycle

/// Runs the analytics job in the background: checks every ten minutes (and at start) whether the configured
/// interval has passed since the last finished run. The check is one cheap query, so several servers on one
/// database cost nothing; the first to start a run makes the others wait for it.
public struct AnalyticsScheduler: Service {
    let pollen: Pollen
    let logger: Logger
    var checkEvery: Duration = .seconds(600)

    public init(pollen: Pollen, logger: Logger) {
        self.pollen = pollen
        self.logger = logger
    }

    public func run() async throws {
        try await repeatUntilShutdown(every: checkEvery) { [pollen, logger] in
            do {
                if let run = try await pollen.runScheduledAnalytics(), let finished = run.finishedAt {
                    logger.info("Analytics computed in \(String(format: "%.1f", finished.timeIntervalSince(run.startedAt))) s.")
                }
            } catch {
                logger.error("The analytics job failed: \(error)")
            }
        }
    }
}
