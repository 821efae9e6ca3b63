import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// One request to the server and its whole answer, or why there was none. Every request
/// carries the credentials as HTTP Basic; redirects are not followed, so they never
/// travel to another host; an answer must start within the timeout and never pause longer.
final class APITransport: Sendable {
    struct Answer: Sendable {
        var status: Int
        var body: [UInt8]
        var retryAfter: Int?
    }

    /// The server could not be reached, stopped answering or dropped the connection; the
    /// description follows "the server at HOST".
    struct Unreachable: Error, CustomStringConvertible {
        var description: String
    }

    let base: URL
    private let client: HTTPClient
    private let authorization: String
    private let timeout: Duration
    private let responseLimit: Int

    init(base: URL, credentials: DomainCredentials, timeout: Duration, responseLimit: Int) {
        self.base = base
        self.authorization = credentials.authorization
        self.timeout = timeout
        self.responseLimit = responseLimit
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        let nanoseconds = timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000
        configuration.timeout = HTTPClient.Configuration.Timeout(connect: .nanoseconds(nanoseconds), read: .nanoseconds(nanoseconds))
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    func shutdown() async {
        try? await client.shutdown()
    }

    /// `path` is relative to the base URL; `form` makes it a POST with a urlencoded body.
    func send(_ path: String, query: [(String, String)] = [], form: [(String, String)]? = nil) async throws -> Answer {
        var address = base.absoluteString + path
        if !query.isEmpty { address += "?" + Self.encode(query) }
        var request = HTTPClientRequest(url: address)
        request.headers.add(name: "Authorization", value: authorization)
        request.headers.add(name: "Accept", value: "application/json")
        if let form {
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: Self.encode(form)))
        }
        let seconds = Int64(timeout.components.seconds) + (timeout.components.attoseconds > 0 ? 1 : 0)
        do {
            let response = try await client.execute(request, timeout: .seconds(seconds))
            let body = try await response.body.collect(upTo: responseLimit)
            return Answer(status: Int(response.status.code), body: Array(buffer: body),
                          retryAfter: response.headers.first(name: "Retry-After").flatMap { Int($0) })
        } catch is CancellationError {
            throw CancellationError()
        } catch let error as HTTPClientError where error == .cancelled && Task.isCancelled {
            throw CancellationError()
        } catch let error as NIOTooManyBytesError {
            throw Unreachable(description: "sent an answer to \(path) larger than \(responseLimit / 1_000_000) MB (\(error))")
        } catch let error as HTTPClientError {
            throw Unreachable(description: Self.explain(error))
        } catch {
            throw Unreachable(description: "could not be reached (\(error))")
        }
    }

    private static func explain(_ error: HTTPClientError) -> String {
        switch error {
        case .deadlineExceeded, .readTimeout: return "did not answer in time"
        case .connectTimeout: return "could not be connected to in time"
        case .remoteConnectionClosed: return "closed the connection without an answer"
        default: return "could not be reached (\(error))"
        }
    }

    /// `application/x-www-form-urlencoded`, with every byte outside the unreserved set escaped.
    static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { escape($0.0) + "=" + escape($0.1) }.joined(separator: "&")
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    private static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }
}
