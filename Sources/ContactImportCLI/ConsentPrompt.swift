import ArgumentParser
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

    func show(url: String, serviceName: String) {
        StandardError.line("Open this page to continue (\(serviceName)):")
        StandardError.line(url)
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
        StandardError.line("Waiting for the page… (Ctrl-C cancels)")
    }
}
