import Testing

@testable import MayakWeb

/// Staff passwords: bcrypt hashes that verify what was set and nothing else.
@Suite struct PasswordsTests {
    @Test func aHashVerifiesItsPasswordOnly() {
        // Cost 4 (the lowest): the behaviour is the same, the test quick.
        let hash = Passwords.hash("Пароль завуча 2026", cost: 4)
        #expect(hash.hasPrefix("$2b$04$") && hash.count == 60)
        #expect(Passwords.verify("Пароль завуча 2026", against: hash))
        #expect(!Passwords.verify("пароль завуча 2026", against: hash))
        #expect(!Passwords.verify("", against: hash))
        #expect(Passwords.hash("Пароль завуча 2026", cost: 4) != hash, "a fresh salt each time")
        #expect(!Passwords.verify("Пароль завуча 2026", against: "Пароль завуча 2026"), "a hash that is not bcrypt's")
    }

    @Test func newPasswordsAreChecked() {
        #expect(Passwords.problem("1234567")?.text == "пароль короче 8 знаков")
        #expect(Passwords.problem("1234567")?.russian == "Пароль короче 8 знаков.")
        #expect(Passwords.problem("12345678") == nil)
        #expect(
            Passwords.problem(String(repeating: "я", count: 37))?.text
                == "пароль длиннее 72 байт (bcrypt не читает дальше)")
        #expect(Passwords.problem("пароль\u{7}пароль")?.text == "в пароле есть управляющий символ")
    }
}
