/// A read-only view of a contact's packed UTF-8 texts, for writers: each text is a
/// buffer pointing into the contact's one allocation, so a writer copies bytes straight
/// into its output without building a `String` or an array for any field.
///
/// Valid only inside `Contact.withBytes(_:)`, which keeps the contact alive meanwhile.
/// An absent text is `nil`; lists (emails, phones…) are read by index.
package struct ContactBytes {
    package typealias Text = UnsafeBufferPointer<UInt8>

    /// An email, phone or web address: its value (empty when absent), label and flag.
    package struct Item {
        package var value: Text
        package var type: Text?
        package var primary: Bool
    }

    /// A postal address's parts, in the vCard `ADR` order plus label and formatted text.
    package struct Address {
        package var type: Text?
        package var poBox: Text?
        package var extended: Text?
        package var street: Text?
        package var city: Text?
        package var region: Text?
        package var postalCode: Text?
        package var country: Text?
        package var formatted: Text?
        package var primary: Bool

        /// As `PostalAddress.isEmpty`: no part but the label holds text.
        package var isEmpty: Bool {
            [poBox, extended, street, city, region, postalCode, country, formatted].allSatisfy { ($0?.count ?? 0) == 0 }
        }
    }

    private let contact: PackedContact
    private let table: UnsafeRawPointer
    private let text: UnsafePointer<UInt8>
    private let width: PackedContact.SlotWidth
    /// Says which scalar fields have a slot: an absent one has none (see `PackedContact`).
    private let scalars: UInt16
    package let emailCount: Int
    package let phoneCount: Int
    package let addressCount: Int
    package let companyCount: Int
    package let groupCount: Int
    package let urlCount: Int
    private let emailBase: Int
    private let phoneBase: Int
    private let addressBase: Int
    private let companyBase: Int
    private let groupBase: Int
    private let urlBase: Int
    package let birthday: Birthday?
    package let hasPhotos: Bool

    fileprivate init(_ contact: PackedContact, elements: UnsafePointer<UInt8>) {
        let header = contact.header
        self.contact = contact
        table = UnsafeRawPointer(elements)
        text = elements + header.slotCount * header.slotSize
        width = header.width
        scalars = header.scalars
        emailCount = Int(header.emailCount)
        phoneCount = Int(header.phoneCount)
        addressCount = Int(header.addressCount)
        companyCount = Int(header.companyCount)
        groupCount = Int(header.groupCount)
        urlCount = Int(header.urlCount)
        emailBase = header.emailBase
        phoneBase = header.phoneBase
        addressBase = header.addressBase
        companyBase = header.companyBase
        groupBase = header.groupBase
        urlBase = header.urlBase
        birthday = header.birthday
        hasPhotos = !header.photos.isEmpty
    }

    /// Photos keep storage of their own (see `PackedContact`).
    package var photos: [Photo] { contact.header.photos }

    @inline(__always)
    private func slot(_ index: Int) -> (text: Text?, primary: Bool) {
        let slot = PackedContact.readSlot(table, index, width)
        return (slot.absent ? nil : Text(start: text + slot.start, count: slot.count), slot.primary)
    }

    @inline(__always)
    package func text(_ field: ContactPacker.Field) -> Text? {
        PackedContact.slotIndex(field, scalars: scalars).flatMap { slot($0).text }
    }

    /// The field's bytes, empty when absent.
    @inline(__always)
    package func bytes(_ field: ContactPacker.Field) -> Text { text(field) ?? Text(start: nil, count: 0) }

    @inline(__always)
    private func item(_ index: Int) -> Item {
        let value = slot(index)
        return Item(value: value.text ?? Text(start: nil, count: 0), type: slot(index + 1).text, primary: value.primary)
    }

    package func email(_ index: Int) -> Item { item(emailBase + 2 * index) }
    package func phone(_ index: Int) -> Item { item(phoneBase + 2 * index) }
    package func url(_ index: Int) -> Item { item(urlBase + 2 * index) }
    package func company(_ index: Int) -> Text { slot(companyBase + index).text ?? Text(start: nil, count: 0) }
    package func group(_ index: Int) -> Text { slot(groupBase + index).text ?? Text(start: nil, count: 0) }

    package func address(_ index: Int) -> Address {
        let base = addressBase + PackedContact.addressSlots * index
        let type = slot(base)
        return Address(
            type: type.text, poBox: slot(base + 1).text, extended: slot(base + 2).text, street: slot(base + 3).text,
            city: slot(base + 4).text, region: slot(base + 5).text, postalCode: slot(base + 6).text,
            country: slot(base + 7).text, formatted: slot(base + 8).text, primary: type.primary)
    }

    /// The index of the primary email, else of the first (as `Contact.primaryEmail`).
    package var primaryEmailIndex: Int? { primaryIndex(count: emailCount, of: email) }
    /// The index of the primary phone, else of the first (as `Contact.primaryPhone`).
    package var primaryPhoneIndex: Int? { primaryIndex(count: phoneCount, of: phone) }

    private func primaryIndex(count: Int, of item: (Int) -> Item) -> Int? {
        guard count > 0 else { return nil }
        return (0..<count).first { item($0).primary } ?? 0
    }

    /// Appends `Contact.name` (the display name, else the joined name parts, else the
    /// nickname, company, email or phone), from the bytes where the name is not written
    /// in East Asian order.
    package func appendName(to output: inout [UInt8]) {
        let display = bytes(.displayName)
        if display.count > 0 { return output.append(contentsOf: display) }
        let first = bytes(.firstName), middle = bytes(.middleName), last = bytes(.lastName)
        let present = (first.isEmpty ? 0 : 1) + (middle.isEmpty ? 0 : 1) + (last.isEmpty ? 0 : 1)
        if present > 1, let initial = last.first, PersonName.mayBeEastAsian(firstByte: initial) {
            return output.append(contentsOf: contact.name.utf8)
        }
        if present > 0 {
            var joined = false
            for part in [first, middle, last] where !part.isEmpty {
                if joined { output.append(0x20) }
                output.append(contentsOf: part)
                joined = true
            }
            return
        }
        let nickname = bytes(.nickname)
        if nickname.count > 0 { return output.append(contentsOf: nickname) }
        if companyCount > 0, company(0).count > 0 { return output.append(contentsOf: company(0)) }
        if emailCount > 0 { return output.append(contentsOf: email(0).value) }
        if phoneCount > 0 { return output.append(contentsOf: phone(0).value) }
    }
}

extension Contact {
    /// Lends the contact's bytes to `body`; the view must not outlive the call.
    package func withBytes<Result>(_ body: (ContactBytes) throws -> Result) rethrows -> Result {
        try storage.withUnsafeMutablePointerToElements { elements in
            try body(ContactBytes(storage, elements: UnsafePointer(elements)))
        }
    }
}
