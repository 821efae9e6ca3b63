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

    /// A key that needs no escaping (the payload's own).
    mutating func key(_ name: StaticString) {
        separate()
        output.append(UInt8(ascii: "\""))
        output.append(name)
        output.append("\":")
        pendingValue = true
    }

    /// A string from valid UTF-8 bytes (a contact's), `null` when absent.
    mutating func string(_ value: UnsafeBufferPointer<UInt8>?) {
        separate()
        guard let value else { return output.append("null") }
        appendString(value)
    }

    /// Hands the bytes written so far to `target`, so that a long payload can be written
    /// out while it is made.
    mutating func move(into target: inout [UInt8]) {
        target.append(contentsOf: output)
        output.removeAll(keepingCapacity: true)
    }

    mutating func string(_ value: String?) {
        separate()
        if let value { appendString(value) } else { output += Array("null".utf8) }
    }

    mutating func bool(_ value: Bool) {
        separate()
        output.append(value ? "true" : "false")
    }

    mutating func integer(_ value: Int?) {
        separate()
        guard let value else { return output.append("null") }
        output.appendDecimal(value)
    }

    mutating func null() {
        separate()
        output.append("null")
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

    /// As `appendString(_: String)`, on the bytes: runs without anything to escape are
    /// copied whole; U+2028 and U+2029 are the UTF-8 sequences E2 80 A8 and E2 80 A9.
    private mutating func appendString(_ value: UnsafeBufferPointer<UInt8>) {
        output.append(UInt8(ascii: "\""))
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
            output.append(contentsOf: UnsafeBufferPointer(rebasing: value[runStart..<index]))
            switch escape {
            case 0x22: output += [0x5C, 0x22]
            case 0x5C: output += [0x5C, 0x5C]
            default:
                output += [0x5C, UInt8(ascii: "u")]
                for shift in stride(from: 12, through: 0, by: -4) {
                    output.append(Self.hexDigits[Int((escape >> UInt32(shift)) & 0xF)])
                }
            }
            index += escape >= 0x2000 ? 3 : 1
            runStart = index
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: value[runStart..<count]))
        output.append(UInt8(ascii: "\""))
    }

    /// A JSON string: `"` and `\` escaped, control characters (DEL too, which our readers
    /// refuse raw) as `\u00XX`, and U+2028/2029 escaped too so the output is also safe
    /// inside JavaScript.
    private mutating func appendString(_ value: String) {
        output.append(UInt8(ascii: "\""))
        for scalar in value.unicodeScalars {
            switch scalar.value {
            case 0x22: output += [0x5C, 0x22]
            case 0x5C: output += [0x5C, 0x5C]
            case 0x00...0x1F, 0x7F, 0x2028, 0x2029:
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
