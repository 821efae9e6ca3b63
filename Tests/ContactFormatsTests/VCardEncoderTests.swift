import Foundation
import ImportCore
import Testing

@testable import ContactFormats

private typealias Support = VCardTestSupport

@Suite("vCard writer")
struct VCardEncoderTests {
    private func text(_ contacts: [Contact], _ version: VCardEncoder.Version = .v3) -> String {
        String(decoding: VCardEncoder(version: version).encode(contacts), as: UTF8.self)
    }

    /// Physical lines without their CRLF.
    private func lines(_ text: String) -> [String] {
        text.components(separatedBy: "\r\n").dropLast().map { $0 }
    }

    /// Logical lines: folding undone.
    private func unfolded(_ text: String) -> [String] {
        lines(text.replacingOccurrences(of: "\r\n ", with: ""))
    }

    @Test func minimalCardHasTheMandatoryProperties() {
        let jane = Contact(firstName: "Jane", lastName: "Doe", uid: "jane-1")
        #expect(text([jane]) == "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Doe;Jane;;;\r\nFN:Jane Doe\r\nUID:jane-1\r\nEND:VCARD\r\n")
        #expect(text([jane], .v4) == "BEGIN:VCARD\r\nVERSION:4.0\r\nN:Doe;Jane;;;\r\nFN:Jane Doe\r\nUID:jane-1\r\nEND:VCARD\r\n")
    }

    @Test func cardsWithoutUIDGetOneDerivedFromTheirContent() throws {
        let jane = Contact(firstName: "Jane", lastName: "Doe")
        let uid = try #require(unfolded(text([jane])).first { $0.hasPrefix("UID:") })
        #expect(uid.wholeMatch(of: /UID:urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/) != nil)
        #expect(unfolded(text([jane])).contains(uid), "the same contact gets the same UID")
        let john = Contact(firstName: "John", lastName: "Doe")
        #expect(!unfolded(text([john])).contains(uid), "another contact gets another UID")
    }

    @Test func formattedNameFallsBackWhenThereIsNoName() {
        #expect(unfolded(text([Contact(displayName: "The Boss", emails: [EmailAddress("b@x.org")])])).contains("FN:The Boss"))
        #expect(unfolded(text([Contact(emails: [EmailAddress("b@x.org")])])).contains("FN:b@x.org"))
        #expect(unfolded(text([Contact(companies: ["Acme"])])).contains("FN:Acme"))
        #expect(unfolded(text([Contact()])).contains("FN:"))
    }

    @Test func escapesTextValues() {
        let contact = Contact(firstName: "A;B", lastName: "C,D", notes: "back\\slash, comma; semi\nnew\r\nline")
        let output = unfolded(text([contact]))
        #expect(output.contains(#"N:C\,D;A\;B;;;"#))
        #expect(output.contains(#"NOTE:back\\slash\, comma\; semi\nnew\nline"#))
    }

    @Test func everyByteToEscapeIsEscapedWhereverItFallsInTheValue() {
        // The scan looks at eight bytes at a time: each special byte at every place of a
        // value longer than a word, next to every other and to bytes that differ from one
        // of them in a single bit.
        let specials = ["\\", ",", ";", "\n", "\r", "\r\n"]
        let neighbours = ["a", "L", "|", "^", "\u{0B}", "\u{8A}", "é"]
        func escaped(_ value: String) -> String {
            value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ",", with: "\\,")
                .replacingOccurrences(of: ";", with: "\\;").replacingOccurrences(of: "\r\n", with: "\\n")
                .replacingOccurrences(of: "\r", with: "\\n").replacingOccurrences(of: "\n", with: "\\n")
        }
        for special in specials {
            for other in specials + neighbours {
                for place in 0..<20 {
                    let note = String(repeating: "x", count: place) + special + other + String(repeating: "y", count: 19 - place)
                    #expect(unfolded(text([Contact(firstName: "X", notes: note)])).contains("NOTE:" + escaped(note)), "\(note.debugDescription)")
                }
            }
        }
    }

    @Test func foldsAt75OctetsWithoutSplittingCharacters() {
        let note = String(repeating: "aé日😀", count: 60)
        let output = text([Contact(firstName: "X", notes: note)])
        for line in lines(output) {
            #expect(line.utf8.count <= 75)
        }
        // Every physical line is valid UTF-8 on its own.
        for line in VCardEncoder().encode([Contact(firstName: "X", notes: note)]).split(separator: UInt8(ascii: "\n")) {
            #expect(Array(line).withUnsafeBufferPointer { UTF8Validation.isValid($0) })
        }
        #expect(unfolded(output).contains("NOTE:" + note))
        #expect(lines(output).filter { $0.hasPrefix(" ") }.count > 5)
    }

    @Test func typeParametersFromLabels() {
        let contact = Contact(
            firstName: "X",
            emails: [EmailAddress("a@x.org", type: ContactLabel.home, primary: true), EmailAddress("b@x.org", type: ContactLabel.work)],
            phones: [
                PhoneNumber("1", type: ContactLabel.mobile, primary: true), PhoneNumber("2", type: ContactLabel.homeFax),
                PhoneNumber("3", type: ContactLabel.workFax), PhoneNumber("4", type: ContactLabel.otherFax),
                PhoneNumber("5", type: ContactLabel.pager), PhoneNumber("6", type: ContactLabel.main),
                PhoneNumber("7"),
            ]
        )
        let v3 = unfolded(text([contact]))
        #expect(v3.contains("EMAIL;TYPE=HOME,PREF:a@x.org"))
        #expect(v3.contains("EMAIL;TYPE=WORK:b@x.org"))
        #expect(v3.contains("TEL;TYPE=CELL,PREF:1"))
        #expect(v3.contains("TEL;TYPE=HOME,FAX:2"))
        #expect(v3.contains("TEL;TYPE=WORK,FAX:3"))
        #expect(v3.contains("TEL;TYPE=FAX:4"))
        #expect(v3.contains("TEL;TYPE=PAGER:5"))
        #expect(v3.contains("TEL;TYPE=MAIN:6"))
        #expect(v3.contains("TEL:7"))
        let v4 = unfolded(text([contact], .v4))
        #expect(v4.contains("EMAIL;TYPE=home;PREF=1:a@x.org"))
        #expect(v4.contains("TEL;TYPE=cell;PREF=1:1"))
        #expect(v4.contains("TEL;TYPE=home,fax:2"))
    }

    @Test func customLabelsUseAppleGroups() {
        let contact = Contact(
            firstName: "X", emails: [EmailAddress("gym@x.org", type: "Gym, Pool", primary: true)],
            phones: [PhoneNumber("1", type: "Assistant")], urls: [WebAddress("https://x.org", type: "Blog")]
        )
        let output = unfolded(text([contact]))
        #expect(output.contains("item1.EMAIL;TYPE=PREF:gym@x.org"))
        #expect(output.contains(#"item1.X-ABLabel:Gym\, Pool"#))
        #expect(output.contains("item2.TEL:1"))
        #expect(output.contains("item2.X-ABLabel:Assistant"))
        #expect(output.contains("item3.URL:https://x.org"))
        #expect(output.contains("item3.X-ABLabel:Blog"))
    }

    @Test func addressesWithFormattedText() {
        let address = PostalAddress(type: ContactLabel.work, street: "1 Main St", city: "Springfield", country: "USA",
                                    formatted: "1 Main St\nSpringfield \"HQ\" ^", primary: true)
        let v3 = unfolded(text([Contact(firstName: "X", addresses: [address])]))
        #expect(v3.contains("item1.ADR;TYPE=WORK,PREF:;;1 Main St;Springfield;;;USA"))
        #expect(v3.contains(#"item1.LABEL;TYPE=WORK:1 Main St\nSpringfield "HQ" ^"#))
        let v4 = unfolded(text([Contact(firstName: "X", addresses: [address])], .v4))
        #expect(v4.contains(#"ADR;TYPE=work;PREF=1;LABEL="1 Main St^nSpringfield ^'HQ^' ^^":;;1 Main St;Springfield;;;USA"#))
    }

    @Test func organisationsTitleAndCategories() {
        let contact = Contact(firstName: "X", companies: ["Acme, Inc.", "Side Gig"], department: "R&D; Labs",
                              jobTitle: "Boss", groups: ["Friends", "Book club, Tuesdays", ""])
        let output = unfolded(text([contact]))
        #expect(output.contains(#"ORG:Acme\, Inc.;R&D\; Labs"#))
        #expect(output.contains("ORG:Side Gig"))
        #expect(output.contains("TITLE:Boss"))
        #expect(output.contains(#"CATEGORIES:Friends,Book club\, Tuesdays"#))
        #expect(unfolded(text([Contact(firstName: "X", department: "Ops")])).contains("ORG:;Ops"))
    }

    @Test func birthdays() {
        let full = Contact(firstName: "X", birthday: Birthday(year: 1985, month: 4, day: 5))
        let yearless = Contact(firstName: "X", birthday: Birthday(year: nil, month: 12, day: 31))
        #expect(unfolded(text([full])).contains("BDAY:1985-04-05"))
        #expect(unfolded(text([yearless])).contains("BDAY:--12-31"))
        #expect(unfolded(text([full], .v4)).contains("BDAY:19850405"))
        #expect(unfolded(text([yearless], .v4)).contains("BDAY:--1231"))
    }

    @Test func photos() {
        let contact = Contact(firstName: "X", photos: [
            Photo(.data([0xFF, 0xD8, 0xFF], mediaType: "image/jpeg")), Photo(.data([1, 2], mediaType: nil)),
            Photo(.url("https://x.org/p.png")),
        ])
        let v3 = unfolded(text([contact]))
        #expect(v3.contains("PHOTO;ENCODING=b;TYPE=JPEG:/9j/"))
        #expect(v3.contains("PHOTO;ENCODING=b:AQI="))
        #expect(v3.contains("PHOTO;VALUE=uri:https://x.org/p.png"))
        let v4 = unfolded(text([contact], .v4))
        #expect(v4.contains("PHOTO:data:image/jpeg;base64,/9j/"))
        #expect(v4.contains("PHOTO:data:;base64,AQI="))
        #expect(v4.contains("PHOTO:https://x.org/p.png"))
    }

    @Test(arguments: [VCardEncoder.Version.v3, .v4])
    func roundTripsEveryField(_ version: VCardEncoder.Version) throws {
        let contacts = Support.richContacts()
        let bytes = VCardEncoder(version: version).encode(contacts)
        let decoded = try Support.decode(bytes)
        #expect(decoded.skipped.isEmpty)
        #expect(decoded.contacts.count == contacts.count)
        for (read, written) in zip(decoded.contacts, contacts) {
            #expect(Support.withoutDerivedUID(read, written: written) == written)
        }
        // The same through small chunks.
        let chunked = try Support.decode(bytes, chunkSizes: [1, 2, 5, 64]).contacts
        #expect(zip(chunked, contacts).map { Support.withoutDerivedUID($0, written: $1) } == contacts)
    }

    @Test(arguments: [VCardEncoder.Version.v3, .v4])
    func roundTripsGeneratedAddressBook(_ version: VCardEncoder.Version) throws {
        var generator = Support.Generator(state: 99)
        let words = ["Anna", "José", "Zoë", "李", "Олег", "O'Brien", "a,b", "c;d", "e\\f", "x\ny", "Ñ"]
        func word() -> String { words[generator.next(below: words.count)] }
        let labels: [String?] = [nil, ContactLabel.home, ContactLabel.work, ContactLabel.mobile, ContactLabel.homeFax, "Custom, label"]
        func label() -> String? { labels[generator.next(below: labels.count)] }
        let contacts: [Contact] = (0..<200).map { index in
            var contact = Contact(firstName: word(), lastName: word())
            contact.emails = (0..<generator.next(below: 3)).map { EmailAddress("u\(index)-\($0)@example.com", type: label(), primary: $0 == 0) }
            contact.phones = (0..<generator.next(below: 3)).map { PhoneNumber("+1 555 \($0)\(index)", type: label()) }
            if index % 3 == 0 {
                contact.addresses = [PostalAddress(type: label(), street: word(), city: word(), postalCode: "\(index)", country: word())]
            }
            if index % 4 == 0 { contact.companies = [word()] }
            if index % 5 == 0 { contact.birthday = Birthday(year: index % 2 == 0 ? nil : 1950 + index % 50, month: index % 12 + 1, day: index % 28 + 1) }
            if index % 6 == 0 { contact.notes = word() + "\n" + word() }
            contact.groups = index % 2 == 0 ? [word()] : []
            return contact
        }
        let decoded = try Support.decode(VCardEncoder(version: version).encode(contacts)).contacts
        #expect(zip(decoded, contacts).map { Support.withoutDerivedUID($0, written: $1) } == contacts)
    }
}

/// Other clients must read what we write: Python's vobject and khard, which the test
/// command installs (`scripts/test`); a missing reader fails the test rather than skipping it.
@Suite("vCard writer: read back by vobject and khard")
struct VCardInteropTests {
    static let python: String? = {
        for candidate in ["/usr/bin/python3", "/usr/local/bin/python3"] + pathCandidates("python3")
        where FileManager.default.isExecutableFile(atPath: candidate) {
            if run(candidate, ["-c", "import vobject"]).status == 0 { return candidate }
        }
        return nil
    }()

    static let khard: String? = pathCandidates("khard").first { FileManager.default.isExecutableFile(atPath: $0) }

    static func pathCandidates(_ name: String) -> [String] {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/\(name)" }
    }

    @discardableResult
    static func run(_ executable: String, _ arguments: [String], in directory: URL? = nil) -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { return (-1, "\(error)") }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("vcard-interop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test(arguments: [VCardEncoder.Version.v3, .v4])
    func vobjectReadsOurOutput(_ version: VCardEncoder.Version) throws {
        let python = try #require(Self.python, "Python with vobject is not installed (scripts/test installs it)")
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("out.vcf")
        try Data(VCardEncoder(version: version).encode(Support.richContacts())).write(to: file)
        let script = """
            import sys, vobject
            cards = list(vobject.readComponents(open(sys.argv[1], encoding="utf-8").read()))
            c = cards[0]
            print(len(cards))
            print(c.fn.value)
            print(c.n.value.family, "|", c.n.value.given, "|", c.n.value.suffix)
            print(c.org.value)
            print(sorted(e.value for e in c.contents["email"]))
            print(c.note.value)
            print(cards[2].fn.value)
            """
        let result = Self.run(python, ["-c", script, file.path])
        #expect(result.status == 0, "\(result.output)")
        let lines = result.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "4")
        #expect(lines.dropFirst().first == "Dr. Zoë \"Zo\" Müller")
        #expect(lines.dropFirst(2).first == "Müller-Lüdenscheidt | Zoë | Jr., PhD")
        #expect(lines.dropFirst(3).first == "['Acme, Inc.', 'R&D\\\\Labs']")
        #expect(result.output.contains("'gym@example.net'"))
        #expect(result.output.contains("Line one, with comma; and semicolon\nLine two \\ backslash\n\n日本語のメモ – ok"))
        #expect(lines.last(where: { !$0.isEmpty }) == "only@example.com")
    }

    @Test(arguments: [VCardEncoder.Version.v3, .v4])
    func khardReadsOurOutput(_ version: VCardEncoder.Version) throws {
        let khard = try #require(Self.khard, "khard is not installed (scripts/test installs it)")
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let book = directory.appendingPathComponent("book")
        try FileManager.default.createDirectory(at: book, withIntermediateDirectories: true)
        // khard reads a vdir: one card per file.
        for (index, var contact) in Support.richContacts().enumerated() {
            contact.uid = contact.uid ?? "uid-\(index)"  // khard ignores cards without a UID
            if index == 0 {
                // khard parses year-less dates in 1900, which has no 29 February.
                contact.birthday = Birthday(year: nil, month: 12, day: 31)
            }
            try Data(VCardEncoder(version: version).encode([contact])).write(to: book.appendingPathComponent("\(index).vcf"))
        }
        let config = directory.appendingPathComponent("khard.conf")
        try """
            [addressbooks]
            [[contacts]]
            path = \(book.path)/
            [general]
            debug = no
            default_action = list
            editor = /bin/true
            merge_editor = /bin/true
            [contact table]
            display = first_name
            group_by_addressbook = no
            reverse = no
            show_nicknames = no
            show_uids = no
            sort = last_name
            localize_dates = no
            preferred_phone_number_type = pref, cell, home
            preferred_email_address_type = pref, work, home
            [vcard]
            private_objects = Jabber, Skype, Twitter
            preferred_version = \(version.rawValue)
            search_in_source_files = no
            skip_unparsable = no
            """.write(to: config, atomically: true, encoding: .utf8)
        let emails = Self.run(khard, ["-c", config.path, "email", "-a", "contacts", "--parsable"], in: directory)
        #expect(emails.status == 0, "\(emails.output)")
        // khard shows the name from N (display = first_name), and the X-ABLabel as the type.
        #expect(emails.output.contains("zoe@example.com\tZoë Ångström Müller-Lüdenscheidt\t"))
        #expect(emails.output.contains("gym@example.net\tZoë Ångström Müller-Lüdenscheidt\tGym, Pool & Sauna"))
        #expect(emails.output.contains("only@example.com"))
        #expect(emails.output.contains("bruce@example.cn\t李 小龍"))
        let birthdays = Self.run(khard, ["-c", config.path, "birthdays", "-a", "contacts", "--parsable"], in: directory)
        #expect(birthdays.status == 0, "\(birthdays.output)")
        #expect(birthdays.output.contains("1940.11.27\t李 小龍"))
        #expect(birthdays.output.contains("12.31\tZoë Ångström Müller-Lüdenscheidt"))
    }
}
