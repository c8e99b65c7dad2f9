import Foundation
import MayakTestSupport
import Testing

@testable import MayakImport

/// Tests/Fixtures/import/journal.xls is genuine BIFF8, written by make-xls.py beside it (xlwt)
/// from invented pupils.
@Suite struct BIFFReaderTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/import")
    static let journal = fixtures.appendingPathComponent("journal.xls").path

    private func file(_ name: String, _ bytes: [UInt8]) -> String {
        let path = TemporaryFolders.fresh(name).path
        TemporaryFolders.write(Data(bytes), to: path)
        return path
    }

    private func failure(_ path: String, file: String) -> ImportError? {
        do {
            _ = try BIFFReader.read(path: path, file: file)
            return nil
        } catch {
            return error
        }
    }

    @Test func sheetsCyrillicNumbersAndDates() throws {
        let book = try BIFFReader.read(path: Self.journal, file: "journal.xls")
        #expect(book.kind == .xls)
        #expect(book.grids.map(\.name) == ["7А", "Сводная 7Б", "Пусто"])
        #expect(book.grids.allSatisfy { $0.addressing == .cells && $0.merges.isEmpty && $0.file == "journal.xls" })
        try #require(book.grids.count == 3)
        #expect(
            book.grids[0].rows == [
                ["ФИО", "Алгебра", "Геометрия", "Средний балл", "Дата рождения", "Пропуски"],
                ["Белкина Арина Олеговна", "5", "4", "4,5", "14.03.2012", "Н"],
                ["Гусев Тимофей Ильич", "3", "2", "2,75", "01.12.2011"],
                ["Ёлкина Вера", "4", "5", "4", "30.09.2012", "УП"],
                [],
                ["Итого", "12", "", "-0,125", "1234567"],
                ["Урок", "01.09.2025 08:30", "13:45", "100000", "12345678901", "-3"],
            ])
        #expect(
            book.grids[1].rows == [["Ученик", "I четверть"], ["Фёдорова Юлия", "3,6"], ["Щукин Эдуард", "", "н/а"]])
        #expect(book.grids[2].rows.isEmpty)
        #expect(book.grids[0].location(row: 13, column: 3) == "journal.xls:7А!D14")
        #expect(book.grids[1].location(row: 2, column: 2) == "journal.xls:Сводная 7Б!C3")
    }

    @Test func numbersAsAPersonReadsThem() {
        #expect(BIFFReader.number(4.5) == "4,5")
        #expect(BIFFReader.number(5.0) == "5")
        #expect(BIFFReader.number(-0.0) == "0")
        #expect(BIFFReader.number(0.1 + 0.2) == "0,3")
        #expect(BIFFReader.number(13.0 / 3.0) == "4,33333333333333")
        #expect(BIFFReader.number(-2.75) == "-2,75")
        #expect(BIFFReader.dateTime("2025-09-01") == "01.09.2025")
        #expect(BIFFReader.dateTime("2025-09-01 08:30:15") == "01.09.2025 08:30:15")
        #expect(BIFFReader.dateTime("07:05:00") == "07:05")
        #expect(BIFFReader.trimmed("\u{A0} Гусев \n") == "Гусев")
    }

    @Test func whatIsNotBIFFIsRefusedByName() throws {
        var generator = SplitMix(seed: 11)
        let noise = (0..<8192).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let random = failure(file("noise.xls", noise), file: "noise.xls")
        #expect(random?.location == "noise.xls")
        #expect(random?.message.contains("не книга Excel 97–2003 (BIFF)") == true)

        // The compound file's signature over noise: FreeXL finds the damage.
        let signed = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + noise
        let damaged = failure(file("signed.xls", signed), file: "signed.xls")
        #expect(damaged?.location == "signed.xls")
        #expect(damaged?.message.contains("книга Excel 97–2003 (BIFF)") == true)

        let whole = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.journal)))
        for length in [512, 2000, whole.count / 2, whole.count - 700] {
            let cut = failure(file("cut.xls", Array(whole.prefix(length))), file: "cut.xls")
            #expect(cut?.location.hasPrefix("cut.xls") == true, "cut at \(length)")
            #expect(cut?.message.isEmpty == false)
        }

        let html = failure(
            file("journal.xls", Array("<html><body><table><tr><td>5</td></tr></table>".utf8)), file: "journal.xls")
        #expect(
            html
                == ImportError(
                    "journal.xls",
                    "не книга Excel 97–2003 (BIFF): это страница HTML (так СГО сохраняет свои отчёты под именем .xls)"))
        let zip = failure(file("book.xls", [0x50, 0x4B, 0x03, 0x04, 0, 0]), file: "book.xls")
        #expect(zip?.message == "не книга Excel 97–2003 (BIFF): это архив ZIP, как книга XLSX")
        #expect(failure(file("empty.xls", []), file: "empty.xls")?.message.contains("файл пуст") == true)
        #expect(
            failure("/nonexistent/journal.xls", file: "journal.xls") == ImportError("journal.xls", "нет такого файла"))
        #expect(failure(TemporaryFolders.root.path, file: "folder.xls")?.message.contains("directory") == true)
    }
}
