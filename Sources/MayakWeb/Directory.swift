import MayakSnapshot

/// Who and what the snapshot holds, by the ids addresses use.
struct Directory: Sendable {
    let pupilByID: [String: Int]
    let classByID: [String: Int]
    let schoolByID: [String: Int]
    /// The teachers the snapshot names per school (class teachers and subject teachers),
    /// sorted: whom an alert can be assigned to.
    let staffBySchool: [[String]]
    /// The same as a `datalist` for the pages, made once per school.
    let staffListBySchool: [String]

    init(_ s: Snapshot) {
        pupilByID = Dictionary(s.pupils.id.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        classByID = Dictionary(s.classes.id.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        schoolByID = Dictionary(s.schools.id.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var staff = [Set<String>](repeating: [], count: s.schools.count)
        for c in 0..<s.classes.count where !s.classes.classTeacher[c].isEmpty {
            staff[Int(s.classes.school[c])].insert(s.classes.classTeacher[c])
        }
        for r in 0..<s.classSubjects.count where !s.classSubjects.teacher[r].isEmpty {
            staff[Int(s.classes.school[Int(s.classSubjects.classIndex[r])])].insert(s.classSubjects.teacher[r])
        }
        staffBySchool = staff.map { $0.sorted() }
        staffListBySchool = staffBySchool.map {
            Templates.library.render(["staff": $0], withTemplate: "staffList") ?? ""
        }
    }
}
