import Foundation

/// The alias key of a name written in ASCII and the accented Latin letters whose canonical
/// decomposition is an ASCII letter and combining marks (é, Å, ñ, Ž…): those letters fold
/// to their base letter, which is what the ICU transform `MuttAliasKeys.asciiKey` uses
/// makes of them, without its cost (tens of microseconds a name). Any other letter (ß, ø,
/// Cyrillic…) is left to that transform.
enum LatinLetterFolding {
    /// The letters tried: Latin-1 Supplement, Latin Extended-A and B.
    private static let first: UInt32 = 0xC0
    private static let last: UInt32 = 0x24F

    /// For each scalar from `first` to `last`, the ASCII letter it folds to, or 0.
    private static let bases: [UInt8] = (first...last).map { value in
        guard let scalar = Unicode.Scalar(value) else { return 0 }
        let parts = String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars
        guard let base = parts.first, base.isASCII, base.properties.isAlphabetic, parts.count > 1,
              parts.dropFirst().allSatisfy({ (0x300...0x36F).contains($0.value) }) else { return 0 }
        return UInt8(base.value)
    }

    /// Appends the key of `text` (UTF-8) to `key` and says true; false, with `key` in an
    /// unknown state, when a letter of `text` does not fold.
    static func appendKey(of text: UnsafeBufferPointer<UInt8>, to key: inout OutputBytes) -> Bool {
        var folded: [UInt8] = []
        folded.reserveCapacity(text.count)
        var decoder = UTF8()
        var iterator = text.makeIterator()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                if scalar.isASCII {
                    folded.append(UInt8(scalar.value))
                } else if (first...last).contains(scalar.value), case let base = bases[Int(scalar.value - first)], base != 0 {
                    folded.append(base)
                } else if (0x300...0x36F).contains(scalar.value) {
                    // A combining mark written apart from its letter goes, as when decomposed.
                    continue
                } else {
                    return false
                }
            case .emptyInput:
                break loop
            case .error:
                return false
            }
        }
        return folded.withUnsafeBufferPointer { MuttAliasKeys.appendASCIIKey($0, to: &key) }
    }
}
