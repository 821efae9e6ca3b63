import AsyncHTTPClient
import Foundation
import ImportCore
import NIOCore
import NIOHTTP1

/// One request to a provider's web API or token endpoint.
package struct ProviderRequest: Sendable {
    package var method: HTTPMethod
    package var url: String
    package var headers: HTTPHeaders
    package var body: [UInt8]?

    package init(_ method: HTTPMethod = .GET, _ url: String, headers: HTTPHeaders = [:], body: [UInt8]? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// A form POST (`application/x-www-form-urlencoded`), as token endpoints take them.
    package static func form(_ url: String, _ fields: [(String, String)]) -> ProviderRequest {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        headers.add(name: "Accept", value: "application/json")
        return ProviderRequest(.POST, url, headers: headers, body: Array(FormEncoding.encode(fields).utf8))
    }

    /// A GET with a bearer token; the token goes only into this header.
    package static func bearer(_ url: String, token: Secret) -> ProviderRequest {
        var headers = HTTPHeaders()
        headers.add(name: "Authorization", value: "Bearer \(token.value)")
        headers.add(name: "Accept", value: "application/json")
        return ProviderRequest(.GET, url, headers: headers)
    }

    /// Where the request goes, without path or query (which may carry a code): for messages.
    package var origin: String {
        guard let components = URLComponents(string: url), let scheme = components.scheme, let host = components.host else {
            return "the provider"
        }
        return "\(scheme)://\(host)" + (components.port.map { ":\($0)" } ?? "")
    }
}

package struct ProviderResponse: Sendable {
    package var status: Int
    package var headers: HTTPHeaders
    package var body: [UInt8]
}

/// Sends provider requests over AsyncHTTPClient: every request has a timeout; 429, 5xx,
/// dropped connections and answers the caller cannot read are tried again with backoff
/// (honouring `Retry-After`) up to `maxAttempts`; transport failures become table codes
/// (518 unreachable, 258 too slow, 264 still refusing after the retries).
package final class ProviderHTTP: Sendable {
    private let client: HTTPClient
    package let limits: APILimits

    package init(limits: APILimits) {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = HTTPClient.Configuration.Timeout(
            connect: .nanoseconds(Int64(limits.connectTimeout.seconds * 1e9)),
            read: .nanoseconds(Int64(limits.requestTimeout.seconds * 1e9)))
        configuration.decompression = .enabled(limit: .size(limits.maxResponseBytes))
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.limits = limits
    }

    package func shutdown() async {
        try? await client.shutdown()
    }

    /// Sends `request` and returns the first answer that is neither retryable nor
    /// rejected by `readable` (which sees 2xx bodies only; return false for a page that
    /// does not parse, and it is fetched again, 518 after the last try). `attempts` lowers
    /// the number of tries for requests not worth waiting for (a revocation).
    package func send(_ request: ProviderRequest, readable: (@Sendable ([UInt8]) -> Bool)? = nil,
                      attempts: Int? = nil) async throws -> ProviderResponse {
        let maxAttempts = min(limits.maxAttempts, max(1, attempts ?? limits.maxAttempts))
        var attempt = 1
        while true {
            try Task.checkCancellation()
            let response: ProviderResponse
            do {
                response = try await once(request)
            } catch let failure as TransportFailure {
                guard failure.retryable, attempt < maxAttempts else { throw failure.error }
                try await Task.sleep(for: backoff(attempt))
                attempt += 1
                continue
            }
            if DAVTransport.isRetryable(response.status) {
                let delay = DAVTransport.retryAfter(response.headers) ?? backoff(attempt)
                guard attempt < maxAttempts else {
                    throw ImportError(.addressBookUnavailable,
                                      "\(request.origin) still answered \(response.status) after \(attempt) tries")
                }
                if delay > limits.maxRetryDelay {
                    throw ImportError(.addressBookUnavailable,
                                      "\(request.origin) answered \(response.status) and asks to wait \(delay.spoken) before trying again")
                }
                try await Task.sleep(for: delay)
                attempt += 1
                continue
            }
            if (200..<300).contains(response.status), let readable, !readable(response.body) {
                guard attempt < maxAttempts else {
                    throw ImportError(.providerUnreachable, "\(request.origin) sent an answer that is not valid JSON, \(attempt) times")
                }
                try await Task.sleep(for: backoff(attempt))
                attempt += 1
                continue
            }
            return response
        }
    }

    private func once(_ request: ProviderRequest) async throws -> ProviderResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = request.method
        outgoing.headers = request.headers
        outgoing.headers.replaceOrAdd(name: "User-Agent", value: "contact-import")
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
        let limit = limits.maxResponseBytes
        let timeout = limits.requestTimeout
        let method = request.method.rawValue
        do {
            // Connecting has its own limit (518 when it passes); the request's starts after it,
            // so a refused connection is never told as a slow answer.
            let whole = limits.connectTimeout + timeout
            return try await withTimeout(whole) { [client, outgoing] in
                let response = try await client.execute(outgoing, timeout: .nanoseconds(Int64(whole.seconds * 1e9)))
                var buffer = try await response.body.collect(upTo: limit)
                let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
                return ProviderResponse(status: Int(response.status.code), headers: response.headers, body: bytes)
            }
        } catch is RequestTimedOut {
            throw ImportError(.webmailTimedOut, "\(request.origin) did not answer a \(method) within \(timeout.spoken)")
        } catch let error as ImportError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw DAVTransport.classify(error, method: method, origin: request.origin, timeout: timeout,
                                        connectTimeout: limits.connectTimeout)
        }
    }

    private func backoff(_ attempt: Int) -> Duration {
        min(limits.retryDelay * (1 << min(attempt - 1, 16)), limits.maxRetryDelay)
    }
}

/// `application/x-www-form-urlencoded`, as RFC 6749 §4.1.3 asks of token requests.
package enum FormEncoding {
    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    package static func encode(_ fields: [(String, String)]) -> String {
        fields.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }

    package static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }
}
