import ArgumentParser
import Dispatch
import Foundation
import ImportClient
import ImportCore

#if canImport(Glibc)
import Glibc
#endif
import Settings
import Synchronization

/// How progress is shown on stderr.
enum EventsStyle: String, ExpressibleByArgument, CaseIterable {
    /// A live progress bar on a terminal, lines otherwise.
    case auto
    /// A redrawn progress bar with counts.
    case bar
    /// One line per event change.
    case lines
    /// One JSON object per change, in the API's events shape.
    case json
    /// Nothing but errors and skipped records.
    case none

    /// `auto` made definite: a bar on a terminal, lines otherwise.
    var resolved: EventsStyle {
        guard self == .auto else { return self }
        return StandardError.isTerminal ? .bar : .lines
    }
}

/// Runs the three stages — begin, events, contacts — through an import client (this
/// process's engine or a server) and shows the events on stderr.
struct ImportRunner {
    let client: any ImportClient
    let style: EventsStyle
    var qrStyle: QRStyle = .blocks
    /// Says where this machine's settings go, for a service that needs setup.
    var setupGuide: (ServiceDescriptor, SetupNeeded) -> SetupGuide = {
        SetupGuide(service: $0, needed: $1, settingsFile: nil, environmentVariables: $1.settings.map(Setting.environmentVariable(for:)))
    }
    /// Where errors are told; stderr but in tests.
    var report: (String) -> Void = StandardError.line

    init(client: any ImportClient, style: EventsStyle, qrStyle: QRStyle = .blocks) {
        self.client = client
        self.style = style
        self.qrStyle = qrStyle
    }

    init(engine: ImportEngine, style: EventsStyle, qrStyle: QRStyle = .blocks) {
        self.init(client: EngineClient(engine: engine), style: style, qrStyle: qrStyle)
    }

    /// Returns the contacts page, or throws `ExitCode` after printing the error.
    func run(service: String, parameters: ImportParameters) async throws -> (ContactsPage, ImportSnapshot) {
        let client = self.client
        var interrupt: InterruptHandler?
        var prompt: PastedAddressPrompt?
        var display: ProgressDisplay?
        defer { interrupt?.stop() }
        let outcome = await ImportFlow(client: client).run(service: service, parameters: parameters, began: { began in
            // Ctrl-C is caught before the URL appears, so someone (or a script) reacting to
            // the URL can already cancel cleanly.
            interrupt = InterruptHandler { Task { await client.cancel(began.id) } }
            let asksForPaste = began.takesPastedAddress && PastedAddressPrompt.possible
            if let url = began.consentURL {
                ConsentPrompt(style: qrStyle).show(url: url, serviceName: began.service.displayName, userCode: began.userCode,
                                                   takesPastedAddress: asksForPaste)
            }
            prompt = asksForPaste ? PastedAddressPrompt(client: client, importID: began.id) : nil
            prompt?.start()
            display = ProgressDisplay(style: resolvedStyle, importID: began.id, serviceName: began.service.displayName)
            display?.show(began.initialSnapshot)
        }, progress: { snapshot in
            // Consent came through the redirect: the question is over, progress starts on a line of its own.
            if snapshot.isFinished || snapshot.events.contains(where: { $0.type == .gathering }) { prompt?.close() }
            display?.show(snapshot)
        })
        display?.finish()

        switch outcome {
        case .refused(let error):
            report("contact-import: \(error)")
            if error.code == .authenticationFailed, let hint = Self.hint(for: error) { report(hint) }
            if error.code == .serviceNotRecognised, let descriptor = client.catalog.service(named: service),
               let needed = client.setupNeeded(descriptor) {
                // The first lines repeat the error's own words; the rest says where the settings go.
                setupGuide(descriptor, needed).lines.dropFirst(2).forEach(report)
            }
            throw ExitStatus.exitCode(for: error)
        case .lost(let id, let error):
            StandardError.line("contact-import: import \(id) vanished: \(error)")
            throw ExitCode(ExitStatus.importFailed)
        case .failed(_, let error):
            StandardError.line("contact-import: \(error)")
            if let hint = Self.hint(for: error) { StandardError.line(hint) }
            throw ExitStatus.exitCode(for: error)
        case .contactsUnavailable(let final, let error):
            reportSkipped(final.skipped, importID: final.id)
            StandardError.line("contact-import: the contacts of import \(final.id) could not be downloaded: \(Self.describe(error))")
            throw Self.exitCode(for: error)
        case .completed(let final, let downloaded):
            reportSkipped(downloaded.skipped, importID: final.id)
            return (downloaded.page, final)
        }
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case ImportLookupError.gone: return "the retention window has passed and they were deleted"
        case ImportLookupError.notReady: return "they were still not ready"
        case ImportLookupError.notFound: return "the import is unknown"
        default: return String(describing: error)
        }
    }

    private static func exitCode(for error: any Error) -> ExitCode {
        if let error = error as? ImportError { return ExitStatus.exitCode(for: error) }
        return ExitCode(ExitStatus.importFailed)
    }

    private var resolvedStyle: EventsStyle { style.resolved }

    private func reportSkipped(_ skipped: [SkippedRecord], importID: Int) {
        Self.reportSkipped(skipped, importID: importID, style: style)
    }

    /// Whatever the events style: a record is never left out silently. With JSON events
    /// the list is one more JSON line, so stderr stays machine-readable.
    static func reportSkipped(_ skipped: [SkippedRecord], importID: Int, style: EventsStyle) {
        guard !skipped.isEmpty else { return }
        if style == .json {
            StandardError.line(Self.json(skipped: skipped, importID: importID))
            return
        }
        SkippedRecordsReport.show(skipped)
    }

    /// `{"import_id": 1, "skipped": [{"line": 12, "reason": "…"}]}`, every record listed.
    static func json(skipped: [SkippedRecord], importID: Int) -> String {
        let records: [[String: Any]] = skipped.map { ["line": $0.line, "reason": $0.reason] }
        let object: [String: Any] = ["import_id": importID, "skipped": records]
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return "{}"
        }
        return String(decoding: data, as: UTF8.self)
    }

    static func hint(for error: ImportError) -> String? {
        if let limit = error.sizeLimit {
            return "hint: the upload page takes files up to \(ConsentPageHTML.sizeText(limit)); import a larger file with --file on the machine running contact-import."
        }
        switch error.code {
        case .fileNotContacts:
            return "hint: give a vCard (.vcf), CSV, LDIF, JSON or mutt file; `--service file` detects the format."
        case .fileUnparseable:
            return "hint: the file looks like contacts but no record could be read; check its encoding and format."
        case .serviceNotRecognised, .serviceRequired:
            return "hint: `contact-import services` lists the services this build can serve."
        case .authenticationFailed:
            return "hint: check the domain key (--domain-key or remote.domain-key) and the domain password ($\(ServerOptions.passwordVariable), --domain-password-stdin or the prompt)."
        case .credentialsRequired:
            return "hint: pass --username; the password comes from --password-stdin, $CONTACT_IMPORT_PASSWORD or a prompt on a terminal."
        case .credentialsMismatch:
            return "hint: most providers refuse the account's own password over CardDAV: make an app password (`contact-import services` says where)."
        default:
            return nil
        }
    }
}

/// Turns Ctrl-C into a clean cancellation of the running import (error 517); a second
/// Ctrl-C exits at once.
final class InterruptHandler: @unchecked Sendable {
    // Unchecked only for the dispatch source, which is set up once and then only cancelled.
    private let source: DispatchSourceSignal
    private let count = Atomic(0)

    init(onInterrupt: @escaping @Sendable () -> Void) {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [weak self] in
            guard let self else { return }
            let seen = self.count.add(1, ordering: .relaxed).newValue
            if seen > 1 { exit(130) }
            onInterrupt()
        }
        source.resume()
    }

    func stop() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
