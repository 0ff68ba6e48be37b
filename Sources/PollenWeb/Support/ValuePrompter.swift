import Foundation
import Logging
import PollenCore
import ServiceLifecycle

/// Asks members, a month and three months after they marked something useful, whether they used it: checked
/// hourly (and at start), so a server that was down catches up; several servers on one database send each prompt
/// once, as the mark's row decides (see ``Pollen/sendValuePrompts(now:)``).
public struct ValuePrompter: Service {
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
                let sent = try await pollen.sendValuePrompts(now: pollen.time.now())
                if sent > 0 { logger.info("Sent \(sent) value prompts about things marked useful.") }
            } catch {
                logger.error("Value prompts could not be sent: \(error)")
            }
        }
    }
}
