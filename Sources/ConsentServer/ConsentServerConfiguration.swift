import Foundation
import Logging

extension ConsentServer {
    public struct Configuration: Sendable {
        /// Where the server listens. Loopback with a port the system picks, unless told
        /// otherwise: nothing but this machine can reach the pages by default.
        public var listen: ListenAddress
        /// The address people open, when it differs from the listening one (a LAN address,
        /// an `ssh -L` forward, a TLS reverse proxy). Pages are at `<publicURL>/c/<token>`.
        public var publicURL: PublicBaseURL?
        /// The largest file an upload page takes, in bytes.
        public var uploadLimit: Int
        /// How long the server stays up with no page published before it stops listening.
        public var idleTimeout: Duration
        /// Timeouts and the connection limit (see `ConnectionLimits`).
        public var connections: ConnectionLimits
        /// Where the server logs. Silent by default: the CLI keeps stdout for contacts.
        /// Nothing logged names a page token.
        public var logger: Logger

        public static let defaultUploadLimit = 50_000_000

        public init(listen: ListenAddress = .loopback, publicURL: PublicBaseURL? = nil,
                    uploadLimit: Int = Configuration.defaultUploadLimit, idleTimeout: Duration = .seconds(60),
                    connections: ConnectionLimits = .init(),
                    logger: Logger = Logger(label: "contact-import.consent", factory: { _ in SwiftLogNoOpLogHandler() })) {
            self.listen = listen
            self.publicURL = publicURL
            self.uploadLimit = max(1, uploadLimit)
            self.idleTimeout = idleTimeout
            self.connections = connections
            self.logger = logger
        }
    }
}

/// A listening address written `HOST:PORT`, `[IPv6]:PORT` or `:PORT` (loopback). Port 0
/// lets the system pick a free one.
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public static let loopback = ListenAddress(host: "127.0.0.1", port: 0)

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public init(parsing text: String) throws {
        let text = text.trimmingCharacters(in: .whitespaces)
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                throw ConsentServerSettingError.listen(text, "write an IPv6 address as [ADDRESS]:PORT")
            }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else {
                throw ConsentServerSettingError.listen(text, "expected HOST:PORT, e.g. 0.0.0.0:8080")
            }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            if host.contains(":") {
                throw ConsentServerSettingError.listen(text, "write an IPv6 address as [ADDRESS]:PORT")
            }
        }
        guard !portText.isEmpty, portText.allSatisfy(\.isASCII), portText.allSatisfy(\.isNumber),
              let port = Int(portText), (0...65535).contains(port) else {
            throw ConsentServerSettingError.listen(text, "the port must be a number from 0 to 65535")
        }
        guard !host.contains(where: { $0.isWhitespace || $0 == "/" }) else {
            throw ConsentServerSettingError.listen(text, "the host must be an address or a name")
        }
        self.init(host: host.isEmpty ? Self.loopback.host : String(host), port: port)
    }

    public var description: String { "\(Self.urlHost(host)):\(port)" }

    /// Whether the address means every interface, which is no address to give a browser.
    var isWildcard: Bool { host == "0.0.0.0" || host == "::" }

    /// A host as it is written in a URL (IPv6 in brackets).
    static func urlHost(_ host: String) -> String { host.contains(":") ? "[\(host)]" : host }
}

/// The start of every page URL, e.g. `https://contacts.example.org` or
/// `http://192.168.1.20:8080`; an optional path prefix is kept, a trailing slash dropped.
public struct PublicBaseURL: Sendable, Hashable, CustomStringConvertible {
    public let description: String

    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https" else {
            throw ConsentServerSettingError.publicURL(text, "expected an http:// or https:// URL")
        }
        guard let host = components.host, !host.isEmpty else {
            throw ConsentServerSettingError.publicURL(text, "the URL has no host")
        }
        guard components.query == nil, components.fragment == nil, components.user == nil, components.password == nil else {
            throw ConsentServerSettingError.publicURL(text, "give only scheme, host, port and path")
        }
        var base = trimmed
        while base.hasSuffix("/") { base.removeLast() }
        description = base
    }

    init(verbatim: String) { description = verbatim }
}

/// A listening address or public URL that cannot be used, with the reason.
public enum ConsentServerSettingError: Error, Hashable, CustomStringConvertible {
    case listen(String, String)
    case publicURL(String, String)

    public var description: String {
        switch self {
        case .listen(let text, let reason): return "invalid listening address \"\(text)\": \(reason)"
        case .publicURL(let text, let reason): return "invalid public URL \"\(text)\": \(reason)"
        }
    }
}
