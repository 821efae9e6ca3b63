import ContactFormats
import CursesBackend
import Foundation
import ImportClient
import ImportCore
import TerminalUI

#if canImport(Glibc)
import Glibc
#endif

/// The terminal UI's loop. It lives on one thread, which is the only one that touches
/// curses: each tick it drains the mailbox the import tasks post to, redraws if anything
/// changed, and waits up to 100 ms for a key. A message posted to the mailbox ends that
/// wait, so news shows as soon as it is there. Nothing in here awaits the engine.
final class TerminalSession {
    struct Outcome: Sendable {
        var status: Int32
        var runningImport: Int?
        var summary: String?
    }

    private let client: any ImportClient
    private let terminal: CursesTerminal
    private let mailbox: Mailbox<AppEvent>
    private var model: AppModel
    private var running = true
    private var status: Int32 = 0
    private let files = TerminalSession.localFiles
    /// The file of the latest import, if it came from one: an export never replaces it.
    private var importedFile: String?
    /// The id and owner of the import whose contacts arrived, for the JSON export.
    private let origin = ImportOrigin()

    init(client: any ImportClient, terminal: CursesTerminal, setupGuide: (ServiceDescriptor, SetupNeeded) -> SetupGuide) {
        self.client = client
        self.terminal = terminal
        let wakeup = terminal.wakeup
        mailbox = Mailbox { wakeup.signal() }
        let (width, height) = terminal.size
        model = AppModel(catalog: client.catalog, isAvailable: { client.isAvailable($0) },
                         setupGuide: { service in client.setupNeeded(service).map { setupGuide(service, $0) } },
                         width: width, height: height, glyphs: terminal.isASCII ? .ascii : .unicode)
        model.server = client.remoteServer
    }

    /// Starts an import right away (for `tui --service` / `--file`).
    func start(service: String, parameters: [String: String]) {
        guard let descriptor = client.catalog.service(named: service) else {
            model.message = ("Unknown service “\(service)”", true)
            return
        }
        perform(model.open(descriptor, parameters: parameters))
    }

    func run() -> Outcome {
        var dirty = true
        var lastDraw = ContinuousClock.now
        var quickTimeouts = 0
        while running {
            switch terminal.pendingSignal() {
            case 0: break
            case SIGINT: perform(model.handle(.control("c"), files: files)); dirty = true
            case let signal:
                status = 128 + signal
                running = false
                continue
            }
            let events = mailbox.drain()
            if !events.isEmpty {
                for event in events { model.apply(event) }
                dirty = true
            }
            // Elapsed times and indeterminate bars move while an import runs.
            let now = ContinuousClock.now
            if model.importRunning && (model.screen == .importing) && now - lastDraw >= .milliseconds(250) { dirty = true }
            if dirty {
                let (width, height) = terminal.size
                model.width = width
                model.height = height
                model.now = Date()
                model.normalise()
                terminal.draw(Renderer.render(model))
                lastDraw = now
                dirty = false
            }
            let waitStarted = ContinuousClock.now
            guard let key = terminal.readKey(waitingAtMost: 100) else {
                // A closed terminal makes curses return at once, forever: treat it as hang-up.
                // A wait ended by a posted message says nothing about the terminal.
                if !terminal.wasWoken {
                    quickTimeouts = ContinuousClock.now - waitStarted < .milliseconds(5) ? quickTimeouts + 1 : 0
                }
                if quickTimeouts > 50 || terminal.inputClosed {
                    status = 128 + SIGHUP
                    running = false
                }
                continue
            }
            quickTimeouts = 0
            // After a resize the terminal may have reflowed what it showed: paint it all.
            if key == .resize { terminal.forceRedraw() }
            perform(model.handle(key, files: files))
            dirty = true
        }
        let state = model.importState
        var summary: String?
        if let state, let count = state.contactsCount {
            summary = "contact-import: \(state.service.displayName): \(Format.count(count)) contacts imported."
        } else if let state, let url = state.consentURL, state.isRunning {
            summary = "contact-import: the import was waiting on \(url)"
        }
        return Outcome(status: status, runningImport: model.importRunning ? model.importState?.importID : nil, summary: summary)
    }

    private func perform(_ effects: [Effect]) {
        for effect in effects { perform(effect) }
    }

    private func perform(_ effect: Effect) {
        let client = self.client
        let mailbox = self.mailbox
        switch effect {
        case .begin(let service, let parameters):
            importedFile = parameters["file"].map(files.expand)
            Self.spawnImport(service: service, parameters: parameters, client: client, origin: origin, mailbox: mailbox)
        case .cancelImport(let id):
            Task.detached { await client.cancel(id) }
        case .copyToClipboard(let text):
            terminal.copyToClipboard(text)
        case .pasteAddress(let id, let address):
            Task.detached {
                do {
                    try await client.paste(id, address: address)
                    mailbox.post(.pasteAnswered(importID: id, refusal: nil))
                } catch let error as ImportError {
                    mailbox.post(.pasteAnswered(importID: id, refusal: error.remark ?? error.headline))
                } catch {
                    mailbox.post(.pasteAnswered(importID: id, refusal: "the import is no longer running"))
                }
            }
        case .export(let job):
            let path = files.expand(job.path)
            Self.spawnExport(job, to: path, input: importedFile, origin: origin.current, mailbox: mailbox)
        case .findDuplicates(let job):
            Self.spawnMergeSearch(job, mailbox: mailbox)
        case .redraw:
            terminal.forceRedraw()
        case .quit:
            running = false
        }
    }

    private static func spawnImport(service: String, parameters: [String: String], client: any ImportClient,
                                    origin: ImportOrigin, mailbox: Mailbox<AppEvent>) {
        Task.detached {
            await follow(service: service, parameters: parameters, client: client, origin: origin, mailbox: mailbox)
        }
    }

    /// Looks for duplicates off the UI thread, posting how far it got about ten times a
    /// second and then the proposals.
    private static func spawnMergeSearch(_ job: MergeJob, mailbox: Mailbox<AppEvent>) {
        Task.detached {
            var lastPost = ContinuousClock.now
            let result = mergeDuplicates(job.contacts) { checked, total in
                let now = ContinuousClock.now
                guard now - lastPost >= .milliseconds(100) else { return }
                lastPost = now
                mailbox.post(.mergeProgress(search: job.search, checked: checked, total: total))
            }
            mailbox.post(.duplicatesFound(search: job.search, result))
        }
    }

    /// Writes on a thread of its own: the UI thread never waits on the disk, and the
    /// blocking writes keep off the threads the import tasks share.
    private static func spawnExport(_ job: ExportJob, to path: String, input: String?, origin: ImportOrigin.Value?,
                                    mailbox: Mailbox<AppEvent>) {
        let thread = Thread { write(job, to: path, input: input, origin: origin, mailbox: mailbox) }
        thread.name = "export"
        thread.start()
    }

    private static func write(_ job: ExportJob, to path: String, input: String?, origin: ImportOrigin.Value?, mailbox: Mailbox<AppEvent>) {
        // The JSON payload names the import and its owner, as the command line's output does.
        let json = JSONPayloadEncoder(importID: origin?.importID, owner: origin?.owner)
        let total = job.contacts.count
        var lastPost = ContinuousClock.now - .seconds(1)
        do {
            var summary = WriteSummary()
            try OutputFile(path, input: input).write { emit in
                summary = try PiecewiseOutput.write(job.contacts, format: job.format, json: json, progress: { written in
                    // About ten times a second: enough for the line to move, few redraws.
                    let now = ContinuousClock.now
                    guard now - lastPost >= .milliseconds(100) || written == total else { return }
                    lastPost = now
                    mailbox.post(.exportProgress(path: job.path, written: written, total: total))
                }, emit: emit)
            }
            mailbox.post(.exported(count: job.contacts.count - summary.contactsLeftOut, path: job.path, format: job.format,
                                   summary: summary))
        } catch let failure as OutputFile.Failure {
            mailbox.post(.exportFailed(path: job.path, message: failure.reason))
        } catch {
            mailbox.post(.exportFailed(path: job.path, message: String(describing: error)))
        }
    }

    /// begin → events → contacts, posting each step to the mailbox.
    private static func follow(service: String, parameters: [String: String], client: any ImportClient,
                               origin: ImportOrigin, mailbox: Mailbox<AppEvent>) async {
        let outcome = await ImportFlow(client: client).run(service: service, parameters: ImportParameters(parameters),
                                                           began: { mailbox.post(.began($0)) },
                                                           progress: { mailbox.post(.snapshot($0)) })
        switch outcome {
        case .refused(let error):
            mailbox.post(.beginFailed(error))
        case .failed:
            break
        case .completed(let final, let downloaded):
            origin.set(ImportOrigin.Value(importID: final.id, owner: downloaded.page.owner))
            // Records the download could not read are listed like a file's skipped ones.
            if downloaded.skipped.count > final.skipped.count {
                var told = final
                told.skipped = downloaded.skipped
                mailbox.post(.snapshot(told))
            }
            mailbox.post(.contacts(downloaded.page.contacts))
        case .contactsUnavailable(_, let error), .lost(_, let error):
            mailbox.post(.contactsUnavailable(String(describing: error)))
        }
    }

    static let localFiles = FileSystemView(
        list: { directory in
            let manager = FileManager.default
            guard let names = try? manager.contentsOfDirectory(atPath: directory) else { return nil }
            return names.map { name in
                var isDirectory: ObjCBool = false
                let path = (directory as NSString).appendingPathComponent(name)
                _ = manager.fileExists(atPath: path, isDirectory: &isDirectory)
                return (name, isDirectory.boolValue)
            }
        },
        exists: { FileManager.default.fileExists(atPath: $0) },
        homeDirectory: NSHomeDirectory()
    )
}
