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
        guard let html = library.render(page, withTemplate: template) else {
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
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func error(_ message: String, status: HTTPResponse.Status, description: String? = nil) -> Response {
        make(ErrorBody(error: message, error_description: description), status: status)
    }

    struct ErrorBody: Encodable {
        let error: String
        let error_description: String?
    }
}
