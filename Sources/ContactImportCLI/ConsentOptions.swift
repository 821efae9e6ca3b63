import ArgumentParser
import ConsentServer
import Foundation
import Settings

/// Where the consent and upload pages are served, and the address people are sent to.
struct ConsentOptions: ParsableArguments {
    static var listenVariable: String { Setting.listen.environmentVariable }
    static var publicURLVariable: String { Setting.publicURL.environmentVariable }

    @Option(help: ArgumentHelp(
        "Where consent and upload pages listen, HOST:PORT (env \(Self.listenVariable)). Default: 127.0.0.1 with a free port; 0.0.0.0:PORT serves the LAN.",
        valueName: "host:port"))
    var listen: String?

    @Option(name: .customLong("public-url"), help: ArgumentHelp(
        "The address people open, if not the listening one: a LAN address, an ssh -L forward or a TLS proxy (env \(Self.publicURLVariable)).",
        valueName: "url"))
    var publicURL: String?

    @OptionGroup var settings: SettingsOptions

    /// This command's settings, the options above (and `more`, by setting name) over the
    /// environment over the file.
    func load(adding more: [String: String] = [:],
              environment: [String: String] = ProcessInfo.processInfo.environment) throws -> LoadedSettings {
        var options = more
        options[Setting.listen.name] = listen
        options[Setting.publicURL.name] = publicURL
        return try settings.load(options: options, environment: environment)
    }
}

extension LoadedSettings {
    /// The server's configuration; a bad value is a usage error naming the setting.
    func consentConfiguration() throws -> ConsentServer.Configuration {
        do {
            return try machine.consentConfiguration()
        } catch let error as SettingsError {
            throw error.usageFailure()
        }
    }
}
