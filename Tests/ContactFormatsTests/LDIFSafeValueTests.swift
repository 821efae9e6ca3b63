import Testing

@testable import ContactFormats

/// The LDIF writer decides on bytes what the string functions decide on scalars:
/// `LDIFLineWriter.isSafe` looks at eight bytes at a time and must say what RFC 2849's
/// SAFE-STRING (printable ASCII here) says one byte at a time, and `LDIFNameBytes` must
/// escape as `LDIFDistinguishedName.escape` does.
@Suite("LDIF values on bytes")
struct LDIFSafeValueTests {
    private func safeByteByByte(_ bytes: [UInt8]) -> Bool {
        guard let first = bytes.first, let last = bytes.last else { return true }
        if first == 0x20 || first == UInt8(ascii: ":") || first == UInt8(ascii: "<") || last == 0x20 { return false }
        return bytes.allSatisfy { (0x20...0x7E).contains($0) }
    }

    private func isSafe(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { LDIFLineWriter.isSafe($0) }
    }

    @Test func everyByteInEveryPlaceOfAWordAndTheTail() {
        for length in 1...19 {
            for position in 0..<length {
                for byte in UInt8.min...UInt8.max {
                    var value = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    value[position] = byte
                    #expect(isSafe(value) == safeByteByByte(value), "\(length) \(position) \(byte)")
                }
            }
        }
    }

    @Test func randomValuesAgreeWithTheByteByByteTest() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...40, using: &generator)
            let value = (0..<length).map { _ in
                Bool.random(using: &generator) ? UInt8.random(in: 0x20...0x7E, using: &generator) : UInt8.random(in: 0...255, using: &generator)
            }
            #expect(isSafe(value) == safeByteByByte(value), "\(value)")
        }
        #expect(isSafe([]))
        #expect(isSafe(Array("cn=Ana Silva,mail=ana@example.org".utf8)))
        #expect(!isSafe(Array("Zoë".utf8)))
        #expect(!isSafe(Array(" lead".utf8)))
    }

    @Test func distinguishedNameValuesAreEscapedAsTheStringFunctionDoes() {
        let pieces = ["", " ", "#", ",", "+", "\"", "\\", "<", ">", ";", "=", "a", "Zoë", "高橋", "x y", "\t"]
        var values = pieces
        for a in pieces { for b in pieces { values.append(a + b) } }
        for a in pieces { for b in pieces { values.append(a + "mid" + b) } }
        for value in values {
            var bytes: [UInt8] = []
            Array(value.utf8).withUnsafeBufferPointer { LDIFNameBytes.appendEscaped($0, to: &bytes) }
            #expect(String(decoding: bytes, as: UTF8.self) == LDIFDistinguishedName.escape(value), "\(value.debugDescription)")
        }
    }
}
