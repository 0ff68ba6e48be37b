import Foundation

/// Compares two versions of a text line by line, as a wiki page's history shows them.
///
/// Lines end at "\n"; "\r\n" counts as "\n", and a final line break does not start another line,
/// so "a\n" and "a" are the same one-line text and "" has no lines at all.
public enum TextDiff {
    /// One line of a comparison: kept from the old text, added in the new, or removed from the old.
    public struct Line: Sendable, Equatable {
        public enum Change: String, Sendable {
            case same, added, removed
        }

        public let change: Change
        /// The line without its line break.
        public let text: String
        /// 1-based position in the old text; `nil` for an added line.
        public let oldNumber: Int?
        /// 1-based position in the new text; `nil` for a removed line.
        public let newNumber: Int?

        public init(change: Change, text: String, oldNumber: Int?, newNumber: Int?) {
            self.change = change
            self.text = text
            self.oldNumber = oldNumber
            self.newNumber = newNumber
        }
    }

    /// Every line of both texts in reading order, with the fewest added and removed lines that turn `old` into `new`.
    ///
    /// Where a block of lines was replaced, its removed lines come before its added ones.
    public static func lines(from old: String, to new: String) -> [Line] {
        let oldLines = splitLines(old)
        let newLines = splitLines(new)

        // Comparing small integers is far cheaper than String's Unicode-aware equality, which the
        // algorithm would otherwise run many times per line.
        var numbers: [String: Int] = [:]
        func number(_ line: String) -> Int {
            if let known = numbers[line] { return known }
            numbers[line] = numbers.count
            return numbers.count - 1
        }
        let oldNumbers = oldLines.map(number)
        let distinctOldLines = numbers.count
        let newNumbers = newLines.map(number)

        let steps: [MyersDiff.Step]
        // A rewritten page shares no line with its old version, the search's slowest case; its answer is known.
        if newNumbers.contains(where: { $0 < distinctOldLines }) {
            var diff = MyersDiff(old: oldNumbers, new: newNumbers)
            diff.compare(oldRange: 0..<oldNumbers.count, newRange: 0..<newNumbers.count)
            steps = diff.steps
        } else {
            steps = oldNumbers.indices.map { .removed(old: $0) } + newNumbers.indices.map { .added(new: $0) }
        }

        var result: [Line] = []
        result.reserveCapacity(max(oldLines.count, newLines.count))
        var removed: [Line] = []
        var added: [Line] = []
        func flushChanges() {
            result.append(contentsOf: removed)
            result.append(contentsOf: added)
            removed.removeAll(keepingCapacity: true)
            added.removeAll(keepingCapacity: true)
        }
        // The algorithm may interleave removals and additions inside one changed block; readers expect
        // the old version of the block first, then the new one.
        for step in steps {
            switch step {
            case .same(let oldIndex, let newIndex):
                flushChanges()
                result.append(Line(change: .same, text: newLines[newIndex], oldNumber: oldIndex + 1, newNumber: newIndex + 1))
            case .removed(let oldIndex):
                removed.append(Line(change: .removed, text: oldLines[oldIndex], oldNumber: oldIndex + 1, newNumber: nil))
            case .added(let newIndex):
                added.append(Line(change: .added, text: newLines[newIndex], oldNumber: nil, newNumber: newIndex + 1))
            }
        }
        flushChanges()
        return result
    }

    /// The changed lines grouped for display, each group with up to `context` unchanged lines before and after it.
    ///
    /// Changes whose surroundings touch or overlap share one group; a comparison without changes has no groups.
    public static func hunks(_ lines: [Line], context: Int = 3) -> [[Line]] {
        let context = max(0, context)
        var ranges: [ClosedRange<Int>] = []
        for (index, line) in lines.enumerated() where line.change != .same {
            let lower = max(0, index - context)
            let upper = min(lines.count - 1, index + context)
            if let last = ranges.last, lower <= last.upperBound + 1 {
                ranges[ranges.count - 1] = last.lowerBound...max(last.upperBound, upper)
            } else {
                ranges.append(lower...upper)
            }
        }
        return ranges.map { Array(lines[$0]) }
    }

    /// How many lines a comparison adds and removes.
    public static func summary(_ lines: [Line]) -> (added: Int, removed: Int) {
        lines.reduce(into: (added: 0, removed: 0)) { counts, line in
            switch line.change {
            case .added: counts.added += 1
            case .removed: counts.removed += 1
            case .same: break
            }
        }
    }

    /// The lines of `text` as this type counts them; see the type's documentation.
    static func splitLines(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        var lines: [String] = []
        var start = 0
        // Splitting bytes rather than Characters: Swift treats "\r\n" as one Character, and a
        // line feed byte never occurs inside a multi-byte UTF-8 sequence.
        for index in bytes.indices where bytes[index] == UInt8(ascii: "\n") {
            var end = index
            if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            lines.append(String(decoding: bytes[start..<end], as: UTF8.self))
            start = index + 1
        }
        if start < bytes.count {
            lines.append(String(decoding: bytes[start...], as: UTF8.self))
        }
        return lines
    }
}

/// Myers' O(ND) difference algorithm in its linear-space form: find the middle snake of the shortest
/// edit script, then solve both halves. Memory stays proportional to the texts' length even when
/// they share nothing, where the plain form would keep one array per edit.
private struct MyersDiff {
    enum Step {
        case same(old: Int, new: Int)
        case removed(old: Int)
        case added(new: Int)
    }

    let old: [Int]
    let new: [Int]
    private(set) var steps: [Step] = []

    init(old: [Int], new: [Int]) {
        self.old = old
        self.new = new
        steps.reserveCapacity(max(old.count, new.count))
    }

    mutating func compare(oldRange: Range<Int>, newRange: Range<Int>) {
        var oldStart = oldRange.lowerBound, oldEnd = oldRange.upperBound
        var newStart = newRange.lowerBound, newEnd = newRange.upperBound

        // Most edits touch a small part of a page; a shared beginning and end cost nothing to match.
        while oldStart < oldEnd, newStart < newEnd, old[oldStart] == new[newStart] {
            steps.append(.same(old: oldStart, new: newStart))
            oldStart += 1
            newStart += 1
        }
        var suffixLength = 0
        while oldStart < oldEnd, newStart < newEnd, old[oldEnd - 1] == new[newEnd - 1] {
            oldEnd -= 1
            newEnd -= 1
            suffixLength += 1
        }

        if oldStart == oldEnd {
            for index in newStart..<newEnd { steps.append(.added(new: index)) }
        } else if newStart == newEnd {
            for index in oldStart..<oldEnd { steps.append(.removed(old: index)) }
        } else if let (oldSplit, newSplit) = middleSnake(oldStart..<oldEnd, newStart..<newEnd),
            (oldSplit, newSplit) != (oldStart, newStart), (oldSplit, newSplit) != (oldEnd, newEnd)
        {
            compare(oldRange: oldStart..<oldSplit, newRange: newStart..<newSplit)
            compare(oldRange: oldSplit..<oldEnd, newRange: newSplit..<newEnd)
        } else {
            // The ranges share no line. Also taken for a split that makes no progress, which would recurse forever.
            for index in oldStart..<oldEnd { steps.append(.removed(old: index)) }
            for index in newStart..<newEnd { steps.append(.added(new: index)) }
        }

        for offset in 0..<suffixLength {
            steps.append(.same(old: oldEnd + offset, new: newEnd + offset))
        }
    }

    /// Where the forward and backward searches meet, as absolute indices into `old` and `new`;
    /// `nil` when the ranges have no line in common.
    private func middleSnake(_ oldRange: Range<Int>, _ newRange: Range<Int>) -> (Int, Int)? {
        let oldBase = oldRange.lowerBound, newBase = newRange.lowerBound
        let oldCount = oldRange.count, newCount = newRange.count
        let maxEdits = (oldCount + newCount + 1) / 2
        let offset = maxEdits
        let width = 2 * maxEdits + 2
        // forward[offset + k]: furthest x reached on diagonal k (x - y == k) from the start;
        // backward the same from the end, counting x from the end.
        var forward = [Int](repeating: -1, count: width)
        var backward = [Int](repeating: -1, count: width)
        forward[offset + 1] = 0
        backward[offset + 1] = 0
        let delta = oldCount - newCount
        // With an odd difference in length the paths meet while extending forward, otherwise backward.
        let meetsForward = delta % 2 != 0
        var forwardStartTrim = 0, forwardEndTrim = 0, backwardStartTrim = 0, backwardEndTrim = 0

        for edits in 0..<maxEdits {
            var k = -edits + forwardStartTrim
            while k <= edits - forwardEndTrim {
                let index = offset + k
                var x = k == -edits || (k != edits && forward[index - 1] < forward[index + 1])
                    ? forward[index + 1] : forward[index - 1] + 1
                var y = x - k
                while x < oldCount, y < newCount, old[oldBase + x] == new[newBase + y] {
                    x += 1
                    y += 1
                }
                forward[index] = x
                if x > oldCount {
                    forwardEndTrim += 2
                } else if y > newCount {
                    forwardStartTrim += 2
                } else if meetsForward {
                    let other = offset + delta - k
                    if other >= 0, other < width, backward[other] != -1, x >= oldCount - backward[other] {
                        return (oldBase + x, newBase + y)
                    }
                }
                k += 2
            }

            k = -edits + backwardStartTrim
            while k <= edits - backwardEndTrim {
                let index = offset + k
                var x = k == -edits || (k != edits && backward[index - 1] < backward[index + 1])
                    ? backward[index + 1] : backward[index - 1] + 1
                var y = x - k
                while x < oldCount, y < newCount,
                    old[oldBase + oldCount - x - 1] == new[newBase + newCount - y - 1]
                {
                    x += 1
                    y += 1
                }
                backward[index] = x
                if x > oldCount {
                    backwardEndTrim += 2
                } else if y > newCount {
                    backwardStartTrim += 2
                } else if !meetsForward {
                    let other = offset + delta - k
                    if other >= 0, other < width, forward[other] != -1 {
                        let forwardX = forward[other]
                        let forwardY = forwardX - (other - offset)
                        if forwardX >= oldCount - x {
                            return (oldBase + forwardX, newBase + forwardY)
                        }
                    }
                }
                k += 2
            }
        }
        return nil
    }
}
