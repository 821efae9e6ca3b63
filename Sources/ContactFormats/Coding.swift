import ImportCore

/// A push decoder: the file is fed chunk by chunk so that a file far larger than memory
/// is read once, and only whole records are turned into contacts.
///
/// A decoder implements either pair of methods: the `into:` pair appends to the caller's
/// array, which streaming readers prefer (no intermediate array per chunk); the pair that
/// returns arrays suits readers that hand over their contacts in one batch at the end.
public protocol ContactDecoder {
    /// Consumes the next chunk of bytes and appends the records it completed.
    mutating func decode(_ chunk: ArraySlice<UInt8>, into contacts: inout [Contact]) throws
    /// Signals the end of the input and appends what remains.
    mutating func finish(into contacts: inout [Contact]) throws
    /// Consumes the next chunk of bytes and returns the records it completed.
    mutating func decode(_ chunk: ArraySlice<UInt8>) throws -> [Contact]
    /// Signals the end of the input and returns what remains.
    mutating func finish() throws -> [Contact]
    /// Records that could not be read, each with the line where it starts.
    var skipped: [SkippedRecord] { get }
    /// Contacts read but held back until `finish` (a format whose records refer to
    /// each other), so that progress can count them while the file is read.
    var heldBack: Int { get }
}

extension ContactDecoder {
    public var heldBack: Int { 0 }

    public mutating func decode(_ chunk: ArraySlice<UInt8>, into contacts: inout [Contact]) throws {
        contacts += try decode(chunk)
    }

    public mutating func finish(into contacts: inout [Contact]) throws {
        contacts += try finish()
    }

    public mutating func decode(_ chunk: ArraySlice<UInt8>) throws -> [Contact] {
        var contacts: [Contact] = []
        try decode(chunk, into: &contacts)
        return contacts
    }

    public mutating func finish() throws -> [Contact] {
        var contacts: [Contact] = []
        try finish(into: &contacts)
        return contacts
    }
}

/// Writes contacts in one format. Encoders that need context (the JSON payload's import
/// id, say) take it in their initialiser.
public protocol ContactEncoder: Sendable {
    /// Appends the encoding of all contacts, header and footer included, to `output`.
    func encode(_ contacts: [Contact], into output: inout [UInt8])
}

extension ContactEncoder {
    public func encode(_ contacts: [Contact]) -> [UInt8] {
        var output: [UInt8] = []
        encode(contacts, into: &output)
        return output
    }
}

extension ContactDecoder {
    /// Decodes a whole in-memory input.
    public mutating func decodeAll(_ bytes: [UInt8]) throws -> [Contact] {
        var contacts = try decode(bytes[...])
        contacts += try finish()
        return contacts
    }
}
