import Foundation
import MayakTestSupport
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `mayak report` through the real binary: well-formed pages, the same figures as `check`,
/// scope, pseudonyms, and a real browser rendering the pages.
@Suite(.serialized) struct ReportCommandTests {
    /// A generated district, the same period a year before, and the report of both.
    final class Site: @unchecked Sendable {
        static let shared = Site()
        let work: URL
        let district: URL
        let previous: URL
        let site: URL
        let output: MayakBinary.Result
        let check: MayakBinary.Result
        /// The exit statuses of generating the district and its previous year.
        let generated: [Int32]

        private init() {
            work = (try? MayakBinary.temporaryFolder()) ?? URL(fileURLWithPath: "/tmp")
            district = work.appendingPathComponent("district")
            previous = work.appendingPathComponent("previous")
            site = work.appendingPathComponent("site")
            generated = [
                (try? MayakBinary.run(["generate", "--seed", "11", "--out", district.path]))?.status ?? -1,
                (try? MayakBinary.run(["generate", "--seed", "11", "--as-of", "2025-03-13", "--out", previous.path]))?
                    .status ?? -1,
            ]
            output =
                (try? MayakBinary.run([
                    "report", district.path, "--previous", previous.path, "--rules", MayakBinary.rules.path, "--out",
                    site.path,
                ]))
                ?? MayakBinary.Result(status: -1, stdout: "", stderr: "did not run")
            check =
                (try? MayakBinary.run(["check", district.path]))
                ?? MayakBinary.Result(status: -1, stdout: "", stderr: "")
        }
    }

    var s: Site { Site.shared }

    func pages(_ folder: URL) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".html") }.sorted()
            .map { folder.appendingPathComponent($0) }
    }

    @Test func writesTheSite() throws {
        #expect(s.generated == [0, 0])
        #expect(s.output.status == 0, "\(s.output.stderr)")
        #expect(s.output.stdout.hasPrefix("Отчёт: \(s.site.path)/index.html — страниц "))
        let names = try FileManager.default.contentsOfDirectory(atPath: s.site.path)
        #expect(names.contains("index.html"))
        #expect(names.filter { $0.hasPrefix("school-") }.count == 8)
        #expect(names.filter { $0.hasPrefix("class-") }.count > 100)
        #expect(names.filter { $0.hasPrefix("pupil-") }.count > 100)
        #expect(!FileManager.default.fileExists(atPath: s.site.path + ".partial"))
    }

    @Test func everyPageIsWellFormedAndSelfContained() throws {
        for page in try pages(s.site) {
            let data = try Data(contentsOf: page)
            let parser = XMLParser(data: data)
            #expect(
                parser.parse(),
                "\(page.lastPathComponent): \(parser.parserError.map { "\($0)" } ?? "") at line \(parser.lineNumber)")
            let text = String(decoding: data, as: UTF8.self)
            #expect(!text.contains("<script"), "\(page.lastPathComponent) has a script")
            #expect(
                !text.contains("http://")
                    || !text.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http://"))
            #expect(!text.contains("https://"), "\(page.lastPathComponent) refers to the network")
        }
    }

    @Test func districtFiguresEqualCheck() throws {
        let index = try String(contentsOf: s.site.appendingPathComponent("index.html"), encoding: .utf8)
        guard let row = index.range(of: "<tr class=\"total\" id=\"total\"[^>]*>", options: .regularExpression) else {
            Issue.record("no total row")
            return
        }
        let tag = String(index[row])
        func attribute(_ name: String) -> String? {
            guard let r = tag.range(of: "\(name)=\"([^\"]*)\"", options: .regularExpression) else { return nil }
            return String(tag[r].dropFirst(name.count + 2).dropLast())
        }
        #expect(s.check.status == 0, "\(s.check.stderr)")
        let total = try #require(s.check.stdout.split(separator: "\n").first { $0.hasPrefix("Итого по округу") })
        let cells = total.split(separator: " ").suffix(6).map(String.init)
        func plain(_ x: String) -> String { x.replacingOccurrences(of: "\u{202F}", with: "") }
        #expect(
            [
                attribute("data-pupils"), attribute("data-assessed"), attribute("data-success"),
                attribute("data-quality"),
                attribute("data-sou"), attribute("data-failing"),
            ].map { $0 ?? "?" } == cells.map(plain))
        #expect(index.contains("По сравнению с аналогичным периодом прошлого учебного года (2024/2025)"))
        #expect(index.contains("количество неуспевающих"))
        #expect(index.contains("<svg"))
    }

    @Test func schoolClassAndPupilPages() throws {
        let school = try String(contentsOf: s.site.appendingPathComponent("school-SH02.html"), encoding: .utf8)
        #expect(school.contains("Объективность ВПР 2025 г."))
        #expect(school.contains("Понизили"))
        #expect(!school.contains("учител") || school.contains("не используются для оценки работы учителей"))
        let candidates = try pages(s.site).filter { $0.lastPathComponent.hasPrefix("pupil-") }
        let texts = try candidates.map { try String(contentsOf: $0, encoding: .utf8) }
        let text = try #require(texts.first { $0.contains("Алгебра: отметок") })
        for field in [
            "Индивидуальный образовательный маршрут", "Выявленные проблемы", "Цели", "Мероприятия", "Ответственный",
            "Срок", "Как проверяется результат", "Дата пересмотра", "Родитель (законный представитель)",
            "@page { size: A4",
        ] {
            #expect(text.contains(field), "pupil page lacks \(field)")
        }
    }

    @Test func scopeAndPseudonyms() throws {
        let out = s.work.appendingPathComponent("class-only")
        let r = try MayakBinary.run([
            "report", s.district.path, "--rules", MayakBinary.rules.path, "--class", "SH02-7А", "--pseudonymize",
            "--out", out.path,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: out.path)
        #expect(names.filter { $0.hasPrefix("class-") } == ["class-SH02-7А.html"])
        #expect(names.filter { $0.hasPrefix("school-") } == ["school-SH02.html"])
        // The whole district, pseudonymized: no pupil's name or id anywhere.
        let anonymous = s.work.appendingPathComponent("anonymous")
        let all = try MayakBinary.run([
            "report", s.district.path, "--rules", MayakBinary.rules.path, "--pseudonymize", "--out", anonymous.path,
        ])
        #expect(all.status == 0)
        let pupils = try String(contentsOf: s.district.appendingPathComponent("pupils.csv"), encoding: .utf8).split(
            separator: "\n"
        ).dropFirst()
        let fullNames = Set(pupils.map { String($0.split(separator: ",")[2]) })
        let ids = Set(pupils.map { String($0.split(separator: ",")[0]) })
        var triples = Set<String>()
        var tokens = Set<String>()
        for page in try pages(anonymous) {
            let words = try String(contentsOf: page, encoding: .utf8)
                .split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "-" }).map(String.init)
            tokens.formUnion(words)
            if words.count >= 3 {
                for i in 0..<(words.count - 2) { triples.insert("\(words[i]) \(words[i + 1]) \(words[i + 2])") }
            }
        }
        #expect(fullNames.count > 2000)
        #expect(
            fullNames.intersection(triples).isEmpty,
            "pupil names in a pseudonymized report: \(fullNames.intersection(triples).prefix(3))")
        #expect(ids.intersection(tokens).isEmpty, "pupil ids in a pseudonymized report")
        // The same pupil has the same code in a second report.
        let again = s.work.appendingPathComponent("anonymous-2")
        _ = try MayakBinary.ok([
            "report", s.district.path, "--rules", MayakBinary.rules.path, "--pseudonymize", "--out", again.path,
        ])
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: anonymous.path).sorted()
                == FileManager.default.contentsOfDirectory(atPath: again.path).sorted())
    }

    /// Every link between pages leads to a page that was written, also when pupil pages are
    /// limited to the more serious alerts.
    @Test func everyLinkResolves() throws {
        let limited = s.work.appendingPathComponent("site-high")
        let r = try MayakBinary.run([
            "report", s.district.path, "--rules", MayakBinary.rules.path, "--pupil-pages", "high", "--out",
            limited.path,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        for site in [s.site, limited] {
            let names = Set(try FileManager.default.contentsOfDirectory(atPath: site.path))
            for page in try pages(site) {
                let text = try String(contentsOf: page, encoding: .utf8)
                var rest = Substring(text)
                while let r = rest.range(of: "href=\"") {
                    rest = rest[r.upperBound...]
                    guard let end = rest.firstIndex(of: "\"") else { break }
                    let target = String(rest[..<end]).removingPercentEncoding ?? ""
                    #expect(names.contains(target), "\(page.lastPathComponent) links to missing \(target)")
                    rest = rest[end...]
                }
            }
        }
        let all = try FileManager.default.contentsOfDirectory(atPath: s.site.path).filter { $0.hasPrefix("pupil-") }
            .count
        let high = try FileManager.default.contentsOfDirectory(atPath: limited.path).filter { $0.hasPrefix("pupil-") }
            .count
        #expect(high > 0 && high < all)
    }

    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// Headless Chromium (Debian's `chromium`) renders the district page and a plan page with no
    /// console errors and no network requests.
    @Test(
        .enabled(
            if: chromium != nil,
            "chromium is not installed here: apt-get install -y --no-install-recommends chromium (CI installs it)"))
    func aBrowserRendersThePages() throws {
        let pupil = try #require(try pages(s.site).first { $0.lastPathComponent.hasPrefix("pupil-") })
        for page in [s.site.appendingPathComponent("index.html"), pupil] {
            let png = s.work.appendingPathComponent(page.deletingPathExtension().lastPathComponent + ".png")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try #require(Self.chromium))
            process.arguments = [
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--enable-logging=stderr", "--v=0",
                "--host-resolver-rules=MAP * ~NOTFOUND", "--window-size=1200,1600",
                "--screenshot=\(png.path)", page.absoluteString,
            ]
            let log = s.work.appendingPathComponent("chromium.log")
            TemporaryFolders.write(nil, to: log.path)
            let handle = try FileHandle(forWritingTo: log)
            process.standardError = handle
            process.standardOutput = handle
            try process.run()
            process.waitUntilExit()
            try handle.close()
            let output = try String(contentsOf: log, encoding: .utf8)
            #expect(process.terminationStatus == 0, "\(output.suffix(2000))")
            let size = (try FileManager.default.attributesOfItem(atPath: png.path)[.size] as? Int) ?? 0
            #expect(size > 10_000, "\(page.lastPathComponent) rendered to an empty picture")
            let console = output.split(separator: "\n").filter {
                $0.contains("CONSOLE") || $0.contains("net::ERR") || $0.contains("Failed to load")
            }
            #expect(console.isEmpty, "\(page.lastPathComponent): \(console)")
        }
    }
}
