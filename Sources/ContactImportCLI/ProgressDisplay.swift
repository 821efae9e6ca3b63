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
    private var lastJSON = ""

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
            // The first snapshot from watching repeats where begin left the import.
            let line = Self.json(snapshot)
            guard line != lastJSON else { return }
            StandardError.line(line)
            lastJSON = line
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
        let line = Self.barLine(snapshot, serviceName: serviceName, seconds: seconds, frame: frame, columns: StandardError.columns - 1)
        StandardError.write("\r\u{1B}[2K" + line)
        drewBar = true
    }

    /// One line of at most `columns` characters: the stage (or the error with its code and
    /// meaning), the count (`n of N` when the total is known), then, as room allows, a
    /// bar, the rate, the time and the service. Parts are dropped, least useful first,
    /// rather than letting the line wrap.
    static func barLine(_ snapshot: ImportSnapshot, serviceName: String, seconds: Double, frame: Int, columns: Int) -> String {
        let count: String
        var percent: Int?
        if let total = snapshot.total, total > 0 {
            count = "\(snapshot.gathered.formatted()) of \(total.formatted())"
        } else {
            count = "\(snapshot.gathered.formatted()) contact\(snapshot.gathered == 1 ? "" : "s")"
        }
        if let fraction = snapshot.fractionDone { percent = Int((fraction * 100).rounded(.down)) }
        let stage: String
        if let error = snapshot.error {
            stage = "error \(error.code.rawValue): \(error.headline)"
            percent = nil
        } else {
            stage = snapshot.events.last.map(stageName) ?? "Starting"
        }
        func bar(width: Int) -> String {
            if let percent {
                let filled = min(width, percent * width / 100)
                return "[" + String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled) + "] \(percent)%"
            }
            if snapshot.isFinished { return "" }
            // Indeterminate: a block sweeping across, so the user sees it is alive.
            let block = max(1, width / 6)
            let travel = 2 * (width - block)
            let position = travel > 0 ? frame % travel : 0
            let start = position < width - block ? position : travel - position
            return "[" + String(repeating: "░", count: start) + String(repeating: "█", count: block)
                + String(repeating: "░", count: max(0, width - start - block)) + "]"
        }
        let rate = seconds > 0.05 && snapshot.error == nil ? "\(Int(Double(snapshot.gathered) / seconds).formatted())/s" : nil
        let time = String(format: "%.1fs", seconds)
        // From the fullest form to the barest; the first that fits is drawn.
        let forms: [[String?]] = [
            [serviceName, stage, bar(width: 24), count, rate, time],
            [stage, bar(width: 24), count, rate, time],
            [stage, bar(width: 12), count, time],
            [stage, count, time],
            [stage, count],
        ]
        for form in forms {
            let line = form.compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " · ")
            if line.count <= columns { return line }
        }
        let last = [stage, count].joined(separator: " · ")
        return columns > 1 ? String(last.prefix(columns - 1)) + "…" : String(last.prefix(max(0, columns)))
    }

    private static func stageName(_ event: ImportEvent) -> String {
        switch (event.type, event.status) {
        case (.complete, .completed): return "Complete"
        case (_, .error): return "Error"
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
