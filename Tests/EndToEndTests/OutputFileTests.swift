import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `--output` (and `convert`'s OUT) does to whatever is already at the path: devices,
/// FIFOs, sockets, links, permissions, and signals in the middle of a write. Run as root,
/// as CI does: device nodes are made with mknod in a temporary folder, never the real ones.
@Suite("Output files")
struct OutputFileTests {
    static let card = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lovelace;Ada;;;\r\nFN:Ada Lovelace\r\nEMAIL:ada@example.org\r\nEND:VCARD\r\n"

    /// A folder with `in.vcf` holding one contact.
    static func folderWithInput() throws -> URL {
        let folder = try temporaryDirectory()
        try Data(card.utf8).write(to: folder.appendingPathComponent("in.vcf"))
        return folder
    }

    static func status(_ path: String) -> stat? {
        var result = stat()
        return lstat(path, &result) == 0 ? result : nil
    }

    static func kind(_ path: String) -> mode_t? { status(path).map { $0.st_mode & S_IFMT } }

    static func permissions(_ path: String) -> mode_t? { status(path).map { $0.st_mode & 0o7777 } }

    /// A device node in `folder` with the same device numbers as `original`.
    static func copyOfDevice(_ original: String, in folder: URL, kind: mode_t = S_IFCHR) throws -> String {
        let model = try #require(status(original), "\(original) exists")
        let path = folder.appendingPathComponent((original as NSString).lastPathComponent).path
        try #require(mknod(path, kind | 0o666, model.st_rdev) == 0, "mknod \(path): \(String(cString: strerror(errno))) (the tests run as root)")
        return path
    }

    static func convert(_ folder: URL, to output: String, extra: [String] = []) throws -> CommandLine.Outcome {
        try CommandLine.run(["convert", folder.appendingPathComponent("in.vcf").path, output, "--to", "vcard"] + extra)
    }

    static func names(in folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    // MARK: - Devices, FIFOs, sockets

    @Test func aCopyOfDevNullStaysADeviceAndDiscardsTheContacts() throws {
        let folder = try Self.folderWithInput()
        let null = try Self.copyOfDevice("/dev/null", in: folder)
        let outcome = try Self.convert(folder, to: null)
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        #expect(Self.kind(null) == S_IFCHR, "the device node is still a device")
        #expect(Self.status(null)?.st_rdev == Self.status("/dev/null")?.st_rdev)
        #expect(try Self.names(in: folder) == ["in.vcf", "null"], "no temporary file is left")
    }

    #if os(Linux)
    @Test func aCopyOfDevFullFailsWith74AndTheReasonAndStaysADevice() throws {
        let folder = try Self.folderWithInput()
        let full = try Self.copyOfDevice("/dev/full", in: folder)
        let outcome = try Self.convert(folder, to: full)
        #expect(outcome.status == 74)
        #expect(outcome.stderr.contains("cannot write \(full): No space left on device"), "stderr: \(outcome.stderr)")
        #expect(Self.kind(full) == S_IFCHR)
        #expect(try Self.names(in: folder) == ["full", "in.vcf"])
    }

    @Test func aBlockDeviceIsRefusedAndLeftAlone() throws {
        let folder = try Self.folderWithInput()
        // Device 7:0 (the first loop device) in the kernel's old 8-bit-minor encoding; the
        // node is never opened.
        let path = folder.appendingPathComponent("disk").path
        try #require(mknod(path, S_IFBLK | 0o600, dev_t(7 << 8)) == 0, "mknod needs root")
        let outcome = try Self.convert(folder, to: path)
        #expect(outcome.status == 74)
        #expect(outcome.stderr.contains("block device"), "stderr: \(outcome.stderr)")
        #expect(Self.kind(path) == S_IFBLK)
    }
    #endif

    @Test func aDirectoryIsRefusedWith74() throws {
        let folder = try Self.folderWithInput()
        let outcome = try Self.convert(folder, to: folder.path + "/")
        #expect(outcome.status == 74)
        #expect(outcome.stderr.contains("it is a directory"), "stderr: \(outcome.stderr)")
    }

    @Test func aFIFOGetsTheContactsAndStaysAFIFO() throws {
        let folder = try Self.folderWithInput()
        let fifo = folder.appendingPathComponent("pipe").path
        try #require(mkfifo(fifo, 0o600) == 0)
        // Opened for reading and writing, so neither side waits for the other and the
        // bytes stay in the pipe (one card is far below its capacity) until read below.
        let reader = open(fifo, O_RDWR | O_NONBLOCK)
        try #require(reader >= 0)
        defer { close(reader) }
        let outcome = try Self.convert(folder, to: fifo)
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(reader, &buffer, buffer.count)
            if count <= 0 { break }
            received += buffer[..<count]
        }
        #expect(String(decoding: received, as: UTF8.self).contains("FN:Ada Lovelace"))
        #expect(Self.kind(fifo) == S_IFIFO)
        #expect(try Self.names(in: folder) == ["in.vcf", "pipe"])
    }

    @Test func aSocketGetsTheContactsAndStaysASocket() throws {
        let folder = try Self.folderWithInput()
        let path = folder.appendingPathComponent("socket").path
        let listener = try #require(UnixListener(path: path))
        let received = listener.acceptAndReadInBackground()
        let outcome = try Self.convert(folder, to: path)
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        listener.stop()
        #expect(String(decoding: received.wait(), as: UTF8.self).contains("FN:Ada Lovelace"))
        #expect(Self.kind(path) == S_IFSOCK)
    }

    /// `>> aliases` and then OUT naming that same file: `/dev/stdout`, or another way to it.
    /// The `/dev` spellings go through a link of the test's own, so that a writer that got
    /// this wrong would replace the test's link, never the machine's /dev/stdout.
    @Test(arguments: ["/dev/stdout", "//dev/stdout", "/dev/./stdout", "the parent's descriptor", "a link to /proc/self/fd/1"])
    func stdoutNamedAnotherWayStillAppends(_ spelling: String) throws {
        let folder = try Self.folderWithInput()
        let aliases = folder.appendingPathComponent("aliases")
        try Data("alias old Old Friend <old@example.org>\n".utf8).write(to: aliases)
        let handle = try FileHandle(forUpdating: aliases)
        try handle.seekToEnd()
        let output: String
        switch spelling {
        case "the parent's descriptor":
            // The test's own descriptor on the file: another process's name for the child's stdout.
            output = "/proc/\(getpid())/fd/\(handle.fileDescriptor)"
        case "a link to /proc/self/fd/1":
            output = folder.appendingPathComponent("stdout-link").path
            try #require(symlink("/proc/self/fd/1", output) == 0)
        default:
            output = folder.appendingPathComponent("stdout-spelling").path
            try #require(symlink(spelling, output) == 0)
        }
        let process = Process()
        process.executableURL = CommandLine.binary
        process.arguments = ["convert", folder.appendingPathComponent("in.vcf").path, output, "--to", "mutt"]
        process.standardOutput = handle
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try handle.close()
        #expect(process.terminationStatus == 0)
        let text = try String(contentsOf: aliases, encoding: .utf8)
        #expect(text.hasPrefix("alias old Old Friend <old@example.org>\n"), "the old aliases are kept: \(text)")
        #expect(text.contains("ada@example.org"))
        #expect(try Self.names(in: folder).allSatisfy { !$0.contains("contact-import-") }, "no temporary file is left")
        #expect(Self.isSymlink(output) || spelling == "the parent's descriptor", "OUT is still the link it was")
    }

    static func isSymlink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
    }

    // MARK: - The input itself

    /// The input holds a card that is skipped: replacing it by its own output would lose that card.
    static let inputWithASkippedCard = card + "BEGIN:VCARD\r\nVERSION:3.0\r\nEND:VCARD\r\n" + "not a card at all\r\n"

    @Test(arguments: ["the same path", "spelt with ./", "a symlink to it", "a hard link to it", "import --file"])
    func theInputIsNeverReplacedByItsOwnOutput(_ naming: String) throws {
        let folder = try temporaryDirectory()
        let input = folder.appendingPathComponent("in.vcf").path
        try Data(Self.inputWithASkippedCard.utf8).write(to: URL(fileURLWithPath: input))
        var arguments = ["convert", input, input, "--to", "vcard"]
        switch naming {
        case "spelt with ./":
            arguments[2] = folder.path + "/./in.vcf"
        case "a symlink to it":
            arguments[2] = folder.appendingPathComponent("link.vcf").path
            try #require(symlink("in.vcf", arguments[2]) == 0)
        case "a hard link to it":
            arguments[2] = folder.appendingPathComponent("other.vcf").path
            try #require(link(input, arguments[2]) == 0)
        case "import --file":
            arguments = ["import", "--service", "vcard", "--file", input, "--output", folder.path + "//in.vcf"]
        default:
            break
        }
        let outcome = try CommandLine.run(arguments)
        #expect(outcome.status == 74)
        #expect(outcome.stderr.contains("the output is the input file \(input); write to another file"), "stderr: \(outcome.stderr)")
        #expect(try String(contentsOfFile: input, encoding: .utf8) == Self.inputWithASkippedCard, "the input is untouched")
        #expect(try Self.names(in: folder).allSatisfy { !$0.contains("contact-import-") }, "no temporary file is left")
    }

    // MARK: - Long paths

    @Test func aPathOf1200BytesIsWritten() throws {
        let folder = try Self.folderWithInput()
        var deep = folder
        for letter in ["a", "b", "c", "d", "e", "f"] {
            deep.appendPathComponent(String(repeating: letter, count: 200))
        }
        try FileManager.default.createDirectory(at: deep, withIntermediateDirectories: true)
        let output = deep.appendingPathComponent("out.vcf").path
        try #require(output.utf8.count >= 1200)
        let outcome = try Self.convert(folder, to: output)
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        #expect(try String(contentsOfFile: output, encoding: .utf8).contains("FN:Ada Lovelace"))
    }

    // MARK: - Links and permissions

    @Test func aSymlinkStaysALinkAndItsTargetGetsTheContacts() throws {
        let folder = try Self.folderWithInput()
        let target = folder.appendingPathComponent("target.vcf")
        try Data("old".utf8).write(to: target)
        let link = folder.appendingPathComponent("link.vcf").path
        try #require(symlink("target.vcf", link) == 0)
        let outcome = try Self.convert(folder, to: link)
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        #expect(Self.kind(link) == S_IFLNK)
        #expect(try String(contentsOf: target, encoding: .utf8).contains("FN:Ada Lovelace"))
        #expect(try Self.names(in: folder) == ["in.vcf", "link.vcf", "target.vcf"])
    }

    @Test func aLinkToNothingCreatesTheFileItNames() throws {
        let folder = try Self.folderWithInput()
        let link = folder.appendingPathComponent("link.vcf").path
        try #require(symlink("made.vcf", link) == 0)
        let outcome = try Self.convert(folder, to: link)
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        #expect(Self.kind(link) == S_IFLNK)
        let made = folder.appendingPathComponent("made.vcf").path
        #expect(Self.kind(made) == S_IFREG)
        #expect(Self.permissions(made) == 0o600)
        #expect(try String(contentsOfFile: made, encoding: .utf8).contains("FN:Ada Lovelace"))
    }

    @Test(arguments: [0o600, 0o640, 0o604] as [mode_t])
    func anExistingFileKeepsItsMode(_ mode: mode_t) throws {
        let folder = try Self.folderWithInput()
        let output = folder.appendingPathComponent("out.vcf").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: output))
        try #require(chmod(output, mode) == 0)
        let outcome = try Self.convert(folder, to: output)
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        #expect(Self.permissions(output) == mode)
        #expect(try String(contentsOfFile: output, encoding: .utf8).contains("FN:Ada Lovelace"))
        #expect(try Self.names(in: folder) == ["in.vcf", "out.vcf"])
    }

    @Test func anExistingFileKeepsItsOwnerAndGroupWhenRootWrites() throws {
        try #require(geteuid() == 0, "the tests run as root, as CI does")
        let folder = try Self.folderWithInput()
        let output = folder.appendingPathComponent("out.vcf").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: output))
        try #require(chown(output, 4321, 4322) == 0)
        let outcome = try Self.convert(folder, to: output)
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        #expect(Self.status(output)?.st_uid == 4321)
        #expect(Self.status(output)?.st_gid == 4322)
    }

    @Test func aNewFileIsReadableByItsOwnerOnly() throws {
        let folder = try Self.folderWithInput()
        let output = folder.appendingPathComponent("new.vcf").path
        let outcome = try CommandLine.run(["import", "--service", "vcard", "--file", folder.appendingPathComponent("in.vcf").path,
                                           "--output", output])
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        #expect(Self.permissions(output) == 0o600)
        #expect(try Self.names(in: folder) == ["in.vcf", "new.vcf"])
    }

    /// Runs the binary as `nobody`, as an ordinary user: root may write any file. A copy of
    /// the binary in a folder anyone may enter is run, since the build folder may lie
    /// where nobody cannot reach (a clone under /root, say).
    static func runAsNobody(_ arguments: [String]) throws -> (status: Int32, stderr: String) {
        let binaries = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: binaries) }
        try #require(chmod(binaries.path, 0o755) == 0)
        let copy = binaries.appendingPathComponent("contact-import")
        try FileManager.default.copyItem(at: CommandLine.binary, to: copy)
        try #require(chmod(copy.path, 0o755) == 0)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments = ["--reuid=nobody", "--regid=nogroup", "--clear-groups", copy.path] + arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    /// A folder anyone may write, with `in.vcf` and `out.vcf` (holding "old") owned by nobody.
    static func nobodysFolder(outputMode: mode_t) throws -> (folder: URL, output: String) {
        try #require(geteuid() == 0, "the tests run as root, as CI does")
        let folder = try folderWithInput()
        try #require(chmod(folder.path, 0o777) == 0)
        let output = folder.appendingPathComponent("out.vcf").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: output))
        for path in [output, folder.appendingPathComponent("in.vcf").path] {
            try #require(chown(path, 65534, 65534) == 0)
        }
        try #require(chmod(output, outputMode) == 0)
        return (folder, output)
    }

    @Test func aReadOnlyFileIsRefusedWith74AndKept() throws {
        let (folder, output) = try Self.nobodysFolder(outputMode: 0o444)
        let outcome = try Self.runAsNobody(["convert", folder.appendingPathComponent("in.vcf").path, output, "--to", "vcard"])
        #expect(outcome.status == 74, "stderr: \(outcome.stderr)")
        #expect(outcome.stderr.contains("cannot write \(output): it is read-only"), "stderr: \(outcome.stderr)")
        #expect(try String(contentsOfFile: output, encoding: .utf8) == "old")
        #expect(Self.permissions(output) == 0o444)
        #expect(try Self.names(in: folder) == ["in.vcf", "out.vcf"])
    }

    @Test func aWritableFileOfTheSameUserIsReplaced() throws {
        let (folder, output) = try Self.nobodysFolder(outputMode: 0o644)
        let outcome = try Self.runAsNobody(["convert", folder.appendingPathComponent("in.vcf").path, output, "--to", "vcard"])
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        #expect(try String(contentsOfFile: output, encoding: .utf8).contains("FN:Ada Lovelace"))
        #expect(Self.permissions(output) == 0o644)
    }

    // MARK: - Signals in the middle of a write

    /// 20,000 cards: more than one 1 MiB chunk of output, so the test pause falls mid-write.
    static func folderWithLargeInput() throws -> URL {
        let folder = try temporaryDirectory()
        var text = ""
        for n in 0..<20_000 {
            text += "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Person\(n);Ada;;;\r\nFN:Ada Person\(n)\r\nEMAIL:ada\(n)@example.org\r\nEND:VCARD\r\n"
        }
        try Data(text.utf8).write(to: folder.appendingPathComponent("in.vcf"))
        return folder
    }

    /// Starts a convert to `out.vcf` that pauses after its first chunk, sends `signal` once
    /// it says so, and returns how the process ended and what it said.
    static func interruptedWrite(_ signal: Int32, pipeline: [String] = []) throws
        -> (folder: URL, reason: Process.TerminationReason, status: Int32, stderr: String) {
        let folder = try folderWithLargeInput()
        let output = folder.appendingPathComponent("out.vcf")
        try Data("the old contacts".utf8).write(to: output)
        let process = Process()
        process.executableURL = CommandLine.binary
        process.arguments = ["convert", folder.appendingPathComponent("in.vcf").path, output.path]
        var environment = ProcessInfo.processInfo.environment
        environment["CONTACT_IMPORT_TEST_PAUSE_WRITE"] = "60"
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        let said = StderrCollector(errors.fileHandleForReading)
        try process.run()
        let paused = said.wait(for: "test pause while writing", upTo: .seconds(120))
        if paused { kill(process.processIdentifier, signal) } else { process.terminate() }
        process.waitUntilExit()
        let text = said.finish()
        try #require(paused, "the write never paused; stderr: \(text)")
        return (folder, process.terminationReason, process.terminationStatus, text)
    }

    @Test func ctrlCDuringTheWriteRemovesTheTemporaryFileKeepsTheOldOutputAndExits2() throws {
        let run = try Self.interruptedWrite(SIGINT)
        #expect(run.reason == .exit)
        #expect(run.status == 2)
        #expect(run.stderr.contains("error 517: cancelled while writing"), "stderr: \(run.stderr)")
        #expect(try Self.names(in: run.folder) == ["in.vcf", "out.vcf"], "no temporary file is left")
        #expect(try String(contentsOf: run.folder.appendingPathComponent("out.vcf"), encoding: .utf8) == "the old contacts")
    }

    @Test(arguments: [SIGTERM, SIGHUP])
    func terminationDuringTheWriteRemovesTheTemporaryFileAndEndsByTheSignal(_ signal: Int32) throws {
        let run = try Self.interruptedWrite(signal)
        #expect(run.reason == .uncaughtSignal)
        #expect(run.status == signal)
        let name = signal == SIGTERM ? "terminated by SIGTERM" : "ended by SIGHUP"
        #expect(run.stderr.contains("\(name) while writing"), "stderr: \(run.stderr)")
        #expect(run.stderr.contains("it was left as it was"))
        #expect(try Self.names(in: run.folder) == ["in.vcf", "out.vcf"], "no temporary file is left")
        #expect(try String(contentsOf: run.folder.appendingPathComponent("out.vcf"), encoding: .utf8) == "the old contacts")
    }
}

/// Collects a child's stderr as it arrives, and waits for a phrase in it.
final class StderrCollector: @unchecked Sendable {
    private let condition = NSCondition()
    private var text = ""
    private var ended = false

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            while true {
                let data = handle.availableData
                condition.lock()
                if data.isEmpty { ended = true } else { text += String(decoding: data, as: UTF8.self) }
                condition.broadcast()
                condition.unlock()
                if data.isEmpty { return }
            }
        }
    }

    /// True once `phrase` appeared; false if stderr closed, or the limit passed, first.
    func wait(for phrase: String, upTo limit: Duration) -> Bool {
        let deadline = Date().addingTimeInterval(TimeInterval(limit.components.seconds))
        condition.lock()
        defer { condition.unlock() }
        while !text.contains(phrase) && !ended {
            if !condition.wait(until: deadline) { return false }
        }
        return text.contains(phrase)
    }

    /// Everything said, once the child closed stderr.
    func finish() -> String {
        condition.lock()
        defer { condition.unlock() }
        while !ended { condition.wait() }
        return text
    }
}

/// A listening Unix-domain stream socket that takes one connection and reads it to the end.
final class UnixListener: @unchecked Sendable {
    private let descriptor: Int32

    init?(path: String) {
        #if canImport(Glibc)
        let streamType = Int32(SOCK_STREAM.rawValue)
        #else
        let streamType = SOCK_STREAM
        #endif
        descriptor = socket(AF_UNIX, streamType, 0)
        guard descriptor >= 0 else { return nil }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return nil }
        withUnsafeMutableBytes(of: &address.sun_path) { slot in
            slot.copyBytes(from: bytes)
            slot[bytes.count] = 0
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0, listen(descriptor, 1) == 0 else { return nil }
    }

    final class Received: @unchecked Sendable {
        private let done = DispatchSemaphore(value: 0)
        var bytes: [UInt8] = []
        func finish() { done.signal() }
        func wait() -> [UInt8] {
            done.wait()
            return bytes
        }
    }

    func acceptAndReadInBackground() -> Received {
        let received = Received()
        let descriptor = self.descriptor
        Thread.detachNewThread {
            let connection = accept(descriptor, nil, nil)
            if connection >= 0 {
                var buffer = [UInt8](repeating: 0, count: 65536)
                while true {
                    let count = read(connection, &buffer, buffer.count)
                    if count <= 0 { break }
                    received.bytes += buffer[..<count]
                }
                close(connection)
            }
            received.finish()
        }
        return received
    }

    /// Stops listening: an accept still waiting returns.
    func stop() {
        shutdown(descriptor, Int32(SHUT_RDWR))
    }
}
