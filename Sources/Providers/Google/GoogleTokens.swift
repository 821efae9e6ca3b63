import ImportCore

/// The tokens of one Google import, in memory only: the code exchange, the one refresh
/// after a 401, and revocation when the import ends (however it ends), so no grant
/// outlives the import.
actor GoogleTokens {
    private let http: ProviderHTTP
    private let settings: GoogleSettings
    private let clientID: String
    private let clientSecret: Secret
    private var grant: TokenGrant?
    private var revoked = false

    init(http: ProviderHTTP, settings: GoogleSettings, clientID: String, clientSecret: Secret) {
        self.http = http
        self.settings = settings
        self.clientID = clientID
        self.clientSecret = clientSecret
    }

    /// Exchanges the consent's code (with the PKCE verifier and the same redirect URI).
    func exchange(code: Secret, verifier: Secret, redirectURI: String) async throws -> TokenGrant {
        let result = try await TokenEndpoint.post(http, url: settings.tokenURL, fields: [
            ("grant_type", "authorization_code"), ("code", code.value), ("code_verifier", verifier.value),
            ("redirect_uri", redirectURI), ("client_id", clientID), ("client_secret", clientSecret.value),
        ])
        switch result {
        case .success(let granted):
            keep(granted)
            return granted
        case .failure(let refusal):
            throw Self.error(refusal, doing: "exchange the sign-in's code for a token")
        }
    }

    /// A new access token from the refresh token.
    func refresh(_ refreshToken: Secret) async throws -> TokenGrant {
        let result = try await TokenEndpoint.post(http, url: settings.tokenURL, fields: [
            ("grant_type", "refresh_token"), ("refresh_token", refreshToken.value),
            ("client_id", clientID), ("client_secret", clientSecret.value),
        ])
        switch result {
        case .success(var granted):
            if granted.refreshToken == nil { granted.refreshToken = refreshToken }
            keep(granted)
            return granted
        case .failure(let refusal):
            throw Self.error(refusal, doing: "renew the access token")
        }
    }

    private func keep(_ granted: TokenGrant) {
        guard !revoked else { return }
        grant = granted
    }

    /// Revokes the grant (the refresh token revokes its access tokens too). Once; a
    /// failure is ignored, the tokens die with the process anyway.
    func revoke() async {
        guard !revoked else { return }
        revoked = true
        guard let grant else { return }
        self.grant = nil
        let token = grant.refreshToken ?? grant.accessToken
        _ = try? await http.send(.form(settings.revokeURL, [("token", token.value)]), attempts: 1)
    }

    /// Google's `error` codes are not secrets; its descriptions are short and also not.
    static func error(_ refusal: TokenRefusal, doing what: String) -> ImportError {
        let said = refusal.description.map { ": \($0.prefix(200))" } ?? ""
        switch refusal.error {
        case "invalid_client", "unauthorized_client":
            return ImportError(.consentUnexpected, "Google refused this machine's OAuth client (\(refusal.error)\(said)); check google.client-id and google.client-secret")
        case "access_denied":
            return ImportError(.consentRefused, "Google refused to \(what) (\(refusal.error)\(said))")
        default:
            return ImportError(.consentUnexpected, "Google refused to \(what) (\(refusal.error)\(said))")
        }
    }
}
