import ImportCore

/// Turns payload objects (spec §4 shape) into contacts. Lenient where the spec records
/// variation (null addresses, `null` in `companies`, backslash-escaped commas, plural
/// array names from the newer widget payload), strict where a value has the wrong type:
/// such a contact is skipped with a reason rather than half-read.
enum JSONPayloadContactMapper {
    struct ShapeError: Error {
        var reason: String
    }

    typealias Object = [String: JSONPayloadValue]

    static func contact(_ value: JSONPayloadValue) throws -> Contact {
        guard case .object(let object) = value else { throw ShapeError(reason: "a contact is not a JSON object") }
        var contact = ContactFields()
        contact.firstName = try text(object, "first_name")
        contact.lastName = try text(object, "last_name")
        contact.middleName = try text(object, "middle_name")
        contact.title = try text(object, "title")
        contact.suffix = try text(object, "suffix")
        contact.displayName = try text(object, "display_name")
        contact.nickname = try text(object, "nickname")
        contact.department = try text(object, "department")
        contact.jobTitle = try text(object, "job_title")
        contact.notes = try text(object, "notes")
        contact.uid = try text(object, "uid")

        contact.emails = try entries(object, ["email", "emails"]) { entry, field in
            try entryObject(entry, field: field, shorthand: "address").flatMap { item in
                guard let address = try text(item, "address") else { return nil }
                return EmailAddress(address, type: try text(item, "type"), primary: try flag(item, "primary"))
            }
        }
        contact.phones = try entries(object, ["phone", "phones"]) { entry, field in
            try entryObject(entry, field: field, shorthand: "number").flatMap { item in
                guard let number = try text(item, "number") else { return nil }
                return PhoneNumber(number, type: try text(item, "type"), primary: try flag(item, "primary"))
            }
        }
        contact.addresses = try entries(object, ["address", "addresses"]) { entry, field in
            try entryObject(entry, field: field, shorthand: "formatted").flatMap { item in
                let address = PostalAddress(
                    type: try text(item, "type"), poBox: try text(item, "po_box"), extended: try text(item, "extended"),
                    street: try text(item, "street"), city: try text(item, "city"), region: try text(item, "region"),
                    postalCode: try text(item, "postal_code"), country: try text(item, "country"),
                    formatted: try text(item, "formatted"), primary: try flag(item, "primary"))
                return address.isEmpty ? nil : address
            }
        }
        contact.urls = try entries(object, ["urls"]) { entry, field in
            try entryObject(entry, field: field, shorthand: "url").flatMap { item in
                guard let url = try text(item, "url") else { return nil }
                return WebAddress(url, type: try text(item, "type"))
            }
        }
        contact.companies = try strings(object, "companies").map(unescapeCommas)
        contact.groups = try strings(object, "groups")
        contact.photos = try entries(object, ["photos"]) { entry, field in
            try entryObject(entry, field: field, shorthand: "url").flatMap { item in
                guard let uri = try text(item, "url") ?? text(item, "uri") ?? text(item, "value") else { return nil }
                return photo(uri)
            }
        }
        contact.birthday = try birthday(object)
        // As the vCard reader and the provider mappers: a record with nothing a person
        // would recognise (only a uid or groups, say) is skipped with a reason, not kept
        // as a contact that every other format then drops.
        var recognisable = contact
        recognisable.companies.removeAll(where: \.isEmpty)
        guard !recognisable.isEmpty else { throw ShapeError(reason: "the contact has no name, e-mail, phone, address or other usable field") }
        return Contact(contact)
    }

    static func owner(_ value: JSONPayloadValue) -> ContactsOwner? {
        guard case .object(let object) = value else { return nil }
        let emails = (try? entries(object, ["email", "emails"]) { entry, field in
            try entryObject(entry, field: field, shorthand: "address").flatMap { item in
                try text(item, "address").map { EmailAddress($0, type: try text(item, "type"), primary: try flag(item, "primary")) }
            }
        }) ?? []
        return ContactsOwner(
            firstName: try? text(object, "first_name"), lastName: try? text(object, "last_name"),
            emails: emails, externalID: try? text(object, "external_id"))
    }

    // MARK: - Field readers

    /// A string field; absent, null and blank text (`isBlankText`) are nil. Numbers are
    /// accepted as their text (phone numbers and ids arrive unquoted from some producers).
    static func text(_ object: Object, _ key: String) throws -> String? {
        switch object[key] {
        case nil, .null?: return nil
        case .string(let value)?: return value.isBlankText ? nil : value
        case .number(let value)?: return value
        default: throw ShapeError(reason: "`\(key)` is not a string")
        }
    }

    private static func flag(_ object: Object, _ key: String) throws -> Bool {
        switch object[key] {
        case nil, .null?: return false
        case .bool(let value)?: return value
        default: throw ShapeError(reason: "`\(key)` is not true or false")
        }
    }

    /// The elements of the first array present under one of `keys`, each mapped by `body`
    /// (nil results dropped).
    private static func entries<T>(
        _ object: Object, _ keys: [String], _ body: (JSONPayloadValue, String) throws -> T?
    ) throws -> [T] {
        guard let key = keys.first(where: { object[$0] != nil }) else { return [] }
        switch object[key] {
        case .null?: return []
        case .array(let items)?:
            return try items.enumerated().compactMap { offset, item in try body(item, "\(key)[\(offset)]") }
        default: throw ShapeError(reason: "`\(key)` is not an array")
        }
    }

    /// An array entry as an object; a bare string stands for `{shorthand: string}`; null is nothing.
    private static func entryObject(_ value: JSONPayloadValue, field: String, shorthand: String) throws -> Object? {
        switch value {
        case .object(let object): return object
        case .string(let text): return [shorthand: .string(text)]
        case .null: return nil
        default: throw ShapeError(reason: "`\(field)` is not an object")
        }
    }

    private static func strings(_ object: Object, _ key: String) throws -> [String] {
        switch object[key] {
        case nil, .null?: return []
        case .string(let value)?: return value.isBlankText ? [] : [value]
        case .array(let items)?:
            return try items.compactMap { item in
                switch item {
                case .null: return nil
                case .string(let value): return value.isBlankText ? nil : value
                default: throw ShapeError(reason: "`\(key)` holds something other than strings")
                }
            }
        default: throw ShapeError(reason: "`\(key)` is not an array")
        }
    }

    /// `dob` (`YYYY-MM-DD`) wins; `birthday` (`MM-DD`, also `--MM-DD`) gives a date without a year.
    private static func birthday(_ object: Object) throws -> Birthday? {
        if let dob = try text(object, "dob") {
            let parts = dob.split(separator: "-").map { Int($0) }
            if parts.count == 3, let year = parts[0], let month = parts[1], let day = parts[2],
                let birthday = Birthday(year: year, month: month, day: day)
            {
                return birthday
            }
        }
        if let monthDay = try text(object, "birthday") {
            let parts = monthDay.split(separator: "-").map { Int($0) }
            if parts.count == 2, let month = parts[0], let day = parts[1] {
                return Birthday(year: nil, month: month, day: day)
            }
        }
        return nil
    }

    /// The spec records company names arriving as `Casper\, Ryan and Crona`.
    private static func unescapeCommas(_ company: String) -> String {
        company.contains("\\,") ? company.split(separator: "\\,", omittingEmptySubsequences: false).joined(separator: ",") : company
    }

    /// Inline `data:…;base64,` URIs become bytes again; anything else stays a link.
    static func photo(_ uri: String) -> Photo {
        guard uri.hasPrefix("data:"), let comma = uri.firstIndex(of: ",") else { return Photo(.url(uri)) }
        let header = uri[uri.index(uri.startIndex, offsetBy: 5)..<comma]
        guard header.hasSuffix(";base64"), let bytes = LDIFBase64.decode(uri[uri.index(after: comma)...].utf8) else {
            return Photo(.url(uri))
        }
        // `Photo.uriString` writes a missing media type as application/octet-stream.
        let mediaType = String(header.dropLast(";base64".count))
        let known = mediaType.isEmpty || mediaType == "application/octet-stream" ? nil : mediaType
        return Photo(.data(bytes, mediaType: known))
    }
}
