import ImportCore

/// Serves `gmail` (Google Contacts) through Google's sign-in page and the People API.
///
/// `prepare` starts a loopback listener on 127.0.0.1 and returns Google's consent page
/// as the consent URL; the import waits in INITIALIZING until the browser is redirected
/// to the listener, or until the person pastes the address the browser ended on
/// (`ImportEngine.paste`), which works when the browser is on another machine.
///
/// Parameters: `include` (`other-contacts` adds the addresses Gmail saved on its own,
/// with the `contacts.other.readonly` scope). Needs `google.client-id` and
/// `google.client-secret` (a "Desktop app" client).
public struct GoogleSourceFactory: ContactSourceFactory {
    public let serviceCodes: Set<String> = ["gmail"]
    public var settings: GoogleSettings
    public var limits: APILimits
    /// A server's own redirect (`/auth`) to use instead of a loopback listener (the
    /// client is then a "Web application" client with that redirect URI registered).
    public var serverRedirects: ServerRedirects?

    public init(settings: GoogleSettings, limits: APILimits = .init(), serverRedirects: ServerRedirects? = nil) {
        self.settings = settings
        self.limits = limits
        self.serverRedirects = serverRedirects
    }

    public func setupNeeded(for service: ServiceDescriptor) -> SetupNeeded? {
        let missing = settings.missing
        return missing.isEmpty ? nil : SetupNeeded(settings: missing, guide: "docs/oauth.md")
    }

    public func prepare(_ request: SourceRequest) async throws -> PreparedSource {
        guard let clientID = settings.clientID, !clientID.isEmpty, let secret = settings.clientSecret, !secret.value.isEmpty else {
            throw ImportError(.serviceNotRecognised, "Gmail needs setup: add google.client-id and google.client-secret (see docs/oauth.md)")
        }
        let otherContacts = try Self.includesOtherContacts(request.parameters)
        let wait = AuthorizationWait()
        let pkce = PKCE()
        let listener: LoopbackRedirect?
        let redirectURI: String
        if let serverRedirects {
            listener = nil
            redirectURI = serverRedirects.redirectURI
            serverRedirects.register(wait)
        } else {
            let loopback = try await LoopbackRedirect.start(for: wait, serviceName: "Google")
            listener = loopback
            redirectURI = loopback.redirectURI
        }
        let scopes = [GoogleConsentRequest.contactsScope] + (otherContacts ? [GoogleConsentRequest.otherContactsScope] : [])
        let consent = GoogleConsentRequest(authURL: settings.authURL, clientID: clientID, redirectURI: redirectURI,
                                           scopes: scopes, state: wait.state, challenge: pkce.challenge)
        let http = ProviderHTTP(limits: limits)
        let tokens = GoogleTokens(http: http, settings: settings, clientID: clientID, clientSecret: secret)
        let source = GoogleSource(wait: wait, listener: listener, pkce: pkce, redirectURI: redirectURI,
                                  otherContacts: otherContacts, tokens: tokens, http: http, peopleURL: settings.peopleURL,
                                  limits: limits)
        return PreparedSource(
            source: source, consentURL: consent.url,
            onFinish: {
                wait.abandon(ImportError(.consentAbandoned, "the import has ended"))
                serverRedirects?.withdraw(wait)
                await listener?.stop()
                await tokens.revoke()
                await http.shutdown()
            },
            pastedAddress: { text in try wait.paste(text) })
    }

    /// `include=other-contacts` (nothing else is known).
    static func includesOtherContacts(_ parameters: ImportParameters) throws -> Bool {
        guard let text = parameters["include"]?.trimmingCharacters(in: .whitespaces).lowercased(), !text.isEmpty else { return false }
        var other = false
        for word in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !word.isEmpty {
            guard word == "other-contacts" || word == "other_contacts" else {
                throw ImportError(.invalidParameters, "include takes other-contacts, not \"\(word)\"")
            }
            other = true
        }
        return other
    }
}
