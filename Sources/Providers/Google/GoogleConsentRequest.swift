import Foundation

/// The consent page's address for one sign-in: authorization code flow with PKCE (S256),
/// `state`, offline access (a refresh token) and a fresh consent each time (Google sends
/// a refresh token only on a consent it has just shown).
struct GoogleConsentRequest: Sendable {
    static let contactsScope = "https://www.googleapis.com/auth/contacts.readonly"
    static let otherContactsScope = "https://www.googleapis.com/auth/contacts.other.readonly"

    var authURL: String
    var clientID: String
    var redirectURI: String
    var scopes: [String]
    var state: String
    var challenge: String

    var url: String {
        let fields = [
            ("client_id", clientID), ("redirect_uri", redirectURI), ("response_type", "code"),
            ("scope", scopes.joined(separator: " ")), ("code_challenge", challenge), ("code_challenge_method", "S256"),
            ("state", state), ("access_type", "offline"), ("prompt", "consent"),
        ]
        return authURL + (authURL.contains("?") ? "&" : "?") + FormEncoding.encode(fields)
    }
}
