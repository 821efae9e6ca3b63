import ContactFormats
import Foundation
import FuzzSupport
import ImportCore
import Providers

/// The Google People API and Microsoft Graph page readers and their mappers. Every record
/// of the page's list is either a contact or skipped (never both, never neither, as an
/// independent JSON parser counts them), a skipped record names its place in the list
/// once, and the contacts survive a round trip through our writers.
enum ProviderPageTargets {
    static let all = [google, graph]

    static let google = FuzzTarget(
        "google-page", "People API connections pages: each record read or skipped once, round trip",
        seeds: {
            [Array(#"{"connections":[{"resourceName":"people/c1","names":[{"givenName":"Ann","familyName":"Lee","metadata":{"primary":true}}],"emailAddresses":[{"value":"ann@example.org","type":"work"}],"phoneNumbers":[{"value":"+1 555","type":"mobile"}],"memberships":[{"contactGroupMembership":{"contactGroupResourceName":"contactGroups/friends"}}],"birthdays":[{"date":{"month":4,"day":12}}]},{"resourceName":"people/c2"}],"nextPageToken":"x","totalPeople":2,"totalItems":2}"#.utf8)]
        }
    ) { bytes in
        guard let page = GooglePageDecoding.contacts(fromPage: bytes, groupNames: ["contactGroups/friends": "Friends"]) else { return }
        checkPage(page, records: listCount(bytes, key: "connections"), in: "connections")
    }

    static let graph = FuzzTarget(
        "graph-page", "Microsoft Graph contact pages: each record read or skipped once, round trip",
        seeds: {
            [Array(#"{"@odata.context":"x","value":[{"id":"AAMk1","givenName":"Ann","surname":"Lee","emailAddresses":[{"name":"Ann","address":"ann@example.org"}],"mobilePhone":"+1 555","homeAddress":{"street":"1 Main St","city":"Town"},"birthday":"1990-04-12T11:59:00Z","categories":["Friends"],"personalNotes":"n"},{"id":"AAMk2","displayName":""}],"@odata.nextLink":"https://graph.microsoft.com/v1.0/me/contacts?$skip=2"}"#.utf8)]
        }
    ) { bytes in
        guard let page = GraphPageDecoding.contacts(fromPage: bytes) else { return }
        checkPage(page, records: listCount(bytes, key: "value"), in: "value")
    }

    private static func checkPage(_ page: (contacts: [Contact], skipped: [SkippedRecord]), records: Int?, in key: String) {
        var seen = Set<Int>()
        for record in page.skipped {
            require(seen.insert(record.line).inserted, "record \(record.line) reported skipped twice")
            if let records {
                require((1...max(1, records)).contains(record.line), "skipped record \(record.line) of \(records)")
            }
        }
        if let records {
            require(page.contacts.count + page.skipped.count == records,
                    "\(page.contacts.count) read + \(page.skipped.count) skipped of \(records) records in \(key)")
        }
        RoundTrip.check(page.contacts, through: [.vcard4, .json])
    }

    /// The length of the top-level list `key` as Foundation's JSON parser reads it; nil
    /// when it cannot tell (not JSON to it, a key given twice).
    private static func listCount(_ bytes: [UInt8], key: String) -> Int? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else { return nil }
        return (object[key] as? [Any])?.count
    }
}
