import Foundation

/// A JSON value as Graph sends it, kept whole so that a record with a field of the wrong
/// type can be reported and skipped rather than failing its page.
enum GraphJSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([GraphJSON])
    case object([String: GraphJSON])

    /// The bytes as one JSON object, or nil when they are not one. Foundation's parser
    /// builds the tree; `Decodable` would try each type in turn on every value of a page.
    static func object(from bytes: [UInt8]) -> [String: GraphJSON]? {
        guard case .object(let object)? = parse(bytes) else { return nil }
        return object
    }

    /// The bytes as one JSON value, or nil when they are not JSON.
    static func parse(_ bytes: [UInt8]) -> GraphJSON? {
        (try? JSONSerialization.jsonObject(with: Data(bytes), options: .fragmentsAllowed)).map(GraphJSON.init(parsed:))
    }

    /// A value of `JSONSerialization`'s tree.
    init(parsed value: Any) {
        switch value {
        case let text as String:
            self = .string(text)
        case let number as NSNumber:
            // Booleans come back as NSNumber too, made from a Bool ("c").
            self = String(cString: number.objCType) == "c" ? .bool(number.boolValue) : .number(number.doubleValue)
        case let array as [Any]:
            self = .array(array.map(GraphJSON.init(parsed:)))
        case let object as [String: Any]:
            self = .object(object.mapValues(GraphJSON.init(parsed:)))
        default:
            self = .null
        }
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
