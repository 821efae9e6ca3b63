import Foundation
import ImportCore

/// Turns Entra's refusals (device-code and token endpoints) into table codes, with the
/// provider's own words: its `error_description` cut to its first line (the rest is trace
/// and correlation ids) and with any secret of the import blotted out.
enum EntraRefusal {
    /// AADSTS65004: the person pressed Cancel on the consent page.
    static let declinedCodes: Set<Int> = [65004]
    /// AADSTS65001 (consent missing and not grantable by the user), AADSTS90094 (admin
    /// approval required), AADSTS90095 (admin approval requested).
    static let adminConsentCodes: Set<Int> = [65001, 90094, 90095]
    /// AADSTS7000218: the app registration does not allow public client flows.
    static let publicClientCodes: Set<Int> = [7000218]

    static func importError(_ refusal: TokenRefusal, secrets: [Secret] = []) -> ImportError {
        let said = words(of: refusal, secrets: secrets)
        if ["authorization_declined", "access_denied"].contains(refusal.error) || mentions(refusal, declinedCodes) {
            return ImportError(.consentRefused, "the Microsoft account did not allow access (\(said))")
        }
        if ["expired_token", "code_expired"].contains(refusal.error) {
            return ImportError(.consentTimedOut, "the sign-in code expired before it was used (\(said))")
        }
        if refusal.error == "consent_required" || mentions(refusal, adminConsentCodes) {
            return ImportError(.consentUnexpected,
                               "an administrator of the organisation must approve this app before its accounts can import contacts (\(said))")
        }
        if mentions(refusal, publicClientCodes) {
            return ImportError(.consentUnexpected,
                               "the app registration must allow public client flows (Authentication, \"Allow public client flows\") (\(said))")
        }
        return ImportError(.consentUnexpected, "Microsoft refused the sign-in (\(said))")
    }

    /// `error: first line of error_description`, without secrets.
    static func words(of refusal: TokenRefusal, secrets: [Secret]) -> String {
        var line = refusal.description?.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        if let trace = line.range(of: " Trace ID:") { line = String(line[..<trace.lowerBound]) }
        line = line.trimmingCharacters(in: .whitespaces)
        let text = line.isEmpty ? refusal.error : "\(refusal.error): \(line)"
        return redacted(String(text.prefix(400)), secrets)
    }

    static func redacted(_ text: String, _ secrets: [Secret]) -> String {
        secrets.reduce(text) { text, secret in
            secret.value.count < 4 ? text : text.replacingOccurrences(of: secret.value, with: "(hidden)")
        }
    }

    private static func mentions(_ refusal: TokenRefusal, _ codes: Set<Int>) -> Bool {
        if refusal.codes.contains(where: codes.contains) { return true }
        let description = refusal.description ?? ""
        return codes.contains { code in
            var rest = Substring(description)
            while let found = rest.range(of: "AADSTS\(code)") {
                rest = rest[found.upperBound...]
                // AADSTS65001 is not AADSTS650011.
                if rest.first.map({ !$0.isNumber }) ?? true { return true }
            }
            return false
        }
    }
}
