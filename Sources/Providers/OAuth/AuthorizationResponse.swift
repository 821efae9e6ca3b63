import Foundation
import ImportCore

/// What a provider's consent page sent back through the redirect (RFC 6749 §4.1.2): a
/// code to exchange for tokens, or the reason there is none.
package enum AuthorizationResponse: Sendable {
    case code(Secret)
    /// `error` as the provider spells it (`access_denied` when the person clicked Cancel).
    case refused(error: String, description: String?)

    /// Reads a redirect's query items; nil when they carry neither a code nor an error.
    /// The state is checked by the caller.
    package init?(query: [String: String]) {
        if let error = query["error"], !error.isEmpty {
            self = .refused(error: error, description: query["error_description"])
        } else if let code = query["code"], !code.isEmpty {
            self = .code(Secret(code))
        } else {
            return nil
        }
    }

    /// The query of a redirect address (`/?code=…&state=…`), percent-decoded; a repeated
    /// name keeps its first value.
    package static func queryItems(of target: Substring) -> [String: String] {
        var query = target
        if let hash = query.firstIndex(of: "#") { query = query[..<hash] }
        if let mark = query.firstIndex(of: "?") { query = query[query.index(after: mark)...] }
        var items: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]), items[name] == nil else { continue }
            items[name] = parts.count > 1 ? decode(parts[1]) ?? "" : ""
        }
        return items
    }

    private static func decode(_ text: Substring) -> String? {
        String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}

/// The text a person pasted after consent: the address the browser ended on, or only the
/// code in it. An address must carry this sign-in's `state`; a bare code cannot be checked
/// that way, and the token endpoint refuses one that is not ours (with the verifier).
package enum PastedAuthorization {
    package static func parse(_ text: String, expectedState: String) throws -> AuthorizationResponse {
        let pasted = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !pasted.isEmpty else {
            throw ImportError(.invalidParameters, "nothing was pasted: paste the address your browser ended on, or the code in it")
        }
        let looksLikeAddress = pasted.contains("://") || pasted.hasPrefix("/") || pasted.hasPrefix("?")
            || pasted.contains("code=") || pasted.contains("error=") || pasted.contains("state=")
        guard looksLikeAddress else {
            guard pasted.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) }), pasted.count <= 4096 else {
                throw ImportError(.invalidParameters, "that is neither an address nor a code: paste the whole address from the browser's address bar")
            }
            return .code(Secret(pasted))
        }
        let query = AuthorizationResponse.queryItems(of: Substring(pasted))
        guard let state = query["state"], !state.isEmpty else {
            throw ImportError(.invalidParameters, "the address has no state: paste the whole address from the browser's address bar")
        }
        guard constantTimeEquals(state, expectedState) else {
            throw ImportError(.invalidParameters, "the address belongs to another sign-in (its state does not match this import's); paste the address of this import's consent")
        }
        guard let response = AuthorizationResponse(query: query) else {
            throw ImportError(.invalidParameters, "the address carries no code: paste the address the browser ended on after consent")
        }
        return response
    }

    /// Compares without stopping at the first difference, so timing tells nothing of the state.
    package static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}
