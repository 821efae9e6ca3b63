import Foundation
import Providers

/// The OAuth apps from the environment: `CONTACT_IMPORT_GOOGLE_CLIENT_ID`,
/// `CONTACT_IMPORT_GOOGLE_CLIENT_SECRET`, the Google endpoints
/// (`CONTACT_IMPORT_GOOGLE_AUTH_URL`, `…_TOKEN_URL`, `…_REVOKE_URL`, `…_PEOPLE_URL`, for a
/// proxy or a private deployment) and the web APIs' patience (`CONTACT_IMPORT_API_ATTEMPTS`,
/// `CONTACT_IMPORT_API_RETRY_DELAY` and `CONTACT_IMPORT_API_TIMEOUT` in seconds,
/// `CONTACT_IMPORT_API_IMPORT_DEADLINE` in seconds). Secrets come from the environment or
/// a settings file, never from the command line.
enum OAuthEnvironment {
    static func apps(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> OAuthApps {
        func value(_ name: String) -> String? {
            guard let text = environment["CONTACT_IMPORT_" + name]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            return text
        }
        func seconds(_ name: String) -> Duration? {
            guard let text = value(name), let number = Double(text), number >= 0, number < 1e7 else { return nil }
            return .milliseconds(Int64(number * 1000))
        }
        var google = GoogleSettings(clientID: value("GOOGLE_CLIENT_ID"), clientSecret: value("GOOGLE_CLIENT_SECRET"))
        if let url = value("GOOGLE_AUTH_URL") { google.authURL = url }
        if let url = value("GOOGLE_TOKEN_URL") { google.tokenURL = url }
        if let url = value("GOOGLE_REVOKE_URL") { google.revokeURL = url }
        if let url = value("GOOGLE_PEOPLE_URL") { google.peopleURL = url }
        var limits = APILimits()
        if let attempts = value("API_ATTEMPTS").flatMap(Int.init), attempts > 0 { limits.maxAttempts = attempts }
        if let delay = seconds("API_RETRY_DELAY") { limits.retryDelay = delay }
        if let timeout = seconds("API_TIMEOUT"), timeout > .zero {
            limits.requestTimeout = timeout
            limits.connectTimeout = min(limits.connectTimeout, timeout)
        }
        if let deadline = seconds("API_IMPORT_DEADLINE"), deadline > .zero { limits.importDeadline = deadline }
        return OAuthApps(google: google, limits: limits)
    }
}
