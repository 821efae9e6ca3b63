import ArgumentParser
import ImportCore

/// The process exit statuses, one per kind of outcome, so scripts can tell them apart.
enum ExitStatus {
    static let importFailed: Int32 = 1
    static let importAbandoned: Int32 = 2
    static let outputFailed: Int32 = 74

    static let helpText = """
        Exit status:
          0   the import completed (skipped records are listed on stderr)
          1   the import failed; stderr names the error code and its meaning
              (e.g. 1025 not a contacts file, 1026 unparseable, 261 unknown service)
          2   the import was abandoned or cancelled (codes 514, 516, 517); Ctrl-C
              while the contacts are written cancels too (517), keeping the old output
          64  the command line is invalid
          74  the contacts could not be written to the output; stderr says why
          SIGTERM and SIGHUP end the program by that signal (143 and 129 in a shell),
          after a message and without leaving a half-written output behind.
        """

    static func exitCode(for error: ImportError) -> ExitCode {
        ExitCode(error.code.category == .abandoned ? importAbandoned : importFailed)
    }
}
