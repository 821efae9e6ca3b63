import Foundation
import ImportCore

/// The Entra and Graph addresses of one Microsoft import, from the settings and the service.
struct MicrosoftEndpoints: Sendable {
    /// What the import asks for: reading contacts, the account's own name and address, and a
    /// refresh token (`offline_access`) so that an expired access token can be renewed once.
    static let scope = "offline_access Contacts.Read User.Read"

    let tenant: String
    let login: String
    let graph: String

    /// Outlook.com signs in at `consumers`: it takes personal accounts only, so the book
    /// imported is the Outlook.com one, and it is the one tenant that serves apps
    /// registered for personal accounts only (`common` refuses those). Microsoft 365 signs
    /// in at `organizations`. A tenant in the settings wins for both.
    static func defaultTenant(for service: String) -> String {
        service.lowercased() == "office365" ? "organizations" : "consumers"
    }

    init(settings: MicrosoftSettings, service: String) throws {
        let configured = settings.tenant?.trimmingCharacters(in: .whitespaces) ?? ""
        tenant = configured.isEmpty ? Self.defaultTenant(for: service) : configured
        guard tenant.allSatisfy({ $0.isLetter || $0.isNumber || "-._".contains($0) }) else {
            throw ImportError(.invalidParameters, "the Microsoft tenant \"\(tenant)\" is not a tenant name, domain or id")
        }
        login = try Self.base(settings.loginURL, name: "login")
        graph = try Self.base(settings.graphURL, name: "Graph")
    }

    var deviceCodeURL: String { "\(login)/\(tenant)/oauth2/v2.0/devicecode" }
    var tokenURL: String { "\(login)/\(tenant)/oauth2/v2.0/token" }
    var authorizeURL: String { "\(login)/\(tenant)/oauth2/v2.0/authorize" }
    var graphRoot: String { "\(graph)/v1.0" }

    private static func base(_ text: String, name: String) throws -> String {
        var trimmed = text.trimmingCharacters(in: .whitespaces)
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased(),
              scheme == "https" || scheme == "http", components.host?.isEmpty == false else {
            throw ImportError(.invalidParameters, "the Microsoft \(name) URL \"\(text)\" is not an http(s) address")
        }
        return trimmed
    }
}
