import Synchronization

/// Where the import tasks leave events for the UI thread, which drains it once a tick. The
/// tasks never touch the terminal; the UI never waits on them.
public final class Mailbox<Message: Sendable>: Sendable {
    private let queue = Mutex<[Message]>([])

    public init() {}

    public func post(_ message: Message) {
        queue.withLock { $0.append(message) }
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
