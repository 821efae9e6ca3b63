import Foundation

/// Settings kept in a file so that a server's address or an app's keys need not be given
/// on every import: `name = value` lines, `#` comments. Read from `--config PATH`, else
/// `$XDG_CONFIG_HOME/contact-import/config` (or `~/.config/contact-import/config`) when it
/// exists. The environment and the options override it.
///
///     # where consent and upload pages are served
///     listen = 0.0.0.0:8080
///     public-url = https://contacts.example.org
///     google.client-id = 1234-abc.apps.googleusercontent.com
///     google.client-secret = GOCSPX-…
package struct SettingsFile: Sendable {
    /// The values by setting name, with the line each came from.
    package private(set) var entries: [String: (value: String, line: Int)] = [:]
    /// The file read; nil when there was none.
    package let path: String?

    package init() { path = nil }

    /// Parses the text. Errors name the file and the line but never repeat the line, which
    /// may hold a secret.
    package init(contents: String, path: String) throws {
        self.path = path
        // Lines end at LF, looked for among Unicode scalars: as a Character, CR LF is one
        // grapheme that is not "\n", and a Windows file would be one long line.
        let blanks = CharacterSet.whitespaces.union(CharacterSet(charactersIn: "\r"))
        for (offset, rawLine) in contents.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(String.UnicodeScalarView(rawLine)).trimmingCharacters(in: blanks).unicodeScalars
            if line.isEmpty || line.first == "#" { continue }
            let place = "\(path):\(offset + 1)"
            guard let equals = line.firstIndex(of: "=") else {
                throw SettingsError("\(place): expected `name = value` (the line has no `=`)")
            }
            let name = String(String.UnicodeScalarView(line[..<equals])).trimmingCharacters(in: .whitespaces).lowercased()
            let value = String(String.UnicodeScalarView(line[line.index(after: equals)...])).trimmingCharacters(in: .whitespaces)
            guard Setting.named(name) != nil else {
                throw SettingsError("\(place): unknown setting \"\(name)\" (known: \(Setting.all.map(\.name).joined(separator: ", ")))")
            }
            entries[name] = (value, offset + 1)
        }
    }

    /// The file this machine reads: the explicit one, else the default location (whether
    /// or not a file is there); nil without HOME or XDG_CONFIG_HOME.
    package static func location(explicitPath: String?, environment: [String: String]) -> String? {
        if let explicitPath { return explicitPath }
        let base = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["HOME"].flatMap { $0.isEmpty ? nil : $0 + "/.config" }
        return base.map { $0 + "/contact-import/config" }
    }

    /// The explicit file (which must exist), else the default one if present, else none.
    package static func load(explicitPath: String?, environment: [String: String]) throws -> SettingsFile {
        guard let path = location(explicitPath: explicitPath, environment: environment) else { return SettingsFile() }
        if explicitPath == nil && !FileManager.default.fileExists(atPath: path) { return SettingsFile() }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SettingsError("cannot read the settings file \(path)")
        }
        return try SettingsFile(contents: String(decoding: data, as: UTF8.self), path: path)
    }
}

package struct SettingsError: Error, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}
