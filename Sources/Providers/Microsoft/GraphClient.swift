import Foundation
import ImportCore
import Synchronization

/// GETs JSON objects from Microsoft Graph with the import's bearer token. A 401 renews the
/// token once (a second one is 512); 403 means the account did not grant access (514);
/// any other refusal is 512 with Graph's own error code and message. 429 and 5xx are
/// retried by `ProviderHTTP` (264 after), pages that are not JSON too (518 after).
struct GraphClient: Sendable {
    let http: ProviderHTTP
    let session: BearerSession
    /// Where Graph lives (scheme, host, port): a `@odata.nextLink` elsewhere is refused, so
    /// the token is never sent to another host.
    let origin: String

    init(http: ProviderHTTP, session: BearerSession, root: String) {
        self.http = http
        self.session = session
        origin = ProviderRequest(.GET, root).origin
    }

    /// The object at `url`; `what` names it in errors ("the contacts of folder Family").
    /// With `missingIsNil`, 403 and 404 give nil instead of failing.
    func object(_ url: String, what: String, missingIsNil: Bool = false) async throws -> GraphObject? {
        guard ProviderRequest(.GET, url).origin == origin else {
            throw ImportError(.consentUnexpected, "Microsoft Graph sent a next-page link to another host (\(ProviderRequest(.GET, url).origin)) for \(what)")
        }
        var token = await session.accessToken
        while true {
            // The page is parsed once, by the check that it is readable.
            let parsed = ParsedPage()
            let response = try await http.send(.bearer(url, token: token), readable: { parsed.keep(GraphJSON.object(from: $0)) })
            switch response.status {
            case 200..<300:
                guard let object = parsed.object ?? GraphJSON.object(from: response.body) else {
                    throw ImportError(.providerUnreachable, "Microsoft Graph sent \(what) as something other than a JSON object")
                }
                return object
            case 401:
                token = try await session.renew(after: token)
            case 403 where missingIsNil, 404 where missingIsNil:
                return nil
            case 403:
                throw ImportError(.consentRefused, "Microsoft Graph refused access to \(what)\(Self.said(response.body)); the account did not grant reading contacts")
            default:
                throw ImportError(.consentUnexpected, "Microsoft Graph answered \(response.status) for \(what)\(Self.said(response.body))")
            }
        }
    }

    /// Graph's error envelope `{"error":{"code","message","innerError"}}` as ` (code: message)`.
    static func said(_ body: [UInt8]) -> String {
        guard case .object(let error)? = GraphJSON.object(from: body)?["error"] else { return "" }
        let code = error["code"]?.text ?? ""
        let message = error["message"]?.text?.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let text = [code, message].filter { !$0.isEmpty }.joined(separator: ": ")
        return text.isEmpty ? "" : " (\(text.prefix(300)))"
    }
}

/// The last page the readability check parsed.
private final class ParsedPage: Sendable {
    private let kept = Mutex<GraphObject?>(nil)

    func keep(_ object: GraphObject?) -> Bool {
        let found = object != nil
        kept.withLock { $0 = object }
        return found
    }

    var object: GraphObject? { kept.withLock { $0 } }
}
