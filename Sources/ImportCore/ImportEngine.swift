import Foundation

// INTERFACE STUB — the real engine replaces the bodies; signatures are the contract.

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
}

/// Where one import stands, for front ends that show more than the API's events.
public struct ImportSnapshot: Sendable {
    public var id: Int
    public var service: ServiceDescriptor
    public var events: [ImportEvent]
    public var gathered: Int
    /// Expected number of contacts, when the source knows it.
    public var total: Int?
    public var skipped: [SkippedRecord]
    public var error: ImportError?
    /// True once COMPLETE is present (COMPLETED or ERROR).
    public var isFinished: Bool
    public var consentURL: String?
}

public struct BeganImport: Sendable {
    public var id: Int
    public var service: ServiceDescriptor
    public var consentURL: String?
}

public struct ContactsPage: Sendable {
    public var contacts: [Contact]
    public var owner: ContactsOwner?
    public var start: Int
    public var count: Int
    public var total: Int
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

public actor ImportEngine {
    public struct Configuration: Sendable {
        public var retention: Duration
        public var consentTimeout: Duration
        public var minimumEventInterval: Duration
        public init(retention: Duration = .seconds(600), consentTimeout: Duration = .seconds(900),
                    minimumEventInterval: Duration = .milliseconds(100)) {
            self.retention = retention
            self.consentTimeout = consentTimeout
            self.minimumEventInterval = minimumEventInterval
        }
    }

    public let catalog: ServiceCatalog

    public init(catalog: ServiceCatalog = .standard, factories: [any ContactSourceFactory], configuration: Configuration = .init()) {
        self.catalog = catalog
    }

    public nonisolated func isAvailable(_ service: ServiceDescriptor) -> Bool { fatalError("stub") }
    public func begin(service: String?, parameters: ImportParameters = .init(), caller: CallerID = .local) async throws -> BeganImport { fatalError("stub") }
    public func events(_ id: Int, caller: CallerID = .local) throws -> [ImportEvent] { fatalError("stub") }
    public func snapshot(_ id: Int, caller: CallerID = .local) throws -> ImportSnapshot { fatalError("stub") }
    public func contacts(_ id: Int, start: Int = 0, count: Int = 0, caller: CallerID = .local) throws -> ContactsPage { fatalError("stub") }
    public func cancel(_ id: Int, caller: CallerID = .local) throws { fatalError("stub") }
    public func watch(_ id: Int, caller: CallerID = .local) throws -> AsyncStream<ImportSnapshot> { fatalError("stub") }
}
