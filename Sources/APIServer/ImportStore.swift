import Foundation
import ImportCore

/// What the server keeps of an import beside the engine's events and contacts: whose it
/// is and what the caller asked to have echoed.
public struct ImportRecord: Sendable, Hashable {
    public var id: Int
    /// The domain key of the account that began it.
    public var account: String
    public var service: String
    /// `OAUTH`, `CSV` or nil (username/password imports), as `import_type` says.
    public var importType: String?
    public var userID: String?
    public var echo: String?
    public var url: String?
    /// `include=mailing_address` was asked at begin.
    public var mailingAddresses: Bool
    public var createdAt: Date

    public init(id: Int, account: String, service: String, importType: String?, userID: String?, echo: String?,
                url: String?, mailingAddresses: Bool = false, createdAt: Date = Date()) {
        self.mailingAddresses = mailingAddresses
        self.id = id
        self.account = account
        self.service = service
        self.importType = importType
        self.userID = userID
        self.echo = echo
        self.url = url
        self.createdAt = createdAt
    }
}

/// Where imports are kept between the three stages. The instance that began an import
/// gathers it on its own engine and hands it to `track`; `events` and `contacts` may then
/// be asked of any instance sharing the store.
///
/// In memory (`MemoryImportStore`) the engine itself is the store. A shared store (a
/// database) copies each snapshot's events and the final contacts into its tables from
/// `track`, and holds a lease on the import while it runs, renewed by the instance that
/// tracks it; an instance that finds a running import whose lease has lapsed ends it with
/// an ERROR event (518). Reads throw `ImportLookupError` as the engine does.
public protocol ImportStore: Sendable {
    /// An import began on this instance: remember `record` and follow the import on `engine`
    /// until it ends and is forgotten.
    func track(_ record: ImportRecord, on engine: ImportEngine) async throws
    /// The record of an import of any account; nil when it is unknown (or forgotten).
    func record(_ id: Int) async throws -> ImportRecord?
    func events(_ id: Int) async throws -> [ImportEvent]
    func contacts(_ id: Int, start: Int, count: Int) async throws -> ContactsPage
    /// How many imports of the account have not finished.
    func running(account: String) async throws -> Int
    /// An id for the next import of `account`, unique among every instance sharing the
    /// store, handed to `ImportEngine.begin`; nil lets the engine draw one itself.
    func reserveID(account: String) async throws -> Int?
}

extension ImportStore {
    /// Stores kept in one process let the engine draw ids.
    public func reserveID(account: String) async throws -> Int? { nil }
}

/// Imports kept in this process: records here, events and contacts on the engine, and
/// both forgotten together when the engine forgets the import.
public actor MemoryImportStore: ImportStore {
    private var records: [Int: ImportRecord] = [:]
    private var unfinished: [String: Set<Int>] = [:]
    private var engine: ImportEngine?

    public init() {}

    public func track(_ record: ImportRecord, on engine: ImportEngine) async throws {
        self.engine = engine
        records[record.id] = record
        unfinished[record.account, default: []].insert(record.id)
        let snapshots = try await engine.watch(record.id, caller: CallerID(record.account))
        let window = engine.configuration.forgetAfter
        Task { [weak self] in
            for await _ in snapshots {}
            await self?.finished(record)
            try? await Task.sleep(for: window)
            await self?.forget(record.id)
        }
    }

    public func record(_ id: Int) -> ImportRecord? { records[id] }

    public func events(_ id: Int) async throws -> [ImportEvent] {
        guard let record = records[id], let engine else { throw ImportLookupError.notFound }
        return try await engine.events(id, caller: CallerID(record.account))
    }

    public func contacts(_ id: Int, start: Int, count: Int) async throws -> ContactsPage {
        guard let record = records[id], let engine else { throw ImportLookupError.notFound }
        return try await engine.contacts(id, start: start, count: count, caller: CallerID(record.account))
    }

    public func running(account: String) -> Int { unfinished[account]?.count ?? 0 }

    private func finished(_ record: ImportRecord) {
        unfinished[record.account]?.remove(record.id)
        if unfinished[record.account]?.isEmpty == true { unfinished[record.account] = nil }
    }

    private func forget(_ id: Int) { records[id] = nil }
}
