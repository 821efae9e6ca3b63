import Foundation
import ImportCore
@testable import ContactFormats

/// Shared helpers for the vCard reader and writer tests.
enum VCardTestSupport {
    /// The writer gives every card a UID; a contact that had none reads back with the
    /// derived one, which is the only difference a round trip may show.
    static func withoutDerivedUID(_ read: Contact, written: Contact) -> Contact {
        var read = read
        if written.uid == nil, read.uid?.hasPrefix("urn:uuid:") == true { read.uid = nil }
        return read
    }

    struct Decoded {
        var contacts: [Contact]
        var skipped: [SkippedRecord]
    }

    static func decode(_ text: String, lineLimit: Int? = nil) throws -> Decoded {
        try decode(Array(text.utf8), lineLimit: lineLimit)
    }

    static func decode(_ bytes: [UInt8], lineLimit: Int? = nil) throws -> Decoded {
        var decoder = lineLimit.map { VCardDecoder(lineLimit: $0) } ?? VCardDecoder()
        let contacts = try decoder.decodeAll(bytes)
        return Decoded(contacts: contacts, skipped: decoder.skipped)
    }

    /// Feeds `bytes` in pieces whose sizes come from `sizes` (cycled).
    static func decode(_ bytes: [UInt8], chunkSizes sizes: [Int]) throws -> Decoded {
        var decoder = VCardDecoder()
        var contacts: [Contact] = []
        var offset = 0
        var turn = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + max(1, sizes[turn % sizes.count]))
            contacts += try decoder.decode(bytes[offset..<end])
            offset = end
            turn += 1
        }
        contacts += try decoder.finish()
        return Decoded(contacts: contacts, skipped: decoder.skipped)
    }

    /// The single contact of a one-card input.
    static func contact(_ text: String) throws -> Contact {
        let decoded = try decode(text)
        guard decoded.contacts.count == 1 else {
            throw ImportError(.fileUnparseable, "expected one contact, got \(decoded.contacts.count); skipped \(decoded.skipped)")
        }
        return decoded.contacts[0]
    }

    /// `BEGIN:VCARD` … `END:VCARD` around `body` (one property per line).
    static func card(_ version: String = "3.0", _ body: String) -> String {
        "BEGIN:VCARD\r\nVERSION:\(version)\r\n" + body.split(separator: "\n", omittingEmptySubsequences: false)
            .joined(separator: "\r\n") + "\r\nEND:VCARD\r\n"
    }

    /// The package root, found from this file so tests run from any directory.
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func corpusFile(_ name: String) throws -> [UInt8] {
        let url = packageRoot.appendingPathComponent("../shared/corpora/vcard/ez-vcard/\(name)").standardizedFileURL
        return [UInt8](try Data(contentsOf: url))
    }

    static let corpusNames = [
        "John_Doe_ANDROID.vcf", "John_Doe_EVOLUTION.vcf", "John_Doe_GMAIL.vcf", "John_Doe_IPHONE.vcf",
        "John_Doe_MAC_ADDRESS_BOOK.vcf", "John_Doe_MS_OUTLOOK.vcf", "fullcontact.vcf", "gmail-list.vcf",
        "outlook-2003.vcf", "rfc6350-example.vcf", "thunderbird-MoreFunctionsForAddressBook-extension.vcf",
    ]

    /// A small deterministic generator for fuzz inputs and chunk sizes.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func next(below bound: Int) -> Int { Int(next() % UInt64(bound)) }
    }

    /// A contact that uses every field the vCard writer can carry, with the characters
    /// that need escaping or careful folding.
    static func richContacts() -> [Contact] {
        let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0] + (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 7) } + [0xFF, 0xD9]
        var first = Contact(
            firstName: "Zoë", middleName: "Ångström", lastName: "Müller-Lüdenscheidt", title: "Dr.", suffix: "Jr., PhD",
            displayName: "Dr. Zoë \"Zo\" Müller", nickname: "Zo; the boss",
            emails: [
                EmailAddress("zoe@example.com", type: ContactLabel.home, primary: true),
                EmailAddress("zoe@work.example.org", type: ContactLabel.work),
                EmailAddress("gym@example.net", type: "Gym, Pool & Sauna"),
                EmailAddress("plain@example.com"),
            ],
            phones: [
                PhoneNumber("+49 (30) 123-456", type: ContactLabel.mobile, primary: true),
                PhoneNumber("+49 30 999", type: ContactLabel.homeFax),
                PhoneNumber("+49 30 998", type: ContactLabel.workFax),
                PhoneNumber("+49 30 997", type: ContactLabel.otherFax),
                PhoneNumber("555-PAGE", type: ContactLabel.pager),
                PhoneNumber("555-MAIN", type: ContactLabel.main),
                PhoneNumber("555-OTHER", type: ContactLabel.other),
                PhoneNumber("555 1234;ext=5", type: "Assistant"),
            ],
            addresses: [
                PostalAddress(
                    type: ContactLabel.home, poBox: "PO 7", extended: "Apt 3; rear", street: "12 Rue de l'Église, Bât. B",
                    city: "Montréal", region: "QC", postalCode: "H2X 1Y4", country: "Canada",
                    formatted: "12 Rue de l'Église\nMontréal QC H2X 1Y4\nCanada", primary: true
                ),
                PostalAddress(type: "Holiday \"cottage\"", street: "1 Strand", city: "Skagen", country: "Denmark"),
                PostalAddress(type: ContactLabel.work, formatted: "東京都千代田区丸の内1-1\n100-0005 日本 ^ caret"),
            ],
            companies: ["Acme, Inc.", "Umbrella; Research"], department: "R&D\\Labs", jobTitle: "Chief Tinkerer",
            birthday: Birthday(year: nil, month: 2, day: 29), groups: ["Friends", "Book club, Tuesdays", "家族"],
            photos: [
                Photo(.data(jpeg, mediaType: "image/jpeg")),
                Photo(.url("https://example.com/photos/zoe.png?size=large&x=1")),
            ],
            urls: [WebAddress("https://zoe.example.com/", type: ContactLabel.home), WebAddress("https://blog.example.com/zoe", type: "Blog")],
            notes: "Line one, with comma; and semicolon\nLine two \\ backslash\n\n日本語のメモ – ok",
            uid: "urn:uuid:6B29A774-D124-4822-B8D0-2780EC117F60"
        )
        first.emails.append(EmailAddress("李@例え.jp", type: ContactLabel.other))

        let second = Contact(
            firstName: "李", lastName: "小龍", emails: [EmailAddress("bruce@example.cn")],
            birthday: Birthday(year: 1940, month: 11, day: 27), groups: ["功夫"],
            photos: [Photo(.data([0x89, 0x50, 0x4E, 0x47, 1, 2, 3], mediaType: "image/png"))]
        )
        // No name at all: FN falls back to the email, and must not come back as a display name.
        let third = Contact(emails: [EmailAddress("only@example.com", type: ContactLabel.work)])
        // Department without a company, and a very long unbroken value.
        let fourth = Contact(
            firstName: "Long", department: "Ops",
            urls: [WebAddress("https://example.com/" + String(repeating: "a", count: 200))],
            notes: String(repeating: "ü0123456789", count: 40)
        )
        return [first, second, third, fourth]
    }
}

/// `text` in UTF-16 with its byte-order mark, as Windows programs write it.
func utf16(_ text: String, bigEndian: Bool) -> [UInt8] {
    var out: [UInt8] = bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
    for unit in text.utf16 {
        let pair = [UInt8(unit & 0xFF), UInt8(unit >> 8)]
        out += bigEndian ? pair.reversed() : pair
    }
    return out
}
