import AsyncHTTPClient
import Foundation
import ImportCore
import Testing
@testable import Providers

/// Every failure maps to its code, against a server scripted to misbehave
/// (`Tests/carddav-fixtures/scripted_dav_server.py`) and against ports and hosts that
/// cannot answer. Nothing may hang: each test has short timeouts and checks the time taken.
@Suite("CardDAV error paths", .serialized)
struct CardDAVErrorTests {
    typealias Support = CardDAVTestSupport

    static func settings(requestTimeout: Duration = .seconds(10), deadline: Duration = .seconds(60), maxAttempts: Int = 3) -> CardDAVSettings {
        CardDAVSettings(requestTimeout: requestTimeout, connectTimeout: .seconds(5), importDeadline: deadline, maxAttempts: maxAttempts,
                        retryDelay: .milliseconds(100), maxRetryDelay: .seconds(5), batchSize: 100, concurrency: 4)
    }

    static func parameters(_ url: String, password: String = "secret") -> [String: String] {
        ["username": "alice", "password": password, "url": url]
    }

    @Test func missingCredentialsAre259WithThePasswordHint() async throws {
        for service in CardDAVPreset.all.map(\.code) {
            let error = await Support.expectError(.credentialsRequired) {
                _ = try await Support.importCards(service: service, ["username": "someone@example.org", "url": "https://dav.example.org/"])
            }
            #expect(error?.detail?.contains("password") == true)
            await Support.expectError(.credentialsRequired) {
                _ = try await Support.importCards(service: service, ["password": "x", "url": "https://dav.example.org/"])
            }
        }
        let icloud = await Support.expectError(.credentialsRequired) {
            _ = try await Support.importCards(service: "icloud", ["username": "someone@icloud.com"])
        }
        #expect(icloud?.detail?.contains("app-specific password") == true)
    }

    @Test func carddavNeedsAUsableURL() async throws {
        await Support.expectError(.invalidParameters) {
            _ = try await Support.importCards(["username": "a", "password": "b"])
        }
        await Support.expectError(.invalidParameters) {
            _ = try await Support.importCards(["username": "a", "password": "b", "url": "ftp://files.example.org/"])
        }
    }

    @Test func redirectsKeepMethodBodyAndCredentialsAndAuthIsSentUpFront() async throws {
        try await withScriptedServer { server in
            // The bare origin: /.well-known/carddav answers 301 to /book/, which refuses a
            // PROPFIND without its body and a request without credentials (no challenge).
            let result = try await Support.importCards(Self.parameters(server.origin), settings: Self.settings())
            #expect(result.contacts.compactMap(\.uid).sorted() == ["a", "b"])
            // c.vcf is listed but gone by the time it is fetched: skipped, not fatal.
            #expect(result.skipped.count == 1)
            #expect(result.skipped.first?.reason.contains("c.vcf") == true)
        }
    }

    @Test func withoutMultigetEveryCardIsFetchedWithGET() async throws {
        try await withScriptedServer { server in
            let result = try await Support.importCards(Self.parameters(server.origin + "/nomultiget/"), settings: Self.settings())
            #expect(result.contacts.compactMap(\.uid).sorted() == ["a", "b"])
            #expect(result.skipped.count == 1)
        }
    }

    @Test func fiveHundredsAreRetriedThenSucceed() async throws {
        try await withScriptedServer { server in
            let result = try await Support.importCards(Self.parameters(server.origin + "/recovering/"), settings: Self.settings())
            #expect(result.contacts.count == 2)
            let hits = try await server.hits("recovering")
            #expect(hits >= 5)
        }
    }

    @Test func a503ThatPersistsIs264AfterBoundedRetriesHonouringRetryAfter() async throws {
        try await withScriptedServer { server in
            let started = ContinuousClock.now
            await Support.expectError(.addressBookUnavailable) {
                _ = try await Support.importCards(Self.parameters(server.origin + "/busy/"), settings: Self.settings(maxAttempts: 3))
            }
            let elapsed = ContinuousClock.now - started
            // Three tries, one second apart as Retry-After asks (not the 100 ms backoff).
            #expect(elapsed >= .seconds(2))
            #expect(elapsed < .seconds(15))
            let hits = try await server.hits("busy")
            #expect(hits == 3)
        }
    }

    @Test func a429AskingForAnHourIs264AtOnce() async throws {
        try await withScriptedServer { server in
            let started = ContinuousClock.now
            let error = await Support.expectError(.addressBookUnavailable) {
                _ = try await Support.importCards(Self.parameters(server.origin + "/ratelimited/"), settings: Self.settings())
            }
            #expect(error?.detail?.contains("429") == true)
            #expect(ContinuousClock.now - started < .seconds(5))
            let hits = try await server.hits("ratelimited")
            #expect(hits == 1)
        }
    }

    @Test func aServerThatNeverAnswersIs258() async throws {
        try await withScriptedServer { server in
            let started = ContinuousClock.now
            await Support.expectError(.webmailTimedOut) {
                _ = try await Support.importCards(Self.parameters(server.origin + "/hang/"), settings: Self.settings(requestTimeout: .seconds(1)))
            }
            #expect(ContinuousClock.now - started < .seconds(10))
        }
    }

    @Test func theWholeImportHasADeadline() async throws {
        try await withScriptedServer { server in
            let started = ContinuousClock.now
            let error = await Support.expectError(.webmailTimedOut) {
                _ = try await Support.importCards(Self.parameters(server.origin + "/hang/"),
                                                  settings: Self.settings(requestTimeout: .seconds(60), deadline: .seconds(2)))
            }
            #expect(error?.detail?.contains("did not finish") == true)
            #expect(ContinuousClock.now - started < .seconds(10))
        }
    }

    @Test func malformedXMLIs256() async throws {
        try await withScriptedServer { server in
            await Support.expectError(.webmailUnexpected) {
                _ = try await Support.importCards(Self.parameters(server.origin + "/garbage/"), settings: Self.settings())
            }
        }
    }

    @Test func anUnansweredChallengeIs263() async throws {
        try await withScriptedServer { server in
            await Support.expectError(.credentialsMismatch) {
                _ = try await Support.importCards(Self.parameters(server.origin + "/book/", password: "wrong"), settings: Self.settings())
            }
        }
    }

    @Test func aRefusedConnectionIs518() async throws {
        let port = try LoopbackServer.freePort()
        let started = ContinuousClock.now
        let error = await Support.expectError(.providerUnreachable) {
            _ = try await Support.importCards(Self.parameters("http://127.0.0.1:\(port)/"), settings: Self.settings())
        }
        #expect(error?.detail?.contains("127.0.0.1:\(port)") == true)
        #expect(ContinuousClock.now - started < .seconds(10))
    }

    @Test func aTLSFailureIs518() async throws {
        try await withScriptedServer { server in
            // TLS to a port that speaks plain HTTP.
            let started = ContinuousClock.now
            await Support.expectError(.providerUnreachable) {
                _ = try await Support.importCards(Self.parameters("https://127.0.0.1:\(server.port)/book/"), settings: Self.settings())
            }
            #expect(ContinuousClock.now - started < .seconds(15))
        }
    }

    @Test func anUnknownHostIs518() async throws {
        let started = ContinuousClock.now
        await Support.expectError(.providerUnreachable) {
            _ = try await Support.importCards(Self.parameters("https://carddav.no-such-host.invalid/"), settings: Self.settings())
        }
        #expect(ContinuousClock.now - started < .seconds(30))
    }
}

/// The scripted server on a free port, stopped however the test ends.
final class ScriptedDAVServer: @unchecked Sendable {
    let port: Int
    private let process: Process

    var origin: String { "http://127.0.0.1:\(port)" }

    static var script: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("carddav-fixtures/scripted_dav_server.py")
    }

    init() async throws {
        port = try LoopbackServer.freePort()
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [LoopbackServer.python, Self.script.path, "\(port)"]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        ServerRegistry.add(process.processIdentifier)
        let started = ContinuousClock.now
        while !LoopbackServer.canConnect(port) {
            guard process.isRunning, ContinuousClock.now - started < LoopbackServer.startLimit else {
                stop()
                throw SetupError("the scripted DAV server did not start")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    func hits(_ scenario: String) async throws -> Int {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            let response = try await client.execute(HTTPClientRequest(url: "\(origin)/hits/\(scenario)"), timeout: .seconds(10))
            var body = try await response.body.collect(upTo: 1024)
            try await client.shutdown()
            return Int(body.readString(length: body.readableBytes) ?? "") ?? -1
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        ServerRegistry.remove(process.processIdentifier)
    }
}

func withScriptedServer(_ body: (ScriptedDAVServer) async throws -> Void) async throws {
    let server = try await ScriptedDAVServer()
    do {
        try await body(server)
        server.stop()
    } catch {
        server.stop()
        throw error
    }
}
