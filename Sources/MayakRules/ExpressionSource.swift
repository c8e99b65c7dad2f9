/// An expression's text and, for each character, where it stands in the rule file, so that
/// diagnostics point into the file (`rules/core/x.yaml:12:18`).
public struct ExpressionSource: Sendable {
    public let file: String
    public let text: String
    /// `positions[i]`: the 1-based (line, column) of character `i`; one extra entry for the end.
    public let positions: [(line: Int, column: Int)]
    /// The full lines of the rule file, for excerpts under diagnostics.
    public let fileLines: [Substring]

    public init(file: String, text: String, positions: [(line: Int, column: Int)], fileLines: [Substring]) {
        self.file = file
        self.text = text
        self.positions = positions
        self.fileLines = fileLines
    }

    /// A source for text that starts at (line, column) and runs on one line.
    public static func singleLine(file: String, text: String, line: Int, column: Int, fileLines: [Substring])
        -> ExpressionSource
    {
        let n = text.count
        return ExpressionSource(
            file: file, text: text, positions: (0...n).map { (line, column + $0) }, fileLines: fileLines)
    }

    public func position(_ offset: Int) -> (line: Int, column: Int) {
        positions[max(0, min(offset, positions.count - 1))]
    }
}
