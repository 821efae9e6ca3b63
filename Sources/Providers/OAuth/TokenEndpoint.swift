import Foundation
import ImportCore

/// What a token endpoint grants (RFC 6749 §5.1). The tokens stay in memory.
package struct TokenGrant: Sendable {
    package var accessToken: Secret
    package var refreshToken: Secret?
    package var expiresIn: Int?
    /// The scopes actually granted, space-separated; nil when the endpoint did not say.
    package var scope: String?

    package init(accessToken: Secret, refreshToken: Secret? = nil, expiresIn: Int? = nil, scope: String? = nil) {
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.expiresIn = expiresIn
        self.scope = scope
    }

    /// Whether `scope` lists every one of `wanted` (a missing `scope` means all were granted,
    /// as RFC 6749 §5.1 allows).
    package func grants(_ wanted: String) -> Bool {
        guard let scope else { return true }
        return scope.split(separator: " ").contains { $0 == wanted }
    }
}

/// A token endpoint's refusal (RFC 6749 §5.2), with Entra's `error_codes` when present.
package struct TokenRefusal: Error, Sendable {
    package var status: Int
    package var error: String
    package var description: String?
    package var codes: [Int]
}

/// Form POSTs to a token endpoint, answered with a grant or a refusal. Failures to reach
/// it are the HTTP client's codes; an answer that is neither is 512.
package enum TokenEndpoint {
    package static func post(_ http: ProviderHTTP, url: String, fields: [(String, String)]) async throws -> Result<TokenGrant, TokenRefusal> {
        let response = try await http.send(.form(url, fields))
        if (200..<300).contains(response.status),
           let body = try? JSONDecoder().decode(GrantBody.self, from: Data(response.body)) {
            return .success(TokenGrant(accessToken: Secret(body.access_token), refreshToken: body.refresh_token.map(Secret.init),
                                       expiresIn: body.expires_in, scope: body.scope))
        }
        if let body = try? JSONDecoder().decode(RefusalBody.self, from: Data(response.body)) {
            return .failure(TokenRefusal(status: response.status, error: body.error, description: body.error_description,
                                         codes: body.error_codes ?? []))
        }
        throw ImportError(.consentUnexpected, "\(ProviderRequest(.POST, url).origin) answered the token request with \(response.status) and no token")
    }

    private struct GrantBody: Decodable {
        var access_token: String
        var refresh_token: String?
        var expires_in: Int?
        var scope: String?
    }

    private struct RefusalBody: Decodable {
        var error: String
        var error_description: String?
        var error_codes: [Int]?
    }
}

/// The access token of one import, refreshed at most once after the API says it has
/// expired (401): a second 401 means the grant itself is gone.
package actor BearerSession {
    private var grant: TokenGrant
    private var refreshed = false
    private let refresh: @Sendable (Secret) async throws -> TokenGrant

    package init(grant: TokenGrant, refresh: @escaping @Sendable (Secret) async throws -> TokenGrant) {
        self.grant = grant
        self.refresh = refresh
    }

    package var accessToken: Secret { grant.accessToken }
    package var current: TokenGrant { grant }

    /// Called after a request with `token` succeeded: once a renewed token has worked, a
    /// later expiry (a long import) may be renewed again.
    package func worked(_ token: Secret) {
        if refreshed && token == grant.accessToken { refreshed = false }
    }

    /// Called after a 401 answered `used`. Returns the token to try again with, or throws
    /// 512 when the token was already refreshed once or cannot be. Requests that fail
    /// together while one renewal is on its way wait for that renewal instead of asking
    /// for another.
    package func renew(after used: Secret) async throws -> Secret {
        if let renewal, renewal.replacing == used { return try await renewal.task.value }
        // Another request may have refreshed it meanwhile.
        if used != grant.accessToken { return grant.accessToken }
        guard !refreshed, let refreshToken = grant.refreshToken else {
            throw ImportError(.consentUnexpected, "the provider refused the access token again after it was renewed")
        }
        refreshed = true
        let refresh = self.refresh
        let task = Task { () throws -> TokenGrant in
            var renewed = try await refresh(refreshToken)
            if renewed.refreshToken == nil { renewed.refreshToken = refreshToken }
            return renewed
        }
        renewal = Renewal(replacing: used, task: Task { try await task.value.accessToken })
        defer { renewal = nil }
        grant = try await task.value
        return grant.accessToken
    }

    /// The renewal on its way, and the token it replaces.
    private struct Renewal {
        var replacing: Secret
        var task: Task<Secret, any Error>
    }

    private var renewal: Renewal?
}
