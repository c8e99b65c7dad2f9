import Foundation
import Testing

/// Everything the CLI shows a person is Russian: the help of the program and of every command
/// (ArgumentParser's own words too), its usage errors, and what the commands print for the
/// demo district. The real binary is run; every word of Latin letters left after the parts
/// that are typed as they are (see `RussianOutputTests.strip`) must be on the allow-list,
/// which README.md's «Language» paragraph describes as well.
///
/// The checker is private to this file: another helper adds `RussianText.englishWords(in:)` to
/// MayakTestSupport on a branch this one cannot see; once both are in, this can use it.
@Suite(.serialized) struct RussianOutputTests {
    /// The Latin words a Russian text of the CLI may hold, and why.
    static let allowed: Set<String> = [
        // The program and its commands, as they are typed (`mayak scan`, `mayak help`).
        "mayak", "demo", "check", "import", "scan", "runs", "alerts", "list", "show", "ack", "assign", "comment",
        "dismiss", "resolve", "reopen", "export", "plans", "adopt", "done", "close", "diff", "explain", "report",
        "rules", "test", "generate", "validate", "users", "add", "disable", "enable", "passwd", "serve", "help",
        // Values of flags, as they are typed (`--format json`, `--min-severity high`, `--role teacher`).
        "auto", "comma", "semicolon", "tab", "info", "low", "medium", "high", "critical", "table", "json", "csv",
        "ndjson", "compiled", "reference", "new", "persisting", "resolved", "reopened", "teacher", "deputy",
        "department", "admin", "district", "city", "region", "quarters", "trimesters", "half", "years", "builtin",
        // Placeholders of examples typed as they are (`--run A --run B`, `--seed N`).
        "A", "B", "N",
        // Roman numerals of periods («II четверть», «I полугодие»).
        "I", "II", "III", "IV",
        // The login of the account this test adds (logins are a–z).
        "ivanova",
        // Names of formats, programs and protocols.
        "CSV", "JSON", "XLSX", "xls", "HTML", "SQLite", "UTF", "BOM", "Excel", "HTTPS", "TLS", "Secure", "cookie",
        "bcrypt", "Ctrl", "C",
        // Keys of files, as they are written in them (manifest.yaml's `generated:`, a truth file's
        // `seed`, a rule's `key`), and the names of the built-in pack's parts (`VERSION`, `core`).
        "seed", "generated", "key", "VERSION", "core",
    ]

    /// What is typed as it is and so is left out before the words are checked: «…»-quoted
    /// values, `--flags` and `-h`, `builtin:` ids, file paths and names, ranges of letters
    /// («a–f»), `file:line:col` positions, words with a digit or an underscore (ids, codes,
    /// hashes, column names, MAYAK_USER) and the rule ids of the built-in pack.
    static func strip(_ text: String, ruleIDs: [String]) -> String {
        var t = text
        for id in ruleIDs.sorted(by: { $0.count > $1.count }) {
            t = t.replacingOccurrences(of: id, with: " ")
        }
        for pattern in [
            #"«[^»]*»"#,  // quoted values and names
            #"--[A-Za-z0-9][A-Za-z0-9-]*"#,  // flags
            #"(?<![\w-])-[A-Za-z]\b"#,  // short flags
            #"\b[A-Za-z]–[A-Za-z]\b"#,  // ranges of letters
            #"builtin:\S*"#,  // ids of the built-in files
            #"\S*/\S*"#,  // paths, URLs, «a/b» alternatives
            #"\S*=\S*"#,  // assignments (rule.parameter=value)
            #"[\w-]+\.[A-Za-z]{2,6}\b"#,  // file names (manifest.yaml, mayak.sqlite)
            #"\b\w*[0-9_]\w*\b"#,  // ids, codes, hashes, column names
        ] {
            t = t.replacingOccurrences(of: pattern, with: " ", options: .regularExpression)
        }
        return t
    }

    /// The words of Latin letters in `text` that are not allowed.
    private static func englishWords(in text: String, ruleIDs: [String]) -> [String] {
        let stripped = strip(text, ruleIDs: ruleIDs)
        var words: [String] = []
        var word = ""
        for c in stripped + " " {
            if c.isASCII && c.isLetter {
                word.append(c)
            } else {
                if !word.isEmpty && !allowed.contains(word) && !allowed.contains(word.lowercased()) {
                    words.append(word)
                }
                word = ""
            }
        }
        return words
    }

    /// Expects `text` to hold no English word, naming the first few and where they stand.
    private static func expectRussian(
        _ text: String, _ what: String, ruleIDs: [String], sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let english = englishWords(in: text, ruleIDs: ruleIDs)
        guard !english.isEmpty else { return }
        let lines = text.split(separator: "\n").filter { !englishWords(in: String($0), ruleIDs: ruleIDs).isEmpty }
        Issue.record(
            "\(what): English words \(Array(Set(english)).sorted().prefix(12)) in:\n\(lines.prefix(8).joined(separator: "\n"))",
            sourceLocation: sourceLocation)
    }

    static let ruleIDs: [String] = {
        guard let r = try? MayakBinary.run(["rules", "list"]) else { return [] }
        _ = r.status
        // The table's rows: the first column is the rule's id (small letters and hyphens).
        return r.stdout.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
            .filter { id in id.allSatisfy { ("a"..."z").contains($0) || $0 == "-" } }
    }()

    /// The commands named in a help screen's КОМАНДЫ: section.
    static func subcommands(in help: String) -> [String] {
        guard let start = help.range(of: "\nКОМАНДЫ:\n") else { return [] }
        // Its lines up to the first empty one; a command's name starts a line at the third column.
        return help[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false).prefix { !$0.isEmpty }
            .filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") }
            .compactMap { $0.split(separator: " ").first.map(String.init) }.filter { $0 != "help" }
    }

    @Test func theRuleIDsAreKnown() {
        #expect(Self.ruleIDs.contains("failing-two-subjects"), "\(Self.ruleIDs)")
    }

    @Test func everyHelpScreenIsRussian() throws {
        var queue: [[String]] = [[]]
        var seen = 0
        while let command = queue.first {
            queue.removeFirst()
            let r = try MayakBinary.run(command + ["--help"])
            #expect(r.status == 0, "mayak \(command.joined(separator: " ")) --help: \(r.stderr)")
            #expect(r.stderr.isEmpty)
            #expect(r.stdout.contains("ИСПОЛЬЗОВАНИЕ: mayak"), "\(r.stdout)")
            Self.expectRussian(r.stdout, "mayak \(command.joined(separator: " ")) --help", ruleIDs: Self.ruleIDs)
            // `mayak help COMMAND` says the same.
            let viaHelp = try MayakBinary.run(["help"] + command)
            #expect(viaHelp.status == 0)
            #expect(viaHelp.stdout == r.stdout, "mayak help \(command.joined(separator: " "))")
            for sub in Self.subcommands(in: r.stdout) { queue.append(command + [sub]) }
            seen += 1
        }
        // The program, its 16 commands, and those of alerts (9), plans (4), rules (2) and users (5).
        #expect(seen == 1 + 16 + 9 + 4 + 2 + 5)

        let root = try MayakBinary.ok(["--help"])
        #expect(root.stdout.hasPrefix("ОПИСАНИЕ: Маяк"))
        #expect(root.stdout.contains("\nКЛЮЧИ:\n"))
        #expect(root.stdout.contains("Показать версию."))
        #expect(root.stdout.contains("Показать справку."))
        #expect(root.stdout.contains("Подробно о команде: mayak help <команда>"))
        let scan = try MayakBinary.run(["scan", "--help"], environment: ["COLUMNS": "200"])
        #expect(scan.status == 0)
        #expect(scan.stdout.contains("\nИСПОЛЬЗОВАНИЕ: mayak scan [<ключи>] <снимок>\n"), "\(scan.stdout)")
        #expect(
            scan.stdout.contains(
                "\n  --encoding <кодировка>  Кодировка файлов CSV. (значения: auto, utf8, cp1251; по умолчанию: auto)\n"
            ))
        #expect(scan.stdout.contains("Сообщить не больше стольких ошибок. (по умолчанию: 200)"))
        #expect(scan.stdout.contains("\nАРГУМЕНТЫ:\n  <снимок>  "))
        // Wrapped to the terminal's width (COLUMNS), under the help of the option.
        let narrow = try MayakBinary.run(["scan", "--help"], environment: ["COLUMNS": "60"])
        #expect(narrow.status == 0)
        let lines = narrow.stdout.split(separator: "\n")
        #expect(lines.filter { $0.count > 60 }.count < 3, "\(narrow.stdout)")
        let under = String(repeating: " ", count: 26)
        #expect(lines.contains { $0.hasPrefix(under + "ошибок. (по умолчанию: 200)") }, "\(narrow.stdout)")
        let usage = try MayakBinary.run(["users", "add", "--help"], environment: ["COLUMNS": "60"])
        #expect(usage.status == 0)
        #expect(
            usage.stdout.contains("\n" + String(repeating: " ", count: 15) + "<имя>] --role <роль>"), "\(usage.stdout)")
        let version = try MayakBinary.ok(["--version"])
        #expect(version.stdout.hasPrefix("mayak "))
        #expect(version.stdout.contains("встроенный набор правил"))
    }

    @Test func usageErrorsAreRussianAndEndWithOne() throws {
        let cases: [(arguments: [String], message: String)] = [
            (["scan"], "ошибка: не хватает аргумента «<снимок>»\nСправка: <снимок>  Папка снимка"),
            (["scan", "d", "--frobnicate"], "ошибка: неизвестный ключ «--frobnicate»"),
            (
                ["scan", "d", "--formt", "json"],
                "ошибка: неизвестный ключ «--formt»; может быть, имелось в виду «--format»?"
            ),
            (["scan", "d", "--format"], "ошибка: нет значения ключа «--format <формат>»"),
            (
                ["scan", "d", "--format", "xml"],
                "ошибка: значение «xml» не подходит для «--format <формат>»; допустимы: «table», «json», «csv» или «ndjson»"
            ),
            (["scan", "d", "extra"], "ошибка: лишний аргумент «extra»"),
            (["frobnicate"], "ошибка: лишний аргумент «frobnicate»"),
            (["serve", "--snapshot", "d", "--port", "0"], "ошибка: --port 0: ожидалось число от 1 до 65\u{202F}535"),
            (
                ["generate", "--out", "d", "--as-of", "2026-02-30"],
                "ошибка: --as-of: ожидалась дата вида ГГГГ-ММ-ДД, а здесь «2026-02-30»"
            ),
            (["diff"], "ошибка: укажите два прогона (--run A --run B) или снимок и две версии правил"),
            (["test-rules", "--format", "json"], "ошибка: --format задаёт вид отчёта --mutate и без него не нужен"),
            (["plans", "done", "x", "1"], "ошибка: значение «x» не подходит для «<план>»"),
            (
                ["alerts", "list", "--status", "gone"],
                "ошибка: значение «gone» не подходит для «--status <статус>»; допустимы:"
            ),
        ]
        for (arguments, message) in cases {
            let r = try MayakBinary.run(arguments)
            #expect(r.status == 1, "mayak \(arguments.joined(separator: " ")): \(r.status)")
            #expect(r.stdout.isEmpty)
            #expect(r.stderr.hasPrefix(message), "mayak \(arguments.joined(separator: " ")):\n\(r.stderr)")
            #expect(r.stderr.contains("\nИспользование: mayak"), "\(r.stderr)")
            #expect(r.stderr.contains("  Подробнее: mayak"), "\(r.stderr)")
            Self.expectRussian(r.stderr, "mayak \(arguments.joined(separator: " "))", ruleIDs: Self.ruleIDs)
        }
    }

    @Test func whatTheCommandsPrintForTheDemoDistrictIsRussian() throws {
        let work = try MayakBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        let ids = Self.ruleIDs
        func russian(_ arguments: [String], stdin: String? = nil) throws {
            let r = try MayakBinary.run(arguments, in: work, input: stdin)
            #expect(r.status == 0, "mayak \(arguments.joined(separator: " ")): \(r.stderr)")
            #expect(!r.stdout.isEmpty || !r.stderr.isEmpty)
            Self.expectRussian(r.stdout + r.stderr, "mayak \(arguments.joined(separator: " "))", ruleIDs: ids)
        }
        let demo = try MayakBinary.ok(["demo"], in: work)
        #expect(demo.stdout.contains("Полный список: mayak scan СНИМОК"))
        Self.expectRussian(demo.stdout + demo.stderr, "mayak demo", ruleIDs: ids)
        try russian(["generate", "--out", "округ", "--truth", "условия.csv"])
        try russian(["check", "округ"])
        try russian(["scan", "округ", "--db", "h.sqlite", "--timings"])
        try russian(["scan", "округ", "--class", "SH02-7А", "--plans", "--db", "h.sqlite"])
        try russian(["runs", "--db", "h.sqlite"])
        try russian(["alerts", "list", "--db", "h.sqlite", "--school", "SH02"])
        try russian(["validate", "округ", "--truth", "условия.csv"])
        try russian(["rules", "list"])
        try russian(["test-rules"])
        try russian(["diff", "--run", "1", "--run", "2", "--db", "h.sqlite"])
        try russian(
            [
                "users", "add", "ivanova", "--role", "teacher", "--class", "SH02-7А", "--password-stdin", "--db",
                "h.sqlite",
            ], stdin: "пароль-учителя\n")
        try russian(["users", "list", "--db", "h.sqlite"])
        // Errors the commands themselves say.
        for (arguments, message) in [
            (["scan", "округ", "--school", "nowhere"], "ошибка: в снимке нет школы «nowhere»\n"),
            (["alerts", "show", "zzzz", "--db", "h.sqlite"], "ошибка: «zzzz» — не код предупреждения"),
            (
                ["alerts", "ack", "ffff0000", "--as", "Завуч", "--db", "h.sqlite"],
                "ошибка: ни одно предупреждение не начинается с «ffff0000»\n"
            ),
            (["runs", "--db", "none.sqlite"], "ошибка: none.sqlite: нет такой базы истории"),
            (
                ["users", "passwd", "nobody", "--password-stdin", "--db", "h.sqlite"],
                "ошибка: пароль короче 8 знаков\n"
            ),
        ] {
            let r = try MayakBinary.run(arguments, in: work, input: "short\n")
            #expect(r.status == 1, "mayak \(arguments.joined(separator: " ")): \(r.stderr)")
            #expect(r.stderr.hasPrefix(message), "mayak \(arguments.joined(separator: " ")):\n\(r.stderr)")
            Self.expectRussian(r.stderr, "mayak \(arguments.joined(separator: " "))", ruleIDs: ids)
        }
    }

    /// The checker itself: it finds English and lets the documented exceptions through.
    @Test func theCheckerFindsEnglishWords() {
        #expect(
            Self.englishWords(in: "ошибка: no such snapshot folder", ruleIDs: []) == [
                "no", "such", "snapshot", "folder",
            ])
        #expect(
            Self.englishWords(
                in:
                    "d/marks.csv:3:7: ошибка: «abc» — --format json, builtin:core, SH02-7А, a1b2c3d4, failing-two-subjects",
                ruleIDs: ["failing-two-subjects"]
            ).isEmpty)
    }
}
