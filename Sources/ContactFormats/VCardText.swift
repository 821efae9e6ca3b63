#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import ImportCore

/// Byte-level helpers for vCard values: escapes, quoted-printable, base64 and charsets.
/// Everything works on raw bytes so that a value is turned into a `String` exactly once.
enum VCardText {
    static let backslash = UInt8(ascii: "\\")
    static let semicolon = UInt8(ascii: ";")
    static let comma = UInt8(ascii: ",")
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let colon = UInt8(ascii: ":")
    static let equals = UInt8(ascii: "=")
    static let quote = UInt8(ascii: "\"")
    static let period = UInt8(ascii: ".")

    /// The character encodings a vCard `CHARSET` parameter can name that we convert.
    enum Charset {
        case utf8
        /// ISO-8859-1 and windows-1252 are read the same way: as windows-1252, which is a
        /// superset for every printable character (real "Latin-1" exports are cp1252).
        case windows1252
    }

    @inline(__always)
    static func lowercase(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }

    /// Case-insensitive comparison of ASCII bytes with a keyword written in upper case.
    static func equalsKeyword(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ keyword: StaticString) -> Bool {
        guard range.count == keyword.utf8CodeUnitCount else { return false }
        let word = keyword.utf8Start
        var index = 0
        for position in range {
            var byte = bytes[position]
            if byte >= 0x61 && byte <= 0x7A { byte &= 0xDF }
            if byte != word[index] { return false }
            index += 1
        }
        return true
    }

    /// A token of up to 8 ASCII bytes packed into an integer with letters upper-cased,
    /// so that matching a name against many keywords costs one comparison each. Tokens
    /// shorter than 8 bytes carry their length in the top byte; longer tokens get 0, which
    /// no keyword has (compare those with `equalsKeyword`).
    @inline(__always)
    static func keywordKey(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UInt64 {
        let count = range.count
        guard count <= 8, let base = bytes.baseAddress else { return 0 }
        let length: UInt64 = count < 8 ? UInt64(count) << 56 : 0
        guard range.lowerBound + 8 <= bytes.count else {
            // Too close to the end of the buffer for a whole-word load.
            var key = length
            var shift: UInt64 = 0
            for index in range {
                var byte = bytes[index]
                if byte >= 0x61 && byte <= 0x7A { byte &= 0xDF }
                key |= UInt64(byte) << shift
                shift += 8
            }
            return key
        }
        // One load, then upper-case all eight bytes at once (SWAR).
        let word = UInt64(littleEndian: UnsafeRawPointer(base + range.lowerBound).loadUnaligned(as: UInt64.self))
        let mask: UInt64 = count == 8 ? ~0 : (1 << (UInt64(count) * 8)) &- 1
        let ascii = word & mask
        let high: UInt64 = 0x8080_8080_8080_8080
        guard ascii & high == 0 else { return 0 }  // keywords are ASCII
        let atLeastA = ascii &+ 0x1F1F_1F1F_1F1F_1F1F  // high bit set where byte >= 0x61
        let pastZ = ascii &+ 0x0505_0505_0505_0505  // high bit set where byte >= 0x7B
        let lowercase = atLeastA & ~pastZ & high
        return (ascii &- (lowercase >> 2)) | length
    }

    /// The key of an upper-case keyword; folds to a constant when inlined with a literal.
    @inline(__always)
    static func keywordKey(_ word: StaticString) -> UInt64 {
        let count = word.utf8CodeUnitCount
        var key: UInt64 = count < 8 ? UInt64(count) << 56 : 0
        let start = word.utf8Start
        for index in 0..<min(count, 8) {
            key |= UInt64(start[index]) << (UInt64(index) * 8)
        }
        return key
    }

    /// `range` with spaces and tabs removed from both ends.
    static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, bytes[lower] == space || bytes[lower] == tab { lower += 1 }
        while upper > lower, bytes[upper - 1] == space || bytes[upper - 1] == tab { upper -= 1 }
        return lower..<upper
    }

    /// Whether a value holds nothing that shows: blanks and control characters alone
    /// (`BlankText`). The first byte decides for almost every value, here, without a call
    /// into the other module.
    @inline(__always)
    static func isBlank(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
        if let first = value.first, first > space, first < 0x7F { return false }
        return BlankText.isBlank(utf8: value)
    }

    /// Appends the unescaped text of `range` to `output`. `\n`/`\N` become a line feed;
    /// a backslash before `\ , ; : "` is dropped (Apple writes `\:`, Google `\"`); any other
    /// backslash is kept, so Windows paths in 2.1 notes survive.
    static func appendUnescaped(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, to output: inout [UInt8]) {
        guard let base = bytes.baseAddress else { return }
        let end = range.upperBound
        var index = range.lowerBound
        var runStart = index
        // memchr skips the plain text between escapes: a note is mostly plain text.
        while index < end, let found = memchr(base + index, Int32(backslash), end - index) {
            index = UnsafeRawPointer(found) - UnsafeRawPointer(base)
            guard index + 1 < end else { break }
            let next = bytes[index + 1]
            let replacement: UInt8?
            switch next {
            case UInt8(ascii: "n"), UInt8(ascii: "N"): replacement = newline
            case backslash, comma, semicolon, colon, quote: replacement = next
            default: replacement = nil
            }
            if let replacement {
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                output.append(replacement)
                index += 2
                runStart = index
            } else {
                index += 2
            }
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<end]))
    }

    /// Decodes quoted-printable `=XX` escapes. Soft line breaks were already joined by the
    /// line reader; a dangling `=` at the very end is such a break and is dropped. Line
    /// breaks written as `=0D=0A` become a single line feed.
    static func appendQuotedPrintable(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, to output: inout [UInt8]) {
        var index = range.lowerBound
        let end = range.upperBound
        while index < end {
            let byte = bytes[index]
            if byte == equals {
                if index + 2 < end, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
                    appendNormalisingBreaks(high << 4 | low, to: &output)
                    index += 3
                    continue
                }
                if index + 1 == end { break }  // trailing soft break
            }
            appendNormalisingBreaks(byte, to: &output)
            index += 1
        }
    }

    @inline(__always)
    private static func appendNormalisingBreaks(_ byte: UInt8, to output: inout [UInt8]) {
        if byte == newline, output.last == carriageReturn {
            output[output.count - 1] = newline
        } else {
            output.append(byte)
        }
    }

    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        default: return nil
        }
    }

    /// windows-1252's 0x80–0x9F block; the rest of the code page equals Unicode.
    private static let cp1252High: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ]

    static func windows1252String(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            let value = byte >= 0x80 && byte < 0xA0 ? cp1252High[Int(byte - 0x80)] : UInt32(byte)
            scalars.append(Unicode.Scalar(value) ?? "\u{FFFD}")
        }
        return String(scalars)
    }

    /// Decodes base64, skipping whitespace and anything outside the alphabet (folded and
    /// indented photo data, stray CRs). Accepts the URL-safe alphabet too.
    static func decodeBase64(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(range.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for index in range {
            let byte = bytes[index]
            let value: UInt8
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = byte - UInt8(ascii: "A")
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = byte - UInt8(ascii: "a") + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - UInt8(ascii: "0") + 52
            case UInt8(ascii: "+"), UInt8(ascii: "-"): value = 62
            case UInt8(ascii: "/"), UInt8(ascii: "_"): value = 63
            case equals: return output  // padding ends the data
            default: continue
            }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        return output
    }

    private static let base64Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func appendBase64(_ data: [UInt8], to output: inout OutputBytes) {
        var index = 0
        let count = data.count
        output.reserve((count + 2) / 3 * 4)
        while index + 3 <= count {
            let chunk = UInt32(data[index]) << 16 | UInt32(data[index + 1]) << 8 | UInt32(data[index + 2])
            output.append(base64Alphabet[Int(chunk >> 18 & 63)])
            output.append(base64Alphabet[Int(chunk >> 12 & 63)])
            output.append(base64Alphabet[Int(chunk >> 6 & 63)])
            output.append(base64Alphabet[Int(chunk & 63)])
            index += 3
        }
        let rest = count - index
        if rest > 0 {
            var chunk = UInt32(data[index]) << 16
            if rest == 2 { chunk |= UInt32(data[index + 1]) << 8 }
            output.append(base64Alphabet[Int(chunk >> 18 & 63)])
            output.append(base64Alphabet[Int(chunk >> 12 & 63)])
            output.append(rest == 2 ? base64Alphabet[Int(chunk >> 6 & 63)] : equals)
            output.append(equals)
        }
    }
}
