#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import ImportCore

/// Asks on the terminal for the address the browser ended on after consent, while the
/// import also waits for the redirect itself: whichever comes first answers. A pasted
/// address of another sign-in is refused with the reason and asked for again.
struct PastedAddressPrompt: Sendable {
    let engine: ImportEngine
    let importID: Int

    /// Only when a person is there: stdin and stderr are a terminal.
    static var possible: Bool { isatty(STDIN_FILENO) == 1 && StandardError.isTerminal }

    static let question = "Paste the address your browser ended on (or just the code), then Enter: "

    /// Reads lines on a thread of its own (a blocking read must not hold up the import's
    /// tasks); it gives up once the import has left INITIALIZING.
    func start() {
        let engine = self.engine, id = importID
        let thread = Thread {
            StandardError.write(Self.question)
            while let line = readLine(strippingNewline: true) {
                let done = DispatchSemaphore(value: 0)
                let outcome = OutcomeBox()
                Task {
                    outcome.set(await Self.hand(line, to: engine, id: id))
                    done.signal()
                }
                done.wait()
                switch outcome.value {
                case .taken, .over: return
                case .again(let reason):
                    StandardError.line("contact-import: \(reason)")
                    StandardError.write(Self.question)
                case .empty:
                    StandardError.write(Self.question)
                }
            }
        }
        thread.name = "pasted-address"
        thread.start()
    }

    enum Outcome: Sendable {
        case taken, over, empty
        case again(String)
    }

    static func hand(_ line: String, to engine: ImportEngine, id: Int) async -> Outcome {
        guard let snapshot = try? await engine.snapshot(id), !snapshot.isFinished,
              !snapshot.events.contains(where: { $0.type == .gathering }) else { return .over }
        if line.trimmingCharacters(in: .whitespaces).isEmpty { return .empty }
        do {
            try await engine.paste(id, address: line)
            StandardError.line("contact-import: got the address; finishing the sign-in…")
            return .taken
        } catch let error as ImportError {
            return .again(error.remark ?? error.headline)
        } catch {
            return .over
        }
    }
}

private final class OutcomeBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: PastedAddressPrompt.Outcome = .over

    func set(_ value: PastedAddressPrompt.Outcome) { lock.withLock { stored = value } }
    var value: PastedAddressPrompt.Outcome { lock.withLock { stored } }
}
