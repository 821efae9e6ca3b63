/// A contact's texts packed into one allocation: a table of slots, then the UTF-8 bytes
/// of every text back to back. An import holds every contact in memory at once, and one
/// block of about the size of its text costs far less to make, keep and free than a
/// dozen strings and arrays, each with its own header and allocation.
///
/// Slots come in a fixed order: the scalar fields (`PackedContact.Field`), then two per
/// email (address, type), two per phone (number, type), nine per postal address (type,
/// poBox, extended, street, city, region, postalCode, country, formatted), one per
/// company, one per group and two per web address (url, type). Each slot is a 32-bit
/// word: where its text ends, a bit for "absent" (nil) and one for "primary" (on the
/// first slot of an email, phone or address).
///
/// Never changed after it is made, so contacts and threads can share one (which is why
/// `Contact` may be `Sendable` although `ManagedBuffer` is not).
final class PackedContact: ManagedBuffer<PackedContact.Header, UInt8> {
    struct Header {
        var emailCount: UInt32 = 0
        var phoneCount: UInt32 = 0
        var addressCount: UInt32 = 0
        var companyCount: UInt32 = 0
        var groupCount: UInt32 = 0
        var urlCount: UInt32 = 0
        var textLength: UInt32 = 0
        var birthday: Birthday?
        /// Photos can be inline pictures of many kilobytes; they keep their own storage.
        var photos: [Photo] = []

        var slotCount: Int {
            Field.count + 2 * Int(emailCount) + 2 * Int(phoneCount) + PackedContact.addressSlots * Int(addressCount)
                + Int(companyCount) + Int(groupCount) + 2 * Int(urlCount)
        }
        var emailBase: Int { Field.count }
        var phoneBase: Int { emailBase + 2 * Int(emailCount) }
        var addressBase: Int { phoneBase + 2 * Int(phoneCount) }
        var companyBase: Int { addressBase + PackedContact.addressSlots * Int(addressCount) }
        var groupBase: Int { companyBase + Int(companyCount) }
        var urlBase: Int { groupBase + Int(groupCount) }
    }

    /// The single-valued text fields, in slot order.
    typealias Field = ContactPacker.Field

    static let addressSlots = 9
    static let absentBit: UInt32 = 1 << 31
    static let primaryBit: UInt32 = 1 << 30
    static let endMask: UInt32 = primaryBit - 1
    /// The most text one contact can hold: the end offsets have 30 bits. Every reader
    /// bounds its records far below this (the largest, JSON, at 64 MiB).
    static let maximumTextLength = Int(endMask)

    /// Allocates a contact for `header` (its counts and text length already final) and
    /// lets `fill` write every slot in order.
    static func make(_ header: Header, fill: (inout Writer) -> Void) -> PackedContact {
        precondition(Int(header.textLength) <= maximumTextLength, "a contact's text is over 1 GiB")
        let slots = header.slotCount
        let buffer = create(minimumCapacity: slots * 4 + Int(header.textLength)) { _ in header }
        let contact = unsafeDowncast(buffer, to: PackedContact.self)
        contact.withUnsafeMutablePointerToElements { base in
            var writer = Writer(table: UnsafeMutableRawPointer(base), text: base + slots * 4)
            fill(&writer)
            assert(writer.slot == slots && writer.end == Int(header.textLength))
        }
        return contact
    }

    /// Writes slots one after the other.
    struct Writer {
        let table: UnsafeMutableRawPointer
        let text: UnsafeMutablePointer<UInt8>
        fileprivate(set) var slot = 0
        fileprivate(set) var end = 0

        mutating func append(_ bytes: UnsafeBufferPointer<UInt8>, primary: Bool = false) {
            if let source = bytes.baseAddress, !bytes.isEmpty {
                (text + end).update(from: source, count: bytes.count)
                end += bytes.count
            }
            close(primary ? PackedContact.primaryBit : 0)
        }

        mutating func append(_ string: String?, primary: Bool = false) {
            guard var string else {
                close(PackedContact.absentBit | (primary ? PackedContact.primaryBit : 0))
                return
            }
            string.withUTF8 { append($0, primary: primary) }
        }

        private mutating func close(_ flags: UInt32) {
            table.storeBytes(of: UInt32(end) | flags, toByteOffset: slot * 4, as: UInt32.self)
            slot += 1
        }
    }

    /// The slot's word.
    @inline(__always)
    func entry(_ slot: Int) -> UInt32 {
        withUnsafeMutablePointerToElements { UnsafeRawPointer($0).loadUnaligned(fromByteOffset: slot * 4, as: UInt32.self) }
    }

    func isAbsent(_ slot: Int) -> Bool { entry(slot) & Self.absentBit != 0 }
    func isPrimary(_ slot: Int) -> Bool { entry(slot) & Self.primaryBit != 0 }

    /// The slot's bytes; empty for an absent text.
    func withBytes<Result>(_ slot: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        let slots = withUnsafeMutablePointerToHeader { $0.pointee.slotCount }
        return withUnsafeMutablePointerToElements { base in
            let table = UnsafeRawPointer(base)
            let end = Int(table.loadUnaligned(fromByteOffset: slot * 4, as: UInt32.self) & Self.endMask)
            let start = slot == 0 ? 0 : Int(table.loadUnaligned(fromByteOffset: slot * 4 - 4, as: UInt32.self) & Self.endMask)
            return body(UnsafeBufferPointer(start: base + slots * 4 + start, count: end - start))
        }
    }

    func text(_ slot: Int) -> String? {
        guard !isAbsent(slot) else { return nil }
        return withBytes(slot) { String(decoding: $0, as: UTF8.self) }
    }

    func text(_ field: Field) -> String? { text(field.rawValue) }

    /// All text bytes and the slot table, for comparing two contacts.
    func withStorageBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        let count = withUnsafeMutablePointerToHeader { $0.pointee.slotCount * 4 + Int($0.pointee.textLength) }
        return withUnsafeMutablePointerToElements { body(UnsafeBufferPointer(start: $0, count: count)) }
    }
}

// MARK: - Packing plain values

extension PackedContact {
    static func make(_ fields: ContactFields) -> PackedContact {
        var header = Header()
        header.emailCount = UInt32(fields.emails.count)
        header.phoneCount = UInt32(fields.phones.count)
        header.addressCount = UInt32(fields.addresses.count)
        header.companyCount = UInt32(fields.companies.count)
        header.groupCount = UInt32(fields.groups.count)
        header.urlCount = UInt32(fields.urls.count)
        header.birthday = fields.birthday
        header.photos = fields.photos
        var length = 0
        forEachText(of: fields) { text, _ in length += text?.utf8.count ?? 0 }
        header.textLength = UInt32(clamping: length)
        return make(header) { writer in
            forEachText(of: fields) { text, primary in writer.append(text, primary: primary) }
        }
    }

    /// Every text of `fields` in slot order, with its primary flag.
    private static func forEachText(of fields: ContactFields, _ body: (String?, Bool) -> Void) {
        body(fields.firstName, false)
        body(fields.middleName, false)
        body(fields.lastName, false)
        body(fields.title, false)
        body(fields.suffix, false)
        body(fields.displayName, false)
        body(fields.nickname, false)
        body(fields.department, false)
        body(fields.jobTitle, false)
        body(fields.notes, false)
        body(fields.uid, false)
        for email in fields.emails {
            body(email.address, email.primary)
            body(email.type, false)
        }
        for phone in fields.phones {
            body(phone.number, phone.primary)
            body(phone.type, false)
        }
        for address in fields.addresses {
            body(address.type, address.primary)
            body(address.poBox, false)
            body(address.extended, false)
            body(address.street, false)
            body(address.city, false)
            body(address.region, false)
            body(address.postalCode, false)
            body(address.country, false)
            body(address.formatted, false)
        }
        for company in fields.companies { body(company, false) }
        for group in fields.groups { body(group, false) }
        for url in fields.urls {
            body(url.url, false)
            body(url.type, false)
        }
    }

    var fields: ContactFields {
        let header = self.header
        return ContactFields(
            firstName: text(.firstName), middleName: text(.middleName), lastName: text(.lastName),
            title: text(.title), suffix: text(.suffix), displayName: text(.displayName), nickname: text(.nickname),
            emails: emails, phones: phones, addresses: addresses, companies: companies, department: text(.department),
            jobTitle: text(.jobTitle), birthday: header.birthday, groups: groups, photos: header.photos, urls: urls,
            notes: text(.notes), uid: text(.uid))
    }

    var emails: [EmailAddress] {
        let header = self.header
        return (0..<Int(header.emailCount)).map { index in
            let slot = header.emailBase + 2 * index
            return EmailAddress(text(slot) ?? "", type: text(slot + 1), primary: isPrimary(slot))
        }
    }

    var phones: [PhoneNumber] {
        let header = self.header
        return (0..<Int(header.phoneCount)).map { index in
            let slot = header.phoneBase + 2 * index
            return PhoneNumber(text(slot) ?? "", type: text(slot + 1), primary: isPrimary(slot))
        }
    }

    var addresses: [PostalAddress] {
        let header = self.header
        return (0..<Int(header.addressCount)).map { index in
            let slot = header.addressBase + Self.addressSlots * index
            return PostalAddress(
                type: text(slot), poBox: text(slot + 1), extended: text(slot + 2), street: text(slot + 3),
                city: text(slot + 4), region: text(slot + 5), postalCode: text(slot + 6), country: text(slot + 7),
                formatted: text(slot + 8), primary: isPrimary(slot))
        }
    }

    var companies: [String] {
        let header = self.header
        return (0..<Int(header.companyCount)).map { text(header.companyBase + $0) ?? "" }
    }

    var groups: [String] {
        let header = self.header
        return (0..<Int(header.groupCount)).map { text(header.groupBase + $0) ?? "" }
    }

    var urls: [WebAddress] {
        let header = self.header
        return (0..<Int(header.urlCount)).map { index in
            let slot = header.urlBase + 2 * index
            return WebAddress(text(slot) ?? "", type: text(slot + 1))
        }
    }
}

// MARK: - Packing from bytes

/// Builds packed contacts from text a reader has at hand as bytes, without a `String`
/// for each value: texts go into one scratch buffer that is reused from contact to
/// contact, and `makeContact()` copies the ones in use into the contact's block.
///
/// Items can be changed after they are added (a later property may carry an earlier
/// one's label); a text that is replaced only wastes scratch space until the next contact.
public struct ContactPacker {
    /// A text in the scratch buffer, or none.
    public struct Text: Sendable {
        fileprivate var start: UInt32
        fileprivate var count: UInt32
        fileprivate var present: Bool

        public static let none = Text(start: 0, count: 0, present: false)
        public var isNone: Bool { !present }
    }

    public struct LabeledItem: Sendable {
        public var value: Text
        public var type: Text
        public var primary: Bool

        public init(value: Text, type: Text, primary: Bool = false) {
            self.value = value
            self.type = type
            self.primary = primary
        }
    }

    public struct AddressItem: Sendable {
        public var type = Text.none
        public var poBox = Text.none
        public var extended = Text.none
        public var street = Text.none
        public var city = Text.none
        public var region = Text.none
        public var postalCode = Text.none
        public var country = Text.none
        public var formatted = Text.none
        public var primary = false

        public init() {}

        /// True when no component is set (the label does not count).
        public var isBlank: Bool {
            poBox.isNone && extended.isNone && street.isNone && city.isNone && region.isNone && postalCode.isNone
                && country.isNone && formatted.isNone
        }
    }

    /// The single-valued text fields.
    public enum Field: Int, CaseIterable, Sendable {
        case firstName, middleName, lastName, title, suffix, displayName, nickname, department, jobTitle, notes, uid

        static var count: Int { uid.rawValue + 1 }
    }

    private var scratch: [UInt8] = []
    private var scalars = [Text](repeating: .none, count: Field.count)
    public var emails: [LabeledItem] = []
    public var phones: [LabeledItem] = []
    public var addresses: [AddressItem] = []
    public var companies: [Text] = []
    public var groups: [Text] = []
    /// Web addresses; `primary` is not kept for them.
    public var urls: [LabeledItem] = []
    public var birthday: Birthday?
    public var photos: [Photo] = []

    public init() {}

    public subscript(field: Field) -> Text {
        get { scalars[field.rawValue] }
        set { scalars[field.rawValue] = newValue }
    }

    /// Adds bytes that are valid UTF-8 (the caller has checked them).
    public mutating func text(validUTF8 bytes: UnsafeBufferPointer<UInt8>) -> Text {
        let start = scratch.count
        scratch.append(contentsOf: bytes)
        return Text(start: UInt32(start), count: UInt32(bytes.count), present: true)
    }

    public mutating func text(_ string: String?) -> Text {
        guard var string else { return .none }
        return string.withUTF8 { text(validUTF8: $0) }
    }

    /// The text as a string (for the rare checks that need one).
    public func string(_ text: Text) -> String? {
        guard text.present else { return nil }
        return scratch.withUnsafeBufferPointer {
            String(decoding: UnsafeBufferPointer(rebasing: $0[Int(text.start)..<Int(text.start + text.count)]), as: UTF8.self)
        }
    }

    /// True when no field a person would recognise is set (`Contact.isEmpty`).
    public var isEmpty: Bool {
        func blank(_ field: Field) -> Bool { scalars[field.rawValue].count == 0 }
        return blank(.firstName) && blank(.middleName) && blank(.lastName) && blank(.displayName) && blank(.nickname)
            && blank(.notes) && blank(.jobTitle) && emails.isEmpty && phones.isEmpty && addresses.isEmpty
            && companies.isEmpty && urls.isEmpty
    }

    /// The contact of everything added since the last one; the packer is then empty.
    public mutating func makeContact() -> Contact {
        var header = PackedContact.Header()
        header.emailCount = UInt32(emails.count)
        header.phoneCount = UInt32(phones.count)
        header.addressCount = UInt32(addresses.count)
        header.companyCount = UInt32(companies.count)
        header.groupCount = UInt32(groups.count)
        header.urlCount = UInt32(urls.count)
        header.birthday = birthday
        header.photos = photos
        var length = 0
        for text in scalars { length += Int(text.count) }
        for item in emails { length += Int(item.value.count + item.type.count) }
        for item in phones { length += Int(item.value.count + item.type.count) }
        for item in addresses {
            length += Int(item.type.count + item.poBox.count + item.extended.count + item.street.count + item.city.count)
            length += Int(item.region.count + item.postalCode.count + item.country.count + item.formatted.count)
        }
        for text in companies { length += Int(text.count) }
        for text in groups { length += Int(text.count) }
        for item in urls { length += Int(item.value.count + item.type.count) }
        header.textLength = UInt32(clamping: length)

        let contact = scratch.withUnsafeBufferPointer { scratch in
            PackedContact.make(header) { writer in
                func put(_ text: Text, primary: Bool = false) {
                    if text.present {
                        writer.append(UnsafeBufferPointer(rebasing: scratch[Int(text.start)..<Int(text.start + text.count)]), primary: primary)
                    } else {
                        writer.append(nil as String?, primary: primary)
                    }
                }
                for text in scalars { put(text) }
                for item in emails {
                    put(item.value, primary: item.primary)
                    put(item.type)
                }
                for item in phones {
                    put(item.value, primary: item.primary)
                    put(item.type)
                }
                for item in addresses {
                    put(item.type, primary: item.primary)
                    put(item.poBox)
                    put(item.extended)
                    put(item.street)
                    put(item.city)
                    put(item.region)
                    put(item.postalCode)
                    put(item.country)
                    put(item.formatted)
                }
                for text in companies { put(text) }
                for text in groups { put(text) }
                for item in urls {
                    put(item.value)
                    put(item.type)
                }
            }
        }
        reset()
        return Contact(packed: contact)
    }

    /// Forgets everything added, keeping the buffers' capacity.
    public mutating func reset() {
        scratch.removeAll(keepingCapacity: true)
        for index in scalars.indices { scalars[index] = .none }
        emails.removeAll(keepingCapacity: true)
        phones.removeAll(keepingCapacity: true)
        addresses.removeAll(keepingCapacity: true)
        companies.removeAll(keepingCapacity: true)
        groups.removeAll(keepingCapacity: true)
        urls.removeAll(keepingCapacity: true)
        birthday = nil
        photos = []
    }
}
