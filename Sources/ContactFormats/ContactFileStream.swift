import Foundation
#if canImport(Glibc)
import Glibc
private let systemRead = Glibc.read
#elseif canImport(Darwin)
import Darwin
private let systemRead = Darwin.read
#endif
import ImportCore

/// Reads a contacts file front to back and hands its contacts over in batches as they are
/// read, keeping none: what a conversion needs to write a file of any size in bounded
/// memory. Reading runs on a thread of its own, one chunk ahead of the consumer, so that
/// decoding and writing overlap on two cores.
///
/// Formats whose records refer to each other (LDIF lists) hand their contacts over at the
/// end, as their decoder holds them back until then.
public struct ContactFileStream: Sendable {
    public struct Summary: Sendable {
        public var contacts: Int
        public var skipped: [SkippedRecord]
        public var kind: ContactFileKind
        public var bytesRead: Int
    }

    public var chunkSize: Int
    /// Batches decoded but not yet taken; the reader waits beyond this.
    public var queueLength: Int

    public init(chunkSize: Int = 1 << 20, queueLength: Int = 4) {
        self.chunkSize = max(1, chunkSize)
        self.queueLength = max(1, queueLength)
    }

    /// Reads `path` (sniffed, or checked against `expected` as `ContactFileReader` does) and
    /// calls `kind` once the format is known, then `batch` for each group of contacts, on
    /// the calling thread. An error from either ends the reading; a file in which no record
    /// could be read throws 1026 after its last batch (which is then empty).
    public func read(
        path: String, expected: ContactFileKind? = nil,
        kind: (ContactFileKind) throws -> Void = { _ in },
        progress: (_ contacts: Int, _ bytesRead: Int, _ fileSize: Int) -> Void = { _, _, _ in },
        batch: ([Contact]) throws -> Void
    ) throws -> Summary {
        try Self.checkReadable(path)
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ImportError(.invalidParameters, "cannot open \(path)") }
        defer { close(descriptor) }
        var status = stat()
        let fileSize = fstat(descriptor, &status) == 0 ? Int(status.st_size) : 0

        var first = [UInt8](repeating: 0, count: max(chunkSize, FormatSniffer.prefixLength))
        let filled = try Self.fill(&first, from: descriptor)
        let sniffed = try FormatSniffer.sniff(first[0..<min(filled, FormatSniffer.prefixLength)])
        try ChunkedContactRead.check(sniffed, expected: expected)
        try kind(sniffed)

        let queue = BatchQueue(capacity: queueLength)
        let firstChunk = first[0..<filled]
        let chunkSize = chunkSize
        let reader = Thread {
            queue.produce { send in
                var decoder = sniffed.makeDecoder()
                var buffer = [UInt8](repeating: 0, count: chunkSize)
                var chunk = firstChunk
                var bytesRead = 0
                var count = 0
                while !chunk.isEmpty {
                    bytesRead += chunk.count
                    var contacts: [Contact] = []
                    try decoder.decode(chunk, into: &contacts)
                    count += contacts.count
                    guard send(.batch(contacts, count: count + decoder.heldBack, bytesRead: bytesRead)) else { return }
                    let next = try Self.fill(&buffer, from: descriptor)
                    chunk = buffer[0..<next]
                }
                var rest: [Contact] = []
                try decoder.finish(into: &rest)
                count += rest.count
                _ = send(.end(rest, count: count, skipped: decoder.skipped, bytesRead: bytesRead))
            }
        }
        reader.stackSize = 8 << 20
        reader.start()

        var summary = Summary(contacts: 0, skipped: [], kind: sniffed, bytesRead: 0)
        do {
            loop: while true {
                switch try queue.take() {
                case .batch(let contacts, let count, let bytesRead):
                    if !contacts.isEmpty { try batch(contacts) }
                    progress(count, bytesRead, fileSize)
                case .end(let contacts, let count, let skipped, let bytesRead):
                    if !contacts.isEmpty { try batch(contacts) }
                    progress(count, bytesRead, fileSize)
                    summary.contacts = count
                    summary.skipped = skipped
                    summary.bytesRead = bytesRead
                    break loop
                }
            }
        } catch {
            queue.abandon()
            throw error
        }
        if summary.contacts == 0 && !summary.skipped.isEmpty {
            throw ChunkedContactRead.nothingReadable(summary.skipped)
        }
        return summary
    }

    /// The file service's checks, in its words: there, a file, readable.
    public static func checkReadable(_ path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ImportError(.invalidParameters, "no such file: \(path)")
        }
        guard !isDirectory.boolValue else {
            throw ImportError(.invalidParameters, "\(path) is a directory, not a file")
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw ImportError(.invalidParameters, "\(path) is not readable")
        }
    }

    static func fill(_ buffer: inout [UInt8], from descriptor: Int32) throws -> Int {
        try buffer.withUnsafeMutableBytes { space in
            var filled = 0
            while filled < space.count {
                let count = systemRead(descriptor, space.baseAddress! + filled, space.count - filled)
                if count == 0 { break }
                if count < 0 {
                    if errno == EINTR { continue }
                    throw ImportError(.fileUnparseable, "read error: \(String(cString: strerror(errno)))")
                }
                filled += count
            }
            return filled
        }
    }
}

/// Batches from the reading thread to the consuming one, at most `capacity` waiting.
private final class BatchQueue: @unchecked Sendable {
    enum Item {
        case batch([Contact], count: Int, bytesRead: Int)
        case end([Contact], count: Int, skipped: [SkippedRecord], bytesRead: Int)
    }

    private let condition = NSCondition()
    private let capacity: Int
    private var items: [Item] = []
    private var failure: Error?
    private var finished = false
    private var abandoned = false

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Runs `body` on the producing thread; `send` waits while the queue is full and says
    /// false once the consumer has gone.
    func produce(_ body: ((Item) -> Bool) throws -> Void) {
        do {
            try body { item in
                self.condition.lock()
                defer { self.condition.unlock() }
                while self.items.count >= self.capacity && !self.abandoned { self.condition.wait() }
                guard !self.abandoned else { return false }
                self.items.append(item)
                self.condition.broadcast()
                return true
            }
        } catch {
            condition.lock()
            failure = error
            condition.broadcast()
            condition.unlock()
        }
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    func take() throws -> Item {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty {
            if let failure { throw failure }
            condition.wait()
        }
        let item = items.removeFirst()
        condition.broadcast()
        return item
    }

    /// The consumer stops: the producer's next `send` returns false; waits for it to end,
    /// so that the file it reads is not closed under it.
    func abandon() {
        condition.lock()
        abandoned = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }
}
