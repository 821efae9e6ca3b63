import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The accounts file: `{"accounts": [{"name", "domain_key", "password_hash",
/// "redirect_hosts"}]}`. Written only through a new file renamed into place, with the
/// old file's permissions (0600 for a new one); a symbolic link or anything but a regular
/// file at the path is refused rather than replaced.
public enum AccountsFile {
    struct Contents: Codable {
        var accounts: [Account]
    }

    /// The accounts in the file; none when it does not exist yet.
    public static func load(_ path: String) throws -> [Account] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        try checkRegular(path)
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw AccountsFileError("cannot read \(path): \(error.localizedDescription)")
        }
        do {
            return try JSONDecoder().decode(Contents.self, from: data).accounts
        } catch {
            throw AccountsFileError("\(path) is not an accounts file: \(describe(error))")
        }
    }

    /// Adds `account` to the file (creating it), refusing a name or key already there.
    public static func add(_ account: Account, to path: String) throws {
        var accounts = try load(path)
        guard !accounts.contains(where: { $0.name == account.name }) else {
            throw AccountsFileError("\(path) already has an account named \(account.name)")
        }
        guard !accounts.contains(where: { $0.domainKey == account.domainKey }) else {
            throw AccountsFileError("\(path) already has that domain key")
        }
        accounts.append(account)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(Contents(accounts: accounts)) + Data("\n".utf8)
        try replace(path, with: data)
    }

    static func checkRegular(_ path: String) throws {
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            throw AccountsFileError("cannot read \(path): \(error.localizedDescription)")
        }
        guard attributes[.type] as? FileAttributeType == .typeRegular else {
            throw AccountsFileError("\(path) is not a regular file; give the path of the accounts file itself")
        }
    }

    private static func replace(_ path: String, with data: Data) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        var permissions = 0o600
        if FileManager.default.fileExists(atPath: path) {
            try checkRegular(path)
            if let mode = try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int { permissions = mode }
        }
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw AccountsFileError("cannot write in \(directory.path)")
        }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
            try FileManager.default.setAttributes([.posixPermissions: permissions], ofItemAtPath: temporary.path)
            if rename(temporary.path, path) != 0 { throw AccountsFileError("cannot replace \(path)") }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            if let error = error as? AccountsFileError { throw error }
            throw AccountsFileError("cannot write \(path): \(error.localizedDescription)")
        }
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context): return context.debugDescription
        case DecodingError.keyNotFound(let key, _): return "an account lacks \(key.stringValue)"
        case DecodingError.typeMismatch(_, let context): return context.debugDescription
        default: return "not JSON"
        }
    }
}

public struct AccountsFileError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
