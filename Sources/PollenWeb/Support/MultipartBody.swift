import Foundation

/// A `multipart/form-data` body (RFC 7578) split into its parts.
///
/// Our own reading rather than MultipartKit's `MultipartParser`: version 4.7.1 (the only one in the
/// mirror) traps on a byte above 127 in a part's header name and on an empty boundary, so one crafted
/// request stopped the whole server. Anything malformed here is an error the caller turns into a 422.
struct MultipartBody {
    struct Part {
        var headers: [(name: String, value: String)]
        var body: ArraySlice<UInt8>

        /// The first header with this name, matched regardless of case.
        func header(_ name: String) -> String? {
            headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
        }
    }

    struct Malformed: Error {}

    var parts: [Part] = []

    private static let crlf: [UInt8] = [13, 10]

    init(_ data: [UInt8], boundary: String) throws {
        // RFC 2046: 1 to 70 characters.
        guard (1...70).contains(boundary.utf8.count) else { throw Malformed() }
        let delimiter = Self.crlf + Array("--\(boundary)".utf8)
        // The first delimiter may open the body without a line break before it.
        let bytes = Self.crlf + data
        guard var position = Self.index(of: delimiter, in: bytes[...]) else { throw Malformed() }
        while true {
            var cursor = position + delimiter.count
            // "--" after a delimiter closes the body; anything after it is an epilogue.
            if bytes[cursor...].starts(with: [45, 45]) { return }
            // Transport padding (spaces and tabs), then the line break that ends the delimiter line.
            while cursor < bytes.endIndex, bytes[cursor] == 32 || bytes[cursor] == 9 { cursor += 1 }
            guard bytes[cursor...].starts(with: Self.crlf) else { throw Malformed() }
            cursor += 2
            // A part without a delimiter after it was cut short: refuse it rather than guess.
            guard let end = Self.index(of: delimiter, in: bytes[cursor...]) else { throw Malformed() }
            parts.append(try Self.part(bytes[cursor..<end]))
            position = end
        }
    }

    /// Header lines up to the first empty line, then the body.
    private static func part(_ content: ArraySlice<UInt8>) throws -> Part {
        let headerEnd: Int
        if content.starts(with: crlf) {
            headerEnd = content.startIndex
        } else if let blank = index(of: crlf + crlf, in: content) {
            headerEnd = blank + 2
        } else {
            throw Malformed()
        }
        var headers: [(name: String, value: String)] = []
        var line = content.startIndex
        while line < headerEnd {
            guard let lineEnd = index(of: crlf, in: content[line..<headerEnd]),
                let colon = content[line..<lineEnd].firstIndex(of: 58)
            else { throw Malformed() }
            let name = content[line..<colon]
            guard !name.isEmpty, name.allSatisfy(isTokenCharacter) else { throw Malformed() }
            let value = String(decoding: content[(colon + 1)..<lineEnd], as: UTF8.self).trimmingCharacters(in: .whitespaces)
            headers.append((String(decoding: name, as: UTF8.self), value))
            line = lineEnd + 2
        }
        return Part(headers: headers, body: content[(headerEnd + 2)...])
    }

    /// An RFC 9110 `tchar`: the letters, digits and symbols a header name may contain, ASCII only.
    private static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            tokenSymbols.contains(byte)
        }
    }

    private static let tokenSymbols = Array("!#$%&'*+-.^_`|~".utf8)

    /// Where `pattern` first starts in `bytes`. A plain scan stays linear: every pattern here is short and
    /// starts with CR, and a boundary (a header value) cannot contain one, so partial matches cannot pile up.
    private static func index(of pattern: [UInt8], in bytes: ArraySlice<UInt8>) -> Int? {
        guard let first = pattern.first, bytes.count >= pattern.count else { return nil }
        var start = bytes.startIndex
        let last = bytes.endIndex - pattern.count
        while start <= last {
            if bytes[start] == first, bytes[start..<(start + pattern.count)].elementsEqual(pattern) { return start }
            start += 1
        }
        return nil
    }
}
