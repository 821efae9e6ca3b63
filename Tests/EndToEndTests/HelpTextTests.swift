import Foundation
import Testing

/// Every command's help at 80 columns, compared with the text under `HelpSnapshots/`.
/// `SNAPSHOT_RECORD=1 swift test --filter HelpTextTests` rewrites them after a deliberate change.
struct HelpTextTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("HelpSnapshots")
    static let pages: [(name: String, arguments: [String])] = [
        ("contact-import", ["--help"]), ("tui", ["help", "tui"]), ("services", ["help", "services"]),
        ("import", ["help", "import"]), ("convert", ["help", "convert"]),
        ("serve", ["help", "serve"]), ("accounts", ["help", "accounts"]), ("accounts-add", ["help", "accounts", "add"]),
    ]

    static func help(_ arguments: [String]) async throws -> String {
        let command = try BackgroundCommand(arguments, environment: ["COLUMNS": "80"])
        #expect(try await command.exitStatus() == 0)
        return command.stdout
    }

    @Test(arguments: pages.map(\.name))
    func helpMatchesItsSnapshot(_ name: String) async throws {
        let page = try #require(Self.pages.first { $0.name == name })
        let text = try await Self.help(page.arguments)
        let file = Self.folder.appendingPathComponent("\(name).txt")
        if ProcessInfo.processInfo.environment["SNAPSHOT_RECORD"] != nil {
            try Data(text.utf8).write(to: file)
            return
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(text == expected, "help for \(name) changed; SNAPSHOT_RECORD=1 rewrites it")
    }

    @Test(arguments: pages.map(\.name))
    func helpReadsWellAt80Columns(_ name: String) async throws {
        let page = try #require(Self.pages.first { $0.name == name })
        let text = try await Self.help(page.arguments)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for line in lines {
            #expect(line.count < 80, "too wide: \(line)")
        }
        // The prose before the usage line: no runs of spaces inside a sentence, and no line
        // that starts at column 0 in the middle of an indented block (a wrapped example).
        let prose = lines.prefix { !$0.hasPrefix("USAGE:") }
        for line in prose where !line.hasPrefix(" ") {
            #expect(!line.contains("  "), "a run of spaces: \(line)")
        }
        for (previous, line) in zip(prose, prose.dropFirst()) where previous.hasPrefix("  ") && !line.isEmpty {
            #expect(line.hasPrefix(" "), "an indented block continues at column 0: \(previous) / \(line)")
        }
    }

    @Test func aMistypedCommandIsNamedWithASuggestion() throws {
        let outcome = try CommandLine.run(["improt", "--service", "file"])
        #expect(outcome.status == 64)
        #expect(outcome.stderr.contains("no command \"improt\""))
        #expect(outcome.stderr.contains("Did you mean \"import\"?"))
        #expect(!outcome.stderr.contains("Usage: contact-import tui"))
    }
}
