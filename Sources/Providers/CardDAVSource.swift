import ContactFormats
import Foundation
import ImportCore
import Synchronization

/// One CardDAV import: discovery, a count of every chosen book's cards (so GATHERING
/// shows n of N), then the cards in `addressbook-multiget` batches, a few in flight at
/// once, or one GET per card on servers without multiget. Cards that cannot be read are
/// skipped and reported; everything else fails with a table code.
struct CardDAVSource: ContactSource {
    let start: DAVLocation
    let credentials: DAVCredentials
    /// An address book's display name or last path segment; nil means every book.
    let bookName: String?
    let preset: CardDAVPreset
    let settings: CardDAVSettings

    func gather(progress: any ImportProgressReporter) async throws -> GatheredContacts {
        let transport = DAVTransport(start: start, credentials: credentials, settings: settings)
        let deadline = settings.importDeadline
        do {
            let result = try await withTimeout(deadline) { [self] in
                try await run(transport, progress: progress)
            }
            await transport.shutdown()
            return result
        } catch is RequestTimedOut {
            await transport.shutdown()
            throw ImportError(.webmailTimedOut, "the import did not finish within \(deadline.spoken)")
        } catch {
            await transport.shutdown()
            throw error
        }
    }

    private func run(_ transport: DAVTransport, progress: any ImportProgressReporter) async throws -> GatheredContacts {
        let hint = preset.passwordHint
        let discovered = try await CardDAVDiscovery(transport: transport, hint: hint).addressBooks(from: start)
        let books = try choose(from: discovered)

        // Count first: one PROPFIND Depth 1 per book lists every card with its etag.
        var members: [(book: AddressBook, cards: [DAVLocation])] = []
        for book in books {
            members.append((book, try await listCards(of: book, transport, hint: hint)))
        }
        let total = members.reduce(0) { $0 + $1.cards.count }
        progress.startGathering(total: total)

        var batches: [Batch] = []
        for (book, cards) in members {
            var offset = 0
            while offset < cards.count {
                let end = min(cards.count, offset + settings.batchSize)
                batches.append(Batch(index: batches.count, book: book, cards: Array(cards[offset..<end])))
                offset = end
            }
        }

        let fetcher = CardFetcher(transport: transport, settings: settings, hint: hint)
        var results = [BatchResult?](repeating: nil, count: batches.count)
        var done = 0
        try await withThrowingTaskGroup(of: BatchResult.self) { group in
            var next = 0
            while next < min(settings.concurrency, batches.count) {
                let batch = batches[next]
                group.addTask { try await fetcher.fetch(batch) }
                next += 1
            }
            while let result = try await group.next() {
                results[result.index] = result
                done += result.cardCount
                progress.gathered(done, total: total)
                if next < batches.count {
                    let batch = batches[next]
                    group.addTask { try await fetcher.fetch(batch) }
                    next += 1
                }
            }
        }
        var contacts: [Contact] = []
        var skipped: [SkippedRecord] = []
        contacts.reserveCapacity(total)
        for result in results {
            guard let result else { continue }
            contacts += result.contacts
            skipped += result.skipped
        }
        return GatheredContacts(contacts: contacts, skipped: skipped)
    }

    private func choose(from books: [AddressBook]) throws -> [AddressBook] {
        guard let wanted = bookName?.trimmingSpaces, !wanted.isEmpty, wanted.lowercased() != "all" else { return books }
        let matching = books.filter { book in
            book.name.caseInsensitiveCompare(wanted) == .orderedSame
                || book.location.lastSegment.caseInsensitiveCompare(wanted) == .orderedSame
                || DAVLocation.percentDecoded(book.location.path) == wanted || book.location.url == wanted
        }
        guard !matching.isEmpty else {
            let names = books.map { "\"\($0.name)\"" }.joined(separator: ", ")
            throw ImportError(.invalidParameters, "no address book \"\(wanted)\" in this account; it has \(books.isEmpty ? "none" : names)")
        }
        return matching
    }

    private func listCards(of book: AddressBook, _ transport: DAVTransport, hint: String) async throws -> [DAVLocation] {
        let response = try await transport.send("PROPFIND", book.location, depth: "1", body: DAVRequestBody.members)
        try CardDAVStatus.expectMultistatus(response, what: "PROPFIND \(book.location.path)", hint: hint)
        let items = try DAVMultistatus.parse(response.body, what: "PROPFIND \(book.location.path)")
        let own = book.location.matchKey
        var cards: [DAVLocation] = []
        var seen: Set<String> = [own]
        for item in items {
            if let status = item.status, !(200..<300).contains(status) { continue }
            if item.resourceTypes.contains(.collection) { continue }
            if let type = item.property(.getcontenttype)?.text.lowercased(), !type.isEmpty,
               !type.contains("vcard") && !type.contains("directory") {
                continue
            }
            guard let location = response.location.resolving(item.href), seen.insert(location.matchKey).inserted else { continue }
            cards.append(location)
        }
        return cards
    }
}

struct Batch: Sendable {
    var index: Int
    var book: AddressBook
    var cards: [DAVLocation]
}

struct BatchResult: Sendable {
    var index: Int
    var cardCount: Int
    var contacts: [Contact]
    var skipped: [SkippedRecord]
}

/// Fetches batches of cards: multiget first, GET per card once a server shows it has no
/// multiget (or leaves cards out of its answer).
final class CardFetcher: Sendable {
    let transport: DAVTransport
    let settings: CardDAVSettings
    let hint: String
    private let multigetUnsupported = LockedFlag()

    init(transport: DAVTransport, settings: CardDAVSettings, hint: String) {
        self.transport = transport
        self.settings = settings
        self.hint = hint
    }

    func fetch(_ batch: Batch) async throws -> BatchResult {
        var texts: [String: [UInt8]] = [:]
        var missing = batch.cards
        if !multigetUnsupported.isSet {
            let body = DAVRequestBody.multiget(batch.cards.map(\.path))
            let what = "REPORT addressbook-multiget \(batch.book.location.path)"
            let response = try await transport.send("REPORT", batch.book.location, depth: "1", body: body)
            switch response.status {
            case 207:
                let items = try DAVMultistatus.parse(response.body, what: what)
                for item in items {
                    guard let data = item.property(.addressData), let location = response.location.resolving(item.href) else { continue }
                    texts[location.matchKey] = Array(data.text.utf8)
                }
                missing = batch.cards.filter { texts[$0.matchKey] == nil }
            case 400, 404, 405, 415, 422, 501:
                multigetUnsupported.set()
            default:
                throw CardDAVStatus.error(for: response, what: what, hint: hint)
            }
        }
        var skipped: [SkippedRecord] = []
        if !missing.isEmpty {
            let fetched = try await getEach(missing)
            for (card, outcome) in zip(missing, fetched) {
                switch outcome {
                case .success(let bytes): texts[card.matchKey] = bytes
                case .failure(let reason): skipped.append(SkippedRecord(line: 1, reason: "\(card.path): \(reason)"))
                }
            }
        }
        var contacts: [Contact] = []
        contacts.reserveCapacity(batch.cards.count)
        // One decoder for the batch: its card builder and buffers are set up once, not per card.
        var decoder = VCardDecoder()
        for card in batch.cards {
            guard let bytes = texts[card.matchKey] else { continue }
            do {
                let read = try decoder.decodeSeparately(bytes)
                contacts += read
                for record in decoder.skipped {
                    skipped.append(SkippedRecord(line: record.line, reason: "\(card.path): \(record.reason)"))
                }
                if read.isEmpty && decoder.skipped.isEmpty {
                    skipped.append(SkippedRecord(line: 1, reason: "\(card.path): no vCard in the server's answer"))
                }
            } catch {
                skipped.append(SkippedRecord(line: 1, reason: "\(card.path): \(error)"))
            }
        }
        return BatchResult(index: batch.index, cardCount: batch.cards.count, contacts: contacts, skipped: skipped)
    }

    enum GetOutcome: Sendable {
        case success([UInt8])
        case failure(String)
    }

    /// GET per card, a few at once; a card that is gone (404, 410) is reported, not fatal.
    private func getEach(_ cards: [DAVLocation]) async throws -> [GetOutcome] {
        var outcomes = [GetOutcome](repeating: .failure("not fetched"), count: cards.count)
        try await withThrowingTaskGroup(of: (Int, GetOutcome).self) { group in
            var next = 0
            func add() {
                let index = next
                let card = cards[index]
                group.addTask { [transport, hint] in
                    let response = try await transport.send("GET", card)
                    switch response.status {
                    case 200: return (index, .success(response.body))
                    case 404, 410: return (index, .failure("the card was deleted on the server during the import (\(response.status))"))
                    default: throw CardDAVStatus.error(for: response, what: "GET \(card.path)", hint: hint)
                    }
                }
                next += 1
            }
            while next < min(cards.count, settings.concurrency) { add() }
            while let (index, outcome) = try await group.next() {
                outcomes[index] = outcome
                if next < cards.count { add() }
            }
        }
        return outcomes
    }
}

final class LockedFlag: Sendable {
    private let value = Atomic(false)
    func set() { value.store(true, ordering: .releasing) }
    var isSet: Bool { value.load(ordering: .acquiring) }
}
