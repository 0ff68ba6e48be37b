import Foundation

/// SplitMix64: small, fast, and the same sequence on every run for a seed — what a reproducible demo needs
/// (never the system generator, never `hashValue`, which is seeded per process). The benchmarks draw their
/// samples with it too.
public struct DemoRandom: RandomNumberGenerator {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// Separate streams per phase keep one phase's draws from shifting another's.
    init(seed: UInt64, stream: UInt64) {
        state = seed ^ (stream &* 0xD1B5_4A32_D192_ED03)
        _ = next()
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

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
