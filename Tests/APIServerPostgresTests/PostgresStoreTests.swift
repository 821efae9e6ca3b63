import APIServer
import APIServerPostgres
import Foundation
import ImportCore
import Logging
import Testing

/// The PostgreSQL store against a real PostgreSQL (scripts/test starts one): what goes in
/// comes out exactly, retention deletes, migrations are safe to run twice and together,
/// and a lapsed lease ends the import with 518 exactly once.
@Suite(.serialized) struct PostgresStoreTests {
    static let logger: Logger = {
        var logger = Logger(label: "postgres-store-tests")
        logger.logLevel = .warning
        return logger
    }()

    /// Runs `body` with a storage service running (migrated, renewing, sweeping) on a
    /// fresh database, then shuts it down and drops the database.
    func withStorage(_ configuration: PostgresStorage.Configuration = .init(), database: TestDatabase? = nil,
                     _ body: (PostgresStorage, TestDatabase) async throws -> Void) async throws {
        guard let database else {
            try await withDatabase { try await withStorage(configuration, database: $0, body) }
            return
        }
        let storage = PostgresStorage(database: try database.databaseURL, configuration: configuration, logger: Self.logger)
        let running = Task { try await storage.run() }
        do {
            try await body(storage, database)
        } catch {
            running.cancel()
            _ = await running.result
            throw error
        }
        running.cancel()
        _ = await running.result
    }

    /// A fresh database for `body`, dropped after it.
    func withDatabase(_ body: (TestDatabase) async throws -> Void) async throws {
        let database = try await TestDatabase.make()
        do {
            try await body(database)
        } catch {
            await database.drop()
            throw error
        }
        await database.drop()
    }

    func engine(_ factories: [any ContactSourceFactory], retention: Duration = .seconds(600)) -> ImportEngine {
        ImportEngine(factories: factories, configuration: .init(retention: retention, minimumEventInterval: .milliseconds(10)))
    }

    /// Begins an import the way the API does: an id from the store, the engine, then `track`.
    func begin(_ service: String, account: String, store: PostgresImportStore, engine: ImportEngine) async throws -> ImportRecord {
        let id = try #require(try await store.reserveID(account: account))
        #expect(id > 0 && id <= Int(Int32.max))
        let began = try await engine.begin(service: service, caller: CallerID(account), id: id)
        #expect(began.id == id)
        let record = ImportRecord(id: id, account: account, service: service, importType: "CSV", userID: "user 7", echo: "é\"cho",
                                  url: "http://127.0.0.1/c/x", mailingAddresses: true)
        try await store.track(record, on: engine)
        return record
    }

    func waitFinished(_ store: PostgresImportStore, _ id: Int) async throws -> [ImportEvent] {
        for _ in 0..<600 {
            let events = try await store.events(id)
            if events.contains(where: { $0.type == .complete }) { return events }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw PostgresStoreError("import \(id) did not finish")
    }

    @Test func eventsContactsAndRecordComeBackExactly() async throws {
        try await withStorage { storage, database in
            let contacts = Sample.contacts(2503)
            let engine = engine([ListFactory(contacts: contacts, owner: Sample.owner)])
            let record = try await begin("vcard", account: "KEY1", store: storage.imports, engine: engine)
            let events = try await waitFinished(storage.imports, record.id)
            let engineEvents = try await engine.events(record.id, caller: CallerID("KEY1"))
            #expect(events.map(\.type) == engineEvents.map(\.type))
            #expect(events.map(\.status) == engineEvents.map(\.status))
            #expect(events.map(\.value) == engineEvents.map(\.value))
            #expect(events.last?.status == .completed)

            let stored = try #require(try await storage.imports.record(record.id))
            #expect(stored.account == record.account && stored.service == record.service && stored.importType == record.importType)
            #expect(stored.userID == record.userID && stored.echo == record.echo && stored.url == record.url)
            #expect(stored.mailingAddresses)

            let all = try await storage.imports.contacts(record.id, start: 0, count: 0)
            #expect(all.total == 2503 && all.count == 2503 && all.start == 0)
            #expect(all.contacts == contacts)
            #expect(all.owner == Sample.owner)
            let page = try await storage.imports.contacts(record.id, start: 1000, count: 7)
            #expect(page.contacts == Array(contacts[1000..<1007]) && page.start == 1000 && page.count == 7 && page.total == 2503)
            let tail = try await storage.imports.contacts(record.id, start: 2500, count: 50)
            #expect(tail.contacts == Array(contacts[2500...]) && tail.count == 3)
            let past = try await storage.imports.contacts(record.id, start: 9999, count: 5)
            #expect(past.contacts.isEmpty && past.start == 2503 && past.total == 2503)

            #expect(try await storage.imports.record(999) == nil)
            await #expect(throws: ImportLookupError.notFound) { try await storage.imports.events(999) }
            #expect(try await database.integers("SELECT count(*) FROM contacts") == [2503])
        }
    }

    @Test func contactsAreNotReadyWhileRunningAndRunningImportsAreCounted() async throws {
        try await withStorage { storage, _ in
            let engine = engine([StalledFactory()])
            let record = try await begin("csv", account: "KEY2", store: storage.imports, engine: engine)
            // The first events are in the table as soon as begin has tracked the import.
            #expect(try await storage.imports.events(record.id).first?.type == .initializing)
            await #expect(throws: ImportLookupError.notReady) { try await storage.imports.contacts(record.id, start: 0, count: 0) }
            #expect(try await storage.imports.running(account: "KEY2") == 1)
            #expect(try await storage.imports.running(account: "OTHER") == 0)
            try await engine.cancel(record.id, caller: CallerID("KEY2"))
            let events = try await waitFinished(storage.imports, record.id)
            #expect(events.last?.value == ErrorCode.consentAbandoned.rawValue)
            #expect(try await storage.imports.running(account: "KEY2") == 0)
            // A failed import has no contacts: an empty page, as the engine answers.
            let page = try await storage.imports.contacts(record.id, start: 0, count: 0)
            #expect(page.contacts.isEmpty && page.total == 0)
        }
    }

    @Test func idsAreUniqueAcrossInstancesSharingTheDatabase() async throws {
        try await withDatabase { database in
        try await withStorage(database: database) { first, _ in
            try await withStorage(database: database) { second, _ in
                var ids = Set<Int>()
                for index in 0..<200 {
                    let store = index % 2 == 0 ? first.imports : second.imports
                    let id = try #require(try await store.reserveID(account: "KEY"))
                    #expect(ids.insert(id).inserted)
                }
                #expect(try await database.integers("SELECT count(DISTINCT id) FROM imports") == [200])
                // Reservations whose begin never came are not running imports.
                #expect(try await first.imports.running(account: "KEY") == 0)
            }
        }
        }
    }

    @Test func retentionDeletesContactsThenForgetsTheImport() async throws {
        let configuration = PostgresStorage.Configuration(retention: .seconds(1), forgetAfter: .seconds(2), sweepInterval: .milliseconds(200))
        try await withStorage(configuration) { storage, database in
            let engine = engine([ListFactory(contacts: Sample.contacts(5), owner: nil)], retention: .seconds(1))
            let record = try await begin("vcard", account: "KEY3", store: storage.imports, engine: engine)
            _ = try await waitFinished(storage.imports, record.id)
            #expect(try await storage.imports.contacts(record.id, start: 0, count: 0).total == 5)
            var gone = false
            for _ in 0..<100 where !gone {
                try await Task.sleep(for: .milliseconds(100))
                do { _ = try await storage.imports.contacts(record.id, start: 0, count: 0) } catch ImportLookupError.gone { gone = true }
            }
            #expect(gone)
            // The events still answer until the forget window ends; then the id is unknown.
            #expect(try await storage.imports.events(record.id).last?.type == .complete)
            var forgotten = false
            for _ in 0..<100 where !forgotten {
                try await Task.sleep(for: .milliseconds(100))
                let unknown = try await storage.imports.record(record.id) == nil
                let rows = try await database.integers("SELECT count(*) FROM imports")
                forgotten = unknown && rows == [0]
            }
            #expect(forgotten)
            #expect(try await database.integers("SELECT count(*) FROM contacts") == [0])
            #expect(try await database.integers("SELECT count(*) FROM events") == [0])
        }
    }

    /// The first instance gathers without renewing (as if it had died); once the lease has
    /// lapsed, several readers on another instance race to end it: one 518, written once.
    @Test func aLapsedLeaseEndsTheImportWith518Once() async throws {
        try await withDatabase { database in
        let short = PostgresStorage.Configuration(leaseDuration: .seconds(1), sweepInterval: .seconds(600))
        let dead = PostgresStorage(database: try database.databaseURL, configuration: short, logger: Self.logger)
        let engine = engine([StalledFactory()])
        let record = try await dead.whileRunning {
            let record = try await begin("csv", account: "KEY4", store: dead.imports, engine: engine)
            // The copy of GATHERING 3 reaches the table.
            for _ in 0..<100 {
                if try await dead.imports.events(record.id).contains(where: { $0.type == .gathering && $0.value == 3 }) { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            return record
        }
        try await withStorage(short, database: database) { other, _ in
            // Not ended before the lease has lapsed.
            let before = try await other.imports.events(record.id)
            if !before.contains(where: { $0.type == .complete }) {
                #expect(before.last?.status == .inProgress)
            }
            try await Task.sleep(for: .milliseconds(1500))
            let answers = try await withThrowingTaskGroup(of: [ImportEvent].self) { group in
                for _ in 0..<8 { group.addTask { try await other.imports.events(record.id) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            for events in answers {
                #expect(events.map(\.type) == [.initializing, .gathering, .complete])
                #expect(events[1].status == .error && events[1].value == 518)
                #expect(events[2].status == .error && events[2].value == 518)
                #expect(events[2].description?.isEmpty == false)
            }
            #expect(try await database.integers("SELECT count(*) FROM events WHERE type = 'COMPLETE'") == [1])
            #expect(try await database.integers("SELECT count(*) FROM imports WHERE state = 'failed'") == [1])
            #expect(try await other.imports.running(account: "KEY4") == 0)
            let page = try await other.imports.contacts(record.id, start: 0, count: 0)
            #expect(page.contacts.isEmpty)
        }
        }
    }

    /// While its instance runs, the lease is renewed: the import outlives several lease
    /// durations and is still running for another instance.
    @Test func aRenewedLeaseKeepsTheImportRunning() async throws {
        try await withDatabase { database in
        let short = PostgresStorage.Configuration(leaseDuration: .seconds(3), sweepInterval: .milliseconds(300))
        try await withStorage(short, database: database) { tracking, _ in
            let engine = engine([StalledFactory()])
            let record = try await begin("csv", account: "KEY5", store: tracking.imports, engine: engine)
            try await withStorage(short, database: database) { other, _ in
                try await Task.sleep(for: .seconds(7))
                let events = try await other.imports.events(record.id)
                #expect(!events.contains(where: { $0.type == .complete }))
                #expect(try await other.imports.running(account: "KEY5") == 1)
            }
            try await engine.cancel(record.id, caller: CallerID("KEY5"))
            #expect(try await waitFinished(tracking.imports, record.id).last?.value == ErrorCode.consentAbandoned.rawValue)
        }
        }
    }

    @Test func accountsRoundTripAndNamesAreUnique() async throws {
        try await withStorage { storage, database in
            let hash = try PasswordHash(hashing: "s3cret")
            let account = Account(name: "shop", domainKey: "KEYSHOP", passwordHash: hash, redirectHosts: ["shop.example.org", "*.example.org"])
            try await storage.accounts.add(account)
            let found = try #require(try await storage.accounts.account(domainKey: "KEYSHOP"))
            #expect(found == account)
            #expect(found.passwordHash.matches("s3cret") && !found.passwordHash.matches("wrong"))
            #expect(try await storage.accounts.account(domainKey: "NOPE") == nil)
            let sameName = Account(name: "shop", domainKey: "OTHERKEY", passwordHash: hash)
            await #expect(throws: AccountsFileError.self) { try await storage.accounts.add(sameName) }
            // Only the slow hash is kept.
            var stored: [String] = []
            try await database.query("SELECT password_hash FROM accounts") { rows in
                for try await text in rows.decode(String.self) { stored.append(text) }
            }
            #expect(stored == [hash.stored] && !stored[0].contains("s3cret"))
        }
    }

    @Test func migrationsRunOnceWhenInstancesStartTogether() async throws {
        try await withDatabase { database in
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    let storage = PostgresStorage(database: try database.databaseURL, logger: Self.logger)
                    try await storage.whileRunning { _ = try await storage.accounts.account(domainKey: "x") }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await database.integers("SELECT version FROM schema_migrations ORDER BY version") == [1])
        // Starting again changes nothing.
        let again = PostgresStorage(database: try database.databaseURL, logger: Self.logger)
        try await again.whileRunning { _ = try await again.imports.running(account: "x") }
        #expect(try await database.integers("SELECT count(*) FROM schema_migrations") == [1])
        }
    }

    @Test func aSchemaNewerThanThisBuildIsRefused() async throws {
        try await withDatabase { database in
            let storage = PostgresStorage(database: try database.databaseURL, logger: Self.logger)
            try await storage.whileRunning {}
            try await database.query("INSERT INTO schema_migrations (version) VALUES (99)") { _ in }
            let again = PostgresStorage(database: try database.databaseURL, logger: Self.logger)
            await #expect {
                try await again.whileRunning {}
            } throws: { error in
                "\(error)".contains("version 99, newer than this build knows")
            }
        }
    }

    @Test func theDatabaseURLNeverShowsThePassword() throws {
        let url = try PostgresDatabaseURL("postgres://app:pa%40ss@db.example.org:6543/contacts?sslmode=require", environment: [:])
        #expect(url.passwordInURL && url.host == "db.example.org" && url.port == 6543 && url.database == "contacts" && url.username == "app")
        #expect(url.redacted == "postgres://app@db.example.org:6543/contacts")
        #expect(url.tls == .require)
        let fromEnvironment = try PostgresDatabaseURL("postgresql://db.example.org", environment: ["PGUSER": "u", "PGPASSWORD": "p"])
        #expect(!fromEnvironment.passwordInURL && fromEnvironment.username == "u" && fromEnvironment.database == "u" && fromEnvironment.port == 5432)
        #expect(throws: PostgresDatabaseURLError.self) { try PostgresDatabaseURL("mysql://db.example.org/x", environment: [:]) }
        #expect(throws: PostgresDatabaseURLError.self) { try PostgresDatabaseURL("postgres://db/x?sslmode=sometimes", environment: [:]) }
    }
}
