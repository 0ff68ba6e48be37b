import Foundation
import PollenCore

/// Mastodon's `Account` entity (https://docs.joinmastodon.org/entities/Account/). Counts are zero until
/// follows and posts exist.
struct MastodonAccount: Encodable {
    struct Field: Encodable {
        let name: String
        let value: String
        let verified_at: String?
    }
    struct Source: Encodable {
        let privacy = "public"
        let sensitive = false
        let language = ""
        let note: String
        let fields: [Field]
        let follow_requests_count = 0
    }
    struct Role: Encodable {
        let id: String
        let name: String
        let color = ""
        let permissions: String
        let highlighted: Bool
    }

    let id: String
    let username: String
    let acct: String
    let display_name: String
    let locked = false
    let bot = false
    let discoverable: Bool
    let indexable = false
    let group = false
    let created_at: String
    let note: String
    let url: String
    let uri: String
    let avatar: String
    let avatar_static: String
    let header: String
    let header_static: String
    let followers_count: Int
    let following_count: Int
    let statuses_count: Int
    let last_status_at: String?
    let hide_collections: Bool
    let noindex = true
    let emojis: [String] = []
    let roles: [Role]
    let fields: [Field]
    var source: Source? = nil
    var role: Role? = nil
    let suspended: Bool?

    init(_ member: Member, base: String, counts: NetworkCounts? = nil, credentials: Bool = false) {
        id = member.id.description
        followers_count = counts?.followers ?? 0
        following_count = counts?.following ?? 0
        statuses_count = counts?.posts ?? 0
        discoverable = member.privacy.discoverable
        hide_collections = member.privacy.audience != .everyone
        // Mastodon gives the day of the last post only (its timestamp's UTC date).
        last_status_at = counts?.lastPostedAt.map { String($0.mastodonTimestamp.prefix(10)) }
        username = member.handle
        acct = member.handle
        display_name = member.profile.displayName
        created_at = member.createdAt.mastodonTimestamp
        note = HTMLText.paragraphs(member.profile.bio)
        url = "\(base)/@\(member.handle)"
        uri = url
        avatar = "\(base)/static/avatar.svg"
        avatar_static = avatar
        header = "\(base)/static/header.svg"
        header_static = header
        var fields: [Field] = []
        let p = member.profile
        if !p.jobRole.isEmpty { fields.append(Field(name: "Job role", value: HTMLText.escape(p.jobRole), verified_at: nil)) }
        if !p.department.isEmpty { fields.append(Field(name: "Department", value: HTMLText.escape(p.department), verified_at: nil)) }
        if !p.location.isEmpty { fields.append(Field(name: "Location", value: HTMLText.escape(p.location), verified_at: nil)) }
        self.fields = fields
        let serverRole = Self.role(member.role)
        roles = member.role == .member ? [] : [serverRole]
        suspended = member.isSuspended ? true : nil
        if credentials {
            source = Source(note: p.bio, fields: fields.map { Field(name: $0.name, value: $0.value, verified_at: nil) })
            role = serverRole
        }
    }

    static func role(_ role: Member.Role) -> Role {
        switch role {
        case .member: Role(id: "-99", name: "", permissions: "65536", highlighted: false)
        case .moderator: Role(id: "2", name: "Moderator", permissions: "1308", highlighted: true)
        case .admin: Role(id: "3", name: "Admin", permissions: "1", highlighted: true)
        }
    }
}

/// Mastodon's `Application` entity, with the secret only when just registered.
struct MastodonApplication: Encodable {
    let id: String
    let name: String
    let website: String?
    let scopes: [String]
    let redirect_uri: String
    let redirect_uris: [String]
    let client_id: String?
    let client_secret: String?
    let client_secret_expires_at: Int?
    let vapid_key = ""

    init(_ app: OAuthApp, secret: String?) {
        id = app.id.description
        name = app.name
        website = app.website
        scopes = app.scopes
        redirect_uri = app.redirectURIs.joined(separator: "\n")
        redirect_uris = app.redirectURIs
        client_id = secret == nil ? nil : app.clientID
        client_secret = secret
        client_secret_expires_at = secret == nil ? nil : 0
    }
}

struct MastodonToken: Encodable {
    let access_token: String
    let token_type = "Bearer"
    let scope: String
    let created_at: Int
}

/// Small HTML helpers for the few places the API carries HTML (Mastodon's `note`).
enum HTMLText {
    /// Works on UTF-8 bytes: escaping runs for every name, bio and field of every account an API answer
    /// carries, and walking Characters (grapheme by grapheme) made it a tenth of a timeline's cost.
    static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else {
            return text
        }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 32)
        for byte in text.utf8 { appendEscaped(byte, to: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    private static func appendEscaped(_ byte: UInt8, to out: inout [UInt8]) {
        switch byte {
        case 0x26: out += "&amp;".utf8
        case 0x3C: out += "&lt;".utf8
        case 0x3E: out += "&gt;".utf8
        case 0x22: out += "&quot;".utf8
        case 0x27: out += "&#39;".utf8
        default: out.append(byte)
        }
    }

    /// Plain text as HTML paragraphs: blank lines separate paragraphs, single line breaks are kept as
    /// `<br>`, white space around a paragraph is dropped.
    static func paragraphs(_ text: String) -> String {
        let bytes = Array(text.utf8).filter { $0 != 0x0D }
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 32)
        var start = 0
        while start < bytes.count {
            // A paragraph runs to the next blank line ("\n\n") or the end.
            var end = start
            while end < bytes.count, !(bytes[end] == 0x0A && end + 1 < bytes.count && bytes[end + 1] == 0x0A) { end += 1 }
            var first = start
            var last = end
            while first < last, isSpace(bytes[first]) { first += 1 }
            while last > first, isSpace(bytes[last - 1]) { last -= 1 }
            if first < last {
                out += "<p>".utf8
                for byte in bytes[first..<last] {
                    if byte == 0x0A { out += "<br>".utf8 } else { appendEscaped(byte, to: &out) }
                }
                out += "</p>".utf8
            }
            start = end + 2
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension Date {
    /// Mastodon's timestamp format: ISO 8601 in UTC with milliseconds.
    var mastodonTimestamp: String {
        formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
