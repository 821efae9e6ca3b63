import Foundation

/// A domain key and password as the request carried them: HTTP Basic first (sent at once,
/// or after our 401 challenge), else the `domain_key` / `domain_password` parameters of
/// the query or the body. Never logged, never echoed.
struct DomainCredentials: Sendable, Equatable {
    var key: String
    var password: String

    /// Nil when the request carries no usable credentials.
    static func from(authorization: String?, parameters: RequestParameters) -> DomainCredentials? {
        if let authorization, let basic = basic(authorization) { return basic }
        guard let key = parameters.text("domain_key"), let password = parameters["domain_password"], !password.isEmpty else {
            return nil
        }
        return DomainCredentials(key: key, password: password)
    }

    /// `Basic base64(key:password)`; the scheme name is case-insensitive (RFC 7617).
    /// Every API request carries one, so it is read without Foundation's Unicode-wide
    /// trimming (a twelfth of the server's time under load on `events`): HTTP's optional white space is
    /// only spaces and tabs.
    static func basic(_ header: String) -> DomainCredentials? {
        let trimmed = trimmingBlanks(Substring(header))
        guard let space = trimmed.firstIndex(of: " "), trimmed[..<space].lowercased() == "basic" else { return nil }
        let encoded = trimmingBlanks(trimmed[trimmed.index(after: space)...])
        guard let data = Data(base64Encoded: String(encoded)), let decoded = String(data: data, encoding: .utf8),
              let colon = decoded.firstIndex(of: ":") else { return nil }
        let key = String(decoded[..<colon])
        let password = String(decoded[decoded.index(after: colon)...])
        guard !key.isEmpty, !password.isEmpty else { return nil }
        return DomainCredentials(key: key, password: password)
    }

    private static func trimmingBlanks(_ text: Substring) -> Substring {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = text.firstIndex(where: { !isBlank($0) }), let last = text.lastIndex(where: { !isBlank($0) }) else { return "" }
        return text[first...last]
    }
}
