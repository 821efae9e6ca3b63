import ContactFormats
import DemoService
import Foundation
import ImportCore
import Testing
@testable import Providers

/// Records what a source reports, and can act when the first cards arrive.
final class ProgressRecorder: ImportProgressReporter, @unchecked Sendable {
    private let lock = NSLock()
    private(set) var totals: [Int?] = []
    private(set) var counts: [Int] = []
    private let onFirstCards: (@Sendable () -> Void)?
    private var fired = false

    init(onFirstCards: (@Sendable () -> Void)? = nil) {
        self.onFirstCards = onFirstCards
    }

    func startGathering(total: Int?) {
        lock.withLock { totals.append(total) }
    }

    func gathered(_ count: Int, total: Int?) {
        let fire = lock.withLock { () -> Bool in
            counts.append(count)
            if total != nil { totals.append(total) }
            defer { fired = true }
            return !fired && count > 0
        }
        if fire { onFirstCards?() }
    }

    var snapshot: (totals: [Int?], counts: [Int]) { lock.withLock { (totals, counts) } }
}

enum CardDAVTestSupport {
    /// Short timeouts so that failures show quickly; the loopback Xandikos has a
    /// self-signed certificate.
    static func settings(deadline: Duration = .seconds(300), batchSize: Int = 100, concurrency: Int = 4) -> CardDAVSettings {
        CardDAVSettings(requestTimeout: .seconds(60), connectTimeout: .seconds(5), importDeadline: deadline, maxAttempts: 3,
                        retryDelay: .milliseconds(100), maxRetryDelay: .seconds(5), batchSize: batchSize,
                        concurrency: concurrency, acceptsUntrustedCertificates: true)
    }

    /// Runs one import through the factory and the source, as the engine would.
    static func importCards(service: String = "carddav", _ parameters: [String: String], settings: CardDAVSettings = settings(),
                            progress: ProgressRecorder = ProgressRecorder()) async throws -> GatheredContacts {
        let factory = CardDAVSourceFactory(settings: settings)
        let descriptor = try #require(ServiceCatalog.standard.service(named: service))
        let prepared = try await factory.prepare(SourceRequest(importID: 1, service: descriptor, parameters: ImportParameters(parameters)))
        return try await prepared.source.gather(progress: progress)
    }

    static func parameters(_ server: LoopbackServer, user: String = "alice", password: String? = nil, url: String? = nil,
                           book: String? = nil) -> [String: String] {
        var values = ["username": user, "password": password ?? LoopbackServer.users[user]!, "url": url ?? server.origin]
        if let book { values["book"] = book }
        return values
    }

    /// Expects an `ImportError` with `code` from `body`.
    @discardableResult
    static func expectError(_ code: ErrorCode, sourceLocation: SourceLocation = #_sourceLocation,
                            _ body: () async throws -> Void) async -> ImportError? {
        do {
            try await body()
            Issue.record("no error; expected \(code.rawValue)", sourceLocation: sourceLocation)
        } catch let error as ImportError {
            #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
            return error
        } catch {
            Issue.record("expected ImportError \(code.rawValue), got \(error)", sourceLocation: sourceLocation)
        }
        return nil
    }

    // MARK: - Cards

    /// Generated contacts (several scripts, every field the demo book fills) as one
    /// vCard 3.0 resource each.
    static func generatedCards(_ count: Int, seed: UInt64 = 6352, prefix: String = "gen") -> [(name: String, text: [UInt8])] {
        let contacts = DemoAddressBook(size: count, seed: seed).contacts()
        let encoder = VCardEncoder(version: .v3)
        return contacts.enumerated().map { index, contact in
            var contact = contact
            contact.uid = "\(prefix)-\(seed)-\(index)"
            if index % 7 == 0 { contact.notes = "Line one; with, punctuation\nline two: \\ back & <angle> \"quotes\"" }
            return (name: "\(prefix)-\(index).vcf", text: encoder.encode([contact]))
        }
    }

    static var corpusFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("../shared/corpora/vcard").standardized
    }

    /// Every card of every `.vcf` in the shared corpus, split at top-level BEGIN/END lines
    /// with its bytes untouched.
    static func corpusCards() throws -> [(name: String, text: [UInt8])] {
        guard let walker = FileManager.default.enumerator(at: corpusFolder, includingPropertiesForKeys: nil) else {
            throw SetupError("the corpus is missing at \(corpusFolder.path)")
        }
        var cards: [(name: String, text: [UInt8])] = []
        let files = walker.compactMap { $0 as? URL }.filter { $0.pathExtension.lowercased() == "vcf" }
            .sorted { $0.path < $1.path }
        for file in files {
            let bytes = [UInt8](try Data(contentsOf: file))
            for (index, card) in split(bytes).enumerated() {
                cards.append((name: "corpus \(file.deletingPathExtension().lastPathComponent) \(index).vcf", text: card))
            }
        }
        guard cards.count > 10 else { throw SetupError("the corpus at \(corpusFolder.path) has too few cards") }
        return cards
    }

    static func split(_ bytes: [UInt8]) -> [[UInt8]] {
        var cards: [[UInt8]] = []
        var current: [UInt8] = []
        var depth = 0
        var lineStart = 0
        for index in bytes.indices where bytes[index] == 0x0A || index == bytes.count - 1 {
            let line = Array(bytes[lineStart...index])
            lineStart = index + 1
            let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
            let bare = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
            if bare == "BEGIN:VCARD" { depth += 1 }
            if depth > 0 { current += line }
            if bare == "END:VCARD" && depth > 0 {
                depth -= 1
                if depth == 0 {
                    cards.append(current)
                    current = []
                }
            }
        }
        return cards
    }

    /// What the core's vCard reader makes of the cards, read one by one.
    static func decodeEach(_ cards: [[UInt8]]) throws -> (contacts: [Contact], skipped: Int) {
        var contacts: [Contact] = []
        var skipped = 0
        for card in cards {
            var decoder = VCardDecoder()
            contacts += try decoder.decodeAll(card)
            skipped += decoder.skipped.count
        }
        return (contacts, skipped)
    }

    /// Contacts in a canonical order, each as sorted-key JSON: comparing two of these
    /// compares every field.
    static func canonical(_ contacts: [Contact]) throws -> [String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try contacts.map { String(decoding: try encoder.encode($0), as: UTF8.self) }.sorted()
    }
}
