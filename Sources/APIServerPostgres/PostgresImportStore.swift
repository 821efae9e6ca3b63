import APIServer
import Foundation
import ImportCore
import Logging
import PostgresNIO

/// Imports in PostgreSQL, shared by every server instance on the database.
///
/// The instance that begins an import reserves its id (a row in `imports`), gathers it on
/// its own engine and copies each snapshot's events, then the contacts, into the tables;
/// any instance answers `events` and `contacts` from them. While an import runs its row
/// holds a lease (`lease_owner`, `lease_expires`) that the tracking instance renews. When
/// the lease has lapsed (the instance died or lost the database), the first instance to
/// notice ends the import with ERROR 518 in one statement that only one can win. Every
/// time is the database's clock, so instances need not agree on theirs.
public actor PostgresImportStore: ImportStore {
    nonisolated let client: PostgresClient
    nonisolated let configuration: PostgresStorage.Configuration
    nonisolated let logger: Logger
    nonisolated let gate: ReadyGate
    /// This process, as the lease owner.
    nonisolated let instance: String
    /// The imports this instance reserved or tracks and keeps the lease of.
    private var leased: Set<Int> = []
    private var generator = SystemRandomNumberGenerator()

    init(client: PostgresClient, configuration: PostgresStorage.Configuration, logger: Logger, gate: ReadyGate) {
        self.client = client
        self.configuration = configuration
        self.logger = logger
        self.gate = gate
        instance = UUID().uuidString
    }

    nonisolated var leaseSeconds: Double { configuration.leaseDuration.seconds }

    // MARK: - Begin and track

    /// A random positive 32-bit id from the system's generator (unguessable as the
    /// engine's own), claimed by inserting its row: the primary key makes it unique among
    /// every instance. The row stays `reserved` until `track`; one never tracked is
    /// deleted once its lease lapses.
    public func reserveID(account: String) async throws -> Int? {
        try await gate.wait()
        for _ in 0..<32 {
            let id = Int(Int32.random(in: 1...Int32.max, using: &generator))
            let rows = try await client.query("""
                INSERT INTO imports (id, account, state, lease_owner, lease_expires)
                VALUES (\(id), \(account), 'reserved', \(instance), now() + make_interval(secs => \(leaseSeconds)))
                ON CONFLICT (id) DO NOTHING RETURNING id
                """, logger: logger)
            if try await rows.collect().count == 1 {
                leased.insert(id)
                return id
            }
        }
        throw PostgresStoreError("no free import id was found")
    }

    public func track(_ record: ImportRecord, on engine: ImportEngine) async throws {
        try await gate.wait()
        let caller = CallerID(record.account)
        // Watched before the row says running, so that nothing is missed and a failure
        // here leaves only a reservation, which lapses.
        let snapshots = try await engine.watch(record.id, caller: caller)
        // COMPLETE goes in only with the outcome (`finish`), so an import that has already
        // ended writes nothing here.
        let now = try await engine.snapshot(record.id, caller: caller)
        let initial = now.isFinished ? [] : now.events
        let rows = try await client.query("""
            UPDATE imports SET state = 'running', service = \(record.service), import_type = \(record.importType),
                user_id = \(record.userID), echo = \(record.echo), url = \(record.url),
                mailing_addresses = \(record.mailingAddresses), created_at = now(),
                lease_expires = now() + make_interval(secs => \(leaseSeconds))
            WHERE id = \(record.id) AND state = 'reserved' AND lease_owner = \(instance)
            RETURNING id
            """, logger: logger)
        guard try await rows.collect().count == 1 else {
            leased.remove(record.id)
            throw PostgresStoreError("import \(record.id) was not reserved by this instance")
        }
        leased.insert(record.id)
        // The first events go in before begin answers: a poll of another instance never
        // finds the import without them.
        do {
            if !initial.isEmpty { try await upsert(initial, of: record.id, on: nil) }
        } catch {
            leased.remove(record.id)
            throw error
        }
        Task { [weak self] in
            var written = initial
            for await snapshot in snapshots {
                guard let self else { return }
                if snapshot.isFinished {
                    let page = try? await engine.contacts(record.id, caller: caller)
                    await self.finish(record.id, snapshot: snapshot, page: page)
                    return
                }
                if snapshot.events != written, await self.write(snapshot.events, of: record.id) { written = snapshot.events }
            }
            // The stream ended without a finished snapshot: stop renewing so that the
            // lease lapses and the import is ended for its pollers.
            await self?.release(record.id)
        }
    }

    private func release(_ id: Int) { leased.remove(id) }

    /// Copies the events while the import is this instance's; false when nothing was written.
    private func write(_ events: [ImportEvent], of id: Int) async -> Bool {
        do {
            try await upsert(events, of: id, on: nil)
            return true
        } catch {
            logger.warning("import events not written", metadata: ["import_id": "\(id)", "error": "\(PostgresFailure.describe(error))"])
            return false
        }
    }

    /// The final events, the contacts and the outcome in one transaction, only while the
    /// lease is still this instance's (an import another instance has ended stays ended).
    /// Tried a few times; if the database stays out of reach the lease lapses and another
    /// instance ends the import with 518.
    private func finish(_ id: Int, snapshot: ImportSnapshot, page: ContactsPage?) async {
        defer { leased.remove(id) }
        let contacts = page?.contacts ?? []
        let payloads: [String]
        let owner: String?
        do {
            let encoder = JSONEncoder()
            payloads = try contacts.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
            owner = try page?.owner.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        } catch {
            logger.error("import contacts not encoded", metadata: ["import_id": "\(id)"])
            return
        }
        let state = snapshot.error == nil ? "completed" : "failed"
        for attempt in 1...3 {
            do {
                try await client.withTransaction(logger: logger) { connection in
                    let mine = try await connection.query("""
                        SELECT id FROM imports WHERE id = \(id) AND state = 'running' AND lease_owner = \(self.instance) FOR UPDATE
                        """, logger: self.logger).collect()
                    guard !mine.isEmpty else { return }
                    let batch = 1000
                    var offset = 0
                    while offset < payloads.count {
                        let slice = Array(payloads[offset..<min(payloads.count, offset + batch)])
                        try await connection.query("""
                            INSERT INTO contacts (import_id, position, payload)
                            SELECT \(id), \(offset) + ordinality - 1, payload FROM unnest(\(slice)::text[]) WITH ORDINALITY AS t(payload, ordinality)
                            """, logger: self.logger)
                        offset += batch
                    }
                    try await self.upsert(snapshot.events, of: id, on: connection)
                    try await connection.query("""
                        UPDATE imports SET state = \(state), finished_at = now(), total = \(payloads.count), owner = \(owner),
                            lease_owner = NULL, lease_expires = NULL
                        WHERE id = \(id)
                        """, logger: self.logger)
                }
                return
            } catch {
                logger.warning("import outcome not written", metadata: ["import_id": "\(id)", "attempt": "\(attempt)",
                                                                        "error": "\(PostgresFailure.describe(error))"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// Writes `events` (one row per type, in the lifecycle's order), locking the import's
    /// row first so that a concurrent takeover and this write cannot interleave.
    private func upsert(_ events: [ImportEvent], of id: Int, on connection: PostgresConnection?) async throws {
        let rows = events.map(EventRow.init)
        let json = String(decoding: try JSONEncoder().encode(rows), as: UTF8.self)
        let query: PostgresQuery = """
            WITH mine AS (
                SELECT id FROM imports WHERE id = \(id) AND state = 'running' AND lease_owner = \(instance) FOR UPDATE
            )
            INSERT INTO events (import_id, position, type, status, value, description, created_at, updated_at)
            SELECT mine.id, e.position, e.type, e.status, e.value, e.description, to_timestamp(e.created), to_timestamp(e.updated)
            FROM mine, jsonb_to_recordset(\(json)::jsonb) AS e(position smallint, type text, status text, value integer,
                                                               description text, created float8, updated float8)
            ON CONFLICT (import_id, position) DO UPDATE SET status = excluded.status, value = excluded.value,
                description = excluded.description, updated_at = excluded.updated_at
            """
        if let connection {
            try await connection.query(query, logger: logger)
        } else {
            try await client.query(query, logger: logger)
        }
    }

    // MARK: - Lease

    /// Pushes back the expiry of every import this instance holds.
    func renewLeases() async {
        guard !leased.isEmpty else { return }
        let ids = Array(leased)
        do {
            try await client.query("""
                UPDATE imports SET lease_expires = now() + make_interval(secs => \(leaseSeconds))
                WHERE id = ANY(\(ids)::bigint[]) AND lease_owner = \(instance) AND state IN ('reserved', 'running')
                """, logger: logger)
        } catch {
            logger.warning("leases not renewed", metadata: ["imports": "\(ids.count)", "error": "\(PostgresFailure.describe(error))"])
        }
    }

    /// The error a lapsed import ends with.
    static let lapsedError = ImportError(.providerUnreachable, "the server gathering this import stopped answering; begin the import again")

    /// Ends `id` (or every running import, when nil) whose lease has lapsed: the stage in
    /// progress gets ERROR 518 and COMPLETE/ERROR 518 follows. One statement: the row lock
    /// on `imports` lets only one instance win; the others find it no longer running.
    /// Returns how many imports it ended.
    @discardableResult
    nonisolated func endLapsed(_ id: Int?) async throws -> Int {
        let description = Self.lapsedError.description
        let code = Self.lapsedError.code.rawValue
        let rows = try await client.query("""
            WITH lapsed AS (
                UPDATE imports SET state = 'failed', finished_at = now(), lease_owner = NULL, lease_expires = NULL
                WHERE state = 'running' AND lease_expires < now() AND (\(id)::bigint IS NULL OR id = \(id)::bigint)
                RETURNING id
            ), settled AS (
                UPDATE events SET status = 'ERROR', value = \(code), description = \(description), updated_at = now()
                WHERE import_id IN (SELECT id FROM lapsed) AND status = 'INPROGRESS'
                RETURNING import_id
            )
            INSERT INTO events (import_id, position, type, status, value, description, created_at, updated_at)
            SELECT id, \(EventRow.position(of: .complete)), 'COMPLETE', 'ERROR', \(code), \(description), now(), now() FROM lapsed
            ON CONFLICT (import_id, position) DO NOTHING
            RETURNING import_id
            """, logger: logger)
        let ended = try await rows.collect().count
        if ended > 0 { logger.notice("lapsed imports ended", metadata: ["count": "\(ended)", "error_code": "\(code)"]) }
        return ended
    }

    /// Retention: contacts older than the window go (their import answers 410), finished
    /// imports older than the forget window go with their events, reservations never
    /// tracked go, and lapsed imports nobody polls are ended.
    func sweep() async {
        do {
            try await endLapsed(nil)
            try await client.query("""
                DELETE FROM contacts c USING imports i
                WHERE c.import_id = i.id AND i.finished_at < now() - make_interval(secs => \(configuration.retention.seconds))
                """, logger: logger)
            try await client.query("""
                DELETE FROM imports WHERE finished_at < now() - make_interval(secs => \(configuration.forgetAfter.seconds))
                    OR (state = 'reserved' AND lease_expires < now())
                """, logger: logger)
        } catch {
            logger.warning("retention sweep failed", metadata: ["error": "\(PostgresFailure.describe(error))"])
        }
    }

    // MARK: - Reads

    // Off the actor: reads touch no state of this instance, so concurrent requests (and
    // the decoding of a large page) do not queue behind one another.

    public nonisolated func record(_ id: Int) async throws -> ImportRecord? {
        try await gate.wait()
        let rows = try await client.query("""
            SELECT account, service, import_type, user_id, echo, url, mailing_addresses, created_at FROM imports
            WHERE id = \(id) AND state <> 'reserved'
                AND (finished_at IS NULL OR finished_at > now() - make_interval(secs => \(configuration.forgetAfter.seconds)))
            """, logger: logger)
        for try await (account, service, type, userID, echo, url, addresses, created)
            in rows.decode((String, String?, String?, String?, String?, String?, Bool, Date).self) {
            return ImportRecord(id: id, account: account, service: service ?? "", importType: type, userID: userID, echo: echo,
                                url: url, mailingAddresses: addresses, createdAt: created)
        }
        return nil
    }

    public nonisolated func events(_ id: Int) async throws -> [ImportEvent] {
        try await gate.wait()
        var (events, lapsed) = try await readEvents(id)
        if lapsed {
            try await endLapsed(id)
            (events, _) = try await readEvents(id)
        }
        return events
    }

    private nonisolated func readEvents(_ id: Int) async throws -> (events: [ImportEvent], lapsed: Bool) {
        let rows = try await client.query("""
            SELECT e.type, e.status, e.value, e.description, e.created_at, e.updated_at,
                (i.state = 'running' AND i.lease_expires < now())
            FROM imports i LEFT JOIN events e ON e.import_id = i.id
            WHERE i.id = \(id) AND i.state <> 'reserved'
            ORDER BY e.position
            """, logger: logger)
        var events: [ImportEvent] = []
        var found = false
        var lapsed = false
        for try await (type, status, value, description, created, updated, isLapsed)
            in rows.decode((String?, String?, Int?, String?, Date?, Date?, Bool).self) {
            found = true
            lapsed = isLapsed
            guard let type = type.flatMap(EventType.init(rawValue:)), let status = status.flatMap(EventStatus.init(rawValue:)),
                  let value, let created, let updated else { continue }
            events.append(ImportEvent(type: type, status: status, value: value, description: description, createdAt: created, updatedAt: updated))
        }
        guard found else { throw ImportLookupError.notFound }
        return (events, lapsed)
    }

    public nonisolated func contacts(_ id: Int, start: Int, count: Int) async throws -> ContactsPage {
        try await gate.wait()
        var outcome = try await readOutcome(id)
        if outcome.lapsed {
            try await endLapsed(id)
            outcome = try await readOutcome(id)
        }
        guard outcome.finished else { throw ImportLookupError.notReady }
        guard outcome.fresh else { throw ImportLookupError.gone }
        let lower = min(max(0, start), outcome.total)
        let upper = count > 0 ? min(outcome.total, lower + count) : outcome.total
        var contacts: [Contact] = []
        contacts.reserveCapacity(upper - lower)
        if upper > lower {
            let decoder = JSONDecoder()
            let rows = try await client.query("""
                SELECT payload FROM contacts WHERE import_id = \(id) AND position >= \(lower) AND position < \(upper) ORDER BY position
                """, logger: logger)
            for try await payload in rows.decode(String.self) {
                contacts.append(try decoder.decode(Contact.self, from: Data(payload.utf8)))
            }
            // The sweeper may have deleted them between the two reads.
            guard contacts.count == upper - lower else { throw ImportLookupError.gone }
        }
        let owner = try outcome.owner.map { try JSONDecoder().decode(ContactsOwner.self, from: Data($0.utf8)) }
        return ContactsPage(contacts: contacts, owner: owner, start: lower, count: contacts.count, total: outcome.total)
    }

    private struct Outcome {
        var finished: Bool
        var lapsed: Bool
        var fresh: Bool
        var total: Int
        var owner: String?
    }

    private nonisolated func readOutcome(_ id: Int) async throws -> Outcome {
        let rows = try await client.query("""
            SELECT state IN ('completed', 'failed'), (state = 'running' AND lease_expires < now()),
                coalesce(finished_at > now() - make_interval(secs => \(configuration.retention.seconds)), false), total, owner
            FROM imports WHERE id = \(id) AND state <> 'reserved'
            """, logger: logger)
        for try await (finished, lapsed, fresh, total, owner) in rows.decode((Bool, Bool, Bool, Int, String?).self) {
            return Outcome(finished: finished, lapsed: lapsed, fresh: fresh, total: total, owner: owner)
        }
        throw ImportLookupError.notFound
    }

    /// Imports that began and are still gathered by a live instance; a reservation whose
    /// begin failed does not count (it is deleted when its lease lapses).
    public nonisolated func running(account: String) async throws -> Int {
        try await gate.wait()
        let rows = try await client.query("""
            SELECT count(*) FROM imports WHERE account = \(account) AND state = 'running' AND lease_expires >= now()
            """, logger: logger)
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }
}

/// One event as the tables hold it; `position` orders the types as the lifecycle does.
struct EventRow: Codable {
    var position: Int
    var type: String
    var status: String
    var value: Int
    var description: String?
    var created: Double
    var updated: Double

    init(_ event: ImportEvent) {
        position = Self.position(of: event.type)
        type = event.type.rawValue
        status = event.status.rawValue
        value = event.value
        description = event.description
        created = event.createdAt.timeIntervalSince1970
        updated = event.updatedAt.timeIntervalSince1970
    }

    static func position(of type: EventType) -> Int {
        switch type {
        case .initializing: return 0
        case .gathering: return 1
        case .submitting: return 2
        case .complete: return 3
        }
    }
}

extension Duration {
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
