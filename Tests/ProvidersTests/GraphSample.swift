import Foundation
@testable import Providers

/// A page of `GET /v1.0/me/contacts` as Graph answers it, with every field of the contact
/// resource filled in on the first record, a sparse second one, and one whose birthday was
/// saved without a year (Outlook's 1604) at noon.
enum GraphSample {
    static let page = #"""
    {"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users('00000000-0000-0000-a1b2-c3d4e5f60001')/contacts",
     "@odata.count":3,
     "value":[
      {"@odata.etag":"W/\"EQAAABYAAADn\"","id":"AAMkAGI2THVhAABGAAAAAA-ada=","createdDateTime":"2024-02-03T08:01:00Z",
       "lastModifiedDateTime":"2025-02-03T08:01:00Z","changeKey":"EQAAABYAAADn","categories":["Friends","VIP","Friends"],
       "parentFolderId":"AAMkAGI2TG93AAAuAAAAAA","birthday":"1815-12-10T00:00:00Z","fileAs":"Lovelace, Ada",
       "displayName":"Dr. Ada Augusta Lovelace KC","givenName":"Ada","initials":"A.L.","middleName":"Augusta",
       "nickName":"Addie","surname":"Lovelace","title":"Dr.","yomiGivenName":null,"yomiSurname":null,"yomiCompanyName":null,
       "generation":"KC","imAddresses":["sip:ada@example.org"],"jobTitle":"Analyst","companyName":"Analytical Engines Ltd",
       "department":"R&D","officeLocation":"Building 4","profession":"Engineer",
       "businessHomePage":"https://example.org/~ada","assistantName":"Charles Babbage","manager":"Grace Hopper",
       "homePhones":["+44 20 7946 0001",""],"mobilePhone":"+44 7700 900001","businessPhones":["+44 20 7946 0000","+44 20 7946 0002"],
       "spouseName":"William","personalNotes":"Met in London.\r\nLikes tea, \"strong\".","children":["Byron"],
       "emailAddresses":[{"name":"Ada Lovelace","address":"ada@example.org"},{"name":"Ada","address":"ada.lovelace@work.example"}],
       "homeAddress":{"street":"12 St James's Sq\r\nFlat 2","city":"London","state":"","countryOrRegion":"United Kingdom","postalCode":"SW1Y 4JH"},
       "businessAddress":{"street":"Königsallee 1","city":"Düsseldorf","state":"NRW","countryOrRegion":"Deutschland","postalCode":"40212"},
       "otherAddress":{"street":"Rua Augusta 100","city":"Lisboa","state":"","countryOrRegion":"Portugal","postalCode":"1100-053"}},
      {"@odata.etag":"W/\"EQAAABYAAADo\"","id":"AAMkAGI2THVhAABGAAAAAA-zoe=","displayName":"","givenName":null,"surname":null,
       "emailAddresses":[],"mobilePhone":"+44 7700 900002","homePhones":[],"businessPhones":[],"categories":[],
       "birthday":null,"homeAddress":{},"businessAddress":{},"otherAddress":{},"personalNotes":""},
      {"@odata.etag":"W/\"EQAAABYAAADp\"","id":"AAMkAGI2THVhAABGAAAAAA-jose=","displayName":"José García","givenName":"José",
       "surname":"García","birthday":"1604-02-29T11:59:00Z","emailAddresses":[{"name":"José","address":"jose@example.org"}],
       "homePhones":[],"businessPhones":[],"categories":[],"homeAddress":{},"businessAddress":{},"otherAddress":{}}
     ],
     "@odata.nextLink":"https://graph.microsoft.com/v1.0/me/contacts?$top=3&$skip=3"}
    """#

    static var object: GraphObject { GraphJSON.object(from: Array(page.utf8))! }

    static var records: [GraphJSON] {
        guard case .array(let items)? = object["value"] else { return [] }
        return items
    }

    /// One record from JSON text.
    static func record(_ text: String) -> GraphJSON {
        GraphJSON.parse(Array(text.utf8))!
    }
}
