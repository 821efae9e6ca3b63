/// `LDIFDistinguishedName.escape` and `key` on bytes, for the writer. Those work on
/// characters; bytes give the same wherever each byte they look for is a character of its
/// own, as always in ASCII text. In other text a combining mark after `=` or a special,
/// or a prepended mark before `,` or a special, makes one character with it, and U+037E is
/// a character equal to `;`: `isSafe` finds such values, which the writer then takes
/// through the characters.
enum LDIFNameBytes {
    typealias Text = UnsafeBufferPointer<UInt8>

    /// What RFC 4514 escapes anywhere in a value (`LDIFDistinguishedName.escape`).
    static let specials = ASCIIByteSet(",+\"\\<>;=")

    /// Whether `escape` and `key` of a value (a name, an email) can be done on its bytes:
    /// every special is a character of its own, no character equals one, the first and
    /// last characters are what the first and last bytes say (a leading space or `#` and a
    /// trailing space are escaped, blanks at either end are trimmed), the first character
    /// does not take in the `=` before it and the last does not take in the `,` after it.
    static func isSafe(_ value: Text) -> Bool {
        guard let base = value.baseAddress, value.count > 0 else { return true }
        let count = value.count
        var ascii = true
        for index in 0..<count {
            let byte = base[index]
            if byte < 0x80 {
                guard specials.contains(byte) else { continue }
                if index > 0 && base[index - 1] >= 0x80 || index + 1 < count && base[index + 1] >= 0x80 { return false }
            } else {
                ascii = false
                if byte == 0xCD && index + 1 < count && base[index + 1] == 0xBE { return false }  // U+037E, `;`
            }
        }
        if ascii { return true }
        // Blanks (and a leading `#`) next to the rest of the value.
        let isBlank = { (byte: UInt8) in byte == 0x20 || byte == 0x09 }
        var start = 0
        if base[0] == UInt8(ascii: "#") { start = 1 }
        while start < count && isBlank(base[start]) { start += 1 }
        if start > 0 && start < count && base[start] >= 0x80 { return false }
        var end = count
        while end > 0 && isBlank(base[end - 1]) { end -= 1 }
        if end < count && end > 0 && base[end - 1] >= 0x80 { return false }
        if base[0] >= 0x80 && joinsCharacterBefore(firstScalar(value)) { return false }
        if base[count - 1] >= 0x80 && joinsCharacterAfter(lastScalar(value)) { return false }
        return true
    }

    /// Whether `scalar` makes one character with an ASCII character before it (a
    /// combining mark, a joiner). Letters of the common scripts are answered at once; the
    /// rest by asking the string.
    static func joinsCharacterBefore(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x300 || (0x370..<0x483).contains(value) || (0x3040..<0x3099).contains(value)
            || (0x30A0..<0x3100).contains(value) || (0x4E00..<0xA000).contains(value) || (0xAC00..<0xD7A4).contains(value) {
            return false
        }
        var text = "="
        text.unicodeScalars.append(scalar)
        return text.count == 1
    }

    /// Whether `scalar` makes one character with an ASCII character after it (a
    /// prepended concatenation mark: none below U+0600).
    static func joinsCharacterAfter(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x600 || (0x3040..<0x3100).contains(value) || (0x4E00..<0xA000).contains(value) || (0xAC00..<0xD7A4).contains(value) {
            return false
        }
        var text = ""
        text.unicodeScalars.append(scalar)
        text.append(",")
        return text.count == 1
    }

    private static func firstScalar(_ value: Text) -> Unicode.Scalar {
        var decoder = UTF8()
        var iterator = value.makeIterator()
        if case .scalarValue(let scalar) = decoder.decode(&iterator) { return scalar }
        return "\u{FFFD}"
    }

    private static func lastScalar(_ value: Text) -> Unicode.Scalar {
        var start = value.count - 1
        while start > 0 && value[start] & 0xC0 == 0x80 { start -= 1 }
        return firstScalar(Text(rebasing: value[start...]))
    }

    /// `escape`: a backslash before each special, before a leading space or `#` and
    /// before a trailing space.
    static func appendEscaped(_ value: Text, to out: inout [UInt8]) {
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
