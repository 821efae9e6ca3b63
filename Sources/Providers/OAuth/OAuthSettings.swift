import Foundation

/// A Google "Desktop app" OAuth client and the endpoints it talks to. The endpoints are
/// settings so that proxies, other clouds and tests can move them.
public struct GoogleSettings: Sendable, Hashable {
    public var clientID: String?
    package var clientSecret: Secret?
    public var authURL = "https://accounts.google.com/o/oauth2/v2/auth"
    public var tokenURL = "https://oauth2.googleapis.com/token"
    public var revokeURL = "https://oauth2.googleapis.com/revoke"
    public var peopleURL = "https://people.googleapis.com"

    public init(clientID: String? = nil, clientSecret: String? = nil) {
        self.clientID = clientID
        self.clientSecret = clientSecret.map(Secret.init)
    }

    public mutating func setClientSecret(_ value: String?) { clientSecret = value.map(Secret.init) }

    /// The settings still missing before a Google import can start.
    public var missing: [String] {
        (clientID?.isEmpty ?? true ? ["google.client-id"] : [])
            + (clientSecret?.value.isEmpty ?? true ? ["google.client-secret"] : [])
    }
}

/// A Microsoft Entra public client (no secret) and the endpoints it talks to.
public struct MicrosoftSettings: Sendable, Hashable {
    public var clientID: String?
    /// `common`, `consumers`, `organizations` or a tenant id; nil means the service's own
    /// default (`consumers` for Outlook.com, `organizations` for Microsoft 365).
    public var tenant: String?
    public var loginURL = "https://login.microsoftonline.com"
    public var graphURL = "https://graph.microsoft.com"

    public init(clientID: String? = nil, tenant: String? = nil) {
        self.clientID = clientID
        self.tenant = tenant
    }

    public var missing: [String] { clientID?.isEmpty ?? true ? ["microsoft.client-id"] : [] }
}

/// A Yahoo app; with it set, Yahoo imports sign in through Yahoo's page instead of an
/// app password.
public struct YahooSettings: Sendable, Hashable {
    public var clientID: String?
    package var clientSecret: Secret?
    public var authURL = "https://api.login.yahoo.com/oauth2/request_auth"
    public var tokenURL = "https://api.login.yahoo.com/oauth2/get_token"

    public init(clientID: String? = nil, clientSecret: String? = nil) {
        self.clientID = clientID
        self.clientSecret = clientSecret.map(Secret.init)
    }

    public mutating func setClientSecret(_ value: String?) { clientSecret = value.map(Secret.init) }

    public var isComplete: Bool { !(clientID?.isEmpty ?? true) && !(clientSecret?.value.isEmpty ?? true) }
}

/// Every OAuth app of this machine, with the limits their imports run under.
public struct OAuthApps: Sendable, Hashable {
    public var google: GoogleSettings
    public var microsoft: MicrosoftSettings
    public var yahoo: YahooSettings
    public var limits: APILimits

    public init(google: GoogleSettings = .init(), microsoft: MicrosoftSettings = .init(), yahoo: YahooSettings = .init(),
                limits: APILimits = .init()) {
        self.google = google
        self.microsoft = microsoft
        self.yahoo = yahoo
        self.limits = limits
    }
}
