import Foundation
import ImportCore

/// Which columns feed which contact fields, worked out once from the header row.
///
/// Header names are compared case-, space- and punctuation-insensitively (`E-mail 2
/// Address` becomes `email2address`), so Google (current and legacy), Outlook (desktop
/// and outlook.com) and hand-made spreadsheets all map through the same table.
struct CSVHeaderMap {
    enum Dialect: Equatable, Sendable {
        case googleCurrent, googleLegacy, outlook, generic
    }

    /// A value column with either a label column beside it (Google) or a label fixed by its header (Outlook).
    struct LabeledColumn: Equatable {
        var value: Int
        var label: Int?
        var type: String?
        var primary = false
    }

    struct AddressColumns: Equatable {
        var label: Int?
        var type: String?
        var formatted: Int?
        var street: Int?
        var street2: Int?
        var street3: Int?
        var poBox: Int?
        var extended: Int?
        var city: Int?
        var region: Int?
        var postalCode: Int?
        var country: Int?

        init(label: Int? = nil, type: String? = nil) {
            self.label = label
            self.type = type
        }

        /// Every component column, computed once by `CSVHeaderMap.init` (rows ask for it constantly).
        private(set) var components: [Int] = []

        mutating func collectComponents() {
            components = [formatted, street, street2, street3, poBox, extended, city, region, postalCode, country]
                .compactMap { $0 }
        }
    }

    /// Legacy Google `Organization n - …` groups.
    struct OrganizationColumns: Equatable {
        var name: Int?
        var title: Int?
        var department: Int?
    }

    private(set) var dialect = Dialect.generic
    private(set) var firstName: Int?
    private(set) var middleName: Int?
    private(set) var lastName: Int?
    private(set) var prefix: Int?
    private(set) var suffix: Int?
    /// A whole name (`Name`, `Full Name`): split when there are no name parts, else a display name.
    private(set) var fullName: Int?
    /// Google's `File As`: the display name, verbatim.
    private(set) var fileAs: Int?
    private(set) var nickname: Int?
    private(set) var companies: [Int] = []
    private(set) var jobTitle: Int?
    private(set) var department: Int?
    private(set) var birthday: Int?
    private(set) var notes: Int?
    private(set) var groups: [Int] = []
    private(set) var photos: [Int] = []
    private(set) var emails: [LabeledColumn] = []
    private(set) var phones: [LabeledColumn] = []
    private(set) var urls: [LabeledColumn] = []
    private(set) var addresses: [AddressColumns] = []
    private(set) var organizations: [OrganizationColumns] = []

    /// True when some column names a person or a way to reach one.
    var looksLikeContacts: Bool {
        [firstName, middleName, lastName, fullName, fileAs, nickname].contains { $0 != nil }
            || !emails.isEmpty || !phones.isEmpty
    }

    init(headers: [String]) {
        var numbered = NumberedGroups()
        var title: Int?
        var fixedAddresses: [String: AddressColumns] = [:]
        var fixedAddressOrder: [String] = []
        var keys = Set<String>()

        for (column, header) in headers.enumerated() {
            let key = Self.key(header)
            guard !key.isEmpty else { continue }
            keys.insert(key)
            if numbered.add(header: header, column: column) { continue }
            if key == "title" {
                if title == nil { title = column }
                continue
            }
            if assignScalar(key, column) { continue }
            if let email = Self.emailColumn(key, column) {
                emails.append(email)
            } else if let phone = Self.phoneColumn(key, column) {
                phones.append(phone)
            } else if let (prefixKey, type, component) = Self.addressComponent(key) {
                if fixedAddresses[prefixKey] == nil {
                    fixedAddresses[prefixKey] = AddressColumns(type: type)
                    fixedAddressOrder.append(prefixKey)
                }
                fixedAddresses[prefixKey]?.set(component, column)
            }
        }

        // Outlook's `Title` is the honorific next to `Job Title`; alone, it is the job title.
        if let title {
            if jobTitle != nil {
                if prefix == nil { prefix = title }
            } else {
                jobTitle = title
            }
        }

        emails = numbered.labeled("email") + emails
        phones = numbered.labeled("phone") + phones
        urls = numbered.labeled("website") + urls
        addresses = numbered.addresses() + fixedAddressOrder.compactMap { fixedAddresses[$0] }
        for index in addresses.indices { addresses[index].collectComponents() }
        organizations = numbered.organizations()

        if numbered.isGoogle {
            let legacy = numbered.usesTypeLabels || keys.contains("givenname") || keys.contains("groupmembership")
            dialect = legacy ? .googleLegacy : .googleCurrent
        } else if keys.contains("emailaddress") || keys.contains("businessphone") || keys.contains("mobilephone")
            || keys.contains("businessstreet") || keys.contains("homestreet")
        {
            dialect = .outlook
        }
    }

    /// Lowercase letters and digits only: `E-mail 1 - Value` → `email1value`.
    static func key(_ header: String) -> String {
        var result = ""
        result.unicodeScalars.reserveCapacity(header.utf8.count)
        for scalar in header.unicodeScalars {
            if scalar.isASCII {
                let value = scalar.value
                if (0x30...0x39).contains(value) || (0x61...0x7A).contains(value) {
                    result.unicodeScalars.append(scalar)
                } else if (0x41...0x5A).contains(value) {
                    result.unicodeScalars.append(Unicode.Scalar(value + 0x20)!)
                }
            } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                result += String(scalar).lowercased()
            }
        }
        return result
    }

    // MARK: - Single-column fields

    /// Fields that take one column (the first one wins) or a list of columns.
    private mutating func assignScalar(_ key: String, _ column: Int) -> Bool {
        func first(_ field: inout Int?) -> Bool {
            if field == nil { field = column }
            return true
        }
        switch key {
        case "firstname", "givenname", "first", "forename", "fname":
            return first(&firstName)
        case "middlename", "additionalname", "middle":
            return first(&middleName)
        case "lastname", "familyname", "surname", "last", "lname":
            return first(&lastName)
        case "name", "fullname", "displayname", "contactname", "contact":
            return first(&fullName)
        case "fileas":
            return first(&fileAs)
        case "nameprefix", "prefix", "salutation", "honorific":
            return first(&prefix)
        case "namesuffix", "suffix":
            return first(&suffix)
        case "nickname", "nick":
            return first(&nickname)
        case "organizationname", "organization", "organisation", "company", "companyname", "employer", "org":
            companies.append(column)
            return true
        case "organizationtitle", "jobtitle", "position", "role":
            return first(&jobTitle)
        case "organizationdepartment", "department", "dept":
            return first(&department)
        case "birthday", "birthdate", "dateofbirth", "dob", "bday":
            return first(&birthday)
        case "notes", "note", "comments", "comment":
            return first(&notes)
        case "labels", "groupmembership", "categories", "groups", "group", "tags":
            groups.append(column)
            return true
        case "photo", "photourl", "picture", "avatar":
            photos.append(column)
            return true
        case "webpage", "website", "web", "url", "homepage", "site":
            urls.append(LabeledColumn(value: column))
            return true
        case "personalwebpage", "personalwebsite":
            urls.append(LabeledColumn(value: column, type: ContactLabel.home))
            return true
        case "businesswebpage", "workwebsite":
            urls.append(LabeledColumn(value: column, type: ContactLabel.work))
            return true
        default:
            return false
        }
    }

    // MARK: - Heuristics for fixed-label columns (Outlook, spreadsheets)

    private static func placeType(_ key: String) -> String? {
        if key.hasPrefix("home") || key.hasPrefix("personal") || key.hasPrefix("private") { return ContactLabel.home }
        if key.hasPrefix("work") || key.hasPrefix("business") || key.hasPrefix("office") { return ContactLabel.work }
        if key.hasPrefix("other") { return ContactLabel.other }
        return nil
    }

    /// `E-mail`, `Email Address`, `E-mail 2 Address`, `Work Email`, `Mail`…
    /// but not Outlook's `E-mail Type` or `E-mail Display Name`.
    static func emailColumn(_ key: String, _ column: Int) -> LabeledColumn? {
        guard key.contains("email") || key == "mail" || key == "emails" else { return nil }
        for excluded in ["type", "display", "label", "yomi"] where key.contains(excluded) { return nil }
        return LabeledColumn(value: column, type: placeType(key))
    }

    /// `Phone`, `Mobile`, `Telephone`, Outlook's `Business Phone 2`, `Home Fax`, `Pager`…
    static func phoneColumn(_ key: String, _ column: Int) -> LabeledColumn? {
        guard !key.hasPrefix("phonetic") else { return nil }
        let words = ["phone", "mobile", "cell", "fax", "pager", "telephone"]
        let exact = ["tel", "telex", "isdn", "callback", "handy"]
        guard words.contains(where: key.contains) || exact.contains(key) else { return nil }
        var column = LabeledColumn(value: column)
        let place = placeType(key)
        if key.contains("fax") {
            column.type = place == ContactLabel.home ? ContactLabel.homeFax
                : place == ContactLabel.work ? ContactLabel.workFax : ContactLabel.otherFax
        } else if key.contains("pager") {
            column.type = ContactLabel.pager
        } else if key.contains("mobile") || key.contains("cell") || key == "handy" {
            column.type = ContactLabel.mobile
        } else if key.hasPrefix("companymain") || key == "mainphone" {
            column.type = ContactLabel.main
        } else if key == "primaryphone" {
            column.primary = true
        } else if let place {
            column.type = place
        } else {
            let others = ["car": "car", "callback": "callback", "assistant": "assistant", "radio": "radio",
                          "isdn": "isdn", "telex": "telex", "tty": "tty"]
            column.type = others.first { key.hasPrefix($0.key) }?.value
        }
        return column
    }

    enum AddressComponent {
        case formatted, street, street2, street3, poBox, extended, city, region, postalCode, country
    }

    private static let addressSuffixes: [String: AddressComponent] = [
        "address": .formatted, "postaladdress": .formatted, "mailingaddress": .formatted, "fulladdress": .formatted,
        "street": .street, "streetaddress": .street, "street1": .street, "addressline1": .street, "address1": .street,
        "street2": .street2, "addressline2": .street2, "address2": .street2,
        "street3": .street3, "addressline3": .street3, "address3": .street3,
        "addresspobox": .poBox, "pobox": .poBox, "postofficebox": .poBox,
        "extendedaddress": .extended,
        "city": .city, "town": .city, "locality": .city,
        "state": .region, "region": .region, "province": .region, "stateprovince": .region,
        "postalcode": .postalCode, "zip": .postalCode, "zipcode": .postalCode, "postcode": .postalCode,
        "country": .country, "countryregion": .country,
    ]

    /// `Business Street 2` → ("business", work, street2); `Zip` → ("", nil, postalCode).
    static func addressComponent(_ key: String) -> (String, String?, AddressComponent)? {
        for place in ["business", "work", "office", "home", "personal", "other"] where key.hasPrefix(place) {
            if let component = addressSuffixes[String(key.dropFirst(place.count))] {
                return (place, placeType(place), component)
            }
        }
        return addressSuffixes[key].map { ("", nil, $0) }
    }
}

extension CSVHeaderMap.AddressColumns {
    mutating func set(_ component: CSVHeaderMap.AddressComponent, _ column: Int) {
        func first(_ field: inout Int?) { if field == nil { field = column } }
        switch component {
        case .formatted: first(&formatted)
        case .street: first(&street)
        case .street2: first(&street2)
        case .street3: first(&street3)
        case .poBox: first(&poBox)
        case .extended: first(&extended)
        case .city: first(&city)
        case .region: first(&region)
        case .postalCode: first(&postalCode)
        case .country: first(&country)
        }
    }
}

/// Google's numbered groups: `E-mail 3 - Label`, `Address 1 - Postal Code`, `Organization 1 - Title`.
private struct NumberedGroups {
    private var parts: [String: [Int: [String: Int]]] = [:]
    private(set) var usesTypeLabels = false

    var isGoogle: Bool { !parts.isEmpty }

    /// True when `header` is such a group column (of a kind this reader uses or not).
    mutating func add(header: String, column: Int) -> Bool {
        guard let dash = header.range(of: " - ") else { return false }
        let group = CSVHeaderMap.key(String(header[..<dash.lowerBound]))
        let part = CSVHeaderMap.key(String(header[dash.upperBound...]))
        let digits = group.reversed().prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let index = Int(String(digits.reversed())) else { return false }
        let kind = String(group.dropLast(digits.count))
        guard ["email", "phone", "address", "website", "organization"].contains(kind) else {
            // Relation, Event, IM, Custom Field… are known Google groups with no contact field.
            return ["relation", "event", "im", "customfield", "externalid", "location"].contains(kind)
        }
        var normalizedPart = part
        if part == "type" {
            usesTypeLabels = true
            normalizedPart = "label"
        }
        if parts[kind, default: [:]][index, default: [:]][normalizedPart] == nil {
            parts[kind, default: [:]][index, default: [:]][normalizedPart] = column
        }
        return true
    }

    private func groups(_ kind: String) -> [[String: Int]] {
        (parts[kind] ?? [:]).sorted { $0.key < $1.key }.map(\.value)
    }

    func labeled(_ kind: String) -> [CSVHeaderMap.LabeledColumn] {
        groups(kind).compactMap { group in
            group["value"].map { CSVHeaderMap.LabeledColumn(value: $0, label: group["label"]) }
        }
    }

    func addresses() -> [CSVHeaderMap.AddressColumns] {
        groups("address").compactMap { group in
            var columns = CSVHeaderMap.AddressColumns(label: group["label"])
            columns.formatted = group["formatted"]
            columns.street = group["street"]
            columns.city = group["city"]
            columns.poBox = group["pobox"]
            columns.region = group["region"]
            columns.postalCode = group["postalcode"]
            columns.country = group["country"]
            columns.extended = group["extendedaddress"]
            columns.collectComponents()
            return columns.components.isEmpty ? nil : columns
        }
    }

    func organizations() -> [CSVHeaderMap.OrganizationColumns] {
        groups("organization").map { group in
            CSVHeaderMap.OrganizationColumns(name: group["name"], title: group["title"], department: group["department"])
        }
    }
}
