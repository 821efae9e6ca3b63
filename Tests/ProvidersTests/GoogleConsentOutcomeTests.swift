import AsyncHTTPClient
import Foundation
import ImportCore
import NIOCore
import Testing
@testable import Providers

/// How a Gmail import ends when nobody finishes Google's page: the engine's consent
/// window (516) or a cancel (517), and the loopback listener is released either way.
@Suite("Google consent outcomes")
struct GoogleConsentOutcomeTests {
    static let settings = GoogleSettings(clientID: "client-1.apps.googleusercontent.com", clientSecret: "GOCSPX-not-used")

    static func engine(consentTimeout: Duration) -> ImportEngine {
        ImportEngine(factories: [GoogleSourceFactory(settings: settings, limits: APILimits(maxAttempts: 1))],
                     configuration: .init(consentTimeout: consentTimeout))
    }

    static func finalSnapshot(_ engine: ImportEngine, _ id: Int) async throws -> ImportSnapshot {
        var last: ImportSnapshot?
        for await snapshot in try await engine.watch(id) { last = snapshot }
        if let last { return last }
        return try await engine.snapshot(id)
    }

    static func redirectPort(_ consentURL: String?) throws -> Int {
        let url = try #require(consentURL)
        let items = try #require(URLComponents(string: url)?.queryItems)
        let redirect = try #require(items.first { $0.name == "redirect_uri" }?.value)
        return try #require(URLComponents(string: redirect)?.port)
    }

    /// Whether anything still accepts connections on the port.
    static func listening(_ port: Int) async -> Bool {
        for _ in 0..<50 {
            do {
                _ = try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/"), timeout: .seconds(1))
            } catch {
                return false
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    @Test func noAnswerWithinTheConsentWindowIs516AndTheListenerStops() async throws {
        let engine = Self.engine(consentTimeout: .milliseconds(300))
        let began = try await engine.begin(service: "gmail")
        #expect(began.takesPastedAddress)
        #expect(began.consentURL?.hasPrefix("https://accounts.google.com/o/oauth2/v2/auth?") == true)
        let port = try Self.redirectPort(began.consentURL)
        let final = try await Self.finalSnapshot(engine, began.id)
        #expect(final.error?.code == .consentTimedOut)
        #expect(await !Self.listening(port))
        // A pasted address after the end is refused, not taken.
        await #expect(throws: ImportError.self) { try await engine.paste(began.id, address: "4/0late") }
    }

    @Test func cancelBeforeConsentIs517AndTheListenerStops() async throws {
        let engine = Self.engine(consentTimeout: .seconds(60))
        let began = try await engine.begin(service: "gmail")
        let port = try Self.redirectPort(began.consentURL)
        try await engine.cancel(began.id)
        let final = try await Self.finalSnapshot(engine, began.id)
        #expect(final.error?.code == .consentAbandoned)
        #expect(await !Self.listening(port))
    }

    @Test func aPastedAddressOfAnotherSignInLeavesTheImportWaiting() async throws {
        let engine = Self.engine(consentTimeout: .seconds(60))
        let began = try await engine.begin(service: "gmail")
        let port = try Self.redirectPort(began.consentURL)
        await #expect(throws: ImportError.self) {
            try await engine.paste(began.id, address: "http://127.0.0.1:\(port)/?code=4/0x&state=not-this-one")
        }
        let snapshot = try await engine.snapshot(began.id)
        #expect(!snapshot.isFinished)
        try await engine.cancel(began.id)
    }

    @Test func withoutClientSettingsBeginSaysWhatToSetUp() async throws {
        let engine = ImportEngine(factories: [GoogleSourceFactory(settings: GoogleSettings())])
        do {
            _ = try await engine.begin(service: "gmail")
            Issue.record("began without a client id")
        } catch let error as ImportError {
            #expect(error.code == .serviceNotRecognised)
            #expect(error.detail?.contains("google.client-id, google.client-secret") == true)
        }
    }
}
