import Foundation
import ImportCore

/// Maps a Graph `contact` resource onto a `Contact`. A record whose fields have the wrong
/// JSON types (an e-mail list that is an object, a birthday that is not a date) cannot be
/// trusted and is refused with the reason, so that it is reported and skipped.
///
/// Graph fields the contact model has no place for (`imAddresses`, `officeLocation`,
/// `profession`, `manager`, `assistantName`, `spouseName`, `children`, `initials`,
/// `fileAs`, the yomi names) are not requested.
enum GraphContactMapper {
    /// The `$select` of every field mapped here.
    static let selectedFields = [
        "id", "displayName", "givenName", "middleName", "surname", "title", "generation", "nickName",
        "emailAddresses", "mobilePhone", "homePhones", "businessPhones", "homeAddress", "businessAddress",
        "otherAddress", "companyName", "department", "jobTitle", "birthday", "categories", "personalNotes",
        "businessHomePage",
    ]

    /// Outlook's year for a birthday saved without one.
    static let yearlessBirthday = 1604

    struct Refusal: Error, CustomStringConvertible {
        var description: String
    }

    /// `folder` is the contact folder's name, kept as a group; nil for the default folder.
    static func contact(_ record: GraphJSON, folder: String?) throws -> Contact {
        guard case .object(let fields) = record else { throw Refusal(description: "the record is \(record.kind), not an object") }
        let read = Reader(fields: fields)
        var contact = ContactFields()
        contact.uid = try read.text("id")
        contact.firstName = try read.text("givenName")
        contact.middleName = try read.text("middleName")
        contact.lastName = try read.text("surname")
        contact.title = try read.text("title")
        contact.suffix = try read.text("generation")
        contact.displayName = try read.text("displayName")
        contact.nickname = try read.text("nickName")
        contact.emails = try read.emails()
        contact.phones = try read.text("mobilePhone").map { [PhoneNumber($0, type: ContactLabel.mobile)] } ?? []
        contact.phones += try read.texts("homePhones").map { PhoneNumber($0, type: ContactLabel.home) }
        contact.phones += try read.texts("businessPhones").map { PhoneNumber($0, type: ContactLabel.work) }
        contact.addresses = try [("homeAddress", ContactLabel.home), ("businessAddress", ContactLabel.work),
                                 ("otherAddress", ContactLabel.other)].compactMap { try read.address($0.0, type: $0.1) }
        contact.companies = try read.text("companyName").map { [$0] } ?? []
        contact.department = try read.text("department")
        contact.jobTitle = try read.text("jobTitle")
        contact.birthday = try read.birthday()
        contact.notes = try read.text("personalNotes", trimming: false).map(Reader.newlines)
        contact.urls = try read.text("businessHomePage").map { [WebAddress($0, type: ContactLabel.work)] } ?? []
        var groups: [String] = []
        for name in try read.texts("categories") + (folder.map { [$0] } ?? []) where !groups.contains(name) {
            groups.append(name)
        }
        contact.groups = groups
        guard !contact.isEmpty else { throw Refusal(description: "the contact has no name, e-mail address, number or address") }
        return Contact(contact)
    }

    /// The signed-in account from `GET /me`.
    static func owner(_ me: GraphObject) -> ContactsOwner {
        let read = Reader(fields: me)
        let address = ((try? read.text("mail")) ?? nil) ?? ((try? read.text("userPrincipalName")) ?? nil)
        return ContactsOwner(firstName: (try? read.text("givenName")) ?? nil, lastName: (try? read.text("surname")) ?? nil,
                             emails: address.map { $0.contains("@") ? [EmailAddress($0, primary: true)] : [] } ?? [],
                             externalID: (try? read.text("id")) ?? nil)
    }

    /// Typed access to one record's fields; a value of the wrong type is a `Refusal` naming it.
    private struct Reader {
        let fields: GraphObject
        /// Where these fields sit in the record (`emailAddresses[1].`), for reasons.
        var path = ""

        /// A string field; null, absent and blank (`isBlankText`) are nil.
        func text(_ key: String, trimming: Bool = true) throws -> String? {
            switch fields[key] {
            case nil, .null?: return nil
            case .string(let value)?:
                let trimmed = value.trimmingSpaces
                return trimmed.isBlankText ? nil : (trimming ? trimmed : value)
            case let other?: throw Refusal(description: "\(path)\(key) is \(other.kind), not text")
            }
        }

        /// A list of strings; null entries and blank ones (`isBlankText`) are left out.
        func texts(_ key: String) throws -> [String] {
            switch fields[key] {
            case nil, .null?: return []
            case .array(let items)?:
                return try items.compactMap { item in
                    switch item {
                    case .null: return nil
                    case .string(let value):
                        let trimmed = value.trimmingSpaces
                        return trimmed.isBlankText ? nil : trimmed
                    default: throw Refusal(description: "\(path)\(key) holds \(item.kind), not text")
                    }
                }
            case let other?: throw Refusal(description: "\(path)\(key) is \(other.kind), not a list")
            }
        }

        /// `emailAddresses: [{"name", "address"}]`; the name is the display name again.
        func emails() throws -> [EmailAddress] {
            switch fields["emailAddresses"] {
            case nil, .null?: return []
            case .array(let items)?:
                return try items.enumerated().compactMap { index, item in
                    guard case .object(let entry) = item else {
                        if item == .null { return nil }
                        throw Refusal(description: "emailAddresses holds \(item.kind), not an address")
                    }
                    return try Reader(fields: entry, path: "emailAddresses[\(index)].").text("address").map { EmailAddress($0) }
                }
            case let other?: throw Refusal(description: "emailAddresses is \(other.kind), not a list")
            }
        }

        /// `{street, city, state, countryOrRegion, postalCode}`; `{}` is no address.
        func address(_ key: String, type: String) throws -> PostalAddress? {
            switch fields[key] {
            case nil, .null?: return nil
            case .object(let parts)?:
                let read = Reader(fields: parts, path: "\(key).")
                let address = PostalAddress(type: type, street: try read.text("street", trimming: false).map(Self.lines),
                                            city: try read.text("city"), region: try read.text("state"),
                                            postalCode: try read.text("postalCode"), country: try read.text("countryOrRegion"))
                return address.isEmpty ? nil : address
            case let other?: throw Refusal(description: "\(key) is \(other.kind), not an address")
            }
        }

        /// The date part of the ISO timestamp as written: `1815-12-10T00:00:00Z` is 10
        /// December 1815 whatever the time or zone (Outlook stores dates at midnight UTC or
        /// at noon, and shifting them would move the day). Year 1604 means no year.
        func birthday() throws -> Birthday? {
            guard let text = try text("birthday") else { return nil }
            let parts = text.prefix(10).split(separator: "-", omittingEmptySubsequences: false)
            guard text.count == 10 || text.dropFirst(10).first == "T",
                  parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
                  let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
                  let birthday = Birthday(year: year == GraphContactMapper.yearlessBirthday ? nil : year, month: month, day: day) else {
                throw Refusal(description: "birthday \"\(text.prefix(40))\" is not a date")
            }
            return birthday
        }

        /// Outlook writes the lines of a street with CR LF.
        private static func lines(_ street: String) -> String {
            newlines(street).trimmingSpaces
        }

        /// CR LF as LF; most texts have no CR and are kept as they are.
        static func newlines(_ text: String) -> String {
            text.utf8.contains(0x0D) ? text.replacingOccurrences(of: "\r\n", with: "\n") : text
        }
    }
}
