import AsyncHTTPClient
import Foundation
import NIOCore
import Synchronization
import Testing

/// The binary running in the background, its output collected as it comes, so a test
/// can act on the consent URL while the import waits.
///
/// Each pipe is read by a thread of its own with blocking reads, not through
/// `readabilityHandler`: that is a dispatch read source, and libdispatch's event loop on
/// Linux has been seen to crash the test process with a bad pointer in
/// `_dispatch_event_loop_drain` while many such sources come and go (the same crash is
/// reported for DispatchIO in swift-subprocess).
final class BackgroundCommand: @unchecked Sendable {
    private let process = Process()
    private struct Output {
        var out = Data()
        var err = Data()
        /// Streams whose end of file was read: only then is all of their output collected.
        var ended = 0
    }
    /// The output in a `Mutex`, taken only while an `NSLock` is held: ThreadSanitizer on
    /// Linux does not see `Mutex` (docs/sanitizers.md) and would stop the run on a race
    /// that is none; it sees the lock.
    private final class Collected: Sendable {
        private let state = Mutex(Output())
        private let visible = NSLock()

        func withLock<Result>(_ body: (inout Output) -> Result) -> Result {
            visible.lock()
            defer { visible.unlock() }
            return state.withLock { body(&$0) }
        }
    }
    private let collected = Collected()

    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        process.executableURL = CommandLine.binary
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let outPipe = Pipe()
        let errPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        process.standardInput = FileHandle.nullDevice
        // Foundation closes this process's copies of the write ends once the child runs,
        // so each reader sees its end of file when the child exits.
        try process.run()
        collect(from: outPipe.fileHandleForReading, isError: false)
        collect(from: errPipe.fileHandleForReading, isError: true)
    }

    private func collect(from handle: FileHandle, isError: Bool) {
        let collected = collected
        let descriptor = handle.fileDescriptor
        let reader = Thread {
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break }
                let data = Data(buffer[..<count])
                collected.withLock { isError ? $0.err.append(data) : $0.out.append(data) }
            }
            collected.withLock { $0.ended += 1 }
            try? handle.close()
        }
        reader.start()
    }

    var stdout: String { collected.withLock { String(decoding: $0.out, as: UTF8.self) } }
    var stderr: String { collected.withLock { String(decoding: $0.err, as: UTF8.self) } }

    /// The first stderr line starting with `prefix`, waiting up to `timeout`.
    func line(startingWith prefix: String, timeout: Duration = .seconds(20)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while true {
            // The output before the clock: a test that wakes late (its threads held by other
            // tests, as under a sanitizer) still finds a line that came in time.
            if let line = stderr.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) { return String(line) }
            guard process.isRunning, ContinuousClock.now < deadline else { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("no line starting with \(prefix); stderr: \(stderr)")
        throw CommandLine.TimeoutError(arguments: process.arguments ?? [])
    }

    func interrupt() { process.interrupt() }

    /// Waits for the exit (terminating the process after `timeout`) and returns its status.
    func exitStatus(timeout: Duration = .seconds(30)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now >= deadline {
                process.terminate()
                throw CommandLine.TimeoutError(arguments: process.arguments ?? [])
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        // The pipes may still hold the last bytes (a loaded machine schedules the handlers
        // late): wait, bounded, for both to reach their end of file.
        let drained = ContinuousClock.now + .seconds(10)
        while collected.withLock({ $0.ended }) < 2 && ContinuousClock.now < drained {
            try await Task.sleep(for: .milliseconds(20))
        }
        return process.terminationStatus
    }
}

/// Sends one request to a page the binary printed (always a loopback address here).
private func post(_ url: String, contentType: String, body: [UInt8]) async throws -> (Int, String) {
    let client = HTTPClient(eventLoopGroupProvider: .singleton)
    do {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: contentType)
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await client.execute(request, timeout: .seconds(15))
        let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
        try await client.shutdown()
        return (Int(response.status.code), text)
    } catch {
        try? await client.shutdown()
        throw error
    }
}

@Suite("consent flows through the command line", .timeLimit(.minutes(2)))
struct ConsentFlowTests {
    @Test func demoPrintsItsURLAndImportsOnAllow() async throws {
        let command = try BackgroundCommand(["import", "--service", "demo", "--param", "size=30", "--events", "lines", "--format", "json"])
        let url = try await command.line(startingWith: "http://127.0.0.1:")
        #expect(url.contains("/c/") && !url.contains(" "))
        let (status, page) = try await post(url, contentType: "application/x-www-form-urlencoded", body: Array("action=allow".utf8))
        #expect(status == 200 && page.contains("Access allowed"))
        #expect(try await command.exitStatus() == 0)
        let payload = try JSONSerialization.jsonObject(with: Data(command.stdout.utf8)) as? [String: Any]
        #expect((payload?["contacts"] as? [Any])?.count == 30)
        #expect(command.stderr.contains("GATHERING COMPLETED 30"))
    }

    @Test func demoDenyExitsAsAbandoned() async throws {
        let command = try BackgroundCommand(["import", "--service", "demo", "--events", "lines"])
        let url = try await command.line(startingWith: "http://")
        _ = try await post(url, contentType: "application/x-www-form-urlencoded", body: Array("action=deny".utf8))
        #expect(try await command.exitStatus() == 2)
        #expect(command.stderr.contains("514"))
    }

    @Test func aFileServiceWithoutAFileTakesAnUpload() async throws {
        let command = try BackgroundCommand(["import", "--service", "file", "--events", "lines", "--format", "mutt"])
        let url = try await command.line(startingWith: "http://")
        let body = Array("--X\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.json\"\r\n\r\n{\"contacts\":[{\"first_name\":\"Grace\",\"email\":[{\"address\":\"grace@example.org\"}]}]}\r\n--X--\r\n".utf8)
        let (status, page) = try await post(url, contentType: "multipart/form-data; boundary=X", body: body)
        #expect(status == 200 && page.contains("1 contact arrived"))
        #expect(try await command.exitStatus() == 0)
        #expect(command.stdout.contains("grace@example.org"))
    }

    @Test func thePublicURLFromTheEnvironmentIsWhatIsPrinted() async throws {
        let command = try BackgroundCommand(["import", "--service", "demo", "--events", "lines"],
                                            environment: ["CONTACT_IMPORT_PUBLIC_URL": "https://contacts.example.org/"])
        let url = try await command.line(startingWith: "https://")
        #expect(url.hasPrefix("https://contacts.example.org/c/"))
        // Ctrl-C abandons the waiting import.
        command.interrupt()
        #expect(try await command.exitStatus() == 2)
        #expect(command.stderr.contains("517"))
    }

    @Test func badListeningAddressesAreUsageErrors() throws {
        let outcome = try CommandLine.run(["import", "--service", "demo", "--listen", "nowhere"])
        #expect(outcome.status == 64)
        #expect(outcome.stderr.contains("HOST:PORT"))
        let fromEnvironment = try CommandLine.run(["import", "--service", "demo", "--public-url", "ftp://x"])
        #expect(fromEnvironment.status == 64)
    }

    @Test func aSettingsFileGivesThePublicURLAndOptionsOverrideIt() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let settings = directory.appendingPathComponent("config")
        try "# consent pages\npublic-url = https://from-file.example.org\nupload-limit-mb = 5\n".write(to: settings, atomically: true, encoding: .utf8)

        let fromFile = try BackgroundCommand(["import", "--service", "demo", "--config", settings.path, "--qr", "none"])
        #expect(try await fromFile.line(startingWith: "https://").hasPrefix("https://from-file.example.org/c/"))
        fromFile.interrupt()
        #expect(try await fromFile.exitStatus() == 2)

        // The default location is read too, and an option beats the file.
        let home = directory.appendingPathComponent("contact-import")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: settings, to: home.appendingPathComponent("config"))
        let overridden = try BackgroundCommand(["import", "--service", "demo", "--public-url", "https://option.example.org", "--qr", "none"],
                                               environment: ["XDG_CONFIG_HOME": directory.path])
        #expect(try await overridden.line(startingWith: "https://").hasPrefix("https://option.example.org/c/"))
        overridden.interrupt()
        #expect(try await overridden.exitStatus() == 2)
    }

    @Test func aBrokenSettingsFileIsAUsageErrorNamingTheLine() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let settings = directory.appendingPathComponent("config")
        try "listen = 127.0.0.1:0\ncolour = blue\n".write(to: settings, atomically: true, encoding: .utf8)
        let outcome = try CommandLine.run(["import", "--service", "demo", "--config", settings.path])
        #expect(outcome.status == 64)
        #expect(outcome.stderr.contains(":2: unknown setting \"colour\""))
        let missing = try CommandLine.run(["import", "--service", "demo", "--config", directory.appendingPathComponent("nope").path])
        #expect(missing.status == 64)
        #expect(missing.stderr.contains("cannot read the settings file"))
    }
}
