/// A contact's texts packed into one allocation: a table of slots, then the UTF-8 bytes
/// of the texts. An import holds every contact in memory at once, and one block of about
/// the size of its text costs far less to make, keep and free than a dozen strings and
/// arrays, each with its own header and allocation.
///
/// Slots come in a fixed order: the scalar fields that are present (`ContactPacker.Field`,
/// a bit each in `Header.scalars`; most contacts have two or three of the eleven), then two per
/// email (address, type), two per phone (number, type), nine per postal address (type,
/// poBox, extended, street, city, region, postalCode, country, formatted), one per
/// company, one per group and two per web address (url, type). A slot says where its text
/// starts and how long it is, so texts may lie in any order (a reader copies its scratch
/// text in one piece), and carries a flag for "absent" (nil) and one for "primary" (on
/// the first slot of an email, phone or address). Slots take 4 bytes while the text is
/// under 16 KiB, as nearly always, else 8 (under 1 GiB) or 16.
///
/// Never changed after it is made, so contacts and threads can share one (which is why
/// `Contact` may be `Sendable` although `ManagedBuffer` is not).
@usableFromInline
final class PackedContact: ManagedBuffer<PackedContact.Header, UInt8> {
    /// Laid out widest first so that it packs without padding: every contact carries one.
    @usableFromInline
    struct Header {
        /// Photos can be inline pictures of many kilobytes; they keep their own storage.
        var photos: [Photo] = []
        var emailCount: UInt32 = 0
        var phoneCount: UInt32 = 0
        var addressCount: UInt32 = 0
        var companyCount: UInt32 = 0
        var groupCount: UInt32 = 0
        var urlCount: UInt32 = 0
        /// At most 4 GiB (`ContactPacker` refuses more).
        var storedTextLength: UInt32 = 0
        /// `scalars` in the low bits, `holdsStrayControlBytes` in the top one: a field
        /// of its own would make every contact two bytes larger.
        private var scalarsAndFlag: UInt16 = 0
        var birthday: Birthday?

        private static let flag: UInt16 = 1 << 15

        /// Bit `Field.rawValue` set when that scalar field is present (has a slot).
        var scalars: UInt16 { scalarsAndFlag & ~Self.flag }

        /// Whether a text or photo link holds a stray control byte (`StrayControlBytes`),
        /// which the formats that cannot write one leave out: found once when the
        /// contact is made, so that writing it need not search the output.
        var holdsStrayControlBytes: Bool {
            get { scalarsAndFlag & Self.flag != 0 }
            set { scalarsAndFlag = newValue ? scalarsAndFlag | Self.flag : scalars }
        }

        init(
            emails: Int, phones: Int, addresses: Int, companies: Int, groups: Int, urls: Int, textLength: Int,
            birthday: Birthday?, photos: [Photo], scalars: UInt16
        ) {
            emailCount = UInt32(emails)
            phoneCount = UInt32(phones)
            addressCount = UInt32(addresses)
            companyCount = UInt32(companies)
            groupCount = UInt32(groups)
            urlCount = UInt32(urls)
            storedTextLength = UInt32(textLength)
            assert(Field.count < 16)
            scalarsAndFlag = scalars
            self.birthday = birthday
            self.photos = photos
        }

        var textLength: Int { Int(storedTextLength) }

        /// The slot of a scalar field, or nil when the field is absent.
        @inline(__always)
        func slotIndex(_ field: Field) -> Int? { PackedContact.slotIndex(field, scalars: scalars) }

        var width: SlotWidth {
            textLength <= PackedContact.narrowLimit ? .narrow : textLength <= PackedContact.wideLimit ? .wide : .huge
        }
        var slotSize: Int { width.rawValue }
        var slotCount: Int {
            scalars.nonzeroBitCount + 2 * Int(emailCount) + 2 * Int(phoneCount) + PackedContact.addressSlots * Int(addressCount)
                + Int(companyCount) + Int(groupCount) + 2 * Int(urlCount)
        }
        var emailBase: Int { scalars.nonzeroBitCount }
        var phoneBase: Int { emailBase + 2 * Int(emailCount) }
        var addressBase: Int { phoneBase + 2 * Int(phoneCount) }
        var companyBase: Int { addressBase + PackedContact.addressSlots * Int(addressCount) }
        var groupBase: Int { companyBase + Int(companyCount) }
        var urlBase: Int { groupBase + Int(groupCount) }
    }

    @usableFromInline typealias Field = ContactPacker.Field

    @inlinable static var addressSlots: Int { 9 }

    /// The slot of a scalar field among the present ones (`scalars`: bit `Field.rawValue`
    /// set for each), or nil when the field is absent.
    @inlinable @inline(__always)
    static func slotIndex(_ field: Field, scalars: UInt16) -> Int? {
        let bit = UInt16(1) << field.rawValue
        guard scalars & bit != 0 else { return nil }
        return (scalars & (bit &- 1)).nonzeroBitCount
    }

    /// Bytes per slot, by how much text the contact holds.
    @usableFromInline
    enum SlotWidth: Int, Sendable {
        /// Start in bits 0–13, length in bits 14–27, absent bit 30, primary bit 31.
        case narrow = 4
        /// Start in bits 0–31, length in bits 32–61, absent bit 62, primary bit 63.
        case wide = 8
        /// Start in the first word; length in bits 0–61 of the second, flags above.
        case huge = 16
    }

    static let narrowLimit = (1 << 14) - 1
    static let wideLimit = (1 << 30) - 1

    /// One slot, read.
    @usableFromInline
    struct Slot: Equatable, Sendable {
        @usableFromInline var start: Int
        @usableFromInline var count: Int
        @usableFromInline var absent: Bool
        @usableFromInline var primary: Bool

        @inlinable
        init(start: Int, count: Int, absent: Bool, primary: Bool) {
            self.start = start
            self.count = count
            self.absent = absent
            self.primary = primary
        }
    }

    /// Allocates a contact for `header` (its counts and text length already final) and
    /// lets `fill` write the text area and every slot, in order.
    @inline(__always)
    static func make(_ header: Header, fill: (UnsafeMutablePointer<UInt8>, inout SlotWriter) -> Void) -> PackedContact {
        let slots = header.slotCount
        let tableSize = slots * header.slotSize
        let buffer = create(minimumCapacity: tableSize + Int(header.textLength)) { _ in header }
        let contact = unsafeDowncast(buffer, to: PackedContact.self)
        let stray = contact.withUnsafeMutablePointerToElements { base in
            var writer = SlotWriter(table: UnsafeMutableRawPointer(base), width: header.width)
            fill(base + tableSize, &writer)
            assert(writer.index == slots)
            return StrayControlBytes.first(in: UnsafeBufferPointer(start: base + tableSize, count: header.textLength)) != nil
        }
        contact.header.holdsStrayControlBytes = stray || header.photos.contains(where: \.holdsStrayControlBytes)
        return contact
    }

    /// Writes slots one after the other.
    struct SlotWriter {
        let table: UnsafeMutableRawPointer
        let width: SlotWidth
        private(set) var index = 0

        init(table: UnsafeMutableRawPointer, width: SlotWidth) {
            self.table = table
            self.width = width
        }

        @inline(__always)
        mutating func put(_ text: ContactPacker.Text, primary: Bool = false) {
            put(start: Int(text.start), count: Int(text.count), absent: !text.present, primary: primary)
        }

        @inline(__always)
        mutating func put(start: Int, count: Int, absent: Bool, primary: Bool) {
            let flags = (absent ? 1 : 0) | (primary ? 2 : 0)
            switch width {
            case .narrow:
                let word = UInt32(start) | UInt32(count) << 14 | UInt32(flags) << 30
                table.storeBytes(of: word, toByteOffset: index * 4, as: UInt32.self)
            case .wide:
                let word = UInt64(start) | UInt64(count) << 32 | UInt64(flags) << 62
                table.storeBytes(of: word, toByteOffset: index * 8, as: UInt64.self)
            case .huge:
                table.storeBytes(of: UInt64(start), toByteOffset: index * 16, as: UInt64.self)
                table.storeBytes(of: UInt64(count) | UInt64(flags) << 62, toByteOffset: index * 16 + 8, as: UInt64.self)
            }
            index += 1
        }
    }

    @inline(__always)
    func slot(_ index: Int) -> Slot {
        let width = header.width
        return withUnsafeMutablePointerToElements { Self.readSlot(UnsafeRawPointer($0), index, width) }
    }

    /// The slot at `index` of a table of slots of `width`, as `SlotWriter` wrote it.
    @inline(__always)
    @inlinable
    static func readSlot(_ table: UnsafeRawPointer, _ index: Int, _ width: SlotWidth) -> Slot {
        switch width {
        case .narrow:
            let word = table.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self)
            return Slot(start: Int(word & 0x3FFF), count: Int(word >> 14 & 0x3FFF),
                        absent: word & 1 << 30 != 0, primary: word & 1 << 31 != 0)
        case .wide:
            let word = table.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)
            return Slot(start: Int(word & 0xFFFF_FFFF), count: Int(word >> 32 & 0x3FFF_FFFF),
                        absent: word & 1 << 62 != 0, primary: word & 1 << 63 != 0)
        case .huge:
            let start = table.loadUnaligned(fromByteOffset: index * 16, as: UInt64.self)
            let word = table.loadUnaligned(fromByteOffset: index * 16 + 8, as: UInt64.self)
            return Slot(start: Int(start), count: Int(word & (1 << 62 - 1)),
                        absent: word & 1 << 62 != 0, primary: word & 1 << 63 != 0)
        }
    }

    func isPrimary(_ index: Int) -> Bool { slot(index).primary }

    /// Bytes the block takes: the object's header, the slot table and the text.
    var byteCount: Int {
        let header = self.header
        return MemoryLayout<Header>.size + 2 * MemoryLayout<Int>.size + header.slotCount * header.slotSize
            + header.textLength
    }

    static let absentSlot = Slot(start: 0, count: 0, absent: true, primary: false)

    /// A scalar field's slot; an absent field has none and reads as an absent slot.
    @inline(__always)
    func slot(_ field: Field) -> Slot {
        guard let index = header.slotIndex(field) else { return Self.absentSlot }
        return slot(index)
    }

    /// `ContactFields.name`, joining the name parts' bytes directly.
    var name: String {
        let display = slot(.displayName)
        if display.count > 0 { return string(display) }
        let first = slot(.firstName), middle = slot(.middleName)
        let last = slot(.lastName)
        let present = (first.count > 0 ? 1 : 0) + (middle.count > 0 ? 1 : 0) + (last.count > 0 ? 1 : 0)
        if present == 1 {
            return string(first.count > 0 ? first : middle.count > 0 ? middle : last)
        }
        if present > 1, withNameParts(first, middle, last, PersonName.allEastAsian) {
            return PersonName.joined(first: string(first), middle: string(middle), last: string(last))
        }
        if present > 1 {
            let length = first.count + middle.count + last.count + present - 1
            return String(unsafeUninitializedCapacity: length) { buffer in
                var end = 0
                for part in [first, middle, last] where part.count > 0 {
                    if end > 0 {
                        buffer[end] = 0x20
                        end += 1
                    }
                    withBytes(part) { bytes in
                        _ = UnsafeMutableBufferPointer(rebasing: buffer[end...]).initialize(fromContentsOf: bytes)
                    }
                    end += part.count
                }
                return end
            }
        }
        let header = self.header
        let nickname = slot(.nickname)
        if nickname.count > 0 { return string(nickname) }
        if header.companyCount > 0, slot(header.companyBase).count > 0 { return text(header.companyBase) ?? "" }
        if header.emailCount > 0 { return text(header.emailBase) ?? "" }
        if header.phoneCount > 0 { return text(header.phoneBase) ?? "" }
        return ""
    }

    /// The bytes of the three name parts at once.
    private func withNameParts<Result>(
        _ first: Slot, _ middle: Slot, _ last: Slot,
        _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Result
    ) -> Result {
        let textStart = header.slotCount * header.slotSize
        return withUnsafeMutablePointerToElements { base in
            let text = UnsafePointer(base + textStart)
            return body(UnsafeBufferPointer(start: text + first.start, count: first.count),
                        UnsafeBufferPointer(start: text + middle.start, count: middle.count),
                        UnsafeBufferPointer(start: text + last.start, count: last.count))
        }
    }

    /// The slot's bytes (empty for an absent text).
    func withBytes<Result>(_ slot: Slot, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        let textStart = header.slotCount * header.slotSize
        return withUnsafeMutablePointerToElements { base in
            body(UnsafeBufferPointer(start: base + textStart + slot.start, count: slot.count))
        }
    }

    /// The bytes of each email address (`phones: false`) or phone number, without building
    /// the values.
    func forEachAddressOrNumber(phones: Bool, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        let header = self.header
        let base = phones ? header.phoneBase : header.emailBase
        for index in 0..<Int(phones ? header.phoneCount : header.emailCount) {
            withBytes(slot(base + 2 * index), body)
        }
    }

    func string(_ slot: Slot) -> String {
        withBytes(slot) { String(decoding: $0, as: UTF8.self) }
    }

    func text(_ index: Int) -> String? {
        let slot = slot(index)
        return slot.absent ? nil : string(slot)
    }

    func text(_ field: Field) -> String? { header.slotIndex(field).flatMap(text) }

    /// True when both hold the same texts and values, told apart by bytes where that is
    /// exact: bytes that differ may still spell equal strings (Unicode canonical
    /// equivalence) unless both are ASCII.
    func sameValues(as other: PackedContact) -> Bool {
        let a = header
        let b = other.header
        guard a.emailCount == b.emailCount, a.phoneCount == b.phoneCount, a.addressCount == b.addressCount,
              a.companyCount == b.companyCount, a.groupCount == b.groupCount, a.urlCount == b.urlCount,
              a.scalars == b.scalars, a.birthday == b.birthday, a.photos == b.photos
        else { return false }
        for index in 0..<a.slotCount {
            let left = slot(index)
            let right = other.slot(index)
            guard left.absent == right.absent, left.primary == right.primary else { return false }
            let equal = withBytes(left) { leftBytes in
                other.withBytes(right) { rightBytes in
                    if leftBytes.elementsEqual(rightBytes) { return true }
                    if leftBytes.allSatisfy({ $0 < 0x80 }) && rightBytes.allSatisfy({ $0 < 0x80 }) { return false }
                    return String(decoding: leftBytes, as: UTF8.self) == String(decoding: rightBytes, as: UTF8.self)
                }
            }
            guard equal else { return false }
        }
        return true
    }
}

// MARK: - Packing plain values

extension PackedContact {
    static func make(_ fields: ContactFields) -> PackedContact {
        var length = 0
        forEachText(of: fields) { text, _ in length += text?.utf8.count ?? 0 }
        var scalars: UInt16 = 0
        forEachScalar(of: fields) { field, value in if value != nil { scalars |= 1 << field.rawValue } }
        let header = Header(
            emails: fields.emails.count, phones: fields.phones.count, addresses: fields.addresses.count,
            companies: fields.companies.count, groups: fields.groups.count, urls: fields.urls.count, textLength: length,
            birthday: fields.birthday, photos: fields.photos, scalars: scalars)
        // Texts lie in slot order, so each slot starts where the one before ended.
        return make(header) { text, slots in
            var end = 0
            var texts = 0
            forEachText(of: fields) { value, primary in
                texts += 1
                guard var value else {
                    // An absent scalar field (the first `Field.count` texts) has no slot;
                    // absent parts of items do.
                    if texts > Field.count { slots.put(start: end, count: 0, absent: true, primary: primary) }
                    return
                }
                value.withUTF8 { bytes in
                    if let source = bytes.baseAddress { (text + end).initialize(from: source, count: bytes.count) }
                    slots.put(start: end, count: bytes.count, absent: false, primary: primary)
                    end += bytes.count
                }
            }
        }
    }

    /// The scalar fields of `fields` in slot order.
    private static func forEachScalar(of fields: ContactFields, _ body: (Field, String?) -> Void) {
        body(.firstName, fields.firstName)
        body(.middleName, fields.middleName)
        body(.lastName, fields.lastName)
        body(.title, fields.title)
        body(.suffix, fields.suffix)
        body(.displayName, fields.displayName)
        body(.nickname, fields.nickname)
        body(.department, fields.department)
        body(.jobTitle, fields.jobTitle)
        body(.notes, fields.notes)
        body(.uid, fields.uid)
    }

    /// Every text of `fields` in slot order (absent scalar fields included), with its primary flag.
    private static func forEachText(of fields: ContactFields, _ body: (String?, Bool) -> Void) {
        forEachScalar(of: fields) { _, value in body(value, false) }
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
/// contact, and `makeContact()` copies it into the contact's block in one piece.
///
/// Items can be changed after they are added (a later property may carry an earlier
/// one's label); a text that is replaced stays in the scratch buffer, unused.
/// Not copyable: the scratch buffer belongs to one packer.
public struct ContactPacker: ~Copyable {
    /// A text in the scratch buffer, or none.
    public struct Text: Sendable {
        var start: UInt32
        var count: UInt32
        var present: Bool

        public static let none = Text(start: 0, count: 0, present: false)
        public var isNone: Bool { !present }
        /// Absent or empty.
        public var isBlank: Bool { count == 0 }
        public var byteCount: Int { Int(count) }
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

    private var scratch: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var used = 0
    private let scalars: UnsafeMutablePointer<Text>
    public var emails: [LabeledItem] = []
    public var phones: [LabeledItem] = []
    public var addresses: [AddressItem] = []
    public var companies: [Text] = []
    public var groups: [Text] = []
    /// Web addresses; `primary` is not kept for them.
    public var urls: [LabeledItem] = []
    public var birthday: Birthday?
    public var photos: [Photo] = []

    public init() {
        capacity = 1024
        scratch = .allocate(capacity: capacity)
        scalars = .allocate(capacity: Field.count)
        scalars.initialize(repeating: .none, count: Field.count)
    }

    deinit {
        scratch.deallocate()
        scalars.deallocate()
    }

    public subscript(field: Field) -> Text {
        get { scalars[field.rawValue] }
        set { scalars[field.rawValue] = newValue }
    }

    /// True when a text did not fit: a contact's texts are limited to 4 GiB in all, and
    /// past that `text` gives none. A reader skips such a contact (and says so) rather
    /// than keep it without the text.
    public private(set) var overflowed = false

    /// Adds bytes that are valid UTF-8 (the caller has checked them).
    @inline(__always)
    public mutating func text(validUTF8 bytes: UnsafeBufferPointer<UInt8>) -> Text {
        if used + bytes.count > capacity {
            guard used + bytes.count <= Int(UInt32.max) else {
                overflowed = true
                return .none
            }
            grow(toFit: bytes.count)
        }
        if let source = bytes.baseAddress { (scratch + used).initialize(from: source, count: bytes.count) }
        let text = Text(start: UInt32(used), count: UInt32(bytes.count), present: true)
        used += bytes.count
        return text
    }

    public mutating func text(_ string: String?) -> Text {
        guard var string else { return .none }
        return string.withUTF8 { text(validUTF8: $0) }
    }

    private mutating func grow(toFit count: Int) {
        let larger = max(capacity * 2, used + count)
        let fresh = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        fresh.initialize(from: scratch, count: used)
        scratch.deallocate()
        scratch = fresh
        capacity = larger
    }

    /// The text's bytes (empty for none).
    public func withBytes<Result>(_ text: Text, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        body(UnsafeBufferPointer(start: scratch + Int(text.start), count: Int(text.count)))
    }

    /// A packer holding the same texts and items.
    public func duplicate() -> ContactPacker {
        var copy = ContactPacker()
        copy.grow(toFit: used)
        copy.scratch.initialize(from: scratch, count: used)
        copy.used = used
        copy.overflowed = overflowed
        copy.scalars.update(from: scalars, count: Field.count)
        copy.emails = emails
        copy.phones = phones
        copy.addresses = addresses
        copy.companies = companies
        copy.groups = groups
        copy.urls = urls
        copy.birthday = birthday
        copy.photos = photos
        return copy
    }

    /// The text as a string (for the rare checks that need one).
    public func string(_ text: Text) -> String? {
        guard text.present else { return nil }
        return String(decoding: UnsafeBufferPointer(start: scratch + Int(text.start), count: Int(text.count)), as: UTF8.self)
    }

    /// True when no field a person would recognise is set (`Contact.isEmpty`).
    public var isEmpty: Bool {
        func blank(_ field: Field) -> Bool { scalars[field.rawValue].isBlank }
        return blank(.firstName) && blank(.middleName) && blank(.lastName) && blank(.displayName) && blank(.nickname)
            && blank(.notes) && blank(.jobTitle) && emails.isEmpty && phones.isEmpty && addresses.isEmpty
            && companies.isEmpty && urls.isEmpty
    }

    /// The contact of everything added since the last one; the packer is then empty.
    public mutating func makeContact() -> Contact {
        var present: UInt16 = 0
        for index in 0..<Field.count where scalars[index].present { present |= 1 << index }
        let header = PackedContact.Header(
            emails: emails.count, phones: phones.count, addresses: addresses.count, companies: companies.count,
            groups: groups.count, urls: urls.count, textLength: used, birthday: birthday, photos: photos,
            scalars: present)
        let contact = PackedContact.make(header) { [scratch, used, scalars] text, slots in
            text.initialize(from: scratch, count: used)
            for index in 0..<Field.count where scalars[index].present { slots.put(scalars[index]) }
            // Through buffer pointers: no retain or bounds check per item.
            emails.withUnsafeBufferPointer { items in
                for item in items {
                    slots.put(item.value, primary: item.primary)
                    slots.put(item.type)
                }
            }
            phones.withUnsafeBufferPointer { items in
                for item in items {
                    slots.put(item.value, primary: item.primary)
                    slots.put(item.type)
                }
            }
            addresses.withUnsafeBufferPointer { items in
                for item in items {
                    slots.put(item.type, primary: item.primary)
                    slots.put(item.poBox)
                    slots.put(item.extended)
                    slots.put(item.street)
                    slots.put(item.city)
                    slots.put(item.region)
                    slots.put(item.postalCode)
                    slots.put(item.country)
                    slots.put(item.formatted)
                }
            }
            companies.withUnsafeBufferPointer { for text in $0 { slots.put(text) } }
            groups.withUnsafeBufferPointer { for text in $0 { slots.put(text) } }
            urls.withUnsafeBufferPointer { items in
                for item in items {
                    slots.put(item.value)
                    slots.put(item.type)
                }
            }
        }
        reset()
        return Contact(packed: contact)
    }

    /// Forgets everything added, keeping the buffers' capacity.
    public mutating func reset() {
        used = 0
        overflowed = false
        scalars.update(repeating: .none, count: Field.count)
        // Checked first: emptying an empty array still costs a call.
        if !emails.isEmpty { emails.removeAll(keepingCapacity: true) }
        if !phones.isEmpty { phones.removeAll(keepingCapacity: true) }
        if !addresses.isEmpty { addresses.removeAll(keepingCapacity: true) }
        if !companies.isEmpty { companies.removeAll(keepingCapacity: true) }
        if !groups.isEmpty { groups.removeAll(keepingCapacity: true) }
        if !urls.isEmpty { urls.removeAll(keepingCapacity: true) }
        birthday = nil
        if !photos.isEmpty { photos = [] }
    }
}
