import ImportCore

/// Writes the CloudSponge contacts payload exactly in the spec §4 shape: top-level
/// `contacts`, `contacts_owner`, `start`, `count`, `total`, `import_id`, `user_id`, `id`,
/// `echo`; contact arrays under singular names (`email`, `phone`, `address`); absent
/// values as explicit `null`, never as missing keys. Keys come in a fixed order (the
/// order of the spec's sample), so the same contacts always give the same bytes.
///
/// Extensions beyond the spec, appended after the spec's keys so that clients reading
/// only the spec's keys are unaffected, carry what the model holds and the payload has
/// no key for: `middle_name`, `suffix`, `display_name`, `nickname`, `department`,
/// `urls` (`[{url, type}]`), `notes`, `uid`; in addresses `po_box` and `extended`.
public struct JSONPayloadEncoder: ContactEncoder {
    public var importID: Int?
    public var userID: String?
    public var echo: String?
    public var owner: ContactsOwner?

    public init(importID: Int? = nil, userID: String? = nil, echo: String? = nil, owner: ContactsOwner? = nil) {
        self.importID = importID
        self.userID = userID
        self.echo = echo
        self.owner = owner
    }

    public func encode(_ contacts: [Contact], into output: inout [UInt8]) {
        var json = JSONPayloadWriter()
        json.beginObject()
        json.key("contacts")
        json.beginArray()
        for contact in contacts { write(contact.fields, to: &json) }
        json.endArray()
        json.key("contacts_owner")
        if let owner { write(owner, to: &json) } else { json.null() }
        json.key("start")
        json.integer(0)
        json.key("count")
        json.integer(contacts.count)
        json.key("total")
        json.integer(contacts.count)
        json.key("import_id")
        json.integer(importID)
        json.key("user_id")
        json.string(userID)
        // The service repeats the import id as `id`.
        json.key("id")
        json.integer(importID)
        json.key("echo")
        json.string(echo)
        json.endObject()
        output += json.output
        output.append(0x0A)
    }

    private func write(_ contact: ContactFields, to json: inout JSONPayloadWriter) {
        json.beginObject()
        json.key("first_name")
        json.string(contact.firstName)
        json.key("last_name")
        json.string(contact.lastName)
        json.key("phone")
        writePhones(contact.phones, primary: contact.primaryPhone, to: &json)
        json.key("email")
        writeEmails(contact.emails, primary: contact.primaryEmail, to: &json)
        json.key("address")
        json.beginArray()
        for address in contact.addresses { write(address, to: &json) }
        json.endArray()
        json.key("groups")
        writeStrings(contact.groups, to: &json)
        json.key("dob")
        json.string(contact.birthday?.dob)
        json.key("birthday")
        json.string(contact.birthday?.monthDay)
        json.key("companies")
        writeStrings(contact.companies, to: &json)
        json.key("job_title")
        json.string(contact.jobTitle)
        json.key("title")
        json.string(contact.title)
        // The spec never saw a photo; each is written as its URI (a link or a data: URI).
        json.key("photos")
        writeStrings(contact.photos.map(\.uriString), to: &json)
        json.key("locations")
        json.beginArray()
        json.endArray()

        // Extensions (see the type's comment).
        json.key("middle_name")
        json.string(contact.middleName)
        json.key("suffix")
        json.string(contact.suffix)
        json.key("display_name")
        json.string(contact.displayName)
        json.key("nickname")
        json.string(contact.nickname)
        json.key("department")
        json.string(contact.department)
        json.key("urls")
        json.beginArray()
        for url in contact.urls {
            json.beginObject()
            json.key("url")
            json.string(url.url)
            json.key("type")
            json.string(url.type)
            json.endObject()
        }
        json.endArray()
        json.key("notes")
        json.string(contact.notes)
        json.key("uid")
        json.string(contact.uid)
        json.endObject()
    }

    private func write(_ owner: ContactsOwner, to json: inout JSONPayloadWriter) {
        json.beginObject()
        json.key("first_name")
        json.string(owner.firstName)
        json.key("last_name")
        json.string(owner.lastName)
        json.key("external_id")
        json.string(owner.externalID)
        json.key("phone")
        json.beginArray()
        json.endArray()
        json.key("email")
        writeEmails(owner.emails, primary: owner.emails.first(where: \.primary), to: &json)
        for empty in ["groups", "companies", "photos", "locations"] {
            json.key(empty)
            json.beginArray()
            json.endArray()
        }
        json.key("owner")
        json.bool(true)
        json.endObject()
    }

    /// `{address, type, primary}`; as in the observed payload, `primary: true` marks the
    /// one primary entry and the key is absent on the others.
    private func writeEmails(_ emails: [EmailAddress], primary: EmailAddress?, to json: inout JSONPayloadWriter) {
        writeEntries(emails, primary: primary, valueKey: "address", value: \.address, type: \.type, to: &json)
    }

    /// `{number, type, primary}`, with `primary` as for emails.
    private func writePhones(_ phones: [PhoneNumber], primary: PhoneNumber?, to json: inout JSONPayloadWriter) {
        writeEntries(phones, primary: primary, valueKey: "number", value: \.number, type: \.type, to: &json)
    }

    private func writeEntries<Entry: Equatable>(
        _ entries: [Entry], primary: Entry?, valueKey: String, value: (Entry) -> String, type: (Entry) -> String?,
        to json: inout JSONPayloadWriter
    ) {
        json.beginArray()
        var primaryWritten = false
        for entry in entries {
            json.beginObject()
            json.key(valueKey)
            json.string(value(entry))
            json.key("type")
            json.string(type(entry))
            if !primaryWritten && entry == primary {
                primaryWritten = true
                json.key("primary")
                json.bool(true)
            }
            json.endObject()
        }
        json.endArray()
    }

    private func write(_ address: PostalAddress, to json: inout JSONPayloadWriter) {
        json.beginObject()
        let fields: [(String, String?)] = [
            ("type", address.type), ("street", address.street), ("city", address.city), ("region", address.region),
            ("postal_code", address.postalCode), ("country", address.country), ("formatted", address.formatted),
            ("po_box", address.poBox), ("extended", address.extended),
        ]
        for (key, value) in fields {
            json.key(key)
            json.string(value)
        }
        if address.primary {
            json.key("primary")
            json.bool(true)
        }
        json.endObject()
    }

    private func writeStrings(_ values: [String], to json: inout JSONPayloadWriter) {
        json.beginArray()
        for value in values { json.string(value) }
        json.endArray()
    }
}
