/// What a writer could not write as it was given, for the caller to tell the user: no
/// contact is changed or left out without a word.
public struct WriteSummary: Sendable, Equatable {
    /// Contacts written without control characters the format cannot hold.
    public var contactsCleaned = 0
    /// Contacts the format cannot hold at all (a mutt alias or query line needs an email
    /// address), so not written.
    public var contactsLeftOut = 0

    public init(contactsCleaned: Int = 0, contactsLeftOut: Int = 0) {
        self.contactsCleaned = contactsCleaned
        self.contactsLeftOut = contactsLeftOut
    }
}

extension ContactStreamWriter {
    /// What this writer has not written as given, so far.
    public var summary: WriteSummary {
        WriteSummary(contactsCleaned: contactsCleaned, contactsLeftOut: contactsLeftOut)
    }
}
