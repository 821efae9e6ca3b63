import Foundation

/// A JSON value as Graph sends it, kept whole so that a record with a field of the wrong
/// type can be reported and skipped rather than failing its page.
enum GraphJSON: Sendable, Equatable, Decodable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([GraphJSON])
    case object([String: GraphJSON])

    init(from decoder: Decoder) throws {
        let value = try decoder.singleValueContainer()
        if value.decodeNil() {
            self = .null
        } else if let bool = try? value.decode(Bool.self) {
            self = .bool(bool)
        } else if let number = try? value.decode(Double.self) {
            self = .number(number)
        } else if let string = try? value.decode(String.self) {
            self = .string(string)
        } else if let array = try? value.decode([GraphJSON].self) {
            self = .array(array)
        } else {
            self = .object(try value.decode([String: GraphJSON].self))
        }
    }

    /// The bytes as one JSON object, or nil when they are not one.
    static func object(from bytes: [UInt8]) -> [String: GraphJSON]? {
        guard case .object(let object)? = try? JSONDecoder().decode(GraphJSON.self, from: Data(bytes)) else { return nil }
        return object
    }

    var text: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// How the value's type is named in a skipped record's reason.
    var kind: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "a list"
        case .object: return "an object"
        }
    }
}
