/// Arithmetic in GF(2⁸) with the QR field polynomial x⁸ + x⁴ + x³ + x² + 1 (0x11D), α = 2.
enum GaloisField {
    /// αⁱ for i in 0..<510, doubled so a product of two logs never needs a modulo.
    static let exponent: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 512)
        var value = 1
        for i in 0..<255 {
            table[i] = UInt8(value)
            table[i + 255] = UInt8(value)
            value <<= 1
            if value & 0x100 != 0 { value ^= 0x11D }
        }
        table[510] = table[0]
        table[511] = table[1]
        return table
    }()

    /// log_α(v) for v in 1...255; entry 0 is meaningless and never read.
    static let logarithm: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 256)
        for i in 0..<255 {
            table[Int(exponent[i])] = UInt8(i)
        }
        return table
    }()

    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        if a == 0 || b == 0 { return 0 }
        return exponent[Int(logarithm[Int(a)]) + Int(logarithm[Int(b)])]
    }
}

/// Systematic Reed–Solomon encoder for one block length.
struct ReedSolomon {
    /// Generator ∏(x − αⁱ), i = 0..<degree, without its leading 1, highest power first.
    let generator: [UInt8]

    init(degree: Int) {
        // Multiply out the factors one at a time, coefficients highest power first.
        var poly: [UInt8] = [1]
        var root: UInt8 = 1
        for _ in 0..<degree {
            var next = [UInt8](repeating: 0, count: poly.count + 1)
            for j in 0..<poly.count {
                next[j] ^= poly[j]
                next[j + 1] ^= GaloisField.multiply(poly[j], root)
            }
            poly = next
            root = GaloisField.multiply(root, 2)
        }
        generator = Array(poly.dropFirst())
    }

    /// The error-correction codewords: the remainder of data · x^degree divided by the generator.
    func remainder<C: Collection>(of data: C) -> [UInt8] where C.Element == UInt8 {
        let degree = generator.count
        var result = [UInt8](repeating: 0, count: degree)
        generator.withUnsafeBufferPointer { gen in
            result.withUnsafeMutableBufferPointer { rem in
                for byte in data {
                    let factor = byte ^ rem[0]
                    for j in 0..<(degree - 1) {
                        rem[j] = rem[j + 1]
                    }
                    rem[degree - 1] = 0
                    if factor != 0 {
                        let logFactor = Int(GaloisField.logarithm[Int(factor)])
                        for j in 0..<degree where gen[j] != 0 {
                            rem[j] ^= GaloisField.exponent[Int(GaloisField.logarithm[Int(gen[j])]) + logFactor]
                        }
                    }
                }
            }
        }
        return result
    }
}
