import HummingbirdBcrypt

/// Staff passwords: kept only as bcrypt hashes (hummingbird-auth's implementation, cost 12:
/// about a quarter of a second a try, on purpose). The server runs these off its event loop.
public enum Passwords {
    /// The shortest password accepted.
    public static let minimumLength = 8
    /// bcrypt reads at most 72 bytes: a longer password would be checked only in part.
    public static let maximumBytes = 72

    /// What can be wrong with a new password.
    public enum Problem: Sendable {
        case tooShort, tooLong, controlCharacter

        /// As a message after `ошибка: ` («пароль короче 8 знаков»).
        public var text: String {
            switch self {
            case .tooShort: return WebText.passwordTooShort(Passwords.minimumLength)
            case .tooLong: return WebText.passwordTooLong(Passwords.maximumBytes)
            case .controlCharacter: return WebText.passwordControlCharacter
            }
        }

        /// As a sentence on a page («Пароль короче 8 знаков.»).
        public var russian: String { WebText.sentence(text) }
    }

    /// What is wrong with a new password, or nil.
    public static func problem(_ password: String) -> Problem? {
        if password.count < minimumLength { return .tooShort }
        if password.utf8.count > maximumBytes { return .tooLong }
        if password.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return .controlCharacter
        }
        return nil
    }

    public static func hash(_ password: String, cost: UInt8 = 12) -> String { Bcrypt.hash(password, cost: cost) }

    public static func verify(_ password: String, against hash: String) -> Bool {
        // A hash that is not bcrypt's (a damaged row) verifies nothing.
        guard hash.hasPrefix("$2") else { return false }
        return Bcrypt.verify(password, hash: hash)
    }
}
