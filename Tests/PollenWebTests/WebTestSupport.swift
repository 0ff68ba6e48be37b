import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import PollenCore
import Testing

/// A registered OAuth client app, with the secret shown once at registration.
struct RegisteredTestApp: Sendable {
    let id: String
    let clientID: String
    let clientSecret: String
}

/// The out-of-band redirect Mastodon clients use when they have no web address of their own.
let outOfBandRedirect = "urn:ietf:wg:oauth:2.0:oob"

extension TestClientProtocol {
    /// Registers an app through `POST /api/v1/apps`.
    func registerApp(
        name: String = "Test Client", redirectURI: String = outOfBandRedirect, scopes: String = "read write"
    ) async throws -> RegisteredTestApp {
        let response = try await json(
            "/api/v1/apps", method: .post,
            form: ["client_name": name, "redirect_uris": redirectURI, "scopes": scopes])
        #expect(response.status == .ok, "\(response.raw)")
        let app = try #require(response.json as? [String: Any])
        return RegisteredTestApp(
            id: try #require(app["id"] as? String), clientID: try #require(app["client_id"] as? String),
            clientSecret: try #require(app["client_secret"] as? String))
    }

    /// A bearer token for a member through the password grant.
    func passwordToken(
        _ app: RegisteredTestApp, login: String, password: String = "correct-horse-1", scope: String? = nil
    ) async throws -> String {
        var form = [
            "grant_type": "password", "client_id": app.clientID, "client_secret": app.clientSecret,
            "username": login, "password": password,
        ]
        form["scope"] = scope
        let response = try await json("/oauth/token", method: .post, form: form)
        #expect(response.status == .ok, "\(response.raw)")
        let body = try #require(response.json as? [String: Any])
        return try #require(body["access_token"] as? String)
    }

    /// Registers an app with every scope and returns a token for `login`.
    func memberToken(_ login: String, scope: String = "read write admin:read admin:write") async throws -> String {
        let app = try await registerApp(scopes: "read write admin:read admin:write")
        return try await passwordToken(app, login: login, scope: scope)
    }

    /// A request with exactly the headers given, for checks that a browser would not make (stale cookies,
    /// missing tokens, raw bodies).
    func raw(
        _ path: String, method: HTTPRequest.Method = .get, headers: HTTPFields = [:], body: String? = nil
    ) async throws -> TestBrowser.Page {
        try await execute(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) {
            TestBrowser.Page(status: $0.status, headers: $0.headers, body: String(buffer: $0.body))
        }
    }
}

extension TestBrowser {
    /// Follows a redirect the way a browser does after a form (post/redirect/get).
    func follow(_ page: Page, sourceLocation: SourceLocation = #_sourceLocation) async throws -> Page {
        #expect([.found, .seeOther].contains(page.status), sourceLocation: sourceLocation)
        let location = try #require(page.location, sourceLocation: sourceLocation)
        return try await get(location)
    }

    /// The `Cookie` header this browser would send.
    var cookieHeader: String {
        cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
    }

    /// Posts a URL-encoded form with this browser's cookies but no `_csrf` field at all.
    func postWithoutToken(_ path: String, form: [String: String]) async throws -> Page {
        let body = form.sorted(by: { $0.key < $1.key }).map { "\(Self.encode($0.key))=\(Self.encode($0.value))" }
            .joined(separator: "&")
        return try await client.raw(
            path, method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookieHeader], body: body)
    }
}

extension WebHarness {
    func memberCount() async throws -> Int {
        try await store.read { try await $0.members.count() }
    }

    func member(_ handle: String) async throws -> Member? {
        try await store.read { try await $0.members.find(handle: handle) }
    }

    func sessions(of member: Member) async throws -> [Session] {
        try await store.read { try await $0.sessions.list(memberID: member.id) }
    }
}

/// The `Set-Cookie` header a response sends for `name`, if any.
func setCookie(_ name: String, in page: TestBrowser.Page) -> String? {
    page.headers[values: .setCookie].first { $0.hasPrefix(name + "=") }
}

/// A JSON object from a response body, or a test failure.
func object(_ json: Any?, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
    try #require(json as? [String: Any], sourceLocation: sourceLocation)
}

/// A JSON GET with a bearer token that keeps the response headers, for the `Link` header.
func get(_ client: any TestClientProtocol, _ path: String, token: String) async throws
    -> (status: HTTPResponse.Status, json: Any?, headers: HTTPFields)
{
    try await client.execute(
        uri: path, method: .get, headers: [.accept: "application/json", .authorization: "Bearer \(token)"]
    ) { response in
        (response.status, try? JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)), response.headers)
    }
}

/// The pages a `Link` header points to, by `rel`, as a path with its query.
func links(_ headers: HTTPFields) -> [String: String] {
    guard let header = headers[.init("Link")!] else { return [:] }
    var result: [String: String] = [:]
    for part in header.split(separator: ",") {
        guard let open = part.firstIndex(of: "<"), let close = part.firstIndex(of: ">"),
            let relRange = part.range(of: "rel=\"")
        else { continue }
        let rel = part[relRange.upperBound...].prefix { $0 != "\"" }
        guard let url = URL(string: String(part[part.index(after: open)..<close])) else { continue }
        result[String(rel)] = url.path + (url.query.map { "?" + $0 } ?? "")
    }
    return result
}

/// The value of one query parameter of a path.
func parameter(_ name: String, in path: String?) -> String? {
    path.flatMap { URLComponents(string: $0)?.queryItems?.first { $0.name == name }?.value }
}
