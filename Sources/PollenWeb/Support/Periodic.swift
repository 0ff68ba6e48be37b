import ServiceLifecycle

/// Runs `work` at once and then every `interval`, until the server shuts down gracefully: the loop of the
/// background services that keep derived data fresh.
func repeatUntilShutdown(every interval: Duration, _ work: @escaping @Sendable () async -> Void) async throws {
    try? await cancelWhenGracefulShutdown {
        while !Task.isCancelled {
            await work()
            try await Task.sleep(for: interval)
        }
    }
}
