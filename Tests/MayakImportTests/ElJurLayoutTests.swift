import Foundation
import MayakSnapshot
import MayakTestSupport
import Testing

@testable import MayakImport

/// ЭлЖур's pupil journal (a BIFF .xls made by Tests/Fixtures/import/make-xls.py from invented data).
@Suite struct ElJurLayoutTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/import/eljur-pupil.xls").path

    @Test func aPupilsJournalImportsWithoutAMapping() throws {
        let dir = TemporaryFolders.fresh("eljur")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var r = ImportRequest(files: [Self.fixture], into: dir.path + "/snap")
        r.options = ImportOptions(school: "S1")
        let outcome = Importer.run(r)
        #expect(outcome.log.rendered == [])
        #expect(outcome.sources.map(\.layout) == ["ЭлЖур: журнал ученика"])
        #expect(outcome.sources.map(\.kind) == [.xls])
        let (s, _) = try SnapshotLoader(folder: dir.path + "/snap").load()
        #expect(s.pupils.fullName == ["Белкина Арина Олеговна"])
        #expect(s.marks.count == 7)
        #expect(s.attendance.count == 3)
        let periods = try String(contentsOfFile: dir.path + "/snap/period_marks.csv", encoding: .utf8)
        #expect(periods == "pupil_id,subject,period,value\nP000001,Алгебра,Q1,5\nP000001,Русский язык,Q1,4\n")
        #expect(s.manifest.asOf == Day(year: 2025, month: 10, day: 7))
    }

    @Test func aBIFFSheetThatIsNoJournalIsNotTakenForOne() throws {
        let journal = URL(fileURLWithPath: Self.fixture).deletingLastPathComponent().appendingPathComponent(
            "journal.xls")
        let book = try BIFFReader.read(path: journal.path, file: "journal.xls")
        #expect(!ElJurLayout.recognises(book))
        let eljur = try BIFFReader.read(path: Self.fixture, file: "eljur-pupil.xls")
        #expect(ElJurLayout.recognises(eljur))
        #expect(!SGOJournalLayout.recognises(eljur))
    }
}
