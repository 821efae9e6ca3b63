/// An absolute http(s) location on a DAV server, kept as the server spelled it: the path
/// stays percent-encoded exactly as received, so an href is never decoded and encoded
/// again (which would turn `%3A` into `:` or break `%2F`). Only bytes that cannot appear in
/// a URL at all (spaces, non-ASCII, a `%` not starting an escape) are escaped on the way in.
struct DAVLocation: Hashable, Sendable, CustomStringConvertible {
    var scheme: String
    var host: String
    var port: Int?
    /// Percent-encoded path, starting with `/`, with any query.
    var path: String

    init(scheme: String, host: String, port: Int?, path: String) {
        self.scheme = scheme.lowercased()
        self.host = host.lowercased()
        let defaultPort = self.scheme == "https" ? 443 : 80
        self.port = port == defaultPort ? nil : port
        self.path = path.isEmpty ? "/" : path
    }

    /// Parses an absolute `http://` or `https://` URL; nil for anything else.
    init?(absolute text: String) {
        let text = text.trimmingSpaces
        guard let schemeEnd = text.range(of: "://") else { return nil }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        let rest = text[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        // Credentials in the URL are not used (they would end up in logs); drop them.
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        var host = Substring(authority)
        var port: Int?
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return nil }
            let after = host[host.index(after: close)...]
            if after.hasPrefix(":") {
                guard let value = Int(after.dropFirst()), (1...65535).contains(value) else { return nil }
                port = value
            } else if !after.isEmpty {
                return nil
            }
            host = host[...close]
        } else if let colon = host.lastIndex(of: ":") {
            let portText = host[host.index(after: colon)...]
            if !portText.isEmpty {
                guard let value = Int(portText), (1...65535).contains(value) else { return nil }
                port = value
            }
            host = host[..<colon]
        }
        guard !host.isEmpty else { return nil }
        var path = String(rest[authorityEnd...])
        if let hash = path.firstIndex(of: "#") { path = String(path[..<hash]) }
        if !path.hasPrefix("/") { path = "/" + path }
        self.init(scheme: scheme, host: String(host), port: port, path: Self.escapingUnsafeBytes(path))
    }

    var origin: String {
        "\(scheme)://\(host)" + (port.map { ":\($0)" } ?? "")
    }

    var url: String { origin + path }

    var description: String { url }

    var isSecure: Bool { scheme == "https" }

    /// The same server at another path (already percent-encoded).
    func with(path: String) -> DAVLocation {
        DAVLocation(scheme: scheme, host: host, port: port, path: path)
    }

    /// Resolves an href or a `Location` header against this location (RFC 3986 §5.2,
    /// with the path forms DAV servers use).
    func resolving(_ reference: String) -> DAVLocation? {
        let reference = reference.trimmingSpaces
        guard !reference.isEmpty else { return nil }
        if reference.contains("://") { return DAVLocation(absolute: reference) }
        if reference.hasPrefix("//") { return DAVLocation(absolute: scheme + ":" + reference) }
        var target = reference
        if let hash = target.firstIndex(of: "#") { target = String(target[..<hash]) }
        if !target.hasPrefix("/") {
            let base = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]
            let directory = base.hasSuffix("/") ? String(base) : String(base[...(base.lastIndex(of: "/") ?? base.startIndex)])
            target = directory + target
        }
        return with(path: Self.removingDotSegments(Self.escapingUnsafeBytes(target)))
    }

    /// A key that two spellings of the same resource share: the decoded path without a
    /// trailing slash. Servers differ in how they escape hrefs in answers (`@` or `%40`).
    var matchKey: String {
        var decoded = Self.percentDecoded(path)
        while decoded.count > 1 && decoded.hasSuffix("/") { decoded.removeLast() }
        return origin + decoded
    }

    /// The last path segment, decoded (`Contacts` for `/alice/Contacts/`).
    var lastSegment: String {
        let segments = path.split(separator: "/")
        return segments.last.map { Self.percentDecoded(String($0)) } ?? ""
    }

    // MARK: - Escaping

    /// Escapes what may not appear in a URL path; keeps existing `%XX` escapes as they are.
    static func escapingUnsafeBytes(_ path: String) -> String {
        let bytes = Array(path.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                if index + 2 < bytes.count, isHex(bytes[index + 1]), isHex(bytes[index + 2]) {
                    output.append(byte)
                } else {
                    output += Array("%25".utf8)
                }
            } else if isAllowed(byte) {
                output.append(byte)
            } else {
                output += Array("%\(hexDigit(byte >> 4))\(hexDigit(byte & 0x0F))".utf8)
            }
            index += 1
        }
        return String(decoding: output, as: UTF8.self)
    }

    static func percentDecoded(_ text: String) -> String {
        guard text.contains("%") else { return text }
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
               let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func removingDotSegments(_ path: String) -> String {
        guard path.contains("/.") else { return path }
        let parts = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var output: [Substring] = []
        let segments = parts[0].split(separator: "/", omittingEmptySubsequences: false)
        for (position, segment) in segments.enumerated() {
            if segment == "." { if position == segments.count - 1 { output.append("") }; continue }
            if segment == ".." {
                if output.count > 1 { output.removeLast() }
                if position == segments.count - 1 { output.append("") }
                continue
            }
            output.append(segment)
        }
        var result = output.joined(separator: "/")
        if !result.hasPrefix("/") { result = "/" + result }
        if parts.count > 1 { result += "?" + parts[1] }
        return result
    }

    private static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return Array("-._~!$&'()*+,;=:@/?".utf8).contains(byte)
        }
    }

    private static func isHex(_ byte: UInt8) -> Bool { hexValue(byte) != nil }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    private static func hexDigit(_ value: UInt8) -> Character {
        Character(Unicode.Scalar(value < 10 ? value + 48 : value + 55))
    }
}

extension String {
    /// `trimmingSpaces` without a copy when there is nothing to trim (visible ASCII at
    /// both ends), which is most values.
    var trimmingSpaces: String {
        if let first = utf8.first, let last = utf8.last, (0x21...0x7E).contains(first), (0x21...0x7E).contains(last) {
            return self
        }
        return Substring(self).trimmingSpaces
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
