import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A path that names an open descriptor rather than a file: `/dev/stdout`, `/dev/fd/N`,
/// `/proc/self/fd/N`, `/proc/PID/fd/N`, however spelt (`//dev/./stdout`) and wherever the
/// folders that lead to it are links (`/dev/fd` is one to `/proc/self/fd`). Replacing what
/// such a name leads to by rename would throw away what the shell set up, `>> file` above all.
enum DescriptorName: Equatable {
    /// One of this process's descriptors.
    case own(Int32)
    /// A descriptor of another process.
    case otherProcess

    init?(path: String) {
        guard path.hasPrefix("/") else {
            guard let resolved = Self.resolvingFolder(of: path) else { return nil }
            self.init(path: resolved)
            return
        }
        if let named = Self.parse(path) {
            self = named
        } else if let resolved = Self.resolvingFolder(of: path), resolved != path, let named = Self.parse(resolved) {
            self = named
        } else {
            return nil
        }
    }

    /// Reads the name from its components alone; `.` and empty ones are spelling.
    private static func parse(_ path: String) -> DescriptorName? {
        let parts = path.split(separator: "/").filter { $0 != "." }.map(String.init)
        switch parts.count {
        case 2 where parts[0] == "dev":
            switch parts[1] {
            case "stdout": return .own(STDOUT_FILENO)
            case "stderr": return .own(STDERR_FILENO)
            default: return nil
            }
        case 3 where parts[0] == "dev" && parts[1] == "fd":
            return Int32(parts[2]).map { .own($0) }
        case 4 where parts[0] == "proc" && parts[2] == "fd":
            guard let number = Int32(parts[3]) else { return nil }
            return isThisProcess(parts[1]) ? .own(number) : .otherProcess
        case 6 where parts[0] == "proc" && parts[2] == "task" && parts[4] == "fd":
            guard let number = Int32(parts[5]) else { return nil }
            return isThisProcess(parts[1]) ? .own(number) : .otherProcess
        default:
            return nil
        }
    }

    private static func isThisProcess(_ name: String) -> Bool {
        name == "self" || name == "thread-self" || name == String(getpid())
    }

    /// The path with its folder's links and `..` resolved, the last component as it is.
    private static func resolvingFolder(of path: String) -> String? {
        let folder = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        guard let resolved = realpath(folder.isEmpty ? "." : folder, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved) + "/" + name
    }
}
