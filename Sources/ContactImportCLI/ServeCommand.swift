import APIServer
import ArgumentParser
import ConsentServer
import DemoService
import FileServices
import Foundation
import ImportCore
import Logging
import Providers
import ServiceLifecycle
import Settings

/// `contact-import serve`: the CloudSponge-compatible API for web applications.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the CloudSponge-compatible import API (begin_import, events, contacts) over HTTP.",
        usage: "contact-import serve (--accounts <path> | --database <url>) [<options>]",
        discussion: """
            Web applications written for CloudSponge's classic API work against this \
            server with only their base URL changed. Each application is an account \
            (`contact-import accounts add`); its domain key and password authenticate \
            every call. The upload and consent pages, /healthz and /metrics are served on \
            the same port. Imports are kept in memory, or with --database in PostgreSQL, \
            where several instances behind one load balancer share them (the password \
            from PGPASSWORD, never the command line). docs/server.md covers accounts, \
            OAuth clients, a TLS reverse proxy, PostgreSQL and the limits.

            Examples:
              contact-import accounts add shop --file accounts.json
              contact-import serve --accounts accounts.json --listen 127.0.0.1:8080 \\
                  --public-url https://contacts.example.org
            """
    )

    @Option(help: ArgumentHelp("The accounts file made by `accounts add` (setting server.accounts).", valueName: "path"))
    var accounts: String?

    @Option(help: ArgumentHelp(
        "PostgreSQL for imports and accounts, postgres://USER@HOST:PORT/DATABASE (setting server.database); the password from PGPASSWORD.",
        valueName: "url"))
    var database: String?

    @Option(help: ArgumentHelp("Where to listen, HOST:PORT (setting listen). Default: 127.0.0.1:8080.", valueName: "host:port"))
    var listen: String?

    @Option(name: .customLong("public-url"), help: ArgumentHelp(
        "The address browsers and OAuth providers reach this server at, e.g. behind a TLS proxy (setting public-url).",
        valueName: "url"))
    var publicURL: String?

    @OptionGroup var settings: SettingsOptions

    func run() async throws {
        var options: [String: String] = [:]
        options[Setting.listen.name] = listen
        options[Setting.publicURL.name] = publicURL
        options[Setting.serverAccounts.name] = accounts
        options[Setting.serverDatabase.name] = database
        let loaded = try settings.load(options: options)
        let server: ServerSettings
        let databaseSettings: DatabaseSettings?
        do {
            server = try loaded.machine.serverSettings()
            databaseSettings = try loaded.machine.databaseSettings()
        } catch let error as SettingsError {
            throw error.usageFailure()
        }
        let logger = ServeLogging.logger()
        if let databaseSettings {
            guard server.accountsPath == nil else {
                StandardError.line("contact-import: with --database the accounts are in the database; leave out --accounts (add them with `contact-import accounts add NAME --database URL`)")
                throw ExitCode.validationFailure
            }
            let storage = databaseSettings.storage(engine: server.engine, logger: logger)
            try await serve(server, loaded: loaded, store: storage.imports, accounts: storage.accounts, services: [storage],
                            logger: logger, described: ["database": "\(storage.database.redacted)"])
            return
        }
        guard let path = server.accountsPath else {
            StandardError.line("contact-import: serve needs an accounts file: --accounts PATH (made by `contact-import accounts add`)")
            throw ExitCode.validationFailure
        }
        let accountList: [Account]
        do {
            accountList = try AccountsFile.load(path)
        } catch let error as AccountsFileError {
            StandardError.line("contact-import: \(error.description)")
            throw ExitCode(ExitStatus.importFailed)
        }
        if accountList.isEmpty {
            StandardError.line("contact-import: \(path) has no accounts yet; add one with `contact-import accounts add NAME --file \(path)`")
            throw ExitCode.validationFailure
        }
        try await serve(server, loaded: loaded, store: MemoryImportStore(), accounts: MemoryAccountStore(accountList), services: [],
                        logger: logger, described: ["accounts": "\(accountList.count)"])
    }

    private func serve(_ server: ServerSettings, loaded: LoadedSettings, store: any ImportStore, accounts: any AccountStore,
                       services: [any Service], logger: Logger, described: Logger.Metadata) async throws {
        let pages = MountedPageHost(baseURL: server.baseURL, uploadLimit: server.uploadLimit)
        let redirects = ServerRedirects(redirectURI: server.baseURL + "/auth")
        let engine = EngineFactory.make(configuration: server.engine, pageHost: pages, carddav: loaded.carddav, oauth: loaded.oauth,
                                        serverRedirects: redirects)
        let service = APIService(engine: engine, store: store, accounts: accounts,
                                 pages: pages, limits: server.limits, signIns: SignInCallback(redirects: redirects))
        let api = APIServer(service: service, pages: pages,
                            configuration: .init(host: server.listen.host, port: server.listen.port, bodyLimit: server.bodyLimit,
                                                 logger: logger))
        let address = server.listen
        do {
            try await api.run(alongside: services) { port in
                if server.publicURL == nil {
                    await pages.setBaseURL(server.baseURL(port: port))
                    redirects.setRedirectURI(server.baseURL(port: port) + "/auth")
                }
                logger.notice("listening", metadata: ["address": "\(address.host):\(port)", "public_url": "\(server.publicURL ?? server.baseURL(port: port))"]
                                .merging(described) { $1 })
            }
        } catch {
            StandardError.line("contact-import: cannot serve on \(address): \(error)")
            throw ExitCode(ExitStatus.importFailed)
        }
    }
}

/// The server's log: one JSON object a line on stderr, so that a log collector can read
/// the fields (route, status, duration, account, import id) without parsing prose.
enum ServeLogging {
    static func logger() -> Logger {
        Logger(label: "contact-import.server") { label in JSONLineLogHandler(label: label) }
    }
}

struct JSONLineLogHandler: LogHandler {
    let label: String
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var fields: [(String, String)] = [
            ("time", Date().formatted(.iso8601)),
            ("level", event.level.rawValue),
            ("message", event.message.description),
        ]
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        for key in merged.keys.sorted() { fields.append((key, "\(merged[key]!)")) }
        let line = "{" + fields.map { "\(Self.quote($0.0)):\(Self.quote($0.1))" }.joined(separator: ",") + "}"
        StandardError.line(line)
    }

    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default:
                if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}
