import Foundation

/// `people.connections.list`'s answer. An empty address book has no `connections`.
struct GoogleConnectionsPage: Decodable, Sendable {
    var connections: [EachRecord<GooglePerson>]?
    var nextPageToken: String?
    var totalItems: Int?
    /// The deprecated name of `totalItems`, still sent.
    var totalPeople: Int?
}

extension GoogleConnectionsPage {
    /// The page read with `GoogleJSONScanner`; nil when it is not a connections page.
    @Sendable static func scan(_ body: [UInt8]) -> GoogleConnectionsPage? {
        GoogleJSONScanner.page(body, listKey: "connections", totalKeys: ["totalItems", "totalPeople"]).map {
            GoogleConnectionsPage(connections: $0.records, nextPageToken: $0.nextPageToken, totalItems: $0.total)
        }
    }
}

/// `otherContacts.list`'s answer (its total is `totalSize`).
struct GoogleOtherContactsPage: Decodable, Sendable {
    var otherContacts: [EachRecord<GooglePerson>]?
    var nextPageToken: String?
    var totalSize: Int?
}

extension GoogleOtherContactsPage {
    @Sendable static func scan(_ body: [UInt8]) -> GoogleOtherContactsPage? {
        GoogleJSONScanner.page(body, listKey: "otherContacts", totalKeys: ["totalSize"]).map {
            GoogleOtherContactsPage(otherContacts: $0.records, nextPageToken: $0.nextPageToken, totalSize: $0.total)
        }
    }
}

/// `contactGroups.list`'s answer.
struct GoogleGroupsPage: Decodable, Sendable {
    var contactGroups: [EachRecord<Group>]?
    var nextPageToken: String?

    struct Group: Decodable, Sendable {
        var resourceName: String?
        var name: String?
        /// Localised, and the one to show for system groups ("Starred").
        var formattedName: String?
        var groupType: String?
    }
}

/// Google's error envelope: `{"error": {"code": 403, "message": "…", "status": "PERMISSION_DENIED"}}`.
struct GoogleErrorBody: Decodable, Sendable {
    var error: Detail

    struct Detail: Decodable, Sendable {
        var code: Int?
        var message: String?
        var status: String?
    }
}
