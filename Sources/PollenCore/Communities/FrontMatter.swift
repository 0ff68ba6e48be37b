import Foundation

/// The `key: value` header of a Markdown file, between two lines of three hyphens, and the text after it.
///
/// Only flat fields are read, not full YAML: one `key: value` per line, blank lines and lines starting
/// with `#` skipped. A UTF-8 byte order mark and "\r\n" line endings are accepted.
public struct FrontMatter: Sendable, Equatable {
    /// Values by lower-cased key, trimmed, with one pair of surrounding single or double quotes removed.
    public let fields: [String: String]
    /// The Markdown after the closing line, without leading blank lines, with "\n" line endings.
    public let body: String

    /// The line that opens and closes the front matter.
    private static let fence = "---"

    /// Reads the front matter at the start of `text`.
    ///
    /// - Throws: ``DomainError`` (invalid input) when the text does not start with front matter, the front matter
    ///   is not closed, a line in it is not `key: value`, or a key appears twice.
    public static func parse(_ text: String) throws -> FrontMatter {
        let lines = splitLines(text)
        guard let opening = lines.first, isFence(opening) else {
            throw DomainError.invalid("The file does not start with front matter (a line of three hyphens).")
        }
        guard let closingIndex = lines.indices.dropFirst().first(where: { isFence(lines[$0]) }) else {
            throw DomainError.invalid("The front matter is not closed: add a line of three hyphens after its last field.")
        }

        var fields: [String: String] = [:]
        var lineOfKey: [String: Int] = [:]
        for index in 1..<closingIndex {
            let line = lines[index].trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let lineNumber = index + 1
            guard let colon = line.firstIndex(of: ":") else { throw notKeyValue(lineNumber) }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            // A key with spaces is almost always a line of prose or a broken value, not a field.
            guard !key.isEmpty, !key.contains(where: \.isWhitespace) else { throw notKeyValue(lineNumber) }
            if let earlier = lineOfKey[key] {
                throw DomainError.invalid(
                    "The key \"\(key)\" appears twice in the front matter (lines \(earlier) and \(lineNumber)).")
            }
            lineOfKey[key] = lineNumber
            fields[key] = unquoted(line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }

        let bodyLines = lines[(closingIndex + 1)...].drop { $0.allSatisfy(\.isWhitespace) }
        return FrontMatter(fields: fields, body: bodyLines.joined(separator: "\n"))
    }

    /// The field `key` read as a list of tags: `[a, b, c]` or `a, b c`, items lower-cased without a leading `#`.
    ///
    /// Empty when the field is missing or blank.
    public func list(_ key: String) -> [String] {
        guard var value = fields[key.lowercased()] else { return [] }
        if value.hasPrefix("["), value.hasSuffix("]") {
            value = String(value.dropFirst().dropLast())
        }
        return value.split { $0 == "," || $0.isWhitespace }
            .map { item in
                let unquotedItem = Self.unquoted(String(item))
                return String(unquotedItem.drop { $0 == "#" }).lowercased()
            }
            .filter { !$0.isEmpty }
    }

    private static func notKeyValue(_ lineNumber: Int) -> DomainError {
        DomainError.invalid("Line \(lineNumber) of the front matter is not of the form \"key: value\".")
    }

    private static func isFence(_ line: String) -> Bool {
        line.trimmingCharacters(in: .whitespaces) == fence
    }

    private static func unquoted(_ value: String) -> String {
        guard value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first else {
            return value
        }
        return String(value.dropFirst().dropLast())
    }

    /// The lines of `text` without line breaks, after any byte order mark. Unlike a diff's lines, a final
    /// line break yields a final empty line, so the body keeps its ending.
    private static func splitLines(_ text: String) -> [String] {
        var bytes = Array(text.utf8)[...]
        let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]
        if bytes.starts(with: byteOrderMark) { bytes = bytes.dropFirst(byteOrderMark.count) }
        // Splitting bytes rather than Characters: Swift treats "\r\n" as one Character, and a
        // line feed byte never occurs inside a multi-byte UTF-8 sequence.
        return bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            let content = line.last == UInt8(ascii: "\r") ? line.dropLast() : line
            return String(decoding: content, as: UTF8.self)
        }
    }
}
