/// Emits compact JSON straight into the output's bytes, keys in the order written. Commas
/// are placed automatically; the caller only opens and closes containers.
struct JSONPayloadWriter {
    /// The output being written, lent by `writing(into:_:)` for the length of its body.
    private var target: UnsafeMutablePointer<OutputBytes>?
    /// Per open container, a bit (the lowest for the innermost): whether it already has an
    /// element (so the next needs a comma). The payload nests a few levels deep.
    private var hasElement: UInt64 = 0
    private var depth = 0

    private var output: UnsafeMutablePointer<OutputBytes> {
        @inline(__always) get { target.unsafelyUnwrapped }
    }

    /// Runs `body`, whose JSON goes to the end of `bytes`.
    mutating func writing(into bytes: inout OutputBytes, _ body: (inout JSONPayloadWriter) -> Void) {
        withUnsafeMutablePointer(to: &bytes) { pointer in
            target = pointer
            body(&self)
            target = nil
        }
    }

    mutating func beginObject() { open(UInt8(ascii: "{")) }
    mutating func endObject() { close(UInt8(ascii: "}")) }
    mutating func beginArray() { open(UInt8(ascii: "[")) }
    mutating func endArray() { close(UInt8(ascii: "]")) }

    mutating func key(_ name: String) {
        separate()
        appendString(name)
        output.pointee.append(UInt8(ascii: ":"))
        pendingValue = true  // the value that follows belongs to this key: no comma before it
    }

    /// A key that needs no escaping (the payload's own).
    mutating func key(_ name: StaticString) {
        separate()
        output.pointee.append(UInt8(ascii: "\""))
        output.pointee.append(name)
        output.pointee.append("\":")
        pendingValue = true
    }

    /// A string from valid UTF-8 bytes (a contact's), `null` when absent.
    mutating func string(_ value: UnsafeBufferPointer<UInt8>?) {
        separate()
        guard let value else { return output.pointee.append("null") }
        appendString(value)
    }

    mutating func string(_ value: String?) {
        separate()
        if let value { appendString(value) } else { output.pointee.append("null") }
    }

    /// `"name":"value"`, or `"name":null` when the value is absent: the payload's usual member.
    @inline(__always)
    mutating func member(_ name: StaticString, _ value: UnsafeBufferPointer<UInt8>?) {
        key(name)
        string(value)
    }

    @inline(__always)
    mutating func member(_ name: StaticString, _ value: String?) {
        key(name)
        string(value)
    }

    mutating func bool(_ value: Bool) {
        separate()
        output.pointee.append(value ? "true" : "false")
    }

    mutating func integer(_ value: Int?) {
        separate()
        guard let value else { return output.pointee.append("null") }
        output.pointee.appendDecimal(value)
    }

    mutating func null() {
        separate()
        output.pointee.append("null")
    }

    // MARK: - Plumbing

    private var pendingValue = false

    private mutating func open(_ bracket: UInt8) {
        separate()
        output.pointee.append(bracket)
        precondition(depth < 64, "JSON nested too deep")
        hasElement <<= 1
        depth += 1
    }

    private mutating func close(_ bracket: UInt8) {
        hasElement >>= 1
        depth -= 1
        output.pointee.append(bracket)
        if depth > 0 { hasElement |= 1 }
    }

    /// Writes the comma between elements, except right after a key.
    private mutating func separate() {
        if pendingValue {
            pendingValue = false
            return
        }
        if depth > 0 {
            if hasElement & 1 != 0 { output.pointee.append(UInt8(ascii: ",")) }
            hasElement |= 1
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// As `appendString(_: String)`, on the bytes: runs without anything to escape are
    /// copied whole; U+2028 and U+2029 are the UTF-8 sequences E2 80 A8 and E2 80 A9.
    private mutating func appendString(_ value: UnsafeBufferPointer<UInt8>) {
        output.pointee.append(UInt8(ascii: "\""))
        var runStart = 0
        var index = 0
        let count = value.count
        while index < count {
            let byte = value[index]
            let escape: UInt32
            if byte == 0x22 || byte == 0x5C || byte < 0x20 || byte == 0x7F {
                escape = UInt32(byte)
            } else if byte == 0xE2, index + 2 < count, value[index + 1] == 0x80, value[index + 2] == 0xA8 || value[index + 2] == 0xA9 {
                escape = 0x2000 | UInt32(value[index + 2] - 0x80)
            } else {
                index += 1
                continue
            }
            output.pointee.append(contentsOf: UnsafeBufferPointer(rebasing: value[runStart..<index]))
            switch escape {
            case 0x22: output.pointee.append("\\\"")
            case 0x5C: output.pointee.append("\\\\")
            default:
                output.pointee.append("\\u")
                for shift in stride(from: 12, through: 0, by: -4) {
                    output.pointee.append(Self.hexDigits[Int((escape >> UInt32(shift)) & 0xF)])
                }
            }
            index += escape >= 0x2000 ? 3 : 1
            runStart = index
        }
        output.pointee.append(contentsOf: UnsafeBufferPointer(rebasing: value[runStart..<count]))
        output.pointee.append(UInt8(ascii: "\""))
    }

    /// A JSON string: `"` and `\` escaped, control characters (DEL too, which our readers
    /// refuse raw) as `\u00XX`, and U+2028/2029 escaped too so the output is also safe
    /// inside JavaScript.
    private mutating func appendString(_ value: String) {
        output.pointee.append(UInt8(ascii: "\""))
        for scalar in value.unicodeScalars {
            switch scalar.value {
            case 0x22: output.pointee.append("\\\"")
            case 0x5C: output.pointee.append("\\\\")
            case 0x00...0x1F, 0x7F, 0x2028, 0x2029:
                let code = scalar.value
                output.pointee.append("\\u")
                for shift in stride(from: 12, through: 0, by: -4) {
                    output.pointee.append(Self.hexDigits[Int((code >> UInt32(shift)) & 0xF)])
                }
            default:
                UTF8.encode(scalar) { output.pointee.append($0) }
            }
        }
        output.pointee.append(UInt8(ascii: "\""))
    }
}
