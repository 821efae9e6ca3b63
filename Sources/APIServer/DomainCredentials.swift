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
    static func basic(_ header: String) -> DomainCredentials? {
        let trimmed = header.trimmingCharacters(in: .whitespaces)
        guard let space = trimmed.firstIndex(of: " "), trimmed[..<space].lowercased() == "basic" else { return nil }
        let encoded = trimmed[trimmed.index(after: space)...].trimmingCharacters(in: .whitespaces)
        guard let data = Data(base64Encoded: encoded), let decoded = String(data: data, encoding: .utf8),
              let colon = decoded.firstIndex(of: ":") else { return nil }
        let key = String(decoded[..<colon])
        let password = String(decoded[decoded.index(after: colon)...])
        guard !key.isEmpty, !password.isEmpty else { return nil }
        return DomainCredentials(key: key, password: password)
    }
}
