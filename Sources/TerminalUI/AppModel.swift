import ContactFormats
import Foundation
import ImportCore
import QRCode

/// How a service connects, which is how the picker groups them. Files come first: they need
/// nothing but a path, and with the demo after them they are what a new user tries first.
/// Services this build cannot import from sit apart, at the bottom.
public enum ServiceGroup: Int, CaseIterable, Sendable {
    case file, browser, password, unavailable

    public var title: String {
        switch self {
        case .browser: return "Consent in a browser"
        case .password: return "Username and password"
        case .file: return "Files"
        case .unavailable: return "Not available"
        }
    }

    static let fileCodes: Set<String> = ["file", "vcard", "csv", "ldif"]

    /// How the service connects (never `.unavailable`: that depends on the build).
    public static func of(_ service: ServiceDescriptor) -> ServiceGroup {
        if fileCodes.contains(service.code) || service.authMethod == .desktopApplet { return .file }
        return service.authMethod == .usernamePassword ? .password : .browser
    }
}

/// One line of the service picker.
public struct PickerEntry: Sendable, Equatable {
    public var service: ServiceDescriptor
    public var group: ServiceGroup
    /// Why this build cannot import from it; nil when it can.
    public var unavailableReason: String?
    /// What this machine's settings lack before it can run; nil when nothing.
    public var setup: SetupGuide?
    /// Why the server refused it when it was chosen (`tui --server`); nil until then.
    public var refusal: String?

    public var isAvailable: Bool { unavailableReason == nil }
}

public struct PickerState: Sendable {
    public var entries: [PickerEntry]
    public var filter = ""
    /// Position in `stops` of the cursor, and the first list line on screen.
    public var cursor = 0
    public var top = 0
    /// Whether the "Not available" group shows its services; a filter shows the matching ones anyway.
    public var showsUnavailable = false

    public init(catalog: ServiceCatalog, isAvailable: (ServiceDescriptor) -> Bool,
                setupGuide: (ServiceDescriptor) -> SetupGuide? = { _ in nil }) {
        var entries: [PickerEntry] = []
        for group in ServiceGroup.allCases where group != .unavailable {
            let members = catalog.services.filter { ServiceGroup.of($0) == group && isAvailable($0) }
            entries += members.map { PickerEntry(service: $0, group: group, unavailableReason: nil, setup: setupGuide($0)) }
        }
        for service in catalog.services where !isAvailable(service) {
            entries.append(PickerEntry(service: service, group: .unavailable,
                                       unavailableReason: Self.reason(for: service, group: ServiceGroup.of(service))))
        }
        self.entries = entries
    }

    static func reason(for service: ServiceDescriptor, group: ServiceGroup) -> String {
        if let unavailable = service.unavailable {
            guard let alternative = unavailable.fileService else { return "not available: \(unavailable.reason)" }
            return "not available: \(unavailable.reason) Enter imports its \(alternative) export instead."
        }
        switch group {
        case .browser: return "not built yet: signing in through the provider's page"
        case .password: return "not built yet (try carddav with its server's URL)"
        case .file, .unavailable: return "not in this build"
        }
    }

    /// Whether the "Not available" group is folded into its heading line.
    var foldsUnavailable: Bool { filter.isEmpty && entries.contains { $0.group == .unavailable } }

    /// The entries shown: those matching the filter (code, aliases, name or description);
    /// without a filter, the unavailable ones only while their group is open.
    public var visible: [PickerEntry] {
        let words = filter.lowercased().split(separator: " ")
        guard !words.isEmpty else { return showsUnavailable ? entries : entries.filter { $0.group != .unavailable } }
        return entries.filter { entry in
            let haystack = ([entry.service.code, entry.service.displayName, entry.service.summary] + entry.service.aliases)
                .joined(separator: " ").lowercased()
            return words.allSatisfy { haystack.contains($0) }
        }
    }

    /// The list lines: a heading before each group, then its entries (index into `visible`).
    /// Without a filter the "Not available" heading is a line of its own that the cursor
    /// stops on, and Enter opens or closes it.
    public var lines: [PickerLine] {
        var result: [PickerLine] = []
        var group: ServiceGroup?
        for (position, entry) in visible.enumerated() {
            if entry.group != group {
                group = entry.group
                result.append(entry.group == .unavailable && foldsUnavailable ? unavailableToggle : .heading(entry.group))
            }
            result.append(.entry(position))
        }
        if foldsUnavailable && !showsUnavailable { result.append(unavailableToggle) }
        return result
    }

    private var unavailableToggle: PickerLine {
        .unavailableGroup(count: entries.filter { $0.group == .unavailable }.count, open: showsUnavailable)
    }

    /// The lines the cursor stops on, in order: entries and the "Not available" heading.
    public var stops: [PickerLine] {
        lines.filter { if case .heading = $0 { return false } else { return true } }
    }

    /// The line the cursor is on, as an index into `lines`.
    public var cursorLine: Int {
        let stops = self.stops
        guard stops.indices.contains(cursor) else { return 0 }
        return lines.firstIndex(of: stops[cursor]) ?? 0
    }

    public var selected: PickerEntry? {
        let stops = self.stops
        guard stops.indices.contains(cursor), case .entry(let position) = stops[cursor] else { return nil }
        return visible[position]
    }

    /// Whether the cursor is on the "Not available" heading.
    public var onUnavailableGroup: Bool {
        let stops = self.stops
        guard stops.indices.contains(cursor), case .unavailableGroup = stops[cursor] else { return false }
        return true
    }

    /// Opens or closes the "Not available" group, the cursor staying on its heading.
    mutating func toggleUnavailable() {
        showsUnavailable.toggle()
        cursor = stops.firstIndex { if case .unavailableGroup = $0 { return true } else { return false } } ?? 0
    }

    /// Puts the cursor on the best match: the code itself, then a code or name starting with
    /// the filter, available services before unavailable ones, list order last.
    mutating func resetCursor() {
        let shown = visible
        let typed = filter.lowercased().trimmingCharacters(in: .whitespaces)
        func score(_ entry: PickerEntry) -> Int {
            let code = entry.service.code
            let names = [code] + entry.service.aliases
            var value = 3
            if !typed.isEmpty {
                if names.contains(typed) { value = 0 }
                else if names.contains(where: { $0.hasPrefix(typed) }) { value = 1 }
                else if entry.service.displayName.lowercased().hasPrefix(typed) { value = 2 }
            }
            return value * 2 + (entry.isAvailable ? 0 : 1)
        }
        let best = shown.indices.min { score(shown[$0]) < score(shown[$1]) } ?? 0
        cursor = stops.firstIndex(of: .entry(best)) ?? 0
        top = 0
    }
}

public enum PickerLine: Sendable, Equatable {
    case heading(ServiceGroup)
    case entry(Int)
    /// The heading of the services this build cannot import from, with how many there are.
    case unavailableGroup(count: Int, open: Bool)
}

/// The parameters a service needs before it starts.
public struct FormState: Sendable {
    public enum Kind: Sendable, Equatable { case path, text, secret }

    public struct Field: Sendable, Equatable {
        public var name: String
        public var label: String
        public var kind: Kind
        public var value: String
        public var hint: String
        /// May stay empty (the service then uses its default).
        public var isOptional = false
    }

    public var service: ServiceDescriptor
    public var fields: [Field]
    public var focus = 0
    /// Completion candidates or a complaint, shown under the fields.
    public var note: String?

    public static func forService(_ service: ServiceDescriptor) -> FormState? {
        switch ServiceGroup.of(service) {
        case .file:
            return FormState(service: service, fields: [
                Field(name: "file", label: "File", kind: .path, value: "",
                      hint: "Tab completes; leave empty to upload the file from a phone or browser", isOptional: true),
            ])
        case .password:
            var fields = [
                Field(name: "username", label: "Username", kind: .text, value: "", hint: "the account's user name or email"),
                Field(name: "password", label: "Password", kind: .secret, value: "", hint: "an app password where the provider offers one"),
            ]
            // Any CardDAV server: it has no preset host, so the user names it.
            if service.code == "carddav" {
                fields.insert(Field(name: "url", label: "Server URL", kind: .text, value: "",
                                    hint: "e.g. https://cloud.example.org/remote.php/dav"), at: 0)
            }
            // The same parameter as the command line's --book.
            fields.append(Field(name: "book", label: "Book", kind: .text, value: "",
                                hint: "optional: one address book's name; empty for all",
                                isOptional: true))
            return FormState(service: service, fields: fields)
        case .browser:
            // The choices the command line gives as --include and --auth-flow; Enter on
            // the empty field starts the usual sign-in.
            switch service.code {
            case "gmail":
                return FormState(service: service, fields: [
                    Field(name: "include", label: "Include", kind: .text, value: "",
                          hint: "optional: other-contacts adds the addresses Gmail saved by itself", isOptional: true),
                ])
            case "windowslive", "office365":
                return FormState(service: service, fields: [
                    Field(name: "auth-flow", label: "Sign-in", kind: .text, value: "",
                          hint: "optional: browser signs in on Microsoft's page instead of with a code", isOptional: true),
                ])
            default:
                return nil
            }
        case .unavailable:
            return nil
        }
    }

    /// The form for `service` with the values an import was started with, so a failed
    /// import started without the form (`tui --file`) can be corrected in it too.
    public static func forService(_ service: ServiceDescriptor, filledWith parameters: [String: String]) -> FormState? {
        guard var form = forService(service) else { return nil }
        for position in form.fields.indices {
            if let value = parameters[form.fields[position].name] { form.fields[position].value = value }
        }
        return form
    }

    public var parameters: [String: String] {
        var result: [String: String] = [:]
        for field in fields where !field.value.isEmpty { result[field.name] = field.value }
        return result
    }

    /// Every field that must be filled is.
    public var isComplete: Bool { fields.allSatisfy { $0.isOptional || !$0.value.isEmpty } }
}

/// One import, from begin to contacts.
public struct ImportState: Sendable {
    public var service: ServiceDescriptor
    public var parameters: [String: String]
    public var startedAt: Date
    public var importID: Int?
    public var consentURL: String?
    public var qr: QRCode?
    /// The code to enter on the consent page (device code flows).
    public var userCode: String?
    /// The import takes the address the browser ended on after consent.
    public var takesPastedAddress = false
    /// The paste field's text while it is open (p opens it), nil while closed.
    public var pasteField: String?
    /// The answer to the last pasted address: why it was refused, or that it was taken.
    public var pasteNote: (text: String, isError: Bool)?
    /// A pasted address is on its way to the import.
    public var pasteSending = false
    public var snapshot: ImportSnapshot?
    public var beginError: ImportError?
    public var cancelling = false
    /// Set once the contacts have been fetched.
    public var contactsCount: Int?
    /// Event changes as they happened, newest last.
    public var log: [String] = []
    private var lastEvents: [EventType: (EventStatus, Int)] = [:]
    private var lastLogKey = ""

    public init(service: ServiceDescriptor, parameters: [String: String], startedAt: Date) {
        self.service = service
        self.parameters = parameters
        self.startedAt = startedAt
    }

    public var error: ImportError? { beginError ?? snapshot?.error }
    public var isFinished: Bool { beginError != nil || (snapshot?.isFinished ?? false) }
    public var isRunning: Bool { !isFinished }
    public var waitsForConsent: Bool {
        guard consentURL != nil, !isFinished, let snapshot else { return consentURL != nil && !isFinished }
        return !snapshot.events.contains { $0.type == .gathering }
    }

    mutating func began(_ began: BeganImport) {
        importID = began.id
        consentURL = began.consentURL
        userCode = began.userCode
        takesPastedAddress = began.takesPastedAddress
        if let url = began.consentURL { qr = try? QRCode(encoding: url, errorCorrection: .low) }
        absorb(began.initialSnapshot)
    }

    /// The paste field is shown: consent is awaited and the import takes an address.
    public var offersPaste: Bool { takesPastedAddress && waitsForConsent }

    mutating func absorb(_ snapshot: ImportSnapshot) {
        self.snapshot = snapshot
        userCode = snapshot.userCode ?? userCode
        takesPastedAddress = snapshot.takesPastedAddress
        if !waitsForConsent { pasteField = nil }
        for event in snapshot.events {
            let now = (event.status, event.value)
            if let before = lastEvents[event.type], before == now { continue }
            lastEvents[event.type] = now
            let seconds = max(0, Int(event.updatedAt.timeIntervalSince(startedAt)))
            let line = "\(Format.clock(seconds))  \(event.type.rawValue) \(event.status.rawValue) \(event.value)"
            // A growing count updates its line instead of adding one per update.
            let key = "\(event.type.rawValue) \(event.status.rawValue)"
            if key == lastLogKey, !log.isEmpty { log[log.count - 1] = line } else { log.append(line) }
            lastLogKey = key
        }
        if log.count > 200 { log.removeFirst(log.count - 200) }
    }
}

/// What the export dialog will write.
public enum ExportScope: Int, CaseIterable, Sendable {
    case all, selected, filtered

    public var label: String {
        switch self {
        case .all: return "all"
        case .selected: return "selected"
        case .filtered: return "filtered"
        }
    }
}

public struct ExportState: Sendable {
    public enum Field: Int, CaseIterable, Sendable { case format, scope, path }

    public static let formats: [ContactFormat] = [.vcard3, .vcard4, .googleCSV, .outlookCSV, .json, .ldif, .muttAliases, .muttQuery]

    public var format = 0
    public var scope: ExportScope = .all
    public var path: String
    public var pathEdited = false
    public var focus: Field = .format
    public var baseName: String
    /// Why the last write to `path` failed; cleared by the next change.
    public var failure: String?

    public init(baseName: String, scope: ExportScope) {
        self.baseName = baseName
        self.scope = scope
        self.path = Self.defaultPath(baseName: baseName, format: Self.formats[0])
    }

    public var chosenFormat: ContactFormat { Self.formats[format] }

    /// Each format its own name, so that two formats sharing an extension (vCard 3 and 4,
    /// Google and Outlook CSV) never write over each other's file by default.
    public static func defaultPath(baseName: String, format: ContactFormat) -> String {
        let suffix: String
        switch format {
        case .vcard4: suffix = "-vcard4"
        case .outlookCSV: suffix = "-outlook"
        case .muttQuery: suffix = "-query"
        default: suffix = ""
        }
        return "\(baseName)\(suffix).\(format.fileExtension)"
    }

    /// Moves to another format. The path follows: the default name until the user typed
    /// one; a typed path keeps its name and swaps an extension that named the old format.
    mutating func chooseFormat(_ position: Int) {
        let old = chosenFormat
        format = position
        failure = nil
        if !pathEdited {
            path = Self.defaultPath(baseName: baseName, format: chosenFormat)
        } else if let dot = path.lastIndex(of: "."), !path[dot...].contains("/"),
                  Self.namesFormat(path, like: old), !Self.namesFormat(path, like: chosenFormat) {
            path = String(path[..<dot]) + "." + chosenFormat.fileExtension
        }
    }

    /// After the path changed: an extension the command line recognises picks its format,
    /// unless the chosen format already writes that kind of file (`.vcf` for vCard 4,
    /// `.csv` for Outlook CSV).
    mutating func pathChanged() {
        pathEdited = true
        failure = nil
        guard let guessed = ContactFormat.guess(fromFileName: Self.fileName(path)),
              !Self.namesFormat(path, like: chosenFormat),
              let position = Self.formats.firstIndex(of: guessed) else { return }
        format = position
    }

    /// The path's extension is the format's, or one the command line reads as its kind.
    static func namesFormat(_ path: String, like format: ContactFormat) -> Bool {
        let name = fileName(path)
        if let dot = name.lastIndex(of: "."), name[name.index(after: dot)...].lowercased() == format.fileExtension { return true }
        return ContactFormat.guess(fromFileName: name).map { $0.fileExtension == format.fileExtension } ?? false
    }

    static func fileName(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
    }
}

/// Work for the front end: anything that touches the engine, the file system or the terminal.
public enum Effect: Sendable {
    case begin(service: String, parameters: [String: String])
    case cancelImport(Int)
    case copyToClipboard(String)
    /// Hand the import the address the browser ended on (`ImportEngine.paste`).
    case pasteAddress(importID: Int, address: String)
    case export(ExportJob)
    /// Look for duplicates off the UI thread (see `MergeJob`).
    case findDuplicates(MergeJob)
    case redraw
    case quit
}

public struct ExportJob: Sendable {
    public var contacts: [Contact]
    public var format: ContactFormat
    public var path: String
}

/// An export on its way to its file.
public struct ExportProgress: Sendable, Equatable {
    public var path: String
    public var written: Int
    public var total: Int

    public init(path: String, written: Int = 0, total: Int) {
        self.path = path
        self.written = written
        self.total = total
    }

    /// `Writing 45,000 of 100,000 contacts to out.vcf (45%)`.
    public var line: String {
        let percent = total > 0 ? " (\(min(100, written * 100 / total))%)" : ""
        return "Writing \(Format.count(written)) of \(Format.count(total)) contacts to \(path)\(percent)"
    }
}

/// What reaches the UI from the import tasks, through the mailbox.
public enum AppEvent: Sendable {
    case began(BeganImport)
    case beginFailed(ImportError)
    case snapshot(ImportSnapshot)
    case contacts([Contact])
    case contactsUnavailable(String)
    /// The import's answer to a pasted address: nil when taken, else why not.
    case pasteAnswered(importID: Int, refusal: String?)
    /// How far an export has come: contacts written so far, of `total`.
    case exportProgress(path: String, written: Int, total: Int)
    /// `count` contacts written; `summary` says what could not be written as it was.
    case exported(count: Int, path: String, format: ContactFormat, summary: WriteSummary = WriteSummary())
    case exportFailed(path: String, message: String)
    /// How many contacts the duplicate search has looked at.
    case mergeProgress(search: Int, checked: Int, total: Int)
    case duplicatesFound(search: Int, MergeResult)
}

/// The file system as the UI may see it (path completion, overwrite checks); injected so
/// tests need no disk.
public struct FileSystemView: Sendable {
    public var list: @Sendable (_ directory: String) -> [(name: String, isDirectory: Bool)]?
    public var exists: @Sendable (_ path: String) -> Bool
    public var homeDirectory: String

    public init(list: @escaping @Sendable (String) -> [(name: String, isDirectory: Bool)]?,
                exists: @escaping @Sendable (String) -> Bool, homeDirectory: String) {
        self.list = list
        self.exists = exists
        self.homeDirectory = homeDirectory
    }

    public static let none = FileSystemView(list: { _ in nil }, exists: { _ in false }, homeDirectory: "/")

    /// `~/x` → home + `/x`.
    public func expand(_ path: String) -> String {
        if path == "~" { return homeDirectory }
        if path.hasPrefix("~/") { return homeDirectory + path.dropFirst(1) }
        return path
    }
}

/// Screens the user moves between; the last is on top.
public enum Screen: Sendable, Equatable {
    case picker, form, importing, browser, detail, export, merge
    /// What to add to the settings before the chosen service can run.
    case setup
}

/// Boxes over the current screen.
public enum Overlay: Sendable, Equatable {
    case help(scroll: Int)
    case confirmQuit
    /// Quitting would lose contacts not exported since they arrived or changed.
    case confirmDiscard
    case confirmOverwrite
}

/// Everything the UI shows. Views render it; `handle` and `apply` change it and ask for
/// effects. No terminal, engine or file system in here.
public struct AppModel: Sendable {
    public var width: Int
    public var height: Int
    public var glyphs: Glyphs
    public var now: Date
    public var keyMap = KeyMap.standard

    public var stack: [Screen] = [.picker]
    public var overlay: Overlay?
    public var picker: PickerState
    /// The server the imports run on (`tui --server`), nil when they run here.
    public var server: String?
    /// The service chosen from the picker that needs setup, and what it needs.
    public var setup: SetupGuide?
    public var form: FormState?
    public var importState: ImportState?
    public var browser: BrowserState?
    public var detailScroll = 0
    public var export: ExportState?
    /// The merge screen: the running search for duplicates, then its proposals.
    public var merge: MergeState?
    /// How many searches for duplicates have started, to tell their answers apart.
    var mergeSearches = 0
    public var consentScroll = 0
    /// A one-line message in the footer until the next key.
    public var message: (text: String, isError: Bool)?
    /// Ctrl-C already cancelled an import: the next one quits.
    public var interruptArmed = false
    /// The contacts as last exported in full; quitting asks while the browser's differ.
    public var lastExported: [Contact]?
    /// Exports on their way, by path: the contacts each writes when it writes them all.
    public var pendingExports: [String: [Contact]] = [:]
    /// Exports being written, by path, oldest first: the browser's status line shows the
    /// first one's progress until it has written everything.
    public var exportsWriting: [ExportProgress] = []

    public init(catalog: ServiceCatalog, isAvailable: (ServiceDescriptor) -> Bool,
                setupGuide: (ServiceDescriptor) -> SetupGuide? = { _ in nil }, width: Int = 80, height: Int = 24,
                glyphs: Glyphs = .unicode, now: Date = Date()) {
        self.width = width
        self.height = height
        self.glyphs = glyphs
        self.now = now
        self.picker = PickerState(catalog: catalog, isAvailable: isAvailable, setupGuide: setupGuide)
        picker.resetCursor()
    }

    public var screen: Screen { stack.last ?? .picker }
    public var importRunning: Bool { importState?.isRunning ?? false }

    /// Contacts that arrived, or changed (a merge, an edit), since they were last exported
    /// in full: quitting would throw them away.
    public var hasUnexportedContacts: Bool {
        guard let browser, browser.count > 0 else { return false }
        return lastExported != browser.contacts
    }

    /// Rows of the browser list for the current size (title, header, status, footer aside).
    public var browserListHeight: Int { max(1, height - 4) }
    public var pickerListHeight: Int { max(1, height - (width >= 60 ? 3 : 4)) }
}

/// Number formatting shared by the views.
public enum Format {
    /// 12345 → "12,345".
    public static func count(_ value: Int) -> String {
        let digits = String(abs(value))
        var result = ""
        for (offset, character) in digits.enumerated() {
            if offset > 0 && (digits.count - offset) % 3 == 0 { result.append(",") }
            result.append(character)
        }
        return value < 0 ? "-" + result : result
    }

    /// Seconds → "m:ss" (or "h:mm:ss").
    public static func clock(_ seconds: Int) -> String {
        let s = max(0, seconds)
        let two = { (v: Int) in v < 10 ? "0\(v)" : "\(v)" }
        if s >= 3600 { return "\(s / 3600):\(two(s / 60 % 60)):\(two(s % 60))" }
        return "\(s / 60):\(two(s % 60))"
    }
}
