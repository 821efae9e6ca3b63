import ImportCore

/// Control characters in values (the bytes `StrayControlBytes` names: NUL, most of C0,
/// DEL). A contact can hold them, from an LDIF base64 value or a JSON `\u0001`, but our
/// readers skip a record holding one raw, so writing them as they are would lose the
/// contact when the export is read again. JSON escapes them (`\u00XX`) and LDIF writes
/// such a value in base64; vCard, CSV and the mutt formats have no way to write them, so
/// their output is passed through this filter, which leaves them out and counts the
/// contacts concerned for the caller to report. None of these bytes is part of any of
/// these formats' syntax, so taking them out of the output takes them out of the values.
public struct ControlCharacterFilter: ContactStreamWriter {
    private var base: any ContactStreamWriter
    public private(set) var contactsCleaned = 0

    init(_ base: any ContactStreamWriter) { self.base = base }

    public var contactsLeftOut: Int { base.contactsLeftOut }

    public mutating func begin(into output: inout OutputBytes) { base.begin(into: &output) }
    public mutating func end(into output: inout OutputBytes) { base.end(into: &output) }
    public mutating func end(into output: inout OutputBytes, pieceSize: Int, flush: (inout OutputBytes) throws -> Void) throws {
        try base.end(into: &output, pieceSize: pieceSize, flush: flush)
    }

    public mutating func write(_ contact: Contact, into output: inout OutputBytes) {
        let start = output.count
        base.write(contact, into: &output)
        if ControlCharacterRemoval.clean(&output, writtenFrom: start, for: contact) { contactsCleaned += 1 }
    }

    /// The base writer's own loop, asked to drop them: the filter would otherwise call
    /// it through the existential for each contact.
    public mutating func write(
        _ contacts: [Contact], into output: inout OutputBytes, pieceSize: Int,
        droppingControlCharacters _: Bool, cleaned _: inout Int,
        flush: (inout OutputBytes, _ written: Int) throws -> Void
    ) throws {
        try base.write(contacts, into: &output, pieceSize: pieceSize, droppingControlCharacters: true, cleaned: &contactsCleaned, flush: flush)
    }
}

extension ContactFormat {
    /// Whether the format has no way to write a control character, so that its writer
    /// leaves them out (`ControlCharacterFilter`).
    var dropsControlCharacters: Bool {
        switch self {
        case .json, .ldif: return false
        case .vcard3, .vcard4, .googleCSV, .outlookCSV, .muttAliases, .muttQuery: return true
        }
    }
}

/// An encoder whose output leaves control characters out, as `ControlCharacterFilter`.
struct ControlCharacterFreeEncoder: ContactEncoder {
    let base: any ContactEncoder

    func encode(_ contacts: [Contact], into output: inout [UInt8]) {
        let start = output.count
        base.encode(contacts, into: &output)
        guard output[start...].contains(where: StrayControlBytes.isStray) else { return }
        let kept = output[start...].filter { !StrayControlBytes.isStray($0) }
        output.replaceSubrange(start..., with: kept)
    }
}
