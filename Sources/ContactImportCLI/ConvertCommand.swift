import ArgumentParser
import ContactFormats
import ImportCore

struct ConvertCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a contacts file from one format to another.",
        discussion: """
            A shortcut for `import --service file --file IN --output OUT`: the input format is \
            detected from the content (or --from), the output format taken from OUT's name \
            (or --to). Use - as OUT for stdout.

              contact-import convert google.csv contacts.vcf
              contact-import convert phone.vcf - --to json

            \(ExitStatus.helpText)
            """
    )

    @Argument(help: "The file to read.")
    var input: String

    @Argument(help: "The file to write, or - for stdout.")
    var outputPath: String

    @Option(help: "Input format: vcard, csv, ldif, json, mutt, mutt-query (default: detected).")
    var from: ContactFileKind?

    @Option(help: "Output format: \(ContactFormat.allCases.map(\.rawValue).joined(separator: ", ")) (default: from OUT's name).")
    var to: ContactFormat?

    @Flag(help: "Merge duplicates: cards that share an email address or a phone number and whose names match become one contact (a card without a name joins by email only; a shared number or name alone never merges).")
    var merge = false

    @Option(help: "How to show progress on stderr: auto, bar, lines, json, none.")
    var events: EventsStyle = .none

    func validate() throws {
        if to == nil && (outputPath == "-" || ContactFormat.guess(fromFileName: outputPath) == nil) {
            throw ValidationError("cannot tell the output format from \"\(outputPath)\"; pass --to")
        }
    }

    func run() async throws {
        var parameters = ImportParameters()
        parameters["file"] = input
        parameters["format"] = from?.rawValue
        let runner = ImportRunner(engine: EngineFactory.make(), style: events)
        let (page, snapshot) = try await runner.run(service: "file", parameters: parameters)
        var output = try OutputOptions.parse([])
        output.format = to
        output.output = outputPath == "-" ? nil : outputPath
        output.merge = merge
        output.events = events
        try output.write(page, importID: snapshot.id)
    }
}

extension ContactFileKind: ExpressibleByArgument {}
