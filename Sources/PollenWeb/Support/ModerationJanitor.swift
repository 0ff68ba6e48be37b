import Foundation
import Logging
import PollenCore
import ServiceLifecycle

/// Purges removed content once its retention period is over: checked hourly (and at start), so a server
/// that was down catches up, and several servers on one database only repeat a cheap query.
public struct ModerationJanitor: Service {
    let pollen: Pollen
    let logger: Logger
    var checkEvery: Duration = .seconds(3600)

    public init(pollen: Pollen, logger: Logger) {
        self.pollen = pollen
        self.logger = logger
    }

    public func run() async throws {
        try await repeatUntilShutdown(every: checkEvery) { [pollen, logger] in
            do {
                let purged = try await pollen.purgeRemovedContent()
                if purged > 0 { logger.info("Purged \(purged) removed pieces past their retention period.") }
            } catch {
                logger.error("Removed content could not be purged: \(error)")
            }
        }
    }
}
