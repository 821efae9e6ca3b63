import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The path the contacts are written to, written without destroying what is there:
///
/// - a regular file is replaced atomically: a temporary file in the same folder (created
///   exclusively, private), written in full, flushed to the disk, given the old file's
///   mode (and its owner and group, as far as the user may), renamed over it, and the
///   folder flushed, so that the old file is never lost to a crash;
/// - a new file is created the same way, without the flushes (nothing of the user's is at
///   stake there; `cp` does not flush either, and the disk's flush costs as much as the
///   rest of a large conversion), and stays readable by its owner only (0600), since
///   contacts are personal data;
/// - a symbolic link is followed and its target written, so the link stays a link; a link
///   to nothing creates the file it names, as editors do;
/// - a character device, FIFO or socket is written in place: `/dev/null` discards,
///   `/dev/full` fails with "No space left on device";
/// - `/dev/stdout`, `/dev/stderr`, `/dev/fd/N`, `/proc/self/fd/N` however spelt or linked
///   to, and any file that is this process's standard output or error, write to that
///   descriptor as it is, so `>> file` appends;
/// - a directory or a block device is refused, and so are the input file itself (however
///   named: the same device and inode) and a file its user may not write.
///
/// While the bytes are written, `COutputGuard` knows the temporary file: SIGINT, SIGTERM or
/// SIGHUP then removes it and leaves the old output as it was.
struct OutputFile {
    /// The path as the user gave it; messages name it so.
    let path: String
    /// The file the contacts were read from, if any: its own output must never replace it.
    let input: String?

    init(_ path: String, input: String? = nil) {
        self.path = path
        self.input = input
    }

    struct Failure: Error, CustomStringConvertible {
        var path: String
        var reason: String

        var description: String { "cannot write \(path): \(reason)" }
    }

    /// Throws `Failure` (with the reason in words) when the bytes could not be written.
    func write(_ bytes: [UInt8]) throws {
        try write { emit in try bytes.withUnsafeBytes { try emit($0) } }
    }

    /// Hands out the bytes as `produce` makes them, piece by piece, so that a large output
    /// never has to be held whole; the file is replaced (or written in place) exactly as by
    /// `write(_:)`. An error `produce` throws passes through, and a file being replaced is
    /// then left as it was.
    func write(_ produce: Producer) throws {
        // One output at a time: the signal guard knows a single temporary file.
        try Self.oneAtATime.withLock { _ in
            switch try destination() {
            case .replace(let target, let existing): try replace(target, existing: existing, with: produce)
            case .inPlace: try writeInPlace(produce)
            case .socket: try writeToSocket(produce)
            case .descriptor(let descriptor): try writeToDescriptor(descriptor, produce)
            }
        }
    }

    /// Makes the output, calling `emit` with each piece in order.
    typealias Producer = (_ emit: (UnsafeRawBufferPointer) throws -> Void) throws -> Void

    // MARK: - What is at the path

    private enum Destination {
        /// A regular file (its status) or nothing yet, at `target` once links are followed.
        case replace(target: String, existing: stat?)
        /// A character device or a FIFO.
        case inPlace
        case socket
        /// One of this process's own descriptors, named as `/dev/stdout` or `/dev/fd/N`.
        case descriptor(Int32)
    }

    private func destination() throws -> Destination {
        let names = try linkChain()
        let descriptorNames = names.compactMap(DescriptorName.init(path:))
        for case .own(let descriptor) in descriptorNames { return .descriptor(descriptor) }
        var status = stat()
        if stat(path, &status) == 0 {
            switch status.st_mode & S_IFMT {
            case S_IFREG:
                if let descriptor = Self.writableStandardDescriptor(sameFileAs: status) { return .descriptor(descriptor) }
                if !descriptorNames.isEmpty {
                    throw failure("it is another process's descriptor, which contacts are never written over")
                }
                try refuseIfInput(status)
                let target = names.last ?? path
                try refuseIfReadOnly(target)
                return .replace(target: target, existing: status)
            case S_IFCHR, S_IFIFO: return .inPlace
            case S_IFSOCK: return .socket
            case S_IFDIR: throw failure("it is a directory")
            case S_IFBLK: throw failure("it is a block device, which contacts are never written over")
            default: throw failure("it is neither a file, a character device, a FIFO nor a socket")
            }
        }
        let error = errno
        guard error == ENOENT else { throw failure(SystemError(error).description) }
        // Nothing there, or a link to nothing: the file is created where the links lead.
        return .replace(target: names.last ?? path, existing: nil)
    }

    /// Replacing the file the contacts came from would lose every record the import
    /// skipped, with nothing left to read them again from.
    private func refuseIfInput(_ output: stat) throws {
        guard let input else { return }
        var read = stat()
        guard stat(input, &read) == 0, read.st_dev == output.st_dev, read.st_ino == output.st_ino else { return }
        throw failure("the output is the input file \(input); write to another file")
    }

    /// A rename needs only the folder to be writable; the shell's `>` also asks the file,
    /// and so do we: a file made read-only is one its owner wants kept.
    private func refuseIfReadOnly(_ target: String) throws {
        guard access(target, W_OK) != 0 else { return }
        let error = errno
        throw failure(error == EACCES ? "it is read-only" : SystemError(error).description)
    }

    /// The standard output or error (or input, when open for writing) that is the same file
    /// as `status`: `>> file` named by some other path, or through a link to
    /// `/proc/self/fd/1`, still means the shell's descriptor.
    private static func writableStandardDescriptor(sameFileAs status: stat) -> Int32? {
        [STDOUT_FILENO, STDERR_FILENO, STDIN_FILENO].first { descriptor in
            var open = stat()
            let flags = fcntl(descriptor, F_GETFL)
            return flags >= 0 && flags & O_ACCMODE != O_RDONLY && fstat(descriptor, &open) == 0
                && open.st_mode & S_IFMT == S_IFREG && open.st_dev == status.st_dev && open.st_ino == status.st_ino
        }
    }

    /// The path, then each name its chain of symbolic links leads to; the last is where the
    /// chain ends (or names nothing yet).
    private func linkChain() throws -> [String] {
        var current = path
        var names = [path]
        for _ in 0..<40 {
            var status = stat()
            guard lstat(current, &status) == 0 else {
                let error = errno
                if error == ENOENT { return names }
                throw failure(SystemError(error).description)
            }
            guard status.st_mode & S_IFMT == S_IFLNK else { return names }
            var target = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let length = readlink(current, &target, target.count - 1)
            guard length >= 0 else { throw failure(SystemError(errno).description) }
            let link = String(decoding: target[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = link.hasPrefix("/") ? link : Self.folder(of: current) + "/" + link
            names.append(current)
        }
        throw failure(SystemError(ELOOP).description)
    }

    // MARK: - Replacing a regular file

    private func replace(_ target: String, existing: stat?, with produce: Producer) throws {
        let folder = Self.folder(of: target)
        let temporary = folder + "/" + Self.temporaryName(for: target)
        let written: Void? = try OutputGuard.whileWriting(path, through: temporary) {
            try replace(target, through: temporary, existing: existing, with: produce)
        }
        guard written != nil else { throw failure(SystemError(ENAMETOOLONG).description) }
    }

    private func replace(_ target: String, through temporary: String, existing: stat?,
                         with produce: Producer) throws {
        let folder = Self.folder(of: target)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw failure("cannot create a temporary file in \(folder): \(SystemError(errno))")
        }
        var isOpen = true
        var renamed = false
        defer {
            if isOpen { close(descriptor) }
            if !renamed { unlink(temporary) }
        }
        // Quitting or a signal between arming the guard and this open may have looked for
        // the file before it existed; then it is removed here instead.
        guard OutputGuard.created() else { throw failure("the program is ending; it was left as it was") }
        try fill(descriptor, with: produce)
        if let existing {
            guard fsync(descriptor) == 0 else { throw failure(SystemError(errno).description) }
            try keepAccess(of: existing, on: descriptor)
        }
        isOpen = false
        // Some file systems (NFS) report a failed write only when the file is closed.
        guard close(descriptor) == 0 else { throw failure(SystemError(errno).description) }
        OutputGuard.committing()
        guard rename(temporary, target) == 0 else { throw failure(SystemError(errno).description) }
        renamed = true
        if existing != nil { Self.flushFolder(folder) }
    }

    /// Gives the new file the old one's mode, and its owner and group where allowed (root
    /// may give any; others may keep a group they belong to).
    private func keepAccess(of existing: stat, on descriptor: Int32) throws {
        var created = stat()
        if fstat(descriptor, &created) == 0, created.st_uid != existing.st_uid || created.st_gid != existing.st_gid {
            if fchown(descriptor, existing.st_uid, existing.st_gid) != 0 {
                _ = fchown(descriptor, uid_t.max, existing.st_gid)
            }
        }
        // After the owner: changing it clears the set-user-ID and set-group-ID bits.
        guard fchmod(descriptor, existing.st_mode & 0o7777) == 0 else { throw failure(SystemError(errno).description) }
    }

    /// `.name.` plus random letters: hidden, beside the target, unlikely to meet another file.
    private static func temporaryName(for target: String) -> String {
        let name = (target as NSString).lastPathComponent
        let random = String(UInt64.random(in: .min ... .max), radix: 36)
        return "." + (name.utf8.count > 180 ? "contacts" : name) + ".contact-import-" + random
    }

    private static func folder(of path: String) -> String {
        let folder = (path as NSString).deletingLastPathComponent
        return folder.isEmpty ? "." : folder
    }

    /// Makes the rename itself durable; best effort, as not every file system can.
    private static func flushFolder(_ folder: String) {
        let descriptor = open(folder, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    // MARK: - Devices, FIFOs and sockets

    private func writeInPlace(_ produce: Producer) throws {
        let written: Void? = try OutputGuard.whileWriting(path, through: nil) { try writeInPlaceArmed(produce) }
        guard written != nil else { throw failure("the path is too long") }
    }

    private func writeInPlaceArmed(_ produce: Producer) throws {
        // No O_CREAT: this never makes a file; no O_TRUNC: a device has nothing to truncate.
        let descriptor = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY)
        guard descriptor >= 0 else { throw failure(SystemError(errno).description) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT != S_IFREG else {
            throw failure("it changed while it was being opened")
        }
        try Self.withoutBrokenPipeSignal { try fill(descriptor, with: produce) }
    }

    private func writeToSocket(_ produce: Producer) throws {
        let written: Void? = try OutputGuard.whileWriting(path, through: nil) { try writeToSocketArmed(produce) }
        guard written != nil else { throw failure("the path is too long") }
    }

    private func writeToSocketArmed(_ produce: Producer) throws {
        let descriptor: Int32
        do {
            descriptor = try LocalSocket.connect(to: path)
        } catch {
            throw failure(error.description)
        }
        defer { close(descriptor) }
        try Self.withoutBrokenPipeSignal { try fill(descriptor, with: produce) }
    }

    private func writeToDescriptor(_ descriptor: Int32, _ produce: Producer) throws {
        let written: Void? = try OutputGuard.whileWriting(path, through: nil) {
            try Self.withoutBrokenPipeSignal { try fill(descriptor, with: produce) }
        }
        guard written != nil else { throw failure("the path is too long") }
    }

    /// A reader that goes away makes the write fail with EPIPE (a message and status 74)
    /// rather than end the process silently.
    private static func withoutBrokenPipeSignal(_ body: () throws -> Void) rethrows {
        let previous = signal(SIGPIPE, SIG_IGN)
        defer { signal(SIGPIPE, previous) }
        try body()
    }

    // MARK: - Writing

    private func fill(_ descriptor: Int32, with produce: Producer) throws {
        var written = 0
        try produce { bytes in
            var offset = 0
            while offset < bytes.count {
                let chunk = UnsafeRawBufferPointer(rebasing: bytes[offset..<min(bytes.count, offset + Self.chunkSize)])
                do {
                    try SystemCalls.writeAll(descriptor, chunk)
                } catch {
                    throw failure(String(describing: error))
                }
                offset += chunk.count
                if written == 0 { TestPause.afterFirstChunk() }
                written += chunk.count
            }
        }
    }

    private static let chunkSize = 1 << 20
    private static let oneAtATime = Mutex(())

    private func failure(_ reason: String) -> Failure { Failure(path: path, reason: reason) }
}

/// `CONTACT_IMPORT_TEST_PAUSE_WRITE=SECONDS`: for tests only. After the first chunk of an
/// output, say so on stderr and wait that long, so a test can send a signal while the
/// write is certainly half done. It only delays; nothing else changes.
enum TestPause {
    static func afterFirstChunk() {
        guard let text = getenv("CONTACT_IMPORT_TEST_PAUSE_WRITE"), let seconds = UInt32(String(cString: text)), seconds > 0 else {
            return
        }
        StandardError.line("contact-import: test pause while writing")
        sleep(seconds)
    }
}
