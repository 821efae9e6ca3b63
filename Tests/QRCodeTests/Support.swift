import Foundation
import QRCode

/// Deterministic generator so every run tests the same payloads (SplitMix64).
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

enum ExternalTool {
    struct Missing: Error, CustomStringConvertible {
        let name: String
        var description: String { "\(name) is not installed (scripts/test installs it: zbar-tools, qrencode)" }
    }

    static func path(of name: String) throws -> String {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for directory in directories {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw Missing(name: name)
    }

    /// Runs a program to completion and returns its exit status and standard output.
    static func run(_ name: String, _ arguments: [String]) throws -> (status: Int32, output: Data) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try path(of: name))
        process.arguments = arguments
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }
}

/// A private scratch directory per test, removed when the value goes away.
final class ScratchDirectory: Sendable {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("qrcode-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }

    func write(_ bytes: [UInt8], name: String) throws -> String {
        let file = url.appendingPathComponent(name)
        try Data(bytes).write(to: file)
        return file.path
    }
}

/// Decodes an image with zbarimg; `-Sbinary` makes it print the byte-mode payload exactly
/// as stored instead of guessing a character set and converting.
func zbarDecode(_ image: [UInt8], in scratch: ScratchDirectory, name: String = "code.pbm") throws -> [UInt8]? {
    let path = try scratch.write(image, name: name)
    let result = try ExternalTool.run("zbarimg", ["--raw", "-q", "-Sbinary", path])
    return result.status == 0 ? [UInt8](result.output) : nil
}

/// Byte-mode capacity of a version at a level (single segment).
func byteCapacity(version: Int, level: QRCode.ErrorCorrection) -> Int {
    return (dataBits(version: version, level: level) - 4 - (version <= 9 ? 8 : 16)) / 8
}

/// Data capacity in bits, found from the encoder's own error for an oversized payload so
/// the tests do not need the internal tables.
func dataBits(version: Int, level: QRCode.ErrorCorrection) -> Int {
    do {
        _ = try QRCode(bytes: [UInt8](repeating: 0, count: 4000), errorCorrection: level, version: version)
    } catch let QRCodeError.dataTooLong(_, available) {
        return available
    } catch {}
    return 0
}

/// Parses `qrencode -t ASCII -m 0` output: `##` per dark module, two spaces per light one.
func parseQrencodeASCII(_ output: Data) -> [[Bool]] {
    let text = String(decoding: output, as: UTF8.self)
    return text.split(separator: "\n", omittingEmptySubsequences: true).map { line in
        let chars = Array(line.utf8)
        return stride(from: 0, to: chars.count, by: 2).map { chars[$0] == UInt8(ascii: "#") }
    }
}

/// Level and mask read back from the first copy of a matrix's format information.
func formatFields(of rows: [[Bool]]) -> (levelBits: Int, mask: Int)? {
    guard rows.count >= 21 else { return nil }
    func module(_ x: Int, _ y: Int) -> Int { rows[y][x] ? 1 : 0 }
    var bits = 0
    for i in 0..<6 { bits |= module(8, i) << i }
    bits |= module(8, 7) << 6
    bits |= module(8, 8) << 7
    bits |= module(7, 8) << 8
    for i in 9..<15 { bits |= module(14 - i, 8) << i }
    let data = (bits ^ 0x5412) >> 10
    return (data >> 3, data & 7)
}

func matrix(of code: QRCode) -> [[Bool]] {
    (0..<code.size).map { y in (0..<code.size).map { x in code[x, y] } }
}

extension QRCode.ErrorCorrection {
    var letter: String {
        switch self {
        case .low: "L"
        case .medium: "M"
        case .quartile: "Q"
        case .high: "H"
        }
    }
}
