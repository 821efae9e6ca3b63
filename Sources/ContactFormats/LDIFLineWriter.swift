/// Writes `attr: value` lines the way RFC 2849 wants them: base64 (`attr:: `) for values
/// that are not safe ASCII, lines folded at 76 columns with a one-space continuation.
/// Everything written is ASCII, so folding never splits a character.
struct LDIFLineWriter {
    static let lineLimit = 76

    private(set) var output: [UInt8] = []

    mutating func attribute(_ name: String, _ value: String) {
        guard !value.isEmpty else { return }
        if Self.isSafe(value) {
            line(name + ": " + value)
        } else {
            line(name + ":: " + LDIFBase64.encode(Array(value.utf8)))
        }
    }

    mutating func attribute(_ name: String, bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        line(name + ":: " + LDIFBase64.encode(bytes))
    }

    mutating func endRecord() {
        output.append(0x0A)
    }

    /// Safe: printable ASCII only, not starting with space, `:` or `<`, not ending with a
    /// space. (RFC 2849 would allow other control characters; base64 keeps them intact
    /// through readers that trim.)
    static func isSafe(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        guard let first = bytes.first, let last = bytes.last else { return true }
        if first == 0x20 || first == UInt8(ascii: ":") || first == UInt8(ascii: "<") || last == 0x20 { return false }
        return bytes.allSatisfy { (0x20...0x7E).contains($0) }
    }

    private mutating func line(_ text: String) {
        let bytes = Array(text.utf8)
        var start = 0
        var limit = Self.lineLimit
        while bytes.count - start > limit {
            output += bytes[start..<(start + limit)]
            output += [0x0A, 0x20]
            start += limit
            limit = Self.lineLimit - 1  // the leading space counts towards the width
        }
        output += bytes[start...]
        output.append(0x0A)
    }
}
