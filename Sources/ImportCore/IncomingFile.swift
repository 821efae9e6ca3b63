import Synchronization

/// A file sent through a page's form, read while it is still arriving. The page host
/// appends the bytes as the request body brings them and waits for room before taking in
/// more, so a reader slower than the network holds the upload back instead of letting it
/// pile up in memory; the reader takes whatever has arrived, a piece at a time.
///
/// One host writes and one reader reads. Either side can end it: the host with `finish`
/// or `fail` (the upload was cut off, too large, malformed), the reader with `stop`
/// (it has its answer, or its import has ended), after which further bytes are dropped.
public final class IncomingFile: Sendable {
    /// The name the browser gave, if any; never trusted as a path.
    public let fileName: String?
    /// The media type the browser claimed; a hint only.
    public let mediaType: String?
    /// The size of the request that carries the file, when it was declared: the file is
    /// a little smaller. Nil for a body sent in chunks.
    public let sizeBound: Int?

    private struct State {
        var pending: [UInt8] = []
        var received = 0
        var end: Result<Void, any Error>?
        var stopped = false
        var reader: CheckedContinuation<[UInt8]?, any Error>?
        var writer: CheckedContinuation<Bool, Never>?
    }

    private let capacity: Int
    private let state = Mutex(State())

    /// - Parameter capacity: bytes held for the reader before the host must wait.
    public init(fileName: String?, mediaType: String?, sizeBound: Int? = nil, capacity: Int = 1 << 20) {
        self.fileName = fileName
        self.mediaType = mediaType
        self.sizeBound = sizeBound
        self.capacity = max(1, capacity)
    }

    /// A file that has arrived whole.
    public convenience init(_ file: UploadedFile) {
        self.init(fileName: file.fileName, mediaType: file.mediaType, sizeBound: file.bytes.count,
                  capacity: max(1, file.bytes.count))
        file.bytes.withUnsafeBytes { append($0) }
        finish()
    }

    // MARK: The host's side

    /// Bytes of the file, in order. Never waits; `waitForRoom` is what holds the host back.
    public func append(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        state.withLock { state in
            guard !state.stopped, state.end == nil else { return }
            state.received += bytes.count
            if let reader = state.reader {
                state.reader = nil
                reader.resume(returning: Array(bytes))
            } else {
                state.pending.append(contentsOf: bytes)
            }
        }
    }

    /// Waits while the reader has `capacity` bytes or more still to take. False once the
    /// reader has stopped (or the waiting task is cancelled): the host need send no more.
    public func waitForRoom() async -> Bool {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let ready: Bool? = state.withLock { state in
                    if state.stopped || Task.isCancelled { return false }
                    if state.pending.count < capacity || state.end != nil { return true }
                    state.writer = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            let writer = state.withLock { state in
                defer { state.writer = nil }
                return state.writer
            }
            writer?.resume(returning: false)
        }
    }

    /// The file ended where the form said it did.
    public func finish() { end(.success(())) }

    /// The file will not arrive whole; the reader gets `error` once it has taken what came.
    public func fail(_ error: any Error) { end(.failure(error)) }

    /// The bytes taken in so far.
    public var bytesReceived: Int { state.withLock { $0.received } }

    /// Whether the reader has stopped taking bytes.
    public var isStopped: Bool { state.withLock { $0.stopped } }

    private func end(_ outcome: Result<Void, any Error>) {
        state.withLock { state in
            guard state.end == nil else { return }
            state.end = outcome
            if let reader = state.reader, state.pending.isEmpty {
                state.reader = nil
                reader.resume(with: outcome.map { _ in nil })
            }
            if let writer = state.writer {
                state.writer = nil
                writer.resume(returning: !state.stopped)
            }
        }
    }

    // MARK: The reader's side

    /// All the bytes that have arrived since the last call, waiting for some if none have;
    /// nil at the end of the file. Throws what the host failed the file with (after the
    /// bytes before it), or `CancellationError` when the waiting task is cancelled.
    public func next() async throws -> [UInt8]? {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[UInt8]?, any Error>) in
                state.withLock { state in
                    if !state.pending.isEmpty {
                        let bytes = state.pending
                        state.pending = []
                        if let writer = state.writer {
                            state.writer = nil
                            writer.resume(returning: true)
                        }
                        continuation.resume(returning: bytes)
                    } else if let end = state.end {
                        continuation.resume(with: end.map { _ in nil })
                    } else if Task.isCancelled {
                        continuation.resume(throwing: CancellationError())
                    } else {
                        state.reader = continuation
                    }
                }
            }
        } onCancel: {
            let reader = state.withLock { state in
                defer { state.reader = nil }
                return state.reader
            }
            reader?.resume(throwing: CancellationError())
        }
    }

    /// The reader takes no more: what is held is dropped, and the host's `waitForRoom`
    /// answers false from now on.
    public func stop() {
        state.withLock { state in
            state.stopped = true
            state.pending = []
            if let writer = state.writer {
                state.writer = nil
                writer.resume(returning: false)
            }
            if let reader = state.reader {
                state.reader = nil
                reader.resume(throwing: CancellationError())
            }
        }
    }
}
