import ContactFormats
import Foundation
import ImportCore
import Testing
@testable import Providers

/// The CardDAV client against real servers (Radicale and Xandikos from PyPI) on 127.0.0.1.
/// One server per test, stopped however the test ends; the suite runs one test at a time
/// so that the servers do not compete for the machine's cores.
@Suite("CardDAV against Radicale and Xandikos", .serialized)
struct CardDAVServerTests {
    typealias Support = CardDAVTestSupport

    @Test("discovery from the bare origin finds every book; one can be chosen", .serialized, arguments: LoopbackServer.Kind.allCases)
    func discoveryAndSeveralBooks(kind: LoopbackServer.Kind) async throws {
        try await withServer(kind) { server in
            try await server.makeBook("alice", "work", displayName: "Work")
            try await server.makeBook("alice", "family", displayName: "Family & Friends")
            let work = Support.generatedCards(3, seed: 1, prefix: "work")
            var family = Support.generatedCards(2, seed: 2, prefix: "family")
            // Odd resource names: spaces, non-ASCII, reserved characters. (Radicale 3.9
            // refuses a `:` in a name and Xandikos leaves such names out of its listings.)
            family[0].name = "Jörg Müller & co@home; v1.vcf"
            family[1].name = "a+b=c (1) &amp.vcf"
            try await server.store("alice", "work", cards: work)
            try await server.store("alice", "family", cards: family)

            // The books, as discovery sees them (.well-known → principal → home → books).
            let transport = DAVTransport(start: DAVLocation(absolute: server.origin)!, credentials: .password(username: "alice", password: Secret("secret")),
                                         settings: Support.settings())
            let books = try await CardDAVDiscovery(transport: transport, hint: "").addressBooks(from: DAVLocation(absolute: server.origin)!)
            await transport.shutdown()
            let names = Set(books.map(\.name))
            #expect(names.isSuperset(of: ["Work", "Family & Friends"]))
            #expect(books.allSatisfy { $0.location.path.hasPrefix(server.homePath("alice")) })

            let all = try await Support.importCards(Support.parameters(server))
            #expect(Set(all.contacts.compactMap(\.uid)) == Set((work + family).map { Self.uid(of: $0.text) }))
            #expect(all.skipped.isEmpty)

            let chosen = try await Support.importCards(Support.parameters(server, book: "Family & Friends"))
            #expect(Set(chosen.contacts.compactMap(\.uid)) == Set(family.map { Self.uid(of: $0.text) }))
            let bySegment = try await Support.importCards(Support.parameters(server, book: "work"))
            #expect(bySegment.contacts.count == 3)

            let unknown = await Support.expectError(.invalidParameters) {
                _ = try await Support.importCards(Support.parameters(server, book: "Holidays"))
            }
            #expect(unknown?.detail?.contains("Work") == true)

            // A URL naming the book itself skips discovery.
            let direct = try await Support.importCards(Support.parameters(server, url: server.bookURL("alice", "work")))
            #expect(direct.contacts.count == 3)
        }
    }

    @Test("1,000 generated cards and the corpus arrive with every field intact", .serialized, arguments: LoopbackServer.Kind.allCases)
    func everyFieldOfGeneratedAndCorpusCards(kind: LoopbackServer.Kind) async throws {
        try await withServer(kind) { server in
            let generated = Support.generatedCards(1000)
            let corpus = try Support.corpusCards()
            let expectedCards: [[UInt8]]
            switch kind {
            case .xandikos:
                // Xandikos keeps the bytes as they were put: the import must read exactly
                // what the core's reader reads from the original cards.
                try await server.makeBook("alice", "everything", displayName: "Everything")
                try await server.store("alice", "everything", cards: generated + corpus)
                expectedCards = (generated + corpus).map(\.text)
            case .radicale:
                // Radicale rewrites cards with vobject (order, case, dropped 2.1 parameters),
                // refuses a card without UID and some it cannot parse (bad base64, bytes that
                // are not UTF-8); the import must read exactly what it stores.
                try await server.putWholeBook("alice", "everything", text: generated.flatMap(\.text))
                var refused: [String] = []
                for card in corpus {
                    let status = try await server.put("alice", "everything", name: card.name, text: Self.withUID(card.text, card.name))
                    if status != 201 { refused.append(card.name) }
                }
                #expect(refused.count <= corpus.count / 2, "Radicale refused \(refused)")
                expectedCards = try await server.storedCards("alice", "everything")
                #expect(expectedCards.count == 1000 + corpus.count - refused.count)
                // Our own 3.0 cards come back with the same content as sent.
                let storedGenerated = try Support.decodeEach(expectedCards).contacts.filter { $0.uid?.hasPrefix("gen-") == true }
                let sentGenerated = try Support.decodeEach(generated.map(\.text)).contacts
                #expect(try Support.canonical(storedGenerated) == Support.canonical(sentGenerated))
            }
            let expected = try Support.decodeEach(expectedCards)

            let progress = ProgressRecorder()
            let result = try await Support.importCards(Support.parameters(server, book: "everything"), progress: progress)
            #expect(result.contacts.count == expected.contacts.count)
            #expect(result.skipped.count == expected.skipped)
            let got = try Support.canonical(result.contacts)
            let want = try Support.canonical(expected.contacts)
            #expect(got == want)
            if got != want {
                for (a, b) in zip(got, want) where a != b {
                    Issue.record("first difference:\n got \(a)\nwant \(b)")
                    break
                }
            }
            let (totals, counts) = progress.snapshot
            #expect(totals.first == expectedCards.count)
            #expect(counts.last == expectedCards.count)
        }
    }

    @Test("a wrong password is 263, quickly", .serialized, arguments: LoopbackServer.Kind.allCases)
    func wrongPassword(kind: LoopbackServer.Kind) async throws {
        try await withServer(kind) { server in
            let started = ContinuousClock.now
            let error = await Support.expectError(.credentialsMismatch) {
                _ = try await Support.importCards(Support.parameters(server, password: "not-the-password"))
            }
            #expect(ContinuousClock.now - started < .seconds(10))
            #expect(error?.description.contains("not-the-password") == false)
            #expect(error?.description.contains("secret") == false)
        }
    }

    @Test("another user's address book is refused with 264", .serialized, arguments: LoopbackServer.Kind.allCases)
    func anotherUsersBook(kind: LoopbackServer.Kind) async throws {
        try await withServer(kind) { server in
            try await server.makeBook("bob", "private", displayName: "Bob's")
            try await server.store("bob", "private", cards: Support.generatedCards(2, seed: 9, prefix: "bob"))
            // Radicale answers 403; Xandikos' multi-user mode fails the request with 500.
            let error = await Support.expectError(.addressBookUnavailable) {
                _ = try await Support.importCards(Support.parameters(server, url: server.bookURL("bob", "private")))
            }
            #expect(error?.detail?.contains("/bob/") == true)
        }
    }

    @Test("a server stopped mid-import gives 518 within the deadline", .serialized, arguments: LoopbackServer.Kind.allCases)
    func serverStoppedMidImport(kind: LoopbackServer.Kind) async throws {
        try await withServer(kind) { server in
            let cards = Support.generatedCards(2000, seed: 3)
            if kind == .radicale {
                try await server.putWholeBook("alice", "big", text: cards.flatMap(\.text))
            } else {
                try await server.makeBook("alice", "big", displayName: "Big")
                try await server.store("alice", "big", cards: cards)
            }
            let progress = ProgressRecorder(onFirstCards: { server.killNow() })
            let started = ContinuousClock.now
            let deadline = Duration.seconds(30)
            let error = await Support.expectError(.providerUnreachable) {
                _ = try await Support.importCards(Support.parameters(server, book: "big"),
                                                  settings: Support.settings(deadline: deadline, batchSize: 20, concurrency: 1),
                                                  progress: progress)
            }
            #expect(ContinuousClock.now - started < deadline)
            #expect(error?.detail?.contains("127.0.0.1:\(server.port)") == true)
            #expect((progress.snapshot.counts.last ?? 0) < 2000)
        }
    }

    @Test("an empty address book completes with no contacts", .serialized, arguments: LoopbackServer.Kind.allCases)
    func emptyBook(kind: LoopbackServer.Kind) async throws {
        try await withServer(kind) { server in
            try await server.makeBook("alice", "empty", displayName: "Nobody")
            let progress = ProgressRecorder()
            let result = try await Support.importCards(Support.parameters(server, book: "Nobody"), progress: progress)
            #expect(result.contacts.isEmpty)
            #expect(result.skipped.isEmpty)
            #expect(progress.snapshot.totals.first == 0)
        }
    }

    @Test("a 10,000-card book, counted first", .serialized, arguments: LoopbackServer.Kind.allCases)
    func tenThousandCards(kind: LoopbackServer.Kind) async throws {
        try await withServer(kind) { server in
            let cards = Support.generatedCards(10_000, seed: 10)
            switch kind {
            case .radicale: try await server.putWholeBook("alice", "large", text: cards.flatMap(\.text))
            case .xandikos:
                try await server.makeBook("alice", "large", displayName: "Large")
                try await server.store("alice", "large", cards: cards)
            }
            let progress = ProgressRecorder()
            let result = try await Support.importCards(Support.parameters(server, book: "large"), progress: progress)
            #expect(result.contacts.count == 10_000)
            #expect(Set(result.contacts.compactMap(\.uid)).count == 10_000)
            let (totals, counts) = progress.snapshot
            #expect(totals.allSatisfy { $0 == 10_000 })
            #expect(counts == counts.sorted())
            #expect(counts.last == 10_000)
            #expect(counts.count >= 10_000 / Support.settings().batchSize)
        }
    }

    /// Radicale refuses a single card without UID; such a corpus card gets one after BEGIN.
    static func withUID(_ card: [UInt8], _ name: String) -> [UInt8] {
        let text = String(decoding: card, as: UTF8.self)
        if text.range(of: "\nUID[:;]", options: [.regularExpression, .caseInsensitive]) != nil { return card }
        guard let end = card.firstIndex(of: 0x0A) else { return card }
        return Array(card[...end]) + Array("UID:\(name)\r\n".utf8) + Array(card[(end + 1)...])
    }

    static func uid(of card: [UInt8]) -> String {
        let text = String(decoding: card, as: UTF8.self)
        for line in text.split(whereSeparator: \.isNewline) where line.hasPrefix("UID:") {
            return String(line.dropFirst(4))
        }
        return ""
    }
}
