import Foundation

/// Settings kept in a file so a server's address need not be typed on every import:
/// `name = value` lines, `#` comments. Read from `--config PATH`, else
/// `$XDG_CONFIG_HOME/contact-import/config` (or `~/.config/contact-import/config`) when it
/// exists. Options and environment variables override it.
///
///     # where consent and upload pages are served
///     listen = 0.0.0.0:8080
///     public-url = https://contacts.example.org
///     upload-limit-mb = 100
struct SettingsFile {
    static let knownNames: Set<String> = ["listen", "public-url", "upload-limit-mb"]

    var values: [String: String] = [:]
    /// Where the settings came from, for error messages.
    var path: String?

    init() {}

    init(contents: String, path: String) throws {
        self.path = path
        for (offset, rawLine) in contents.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw SettingsError("\(path):\(offset + 1): expected `name = value`, found \"\(line)\"")
            }
            let name = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            guard Self.knownNames.contains(name) else {
                throw SettingsError("\(path):\(offset + 1): unknown setting \"\(name)\" (known: \(Self.knownNames.sorted().joined(separator: ", ")))")
            }
            values[name] = value
        }
    }

    /// The explicit file (which must exist), else the default one if present, else none.
    static func load(explicitPath: String?, environment: [String: String]) throws -> SettingsFile {
        let path: String
        if let explicitPath {
            path = explicitPath
        } else {
            let base = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
                ?? (environment["HOME"].map { $0 + "/.config" } ?? "")
            guard !base.isEmpty else { return SettingsFile() }
            path = base + "/contact-import/config"
            guard FileManager.default.fileExists(atPath: path) else { return SettingsFile() }
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SettingsError("cannot read the settings file \(path)")
        }
        return try SettingsFile(contents: String(decoding: data, as: UTF8.self), path: path)
    }

    subscript(_ name: String) -> String? { values[name] }
}

struct SettingsError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
