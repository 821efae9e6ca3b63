/// The format an answer is written in, chosen by a `.json` / `.xml` suffix; JSON without one.
enum ResponseFormat: String, Sendable, CaseIterable {
    case json
    case xml
}

/// Which begin endpoint was called.
enum BeginKind: String, Sendable, CaseIterable {
    case userConsent = "user_consent"
    case `import` = "import"
    case desktopApplet = "desktop_applet"
}

/// One API path, read in every form the protocol's clients send:
/// `/events/1126`, `/events/1126/`, `/events/1126.json`, `/events.xml/1126`,
/// `/begin_import/user_consent`, `/begin_import/user_consent/`, `/begin_import/import.xml`.
enum APIRoute: Sendable, Equatable {
    case begin(BeginKind, ResponseFormat)
    /// `id` is nil when the path's id is not a positive 32-bit integer: the request is
    /// answered 400 (an id that cannot exist), never looked up.
    case events(id: Int?, ResponseFormat)
    case contacts(id: Int?, ResponseFormat)
    case auth
    case health
    case metrics
    /// A path this server does not have.
    case unknown

    init(path: String) {
        var segments = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if segments.first == "" { segments.removeFirst() }
        // One trailing slash is the Ruby and PHP clients' habit.
        if segments.count > 1, segments.last == "" { segments.removeLast() }
        guard let first = segments.first else {
            self = .unknown
            return
        }
        let (head, headFormat) = Self.splitSuffix(first)
        switch (head, segments.count) {
        case ("healthz", 1) where headFormat == nil: self = .health
        case ("metrics", 1) where headFormat == nil: self = .metrics
        case ("auth", 1) where headFormat == nil: self = .auth
        case ("begin_import", 2) where headFormat == nil:
            let (action, format) = Self.splitSuffix(segments[1])
            guard let kind = BeginKind(rawValue: action) else {
                self = .unknown
                return
            }
            self = .begin(kind, format ?? .json)
        case ("events", 2), ("contacts", 2):
            let (idText, idFormat) = Self.splitSuffix(segments[1])
            // The suffix goes in one place: `/events.json/1.xml` is no form any client sends.
            if headFormat != nil && idFormat != nil {
                self = .unknown
                return
            }
            let format = headFormat ?? idFormat ?? .json
            let id = ImportIdentifier.parse(idText)
            self = head == "events" ? .events(id: id, format) : .contacts(id: id, format)
        default:
            self = .unknown
        }
    }

    /// `events.xml` → ("events", .xml); `1126` → ("1126", nil). An unknown suffix stays in the name.
    static func splitSuffix(_ segment: String) -> (String, ResponseFormat?) {
        for format in ResponseFormat.allCases where segment.lowercased().hasSuffix("." + format.rawValue) {
            return (String(segment.dropLast(format.rawValue.count + 1)), format)
        }
        return (segment, nil)
    }

    /// The format the answer takes, also for errors; JSON where the path says nothing.
    var format: ResponseFormat {
        switch self {
        case .begin(_, let format), .events(_, let format), .contacts(_, let format): return format
        default: return .json
        }
    }

    /// A short fixed name for logs and metrics (never the id).
    var name: String {
        switch self {
        case .begin(let kind, _): return "begin_import/\(kind.rawValue)"
        case .events: return "events"
        case .contacts: return "contacts"
        case .auth: return "auth"
        case .health: return "healthz"
        case .metrics: return "metrics"
        case .unknown: return "unknown"
        }
    }
}

/// Import ids are positive 32-bit integers (the .NET clients parse them into an `int`).
enum ImportIdentifier {
    static func parse(_ text: String) -> Int? {
        guard !text.isEmpty, text.count <= 10, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              let value = Int(text), value >= 1, value <= Int(Int32.max) else { return nil }
        return value
    }
}
