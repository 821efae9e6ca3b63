import FuzzSupport

/// The fuzzing program for the file formats: every reader, the format sniffer and the QR
/// encoder, the settings file parser. `--list` names the targets.
@main
enum FormatsFuzz {
    static func main() {
        FuzzCommand.main(DecoderTargets.all + CSVEncodingTargets.all + [SnifferTarget.target, QRTarget.target, SettingsTarget.target])
    }
}
