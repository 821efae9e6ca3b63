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

    /// Copying this is cheaper than calling `ContactFields.init` with its many defaults.
    private static let blank = ContactFields()
    private static let blankAddress = PostalAddress()

    private(set) var version: Version = .v30
    private var contact = ContactFields()
    private var hasName = false
    private var formattedName: String?
    /// FN's bytes, when they are its text as they stand (no escapes, no charset to
    /// convert): most cards' FN only repeats N, and then no string is built for it.
    private var formattedBytes: [UInt8] = []
    private var hasFormattedBytes = false
    /// FN came from a 2.1 card without CHARSET (see `string`).
    private var formattedLegacy = false
    private var role: String?
    private var grouped: [GroupedItem] = []
    private var groupLabels: [String: String] = [:]
    private var labels: [PendingLabel] = []
    private var cache = VCardValueCache()
    /// The card's organisations and categories, gathered in buffers kept from card to
    /// card: most cards' lists equal an earlier card's, which the contact then shares.
    private var companies: [String] = []
    private var groups: [String] = []
    /// Reused for values with escapes, so unescaping allocates no buffer per value.
    private var scratch: [UInt8] = []

    /// Whether anything was added since the last reset (resetting a clean builder would
    /// only allocate and free an empty contact).
    private var dirty = false

    mutating func reset() {
        guard dirty else { return }
        var fresh = Self.blank
        swap(&fresh, &contact)
        clearPending()
    }

    /// Clears everything but the contact itself.
    private mutating func clearPending() {
        dirty = false
        version = .v30
        hasName = false
        formattedName = nil
        hasFormattedBytes = false
        role = nil
        // Most cards have none of these: skip the general removal for them.
        if !grouped.isEmpty { grouped.removeAll(keepingCapacity: true) }
        if !groupLabels.isEmpty { groupLabels.removeAll(keepingCapacity: true) }
        if !labels.isEmpty { labels.removeAll(keepingCapacity: true) }
        if !companies.isEmpty { companies.removeAll(keepingCapacity: true) }
        if !groups.isEmpty { groups.removeAll(keepingCapacity: true) }
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
        if property.parameters.encoding == .quotedPrintable {
            var decoded: [UInt8] = []
            VCardText.appendQuotedPrintable(line, property.value, to: &decoded)
            decoded.withUnsafeBufferPointer { value in
                apply(property, value: value, range: 0..<value.count, line: line)
            }
        } else {
            apply(property, value: line, range: property.value, line: line)
        }
    }

    private mutating func apply(
        _ property: VCardProperty, value: UnsafeBufferPointer<UInt8>, range: Range<Int>, line: UnsafeBufferPointer<UInt8>
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
                let text = list(value, component, parameters, joiner: slot >= 3 ? ", " : " ")
                switch slot {
                case 0: contact.lastName = text
                case 1: contact.firstName = text
                case 2: contact.middleName = text
                case 3: contact.title = text
                default: contact.suffix = text
                }
                slot += 1
            }
        case .fn:
            guard formattedName == nil, !hasFormattedBytes else { return }
            let trimmed = VCardText.trimmed(value, range)
            guard !trimmed.isEmpty else { return }
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
            if contact.nickname == nil { contact.nickname = list(value, range, parameters, joiner: ", ") }
        case .email:
            guard let address = text(value, range, parameters) else { return }
            contact.emails.append(EmailAddress(address, type: type(parameters, line), primary: parameters.isPreferred))
            remember(.email, contact.emails.count - 1, property.group, line)
        case .tel:
            // 4.0 URI values: `tel:+1-555-…`.
            var range = VCardText.trimmed(value, range)
            if range.count > 4, VCardText.equalsKeyword(value, range.lowerBound..<(range.lowerBound + 4), "TEL:") {
                range = (range.lowerBound + 4)..<range.upperBound
            }
            guard let number = text(value, range, parameters) else { return }
            contact.phones.append(PhoneNumber(number, type: type(parameters, line), primary: parameters.isPreferred))
            remember(.phone, contact.phones.count - 1, property.group, line)
        case .adr:
            addAddress(property, value: value, range: range, line: line)
        case .label:
            guard let text = text(value, range, parameters, trim: false) else { return }
            labels.append(PendingLabel(text: text, type: type(parameters, line), group: groupName(property.group, line)))
        case .org:
            var cursor = range.lowerBound
            guard let first = Self.nextComponent(value, &cursor, range.upperBound, VCardText.semicolon) else { return }
            if let company = text(value, first, parameters, shared: true) { companies.append(company) }
            guard contact.department == nil,
                let unit = Self.nextComponent(value, &cursor, range.upperBound, VCardText.semicolon)
            else { return }
            var department = text(value, unit, parameters, shared: true)
            var joined = false
            // Further units (rare) are joined into the one department.
            while let unit = Self.nextComponent(value, &cursor, range.upperBound, VCardText.semicolon) {
                guard let text = text(value, unit, parameters) else { continue }
                department = department.map { $0 + ", " + text } ?? text
                joined = true
            }
            contact.department = joined ? department.map { cache.string($0) } : department
        case .title:
            if contact.jobTitle == nil { contact.jobTitle = text(value, range, parameters, shared: true) }
        case .role:
            if role == nil { role = text(value, range, parameters, shared: true) }
        case .bday:
            guard contact.birthday == nil, parameters.valueType != .text else { return }
            let omitYear = parameters.omitYear.flatMap { VCardDates.number(line, $0) }
            contact.birthday = VCardDates.birthday(value, VCardText.trimmed(value, range), omitYear: omitYear)
        case .categories:
            var cursor = range.lowerBound
            while let item = Self.nextComponent(value, &cursor, range.upperBound, VCardText.comma) {
                if let text = text(value, item, parameters, shared: true) { groups.append(text) }
            }
        case .photo:
            if let photo = photo(parameters, value: value, range: range, line: line) { contact.photos.append(photo) }
        case .url:
            guard let url = text(value, range, parameters) else { return }
            contact.urls.append(WebAddress(url, type: type(parameters, line)))
            remember(.url, contact.urls.count - 1, property.group, line)
        case .note:
            guard let note = text(value, range, parameters, trim: false) else { return }
            contact.notes = contact.notes.map { $0 + "\n" + note } ?? note
        case .uid:
            if contact.uid == nil { contact.uid = text(value, range, parameters) }
        case .appleLabel:
            guard let group = groupName(property.group, line), let text = text(value, range, parameters, shared: true) else {
                return
            }
            groupLabels[group] = text
        case .other, .begin, .end, .agent:
            break
        }
    }

    private mutating func addAddress(
        _ property: VCardProperty, value: UnsafeBufferPointer<UInt8>, range: Range<Int>, line: UnsafeBufferPointer<UInt8>
    ) {
        let parameters = property.parameters
        // Filled in place: building the value aside and appending it would copy it.
        contact.addresses.append(Self.blankAddress)
        let index = contact.addresses.count - 1
        contact.addresses[index].type = type(parameters, line)
        contact.addresses[index].primary = parameters.isPreferred
        var cursor = range.lowerBound
        var slot = 0
        while let component = Self.nextComponent(value, &cursor, range.upperBound, VCardText.semicolon), slot < 7 {
            switch slot {
            case 0: contact.addresses[index].poBox = text(value, component, parameters)
            case 1: contact.addresses[index].extended = text(value, component, parameters)
            case 2: contact.addresses[index].street = text(value, component, parameters)
            case 3: contact.addresses[index].city = text(value, component, parameters, shared: true)
            case 4: contact.addresses[index].region = text(value, component, parameters, shared: true)
            case 5: contact.addresses[index].postalCode = text(value, component, parameters)
            default: contact.addresses[index].country = text(value, component, parameters, shared: true)
            }
            slot += 1
        }
        if let label = parameters.label {
            contact.addresses[index].formatted = formattedLabel(line, label)
        }
        // An empty grouped ADR is kept until the end of the card: a LABEL in its group
        // (how our 3.0 writer carries a formatted-only address) may fill it.
        guard property.group != nil || !Self.isBlank(contact.addresses[index]) else {
            contact.addresses.removeLast()
            return
        }
        remember(.address, index, property.group, line)
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

    private mutating func type(_ parameters: VCardParameters, _ line: UnsafeBufferPointer<UInt8>) -> String? {
        // The custom token counts only when no flag names a kind: build it only then.
        if let label = VCardLabels.label(parameters.types, custom: nil) { return label }
        return parameters.customType.map { cache.string(UnsafeBufferPointer(rebasing: line[$0])) }
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

    /// A comma list (N components, NICKNAME) joined into one string.
    private mutating func list(
        _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ parameters: VCardParameters, joiner: String
    ) -> String? {
        // Most N components past the first two are empty.
        if range.isEmpty { return nil }
        var cursor = range.lowerBound
        guard let first = Self.nextComponent(bytes, &cursor, range.upperBound, VCardText.comma) else { return nil }
        if first.upperBound >= range.upperBound { return text(bytes, range, parameters) }
        var parts: [String] = []
        if let text = text(bytes, first, parameters) { parts.append(text) }
        while let item = Self.nextComponent(bytes, &cursor, range.upperBound, VCardText.comma) {
            if let text = text(bytes, item, parameters) { parts.append(text) }
        }
        return parts.isEmpty ? nil : parts.joined(separator: joiner)
    }

    /// The unescaped, charset-decoded text of `range`; nil when empty. `shared` is for
    /// fields whose values repeat across cards (see `VCardValueCache`).
    private mutating func text(
        _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ parameters: VCardParameters, trim: Bool = true,
        shared: Bool = false
    ) -> String? {
        let range = trim ? VCardText.trimmed(bytes, range) : range
        guard !range.isEmpty else { return nil }
        let hasEscape = memchr(bytes.baseAddress! + range.lowerBound, Int32(VCardText.backslash), range.count) != nil
        guard hasEscape else {
            return string(UnsafeBufferPointer(rebasing: bytes[range]), parameters, shared: shared)
        }
        scratch.removeAll(keepingCapacity: true)
        VCardText.appendUnescaped(bytes, range, to: &scratch)
        var unescaped: [UInt8] = []
        swap(&unescaped, &scratch)
        defer { swap(&unescaped, &scratch) }
        let result = unescaped.withUnsafeBufferPointer { string($0, parameters, shared: shared) }
        return result.isEmpty ? nil : result
    }

    /// Turns bytes into a `String`. UTF-8 is repaired with U+FFFD where it is invalid,
    /// except that 2.1 cards without CHARSET, which in practice come from Windows tools,
    /// fall back to windows-1252 for bytes that are not valid UTF-8.
    private mutating func string(_ bytes: UnsafeBufferPointer<UInt8>, _ parameters: VCardParameters, shared: Bool) -> String {
        guard parameters.charset == .utf8 else { return VCardText.windows1252String(bytes) }
        if version == .v21, !parameters.charsetGiven, !VCardText.isValidUTF8(bytes) {
            return VCardText.windows1252String(bytes)
        }
        return shared ? cache.string(bytes) : String(decoding: bytes, as: UTF8.self)
    }

    // MARK: - Finishing

    /// Like `ContactFields.isEmpty`, without building arrays: the builder never stores
    /// empty strings, so nil checks suffice.
    static func isBlank(_ contact: ContactFields) -> Bool {
        contact.firstName == nil && contact.middleName == nil && contact.lastName == nil
            && contact.displayName == nil && contact.nickname == nil && contact.notes == nil
            && contact.emails.isEmpty && contact.phones.isEmpty && contact.addresses.isEmpty
            && contact.companies.isEmpty && contact.jobTitle == nil && contact.urls.isEmpty
    }

    /// PostalAddress.isEmpty without building an array (components are nil when empty).
    private static func isBlank(_ address: PostalAddress) -> Bool {
        address.poBox == nil && address.extended == nil && address.street == nil && address.city == nil
            && address.region == nil && address.postalCode == nil && address.country == nil && address.formatted == nil
    }

    /// The contact for the card, with group labels, LABEL properties and FN resolved.
    mutating func build() -> ContactFields {
        applyGroupLabels()
        applyPendingLabels()
        if !grouped.isEmpty { contact.addresses.removeAll(where: Self.isBlank) }
        if contact.jobTitle == nil { contact.jobTitle = role }
        if !companies.isEmpty { contact.companies = cache.list(taking: &companies) }
        if !groups.isEmpty { contact.groups = cache.list(taking: &groups) }
        contact.displayName = displayName()
        // Move the fields out rather than copying them (a copy retains every field).
        var result = Self.blank
        swap(&result, &contact)
        clearPending()
        return result
    }

    private mutating func applyGroupLabels() {
        guard !groupLabels.isEmpty else { return }
        for item in grouped {
            guard let text = groupLabels[item.group], let label = VCardLabels.fromAppleLabel(text) else { continue }
            switch item.field {
            case .email: contact.emails[item.index].type = label
            case .phone: contact.phones[item.index].type = label
            case .address: contact.addresses[item.index].type = label
            case .url: contact.urls[item.index].type = label
            }
        }
    }

    /// A LABEL belongs to the address in its group, else the first address of its type
    /// without a formatted text, else the first address without one; alone it becomes
    /// an address of its own.
    private mutating func applyPendingLabels() {
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
            contact.addresses[target].formatted = label.text
        }
        for label in loose {
            let target = contact.addresses.firstIndex { $0.formatted == nil && $0.type == label.type }
                ?? contact.addresses.firstIndex { $0.formatted == nil }
            if let target {
                contact.addresses[target].formatted = label.text
            } else {
                contact.addresses.append(PostalAddress(type: label.type, formatted: label.text))
            }
        }
    }

    /// FN unless it only repeats the name N already gives (with or without prefix and
    /// suffix), or the fallback a writer puts in FN for a card without a name. Runs once
    /// the contact's lists are in place (`name` falls back on them) and before its
    /// display name is set, so `contact.name` is that fallback.
    private mutating func displayName() -> String? {
        // Read in place: a copy of the contact would retain and release every field.
        let first = contact.firstName, middle = contact.middleName, last = contact.lastName
        if hasFormattedBytes {
            // Bytes equal to valid parts joined are that same text: no need to build it.
            let repeatsName = hasName && formattedBytes.withUnsafeBufferPointer { bytes in
                Self.isJoined(bytes, first, middle, last)
                    || Self.isJoined(bytes, contact.title, first, middle, last, contact.suffix)
            }
            if repeatsName { return nil }
            let legacy = formattedLegacy
            formattedName = formattedBytes.withUnsafeBufferPointer { bytes in
                legacy && !VCardText.isValidUTF8(bytes)
                    ? VCardText.windows1252String(bytes) : String(decoding: bytes, as: UTF8.self)
            }
        }
        guard let formattedName else { return nil }
        guard hasName else { return formattedName }
        if Self.isJoined(formattedName, first, middle, last) { return nil }
        if Self.isJoined(formattedName, contact.title, first, middle, last, contact.suffix) { return nil }
        if first == nil, middle == nil, last == nil, formattedName == contact.name { return nil }
        return formattedName
    }

    /// Whether `text` is the non-nil parts joined by single spaces (checked on the UTF-8
    /// bytes without building the joined string: this runs for every card).
    private static func isJoined(
        _ text: String, _ a: String?, _ b: String?, _ c: String?, _ d: String? = nil, _ e: String? = nil
    ) -> Bool {
        var text = text
        return text.withUTF8 { isJoined($0, a, b, c, d, e) }
    }

    private static func isJoined(
        _ whole: UnsafeBufferPointer<UInt8>, _ a: String?, _ b: String?, _ c: String?, _ d: String? = nil,
        _ e: String? = nil
    ) -> Bool {
        // Plain locals and a static helper: a nested function capturing the cursor
        // would make every access to it an exclusivity check.
        var offset = 0
        var started = false
        return consume(whole, a, &offset, &started) && consume(whole, b, &offset, &started)
            && consume(whole, c, &offset, &started) && consume(whole, d, &offset, &started)
            && consume(whole, e, &offset, &started) && offset == whole.count
    }

    /// Matches `part` at `offset`, after a space unless no part came before it, and
    /// moves `offset` past it. A nil part matches nothing and is skipped.
    private static func consume(
        _ whole: UnsafeBufferPointer<UInt8>, _ part: String?, _ offset: inout Int, _ started: inout Bool
    ) -> Bool {
        guard var part else { return true }
        var position = offset
        if started {
            guard position < whole.count, whole[position] == VCardText.space else { return false }
            position += 1
        }
        let matched = part.withUTF8 { bytes -> Int? in
            guard position + bytes.count <= whole.count else { return nil }
            guard bytes.count == 0 || memcmp(whole.baseAddress! + position, bytes.baseAddress!, bytes.count) == 0 else {
                return nil
            }
            return position + bytes.count
        }
        guard let matched else { return false }
        offset = matched
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
