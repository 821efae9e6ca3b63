/// One API request, read from HTTP by the front end: what the handler needs and nothing
/// of the server framework.
struct APIRequest: Sendable {
    enum Method: Sendable, Equatable {
        case get
        case head
        case post
        case other(String)
    }

    var method: Method
    var route: APIRoute
    var parameters: RequestParameters
    /// The `Authorization` header, if any.
    var authorization: String?
}

/// One answer: status, headers and body.
struct APIResponse: Sendable {
    var status: Int
    var headers: [(String, String)]
    var body: String
    /// For the access log: the account that asked, and the import concerned.
    var account: String?
    var importID: Int?
    /// The error code of an error answer, for the access log.
    var errorCode: Int?

    init(status: Int, headers: [(String, String)] = [], body: String, account: String? = nil, importID: Int? = nil, errorCode: Int? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
        self.account = account
        self.importID = importID
        self.errorCode = errorCode
    }

    /// The headers the 2016 traffic shows on every answer: nothing is cached anywhere.
    static let noCacheHeaders: [(String, String)] = [
        ("Cache-Control", "no-cache, private, no-store, max-age=0, must-revalidate"),
        ("Pragma", "no-cache"),
        ("Expires", "Mon, 01 Jan 1990 00:00:00 GMT"),
        ("X-Content-Type-Options", "nosniff"),
    ]

    /// A document in the format asked for: JSON, JSONP (with a callback) or XML.
    static func document(_ document: ResponseDocument, status: Int = 200, format: ResponseFormat,
                         callback: JSONPCallback?) -> APIResponse {
        if let callback {
            return APIResponse(status: status, headers: noCacheHeaders + [("Content-Type", "text/javascript; charset=utf-8")],
                               body: callback.wrap(document.json()))
        }
        switch format {
        case .json:
            return APIResponse(status: status, headers: noCacheHeaders + [("Content-Type", "application/json; charset=utf-8")],
                               body: document.json())
        case .xml:
            return APIResponse(status: status, headers: noCacheHeaders + [("Content-Type", "application/xml; charset=utf-8")],
                               body: document.xml())
        }
    }
}
