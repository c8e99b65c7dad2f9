import MayakSnapshot

/// What СГО («Сетевой город. Образование») reports share: header lines above the table
/// («Учебный год: 2025/2026», «Период: с 01.09.2025 по 31.10.2025», «Класс: 7А», «Предмет:
/// Алгебра», «Ученик: …», the school's name), month names over day numbers, and period names.
enum SGOReport {
    /// The header lines as `key → value` (keys lower-cased, «ё» as «е»), from the text above
    /// the table (HTML) or the rows above the header row (a spreadsheet), and the first line
    /// that is not `key: value` (the school's name, as СГО prints it first).
    struct Header {
        var values: [String: (value: String, location: String)] = [:]
        var school: String?

        subscript(_ key: String) -> String? { values[key]?.value }

        /// `earlier` are the page's tables before this one: СГО puts the header lines in a small
        /// table of their own above the data table.
        init(_ grid: Grid, above headerRow: Int, earlier: [Grid] = []) {
            var lines: [(String, String)] = []
            for g in earlier {
                lines += g.preamble.map { ($0.text, "\(g.file):\($0.line)") }
                for r in 0..<g.rowCount {
                    for (c, cell) in g[rowOf: r].enumerated() where !cell.isEmpty {
                        // A cell may hold several «key: value» lines run together.
                        lines += Header.split(cell).map { ($0, g.location(row: r, column: c)) }
                    }
                }
            }
            lines += grid.preamble.map { ($0.text, "\(grid.file):\($0.line)") }
            for r in 0..<max(0, headerRow) {
                let cells = grid[rowOf: r].filter { !$0.isEmpty }
                guard !cells.isEmpty else { continue }
                lines.append((cells.joined(separator: " "), grid.location(row: r, column: 0)))
            }
            for (text, location) in lines {
                if let colon = text.firstIndex(of: ":") {
                    let key = String(text[..<colon]).trimmingSpaces().lowercased().replacingOccurrences(
                        of: "ё", with: "е")
                    let value = String(text[text.index(after: colon)...]).trimmingSpaces()
                    if !key.isEmpty && key.count <= 40 && values[key] == nil { values[key] = (value, location) }
                } else if school == nil, text.count >= 4 {
                    school = text
                }
            }
        }

        /// A cell's text cut before each known key («Учебный год: 2021/2022 Класс: 9Б …»).
        static func split(_ text: String) -> [String] {
            var out: [String] = []
            var rest = Substring(text)
            let keys = ["Учебный год:", "Класс:", "Период:", "Ученик:", "Предмет:", "Учитель:", "Дата рождения:"]
            while true {
                let cuts = keys.compactMap { rest.range(of: $0)?.lowerBound }.filter { $0 > rest.startIndex }
                guard let cut = cuts.min() else { break }
                out.append(String(rest[..<cut]).trimmingSpaces())
                rest = rest[cut...]
            }
            out.append(String(rest).trimmingSpaces())
            return out.filter { !$0.isEmpty }
        }

        /// A date as СГО writes it: `01.09.2025`, `2025-09-01`, or with two year digits, `1.09.21`.
        static func day(_ word: String) -> Day? {
            if case .day(let d) = Day.parse(word) { return d }
            let parts = word.split(separator: ".").compactMap { Int($0) }
            guard parts.count == 3, word.split(separator: ".").last?.count == 2 else { return nil }
            return Day(year: 2000 + parts[2], month: parts[1], day: parts[0])
        }

        /// «с 01.09.2025 по 31.10.2025» (or «с 1.09.21 по 30.10.21») → the two days.
        var period: (from: Day, to: Day)? {
            guard let text = self["период"] else { return nil }
            let dates = text.split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "–" }).compactMap {
                Header.day(String($0))
            }
            guard dates.count == 2, dates[0] <= dates[1] else { return nil }
            return (dates[0], dates[1])
        }

        /// The school year's first calendar year: «Учебный год», else the period's.
        var startYear: Int? {
            if let y = self["учебный год"].flatMap({ SchoolCalendar.startYear(String($0.prefix(9))) }) { return y }
            return period.map { SchoolCalendar.startYear(of: $0.from) }
        }
    }

    /// A month's number from its Russian name as column headers write it («Сентябрь», «сент.», «Сен»).
    static func month(_ text: String) -> Int? {
        let t = text.lowercased().trimmingSpaces()
        let stems = ["янв", "фев", "мар", "апр", "мая", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"]
        if t.hasPrefix("май") { return 5 }
        for (i, stem) in stems.enumerated() where t.hasPrefix(stem) { return i + 1 }
        return nil
    }

    /// The period a report's range is, in the calendar the snapshot has: the period of the
    /// pupils' grade whose range holds the most of it.
    static func periodID(from: Day, to: Day, grade: Int, options: ImportOptions) -> String? {
        let year = SchoolCalendar.startYear(of: from)
        let all = options.calendarPeriods ?? options.calendar.periods(startYear: year, grades: options.calendarGrades)
        let periods = all.filter {
            $0.grades.contains(grade) && $0.kind != .year
        }
        func overlap(_ p: Period) -> Int { max(0, min(p.end, to) - max(p.start, from)) }
        return periods.max { overlap($0) < overlap($1) }.flatMap { overlap($0) > 0 ? $0.id : nil }
    }

    /// A period's id from its name in a сводная ведомость («1 четверть», «II полугодие»,
    /// «Годовая»); nil for rows the snapshot has no period for («Экзамен», «Итоговая»).
    static func periodID(named text: String) -> String? {
        let t = text.lowercased().replacingOccurrences(of: ".", with: " ").trimmingSpaces()
        if t.hasPrefix("год") { return "Y" }
        let numbers = ["1": 1, "2": 2, "3": 3, "4": 4, "i": 1, "ii": 2, "iii": 3, "iv": 4]
        let words = t.split(separator: " ")
        guard words.count >= 2, let n = numbers[String(words[0])] else { return nil }
        let kind = words[1]
        if kind.hasPrefix("четв") { return "Q\(n)" }
        if kind.hasPrefix("трим") { return n <= 3 ? "T\(n)" : nil }
        if kind.hasPrefix("полуг") { return n <= 2 ? "H\(n)" : nil }
        return nil
    }

    /// Subjects as СГО abbreviates them in column headers, and their full names.
    static let subjects: [(String, String)] = [
        ("рус", "Русский язык"), ("лит.чт", "Литературное чтение"), ("литер", "Литература"),
        ("лит", "Литература"), ("алг", "Алгебра"), ("геом", "Геометрия"), ("вер", "Вероятность и статистика"),
        ("мат", "Математика"), ("инф", "Информатика"), ("ист", "История"), ("общ", "Обществознание"),
        ("геог", "География"), ("биол", "Биология"), ("физ-ра", "Физическая культура"),
        ("физк", "Физическая культура"), ("физ.к", "Физическая культура"), ("физ", "Физика"), ("хим", "Химия"),
        ("англ", "Иностранный язык (английский)"), ("ин.яз", "Иностранный язык (английский)"),
        ("иностр", "Иностранный язык (английский)"), ("нем", "Иностранный язык (немецкий)"),
        ("изо", "Изобразительное искусство"), ("муз", "Музыка"), ("техн", "Труд (технология)"),
        ("труд", "Труд (технология)"), ("обж", "Основы безопасности и защиты Родины"),
        ("обзр", "Основы безопасности и защиты Родины"), ("окр", "Окружающий мир"),
        ("орксэ", "Основы религиозных культур и светской этики"), ("однк", "ОДНКНР"),
        ("инд", "Индивидуальный проект"),
    ]

    /// A subject header's full name: an abbreviation known above, else the header as written.
    static func subject(_ header: String) -> (name: String, expanded: Bool) {
        let t = header.lowercased().replacingOccurrences(of: " ", with: "")
        if let full = subjects.first(where: { $0.1.lowercased().replacingOccurrences(of: " ", with: "") == t }) {
            return (full.1, false)
        }
        guard header.count <= 12 else { return (header, false) }
        if let hit = subjects.first(where: { t.hasPrefix($0.0) }) { return (hit.1, true) }
        return (header, false)
    }

    /// The school's id and name: `--school`, else the report's school line.
    static func school(_ header: Header, options: ImportOptions) -> ImportBatch.School? {
        if let id = options.school { return .init(id: id, name: options.schoolName ?? header.school ?? id) }
        guard let name = header.school ?? header["школа"] ?? header["оо"] else { return nil }
        return .init(id: name, name: name)
    }
}
