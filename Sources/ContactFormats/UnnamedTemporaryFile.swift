import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A private file in the temporary folder (`$TMPDIR`) for what a writer must set aside
/// while it works: made by `mkstemp` (so readable by its owner alone) and unlinked at
/// once, so that nothing is left behind whatever ends the process.
package enum UnnamedTemporaryFile {
    /// The open descriptor, or nil (with `errno` set) when no file could be made.
    package static func open(prefix: String) -> Int32? {
        let folder = FileManager.default.temporaryDirectory.path
        var template = Array((folder + "/" + prefix + "-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { return nil }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        return descriptor
    }
}
