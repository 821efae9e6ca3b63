import COutputGuard

/// The Swift face of `COutputGuard`: what a signal does while contacts are being written.
enum OutputGuard {
    /// From now on SIGINT ends the process with `interruptStatus`, SIGTERM and SIGHUP with
    /// themselves, each with a message and without leaving a half-written output behind.
    static func install(interruptStatus: Int32) {
        output_guard_install(interruptStatus)
    }

    static func uninstall() {
        output_guard_uninstall()
    }

    /// Runs `body` while the guard knows that `label` is being written, through
    /// `temporaryPath` (removed if the write is cut short) or in place when nil. Returns
    /// nil, without running `body`, when the temporary path is too long to keep (a long
    /// label is only cut short in messages).
    static func whileWriting<T>(_ label: String, through temporaryPath: String?, _ body: () throws -> T) rethrows -> T? {
        guard output_guard_arm(label, temporaryPath) == 0 else { return nil }
        defer { output_guard_disarm() }
        return try body()
    }

    /// The temporary file now exists. False when a signal or the exit took over in the
    /// meantime: the file has been removed and must not be written.
    static func created() -> Bool {
        output_guard_created() == 0
    }

    /// The temporary file is about to be renamed over the output.
    static func committing() {
        output_guard_committing()
    }
}
