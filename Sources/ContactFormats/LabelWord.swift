import ImportCore

/// A label of the `ContactLabel` vocabulary, recognised from a contact's label bytes
/// (spelled exactly as the vocabulary spells it; anything else is a custom label), with
/// how each output format writes it.
enum LabelWord {
    case home, work, other, mobile, main, homeFax, workFax, otherFax, pager

    init?(_ bytes: UnsafeBufferPointer<UInt8>?) {
        guard let bytes else { return nil }
        func equals(_ word: StaticString) -> Bool {
            bytes.elementsEqual(UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount))
        }
        switch bytes.count {
        case 4:
            if equals("home") { self = .home } else if equals("work") { self = .work } else if equals("main") { self = .main } else { return nil }
        case 5:
            if equals("other") { self = .other } else if equals("pager") { self = .pager } else { return nil }
        case 6:
            if equals("mobile") { self = .mobile } else { return nil }
        case 8:
            if equals("home fax") { self = .homeFax } else if equals("work fax") { self = .workFax } else { return nil }
        case 9:
            if equals("other fax") { self = .otherFax } else { return nil }
        default:
            return nil
        }
    }

    /// How Google's CSV spells it (`CSVValues.googleLabel`).
    var google: StaticString {
        switch self {
        case .home: return "Home"
        case .work: return "Work"
        case .other: return "Other"
        case .mobile: return "Mobile"
        case .main: return "Main"
        case .homeFax: return "Home Fax"
        case .workFax: return "Work Fax"
        case .otherFax: return "Other Fax"
        case .pager: return "Pager"
        }
    }

    /// vCard 3.0 `TYPE` tokens, comma-separated (`VCardLabels.typeTokens`).
    var vCard3Types: StaticString {
        switch self {
        case .home: return "HOME"
        case .work: return "WORK"
        case .other: return "OTHER"
        case .mobile: return "CELL"
        case .main: return "MAIN"
        case .homeFax: return "HOME,FAX"
        case .workFax: return "WORK,FAX"
        case .otherFax: return "FAX"
        case .pager: return "PAGER"
        }
    }

    /// The same tokens as vCard 4.0 writes them, in lower case.
    var vCard4Types: StaticString {
        switch self {
        case .home: return "home"
        case .work: return "work"
        case .other: return "other"
        case .mobile: return "cell"
        case .main: return "main"
        case .homeFax: return "home,fax"
        case .workFax: return "work,fax"
        case .otherFax: return "fax"
        case .pager: return "pager"
        }
    }
}
