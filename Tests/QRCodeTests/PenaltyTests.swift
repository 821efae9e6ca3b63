import Testing
@testable import QRCode

/// The run-based line penalty must score exactly as the standard's rules read literally.
@Suite("mask penalty")
struct PenaltyTests {
    /// N1 and N3 module by module, straight from the rule text.
    static func literalLinePenalty(_ line: [UInt8]) -> Int {
        let n = line.count
        var score = 0
        var runLength = 1
        for i in 1...n {
            if i < n && line[i] == line[i - 1] {
                runLength += 1
            } else {
                if runLength >= 5 { score += runLength - 2 }
                runLength = 1
            }
        }
        guard n >= 7 else { return score }
        for p in 0...(n - 7) where Array(line[p..<p + 7]) == [1, 0, 1, 1, 1, 0, 1] {
            let before = line[max(0, p - 4)..<p].allSatisfy { $0 == 0 }
            let after = line[(p + 7)..<min(n, p + 11)].allSatisfy { $0 == 0 }
            if before || after { score += 40 }
        }
        return score
    }

    static func runBased(_ line: [UInt8]) -> Int {
        line.withUnsafeBufferPointer { buffer in
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: line.count + 1) { runs in
                Grid.linePenalty(buffer, runs: runs)
            }
        }
    }

    @Test func edgeCases() {
        let cases: [[UInt8]] = [
            [1, 0, 1, 1, 1, 0, 1],
            [0, 0, 1, 0, 1, 1, 1, 0, 1],
            [1, 1, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0],
            [0, 0, 0, 0, 1, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0],
            [1, 0, 1, 0, 1, 1, 1, 0, 1, 1],
            [1, 1, 1, 1, 1, 1, 1, 1],
            [0],
            [1, 0, 1, 1, 1, 0, 1, 0, 1, 1, 1, 0, 1],
        ]
        for line in cases {
            #expect(Self.runBased(line) == Self.literalLinePenalty(line), "\(line)")
        }
    }

    @Test func randomLinesOfEverySize() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for size in stride(from: 21, through: 177, by: 4) {
            for _ in 0..<200 {
                let line: [UInt8] = (0..<size).map { _ in
                    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    // Long light and dark stretches as well as noise, so finder-like patterns occur.
                    return UInt8(truncatingIfNeeded: (state >> 60) < 9 ? (state >> 33) & 1 : (state >> 62) & 1)
                }
                #expect(Self.runBased(line) == Self.literalLinePenalty(line))
            }
        }
    }
}
