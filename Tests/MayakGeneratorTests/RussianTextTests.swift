import Foundation
import MayakTestSupport
import Testing

@testable import MayakGenerator

/// The generator's words read as Russian: the truth file's details (what it says it planted,
/// for the people who read the file) and its errors, got from real input and a real failure.
///
/// The word check is private: another helper adds `RussianText.englishWords(in:)` to
/// MayakTestSupport on a branch this one cannot see; once both are in, this can use it.
@Suite struct RussianTextTests {
    static func englishWords(_ text: String) -> [String] {
        var t = text
        for pattern in [#"«[^»]*»"#, #"\S*/\S*"#, #"\b\w*[0-9_]\w*\b"#] {
            t = t.replacingOccurrences(of: pattern, with: " ", options: .regularExpression)
        }
        return t.split { !($0.isASCII && $0.isLetter) }.map(String.init)
    }

    @Test func theTruthFilesDetailsAreRussian() {
        let truth = GeneratedDistrict.shared.truth
        // Every condition has rows; a missed work's detail is the work's id.
        let conditions = Set(truth.compactMap { $0["condition"] })
        #expect(conditions == ["failing", "falling-trend", "chronic-absence", "truancy", "missed-work", "vpr-drop"])
        for row in truth where row["condition"] != "missed-work" {
            let detail = row["detail"] ?? ""
            #expect(!detail.isEmpty && Self.englishWords(detail).isEmpty, "\(row)")
        }
        #expect(truth.contains { $0["detail"]?.hasSuffix("без уважительной причины за последние две недели") == true })
        #expect(truth.contains { ($0["detail"] ?? "").contains(",") }, "decimals with a comma")
    }

    @Test func aFailureIsSaidInRussian() throws {
        let missing = TemporaryFolders.fresh("no-folder").appendingPathComponent("marks.csv").path
        let error = #expect(throws: GeneratorError.self) { _ = try TableWriter(path: missing, header: ["pupil_id"]) }
        let text = error.map { "\($0)" } ?? ""
        #expect(text == "не удалось создать \(missing): нет такого файла или папки")
        #expect(Self.englishWords(text).isEmpty, "\(text)")
    }
}
