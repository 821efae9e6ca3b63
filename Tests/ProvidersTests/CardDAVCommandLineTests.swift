import Foundation
import Testing
@testable import Providers

/// `contact-import import --service carddav` end to end against a loopback Radicale, the
/// password given on standard input.
@Suite("CardDAV from the command line", .serialized)
struct CardDAVCommandLineTests {
    @Test func importWithPasswordOnStandardInput() async throws {
        try await withServer(.radicale) { server in
            let cards = CardDAVTestSupport.generatedCards(120, seed: 42)
            try await server.putWholeBook("alice", "contacts", text: cards.flatMap(\.text))

            let good = try CLI.run(["import", "--service", "carddav", "--url", server.origin, "--username", "alice",
                                    "--password-stdin", "--events", "json", "--format", "json"], stdin: "secret\n")
            #expect(good.status == 0, "\(good.stderr)")
            let payload = try JSONSerialization.jsonObject(with: Data(good.stdout.utf8)) as? [String: Any]
            #expect((payload?["contacts"] as? [Any])?.count == 120)
            // GATHERING counted towards the total announced up front.
            #expect(good.stderr.contains("\"event_type\":\"GATHERING\""))
            #expect(good.stderr.contains("\"value\":120"))
            #expect(!good.stderr.contains("secret") && !good.stdout.contains("secret"))

            let wrong = try CLI.run(["import", "--service", "carddav", "--url", server.origin, "--username", "alice",
                                     "--password-stdin", "--events", "lines"], stdin: "hunter3\n")
            #expect(wrong.status == 1)
            #expect(wrong.stderr.contains("263"))
            #expect(wrong.stderr.contains("app password"))
            #expect(!wrong.stderr.contains("hunter3"))

            // The environment variable works too; the book can be chosen by name.
            let fromEnvironment = try CLI.run(["import", "--service", "carddav", "--url", server.origin, "--username", "alice",
                                               "--book", "contacts", "--events", "none", "--format", "json"],
                                              environment: ["CONTACT_IMPORT_PASSWORD": "secret"])
            #expect(fromEnvironment.status == 0, "\(fromEnvironment.stderr)")
            let again = try JSONSerialization.jsonObject(with: Data(fromEnvironment.stdout.utf8)) as? [String: Any]
            #expect((again?["contacts"] as? [Any])?.count == 120)

            // No password anywhere and no terminal to ask on: 259 with the hint.
            let missing = try CLI.run(["import", "--service", "carddav", "--url", server.origin, "--username", "alice"])
            #expect(missing.status == 1)
            #expect(missing.stderr.contains("259"))

            // A password on the command line is refused before anything is sent.
            let onCommandLine = try CLI.run(["import", "--service", "carddav", "--url", server.origin, "--username", "alice",
                                             "--param", "password=secret"])
            #expect(onCommandLine.status == 64)
        }
    }

    /// A new preset imports end to end: `--url` points its host at the loopback server.
    @Test func aProviderPresetImportsWhenItsHostIsOverridden() async throws {
        try await withServer(.radicale) { server in
            let cards = CardDAVTestSupport.generatedCards(30, seed: 7)
            try await server.putWholeBook("alice", "contacts", text: cards.flatMap(\.text))

            let webDE = try CLI.run(["import", "--service", "web_de", "--url", server.origin, "--username", "alice",
                                     "--password-stdin", "--events", "none", "--format", "json"], stdin: "secret\n")
            #expect(webDE.status == 0, "\(webDE.stderr)")
            let payload = try JSONSerialization.jsonObject(with: Data(webDE.stdout.utf8)) as? [String: Any]
            #expect((payload?["contacts"] as? [Any])?.count == 30)

            // Another preset, through the factory as the engine calls it.
            let posteo = try await CardDAVTestSupport.importCards(service: "posteo", CardDAVTestSupport.parameters(server))
            #expect(posteo.contacts.count == 30)

            // A wrong password names the kind of password the provider wants.
            let wrong = try CLI.run(["import", "--service", "yandex", "--url", server.origin, "--username", "alice",
                                     "--password-stdin", "--events", "lines"], stdin: "hunter3\n")
            #expect(wrong.status == 1)
            #expect(wrong.stderr.contains("263"))
            #expect(wrong.stderr.contains("Contacts (CardDAV) type"), "\(wrong.stderr)")
            #expect(!wrong.stderr.contains("hunter3"))
        }
    }

    @Test func servicesListTheCardDAVProvidersWithTheirPasswords() throws {
        let listing = try CLI.run(["services"])
        #expect(listing.status == 0)
        let lines = listing.stdout.split(separator: "\n")
        let firstOtherHeading = try #require(lines.firstIndex { !$0.hasPrefix(" ") && !$0.hasPrefix("Available") })
        for code in CardDAVPreset.all.map(\.code) {
            let index = lines.firstIndex { $0.hasPrefix("  \(code) ") }
            #expect(index.map { $0 < firstOtherHeading } == true, "\(code) is not among the available services")
            let columns = index.map { lines[$0].split(separator: " ", omittingEmptySubsequences: true) }
            #expect(columns?.contains("available") == true, "\(code): \(index.map { String(lines[$0]) } ?? "missing")")
        }
        #expect(listing.stdout.contains("App-Specific Passwords"))
        #expect(listing.stdout.contains("carddav.yandex.ru"))
        #expect(listing.stdout.contains("authorization code"))
    }
}

/// Runs the real binary with the given standard input and environment.
enum CLI {
    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["CONTACT_IMPORT_BIN"] { return URL(fileURLWithPath: path) }
        var folder = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).deletingLastPathComponent()
        if folder.pathComponents.contains(where: { $0.hasSuffix(".xctest") }) {
            while !folder.lastPathComponent.hasSuffix(".xctest") { folder.deleteLastPathComponent() }
            folder.deleteLastPathComponent()
        }
        return folder.appendingPathComponent("contact-import")
    }

    static func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
                    timeout: Duration = .seconds(120)) throws -> Outcome {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var variables = ProcessInfo.processInfo.environment
        variables["CONTACT_IMPORT_PASSWORD"] = nil
        variables.merge(environment) { _, new in new }
        process.environment = variables
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = stdin == nil ? FileHandle.nullDevice : input
        try process.run()
        if let stdin {
            input.fileHandleForWriting.write(Data(stdin.utf8))
            try input.fileHandleForWriting.close()
        }
        let collected = Collected()
        let group = DispatchGroup()
        for (pipe, isOut) in [(out, true), (err, false)] {
            group.enter()
            DispatchQueue.global().async {
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                collected.set(data, out: isOut)
                group.leave()
            }
        }
        if group.wait(timeout: .now() + .seconds(Int(timeout.components.seconds))) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            throw SetupError("contact-import \(arguments.joined(separator: " ")) did not finish within \(timeout)")
        }
        process.waitUntilExit()
        let (stdout, stderr) = collected.get()
        return Outcome(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                       stderr: String(decoding: stderr, as: UTF8.self))
    }

    final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var out = Data(), err = Data()
        func set(_ data: Data, out isOut: Bool) { lock.withLock { if isOut { out = data } else { err = data } } }
        func get() -> (Data, Data) { lock.withLock { (out, err) } }
    }
}
