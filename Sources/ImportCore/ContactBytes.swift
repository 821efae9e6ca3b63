/// A read-only view of a contact's packed UTF-8 texts, for writers: each text is a
/// buffer pointing into the contact's one allocation, so a writer copies bytes straight
/// into its output without building a `String` or an array for any field.
///
/// Valid only inside `Contact.withBytes(_:)`, which keeps the contact alive meanwhile.
/// An absent text is `nil`; lists (emails, phones…) are read by index.
///
/// Public and inlinable, though only our own modules use it: writers read a few fields of
/// every contact, and the compiler inlines a `package` declaration only within its
/// module, which left each read a call.
public struct ContactBytes {
    public typealias Text = UnsafeBufferPointer<UInt8>

    /// An email, phone or web address: its value (empty when absent), label and flag.
    public struct Item {
        public var value: Text
        public var type: Text?
        public var primary: Bool

        @inlinable
        init(value: Text, type: Text?, primary: Bool) {
            self.value = value
            self.type = type
            self.primary = primary
        }
    }

    /// A postal address's parts, in the vCard `ADR` order plus label and formatted text.
    public struct Address {
        public var type: Text?
        public var poBox: Text?
        public var extended: Text?
        public var street: Text?
        public var city: Text?
        public var region: Text?
        public var postalCode: Text?
        public var country: Text?
        public var formatted: Text?
        public var primary: Bool

        @inlinable
        init(
            type: Text?, poBox: Text?, extended: Text?, street: Text?, city: Text?, region: Text?, postalCode: Text?,
            country: Text?, formatted: Text?, primary: Bool
        ) {
            self.type = type
            self.poBox = poBox
            self.extended = extended
            self.street = street
            self.city = city
            self.region = region
            self.postalCode = postalCode
            self.country = country
            self.formatted = formatted
            self.primary = primary
        }

        /// As `PostalAddress.isEmpty`: no part but the label holds text.
        public var isEmpty: Bool {
            [poBox, extended, street, city, region, postalCode, country, formatted].allSatisfy { ($0?.count ?? 0) == 0 }
        }
    }

    // Not a strong reference: the view lives only within `Contact.withBytes`, which keeps
    // the contact alive, and its pointers into the storage would not outlive it anyway. A
    // strong one cost a retain and a release for each contact a writer wrote.
    @usableFromInline unowned(unsafe) let contact: PackedContact
    @usableFromInline let table: UnsafeRawPointer
    @usableFromInline let text: UnsafePointer<UInt8>
    @usableFromInline let width: PackedContact.SlotWidth
    /// Says which scalar fields have a slot: an absent one has none (see `PackedContact`).
    @usableFromInline let scalars: UInt16
    public let emailCount: Int
    public let phoneCount: Int
    public let addressCount: Int
    public let companyCount: Int
    public let groupCount: Int
    public let urlCount: Int
    @usableFromInline let emailBase: Int
    @usableFromInline let phoneBase: Int
    @usableFromInline let addressBase: Int
    @usableFromInline let companyBase: Int
    @usableFromInline let groupBase: Int
    @usableFromInline let urlBase: Int
    public let birthday: Birthday?
    public let hasPhotos: Bool

    /// Reads the header in place: a copy of it would retain and release its photos.
    @usableFromInline
    init(_ contact: PackedContact, elements: UnsafePointer<UInt8>) {
        self.contact = contact
        table = UnsafeRawPointer(elements)
        (width, scalars, emailCount, phoneCount, addressCount, companyCount, groupCount, urlCount, birthday, hasPhotos, text) =
            contact.withUnsafeMutablePointerToHeader { header in
                let header = UnsafePointer(header)
                return (
                    header.pointee.width, header.pointee.scalars, Int(header.pointee.emailCount),
                    Int(header.pointee.phoneCount), Int(header.pointee.addressCount), Int(header.pointee.companyCount),
                    Int(header.pointee.groupCount), Int(header.pointee.urlCount), header.pointee.birthday,
                    !header.pointee.photos.isEmpty, elements + header.pointee.slotCount * header.pointee.slotSize)
            }
        emailBase = scalars.nonzeroBitCount
        phoneBase = emailBase + 2 * emailCount
        addressBase = phoneBase + 2 * phoneCount
        companyBase = addressBase + PackedContact.addressSlots * addressCount
        groupBase = companyBase + companyCount
        urlBase = groupBase + groupCount
    }

    /// Photos keep storage of their own (see `PackedContact`).
    public var photos: [Photo] { contact.header.photos }

    @inlinable @inline(__always)
    func slot(_ index: Int) -> (text: Text?, primary: Bool) {
        let slot = PackedContact.readSlot(table, index, width)
        return (slot.absent ? nil : Text(start: text + slot.start, count: slot.count), slot.primary)
    }

    @inlinable @inline(__always)
    public func text(_ field: ContactPacker.Field) -> Text? {
        PackedContact.slotIndex(field, scalars: scalars).flatMap { slot($0).text }
    }

    /// The field's bytes, empty when absent.
    @inlinable @inline(__always)
    public func bytes(_ field: ContactPacker.Field) -> Text { text(field) ?? Text(start: nil, count: 0) }

    @inlinable @inline(__always)
    func item(_ index: Int) -> Item {
        let value = slot(index)
        return Item(value: value.text ?? Text(start: nil, count: 0), type: slot(index + 1).text, primary: value.primary)
    }

    @inlinable public func email(_ index: Int) -> Item { item(emailBase + 2 * index) }
    @inlinable public func phone(_ index: Int) -> Item { item(phoneBase + 2 * index) }
    @inlinable public func url(_ index: Int) -> Item { item(urlBase + 2 * index) }
    @inlinable public func company(_ index: Int) -> Text { slot(companyBase + index).text ?? Text(start: nil, count: 0) }
    @inlinable public func group(_ index: Int) -> Text { slot(groupBase + index).text ?? Text(start: nil, count: 0) }

    @inlinable
    public func address(_ index: Int) -> Address {
        let base = addressBase + PackedContact.addressSlots * index
        let type = slot(base)
        return Address(
            type: type.text, poBox: slot(base + 1).text, extended: slot(base + 2).text, street: slot(base + 3).text,
            city: slot(base + 4).text, region: slot(base + 5).text, postalCode: slot(base + 6).text,
            country: slot(base + 7).text, formatted: slot(base + 8).text, primary: type.primary)
    }

    /// The index of the primary email, else of the first (as `Contact.primaryEmail`).
    @inlinable public var primaryEmailIndex: Int? { primaryIndex(count: emailCount, base: emailBase) }
    /// The index of the primary phone, else of the first (as `Contact.primaryPhone`).
    @inlinable public var primaryPhoneIndex: Int? { primaryIndex(count: phoneCount, base: phoneBase) }

    @inlinable
    func primaryIndex(count: Int, base: Int) -> Int? {
        guard count > 0 else { return nil }
        for index in 0..<count where slot(base + 2 * index).primary { return index }
        return 0
    }

    /// Appends `Contact.name` (the display name, else the joined name parts, else the
    /// nickname, company, email or phone), from the bytes where the name is not written
    /// in East Asian order.
    package func appendName(to output: inout [UInt8]) {
        let display = bytes(.displayName)
        if display.count > 0 { return output.append(contentsOf: display) }
        let first = bytes(.firstName), middle = bytes(.middleName), last = bytes(.lastName)
        let present = (first.isEmpty ? 0 : 1) + (middle.isEmpty ? 0 : 1) + (last.isEmpty ? 0 : 1)
        // As `PersonName.joined`: parts all written in East Asian scripts go family name
        // first, without spaces.
        if present > 1, PersonName.allEastAsian(first: first, middle: middle, last: last) {
            output.append(contentsOf: last)
            output.append(contentsOf: first)
            return output.append(contentsOf: middle)
        }
        if present > 0 {
            // Three appends, not a loop over an array of the parts, which would be allocated.
            var joined = false
            func appendPart(_ part: Text) {
                guard !part.isEmpty else { return }
                if joined { output.append(0x20) }
                output.append(contentsOf: part)
                joined = true
            }
            appendPart(first)
            appendPart(middle)
            appendPart(last)
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
    @inlinable
    public func withBytes<Result>(_ body: (ContactBytes) throws -> Result) rethrows -> Result {
        try storage.withUnsafeMutablePointerToElements { elements in
            try body(ContactBytes(storage, elements: UnsafePointer(elements)))
        }
    }
}
