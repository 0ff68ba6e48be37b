import Foundation
import Hummingbird
import NIOCore
import PollenCore

/// The fields of a submitted form or API request body, whatever its encoding: URL-encoded, multipart
/// (with files) or a flat JSON object. Repeated keys keep every value (`scopes[]`, checkboxes).
public struct FormData: Sendable {
    public struct File: Sendable {
        public var filename: String
        public var contentType: String
        public var data: [UInt8]
    }

    fileprivate(set) var values: [String: [String]] = [:]
    /// Every file of a field, in the order sent (a multiple-file input sends several).
    private(set) var uploads: [String: [File]] = [:]

    public init(values: [String: [String]] = [:]) {
        self.values = values
    }

    public subscript(_ key: String) -> String? {
        values[key]?.first ?? values[key + "[]"]?.first
    }

    /// Whether the key was sent at all, even as an empty list (which clears a list field).
    public func has(_ key: String) -> Bool {
        values[key] != nil || values[key + "[]"] != nil
    }

    public func all(_ key: String) -> [String] {
        (values[key] ?? []) + (values[key + "[]"] ?? [])
    }

    /// The first file of a field.
    public func file(_ key: String) -> File? { uploads[key]?.first }

    /// Every file of a field.
    public func files(_ key: String) -> [File] { uploads[key] ?? [] }

    /// `"1"`, `"true"`, `"on"` (a ticked checkbox) count as true.
    public func bool(_ key: String) -> Bool? {
        self[key].map { ["1", "true", "on", "yes"].contains($0.lowercased()) }
    }

    static func parse(urlEncoded text: String) -> FormData {
        var form = FormData()
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = decode(parts[0])
            let value = parts.count > 1 ? decode(parts[1]) : ""
            form.values[key, default: []].append(value)
        }
        return form
    }

    private static func decode(_ part: Substring) -> String {
        let spaced = part.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    static func parse(json data: [UInt8]) throws -> FormData {
        guard !data.isEmpty else { return FormData() }
        guard let object = try? JSONSerialization.jsonObject(with: Data(data)) as? [String: Any] else {
            throw DomainError.invalid("The request body must be a JSON object.")
        }
        var form = FormData()
        for (key, value) in object {
            switch value {
            case let list as [Any]: form.values[key] = try list.map { try scalar($0, key: key) }
            case is NSNull: continue
            default: form.values[key] = [try scalar(value, key: key)]
            }
        }
        return form
    }

    /// Fields are flat: text, numbers, booleans, or lists of them. Anything nested is refused rather than
    /// stored as its description.
    private static func scalar(_ value: Any, key: String) throws -> String {
        switch value {
        case let string as String: return string
        // JSON booleans arrive as numbers 1 and 0, which ``bool(_:)`` reads as true and false.
        case let number as NSNumber: return number.stringValue
        default: throw DomainError.invalid("“\(key)” must be text, a number or a list of them.", field: key)
        }
    }

    static func parse(multipart data: [UInt8], boundary: String) throws -> FormData {
        var form = FormData()
        let parts: [MultipartBody.Part]
        do {
            parts = try MultipartBody(data, boundary: boundary).parts
        } catch {
            throw DomainError.invalid("The uploaded form could not be read.")
        }
        for part in parts {
            guard let disposition = part.header("Content-Disposition"),
                let name = Self.dispositionParameter("name", in: disposition)
            else { continue }
            let bytes = Array(part.body)
            if let filename = Self.dispositionParameter("filename", in: disposition) {
                form.uploads[name, default: []].append(File(
                    filename: filename, contentType: part.header("Content-Type") ?? "application/octet-stream",
                    data: bytes))
            } else {
                form.values[name, default: []].append(String(decoding: bytes, as: UTF8.self))
            }
        }
        return form
    }

    private static func dispositionParameter(_ name: String, in header: String) -> String? {
        for piece in header.split(separator: ";") {
            let trimmed = piece.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix(name + "=") else { continue }
            var value = String(trimmed.dropFirst(name.count + 1))
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }
}

extension FormData {
    /// The form, unless a field or a file name holds U+0000: no one types it, and PostgreSQL cannot store it in
    /// text (SQLite can), so it is refused here with 422 instead of failing in the database. Files' contents
    /// may hold anything.
    func refusingNul() throws -> FormData {
        let nul: Unicode.Scalar = "\u{0}"
        for (key, texts) in values where texts.contains(where: { $0.unicodeScalars.contains(nul) }) {
            throw DomainError.invalid("Text cannot contain the NUL character (U+0000).", field: key)
        }
        for (key, files) in uploads where files.contains(where: { $0.filename.unicodeScalars.contains(nul) }) {
            throw DomainError.invalid("A file name cannot contain the NUL character (U+0000).", field: key)
        }
        return self
    }

    /// The profile fields of a page form or API body laid over `base`: a field that is not sent keeps its
    /// value, an empty one clears it. Lists are comma- or semicolon-separated, or repeated keys.
    func profile(over base: Profile) -> Profile {
        var profile = base
        if let value = self["display_name"] { profile.displayName = value }
        if let value = self["bio"] { profile.bio = value }
        if let value = self["department"] { profile.department = value }
        if let value = self["location"] { profile.location = value }
        if let value = self["job_role"] { profile.jobRole = value }
        if has("subjects") { profile.subjects = all("subjects").flatMap(ProfileRules.splitTagList) }
        if has("expertise") { profile.expertise = all("expertise").flatMap(ProfileRules.splitTagList) }
        return profile
    }
}

extension FormData {
    /// The `page` parameter, from 1 (absent, unreadable or lower counts as 1) to ``lastPage``: capped so that
    /// page × page size cannot overflow, which a 19-digit page number did, stopping the server.
    var pageNumber: Int { min(max(self["page"].flatMap { Int($0) } ?? 1, 1), Self.lastPage) }

    static let lastPage = 1_000_000
}

extension Request {
    /// Reads the body (once; middleware and handlers share the collected copy) and decodes it by its
    /// content type.
    mutating func formData(limit: Int) async throws -> FormData {
        try await decodedFormData(limit: limit).refusingNul()
    }

    private mutating func decodedFormData(limit: Int) async throws -> FormData {
        let buffer = try await collectBody(refusingOver: limit)
        let bytes = Array(buffer.readableBytesView)
        let contentType = headers[.contentType]?.lowercased() ?? ""
        if contentType.hasPrefix("application/json") {
            return try FormData.parse(json: bytes)
        }
        if contentType.hasPrefix("multipart/form-data") {
            let original = headers[.contentType] ?? ""
            guard let range = original.range(of: "boundary=", options: .caseInsensitive) else {
                throw DomainError.invalid("The multipart form has no boundary.")
            }
            var boundary = String(original[range.upperBound...]).split(separator: ";").first.map(String.init) ?? ""
            boundary = boundary.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
            return try FormData.parse(multipart: bytes, boundary: boundary)
        }
        var form = FormData.parse(urlEncoded: String(decoding: bytes, as: UTF8.self))
        // Mastodon clients also send parameters in the query string of POST requests.
        for (key, values) in query.values where form.values[key] == nil {
            form.values[key] = values
        }
        return form
    }

    /// The query string, decoded as a form (`+` is a space, as browsers send GET forms).
    var query: FormData {
        FormData.parse(urlEncoded: uri.query ?? "")
    }
}
