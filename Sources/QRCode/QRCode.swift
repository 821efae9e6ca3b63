/// Why a QR code could not be made.
public enum QRCodeError: Error, Sendable, Hashable {
    /// The data needs `requiredBits` (at least) but the largest allowed version holds
    /// `availableBits` at the chosen error-correction level.
    case dataTooLong(requiredBits: Int, availableBits: Int)
    /// A version outside 1...40 was requested.
    case invalidVersion(Int)
    /// A mask outside 0...7 was requested.
    case invalidMask(Int)
    /// The byte at `offset` cannot be written in the segment's mode.
    case invalidCharacter(offset: Int)
}

/// A QR Model 2 symbol (ISO/IEC 18004), versions 1–40.
///
/// By default the smallest version that holds the data at the requested level is chosen,
/// text is split into numeric / alphanumeric / byte segments with the fewest bits, and
/// the mask with the lowest penalty score is applied. Version and mask can be forced.
public struct QRCode: Sendable, Hashable {
    /// 1...40; the symbol is `17 + 4 × version` modules wide.
    public let version: Int
    public let errorCorrection: ErrorCorrection
    /// The data mask pattern, 0...7.
    public let mask: Int
    /// Width and height in modules, quiet zone not included.
    public let size: Int
    /// Row-major, `true` = dark.
    let modules: [Bool]

    /// Whether the module at column `x`, row `y` is dark. Coordinates outside the symbol
    /// read as light, which is what the quiet zone around it is.
    public subscript(x: Int, y: Int) -> Bool {
        guard x >= 0, y >= 0, x < size, y < size else { return false }
        return modules[y * size + x]
    }

    /// Encodes `text` as UTF-8, using numeric and alphanumeric segments where they make the
    /// code smaller (digit runs, upper-case runs such as a URL's scheme and host written in
    /// capitals) and byte mode elsewhere.
    public init(
        encoding text: String,
        errorCorrection: ErrorCorrection = .medium,
        version: Int? = nil,
        mask: Int? = nil
    ) throws(QRCodeError) {
        let data = Array(text.utf8)
        let versions = try Self.versionRange(version)
        try Self.checkMask(mask)
        try Self.rejectHopeless(byteCount: data.count, level: errorCorrection, maxVersion: versions.upperBound)

        // The best split depends on the count-field widths, which change at versions 10 and 27.
        var lastRequired = 0
        var band = versions.lowerBound
        while band <= versions.upperBound {
            let bandEnd = min(versions.upperBound, band <= 9 ? 9 : (band <= 26 ? 26 : 40))
            let segments = Segmenter.segments(for: data, version: band)
            if let bits = Self.bitLength(of: segments, version: band) {
                lastRequired = bits
                for candidate in band...bandEnd
                where bits <= Capacity.dataCodewords(version: candidate, level: errorCorrection) * 8 {
                    self.init(segments: segments, version: candidate, level: errorCorrection, mask: mask)
                    return
                }
            }
            band = bandEnd + 1
        }
        throw .dataTooLong(
            requiredBits: lastRequired,
            availableBits: Capacity.dataCodewords(version: versions.upperBound, level: errorCorrection) * 8
        )
    }

    /// Encodes `bytes` as a single byte-mode segment.
    public init(
        bytes: [UInt8],
        errorCorrection: ErrorCorrection = .medium,
        version: Int? = nil,
        mask: Int? = nil
    ) throws(QRCodeError) {
        try self.init(
            segments: [Segment(unchecked: .byte, bytes: bytes[...])],
            errorCorrection: errorCorrection, version: version, mask: mask
        )
    }

    /// Encodes segments exactly as given, in order.
    public init(
        segments: [Segment],
        errorCorrection: ErrorCorrection = .medium,
        version: Int? = nil,
        mask: Int? = nil
    ) throws(QRCodeError) {
        let versions = try Self.versionRange(version)
        try Self.checkMask(mask)
        var lastRequired = 0
        for candidate in versions {
            guard let bits = Self.bitLength(of: segments, version: candidate) else { continue }
            lastRequired = bits
            if bits <= Capacity.dataCodewords(version: candidate, level: errorCorrection) * 8 {
                self.init(segments: segments, version: candidate, level: errorCorrection, mask: mask)
                return
            }
        }
        if lastRequired == 0 {
            // Some segment overflows every count field: report the size it would take anyway.
            lastRequired = segments.reduce(0) { $0 + 20 + $1.mode.dataBits(count: $1.bytes.count) }
        }
        throw .dataTooLong(
            requiredBits: lastRequired,
            availableBits: Capacity.dataCodewords(version: versions.upperBound, level: errorCorrection) * 8
        )
    }

    private static func versionRange(_ version: Int?) throws(QRCodeError) -> ClosedRange<Int> {
        guard let version else { return 1...40 }
        guard (1...40).contains(version) else { throw .invalidVersion(version) }
        return version...version
    }

    private static func checkMask(_ mask: Int?) throws(QRCodeError) {
        if let mask, !(0...7).contains(mask) { throw .invalidMask(mask) }
    }

    /// Refuses, before any per-byte work, input that cannot fit even if every byte were a
    /// digit (the densest mode), so huge inputs cost nothing.
    private static func rejectHopeless(byteCount: Int, level: ErrorCorrection, maxVersion: Int) throws(QRCodeError) {
        let available = Capacity.dataCodewords(version: maxVersion, level: level) * 8
        let atLeast = byteCount > Int.max / 16 ? Int.max : 4 + Mode.numeric.dataBits(count: byteCount)
        if atLeast > available {
            throw .dataTooLong(requiredBits: atLeast, availableBits: available)
        }
    }

    static func bitLength(of segments: [Segment], version: Int) -> Int? {
        var total = 0
        for segment in segments {
            guard let bits = segment.bitLength(version: version) else { return nil }
            total += bits
        }
        return total
    }

    /// Builds the symbol once the version is known to hold the segments.
    private init(segments: [Segment], version: Int, level: ErrorCorrection, mask forcedMask: Int?) {
        let data = Self.dataCodewords(segments, version: version, level: level)
        let codewords = Self.interleavedCodewords(data, version: version, level: level)
        var grid = Grid(version: version)
        grid.placeCodewords(codewords)

        let chosenMask: Int
        if let forcedMask {
            chosenMask = forcedMask
        } else {
            var best = 0
            var bestScore = Int.max
            for candidate in 0..<8 {
                grid.applyMask(candidate)
                grid.drawFormatBits(level: level, mask: candidate)
                let score = grid.penalty()
                if score < bestScore {
                    bestScore = score
                    best = candidate
                }
                grid.applyMask(candidate)
            }
            chosenMask = best
        }
        grid.applyMask(chosenMask)
        grid.drawFormatBits(level: level, mask: chosenMask)

        self.version = version
        self.errorCorrection = level
        self.mask = chosenMask
        self.size = grid.size
        self.modules = grid.dark.map { $0 != 0 }
    }

    /// The segments' bits, a terminator of up to four zero bits, zero bits to the byte
    /// boundary, then the alternating pad codewords 0xEC 0x11 up to the capacity.
    static func dataCodewords(_ segments: [Segment], version: Int, level: ErrorCorrection) -> [UInt8] {
        let capacity = Capacity.dataCodewords(version: version, level: level)
        var writer = BitWriter(capacityBytes: capacity)
        for segment in segments {
            segment.write(into: &writer, version: version)
        }
        let capacityBits = capacity * 8
        writer.append(0, bits: min(4, capacityBits - writer.count))
        writer.append(0, bits: (8 - writer.count % 8) % 8)
        var pad: UInt32 = 0xEC
        while writer.count < capacityBits {
            writer.append(pad, bits: 8)
            pad ^= 0xEC ^ 0x11
        }
        return writer.bytes
    }

    /// Splits data codewords into blocks, appends each block's Reed–Solomon codewords and
    /// interleaves: data column by column across blocks, then error correction likewise.
    static func interleavedCodewords(_ data: [UInt8], version: Int, level: ErrorCorrection) -> [UInt8] {
        let blockCount = BlockTable.blocks(version: version, level: level)
        let ecLength = BlockTable.ecCodewords(version: version, level: level)
        let total = Capacity.totalCodewords(version: version)
        let longBlocks = total % blockCount
        let shortBlocks = blockCount - longBlocks
        let shortDataLength = total / blockCount - ecLength

        let encoder = ReedSolomon(degree: ecLength)
        var dataBlocks: [ArraySlice<UInt8>] = []
        var ecBlocks: [[UInt8]] = []
        dataBlocks.reserveCapacity(blockCount)
        ecBlocks.reserveCapacity(blockCount)
        var offset = 0
        for block in 0..<blockCount {
            let length = shortDataLength + (block < shortBlocks ? 0 : 1)
            let slice = data[offset..<(offset + length)]
            dataBlocks.append(slice)
            ecBlocks.append(encoder.remainder(of: slice))
            offset += length
        }

        var result: [UInt8] = []
        result.reserveCapacity(total)
        for i in 0...shortDataLength {
            for block in dataBlocks where i < block.count {
                result.append(block[block.startIndex + i])
            }
        }
        for i in 0..<ecLength {
            for block in ecBlocks {
                result.append(block[i])
            }
        }
        return result
    }
}
