import ImportCore

/// Serves every CardDAV preset of `ProviderDirectory`: `icloud`, `yahoo`, `web_de`, … (each
/// starts discovery at its provider's documented host), `nextcloud` and `carddav` (the
/// server the user names).
///
/// Parameters: `username` and `password` (both required: 259 without them, except for Yahoo
/// when this machine has a Yahoo app: then the person signs in on Yahoo's page), `url` (required
/// for `carddav` and `nextcloud`; overrides the preset's host for the others), and `book` (an address
/// book's display name or last path segment; `all` or nothing means every book).
/// The password is kept in memory only and is never part of an error or a log line.
public struct CardDAVSourceFactory: ContactSourceFactory {
    public let serviceCodes: Set<String> = Set(CardDAVPreset.all.map(\.code))
    public var settings: CardDAVSettings
    public var yahoo: YahooSettings
    public var limits: APILimits
    /// A server's own redirect (`/auth`) for Yahoo's sign-in, instead of a code to paste.
    public var serverRedirects: ServerRedirects?

    public init(settings: CardDAVSettings = .init(), yahoo: YahooSettings = .init(), limits: APILimits = .init(),
                serverRedirects: ServerRedirects? = nil) {
        self.settings = settings
        self.yahoo = yahoo
        self.limits = limits
        self.serverRedirects = serverRedirects
    }

    public func prepare(_ request: SourceRequest) async throws -> PreparedSource {
        guard let preset = CardDAVPreset.named(request.service.code) else {
            throw ImportError(.serviceNotRecognised, "\(request.service.code) is not a CardDAV service")
        }
        let parameters = request.parameters
        let username = parameters["username"]?.trimmingSpaces ?? ""
        let password = parameters["password"] ?? ""
        let book = parameters["book"]?.trimmingSpaces
        let bookName = book?.isEmpty == false ? book : nil
        if preset.code == "yahoo", password.isEmpty, yahoo.isComplete {
            let start = try preset.start(given: parameters["url"])
            let signIn = YahooSignIn(settings: yahoo, redirectURI: serverRedirects?.redirectURI ?? YahooSignIn.redirect)
            let source = YahooSignedInSource(signIn: signIn, limits: limits) { [settings] credentials in
                CardDAVSource(start: start, credentials: credentials, bookName: bookName, preset: preset, settings: settings)
            }
            guard let serverRedirects else {
                return PreparedSource(source: source, consentURL: signIn.consentURL, pastedAddress: { try signIn.wait.paste($0) })
            }
            serverRedirects.register(signIn.wait)
            return PreparedSource(source: source, consentURL: signIn.consentURL, onFinish: {
                signIn.wait.abandon(ImportError(.consentAbandoned, "the import has ended"))
                serverRedirects.withdraw(signIn.wait)
            })
        }
        if username.isEmpty || password.isEmpty {
            let missing = username.isEmpty && password.isEmpty ? "a username and a password" : username.isEmpty ? "a username" : "a password"
            throw ImportError(.credentialsRequired, "\(preset.displayName) needs \(missing). \(preset.passwordHint)")
        }
        let start = try preset.start(given: parameters["url"])
        return PreparedSource(source: CardDAVSource(start: start, credentials: .password(username: username, password: Secret(password)),
                                                    bookName: bookName,
                                                    preset: preset, settings: settings))
    }
}
