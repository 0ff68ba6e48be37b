import Foundation

/// A typed identifier: a `Member.ID` cannot be passed where an `OAuthApp.ID` is expected.
///
/// The raw value is a 64-bit, time-ordered number (see ``SnowflakeIDGenerator``), which is also what the
/// Mastodon API exposes as a decimal string.
public struct EntityID<Entity>: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: Int64

    public init(_ rawValue: Int64) { self.rawValue = rawValue }

    /// Parses the decimal form used in URLs and the API; `nil` for anything else.
    public init?(string: String) {
        guard let value = Int64(string), value > 0 else { return nil }
        self.rawValue = value
    }

    public var description: String { String(rawValue) }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int64.self) {
            rawValue = number
        } else if let id = EntityID(string: try container.decode(String.self)) {
            rawValue = id.rawValue
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an identifier")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
