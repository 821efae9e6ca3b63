import ImportCore

/// The kinds of file this program reads. Each reader accepts every dialect of its kind
/// (all vCard versions, every CSV flavour).
public enum ContactFileKind: String, Sendable, CaseIterable, Codable {
    case vcard
    case csv
    case ldif
    case json
    case muttAliases = "mutt"
    case muttQuery = "mutt-query"

    /// The decoder for a whole file read in large chunks: for vCard, one that reads each
    /// chunk on two threads.
    public func makeFileDecoder() -> any ContactDecoder {
        self == .vcard ? TwoThreadVCardDecoder() : makeDecoder()
    }

    public func makeDecoder() -> any ContactDecoder {
        switch self {
        case .vcard: return VCardDecoder()
        case .csv: return CSVDecoder()
        case .ldif: return LDIFDecoder()
        case .json: return JSONPayloadDecoder()
        case .muttAliases: return MuttAliasDecoder()
        case .muttQuery: return MuttQueryDecoder()
        }
    }
}

/// The formats this program writes.
public enum ContactFormat: String, Sendable, CaseIterable, Codable {
    case vcard3 = "vcard"
    case vcard4
    case googleCSV = "csv"
    case outlookCSV = "outlook-csv"
    case json
    case ldif
    case muttAliases = "mutt"
    case muttQuery = "mutt-query"

    public var displayName: String {
        switch self {
        case .vcard3: return "vCard 3.0"
        case .vcard4: return "vCard 4.0"
        case .googleCSV: return "Google CSV"
        case .outlookCSV: return "Outlook CSV"
        case .json: return "JSON (CloudSponge payload)"
        case .ldif: return "LDIF (Thunderbird)"
        case .muttAliases: return "mutt aliases"
        case .muttQuery: return "mutt query lines"
        }
    }

    public var fileExtension: String {
        switch self {
        case .vcard3, .vcard4: return "vcf"
        case .googleCSV, .outlookCSV: return "csv"
        case .json: return "json"
        case .ldif: return "ldif"
        case .muttAliases: return "aliases"
        case .muttQuery: return "txt"
        }
    }

    /// The reader that reads this format back.
    public var readerKind: ContactFileKind {
        switch self {
        case .vcard3, .vcard4: return .vcard
        case .googleCSV, .outlookCSV: return .csv
        case .json: return .json
        case .ldif: return .ldif
        case .muttAliases: return .muttAliases
        case .muttQuery: return .muttQuery
        }
    }

    /// Guesses from a file name's extension (`.vcf`, `.csv`, `.ldif`, `.json`, …).
    public static func guess(fromFileName name: String) -> ContactFormat? {
        guard let dot = name.lastIndex(of: ".") else { return nil }
        switch name[name.index(after: dot)...].lowercased() {
        case "vcf", "vcard": return .vcard3
        case "csv": return .googleCSV
        case "ldif", "ldi": return .ldif
        case "json": return .json
        case "aliases", "mutt", "muttrc": return .muttAliases
        default: return nil
        }
    }

    /// As `makeStreamWriter`, control characters left out where the format cannot hold them.
    public func makeEncoder() -> any ContactEncoder {
        dropsControlCharacters ? ControlCharacterFreeEncoder(base: unfilteredEncoder()) : unfilteredEncoder()
    }

    private func unfilteredEncoder() -> any ContactEncoder {
        switch self {
        case .vcard3: return VCardEncoder(version: .v3)
        case .vcard4: return VCardEncoder(version: .v4)
        case .googleCSV: return GoogleCSVEncoder()
        case .outlookCSV: return OutlookCSVEncoder()
        case .json: return JSONPayloadEncoder()
        case .ldif: return LDIFEncoder()
        case .muttAliases: return MuttAliasEncoder()
        case .muttQuery: return MuttQueryEncoder()
        }
    }
}
