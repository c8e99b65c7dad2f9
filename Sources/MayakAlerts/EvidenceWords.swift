/// What the evidence of an alert is called where people read it — tables, spreadsheets, the
/// report and the web app («пропущено уроков: 73»), in one place so the wording can be
/// reviewed together. JSON keeps the names the rules give (`missed_lessons`): programs read
/// those. A name a district's own rule introduces and this catalogue does not know is shown
/// as the rule names it, its underscores as spaces.
public enum EvidenceWords {
    static let names: [String: String] = [
        // Attendance.
        "missed_lessons": "пропущено уроков", "planned_lessons": "уроков по расписанию",
        "rate_percent": "доля пропусков, %", "unexcused": "без уважительной причины", "ill": "по болезни",
        "excused": "по уважительной причине", "failing_subjects": "прогноз «2» по предметам",
        "last_absences": "последние пропуски", "absences": "пропуски", "threshold_percent": "порог, %",
        "window_days": "окно, дней",
        // Marks.
        "subject": "предмет", "subjects": "предметы", "marks": "отметки", "twos": "двойки",
        "forecast_mean": "средний балл", "forecast_means": "средние баллы", "threshold": "порог",
        "mean_before": "средний балл раньше", "mean_recent": "средний балл теперь",
        "slope_per_week": "изменение за неделю", "drop": "падение не меньше", "min_marks": "нужно отметок",
        "period_end": "конец периода",
        // Works and ВПР.
        "works": "работы", "vpr": "ВПР", "gap": "разница не меньше", "before": "раньше", "after": "теперь",
        "drop_points": "падение, п. п.", "threshold_points": "порог, п. п.", "results": "результатов",
        "lowered": "понизили", "confirmed": "подтвердили", "raised": "повысили",
        // Classes and schools.
        "figures": "показатели", "previous": "в прошлом периоде", "min_quality": "качество не ниже, %",
        "min_success": "успеваемость не ниже, %", "share_percent": "доля неуспевающих, %",
        "max_percent": "допустимо, %",
        // Several indicators.
        "indicators": "индикаторы", "rules": "правила",
        // The fields of a period's figures.
        "pupils": "учеников", "assessed": "аттестовано", "failing": "неуспевающих", "success_rate": "успеваемость",
        "quality_rate": "качество", "sou": "СОУ",
    ]

    /// The groups of indicators (`indicators`), as the message names them.
    static let indicators: [String: String] = [
        "attendance": "посещаемость", "assessment": "диагностика и ВПР", "performance": "успеваемость",
    ]

    /// A work's status (`works`).
    static let statuses: [String: String] = [
        "written": "писал(а)", "absent": "отсутствовал(а)", "excused": "по уважительной причине",
        "missing": "нет результата", "scheduled": "ещё впереди",
    ]

    /// The words for an evidence name.
    public static func name(_ name: String) -> String {
        names[name] ?? name.replacingOccurrences(of: "_", with: " ")
    }

    static func indicator(_ group: String) -> String { indicators[group] ?? group }
    static func status(_ s: String) -> String { statuses[s] ?? s }
}
