import Foundation

/// How much two labellings of the same items agree, from 0 (independent) to 1 (the same up to renaming): the mutual
/// information of the labels divided by the arithmetic mean of their entropies, as scikit-learn's
/// `normalized_mutual_info_score` with its default `average_method="arithmetic"`.
///
/// Used to compare detected communities with departments. Labels are any `Int32` values, compared only for
/// equality. As in scikit-learn, two labellings that each put every item in one group (or are empty) score 1, and a
/// score whose mutual information is zero is exactly 0.
/// - Precondition: `a` and `b` have the same length.
public func normalizedMutualInformation(_ a: [Int32], _ b: [Int32]) -> Double {
    precondition(a.count == b.count, "both labellings must label the same items")
    let (rows, rowCount) = denseLabels(a)
    let (columns, columnCount) = denseLabels(b)
    if rowCount == columnCount, rowCount <= 1 { return 1 }
    let n = a.count
    var rowSums = [Int](repeating: 0, count: rowCount)
    var columnSums = [Int](repeating: 0, count: columnCount)
    for index in 0..<n {
        rowSums[Int(rows[index])] += 1
        columnSums[Int(columns[index])] += 1
    }
    // The contingency table's non-zero cells, from sorting the (row, column) pairs.
    var cells = (0..<n).map { Int(rows[$0]) * columnCount + Int(columns[$0]) }
    cells.sort()
    var mutualInformation = 0.0
    if rowCount > 1 && columnCount > 1 {
        let total = Double(n), logTotal = log(total)
        var start = 0
        while start < n {
            var end = start + 1
            while end < n, cells[end] == cells[start] { end += 1 }
            let count = Double(end - start)
            let row = cells[start] / columnCount, column = cells[start] % columnCount
            let outer = Double(rowSums[row]) * Double(columnSums[column])
            // Grouped as scikit-learn groups it, so the sums round alike.
            let share = count / total
            var term = share * (log(count) - logTotal) + share * (-log(outer) + logTotal + logTotal)
            if abs(term) < Double.ulpOfOne { term = 0 }
            mutualInformation += term
            start = end
        }
        mutualInformation = max(mutualInformation, 0)
    }
    if mutualInformation == 0 { return 0 }
    let normaliser = (entropy(rowSums, total: n) + entropy(columnSums, total: n)) / 2
    return mutualInformation / normaliser
}

/// Labels renamed `0..<count` in ascending order of value.
private func denseLabels(_ labels: [Int32]) -> ([Int32], Int) {
    guard let low = labels.min(), let high = labels.max() else { return ([], 0) }
    let span = Int(high) - Int(low) + 1
    var dense = [Int32](repeating: 0, count: labels.count)
    if span <= 4 * labels.count + 1024 {
        // A direct lookup table when the labels are compact, which community and group ids are.
        var number = [Int32](repeating: -1, count: span)
        for label in labels { number[Int(label) - Int(low)] = 0 }
        var count: Int32 = 0
        for index in 0..<span where number[index] == 0 {
            number[index] = count
            count += 1
        }
        for index in labels.indices { dense[index] = number[Int(labels[index]) - Int(low)] }
        return (dense, Int(count))
    }
    var distinct = labels.sorted()
    distinct.removeSubrange(distinct.partitioningDistinct()...)
    for index in labels.indices {
        var lowIndex = 0, highIndex = distinct.count
        while lowIndex < highIndex {
            let middle = (lowIndex + highIndex) / 2
            if distinct[middle] < labels[index] { lowIndex = middle + 1 } else { highIndex = middle }
        }
        dense[index] = Int32(lowIndex)
    }
    return (dense, distinct.count)
}

extension Array where Element: Equatable {
    /// Moves the first of each run of equal elements to the front, in order; returns where the rest begins.
    fileprivate mutating func partitioningDistinct() -> Int {
        guard !isEmpty else { return 0 }
        var write = 1
        for read in 1..<count where self[read] != self[write - 1] {
            self[write] = self[read]
            write += 1
        }
        return write
    }
}

/// Shannon entropy (natural log) of a labelling with these group sizes.
private func entropy(_ sizes: [Int], total: Int) -> Double {
    let logTotal = log(Double(total))
    var sum = 0.0
    for size in sizes where size > 0 {
        sum -= Double(size) / Double(total) * (log(Double(size)) - logTotal)
    }
    return sum
}
