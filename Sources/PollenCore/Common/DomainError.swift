import Foundation

/// The one error type of Pollen. Every use case fails with it; the web layer maps ``Code`` to an HTTP status.
public struct DomainError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, Equatable {
        case notFound, forbidden, invalidInput, conflict, rateLimited, unauthenticated
    }

    public let code: Code
    /// Safe to show to the person who made the request.
    public let message: String
    /// The form field or JSON property at fault, so a page can show the message beside it.
    public let field: String?
    /// Detail for the log only.
    public let cause: String?

    public init(_ code: Code, _ message: String, field: String? = nil, cause: String? = nil) {
        self.code = code
        self.message = message
        self.field = field
        self.cause = cause
    }

    public var description: String {
        "\(code.rawValue): \(message)" + (cause.map { " (\($0))" } ?? "")
    }

    public static func == (lhs: DomainError, rhs: DomainError) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message && lhs.field == rhs.field
    }

    public static func notFound(_ what: String) -> DomainError { DomainError(.notFound, "\(what) not found.") }
    public static func invalid(_ message: String, field: String? = nil) -> DomainError {
        DomainError(.invalidInput, message, field: field)
    }
    public static let signInRequired = DomainError(.unauthenticated, "Please sign in first.")
    public static let notAllowed = DomainError(.forbidden, "You are not allowed to do that.")
}
