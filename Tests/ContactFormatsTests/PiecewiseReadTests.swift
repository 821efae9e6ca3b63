import ContactFormats
import ImportCore
import Testing

/// Hands `bytes` over in pieces of `size`, as an upload arrives, then nil.
private final class Pieces {
    private let bytes: [UInt8]
    private let size: Int
    private var offset = 0
    private(set) var calls = 0

    init(_ bytes: [UInt8], size: Int) {
        self.bytes = bytes
        self.size = size
    }

    func next() -> [UInt8]? {
        calls += 1
        guard offset < bytes.count else { return nil }
        let end = min(bytes.count, offset + size)
        defer { offset = end }
        return Array(bytes[offset..<end])
    }
}

private func book(_ count: Int) -> [UInt8] {
    Array((0..<count).map { "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Person;\($0);;;\r\nEMAIL:p\($0)@example.org\r\nEND:VCARD\r\n" }.joined().utf8)
}

@Suite("reading a file that arrives in pieces")
struct PiecewiseReadTests {
    @Test(arguments: [1, 97, 4096, 70_000, 1 << 22])
    func piecesReadAsTheWholeFileDoes(size: Int) async throws {
        let bytes = book(size == 1 ? 200 : 1500) + Array("BEGIN:VCARD\r\nVERSION:3.0\r\nN:Cut".utf8)
        let whole = try ContactFileReader().read(bytes: bytes)
        let pieces = Pieces(bytes, size: size)
        var counts: [Int] = []
        let read = try await ContactFileReader().read(from: { pieces.next() }, expected: .vcard) { count, _ in counts.append(count) }
        #expect(read.contacts == whole.contacts)
        #expect(read.skipped == whole.skipped)
        #expect(read.kind == .vcard && read.bytesRead == bytes.count)
        #expect(counts == counts.sorted() && counts.last == whole.contacts.count)
    }

    @Test func onlyTheSniffersPrefixIsAwaitedBeforeTheFirstCount() async throws {
        let bytes = book(3000)
        let pieces = Pieces(bytes, size: 8192)
        var firstCountAfter: Int?
        _ = try await ContactFileReader().read(from: { pieces.next() }) { count, bytesRead in
            if count > 0, firstCountAfter == nil { firstCountAfter = bytesRead }
        }
        // 64 KiB in 8 KiB pieces: the first count comes with the eighth piece, not the last.
        #expect(firstCountAfter == 8 * 8192)
    }

    @Test func theKindIsCheckedAndAnEmptyFileRefused() async throws {
        let csv = Pieces(Array("Name,E-mail\nAda,ada@example.org\n".utf8), size: 5)
        await #expect(throws: ImportError.self) { try await ContactFileReader().read(from: { csv.next() }, expected: .vcard) }
        let empty = Pieces([], size: 5)
        do {
            _ = try await ContactFileReader().read(from: { empty.next() })
            Issue.record("an empty file was read")
        } catch let error as ImportError {
            #expect(error.code == .fileNotContacts)
        }
        #expect(empty.calls == 1, "nil is not asked for twice")
    }

    @Test func aFileOfUnreadableRecordsIs1026() async throws {
        let broken = Pieces(Array("BEGIN:VCARD\r\nVERSION:3.0\r\nN:Never;Closed".utf8), size: 10)
        do {
            _ = try await ContactFileReader().read(from: { broken.next() }, expected: .vcard)
            Issue.record("no record, yet no error")
        } catch let error as ImportError {
            #expect(error.code == .fileUnparseable)
        }
    }
}
