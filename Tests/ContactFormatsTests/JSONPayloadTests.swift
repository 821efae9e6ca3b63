@testable import ContactFormats
import Foundation
import ImportCore
import Testing

private func parse(_ bytes: [UInt8]) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
}

private func decodeByteByByte(_ input: [UInt8]) throws -> (contacts: [Contact], skipped: [SkippedRecord]) {
    var decoder = JSONPayloadDecoder()
    var contacts: [Contact] = []
    for index in input.indices { contacts += try decoder.decode(input[index..<(index + 1)]) }
    contacts += try decoder.finish()
    return (contacts, decoder.skipped)
}

/// Reproducible damage for the chunking test.
private struct LinearCongruential {
    var state: UInt64
    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state >> 33
    }
}

private let ada = Contact(
    firstName: "Ada", middleName: "Augusta", lastName: "Lovelace", title: "Countess", suffix: "FRS",
    displayName: "Ada, Countess of Lovelace", nickname: "ada",
    emails: [EmailAddress("ada@example.org", type: "Home"), EmailAddress("ada@work.example", type: "work", primary: true)],
    phones: [PhoneNumber("+44 1", type: "mobile", primary: true), PhoneNumber("+44 2", type: nil)],
    addresses: [
        PostalAddress(type: "Home", poBox: "PO 7", extended: "Flat 2", street: "12 St James's Square", city: "London",
                      region: "GL", postalCode: "SW1", country: "UK", formatted: "12 St James's Square\nLondon", primary: true),
        PostalAddress(type: nil, city: "Paris"),
    ],
    companies: ["Analytical Engines, Ltd"], department: "R&D", jobTitle: "Mathematician",
    birthday: Birthday(year: 1815, month: 12, day: 10), groups: ["Math", "Friends"],
    photos: [Photo(.url("https://example.org/ada.jpg")), Photo(.data([1, 2, 3, 250], mediaType: "image/png"))],
    urls: [WebAddress("https://ada.example", type: "home"), WebAddress("https://x.example")],
    notes: "Quote \" backslash \\ newline \n tab \t bell \u{7} emoji 🧮 separator \u{2028}", uid: "urn:uuid:1")

@Suite("JSON payload reader and writer")
struct JSONPayloadTests {
    @Test func writerFollowsTheSpecShapeKeyByKey() throws {
        let bare = Contact(emails: [EmailAddress("bob@example.org")])
        let encoder = JSONPayloadEncoder(importID: 89709844, userID: nil, echo: "state-1")
        let payload = try parse(encoder.encode([ada, bare]))

        #expect(Set(payload.keys) == ["contacts", "contacts_owner", "start", "count", "total", "import_id", "user_id", "id", "echo"])
        #expect(payload["contacts_owner"] is NSNull)
        #expect(payload["user_id"] is NSNull)
        #expect(payload["import_id"] as? Int == 89709844)
        #expect(payload["id"] as? Int == 89709844)
        #expect(payload["echo"] as? String == "state-1")
        #expect(payload["start"] as? Int == 0)
        #expect(payload["count"] as? Int == 2)
        #expect(payload["total"] as? Int == 2)

        let contacts = try #require(payload["contacts"] as? [[String: Any]])
        let specKeys: Set = ["first_name", "last_name", "phone", "email", "address", "groups", "dob", "birthday",
                             "companies", "job_title", "title", "photos", "locations"]
        let extensionKeys: Set = ["middle_name", "suffix", "display_name", "nickname", "department", "urls", "notes", "uid"]
        for contact in contacts { #expect(Set(contact.keys) == specKeys.union(extensionKeys)) }

        let first = contacts[0]
        #expect(first["first_name"] as? String == "Ada")
        #expect(first["last_name"] as? String == "Lovelace")
        #expect(first["dob"] as? String == "1815-12-10")
        #expect(first["birthday"] as? String == "12-10")
        #expect(first["job_title"] as? String == "Mathematician")
        #expect(first["title"] as? String == "Countess")
        #expect(first["companies"] as? [String] == ["Analytical Engines, Ltd"])
        #expect(first["groups"] as? [String] == ["Math", "Friends"])
        #expect((first["locations"] as? [Any])?.isEmpty == true)
        #expect(first["photos"] as? [String] == ["https://example.org/ada.jpg", "data:image/png;base64,AQID+g=="])

        let emails = try #require(first["email"] as? [[String: Any]])
        #expect(emails.count == 2)
        #expect(Set(emails[0].keys) == ["address", "type"], "primary is absent on non-primary entries")
        #expect(emails[0]["address"] as? String == "ada@example.org")
        #expect(emails[0]["type"] as? String == "Home")
        #expect(emails[1]["primary"] as? Bool == true)

        let phones = try #require(first["phone"] as? [[String: Any]])
        #expect(phones[0]["number"] as? String == "+44 1")
        #expect(phones[0]["primary"] as? Bool == true)
        #expect(phones[1]["type"] is NSNull)

        let addresses = try #require(first["address"] as? [[String: Any]])
        for key in ["type", "street", "city", "region", "postal_code", "country", "formatted"] {
            #expect(addresses[1].keys.contains(key), "\(key) present even when empty")
        }
        #expect(addresses[0]["postal_code"] as? String == "SW1")
        #expect(addresses[0]["formatted"] as? String == "12 St James's Square\nLondon")
        #expect(addresses[1]["street"] is NSNull)
        #expect(addresses[1]["city"] as? String == "Paris")

        let second = contacts[1]
        for key in ["first_name", "last_name", "dob", "birthday", "job_title", "title"] {
            #expect(second[key] is NSNull, "\(key) is an explicit null")
        }
        let bareEmails = try #require(second["email"] as? [[String: Any]])
        #expect(bareEmails[0]["primary"] as? Bool == true, "the single email is the primary one")
        #expect(bareEmails[0]["type"] is NSNull)
        #expect((second["phone"] as? [Any])?.isEmpty == true)
        #expect((second["address"] as? [Any])?.isEmpty == true)
    }

    @Test func keyOrderIsFixedAndEscapingCorrect() throws {
        let encoder = JSONPayloadEncoder(importID: 1)
        let output = encoder.encode([ada])
        #expect(output == encoder.encode([ada]))
        let text = String(decoding: output, as: UTF8.self)
        #expect(text.hasPrefix(#"{"contacts":[{"first_name":"Ada","last_name":"Lovelace","phone":[{"number":"+44 1","type":"mobile","primary":true}"#))
        #expect(text.hasSuffix(#""contacts_owner":null,"start":0,"count":1,"total":1,"import_id":1,"user_id":null,"id":1,"echo":null}"# + "\n"))
        #expect(text.contains(#"Quote \" backslash \\ newline \u000a tab \u0009 bell \u0007 emoji 🧮 separator \u2028"#))
        #expect(String(validating: output, as: UTF8.self) != nil)
        let notes = try parse(output)["contacts"].flatMap { ($0 as? [[String: Any]])?.first?["notes"] as? String }
        #expect(notes == ada.notes)
    }

    @Test func ownerIsWrittenInTheObservedShape() throws {
        let owner = ContactsOwner(firstName: "Cs", lastName: "Test", emails: [EmailAddress("cloudspongetest@aol.com")], externalID: "4C99")
        let payload = try parse(JSONPayloadEncoder(importID: 5, userID: "u1", owner: owner).encode([]))
        let object = try #require(payload["contacts_owner"] as? [String: Any])
        #expect(object["first_name"] as? String == "Cs")
        #expect(object["external_id"] as? String == "4C99")
        #expect(object["owner"] as? Bool == true)
        #expect((object["email"] as? [[String: Any]])?.first?["address"] as? String == "cloudspongetest@aol.com")
        #expect(payload["user_id"] as? String == "u1")
        #expect((payload["contacts"] as? [Any])?.isEmpty == true)
    }

    @Test func readsTheSpecSample() throws {
        let sample = #"""
            {"contacts":[
              {"first_name":"Alexie Runolfsdottir","last_name":"Lesch",
               "phone":[],
               "email":[{"address":"charles@gerlachjacobson.net","type":"Home","primary":true},
                        {"address":"imogene_schiller@marksgoyette.net","type":"Home"},
                        {"address":null,"type":"other"}],
               "address":[{"type":"Home","street":"429 Leopold Terrace","city":"Port Rossie",
                           "region":"Texas","postal_code":"61887","country":"Botswana"}],
               "groups":[],"dob":"1989-10-27","birthday":"10-27",
               "companies":["Casper\\, Ryan and Crona", null],
               "job_title":"Global Assurance Administrator","photos":[],"locations":[]}],
             "contacts_owner":{"first_name":"Cs","last_name":"Test",
               "external_id":"4C994B9C-C2AC-FBCF-6AE5-29E59E541899","phone":[],
               "email":[{"address":"cloudspongetest@aol.com"}],
               "groups":[],"companies":[],"photos":[],"locations":[],"owner":true},
             "start":0,"count":2001,"total":2001,
             "import_id":89709844,"user_id":null,"id":89709844,"echo":null}
            """#
        var decoder = JSONPayloadDecoder()
        let contacts = try decoder.decodeAll(Array(sample.utf8))
        #expect(decoder.skipped.isEmpty)
        let contact = try #require(contacts.first)
        #expect(contacts.count == 1)
        #expect(contact.firstName == "Alexie Runolfsdottir")
        #expect(contact.emails == [
            EmailAddress("charles@gerlachjacobson.net", type: "Home", primary: true),
            EmailAddress("imogene_schiller@marksgoyette.net", type: "Home"),
        ])
        #expect(contact.addresses.first?.postalCode == "61887")
        #expect(contact.birthday == Birthday(year: 1989, month: 10, day: 27))
        #expect(contact.companies == ["Casper, Ryan and Crona"])
        #expect(contact.jobTitle == "Global Assurance Administrator")
        #expect(decoder.owner == ContactsOwner(firstName: "Cs", lastName: "Test", emails: [EmailAddress("cloudspongetest@aol.com")],
                                               externalID: "4C994B9C-C2AC-FBCF-6AE5-29E59E541899"))
    }

    @Test func readsABareArrayAndALoneContact() throws {
        var decoder = JSONPayloadDecoder()
        let array = try decoder.decodeAll(Array(#"[{"first_name":"A"},{"first_name":"B","phone":[{"number":5551234}]}]"#.utf8))
        #expect(array.map(\.firstName) == ["A", "B"])
        #expect(array[1].phones.first?.number == "5551234")
        var single = JSONPayloadDecoder()
        let lone = try single.decodeAll(Array(#"{"first_name":"Solo","email":[{"address":"solo@x"}]}"#.utf8))
        #expect(lone == [Contact(firstName: "Solo", emails: [EmailAddress("solo@x")])])
    }

    @Test func aContactOfTheWrongShapeIsSkippedWithItsLine() throws {
        let text = """
            {"contacts": [
              {"first_name": "Good"},
              42,
              {"first_name": "Bad", "email": "not-an-array"},
              {"first_name": ["wrong"]},
              {"first_name": "Also good", "email": [{"address": "x@y", "primary": true}]}
            ]}
            """
        var decoder = JSONPayloadDecoder()
        let contacts = try decoder.decodeAll(Array(text.utf8))
        #expect(contacts.map(\.firstName) == ["Good", "Also good"])
        #expect(decoder.skipped.map(\.line) == [3, 4, 5])
        #expect(decoder.skipped[0].reason.contains("not a JSON object"))
        #expect(decoder.skipped[1].reason.contains("`email` is not an array"))
        #expect(decoder.skipped[2].reason.contains("`first_name` is not a string"))
    }

    @Test(arguments: [
        #"{"contacts": [{"first_name": "A"}"#,
        #"{"contacts": [{"first_name": "A",}]}"#,
        #"[{"first_name": "A"}] trailing"#,
        #"{"contacts": [{"first_name": "\x"}]}"#,
        "\"just a string\"",
        #"{"something": "else"}"#,
        String(repeating: "[", count: 10_000),
    ])
    func invalidJSONIs1026(text: String) throws {
        var decoder = JSONPayloadDecoder()
        do {
            _ = try decoder.decodeAll(Array(text.utf8))
            Issue.record("accepted \(text.prefix(40))")
        } catch let error as ImportError {
            #expect(error.code == .fileUnparseable)
            #expect(error.detail?.isEmpty == false)
        }
    }

    @Test func syntaxErrorsSayWhere() throws {
        var decoder = JSONPayloadDecoder()
        #expect(throws: ImportError(.fileUnparseable, "invalid JSON at line 2, column 19: expected ',' or '}' but found '\"'")) {
            try decoder.decodeAll(Array("{\"contacts\": [\n {\"first_name\": 1 \"x\"}]}".utf8))
        }
    }

    @Test func contactsArriveWhileTheFileIsStillBeingRead() throws {
        var decoder = JSONPayloadDecoder()
        let head = Array(#"{"import_id": 7, "contacts": [{"first_name": "A"}, {"first_name": "B"}, {"first_na"#.utf8)
        let early = try decoder.decode(head[...])
        #expect(early.map(\.firstName) == ["A", "B"])
        let rest = try decoder.decode(Array(#"me": "C"}], "contacts_owner": {"first_name": "O"}}"#.utf8)[...])
        #expect(rest.map(\.firstName) == ["C"])
        #expect(try decoder.finish().isEmpty)
        #expect(decoder.owner?.firstName == "O")
    }

    @Test func aContactOverTheLimitIsSkippedAndTheRestImported() throws {
        let photo = String(repeating: "A", count: 5_000)
        let text = """
            {"contacts": [
              {"first_name": "Before"},
              {"first_name": "Huge", "photos": [{"url": "data:image/png;base64,\(photo)"}]},
              {"first_name": "After", "notes": "brackets in strings: ]}[{ and \\"quotes\\""}
            ]}
            """
        var decoder = JSONPayloadDecoder(recordLimit: 1_000)
        var contacts: [Contact] = []
        // In small pieces, so the oversized contact spans many calls.
        let bytes = Array(text.utf8)
        for start in stride(from: 0, to: bytes.count, by: 97) {
            try decoder.decode(bytes[start..<min(bytes.count, start + 97)], into: &contacts)
        }
        try decoder.finish(into: &contacts)
        #expect(contacts.map(\.firstName) == ["Before", "After"])
        #expect(contacts.last?.notes == #"brackets in strings: ]}[{ and "quotes""#)
        #expect(decoder.skipped.map(\.line) == [3])
        #expect(decoder.skipped.first?.reason.contains("larger than") == true)
    }

    @Test func memoryStaysBoundedWhateverTheFileSize() throws {
        // 20,000 contacts in 1 KiB pieces: the splitter never holds more than a piece
        // and one contact, which the limit of 2 KiB proves (a larger buffer would
        // count as an oversized contact and be skipped).
        var decoder = JSONPayloadDecoder(recordLimit: 2_048)
        var text = "[" + (0..<20_000).map { #"{"first_name": "N\#($0)", "email": [{"address": "n\#($0)@example.com"}]}"# }
            .joined(separator: ",\n") + "]"
        var contacts: [Contact] = []
        try text.withUTF8 { whole in
            let bytes = Array(whole)
            for start in stride(from: 0, to: bytes.count, by: 1024) {
                try decoder.decode(bytes[start..<min(bytes.count, start + 1024)], into: &contacts)
            }
        }
        try decoder.finish(into: &contacts)
        #expect(contacts.count == 20_000)
        #expect(decoder.skipped.isEmpty)
        #expect(contacts.last?.emails.first?.address == "n19999@example.com")
    }

    /// Damaged payloads read the same however the bytes are cut into chunks: the same
    /// contacts and skipped records, or the same error.
    @Test(arguments: 1...4)
    func damagedPayloadsReadTheSameInAnyChunks(seed: UInt64) throws {
        var random = LinearCongruential(seed: seed)
        let original = JSONPayloadEncoder(importID: 1, owner: nil).encode([ada, ada, ada])
        let damage: [UInt8] = Array(#"{}[]",:\ a1-"#.utf8) + [0x00, 0xC3, 0xFF, 0x0A]
        for _ in 0..<150 {
            var bytes = original
            for _ in 0...(random.next() % 3) {
                let at = Int(random.next() % UInt64(bytes.count))
                switch random.next() % 3 {
                case 0: bytes[at] = damage[Int(random.next() % UInt64(damage.count))]
                case 1: bytes.remove(at: at)
                default: bytes.insert(damage[Int(random.next() % UInt64(damage.count))], at: at)
                }
            }
            if random.next() % 5 == 0 { bytes.removeLast(Int(random.next() % UInt64(bytes.count / 2))) }
            let whole = outcome { var decoder = JSONPayloadDecoder(); return (try decoder.decodeAll(bytes), decoder.skipped) }
            let chunked = outcome {
                var decoder = JSONPayloadDecoder()
                var contacts: [Contact] = []
                var start = 0
                while start < bytes.count {
                    let end = min(bytes.count, start + 1 + Int(random.next() % 40))
                    try decoder.decode(bytes[start..<end], into: &contacts)
                    start = end
                }
                try decoder.finish(into: &contacts)
                return (contacts, decoder.skipped)
            }
            #expect(whole == chunked, "\(String(decoding: bytes, as: UTF8.self))")
        }
    }

    private func outcome(_ read: () throws -> ([Contact], [SkippedRecord])) -> String {
        do {
            let (contacts, skipped) = try read()
            return "\(contacts.count) contacts \(contacts.map(\.name)) skipped \(skipped)"
        } catch let error as ImportError {
            return "\(error.code): \(error.detail ?? "")"
        } catch {
            return "unexpected \(error)"
        }
    }

    @Test func errorsBetweenContactsSayWhere() throws {
        var decoder = JSONPayloadDecoder()
        #expect(throws: ImportError(.fileUnparseable, "invalid JSON at line 3, column 2: expected ',' or ']' but found '{'")) {
            try decoder.decodeAll(Array("[\n {\"first_name\": \"A\"}\n {\"first_name\": \"B\"}]".utf8))
        }
        var trailing = JSONPayloadDecoder()
        #expect(throws: ImportError(.fileUnparseable, "invalid JSON at line 1, column 25: a value must follow ','")) {
            try trailing.decodeAll(Array(#"[{"first_name": "A"},   ]"#.utf8))
        }
    }

    @Test func roundTripsEveryField() throws {
        let minimal = Contact(firstName: "Zoë", lastName: "Ångström", emails: [EmailAddress("zoe@example.org", primary: true)],
                              birthday: Birthday(year: nil, month: 2, day: 29))
        let contacts = [ada, minimal]
        let output = JSONPayloadEncoder(importID: 3, owner: ContactsOwner(firstName: "O", emails: [EmailAddress("o@x")])).encode(contacts)
        #expect(try FormatSniffer.sniff(output[...]) == .json)
        let (back, skipped) = try decodeByteByByte(output)
        #expect(skipped.isEmpty)
        #expect(back == contacts)
        // UTF-16 with a byte-order mark reads the same.
        let utf16: [UInt8] = [0xFF, 0xFE] + String(decoding: output, as: UTF8.self).utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let (again, _) = try decodeByteByByte(utf16)
        #expect(again == contacts)
    }

    @Test func throughTheFileReader() throws {
        let output = JSONPayloadEncoder().encode([ada])
        let result = try ContactFileReader(chunkSize: 7).read(bytes: output)
        #expect(result.kind == .json)
        #expect(result.contacts == [ada])
    }
}
