import Foundation
import ImportCore

/// The three stages' answers and the error answer, in the shapes of the protocol
/// (§1.1–1.3, §3, §4, §1.7): explicit nulls, both `id` and `import_id`.
enum ResponseDocuments {
    /// `url` is always there, null for a username/password import: the .NET libraries
    /// read `result/url` from every begin answer and throw when it is missing, and the
    /// JSON clients test it for null.
    static func began(_ record: ImportRecord, echo: String?) -> ResponseDocument {
        var fields: [(String, ResponseValue)] = [("status", .string("success")), ("url", .string(record.url))]
        fields += [
            ("echo", .string(echo)),
            ("import_type", .string(record.importType)),
            ("import_id", .integer(record.id)),
            ("user_id", .string(record.userID)),
            ("id", .integer(record.id)),
        ]
        return ResponseDocument(root: "result", fields: fields)
    }

    static func events(_ events: [ImportEvent], record: ImportRecord, echo: String?) -> ResponseDocument {
        let items: [ResponseValue] = events.map { event in
            .object([
                ("import_action_id", .integer(record.id)),
                ("import_id", .integer(record.id)),
                ("event_type", .string(event.type.rawValue)),
                ("value", .integer(event.value)),
                ("description", .string(event.description)),
                ("status", .string(event.status.rawValue)),
                ("created_at", .datetime(event.createdAt)),
                ("updated_at", .datetime(event.updatedAt)),
            ])
        }
        return ResponseDocument(root: "eventsResponse", fields: [
            ("events", .array(item: "event", items)),
            ("import_id", .integer(record.id)),
            ("user_id", .string(record.userID)),
            ("id", .integer(record.id)),
            ("echo", .string(echo)),
        ])
    }

    static func contacts(_ page: ContactsPage, record: ImportRecord, echo: String?, mailingAddresses: Bool) -> ResponseDocument {
        let mapper = ContactDocument(mailingAddresses: mailingAddresses)
        return ResponseDocument(root: "contactsResponse", fields: [
            ("contacts", .array(item: "contact", page.contacts.map { mapper.contact($0.fields) })),
            ("contacts_owner", page.owner.map(mapper.owner) ?? .string(nil)),
            ("start", .integer(page.start)),
            ("count", .integer(page.count)),
            ("total", .integer(page.total)),
            ("import_id", .integer(record.id)),
            ("user_id", .string(record.userID)),
            ("id", .integer(record.id)),
            ("echo", .string(echo)),
        ])
    }

    /// `{"status":"error","error":{"message":…,"code":…},"import_id":…,"user_id":…,"echo":…}`.
    static func error(code: Int, message: String, importID: Int?, userID: String?, echo: String?) -> ResponseDocument {
        ResponseDocument(root: "result", fields: [
            ("status", .string("error")),
            ("error", .object([("message", .string(message)), ("code", .integer(code))])),
            ("import_id", .integer(importID)),
            ("user_id", .string(userID)),
            ("id", .integer(importID)),
            ("echo", .string(echo)),
        ])
    }
}

/// One contact in the protocol's vocabulary (§4): singular array names, every key present
/// (null where empty) so that XML clients find every element they require.
struct ContactDocument {
    /// `include=mailing_address`: without it `address` is an empty array.
    var mailingAddresses: Bool

    func contact(_ fields: ContactFields) -> ResponseValue {
        var out: [(String, ResponseValue)] = [
            ("first_name", .string(fields.firstName ?? "")),
            ("last_name", .string(fields.lastName ?? "")),
            ("phone", .array(item: "phone", fields.phones.map { phone in
                var entry: [(String, ResponseValue)] = [("number", .string(phone.number)), ("type", .string(phone.type))]
                if phone.primary { entry.append(("primary", .boolean(true))) }
                return .object(entry)
            })),
            ("email", emails(fields.emails)),
            ("address", .array(item: "address", mailingAddresses ? fields.addresses.map(address) : [])),
            ("groups", .array(item: "group", fields.groups.map { .string($0) })),
            ("companies", .array(item: "company", fields.companies.map { .string($0) })),
            ("photos", .array(item: "photo", [])),
            ("locations", .array(item: "location", [])),
            ("job_title", .string(fields.jobTitle)),
            ("title", .string(fields.title)),
        ]
        if let birthday = fields.birthday {
            if let year = birthday.year {
                out.append(("dob", .string(String(format: "%04d-%02d-%02d", year, birthday.month, birthday.day))))
            } else {
                out.append(("dob", .string(nil)))
            }
            out.append(("birthday", .string(String(format: "%02d-%02d", birthday.month, birthday.day))))
        } else {
            out.append(("dob", .string(nil)))
            out.append(("birthday", .string(nil)))
        }
        return .object(out)
    }

    func owner(_ owner: ContactsOwner) -> ResponseValue {
        .object([
            ("first_name", .string(owner.firstName)),
            ("last_name", .string(owner.lastName)),
            ("external_id", .string(owner.externalID)),
            ("phone", .array(item: "phone", [])),
            ("email", emails(owner.emails)),
            ("groups", .array(item: "group", [])),
            ("companies", .array(item: "company", [])),
            ("photos", .array(item: "photo", [])),
            ("locations", .array(item: "location", [])),
            ("owner", .boolean(true)),
        ])
    }

    private func emails(_ emails: [EmailAddress]) -> ResponseValue {
        .array(item: "email", emails.map { email in
            var entry: [(String, ResponseValue)] = [("address", .string(email.address)), ("type", .string(email.type))]
            if email.primary { entry.append(("primary", .boolean(true))) }
            return .object(entry)
        })
    }

    private func address(_ address: PostalAddress) -> ResponseValue {
        .object([
            ("type", .string(address.type)),
            ("street", .string(address.street)),
            ("city", .string(address.city)),
            ("region", .string(address.region)),
            ("postal_code", .string(address.postalCode)),
            ("country", .string(address.country)),
            ("formatted", .string(address.formatted ?? (address.singleLine.isEmpty ? nil : address.singleLine))),
        ])
    }
}
