import Foundation
import ImportCore
import Synchronization

/// The People API calls of one import, with the import's bearer token: a 401 renews the
/// token once (`BearerSession`), a page that is not JSON of the expected shape is fetched
/// again (518 after the tries), and Google's refusals become table codes.
struct GooglePeopleAPI: Sendable {
    let http: ProviderHTTP
    let session: BearerSession
    let baseURL: String

    static let personFields = "names,nicknames,emailAddresses,phoneNumbers,addresses,organizations,birthdays,events,urls,biographies,memberships,photos,userDefined,metadata"
    static let otherContactsMask = "names,emailAddresses,phoneNumbers"
    static let pageSize = 1000

    func connections(pageToken: String?) async throws -> GoogleConnectionsPage {
        try await page(path: "/v1/people/me/connections",
                       query: [("personFields", Self.personFields), ("pageSize", "\(Self.pageSize)")], pageToken: pageToken,
                       what: "the contacts", decode: GoogleConnectionsPage.scan)
    }

    func otherContacts(pageToken: String?) async throws -> GoogleOtherContactsPage {
        try await page(path: "/v1/otherContacts",
                       query: [("readMask", Self.otherContactsMask), ("pageSize", "\(Self.pageSize)")], pageToken: pageToken,
                       what: "the other contacts", decode: GoogleOtherContactsPage.scan)
    }

    func groups(pageToken: String?) async throws -> GoogleGroupsPage {
        try await page(path: "/v1/contactGroups",
                       query: [("pageSize", "\(Self.pageSize)"), ("groupFields", "name,groupType")], pageToken: pageToken,
                       what: "the contact groups")
    }

    func me() async throws -> GooglePerson {
        try await page(path: "/v1/people/me", query: [("personFields", "names,emailAddresses")], pageToken: nil,
                       what: "the account's own name")
    }

    /// Every page repeats the first request's parameters, as the API asks, plus its token.
    private func page<Page: Decodable & Sendable>(path: String, query: [(String, String)], pageToken: String?, what: String,
                                                   decode: @escaping @Sendable ([UInt8]) -> Page? = Self.jsonDecode) async throws -> Page {
        let url = baseURL.trimmingTrailingSlashes + path + "?"
            + FormEncoding.encode(query + (pageToken.map { [("pageToken", $0)] } ?? []))
        let decoded = DecodedPage<Page>(decode: decode)
        let readable: @Sendable ([UInt8]) -> Bool = { body in decoded.decode(body) }
        var token = await session.accessToken
        var response = try await http.send(.bearer(url, token: token), readable: readable)
        if response.status == 401 {
            token = try await session.renew(after: token)
            response = try await http.send(.bearer(url, token: token), readable: readable)
        }
        if (200..<300).contains(response.status), let page = decoded.value {
            await session.worked(token)
            return page
        }
        throw Self.failure(response, what: what)
    }

    @Sendable static func jsonDecode<Page: Decodable>(_ body: [UInt8]) -> Page? {
        try? JSONDecoder().decode(Page.self, from: Data(body))
    }

    /// A refusal as a table code: 401 after renewal → 512, 403 → 514 (permission not
    /// granted), anything else → 256 with Google's status.
    static func failure(_ response: ProviderResponse, what: String) -> ImportError {
        let detail = try? JSONDecoder().decode(GoogleErrorBody.self, from: Data(response.body)).error
        let status = detail?.status.map { " (\($0))" } ?? ""
        switch response.status {
        case 401:
            return ImportError(.consentUnexpected, "Google refused the access token to \(what) even after it was renewed\(status)")
        case 403:
            return ImportError(.consentRefused, "Google refused access to \(what)\(status): permission was not granted for this account")
        case 404:
            return ImportError(.webmailUnexpected, "Google answered 404 for \(what)\(status)")
        default:
            let message = detail?.message.map { ": \($0.prefix(200))" } ?? ""
            return ImportError(.webmailUnexpected, "Google answered \(response.status) for \(what)\(status)\(message)")
        }
    }
}

/// The page decoded while checking that it is readable, so it is decoded only once.
private final class DecodedPage<Page: Sendable>: Sendable {
    private let page = Mutex<Page?>(nil)
    private let decoder: @Sendable ([UInt8]) -> Page?

    init(decode: @escaping @Sendable ([UInt8]) -> Page?) {
        decoder = decode
    }

    func decode(_ body: [UInt8]) -> Bool {
        guard let page = decoder(body) else { return false }
        self.page.withLock { $0 = page }
        return true
    }

    var value: Page? { page.withLock { $0 } }
}

extension String {
    var trimmingTrailingSlashes: String {
        var text = self
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }
}
