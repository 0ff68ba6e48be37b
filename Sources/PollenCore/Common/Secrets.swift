import Foundation

/// Password hashing and digests, implemented outside the core (bcrypt, SHA-256) and injected.
public protocol SecretHasher: Sendable {
    func hashPassword(_ password: String) throws -> String
    func verifyPassword(_ password: String, hash: String) -> Bool
    func sha256(_ bytes: [UInt8]) -> [UInt8]
}

extension SecretHasher {
    /// What is stored for a bearer secret (session cookie, token, code): its SHA-256 in hex, so a copy of the
    /// database does not hand out working credentials.
    public func digest(_ secret: String) -> String {
        sha256(Array(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

/// Random, URL-safe secrets from the system's cryptographic generator.
public enum SecretGenerator {
    /// 32 random bytes (256 bits) in base64url without padding.
    public static func token(bytes count: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64URLEncoded()
    }
}

extension Data {
    public func base64URLEncoded() -> String {
        base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
