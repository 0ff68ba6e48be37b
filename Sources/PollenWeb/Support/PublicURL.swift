import Hummingbird

/// The address people and clients reach the server at, for links in JSON and invitation links. Set it when
/// the server sits behind a proxy; otherwise it is taken from the request's Host header.
public struct PublicURL: Sendable {
    let configured: String?

    public init(_ configured: String?) {
        self.configured = configured.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
    }

    func base(for request: Request) -> String {
        if let configured { return configured }
        return "http://" + (request.head.authority ?? "localhost")
    }

    func host(for request: Request) -> String {
        let base = base(for: request)
        return base.split(separator: "/").dropFirst().first.map(String.init) ?? "localhost"
    }
}
