import Foundation
import MayakAlerts
import MayakHistory
import MayakRules
import MayakSnapshot

/// Every message the CLI itself prints — errors, warnings, notices, table headers, summaries —
/// in one place so that the wording can be reviewed together. (The help screens are in `Help`;
/// the diagnostics of snapshots, rules and imports come from their modules.) Errors and
/// warnings start with a small letter after `ошибка: ` / `предупреждение: `; values and names
/// are quoted «…»; flags and ids stay as they are typed.
enum Messages {
    // MARK: - Errors and warnings

    static func error(_ text: String) -> String { "ошибка: \(text)" }
    static func warning(_ text: String) -> String { "предупреждение: \(text)" }
    /// A problem at a place of a file: `file:line:column: ошибка: …`.
    static func error(file: String, line: Int, column: Int, _ text: String) -> String {
        "\(file):\(line):\(column): ошибка: \(text)"
    }

    /// «; может быть, имелось в виду «x»?» when there is a close name.
    static func suggestion(_ name: String?) -> String { name.map { "; может быть, имелось в виду «\($0)»?" } ?? "" }

    // MARK: - What the snapshot has no such thing of

    static func noSchool(_ id: String) -> String { error("в снимке нет школы «\(id)»") }
    static func noClass(_ id: String) -> String { error("в снимке нет класса «\(id)»") }
    static func noPupil(_ id: String) -> String { error("в снимке нет ученика «\(id)»") }
    static func noRule(_ id: String, closest: String?) -> String {
        error("в наборе нет правила «\(id)»" + suggestion(closest))
    }

    // MARK: - Dates and values of flags

    static func badDate(flag: String, found: String) -> String {
        "\(flag): ожидалась дата вида ГГГГ-ММ-ДД, а здесь «\(found)»"
    }
    static func badCalendar(_ found: String) -> String {
        "--calendar: ожидалось quarters, trimesters или half-years (можно с классами, например trimesters/1-11), а здесь «\(found)»"
    }
    static func badSchoolYear(_ found: String) -> String {
        "--school-year: ожидался учебный год вида 2025/2026, а здесь «\(found)»"
    }
    static func badPlanItem(_ found: String) -> String {
        "--add: ожидалось \"мероприятие|роль|ГГГГ-ММ-ДД|как проверяется\" или \"…|как проверяется|кто\", а здесь «\(found)»"
    }
    static func badPort(_ port: Int) -> String {
        "--port \(port): ожидалось число от 1 до \(Russian.number(65535))"
    }
    static func badPageCache(_ megabytes: Int) -> String {
        "--page-cache \(megabytes): ожидалось число от 0 до \(Russian.number(16384)) (мегабайт)"
    }
    static let diffFormat = "--format: table или json"
    static let diffNeedsTwo = "укажите два прогона (--run A --run B) или снимок и две версии правил"
    static let diffNeedsVersions =
        "со снимком укажите две папки правил (--rules СТАРЫЕ --rules НОВЫЕ) или изменения параметров (--set, --overrides), чтобы сравнить"
    static let formatWithoutMutate = "--format задаёт вид отчёта --mutate и без него не нужен"

    // MARK: - Files and folders

    /// A refused output: `error` is a `FileError`, which names the path first.
    static func cannotWrite(_ error: any Error) -> String { self.error("не удалось записать \(error)") }
    static func cannotWriteReport(_ error: any Error) -> String { self.error("не удалось записать отчёт в \(error)") }
    static func cannotWriteReport(_ folder: String, _ why: String) -> String {
        error("не удалось записать отчёт в \(folder): \(why)")
    }
    static func cannotRead(_ path: String) -> String { error("не удалось прочитать \(path)") }
    static func cannotCreateTemporaryFolder(_ code: Int32) -> String {
        error("не удалось создать временную папку: \(system(code))")
    }
    /// What the system said (`errno`): the usual cases in Russian, any other as it words it.
    static func system(_ code: Int32) -> String {
        switch code {
        case ENOENT: return "нет такой папки"
        case EACCES, EPERM: return "нет доступа"
        case ENOSPC: return "на диске нет места"
        case EROFS: return "файловая система только для чтения"
        default: return String(cString: strerror(code))
        }
    }
    static func cannotExportRules(_ folder: String, _ why: String) -> String {
        error("не удалось выгрузить правила в \(folder): \(why)")
    }
    static let rulesExportExists = "в папке уже есть выгрузка правил, возможно с правками; назовите новую папку"
    static let readXLSToTerminal = error("read-xls пишет двоичные данные для mayak import; перенаправьте его вывод")

    // MARK: - The history

    /// An error opening the history at `path`: the history's own errors name it already.
    static func store(_ error: any Error, _ path: String) -> String {
        error is HistoryError ? self.error("\(error)") : self.error("\(path): \(error)")
    }
    static let whoAreYou = error("скажите, кто вы: --as ИМЯ или переменная MAYAK_USER")
    static func noAlert(_ id: String, in db: String) -> String { error("в \(db) нет предупреждения «\(id)»") }
    static func noRun(_ id: Int64, in db: String) -> String { error("в \(db) нет прогона №\(id)") }
    static func cannotRecord(_ path: String, _ why: any Error) -> String {
        error("не удалось записать прогон в \(path): \(why)")
    }
    static func sharedFingerprints(rule: String, extra: Int) -> String {
        warning(
            "правило «\(rule)» выдало предупреждения с одним и тем же отпечатком (ещё \(Russian.number(extra)) сверх первого: поле key правила их не различает — это недочёт правила); в историю записано только первое"
        )
    }
    static func recorded(run: Int64, path: String, alerts: Int, new: Int, resolved: Int) -> String {
        "Прогон №\(run) записан в \(path): предупреждений \(Russian.number(alerts)), новых \(Russian.number(new)), снято \(Russian.number(resolved))"
    }
    /// The district's parameters the history holds, said when a command applies them.
    static func settingsInForce(_ s: RuleSettings) -> String {
        "Параметры правил из истории: версия №\(s.id) от \(Russian.moment(s.at)), \(s.actor): "
            + (s.assignments.isEmpty ? "как в файлах правил" : s.assignments.joined(separator: ", "))
    }
    /// Where a setting from the history came from, as diagnostics name it (in place of a file).
    static func settingsOrigin(_ s: RuleSettings) -> String { "параметры правил №\(s.id) из истории" }

    // MARK: - scan

    static func timings(
        load: TimeInterval, index: TimeInterval, rules: TimeInterval, alerts: TimeInterval, output: TimeInterval,
        total: TimeInterval
    ) -> String {
        func s(_ t: TimeInterval) -> String { Russian.fixed(t, places: 3) + " с" }
        return
            "время: загрузка \(s(load)), индекс \(s(index)), правила \(s(rules)), предупреждения и планы \(s(alerts)), вывод \(s(output)), всего \(s(total))"
    }
    static func plansHeading(_ count: Int) -> String { "\nИндивидуальные планы (\(Russian.number(count))):\n\n" }

    // MARK: - runs

    /// One recorded run in a line.
    static func run(_ r: RunInfo) -> String {
        var line =
            "№\(r.id)  \(Russian.moment(r.recordedAt))  данные на \(Russian.moment(r.asOf))  правил \(Russian.number(r.ruleCount)) (\(r.rulesVersion), \(r.rulesHash))  предупреждений \(Russian.number(r.alertCount))  загрузка \(Russian.number(r.loadMilliseconds)) мс, проверка \(Russian.number(r.scanMilliseconds)) мс"
        if !r.scope.isEmpty { line += "  [\(runScope(r.scope))]" }
        if !r.overrides.isEmpty { line += "  {\(runOverrides(r.overrides))}" }
        return line
    }

    /// A run's recorded scope (`school=SCH1; class=C5A`) as people read it («школа SCH1; класс C5A»).
    static func runScope(_ recorded: String) -> String {
        recorded.components(separatedBy: "; ").map { part in
            if part.hasPrefix("school=") { return "школа " + part.dropFirst("school=".count) }
            if part.hasPrefix("class=") { return "класс " + part.dropFirst("class=".count) }
            return part
        }.joined(separator: "; ")
    }

    /// A run's recorded parameters (`settings=3; rule.p=v overrides=FILE`, `web: NAME`) as people
    /// read them («параметры №3 из истории; rule.p=v; файл параметров FILE», «из браузера: NAME»).
    static func runOverrides(_ recorded: String) -> String {
        var text = recorded
        var file: String?
        if let range = text.range(of: " overrides=")
            ?? (text.hasPrefix("overrides=") ? text.range(of: "overrides=") : nil)
        {
            file = String(text[range.upperBound...])
            text = String(text[..<range.lowerBound])
        }
        var parts = text.components(separatedBy: "; ").filter { !$0.isEmpty }.map { part -> String in
            if part.hasPrefix("settings=") { return "параметры №\(part.dropFirst("settings=".count)) из истории" }
            if part.hasPrefix("web: ") { return "из браузера: \(part.dropFirst("web: ".count))" }
            return part
        }
        if let file { parts.append("файл параметров \(file)") }
        return parts.joined(separator: "; ")
    }

    // MARK: - alerts

    static func alertCount(_ n: Int) -> String { "Предупреждений: \(Russian.number(n))" }
    static func alertGroup(school: String, className: String) -> String {
        className.isEmpty ? school : "\(school), \(className) класс"
    }
    static func alertLine(_ a: TrackedAlert) -> String {
        let l = a.latest
        return
            "  \(l.fingerprint)  [\(l.severity.russian)] \(l.subjectKind == "pupil" ? l.subjectName + ": " : "")\(l.message)"
    }
    static func alertRuleAndStatus(_ a: TrackedAlert) -> String { "      \(a.latest.ruleID); \(a.statusText)" }
    static func alertHeading(_ a: TrackedAlert) -> String {
        let l = a.latest
        let place = l.className.isEmpty ? l.schoolName : "\(l.className) класс, \(l.schoolName)"
        return "\(l.ruleTitle) [\(l.severity.russian)] — \(l.subjectName) (\(l.subjectID)), \(place)"
    }
    static func evidence(_ text: String) -> String { "Доказательства: \(text)" }
    static func alertStatus(_ a: TrackedAlert) -> String {
        "Статус: \(a.statusText); впервые в прогоне №\(a.firstRun), последний раз в №\(a.lastRun)"
    }
    static func planOfAlert(_ p: AdoptedPlan) -> String {
        "План №\(p.id) (принят \(Russian.moment(p.adoptedAt)), \(p.adoptedBy)):"
    }
    static func planItemOfAlert(_ i: AdoptedPlan.Item) -> String {
        "  \(i.position). \(i.action) — \(i.role), до \(Russian.moment(i.due))\(i.doneOn.map { " ✔ \(Russian.moment($0))" } ?? "")"
    }
    static let history = "История:"
    static func event(_ e: TriageEvent) -> String {
        "  \(Russian.moment(e.at)) \(e.actor): \(e.kind.russian)\(e.detail.isEmpty ? "" : " — \(e.detail)")"
    }
    static func triaged(_ fingerprint: String, _ a: TrackedAlert) -> String { "\(fingerprint): \(a.statusText)" }
    static let exportHeader = [
        "Школа", "Класс", "Тип", "Код", "ФИО / объект", "Правило", "Важность", "Сообщение", "Доказательства",
        "Статус", "Недель", "Решение", "Ответственный", "Отпечаток",
    ]

    // MARK: - plans

    static func noSuggestedPlan(_ pupil: String) -> String {
        error("у ученика «\(pupil)» нет предупреждений, поэтому нет и предложенного плана")
    }
    static func scanNotRecorded(db: String, missing: Int) -> String {
        error(
            "сначала запишите проверку (mayak scan СНИМОК --db \(db)): в истории нет \(Russian.counted(missing, "предупреждения", "предупреждений", "предупреждений")) ученика"
        )
    }
    static func planAdopted(_ id: Int64, items: Int, alerts: Int) -> String {
        "План №\(id) принят: \(Russian.counted(items, "мероприятие", "мероприятия", "мероприятий")); охватывает \(Russian.counted(alerts, "предупреждение", "предупреждения", "предупреждений"))"
    }
    static func itemDone(plan: Int64, item: Int) -> String { "План №\(plan), пункт \(item): выполнен" }
    static func planClosed(_ plan: Int64) -> String { "План №\(plan) закрыт" }
    static func plan(_ p: AdoptedPlan) -> String {
        "План №\(p.id): \(p.pupilName) (\(p.pupilID)), принят \(Russian.moment(p.adoptedAt)) (\(p.adoptedBy))\(p.closedAt.map { ", закрыт \(Russian.moment($0))" } ?? ", действует")"
    }
    static func planItem(_ i: AdoptedPlan.Item) -> String {
        "  \(i.position). \(i.action) — \(i.role)\(i.responsible.isEmpty ? "" : " (\(i.responsible))"), до \(Russian.moment(i.due)); контроль: \(i.check)\(i.doneOn.map { " — выполнено \(Russian.moment($0))" } ?? "")"
    }
    static func planAlert(_ fingerprint: String, _ a: TrackedAlert) -> String {
        "  ⟵ \(fingerprint) [\(a.latest.severity.russian)] \(a.latest.message) — \(a.statusText)"
    }

    // MARK: - demo

    static func demoDistrict(schools: Int, pupils: Int, marks: Int, seconds: Double) -> String {
        "Демо-округ: \(Russian.counted(schools, "школа", "школы", "школ")), \(Russian.counted(pupils, "ученик", "ученика", "учеников")), \(Russian.counted(marks, "отметка", "отметки", "отметок")) (сгенерировано за \(Russian.fixed(seconds, places: 1)) с)\n"
    }
    static func demoScan(rules: Int, seconds: Double, alerts: Int) -> String {
        "Проверка правилами (\(Russian.counted(rules, "правило", "правила", "правил")), \(Russian.fixed(seconds, places: 2)) с): предупреждений \(Russian.number(alerts))"
    }
    static func demoSeverity(_ severity: Severity, _ count: Int) -> String {
        "  \(severity.russian): \(Russian.number(count))"
    }
    static let demoByRule = "\nПо правилам:"
    static func demoRule(_ id: String, _ count: Int, _ title: String) -> String {
        "  \(id): \(Russian.number(count)) — \(title)"
    }
    static let demoBySchool = "\nПо школам:"
    static func demoSchool(_ name: String, alerts: Int, pupils: Int, critical: Int) -> String {
        "  \(name): предупреждений \(Russian.number(alerts)), учеников в списке \(Russian.number(pupils)), критических \(Russian.number(critical))"
    }
    static func demoPlans(_ count: Int) -> String {
        "\nИндивидуальных планов предложено: \(Russian.number(count)). Примеры:\n"
    }
    static let demoNext = "Полный список: mayak scan СНИМОК (--format json|csv|ndjson, --school, --class, --plans)."
    static func demoKept(_ folder: String) -> String { "\nСнимок сохранён: \(folder)" }

    // MARK: - diff

    static func diffRules(
        snapshot: String, asOf: String, old: String?, new: String?, assignments: [String], overrides: String?
    ) -> String {
        let what =
            if let old, let new { "\(old) → \(new)" } else {
                "без изменений параметров → \(assignments.joined(separator: ", "))\(overrides.map { " \($0)" } ?? "")"
            }
        return "Сравнение правил на снимке \(snapshot) (\(asOf)): \(what)"
    }
    static func diffRuns(_ before: Int64, _ after: Int64) -> String { "Прогон №\(before) → №\(after)" }

    // MARK: - explain

    static func explainPupil(name: String, id: String, className: String, school: String) -> String {
        "\(name) (\(id)), \(className) класс, \(school)"
    }
    static func explainRule(_ id: String, scope: String, fired: Bool) -> String {
        "\n\(fired ? "✔" : "—") \(id) [\(scope)]: \(fired ? "сработало" : "не сработало")"
    }
    static func explainFinding(_ severity: Severity, _ message: String) -> String {
        "    [\(severity.russian)] \(message)"
    }
    static func explainFault(_ message: String) -> String { "    ✘ не удалось вычислить: \(message)" }
    static func explainParameters(_ list: String) -> String { "    параметры: \(list)" }
    static func explainItem(_ variable: String, _ value: String) -> String { "    для \(variable) = \(value):" }
    /// What the last line of a failed explain says would happen in a scan.
    static let explainConsequence = "проверка остановилась бы на этом"

    // MARK: - generate

    static func generated(folder: String, schools: Int, classes: Int, pupils: Int, marks: Int) -> String {
        "Снимок записан в \(folder): \(Russian.counted(schools, "школа", "школы", "школ")), \(Russian.counted(classes, "класс", "класса", "классов")), \(Russian.counted(pupils, "ученик", "ученика", "учеников")), \(Russian.counted(marks, "отметка", "отметки", "отметок"))"
    }
    static func generatedSize(megabytes: Double, seconds: Double) -> String {
        "\(Russian.fixed(megabytes, places: 1)) МБ за \(Russian.fixed(seconds, places: 2)) с (\(Russian.fixed(megabytes / max(seconds, 0.001), places: 1)) МБ/с)"
    }

    // MARK: - import

    static let importWouldWriteNothing = "ничего не было бы записано"
    static func importWroteNothing(_ folder: String) -> String {
        "ничего не записано; папка \(folder) осталась как была"
    }
    /// The snapshot's tables, as the import's changes name them.
    static let importTables = [
        "marks": "отметки", "attendance": "пропуски", "period_marks": "отметки за период",
        "vpr_results": "результаты ВПР",
    ]
    static func importSource(file: String, kind: String, layout: String) -> String { "\(file): \(kind), \(layout)" }
    static func importChange(table: String, classID: String, added: Int, removed: Int) -> String {
        "  \(importTables[table] ?? table), \(classID): +\(Russian.number(added)) −\(Russian.number(removed))"
    }
    static func importNewPupils(_ n: Int) -> String { "  новых учеников: \(Russian.number(n))" }
    static func importMoved(_ text: String) -> String { "  перевод в другой класс: \(text)" }
    static let importInferences = "Допущения:"
    static func importInference(_ text: String) -> String { "  – \(text)" }
    static func importDryRun(pupils: Int) -> String {
        "Проверка без записи: в снимке было бы \(Russian.counted(pupils, "ученик", "ученика", "учеников")); ничего не записано."
    }
    static func imported(_ folder: String, pupils: Int, asOf: String) -> String {
        "Снимок \(folder) записан: \(Russian.counted(pupils, "ученик", "ученика", "учеников")), дата среза \(asOf)."
    }

    // MARK: - report

    static func reportWritten(folder: String, pages: Int, pupilPages: Int, megabytes: Double, seconds: Double)
        -> String
    {
        "Отчёт: \(folder)/index.html — страниц \(Russian.number(pages)) (учеников: \(Russian.number(pupilPages))), \(Russian.fixed(megabytes, places: 1)) МБ, \(Russian.fixed(seconds, places: 1)) с"
    }

    // MARK: - rules

    static func rulesExported(_ count: Int, version: String, folder: String) -> String {
        "Выгружено \(Russian.counted(count, "правило", "правила", "правил")) набора \(version) в \(folder). Запуск с ними: mayak scan СНИМОК --rules \(folder)"
    }
    static func rulePack(version: String, hash: String, rules: Int) -> String {
        "Набор правил \(version), хеш \(hash); правил: \(Russian.number(rules))"
    }
    static let ruleListHeader = ["Код", "Важность", "Уровень", "Название"]

    // MARK: - test-rules

    static func casePassed(rule: String, name: String) -> String { "пройден  \(rule): \(name)" }
    static func caseFailed(rule: String, name: String, file: String, line: Int) -> String {
        "ПРОВАЛЕН \(rule): \(name) (\(file):\(line))"
    }
    static func caseDetail(_ text: String) -> String { "         \(text)" }
    static func untested(_ rule: String) -> String { "ПРОВАЛЕН \(rule): у правила нет тестовых случаев" }
    static func testSummary(passed: Int, failed: Int) -> String {
        "Тестовых случаев пройдено: \(Russian.number(passed)), провалено: \(Russian.number(failed))"
    }
    /// The word of a surviving mutant's line, in the place of a severity (`file:line:col: выжил: …`).
    static let survived = "выжил"
    static func survivorAt(_ text: String) -> String { "\n    примечание: в «\(text)»" }

    // MARK: - users

    static let noPasswordOnInput = error("--password-stdin: на стандартном вводе нет пароля")
    static let passwordOnInput = error("пароль передаётся через стандартный ввод: укажите --password-stdin")
    static func noAccount(_ login: String) -> String { error("нет учётной записи «\(login)»") }
    /// Who the account events name for a change from the command line: the system user.
    static func commandLineActor(_ user: String) -> String { "командная строка (\(user))" }
    static func accountAdded(_ login: String, role: Account.Role) -> String {
        "Учётная запись \(login) (\(role.russian)) создана"
    }
    static let noAccounts = "Учётных записей нет"
    static func account(_ a: Account) -> String {
        let scope = ([a.schoolID.map { "школа \($0)" }] + a.classIDs.map { "класс \($0)" }).compactMap { $0 }
        return "\(a.login)  \(a.name)  \(a.role.russian)\(scope.isEmpty ? "" : "  (\(scope.joined(separator: ", ")))")"
            + "  \(a.disabled ? "отключена" : "действует")"
    }
    static func accountDisabled(_ login: String, _ disabled: Bool) -> String {
        "Учётная запись \(login) \(disabled ? "отключена" : "снова действует")"
    }
    static func passwordChanged(_ login: String) -> String { "Пароль учётной записи \(login) изменён" }

    // MARK: - serve

    static func noAccountsYet(_ db: String) -> String {
        warning("в \(db) ещё нет учётных записей: добавьте их командой mayak users add")
    }
    static func serving(host: String, port: Int) -> String { "Маяк: http://\(host):\(port)/ (остановить: Ctrl+C)\n" }
    static func serverStopped(host: String, port: Int, _ why: any Error) -> String {
        error("сервер на \(host):\(port) остановился: \(why)")
    }

    // MARK: - validate

    static let notGenerated =
        "снимок сделан не командой mayak generate (в manifest.yaml нет generated:), а validate сверяет с тем, что заложил генератор"
    static let truthWithoutSeed =
        "в файле нет столбцов seed и as_of (его писала прежняя версия Маяка); сгенерируйте снимок и файл заново одной командой: mayak generate --truth ФАЙЛ --out ПАПКА"
    static func truthOfSeed(_ seed: String, _ day: String) -> String { "seed \(seed) на \(day)" }
    static func truthOfAnother(_ made: [String], seed: UInt64, asOf: String) -> String {
        "файл --truth написан для снимка \(made.joined(separator: ", ")), а этот снимок — seed \(seed) на \(asOf); сделайте их одной командой: mayak generate --seed N --as-of ДАТА --truth ФАЙЛ --out ПАПКА"
    }
    static func truthMismatch(_ truth: String, _ problem: String) -> String { error("\(truth): \(problem)") }
}
