import Foundation

/// Where uploaded resources live: files named by a key Pollen makes, never by the uploader's file name.
public protocol ResourceFiles: Sendable {
    func save(_ data: [UInt8], key: String) throws
    func read(key: String) throws -> [UInt8]
    func remove(key: String) throws
}

/// Resources as files in one directory (`DATA_DIR/resources` by default, or a path the administrator sets).
public struct DirectoryResourceFiles: ResourceFiles {
    public let root: URL

    public init(root: URL) {
        self.root = root
    }

    public func save(_ data: [UInt8], key: String) throws {
        let url = try location(key)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        // Written beside and moved into place, so a reader never sees half a file.
        try Data(data).write(to: url, options: .atomic)
    }

    public func read(key: String) throws -> [UInt8] {
        let url = try location(key)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw DomainError.notFound("File")
        }
        return [UInt8](data)
    }

    public func remove(key: String) throws {
        let url = try location(key)
        if FileManager.default.fileExists(atPath: url.path) { try FileManager.default.removeItem(at: url) }
    }

    /// Keys are Pollen's own (`ab/12345.pdf`), but a key that could leave the directory is refused all the same.
    private func location(_ key: String) throws -> URL {
        guard !key.isEmpty, !key.hasPrefix("/"), !key.split(separator: "/").contains(where: { $0 == ".." || $0 == "." }),
            key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "/._-".contains($0)) })
        else { throw DomainError.invalid("That is not a file Pollen keeps.") }
        return root.appendingPathComponent(key)
    }
}

/// What may be uploaded as a resource. The type is decided from the file's extension, never from what the
/// uploader's browser claims.
public struct ResourceRules: Sendable {
    /// 25 MB unless the administrator sets another limit.
    public static let defaultMaxBytes = 25 * 1024 * 1024

    public var maxBytes: Int
    /// Lower-case extensions without the dot, with the content type each is served as.
    public var types: [String: String]

    public init(maxBytes: Int = defaultMaxBytes, types: [String: String] = ResourceRules.defaultTypes) {
        self.maxBytes = maxBytes
        self.types = types
    }

    /// Documents, slides, spreadsheets, recordings and images people share to learn from. Web pages and
    /// scripts are accepted as documents but always served as plain downloads (see ``servedType(_:)``).
    public static let defaultTypes: [String: String] = [
        "pdf": "application/pdf",
        "doc": "application/msword",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls": "application/vnd.ms-excel",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "ppt": "application/vnd.ms-powerpoint",
        "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "odt": "application/vnd.oasis.opendocument.text",
        "ods": "application/vnd.oasis.opendocument.spreadsheet",
        "odp": "application/vnd.oasis.opendocument.presentation",
        "key": "application/vnd.apple.keynote",
        "txt": "text/plain; charset=utf-8",
        "md": "text/markdown; charset=utf-8",
        "csv": "text/csv; charset=utf-8",
        "html": "text/html",
        "htm": "text/html",
        "zip": "application/zip",
        "mp3": "audio/mpeg",
        "m4a": "audio/mp4",
        "ogg": "audio/ogg",
        "wav": "audio/wav",
        "mp4": "video/mp4",
        "webm": "video/webm",
        "png": "image/png",
        "jpg": "image/jpeg",
        "jpeg": "image/jpeg",
        "gif": "image/gif",
    ]

    /// Types a browser may show in place (a player for recordings, a viewer for PDF and pictures); everything
    /// else is only ever downloaded.
    static let inlineTypes: Set<String> = [
        "application/pdf", "audio/mpeg", "audio/mp4", "audio/ogg", "audio/wav", "video/mp4", "video/webm",
        "image/png", "image/jpeg", "image/gif",
    ]

    /// The lower-case extension of a file name, if it has one.
    public static func fileExtension(_ name: String) -> String? {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        let ext = name[name.index(after: dot)...].lowercased()
        return ext.isEmpty ? nil : ext
    }

    /// The content type a stored file is sent with, and whether it may be shown in the page. Markup and
    /// anything unknown go out as opaque bytes to download, so a browser never renders or runs them as
    /// part of Pollen.
    public static func servedType(_ stored: String?) -> (contentType: String, inline: Bool) {
        guard let stored, !stored.hasPrefix("text/html"), stored != "image/svg+xml" else {
            return ("application/octet-stream", false)
        }
        return (stored, inlineTypes.contains(stored))
    }
}
