import Foundation
import MayakSnapshot

/// The generator's messages (its `GeneratorError`s) and the words of the truth file's `detail`
/// column (what `mayak generate --truth` says it planted, for people who read the file; the
/// other columns are codes that `mayak validate` reads), in one place.
enum GeneratorText {
    // MARK: - Errors

    static func cannotCreate(_ path: String, _ why: String) -> String { "не удалось создать \(path): \(why)" }
    /// `what` names the file first (a `FileError`, or a path).
    static func cannotWrite(_ what: String) -> String { "не удалось записать \(what)" }
    static func cannotWrite(_ path: String, _ why: String) -> String { "не удалось записать \(path): \(why)" }

    /// What the system said (`errno`), as the messages say it: the usual cases in Russian, any
    /// other as the system words it.
    static func system(_ code: Int32) -> String {
        switch code {
        case ENOENT: return "нет такого файла или папки"
        case EACCES, EPERM: return "нет доступа"
        case EEXIST: return "файл уже есть"
        case ENOSPC: return "на диске нет места"
        case EROFS: return "файловая система только для чтения"
        case EISDIR: return "это папка"
        case ENOTDIR: return "часть пути — не папка"
        default: return String(cString: strerror(code))
        }
    }

    // MARK: - The truth file's details

    /// A number of the details, with a decimal comma («2,35»).
    static func decimal(_ v: Double) -> String { fmt(v).replacingOccurrences(of: ".", with: ",") }

    static func failing(persistent: Bool, mean: Double) -> String {
        "\(persistent ? "давно" : "недавно"): средний балл \(decimal(mean))"
    }
    static func falling(from: Double, to: Double) -> String {
        "\(decimal(from)) → \(decimal(to)) три недели назад"
    }
    static func absent(_ missed: Int, of lessons: Int, percent: Double) -> String {
        "пропущено \(missed) из \(lessons) \(Russian.plural(lessons, "урока", "уроков", "уроков")) (\(decimal(percent)) %)"
    }
    static func truant(_ lessons: Int) -> String {
        "\(Russian.counted(lessons, "урок", "урока", "уроков")) без уважительной причины за последние две недели"
    }
    static func vprDrop(earlier: Int, before: Double, markBefore: Int, year: Int, after: Double, mark: Int) -> String {
        "\(earlier): \(decimal(before)) %, отметка \(markBefore) → \(year): \(decimal(after)) %, отметка \(mark)"
    }
}
