import Foundation

/// The stages of one import and the events they produce, as the API's events endpoint
/// shows them.
///
/// The only way to change a lifecycle is through its transitions, and each transition acts
/// only from the phase that permits it, so the event list can never show an illegal
/// sequence: one event per type, oldest first, statuses updated in place, and once
/// COMPLETE is present nothing changes any more.
public struct ImportLifecycle: Sendable, Hashable {
    public enum Phase: Sendable, Hashable {
        /// Waiting for consent or for the source to start.
        case initializing
        /// Collecting contacts; the count so far.
        case gathering(count: Int)
        /// A desktop applet is handing over what it gathered; the progress value.
        case submitting(count: Int, progress: Int)
        /// Finished successfully with this many contacts.
        case completed(count: Int)
        /// Finished with an error raised in `stage`, after gathering `count` contacts (the
        /// events then carry the error code, so the count is kept here).
        case failed(stage: EventType, error: ImportError, count: Int)
    }

    public private(set) var phase: Phase
    public private(set) var events: [ImportEvent]

    public init(now: Date = Date()) {
        phase = .initializing
        events = [ImportEvent(type: .initializing, status: .inProgress, value: 0, description: nil, createdAt: now, updatedAt: now)]
    }

    public var isFinished: Bool {
        switch phase {
        case .completed, .failed: return true
        case .initializing, .gathering, .submitting: return false
        }
    }

    public var error: ImportError? {
        if case .failed(_, let error, _) = phase { return error }
        return nil
    }

    /// Contacts gathered so far: the GATHERING value while it counts, and the last count
    /// once an error has put the code in its place.
    public var gathered: Int {
        switch phase {
        case .initializing: return 0
        case .gathering(let count), .submitting(let count, _), .completed(let count), .failed(_, _, let count): return count
        }
    }

    /// INITIALIZING completes and GATHERING starts at 0. Only from `initializing`.
    /// Returns whether anything changed.
    @discardableResult
    public mutating func startGathering(now: Date = Date()) -> Bool {
        guard case .initializing = phase else { return false }
        settle(.initializing, status: .completed, value: 0, now: now)
        append(.gathering, status: .inProgress, value: 0, now: now)
        phase = .gathering(count: 0)
        return true
    }

    /// Updates the GATHERING count. Only while gathering; counts never go backwards.
    @discardableResult
    public mutating func gathered(_ count: Int, now: Date = Date()) -> Bool {
        guard case .gathering(let current) = phase, count > current else { return false }
        settle(.gathering, status: .inProgress, value: count, now: now)
        phase = .gathering(count: count)
        return true
    }

    /// GATHERING completes with its count and SUBMITTING starts. Only while gathering.
    @discardableResult
    public mutating func startSubmitting(now: Date = Date()) -> Bool {
        guard case .gathering(let count) = phase else { return false }
        settle(.gathering, status: .completed, value: count, now: now)
        append(.submitting, status: .inProgress, value: 0, now: now)
        phase = .submitting(count: count, progress: 0)
        return true
    }

    /// Updates the SUBMITTING progress value. Only while submitting.
    @discardableResult
    public mutating func submitted(_ progress: Int, now: Date = Date()) -> Bool {
        guard case .submitting(let count, let current) = phase, progress != current else { return false }
        settle(.submitting, status: .inProgress, value: progress, now: now)
        phase = .submitting(count: count, progress: progress)
        return true
    }

    /// Finishes successfully with `count` contacts: every open stage is COMPLETED (GATHERING
    /// with the final count, passing through it if the source never reported) and
    /// COMPLETE/COMPLETED with value 0 follows.
    @discardableResult
    public mutating func complete(count: Int, now: Date = Date()) -> Bool {
        switch phase {
        case .initializing:
            startGathering(now: now)
            settle(.gathering, status: .completed, value: count, now: now)
        case .gathering:
            settle(.gathering, status: .completed, value: count, now: now)
        case .submitting:
            settle(.submitting, status: .completed, value: 0, now: now)
        case .completed, .failed:
            return false
        }
        append(.complete, status: .completed, value: 0, now: now)
        phase = .completed(count: count)
        return true
    }

    /// Finishes with an error: the stage in progress gets ERROR with the code, and
    /// COMPLETE/ERROR with the same code follows.
    @discardableResult
    public mutating func fail(_ error: ImportError, now: Date = Date()) -> Bool {
        let stage: EventType
        let count: Int
        switch phase {
        case .initializing: (stage, count) = (.initializing, 0)
        case .gathering(let gathered): (stage, count) = (.gathering, gathered)
        case .submitting(let gathered, _): (stage, count) = (.submitting, gathered)
        case .completed, .failed: return false
        }
        let message = error.description
        settle(stage, status: .error, value: error.code.rawValue, description: message, now: now)
        append(.complete, status: .error, value: error.code.rawValue, description: message, now: now)
        phase = .failed(stage: stage, error: error, count: count)
        return true
    }

    private mutating func append(_ type: EventType, status: EventStatus, value: Int, description: String? = nil, now: Date) {
        events.append(ImportEvent(type: type, status: status, value: value, description: description, createdAt: now, updatedAt: now))
    }

    private mutating func settle(_ type: EventType, status: EventStatus, value: Int, description: String? = nil, now: Date) {
        guard let position = events.firstIndex(where: { $0.type == type }) else { return }
        events[position].status = status
        events[position].value = value
        events[position].description = description
        events[position].updatedAt = now
    }
}
