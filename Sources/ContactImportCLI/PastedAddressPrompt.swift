#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import ImportClient
import ImportCore
import Synchronization

/// Asks on the terminal for the address the browser ended on after consent, while the
/// import also waits for the redirect itself: whichever comes first answers. A pasted
/// address of another sign-in is refused with the reason and asked for again.
struct PastedAddressPrompt: Sendable {
    let client: any ImportClient
    let importID: Int
    private let question = QuestionState()

    init(client: any ImportClient, importID: Int) {
        self.client = client
        self.importID = importID
    }

    /// Only when a person is there: stdin and stderr are a terminal.
    static var possible: Bool { isatty(STDIN_FILENO) == 1 && StandardError.isTerminal }

    static let question = "Paste the address your browser ended on (or just the code; it is not shown), then Enter: "

    /// Reads lines on a thread of its own (a blocking read must not hold up the import's
    /// tasks); it gives up once the import has left INITIALIZING.
    func start() {
        let client = self.client, id = importID, question = self.question
        let thread = Thread {
            HiddenEcho.shared.hide()
            defer { HiddenEcho.shared.show() }
            guard question.ask() else { return }
            while let line = readLine(strippingNewline: true) {
                question.answered()
                let done = DispatchSemaphore(value: 0)
                let outcome = OutcomeBox()
                Task {
                    outcome.set(await Self.hand(line, to: client, id: id))
                    done.signal()
                }
                done.wait()
                switch outcome.value {
                case .taken, .over: return
                case .again(let reason):
                    StandardError.line("contact-import: \(reason)")
                    guard question.ask() else { return }
                case .empty:
                    guard question.ask() else { return }
                }
            }
        }
        thread.name = "pasted-address"
        thread.start()
    }

    /// Ends the question once the import no longer waits for consent: the line it left
    /// open is closed, so what follows starts on a line of its own.
    func close() { question.close() }

    enum Outcome: Sendable {
        case taken, over, empty
        case again(String)
    }

    static func hand(_ line: String, to client: any ImportClient, id: Int) async -> Outcome {
        guard let snapshot = try? await client.snapshot(id), !snapshot.isFinished,
              !snapshot.events.contains(where: { $0.type == .gathering }) else { return .over }
        if line.trimmingCharacters(in: .whitespaces).isEmpty { return .empty }
        do {
            try await client.paste(id, address: line)
            StandardError.line("contact-import: got the address; finishing the sign-in…")
            return .taken
        } catch let error as ImportError {
            return .again(error.remark ?? error.headline)
        } catch {
            return .over
        }
    }
}

/// Whether the question is on the screen waiting for its line, and whether it may be asked again.
private final class QuestionState: Sendable {
    private struct State {
        var open = false
        var closed = false
    }

    private let state = Mutex(State())

    /// Writes the question unless the prompt is closed; false when it is.
    func ask() -> Bool {
        state.withLock { state in
            guard !state.closed else { return false }
            StandardError.write(PastedAddressPrompt.question)
            state.open = true
            return true
        }
    }

    func answered() { state.withLock { $0.open = false } }

    func close() {
        state.withLock { state in
            if state.open { StandardError.write("\n") }
            state.open = false
            state.closed = true
        }
        HiddenEcho.shared.show()
    }
}

private final class OutcomeBox: Sendable {
    private let stored = Mutex<PastedAddressPrompt.Outcome>(.over)

    func set(_ value: PastedAddressPrompt.Outcome) { stored.withLock { $0 = value } }
    var value: PastedAddressPrompt.Outcome { stored.withLock { $0 } }
}
