/// One setting of this machine, by the name it has in the settings file. Each can also be
/// given by an environment variable (`CONTACT_IMPORT_` and the name upper-cased, `.` and `-`
/// as `_`); a few by an option. Secrets (the client secrets) come only from the file or the
/// environment, never from an option, where the process list would show them.
package struct Setting: Sendable, Hashable {
    package enum Kind: Sendable, Hashable {
        /// Free text, e.g. a client id.
        case text
        /// An absolute http or https address.
        case url
        /// `HOST:PORT`.
        case listenAddress
        /// A whole number above zero.
        case positiveNumber
        /// A Microsoft Entra tenant: `common`, `consumers`, `organizations`, a domain or an id.
        case tenant
        /// Text never shown anywhere: not in an error, a listing or a log.
        case secret
    }

    /// The name in the settings file, e.g. `google.client-id`.
    package let name: String
    package let kind: Kind
    /// The command-line option that gives it too, if any.
    package let option: String?

    package init(_ name: String, _ kind: Kind, option: String? = nil) {
        self.name = name
        self.kind = kind
        self.option = option
    }

    package var isSecret: Bool { kind == .secret }

    /// `CONTACT_IMPORT_GOOGLE_CLIENT_ID` for `google.client-id`.
    package var environmentVariable: String { Self.environmentVariable(for: name) }

    package static let environmentPrefix = "contact-import"

    package static func environmentVariable(for name: String) -> String {
        (environmentPrefix + "." + name).uppercased().map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
    }

    // MARK: - The settings

    package static let listen = Setting("listen", .listenAddress, option: "--listen")
    package static let publicURL = Setting("public-url", .url, option: "--public-url")
    package static let uploadLimit = Setting("upload-limit-mb", .positiveNumber)

    package static let googleClientID = Setting("google.client-id", .text)
    package static let googleClientSecret = Setting("google.client-secret", .secret)
    package static let googleAuthURL = Setting("google.auth-url", .url)
    package static let googleTokenURL = Setting("google.token-url", .url)
    package static let googleRevokeURL = Setting("google.revoke-url", .url)
    package static let googlePeopleURL = Setting("google.people-url", .url)

    package static let microsoftClientID = Setting("microsoft.client-id", .text)
    package static let microsoftTenant = Setting("microsoft.tenant", .tenant)
    package static let microsoftLoginURL = Setting("microsoft.login-url", .url)
    package static let microsoftGraphURL = Setting("microsoft.graph-url", .url)

    package static let yahooClientID = Setting("yahoo.client-id", .text)
    package static let yahooClientSecret = Setting("yahoo.client-secret", .secret)
    package static let yahooAuthURL = Setting("yahoo.auth-url", .url)
    package static let yahooTokenURL = Setting("yahoo.token-url", .url)

    /// The providers' web APIs: tries per request, the first pause between them, a
    /// request's timeout and the whole import's deadline after consent.
    package static let apiAttempts = Setting("api.attempts", .positiveNumber)
    package static let apiRetryDelay = Setting("api.retry-delay-ms", .positiveNumber)
    package static let apiTimeout = Setting("api.timeout", .positiveNumber)
    package static let apiImportDeadline = Setting("api.import-deadline", .positiveNumber)

    /// CardDAV servers (iCloud, Fastmail, a Radicale, …): the longest one request may take.
    package static let carddavTimeout = Setting("carddav.timeout", .positiveNumber)

    /// A CloudSponge-compatible server that `import` and `tui` use instead of running
    /// imports here, the domain key it knows this machine by, and how long one of its
    /// requests may take. The domain password is never a setting (only the environment,
    /// standard input or a prompt).
    package static let remoteURL = Setting("remote.url", .url, option: "--server")
    package static let remoteDomainKey = Setting("remote.domain-key", .text, option: "--domain-key")
    package static let remoteTimeout = Setting("remote.timeout", .positiveNumber)
    /// `contact-import serve`: the accounts file, how long contacts and finished imports
    /// are kept, how long a consent page waits, and the per-account and per-request limits.
    package static let serverAccounts = Setting("server.accounts", .text, option: "--accounts")
    package static let serverRetention = Setting("server.retention-seconds", .positiveNumber)
    package static let serverForgetAfter = Setting("server.forget-after-seconds", .positiveNumber)
    package static let serverConsentTimeout = Setting("server.consent-timeout-seconds", .positiveNumber)
    package static let serverBodyLimit = Setting("server.body-limit-kb", .positiveNumber)
    package static let serverBeginsPerMinute = Setting("server.begins-per-minute", .positiveNumber)
    package static let serverRunningImports = Setting("server.running-imports", .positiveNumber)
    package static let serverMaxContacts = Setting("server.max-contacts", .positiveNumber)
    /// PostgreSQL for imports and accounts (several instances share it), and how long an
    /// import's lease lasts there.
    package static let serverDatabase = Setting("server.database", .text, option: "--database")
    package static let serverLease = Setting("server.lease-seconds", .positiveNumber)

    /// Every setting, in the order the documentation lists them.
    package static let all: [Setting] = [
        listen, publicURL, uploadLimit,
        serverAccounts, serverRetention, serverForgetAfter, serverConsentTimeout, serverBodyLimit,
        serverBeginsPerMinute, serverRunningImports, serverMaxContacts, serverDatabase, serverLease,
        googleClientID, googleClientSecret, googleAuthURL, googleTokenURL, googleRevokeURL, googlePeopleURL,
        microsoftClientID, microsoftTenant, microsoftLoginURL, microsoftGraphURL,
        yahooClientID, yahooClientSecret, yahooAuthURL, yahooTokenURL,
        apiAttempts, apiRetryDelay, apiTimeout, apiImportDeadline, carddavTimeout,
        remoteURL, remoteDomainKey, remoteTimeout,
    ]

    package static func named(_ name: String) -> Setting? {
        all.first { $0.name == name }
    }
}
