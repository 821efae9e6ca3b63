import Foundation

/// What to tell someone whose service needs setup, in the words every front end uses: the
/// settings to add, the settings file this machine reads, and the environment variables
/// that can give them instead. The front end knows the file and the variables' names.
public struct SetupGuide: Sendable, Hashable {
    public var service: ServiceDescriptor
    public var needed: SetupNeeded
    /// The settings file this machine reads (or would read once it exists); nil when it
    /// has none (no home folder).
    public var settingsFile: String?
    /// The variable for each of `needed.settings`, in the same order.
    public var environmentVariables: [String]

    public init(service: ServiceDescriptor, needed: SetupNeeded, settingsFile: String?, environmentVariables: [String]) {
        self.service = service
        self.needed = needed
        self.settingsFile = settingsFile
        self.environmentVariables = environmentVariables
    }

    /// The first line: which service, and that it needs setup.
    public var headline: String {
        "\(service.displayName) (\(service.code)) needs setup: this machine has no \(needed.settings.joined(separator: " or ")) yet."
    }

    /// The whole text, one line per element, without trailing spaces. A setting's value is
    /// never shown, so the words are safe on any screen or log.
    public var lines: [String] {
        var lines = [headline, ""]
        if let settingsFile {
            lines.append("Add these lines to the settings file \(settingsFile):")
        } else {
            lines.append("Add these lines to a settings file given with --config:")
        }
        lines += needed.settings.map { "    \($0) = ..." }
        lines.append("")
        lines.append("or set these environment variables:")
        lines += environmentVariables.map { "    \($0)" }
        lines.append("")
        lines.append("How to get the values: \(needed.guide).")
        return lines
    }
}
