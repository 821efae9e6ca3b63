import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A CardDAV server from PyPI (`scripts/test-requirements.txt`) running on 127.0.0.1 on a
/// free port for one test, in a folder of its own; `stop` kills it, and any server a
/// crashed test left behind is killed when the test process exits.
///
/// * Radicale: plain HTTP, htpasswd users, `owner_only` rights (403 for another user's book).
/// * Xandikos: `multi-user` mode with its own htpasswd check, which it serves only over
///   HTTPS with a self-signed certificate (`--autocert`); the client accepts it in tests.
final class LoopbackServer: @unchecked Sendable {
    enum Kind: String, CaseIterable, Sendable, CustomStringConvertible {
        case radicale, xandikos
        var description: String { rawValue }
    }

    static let users = ["alice": "secret", "bob": "hunter2"]

    let kind: Kind
    let port: Int
    let root: URL
    private let process: Process
    let http: HTTPClient

    var origin: String { "\(kind == .radicale ? "http" : "https")://127.0.0.1:\(port)" }

    private init(kind: Kind, port: Int, root: URL, process: Process) {
        self.kind = kind
        self.port = port
        self.root = root
        self.process = process
        http = HTTPClient(eventLoopGroupProvider: .singleton,
                          configuration: HTTPClient.Configuration(certificateVerification: .none, timeout: .init(connect: .seconds(10), read: .seconds(120))))
    }

    static var python: String { ProcessInfo.processInfo.environment["CONTACT_IMPORT_PYTHON"] ?? "python3" }

    // MARK: - Start and stop

    static func start(_ kind: Kind) async throws -> LoopbackServer {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("contact-import-\(kind)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let port = try freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        switch kind {
        case .radicale:
            let users = users.map { "\($0.key):\($0.value)\n" }.sorted().joined()
            try users.write(to: root.appendingPathComponent("users"), atomically: true, encoding: .utf8)
            let config = """
                [server]
                hosts = 127.0.0.1:\(port)
                [auth]
                type = htpasswd
                htpasswd_filename = \(root.path)/users
                htpasswd_encryption = plain
                delay = 0
                [rights]
                type = owner_only
                [storage]
                filesystem_folder = \(root.path)/collections
                [web]
                type = none
                [logging]
                level = warning
                """
            try config.write(to: root.appendingPathComponent("config"), atomically: true, encoding: .utf8)
            process.arguments = [python, "-m", "radicale", "--config", root.appendingPathComponent("config").path]
        case .xandikos:
            // Xandikos checks {SHA} entries without extra packages.
            let users = users.map { "\($0.key):{SHA}\(Data(sha1: $0.value).base64EncodedString())\n" }.sorted().joined()
            try users.write(to: root.appendingPathComponent("users"), atomically: true, encoding: .utf8)
            process.arguments = [python, "-m", "xandikos", "multi-user", "-d", root.appendingPathComponent("data").path,
                                 "--defaults", "--autocert", "--htpasswd", root.appendingPathComponent("users").path,
                                 "-l", "127.0.0.1", "-p", "\(port)", "--state-dir", root.appendingPathComponent("state").path]
        }
        let log = root.appendingPathComponent("server.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        ServerRegistry.add(process.processIdentifier)
        let server = LoopbackServer(kind: kind, port: port, root: root, process: process)
        do {
            try await server.waitUntilListening(log: log)
            return server
        } catch {
            await server.stop()
            throw error
        }
    }

    /// Python servers start in a second or two, but while every other suite runs beside
    /// them on two cores a start has taken over 30 s: the wait is generous, and bounded.
    static let startLimit: Duration = .seconds(120)

    private func waitUntilListening(log: URL) async throws {
        let started = ContinuousClock.now
        while true {
            guard process.isRunning else {
                let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                throw SetupError("\(kind) exited at start (is it installed? scripts/test installs it): \(text.suffix(2000))")
            }
            // The port before the clock: a test that wakes late (its threads held by other
            // tests, as under a sanitizer) still finds a server that started in time.
            if Self.canConnect(port) { return }
            guard ContinuousClock.now - started < Self.startLimit else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw SetupError("\(kind) did not listen on port \(port) within \(Self.startLimit)")
    }

    /// Kills the server at once (SIGKILL), as a crash or a pulled cable would.
    func killNow() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    func stop() async {
        if process.isRunning {
            process.terminate()
            let asked = ContinuousClock.now
            while process.isRunning && ContinuousClock.now - asked < .seconds(5) {
                try? await Task.sleep(for: .milliseconds(50))
            }
            killNow()
        }
        ServerRegistry.remove(process.processIdentifier)
        try? await http.shutdown()
        try? FileManager.default.removeItem(at: root)
    }

    // MARK: - Paths

    /// Where the user's address books live.
    func homePath(_ user: String) -> String {
        kind == .radicale ? "/\(user)/" : "/\(user)/contacts/"
    }

    func bookURL(_ user: String, _ book: String) -> String {
        origin + homePath(user) + book + "/"
    }

    // MARK: - Fixtures

    /// Creates an address book with extended MKCOL (RFC 5689).
    func makeBook(_ user: String, _ book: String, displayName: String) async throws {
        try await touch(user)
        let body = """
            <?xml version="1.0" encoding="utf-8"?>
            <d:mkcol xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"><d:set><d:prop>\
            <d:resourcetype><d:collection/><card:addressbook/></d:resourcetype>\
            <d:displayname>\(displayName.replacingOccurrences(of: "&", with: "&amp;"))</d:displayname></d:prop></d:set></d:mkcol>
            """
        let status = try await send("MKCOL", user: user, path: homePath(user) + book + "/", body: body, contentType: "application/xml; charset=utf-8")
        guard status == 201 else { throw SetupError("MKCOL \(book) answered \(status)") }
    }

    /// Stores cards in an existing book. `names` are the resource names, unescaped.
    /// Radicale gets one PUT per card; Xandikos stores a collection as a git repository,
    /// so its cards are committed in one go (10,000 PUTs would take minutes there).
    func store(_ user: String, _ book: String, cards: [(name: String, text: [UInt8])]) async throws {
        switch kind {
        case .radicale:
            try await withThrowingTaskGroup(of: Void.self) { group in
                var next = 0
                func add() {
                    let card = cards[next]
                    let path = homePath(user) + book + "/" + Self.escape(card.name)
                    group.addTask {
                        let status = try await self.send("PUT", user: user, path: path, bytes: card.text, contentType: "text/vcard; charset=utf-8")
                        guard status == 201 || status == 204 else { throw SetupError("PUT \(path) answered \(status)") }
                    }
                    next += 1
                }
                while next < min(4, cards.count) { add() }
                while try await group.next() != nil { if next < cards.count { add() } }
            }
        case .xandikos:
            let folder = root.appendingPathComponent("data").appendingPathComponent(user).appendingPathComponent("contacts").appendingPathComponent(book)
            guard FileManager.default.fileExists(atPath: folder.appendingPathComponent(".git").path) else {
                throw SetupError("no Xandikos collection at \(folder.path)")
            }
            for card in cards {
                try Data(card.text).write(to: folder.appendingPathComponent(card.name))
            }
            try Self.git(["add", "-A", "."], in: folder)
            try Self.git(["-c", "user.name=tests", "-c", "user.email=tests@example.invalid", "commit", "-q", "-m", "cards"], in: folder)
        }
    }

    /// One PUT of one card; returns the status.
    func put(_ user: String, _ book: String, name: String, text: [UInt8]) async throws -> Int {
        try await send("PUT", user: user, path: homePath(user) + book + "/" + Self.escape(name), bytes: text,
                       contentType: "text/vcard; charset=utf-8")
    }

    /// Radicale only: a PUT of a whole .vcf onto a new collection URL makes an address book
    /// with one item per card (it gives cards without UID one).
    func putWholeBook(_ user: String, _ book: String, text: [UInt8]) async throws {
        precondition(kind == .radicale)
        try await touch(user)
        let status = try await send("PUT", user: user, path: homePath(user) + book + "/", bytes: text, contentType: "text/vcard; charset=utf-8")
        guard status == 201 else { throw SetupError("PUT of the whole book \(book) answered \(status)") }
    }

    /// The book's cards as the server now stores them (one GET per listed card).
    func storedCards(_ user: String, _ book: String) async throws -> [[UInt8]] {
        let body = #"<d:propfind xmlns:d="DAV:"><d:prop><d:getetag/></d:prop></d:propfind>"#
        let listing = try await request("PROPFIND", user: user, path: homePath(user) + book + "/", bytes: Array(body.utf8),
                                        contentType: "application/xml; charset=utf-8", depth: "1")
        let text = String(decoding: listing.body, as: UTF8.self)
        let own = homePath(user) + book + "/"
        let pattern = try NSRegularExpression(pattern: "<(?:[A-Za-z0-9]+:)?href>([^<]*)</")
        let hrefs = pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            Range(match.range(at: 1), in: text).map { String(text[$0]) }
        }.filter { $0 != own && !$0.isEmpty }
        var cards: [[UInt8]] = []
        for href in hrefs {
            let answer = try await request("GET", user: user, path: href)
            guard answer.status == 200 else { throw SetupError("GET \(href) answered \(answer.status)") }
            cards.append(answer.body)
        }
        return cards
    }

    /// Makes the server create the user's home (Xandikos does on first request).
    func touch(_ user: String) async throws {
        let body = #"<d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/></d:prop></d:propfind>"#
        _ = try await request("PROPFIND", user: user, path: "/\(user)/", bytes: Array(body.utf8), contentType: "application/xml; charset=utf-8", depth: "0")
    }

    private func send(_ method: String, user: String, path: String, body: String, contentType: String) async throws -> Int {
        try await request(method, user: user, path: path, bytes: Array(body.utf8), contentType: contentType).status
    }

    private func send(_ method: String, user: String, path: String, bytes: [UInt8], contentType: String) async throws -> Int {
        try await request(method, user: user, path: path, bytes: bytes, contentType: contentType).status
    }

    func request(_ method: String, user: String, path: String, bytes: [UInt8]? = nil, contentType: String? = nil,
                 depth: String? = nil) async throws -> (status: Int, body: [UInt8]) {
        var request = HTTPClientRequest(url: origin + path)
        request.method = HTTPMethod(rawValue: method)
        let password = Self.users[user] ?? ""
        request.headers.add(name: "Authorization", value: "Basic " + Data("\(user):\(password)".utf8).base64EncodedString())
        if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        if let depth { request.headers.add(name: "Depth", value: depth) }
        if let bytes { request.body = .bytes(ByteBuffer(bytes: bytes)) }
        let response = try await http.execute(request, timeout: .seconds(120))
        var body = try await response.body.collect(upTo: 512 << 20)
        return (Int(response.status.code), body.readBytes(length: body.readableBytes) ?? [])
    }

    static func escape(_ name: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128)))
        allowed.insert(charactersIn: "-._~")
        return name.addingPercentEncoding(withAllowedCharacters: allowed) ?? name
    }

    private static func git(_ arguments: [String], in folder: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        process.currentDirectoryURL = folder
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw SetupError("git \(arguments.first ?? "") failed in \(folder.path)") }
    }

    // MARK: - Sockets

    /// A port nothing listens on, below the kernel's ephemeral range (32768 and up), so
    /// that a server started here never takes a port another suite's listener has just
    /// released and is checking stays closed.
    static func freePort() throws -> Int {
        for _ in 0..<200 {
            let port = Int.random(in: 20_000..<32_000)
            if canBind(port) { return port }
        }
        throw SetupError("no free port found between 20000 and 32000")
    }

    private static func canBind(_ port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return bound == 0
    }

    static func canConnect(_ port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return result == 0
    }
}

/// Runs `body` with a fresh server and stops the server however `body` ends.
func withServer<T: Sendable>(_ kind: LoopbackServer.Kind, _ body: (LoopbackServer) async throws -> T) async throws -> T {
    let server = try await LoopbackServer.start(kind)
    do {
        let result = try await body(server)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}

struct SetupError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Servers still running when the test process exits are killed then.
enum ServerRegistry {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var pids: Set<Int32> = []
    nonisolated(unsafe) private static var installed = false

    static func add(_ pid: Int32) {
        lock.withLock {
            pids.insert(pid)
            if !installed {
                installed = true
                atexit { ServerRegistry.killAll() }
            }
        }
    }

    static func remove(_ pid: Int32) {
        lock.withLock { _ = pids.remove(pid) }
    }

    static func killAll() {
        let all = lock.withLock { pids }
        for pid in all { kill(pid, SIGKILL) }
    }
}

extension Data {
    /// SHA-1, for Xandikos' `{SHA}` htpasswd entries (test fixtures only).
    init(sha1 text: String) {
        var message = Array(text.utf8)
        let bitLength = UInt64(message.count) * 8
        message.append(0x80)
        while message.count % 64 != 56 { message.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) { message.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
        var h: [UInt32] = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0]
        for chunk in stride(from: 0, to: message.count, by: 64) {
            var w = [UInt32](repeating: 0, count: 80)
            for i in 0..<16 {
                w[i] = message[chunk + 4 * i..<chunk + 4 * i + 4].reduce(0) { $0 << 8 | UInt32($1) }
            }
            for i in 16..<80 {
                let x = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]
                w[i] = x << 1 | x >> 31
            }
            var (a, b, c, d, e) = (h[0], h[1], h[2], h[3], h[4])
            for i in 0..<80 {
                let (f, k): (UInt32, UInt32)
                switch i {
                case 0..<20: (f, k) = ((b & c) | (~b & d), 0x5A827999)
                case 20..<40: (f, k) = (b ^ c ^ d, 0x6ED9EBA1)
                case 40..<60: (f, k) = ((b & c) | (b & d) | (c & d), 0x8F1BBCDC)
                default: (f, k) = (b ^ c ^ d, 0xCA62C1D6)
                }
                let t = (a << 5 | a >> 27) &+ f &+ e &+ k &+ w[i]
                (e, d, c, b, a) = (d, c, b << 30 | b >> 2, a, t)
            }
            h = [h[0] &+ a, h[1] &+ b, h[2] &+ c, h[3] &+ d, h[4] &+ e]
        }
        self.init(h.flatMap { value in (0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * $0)) } })
    }
}
