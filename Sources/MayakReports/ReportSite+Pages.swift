import Foundation
import MayakAlerts
import MayakEngine
import MayakRules
import MayakSnapshot

extension ReportSite {
    // MARK: - School

    func schoolPage(_ sc: Int) -> String {
        let s = snapshot
        let name = s.schools.name[sc]
        let f = summary.schools[sc].figures
        let schoolClasses = classes.filter { Int(s.classes.school[$0]) == sc }
            .sorted { (s.classes.grade[$0], s.classes.letter[$0]) < (s.classes.grade[$1], s.classes.letter[$1]) }
        return Page.render(title: name, breadcrumbs: [(summary.district, "index.html"), (name, nil)]) { h in
            h.element(
                "p", [],
                "Успеваемость \(ReportSite.pct(f.successRate)) %, качество знаний \(ReportSite.pct(f.qualityRate)) %, СОУ \(ReportSite.pct(f.degreeOfLearning)) %, неуспевающих \(f.failing) из \(f.assessed) (итоги периода: \(summary.periodNames.joined(separator: ", ")))."
            )
            let schoolAlerts = alerts(school: sc).filter { $0.subject.kind == .school }
            for a in schoolAlerts { alertBlock(a, &h) }
            h.element("h2", [], "Классы")
            h.table(
                [
                    "Класс", "Классный руководитель", "Учеников", "Успеваемость, %", "Качество, %", "СОУ, %",
                    "Неуспевающих",
                    "Учеников в списке", "Критических", "Высокой важности",
                ],
                schoolClasses.map { c in
                    let period = index.lastFinishedPeriod[Int(s.classes.grade[c])]
                    let fig = index.figures(pupils: index.classPupils[c], period: { _ in period })
                    let list = alerts(class: c)
                    return [
                        HTML.Cell(s.classes.displayName(c), link: ReportSite.link(classFile(c))),
                        HTML.Cell(staffName(s.classes.classTeacher[c])),
                        .number(String(index.classPupils[c].count)), .number(ReportSite.pct(fig.successRate)),
                        .number(ReportSite.pct(fig.qualityRate)),
                        .number(ReportSite.pct(fig.degreeOfLearning)), .number(String(fig.failing)),
                        .number(String(Set(list.compactMap(\.subject.pupilIndex)).count)),
                        .number(String(list.filter { $0.severity == .critical }.count)),
                        .number(String(list.filter { $0.severity == .high }.count)),
                    ]
                })
            objectivity(schoolClasses, &h)
        }
    }

    /// ВПР objectivity: «понизили» / «подтвердили» / «повысили» by class and subject — never
    /// by teacher: ВПР results may not be used to rate teachers.
    func objectivity(_ classList: [Int], _ h: inout HTML) {
        let s = snapshot
        let year = s.manifest.schoolYear.springYear - 1
        h.element("h2", [], "Объективность ВПР \(year) г.")
        h.element(
            "p", [("class", "note")],
            "Сравнение отметки за ВПР с отметкой в журнале за последний период перед ВПР, по классам (нынешний состав класса) и предметам. Результаты ВПР не используются для оценки работы учителей."
        )
        var rows: [[HTML.Cell]] = []
        for c in classList {
            var bySubject: [Int32: (lower: Int, same: Int, higher: Int)] = [:]
            var order: [Int32] = []
            for p in index.classPupils[c] {
                for r in index.vpr(ofPupil: p) {
                    let i = Int(r)
                    guard Int(s.vprResults.year[i]) == year, s.vprResults.journalMark[i] > 0 else { continue }
                    let subject = s.vprResults.subject[i]
                    if bySubject[subject] == nil { order.append(subject) }
                    var t = bySubject[subject, default: (0, 0, 0)]
                    let vpr = s.vprResults.mark[i]
                    let journal = s.vprResults.journalMark[i]
                    if vpr < journal { t.lower += 1 } else if vpr == journal { t.same += 1 } else { t.higher += 1 }
                    bySubject[subject] = t
                }
            }
            for subject in order {
                let t = bySubject[subject]!
                let n = t.lower + t.same + t.higher
                func share(_ k: Int) -> String {
                    "\(k) (\(Evaluator.format(100 * Double(k) / Double(n), digits: 0)) %)"
                }
                rows.append([
                    HTML.Cell(s.classes.displayName(c)), HTML.Cell(s.subjects[subject]), .number(String(n)),
                    HTML.Cell(share(t.lower), [("class", t.lower * 100 >= n * 40 ? "num down" : "num")]),
                    .number(share(t.same)), .number(share(t.higher)),
                ])
            }
        }
        if rows.isEmpty {
            h.element("p", [("class", "note")], "Нет результатов ВПР \(year) г. с журнальными отметками.")
        } else {
            h.table(["Класс", "Предмет", "Участников", "Понизили", "Подтвердили", "Повысили"], rows)
        }
    }

    // MARK: - Class

    func classPage(_ c: Int) -> String {
        let s = snapshot
        let sc = Int(s.classes.school[c])
        let title = "\(s.classes.displayName(c)) класс"
        let list = alerts(class: c)
        return Page.render(
            title: title,
            breadcrumbs: [
                (summary.district, "index.html"), (s.schools.name[sc], ReportSite.link(schoolFile(sc))), (title, nil),
            ]
        ) { h in
            h.element(
                "p", [],
                "Классный руководитель: \(staffName(s.classes.classTeacher[c])). Учеников: \(index.classPupils[c].count). Данные на \(summary.asOf.russian)."
            )
            for a in list where a.subject.kind == .class { alertBlock(a, &h) }
            h.element("h2", [], "Список на неделю")
            if let history, let last = history.runs.last {
                h.element(
                    "p", [("class", "note")],
                    "Изменения — по истории прогонов (последний: №\(last.id), данные на \(Day(last.asOf)?.russian ?? last.asOf))."
                )
            } else {
                h.element(
                    "p", [("class", "note")],
                    "Изменения с прошлой недели показываются, когда прогоны сохраняются в истории (mayak scan --db, mayak report --db); для этого отчёта истории нет."
                )
            }
            let pupils: [Int] = index.classPupils[c].map { Int($0) }.filter { byPupil[$0] != nil }
            func weight(_ p: Int) -> (Int, Int, Int) {
                let mine = byPupil[p] ?? []
                return (mine.map(\.severity.rank).max() ?? 0, mine.count, -p)
            }
            let ranked = pupils.sorted { weight($0) > weight($1) }
            if ranked.isEmpty { h.element("p", [], "Предупреждений по ученикам нет.") }
            h.block("table") { h in
                h.block("thead") { h in
                    h.block("tr") { h in
                        for t in ["Ученик", "Важность", "Предупреждения", "Изменения"] { h.element("th", [], t) }
                    }
                }
                h.block("tbody") { h in
                    for p in ranked {
                        let mine = (byPupil[p] ?? []).sorted { $0.severity > $1.severity }
                        h.block("tr") { h in
                            h.block("td") { h in
                                if hasPage(p) {
                                    h.element("a", [("href", ReportSite.link(pupilFile(p)))], pupilName(p))
                                } else {
                                    h.text(pupilName(p))
                                }
                            }
                            h.block("td") { h in h.raw(ReportSite.badge(mine[0].severity)) }
                            h.block("td") { h in
                                for a in mine { h.element("div", [], "\(a.severity.russian): \(a.message)") }
                            }
                            h.block("td") { h in
                                for a in mine { h.element("div", [], history == nil ? "—" : change(a)) }
                            }
                        }
                    }
                }
            }
            let quiet = index.classPupils[c].count - ranked.count
            h.element(
                "p", [("class", "note")],
                "Без предупреждений: \(Russian.number(quiet)) \(Russian.plural(quiet, "ученик", "ученика", "учеников"))."
            )
            if let history {
                let resolved = history.resolvedLastRun.filter {
                    $0.classID == s.classes.id[c] && $0.subjectKind == "pupil"
                }
                h.element("h2", [], "Снято с прошлой недели: \(resolved.count)")
                h.block("ul") { h in
                    for a in resolved {
                        let who = s.pupils.id.firstIndex(of: a.subjectID).map { pupilName($0) } ?? "—"
                        h.element("li", [], "\(who): \(a.ruleTitle)")
                    }
                }
            }
        }
    }

    // MARK: - Pupil

    func pupilPage(_ plan: IndividualPlan) -> String {
        let s = snapshot
        let p = plan.pupilIndex
        let c = Int(s.pupils.classIndex[p])
        let sc = Int(s.classes.school[c])
        let name = pupilName(p)
        let mine = (byPupil[p] ?? []).filter { $0.subject.kind == .pupil }
        return Page.render(
            title: name,
            breadcrumbs: [
                (summary.district, "index.html"), (s.schools.name[sc], ReportSite.link(schoolFile(sc))),
                ("\(s.classes.displayName(c)) класс", ReportSite.link(classFile(c))), (name, nil),
            ]
        ) { h in
            h.element(
                "p", [],
                "\(s.classes.displayName(c)) класс, \(s.schools.name[sc]). Классный руководитель: \(staffName(s.classes.classTeacher[c]))."
            )
            h.element("h2", [("class", "screen-only")], "Предупреждения")
            h.block("div", [("class", "screen-only")]) { h in for a in mine { alertBlock(a, &h) } }
            h.element("h2", [("class", "screen-only")], "Отметки по предметам")
            h.block("div", [("class", "screen-only")]) { h in timelines(p, &h) }
            planDocument(plan, &h)
        }
    }

    func timelines(_ p: Int, _ h: inout HTML) { Self.timelines(snapshot, index, p, &h) }

    /// A pupil's marks, one timeline per subject (SVG, with the period marks), as HTML: the
    /// report's pupil page and the web app's show the same.
    public static func timelinesHTML(_ s: Snapshot, _ index: SnapshotIndex, pupil p: Int) -> String {
        var h = HTML()
        timelines(s, index, p, &h)
        return h.text
    }

    static func timelines(_ s: Snapshot, _ index: SnapshotIndex, _ p: Int, _ h: inout HTML) {
        let grade = index.grade(ofPupil: Int32(p))
        let periods = s.manifest.assessmentPeriods(grade: grade)
        let rows = index.marks(ofPupil: Int32(p))
        var subjects: [Int32] = index.classSubjectRows[Int(s.pupils.classIndex[p])].map {
            s.classSubjects.subject[Int($0)]
        }
        for r in rows where !subjects.contains(Int32(s.marks.subject[Int(r)])) {
            subjects.append(Int32(s.marks.subject[Int(r)]))
        }
        if rows.isEmpty && index.periodMarks(ofPupil: Int32(p)).isEmpty {
            h.element(
                "p", [("class", "note")], grade == 1 ? "В 1 классе отметки не ставятся." : "Отметок в этом снимке нет.")
            return
        }
        for subject in subjects {
            let marks = rows.filter { s.marks.subject[Int($0)] == subject }.map {
                r -> (day: Day, value: Int?, text: String, weight: Double) in
                let v = MarkValue(raw: s.marks.value[Int(r)])
                return (Day(number: s.marks.date(Int(r))), v.numeric, v.description, s.marks.weight.value(Int(r)))
            }
            var periodMarks: [String: String] = [:]
            for r in index.periodMarks(ofPupil: Int32(p)) where s.periodMarks.subject[Int(r)] == subject {
                periodMarks[s.manifest.periods[Int(s.periodMarks.period[Int(r)])].id] =
                    MarkValue(raw: s.periodMarks.value[Int(r)]).description
            }
            if marks.isEmpty && periodMarks.isEmpty { continue }
            let numeric = marks.compactMap(\.value)
            let mean = numeric.isEmpty ? "—" : Evaluator.format(Double(numeric.reduce(0, +)) / Double(numeric.count))
            h.element("h3", [], "\(s.subjects[subject]): отметок \(marks.count), средний балл \(mean)")
            h.raw(
                Charts.timeline(
                    marks: marks, periods: periods, periodMarks: periodMarks, start: s.manifest.schoolYear.start,
                    end: s.manifest.asOf))
        }
    }

    /// The suggested individual plan as a printable ИОМ (a draft: the steps and roles as
    /// the rules suggest them).
    func planDocument(_ plan: IndividualPlan, _ h: inout HTML) {
        let s = snapshot
        let p = plan.pupilIndex
        let c = Int(s.pupils.classIndex[p])
        let sc = Int(s.classes.school[c])
        let lastDue = plan.items.map(\.due).max() ?? summary.asOf
        let review = max(summary.asOf + 30, lastDue + 7)
        var goals: [String] = []
        for item in plan.items where !goals.contains(item.check) { goals.append(item.check) }
        let form = PlanForm(
            title: "Индивидуальный образовательный маршрут (проект)", pupil: pupilName(p),
            className: s.classes.displayName(c), school: s.schools.name[sc],
            classTeacher: staffName(s.classes.classTeacher[c]), from: summary.asOf, review: review, gaps: plan.gaps,
            goals: goals,
            steps: plan.items.map {
                PlanForm.Step(action: $0.action, responsible: $0.role, due: $0.due, check: $0.check)
            })
        ReportSite.planForm(form, &h)
    }

    /// An individual plan as a printable form (ИОМ): gaps, goals, activities with the
    /// responsible person, deadline and how progress is checked, what is done, the review
    /// date, signatures. The report's suggested plans and the web app's adopted ones.
    public static func planFormHTML(_ form: PlanForm) -> String {
        var h = HTML()
        planForm(form, &h)
        return h.text
    }

    static func planForm(_ form: PlanForm, _ h: inout HTML) {
        h.block("section", [("class", "plan")]) { h in
            h.element("h2", [], form.title)
            h.block("dl") { h in
                for (k, v) in [
                    ("Обучающийся", form.pupil), ("Класс", form.className),
                    ("Образовательная организация", form.school),
                    ("Классный руководитель", form.classTeacher),
                    ("Срок действия", "с \(form.from.russian) по \(form.review.russian)"),
                    ("Дата пересмотра", form.review.russian),
                ] {
                    h.element("dt", [], k)
                    h.element("dd", [], v)
                }
            }
            h.element("h3", [], "1. Выявленные проблемы и пробелы")
            h.block("ul") { h in for g in form.gaps { h.element("li", [], g) } }
            h.element("h3", [], "2. Цели")
            h.block("ul") { h in for g in form.goals { h.element("li", [], g) } }
            h.element("h3", [], "3. Мероприятия")
            h.table(
                ["№", "Мероприятие", "Ответственный", "Срок", "Как проверяется результат", "Отметка о выполнении"],
                form.steps.enumerated().map { (i, step) in
                    [
                        .number(String(i + 1)), HTML.Cell(step.action), HTML.Cell(step.responsible),
                        .number(step.due.russian), HTML.Cell(step.check), HTML.Cell(step.done),
                    ]
                })
            h.element("h3", [], "4. Пересмотр маршрута")
            h.element(
                "p", [],
                "Результаты рассматриваются \(form.review.russian) на основании контроля по каждому мероприятию; маршрут продлевается, изменяется или закрывается."
            )
            h.block("div", [("class", "signatures")]) { h in
                for role in [
                    "Классный руководитель", "Заместитель директора по УВР",
                    "Родитель (законный представитель): с маршрутом ознакомлен(а), согласен(на)", "Дата",
                ] {
                    h.element("div", [], role)
                }
            }
        }
    }
}

/// What the printable form of an individual plan holds (`ReportSite.planFormHTML`).
public struct PlanForm: Sendable {
    public struct Step: Sendable {
        public var action: String
        /// The role, and the person's name once a plan names one («учитель математики, Петров П. П.»).
        public var responsible: String
        public var due: Day
        public var check: String
        /// «выполнено 18.03.2026» or empty (a box to fill in by hand).
        public var done: String
        public init(action: String, responsible: String, due: Day, check: String, done: String = "") {
            self.action = action
            self.responsible = responsible
            self.due = due
            self.check = check
            self.done = done
        }
    }
    public var title: String
    public var pupil: String
    public var className: String
    public var school: String
    public var classTeacher: String
    public var from: Day
    public var review: Day
    public var gaps: [String]
    public var goals: [String]
    public var steps: [Step]

    public init(
        title: String, pupil: String, className: String, school: String, classTeacher: String, from: Day, review: Day,
        gaps: [String], goals: [String], steps: [Step]
    ) {
        self.title = title
        self.pupil = pupil
        self.className = className
        self.school = school
        self.classTeacher = classTeacher
        self.from = from
        self.review = review
        self.gaps = gaps
        self.goals = goals
        self.steps = steps
    }
}
