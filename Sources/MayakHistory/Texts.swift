import MayakSnapshot

/// Every message of the history (its `HistoryError`s, the problems of an account or of an
/// alert's short id) in one place, so that the wording can be reviewed together. They follow
/// `ошибка: ` in the CLI and stand alone on the web pages: a small first letter, values quoted
/// «…», commands and flags as they are typed.
enum HistoryText {
    // MARK: - States and events, as every front end shows them

    static func status(_ s: LifecycleStatus) -> String {
        switch s {
        case .new: return "новое"
        case .persisting: return "сохраняется"
        case .resolved: return "снято"
        case .reopened: return "вернулось"
        }
    }
    static func triage(_ t: TriageState) -> String {
        switch t {
        case .open: return "открыто"
        case .acknowledged: return "принято в работу"
        case .dismissed: return "отклонено"
        case .resolved: return "решено"
        }
    }
    /// A triage event's kind (the store and JSON keep its id: `acknowledge`, `plan-adopted`).
    static func event(_ k: TriageEvent.Kind) -> String {
        switch k {
        case .acknowledge: return "принято в работу"
        case .assign: return "назначено"
        case .comment: return "комментарий"
        case .dismiss: return "отклонено"
        case .resolve: return "решено"
        case .reopen: return "открыто снова"
        case .planAdopted: return "принят план"
        case .planStepDone: return "выполнен пункт плана"
        case .planClosed: return "план закрыт"
        }
    }
    static func role(_ r: Account.Role) -> String {
        switch r {
        case .teacher: return "классный руководитель"
        case .deputy: return "заместитель директора"
        case .department: return "отдел образования"
        case .admin: return "администратор"
        }
    }
    static func accountEvent(_ k: AccountEvent.Kind) -> String {
        switch k {
        case .created: return "создана"
        case .disabled: return "отключена"
        case .enabled: return "включена"
        case .passwordChanged: return "пароль сменён"
        }
    }

    /// Parts of an alert's standing in one line («сохраняется, 3 нед., принято в работу»).
    static func weeksOpen(_ weeks: Int) -> String { "\(weeks) нед." }
    static func coveredByPlan(_ plan: Int64) -> String { "по плану №\(plan)" }
    static func assignedTo(_ name: String) -> String { "→ \(name)" }

    // MARK: - What the history writes into its events

    /// Why a dismissed alert opened again (kept with the alert's state).
    static func severityRose(from was: String, to now: String) -> String { "важность выросла: «\(was)» → «\(now)»" }
    static let worseThanDismissed = "стало хуже, чем при отклонении"
    static func reopened(_ because: String) -> String { "снова открыто: " + because }

    /// The detail of a plan's events in the history of the alerts it answers.
    static func planAdopted(_ plan: Int64, dropped: Int, changed: Int, added: Int) -> String {
        var edits: [String] = []
        if dropped > 0 { edits.append("исключено пунктов: \(dropped)") }
        if changed > 0 { edits.append("изменено: \(changed)") }
        if added > 0 { edits.append("добавлено: \(added)") }
        return "план №\(plan)" + (edits.isEmpty ? "" : " (" + edits.joined(separator: ", ") + ")")
    }
    static func planStepDone(_ plan: Int64, position: Int, action: String) -> String {
        "план №\(plan), пункт \(position): \(action)"
    }
    static func planClosedDetail(_ plan: Int64) -> String { "план №\(plan)" }

    /// What an account's creation records: its role and scope («классный руководитель; классы: SH01-5А»).
    static func accountCreated(role: Account.Role, school: String?, classes: [String]) -> String {
        var detail = self.role(role)
        if let school { detail += "; школа \(school)" }
        if !classes.isEmpty { detail += "; классы: " + classes.joined(separator: ", ") }
        return detail
    }

    // MARK: - What changed between two runs (`AlertDiff.table`)

    static func diffTotals(gained: Int, lost: Int, changed: Int, updated: Int, unchanged: Int) -> String {
        "Добавилось: \(Russian.number(gained)), снято: \(Russian.number(lost)), изменилась важность: \(Russian.number(changed)), остались (с новыми цифрами): \(Russian.number(updated)), без изменений: \(Russian.number(unchanged))"
    }
    static let diffByRule = "По правилам"
    static let diffBySchool = "По школам"
    static let diffByClass = "По классам"
    static func diffClass(school: String, className: String) -> String {
        className.isEmpty ? "\(school) (вся школа)" : "\(school), \(className)"
    }
    static let diffExamples = "Примеры:"

    // MARK: - Opening the history database

    static func isFolder(_ path: String) -> String { "\(path) — папка, а не база истории" }
    static func noSuchDatabase(_ path: String) -> String {
        "\(path): нет такой базы истории; сначала запишите в неё проверку (mayak scan СНИМОК --db \(path))"
    }
    static func notSQLite(_ path: String) -> String { "\(path) — не база истории (не файл SQLite)" }
    static func anotherProgram(_ path: String) -> String {
        "\(path) — база SQLite другой программы, а не история Маяка; Маяк её не изменит"
    }
    static func noHistoryYet(_ path: String) -> String {
        "в \(path) ещё нет истории; сначала запишите в неё проверку (mayak scan СНИМОК --db \(path))"
    }
    static func newerMayak(_ path: String, steps: [String]) -> String {
        "база \(path) записана более новой версией Маяка (шаги схемы \(steps.joined(separator: ", ")) этой версии неизвестны); обновите Маяк — эта версия базу не изменит"
    }
    static func olderMayak(_ path: String) -> String {
        "база \(path) записана более старой версией Маяка; команда, которая записывает или меняет историю (mayak scan … --db \(path)), сначала её обновит"
    }

    // MARK: - Alerts

    static func noAlert(fingerprint: String) -> String { "нет предупреждения с отпечатком \(fingerprint)" }

    /// A short id that is not one (`AlertID`).
    static func notAnAlertID(_ raw: String) -> String {
        "«\(raw)» — не код предупреждения: ожидалось от \(AlertID.minimumLength) до 16 символов 0–9, a–f (начало отпечатка)"
    }
    static func noAlertStarting(_ raw: String) -> String { "ни одно предупреждение не начинается с «\(raw)»" }
    static func ambiguousAlertID(_ raw: String, _ matching: [String]) -> String {
        let shown = matching.prefix(3).joined(separator: ", ") + (matching.count > 3 ? ", …" : "")
        return
            "«\(raw)» неоднозначно: так начинаются \(Russian.counted(matching.count, "предупреждение", "предупреждения", "предупреждений")) (\(shown)); укажите больше символов"
    }

    // MARK: - Plans

    static func noOpenPlan(_ plan: Int64) -> String { "нет действующего плана №\(plan)" }
    static func alreadyInForce(pupil: String, plan: Int64) -> String {
        "у ученика \(pupil) уже действует план №\(plan): сначала закройте его (mayak plans close \(plan))"
    }
    static func noItem(plan: Int64, position: Int) -> String { "в плане №\(plan) нет пункта \(position)" }
    static func planClosed(_ plan: Int64, at: String) -> String {
        "план №\(plan) закрыт \(Russian.moment(at)): его пункты больше не меняются"
    }
    static func alreadyDone(plan: Int64, position: Int, on: String, by: String) -> String {
        "пункт \(position) плана №\(plan) уже отмечен выполненным \(Russian.moment(on))\(by.isEmpty ? "" : " (\(by))")"
    }

    // MARK: - Accounts

    static func accountExists(_ login: String) -> String { "учётная запись «\(login)» уже есть" }
    static func noAccount(_ login: String) -> String { "нет учётной записи «\(login)»" }
    static let sessionExists = "сеанс с таким кодом уже есть"

    /// What is wrong with an account as given (`Account.problem`).
    static func badLogin(_ login: String) -> String {
        "логин «\(login)»: ожидалось от 2 до 64 символов a–z, 0–9, «.», «_», «-»"
    }
    static let teacherNeedsClass = "классному руководителю нужен хотя бы один класс: --class"
    static let deputyNeedsSchool = "заместителю директора нужна школа: --school"
    static let deputyHasNoClasses = "заместитель директора видит всю школу: --class не указывается"
    static func roleSeesAll(_ role: Account.Role) -> String {
        "роль «\(role.russian)» охватывает все школы: --school и --class не указываются"
    }
    static func badScopeID(_ id: String) -> String { "«\(id)» — не код школы или класса" }
}
