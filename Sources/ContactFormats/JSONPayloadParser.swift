import ImportCore

/// A parsed JSON value. Numbers keep their literal text: the payload's numbers are ids
/// and phone numbers, which must not pass through floating point.
indirect enum JSONPayloadValue {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONPayloadValue])
    case object([String: JSONPayloadValue])
}

/// A small strict JSON parser (RFC 8259) over UTF-8 bytes that knows where it is, so a
/// contact of the wrong shape can be reported with its line and a syntax error with its
/// line and column. It parses one record at a time: `JSONRecordSplitter` cuts a file
/// into records first.
struct JSONPayloadParser {
    static let maximumDepth = 200

    private let bytes: [UInt8]
    private(set) var index = 0
    // Line counting is incremental: positions are asked for in increasing order.
    private var countedTo = 0
    private var countedLine: Int
    private let firstLine: Int
    /// Column of the first byte, for a value cut out of a larger file.
    private let firstColumn: Int

    /// `line` and `column` say where `bytes` start when they are a piece of a larger file.
    init(_ bytes: [UInt8], line: Int = 1, column: Int = 1) {
        self.bytes = bytes
        countedLine = line
        firstLine = line
        firstColumn = column
    }

    var atEnd: Bool { index >= bytes.count }
    var next: UInt8? { index < bytes.count ? bytes[index] : nil }

    /// The 1-based line of the current position.
    mutating func line() -> Int {
        let end = min(index, bytes.count)
        if end < countedTo {  // never expected; recount rather than report a wrong line
            countedTo = 0
            countedLine = firstLine
        }
        while countedTo < end {
            if bytes[countedTo] == 0x0A { countedLine += 1 }
            countedTo += 1
        }
        return countedLine
    }

    mutating func skipWhitespace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    /// Walks an object, handing each key to `body`, which must consume the value.
    mutating func members(_ body: (inout JSONPayloadParser, String) throws -> Void) throws {
        try expect(UInt8(ascii: "{"))
        skipWhitespace()
        if next == UInt8(ascii: "}") {
            index += 1
            return
        }
        while true {
            skipWhitespace()
            let key = try string()
            skipWhitespace()
            try expect(UInt8(ascii: ":"))
            skipWhitespace()
            try body(&self, key)
            skipWhitespace()
            if try separator(closing: UInt8(ascii: "}")) { return }
        }
    }

    mutating func value(depth: Int = 0) throws -> JSONPayloadValue {
        guard depth < Self.maximumDepth else { throw failure("nested more than \(Self.maximumDepth) levels deep") }
        skipWhitespace()
        guard let byte = next else { throw failure("unexpected end of the file") }
        switch byte {
        case UInt8(ascii: "{"):
            var object: [String: JSONPayloadValue] = [:]
            try members { parser, key in object[key] = try parser.value(depth: depth + 1) }
            return .object(object)
        case UInt8(ascii: "["):
            var array: [JSONPayloadValue] = []
            try expect(UInt8(ascii: "["))
            skipWhitespace()
            if next == UInt8(ascii: "]") {
                index += 1
                return .array(array)
            }
            repeat {
                array.append(try value(depth: depth + 1))
                skipWhitespace()
            } while try !separator(closing: UInt8(ascii: "]"))
            return .array(array)
        case UInt8(ascii: "\""):
            return .string(try string())
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try number())
        default:
            throw failure("unexpected character '\(Self.printable(byte))'")
        }
    }

    /// An error for the current position.
    mutating func failure(_ what: String) -> ImportError {
        let line = line()
        var lineStart = min(index, bytes.count)
        while lineStart > 0, bytes[lineStart - 1] != 0x0A { lineStart -= 1 }
        let column = min(index, bytes.count) - lineStart + (lineStart == 0 ? firstColumn : 1)
        return ImportError(.fileUnparseable, "invalid JSON at line \(line), column \(column): \(what)")
    }

    // MARK: - Pieces

    /// After an element: true at the closing bracket, false after a comma.
    private mutating func separator(closing: UInt8) throws -> Bool {
        guard let byte = next else { throw failure("unexpected end of the file") }
        index += 1
        if byte == closing { return true }
        if byte == UInt8(ascii: ",") { return false }
        index -= 1
        throw failure("expected ',' or '\(Self.printable(closing))' but found '\(Self.printable(byte))'")
    }

    private mutating func expect(_ byte: UInt8) throws {
        guard next == byte else {
            throw failure(next.map { "expected '\(Self.printable(byte))' but found '\(Self.printable($0))'" } ?? "unexpected end of the file")
        }
        index += 1
    }

    private mutating func literal(_ word: String) throws {
        for byte in word.utf8 {
            guard next == byte else { throw failure("invalid literal (expected \(word))") }
            index += 1
        }
    }

    private mutating func number() throws -> String {
        let start = index
        while let byte = next, byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") || (0x30...0x39).contains(byte)
        {
            index += 1
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard Double(text) != nil else {
            index = start
            throw failure("invalid number '\(text)'")
        }
        return text
    }

    private mutating func string() throws -> String {
        try expect(UInt8(ascii: "\""))
        let start = index
        // Fast path: no escapes.
        while let byte = next, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") { index += 1 }
        guard let stop = next else { throw failure("unterminated string") }
        if stop == UInt8(ascii: "\"") {
            index += 1
            return String(decoding: bytes[start..<(index - 1)], as: UTF8.self)
        }
        var scalars = Array(bytes[start..<index])
        while let byte = next {
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: scalars, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try escape(into: &scalars)
            default:
                scalars.append(byte)
            }
        }
        throw failure("unterminated string")
    }

    private mutating func escape(into out: inout [UInt8]) throws {
        guard let byte = next else { throw failure("unterminated string") }
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(byte)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = UInt32(try hex4())
            if (0xD800...0xDBFF).contains(scalar), bytes[index...].starts(with: Array("\\u".utf8)) {
                let save = index
                index += 2
                let low = UInt32(try hex4())
                if (0xDC00...0xDFFF).contains(low) {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else {
                    index = save  // not a pair: the high half becomes U+FFFD, the next escape stands alone
                }
            }
            UTF8.encode(Unicode.Scalar(scalar) ?? "\u{FFFD}") { out.append($0) }
        default:
            index -= 1
            throw failure("invalid escape '\\\(Self.printable(byte))'")
        }
    }

    private mutating func hex4() throws -> UInt16 {
        guard index + 4 <= bytes.count,
            let value = UInt16(String(decoding: bytes[index..<(index + 4)], as: UTF8.self), radix: 16)
        else { throw failure("invalid \\u escape") }
        index += 4
        return value
    }

    /// A byte as it can be shown in an error message.
    static func printable(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? String(UnicodeScalar(byte)) : "\\u{\(String(byte, radix: 16))}"
    }
}
