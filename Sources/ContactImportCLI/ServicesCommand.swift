import ArgumentParser
import Foundation
import ImportCore
import Settings

struct ServicesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "services",
        abstract: "List the services this program knows, how each connects, and whether this build can serve it.",
        discussion: """
            Services this build can import from come first, those still waiting for \
            settings (an app's keys; docs/oauth.md) marked "needs setup"; then the ones not built yet, \
            which answer error 261 when an import is begun; then the ones no program can \
            import from (the provider closed its way in, or none is known), each with the \
            reason and, where the provider offers one, the file to export and import instead. Service codes are \
            matched case-insensitively and accept the API's aliases (`GMAIL`, `outlookcom` \
            for `windowslive`, …).
            """
    )

    @Flag(help: "Print the catalog as JSON, in the same order.")
    var json = false

    @OptionGroup var settings: SettingsOptions

    /// Where a service stands, in the order the listing shows them.
    enum Standing: Int, CaseIterable {
        case available, needsSetup, notYet, unavailable

        var word: String {
            switch self {
            case .available: return "available"
            case .needsSetup: return "needs setup"
            case .notYet: return "not yet"
            case .unavailable: return "unavailable"
            }
        }

        var jsonValue: String {
            switch self {
            case .available: return "available"
            case .needsSetup: return "needs_setup"
            case .notYet: return "not_yet"
            case .unavailable: return "unavailable"
            }
        }

        /// The listing's sections: a service that needs setup sits with the available ones.
        var section: Int { self == .needsSetup ? Standing.available.rawValue : rawValue }

        var heading: String {
            switch self {
            case .available, .needsSetup: return "Available"
            case .notYet: return "Not built yet (error 261 when begun)"
            case .unavailable: return "Not available: no way in (error 261)"
            }
        }
    }

    func run() async throws {
        let loaded = try settings.load()
        let engine = EngineFactory.make(oauth: loaded.oauth)
        let listed = Self.ordered(engine.catalog.services, isAvailable: { engine.isAvailable($0) },
                                  setupNeeded: { engine.setupNeeded($0) })
        if json {
            let rows: [[String: Any]] = listed.map { service, standing, needed in
                var row: [String: Any] = [
                    "code": service.code, "aliases": service.aliases, "name": service.displayName,
                    "auth_method": service.authMethod.rawValue, "description": service.summary,
                    "available": standing == .available, "status": standing.jsonValue,
                ]
                if let unavailable = service.unavailable {
                    row["unavailable_reason"] = unavailable.reason
                    row["file_alternative"] = unavailable.fileAlternative ?? NSNull()
                }
                if let needed {
                    row["setup_needed"] = needed.settings
                    row["setup_guide"] = needed.guide
                }
                if let help = ProviderDirectory.facts(for: service.code)?.helpURL { row["help_url"] = help }
                return row
            }
            let data = try JSONSerialization.data(withJSONObject: rows, options: [.prettyPrinted, .sortedKeys])
            try StandardOutput.write([UInt8](data) + [0x0A])
            return
        }
        try StandardOutput.write(Array(Self.text(listed).utf8))
    }

    typealias Listed = (service: ServiceDescriptor, standing: Standing, setup: SetupNeeded?)

    /// Available services first (those that need setup among them), then the ones not
    /// built yet, then the ones that cannot work; catalog order within each.
    static func ordered(_ services: [ServiceDescriptor], isAvailable: (ServiceDescriptor) -> Bool,
                        setupNeeded: (ServiceDescriptor) -> SetupNeeded? = { _ in nil }) -> [Listed] {
        let standings = services.map { service -> Listed in
            if isAvailable(service) {
                let needed = setupNeeded(service)
                return (service, needed == nil ? .available : .needsSetup, needed)
            }
            return (service, service.unavailable == nil ? .notYet : .unavailable, nil)
        }
        let sections = Set(Standing.allCases.map(\.section)).sorted()
        return sections.flatMap { section in standings.filter { $0.standing.section == section } }
    }

    static func text(_ listed: [Listed]) -> String {
        let codeWidth = listed.map(\.service.code.count).max() ?? 4
        let nameWidth = listed.map(\.service.displayName.count).max() ?? 4
        let statusWidth = Standing.allCases.map(\.word.count).max() ?? 0
        var text = ""
        for section in Set(Standing.allCases.map(\.section)).sorted() {
            let group = listed.filter { $0.standing.section == section }
            guard let first = group.first else { continue }
            text += "\(first.standing.heading):\n"
            for (service, standing, needed) in group {
                let about = needed.map { "Add \($0.settings.joined(separator: ", ")) to the settings file or the environment (\($0.guide))." }
                    ?? service.unavailable?.explanation ?? service.summary
                text += "  " + service.code.padding(toLength: codeWidth, withPad: " ", startingAt: 0)
                text += "  " + service.displayName.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
                text += "  " + standing.word.padding(toLength: statusWidth, withPad: " ", startingAt: 0)
                text += "  " + about + "\n"
            }
            text += "\n"
        }
        return text
    }
}
