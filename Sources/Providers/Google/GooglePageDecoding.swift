import Foundation
import ImportCore

/// Reads one page of `people.connections.list` into contacts the way an import does:
/// decode (each record on its own), then map. Shared by the source and the benchmark.
package enum GooglePageDecoding {
    /// Contacts and skipped records of a page; nil when the page itself is not a
    /// connections page (not JSON, or `connections` not a list).
    package static func contacts(fromPage bytes: [UInt8], groupNames: [String: String] = [:])
        -> (contacts: [Contact], skipped: [SkippedRecord])? {
        guard let page = GoogleConnectionsPage.scan(bytes) else { return nil }
        var reader = GoogleRecordReader(mapper: GooglePersonMapper(groupNames: groupNames))
        reader.absorb(page.connections, list: "contact")
        return (reader.contacts, reader.skipped)
    }
}

/// Turns decoded records into contacts and skipped records, numbering them from 1 across
/// every page of the import so a skipped record says which it was.
struct GoogleRecordReader {
    let mapper: GooglePersonMapper
    private(set) var contacts: [Contact] = []
    private(set) var skipped: [SkippedRecord] = []
    private var position = 0

    init(mapper: GooglePersonMapper) {
        self.mapper = mapper
    }

    mutating func reserve(_ count: Int) { contacts.reserveCapacity(count) }

    mutating func absorb(_ records: [EachRecord<GooglePerson>]?, list: String) {
        for record in records ?? [] {
            position += 1
            switch record.result {
            case .success(let person):
                switch mapper.map(person) {
                case .contact(let contact):
                    contacts.append(contact)
                case .skipped(let reason):
                    skipped.append(SkippedRecord(line: position, reason: "\(list) \(person.resourceName ?? "record \(position)"): \(reason)"))
                }
            case .failure(let problem):
                skipped.append(SkippedRecord(line: position, reason: "\(list) \(problem.resourceName ?? "record \(position)"): \(problem.reason)"))
            }
        }
    }

    /// Hands the contacts over, leaving none behind.
    mutating func finish() -> (contacts: [Contact], skipped: [SkippedRecord]) {
        defer { contacts = []; skipped = [] }
        return (contacts, skipped)
    }
}
