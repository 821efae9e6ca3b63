import Foundation
import ImportCore

/// The browser sign-in (`auth-flow=browser`): authorization code with PKCE at Entra's
/// `/authorize`, the redirect caught by a listener on 127.0.0.1, or the address the browser
/// ended on pasted by the person when the browser is on another machine. For organisations
/// that block the device-code flow with Conditional Access.
struct MicrosoftBrowserSignIn: Sendable {
    let wait: AuthorizationWait
    let pkce: PKCE
    let redirectURI: String

    /// Entra's consent page for this sign-in.
    func consentURL(endpoints: MicrosoftEndpoints, clientID: String) -> String {
        let fields = [
            ("client_id", clientID), ("response_type", "code"), ("redirect_uri", redirectURI), ("response_mode", "query"),
            ("scope", MicrosoftEndpoints.scope), ("state", wait.state), ("code_challenge", pkce.challenge),
            ("code_challenge_method", pkce.method),
        ]
        return endpoints.authorizeURL + "?" + FormEncoding.encode(fields)
    }

    /// Waits for the redirect (or the pasted address) and trades its code for tokens.
    func grant(_ http: ProviderHTTP, endpoints: MicrosoftEndpoints, clientID: String) async throws -> TokenGrant {
        switch try await wait.response() {
        case .refused(let error, let description):
            throw EntraRefusal.importError(TokenRefusal(status: 0, error: error, description: description, codes: []))
        case .code(let code):
            let fields = [
                ("grant_type", "authorization_code"), ("client_id", clientID), ("code", code.value),
                ("redirect_uri", redirectURI), ("code_verifier", pkce.verifier.value), ("scope", MicrosoftEndpoints.scope),
            ]
            switch try await TokenEndpoint.post(http, url: endpoints.tokenURL, fields: fields) {
            case .success(let grant): return grant
            case .failure(let refusal): throw EntraRefusal.importError(refusal, secrets: [code, pkce.verifier])
            }
        }
    }
}
