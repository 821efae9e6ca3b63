import ArgumentParser
@testable import ContactImportCLI
import Foundation
import ImportCore
@testable import Providers
import Settings
import Testing

/// The settings of a machine: options over the environment over the settings file, every
/// setting's environment variable, and the errors of a bad one.
@Suite("settings")
struct SettingsTests {
    /// A settings file in a folder of its own; the environment names nothing else, so a
    /// file in the tester's home cannot leak in.
    struct Machine {
        let folder: URL
        let file: URL

        init(_ contents: String) throws {
            folder = try temporaryDirectory()
            file = folder.appendingPathComponent("config")
            try contents.write(to: file, atomically: true, encoding: .utf8)
        }

        func settings(options: [String: String] = [:], environment: [String: String] = [:]) throws -> MachineSettings {
            try MachineSettings(options: options, configPath: file.path, environment: environment)
        }

        func remove() { try? FileManager.default.removeItem(at: folder) }
    }

    static func errorText(_ body: () throws -> Any) -> String {
        do {
            _ = try body()
            return "(no error)"
        } catch {
            return String(describing: error)
        }
    }

    @Test func anOptionBeatsTheEnvironmentWhichBeatsTheFile() throws {
        let machine = try Machine("public-url = https://file.example.org\ngoogle.client-id = from-file\n")
        defer { machine.remove() }
        let environment = ["CONTACT_IMPORT_PUBLIC_URL": "https://env.example.org", "CONTACT_IMPORT_GOOGLE_CLIENT_ID": "from-env"]

        let all = try machine.settings(options: ["public-url": "https://option.example.org"], environment: environment)
        #expect(all.value(.publicURL)?.value == "https://option.example.org")
        #expect(all.value(.publicURL)?.origin == .option("--public-url"))
        #expect(try all.consentConfiguration().publicURL?.description.hasPrefix("https://option.example.org") == true)

        let noOption = try machine.settings(environment: environment)
        #expect(noOption.value(.publicURL)?.value == "https://env.example.org")
        #expect(noOption.value(.publicURL)?.origin == .environment("CONTACT_IMPORT_PUBLIC_URL"))
        #expect(try noOption.oauthApps().google.clientID == "from-env")

        let fileOnly = try machine.settings()
        #expect(fileOnly.value(.publicURL)?.value == "https://file.example.org")
        #expect(fileOnly.value(.publicURL)?.origin == .file(path: machine.file.path, line: 1))
        #expect(try fileOnly.oauthApps().google.clientID == "from-file")

        // An empty variable is unset, as `VAR=` means in a shell: the file shows through.
        let emptyVariable = try machine.settings(environment: ["CONTACT_IMPORT_GOOGLE_CLIENT_ID": ""])
        #expect(try emptyVariable.oauthApps().google.clientID == "from-file")
    }

    @Test func nothingSetLeavesTheDefaults() throws {
        let machine = try Machine("# nothing yet\n")
        defer { machine.remove() }
        let apps = try machine.settings().oauthApps()
        #expect(apps == OAuthApps())
        #expect(apps.google.missing == ["google.client-id", "google.client-secret"])
        #expect(apps.microsoft.missing == ["microsoft.client-id"])
        #expect(apps.microsoft.tenant == nil)
    }

    /// Every setting, from its variable and from the file, and where each value lands.
    @Test(arguments: Setting.all.map(\.name))
    func everySettingIsReadFromItsVariableAndFromTheFile(_ name: String) throws {
        let setting = try #require(Setting.named(name))
        let variable = "CONTACT_IMPORT_" + name.uppercased().replacingOccurrences(of: ".", with: "_").replacingOccurrences(of: "-", with: "_")
        #expect(setting.environmentVariable == variable)
        let sample: String
        switch setting.kind {
        case .url: sample = "http://127.0.0.1:8081/\(name)"
        case .listenAddress: sample = "127.0.0.1:8089"
        case .positiveNumber: sample = "7"
        case .tenant: sample = "consumers"
        case .text, .secret: sample = "value-of-\(name)"
        }
        let empty = try Machine("")
        defer { empty.remove() }
        let fromEnvironment = try empty.settings(environment: [variable: sample])
        #expect(fromEnvironment.value(setting)?.value == sample)
        #expect(fromEnvironment.value(setting)?.origin == .environment(variable))

        let file = try Machine("# \(name)\n\(name) = \(sample)\n")
        defer { file.remove() }
        let fromFile = try file.settings()
        #expect(fromFile.value(setting)?.value == sample)
        #expect(fromFile.value(setting)?.origin == .file(path: file.file.path, line: 2))

        // The value reaches what the commands use.
        let apps = try fromEnvironment.oauthApps()
        let consent = try fromEnvironment.consentConfiguration()
        let server = try fromEnvironment.serverSettings()
        let remote = try fromEnvironment.remoteServerSettings()
        let carddav = try fromEnvironment.cardDAVSettings()
        let landed: String? = switch name {
        case "listen": consent.listen.description
        case "public-url": consent.publicURL?.description
        case "upload-limit-mb": consent.uploadLimit == 7_000_000 ? "7" : "\(consent.uploadLimit)"
        case "google.client-id": apps.google.clientID
        case "google.client-secret": apps.google.clientSecret?.value
        case "google.auth-url": apps.google.authURL
        case "google.token-url": apps.google.tokenURL
        case "google.revoke-url": apps.google.revokeURL
        case "google.people-url": apps.google.peopleURL
        case "microsoft.client-id": apps.microsoft.clientID
        case "microsoft.tenant": apps.microsoft.tenant
        case "microsoft.login-url": apps.microsoft.loginURL
        case "microsoft.graph-url": apps.microsoft.graphURL
        case "yahoo.client-id": apps.yahoo.clientID
        case "yahoo.client-secret": apps.yahoo.clientSecret?.value
        case "yahoo.auth-url": apps.yahoo.authURL
        case "yahoo.token-url": apps.yahoo.tokenURL
        case "api.attempts": "\(apps.limits.maxAttempts)"
        case "api.retry-delay-ms": apps.limits.retryDelay == .milliseconds(7) ? "7" : "\(apps.limits.retryDelay)"
        case "api.timeout": apps.limits.requestTimeout == .seconds(7) && apps.limits.connectTimeout == .seconds(7) ? "7" : "\(apps.limits.requestTimeout)"
        case "api.import-deadline": apps.limits.importDeadline == .seconds(7) ? "7" : "\(apps.limits.importDeadline)"
        case "carddav.timeout": carddav.requestTimeout == .seconds(7) && carddav.connectTimeout == .seconds(7) ? "7" : "\(carddav.requestTimeout)"
        case "remote.url": remote.url
        case "remote.domain-key": remote.domainKey
        case "remote.timeout": remote.timeout == .seconds(7) ? "7" : remote.timeout.map { "\($0)" }
        case "server.accounts": server.accountsPath
        case "server.retention-seconds": server.engine.retention == .seconds(7) ? "7" : "\(server.engine.retention)"
        // Never shorter than the retention (600 s by default).
        case "server.forget-after-seconds": server.engine.forgetAfter == max(.seconds(7), server.engine.retention) ? "7" : "\(server.engine.forgetAfter)"
        case "server.consent-timeout-seconds": server.engine.consentTimeout == .seconds(7) ? "7" : "\(server.engine.consentTimeout)"
        case "server.body-limit-kb": server.bodyLimit == 7 * 1024 ? "7" : "\(server.bodyLimit)"
        case "server.begins-per-minute": "\(server.limits.perMinute)"
        case "server.running-imports": "\(server.limits.running)"
        case "server.max-contacts": server.engine.maximumContacts.map(String.init)
        case "server.database": fromEnvironment.value(setting)?.value
        case "server.lease-seconds": try fromEnvironment.leaseDuration() == .seconds(7) ? "7" : nil
        default: nil
        }
        #expect(landed?.hasPrefix(sample) == true, "\(name) landed as \(landed ?? "nothing")")
    }

    @Test func anUnknownSettingInTheFileListsTheKnownOnes() throws {
        let machine = try Machine("listen = 127.0.0.1:0\ngoogle.client-ids = x\n")
        defer { machine.remove() }
        let text = Self.errorText { try machine.settings() }
        #expect(text.contains("\(machine.file.path):2: unknown setting \"google.client-ids\""))
        for known in Setting.all.map(\.name) { #expect(text.contains(known), "\(known) is listed") }
    }

    @Test func aBadAddressNamesTheSettingAndWhereItCameFrom() throws {
        let machine = try Machine("google.client-id = abc\n\ngoogle.token-url = oauth2.example.org/token\n")
        defer { machine.remove() }
        let fromFile = Self.errorText { try machine.settings().oauthApps() }
        #expect(fromFile.contains("google.token-url"))
        #expect(fromFile.contains("\(machine.file.path):3"))
        #expect(fromFile.contains("absolute http or https address"))

        let empty = try Machine("")
        defer { empty.remove() }
        let fromEnvironment = Self.errorText {
            try empty.settings(environment: ["CONTACT_IMPORT_MICROSOFT_GRAPH_URL": "ftp://graph.example.org"]).oauthApps()
        }
        #expect(fromEnvironment.contains("microsoft.graph-url"))
        #expect(fromEnvironment.contains("environment variable CONTACT_IMPORT_MICROSOFT_GRAPH_URL"))

        let publicURL = Self.errorText {
            try empty.settings(options: ["public-url": "ftp://x"]).consentConfiguration()
        }
        #expect(publicURL.contains("public-url"))
        #expect(publicURL.contains("option --public-url"))
    }

    @Test func aSecretIsNeverInAnErrorMessage() throws {
        let secret = "GOCSPX-never-shown-42"
        // A line without `=` used to be quoted whole.
        let noEquals = try Machine("google.client-secret \(secret)\n")
        defer { noEquals.remove() }
        let text = Self.errorText { try noEquals.settings() }
        #expect(text.contains("\(noEquals.file.path):1"))
        #expect(!text.contains(secret))

        // A secret that cannot be one (a space inside: two values pasted together).
        let spaced = try Machine("yahoo.client-secret = \(secret) \(secret)\n")
        defer { spaced.remove() }
        let spacedText = Self.errorText { try spaced.settings().oauthApps() }
        #expect(spacedText.contains("yahoo.client-secret"))
        #expect(!spacedText.contains(secret))

        // Read fine, the secret does not show when the settings are printed or dumped.
        let good = try Machine("google.client-secret = \(secret)\n")
        defer { good.remove() }
        let apps = try good.settings().oauthApps()
        #expect(apps.google.clientSecret?.value == secret)
        var dumped = ""
        dump(apps, to: &dumped)
        #expect(!"\(apps)".contains(secret) && !dumped.contains(secret))
    }

    @Test func theSetupGuideNamesTheFileAndTheVariables() throws {
        let gmail = try #require(ServiceCatalog.standard.service(named: "gmail"))
        let needed = SetupNeeded(settings: ["google.client-id", "google.client-secret"], guide: "docs/oauth.md")
        let settings = try MachineSettings(environment: ["HOME": "home-of-ada"])
        let text = settings.setupGuide(for: gmail, needed).lines.joined(separator: "\n")
        #expect(text.contains("Add these lines to the settings file home-of-ada/.config/contact-import/config:"))
        #expect(text.contains("    google.client-id = ...\n    google.client-secret = ..."))
        #expect(text.contains("    CONTACT_IMPORT_GOOGLE_CLIENT_ID\n    CONTACT_IMPORT_GOOGLE_CLIENT_SECRET"))
        #expect(text.contains("docs/oauth.md"))
        let explicit = try Machine("")
        defer { explicit.remove() }
        #expect(try explicit.settings().setupGuide(for: gmail, needed).lines.joined().contains(explicit.file.path))
    }
}
