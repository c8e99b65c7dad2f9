import Foundation
import Testing

@testable import MayakSnapshot

@Suite struct CSVReaderTests {
    /// Reads every record (header included) as strings, with their lines and any syntax errors.
    func read(_ bytes: [UInt8], encoding: TextEncoding = .auto, blockSize: Int = 1 << 22)
        throws -> (rows: [[String]], lines: [Int], errors: [String], reader: CSVReader)
    {
        let path = try Fixtures.temporaryFile(bytes)
        let reader = try CSVReader(path: path, displayName: "t.csv", encoding: encoding, blockSize: blockSize)
        var rows: [[String]] = []
        var lines: [Int] = []
        var errors: [String] = []
        reader.forEachRecord(
            header: { h, r in
                rows.append(h)
                lines.append(r.line)
                return true
            },
            { r in
                rows.append((0..<r.count).map { r.string($0) })
                lines.append(r.line)
            }, onError: { e in errors.append("\(e.line):\(e.column): \(e.message)") })
        return (rows, lines, errors, reader)
    }

    @Test func quotingCRLFAndEmbeddedLineBreaks() throws {
        let text = "a,b,c\r\n1,\"x, y\",\"he said \"\"hi\"\"\"\r\n2,\"two\nlines\",z\r\n\r\n3, spaced ,\r\n"
        let r = try read(Array(text.utf8))
        #expect(
            r.rows == [
                ["a", "b", "c"], ["1", "x, y", "he said \"hi\""], ["2", "two\nlines", "z"], ["3", "spaced", ""],
            ])
        #expect(r.lines == [1, 2, 3, 6])  // the blank line 5 is skipped
        #expect(r.errors.isEmpty)
    }

    /// Unquoted fields of every length from 0 to 40 bytes (the scanner skips eight bytes at a
    /// time inside them), ending in a separator, a line feed or CRLF, in small blocks so that
    /// records span blocks too: every field comes back whole.
    @Test func fieldsOfEveryLength() throws {
        var expected: [[String]] = [["h1", "h2", "h3"]]
        var text = "h1,h2,h3\n"
        for n in 0...40 {
            let long = String(repeating: "ж", count: n / 2) + String(repeating: "x", count: n % 2)
            let row = [long, "k\(n)", String(repeating: "y", count: 40 - n)]
            expected.append(row)
            text += row.joined(separator: ",") + (n % 3 == 0 ? "\r\n" : "\n")
        }
        for blockSize in [64, 100, 1 << 22] {
            let r = try read(Array(text.utf8), blockSize: blockSize)
            #expect(r.rows == expected, "block size \(blockSize)")
            #expect(r.errors.isEmpty)
        }
    }

    @Test func byteOrderMarkIsSkippedAndMeansUTF8() throws {
        let r = try read([0xEF, 0xBB, 0xBF] + Array("имя;класс\nИван;5А\n".utf8))
        #expect(r.reader.encoding == .utf8)
        #expect(r.reader.separator == UInt8(ascii: ";"))
        #expect(r.rows == [["имя", "класс"], ["Иван", "5А"]])
    }

    @Test func windows1251IsDetectedAndTranscoded() throws {
        let bytes = try #require(TextEncoding.windows1251Bytes("ФИО;оценка\r\nЁлкина Алёна;5/Н\r\n"))
        let r = try read(bytes)
        #expect(r.reader.encoding == .cp1251)
        #expect(r.rows == [["ФИО", "оценка"], ["Ёлкина Алёна", "5/Н"]])
    }

    @Test func separatorIsTheCommonestOutsideQuotes() throws {
        #expect(try read(Array("a,b;c,d\n".utf8)).reader.separator == UInt8(ascii: ","))
        #expect(try read(Array("\"a,b,c\";d;e\n".utf8)).reader.separator == UInt8(ascii: ";"))
        #expect(try read(Array("a\tb\tc\n".utf8)).reader.separator == UInt8(ascii: "\t"))
    }

    /// Records that straddle the reader's blocks come out whole, with correct line numbers.
    @Test func recordsSpanningBlocks() throws {
        var text = "id,name,note\n"
        for i in 1...200 { text += "\(i),Имя \(i),\"строка, с запятой\nи переносом \(i)\"\n" }
        let small = try read(Array(text.utf8), blockSize: 64)
        let large = try read(Array(text.utf8))
        #expect(small.rows == large.rows)
        #expect(small.lines == large.lines)
        #expect(small.rows.count == 201)
        #expect(small.lines.last == 2 + 199 * 2)
    }

    @Test func syntaxErrorsArePositioned() throws {
        let r = try read(Array("a,b\n\"x\"y,2\n3,\"open\n".utf8))
        #expect(
            r.errors == [
                "2:4: unexpected text after a closing quote; expected a separator or the end of the line",
                "3:3: unterminated quoted field; expected a closing '\"'",
            ])
    }

    @Test func noFinalNewline() throws {
        let r = try read(Array("a,b\n1,2".utf8))
        #expect(r.rows == [["a", "b"], ["1", "2"]])
    }

    @Test func invalidUTF8StopsTheFile() throws {
        let r = try read(Array("a,b\n1,ok\n".utf8) + [0x32, 0x2C, 0xFF, 0x0A] + Array("3,x\n".utf8), encoding: .utf8)
        #expect(r.rows.count == 2)
        #expect(r.errors.count == 1)
        #expect(r.errors[0].hasPrefix("3:3: the file is not valid UTF-8 here (byte 0xFF)"))
    }
}

@Suite struct MarkValueTests {
    func parse(_ s: String) -> String? {
        if case .success(let v) = MarkValue.parse(s) { return v.description }
        return nil
    }

    @Test(arguments: [
        ("5", "5"), (" 4 ", "4"), ("1", "1"), ("н/а", "н/а"), ("Н/А", "н/а"), (" н/а", "н/а"), ("НА", "н/а"),
        ("осв", "осв"), ("Осв.", "осв"), ("зач", "зач"), ("Зачёт", "зач"), ("незач", "незач"), ("НЕЗАЧ", "незач"),
        ("5/Н", "5/Н"), ("4 / б", "4/Б"), ("3/П", "3/П"), ("2/у", "2/У"), ("н/а/Н", "н/а/Н"),
    ])
    func acceptedTokens(input: String, expected: String) {
        #expect(parse(input) == expected)
    }

    @Test(arguments: ["6", "0", "б5", "5+", "отл", "5/Х", "45"])
    func rejectedTokens(input: String) {
        #expect(MarkValue.parse(input) == .failure(.unknownToken))
    }

    @Test func anAttendanceCodeAloneIsNotAMark() {
        #expect(MarkValue.parse("Н") == .failure(.absenceWithoutMark))
        #expect(MarkValue.parse(" ") == .failure(.empty))
    }

    @Test func failingValues() {
        #expect(MarkValue(grade: .two).isFailing)
        #expect(MarkValue(grade: .notAssessed).isFailing)
        #expect(MarkValue(grade: .failed).isFailing)
        #expect(!MarkValue(grade: .exempt).isFailing)
        #expect(!MarkValue(grade: .three, absence: .absent).isFailing)
        #expect(MarkValue(grade: .four, absence: .ill).numeric == 4)
        #expect(MarkValue(grade: .passed).numeric == nil)
    }
}

@Suite struct DayTests {
    @Test func bothDateForms() {
        #expect(Day.parse("2026-03-13") == .day(Day(year: 2026, month: 3, day: 13)!))
        #expect(Day.parse("13.03.2026") == .day(Day(year: 2026, month: 3, day: 13)!))
        #expect(Day.parse("1.9.2025") == .day(Day(year: 2025, month: 9, day: 1)!))
    }

    @Test func impossibleAndMalformed() {
        #expect(Day.parse("2026-02-29") == .impossible)
        #expect(Day.parse("2024-02-29") != .impossible)
        #expect(Day.parse("31.04.2026") == .impossible)
        #expect(Day.parse("2026-13-01") == .impossible)
        #expect(Day.parse("2026/03/13") == .malformed)
        #expect(Day.parse("13.03.26") == .malformed)
        #expect(Day.parse("2026-3-13") == .malformed)
        #expect(Day.parse("") == .malformed)
    }

    @Test func calendarArithmetic() {
        let d = Day(year: 2026, month: 3, day: 13)!
        #expect(d.weekday == 5)  // a Friday
        #expect(d.description == "2026-03-13")
        #expect(d.russian == "13.03.2026")
        #expect((d + 19).description == "2026-04-01")
        #expect(Day(year: 1970, month: 1, day: 1)!.number == 0)
        for n in stride(from: -1000, to: 40000, by: 97) {
            let day = Day(number: Int32(n))
            let c = day.components
            #expect(Day(year: c.year, month: c.month, day: c.day) == day)
        }
    }
}
