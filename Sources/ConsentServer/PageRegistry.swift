import Foundation
import ImportCore

/// The pages a server has, by token, and the tokens it had: a page that was used or
/// withdrawn keeps answering "gone" (410) rather than "no such page" (404), so a person
/// who reloads a finished page learns why it stopped working.
struct PageRegistry {
    enum Retirement: Sendable, Equatable {
        /// The page had its answer (a decision, an upload, a cancellation).
        case used
        /// The import ended without the page being used (timeout, cancel elsewhere).
        case expired
    }

    enum Lookup {
        case live(any ConsentPage)
        case retired(Retirement)
        case unknown
    }

    /// How many retired tokens are remembered; older ones fall back to 404.
    let retiredCapacity: Int
    private var live: [String: any ConsentPage] = [:]
    private var retired: [String: Retirement] = [:]
    private var retiredOrder: [String] = []

    init(retiredCapacity: Int = 4096) {
        self.retiredCapacity = retiredCapacity
    }

    var isEmpty: Bool { live.isEmpty }

    mutating func add(_ page: any ConsentPage, token: String) {
        live[token] = page
    }

    func lookup(_ token: String) -> Lookup {
        if let page = live[token] { return .live(page) }
        if let reason = retired[token] { return .retired(reason) }
        return .unknown
    }

    /// Retires a live page, or records that a retired one was used after all (an upload
    /// that finished the import is withdrawn before its answer reaches the browser).
    mutating func retire(_ token: String, _ reason: Retirement) {
        if live.removeValue(forKey: token) != nil {
            retired[token] = reason
            retiredOrder.append(token)
            if retiredOrder.count > retiredCapacity {
                retired[retiredOrder.removeFirst()] = nil
            }
        } else if retired[token] == .expired, reason == .used {
            retired[token] = .used
        }
    }

    /// Forgets a page that never got out (its server could not start).
    mutating func remove(_ token: String) {
        live[token] = nil
    }
}

/// Page tokens: 128 bits from the system's secure generator, written as URL-safe base64
/// (22 characters), so a page address cannot be guessed or derived from another.
enum PageToken {
    static let byteCount = 16
    static let length = 22

    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(byteCount)
        for _ in 0..<(byteCount / 8) {
            withUnsafeBytes(of: generator.next() as UInt64) { bytes.append(contentsOf: $0) }
        }
        return base64URL(bytes)
    }

    /// Whether `text` has the shape of a token; anything else is answered 404 at once.
    static func isWellFormed(_ text: String) -> Bool {
        text.utf8.count == length && text.utf8.allSatisfy { alphabet.contains($0) }
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
