import MayakSnapshot

/// What one journal cell holds, as e-journals write it: marks and attendance codes together
/// (`5`, `4 5`, `4/5`, `Н`, `2 Н`, `5/Н`, `УП`, `Б`, `НП`, `ОСВ`, `н/а`). Several marks in a
/// cell are several marks of that day; an attendance code is an absence (or a late arrival).
public struct JournalCell: Equatable, Sendable {
    public var marks: [MarkValue.Grade] = []
    public var codes: [AttendanceCode] = []

    /// СГО's and ЭлЖур's codes beyond the snapshot's own (Н, Б, У, П, О).
    static let extraCodes: [String: AttendanceCode] = [
        "уп": .excused, "ув": .excused, "нп": .truancy, "пр": .truancy, "от": .absent, "оп": .late,
        "оп.": .late, "бол": .ill,
    ]

    /// The cell read, or the first token that is neither a mark nor a code.
    public static func parse(_ text: String) -> Result<JournalCell, TokenError> {
        var cell = JournalCell()
        // The commonest cell by far, one digit, read without splitting.
        if text.utf8.count == 1, let b = text.utf8.first, b >= 0x31, b <= 0x35, let g = digitGrades[Int(b - 0x31)] {
            cell.marks.append(g)
            return .success(cell)
        }
        // `н/а` holds a slash: read it whole before splitting marks on «/».
        let tokens = text.lowercased().replacingOccurrences(of: "н/а", with: "на").replacingOccurrences(
            of: "н\\а", with: "на"
        )
        .split(whereSeparator: { $0 == " " || $0 == "/" || $0 == "," || $0 == ";" || $0 == "\u{A0}" })
        for token in tokens {
            let t = String(token)
            if let grade = grade(t) {
                cell.marks.append(grade)
            } else if let code = AttendanceCode.parse(Substring(t)) ?? extraCodes[t] {
                cell.codes.append(code)
            } else {
                return .failure(TokenError(token: t))
            }
        }
        return .success(cell)
    }

    public struct TokenError: Error, Equatable, Sendable { public var token: String }

    /// The message for a cell that is not a journal cell.
    public static func problem(_ e: TokenError, in text: String) -> String {
        ImportText.notAJournalCell(token: e.token, in: text)
    }

    static func grade(_ token: String) -> MarkValue.Grade? {
        guard case .success(let v) = MarkValue.parse(token), v.absence == nil else { return nil }
        return v.grade
    }

    /// The grades of `1`…`5`.
    static let digitGrades: [MarkValue.Grade?] = (1...5).map { grade(String($0)) }

    public var isEmpty: Bool { marks.isEmpty && codes.isEmpty }
}
