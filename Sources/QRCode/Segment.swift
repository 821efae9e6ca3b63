extension QRCode {
    /// The data modes this encoder writes (Kanji and ECI are not used).
    public enum Mode: Sendable, Hashable, CaseIterable {
        /// Digits 0–9, three per 10 bits.
        case numeric
        /// 0–9, A–Z, space and `$%*+-./:`, two per 11 bits.
        case alphanumeric
        /// Any byte, 8 bits each; text is written as UTF-8.
        case byte

        var indicator: UInt32 {
            switch self {
            case .numeric: 0b0001
            case .alphanumeric: 0b0010
            case .byte: 0b0100
            }
        }

        /// Width of the character-count field, which grows at versions 10 and 27.
        func countBits(version: Int) -> Int {
            let band = version <= 9 ? 0 : (version <= 26 ? 1 : 2)
            switch self {
            case .numeric: return [10, 12, 14][band]
            case .alphanumeric: return [9, 11, 13][band]
            case .byte: return [8, 16, 16][band]
            }
        }

        /// Bits taken by `count` characters, header excluded.
        func dataBits(count: Int) -> Int {
            switch self {
            case .numeric: return count / 3 * 10 + [0, 4, 7][count % 3]
            case .alphanumeric: return count / 2 * 11 + (count % 2) * 6
            case .byte: return count * 8
            }
        }

        func accepts(_ byte: UInt8) -> Bool {
            switch self {
            case .numeric: return byte &- 0x30 < 10
            case .alphanumeric: return alphanumericValue[Int(byte)] >= 0
            case .byte: return true
            }
        }
    }

    /// A run of data written in one mode. For numeric and alphanumeric segments `bytes`
    /// holds the ASCII characters; for byte segments, the raw bytes.
    public struct Segment: Sendable, Hashable {
        public let mode: Mode
        public let bytes: [UInt8]

        /// Fails with `QRCodeError.invalidCharacter` if a byte cannot be written in `mode`.
        public init(mode: Mode, bytes: [UInt8]) throws(QRCodeError) {
            if let index = bytes.firstIndex(where: { !mode.accepts($0) }) {
                throw .invalidCharacter(offset: index)
            }
            self.mode = mode
            self.bytes = bytes
        }

        init(unchecked mode: Mode, bytes: ArraySlice<UInt8>) {
            self.mode = mode
            self.bytes = Array(bytes)
        }

        /// Header plus data bits at `version`, or nil when the count does not fit the count field.
        func bitLength(version: Int) -> Int? {
            let countBits = mode.countBits(version: version)
            guard bytes.count < 1 << countBits else { return nil }
            return 4 + countBits + mode.dataBits(count: bytes.count)
        }

        func write(into writer: inout BitWriter, version: Int) {
            writer.append(mode.indicator, bits: 4)
            writer.append(UInt32(bytes.count), bits: mode.countBits(version: version))
            switch mode {
            case .numeric:
                var i = 0
                while i < bytes.count {
                    let take = min(3, bytes.count - i)
                    var value: UInt32 = 0
                    for k in 0..<take {
                        value = value * 10 + UInt32(bytes[i + k] - 0x30)
                    }
                    writer.append(value, bits: take * 3 + 1)
                    i += take
                }
            case .alphanumeric:
                var i = 0
                while i + 1 < bytes.count {
                    let high = UInt32(alphanumericValue[Int(bytes[i])])
                    let low = UInt32(alphanumericValue[Int(bytes[i + 1])])
                    writer.append(high * 45 + low, bits: 11)
                    i += 2
                }
                if i < bytes.count {
                    writer.append(UInt32(alphanumericValue[Int(bytes[i])]), bits: 6)
                }
            case .byte:
                for byte in bytes {
                    writer.append(UInt32(byte), bits: 8)
                }
            }
        }
    }
}

/// Value of each byte in the alphanumeric character set, −1 outside it.
let alphanumericValue: [Int8] = {
    var table = [Int8](repeating: -1, count: 256)
    for (value, byte) in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:".utf8.enumerated() {
        table[Int(byte)] = Int8(value)
    }
    return table
}()

/// Splits bytes into mode segments with the fewest total bits for one count-field band.
///
/// Dynamic programming over six states: the mode of the segment holding the current
/// byte, and for numeric and alphanumeric how many characters of the last unfinished
/// group it holds. Within a group the marginal cost of a character differs (a lone digit
/// costs 4 bits, the next two 3 each), so tracking the group position makes the sum of
/// step costs equal to the exact bit length, header included.
enum Segmenter {
    // States: numeric with 1, 2 or 0 (i.e. 3) digits in the open group; alphanumeric with
    // 1 or 0 (2) characters in the open pair; byte.
    private static let n1 = 0, n2 = 1, n0 = 2, a1 = 3, a0 = 4, b = 5
    private static let stateCount = 6
    private static let modeOfState: [QRCode.Mode] = [.numeric, .numeric, .numeric, .alphanumeric, .alphanumeric, .byte]

    static func segments(for data: [UInt8], version: Int) -> [QRCode.Segment] {
        let n = data.count
        guard n > 0 else { return [] }
        let infinity = Int.max / 4
        let header = QRCode.Mode.allCases.map { 4 + $0.countBits(version: version) }
        let headerNumeric = header[0], headerAlpha = header[1], headerByte = header[2]

        // cost[i * 6 + s]: fewest bits for data[0...i] with data[i] ending in state s.
        var cost = [Int](repeating: infinity, count: n * stateCount)
        // from[i * 6 + s]: state at i − 1 (stateCount = start of the data).
        var from = [UInt8](repeating: UInt8(stateCount), count: n * stateCount)

        for i in 0..<n {
            let byte = data[i]
            let base = i * stateCount
            let prev = base - stateCount

            // Best predecessor for a new segment of each mode: any state of another mode.
            func bestOutside(_ mode: QRCode.Mode) -> (Int, UInt8) {
                if i == 0 { return (0, UInt8(stateCount)) }
                var best = infinity
                var which = UInt8(stateCount)
                for s in 0..<stateCount where modeOfState[s] != mode && cost[prev + s] < best {
                    best = cost[prev + s]
                    which = UInt8(s)
                }
                return (best, which)
            }

            func relax(_ state: Int, _ value: Int, _ source: UInt8) {
                if value < cost[base + state] {
                    cost[base + state] = value
                    from[base + state] = source
                }
            }

            if byte &- 0x30 < 10 {
                let (start, source) = bestOutside(.numeric)
                relax(n1, start + headerNumeric + 4, source)
                if i > 0 {
                    relax(n1, cost[prev + n0] + 4, UInt8(n0))
                    relax(n2, cost[prev + n1] + 3, UInt8(n1))
                    relax(n0, cost[prev + n2] + 3, UInt8(n2))
                }
            }
            if alphanumericValue[Int(byte)] >= 0 {
                let (start, source) = bestOutside(.alphanumeric)
                relax(a1, start + headerAlpha + 6, source)
                if i > 0 {
                    relax(a1, cost[prev + a0] + 6, UInt8(a0))
                    relax(a0, cost[prev + a1] + 5, UInt8(a1))
                }
            }
            let (start, source) = bestOutside(.byte)
            relax(b, start + headerByte + 8, source)
            if i > 0 {
                relax(b, cost[prev + b] + 8, UInt8(b))
            }
        }

        // Walk back from the cheapest final state, recording each byte's mode.
        var state = 0
        for s in 1..<stateCount where cost[(n - 1) * stateCount + s] < cost[(n - 1) * stateCount + state] {
            state = s
        }
        var modes = [QRCode.Mode](repeating: .byte, count: n)
        var i = n - 1
        while i >= 0 {
            modes[i] = modeOfState[state]
            state = Int(from[i * stateCount + state])
            i -= 1
        }

        // Same-mode neighbours form one segment, except where it would overflow the count field.
        var result: [QRCode.Segment] = []
        var runStart = 0
        for j in 1...n where j == n || modes[j] != modes[runStart] {
            let mode = modes[runStart]
            let limit = (1 << mode.countBits(version: version)) - 1
            var chunkStart = runStart
            while chunkStart < j {
                let chunkEnd = min(j, chunkStart + limit)
                result.append(QRCode.Segment(unchecked: mode, bytes: data[chunkStart..<chunkEnd]))
                chunkStart = chunkEnd
            }
            runStart = j
        }
        return result
    }
}

/// Appends bits most-significant first into whole bytes.
struct BitWriter {
    private(set) var bytes: [UInt8] = []
    private(set) var count = 0

    init(capacityBytes: Int) {
        bytes.reserveCapacity(capacityBytes)
    }

    mutating func append(_ value: UInt32, bits: Int) {
        var remaining = bits
        while remaining > 0 {
            if count & 7 == 0 { bytes.append(0) }
            let free = 8 - (count & 7)
            let take = min(free, remaining)
            let chunk = (value >> UInt32(remaining - take)) & ((1 << UInt32(take)) - 1)
            bytes[count >> 3] |= UInt8(chunk << UInt32(free - take))
            count += take
            remaining -= take
        }
    }
}
