/// Standard base64 (RFC 4648) without Foundation, for LDIF `::` values and `data:` URIs.
/// Decoding is strict about the alphabet so a damaged value is reported, but tolerates
/// embedded blanks and missing padding, which hand-edited files often have.
enum LDIFBase64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
        return table
    }()

    static func encode<Bytes: Collection>(_ bytes: Bytes, into out: inout OutputBytes) where Bytes.Element == UInt8 {
        out.reserve((bytes.count + 2) / 3 * 4)
        var iterator = bytes.makeIterator()
        while let a = iterator.next() {
            let b = iterator.next()
            let c = iterator.next()
            out.appendUnchecked(alphabet[Int(a >> 2)])
            out.appendUnchecked(alphabet[Int((a & 0x03) << 4 | (b ?? 0) >> 4)])
            out.appendUnchecked(b == nil ? UInt8(ascii: "=") : alphabet[Int(((b ?? 0) & 0x0F) << 2 | (c ?? 0) >> 6)])
            out.appendUnchecked(c == nil ? UInt8(ascii: "=") : alphabet[Int((c ?? 0) & 0x3F)])
        }
    }

    static func encode<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var out = OutputBytes()
        encode(bytes, into: &out)
        return out.withBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// The decoded bytes, or nil when a character is outside the alphabet or padding is misplaced.
    static func decode<Bytes: Sequence>(_ text: Bytes) -> [UInt8]? where Bytes.Element == UInt8 {
        var out: [UInt8] = []
        var accumulator: UInt32 = 0
        var pending = 0
        var padding = 0
        for byte in text {
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D:
                continue
            case UInt8(ascii: "="):
                padding += 1
                continue
            default:
                let value = values[Int(byte)]
                guard value != 0xFF, padding == 0 else { return nil }
                accumulator = accumulator << 6 | UInt32(value)
                pending += 1
                if pending == 4 {
                    out.append(UInt8(truncatingIfNeeded: accumulator >> 16))
                    out.append(UInt8(truncatingIfNeeded: accumulator >> 8))
                    out.append(UInt8(truncatingIfNeeded: accumulator))
                    accumulator = 0
                    pending = 0
                }
            }
        }
        switch pending {
        case 0: break
        case 2: out.append(UInt8(truncatingIfNeeded: accumulator >> 4))
        case 3:
            out.append(UInt8(truncatingIfNeeded: accumulator >> 10))
            out.append(UInt8(truncatingIfNeeded: accumulator >> 2))
        default: return nil  // a single leftover character cannot encode a byte
        }
        return padding <= 2 ? out : nil
    }
}
