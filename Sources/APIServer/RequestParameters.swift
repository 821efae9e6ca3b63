import Foundation

/// The parameters of one request: the query string and the form body (urlencoded or
/// multipart) merged, since clients put the same parameters in either place. A name in
/// both keeps the body's value; within one place the first occurrence wins. Names are
/// matched exactly; unknown names are carried and ignored.
struct RequestParameters: Sendable, Equatable {
    private(set) var values: [String: String]

    init(_ values: [String: String] = [:]) { self.values = values }

    init(query: String?, body: [String: String]) {
        var merged = Self.decode(query: query ?? "")
        for (name, value) in body { merged[name] = value }
        values = merged
    }

    subscript(_ name: String) -> String? { values[name] }

    /// The value with surrounding space removed, nil when absent or blank.
    func text(_ name: String) -> String? {
        guard let value = values[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    /// `a=1&b=two+words&c` → ["a": "1", "b": "two words", "c": ""].
    static func decode(query: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = decodeComponent(parts[0])
            guard !name.isEmpty, fields[name] == nil else { continue }
            fields[name] = parts.count > 1 ? decodeComponent(parts[1]) : ""
        }
        return fields
    }

    private static func decodeComponent(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
