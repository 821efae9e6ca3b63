import ImportCore
import Testing

@testable import ContactFormats

private typealias Support = VCardTestSupport

/// Neighbouring cards that repeat values, differ by a byte or by charset: each reads as
/// it would alone.
@Suite("vCard reader: repeated values")
struct VCardRepeatedValueTests {
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
        // Equal to an earlier card but for the last byte of each value: it reads as itself.
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

    @Test func aDecoderCopiedMidCardGoesOnAlone() throws {
        // The card being read is a value: a copy of the decoder must not see the other's lines.
        let start = Array("BEGIN:VCARD\r\nVERSION:3.0\r\nN:Doe;Jane;;;\r\nEMAIL:jane@example.com\r\n".utf8)
        var original = VCardDecoder()
        var contacts: [Contact] = []
        try original.decode(start[...], into: &contacts)
        var copy = original
        var copied: [Contact] = []
        try copy.decode(Array("TEL:555 0100\r\nEND:VCARD\r\n".utf8)[...], into: &copied)
        try original.decode(Array("ORG:Acme\r\nEND:VCARD\r\n".utf8)[...], into: &contacts)
        try copy.finish(into: &copied)
        try original.finish(into: &contacts)
        #expect(contacts == [Contact(
            firstName: "Jane", lastName: "Doe", emails: [EmailAddress("jane@example.com")], companies: ["Acme"])])
        #expect(copied == [Contact(
            firstName: "Jane", lastName: "Doe", emails: [EmailAddress("jane@example.com")], phones: [PhoneNumber("555 0100")])])
    }
}
