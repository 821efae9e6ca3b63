import Testing
@testable import ImportCore

/// `begin(id:)`: an id a shared store handed out is used as given; one in use here or out
/// of the positive 32-bit range is refused before anything starts.
@Suite("Reserved import ids")
struct ReservedImportIDTests {
    @Test func aGivenIdIsUsedAndAnIdInUseOrOutOfRangeIsRefused() async throws {
        let factory = ScriptedFactory(["vcard"]) { _ in GatheredContacts(contacts: people(2)) }
        let engine = ImportEngine(factories: [factory])
        let began = try await engine.begin(service: "vcard", id: 2_000_000_001)
        #expect(began.id == 2_000_000_001)
        #expect(try await finalSnapshot(engine, began.id).gathered == 2)
        for taken in [2_000_000_001, 0, -5, Int(Int32.max) + 1] {
            await #expect(throws: ImportError.self) { try await engine.begin(service: "vcard", id: taken) }
        }
        // Without an id the engine still draws its own.
        let drawn = try await engine.begin(service: "vcard")
        #expect(drawn.id != began.id && drawn.id > 0)
    }
}
