import Foundation
import Hummingbird
import ServiceLifecycle
import Logging
import NIOCore
import PollenCore

/// How the web server listens and presents itself.
public struct WebConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// The external address, when a proxy sits in front; otherwise taken from each request's Host header.
    public var publicURL: String?
    /// Mark cookies `Secure`; on when the public URL is https.
    public var secureCookies: Bool
    /// How long a page's live notification stream stays open before the browser reconnects; short, so a
    /// graceful shutdown never waits long for open pages.
    public var eventStreamLifetime: TimeInterval = 50
    /// Enforce the organization's per-member and per-address write limits (off only for load and crash tests,
    /// which write at full speed on purpose).
    public var limitWrites = true

    public init(host: String = "127.0.0.1", port: Int = 8080, publicURL: String? = nil, secureCookies: Bool? = nil) {
        self.host = host
        self.port = port
        self.publicURL = publicURL
        self.secureCookies = secureCookies ?? (publicURL?.hasPrefix("https://") ?? false)
    }
}

/// Builds the whole web application — pages, Mastodon API, Pollen API — around a ready ``Pollen``.
/// Shared by `pollen serve` and the tests.
public func buildApplication(
    pollen: Pollen, configuration: WebConfiguration, logger: Logger, services: [any Service] = []
) async throws -> some ApplicationProtocol {
    let router = try await buildRouter(pollen: pollen, configuration: configuration)
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Pollen"),
        services: services,
        logger: logger)
}

func buildRouter(pollen: Pollen, configuration: WebConfiguration) async throws -> Router<PollenRequestContext> {
    let views = try await ViewRenderer.load()
    let statics = try StaticFiles.load()
    let publicURL = PublicURL(configuration.publicURL)
    let caches = ServingCaches(store: pollen.store)
    let router = Router(context: PollenRequestContext.self)
    // Outside the error middleware, so that error pages carry the same headers as the others.
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: ErrorMiddleware(views: views))
    let largestBody = max(16 * 1024 * 1024, ResourceDownload.bodyLimit(pollen.resourceRules))
    router.add(middleware: InputLimitsMiddleware(largestBody: largestBody))

    router.get("/healthz") { _, _ in
        do {
            try await pollen.store.ping()
            return JSONResponse.make(["status": "ok"])
        } catch {
            return JSONResponse.make(["status": "unavailable"], status: .serviceUnavailable)
        }
    }
    router.get("/static/{file}") { _, context in
        guard let name = context.parameters.get("file"), let file = statics.files[name] else {
            throw HTTPError(.notFound)
        }
        return Response(
            status: .ok, headers: [.contentType: file.contentType, .cacheControl: "public, max-age=3600"],
            body: .init(byteBuffer: file.bytes))
    }
    // Routes added from here on know who is asking. The health check and the static files above do not need
    // to: they skip the session lookup and unread count every page request pays.
    router.add(middleware: AuthenticationMiddleware(pollen: pollen, secureCookies: configuration.secureCookies, tokens: caches.tokens))
    if configuration.limitWrites {
        router.add(middleware: WriteRateLimitMiddleware(limiter: WriteRateLimiter(pollen: pollen), time: pollen.time))
    }
    router.add(middleware: FlashMiddleware())
    router.add(middleware: CSRFMiddleware(bodyLimit: largestBody))
    AccountPages(pollen: pollen, views: views, secureCookies: configuration.secureCookies).addRoutes(to: router)
    ProfilePages(pollen: pollen, views: views).addRoutes(to: router)
    NetworkPages(pollen: pollen, views: views, publicURL: publicURL).addRoutes(to: router)
    PostPages(pollen: pollen, views: views).addRoutes(to: router)
    DiscoveryPages(pollen: pollen, views: views, trends: caches.trends).addRoutes(to: router)
    let organizationMix = OrganizationMixCache()
    PersonalInsightPages(pollen: pollen, views: views, organization: organizationMix).addRoutes(to: router)
    OnboardingPages(pollen: pollen, views: views).addRoutes(to: router)
    CollectionPages(pollen: pollen, views: views).addRoutes(to: router)
    CommunityImportPages(pollen: pollen, views: views).addRoutes(to: router)
    CommunityPages(pollen: pollen, views: views).addRoutes(to: router)
    ModerationPages(pollen: pollen, views: views).addRoutes(to: router)
    InsightPages(pollen: pollen, views: views).addRoutes(to: router)
    QuestionPages(pollen: pollen, views: views).addRoutes(to: router)
    ValuePages(pollen: pollen, views: views).addRoutes(to: router)
    SearchPages(pollen: pollen, views: views, publicURL: publicURL).addRoutes(to: router)
    NotificationPages(pollen: pollen, views: views, streamLifetime: configuration.eventStreamLifetime)
        .addRoutes(to: router)
    AdminPages(pollen: pollen, views: views, publicURL: publicURL).addRoutes(to: router)
    OAuthEndpoints(pollen: pollen, views: views, publicURL: publicURL).addRoutes(to: router)
    MastodonEndpoints(pollen: pollen, publicURL: publicURL).addRoutes(to: router)
    MastodonNetworkEndpoints(pollen: pollen, publicURL: publicURL).addRoutes(to: router)
    MastodonDiscoveryEndpoints(pollen: pollen, publicURL: publicURL).addRoutes(to: router)
    MastodonStatusEndpoints(pollen: pollen, publicURL: publicURL, postHTML: views.postHTML, homeTimelines: caches.homeTimelines)
        .addRoutes(to: router)
    MastodonNotificationEndpoints(pollen: pollen, publicURL: publicURL, postHTML: views.postHTML).addRoutes(to: router)
    PollenEndpoints(pollen: pollen, publicURL: publicURL, openAPIDocument: statics.openAPI).addRoutes(to: router)
    PollenDiscoveryEndpoints(pollen: pollen, publicURL: publicURL, trends: caches.trends).addRoutes(to: router)
    PollenPersonalInsightEndpoints(pollen: pollen, publicURL: publicURL, organization: organizationMix).addRoutes(to: router)
    PollenCommunityEndpoints(pollen: pollen, publicURL: publicURL).addRoutes(to: router)
    PollenQuestionEndpoints(pollen: pollen, publicURL: publicURL).addRoutes(to: router)
    PollenModerationEndpoints(pollen: pollen, publicURL: publicURL).addRoutes(to: router)
    PollenValueEndpoints(pollen: pollen, publicURL: publicURL).addRoutes(to: router)
    MastodonReportEndpoints(pollen: pollen, publicURL: publicURL).addRoutes(to: router)
    return router
}

/// The stylesheet, images and the OpenAPI document, read from the bundle once at start-up.
struct StaticFiles: Sendable {
    struct File: Sendable {
        let contentType: String
        let bytes: ByteBuffer
    }
    let files: [String: File]
    let openAPI: ByteBuffer

    static func load() throws -> StaticFiles {
        guard let root = Bundle.module.url(forResource: "Resources", withExtension: nil) else {
            throw ResourceError(message: "The resources folder is missing from the bundle.")
        }
        let folder = root.appendingPathComponent("static")
        var files: [String: File] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            let type = switch (name as NSString).pathExtension {
            case "css": "text/css; charset=utf-8"
            case "svg": "image/svg+xml"
            case "js": "text/javascript; charset=utf-8"
            case "png": "image/png"
            default: "application/octet-stream"
            }
            files[name] = File(contentType: type, bytes: ByteBuffer(bytes: data))
        }
        let openAPI = try Data(contentsOf: root.appendingPathComponent("openapi.json"))
        return StaticFiles(files: files, openAPI: ByteBuffer(bytes: openAPI))
    }
}
