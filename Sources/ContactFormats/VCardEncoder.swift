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

/// Writes one card at a time, from the contact's bytes; holds the line being built so
/// it can be folded.
struct VCardCardWriter: ContactStreamWriter {
    typealias Text = UnsafeBufferPointer<UInt8>

    let version: VCardEncoder.Version
    private var line: [UInt8] = []
    private var scratch: [UInt8] = []
    private var groupCounter = 0

    init(version: VCardEncoder.Version) {
        self.version = version
        line.reserveCapacity(256)
    }

    private var isV4: Bool { version == .v4 }

    mutating func begin(into output: inout [UInt8]) {}
    mutating func end(into output: inout [UInt8]) {}

    mutating func write(_ contact: Contact, into output: inout [UInt8]) {
        contact.withBytes { write($0, into: &output) }
    }

    private mutating func write(_ contact: ContactBytes, into output: inout [UInt8]) {
        groupCounter = 0
        let cardStart = output.count
        raw("BEGIN:VCARD", into: &output)
        raw(isV4 ? "VERSION:4.0" : "VERSION:3.0", into: &output)

        start("N")
        line.append(VCardText.colon)
        appendEscaped(contact.text(.lastName))
        line.append(VCardText.semicolon)
        appendEscaped(contact.text(.firstName))
        line.append(VCardText.semicolon)
        appendEscaped(contact.text(.middleName))
        line.append(VCardText.semicolon)
        appendEscaped(contact.text(.title))
        line.append(VCardText.semicolon)
        appendEscaped(contact.text(.suffix))
        finish(into: &output)

        // FN is mandatory: the display name, else whatever name the contact is known by.
        start("FN")
        line.append(VCardText.colon)
        if let display = contact.text(.displayName) {
            appendEscaped(display)
        } else {
            scratch.removeAll(keepingCapacity: true)
            contact.appendName(to: &scratch)
            scratch.withUnsafeBufferPointer { appendEscaped($0) }
        }
        finish(into: &output)

        if let nickname = nonEmpty(contact.text(.nickname)) {
            textProperty("NICKNAME", nickname, into: &output)
        }
        for index in 0..<contact.emailCount {
            let email = contact.email(index)
            guard !email.value.isEmpty else { continue }
            labelled("EMAIL", label: email.type, primary: email.primary, into: &output) { $0.appendEscaped(email.value) }
        }
        for index in 0..<contact.phoneCount {
            let phone = contact.phone(index)
            guard !phone.value.isEmpty else { continue }
            labelled("TEL", label: phone.type, primary: phone.primary, into: &output) { $0.appendEscaped(phone.value) }
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
            line.removeAll(keepingCapacity: true)
            line.append("BDAY:")
            let separator = !isV4
            if let year = birthday.year {
                line.appendDecimal(year, width: 4)
                if separator { line.append("-") }
            } else {
                line.append("--")
            }
            line.appendDecimal(birthday.month, width: 2)
            if separator { line.append("-") }
            line.appendDecimal(birthday.day, width: 2)
            finish(into: &output)
        }
        var wroteGroup = false
        for index in 0..<contact.groupCount {
            let group = contact.group(index)
            guard !group.isEmpty else { continue }
            if !wroteGroup {
                start("CATEGORIES")
                line.append(VCardText.colon)
                wroteGroup = true
            } else {
                line.append(VCardText.comma)
            }
            appendEscaped(group)
        }
        if wroteGroup { finish(into: &output) }
        for index in 0..<contact.urlCount {
            let url = contact.url(index)
            guard !url.value.isEmpty else { continue }
            labelled("URL", label: url.type, primary: false, into: &output) { $0.appendURI(url.value) }
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
        start("UID")
        line.append(VCardText.colon)
        if let uid = nonEmpty(contact.text(.uid)) {
            appendEscaped(uid)
        } else {
            output.withUnsafeBufferPointer { appendDerivedUID(Text(rebasing: $0[cardStart...])) }
        }
        finish(into: &output)
        raw("END:VCARD", into: &output)
    }

    /// A UUID-shaped identifier from two 64-bit FNV-1a hashes of the card's bytes.
    private mutating func appendDerivedUID(_ card: Text) {
        var high: UInt64 = 0xCBF2_9CE4_8422_2325
        var low: UInt64 = 0x8422_2325_CBF2_9CE4
        for byte in card {
            high = (high ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            low = (low ^ UInt64(byte ^ 0x5A)) &* 0x0000_0100_0000_01B3
        }
        // Written digit by digit: this runs for every card without a UID of its own.
        let digits: StaticString = "0123456789abcdef"
        line.append("urn:uuid:")
        for nibble in 0..<32 {
            if nibble == 8 || nibble == 12 || nibble == 16 || nibble == 20 { line.append(UInt8(ascii: "-")) }
            let word = nibble < 16 ? high : low
            line.append(digits.utf8Start[Int((word >> UInt64(60 - 4 * (nibble % 16))) & 0xF)])
        }
    }

    // MARK: - Properties

    private mutating func writeAddress(_ address: ContactBytes.Address, into output: inout [UInt8]) {
        let formatted = nonEmpty(address.formatted)
        // 3.0 carries the formatted text in a LABEL property bound to the ADR by a group.
        let needsGroup = formatted != nil && !isV4
        let group = labelled(
            "ADR", label: address.type, primary: address.primary, forceGroup: needsGroup, valueIncludesColon: true,
            into: &output
        ) { writer in
            if writer.isV4, let formatted {
                writer.line.append(";LABEL=\"")
                writer.appendParameterText(formatted)
                writer.line.append(VCardText.quote)
            }
            writer.line.append(VCardText.colon)
            for (index, part) in [address.poBox, address.extended, address.street, address.city, address.region,
                                  address.postalCode, address.country].enumerated() {
                if index > 0 { writer.line.append(VCardText.semicolon) }
                writer.appendEscaped(part)
            }
        }
        if !isV4, let formatted, group > 0 {
            start("LABEL", group: group)
            appendTypes(for: address.type, primary: false)
            line.append(VCardText.colon)
            appendEscaped(formatted)
            finish(into: &output)
        }
    }

    private mutating func writeOrganisations(_ contact: ContactBytes, into output: inout [UInt8]) {
        let department = nonEmpty(contact.text(.department))
        if contact.companyCount == 0 {
            if let department {
                line.removeAll(keepingCapacity: true)
                line.append("ORG:;")
                appendEscaped(department)
                finish(into: &output)
            }
            return
        }
        for index in 0..<contact.companyCount {
            start("ORG")
            line.append(VCardText.colon)
            appendEscaped(contact.company(index))
            if index == 0, let department {
                line.append(VCardText.semicolon)
                appendEscaped(department)
            }
            finish(into: &output)
        }
    }

    private mutating func writePhoto(_ photo: Photo, into output: inout [UInt8]) {
        switch photo.source {
        case .url(let url):
            start("PHOTO")
            if !isV4 { line.append(";VALUE=uri") }
            line.append(VCardText.colon)
            var url = url
            url.withUTF8 { appendURI($0) }
        case .data(let bytes, let mediaType):
            start("PHOTO")
            if isV4 {
                line.append(":data:")
                line.append(contentsOf: (mediaType ?? "").utf8)
                line.append(";base64,")
            } else {
                line.append(";ENCODING=b")
                if let mediaType, !mediaType.isEmpty {
                    // 3.0 names image types by their subtype: TYPE=JPEG.
                    let type = mediaType.hasPrefix("image/") ? String(mediaType.dropFirst(6)).uppercased() : mediaType
                    line.append(";TYPE=")
                    line.append(contentsOf: type.utf8)
                }
                line.append(VCardText.colon)
            }
            VCardText.appendBase64(bytes, to: &line)
        }
        finish(into: &output)
    }

    /// Writes `NAME;TYPE=…:value` for a labelled property. A custom label puts the
    /// property in a fresh `itemN` group followed by `itemN.X-ABLabel`. Returns the
    /// group's number, 0 for none.
    @discardableResult
    private mutating func labelled(
        _ name: StaticString, label: Text?, primary: Bool, forceGroup: Bool = false, valueIncludesColon: Bool = false,
        into output: inout [UInt8], value: (inout VCardCardWriter) -> Void
    ) -> Int {
        let word = LabelWord(label)
        // Any label outside the vocabulary is custom, even an empty one.
        let custom = word == nil ? label : nil
        var group = 0
        if custom != nil || forceGroup {
            groupCounter += 1
            group = groupCounter
        }
        start(name, group: group)
        appendTypes(word, primary: primary)
        if !valueIncludesColon { line.append(VCardText.colon) }
        value(&self)
        finish(into: &output)
        if group > 0, let custom {
            start("X-ABLabel", group: group)
            line.append(VCardText.colon)
            appendEscaped(custom)
            finish(into: &output)
        }
        return group
    }

    private mutating func appendTypes(for label: Text?, primary: Bool) {
        appendTypes(LabelWord(label), primary: primary)
    }

    /// `;TYPE=HOME,FAX,PREF` (3.0) or `;TYPE=home,fax;PREF=1` (4.0).
    private mutating func appendTypes(_ word: LabelWord?, primary: Bool) {
        if let word {
            line.append(";TYPE=")
            line.append(isV4 ? word.vCard4Types : word.vCard3Types)
            if primary, !isV4 { line.append(",PREF") }
        } else if primary, !isV4 {
            line.append(";TYPE=PREF")
        }
        if primary, isV4 { line.append(";PREF=1") }
    }

    private mutating func textProperty(_ name: StaticString, _ value: Text, into output: inout [UInt8]) {
        start(name)
        line.append(VCardText.colon)
        appendEscaped(value)
        finish(into: &output)
    }

    private mutating func raw(_ text: StaticString, into output: inout [UInt8]) {
        line.removeAll(keepingCapacity: true)
        line.append(text)
        finish(into: &output)
    }

    // MARK: - Line building

    private mutating func start(_ name: StaticString, group: Int = 0) {
        line.removeAll(keepingCapacity: true)
        if group > 0 {
            line.append("item")
            line.appendDecimal(group)
            line.append(VCardText.period)
        }
        line.append(name)
    }

    /// URIs are not text values: written as they are, minus any line breaks.
    private mutating func appendURI(_ uri: Text) {
        for byte in uri where byte != VCardText.newline && byte != VCardText.carriageReturn {
            line.append(byte)
        }
    }

    /// Text escaping: backslash, comma, semicolon, and every line break as `\n`.
    private mutating func appendEscaped(_ bytes: Text?) {
        guard let bytes else { return }
        // Runs without special characters are copied whole.
        var runStart = 0
        var previousWasCR = false
        for index in 0..<bytes.count {
            let byte = bytes[index]
            let escaped: Bool
            switch byte {
            case VCardText.backslash, VCardText.comma, VCardText.semicolon, VCardText.carriageReturn, VCardText.newline:
                escaped = true
            default:
                escaped = false
            }
            defer { previousWasCR = byte == VCardText.carriageReturn }
            guard escaped else { continue }
            line.append(contentsOf: Text(rebasing: bytes[runStart..<index]))
            runStart = index + 1
            switch byte {
            case VCardText.carriageReturn:
                line.append("\\n")
            case VCardText.newline:
                if !previousWasCR { line.append("\\n") }
            default:
                line.append(VCardText.backslash)
                line.append(byte)
            }
        }
        line.append(contentsOf: Text(rebasing: bytes[runStart..<bytes.count]))
    }

    /// A quoted 4.0 parameter value with RFC 6868 escapes (`^^`, `^n`, `^'`).
    private mutating func appendParameterText(_ text: Text) {
        var previousWasCR = false
        for byte in text {
            switch byte {
            case UInt8(ascii: "^"): line.append("^^")
            case VCardText.quote: line.append("^'")
            case VCardText.carriageReturn: line.append("^n")
            case VCardText.newline: if !previousWasCR { line.append("^n") }
            default: line.append(byte)
            }
            previousWasCR = byte == VCardText.carriageReturn
        }
    }

    /// Appends the line folded at 75 octets (continuations start with a space), never
    /// cutting inside a UTF-8 sequence, and ends it with CRLF.
    private mutating func finish(into output: inout [UInt8]) {
        line.withUnsafeBufferPointer { line in
            let count = line.count
            var start = 0
            var width = 75
            while count - start > width {
                var cut = start + width
                while cut > start + 1, line[cut] & 0xC0 == 0x80 { cut -= 1 }
                output.append(contentsOf: Text(rebasing: line[start..<cut]))
                output.append("\r\n ")
                start = cut
                width = 74
            }
            output.append(contentsOf: Text(rebasing: line[start..<count]))
            output.append("\r\n")
        }
    }

    private func nonEmpty(_ text: Text?) -> Text? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }
}
