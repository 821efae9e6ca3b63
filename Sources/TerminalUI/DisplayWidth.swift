import CWidth

/// Terminal column widths, measured with the C library's `wcwidth` so that layout agrees
/// with how ncursesw advances the cursor: CJK ideographs and wide emoji take two columns,
/// combining marks none (they ride on the character before them).
///
/// `wcwidth` depends on `LC_CTYPE`; the front end sets a UTF-8 locale before drawing and
/// tests do the same.
public enum DisplayWidth {
    /// Columns a scalar takes: 0, 1 or 2. Controls count as 0 (they are never drawn).
    @inline(__always)
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x7F { return value >= 0x20 ? 1 : 0 }
        if value < 0xA0 { return 0 }
        let width = Int(wcwidth(wchar_t(bitPattern: value)))
        if width < 0 { return 1 }
        return min(width, 2)
    }

    /// Columns a grapheme takes: its first scalar's width (a base and its combining marks
    /// share one cell; an emoji sequence takes its base's width).
    @inline(__always)
    public static func of(_ character: Character) -> Int {
        if let ascii = character.asciiValue { return ascii >= 0x20 && ascii < 0x7F ? 1 : 0 }
        guard let first = character.unicodeScalars.first else { return 0 }
        let width = of(first)
        if width == 0 && character.unicodeScalars.count > 1 {
            // A sequence led by a zero-width scalar (e.g. a lone combining mark followed by a base).
            return character.unicodeScalars.dropFirst().map(of).max() ?? 0
        }
        return width
    }

    /// Columns a string takes.
    public static func of(_ string: String) -> Int {
        if string.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return string.utf8.count }
        var total = 0
        for character in string { total += of(character) }
        return total
    }

    /// The longest prefix of `string` that fits in `columns`, with `ellipsis` at the end
    /// when something was cut. Never splits a grapheme or a wide character.
    public static func truncate(_ string: String, to columns: Int, ellipsis: String = "…") -> String {
        guard columns > 0 else { return "" }
        if of(string) <= columns { return string }
        let ellipsisWidth = of(ellipsis)
        let room = columns - ellipsisWidth
        guard room >= 0 else { return "" }
        var result = ""
        var used = 0
        for character in string {
            let width = of(character)
            if used + width > room { break }
            result.append(character)
            used += width
        }
        return result + ellipsis
    }

    /// `string` truncated or padded with spaces to exactly `columns`.
    /// Fits `string` in `columns` by cutting its middle, for texts whose ends tell them
    /// apart (phone numbers: `+49 170…555 0042`, not `+49 170 555 00…`).
    public static func truncateMiddle(_ string: String, to columns: Int, ellipsis: String = "…") -> String {
        guard of(string) > columns else { return string }
        let room = columns - of(ellipsis)
        guard room >= 2 else { return truncate(string, to: columns, ellipsis: ellipsis) }
        let characters = Array(string)
        var head = "", tail = ""
        var headWidth = 0, tailWidth = 0
        var front = 0, back = characters.count - 1
        // The end carries more of what differs between numbers, so it gets the odd column.
        while front <= back {
            if tailWidth <= headWidth {
                let w = of(characters[back])
                if headWidth + tailWidth + w > room { break }
                tail = String(characters[back]) + tail
                tailWidth += w
                back -= 1
            } else {
                let w = of(characters[front])
                if headWidth + tailWidth + w > room { break }
                head.append(characters[front])
                headWidth += w
                front += 1
            }
        }
        return head + ellipsis + tail
    }

    public static func pad(_ string: String, to columns: Int, ellipsis: String = "…") -> String {
        let cut = truncate(string, to: columns, ellipsis: ellipsis)
        let width = of(cut)
        return width < columns ? cut + String(repeating: " ", count: columns - width) : cut
    }
}
