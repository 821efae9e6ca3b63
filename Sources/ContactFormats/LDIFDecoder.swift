import ImportCore

/// Reads LDIF address books as Thunderbird exports them (see `LDIFRecordReader` for the
/// syntax and `LDIFAttributes` for the attribute names understood).
///
/// Mailing lists (`objectclass: groupOfNames`) become group names on their members, and
/// a list may come before or after the cards it names. Rather than guess, the decoder
/// keeps every contact until `finish()` and resolves memberships there: `decode` returns
/// no contacts for LDIF, and `heldBack` counts them meanwhile. Memory stays proportional to the contacts (plus one DN key per
/// contact and the lists' member DNs); the bytes of the file are never held.
public struct LDIFDecoder: ContactDecoder {
    public private(set) var skipped: [SkippedRecord] = []

    private var reader = LDIFRecordReader()
    private var contacts: [Contact] = []
    /// Normalised DN → indices in `contacts` (several cards may share a DN).
    private var contactsByDN: [String: [Int]] = [:]
    private var lists: [(name: String, members: [String])] = []

    public init() {}

    public var heldBack: Int { contacts.count }

    public mutating func decode(_ chunk: ArraySlice<UInt8>) throws -> [Contact] {
        var records: [LDIFRecord] = []
        reader.read(chunk) { records.append($0) }
        records.forEach { take($0) }
        return []
    }

    public mutating func finish() throws -> [Contact] {
        var records: [LDIFRecord] = []
        reader.finish { records.append($0) }
        records.forEach { take($0) }

        // Gathered first, then each contact is changed once: a packed contact is repacked
        // on every change, and one person may be on many lists.
        var memberships: [Int: [String]] = [:]
        for list in lists {
            for member in list.members {
                for index in contactsByDN[LDIFDistinguishedName.key(member)] ?? [] {
                    memberships[index, default: []].append(list.name)
                }
            }
        }
        for (index, names) in memberships {
            contacts[index] = Contact(addingGroups: names, to: contacts[index])
        }
        let result = contacts
        contacts = []
        contactsByDN = [:]
        lists = []
        return result
    }

    private mutating func take(_ record: LDIFRecord) {
        switch LDIFContactMapper.entry(record) {
        case .failure(let reason):
            skipped.append(SkippedRecord(line: record.line, reason: reason.text))
        case .success(.contact(let contact, let dn)):
            contactsByDN[LDIFDistinguishedName.key(dn), default: []].append(contacts.count)
            contacts.append(contact)
        case .success(.mailingList(let name, let members)):
            lists.append((name, members))
        case .success(.ignorable):
            break
        }
    }
}
