/// `LDIFDistinguishedName.escape` and `key` on bytes, for the writer. Those work on
/// Unicode scalars, and every byte they look for (the specials, blanks, `#`, `,`, `=`) is
/// ASCII, which in UTF-8 is a scalar of its own: the bytes give the same, whatever the text.
enum LDIFNameBytes {
    typealias Text = UnsafeBufferPointer<UInt8>

    /// What RFC 4514 escapes anywhere in a value (`LDIFDistinguishedName.escape`).
    static let specials = ASCIIByteSet(",+\"\\<>;=")

    /// `escape`: a backslash before each special, before a leading space or `#` and
    /// before a trailing space.
    static func appendEscaped(_ value: Text, to out: inout [UInt8]) {
        guard let first = value.first, let last = value.last else { return }
        // Most names and addresses need no backslash: copied in one piece.
        if first != 0x20, first != UInt8(ascii: "#"), last != 0x20, !specials.containsAny(of: value) {
            return out.append(contentsOf: value)
        }
        let count = value.count
        for (offset, byte) in value.enumerated() {
            let escaped = specials.contains(byte)
                || offset == 0 && (byte == 0x20 || byte == UInt8(ascii: "#"))
                || offset == count - 1 && byte == 0x20
            if escaped { out.append(UInt8(ascii: "\\")) }
            out.append(byte)
        }
    }

    /// Feeds `hash` with the escaped value as `key` has it: blanks trimmed, lower case.
    static func hashKeyValue(_ escaped: Text, into hash: inout TakenNames.NameHash, lowercase: inout ScalarLowercase) {
        var start = 0
        var end = escaped.count
        while start < end && (escaped[start] == 0x20 || escaped[start] == 0x09) { start += 1 }
        while end > start && (escaped[end - 1] == 0x20 || escaped[end - 1] == 0x09) { end -= 1 }
        lowercase.feed(Text(rebasing: escaped[start..<end]), into: &hash)
    }
}

/// `String.lowercased()` of UTF-8 bytes, scalar by scalar as it maps them, fed into a
/// hash. The mappings of the Basic Multilingual Plane are looked up once each and kept
/// (the table is made on the first scalar outside ASCII).
struct ScalarLowercase {
    /// Per scalar: 0 when not looked up yet, else the mapping's length in the low byte
    /// and its up to three UTF-8 bytes above it; 0xFF as the length for a longer mapping.
    private var table: [UInt32] = []

    mutating func feed(_ text: UnsafeBufferPointer<UInt8>, into hash: inout TakenNames.NameHash) {
        var index = 0
        let count = text.count
        while index < count {
            let byte = text[index]
            if byte < 0x80 {
                hash.combine(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
                index += 1
                continue
            }
            let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
            var decoder = UTF8()
            var iterator = UnsafeBufferPointer(rebasing: text[index..<min(index + length, count)]).makeIterator()
            index += length
            guard case .scalarValue(let scalar) = decoder.decode(&iterator) else { continue }
            guard scalar.value < 0x10000 else {
                for mapped in scalar.properties.lowercaseMapping.utf8 { hash.combine(mapped) }
                continue
            }
            if table.isEmpty { table = Array(repeating: 0, count: 0x10000) }
            var entry = table[Int(scalar.value)]
            if entry == 0 {
                let mapped = Array(scalar.properties.lowercaseMapping.utf8)
                if mapped.count <= 3 {
                    entry = UInt32(mapped.count)
                    for (offset, mappedByte) in mapped.enumerated() { entry |= UInt32(mappedByte) << (8 * (offset + 1)) }
                } else {
                    entry = 0xFF
                }
                table[Int(scalar.value)] = entry
            }
            if entry == 0xFF {
                for mapped in scalar.properties.lowercaseMapping.utf8 { hash.combine(mapped) }
                continue
            }
            for offset in 0..<Int(entry & 0xFF) { hash.combine(UInt8(truncatingIfNeeded: entry >> (8 * (offset + 1)))) }
        }
    }
}
