import ContactFormats
import ImportCore

/// The one choice of encoder for writing out an import's contacts, for the command line's
/// output and the terminal UI's export alike: the JSON payload carries the import's id
/// and its owner, as the API's contacts answer did; the other formats have no place for them.
public enum ImportedContactsEncoder {
    public static func make(_ format: ContactFormat, importID: Int?, owner: ContactsOwner?) -> any ContactEncoder {
        format == .json ? JSONPayloadEncoder(importID: importID, owner: owner) : format.makeEncoder()
    }
}
