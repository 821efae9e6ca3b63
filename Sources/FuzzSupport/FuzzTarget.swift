/// One property checked on arbitrary bytes: `check` must return for every input, and
/// breaks the program (a crash libFuzzer records with its input) when an invariant fails.
public struct FuzzTarget: Sendable {
    public let name: String
    /// What the target holds to, for `--list`.
    public let summary: String
    public let check: @Sendable ([UInt8]) -> Void
    /// Inputs to start from, made by our own writers (real-world files are added by the
    /// fuzz script from the shared corpora).
    public let seeds: @Sendable () -> [[UInt8]]

    public init(
        _ name: String, _ summary: String, seeds: @escaping @Sendable () -> [[UInt8]] = { [] },
        check: @escaping @Sendable ([UInt8]) -> Void
    ) {
        self.name = name
        self.summary = summary
        self.seeds = seeds
        self.check = check
    }
}

/// Stops the program with `message` when `condition` is false: libFuzzer saves the input
/// as a crash, and a replay prints which invariant broke.
public func require(
    _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
    file: StaticString = #fileID, line: UInt = #line
) {
    if !condition() { fatalError("invariant broken: \(message())", file: file, line: line) }
}
