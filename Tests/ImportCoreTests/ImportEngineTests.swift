import Foundation
import Testing
@testable import ImportCore

/// A source whose behaviour each test scripts; stands in for a provider.
struct ScriptedSource: ContactSource {
    let script: @Sendable (any ImportProgressReporter) async throws -> GatheredContacts
    func gather(progress: any ImportProgressReporter) async throws -> GatheredContacts {
        try await script(progress)
    }
}

/// Serves the given codes with a scripted source; counts `onFinish` calls.
final class ScriptedFactory: ContactSourceFactory, @unchecked Sendable {
    let serviceCodes: Set<String>
    let consentURL: String?
    let script: @Sendable (any ImportProgressReporter) async throws -> GatheredContacts
    private let lock = NSLock()
    private var finishCalls = 0
    var finished: Int { lock.withLock { finishCalls } }

    init(_ codes: Set<String>, consentURL: String? = nil,
         script: @escaping @Sendable (any ImportProgressReporter) async throws -> GatheredContacts) {
        serviceCodes = codes
        self.consentURL = consentURL
        self.script = script
    }

    func prepare(_ request: SourceRequest) async throws -> PreparedSource {
        if request.parameters["reject"] != nil { throw ImportError(.invalidParameters, "rejected") }
        return PreparedSource(source: ScriptedSource(script: script), consentURL: consentURL) { [self] in
            lock.withLock { finishCalls += 1 }
        }
    }
}

func people(_ count: Int) -> [Contact] {
    (0..<count).map { Contact(firstName: "Person", lastName: "\($0)", emails: [EmailAddress("p\($0)@example.com")]) }
}

/// Follows an import to its end and returns the last snapshot.
func finalSnapshot(_ engine: ImportEngine, _ id: Int, caller: CallerID = .local) async throws -> ImportSnapshot {
    var last: ImportSnapshot?
    for await snapshot in try await engine.watch(id, caller: caller) { last = snapshot }
    return try #require(last)
}

@Suite("Import engine")
struct ImportEngineTests {
    @Test func successfulImportGivesTheSpecSequenceAndContacts() async throws {
        let factory = ScriptedFactory(["vcard"]) { progress in
            progress.startGathering(total: 3)
            progress.gathered(3, total: 3)
            return GatheredContacts(contacts: people(3), skipped: [SkippedRecord(line: 9, reason: "no END")])
        }
        let engine = ImportEngine(factories: [factory])
        let began = try await engine.begin(service: "VCard")
        #expect(began.id > 0 && began.id <= Int(Int32.max))
        #expect(began.service.code == "vcard" && began.consentURL == nil)
        let snapshot = try await finalSnapshot(engine, began.id)
        #expect(summary(snapshot.events) == ["INITIALIZING COMPLETED 0", "GATHERING COMPLETED 3", "COMPLETE COMPLETED 0"])
        #expect(snapshot.skipped == [SkippedRecord(line: 9, reason: "no END")])
        #expect(try await engine.events(began.id) == snapshot.events)
        let page = try await engine.contacts(began.id)
        #expect(page.total == 3 && page.count == 3 && page.contacts == people(3))
        let slice = try await engine.contacts(began.id, start: 1, count: 1)
        #expect(slice.contacts == [people(3)[1]] && slice.start == 1 && slice.total == 3)
        try await waitUntil { factory.finished == 1 }
    }

    @Test func eventsStayOrderedAndOnePerTypeWhileRunning() async throws {
        let factory = ScriptedFactory(["vcard"]) { progress in
            progress.startGathering(total: nil)
            for count in stride(from: 1000, through: 5000, by: 1000) {
                progress.gathered(count, total: nil)
                try await Task.sleep(for: .milliseconds(30))
            }
            return GatheredContacts(contacts: people(5000))
        }
        let engine = ImportEngine(factories: [factory], configuration: .init(minimumEventInterval: .milliseconds(10)))
        let began = try await engine.begin(service: "vcard")
        var seen: [[String]] = []
        for await snapshot in try await engine.watch(began.id) { seen.append(summary(snapshot.events)) }
        #expect(seen.first == ["INITIALIZING INPROGRESS 0"] || seen.first?.first == "INITIALIZING COMPLETED 0")
        #expect(seen.last == ["INITIALIZING COMPLETED 0", "GATHERING COMPLETED 5000", "COMPLETE COMPLETED 0"])
        let counts = seen.compactMap { events in events.count > 1 ? Int(events[1].split(separator: " ")[2]) : nil }
        #expect(counts == counts.sorted(), "GATHERING counts only grow")
        #expect(counts.contains { $0 > 0 && $0 < 5000 }, "intermediate counts are shown")
        for events in seen {
            #expect(Set(events.map { $0.split(separator: " ")[0] }).count == events.count)
        }
    }

    @Test func progressIsThrottled() async throws {
        let factory = ScriptedFactory(["vcard"]) { progress in
            progress.startGathering(total: 200_000)
            let clock = ContinuousClock()
            let start = clock.now
            var count = 0
            // Report every contact for about half a second.
            while clock.now - start < .milliseconds(500) {
                count += 1
                progress.gathered(count, total: 200_000)
                if count % 1000 == 0 { await Task.yield() }
            }
            return GatheredContacts(contacts: people(10))
        }
        let engine = ImportEngine(factories: [factory])
        let began = try await engine.begin(service: "vcard")
        var updates = 0
        for await _ in try await engine.watch(began.id) { updates += 1 }
        // Half a second at ten updates a second, plus the first and last snapshots and slack.
        #expect(updates <= 12, "got \(updates) updates")
        #expect(updates >= 2)
    }

    @Test func failureInGatheringMarksGatheringAndComplete() async throws {
        let factory = ScriptedFactory(["vcard"]) { progress in
            progress.startGathering(total: nil)
            progress.gathered(2, total: nil)
            throw ImportError(.fileUnparseable, "nothing readable")
        }
        let engine = ImportEngine(factories: [factory])
        let began = try await engine.begin(service: "vcard")
        let snapshot = try await finalSnapshot(engine, began.id)
        #expect(summary(snapshot.events) == ["INITIALIZING COMPLETED 0", "GATHERING ERROR 1026", "COMPLETE ERROR 1026"])
        #expect(snapshot.error == ImportError(.fileUnparseable, "nothing readable"))
        #expect(try await engine.contacts(began.id).contacts.isEmpty)
        try await waitUntil { factory.finished == 1 }
    }

    @Test func failureBeforeGatheringMarksInitializing() async throws {
        let factory = ScriptedFactory(["vcard"]) { _ in throw ImportError(.fileNotContacts, "a PNG image") }
        let engine = ImportEngine(factories: [factory])
        let snapshot = try await finalSnapshot(engine, try await engine.begin(service: "vcard").id)
        #expect(summary(snapshot.events) == ["INITIALIZING ERROR 1025", "COMPLETE ERROR 1025"])
    }

    struct Unnamed: Error {}

    @Test(arguments: [("gmail", 512), ("gmx", 256), ("outlook", 768)])
    func unnamedErrorsBecomeTheServiceKindsUnexpectedCode(service: String, code: Int) async throws {
        let factory = ScriptedFactory([service]) { _ in throw Unnamed() }
        let engine = ImportEngine(factories: [factory])
        let snapshot = try await finalSnapshot(engine, try await engine.begin(service: service).id)
        #expect(snapshot.error?.code.rawValue == code)
        #expect(summary(snapshot.events).last == "COMPLETE ERROR \(code)")
    }

    @Test func cancellationGives517AndStopsTheSource() async throws {
        let stopped = Flag()
        let factory = ScriptedFactory(["vcard"]) { progress in
            progress.startGathering(total: nil)
            do {
                try await Task.sleep(for: .seconds(30))
            } catch {
                stopped.set()
                throw error
            }
            return GatheredContacts(contacts: [])
        }
        let engine = ImportEngine(factories: [factory], configuration: .init(minimumEventInterval: .milliseconds(1)))
        let began = try await engine.begin(service: "vcard")
        try await waitUntil { try await engine.snapshot(began.id).events.count == 2 }
        try await engine.cancel(began.id)
        let snapshot = try await engine.snapshot(began.id)
        #expect(summary(snapshot.events) == ["INITIALIZING COMPLETED 0", "GATHERING ERROR 517", "COMPLETE ERROR 517"])
        try await waitUntil { stopped.isSet }
        try await waitUntil { factory.finished == 1 }
        // Cancelling again changes nothing.
        try await engine.cancel(began.id)
        #expect(try await engine.snapshot(began.id).events == snapshot.events)
    }

    @Test func consentNobodyCompletesTimesOutWith516() async throws {
        let factory = ScriptedFactory(["gmail"], consentURL: "http://127.0.0.1:9/consent/1") { _ in
            try await Task.sleep(for: .seconds(30))
            return GatheredContacts(contacts: [])
        }
        let engine = ImportEngine(factories: [factory], configuration: .init(consentTimeout: .milliseconds(150)))
        let began = try await engine.begin(service: "google")
        #expect(began.consentURL == "http://127.0.0.1:9/consent/1")
        #expect(began.service.code == "gmail")
        let snapshot = try await finalSnapshot(engine, began.id)
        #expect(summary(snapshot.events) == ["INITIALIZING ERROR 516", "COMPLETE ERROR 516"])
        #expect(snapshot.consentURL == began.consentURL)
        try await waitUntil { factory.finished == 1 }
    }

    @Test func consentGrantedInTimeDoesNotTimeOut() async throws {
        let factory = ScriptedFactory(["gmail"], consentURL: "http://127.0.0.1:9/consent/2") { progress in
            progress.startGathering(total: nil)
            try await Task.sleep(for: .milliseconds(400))
            return GatheredContacts(contacts: people(2))
        }
        let engine = ImportEngine(factories: [factory], configuration: .init(consentTimeout: .milliseconds(150), minimumEventInterval: .milliseconds(1)))
        let snapshot = try await finalSnapshot(engine, try await engine.begin(service: "gmail").id)
        #expect(summary(snapshot.events).last == "COMPLETE COMPLETED 0")
    }

    @Test func contactsAreNotReadyThenAvailableThenGone() async throws {
        let release = Flag()
        let factory = ScriptedFactory(["vcard"]) { _ in
            while !release.isSet { try await Task.sleep(for: .milliseconds(5)) }
            return GatheredContacts(contacts: people(2))
        }
        // A window long enough that a loaded machine cannot miss it between the import's
        // end and the first download; the end of it is then awaited, not guessed.
        let retention = Duration.seconds(6)
        let engine = ImportEngine(factories: [factory], configuration: .init(retention: retention))
        let began = try await engine.begin(service: "vcard")
        await #expect(throws: ImportLookupError.notReady) { try await engine.contacts(began.id) }
        // The import cannot finish before it is released, so its window cannot end before
        // `released + retention`, however late the final snapshot reaches this test.
        let released = ContinuousClock.now
        release.set()
        _ = try await finalSnapshot(engine, began.id)
        let available = ContinuousClock.now
        do {
            #expect(try await engine.contacts(began.id).total == 2)
        } catch ImportLookupError.gone {
            // Only a test woken after the whole window (its threads held by other tests for
            // that long, as under a sanitizer) may find them gone at once; never earlier.
            #expect(ContinuousClock.now - released >= retention, "the contacts are there until the window has passed")
        }
        var gone = false
        while !gone && ContinuousClock.now - available < .seconds(30) {
            do {
                _ = try await engine.contacts(began.id)
                try await Task.sleep(for: .milliseconds(200))
            } catch ImportLookupError.gone {
                gone = true
            }
        }
        #expect(gone, "the contacts are deleted once the retention window has passed")
        #expect(ContinuousClock.now - released >= retention, "and not before")
        // The events outlive the contacts.
        #expect(summary(try await engine.events(began.id)).last == "COMPLETE COMPLETED 0")
    }

    @Test func importsBelongToTheirCaller() async throws {
        let factory = ScriptedFactory(["vcard"]) { _ in GatheredContacts(contacts: people(1)) }
        let engine = ImportEngine(factories: [factory])
        let alice = CallerID("alice.example")
        let began = try await engine.begin(service: "vcard", caller: alice)
        _ = try await finalSnapshot(engine, began.id, caller: alice)
        let mallory = CallerID("mallory.example")
        await #expect(throws: ImportLookupError.notFound) { try await engine.events(began.id, caller: mallory) }
        await #expect(throws: ImportLookupError.notFound) { try await engine.contacts(began.id, caller: mallory) }
        await #expect(throws: ImportLookupError.notFound) { try await engine.cancel(began.id, caller: mallory) }
        await #expect(throws: ImportLookupError.notFound) { try await engine.watch(began.id, caller: mallory) }
        await #expect(throws: ImportLookupError.notFound) { try await engine.events(began.id + 1, caller: alice) }
        #expect(try await engine.contacts(began.id, caller: alice).total == 1)
    }

    @Test func idsArePositiveDistinctAndNotSequential() async throws {
        let factory = ScriptedFactory(["vcard"]) { _ in GatheredContacts(contacts: []) }
        let engine = ImportEngine(factories: [factory])
        var ids: [Int] = []
        for _ in 0..<50 { ids.append(try await engine.begin(service: "vcard").id) }
        #expect(Set(ids).count == 50)
        #expect(ids.allSatisfy { $0 > 0 && $0 <= Int(Int32.max) })
        let steps = zip(ids, ids.dropFirst()).map { $1 - $0 }
        #expect(Set(steps).count > 40, "consecutive ids do not follow a pattern")
    }

    @Test func serviceErrors() async throws {
        let factory = ScriptedFactory(["vcard"]) { _ in GatheredContacts(contacts: []) }
        let engine = ImportEngine(factories: [factory])
        await #expect(throws: ImportError(.serviceRequired)) { try await engine.begin(service: nil) }
        await #expect(throws: ImportError(.serviceRequired)) { try await engine.begin(service: "  ") }
        do {
            _ = try await engine.begin(service: "myspace")
            Issue.record("an unknown service began")
        } catch let error as ImportError {
            #expect(error.code == .serviceNotRecognised)
            #expect(error.detail?.contains("myspace") == true)
        }
        do {
            _ = try await engine.begin(service: "Yahoo")
            Issue.record("a service without a source began")
        } catch let error as ImportError {
            #expect(error.code == .serviceNotRecognised)
            #expect(error.detail?.contains("Yahoo") == true)
        }
        await #expect(throws: ImportError(.invalidParameters, "rejected")) {
            try await engine.begin(service: "vcard", parameters: ImportParameters(["reject": "1"]))
        }
        #expect(engine.isAvailable(engine.catalog.service(named: "vcard")!))
        #expect(!engine.isAvailable(engine.catalog.service(named: "yahoo")!))
    }
}

final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}

/// Polls a condition every 5 ms for up to 5 s.
func waitUntil(_ condition: @Sendable () async throws -> Bool) async throws {
    for _ in 0..<1000 {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(5))
    }
    Issue.record("condition not met within 5 s")
}
