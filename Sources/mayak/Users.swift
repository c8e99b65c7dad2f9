import ArgumentParser
import Foundation
import MayakHistory
import MayakWeb

/// `mayak users`: the accounts staff sign in to the web app with, kept in the history database.
struct Users: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The web app's accounts: add, list, disable, enable, change a password.",
        subcommands: [Add.self, List.self, Disable.self, Enable.self, Passwd.self])

    /// Who the account events name for a change from the command line: the system user.
    static var actor: String {
        "командная строка (\(ProcessInfo.processInfo.environment["USER"] ?? NSUserName()))"
    }

    /// The new password, read from standard input (one line; nothing is echoed or kept).
    static func password() throws -> String {
        guard let line = readLine(strippingNewline: true), !line.isEmpty else {
            Terminal.error("error: --password-stdin: no password on standard input")
            throw ExitCode.failure
        }
        let password = line.hasSuffix("\r") ? String(line.dropLast()) : line
        if let problem = Passwords.problem(password) {
            Terminal.error("error: \(problem.english)")
            throw ExitCode.failure
        }
        return password
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an account.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The login (a–z, 0–9, '.', '_', '-').") var login: String
        @Option(help: "The person's name, as triage and plans show it (default: the login).") var name: String?
        @Option(help: "teacher, deputy, department or admin.") var role: Account.Role
        @Option(help: "The school (school_id): a deputy head's, or a class teacher's.") var school: String?
        @Option(name: .customLong("class"), help: "A class teacher's class (class_id; repeatable).")
        var classes: [String] = []
        @Flag(help: "Read the password from standard input (required: passwords are never flags).")
        var passwordStdin = false

        func run() throws {
            if let problem = Account.problem(login: login, role: role, schoolID: school, classIDs: classes) {
                Terminal.error("error: \(problem)")
                throw ExitCode.failure
            }
            guard passwordStdin else {
                Terminal.error("error: give the password on standard input with --password-stdin")
                throw ExitCode.failure
            }
            let password = try Users.password()
            let s = try store.open(.create)
            try StoreOptions.change {
                try s.addAccount(
                    Account(
                        login: login, name: name ?? login, role: role, schoolID: school, classIDs: classes,
                        passwordHash: Passwords.hash(password), createdAt: Clock.now()), by: Users.actor)
            }
            Terminal.say("Учётная запись \(login) (\(role.russian)) создана")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The accounts, with their roles and scopes.")
        @OptionGroup var store: StoreOptions
        func run() throws {
            let accounts = try store.open(.read).accounts()
            if accounts.isEmpty { Terminal.say("Учётных записей нет") }
            for a in accounts {
                let scope = ([a.schoolID.map { "школа \($0)" }] + a.classIDs.map { "класс \($0)" }).compactMap { $0 }
                Terminal.say(
                    "\(a.login)  \(a.name)  \(a.role.russian)\(scope.isEmpty ? "" : "  (\(scope.joined(separator: ", ")))")"
                        + "  \(a.disabled ? "отключена" : "действует")")
            }
        }
    }

    /// Disables or enables an account.
    static func setDisabled(_ store: StoreOptions, _ login: String, _ disabled: Bool) throws {
        let s = try store.open(.write)
        try StoreOptions.change {
            try s.setDisabled(login, disabled, by: Users.actor, at: Clock.now())
            // Signed-in browsers of a disabled account are signed out at once.
            if disabled { try s.deleteSessions(login: login) }
        }
        Terminal.say("Учётная запись \(login) \(disabled ? "отключена" : "снова действует")")
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable an account: it can no longer sign in.")
        @OptionGroup var store: StoreOptions
        @Argument var login: String
        func run() throws { try Users.setDisabled(store, login, true) }
    }

    struct Enable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled account again.")
        @OptionGroup var store: StoreOptions
        @Argument var login: String
        func run() throws { try Users.setDisabled(store, login, false) }
    }

    struct Passwd: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set an account's password (from standard input).")
        @OptionGroup var store: StoreOptions
        @Argument var login: String
        @Flag(help: "Read the password from standard input (required).") var passwordStdin = false
        func run() throws {
            guard passwordStdin else {
                Terminal.error("error: give the password on standard input with --password-stdin")
                throw ExitCode.failure
            }
            let password = try Users.password()
            let s = try store.open(.write)
            guard try s.account(login) != nil else {
                Terminal.error("error: no account '\(login)'")
                throw ExitCode.failure
            }
            try StoreOptions.change {
                try s.setPasswordHash(login, Passwords.hash(password), by: Users.actor, at: Clock.now())
                // A new password ends the sessions made with the old one.
                try s.deleteSessions(login: login)
            }
            Terminal.say("Пароль учётной записи \(login) изменён")
        }
    }
}

extension Account.Role: ExpressibleByArgument {}
