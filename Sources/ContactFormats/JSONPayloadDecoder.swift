import ImportCore

/// Reads the CloudSponge contacts payload (spec §4): a whole payload object with a
/// `contacts` array (and `contacts_owner`), a bare array of contact objects, or a single
/// contact object.
///
/// Streaming: each contact is parsed as soon as its last byte arrives, so memory holds
/// one contact's text at a time whatever the file size. A contact larger than
/// `recordLimit` is skipped and reported; a syntax error anywhere fails the file (1026).
public struct JSONPayloadDecoder: ContactDecoder {
    /// Far above any real contact, photos included.
    public static let defaultRecordLimit = 64 * 1024 * 1024

    public private(set) var skipped: [SkippedRecord] = []
    /// The payload's `contacts_owner`, when it had one (known once it has been read).
    public private(set) var owner: ContactsOwner?

    private var normalizer = PlainTextNormalizer()
    private var splitter: JSONRecordSplitter
    /// The top-level object's other members, which are a lone contact's fields when the
    /// object has no `contacts` array.
    private var others: [String: JSONPayloadValue] = [:]

    private static let personKeys: Set = ["first_name", "last_name", "email", "phone", "emails", "phones"]

    public init() {
        self.init(recordLimit: Self.defaultRecordLimit)
    }

    public init(recordLimit: Int) {
        splitter = JSONRecordSplitter(recordLimit: recordLimit)
    }

    public mutating func decode(_ chunk: ArraySlice<UInt8>, into contacts: inout [Contact]) throws {
        try split(normalizer.normalize(chunk), into: &contacts)
    }

    public mutating func finish(into contacts: inout [Contact]) throws {
        try split(normalizer.finish()[...], into: &contacts)
        try splitter.finish()
        if splitter.sawRecordsInObject || others.isEmpty { return }
        if others.keys.contains(where: Self.personKeys.contains) {
            take(.object(others), line: 1, into: &contacts)
        } else {
            throw ImportError(.fileUnparseable, "the JSON has no \"contacts\" array")
        }
    }

    private mutating func split(_ bytes: ArraySlice<UInt8>, into contacts: inout [Contact]) throws {
        guard !bytes.isEmpty else { return }
        // Borrow the splitter so the callback can change the rest of `self`; a copy would
        // share, and then duplicate, its buffer.
        var splitter = JSONRecordSplitter(recordLimit: 1)
        swap(&splitter, &self.splitter)
        defer { swap(&splitter, &self.splitter) }
        let limit = splitter.recordLimit
        try splitter.feed(bytes) { piece in
            switch piece {
            case .record(let text, let line, let column):
                // JSON forbids raw control characters; one in a contact spoils that contact only.
                if let byte = StrayControlBytes.first(in: text) {
                    skipped.append(SkippedRecord(line: line, reason: StrayControlBytes.reason(byte)))
                    return
                }
                var parser = JSONPayloadParser(Array(text), line: line, column: column)
                take(try parser.value(depth: 1), line: line, into: &contacts)
            case .oversizedRecord(let line):
                skipped.append(SkippedRecord(line: line, reason: "the contact is larger than \(limit / (1024 * 1024)) MiB"))
            case .member(let key, let text, let line, let column):
                var parser = JSONPayloadParser(Array(text), line: line, column: column)
                let value = try parser.value()
                if key == "contacts_owner" {
                    owner = JSONPayloadContactMapper.owner(value)
                } else {
                    others[key] = value
                }
            }
        }
    }

    private mutating func take(_ value: JSONPayloadValue, line: Int, into contacts: inout [Contact]) {
        do {
            contacts.append(try JSONPayloadContactMapper.contact(value))
        } catch let error as JSONPayloadContactMapper.ShapeError {
            skipped.append(SkippedRecord(line: line, reason: error.reason))
        } catch {
            skipped.append(SkippedRecord(line: line, reason: "\(error)"))
        }
    }
}
