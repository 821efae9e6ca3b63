/// The seam between services that need a person to act in a browser (allow access, upload
/// a file) and whatever serves web pages. A factory publishes a page for its import and
/// hands the URL out through `PreparedSource.consentURL`; the host calls the page back
/// for every request to that URL. The core knows no HTTP framework: pages speak in these
/// plain values, and a host turns them into HTTP.
public protocol ConsentPageHost: Sendable {
    /// Makes `page` reachable and returns its address. Throws `ImportError` when the host
    /// cannot serve it (for example, the port it must listen on is taken).
    func publish(_ page: any ConsentPage) async throws -> PublishedPage
    /// Takes the page down; its address answers as expired from then on. Withdrawing a page
    /// twice, or one the host no longer has, does nothing.
    func withdraw(_ page: PublishedPage) async
    /// The largest upload the host accepts, in bytes, so that pages can tell the person.
    var uploadLimit: Int { get }
}

/// Where a published page can be reached.
public struct PublishedPage: Sendable, Hashable {
    /// The host's own name for the page; opaque to everyone else.
    public var id: String
    /// The absolute URL the person opens.
    public var url: String

    public init(id: String, url: String) {
        self.id = id
        self.url = url
    }
}

/// One page of one import. Each call is one browser request; calls may overlap.
public protocol ConsentPage: Sendable {
    func respond(to request: ConsentPageRequest) async -> ConsentPageResponse
}

/// A page that takes a file while it is still arriving instead of once the whole form has
/// been read. The host calls `receive` as soon as a form's file begins, with the fields sent
/// before it, and goes on adding to the file while the page works; forms without a file
/// still come through `respond`. A page that does not keep the file must `stop` it.
public protocol StreamingUploadPage: ConsentPage {
    func receive(_ file: IncomingFile, fields: [String: String]) async -> ConsentPageResponse
}

/// What the browser asked of a page.
public enum ConsentPageRequest: Sendable {
    /// The page was opened (GET).
    case show
    /// A form was sent (POST): its text fields, and the uploaded file if it had one.
    case submit(fields: [String: String], file: UploadedFile?)
    /// A file was sent that is larger than the host accepts; the host did not keep it.
    case uploadTooLarge(limit: Int)
}

/// A file sent through a page's form.
public struct UploadedFile: Sendable {
    /// The name the browser gave, if any; never trusted as a path.
    public var fileName: String?
    /// The media type the browser claimed; a hint only (browsers guess it from the name).
    public var mediaType: String?
    public var bytes: [UInt8]

    public init(fileName: String?, mediaType: String?, bytes: [UInt8]) {
        self.fileName = fileName
        self.mediaType = mediaType
        self.bytes = bytes
    }
}

/// A page's answer: an HTML document and its HTTP status.
public struct ConsentPageResponse: Sendable {
    public var status: Int
    public var html: String
    /// The page got the answer it was waiting for (a decision, an accepted upload, a
    /// cancellation). The host then retires its address so that it cannot be used again.
    public var isFinal: Bool

    public init(status: Int = 200, html: String, isFinal: Bool = false) {
        self.status = status
        self.html = html
        self.isFinal = isFinal
    }
}
