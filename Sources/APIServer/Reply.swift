import ImportCore

/// How one request is answered: its format, its JSONP callback and its `echo`, the same
/// for a success and for an error.
struct Reply: Sendable {
    var format: ResponseFormat
    var callback: JSONPCallback?
    var echo: String?

    func document(_ document: ResponseDocument, status: Int = 200) -> APIResponse {
        .document(document, status: status, format: format, callback: callback)
    }

    /// An error answer (§1.7) with its code; `importID` and `userID` when the import is known.
    func error(_ status: Int, _ code: ErrorCode, _ message: String, importID: Int? = nil, userID: String? = nil,
               headers: [(String, String)] = []) -> APIResponse {
        var response = document(ResponseDocuments.error(code: code.rawValue, message: message, importID: importID,
                                                        userID: userID, echo: echo),
                                status: status)
        response.headers += headers
        response.errorCode = code.rawValue
        response.importID = importID
        return response
    }

    /// An error about a known import.
    func error(_ status: Int, _ code: ErrorCode, _ message: String, about record: ImportRecord) -> APIResponse {
        error(status, code, message, importID: record.id, userID: record.userID)
    }
}
