import Testing

@testable import MayakReports

/// Report pages are named after ids: the names never collide and always fit a file system.
@Suite struct PageNameTests {
    @Test func shortPlainIdsStayReadable() {
        #expect(ReportSite.slug("SH02") == "SH02")
        #expect(ReportSite.slug("SH02-7А") == "SH02-7А")
    }

    @Test func idsThatDifferOnlyInDroppedCharactersGetDifferentNames() {
        let names = ["C5/A", "C5.A", "C5_A", "C5 A", "C5\u{0}A", "", "..", "/"].map(ReportSite.slug)
        #expect(Set(names).count == names.count, "\(names)")
        #expect(names.allSatisfy { !$0.contains("/") && !$0.isEmpty && $0 != ".." })
    }

    @Test func anIdThatLooksHashedIsHashedToo() {
        let crafted = "C5_A-" + String(ReportSite.slug("C5/A").suffix(16))
        #expect(ReportSite.slug(crafted) != ReportSite.slug("C5/A"))
        #expect(ReportSite.slug(crafted) != crafted)
    }

    @Test func longIdsAreCutToAFileName() {
        for id in [
            String(repeating: "x", count: 300), String(repeating: "Ж", count: 300), String(repeating: "😀", count: 300),
        ] {
            let name = "pupil-" + ReportSite.slug(id) + ".html"
            #expect(name.utf8.count <= 255)
            #expect(ReportSite.slug(id) != ReportSite.slug(id + "y"))
        }
    }
}
