/// Directed edges as two parallel arrays of node ids, the form `Graph` is built from.
public struct EdgeList: Sendable, Equatable {
    /// Tail of each edge.
    public var sources: [Int32]
    /// Head of each edge.
    public var destinations: [Int32]

    public init(sources: [Int32] = [], destinations: [Int32] = []) {
        self.sources = sources
        self.destinations = destinations
    }

    /// Number of edges.
    public var count: Int { sources.count }
}

/// A row of edge-list CSV that could not be read; `line` is 1-based, counting the header.
public struct EdgeListParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// 1-based line number in the input.
    public let line: Int
    /// What is wrong with that line.
    public let reason: String

    public init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }

    public var description: String { "line \(line): \(reason)" }
}

extension EdgeList {
    /// The header an edge-list CSV must start with.
    public static let csvHeader = "src,dst"

    /// Parses CSV text whose first line is `src,dst` and whose other lines are two non-negative integer ids.
    ///
    /// LF and CRLF line ends are accepted, as are blank lines (skipped), spaces or tabs around fields, and a UTF-8
    /// byte-order mark. Ids must fit in 32 bits.
    /// - Throws: `EdgeListParseError` naming the first bad line.
    public static func parseCSV(_ text: String) throws(EdgeListParseError) -> EdgeList {
        var text = text
        // withUTF8 only rethrows untyped errors, so the typed one travels out as a Result.
        return try text.withUTF8 { bytes in Result { () throws(EdgeListParseError) in try parseCSV(UnsafeRawBufferPointer(bytes)) } }.get()
    }

    /// Parses CSV bytes; see `parseCSV(_:)` for the format.
    public static func parseCSV(_ bytes: [UInt8]) throws(EdgeListParseError) -> EdgeList {
        try bytes.withUnsafeBytes { buffer in Result { () throws(EdgeListParseError) in try parseCSV(buffer) } }.get()
    }

    /// Parses CSV bytes in place, without copying or splitting them into strings; see `parseCSV(_:)` for the format.
    public static func parseCSV(_ bytes: UnsafeRawBufferPointer) throws(EdgeListParseError) -> EdgeList {
        var reader = CSVEdgeReader(bytes: bytes)
        try reader.readHeader()
        var edges = EdgeList()
        // A row is at least four bytes ("0,0\n"), so this bounds the edges without a counting pass.
        let estimate = bytes.count / 8
        edges.sources.reserveCapacity(estimate)
        edges.destinations.reserveCapacity(estimate)
        while let (tail, head) = try reader.nextEdge() {
            edges.sources.append(tail)
            edges.destinations.append(head)
        }
        return edges
    }
}

/// A cursor over CSV bytes that reads one edge per line.
private struct CSVEdgeReader {
    let bytes: UnsafeRawBufferPointer
    var position = 0
    var line = 0

    private static let newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r"), comma = UInt8(ascii: ",")
    private static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), zero = UInt8(ascii: "0")

    init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { position = 3 }
    }

    /// The current line's bytes without its terminator, advancing past it; nil at the end of input.
    private mutating func nextLine() -> Range<Int>? {
        guard position < bytes.count else { return nil }
        line += 1
        let start = position
        var end = start
        while end < bytes.count, bytes[end] != Self.newline { end += 1 }
        position = end < bytes.count ? end + 1 : end
        if end > start, bytes[end - 1] == Self.carriageReturn { end -= 1 }
        return start..<end
    }

    private func isBlank(_ range: Range<Int>) -> Bool {
        range.allSatisfy { bytes[$0] == Self.space || bytes[$0] == Self.tab }
    }

    private func text(_ range: Range<Int>) -> String {
        // Quoted in error messages; long rows are cut so a binary file does not flood the message.
        let shown = range.prefix(40)
        let string = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[shown]), as: UTF8.self)
        return range.count > shown.count ? string + "…" : string
    }

    mutating func readHeader() throws(EdgeListParseError) {
        guard let range = nextLine() else { throw EdgeListParseError(line: 1, reason: "empty input; expected header \"src,dst\"") }
        var fields = [String]()
        var fieldStart = range.lowerBound
        for index in range where bytes[index] == Self.comma {
            fields.append(text(fieldStart..<index))
            fieldStart = index + 1
        }
        fields.append(text(fieldStart..<range.upperBound))
        let names = fields.map { $0.trimmingWhitespace() }
        guard names == ["src", "dst"] else {
            throw EdgeListParseError(line: line, reason: "expected header \"src,dst\", found \"\(text(range))\"")
        }
    }

    mutating func nextEdge() throws(EdgeListParseError) -> (Int32, Int32)? {
        while let range = nextLine() {
            if isBlank(range) { continue }
            var cursor = range.lowerBound
            let tail = try readId(&cursor, in: range, field: "src")
            guard cursor < range.upperBound, bytes[cursor] == Self.comma else {
                throw EdgeListParseError(line: line, reason: "expected \"src,dst\", found \"\(text(range))\"")
            }
            cursor += 1
            let head = try readId(&cursor, in: range, field: "dst")
            guard cursor == range.upperBound else {
                throw EdgeListParseError(line: line, reason: "expected two integer fields, found \"\(text(range))\"")
            }
            return (tail, head)
        }
        return nil
    }

    /// Reads one padded non-negative integer field, leaving `cursor` after its trailing padding.
    private func readId(_ cursor: inout Int, in range: Range<Int>, field: String) throws(EdgeListParseError) -> Int32 {
        while cursor < range.upperBound, bytes[cursor] == Self.space || bytes[cursor] == Self.tab { cursor += 1 }
        let start = cursor
        var value: Int64 = 0
        while cursor < range.upperBound {
            let digit = bytes[cursor] &- Self.zero
            guard digit < 10 else { break }
            value = value * 10 + Int64(digit)
            if value > Int64(Int32.max) {
                throw EdgeListParseError(line: line, reason: "\(field) id is larger than \(Int32.max) in \"\(text(range))\"")
            }
            cursor += 1
        }
        guard cursor > start else {
            throw EdgeListParseError(line: line, reason: "\(field) is not a non-negative integer in \"\(text(range))\"")
        }
        while cursor < range.upperBound, bytes[cursor] == Self.space || bytes[cursor] == Self.tab { cursor += 1 }
        return Int32(value)
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        var view = Substring(self)
        while let first = view.first, first == " " || first == "\t" { view.removeFirst() }
        while let last = view.last, last == " " || last == "\t" { view.removeLast() }
        return String(view)
    }
}
