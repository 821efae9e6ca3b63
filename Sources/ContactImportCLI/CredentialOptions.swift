import ArgumentParser
import Foundation
import ImportCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Username, password and server for the services that sign in with them (the CardDAV
/// providers: icloud, yahoo, web_de, nextcloud, carddav, …). The password never comes from the command line itself,
/// where other users could read it in the process list.
struct CredentialOptions: ParsableArguments {
    static let passwordVariable = "CONTACT_IMPORT_PASSWORD"

    @Option(help: "Username for the username/password services, usually the email address.")
    var username: String?

    @Flag(name: .customLong("password-stdin"),
          help: "Read the password from the first line of standard input (otherwise from $CONTACT_IMPORT_PASSWORD, else a prompt without echo).")
    var passwordStdin = false

    @Option(help: "The server's URL for --service carddav (e.g. https://cloud.example.org/remote.php/dav); overrides a provider's host.")
    var url: String?

    @Option(help: "Import only this address book (its name or the last part of its URL); default: every book of the account.")
    var book: String?

    /// Adds the credentials to `parameters` for a service that signs in with them.
    func apply(to parameters: inout ImportParameters, service: String) throws {
        if let username { parameters["username"] = username }
        if let url { parameters["url"] = url }
        if let book { parameters["book"] = book }
        let descriptor = ServiceCatalog.standard.service(named: service)
        // A service that cannot work is refused by the engine; asking for its password first would be a trap.
        guard passwordStdin || (descriptor?.authMethod == .usernamePassword && descriptor?.unavailable == nil) else { return }
        if let password = try password(username: parameters["username"], service: descriptor?.displayName ?? service) {
            parameters["password"] = password
        }
    }

    private func password(username: String?, service: String) throws -> String? {
        if passwordStdin {
            guard let line = readLine(strippingNewline: true) else {
                throw ValidationError("--password-stdin: standard input is empty")
            }
            return line.hasSuffix("\r") ? String(line.dropLast()) : line
        }
        if let value = ProcessInfo.processInfo.environment[Self.passwordVariable], !value.isEmpty {
            return value
        }
        guard let username, !username.isEmpty else { return nil }
        return PasswordPrompt.read(prompt: "Password for \(username) (\(service)): ")
    }
}

/// Reads a line from the terminal with echo turned off; nil when there is no terminal.
enum PasswordPrompt {
    static func read(prompt: String) -> String? {
        let descriptor = open("/dev/tty", O_RDWR | O_NOCTTY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        guard isatty(descriptor) == 1 else { return nil }
        var saved = termios()
        guard tcgetattr(descriptor, &saved) == 0 else { return nil }
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        silent.c_lflag |= tcflag_t(ECHONL)
        _ = prompt.withCString { write(descriptor, $0, strlen($0)) }
        guard tcsetattr(descriptor, TCSAFLUSH, &silent) == 0 else { return nil }
        defer { tcsetattr(descriptor, TCSAFLUSH, &saved) }
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let count = SystemCalls.readSome(descriptor, into: &byte, count: 1)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 || byte == 0x0A { break }
            if byte != 0x0D { bytes.append(byte) }
        }
        let value = String(decoding: bytes, as: UTF8.self)
        // Overwrite our copy of the typed bytes; the String is what goes on.
        for index in bytes.indices { bytes[index] = 0 }
        return value
    }
}
