import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// A SAX handler for one XLSX part. Subclasses stop the parse with `fail` on the first
/// problem in the content; the XML parser's own first error is kept in `syntaxError`.
class XLSXPartHandler: NSObject, XMLParserDelegate {
    var failure: ImportError?
    var syntaxError: (code: Int, line: Int, column: Int)?

    func fail(_ parser: XMLParser, _ error: ImportError) {
        if failure == nil { failure = error }
        parser.abortParsing()
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
        if syntaxError == nil, failure == nil {
            syntaxError = ((parseError as NSError).code, parser.lineNumber, parser.columnNumber)
        }
        parser.abortParsing()
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
        attributes: [String: String]
    ) {}

    func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?
    ) {}

    func parser(_ parser: XMLParser, foundCharacters string: String) {}

    /// An element's name without its namespace prefix (`x:c` is `c`).
    @inline(__always) static func local(_ name: String) -> Substring {
        guard let colon = name.utf8.lastIndex(of: UInt8(ascii: ":")) else { return Substring(name) }
        return name[name.index(after: colon)...]
    }

    /// The value of an attribute whatever its prefix (`r:id` under any prefix).
    static func attribute(_ attributes: [String: String], local name: String) -> String? {
        if let v = attributes[name] { return v }
        for (key, value) in attributes where local(key) == name && key.contains(":") && !key.hasPrefix("xmlns") {
            return value
        }
        return nil
    }
}

enum XLSXXML {
    /// Runs `handler` over a part's XML with Foundation's streaming parser. A DOCTYPE is
    /// refused before parsing: XLSX parts never have one, and libxml2 (under Foundation's
    /// parser, which substitutes entities) would expand the entities it declares.
    static func parse(
        _ data: Data, part: String, location: String, handler: XLSXPartHandler
    ) throws(ImportError) {
        if containsDoctype(data) {
            throw ImportError(
                location, "\(part) declares a DOCTYPE, which XLSX parts never have (refused: entities could expand)")
        }
        // Through a stream, so that libxml2 gets the part in chunks of 128 KiB: given as one
        // chunk, a part over 10 MB fails its lookup limit ("huge input lookup").
        let parser = XMLParser(stream: InputStream(data: data))
        parser.shouldResolveExternalEntities = false
        parser.shouldProcessNamespaces = false
        parser.delegate = handler
        _ = parser.parse()
        if let failure = handler.failure { throw failure }
        // Foundation's parser recovers from errors and may still report success: its
        // reported errors decide.
        if let e = handler.syntaxError ?? parser.parserError.map({ ((($0 as NSError).code), 0, 0) }) {
            let at = e.line > 0 ? " at line \(e.line), column \(e.column)" : ""
            throw ImportError(
                location, "expected well-formed XML in \(part), but it is malformed\(at) (XML error \(e.code))")
        }
    }

    private static func containsDoctype(_ data: Data) -> Bool {
        let needle = Array("<!DOCTYPE".utf8)
        return data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Bool in
            guard let base = raw.baseAddress else { return false }
            var i = 0
            while i + needle.count <= raw.count {
                guard let hit = memchr(base + i, Int32(needle[0]), raw.count - i - needle.count + 1) else {
                    return false
                }
                let at = base.distance(to: UnsafeRawPointer(hit))
                if memcmp(base + at, needle, needle.count) == 0 { return true }
                i = at + 1
            }
            return false
        }
    }
}

/// `xl/workbook.xml`: the sheets in order (name and relationship id), and the date system.
final class WorkbookHandler: XLSXPartHandler {
    var sheets: [(name: String, id: String)] = []
    var date1904 = false
    let location: String

    init(location: String) { self.location = location }

    override func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
        attributes: [String: String]
    ) {
        switch Self.local(elementName) {
        case "workbookPr":
            let v = attributes["date1904"]?.lowercased()
            date1904 = v == "1" || v == "true"
        case "sheet":
            guard let name = attributes["name"], let id = Self.attribute(attributes, local: "id") else {
                fail(parser, ImportError(location, "xl/workbook.xml lists a sheet without a name or relationship id"))
                return
            }
            sheets.append((name, id))
        default: break
        }
    }
}

/// `xl/_rels/workbook.xml.rels`: relationship ids to part paths (worksheets only).
final class RelationshipsHandler: XLSXPartHandler {
    var targets: [String: String] = [:]
    var worksheets: Set<String> = []

    override func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
        attributes: [String: String]
    ) {
        guard Self.local(elementName) == "Relationship", let id = attributes["Id"], let target = attributes["Target"],
            attributes["TargetMode"] != "External"
        else { return }
        targets[id] = Self.resolve(target)
        if let type = attributes["Type"], type.hasSuffix("/worksheet") { worksheets.insert(id) }
    }

    /// A target as a path in the ZIP: absolute (`/xl/worksheets/sheet1.xml`) or relative
    /// to `xl/` (`worksheets/sheet1.xml`, `../xl/worksheets/sheet1.xml`).
    static func resolve(_ target: String) -> String {
        var parts: [Substring] = target.hasPrefix("/") ? [] : ["xl"]
        for p in target.split(separator: "/") {
            if p == "." { continue }
            if p == ".." {
                if !parts.isEmpty { parts.removeLast() }
                continue
            }
            parts.append(p)
        }
        return parts.joined(separator: "/")
    }
}

/// `xl/sharedStrings.xml`: each `<si>`'s text, its rich-text runs (`<r><t>`) joined, phonetic
/// runs (`<rPh>`) left out. A `<t>` keeps its leading and trailing spaces only under
/// `xml:space="preserve"`, as Excel reads it.
final class SharedStringsHandler: XLSXPartHandler {
    var strings: [String] = []
    private var current = ""
    private var run = ""
    private var inItem = false
    private var inText = false
    private var preserve = false
    private var phonetic = 0

    override func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
        attributes: [String: String]
    ) {
        switch Self.local(elementName) {
        case "si":
            inItem = true
            current = ""
        case "rPh": phonetic += 1
        case "t" where inItem && phonetic == 0:
            inText = true
            run = ""
            preserve = attributes["xml:space"] == "preserve"
        default: break
        }
    }

    override func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText { run += string }
    }

    override func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?
    ) {
        switch Self.local(elementName) {
        case "si":
            strings.append(XLSXText.unescape(current))
            inItem = false
        case "rPh": phonetic -= 1
        case "t" where inText:
            current += preserve ? run : run.trimmingCharacters(in: .whitespacesAndNewlines)
            inText = false
        default: break
        }
    }
}

/// `xl/styles.xml`: for each cell format (`cellXfs`), whether its number format shows a
/// date, a time, both, or a number.
final class StylesHandler: XLSXPartHandler {
    var kinds: [XLSXText.FormatKind] = []
    private var custom: [Int: String] = [:]
    private var inCellXfs = false

    override func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
        attributes: [String: String]
    ) {
        switch Self.local(elementName) {
        case "numFmt":
            if let id = attributes["numFmtId"].flatMap({ Int($0) }), let code = attributes["formatCode"] {
                custom[id] = code
            }
        case "cellXfs": inCellXfs = true
        case "xf" where inCellXfs:
            let id = attributes["numFmtId"].flatMap { Int($0) } ?? 0
            kinds.append(custom[id].map(XLSXText.kind(ofFormat:)) ?? XLSXText.kind(ofBuiltIn: id))
        default: break
        }
    }

    override func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?
    ) {
        if Self.local(elementName) == "cellXfs" { inCellXfs = false }
    }
}
