import ImportCore

/// Serves the CardDAV services: `icloud`, `yahoo`, `aol`, `fastmail`, `gmx` (each starts
/// discovery at its provider's documented host) and `carddav` (any server, by URL).
///
/// Parameters: `username` and `password` (both required: 259 without them), `url` (required
/// for `carddav`; overrides the preset's host for the others), and `book` (an address
/// book's display name or last path segment; `all` or nothing means every book).
/// The password is kept in memory only and is never part of an error or a log line.
public struct CardDAVSourceFactory: ContactSourceFactory {
    public let serviceCodes: Set<String> = Set(CardDAVPreset.all.map(\.code))
    public var settings: CardDAVSettings

    public init(settings: CardDAVSettings = .init()) {
        self.settings = settings
    }

    public func prepare(_ request: SourceRequest) async throws -> PreparedSource {
        guard let preset = CardDAVPreset.named(request.service.code) else {
            throw ImportError(.serviceNotRecognised, "\(request.service.code) is not a CardDAV service")
        }
        let parameters = request.parameters
        let username = parameters["username"]?.trimmingSpaces ?? ""
        let password = parameters["password"] ?? ""
        if username.isEmpty || password.isEmpty {
            let missing = username.isEmpty && password.isEmpty ? "a username and a password" : username.isEmpty ? "a username" : "a password"
            throw ImportError(.credentialsRequired, "\(preset.displayName) needs \(missing). \(preset.passwordHint)")
        }
        let urlText = parameters["url"]?.trimmingSpaces ?? ""
        let start: DAVLocation
        if !urlText.isEmpty {
            guard let location = DAVLocation(absolute: urlText) ?? DAVLocation(absolute: "https://" + urlText),
                  urlText.contains("://") || !urlText.contains(" ") else {
                throw ImportError(.invalidParameters, "\"\(urlText)\" is not an http or https URL")
            }
            if urlText.contains("://"), !urlText.lowercased().hasPrefix("http://"), !urlText.lowercased().hasPrefix("https://") {
                throw ImportError(.invalidParameters, "\"\(urlText)\" is not an http or https URL")
            }
            start = location
        } else if let preset = preset.startURL, let location = DAVLocation(absolute: preset) {
            start = location
        } else {
            throw ImportError(.invalidParameters, "the carddav service needs the server's URL (url parameter, --url), e.g. https://dav.example.org/")
        }
        let book = parameters["book"]?.trimmingSpaces
        return PreparedSource(source: CardDAVSource(start: start, username: username, password: Secret(password),
                                                    bookName: book?.isEmpty == false ? book : nil,
                                                    preset: preset, settings: settings))
    }
}
