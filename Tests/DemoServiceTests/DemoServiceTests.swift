import Foundation
import Testing
@testable import DemoService
import ImportCore

/// A page host without HTTP: tests call the published pages directly.
actor MemoryPageHost: ConsentPageHost {
    nonisolated let uploadLimit = 1_000
    private var pages: [String: any ConsentPage] = [:]
    private(set) var withdrawn: [String] = []
    private var counter = 0

    func publish(_ page: any ConsentPage) async throws -> PublishedPage {
        counter += 1
        let id = "page\(counter)"
        pages[id] = page
        return PublishedPage(id: id, url: "memory:\(id)")
    }

    func withdraw(_ page: PublishedPage) async {
        withdrawn.append(page.id)
    }

    /// Sends a request to the page behind `url`.
    func send(_ request: ConsentPageRequest, to url: String?) async throws -> ConsentPageResponse {
        let id = try #require(url?.replacingOccurrences(of: "memory:", with: ""))
        let page = try #require(pages[id])
        return await page.respond(to: request)
    }
}

private func summary(_ events: [ImportEvent]) -> [String] {
    events.map { "\($0.type.rawValue) \($0.status.rawValue) \($0.value)" }
}

private func finalSnapshot(_ engine: ImportEngine, _ id: Int) async throws -> ImportSnapshot {
    var last: ImportSnapshot?
    for await snapshot in try await engine.watch(id) { last = snapshot }
    return try #require(last)
}

private func waitUntil(_ condition: @Sendable () async -> Bool) async throws {
    for _ in 0..<1000 {
        if await condition() { return }
        try await Task.sleep(for: .milliseconds(5))
    }
    Issue.record("condition not met within 5 s")
}

private func allow() -> ConsentPageRequest { .submit(fields: ["action": "allow"], file: nil) }

@Suite("demo service")
struct DemoServiceTests {
    let host = MemoryPageHost()

    func engine(pacing: DemoPacing = .immediate, consentTimeout: Duration = .seconds(30)) -> ImportEngine {
        ImportEngine(factories: [DemoSourceFactory(pageHost: host, pacing: pacing)],
                     configuration: .init(consentTimeout: consentTimeout, minimumEventInterval: .milliseconds(5)))
    }

    @Test func theBookIsTheSameForTheSameSeedAndDiffersForAnother() {
        let book = DemoAddressBook(size: 40, seed: 7)
        #expect(book.contacts() == DemoAddressBook(size: 40, seed: 7).contacts())
        #expect(book.contacts() != DemoAddressBook(size: 40, seed: 8).contacts())
        #expect(book.contacts().count == 40)
        #expect(book.contacts().allSatisfy { $0.notes?.hasPrefix("Demo data") == true })
    }

    /// Every card is a different person: merging must propose nothing (a shared landline
    /// once joined four people into one).
    @Test(arguments: [DemoAddressBook.defaultSize, 20_000])
    func theBookHasNoDuplicatesToMerge(_ size: Int) {
        let result = mergeDuplicates(DemoAddressBook(size: size).contacts())
        #expect(result.merges.isEmpty, "\(result.merges.count) merges, the first of \(result.merges.first?.sources ?? [])")
    }

    @Test func allowGathersTheDefaultBookWithItsOwner() async throws {
        let engine = engine()
        let began = try await engine.begin(service: "demo")
        #expect(began.consentURL == "memory:page1")
        let answer = try await host.send(allow(), to: began.consentURL)
        #expect(answer.isFinal && answer.status == 200 && answer.html.contains("250 demo contacts"))
        let snapshot = try await finalSnapshot(engine, began.id)
        #expect(summary(snapshot.events) == ["INITIALIZING COMPLETED 0", "GATHERING COMPLETED 250", "COMPLETE COMPLETED 0"])
        #expect(snapshot.total == 250)
        let page = try await engine.contacts(began.id)
        #expect(page.contacts == DemoAddressBook().contacts())
        #expect(page.owner == DemoAddressBook().owner)
        try await waitUntil { await host.withdrawn == ["page1"] }
    }

    @Test func sizeAndSeedChooseTheBook() async throws {
        let engine = engine()
        let began = try await engine.begin(service: "demo", parameters: ImportParameters(["size": "12", "seed": "99"]))
        _ = try await host.send(allow(), to: began.consentURL)
        _ = try await finalSnapshot(engine, began.id)
        #expect(try await engine.contacts(began.id).contacts == DemoAddressBook(size: 12, seed: 99).contacts())
    }

    @Test(arguments: [["size": "many"], ["size": "-1"], ["size": "100001"], ["size": "2.5"], ["seed": "-3"], ["seed": "0x10"]])
    func nonsenseParametersAreRefusedWith2(parameters: [String: String]) async throws {
        await #expect(throws: ImportError.self) {
            do {
                _ = try await engine().begin(service: "demo", parameters: ImportParameters(parameters))
            } catch let error as ImportError {
                #expect(error.code == .invalidParameters)
                throw error
            }
        }
    }

    @Test func progressIsPacedAndVisible() async throws {
        let engine = engine(pacing: DemoPacing(duration: .milliseconds(600), pages: 6))
        let began = try await engine.begin(service: "demo", parameters: ImportParameters(["size": "60"]))
        let clock = ContinuousClock()
        let start = clock.now
        _ = try await host.send(allow(), to: began.consentURL)
        var counts: [Int] = []
        for await snapshot in try await engine.watch(began.id) where !snapshot.isFinished {
            if counts.last != snapshot.gathered { counts.append(snapshot.gathered) }
        }
        let elapsed = clock.now - start
        #expect(elapsed >= .milliseconds(550))
        // Several distinct counts on the way, rising, never past the size.
        #expect(counts.count >= 4, "\(counts)")
        #expect(counts == counts.sorted() && (counts.last ?? 0) <= 60)
        #expect(try await engine.contacts(began.id).total == 60)
    }

    @Test func pagesAddUpForAnySize() async throws {
        for size in [0, 1, 7, 31] {
            let engine = engine(pacing: DemoPacing(duration: .zero, pages: 5))
            let began = try await engine.begin(service: "demo", parameters: ImportParameters(["size": String(size)]))
            _ = try await host.send(allow(), to: began.consentURL)
            let snapshot = try await finalSnapshot(engine, began.id)
            #expect(snapshot.error == nil)
            #expect(try await engine.contacts(began.id).contacts == DemoAddressBook(size: size).contacts())
        }
    }

    @Test func denyIs514AndTheLinkIsSpent() async throws {
        let engine = engine()
        let began = try await engine.begin(service: "demo")
        let answer = try await host.send(.submit(fields: ["action": "deny"], file: nil), to: began.consentURL)
        #expect(answer.isFinal && answer.html.contains("Access denied"))
        let snapshot = try await finalSnapshot(engine, began.id)
        #expect(snapshot.error?.code == .consentRefused)
        #expect(summary(snapshot.events).last == "COMPLETE ERROR 514")
        let again = try await host.send(allow(), to: began.consentURL)
        #expect(again.status == 410 && again.isFinal)
    }

    @Test func cancelOnThePageIs517() async throws {
        let engine = engine()
        let began = try await engine.begin(service: "demo")
        let answer = try await host.send(.submit(fields: ["action": "cancel"], file: nil), to: began.consentURL)
        #expect(answer.isFinal && answer.html.contains("cancelled"))
        #expect(try await finalSnapshot(engine, began.id).error?.code == .consentAbandoned)
    }

    @Test func cancellingTheImportIs517AndWithdrawsThePage() async throws {
        let engine = engine()
        let began = try await engine.begin(service: "demo")
        try await engine.cancel(began.id)
        #expect(try await finalSnapshot(engine, began.id).error?.code == .consentAbandoned)
        try await waitUntil { await host.withdrawn == ["page1"] }
        #expect(try await host.send(allow(), to: began.consentURL).status == 410)
    }

    @Test func noAnswerInTheConsentWindowIs516() async throws {
        let engine = engine(consentTimeout: .milliseconds(200))
        let began = try await engine.begin(service: "demo")
        let snapshot = try await finalSnapshot(engine, began.id)
        #expect(snapshot.error?.code == .consentTimedOut)
        #expect(summary(snapshot.events).first == "INITIALIZING ERROR 516")
        try await waitUntil { await host.withdrawn == ["page1"] }
    }

    @Test func thePageSaysItIsDemoDataAndOffersEveryChoice() async throws {
        let began = try await engine().begin(service: "demo", parameters: ImportParameters(["size": "5"]))
        let page = try await host.send(.show, to: began.consentURL)
        #expect(page.status == 200 && !page.isFinal)
        for text in ["Demo data", "made up", "5 generated contacts", "value=\"allow\"", "value=\"deny\"", "value=\"cancel\""] {
            #expect(page.html.contains(text), "\(text)")
        }
        let unclear = try await host.send(.submit(fields: [:], file: nil), to: began.consentURL)
        #expect(unclear.status == 400 && !unclear.isFinal)
    }
}
