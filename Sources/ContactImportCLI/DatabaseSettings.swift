import APIServer
import APIServerPostgres
import ArgumentParser
import Foundation
import ImportCore
import Logging
import Settings

/// `server.database` (`--database`): the PostgreSQL URL of `serve` and `accounts add`,
/// and `server.lease-seconds`. The database password comes from `PGPASSWORD`, the
/// environment variable or the settings file, never from the command line.
struct DatabaseSettings {
    var url: PostgresDatabaseURL
    var leaseDuration: Duration = .seconds(15)

    /// Refuses a password inside a URL given as an option: the process list shows argv.
    static func parse(_ text: String, fromOption: Bool,
                      environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PostgresDatabaseURL {
        let url: PostgresDatabaseURL
        do {
            url = try PostgresDatabaseURL(text, environment: environment)
        } catch let error as PostgresDatabaseURLError {
            throw SettingsError(error.description)
        }
        if fromOption && url.passwordInURL {
            throw SettingsError("--database must not hold the database password (the process list shows it): give it in PGPASSWORD, or the whole URL in CONTACT_IMPORT_SERVER_DATABASE or the settings file's server.database")
        }
        return url
    }

    func storage(engine: ImportEngine.Configuration, logger: Logger) -> PostgresStorage {
        // Sweep at least twice per retention window, so rows go soon after it ends.
        PostgresStorage(database: url, configuration: .init(leaseDuration: leaseDuration, retention: engine.retention,
                                                            forgetAfter: engine.forgetAfter,
                                                            sweepInterval: min(.seconds(30), engine.retention / 2)), logger: logger)
    }
}

extension MachineSettings {
    /// The database settings; nil when `server.database` is not set (imports in memory).
    func databaseSettings() throws -> DatabaseSettings? {
        guard let (text, origin) = value(.serverDatabase) else { return nil }
        var fromOption = false
        if case .option = origin { fromOption = true }
        return DatabaseSettings(url: try DatabaseSettings.parse(text, fromOption: fromOption), leaseDuration: try leaseDuration())
    }

    /// `server.lease-seconds`, 15 by default.
    func leaseDuration() throws -> Duration {
        try checked(.serverLease).flatMap(Int.init).map { .seconds($0) } ?? .seconds(15)
    }
}

/// `accounts add --database`: one account into the database, the schema migrated first.
enum DatabaseAccounts {
    static func add(_ account: Account, database: String) async throws {
        let url = try DatabaseSettings.parse(database, fromOption: true)
        var logger = Logger(label: "contact-import.accounts")
        logger.logLevel = .critical
        let storage = PostgresStorage(database: url, logger: logger)
        do {
            try await storage.whileRunning { try await storage.accounts.add(account) }
        } catch let error as AccountsFileError {
            throw error
        } catch let error as PostgresStoreError {
            throw error
        } catch {
            throw PostgresStoreError("the account could not be stored in \(url.redacted): \(PostgresFailure.describe(error))")
        }
    }
}
