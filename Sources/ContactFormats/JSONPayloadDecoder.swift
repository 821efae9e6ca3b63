import ImportCore

/// Reads the CloudSponge contacts payload (spec §4): a whole payload object with a
/// `contacts` array (and `contacts_owner`), a bare array of contact objects, or a single
/// contact object.
///
/// JSON is not line-oriented, so the bytes are buffered and parsed at `finish()`. The
/// buffer is bounded by `byteLimit`; a larger file is refused with 1026. The `contacts`
/// array is walked element by element, so only one contact's tree exists at a time.
public struct JSONPayloadDecoder: ContactDecoder {
    public static let defaultByteLimit = 512 * 1024 * 1024

    public private(set) var skipped: [SkippedRecord] = []
    /// The payload's `contacts_owner`, when it had one (known after `finish()`).
    public private(set) var owner: ContactsOwner?

    private let byteLimit: Int
    private var normalizer = PlainTextNormalizer()
    private var buffer: [UInt8] = []

    private static let personKeys: Set = ["first_name", "last_name", "email", "phone", "emails", "phones"]

    public init() {
        self.init(byteLimit: Self.defaultByteLimit)
    }

    public init(byteLimit: Int) {
        self.byteLimit = max(1, byteLimit)
    }

    public mutating func decode(_ chunk: ArraySlice<UInt8>) throws -> [Contact] {
        let text = normalizer.normalize(chunk)
        guard buffer.count + text.count <= byteLimit else {
            buffer = []
            throw ImportError(.fileUnparseable, "the JSON file is larger than \(byteLimit / (1024 * 1024)) MiB, the most this reader holds in memory")
        }
        buffer += text
        return []
    }

    public mutating func finish() throws -> [Contact] {
        buffer += normalizer.finish()
        let bytes = buffer
        buffer = []
        var parser = JSONPayloadParser(bytes)
        parser.skipWhitespace()
        if parser.atEnd { return [] }

        var contacts: [Contact] = []
        switch parser.next {
        case UInt8(ascii: "["):
            try parser.elements { line, value in take(value, line: line, into: &contacts) }
        case UInt8(ascii: "{"):
            try readObject(&parser, into: &contacts)
        default:
            throw parser.failure("expected a JSON object or array")
        }
        parser.skipWhitespace()
        guard parser.atEnd else { throw parser.failure("unexpected data after the end of the JSON document") }
        return contacts
    }

    /// A payload object, or a lone contact object when it has no `contacts` key.
    private mutating func readObject(_ parser: inout JSONPayloadParser, into contacts: inout [Contact]) throws {
        var sawContacts = false
        var others: [String: JSONPayloadValue] = [:]
        var decoder = self
        try parser.members { parser, key in
            switch key {
            case "contacts" where parser.next == UInt8(ascii: "["):
                sawContacts = true
                try parser.elements { line, value in decoder.take(value, line: line, into: &contacts) }
            case "contacts_owner":
                decoder.owner = JSONPayloadContactMapper.owner(try parser.value())
            default:
                others[key] = try parser.value()
            }
        }
        self = decoder
        if sawContacts { return }
        if others.keys.contains(where: Self.personKeys.contains) {
            take(.object(others), line: 1, into: &contacts)
        } else {
            throw ImportError(.fileUnparseable, "the JSON has no \"contacts\" array")
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
