import ArgumentParser
import ConsentServer
import CursesBackend
import Foundation
import ImportClient
import ImportCore

#if canImport(Glibc)
import Glibc
#endif

/// `contact-import tui` (and `contact-import` with no arguments): the terminal UI.
struct TUICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tui",
        abstract: "Open the terminal UI: pick a service, follow the import, browse, search, merge and export.",
        usage: "contact-import tui [--service <service>] [--file <file>] [<options>]",
        discussion: """
            The default when contact-import runs without a command. Needs a terminal (TERM set, \
            stdin and stdout a TTY); elsewhere use `contact-import services` and \
            `contact-import import`. Keys: ? in the UI lists them all; docs/tui.md describes \
            every screen. NO_COLOR turns colours off. With --server URL the imports run on \
            that CloudSponge-compatible server and their contacts are browsed here.
            """
    )

    @Flag(help: "Draw with ASCII only (bars, boxes, QR code), for terminals without UTF-8.")
    var ascii = false

    @Flag(name: .customLong("no-color"), help: "No colours (also when the NO_COLOR variable is set).")
    var noColor = false

    @Option(name: .shortAndLong, help: "Start importing from this service at once instead of showing the picker.")
    var service: String?

    @Option(name: .shortAndLong, help: "Start importing this contacts file at once (service `file` unless --service says otherwise).")
    var file: String?

    @Option(name: .customLong("param"), parsing: .singleValue,
            help: ArgumentHelp("A begin parameter for --service, NAME=VALUE; repeatable.", valueName: "name=value"))
    var extraParameters: [String] = []

    @OptionGroup var consent: ConsentOptions

    @OptionGroup(title: "A CloudSponge-compatible server")
    var remote: ServerOptions

    func validate() throws {
        for pair in extraParameters where !pair.contains("=") {
            throw ValidationError("--param takes NAME=VALUE, not \"\(pair)\"")
        }
    }

    func run() async throws {
        let colors = !noColor && StandardError.coloursWanted
        let settings = try consent.load(adding: remote.settingOptions)
        let server = ConsentServer(configuration: try settings.consentConfiguration())
        // The password prompt, if any, comes before curses takes the terminal.
        let client: any ImportClient = try remote.client(settings.machine)
            ?? EngineClient(engine: EngineFactory.make(pageHost: server, carddav: settings.carddav, oauth: settings.oauth))
        var parameters: [String: String] = [:]
        for pair in extraParameters {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            parameters[String(parts[0])] = String(parts[1])
        }
        if let file { parameters["file"] = (file as NSString).expandingTildeInPath }
        let initialService = service ?? (file != nil ? "file" : nil)
        let initialParameters = parameters
        let options = CursesTerminal.Options(ascii: ascii, colors: colors)
        let machine = settings.machine
        let outcome = await Self.onUIThread {
            () -> Result<TerminalSession.Outcome, TerminalUnavailable> in
            let terminal: CursesTerminal
            do {
                terminal = try CursesTerminal(options: options)
            } catch let error as TerminalUnavailable {
                return .failure(error)
            } catch {
                return .failure(TerminalUnavailable(description: String(describing: error)))
            }
            defer { terminal.stop() }
            let session = TerminalSession(client: client, terminal: terminal, setupGuide: machine.setupGuide(for:_:))
            if let initialService { session.start(service: initialService, parameters: initialParameters) }
            return .success(session.run())
        }
        switch outcome {
        case .failure(let error):
            StandardError.line("contact-import: \(error.description).")
            StandardError.line("Without a terminal, use the headless commands: `contact-import services`, `contact-import import --service … --file …`.")
            await client.close()
            await server.shutdown()
            throw ExitCode(ExitStatus.importFailed)
        case .success(let result):
            if let id = result.runningImport { await client.cancel(id) }
            await client.close()
            await server.shutdown()
            if let summary = result.summary { StandardError.line(summary) }
            if result.status != 0 { throw ExitCode(result.status) }
        }
    }

    /// Runs `body` on a thread of its own (the UI thread, the only one that calls curses)
    /// and resumes when it returns; the async world keeps running the engine meanwhile.
    static func onUIThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: body())
            }
            thread.name = "terminal-ui"
            thread.stackSize = 8 << 20
            thread.start()
        }
    }
}
