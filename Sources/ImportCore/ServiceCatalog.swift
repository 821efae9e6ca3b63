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
    /// Why the service cannot be imported from at all (the provider closed it, or offers
    /// no way in), and the file the user can export instead; nil for a service that works
    /// or could.
    public var unavailable: Unavailability?

    public init(code: String, aliases: [String] = [], displayName: String, authMethod: AuthMethod, summary: String,
                unavailable: Unavailability? = nil) {
        self.code = code
        self.aliases = aliases
        self.displayName = displayName
        self.authMethod = authMethod
        self.summary = summary
        self.unavailable = unavailable
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

    /// The services of the CloudSponge table plus the ones this project adds, as
    /// `ProviderDirectory` describes them.
    public static let standard = ServiceCatalog(ProviderDirectory.all.map(\.descriptor))
}
