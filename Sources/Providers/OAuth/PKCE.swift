import Crypto
import Foundation

/// Proof Key for Code Exchange (RFC 7636, S256): a fresh verifier per sign-in, and the
/// challenge sent with the consent URL. The verifier never leaves memory but for the
/// token request.
package struct PKCE: Sendable {
    package let verifier: Secret
    package let challenge: String
    package let method = "S256"

    package init() {
        self.init(verifier: Self.randomToken(bytes: 32))
    }

    package init(verifier: String) {
        self.verifier = Secret(verifier)
        challenge = Self.base64URL(Array(SHA256.hash(data: Array(verifier.utf8))))
    }

    /// URL-safe random text with `bytes` bytes of entropy (43 characters for 32), for
    /// verifiers and `state`.
    package static func randomToken(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return base64URL((0..<bytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    package static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
