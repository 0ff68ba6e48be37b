/// Each user's group (a department, a site, a role…), as read from a CSV file whose first column is the user id and
/// whose second is the group's label.
public struct GroupList: Sendable, Equatable {
    /// Group labels, indexed by group id: in numeric order when every label is an integer, else in string order.
    public var labels: [String]
    /// Group id of each user, indexed by user id, up to the largest id listed; `-1` for ids the file does not list.
    public var groupOf: [Int32]

    public init(labels: [String], groupOf: [Int32]) {
        self.labels = labels
        self.groupOf = groupOf
    }

    /// Number of groups.
    public var count: Int { labels.count }

    /// Group of every node of a graph with `nodeCount` nodes; nodes beyond the listed users get `-1`.
    public func membership(nodeCount: Int) -> [Int32] {
        var groups = Array(groupOf.prefix(nodeCount))
        if groups.count < nodeCount { groups += [Int32](repeating: -1, count: nodeCount - groups.count) }
        return groups
    }
}

/// A line of a group CSV that could not be read; `line` is 1-based, counting the header.
public struct GroupListParseError: Error, Equatable, Sendable, CustomStringConvertible {
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

extension GroupList {
    /// Parses CSV text whose header starts `user,<group>` (e.g. `user,dept,is_leader`); see `parseCSV(_:)` on bytes.
    public static func parseCSV(_ text: String) throws(GroupListParseError) -> GroupList {
        try parseCSV(Array(text.utf8))
    }

    /// Parses CSV bytes whose header's first field is `user` and which has at least two columns.
    ///
    /// Each other line holds a non-negative integer user id, then the group's label (any text; double quotes
    /// around it allow commas, `""` inside stands for one quote); further columns are ignored. LF and CRLF line
    /// ends, blank lines, spaces around fields and a UTF-8 byte-order mark are accepted.
    /// - Throws: `GroupListParseError` naming the first bad line: a bad header, a missing or non-integer id, an
    ///   empty label, an unclosed quote, or a user listed twice.
    public static func parseCSV(_ bytes: [UInt8]) throws(GroupListParseError) -> GroupList {
        var reader = GroupRowReader(bytes: bytes)
        try reader.readHeader()
        var labelIds = [String: Int32]()
        var rawLabels = [String]()
        var groupOf = [Int32]()
        var lineOf = [Int32]()
        while let (user, label) = try reader.nextRow() {
            let group: Int32
            if let known = labelIds[label] {
                group = known
            } else {
                group = Int32(rawLabels.count)
                labelIds[label] = group
                rawLabels.append(label)
            }
            if user >= groupOf.count {
                let grown = user + 1
                groupOf += [Int32](repeating: -1, count: grown - groupOf.count)
                lineOf += [Int32](repeating: 0, count: grown - lineOf.count)
            }
            guard groupOf[user] < 0 else {
                throw GroupListParseError(line: reader.line, reason: "user \(user) is listed twice (first on line \(lineOf[user]))")
            }
            groupOf[user] = group
            lineOf[user] = Int32(clamping: reader.line)
        }
        // Group ids follow the labels' order rather than the file's, so the same groups get the same ids whatever
        // order the users are listed in.
        let numeric = rawLabels.map { Int($0) }
        let order = numeric.allSatisfy { $0 != nil }
            ? rawLabels.indices.sorted { numeric[$0]! < numeric[$1]! }
            : rawLabels.indices.sorted { rawLabels[$0] < rawLabels[$1] }
        var renumber = [Int32](repeating: 0, count: rawLabels.count)
        for (rank, old) in order.enumerated() { renumber[old] = Int32(rank) }
        for user in groupOf.indices where groupOf[user] >= 0 { groupOf[user] = renumber[Int(groupOf[user])] }
        return GroupList(labels: order.map { rawLabels[$0] }, groupOf: groupOf)
    }
}

/// A cursor over group-CSV bytes that reads the first two fields of each line.
private struct GroupRowReader {
    let bytes: [UInt8]
    var position = 0
    var line = 0

    private static let newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r"), comma = UInt8(ascii: ",")
    private static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), quote = UInt8(ascii: "\""), zero = UInt8(ascii: "0")
    /// User ids must be usable as node ids.
    private static let largestUser = Int(Int32.max) - 1

    init(bytes: [UInt8]) {
        self.bytes = bytes
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { position = 3 }
    }

    private func isPadding(_ byte: UInt8) -> Bool { byte == Self.space || byte == Self.tab }

    private func text(_ range: Range<Int>) -> String {
        // Quoted in error messages; long rows are cut so a binary file does not flood the message.
        let shown = range.prefix(40)
        let string = String(decoding: bytes[shown], as: UTF8.self)
        return range.count > shown.count ? string + "…" : string
    }

    /// The next line's fields (at most the first two), with the whole line's range; nil at the end of input.
    /// A quoted field may span lines, as in RFC 4180.
    private mutating func nextFields() throws(GroupListParseError) -> (fields: [String], line: Range<Int>)? {
        guard position < bytes.count else { return nil }
        line += 1
        let firstLine = line
        let start = position
        var fields = [String]()
        var field = [UInt8]()
        var quoted = false, wasQuoted = false, atFieldStart = true
        while position < bytes.count {
            let byte = bytes[position]
            if quoted {
                position += 1
                if byte == Self.quote {
                    if position < bytes.count, bytes[position] == Self.quote { field.append(byte); position += 1 } else { quoted = false }
                } else {
                    if byte == Self.newline { line += 1 }
                    field.append(byte)
                }
                continue
            }
            if byte == Self.newline { break }
            position += 1
            if byte == Self.comma {
                fields.append(finish(field, wasQuoted: wasQuoted))
                field.removeAll(keepingCapacity: true)
                wasQuoted = false
                atFieldStart = true
                if fields.count == 2 { skipRestOfLine(); return (fields, start..<lineEnd(from: start)) }
                continue
            }
            // Padding and the CR of a CRLF after a closing quote are not part of the label.
            if wasQuoted, isPadding(byte) || byte == Self.carriageReturn { continue }
            if byte == Self.quote, atFieldStart, field.allSatisfy(isPadding) {
                field.removeAll(keepingCapacity: true)
                quoted = true
                wasQuoted = true
                continue
            }
            atFieldStart = atFieldStart && isPadding(byte)
            field.append(byte)
        }
        if quoted { throw GroupListParseError(line: firstLine, reason: "unclosed quote in \"\(text(start..<lineEnd(from: start)))\"") }
        let end = position
        if position < bytes.count { position += 1 }
        if !field.isEmpty, field.last == Self.carriageReturn, !wasQuoted { field.removeLast() }
        fields.append(finish(field, wasQuoted: wasQuoted))
        var shownEnd = end
        if shownEnd > start, bytes[shownEnd - 1] == Self.carriageReturn { shownEnd -= 1 }
        return (fields, start..<shownEnd)
    }

    private func finish(_ field: [UInt8], wasQuoted: Bool) -> String {
        if wasQuoted { return String(decoding: field, as: UTF8.self) }
        var slice = field[...]
        while let first = slice.first, isPadding(first) { slice.removeFirst() }
        while let last = slice.last, isPadding(last) || last == Self.carriageReturn { slice.removeLast() }
        return String(decoding: slice, as: UTF8.self)
    }

    private mutating func skipRestOfLine() {
        var quoted = false
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            if byte == Self.quote { quoted.toggle() }
            if byte == Self.newline {
                if quoted { line += 1 } else { return }
            }
        }
    }

    private func lineEnd(from start: Int) -> Int {
        var end = start
        while end < bytes.count, bytes[end] != Self.newline { end += 1 }
        if end > start, bytes[end - 1] == Self.carriageReturn { end -= 1 }
        return end
    }

    mutating func readHeader() throws(GroupListParseError) {
        guard let (fields, range) = try nextFields() else {
            throw GroupListParseError(line: 1, reason: "empty input; expected a header such as \"user,dept\"")
        }
        guard fields.count == 2, fields[0].lowercased() == "user" else {
            throw GroupListParseError(
                line: line, reason: "expected a header starting \"user,\" and a group column, found \"\(text(range))\"")
        }
    }

    mutating func nextRow() throws(GroupListParseError) -> (user: Int, label: String)? {
        while let (fields, range) = try nextFields() {
            if fields.count == 1, fields[0].isEmpty { continue }
            guard let user = Self.userId(fields[0]) else {
                throw GroupListParseError(line: line, reason: "user is not a non-negative integer id in \"\(text(range))\"")
            }
            guard fields.count == 2 else {
                throw GroupListParseError(line: line, reason: "expected \"user,group\", found \"\(text(range))\"")
            }
            guard !fields[1].isEmpty else {
                throw GroupListParseError(line: line, reason: "the group of user \(user) is empty")
            }
            return (user, fields[1])
        }
        return nil
    }

    private static func userId(_ field: String) -> Int? {
        guard !field.isEmpty, field.utf8.allSatisfy({ $0 &- zero < 10 }) else { return nil }
        var value = 0
        for digit in field.utf8 {
            value = value * 10 + Int(digit - zero)
            if value > largestUser { return nil }
        }
        return value
    }
}
