import Foundation

/// A contact as plain values, for building one field by field and for editing: every
/// field is stored, so reading and changing one costs nothing. `Contact(fields)` packs it
/// for keeping; `contact.fields` unpacks a kept one.
public struct ContactFields: Sendable, Hashable {
    public var firstName: String?
    public var middleName: String?
    public var lastName: String?
    /// Honorific prefix such as "Mr." or "Dr." (the payload's `title`).
    public var title: String?
    /// Honorific suffix such as "Jr." or "PhD".
    public var suffix: String?
    /// The name as the source displays it (vCard `FN`), when it says more than first + last.
    public var displayName: String?
    public var nickname: String?
    public var emails: [EmailAddress]
    public var phones: [PhoneNumber]
    public var addresses: [PostalAddress]
    /// Organisation names; the first is the main one.
    public var companies: [String]
    public var department: String?
    public var jobTitle: String?
    public var birthday: Birthday?
    public var groups: [String]
    public var photos: [Photo]
    public var urls: [WebAddress]
    public var notes: String?
    /// A stable identifier from the source (vCard `UID`), kept so exports can be re-synced.
    public var uid: String?

    public init(
        firstName: String? = nil, middleName: String? = nil, lastName: String? = nil,
        title: String? = nil, suffix: String? = nil, displayName: String? = nil,
        nickname: String? = nil, emails: [EmailAddress] = [], phones: [PhoneNumber] = [],
        addresses: [PostalAddress] = [], companies: [String] = [], department: String? = nil,
        jobTitle: String? = nil, birthday: Birthday? = nil, groups: [String] = [],
        photos: [Photo] = [], urls: [WebAddress] = [], notes: String? = nil, uid: String? = nil
    ) {
        self.firstName = firstName
        self.middleName = middleName
        self.lastName = lastName
        self.title = title
        self.suffix = suffix
        self.displayName = displayName
        self.nickname = nickname
        self.emails = emails
        self.phones = phones
        self.addresses = addresses
        self.companies = companies
        self.department = department
        self.jobTitle = jobTitle
        self.birthday = birthday
        self.groups = groups
        self.photos = photos
        self.urls = urls
        self.notes = notes
        self.uid = uid
    }

    /// The best single-line name for lists: display name, else "first middle last",
    /// else the nickname, company or first email.
    public var name: String {
        if let displayName, !displayName.isEmpty { return displayName }
        let joined = PersonName.joined(first: firstName, middle: middleName, last: lastName)
        if !joined.isEmpty { return joined }
        if let nickname, !nickname.isEmpty { return nickname }
        if let company = companies.first, !company.isEmpty { return company }
        return emails.first?.address ?? phones.first?.number ?? ""
    }

    /// The primary email, or the first one.
    public var primaryEmail: EmailAddress? { emails.first(where: \.primary) ?? emails.first }
    /// The primary phone, or the first one.
    public var primaryPhone: PhoneNumber? { phones.first(where: \.primary) ?? phones.first }

    /// True when the record carries nothing a person would recognise.
    public var isEmpty: Bool {
        [firstName, middleName, lastName, displayName, nickname, notes].allSatisfy { ($0 ?? "").isEmpty }
            && emails.isEmpty && phones.isEmpty && addresses.isEmpty && companies.isEmpty
            && (jobTitle ?? "").isEmpty && urls.isEmpty
    }
}

/// Absent fields are left out; lists are always written.
extension ContactFields: Codable {
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
