import Foundation

/// A JSON value as Graph sends it, kept whole so that a record with a field of the wrong
/// type can be reported and skipped rather than failing its page.
enum GraphJSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([GraphJSON])
    case object(GraphObject)

    /// The bytes as one JSON object, or nil when they are not one.
    static func object(from bytes: [UInt8]) -> GraphObject? {
        guard case .object(let object)? = parse(bytes) else { return nil }
        return object
    }

    /// The bytes as one JSON value, or nil when they are not JSON.
    static func parse(_ bytes: [UInt8]) -> GraphJSON? {
        GraphJSONParser.parse(bytes)
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

/// A JSON object's fields in the order sent. A contact has a few dozen fields and is read
/// once: looking a name up along the list costs less than hashing every name into a
/// table first. A repeated name answers with its last value.
struct GraphObject: Sendable, Equatable, ExpressibleByDictionaryLiteral {
    var fields: [(name: String, value: GraphJSON)]

    init(_ fields: [(name: String, value: GraphJSON)] = []) {
        self.fields = fields
    }

    init(dictionaryLiteral elements: (String, GraphJSON)...) {
        fields = elements.map { (name: $0.0, value: $0.1) }
    }

    subscript(name: String) -> GraphJSON? {
        fields.last { $0.name == name }?.value
    }

    static func == (lhs: GraphObject, rhs: GraphObject) -> Bool {
        lhs.fields.count == rhs.fields.count
            && zip(lhs.fields, rhs.fields).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }
}
