import ArgumentParser
import ConsentServer
import Foundation

/// Where the consent and upload pages are served, and the address people are sent to.
struct ConsentOptions: ParsableArguments {
    static let listenVariable = "CONTACT_IMPORT_LISTEN"
    static let publicURLVariable = "CONTACT_IMPORT_PUBLIC_URL"

    @Option(help: ArgumentHelp(
        "Where consent and upload pages listen, HOST:PORT (env \(Self.listenVariable)). Default: 127.0.0.1 with a free port; 0.0.0.0:PORT serves the LAN.",
        valueName: "host:port"))
    var listen: String?

    @Option(name: .customLong("public-url"), help: ArgumentHelp(
        "The address people open, if not the listening one: a LAN address, an ssh -L forward or a TLS proxy (env \(Self.publicURLVariable)).",
        valueName: "url"))
    var publicURL: String?

    @Option(help: ArgumentHelp(
        "A settings file with `listen`, `public-url` and `upload-limit-mb` lines. Default: $XDG_CONFIG_HOME/contact-import/config (~/.config/contact-import/config) if it exists.",
        valueName: "path"))
    var config: String?

    func validate() throws {
        _ = try configuration()
    }

    /// The server settings from the options, else the environment, else the settings
    /// file, else the defaults.
    func configuration(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ConsentServer.Configuration {
        var configuration = ConsentServer.Configuration()
        do {
            let file = try SettingsFile.load(explicitPath: config, environment: environment)
            if let text = listen ?? environment[Self.listenVariable] ?? file["listen"], !text.isEmpty {
                configuration.listen = try ListenAddress(parsing: text)
            }
            if let text = publicURL ?? environment[Self.publicURLVariable] ?? file["public-url"], !text.isEmpty {
                configuration.publicURL = try PublicBaseURL(parsing: text)
            }
            if let text = file["upload-limit-mb"] {
                guard let megabytes = Int(text), megabytes > 0 else {
                    throw ValidationError("\(file.path ?? "settings"): upload-limit-mb must be a positive whole number of megabytes, not \"\(text)\"")
                }
                configuration.uploadLimit = megabytes * 1_000_000
            }
        } catch let error as ConsentServerSettingError {
            throw ValidationError(error.description)
        } catch let error as SettingsError {
            throw ValidationError(error.description)
        }
        return configuration
    }
}
