import ArgumentParser
import Foundation
import ImportCore

@main
struct ContactImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contact-import",
        abstract: "Import an address book, watch the import live, and export the contacts.",
        discussion: """
            Every import runs the same three stages as the CloudSponge API: begin (an import \
            id, and for consent flows a URL to open), events (INITIALIZING, GATHERING with \
            counts, COMPLETE — or ERROR with a code from the error table), contacts.

            Without a command, contact-import opens the terminal UI (the same as \
            `contact-import tui`).

            Examples:
              contact-import
              contact-import services
              contact-import convert google.csv contacts.vcf
              contact-import import --service file --file contacts.vcf \\
                  --format csv --output contacts.csv
              contact-import import --service vcard --file phone.vcf --merge \\
                  --events json > contacts.vcf

            \(ExitStatus.helpText)
            """,
        subcommands: [TUICommand.self, ServicesCommand.self, ImportCommand.self, ConvertCommand.self, ServeCommand.self, AccountsCommand.self],
        defaultSubcommand: TUICommand.self
    )

    static func main() async {
        if let word = Swift.CommandLine.arguments.dropFirst().first, let message = UnknownCommand.message(for: word) {
            StandardError.line(message)
            Foundation.exit(ExitCode.validationFailure.rawValue)
        }
        await main(nil)
    }
}
