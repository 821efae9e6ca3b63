import Foundation

/// The domain key and password a CloudSponge-compatible server knows its customer by.
/// The password leaves this value only inside the `Authorization` header: it has no
/// description of its own, so neither a log line nor an error can show it.
public struct DomainCredentials: Sendable, CustomStringConvertible, CustomReflectable {
    public let key: String
    private let password: String

    public init(key: String, password: String) {
        self.key = key
        self.password = password
    }

    /// HTTP Basic, sent with every request (not only after a challenge).
    var authorization: String {
        "Basic " + Data("\(key):\(password)".utf8).base64EncodedString()
    }

    public var description: String { "domain key \(key)" }

    /// `dump` and debuggers see the key only.
    public var customMirror: Mirror { Mirror(self, children: ["key": key]) }
}
