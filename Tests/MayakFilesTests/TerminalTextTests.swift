import Testing

@testable import MayakFiles

@Suite struct TerminalTextTests {
    @Test func plainTextIsUntouched() {
        for s in ["", "Тестов Иван Петрович", "«Алгебра»: 2, 2, 3 — риск «н/а»", "a\u{00A0}b", "€ 😀 ё"] {
            #expect(TerminalText.escaped(s) == s)
        }
    }

    @Test func terminalControlsAreShownNotActedOn() {
        #expect(
            TerminalText.escaped("Иванов\u{1B}]52;c;ZWNobyBoaQ==\u{07}") == "Иванов\\u001b]52;c;ZWNobyBoaQ==\\u0007")
        #expect(TerminalText.escaped("ok\rFAKE") == "ok\\u000dFAKE")
        #expect(TerminalText.escaped("\u{1B}[2J") == "\\u001b[2J")
        #expect(TerminalText.escaped("a\u{9B}31m") == "a\\u009b31m")
        #expect(TerminalText.escaped("a\u{7F}b\u{8}") == "a\\u007fb\\u0008")
        #expect(TerminalText.escaped("имя\u{202E}txt.exe") == "имя\\u202etxt.exe")
        #expect(TerminalText.escaped("x\u{2066}y") == "x\\u2066y")
    }

    @Test func linesAreKeptOnlyWhenAsked() {
        #expect(TerminalText.escaped("a\nb\tc") == "a\\u000ab\\u0009c")
        #expect(TerminalText.escaped("a\nb\tc\u{1B}", keepingLines: true) == "a\nb\tc\\u001b")
    }
}
