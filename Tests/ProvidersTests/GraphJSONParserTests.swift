import Foundation
import Testing
@testable import Providers

@Suite("Graph JSON parser")
struct GraphJSONParserTests {
    @Test func valuesOfEveryKindAreRead() throws {
        let parsed = GraphJSONParser.parse(Array(#" {"s": "a\"b\\c\/d\n\u00e9\ud83d\ude00", "n": -12.5e1, "z": 0, "t": true, "f": false, "x": null, "a": [1, [], {}], "o": {"k": "v"}} "#.utf8))
        guard case .object(let object)? = parsed else { Issue.record("not an object"); return }
        #expect(object["s"] == .string("a\"b\\c/d\né😀"))
        #expect(object["n"] == .number(-125))
        #expect(object["z"] == .number(0))
        #expect(object["t"] == .bool(true))
        #expect(object["f"] == .bool(false))
        #expect(object["x"] == .null)
        #expect(object["a"] == .array([.number(1), .array([]), .object([:])]))
        #expect(object["o"] == .object(["k": .string("v")]))
        #expect(object["missing"] == nil)
    }

    @Test func aRepeatedNameAnswersWithItsLastValue() {
        guard case .object(let object)? = GraphJSONParser.parse(Array(#"{"a": 1, "a": 2}"#.utf8)) else {
            Issue.record("not an object")
            return
        }
        #expect(object["a"] == .number(2))
    }

    @Test func aLoneSurrogateBecomesTheReplacementCharacter() {
        #expect(GraphJSONParser.parse(Array(#""\ud83d x""#.utf8)) == .string("\u{FFFD} x"))
    }

    @Test(arguments: [
        "", "{", "{\"a\" 1}", "{\"a\": 1,}", "[1,]", "[1 2]", "01", "1.", "-", "1e", "tru", "nul",
        "\"unterminated", "\"tab\there\"", "\"bad \\x escape\"", "\"\\u12g4\"", "{} {}", "{\"a\": 1} x",
        String(repeating: "[", count: 300) + String(repeating: "]", count: 300),
    ])
    func textThatIsNotJSONIsRefused(_ text: String) {
        #expect(GraphJSONParser.parse(Array(text.utf8)) == nil)
    }

    @Test func theRecordedPageReadsAsFoundationReadsIt() throws {
        let bytes = Array(GraphSample.page.utf8)
        let ours = try #require(GraphJSONParser.parse(bytes))
        let foundation = try JSONSerialization.jsonObject(with: Data(bytes), options: .fragmentsAllowed)
        #expect(Self.sorted(ours) == Self.sorted(Self.value(foundation)))
    }

    /// Objects with their fields in name order, so two parsers' trees compare.
    private static func sorted(_ value: GraphJSON) -> GraphJSON {
        switch value {
        case .array(let items): return .array(items.map(sorted))
        case .object(let object):
            return .object(GraphObject(object.fields.map { (name: $0.name, value: sorted($0.value)) }.sorted { $0.name < $1.name }))
        default: return value
        }
    }

    /// Foundation's tree as GraphJSON, fields in any order compared by name.
    private static func value(_ value: Any) -> GraphJSON {
        switch value {
        case let text as String: return .string(text)
        case let number as NSNumber:
            return String(cString: number.objCType) == "c" ? .bool(number.boolValue) : .number(number.doubleValue)
        case let array as [Any]: return .array(array.map(Self.value))
        case let object as [String: Any]: return .object(GraphObject(object.map { (name: $0.key, value: Self.value($0.value)) }))
        default: return .null
        }
    }
}
