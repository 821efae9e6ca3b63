import Testing

@testable import ContactFormats

@Suite("vCard reader: unescaping")
struct VCardTextTests {
    private func unescaped(_ text: String, dropFirst: Int = 0, dropLast: Int = 0) -> String {
        let bytes = Array(text.utf8)
        var output: [UInt8] = [0x3E]  // appended to, not replaced
        bytes.withUnsafeBufferPointer {
            VCardText.appendUnescaped($0, dropFirst..<($0.count - dropLast), to: &output)
        }
        return String(decoding: output, as: UTF8.self)
    }

    @Test func escapesAnywhereInTheValue() {
        #expect(unescaped("plain text") == ">plain text")
        #expect(unescaped("\\,start") == ">,start")
        #expect(unescaped("end\\;") == ">end;")
        #expect(unescaped("a\\nb\\Nc\\\\d\\:e\\\"f") == ">a\nb\nc\\d:e\"f")
        #expect(unescaped("\\\\\\,") == ">\\,")
    }

    @Test func otherBackslashesAreKept() {
        #expect(unescaped("C:\\Windows\\temp") == ">C:\\Windows\\temp")
        #expect(unescaped("trailing\\") == ">trailing\\")
        #expect(unescaped("\\x\\,") == ">\\x,")
    }

    @Test func onlyTheRangeIsRead() {
        // The escape straddles the range's end: its backslash is the last byte read.
        #expect(unescaped("xa\\,b", dropFirst: 1, dropLast: 2) == ">a\\")
        #expect(unescaped("\\,ab", dropFirst: 1) == ">,ab")
    }
}
