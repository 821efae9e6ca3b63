#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import ImportCore

/// Collects the properties of one card and turns them into a `Contact` at `END:VCARD`.
/// Things that can only be settled once the whole card is known (group labels, LABEL
/// properties, whether FN says more than N) are kept aside until `build()`.
///
/// Values go straight from the card's bytes into a `ContactPacker`, so a card builds no
/// string for an ordinary value; strings are built only where values are joined or
/// compared as text (LABEL, X-ABLabel, multi-part names, several NOTEs).
struct VCardCardBuilder {
    enum Version { case v21, v30, v40 }

    private enum Field { case email, phone, address, url }

    private struct GroupedItem {
        var field: Field
        var index: Int
        var group: String
    }

    /// A 2.1/3.0 `LABEL` property, matched to its address at the end of the card.
    private struct PendingLabel {
        var text: String
        var type: String?
        var group: String?
    }

    /// A packer cannot be copied, and a builder is a value: the packer lives in a box
    /// that a copied builder copies before changing it (`uniquePacker()`).
    ///
    /// Sendable as an array's storage is: it is changed only through `uniquePacker()`,
    /// when no other builder refers to it, so builders on different threads never share a
    /// box they change.
    ///
    /// The packer is reached through a pointer rather than as a stored property: a class's
    /// property is checked for overlapping access at run time on every use, and a card
    /// uses it for each of its lines.
    private final class PackerBox: @unchecked Sendable {
        let packer: UnsafeMutablePointer<ContactPacker>

        init(_ packer: consuming ContactPacker = ContactPacker()) {
            self.packer = .allocate(capacity: 1)
            self.packer.initialize(to: packer)
        }

        deinit {
            packer.deinitialize(count: 1)
            packer.deallocate()
        }
    }

    private(set) var version: Version = .v30
    private var box = PackerBox()
    private var hasName = false
    private var formattedName: String?
    /// FN's bytes, when they are its text as they stand (no escapes, no charset to
    /// convert): most cards' FN only repeats N, and then no string is built for it.
    private var formattedBytes: [UInt8] = []
    private var hasFormattedBytes = false
    /// FN came from a 2.1 card without CHARSET (see `pack`).
    private var formattedLegacy = false
    private var role = ContactPacker.Text.none
    private var grouped: [GroupedItem] = []
    private var groupLabels: [String: String] = [:]
    private var labels: [PendingLabel] = []
    /// Reused for values with escapes, so unescaping allocates no buffer per value.
    private var scratch: [UInt8] = []

    /// Whether anything was added since the last reset.
    private var dirty = false

    mutating func reset() {
        guard dirty else { return }
        uniquePacker().packer.pointee.reset()
        clearPending()
    }

    /// Clears everything but the packer.
    private mutating func clearPending() {
        dirty = false
        version = .v30
        hasName = false
        formattedName = nil
        hasFormattedBytes = false
        role = .none
        // Most cards have none of these: skip the general removal for them.
        if !grouped.isEmpty { grouped.removeAll(keepingCapacity: true) }
        if !groupLabels.isEmpty { groupLabels.removeAll(keepingCapacity: true) }
        if !labels.isEmpty { labels.removeAll(keepingCapacity: true) }
    }

    /// The box, copied first if another builder shares it.
    private mutating func uniquePacker() -> PackerBox {
        if !isKnownUniquelyReferenced(&box) { box = PackerBox(box.packer.pointee.duplicate()) }
        return box
    }

    // MARK: - Properties

    /// Adds one parsed property; `line` is the logical line its ranges point into.
    mutating func add(_ property: VCardProperty, line: UnsafeBufferPointer<UInt8>) {
        switch property.kind {
        case .other, .begin, .end, .agent:
            return
        default:
            break
        }
        dirty = true
        let box = uniquePacker()
        if property.parameters.encoding == .quotedPrintable {
            var decoded: [UInt8] = []
            VCardText.appendQuotedPrintable(line, property.value, to: &decoded)
            decoded.withUnsafeBufferPointer { value in
                apply(property, value: value, range: 0..<value.count, line: line, &box.packer.pointee)
            }
        } else {
            apply(property, value: line, range: property.value, line: line, &box.packer.pointee)
        }
    }

    private mutating func apply(
        _ property: VCardProperty, value: UnsafeBufferPointer<UInt8>, range: Range<Int>, line: UnsafeBufferPointer<UInt8>,
        _ packer: inout ContactPacker
    ) {
        let parameters = property.parameters
        switch property.kind {
        case .version:
            let text = VCardText.trimmed(value, range)
            if VCardText.equalsKeyword(value, text, "2.1") {
                version = .v21
            } else if VCardText.equalsKeyword(value, text, "4.0") {
                version = .v40
            } else {
                version = .v30
            }
        case .n:
            guard !hasName else { return }
            hasName = true
            var cursor = range.lowerBound
            var slot = 0
            while let component = Self.nextComponent(value, &cursor, range.upperBound, VCardText.semicolon), slot < 5 {
                let text = list(value, component, parameters, joiner: slot >= 3 ? ", " : " ", &packer)
                switch slot {
                case 0: packer[.lastName] = text
                case 1: packer[.firstName] = text
                case 2: packer[.middleName] = text
                case 3: packer[.title] = text
                default: packer[.suffix] = text
                }
                slot += 1
            }
        case .fn:
            guard formattedName == nil, !hasFormattedBytes else { return }
            let trimmed = VCardText.trimmed(value, range)
            guard !VCardText.isBlank(UnsafeBufferPointer(rebasing: value[trimmed])) else { return }
            let plain = parameters.charset == .utf8
                && memchr(value.baseAddress! + trimmed.lowerBound, Int32(VCardText.backslash), trimmed.count) == nil
            guard plain else {
                formattedName = text(value, range, parameters)
                return
            }
            formattedBytes.removeAll(keepingCapacity: true)
            formattedBytes.append(contentsOf: UnsafeBufferPointer(rebasing: value[trimmed]))
            formattedLegacy = version == .v21 && !parameters.charsetGiven
            hasFormattedBytes = true
        case .nickname:
            if packer[.nickname].isNone { packer[.nickname] = list(value, range, parameters, joiner: ", ", &packer) }
        case .email:
            let address = packed(value, range, parameters, &packer)
            guard !address.isNone else { return }
            let type = packer.text(type(parameters, line))
            packer.emails.append(ContactPacker.LabeledItem(value: address, type: type, primary: parameters.isPreferred))
            remember(.email, packer.emails.count - 1, property.group, line)
        case .tel:
            // 4.0 URI values: `tel:+1-555-…`.
            var range = VCardText.trimmed(value, range)
            if range.count > 4, VCardText.equalsKeyword(value, range.lowerBound..<(range.lowerBound + 4), "TEL:") {
                range = (range.lowerBound + 4)..<range.upperBound
            }
            let number = packed(value, range, parameters, &packer)
            guard !number.isNone else { return }
            let type = packer.text(type(parameters, line))
            packer.phones.append(ContactPacker.LabeledItem(value: number, type: type, primary: parameters.isPreferred))
            remember(.phone, packer.phones.count - 1, property.group, line)
        case .adr:
            addAddress(property, value: value, range: range, line: line, &packer)
        case .label:
            guard let text = text(value, range, parameters, trim: false) else { return }
            labels.append(PendingLabel(text: text, type: type(parameters, line), group: groupName(property.group, line)))
        case .org:
            var cursor = range.lowerBound
            guard let first = Self.nextComponent(value, &cursor, range.upperBound, VCardText.semicolon) else { return }
            let company = packed(value, first, parameters, &packer)
            if !company.isNone { packer.companies.append(company) }
            guard packer[.department].isNone,
                let unit = Self.nextComponent(value, &cursor, range.upperBound, VCardText.semicolon)
            else { return }
            var department = packed(value, unit, parameters, &packer)
            // Further units (rare) are joined into the one department.
            var joined: String?
            while let unit = Self.nextComponent(value, &cursor, range.upperBound, VCardText.semicolon) {
                guard let text = text(value, unit, parameters) else { continue }
                let sofar = joined ?? packer.string(department)
                joined = sofar.map { $0 + ", " + text } ?? text
            }
            if let joined { department = packer.text(joined) }
            packer[.department] = department
        case .title:
            if packer[.jobTitle].isNone { packer[.jobTitle] = packed(value, range, parameters, &packer) }
        case .role:
            if role.isNone { role = packed(value, range, parameters, &packer) }
        case .bday:
            guard packer.birthday == nil, parameters.valueType != .text else { return }
            let omitYear = parameters.omitYear.flatMap { VCardDates.number(line, $0) }
            packer.birthday = VCardDates.birthday(value, VCardText.trimmed(value, range), omitYear: omitYear)
        case .categories:
            var cursor = range.lowerBound
            while let item = Self.nextComponent(value, &cursor, range.upperBound, VCardText.comma) {
                let text = packed(value, item, parameters, &packer)
                if !text.isNone { packer.groups.append(text) }
            }
        case .photo:
            if let photo = photo(parameters, value: value, range: range, line: line) { packer.photos.append(photo) }
        case .url:
            let url = packed(value, range, parameters, &packer)
            guard !url.isNone else { return }
            let type = packer.text(type(parameters, line))
            packer.urls.append(ContactPacker.LabeledItem(value: url, type: type))
            remember(.url, packer.urls.count - 1, property.group, line)
        case .note:
            if packer[.notes].isNone {
                packer[.notes] = packed(value, range, parameters, trim: false, &packer)
            } else if let note = text(value, range, parameters, trim: false), let earlier = packer.string(packer[.notes]) {
                packer[.notes] = packer.text(earlier + "\n" + note)
            }
        case .uid:
            if packer[.uid].isNone { packer[.uid] = packed(value, range, parameters, &packer) }
        case .appleLabel:
            guard let group = groupName(property.group, line), let text = text(value, range, parameters) else { return }
            groupLabels[group] = text
        case .other, .begin, .end, .agent:
            break
        }
    }

    private mutating func addAddress(
        _ property: VCardProperty, value: UnsafeBufferPointer<UInt8>, range: Range<Int>, line: UnsafeBufferPointer<UInt8>,
        _ packer: inout ContactPacker
    ) {
        let parameters = property.parameters
        var address = ContactPacker.AddressItem()
        address.type = packer.text(type(parameters, line))
        address.primary = parameters.isPreferred
        var cursor = range.lowerBound
        var slot = 0
        while let component = Self.nextComponent(value, &cursor, range.upperBound, VCardText.semicolon), slot < 7 {
            let text = packed(value, component, parameters, &packer)
            switch slot {
            case 0: address.poBox = text
            case 1: address.extended = text
            case 2: address.street = text
            case 3: address.city = text
            case 4: address.region = text
            case 5: address.postalCode = text
            default: address.country = text
            }
            slot += 1
        }
        if let label = parameters.label {
            address.formatted = packer.text(formattedLabel(line, label))
        }
        // An empty grouped ADR is kept until the end of the card: a LABEL in its group
        // (how our 3.0 writer carries a formatted-only address) may fill it.
        guard property.group != nil || !address.isBlank else { return }
        packer.addresses.append(address)
        remember(.address, packer.addresses.count - 1, property.group, line)
    }

    /// A 4.0 `LABEL` parameter: RFC 6868 `^n ^' ^^` escapes, plus backslash escapes that
    /// some writers put there anyway.
    private mutating func formattedLabel(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String? {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(range.count)
        var index = range.lowerBound
        while index < range.upperBound {
            let byte = line[index]
            if byte == UInt8(ascii: "^"), index + 1 < range.upperBound {
                switch line[index + 1] {
                case UInt8(ascii: "n"), UInt8(ascii: "N"): decoded.append(VCardText.newline); index += 2; continue
                case UInt8(ascii: "'"): decoded.append(VCardText.quote); index += 2; continue
                case UInt8(ascii: "^"): decoded.append(byte); index += 2; continue
                default: break
                }
            }
            decoded.append(byte)
            index += 1
        }
        return decoded.withUnsafeBufferPointer { text($0, 0..<$0.count, VCardParameters(), trim: false) }
    }

    private func photo(
        _ parameters: VCardParameters, value: UnsafeBufferPointer<UInt8>, range: Range<Int>, line: UnsafeBufferPointer<UInt8>
    ) -> Photo? {
        let trimmed = VCardText.trimmed(value, range)
        guard !trimmed.isEmpty else { return nil }
        if parameters.encoding == .base64 {
            let bytes = VCardText.decodeBase64(value, trimmed)
            guard !bytes.isEmpty else { return nil }
            return Photo(.data(bytes, mediaType: mediaType(parameters, line)))
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: value[trimmed]), as: UTF8.self)
        if text.count > 5, text.prefix(5).lowercased() == "data:", let comma = text.firstIndex(of: ",") {
            let header = text[text.index(text.startIndex, offsetBy: 5)..<comma]
            guard header.lowercased().hasSuffix(";base64") else { return Photo(.url(text)) }
            let media = String(header.dropLast(7))
            let payload = Array(text.utf8[text.utf8.index(after: comma)...])
            let bytes = payload.withUnsafeBufferPointer { VCardText.decodeBase64($0, 0..<$0.count) }
            guard !bytes.isEmpty else { return nil }
            return Photo(.data(bytes, mediaType: media.isEmpty ? nil : media))
        }
        // A bare reference: 3.0 `VALUE=uri`, 4.0 URI, or a 2.1 URL.
        return text.contains(":") ? Photo(.url(text.replacingBackslashColon())) : nil
    }

    /// `TYPE=JPEG` (2.1/3.0) or `MEDIATYPE=image/jpeg` (4.0) as a media type.
    private func mediaType(_ parameters: VCardParameters, _ line: UnsafeBufferPointer<UInt8>) -> String? {
        if let range = parameters.mediaType {
            return String(decoding: UnsafeBufferPointer(rebasing: line[range]), as: UTF8.self)
        }
        guard let range = parameters.customType else { return nil }
        let token = String(decoding: UnsafeBufferPointer(rebasing: line[range]), as: UTF8.self)
        if token.contains("/") { return token }
        return "image/" + token.lowercased()
    }

    // MARK: - Values

    private func type(_ parameters: VCardParameters, _ line: UnsafeBufferPointer<UInt8>) -> String? {
        // The custom token counts only when no flag names a kind: build it only then.
        if let label = VCardLabels.label(parameters.types, custom: nil) { return label }
        return parameters.customType.map { String(decoding: UnsafeBufferPointer(rebasing: line[$0]), as: UTF8.self) }
    }

    private func groupName(_ range: Range<Int>?, _ line: UnsafeBufferPointer<UInt8>) -> String? {
        guard let range else { return nil }
        return String(decoding: UnsafeBufferPointer(rebasing: line[range]), as: UTF8.self).lowercased()
    }

    private mutating func remember(_ field: Field, _ index: Int, _ group: Range<Int>?, _ line: UnsafeBufferPointer<UInt8>) {
        guard let name = groupName(group, line) else { return }
        grouped.append(GroupedItem(field: field, index: index, group: name))
    }

    /// The next component of a structured value, split at unescaped `separator`s;
    /// nil once `cursor` has passed `end`.
    static func nextComponent(
        _ bytes: UnsafeBufferPointer<UInt8>, _ cursor: inout Int, _ end: Int, _ separator: UInt8
    ) -> Range<Int>? {
        guard cursor <= end else { return nil }
        let start = cursor
        var index = cursor
        while index < end {
            let byte = bytes[index]
            if byte == VCardText.backslash {
                index += 2
                continue
            }
            if byte == separator { break }
            index += 1
        }
        index = min(index, end)
        cursor = index + 1
        return start..<index
    }

    /// A comma list (N components, NICKNAME), joined into one text when it has several items.
    private mutating func list(
        _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ parameters: VCardParameters, joiner: String,
        _ packer: inout ContactPacker
    ) -> ContactPacker.Text {
        // Most N components past the first two are empty.
        if range.isEmpty { return .none }
        var cursor = range.lowerBound
        guard let first = Self.nextComponent(bytes, &cursor, range.upperBound, VCardText.comma) else { return .none }
        if first.upperBound >= range.upperBound { return packed(bytes, range, parameters, &packer) }
        var parts: [String] = []
        if let text = text(bytes, first, parameters) { parts.append(text) }
        while let item = Self.nextComponent(bytes, &cursor, range.upperBound, VCardText.comma) {
            if let text = text(bytes, item, parameters) { parts.append(text) }
        }
        return parts.isEmpty ? .none : packer.text(parts.joined(separator: joiner))
    }

    /// The unescaped, charset-decoded text of `range`, packed; none when empty.
    private mutating func packed(
        _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ parameters: VCardParameters, trim: Bool = true,
        _ packer: inout ContactPacker
    ) -> ContactPacker.Text {
        let version = self.version
        return withValue(bytes, range, trim: trim) { value in
            // Valid UTF-8 goes in as it is; anything else through the string that decodes it.
            parameters.charset == .utf8 && UTF8Validation.isValid(value)
                ? packer.text(validUTF8: value) : packer.text(Self.string(value, parameters, version))
        } ?? .none
    }

    /// The same as a `String`, for values that are joined or compared as text; nil when empty.
    private mutating func text(
        _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ parameters: VCardParameters, trim: Bool = true
    ) -> String? {
        let version = self.version
        return withValue(bytes, range, trim: trim) { Self.string($0, parameters, version) }
    }

    /// Hands `body` the value of `range`: trimmed unless `trim` is false, unescaped (in a
    /// buffer reused from value to value); nil when nothing that shows is left (a
    /// quoted-printable value can decode to control characters alone, which is no value).
    private mutating func withValue<Result>(
        _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, trim: Bool, _ body: (UnsafeBufferPointer<UInt8>) -> Result
    ) -> Result? {
        let range = trim ? VCardText.trimmed(bytes, range) : range
        guard !range.isEmpty else { return nil }
        let hasEscape = memchr(bytes.baseAddress! + range.lowerBound, Int32(VCardText.backslash), range.count) != nil
        guard hasEscape else {
            let value = UnsafeBufferPointer(rebasing: bytes[range])
            return VCardText.isBlank(value) ? nil : body(value)
        }
        scratch.removeAll(keepingCapacity: true)
        VCardText.appendUnescaped(bytes, range, to: &scratch)
        return scratch.withUnsafeBufferPointer { VCardText.isBlank($0) ? nil : body($0) }
    }

    /// UTF-8, repaired with U+FFFD where it is invalid, except that 2.1 cards without
    /// CHARSET, which in practice come from Windows tools, fall back to windows-1252 for
    /// bytes that are not valid UTF-8.
    private static func string(_ bytes: UnsafeBufferPointer<UInt8>, _ parameters: VCardParameters, _ version: Version) -> String {
        guard parameters.charset == .utf8 else { return VCardText.windows1252String(bytes) }
        if version == .v21, !parameters.charsetGiven, !UTF8Validation.isValid(bytes) {
            return VCardText.windows1252String(bytes)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: - Finishing

    /// What a finished card gave.
    enum Outcome {
        case contact(Contact)
        /// Why the card gives no contact.
        case skipped(String)
    }

    /// The contact for the card, with group labels, LABEL properties and FN resolved.
    mutating func build() -> Outcome {
        let packer = uniquePacker().packer
        applyGroupLabels(&packer.pointee)
        applyPendingLabels(&packer.pointee)
        if !grouped.isEmpty { packer.pointee.addresses.removeAll { $0.isBlank } }
        if packer.pointee[.jobTitle].isNone { packer.pointee[.jobTitle] = role }
        packer.pointee[.displayName] = displayName(&packer.pointee)
        clearPending()
        guard !packer.pointee.overflowed else {
            packer.pointee.reset()
            return .skipped("the card's text is over 4 GiB")
        }
        guard !packer.pointee.isEmpty else {
            packer.pointee.reset()
            return .skipped("card has no name, email, phone, address or other usable field")
        }
        return .contact(packer.pointee.makeContact())
    }

    private func applyGroupLabels(_ packer: inout ContactPacker) {
        guard !groupLabels.isEmpty else { return }
        for item in grouped {
            guard let text = groupLabels[item.group], let label = VCardLabels.fromAppleLabel(text) else { continue }
            let type = packer.text(label)
            switch item.field {
            case .email: packer.emails[item.index].type = type
            case .phone: packer.phones[item.index].type = type
            case .address: packer.addresses[item.index].type = type
            case .url: packer.urls[item.index].type = type
            }
        }
    }

    /// A LABEL belongs to the address in its group, else the first address of its type
    /// without a formatted text, else the first address without one; alone it becomes
    /// an address of its own.
    private func applyPendingLabels(_ packer: inout ContactPacker) {
        guard !labels.isEmpty else { return }
        // Labels bound by a group first, so that the loose ones cannot take their address.
        var loose: [PendingLabel] = []
        for label in labels {
            guard let group = label.group,
                let target = grouped.first(where: { $0.field == .address && $0.group == group })?.index
            else {
                loose.append(label)
                continue
            }
            let text = packer.text(label.text)
            packer.addresses[target].formatted = text
        }
        for label in loose {
            let target = packer.addresses.firstIndex { $0.formatted.isNone && packer.string($0.type) == label.type }
                ?? packer.addresses.firstIndex { $0.formatted.isNone }
            let text = packer.text(label.text)
            if let target {
                packer.addresses[target].formatted = text
            } else {
                var address = ContactPacker.AddressItem()
                address.type = packer.text(label.type)
                address.formatted = text
                packer.addresses.append(address)
            }
        }
    }

    /// FN unless it only repeats the name N already gives (with or without prefix and
    /// suffix), or the fallback a writer puts in FN for a card without a name. Runs once
    /// the contact's lists are in place (the fallback name comes from them).
    private mutating func displayName(_ packer: inout ContactPacker) -> ContactPacker.Text {
        let first = packer[.firstName], middle = packer[.middleName], last = packer[.lastName]
        let title = packer[.title], suffix = packer[.suffix]
        if hasFormattedBytes {
            // Bytes equal to valid parts joined are that same text: no need to build it.
            let repeatsName = hasName && formattedBytes.withUnsafeBufferPointer { bytes in
                Self.isJoined(bytes, packer, first, middle, last)
                    || Self.isJoined(bytes, packer, title, first, middle, last, suffix)
            }
            if repeatsName { return .none }
            let legacy = formattedLegacy
            if !hasName {
                return formattedBytes.withUnsafeBufferPointer { bytes in
                    UTF8Validation.isValid(bytes)
                        ? packer.text(validUTF8: bytes) : packer.text(Self.formattedText(bytes, legacy: legacy))
                }
            }
            formattedName = formattedBytes.withUnsafeBufferPointer { Self.formattedText($0, legacy: legacy) }
        }
        guard var formattedName else { return .none }
        guard hasName else { return packer.text(formattedName) }
        let repeats = formattedName.withUTF8 { bytes in
            Self.isJoined(bytes, packer, first, middle, last)
                || Self.isJoined(bytes, packer, title, first, middle, last, suffix)
        }
        if repeats || Self.isEastAsianOrder(formattedName, packer, first, middle, last) { return .none }
        if first.isNone, middle.isNone, last.isNone, formattedName == Self.fallbackName(packer) { return .none }
        return packer.text(formattedName)
    }

    /// FN's plain bytes as text, decoded as `string` would (they are UTF-8 by charset).
    private static func formattedText(_ bytes: UnsafeBufferPointer<UInt8>, legacy: Bool) -> String {
        legacy && !UTF8Validation.isValid(bytes) ? VCardText.windows1252String(bytes) : String(decoding: bytes, as: UTF8.self)
    }

    /// Whether `formatted` is the name as lists show a Chinese, Japanese or Korean name:
    /// family name first, no spaces (what this program writes to FN for such a name).
    private static func isEastAsianOrder(
        _ formatted: String, _ packer: borrowing ContactPacker, _ first: ContactPacker.Text, _ middle: ContactPacker.Text,
        _ last: ContactPacker.Text
    ) -> Bool {
        guard let lead = formatted.utf8.first, PersonName.mayBeEastAsian(firstByte: lead) else { return false }
        let family = packer.string(last), given = packer.string(first), other = packer.string(middle)
        guard family != nil, given != nil || other != nil else { return false }
        return formatted == PersonName.joined(first: given, middle: other, last: family)
    }

    /// `Contact.name` for a contact without display name or name parts.
    private static func fallbackName(_ packer: borrowing ContactPacker) -> String {
        if let nickname = packer.string(packer[.nickname]), !nickname.isEmpty { return nickname }
        if let company = packer.companies.first.flatMap({ packer.string($0) }), !company.isEmpty { return company }
        if let email = packer.emails.first { return packer.string(email.value) ?? "" }
        if let phone = packer.phones.first { return packer.string(phone.value) ?? "" }
        return ""
    }

    /// Whether `whole` is the present parts joined by single spaces, compared as bytes
    /// (this runs for every card, so it builds no string).
    private static func isJoined(
        _ whole: UnsafeBufferPointer<UInt8>, _ packer: borrowing ContactPacker, _ a: ContactPacker.Text,
        _ b: ContactPacker.Text, _ c: ContactPacker.Text, _ d: ContactPacker.Text = .none, _ e: ContactPacker.Text = .none
    ) -> Bool {
        var offset = 0
        var started = false
        return consume(whole, packer, a, &offset, &started) && consume(whole, packer, b, &offset, &started)
            && consume(whole, packer, c, &offset, &started) && consume(whole, packer, d, &offset, &started)
            && consume(whole, packer, e, &offset, &started) && offset == whole.count
    }

    /// Matches `part` at `offset`, after a space unless no part came before it, and
    /// moves `offset` past it. An absent part matches nothing and is skipped.
    private static func consume(
        _ whole: UnsafeBufferPointer<UInt8>, _ packer: borrowing ContactPacker, _ part: ContactPacker.Text,
        _ offset: inout Int, _ started: inout Bool
    ) -> Bool {
        guard !part.isNone else { return true }
        var position = offset
        if started {
            guard position < whole.count, whole[position] == VCardText.space else { return false }
            position += 1
        }
        let matched = packer.withBytes(part) { bytes -> Bool in
            guard position + bytes.count <= whole.count else { return false }
            return bytes.count == 0 || memcmp(whole.baseAddress! + position, bytes.baseAddress!, bytes.count) == 0
        }
        guard matched else { return false }
        offset = position + part.byteCount
        started = true
        return true
    }
}

extension String {
    /// Apple escapes the colon in URIs (`http\://`).
    fileprivate func replacingBackslashColon() -> String {
        contains("\\:") ? split(separator: "\\:", omittingEmptySubsequences: false).joined(separator: ":") : self
    }
}
