import Foundation
import Providers

/// The OAuth apps from the environment (`CONTACT_IMPORT_MICROSOFT_CLIENT_ID`, `_TENANT`,
/// `_LOGIN_URL`, `_GRAPH_URL`), until the settings file carries them too.
enum OAuthEnvironment {
    static func apps(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> OAuthApps {
        var apps = OAuthApps()
        func value(_ name: String) -> String? {
            environment["CONTACT_IMPORT_MICROSOFT_" + name].flatMap { $0.isEmpty ? nil : $0 }
        }
        apps.microsoft.clientID = value("CLIENT_ID")
        apps.microsoft.tenant = value("TENANT")
        if let login = value("LOGIN_URL") { apps.microsoft.loginURL = login }
        if let graph = value("GRAPH_URL") { apps.microsoft.graphURL = graph }
        return apps
    }
}
