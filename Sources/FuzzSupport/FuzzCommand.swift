import Foundation

/// The command line shared by the fuzzing programs. Built with `-sanitize=fuzzer` (and
/// `-D FUZZING`) the program is a libFuzzer binary for the target named by `FUZZ_TARGET`;
/// built normally it replays inputs, so a saved crash reproduces without sanitizers:
///
///     fuzz-formats --list
///     fuzz-formats --seeds FOLDER        (writes FOLDER/TARGET/seed-N for every target)
///     fuzz-formats TARGET FILE_OR_FOLDER...
public enum FuzzCommand {
    /// The target `FUZZ_TARGET` names; exits with a list of the names when there is none.
    public static func selected(from targets: [FuzzTarget]) -> FuzzTarget {
        let name = ProcessInfo.processInfo.environment["FUZZ_TARGET"] ?? ""
        if let target = targets.first(where: { $0.name == name }) { return target }
        let names = targets.map(\.name).joined(separator: " ")
        complain("set FUZZ_TARGET to one of: \(names)\n")
        Foundation.exit(2)
    }

    /// Runs the replay command line; returns the exit status.
    public static func replay(_ targets: [FuzzTarget], arguments: [String]) -> Int32 {
        guard let first = arguments.first, first != "--help", first != "-h" else {
            print("usage: \(programName) --list | --seeds FOLDER | TARGET FILE_OR_FOLDER...")
            return arguments.isEmpty ? 2 : 0
        }
        if first == "--list" {
            for target in targets { print("\(target.name)\t\(target.summary)") }
            return 0
        }
        if first == "--seeds", arguments.count == 2 {
            return writeSeeds(targets, into: arguments[1])
        }
        guard let target = targets.first(where: { $0.name == first }) else {
            complain("unknown target \(first); \(programName) --list names them\n")
            return 2
        }
        var count = 0
        for path in arguments.dropFirst() {
            for file in InputFiles.paths(under: path) {
                guard let bytes = InputFiles.contents(of: file) else {
                    complain("cannot read \(file)\n")
                    return 1
                }
                target.check(bytes)
                count += 1
            }
        }
        print("\(target.name): \(count) inputs hold")
        return 0
    }

    private static func writeSeeds(_ targets: [FuzzTarget], into folder: String) -> Int32 {
        for target in targets {
            let path = folder + "/" + target.name
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
                for (number, seed) in target.seeds().enumerated() {
                    try Data(seed).write(to: URL(fileURLWithPath: path + "/seed-\(number)"))
                }
            } catch {
                complain("cannot write the seeds in \(path): \(error)\n")
                return 1
            }
        }
        return 0
    }

    static func complain(_ message: String) {
        FileHandle.standardError.write(Data(message.utf8))
    }

    private static var programName: String {
        CommandLine.arguments.first.map { String($0.split(separator: "/").last ?? "") } ?? "fuzz"
    }
}
