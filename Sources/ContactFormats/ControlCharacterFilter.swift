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
    /// Contacts written without some of their control characters.
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
        // The writers' own syntax holds none: only a contact's values can bring one.
        guard contact.holdsStrayControlBytes else { return }
        if Self.removeControlCharacters(from: &output, after: start) { contactsCleaned += 1 }
    }

    /// Whether the bytes from `start` on hold a control character this filter takes out.
    public static func holdsControlCharacters(_ output: borrowing OutputBytes, after start: Int) -> Bool {
        output.withBytes(from: start) { StrayControlBytes.first(in: $0) } != nil
    }

    /// Takes the control characters out of the bytes from `start` on; whether there were any.
    static func removeControlCharacters(from output: inout OutputBytes, after start: Int) -> Bool {
        var none: [Int] = []
        return removeControlCharacters(from: &output, after: start, keeping: &none)
    }

    /// The same, moving each of `positions` (offsets from `start` into the written bytes)
    /// back by the control characters taken out before it, so it still marks the same place.
    public static func removeControlCharacters(from output: inout OutputBytes, after start: Int, keeping positions: inout [Int]) -> Bool {
        guard holdsControlCharacters(output, after: start) else { return false }
        let original = positions
        var kept = start
        for index in start..<output.count {
            if StrayControlBytes.isStray(output[index]) {
                for slot in positions.indices where index - start < original[slot] { positions[slot] -= 1 }
            } else {
                output[kept] = output[index]
                kept += 1
            }
        }
        output.truncate(to: kept)
        return true
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
