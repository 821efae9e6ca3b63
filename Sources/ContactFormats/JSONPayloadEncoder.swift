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
                json.member("user_id", encoder.userID)
                // The service repeats the import id as `id`.
                json.key("id")
                json.integer(encoder.importID)
                json.member("echo", encoder.echo)
                json.endObject()
            }
            output.append(0x0A)
        }

        private static func write(_ contact: ContactBytes, to json: inout JSONPayloadWriter) {
            json.beginObject()
            json.member("first_name", contact.text(.firstName))
            json.member("last_name", contact.text(.lastName))
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
            json.member("dob", contact.birthday?.dob)
            json.member("birthday", contact.birthday?.monthDay)
            json.key("companies" as StaticString)
            json.beginArray()
            for index in 0..<contact.companyCount { json.string(contact.company(index)) }
            json.endArray()
            json.member("job_title", contact.text(.jobTitle))
            json.member("title", contact.text(.title))
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
            json.member("middle_name", contact.text(.middleName))
            json.member("suffix", contact.text(.suffix))
            json.member("display_name", contact.text(.displayName))
            json.member("nickname", contact.text(.nickname))
            json.member("department", contact.text(.department))
            json.key("urls" as StaticString)
            json.beginArray()
            for index in 0..<contact.urlCount {
                let url = contact.url(index)
                json.beginObject()
                json.member("url", url.value)
                json.member("type", url.type)
                json.endObject()
            }
            json.endArray()
            json.member("notes", contact.text(.notes))
            json.member("uid", contact.text(.uid))
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
                json.member(valueKey, entry.value)
                json.member("type", entry.type)
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
            json.member("type", address.type)
            json.member("street", address.street)
            json.member("city", address.city)
            json.member("region", address.region)
            json.member("postal_code", address.postalCode)
            json.member("country", address.country)
            json.member("formatted", address.formatted)
            json.member("po_box", address.poBox)
            json.member("extended", address.extended)
            if address.primary {
                json.key("primary" as StaticString)
                json.bool(true)
            }
            json.endObject()
        }
    }

    fileprivate func write(_ owner: ContactsOwner, to json: inout JSONPayloadWriter) {
        json.beginObject()
        json.member("first_name", owner.firstName)
        json.member("last_name", owner.lastName)
        json.member("external_id", owner.externalID)
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
        _ entries: [Entry], primary: Entry?, valueKey: StaticString, value: (Entry) -> String, type: (Entry) -> String?,
        to json: inout JSONPayloadWriter
    ) {
        json.beginArray()
        var primaryWritten = false
        for entry in entries {
            json.beginObject()
            json.member(valueKey, value(entry))
            json.member("type", type(entry))
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
