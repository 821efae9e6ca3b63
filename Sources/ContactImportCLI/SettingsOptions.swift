import ArgumentParser
import Foundation
import Providers
import Settings

/// The `--config` option, and the settings of this machine read once per command.
struct SettingsOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "A settings file of `name = value` lines: listen, public-url, upload-limit-mb and the app keys (google.client-id, microsoft.client-id, …; docs/oauth.md). Default: $XDG_CONFIG_HOME/contact-import/config (~/.config/contact-import/config) if it exists.",
        valueName: "path"))
    var config: String?

    /// Reads the settings, with `options` (by setting name) over the environment over the
    /// file. A bad setting is a usage error (exit 64) whose message names it and where it
    /// came from.
    func load(options: [String: String] = [:],
              environment: [String: String] = ProcessInfo.processInfo.environment) throws -> LoadedSettings {
        do {
            let machine = try MachineSettings(options: options, configPath: config, environment: environment)
            return LoadedSettings(machine: machine, oauth: try machine.oauthApps(), carddav: try machine.cardDAVSettings())
        } catch let error as SettingsError {
            throw error.usageFailure()
        }
    }
}

extension SettingsError {
    /// Says what is wrong on stderr and gives the exit status of a usage error (64). Read
    /// in `run`, a bad setting is not a mistake on the command line, so no usage follows.
    func usageFailure() -> ExitCode {
        StandardError.line("contact-import: \(description)")
        return ExitCode.validationFailure
    }
}

/// What a command read: the settings, and the OAuth apps and CardDAV limits every engine
/// of the command gets.
struct LoadedSettings {
    let machine: MachineSettings
    let oauth: OAuthApps
    let carddav: CardDAVSettings
}
