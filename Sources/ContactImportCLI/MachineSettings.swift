import Configuration
import ConsentServer
import Foundation
import ImportCore
import Providers
import Settings
import Synchronization

/// The settings of this machine for one command, read through one `ConfigReader` over the
/// options, the environment and the settings file, in that order of precedence (defaults
/// last). Commands read them once and hand the results on: the consent server's
/// configuration and the OAuth apps.
struct MachineSettings {
    /// Where a value came from, for error messages.
    enum Origin: Equatable, CustomStringConvertible {
        case option(String)
        case environment(String)
        case file(path: String, line: Int)

        var description: String {
            switch self {
            case .option(let option): return "option \(option)"
            case .environment(let variable): return "environment variable \(variable)"
            case .file(let path, let line): return "\(path):\(line)"
            }
        }
    }

    let file: SettingsFile
    /// The settings file this machine reads, or would read if it were there.
    let fileLocation: String?
    private let reader: ConfigReader
    private let origins: OriginRecorder

    /// - Parameters:
    ///   - options: values given on the command line, by setting name; secrets are refused.
    ///   - configPath: the `--config` option.
    init(options: [String: String] = [:], configPath: String? = nil,
         environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        for name in options.keys where Setting.named(name)?.option == nil {
            preconditionFailure("\(name) cannot be given as an option")
        }
        file = try SettingsFile.load(explicitPath: configPath, environment: environment)
        fileLocation = SettingsFile.location(explicitPath: configPath, environment: environment)

        var optionValues: [AbsoluteConfigKey: ConfigValue] = [:]
        for (name, value) in options where !value.isEmpty {
            optionValues[AbsoluteConfigKey(ConfigKey(name))] = ConfigValue(.string(value), isSecret: false)
        }
        // Only the settings' variables (not CONTACT_IMPORT_PASSWORD, say), and an empty one
        // counts as unset, as a shell's `VAR=` means.
        let variables = Set(Setting.all.map(\.environmentVariable))
        let ours = environment.filter { variables.contains($0.key) && !$0.value.isEmpty }
        let secretVariables = Set(Setting.all.filter(\.isSecret).map(\.environmentVariable))
        let environmentProvider = EnvironmentVariablesProvider(environmentVariables: ours, secretsSpecifier: .specific(secretVariables))
            .prefixKeys(with: ConfigKey([Setting.environmentPrefix]))
        let optionsProvider = InMemoryProvider(name: "options", values: optionValues)
        origins = OriginRecorder(options: optionsProvider.providerName, environment: environmentProvider.providerName)
        reader = ConfigReader(providers: [optionsProvider, environmentProvider, file.provider], accessReporter: origins)
    }

    /// The value of a setting and where it came from; nil when it is not set anywhere.
    func value(_ setting: Setting) -> (value: String, origin: Origin)? {
        guard let value = reader.string(forKey: ConfigKey(setting.name), isSecret: setting.isSecret) else { return nil }
        return (value, origins.origin(of: setting, file: file))
    }

    /// A setting's value, checked against its kind. Errors name the setting and where its
    /// value came from, and quote the value only when it is not a secret.
    func checked(_ setting: Setting) throws -> String? {
        guard let (value, origin) = value(setting) else { return nil }
        func complaint(_ what: String) -> SettingsError {
            SettingsError("\(setting.name) (from \(origin)) \(what), not \"\(value)\"")
        }
        switch setting.kind {
        case .text:
            return value
        case .secret:
            guard !value.contains(where: { $0.isWhitespace || $0.isNewline }) else {
                throw SettingsError("\(setting.name) (from \(origin)) holds a space; the value is not shown")
            }
            return value
        case .url:
            guard let url = URLComponents(string: value), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
                  let host = url.host, !host.isEmpty
            else { throw complaint("must be an absolute http or https address") }
            return value
        case .positiveNumber:
            guard let number = Int(value), number > 0 else { throw complaint("must be a whole number above zero") }
            return value
        case .tenant:
            guard value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }) else {
                throw complaint("must be common, consumers, organizations, a domain or a tenant id")
            }
            return value
        case .listenAddress:
            return value
        }
    }

    // MARK: - What the commands use

    /// Where the consent and upload pages are served.
    func consentConfiguration() throws -> ConsentServer.Configuration {
        var configuration = ConsentServer.Configuration()
        func parsed<Value>(_ setting: Setting, _ parse: (String) throws -> Value) throws -> Value? {
            guard let text = try checked(setting) else { return nil }
            do {
                return try parse(text)
            } catch let error as ConsentServerSettingError {
                throw SettingsError("\(error.description) (\(setting.name) from \(value(setting)?.origin.description ?? "the defaults"))")
            }
        }
        if let address = try parsed(.listen, ListenAddress.init(parsing:)) { configuration.listen = address }
        if let url = try parsed(.publicURL, PublicBaseURL.init(parsing:)) { configuration.publicURL = url }
        if let megabytes = try checked(.uploadLimit).flatMap(Int.init) { configuration.uploadLimit = megabytes * 1_000_000 }
        return configuration
    }

    /// The OAuth apps of this machine; endpoints not set keep their defaults.
    func oauthApps() throws -> OAuthApps {
        var apps = OAuthApps()
        apps.google.clientID = try checked(.googleClientID)
        apps.google.setClientSecret(try checked(.googleClientSecret))
        if let url = try checked(.googleAuthURL) { apps.google.authURL = url }
        if let url = try checked(.googleTokenURL) { apps.google.tokenURL = url }
        if let url = try checked(.googleRevokeURL) { apps.google.revokeURL = url }
        if let url = try checked(.googlePeopleURL) { apps.google.peopleURL = url }
        apps.microsoft.clientID = try checked(.microsoftClientID)
        apps.microsoft.tenant = try checked(.microsoftTenant)
        if let url = try checked(.microsoftLoginURL) { apps.microsoft.loginURL = url }
        if let url = try checked(.microsoftGraphURL) { apps.microsoft.graphURL = url }
        apps.yahoo.clientID = try checked(.yahooClientID)
        apps.yahoo.setClientSecret(try checked(.yahooClientSecret))
        if let url = try checked(.yahooAuthURL) { apps.yahoo.authURL = url }
        if let url = try checked(.yahooTokenURL) { apps.yahoo.tokenURL = url }
        if let attempts = try checked(.apiAttempts).flatMap(Int.init) { apps.limits.maxAttempts = attempts }
        if let milliseconds = try checked(.apiRetryDelay).flatMap(Int.init) { apps.limits.retryDelay = .milliseconds(milliseconds) }
        if let seconds = try checked(.apiTimeout).flatMap(Int.init) {
            apps.limits.requestTimeout = .seconds(seconds)
            apps.limits.connectTimeout = min(apps.limits.connectTimeout, .seconds(seconds))
        }
        if let seconds = try checked(.apiImportDeadline).flatMap(Int.init) { apps.limits.importDeadline = .seconds(seconds) }
        return apps
    }

    /// The CardDAV client's limits; those not set keep their defaults.
    func cardDAVSettings() throws -> CardDAVSettings {
        var settings = CardDAVSettings()
        if let seconds = try checked(.carddavTimeout).flatMap(Int.init) {
            settings.requestTimeout = .seconds(seconds)
            settings.connectTimeout = min(settings.connectTimeout, .seconds(seconds))
        }
        return settings
    }

    /// What to tell someone whose service needs setup: the settings, this machine's file,
    /// and the environment variables.
    func setupGuide(for service: ServiceDescriptor, _ needed: SetupNeeded) -> SetupGuide {
        SetupGuide(service: service, needed: needed, settingsFile: fileLocation,
                   environmentVariables: needed.settings.map(Setting.environmentVariable(for:)))
    }
}

/// Remembers which provider gave each value the reader returned.
private final class OriginRecorder: AccessReporter, Sendable {
    private let optionsProvider: String
    private let environmentProvider: String
    private let providers = Mutex<[String: (provider: String, encodedKey: String)]>([:])

    init(options: String, environment: String) {
        optionsProvider = options
        environmentProvider = environment
    }

    func report(_ event: AccessEvent) {
        let key = event.metadata.key.components.joined(separator: ".")
        for result in event.providerResults {
            guard case .success(let lookup) = result.result, lookup.value != nil else { continue }
            providers.withLock { $0[key] = (result.providerName, lookup.encodedKey) }
            return
        }
    }

    func origin(of setting: Setting, file: SettingsFile) -> MachineSettings.Origin {
        let found = providers.withLock { $0[setting.name] }
        if let found, found.provider == optionsProvider, let option = setting.option {
            return .option(option)
        }
        if let found, found.provider == environmentProvider {
            return .environment(found.encodedKey)
        }
        if let path = file.path, let line = file.entries[setting.name]?.line {
            return .file(path: path, line: line)
        }
        return .environment(setting.environmentVariable)
    }
}
