import Foundation
import ImportCore

/// Reads the server's JSON answers (begin, events, errors) as the protocol shapes them,
/// tolerating what real servers vary: a missing `id` or `import_id`, numbers as strings,
/// unknown keys and unknown event types.
enum APIPayload {
    static func object(_ body: [UInt8]) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
    }

    static func integer(_ value: Any?) -> Int? {
        switch value {
        case let number as NSNumber: return number.intValue
        case let text as String: return Int(text.trimmingCharacters(in: .whitespaces))
        default: return nil
        }
    }

    static func text(_ value: Any?) -> String? {
        guard let text = value as? String, !text.isEmpty else { return nil }
        return text
    }

    /// `{"status":"error","error":{"message":"…","code":261}}`, with the code when there is one.
    static func error(in object: [String: Any]) -> (message: String?, code: Int?)? {
        if let error = object["error"] as? [String: Any] {
            return (text(error["message"]), integer(error["code"]))
        }
        if let message = object["error"] as? String { return (message, nil) }
        if (object["status"] as? String)?.lowercased() == "error" { return (nil, nil) }
        return nil
    }

    /// An error code as the table knows it; a code outside it becomes the unexpected
    /// error of its range, keeping the number in the detail.
    static func importError(code: Int?, message: String?, fallback: ErrorCode) -> ImportError {
        guard let code else { return ImportError(fallback, message) }
        if let known = ErrorCode(rawValue: code) { return ImportError(known, message) }
        let kind: ErrorCode
        switch code {
        case 256..<512: kind = .webmailUnexpected
        case 768..<1024: kind = .appletUnexpected
        default: kind = .consentUnexpected
        }
        let said = message.map { ": \($0)" } ?? ""
        return ImportError(kind, "the server reported error \(code)\(said)")
    }

    // MARK: - Events

    /// ISO 8601 with or without milliseconds. A formatter per call: events come once a
    /// second, and a shared formatter would have to be guarded.
    private static func date(_ value: Any?) -> Date? {
        guard let text = value as? String else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }

    /// The `events` array as `ImportEvent`s, oldest first; events of a type this build
    /// does not know are left out (they say nothing about being done).
    static func events(in object: [String: Any], now: Date) -> [ImportEvent]? {
        guard let list = object["events"] as? [Any] else { return nil }
        var events: [ImportEvent] = []
        for case let item as [String: Any] in list {
            guard let type = (item["event_type"] as? String).flatMap({ EventType(rawValue: $0.uppercased()) }),
                  let status = (item["status"] as? String).flatMap({ EventStatus(rawValue: $0.uppercased()) })
            else { continue }
            let created = date(item["created_at"]) ?? now
            events.append(ImportEvent(type: type, status: status, value: integer(item["value"]) ?? 0,
                                      description: text(item["description"]), createdAt: created,
                                      updatedAt: date(item["updated_at"]) ?? created))
        }
        return events
    }

    /// Where an import stands by its events, as the protocol's clients decide it: any
    /// event with status ERROR ends it with that event's code; COMPLETE ends it.
    static func snapshot(_ events: [ImportEvent], of began: BeganImport) -> ImportSnapshot {
        let gathering = events.first { $0.type == .gathering && $0.status != .error }
        let failure = events.first { $0.status == .error }
        let complete = events.contains { $0.type == .complete }
        var snapshot = ImportSnapshot(id: began.id, service: began.service, events: events,
                                      gathered: gathering?.value ?? 0, isFinished: complete || failure != nil,
                                      consentURL: began.consentURL, userCode: began.userCode)
        if gathering?.status == .completed { snapshot.total = gathering?.value }
        if let failure {
            snapshot.error = importError(code: failure.value, message: failure.description, fallback: .consentUnexpected)
        } else if complete && !events.contains(where: { $0.type == .complete && $0.status == .completed }) {
            snapshot.error = ImportError(.consentUnexpected, "the server ended the import without saying why")
        }
        return snapshot
    }
}
