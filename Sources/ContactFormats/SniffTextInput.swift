/// Text plumbing shared by the sniffer and the line-oriented readers (LDIF, mutt):
/// byte-order marks and UTF-16 become plain UTF-8, and bytes become numbered lines,
/// whatever the chunk boundaries.

/// Turns the start of a stream into UTF-8: drops a UTF-8 byte-order mark and transcodes
/// UTF-16 (LE or BE, recognised by its mark). UTF-8 input passes through without a copy.
struct PlainTextNormalizer {
    private enum Encoding { case undecided, utf8, utf16LE, utf16BE }

    private var encoding = Encoding.undecided
    /// Bytes held back while the byte-order mark is still undecided (at most two).
    private var head: [UInt8] = []
    /// The first byte of a UTF-16 code unit whose second byte is in the next chunk.
    private var oddByte: UInt8?
    private var highSurrogate: UInt16?

    private static let utf8Mark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Whether the input was found to be UTF-8, which `normalize` returns as it is.
    var passesBytesThrough: Bool { encoding == .utf8 }

    /// The UTF-8 bytes for `chunk`; some bytes may be held until the next call.
    mutating func normalize(_ chunk: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        switch encoding {
        case .utf8:
            return chunk
        case .utf16LE, .utf16BE:
            return transcode(chunk)[...]
        case .undecided:
            // Three bytes decide: a first chunk that holds them is not copied.
            if head.isEmpty, chunk.count >= 3, let decided = Self.decide(Array(chunk.prefix(3)), final: false) {
                encoding = decided.encoding
                let body = chunk.dropFirst(decided.markLength)
                return encoding == .utf8 ? body : transcode(body)[...]
            }
            head += chunk
            guard let decided = Self.decide(head, final: false) else { return [] }
            let bytes = head
            head = []
            encoding = decided.encoding
            return encoding == .utf8 ? bytes[decided.markLength...] : transcode(bytes[decided.markLength...])[...]
        }
    }

    /// Whatever was held back, at the end of the input.
    mutating func finish() -> [UInt8] {
        var out: [UInt8] = []
        if encoding == .undecided {
            let decided = Self.decide(head, final: true)!
            encoding = decided.encoding
            out = encoding == .utf8 ? Array(head[decided.markLength...]) : transcode(head[decided.markLength...])
            head = []
        }
        if oddByte != nil || highSurrogate != nil {
            oddByte = nil
            highSurrogate = nil
            appendScalar(Unicode.Scalar(0xFFFD)!, to: &out)
        }
        return out
    }

    /// Converts a whole in-memory prefix (used by the sniffer).
    static func utf8(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var normalizer = PlainTextNormalizer()
        return Array(normalizer.normalize(bytes)) + normalizer.finish()
    }

    private static func decide(_ head: [UInt8], final: Bool) -> (encoding: Encoding, markLength: Int)? {
        if head.starts(with: utf8Mark) { return (.utf8, 3) }
        if head.starts(with: [0xFF, 0xFE]) { return (.utf16LE, 2) }
        if head.starts(with: [0xFE, 0xFF]) { return (.utf16BE, 2) }
        // A short head that could still grow into a mark waits for more bytes.
        if !final && (utf8Mark.starts(with: head) || head == [0xFF] || head == [0xFE]) { return nil }
        return (.utf8, 0)
    }

    private mutating func transcode(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 2)
        var index = bytes.startIndex
        if let first = oddByte, index < bytes.endIndex {
            oddByte = nil
            decodeUnit(first, bytes[index], into: &out)
            index += 1
        }
        while index + 1 < bytes.endIndex {
            decodeUnit(bytes[index], bytes[index + 1], into: &out)
            index += 2
        }
        if index < bytes.endIndex { oddByte = bytes[index] }
        return out
    }

    private mutating func decodeUnit(_ a: UInt8, _ b: UInt8, into out: inout [UInt8]) {
        let unit = encoding == .utf16LE ? UInt16(a) | UInt16(b) << 8 : UInt16(a) << 8 | UInt16(b)
        if let high = highSurrogate {
            highSurrogate = nil
            if (0xDC00...0xDFFF).contains(unit) {
                let value = 0x10000 + (UInt32(high - 0xD800) << 10) + UInt32(unit - 0xDC00)
                appendScalar(Unicode.Scalar(value) ?? "\u{FFFD}", to: &out)
                return
            }
            appendScalar("\u{FFFD}", to: &out)
        }
        switch unit {
        case 0xD800...0xDBFF: highSurrogate = unit
        case 0xDC00...0xDFFF: appendScalar("\u{FFFD}", to: &out)
        default: appendScalar(Unicode.Scalar(unit) ?? "\u{FFFD}", to: &out)
        }
    }

    private func appendScalar(_ scalar: Unicode.Scalar, to out: inout [UInt8]) {
        UTF8.encode(scalar) { out.append($0) }
    }
}

/// Cuts a byte stream into lines ending in LF or CRLF, numbered from 1, across chunk
/// boundaries. Only an unfinished line is kept between calls, and only up to `limit`
/// bytes: a longer line is not handed out but reported to `overlong` with its number,
/// and its bytes are dropped as they come.
struct PlainTextLines {
    /// Longest line handed out (a vCard line may be as long: inline photos).
    static let limit = 16 << 20

    private var partial: [UInt8] = []
    private var hasPartial = false
    /// The unfinished line is already over the limit.
    private var partialOverlong = false
    /// The number of the last line handed out.
    private(set) var lineNumber = 0

    mutating func split(
        _ bytes: ArraySlice<UInt8>, _ body: (ArraySlice<UInt8>, Int) throws -> Void, overlong: (Int) -> Void = { _ in }
    ) rethrows {
        var start = bytes.startIndex
        while let newline = bytes[start...].firstIndex(of: 0x0A) {
            lineNumber += 1
            if hasPartial {
                if !partialOverlong { partial += bytes[start..<newline] }
                if partialOverlong || partial.count > Self.limit {
                    overlong(lineNumber)
                } else {
                    try body(Self.trimCR(partial[...]), lineNumber)
                }
                partial.removeAll(keepingCapacity: partial.count <= 1 << 16)
                hasPartial = false
                partialOverlong = false
            } else if newline - start > Self.limit {
                overlong(lineNumber)
            } else {
                try body(Self.trimCR(bytes[start..<newline]), lineNumber)
            }
            start = newline + 1
        }
        if start < bytes.endIndex {
            hasPartial = true
            if !partialOverlong {
                partial += bytes[start...]
                if partial.count > Self.limit {
                    partialOverlong = true
                    partial = []
                }
            }
        }
    }

    /// Hands out the last line when the input does not end with a newline.
    mutating func finish(_ body: (ArraySlice<UInt8>, Int) throws -> Void, overlong: (Int) -> Void = { _ in }) rethrows {
        guard hasPartial else { return }
        lineNumber += 1
        hasPartial = false
        let line = partial
        partial = []
        if partialOverlong {
            partialOverlong = false
            overlong(lineNumber)
            return
        }
        try body(Self.trimCR(line[...]), lineNumber)
    }

    private static func trimCR(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        line.last == 0x0D ? line.dropLast() : line
    }
}

extension ArraySlice where Element == UInt8 {
    /// The bytes as text; invalid UTF-8 becomes U+FFFD rather than failing the record.
    var plainText: String { String(decoding: self, as: UTF8.self) }
}
