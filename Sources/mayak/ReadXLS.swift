import ArgumentParser
import Foundation
import MayakImport

/// `mayak read-xls PATH`: the child process in which `mayak import` reads an Excel 97–2003
/// workbook (see `IsolatedBIFFReader`), so that a memory error in FreeXL cannot reach the
/// import. Not a command for people: it is not listed, and writes a binary frame to stdout.
struct ReadXLS: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read-xls",
        abstract: Help.ReadXLS.abstract,
        shouldDisplay: false)

    @Argument(help: Help.ReadXLS.path)
    var path: String

    /// This executable with this subcommand, for `ImportRequest.biff`.
    static var isolatedReader: IsolatedBIFFReader {
        IsolatedBIFFReader(command: [executable, "read-xls", "--"])
    }

    /// This very executable, even when it was started by a relative name from elsewhere.
    static var executable: String {
        #if os(Linux)
            if FileManager.default.isExecutableFile(atPath: "/proc/self/exe") { return "/proc/self/exe" }
        #endif
        return Bundle.main.executablePath ?? CommandLine.arguments[0]
    }

    func run() throws {
        guard isatty(1) == 0 else {
            Terminal.error(Messages.readXLSToTerminal)
            throw ExitCode.failure
        }
        let status = IsolatedBIFFReader.serve(path: path)
        if status != 0 { throw ExitCode(status) }
    }
}
