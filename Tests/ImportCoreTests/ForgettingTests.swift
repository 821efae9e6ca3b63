import Foundation
import Testing
@testable import ImportCore

@Suite struct ForgettingTests {
    /// A server runs for months: a finished import must not stay in memory for ever.
    @Test func finishedImportsAreForgottenAfterTheWindow() async throws {
        let factory = ScriptedFactory(["vcard"]) { _ in GatheredContacts(contacts: people(1)) }
        let engine = ImportEngine(factories: [factory],
                                  configuration: .init(retention: .milliseconds(50), forgetAfter: .milliseconds(300)))
        let began = try await engine.begin(service: "vcard")
        _ = try await finalSnapshot(engine, began.id)
        var forgotten = false
        let start = ContinuousClock.now
        while !forgotten && ContinuousClock.now - start < .seconds(30) {
            do {
                _ = try await engine.events(began.id)
                try await Task.sleep(for: .milliseconds(50))
            } catch ImportLookupError.notFound {
                forgotten = true
            }
        }
        #expect(forgotten, "the import's id is unknown once the window has passed")
    }

    @Test func theWindowIsNeverShorterThanTheRetention() {
        let configuration = ImportEngine.Configuration(retention: .seconds(600), forgetAfter: .seconds(5))
        #expect(configuration.forgetAfter == .seconds(600))
    }
}
