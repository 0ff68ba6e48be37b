import Foundation
import Hummingbird
import NIOCore
import PollenCore

/// How an uploaded resource leaves the server: with the type Pollen decided when it was uploaded, named by
/// `Content-Disposition`, never sniffed, and sandboxed so that even a file a browser did render could run
/// nothing and reach nothing of Pollen's.
enum ResourceDownload {
    static func response(_ file: (item: CommunityItem, bytes: [UInt8], contentType: String, inline: Bool)) -> Response {
        let name = file.item.resource?.fileName ?? "file"
        // An ASCII fallback for old clients, the exact name (RFC 5987) for the rest.
        let ascii = String(name.unicodeScalars.map { $0.isASCII && $0 != "\\" && $0 != "\"" && $0.value >= 32 ? Character($0) : "_" })
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: ".-_"))) ?? ascii
        let disposition = "\(file.inline ? "inline" : "attachment"); filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
        return Response(
            status: .ok,
            headers: [
                .contentType: file.contentType,
                .contentDisposition: disposition,
                .init("X-Content-Type-Options")!: "nosniff",
                .init("Content-Security-Policy")!: "sandbox; default-src 'none'; media-src 'self'; img-src 'self'",
                .cacheControl: "private, max-age=300",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: file.bytes)))
    }

    /// The largest request body an upload may have: the largest file plus room for the form around it.
    static func bodyLimit(_ rules: ResourceRules) -> Int {
        rules.maxBytes + 1024 * 1024
    }
}
