import Testing
@testable import ImportCore

@Suite("Duplicate merge: cards that share a value")
struct SharedValuesTests {
    @Test func aCardSharesWhatAnotherCardHasWrittenAnotherWay() {
        let book = [
            Contact(firstName: "Ann", emails: [EmailAddress(" Ann@Example.org ")]),
            Contact(firstName: "Bob", emails: [EmailAddress("bob@example.org")], phones: [PhoneNumber("+49 30 1234567")]),
            Contact(emails: [EmailAddress("ann@example.ORG")]),
            Contact(firstName: "Cem", phones: [PhoneNumber("030 123 45 67")]),
            Contact(firstName: "Dee", emails: [EmailAddress("dee@example.org")], phones: [PhoneNumber("555 0101")]),
            Contact(firstName: "Eve", phones: [PhoneNumber("555 0199"), PhoneNumber("555-0199")]),
            // The same digits as an address and as a number are two different values.
            Contact(firstName: "Fay", emails: [EmailAddress("5550101@example.org")], phones: [PhoneNumber("12345")]),
            Contact(firstName: "Gus", emails: [EmailAddress("not an address")]),
            Contact(firstName: "Hal", emails: [EmailAddress("not an address")]),
        ]
        let shared = SharedValues(of: book)
        #expect(shared.cards == [true, true, true, true, false, true, false, false, false])
        // Keys in card order: Ann's address; Bob's address and number; the unnamed card's
        // address; Cem's number; Dee's address and number; Eve's two numbers; Fay's address
        // (12345 is too short a number). Gus and Hal have no key.
        #expect(shared.keys == [true, false, true, true, true, false, false, true, true, false])
        #expect(shared.keyStarts == [0, 1, 3, 4, 5, 7, 9, 10, 10, 10])
        #expect(SharedValues(of: []).cards == [])
    }

    @Test func theRadixSortSortsAndCarriesThePayload() {
        var state: UInt64 = 42
        var keys: [UInt64] = (0..<10_000).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> (state % 64)
        }
        keys += [0, .max, .max, 0, 1 << 63]
        var payload = keys.indices.map { Int32($0) }
        let original = keys
        SharedValues.radixSort(&keys, carrying: &payload)
        #expect(keys == original.sorted())
        #expect(payload.map { original[Int($0)] } == keys)
    }
}
