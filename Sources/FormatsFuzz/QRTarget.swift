import FuzzSupport
import QRCode

/// QR encoding of arbitrary bytes (or of the bytes as text). The first two bytes choose
/// the options: level, text or byte mode, a forced mask, a forced version. The symbol is
/// checked against ISO/IEC 18004 independently of the encoder's own tables: size and
/// version agree, finder and timing patterns, the format information (level and mask,
/// BCH-coded) and, from version 7, the version information are where the standard puts
/// them; the smallest version that holds the data is the one chosen; byte mode fails only
/// past the standard's capacity. Then the symbol is read back (`QRReader`): every block a
/// valid Reed-Solomon code word, the padding as the standard writes it, and the bytes
/// read are the bytes encoded.
enum QRTarget {
    /// Bytes a version 40 symbol holds in byte mode, by level (L, M, Q, H).
    static let byteCapacity = [2953, 2331, 1663, 1273]

    static let target = FuzzTarget(
        "qr", "QR encoding of arbitrary bytes: structure, format and version information, capacity, read back",
        seeds: {
            [[0x04, 0x00] + Array("HTTP://127.0.0.1:8080/consent/7f3a".utf8), [0x01, 0x00] + Array("https://example.org/c/0123456789".utf8),
             [0x43, 0x07] + Array(repeating: 0xA5, count: 150), [0x06, 0x00] + Array("0123456789ABCDEF héllo".utf8)]
        }
    ) { input in
        guard input.count >= 2 else { return }
        let level = QRCode.ErrorCorrection.allCases[Int(input[0] & 3)]
        let asText = input[0] & 4 != 0
        let mask: Int? = input[0] & 0x40 != 0 ? Int(input[0] >> 3 & 7) : nil
        let version: Int? = input[1] == 0 ? nil : 1 + Int(input[1]) % 40
        let data = Array(input.dropFirst(2))
        func make(_ version: Int?) throws(QRCodeError) -> QRCode {
            asText
                ? try QRCode(encoding: String(decoding: data, as: UTF8.self), errorCorrection: level, version: version, mask: mask)
                : try QRCode(bytes: data, errorCorrection: level, version: version, mask: mask)
        }
        let code: QRCode
        do throws(QRCodeError) {
            code = try make(version)
        } catch .dataTooLong {
            if !asText && version == nil {
                require(data.count > byteCapacity[level.rawValue], "\(data.count) bytes refused at level \(level)")
            }
            return
        } catch {
            require(false, "refused with \(error) for valid options")
            return
        }
        if !asText && version == nil {
            require(data.count <= byteCapacity[level.rawValue], "\(data.count) bytes accepted at level \(level)")
        }
        require((1...40).contains(code.version) && code.size == 17 + 4 * code.version, "version \(code.version), size \(code.size)")
        require(version == nil || code.version == version, "asked version \(version ?? 0), got \(code.version)")
        require(mask == nil || code.mask == mask, "asked mask \(mask ?? 0), got \(code.mask)")
        require((0...7).contains(code.mask) && code.errorCorrection == level, "mask \(code.mask), level \(code.errorCorrection)")
        if version == nil, code.version > 1 {
            let smaller = try? make(code.version - 1)
            require(smaller == nil, "version \(code.version) chosen where \(code.version - 1) holds the data")
        }
        QRStructure.check(code)
        do throws(QRReader.Failure) {
            let read = try QRReader.read(code)
            let expected = asText ? Array(String(decoding: data, as: UTF8.self).utf8) : data
            require(read == expected, "the symbol reads back as \(read.count) other bytes")
        } catch {
            require(false, "the symbol does not read back: \(error)")
        }
    }
}

/// The function patterns of ISO/IEC 18004, drawn from the standard's layout.
enum QRStructure {
    static func check(_ code: QRCode) {
        let size = code.size
        for (left, top) in [(0, 0), (size - 7, 0), (0, size - 7)] {
            for dy in -1...7 {
                for dx in -1...7 {
                    let x = left + dx, y = top + dy
                    guard x >= 0, y >= 0, x < size, y < size else { continue }
                    let ring = max(abs(dx - 3), abs(dy - 3))
                    require(code[x, y] == (ring != 2 && ring != 4), "finder pattern module (\(x), \(y))")
                }
            }
        }
        for i in 8..<(size - 8) {
            require(code[6, i] == (i % 2 == 0) && code[i, 6] == (i % 2 == 0), "timing pattern at \(i)")
        }
        require(code[8, size - 8], "the dark module")

        let bits = formatBits(level: code.errorCorrection, mask: code.mask)
        func bit(_ i: Int) -> Bool { (bits >> i) & 1 != 0 }
        for i in 0...5 { require(code[8, i] == bit(i), "format bit \(i), first copy") }
        require(code[8, 7] == bit(6) && code[8, 8] == bit(7) && code[7, 8] == bit(8), "format bits 6-8, first copy")
        for i in 9..<15 { require(code[14 - i, 8] == bit(i), "format bit \(i), first copy") }
        for i in 0..<8 { require(code[size - 1 - i, 8] == bit(i), "format bit \(i), second copy") }
        for i in 8..<15 { require(code[8, size - 15 + i] == bit(i), "format bit \(i), second copy") }

        guard code.version >= 7 else { return }
        let versionBits = versionInformation(code.version)
        for i in 0..<18 {
            let on = (versionBits >> i) & 1 != 0
            let a = size - 11 + i % 3, b = i / 3
            require(code[a, b] == on && code[b, a] == on, "version information bit \(i)")
        }
    }

    /// Level and mask with their BCH(15,5) check bits, XOR-masked.
    static func formatBits(level: QRCode.ErrorCorrection, mask: Int) -> Int {
        let levelBits = [1, 0, 3, 2][level.rawValue]  // L, M, Q, H
        let data = levelBits << 3 | mask
        var remainder = data
        for _ in 0..<10 { remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537) }
        return (data << 10 | remainder) ^ 0x5412
    }

    /// The version with its BCH(18,6) check bits.
    static func versionInformation(_ version: Int) -> Int {
        var remainder = version
        for _ in 0..<12 { remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25) }
        return version << 12 | remainder
    }
}
