/// The web app's messages that are not part of a page's template (those are Russian in
/// `Templates`): the problems of a new password, as the CLI says them after `ошибка: ` and a
/// page says them as a sentence, and what the server writes to its log.
enum WebText {
    // MARK: - Passwords

    static func passwordTooShort(_ minimum: Int) -> String { "пароль короче \(minimum) знаков" }
    static func passwordTooLong(_ maximumBytes: Int) -> String {
        "пароль длиннее \(maximumBytes) байт (bcrypt не читает дальше)"
    }
    static let passwordControlCharacter = "в пароле есть управляющий символ"

    /// A message as a sentence on a page: a capital first letter and a full stop.
    static func sentence(_ text: String) -> String { text.prefix(1).uppercased() + text.dropFirst() + "." }

    // MARK: - The server's log

    static func requestFailed(_ error: any Error) -> String { "запрос не выполнен: \(String(describing: error))" }
}
