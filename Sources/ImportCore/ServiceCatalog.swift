import Foundation

/// How a service reaches the address book, named as the API's begin endpoints are.
public enum AuthMethod: String, Sendable, Codable, CaseIterable {
    /// The user opens a page (provider consent, or an upload form).
    case userConsent = "user_consent"
    /// The user gives a username and password.
    case usernamePassword = "import"
    /// A local program submits the address book.
    case desktopApplet = "desktop_applet"
}

/// One entry of the catalog: a service a user can import from.
public struct ServiceDescriptor: Sendable, Hashable, Codable {
    /// Canonical lowercase code, as the API's `service` parameter names it.
    public var code: String
    /// Other spellings that mean this service.
    public var aliases: [String]
    public var displayName: String
    public var authMethod: AuthMethod
    public var summary: String

    public init(code: String, aliases: [String] = [], displayName: String, authMethod: AuthMethod, summary: String) {
        self.code = code
        self.aliases = aliases
        self.displayName = displayName
        self.authMethod = authMethod
        self.summary = summary
    }
}

/// Every service the API knows, whether or not this build can serve it.
public struct ServiceCatalog: Sendable {
    public private(set) var services: [ServiceDescriptor]
    private var index: [String: Int]

    public init(_ services: [ServiceDescriptor]) {
        self.services = services
        var index: [String: Int] = [:]
        for (position, service) in services.enumerated() {
            for name in [service.code] + service.aliases {
                index[Self.normalise(name)] = position
            }
        }
        self.index = index
    }

    /// Looks a code up case-insensitively, ignoring surrounding space; aliases included.
    public func service(named name: String) -> ServiceDescriptor? {
        index[Self.normalise(name)].map { services[$0] }
    }

    private static func normalise(_ name: String) -> String {
        name.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    /// The services of the CloudSponge table plus the ones this project adds.
    public static let standard = ServiceCatalog([
        // Files: served locally.
        ServiceDescriptor(code: "file", aliases: ["upload", "auto"], displayName: "Any contacts file",
                          authMethod: .userConsent, summary: "A vCard, CSV, LDIF, JSON or mutt file; the format is detected from its content."),
        ServiceDescriptor(code: "vcard", aliases: ["vcf"], displayName: "vCard file",
                          authMethod: .userConsent, summary: "A .vcf export (vCard 2.1, 3.0 or 4.0) from a phone, Apple Contacts, Gmail or Outlook."),
        ServiceDescriptor(code: "csv", displayName: "CSV file",
                          authMethod: .userConsent, summary: "A Google, Outlook or spreadsheet CSV export."),
        ServiceDescriptor(code: "ldif", aliases: ["ldi"], displayName: "LDIF file",
                          authMethod: .userConsent, summary: "An LDIF export, as Thunderbird writes it."),
        ServiceDescriptor(code: "addressbook", aliases: ["mac", "macaddressbook"], displayName: "Mac Address Book",
                          authMethod: .desktopApplet, summary: "Apple Contacts on a Mac, exported as a vCard file."),
        ServiceDescriptor(code: "outlook", displayName: "Microsoft Outlook (desktop)",
                          authMethod: .desktopApplet, summary: "Outlook on Windows, exported as a CSV file."),
        ServiceDescriptor(code: "demo", displayName: "Demo address book",
                          authMethod: .userConsent, summary: "A generated address book to try the program with."),
        // Consent (OAuth) providers.
        ServiceDescriptor(code: "gmail", aliases: ["google", "googlecontacts"], displayName: "Gmail / Google Contacts",
                          authMethod: .userConsent, summary: "Sign in with Google in a browser."),
        ServiceDescriptor(code: "windowslive", aliases: ["outlookcom", "hotmail", "msn", "live"], displayName: "Outlook.com / Hotmail",
                          authMethod: .userConsent, summary: "Sign in with a Microsoft account in a browser."),
        ServiceDescriptor(code: "office365", aliases: ["microsoft365", "m365"], displayName: "Microsoft 365",
                          authMethod: .userConsent, summary: "Sign in with a work or school Microsoft account."),
        ServiceDescriptor(code: "mail_ru", aliases: ["mailru"], displayName: "Mail.ru",
                          authMethod: .userConsent, summary: "Mail.ru contacts."),
        ServiceDescriptor(code: "linkedin", displayName: "LinkedIn",
                          authMethod: .userConsent, summary: "LinkedIn connections (historic service)."),
        ServiceDescriptor(code: "facebook", displayName: "Facebook",
                          authMethod: .userConsent, summary: "Facebook friends (no longer offered by Facebook)."),
        // Username and password.
        // CardDAV: the provider's host is preset; each needs the kind of password named here.
        ServiceDescriptor(code: "icloud", displayName: "iCloud",
                          authMethod: .usernamePassword,
                          summary: "Apple ID and an app-specific password (account.apple.com > Sign-In and Security > App-Specific Passwords); CardDAV."),
        ServiceDescriptor(code: "yahoo", displayName: "Yahoo",
                          authMethod: .usernamePassword,
                          summary: "Yahoo address and a Yahoo app password (Account Security > Generate app password); CardDAV."),
        ServiceDescriptor(code: "aol", displayName: "AOL",
                          authMethod: .usernamePassword,
                          summary: "AOL address and an AOL app password (Account Security > Generate app password); CardDAV."),
        ServiceDescriptor(code: "carddav", displayName: "CardDAV server",
                          authMethod: .usernamePassword,
                          summary: "Any CardDAV server (Nextcloud, Radicale, Baikal, ...): --url, a username and a password."),
        ServiceDescriptor(code: "fastmail", displayName: "Fastmail",
                          authMethod: .usernamePassword,
                          summary: "Fastmail address and an app password with CardDAV access (Settings > Privacy & Security); CardDAV."),
        ServiceDescriptor(code: "plaxo", displayName: "Plaxo",
                          authMethod: .usernamePassword, summary: "Plaxo (historic service)."),
        ServiceDescriptor(code: "gmx", displayName: "GMX",
                          authMethod: .usernamePassword,
                          summary: "GMX address and password, or an application-specific password if two-factor authentication is on; CardDAV."),
        ServiceDescriptor(code: "web_de", aliases: ["webde"], displayName: "WEB.DE",
                          authMethod: .usernamePassword, summary: "WEB.DE mail."),
        ServiceDescriptor(code: "mailcom", displayName: "mail.com",
                          authMethod: .usernamePassword, summary: "mail.com."),
        ServiceDescriptor(code: "uol", displayName: "UOL", authMethod: .usernamePassword, summary: "UOL (Brazil)."),
        ServiceDescriptor(code: "bol", displayName: "BOL", authMethod: .usernamePassword, summary: "BOL (Brazil)."),
        ServiceDescriptor(code: "terra", displayName: "Terra", authMethod: .usernamePassword, summary: "Terra."),
        ServiceDescriptor(code: "rediff", displayName: "Rediffmail", authMethod: .usernamePassword, summary: "Rediffmail (India)."),
        ServiceDescriptor(code: "mail126", displayName: "126.com", authMethod: .usernamePassword, summary: "126.com (China)."),
        ServiceDescriptor(code: "mail163", displayName: "163.com", authMethod: .usernamePassword, summary: "163.com (China)."),
        ServiceDescriptor(code: "mail_yeah_net", displayName: "yeah.net", authMethod: .usernamePassword, summary: "yeah.net (China)."),
        ServiceDescriptor(code: "sapo", displayName: "SAPO", authMethod: .usernamePassword, summary: "SAPO (Portugal)."),
        ServiceDescriptor(code: "naver", displayName: "Naver", authMethod: .usernamePassword, summary: "Naver (Korea)."),
        ServiceDescriptor(code: "o2_pl", displayName: "o2.pl", authMethod: .usernamePassword, summary: "o2.pl (Poland)."),
        ServiceDescriptor(code: "qip_ru", displayName: "QIP.ru", authMethod: .usernamePassword, summary: "QIP.ru."),
        ServiceDescriptor(code: "qq_mail", aliases: ["qq"], displayName: "QQ Mail", authMethod: .usernamePassword, summary: "QQ Mail (China)."),
        ServiceDescriptor(code: "yandex_ru", aliases: ["yandex"], displayName: "Yandex", authMethod: .usernamePassword, summary: "Yandex mail."),
    ])
}
