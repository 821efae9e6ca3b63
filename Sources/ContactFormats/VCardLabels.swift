import ImportCore

/// The `TYPE` values a property can carry, as bits, so that parameter parsing allocates
/// nothing and the label is chosen once all parameters are known.
struct VCardTypeFlags: OptionSet, Sendable {
    let rawValue: UInt16
    static let home = VCardTypeFlags(rawValue: 1 << 0)
    static let work = VCardTypeFlags(rawValue: 1 << 1)
    static let cell = VCardTypeFlags(rawValue: 1 << 2)
    static let fax = VCardTypeFlags(rawValue: 1 << 3)
    static let pager = VCardTypeFlags(rawValue: 1 << 4)
    static let main = VCardTypeFlags(rawValue: 1 << 5)
    static let other = VCardTypeFlags(rawValue: 1 << 6)
    static let pref = VCardTypeFlags(rawValue: 1 << 7)
}

/// Maps between vCard spellings of labels and the `ContactLabel` vocabulary.
enum VCardLabels {
    /// Sorts one `TYPE` token into a flag, nothing (technical tokens such as `VOICE` or
    /// `INTERNET` that say nothing a person would call a label), or a custom label.
    enum Token {
        case flag(VCardTypeFlags)
        case ignored
        case custom
    }

    static func classify(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Token {
        let key = VCardText.keywordKey(bytes, range)
        func word(_ keyword: StaticString) -> Bool { key == VCardText.keywordKey(keyword) }
        if key == 0 {
            if VCardText.equalsKeyword(bytes, range, "MAIN-NUMBER") { return .flag(.main) }
            if VCardText.equalsKeyword(bytes, range, "TEXTPHONE") { return .ignored }
            return .custom
        }
        if word("HOME") { return .flag(.home) }
        if word("WORK") { return .flag(.work) }
        if word("CELL") || word("MOBILE") || word("IPHONE") { return .flag(.cell) }
        if word("PREF") { return .flag(.pref) }
        if word("FAX") { return .flag(.fax) }
        if word("PAGER") { return .flag(.pager) }
        if word("MAIN") { return .flag(.main) }
        if word("OTHER") { return .flag(.other) }
        if word("VOICE") || word("INTERNET") || word("X400") || word("MSG") || word("TEXT") || word("VIDEO")
            || word("BBS") || word("MODEM") || word("CAR") || word("ISDN") || word("PCS") || word("DOM") || word("INTL")
            || word("POSTAL") || word("PARCEL") {
            return .ignored
        }
        return .custom
    }

    /// The vocabulary label for a set of flags; `custom` (the first unknown token) when no
    /// flag names a kind.
    static func label(_ flags: VCardTypeFlags, custom: String?) -> String? {
        if flags.contains(.fax) {
            if flags.contains(.home) { return ContactLabel.homeFax }
            if flags.contains(.work) { return ContactLabel.workFax }
            return ContactLabel.otherFax
        }
        if flags.contains(.pager) { return ContactLabel.pager }
        if flags.contains(.cell) { return ContactLabel.mobile }
        if flags.contains(.main) { return ContactLabel.main }
        if flags.contains(.work) { return ContactLabel.work }
        if flags.contains(.home) { return ContactLabel.home }
        if flags.contains(.other) { return ContactLabel.other }
        return custom
    }

    /// An `X-ABLabel` value as a label: Apple's `_$!<Name>!$_` names are mapped to the
    /// vocabulary where they have a meaning there and unwrapped otherwise; custom labels
    /// are kept as the user typed them.
    static func fromAppleLabel(_ text: String) -> String? {
        guard text.hasPrefix("_$!<"), text.hasSuffix(">!$_"), text.count >= 8 else {
            return text.isEmpty ? nil : text
        }
        let name = String(text.dropFirst(4).dropLast(4))
        switch name.lowercased() {
        case "mobile", "iphone": return ContactLabel.mobile
        case "home": return ContactLabel.home
        case "work": return ContactLabel.work
        case "other": return ContactLabel.other
        case "main": return ContactLabel.main
        case "homefax": return ContactLabel.homeFax
        case "workfax": return ContactLabel.workFax
        case "otherfax": return ContactLabel.otherFax
        case "pager": return ContactLabel.pager
        default: return name.isEmpty ? nil : name
        }
    }

    /// `TYPE` tokens (upper case) for a vocabulary label, or nil for a custom label, which
    /// is written through an `itemN.X-ABLabel` group instead.
    static func typeTokens(for label: String) -> [String]? {
        switch label {
        case ContactLabel.home: return ["HOME"]
        case ContactLabel.work: return ["WORK"]
        case ContactLabel.other: return ["OTHER"]
        case ContactLabel.mobile: return ["CELL"]
        case ContactLabel.main: return ["MAIN"]
        case ContactLabel.homeFax: return ["HOME", "FAX"]
        case ContactLabel.workFax: return ["WORK", "FAX"]
        case ContactLabel.otherFax: return ["FAX"]
        case ContactLabel.pager: return ["PAGER"]
        default: return nil
        }
    }
}
