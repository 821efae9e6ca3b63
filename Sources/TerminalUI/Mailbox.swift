import Synchronization

/// Where the import tasks leave events for the UI thread, which drains it once a tick. The
/// tasks never touch the terminal; the UI never waits on them.
public final class Mailbox<Message: Sendable>: Sendable {
    private let queue = Mutex<[Message]>([])
    private let posted: @Sendable () -> Void

    /// `posted` runs after each message is left, on the poster's thread: it wakes the UI
    /// thread, which would otherwise see the message only at its next tick.
    public init(posted: @escaping @Sendable () -> Void = {}) {
        self.posted = posted
    }

    public func post(_ message: Message) {
        queue.withLock { $0.append(message) }
        posted()
    }

    /// Everything posted since the last drain, oldest first.
    public func drain() -> [Message] {
        queue.withLock { queue in
            let messages = queue
            queue.removeAll(keepingCapacity: true)
            return messages
        }
    }
}
