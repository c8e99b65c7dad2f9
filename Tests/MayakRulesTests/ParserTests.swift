import Testing

@testable import MayakRules

@Suite struct ParserTests {
    func parse(_ text: String) throws -> Expr {
        switch Parser.parse(text) {
        case .success(let e): return e
        case .failure(let e): throw e
        }
    }

    func error(_ text: String) -> ParseError? {
        if case .failure(let e) = Parser.parse(text) { return e }
        return nil
    }

    @Test func precedence() throws {
        #expect(try parse("1 + 2 * 3 - 4").description == "((1 + (2 * 3)) - 4)")
        #expect(try parse("a or b and not c").description == "(a or (b and not c))")
        #expect(try parse("x ?? 0 > 2").description == "(x ?? (0 > 2))")
        #expect(try parse("a > 1 ? b : c").description == "((a > 1) ? b : c)")
        #expect(try parse("-x.y").description == "-x.y")
        #expect(
            try parse("p.marks.filter(m, m.value <= 2).count() >= 3").description
                == "(p.marks.filter(m, (m.value <= 2)).count() >= 3)")
        #expect(try parse("s.name in [\"2\", 'н/а']").description == "(s.name in [\"2\", \"н/а\"])")
        #expect(try parse("a && b || !c").description == "((a and b) or not c)")
    }

    @Test func positionsAreCharacterOffsets() throws {
        let e = try parse("pupil.marks.filter(m, m.wieght > 1)")
        guard case .method(_, "filter", let args) = e.kind, case .binary(.greater, let member, _) = args[1].kind else {
            Issue.record("unexpected shape \(e)")
            return
        }
        #expect(member.start == 22)
        #expect(member.nameStart == 24)
        #expect(member.end == 30)
        // Cyrillic text counts as one position per character.
        let s = try parse("\"Прогноз\" + x")
        guard case .binary(_, _, let x) = s.kind else {
            Issue.record("shape")
            return
        }
        #expect(x.start == 12)
    }

    @Test func errorsPointAtTheFault() {
        #expect(error("a >= = 3")?.offset == 5)
        #expect(error("a >= = 3")?.message == "unexpected '='; compare with '=='")
        #expect(error("(a + b")?.message == "expected ')' to close '(', found end of the expression")
        #expect(error("1 < x < 3")?.message == "comparisons do not chain; join them with 'and'")
        #expect(error("оценка > 3")?.offset == 0)
        #expect(error("\"open")?.message == "unterminated text; expected a closing \"")
        #expect(error("x.")?.offset == 2)
        #expect(error("a b")?.message == "unexpected 'b' after the end of the expression")
    }

    @Test func templates() throws {
        guard case .success(let pieces) = Parser.parseTemplate("Прогноз {n} по {s.join(', ')} {{скобки}}") else {
            Issue.record("template did not parse")
            return
        }
        var text = ""
        for p in pieces {
            switch p {
            case .text(let t): text += t
            case .expr(let e, let offset): text += "<\(e)@\(offset)>"
            }
        }
        #expect(text == "Прогноз <n@9> по <s.join(\", \")@16> {скобки}")
        if case .failure(let e) = Parser.parseTemplate("Текст {pupil.name") {
            #expect(e.offset == 6)
        } else {
            Issue.record("must fail")
        }
        if case .failure(let e) = Parser.parseTemplate("a } b") {
            #expect(e.offset == 2)
        } else {
            Issue.record("must fail")
        }
        if case .failure(let e) = Parser.parseTemplate("x {a +} y") {
            #expect(e.offset == 6)
        } else {
            Issue.record("must fail")
        }
    }
}
