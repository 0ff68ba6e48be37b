import Foundation
import Logging
import PollenCore
import ServiceLifecycle

/// Keeps the subject scores behind thought leaders and suggestions fresh: rebuilt when older than
/// ``Pollen/subjectScoreRefreshInterval`` (hourly), checked every minute, so a server that was down picks
/// up at once and several servers on one database do not all rebuild.
public struct DiscoveryRefresher: Service {
    let pollen: Pollen
    let logger: Logger
    /// How often the age of the scores is checked (one row read).
    var checkEvery: Duration = .seconds(60)

    public init(pollen: Pollen, logger: Logger) {
        self.pollen = pollen
        self.logger = logger
    }

    public func run() async throws {
        try await repeatUntilShutdown(every: checkEvery) { [pollen, logger] in
            do {
                if try await pollen.subjectScoresAreStale() {
                    let started = ContinuousClock.now
                    let result = try await pollen.refreshSubjectScores()
                    logger.info("Subject scores rebuilt: \(result.scores) kept, in \(ContinuousClock.now - started).")
                }
            } catch {
                logger.error("Subject scores could not be rebuilt: \(error)")
            }
        }
    }
}
