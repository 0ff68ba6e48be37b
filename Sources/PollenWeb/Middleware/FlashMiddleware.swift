import Foundation
import Hummingbird
import PollenCore

/// One-time confirmations across a redirect (post/redirect/get): an action answers with a redirect that
/// carries the message in a short-lived cookie, and the next page shows it once, so reloading that page
/// repeats nothing.
struct FlashMiddleware: RouterMiddleware {
    typealias Context = PollenRequestContext
    static let cookieName = "pollen_flash"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard !request.isAPI, let raw = request.cookies[Self.cookieName]?.value, !raw.isEmpty else {
            return try await next(request, context)
        }
        var context = context
        context.flash = Self.decode(raw)
        var response = try await next(request, context)
        // Shown now, so forget it — unless this answer is itself a redirect that sets a new one.
        if response.headers[.location] == nil {
            response.setCookie(Cookie(name: Self.cookieName, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .lax))
        }
        return response
    }

    static func decode(_ value: String) -> String? {
        var base64 = value.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64).flatMap { String(data: $0, encoding: .utf8) }.map { String($0.prefix(500)) }
    }
}

extension Response {
    /// A redirect after a successful form action, with a confirmation for the next page.
    static func redirect(to location: String, flash message: String) -> Response {
        var response = Response.redirect(to: location, type: .found)
        response.setCookie(
            Cookie(
                name: FlashMiddleware.cookieName, value: Data(message.utf8).base64URLEncoded(), maxAge: 60, path: "/",
                httpOnly: true, sameSite: .lax))
        return response
    }
}
