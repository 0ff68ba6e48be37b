import Crypto
import HummingbirdBcrypt
import PollenCore

/// bcrypt for passwords, SHA-256 for bearer secrets and PKCE.
public struct BcryptSecretHasher: SecretHasher {
    /// bcrypt's work factor; 12 in production, lower in tests to keep them quick.
    public let cost: UInt8

    public init(cost: UInt8 = 12) {
        self.cost = cost
    }

    public func hashPassword(_ password: String) throws -> String {
        Bcrypt.hash(password, cost: cost)
    }

    public func verifyPassword(_ password: String, hash: String) -> Bool {
        Bcrypt.verify(password, hash: hash)
    }

    public func sha256(_ bytes: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: bytes))
    }
}
