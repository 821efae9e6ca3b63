// Measures QR encoding speed: `swift run -c release qr-bench [iterations]`.
// Encodes a 300-byte consent-style URL (automatic version, segmentation and mask choice,
// i.e. all eight masks scored) and prints the mean time per encode.
import QRCode

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let iterations = CommandLine.arguments.dropFirst().first.flatMap { Int($0) }.map { max(1, $0) } ?? 2000

let prefix = "https://consent.example.org/oauth/authorize?client_id=contact-import&redirect_uri="
var url = prefix + "http%3A%2F%2F192.168.1.20%3A8080%2Fcallback&response_type=code&scope=contacts.readonly&state="
let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
var seed: UInt64 = 0x2545_F491_4F6C_DD1D
while url.utf8.count < 300 {
    seed ^= seed << 13
    seed ^= seed >> 7
    seed ^= seed << 17
    url.append(alphabet[Int(seed % UInt64(alphabet.count))])
}

let clock = ContinuousClock()
do {
    // Warm up tables and caches before timing.
    var checksum = 0
    for _ in 0..<20 { checksum &+= try QRCode(encoding: url).mask }

    let elapsed = try clock.measure {
        for _ in 0..<iterations {
            let code = try QRCode(encoding: url, errorCorrection: .medium)
            checksum &+= code.mask &+ (code[code.size / 2, code.size / 2] ? 1 : 0)
        }
    }
    let sample = try QRCode(encoding: url, errorCorrection: .medium)
    let total = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let perEncode = total / Double(iterations) * 1e6
    print("payload: \(url.utf8.count) bytes -> version \(sample.version), level M, mask \(sample.mask)")
    print("iterations: \(iterations), total: \(format3(total)) s")
    print("mean per encode: \(format3(perEncode)) µs  (checksum \(checksum))")
} catch {
    print("qr-bench: encoding failed: \(error)")
    exit(1)
}

/// Three decimals without Foundation.
func format3(_ value: Double) -> String {
    let scaled = Int((value * 1000).rounded())
    let fraction = String(scaled % 1000)
    return "\(scaled / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
}
