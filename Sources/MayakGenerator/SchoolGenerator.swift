import MayakSnapshot

/// A pupil's hidden state: how well they do in each subject and what the generator planted.
struct LatentPupil {
    var id: String
    var idBytes: [UInt8]
    var female: Bool
    var ability: Double
    /// Mean mark per subject of the class plan, before any planted decline.
    var base: [Double]
    /// Per subject: the mean reached at the as-of date by a decline, and when it starts.
    var declineTo: [Double]
    var declineFrom: Day
    /// When the decline reaches its target (the as-of date for a slow fall).
    var declineUntil: Day
    var failing: [Bool]
    var persistentFailing = false
    var falling: [Bool]
    var exemptPE = false
    var chronicRate = 0.0
    var chronicFrom: Day = Day(number: 0)
    var truant = false
    var missesWorks = false
    /// Day-level absence per past lesson day: 0 present, else an AttendanceCode raw value.
    var dayAbsence: [UInt8] = []
    /// Lessons and absent lessons in the current period (for the truth file).
    var lessonsNow = 0
    var absentNow = 0

    /// The mean mark in subject `s` on `day`.
    @inline(__always) func mean(_ s: Int, _ day: Day, asOf: Day) -> Double {
        let target = declineTo[s]
        if target.isNaN || day <= declineFrom { return base[s] }
        let t = min(1, Double(day - declineFrom) / Double(max(1, declineUntil - declineFrom)))
        return base[s] + (target - base[s]) * t
    }
}

/// One generated mark, held until the class is written out in pupil order.
struct GeneratedMark {
    var pupil: Int32
    var subject: UInt8
    var day: UInt16  // lesson-day index
    var value: UInt8  // MarkValue raw
    var type: UInt8  // WorkTypes index
}

struct GeneratedAbsence {
    var pupil: Int32
    var day: UInt16
    var lesson: UInt8
    var subject: UInt8
    var code: UInt8
}

/// Generates one school: its classes, pupils, timetable, marks, attendance, works and ВПР.
struct SchoolGenerator {
    let plan: SchoolPlan
    var rng: SeededRandom
    let calendar: SchoolCalendar
    let asOf: Day
    let edgeCases: Bool

    init(plan: SchoolPlan, context: GenerationContext) {
        self.plan = plan
        rng = SeededRandom(seed: context.seed, stream: 1, UInt64(plan.index))
        calendar = context.calendar
        asOf = context.asOf
        edgeCases = context.edgeCases
    }

    mutating func generate(into ctx: inout GenerationContext) throws {
        let t = ctx.tables
        t.schools.text(plan.id)
        t.schools.comma()
        t.schools.text(plan.name)
        t.schools.comma()
        t.schools.text(plan.municipality)
        try t.schools.endRow()
        let grades = plan.basicOnly ? 1...9 : 1...11
        // Pupils per grade: a little fewer in the upper grades, as after grade 9 many leave.
        let weights = grades.map { $0 >= 10 ? 0.55 : 1.0 }
        let perUnit = Double(plan.pupils) / weights.reduce(0, +)
        // A pool of subject teachers: each teaches one subject across several classes.
        // The layout first, from the school's stream; then each class from a stream of its own,
        // so that nothing a class draws depends on the as-of date of another class.
        var layout: [(grade: Int, letter: String, size: Int)] = []
        for grade in grades {
            let count = max(1, Int((perUnit * weights[grade - grades.lowerBound]).rounded()) + rng.int(-2...2))
            let classCount = max(1, Int((Double(count) / 26).rounded(.up)))
            for c in 0..<classCount {
                let size = count / classCount + (c < count % classCount ? 1 : 0)
                layout.append((grade, ["А", "Б", "В", "Г", "Д", "Е"][c % 6], size))
            }
        }
        var teachers: [String: [String]] = [:]
        for (k, c) in layout.enumerated() {
            rng = SeededRandom(seed: ctx.seed, stream: 5, UInt64(plan.index), UInt64(k))
            try generateClass(grade: c.grade, letter: c.letter, size: c.size, teachers: &teachers, ctx: &ctx)
        }
    }

    mutating func teacher(for subject: String, grade: Int, pool: inout [String: [String]]) -> String {
        let key = grade <= 4 ? "primary" : subject
        var list = pool[key, default: []]
        if list.isEmpty || (list.count < 4 && rng.chance(0.25)) {
            list.append(Names.person(&rng, female: rng.chance(0.85)))
            pool[key] = list
        }
        return list[rng.int(0...(list.count - 1))]
    }

    mutating func generateClass(
        grade: Int, letter: String, size: Int, teachers: inout [String: [String]],
        ctx: inout GenerationContext
    ) throws {
        let t = ctx.tables
        let classID = "\(plan.id)-\(grade)\(letter)"
        let classIDBytes = Bytes.quoted(classID)
        let classEffect = rng.normal(0, 0.16)
        let subjects = Curriculum.plan(grade: grade)
        let primaryTeacher = teacher(for: "", grade: grade, pool: &teachers)
        let classTeacher = grade <= 4 ? primaryTeacher : Names.person(&rng, female: rng.chance(0.85))
        t.classes.text(classID)
        t.classes.comma()
        t.classes.text(plan.id)
        t.classes.comma()
        t.classes.int(grade)
        t.classes.comma()
        t.classes.text(letter)
        t.classes.comma()
        t.classes.text(classTeacher)
        try t.classes.endRow()
        ctx.classCount += 1
        var subjectTeachers: [String] = []
        for s in subjects {
            let name =
                grade <= 4 && !["Иностранный язык (английский)", "Физическая культура", "Музыка"].contains(s.name)
                ? primaryTeacher : teacher(for: s.name, grade: 5, pool: &teachers)
            subjectTeachers.append(name)
            t.subjects.bytes(classIDBytes)
            t.subjects.comma()
            t.subjects.text(s.name)
            t.subjects.comma()
            t.subjects.text(name)
            t.subjects.comma()
            t.subjects.int(s.hours)
            try t.subjects.endRow()
        }
        let subjectBytes = subjects.map { Bytes.quoted($0.name) }
        let current =
            calendar.assessmentPeriods(grade: grade).first { $0.contains(asOf) }
            ?? calendar.assessmentPeriods(grade: grade).last { $0.start <= asOf }
        let weakness = -(plan.quality + classEffect)
        let graded = grade >= 2

        // Pupils and their hidden state.
        var pupils: [LatentPupil] = []
        // Each pupil's character comes from a stream of its own, and the lesson-by-lesson draws
        // run in date order, so snapshots of the same seed a week apart show the same pupils
        // with the same past.
        let classKey = UInt64(ctx.classCount)
        let classStream = rng
        for number in 0..<size {
            rng = SeededRandom(seed: ctx.seed, stream: 2, UInt64(plan.index), classKey, UInt64(number))
            let female = rng.chance(0.5)
            let id = String(ctx.nextPupil)
            ctx.nextPupil += 1
            let ability = 3.95 + plan.quality + classEffect + rng.normal(0, 0.5)
            var p = LatentPupil(
                id: id, idBytes: Array(id.utf8), female: female, ability: ability,
                base: subjects.map { s in min(4.95, max(2.85, ability + s.difficulty + rng.normal(0, 0.22))) },
                declineTo: subjects.map { _ in .nan }, declineFrom: asOf, declineUntil: asOf,
                failing: subjects.map { _ in false }, falling: subjects.map { _ in false })
            let graded = subjects.indices.filter {
                subjects[$0].assessment == .marks && subjects[$0].name != "Физическая культура"
            }
            if graded.count > 0 && grade >= 2 {
                let failingChance = min(0.15, max(0.005, 0.022 * _exp(1.6 * weakness)))
                if rng.chance(failingChance) {
                    // Harder subjects fail first.
                    let ranked = graded.sorted { p.base[$0] < p.base[$1] }
                    let n = rng.chance(0.55) ? 1 : (rng.chance(0.65) ? 2 : 3)
                    p.persistentFailing = rng.chance(0.5)
                    for s in ranked.prefix(min(n + 1, ranked.count)).shuffled(using: &rng).prefix(n) {
                        p.failing[s] = true
                        let low = rng.uniform(2.05, 2.38)
                        if p.persistentFailing { p.base[s] = low } else { p.declineTo[s] = low }
                    }
                    if !p.persistentFailing {
                        // A newly failing pupil drops within the first two weeks of the period.
                        p.declineFrom = current?.start ?? asOf + (-42)
                        p.declineUntil = p.declineFrom + 14
                    }
                } else if rng.chance(0.03) {
                    // A fall that can be seen: in a subject with at least three lessons a week.
                    let frequent = graded.filter { subjects[$0].hours >= 3 }
                    let s = frequent.isEmpty ? graded[0] : frequent[rng.int(0...(frequent.count - 1))]
                    if p.base[s] >= 3.6 {
                        p.falling[s] = true
                        // Marks slip within a week, three weeks before the as-of date.
                        p.declineTo[s] = p.base[s] - rng.uniform(1.2, 1.7)
                        p.declineFrom = asOf + (-27)
                        p.declineUntil = asOf + (-20)
                    }
                }
            }
            p.exemptPE = rng.chance(0.015)
            if rng.chance(min(0.2, 0.05 * _exp(1.2 * weakness))) {
                p.chronicRate = rng.uniform(0.12, 0.35)
                p.chronicFrom = rng.chance(0.6) ? calendar.schoolYear.start : (current?.start ?? asOf + (-42))
            }
            p.truant = rng.chance(0.02 * _exp(weakness))
            p.missesWorks = rng.chance(0.04)
            p.dayAbsence = absenceDays(for: p, ctx: ctx)
            pupils.append(p)
        }
        rng = classStream
        for (i, p) in pupils.enumerated() {
            let (y, _, _) = calendar.schoolYear.start.components
            let birth = Day(
                year: y - grade - 6 - (rng.chance(0.1) ? 1 : 0), month: rng.int(1...12), day: rng.int(1...28))!
            t.pupils.bytes(p.idBytes)
            t.pupils.comma()
            t.pupils.bytes(classIDBytes)
            t.pupils.comma()
            t.pupils.text(Names.person(&rng, female: p.female))
            t.pupils.comma()
            t.pupils.text(p.female ? "ж" : "м")
            t.pupils.comma()
            t.pupils.text(birth.description)
            try t.pupils.endRow()
            _ = i
        }
        ctx.pupilCount += size

        // Timetable: each subject's weekly lessons spread over Monday–Friday.
        var timetable: [[Int]] = Array(repeating: [], count: 5)
        var dayCursor = rng.int(0...4)
        for (s, subject) in subjects.enumerated() {
            for _ in 0..<subject.hours {
                var tries = 0
                while timetable[dayCursor].count >= (grade <= 4 ? 5 : 7) && tries < 5 {
                    dayCursor = (dayCursor + 1) % 5
                    tries += 1
                }
                timetable[dayCursor].append(s)
                dayCursor = (dayCursor + 1) % 5
            }
        }
        for d in 0..<5 { timetable[d].shuffle(using: &rng) }

        var marks: [GeneratedMark] = []
        var absences: [GeneratedAbsence] = []
        var works = ClassWorks(
            classID: classID, classIDBytes: classIDBytes, grade: grade, subjects: subjects, subjectBytes: subjectBytes)
        works.schedule(calendar: calendar, timetable: timetable, rng: &rng, ctx: &ctx)
        let lessonDays = calendar.lessonDays
        // Teachers see that a pupil has enough marks for the period: subjects with one or two
        // lessons a week give marks more often per lesson.
        let markRates = subjects.map {
            $0.hours <= 1 ? max($0.markRate, 0.8) : ($0.hours == 2 ? max($0.markRate, 0.62) : $0.markRate)
        }
        let peIndex = subjects.firstIndex { $0.name == "Физическая культура" }

        for d in 0..<ctx.pastDays {
            let day = lessonDays[d]
            let lessons = timetable[day.weekday - 1]
            let inCurrent = current?.contains(day) ?? false
            for (slot, s) in lessons.enumerated() {
                let subject = subjects[s]
                let controlWork = works.controlWork(subject: s, day: d)
                for (pi, p) in pupils.enumerated() {
                    var code = p.dayAbsence[d]
                    if code == 0 {
                        let r = rng.unit()
                        if r < 0.004 {
                            code =
                                r < 0.0016
                                ? AttendanceCode.absent.rawValue
                                : (r < 0.0032 ? AttendanceCode.excused.rawValue : AttendanceCode.late.rawValue)
                        }
                    }
                    // Drawn for every lesson, so the draws that follow do not depend on the as-of date.
                    let truancyDraw = rng.unit()
                    if code == 0, p.truant, asOf - day < 14, truancyDraw < 0.12 {
                        code = rng.chance(0.5) ? AttendanceCode.truancy.rawValue : AttendanceCode.absent.rawValue
                    }
                    if inCurrent {
                        pupils[pi].lessonsNow += 1
                        if code != 0 && code != AttendanceCode.late.rawValue { pupils[pi].absentNow += 1 }
                    }
                    if code != 0 {
                        absences.append(
                            GeneratedAbsence(
                                pupil: Int32(pi), day: UInt16(d), lesson: UInt8(slot + 1), subject: UInt8(s), code: code
                            ))
                        if code != AttendanceCode.late.rawValue {
                            // Now and then a mark is given for work handed in on a day missed: `4/Н`.
                            if graded, subject.assessment == .marks, rng.chance(0.01) {
                                let v = sampleMark(p.mean(s, day, asOf: asOf))
                                marks.append(
                                    GeneratedMark(
                                        pupil: Int32(pi), subject: UInt8(s), day: UInt16(d), value: v | (code << 4),
                                        type: UInt8(WorkTypes.homework)))
                            }
                            if let w = controlWork { works.absent(work: w, pupil: pi, code: code) }
                            continue
                        }
                    }
                    guard graded, subject.assessment == .marks else { continue }
                    if s == peIndex && p.exemptPE { continue }
                    let mu = p.mean(s, day, asOf: asOf)
                    if let w = controlWork {
                        let mark = works.write(work: w, pupil: pi, mean: mu, rng: &rng)
                        marks.append(
                            GeneratedMark(
                                pupil: Int32(pi), subject: UInt8(s), day: UInt16(d), value: mark,
                                type: UInt8(WorkTypes.control)))
                        continue
                    }
                    guard rng.unit() < markRates[s] else { continue }
                    marks.append(
                        GeneratedMark(
                            pupil: Int32(pi), subject: UInt8(s), day: UInt16(d), value: sampleMark(mu),
                            type: UInt8(workType(subject))))
                }
            }
        }
        // Diagnostic and administrative works, written on their own days, from a stream of their
        // own (in date order) so their results do not depend on the as-of date.
        var workRandom = SeededRandom(seed: ctx.seed, stream: 6, UInt64(plan.index), classKey)
        for w in works.nonLessonWorks.sorted(by: { ($0.dayIndex, $0.index) < ($1.dayIndex, $1.index) })
        where w.dayIndex < ctx.pastDays {
            for (pi, p) in pupils.enumerated() {
                let code = p.dayAbsence[w.dayIndex]
                if code != 0 {
                    works.absent(work: w.index, pupil: pi, code: code)
                    continue
                }
                if p.missesWorks && works.planMiss(work: w.index, pupil: pi, rng: &workRandom) { continue }
                guard graded else { continue }
                let mark = works.write(
                    work: w.index, pupil: pi, mean: p.mean(w.subject, lessonDays[w.dayIndex], asOf: asOf),
                    rng: &workRandom)
                marks.append(
                    GeneratedMark(
                        pupil: Int32(pi), subject: UInt8(w.subject), day: UInt16(w.dayIndex), value: mark,
                        type: UInt8(w.kind == .administrative ? WorkTypes.administrative : WorkTypes.diagnostic)))
            }
        }
        try works.writeResults(pupils: pupils, ctx: ctx)

        // Marks in pupil, subject, date order, as an export per pupil would list them.
        marks.sort { ($0.pupil, $0.subject, $0.day) < ($1.pupil, $1.subject, $1.day) }
        for m in marks {
            let w = t.marks
            w.bytes(pupils[Int(m.pupil)].idBytes)
            w.comma()
            w.bytes(subjectBytes[Int(m.subject)])
            w.comma()
            w.bytes(ctx.dates[Int(m.day)])
            w.comma()
            writeMark(m.value, to: w)
            w.comma()
            w.bytes(ctx.workTypeBytes[Int(m.type)])
            w.comma()
            w.bytes(ctx.weightBytes[Int(m.type)])
            try w.endRow()
        }
        absences.sort { ($0.pupil, $0.day, $0.lesson) < ($1.pupil, $1.day, $1.lesson) }
        let codeBytes = AttendanceCode.allCases.map { Array($0.description.utf8) }
        for a in absences {
            let w = t.attendance
            w.bytes(pupils[Int(a.pupil)].idBytes)
            w.comma()
            w.bytes(ctx.dates[Int(a.day)])
            w.comma()
            w.int(Int(a.lesson))
            w.comma()
            w.bytes(subjectBytes[Int(a.subject)])
            w.comma()
            w.bytes(codeBytes[Int(a.code) - 1])
            try w.endRow()
        }
        let afterLessons = rng
        if graded {
            rng = SeededRandom(seed: ctx.seed, stream: 4, UInt64(plan.index), classKey)
            try writePeriodMarks(
                pupils: pupils, marks: marks, subjects: subjects, subjectBytes: subjectBytes, grade: grade, ctx: ctx)
        }
        var vprRandom = SeededRandom(seed: ctx.seed, stream: 3, UInt64(plan.index), classKey)
        try VPRHistory.write(
            pupils: pupils, grade: grade, school: plan, classEffect: classEffect, calendar: calendar,
            rng: &vprRandom, ctx: &ctx)
        rng = afterLessons
        // Unexcused lessons of the last two weeks, for the truth file's measured truancy.
        var recentUnexcused = [Int](repeating: 0, count: pupils.count)
        for a in absences
        where asOf - calendar.lessonDays[Int(a.day)] < 14 && AttendanceCode(rawValue: a.code)?.isUnexcused == true {
            recentUnexcused[Int(a.pupil)] += 1
        }
        try writeTruth(
            pupils: pupils, subjects: subjects, current: current, works: works, recentUnexcused: recentUnexcused,
            ctx: ctx)
    }

    /// Whole days missed: illness episodes for everyone, more for chronic absentees.
    mutating func absenceDays(for p: LatentPupil, ctx: GenerationContext) -> [UInt8] {
        // Drawn for the whole year, kept up to the as-of date.
        var days = [UInt8](repeating: 0, count: calendar.lessonDays.count)
        var ill = 0
        for d in 0..<calendar.lessonDays.count {
            let day = calendar.lessonDays[d]
            if ill > 0 {
                days[d] = AttendanceCode.ill.rawValue
                ill -= 1
                continue
            }
            if rng.chance(0.0065) {
                ill = rng.int(1...4)
                days[d] = AttendanceCode.ill.rawValue
                continue
            }
            if p.chronicRate > 0 && day >= p.chronicFrom && rng.chance(p.chronicRate) {
                let r = rng.unit()
                days[d] =
                    r < 0.5
                    ? AttendanceCode.absent.rawValue
                    : (r < 0.8 ? AttendanceCode.ill.rawValue : AttendanceCode.excused.rawValue)
            }
        }
        return Array(days.prefix(ctx.pastDays))
    }

    /// A mark whose expected value is exactly `mean`: a symmetric jump of one mark, then
    /// random rounding. Weighted means of generated marks are unbiased estimates of the mean.
    @inline(__always) mutating func sampleMark(_ mean: Double) -> UInt8 {
        var y = mean
        let r = rng.unit()
        if mean - 1 >= 2 && mean + 1 <= 5 {
            if r < 0.17 { y -= 1 } else if r > 0.83 { y += 1 }
        }
        let low = y.rounded(.down)
        let mark = rng.unit() < y - low ? low + 1 : low
        return UInt8(min(5, max(2, mark)))
    }

    mutating func workType(_ s: SubjectPlan) -> Int {
        if edgeCases && rng.chance(0.25) { return rng.pick(WorkTypes.uneven) }
        var r = rng.unit()
        for (type, share) in s.extraWorkTypes {
            if r < share { return type }
            r -= share
        }
        if r < 0.15 { return WorkTypes.independent }
        if r < 0.33 { return WorkTypes.homework }
        if r < 0.39 { return WorkTypes.test }
        return WorkTypes.oral
    }

    func writeMark(_ raw: UInt8, to w: TableWriter) {
        let v = MarkValue(raw: raw)
        if raw < 10 { w.byte(raw + 0x30) } else { w.bytes(Array(v.description.utf8)) }
    }

    /// Period marks of finished periods: the weighted mean rounded at 2.5, 3.5 and 4.5;
    /// «н/а» with fewer than three marks; «осв» for pupils exempt from PE; «зач»/«незач» for
    /// pass/fail subjects.
    mutating func writePeriodMarks(
        pupils: [LatentPupil], marks: [GeneratedMark], subjects: [SubjectPlan],
        subjectBytes: [[UInt8]], grade: Int, ctx: GenerationContext
    ) throws {
        let finished = calendar.assessmentPeriods(grade: grade).filter { $0.end <= asOf }
        guard !finished.isEmpty else { return }
        let w = ctx.tables.periodMarks
        let days = calendar.lessonDays
        var start = 0
        for (pi, p) in pupils.enumerated() {
            var end = start
            while end < marks.count && marks[end].pupil == Int32(pi) { end += 1 }
            for (s, subject) in subjects.enumerated() {
                for period in finished {
                    var text: String
                    if subject.assessment == .passFail {
                        text = p.ability < 2.9 && rng.chance(0.3) ? "незач" : "зач"
                    } else if subject.name == "Физическая культура" && p.exemptPE {
                        text = "осв"
                    } else {
                        var sum = 0.0
                        var weights = 0.0
                        var count = 0
                        for k in start..<end
                        where Int(marks[k].subject) == s && period.contains(days[Int(marks[k].day)]) {
                            guard let v = MarkValue(raw: marks[k].value).numeric else { continue }
                            let wt = WorkTypes.weightValues[Int(marks[k].type)]
                            sum += wt * Double(v)
                            weights += wt
                            count += 1
                        }
                        // «н/а» goes to pupils who missed much of the period and have too few marks.
                        if count == 0 || (count < 3 && absentShare(p, period) >= 0.4) {
                            text = "н/а"
                        } else {
                            let mean = sum / weights
                            text = mean < 2.5 ? "2" : (mean < 3.5 ? "3" : (mean < 4.5 ? "4" : "5"))
                            // «1» is rare but real (domain.md): it must count as failing.
                            if edgeCases && text == "2" && rng.chance(0.25) { text = "1" }
                        }
                    }
                    w.bytes(p.idBytes)
                    w.comma()
                    w.bytes(subjectBytes[s])
                    w.comma()
                    w.text(period.id)
                    w.comma()
                    w.text(text)
                    try w.endRow()
                }
            }
            start = end
        }
    }

    /// The share of the period's past lesson days a pupil missed whole.
    func absentShare(_ p: LatentPupil, _ period: Period) -> Double {
        var days = 0
        var absent = 0
        for d in 0..<p.dayAbsence.count where period.contains(calendar.lessonDays[d]) {
            days += 1
            if p.dayAbsence[d] != 0 { absent += 1 }
        }
        return days == 0 ? 0 : Double(absent) / Double(days)
    }

    /// The planted conditions, and the measured ones the rules will look for.
    func writeTruth(
        pupils: [LatentPupil], subjects: [SubjectPlan], current: Period?, works: ClassWorks,
        recentUnexcused: [Int], ctx: GenerationContext
    ) throws {
        guard let w = ctx.tables.truth else { return }
        let period = current?.id ?? ""
        func row(_ p: LatentPupil, _ condition: String, _ subject: String, _ detail: String, planted: Bool) throws {
            w.bytes(p.idBytes)
            w.comma()
            w.text(condition)
            w.comma()
            w.text(subject)
            w.comma()
            w.text(period)
            w.comma()
            w.text(detail)
            w.comma()
            w.text(planted ? "yes" : "no")
            try w.endRow()
        }
        for (pi, p) in pupils.enumerated() {
            for s in subjects.indices where p.failing[s] {
                let low = p.persistentFailing ? p.base[s] : p.declineTo[s]
                try row(
                    p, "failing", subjects[s].name, GeneratorText.failing(persistent: p.persistentFailing, mean: low),
                    planted: true)
            }
            for s in subjects.indices where p.falling[s] {
                try row(
                    p, "falling-trend", subjects[s].name, GeneratorText.falling(from: p.base[s], to: p.declineTo[s]),
                    planted: true)
            }
            let rate = p.lessonsNow > 0 ? Double(p.absentNow) / Double(p.lessonsNow) : 0
            if p.chronicRate > 0 || rate >= 0.10 {
                try row(
                    p, "chronic-absence", "", GeneratorText.absent(p.absentNow, of: p.lessonsNow, percent: rate * 100),
                    planted: p.chronicRate > 0)
            }
            if p.truant || recentUnexcused[pi] >= 3 {
                try row(
                    p, "truancy", "", GeneratorText.truant(recentUnexcused[pi]), planted: p.truant)
            }
            for (workID, subject, planted) in works.missed(pupil: pi) {
                try row(p, "missed-work", subject, workID, planted: planted)
            }
        }
    }
}

func fmt(_ v: Double) -> String {
    let r = (v * 100).rounded() / 100
    return String(r)
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
@inline(__always) func _exp(_ x: Double) -> Double { exp(x) }
