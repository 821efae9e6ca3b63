/// The module matrix while a symbol is being built: colours plus which modules belong to
/// function patterns (and so are never written with data nor masked).
struct Grid {
    let version: Int
    let size: Int
    /// Row-major, 1 = dark.
    var dark: [UInt8]
    var isFunction: [Bool]

    init(version: Int) {
        self.version = version
        size = 17 + 4 * version
        dark = [UInt8](repeating: 0, count: size * size)
        isFunction = [Bool](repeating: false, count: size * size)

        for i in 0..<size {
            setFunction(6, i, dark: i % 2 == 0)
            setFunction(i, 6, dark: i % 2 == 0)
        }
        drawFinder(centreX: 3, centreY: 3)
        drawFinder(centreX: size - 4, centreY: 3)
        drawFinder(centreX: 3, centreY: size - 4)

        let centres = Capacity.alignmentCentres(version: version)
        let last = centres.count - 1
        for (i, cy) in centres.enumerated() {
            for (j, cx) in centres.enumerated() {
                // The three corners that would overlap finder patterns are left out.
                if (i == 0 && j == 0) || (i == 0 && j == last) || (i == last && j == 0) { continue }
                for dy in -2...2 {
                    for dx in -2...2 {
                        setFunction(cx + dx, cy + dy, dark: max(abs(dx), abs(dy)) != 1)
                    }
                }
            }
        }

        // Reserve the format areas now; the real bits are drawn once the mask is known.
        drawFormatBits(level: .medium, mask: 0)
        drawVersionBits()
    }

    private mutating func setFunction(_ x: Int, _ y: Int, dark value: Bool) {
        dark[y * size + x] = value ? 1 : 0
        isFunction[y * size + x] = true
    }

    /// Finder pattern with its light separator ring, clipped at the symbol edge.
    private mutating func drawFinder(centreX: Int, centreY: Int) {
        for dy in -4...4 {
            for dx in -4...4 {
                let x = centreX + dx, y = centreY + dy
                guard x >= 0, y >= 0, x < size, y < size else { continue }
                let ring = max(abs(dx), abs(dy))
                setFunction(x, y, dark: ring != 2 && ring != 4)
            }
        }
    }

    /// Both copies of the 15-bit format information, plus the module that is always dark.
    mutating func drawFormatBits(level: QRCode.ErrorCorrection, mask: Int) {
        let bits = FormatInfo.bits(level: level, mask: mask)
        func bit(_ i: Int) -> Bool { (bits >> i) & 1 != 0 }

        // Around the top-left finder: bits 0–7 down column 8 (skipping the timing row),
        // bits 8–14 leftwards along row 8 (skipping the timing column).
        for i in 0..<6 { setFunction(8, i, dark: bit(i)) }
        setFunction(8, 7, dark: bit(6))
        setFunction(8, 8, dark: bit(7))
        setFunction(7, 8, dark: bit(8))
        for i in 9..<15 { setFunction(14 - i, 8, dark: bit(i)) }

        // Second copy: bits 0–7 leftwards from the right edge along row 8, bits 8–14 down
        // column 8 below the bottom-left finder.
        for i in 0..<8 { setFunction(size - 1 - i, 8, dark: bit(i)) }
        for i in 8..<15 { setFunction(8, size - 15 + i, dark: bit(i)) }
        setFunction(8, size - 8, dark: true)
    }

    /// The two 6 × 3 version blocks, from version 7 on.
    private mutating func drawVersionBits() {
        guard version >= 7 else { return }
        let bits = FormatInfo.versionBits(version: version)
        for i in 0..<18 {
            let value = (bits >> i) & 1 != 0
            let across = size - 11 + i % 3
            let along = i / 3
            setFunction(across, along, dark: value)
            setFunction(along, across, dark: value)
        }
    }

    /// Writes codeword bits in the standard zig-zag: two-module columns from the right,
    /// alternately upwards and downwards, stepping over the vertical timing line and
    /// every function module. Remainder modules stay light.
    mutating func placeCodewords(_ codewords: [UInt8]) {
        let totalBits = codewords.count * 8
        var index = 0
        var right = size - 1
        while right >= 1 {
            if right == 6 { right = 5 }
            let upward = (right + 1) & 2 == 0
            for step in 0..<size {
                let y = upward ? size - 1 - step : step
                for column in 0..<2 {
                    let position = y * size + right - column
                    guard !isFunction[position] else { continue }
                    if index < totalBits {
                        dark[position] = (codewords[index >> 3] >> (7 - UInt8(index & 7))) & 1
                        index += 1
                    }
                }
            }
            right -= 2
        }
    }

    /// XORs the data modules with mask pattern `mask`; applying it twice restores them.
    mutating func applyMask(_ mask: Int) {
        // One loop per pattern, so the pattern test is not a switch per module.
        switch mask {
        case 0: flip { x, y in (x + y) % 2 == 0 }
        case 1: flip { _, y in y % 2 == 0 }
        case 2: flip { x, _ in x % 3 == 0 }
        case 3: flip { x, y in (x + y) % 3 == 0 }
        case 4: flip { x, y in (x / 3 + y / 2) % 2 == 0 }
        case 5: flip { x, y in x * y % 2 + x * y % 3 == 0 }
        case 6: flip { x, y in (x * y % 2 + x * y % 3) % 2 == 0 }
        default: flip { x, y in ((x + y) % 2 + x * y % 3) % 2 == 0 }
        }
    }

    @inline(__always)
    private mutating func flip(where pattern: (Int, Int) -> Bool) {
        let size = self.size
        isFunction.withUnsafeBufferPointer { function in
            dark.withUnsafeMutableBufferPointer { dark in
                for y in 0..<size {
                    let row = y * size
                    for x in 0..<size where pattern(x, y) && !function[row + x] {
                        dark[row + x] ^= 1
                    }
                }
            }
        }
    }

    /// The standard's mask evaluation score (lower is better):
    /// N1 runs of five or more equal modules in a row or column, 3 + (length − 5) each;
    /// N2 3 per 2 × 2 block of one colour; N3 40 per finder-like 1:1:3:1:1 pattern with
    /// four light modules on at least one side (beyond the edge counts as light, being
    /// quiet zone); N4 10 per full 5 % that the dark share deviates from 50 %.
    func penalty() -> Int {
        let size = self.size
        var score = 0
        dark.withUnsafeBufferPointer { grid in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: size * size) { columns in
                withUnsafeTemporaryAllocation(of: Int32.self, capacity: size + 1) { runs in
                    // Rows are contiguous; columns are read as the rows of the transpose.
                    for y in 0..<size {
                        for x in 0..<size { columns[x * size + y] = grid[y * size + x] }
                    }
                    let transposed = UnsafeBufferPointer(columns)
                    for index in 0..<size {
                        score += Grid.linePenalty(UnsafeBufferPointer(rebasing: grid[(index * size)..<((index + 1) * size)]), runs: runs)
                        score += Grid.linePenalty(UnsafeBufferPointer(rebasing: transposed[(index * size)..<((index + 1) * size)]), runs: runs)
                    }
                }
            }
            // N2 without branches: a block counts when its four modules are equal.
            var blocks = 0
            for y in 0..<(size - 1) {
                let row = y * size
                for x in 0..<(size - 1) {
                    let c = grid[row + x]
                    let differences = (c ^ grid[row + x + 1]) | (c ^ grid[row + size + x]) | (c ^ grid[row + size + x + 1])
                    blocks &+= Int(1 &- differences)
                }
            }
            score += 3 * blocks
            var darkCount = 0
            for i in 0..<grid.count { darkCount &+= Int(grid[i]) }
            let total = size * size
            score += 10 * (abs(darkCount * 20 - total * 10) / total)
        }
        return score
    }

    /// N1 and N3 for one row or column, worked out from its runs of equal modules.
    /// `runs` is scratch space for at least `line.count + 1` run lengths.
    static func linePenalty(_ line: UnsafeBufferPointer<UInt8>, runs: UnsafeMutableBufferPointer<Int32>) -> Int {
        let n = line.count
        guard n > 0 else { return 0 }
        // Run boundaries without a branch per module: the run counter advances exactly
        // when the colour changes (modules are 0 or 1, so their XOR is the change).
        var count = 0
        var runStart = 0
        for i in 1..<n {
            let change = Int(line[i] ^ line[i - 1])
            runs[count] = Int32(i - runStart)
            count &+= change
            runStart = change == 1 ? i : runStart
        }
        runs[count] = Int32(n - runStart)
        count += 1

        var score = 0
        let firstDark = Int(line[0])
        for j in 0..<count {
            let length = Int(runs[j])
            score &+= length >= 5 ? length - 2 : 0
            // A finder-like 1:1:3:1:1 centred on a dark run of three.
            guard length == 3, (firstDark ^ (j & 1)) == 1, j >= 2, j + 2 < count,
                  runs[j - 1] == 1, runs[j + 1] == 1 else { continue }
            // The outer dark modules may belong to longer runs; then that side is not light.
            // Otherwise the light run beyond must be four modules, or reach the edge.
            let lightBefore = runs[j - 2] == 1 && (j - 3 <= 0 || runs[j - 3] >= 4)
            let lightAfter = runs[j + 2] == 1 && (j + 3 >= count - 1 || runs[j + 3] >= 4)
            if lightBefore || lightAfter { score += 40 }
        }
        return score
    }
}

/// The BCH-protected format and version words.
enum FormatInfo {
    /// 15 bits: level (2) and mask (3), BCH(15,5) remainder with generator 0x537, XOR 0x5412
    /// so that no combination is all zero.
    static func bits(level: QRCode.ErrorCorrection, mask: Int) -> Int {
        let data = level.formatBits << 3 | mask
        return (data << 10 | remainder(data << 10, generator: 0x537, degree: 10)) ^ 0x5412
    }

    /// 18 bits: version (6) and its BCH(18,6) remainder with generator 0x1F25.
    static func versionBits(version: Int) -> Int {
        version << 12 | remainder(version << 12, generator: 0x1F25, degree: 12)
    }

    /// Remainder of the binary polynomial `value` divided by `generator` (of the given degree).
    private static func remainder(_ value: Int, generator: Int, degree: Int) -> Int {
        var rest = value
        var bit = Int.bitWidth - 1 - rest.leadingZeroBitCount
        while bit >= degree {
            if rest & (1 << bit) != 0 {
                rest ^= generator << (bit - degree)
            }
            bit -= 1
        }
        return rest
    }
}

extension Grid {
    /// The grid of a finished symbol, so it can be scored the way the mask chooser scored it.
    init(_ code: QRCode) {
        self.init(version: code.version)
        dark = code.modules.map { $0 ? 1 : 0 }
    }
}
