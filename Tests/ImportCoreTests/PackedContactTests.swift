import Testing
@testable import ImportCore

/// Contacts are kept packed; these check that what goes in comes out, whatever its size.
@Suite("Packed contacts")
struct PackedContactTests {
    static let full = ContactFields(
        firstName: "Ana", middleName: "", lastName: "Silva", title: "Dr.", suffix: nil, displayName: "Dr. Ana Silva",
        nickname: "Ani",
        emails: [EmailAddress("ana@example.com", type: "home", primary: true), EmailAddress("a@work.example", type: nil)],
        phones: [PhoneNumber("+351 555 0100", type: "mobile"), PhoneNumber("", type: "", primary: true)],
        addresses: [
            PostalAddress(type: "home", street: "Rua 1", city: "Lisboa", country: "Portugal", primary: true),
            PostalAddress(formatted: "PO Box 7\nPorto"),
        ],
        companies: ["Acme", ""], department: "Research", jobTitle: "Chemist",
        birthday: Birthday(year: nil, month: 2, day: 29), groups: ["Friends", "Book club"],
        photos: [Photo(.data([1, 2, 3], mediaType: "image/png")), Photo(.url("https://ana.example/me.jpg"))],
        urls: [WebAddress("https://ana.example", type: "home"), WebAddress("https://blog.example")],
        notes: "line one\nline two — ünïcödé 佐藤", uid: "uid-1")

    @Test func everyFieldReadsBackAsItWasSet() {
        let contact = Contact(Self.full)
        #expect(contact.fields == Self.full)
        #expect(contact.middleName == "")
        #expect(contact.suffix == nil)
        #expect(contact.phones[1] == PhoneNumber("", type: "", primary: true))
        #expect(contact.addresses[1].formatted == "PO Box 7\nPorto")
        #expect(contact.addresses[1].type == nil)
        #expect(contact.companies == ["Acme", ""])
        #expect(contact.birthday == Birthday(year: nil, month: 2, day: 29))
        #expect(contact.photos.count == 2)
        #expect(Contact().fields == ContactFields())
    }

    /// Writers that cannot write a stray control byte look for one only in the contacts
    /// that say they hold one, so each way of making a contact must say so.
    @Test func aContactSaysWhetherItHoldsAStrayControlByte() {
        #expect(!Contact(Self.full).holdsStrayControlBytes, "line breaks and tabs are text")
        var fields = Self.full
        fields.notes = "tab\there, line\r\nend, \u{1A}\u{1B}"
        #expect(!Contact(fields).holdsStrayControlBytes)
        for stray in ["\u{0}", "\u{8}", "\u{1F}", "\u{7F}"] {
            fields = Self.full
            fields.emails[1].address = "a\(stray)@work.example"
            #expect(Contact(fields).holdsStrayControlBytes, "\(stray.unicodeScalars.first!.value)")
        }
        fields = Self.full
        fields.photos = [Photo(.url("https://ana.example/\u{1}.jpg"))]
        #expect(Contact(fields).holdsStrayControlBytes)
        fields.photos = [Photo(.data([0, 1, 2], mediaType: "image/\u{7F}png"))]
        #expect(Contact(fields).holdsStrayControlBytes)
        fields.photos = [Photo(.data([0, 1, 2], mediaType: "image/png"))]
        #expect(!Contact(fields).holdsStrayControlBytes, "a photo's own bytes are not text")

        var packer = ContactPacker()
        packer[.displayName] = packer.text("Ana\u{2}")
        #expect(packer.makeContact().holdsStrayControlBytes)
        packer[.displayName] = packer.text("Ana")
        #expect(!packer.makeContact().holdsStrayControlBytes)
    }

    /// Writers take a contact's name from its bytes; it must be the name `Contact.name`
    /// builds, East Asian order included.
    @Test func theNameFromTheBytesIsTheContactsName() {
        let names: [(String?, String?, String?)] = [
            ("Ana", nil, "Silva"), ("Ana", "Maria", "Silva"), (nil, nil, "Silva"), ("Ana", nil, nil),
            ("陽菜", nil, "高橋"), ("陽菜", "", "高橋"), ("花子", "・", "佐藤"), ("민준", nil, "김"),
            ("Hina", nil, "高橋"), ("陽菜", nil, "Takahashi"), ("陽菜", "Maria", "高橋"), ("陽 菜", nil, "高橋"),
            (nil, "翔太", "鈴木"), ("", "", ""), ("Zoë", nil, "Ångström"), ("ä", nil, "高"),
            // East Asian without a family name, or with one that starts with a space.
            ("翔太", "陽菜", nil), ("陽菜", nil, " 高橋"), ("陽菜", "·", " 高橋"),
        ]
        for (first, middle, last) in names {
            for nickname in [nil, "Ani"] {
                let contact = Contact(ContactFields(
                    firstName: first, middleName: middle, lastName: last, nickname: nickname,
                    emails: [EmailAddress("a@example.org")]))
                var bytes: [UInt8] = []
                contact.withBytes { $0.appendName(to: &bytes) }
                #expect(String(decoding: bytes, as: UTF8.self) == contact.name, "\(first ?? "-") \(middle ?? "-") \(last ?? "-")")
                #expect(contact.name == contact.fields.name, "\(first ?? "-") \(middle ?? "-") \(last ?? "-")")
            }
        }
    }

    @Test(arguments: [16_382, 16_383, 16_384, 70_000])
    func textsPastTheNarrowLimitReadBack(length: Int) {
        // Around 16 KiB of text the slots change width.
        var fields = Self.full
        fields.notes = String(repeating: "n", count: length - 40) + "ü"
        fields.emails.append(EmailAddress("last@example.com", type: "other"))
        let contact = Contact(fields)
        #expect(contact.fields == fields)
        #expect(contact.emails.last?.address == "last@example.com")
    }

    @Test(arguments: [PackedContact.SlotWidth.narrow, .wide, .huge])
    func slotsReadBackAtTheEdgesOfTheirWidth(width: PackedContact.SlotWidth) {
        // The largest start and length each width must hold: its text limit.
        let limit = width == .narrow ? PackedContact.narrowLimit : width == .wide ? PackedContact.wideLimit : 1 << 40
        let slots = [
            PackedContact.Slot(start: 0, count: 0, absent: true, primary: false),
            PackedContact.Slot(start: limit, count: 0, absent: false, primary: true),
            PackedContact.Slot(start: 0, count: limit, absent: false, primary: false),
            PackedContact.Slot(start: limit / 2, count: limit - limit / 2, absent: true, primary: true),
        ]
        let table = UnsafeMutableRawPointer.allocate(byteCount: slots.count * width.rawValue, alignment: 8)
        defer { table.deallocate() }
        var writer = PackedContact.SlotWriter(table: table, width: width)
        for slot in slots { writer.put(start: slot.start, count: slot.count, absent: slot.absent, primary: slot.primary) }
        #expect(slots.indices.map { PackedContact.readSlot(table, $0, width) } == slots)
    }

    @Test func changingOneFieldKeepsTheOthers() {
        var contact = Contact(Self.full)
        let copy = contact
        contact.nickname = nil
        contact.emails[0].type = "work"
        contact.addresses.removeLast()
        var expected = Self.full
        expected.nickname = nil
        expected.emails[0].type = "work"
        expected.addresses.removeLast()
        #expect(contact.fields == expected)
        #expect(copy.fields == Self.full)
    }

    @Test func equalityFollowsStringsNotBytes() {
        let composed = Contact(firstName: "Jos\u{E9}", emails: [EmailAddress("j@example.com")])
        let decomposed = Contact(firstName: "Jose\u{301}", emails: [EmailAddress("j@example.com")])
        #expect(composed == decomposed)
        #expect(composed.hashValue == decomposed.hashValue)
        #expect(Contact(firstName: "Jose") != Contact(firstName: "Josf"))
        #expect(Contact(firstName: "") != Contact(firstName: nil))
        #expect(Contact(emails: [EmailAddress("a@x", primary: true)]) != Contact(emails: [EmailAddress("a@x")]))
        #expect(Contact(groups: ["a"]) != Contact(companies: ["a"]))
        #expect(Contact(birthday: Birthday(year: 1990, month: 1, day: 2)) != Contact())
    }

    @Test func aPackerGivesTheContactItsValuesDescribe() {
        var packer = ContactPacker()
        packer[.firstName] = packer.text("Ana")
        let silva = Array("Silva".utf8)
        packer[.lastName] = silva.withUnsafeBufferPointer { packer.text(validUTF8: $0) }
        let address = packer.text("ana@example.com")
        packer.emails.append(ContactPacker.LabeledItem(value: address, type: packer.text("home"), primary: true))
        // A label that arrives later replaces the first one.
        packer.emails[0].type = packer.text("work")
        packer.groups.append(packer.text("Friends"))
        var home = ContactPacker.AddressItem()
        home.city = packer.text("Lisboa")
        home.type = packer.text(nil)
        packer.addresses.append(home)
        packer.birthday = Birthday(year: 1990, month: 4, day: 15)
        let filled = !packer.isEmpty
        #expect(filled)
        let contact = packer.makeContact()
        #expect(contact == Contact(
            firstName: "Ana", lastName: "Silva", emails: [EmailAddress("ana@example.com", type: "work", primary: true)],
            addresses: [PostalAddress(city: "Lisboa")], birthday: Birthday(year: 1990, month: 4, day: 15),
            groups: ["Friends"]))
        // The packer starts over.
        let emptied = packer.isEmpty
        #expect(emptied)
        packer[.nickname] = packer.text("Bo")
        #expect(packer.makeContact() == Contact(nickname: "Bo"))
    }

    @Test func aDuplicatedPackerIsIndependent() {
        var packer = ContactPacker()
        packer[.firstName] = packer.text("Ana")
        var copy = packer.duplicate()
        copy[.lastName] = copy.text(String(repeating: "x", count: 5_000))
        packer[.lastName] = packer.text("Silva")
        #expect(packer.makeContact() == Contact(firstName: "Ana", lastName: "Silva"))
        #expect(copy.makeContact() == Contact(firstName: "Ana", lastName: String(repeating: "x", count: 5_000)))
    }

    @Test func theNameIsReadFromThePackedBytesAsFromTheFields() {
        let cases: [ContactFields] = [
            ContactFields(firstName: "Ana", middleName: "Maria", lastName: "Silva"),
            ContactFields(firstName: "", middleName: "Maria", lastName: "Silva", displayName: ""),
            ContactFields(lastName: "Silva"),
            ContactFields(firstName: "佐藤", lastName: "陽菜"),
            ContactFields(firstName: "翔太", middleName: "陽菜"),
            ContactFields(firstName: "陽菜", lastName: " 高橋"),
            ContactFields(displayName: "Dr. Ana", nickname: "Ani"),
            ContactFields(nickname: "Ani", companies: ["Acme"]),
            ContactFields(emails: [EmailAddress("a@x.example")], companies: ["", "Acme"]),
            ContactFields(emails: [EmailAddress("")], phones: [PhoneNumber("555")]),
            ContactFields(phones: [PhoneNumber("555")]),
            ContactFields(),
        ]
        for fields in cases {
            #expect(Contact(fields).name == fields.name)
        }
    }

    @Test func nameAndEmptinessReadThePackedFields() {
        let contact = Contact(Self.full)
        #expect(contact.fields.isEmpty == contact.isEmpty)
        #expect(contact.name == Self.full.name)
        #expect(Contact(emails: [EmailAddress("x@example.com")]).name == "x@example.com")
    }
}

@Suite("Packed contacts: printing")
struct PackedContactPrintingTests {
    @Test func aContactPrintsItsFields() {
        let text = String(describing: Contact(firstName: "Ana", emails: [EmailAddress("ana@example.com")]))
        #expect(text.hasPrefix("Contact(firstName: Optional(\"Ana\")"))
        #expect(text.contains("ana@example.com"))
    }
}
