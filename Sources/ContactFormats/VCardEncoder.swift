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
        for contact in contacts {
            writer.write(contact.fields, into: &output)
        }
    }
}

/// Writes one card at a time; holds the line being built so it can be folded.
struct VCardCardWriter {
    let version: VCardEncoder.Version
    private var line: [UInt8] = []
    private var groupCounter = 0

    init(version: VCardEncoder.Version) {
        self.version = version
        line.reserveCapacity(256)
    }

    private var isV4: Bool { version == .v4 }

    mutating func write(_ contact: ContactFields, into output: inout [UInt8]) {
        groupCounter = 0
        let cardStart = output.count
        raw("BEGIN:VCARD", into: &output)
        raw("VERSION:" + version.rawValue, into: &output)

        start("N")
        let nameParts = [contact.lastName, contact.firstName, contact.middleName, contact.title, contact.suffix]
        appendComponents(nameParts)
        finish(into: &output)

        // FN is mandatory: the display name, else whatever name the contact is known by.
        start("FN")
        appendText(contact.displayName ?? contact.name)
        finish(into: &output)

        if let nickname = nonEmpty(contact.nickname) {
            textProperty("NICKNAME", nickname, into: &output)
        }
        for email in contact.emails where !email.address.isEmpty {
            labelled("EMAIL", label: email.type, primary: email.primary, into: &output) { $0.appendText(email.address) }
        }
        for phone in contact.phones where !phone.number.isEmpty {
            labelled("TEL", label: phone.type, primary: phone.primary, into: &output) { $0.appendText(phone.number) }
        }
        for address in contact.addresses where !address.isEmpty {
            writeAddress(address, into: &output)
        }
        writeOrganisations(contact, into: &output)
        if let jobTitle = nonEmpty(contact.jobTitle) {
            textProperty("TITLE", jobTitle, into: &output)
        }
        if let birthday = contact.birthday {
            raw("BDAY:" + VCardDates.text(for: birthday, extended: !isV4), into: &output)
        }
        let groups = contact.groups.filter { !$0.isEmpty }
        if !groups.isEmpty {
            start("CATEGORIES")
            line.append(VCardText.colon)
            for (index, group) in groups.enumerated() {
                if index > 0 { line.append(VCardText.comma) }
                appendEscaped(group)
            }
            finish(into: &output)
        }
        for url in contact.urls where !url.url.isEmpty {
            labelled("URL", label: url.type, primary: false, into: &output) { $0.appendURI(url.url) }
        }
        if let notes = nonEmpty(contact.notes) {
            textProperty("NOTE", notes, into: &output)
        }
        for photo in contact.photos {
            writePhoto(photo, into: &output)
        }
        // Every card gets a UID: vCard 4.0 asks for one, and sync tools such as khard ignore
        // cards without it. Made from the card's content, so the same contact exports the
        // same way every time.
        textProperty("UID", nonEmpty(contact.uid) ?? Self.derivedUID(output[cardStart...]), into: &output)
        raw("END:VCARD", into: &output)
    }

    /// A UUID-shaped identifier from two 64-bit FNV-1a hashes of the card's bytes.
    static func derivedUID(_ card: ArraySlice<UInt8>) -> String {
        var high: UInt64 = 0xCBF2_9CE4_8422_2325
        var low: UInt64 = 0x8422_2325_CBF2_9CE4
        card.withUnsafeBufferPointer { bytes in
            for byte in bytes {
                high = (high ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
                low = (low ^ UInt64(byte ^ 0x5A)) &* 0x0000_0100_0000_01B3
            }
        }
        // Written digit by digit: this runs for every card without a UID of its own.
        let digits = Array("0123456789abcdef".utf8)
        var text = Array("urn:uuid:".utf8)
        text.reserveCapacity(45)
        for nibble in 0..<32 {
            if nibble == 8 || nibble == 12 || nibble == 16 || nibble == 20 { text.append(UInt8(ascii: "-")) }
            let word = nibble < 16 ? high : low
            text.append(digits[Int((word >> UInt64(60 - 4 * (nibble % 16))) & 0xF)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    // MARK: - Properties

    private mutating func writeAddress(_ address: PostalAddress, into output: inout [UInt8]) {
        let formatted = nonEmpty(address.formatted)
        // 3.0 carries the formatted text in a LABEL property bound to the ADR by a group.
        let needsGroup = formatted != nil && !isV4
        let group = labelled(
            "ADR", label: address.type, primary: address.primary, forceGroup: needsGroup, valueIncludesColon: true,
            into: &output
        ) { writer in
            if writer.isV4, let formatted {
                writer.line.append(contentsOf: ";LABEL=\"".utf8)
                writer.appendParameterText(formatted)
                writer.line.append(VCardText.quote)
            }
            writer.line.append(VCardText.colon)
            writer.appendComponents([
                address.poBox, address.extended, address.street, address.city, address.region, address.postalCode,
                address.country,
            ])
        }
        if !isV4, let formatted, let group {
            start("LABEL", group: group)
            appendTypes(for: address.type, primary: false)
            line.append(VCardText.colon)
            appendText(formatted)
            finish(into: &output)
        }
    }

    private mutating func writeOrganisations(_ contact: ContactFields, into output: inout [UInt8]) {
        let companies = contact.companies
        let department = nonEmpty(contact.department)
        if companies.isEmpty {
            if let department { raw("ORG:;", escaping: department, into: &output) }
            return
        }
        for (index, company) in companies.enumerated() {
            start("ORG")
            line.append(VCardText.colon)
            appendEscaped(company)
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
            if !isV4 { line.append(contentsOf: ";VALUE=uri".utf8) }
            line.append(VCardText.colon)
            appendURI(url)
        case .data(let bytes, let mediaType):
            start("PHOTO")
            if isV4 {
                line.append(contentsOf: ":data:".utf8)
                line.append(contentsOf: (mediaType ?? "").utf8)
                line.append(contentsOf: ";base64,".utf8)
            } else {
                line.append(contentsOf: ";ENCODING=b".utf8)
                if let mediaType, !mediaType.isEmpty {
                    // 3.0 names image types by their subtype: TYPE=JPEG.
                    let type = mediaType.hasPrefix("image/") ? String(mediaType.dropFirst(6)).uppercased() : mediaType
                    line.append(contentsOf: ";TYPE=".utf8)
                    line.append(contentsOf: type.utf8)
                }
                line.append(VCardText.colon)
            }
            VCardText.appendBase64(bytes, to: &line)
        }
        finish(into: &output)
    }

    /// Writes `NAME;TYPE=…:value` for a labelled property. A custom label puts the
    /// property in a fresh `itemN` group followed by `itemN.X-ABLabel`. Returns the group.
    @discardableResult
    private mutating func labelled(
        _ name: String, label: String?, primary: Bool, forceGroup: Bool = false, valueIncludesColon: Bool = false,
        into output: inout [UInt8], value: (inout VCardCardWriter) -> Void
    ) -> String? {
        let custom = label.flatMap { VCardLabels.typeTokens(for: $0) == nil ? $0 : nil }
        var group: String?
        if custom != nil || forceGroup {
            groupCounter += 1
            group = "item\(groupCounter)"
        }
        start(name, group: group)
        appendTypes(for: custom == nil ? label : nil, primary: primary)
        if !valueIncludesColon { line.append(VCardText.colon) }
        value(&self)
        finish(into: &output)
        if let group, let custom {
            start("X-ABLabel", group: group)
            line.append(VCardText.colon)
            appendText(custom)
            finish(into: &output)
        }
        return group
    }

    /// `;TYPE=HOME,FAX,PREF` (3.0) or `;TYPE=home,fax;PREF=1` (4.0).
    private mutating func appendTypes(for label: String?, primary: Bool) {
        var tokens = label.flatMap { VCardLabels.typeTokens(for: $0) } ?? []
        if primary, !isV4 { tokens.append("PREF") }
        if !tokens.isEmpty {
            line.append(contentsOf: ";TYPE=".utf8)
            let joined = tokens.joined(separator: ",")
            line.append(contentsOf: (isV4 ? joined.lowercased() : joined).utf8)
        }
        if primary, isV4 { line.append(contentsOf: ";PREF=1".utf8) }
    }

    private mutating func textProperty(_ name: String, _ value: String, into output: inout [UInt8]) {
        start(name)
        appendText(value)
        finish(into: &output)
    }

    private mutating func raw(_ text: String, escaping value: String? = nil, into output: inout [UInt8]) {
        line.removeAll(keepingCapacity: true)
        line.append(contentsOf: text.utf8)
        if let value { appendEscaped(value) }
        finish(into: &output)
    }

    // MARK: - Line building

    private mutating func start(_ name: String, group: String? = nil) {
        line.removeAll(keepingCapacity: true)
        if let group {
            line.append(contentsOf: group.utf8)
            line.append(VCardText.period)
        }
        line.append(contentsOf: name.utf8)
    }

    /// `:` then the escaped text.
    private mutating func appendText(_ text: String) {
        if line.last != VCardText.colon { line.append(VCardText.colon) }
        appendEscaped(text)
    }

    /// `:` then the `;`-separated escaped components of N or ADR.
    private mutating func appendComponents(_ components: [String?]) {
        if line.last != VCardText.colon { line.append(VCardText.colon) }
        for (index, component) in components.enumerated() {
            if index > 0 { line.append(VCardText.semicolon) }
            if let component { appendEscaped(component) }
        }
    }

    /// URIs are not text values: written as they are, minus any line breaks.
    private mutating func appendURI(_ uri: String) {
        if line.last != VCardText.colon { line.append(VCardText.colon) }
        for byte in uri.utf8 where byte != VCardText.newline && byte != VCardText.carriageReturn {
            line.append(byte)
        }
    }

    /// Text escaping: backslash, comma, semicolon, and every line break as `\n`.
    private mutating func appendEscaped(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
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
                line.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                runStart = index + 1
                switch byte {
                case VCardText.carriageReturn:
                    line.append(contentsOf: [VCardText.backslash, UInt8(ascii: "n")])
                case VCardText.newline:
                    if !previousWasCR { line.append(contentsOf: [VCardText.backslash, UInt8(ascii: "n")]) }
                default:
                    line.append(contentsOf: [VCardText.backslash, byte])
                }
            }
            line.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
        }
    }

    /// A quoted 4.0 parameter value with RFC 6868 escapes (`^^`, `^n`, `^'`).
    private mutating func appendParameterText(_ text: String) {
        var previousWasCR = false
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "^"): line.append(contentsOf: "^^".utf8)
            case VCardText.quote: line.append(contentsOf: "^'".utf8)
            case VCardText.carriageReturn: line.append(contentsOf: "^n".utf8)
            case VCardText.newline: if !previousWasCR { line.append(contentsOf: "^n".utf8) }
            default: line.append(byte)
            }
            previousWasCR = byte == VCardText.carriageReturn
        }
    }

    /// Appends the line folded at 75 octets (continuations start with a space), never
    /// cutting inside a UTF-8 sequence, and ends it with CRLF.
    private mutating func finish(into output: inout [UInt8]) {
        let count = line.count
        var start = 0
        var width = 75
        while count - start > width {
            var cut = start + width
            while cut > start + 1, line[cut] & 0xC0 == 0x80 { cut -= 1 }
            output.append(contentsOf: line[start..<cut])
            output.append(VCardText.carriageReturn)
            output.append(VCardText.newline)
            output.append(VCardText.space)
            start = cut
            width = 74
        }
        output.append(contentsOf: line[start..<count])
        output.append(VCardText.carriageReturn)
        output.append(VCardText.newline)
    }

    private func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }
}

