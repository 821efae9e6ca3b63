import Foundation
import ImportCore

/// Signing in through Yahoo's own page (authorization code grant, scope `sdct-r`, the
/// contacts' read permission). Yahoo shows the code on its page (`redirect_uri=oob`), so
/// the person pastes it; the code becomes an access token that the CardDAV client sends
/// as `Authorization: Bearer`.
struct YahooSignIn: Sendable {
    static let scope = "sdct-r"
    static let redirect = "oob"

    let settings: YahooSettings
    /// `oob` (Yahoo shows the code to paste), or a server's own `/auth` that Yahoo
    /// redirects to with the code.
    var redirectURI: String = YahooSignIn.redirect
    /// The pasted code (the page shows no redirect, so only a pasted address answers it).
    let wait = AuthorizationWait()
    var state: String { wait.state }

    /// The page the person opens.
    var consentURL: String {
        guard var components = URLComponents(string: settings.authURL) else { return settings.authURL }
        components.queryItems = (components.queryItems ?? []) + [
            URLQueryItem(name: "client_id", value: settings.clientID ?? ""),
            URLQueryItem(name: "redirect_uri", value: redirectURI),
            URLQueryItem(name: "response_type", value: "code"),
            URLQueryItem(name: "scope", value: Self.scope),
            URLQueryItem(name: "state", value: state),
        ]
        return components.string ?? settings.authURL
    }

    /// Trades the pasted code for an access token. A refused code is 512 with Yahoo's words.
    func accessToken(for code: Secret, http: ProviderHTTP) async throws -> Secret {
        let reply = try await TokenEndpoint.post(http, url: settings.tokenURL, fields: [
            ("grant_type", "authorization_code"),
            ("code", code.value),
            ("redirect_uri", redirectURI),
            ("client_id", settings.clientID ?? ""),
            ("client_secret", settings.clientSecret?.value ?? ""),
        ])
        switch reply {
        case .success(let grant):
            return grant.accessToken
        case .failure(let refusal):
            throw ImportError(.consentUnexpected, "Yahoo did not accept the code: \(refusal.description ?? refusal.error)")
        }
    }
}

/// A Yahoo import that signs in through Yahoo's page: waits for the pasted code, trades it
/// for a token, then reads the address book over CardDAV like the app-password import.
struct YahooSignedInSource: ContactSource {
    let signIn: YahooSignIn
    let limits: APILimits
    let carddav: @Sendable (DAVCredentials) -> CardDAVSource

    func gather(progress: any ImportProgressReporter) async throws -> GatheredContacts {
        let code: Secret
        switch try await signIn.wait.response() {
        case .code(let value):
            code = value
        case .refused(let error, let description):
            throw ImportError(.consentRefused, "Yahoo sign-in was refused: \(description ?? error)")
        }
        let http = ProviderHTTP(limits: limits)
        let token: Secret
        do {
            token = try await signIn.accessToken(for: code, http: http)
            await http.shutdown()
        } catch {
            await http.shutdown()
            throw error
        }
        return try await carddav(.bearer(token)).gather(progress: progress)
    }
}
