import Foundation
import ImportCore
import Synchronization

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
        let filled = try FileChunks.fill(&first, from: descriptor)
        let sniffed = try FileChunks.kind(of: first[0..<filled], expected: expected)
        try kind(sniffed)

        let queue = BatchQueue(capacity: queueLength)
        let firstChunk = first[0..<filled]
        let chunkSize = chunkSize
        let reader = Thread {
            queue.produce { send in
                var decoder = sniffed.makeFileDecoder()
                var chunk = firstChunk
                var bytesRead = 0
                var count = 0
                while !chunk.isEmpty {
                    bytesRead += chunk.count
                    var contacts: [Contact] = []
                    try decoder.decode(chunk, into: &contacts)
                    count += contacts.count
                    guard send(.batch(contacts, count: count + decoder.heldBack, bytesRead: bytesRead)) else { return }
                    // A chunk of its own each time: the decoder may keep the last one's bytes.
                    chunk = try FileChunks.next(chunkSize, from: descriptor)[...]
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
}

/// Batches from the reading thread to the consuming one, at most `capacity` waiting.
///
/// The waits are on a condition (a pthread one, which ThreadSanitizer sees on Linux, where
/// it does not see `Mutex`: `scripts/tsan-mutex-probe`); the state is in a `Mutex`, only
/// ever taken while the condition is held, so that the compiler checks its use as well.
private final class BatchQueue: Sendable {
    enum Item {
        case batch([Contact], count: Int, bytesRead: Int)
        case end([Contact], count: Int, skipped: [SkippedRecord], bytesRead: Int)
    }

    private struct State {
        var items: [Item] = []
        var failure: (any Error)?
        var finished = false
        var abandoned = false
    }

    private let condition = NSCondition()
    private let state = Mutex(State())
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Runs `body` on the producing thread; `send` waits while the queue is full and says
    /// false once the consumer has gone.
    func produce(_ body: ((Item) -> Bool) throws -> Void) {
        do {
            try body { item in
                self.whileHeld {
                    while true {
                        let (full, abandoned) = self.state.withLock { ($0.items.count >= self.capacity, $0.abandoned) }
                        if abandoned { return false }
                        if !full { break }
                        self.condition.wait()
                    }
                    self.state.withLock { $0.items.append(item) }
                    return true
                }
            }
        } catch {
            whileHeld { state.withLock { $0.failure = error } }
        }
        whileHeld { state.withLock { $0.finished = true } }
    }

    /// The next item in order; the producer's failure once the items sent before it are taken.
    func take() throws -> Item {
        try whileHeld {
            while true {
                let next = state.withLock { state -> Result<Item, any Error>? in
                    if !state.items.isEmpty { return .success(state.items.removeFirst()) }
                    return state.failure.map { .failure($0) }
                }
                if let next { return try next.get() }
                condition.wait()
            }
        }
    }

    /// The consumer stops: the producer's next `send` returns false; waits for it to end,
    /// so that the file it reads is not closed under it.
    func abandon() {
        whileHeld {
            state.withLock { $0.abandoned = true }
            // A producer waiting for a place wakes and finds the queue abandoned.
            condition.broadcast()
            while !state.withLock({ $0.finished }) { condition.wait() }
        }
    }

    /// `body` with the condition held; whatever it changed, the other side is woken after.
    private func whileHeld<Result>(_ body: () throws -> Result) rethrows -> Result {
        condition.lock()
        defer {
            condition.broadcast()
            condition.unlock()
        }
        return try body()
    }
}
