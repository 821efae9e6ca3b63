import Foundation
import Testing

/// What the headless commands print about progress: counts as counts, codes as codes,
/// lines that fit the terminal, no colour where none belongs.
struct ProgressOutputTests {
    /// The redrawn states of a `--events bar` run (each starts after a carriage return).
    static func barStates(_ stderr: String) -> [String] {
        stderr.split(separator: "\r").map { $0.replacingOccurrences(of: "\u{1B}[2K", with: "") }
            .flatMap { $0.split(separator: "\n") }.map(String.init).filter { !$0.isEmpty && !$0.hasPrefix("contact-import:") && !$0.hasPrefix("hint:") }
    }

    @Test(arguments: [20, 40, 80])
    func theBarFitsTheTerminal(columns: Int) async throws {
        let file = CommandLine.corpus.appendingPathComponent("John_Doe_EVOLUTION.vcf").path
        let command = try BackgroundCommand(["import", "--service", "file", "--file", file, "--events", "bar"],
                                            environment: ["COLUMNS": String(columns)])
        #expect(try await command.exitStatus() == 0)
        let states = Self.barStates(command.stderr)
        #expect(!states.isEmpty)
        for state in states { #expect(state.count < columns, "\(state.count) characters: \(state)") }
        #expect(states.last?.hasPrefix("Complete") == true || states.last?.contains(" · Complete") == true)
        if columns >= 40 { #expect(states.last?.contains("1 contact") == true) }
    }

    @Test func anErrorInTheBarIsACodeWithItsMeaningNotACount() async throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("photo.vcf")
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + (0..<4000).map { UInt8(truncatingIfNeeded: $0 &* 31) }).write(to: file)
        let command = try BackgroundCommand(["import", "--service", "file", "--file", file.path, "--events", "bar"],
                                            environment: ["COLUMNS": "100"])
        #expect(try await command.exitStatus() == 1)
        let last = try #require(Self.barStates(command.stderr).last)
        #expect(last.contains("error 1025: "), "\(last)")
        #expect(!last.contains("1,025 contacts"))
        #expect(last.contains("0 contacts"))
    }

    @Test func jsonEventsNeverRepeatALine() throws {
        let file = CommandLine.corpus.appendingPathComponent("John_Doe_EVOLUTION.vcf").path
        let outcome = try CommandLine.run(["import", "--service", "file", "--file", file, "--events", "json"])
        #expect(outcome.status == 0)
        let lines = outcome.stderr.split(separator: "\n").filter { $0.hasPrefix("{") }
        #expect(lines.count >= 2)
        for (before, after) in zip(lines, lines.dropFirst()) { #expect(before != after) }
    }

    @Test func theQRCodeHasNoColourWhenStderrIsNotATerminal() async throws {
        let command = try BackgroundCommand(["import", "--service", "demo", "--events", "lines"])
        _ = try await command.line(startingWith: "Waiting for the page", timeout: .seconds(90))
        command.interrupt()
        _ = try await command.exitStatus()
        #expect(command.stderr.contains("▀") || command.stderr.contains("▄"))
        #expect(!command.stderr.contains("\u{1B}["))
    }

    @Test func withoutAQRCodeTheWaitingLineStays() async throws {
        let command = try BackgroundCommand(["import", "--service", "demo", "--events", "lines", "--qr", "none"])
        _ = try await command.line(startingWith: "Waiting for the page", timeout: .seconds(90))
        command.interrupt()
        #expect(try await command.exitStatus() == 2)
    }
}
