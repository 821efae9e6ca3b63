import Settings
import Testing

/// The settings file parser on its own: line endings, comments, the last value winning,
/// and errors that name the line without quoting a value.
@Suite("settings file")
struct SettingsFileTests {
    /// A file saved with Windows line endings. Split as Characters, CR LF is one grapheme
    /// that is not "\n", so the whole file was one line whose value ran on to the end.
    @Test func aFileWithCRLFLineEndingsReadsLineByLine() throws {
        let file = try SettingsFile(contents: "listen = 127.0.0.1:8080\r\npublic-url = https://contacts.example.org\r\n", path: "config")
        #expect(file.entries["listen"]?.value == "127.0.0.1:8080")
        #expect(file.entries["listen"]?.line == 1)
        #expect(file.entries["public-url"]?.value == "https://contacts.example.org")
        #expect(file.entries["public-url"]?.line == 2)
    }

    @Test func commentsAndBlankLinesAreSkippedAndTheLastValueWins() throws {
        let file = try SettingsFile(contents: "# comment = x\n\n  \t\nLISTEN = 127.0.0.1:1\nlisten=127.0.0.1:2\n", path: "config")
        #expect(file.entries.count == 1)
        #expect(file.entries["listen"]?.value == "127.0.0.1:2")
        #expect(file.entries["listen"]?.line == 5)
    }

    @Test func anUnknownSettingNamesItsLineAndNotItsValue() {
        #expect {
            try SettingsFile(contents: "listen = 127.0.0.1:1\r\ngoogle.client-secrt = GOCSPX-hidden\r\n", path: "config")
        } throws: { error in
            let description = (error as? SettingsError)?.description ?? ""
            return description.hasPrefix("config:2: unknown setting \"google.client-secrt\"") && !description.contains("GOCSPX")
        }
    }
}
