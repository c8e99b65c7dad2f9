import ArgumentParser
import Foundation

/// ArgumentParser's help screens and usage errors as the program prints them: in Russian
/// (through the table `Help.Parser`), help wrapped to the terminal as ArgumentParser would wrap
/// it. ArgumentParser renders the text unwrapped (`unwrapped` columns), so that no phrase of
/// the table is broken across lines; the Russian is wrapped here.
enum ParserOutput {
    /// Columns enough for ArgumentParser to wrap nothing.
    static let unwrapped = 100_000

    /// ArgumentParser's column for the help of an option, after its label.
    static let helpColumn = 26

    /// The width help is wrapped to: `COLUMNS`, else the terminal's, else 80 (as ArgumentParser).
    static var width: Int {
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap({ Int($0) }), columns > 0 {
            return columns
        }
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }

    /// What a clean exit prints (help, the version, a completion script): a help screen in
    /// Russian, wrapped to `width`; anything else as it is.
    static func cleanText(_ text: String, width: Int) -> String {
        guard text.hasPrefix("OVERVIEW: ") || text.hasPrefix("USAGE: ") else { return text }
        return text.components(separatedBy: "\n").flatMap { wrap(apply(Help.Parser.screen, to: $0), width: width) }
            .joined(separator: "\n")
    }

    /// A failure as ArgumentParser renders it (`Error: ` and the message, then the help and
    /// usage lines of a usage error), in Russian. `message`: the message alone, as
    /// ArgumentParser's `message(for:)` gives it.
    static func errorText(_ full: String, message: String) -> String {
        let prefix = "Error: "
        guard full.hasPrefix(prefix) else { return full }
        let body = full.dropFirst(prefix.count)
        let (text, rest) =
            body.hasPrefix(message) ? (message, String(body.dropFirst(message.count))) : (String(body), "")
        let translated = text.components(separatedBy: "\n").map(error).joined(separator: "\n")
        let tail = rest.components(separatedBy: "\n").map { apply(Help.Parser.errorLines, to: $0) }
            .joined(separator: "\n")
        return Help.Parser.error + translated + tail
    }

    /// One line of a usage error in Russian, when it is one ArgumentParser writes; our own
    /// messages (`ValidationError`s) are Russian already and pass as they are.
    static func error(_ line: String) -> String {
        var joined = line
        for (english, russian) in Help.Parser.lists { joined = joined.replacingOccurrences(of: english, with: russian) }
        for (english, russian) in Help.Parser.errors {
            let translated = replace(english, with: russian, in: joined)
            if translated != joined { return translated }
        }
        return line
    }

    /// `line` with every pattern of `table` replaced.
    static func apply(_ table: [(english: String, russian: String)], to line: String) -> String {
        table.reduce(line) { replace($1.english, with: $1.russian, in: $0) }
    }

    static func replace(_ pattern: String, with template: String, in line: String) -> String {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return line }
        return regex.stringByReplacingMatches(
            in: line, range: NSRange(line.startIndex..., in: line), withTemplate: template)
    }

    /// A line of a help screen wrapped to `width` at spaces, its continuation lines indented as
    /// ArgumentParser indents them: under the help of an option (column 26) when the line is
    /// an option's label and help, else under the line's own first character.
    static func wrap(_ line: String, width: Int) -> [String] {
        let characters = Array(line)
        guard characters.count > width else { return [line] }
        let lead = characters.prefix { $0 == " " }.count
        var indent = lead
        // A usage line goes on under its first word, as ArgumentParser indents its own lines.
        let usage = Help.Parser.screen.first { $0.english == #"^USAGE: "# }?.russian ?? ""
        if line.hasPrefix(usage) { indent = usage.count }
        if lead == 2, characters.count > helpColumn, characters[helpColumn - 1] == " ",
            characters[helpColumn - 2] == " ", characters[helpColumn] != " "
        {
            indent = helpColumn
        }
        var lines: [String] = []
        var rest = characters
        var first = true
        while rest.count > width {
            // The last space within the width, past the indent (a label is never broken).
            let from = first ? max(indent, lead) : indent
            guard let cut = (from..<min(width + 1, rest.count)).last(where: { rest[$0] == " " }), cut > from else {
                break
            }
            lines.append(String(rest[..<cut]).replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression))
            let tail = rest[(cut + 1)...].drop { $0 == " " }
            rest = Array(String(repeating: " ", count: indent)) + tail
            first = false
        }
        lines.append(String(rest))
        return lines
    }
}
