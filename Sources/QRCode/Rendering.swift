extension QRCode {
    /// How half-block text maps module colours to what the terminal draws.
    ///
    /// A glyph (`▀ ▄ █`) is drawn in the terminal's foreground colour over its background
    /// colour, and a scanner needs dark modules darker than light ones. Without colour
    /// control the right choice therefore depends on the theme: on a light background
    /// (dark text) paint the dark modules; on a dark background (light text) paint the
    /// light ones, so the dark modules are the background showing through. Painting the
    /// wrong set gives an inverted code that many readers reject.
    public enum HalfBlockStyle: Sendable, Hashable, CaseIterable {
        /// Dark modules as glyphs, each line wrapped in SGR `30;47` (black on white) and
        /// reset at its end. Scans on light and dark themes alike; the default.
        case blackOnWhite
        /// Dark modules as glyphs, no escape sequences. For light-background terminals, or
        /// for a caller that sets its own black-on-white colour pair (e.g. in curses).
        case paintDark
        /// Light modules (and the quiet zone) as glyphs, no escape sequences. For
        /// dark-background terminals without colour control.
        case paintLight
    }

    /// The symbol as text with two module rows per line (`▀` upper, `▄` lower, `█` both),
    /// surrounded by `quietZone` light modules. The symbol's height plus the quiet zone is
    /// always odd, so the lower half of the last line is outside the code and light.
    public func halfBlockLines(quietZone: Int = 4, style: HalfBlockStyle = .blackOnWhite) -> [String] {
        let margin = max(0, quietZone)
        let span = size + 2 * margin
        let paintsLight = style == .paintLight
        func painted(_ x: Int, _ y: Int) -> Bool {
            if y >= span { return paintsLight }
            return self[x - margin, y - margin] != paintsLight
        }
        var lines: [String] = []
        lines.reserveCapacity((span + 1) / 2)
        var y = 0
        while y < span {
            var line = ""
            line.reserveCapacity(span * 3 + 16)
            if style == .blackOnWhite { line += "\u{1B}[30;47m" }
            for x in 0..<span {
                switch (painted(x, y), painted(x, y + 1)) {
                case (true, true): line.unicodeScalars.append("\u{2588}")
                case (true, false): line.unicodeScalars.append("\u{2580}")
                case (false, true): line.unicodeScalars.append("\u{2584}")
                case (false, false): line.unicodeScalars.append(" ")
                }
            }
            if style == .blackOnWhite { line += "\u{1B}[0m" }
            lines.append(line)
            y += 2
        }
        return lines
    }

    /// `halfBlockLines` joined into one string, each line ending in a newline.
    public func halfBlocks(quietZone: Int = 4, style: HalfBlockStyle = .blackOnWhite) -> String {
        halfBlockLines(quietZone: quietZone, style: style).map { $0 + "\n" }.joined()
    }

    /// Plain text for terminals without UTF-8: one line per module row, `dark` or `light`
    /// per module (two characters each keep modules roughly square). The defaults suit a
    /// light background; on a dark one swap them (`dark: "  ", light: "##"`).
    public func ascii(quietZone: Int = 4, dark: String = "##", light: String = "  ") -> String {
        let margin = max(0, quietZone)
        let span = size + 2 * margin
        var text = ""
        text.reserveCapacity(span * (span * max(dark.utf8.count, light.utf8.count) + 1))
        for y in 0..<span {
            for x in 0..<span {
                text += self[x - margin, y - margin] ? dark : light
            }
            text += "\n"
        }
        return text
    }

    /// Netpbm bitmap flavours: `plain` is ASCII `P1`, `raw` is packed binary `P4`.
    public enum PBMEncoding: Sendable, Hashable {
        case plain
        case raw
    }

    /// A black-and-white image file (1 = black), each module `scale` × `scale` pixels, with
    /// `quietZone` light modules on every side.
    public func pbm(scale: Int = 4, quietZone: Int = 4, encoding: PBMEncoding = .raw) -> [UInt8] {
        let scale = max(1, scale)
        let margin = max(0, quietZone)
        let pixels = (size + 2 * margin) * scale
        let magic = encoding == .plain ? "P1" : "P4"
        var out = Array("\(magic)\n\(pixels) \(pixels)\n".utf8)

        var row = [Bool](repeating: false, count: pixels)
        for y in 0..<pixels {
            let moduleY = y / scale - margin
            for x in 0..<pixels {
                row[x] = self[x / scale - margin, moduleY]
            }
            switch encoding {
            case .plain:
                // Netpbm asks for lines of at most 70 characters.
                for (i, black) in row.enumerated() {
                    out.append(black ? 0x31 : 0x30)
                    if i % 70 == 69 || i == pixels - 1 { out.append(0x0A) }
                }
            case .raw:
                var byte: UInt8 = 0
                for (i, black) in row.enumerated() {
                    if black { byte |= 0x80 >> UInt8(i & 7) }
                    if i & 7 == 7 || i == pixels - 1 {
                        out.append(byte)
                        byte = 0
                    }
                }
            }
        }
        return out
    }
}
