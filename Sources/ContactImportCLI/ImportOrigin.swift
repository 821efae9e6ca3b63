import ImportCore
import Synchronization

/// Which import the terminal UI's contacts came from: its id and its owner, which the
/// JSON export writes as the command line's output does. Set by the import task, read
/// on the UI thread.
final class ImportOrigin: Sendable {
    struct Value: Sendable {
        var importID: Int
        var owner: ContactsOwner?
    }

    private let value = Mutex<Value?>(nil)

    var current: Value? { value.withLock { $0 } }

    func set(_ new: Value) { value.withLock { $0 = new } }
}
