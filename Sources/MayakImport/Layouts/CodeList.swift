/// The school's list linking ФИС ОКО participant codes to its pupils: a table (any source
/// kind) whose header names a code column («Код участника», «Код») and a name column («ФИО»,
/// «Ученик»), optionally «Класс» and «Дата рождения».
public enum CodeList {
    public static func load(_ path: String, log: inout ImportLog) -> Result<
        [String: LayoutContext.CodedPupil], ImportError
    > {
        .failure(ImportError(path, "participant code lists are not read yet"))
    }
}
