import Foundation
import ImportCore

/// Serves the `demo` service: a consent page asks to allow access to a made-up address
/// book; Allow gathers `DemoAddressBook` with visible progress, Deny ends with 514, no
/// answer within the engine's consent window with 516, Cancel with 517.
///
/// Parameters: `size` (0…`maximumSize`, default 250) and `seed` (an unsigned 64-bit
/// integer, default 2026); anything else in them is refused with 2.
public struct DemoSourceFactory: ContactSourceFactory {
    public let serviceCodes: Set<String> = ["demo"]
    public var pageHost: any ConsentPageHost
    public var pacing: DemoPacing
    public static let maximumSize = 100_000

    public init(pageHost: any ConsentPageHost, pacing: DemoPacing = .standard) {
        self.pageHost = pageHost
        self.pacing = pacing
    }

    public func prepare(_ request: SourceRequest) async throws -> PreparedSource {
        let book = try Self.addressBook(from: request.parameters)
        let decision = Handoff<DemoDecision>()
        let page = DemoConsentPage(importID: request.importID, service: request.service, book: book, decision: decision)
        let published = try await pageHost.publish(page)
        let host = pageHost
        return PreparedSource(source: DemoContactSource(book: book, pacing: pacing, decision: decision),
                              consentURL: published.url) {
            await host.withdraw(published)
            decision.fail(ImportError(.consentAbandoned, "the import has ended"))
        }
    }

    /// The address book the parameters ask for.
    static func addressBook(from parameters: ImportParameters) throws -> DemoAddressBook {
        var size = DemoAddressBook.defaultSize
        var seed = DemoAddressBook.defaultSeed
        if let text = parameters["size"]?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            guard let value = Int(text), (0...maximumSize).contains(value) else {
                throw ImportError(.invalidParameters, "size must be a whole number from 0 to \(maximumSize), not \"\(text)\"")
            }
            size = value
        }
        if let text = parameters["seed"]?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            guard let value = UInt64(text) else {
                throw ImportError(.invalidParameters, "seed must be a whole number from 0 to \(UInt64.max), not \"\(text)\"")
            }
            seed = value
        }
        return DemoAddressBook(size: size, seed: seed)
    }
}

/// How the demo spreads its gathering over time, so that progress can be watched. Real
/// providers deliver contacts page by page; the demo imitates that.
public struct DemoPacing: Sendable, Hashable {
    /// How long gathering the whole book takes, whatever its size.
    public var duration: Duration
    /// How many pages the book is delivered in (at least 1).
    public var pages: Int

    public init(duration: Duration, pages: Int) {
        self.duration = duration
        self.pages = max(1, pages)
    }

    /// About three seconds in 30 pages: long enough to see the counts move.
    public static let standard = DemoPacing(duration: .seconds(3), pages: 30)
    /// Everything at once, for tests and benchmarks.
    public static let immediate = DemoPacing(duration: .zero, pages: 1)
}

/// What the person chose on the consent page.
enum DemoDecision: Sendable {
    case allow
    case deny
}

/// Waits for the decision, then generates the book page by page.
struct DemoContactSource: ContactSource {
    let book: DemoAddressBook
    let pacing: DemoPacing
    let decision: Handoff<DemoDecision>

    func gather(progress: any ImportProgressReporter) async throws -> GatheredContacts {
        guard try await decision.value() == .allow else {
            throw ImportError(.consentRefused, "access to the demo address book was denied on the consent page")
        }
        progress.startGathering(total: book.size)
        let pages = min(pacing.pages, max(1, book.size))
        let pause = pacing.duration / pages
        var random = SplitMix64(seed: book.seed)
        var contacts: [Contact] = []
        contacts.reserveCapacity(book.size)
        for page in 1...pages {
            if pause > .zero { try await Task.sleep(for: pause) }
            try Task.checkCancellation()
            // Page boundaries by integer division, so the pages add up to the size exactly.
            let end = book.size * page / pages
            while contacts.count < end {
                contacts.append(book.contact(number: contacts.count, random: &random))
            }
            progress.gathered(contacts.count, total: book.size)
        }
        return GatheredContacts(contacts: contacts, owner: book.owner)
    }
}
