import Foundation
import HummingbirdTesting
import MayakHistory
import MayakTestSupport
import Testing

@testable import MayakWeb

/// What the web app shows a person is Russian: the text of its pages for every role (their
/// words between the tags, and the titles and placeholders a reader sees), an error page, and
/// the problems of a new password as the pages and the CLI say them.
///
/// The word check is private: another helper adds `RussianText.englishWords(in:)` to
/// MayakTestSupport on a branch this one cannot see; once both are in, this can use it.
@Suite struct RussianPagesTests {
    /// Latin words a page may show, and why: Roman numerals of periods («II четверть»), the
    /// «Ctrl+P» of the printable plan, bcrypt in a password problem; and the test world's own
    /// data: its logins (named «Сотрудник teacher»), and the «<script>» of a hostile message.
    static let allowed: Set<String> = [
        "I", "II", "III", "IV", "Ctrl", "P", "bcrypt",
        "teacher", "deputy", "department", "admin", "gone", "script",
    ]

    /// The words of Latin letters in a page's visible text: outside tags, scripts and styles,
    /// and outside «…» quotes, code spans (parameter names), the rule ids of the pack, ids
    /// (words with a digit, a hyphen or an underscore) and paths.
    static func englishWords(_ html: String) -> [String] {
        var t = html
        for id in WebAppTests.pack.rules.map(\.id).sorted(by: { $0.count > $1.count }) {
            t = t.replacingOccurrences(of: id, with: " ")
        }
        t = t.replacingOccurrences(of: #"(?s)<code>.*?</code>"#, with: " ", options: .regularExpression)
        for pattern in [
            #"(?s)<script.*?</script>"#, #"(?s)<style.*?</style>"#,
            // What a reader sees of a tag: its title, placeholder, label or value.
            #"(?s)<[^>]*?\b(title|placeholder|aria-label|alt)="([^"]*)"[^>]*>"#,
        ] {
            t = t.replacingOccurrences(
                of: pattern, with: pattern.contains("title") ? " $2 " : " ", options: .regularExpression)
        }
        for pattern in [
            #"(?s)<[^>]*>"#, #"&[a-z]+;"#, #"«[^»]*»"#, #"\S*/\S*"#, #"\b[\w-]*[0-9_-][\w-]*\b"#,
        ] {
            t = t.replacingOccurrences(of: pattern, with: " ", options: .regularExpression)
        }
        return t.split { !($0.isASCII && $0.isLetter) }.map(String.init).filter { !allowed.contains($0) }
    }

    @Test func everyRolesPagesAreRussian() async throws {
        let w = try WebAppTests.world()
        let pages: [(login: String, paths: [String])] = [
            ("teacher", ["/classes/C5A", "/pupils/P01", "/alerts/a000000000000001", "/plans", "/no-such-page"]),
            ("deputy", ["/schools/SCH1", "/plans?school=SCH1"]),
            ("department", ["/district", "/district/rules", "/district/scan", "/plans"]),
            ("admin", ["/admin/users"]),
        ]
        var checked = 0
        for (login, paths) in pages {
            try await WebAppTests.browse(w) { b in
                let form = try await b.get("/login")
                #expect(Self.englishWords(WebAppTests.body(form)).isEmpty, "/login")
                _ = try await b.signIn(login)
                for path in paths {
                    let page = WebAppTests.body(try await b.get(path))
                    #expect(page.contains("<html lang=\"ru\">"), "\(path)")
                    let english = Self.englishWords(page)
                    #expect(english.isEmpty, "\(path) as \(login): \(english)")
                }
            }
            checked += paths.count
        }
        #expect(checked == 12)
    }

    @Test func passwordProblemsAreRussian() throws {
        for password in ["1234567", String(repeating: "я", count: 37), "пароль\u{7}пароль"] {
            let problem = try #require(Passwords.problem(password))
            let text = problem.text
            #expect(Self.englishWords(text) == [], "\(text)")
            #expect(text.first?.isLowercase == true)
            #expect(problem.russian.hasSuffix("."))
        }
        #expect(Self.englishWords("<p>the password is too short</p>") == ["the", "password", "is", "too", "short"])
    }
}
