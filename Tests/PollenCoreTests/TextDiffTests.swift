import Foundation
@testable import PollenCore
import Testing

@Suite struct TextDiffTests {
    private typealias Line = TextDiff.Line

    private static func same(_ text: String, _ old: Int, _ new: Int) -> Line {
        Line(change: .same, text: text, oldNumber: old, newNumber: new)
    }

    private static func removed(_ text: String, _ old: Int) -> Line {
        Line(change: .removed, text: text, oldNumber: old, newNumber: nil)
    }

    private static func added(_ text: String, _ new: Int) -> Line {
        Line(change: .added, text: text, oldNumber: nil, newNumber: new)
    }

    // MARK: - Lines

    @Test func emptyTextsHaveNoLines() {
        #expect(TextDiff.lines(from: "", to: "").isEmpty)
    }

    @Test func everyLineOfANewTextIsAdded() {
        #expect(TextDiff.lines(from: "", to: "a\nb\n") == [Self.added("a", 1), Self.added("b", 2)])
    }

    @Test func everyLineOfAClearedTextIsRemoved() {
        #expect(TextDiff.lines(from: "a\nb", to: "") == [Self.removed("a", 1), Self.removed("b", 2)])
    }

    @Test func identicalTextsAreAllSame() {
        #expect(TextDiff.lines(from: "a\nb\nc", to: "a\nb\nc") == [
            Self.same("a", 1, 1), Self.same("b", 2, 2), Self.same("c", 3, 3),
        ])
    }

    @Test func aLineInsertedInTheMiddleShiftsTheNewNumbers() {
        #expect(TextDiff.lines(from: "a\nb\nc\nd", to: "a\nb\nnew\nc\nd") == [
            Self.same("a", 1, 1), Self.same("b", 2, 2), Self.added("new", 3), Self.same("c", 3, 4), Self.same("d", 4, 5),
        ])
    }

    @Test func aDeletedLineShiftsTheNewNumbersBack() {
        #expect(TextDiff.lines(from: "a\nb\nc\nd", to: "a\nc\nd") == [
            Self.same("a", 1, 1), Self.removed("b", 2), Self.same("c", 3, 2), Self.same("d", 4, 3),
        ])
    }

    @Test func aReplacedBlockListsRemovedLinesBeforeAddedOnes() {
        #expect(TextDiff.lines(from: "a\nb\nc\nd", to: "a\nB\nC\nX\nd") == [
            Self.same("a", 1, 1),
            Self.removed("b", 2), Self.removed("c", 3),
            Self.added("B", 2), Self.added("C", 3), Self.added("X", 4),
            Self.same("d", 4, 5),
        ])
    }

    @Test func interleavedEditsKeepTheLongestCommonLines() {
        // a b c a b b a -> c b a b a c: the classic Myers example, with 4 lines in common.
        let old = ["a", "b", "c", "a", "b", "b", "a"].joined(separator: "\n")
        let new = ["c", "b", "a", "b", "a", "c"].joined(separator: "\n")
        let lines = TextDiff.lines(from: old, to: new)
        #expect(lines.filter { $0.change == .same }.count == 4)
        #expect(TextDiff.summary(lines) == (added: 2, removed: 3))
        Self.expectConsistent(lines, old: old, new: new)
    }

    @Test func windowsLineEndingsCountAsLineFeeds() {
        #expect(TextDiff.lines(from: "a\r\nb\r\n", to: "a\nb\nc\n") == [
            Self.same("a", 1, 1), Self.same("b", 2, 2), Self.added("c", 3),
        ])
    }

    @Test func aFinalLineBreakDoesNotMakeAnotherLine() {
        #expect(TextDiff.lines(from: "a\n", to: "a").map(\.change) == [.same])
        #expect(TextDiff.lines(from: "a\n", to: "a\n\n") == [Self.same("a", 1, 1), Self.added("", 2)])
    }

    @Test func textsWithNoLineInCommonAreRemovedThenAdded() {
        #expect(TextDiff.lines(from: "a\nb", to: "c\nd\ne") == [
            Self.removed("a", 1), Self.removed("b", 2), Self.added("c", 1), Self.added("d", 2), Self.added("e", 3),
        ])
    }

    @Test func threeEditsInFiveThousandLinesAreExactlyThoseChanges() {
        let old = (1...5_000).map { "line \($0)" }
        var new = old
        new[99] = "line 100 edited"
        new.remove(at: 2_499)
        new.insert("new line", at: 3_999)  // after "line 4000", which now sits at index 3998
        let lines = TextDiff.lines(from: old.joined(separator: "\n"), to: new.joined(separator: "\n"))

        #expect(lines.filter { $0.change != .same } == [
            Self.removed("line 100", 100), Self.added("line 100 edited", 100),
            Self.removed("line 2500", 2_500),
            Self.added("new line", 4_000),
        ])
        #expect(lines.filter { $0.change == .same }.count == 4_998)
        #expect(lines.contains(Self.same("line 4001", 4_001, 4_001)))
        #expect(lines.last == Self.same("line 5000", 5_000, 5_000))
    }

    @Test func largeTextsWithNothingInCommonAreRemovedThenAdded() {
        let old = (1...3_000).map { "old \($0)" }.joined(separator: "\n")
        let new = (1...3_000).map { "new \($0)" }.joined(separator: "\n")
        let lines = TextDiff.lines(from: old, to: new)
        #expect(TextDiff.summary(lines) == (added: 3_000, removed: 3_000))
        #expect(lines.prefix(3_000).allSatisfy { $0.change == .removed })
    }

    @Test func largeRewritesKeepTheOneSharedLine() {
        // Nearly the longest edit script, where keeping the search's whole history would take gigabytes.
        let old = (1...1_500).map { "old \($0)" } + ["## Shared heading"] + (1...1_500).map { "old tail \($0)" }
        let new = (1...1_500).map { "new \($0)" } + ["## Shared heading"] + (1...1_500).map { "new tail \($0)" }
        let lines = TextDiff.lines(from: old.joined(separator: "\n"), to: new.joined(separator: "\n"))
        #expect(TextDiff.summary(lines) == (added: 3_000, removed: 3_000))
        #expect(lines.filter { $0.change == .same } == [Self.same("## Shared heading", 1_501, 1_501)])
        Self.expectConsistent(lines, old: old.joined(separator: "\n"), new: new.joined(separator: "\n"))
    }

    @Test func randomEditsYieldAShortestConsistentDiff() {
        var random = SplitMix64(seed: 0x5EED)
        for _ in 0..<300 {
            let oldCount = Int(random.next() % 25), newCount = Int(random.next() % 25)
            // Few distinct lines, so there are many ways to match them and the shortest is not obvious.
            let old = (0..<oldCount).map { _ in String(UnicodeScalar(UInt8(97 + random.next() % 4))) }
            let new = (0..<newCount).map { _ in String(UnicodeScalar(UInt8(97 + random.next() % 4))) }
            let lines = TextDiff.lines(from: old.joined(separator: "\n"), to: new.joined(separator: "\n"))
            Self.expectConsistent(lines, old: old.joined(separator: "\n"), new: new.joined(separator: "\n"))
            let sameCount = lines.filter { $0.change == .same }.count
            #expect(sameCount == Self.longestCommonSubsequence(old, new), "old \(old) new \(new)")
        }
    }

    // MARK: - Hunks and summary

    @Test func hunksKeepContextAroundEachChange() {
        let old = (1...20).map(String.init).joined(separator: "\n")
        var newLines = (1...20).map(String.init)
        newLines[1] = "two"  // line 2
        newLines[16] = "seventeen"  // line 17
        let lines = TextDiff.lines(from: old, to: newLines.joined(separator: "\n"))

        let hunks = TextDiff.hunks(lines, context: 2)
        #expect(hunks.count == 2)
        #expect(hunks.first == [
            Self.same("1", 1, 1), Self.removed("2", 2), Self.added("two", 2), Self.same("3", 3, 3), Self.same("4", 4, 4),
        ])
        #expect(hunks.last == [
            Self.same("15", 15, 15), Self.same("16", 16, 16), Self.removed("17", 17), Self.added("seventeen", 17),
            Self.same("18", 18, 18), Self.same("19", 19, 19),
        ])
    }

    @Test func changesWhoseContextTouchesShareAHunk() {
        let old = (1...12).map(String.init).joined(separator: "\n")
        var newLines = (1...12).map(String.init)
        newLines[2] = "x"  // line 3
        newLines[9] = "y"  // line 10: lines 4...9 between are exactly two contexts of 3
        let lines = TextDiff.lines(from: old, to: newLines.joined(separator: "\n"))

        let joined = TextDiff.hunks(lines)
        #expect(joined.count == 1)
        #expect(joined.first?.first == Self.same("1", 1, 1))
        #expect(joined.first?.last == Self.same("12", 12, 12))

        let apart = TextDiff.hunks(lines, context: 2)
        #expect(apart.count == 2)
        #expect(apart.first?.last == Self.same("5", 5, 5))
        #expect(apart.last?.first == Self.same("8", 8, 8))
    }

    @Test func hunksWithoutContextHoldOnlyChanges() {
        let lines = TextDiff.lines(from: "a\nb\nc\nd", to: "a\nB\nc\nD")
        #expect(TextDiff.hunks(lines, context: 0) == [
            [Self.removed("b", 2), Self.added("B", 2)],
            [Self.removed("d", 4), Self.added("D", 4)],
        ])
    }

    @Test func noChangesMeansNoHunks() {
        #expect(TextDiff.hunks(TextDiff.lines(from: "a\nb", to: "a\nb")).isEmpty)
        #expect(TextDiff.hunks([]).isEmpty)
    }

    @Test func summaryCountsAddedAndRemovedLines() {
        let lines = TextDiff.lines(from: "a\nb\nc", to: "a\nB\nc\nd\ne")
        #expect(TextDiff.summary(lines) == (added: 3, removed: 1))
        #expect(TextDiff.summary([]) == (added: 0, removed: 0))
    }

    // MARK: - Helpers

    /// Both texts read back from the diff, numbers counting up by one, removals before additions in each block.
    private static func expectConsistent(
        _ lines: [Line], old: String, new: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let oldLines = TextDiff.splitLines(old), newLines = TextDiff.splitLines(new)
        let keptOld = lines.filter { $0.change != .added }
        let keptNew = lines.filter { $0.change != .removed }
        #expect(keptOld.map(\.text) == oldLines, sourceLocation: sourceLocation)
        #expect(keptNew.map(\.text) == newLines, sourceLocation: sourceLocation)
        #expect(keptOld.map(\.oldNumber) == oldLines.indices.map { $0 + 1 }, sourceLocation: sourceLocation)
        #expect(keptNew.map(\.newNumber) == newLines.indices.map { $0 + 1 }, sourceLocation: sourceLocation)
        #expect(lines.filter { $0.change == .added }.allSatisfy { $0.oldNumber == nil }, sourceLocation: sourceLocation)
        #expect(lines.filter { $0.change == .removed }.allSatisfy { $0.newNumber == nil }, sourceLocation: sourceLocation)
        let addedThenRemoved = zip(lines, lines.dropFirst()).contains { $0.change == .added && $1.change == .removed }
        #expect(!addedThenRemoved, sourceLocation: sourceLocation)
    }

    private static func longestCommonSubsequence(_ old: [String], _ new: [String]) -> Int {
        var table = [[Int]](repeating: [Int](repeating: 0, count: new.count + 1), count: old.count + 1)
        for i in old.indices.reversed() {
            for j in new.indices.reversed() {
                table[i][j] = old[i] == new[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        return table[0][0]
    }
}

/// A seeded generator, so the random cases are the same on every run.
private struct SplitMix64 {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
