import Foundation
import MayakTestSupport
import Testing

/// The web app in a real browser: `Tests/Browser/scenario.py` drives Debian's chromium with
/// selenium through a week's work of a class teacher, a deputy head and the department, against
/// `mayak serve` on a free loopback port. Screenshots go to `.build/browser-screenshots`.
///
/// Skipped, saying what is missing, when chromium, chromedriver or selenium is not installed;
/// CI installs all three and sets `MAYAK_REQUIRE_BROWSER=1`, under which a missing one fails.
@Suite struct BrowserScenarioTests {
    static let missing: [String] = {
        var out: [String] = []
        let fm = FileManager.default
        if !["/usr/bin/chromium", "/usr/bin/chromium-browser"].contains(where: fm.isExecutableFile(atPath:)) {
            out.append("chromium")
        }
        if !fm.isExecutableFile(atPath: "/usr/bin/chromedriver") { out.append("chromium-driver") }
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["python3", "-c", "import selenium"]
        probe.standardOutput = FileHandle.nullDevice
        probe.standardError = FileHandle.nullDevice
        if (try? probe.run()) == nil {
            out.append("python3")
        } else {
            probe.waitUntilExit()
            if probe.terminationStatus != 0 { out.append("selenium (python3 -m pip install selenium)") }
        }
        return out
    }()

    static let required = ProcessInfo.processInfo.environment["MAYAK_REQUIRE_BROWSER"] == "1"

    @Test(
        .enabled(
            if: missing.isEmpty || required,
            "the browser scenario needs \(missing.joined(separator: ", ")): apt-get install -y --no-install-recommends chromium chromium-driver; python3 -m pip install selenium (CI installs them)"
        ), .timeLimit(.minutes(10)))
    func aWeekOfWorkInARealBrowser() throws {
        #expect(Self.missing.isEmpty, "missing for the browser scenario: \(Self.missing)")
        let binary = try #require(MayakBinary.url, "\(MayakBinary.NoBinary())")
        let shots = MayakBinary.packageRoot.appendingPathComponent(".build/browser-screenshots")
        let log = TemporaryFolders.fresh("browser-scenario.log")
        TemporaryFolders.write(nil, to: log.path)
        let handle = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", MayakBinary.packageRoot.appendingPathComponent("Tests/Browser/scenario.py").path, "--mayak",
            binary.path, "--rules", MayakBinary.rules.path, "--screenshots", shots.path,
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["SE_AVOID_STATS"] = "true"
        process.environment = environment
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try handle.close()
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(process.terminationStatus == 0, "\(output.suffix(4000))")
        #expect(output.contains("browser scenario passed"), "\(output.suffix(2000))")
    }
}
