import Foundation
import MayakSnapshot

/// Inline SVG charts: no scripts, no fonts from outside.
enum Charts {
    struct Series {
        var name: String
        var color: String
        var values: [Double?]
    }

    /// `v` with one decimal, exactly as `String(format: "%.1f", v)` writes it (the decimal
    /// nearest to the double's exact value, a tie to the even digit), without the cost of
    /// `printf`: a pupil's charts write thousands of coordinates.
    static func number(_ v: Double) -> String {
        guard v.isFinite, abs(v) < 1e14 else { return String(format: "%.1f", v) }
        if v.sign == .minus { return "-" + number(-v) }
        let low = (v * 10).rounded(.down)
        // The sign of 10·v − (low + ½), computed exactly (one rounding, by fma): which of low
        // and low + 1 is nearer to the exact value.
        let side = (-(low + 0.5)).addingProduct(v, 10)
        var tenths = Int(low)
        if side > 0 || (side == 0 && tenths % 2 == 1) { tenths += 1 }
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// Grouped horizontal bars: one group per label, one bar per series.
    static func bars(labels: [String], series: [Series], maximum: Double? = nil, unit: String = "") -> String {
        let labelWidth = 300.0
        let barArea = 520.0
        let barHeight = 14.0
        let gap = 8.0
        let groupHeight = Double(series.count) * barHeight + gap
        let height = Double(labels.count) * groupHeight + 24
        let top = maximum ?? max(1, series.flatMap { $0.values.compactMap { $0 } }.max() ?? 1)
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(labelWidth + barArea + 70)) \(Int(height))\" role=\"img\">"
        for (i, label) in labels.enumerated() {
            let y0 = Double(i) * groupHeight + 4
            let short = label.count > 44 ? String(label.prefix(43)) + "…" : label
            svg +=
                "<text x=\"\(Int(labelWidth - 6))\" y=\"\(number(y0 + groupHeight / 2))\" text-anchor=\"end\" dominant-baseline=\"middle\">\(HTML.escape(short))</text>"
            for (k, s) in series.enumerated() {
                guard let v = s.values[i] else { continue }
                let y = y0 + Double(k) * barHeight
                let w = max(1, barArea * v / top)
                svg +=
                    "<rect x=\"\(Int(labelWidth))\" y=\"\(number(y))\" width=\"\(number(w))\" height=\"\(number(barHeight - 2))\" fill=\"\(s.color)\"><title>\(HTML.escape(s.name)): \(HTML.escape(format(v)))\(unit)</title></rect>"
                svg +=
                    "<text x=\"\(number(labelWidth + w + 4))\" y=\"\(number(y + barHeight / 2))\" dominant-baseline=\"middle\">\(HTML.escape(format(v)))\(unit)</text>"
            }
        }
        svg +=
            "<line x1=\"\(Int(labelWidth))\" y1=\"0\" x2=\"\(Int(labelWidth))\" y2=\"\(Int(height - 20))\" stroke=\"#9aa5b1\"/>"
        svg += "</svg>"
        return svg
    }

    static func legend(_ series: [Series]) -> String {
        "<p class=\"chart-legend\">"
            + series.map {
                "<span><i class=\"swatch\" style=\"background:\($0.color)\"></i>\(HTML.escape($0.name))</span>"
            }.joined() + "</p>"
    }

    /// A bar's figure as the tables print it (one decimal, rounded as a school rounds, none
    /// for a whole number).
    static func format(_ v: Double) -> String { ReportSite.pct(v) }

    /// A pupil's marks in one subject over the school year: dots at each mark's date and value,
    /// period boundaries, and the period marks written at each period's end.
    static func timeline(
        marks: [(day: Day, value: Int?, text: String, weight: Double)], periods: [Period],
        periodMarks: [String: String], start: Day, end: Day
    ) -> String {
        let width = 720.0
        let height = 96.0
        let left = 28.0
        let right = 40.0
        let top = 8.0
        let bottom = 18.0
        let span = Double(max(1, end - start))
        func x(_ d: Day) -> Double { left + (width - left - right) * Double(d - start) / span }
        func y(_ v: Double) -> Double { top + (height - top - bottom) * (5 - v) / 4 }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\">"
        for v in 1...5 {
            svg +=
                "<line x1=\"\(Int(left))\" x2=\"\(Int(width - right))\" y1=\"\(number(y(Double(v))))\" y2=\"\(number(y(Double(v))))\" stroke=\"#eef1f4\"/>"
            svg += "<text x=\"4\" y=\"\(number(y(Double(v)) + 4))\">\(v)</text>"
        }
        for p in periods where p.start <= end {
            let x0 = x(max(p.start, start))
            let x1 = x(min(p.end, end))
            svg +=
                "<line x1=\"\(number(x0))\" x2=\"\(number(x0))\" y1=\"\(Int(top))\" y2=\"\(Int(height - bottom))\" stroke=\"#c9d1d9\" stroke-dasharray=\"2,2\"/>"
            svg +=
                "<text x=\"\(number((x0 + x1) / 2))\" y=\"\(Int(height - 4))\" text-anchor=\"middle\">\(HTML.escape(ReportText.period(p)))</text>"
            if let mark = periodMarks[p.id] {
                svg +=
                    "<text x=\"\(number(x1 - 2))\" y=\"\(Int(top + 10))\" text-anchor=\"end\" font-weight=\"700\">\(HTML.escape(mark))</text>"
            }
        }
        // One path per colour: dots drawn as zero-length round-capped segments keep pages small.
        var paths: [String: String] = [:]
        for m in marks {
            guard let v = m.value else {
                paths["#6b7280", default: ""] += "M\(number(x(m.day))) \(number(y(1)))h0"
                continue
            }
            let color = v <= 2 ? "#b91c1c" : (v == 3 ? "#ca8a04" : "#15803d")
            paths[color, default: ""] += "M\(number(x(m.day))) \(number(y(Double(v))))h0"
        }
        for color in paths.keys.sorted() {
            svg +=
                "<path d=\"\(paths[color]!)\" stroke=\"\(color)\" stroke-width=\"6\" stroke-linecap=\"round\" fill=\"none\"/>"
        }
        svg += "</svg>"
        return svg
    }
}
