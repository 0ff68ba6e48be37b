import Foundation
import PollenCore
@testable import PollenWeb
import Synchronization
import Testing

@Suite struct TrendCacheTests {
    private func snapshot(_ department: String?, at: Date) -> TrendSnapshot {
        TrendSnapshot(department: department, takenAt: at, newMembers: [], popularPeople: [], popularPosts: [], risingTags: [])
    }

    @Test func aSnapshotIsReadOncePerDepartmentUntilItAges() async throws {
        let cache = TrendCache()
        let reads = Mutex(0)
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        func get(_ department: String?, _ now: Date) async throws -> TrendSnapshot {
            try await cache.snapshot(department: department, now: now) {
                reads.withLock { $0 += 1 }
                return snapshot(department, at: now)
            }
        }
        _ = try await get(nil, start)
        _ = try await get(nil, start.addingTimeInterval(60))
        #expect(reads.withLock { $0 } == 1, "kept within five minutes")
        _ = try await get("Finance", start.addingTimeInterval(60))
        _ = try await get("finance", start.addingTimeInterval(120))
        #expect(reads.withLock { $0 } == 2, "one read per department, whatever its letter case")
        let aged = try await get(nil, start.addingTimeInterval(TrendCache.maxAge + 1))
        #expect(reads.withLock { $0 } == 3, "read again once older than the limit")
        #expect(aged.takenAt == start.addingTimeInterval(TrendCache.maxAge + 1))
    }

    @Test func aFailedReadKeepsNothing() async throws {
        let cache = TrendCache()
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        await #expect(throws: DomainError.self) {
            try await cache.snapshot(department: nil, now: now) { throw DomainError.invalid("no") }
        }
        let read = try await cache.snapshot(department: nil, now: now) { snapshot(nil, at: now) }
        #expect(read.takenAt == now)
    }
}
