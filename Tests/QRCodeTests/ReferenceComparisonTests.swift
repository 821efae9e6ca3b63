import Foundation
import Testing
import QRCode

/// Bit-exact comparison with libqrencode (the Debian `qrencode` tool).
///
/// qrencode has no option to force the mask, so each case lets it choose, reads the mask
/// back from the format information of its matrix, and forces the same mask on our side.
/// Version and level are forced on both sides and `-8` makes qrencode write one byte-mode
/// segment, as `QRCode(bytes:)` does; everything else (padding, Reed–Solomon, interleaving,
/// placement, masking, format and version words) must then agree module for module.
@Suite("qrencode reference comparison")
struct ReferenceComparisonTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let version: Int
        let level: QRCode.ErrorCorrection
        let payload: [UInt8]
        var testDescription: String { "v\(version)-\(level.letter) \(payload.count) bytes" }
    }

    /// Every version at every level (160 cases), lengths spread from empty to full capacity,
    /// bytes drawn from the whole 0...255 range.
    static let cases: [Case] = {
        var random = SeededGenerator(seed: 0x5152_7265_6665)
        var result: [Case] = []
        for version in 1...40 {
            for level in QRCode.ErrorCorrection.allCases {
                let capacity = byteCapacity(version: version, level: level)
                let smaller = version == 1 ? 1 : byteCapacity(version: version - 1, level: level) + 1
                // Alternate between exactly full, nearly empty-for-this-version, and random.
                let length: Int
                switch (version + level.rawValue) % 3 {
                case 0: length = capacity
                case 1: length = smaller
                default: length = Int.random(in: smaller...capacity, using: &random)
                }
                let payload = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
                result.append(Case(version: version, level: level, payload: payload))
            }
        }
        return result
    }()

    @Test(arguments: cases)
    func matchesQrencode(_ testCase: Case) throws {
        let scratch = try ScratchDirectory()
        let input = try scratch.write(testCase.payload, name: "payload.bin")
        let result = try ExternalTool.run("qrencode", [
            "-r", input, "-o", "-", "-t", "ASCII", "-m", "0", "-8",
            "-v", String(testCase.version), "-l", testCase.level.letter,
        ])
        try #require(result.status == 0)
        let reference = parseQrencodeASCII(result.output)
        try #require(reference.count == 17 + 4 * testCase.version, "qrencode chose another version")
        let fields = try #require(formatFields(of: reference))

        let ours = try QRCode(
            bytes: testCase.payload, errorCorrection: testCase.level,
            version: testCase.version, mask: fields.mask
        )
        #expect(ours.version == testCase.version)
        #expect(ours.mask == fields.mask)
        let mine = matrix(of: ours)
        #expect(mine.count == reference.count)
        let differing = zip(mine, reference).enumerated().flatMap { y, rows in
            zip(rows.0, rows.1).enumerated().compactMap { x, pair in pair.0 == pair.1 ? nil : "(\(x),\(y))" }
        }
        #expect(differing.isEmpty, "modules differ at \(differing.prefix(10).joined(separator: " "))")
    }

    /// The comparison above only covers masks qrencode happened to choose; make sure those
    /// include all eight so every mask pattern has been checked against the reference.
    @Test func casesCoverEveryMask() throws {
        var masks = Set<Int>()
        for testCase in Self.cases.prefix(80) {
            let scratch = try ScratchDirectory()
            let input = try scratch.write(testCase.payload, name: "payload.bin")
            let result = try ExternalTool.run("qrencode", [
                "-r", input, "-o", "-", "-t", "ASCII", "-m", "0", "-8",
                "-v", String(testCase.version), "-l", testCase.level.letter,
            ])
            if let fields = formatFields(of: parseQrencodeASCII(result.output)) { masks.insert(fields.mask) }
        }
        #expect(masks == Set(0...7))
    }
}
