import ImportCore

/// A provider whose address book is reached over CardDAV: where discovery starts and
/// which password the user has to give.
public struct CardDAVPreset: Sendable, Hashable {
    /// The catalog code (`icloud`, `yahoo`, …).
    public var code: String
    public var displayName: String
    /// Where discovery starts (RFC 6764 `/.well-known/carddav` on this origin); nil for
    /// the generic `carddav` service, whose URL the user gives.
    public var startURL: String?
    /// The kind of password the provider accepts from a CardDAV client.
    public var passwordKind: String
    /// Where the user makes that password.
    public var passwordHelp: String

    public init(code: String, displayName: String, startURL: String?, passwordKind: String, passwordHelp: String) {
        self.code = code
        self.displayName = displayName
        self.startURL = startURL
        self.passwordKind = passwordKind
        self.passwordHelp = passwordHelp
    }

    /// One sentence for error hints: "iCloud needs an app-specific password: …".
    public var passwordHint: String {
        "\(displayName) needs \(passwordKind): \(passwordHelp)."
    }

    public static let icloud = CardDAVPreset(
        code: "icloud", displayName: "iCloud", startURL: "https://contacts.icloud.com",
        passwordKind: "your Apple ID email and an app-specific password (xxxx-xxxx-xxxx-xxxx; the Apple ID must use two-factor authentication)",
        passwordHelp: "make one at account.apple.com, Sign-In and Security, App-Specific Passwords")
    public static let yahoo = CardDAVPreset(
        code: "yahoo", displayName: "Yahoo", startURL: "https://carddav.address.yahoo.com",
        passwordKind: "your Yahoo email address and a Yahoo app password (your normal password is refused)",
        passwordHelp: "make one under Yahoo Account Security, Generate app password")
    public static let aol = CardDAVPreset(
        code: "aol", displayName: "AOL", startURL: "https://carddav.aol.com",
        passwordKind: "your AOL email address and an AOL app password (your normal password is refused)",
        passwordHelp: "make one under AOL Account Security, Generate app password")
    public static let fastmail = CardDAVPreset(
        code: "fastmail", displayName: "Fastmail", startURL: "https://carddav.fastmail.com",
        passwordKind: "your Fastmail email address and an app password with CardDAV access",
        passwordHelp: "make one in Fastmail under Settings, Privacy & Security, App passwords")
    public static let gmx = CardDAVPreset(
        code: "gmx", displayName: "GMX", startURL: "https://carddav.gmx.net",
        passwordKind: "your GMX email address and its password, or an application-specific password when two-factor authentication is on",
        passwordHelp: "make one in the GMX settings under Security, Application-specific passwords")
    public static let generic = CardDAVPreset(
        code: "carddav", displayName: "CardDAV server", startURL: nil,
        passwordKind: "the account's password on that server, or an app password where the server offers them",
        passwordHelp: "the server's administrator or documentation says where to make one (Nextcloud: Settings, Security, Devices & sessions)")

    public static let all: [CardDAVPreset] = [.icloud, .yahoo, .aol, .fastmail, .gmx, .generic]

    public static func named(_ code: String) -> CardDAVPreset? {
        all.first { $0.code == code.lowercased() }
    }
}
