import Foundation
import MayakImport
import MayakTestSupport
import Testing

/// `mayak import` reads Excel 97–2003 workbooks in a child process (`mayak read-xls`): what it
/// reads there is what FreeXL reads in process, and a workbook FreeXL mishandles is an error
/// at the file.
@Suite struct XLSIsolationTests {
    static let fixtures = MayakBinary.fixtures.appendingPathComponent("import")
    static let child = IsolatedBIFFReader(command: [MayakBinary.url?.path ?? "/nonexistent/mayak", "read-xls", "--"])

    /// FreeXL 1.0.6 reads below a stack buffer on the first file's text record, 128 KiB past a
    /// heap buffer on the second, and writes out of bounds on the third (a SEGV inside
    /// libfreexl under AddressSanitizer, an abort from glibc's heap checks without it) — all
    /// found by fuzz-biff.
    /// Whatever that does in this build (an error from FreeXL without AddressSanitizer; a
    /// report and exit status 1 with it), the import says so at the file in one line, exits
    /// with 1 and writes nothing.
    @Test(arguments: ["freexl-stack-underflow.xls", "freexl-heap-overflow.xls", "freexl-segv.xls"])
    func aWorkbookFreeXLReadsOutOfBoundsOnIsAnErrorAndWritesNothing(name: String) throws {
        let work = try MayakBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        let path = Self.fixtures.appendingPathComponent(name).path
        let r = try MayakBinary.run(["import", path, "--into", "snap", "--school", "S1"], in: work)
        #expect(r.status == 1)
        let lines = r.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "\(r.stderr)")
        #expect(lines.first?.hasPrefix("\(path): ошибка: ") == true, "\(r.stderr)")
        #expect(lines.last == "ничего не записано; папка snap осталась как была")
        #expect(r.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: work.appendingPathComponent("snap").path))
    }

    @Test func everyWorkbookReadsAlikeInTheChildAndInProcess() throws {
        for name in ["journal.xls", "eljur-pupil.xls", "crash-empty-sheet.xls"] {
            let path = Self.fixtures.appendingPathComponent(name).path
            let inProcess = try BIFFReader.read(path: path, file: name)
            let isolated = try Self.child.read(path: path, file: name)
            #expect(isolated.kind == .xls)
            #expect(isolated.grids == inProcess.grids, "\(name)")
        }
        // Errors come back as they are, at the file as the user names it; a path like an
        // option is a path.
        let html = TemporaryFolders.fresh("page.xls").path
        TemporaryFolders.write(Data("<html><table><tr><td>5</td></tr></table>".utf8), to: html)
        #expect(
            throws: ImportError(
                "page.xls",
                "не книга Excel 97–2003 (BIFF): это страница HTML (так СГО сохраняет свои отчёты под именем .xls)")
        ) {
            try Self.child.read(path: html, file: "page.xls")
        }
        #expect(throws: ImportError("-x.xls", "нет такого файла")) {
            try Self.child.read(path: "-x.xls", file: "-x.xls")
        }
    }

    @Test func anExportImportsAlikeThroughTheChildAndInProcess() throws {
        let work = try MayakBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        let path = Self.fixtures.appendingPathComponent("eljur-pupil.xls").path
        let r = try MayakBinary.run(["import", path, "--into", "child", "--school", "S1"], in: work)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("\(path): Excel 97–2003 (BIFF), ЭлЖур: журнал ученика\n"), "\(r.stdout)")
        var request = ImportRequest(files: [path], into: work.appendingPathComponent("inProcess").path)
        request.options = ImportOptions(school: "S1")
        let outcome = Importer.run(request)
        #expect(outcome.wrote, "\(outcome.log.rendered)")
        let child = work.appendingPathComponent("child")
        let names = try FileManager.default.contentsOfDirectory(atPath: child.path).sorted()
        #expect(names.contains("marks.csv") && names.contains("import-log.json"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: request.into).sorted() == names)
        for name in names {
            let a = try Data(contentsOf: child.appendingPathComponent(name))
            let b = try Data(contentsOf: URL(fileURLWithPath: request.into).appendingPathComponent(name))
            #expect(a == b, "\(name)")
        }
    }
}
