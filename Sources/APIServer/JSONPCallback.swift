/// The `callback` of a JSONP request: an ASCII JavaScript identifier (what jQuery
/// generates, e.g. `jQuery1830_1412345`), or dotted identifiers (`app.onEvents`). Anything
/// else could smuggle script into the answer, so it is refused with 400.
struct JSONPCallback: Sendable, Equatable {
    let name: String

    init?(_ text: String) {
        guard !text.isEmpty, text.utf8.count <= 128 else { return nil }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        for part in parts {
            guard let first = part.utf8.first, Self.isStart(first), part.utf8.allSatisfy(Self.isPart),
                  !Self.reserved.contains(String(part)) else { return nil }
        }
        name = text
    }

    /// `name(<json>);` with a comment first, so that a response sniffed as something else
    /// (the Rosetta Flash attack) starts with harmless bytes.
    func wrap(_ json: String) -> String { "/**/\(name)(\(json));\n" }

    private static func isStart(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F || byte == 0x24
    }

    private static func isPart(_ byte: UInt8) -> Bool { isStart(byte) || (byte >= 0x30 && byte <= 0x39) }

    private static let reserved: Set<String> = [
        "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else", "export",
        "extends", "false", "finally", "for", "function", "if", "import", "in", "instanceof", "new", "null", "return",
        "super", "switch", "this", "throw", "true", "try", "typeof", "var", "void", "while", "with", "yield", "let",
        "static", "enum", "await", "implements", "package", "protected", "interface", "private", "public",
    ]
}
