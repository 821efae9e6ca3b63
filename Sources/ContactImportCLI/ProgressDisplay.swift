import Foundation
import ImportCore

/// Renders import snapshots on stderr in the chosen style.
struct ProgressDisplay {
    let style: EventsStyle
    let importID: Int
    let serviceName: String
    private let started = ContinuousClock.now
    private var printed: [(status: EventStatus, value: Int)] = []
    private var lastCountLine = ContinuousClock.now
    private var frame = 0
    private var drewBar = false

    init(style: EventsStyle, importID: Int, serviceName: String) {
        self.style = style
        self.importID = importID
        self.serviceName = serviceName
    }

    mutating func show(_ snapshot: ImportSnapshot) {
        switch style {
        case .none, .auto:
            return
        case .json:
            StandardError.line(Self.json(snapshot))
        case .lines:
            showLines(snapshot)
        case .bar:
            showBar(snapshot)
        }
    }

    mutating func finish() {
        if drewBar { StandardError.write("\n") }
    }

    /// One line per new event or status change; GATHERING counts at most once a second.
    private mutating func showLines(_ snapshot: ImportSnapshot) {
        let now = ContinuousClock.now
        for (index, event) in snapshot.events.enumerated() {
            let old = index < printed.count ? printed[index] : nil
            let statusChanged = old?.status != event.status
            guard statusChanged || old?.value != event.value else { continue }
            guard statusChanged || now - lastCountLine >= .seconds(1) else { continue }
            var line = "import \(importID): \(event.type.rawValue) \(event.status.rawValue) \(event.value)"
            if let description = event.description { line += " \(description)" }
            StandardError.line(line)
            lastCountLine = now
            if index < printed.count {
                printed[index] = (event.status, event.value)
            } else {
                printed.append((event.status, event.value))
            }
        }
    }

    private mutating func showBar(_ snapshot: ImportSnapshot) {
        frame += 1
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let stage = snapshot.events.last.map(Self.stageName) ?? "Starting"
        let width = 24
        var bar: String
        if let total = snapshot.total, total > 0 {
            let filled = min(width, snapshot.gathered * width / total)
            bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            bar += " \(snapshot.gathered * 100 / total)%"
        } else if snapshot.isFinished {
            bar = String(repeating: "█", count: width)
        } else {
            // Indeterminate: a block sweeping across, so the user sees it is alive.
            let position = frame % (2 * width - 8)
            let start = position < width - 4 ? position : 2 * width - 8 - position
            bar = String(repeating: "░", count: start) + "████" + String(repeating: "░", count: max(0, width - start - 4))
        }
        let rate = seconds > 0.05 ? " · \(Int(Double(snapshot.gathered) / seconds).formatted())/s" : ""
        let line = "\(serviceName) · \(stage) [\(bar)] \(snapshot.gathered.formatted()) contacts\(rate) · \(String(format: "%.1f", seconds))s"
        StandardError.write("\r\u{1B}[2K" + line)
        drewBar = true
    }

    private static func stageName(_ event: ImportEvent) -> String {
        switch (event.type, event.status) {
        case (.complete, .completed): return "Complete"
        case (_, .error): return "Error \(event.value)"
        case (.initializing, _): return "Initializing"
        case (.gathering, _): return "Gathering"
        case (.submitting, _): return "Submitting"
        case (.complete, _): return "Complete"
        }
    }

    /// The API's events response shape, one object per line.
    static func json(_ snapshot: ImportSnapshot) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let events: [[String: Any]] = snapshot.events.map { event in
            [
                "event_type": event.type.rawValue, "status": event.status.rawValue, "value": event.value,
                "description": event.description as Any? ?? NSNull(), "import_id": snapshot.id,
                "created_at": formatter.string(from: event.createdAt),
            ]
        }
        let object: [String: Any] = ["import_id": snapshot.id, "id": snapshot.id, "events": events]
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return "{}"
        }
        return String(decoding: data, as: UTF8.self)
    }
}
