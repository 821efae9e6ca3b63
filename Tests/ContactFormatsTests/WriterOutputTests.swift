@testable import ContactFormats
import Foundation
import ImportCore
import Testing

/// The writers' exact bytes. `WriterGolden/edge.vcf` holds cards made to catch escaping
/// mistakes (commas, quotes, semicolons, backslashes, line breaks, tabs, leading and
/// trailing blanks, U+2028, non-ASCII and East Asian names, long lines to fold, inline and
/// linked photos, custom and empty labels, primary flags, duplicates, empty fields); each
/// `edge.FORMAT.out` is what the writers made of it before they wrote from the packed
/// bytes, and must stay so.
@Suite("Writers: exact output")
struct WriterOutputTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("WriterGolden")

    static func edgeContacts() throws -> [Contact] {
        let bytes = try [UInt8](Data(contentsOf: folder.appendingPathComponent("edge.vcf")))
        return try ContactFileReader().read(bytes: bytes).contacts
    }

    static func expected(_ format: ContactFormat) throws -> String {
        try String(decoding: Data(contentsOf: folder.appendingPathComponent("edge.\(format.rawValue).out")), as: UTF8.self)
    }

    static func encoder(_ format: ContactFormat) -> any ContactEncoder {
        format == .json ? JSONPayloadEncoder(importID: 7) : format.makeEncoder()
    }

    @Test(arguments: ContactFormat.allCases)
    func edgeCasesAreWrittenAsBefore(_ format: ContactFormat) throws {
        let contacts = try Self.edgeContacts()
        #expect(contacts.count == 20)
        let output = String(decoding: Self.encoder(format).encode(contacts), as: UTF8.self)
        #expect(output == (try Self.expected(format)))
    }

    /// Streaming, a contact at a time, gives the bytes of writing the array.
    @Test(arguments: ContactFormat.allCases)
    func theStreamWriterGivesTheSameBytes(_ format: ContactFormat) throws {
        let contacts = try Self.edgeContacts()
        var writer = format.makeStreamWriter(
            googleCSVWidths: GoogleCSVEncoder.GroupWidths(contacts), json: JSONPayloadEncoder(importID: 7))
        var output: [UInt8] = []
        writer.begin(into: &output)
        for contact in contacts { writer.write(contact, into: &output) }
        writer.end(into: &output)
        #expect(String(decoding: output, as: UTF8.self) == (try Self.expected(format)))
    }

    /// Contacts built from fields (not read from a file) pack their texts in another
    /// order; the writers read them all the same.
    @Test(arguments: ContactFormat.allCases)
    func contactsBuiltFromFieldsAreWrittenAlike(_ format: ContactFormat) throws {
        let read = try Self.edgeContacts()
        let rebuilt = read.map { Contact($0.fields) }
        let encoder = Self.encoder(format)
        #expect(encoder.encode(rebuilt) == encoder.encode(read))
    }

    @Test func csvCellsAreQuotedOnlyWhenTheyNeedIt() {
        let contact = Contact(
            firstName: "plain", middleName: "a,b", lastName: "say \"hi\"", title: " lead", suffix: "trail\t",
            nickname: "two\nlines", department: "cr\rhere", jobTitle: "Zoë ✓", notes: "")
        let output = String(decoding: GoogleCSVEncoder().encode([contact]), as: UTF8.self)
        let row = output.components(separatedBy: "\r\n")[1]
        #expect(row.hasPrefix("plain,\"a,b\",\"say \"\"hi\"\"\",,,,\" lead\",\"trail\t\",\"two\nlines\",,,Zoë ✓,\"cr\rhere\",,,,* myContacts,"))
    }

    @Test func jsonTellsAnAbsentValueFromAnEmptyOne() {
        let contact = Contact(firstName: "", lastName: nil, emails: [EmailAddress("a\u{2028}b\"\\\u{01}@x", type: nil)])
        let output = String(decoding: JSONPayloadEncoder(importID: 1).encode([contact]), as: UTF8.self)
        #expect(output.hasPrefix(#"{"contacts":[{"first_name":"","last_name":null,"phone":[],"email":[{"address":"a\u2028b\"\\\u0001@x","type":null,"primary":true}]"#))
    }

    @Test func ldifFoldsLongLinesAndEncodesUnsafeValues() {
        let contact = Contact(firstName: ":colon", lastName: String(repeating: "x", count: 100), notes: "Zoë")
        let output = String(decoding: LDIFEncoder().encode([contact]), as: UTF8.self)
        #expect(output.contains("givenName:: OmNvbG9u\n"))
        #expect(output.contains("sn: " + String(repeating: "x", count: 72) + "\n " + String(repeating: "x", count: 28) + "\n"))
        #expect(output.contains("description:: Wm/Dqw==\n"))
    }

    @Test func vCardFoldsWithoutSplittingACharacter() {
        // "NOTE:" and 69 letters take 74 bytes; the 75th is the first of a two-byte letter,
        // so the line is cut before it rather than at 75.
        let contact = Contact(firstName: "A", notes: String(repeating: "a", count: 69) + "ë" + "tail")
        let output = String(decoding: VCardEncoder().encode([contact]), as: UTF8.self)
        #expect(output.contains("NOTE:" + String(repeating: "a", count: 69) + "\r\n ëtail\r\n"))
    }
}
