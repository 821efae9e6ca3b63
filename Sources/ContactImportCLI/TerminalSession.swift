import ContactFormats
import CursesBackend
import Foundation
import ImportCore
import TerminalUI

#if canImport(Glibc)
import Glibc
#endif

/// The terminal UI's loop. It lives on one thread, which is the only one that touches
/// curses: each tick it drains the mailbox the import tasks post to, redraws if anything
/// changed, and waits up to 100 ms for a key (10 ms while the user waits on a search for
/// duplicates, so its answer shows as soon as it is there). Nothing in here awaits the engine.
final class TerminalSession {
    struct Outcome: Sendable {
        var status: Int32
        var runningImport: Int?
        var summary: String?
    }

    private let engine: ImportEngine
    private let terminal: CursesTerminal
    private let mailbox = Mailbox<AppEvent>()
    private var model: AppModel
    private var running = true
    private var status: Int32 = 0
    private let files = TerminalSession.localFiles
    /// The file of the latest import, if it came from one: an export never replaces it.
    private var importedFile: String?

    init(engine: ImportEngine, terminal: CursesTerminal, setupGuide: (ServiceDescriptor, SetupNeeded) -> SetupGuide) {
        self.engine = engine
        self.terminal = terminal
        let (width, height) = terminal.size
        model = AppModel(catalog: engine.catalog, isAvailable: { engine.isAvailable($0) },
                         setupGuide: { service in engine.setupNeeded(service).map { setupGuide(service, $0) } },
                         width: width, height: height, glyphs: terminal.isASCII ? .ascii : .unicode)
    }

    /// Starts an import right away (for `tui --service` / `--file`).
    func start(service: String, parameters: [String: String]) {
        guard let descriptor = engine.catalog.service(named: service) else {
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
            guard let key = terminal.readKey(waitingAtMost: model.isLookingForDuplicates ? 10 : 100) else {
                // A closed terminal makes curses return at once, forever: treat it as hang-up.
                quickTimeouts = ContinuousClock.now - waitStarted < .milliseconds(5) ? quickTimeouts + 1 : 0
                if quickTimeouts > 50 {
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
        let engine = self.engine
        let mailbox = self.mailbox
        switch effect {
        case .begin(let service, let parameters):
            importedFile = parameters["file"].map(files.expand)
            Self.spawnImport(service: service, parameters: parameters, engine: engine, mailbox: mailbox)
        case .cancelImport(let id):
            Task.detached { try? await engine.cancel(id) }
        case .copyToClipboard(let text):
            terminal.copyToClipboard(text)
        case .pasteAddress(let id, let address):
            Task.detached {
                do {
                    try await engine.paste(id, address: address)
                    mailbox.post(.pasteAnswered(importID: id, refusal: nil))
                } catch let error as ImportError {
                    mailbox.post(.pasteAnswered(importID: id, refusal: error.remark ?? error.headline))
                } catch {
                    mailbox.post(.pasteAnswered(importID: id, refusal: "the import is no longer running"))
                }
            }
        case .export(let job):
            let path = files.expand(job.path)
            Self.spawnExport(job, to: path, input: importedFile, mailbox: mailbox)
        case .findDuplicates(let job):
            Self.spawnMergeSearch(job, mailbox: mailbox)
        case .redraw:
            terminal.forceRedraw()
        case .quit:
            running = false
        }
    }

    private static func spawnImport(service: String, parameters: [String: String], engine: ImportEngine, mailbox: Mailbox<AppEvent>) {
        Task.detached {
            await follow(service: service, parameters: parameters, engine: engine, mailbox: mailbox)
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

    private static func spawnExport(_ job: ExportJob, to path: String, input: String?, mailbox: Mailbox<AppEvent>) {
        Task.detached { write(job, to: path, input: input, mailbox: mailbox) }
    }

    private static func write(_ job: ExportJob, to path: String, input: String?, mailbox: Mailbox<AppEvent>) {
        do {
            try OutputFile(path, input: input).write { emit in
                try PiecewiseOutput.write(job.contacts, format: job.format, emit: emit)
            }
            mailbox.post(.exported(count: job.contacts.count, path: job.path, format: job.format))
        } catch let failure as OutputFile.Failure {
            mailbox.post(.exportFailed(path: job.path, message: failure.reason))
        } catch {
            mailbox.post(.exportFailed(path: job.path, message: String(describing: error)))
        }
    }

    /// begin → events → contacts, posting each step to the mailbox.
    private static func follow(service: String, parameters: [String: String], engine: ImportEngine,
                               mailbox: Mailbox<AppEvent>) async {
        let began: BeganImport
        do {
            began = try await engine.begin(service: service, parameters: ImportParameters(parameters))
        } catch let error as ImportError {
            mailbox.post(.beginFailed(error))
            return
        } catch {
            mailbox.post(.beginFailed(ImportError(.invalidParameters, String(describing: error))))
            return
        }
        mailbox.post(.began(began))
        do {
            var last: ImportSnapshot?
            for await snapshot in try await engine.watch(began.id) {
                mailbox.post(.snapshot(snapshot))
                last = snapshot
            }
            let final = try await engine.snapshot(began.id)
            if last?.isFinished != true { mailbox.post(.snapshot(final)) }
            guard final.error == nil else { return }
            let page = try await engine.contacts(began.id)
            mailbox.post(.contacts(page.contacts))
        } catch {
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
