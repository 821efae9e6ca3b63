import ArgumentParser
import Foundation
import ImportCore

struct ServicesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "services",
        abstract: "List the services this program knows, how each connects, and whether this build can serve it.",
        discussion: """
            Services this build can import from come first; then the ones not built yet, \
            which answer error 261 when an import is begun; then the ones no program can \
            import from (the provider closed its way in, or none is known), each with the \
            reason and, where the provider offers one, the file to export and import instead. Service codes are \
            matched case-insensitively and accept the API's aliases (`GMAIL`, `outlookcom` \
            for `windowslive`, …).
            """
    )

    @Flag(help: "Print the catalog as JSON, in the same order.")
    var json = false

    /// Where a service stands, in the order the listing shows them.
    enum Standing: Int, CaseIterable {
        case available, notYet, unavailable

        var word: String {
            switch self {
            case .available: return "available"
            case .notYet: return "not yet"
            case .unavailable: return "unavailable"
            }
        }

        var jsonValue: String {
            switch self {
            case .available: return "available"
            case .notYet: return "not_yet"
            case .unavailable: return "unavailable"
            }
        }

        var heading: String {
            switch self {
            case .available: return "Available"
            case .notYet: return "Not built yet (error 261 when begun)"
            case .unavailable: return "Not available: no way in (error 261)"
            }
        }
    }

    func run() async throws {
        let engine = EngineFactory.make()
        let listed = Self.ordered(engine.catalog.services, isAvailable: { engine.isAvailable($0) })
        if json {
            let rows: [[String: Any]] = listed.map { service, standing in
                var row: [String: Any] = [
                    "code": service.code, "aliases": service.aliases, "name": service.displayName,
                    "auth_method": service.authMethod.rawValue, "description": service.summary,
                    "available": standing == .available, "status": standing.jsonValue,
                ]
                if let unavailable = service.unavailable {
                    row["unavailable_reason"] = unavailable.reason
                    row["file_alternative"] = unavailable.fileAlternative ?? NSNull()
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

    /// Available services first, then the ones not built yet, then the ones that cannot
    /// work; catalog order within each.
    static func ordered(_ services: [ServiceDescriptor], isAvailable: (ServiceDescriptor) -> Bool) -> [(ServiceDescriptor, Standing)] {
        let standings = services.map { service -> (ServiceDescriptor, Standing) in
            if isAvailable(service) { return (service, .available) }
            return (service, service.unavailable == nil ? .notYet : .unavailable)
        }
        return Standing.allCases.flatMap { standing in standings.filter { $0.1 == standing } }
    }

    static func text(_ listed: [(ServiceDescriptor, Standing)]) -> String {
        let codeWidth = listed.map(\.0.code.count).max() ?? 4
        let nameWidth = listed.map(\.0.displayName.count).max() ?? 4
        let statusWidth = Standing.allCases.map(\.word.count).max() ?? 0
        var text = ""
        for standing in Standing.allCases {
            let group = listed.filter { $0.1 == standing }.map(\.0)
            guard !group.isEmpty else { continue }
            text += "\(standing.heading):\n"
            for service in group {
                text += "  " + service.code.padding(toLength: codeWidth, withPad: " ", startingAt: 0)
                text += "  " + service.displayName.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
                text += "  " + standing.word.padding(toLength: statusWidth, withPad: " ", startingAt: 0)
                text += "  " + (service.unavailable?.explanation ?? service.summary) + "\n"
            }
            text += "\n"
        }
        return text
    }
}
