import Foundation

/// Who owns an import (later: the API's domain key). Another caller sees "not found".
public struct CallerID: Hashable, Sendable, Codable {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    /// The local user of the CLI and TUI.
    public static let local = CallerID("local")
}

public enum EventType: String, Sendable, Codable, CaseIterable {
    case initializing = "INITIALIZING"
    case gathering = "GATHERING"
    case submitting = "SUBMITTING"
    case complete = "COMPLETE"
}

public enum EventStatus: String, Sendable, Codable, CaseIterable {
    case inProgress = "INPROGRESS"
    case completed = "COMPLETED"
    case error = "ERROR"
}

public struct ImportEvent: Sendable, Hashable, Codable {
    public var type: EventType
    public var status: EventStatus
    /// 0, a count of contacts, or an error code, as the spec's table says.
    public var value: Int
    /// Human-readable detail; set on errors.
    public var description: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(type: EventType, status: EventStatus, value: Int, description: String? = nil, createdAt: Date, updatedAt: Date) {
        self.type = type
        self.status = status
        self.value = value
        self.description = description
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// Where one import stands, for front ends that show more than the API's events.
public struct ImportSnapshot: Sendable {
    public var id: Int
    public var service: ServiceDescriptor
    public var events: [ImportEvent]
    public var gathered: Int
    /// Expected number of contacts, when the source knows it.
    public var total: Int?
    /// The share of its input the source has read (0...1), when it knows its input's size
    /// but not the number of contacts: a file's bytes. Nil otherwise.
    public var inputFraction: Double?
    public var skipped: [SkippedRecord]
    public var error: ImportError?
    /// True once COMPLETE is present (COMPLETED or ERROR).
    public var isFinished: Bool
    public var consentURL: String?
    /// The code to type on the consent page, for device code flows.
    public var userCode: String?
    /// The import takes the address the browser ended on (`ImportEngine.paste`).
    public var takesPastedAddress: Bool

    public init(id: Int, service: ServiceDescriptor, events: [ImportEvent], gathered: Int = 0, total: Int? = nil,
                inputFraction: Double? = nil, skipped: [SkippedRecord] = [], error: ImportError? = nil,
                isFinished: Bool = false, consentURL: String? = nil, userCode: String? = nil,
                takesPastedAddress: Bool = false) {
        self.id = id
        self.service = service
        self.events = events
        self.gathered = gathered
        self.total = total
        self.inputFraction = inputFraction
        self.skipped = skipped
        self.error = error
        self.isFinished = isFinished
        self.consentURL = consentURL
        self.userCode = userCode
        self.takesPastedAddress = takesPastedAddress
    }
}

extension ImportSnapshot {
    /// How far gathering has come (0...1): the count against the total when the total is
    /// known, else the share of the input read; nil when neither is known.
    public var fractionDone: Double? {
        if let total, total > 0 { return min(1, Double(gathered) / Double(total)) }
        return inputFraction.map { min(1, max(0, $0)) }
    }
}

public struct BeganImport: Sendable {
    public var id: Int
    public var service: ServiceDescriptor
    public var consentURL: String?
    /// The code to type on the consent page, for device code flows.
    public var userCode: String?
    /// The import takes the address the browser ended on (`ImportEngine.paste`).
    public var takesPastedAddress: Bool = false
    /// The events as `begin` left them (INITIALIZING in progress), so a front end can show
    /// the first stage even if the import has moved on by the time it watches.
    public var events: [ImportEvent]

    /// Where the import stood when `begin` returned.
    public var initialSnapshot: ImportSnapshot {
        ImportSnapshot(id: id, service: service, events: events, consentURL: consentURL, userCode: userCode,
                       takesPastedAddress: takesPastedAddress)
    }
}

public struct ContactsPage: Sendable {
    public var contacts: [Contact]
    public var owner: ContactsOwner?
    public var start: Int
    public var count: Int
    public var total: Int

    public init(contacts: [Contact], owner: ContactsOwner?, start: Int, count: Int, total: Int) {
        self.contacts = contacts
        self.owner = owner
        self.start = start
        self.count = count
        self.total = total
    }
}

/// Why an import could not be looked up; distinct from the import's own error code.
public enum ImportLookupError: Error, Sendable, Hashable {
    /// No such import for this caller (HTTP 404).
    case notFound
    /// The import has not completed yet (HTTP 404 on contacts).
    case notReady
    /// The retention window passed and the contacts were deleted (HTTP 410).
    case gone
}
