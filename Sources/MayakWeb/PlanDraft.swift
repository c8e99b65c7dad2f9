import Foundation
import MayakAlerts
import MayakHistory
import MayakSnapshot

/// The adoption form of an individual plan: the suggested steps, each kept or left out and
/// perhaps edited, then blank rows for steps of the school's own. Read back from the form it
/// becomes the plan's items, or says which row is wrong.
struct PlanDraft {
    struct Row {
        /// The suggestion's step this row shows (its deadline counted from today); nil for a
        /// row added by staff.
        var suggested: IndividualPlan.Item?
        var keep = true
        var action = ""
        var role = ""
        var who = ""
        /// As the form holds it: `YYYY-MM-DD` (a date input) or what was typed.
        var due = ""
        var check = ""
    }

    static let blankRows = 3
    static let maximumRows = 60
    var rows: [Row]

    /// The suggestion as the form first shows it. Its deadlines count from the snapshot's date;
    /// a plan adopted later gets them counted from `today`, so that no step starts overdue.
    init(suggestion: IndividualPlan?, asOf: Day, today: Day) {
        rows = PlanDraft.suggested(suggestion, asOf: asOf, today: today).map {
            Row(suggested: $0, action: $0.action, role: $0.role, due: $0.due.description, check: $0.check)
        }
        rows += Array(repeating: Row(), count: PlanDraft.blankRows)
    }

    static func suggested(_ suggestion: IndividualPlan?, asOf: Day, today: Day) -> [IndividualPlan.Item] {
        let shift = max(0, today - asOf)
        return (suggestion?.items ?? []).map {
            var item = $0
            item.due = item.due + shift
            return item
        }
    }

    /// The form as sent (fields `keep_K`, `action_K`, `role_K`, `who_K`, `due_K`, `check_K`;
    /// the first rows are the suggestion's, in its order).
    init(form: Form, suggestion: IndividualPlan?, asOf: Day, today: Day) {
        let suggested = PlanDraft.suggested(suggestion, asOf: asOf, today: today)
        let count = min(
            max(Int(form["rows"] ?? "") ?? 0, suggested.count + PlanDraft.blankRows), PlanDraft.maximumRows)
        rows = (0..<count).map { k in
            func field(_ name: String, _ limit: Int) -> String {
                String((form["\(name)_\(k)"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).prefix(limit))
            }
            return Row(
                suggested: k < suggested.count ? suggested[k] : nil,
                keep: k >= suggested.count || form["keep_\(k)"] != nil,
                action: field("action", 300), role: field("role", 200), who: field("who", 200), due: field("due", 20),
                check: field("check", 300))
        }
    }

    /// The plan's items and the suggested actions left out, or what to correct («Пункт 3: …»).
    func items(today: Day) -> Result<(items: [AdoptedPlan.Item], dropped: [String]), WebError> {
        var items: [AdoptedPlan.Item] = []
        var dropped: [String] = []
        for (k, row) in rows.enumerated() {
            let n = k + 1
            if let s = row.suggested, !row.keep {
                dropped.append(s.action)
                continue
            }
            let blank = row.action.isEmpty && row.role.isEmpty && row.who.isEmpty && row.check.isEmpty
            if row.suggested == nil && blank { continue }
            guard !row.action.isEmpty else {
                return .failure(.invalid("Пункт \(n): опишите мероприятие или очистите строку."))
            }
            guard !row.role.isEmpty || !row.who.isEmpty else {
                return .failure(.invalid("Пункт \(n): укажите, кто отвечает за мероприятие."))
            }
            guard let due = Day(row.due) else {
                return .failure(
                    .invalid(
                        row.due.isEmpty
                            ? "Пункт \(n): укажите срок." : "Пункт \(n): срок «\(row.due)» — не дата (ДД.ММ.ГГГГ)."))
            }
            // A step due before today would start overdue: a typing slip more often than not.
            if due < today {
                return .failure(.invalid("Пункт \(n): срок \(due.russian) уже прошёл."))
            }
            var origin = AdoptedPlan.Item.Origin.added
            if let s = row.suggested {
                // A name given to the step's role is what adoption asks for, not an edit.
                let same = row.action == s.action && row.role == s.role && row.check == s.check && due == s.due
                origin = same ? .suggested : .changed
            }
            items.append(
                AdoptedPlan.Item(
                    position: items.count + 1, action: row.action, role: row.role, responsible: row.who,
                    due: due.description, check: row.check.isEmpty ? "—" : row.check, origin: origin))
        }
        guard !items.isEmpty else { return .failure(.invalid("В плане нет ни одного мероприятия.")) }
        return .success((items, dropped))
    }
}
