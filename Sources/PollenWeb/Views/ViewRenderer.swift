import Foundation
import Hummingbird
import Mustache
import NIOCore

/// Renders page models with the Mustache templates in `Resources/templates` (HTML-escaped by default).
public struct ViewRenderer: Sendable {
    let library: MustacheLibrary
    /// Post texts rendered once for every page that shows them.
    let postHTML = RenderCache()

    /// Loads every template once at start-up.
    public static func load() async throws -> ViewRenderer {
        guard let folder = Bundle.module.url(forResource: "Resources", withExtension: nil)?.appendingPathComponent("templates") else {
            throw ResourceError(message: "The templates folder is missing from the bundle.")
        }
        return ViewRenderer(library: try await MustacheLibrary(directory: folder.path))
    }

    func render(_ page: Any, template: String) -> String {
        guard let html = library.render(Self.lookupTable(page), withTemplate: template) else {
            preconditionFailure("Template \(template) is missing: the bundle is incomplete.")
        }
        return html
    }

    func response(_ page: Any, template: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: render(page, template: template))))
    }
}

extension ViewRenderer {
    /// The page model as nested dictionaries and arrays. Mustache finds a name in a struct by reflecting
    /// over all its fields on every lookup, and a timeline page makes thousands of lookups (each post card's
    /// buttons look up the page's CSRF token through the stack): reflection was 85% of serving the home
    /// page. Reflected once here, every lookup is a dictionary read. Fields that are nil are left out, so a
    /// lookup falls through to the enclosing context exactly as it did for a nil field.
    static func lookupTable(_ value: Any) -> Any {
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .struct where !(value is CustomReflectable), .class where !(value is CustomReflectable):
            // Strings, numbers, dates and the like describe themselves and are values, not models.
            var table: [String: Any] = [:]
            for child in mirror.children {
                guard let label = child.label, let value = unwrapped(child.value) else { continue }
                table[label] = lookupTable(value)
            }
            return table
        case .collection:
            return mirror.children.map { lookupTable($0.value) }
        case .optional:
            return unwrapped(value).map(lookupTable) as Any
        default:
            return value
        }
    }

    private static func unwrapped(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return value }
        return mirror.children.first?.value
    }
}

struct ResourceError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// Small helpers for JSON responses.
enum JSONResponse {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func make<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        make(encoded: encode(value), status: status, headers: headers)
    }

    static func encode<T: Encodable>(_ value: T) -> ByteBuffer {
        ByteBuffer(bytes: (try? encoder.encode(value)) ?? Data("{}".utf8))
    }

    /// A response of JSON encoded earlier (see ``encode(_:)``).
    static func make(encoded: ByteBuffer, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: encoded))
    }

    static func error(_ message: String, status: HTTPResponse.Status, description: String? = nil, field: String? = nil) -> Response {
        make(ErrorBody(error: message, error_description: description, field: field), status: status)
    }

    struct ErrorBody: Encodable {
        let error: String
        let error_description: String?
        /// The request field at fault (a body field or query parameter), when the error is about one.
        let field: String?
    }
}
