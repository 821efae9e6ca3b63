import ArgumentParser
import Foundation
import ImportCore

struct ServicesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "services",
        abstract: "List the services this program knows, how each connects, and whether this build can serve it.",
        discussion: """
            Service codes are matched case-insensitively and accept the API's aliases \
            (`GMAIL`, `outlookcom` for `windowslive`, …). A service marked "not yet" answers \
            error 261 when an import is begun.
            """
    )

    @Flag(help: "Print the catalog as JSON.")
    var json = false

    func run() async throws {
        let engine = EngineFactory.make()
        let services = engine.catalog.services
        if json {
            let rows: [[String: Any]] = services.map { service in
                [
                    "code": service.code, "aliases": service.aliases, "name": service.displayName,
                    "auth_method": service.authMethod.rawValue, "description": service.summary,
                    "available": engine.isAvailable(service),
                ]
            }
            let data = try JSONSerialization.data(withJSONObject: rows, options: [.prettyPrinted, .sortedKeys])
            try StandardOutput.write([UInt8](data) + [0x0A])
            return
        }
        let codeWidth = services.map(\.code.count).max() ?? 4
        let nameWidth = services.map(\.displayName.count).max() ?? 4
        var text = ""
        for method in AuthMethod.allCases {
            let group = services.filter { $0.authMethod == method }
            guard !group.isEmpty else { continue }
            text += "\(Self.heading(method)):\n"
            for service in group {
                let status = engine.isAvailable(service) ? "available" : "not yet"
                text += "  " + service.code.padding(toLength: codeWidth, withPad: " ", startingAt: 0)
                text += "  " + service.displayName.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
                text += "  " + status.padding(toLength: 9, withPad: " ", startingAt: 0)
                text += "  " + service.summary + "\n"
            }
            text += "\n"
        }
        try StandardOutput.write(Array(text.utf8))
    }

    static func heading(_ method: AuthMethod) -> String {
        switch method {
        case .userConsent: return "Consent in a browser, or a file (user_consent)"
        case .usernamePassword: return "Username and password (import)"
        case .desktopApplet: return "Desktop export (desktop_applet)"
        }
    }
}
