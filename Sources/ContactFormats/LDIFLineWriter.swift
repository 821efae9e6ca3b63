/// Writes `attr: value` lines the way RFC 2849 wants them: base64 (`attr:: `) for values
/// that are not safe ASCII, lines folded at 76 columns with a one-space continuation.
/// Everything written is ASCII, so folding never splits a character.
struct LDIFLineWriter {
    typealias Text = UnsafeBufferPointer<UInt8>

    static let lineLimit = 76

    /// The line being built, folded when it is done.
    private var line: [UInt8] = []

    /// Nothing for an absent or empty value.
    mutating func attribute(_ name: StaticString, _ value: Text?, into output: inout [UInt8]) {
        guard let value, !value.isEmpty else { return }
        line.removeAll(keepingCapacity: true)
        line.append(name)
        if Self.isSafe(value) {
            line.append(": ")
            line.append(contentsOf: value)
        } else {
            line.append(":: ")
            LDIFBase64.encode(value, into: &line)
        }
        finish(into: &output)
    }

    mutating func attribute(_ name: StaticString, _ value: String, into output: inout [UInt8]) {
        var value = value
        value.withUTF8 { attribute(name, $0, into: &output) }
    }

    mutating func attribute(_ name: StaticString, bytes: [UInt8], into output: inout [UInt8]) {
        guard !bytes.isEmpty else { return }
        line.removeAll(keepingCapacity: true)
        line.append(name)
        line.append(":: ")
        LDIFBase64.encode(bytes, into: &line)
        finish(into: &output)
    }

    /// `name: value` with a value already known to be safe (digits, say).
    mutating func attribute(_ name: StaticString, build: (inout [UInt8]) -> Void, into output: inout [UInt8]) {
        line.removeAll(keepingCapacity: true)
        line.append(name)
        line.append(": ")
        build(&line)
        finish(into: &output)
    }

    func endRecord(into output: inout [UInt8]) {
        output.append(0x0A)
    }

    /// Safe: printable ASCII only, not starting with space, `:` or `<`, not ending with a
    /// space. (RFC 2849 would allow other control characters; base64 keeps them intact
    /// through readers that trim.)
    static func isSafe(_ bytes: Text) -> Bool {
        guard let first = bytes.first, let last = bytes.last else { return true }
        if first == 0x20 || first == UInt8(ascii: ":") || first == UInt8(ascii: "<") || last == 0x20 { return false }
        for byte in bytes where byte < 0x20 || byte > 0x7E { return false }
        return true
    }

    private mutating func finish(into output: inout [UInt8]) {
        line.withUnsafeBufferPointer { bytes in
            var start = 0
            var limit = Self.lineLimit
            while bytes.count - start > limit {
                output.append(contentsOf: Text(rebasing: bytes[start..<(start + limit)]))
                output.append(0x0A)
                output.append(0x20)
                start += limit
                limit = Self.lineLimit - 1  // the leading space counts towards the width
            }
            output.append(contentsOf: Text(rebasing: bytes[start...]))
            output.append(0x0A)
        }
    }
}
