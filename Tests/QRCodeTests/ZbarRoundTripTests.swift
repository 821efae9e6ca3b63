import Foundation
import Testing
import QRCode

/// Renders codes to PBM and reads them back with zbarimg (Debian zbar-tools). zbarimg runs
/// with `-Sbinary`, so it prints the stored bytes unchanged; without it zbar guesses a
/// character set for byte segments and may convert, which would make an exact comparison
/// depend on its heuristics rather than on our encoding.
@Suite("zbarimg round trip")
struct ZbarRoundTripTests {
    enum Input: Sendable {
        /// Through `QRCode(encoding:)`: automatic segmentation.
        case text(String)
        /// Through `QRCode(bytes:)`: one byte-mode segment.
        case bytes([UInt8])
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let label: String
        let input: Input
        let level: QRCode.ErrorCorrection
        let version: Int?
        let scale: Int
        let encoding: QRCode.PBMEncoding

        var expected: [UInt8] {
            switch input {
            case .text(let text): Array(text.utf8)
            case .bytes(let bytes): bytes
            }
        }

        var testDescription: String {
            "\(label) [\(expected.count) bytes, \(level.letter)\(version.map { ", v\($0)" } ?? ""), scale \(scale)]"
        }
    }

    static let cases: [Case] = {
        var random = SeededGenerator(seed: 0x7A62_6172)
        var result: [Case] = []
        var counter = 0
        func add(_ label: String, _ input: Input, _ level: QRCode.ErrorCorrection, version: Int? = nil) {
            counter += 1
            result.append(Case(
                label: label, input: input, level: level, version: version,
                scale: counter % 4 == 0 ? 3 : 4,
                encoding: counter % 2 == 0 ? .plain : .raw
            ))
        }

        let urlAlphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/?=&%")
        let base64url = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let unicodePieces = ["é", "日本語", "😀", "ß", "Ελένη", "李小龍", "👍🏽", "ñ", " ", "a", "Z", "7", "€"]

        // Every version at every level, forced, with the payload kind rotating and the length
        // chosen so that the forced version is the one that is actually needed or close to it.
        for version in 1...40 {
            for level in QRCode.ErrorCorrection.allCases {
                let capacity = byteCapacity(version: version, level: level)
                let floor = version == 1 ? 1 : max(1, byteCapacity(version: version - 1, level: level) / 2)
                let length = Int.random(in: floor...capacity, using: &random)
                switch (version * 4 + level.rawValue) % 5 {
                case 0:
                    let tail = String((0..<max(0, length - 20)).map { _ in urlAlphabet.randomElement(using: &random)! })
                    add("url", .text(String(("https://example.org/" + tail).prefix(length))), level, version: version)
                case 1:
                    let digits = String((0..<length).map { _ in Character(String(Int.random(in: 0...9, using: &random))) })
                    add("numeric", .text(digits), level, version: version)
                case 2:
                    let set = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
                    add("alphanumeric", .text(String((0..<length).map { _ in set.randomElement(using: &random)! })), level, version: version)
                case 3:
                    var text = ""
                    while true {
                        let piece = unicodePieces.randomElement(using: &random)!
                        if text.utf8.count + piece.utf8.count > length { break }
                        text += piece
                    }
                    add("utf8", .text(text.isEmpty ? "é" : text), level, version: version)
                default:
                    add("binary", .bytes((0..<length).map { _ in UInt8.random(in: 1...255, using: &random) }), level, version: version)
                }
            }
        }

        // Consent URLs as the importer shows them, automatic version.
        for i in 0..<40 {
            let token = String((0..<43).map { _ in base64url.randomElement(using: &random)! })
            let host = i % 2 == 0 ? "192.168.1.20:8080" : "localhost:\(8000 + i)"
            add("consent", .text("http://\(host)/consent/\(token)"), QRCode.ErrorCorrection.allCases[i % 4])
        }

        // Edges and mixed content, every level.
        let specials: [(String, String)] = [
            ("one byte", "a"), ("one digit", "7"), ("one capital", "Q"), ("e acute", "é"),
            ("japanese", "日本語"), ("emoji", "😀"), ("family emoji", "👨‍👩‍👧‍👦"),
            ("mixed", "Grüße aus Köln — 東京 👍 12345678901234567890 ABCDEFGHIJ"),
            ("upper url", "HTTP://192.168.1.20:8080/CONSENT/ABC123"),
            ("digits in text", "Call +49 30 1234567890 or +81 3 1234 5678 tomorrow"),
        ]
        for (label, text) in specials {
            for level in QRCode.ErrorCorrection.allCases {
                add(label, .text(text), level)
            }
        }

        // Long payloads near the top of the range.
        let longURL = "https://accounts.example.com/o/oauth2/v2/auth?" + String((0..<950).map { _ in urlAlphabet.randomElement(using: &random)! })
        add("long url", .text(longURL), .low)
        add("long url", .text(longURL), .medium)
        add("max numeric v40-L", .text(String((0..<7089).map { _ in Character(String(Int.random(in: 0...9, using: &random))) })), .low)
        add("max alphanumeric v40-L", .text(String(repeating: "HELLO WORLD 123 ", count: 268) + "HELLO WO"), .low)
        add("max bytes v40-L", .bytes((0..<2953).map { _ in UInt8.random(in: 0...255, using: &random) }), .low)
        add("max bytes v40-H", .bytes((0..<1273).map { _ in UInt8.random(in: 0...255, using: &random) }), .high)
        return result
    }()

    @Test func enoughCases() {
        #expect(Self.cases.count >= 200)
        #expect(Set(Self.cases.compactMap(\.version)) == Set(1...40))
        #expect(Self.cases.filter { $0.version == nil }.count >= 80)
    }

    @Test(arguments: cases)
    func decodesToThePayload(_ testCase: Case) throws {
        let code: QRCode
        switch testCase.input {
        case .text(let text):
            code = try QRCode(encoding: text, errorCorrection: testCase.level, version: testCase.version)
        case .bytes(let bytes):
            code = try QRCode(bytes: bytes, errorCorrection: testCase.level, version: testCase.version)
        }
        if let version = testCase.version { #expect(code.version == version) }
        let scratch = try ScratchDirectory()
        let decoded = try zbarDecode(code.pbm(scale: testCase.scale, encoding: testCase.encoding), in: scratch)
        let bytes = try #require(decoded, "zbarimg found no code")
        #expect(bytes == testCase.expected, "decoded \(String(decoding: bytes.prefix(80), as: UTF8.self))")
    }
}
