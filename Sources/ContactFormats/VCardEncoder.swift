import ImportCore

/// Writes vCard 3.0 (RFC 2426) or 4.0 (RFC 6350): CRLF line ends, lines folded at 75
/// octets without splitting a UTF-8 sequence, text escaped. Labels outside the
/// `ContactLabel` vocabulary travel as Apple-style `itemN.X-ABLabel` groups, which
/// Apple, Google, khard and our reader all understand.
public struct VCardEncoder: ContactEncoder {
    public enum Version: String, Sendable { case v3 = "3.0", v4 = "4.0" }
    public var version: Version

    public init(version: Version = .v3) { self.version = version }

    public func encode(_ contacts: [Contact], into output: inout [UInt8]) {
        var writer = VCardCardWriter(version: version)
        writer.writeAll(contacts, into: &output)
    }
}

/// Writes one card at a time, from the contact's bytes, each line straight into the
/// output and folded there when it is done.
struct VCardCardWriter: ContactStreamWriter {
    typealias Text = UnsafeBufferPointer<UInt8>

    let version: VCardEncoder.Version
    private var scratch: [UInt8] = []
    private var groupCounter = 0
    /// Where the line being written starts in the output.
    private var lineStart = 0

    init(version: VCardEncoder.Version) {
        self.version = version
    }

    private var isV4: Bool { version == .v4 }

    mutating func begin(into output: inout OutputBytes) {}
    mutating func end(into output: inout OutputBytes) {}

    mutating func write(_ contact: Contact, into output: inout OutputBytes) {
        contact.withBytes { write($0, into: &output) }
    }

    private mutating func write(_ contact: ContactBytes, into output: inout OutputBytes) {
        groupCounter = 0
        let cardStart = output.count
        raw("BEGIN:VCARD", into: &output)
        raw(isV4 ? "VERSION:4.0" : "VERSION:3.0", into: &output)

        start("N", into: &output)
        output.append(VCardText.colon)
        appendEscaped(contact.text(.lastName), into: &output)
        output.append(VCardText.semicolon)
        appendEscaped(contact.text(.firstName), into: &output)
        output.append(VCardText.semicolon)
        appendEscaped(contact.text(.middleName), into: &output)
        output.append(VCardText.semicolon)
        appendEscaped(contact.text(.title), into: &output)
        output.append(VCardText.semicolon)
        appendEscaped(contact.text(.suffix), into: &output)
        finish(into: &output)

        // FN is mandatory: the display name, else whatever name the contact is known by.
        start("FN", into: &output)
        output.append(VCardText.colon)
        if let display = contact.text(.displayName) {
            appendEscaped(display, into: &output)
        } else {
            scratch.removeAll(keepingCapacity: true)
            contact.appendName(to: &scratch)
            scratch.withUnsafeBufferPointer { appendEscaped($0, into: &output) }
        }
        finish(into: &output)

        if let nickname = nonEmpty(contact.text(.nickname)) {
            textProperty("NICKNAME", nickname, into: &output)
        }
        for index in 0..<contact.emailCount {
            let email = contact.email(index)
            guard !email.value.isEmpty else { continue }
            labelled("EMAIL", label: email.type, primary: email.primary, into: &output) { $0.appendEscaped(email.value, into: &$1) }
        }
        for index in 0..<contact.phoneCount {
            let phone = contact.phone(index)
            guard !phone.value.isEmpty else { continue }
            labelled("TEL", label: phone.type, primary: phone.primary, into: &output) { $0.appendEscaped(phone.value, into: &$1) }
        }
        for index in 0..<contact.addressCount {
            let address = contact.address(index)
            guard !address.isEmpty else { continue }
            writeAddress(address, into: &output)
        }
        writeOrganisations(contact, into: &output)
        if let jobTitle = nonEmpty(contact.text(.jobTitle)) {
            textProperty("TITLE", jobTitle, into: &output)
        }
        if let birthday = contact.birthday {
            lineStart = output.count
            output.append("BDAY:")
            let separator = !isV4
            if let year = birthday.year {
                output.appendDecimal(year, width: 4)
                if separator { output.append("-") }
            } else {
                output.append("--")
            }
            output.appendDecimal(birthday.month, width: 2)
            if separator { output.append("-") }
            output.appendDecimal(birthday.day, width: 2)
            finish(into: &output)
        }
        var wroteGroup = false
        for index in 0..<contact.groupCount {
            let group = contact.group(index)
            guard !group.isEmpty else { continue }
            if !wroteGroup {
                start("CATEGORIES", into: &output)
                output.append(VCardText.colon)
                wroteGroup = true
            } else {
                output.append(VCardText.comma)
            }
            appendEscaped(group, into: &output)
        }
        if wroteGroup { finish(into: &output) }
        for index in 0..<contact.urlCount {
            let url = contact.url(index)
            guard !url.value.isEmpty else { continue }
            labelled("URL", label: url.type, primary: false, into: &output) { $0.appendURI(url.value, into: &$1) }
        }
        if let notes = nonEmpty(contact.text(.notes)) {
            textProperty("NOTE", notes, into: &output)
        }
        if contact.hasPhotos {
            for photo in contact.photos { writePhoto(photo, into: &output) }
        }
        // Every card gets a UID: vCard 4.0 asks for one, and sync tools such as khard ignore
        // cards without it. Made from the card's content, so the same contact exports the
        // same way every time.
        start("UID", into: &output)
        output.append(VCardText.colon)
        if let uid = nonEmpty(contact.text(.uid)) {
            appendEscaped(uid, into: &output)
        } else {
            // The card so far: every line before this one.
            let uidLine = lineStart
            let hash = output.withBytes(from: cardStart) { Self.cardHash(Text(rebasing: $0[..<(uidLine - cardStart)])) }
            Self.appendDerivedUID(hash, into: &output)
        }
        finish(into: &output)
        raw("END:VCARD", into: &output)
    }

    /// Two 64-bit FNV-1a hashes of the card's bytes.
    private static func cardHash(_ card: Text) -> (high: UInt64, low: UInt64) {
        var high: UInt64 = 0xCBF2_9CE4_8422_2325
        var low: UInt64 = 0x8422_2325_CBF2_9CE4
        for byte in card {
            high = (high ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            low = (low ^ UInt64(byte ^ 0x5A)) &* 0x0000_0100_0000_01B3
        }
        return (high, low)
    }

    /// A UUID-shaped identifier from the card's hash.
    private static func appendDerivedUID(_ hash: (high: UInt64, low: UInt64), into output: inout OutputBytes) {
        // Written digit by digit: this runs for every card without a UID of its own.
        let digits: StaticString = "0123456789abcdef"
        output.append("urn:uuid:")
        output.reserve(36)
        for nibble in 0..<32 {
            if nibble == 8 || nibble == 12 || nibble == 16 || nibble == 20 { output.appendUnchecked(UInt8(ascii: "-")) }
            let word = nibble < 16 ? hash.high : hash.low
            output.appendUnchecked(digits.utf8Start[Int((word >> UInt64(60 - 4 * (nibble % 16))) & 0xF)])
        }
    }

    // MARK: - Properties

    private mutating func writeAddress(_ address: ContactBytes.Address, into output: inout OutputBytes) {
        let formatted = nonEmpty(address.formatted)
        // 3.0 carries the formatted text in a LABEL property bound to the ADR by a group.
        let needsGroup = formatted != nil && !isV4
        let group = labelled(
            "ADR", label: address.type, primary: address.primary, forceGroup: needsGroup, valueIncludesColon: true,
            into: &output
        ) { writer, output in
            if writer.isV4, let formatted {
                output.append(";LABEL=\"")
                writer.appendParameterText(formatted, into: &output)
                output.append(VCardText.quote)
            }
            output.append(VCardText.colon)
            for (index, part) in [address.poBox, address.extended, address.street, address.city, address.region,
                                  address.postalCode, address.country].enumerated() {
                if index > 0 { output.append(VCardText.semicolon) }
                writer.appendEscaped(part, into: &output)
            }
        }
        if !isV4, let formatted, group > 0 {
            start("LABEL", group: group, into: &output)
            appendTypes(for: address.type, primary: false, into: &output)
            output.append(VCardText.colon)
            appendEscaped(formatted, into: &output)
            finish(into: &output)
        }
    }

    private mutating func writeOrganisations(_ contact: ContactBytes, into output: inout OutputBytes) {
        let department = nonEmpty(contact.text(.department))
        if contact.companyCount == 0 {
            if let department {
                lineStart = output.count
                output.append("ORG:;")
                appendEscaped(department, into: &output)
                finish(into: &output)
            }
            return
        }
        for index in 0..<contact.companyCount {
            start("ORG", into: &output)
            output.append(VCardText.colon)
            appendEscaped(contact.company(index), into: &output)
            if index == 0, let department {
                output.append(VCardText.semicolon)
                appendEscaped(department, into: &output)
            }
            finish(into: &output)
        }
    }

    private mutating func writePhoto(_ photo: Photo, into output: inout OutputBytes) {
        switch photo.source {
        case .url(let url):
            start("PHOTO", into: &output)
            if !isV4 { output.append(";VALUE=uri") }
            output.append(VCardText.colon)
            var url = url
            url.withUTF8 { appendURI($0, into: &output) }
        case .data(let bytes, let mediaType):
            start("PHOTO", into: &output)
            if isV4 {
                output.append(":data:")
                output.append(utf8: mediaType ?? "")
                output.append(";base64,")
            } else {
                output.append(";ENCODING=b")
                if let mediaType, !mediaType.isEmpty {
                    // 3.0 names image types by their subtype: TYPE=JPEG.
                    let type = mediaType.hasPrefix("image/") ? String(mediaType.dropFirst(6)).uppercased() : mediaType
                    output.append(";TYPE=")
                    output.append(utf8: type)
                }
                output.append(VCardText.colon)
            }
            VCardText.appendBase64(bytes, to: &output)
        }
        finish(into: &output)
    }

    /// Writes `NAME;TYPE=…:value` for a labelled property. A custom label puts the
    /// property in a fresh `itemN` group followed by `itemN.X-ABLabel`. Returns the
    /// group's number, 0 for none.
    @discardableResult
    private mutating func labelled(
        _ name: StaticString, label: Text?, primary: Bool, forceGroup: Bool = false, valueIncludesColon: Bool = false,
        into output: inout OutputBytes, value: (inout VCardCardWriter, inout OutputBytes) -> Void
    ) -> Int {
        let word = LabelWord(label)
        // Any label outside the vocabulary is custom, even an empty one.
        let custom = word == nil ? label : nil
        var group = 0
        if custom != nil || forceGroup {
            groupCounter += 1
            group = groupCounter
        }
        start(name, group: group, into: &output)
        appendTypes(word, primary: primary, into: &output)
        if !valueIncludesColon { output.append(VCardText.colon) }
        value(&self, &output)
        finish(into: &output)
        if group > 0, let custom {
            start("X-ABLabel", group: group, into: &output)
            output.append(VCardText.colon)
            appendEscaped(custom, into: &output)
            finish(into: &output)
        }
        return group
    }

    private func appendTypes(for label: Text?, primary: Bool, into output: inout OutputBytes) {
        appendTypes(LabelWord(label), primary: primary, into: &output)
    }

    /// `;TYPE=HOME,FAX,PREF` (3.0) or `;TYPE=home,fax;PREF=1` (4.0).
    private func appendTypes(_ word: LabelWord?, primary: Bool, into output: inout OutputBytes) {
        if let word {
            output.append(";TYPE=")
            output.append(isV4 ? word.vCard4Types : word.vCard3Types)
            if primary, !isV4 { output.append(",PREF") }
        } else if primary, !isV4 {
            output.append(";TYPE=PREF")
        }
        if primary, isV4 { output.append(";PREF=1") }
    }

    private mutating func textProperty(_ name: StaticString, _ value: Text, into output: inout OutputBytes) {
        start(name, into: &output)
        output.append(VCardText.colon)
        appendEscaped(value, into: &output)
        finish(into: &output)
    }

    private mutating func raw(_ text: StaticString, into output: inout OutputBytes) {
        lineStart = output.count
        output.append(text)
        finish(into: &output)
    }

    // MARK: - Line building

    private mutating func start(_ name: StaticString, group: Int = 0, into output: inout OutputBytes) {
        lineStart = output.count
        if group > 0 {
            output.append("item")
            output.appendDecimal(group)
            output.append(VCardText.period)
        }
        output.append(name)
    }

    /// URIs are not text values: written as they are, minus any line breaks.
    private func appendURI(_ uri: Text, into output: inout OutputBytes) {
        output.reserve(uri.count)
        for byte in uri where byte != VCardText.newline && byte != VCardText.carriageReturn {
            output.appendUnchecked(byte)
        }
    }

    /// The bytes below 64 that text escaping changes: line feed, carriage return, comma
    /// and semicolon (the backslash, 0x5C, is tested on its own).
    private static let escapedBelow64: UInt64 = 1 << 0x0A | 1 << 0x0D | 1 << 0x2C | 1 << 0x3B

    /// Text escaping: backslash, comma, semicolon, and every line break as `\n`.
    private func appendEscaped(_ bytes: Text?, into output: inout OutputBytes) {
        guard let bytes, let base = bytes.baseAddress else { return }
        // Runs without special characters are copied whole.
        let count = bytes.count
        var runStart = 0
        var index = Self.nextEscaped(base, count, from: 0)
        while index < count {
            output.append(contentsOf: Text(start: base + runStart, count: index - runStart))
            let byte = base[index]
            index += 1
            switch byte {
            case VCardText.carriageReturn, VCardText.newline:
                output.append("\\n")
                // A line feed right after a carriage return is part of the same break.
                if byte == VCardText.carriageReturn, index < count, base[index] == VCardText.newline { index += 1 }
            default:
                output.reserve(2)
                output.appendUnchecked(VCardText.backslash)
                output.appendUnchecked(byte)
            }
            runStart = index
            index = Self.nextEscaped(base, count, from: index)
        }
        output.append(contentsOf: Text(start: base + runStart, count: count - runStart))
    }

    /// The index of the first byte at or after `start` that text escaping changes, or
    /// `count`. Eight bytes at a time: every value written passes through here.
    @inline(__always)
    private static func nextEscaped(_ base: UnsafePointer<UInt8>, _ count: Int, from start: Int) -> Int {
        var index = start
        while index + 8 <= count {
            let word = WordBytes.load(base + index)
            let kept = WordBytes.differing(word, 0x0A) & WordBytes.differing(word, 0x0D) & WordBytes.differing(word, 0x2C)
                & WordBytes.differing(word, 0x3B) & WordBytes.differing(word, 0x5C)
            let found = ~kept & WordBytes.highs
            if found != 0 { return index + found.trailingZeroBitCount / 8 }
            index += 8
        }
        while index < count {
            let byte = base[index]
            if byte < 64 ? (escapedBelow64 >> UInt64(byte)) & 1 != 0 : byte == VCardText.backslash { return index }
            index += 1
        }
        return count
    }

    /// A quoted 4.0 parameter value with RFC 6868 escapes (`^^`, `^n`, `^'`), and a
    /// backslash doubled: readers, ours among them, take the backslash escapes that some
    /// writers put in a LABEL parameter, so a lone one could read back as another text.
    private func appendParameterText(_ text: Text, into output: inout OutputBytes) {
        var previousWasCR = false
        for byte in text {
            switch byte {
            case VCardText.backslash: output.append(#"\\"#)
            case UInt8(ascii: "^"): output.append("^^")
            case VCardText.quote: output.append("^'")
            case VCardText.carriageReturn: output.append("^n")
            case VCardText.newline: if !previousWasCR { output.append("^n") }
            default: output.append(byte)
            }
            previousWasCR = byte == VCardText.carriageReturn
        }
    }

    /// Folds the line just written at 75 octets (continuations start with a space), never
    /// cutting inside a UTF-8 sequence, and ends it with CRLF.
    private func finish(into output: inout OutputBytes) {
        output.fold(from: lineStart, firstWidth: 75, width: 74, with: "\r\n ", keepingCharacters: true)
        output.append("\r\n")
    }

    private func nonEmpty(_ text: Text?) -> Text? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }
}
