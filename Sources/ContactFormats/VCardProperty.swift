#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The properties the reader acts on; everything else is `other` and ignored.
enum VCardPropertyKind {
    case begin, end, version
    case n, fn, nickname, email, tel, adr, label, org, title, role, bday, categories, photo, url, note, uid
    case agent, appleLabel
    case other

    /// Case-insensitive lookup without building a String (called once per line).
    static func classify(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> VCardPropertyKind {
        let key = VCardText.keywordKey(bytes, range)
        func word(_ keyword: StaticString) -> Bool { key == VCardText.keywordKey(keyword) }
        if key == 0 {
            if VCardText.equalsKeyword(bytes, range, "CATEGORIES") { return .categories }
            if VCardText.equalsKeyword(bytes, range, "X-ABLABEL") { return .appleLabel }
            return .other
        }
        if word("TEL") { return .tel }
        if word("EMAIL") { return .email }
        if word("N") { return .n }
        if word("FN") { return .fn }
        if word("ADR") { return .adr }
        if word("BEGIN") { return .begin }
        if word("END") { return .end }
        if word("VERSION") { return .version }
        if word("ORG") { return .org }
        if word("TITLE") { return .title }
        if word("BDAY") { return .bday }
        if word("NOTE") { return .note }
        if word("URL") { return .url }
        if word("UID") { return .uid }
        if word("PHOTO") { return .photo }
        if word("NICKNAME") { return .nickname }
        if word("LABEL") { return .label }
        if word("ROLE") { return .role }
        if word("AGENT") { return .agent }
        return .other
    }
}

/// What a property's parameters say, gathered without allocating: ranges point into the
/// logical line the property was parsed from.
struct VCardParameters {
    enum Encoding { case none, quotedPrintable, base64 }
    enum ValueType { case unspecified, uri, text, other }

    var types: VCardTypeFlags = []
    var encoding: Encoding = .none
    var charset: VCardText.Charset = .utf8
    var charsetGiven = false
    var valueType: ValueType = .unspecified
    private var customTypeSpan = VCardSpan.none
    private var labelSpan = VCardSpan.none
    private var mediaTypeSpan = VCardSpan.none
    private var omitYearSpan = VCardSpan.none

    /// The first `TYPE` token that is neither a known kind nor technical (`TYPE=school`,
    /// or `TYPE=JPEG` on a photo).
    var customType: Range<Int>? {
        get { customTypeSpan.range }
        set { customTypeSpan = VCardSpan(newValue) }
    }
    /// vCard 4.0 `LABEL="…"` on ADR, quotes removed, RFC 6868 escapes still in place.
    var label: Range<Int>? {
        get { labelSpan.range }
        set { labelSpan = VCardSpan(newValue) }
    }
    var mediaType: Range<Int>? {
        get { mediaTypeSpan.range }
        set { mediaTypeSpan = VCardSpan(newValue) }
    }
    /// Apple's `X-APPLE-OMIT-YEAR=1604`: the year in BDAY is a placeholder.
    var omitYear: Range<Int>? {
        get { omitYearSpan.range }
        set { omitYearSpan = VCardSpan(newValue) }
    }

    var isPreferred: Bool { types.contains(.pref) }

    /// The same parameters with their ranges moved by `offset` bytes.
    func shifted(by offset: Int) -> VCardParameters {
        var copy = self
        copy.customTypeSpan = customTypeSpan.shifted(by: offset)
        copy.labelSpan = labelSpan.shifted(by: offset)
        copy.mediaTypeSpan = mediaTypeSpan.shifted(by: offset)
        copy.omitYearSpan = omitYearSpan.shifted(by: offset)
        return copy
    }
}

/// The parameter sections of recent lines with what they parsed to. An export writes
/// the same few (`;TYPE=HOME,PREF`, `;TYPE=CELL`) on every card; comparing the bytes
/// with a remembered section costs far less than parsing them again.
struct VCardParameterMemo {
    private struct Entry {
        /// From the `;` after the name up to, not including, the colon before the value.
        var section: [UInt8] = []
        /// Ranges relative to the start of `section`.
        var parameters = VCardParameters()
    }

    static let capacity = 8
    /// Longer sections (quoted labels, vendor parameters) rarely repeat.
    static let maximumLength = 64

    private var entries: [Entry] = []
    private var next = 0

    /// The parameters of the section starting at `start` (a `;`) when it is remembered,
    /// with the index just past the colon that ends it.
    func lookup(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, into parameters: inout VCardParameters) -> Int? {
        let available = bytes.count - start
        for entry in entries {
            let length = entry.section.count
            // A remembered section ends at a colon outside quotes: the same bytes followed
            // by a colon parse the same way.
            guard length < available, bytes[start + length] == VCardText.colon else { continue }
            let same = entry.section.withUnsafeBufferPointer { section in
                memcmp(section.baseAddress!, bytes.baseAddress! + start, length) == 0
            }
            if same {
                parameters = entry.parameters.shifted(by: start)
                return start + length + 1
            }
        }
        return nil
    }

    /// Remembers the section `start..<end` (the colon at `end` excluded), replacing the
    /// oldest entry once all are in use.
    mutating func remember(
        _ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ parameters: VCardParameters
    ) {
        guard end - start <= Self.maximumLength else { return }
        if entries.count < Self.capacity {
            entries.append(Entry())
        }
        let slot = next < entries.count ? next : entries.count - 1
        next = (slot + 1) % Self.capacity
        entries[slot].section.removeAll(keepingCapacity: true)
        entries[slot].section.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<end]))
        entries[slot].parameters = parameters.shifted(by: -start)
    }
}

/// One logical line split into group, name, parameters and value.
struct VCardProperty {
    var kind: VCardPropertyKind
    var parameters: VCardParameters
    private var groupSpan: VCardSpan
    private var valueSpan: VCardSpan

    init(kind: VCardPropertyKind, group: Range<Int>?, parameters: VCardParameters, value: Range<Int>) {
        self.kind = kind
        self.parameters = parameters
        groupSpan = VCardSpan(group)
        valueSpan = VCardSpan(value)
    }

    var group: Range<Int>? { groupSpan.range }
    var value: Range<Int> { valueSpan.range ?? 0..<0 }

    /// Parses `group.NAME;PARAM=a,b;BARE:value`. Nil for a line without a colon.
    /// Only parameters of properties the reader uses are examined.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> VCardProperty? {
        var memo = VCardParameterMemo()
        return parse(bytes, memo: &memo)
    }

    /// `parse`, with parameter sections looked up in and added to `memo`.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, memo: inout VCardParameterMemo) -> VCardProperty? {
        var property = VCardProperty(kind: .other, group: nil, parameters: VCardParameters(), value: 0..<0)
        return parse(bytes, into: &property, memo: &memo) ? property : nil
    }

    /// `parse` into `property`; false for a line without a colon. The parameters are
    /// written where the caller reads them rather than built aside and copied: copying a
    /// record whose fields were just stored one by one stalls the processor.
    static func parse(
        _ bytes: UnsafeBufferPointer<UInt8>, into property: inout VCardProperty, memo: inout VCardParameterMemo
    ) -> Bool {
        let count = bytes.count
        var index = 0
        var lastDot = -1
        while index < count {
            let byte = bytes[index]
            if byte == VCardText.colon || byte == VCardText.semicolon { break }
            if byte == VCardText.period { lastDot = index }
            index += 1
        }
        guard index < count else { return false }
        let nameStart = lastDot + 1
        let kind = VCardPropertyKind.classify(bytes, nameStart..<index)
        property.kind = kind
        property.groupSpan = VCardSpan(lastDot > 0 ? 0..<lastDot : nil)
        property.parameters = VCardParameters()
        if bytes[index] == VCardText.semicolon {
            let examine = kind != .other
            if examine, let valueStart = memo.lookup(bytes, from: index, into: &property.parameters) {
                index = valueStart - 1
            } else {
                guard let valueStart = parseParameters(bytes, from: index, into: &property.parameters, examine: examine)
                else { return false }
                if examine { memo.remember(bytes, index, valueStart - 1, property.parameters) }
                index = valueStart - 1
            }
        }
        property.valueSpan = VCardSpan((index + 1)..<count)
        return true
    }

    /// Walks `;name=value,value;bare` up to the colon that starts the value, honouring
    /// double quotes. Returns the index just past that colon.
    private static func parseParameters(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, into parameters: inout VCardParameters, examine: Bool
    ) -> Int? {
        let count = bytes.count
        var index = start
        while index < count, bytes[index] == VCardText.semicolon {
            index += 1
            let nameStart = index
            while index < count, bytes[index] != VCardText.equals, bytes[index] != VCardText.semicolon,
                bytes[index] != VCardText.colon {
                index += 1
            }
            guard index < count else { return nil }
            let name = VCardText.trimmed(bytes, nameStart..<index)
            guard bytes[index] == VCardText.equals else {
                if examine { applyBare(bytes, name, to: &parameters) }
                continue
            }
            index += 1
            // Values: comma separated, each possibly quoted.
            while index < count {
                var valueRange: Range<Int>
                if bytes[index] == VCardText.quote {
                    let open = index + 1
                    index = open
                    while index < count, bytes[index] != VCardText.quote { index += 1 }
                    guard index < count else { return nil }
                    valueRange = open..<index
                    index += 1
                    while index < count, bytes[index] != VCardText.comma, bytes[index] != VCardText.semicolon,
                        bytes[index] != VCardText.colon {
                        index += 1
                    }
                } else {
                    let open = index
                    while index < count, bytes[index] != VCardText.comma, bytes[index] != VCardText.semicolon,
                        bytes[index] != VCardText.colon {
                        index += 1
                    }
                    valueRange = open..<index
                }
                valueRange = VCardText.trimmed(bytes, valueRange)
                if examine { apply(bytes, name: name, value: valueRange, to: &parameters) }
                guard index < count, bytes[index] == VCardText.comma else { break }
                index += 1
            }
            guard index < count else { return nil }
        }
        guard index < count, bytes[index] == VCardText.colon else { return nil }
        return index + 1
    }

    /// 2.1 writes parameters without a name: `TEL;CELL;PREF`, `NOTE;QUOTED-PRINTABLE`.
    private static func applyBare(_ bytes: UnsafeBufferPointer<UInt8>, _ token: Range<Int>, to parameters: inout VCardParameters) {
        let key = VCardText.keywordKey(bytes, token)
        if key == 0, VCardText.equalsKeyword(bytes, token, "QUOTED-PRINTABLE") {
            parameters.encoding = .quotedPrintable
        } else if key == VCardText.keywordKey("BASE64") {
            parameters.encoding = .base64
        } else if key == VCardText.keywordKey("8BIT") || key == VCardText.keywordKey("7BIT") {
            return
        } else {
            applyType(bytes, token, to: &parameters)
        }
    }

    /// One `TYPE` value; a quoted 4.0 value such as `"work,voice"` holds several.
    private static func applyType(_ bytes: UnsafeBufferPointer<UInt8>, _ value: Range<Int>, to parameters: inout VCardParameters) {
        var start = value.lowerBound
        for index in value where bytes[index] == VCardText.comma {
            applyTypeToken(bytes, VCardText.trimmed(bytes, start..<index), to: &parameters)
            start = index + 1
        }
        applyTypeToken(bytes, VCardText.trimmed(bytes, start..<value.upperBound), to: &parameters)
    }

    private static func applyTypeToken(_ bytes: UnsafeBufferPointer<UInt8>, _ token: Range<Int>, to parameters: inout VCardParameters) {
        guard !token.isEmpty else { return }
        switch VCardLabels.classify(bytes, token) {
        case .flag(let flag): parameters.types.insert(flag)
        case .ignored: break
        case .custom:
            // X- tokens are vendor switches, not labels a person chose.
            let isExtension = token.count > 2 && bytes[token.lowerBound] | 0x20 == UInt8(ascii: "x")
                && bytes[token.lowerBound + 1] == UInt8(ascii: "-")
            if parameters.customType == nil, !isExtension { parameters.customType = token }
        }
    }

    private static func apply(
        _ bytes: UnsafeBufferPointer<UInt8>, name: Range<Int>, value: Range<Int>, to parameters: inout VCardParameters
    ) {
        let nameKey = VCardText.keywordKey(bytes, name)
        func named(_ keyword: StaticString) -> Bool { nameKey == VCardText.keywordKey(keyword) }
        func valued(_ keyword: StaticString) -> Bool { VCardText.equalsKeyword(bytes, value, keyword) }
        if nameKey == 0 {
            if VCardText.equalsKeyword(bytes, name, "MEDIATYPE") {
                parameters.mediaType = value
            } else if VCardText.equalsKeyword(bytes, name, "X-APPLE-OMIT-YEAR") {
                parameters.omitYear = value
            }
            return
        }
        if named("TYPE") {
            applyType(bytes, value, to: &parameters)
        } else if named("PREF") {
            // 4.0: 1 is the most preferred of 1…100.
            if value.count == 1, bytes[value.lowerBound] == UInt8(ascii: "1") { parameters.types.insert(.pref) }
        } else if named("ENCODING") {
            if valued("QUOTED-PRINTABLE") {
                parameters.encoding = .quotedPrintable
            } else if valued("B") || valued("BASE64") {
                parameters.encoding = .base64
            }
        } else if named("CHARSET") {
            parameters.charsetGiven = true
            if valued("ISO-8859-1") || valued("WINDOWS-1252") || valued("CP1252") || valued("LATIN1")
                || valued("ISO-8859-15") || valued("ISO_8859-1") {
                parameters.charset = .windows1252
            }
        } else if named("VALUE") {
            if valued("URI") || valued("URL") {
                parameters.valueType = .uri
            } else if valued("TEXT") {
                parameters.valueType = .text
            } else {
                parameters.valueType = .other
            }
        } else if named("LABEL") {
            parameters.label = value
        }
    }
}

/// A byte range within one line in 8 bytes instead of 17: lines are capped far below
/// 2 GiB, and a property record is built for every line, so its size matters.
struct VCardSpan {
    private var lower: Int32
    private var upper: Int32

    static let none = VCardSpan(nil)

    init(_ range: Range<Int>?) {
        if let range {
            lower = Int32(truncatingIfNeeded: range.lowerBound)
            upper = Int32(truncatingIfNeeded: range.upperBound)
        } else {
            lower = -1
            upper = -1
        }
    }

    var range: Range<Int>? { lower < 0 ? nil : Int(lower)..<Int(upper) }

    func shifted(by offset: Int) -> VCardSpan {
        guard let range else { return self }
        return VCardSpan((range.lowerBound + offset)..<(range.upperBound + offset))
    }
}
