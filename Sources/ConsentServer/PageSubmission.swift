import Hummingbird
import ImportCore
import Synchronization

/// A POST to a page, as both page hosts take it: the form is read within `bodyTimeout` and
/// handed to the page. A page that takes uploads as they arrive gets the file as soon as
/// it begins, while the rest of the body is still being read.
enum PageSubmission {
    enum Outcome {
        /// The page's answer, for the host to send (and to retire the page when final).
        case answered(ConsentPageResponse)
        /// The form could not be taken; the host sends `response`. `answer` is what the
        /// page said about the part of the file it had already been given, if any.
        case refused(Response, answer: ConsentPageResponse?)
    }

    static func post(_ request: Request, to page: any ConsentPage, uploadLimit: Int,
                     bodyTimeout: Duration) async -> Outcome {
        let reader = FormBodyReader(fileLimit: uploadLimit)
        let length = request.headers[.contentLength].flatMap { Int($0) }
        let type = request.headers[.contentType]
        let body = request.body
        let handover = FileHandover(page: page as? any StreamingUploadPage)
        let onFile: (@Sendable (IncomingFile, [String: String]) -> Void)? =
            handover.isWanted ? { @Sendable file, fields in handover.begin(file, fields: fields) } : nil
        let read: @Sendable () async throws -> FormBody = {
            try await reader.read(contentType: type, contentLength: length, body: body, onFile: onFile)
        }
        do {
            let form = try await BodyDeadline.reading(within: bodyTimeout, read)
            switch form {
            case .form(let fields, let file):
                return .answered(await page.respond(to: .submit(fields: fields, file: file)))
            case .fileTooLarge:
                return .answered(await page.respond(to: .uploadTooLarge(limit: uploadLimit)))
            case .streamed:
                if let answer = await handover.answer() { return .answered(answer) }
                return .refused(unreadable, answer: nil)
            }
        } catch {
            let (response, failure) = refusal(error, bodyTimeout: bodyTimeout)
            if let file = handover.file { file.fail(failure ?? ImportError.uploadCutOff(after: file.bytesReceived)) }
            return .refused(response, answer: await handover.answer())
        }
    }

    /// The host's page for a form it could not take, and what the file (if one had begun)
    /// ends with; nil means it was cut off.
    private static func refusal(_ error: any Error, bodyTimeout: Duration) -> (Response, ImportError?) {
        switch error {
        case is BodyTimedOut:
            return (PageHTTP.message(status: .requestTimeout, title: "The upload took too long",
                                     text: "Nothing was imported. Go back and try again on a faster connection."),
                    ImportError.uploadTimedOut(bodyTimeout))
        case FormBodyError.fieldsTooLarge:
            return (PageHTTP.message(status: .contentTooLarge, title: "The form is too large",
                                     text: "This page's forms are small; what was sent is not one of them."),
                    ImportError.uploadMalformed)
        case FormBodyError.malformed:
            return (unreadable, ImportError.uploadMalformed)
        default:
            // The connection ended or failed in the middle of the body.
            return (unreadable, nil)
        }
    }

    private static var unreadable: Response {
        PageHTTP.message(status: .badRequest, title: "The form could not be read", text: "Go back, reload the page and try again.")
    }
}

/// The file of one POST on its way to a streaming page: the page's work starts in a task of
/// its own as soon as the file begins, so that it reads while the host still receives.
private final class FileHandover: Sendable {
    private struct Started {
        var file: IncomingFile
        var answer: Task<ConsentPageResponse, Never>
    }

    private let page: (any StreamingUploadPage)?
    private let started = Mutex<Started?>(nil)

    init(page: (any StreamingUploadPage)?) {
        self.page = page
    }

    var isWanted: Bool { page != nil }

    var file: IncomingFile? { started.withLock { $0?.file } }

    func begin(_ file: IncomingFile, fields: [String: String]) {
        guard let page else {
            file.stop()
            return
        }
        started.withLock { started in
            guard started == nil else { return }
            started = Started(file: file, answer: Task { await page.receive(file, fields: fields) })
        }
    }

    /// The page's answer, once it has one; nil if no file began.
    func answer() async -> ConsentPageResponse? {
        guard let task = started.withLock({ $0?.answer }) else { return nil }
        return await task.value
    }
}
