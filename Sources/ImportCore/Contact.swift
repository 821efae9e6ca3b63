import Foundation

/// One person from an address book: everything the CloudSponge contacts payload carries
/// (first and last name, emails, phones, addresses, companies, job title, title, dob and
/// birthday, groups, photos) plus what address books commonly hold besides.
///
/// Empty strings and `nil` mean the same to every consumer; readers store `nil` for
/// absent values so that equality after a round trip is meaningful.
public struct Contact: Sendable, Hashable {
    public var firstName: String?
    public var lastName: String?
    /// The name as the source displays it (vCard `FN`), when it says more than first + last.
    public var displayName: String?
    public var emails: [EmailAddress]
    public var phones: [PhoneNumber]
    public var addresses: [PostalAddress]
    /// Organisation names; the first is the main one.
    public var companies: [String]
    public var jobTitle: String?
    public var birthday: Birthday?
    public var groups: [String]
    public var notes: String?
    /// A stable identifier from the source (vCard `UID`), kept so exports can be re-synced.
    public var uid: String?
    /// Fields most address books leave empty live out of line: an import holds every
    /// contact in memory at once, and this keeps each one about half the size.
    private var rare: RareFieldsBox?

    public init(
        firstName: String? = nil, middleName: String? = nil, lastName: String? = nil,
        title: String? = nil, suffix: String? = nil, displayName: String? = nil,
        nickname: String? = nil, emails: [EmailAddress] = [], phones: [PhoneNumber] = [],
        addresses: [PostalAddress] = [], companies: [String] = [], department: String? = nil,
        jobTitle: String? = nil, birthday: Birthday? = nil, groups: [String] = [],
        photos: [Photo] = [], urls: [WebAddress] = [], notes: String? = nil, uid: String? = nil
    ) {
        self.firstName = firstName
        self.lastName = lastName
        self.displayName = displayName
        self.emails = emails
        self.phones = phones
        self.addresses = addresses
        self.companies = companies
        self.jobTitle = jobTitle
        self.birthday = birthday
        self.groups = groups
        self.notes = notes
        self.uid = uid
        let rare = RareFields(
            middleName: middleName, title: title, suffix: suffix, nickname: nickname,
            department: department, photos: photos, urls: urls
        )
        self.rare = rare.isEmpty ? nil : RareFieldsBox(rare)
    }

    public var middleName: String? {
        get { rare?.fields.middleName }
        set { updateRare { $0.middleName = newValue } }
    }
    /// Honorific prefix such as "Mr." or "Dr." (the payload's `title`).
    public var title: String? {
        get { rare?.fields.title }
        set { updateRare { $0.title = newValue } }
    }
    /// Honorific suffix such as "Jr." or "PhD".
    public var suffix: String? {
        get { rare?.fields.suffix }
        set { updateRare { $0.suffix = newValue } }
    }
    public var nickname: String? {
        get { rare?.fields.nickname }
        set { updateRare { $0.nickname = newValue } }
    }
    public var department: String? {
        get { rare?.fields.department }
        set { updateRare { $0.department = newValue } }
    }
    public var photos: [Photo] {
        get { rare?.fields.photos ?? [] }
        set { updateRare { $0.photos = newValue } }
    }
    public var urls: [WebAddress] {
        get { rare?.fields.urls ?? [] }
        set { updateRare { $0.urls = newValue } }
    }

    /// Copy-on-write for the out-of-line fields; an empty set is stored as no box, so
    /// that equal contacts stay equal however their fields were filled.
    private mutating func updateRare(_ change: (inout RareFields) -> Void) {
        if let box = rare, isKnownUniquelyReferenced(&rare) {
            change(&box.fields)
            if box.fields.isEmpty { rare = nil }
            return
        }
        var fields = rare?.fields ?? RareFields()
        change(&fields)
        rare = fields.isEmpty ? nil : RareFieldsBox(fields)
    }

    /// The best single-line name for lists: display name, else "first middle last",
    /// else the nickname, company or first email.
    public var name: String {
        if let displayName, !displayName.isEmpty { return displayName }
        let parts = [firstName, middleName, lastName].compactMap { $0 }.filter { !$0.isEmpty }
        if !parts.isEmpty { return parts.joined(separator: " ") }
        if let nickname, !nickname.isEmpty { return nickname }
        if let company = companies.first, !company.isEmpty { return company }
        return emails.first?.address ?? phones.first?.number ?? ""
    }

    /// True when the record carries nothing a person would recognise.
    public var isEmpty: Bool {
        [firstName, middleName, lastName, displayName, nickname, notes].allSatisfy { ($0 ?? "").isEmpty }
            && emails.isEmpty && phones.isEmpty && addresses.isEmpty && companies.isEmpty
            && (jobTitle ?? "").isEmpty && urls.isEmpty
    }

    /// The primary email, or the first one.
    public var primaryEmail: EmailAddress? { emails.first(where: \.primary) ?? emails.first }
    /// The primary phone, or the first one.
    public var primaryPhone: PhoneNumber? { phones.first(where: \.primary) ?? phones.first }
}

/// The fields of `Contact` kept out of line.
private struct RareFields: Hashable {
    var middleName: String?
    var title: String?
    var suffix: String?
    var nickname: String?
    var department: String?
    var photos: [Photo] = []
    var urls: [WebAddress] = []

    var isEmpty: Bool {
        middleName == nil && title == nil && suffix == nil && nickname == nil && department == nil
            && photos.isEmpty && urls.isEmpty
    }
}

/// Mutated only through `Contact.updateRare`, which copies it unless uniquely referenced,
/// so a box is never changed while another contact or thread can see it.
private final class RareFieldsBox: Hashable, @unchecked Sendable {
    var fields: RareFields

    init(_ fields: RareFields) { self.fields = fields }

    static func == (a: RareFieldsBox, b: RareFieldsBox) -> Bool { a === b || a.fields == b.fields }
    func hash(into hasher: inout Hasher) { fields.hash(into: &hasher) }
}

/// The same keys as the fields' names, whether stored inline or out of line.
extension Contact: Codable {
    private enum CodingKeys: String, CodingKey {
        case firstName, middleName, lastName, title, suffix, displayName, nickname, emails, phones, addresses
        case companies, department, jobTitle, birthday, groups, photos, urls, notes, uid
    }

    public init(from decoder: Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            firstName: try values.decodeIfPresent(String.self, forKey: .firstName),
            middleName: try values.decodeIfPresent(String.self, forKey: .middleName),
            lastName: try values.decodeIfPresent(String.self, forKey: .lastName),
            title: try values.decodeIfPresent(String.self, forKey: .title),
            suffix: try values.decodeIfPresent(String.self, forKey: .suffix),
            displayName: try values.decodeIfPresent(String.self, forKey: .displayName),
            nickname: try values.decodeIfPresent(String.self, forKey: .nickname),
            emails: try values.decodeIfPresent([EmailAddress].self, forKey: .emails) ?? [],
            phones: try values.decodeIfPresent([PhoneNumber].self, forKey: .phones) ?? [],
            addresses: try values.decodeIfPresent([PostalAddress].self, forKey: .addresses) ?? [],
            companies: try values.decodeIfPresent([String].self, forKey: .companies) ?? [],
            department: try values.decodeIfPresent(String.self, forKey: .department),
            jobTitle: try values.decodeIfPresent(String.self, forKey: .jobTitle),
            birthday: try values.decodeIfPresent(Birthday.self, forKey: .birthday),
            groups: try values.decodeIfPresent([String].self, forKey: .groups) ?? [],
            photos: try values.decodeIfPresent([Photo].self, forKey: .photos) ?? [],
            urls: try values.decodeIfPresent([WebAddress].self, forKey: .urls) ?? [],
            notes: try values.decodeIfPresent(String.self, forKey: .notes),
            uid: try values.decodeIfPresent(String.self, forKey: .uid)
        )
    }

    public func encode(to encoder: Encoder) throws {
        var values = encoder.container(keyedBy: CodingKeys.self)
        try values.encodeIfPresent(firstName, forKey: .firstName)
        try values.encodeIfPresent(middleName, forKey: .middleName)
        try values.encodeIfPresent(lastName, forKey: .lastName)
        try values.encodeIfPresent(title, forKey: .title)
        try values.encodeIfPresent(suffix, forKey: .suffix)
        try values.encodeIfPresent(displayName, forKey: .displayName)
        try values.encodeIfPresent(nickname, forKey: .nickname)
        try values.encode(emails, forKey: .emails)
        try values.encode(phones, forKey: .phones)
        try values.encode(addresses, forKey: .addresses)
        try values.encode(companies, forKey: .companies)
        try values.encodeIfPresent(department, forKey: .department)
        try values.encodeIfPresent(jobTitle, forKey: .jobTitle)
        try values.encodeIfPresent(birthday, forKey: .birthday)
        try values.encode(groups, forKey: .groups)
        try values.encode(photos, forKey: .photos)
        try values.encode(urls, forKey: .urls)
        try values.encodeIfPresent(notes, forKey: .notes)
        try values.encodeIfPresent(uid, forKey: .uid)
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
