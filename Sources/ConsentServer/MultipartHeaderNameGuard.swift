import NIOCore

/// Refuses a multipart body before multipart-kit reads a part header name holding a byte
/// over 0x7F: its parser (4.7) looks such a byte up in a 128-entry table and stops the
/// whole server. A header name is ASCII, so such a body is malformed anyway.
///
/// This follows the parser's own states byte by byte (preamble, boundary, header name
/// and value, body), so it finds exactly the bytes the parser would read as a header
/// name. Where the parser would refuse a body for another reason the two may part ways,
/// but by then the body is refused either way.
struct MultipartHeaderNameGuard {
    private enum State {
        case preamble(matched: Int)
        case preHeaders(sawCR: Bool)
        case headerName(empty: Bool)
        case headerValue
        case postHeaderValue
        case postHeaders
        case body
        case boundary(matched: Int)
        case epilogue
    }

    /// `\r\n--` and the boundary, as the parser matches it.
    private let delimiter: [UInt8]
    private var state = State.preamble(matched: 0)

    init(boundary: String) {
        delimiter = Array("\r\n--\(boundary)".utf8)
    }

    /// False when `bytes`, following what came before, put a byte over 0x7F in a header name.
    mutating func accepts(_ bytes: ByteBufferView) -> Bool {
        for byte in bytes {
            switch state {
            case .preamble(let matched):
                // Like the parser: the leading CRLF may be missing, so `--` opens the match.
                var next: Int
                if matched == 0, byte == delimiter[2] {
                    next = 3
                } else if byte == delimiter[matched] {
                    next = matched + 1
                } else if matched > 0, byte == delimiter[0] {
                    next = 1
                } else {
                    next = 0
                }
                state = next >= delimiter.count ? .preHeaders(sawCR: false) : .preamble(matched: next)
            case .preHeaders(let sawCR):
                state = !sawCR && byte == 0x0D ? .preHeaders(sawCR: true) : .headerName(empty: true)
            case .headerName(let empty):
                if byte == 0x3A, !empty {
                    state = .headerValue
                } else if byte == 0x0D, empty {
                    state = .postHeaders
                } else if byte > 0x7F {
                    return false
                } else {
                    state = .headerName(empty: false)
                }
            case .headerValue:
                if byte == 0x0D { state = .postHeaderValue }
            case .postHeaderValue:
                state = .headerName(empty: true)
            case .postHeaders:
                state = .body
            case .body:
                if byte == delimiter[0] { state = .boundary(matched: 1) }
            case .boundary(let matched):
                if matched >= delimiter.count {
                    // CR opens the next part's headers; a hyphen ends the body.
                    state = byte == 0x2D ? .epilogue : .preHeaders(sawCR: true)
                } else if byte == delimiter[matched] {
                    state = .boundary(matched: matched + 1)
                } else {
                    state = byte == delimiter[0] ? .boundary(matched: 1) : .body
                }
            case .epilogue:
                return true
            }
        }
        return true
    }
}
