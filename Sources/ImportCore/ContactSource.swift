import Foundation

/// Free-form begin parameters (`file`, `username`, `include`, …), as the API passes them.
public struct ImportParameters: Sendable, Hashable {
    public var values: [String: String]

    public init(_ values: [String: String] = [:]) { self.values = values }

    public subscript(_ key: String) -> String? {
        get { values[key] }
        set { values[key] = newValue }
    }
}

/// A record a reader could not use. The import goes on without it; the user is told.
public struct SkippedRecord: Sendable, Hashable, Codable {
    /// 1-based line where the record starts in the input.
    public var line: Int
    public var reason: String

    public init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }
}

/// What a source hands back once it has gathered everything.
public struct GatheredContacts: Sendable {
    public var contacts: [Contact]
    public var owner: ContactsOwner?
    public var skipped: [SkippedRecord]

    public init(contacts: [Contact], owner: ContactsOwner? = nil, skipped: [SkippedRecord] = []) {
        self.contacts = contacts
        self.owner = owner
        self.skipped = skipped
    }
}

/// How a running source tells the engine where it is. The engine turns these calls into
/// events and throttles them; sources may call as often as they like.
public protocol ImportProgressReporter: Sendable {
    /// Consent (if any) is granted and gathering has begun: INITIALIZING completes and
    /// GATHERING starts at 0. `total` is the expected number of contacts when known.
    func startGathering(total: Int?)
    /// Contacts gathered so far, and the expected total when known.
    func gathered(_ count: Int, total: Int?)
    /// How much of its input the source has read (bytes of a file, say), when the number of
    /// contacts to come is unknown but the input's size is: front ends show a percentage.
    func read(_ done: Int, of size: Int)
}

extension ImportProgressReporter {
    public func read(_ done: Int, of size: Int) {}
}

/// One running import of one service: waits for consent where the flow has it, then
/// gathers. Cancellation arrives as Swift task cancellation; a source throws
/// `ImportError` for every failure it can name.
public protocol ContactSource: Sendable {
    func gather(progress: any ImportProgressReporter) async throws -> GatheredContacts
}

/// What `begin` needs from a factory: the source, and for consent flows the page URL.
public struct PreparedSource: Sendable {
    public var source: any ContactSource
    /// The page the user opens (consent or upload); nil when the import starts at once.
    public var consentURL: String?
    /// A code the person types on the consent page (the device code flow's user code);
    /// front ends show it large and copyable beside the URL.
    public var userCode: String?
    /// Takes the address a browser ended on after consent, for flows that redirect to a
    /// loopback listener the browser cannot reach (a phone, a laptop over SSH): the whole
    /// URL or just its code. Throws `ImportError` (2) when the text does not belong to this
    /// import (a wrong `state`, no code); the import goes on waiting then.
    public var pastedAddress: (@Sendable (String) async throws -> Void)?
    /// Called by the engine when the import ends however it ends (completion, error,
    /// cancellation, timeout), so pages and listeners can be released.
    public var onFinish: (@Sendable () async -> Void)?

    public init(source: any ContactSource, consentURL: String? = nil, userCode: String? = nil,
                onFinish: (@Sendable () async -> Void)? = nil,
                pastedAddress: (@Sendable (String) async throws -> Void)? = nil) {
        self.source = source
        self.consentURL = consentURL
        self.userCode = userCode
        self.pastedAddress = pastedAddress
        self.onFinish = onFinish
    }
}

/// Why a service this build can import from cannot run yet on this machine: app keys or
/// other settings are missing. Front ends show it as "needs setup" with these words.
public struct SetupNeeded: Sendable, Hashable {
    /// The settings to add, by their names in the settings file (`google.client-id`).
    public var settings: [String]
    /// Where to learn how to get their values ("docs/oauth.md").
    public var guide: String

    public init(settings: [String], guide: String) {
        self.settings = settings
        self.guide = guide
    }
}

/// Everything a factory is told when an import begins.
public struct SourceRequest: Sendable {
    public var importID: Int
    public var service: ServiceDescriptor
    public var parameters: ImportParameters

    public init(importID: Int, service: ServiceDescriptor, parameters: ImportParameters) {
        self.importID = importID
        self.service = service
        self.parameters = parameters
    }
}

/// Makes sources for the services it serves. Registering a factory with the engine is
/// what makes a catalog entry available in this build.
public protocol ContactSourceFactory: Sendable {
    /// Canonical catalog codes (lowercase) this factory serves.
    var serviceCodes: Set<String> { get }
    /// Validates parameters cheaply (throw `ImportError`, e.g. code 2 or 259) and
    /// prepares the source. Reading and parsing belong in `gather`, so their failures
    /// surface as events.
    func prepare(_ request: SourceRequest) async throws -> PreparedSource
    /// What this machine's settings lack before `service` can run; nil when nothing.
    func setupNeeded(for service: ServiceDescriptor) -> SetupNeeded?
}

extension ContactSourceFactory {
    public func setupNeeded(for service: ServiceDescriptor) -> SetupNeeded? { nil }
}
