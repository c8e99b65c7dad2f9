import Foundation
import MayakRules
import MayakSnapshot

/// Binds a rule's names against the snapshot schema, checks types, and compiles it.
///
/// The stages, in order (each needs the one before):
/// 1. parameters: defaults, then overrides, checked against their declared types;
/// 2. the scope variable (`pupil`, `class` or `school`) and `each`;
/// 3. `let` bindings, in order, each seeing the ones before it;
/// 4. `when`, `key`, escalations, the message, evidence and plan texts, seeing all lets;
/// 5. unused parameters (known only after every expression is checked).
public struct Checker {
    public struct Overrides: Sendable {
        /// rule id → parameter → (value text, where it was given).
        public var values: [String: [String: (text: String, origin: String)]] = [:]
        public init() {}
    }

    var log: DiagnosticLog
    let rule: RuleDefinition
    var scopes: [[String: (slot: Int, type: ValueType)]] = [[:]]
    var slotCount = 0
    var params: [String: (value: ParameterDecl.Value, used: Bool)] = [:]
    var usesAlerts = false
    var source: ExpressionSource
    /// Lets that failed to check: uses of them are not reported again.
    var failedNames = Set<String>()

    /// Checks and compiles `rule`; nil (with diagnostics in `log`) when it has errors.
    public static func compile(
        _ rule: RuleDefinition, overrides: [String: (text: String, origin: String)] = [:],
        log: inout DiagnosticLog
    ) -> CompiledRule? {
        var checker = Checker(log: DiagnosticLog(cap: 1000), rule: rule, source: rule.when.source)
        let compiled = checker.run(overrides: overrides)
        log.append(contentsOf: checker.log)
        return checker.log.hasErrors ? nil : compiled
    }

    mutating func run(overrides: [String: (text: String, origin: String)]) -> CompiledRule? {
        // 1. Parameters.
        var values: [(String, ParameterDecl.Value)] = []
        for p in rule.params {
            var value = p.defaultValue
            if let o = overrides[p.name] {
                if let v = p.value(from: o.text) {
                    if p.inRange(v) {
                        value = v
                    } else {
                        log.error(
                            "bad-override", file: o.origin,
                            "parameter \(rule.id).\(p.name) is \(o.text.trimmingCharacters(in: [" "])); expected \(p.rangeText) (its range in \(rule.file):\(p.line))"
                        )
                    }
                } else {
                    let kind = p.kind == .number ? "finite number" : p.kind.rawValue
                    log.error(
                        "bad-override", file: o.origin,
                        "parameter \(rule.id).\(p.name) takes \(kind) values; '\(o.text)' is not one")
                }
            }
            params[p.name] = (value, false)
            values.append((p.name, value))
        }
        for (name, o) in overrides where !rule.params.contains(where: { $0.name == name }) {
            log.error(
                "bad-override", file: o.origin,
                "rule \(rule.id) has no parameter '\(name)'"
                    + (Suggest.closest(name, in: rule.params.map(\.name)).map { "; did you mean '\($0)'?" } ?? ""))
        }
        // 2. Scope variable and `each`.
        let scopeEntity: Entity = rule.scope == .pupil ? .pupil : (rule.scope == .class ? .class : .school)
        _ = declare(rule.scope.rawValue, .entity(scopeEntity))
        var each: (Int, Node)?
        if let e = rule.each {
            source = e.list.source
            if let (node, type) = check(e.list.expr) {
                if case .list(let element) = type {
                    each = (declare(e.variable, element), node)
                } else {
                    error(e.list.expr, "'each' needs a list, but this is \(type)")
                }
            }
        }
        // 3. Lets.
        var lets: [(String, Int, Node, Expr)] = []
        for binding in rule.lets {
            source = binding.value.source
            guard let (node, type) = check(binding.value.expr) else {
                failedNames.insert(binding.name)
                continue
            }
            if lookup(binding.name) != nil || params[binding.name] != nil {
                error(binding.value.expr, "'\(binding.name)' is already a name here; choose another name for this let")
                continue
            }
            lets.append((binding.name, declare(binding.name, type), node, binding.value.expr))
        }
        // 4. Everything else.
        source = rule.when.source
        let when = checkCondition(rule.when.expr, "'when'")
        var key: Node?
        if let k = rule.key {
            source = k.source
            key = check(k.expr)?.0
        }
        var escalations: [(Severity, Node)] = []
        for e in rule.escalations {
            source = e.when.source
            if let n = checkCondition(e.when.expr, "an escalation's 'when'") { escalations.append((e.severity, n)) }
        }
        let message = template(rule.message)
        var evidence: [(String, Node)] = []
        for item in rule.evidence {
            source = item.value.source
            if let (node, _) = check(item.value.expr) { evidence.append((item.name, node)) }
        }
        var worse: (measure: Node, text: [CompiledRule.TemplatePart])?
        if let w = rule.worse {
            source = w.measure.source
            if let (node, type) = check(w.measure.expr) {
                if type.isNumeric || type == .null {
                    worse = (node, template(w.text))
                } else {
                    error(w.measure.expr, "'worse_when.measure' must be a number, but this is \(type)")
                }
            }
        }
        var plan: [(PlanItemDecl, [CompiledRule.TemplatePart], [CompiledRule.TemplatePart])] = []
        for item in rule.plan { plan.append((item, template(item.action), template(item.check))) }
        // 5. Unused parameters.
        for p in rule.params where params[p.name]?.used == false {
            let excerpt =
                rule.when.source.fileLines.indices.contains(p.line - 1)
                ? String(rule.when.source.fileLines[p.line - 1]) : nil
            log.report(
                Diagnostic(
                    .error, "unused-parameter", file: rule.file, line: p.line, column: p.column,
                    "parameter '\(p.name)' is never used; use it in an expression or remove it",
                    excerpt: excerpt, length: p.name.count))
        }
        guard let when, !log.hasErrors else { return nil }
        return CompiledRule(
            definition: rule, parameters: values, slotCount: slotCount, each: each, lets: lets, when: when,
            key: key, escalations: escalations, message: message, evidence: evidence, worse: worse, plan: plan,
            usesAlerts: usesAlerts)
    }

    // MARK: - Names

    mutating func declare(_ name: String, _ type: ValueType) -> Int {
        let slot = slotCount
        slotCount += 1
        scopes[scopes.count - 1][name] = (slot, type)
        return slot
    }

    func lookup(_ name: String) -> (slot: Int, type: ValueType)? {
        for scope in scopes.reversed() { if let v = scope[name] { return v } }
        return nil
    }

    var visibleNames: [String] {
        scopes.flatMap { $0.keys } + params.keys + Global.allNames + ["current_period", "previous_period"]
    }

    // MARK: - Diagnostics

    mutating func error(_ e: Expr, _ message: String, atName name: String? = nil, hint: String? = nil) {
        let offset = name == nil ? e.start : e.nameStart
        let length = name?.count ?? max(1, e.end - e.start)
        let p = source.position(offset)
        let excerpt = p.line >= 1 && p.line <= source.fileLines.count ? String(source.fileLines[p.line - 1]) : nil
        log.report(
            Diagnostic(
                .error, "rule-check", file: source.file, line: p.line, column: p.column, message,
                excerpt: excerpt, length: length, hint: hint))
    }

    mutating func checkCondition(_ e: Expr, _ what: String) -> Node? {
        guard let (node, type) = check(e) else { return nil }
        guard type == .bool || type == .null else {
            error(e, "\(what) must be true or false, but this is \(type)")
            return nil
        }
        return node
    }

    /// Whether an interpolated expression is a year: a `year` field, `this_year` or
    /// `last_year`, or one of them plus or minus a number.
    static func namesAYear(_ e: Expr) -> Bool {
        switch e.kind {
        case .member(_, "year"), .name("this_year"), .name("last_year"): return true
        case .binary(.add, let a, let b), .binary(.subtract, let a, let b): return namesAYear(a) || namesAYear(b)
        default: return false
        }
    }

    mutating func template(_ t: Template) -> [CompiledRule.TemplatePart] {
        source = t.source
        var parts: [CompiledRule.TemplatePart] = []
        for segment in t.segments {
            switch segment {
            case .text(let s): parts.append(.text(s))
            case .expr(let e):
                if let (node, _) = check(e) {
                    parts.append(.node(Checker.namesAYear(e) ? .call(.yearText, [node]) : node))
                }
            }
        }
        return parts
    }

    // MARK: - Expressions

    mutating func check(_ e: Expr) -> (Node, ValueType)? {
        switch e.kind {
        case .integer(let v): return (.constant(.int(v)), .int)
        case .number(let v): return (.constant(.number(v)), .number)
        case .string(let s): return (.constant(.string(s)), .string)
        case .bool(let b): return (.constant(.bool(b)), .bool)
        case .null: return (.constant(.null), .null)
        case .name(let n): return resolve(e, n)
        case .member(let target, let name): return member(e, target, name)
        case .method(let target, let name, let args): return method(e, target, name, args)
        case .call(let name, let args): return call(e, name, args)
        case .unary(let op, let operand):
            guard let (node, type) = check(operand) else { return nil }
            switch op {
            case .negate:
                guard type.isNumeric else {
                    error(operand, "'-' needs a number, but this is \(type)")
                    return nil
                }
                if case .constant(.int(let v)) = node {
                    guard let r = Checked.negate(v) else {
                        error(e, Checked.describeNegation(v))
                        return nil
                    }
                    return (.constant(.int(r)), .int)
                }
                return (.unary(.negate, node), type)
            case .not:
                guard type == .bool || type == .null else {
                    error(operand, "'not' needs true or false, but this is \(type)")
                    return nil
                }
                return (.unary(.not, node), .bool)
            }
        case .binary(let op, let a, let b): return binary(e, op, a, b)
        case .conditional(let c, let a, let b):
            let cond = checkCondition(c, "the condition of '? :'")
            guard let (x, tx) = check(a), let (y, ty) = check(b), let cond else { return nil }
            guard let t = unify(tx, ty) else {
                error(e, "the branches of '? :' differ: \(tx) and \(ty)")
                return nil
            }
            return (.conditional(cond, x, y), t)
        case .list(let items):
            var nodes: [Node] = []
            var type: ValueType = .null
            for item in items {
                guard let (n, t) = check(item) else { return nil }
                guard let u = unify(type, t) else {
                    error(item, "a list holds values of one type; this is \(t), the others \(type)")
                    return nil
                }
                type = u
                nodes.append(n)
            }
            return (.list(nodes), .list(type))
        }
    }

    func unify(_ a: ValueType, _ b: ValueType) -> ValueType? {
        if a == b { return a }
        if a == .null { return b }
        if b == .null { return a }
        if a.isNumeric && b.isNumeric { return .number }
        if case .list(let x) = a, case .list(let y) = b, let u = unify(x, y) { return .list(u) }
        return nil
    }

    mutating func resolve(_ e: Expr, _ name: String) -> (Node, ValueType)? {
        if let v = lookup(name) { return (.local(v.slot), v.type) }
        if let p = params[name] {
            params[name]?.used = true
            switch p.value {
            case .int(let v): return (.constant(.int(v)), .int)
            case .number(let v): return (.constant(.number(v)), .number)
            case .bool(let v): return (.constant(.bool(v)), .bool)
            case .string(let v): return (.constant(.string(v)), .string)
            }
        }
        if let g = Global(rawValue: name) { return (.global(g), g == .asOf ? .date : .int) }
        // `current_period` and `previous_period` are shorthands for the scope's.
        if name == "current_period" || name == "previous_period" || name == "last_finished_period" {
            let field = Field(rawValue: name)!
            if rule.scope == .school {
                error(e, "'\(name)' depends on the grade; in a school rule ask a class or pupil: c.\(name)")
                return nil
            }
            let entity: Entity = rule.scope == .pupil ? .pupil : .class
            return (.field(.local(0), entity, field), .entity(.period))
        }
        // The let's own error is already reported; the rule fails with it.
        if failedNames.contains(name) { return nil }
        error(
            e, "unknown name '\(name)'", hint: Suggest.closest(name, in: visibleNames).map { "did you mean '\($0)'?" })
        return nil
    }

    mutating func member(_ e: Expr, _ target: Expr, _ name: String) -> (Node, ValueType)? {
        guard let (node, type) = check(target) else { return nil }
        guard case .entity(let entity) = type else {
            if case .list = type, LambdaOp(rawValue: name) != nil || ListOp(rawValue: name) != nil {
                error(e, "'\(name)' is a method of lists; call it: .\(name)(…)", atName: name)
            } else {
                error(e, "\(type) has no fields; '\(name)' needs a pupil, subject, mark or other record", atName: name)
            }
            return nil
        }
        guard let f = Field(rawValue: name), let fieldType = Schema.fields[entity]?[f] else {
            let known =
                (Schema.fields[entity] ?? [:]).keys.map(\.rawValue)
                + (Schema.methods[entity] ?? [:]).keys.map(\.rawValue)
            error(
                e, "unknown field '\(name)' of \(entity.rawValue)", atName: name,
                hint: Suggest.closest(name, in: known).map { "did you mean '\($0)'?" }
                    ?? "\(entity.rawValue) has: \(known.sorted().joined(separator: ", "))")
            return nil
        }
        if f == .alerts { usesAlerts = true }
        return (.field(node, entity, f), fieldType)
    }

    mutating func method(_ e: Expr, _ target: Expr, _ name: String, _ args: [Expr]) -> (Node, ValueType)? {
        guard let (node, type) = check(target) else { return nil }
        switch type {
        case .list(let element): return listMethod(e, node, element, name, args)
        case .string: return stringMethod(e, node, name, args)
        case .entity(let entity):
            guard let m = Method(rawValue: name), let signature = Schema.methods[entity]?[m] else {
                let known = (Schema.methods[entity] ?? [:]).keys.map(\.rawValue)
                if let f = Field(rawValue: name), Schema.fields[entity]?[f] != nil {
                    error(
                        e, "'\(name)' is a field of \(entity.rawValue), not a method: drop the parentheses",
                        atName: name)
                } else {
                    error(
                        e, "unknown method '\(name)' of \(entity.rawValue)", atName: name,
                        hint: Suggest.closest(name, in: known).map { "did you mean '\($0)'?" })
                }
                return nil
            }
            guard let nodes = arguments(e, name, args, signature.params) else { return nil }
            return (.method(node, entity, m, nodes), signature.result)
        default:
            error(e, "\(type) has no method '\(name)'", atName: name)
            return nil
        }
    }

    mutating func arguments(_ e: Expr, _ name: String, _ args: [Expr], _ types: [ValueType]) -> [Node]? {
        guard args.count == types.count else {
            error(
                e,
                "'\(name)' takes \(types.count) argument\(types.count == 1 ? "" : "s") (\(types.map(\.description).joined(separator: ", "))), given \(args.count)",
                atName: name)
            return nil
        }
        var nodes: [Node] = []
        for (arg, expected) in zip(args, types) {
            guard let (n, t) = check(arg) else { return nil }
            guard expected.accepts(t) else {
                error(arg, "'\(name)' expects \(expected) here, but this is \(t)")
                return nil
            }
            nodes.append(n)
        }
        return nodes
    }

    mutating func listMethod(_ e: Expr, _ list: Node, _ element: ValueType, _ name: String, _ args: [Expr]) -> (
        Node, ValueType
    )? {
        // A lambda form: the first argument is a bare name bound to each element.
        if let op = LambdaOp(rawValue: name), let first = args.first, case .name(let variable) = first.kind,
            args.count >= 2
        {
            let expectedBodies = op == .wmean ? 2 : 1
            guard args.count == 1 + expectedBodies else {
                error(
                    e,
                    "'\(name)' takes a name and \(expectedBodies == 2 ? "two expressions (value, weight)" : "one expression"), like \(name)(m, m.value)",
                    atName: name)
                return nil
            }
            if op == .slope, case .entity(let ent) = element, !Schema.dated.contains(ent) {
                error(e, "'slope' needs dated elements (marks, absences, works); these are \(element)", atName: name)
                return nil
            } else if op == .slope, case .entity = element {
            } else if op == .slope {
                error(e, "'slope' needs dated elements (marks, absences, works); these are \(element)", atName: name)
                return nil
            }
            scopes.append([:])
            let slot = declare(variable, element)
            defer { scopes.removeLast() }
            var bodies: [(Node, ValueType)] = []
            for body in args.dropFirst() {
                guard let b = check(body) else { return nil }
                bodies.append(b)
            }
            let bodyType = bodies[0].1
            let result: ValueType
            switch op {
            case .filter, .any, .all, .count, .share, .none:
                guard bodyType == .bool || bodyType == .null else {
                    error(args[1], "'\(name)' needs a condition here, but this is \(bodyType)")
                    return nil
                }
                result = op == .filter ? .list(element) : (op == .count ? .int : (op == .share ? .number : .bool))
            case .map:
                result = .list(bodyType)
            case .sum, .mean, .min, .max, .slope, .wmean:
                guard bodyType.isNumeric else {
                    error(args[1], "'\(name)' needs a number here, but this is \(bodyType)")
                    return nil
                }
                if op == .wmean && !bodies[1].1.isNumeric {
                    error(args[2], "'wmean' needs a number as the weight, but this is \(bodies[1].1)")
                    return nil
                }
                result = op == .sum && bodyType == .int ? .int : .number
            }
            return (.lambda(list, op, slot: slot, bodies.map(\.0)), result)
        }
        guard let op = ListOp(rawValue: name) else {
            let known = LambdaOp.allCases.map(\.rawValue) + ListOp.allCases.map(\.rawValue)
            if LambdaOp(rawValue: name) != nil {
                error(
                    e, "'\(name)' takes a name for each element and an expression, like \(name)(m, m.value)",
                    atName: name)
            } else {
                error(
                    e, "unknown list method '\(name)'", atName: name,
                    hint: Suggest.closest(name, in: known).map { "did you mean '\($0)'?" })
            }
            return nil
        }
        func requireDated() -> Bool {
            if case .entity(let ent) = element, Schema.dated.contains(ent) { return true }
            error(e, "'\(name)' needs dated elements (marks, absences, works); these are \(element)", atName: name)
            return false
        }
        switch op {
        case .count:
            guard arguments(e, name, args, []) != nil else { return nil }
            return (.listOp(list, op, []), .int)
        case .isEmpty:
            guard arguments(e, name, args, []) != nil else { return nil }
            return (.listOp(list, op, []), .bool)
        case .first, .last:
            guard arguments(e, name, args, []) != nil else { return nil }
            return (.listOp(list, op, []), element)
        case .sum, .mean, .min, .max:
            guard arguments(e, name, args, []) != nil else { return nil }
            guard element.isNumeric else {
                error(e, "'\(name)()' needs a list of numbers; for \(element) write \(name)(x, x.value)", atName: name)
                return nil
            }
            return (.listOp(list, op, []), op == .sum && element == .int ? .int : .number)
        case .distinct:
            guard arguments(e, name, args, []) != nil else { return nil }
            return (.listOp(list, op, []), .list(element))
        case .join:
            guard let a = arguments(e, name, args, [.string]) else { return nil }
            return (.listOp(list, op, a), .string)
        case .contains:
            guard let a = arguments(e, name, args, [element]) else { return nil }
            return (.listOp(list, op, a), .bool)
        case .lastDays:
            guard requireDated(), let a = arguments(e, name, args, [.int]) else { return nil }
            if case .constant(.int(let n)) = a[0], !(0...Checked.daySpan).contains(n) {
                error(args[0], "last_days takes 0…\(Checked.daySpan) days (the calendar's span), not \(n)")
                return nil
            }
            return (.listOp(list, op, a), .list(element))
        case .between:
            guard requireDated(), let a = arguments(e, name, args, [.date, .date]) else { return nil }
            return (.listOp(list, op, a), .list(element))
        case .during:
            guard requireDated(), let a = arguments(e, name, args, [.entity(.period)]) else { return nil }
            return (.listOp(list, op, a), .list(element))
        case .before, .since:
            guard requireDated(), let a = arguments(e, name, args, [.date]) else { return nil }
            return (.listOp(list, op, a), .list(element))
        }
    }

    mutating func stringMethod(_ e: Expr, _ text: Node, _ name: String, _ args: [Expr]) -> (Node, ValueType)? {
        if name == "matches" {
            // The pattern is compiled when the rule loads, so it must be known then: text, or
            // a text parameter.
            var literal: String?
            if args.count == 1, case .string(let p) = args[0].kind { literal = p }
            if args.count == 1, case .name(let n) = args[0].kind, lookup(n) == nil, let param = params[n],
                case .string(let p) = param.value
            {
                params[n]?.used = true
                literal = p
            }
            guard let pattern = literal else {
                error(
                    e, "'matches' takes one pattern written as text or a text parameter, like matches(\"^диагност\")",
                    atName: name)
                return nil
            }
            let regex: Regex
            if case .name = args[0].kind {
                do { regex = try Regex(pattern) } catch {
                    self.error(
                        args[0],
                        "invalid regular expression in parameter: \(error.message) (at character \(error.offset + 1))")
                    return nil
                }
            } else {
                do { regex = try Regex(pattern) } catch {
                    // Point into the pattern: one past the opening quote.
                    let bad = Expr(
                        .string(pattern), start: args[0].start + 1 + error.offset, end: args[0].start + 2 + error.offset
                    )
                    self.error(bad, "invalid regular expression: \(error.message)")
                    return nil
                }
            }
            // A pattern that backtracks without end on a simple run of characters would give
            // "no match" on real texts where it gives up: refused now.
            if let text = regex.probe() {
                let shown =
                    text.count > 12
                    ? String(repeating: String(text.first ?? " "), count: 4) + "… (\(text.count) characters)" : text
                error(
                    args[0],
                    "the regular expression backtracks catastrophically: on '\(shown)' it passes PCRE2's match limit; "
                        + "avoid nested repetition such as (a+)+ or (a|a)*")
                return nil
            }
            regex.owner = rule.id
            return (.matches(text, regex), .bool)
        }
        guard let op = StringOp(rawValue: name) else {
            error(
                e, "unknown text method '\(name)'", atName: name,
                hint: Suggest.closest(name, in: StringOp.allCases.map(\.rawValue) + ["matches"]).map {
                    "did you mean '\($0)'?"
                })
            return nil
        }
        switch op {
        case .contains, .startsWith:
            guard let a = arguments(e, name, args, [.string]) else { return nil }
            return (.stringOp(text, op, a), .bool)
        case .lower:
            guard let a = arguments(e, name, args, []) else { return nil }
            return (.stringOp(text, op, a), .string)
        }
    }

    mutating func call(_ e: Expr, _ name: String, _ args: [Expr]) -> (Node, ValueType)? {
        guard let f = Function(rawValue: name) else {
            let hint =
                LambdaOp(rawValue: name) != nil || ListOp(rawValue: name) != nil
                ? "'\(name)' is a list method: write list.\(name)(…)"
                : Suggest.closest(name, in: Function.allCases.filter { $0 != .yearText }.map(\.rawValue)).map {
                    "did you mean '\($0)'?"
                }
            error(e, "unknown function '\(name)'", hint: hint)
            return nil
        }
        switch f {
        case .abs:
            guard let a = arguments(e, name, args, [.number]) else { return nil }
            return (.call(f, a), .number)
        case .round:
            if args.count == 1 {
                guard let a = arguments(e, name, args, [.number]) else { return nil }
                if case .constant(let c) = a[0], let v = c.number, Checked.round(v) == nil {
                    error(e, Checked.describeRound(v))
                    return nil
                }
                return (.call(f, a), .int)
            }
            guard let a = arguments(e, name, args, [.number, .int]),
                digits(args[1], a[1], -Evaluator.maxDigits...Evaluator.maxDigits)
            else { return nil }
            return (.call(f, a), .number)
        case .min, .max:
            guard let a = arguments(e, name, args, [.number, .number]) else { return nil }
            return (.call(f, a), .number)
        case .fmt:
            guard let a = arguments(e, name, args, [.number, .int]), digits(args[1], a[1], 0...Evaluator.maxDigits)
            else { return nil }
            return (.call(f, a), .string)
        case .date:
            guard args.count == 1, case .string(let text) = args[0].kind, let day = Day(text) else {
                error(e, "'date' takes a date written as text, like date(\"2026-03-01\")")
                return nil
            }
            return (.constant(.date(day.number)), .date)
        case .daysBetween:
            guard let a = arguments(e, name, args, [.date, .date]) else { return nil }
            return (.call(f, a), .int)
        case .plural:
            guard let a = arguments(e, name, args, [.number, .string, .string, .string]) else { return nil }
            return (.call(f, a), .string)
        case .text:
            guard args.count == 1, let (n, _) = check(args[0]) else {
                if args.count != 1 { error(e, "'text' takes one value") }
                return nil
            }
            return (.call(Checker.namesAYear(args[0]) ? .yearText : f, [n]), .string)
        case .yearText:
            error(e, "unknown function '\(name)'")
            return nil
        }
    }

    /// A count of decimal places known when the rule loads is within `range` (a Double
    /// holds about 15; at run time a count beyond is taken as 15).
    mutating func digits(_ e: Expr, _ node: Node, _ range: ClosedRange<Int>) -> Bool {
        guard case .constant(.int(let d)) = node, !range.contains(d) else { return true }
        error(e, "decimal places are \(range.lowerBound)…\(range.upperBound), not \(d)")
        return false
    }

    mutating func binary(_ e: Expr, _ op: BinaryOperator, _ a: Expr, _ b: Expr) -> (Node, ValueType)? {
        let left = check(a)
        let right = check(b)
        guard let (x, tx) = left, let (y, ty) = right else { return nil }
        let node = Node.binary(op, x, y)
        func mismatch() -> (Node, ValueType)? {
            error(e, "'\(op.rawValue)' cannot combine \(tx) and \(ty)")
            return nil
        }
        // Known when the rule loads (literals, parameters): whole-number arithmetic is done
        // now, so that an overflow is an error here, and days added to a date are checked
        // against the calendar.
        if case .constant(.int(let p)) = x, case .constant(.int(let q)) = y {
            let folded: Int??
            switch op {
            case .add: folded = .some(Checked.add(p, q))
            case .subtract: folded = .some(Checked.subtract(p, q))
            case .multiply: folded = .some(Checked.multiply(p, q))
            case .remainder: folded = q == 0 ? nil : .some(Checked.remainder(p, q))
            default: folded = nil
            }
            if let folded {
                guard let r = folded else {
                    error(e, Checked.describe(op.rawValue, p, q))
                    return nil
                }
                return (.constant(.int(r)), .int)
            }
        }
        if tx == .date, op == .add || op == .subtract, case .constant(let c) = y, let n = c.number,
            !(abs(n) <= Double(Checked.daySpan))
        {
            error(
                b,
                "\(c == .int(Int(exactly: n) ?? 0) ? String(Int(exactly: n) ?? 0) : String(n)) days is beyond the calendar; a date moves by at most \(Checked.daySpan) days"
            )
            return nil
        }
        switch op {
        case .and, .or:
            guard (tx == .bool || tx == .null) && (ty == .bool || ty == .null) else { return mismatch() }
            return (node, .bool)
        case .add:
            if tx.isNumeric && ty.isNumeric { return (node, tx == .int && ty == .int ? .int : .number) }
            if tx == .string && ty == .string { return (node, .string) }
            if tx == .date && ty.isNumeric { return (node, .date) }
            return mismatch()
        case .subtract:
            if tx.isNumeric && ty.isNumeric { return (node, tx == .int && ty == .int ? .int : .number) }
            if tx == .date && ty == .date { return (node, .int) }
            if tx == .date && ty.isNumeric { return (node, .date) }
            return mismatch()
        case .multiply, .remainder:
            guard tx.isNumeric && ty.isNumeric else { return mismatch() }
            return (node, tx == .int && ty == .int ? .int : .number)
        case .divide:
            guard tx.isNumeric && ty.isNumeric else { return mismatch() }
            return (node, .number)
        case .equal, .notEqual:
            guard unify(tx, ty) != nil else { return mismatch() }
            return (node, .bool)
        case .less, .lessEqual, .greater, .greaterEqual:
            guard
                (tx.isNumeric && ty.isNumeric) || (tx == ty && (tx == .string || tx == .date)) || tx == .null
                    || ty == .null
            else { return mismatch() }
            return (node, .bool)
        case .in:
            guard case .list(let element) = ty, unify(element, tx) != nil else {
                error(e, "'in' needs a list of \(tx) on its right, but this is \(ty)")
                return nil
            }
            return (node, .bool)
        case .coalesce:
            guard let t = unify(tx, ty) else { return mismatch() }
            return (node, t)
        }
    }
}

extension Global {
    static var allNames: [String] { ["as_of", "this_year", "last_year"] }
}
