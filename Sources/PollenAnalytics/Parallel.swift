import Dispatch
import Foundation
import Synchronization

/// The number of workers a measure runs: the caller's choice, else one per active core, and never more than there
/// are items to share out (nor fewer than one).
func workerCount(_ requested: Int?, items: Int) -> Int {
    max(1, min(requested ?? ProcessInfo.processInfo.activeProcessorCount, items))
}

/// Runs `body(worker)` for `0..<workers`, on the calling thread when there is only one, so a single-threaded run
/// pays no dispatch.
func runWorkers(_ workers: Int, _ body: @Sendable (Int) -> Void) {
    if workers <= 1 { body(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: body) }
}

/// Contiguous node ranges with nearly equal total cost, where `prefix[v]` is the cost of nodes `0..<v` (a CSR
/// offsets array works: equal edge counts balance work that is proportional to degree better than node counts).
func balancedRanges(_ prefix: UnsafeBufferPointer<Int32>, parts: Int) -> [Range<Int>] {
    let n = prefix.count - 1
    let total = Int(prefix[n])
    var bounds = [0]
    for part in 1..<max(parts, 1) {
        let target = total * part / parts
        var low = bounds.last!, high = n
        while low < high {
            let middle = (low + high) / 2
            if Int(prefix[middle]) < target { low = middle + 1 } else { high = middle }
        }
        bounds.append(low)
    }
    bounds.append(n)
    return (0..<(bounds.count - 1)).map { bounds[$0]..<bounds[$0 + 1] }
}

/// Each worker's finished result, stored once under a lock and read after all workers are done.
final class WorkerResults<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Value?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func store(_ value: Value, at worker: Int) {
        lock.lock()
        defer { lock.unlock() }
        slots[worker] = value
    }

    /// The results in worker order; every worker must have stored one.
    func values() -> [Value] {
        lock.lock()
        defer { lock.unlock() }
        return slots.map { $0! }
    }
}

/// A buffer that workers write at disjoint positions while the owner keeps it alive; `concurrentPerform`
/// returning only after every worker is done is what makes sharing the pointer safe.
struct SharedMutableBuffer<Element>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Element>

    init(_ buffer: UnsafeMutableBufferPointer<Element>) { self.buffer = buffer }

    subscript(index: Int) -> Element {
        get { buffer[index] }
        nonmutating set { buffer[index] = newValue }
    }
}

/// A read-only view of a buffer shared by workers; see `SharedMutableBuffer`.
struct SharedBuffer<Element>: @unchecked Sendable {
    let buffer: UnsafeBufferPointer<Element>

    init(_ buffer: UnsafeBufferPointer<Element>) { self.buffer = buffer }

    subscript(index: Int) -> Element { buffer[index] }
}

/// Hands out consecutive blocks of work to whichever worker asks first, so uneven blocks (hubs) do not leave a
/// worker idle. Only for work whose result does not depend on which worker did it.
final class BlockDispenser: Sendable {
    private let next = Atomic<Int>(0)
    let count: Int
    let blockSize: Int

    init(count: Int, blockSize: Int) {
        self.count = count
        self.blockSize = blockSize
    }

    /// The next unclaimed block, or nil when all are taken.
    func claim() -> Range<Int>? {
        let start = next.wrappingAdd(blockSize, ordering: .relaxed).oldValue
        return start < count ? start..<min(start + blockSize, count) : nil
    }
}
