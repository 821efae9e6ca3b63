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
        var writer = writer()
        writer.writeAll(contacts, into: &output)
    }

    /// A writer of this payload, contact by contact; the counts come at the end.
    public func writer() -> Writer { Writer(encoder: self) }

    public struct Writer: ContactStreamWriter {
        typealias Text = UnsafeBufferPointer<UInt8>

        let encoder: JSONPayloadEncoder
        private var json = JSONPayloadWriter()
        private var count = 0

        init(encoder: JSONPayloadEncoder) {
            self.encoder = encoder
        }

        public mutating func begin(into output: inout OutputBytes) {
            json.writing(into: &output) { json in
                json.beginObject()
                json.key("contacts" as StaticString)
                json.beginArray()
            }
        }

        public mutating func write(_ contact: Contact, into output: inout OutputBytes) {
            json.writing(into: &output) { json in
                contact.withBytes { Self.write($0, to: &json) }
            }
            count += 1
        }

        public mutating func end(into output: inout OutputBytes) {
            let encoder = encoder
            let count = count
            json.writing(into: &output) { json in
                json.endArray()
                json.key("contacts_owner")
                if let owner = encoder.owner { encoder.write(owner, to: &json) } else { json.null() }
                json.key("start")
                json.integer(0)
                json.key("count")
                json.integer(count)
                json.key("total")
                json.integer(count)
                json.key("import_id")
                json.integer(encoder.importID)
                json.key("user_id")
                json.string(encoder.userID)
                // The service repeats the import id as `id`.
                json.key("id")
                json.integer(encoder.importID)
                json.key("echo")
                json.string(encoder.echo)
                json.endObject()
            }
            output.append(0x0A)
        }

        private static func write(_ contact: ContactBytes, to json: inout JSONPayloadWriter) {
            json.beginObject()
            json.key("first_name" as StaticString)
            json.string(contact.text(.firstName))
            json.key("last_name" as StaticString)
            json.string(contact.text(.lastName))
            json.key("phone" as StaticString)
            writeEntries(count: contact.phoneCount, primary: contact.primaryPhoneIndex, valueKey: "number",
                         item: contact.phone, to: &json)
            json.key("email" as StaticString)
            writeEntries(count: contact.emailCount, primary: contact.primaryEmailIndex, valueKey: "address",
                         item: contact.email, to: &json)
            json.key("address" as StaticString)
            json.beginArray()
            for index in 0..<contact.addressCount { write(contact.address(index), to: &json) }
            json.endArray()
            json.key("groups" as StaticString)
            json.beginArray()
            for index in 0..<contact.groupCount { json.string(contact.group(index)) }
            json.endArray()
            json.key("dob" as StaticString)
            json.string(contact.birthday?.dob)
            json.key("birthday" as StaticString)
            json.string(contact.birthday?.monthDay)
            json.key("companies" as StaticString)
            json.beginArray()
            for index in 0..<contact.companyCount { json.string(contact.company(index)) }
            json.endArray()
            json.key("job_title" as StaticString)
            json.string(contact.text(.jobTitle))
            json.key("title" as StaticString)
            json.string(contact.text(.title))
            // The spec never saw a photo; each is written as its URI (a link or a data: URI).
            json.key("photos" as StaticString)
            json.beginArray()
            if contact.hasPhotos {
                for photo in contact.photos { json.string(photo.uriString) }
            }
            json.endArray()
            json.key("locations" as StaticString)
            json.beginArray()
            json.endArray()

            // Extensions (see the type's comment).
            json.key("middle_name" as StaticString)
            json.string(contact.text(.middleName))
            json.key("suffix" as StaticString)
            json.string(contact.text(.suffix))
            json.key("display_name" as StaticString)
            json.string(contact.text(.displayName))
            json.key("nickname" as StaticString)
            json.string(contact.text(.nickname))
            json.key("department" as StaticString)
            json.string(contact.text(.department))
            json.key("urls" as StaticString)
            json.beginArray()
            for index in 0..<contact.urlCount {
                let url = contact.url(index)
                json.beginObject()
                json.key("url" as StaticString)
                json.string(url.value)
                json.key("type" as StaticString)
                json.string(url.type)
                json.endObject()
            }
            json.endArray()
            json.key("notes" as StaticString)
            json.string(contact.text(.notes))
            json.key("uid" as StaticString)
            json.string(contact.text(.uid))
            json.endObject()
        }

        /// `{address|number, type, primary}`; as in the observed payload, `primary: true`
        /// marks the one primary entry (the first flagged, else the first) and the key is
        /// absent on the others.
        private static func writeEntries(
            count: Int, primary: Int?, valueKey: StaticString, item: (Int) -> ContactBytes.Item,
            to json: inout JSONPayloadWriter
        ) {
            json.beginArray()
            for index in 0..<count {
                let entry = item(index)
                json.beginObject()
                json.key(valueKey)
                json.string(entry.value)
                json.key("type" as StaticString)
                json.string(entry.type)
                if index == primary {
                    json.key("primary" as StaticString)
                    json.bool(true)
                }
                json.endObject()
            }
            json.endArray()
        }

        private static func write(_ address: ContactBytes.Address, to json: inout JSONPayloadWriter) {
            json.beginObject()
            json.key("type" as StaticString)
            json.string(address.type)
            json.key("street" as StaticString)
            json.string(address.street)
            json.key("city" as StaticString)
            json.string(address.city)
            json.key("region" as StaticString)
            json.string(address.region)
            json.key("postal_code" as StaticString)
            json.string(address.postalCode)
            json.key("country" as StaticString)
            json.string(address.country)
            json.key("formatted" as StaticString)
            json.string(address.formatted)
            json.key("po_box" as StaticString)
            json.string(address.poBox)
            json.key("extended" as StaticString)
            json.string(address.extended)
            if address.primary {
                json.key("primary" as StaticString)
                json.bool(true)
            }
            json.endObject()
        }
    }

    fileprivate func write(_ owner: ContactsOwner, to json: inout JSONPayloadWriter) {
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
}
