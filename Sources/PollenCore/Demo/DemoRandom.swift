import Foundation
import PollenAnalytics

/// The demo's random numbers: SplitMix64 (the engine's generator), the same sequence on every run for a seed — what
/// a reproducible demo needs (never the system generator, never `hashValue`, which is seeded per process). The
/// benchmarks draw their samples with it too.
public struct DemoRandom: RandomNumberGenerator {
    private var generator: SplitMix64

    public init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    /// Separate streams per phase keep one phase's draws from shifting another's.
    init(seed: UInt64, stream: UInt64) {
        generator = SplitMix64(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
        _ = next()
    }

    public mutating func next() -> UInt64 { generator.next() }

    /// 0..<bound; the multiply-high mapping's bias is far below anything a demo could notice.
    mutating func int(below bound: Int) -> Int {
        precondition(bound > 0)
        return Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    mutating func chance(_ probability: Double) -> Bool { unit() < probability }

    /// Standard normal, by Box-Muller.
    mutating func normal() -> Double {
        let radius = (-2 * log(1 - unit())).squareRoot()
        return radius * cos(2 * Double.pi * unit())
    }
}

/// Picks an index with probability proportional to its weight, by binary search over running totals.
struct DemoWeightedTable: Sendable {
    private let cumulative: [Double]

    init(_ weights: [Double]) {
        precondition(!weights.isEmpty && weights.allSatisfy { $0 >= 0 })
        var total = 0.0
        cumulative = weights.map { weight in
            total += weight
            return total
        }
    }

    func pick(_ rng: inout DemoRandom) -> Int {
        let target = rng.unit() * cumulative[cumulative.count - 1]
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let mid = (low + high) / 2
            if cumulative[mid] > target { high = mid } else { low = mid + 1 }
        }
        return low
    }

    /// Weights that fall off like a Zipf law, so the first entries dominate and the tail is long.
    static func zipf(count: Int, exponent: Double) -> DemoWeightedTable {
        DemoWeightedTable((1...count).map { 1 / pow(Double($0), exponent) })
    }
}
