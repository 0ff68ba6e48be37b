import Foundation
import Hummingbird
import Logging
import PollenCore

/// Turns every error into the right status and shape: JSON `{"error": ...}` for the API, an HTML page for
/// browsers. Unknown errors become a generic 500; their detail goes to the log only.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = PollenRequestContext
    let views: ViewRenderer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as DomainError {
            if error.code == .unauthenticated, !request.isAPI, request.method == .get {
                let target = request.uri.description
                return .redirect(to: "/signin?next=" + (target.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"))
            }
            if let cause = error.cause { context.logger.info("\(error.code.rawValue): \(cause)") }
            return respond(
                status: Self.status(error.code), message: error.message, field: error.field, request: request, context: context)
        } catch let error as any HTTPResponseError {
            // The framework's own errors: unknown routes, wrong methods, bodies over the size limit.
            let message: String
            switch error.status {
            case .notFound: message = "Not found."
            case .methodNotAllowed: message = "Method not allowed."
            case .contentTooLarge: message = "The request body is too large."
            default: message = (error as? HTTPError)?.body ?? error.status.reasonPhrase
            }
            var response = respond(status: error.status, message: message, request: request, context: context)
            if let headers = (error as? HTTPError)?.headers { response.headers.append(contentsOf: headers) }
            if error is DeclaredBodyTooLarge { return DeclaredBodyTooLarge.closingConnection(response, channel: context.channel) }
            return response
        } catch {
            context.logger.error("Unhandled error: \(String(reflecting: error))")
            return respond(
                status: .internalServerError, message: "Something went wrong on our side. Please try again.",
                request: request, context: context)
        }
    }

    static func status(_ code: DomainError.Code) -> HTTPResponse.Status {
        switch code {
        case .notFound: .notFound
        case .forbidden: .forbidden
        case .invalidInput: .unprocessableContent
        case .conflict: .conflict
        case .rateLimited: .tooManyRequests
        case .unauthenticated: .unauthorized
        }
    }

    private func respond(
        status: HTTPResponse.Status, message: String, field: String? = nil, request: Request, context: Context
    ) -> Response {
        if request.isAPI || request.headers[.accept]?.hasPrefix("application/json") == true {
            return JSONResponse.error(message, status: status, field: field)
        }
        let page = ErrorPage(
            layout: Layout(title: status.reasonPhrase, context: context), status: Int(status.code), message: message)
        var response = views.response(page, template: "error")
        response.status = status
        return response
    }
}
