import ImportCore

/// The individual tests behind `FormatSniffer`. Each looks only at the prefix it is given
/// and never indexes outside it, so arbitrary bytes cannot trap.

/// File signatures of common non-text files, so a refusal can say what the file is.
enum SniffMagic {
    private static let table: [(signature: [UInt8], what: String)] = [
        ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "a PNG image"),
        ([0xFF, 0xD8, 0xFF], "a JPEG image"),
        (Array("GIF87a".utf8), "a GIF image"),
        (Array("GIF89a".utf8), "a GIF image"),
        (Array("%PDF-".utf8), "a PDF document"),
        ([0x50, 0x4B, 0x03, 0x04], "a ZIP archive"),
        ([0x50, 0x4B, 0x05, 0x06], "a ZIP archive"),
        ([0x50, 0x4B, 0x07, 0x08], "a ZIP archive"),
        ([0x1F, 0x8B], "a gzip-compressed file"),
        ([0x7F, 0x45, 0x4C, 0x46], "an ELF executable"),
        (Array("SQLite format 3".utf8) + [0], "an SQLite database"),
        ([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1], "an old-style Microsoft Office document"),
        (Array("!BDN".utf8), "an Outlook data file (.pst)"),
        ([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00], "an xz-compressed file"),
        ([0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C], "a 7-Zip archive"),
        (Array("Rar!".utf8) + [0x1A, 0x07], "a RAR archive"),
        ([0xCF, 0xFA, 0xED, 0xFE], "a Mach-O executable"),
        ([0xCE, 0xFA, 0xED, 0xFE], "a Mach-O executable"),
        (Array("II*".utf8) + [0], "a TIFF image"),
        (Array("MM".utf8) + [0, 0x2A], "a TIFF image"),
        (Array("OggS".utf8) + [0], "an Ogg media file"),
    ]

    /// What the bytes are, when they start with a known signature.
    static func describe(_ bytes: ArraySlice<UInt8>) -> String? {
        for entry in table where bytes.starts(with: entry.signature) { return entry.what }
        if bytes.starts(with: Array("BZh".utf8)), bytes.count > 3, (0x31...0x39).contains(bytes[bytes.startIndex + 3]) {
            return "a bzip2-compressed file"
        }
        if bytes.starts(with: Array("RIFF".utf8)), bytes.count >= 12 {
            return "a RIFF media file"
        }
        if bytes.count >= 12, bytes.dropFirst(4).starts(with: Array("ftyp".utf8)) {
            return "an MP4 or QuickTime media file"
        }
        // "MZ" alone is too weak a signal for text; Windows executables also hold NULs early.
        if bytes.starts(with: Array("MZ".utf8)), bytes.prefix(64).contains(0) {
            return "a Windows executable"
        }
        return nil
    }
}

/// Decides whether decoded text is binary after all.
enum SniffBinary {
    /// A reason when UTF-16 arrives without the byte-order mark that would let it be read.
    static func utf16WithoutMark(_ raw: ArraySlice<UInt8>) -> String? {
        let marked = raw.starts(with: [0xFF, 0xFE]) || raw.starts(with: [0xFE, 0xFF])
        if !marked, raw.count >= 4, looksLikeUTF16WithoutMark(raw) {
            return "this looks like UTF-16 text without a byte-order mark; save it as UTF-8 and try again"
        }
        return nil
    }

    /// A reason when text that is no address-book format is binary data after all.
    static func reason(_ text: [UInt8]) -> String? {
        var controls = 0
        for byte in text where StrayControlBytes.isStray(byte) {
            if byte == 0 { return "this is binary data, not an address book" }
            controls += 1
        }
        // A few stray control characters are common in exported text; many mean binary.
        if controls > 0 && controls * 50 > text.count { return "this is binary data, not an address book" }
        return nil
    }

    /// ASCII text in UTF-16 without a mark shows a NUL in every other byte.
    private static func looksLikeUTF16WithoutMark(_ raw: ArraySlice<UInt8>) -> Bool {
        let sample = Array(raw.prefix(512))
        let pairs = sample.count / 2
        guard pairs >= 2 else { return false }
        var evenZero = 0
        var oddZero = 0
        for pair in 0..<pairs {
            if sample[2 * pair] == 0 { evenZero += 1 }
            if sample[2 * pair + 1] == 0 { oddZero += 1 }
        }
        let mostly = pairs * 9 / 10
        return (oddZero >= mostly && evenZero == 0) || (evenZero >= mostly && oddZero == 0)
    }
}

/// Lines of the decoded prefix, for the line-based tests.
struct SniffLines {
    /// Lines after leading blank space, without their terminators.
    let lines: [ArraySlice<UInt8>]

    /// `truncated` says the prefix may stop inside a line, so an unterminated last line is
    /// dropped when there are others to judge by.
    init(_ text: [UInt8], truncated: Bool) {
        var start = text.startIndex
        while start < text.endIndex, [0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C].contains(text[start]) { start += 1 }
        // Back to the start of the first non-blank line so its indentation is kept.
        while start > text.startIndex, text[start - 1] == 0x20 || text[start - 1] == 0x09 { start -= 1 }
        var found: [ArraySlice<UInt8>] = []
        var lineStart = start
        var index = start
        while index < text.endIndex {
            if text[index] == 0x0A {
                found.append(Self.trimCR(text[lineStart..<index]))
                lineStart = index + 1
            }
            index += 1
        }
        if lineStart < text.endIndex {
            if !truncated || found.isEmpty { found.append(Self.trimCR(text[lineStart...])) }
        }
        lines = found
    }

    /// Lines that carry something: not blank, not a `#` comment.
    var meaningful: [ArraySlice<UInt8>] {
        lines.filter { line in
            let trimmed = line.drop { $0 == 0x20 || $0 == 0x09 }
            return !trimmed.isEmpty && trimmed.first != UInt8(ascii: "#")
        }
    }

    private static func trimCR(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        line.last == 0x0D ? line.dropLast() : line
    }
}

extension ArraySlice where Element == UInt8 {
    /// Case-insensitive ASCII prefix test.
    func hasASCIIPrefix(_ prefix: String) -> Bool {
        let wanted = Array(prefix.utf8)
        guard count >= wanted.count else { return false }
        return zip(self, wanted).allSatisfy { sniffLower($0) == sniffLower($1) }
    }
}

func sniffLower(_ byte: UInt8) -> UInt8 {
    (0x41...0x5A).contains(byte) ? byte + 0x20 : byte
}

/// The keys of the first objects of a JSON text, found without parsing it whole (the
/// prefix is usually cut in the middle of the document).
struct SniffJSONKeys {
    /// Keys of the top-level object (depth 1) and of objects directly inside a top-level
    /// array (depth 2), in order, up to a limit.
    private(set) var keys: [(depth: Int, key: String)] = []
    let topLevel: UInt8

    init?(_ text: ArraySlice<UInt8>) {
        guard let first = text.first, first == UInt8(ascii: "{") || first == UInt8(ascii: "[") else { return nil }
        // `[ann@example.org` opens a mutt query line, not JSON: what follows the bracket
        // must be able to start a JSON value (or a key, in an object).
        guard Self.opensJSON(text.dropFirst(), in: first) else { return nil }
        topLevel = first
        var depth = 0
        var index = text.startIndex
        var lastString: String?
        while index < text.endIndex, keys.count < 200 {
            let byte = text[index]
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                lastString = nil
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                lastString = nil
                if depth <= 0 { return }
            case UInt8(ascii: "\""):
                let (string, end) = Self.readString(text, from: index + 1)
                lastString = string
                index = end
                continue
            case UInt8(ascii: ":"):
                if let key = lastString, depth <= 2 { keys.append((depth, key)) }
                lastString = nil
            case 0x20, 0x09, 0x0A, 0x0D:
                break
            default:
                lastString = nil
            }
            index += 1
        }
    }

    /// Whether `rest`, after the opening bracket `open`, goes on as JSON can: after blank
    /// space, the end of the text, a closing bracket, a string, or (in an array) a number,
    /// an object, an array or a literal.
    private static func opensJSON(_ rest: ArraySlice<UInt8>, in open: UInt8) -> Bool {
        let start = rest.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        guard let next = start.first else { return true }
        if open == UInt8(ascii: "{") { return next == UInt8(ascii: "\"") || next == UInt8(ascii: "}") }
        switch next {
        case UInt8(ascii: "\""), UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "-"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            // The literal whole, up to what may follow a value (`[true@example.org` is no JSON).
            let word = start.prefix { ![0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: ","), UInt8(ascii: "]")].contains($0) }
            return ["true", "false", "null"].contains { $0.utf8.elementsEqual(word) }
        }
    }

    func has(_ key: String, depth: Int) -> Bool {
        keys.contains { $0.depth == depth && $0.key == key }
    }

    /// Reads a string body up to its closing quote; returns the index after the quote.
    private static func readString(_ text: ArraySlice<UInt8>, from start: Int) -> (String, Int) {
        var index = start
        var bytes: [UInt8] = []
        while index < text.endIndex {
            let byte = text[index]
            if byte == UInt8(ascii: "\"") { return (String(decoding: bytes, as: UTF8.self), index + 1) }
            if byte == UInt8(ascii: "\\") {
                index += 2  // the escaped character never matters for a key name test
                continue
            }
            if bytes.count < 64 { bytes.append(byte) }
            index += 1
        }
        return (String(decoding: bytes, as: UTF8.self), index)
    }
}

/// Whether a first line is a CSV header naming contact fields.
enum SniffCSVHeader {
    /// Normalised cell names (lowercase letters and digits only) that are exactly a field.
    private static let exact: Set<String> = [
        "name", "mail", "tel", "fax", "address", "title", "nom", "nombre", "company", "organization",
        "organisation", "notes", "birthday", "mobile", "cell", "cellphone",
    ]
    /// Fragments that make a cell a contact field wherever they occur in it.
    private static let fragments = [
        "firstname", "lastname", "givenname", "familyname", "middlename", "surname", "fullname",
        "displayname", "nickname", "email", "phone", "mobile", "company", "organi", "jobtitle",
        "vorname", "nachname", "telefon", "prenom", "prénom", "courriel", "apellido", "telefono", "teléfono",
    ]

    /// The delimiter when `line` is a header, nil otherwise.
    static func delimiter(of line: ArraySlice<UInt8>) -> UInt8? {
        let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), 0x09]
        var best: (delimiter: UInt8, cells: [String])?
        for delimiter in candidates {
            let cells = split(line, by: delimiter)
            if cells.count >= 2, cells.count > (best?.cells.count ?? 1) { best = (delimiter, cells) }
        }
        guard let best else { return nil }
        // Prose has long cells; headers have short names.
        let words = best.cells.map { $0.split(whereSeparator: { $0 == " " }).count }
        guard words.allSatisfy({ $0 <= 6 }), words.reduce(0, +) <= best.cells.count * 4 else { return nil }
        return best.cells.contains(where: namesContactField) ? best.delimiter : nil
    }

    static func namesContactField(_ cell: String) -> Bool {
        let folded = String(cell.lowercased().unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) })
        if exact.contains(folded) { return true }
        return fragments.contains { folded.contains($0) }
    }

    /// Cells of one line, honouring double quotes; quotes and outer spaces removed.
    private static func split(_ line: ArraySlice<UInt8>, by delimiter: UInt8) -> [String] {
        var cells: [String] = []
        var current: [UInt8] = []
        var quoted = false
        for byte in line {
            if byte == UInt8(ascii: "\"") {
                quoted.toggle()
            } else if byte == delimiter && !quoted {
                cells.append(current[...].plainText.blankTrimmed)
                current = []
            } else {
                current.append(byte)
            }
        }
        cells.append(current[...].plainText.blankTrimmed)
        return cells
    }
}

extension String {
    /// Without leading and trailing spaces and tabs (Foundation-free).
    var blankTrimmed: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }),
            let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" })
        else { return "" }
        return String(scalars[first...last])
    }
}
