/// Text in which nothing would show: every character is white space or a control
/// character. Readers take such a value for no value, as they do an empty one, so that a
/// record made only of them is skipped with its reason when it is read, rather than kept
/// and then written as nothing by the formats that cannot hold control characters.
package enum BlankText {
    /// Whether the UTF-8 `bytes` are blank text. Decided on the first byte for almost every
    /// value: beyond ASCII only the lead bytes C2, E1, E2 and E3 begin a blank or control
    /// character (the C1 controls, NEL, no-break space and the Unicode spaces); bytes that
    /// are not UTF-8 would show as U+FFFD, so they are not blank.
    package static func isBlank(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            if lead < 0x80 {
                if lead > 0x20 && lead != 0x7F { return false }
                index += 1
                continue
            }
            let length = lead == 0xC2 ? 2 : (0xE1...0xE3).contains(lead) ? 3 : 0
            guard length > 0, index + length <= bytes.count else { return false }
            var value = UInt32(lead & (length == 2 ? 0x1F : 0x0F))
            for next in bytes[(index + 1)..<(index + length)] {
                guard next & 0xC0 == 0x80 else { return false }
                value = value << 6 | UInt32(next & 0x3F)
            }
            guard let scalar = Unicode.Scalar(value), isBlank(scalar) else { return false }
            index += length
        }
        return true
    }

    package static func isBlank(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || scalar.properties.generalCategory == .control
    }
}

extension StringProtocol {
    /// True when nothing in it would show (`BlankText`).
    package var isBlankText: Bool {
        if let answer = utf8.withContiguousStorageIfAvailable({ BlankText.isBlank(utf8: $0) }) { return answer }
        return unicodeScalars.allSatisfy(BlankText.isBlank)
    }
}

extension Optional where Wrapped == String {
    /// Nil for nil or blank text (`isBlankText`), as contacts want absent values.
    package var absentIfBlank: String? {
        guard let self, !self.isBlankText else { return nil }
        return self
    }
}
