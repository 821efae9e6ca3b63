import Crypto
import CryptoExtras
import Foundation

/// A domain password as it is stored: PBKDF2-HMAC-SHA512 with a random salt, written
/// `pbkdf2-sha512$ROUNDS$SALT$HASH` (salt and hash in base64). Checking one costs about a
/// tenth of a second on purpose, so that a stolen accounts file is slow to attack.
public struct PasswordHash: Sendable, Hashable, Codable, CustomStringConvertible {
    public let rounds: Int
    let salt: [UInt8]
    let hash: [UInt8]

    public static let defaultRounds = 210_000

    /// Hashes `password` with a fresh salt.
    public init(hashing password: String, rounds: Int = PasswordHash.defaultRounds) throws {
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        self.init(rounds: rounds, salt: salt, hash: try Self.derive(password, salt: salt, rounds: rounds))
    }

    init(rounds: Int, salt: [UInt8], hash: [UInt8]) {
        self.rounds = rounds
        self.salt = salt
        self.hash = hash
    }

    /// Reads the stored form; nil for anything else.
    public init?(stored text: String) {
        let parts = text.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "pbkdf2-sha512", let rounds = Int(parts[1]), rounds >= PasswordHash.defaultRounds,
              let salt = Data(base64Encoded: String(parts[2])), salt.count >= 16,
              let hash = Data(base64Encoded: String(parts[3])), hash.count == 64 else { return nil }
        self.init(rounds: rounds, salt: Array(salt), hash: Array(hash))
    }

    public var stored: String {
        "pbkdf2-sha512$\(rounds)$\(Data(salt).base64EncodedString())$\(Data(hash).base64EncodedString())"
    }

    public var description: String { "PasswordHash(pbkdf2-sha512, \(rounds) rounds)" }

    /// Whether `password` is the one hashed; compares in constant time.
    public func matches(_ password: String) -> Bool {
        guard let derived = try? Self.derive(password, salt: salt, rounds: rounds), derived.count == hash.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(derived, hash) { difference |= a ^ b }
        return difference == 0
    }

    static func derive(_ password: String, salt: [UInt8], rounds: Int) throws -> [UInt8] {
        let key = try KDF.Insecure.PBKDF2.deriveKey(from: Array(password.utf8), salt: salt, using: .sha512,
                                                    outputByteCount: 64, rounds: rounds)
        return key.withUnsafeBytes { Array($0) }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let parsed = PasswordHash(stored: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a pbkdf2-sha512 password hash"))
        }
        self = parsed
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(stored)
    }
}
