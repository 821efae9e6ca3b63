import ImportCore

/// Writes contacts one at a time, so that output can flow while the input is still being
/// read: `begin` once, `write` per contact, `end` once. Every encoder's `encode` is the
/// same three steps over an array, so both paths give the same bytes.
public protocol ContactStreamWriter {
    /// Appends what comes before the first contact (a header, an opening bracket).
    mutating func begin(into output: inout [UInt8])
    mutating func write(_ contact: Contact, into output: inout [UInt8])
    /// Appends what comes after the last contact (lists of groups, counts, a footer).
    mutating func end(into output: inout [UInt8])
}

extension ContactStreamWriter {
    /// All of `contacts`, header and footer included.
    mutating func writeAll(_ contacts: [Contact], into output: inout [UInt8]) {
        begin(into: &output)
        for contact in contacts { write(contact, into: &output) }
        end(into: &output)
    }
}

/// Appending to the byte buffers writers fill.
extension Array where Element == UInt8 {
    @inline(__always)
    mutating func append(_ text: StaticString) {
        append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// `value` in decimal, padded with zeros to `width` digits.
    mutating func appendDecimal(_ value: Int, width: Int = 1) {
        if value < 0 { append(UInt8(ascii: "-")) }
        let magnitude = value.magnitude
        var power: UInt = 1
        var digits = 1
        while magnitude / power >= 10 {
            power *= 10
            digits += 1
        }
        for _ in digits..<Swift.max(width, digits) { append(UInt8(ascii: "0")) }
        while power > 0 {
            append(UInt8(ascii: "0") + UInt8(magnitude / power % 10))
            power /= 10
        }
    }
}
