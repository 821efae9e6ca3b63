import APIServer
import APIServerPostgres
import ArgumentParser
import Foundation
import Settings

/// `contact-import accounts`: the API server's accounts.
struct AccountsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accounts",
        abstract: "Manage the accounts of the API server (`contact-import serve`).",
        subcommands: [AccountsAddCommand.self]
    )
}

/// `contact-import accounts add NAME --file accounts.json`.
struct AccountsAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Create an account: print its domain key and password once, keep only a slow hash of the password.",
        usage: "contact-import accounts add <name> (--file <path> | --database <url>)",
        discussion: """
            Prints {"domain_key": "...", "domain_password": "..."} on stdout. The \
            password is shown this once and cannot be recovered: the file keeps a \
            PBKDF2-SHA512 hash of it. A new file is made readable by its owner only; an \
            existing one keeps its permissions. A running server reads the file when it \
            starts. With --database the account goes into PostgreSQL instead, where \
            every server on that database sees it at once (the database password from \
            PGPASSWORD).

            Examples:
              contact-import accounts add shop --file accounts.json
              contact-import accounts add shop --file accounts.json \\
                  --redirect-host shop.example.org --redirect-host '*.shop.example.org'
              PGPASSWORD=... contact-import accounts add shop \\
                  --database postgres://contacts@db.example.org/contacts
            """
    )

    @Argument(help: ArgumentHelp("A name for the account (a web application), unique in the file.", valueName: "name"))
    var name: String

    @Option(help: ArgumentHelp("The accounts file; created if it does not exist.", valueName: "path"))
    var file: String?

    @Option(help: ArgumentHelp("PostgreSQL instead of a file, postgres://USER@HOST:PORT/DATABASE; the password from PGPASSWORD.",
                               valueName: "url"))
    var database: String?

    @Option(name: .customLong("redirect-host"), help: ArgumentHelp(
        "A host the account's redirect_url may point to (repeat for more; *.example.org for its subdomains). Without any, redirect_url is refused (513).",
        valueName: "host"))
    var redirectHosts: [String] = []

    func validate() throws {
        guard (file == nil) != (database == nil) else {
            throw ValidationError("give either --file PATH or --database URL")
        }
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 64, !trimmed.contains(where: { $0.isNewline || $0.asciiValue.map { $0 < 0x20 } == true }) else {
            throw ValidationError("the account name must be 1 to 64 characters on one line")
        }
        for host in redirectHosts {
            let bare = host.hasPrefix("*.") ? String(host.dropFirst(2)) : host
            guard !bare.isEmpty, bare.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }) else {
                throw ValidationError("--redirect-host takes a host name such as shop.example.org or *.example.org, not \"\(host)\"")
            }
        }
    }

    func run() async throws {
        let issued = IssuedCredentials.generate()
        do {
            let account = Account(name: name.trimmingCharacters(in: .whitespaces), domainKey: issued.domainKey,
                                  passwordHash: try PasswordHash(hashing: issued.domainPassword),
                                  redirectHosts: redirectHosts.map { $0.lowercased() })
            if let file {
                try AccountsFile.add(account, to: file)
            } else if let database {
                try await DatabaseAccounts.add(account, database: database)
            }
        } catch let error as AccountsFileError {
            StandardError.line("contact-import: \(error.description)")
            throw ExitCode(ExitStatus.outputFailed)
        } catch let error as SettingsError {
            throw error.usageFailure()
        } catch let error as PostgresStoreError {
            StandardError.line("contact-import: \(error.description)")
            throw ExitCode(ExitStatus.outputFailed)
        }
        print(issued.json)
    }
}
