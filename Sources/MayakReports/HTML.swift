import Foundation

/// Builds well-formed HTML (every element closed, attributes quoted, only XML's own entities),
/// so that pages parse as XML too and tests can check them with a strict parser.
public struct HTML {
    private(set) var text = ""

    /// The one escaping of text into HTML, for the report's pages and the web app's (whose
    /// templates use it for every `{{x}}`): `&`, `<`, `>` and `"` (attributes are always
    /// double-quoted). Text with none of them, most text, comes back as it is.
    public static func escape(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 }) else { return s }
        var out = ""
        out.reserveCapacity(s.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    mutating func raw(_ s: String) { text += s }
    mutating func text(_ s: String) { text += HTML.escape(s) }

    mutating func element(_ tag: String, _ attributes: [(String, String)] = [], _ content: String) {
        open(tag, attributes)
        text += HTML.escape(content)
        close(tag)
    }

    mutating func open(_ tag: String, _ attributes: [(String, String)] = []) {
        text += "<" + tag
        for (k, v) in attributes { text += " \(k)=\"\(HTML.escape(v))\"" }
        text += ">"
    }

    mutating func close(_ tag: String) { text += "</\(tag)>" }

    mutating func block(_ tag: String, _ attributes: [(String, String)] = [], _ body: (inout HTML) -> Void) {
        open(tag, attributes)
        body(&self)
        close(tag)
    }

    /// A table: header cells, then rows of (text, attributes).
    mutating func table(
        _ header: [String], _ rows: [[Cell]], attributes: [(String, String)] = [],
        footer: (attributes: [(String, String)], cells: [Cell])? = nil
    ) {
        func row(_ h: inout HTML, _ cells: [Cell]) {
            for cell in cells {
                h.open("td", cell.attributes)
                if let link = cell.link { h.element("a", [("href", link)], cell.text) } else { h.text(cell.text) }
                h.close("td")
            }
        }
        block("table", attributes) { h in
            h.block("thead") { h in h.block("tr") { h in for c in header { h.element("th", [], c) } } }
            h.block("tbody") { h in
                for cells in rows { h.block("tr") { h in row(&h, cells) } }
            }
            if let footer {
                h.block("tfoot") { h in h.block("tr", footer.attributes) { h in row(&h, footer.cells) } }
            }
        }
    }

    struct Cell {
        var text: String
        var attributes: [(String, String)] = []
        var link: String?
        init(_ text: String, _ attributes: [(String, String)] = [], link: String? = nil) {
            self.text = text
            self.attributes = attributes
            self.link = link
        }
        static func number(_ text: String) -> Cell { Cell(text, [("class", "num")]) }
    }
}

/// The page frame: self-contained (styles inline, no scripts, no fonts from outside).
enum Page {
    static func render(title: String, breadcrumbs: [(String, String?)], body: (inout HTML) -> Void) -> String {
        var h = HTML()
        h.raw("<!DOCTYPE html>\n")
        h.block("html", [("lang", "ru")]) { h in
            h.block("head") { h in
                h.raw("<meta charset=\"utf-8\"/>")
                h.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>")
                h.element("title", [], title)
                h.block("style") { h in h.raw(css) }
            }
            h.block("body") { h in
                h.block("nav", [("class", "crumbs")]) { h in
                    for (i, (label, link)) in breadcrumbs.enumerated() {
                        if i > 0 { h.text(" › ") }
                        if let link { h.element("a", [("href", link)], label) } else { h.text(label) }
                    }
                }
                h.block("main") { h in
                    h.element("h1", [], title)
                    body(&h)
                }
                h.block("footer") { h in
                    h.text("Маяк — система раннего предупреждения. Страница создана без обращений к сети.")
                }
            }
        }
        return h.text + "\n"
    }

    static let css = """
        :root { --ink: #1d2733; --muted: #5b6875; --line: #d5dbe1; --accent: #1f5fa8; --crit: #9b1c1c; --high: #c2410c; --med: #a16207; --low: #0e7490; --info: #6b7280; }
        * { box-sizing: border-box; }
        body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: var(--ink); margin: 0 auto; max-width: 1100px; padding: 16px 24px; font-size: 14px; line-height: 1.45; }
        h1 { font-size: 22px; margin: 8px 0 12px; } h2 { font-size: 18px; margin: 24px 0 8px; } h3 { font-size: 15px; margin: 16px 0 6px; }
        a { color: var(--accent); text-decoration: none; } a:hover { text-decoration: underline; }
        nav.crumbs { color: var(--muted); font-size: 13px; }
        table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; }
        th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
        th { background: #f1f4f7; font-weight: 600; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        tr.total td { font-weight: 700; background: #f8fafb; }
        .up { color: #15803d; } .down { color: var(--crit); }
        .sev { display: inline-block; min-width: 92px; padding: 1px 6px; border-radius: 3px; color: #fff; font-size: 12px; text-align: center; }
        .sev-critical { background: var(--crit); } .sev-high { background: var(--high); } .sev-medium { background: var(--med); }
        .sev-low { background: var(--low); } .sev-info { background: var(--info); }
        .note { color: var(--muted); }
        .analysis p { margin: 4px 0; }
        .alert { border-left: 4px solid var(--line); padding: 4px 10px; margin: 8px 0; }
        .alert.critical { border-color: var(--crit); } .alert.high { border-color: var(--high); } .alert.medium { border-color: var(--med); }
        .alert.low { border-color: var(--low); } .alert.info { border-color: var(--info); }
        .evidence { color: var(--muted); font-size: 13px; }
        svg { max-width: 100%; height: auto; }
        svg text { font-family: inherit; font-size: 11px; fill: var(--ink); }
        .chart-legend span { display: inline-block; margin-right: 16px; }
        .swatch { display: inline-block; width: 10px; height: 10px; margin-right: 4px; vertical-align: middle; }
        .plan { border: 1px solid var(--line); padding: 16px 20px; margin-top: 24px; }
        .plan h2 { margin-top: 0; text-align: center; }
        .plan dl { display: grid; grid-template-columns: 220px 1fr; gap: 4px 12px; }
        .plan dt { font-weight: 600; }
        .signatures { display: grid; grid-template-columns: 1fr 1fr; gap: 24px 40px; margin-top: 28px; }
        .signatures div { border-top: 1px solid var(--ink); padding-top: 4px; font-size: 12px; color: var(--muted); }
        footer { margin-top: 32px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); padding-top: 8px; }
        @media print {
          @page { size: A4; margin: 15mm 15mm 15mm 20mm; }
          body { max-width: none; padding: 0; font-size: 11pt; }
          nav.crumbs, footer, .screen-only { display: none; }
          .plan { border: none; padding: 0; margin: 0; page-break-before: always; }
          table { page-break-inside: auto; } tr { page-break-inside: avoid; }
          a { color: var(--ink); }
        }
        """
}
