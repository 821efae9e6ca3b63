import QRCode

/// Reads a QR symbol back to the bytes it holds, written from ISO/IEC 18004 apart from the
/// encoder (only the block table is shared): the format information, the data modules in
/// their zigzag order unmasked, the blocks de-interleaved and checked as Reed-Solomon
/// codewords (every syndrome zero), then the segments, the terminator and the pad
/// codewords. A symbol that breaks any of these is a failure naming what broke.
enum QRReader {
    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    static func read(_ code: QRCode) throws(Failure) -> [UInt8] {
        let size = code.size
        let version = (size - 17) / 4
        let (level, mask) = try formatInformation(code)
        guard level == code.errorCorrection, mask == code.mask else {
            throw Failure("format information says level \(level), mask \(mask)")
        }
        let codewords = try dataCodewords(code, version: version, mask: mask)
        let data = try deinterleave(codewords, version: version, level: level)
        return try segments(data, version: version)
    }

    /// Level and mask from the first copy (the structure check compares both copies).
    static func formatInformation(_ code: QRCode) throws(Failure) -> (QRCode.ErrorCorrection, Int) {
        var bits = 0
        for i in 0...5 where code[8, i] { bits |= 1 << i }
        if code[8, 7] { bits |= 1 << 6 }
        if code[8, 8] { bits |= 1 << 7 }
        if code[7, 8] { bits |= 1 << 8 }
        for i in 9..<15 where code[14 - i, 8] { bits |= 1 << i }
        for level in QRCode.ErrorCorrection.allCases {
            for mask in 0...7 where QRStructure.formatBits(level: level, mask: mask) == bits {
                return (level, mask)
            }
        }
        throw Failure("format information \(bits) is no valid code word")
    }

    /// Modules that belong to function patterns: finders with separators and format areas,
    /// timing lines, alignment patterns, version information.
    static func functionModules(version: Int) -> [Bool] {
        let size = 17 + 4 * version
        var taken = [Bool](repeating: false, count: size * size)
        func take(_ x: Int, _ y: Int) { taken[y * size + x] = true }
        for y in 0..<size {
            for x in 0..<size {
                let corner = (x < 9 && y < 9) || (x >= size - 8 && y < 9) || (x < 9 && y >= size - 8)
                if corner || x == 6 || y == 6 { take(x, y) }
            }
        }
        let centres = alignmentCentres(version: version)
        for cy in centres {
            for cx in centres {
                let onFinder = (cx == 6 && cy == 6) || (cx == 6 && cy == size - 7) || (cx == size - 7 && cy == 6)
                guard !onFinder else { continue }
                for dy in -2...2 { for dx in -2...2 { take(cx + dx, cy + dy) } }
            }
        }
        if version >= 7 {
            for a in (size - 11)..<(size - 8) { for b in 0..<6 { take(a, b); take(b, a) } }
        }
        return taken
    }

    /// The standard's alignment centres: 6, then evenly spaced up to size − 7 (by an even
    /// step, 26 at version 32).
    static func alignmentCentres(version: Int) -> [Int] {
        guard version > 1 else { return [] }
        let count = version / 7 + 2
        let step = version == 32 ? 26 : (version * 4 + count * 2 + 1) / (count * 2 - 2) * 2
        return [6] + (0..<(count - 1)).map { 17 + 4 * version - 7 - step * $0 }.reversed()
    }

    static func masked(_ mask: Int, x: Int, y: Int) -> Bool {
        switch mask {
        case 0: return (y + x) % 2 == 0
        case 1: return y % 2 == 0
        case 2: return x % 3 == 0
        case 3: return (y + x) % 3 == 0
        case 4: return (y / 2 + x / 3) % 2 == 0
        case 5: return (y * x) % 2 + (y * x) % 3 == 0
        case 6: return ((y * x) % 2 + (y * x) % 3) % 2 == 0
        default: return ((y + x) % 2 + (y * x) % 3) % 2 == 0
        }
    }

    /// The codewords in placement order: column pairs from the right, up then down,
    /// skipping the vertical timing line; the remainder bits left over must be light.
    static func dataCodewords(_ code: QRCode, version: Int, mask: Int) throws(Failure) -> [UInt8] {
        let size = code.size
        let taken = functionModules(version: version)
        var bits: [Bool] = []
        var right = size - 1
        var upward = true
        while right > 0 {
            if right == 6 { right = 5 }
            for step in 0..<size {
                let y = upward ? size - 1 - step : step
                for x in [right, right - 1] where !taken[y * size + x] {
                    bits.append(code[x, y] != masked(mask, x: x, y: y))
                }
            }
            upward.toggle()
            right -= 2
        }
        let count = bits.count / 8
        guard bits[(count * 8)...].allSatisfy({ !$0 }) else { throw Failure("a remainder bit is dark after unmasking") }
        return (0..<count).map { index in
            bits[(index * 8)..<(index * 8 + 8)].reduce(UInt8(0)) { $0 << 1 | ($1 ? 1 : 0) }
        }
    }

    /// The data codewords of each block in order, once every block checks as a
    /// Reed-Solomon code word.
    static func deinterleave(_ codewords: [UInt8], version: Int, level: QRCode.ErrorCorrection) throws(Failure) -> [UInt8] {
        let blockCount = BlockTable.blocks(version: version, level: level)
        let ecLength = BlockTable.ecCodewords(version: version, level: level)
        let shortBlocks = blockCount - codewords.count % blockCount
        let shortData = codewords.count / blockCount - ecLength
        var blocks = [[UInt8]](repeating: [], count: blockCount)
        var next = 0
        for index in 0...shortData {
            for block in 0..<blockCount where index < shortData || block >= shortBlocks {
                blocks[block].append(codewords[next])
                next += 1
            }
        }
        let data = blocks.flatMap { $0 }
        for _ in 0..<ecLength {
            for block in 0..<blockCount {
                blocks[block].append(codewords[next])
                next += 1
            }
        }
        guard next == codewords.count else { throw Failure("\(codewords.count - next) codewords fit no block") }
        for (index, block) in blocks.enumerated() {
            for power in 0..<ecLength where Galois.evaluate(block, at: Galois.exp[power]) != 0 {
                throw Failure("block \(index): syndrome \(power) is not zero")
            }
        }
        return data
    }

    /// The segments' bytes; after them the terminator (or the end), zero bits to the byte
    /// boundary and the pad codewords 0xEC, 0x11 in turn.
    static func segments(_ data: [UInt8], version: Int) throws(Failure) -> [UInt8] {
        var reader = Bits(data)
        var out: [UInt8] = []
        let band = version <= 9 ? 0 : version <= 26 ? 1 : 2
        let alphanumeric = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:".utf8)
        while reader.remaining >= 4 {
            let mode = try reader.take(4)
            if mode == 0 { break }
            switch mode {
            case 0b0001:
                var count = try reader.take([10, 12, 14][band])
                while count > 0 {
                    let digits = min(3, count)
                    let value = try reader.take([4, 7, 10][digits - 1])
                    guard value < [10, 100, 1000][digits - 1] else { throw Failure("numeric group \(value) of \(digits) digits") }
                    out += String(value).leftPadded(to: digits).utf8
                    count -= digits
                }
            case 0b0010:
                var count = try reader.take([9, 11, 13][band])
                while count > 0 {
                    if count >= 2 {
                        let value = try reader.take(11)
                        guard value < 45 * 45 else { throw Failure("alphanumeric pair \(value)") }
                        out += [alphanumeric[value / 45], alphanumeric[value % 45]]
                        count -= 2
                    } else {
                        let value = try reader.take(6)
                        guard value < 45 else { throw Failure("alphanumeric character \(value)") }
                        out.append(alphanumeric[value])
                        count -= 1
                    }
                }
            case 0b0100:
                let count = try reader.take([8, 16, 16][band])
                for _ in 0..<count { out.append(UInt8(try reader.take(8))) }
            default:
                throw Failure("mode indicator \(mode)")
            }
        }
        while reader.position % 8 != 0 {
            guard try reader.take(1) == 0 else { throw Failure("a dark bit before the byte boundary") }
        }
        for (index, pad) in data[(reader.position / 8)...].enumerated() where pad != [0xEC, 0x11][index % 2] {
            throw Failure("pad codeword \(index) is \(pad)")
        }
        return out
    }

    struct Bits {
        let bytes: [UInt8]
        var position = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }
        var remaining: Int { bytes.count * 8 - position }

        mutating func take(_ count: Int) throws(Failure) -> Int {
            guard count <= remaining else { throw Failure("the data ends inside a field of \(count) bits") }
            var value = 0
            for _ in 0..<count {
                value = value << 1 | Int(bytes[position / 8] >> (7 - position % 8) & 1)
                position += 1
            }
            return value
        }
    }
}

/// GF(256) with the QR polynomial x⁸ + x⁴ + x³ + x² + 1.
enum Galois {
    static let exp: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 255)
        var value = 1
        for power in 0..<255 {
            table[power] = UInt8(value)
            value <<= 1
            if value & 0x100 != 0 { value ^= 0x11D }
        }
        return table
    }()

    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        var product: UInt8 = 0
        var a = a, b = b
        while b != 0 {
            if b & 1 != 0 { product ^= a }
            a = (a << 1) ^ (a & 0x80 != 0 ? 0x1D : 0)
            b >>= 1
        }
        return product
    }

    /// The polynomial with `coefficients[0]` as the highest power, at `x` (Horner).
    static func evaluate(_ coefficients: [UInt8], at x: UInt8) -> UInt8 {
        coefficients.reduce(0) { multiply($0, x) ^ $1 }
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
