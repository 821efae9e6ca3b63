import Testing

@testable import ContactFormats

@Suite("output bytes")
struct OutputBytesTests {
    private func decimal(_ value: Int, width: Int = 1) -> String {
        var output = OutputBytes(capacity: 16)
        output.append("<")
        output.appendDecimal(value, width: width)
        output.append(">")
        return output.withBytes(from: 0) { String(decoding: $0, as: UTF8.self) }
    }

    @Test func decimalsAreWrittenAsSwiftPrintsThem() {
        for value in [0, 1, 9, 10, 99, 100, 955, 1_000, 65_535, 1_000_000, Int.max, -1, -10, -955, Int.min] {
            #expect(decimal(value) == "<\(value)>")
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<1_000 {
            let value = Int.random(in: Int.min...Int.max, using: &generator) >> Int.random(in: 0...63, using: &generator)
            #expect(decimal(value) == "<\(value)>")
        }
    }

    @Test func decimalsArePaddedWithZerosToTheirWidth() {
        #expect(decimal(7, width: 2) == "<07>")
        #expect(decimal(2026, width: 4) == "<2026>")
        #expect(decimal(5, width: 4) == "<0005>")
        #expect(decimal(123, width: 2) == "<123>")
        #expect(decimal(-5, width: 3) == "<-005>")
        #expect(decimal(0, width: 0) == "<0>")
    }
}
