import Foundation
import MayakAlerts
import MayakEngine
import MayakRules
import MayakSnapshot

extension ReportSite {
    /// The district's half-year analysis: figures per school, the change against the same
    /// period last year, charts, alerts by rule and school.
    func districtPage() -> String {
        let s = snapshot
        let lines = schools.map { summary.schools[$0] }
        var total = PeriodFigures()
        for l in lines { total += l.figures }
        let scoped = schools.count != s.schools.count
        let before: [String: PeriodFigures] =
            previous.map { p in
                Dictionary(p.schools.map { ($0.id, $0.figures) }, uniquingKeysWith: { a, _ in a })
            } ?? [:]
        var beforeTotal: PeriodFigures?
        if let previous {
            if scoped {
                var t = PeriodFigures()
                for sc in schools { if let f = before[s.schools.id[sc]] { t += f } }
                beforeTotal = t
            } else {
                beforeTotal = previous.total
            }
        }
        let periodText = summary.periodNames.joined(separator: ", ")
        let title =
            scoped ? "Анализ успеваемости: \(s.schools.name[schools[0]])" : "Анализ успеваемости: \(summary.district)"
        return Page.render(title: title, breadcrumbs: [(summary.district, nil)]) { h in
            h.element(
                "p", [("class", "note")],
                "Учебный год \(summary.schoolYear), данные на \(summary.asOf.russian). Итоги периода: \(periodText.isEmpty ? "ни один период ещё не завершён" : periodText)."
            )
            h.element("h2", [], "Итоги периода")
            h.block("div", [("class", "analysis")]) { h in
                let who = scoped ? "по школе" : "по округу"
                h.element(
                    "p", [],
                    "По итогам периода (\(periodText)) успеваемость \(who) составила \(ReportSite.pct(total.successRate)) %, качество знаний — \(ReportSite.pct(total.qualityRate)) %, СОУ — \(ReportSite.pct(total.degreeOfLearning)) %; неуспевающих — \(total.failing) из \(total.assessed) аттестованных."
                )
                if let b = beforeTotal, let previous {
                    h.element(
                        "p", [],
                        "По сравнению с аналогичным периодом прошлого учебного года (\(previous.schoolYear)): "
                            + [
                                ReportSite.change(
                                    total.qualityRate, b.qualityRate, noun: "качество знаний", neuter: true),
                                ReportSite.change(
                                    total.successRate, b.successRate, noun: "успеваемость", neuter: false),
                                ReportSite.change(
                                    total.degreeOfLearning, b.degreeOfLearning, noun: "СОУ", neuter: false),
                            ]
                            .compactMap { $0 }.joined(separator: "; ")
                            + "; количество неуспевающих "
                            + (total.failing < b.failing
                                ? "снизилось с \(b.failing) до \(total.failing)"
                                : total.failing > b.failing
                                    ? "выросло с \(b.failing) до \(total.failing)" : "не изменилось (\(total.failing))")
                            + ".")
                } else {
                    h.element(
                        "p", [("class", "note")],
                        "Сравнение с прошлым годом: укажите снимок того же периода прошлого года (--previous).")
                }
            }
            var header = [
                "Школа", "Учеников", "Аттестовано", "Успеваемость, %", "Качество знаний, %", "СОУ, %", "Неуспевающих",
            ]
            if previous != nil { header += ["Качество год назад, %", "Неуспевающих год назад"] }
            var rows: [[HTML.Cell]] = []
            for sc in schools {
                let f = summary.schools[sc].figures
                var row: [HTML.Cell] = [
                    HTML.Cell(s.schools.name[sc], link: ReportSite.link(schoolFile(sc))), .number(String(f.pupils)),
                    .number(String(f.assessed)),
                    .number(ReportSite.pct(f.successRate)), .number(ReportSite.pct(f.qualityRate)),
                    .number(ReportSite.pct(f.degreeOfLearning)), .number(String(f.failing)),
                ]
                if previous != nil {
                    let b = before[s.schools.id[sc]]
                    row += [.number(ReportSite.pct(b?.qualityRate)), .number(b.map { String($0.failing) } ?? "—")]
                }
                rows.append(row)
            }
            // The total row carries its figures as data, formatted as `mayak check` prints them.
            var footer: [HTML.Cell] =
                [HTML.Cell(scoped ? "Итого" : "Итого по округу")]
                + [
                    String(total.pupils), String(total.assessed), ReportSite.pct(total.successRate),
                    ReportSite.pct(total.qualityRate),
                    ReportSite.pct(total.degreeOfLearning), String(total.failing),
                ].map { HTML.Cell.number($0) }
            if let b = beforeTotal { footer += [.number(ReportSite.pct(b.qualityRate)), .number(String(b.failing))] }
            h.table(
                header, rows,
                footer: (
                    attributes: [
                        ("class", "total"), ("id", "total"), ("data-pupils", String(total.pupils)),
                        ("data-assessed", String(total.assessed)), ("data-success", ReportSite.pct(total.successRate)),
                        ("data-quality", ReportSite.pct(total.qualityRate)),
                        ("data-sou", ReportSite.pct(total.degreeOfLearning)),
                        ("data-failing", String(total.failing)),
                    ], cells: footer
                ))
            let names = schools.map { s.schools.name[$0] }
            h.element("h2", [], "Качество знаний по школам, %")
            var quality = [
                Charts.Series(
                    name: "\(summary.schoolYear)", color: "#1f5fa8", values: lines.map { $0.figures.qualityRate })
            ]
            if let previous {
                quality.insert(
                    Charts.Series(
                        name: previous.schoolYear, color: "#9db8d9",
                        values: schools.map { before[s.schools.id[$0]]?.qualityRate }), at: 0)
            }
            h.raw(Charts.legend(quality))
            h.raw(Charts.bars(labels: names, series: quality, maximum: 100, unit: " %"))
            h.element("h2", [], "Неуспевающие по школам")
            var failing = [
                Charts.Series(
                    name: "\(summary.schoolYear)", color: "#b91c1c", values: lines.map { Double($0.figures.failing) })
            ]
            if let previous {
                failing.insert(
                    Charts.Series(
                        name: previous.schoolYear, color: "#f0a5a5",
                        values: schools.map { before[s.schools.id[$0]].map { Double($0.failing) } }), at: 0)
            }
            h.raw(Charts.legend(failing))
            h.raw(Charts.bars(labels: names, series: failing))
            if let history, history.runs.count >= 2 {
                h.element("h2", [], "Динамика предупреждений по прогонам")
                let runs = Array(history.runs.suffix(12))
                let series = [Severity.critical, .high, .medium].map { sev in
                    Charts.Series(
                        name: sev.russian, color: sev == .critical ? "#9b1c1c" : (sev == .high ? "#c2410c" : "#a16207"),
                        values: runs.map { Double(history.countsByRun[$0.id]?[sev] ?? 0) })
                }
                h.raw(Charts.legend(series))
                h.raw(
                    Charts.bars(
                        labels: runs.map { "№\($0.id), данные на \(Day($0.asOf)?.russian ?? $0.asOf)" }, series: series)
                )
            } else if previous == nil {
                h.element(
                    "p", [("class", "note")],
                    "Динамика появится при сравнении с прошлым годом (--previous) или по истории прогонов (--db).")
            }
            alertsByRuleAndSchool(&h)
        }
    }

    func alertsByRuleAndSchool(_ h: inout HTML) {
        let s = snapshot
        let scoped = result.alerts.filter { schools.contains($0.subject.schoolIndex) }
        h.element("h2", [], "Предупреждения по правилам")
        var byRule: [String: [Alert]] = [:]
        var order: [String] = []
        for a in scoped {
            if byRule[a.ruleID] == nil { order.append(a.ruleID) }
            byRule[a.ruleID, default: []].append(a)
        }
        order.sort { byRule[$0]!.count > byRule[$1]!.count }
        let severities = Severity.allCases.reversed()
        h.table(
            ["Правило"] + severities.map(\.russian) + ["Всего"],
            order.map { rule in
                let list = byRule[rule]!
                return [HTML.Cell(list[0].ruleTitle)]
                    + severities.map { sev in .number(String(list.filter { $0.severity == sev }.count)) }
                    + [.number(String(list.count))]
            })
        h.element("h2", [], "Предупреждения по школам")
        h.table(
            ["Школа", "Предупреждений", "Учеников в списке", "Критических", "Высокой важности"],
            schools.map { sc in
                let list = alerts(school: sc)
                return [
                    HTML.Cell(s.schools.name[sc], link: ReportSite.link(schoolFile(sc))), .number(String(list.count)),
                    .number(String(Set(list.compactMap(\.subject.pupilIndex)).count)),
                    .number(String(list.filter { $0.severity == .critical }.count)),
                    .number(String(list.filter { $0.severity == .high }.count)),
                ]
            })
    }
}
