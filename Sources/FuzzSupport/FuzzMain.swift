#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
#if FUZZING
import CLibFuzzer
#endif

extension FuzzCommand {
    /// The whole program: libFuzzer's loop over the selected target when built for
    /// fuzzing, the replay command line otherwise.
    public static func main(_ targets: [FuzzTarget]) -> Never {
        #if FUZZING
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "--list" || arguments.first == "--seeds" {
            exit(replay(targets, arguments: arguments))
        }
        running = selected(from: targets)
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in testOneInput(data, size) })
        #else
        exit(replay(targets, arguments: Array(CommandLine.arguments.dropFirst())))
        #endif
    }
}

#if FUZZING
/// libFuzzer's callback. Exported under libFuzzer's own name too: the linker may pull in
/// libFuzzer's `main`, which refers to it, although ours is the one that runs.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    running?.check(bytes)
    return 0
}

/// The target under test. libFuzzer's callback is a C function and cannot capture it; it
/// is set once, before the driver starts, and libFuzzer calls back on that one thread.
nonisolated(unsafe) private var running: FuzzTarget?
#endif
