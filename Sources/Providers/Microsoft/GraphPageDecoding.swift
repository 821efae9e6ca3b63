import ImportCore

/// Reads one Graph contacts page into contacts the way an import does: parse, then map
/// each record on its own. Shared by the source's tests and the benchmark.
package enum GraphPageDecoding {
    /// Contacts and skipped records of a page; nil when the bytes are not a contacts page.
    package static func contacts(fromPage bytes: [UInt8]) -> (contacts: [Contact], skipped: [SkippedRecord])? {
        guard let page = GraphJSON.object(from: bytes) else { return nil }
        var records = GraphRecords()
        guard (try? records.add(page, from: GraphAddressBook.Folder(id: nil, name: nil), numberedFrom: 0)) != nil else { return nil }
        return (records.contacts, records.skipped)
    }
}
