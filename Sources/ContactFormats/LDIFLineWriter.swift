import ImportCore

/// Writes `attr: value` lines the way RFC 2849 wants them: base64 (`attr:: `) for values
/// that are not safe ASCII, lines folded at 76 columns with a one-space continuation.
/// Everything written is ASCII, so folding never splits a character. Each line is written
/// straight into the output and folded there.
struct LDIFLineWriter {
    typealias Text = UnsafeBufferPointer<UInt8>

    static let lineLimit = 76

    /// Nothing for an absent or empty value.
    mutating func attribute(_ name: StaticString, _ value: Text?, into output: inout OutputBytes) {
        guard let value, !value.isEmpty else { return }
        let lineStart = output.count
        output.append(name)
        if Self.isSafe(value) {
            output.append(": ")
            output.append(contentsOf: value)
        } else {
            output.append(":: ")
            LDIFBase64.encode(value, into: &output)
        }
        finish(from: lineStart, into: &output)
    }

    mutating func attribute(_ name: StaticString, _ value: String, into output: inout OutputBytes) {
        var value = value
        value.withUTF8 { attribute(name, $0, into: &output) }
    }

    mutating func attribute(_ name: StaticString, bytes: [UInt8], into output: inout OutputBytes) {
        guard !bytes.isEmpty else { return }
        let lineStart = output.count
        output.append(name)
        output.append(":: ")
        LDIFBase64.encode(bytes, into: &output)
        finish(from: lineStart, into: &output)
    }

    /// `name: value` with a value already known to be safe (digits, say).
    mutating func attribute(_ name: StaticString, build: (inout OutputBytes) -> Void, into output: inout OutputBytes) {
        let lineStart = output.count
        output.append(name)
        output.append(": ")
        build(&output)
        finish(from: lineStart, into: &output)
    }

    func endRecord(into output: inout OutputBytes) {
        output.append(0x0A)
    }

    /// Safe: printable ASCII only, not starting with space, `:` or `<`, not ending with a
    /// space. (RFC 2849 would allow other control characters; base64 keeps them intact
    /// through readers that trim.)
    static func isSafe(_ bytes: Text) -> Bool {
        guard let base = bytes.baseAddress, let first = bytes.first, let last = bytes.last else { return true }
        if first == 0x20 || first == UInt8(ascii: ":") || first == UInt8(ascii: "<") || last == 0x20 { return false }
        // Eight bytes at a time: a word is printable ASCII when no byte has its high bit,
        // is below 0x20 or is DEL.
        let count = bytes.count
        var index = 0
        while index + 8 <= count {
            let word = WordBytes.load(base + index)
            if (word & WordBytes.highs) | StrayControlBytes.controlOrDelete(in: word) != 0 { return false }
            index += 8
        }
        while index < count {
            if base[index] &- 0x20 > 0x7E - 0x20 { return false }
            index += 1
        }
        return true
    }

    /// Folds the line that starts at `lineStart` (the leading space of a continuation
    /// counts towards its width) and ends it.
    private func finish(from lineStart: Int, into output: inout OutputBytes) {
        output.fold(from: lineStart, firstWidth: Self.lineLimit, width: Self.lineLimit - 1, with: "\n ", keepingCharacters: false)
        output.append(0x0A)
    }
}
