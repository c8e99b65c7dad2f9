import Foundation
import GRDB
import Testing

/// `mayak users`: accounts for the web app in the history database, through the real binary.
@Suite struct UsersCommandTests {
    @Test func addListDisableAndChangeAPassword() throws {
        let work = try MayakBinary.temporaryFolder()
        let db = work.appendingPathComponent("h.sqlite").path
        let added = try MayakBinary.ok(
            [
                "users", "add", "ivanova", "--name", "Иванова А. П.", "--role", "teacher", "--school", "SH01",
                "--class", "SH01-5А", "--class", "SH01-6Б", "--password-stdin", "--db", db,
            ], input: "верный-пароль-1\n")
        #expect(added.stdout == "Учётная запись ivanova (классный руководитель) создана\n")
        _ = try MayakBinary.ok(
            ["users", "add", "zavuch", "--role", "deputy", "--school", "SH01", "--password-stdin", "--db", db],
            input: "другой пароль\r\n")
        #expect(
            try MayakBinary.ok(["users", "list", "--db", db]).stdout == """
                ivanova  Иванова А. П.  классный руководитель  (школа SH01, класс SH01-5А, класс SH01-6Б)  действует
                zavuch  zavuch  заместитель директора  (школа SH01)  действует

                """)
        // The password is stored as a bcrypt hash of what was typed, never as the text.
        let hashes = try DatabaseQueue(path: db).read { db in
            try String.fetchAll(db, sql: "SELECT passwordHash FROM account ORDER BY login")
        }
        #expect(hashes.allSatisfy { $0.hasPrefix("$2b$12$") && $0.count == 60 })
        #expect(!(try Data(contentsOf: URL(fileURLWithPath: db)).contains(Data("верный-пароль-1".utf8))))

        _ = try MayakBinary.ok(["users", "disable", "zavuch", "--db", db])
        #expect(
            try MayakBinary.ok(["users", "list", "--db", db]).stdout.contains(
                "zavuch  zavuch  заместитель директора  (школа SH01)  отключена"))
        _ = try MayakBinary.ok(["users", "enable", "zavuch", "--db", db])
        _ = try MayakBinary.ok(
            ["users", "passwd", "ivanova", "--password-stdin", "--db", db], input: "новый пароль 2\n")
        let after = try DatabaseQueue(path: db).read { db in
            try String.fetchOne(db, sql: "SELECT passwordHash FROM account WHERE login = 'ivanova'")
        }
        #expect(after != hashes[0])
    }

    @Test func badAccountsAreRefusedAndNothingIsWritten() throws {
        let work = try MayakBinary.temporaryFolder()
        let db = work.appendingPathComponent("h.sqlite").path
        func refused(_ args: [String], input: String? = "достаточно длинный\n", _ message: String) throws {
            let r = try MayakBinary.run(["users"] + args + ["--db", db], input: input)
            #expect(r.status == 1, "\(args)")
            #expect(r.stderr == "ошибка: \(message)\n", "\(args)")
        }
        try refused(
            ["add", "t1", "--role", "teacher", "--password-stdin"],
            "классному руководителю нужен хотя бы один класс: --class")
        try refused(
            ["add", "d1", "--role", "deputy", "--password-stdin"], "заместителю директора нужна школа: --school")
        try refused(
            ["add", "o1", "--role", "department", "--school", "SH01", "--password-stdin"],
            "роль «отдел образования» охватывает все школы: --school и --class не указываются")
        try refused(
            ["add", "Иванова", "--role", "admin", "--password-stdin"],
            "логин «Иванова»: ожидалось от 2 до 64 символов a–z, 0–9, «.», «_», «-»")
        try refused(
            ["add", "a1", "--role", "admin"], "пароль передаётся через стандартный ввод: укажите --password-stdin")
        try refused(
            ["add", "a1", "--role", "admin", "--password-stdin"], input: "корот\n",
            "пароль короче 8 знаков")
        try refused(
            ["add", "a1", "--role", "admin", "--password-stdin"], input: "",
            "--password-stdin: на стандартном вводе нет пароля")
        // Nothing so far created the database.
        #expect(!FileManager.default.fileExists(atPath: db))
        _ = try MayakBinary.ok(
            ["users", "add", "a1", "--role", "admin", "--password-stdin", "--db", db], input: "достаточно длинный\n")
        try refused(["add", "a1", "--role", "admin", "--password-stdin"], "учётная запись «a1» уже есть")
        try refused(["disable", "nobody"], input: nil, "нет учётной записи «nobody»")
        try refused(["passwd", "nobody", "--password-stdin"], "нет учётной записи «nobody»")
    }
}
