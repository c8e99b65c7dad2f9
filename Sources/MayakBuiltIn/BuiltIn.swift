/// The files built into the program (the EmbedFiles plugin puts every file of the package's
/// `rules/` and `mappings/` folders into `embedded` when it is built): the default rule pack
/// and the importer's mapping files, so that `mayak` needs nothing beside it.
///
/// Users name them with the `builtin:` scheme: `builtin:` is the built-in rules folder (its
/// packs and `VERSION`, as `rules/` is in the repository), `builtin:core` its core pack,
/// `builtin:core/truancy.yaml` one rule; `builtin:uci-student-performance` a mapping file.
public enum BuiltIn {
    public static let scheme = "builtin:"

    /// Whether a path the user gave names a built-in file or folder.
    public static func names(_ path: String) -> Bool { path.hasPrefix(scheme) }

    /// The text of a built-in rule file (`builtin:core/truancy.yaml`, `builtin:VERSION`), or nil.
    public static func ruleFile(_ path: String) -> String? {
        guard names(path) else { return nil }
        return embedded["rules/" + trimmed(path)]
    }

    /// Every built-in file under a built-in rules path, as `builtin:` paths, sorted; the path
    /// itself when it is a file; empty when it names nothing.
    public static func ruleFiles(under path: String) -> [String] {
        guard names(path) else { return [] }
        let relative = trimmed(path)
        if embedded["rules/" + relative] != nil { return [path] }
        let prefix = "rules/" + (relative.isEmpty ? "" : relative + "/")
        return embedded.keys.filter { $0.hasPrefix(prefix) }.sorted().map { scheme + $0.dropFirst("rules/".count) }
    }

    /// The built-in mapping files by name (`uci-student-performance`), sorted.
    public static var mappingNames: [String] {
        embedded.keys.filter { $0.hasPrefix("mappings/") }.map { mappingName($0) }.sorted()
    }

    /// The text of a built-in mapping file named `builtin:NAME` (with or without `.yaml`), or nil.
    public static func mapping(_ path: String) -> String? {
        guard names(path) else { return nil }
        let name = trimmed(path)
        return embedded["mappings/\(name)"] ?? embedded["mappings/\(name).yaml"]
    }

    /// The built-in pack's version (the first line of `rules/VERSION`).
    public static var rulesVersion: String {
        let text = embedded["rules/VERSION"] ?? ""
        return text.split(whereSeparator: \.isNewline).first.map(String.init) ?? "unversioned"
    }

    private static func trimmed(_ path: String) -> String {
        var rest = Substring(path.dropFirst(scheme.count))
        while rest.hasPrefix("/") { rest = rest.dropFirst() }
        while rest.hasSuffix("/") { rest = rest.dropLast() }
        return String(rest)
    }

    private static func mappingName(_ key: String) -> String {
        let file = key.dropFirst("mappings/".count)
        return String(file.hasSuffix(".yaml") ? file.dropLast(5) : file)
    }
}

#if MAYAK_NOTHING_BUILT_IN
    // The fuzzing harnesses' build (see Package.swift): no files built in.
    extension BuiltIn {
        static let embedded: [String: String] = [:]
    }
#endif
