import Foundation
import MayakFiles
import Yams

/// Reads `manifest.yaml`, reporting each problem at the line and column of the offending node.
enum ManifestReader {
    static func read(path: String, displayName: String, log: inout DiagnosticLog) -> Manifest? {
        let data: [UInt8]
        switch readCapped(path) {
        case .success(let bytes):
            data = bytes
        case .failure(let problem):
            log.error(problem.code, file: displayName, problem.message)
            return nil
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            log.error("bad-encoding", file: displayName, "the manifest is not UTF-8 text")
            return nil
        }
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                log.error(
                    "bad-manifest", file: displayName,
                    "the manifest is empty; expected keys district, school_year, as_of, periods")
                return nil
            }
            root = node
        } catch let error as YamlError {
            let (line, column, message) = describe(error)
            log.error("bad-yaml", file: displayName, line: line, column: column, message)
            return nil
        } catch {
            log.error("bad-yaml", file: displayName, "\(error)")
            return nil
        }
        var reader = NodeReader(file: displayName, log: log)
        defer { log = reader.log }
        return reader.manifest(root)
    }

    /// The most a manifest may hold: a few periods take a kilobyte.
    static let maxBytes = 1 << 20

    struct Problem: Error {
        var code: String
        var message: String
    }

    /// The manifest's bytes: a regular file (a pipe is refused, not waited on), at most
    /// `maxBytes` long.
    static func readCapped(_ path: String) -> Result<[UInt8], Problem> {
        InputFile.contents(of: path, atMost: maxBytes).mapError { problem in
            switch problem {
            case .absent:
                return Problem(
                    code: "missing-file", message: "cannot read the manifest; a snapshot folder must hold manifest.yaml"
                )
            case .refused(let why):
                return Problem(code: "unreadable-file", message: why)
            case .tooLarge(let size):
                return Problem(
                    code: "bad-manifest",
                    message: "the manifest is \(size) bytes or more; expected at most 1 MiB (\(maxBytes) bytes)")
            }
        }
    }

    static func describe(_ error: YamlError) -> (Int, Int, String) {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _):
            return (mark.line, mark.column, "invalid YAML: \(problem)")
        case .composer(_, let problem, let mark, _):
            return (mark.line, mark.column, "invalid YAML: \(problem)")
        default:
            return (0, 0, "invalid YAML: \(error)")
        }
    }

    /// Walks the YAML tree; every accessor reports what it expected where it did not find it.
    struct NodeReader {
        let file: String
        var log: DiagnosticLog

        mutating func fail(_ node: Node?, _ message: String) {
            log.error("bad-manifest", file: file, line: node?.mark?.line ?? 0, column: node?.mark?.column ?? 0, message)
        }

        mutating func mapping(_ node: Node, _ what: String, keys allowed: [String]) -> [String: (
            key: Node, value: Node
        )]? {
            guard case .mapping(let m) = node else {
                fail(node, "expected \(what) as a mapping with keys \(allowed.joined(separator: ", "))")
                return nil
            }
            var out: [String: (key: Node, value: Node)] = [:]
            for (k, v) in m {
                let name = k.string ?? ""
                if !allowed.contains(name) {
                    fail(k, "unknown key '\(name)' in \(what); expected one of \(allowed.joined(separator: ", "))")
                    continue
                }
                out[name] = (k, v)
            }
            return out
        }

        mutating func string(
            _ fields: [String: (key: Node, value: Node)], _ key: String, in what: String, at node: Node
        ) -> String? {
            guard let entry = fields[key] else {
                fail(node, "missing key '\(key)' in \(what)")
                return nil
            }
            guard case .scalar(let s) = entry.value, !s.string.trimmingCharacters(in: .whitespaces).isEmpty else {
                fail(entry.value, "expected a text value for '\(key)'")
                return nil
            }
            return s.string.trimmingCharacters(in: .whitespaces)
        }

        mutating func day(_ fields: [String: (key: Node, value: Node)], _ key: String, in what: String, at node: Node)
            -> Day?
        {
            guard let text = string(fields, key, in: what, at: node) else { return nil }
            switch Day.parse(text) {
            case .day(let d): return d
            case .impossible: fail(fields[key]?.value, "no such date '\(text)' for '\(key)'")
            case .malformed:
                fail(fields[key]?.value, "expected a date as YYYY-MM-DD or DD.MM.YYYY for '\(key)', found '\(text)'")
            }
            return nil
        }

        mutating func manifest(_ root: Node) -> Manifest? {
            let keys = ["format", "district", "school_year", "as_of", "periods", "generated"]
            guard let top = mapping(root, "the manifest", keys: keys) else { return nil }
            var version = 1
            if let f = top["format"] {
                if let v = f.value.int, v == 1 {
                    version = v
                } else {
                    fail(f.value, "unsupported format '\(f.value.string ?? "?")'; this Mayak reads format 1")
                }
            }
            let district = string(top, "district", in: "the manifest", at: root)
            var year: SchoolYear?
            if let y = top["school_year"] {
                if let fields = mapping(y.value, "school_year", keys: ["name", "start", "end"]) {
                    let name = string(fields, "name", in: "school_year", at: y.value)
                    let start = day(fields, "start", in: "school_year", at: y.value)
                    let end = day(fields, "end", in: "school_year", at: y.value)
                    if let name, let start, let end {
                        if end <= start {
                            fail(fields["end"]?.value, "school_year ends (\(end)) before it starts (\(start))")
                        } else {
                            year = SchoolYear(name: name, start: start, end: end)
                        }
                    }
                }
            } else {
                fail(root, "missing key 'school_year' in the manifest")
            }
            let asOf = day(top, "as_of", in: "the manifest", at: root)
            if let asOf, let year, !year.contains(asOf) {
                fail(
                    top["as_of"]?.value,
                    "as_of \(asOf) is outside the school year \(year.name) (\(year.start) – \(year.end))")
            }
            var periods: [Period] = []
            if let p = top["periods"] {
                if case .sequence(let seq) = p.value {
                    for item in seq {
                        if let period = self.period(item, year: year) {
                            if periods.contains(where: { $0.id == period.id }) {
                                fail(item, "duplicate period id '\(period.id)'")
                            } else {
                                periods.append(period)
                            }
                        }
                    }
                    if periods.count > 250 { fail(p.value, "too many periods (\(periods.count)); at most 250") }
                } else {
                    fail(p.value, "expected 'periods' as a list of periods")
                }
            } else {
                fail(root, "missing key 'periods' in the manifest")
            }
            var generated: Manifest.Generated?
            if let g = top["generated"],
                let fields = mapping(g.value, "generated", keys: ["preset", "seed", "edge_cases"])
            {
                let preset = string(fields, "preset", in: "generated", at: g.value)
                let seedNode = fields["seed"]?.value
                let seed = seedNode?.string.flatMap { UInt64($0) }
                if seed == nil {
                    fail(seedNode ?? g.value, "expected the generator's seed as a whole number 0 or more")
                }
                let edge = fields["edge_cases"]?.value
                if let edge, edge.bool == nil { fail(edge, "expected edge_cases: true or false") }
                if let preset, let seed {
                    generated = Manifest.Generated(preset: preset, seed: seed, edgeCases: edge?.bool ?? false)
                }
            }
            guard let district, let year, let asOf, !log.hasErrors else { return nil }
            return Manifest(
                formatVersion: version, district: district, schoolYear: year, asOf: asOf, periods: periods,
                generated: generated)
        }

        mutating func period(_ node: Node, year: SchoolYear?) -> Period? {
            guard let fields = mapping(node, "a period", keys: ["id", "name", "kind", "grades", "start", "end"]) else {
                return nil
            }
            let id = string(fields, "id", in: "a period", at: node)
            let name = fields["name"] == nil ? id : string(fields, "name", in: "a period", at: node)
            var kind: Period.Kind?
            if let k = string(fields, "kind", in: "a period", at: node) {
                kind = Period.Kind(rawValue: k)
                if kind == nil {
                    fail(fields["kind"]?.value, "unknown period kind '\(k)'; expected quarter, half-year or year")
                }
            }
            var grades: ClosedRange<Int>? = 1...11
            if let g = fields["grades"] {
                grades = Self.gradeRange(g.value.string ?? "")
                if grades == nil {
                    fail(
                        g.value,
                        "expected grades as a range like 2-9 or a single grade 1…11, found '\(g.value.string ?? "")'")
                }
            }
            let start = day(fields, "start", in: "a period", at: node)
            let end = day(fields, "end", in: "a period", at: node)
            guard let id, let name, let kind, let grades, let start, let end else { return nil }
            if end < start {
                fail(fields["end"]?.value, "period \(id) ends (\(end)) before it starts (\(start))")
                return nil
            }
            if let year, !(year.contains(start) && year.contains(end)) {
                fail(
                    node,
                    "period \(id) (\(start) – \(end)) is outside the school year \(year.name) (\(year.start) – \(year.end))"
                )
                return nil
            }
            return Period(id: id, name: name, kind: kind, grades: grades, start: start, end: end)
        }

        static func gradeRange(_ text: String) -> ClosedRange<Int>? {
            let parts = text.split(whereSeparator: { $0 == "-" || $0 == "–" }).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard (1...2).contains(parts.count), let lo = Int(parts[0]), let hi = Int(parts.last ?? ""),
                (1...11).contains(lo), (1...11).contains(hi), lo <= hi
            else { return nil }
            return lo...hi
        }
    }
}
