internal import CLibXML2

/// HTML pages as grids: «Сетевой город. Образование» (СГО) saves its journals and summary
/// sheets as HTML under an `.xls` name — header lines (school, «Учебный год: 2025/2026»,
/// «Класс: 7А», «Предмет: Алгебра») above a table whose header spans months over day numbers
/// and whose pupil names span their period rows.
///
/// The page is parsed by libxml2's forgiving HTML parser (unclosed tags, stray `</td>`,
/// tables in cells are all read as browsers would, near enough). Then:
/// - every data table (a `<table>` with no table inside it) is one grid, `таблица N` in
///   document order; a table with no cell at all is none. A layout table, one that wraps
///   others, is not a grid: its own text is read as lines, like the rest of the page;
/// - `rowspan` and `colspan` are laid out by the HTML table algorithm (a cell moves right past
///   the cells spanning down from the rows above; a rowspan stops at the end of its `<thead>`,
///   `<tbody>` or `<tfoot>`, and `rowspan="0"` reaches it) and become merges; a cell that a
///   span covers is "" with the spanning cell's origin;
/// - a cell's text is its text content with every run of white space (`&nbsp;` too) one space,
///   `<br>` and block elements a space, trimmed;
/// - the preamble of a grid is the page's non-empty text lines (a line ends at a block
///   element's edge and at `<br>`; a row of a layout table is one line) after the previous
///   grid, with a table's `<caption>` and any text strayed into it outside its cells; the
///   lines after the last grid belong to no grid;
/// - origins are lines only (column 0: libxml2 keeps no columns), so locations read
///   `journal.xls:41`. libxml2 2.9 keeps lines in 16 bits: past line 65,535 a line is counted
///   on from the last one known and may fall short by the line breaks inside tags.
///
/// Bounds: at most 64 MiB of page, 4,000,000 cells in all (what the spans cover included),
/// `colspan` at most 1,000 and `rowspan` at most 65,534 (as browsers clamp them); a page
/// libxml2 gives up on (nested over 256 elements deep) is an error rather than half a page.
public enum HTMLReader {
    public static let maxBytes = 64 << 20
    public static let maxCells = 4_000_000
    public static let maxColspan = 1000
    public static let maxRowspan = 65_534

    public static func read(_ bytes: [UInt8], file: String) throws(ImportError) -> Workbook {
        guard bytes.count <= maxBytes else {
            throw ImportError(file, ImportText.pageTooLarge(bytes: bytes.count))
        }
        _ = libxml2Ready
        let (input, encoding) = HTMLEncoding.detect(bytes).prepared(bytes)
        if input.isEmpty { return Workbook(file: file, kind: .html, grids: []) }
        guard input.count < Int(Int32.max) else {
            throw ImportError(file, ImportText.pageTooLargeToRead)
        }
        // libxml2 reports encoding trouble through its global handler even when told not to
        // report errors: this thread's handler is silenced while the page is parsed.
        xmlSetStructuredErrorFunc(nil) { _, _ in }
        defer { xmlSetStructuredErrorFunc(nil, nil) }
        guard let context = htmlNewParserCtxt() else { throw ImportError(file, ImportText.pageOutOfMemory) }
        defer { htmlFreeParserCtxt(context) }
        let options = Int32(
            bitPattern: HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                | HTML_PARSE_NONET.rawValue | HTML_PARSE_COMPACT.rawValue | HTML_PARSE_IGNORE_ENC.rawValue)
        let parsed = input.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                htmlCtxtReadMemory(context, chars.baseAddress, Int32(chars.count), nil, encoding, options)
            }
        }
        guard let document = parsed else { throw ImportError(file, ImportText.notAnHTMLPage) }
        defer { xmlFreeDoc(document) }
        if context.pointee.disableSAX != 0 {
            throw ImportError(file, ImportText.pageStoppedPartway)
        }
        let page = UnsafeMutableRawPointer(document)
        let tags = Tags()
        let reader = PageReader(
            file: file, tags: tags, layoutTables: layoutTables(document.pointee.children, in: page, tags: tags))
        try reader.read(document.pointee.children, in: page)
        return Workbook(file: file, kind: .html, grids: reader.grids)
    }

    /// The tables that have a table inside them: each table marks the nearest one around it.
    private static func layoutTables(
        _ first: xmlNodePtr?, in container: UnsafeMutableRawPointer, tags: Tags
    ) -> Set<xmlNodePtr> {
        var layout: Set<xmlNodePtr> = []
        var open: [xmlNodePtr] = []
        walk(
            first, in: container,
            enter: { n in
                if isElement(n), tags.of(n).role == .table {
                    if let around = open.last { layout.insert(around) }
                    open.append(n)
                }
                return true
            },
            leave: { n in
                if n == open.last { open.removeLast() }
            })
        return layout
    }

    /// Visits the nodes from `first` and its siblings down in document order, without
    /// recursion: `enter` says whether to go into an element's children, `leave` follows every
    /// node entered, after its children. `container` is the node (or document) they are in.
    static func walk<E: Error>(
        _ first: xmlNodePtr?, in container: UnsafeMutableRawPointer, enter: (xmlNodePtr) throws(E) -> Bool,
        leave: (xmlNodePtr) -> Void
    ) throws(E) {
        var node = first
        while let n = node {
            if try enter(n), isElement(n), let child = n.pointee.children {
                node = child
                continue
            }
            var done = n
            while true {
                leave(done)
                if let next = done.pointee.next {
                    node = next
                    break
                }
                guard let parent = done.pointee.parent, UnsafeMutableRawPointer(parent) != container else {
                    node = nil
                    break
                }
                done = parent
            }
        }
    }

    static func isElement(_ n: xmlNodePtr) -> Bool { n.pointee.type == XML_ELEMENT_NODE }

    /// A text node's text; "" for anything else.
    static func content(_ n: xmlNodePtr) -> String {
        guard let text = n.pointee.content else { return "" }
        return String(cString: text)
    }

    /// The value of an element's attribute (names are lower case); nil when it has none.
    static func attribute(_ n: xmlNodePtr, _ name: String) -> String? {
        guard let attribute = xmlHasProp(n, name) else { return nil }
        return attribute.pointee.children.map(content) ?? ""
    }

    /// HTML's rules for a non-negative integer (`" 3"`, `"+2"`, `"4px"` read; `"-1"`, `"x"`
    /// not), saturating far above every clamp.
    static func nonNegativeInteger(_ text: String?) -> Int? {
        guard let text else { return nil }
        var s = Substring(text).drop { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{C}" }
        if s.first == "+" { s = s.dropFirst() }
        let digits = s.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty else { return nil }
        var value = 0
        for d in digits.utf8 { value = min(value * 10 + Int(d - 48), 100_000_000) }
        return value
    }

    /// Every run of white space (U+00A0 included) one space, trimmed.
    static func collapsed(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        var space = false
        for u in s.unicodeScalars {
            if u.value < 0x80 ? u.value == 0x20 || (0x09...0x0D).contains(u.value) : u.properties.isWhitespace {
                space = !out.isEmpty
                continue
            }
            if space {
                out.append(" ")
                space = false
            }
            out.append(u)
        }
        return String(out)
    }

    static func newlines(_ s: Substring.UnicodeScalarView) -> Int { s.reduce(0) { $1 == "\n" ? $0 + 1 : $0 } }

    /// Elements whose content is not page text.
    static let skipped: Set<String> = ["head", "title", "script", "style", "template", "noscript"]
    /// Elements whose edges end a line (of the page) and stand as a space (in a cell); the
    /// table's own elements aside.
    static let blocks: Set<String> = [
        "address", "article", "aside", "blockquote", "body", "caption", "center", "colgroup", "dd", "details",
        "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "frameset", "h1",
        "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "listing", "main", "menu",
        "nav", "ol", "optgroup", "option", "p", "plaintext", "pre", "section", "summary", "ul", "xmp",
    ]
    /// Elements whose line breaks are kept.
    static let preformatted: Set<String> = ["pre", "listing", "xmp", "plaintext", "textarea"]
}

/// What an element is to the reader.
struct Tag: Equatable {
    enum Role: Equatable {
        case table, section, row, cell, br, block, skipped, inline
    }
    var role: Role
    var preformatted: Bool

    init(name: String) {
        switch name {
        case "table": role = .table
        case "thead", "tbody", "tfoot": role = .section
        case "tr": role = .row
        case "td", "th": role = .cell
        case "br": role = .br
        default:
            role = HTMLReader.skipped.contains(name) ? .skipped : HTMLReader.blocks.contains(name) ? .block : .inline
        }
        preformatted = HTMLReader.preformatted.contains(name)
    }

    /// Whether its edges stand as a space in a cell's text.
    var separates: Bool { role != .inline && role != .skipped }
}

/// Elements' tags by their names, which libxml2 keeps once each in the document's dictionary:
/// one lookup a distinct name pointer rather than a string a node.
final class Tags {
    private var known: [UnsafeRawPointer: Tag] = [:]

    func of(_ n: xmlNodePtr) -> Tag {
        guard let name = n.pointee.name else { return Tag(name: "") }
        let key = UnsafeRawPointer(name)
        if let tag = known[key] { return tag }
        let tag = Tag(name: String(cString: name))
        known[key] = tag
        return tag
    }
}

/// libxml2 set up once, before any parser of any thread (HTML pages, XLSX parts) runs.
let libxml2Ready: Void = xmlInitParser()

/// One pass over a parsed page: the lines of text, and a grid at each data table.
private final class PageReader {
    struct Cell {
        var text: String
        var line: Int
        var rowspan: Int
        var colspan: Int
    }

    let file: String
    let tags: Tags
    let layoutTables: Set<xmlNodePtr>
    var grids: [Grid] = []
    /// Cells laid out so far, in all grids.
    var cellCount = 0
    /// The line the walk has reached: an element's line where libxml2 knows it, counted on
    /// through the line breaks of the text since.
    var cursor = 1
    /// The line being gathered (raw text) and the line of its first visible character.
    var text = ""
    var textLine: Int?
    var preformattedDepth = 0
    /// Lines since the last grid.
    var pending: [(text: String, line: Int)] = []

    init(file: String, tags: Tags, layoutTables: Set<xmlNodePtr>) {
        self.file = file
        self.tags = tags
        self.layoutTables = layoutTables
    }

    func read(_ first: xmlNodePtr?, in container: UnsafeMutableRawPointer) throws(ImportError) {
        try HTMLReader.walk(
            first, in: container,
            enter: { (n: xmlNodePtr) throws(ImportError) -> Bool in
                switch n.pointee.type {
                case XML_ELEMENT_NODE:
                    resync(n)
                    let tag = tags.of(n)
                    if tag.role == .skipped { return false }
                    if tag.role == .table, !layoutTables.contains(n) {
                        try readTable(n)
                        return false
                    }
                    enterElement(tag)
                    return tag.role != .br
                case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                    addText(HTMLReader.content(n), reported: xmlGetLineNo(n))
                case XML_COMMENT_NODE:
                    cursor += HTMLReader.newlines(Substring(HTMLReader.content(n)).unicodeScalars)
                default:
                    break
                }
                return false
            },
            leave: { n in
                if HTMLReader.isElement(n) { leaveElement(tags.of(n)) }
            })
        flush()
    }

    // MARK: Lines

    func resync(_ n: xmlNodePtr) {
        let line = xmlGetLineNo(n)
        if line > 0, line < 65535 {
            cursor = line
        } else if line >= 65535 {
            cursor = max(cursor, 65535)
        }
    }

    /// An element outside data tables (or in one, outside its cells): a block's edges, a row's
    /// and `<br>` end the line; a layout table's cells are spaced within their row's line.
    func enterElement(_ tag: Tag) {
        switch tag.role {
        case .br, .block, .table, .section, .row: flush()
        case .cell: text += " "
        case .inline, .skipped: break
        }
        if tag.preformatted { preformattedDepth += 1 }
    }

    func leaveElement(_ tag: Tag) {
        switch tag.role {
        case .block, .table, .section, .row: flush()
        case .cell: text += " "
        case .br, .inline, .skipped: break
        }
        if tag.preformatted { preformattedDepth -= 1 }
    }

    /// A text node: its line breaks move the cursor; its first visible character starts the
    /// line's number. libxml2 gives a text node the line where its first piece ended (pieces
    /// end at entities and every 1,000 bytes), so the line of its start is at least that line
    /// less its line breaks, and at least the cursor; the larger is taken.
    func addText(_ s: String, reported: Int) {
        let scalars = Substring(s).unicodeScalars
        let breaks = HTMLReader.newlines(scalars)
        var start = cursor
        if reported > 0, reported < 65535 { start = max(start, reported - breaks) }
        if preformattedDepth > 0 {
            for (k, segment) in s.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                if k > 0 { flush() }
                note(segment, at: start + k)
            }
        } else {
            note(Substring(s), at: start)
        }
        cursor = start + breaks
    }

    /// Adds text starting on `line` to the line being gathered.
    private func note(_ s: Substring, at line: Int) {
        if textLine == nil, let first = s.unicodeScalars.firstIndex(where: { !$0.properties.isWhitespace }) {
            textLine = line + HTMLReader.newlines(s.unicodeScalars[..<first])
        }
        text += s
    }

    func flush() {
        let line = HTMLReader.collapsed(text)
        if !line.isEmpty { pending.append((line, textLine ?? cursor)) }
        text = ""
        textLine = nil
    }

    // MARK: Tables

    /// A data table: its rows of cells, laid out as a grid; text in it outside the cells (a
    /// caption, stray text) joins the lines before it.
    func readTable(_ table: xmlNodePtr) throws(ImportError) {
        flush()
        var rows: [[Cell]] = []
        /// The row group (thead, tbody, tfoot, or the rows between them) of each row.
        var groups: [Int] = []
        var group = 0
        var rowDepth = 0
        var implicitRow = false
        HTMLReader.walk(
            table.pointee.children, in: UnsafeMutableRawPointer(table),
            enter: { n in
                switch n.pointee.type {
                case XML_ELEMENT_NODE:
                    resync(n)
                    let tag = tags.of(n)
                    switch tag.role {
                    case .skipped:
                        return false
                    case .section:
                        group += 1
                        return true
                    case .row:
                        flush()
                        rows.append([])
                        groups.append(group)
                        rowDepth += 1
                        implicitRow = false
                        return true
                    case .cell:
                        if rowDepth == 0, !implicitRow {
                            rows.append([])
                            groups.append(group)
                            implicitRow = true
                        }
                        let line = cursor
                        let colspan = HTMLReader.nonNegativeInteger(HTMLReader.attribute(n, "colspan")) ?? 1
                        let rowspan = HTMLReader.nonNegativeInteger(HTMLReader.attribute(n, "rowspan")) ?? 1
                        rows[rows.count - 1].append(
                            Cell(
                                text: cellText(n), line: line, rowspan: min(rowspan, HTMLReader.maxRowspan),
                                colspan: max(1, min(colspan, HTMLReader.maxColspan))))
                        return false
                    default:
                        enterElement(tag)
                        return tag.role != .br
                    }
                case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                    addText(HTMLReader.content(n), reported: xmlGetLineNo(n))
                case XML_COMMENT_NODE:
                    cursor += HTMLReader.newlines(Substring(HTMLReader.content(n)).unicodeScalars)
                default:
                    break
                }
                return false
            },
            leave: { n in
                guard HTMLReader.isElement(n) else { return }
                let tag = tags.of(n)
                switch tag.role {
                case .section: group += 1
                case .row: rowDepth -= 1
                case .cell: break
                default: leaveElement(tag)
                }
            })
        flush()
        guard rows.contains(where: { !$0.isEmpty }) else { return }
        try lay(rows, groups: groups)
    }

    /// A cell's text: text content, `<br>` and block edges as spaces, white space collapsed.
    /// Its line breaks move the cursor.
    func cellText(_ cell: xmlNodePtr) -> String {
        var raw = ""
        HTMLReader.walk(
            cell.pointee.children, in: UnsafeMutableRawPointer(cell),
            enter: { n in
                switch n.pointee.type {
                case XML_ELEMENT_NODE:
                    resync(n)
                    let tag = tags.of(n)
                    if tag.separates { raw += " " }
                    return tag.role != .br && tag.role != .skipped
                case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                    let s = HTMLReader.content(n)
                    let breaks = HTMLReader.newlines(Substring(s).unicodeScalars)
                    let reported = xmlGetLineNo(n)
                    cursor = max(cursor, reported > 0 && reported < 65535 ? reported - breaks : 0) + breaks
                    raw += s
                case XML_COMMENT_NODE:
                    cursor += HTMLReader.newlines(Substring(HTMLReader.content(n)).unicodeScalars)
                default:
                    break
                }
                return false
            },
            leave: { n in
                guard HTMLReader.isElement(n) else { return }
                if tags.of(n).separates { raw += " " }
            })
        return HTMLReader.collapsed(raw)
    }

    /// The HTML table algorithm: each cell takes the first column of its row that no cell
    /// from the rows above spans down into.
    func lay(_ cells: [[Cell]], groups: [Int]) throws(ImportError) {
        // The last row of each row's group, where its rowspans stop.
        var groupEnd = Array(repeating: 0, count: cells.count)
        for r in stride(from: cells.count - 1, through: 0, by: -1) {
            groupEnd[r] = r + 1 < cells.count && groups[r + 1] == groups[r] ? groupEnd[r + 1] : r
        }
        var rows: [[String]] = []
        var origins: [[Grid.Origin]] = []
        var merges: [CellRange] = []
        // Per column, the last row a span from above covers, and whose origin it has.
        var coveredTo: [Int] = []
        var coveredBy: [Grid.Origin] = []
        rows.reserveCapacity(cells.count)
        for (r, rowCells) in cells.enumerated() {
            var row: [String] = []
            var origin: [Grid.Origin] = []
            func fill(to column: Int) throws(ImportError) {
                while row.count < column {
                    row.append("")
                    origin.append(coveredBy[row.count - 1])
                    try count(1)
                }
            }
            var c = 0
            for cell in rowCells {
                while c < coveredTo.count, coveredTo[c] >= r { c += 1 }
                try fill(to: c)
                let lastRow = cell.rowspan == 0 ? groupEnd[r] : min(r + cell.rowspan - 1, groupEnd[r])
                let here = Grid.Origin(line: cell.line, column: 0)
                try count(cell.colspan)
                row.append(cell.text)
                row.append(contentsOf: repeatElement("", count: cell.colspan - 1))
                origin.append(contentsOf: repeatElement(here, count: cell.colspan))
                if lastRow > r || cell.colspan > 1 {
                    merges.append(
                        CellRange(firstRow: r, firstColumn: c, lastRow: lastRow, lastColumn: c + cell.colspan - 1))
                }
                if coveredTo.count < c + cell.colspan {
                    let more = c + cell.colspan - coveredTo.count
                    coveredTo.append(contentsOf: repeatElement(-1, count: more))
                    coveredBy.append(contentsOf: repeatElement(here, count: more))
                }
                for k in c..<(c + cell.colspan) where lastRow > coveredTo[k] {
                    coveredTo[k] = lastRow
                    coveredBy[k] = here
                }
                c += cell.colspan
            }
            // Spans from above past the row's last cell.
            if let last = coveredTo.lastIndex(where: { $0 >= r }), last >= row.count { try fill(to: last + 1) }
            rows.append(row)
            origins.append(origin)
        }
        grids.append(
            Grid(
                file: file, name: "таблица \(grids.count + 1)", addressing: .lines, rows: rows, merges: merges,
                origins: origins, preamble: pending))
        pending = []
    }

    private func count(_ n: Int) throws(ImportError) {
        cellCount += n
        if cellCount > HTMLReader.maxCells {
            throw ImportError(file, ImportText.pageTooManyCells(HTMLReader.maxCells))
        }
    }
}
