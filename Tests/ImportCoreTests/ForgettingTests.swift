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

@Suite struct ContactLimitTests {
    /// A shared server must not let one address book take its memory.
    @Test func anImportPastTheLimitStopsWithAnError() async throws {
        let factory = ScriptedFactory(["vcard"]) { progress in
            progress.startGathering(total: nil)
            for count in 1...1_000 {
                progress.gathered(count, total: nil)
                try await Task.sleep(for: .milliseconds(2))
            }
            return GatheredContacts(contacts: people(1_000))
        }
        let engine = ImportEngine(factories: [factory], configuration: .init(maximumContacts: 10))
        let began = try await engine.begin(service: "vcard")
        let last = try await finalSnapshot(engine, began.id)
        let complete = try #require(last.events.last)
        #expect(complete.type == .complete && complete.status == .error)
        #expect(last.error?.code == .consentUnexpected)
        #expect(last.error?.detail?.contains("more than 10 contacts") == true)
        #expect(try await engine.contacts(began.id).total == 0, "a failed import holds no contacts")
    }

    @Test func aSourceThatReportsNothingIsCheckedAtTheEnd() async throws {
        let factory = ScriptedFactory(["vcard"]) { _ in GatheredContacts(contacts: people(11)) }
        let engine = ImportEngine(factories: [factory], configuration: .init(maximumContacts: 10))
        let began = try await engine.begin(service: "vcard")
        let last = try await finalSnapshot(engine, began.id)
        #expect(last.events.last?.status == .error)
        let atTheLimit = ImportEngine(factories: [ScriptedFactory(["vcard"]) { _ in GatheredContacts(contacts: people(10)) }],
                                      configuration: .init(maximumContacts: 10))
        let fits = try await atTheLimit.begin(service: "vcard")
        #expect(try await finalSnapshot(atTheLimit, fits.id).events.last?.status == .completed)
    }
}
