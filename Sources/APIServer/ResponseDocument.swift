import Foundation

/// One API answer as a tree that renders both as JSON and as Rails-style XML, so the two
/// formats cannot drift apart. Keys are snake_case; XML dashes them.
indirect enum ResponseValue: Sendable, Equatable {
    case string(String?)
    case integer(Int?)
    case boolean(Bool?)
    case datetime(Date?)
    /// A list whose XML items are named `item` (`<email type="array"><email>…`).
    case array(item: String, [ResponseValue])
    case object([(String, ResponseValue)])

    static func == (a: ResponseValue, b: ResponseValue) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)): return x == y
        case (.integer(let x), .integer(let y)): return x == y
        case (.boolean(let x), .boolean(let y)): return x == y
        case (.datetime(let x), .datetime(let y)): return x == y
        case (.array(let i, let x), .array(let j, let y)): return i == j && x == y
        case (.object(let x), .object(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }
}

/// A whole answer: the XML root element's name and the top-level object.
struct ResponseDocument: Sendable {
    var root: String
    var fields: [(String, ResponseValue)]

    func json() -> String {
        var out = ""
        JSONRendering.write(.object(fields), into: &out)
        return out
    }

    func xml() -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<\(root)>\n"
        for (key, value) in fields { XMLRendering.write(key, value, indent: 1, into: &out) }
        out += "</\(root)>\n"
        return out
    }
}

enum JSONRendering {
    static func write(_ value: ResponseValue, into out: inout String) {
        switch value {
        case .string(let text): if let text { string(text, into: &out) } else { out += "null" }
        case .integer(let number): out += number.map(String.init) ?? "null"
        case .boolean(let flag): out += flag.map { $0 ? "true" : "false" } ?? "null"
        case .datetime(let date): if let date { string(Timestamps.format(date), into: &out) } else { out += "null" }
        case .array(_, let items):
            out += "["
            for (position, item) in items.enumerated() {
                if position > 0 { out += "," }
                write(item, into: &out)
            }
            out += "]"
        case .object(let fields):
            out += "{"
            for (position, (key, item)) in fields.enumerated() {
                if position > 0 { out += "," }
                string(key, into: &out)
                out += ":"
                write(item, into: &out)
            }
            out += "}"
        }
    }

    /// JSON string escaping; U+2028/U+2029 escaped too so that the text is also valid
    /// JavaScript inside a JSONP wrapper.
    static func string(_ text: String, into out: inout String) {
        out += "\""
        // Most values (event types, dates, names) need no escaping: appended whole, they
        // skip the scalar-by-scalar loop, the largest part of an `events` answer's cost.
        if !text.utf8.contains(where: needsEscaping) {
            out += text
            out += "\""
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            case "<": out += "\\u003c"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    /// A byte that may start something the loop above rewrites: a control character, `"`,
    /// `\\`, `<`, or the lead byte 0xE2 of U+2028/U+2029 (other characters from it are
    /// copied as they are).
    private static func needsEscaping(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "<") || byte == 0xE2
    }
}

enum XMLRendering {
    static func write(_ key: String, _ value: ResponseValue, indent: Int, into out: inout String) {
        let name = key.replacingOccurrences(of: "_", with: "-")
        let pad = String(repeating: "  ", count: indent)
        switch value {
        case .string(let text): scalar(name, type: nil, text, pad: pad, into: &out)
        case .integer(let number): scalar(name, type: "integer", number.map(String.init), pad: pad, into: &out)
        case .boolean(let flag): scalar(name, type: "boolean", flag.map { $0 ? "true" : "false" }, pad: pad, into: &out)
        case .datetime(let date): scalar(name, type: "datetime", date.map(Timestamps.format), pad: pad, into: &out)
        case .array(let item, let items):
            if items.isEmpty {
                out += "\(pad)<\(name) type=\"array\"/>\n"
                return
            }
            out += "\(pad)<\(name) type=\"array\">\n"
            for element in items { write(item, element, indent: indent + 1, into: &out) }
            out += "\(pad)</\(name)>\n"
        case .object(let fields):
            out += "\(pad)<\(name)>\n"
            for (key, element) in fields { write(key, element, indent: indent + 1, into: &out) }
            out += "\(pad)</\(name)>\n"
        }
    }

    private static func scalar(_ name: String, type: String?, _ text: String?, pad: String, into out: inout String) {
        guard let text else {
            out += "\(pad)<\(name) nil=\"true\"></\(name)>\n"
            return
        }
        let attribute = type.map { " type=\"\($0)\"" } ?? ""
        out += "\(pad)<\(name)\(attribute)>\(escape(text))</\(name)>\n"
    }

    /// Escapes markup and drops the control characters XML 1.0 cannot carry at all.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

/// ISO 8601 with milliseconds and offset, as the 2016 traffic shows (`2016-04-12T15:22:20.000-07:00`).
enum Timestamps {
    static func format(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .colon))
    }
}
