/// What the user types to sign in to a provider over CardDAV, and where they get it.
public struct PasswordAdvice: Sendable, Hashable {
    /// The username and the kind of password, as one phrase: "your Apple ID email and an
    /// app-specific password (…)".
    public var credentials: String
    /// Where that password is made: "make one at account.apple.com, …".
    public var whereToMake: String

    public init(credentials: String, whereToMake: String) {
        self.credentials = credentials
        self.whereToMake = whereToMake
    }
}

/// Where a CardDAV client starts looking for a provider's address books.
public enum CardDAVStart: Sendable, Hashable {
    /// Discovery starts at this documented URL (its path first, then RFC 6764
    /// `/.well-known/carddav` on its origin).
    case documented(String)
    /// Every account lives on its own server: the user gives the URL (`--url`). A URL
    /// naming only a host gets `pathOnBareHost` (e.g. Nextcloud's `/remote.php/dav`).
    case askedFor(example: String, pathOnBareHost: String?)
}

/// How a provider's address book is read over CardDAV.
public struct CardDAVAccess: Sendable, Hashable {
    public var start: CardDAVStart
    public var password: PasswordAdvice

    public init(start: CardDAVStart, password: PasswordAdvice) {
        self.start = start
        self.password = password
    }
}

/// Why a service cannot be imported from at all, and what the user can do instead.
public struct Unavailability: Sendable, Hashable, Codable {
    public var reason: String
    /// A file the provider lets the user export, and how to import it; nil when the
    /// provider offers none.
    public var fileAlternative: String?
    /// The file service (`csv`, `vcard`, …) that imports that export, so a front end can
    /// open it directly.
    public var fileService: String?

    public init(reason: String, fileAlternative: String?, fileService: String? = nil) {
        self.reason = reason
        self.fileAlternative = fileAlternative
        self.fileService = fileService
    }

    /// "Reason Instead: alternative." or, without one, says that no export is known.
    public var explanation: String {
        reason + " " + (fileAlternative.map { "Instead: \($0)." } ?? "No file export of its contacts is known either.")
    }
}

/// Everything the program knows about one service: the catalog entry and, for CardDAV
/// providers, the host and the password advice. `ProviderDirectory` holds one per service;
/// the catalog and the CardDAV presets are both read from it.
public struct ProviderFacts: Sendable, Hashable {
    /// Canonical lowercase code, as the API's `service` parameter names it.
    public var code: String
    public var aliases: [String]
    public var displayName: String
    public var authMethod: AuthMethod
    /// What the service imports, in a sentence; CardDAV providers add their password
    /// advice and host to it in the catalog summary.
    public var about: String
    public var carddav: CardDAVAccess?
    /// The provider's own help page for signing in from another program, where one was found.
    public var helpURL: String?
    /// Set when the service cannot work, whatever this build has.
    public var unavailable: Unavailability?

    public init(code: String, aliases: [String] = [], displayName: String, authMethod: AuthMethod, about: String = "",
                carddav: CardDAVAccess? = nil, helpURL: String? = nil, unavailable: Unavailability? = nil) {
        self.code = code
        self.aliases = aliases
        self.displayName = displayName
        self.authMethod = authMethod
        self.about = about
        self.carddav = carddav
        self.helpURL = helpURL
        self.unavailable = unavailable
    }

    /// The catalog's one-line description.
    public var summary: String {
        guard let carddav else { return about }
        var parts: [String] = []
        if !about.isEmpty { parts.append(about) }
        parts.append(Self.capitalisingFirst(carddav.password.credentials) + "; " + carddav.password.whereToMake + ".")
        switch carddav.start {
        case .documented(let url):
            parts.append("CardDAV at \(Self.hostAndPath(url)).")
        case .askedFor:
            parts.append("CardDAV at the server's URL (--url).")
        }
        return parts.joined(separator: " ")
    }

    public var descriptor: ServiceDescriptor {
        ServiceDescriptor(code: code, aliases: aliases, displayName: displayName, authMethod: authMethod,
                          summary: summary, unavailable: unavailable)
    }

    private static func capitalisingFirst(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst()
    }

    private static func hostAndPath(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        return String(url[schemeEnd.upperBound...])
    }
}
