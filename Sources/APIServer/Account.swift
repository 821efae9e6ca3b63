import Foundation

/// A customer of the API: a web application that begins imports with its domain key and
/// password. Only a slow hash of the password is kept.
public struct Account: Sendable, Hashable, Codable {
    public var name: String
    public var domainKey: String
    public var passwordHash: PasswordHash
    /// The hosts `redirect_url` may point to (exact names, or `*.example.org` for any
    /// subdomain). Empty: no `redirect_url` is accepted.
    public var redirectHosts: [String]

    public init(name: String, domainKey: String, passwordHash: PasswordHash, redirectHosts: [String] = []) {
        self.name = name
        self.domainKey = domainKey
        self.passwordHash = passwordHash
        self.redirectHosts = redirectHosts
    }

    enum CodingKeys: String, CodingKey {
        case name
        case domainKey = "domain_key"
        case passwordHash = "password_hash"
        case redirectHosts = "redirect_hosts"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        domainKey = try container.decode(String.self, forKey: .domainKey)
        passwordHash = try container.decode(PasswordHash.self, forKey: .passwordHash)
        redirectHosts = try container.decodeIfPresent([String].self, forKey: .redirectHosts) ?? []
    }

    /// Whether `redirect_url` may send the browser to `url`: an http(s) address on one of
    /// the account's hosts.
    public func permitsRedirect(to url: String) -> Bool {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host?.lowercased(), !host.isEmpty else { return false }
        return redirectHosts.contains { pattern in
            let pattern = pattern.lowercased()
            if pattern.hasPrefix("*.") { return host.hasSuffix(pattern.dropFirst(1)) }
            return host == pattern
        }
    }
}

/// A new account's credentials, shown once when it is made.
public struct IssuedCredentials: Sendable {
    public let domainKey: String
    public let domainPassword: String

    /// A 20-character key (upper-case letters and digits) and a 32-character password
    /// (base64url alphabet), both from the system's random generator.
    public static func generate() -> IssuedCredentials {
        var generator = SystemRandomNumberGenerator()
        let keyAlphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        let passwordAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let key = String((0..<20).map { _ in keyAlphabet[Int.random(in: 0..<keyAlphabet.count, using: &generator)] })
        let password = String((0..<32).map { _ in passwordAlphabet[Int.random(in: 0..<passwordAlphabet.count, using: &generator)] })
        return IssuedCredentials(domainKey: key, domainPassword: password)
    }

    /// `{"domain_key": "...", "domain_password": "..."}`: the one time the password is shown.
    public var json: String {
        "{\"domain_key\": \"\(domainKey)\", \"domain_password\": \"\(domainPassword)\"}"
    }
}
