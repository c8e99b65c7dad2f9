import MayakSnapshot

/// What one source file holds once its layout is read: pupils by what the export shows of
/// them (name, class, birth date, or a key for anonymised data), and their marks, absences
/// and period marks (these with where they came from: a pupil's marks are found again by pupil,
/// subject and day, and a district holds millions of them). Pupils are referred to by their index in
/// `pupils`; lasting ids are given later (`Identity`).
public struct ImportBatch: Sendable {
    public struct School: Sendable, Hashable {
        public var id: String
        public var name: String
    }

    public struct Pupil: Sendable {
        public var school: String
        /// The class as the export writes it (`7А`, `7 «А»`), and what it means.
        public var classLabel: String
        public var grade: Int
        public var letter: String
        public var fullName: String
        /// As written (`12.03.2013`), normalised to ISO when it is a date.
        public var birthDate: String?
        /// For anonymised data: what identifies the pupil (the mapping's key columns).
        public var key: String?
        /// Other columns kept in pupils.csv.
        public var extra: [(name: String, value: String)] = []
        public var location: String
        /// The class is the one of an earlier school year (a ВПР form of last spring): a pupil
        /// found in another class of the school has not moved, and keeps that class.
        public var classIsPast = false
    }

    public struct Mark: Sendable {
        public var pupil: Int
        public var subject: String
        public var day: Day
        public var value: String
        public var workType: String
        /// Hundredths; nil for the work type's usual weight.
        public var weight: UInt16?
    }

    public struct Absence: Sendable {
        public var pupil: Int
        public var day: Day
        public var subject: String?
        public var code: AttendanceCode
    }

    public struct PeriodMark: Sendable {
        public var pupil: Int
        public var subject: String
        public var period: String
        public var value: String
        public var location: String
    }

    /// A ВПР result (ФИС ОКО's «Индивидуальные результаты»).
    public struct VPRResult: Sendable {
        public var pupil: Int
        /// The spring's year.
        public var year: Int
        /// The grade the pupil wrote it in (4–11).
        public var grade: Int
        public var subject: String
        /// Primary score and the work's maximum, as written (`12`, `17,5`).
        public var score: String
        public var maxScore: String
        public var mark: Int
        public var journalMark: Int?
        public var location: String

        public init(
            pupil: Int, year: Int, grade: Int, subject: String, score: String, maxScore: String, mark: Int,
            journalMark: Int?, location: String
        ) {
            self.pupil = pupil
            self.year = year
            self.grade = grade
            self.subject = subject
            self.score = score
            self.maxScore = maxScore
            self.mark = mark
            self.journalMark = journalMark
            self.location = location
        }
    }

    /// What an export covers: within it, the export is the truth (a mark missing from it was
    /// deleted from the journal); outside it, what the snapshot held stays.
    public struct Coverage: Sendable, Hashable {
        /// The pupils' class label and school.
        public var school: String
        public var classLabel: String
        /// nil: every subject.
        public var subject: String?
        public var from: Day
        public var to: Day
        /// One pupil's report covers that pupil only (an index into `pupils`); nil: the class.
        public var pupil: Int?

        public init(school: String, classLabel: String, subject: String?, from: Day, to: Day, pupil: Int? = nil) {
            self.school = school
            self.classLabel = classLabel
            self.subject = subject
            self.from = from
            self.to = to
            self.pupil = pupil
        }
    }

    public var file: String
    public var schools: [School] = []
    public var pupils: [Pupil] = []
    public var marks: [Mark] = []
    public var absences: [Absence] = []
    public var periodMarks: [PeriodMark] = []
    public var vprResults: [VPRResult] = []
    /// The school year the source names («Учебный год: 2025/2026»), its first calendar year.
    public var schoolYearStart: Int?
    /// Subjects taught in each class (school, class label, subject), also those with no mark yet.
    public var subjects: Set<[String]> = []
    public var coverage: [Coverage] = []
    /// Where each (school, class, subject, pupil) is in `coverage`.
    var coverageSlots: [CoverageKey: Int] = [:]
    /// The slot widened last: a journal's cells come class by class and subject by subject.
    var lastCoverage: (key: CoverageKey, slot: Int)?

    struct CoverageKey: Hashable {
        var school: ByteKey
        var classLabel: ByteKey
        var subject: ByteKey?
        var pupil: Int?
    }
    /// The days of works the source gives results of without a dated mark (a ВПР form's
    /// «Дата»): the school year and the as-of date of an import that has nothing else to go by.
    public var workDays: [Day] = []
    /// What the layout had to assume, for the summary (`a work type absent: «ответ на уроке», weight 1`).
    public var inferences: [String] = []
    public var warnings: [ImportError] = []
    /// Cells that held several marks (`4 5`, `4/5`), each read as a mark of its own: how many,
    /// and the first, for the summary.
    public var severalMarks = 0
    public var firstSeveralMarks: (location: String, text: String)?

    /// A journal cell's marks (each a mark of that day) and codes (each an absence), with
    /// the cells of several marks counted for the summary.
    mutating func add(
        _ cell: JournalCell, _ text: String, pupil p: Int, subject: String, day: Day,
        at location: @autoclosure () -> String, workType: String = ImportOptions.defaultWorkType,
        weight: UInt16? = nil
    ) {
        noteSeveralMarks(cell, text, at: location)
        for g in cell.marks {
            marks.append(
                .init(
                    pupil: p, subject: subject, day: day, value: MarkValue(grade: g).description, workType: workType,
                    weight: weight))
        }
        for code in cell.codes {
            absences.append(.init(pupil: p, day: day, subject: subject, code: code))
        }
    }

    /// Counts a cell read as several marks.
    private mutating func noteSeveralMarks(_ cell: JournalCell, _ text: String, at location: () -> String) {
        guard cell.marks.count > 1 else { return }
        severalMarks += 1
        if firstSeveralMarks == nil {
            firstSeveralMarks = (location(), text.isEmpty ? cell.marks.map { "\($0)" }.joined(separator: " ") : text)
        }
    }

    public init(file: String) { self.file = file }
}

/// A class label as exports write it: `7А`, `7 А`, `7-а`, `7 «А»`, `10Б`, `11`. The grade is
/// 1–11; the letter is upper-cased (none for a class without one).
public enum ClassLabel {
    public static func parse(_ text: String) -> (grade: Int, letter: String)? {
        let trimmed = text.trimmingSpaces()
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 2, let grade = Int(digits), (1...11).contains(grade) else { return nil }
        let rest = trimmed.dropFirst(digits.count).filter { !" -«»\"'".contains($0) }
        guard rest.count <= 3, rest.allSatisfy({ $0.isLetter || $0.isNumber }) else { return nil }
        return (grade, rest.uppercased())
    }
}

/// A pupil's full name compared as people compare it: case, «ё», runs of spaces and
/// punctuation ignored (`Семёнова  Анна` is `семенова анна`).
public enum PersonName {
    public static func normalised(_ name: String) -> String {
        name.lowercased().replacingOccurrences(of: "ё", with: "е")
            .split(whereSeparator: { $0 == " " || $0 == "\u{A0}" || $0 == "\t" || $0 == "." || $0 == "," })
            .joined(separator: " ")
    }
}
