import Foundation
import ImportCore

/// The events of a job that streams a file (`convert`, `import --file`), counted as the
/// contacts go by: the same lifecycle and the same display as an import through the
/// engine, without holding a single contact for them.
struct StreamingProgress {
    let importID: Int
    private let service: ServiceDescriptor
    private var lifecycle = ImportLifecycle()
    private var display: ProgressDisplay
    private var inputFraction: Double?
    private var lastShown = ContinuousClock.now

    /// At most this many updates a second, as the engine sends them.
    static let updatesPerSecond = 10

    init(style: EventsStyle, importID: Int, service: ServiceDescriptor) {
        self.importID = importID
        self.service = service
        display = ProgressDisplay(style: style, importID: importID, serviceName: service.displayName)
        display.show(snapshot)
    }

    /// Reading begins.
    mutating func startReading() {
        if lifecycle.startGathering() { show() }
    }

    /// After each batch: contacts read so far and how much of the file that took.
    mutating func read(contacts: Int, bytesRead: Int, fileSize: Int) {
        let changed = lifecycle.gathered(contacts)
        inputFraction = fileSize > 0 ? min(1, Double(bytesRead) / Double(fileSize)) : nil
        let now = ContinuousClock.now
        guard changed, now - lastShown >= .milliseconds(1000 / Self.updatesPerSecond) else { return }
        show()
    }

    mutating func complete(count: Int) {
        if lifecycle.complete(count: count) { show() }
        display.finish()
    }

    mutating func fail(_ error: ImportError) {
        if lifecycle.fail(error) { show() }
        display.finish()
    }

    /// The display ends without COMPLETE: the output, not the input, failed.
    mutating func stop() {
        display.finish()
    }

    private mutating func show() {
        lastShown = ContinuousClock.now
        display.show(snapshot)
    }

    private var snapshot: ImportSnapshot {
        ImportSnapshot(id: importID, service: service, events: lifecycle.events, gathered: lifecycle.gathered,
                       inputFraction: inputFraction, error: lifecycle.error,
                       isFinished: lifecycle.isFinished)
    }
}
