import MayakSnapshot

extension SnapshotDraft {
    /// What one source changed, per table and class, for the summary and `--dry-run`.
    public struct Changes: Sendable {
        /// table → class id → (added, removed)
        public var counts: [String: [String: (added: Int, removed: Int)]] = [:]
        public var newPupils = 0
        public var movedPupils: [String] = []

        mutating func count(_ table: String, _ classID: String, added: Int = 0, removed: Int = 0) {
            var c = counts[table, default: [:]][classID] ?? (0, 0)
            c.added += added
            c.removed += removed
            counts[table, default: [:]][classID] = c
        }
    }

    /// Merges one source's batch: pupils matched to their lasting ids (or given new ones),
    /// and within what the source covers (a class's subject over its dates) its marks and
    /// absences replace the snapshot's — a mark changed in the journal is changed, one deleted
    /// is deleted; period marks replace those of the same pupil, subject and period.
    public mutating func merge(_ batch: ImportBatch, log: inout ImportLog) -> Changes {
        let batch = withSchoolIDs(batch)
        var changes = Changes()
        for s in batch.schools where schools[s.id] != s.name {
            if schools[s.id] == nil || s.name != s.id { schools[s.id] = s.name }
        }
        var ids: [String?] = []
        var classOfBatch: [Int: String] = [:]
        for (i, p) in batch.pupils.enumerated() {
            let classID = SnapshotDraft.classID(school: p.school, label: p.classLabel)
            let isNew = classes[classID] == nil
            if isNew { classes[classID] = (p.school, p.grade, p.letter, "") }
            guard let id = resolve(p, classID: classID, changes: &changes, log: &log) else {
                if isNew && p.classIsPast { classes[classID] = nil }
                ids.append(nil)
                continue
            }
            // A pupil found by a class of an earlier year stays in the class the snapshot has.
            let actual = pupils[id]?.classID ?? classID
            if isNew && actual != classID { classes[classID] = nil }
            classOfBatch[i] = actual
            ids.append(id)
        }
        // What the source covers is replaced.
        // What the source covers is replaced: a class's subject over the days (each pupil of
        // the class), or one pupil's. Dates are ISO text, which sorts as the days do.
        if !batch.coverage.isEmpty {
            var pupilsOfClass: [String: [String]] = [:]
            for (id, p) in pupils { pupilsOfClass[p.classID, default: []].append(id) }
            for c in batch.coverage {
                let whose: [String]
                if let p = c.pupil {
                    guard let id = ids[p] else { continue }
                    whose = [id]
                } else {
                    whose = pupilsOfClass[SnapshotDraft.classID(school: c.school, label: c.classLabel)] ?? []
                }
                for id in whose {
                    let key = PupilSubject(id, c.subject ?? "")
                    let classID = pupils[id]?.classID ?? ""
                    if let rows = marks[key] {
                        let kept = rows.filter { !(c.from <= $0.day && $0.day <= c.to) }
                        if kept.count != rows.count {
                            changes.count("marks", classID, removed: rows.count - kept.count)
                            marks[key] = kept
                        }
                    }
                    if let rows = attendance[key] {
                        let kept = rows.filter { !(c.from <= $0.day && $0.day <= c.to) }
                        if kept.count != rows.count {
                            changes.count("attendance", classID, removed: rows.count - kept.count)
                            attendance[key] = kept
                        }
                    }
                }
            }
        }
        for s in batch.subjects where s.count == 3 {
            let key = [SnapshotDraft.classID(school: s[0], label: s[1]), s[2]]
            if subjects[key] == nil { subjects[key] = ("", "") }
        }
        // Added rows are counted per pupil of the batch, then per class.
        var addedMarks = [Int](repeating: 0, count: batch.pupils.count)
        var addedAbsences = addedMarks
        var texts = Interned()
        var weights: [UInt16: String] = [:]
        for m in batch.marks {
            guard let id = ids[m.pupil] else { continue }
            let weight: String
            if let w = m.weight {
                if let known = weights[w] {
                    weight = known
                } else {
                    weight = WeightColumn.text(hundredths: w)
                    weights[w] = weight
                }
            } else {
                weight = "1"
            }
            marks[PupilSubject(id, texts[m.subject]), default: []].append(
                MarkRow(day: m.day, value: m.value, workType: texts[m.workType], weight: weight))
            addedMarks[m.pupil] += 1
        }
        for a in batch.absences {
            guard let id = ids[a.pupil] else { continue }
            attendance[PupilSubject(id, texts[a.subject ?? ""]), default: []].append(
                AbsenceRow(day: a.day, lesson: "", code: a.code.description))
            addedAbsences[a.pupil] += 1
        }
        for (p, classID) in classOfBatch {
            if addedMarks[p] > 0 { changes.count("marks", classID, added: addedMarks[p]) }
            if addedAbsences[p] > 0 { changes.count("attendance", classID, added: addedAbsences[p]) }
        }
        // A subject a mark is in is a subject of the class.
        var classSubjects: Set<[ByteKey]> = []
        var last: (pupil: Int, subject: String)?
        for m in batch.marks {
            guard let classID = classOfBatch[m.pupil] else { continue }
            if let l = last, l.pupil == m.pupil, ByteKey(l.subject) == ByteKey(m.subject) { continue }
            last = (m.pupil, m.subject)
            if classSubjects.insert([ByteKey(classID), ByteKey(m.subject)]).inserted,
                subjects[[classID, m.subject]] == nil
            {
                subjects[[classID, m.subject]] = ("", "")
            }
        }
        for pm in batch.periodMarks {
            guard let id = ids[pm.pupil], let classID = classOfBatch[pm.pupil] else { continue }
            let key = [id, pm.subject, pm.period]
            let old = periodMarks[key]
            if old != pm.value {
                periodMarks[key] = pm.value
                changes.count("period_marks", classID, added: 1, removed: old == nil ? 0 : 1)
            }
            if subjects[[classID, pm.subject]] == nil { subjects[[classID, pm.subject]] = ("", "") }
        }
        for v in batch.vprResults {
            guard let id = ids[v.pupil], let classID = classOfBatch[v.pupil] else { continue }
            let key = [id, String(v.year), v.subject]
            let row = [String(v.grade), v.score, v.maxScore, String(v.mark), v.journalMark.map(String.init) ?? ""]
            let old = vprResults[key]
            if old != row {
                vprResults[key] = row
                changes.count("vpr_results", classID, added: 1, removed: old == nil ? 0 : 1)
            }
        }
        inferences += batch.inferences
        return changes
    }

    /// The rows of `identity` with a (school, name) or (school, key), through an index built once
    /// and kept while rows are added (a district's import asks for thousands of pupils).
    mutating func identityRows(_ key: [String]) -> [Int] {
        if identityIndex == nil {
            var index: [[String]: [Int]] = [:]
            for (i, row) in identity.enumerated() {
                index[["name", row.school, row.name], default: []].append(i)
                if !row.key.isEmpty { index[["key", row.school, row.key], default: []].append(i) }
            }
            identityIndex = index
        }
        return identityIndex?[key] ?? []
    }

    /// Weekly hours from the curriculum preset (`CurriculumPreset`) for the subjects whose
    /// export gave none; the inferences say so, and name the subjects the preset does not know.
    public mutating func fillHours() {
        var filled = 0
        var unknown: Set<String> = []
        for (key, value) in subjects where value.hours.isEmpty {
            guard let grade = classes[key[0]]?.grade else { continue }
            if let h = CurriculumPreset.hours(key[1], grade: grade) {
                subjects[key] = (value.teacher, String(h))
                filled += 1
            } else {
                unknown.insert(key[1])
            }
        }
        if filled > 0 {
            inferences.append(ImportText.hoursFromCurriculum(pairs: filled))
        }
        if !unknown.isEmpty {
            inferences.append(ImportText.hoursUnknown(unknown.sorted()))
        }
    }

    /// A school a report names only by its name (`ImportBatch.School.id == name`, as СГО's
    /// reports do) gets a short id: the one the snapshot gives that name, or the next `S01`, `S02`…
    func withSchoolIDs(_ batch: ImportBatch) -> ImportBatch {
        var renamed: [String: String] = [:]
        var taken = Set(schools.keys)
        for s in batch.schools where s.id == s.name && (s.id.count > 16 || s.id.contains(" ")) {
            if let existing = schools.first(where: { $0.value == s.name })?.key {
                renamed[s.id] = existing
            } else {
                var n = 1
                while taken.contains(String(format: "S%02d", n)) { n += 1 }
                renamed[s.id] = String(format: "S%02d", n)
                taken.insert(renamed[s.id]!)
            }
        }
        guard !renamed.isEmpty else { return batch }
        var b = batch
        for i in b.schools.indices { b.schools[i].id = renamed[b.schools[i].id] ?? b.schools[i].id }
        for i in b.pupils.indices { b.pupils[i].school = renamed[b.pupils[i].school] ?? b.pupils[i].school }
        b.subjects = Set(b.subjects.map { s in s.count == 3 ? [renamed[s[0]] ?? s[0], s[1], s[2]] : s })
        for i in b.coverage.indices { b.coverage[i].school = renamed[b.coverage[i].school] ?? b.coverage[i].school }
        return b
    }

    /// The lasting id of a source's pupil (see the type's comment); nil with an error when
    /// the pupil cannot be told from another.
    mutating func resolve(_ p: ImportBatch.Pupil, classID: String, changes: inout Changes, log: inout ImportLog)
        -> String?
    {
        let name = PersonName.normalised(p.fullName)
        let birth = p.birthDate ?? ""
        var match: Int?
        if let key = p.key {
            match = identityRows(["key", p.school, key]).first
        } else {
            let sameName = identityRows(["name", p.school, name])
            let byBirth = birth.isEmpty ? [] : sameName.filter { identity[$0].birthDate == birth }
            let inClass = sameName.filter {
                identity[$0].classID == classID && (birth.isEmpty || identity[$0].birthDate.isEmpty)
            }
            if byBirth.count == 1 {
                match = byBirth[0]
            } else if inClass.count == 1 {
                match = inClass[0]
            } else if inClass.count > 1 {
                log.error(
                    ImportError(
                        p.location,
                        ImportText.namesakesInClass(
                            p.fullName, classLabel: p.classLabel, ids: inClass.map { identity[$0].pupilID })))
                return nil
            } else {
                // A pupil this import has already placed in another class is that class's
                // pupil, not one who moved: two namesakes in two classes stay two pupils.
                let elsewhere = sameName.filter {
                    (birth.isEmpty || identity[$0].birthDate.isEmpty || identity[$0].birthDate == birth)
                        && placed[identity[$0].pupilID].map({ $0 == classID }) ?? true
                }
                if elsewhere.count == 1 {
                    match = elsewhere[0]
                } else if elsewhere.count > 1 {
                    log.error(
                        ImportError(
                            p.location,
                            ImportText.namesakesElsewhere(
                                p.fullName, classLabel: p.classLabel, ids: elsewhere.map { identity[$0].pupilID })))
                    return nil
                }
            }
        }
        let id: String
        defer { if !p.classIsPast { placed[id] = classID } }
        if let match {
            id = identity[match].pupilID
            if p.classIsPast {
                // The class of an earlier year (a ВПР of last spring): the pupil has not moved.
                let current = identity[match].classID
                if identity[match].birthDate.isEmpty { identity[match].birthDate = birth }
                var extra = pupils[id]?.extra ?? [:]
                if !birth.isEmpty { extra["birth_date"] = birth }
                if !birth.isEmpty, !extraColumns.contains("birth_date") {
                    extraColumns.append("birth_date")
                    extraColumns.sort()
                }
                pupils[id] = (current, pupils[id]?.name ?? p.fullName, extra)
                return id
            }
            if identity[match].classID != classID {
                changes.movedPupils.append("\(id): \(identity[match].classID) → \(classID)")
                identity[match].classID = classID
            }
            if identity[match].birthDate.isEmpty { identity[match].birthDate = birth }
        } else {
            id = "P" + String(repeating: "0", count: max(0, 6 - String(nextPupil).count)) + String(nextPupil)
            nextPupil += 1
            identity.append(
                IdentityRow(
                    pupilID: id, school: p.school, classID: classID, name: name, birthDate: birth, key: p.key ?? ""))
            identityIndex?[["name", p.school, name], default: []].append(identity.count - 1)
            if let key = p.key, !key.isEmpty {
                identityIndex?[["key", p.school, key], default: []].append(identity.count - 1)
            }
            changes.newPupils += 1
        }
        var extra = pupils[id]?.extra ?? [:]
        if !birth.isEmpty { extra["birth_date"] = birth }
        for (k, v) in p.extra { extra[k] = v }
        for k in extra.keys where !extraColumns.contains(k) {
            extraColumns.append(k)
            extraColumns.sort()
        }
        let shownName = p.fullName.isEmpty ? (pupils[id]?.name ?? "Участник \(id)") : p.fullName
        pupils[id] = (classID, shownName, extra)
        return id
    }
}
