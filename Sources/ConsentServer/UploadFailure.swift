import ImportCore

/// How an upload that a page was already reading ends when its request does not: the
/// import it went to ends with one of these, and the person sees the host's page.
extension ImportError {
    /// The body ended, or its connection failed, before the file's part did.
    static func uploadCutOff(after bytes: Int) -> ImportError {
        ImportError(.consentAbandoned, "the upload stopped after \(bytes) bytes of the file, before its end")
    }

    /// The body did not arrive within the consent server's body timeout.
    static func uploadTimedOut(_ timeout: Duration) -> ImportError {
        ImportError(.consentTimedOut, "the upload did not arrive whole within \(timeout.components.seconds) s")
    }

    /// The form around the file broke its encoding (multipart/form-data) or its limits.
    static let uploadMalformed = ImportError(.consentUnexpected, "the upload's form data could not be read")
}
