import Foundation

/// One person from an address book: everything the CloudSponge contacts payload carries
/// (first and last name, emails, phones, addresses, companies, job title, title, dob and
/// birthday, groups, photos) plus what address books commonly hold besides.
///
/// Empty strings and `nil` mean the same to every consumer; readers store `nil` for
/// absent values so that equality after a round trip is meaningful.
///
/// A value type kept packed (see `PackedContact`): an import holds every contact in
/// memory at once, and packed each takes one allocation of little more than its text.
/// Reading a property builds its value; changing one repacks the contact. Code that
/// reads many fields of one contact, or builds one field by field, works on `fields`.
public struct Contact: @unchecked Sendable, Hashable {
    @usableFromInline private(set) var storage: PackedContact

    public init(_ fields: ContactFields) {
        storage = PackedContact.make(fields)
    }

    init(packed: PackedContact) {
        storage = packed
    }

    public init(
        firstName: String? = nil, middleName: String? = nil, lastName: String? = nil,
        title: String? = nil, suffix: String? = nil, displayName: String? = nil,
        nickname: String? = nil, emails: [EmailAddress] = [], phones: [PhoneNumber] = [],
        addresses: [PostalAddress] = [], companies: [String] = [], department: String? = nil,
        jobTitle: String? = nil, birthday: Birthday? = nil, groups: [String] = [],
        photos: [Photo] = [], urls: [WebAddress] = [], notes: String? = nil, uid: String? = nil
    ) {
        self.init(ContactFields(
            firstName: firstName, middleName: middleName, lastName: lastName, title: title, suffix: suffix,
            displayName: displayName, nickname: nickname, emails: emails, phones: phones, addresses: addresses,
            companies: companies, department: department, jobTitle: jobTitle, birthday: birthday, groups: groups,
            photos: photos, urls: urls, notes: notes, uid: uid))
    }

    /// Every field as a plain value; setting it repacks the contact.
    public var fields: ContactFields {
        get { storage.fields }
        set { storage = PackedContact.make(newValue) }
    }

    public var firstName: String? {
        get { storage.text(.firstName) }
        set { fields.firstName = newValue }
    }
    public var middleName: String? {
        get { storage.text(.middleName) }
        set { fields.middleName = newValue }
    }
    public var lastName: String? {
        get { storage.text(.lastName) }
        set { fields.lastName = newValue }
    }
    /// Honorific prefix such as "Mr." or "Dr." (the payload's `title`).
    public var title: String? {
        get { storage.text(.title) }
        set { fields.title = newValue }
    }
    /// Honorific suffix such as "Jr." or "PhD".
    public var suffix: String? {
        get { storage.text(.suffix) }
        set { fields.suffix = newValue }
    }
    /// The name as the source displays it (vCard `FN`), when it says more than first + last.
    public var displayName: String? {
        get { storage.text(.displayName) }
        set { fields.displayName = newValue }
    }
    public var nickname: String? {
        get { storage.text(.nickname) }
        set { fields.nickname = newValue }
    }
    public var emails: [EmailAddress] {
        get { storage.emails }
        set { fields.emails = newValue }
    }
    public var phones: [PhoneNumber] {
        get { storage.phones }
        set { fields.phones = newValue }
    }
    public var addresses: [PostalAddress] {
        get { storage.addresses }
        set { fields.addresses = newValue }
    }
    /// Organisation names; the first is the main one.
    public var companies: [String] {
        get { storage.companies }
        set { fields.companies = newValue }
    }
    public var department: String? {
        get { storage.text(.department) }
        set { fields.department = newValue }
    }
    public var jobTitle: String? {
        get { storage.text(.jobTitle) }
        set { fields.jobTitle = newValue }
    }
    public var birthday: Birthday? {
        get { storage.header.birthday }
        set { fields.birthday = newValue }
    }
    public var groups: [String] {
        get { storage.groups }
        set { fields.groups = newValue }
    }
    public var photos: [Photo] {
        get { storage.header.photos }
        set { fields.photos = newValue }
    }
    public var urls: [WebAddress] {
        get { storage.urls }
        set { fields.urls = newValue }
    }
    public var notes: String? {
        get { storage.text(.notes) }
        set { fields.notes = newValue }
    }
    /// A stable identifier from the source (vCard `UID`), kept so exports can be re-synced.
    public var uid: String? {
        get { storage.text(.uid) }
        set { fields.uid = newValue }
    }

    /// The best single-line name for lists: display name, else "first middle last",
    /// else the nickname, company or first email (as `ContactFields.name`, read from the
    /// packed bytes: lists and sorting ask for it for every contact).
    public var name: String { storage.name }

    /// How many of each list the contact has, without building the list.
    public var emailCount: Int { Int(storage.header.emailCount) }
    public var phoneCount: Int { Int(storage.header.phoneCount) }
    public var addressCount: Int { Int(storage.header.addressCount) }
    public var urlCount: Int { Int(storage.header.urlCount) }

    /// Whether a text or photo link holds a stray control byte (`StrayControlBytes`).
    package var holdsStrayControlBytes: Bool { storage.header.holdsStrayControlBytes }

    /// Each email address's UTF-8 bytes, without building the values: the duplicate
    /// search reads every card's.
    func forEachEmailAddressBytes(_ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        storage.forEachAddressOrNumber(phones: false, body)
    }

    /// Each phone number's UTF-8 bytes, likewise.
    func forEachPhoneNumberBytes(_ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        storage.forEachAddressOrNumber(phones: true, body)
    }

    /// A text field's UTF-8 bytes, empty when the field is absent, likewise: the duplicate
    /// search reads the names of every card that shares an address or a number.
    func withBytes<Result>(of field: ContactPacker.Field, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        storage.withBytes(storage.slot(field), body)
    }

    /// Bytes the packed contact takes (what holding it costs beyond the reference).
    var packedByteCount: Int { storage.byteCount }

    /// True when the record carries nothing a person would recognise.
    public var isEmpty: Bool { fields.isEmpty }

    /// The primary email, or the first one.
    public var primaryEmail: EmailAddress? { emails.first(where: \.primary) ?? emails.first }
    /// The primary phone, or the first one.
    public var primaryPhone: PhoneNumber? { phones.first(where: \.primary) ?? phones.first }

    public static func == (a: Contact, b: Contact) -> Bool {
        a.storage === b.storage || a.storage.sameValues(as: b.storage)
    }

    public func hash(into hasher: inout Hasher) {
        fields.hash(into: &hasher)
    }
}

/// The same keys as the fields' names.
extension Contact: Codable {
    public init(from decoder: Decoder) throws {
        self.init(try ContactFields(from: decoder))
    }

    public func encode(to encoder: Encoder) throws {
        try fields.encode(to: encoder)
    }
}

/// Labels are free text as the source wrote them, except that well-known kinds are
/// stored in the lowercase vocabulary of `ContactLabel` so that formats can map them.
public struct EmailAddress: Sendable, Hashable, Codable {
    public var address: String
    public var type: String?
    public var primary: Bool

    public init(_ address: String, type: String? = nil, primary: Bool = false) {
        self.address = address
        self.type = type
        self.primary = primary
    }
}

public struct PhoneNumber: Sendable, Hashable, Codable {
    public var number: String
    public var type: String?
    public var primary: Bool

    public init(_ number: String, type: String? = nil, primary: Bool = false) {
        self.number = number
        self.type = type
        self.primary = primary
    }
}

public struct PostalAddress: Sendable, Hashable, Codable {
    public var type: String?
    public var poBox: String?
    /// Apartment, suite or building ("extended address" in vCard).
    public var extended: String?
    public var street: String?
    public var city: String?
    public var region: String?
    public var postalCode: String?
    public var country: String?
    /// The address as one printable block, when the source supplies it.
    public var formatted: String?
    public var primary: Bool

    public init(
        type: String? = nil, poBox: String? = nil, extended: String? = nil, street: String? = nil,
        city: String? = nil, region: String? = nil, postalCode: String? = nil,
        country: String? = nil, formatted: String? = nil, primary: Bool = false
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

    public var isEmpty: Bool {
        [poBox, extended, street, city, region, postalCode, country, formatted].allSatisfy { ($0 ?? "").isEmpty }
    }

    /// `formatted` when given, else the components joined the way most countries print them.
    public var singleLine: String {
        if let formatted, !formatted.isEmpty {
            return formatted.split(whereSeparator: \.isNewline).joined(separator: ", ")
        }
        let cityLine = [postalCode, city, region].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        return [poBox, extended, street, cityLine, country].compactMap { $0 }.filter { !$0.isEmpty }
            .joined(separator: ", ")
    }
}

public struct WebAddress: Sendable, Hashable, Codable {
    public var url: String
    public var type: String?

    public init(_ url: String, type: String? = nil) {
        self.url = url
        self.type = type
    }
}

/// A picture of the contact: either a link or inline bytes with their media type.
public struct Photo: Sendable, Hashable, Codable {
    public enum Source: Sendable, Hashable, Codable {
        case url(String)
        case data([UInt8], mediaType: String?)
    }
    public var source: Source

    public init(_ source: Source) { self.source = source }

    /// Whether the link or media type holds a stray control byte (`StrayControlBytes`).
    var holdsStrayControlBytes: Bool {
        let text: String?
        switch source {
        case .url(let url): text = url
        case .data(_, let mediaType): text = mediaType
        }
        return text?.utf8.contains(where: StrayControlBytes.isStray) ?? false
    }

    /// A `data:` URI for inline photos, the link otherwise.
    public var uriString: String {
        switch source {
        case .url(let url):
            return url
        case .data(let bytes, let mediaType):
            return "data:\(mediaType ?? "application/octet-stream");base64,\(Data(bytes).base64EncodedString())"
        }
    }
}

/// A birthday with or without its year.
public struct Birthday: Sendable, Hashable, Comparable {
    /// Four bytes rather than three `Int`s: every contact carries this field inline.
    private let storedYear: UInt16  // 0 when the year is unknown
    private let storedMonth: UInt8
    private let storedDay: UInt8

    public var year: Int? { storedYear == 0 ? nil : Int(storedYear) }
    public var month: Int { Int(storedMonth) }
    public var day: Int { Int(storedDay) }

    /// Nil unless the month and day form a calendar date (29 February allowed without a year).
    public init?(year: Int?, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1 else { return nil }
        let days = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard day <= days[month - 1] else { return nil }
        if let year {
            guard (1...9999).contains(year) else { return nil }
            if month == 2 && day == 29 {
                let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
                guard leap else { return nil }
            }
        }
        storedYear = UInt16(year ?? 0)
        storedMonth = UInt8(month)
        storedDay = UInt8(day)
    }

    /// `YYYY-MM-DD`, the payload's `dob`; nil without a year.
    public var dob: String? {
        guard let year else { return nil }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// `MM-DD`, the payload's `birthday`.
    public var monthDay: String { "\(pad(month, 2))-\(pad(day, 2))" }

    public static func < (a: Birthday, b: Birthday) -> Bool {
        ((a.year ?? 0), a.month, a.day) < ((b.year ?? 0), b.month, b.day)
    }

    private func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

extension Birthday: Codable {
    private enum CodingKeys: String, CodingKey { case year, month, day }

    public init(from decoder: Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        let year = try values.decodeIfPresent(Int.self, forKey: .year)
        let month = try values.decode(Int.self, forKey: .month)
        let day = try values.decode(Int.self, forKey: .day)
        guard let birthday = Birthday(year: year, month: month, day: day) else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: values.codingPath, debugDescription: "not a calendar date")
            )
        }
        self = birthday
    }

    public func encode(to encoder: Encoder) throws {
        var values = encoder.container(keyedBy: CodingKeys.self)
        try values.encodeIfPresent(year, forKey: .year)
        try values.encode(month, forKey: .month)
        try values.encode(day, forKey: .day)
    }
}

/// The person whose address book was imported (the payload's `contacts_owner`).
public struct ContactsOwner: Sendable, Hashable, Codable {
    public var firstName: String?
    public var lastName: String?
    public var emails: [EmailAddress]
    /// The account's id at the provider.
    public var externalID: String?

    public init(firstName: String? = nil, lastName: String? = nil, emails: [EmailAddress] = [], externalID: String? = nil) {
        self.firstName = firstName
        self.lastName = lastName
        self.emails = emails
        self.externalID = externalID
    }
}

/// The shared vocabulary for well-known labels. Readers map their format's spelling
/// (`CELL`, `Mobile Phone`, `_$!<Mobile>!$_`) to these; writers map them back.
public enum ContactLabel {
    public static let home = "home"
    public static let work = "work"
    public static let other = "other"
    public static let mobile = "mobile"
    public static let main = "main"
    public static let homeFax = "home fax"
    public static let workFax = "work fax"
    public static let otherFax = "other fax"
    public static let pager = "pager"
}

/// Printed and inspected (debugger, test failures) as its fields, not its packed storage.
extension Contact: CustomReflectable {
    public var customMirror: Mirror {
        Mirror(self, children: Mirror(reflecting: fields).children, displayStyle: .struct)
    }
}
