import FuzzSupport
import Settings

/// The settings file parser (`name = value` lines, `#` comments). Checked against a model
/// of the format written here: it fails exactly when some line is neither blank, a comment
/// nor `known-name = value`, naming the first such line; otherwise it keeps, per name, the
/// value of the last line. Its errors never depend on a value (values may be secrets), and
/// the settings it read, written back as `name = value` lines, read the same.
enum SettingsTarget {
    static let target = FuzzTarget(
        "settings", "the settings file parser: agrees with a model of the format, errors hide values, round trip",
        seeds: {
            [
                "# where consent and upload pages are served\nlisten = 0.0.0.0:8080\npublic-url = https://contacts.example.org\n",
                "google.client-id = 1234-abc.apps.googleusercontent.com\r\ngoogle.client-secret = GOCSPX-s3cret\r\n\r\n",
                "  Microsoft.Tenant\t=\tcommon  \nupload-limit-mb=20\nlisten = 127.0.0.1:1\nlisten = 127.0.0.1:2\n",
                "api.timeout = 5\nno equals sign here\n", "unknown.setting = s3cret-value\n", "=\n#only = a comment\n",
                "server.database = postgres://u:p@127.0.0.1/db\nremote.url = =https://x\n",
            ].map { Array($0.utf8) }
        }
    ) { input in
        let text = String(decoding: input, as: UTF8.self)
        let expected = SettingsModel(text)
        let parsed = parse(text)
        switch (parsed, expected.firstBadLine) {
        case (.success(let file), nil):
            let entries = file.entries.mapValues { Entry(value: $0.value, line: $0.line) }
            require(entries == expected.entries, "read \(entries), the model reads \(expected.entries)")
            let rewritten = file.entries.keys.sorted().map { "\($0) = \(file.entries[$0]!.value)\n" }.joined()
            let again = parse(rewritten)
            guard case .success(let reread) = again else {
                require(false, "the settings written back do not read: \(again)")
                return
            }
            require(reread.entries.mapValues(\.value) == entries.mapValues(\.value), "the settings written back read differently")
        case (.failure(let error), let line?):
            require(error.description.hasPrefix("config:\(line): "), "\"\(error.description)\" does not name line \(line)")
        case (let outcome, let line):
            require(false, "the parser gave \(outcome) where the model's first bad line is \(line.map(String.init) ?? "none")")
        }
        // The same text with every value replaced: the outcome must read the same, or an
        // error could be showing part of a value.
        let blanked = SettingsModel.blankingValues(text)
        switch (parsed, parse(blanked)) {
        case (.failure(let error), .failure(let other)):
            require(error.description == other.description, "an error depends on a value: \"\(error.description)\"")
        case (.success(let file), .success(let other)):
            require(Set(file.entries.keys) == Set(other.entries.keys), "the names read depend on the values")
        default:
            require(false, "whether the file reads depends on its values")
        }
    }

    static func parse(_ text: String) -> Result<SettingsFile, SettingsError> {
        do {
            return .success(try SettingsFile(contents: text, path: "config"))
        } catch let error as SettingsError {
            return .failure(error)
        } catch {
            require(false, "the parser threw \(error), not a SettingsError")
            return .failure(SettingsError(""))
        }
    }

    struct Entry: Equatable, CustomStringConvertible {
        var value: String
        var line: Int
        var description: String { "\(line): \(value.debugDescription)" }
    }
}

/// What the settings file format says, line by line over Unicode scalars.
struct SettingsModel {
    var entries: [String: SettingsTarget.Entry] = [:]
    var firstBadLine: Int?

    init(_ text: String) {
        for (index, raw) in Self.lines(text).enumerated() {
            let line = Self.trimmed(raw, alsoCarriageReturn: true)
            if line.isEmpty || line.first == "#" { continue }
            guard let equals = line.firstIndex(of: "=") else {
                firstBadLine = index + 1
                return
            }
            let name = String(String.UnicodeScalarView(Self.trimmed(line[..<equals]))).lowercased()
            guard Setting.all.contains(where: { $0.name == name }) else {
                firstBadLine = index + 1
                return
            }
            entries[name] = .init(value: String(String.UnicodeScalarView(Self.trimmed(line[(equals + 1)...]))), line: index + 1)
        }
    }

    static func lines(_ text: String) -> [ArraySlice<Unicode.Scalar>] {
        Array(text.unicodeScalars).split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// Tab and the space separators (general category Zs), as Foundation's
    /// `CharacterSet.whitespaces`, which on Linux counts U+200B ZERO WIDTH SPACE too.
    static func isBlank(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\t" || scalar == "\u{200B}" || scalar.properties.generalCategory == .spaceSeparator
    }

    static func trimmed(_ scalars: ArraySlice<Unicode.Scalar>, alsoCarriageReturn: Bool = false) -> ArraySlice<Unicode.Scalar> {
        func blank(_ scalar: Unicode.Scalar) -> Bool { isBlank(scalar) || (alsoCarriageReturn && scalar == "\r") }
        guard let first = scalars.firstIndex(where: { !blank($0) }), let last = scalars.lastIndex(where: { !blank($0) }) else { return [] }
        return scalars[first...last]
    }

    /// Every line's text after its first `=` replaced by `v`.
    static func blankingValues(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for (index, line) in lines(text).enumerated() {
            if index > 0 { scalars.append("\n") }
            if let equals = line.firstIndex(of: "=") {
                scalars.append(contentsOf: line[...equals])
                scalars.append("v")
            } else {
                scalars.append(contentsOf: line)
            }
        }
        return String(scalars)
    }
}
