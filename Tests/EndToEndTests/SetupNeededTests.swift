import ArgumentParser
@testable import ContactImportCLI
import Foundation
import ImportCore
import Settings
import Testing

/// A service whose keys are missing, as the Google and Microsoft sources report it.
struct KeylessFactory: ContactSourceFactory {
    var serviceCodes: Set<String> = ["gmail"]

    func prepare(_ request: SourceRequest) async throws -> PreparedSource {
        throw ImportError(.invalidParameters, "a keyless service never prepares")
    }

    func setupNeeded(for service: ServiceDescriptor) -> SetupNeeded? {
        SetupNeeded(settings: ["google.client-id", "google.client-secret"], guide: "docs/oauth.md")
    }
}

@Suite("needs setup")
struct SetupNeededTests {
    static var gmail: ServiceDescriptor { ServiceCatalog.standard.service(named: "gmail")! }

    @Test func servicesListsAServiceNeedingSetupWithTheAvailableOnes() {
        let engine = ImportEngine(factories: [KeylessFactory()])
        let listed = ServicesCommand.ordered(engine.catalog.services, isAvailable: { engine.isAvailable($0) },
                                             setupNeeded: { engine.setupNeeded($0) })
        let text = ServicesCommand.text(listed)
        let lines = text.split(separator: "\n").map(String.init)
        let notYet = try! #require(lines.firstIndex { $0.hasPrefix("Not built yet") })
        let gmail = try! #require(lines.firstIndex { $0.hasPrefix("  gmail ") })
        #expect(lines[0] == "Available:")
        #expect(gmail < notYet)
        #expect(lines[gmail].contains(" needs setup "))
        #expect(lines[gmail].contains("Add google.client-id, google.client-secret to the settings file or the environment (docs/oauth.md)."))
    }

    @Test func importOfAServiceNeedingSetupSaysWhatToAddAndExitsOne() async throws {
        let engine = ImportEngine(factories: [KeylessFactory()])
        let reported = Lines()
        var runner = ImportRunner(engine: engine, style: .none)
        runner.setupGuide = { service, needed in
            SetupGuide(service: service, needed: needed, settingsFile: "home-of-ada/.config/contact-import/config",
                       environmentVariables: needed.settings.map(Setting.environmentVariable(for:)))
        }
        runner.report = { reported.append($0) }
        var status: Int32?
        do {
            _ = try await runner.run(service: "GMAIL", parameters: ImportParameters())
        } catch let exit as ExitCode {
            status = exit.rawValue
        }
        // docs/errors.md: 261 is a failure, and a failed import exits 1.
        #expect(status == ExitStatus.importFailed)
        #expect(status == 1)
        let text = reported.all.joined(separator: "\n")
        #expect(text.hasPrefix("contact-import: error 261"))
        #expect(text.contains("needs setup"))
        let guide = SetupGuide(service: Self.gmail, needed: KeylessFactory().setupNeeded(for: Self.gmail)!,
                               settingsFile: "home-of-ada/.config/contact-import/config",
                               environmentVariables: ["CONTACT_IMPORT_GOOGLE_CLIENT_ID", "CONTACT_IMPORT_GOOGLE_CLIENT_SECRET"])
        // The same words as the terminal UI's screen, after the error line.
        #expect(text.hasSuffix(guide.lines.dropFirst(2).joined(separator: "\n")))
        #expect(text.contains("Add these lines to the settings file home-of-ada/.config/contact-import/config:"))
        #expect(text.contains("    CONTACT_IMPORT_GOOGLE_CLIENT_SECRET"))
    }

    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func append(_ line: String) { lock.withLock { lines.append(line) } }
        var all: [String] { lock.withLock { lines } }
    }
}

/// The built program: settings errors, and secrets kept out of every output.
@Suite("settings of the built program")
struct SettingsCommandLineTests {
    static let secret = "GOCSPX-kept-out-of-sight-0451"

    static func isolated(_ extra: [String: String] = [:], home: URL) -> [String: String] {
        ["HOME": home.path, "XDG_CONFIG_HOME": home.appendingPathComponent(".config").path].merging(extra) { $1 }
    }

    @Test func servicesReadsTheSettingsAndNeverShowsASecret() throws {
        let home = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let file = home.appendingPathComponent("keys")
        try "google.client-id = 123.apps.example\nyahoo.client-id = y\nyahoo.client-secret = \(Self.secret)-yahoo\n"
            .write(to: file, atomically: true, encoding: .utf8)
        let log = home.appendingPathComponent("access.log")
        let environment = Self.isolated(["CONTACT_IMPORT_GOOGLE_CLIENT_SECRET": Self.secret, "CONFIG_ACCESS_LOG_FILE": log.path], home: home)
        for arguments in [["services", "--config", file.path], ["services", "--json", "--config", file.path]] {
            let outcome = try CommandLine.run(arguments, environment: environment)
            #expect(outcome.status == 0, "\(arguments): \(outcome.stderr)")
            #expect(!outcome.stdout.contains(Self.secret) && !outcome.stderr.contains(Self.secret))
        }
        // The settings library's access log, when asked for, names the secrets but hides them.
        let logged = try String(contentsOf: log, encoding: .utf8)
        #expect(logged.contains("google.client-secret"))
        #expect(logged.contains("<REDACTED>"))
        #expect(!logged.contains(Self.secret))
    }

    @Test func aBadAddressIsAUsageErrorNamingTheSettingAndTheLine() throws {
        let home = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let file = home.appendingPathComponent("config")
        try "google.client-secret = \(Self.secret)\ngoogle.people-url = people.example.org\n".write(to: file, atomically: true, encoding: .utf8)
        for command in [["services"], ["import", "--service", "demo"]] {
            let outcome = try CommandLine.run(command + ["--config", file.path], environment: Self.isolated(home: home))
            #expect(outcome.status == 64)
            #expect(outcome.stderr.contains("google.people-url (from \(file.path):2) must be an absolute http or https address"))
            #expect(!outcome.stderr.contains(Self.secret))
        }
        let fromEnvironment = try CommandLine.run(["import", "--service", "demo"],
                                                  environment: Self.isolated(["CONTACT_IMPORT_GOOGLE_AUTH_URL": "accounts.example.org"], home: home))
        #expect(fromEnvironment.status == 64)
        #expect(fromEnvironment.stderr.contains("google.auth-url (from environment variable CONTACT_IMPORT_GOOGLE_AUTH_URL)"))
    }

    @Test func theDefaultSettingsFileHoldsTheKeysToo() throws {
        let home = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let folder = home.appendingPathComponent(".config/contact-import")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "microsoft.tenant = not a tenant!\n".write(to: folder.appendingPathComponent("config"), atomically: true, encoding: .utf8)
        let outcome = try CommandLine.run(["services"], environment: Self.isolated(home: home))
        #expect(outcome.status == 64)
        #expect(outcome.stderr.contains("microsoft.tenant (from \(folder.path)/config:1)"))
    }
}
