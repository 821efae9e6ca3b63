import ArgumentParser
import ContactFormats
import ImportCore

struct ConvertCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a contacts file from one format to another.",
        usage: "contact-import convert <input> <output> [--to <format>] [<options>]",
        discussion: """
            A shortcut for `import --service file --file IN --output OUT`: the input format is \
            detected from the content (or --from), the output format taken from OUT's name \
            (or --to). Use - as OUT for stdout.

            Contacts flow from IN to OUT as they are read, so memory stays small \
            whatever the size of IN; progress events count them as they go by. --merge \
            needs every contact at once: it reads them all first and holds them (about \
            the size of IN) before writing.

              contact-import convert google.csv contacts.vcf
              contact-import convert phone.vcf - --to json

            \(ExitStatus.helpText)
            """
    )

    @Argument(help: "The file to read.")
    var input: String

    @Argument(help: "The file to write, or - for stdout; written as --output of `import` is (an existing file keeps its permissions, a new one is private).")
    var outputPath: String

    @Option(help: "Input format (default: detected from the content).")
    var from: ContactFileKind?

    @Option(help: "Output format (default: from OUT's name).")
    var to: ContactFormat?

    @Flag(help: "Merge duplicates: cards that share an email address or a phone number and whose names match become one contact (a card without a name joins by email only; a shared number or name alone never merges).")
    var merge = false

    @Option(help: "How to show progress on stderr (default: a bar on a terminal, nothing otherwise). Skipped records are listed whatever it says.")
    var events: EventsStyle?

    /// A long conversion on a terminal shows its progress; in a script it stays quiet.
    private var resolvedEvents: EventsStyle { events?.resolved ?? (StandardError.isTerminal ? .bar : .none) }

    func validate() throws {
        if to == nil && (outputPath == "-" || ContactFormat.guess(fromFileName: outputPath) == nil) {
            throw ValidationError("cannot tell the output format from \"\(outputPath)\"; pass --to")
        }
    }

    func run() async throws {
        if !merge {
            try StreamingConversion(
                input: input, inputKind: from, output: outputPath == "-" ? nil : outputPath,
                format: to ?? ContactFormat.guess(fromFileName: outputPath) ?? .vcard3, events: resolvedEvents
            ).run()
            return
        }
        var parameters = ImportParameters()
        parameters["file"] = input
        parameters["format"] = from?.rawValue
        let runner = ImportRunner(engine: EngineFactory.make(), style: resolvedEvents)
        let (page, snapshot) = try await runner.run(service: "file", parameters: parameters)
        var output = try OutputOptions.parse([])
        output.format = to
        output.output = outputPath == "-" ? nil : outputPath
        output.merge = merge
        output.events = resolvedEvents
        try output.write(page, importID: snapshot.id, input: input)
    }
}

extension ContactFileKind: ExpressibleByArgument {}
