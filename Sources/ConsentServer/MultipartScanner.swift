import Foundation
import NIOCore

/// Splits a `multipart/form-data` body into parts as the bytes arrive (RFC 7578): the
/// headers of each part, its body in pieces, and its end. The delimiter is found with
/// `memchr` and `memcmp` over contiguous bytes, so a large upload costs a few passes over its bytes
/// rather than work per byte; only the bytes that might begin a delimiter are held back
/// between chunks.
final class MultipartScanner {
    enum Failure: Error { case malformed }

    var onHeader: (String, String) -> Void = { _, _ in }
    var onBody: (UnsafeRawBufferPointer) -> Void = { _ in }
    var onPartComplete: () -> Void = {}

    private enum State { case preamble, afterDelimiter, headers, body, done }

    /// CR LF `--` boundary: what ends a part's body (and, after a notional CR LF, opens the first).
    private let delimiter: [UInt8]
    private var state = State.preamble
    /// Bytes received but not yet handed on; starts with CR LF so that a body opening with
    /// the first boundary is found like every later one.
    private var pending: [UInt8] = [0x0D, 0x0A]
    private static let headerLimit = 16 * 1024

    init(boundary: String) {
        delimiter = Array("\r\n--\(boundary)".utf8)
    }

    func execute(_ buffer: ByteBuffer) throws {
        guard state != .done else { return }
        buffer.withUnsafeReadableBytes { pending.append(contentsOf: $0) }
        try process()
    }

    private func process() throws {
        var start = 0
        defer { if start > 0 { pending.removeFirst(start) } }
        while true {
            switch state {
            case .done:
                start = pending.count
                return
            case .preamble:
                guard let found = find(delimiter, from: start) else {
                    start = max(start, pending.count - (delimiter.count - 1))
                    return
                }
                start = found + delimiter.count
                state = .afterDelimiter
            case .afterDelimiter:
                guard pending.count - start >= 2 else { return }
                if pending[start] == UInt8(ascii: "-") && pending[start + 1] == UInt8(ascii: "-") {
                    state = .done
                } else if pending[start] == 0x0D && pending[start + 1] == 0x0A {
                    start += 2
                    state = .headers
                } else {
                    throw Failure.malformed
                }
            case .headers:
                if pending.count - start >= 2 && pending[start] == 0x0D && pending[start + 1] == 0x0A {
                    start += 2  // a part with no headers
                    state = .body
                    continue
                }
                guard let end = find([0x0D, 0x0A, 0x0D, 0x0A], from: start) else {
                    if pending.count - start > Self.headerLimit { throw Failure.malformed }
                    return
                }
                let text = String(decoding: pending[start..<end], as: UTF8.self)
                for line in text.split(separator: "\r\n", omittingEmptySubsequences: true) {
                    guard let colon = line.firstIndex(of: ":") else { throw Failure.malformed }
                    let name = line[..<colon].trimmingCharacters(in: .whitespaces)
                    // A header name is an ASCII token; anything else is no multipart body.
                    guard name.utf8.allSatisfy({ $0 < 0x80 }) else { throw Failure.malformed }
                    let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                    onHeader(name, value)
                }
                start = end + 4
                state = .body
            case .body:
                if let found = find(delimiter, from: start) {
                    emit(start..<found)
                    onPartComplete()
                    start = found + delimiter.count
                    state = .afterDelimiter
                } else {
                    // All but what could be the start of a delimiter split across chunks.
                    let safe = max(start, pending.count - (delimiter.count - 1))
                    emit(start..<safe)
                    start = safe
                    return
                }
            }
        }
    }

    private func emit(_ range: Range<Int>) {
        guard !range.isEmpty else { return }
        pending.withUnsafeBytes { onBody(UnsafeRawBufferPointer(rebasing: $0[range])) }
    }

    /// The first `needle` at or after `start`: `memchr` for its first byte, then a compare.
    private func find(_ needle: [UInt8], from start: Int) -> Int? {
        guard pending.count - start >= needle.count else { return nil }
        return pending.withUnsafeBytes { haystack in
            needle.withUnsafeBytes { needle in
                let base = haystack.baseAddress!
                let last = haystack.count - needle.count
                var offset = start
                while offset <= last {
                    guard let hit = memchr(base + offset, Int32(needle[0]), last - offset + 1) else { return nil }
                    let position = base.distance(to: UnsafeRawPointer(hit))
                    if memcmp(base + position, needle.baseAddress!, needle.count) == 0 { return position }
                    offset = position + 1
                }
                return nil
            }
        }
    }
}
