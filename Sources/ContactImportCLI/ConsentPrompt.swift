import ArgumentParser
import Foundation
import QRCode

/// How the consent URL's QR code is drawn on stderr.
enum QRStyle: String, ExpressibleByArgument, CaseIterable {
    /// Half blocks, black on white whatever the terminal's theme: compact and scannable.
    case blocks
    /// `##` per dark module, for terminals or fonts without block characters.
    case ascii
    /// No QR code, only the URL.
    case none
}

/// Shows the page a consent or upload import waits on: the URL on a line of its own (so it
/// can be copied or clicked) and a QR code a phone can scan.
struct ConsentPrompt {
    var style: QRStyle

    /// Whether the half blocks may be wrapped in colour escapes: only on a terminal, and
    /// not when the user asked for no colour (NO_COLOR).
    var colours = StandardError.isTerminal && StandardError.coloursWanted

    func show(url: String, serviceName: String, userCode: String? = nil, takesPastedAddress: Bool = false) {
        StandardError.line("Open this page to continue (\(serviceName)):")
        StandardError.line(url)
        if let userCode {
            StandardError.line("and enter this code there:  \(userCode)")
        }
        if style != .none {
            if let code = try? QRCode(encoding: url, errorCorrection: .low) {
                switch style {
                case .blocks: StandardError.write(code.halfBlocks(style: colours ? .blackOnWhite : .paintDark))
                case .ascii: StandardError.write(code.ascii())
                case .none: break
                }
            } else {
                StandardError.line("(the URL is too long for a QR code)")
            }
        }
        if takesPastedAddress {
            for line in Self.pasteAdvice(consentURL: url) { StandardError.line(line) }
        }
        StandardError.line("Waiting for the page… (Ctrl-C cancels)")
    }

    /// After consent the browser goes to a listener on this machine's 127.0.0.1; a browser
    /// elsewhere (a phone, a laptop over SSH) cannot reach it, hence the two ways round.
    static func pasteAdvice(consentURL: String) -> [String] {
        let port = redirectPort(consentURL)
        let forward = port.map { "ssh -L \($0):127.0.0.1:\($0) <this machine>" } ?? "ssh -L PORT:127.0.0.1:PORT <this machine>"
        return [
            "After you allow access, the browser is sent to 127.0.0.1 on this machine. If the browser runs",
            "elsewhere, that page fails to load there: paste the address it ended on below, or first run",
            "  \(forward)",
            "on the browser's machine.",
        ]
    }

    /// The port of the consent URL's `redirect_uri` (http://127.0.0.1:PORT).
    static func redirectPort(_ consentURL: String) -> Int? {
        guard let items = URLComponents(string: consentURL)?.queryItems,
              let redirect = items.first(where: { $0.name == "redirect_uri" })?.value,
              let components = URLComponents(string: redirect), components.host == "127.0.0.1" || components.host == "localhost"
        else { return nil }
        return components.port
    }
}
