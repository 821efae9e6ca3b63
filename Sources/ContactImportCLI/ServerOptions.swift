import ArgumentParser
import Foundation
import ImportClient
import ImportCore
import Settings

/// `--server` and its credentials: imports run on a CloudSponge-compatible server instead
/// of in this process. The domain password never comes from the command line, where the
/// process list would show it.
struct ServerOptions: ParsableArguments {
    static let passwordVariable = "CONTACT_IMPORT_DOMAIN_PASSWORD"

    @Option(name: .customLong("server"), help: ArgumentHelp(
        "Run the import on this CloudSponge-compatible server, the base URL of its API (setting remote.url); docs/remote-server.md.",
        valueName: "url"))
    var server: String?

    @Option(name: .customLong("domain-key"), help: ArgumentHelp(
        "The domain key the server knows this account by (setting remote.domain-key). The domain password comes from $\(Self.passwordVariable), --domain-password-stdin or a prompt without echo.",
        valueName: "key"))
    var domainKey: String?

    @Flag(name: .customLong("domain-password-stdin"), help: "Read the server's domain password from the first line of standard input.")
    var passwordStdin = false

    /// The options as settings, so that they win over the environment and the file.
    var settingOptions: [String: String] {
        var options: [String: String] = [:]
        options[Setting.remoteURL.name] = server
        options[Setting.remoteDomainKey.name] = domainKey
        return options
    }

    /// The server's client when a server is set (option, environment or settings file);
    /// nil to import in this process. A missing key or password is a usage error (64).
    func client(_ settings: MachineSettings) throws -> CloudSpongeClient? {
        let remote: RemoteServerSettings
        do {
            remote = try settings.remoteServerSettings()
        } catch let error as SettingsError {
            throw error.usageFailure()
        }
        guard let address = remote.url, let url = URL(string: address) else {
            if passwordStdin { throw Self.usage("--domain-password-stdin is for a server; give --server URL") }
            return nil
        }
        guard let key = remote.domainKey, !key.isEmpty else {
            throw Self.usage("a server needs the domain key it knows this account by: --domain-key KEY or the setting remote.domain-key")
        }
        guard let password = try password(key: key, host: url.host ?? address), !password.isEmpty else {
            throw Self.usage("a server needs the domain password: set $\(Self.passwordVariable), use --domain-password-stdin, or run on a terminal to be asked")
        }
        var configuration = CloudSpongeClient.Configuration(baseURL: url, credentials: DomainCredentials(key: key, password: password))
        if let timeout = remote.timeout { configuration.requestTimeout = timeout }
        guard let client = CloudSpongeClient(configuration: configuration) else {
            throw Self.usage("the server's address must be an absolute http or https URL, not \"\(address)\"")
        }
        return client
    }

    private func password(key: String, host: String) throws -> String? {
        if passwordStdin {
            guard let line = readLine(strippingNewline: true) else {
                throw Self.usage("--domain-password-stdin: standard input is empty")
            }
            return line.hasSuffix("\r") ? String(line.dropLast()) : line
        }
        if let value = ProcessInfo.processInfo.environment[Self.passwordVariable], !value.isEmpty {
            return value
        }
        return PasswordPrompt.read(prompt: "Domain password for \(key) at \(host): ")
    }

    private static func usage(_ message: String) -> ExitCode {
        StandardError.line("contact-import: \(message)")
        return ExitCode.validationFailure
    }
}

/// The server settings of this machine: where imports run when not here.
struct RemoteServerSettings {
    var url: String?
    var domainKey: String?
    /// How long one request to the server may take; the client's default when nil.
    var timeout: Duration?
}

extension MachineSettings {
    func remoteServerSettings() throws -> RemoteServerSettings {
        RemoteServerSettings(url: try checked(.remoteURL), domainKey: try checked(.remoteDomainKey),
                             timeout: try checked(.remoteTimeout).flatMap(Int.init).map { .seconds($0) })
    }
}
