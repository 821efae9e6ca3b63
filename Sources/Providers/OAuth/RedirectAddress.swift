import Foundation
import ImportCore

/// What a person pasted after consent: the address their browser ended on (the redirect
/// with `code` and `state`, or `error`), or the code alone where the provider shows it.
package enum RedirectAddress: Equatable, Sendable {
    case code(String)
    case refused(String?)

    /// Reads `text`; throws 2 when it holds no code, or a `state` other than `expectedState`
    /// (an address from another sign-in, which must not be used).
    package static func parse(_ text: String, expectedState: String) throws -> RedirectAddress {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw ImportError(.invalidParameters, "nothing was pasted") }
        guard trimmed.contains("?") || trimmed.contains("://") || trimmed.contains("=") else {
            guard trimmed.allSatisfy({ !$0.isWhitespace }) else {
                throw ImportError(.invalidParameters, "that is neither an address nor a code")
            }
            return .code(trimmed)
        }
        let query = trimmed.split(separator: "?", maxSplits: 1).last.map(String.init) ?? trimmed
        var fields: [String: String] = [:]
        for pair in query.split(separator: "#", maxSplits: 1).first?.split(separator: "&") ?? [] {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard let name = parts.first else { continue }
            let value = parts.count > 1 ? String(parts[1]) : ""
            fields[String(name)] = (value.replacingOccurrences(of: "+", with: " ").removingPercentEncoding) ?? value
        }
        if let state = fields["state"], state != expectedState {
            throw ImportError(.invalidParameters, "that address belongs to another sign-in (its state does not match); paste the address of this one")
        }
        if let error = fields["error"] {
            guard fields["state"] != nil else {
                throw ImportError(.invalidParameters, "that address carries no state, so it cannot be checked against this sign-in")
            }
            return .refused(fields["error_description"] ?? error)
        }
        guard let code = fields["code"], !code.isEmpty else {
            throw ImportError(.invalidParameters, "that address has no code in it; paste the whole address the browser ended on")
        }
        return .code(code)
    }
}
