import Foundation
import PollenCore

/// The insight pages' charts: run charts with process limits and the unit-to-unit heat map (bars come from
/// ``SVGChart/horizontalBars(title:summary:labels:series:axis:)``).
extension SVGChart {
    static func number(_ value: Double, unit: MeasureKind.Unit? = nil) -> String {
        let text: String
        if abs(value) >= 100 || value == value.rounded() {
            text = String(Int(value.rounded()))
        } else {
            text = String(format: "%.1f", value)
        }
        switch unit {
        case .percent: return text + "%"
        case .hours: return text + " h"
        default: return text
        }
    }

    private static func format(_ value: Double) -> String { String(format: "%.1f", value) }

    /// A run chart: the weekly values joined by a line, the centre line and the band between the natural
    /// process limits; signals (outside the band, or eight in a row on one side) drawn as hollow red rings.
    /// Deliberately no target line: the chart is for learning how the community behaves, not for chasing a number.
    static func runChart(
        title: String, labels: [String], values: [Double?], limits: ProcessLimits?, unit: MeasureKind.Unit
    ) -> String {
        let width = 640.0, height = 220.0, left = 48.0, right = 16.0, top = 16.0, bottom = 40.0
        let plotW = width - left - right, plotH = height - top - bottom
        let present = values.compactMap { $0 }
        var high = max(present.max() ?? 1, limits?.upper ?? 0)
        if unit == .percent { high = max(min(100, high * 1.1), 1) } else { high = max(high * 1.1, 1) }
        let low = 0.0
        func x(_ index: Int) -> Double {
            values.count <= 1 ? left + plotW / 2 : left + plotW * Double(index) / Double(values.count - 1)
        }
        func y(_ value: Double) -> Double { top + plotH * (1 - (value - low) / (high - low)) }
        var svg = """
            <svg class="chart" viewBox="0 0 \(Int(width)) \(Int(height))" role="img" \
            xmlns="http://www.w3.org/2000/svg"><title>\(HTMLText.escape(title))</title>
            """
        let description = present.isEmpty ? "No data yet." :
            "\(present.count) weeks; latest \(number(present.last!, unit: unit))"
            + (limits.map { "; centre \(number($0.centre, unit: unit)), limits \(number($0.lower, unit: unit)) to \(number($0.upper, unit: unit))" } ?? "")
        svg += "<desc>\(HTMLText.escape(description))</desc>"
        // Axis and grid.
        for tick in 0...4 {
            let value = low + (high - low) * Double(tick) / 4
            let ty = y(value)
            svg += "<line x1=\"\(format(left))\" x2=\"\(format(width - right))\" y1=\"\(format(ty))\" y2=\"\(format(ty))\" class=\"grid\"/>"
            svg += "<text x=\"\(format(left - 6))\" y=\"\(format(ty + 4))\" text-anchor=\"end\" class=\"tick\">\(HTMLText.escape(number(value, unit: unit)))</text>"
        }
        if let limits {
            let band = "<rect x=\"\(format(left))\" y=\"\(format(y(limits.upper)))\" width=\"\(format(plotW))\" "
                + "height=\"\(format(max(0, y(limits.lower) - y(limits.upper))))\" class=\"band\"><title>Natural process limits: "
                + "\(HTMLText.escape(number(limits.lower, unit: unit))) to \(HTMLText.escape(number(limits.upper, unit: unit)))</title></rect>"
            svg += band
            svg += "<line x1=\"\(format(left))\" x2=\"\(format(width - right))\" y1=\"\(format(y(limits.centre)))\" "
                + "y2=\"\(format(y(limits.centre)))\" class=\"centre\"/>"
        }
        // The line, broken where a week had nothing to measure.
        var path = ""
        var pen = false
        for (index, value) in values.enumerated() {
            guard let value else { pen = false; continue }
            path += (pen ? " L" : " M") + "\(format(x(index))) \(format(y(value)))"
            pen = true
        }
        if !path.isEmpty { svg += "<path d=\"\(path)\" class=\"series\"/>" }
        for (index, value) in values.enumerated() {
            guard let value else { continue }
            let signal = limits?.signals.contains(index) == true
            let label = index < labels.count ? labels[index] : ""
            svg += "<circle cx=\"\(format(x(index)))\" cy=\"\(format(y(value)))\" r=\"\(signal ? 5 : 3)\" "
                + "class=\"\(signal ? "signal" : "point")\"><title>\(HTMLText.escape(label)): \(HTMLText.escape(number(value, unit: unit)))"
                + "\(signal ? " — signal" : "")</title></circle>"
        }
        // Date labels: about six along the axis.
        let step = max(1, Int((Double(labels.count) / 6).rounded(.up)))
        for index in stride(from: 0, to: labels.count, by: step) {
            svg += "<text x=\"\(format(x(index)))\" y=\"\(format(height - bottom + 18))\" text-anchor=\"middle\" class=\"tick\">"
                + "\(HTMLText.escape(labels[index]))</text>"
        }
        return svg + "</svg>"
    }

    /// Unit-to-unit ties as a heat map: each row's cells shaded by the share of that unit's ties going to each unit.
    static func heatMap(title: String, labels: [String], values: [[Double]]) -> String {
        let cell = 18.0, labelWidth = 170.0, header = 150.0
        let n = labels.count
        // Room on the right for the last column's slanted label.
        let width = labelWidth + cell * Double(n) + 90, height = header + cell * Double(n) + 8
        // Drawn at its natural size (never scaled up): the labels stay the size of the page's small print.
        var svg = """
            <svg class="chart heatmap" viewBox="0 0 \(format(width)) \(format(height))" role="img" \
            style="max-width: \(Int(width))px" xmlns="http://www.w3.org/2000/svg"><title>\(HTMLText.escape(title))</title>\
            <desc>Rows are the unit ties start from, columns where they go; darker means a larger share of the row's ties.</desc>
            """
        func short(_ label: String) -> String { label.count > 24 ? String(label.prefix(23)) + "…" : label }
        for (j, label) in labels.enumerated() {
            let cx = labelWidth + cell * Double(j) + cell / 2
            svg += "<text transform=\"translate(\(format(cx + 4)) \(format(header - 6))) rotate(-60)\" class=\"tick\">"
                + "\(HTMLText.escape(short(label)))</text>"
        }
        for (i, row) in values.enumerated() where i < n {
            let total = row.reduce(0, +)
            let cy = header + cell * Double(i)
            svg += "<text x=\"\(format(labelWidth - 6))\" y=\"\(format(cy + cell * 0.7))\" text-anchor=\"end\" class=\"tick\">"
                + "\(HTMLText.escape(short(labels[i])))</text>"
            for (j, value) in row.enumerated() where j < n {
                let share = total > 0 ? value / total : 0
                // Square root so the many small shares stay visible next to the large within-unit one.
                let shade = share <= 0 ? 0 : 0.08 + 0.92 * share.squareRoot()
                svg += "<rect x=\"\(format(labelWidth + cell * Double(j)))\" y=\"\(format(cy))\" width=\"\(format(cell - 1))\" "
                    + "height=\"\(format(cell - 1))\" fill=\"#6b4500\" fill-opacity=\"\(String(format: "%.3f", shade))\" class=\"cell\">"
                    + "<title>\(HTMLText.escape(labels[i])) → \(HTMLText.escape(labels[j])): \(HTMLText.escape(number(value))) "
                    + "(\(HTMLText.escape(number(share * 100, unit: .percent))) of \(HTMLText.escape(labels[i]))'s ties)</title></rect>"
            }
        }
        return svg + "</svg>"
    }
}
