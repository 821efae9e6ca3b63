@testable import ContactFormats
import ImportCore
import Testing

private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

private func noise(_ count: Int, seed: UInt64) -> [UInt8] {
    var state = seed
    return (0..<count).map { _ in
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return UInt8(truncatingIfNeeded: state >> 33)
    }
}

private let vcard = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nEMAIL:ada@example.org\r\nEND:VCARD\r\n"
private let ldif = "dn: cn=Ada Lovelace,mail=ada@example.org\nobjectclass: top\ncn: Ada Lovelace\nmail: ada@example.org\n\n"

@Suite("format sniffer")
struct SnifferTests {
    static let recognised: [(String, [UInt8], ContactFileKind)] = [
        ("vCard", bytes(vcard), .vcard),
        ("vCard lowercase", bytes(vcard.lowercased()), .vcard),
        ("vCard after blank lines", bytes("\r\n\n   \n\tBEGIN:VCARD\nEND:VCARD\n"), .vcard),
        ("vCard with UTF-8 BOM", [0xEF, 0xBB, 0xBF] + bytes(vcard), .vcard),
        ("vCard in UTF-16LE", utf16(vcard, bigEndian: false), .vcard),
        ("vCard in UTF-16BE", utf16(vcard, bigEndian: true), .vcard),
        ("LDIF", bytes(ldif), .ldif),
        ("LDIF with version", bytes("version: 1\n" + ldif), .ldif),
        ("LDIF with comment and base64 dn", bytes("# Thunderbird\n\ndn:: Y249Wm/DqyBBbmdzdHLDtm0=\ncn: x\n"), .ldif),
        ("LDIF in UTF-16LE", utf16(ldif, bigEndian: false), .ldif),
        ("JSON payload", bytes(#"{"contacts":[{"first_name":"Ada","email":[]}],"contacts_owner":null}"#), .json),
        ("JSON payload pretty", bytes("\n  {\n  \"import_id\": 1,\n  \"contacts\": []\n}"), .json),
        ("JSON bare array", bytes(#"[{"first_name":"Ada","last_name":"Lovelace"}]"#), .json),
        ("JSON bare array, blank first", bytes("[\n\t{\"email\": [{\"address\": \"a@x\"}]}]"), .json),
        ("JSON single contact", bytes(#"{"email":[{"address":"a@x"}]}"#), .json),
        ("mutt aliases", bytes("# aliases\nalias ada Ada Lovelace <ada@example.org>\nalias bob bob@example.org\n"), .muttAliases),
        ("muttrc with aliases", bytes("set realname=\"Me\"\nalias ada <ada@example.org>\nalias bob <bob@example.org>\n"), .muttAliases),
        ("mutt query with status", bytes("Searching... 2 entries\nada@example.org\tAda Lovelace\nbob@example.org\tBob\tfriend\n"), .muttQuery),
        ("mutt query bare", bytes("ada@example.org\tAda Lovelace\n"), .muttQuery),
        // The `mutt-query` fuzzer's find: an address opening with a bracket is no JSON array.
        ("mutt query, address opening with [", bytes("[ie2@oaeS-h;Nguyen\thome\n"), .muttQuery),
        ("mutt query, address opening with {", bytes("{ann@example.org\tAnn\n"), .muttQuery),
        ("mutt query, address like a literal", bytes("[true@example.org\tAnn\n"), .muttQuery),
        // The same fuzzer's next find: brackets that do open JSON (`[]`), then an address.
        ("mutt query, address opening with []", bytes("[]]]]]]]]]]]]]]]]]]]nn@erg\t\n"), .muttQuery),
        ("mutt query, address opening with [[", bytes("[[ann@example.org\tAnn\n"), .muttQuery),
        ("CSV comma", bytes("Name,E-mail\nAda Lovelace,ada@example.org\n"), .csv),
        ("CSV semicolon", bytes("First Name;Last Name;E-mail Address\nAda;Lovelace;ada@example.org\n"), .csv),
        ("CSV tab", bytes("Email\tName\nada@example.org\tAda\n"), .csv),
        ("CSV quoted", bytes("\"First Name\",\"Last Name\",\"Mobile Phone\"\n\"Ada\",\"L\",\"1\"\n"), .csv),
        ("CSV Google", bytes("Name,Given Name,Family Name,E-mail 1 - Type,E-mail 1 - Value\n"), .csv),
        ("CSV Excel sep hint", bytes("sep=;\nNom;Prénom;Courriel\n"), .csv),
        ("CSV with BOM and CRLF", [0xEF, 0xBB, 0xBF] + bytes("Phone,Company\r\n1,x\r\n"), .csv),
        // The `csv` fuzzer's find: a row holding an `@` word before a tab made the header
        // row pass for mutt query output's status line.
        ("CSV whose rows look like mutt query lines", bytes("First Name,E-mail 1 - Value\r\nAnn,ann@example.org\tx\r\n"), .csv),
    ]

    @Test(arguments: recognised)
    func recognisesEachFormat(name: String, input: [UInt8], kind: ContactFileKind) throws {
        #expect(try FormatSniffer.sniff(input[...]) == kind, "\(name)")
    }

    static let refused: [(String, [UInt8], String)] = [
        ("empty", [], "the file is empty"),
        ("blank", bytes("   \n\n  \t\n"), "empty"),
        ("PNG", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + noise(200, seed: 1), "PNG image"),
        ("JPEG", [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + bytes("JFIF") + noise(200, seed: 2), "JPEG image"),
        ("GIF", bytes("GIF89a") + noise(100, seed: 3), "GIF image"),
        ("PDF", bytes("%PDF-1.7\n") + noise(100, seed: 4), "PDF document"),
        ("ZIP", [0x50, 0x4B, 0x03, 0x04] + noise(100, seed: 5), "ZIP archive"),
        ("gzip", [0x1F, 0x8B, 0x08, 0x00] + noise(100, seed: 6), "gzip"),
        ("ELF", [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01] + noise(100, seed: 7), "ELF executable"),
        ("SQLite", bytes("SQLite format 3") + [0] + noise(100, seed: 8), "SQLite database"),
        ("random bytes", noise(100_000, seed: 9), "binary"),
        ("prose", bytes("Dear Bob, I hope this letter finds you well, and that the garden is growing.\nYours, Ada\n"),
         "no address-book format recognised"),
        ("one long line", [UInt8](repeating: UInt8(ascii: "a"), count: 200_000), "no address-book format recognised"),
        ("other JSON", bytes(#"{"name":"package","version":"1.0"}"#), "JSON"),
        ("other JSON array", bytes(#"[1, 2, true, null]"#), "JSON"),
        ("HTML", bytes("<!DOCTYPE html>\n<html><body>hi</body></html>\n"), "HTML"),
        ("iCalendar", bytes("BEGIN:VCALENDAR\nEND:VCALENDAR\n"), "iCalendar"),
        ("CSV without contact columns", bytes("hostname,ip\nserver,10.0.0.1\n"), "no address-book format recognised"),
        ("UTF-16 without BOM", Array(utf16(vcard, bigEndian: false).dropFirst(2)), "UTF-16"),
    ]

    @Test(arguments: refused)
    func refusesWhatIsNotAnAddressBook(name: String, input: [UInt8], detail: String) {
        do {
            let kind = try FormatSniffer.sniff(input[...])
            Issue.record("\(name) was taken for \(kind)")
        } catch let error as ImportError {
            #expect(error.code == .fileNotContacts, "\(name)")
            #expect(error.detail?.contains(detail) == true, "\(name): \(error.detail ?? "")")
        } catch {
            Issue.record("\(name): unexpected \(error)")
        }
    }

    @Test func onlyThePrefixCounts() throws {
        // A vCard far larger than the prefix, handed over whole and cut at the prefix.
        let big = bytes(String(repeating: vcard, count: 5_000))
        #expect(big.count > FormatSniffer.prefixLength)
        #expect(try FormatSniffer.sniff(big[...]) == .vcard)
        #expect(try FormatSniffer.sniff(big.prefix(FormatSniffer.prefixLength)) == .vcard)
        // Mutt query lines cut in the middle of the last line are still mutt query lines.
        let query = bytes(String(repeating: "someone@example.org\tSome One\tfriend\n", count: 3_000))
        #expect(try FormatSniffer.sniff(query.prefix(FormatSniffer.prefixLength)) == .muttQuery)
        #expect(FormatSniffer.prefixLength == 64 * 1024)
    }

    /// The whole input of the `csv` fuzzer's find: a damaged Outlook CSV file whose
    /// contacts, written as Google CSV, were sniffed as mutt query output.
    @Test func aGoogleCSVExportOfADamagedFileIsStillCSV() throws {
        let input = try #require(LDIFBase64.decode(Array("77u/VGl0bGUsRmlyc3QgTmFtZSxNaWRkbGUgTmFtZSxMYXN0IE5hbWUsU3VmZml4LENvbXBhbnksRGVwYXJ0bWVudCxKb2IgVGl0bGUsQnVzaW5lc3MgU3RyZWV0LEJ1c2luZXNzIFN0cmVldCAyLEJ1c2luZXNzIFN0cmVldCAzLEJ1c2luZXNzIENpdHksQnVzaW5lc3MgU3RhdGUsQnVzaW5lc3MgUG9zdGFsIENvZGUsQkZpcnN0cGhvbmV0aWNmaXJzdHVzaW5lc3MgQ291bnRyeS9SZWdpb24sSG9tZSBTdHJlZXQsSG9tMzM5NWUgU3RyZWV0IDIsSG9tZSBTdHJlZXQgMyxIb21lIENpdHksSG9tZSBTdGF0ZSxIb21lIFBvc3RhbCBDb2RlLEhvbWUgQ291bnRyeS/0UmVnaW9uLE90aGVyIFN0cmVldCxPdGhlciBTdHJlZXQgMixPdGhlciBTdHJlZXQgMyxPdGhlciBDaXR5LE90aGVyIFN0YXRlLE90aGVyIFBvc3RhbCBDb2RlLE90aGVyIENvdW50cnkvUmVnaW9uLEFzc2lzdGFudCdzIFBob25lLEJ1c2luZXNzIEZheCxCdXNpbmVzcyBQaG9uZSxCdXNpbmVzcyBQYG9uZSAyLENhbGxiYWNrLENhciBQaG9uZSxDb21wYW55IE1haW4gUGhvbmUsSG9tZSBGYXgsSG9tZSBQaG9uZSxIb21lIFBob25lIDIsSVNETixNb2JpbGUgUGhvbmUsT3RoZXIgRmF4LE90aGVyIFBob25lLFBhZ2VyLFByaW1hcnkgUGhvbmUsRmlyc3QgTmFtZTtMZ2VuO03DbLxscmU7am1AZXhhbXBsZS5kZTsrNDkgMTcwIDENCiJvcGVuO3F1b3RlDQpzIE5hbWUsQmlsbGluZyBJbmZvcm1hdGlvbixCaXJ0aGRheSxCdXNpbmVzcyBBZGRyZXNzIFBPIEJveCxDYXRlZ29yaWVzLENoaWxkcmVuLERpbmFtZS1tYUBlL2FtcGxlLgkqIG15cmVjdG9yeSBTZXJ2ZXIsRS1tYWlsIEFkZHJlc3MsRS1tYWlsIFR5cGUsRS1tYWlsIERpc3BsYXkgTmFtZSxFL21haWwgMSBBZGRyZXNzLEUtbWFpbCAyIFR5cGUsRS1tYWlsIDIgRGlzcGxheSBOYW1lLEUtbWFpbCAzIEFkZHJlc3MsRS1tYWlsIDMgVHlwZSdFLW1haWwgMyBEaXNwbGF5IE5hbWUsR2VuZGVyLEdvdmVybm1lbnQgSUQgTnVtYmVyLEhvYmJ5LEhvbWUgQWRkcmVzcyBQTyBCb3gBAW5pdGlhbHMsSW50ZXJuZXQgRnJlZSBCdXN5LEtleXdvcmRzLExhbmd1YWdlLExvY2F0aW9uLE1hbmFnZXIncyBOYW1lLE1pbGVhZ2UsTm90ZXMsT2ZmaWNlIExvY2F0aW9uLE9yZ2FuaXphdGlvbmFsIElEIE51bWJlcixPdGhDeGFtcGxlLmRlOys0OSAxNzAgMQ0KIm9yZXIgQWRkcmVzcyBQTyBCb3gsUHJpb3JpdHksUHJpdmF0ZSxQcm9mZXNzaW9uLFJlZmVycmVkIEJ5LFNlbnNpdGl2aXR5LFNwb3VzZSxVc2VyIDEsVXNlciAyLFVzZXIgMyxVc2VyIGcJKiBteUN4YW1wbDQsV2ViIFBhZ2UNCiznv5TlpKosLOS9kOiXaXJzdG5hbWUtbWFAZS9hbXBsZS4JKiBteUN4YW1wbGUuZGU7KzQ5IDE3MCAxDQoib3JnCSogbXlDeGFtcGxlLmRtaXNha2kuZS5kZTsrNDkgMTcwc2F0bzBAd29yayAxDQoib3Blbi5leGFtcGxlLm9yZyxTTVRQLOe/O3F1lOVv".utf8)))
        var decoder = ContactFileKind.csv.makeDecoder()
        var contacts: [Contact] = []
        try decoder.decode(input[...], into: &contacts)
        try decoder.finish(into: &contacts)
        try #require(!contacts.isEmpty)
        let written = ContactFormat.googleCSV.makeEncoder().encode(contacts)
        #expect(try FormatSniffer.sniff(written[...]) == .csv)
    }

    /// The whole input of the `mutt-query` fuzzer's second find: a line whose address opens
    /// with `[]`, written back as read, was taken for JSON and refused.
    @Test func muttQueryOutputWhoseAddressOpensWithBracketsIsStillMuttQuery() throws {
        let input: [UInt8] = Array("wlll".utf8) + [0x00] + Array(".n\n[]]]]]]]]]]]]]]]]]]]nn@erg\n".utf8)
        var decoder = ContactFileKind.muttQuery.makeDecoder()
        var contacts: [Contact] = []
        try decoder.decode(input[...], into: &contacts)
        try decoder.finish(into: &contacts)
        try #require(contacts.count == 1)
        let written = ContactFormat.muttQuery.makeEncoder().encode(contacts)
        #expect(try FormatSniffer.sniff(written[...]) == .muttQuery, "\(String(decoding: written, as: UTF8.self).debugDescription)")
    }

    @Test func everyWriterIsRecognisedByTheSniffer() throws {
        let contacts = [
            Contact(firstName: "Ada", lastName: "Lovelace", emails: [EmailAddress("ada@example.org", primary: true)]),
            Contact(firstName: "Zoë", lastName: "Ångström", emails: [EmailAddress("zoe@example.org", type: "home")]),
        ]
        let expected: [(any ContactEncoder, ContactFileKind)] = [
            (LDIFEncoder(), .ldif), (JSONPayloadEncoder(importID: 7), .json),
            (MuttAliasEncoder(), .muttAliases), (MuttQueryEncoder(), .muttQuery),
        ]
        for (encoder, kind) in expected {
            #expect(try FormatSniffer.sniff(encoder.encode(contacts)[...]) == kind)
        }
    }

    @Test func arbitraryBytesNeverTrap() {
        for seed in UInt64(1)...200 {
            let length = Int(seed * 37 % 3000)
            var input = noise(length, seed: seed)
            // Also bytes that start like a format and then go wrong.
            let starts = [bytes("{\"contacts\":[\"\\"), bytes("dn:"), bytes("alias "), bytes("a@b\t"), bytes("x,y"), [0xFF], [0xFE], [0xEF, 0xBB]]
            input = starts[Int(seed) % starts.count] + input.map { $0 == 0 ? 0x20 : $0 }
            _ = try? FormatSniffer.sniff(input[...])
            for cut in stride(from: 0, through: min(input.count, 64), by: 1) {
                _ = try? FormatSniffer.sniff(input.prefix(cut))
            }
        }
    }

    @Test func theFileReaderNamesWhatItFound() throws {
        let reader = ContactFileReader()
        #expect(throws: ImportError.self) { try reader.read(bytes: bytes("Name,E-mail\nAda,ada@example.org\n"), expected: .ldif) }
        let result = try reader.read(bytes: bytes(ldif))
        #expect(result.kind == .ldif)
        #expect(result.contacts.first?.emails.first?.address == "ada@example.org")
    }
}
