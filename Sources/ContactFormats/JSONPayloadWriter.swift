/// Emits compact JSON straight into bytes, keys in the order written. Commas are placed
/// automatically; the caller only opens and closes containers.
struct JSONPayloadWriter {
    private(set) var output: [UInt8] = []
    /// Per open container: whether it already has an element (so the next needs a comma).
    private var hasElement: [Bool] = []

    mutating func beginObject() { open(UInt8(ascii: "{")) }
    mutating func endObject() { close(UInt8(ascii: "}")) }
    mutating func beginArray() { open(UInt8(ascii: "[")) }
    mutating func endArray() { close(UInt8(ascii: "]")) }

    mutating func key(_ name: String) {
        separate()
        appendString(name)
        output.append(UInt8(ascii: ":"))
        pendingValue = true  // the value that follows belongs to this key: no comma before it
    }

    mutating func string(_ value: String?) {
        separate()
        if let value { appendString(value) } else { output += Array("null".utf8) }
    }

    mutating func bool(_ value: Bool) {
        separate()
        output += Array((value ? "true" : "false").utf8)
    }

    mutating func integer(_ value: Int?) {
        separate()
        output += Array((value.map(String.init) ?? "null").utf8)
    }

    mutating func null() {
        separate()
        output += Array("null".utf8)
    }

    // MARK: - Plumbing

    private var pendingValue = false

    private mutating func open(_ bracket: UInt8) {
        separate()
        output.append(bracket)
        hasElement.append(false)
    }

    private mutating func close(_ bracket: UInt8) {
        hasElement.removeLast()
        output.append(bracket)
        if !hasElement.isEmpty { hasElement[hasElement.count - 1] = true }
    }

    /// Writes the comma between elements, except right after a key.
    private mutating func separate() {
        if pendingValue {
            pendingValue = false
            return
        }
        if let last = hasElement.last {
            if last { output.append(UInt8(ascii: ",")) }
            hasElement[hasElement.count - 1] = true
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// A JSON string: `"` and `\` escaped, control characters as `\u00XX`, and U+2028/2029
    /// escaped too so the output is also safe inside JavaScript.
    private mutating func appendString(_ value: String) {
        output.append(UInt8(ascii: "\""))
        for scalar in value.unicodeScalars {
            switch scalar.value {
            case 0x22: output += [0x5C, 0x22]
            case 0x5C: output += [0x5C, 0x5C]
            case 0x00...0x1F, 0x2028, 0x2029:
                let code = scalar.value
                output += Array("\\u".utf8)
                for shift in stride(from: 12, through: 0, by: -4) {
                    output.append(Self.hexDigits[Int((code >> UInt32(shift)) & 0xF)])
                }
            default:
                UTF8.encode(scalar) { output.append($0) }
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}
