import MayakSnapshot

/// The school's list linking ФИС ОКО participant codes to its pupils: a table (any source
/// kind) whose header names a code column («Код участника», «Код», «Код ученика») and a name
/// column («ФИО», «Ученик», «ФИО ученика»), optionally «Класс» and «Дата рождения».
///
/// ФИС ОКО never sees the pupils' names: the school keeps this list when it hands out the
/// codes. Codes are compared as written, trimmed, with leading zeros of an all-digit code
/// dropped (a spreadsheet shows `00123` as `123`). Every sheet (or HTML table) with such a
/// header is read; a sheet without one is skipped.
public enum CodeList {
    /// How many rows the header is looked for in.
    static let headerSearchRows = 20
    static let codeHeaders: Set<String> = ["код участника", "код", "код ученика"]
    static let nameHeaders: Set<String> = ["фио", "ученик", "фио ученика"]

    /// The list's pupils by code. A file that cannot be read or has no header is a failure;
    /// problems of its rows (a code given twice, an empty name, a birth date that is not a
    /// date) go to `log` as errors at their cells. An Excel 97–2003 list is read as `biff` says.
    public static func load(_ path: String, biff: BIFFReading = .inProcess, log: inout ImportLog) -> Result<
        [String: LayoutContext.CodedPupil], ImportError
    > {
        let workbook: Workbook
        do { workbook = try Importer.load(path, biff: biff, log: &log) } catch { return .failure(error) }
        var codes: [String: LayoutContext.CodedPupil] = [:]
        var found = false
        for grid in workbook.grids.map({ $0.filled() }) {
            guard let header = header(of: grid) else { continue }
            found = true
            read(grid, header: header, into: &codes, log: &log)
        }
        guard found else {
            return .failure(ImportError(path, ImportText.noCodeList(searched: headerSearchRows)))
        }
        return .success(codes)
    }

    /// A participant code as compared: trimmed, and an all-digit code without leading zeros.
    public static func normalised(_ code: String) -> String {
        let t = code.trimmingSpaces()
        guard !t.isEmpty, t.allSatisfy({ $0.isASCII && $0.isNumber }) else { return t }
        let stripped = t.drop { $0 == "0" }
        return stripped.isEmpty ? "0" : String(stripped)
    }

    struct Header {
        var row: Int
        var code: Int
        var name: Int
        var className: Int?
        var birthDate: Int?
    }

    static func header(of grid: Grid) -> Header? {
        for r in 0..<min(grid.rowCount, headerSearchRows) {
            var code: Int?
            var name: Int?
            var className: Int?
            var birth: Int?
            for (c, text) in grid[rowOf: r].enumerated() {
                let k = MappingLayout.key(text)
                if code == nil, codeHeaders.contains(k) { code = c }
                if name == nil, nameHeaders.contains(k) { name = c }
                if className == nil, k == "класс" { className = c }
                if birth == nil, k == "дата рождения" { birth = c }
            }
            if let code, let name {
                return Header(row: r, code: code, name: name, className: className, birthDate: birth)
            }
        }
        return nil
    }

    static func read(
        _ grid: Grid, header h: Header, into codes: inout [String: LayoutContext.CodedPupil], log: inout ImportLog
    ) {
        for r in (h.row + 1)..<max(h.row + 1, grid.rowCount) {
            let row = grid[rowOf: r]
            guard row.contains(where: { !$0.isEmpty }) else { continue }
            let code = normalised(grid[r, h.code])
            // A row without a code (a pupil who was given none, a total line) links nothing.
            guard !code.isEmpty else { continue }
            let location = grid.location(row: r, column: h.code)
            if let first = codes[code] {
                log.error(
                    ImportError(
                        location, ImportText.codeTwiceInList(code, first: first.location, name: first.fullName)))
                continue
            }
            let name = grid[r, h.name].trimmingSpaces()
            guard !name.isEmpty else {
                log.error(
                    ImportError(grid.location(row: r, column: h.name), ImportText.emptyNameForCode(code)),
                    kind: "codes-name:\(grid.file):\(grid.name)")
                continue
            }
            let label = h.className.map { grid[r, $0].trimmingSpaces() }.flatMap { $0.isEmpty ? nil : $0 }
            var birth: String?
            if let b = h.birthDate.map({ grid[r, $0] }), !b.isEmpty {
                if case .day(let d) = Day.parse(b) {
                    birth = d.description
                } else {
                    log.error(
                        ImportError(grid.location(row: r, column: h.birthDate!), ImportText.notADate(b)),
                        kind: "codes-birth:\(grid.file):\(grid.name)")
                    continue
                }
            }
            codes[code] = .init(fullName: name, classLabel: label, birthDate: birth, location: location)
        }
    }
}
