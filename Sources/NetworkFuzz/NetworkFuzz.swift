import FuzzSupport

/// The fuzzing program for what arrives over the network: the consent server's form
/// bodies, CardDAV's XML and the Google and Microsoft contact pages. `--list` names the
/// targets.
@main
enum NetworkFuzz {
    static func main() {
        FuzzCommand.main(FormBodyTargets.all + [DAVXMLTarget.target] + ProviderPageTargets.all)
    }
}
