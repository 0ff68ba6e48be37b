import Foundation
import Hummingbird
import PollenCore

/// Counts writes (POST, PUT, PATCH, DELETE) per member and per network address in one-minute windows and
/// refuses those over the organization's limits with 429 and `Retry-After`, before any work is done. The counts
/// live in this process: several servers behind one proxy each allow the limit, which still bounds a runaway
/// script. Signing in has its own stricter, stored limit and is not counted here.
actor WriteRateLimiter {
    private struct Window {
        var minute: Int64
        var count: Int
    }

    private let pollen: Pollen
    private var windows: [String: Window] = [:]
    private var limits: (perMember: Int, perAddress: Int)?
    private var limitsReadAt = Date.distantPast
    private var lastSweep: Int64 = 0

    init(pollen: Pollen) {
        self.pollen = pollen
    }

    /// Seconds to wait when the write is over a limit, or nil when it may go ahead (and is counted).
    func admit(member: Member.ID?, address: String, at now: Date) async -> Int? {
        let limits = await currentLimits(at: now)
        let seconds = Int64(now.timeIntervalSince1970)
        let minute = seconds / 60
        if minute != lastSweep {
            // Old windows are dropped once a minute, so the table holds only the current minute's writers.
            windows = windows.filter { $0.value.minute == minute }
            lastSweep = minute
        }
        var keys = [("a:" + address, limits.perAddress)]
        if let member { keys.append(("m:\(member)", limits.perMember)) }
        for (key, limit) in keys where (windows[key]?.minute == minute ? windows[key]!.count : 0) >= limit {
            return Int(60 - seconds % 60)
        }
        for (key, _) in keys {
            let current = windows[key]
            windows[key] = Window(minute: minute, count: current?.minute == minute ? current!.count + 1 : 1)
        }
        return nil
    }

    /// The limits are settings; read again at most every 30 seconds, not for every request.
    private func currentLimits(at now: Date) async -> (perMember: Int, perAddress: Int) {
        if let limits, now.timeIntervalSince(limitsReadAt) < 30 { return limits }
        let read = (try? await pollen.writeLimits()) ?? limits ?? (ModerationSettings().writesPerMinutePerMember, ModerationSettings().writesPerMinutePerAddress)
        limits = read
        limitsReadAt = now
        return read
    }
}

struct WriteRateLimitMiddleware: RouterMiddleware {
    typealias Context = PollenRequestContext
    let limiter: WriteRateLimiter
    let time: any TimeSource

    static let exempt: Set<String> = ["/signin", "/signout", "/oauth/token", "/oauth/revoke", "/setup", "/signup"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard [.post, .put, .patch, .delete].contains(request.method), !Self.exempt.contains(request.uri.path) else {
            return try await next(request, context)
        }
        if let wait = await limiter.admit(member: context.viewer?.id, address: context.remoteAddress, at: time.now()) {
            // Shaped by ErrorMiddleware (JSON or a page), which keeps the error's headers.
            throw HTTPError(
                .tooManyRequests, headers: [.retryAfter: String(wait)],
                message: "Too many changes in a short time; wait \(wait) seconds and try again.")
        }
        return try await next(request, context)
    }
}
