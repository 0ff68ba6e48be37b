import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import PollenCore
import PollenStorage
@testable import PollenWeb
import Testing

/// A Pollen web application over a fresh SQLite database, driven through HummingbirdTesting's router
/// client. bcrypt runs at its lowest cost to keep the tests quick.
struct WebHarness: Sendable {
    let pollen: Pollen
    let store: SQLStore

    /// The web configuration tests run with: event streams answer once and close instead of staying open.
    static var testConfiguration: WebConfiguration {
        var configuration = WebConfiguration()
        configuration.eventStreamLifetime = 0
        // Tests write quickly from one address; the limits have tests of their own.
        configuration.limitWrites = false
        return configuration
    }

    static func run(
        limits: SecurityLimits = SecurityLimits(), configuration: WebConfiguration = testConfiguration,
        _ body: @escaping @Sendable (WebHarness, any TestClientProtocol) async throws -> Void
    ) async throws {
        var logger = Logger(label: "pollen-web-tests")
        logger.logLevel = .warning
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pollen-web-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try await SQLStore.open(.sqlite(path: folder.appendingPathComponent("db.sqlite").path), logger: logger)
        do {
            try await store.migrate()
            let pollen = Pollen(store: store, secrets: BcryptSecretHasher(cost: 4), limits: limits)
            let app = try await buildApplication(pollen: pollen, configuration: configuration, logger: logger)
            let harness = WebHarness(pollen: pollen, store: store)
            try await app.test(.router) { client in try await body(harness, client) }
            await store.shutdown()
        } catch {
            await store.shutdown()
            throw error
        }
    }

    /// Creates a member directly through the use case, with a password.
    @discardableResult
    func addMember(
        _ handle: String, name: String? = nil, role: Member.Role = .member, password: String = "correct-horse-1",
        department: String = "", subjects: [String] = []
    ) async throws -> Member {
        try await pollen.addMember(
            AddMemberCommand(
                handle: handle, email: "\(handle)@example.org", displayName: name ?? handle.capitalized,
                password: password, role: role,
                profile: Profile(displayName: name ?? handle.capitalized, department: department, subjects: subjects)),
            by: .system)
    }
}

/// A cookie-keeping browser over the test client: it remembers cookies and the CSRF token of the last page,
/// and sends forms the way a browser does.
final class TestBrowser: @unchecked Sendable {
    let client: any TestClientProtocol
    private(set) var cookies: [String: String] = [:]
    private(set) var csrf: String = ""

    init(_ client: any TestClientProtocol) {
        self.client = client
    }

    struct Page {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let body: String
        var location: String? { headers[.location] }
    }

    @discardableResult
    func get(_ path: String, headers: HTTPFields = [:]) async throws -> Page {
        try await send(path, method: .get, headers: headers, body: nil)
    }

    /// Posts a URL-encoded form, adding the CSRF token unless `csrf` overrides it.
    @discardableResult
    func post(_ path: String, form: [String: String], csrf override: String? = nil) async throws -> Page {
        try await post(path, fields: form.sorted(by: { $0.key < $1.key }).map { ($0.key, $0.value) }, csrf: override)
    }

    /// Posts a URL-encoded form whose fields may repeat (ticked checkboxes of one name), in order.
    @discardableResult
    func post(_ path: String, fields: [(String, String)], csrf override: String? = nil) async throws -> Page {
        let body = ([("_csrf", override ?? csrf)] + fields).map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }
            .joined(separator: "&")
        return try await send(
            path, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: body))
    }

    /// Posts a multipart form with one file, as a browser does for an upload.
    @discardableResult
    func upload(_ path: String, field: String, filename: String, content: String) async throws -> Page {
        let boundary = "----pollen-test-boundary"
        var body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(csrf)\r\n"
        body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"; filename=\"\(filename)\"\r\n"
        body += "Content-Type: text/csv\r\n\r\n\(content)\r\n--\(boundary)--\r\n"
        return try await send(
            path, method: .post, headers: [.contentType: "multipart/form-data; boundary=\(boundary)"],
            body: ByteBuffer(string: body))
    }

    /// Posts a multipart form with fields and files (name, file name, content), as a browser does.
    @discardableResult
    func postMultipart(_ path: String, fields: [(String, String)], files: [(String, String, [UInt8])]) async throws -> Page {
        let boundary = "----pollen-test-boundary-\(UUID().uuidString)"
        var body = ByteBuffer()
        for (name, value) in [("_csrf", csrf)] + fields {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
        }
        for (name, filename, content) in files {
            body.writeString(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(filename)\"\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\n")
            body.writeBytes(content)
            body.writeString("\r\n")
        }
        body.writeString("--\(boundary)--\r\n")
        return try await send(path, method: .post, headers: [.contentType: "multipart/form-data; boundary=\(boundary)"], body: body)
    }

    private func send(_ path: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?) async throws
        -> Page
    {
        var headers = headers
        if !cookies.isEmpty {
            headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        }
        let page = try await client.execute(uri: path, method: method, headers: headers, body: body) { response in
            Page(status: response.status, headers: response.headers, body: String(buffer: response.body))
        }
        for value in page.headers[values: .setCookie] {
            let pair = value.split(separator: ";").first ?? ""
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { continue }
            let name = String(parts[0]).trimmingCharacters(in: .whitespaces)
            let cookieValue = String(parts[1])
            if cookieValue.isEmpty || value.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = cookieValue }
        }
        if let token = Self.csrfToken(in: page.body) { csrf = token }
        return page
    }

    static func csrfToken(in html: String) -> String? {
        guard let range = html.range(of: "name=\"_csrf\" value=\"") else { return nil }
        let rest = html[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// Signs in through the sign-in page.
    @discardableResult
    func signIn(_ login: String, password: String = "correct-horse-1") async throws -> Page {
        try await get("/signin")
        let page = try await post("/signin", form: ["login": login, "password": password])
        if page.status == .found { try await get("/") }
        return page
    }
}

/// JSON requests with a bearer token.
extension TestClientProtocol {
    func json(
        _ path: String, method: HTTPRequest.Method = .get, token: String? = nil, body: [String: Any]? = nil,
        form: [String: String]? = nil
    ) async throws -> (status: HTTPResponse.Status, json: Any?, raw: String) {
        var headers: HTTPFields = [.accept: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        var buffer: ByteBuffer? = nil
        if let body {
            headers[.contentType] = "application/json"
            buffer = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body))
        } else if let form {
            headers[.contentType] = "application/x-www-form-urlencoded"
            buffer = ByteBuffer(
                string: form.sorted(by: { $0.key < $1.key })
                    .map { "\(TestBrowser.encode($0.key))=\(TestBrowser.encode($0.value))" }.joined(separator: "&"))
        }
        return try await execute(uri: path, method: method, headers: headers, body: buffer) { response in
            let raw = String(buffer: response.body)
            return (response.status, try? JSONSerialization.jsonObject(with: Data(raw.utf8)), raw)
        }
    }
}
