import Foundation
import Hummingbird
import NIOCore
import PollenCore

/// Per-request state: who is asking (from the session cookie or a bearer token) and the parsed form.
public struct PollenRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's IP address, for per-address limits and the session list.
    public let remoteAddress: String
    public var viewer: Member?
    public var session: Session?
    public var token: AccessToken?
    /// The CSRF secret of a signed-out visitor, kept in a cookie until they sign in.
    public var anonymousCSRF: String?
    /// The body of a form POST, parsed once by the CSRF check and reused by the handler.
    public var form: FormData?
    /// A confirmation carried over a redirect, shown once.
    public var flash: String?
    /// The signed-in member's unread notifications, counted once per page request.
    public var unreadNotifications = 0
    /// The connection, to close it after refusing a body unread (see ``DeclaredBodyTooLarge``).
    let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress ?? "local"
        channel = source.channel
    }

    /// CSV imports may be large; everything else is small.
    public var maxUploadSize: Int { 16 * 1024 * 1024 }

    var actor: Actor? { viewer.map(Actor.member) }

    /// The token every form on the page must send back.
    var csrfToken: String { session?.csrfToken ?? anonymousCSRF ?? "" }

    func requireViewer() throws -> Member {
        guard let viewer else { throw DomainError.signInRequired }
        return viewer
    }

    func requireActor() throws -> Actor {
        .member(try requireViewer())
    }
}

extension Request {
    /// Whether this request belongs to the JSON API, whose errors are JSON and which never uses cookies.
    var isAPI: Bool {
        let path = uri.path
        return path.hasPrefix("/api/") || path == "/oauth/token" || path == "/oauth/revoke"
            || path.hasPrefix("/.well-known/") || path == "/healthz"
    }
}

extension PollenRequestContext {
    func clientInfo(for request: Request) -> ClientInfo {
        ClientInfo(userAgent: request.headers[.userAgent] ?? "", address: remoteAddress)
    }
}
