internal import CLibXML2
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A SAX handler for one XLSX part, driven by libxml2's SAX2 parser (`XLSXXML.parse`).
/// Subclasses stop the parse with `fail` on the first problem in the content; the XML
/// parser's own first error is kept in `syntaxError`.
class XLSXPartHandler {
    var failure: ImportError?
    var syntaxError: (code: Int, line: Int, column: Int)?
    /// The parse under way, for `fail` to stop it.
    fileprivate var context: xmlParserCtxtPtr?

    func fail(_ error: ImportError) {
        if failure == nil { failure = error }
        if let context { xmlStopParser(context) }
    }

    /// An element begins: its name without a namespace prefix (`x:c` is `c`).
    func start(_ name: String, _ attributes: XMLAttributes) {}
    func end(_ name: String) {}
    /// Text within the current element, in pieces (entities already replaced).
    func characters(_ text: UnsafeBufferPointer<UInt8>) {}
}

/// An element's attributes as libxml2's SAX2 parser gives them (five pointers each: local
/// name, prefix, namespace, value, end of value), looked up without building a dictionary.
struct XMLAttributes {
    fileprivate let pointers: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    fileprivate let count: Int

    /// The value of an attribute by its qualified name as written (`r`, `xml:space`).
    subscript(_ name: String) -> String? {
        guard let pointers else { return nil }
        var prefix: String?
        var local = name
        if let colon = name.utf8.firstIndex(of: UInt8(ascii: ":")) {
            prefix = String(name[..<colon])
            local = String(name[name.utf8.index(after: colon)...])
        }
        for i in 0..<count {
            let p = pointers + 5 * i
            guard let l = p[0], XMLAttributes.equal(l, local) else { continue }
            switch (p[1], prefix) {
            case (nil, nil): return XMLAttributes.value(p)
            case (let have?, let want?) where XMLAttributes.equal(have, want): return XMLAttributes.value(p)
            default: continue
            }
        }
        return nil
    }

    /// The value of an attribute of that local name under any prefix (`r:id`), or none.
    func value(local name: String) -> String? {
        guard let pointers else { return nil }
        for i in 0..<count {
            let p = pointers + 5 * i
            if let l = p[0], XMLAttributes.equal(l, name) { return XMLAttributes.value(p) }
        }
        return nil
    }

    private static func equal(_ c: UnsafePointer<xmlChar>, _ s: String) -> Bool {
        s.withCString { strcmp(UnsafeRawPointer(c).assumingMemoryBound(to: CChar.self), $0) == 0 }
    }

    private static func value(_ p: UnsafeMutablePointer<UnsafePointer<xmlChar>?>) -> String {
        guard let start = p[3], let end = p[4] else { return "" }
        return String(decoding: UnsafeBufferPointer(start: start, count: end - start), as: UTF8.self)
    }
}

enum XLSXXML {
    /// Runs `handler` over a part's XML with libxml2's SAX2 push parser, fed in chunks of
    /// 128 KiB (given as one chunk, a part over 10 MB fails its lookup limit, "huge input
    /// lookup"). No network, no external entities; a DOCTYPE is refused before parsing: XLSX
    /// parts never have one, and the entities it declares could expand.
    static func parse(
        _ data: Data, part: String, location: String, handler: XLSXPartHandler
    ) throws(ImportError) {
        if containsDoctype(data) {
            throw ImportError(location, ImportText.partDeclaresDoctype(part))
        }
        _ = libxml2Ready
        var sax = xmlSAXHandler()
        sax.initialized = XML_SAX2_MAGIC
        sax.startElementNs = { ctx, localname, _, _, _, _, count, _, attributes in
            guard let ctx, let localname else { return }
            let handler = Unmanaged<XLSXPartHandler>.fromOpaque(ctx).takeUnretainedValue()
            guard handler.failure == nil else { return }
            handler.start(
                String(cString: localname), XMLAttributes(pointers: attributes, count: Int(count)))
        }
        sax.endElementNs = { ctx, localname, _, _ in
            guard let ctx, let localname else { return }
            let handler = Unmanaged<XLSXPartHandler>.fromOpaque(ctx).takeUnretainedValue()
            guard handler.failure == nil else { return }
            handler.end(String(cString: localname))
        }
        let text: charactersSAXFunc = { ctx, chars, length in
            guard let ctx, let chars, length > 0 else { return }
            let handler = Unmanaged<XLSXPartHandler>.fromOpaque(ctx).takeUnretainedValue()
            guard handler.failure == nil else { return }
            handler.characters(UnsafeBufferPointer(start: chars, count: Int(length)))
        }
        sax.characters = text
        sax.cdataBlock = text
        sax.serror = { ctx, error in
            guard let ctx, let error else { return }
            let handler = Unmanaged<XLSXPartHandler>.fromOpaque(ctx).takeUnretainedValue()
            // Warnings (level 1) are not errors of the part.
            guard error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue, handler.syntaxError == nil,
                handler.failure == nil
            else { return }
            handler.syntaxError = (Int(error.pointee.code), Int(error.pointee.line), Int(error.pointee.int2))
        }
        let me = Unmanaged.passUnretained(handler).toOpaque()
        guard let context = xmlCreatePushParserCtxt(&sax, me, nil, 0, nil) else {
            throw ImportError(location, ImportText.noXMLParser(part))
        }
        defer {
            handler.context = nil
            xmlFreeParserCtxt(context)
        }
        handler.context = context
        xmlCtxtUseOptions(context, Int32(XML_PARSE_NONET.rawValue))
        let chunk = 128 << 10
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: CChar.self)
            var at = 0
            repeat {
                let n = min(chunk, bytes.count - at)
                let last: Int32 = at + n >= bytes.count ? 1 : 0
                let status = xmlParseChunk(context, bytes.baseAddress.map { $0 + at }, Int32(n), last)
                at += n
                if status != 0 || handler.failure != nil || handler.syntaxError != nil { break }
            } while at < bytes.count
        }
        if let failure = handler.failure { throw failure }
        if handler.syntaxError == nil, context.pointee.wellFormed == 0 {
            handler.syntaxError = (Int(context.pointee.errNo), 0, 0)
        }
        if let e = handler.syntaxError {
            throw ImportError(location, ImportText.malformedXML(part, line: e.line, column: e.column, code: e.code))
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

    override func start(_ name: String, _ attributes: XMLAttributes) {
        switch name {
        case "workbookPr":
            let v = attributes["date1904"]?.lowercased()
            date1904 = v == "1" || v == "true"
        case "sheet":
            guard let name = attributes["name"], let id = attributes.value(local: "id") else {
                fail(ImportError(location, ImportText.sheetWithoutName))
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

    override func start(_ name: String, _ attributes: XMLAttributes) {
        guard name == "Relationship", let id = attributes["Id"], let target = attributes["Target"],
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

    override func start(_ name: String, _ attributes: XMLAttributes) {
        switch name {
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

    override func characters(_ text: UnsafeBufferPointer<UInt8>) {
        if inText { run += String(decoding: text, as: UTF8.self) }
    }

    override func end(_ name: String) {
        switch name {
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

    override func start(_ name: String, _ attributes: XMLAttributes) {
        switch name {
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

    override func end(_ name: String) {
        if name == "cellXfs" { inCellXfs = false }
    }
}
