import ImportCore

extension ContactFormat {
    /// A writer of this format for contacts that come one at a time. Google CSV's columns
    /// must be known first (`googleCSVWidths`: one group of each kind when nil); the JSON
    /// payload carries `json`'s import id and owner.
    /// The formats that cannot write control characters leave them out
    /// (`ControlCharacterFilter`, whose count says how many contacts had some).
    public func makeStreamWriter(
        googleCSVWidths: GoogleCSVEncoder.GroupWidths? = nil, json: JSONPayloadEncoder = JSONPayloadEncoder()
    ) -> any ContactStreamWriter {
        let writer = unfilteredStreamWriter(googleCSVWidths: googleCSVWidths, json: json)
        return dropsControlCharacters ? ControlCharacterFilter(writer) : writer
    }

    private func unfilteredStreamWriter(googleCSVWidths: GoogleCSVEncoder.GroupWidths?, json: JSONPayloadEncoder) -> any ContactStreamWriter {
        switch self {
        case .vcard3: return VCardCardWriter(version: .v3)
        case .vcard4: return VCardCardWriter(version: .v4)
        case .googleCSV: return GoogleCSVEncoder.Writer(widths: googleCSVWidths ?? GoogleCSVEncoder.GroupWidths())
        case .outlookCSV: return OutlookCSVEncoder.Writer()
        case .json: return json.writer()
        case .ldif: return LDIFEncoder.Writer()
        case .muttAliases: return MuttAliasEncoder.Writer()
        case .muttQuery: return MuttQueryEncoder.Writer()
        }
    }
}
