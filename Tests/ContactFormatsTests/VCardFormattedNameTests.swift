import ImportCore
import Testing

@testable import ContactFormats

private typealias Support = VCardTestSupport

/// FN is compared with N on its bytes and only turned into a string when it is kept;
/// these cases must read exactly as when FN is a string from the start.
@Suite("vCard reader: formatted name")
struct VCardFormattedNameTests {
    private func displayName(_ body: String, version: String = "3.0") throws -> String? {
        try Support.contact(Support.card(version, body)).displayName
    }

    private func displayName(bytes: [UInt8]) throws -> String? {
        let decoded = try Support.decode(bytes)
        try #require(decoded.contacts.count == 1)
        return decoded.contacts[0].displayName
    }

    @Test func repeatsOfNAreDropped() throws {
        #expect(try displayName("N:Doe;John;;;\nFN:John Doe") == nil)
        #expect(try displayName("N:Doe;John;;;\nFN:  John Doe  ") == nil)
        #expect(try displayName("N:Doe;John;Q;Dr.;PhD\nFN:Dr. John Q Doe PhD") == nil)
        #expect(try displayName("N:Doe;John;;;\nFN:John Doe Jr") == "John Doe Jr")
        #expect(try displayName("N:Doe;John;;;\nFN:John  Doe") == "John  Doe")
    }

    @Test func firstNonEmptyFormattedNameCounts() throws {
        #expect(try displayName("N:Doe;John;;;\nFN:\nFN:Johnny") == "Johnny")
        #expect(try displayName("N:Doe;John;;;\nFN:Johnny\nFN:Other") == "Johnny")
        #expect(try displayName("FN:Only Formatted\nFN:Other") == "Only Formatted")
    }

    @Test func escapedAndEncodedFormattedNames() throws {
        #expect(try displayName("N:Doe;John;;;\nFN:Doe\\, John") == "Doe, John")
        #expect(try displayName("N:Doe;Jürgen;;;\nFN;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:J=C3=BCrgen Doe", version: "2.1") == nil)
        #expect(try displayName("N:Doe;Jurgen;;;\nFN;ENCODING=QUOTED-PRINTABLE:J=C3=BCrgen", version: "2.1") == "Jürgen")
    }

    @Test func legacyAndInvalidBytesCompareAsText() throws {
        // 2.1 without CHARSET: windows-1252 in both N and FN.
        var bytes = Array("BEGIN:VCARD\r\nVERSION:2.1\r\nN:M".utf8) + [0xFC] + Array("ller;J;;;\r\nFN:J M".utf8) + [0xFC]
        bytes += Array("ller\r\nEND:VCARD\r\n".utf8)
        #expect(try displayName(bytes: bytes) == nil)
        bytes = Array("BEGIN:VCARD\r\nVERSION:2.1\r\nN:Doe;J;;;\r\nFN:J M".utf8) + [0xFC] + Array("ller\r\nEND:VCARD\r\n".utf8)
        #expect(try displayName(bytes: bytes) == "J Müller")
        // 3.0: invalid UTF-8 is repaired in both, and the repaired texts are equal.
        bytes = Array("BEGIN:VCARD\r\nVERSION:3.0\r\nN:M".utf8) + [0xFC] + Array("ller;J;;;\r\nFN:J M".utf8) + [0xFC]
        bytes += Array("ller\r\nEND:VCARD\r\n".utf8)
        #expect(try displayName(bytes: bytes) == nil)
        bytes = Array("BEGIN:VCARD\r\nVERSION:3.0\r\nN:Doe;J;;;\r\nFN:J ".utf8) + [0xFC] + Array("\r\nEND:VCARD\r\n".utf8)
        #expect(try displayName(bytes: bytes) == "J \u{FFFD}")
    }
}
