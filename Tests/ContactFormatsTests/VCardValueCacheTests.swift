import ImportCore
import Testing

@testable import ContactFormats

private typealias Support = VCardTestSupport

@Suite("vCard reader: shared values")
struct VCardValueCacheTests {
    private func storage(_ text: String) -> UnsafeRawPointer? {
        var text = text
        return text.withUTF8 { UnsafeRawPointer($0.baseAddress) }
    }

    private func storage(_ list: [String]) -> UnsafeRawPointer? {
        list.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
    }

    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func equalValuesShareOneString() {
        var cache = VCardValueCache()
        let first = bytes("Example Widgets Limited").withUnsafeBufferPointer { cache.string($0) }
        let second = bytes("Example Widgets Limited").withUnsafeBufferPointer { cache.string($0) }
        #expect(first == "Example Widgets Limited")
        #expect(second == first)
        #expect(storage(second) == storage(first))
        let other = bytes("Example Widgets Limitee").withUnsafeBufferPointer { cache.string($0) }
        #expect(other == "Example Widgets Limitee")
    }

    @Test func longValuesAreNotHeld() {
        var cache = VCardValueCache()
        let long = String(repeating: "x", count: VCardValueCache.maximumLength + 1)
        #expect(bytes(long).withUnsafeBufferPointer { cache.string($0) } == long)
        #expect(cache.held.strings == 0 && cache.held.small == 0)
    }

    @Test func shortValuesMatchOnEveryByteAndTheirLength() {
        var cache = VCardValueCache()
        let values: [[UInt8]] = [
            Array("Berlin".utf8), Array("Berlin\u{0}".utf8), Array("Berlim".utf8), Array("Berlin".utf8),
            Array("exactly15bytes!".utf8), Array("exactly15bytes?".utf8), [0x41, 0xFF, 0x42], [0x41, 0xFF, 0x42],
            Array("東京".utf8), [0x41],
        ]
        for _ in 0..<2 {
            for value in values {
                let text = value.withUnsafeBufferPointer { cache.string($0) }
                #expect(text == String(decoding: value, as: UTF8.self))
            }
        }
        #expect(cache.held.small > 0 && cache.held.small <= 8)
        #expect(cache.held.strings == 0)
    }

    @Test func uniqueValuesCannotGrowTheCache() {
        var cache = VCardValueCache()
        let slots = 1 << VCardValueCache.stringSlotBits
        // Three times as many distinct values as slots: many collide, and every answer
        // must still be the value asked for.
        for number in 0..<(3 * slots) {
            let text = "Unique Company Number \(number)"
            let value = bytes(text).withUnsafeBufferPointer { cache.string($0) }
            #expect(value == text)
        }
        #expect(cache.held.strings <= slots)
        for number in 0..<(3 * (1 << VCardValueCache.smallSlotBits)) {
            let text = "City \(number)"
            #expect(bytes(text).withUnsafeBufferPointer { cache.string($0) } == text)
        }
        #expect(cache.held.small <= 1 << VCardValueCache.smallSlotBits)
        for number in 0..<(3 * (1 << VCardValueCache.listSlotBits)) {
            var list = ["Demo contacts", "Group \(number)"]
            #expect(cache.list(taking: &list) == ["Demo contacts", "Group \(number)"])
            #expect(list.isEmpty)
        }
        #expect(cache.held.lists <= 1 << VCardValueCache.listSlotBits)
    }

    @Test func equalListsShareOneBufferOfExactSize() {
        var cache = VCardValueCache()
        var gathered: [String] = []
        gathered.reserveCapacity(16)
        gathered += ["Friends", "Book club"]
        let first = cache.list(taking: &gathered)
        #expect(first == ["Friends", "Book club"])
        #expect(first.capacity < 16)
        #expect(gathered.isEmpty && gathered.capacity >= 16)
        gathered += ["Friends", "Book club"]
        let second = cache.list(taking: &gathered)
        #expect(storage(second) == storage(first))
        gathered += ["Friends", "Work"]
        let third = cache.list(taking: &gathered)
        #expect(third == ["Friends", "Work"])
        #expect(storage(third) != storage(first))
        #expect(first == ["Friends", "Book club"])
    }

    @Test func longListsAreCopiedNotHeld() {
        var cache = VCardValueCache()
        let names = (0...VCardValueCache.maximumListCount).map { "Group \($0)" }
        var gathered = names
        #expect(cache.list(taking: &gathered) == names)
        #expect(cache.held.lists == 0)
    }

    @Test func cardsRepeatingValuesReadTheSameAsAlone() throws {
        let first = """
            N:Doe;Jane;;;
            ORG:Example Widgets Limited;Research and Development
            TITLE:Senior Product Manager
            ADR;TYPE=WORK:;;1 Main Street;San Francisco Bay;California Region;94000;United States of America
            CATEGORIES:Demo contacts,Book club on Tuesdays
            """
        let second = """
            N:Roe;Rich;;;
            ORG:Example Widgets Limited;Research and Development
            TITLE:Senior Product Manager
            ADR;TYPE=WORK:;;2 Main Street;San Francisco Bay;California Region;94001;United States of America
            CATEGORIES:Demo contacts,Book club on Tuesdays
            """
        // Equal to an earlier card up to its last value: it must get its own.
        let third = """
            N:Poe;Pat;;;
            ORG:Example Widgets Limited;Research and Developmen
            TITLE:Senior Product Managers
            ADR;TYPE=WORK:;;3 Main Street;San Francisco Bays;California Region;94002;United States of Americas
            CATEGORIES:Demo contacts,Book club on Tuesday
            ORG:Second Organisation Ltd
            """
        let text = [first, second, third].map { Support.card("3.0", $0) }.joined()
        let contacts = try Support.decode(text).contacts
        let alone = try [first, second, third].map { try Support.contact(Support.card("3.0", $0)) }
        #expect(contacts == alone)
        #expect(contacts[1].companies == ["Example Widgets Limited"])
        #expect(contacts[1].department == "Research and Development")
        #expect(contacts[1].jobTitle == "Senior Product Manager")
        #expect(contacts[1].addresses.map(\.city) == ["San Francisco Bay"])
        #expect(contacts[1].addresses.map(\.country) == ["United States of America"])
        #expect(contacts[1].groups == ["Demo contacts", "Book club on Tuesdays"])
        #expect(contacts[2].companies == ["Example Widgets Limited", "Second Organisation Ltd"])
        #expect(contacts[2].department == "Research and Developmen")
        #expect(contacts[2].jobTitle == "Senior Product Managers")
        #expect(contacts[2].addresses.map(\.city) == ["San Francisco Bays"])
        #expect(contacts[2].addresses.map(\.country) == ["United States of Americas"])
        #expect(contacts[2].groups == ["Demo contacts", "Book club on Tuesday"])
    }

    @Test func sharedFieldsKeepTheirCharset() throws {
        // The same bytes read as windows-1252 in one card and as (invalid) UTF-8 in the
        // next: neither may be handed the other's text.
        var bytes: [UInt8] = []
        for charset in [";CHARSET=ISO-8859-1", "", ";CHARSET=WINDOWS-1252"] {
            bytes += Array("BEGIN:VCARD\r\nVERSION:3.0\r\nN:Doe;J;;;\r\nORG\(charset):Caf".utf8) + [0xE9]
            bytes += Array(" Industries Limited\r\nEND:VCARD\r\n".utf8)
        }
        let contacts = try Support.decode(bytes).contacts
        #expect(contacts.map(\.companies) == [
            ["Café Industries Limited"], ["Caf\u{FFFD} Industries Limited"], ["Café Industries Limited"],
        ])
    }

    @Test func departmentUnitsAreJoined() throws {
        let contact = try Support.contact(Support.card("3.0", "N:A;B;;;\nORG:Acme;Sales;EMEA North\\; and Middle East"))
        #expect(contact.department == "Sales, EMEA North; and Middle East")
        #expect(try Support.contact(Support.card("3.0", "N:A;B;;;\nORG:Acme;;EMEA")).department == "EMEA")
        #expect(try Support.contact(Support.card("3.0", "N:A;B;;;\nORG:Acme;;")).department == nil)
    }
}
