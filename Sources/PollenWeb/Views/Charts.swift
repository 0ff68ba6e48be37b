import Foundation

/// Charts drawn on the server as SVG, so they read without JavaScript. Every chart carries a `<title>` and a
/// `<desc>`, every bar a `<title>` with its figure and every group a text label, and the page puts the same numbers in a
/// table beside it. All text is escaped here: a template inserts the result unescaped (`{{{chart}}}`), the one kind of
/// markup a template takes that way. Other kinds of chart belong in extensions of this type.
enum SVGChart {
    /// Colours of the site's palette (`pollen.css`), written out so a chart looks the same copied out of the page.
    enum Colour: String, Sendable {
        /// `--accent-strong`: the reader's own figures.
        case accent = "#6b4500"
        /// `--muted`: what they are compared with.
        case slate = "#5b6874"
        /// `--accent`.
        case amber = "#8a5a00"
        /// `--ok`.
        case green = "#1e6b3a"
        /// `--ink`, for text.
        case ink = "#1d2730"
        /// `--line`, for grid lines.
        case line = "#d9dfe4"
    }

    /// One set of bars: a value per label.
    struct Series: Sendable {
        let name: String
        let colour: Colour
        let values: [Double]
    }

    /// How values read along the axis.
    enum Axis: Sendable {
        /// Fractions of a whole (0.25 is 25%), on an axis from 0 to the largest value rounded up to a fifth.
        case percent
        /// Counts, on an axis from 0 to the largest value rounded up.
        case count
    }

    /// A value as the axis shows it: a whole percentage ("62%", "<1%" for a sliver), or a count.
    static func figure(_ value: Double, axis: Axis) -> String {
        switch axis {
        case .percent:
            if value > 0 && value < 0.005 { return "<1%" }
            return "\(Int((value * 100).rounded()))%"
        case .count:
            return value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
        }
    }

    /// Horizontal bars, one row per label with one bar per series side by side (grouped), each labelled with its
    /// figure; a legend names the series when there are several. `summary` becomes the chart's `<desc>`.
    static func horizontalBars(
        title: String, summary: String, labels: [String], series: [Series], axis: Axis
    ) -> String {
        let width = 640.0, labelWidth = 170.0, figureWidth = 44.0, barHeight = 14.0, barGap = 2.0, rowGap = 12.0
        let legendHeight = series.count > 1 ? 24.0 : 4.0, axisHeight = 22.0
        let plotLeft = labelWidth, plotWidth = width - labelWidth - figureWidth
        let rowHeight = Double(series.count) * (barHeight + barGap) - barGap + rowGap
        let height = legendHeight + Double(labels.count) * rowHeight + axisHeight
        let largest = series.flatMap(\.values).max() ?? 0
        let top = Self.axisEnd(largest, axis: axis)
        func x(_ value: Double) -> Double { plotLeft + plotWidth * min(max(value, 0), top) / top }
        func f(_ value: Double) -> String { String(format: "%.1f", value) }

        var svg = "<svg class=\"chart bars\" viewBox=\"0 0 \(Int(width)) \(Int(height.rounded(.up)))\" role=\"img\" "
            + "xmlns=\"http://www.w3.org/2000/svg\" font-family=\"system-ui, sans-serif\" font-size=\"12\">"
            + "<title>\(HTMLText.escape(title))</title><desc>\(HTMLText.escape(summary))</desc>"
        if series.count > 1 {
            var legendX = plotLeft
            for entry in series {
                svg += "<rect x=\"\(f(legendX))\" y=\"4\" width=\"12\" height=\"12\" fill=\"\(entry.colour.rawValue)\"/>"
                svg += "<text x=\"\(f(legendX + 16))\" y=\"14\" class=\"label\" fill=\"\(Colour.ink.rawValue)\">\(HTMLText.escape(entry.name))</text>"
                legendX += 28 + Double(entry.name.count) * 7
            }
        }
        // Grid lines at each quarter of the axis, with their values along the bottom.
        let plotTop = legendHeight, plotBottom = legendHeight + Double(labels.count) * rowHeight
        for step in 0...4 {
            let value = top * Double(step) / 4
            let gx = x(value)
            svg += "<line x1=\"\(f(gx))\" x2=\"\(f(gx))\" y1=\"\(f(plotTop))\" y2=\"\(f(plotBottom))\" "
                + "stroke=\"\(Colour.line.rawValue)\" class=\"grid\"/>"
            svg += "<text x=\"\(f(gx))\" y=\"\(f(plotBottom + 15))\" text-anchor=\"middle\" class=\"tick\" "
                + "fill=\"\(Colour.slate.rawValue)\">\(HTMLText.escape(figure(value, axis: axis)))</text>"
        }
        for (row, label) in labels.enumerated() {
            let rowTop = plotTop + Double(row) * rowHeight + rowGap / 2
            let groupHeight = rowHeight - rowGap
            svg += "<text x=\"\(f(labelWidth - 8))\" y=\"\(f(rowTop + groupHeight / 2 + 4))\" text-anchor=\"end\" "
                + "class=\"label\" fill=\"\(Colour.ink.rawValue)\">\(HTMLText.escape(Self.shortened(label)))</text>"
            for (index, entry) in series.enumerated() {
                let value = row < entry.values.count ? entry.values[row] : 0
                let barTop = rowTop + Double(index) * (barHeight + barGap)
                let shown = figure(value, axis: axis)
                // A sliver stays visible, so a small share is not mistaken for none.
                let barWidth = value > 0 ? max(x(value) - plotLeft, 2) : 0
                svg += "<rect x=\"\(f(plotLeft))\" y=\"\(f(barTop))\" width=\"\(f(barWidth))\" height=\"\(f(barHeight))\" "
                    + "fill=\"\(entry.colour.rawValue)\"><title>\(HTMLText.escape(label)) — \(HTMLText.escape(entry.name)): \(HTMLText.escape(shown))</title></rect>"
                svg += "<text x=\"\(f(plotLeft + barWidth + 4))\" y=\"\(f(barTop + barHeight - 3))\" class=\"tick\" "
                    + "fill=\"\(Colour.slate.rawValue)\">\(HTMLText.escape(shown))</text>"
            }
        }
        return svg + "</svg>"
    }

    /// Where the axis ends: at or above `largest`, on a value whose quarters (the grid lines) are round figures.
    /// Shares end on a fifth (20%, 40%… 100%) so that small shares do not huddle at the left.
    static func axisEnd(_ largest: Double, axis: Axis) -> Double {
        switch axis {
        case .percent:
            return min(1, max(0.2, (largest * 5).rounded(.up) / 5))
        case .count:
            if largest <= 20 { return max(4, (largest / 4).rounded(.up) * 4) }
            let power = pow(10, floor(log10(largest)))
            // Each step times a power of ten divides by four into whole numbers.
            for step in [1.2, 1.6, 2, 2.4, 3.2, 4, 4.8, 6, 8, 10] where step * power >= largest { return step * power }
            return 10 * power
        }
    }

    /// Long labels are cut to fit the label column; the bar's title keeps the whole label.
    static func shortened(_ label: String) -> String {
        label.count > 26 ? String(label.prefix(25)) + "…" : label
    }
}
