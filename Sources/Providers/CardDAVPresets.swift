import ImportCore

/// A provider whose address book is reached over CardDAV: where discovery starts and
/// which password the user has to give. Every preset is read from `ProviderDirectory`,
/// the one table of provider facts.
public struct CardDAVPreset: Sendable, Hashable {
    /// The catalog code (`icloud`, `yahoo`, …).
    public var code: String
    public var displayName: String
    /// Where discovery starts (the path first, then RFC 6764 `/.well-known/carddav` on
    /// this origin); nil when the user gives the URL.
    public var startURL: String?
    /// For a service whose URL the user gives: the path added to a URL that names only a
    /// host (Nextcloud's `/remote.php/dav`); nil to use the URL as given.
    public var pathOnBareHost: String?
    /// An example of the URL to give, for the error when it is missing.
    public var exampleURL: String?
    /// The kind of password the provider accepts from a CardDAV client.
    public var passwordKind: String
    /// Where the user makes that password.
    public var passwordHelp: String

    init(_ facts: ProviderFacts, _ access: CardDAVAccess) {
        code = facts.code
        displayName = facts.displayName
        switch access.start {
        case .documented(let url):
            startURL = url
        case .askedFor(let example, let path):
            exampleURL = example
            pathOnBareHost = path
        }
        passwordKind = access.password.credentials
        passwordHelp = access.password.whereToMake
    }

    /// One sentence for error hints: "iCloud needs an app-specific password: …".
    public var passwordHint: String {
        "\(displayName) needs \(passwordKind): \(passwordHelp)."
    }

    /// Every provider of the directory that has CardDAV access, in catalog order.
    public static let all: [CardDAVPreset] = ProviderDirectory.all.compactMap { facts in
        facts.carddav.map { CardDAVPreset(facts, $0) }
    }

    public static func named(_ code: String) -> CardDAVPreset? {
        all.first { $0.code == code.lowercased() }
    }
}

extension CardDAVPreset {
    /// Where discovery starts for this preset: the URL the user gave (`url` parameter,
    /// which overrides a documented host), else the documented host. A URL without a
    /// scheme is taken as https. Throws 2 for a URL that is not http(s), or when the
    /// service needs a URL and none was given.
    func start(given urlParameter: String?) throws -> DAVLocation {
        let urlText = urlParameter?.trimmingSpaces ?? ""
        guard !urlText.isEmpty else {
            guard let startURL, let location = DAVLocation(absolute: startURL) else {
                throw ImportError(.invalidParameters, "the \(code) service needs the server's URL (url parameter, --url), e.g. \(exampleURL ?? "https://dav.example.org/")")
            }
            return location
        }
        let hasScheme = urlText.contains("://")
        if hasScheme, !urlText.lowercased().hasPrefix("http://"), !urlText.lowercased().hasPrefix("https://") {
            throw ImportError(.invalidParameters, "\"\(urlText)\" is not an http or https URL")
        }
        guard hasScheme || !urlText.contains(" "),
              let location = DAVLocation(absolute: urlText) ?? DAVLocation(absolute: "https://" + urlText) else {
            throw ImportError(.invalidParameters, "\"\(urlText)\" is not an http or https URL")
        }
        if let pathOnBareHost, location.path == "/" {
            return location.with(path: pathOnBareHost)
        }
        return location
    }
}
