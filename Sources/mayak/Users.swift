import ArgumentParser
import Foundation
import MayakHistory
import MayakWeb

/// `mayak users`: the accounts staff sign in to the web app with, kept in the history database.
struct Users: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: Help.Users.abstract,
        subcommands: [Add.self, List.self, Disable.self, Enable.self, Passwd.self])

    /// Who the account events name for a change from the command line: the system user.
    static var actor: String {
        Messages.commandLineActor(ProcessInfo.processInfo.environment["USER"] ?? NSUserName())
    }

    /// The new password, read from standard input (one line; nothing is echoed or kept).
    static func password() throws -> String {
        guard let line = readLine(strippingNewline: true), !line.isEmpty else {
            Terminal.error(Messages.noPasswordOnInput)
            throw ExitCode.failure
        }
        let password = line.hasSuffix("\r") ? String(line.dropLast()) : line
        if let problem = Passwords.problem(password) {
            Terminal.error(Messages.error(problem.text))
            throw ExitCode.failure
        }
        return password
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: Help.Users.Add.abstract)
        @OptionGroup var store: StoreOptions
        @Argument(help: Help.Users.Add.login) var login: String
        @Option(help: Help.Users.Add.name) var name: String?
        @Option(help: Help.Users.Add.role) var role: Account.Role
        @Option(help: Help.Users.Add.school) var school: String?
        @Option(name: .customLong("class"), help: Help.Users.Add.classes) var classes: [String] = []
        @Flag(help: Help.Users.Add.passwordStdin) var passwordStdin = false

        func run() throws {
            if let problem = Account.problem(login: login, role: role, schoolID: school, classIDs: classes) {
                Terminal.error(Messages.error(problem))
                throw ExitCode.failure
            }
            guard passwordStdin else {
                Terminal.error(Messages.passwordOnInput)
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
            Terminal.say(Messages.accountAdded(login, role: role))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: Help.Users.List.abstract)
        @OptionGroup var store: StoreOptions
        func run() throws {
            let accounts = try store.open(.read).accounts()
            if accounts.isEmpty { Terminal.say(Messages.noAccounts) }
            for a in accounts { Terminal.say(Messages.account(a)) }
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
        Terminal.say(Messages.accountDisabled(login, disabled))
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: Help.Users.Disable.abstract)
        @OptionGroup var store: StoreOptions
        @Argument(help: Help.Users.login) var login: String
        func run() throws { try Users.setDisabled(store, login, true) }
    }

    struct Enable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: Help.Users.Enable.abstract)
        @OptionGroup var store: StoreOptions
        @Argument(help: Help.Users.login) var login: String
        func run() throws { try Users.setDisabled(store, login, false) }
    }

    struct Passwd: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: Help.Users.Passwd.abstract)
        @OptionGroup var store: StoreOptions
        @Argument(help: Help.Users.login) var login: String
        @Flag(help: Help.Users.Passwd.passwordStdin) var passwordStdin = false
        func run() throws {
            guard passwordStdin else {
                Terminal.error(Messages.passwordOnInput)
                throw ExitCode.failure
            }
            let password = try Users.password()
            let s = try store.open(.write)
            guard try s.account(login) != nil else {
                Terminal.error(Messages.noAccount(login))
                throw ExitCode.failure
            }
            try StoreOptions.change {
                try s.setPasswordHash(login, Passwords.hash(password), by: Users.actor, at: Clock.now())
                // A new password ends the sessions made with the old one.
                try s.deleteSessions(login: login)
            }
            Terminal.say(Messages.passwordChanged(login))
        }
    }
}

extension Account.Role: ExpressibleByArgument {}
