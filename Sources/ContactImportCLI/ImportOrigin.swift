import ImportCore
import Foundation

/// Which import the terminal UI's contacts came from: its id and its owner, which the
/// JSON export writes as the command line's output does. Set by the import task, read
/// on the UI thread.
final class ImportOrigin: @unchecked Sendable {
    struct Value: Sendable {
        var importID: Int
        var owner: ContactsOwner?
    }

    private let lock = NSLock()
    private var value: Value?

    var current: Value? { lock.withLock { value } }

    func set(_ new: Value) { lock.withLock { value = new } }
}
