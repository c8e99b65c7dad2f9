import Testing

@testable import MayakRules

/// Input that nests deeper than `Parser.maxDepth` is a positioned syntax error, never a
/// stack overflow: by brackets, `not`, `-`, or by a long chain of operators whose tree is deep.
@Suite struct NestingLimitTests {
    func error(_ text: String) -> ParseError? {
        if case .failure(let e) = Parser.parse(text) { return e }
        return nil
    }

    let message = "the expression nests more than 200 levels deep; split it into named parts with 'let'"

    @Test func bracketsNotAndMinusPointAtTheFirstLevelTooDeep() throws {
        let parens = try #require(
            error(String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000)))
        #expect(parens.message == message)
        #expect(parens.offset == 200)  // the first expression 201 levels in
        let lists = try #require(error(String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)))
        #expect(lists.message == message)
        #expect(lists.offset == 200)
        let nots = try #require(error(String(repeating: "not ", count: 8_000) + "true"))
        #expect(nots.message == message)
        #expect(nots.offset == 4 * 199)
        let minus = try #require(error(String(repeating: "-", count: 10_000) + "1"))
        #expect(minus.message == message)
        let calls = try #require(
            error(String(repeating: "abs(", count: 5_000) + "1" + String(repeating: ")", count: 5_000)))
        #expect(calls.message == message)
    }

    @Test func longChainsOfOperatorsAreBoundedToo() throws {
        for op in [" and ", " or ", " + ", " * ", " ?? "] {
            let text = Array(repeating: "a", count: 10_000).joined(separator: op)
            let e = try #require(error(text), "\(op)")
            #expect(e.message == message)
            // The 200th operator makes the tree 201 levels deep.
            #expect(e.offset == 200 * 1 + 199 * op.count + 1, "\(op)")
        }
        let members = try #require(error("a" + String(repeating: ".b", count: 10_000)))
        #expect(members.message == message)
        #expect(members.offset == 1 + 2 * 199)
    }

    @Test func nestingUpToTheLimitParses() throws {
        let deep = String(repeating: "(", count: 150) + "1" + String(repeating: ")", count: 150)
        #expect(error(deep) == nil)
        #expect(error(Array(repeating: "a", count: 150).joined(separator: " and ")) == nil)
        #expect(error("[" + Array(repeating: "1", count: 10_000).joined(separator: ", ") + "]") == nil)
        if case .success(let e) = Parser.parse("1 + 2 * 3") { #expect(e.depth == 3) }
    }
}
