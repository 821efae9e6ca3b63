import ImportCore

/// Writes contacts one at a time, so that output can flow while the input is still being
/// read: `begin` once, `write` per contact, `end` once. Every encoder's `encode` is the
/// same three steps over an array, so both paths give the same bytes.
public protocol ContactStreamWriter {
    /// Appends what comes before the first contact (a header, an opening bracket).
    mutating func begin(into output: inout OutputBytes)
    mutating func write(_ contact: Contact, into output: inout OutputBytes)
    /// Appends what comes after the last contact (lists of groups, counts, a footer).
    mutating func end(into output: inout OutputBytes)
    /// Contacts given to `write` that the format cannot hold at all (a mutt alias needs an
    /// email address), so that the caller says they were left out.
    var contactsLeftOut: Int { get }
    /// `end`, handing the output to `flush` (which empties it) whenever it holds
    /// `pieceSize` bytes or more, for an ending that can be long (LDIF's lists, which
    /// name every member), so that it is never held whole.
    mutating func end(into output: inout OutputBytes, pieceSize: Int, flush: (inout OutputBytes) throws -> Void) throws
    /// `write` for each of `contacts`, handing the output to `flush` (which empties it),
    /// with how many of them are written, whenever it holds `pieceSize` bytes or more;
    /// with `droppingControlCharacters`, taking them out of each contact's output and
    /// counting in `cleaned` the contacts that had some. (`ControlCharacterFilter`, which
    /// drops them whatever it is asked, counts in its own `contactsCleaned`.)
    /// One call through `any ContactStreamWriter` for the batch, and the loop specialised
    /// for the writer: a call per contact would open the existential, and check that its
    /// box is not shared, every time.
    mutating func write(
        _ contacts: [Contact], into output: inout OutputBytes, pieceSize: Int,
        droppingControlCharacters: Bool, cleaned: inout Int,
        flush: (inout OutputBytes, _ written: Int) throws -> Void
    ) throws
    /// Contacts written without control characters the format cannot hold
    /// (`ControlCharacterFilter`).
    var contactsCleaned: Int { get }
}

extension ContactStreamWriter {
    /// Most formats hold every contact.
    public var contactsLeftOut: Int { 0 }

    /// Most formats write what they are given.
    public var contactsCleaned: Int { 0 }

    public mutating func write(
        _ contacts: [Contact], into output: inout OutputBytes, pieceSize: Int,
        droppingControlCharacters: Bool, cleaned: inout Int,
        flush: (inout OutputBytes, _ written: Int) throws -> Void
    ) throws {
        // Through the buffer: the array's subscript would retain and release each contact.
        try contacts.withUnsafeBufferPointer { contacts in
            for index in contacts.indices {
                let contact = contacts[index]
                let start = output.count
                write(contact, into: &output)
                if droppingControlCharacters, ControlCharacterRemoval.clean(&output, writtenFrom: start, for: contact) {
                    cleaned += 1
                }
                if output.count >= pieceSize { try flush(&output, index + 1) }
            }
        }
    }

    /// The batch `write` as the writer is made: `ControlCharacterFilter` drops the
    /// control characters, the others write them.
    public mutating func write(
        _ contacts: [Contact], into output: inout OutputBytes, pieceSize: Int,
        flush: (inout OutputBytes, _ written: Int) throws -> Void
    ) throws {
        var cleaned = 0
        try write(contacts, into: &output, pieceSize: pieceSize, droppingControlCharacters: false, cleaned: &cleaned, flush: flush)
    }

    /// Most endings are short: written whole.
    public mutating func end(into output: inout OutputBytes, pieceSize: Int, flush: (inout OutputBytes) throws -> Void) throws {
        end(into: &output)
    }

    /// All of `contacts`, header and footer included.
    mutating func writeAll(_ contacts: [Contact], into output: inout [UInt8]) {
        var bytes = OutputBytes(capacity: 1 << 16)
        begin(into: &bytes)
        for contact in contacts { write(contact, into: &bytes) }
        end(into: &bytes)
        bytes.withBytes { output.append(contentsOf: $0) }
    }

    // The same steps into an array, for callers that collect the bytes there: each
    // step goes through a buffer of its own, then into the array.

    public mutating func begin(into output: inout [UInt8]) {
        var bytes = OutputBytes()
        begin(into: &bytes)
        bytes.withBytes { output.append(contentsOf: $0) }
    }

    public mutating func write(_ contact: Contact, into output: inout [UInt8]) {
        var bytes = OutputBytes()
        write(contact, into: &bytes)
        bytes.withBytes { output.append(contentsOf: $0) }
    }

    public mutating func end(into output: inout [UInt8]) {
        var bytes = OutputBytes()
        end(into: &bytes)
        bytes.withBytes { output.append(contentsOf: $0) }
    }
}

/// Appending to the byte arrays writers compose small texts in.
extension Array where Element == UInt8 {
    @inline(__always)
    mutating func append(_ text: StaticString) {
        append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// `value` in decimal, padded with zeros to `width` digits.
    mutating func appendDecimal(_ value: Int, width: Int = 1) {
        var digits = OutputBytes(capacity: 32)
        digits.appendDecimal(value, width: width)
        digits.withBytes { append(contentsOf: $0) }
    }
}
