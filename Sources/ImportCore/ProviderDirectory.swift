/// The one table of what the program knows about each service: codes, names, how it
/// connects, the CardDAV host and password advice, and why a service cannot work. The
/// catalog (`ServiceCatalog.standard`) and the CardDAV presets are both read from it, so
/// each fact is written once. Where each CardDAV host comes from: docs/carddav.md.
public enum ProviderDirectory {
    /// Looks a code up exactly (lowercase canonical codes; the catalog handles aliases).
    public static func facts(for code: String) -> ProviderFacts? {
        all.first { $0.code == code.lowercased() }
    }

    public static let all: [ProviderFacts] = files + consent + carddav + unavailable

    // MARK: - Files, served locally

    static let files: [ProviderFacts] = [
        ProviderFacts(code: "file", aliases: ["upload", "auto"], displayName: "Any contacts file", authMethod: .userConsent,
                      about: "A vCard, CSV, LDIF, JSON or mutt file; the format is detected from its content."),
        ProviderFacts(code: "vcard", aliases: ["vcf"], displayName: "vCard file", authMethod: .userConsent,
                      about: "A .vcf export (vCard 2.1, 3.0 or 4.0) from a phone, Apple Contacts, Gmail or Outlook."),
        ProviderFacts(code: "csv", displayName: "CSV file", authMethod: .userConsent,
                      about: "A Google, Outlook or spreadsheet CSV export."),
        ProviderFacts(code: "ldif", aliases: ["ldi"], displayName: "LDIF file", authMethod: .userConsent,
                      about: "An LDIF export, as Thunderbird writes it."),
        ProviderFacts(code: "addressbook", aliases: ["mac", "macaddressbook"], displayName: "Mac Address Book", authMethod: .desktopApplet,
                      about: "Apple Contacts on a Mac, exported as a vCard file."),
        ProviderFacts(code: "outlook", displayName: "Microsoft Outlook (desktop)", authMethod: .desktopApplet,
                      about: "Outlook on Windows, exported as a CSV file."),
        ProviderFacts(code: "demo", displayName: "Demo address book", authMethod: .userConsent,
                      about: "A generated address book to try the program with."),
    ]

    // MARK: - Consent (OAuth) providers

    static let consent: [ProviderFacts] = [
        ProviderFacts(code: "gmail", aliases: ["google", "googlecontacts"], displayName: "Gmail / Google Contacts", authMethod: .userConsent,
                      about: "Sign in with Google in a browser."),
        ProviderFacts(code: "windowslive", aliases: ["outlookcom", "hotmail", "msn", "live"], displayName: "Outlook.com / Hotmail",
                      authMethod: .userConsent, about: "Sign in with a Microsoft account in a browser."),
        ProviderFacts(code: "office365", aliases: ["microsoft365", "m365"], displayName: "Microsoft 365", authMethod: .userConsent,
                      about: "Sign in with a work or school Microsoft account."),
        ProviderFacts(code: "mail_ru", aliases: ["mailru"], displayName: "Mail.ru", authMethod: .userConsent,
                      about: "Mail.ru contacts (no documented way in has been confirmed yet)."),
    ]

    // MARK: - CardDAV: a username and a password

    static let carddav: [ProviderFacts] = [
        ProviderFacts(code: "icloud", displayName: "iCloud", authMethod: .usernamePassword, carddav: CardDAVAccess(
            start: .documented("https://contacts.icloud.com"),
            password: PasswordAdvice(
                credentials: "your Apple ID email and an app-specific password (xxxx-xxxx-xxxx-xxxx; the Apple ID must use two-factor authentication)",
                whereToMake: "make one at account.apple.com, Sign-In and Security, App-Specific Passwords"))),
        ProviderFacts(code: "yahoo", displayName: "Yahoo", authMethod: .usernamePassword, carddav: CardDAVAccess(
            start: .documented("https://carddav.address.yahoo.com"),
            password: PasswordAdvice(
                credentials: "your Yahoo email address and a Yahoo app password (your normal password is refused)",
                whereToMake: "make one under Yahoo Account Security, Generate app password"))),
        ProviderFacts(code: "aol", displayName: "AOL", authMethod: .usernamePassword, carddav: CardDAVAccess(
            start: .documented("https://carddav.aol.com"),
            password: PasswordAdvice(
                credentials: "your AOL email address and an AOL app password (your normal password is refused)",
                whereToMake: "make one under AOL Account Security, Generate app password"))),
        ProviderFacts(code: "carddav", displayName: "CardDAV server", authMethod: .usernamePassword,
                      about: "Any CardDAV server (Radicale, Baikal, SOGo, ...) at the URL given with --url.",
                      carddav: CardDAVAccess(
            start: .askedFor(example: "https://dav.example.org/", pathOnBareHost: nil),
            password: PasswordAdvice(
                credentials: "the account's password on that server, or an app password where the server offers them",
                whereToMake: "the server's administrator or documentation says where to make one"))),
        ProviderFacts(code: "fastmail", displayName: "Fastmail", authMethod: .usernamePassword, carddav: CardDAVAccess(
            start: .documented("https://carddav.fastmail.com"),
            password: PasswordAdvice(
                credentials: "your Fastmail email address and an app password with CardDAV access",
                whereToMake: "make one in Fastmail under Settings, Privacy & Security, App passwords"))),
        ProviderFacts(code: "gmx", displayName: "GMX", authMethod: .usernamePassword, carddav: CardDAVAccess(
            start: .documented("https://carddav.gmx.net"),
            password: PasswordAdvice(
                credentials: "your GMX email address and its password, or an application-specific password when two-factor authentication is on",
                whereToMake: "make one in the GMX settings under Security, Application-specific passwords"))),
        ProviderFacts(code: "web_de", aliases: ["webde"], displayName: "WEB.DE", authMethod: .usernamePassword, carddav: CardDAVAccess(
            start: .documented("https://carddav.web.de"),
            password: PasswordAdvice(
                credentials: "your WEB.DE email address and its password, or an application-specific password made for CardDAV when two-factor authentication is on",
                whereToMake: "make one in the WEB.DE settings under Security, Application-specific passwords"))),
        ProviderFacts(code: "mailcom", displayName: "mail.com", authMethod: .usernamePassword, carddav: CardDAVAccess(
            start: .documented("https://carddav.mail.com"),
            password: PasswordAdvice(
                credentials: "your mail.com email address and its password, or an application-specific password made for CardDAV when two-factor authentication is on",
                whereToMake: "make one in the mail.com settings under Security, Application-specific passwords"))),
        ProviderFacts(code: "yandex_ru", aliases: ["yandex"], displayName: "Yandex", authMethod: .usernamePassword, carddav: CardDAVAccess(
            start: .documented("https://carddav.yandex.ru"),
            password: PasswordAdvice(
                credentials: "your Yandex address and an app password of the Contacts (CardDAV) type (a Mail app password is refused)",
                whereToMake: "make one in Yandex ID under Security, App passwords, choosing Contacts")),
                      helpURL: "https://yandex.com/support/passport/authorization/app-passwords.html"),
        ProviderFacts(code: "qq_mail", aliases: ["qq"], displayName: "QQ Mail", authMethod: .usernamePassword, carddav: CardDAVAccess(
            start: .documented("https://dav.qq.com"),
            password: PasswordAdvice(
                credentials: "your QQ Mail address and the mailbox's authorization code (授权码), not the QQ password",
                whereToMake: "switch on the CardDAV service and generate the code in QQ Mail under Settings, Account"))),
        ProviderFacts(code: "mail163", displayName: "163.com", authMethod: .usernamePassword, carddav: CardDAVAccess(
            start: .documented("https://contacts.163.com"),
            password: PasswordAdvice(
                credentials: "your 163.com address and the mailbox's authorization code (授权码), not the login password",
                whereToMake: "switch on CardDAV and make the code in the 163 Mail settings, where POP3/SMTP/IMAP are switched on"))),
        ProviderFacts(code: "mail126", displayName: "126.com", authMethod: .usernamePassword, carddav: CardDAVAccess(
            start: .documented("https://contacts.126.com"),
            password: PasswordAdvice(
                credentials: "your 126.com address and the mailbox's authorization code (授权码), not the login password",
                whereToMake: "switch on CardDAV and make the code in the 126 Mail settings, where POP3/SMTP/IMAP are switched on"))),
        ProviderFacts(code: "zoho", displayName: "Zoho", authMethod: .usernamePassword, carddav: CardDAVAccess(
            start: .documented("https://contacts.zoho.com/carddav"),
            password: PasswordAdvice(
                credentials: "your Zoho email address and an application-specific password (required with two-factor authentication)",
                whereToMake: "make one at accounts.zoho.com under Security, App Passwords; accounts in the EU or India data centre add --url https://contacts.zoho.eu/carddav (or .in)"))),
        ProviderFacts(code: "posteo", displayName: "Posteo", authMethod: .usernamePassword, carddav: CardDAVAccess(
            start: .documented("https://posteo.de:8843"),
            password: PasswordAdvice(
                credentials: "your Posteo address and its account password",
                whereToMake: "Posteo needs no separate app password for CardDAV"))),
        ProviderFacts(code: "mailbox_org", aliases: ["mailboxorg"], displayName: "mailbox.org", authMethod: .usernamePassword,
                      carddav: CardDAVAccess(
            start: .documented("https://dav.mailbox.org"),
            password: PasswordAdvice(
                credentials: "your mailbox.org address and its password, or an app password (required with two-factor authentication)",
                whereToMake: "make one in the mailbox.org settings under Security, App passwords"))),
        ProviderFacts(code: "nextcloud", aliases: ["owncloud"], displayName: "Nextcloud", authMethod: .usernamePassword,
                      about: "A Nextcloud server at the URL given with --url (a bare host gets /remote.php/dav).",
                      carddav: CardDAVAccess(
            start: .askedFor(example: "https://cloud.example.org", pathOnBareHost: "/remote.php/dav"),
            password: PasswordAdvice(
                credentials: "your Nextcloud username and an app password",
                whereToMake: "make one in Nextcloud under Settings, Security, Devices & sessions, Create new app password"))),
        ProviderFacts(code: "mail_yeah_net", displayName: "yeah.net", authMethod: .usernamePassword,
                      about: "yeah.net (China); probably NetEase's CardDAV like 163.com, not confirmed yet."),
    ]

    // MARK: - Services that cannot work

    /// Said of every service for which no way in was found: no CardDAV host, no API.
    static let noKnownWayIn = "No way for another program to read its contacts is known: no CardDAV server and no API."

    static let unavailable: [ProviderFacts] = [
        ProviderFacts(code: "linkedin", displayName: "LinkedIn", authMethod: .userConsent, about: "LinkedIn connections.",
                      unavailable: Unavailability(
                        reason: "LinkedIn closed its connections API to other programs in 2015; only its partners may use it.",
                        fileAlternative: "LinkedIn's own export (Settings & Privacy, Data privacy, Get a copy of your data, Connections) "
                            + "gives Connections.csv with names, companies and positions (e-mail addresses only where a connection allows it); "
                            + "import it with --service csv (the Notes lines above its header are read past and reported)",
                        fileService: "csv")),
        ProviderFacts(code: "facebook", displayName: "Facebook", authMethod: .userConsent, about: "Facebook friends.",
                      unavailable: Unavailability(
                        reason: "Facebook's API returns only friends who use the same app, and never their e-mail addresses or phone numbers; "
                            + "its data download lists friends by name only.",
                        fileAlternative: nil)),
        ProviderFacts(code: "plaxo", displayName: "Plaxo", authMethod: .usernamePassword, about: "The Plaxo online address book.",
                      unavailable: Unavailability(reason: "Plaxo shut down on 31 December 2017 and deleted its users' data.",
                                                  fileAlternative: nil)),
        ProviderFacts(code: "naver", displayName: "Naver", authMethod: .usernamePassword, about: "Naver (Korea).",
                      unavailable: Unavailability(reason: "Naver offers CalDAV for calendars but no CardDAV and no API for contacts.",
                                                  fileAlternative: nil)),
        ProviderFacts(code: "uol", displayName: "UOL", authMethod: .usernamePassword, about: "UOL (Brazil).",
                      unavailable: Unavailability(reason: noKnownWayIn, fileAlternative: nil)),
        ProviderFacts(code: "bol", displayName: "BOL", authMethod: .usernamePassword, about: "BOL (Brazil).",
                      unavailable: Unavailability(reason: noKnownWayIn, fileAlternative: nil)),
        ProviderFacts(code: "terra", displayName: "Terra", authMethod: .usernamePassword, about: "Terra.",
                      unavailable: Unavailability(reason: noKnownWayIn, fileAlternative: nil)),
        ProviderFacts(code: "rediff", displayName: "Rediffmail", authMethod: .usernamePassword, about: "Rediffmail (India).",
                      unavailable: Unavailability(reason: noKnownWayIn, fileAlternative: nil)),
        ProviderFacts(code: "sapo", displayName: "SAPO", authMethod: .usernamePassword, about: "SAPO (Portugal).",
                      unavailable: Unavailability(reason: noKnownWayIn, fileAlternative: nil)),
        ProviderFacts(code: "o2_pl", displayName: "o2.pl", authMethod: .usernamePassword, about: "o2.pl (Poland).",
                      unavailable: Unavailability(reason: noKnownWayIn, fileAlternative: nil)),
        ProviderFacts(code: "qip_ru", displayName: "QIP.ru", authMethod: .usernamePassword, about: "QIP.ru.",
                      unavailable: Unavailability(reason: noKnownWayIn, fileAlternative: nil)),
    ]
}
