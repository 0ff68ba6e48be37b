import Foundation
import Hummingbird
import PollenCore

/// The Mastodon client API for accounts and the instance.
struct MastodonEndpoints {
    let pollen: Pollen
    let publicURL: PublicURL
    /// The Mastodon API version Pollen follows, reported so clients enable the features they expect.
    static let compatibleVersion = "4.3.0"
    static let pollenVersion = "0.1.0"

    func addRoutes(to router: Router<PollenRequestContext>) {
        router.get("/api/v1/accounts/verify_credentials") { request, context in
            let member = try APIAuth.member(context, scope: "read:accounts", alternatives: ["profile"])
            return JSONResponse.make(try await account(member, request, viewer: .member(member), credentials: true))
        }
        router.patch("/api/v1/accounts/update_credentials") { request, context in
            try await updateCredentials(request, context)
        }
        router.get("/api/v1/accounts/lookup") { request, context in
            let viewer = try APIAuth.reader(context, scope: "read:accounts")
            let acct = request.query["acct"] ?? ""
            guard !acct.isEmpty else { throw DomainError.invalid("acct is required.", field: "acct") }
            // `user@this-host` names a local account too.
            let handle = acct.split(separator: "@").first.map(String.init) ?? acct
            if acct.dropFirst(handle.count + 1).contains("@") || (acct.contains("@") && !acct.hasPrefix("@")
                && acct.split(separator: "@").last.map(String.init) != publicURL.host(for: request))
            {
                throw DomainError.notFound("Account")
            }
            let member = try await pollen.profile(handle: handle, viewer: viewer)
            return JSONResponse.make(try await account(member, request, viewer: viewer))
        }
        router.get("/api/v1/accounts/{id}") { request, context in
            let viewer = try APIAuth.reader(context, scope: "read:accounts")
            guard let id = context.parameters.get("id").flatMap(Member.ID.init(string:)) else {
                throw DomainError.notFound("Account")
            }
            let member = try await pollen.member(id: id, viewer: viewer)
            return JSONResponse.make(try await account(member, request, viewer: viewer))
        }
        router.get("/api/v1/instance") { request, _ in try await instanceV1(request) }
        router.get("/api/v2/instance") { request, _ in try await instanceV2(request) }
        router.get("/api/v1/custom_emojis") { _, _ in JSONResponse.make([String]()) }
    }

    static func flag(_ value: String, field: String) throws -> Bool {
        switch value.lowercased() {
        case "true", "1", "on": return true
        case "false", "0", "off", "": return false
        default: throw DomainError.invalid("\(field) must be true or false.", field: field)
        }
    }

    /// The account entity with its follower and following counts.
    func account(_ member: Member, _ request: Request, viewer: Actor, credentials: Bool = false) async throws -> MastodonAccount {
        let counts = try await pollen.networkCounts(for: [member], viewer: viewer)[member.id]
        return MastodonAccount(member, base: publicURL.base(for: request), counts: counts, credentials: credentials)
    }

    func updateCredentials(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let member = try APIAuth.member(context, scope: "write:accounts")
        var request = request
        let form = try await request.formData(limit: 1024 * 1024)
        var profile = member.profile
        if let name = form["display_name"] { profile.displayName = name }
        if let note = form["note"] { profile.bio = note }
        var updated = try await pollen.updateProfile(of: member.id, handle: nil, profile: profile, by: .member(member))
        // Mastodon's two privacy switches map onto Pollen's: hiding collections shows the network to nobody
        // else; showing it again shows it to everyone.
        if form["discoverable"] != nil || form["hide_collections"] != nil {
            var privacy = updated.privacy
            if let value = form["discoverable"] { privacy.discoverable = try Self.flag(value, field: "discoverable") }
            if let value = form["hide_collections"] {
                privacy.audience = try Self.flag(value, field: "hide_collections") ? .onlyMe : .everyone
            }
            updated = try await pollen.updateNetworkPrivacy(privacy, of: member.id, by: .member(updated))
        }
        return JSONResponse.make(try await account(updated, request, viewer: .member(updated), credentials: true))
    }

    func instanceV1(_ request: Request) async throws -> Response {
        let settings = try await pollen.settings()
        let memberCount = try await pollen.store.read { try await $0.members.count() }
        let base = publicURL.base(for: request)
        return JSONResponse.make(
            InstanceV1(
                uri: publicURL.host(for: request), title: settings.name, short_description: settings.description,
                description: settings.description, email: settings.contactEmail,
                version: "\(Self.compatibleVersion) (compatible; Pollen \(Self.pollenVersion))",
                urls: ["streaming_api": base.replacingOccurrences(of: "http", with: "ws")],
                stats: ["user_count": memberCount, "status_count": 0, "domain_count": 0],
                thumbnail: base + "/static/pollen.svg", registrations: settings.signupPolicy != .invitation,
                invites_enabled: settings.signupPolicy == .invitation))
    }

    func instanceV2(_ request: Request) async throws -> Response {
        let settings = try await pollen.settings()
        let base = publicURL.base(for: request)
        return JSONResponse.make(
            InstanceV2(
                domain: publicURL.host(for: request), title: settings.name,
                version: "\(Self.compatibleVersion) (compatible; Pollen \(Self.pollenVersion))",
                description: settings.description, thumbnail: .init(url: base + "/static/pollen.svg"),
                configuration: .init(urls: .init(streaming: base.replacingOccurrences(of: "http", with: "ws"))),
                registrations: .init(
                    enabled: settings.signupPolicy != .invitation,
                    message: settings.signupPolicy == .domains
                        ? "Sign-up is limited to \(settings.allowedDomains.joined(separator: ", "))." : nil),
                contact: .init(email: settings.contactEmail)))
    }
}

/// Scope checks for bearer tokens, as Mastodon applies them: `read` covers `read:accounts`.
enum APIAuth {
    /// A token that acts for a member and carries `scope` (or one of `alternatives`).
    static func member(_ context: PollenRequestContext, scope: String, alternatives: [String] = []) throws -> Member {
        guard let token = context.token else {
            throw DomainError(.unauthenticated, "The access token is missing.")
        }
        guard let member = context.viewer else {
            throw DomainError(.forbidden, "This method requires an authenticated user.")
        }
        try require(token, scope, alternatives)
        return member
    }

    /// Reading needs a token, but an app token (client credentials) will do: the directory is not public.
    static func reader(_ context: PollenRequestContext, scope: String) throws -> Actor {
        guard let token = context.token else {
            throw DomainError(.unauthenticated, "The access token is missing.")
        }
        try require(token, scope, [])
        return context.viewer.map(Actor.member) ?? .app
    }

    private static func require(_ token: AccessToken, _ scope: String, _ alternatives: [String]) throws {
        guard ([scope] + alternatives).contains(where: { OAuthScopes.allows(token.scopes, $0) }) else {
            throw DomainError(.forbidden, "This action is outside the granted scopes (needs \(scope)).")
        }
    }
}

struct InstanceV1: Encodable {
    let uri: String
    let title: String
    let short_description: String
    let description: String
    let email: String
    let version: String
    let urls: [String: String]
    let stats: [String: Int]
    let thumbnail: String
    let languages = ["en"]
    let registrations: Bool
    let approval_required = false
    let invites_enabled: Bool
}

struct InstanceV2: Encodable {
    struct Thumbnail: Encodable { let url: String }
    struct Configuration: Encodable {
        struct URLs: Encodable { let streaming: String }
        struct Accounts: Encodable {
            let max_featured_tags = 10
            let max_pinned_statuses = 5
        }
        struct Statuses: Encodable {
            let max_characters = 5000
            let max_media_attachments = 4
            let characters_reserved_per_url = 23
        }
        let urls: URLs
        let accounts = Accounts()
        let statuses = Statuses()
    }
    struct Registrations: Encodable {
        let enabled: Bool
        let approval_required = false
        let message: String?
    }
    struct Contact: Encodable { let email: String }
    struct APIVersions: Encodable { let mastodon = 2 }

    let domain: String
    let title: String
    let version: String
    let source_url = "https://github.com/pollen-learning/pollen"
    let description: String
    let usage = ["users": ["active_month": 0]]
    let thumbnail: Thumbnail
    let languages = ["en"]
    let configuration: Configuration
    let registrations: Registrations
    let contact: Contact
    let rules: [String] = []
    let api_versions = APIVersions()
}
