import Hummingbird
import NIOCore
import PollenCore

/// A request body declared (by `Content-Length`) larger than the server or the route accepts: refused with 413
/// before any of it is read. The answer closes the connection once written (see ``closingConnection(_:)``):
/// reusing it would mean reading the whole unwanted body first.
struct DeclaredBodyTooLarge: HTTPResponseError {
    let limit: Int
    var status: HTTPResponse.Status { .contentTooLarge }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: status, headers: [.connection: "close"])
    }

    /// `response`, marked `Connection: close`, closing `channel` as soon as it has been written.
    static func closingConnection(_ response: Response, channel: any Channel) -> Response {
        var response = response
        response.headers[.connection] = "close"
        let body = response.body
        response.body = ResponseBody(contentLength: body.contentLength) { writer in
            try await body.write(writer)
            channel.close(promise: nil)
        }
        return response
    }
}

/// Refuses, before authentication or any other work, what no route could use:
/// - a body declared larger than the largest any route reads (each route refuses bodies declared over its own
///   limit the same way, ``Request/collectBody(refusingOver:)``). A body of unknown length (chunked) is limited
///   while it is read: collecting stops with 413 as soon as more than the route's limit has arrived, and the
///   rest is read and dropped so the connection stays usable;
/// - an address (path or query) holding U+0000 (`%00`), which PostgreSQL cannot compare with text: refused with
///   422 like a form field holding it (``FormData/refusingNul()``), instead of failing in the database.
struct InputLimitsMiddleware: RouterMiddleware {
    typealias Context = PollenRequestContext
    /// The largest body any route reads (resource uploads).
    let largestBody: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        if let declared = request.declaredBodyLength, declared > largestBody {
            throw DeclaredBodyTooLarge(limit: largestBody)
        }
        if request.uri.description.contains("%00") {
            throw DomainError.invalid("An address cannot contain the NUL character (U+0000).")
        }
        return try await next(request, context)
    }
}

extension Request {
    /// The body's length as the client declared it in `Content-Length`, if it did.
    var declaredBodyLength: Int? {
        headers[.contentLength].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    }

    /// Reads the whole body, up to `limit` bytes. A body declared longer is refused (413) before any of it is
    /// read; one of unknown length is refused as soon as more than `limit` bytes have arrived.
    mutating func collectBody(refusingOver limit: Int) async throws -> ByteBuffer {
        if let declared = declaredBodyLength, declared > limit { throw DeclaredBodyTooLarge(limit: limit) }
        return try await collectBody(upTo: limit)
    }
}
