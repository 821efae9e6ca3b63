extension QRCode {
    /// Error-correction level: the share of codewords that can be restored
    /// (about 7 %, 15 %, 25 % and 30 %).
    public enum ErrorCorrection: Int, Sendable, CaseIterable, Hashable {
        case low = 0, medium, quartile, high

        /// The two bits the format information carries for this level
        /// (not in L-M-Q-H order: L = 01, M = 00, Q = 11, H = 10).
        var formatBits: Int {
            switch self {
            case .low: 1
            case .medium: 0
            case .quartile: 3
            case .high: 2
            }
        }
    }
}

/// Block structure of ISO/IEC 18004 Table 9, indexed `[level * 41 + version]`
/// (index 0 of each row is unused so versions index directly). Shared with the fuzzing
/// program, whose reader splits a symbol's codewords into these blocks.
package enum BlockTable {
    static let ecCodewordsPerBlock: [UInt8] = [
        // L
        0, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28,
        28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
        // M
        0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
        26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
        // Q
        0, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30,
        28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
        // H
        0, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28,
        30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
    ]

    static let blockCount: [UInt8] = [
        // L
        0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8,
        8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25,
        // M
        0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16,
        17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49,
        // Q
        0, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20,
        23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68,
        // H
        0, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25,
        25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81,
    ]

    package static func ecCodewords(version: Int, level: QRCode.ErrorCorrection) -> Int {
        Int(ecCodewordsPerBlock[level.rawValue * 41 + version])
    }

    package static func blocks(version: Int, level: QRCode.ErrorCorrection) -> Int {
        Int(blockCount[level.rawValue * 41 + version])
    }
}

enum Capacity {
    /// Modules left for codewords (data, error correction and remainder bits) once every
    /// function pattern is placed. Derived from the symbol layout rather than tabulated:
    /// finders with separators (3 × 64), format areas and the dark module (31), the
    /// timing lines, the alignment patterns less the parts that sit on a timing line,
    /// and the two version blocks from version 7 on.
    static func rawDataModules(version: Int) -> Int {
        let size = 17 + 4 * version
        var modules = size * size - 3 * 64 - 31 - 2 * (size - 16)
        if version >= 2 {
            let n = version / 7 + 2
            modules -= 25 * (n * n - 3) - 10 * (n - 2)
        }
        if version >= 7 {
            modules -= 36
        }
        return modules
    }

    static func totalCodewords(version: Int) -> Int {
        rawDataModules(version: version) / 8
    }

    static func dataCodewords(version: Int, level: QRCode.ErrorCorrection) -> Int {
        totalCodewords(version: version)
            - BlockTable.ecCodewords(version: version, level: level) * BlockTable.blocks(version: version, level: level)
    }

    /// Centre coordinates of the alignment patterns along one axis. The standard spaces
    /// them evenly from the last one back towards 6 with an even step; version 32 is the
    /// one version whose step (26) is not the rounded-up even value.
    static func alignmentCentres(version: Int) -> [Int] {
        guard version >= 2 else { return [] }
        let count = version / 7 + 2
        let size = 17 + 4 * version
        let step: Int
        if version == 32 {
            step = 26
        } else {
            let span = size - 13
            let gaps = count - 1
            step = ((span + 2 * gaps - 1) / (2 * gaps)) * 2
        }
        var result = [Int](repeating: 6, count: count)
        var position = size - 7
        var index = count - 1
        while index >= 1 {
            result[index] = position
            position -= step
            index -= 1
        }
        return result
    }
}
