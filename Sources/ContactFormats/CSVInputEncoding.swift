/// Turns the raw file bytes into UTF-8 (or byte-compatible 8-bit text) for the tokenizer.
///
/// The encoding is decided from the first bytes: a UTF-8 BOM is dropped, a UTF-16 BOM
/// (Outlook's "Unicode" export) or the zero-byte pattern of BOM-less UTF-16 switches to
/// transcoding. Everything else passes through untouched; whether a cell is UTF-8 or
/// Windows-1252 is decided later, cell by cell (`CSVText`). Line breaks survive
/// transcoding, so line numbers count the same physical lines.
struct CSVInputEncoding {
    private enum Encoding {
        case undecided, passThrough, utf16(bigEndian: Bool)
    }

    private var encoding = Encoding.undecided
    private var pending: [UInt8] = []
    private var transcoder = UTF16ToUTF8()

    /// Appends the text of `chunk` to `output`.
    mutating func append(_ chunk: ArraySlice<UInt8>, to output: inout [UInt8]) {
        switch encoding {
        case .passThrough:
            output.append(contentsOf: chunk)
        case .utf16(let bigEndian):
            transcoder.append(chunk, bigEndian: bigEndian, to: &output)
        case .undecided:
            pending.append(contentsOf: chunk)
            // Four bytes tell a BOM-less UTF-16 header ("N\0a\0") from 8-bit text.
            if pending.count >= 4 { decide(to: &output) }
        }
    }

    /// The input ended: flush what is held back.
    mutating func finish(to output: inout [UInt8]) {
        if case .undecided = encoding { decide(to: &output) }
        transcoder.finish(to: &output)
    }

    private mutating func decide(to output: inout [UInt8]) {
        let bytes = pending
        pending = []
        var body = bytes[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            encoding = .passThrough
            body = bytes.dropFirst(3)
        } else if bytes.starts(with: [0xFF, 0xFE]) {
            encoding = .utf16(bigEndian: false)
            body = bytes.dropFirst(2)
        } else if bytes.starts(with: [0xFE, 0xFF]) {
            encoding = .utf16(bigEndian: true)
            body = bytes.dropFirst(2)
        } else if bytes.count >= 4, bytes[0] != 0, bytes[1] == 0, bytes[2] != 0, bytes[3] == 0 {
            encoding = .utf16(bigEndian: false)
        } else if bytes.count >= 4, bytes[0] == 0, bytes[1] != 0, bytes[2] == 0, bytes[3] != 0 {
            encoding = .utf16(bigEndian: true)
        } else {
            encoding = .passThrough
        }
        append(body, to: &output)
    }
}

/// Streaming UTF-16 to UTF-8: keeps an odd trailing byte and an unpaired high surrogate
/// between chunks, and writes U+FFFD for broken surrogates instead of failing.
struct UTF16ToUTF8 {
    private var oddByte: UInt8?
    private var highSurrogate: UInt32?
    private var bigEndian = false

    mutating func append(_ chunk: ArraySlice<UInt8>, bigEndian: Bool, to output: inout [UInt8]) {
        self.bigEndian = bigEndian
        output.reserveCapacity(output.count + chunk.count + chunk.count / 2)
        var index = chunk.startIndex
        if let odd = oddByte, index < chunk.endIndex {
            unit(odd, chunk[index], to: &output)
            oddByte = nil
            index += 1
        }
        while index + 1 < chunk.endIndex {
            unit(chunk[index], chunk[index + 1], to: &output)
            index += 2
        }
        if index < chunk.endIndex { oddByte = chunk[index] }
    }

    mutating func finish(to output: inout [UInt8]) {
        if highSurrogate != nil { Self.write(0xFFFD, to: &output) }
        if oddByte != nil { Self.write(0xFFFD, to: &output) }
        highSurrogate = nil
        oddByte = nil
    }

    private mutating func unit(_ first: UInt8, _ second: UInt8, to output: inout [UInt8]) {
        let value = bigEndian ? UInt32(first) << 8 | UInt32(second) : UInt32(second) << 8 | UInt32(first)
        if let high = highSurrogate {
            highSurrogate = nil
            if (0xDC00...0xDFFF).contains(value) {
                Self.write(0x10000 + ((high - 0xD800) << 10) + (value - 0xDC00), to: &output)
                return
            }
            Self.write(0xFFFD, to: &output)
        }
        switch value {
        case 0xD800...0xDBFF: highSurrogate = value
        case 0xDC00...0xDFFF: Self.write(0xFFFD, to: &output)
        default: Self.write(value, to: &output)
        }
    }

    static func write(_ scalar: UInt32, to output: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            output.append(UInt8(scalar))
        case 0x80..<0x800:
            output.append(UInt8(0xC0 | scalar >> 6))
            output.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            output.append(UInt8(0xE0 | scalar >> 12))
            output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            output.append(UInt8(0x80 | scalar & 0x3F))
        default:
            output.append(UInt8(0xF0 | scalar >> 18))
            output.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            output.append(UInt8(0x80 | scalar & 0x3F))
        }
    }
}

/// Cell bytes to `String`: UTF-8 when the bytes are valid UTF-8, Windows-1252 otherwise
/// (old Excel and Outlook "CSV" saves), so a stray byte never loses or traps on a cell.
enum CSVText {
    /// `knownUTF8` skips the check when the caller already validated a range holding the
    /// bytes (a whole row): the standard library validates again as it builds the string,
    /// and a second pass of our own per cell is measurable on large files.
    static func string(_ bytes: UnsafeBufferPointer<UInt8>, knownUTF8: Bool = false) -> String {
        if knownUTF8 || UTF8Validation.isValid(bytes) { return String(decoding: bytes, as: UTF8.self) }
        var scalars = String.UnicodeScalarView()
        for byte in bytes { scalars.append(windows1252(byte)) }
        return String(scalars)
    }

    /// Windows-1252: Latin-1 except 0x80–0x9F, which hold typographic marks (undefined ones map to themselves).
    static func windows1252(_ byte: UInt8) -> Unicode.Scalar {
        guard (0x80...0x9F).contains(byte) else { return Unicode.Scalar(byte) }
        let value = high1252[Int(byte - 0x80)]
        return Unicode.Scalar(value) ?? Unicode.Scalar(byte)
    }

    private static let high1252: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ]
}
